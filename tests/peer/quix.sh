# The tutorial's event-time job on Quix Streams (peer/quix, exactly-once)
# and on kappa-pipes over one 4-partition topic with 2 s of disorder: the
# same rows (peer/quix/check says how). Run by `make peer-check`, which
# installs Quix Streams first (a 130 MB venv, about 15 s).
# needs: salesgen ksink ksource window-agg fxconvert
# broker: real
sh "$T/../peer/quix/check" -n 20000 -s 7
