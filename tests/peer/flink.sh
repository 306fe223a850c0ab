# The tutorial's event-time job on Apache Flink (peer/flink) and on
# kappa-pipes over one 4-partition topic with 2 s of disorder: the same
# rows, and the same records dropped as late (peer/flink/check says how).
# Run by `make peer-check`, which installs Flink first.
# needs: salesgen ksink ksource window-agg fxconvert
# broker: real
sh "$T/../peer/flink/check" -n 20000 -s 7
