"""Batch classification and pattern detection on Dask.

    import dask.bag as db
    from xuncha.dask import classify_bag, patterns_bag, classify_shards

    findings = db.read_text("shards/*.jsonl").map(json.loads)
    classified = classify_bag(findings, "rules/default")     # ClassifiedFinding dicts
    report = patterns_bag(classified, "rules/default").compute()

    summary = classify_shards("shards/", "rules/default", "out/", client=client)

Design notes.
* Rules travel as paths, never as compiled engines (an Engine does not
  pickle). Each worker process compiles a rule set once and keeps it in a
  per-process cache keyed by the resolved paths and every rule file's size
  and mtime, so edited rules are recompiled and unchanged ones are not.
* A partition is classified with one ``classify_batch`` call (threads=1:
  Dask already runs one task per worker thread), so the GIL is released for
  the whole partition.
* Patterns: each partition fills a PatternAccumulator; accumulators travel
  pickled (their canonical serialized state) and are merged in the
  aggregate step of ``Bag.reduction``. Merging is associative and
  commutative, so the report equals a single-process run's.
"""

from __future__ import annotations

import glob as _glob
import json
import os
import threading
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import dask
import dask.bag as db

import xuncha

__all__ = ["classify_bag", "classify_shards", "patterns_bag", "cached_engine"]

Rules = Union[str, os.PathLike, Sequence[Union[str, os.PathLike]]]

_cache_lock = threading.Lock()
_cache: Dict[Tuple, "xuncha.Engine"] = {}


def _rule_paths(rules: Rules) -> List[str]:
    if isinstance(rules, (str, os.PathLike)):
        return [os.path.abspath(os.fspath(rules))]
    return [os.path.abspath(os.fspath(r)) for r in rules]


def _fingerprint(paths: Sequence[str]) -> Tuple:
    files = []
    for p in paths:
        if os.path.isdir(p):
            names = sorted(os.path.join(p, n) for n in os.listdir(p) if n.endswith(".textproto"))
        else:
            names = [p]
        for n in names:
            st = os.stat(n)
            files.append((n, st.st_size, st.st_mtime_ns))
    return tuple(paths), tuple(files)


def cached_engine(rules: Rules) -> "xuncha.Engine":
    """The engine for ``rules`` in this process, compiled on first use and
    again whenever a rule file's size or mtime changes. Raises
    xuncha.RuleError like :func:`xuncha.compile`."""
    paths = _rule_paths(rules)
    key = _fingerprint(paths)
    with _cache_lock:
        engine = _cache.get(key)
        if engine is None:
            engine = xuncha.compile(paths)
            # Drop stale versions of the same paths.
            for old in [k for k in _cache if k[0] == key[0]]:
                del _cache[old]
            _cache[key] = engine
        return engine


def _as_json(item: Any) -> str:
    if isinstance(item, str):
        return item
    return json.dumps(item, ensure_ascii=False)


def _classify_partition(items: Iterable[Any], rules: Rules) -> List[dict]:
    engine = cached_engine(rules)
    texts = [_as_json(i) for i in items]
    return [json.loads(t) for t in
            engine.classify_batch_json(texts, threads=1, with_finding=True)]


def classify_bag(bag: db.Bag, rules: Rules) -> db.Bag:
    """A bag of ClassifiedFinding dicts (``{"finding": …, "classification":
    …}``, as ``xuncha classify`` writes them), one per finding of ``bag``, in
    the same order. ``bag`` holds Finding dicts or JSON strings; ``rules`` a
    rules path or list of paths, readable on every worker."""
    rules = _rule_paths(rules)
    cached_engine(rules)  # fail early, in the client, on bad rules
    return bag.map_partitions(_classify_partition, rules)


# --- Shards ------------------------------------------------------------------

def _shard_files(directory_or_glob: Union[str, os.PathLike]) -> List[str]:
    spec = os.fspath(directory_or_glob)
    if os.path.isdir(spec):
        files = sorted(_glob.glob(os.path.join(spec, "*.jsonl")))
    else:
        files = sorted(_glob.glob(spec))
    if not files:
        raise FileNotFoundError(f"no JSONL shards in {spec}")
    return [os.path.abspath(f) for f in files]


def _classify_lines(lines: Iterable[str], rules: Rules) -> Tuple[str, Dict[str, int]]:
    engine = cached_engine(rules)
    texts = [line for line in (l.strip() for l in lines) if line]
    out = engine.classify_batch_json(texts, threads=1, with_finding=True)
    counts = {"findings": len(out), "classified": 0, "unclassified": 0, "failed": 0}
    for text in out:
        c = json.loads(text)["classification"]
        if c.get("classified"):
            counts["classified"] += 1
        else:
            counts["unclassified"] += 1
        # A finding that could not be classified at all carries an error
        # that names no rule (rule condition errors name theirs).
        if any(not e.get("rule_id") for e in c.get("errors", [])):
            counts["failed"] += 1
    # One element per partition, so an empty partition writes an empty file.
    return "".join(t + "\n" for t in out), counts


def classify_shards(directory_or_glob: Union[str, os.PathLike], rules: Rules,
                    output_dir: Union[str, os.PathLike], client=None,
                    blocksize: Optional[int] = None) -> Dict[str, Any]:
    """Classifies JSONL shards (a directory of ``*.jsonl`` or a glob) and
    writes ClassifiedFinding JSON Lines, one file per partition
    (``part-00000.jsonl`` …, in shard order), into ``output_dir``.

    Runs on ``client`` (a distributed.Client) when given, else on Dask's
    current scheduler. Returns ``{"findings", "classified", "unclassified",
    "failed", "partitions", "files": [written paths]}``. Raises
    FileNotFoundError when there are no shards, xuncha.RuleError on bad
    rules, ValueError naming the record when a line is not a Finding."""
    files = _shard_files(directory_or_glob)
    rules = _rule_paths(rules)
    cached_engine(rules)
    out_dir = os.path.abspath(os.fspath(output_dir))
    os.makedirs(out_dir, exist_ok=True)

    lines = db.read_text(files, blocksize=blocksize, encoding="utf-8")
    results = lines.map_partitions(lambda part: [_classify_lines(part, rules)])
    texts = results.map(lambda r: r[0])
    counts = results.map(lambda r: r[1])
    written = texts.to_textfiles(os.path.join(out_dir, "part-*.jsonl"),
                                 name_function=lambda i: f"{i:05d}", encoding="utf-8",
                                 compute=False)
    # One compute: the classification runs once for both the files and
    # the counts.
    if client is not None:
        futures = client.compute([written, counts])
        _, per_partition = client.gather(futures)
    else:
        _, per_partition = dask.compute(written, counts)
    summary: Dict[str, Any] = {"findings": 0, "classified": 0, "unclassified": 0, "failed": 0}
    for c in per_partition:
        for k in summary:
            summary[k] += c[k]
    summary["partitions"] = len(per_partition)
    summary["files"] = [os.path.join(out_dir, f"part-{i:05d}.jsonl")
                        for i in range(len(per_partition))]
    return summary


# --- Patterns -------------------------------------------------------------------

def _defs_spec(defs) -> Tuple[Optional[List[bytes]], Optional[dict]]:
    """Picklable pattern definitions: (serialized defs or None for the
    defaults, the rule set they come from or None)."""
    if defs is None:
        return None, None
    if isinstance(defs, (str, os.PathLike)) or (
            isinstance(defs, (list, tuple)) and defs and isinstance(defs[0], (str, os.PathLike))):
        defs = cached_engine(defs)
    if isinstance(defs, xuncha.Engine):
        return defs.pattern_defs(), {"name": defs.name, "version": defs.version,
                                     "hash": defs.hash}
    return [bytes(d) for d in defs], None


def _new_accumulator(spec) -> "xuncha.PatternAccumulator":
    acc = xuncha.PatternAccumulator(spec[0])
    acc._rule_set = spec[1]
    return acc


def _accumulate(items: Iterable[Any], spec) -> "xuncha.PatternAccumulator":
    acc = _new_accumulator(spec)
    acc.add_many(items)
    return acc


def _merge(accs: Iterable["xuncha.PatternAccumulator"], spec) -> "xuncha.PatternAccumulator":
    # Also the inner step of Dask's tree reduction: returns an accumulator.
    # The partial accumulators are Dask's temporaries (unpickled copies or
    # results of the step below), so they are consumed, not copied.
    total = _new_accumulator(spec)
    for a in accs:
        total.merge(a, consume=True)
    return total


def patterns_bag(classified_bag: db.Bag, defs=None, previous: Optional[List[Any]] = None):
    """The cross-unit pattern report of a bag of classified findings (dicts
    or JSON strings), as a Dask delayed-like Item: call ``.compute()`` for the
    PatternReport dict. ``defs`` is None (defaults), a rules path, an Engine
    or serialized PatternDefs; ``previous`` earlier-round classified
    findings for recurrence."""
    d = _defs_spec(defs)
    prev = list(previous) if previous is not None else None
    merged = classified_bag.reduction(lambda part: _accumulate(part, d),
                                      lambda accs: _merge(accs, d))
    return merged.apply(lambda acc: acc.report(prev))
