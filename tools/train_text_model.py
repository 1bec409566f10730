#!/usr/bin/python3
"""Train the text models of a rule set from labelled findings.

A text model (`model { ... }` in a rule file, `TextModel` in rules.proto) is a
linear classifier over the character n-grams of a finding's text: the engine
folds full-width ASCII to half-width, replaces every run of ASCII digits by
one `0`, takes the set of distinct n-grams (min_n..max_n code points) and
scores each label as bias + for each gram of the model present, feature_bias
and the gram's weights; rules read the
top label and its softmax probability (`model_label("category")`,
`model_prob("category", "procurement")`).

This script fits a naive Bayes over the grams present (binary presence, additive
smoothing --alpha), keeping the grams seen in at least --min-df findings, in a
sparse form: bias(l) = log P(l); feature_bias(l) = log(alpha / (N_l + 2 alpha)),
added for every gram of the model present; weight(g, l) = log((n_gl + alpha) /
alpha), only for the labels g occurred with.

With --method nb+lr (what the shipped models use) it also fits a multinomial
logistic regression over the same grams (L2 penalty --l2, L-BFGS, at most
--lr-iter iterations, from zero) and adds it to the naive Bayes scaled by the
naive Bayes's own temperature: both are linear in the grams present, so the
sum is one model of the same form (weights under --prune dropped). On fresh
phrasings the sum beat either alone (category macro-F1, leave-one-round-out:
naive Bayes 0.884 / 0.794, regression 0.870 / 0.825, sum 0.904 / 0.838; val
0.911 / 0.930 / 0.946).

Either way it then divides everything by a temperature fitted on a split of
the training data (train on all but every --calib-every-th finding, pick the
temperature that minimises the log-loss on those), so that probabilities mean
roughly what they say.

Models (--target):
  category     the finding's category, "none" for statements of compliance
               and cleared allegations
  subcategory  "category/subcategory" of the problems only
  nature       general / incipient / tendency / widespread / lead, problems only

--category C keeps only the findings labelled category C: a model of one area,
which rules ask once the category is known (the shipped nature_<category>
models: in an area of its own a model weighs the words that separate a slip
from a habit there, not across all areas).

Usage:
  /usr/bin/python3 tools/train_text_model.py --target category \\
      data/labelled/tune.jsonl data/labelled/dev.jsonl > rules/default/model_category.textproto

Never train on data/labelled/heldout.jsonl or data/labelled/val.jsonl: they
measure how well the rules (and models) generalise.
"""

import argparse
import json
import math
import re
import sys
from collections import Counter, defaultdict

DIGITS = re.compile(r"[0-9]+")
FORBIDDEN = ("heldout.jsonl", "val.jsonl")


def normalize(text):
    """The engine's normalization: full-width ASCII to half-width, U+3000 to a
    space, every run of ASCII digits to one `0`."""
    out = []
    for ch in text:
        cp = ord(ch)
        if 0xFF01 <= cp <= 0xFF5E:
            ch = chr(cp - 0xFEE0)
        elif cp == 0x3000:
            ch = " "
        out.append(ch)
    return DIGITS.sub("0", "".join(out))


def grams(text, min_n, max_n):
    t = normalize(text)
    out = set()
    for n in range(min_n, max_n + 1):
        for i in range(len(t) - n + 1):
            out.add(t[i:i + n])
    return out


def target_of(label, target):
    problem = label.get("is_problem", False)
    if target == "category":
        return label.get("category") if problem else "none"
    if not problem:
        return None
    if target == "subcategory":
        return "%s/%s" % (label.get("category"), label.get("subcategory"))
    if target == "nature":
        return label.get("nature") or None
    raise ValueError(target)


def load(paths, target, skip=(), category=None):
    """(text, label) of every finding of `paths` that has a `target` label,
    but those whose id starts with one of `skip` and, with `category`, those
    labelled another category."""
    items = []
    for path in paths:
        if any(path.endswith(f) for f in FORBIDDEN):
            sys.exit("train_text_model: %s measures generalisation; do not train on it" % path)
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                rec = json.loads(line)
                if skip and rec["finding"].get("id", "").startswith(tuple(skip)):
                    continue
                label = rec.get("label", {})
                if category and label.get("category") != category:
                    continue
                y = target_of(label, target)
                if y:
                    items.append((rec["finding"]["text"], y))
    return items


class Model:
    def __init__(self, labels, bias, feature_bias, weights, min_n, max_n):
        self.labels, self.bias, self.feature_bias = labels, bias, feature_bias
        self.weights, self.min_n, self.max_n = weights, min_n, max_n

    def scores(self, text, temperature=1.0):
        """As the engine scores: bias, plus for every gram of the model present
        feature_bias and the gram's own weights."""
        s = list(self.bias)
        for g in grams(text, self.min_n, self.max_n):
            ws = self.weights.get(g)
            if ws is None:
                continue
            for li, fb in enumerate(self.feature_bias):
                s[li] += fb
            for li, w in ws:
                s[li] += w
        return [x / temperature for x in s]

    def probs(self, text):
        """The softmax of scores(text), as model_prob reads it."""
        s = self.scores(text)
        m = max(s)
        e = [math.exp(x - m) for x in s]
        z = sum(e)
        return [x / z for x in e]


def read(text):
    """The model block of a file `write` produced, with its numbers as written
    (three significant digits), as the engine reads it."""
    def numbers(key, line, conv=float):
        return [conv(x) for x in line.split(key + ": [", 1)[1].split("]", 1)[0].split(",")]
    labels = json.loads(text.split("  label: ", 1)[1].split("\n", 1)[0])
    min_n = int(text.split("  min_n: ", 1)[1].split("\n", 1)[0])
    max_n = int(text.split("  max_n: ", 1)[1].split("\n", 1)[0])
    bias = numbers("  bias", text)
    feature_bias = numbers("feature_bias", text)
    weights = {}
    for line in text.splitlines():
        if line.startswith("  feature {"):
            gram = json.loads(line.split("gram: ", 1)[1].split(" label_index:", 1)[0])
            weights[gram] = list(zip(numbers("label_index", line, int), numbers("weight", line)))
    return Model(labels, bias, feature_bias, weights, min_n, max_n)


def entropy(counts, total):
    return -sum(c / total * math.log(c / total) for c in counts if c > 0)


def information_gain(by_label, n_label, n):
    """How much knowing whether the gram occurs tells about the label."""
    present = sum(by_label.values())
    if present == 0 or present == n:
        return 0.0
    h = entropy(n_label.values(), n)
    h1 = entropy(by_label.values(), present)
    h0 = entropy([n_label[l] - by_label.get(l, 0) for l in n_label], n - present)
    return h - (present / n * h1 + (n - present) / n * h0)


def fit(items, min_n, max_n, min_df, alpha, max_features=0):
    """Bernoulli naive Bayes restricted to the grams present, rewritten so
    that the weights are sparse: log P(g | l) = log(alpha / (N_l + 2 alpha))
    (feature_bias, the same for every gram) + log((n_gl + alpha) / alpha)
    (the weight, 0 where the gram never occurs with the label)."""
    labels = sorted({y for _, y in items})
    index = {l: i for i, l in enumerate(labels)}
    n_label = Counter(y for _, y in items)
    df = defaultdict(Counter)
    for text, y in items:
        for g in grams(text, min_n, max_n):
            df[g][y] += 1
    n = len(items)
    bias = [math.log(n_label[l] / n) for l in labels]
    feature_bias = [math.log(alpha / (n_label[l] + 2 * alpha)) for l in labels]
    kept = [g for g, by_label in df.items() if sum(by_label.values()) >= min_df]
    if max_features and len(kept) > max_features:
        # The most informative grams; ties by the gram, so the choice is stable.
        gain = {g: information_gain(df[g], n_label, n) for g in kept}
        kept = sorted(kept, key=lambda g: (-gain[g], g))[:max_features]
    weights = {}
    for g in kept:
        by_label = df[g]
        weights[g] = sorted((index[l], math.log((c + alpha) / alpha)) for l, c in by_label.items())
    return Model(labels, bias, feature_bias, weights, min_n, max_n)


def fit_lr(items, model, l2, max_iter):
    """Multinomial logistic regression over the grams of `model` (the naive
    Bayes's kept grams, in the same label order): returns (bias, {gram:
    [(label, weight)]}) with every weight of every gram. Deterministic: no
    randomness, sparse products in scipy's own code."""
    import numpy as np
    import scipy.optimize
    import scipy.sparse
    vocab = {g: i for i, g in enumerate(sorted(model.weights))}
    index = {l: i for i, l in enumerate(model.labels)}
    rows, cols = [], []
    for r, (text, _) in enumerate(items):
        for g in sorted(grams(text, model.min_n, model.max_n)):
            j = vocab.get(g)
            if j is not None:
                rows.append(r)
                cols.append(j)
    n, d, k = len(items), len(vocab), len(model.labels)
    x = scipy.sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, d))
    xt = x.T.tocsr()
    y = np.array([index[l] for _, l in items])
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0

    def loss_and_grad(w):
        wm, b = w[:d * k].reshape(d, k), w[d * k:]
        s = x @ wm + b
        s -= s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        loss = -np.log(p[np.arange(n), y] + 1e-300).sum() / n + l2 * (wm * wm).sum() / 2
        g = (p - onehot) / n
        return loss, np.concatenate([(xt @ g + l2 * wm).ravel(), g.sum(axis=0)])

    r = scipy.optimize.minimize(loss_and_grad, np.zeros(d * k + k), jac=True, method="L-BFGS-B",
                                options={"maxiter": max_iter})
    wm, b = r.x[:d * k].reshape(d, k), r.x[d * k:]
    by_gram = {g: [(li, float(wm[j, li])) for li in range(k)] for g, j in vocab.items()}
    return [float(v) for v in b], by_gram


def combine(nb, nb_temperature, lr_bias, lr_weights, prune):
    """nb / nb_temperature + lr as one model; weights whose magnitude is below
    `prune` are dropped, but every gram keeps its strongest one (feature_bias
    counts the grams of the model present, so none may disappear)."""
    t = nb_temperature
    bias = [b / t + c for b, c in zip(nb.bias, lr_bias)]
    feature_bias = [b / t for b in nb.feature_bias]
    weights = {}
    for g, nb_ws in nb.weights.items():
        w = {li: v for li, v in lr_weights.get(g, [])}
        for li, v in nb_ws:
            w[li] = w.get(li, 0.0) + v / t
        kept = [(li, v) for li, v in w.items() if abs(v) >= prune]
        if not kept:  # a gram keeps at least its strongest weight
            kept = [max(w.items(), key=lambda kv: (abs(kv[1]), -kv[0]))]
        weights[g] = sorted(kept)
    return Model(nb.labels, bias, feature_bias, weights, nb.min_n, nb.max_n)


def fit_model(items, args):
    """The model --method asks for, before the final temperature."""
    nb = fit(items, args.min_n, args.max_n, args.min_df, args.alpha, args.max_features)
    if args.method == "nb":
        return nb
    nb_t = fit_temperature(items, args, method="nb")
    lr_bias, lr_weights = fit_lr(items, nb, args.l2, args.lr_iter)
    return combine(nb, nb_t, lr_bias, lr_weights, args.prune)


def log_loss(model, items, temperature):
    loss = 0.0
    for text, y in items:
        s = model.scores(text, temperature)
        m = max(s)
        z = m + math.log(sum(math.exp(x - m) for x in s))
        loss += z - s[model.labels.index(y)] if y in model.labels else 0.0
    return loss / max(1, len(items))


def fit_temperature(items, args, method=None):
    held = items[::args.calib_every]
    rest = [it for i, it in enumerate(items) if i % args.calib_every != 0]
    if (method or args.method) == "nb":
        m = fit(rest, args.min_n, args.max_n, args.min_df, args.alpha, args.max_features)
    else:
        m = fit_model(rest, args)
    best = (float("inf"), 1.0)
    # 1.25^k from about 1/5 (a regression may be underconfident) to 64.
    for k in range(-7, 19):
        t = 1.25 ** k
        best = min(best, (log_loss(m, held, t), t))
    return best[1]


def fmt(x):
    """Three significant digits: the model is no more precise than that."""
    return "%.3g" % x


def write(model, temperature, args, paths, out):
    q = json.dumps
    lr = (" --l2 %g --lr-iter %d --prune %g" % (args.l2, args.lr_iter, args.prune)
          if args.method != "nb" else "")
    out.write("# Generated by: tools/train_text_model.py --target %s --method %s --min-n %d --max-n %d "
              "--min-df %d --alpha %g --max-features %d%s --calib-every %d%s%s%s %s\n"
              % (args.target, args.method, args.min_n, args.max_n, args.min_df, args.alpha,
                 args.max_features, lr, args.calib_every,
                 " --name " + args.name if args.name else "",
                 " --category " + args.category if args.category else "",
                 "".join(" --skip-id-prefix " + x for x in args.skip_id_prefix), " ".join(paths)))
    out.write("# Do not edit: retrain. %d grams, temperature %.3g.\n" % (len(model.weights), temperature))
    out.write("model {\n")
    out.write("  name: %s\n" % q(args.name or args.target, ensure_ascii=False))
    out.write("  description: %s\n" % q(
        "%s over character %d-%d-grams, %s%s, trained on %d labelled findings"
        % ("naive Bayes" if args.method == "nb" else "naive Bayes plus logistic regression",
           args.min_n, args.max_n, args.target,
           " of the %s findings" % args.category if args.category else "", args.count),
        ensure_ascii=False))
    out.write("  label: [%s]\n" % ", ".join(q(l, ensure_ascii=False) for l in model.labels))
    out.write("  min_n: %d\n  max_n: %d\n" % (model.min_n, model.max_n))
    out.write("  bias: [%s]\n" % ", ".join(fmt(b / temperature) for b in model.bias))
    out.write("  feature_bias: [%s]\n" % ", ".join(fmt(b / temperature) for b in model.feature_bias))
    for g in sorted(model.weights):
        ws = model.weights[g]
        out.write("  feature { gram: %s label_index: [%s] weight: [%s] }\n" % (
            q(g, ensure_ascii=False), ", ".join(str(i) for i, _ in ws),
            ", ".join(fmt(w / temperature) for _, w in ws)))
    out.write("}\n")


def argument_parser():
    """The trainer's options; tests/tools/shipped_models_check.py reads a
    model's recorded command line with it."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpora", nargs="+", help="LabelledFinding JSON Lines")
    ap.add_argument("--target", choices=("category", "subcategory", "nature"), default="category")
    ap.add_argument("--name", help="model name (default: the target)")
    ap.add_argument("--category", help="train only on findings labelled this category (e.g. a nature "
                    "model for one area, which dispose rules ask once the category is known)")
    ap.add_argument("--min-n", type=int, default=1)
    ap.add_argument("--max-n", type=int, default=3)
    ap.add_argument("--min-df", type=int, default=2, help="findings a gram must occur in")
    ap.add_argument("--alpha", type=float, default=0.05, help="additive smoothing")
    ap.add_argument("--max-features", type=int, default=0,
                    help="keep only this many grams, the most informative (0 = all)")
    ap.add_argument("--method", choices=("nb", "nb+lr"), default="nb",
                    help="naive Bayes alone, or plus a logistic regression over the same grams")
    ap.add_argument("--l2", type=float, default=3e-5, help="nb+lr: the regression's L2 penalty")
    ap.add_argument("--lr-iter", type=int, default=300, help="nb+lr: L-BFGS iterations at most")
    ap.add_argument("--prune", type=float, default=0.01,
                    help="nb+lr: drop combined weights smaller than this in magnitude")
    ap.add_argument("--calib-every", type=int, default=5,
                    help="every n-th finding calibrates the temperature")
    ap.add_argument("--skip-id-prefix", action="append", default=[], metavar="PREFIX",
                    help="leave out findings whose id starts with PREFIX (repeatable)")
    ap.add_argument("-o", "--output", default="-")
    return ap


def main():
    args = argument_parser().parse_args()
    items = load(args.corpora, args.target, args.skip_id_prefix, args.category)
    if not items:
        sys.exit("train_text_model: no labelled findings")
    args.count = len(items)
    temperature = fit_temperature(items, args)
    model = fit_model(items, args)
    if args.output == "-":
        write(model, temperature, args, args.corpora, sys.stdout)
    else:
        import os
        import tempfile
        d = os.path.dirname(os.path.abspath(args.output))
        fd, tmp = tempfile.mkstemp(dir=d, prefix=".train-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            write(model, temperature, args, args.corpora, f)
        os.chmod(tmp, 0o644)
        os.replace(tmp, args.output)


if __name__ == "__main__":
    main()
