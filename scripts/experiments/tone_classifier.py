"""Experiment, not part of the app: would a statistical classifier beside the rule packs generalise better?

The packs reach 1.00 on every set they were tuned on and about 0.70 recall on a fresh blind set
(docs/tone.md, Scoring). This trains a TF-IDF (word 1-2 grams) + logistic-regression model on the
labelled sets the rules were tuned on, plus the sentences of the good fixture letters as "ok", and
reports, on the blind sets nobody tuned on, the rules alone and "rules or model" at a few
thresholds, with the model's false alarms on each good letter it did not train on (leave one out).

It needs scikit-learn, which the app does not depend on: run it from a separate environment,

    python3 -m venv /tmp/mlenv && /tmp/mlenv/bin/pip install scikit-learn
    /tmp/mlenv/bin/python scripts/experiments/tone_classifier.py

(the rule verdicts and the letters' sentences come from the project's own .venv).
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
TRAIN = ["tone-dev", "tone-extra", "tone-holdout", "tone-blind2", "tone-blind4", "tone-blind5"]
BLIND = ["tone-blind6", "tone-blind3"]
GOOD = [
    "docs/d1-good-exit.md",
    "docs/d2-escalation-good.md",
    "prose/dev_01_exit_letter_software_ok.md",
    "prose/dev_05_escalation_finance_ok.md",
    "prose/dev_03_overlong_hospital.md",
    "prose/dev_08_exit_lab_underperformer.md",
]
MIN_WORDS = 5
THRESHOLDS = (0.7, 0.8, 0.85, 0.9)

_PROJECT_SIDE = """
import json, sys
sys.path.insert(0, ".")
from editor.tone import lint
from editor.tone.text import prepare, quote_spans, sentences, without
blind, good = json.loads(sys.stdin.read())
verdicts = {}
for name in blind:
    for line in open(f"tests/fixtures/{name}.jsonl", encoding="utf-8"):
        item = json.loads(line)
        verdicts[item["id"]] = any(f.severity in ("warning", "error") for f in lint(item["text"]))
sents = []
for path in good:
    for p in prepare(open(f"tests/fixtures/{path}", encoding="utf-8").read()).paragraphs:
        if p.heading:
            continue
        spans = quote_spans(p.text, p.quoted)
        text = without(p.text, spans) if spans else p.text
        sents += [{"file": path, "text": " ".join(text[a:b].split())} for a, b in sentences(text)]
print(json.dumps([verdicts, sents]))
"""


def _load(name: str) -> list[dict]:
    return [json.loads(line) for line in (FIXTURES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]


def main() -> int:
    try:
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print(__doc__, file=sys.stderr)
        return 2
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", _PROJECT_SIDE],
        input=json.dumps([BLIND, GOOD]),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    rules, good = json.loads(done.stdout)
    good = [g for g in good if len(g["text"].split()) >= 3]
    train = [item for name in TRAIN for item in _load(name)]

    def fit(extra_ok: list[dict]):
        vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        texts = [i["text"] for i in train] + [g["text"] for g in extra_ok]
        labels = [i["category"] for i in train] + ["ok"] * len(extra_ok)
        model = LogisticRegression(C=10, max_iter=3000, class_weight="balanced").fit(vec.fit_transform(texts), labels)
        return vec, model, list(model.classes_).index("ok")

    alarms: collections.Counter = collections.Counter()
    for path in GOOD:
        vec, model, ok = fit([g for g in good if g["file"] != path])
        held = [g for g in good if g["file"] == path]
        p = 1 - model.predict_proba(vec.transform([g["text"] for g in held]))[:, ok]
        for th in THRESHOLDS:
            alarms[th] += sum(
                1 for g, q in zip(held, p, strict=True) if q >= th and len(g["text"].split()) >= MIN_WORDS
            )
    print(f"good letters: model false alarms on {len(good)} sentences (each letter left out of training):")
    print("  " + ", ".join(f"threshold {th}: {alarms[th]}" for th in THRESHOLDS))

    vec, model, ok = fit(good)
    for name in BLIND:
        items = _load(name)
        p = 1 - model.predict_proba(vec.transform([i["text"] for i in items]))[:, ok]
        truth = np.array([i["flag"] for i in items])
        ruled = np.array([rules[i["id"]] for i in items])
        long_enough = np.array([len(i["text"].split()) >= MIN_WORDS for i in items])
        for label, pred in [("rules", ruled)] + [
            (f"rules or model >= {th}", ruled | ((p >= th) & long_enough)) for th in THRESHOLDS
        ]:
            tp, fp, fn = (pred & truth).sum(), (pred & ~truth).sum(), (~pred & truth).sum()
            per: dict[str, list[bool]] = collections.defaultdict(list)
            for item, got in zip(items, pred, strict=True):
                if item["flag"]:
                    per[item["category"]].append(bool(got))
            weakest = min(per, key=lambda c: sum(per[c]) / len(per[c]))
            share = sum(per[weakest]) / len(per[weakest])
            print(f"{name}: {label:24s} P {tp / (tp + fp):.3f} R {tp / (tp + fn):.3f}  weakest {weakest} {share:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
