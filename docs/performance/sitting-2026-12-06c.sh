#!/bin/bash
# Second sitting of 2026-12-06 evening, after changes 9-12 (docs/performance.md): peer, 3 rounds of ours (forward and
# train step, mini and small b4), Longformer twice, peer again. M = `dotnet build src/Cli -c Release -o DIR` of 261d0c7.
out=/tmp/s4/raw.txt; peer=/tmp/s4/peer1.json
M=/work/bin2/cogltx
echo "# sitting start $(date -u +%FT%TZ); uptime: $(uptime)" > $out
echo "# build: M = 261d0c7" >> $out
echo "## peer run 1 start $(date -u +%T); uptime: $(uptime)" >> $out
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE chroot /tmp/sidroot python3 /tmp/bench_bert.py --threads 2 --skip-base > $peer 2> /tmp/s4/peer1.log
grep -E "matmul|forward|train_step|warning" /tmp/s4/peer1.log >> $out
for round in 1 2 3; do
  for size in mini small; do
    reps=10; [ $size = small ] && reps=5
    echo "## round $round $size b4, build M $(date -u +%T); uptime: $(uptime)" >> $out
    $M bench bert --size $size --batch 4 --repeats $reps --peer $peer >> $out 2>&1
  done
done
for round in 1 2; do
  echo "## round $round longformer, build M $(date -u +%T); uptime: $(uptime)" >> $out
  $M bench longformer --lengths 2048 4096 --repeats 5 --peer $peer >> $out 2>/dev/null
done
echo "## peer run 2 start $(date -u +%T); uptime: $(uptime)" >> $out
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE chroot /tmp/sidroot python3 /tmp/bench_bert.py --threads 2 --skip-base > /tmp/s4/peer2.json 2> /tmp/s4/peer2.log
grep -E "matmul|forward|train_step|warning" /tmp/s4/peer2.log >> $out
echo "# sitting end $(date -u +%FT%TZ); uptime: $(uptime)" >> $out
