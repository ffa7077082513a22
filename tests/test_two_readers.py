"""A long period's figures are counted by two readers of the file at once (SPEC §11: ten years
of 100,000 cases in a second on two cores): the second reader must see exactly what the first
sees, or not be used; what fails on either side reaches the clerk through the one boundary."""

from __future__ import annotations

import datetime as dt
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledger import reports
from ledger.cli import app
from ledger.store import Ledger

TEN_YEARS = (dt.date(2016, 10, 14), dt.date(2026, 10, 14))


def figures(ledger: Ledger, start: dt.date, end: dt.date) -> tuple:
    with ledger.reading():
        return reports.weekly_with_counts(ledger, ledger.calendar(), start, end)


def readers_used(monkeypatch) -> list:
    """The second readers the figures were given (None: counted by one reader alone)."""
    seen = []
    original = Ledger._twin

    def spy(self):
        twin = original(self)
        seen.append(twin)
        return twin

    monkeypatch.setattr(Ledger, "_twin", spy)
    return seen


def counting_endlessly(on_start: Callable[[], object], seen: list) -> Callable[[Ledger], None]:
    """Work for the other reader: a count that would take minutes, calling `on_start` at
    its first row and noting the error that stops it in `seen`."""

    def work(reader: Ledger) -> None:
        reader.conn.create_function("started", 0, lambda: on_start() or 1)
        try:
            reader.conn.execute(
                "WITH RECURSIVE n(i) AS (SELECT started() UNION ALL SELECT i + 1 FROM n "
                "WHERE i < 1000000000) SELECT count(*) FROM n"
            ).fetchone()
        except sqlite3.OperationalError as error:
            seen.append(str(error))
            raise

    return work


def copy_of(bench_ledger: Path, db: Path) -> Path:
    with sqlite3.connect(bench_ledger) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    return db


def pack_of(bench_ledger: Path, tmp_path: Path, pack: Path) -> Path:
    """A pack of a copy of the fixed-seed ledger, its window named."""
    db = copy_of(bench_ledger, tmp_path / "ledger.db")
    runner = CliRunner()
    named = runner.invoke(app, ["--db", str(db), "settings", "set", "window_code", "dg-01"])
    assert named.exit_code == 0, named.output
    made = runner.invoke(app, ["--db", str(db), "pack", str(pack)])
    assert made.exit_code == 0, made.output
    return pack


@pytest.mark.parametrize(
    "start, end",
    [
        TEN_YEARS,
        ("2025-01-01", "2025-12-31"),
        ("2020-01-01", "2020-06-30"),
        ("2026-07-01", "2026-10-14"),
    ],
)
def test_two_readers_count_what_one_counts(bench_ledger, start, end, monkeypatch):
    start, end = dt.date.fromisoformat(str(start)), dt.date.fromisoformat(str(end))
    ledger = Ledger(bench_ledger)
    try:
        seen = readers_used(monkeypatch)
        together = figures(ledger, start, end)
        assert len(seen) == 1 and seen[0] is not None  # the second reader did count
        monkeypatch.setattr(Ledger, "_twin", lambda self: None)
        alone = figures(ledger, start, end)
    finally:
        ledger.close()
    assert together == alone
    assert together[0]["received"] > 0


def test_a_week_is_counted_by_one_reader(bench_ledger, monkeypatch):
    seen = readers_used(monkeypatch)
    ledger = Ledger(bench_ledger)
    try:
        figures(ledger, dt.date(2026, 10, 5), dt.date(2026, 10, 11))
    finally:
        ledger.close()
    assert seen == []


def test_a_change_recorded_between_the_two_views_leaves_one_reader(tmp_path):
    db = tmp_path / "ledger.db"
    runner = CliRunner()
    add = ["--db", str(db), "add", "--applicant", "张三", "--matter", "营业执照"]
    assert runner.invoke(app, [*add, "--at", "2026-10-09 09:00"]).exit_code == 0
    ledger = Ledger(db)
    try:
        with ledger.reading():
            ledger.settings()  # this reader's view is fixed here
            # another window records a case while this one reads
            assert runner.invoke(app, [*add, "--at", "2026-10-12 09:00"]).exit_code == 0
            assert ledger._twin() is None
            got = []
            with ledger.beside(lambda reader: got.append(reader) or reader.count()) as result:
                assert result() == 1  # the first view's count, not the second's
            assert got == [ledger]
            figures_then = reports.weekly_with_counts(
                ledger, ledger.calendar(), dt.date(2016, 1, 1), dt.date(2026, 10, 14)
            )[0]
        assert figures_then["received"] == 1
        with ledger.reading():
            twin = ledger._twin()
            assert twin is not None and twin.count() == 2
            twin.conn.close()
    finally:
        ledger.close()


def test_a_failure_beside_reaches_the_asking_side(bench_ledger):
    ledger = Ledger(bench_ledger)

    def broken(reader: Ledger) -> None:
        reader.conn.execute("SELECT * FROM no_such_table")

    try:
        with (
            ledger.reading(),
            ledger.beside(broken) as result,
            pytest.raises(sqlite3.OperationalError, match="no_such_table"),
        ):
            result()
    finally:
        ledger.close()


def test_a_failure_here_stops_the_reader_beside(bench_ledger):
    """The other reader is interrupted, not left counting after this side has given up."""
    ledger = Ledger(bench_ledger)
    started, seen = threading.Event(), []

    endless = counting_endlessly(lambda: started.set(), seen)
    try:
        with pytest.raises(KeyboardInterrupt), ledger.reading(), ledger.beside(endless):
            assert started.wait(60)
            raise KeyboardInterrupt
    finally:
        ledger.close()
    assert seen == ["interrupted"]


def test_the_city_counts_each_pack_with_two_readers(bench_ledger, tmp_path, monkeypatch):
    pack = pack_of(bench_ledger, tmp_path, tmp_path / "window.db")
    runner = CliRunner()
    period = ["--from", "2016-10-14", "--to", "2026-10-14", "--json"]
    seen = readers_used(monkeypatch)
    together = runner.invoke(app, ["city", str(pack), *period])
    assert together.exit_code == 0, together.output
    assert len(seen) == 1 and seen[0] is not None
    monkeypatch.setattr(Ledger, "_twin", lambda self: None)
    alone = runner.invoke(app, ["city", str(pack), *period])
    assert together.output == alone.output


@pytest.fixture
def ctrl_c_raises():
    """Ctrl-C raises KeyboardInterrupt, as at the clerk's terminal. A process started in the
    background by a shell without job control (`cmd &`) inherits SIGINT ignored, and Python
    then installs no handler: the signal this test sends would be lost (the suite run that
    way waited here for a count of a billion rows)."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def test_ctrl_c_while_waiting_for_the_other_reader_stops_it_first(bench_ledger, ctrl_c_raises):
    """Python may take a thread interrupted in `join` for finished: the other reader's
    connection must be closed only when it has really stopped (else SQLite crashes)."""
    ledger = Ledger(bench_ledger)
    main, seen = threading.get_ident(), []

    # at its first row this side is waiting for the answer (or about to)
    endless = counting_endlessly(lambda: signal.pthread_kill(main, signal.SIGINT), seen)
    try:
        with pytest.raises(KeyboardInterrupt), ledger.reading(), ledger.beside(endless) as result:
            result()
    finally:
        ledger.close()
    assert seen == ["interrupted"]


def test_ctrl_c_while_the_thread_starts_leaves_its_connection_untouched(bench_ledger, monkeypatch):
    """A Ctrl-C may arrive while `Thread.start` waits for the new thread, which then runs:
    its connection is closed at once, so it must never begin the work on it."""
    ledger = Ledger(bench_ledger)
    seen, started = [], []
    real_start = threading.Thread.start

    def start_then_ctrl_c(thread):
        real_start(thread)
        started.append(thread)
        raise KeyboardInterrupt

    monkeypatch.setattr(threading.Thread, "start", start_then_ctrl_c)
    try:
        work = seen.append
        with pytest.raises(KeyboardInterrupt), ledger.reading(), ledger.beside(work) as result:
            result()
    finally:
        ledger.close()
    assert len(started) == 1
    started[0].join(timeout=10)
    assert not started[0].is_alive()
    assert seen == []


CTRL_C_INSIDE_GO = """
import datetime as dt, inspect, sys, threading
from ledger import reports
from ledger.store import Ledger
ledger = Ledger(sys.argv[1])
source, first = inspect.getsourcelines(threading.Event.set)
wake_up = first + next(n for n, line in enumerate(source) if "notify_all" in line)
fired = []
def calls(frame, event, arg):
    if event == "call" and frame.f_code is threading.Event.set.__code__ and not fired:
        return lines
def lines(frame, event, arg):
    if event == "line" and frame.f_lineno == wake_up and not fired:
        fired.append(frame.f_lineno)
        raise KeyboardInterrupt  # after the event's flag, before its wake-up call
    return lines
try:
    with ledger.reading():
        sys.settrace(calls)
        try:
            reports.weekly(ledger, ledger.calendar(), dt.date(2016, 10, 14), dt.date(2026, 10, 14))
        finally:
            sys.settrace(None)
except KeyboardInterrupt:
    print("stopped", len(fired))
"""


def test_ctrl_c_between_letting_the_reader_go_and_waking_it_does_not_hang(bench_ledger):
    """The first Event.set on this side is the one that lets the second reader go: a Ctrl-C
    inside it, after its flag and before its wake-up call, must still end the command."""
    done = subprocess.run(
        [sys.executable, "-c", CTRL_C_INSIDE_GO, str(bench_ledger)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "stopped 1"


def test_no_second_reader_inside_a_change(bench_ledger, tmp_path):
    ledger = Ledger(copy_of(bench_ledger, tmp_path / "ledger.db"))
    try:
        with ledger.writing(commit=False):
            assert ledger._twin() is None  # it would not see what is not yet committed
        with ledger.reading():
            twin = ledger._twin()
            assert twin is not None
            twin.conn.close()
    finally:
        ledger.close()


def test_no_thread_to_be_had_leaves_one_reader(bench_ledger, monkeypatch):
    ledger = Ledger(bench_ledger)
    try:
        alone = figures(ledger, *TEN_YEARS)

        def refuse(self):
            raise RuntimeError("can't start new thread")

        monkeypatch.setattr(threading.Thread, "start", refuse)
        assert figures(ledger, *TEN_YEARS) == alone
    finally:
        ledger.close()


def test_a_packs_second_reader_is_as_immutable_as_the_first(bench_ledger, tmp_path):
    """A pack is read as it is: never its log, nothing written beside it; one someone
    switched to WAL mode is refused (its log would be passed over) and left as it was."""
    (tmp_path / "packs").mkdir()
    pack = pack_of(bench_ledger, tmp_path, tmp_path / "packs" / "window.db")
    before = sorted(p.name for p in pack.parent.iterdir())
    period = ["--from", "2016-10-14", "--to", "2026-10-14", "--json"]
    result = CliRunner().invoke(app, ["city", str(pack), *period])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in pack.parent.iterdir()) == before
    with sqlite3.connect(pack) as conn:  # a pack someone opened in WAL mode, its log left
        conn.execute("PRAGMA journal_mode = WAL")
    pack.with_name("window.db-wal").write_bytes(b"")
    before = sorted(p.name for p in pack.parent.iterdir())
    result = CliRunner().invoke(app, ["city", str(pack), *period])
    assert result.exit_code == 1 and "WAL" in result.output
    assert sorted(p.name for p in pack.parent.iterdir()) == before


def test_a_restore_and_another_case_in_its_place_leave_one_reader(tmp_path):
    """Between the two views another window restores a copy and enters a case where one
    was: the same last ids, another ledger — the mark must tell them apart."""
    db, copy = tmp_path / "ledger.db", tmp_path / "copy.db"
    runner = CliRunner()
    add = ["--db", str(db), "add", "--matter", "营业执照", "--at", "2026-10-12 09:00"]
    assert runner.invoke(app, [*add, "--applicant", "张三"]).exit_code == 0
    assert runner.invoke(app, ["--db", str(db), "backup", str(copy)]).exit_code == 0
    assert runner.invoke(app, [*add, "--applicant", "李四"]).exit_code == 0
    ledger = Ledger(db)
    try:
        with ledger.reading():
            ledger.settings()  # this reader's view is fixed here
            restored = runner.invoke(app, ["--db", str(db), "restore", str(copy)])
            assert restored.exit_code == 0, restored.output
            assert runner.invoke(app, [*add, "--applicant", "王五"]).exit_code == 0
            assert ledger._twin() is None
    finally:
        ledger.close()
