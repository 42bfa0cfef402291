#!/bin/bash
# Sitting for change 15 (FloatExp in GELU's Φ and its derivative): peer, 3 rounds alternating B = dea7027 and
# E = B + change 15 (bench bert --size mini|small --batch 4, forward-only then with the train step, --repeats 10
# --peer), peer again. Our runs wait for the machine to be otherwise idle only in that nothing else was started.
out=/tmp/s6/raw.txt; peer=/tmp/s6/peer1.json
B=/work/bin/cogltx; E=/work/bin-gelu/cogltx
mkdir -p /tmp/s6
echo "# sitting start $(date -u +%FT%TZ); uptime: $(uptime)" > $out
echo "## peer run 1 start $(date -u +%T); uptime: $(uptime)" >> $out
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE chroot /tmp/sidroot python3 /tmp/bench_bert.py --threads 2 --skip-base --skip-longformer > $peer 2> /tmp/s6/peer1.log
grep -E "matmul:|forward|train_step|warning" /tmp/s6/peer1.log >> $out
for round in 1 2 3; do
  for size in mini small; do
    for v in B E; do
      bin=$B; [ $v = E ] && bin=$E
      echo "## round $round $size b4 forward, build $v $(date -u +%T); uptime: $(uptime)" >> $out
      $bin bench bert --size $size --batch 4 --forward-only --repeats 10 --peer $peer >> $out 2>&1
    done
  done
  for v in B E; do
    bin=$B; [ $v = E ] && bin=$E
    echo "## round $round mini b4 train, build $v $(date -u +%T); uptime: $(uptime)" >> $out
    $bin bench bert --size mini --batch 4 --repeats 10 --peer $peer >> $out 2>&1
  done
done
echo "## peer run 2 start $(date -u +%T); uptime: $(uptime)" >> $out
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE chroot /tmp/sidroot python3 /tmp/bench_bert.py --threads 2 --skip-base --skip-longformer > /tmp/s6/peer2.json 2> /tmp/s6/peer2.log
grep -E "matmul:|forward|train_step|warning" /tmp/s6/peer2.log >> $out
echo "# sitting end $(date -u +%FT%TZ); uptime: $(uptime)" >> $out
