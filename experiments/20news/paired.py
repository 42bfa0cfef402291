#!/usr/bin/env python3
"""Paired comparison of one method between two experiment runs on the same test examples.

    python3 experiments/20news/paired.py A/results.json B/results.json [METHOD...]

For each method (default: every method both runs have) prints the mean score of A and B on the examples both scored
(matched by id), the difference B − A with a 95% bootstrap interval (10,000 resamples of the examples), and the
two-sided p of a paired sign-flip permutation test (10,000 flips), the test the experiment reports use within a run.
Seeded (1), so the same files give the same figures.
"""
import json
import random
import sys


def scores(path):
    with open(path, encoding="utf-8") as f:
        run = json.load(f)
    return {m["name"]: {e["id"]: e["score"] for e in m["examples"]} for m in run["methods"]}


def compare(a, b, rng, resamples=10_000):
    ids = sorted(set(a) & set(b))
    if not ids:
        raise SystemExit("the two runs share no example ids")
    diffs = [b[i] - a[i] for i in ids]
    n = len(diffs)
    observed = sum(diffs) / n
    boot = sorted(sum(diffs[rng.randrange(n)] for _ in range(n)) / n for _ in range(resamples))
    low, high = boot[int(0.025 * resamples)], boot[int(0.975 * resamples) - 1]
    extreme = sum(1 for _ in range(resamples) if abs(sum(d if rng.random() < 0.5 else -d for d in diffs)) / n >= abs(observed) - 1e-12)
    return n, sum(a[i] for i in ids) / n, sum(b[i] for i in ids) / n, observed, low, high, (extreme + 1) / (resamples + 1)


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    first, second = scores(argv[1]), scores(argv[2])
    methods = argv[3:] or [m for m in first if m in second]
    rng = random.Random(1)
    print("| method | n | A | B | B − A (95% CI) | p (sign-flip) |")
    print("|---|---:|---:|---:|---|---:|")
    for method in methods:
        if method not in first or method not in second:
            raise SystemExit(f"method {method!r} is not in both runs (A: {sorted(first)}, B: {sorted(second)})")
        n, mean_a, mean_b, delta, low, high, p = compare(first[method], second[method], rng)
        print(f"| {method} | {n} | {mean_a:.3f} | {mean_b:.3f} | {delta:+.3f} ({low:+.3f} to {high:+.3f}) | {p:.4f} |")


if __name__ == "__main__":
    main(sys.argv)
