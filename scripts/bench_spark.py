#!/usr/bin/env python3
"""Times the Spark recipe in local mode (SCALE.md): in one Spark session, a
warm-up over a few pages (JVM, Python workers, rule pack), then each mode
twice over the corpus; prints the better time of the two.

    bench_spark.py 'local[2]' corpus.jsonl path/to/iryolint
"""

import importlib.util
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
spec = importlib.util.spec_from_file_location("spark_check", Path(__file__).with_name("spark_check.py"))
recipe = importlib.util.module_from_spec(spec)
spec.loader.exec_module(recipe)


def main():
    master, corpus, binary = sys.argv[1:4]
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master(master).appName("iryolint-bench")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    pages = sum(1 for _ in open(corpus, encoding="utf-8"))
    jobs = {
        "python": lambda source: recipe.python_job(spark, source, "ja", None, None),
        "pipe": lambda source: recipe.pipe_job(spark, source, binary, "ja", None, None)[1],
    }
    work = Path(tempfile.mkdtemp())
    try:
        warm = work / "warm.jsonl"
        with open(corpus, encoding="utf-8") as src, open(warm, "w", encoding="utf-8") as dst:
            dst.writelines(line for _, line in zip(range(200), src))
        for name, job in jobs.items():
            job(str(warm)).saveAsTextFile(str(work / f"warm-{name}"))
        for name, job in jobs.items():
            best = None
            for attempt in range(2):
                out = work / f"{name}-{attempt}"
                started = time.perf_counter()
                job(corpus).saveAsTextFile(str(out))
                seconds = time.perf_counter() - started
                best = seconds if best is None else min(best, seconds)
                shutil.rmtree(out)
            print(f"spark {master} {name}: {pages} pages in {best:.2f} s, {pages / best:.0f} pages/s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        spark.stop()


if __name__ == "__main__":
    main()
