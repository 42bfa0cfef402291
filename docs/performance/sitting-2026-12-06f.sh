#!/bin/bash
# Sitting f, the faster VM of sitting e: the rest of issue 12's must-show figures on it. Peer (BERT mini/small and
# Longformer) first and last; between them, binary M = 39522f5 (main with changes 15 and 16): BERT-small b4 with
# the train step, three rounds, and Longformer-mini at 2,048 and 4,096 tokens twice (bench longformer --repeats 5).
out=/tmp/s7/raw.txt; peer=/tmp/s7/peer1.json
M=/work/bin-final/cogltx
mkdir -p /tmp/s7
echo "# sitting start $(date -u +%FT%TZ); uptime: $(uptime)" > $out
echo "## peer run 1 start $(date -u +%T); uptime: $(uptime)" >> $out
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE chroot /tmp/sidroot python3 /tmp/bench_bert.py --threads 2 --skip-base > $peer 2> /tmp/s7/peer1.log
grep -E "matmul:|forward|train_step|longformer|warning" /tmp/s7/peer1.log >> $out
for round in 1 2 3; do
  echo "## round $round small b4 forward and train, build M $(date -u +%T); uptime: $(uptime)" >> $out
  $M bench bert --size small --batch 4 --repeats 10 --peer $peer >> $out 2>&1
done
for round in 1 2; do
  echo "## round $round longformer 2048,4096, build M $(date -u +%T); uptime: $(uptime)" >> $out
  $M bench longformer --lengths 2048 4096 --repeats 5 --peer $peer >> $out 2>/dev/null
done
echo "## peer run 2 start $(date -u +%T); uptime: $(uptime)" >> $out
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE chroot /tmp/sidroot python3 /tmp/bench_bert.py --threads 2 --skip-base > /tmp/s7/peer2.json 2> /tmp/s7/peer2.log
grep -E "matmul:|forward|train_step|longformer|warning" /tmp/s7/peer2.log >> $out
echo "# sitting end $(date -u +%FT%TZ); uptime: $(uptime)" >> $out
