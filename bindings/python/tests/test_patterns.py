import json
import pickle

import pytest

import xuncha
from conftest import RULES, SOURCE_DIR, run_cli


@pytest.fixture(scope="module")
def classified(engine, findings):
    return engine.classify_batch(findings, threads=2, with_finding=True)


def test_report_matches_cli(engine, classified, cli_classified):
    _, cli_report, _ = cli_classified
    acc = xuncha.PatternAccumulator(engine)
    for c in classified:
        acc.add(c)
    assert len(acc) == len(classified)
    report = acc.report()
    assert report["patterns"]
    assert report == cli_report


def test_merge_and_pickle_equal_one_pass(engine, classified):
    one = xuncha.PatternAccumulator(engine)
    one.add_many(classified)
    expected = one.report()

    shards = [classified[i::3] for i in range(3)]
    accs = []
    for shard in shards:
        a = xuncha.PatternAccumulator(engine)
        a.add_many(shard)
        accs.append(pickle.loads(pickle.dumps(a)))
    merged = accs[2]
    merged.merge(accs[0]).merge(accs[1])
    assert len(merged) == len(classified)
    assert merged.report() == expected
    assert merged.serialize() == one.serialize()


def test_consuming_merge_equals_copying_merge_and_empties_the_other(engine, classified):
    one = xuncha.PatternAccumulator(engine)
    one.add_many(classified)
    shards = [classified[i::4] for i in range(4)]

    def accs():
        out = []
        for shard in shards:
            a = xuncha.PatternAccumulator(engine)
            a.add_many(shard)
            out.append(a)
        return out

    copied, consumed = accs(), accs()
    total_copy = xuncha.PatternAccumulator(engine)
    total_move = xuncha.PatternAccumulator(engine)
    for a in copied:
        total_copy.merge(a)
    for a in reversed(consumed):
        total_move.merge(a, consume=True)
    assert total_copy.serialize() == total_move.serialize() == one.serialize()
    assert total_move.report() == one.report()
    # Copied shards keep their findings; consumed ones are left empty but usable.
    assert [len(a) for a in copied] == [len(s) for s in shards]
    assert [len(a) for a in consumed] == [0, 0, 0, 0]
    consumed[0].add_many(shards[0])
    assert len(consumed[0]) == len(shards[0])
    with pytest.raises(ValueError):
        total_move.merge(total_move, consume=True)


def test_bytes_json_and_dict_inputs_agree(engine, classified):
    a, b, c = (xuncha.PatternAccumulator(engine) for _ in range(3))
    for cf in classified:
        a.add(cf)
        b.add(json.dumps(cf, ensure_ascii=False))
        c.add(xuncha.encode("xuncha.v1.ClassifiedFinding", cf))
    assert a.serialize() == b.serialize() == c.serialize()


def test_defaults_and_mismatched_defs(engine, classified):
    default = xuncha.PatternAccumulator()
    default.add_many(classified)
    assert "patterns" in default.report()
    from_path = xuncha.PatternAccumulator(str(RULES))
    from_path.add_many(classified)
    with_engine = xuncha.PatternAccumulator(engine)
    with_engine.add_many(classified)
    assert from_path.report() == with_engine.report()
    if engine.pattern_defs():
        with pytest.raises(ValueError):
            default.merge(with_engine)
    with pytest.raises(ValueError):
        default.add({"finding": {"no_such_field": 1}})


def test_previous_round_finds_recurrence(engine, classified):
    earlier = [json.loads(line) for line in open(
        SOURCE_DIR / "data" / "sample" / "round-2024-2.jsonl", encoding="utf-8") if line.strip()]
    previous = engine.classify_batch(earlier, with_finding=True)
    acc = xuncha.PatternAccumulator(engine)
    acc.add_many(classified)
    plain = acc.report()
    report = acc.report(previous)
    kinds = [p.get("kind") for p in report.get("patterns", [])]
    assert report != plain
    assert any("RECUR" in str(k).upper() for k in kinds), kinds
