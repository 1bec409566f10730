import json
import threading
import time

import pytest

import xuncha
from conftest import RULES, SOURCE_DIR, read_jsonl

DIAG_DIR = SOURCE_DIR / "tests" / "testdata" / "diagnostics"


def test_engine_properties(engine):
    assert engine.name == "default"
    assert engine.version
    assert engine.hash.startswith("sha256:") and len(engine.hash) == len("sha256:") + 64
    assert engine.rule_count > 100
    assert xuncha.compile([RULES]).hash == engine.hash
    assert "default" in repr(engine)


def test_rule_error_has_every_diagnostic():
    src = (DIAG_DIR / "categories.textproto").read_text(encoding="utf-8")
    expected = (DIAG_DIR / "categories.expected").read_text(encoding="utf-8")
    with pytest.raises(xuncha.RuleError) as info:
        xuncha.compile(source=src, name="categories.textproto")
    diags = info.value.diagnostics
    assert [d.severity for d in diags].count("error") == 11
    assert [d.code for d in diags].count("unknown-category") == 4
    first = diags[0]
    assert (first.path, first.line, first.column) == ("categories.textproto", 4, 13)
    assert first.code == "unknown-category" and first.rule_id == "c1"
    assert "biding" in first.message
    # str() holds every rendered diagnostic, exactly as the CLI's golden file.
    rendered = "".join(d.rendered.rstrip("\n") + "\n" for d in diags)
    assert rendered == expected
    for d in diags:
        assert d.rendered.rstrip("\n") in str(info.value)
    assert isinstance(info.value, Exception)
    assert first.to_dict()["line"] == 4


def test_rule_error_from_path_names_the_file():
    path = DIAG_DIR / "syntax_errors.textproto"
    with pytest.raises(xuncha.RuleError) as info:
        xuncha.compile(path)
    assert info.value.diagnostics
    assert all(d.path.endswith("syntax_errors.textproto") for d in info.value.diagnostics)
    assert all(d.line > 0 for d in info.value.diagnostics)


def test_missing_rules_path_is_oserror(tmp_path):
    with pytest.raises(OSError):
        xuncha.compile(tmp_path / "nope")
    with pytest.raises(ValueError):
        xuncha.compile()


def test_warnings_are_kept():
    src = '''name: "w" version: "1"
rule { id: "r1" when: "text.contains(\\"公车私用\\")" category: "payroll" subcategory: "welfare_irregular"
  secondary { category: "payroll" subcategory: "welfare_irregular" } }
'''
    e = xuncha.compile(source=src)
    assert [d.code for d in e.warnings] == ["duplicate-secondary"]
    with pytest.raises(xuncha.RuleError):
        xuncha.compile(source=src, warnings_as_errors=True)


def test_classify_dict_json_bytes_agree(engine, findings, sample_lines):
    for f, line in zip(findings[:40], sample_lines[:40]):
        a = engine.classify(f)
        assert a == engine.classify(line)
        data = xuncha.encode("xuncha.v1.Finding", f)
        assert engine.classify(data) == a
        assert xuncha.decode("xuncha.v1.Classification", engine.classify_bytes(data)) == a
        assert a["finding_id"] == f["id"]
        assert a["rule_set"]["hash"] == engine.hash
    assert any(engine.classify(f).get("classified") for f in findings)


def test_bad_input_is_valueerror(engine, findings):
    with pytest.raises(ValueError):
        engine.classify({"no_such_field": 1})
    with pytest.raises(ValueError):
        engine.classify(b"\xff\xff\xff")
    with pytest.raises(ValueError, match="record 1"):
        engine.classify_batch([findings[0], {"no_such_field": 1}])
    with pytest.raises(TypeError):
        engine.classify(42)


def test_batch_equals_one_by_one(engine, findings):
    one = [engine.classify(f) for f in findings]
    assert engine.classify_batch(findings, threads=1) == one
    assert engine.classify_batch(findings, threads=2) == one
    data = [xuncha.encode("xuncha.v1.Finding", f) for f in findings]
    out = engine.classify_batch_bytes(data, threads=2)
    assert [xuncha.decode("xuncha.v1.Classification", b) for b in out] == one
    assert engine.classify_batch([]) == []


def test_batch_with_finding_matches_cli(engine, sample_lines, cli_classified):
    lines, _, _ = cli_classified
    assert engine.classify_batch_json(sample_lines, threads=2, with_finding=True) == lines


def test_batches_in_two_python_threads(engine, findings):
    expected = engine.classify_batch(findings, threads=1)
    results = [None, None]

    def run(i):
        results[i] = engine.classify_batch(findings, threads=1)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert results == [expected, expected]


def test_batch_releases_the_gil(engine, sample_lines):
    # A Python thread keeps ticking while the C++ batch runs: it could not if
    # the GIL were held for the batch (C++ code never yields it).
    texts = sample_lines * 20
    ticks = []
    running = threading.Event()
    stop = threading.Event()

    def tick():
        running.set()
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    running.wait(5)
    start = time.monotonic()
    engine.classify_batch_json(texts, threads=1)
    end = time.monotonic()
    stop.set()
    t.join(5)
    duration = end - start
    inside = [x for x in ticks if start + 0.1 * duration < x < end - 0.1 * duration]
    assert duration > 0.05
    # Held GIL: at most a tick or two sneak in at the edges of the call.
    assert len(inside) >= 10, (duration, len(inside))


def test_explain(engine, findings):
    f = next(f for f in findings if engine.classify(f).get("classified"))
    c = engine.classify(f)
    rule = c.get("primary_rule_id")
    text = engine.explain(f)
    assert isinstance(text, str) and text
    if rule:
        assert rule in text
        assert rule in engine.explain(f, rule_id=rule)
    assert engine.explain(json.dumps(f, ensure_ascii=False)) == text
    with pytest.raises(KeyError):
        engine.explain(f, rule_id="no-such-rule")


def test_encode_decode_round_trip(findings):
    for f in findings[:10]:
        back = xuncha.decode("xuncha.v1.Finding", xuncha.encode("xuncha.v1.Finding", f))
        assert back["id"] == f["id"] and back["text"] == f["text"]
    with pytest.raises(ValueError):
        xuncha.encode("xuncha.v1.NoSuchMessage", {})


def test_first_bad_record_is_named(engine, findings):
    items = list(findings)
    items[300] = {"no_such_field": 1}
    items[5] = "{not json"
    with pytest.raises(ValueError, match=r"record 5\b"):
        engine.classify_batch(items, threads=2)


def test_unclassifiable_finding_is_kept_with_its_error(engine):
    f = {"id": "BIG-1", "text": "公车私用" * 40000}  # over max_text_bytes (256 KiB)
    c = engine.classify(f)
    assert c["finding_id"] == "BIG-1"
    assert not c.get("classified")
    assert c["errors"] and "limit" in c["errors"][0]["message"]
    assert engine.classify_batch([f], threads=1) == [c]
