#!/usr/bin/env python3
"""How far two labelers agree: the ceiling any linter is measured against.

    scripts/agreement.py REFERENCE_DIR SECOND_DIR [--score ../shared/eval/score.py]
                         [--cmd "target/release/iryolint check --format json"]

SECOND_DIR holds a second labeler's NAME.labels.toml for some pages of
REFERENCE_DIR (and NAME.txt, if at all, the same byte for byte; the
second labelings kept in fixtures/second-labels hold labels only). The second
labeler's span labels become findings (one per occurrence the label
covers, in its category) and its [[missing]] entries disclosure findings;
score.py then scores them against the reference labels, exactly as it
scores iryolint. Read "precision" as: of what the second labeler marked,
how much the first marked too; "recall" as the reverse.

With --cmd, a linter is also scored the most lenient way two labelings
allow: its span findings' precision against the labels of either labeler
(a finding is right when one of them marked it), and its recall of the
span labels both labelers gave (a first labeler's label that a second's
of the same category overlaps). Grays of both count as grays.
"""
import argparse
import json
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from labels import byte_ranges, overlaps

DOC_CATS = {"missing-free-care-disclosure", "missing-unapproved-disclosure"}



def findings_of(txt, labels):
    text = txt.read_text(encoding="utf-8")
    out = []
    for lab in labels.get("span", []):
        for start, end in byte_ranges(text, lab["quote"], lab.get("nth")):
            out.append({"path": str(txt), "rule": "second-labeler", "category": lab["cat"],
                        "start": {"offset": start}, "end": {"offset": end}})
    for lab in labels.get("missing", []):
        if lab["cat"] in DOC_CATS:
            out.append({"path": str(txt), "rule": "second-labeler", "category": lab["cat"],
                        "start": {"offset": 0}, "end": {"offset": 0}, "missing": lab.get("elements", [])})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("reference", type=Path)
    ap.add_argument("second", type=Path)
    ap.add_argument("--score", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared/eval/score.py")
    ap.add_argument("--cmd", help="also score this linter against either and both labelings")
    args = ap.parse_args()
    pages = sorted(args.second.glob("*.labels.toml"))
    if not pages:
        sys.exit(f"agreement.py: no labels in {args.second}")
    with tempfile.TemporaryDirectory() as tmp:
        findings = []
        for lab in pages:
            name = lab.name.removesuffix(".labels.toml")
            ref_txt = args.reference / f"{name}.txt"
            if not ref_txt.exists():
                sys.exit(f"agreement.py: {name}.labels.toml: no {name}.txt in {args.reference}")
            own_txt = args.second / f"{name}.txt"
            if own_txt.exists() and ref_txt.read_bytes() != own_txt.read_bytes():
                sys.exit(f"agreement.py: {name}.txt differs between the two folders")
            for suffix in (".txt", ".labels.toml"):
                (Path(tmp) / f"{name}{suffix}").write_bytes((args.reference / f"{name}{suffix}").read_bytes())
            second = tomllib.loads(lab.read_text(encoding="utf-8"))
            text = ref_txt.read_text(encoding="utf-8")
            for label in second.get("span", []) + second.get("gray", []):
                if not byte_ranges(text, label["quote"], label.get("nth")):
                    sys.exit(f"agreement.py: {lab}: quote not found in {name}.txt: {label['quote']!r}")
            findings += findings_of(Path(tmp) / f"{name}.txt", second)
        report = Path(tmp) / "second.json"
        report.write_text(json.dumps({"version": 1, "findings": findings}), encoding="utf-8")
        run = subprocess.run([sys.executable, str(args.score), tmp, "--json-in", str(report)], text=True,
                             capture_output=True)
        print(run.stdout, end="")
        print(run.stderr, end="", file=sys.stderr)
        if run.returncode == 2:
            sys.exit(2)
        if args.cmd:
            lenient(args, pages, Path(tmp))


def toml_string(s):
    """`s` as a TOML basic string: JSON's escapes are TOML's, but for DEL,
    which TOML does not allow raw."""
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")


def label_file(spans, grays):
    """A labels file of these span labels and gray quotes (as dicts)."""
    def entry(table, lab):
        cat = f"cat = {toml_string(lab['cat'])}\n" if table == "span" else ""
        nth = f"nth = {lab['nth']}\n" if lab.get("nth") is not None else ""
        return f"[[{table}]]\n{cat}quote = {toml_string(lab['quote'])}\n{nth}"
    return "\n".join([entry("span", lab) for lab in spans] + [entry("gray", lab) for lab in grays])


def lenient(args, pages, tmp):
    """Prints the --cmd linter's span precision against either labeler and
    its span recall of the labels both gave."""
    either, both = tmp / "either", tmp / "both"
    either.mkdir()
    both.mkdir()
    for lab in pages:
        name = lab.name.removesuffix(".labels.toml")
        text = (args.reference / f"{name}.txt").read_text(encoding="utf-8")
        first = tomllib.loads((args.reference / f"{name}.labels.toml").read_text(encoding="utf-8"))
        second = tomllib.loads(lab.read_text(encoding="utf-8"))
        grays = first.get("gray", []) + second.get("gray", [])
        ranges = lambda l: byte_ranges(text, l["quote"], l.get("nth"))
        agreed = [l for l in first.get("span", [])
                  if any(l["cat"] == m["cat"] and any(overlaps(a, b) for a in ranges(l) for b in ranges(m))
                         for m in second.get("span", []))]
        for folder, spans in ((either, first.get("span", []) + second.get("span", [])), (both, agreed)):
            (folder / f"{name}.txt").write_text(text, encoding="utf-8")
            (folder / f"{name}.labels.toml").write_text(label_file(spans, grays), encoding="utf-8")
    for what, folder, figure in (("precision against either labeler", either, "precision"),
                                 ("recall of the labels both gave", both, "recall")):
        run = subprocess.run([sys.executable, str(args.score), str(folder), "--cmd", args.cmd], text=True,
                             capture_output=True)
        # score.py's line: "span findings: precision 0.69 (81/117) recall 0.63 (…) F1 …"
        found = re.search(rf"^span findings: .*?{figure} ([0-9.]+ \([0-9]+/[0-9]+\))", run.stdout, re.M)
        if found is None:
            sys.exit(f"agreement.py: scoring {args.cmd!r} failed:\n{run.stderr}")
        print(f"{args.cmd}: span {what}: {found.group(1)}")


if __name__ == "__main__":
    main()
