#!/usr/bin/python3
"""The engine scores a text model exactly as tools/train_text_model.py does.

Trains a model on the tuning corpus, writes a rule set whose rules conclude the
model's top label (one rule per label) and let the CLI classify findings whose
texts mix full-width and half-width digits and letters, punctuation, and words
no finding of the corpus has; the category of each finding must be the label the
trainer's own scoring puts on top, and the model's probability, read back by a
rule with a threshold, must agree with the trainer's to within rounding.

(shipped_models_check.py checks that the shipped models are what the trainer
makes of the shipped corpora.)

usage: text_model_check.py XUNCHA_CLI REPO_ROOT
"""

import json
import os
import subprocess
import sys
import tempfile

CLI, ROOT = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(ROOT, "tools"))
import train_text_model as T  # noqa: E402

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def train(paths, target, extra=()):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "train_text_model.py"),
                          "--target", target, *extra, *paths], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("trainer failed: " + out.stderr)
    return out.stdout


with tempfile.TemporaryDirectory(prefix="xuncha-model-") as tmp:
    tune = os.path.join(ROOT, "data", "labelled", "tune.jsonl")
    model_text = train([tune], "category", ["--name", "m", "--min-df", "2"])
    with open(os.path.join(tmp, "model.textproto"), "w", encoding="utf-8") as f:
        f.write(model_text)
    # The model as the engine will read it: parse the numbers back from the
    # file (rounded to three digits), not from the trainer's memory.
    model = T.read(model_text)
    labels = model.labels
    probs = model.probs

    rules = ['name: "model-check"', 'version: "1"', 'stage { name: "classify" }']
    for i, label in enumerate(labels):
        cat = "other" if label == "none" else label
        rules.append('rule { id: "top.%d" stage: "classify" category: "%s" when: \'model_label("m") == "%s"\' }'
                     % (i, cat, label))
        rules.append('rule { id: "sure.%d" stage: "classify" category: "%s" priority: 5 when: '
                     '\'model_label("m") == "%s" && model_prob("m") >= 0.6\' tags: "sure" }'
                     % (i, cat, label))
    with open(os.path.join(tmp, "rules.textproto"), "w", encoding="utf-8") as f:
        f.write("\n".join(rules) + "\n")

    texts = [
        "某公司２０２３年采购办公用品未进行询价，直接向熟人供应商购买，金额12.5万元。",
        "抽查１２个项目，均已按规定履行招标程序，未发现问题。",
        "ＡＢＣ公司党支部三会一课记录雷同，存在补记现象。",
        "职工反映：“领导的车周末常开回老家。”",
        "某公司向全体员工发放过节费，每人2000元。",
        "这段文字没有任何领域词语：天气晴朗，阳光明媚。",
        "某公司以“咨询费”名义向关联企业支付款项３８５０万元，未经集体决策。",
        "Ｘ",
        "",
    ]
    with open(os.path.join(tmp, "in.jsonl"), "w", encoding="utf-8") as f:
        for k, t in enumerate(texts):
            f.write(json.dumps({"id": "t%d" % k, "text": t}, ensure_ascii=False) + "\n")
    out = subprocess.run([CLI, "classify", "--rules", tmp,
                          os.path.join(tmp, "in.jsonl"), "-o", os.path.join(tmp, "out.jsonl")],
                         capture_output=True, text=True)
    check(out.returncode in (0, 1), "classify ran: " + out.stderr)
    got = {}
    if os.path.exists(os.path.join(tmp, "out.jsonl")):
        for line in open(os.path.join(tmp, "out.jsonl"), encoding="utf-8"):
            rec = json.loads(line)
            got[rec["finding"]["id"]] = rec["classification"]
    for k, t in enumerate(texts):
        p = probs(t)
        top = max(range(len(p)), key=lambda i: (p[i], -i))
        c = got.get("t%d" % k, {})
        want = "other" if labels[top] == "none" else labels[top]
        check(c.get("category") == want,
              "t%d %r: engine %r, trainer %r (p=%.3f)" % (k, t, c.get("category"), want, p[top]))
        sure = "sure" in c.get("tags", [])
        if abs(p[top] - 0.6) > 1e-3:  # away from the threshold, where rounding cannot matter
            check(sure == (p[top] >= 0.6),
                  "t%d %r: engine says p>=0.6 is %s, trainer p=%.4f" % (k, t, sure, p[top]))

    # --category: a model of one area's findings only, its name and options
    # recorded on its first line so the command can be replayed.
    want = 0
    natures = set()
    for line in open(tune, encoding="utf-8"):
        lab = json.loads(line)["label"]
        if lab.get("is_problem") and lab.get("category") == "bidding" and lab.get("nature"):
            want += 1
            natures.add(lab["nature"])
    text = train([tune], "nature", ["--name", "nature_bidding", "--category", "bidding"])
    head = text.split("\n", 1)[0]
    check(" --name nature_bidding --category bidding " in head, "--category recorded: " + head)
    check("trained on %d labelled findings" % want in text,
          "--category bidding trains on the %d bidding findings: %s" % (want, text.split("\n", 5)[4]))
    check(T.read(text).labels == sorted(natures), "--category: the labels of that area only")
    opts = T.argument_parser().parse_args(head.split("train_text_model.py ", 1)[1].split())
    check(len(T.load(opts.corpora, opts.target, opts.skip_id_prefix, opts.category)) == want,
          "the recorded command loads the same findings")

    # The trainer refuses the corpora that measure generalisation.
    out = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "train_text_model.py"),
                          os.path.join(ROOT, "data", "labelled", "heldout.jsonl")],
                         capture_output=True, text=True)
    check(out.returncode != 0 and "generalisation" in out.stderr, "trainer refuses heldout")

for f in failures:
    print("FAIL:", f)
print("text_model_check: %s (%d failures)" % ("OK" if not failures else "FAILED", len(failures)))
sys.exit(1 if failures else 0)
