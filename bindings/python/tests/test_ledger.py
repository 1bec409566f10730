import pytest

import xuncha
from conftest import read_jsonl, run_cli


def test_read_ledger_after_cli_import(tmp_path, cli_classified):
    _, _, classified_path = cli_classified
    db = tmp_path / "round.ledger"
    out = run_cli("ledger", "import", classified_path, "--db", db,
                  "--now", "2025-05-01T09:00:00Z")
    entries = xuncha.read_ledger(db)
    classified = read_jsonl(classified_path)
    problems = [c for c in classified if c["classification"].get("classified")
                and c["classification"].get("disposition") not in (None, "", "none")]
    assert len(entries) == len(problems) > 0
    assert [e["id"] for e in entries] == [c["finding"]["id"] for c in problems]
    assert f"imported: {len(entries)}".encode() in out.stdout
    assert all(e.get("state") == "draft" for e in entries)
    assert all(e.get("history") for e in entries)
    bare = xuncha.read_ledger(db, with_history=False)
    assert [e["id"] for e in bare] == [e["id"] for e in entries]
    assert not any(e.get("history") for e in bare)


def test_read_ledger_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        xuncha.read_ledger(tmp_path / "missing.ledger")
    assert not (tmp_path / "missing.ledger").exists()
