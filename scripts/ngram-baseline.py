#!/usr/bin/env python3
"""Would a learned component help? A measurement, not part of the linter.

Trains a character n-gram logistic regression (1- to 3-grams of each
clause, plus which categories the rules flagged in it) to tell whether a
clause holds a claim of a category, and scores two ways of combining it
with the rules on fixtures/web, batch by batch (the pages of one collection
batch, named by their first letter, are never trained and tested on
together; fixtures/labeled and ../shared/eval/dev, when present, are always
in training):

- add: a finding over each clause the model scores above a threshold and
  the rules left unflagged in that category;
- filter: drop a rule's finding when the model scores its clause below a
  threshold.

Standard library only (about a minute on one core):

    scripts/ngram-baseline.py [--bin target/release/iryolint]

ACCURACY.md reports what it printed and why nothing learned ships.
"""
import argparse
import json
import math
import random
import subprocess
import tomllib
import unicodedata
import zlib
from collections import defaultdict
from pathlib import Path

from labels import byte_ranges, overlaps

ROOT = Path(__file__).resolve().parent.parent
SPAN_CATS = {"unsupported-efficacy", "preclinical-extrapolation", "safety-claim", "superlative-comparison",
             "authority-endorsement", "testimonial", "before-after", "inducement", "other"}
MODEL_CATS = ["unsupported-efficacy", "safety-claim", "superlative-comparison", "testimonial",
              "authority-endorsement"]
BUCKETS = 1 << 18
ENDS = set("。！？!?")




def clauses(text):
    """(start, end, text) of each line piece ended by a sentence mark, in bytes."""
    out, start, at = [], 0, 0
    for ch in text + "\n":
        n = len(ch.encode())
        if ch == "\n" or ch in ENDS:
            end = at + (n if ch in ENDS else 0)
            piece = text.encode()[start:end].decode()
            if len(piece.strip()) >= 2:
                lead = len(piece) - len(piece.lstrip())
                s = start + len(piece[:lead].encode())
                out.append((s, s + len(piece.strip().encode()), piece.strip()))
            start = at + n
        at += n
    return out


def features(text, rule_cats):
    t = "^" + unicodedata.normalize("NFKC", text).lower() + "$"
    grams = {f"{n}{t[i:i + n]}" for n in (1, 2, 3) for i in range(len(t) - n + 1)}
    grams |= {"rule:" + c for c in rule_cats}
    return [zlib.crc32(g.encode()) & (BUCKETS - 1) for g in grams]


def load_set(directory, binary):
    files = sorted(Path(directory).glob("*.txt"))
    run = subprocess.run([binary, "check", "--format", "json", *map(str, files)], capture_output=True)
    by_file = defaultdict(list)
    for f in json.loads(run.stdout)["findings"]:
        if f["category"] in SPAN_CATS:
            by_file[Path(f["path"]).name].append((f["category"], (f["start"]["offset"], f["end"]["offset"])))
    pages = []
    for txt in files:
        text = txt.read_text(encoding="utf-8")
        labels = tomllib.loads(txt.with_suffix(".labels.toml").read_text(encoding="utf-8"))
        spans = [(l["cat"], byte_ranges(text, l["quote"], l.get("nth"))) for l in labels.get("span", [])]
        grays = [r for l in labels.get("gray", []) for r in byte_ranges(text, l["quote"])]
        rules = by_file[txt.name]
        examples = []
        for s, e, piece in clauses(text):
            r = (s, e)
            flagged = sorted({c for c, fr in rules if overlaps(r, fr)})
            truth = {c: any(lc == c and any(overlaps(r, x) for x in rs) for lc, rs in spans) for c in MODEL_CATS}
            examples.append({"range": r, "truth": truth, "gray": any(overlaps(r, g) for g in grays),
                             "flagged": flagged, "x": features(piece, flagged)})
        pages.append({"name": txt.name, "spans": spans, "grays": grays, "rules": rules, "examples": examples})
    return pages


def train(examples, cat, epochs=15, rate=0.2, l2=1e-5, positive_weight=3.0):
    w, bias = defaultdict(float), -2.0
    data = [e for e in examples if e["truth"][cat] or not e["gray"]]
    rnd = random.Random(1)
    for epoch in range(epochs):
        rnd.shuffle(data)
        a = rate / (1 + epoch * 0.3)
        for e in data:
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, bias + sum(w[i] for i in e["x"])))))
            g = (p - e["truth"][cat]) * (positive_weight if e["truth"][cat] else 1.0)
            bias -= a * g
            for i in e["x"]:
                w[i] -= a * (g + l2 * w[i])
    return w, bias


def predict(model, e):
    w, bias = model
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, bias + sum(w.get(i, 0.0) for i in e["x"])))))


def score(pages, findings_of):
    """Span precision and recall as score.py counts them."""
    labels = found = flags = right = 0
    for p in pages:
        fs = findings_of(p)
        for cat, ranges in p["spans"]:
            labels += 1
            found += any(c == cat and any(overlaps(r, x) for x in ranges) for c, r in fs)
        for c, r in fs:
            ok = any(lc == c and any(overlaps(r, x) for x in rs) for lc, rs in p["spans"])
            if ok or not any(overlaps(r, g) for g in p["grays"]):
                flags += 1
                right += ok
    return right / max(flags, 1), found / max(labels, 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=str(ROOT / "target/release/iryolint"))
    args = ap.parse_args()
    web = load_set(ROOT / "fixtures/web", args.bin)
    extra = load_set(ROOT / "fixtures/labeled", args.bin)
    if (ROOT.parent / "shared/eval/dev").is_dir():
        extra += load_set(ROOT.parent / "shared/eval/dev", args.bin)
    batches = sorted({p["name"][0] for p in web})
    scores = {}
    for k in range(5):
        held = set(batches[k::5])
        training = [e for p in web if p["name"][0] not in held for e in p["examples"]]
        training += [e for p in extra for e in p["examples"]]
        models = {c: train(training, c) for c in MODEL_CATS}
        for p in web:
            if p["name"][0] in held:
                for e in p["examples"]:
                    scores[(p["name"], e["range"])] = {c: predict(models[c], e) for c in MODEL_CATS}
    p, r = score(web, lambda page: page["rules"])
    print(f"rules alone:             span P {p:.3f} R {r:.3f}")
    for t in (0.5, 0.7, 0.9, 0.95):
        def with_added(page, t=t):
            added = [(c, e["range"]) for e in page["examples"] for c in MODEL_CATS
                     if c not in e["flagged"] and scores[(page["name"], e["range"])][c] > t]
            return page["rules"] + added
        p, r = score(web, with_added)
        n = sum(len(with_added(page)) - len(page["rules"]) for page in web)
        print(f"add above {t:.2f}:          span P {p:.3f} R {r:.3f} ({n} findings added)")
    for t in (0.05, 0.2, 0.4):
        def filtered(page, t=t):
            kept = []
            for c, fr in page["rules"]:
                model = [scores[(page["name"], e["range"])][c] for e in page["examples"]
                         if c in MODEL_CATS and overlaps(e["range"], fr)]
                if not model or max(model) >= t:
                    kept.append((c, fr))
            return kept
        p, r = score(web, filtered)
        print(f"filter below {t:.2f}:       span P {p:.3f} R {r:.3f}")


if __name__ == "__main__":
    main()
