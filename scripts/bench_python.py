#!/usr/bin/env python3
"""Times the Python package over a JSON Lines corpus (SCALE.md): records are
parsed first, then checked with iryolint.check on N threads (the GIL is
released while checking). Prints pages, MB, wall and CPU seconds.

    bench_python.py corpus.jsonl --threads 2
"""

import argparse
import importlib.util
import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import iryolint

spec = importlib.util.spec_from_file_location("spark_check", Path(__file__).with_name("spark_check.py"))
recipe = importlib.util.module_from_spec(spec)
spec.loader.exec_module(recipe)


def check(record):
    rid = record.get("id") or record.get("url")
    return len(iryolint.check(record["content"], format=recipe.page_format(record), path=rid))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    records = [json.loads(line) for line in open(args.corpus, encoding="utf-8")]
    records = [r for r in records if r.get("content_type") != "application/pdf"]
    size = sum(len(r["content"].encode()) for r in records)
    iryolint.check("warm up")
    wall, cpu = time.perf_counter(), time.process_time()
    if args.threads == 1:
        findings = sum(map(check, records))
    else:
        with ThreadPoolExecutor(args.threads) as pool:
            findings = sum(pool.map(check, records, chunksize=64))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"python threads={args.threads}: {len(records)} pages, {size / 1e6:.1f} MB, {findings} findings, "
          f"wall {wall:.2f} s, cpu {cpu:.2f} s, {len(records) / wall:.0f} pages/s, {size / 1e6 / wall:.1f} MB/s")


if __name__ == "__main__":
    main()
