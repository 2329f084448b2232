#!/usr/bin/env python3
"""How far two labelers agree: the ceiling any linter is measured against.

    scripts/agreement.py REFERENCE_DIR SECOND_DIR [--score ../shared/eval/score.py]

SECOND_DIR holds NAME.txt and a second labeler's NAME.labels.toml for some
pages of REFERENCE_DIR (the same NAME.txt, byte for byte). The second
labeler's span labels become findings (one per occurrence the label
covers, in its category) and its [[missing]] entries disclosure findings;
score.py then scores them against the reference labels, exactly as it
scores iryolint. Read "precision" as: of what the second labeler marked,
how much the first marked too; "recall" as the reverse.
"""
import argparse
import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from labels import byte_ranges

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
    args = ap.parse_args()
    pages = sorted(args.second.glob("*.labels.toml"))
    if not pages:
        sys.exit(f"agreement.py: no labels in {args.second}")
    with tempfile.TemporaryDirectory() as tmp:
        findings = []
        for lab in pages:
            name = lab.name.removesuffix(".labels.toml")
            ref_txt = args.reference / f"{name}.txt"
            if ref_txt.read_bytes() != (args.second / f"{name}.txt").read_bytes():
                sys.exit(f"agreement.py: {name}.txt differs between the two folders")
            for suffix in (".txt", ".labels.toml"):
                (Path(tmp) / f"{name}{suffix}").write_bytes((args.reference / f"{name}{suffix}").read_bytes())
            second = tomllib.loads(lab.read_text(encoding="utf-8"))
            findings += findings_of(Path(tmp) / f"{name}.txt", second)
        report = Path(tmp) / "second.json"
        report.write_text(json.dumps({"version": 1, "findings": findings}), encoding="utf-8")
        run = subprocess.run([sys.executable, str(args.score), tmp, "--json-in", str(report)], text=True,
                             capture_output=True)
        print(run.stdout, end="")
        print(run.stderr, end="", file=sys.stderr)
        sys.exit(2 if run.returncode == 2 else 0)


if __name__ == "__main__":
    main()
