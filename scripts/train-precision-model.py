#!/usr/bin/env python3
"""Train the precision model (model/precision.tsv) on labeled pages.

    cargo build --release
    python3 scripts/train-precision-model.py [--bin target/release/iryolint] [--out model/precision.tsv] DIR...

Default DIRs: fixtures/web and fixtures/labeled, the labeled sets of this
repository, so that a clean clone retrains the same model
(tests/precision_model.rs checks that the shipped model is the script's
output). Never pass a holdout folder: the model is judged on them.

Every span finding the rules keep (`iryolint features`, the model's filter
off, no config file) is an example, labeled as ../shared/eval/score.py
scores it: 1 when it overlaps a label of its category; left out when it
overlaps a [[gray]] quote but no label of its category (score.py ignores
it); 0 otherwise. Examples are sorted, so the folders' order does not
matter. A logistic regression over the findings' features
(src/engine/likely.rs makes them; a feature seen in fewer than MIN_COUNT
training findings is dropped, so the model does not learn single pages) is
trained by stochastic gradient descent with a fixed seed: a rerun on the
same pages writes the same model. The threshold is the highest whose span F1
in 5-fold cross-validation by page is within TIE of the best: F1 is flat near
its peak (differences of a thousandth are noise on a few thousand findings),
and of two thresholds that score alike the higher one raises fewer false
alarms. The script prints the cross-validated figures at every threshold. Standard library only (Python 3.11+).
"""
import argparse, json, math, os, random, subprocess, sys, tomllib
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from labels import byte_ranges, overlaps

THRESHOLDS = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]
EPOCHS, RATE, L2, SEED, PRUNE, TIE = 12, 0.2, 1e-4, 1, 0.005, 0.002
MIN_COUNT = int(os.environ.get('MIN_COUNT', '2'))
DEFAULT_DIRS = ['fixtures/web', 'fixtures/labeled']


def examples(binary, dirs):
    """(page, features, label or None, label ids found) for every span finding,
    sorted; and the number of span labels of each page."""
    out, labels_per_page = [], {}
    for d in dirs:
        paths = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith('.txt'))
        run = subprocess.run([binary, '--no-config', 'features', *paths], capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f'train-precision-model: {binary} features failed on {d}:\n{run.stderr}')
        by_path = defaultdict(list)
        for line in run.stdout.split('\n'):
            if line:
                f = json.loads(line)
                by_path[f['path']].append(f)
        for p in paths:
            with open(p, encoding='utf-8') as page:
                text = page.read()
            with open(p[:-4] + '.labels.toml', 'rb') as labels:
                lab = tomllib.load(labels)
            spans = [(l['cat'], byte_ranges(text, l['quote'], l.get('nth'))) for l in lab.get('span', [])]
            grays = [r for l in lab.get('gray', []) for r in byte_ranges(text, l['quote'], l.get('nth'))]
            labels_per_page[p] = len(spans)
            for f in by_path[p]:
                rng = (f['start'], f['end'])
                found = [i for i, (c, rs) in enumerate(spans) if c == f['category'] and any(overlaps(rng, r) for r in rs)]
                if found:
                    y = 1
                elif any(overlaps(rng, g) for g in grays):
                    y = None
                else:
                    y = 0
                out.append((p, f['start'], f['end'], f['rule'], f['features'], y, found))
    out.sort(key=lambda e: e[:4])
    return [(p, feats, y, found) for p, _, _, _, feats, y, found in out], labels_per_page


def frequent(data):
    """The features seen in at least MIN_COUNT of the examples."""
    counts = defaultdict(int)
    for feats, _ in data:
        for x in set(feats):
            counts[x] += 1
    return {x for x, n in counts.items() if n >= MIN_COUNT}


def train(data):
    """Weights of a logistic regression over the frequent features, by SGD
    with L2 and a decaying rate."""
    keep = frequent(data)
    data = [([x for x in feats if x in keep], y) for feats, y in data]
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
    """The model's probability that a finding with these features is marked."""
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
    """Trains, cross-validates, and writes the model file atomically."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('dirs', nargs='*')
    ap.add_argument('--bin', default='target/release/iryolint')
    ap.add_argument('--out', default='model/precision.tsv')
    args = ap.parse_args()
    dirs = args.dirs or DEFAULT_DIRS
    for d in dirs:
        if not os.path.isdir(d):
            sys.exit(f'train-precision-model: {d}: no such folder')
        if os.path.basename(os.path.realpath(d)).startswith('holdout'):
            sys.exit(f'train-precision-model: {d}: holdout folders judge the model; never train on them')
    data, labels_per_page = examples(args.bin, dirs)
    pages = sorted(labels_per_page)
    random.Random(3).shuffle(pages)
    fold = {p: i % 5 for i, p in enumerate(pages)}
    scored = []
    for k in range(5):
        w = pruned(train([(f, y) for p, f, y, _ in data if fold[p] != k and y is not None]))
        scored += [(p, probability(w, f), y, found) for p, f, y, found in data if fold[p] == k]
    print(f'{len(data)} span findings on {len(pages)} pages of {", ".join(dirs)}; 5-fold cross-validation by page:')
    f1s = {}
    for t in THRESHOLDS:
        precision, recall, f1 = scores(scored, labels_per_page, t)
        print(f'  threshold {t:.2f}: span precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}')
        f1s[t] = f1
    top = max(f1s.values())
    best = max((t, f1) for t, f1 in f1s.items() if f1 >= top - TIE)
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
