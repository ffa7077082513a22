"""Every test gets its own ledger file in tmp_path, English unless it asks otherwise."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledger.cli import app


@pytest.fixture(scope="session")
def empty_ledger(tmp_path_factory) -> Path:
    """A new ledger as `ledger add` would start it, made once and copied for each test."""
    from ledger.store import Ledger

    path = tmp_path_factory.mktemp("empty") / "ledger.db"
    Ledger(path).close()
    return path


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "no_ledger: the test starts where no ledger exists yet")


@pytest.fixture(autouse=True)
def ledger_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request, empty_ledger: Path
) -> Path:
    """Every test gets its own ledger file, a new empty ledger unless marked `no_ledger`."""
    path = tmp_path / "ledger.db"
    if request.node.get_closest_marker("no_ledger") is None:
        shutil.copyfile(empty_ledger, path)
    monkeypatch.setenv("LEDGER_DB", str(path))
    monkeypatch.setenv("LEDGER_LANG", "en")
    # an error the boundary does not know is a bug: let it fail the test with its traceback
    monkeypatch.setenv("LEDGER_DEBUG", "1")
    return path


class Result:
    def __init__(self, result) -> None:
        self.exit_code = result.exit_code
        self.stdout = result.stdout
        self.stderr = result.stderr
        self.exception = result.exception

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture
def run():
    """Run `ledger ARGS...` as the clerk would, in-process; returns exit code, stdout, stderr."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        result = runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=True)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result)

    return invoke


def digest(path: Path) -> str:
    """The bytes of the ledger file and of its write-ahead log, so 'unchanged' means
    unchanged. (An empty log, which SQLite leaves after a read-only look, holds nothing.)"""
    h = hashlib.sha256(path.read_bytes())
    wal = path.with_name(path.name + "-wal")
    h.update(wal.read_bytes() if wal.exists() else b"")
    return h.hexdigest()


@pytest.fixture
def refused(run, ledger_file):
    """Run a command that must be refused: exit code, one clear line, no traceback, no change."""

    def check(*args: str, code: int = 1, message: str | None = None, input: str | None = None):
        before = digest(ledger_file)
        result = run(*args, input=input)
        assert result.exit_code == code, (result.stdout, result.stderr)
        assert "Traceback" not in result.stderr + result.stdout
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, result.stderr
        if message is not None:
            assert message in lines[0], lines[0]
        assert digest(ledger_file) == before, "a refused command changed the ledger file"
        return lines[0]

    return check


def ledger_cmd(db: Path, *args: str, **options) -> subprocess.CompletedProcess:
    """`ledger ARGS...` as its own process, the way the clerk's terminal runs it."""
    env = {**os.environ, "LEDGER_DB": str(db), "LEDGER_LANG": "en"}
    env.pop("LEDGER_DEBUG", None)
    if "stdout" not in options and "stderr" not in options:
        options["capture_output"] = True
    return subprocess.run(
        [sys.executable, "-m", "ledger", *map(str, args)],
        env=env,
        text=True,
        timeout=120,
        **options,
    )
