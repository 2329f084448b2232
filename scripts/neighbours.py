#!/usr/bin/env python3
"""Nearest neighbours against the two models, cross-validated by batch.

    cargo build --release
    python3 scripts/neighbours.py [--bin target/release/iryolint] [DIR...]

Reruns the measurement of ACCURACY.md, "The eighteenth session": each
sentence the claim model reads, and each span finding the precision model
scores, is also scored by the labels of its k most similar training
examples (cosine over the models' own features, weighted by inverse
document frequency), in the same five folds by collection batch that
scripts/train-models.py uses. It prints span F1 for the two logistic
models, for each replaced by its neighbours, and for their averages, each
at the best thresholds and weights of a grid (optimistic: they are picked
on the same folds). Nothing here is shipped; it measures.

Default DIRs: fixtures/web and fixtures/labeled, as for training. Never
pass a holdout folder. Standard library only; takes a few minutes.
"""
import argparse, importlib.util, math, os, sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("train_models", os.path.join(HERE, "train-models.py"))
tm = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tm)

# Features shared by nearly every example say nothing about similarity;
# those seen once cannot match another example.
MAX_DF = 3000
SENTENCE_K, FINDING_K = 30, 20
WEIGHTS = [0.2, 0.4, 0.5, 0.6, 0.8]


def sentence_features(feats):
    """The claim model's character pairs, words and endings."""
    return [x for x in feats if x[:2] in ("2:", "t:") or x[:3] in ("e2:", "e4:")]


def finding_features(feats):
    """The precision model's features but the bias and the length bucket."""
    return [x for x in feats if x != "b" and not x.startswith("len:")]


def neighbour_scores(train, test, k, empty):
    """For each feature list of `test`, the similarity-weighted share of
    positives among its `k` nearest (feature list, label) pairs of
    `train`; `empty` where nothing is shared."""
    df = defaultdict(int)
    for feats, _ in train:
        for x in set(feats):
            df[x] += 1
    idf = {x: math.log(len(train) / d) for x, d in df.items() if 2 <= d <= MAX_DF}

    def unit(feats):
        v = {x: idf[x] for x in set(feats) if x in idf}
        norm = math.sqrt(sum(w * w for w in v.values())) or 1.0
        return {x: w / norm for x, w in v.items()}

    postings = defaultdict(list)
    for i, (feats, _) in enumerate(train):
        for x, w in unit(feats).items():
            postings[x].append((i, w))
    labels = [y for _, y in train]
    out = []
    for feats in test:
        sims = defaultdict(float)
        for x, w in unit(feats).items():
            for i, wi in postings[x]:
                sims[i] += w * wi
        top = sorted(sims.items(), key=lambda kv: -kv[1])[:k]
        total = sum(s for _, s in top)
        out.append(sum(s * labels[i] for i, s in top) / total if total > 0 else empty)
    return out


def best(scored, said, a, b, labels_per_page):
    """Best span (P, R, F1) over the threshold grid when findings score
    a*model + (1-a)*neighbours and sentences b*model + (1-b)*neighbours."""
    top = (0.0, 0.0, -1.0)
    for tp in tm.THRESHOLDS + [0.35, 0.4, 0.45, 0.5]:
        kept = [(p, y, fd) for p, pr, nb, y, fd in scored if a * pr + (1 - a) * nb >= tp]
        for tc in tm.CLAIM_THRESHOLDS + [0.35, 0.45, 0.55]:
            added = [(p, y, fd) for p, pr, nb, y, fd in said if b * pr + (1 - b) * nb >= tc]
            result = tm.scores(kept + added, labels_per_page)
            if result[2] > top[2]:
                top = result
    return top


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default="target/release/iryolint")
    ap.add_argument("dirs", nargs="*", default=tm.DEFAULT_DIRS)
    args = ap.parse_args()
    findings, sentences, labels_per_page = tm.examples(args.bin, args.dirs)
    fold = tm.folds(sorted(labels_per_page))
    scored, said = [], []
    for k in range(5):
        train_f = [(f, y) for p, f, y, _ in findings if fold[p] != k and y is not None]
        w = tm.train(train_f)
        test_f = [(p, f, y, fd) for p, f, y, fd in findings if fold[p] == k]
        near = neighbour_scores(
            [(finding_features(f), y) for f, y in train_f], [finding_features(f) for _, f, _, _ in test_f], FINDING_K, 0.5
        )
        scored += [(p, tm.probability(w, f), nb, y, fd) for (p, f, y, fd), nb in zip(test_f, near)]
        train_s = [(f, y) for p, f, _, y, _, _ in sentences if fold[p] != k and y is not None]
        w = tm.train(train_s, tm.CLAIM_EPOCHS, tm.CLAIM_L2, tm.CLAIM_PRUNE, tm.CLAIM_MIN_COUNT)
        test_s = [(p, f, y, fd) for p, f, _, y, fd, covered in sentences if fold[p] == k and not covered]
        near = neighbour_scores(
            [(sentence_features(f), y) for f, y in train_s], [sentence_features(f) for _, f, _, _ in test_s], SENTENCE_K, 0.0
        )
        said += [(p, tm.probability(w, f), nb, y, fd) for (p, f, y, fd), nb in zip(test_s, near)]
        print(f"fold {k + 1} of 5 scored", file=sys.stderr, flush=True)
    rows = [
        ("the two logistic models", [(1.0, 1.0)]),
        (f"claim model replaced by its {SENTENCE_K} nearest sentences", [(1.0, 0.0)]),
        (f"precision model replaced by its {FINDING_K} nearest findings", [(0.0, 1.0)]),
        ("claim model averaged with its neighbours (best weight)", [(1.0, b) for b in WEIGHTS]),
        ("precision model averaged with its neighbours (best weight)", [(a, 1.0) for a in WEIGHTS]),
        ("both averaged (best weights)", [(a, b) for a in WEIGHTS for b in WEIGHTS]),
    ]
    print("| | span P | span R | span F1 |\n|---|---|---|---|")
    for name, pairs in rows:
        p, r, f1 = max((best(scored, said, a, b, labels_per_page) for a, b in pairs), key=lambda t: t[2])
        print(f"| {name} | {p:.3f} | {r:.3f} | {f1:.4f} |")


if __name__ == "__main__":
    main()
