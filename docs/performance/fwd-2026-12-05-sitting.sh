#!/bin/bash
# One measurement sitting: the peer, then 3 rounds alternating builds A (e11db5d), B (82613a6), C (0ae... embeddings), then Longformer A vs C.
out=/tmp/fwdrun/raw.txt
peer=/tmp/fwdrun/peer.json
cd /tmp/fwdrun
echo "# sitting start $(date -u +%FT%TZ); uptime: $(uptime)" >> $out
echo "# builds: A = e11db5d (main at branch point), B = 82613a6 (lanes + attention), C = $(cd /work/wt-fwd && git rev-parse --short HEAD) (B + one-pass embeddings)" >> $out
echo "## peer run 1 start $(date -u +%T); uptime: $(uptime)" >> $out
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE chroot /tmp/sidroot python3 /tmp/bench_bert.py --threads 2 --skip-base > $peer 2> /tmp/fwdrun/peer.log
echo "## peer run 1 end $(date -u +%T); uptime: $(uptime)" >> $out
grep -E "forward|train_step" /tmp/fwdrun/peer.log >> $out
for round in 1 2 3; do
  for size in mini small; do
    for v in A B C; do
      echo "## round $round $size b4 build $v $(date -u +%T); uptime: $(uptime)" >> $out
      dotnet /tmp/fwd-$v/cogltx.dll bench bert --size $size --batch 4 --forward-only --repeats 5 --peer $peer >> $out 2>&1
    done
  done
done
for v in A C; do
  echo "## longformer build $v $(date -u +%T); uptime: $(uptime)" >> $out
  if [ $v = A ]; then dotnet /tmp/fwd-A/cogltx.dll bench longformer --lengths 2048 4096 --iterations 5 >> $out 2>/dev/null; else dotnet /tmp/fwd-C/cogltx.dll bench longformer --lengths 2048 4096 --repeats 5 --peer $peer >> $out 2>/dev/null; fi
done
echo "# sitting end $(date -u +%FT%TZ); uptime: $(uptime)" >> $out
