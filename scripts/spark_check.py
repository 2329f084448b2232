#!/usr/bin/env python3
"""Checks a crawl with Spark and writes one JSON line per page, the same
lines as `iryolint check --input-format jsonl` (see SCALE.md).

Three ways, same output:

  python (default)  JSON Lines records (`id` or `url`, `content`, optional
                    `format` or `content_type`) on any file system Spark
                    reads, checked by the iryolint Python package in
                    mapPartitions: each Python worker compiles the rule
                    pack once and checks its partition's pages with the
                    GIL released.
  pipe              the same records streamed through the iryolint binary
                    with RDD.pipe, one process per partition.
  warc              WARC files (.warc, .warc.gz; a glob of paths every
                    executor can open), one task and one binary per file.

    spark-submit scripts/spark_check.py crawl.jsonl out/
    spark-submit scripts/spark_check.py --mode pipe --binary /opt/iryolint/bin/iryolint crawl.jsonl out/
    spark-submit scripts/spark_check.py --mode warc --binary /opt/iryolint/bin/iryolint '/mnt/crawl/*.warc.gz' out/
    python3 scripts/spark_check.py --master 'local[2]' crawl.jsonl out/     # pyspark from PyPI, no cluster
"""

import argparse
import glob
import json
import shlex
import sys
import time

# How a record says how to read its content: `format`, else the media type
# of `content_type`, else HTML (the command line's rules, README.md).
FORMATS = {"html": "html", "markdown": "markdown", "md": "markdown", "text": "text", "txt": "text"}
MEDIA_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/plain": "text",
}


def page_format(record):
    """The format of a record, or ValueError with the command line's message."""
    fmt, content_type = record.get("format"), record.get("content_type")
    if fmt is not None:
        if fmt.lower() not in FORMATS:
            raise ValueError(f"unknown `format` `{fmt}` (html, markdown or text)")
        return FORMATS[fmt.lower()]
    if content_type is not None:
        media = content_type.split(";")[0].strip().lower()
        if media not in MEDIA_TYPES:
            raise ValueError(f"`content_type` `{content_type}` is not HTML, Markdown or plain text")
        return MEDIA_TYPES[media]
    return "html"


def check_partition(records, lang="ja", config=None):
    """mapPartitions body: dict-like records in, JSON lines out.

    Imported inside the worker, so each Python worker process loads the
    package (and compiles the rule pack) once, then reuses it.
    """
    import iryolint

    for record in records:
        record = record.asDict() if hasattr(record, "asDict") else record
        rid = record.get("id") if record.get("id") is not None else record.get("url")
        line = {"id": rid}
        try:
            if rid is None:
                raise ValueError("the record has neither `id` nor `url`")
            if record.get("content") is None:
                raise ValueError("the record has no `content`")
            fmt = page_format(record)
            line["findings"] = iryolint.check(record["content"], format=fmt, lang=lang, config=config, path=rid)
        except ValueError as e:
            line["error"] = str(e)
        yield json.dumps(line, ensure_ascii=False)


def python_job(spark, source, lang, config, partitions):
    """The Python package over the records of `source`: an RDD of JSON lines."""
    schema = "id STRING, url STRING, content STRING, format STRING, content_type STRING"
    frame = spark.read.schema(schema).json(source)
    rdd = frame.rdd if partitions is None else frame.rdd.repartition(partitions)
    return rdd.mapPartitions(lambda rows: check_partition(rows, lang, config))


def pipe_job(spark, source, binary, lang, config, partitions):
    """The binary over the lines of `source`: (the input lines, an RDD of
    JSON lines).

    PySpark's pipe does not fail a task on the exit code (1 means findings,
    2 a bad record, which is reported on its own line), so the driver
    checks that every record got its line.
    """
    lines = spark.sparkContext.textFile(source, minPartitions=partitions or 2).filter(lambda l: l.strip())
    return lines, lines.pipe(shlex.join(binary_command(binary, lang, config, "jsonl")))


def binary_command(binary, lang, config, input_format):
    """The command line that checks a stream of `input_format` records."""
    command = [binary, "--lang", lang] + (["--config", config] if config else ["--no-config"])
    return command + ["check", "--input-format", input_format, "--threads", "1"]


def check_warc_file(path, command):
    """flatMap body: the JSON lines of one WARC file, streamed from the binary.

    Exit codes 1 (findings) and 2 (a bad record, on its own line) are
    expected; anything else fails the task.
    """
    import subprocess

    with subprocess.Popen(command + [path], stdout=subprocess.PIPE) as process:
        for line in process.stdout:
            yield line.decode("utf-8").rstrip("\n")
    if process.returncode not in (0, 1, 2):
        raise RuntimeError(f"iryolint exited with {process.returncode} on {path}")


def warc_job(spark, pattern, binary, lang, config):
    """The binary over every WARC file matching `pattern`: an RDD of JSON lines."""
    files = sorted(glob.glob(pattern)) or [pattern]
    command = binary_command(binary, lang, config, "warc")
    return spark.sparkContext.parallelize(files, len(files)).flatMap(lambda path: check_warc_file(path, command))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", help="JSON Lines records (a file, a folder or a glob), or WARC files (a glob)")
    ap.add_argument("output", help="folder to write the JSON lines to (part-NNNNN files, in input order)")
    ap.add_argument("--mode", choices=["python", "pipe", "warc"], default="python")
    ap.add_argument("--binary", default="iryolint", help="pipe and warc modes: the iryolint binary on every executor")
    ap.add_argument("--lang", choices=["ja", "en"], default="ja")
    ap.add_argument("--config", help="an iryolint.toml readable on every executor")
    ap.add_argument("--partitions", type=int, help="repartition the input into N partitions")
    ap.add_argument("--master", help="e.g. local[2] when run with plain python")
    args = ap.parse_args(argv)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("iryolint")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    try:
        expected = None
        if args.mode == "python":
            out = python_job(spark, args.input, args.lang, args.config, args.partitions)
        elif args.mode == "warc":
            out = warc_job(spark, args.input, args.binary, args.lang, args.config)
        else:
            records, out = pipe_job(spark, args.input, args.binary, args.lang, args.config, args.partitions)
            expected = records.count()
        started = time.perf_counter()
        out.saveAsTextFile(args.output)
        seconds = time.perf_counter() - started
        written = spark.sparkContext.textFile(args.output).map(json.loads)
        pages, findings, errors = written.map(
            lambda line: (1, len(line.get("findings", [])), int("error" in line))
        ).reduce(lambda a, b: (a[0] + b[0], a[1] + b[1], a[2] + b[2]))
        print(
            f"iryolint: {pages} pages, {findings} findings, {errors} pages could not be checked ({seconds:.1f} s)",
            file=sys.stderr,
        )
        if expected is not None and expected != pages:
            print(f"iryolint: {expected} records in, {pages} lines out", file=sys.stderr)
            return 3
        return 2 if errors else 0
    finally:
        spark.stop()


if __name__ == "__main__":
    sys.exit(main())
