#!/bin/bash
# Sitting of 2026-12-06 (evening, fresh machine): peer, then 3 rounds of ours (forward mini/small b4; train mini b4 for
# P = 5f2c49c and M = parameter gradients kept across steps; train small b4 M), Longformer M twice, peer again.
# P and M are `dotnet build src/Cli -c Release -o DIR` of the two commits.
out=/tmp/s3/raw.txt; peer=/tmp/s3/peer1.json
P=/work/runbin/5f2c49c/cogltx; M=/work/bin/cogltx
echo "# sitting start $(date -u +%FT%TZ); uptime: $(uptime)" > $out
echo "# builds: P = 5f2c49c, M = $(git -C /work/main rev-parse --short HEAD) + working tree (AdamW.ZeroGrad keeps gradient arrays)" >> $out
echo "## peer run 1 start $(date -u +%T); uptime: $(uptime)" >> $out
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE chroot /tmp/sidroot python3 /tmp/bench_bert.py --threads 2 --skip-base > $peer 2> /tmp/s3/peer1.log
echo "## peer run 1 end $(date -u +%T); uptime: $(uptime)" >> $out
grep -E "matmul|forward|train_step|warning" /tmp/s3/peer1.log >> $out
for round in 1 2 3; do
  for size in mini small; do
    echo "## round $round $size b4 forward, build M $(date -u +%T); uptime: $(uptime)" >> $out
    $M bench bert --size $size --batch 4 --forward-only --repeats 10 --peer $peer >> $out 2>&1
  done
  for v in P M; do
    bin=$P; [ $v = M ] && bin=$M
    echo "## round $round mini b4 train, build $v $(date -u +%T); uptime: $(uptime)" >> $out
    $bin bench bert --size mini --batch 4 --repeats 10 --peer $peer >> $out 2>&1
  done
  echo "## round $round small b4 train, build M $(date -u +%T); uptime: $(uptime)" >> $out
  $M bench bert --size small --batch 4 --repeats 5 --peer $peer >> $out 2>&1
done
for round in 1 2; do
  echo "## round $round longformer, build M $(date -u +%T); uptime: $(uptime)" >> $out
  $M bench longformer --lengths 2048 4096 --repeats 5 --peer $peer >> $out 2>/dev/null
done
echo "## peer run 2 start $(date -u +%T); uptime: $(uptime)" >> $out
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE chroot /tmp/sidroot python3 /tmp/bench_bert.py --threads 2 --skip-base > /tmp/s3/peer2.json 2> /tmp/s3/peer2.log
grep -E "matmul|forward|train_step|warning" /tmp/s3/peer2.log >> $out
echo "# sitting end $(date -u +%FT%TZ); uptime: $(uptime)" >> $out
