#!/bin/bash
# Quiet sitting: peer, 3 rounds alternating A (e11db5d, before fwd) and M (main with fwd merged), Longformer M, peer again.
out=/tmp/quiet/raw.txt; peer=/tmp/quiet/peer1.json
M=/work/main/artifacts/bin/CogLtx.Cli/release/cogltx.dll
echo "# quiet sitting start $(date -u +%FT%TZ); uptime: $(uptime)" > $out
echo "# builds: A = e11db5d (before branch fwd), M = $(git -C /work/main rev-parse --short HEAD) (main, fwd merged)" >> $out
echo "## peer run 1 start $(date -u +%T); uptime: $(uptime)" >> $out
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE chroot /tmp/sidroot python3 /tmp/bench_bert.py --threads 2 --skip-base > $peer 2> /tmp/quiet/peer1.log
echo "## peer run 1 end $(date -u +%T); uptime: $(uptime)" >> $out
grep -E "matmul|forward|train_step" /tmp/quiet/peer1.log >> $out
for round in 1 2 3; do
  for size in mini small; do
    for v in A M; do
      dll=/tmp/fwd-A/cogltx.dll; [ $v = M ] && dll=$M
      echo "## round $round $size b4 build $v $(date -u +%T); uptime: $(uptime)" >> $out
      dotnet $dll bench bert --size $size --batch 4 --forward-only --repeats 5 --peer $peer >> $out 2>&1
    done
  done
done
echo "## mini b4 train step, build M $(date -u +%T); uptime: $(uptime)" >> $out
dotnet $M bench bert --size mini --batch 4 --repeats 5 --peer $peer >> $out 2>&1
echo "## longformer build M $(date -u +%T); uptime: $(uptime)" >> $out
dotnet $M bench longformer --lengths 2048 4096 --repeats 5 --peer $peer >> $out 2>/dev/null
echo "## peer run 2 start $(date -u +%T); uptime: $(uptime)" >> $out
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE chroot /tmp/sidroot python3 /tmp/bench_bert.py --threads 2 --skip-base > /tmp/quiet/peer2.json 2> /tmp/quiet/peer2.log
grep -E "matmul|forward|train_step" /tmp/quiet/peer2.log >> $out
echo "# sitting end $(date -u +%FT%TZ); uptime: $(uptime)" >> $out
