#!/usr/bin/python3
"""Checks xuncha's bundled data: every line parses with protobuf, ids and labels are sound.

Each JSON Lines file under data/ is parsed with google.protobuf.json_format
against the message it holds (modules generated from proto/ with protoc into a
temporary directory; nothing is written to the tree). Beyond parsing it checks
unique ids, unit ids known to data/sample/units.jsonl, taxonomy ids (read from
src/base/taxonomy_data.cc), label consistency (DOMAIN.md §3), that truth and
label files refer to existing findings, and the labelled corpus' balance.

  tools/check_data.py [--protoc PATH]                     check everything
  tools/check_data.py --protoc PATH --file Finding x.jsonl  check one file
  tools/check_data.py --regenerated                       also regenerate into a
                                                           temp dir and compare bytes

Exit status 0 when all is well, 1 on any problem (each printed as
file:line: message), 2 on usage or setup errors.
"""

import argparse
import collections
import filecmp
import glob
import importlib
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

DISCIPLINES = {"political", "organizational", "integrity", "mass", "work", "life", "none"}
NATURES = {"general", "incipient", "tendency", "widespread", "concentrated", "lead"}
DISPOSITIONS = {"rectify_now", "rectify_by_deadline", "transfer_lead", "none"}
TARGETS = {"discipline", "organization"}
STATES = {"closed", "in_progress"}

# Which message each data file holds.
FILE_TYPES = [
    ("data/sample/units.jsonl", "Unit"),
    ("data/sample/round-2025-1.jsonl", "Finding"),
    ("data/sample/round-2024-2.jsonl", "Finding"),
    ("data/sample/unit-self-check.jsonl", "Finding"),
    ("data/labelled/tune.jsonl", "LabelledFinding"),
    ("data/labelled/heldout.jsonl", "LabelledFinding"),
    ("data/labelled/dev.jsonl", "LabelledFinding"),
    ("data/labelled/val.jsonl", "LabelledFinding"),
]


class Problems:
    def __init__(self):
        self.count = 0

    def __call__(self, path, lineno, msg):
        self.count += 1
        where = "%s:%d" % (os.path.relpath(path, ROOT) if path.startswith(ROOT) else path, lineno) \
            if lineno else os.path.relpath(path, ROOT)
        print("%s: %s" % (where, msg))


def load_taxonomy(path):
    """{category: {subcategory}} from the C++ table, the ids' single source."""
    text = open(path, encoding="utf-8").read()
    tax = {}
    current = None
    for line in text.splitlines():
        m = re.match(r'\s*\{"([a-z_]+)", "[^"]*", \{\s*$', line)
        if m:
            current = tax.setdefault(m.group(1), set())
            continue
        m = re.match(r'\s*\{"([a-z_]+)", "[^"]*"\},\s*$', line)
        if m and current is not None:
            current.add(m.group(1))
        if line.strip().startswith("}});") or line.strip() == "};":
            current = None
    if len(tax) != 14:
        raise SystemExit("check_data: could not read 14 categories from %s" % path)
    return tax


def generate_modules(protoc, proto_dir, out_dir):
    protos = sorted(glob.glob(os.path.join(proto_dir, "xuncha", "v1", "*.proto")))
    if not protos:
        raise SystemExit("check_data: no .proto files under %s" % proto_dir)
    cmd = [protoc, "--python_out=" + out_dir, "-I", proto_dir] + protos
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        raise SystemExit(2)
    # Regular packages, so that no other "xuncha" on sys.path (e.g. the Python
    # bindings) can take the import.
    for d in ("xuncha", os.path.join("xuncha", "v1")):
        open(os.path.join(out_dir, d, "__init__.py"), "w").close()
    sys.path.insert(0, out_dir)
    finding = importlib.import_module("xuncha.v1.finding_pb2")
    classification = importlib.import_module("xuncha.v1.classification_pb2")
    return {"Unit": finding.Unit, "Finding": finding.Finding,
            "LabelledFinding": classification.LabelledFinding}


def read_json_lines(path, problem):
    """Yields (lineno, raw line, object or None)."""
    with open(path, encoding="utf-8", newline="") as f:
        data = f.read()
    if data and not data.endswith("\n"):
        problem(path, data.count("\n") + 1, "last line lacks a newline")
    if "\r" in data:
        problem(path, 0, "CR characters (expected LF line ends)")
    lines = data.split("\n")[:-1] if data.endswith("\n") else data.split("\n")
    if data == "":
        lines = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            problem(path, lineno, "empty line")
            yield lineno, line, None
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            problem(path, lineno, "not JSON: %s" % e)
            yield lineno, line, None
            continue
        if not isinstance(obj, dict):
            problem(path, lineno, "not a JSON object")
            obj = None
        yield lineno, line, obj


def check_proto_file(path, msg_cls, problem, json_format):
    """Parses every line; returns {lineno: object} of those that parsed."""
    good = {}
    for lineno, line, obj in read_json_lines(path, problem):
        if obj is None:
            continue
        try:
            json_format.Parse(line, msg_cls())
        except json_format.ParseError as e:
            problem(path, lineno, "does not parse as %s: %s" % (msg_cls.DESCRIPTOR.name, e))
            continue
        good[lineno] = obj
    return good


def check_finding(path, lineno, f, problem, units, ids):
    fid = f.get("id", "")
    if not fid:
        problem(path, lineno, "finding without id")
    elif fid in ids:
        problem(path, lineno, "duplicate finding id %s" % fid)
    ids.add(fid)
    if not f.get("text", "").strip():
        problem(path, lineno, "finding %s without text" % fid)
    unit = f.get("unit", {})
    if units is not None:
        uid = unit.get("id", "")
        if uid not in units:
            problem(path, lineno, "unknown unit id %r" % uid)
        elif units[uid] != unit:
            problem(path, lineno, "unit %s differs from units.jsonl" % uid)
    for key in ("found_on", "occurred_on"):
        v = f.get(key)
        if v is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", v):
            problem(path, lineno, "%s %r is not an ISO date" % (key, v))
    if f.get("source", "SOURCE_KIND_UNSPECIFIED") == "SOURCE_KIND_UNSPECIFIED":
        problem(path, lineno, "finding %s has no source" % fid)
    amount = f.get("amount")
    if amount is not None and int(amount.get("fen", "0")) <= 0:
        problem(path, lineno, "finding %s: amount must be positive" % fid)


def check_label(path, lineno, lab, problem, tax):
    cat, sub = lab.get("category", ""), lab.get("subcategory", "")
    if cat or sub:
        if cat not in tax:
            problem(path, lineno, "unknown category %r" % cat)
        elif sub not in tax[cat]:
            problem(path, lineno, "unknown subcategory %r of %s" % (sub, cat))
    for s in lab.get("secondary", []):
        c, sc = s.get("category", ""), s.get("subcategory", "")
        if c not in tax or sc not in tax[c]:
            problem(path, lineno, "unknown secondary %s/%s" % (c, sc))
        if (c, sc) == (cat, sub):
            problem(path, lineno, "secondary repeats the primary %s/%s" % (c, sc))
    disc = lab.get("discipline", "")
    if disc not in DISCIPLINES:
        problem(path, lineno, "unknown discipline %r" % disc)
    disp = lab.get("disposition", "")
    if disp not in DISPOSITIONS:
        problem(path, lineno, "unknown disposition %r" % disp)
    nature = lab.get("nature", "")
    if lab.get("is_problem", False):
        if not cat:
            problem(path, lineno, "a problem needs a category")
        if nature not in NATURES:
            problem(path, lineno, "unknown nature %r" % nature)
        if disp == "none":
            problem(path, lineno, "a problem needs a disposition other than none")
        if (nature == "lead") != (disp == "transfer_lead"):
            problem(path, lineno, "nature lead goes with disposition transfer_lead only")
        if disp == "transfer_lead" and lab.get("transfer_target") not in TARGETS:
            problem(path, lineno, "transfer_lead needs transfer_target")
    else:
        if disp != "none" or disc != "none" or nature:
            problem(path, lineno, "a non-problem has discipline none, disposition none, no nature")
        if lab.get("secondary"):
            problem(path, lineno, "a non-problem has no secondary categories")
    if disp != "transfer_lead" and lab.get("transfer_target"):
        problem(path, lineno, "transfer_target without transfer_lead")


def check_all(args, problem):
    from google.protobuf import json_format  # python3-protobuf
    tax = load_taxonomy(os.path.join(ROOT, "src", "base", "taxonomy_data.cc"))
    with tempfile.TemporaryDirectory(prefix="xuncha-check-") as tmp:
        classes = generate_modules(args.protoc, os.path.join(ROOT, "proto"), tmp)
        if args.file:
            kind, path = args.file
            if kind not in classes:
                raise SystemExit("check_data: --file kind must be one of %s" % sorted(classes))
            good = check_proto_file(path, classes[kind], problem, json_format)
            ids = set()
            for lineno, obj in sorted(good.items()):
                if kind == "Finding":
                    check_finding(path, lineno, obj, problem, None, ids)
                elif kind == "LabelledFinding":
                    check_finding(path, lineno, obj.get("finding", {}), problem, None, ids)
                    check_label(path, lineno, obj.get("label", {}), problem, tax)
            return

        parsed = {}
        for rel, kind in FILE_TYPES:
            path = os.path.join(ROOT, rel)
            if not os.path.exists(path):
                problem(path, 0, "missing")
                continue
            parsed[rel] = check_proto_file(path, classes[kind], problem, json_format)

    units = {}
    for lineno, u in sorted(parsed.get("data/sample/units.jsonl", {}).items()):
        if u.get("id") in units:
            problem(os.path.join(ROOT, "data/sample/units.jsonl"), lineno, "duplicate unit id")
        units[u.get("id")] = u

    findings = {}
    for rel in ("data/sample/round-2025-1.jsonl", "data/sample/round-2024-2.jsonl",
                "data/sample/unit-self-check.jsonl"):
        path = os.path.join(ROOT, rel)
        ids = set()
        for lineno, f in sorted(parsed.get(rel, {}).items()):
            check_finding(path, lineno, f, problem, units, ids)
        findings[rel] = {f["id"]: f for f in parsed.get(rel, {}).values() if "id" in f}

    all_ids = set()
    for rel in ("data/labelled/tune.jsonl", "data/labelled/heldout.jsonl",
                "data/labelled/dev.jsonl", "data/labelled/val.jsonl"):
        path = os.path.join(ROOT, rel)
        for lineno, lf in sorted(parsed.get(rel, {}).items()):
            check_finding(path, lineno, lf.get("finding", {}), problem, None, all_ids)
            if "label" not in lf:
                problem(path, lineno, "no label")
            check_label(path, lineno, lf.get("label", {}), problem, tax)
    check_corpus_balance(parsed, problem)

    # Plain-JSON companions.
    cur = findings.get("data/sample/round-2025-1.jsonl", {})
    prev = findings.get("data/sample/round-2024-2.jsonl", {})
    selfc = findings.get("data/sample/unit-self-check.jsonl", {})
    path = os.path.join(ROOT, "data/sample/round-2025-1.truth.jsonl")
    seen = set()
    for lineno, _, t in read_json_lines(path, problem):
        if t is None:
            continue
        fid = t.get("finding_id")
        if fid not in cur:
            problem(path, lineno, "unknown finding_id %r" % fid)
        seen.add(fid)
        check_label(path, lineno, t, problem, tax)
        for p in t.get("patterns", []):
            if p.startswith("recurrence:") and p.split(":", 1)[1] not in prev:
                problem(path, lineno, "recurrence refers to unknown %s" % p)
    if seen != set(cur):
        problem(path, 0, "truth does not cover round-2025-1 exactly")
    path = os.path.join(ROOT, "data/sample/round-2024-2.labels.jsonl")
    seen = set()
    for lineno, _, t in read_json_lines(path, problem):
        if t is None:
            continue
        if set(t) != {"finding_id", "category", "subcategory", "state"}:
            problem(path, lineno, "keys must be finding_id, category, subcategory, state")
        if t.get("finding_id") not in prev:
            problem(path, lineno, "unknown finding_id %r" % t.get("finding_id"))
        if t.get("category") not in tax or t.get("subcategory") not in tax[t.get("category")]:
            problem(path, lineno, "unknown category/subcategory")
        if t.get("state") not in STATES:
            problem(path, lineno, "state must be closed or in_progress")
        seen.add(t.get("finding_id"))
    if seen != set(prev):
        problem(path, 0, "labels do not cover round-2024-2 exactly")
    path = os.path.join(ROOT, "data/sample/reconcile-truth.jsonl")
    used = collections.Counter()
    for lineno, _, t in read_json_lines(path, problem):
        if t is None:
            continue
        if t.get("inspector_id") not in cur:
            problem(path, lineno, "unknown inspector_id %r" % t.get("inspector_id"))
        if t.get("unit_id") not in selfc:
            problem(path, lineno, "unknown unit_id %r" % t.get("unit_id"))
        elif t.get("inspector_id") in cur and \
                cur[t["inspector_id"]]["unit"]["id"] != selfc[t["unit_id"]]["unit"]["id"]:
            problem(path, lineno, "pair of findings of different units")
        used[t.get("inspector_id")] += 1
        used[t.get("unit_id")] += 1
    for k, n in used.items():
        if n > 1:
            problem(path, 0, "%s aligned more than once" % k)


def check_corpus_balance(parsed, problem):
    tune = [lf.get("label", {}) for lf in parsed.get("data/labelled/tune.jsonl", {}).values()]
    held = [lf.get("label", {}) for lf in parsed.get("data/labelled/heldout.jsonl", {}).values()]
    path = os.path.join(ROOT, "data/labelled")
    total = len(tune) + len(held)
    if total < 640:
        problem(path, 0, "labelled corpus has %d items, want >= 640" % total)
    if total and len(held) < 0.25 * total:
        problem(path, 0, "heldout is %d of %d, want >= 25%%" % (len(held), total))
    negs = sum(1 for l in tune + held if not l.get("is_problem"))
    if total and negs < 0.08 * total:
        problem(path, 0, "%d negations of %d, want >= 8%%" % (negs, total))
    for name, labels, need in (("tune", tune, 20), ("heldout", held, 6)):
        c = collections.Counter(l.get("category") for l in labels if l.get("is_problem"))
        for cat in ("bidding", "project_mgmt", "procurement", "payroll", "eight_point",
                    "one_post_two_resp", "personnel", "political_leadership", "party_building",
                    "finance", "assets", "integrity", "rectification", "other"):
            if c[cat] < need:
                problem(path, 0, "%s has %d %s items, want >= %d" % (name, c[cat], cat, need))
    # The split is by phrasing: no text may appear in both files.
    t_texts = {lf["finding"]["text"] for lf in parsed.get("data/labelled/tune.jsonl", {}).values()}
    for lf in parsed.get("data/labelled/heldout.jsonl", {}).values():
        if lf["finding"]["text"] in t_texts:
            problem(path, 0, "text in both tune and heldout: %s" % lf["finding"]["text"])
    # The dev corpus brings phrasings of its own: none of its texts is in either.
    h_texts = {lf["finding"]["text"] for lf in parsed.get("data/labelled/heldout.jsonl", {}).values()}
    for lf in parsed.get("data/labelled/dev.jsonl", {}).values():
        if lf["finding"]["text"] in t_texts or lf["finding"]["text"] in h_texts:
            problem(path, 0, "dev text also in tune or heldout: %s" % lf["finding"]["text"])
    # The validation corpus is fresh too: none of its texts is in tune, heldout or dev.
    d_texts = {lf["finding"]["text"] for lf in parsed.get("data/labelled/dev.jsonl", {}).values()}
    for lf in parsed.get("data/labelled/val.jsonl", {}).values():
        text = lf["finding"]["text"]
        if text in t_texts or text in h_texts or text in d_texts:
            problem(path, 0, "val text also in tune, heldout or dev: %s" % text)


def check_regenerated(problem):
    with tempfile.TemporaryDirectory(prefix="xuncha-regen-") as tmp:
        r = subprocess.run([sys.executable, os.path.join(HERE, "gen_data.py"), "--out", tmp],
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.stderr.write(r.stderr)
            problem(os.path.join(HERE, "gen_data.py"), 0, "generator failed")
            return
        for f in sorted(glob.glob(os.path.join(tmp, "data", "*", "*.jsonl"))):
            rel = os.path.relpath(f, tmp)
            mine = os.path.join(ROOT, rel)
            if not os.path.exists(mine):
                problem(mine, 0, "generated but not committed")
            elif not filecmp.cmp(f, mine, shallow=False):
                problem(mine, 0, "differs from tools/gen_data.py output (regenerate and commit)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--protoc", default="protoc", help="the protoc to generate Python modules with")
    ap.add_argument("--file", nargs=2, metavar=("MESSAGE", "PATH"),
                    help="check only PATH, whose lines are MESSAGE (Finding, Unit, LabelledFinding)")
    ap.add_argument("--regenerated", action="store_true",
                    help="also check that tools/gen_data.py reproduces data/ byte for byte")
    args = ap.parse_args()
    problem = Problems()
    check_all(args, problem)
    if args.regenerated and not args.file:
        check_regenerated(problem)
    if problem.count:
        print("check_data: %d problem(s)" % problem.count)
        return 1
    print("check_data: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
