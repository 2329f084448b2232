"""Shared helpers: the repository, the built command-line binary, and
running it the way a user would."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def binary_path() -> Path:
    """The release binary: $IRYOLINT_BIN, else the cargo target folder."""
    if os.environ.get("IRYOLINT_BIN"):
        return Path(os.environ["IRYOLINT_BIN"])
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    if not target.is_absolute():
        target = ROOT / target
    return target / "release" / "iryolint"


@pytest.fixture(scope="session")
def cli():
    """Runs the command line (with --no-config unless --config is given) and
    returns the completed process."""
    binary = binary_path()
    if not binary.exists():
        pytest.fail(f"{binary} is missing: run `cargo build --release` first (or set IRYOLINT_BIN)")

    def run(*args, stdin=None):
        args = [str(a) for a in args]
        no_config = [] if "--config" in args else ["--no-config"]
        return subprocess.run(
            [str(binary), *no_config, *args],
            input=stdin,
            capture_output=True,
            env={**os.environ, "LANG": "C", "NO_COLOR": "1"},
            check=False,
        )

    return run


@pytest.fixture(scope="session")
def cli_json(cli):
    """The JSON report of `check --format json` on some files."""

    def report(*args):
        out = cli("check", "--format", "json", *args)
        assert out.returncode in (0, 1), out.stderr.decode()
        return json.loads(out.stdout)

    return report
