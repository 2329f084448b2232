#!/usr/bin/env python3
"""Train the precision model (model/precision.tsv) on labeled pages.

    cargo build --release
    python3 scripts/train-precision-model.py [--bin target/release/iryolint] [--out model/precision.tsv] DIR...

Default DIRs: fixtures/web, fixtures/labeled and ../shared/eval/dev when it is
there. Never pass a holdout folder: the model is judged on them.

Every span finding the rules keep (`iryolint features`, the model's filter
off) is an example: 1 when it overlaps a label of its category, 0 when it
overlaps no label or only labels of other categories, left out when it
overlaps only a [[gray]] quote (as score.py ignores it). A logistic
regression over the finding's features (src/engine/likely.rs makes them) is
trained by stochastic gradient descent with a fixed seed, so a rerun on the
same pages writes the same model. The threshold is the one with the best span
F1 in 5-fold cross-validation by page; the script prints the cross-validated
figures at every threshold it tried. Standard library only.
"""
import argparse, json, math, os, random, subprocess, sys, tomllib
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from labels import byte_ranges, overlaps

DOC_CATS = {'missing-free-care-disclosure', 'missing-unapproved-disclosure'}
THRESHOLDS = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]
EPOCHS, RATE, L2, SEED, PRUNE = 12, 0.2, 1e-4, 1, 0.005


def examples(binary, dirs):
    """(page, features, label or None, label ids found) for every span finding; labels per page."""
    out, labels_per_page = [], {}
    for d in dirs:
        paths = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith('.txt'))
        lines = subprocess.run([binary, 'features', *paths], capture_output=True, text=True, check=True).stdout
        by_path = defaultdict(list)
        for line in lines.splitlines():
            f = json.loads(line)
            by_path[f['path']].append(f)
        for p in paths:
            text = open(p, encoding='utf-8').read()
            lab = tomllib.load(open(p[:-4] + '.labels.toml', 'rb'))
            spans = [(l['cat'], byte_ranges(text, l['quote'], l.get('nth'))) for l in lab.get('span', [])]
            grays = [r for l in lab.get('gray', []) for r in byte_ranges(text, l['quote'], l.get('nth'))]
            labels_per_page[p] = len(spans)
            for f in by_path[p]:
                rng = (f['start'], f['end'])
                found = [i for i, (c, rs) in enumerate(spans) if c == f['category'] and any(overlaps(rng, r) for r in rs)]
                if found:
                    y = 1
                elif any(overlaps(rng, r) for _, rs in spans for r in rs):
                    y = 0
                else:
                    y = None if any(overlaps(rng, g) for g in grays) else 0
                out.append((p, f['features'], y, found))
    return out, labels_per_page


def train(data):
    """Weights of a logistic regression, by SGD with L2 and a decaying rate."""
    w = defaultdict(float)
    rnd = random.Random(SEED)
    order = list(range(len(data)))
    for epoch in range(EPOCHS):
        rnd.shuffle(order)
        rate = RATE / math.sqrt(epoch + 1)
        for i in order:
            feats, y = data[i]
            p = probability(w, feats)
            g = (p - y) * rate
            for x in feats:
                w[x] -= g + L2 * w[x]
    return w


def pruned(w):
    """The weights the model file keeps."""
    return {x: v for x, v in w.items() if abs(v) >= PRUNE}


def probability(w, feats):
    z = sum(w.get(x, 0.0) for x in feats)
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def scores(scored, labels_per_page, t):
    """Span precision, recall and F1 of the findings with probability >= t."""
    kept = [(p, y, found) for p, prob, y, found in scored if prob >= t and y is not None]
    right = sum(y for _, y, _ in kept)
    found = len({(p, i) for p, _, fs in kept for i in fs})
    total = sum(labels_per_page.values())
    precision = right / len(kept) if kept else 0.0
    recall = found / total if total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('dirs', nargs='*')
    ap.add_argument('--bin', default='target/release/iryolint')
    ap.add_argument('--out', default='model/precision.tsv')
    args = ap.parse_args()
    dirs = args.dirs or [d for d in ['fixtures/web', 'fixtures/labeled', '../shared/eval/dev'] if os.path.isdir(d)]
    if any('holdout' in d for d in dirs):
        sys.exit('train-precision-model: holdout folders judge the model; never train on them')
    data, labels_per_page = examples(args.bin, dirs)
    pages = sorted(labels_per_page)
    random.Random(3).shuffle(pages)
    fold = {p: i % 5 for i, p in enumerate(pages)}
    scored = []
    for k in range(5):
        w = pruned(train([(f, y) for p, f, y, _ in data if fold[p] != k and y is not None]))
        scored += [(p, probability(w, f), y, found) for p, f, y, found in data if fold[p] == k]
    print(f'{len(data)} span findings on {len(pages)} pages of {", ".join(dirs)}; 5-fold cross-validation by page:')
    best = None
    for t in THRESHOLDS:
        precision, recall, f1 = scores(scored, labels_per_page, t)
        print(f'  threshold {t:.2f}: span precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}')
        if best is None or f1 > best[1] + 1e-9:
            best = (t, f1)
    w = train([(f, y) for _, f, y, _ in data if y is not None])
    kept = sorted((x, v) for x, v in w.items() if abs(v) >= PRUNE)
    with open(args.out + '.tmp', 'w', encoding='utf-8') as out:
        out.write('# The precision model of src/engine/likely.rs, written by scripts/train-precision-model.py\n')
        out.write(f'# trained on {", ".join(dirs)}: {len(data)} span findings, {len(pages)} pages\n')
        out.write(f'# threshold {best[0]}\n')
        for x, v in kept:
            out.write(f'{v:.4f}\t{x}\n')
    os.replace(args.out + '.tmp', args.out)
    print(f'wrote {args.out}: {len(kept)} weights, threshold {best[0]} (cross-validated F1 {best[1]:.3f})')


if __name__ == '__main__':
    main()
