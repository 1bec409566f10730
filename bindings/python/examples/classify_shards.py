#!/usr/bin/env python3
"""Classify JSONL shards of findings on a Dask cluster.

    python3 classify_shards.py --scheduler tcp://10.0.0.5:8786 \\
        --rules rules/default shards/ out/ [--patterns patterns.json]

Without --scheduler a local cluster of --workers processes is started (and
stopped) on loopback. Writes out/part-00000.jsonl … (xuncha.v1.ClassifiedFinding
JSON Lines, in shard order) and prints the counts; with --patterns also the
cross-unit pattern report of the whole round. The rules path must be readable
on every worker. Exit 0 on success, 1 on failure (bad rules, no shards), 2 on
bad usage.
"""

import argparse
import json
import sys

import dask.bag as db
import distributed

import xuncha
import xuncha.dask as xd


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("shards", help="directory of *.jsonl shards, or a glob")
    p.add_argument("output_dir", help="directory for part-*.jsonl")
    p.add_argument("--rules", required=True, action="append",
                   help="rule file or directory (repeatable)")
    p.add_argument("--scheduler", help="scheduler address, e.g. tcp://host:8786")
    p.add_argument("--workers", type=int, default=2, help="local workers without --scheduler")
    p.add_argument("--patterns", help="also write the pattern report (JSON) here")
    args = p.parse_args(argv)

    cluster = None
    try:
        if args.scheduler:
            client = distributed.Client(args.scheduler, timeout=60)
        else:
            cluster = distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                               processes=True, dashboard_address=None,
                                               host="127.0.0.1")
            client = distributed.Client(cluster)
        with client:
            summary = xd.classify_shards(args.shards, args.rules, args.output_dir,
                                         client=client)
            if args.patterns:
                classified = db.read_text(summary["files"]).filter(str.strip)
                report = client.compute(xd.patterns_bag(classified, args.rules)).result()
                with open(args.patterns, "w", encoding="utf-8") as f:
                    json.dump(report, f, ensure_ascii=False, indent=2)
                    f.write("\n")
                summary["patterns"] = len(report.get("patterns", []))
    except xuncha.RuleError as e:
        print(e, file=sys.stderr)
        return 1
    except (OSError, ValueError) as e:
        print(f"classify_shards: {e}", file=sys.stderr)
        return 1
    finally:
        if cluster is not None:
            cluster.close()
    summary.pop("files")
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
