"""The Spark recipe (scripts/spark_check.py) on 10,000 generated pages, in
local mode with PySpark from PyPI: both ways of running it must give, page
for page and in input order, the lines of `iryolint check --input-format
jsonl` on the same file.

Skipped, saying why, when Java or pyspark is missing (.ci/run installs
both)."""

import glob
import importlib.util
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, binary_path

PAGES = 10_000
BAD_EVERY = 1_000


def missing_requirement():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java is not installed (apt-get install default-jre-headless)"
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install pyspark)"
    return None


pytestmark = pytest.mark.skipif(missing_requirement() is not None, reason=str(missing_requirement()))


def load_recipe():
    spec = importlib.util.spec_from_file_location("spark_check", ROOT / "scripts" / "spark_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "crawl.jsonl"
    subprocess.run(
        [sys.executable, ROOT / "scripts" / "gen_corpus.py", "--pages", str(PAGES), "--bad-every", str(BAD_EVERY),
         "-o", path],
        check=True,
    )
    return path


@pytest.fixture(scope="module")
def cli_lines(corpus, cli):
    out = cli("--lang", "ja", "check", "--input-format", "jsonl", corpus)
    assert out.returncode == 2, "the corpus has records that cannot be checked"
    lines = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert len(lines) == PAGES
    return lines


def run_recipe(corpus, output, *args):
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers import iryolint from this Python
    status = load_recipe().main(["--master", "local[2]", *args, str(corpus), str(output)])
    lines = [json.loads(line) for part in sorted(glob.glob(str(output / "part-*"))) for line in open(part, encoding="utf-8")]
    return status, lines


def assert_same_lines(spark, cli):
    assert len(spark) == len(cli) == PAGES
    errors = findings = 0
    for got, want in zip(spark, cli):
        want = {k: v for k, v in want.items() if k != "source"}  # where a record is differs per partition
        got = {k: v for k, v in got.items() if k != "source"}
        assert got == want, f"record {want['id']}"
        errors += "error" in want
        findings += len(want.get("findings", []))
    assert errors == PAGES // BAD_EVERY
    assert findings > 5 * PAGES, "the generated pages are full of findings"


def test_spark_with_the_python_package_gives_the_command_lines_findings(corpus, cli_lines, tmp_path):
    status, lines = run_recipe(corpus, tmp_path / "out")
    assert status == 2, "bad records are reported"
    assert_same_lines(lines, cli_lines)


def test_spark_through_the_binary_gives_the_command_lines_findings(corpus, cli_lines, tmp_path):
    """RDD.pipe: each partition's lines streamed through the binary."""
    status, lines = run_recipe(corpus, tmp_path / "out", "--mode", "pipe", "--binary", str(binary_path()))
    assert status == 2
    assert_same_lines(lines, cli_lines)


def test_spark_over_warc_files_gives_the_command_lines_findings(cli, tmp_path):
    """One task per .warc.gz file, as crawls are stored."""
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    for part in range(3):
        subprocess.run(
            [sys.executable, ROOT / "scripts" / "gen_corpus.py", "--pages", "700", "--seed", f"warc-{part}",
             "--format", "warc", "--gzip", "-o", crawl / f"part-{part}.warc.gz"],
            check=True,
        )
    files = sorted(crawl.glob("*.warc.gz"))
    out = cli("--lang", "ja", "check", "--input-format", "warc", *files)
    assert out.returncode == 1, out.stderr.decode()
    want = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert len(want) == 2100 and all("findings" in line for line in want)
    status, got = run_recipe(str(crawl / "*.warc.gz"), tmp_path / "out", "--mode", "warc", "--binary", str(binary_path()))
    assert status == 0
    assert got == want
