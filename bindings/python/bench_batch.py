#!/usr/bin/env python3
"""Batch classification from Python vs the C++ CLI on the same workload.

    PYTHONPATH=build/python python3 bindings/python/bench_batch.py \\
        --cli build/xuncha [--threads 2] [--findings 20000] [--repeat 3]

The sample round (data/sample/round-2025-1.jsonl) is replicated, with unique
ids, to at least --findings findings. Measured (best of --repeat):
  cli          `xuncha classify --threads N in.jsonl -o out.jsonl`, wall
               time minus the CLI's fixed cost (start-up + compiling the
               rules, measured on a one-finding input), so both sides
               count reading, classifying and writing JSON only;
  py dict      Engine.classify_batch: dicts in, dicts out (json.dumps /
               json.loads in Python around the C++ batch);
  py json      Engine.classify_batch_json: JSON lines in, JSON lines out,
               ClassifiedFinding as the CLI writes (with_finding=True);
  py bytes     Engine.classify_batch_bytes: serialized in and out.
Prints findings/s of each and the ratio to the CLI (target >= 0.8).
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
# This script sits beside the package sources, which lack the built _xuncha:
# import the built package from PYTHONPATH instead.
sys.path = [p for p in sys.path if pathlib.Path(p or ".").resolve() != HERE]

import xuncha  # noqa: E402

SOURCE = HERE.parents[1]


def best_of(n, fn):
    best = float("inf")
    for _ in range(n):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cli", default=str(SOURCE / "build" / "xuncha"))
    p.add_argument("--rules", default=str(SOURCE / "rules" / "default"))
    p.add_argument("--sample", default=str(SOURCE / "data" / "sample" / "round-2025-1.jsonl"))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--findings", type=int, default=20000)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()

    with open(args.sample, encoding="utf-8") as f:
        base = [json.loads(line) for line in f if line.strip()]
    findings = []
    k = 0
    while len(findings) < args.findings:
        for b in base:
            f = dict(b)
            f["id"] = f"{b['id']}-r{k}"
            findings.append(f)
        k += 1
    lines = [json.dumps(f, ensure_ascii=False) for f in findings]
    n = len(findings)

    engine = xuncha.compile(args.rules)
    results = {}
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "in.jsonl")
        one = os.path.join(d, "one.jsonl")
        with open(src, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        with open(one, "w", encoding="utf-8") as f:
            f.write(lines[0] + "\n")

        def cli(path):
            subprocess.run([args.cli, "classify", "--rules", args.rules, path, "-o",
                            os.path.join(d, "out.jsonl"), "--threads", str(args.threads)],
                           check=True, capture_output=True)

        fixed = best_of(args.repeat, lambda: cli(one))
        total = best_of(args.repeat, lambda: cli(src))
        results["cli"] = total - fixed
        with open(os.path.join(d, "out.jsonl"), encoding="utf-8") as f:
            cli_lines = [line.rstrip("\n") for line in f]

    results["py dict"] = best_of(args.repeat, lambda: engine.classify_batch(
        findings, threads=args.threads))
    py_lines = []
    results["py json"] = best_of(args.repeat, lambda: py_lines.__setitem__(
        slice(None), engine.classify_batch_json(lines, threads=args.threads,
                                                with_finding=True)))
    data = [xuncha.encode("xuncha.v1.Finding", f) for f in findings]
    results["py bytes"] = best_of(args.repeat, lambda: engine.classify_batch_bytes(
        data, threads=args.threads))
    if py_lines != cli_lines:
        print("MISMATCH: classify_batch_json output differs from the CLI's", file=sys.stderr)
        return 1

    print(f"{n} findings, {args.threads} thread(s), rules {engine.name} {engine.version} "
          f"({engine.rule_count} rules); best of {args.repeat}; CLI fixed cost "
          f"{fixed * 1000:.0f} ms subtracted (total {total:.3f} s)")
    cli_rate = n / results["cli"]
    for name, secs in results.items():
        rate = n / secs
        print(f"  {name:9s} {secs:7.3f} s  {rate:10.0f} findings/s  ratio {rate / cli_rate:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
