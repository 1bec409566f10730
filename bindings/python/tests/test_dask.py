"""xuncha.dask on a real two-process LocalCluster (loopback): classifications
and the patterns report equal a single-process run on the same data."""

import glob
import json
import os

import pytest

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
import dask.bag as db  # noqa: E402

import xuncha  # noqa: E402
import xuncha.dask as xd  # noqa: E402
from conftest import RULES  # noqa: E402


@pytest.fixture(scope="module")
def client():
    # Worker processes import xuncha from PYTHONPATH (set by ctest).
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       dashboard_address=None, host="127.0.0.1",
                                       silence_logs=40)
    c = distributed.Client(cluster, timeout=60)
    try:
        yield c
    finally:
        c.close(timeout=30)
        cluster.close(timeout=30)


def test_classify_and_patterns_on_cluster(client, engine, findings):
    expected = engine.classify_batch(findings, threads=1, with_finding=True)
    acc = xuncha.PatternAccumulator(engine)
    acc.add_many(expected)
    expected_report = acc.report()

    bag = db.from_sequence(findings, npartitions=5)
    classified = xd.classify_bag(bag, RULES)
    got = client.compute(classified).result(timeout=180)
    assert got == expected
    # Both workers took part (two processes, each compiled the rules once).
    assert len(client.scheduler_info()["workers"]) == 2

    report = client.compute(xd.patterns_bag(classified, RULES)).result(timeout=180)
    assert report == expected_report
    # JSON strings in, default definitions.
    lines = db.from_sequence([json.dumps(c, ensure_ascii=False) for c in expected],
                             npartitions=3)
    default = xuncha.PatternAccumulator()
    default.add_many(expected)
    assert client.compute(xd.patterns_bag(lines)).result(timeout=180) == default.report()


def test_classify_shards_on_cluster(client, tmp_path, sample_lines, cli_classified):
    shards = tmp_path / "shards"
    shards.mkdir()
    # Three shards, the last with a blank line, in sorted name order.
    parts = [sample_lines[:100], sample_lines[100:250], sample_lines[250:]]
    for i, part in enumerate(parts):
        text = "\n".join(part) + "\n" + ("\n" if i == 2 else "")
        (shards / f"shard-{i}.jsonl").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    summary = xd.classify_shards(shards, RULES, out, client=client)
    assert summary["findings"] == len(sample_lines)
    assert summary["partitions"] == 3
    assert summary["classified"] + summary["unclassified"] == len(sample_lines)
    written = sorted(glob.glob(os.path.join(out, "part-*.jsonl")))
    assert written == summary["files"]
    lines = []
    for path in written:
        with open(path, encoding="utf-8") as f:
            lines += [line.rstrip("\n") for line in f]
    cli_lines, _, _ = cli_classified
    assert lines == cli_lines
    cli = [json.loads(line) for line in cli_lines]
    assert summary["classified"] == sum(1 for c in cli if c["classification"].get("classified"))


def test_engine_cache_recompiles_changed_rules(tmp_path):
    rules = tmp_path / "r.textproto"
    rules.write_text('name: "a" version: "1"\nrule { id: "r1" when: "true" category: "other" '
                     'subcategory: "work_style" }\n', encoding="utf-8")
    first = xd.cached_engine(rules)
    assert xd.cached_engine(str(rules)) is first
    rules.write_text('name: "a" version: "2"\nrule { id: "r1" when: "true" category: "other" '
                     'subcategory: "work_style" }\n', encoding="utf-8")
    os.utime(rules, ns=(1, 1))
    assert xd.cached_engine(rules).version == "2"


def test_no_shards(tmp_path):
    with pytest.raises(FileNotFoundError):
        xd.classify_shards(tmp_path, RULES, tmp_path / "out")


def test_example_cli_against_the_cluster(client, tmp_path, sample_lines, cli_classified):
    import subprocess
    import sys
    from conftest import SOURCE_DIR
    shards = tmp_path / "shards"
    shards.mkdir()
    (shards / "a.jsonl").write_text("\n".join(sample_lines[:200]) + "\n", encoding="utf-8")
    (shards / "b.jsonl").write_text("\n".join(sample_lines[200:]) + "\n", encoding="utf-8")
    example = SOURCE_DIR / "bindings" / "python" / "examples" / "classify_shards.py"
    out = subprocess.run([sys.executable, str(example), "--scheduler", client.scheduler.address,
                          "--rules", str(RULES), str(shards), str(tmp_path / "out"),
                          "--patterns", str(tmp_path / "p.json")],
                         capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["findings"] == len(sample_lines) and summary["partitions"] == 2
    cli_lines, cli_report, _ = cli_classified
    with open(tmp_path / "p.json", encoding="utf-8") as f:
        assert json.load(f) == cli_report
    bad = subprocess.run([sys.executable, str(example), "--rules", str(tmp_path / "none"),
                          str(shards), str(tmp_path / "o2"), "--workers", "1"],
                         capture_output=True, text=True, timeout=240)
    assert bad.returncode == 1
