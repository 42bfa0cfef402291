"""Writes the 10.5M-token document for the split-10m record: seeded sentences of 8-25 common English words, each
word one bert-base-uncased token, 10,001 sentences a line (python3 make_doc.py > doc10m.txt; 40,197,045 bytes)."""
import random
import sys

r = random.Random(13)
words = ("the of and to in a is that for it as was with be by on not he this are or his from at which but have an they "
         "you were her she there one all we their has been if more when will would who so no").split()
out = sys.stdout
n = 0
buf = []
while n < 10_500_000:
    k = r.randint(8, 25)
    buf.append(" ".join(r.choice(words) for _ in range(k)).capitalize() + ".")
    n += k + 1
    if len(buf) > 10000:
        out.write(" ".join(buf) + "\n")
        buf = []
out.write(" ".join(buf) + "\n")
