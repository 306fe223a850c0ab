# Exactly once through a crash, the short form of make soak's
# tests/soak/kill.sh: scripts/resume POSITION=1 over a 20,000-record
# backlog, window-agg and then ksink killed with SIGKILL once each, the
# job restarted; the output topic, read committed, equals a replay: no
# window missing, none twice, none wrong.
# broker: real
# needs: ksource ksink window-agg fxconvert salesgen
KILL_RUNS=1 KILL_STAGES="window-agg ksink" KILL_MODES=catchup
. "$T/soak/kill.sh"
