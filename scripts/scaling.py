#!/usr/bin/env python3
"""Grows each input that used to take quadratic time tenfold and reports how
iryolint's time (and peak memory) grows with it (issue 9; RELIABILITY.md).

    scripts/scaling.py                 # every case, release build
    scripts/scaling.py scripts alt     # some cases, by name
    scripts/scaling.py --bin PATH      # another build

Linear work grows about tenfold; the target is at most about twelvefold.
Each run is timed once after one warm-up of the small size (the machine is
shared: rerun a case when a ratio looks off). With GNU time (apt-get
install time) the times are CPU seconds and peak memory is shown; without
it, wall-clock seconds only.
"""
import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
J = "エクソソーム点滴で必ず治ります。副作用はありません。日本一の実績。"
RULE = (
    '[[rule]]\nid = "r{i}"\nkind = "phrase"\ncategory = "other"\nseverity = "error"\n'
    'summary = "s"\nmessage = {{ ja = "j", en = "e" }}\nbasis = "b"\n'
    'help = {{ ja = "j", en = "e" }}\nliterals = ["語{i}"]\n'
)


def docx(text_bytes):
    """A .docx whose word/document.xml holds `text_bytes` of text."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b"<w:document><w:body><w:p><w:r><w:t>")
            chunk = ("必ず治ります" * 10000).encode()
            for _ in range(text_bytes // len(chunk)):
                f.write(chunk)
            f.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buf.getvalue()


# name: (what it is, small n, builder(n) -> {file: bytes}, args, owner)
CASES = {
    "one-line": (
        "findings on one line ('日本一。' x n), JSON",
        30_000,
        lambda n: {"in.txt": ("日本一。" * n).encode()},
        ["--format", "json", "--max-findings", "0", "in.txt"],
        "lint (line/column mapping)",
    ),
    "one-line-human": (
        "findings on one line ('日本一。' x n), human output",
        30_000,
        lambda n: {"in.txt": ("日本一。" * n).encode()},
        ["--format", "human", "--max-findings", "0", "in.txt"],
        "render (snippets)",
    ),
    "scripts": (
        "'<script></script>' x n then one finding",
        100_000,
        lambda n: {"in.html": ("<script></script>" * n + "<p>日本一</p>").encode()},
        ["--format", "json", "in.html"],
        "extract/html",
    ),
    "titles": (
        "'<title>題</title>' x n",
        50_000,
        lambda n: {"in.html": ("<title>題</title>" * n + "<p>日本一</p>").encode()},
        ["--format", "json", "in.html"],
        "extract/html",
    ),
    "textareas": (
        "'<textarea>x</textarea>' x n",
        50_000,
        lambda n: {"in.html": ("<textarea>x</textarea>" * n + "<p>日本一</p>").encode()},
        ["--format", "json", "in.html"],
        "extract/html",
    ),
    "alt": (
        "one <img> with n alt attributes",
        10_000,
        lambda n: {"in.html": ("<img " + " ".join('alt="%s"' % J for _ in range(n)) + ">").encode()},
        ["--format", "json", "--max-findings", "0", "in.html"],
        "extract/html, lint",
    ),
    "suppressions": (
        "n next-line suppressions, each used",
        10_000,
        lambda n: {"in.txt": ("<!-- iryolint-disable-next-line superlative-number-one -->\n日本一\n" * n).encode()},
        ["--format", "json", "--report-unused-suppressions", "in.txt"],
        "suppress",
    ),
    "suppression-ranges": (
        "n disable/enable ranges with names",
        10_000,
        lambda n: {"in.txt": "".join(
            "<!-- iryolint-disable r%d superlative-number-one -->\n日本一\n<!-- iryolint-enable r%d -->\n" % (i, i)
            for i in range(n)).encode()},
        ["--format", "json", "in.txt"],
        "suppress",
    ),
    "baseline": (
        "filtering n findings ('日本一' lines) through a baseline of them",
        30_000,
        lambda n: {"in.txt": ("日本一\n" * n).encode()},
        ["--format", "json", "--max-findings", "0", "--baseline", "b.json", "in.txt"],
        "baseline",
    ),
    "baseline-one-line": (
        "filtering n findings on one line through a baseline of them",
        30_000,
        lambda n: {"in.txt": ("日本一。" * n).encode()},
        ["--format", "json", "--max-findings", "0", "--baseline", "b.json", "in.txt"],
        "baseline",
    ),
    "sarif": (
        "SARIF for n findings ('日本一' lines)",
        30_000,
        lambda n: {"in.txt": ("日本一\n" * n).encode()},
        ["--format", "sarif", "--max-findings", "0", "in.txt"],
        "render/sarif",
    ),
    # The same cases with every finding in a Markdown heading: the engine
    # finds the heading a finding is under in constant time there, so these
    # rows time the parts above (suppressions, baseline, SARIF) without the
    # engine's per-finding walk back over the blocks of a page (src/text).
    "suppressions-h": (
        "n next-line suppressions, each used, findings in headings",
        10_000,
        lambda n: {"in.md": ("<!-- iryolint-disable-next-line superlative-number-one -->\n# 日本一\n\n" * n).encode()},
        ["--format", "json", "--report-unused-suppressions", "in.md"],
        "suppress",
    ),
    "suppression-ranges-h": (
        "n disable/enable ranges with names, findings in headings",
        10_000,
        lambda n: {"in.md": "".join(
            "<!-- iryolint-disable r%d superlative-number-one -->\n\n# 日本一\n\n<!-- iryolint-enable r%d -->\n\n"
            % (i, i) for i in range(n)).encode()},
        ["--format", "json", "in.md"],
        "suppress",
    ),
    "baseline-h": (
        "filtering n findings through a baseline of them, findings in headings",
        30_000,
        lambda n: {"in.md": ("# 日本一\n\n" * n).encode()},
        ["--format", "json", "--max-findings", "0", "--baseline", "b.json", "in.md"],
        "baseline",
    ),
    "sarif-h": (
        "SARIF for n findings, findings in headings",
        30_000,
        lambda n: {"in.md": ("# 日本一\n\n" * n).encode()},
        ["--format", "sarif", "--max-findings", "0", "in.md"],
        "render/sarif",
    ),
    "alt-quiet": (
        "one <img> with n alt attributes without findings, then one finding",
        10_000,
        lambda n: {"in.html": ("<img " + " ".join('alt="当院の外観写真です"' for _ in range(n)) + "><p>日本一</p>").encode()},
        ["--format", "json", "in.html"],
        "extract/html",
    ),
    "long-sentence": (
        "a sentence without 。 ('日本一の実績、' x n)  [engine: the lead's]",
        7_500,
        lambda n: {"in.txt": ("日本一の実績、" * n).encode()},
        ["--format", "json", "--max-findings", "0", "in.txt"],
        "engine/text (not this branch)",
    ),
    "rules": (
        "loading n team rules  [rules: the lead's]",
        2_000,
        lambda n: {"team.toml": "".join(RULE.format(i=i) for i in range(n)).encode(), "in.txt": "語1\n".encode()},
        ["--rules", "team.toml", "--format", "json", "in.txt"],
        "rules (not this branch)",
    ),
}


def run(binary, args, cwd, gnu_time, ok_codes=(0, 1)):
    """(seconds, peak RSS in MiB or None, exit code). The seconds are CPU
    time (user + system) when GNU time is there, else wall-clock time: on a
    shared machine, waiting for a core would count as work otherwise. One
    input is checked on one thread, so CPU time is the work done."""
    cmd = [binary, "check", "--no-config", "--max-file-size", "1G", *args]
    if gnu_time:
        cmd = [gnu_time, "-f", "%M %U %S", "-o", os.path.join(cwd, ".rss"), *cmd]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    rss = None
    if gnu_time:
        with open(os.path.join(cwd, ".rss")) as f:
            kib, user, system = f.read().split()[-3:]
            rss = int(kib) / 1024
            elapsed = float(user) + float(system)
    if proc.returncode not in ok_codes:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[:500]}")
    return elapsed, rss, proc.returncode


def prepare(case, n, work):
    _, _, build, args, _ = CASES[case]
    for name, data in build(n).items():
        with open(os.path.join(work, name), "wb") as f:
            f.write(data)
    if "--baseline" in args:
        # The baseline of the same findings, written by iryolint itself.
        target = args[-1]
        subprocess.run([BIN, "check", "--no-config", "--max-findings", "0", "--write-baseline", "b.json", target],
                       cwd=work, stdout=subprocess.DEVNULL, check=False)


def main():
    global BIN
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", nargs="*", help="case names (default: all): " + ", ".join([*CASES, "docx-bomb"]))
    parser.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "iryolint"))
    parser.add_argument("--factor", type=int, default=10)
    opts = parser.parse_args()
    BIN = os.path.abspath(opts.bin)
    if opts.bin == parser.get_default("bin"):
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    gnu_time = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None
    names = [c for c in opts.cases if c in CASES] if opts.cases else list(CASES)
    unit = "CPU" if gnu_time else "wall"
    print(f"| case | n | {opts.factor}n | {unit} n | {unit} {opts.factor}n | ratio | peak RSS {opts.factor}n | owner |")
    print("|---|---|---|---|---|---|---|---|")
    for name in names:
        what, n, _, args, owner = CASES[name]
        times, rss = [], None
        for size in (n, n * opts.factor):
            with tempfile.TemporaryDirectory() as work:
                prepare(name, size, work)
                if size == n:
                    run(BIN, args, work, None)  # warm-up
                t, rss, _ = run(BIN, args, work, gnu_time)
                times.append(t)
        ratio = times[1] / times[0] if times[0] > 0 else float("inf")
        rss_text = f"{rss:.0f} MiB" if rss is not None else "—"
        print(f"| {name}: {what} | {n:,} | {n * opts.factor:,} | {times[0]:.2f} s | {times[1]:.2f} s | "
              f"**{ratio:.1f}×** | {rss_text} | {owner} |", flush=True)
    if not opts.cases or "docx-bomb" in opts.cases:
        with tempfile.TemporaryDirectory() as work:
            with open(os.path.join(work, "bomb.docx"), "wb") as f:
                f.write(docx(256 << 20))
            size = os.path.getsize(os.path.join(work, "bomb.docx"))
            t, rss, _ = run(BIN, ["bomb.docx"], work, gnu_time, ok_codes=(2,))
            rss_text = f"{rss:.0f} MiB" if rss is not None else "—"
            print(f"\ndocx bomb ({size / 1024:.0f} KB inflating to 256 MiB): refused in {t:.2f} s ({unit}), peak RSS {rss_text}")


BIN = None

if __name__ == "__main__":
    main()
