"""Shared fixtures: the source tree, the built CLI, the shipped rules and the
sample round. Run by ctest (`pytest`) with PYTHONPATH=<build>/python,
XUNCHA_SOURCE_DIR and XUNCHA_CLI set; by hand the defaults below apply."""

import json
import os
import pathlib
import subprocess

import pytest

import xuncha

SOURCE_DIR = pathlib.Path(os.environ.get("XUNCHA_SOURCE_DIR")
                          or pathlib.Path(__file__).resolve().parents[3])
CLI = pathlib.Path(os.environ.get("XUNCHA_CLI") or SOURCE_DIR / "build" / "xuncha")
RULES = SOURCE_DIR / "rules" / "default"
SAMPLE = SOURCE_DIR / "data" / "sample" / "round-2025-1.jsonl"


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run_cli(*args):
    if not CLI.exists():
        pytest.skip(f"CLI not built at {CLI}")
    return subprocess.run([str(CLI), *map(str, args)], check=True, capture_output=True,
                          timeout=300)


@pytest.fixture(scope="session")
def engine():
    return xuncha.compile(RULES)


@pytest.fixture(scope="session")
def sample_lines():
    with open(SAMPLE, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


@pytest.fixture(scope="session")
def findings(sample_lines):
    return [json.loads(line) for line in sample_lines]


@pytest.fixture(scope="session")
def cli_classified(tmp_path_factory):
    """`xuncha classify` of the sample: (output lines, patterns report)."""
    d = tmp_path_factory.mktemp("cli")
    out, patterns = d / "classified.jsonl", d / "patterns.json"
    run_cli("classify", "--rules", RULES, SAMPLE, "-o", out, "--patterns", patterns)
    with open(out, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip()]
    with open(patterns, encoding="utf-8") as f:
        report = json.load(f)
    return lines, report, out
