"""A ledger of an earlier schema migrates forward in named steps and keeps its history.

`data/ledger-v1.sql` is a ledger written by version 1 of the ledger itself (the sample
imported, then a fortnight of recorded moves in both languages: returns, extensions, chases,
an unsatisfied answer and a reopening, edits, a `cannot`, a void), and
`data/ledger-v1-reports.json` holds what version 1 printed for it: every day's sheet and
overdue list from 2026-09-14 to 2026-10-14, the weekly figures, four cases. After the
migration every one of them reads the same, and `ledger check` finds the as-of index to be
exactly what the carried-over timeline gives.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from conftest import digest

DATA = Path(__file__).parent / "data"
OLD = json.loads((DATA / "ledger-v1-reports.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    from ledger.store import Ledger

    path = tmp_path_factory.mktemp("v1") / "ledger.db"
    conn = sqlite3.connect(path)
    conn.executescript((DATA / "ledger-v1.sql").read_text(encoding="utf-8"))
    conn.close()
    Ledger(path).close()  # opening migrates
    return path


@pytest.fixture
def ledger(migrated, ledger_file) -> Path:
    ledger_file.write_bytes(migrated.read_bytes())
    return ledger_file


def same_keys(old: object, new: object) -> object:
    """`new` with only the keys `old` had: later versions add keys, never change old ones."""
    if isinstance(old, dict) and isinstance(new, dict):
        return {k: same_keys(v, new.get(k)) for k, v in old.items()}
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [same_keys(o, n) for o, n in zip(old, new, strict=True)]
    return new


def test_the_file_is_at_the_current_version_and_sound(ledger, run):
    from ledger.store import SCHEMA_VERSION, Ledger

    opened = Ledger(ledger)
    assert opened.user_version() == SCHEMA_VERSION
    steps = [r[0] for r in opened.conn.execute("SELECT name FROM _sqlite_migrations")]
    assert steps == [
        "m001_initial",
        "m002_one_history",
        "m003_practice",
        "m004_period_figures",
        "m005_pause_reasons",
        "m006_setting_history",
        "m007_calendar_history",
    ]
    opened.close()
    result = run("check")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("day", sorted(OLD["daily"]))
def test_every_days_sheet_and_overdue_list_read_as_before(ledger, run, day):
    overdue = run("overdue", "--date", day, "--json").json()
    assert same_keys(OLD["overdue"][day], overdue) == OLD["overdue"][day]
    old, now = dict(OLD["daily"][day]), run("daily", "--date", day, "--json").json()
    # one deliberate change: the orders handed out on the day are those still out at its end
    # (version 1 also listed one sent back or settled the same day, under its old department)
    handed = {c["id"] for g in old.pop("to_dispatch") for c in g["cases"]}
    still_out = {c["id"] for g in now["to_dispatch"] for c in g["cases"]}
    assert still_out <= handed
    settled = {c["id"] for c in now["feedback_due"]} | {
        i for i in handed - still_out if run("show", i, "--json").json()["resolved_at"]
    }
    assert handed - still_out <= settled
    counts = dict(old.pop("counts"))
    assert counts.pop("to_dispatch") == len(handed)
    assert {k: now["counts"][k] for k in counts} == counts
    assert same_keys(old, now) == old


@pytest.mark.parametrize("period", sorted(OLD["weekly"]))
def test_the_weekly_figures_read_as_before(ledger, run, period):
    if ".." in period:
        start, end = period.split("..")
        args = ["--from", start, "--to", end]
    else:
        args = ["--week", period]
    now = run("weekly", *args, "--json").json()
    old = dict(OLD["weekly"][period])
    # one deliberate change (issue 15): three alarm lines, each department named with the
    # figures that fell short; version 1 named those under the on-time line alone
    named = old.pop("below_threshold")
    below = now.pop("below_threshold")
    assert named == [b["department"] for b in below if "on_time_rate" in b["figures"]]
    # a second: an answer given in the period and then objected to (reopened) still counts
    # as answered; version 1 counted only the cases standing closed at the end
    low, high = (start, end) if ".." in period else (now["from"], now["to"])
    told_then_reopened = 0
    for case in run("list", "--json").json():
        moves = [
            e["action"]
            for e in run("show", case["id"], "--json").json()["timeline"]
            if low <= e["at"][:10] <= high
        ]
        if "resolve" in moves and "feedback" in moves[moves.index("resolve") :]:
            after = moves[len(moves) - moves[::-1].index("feedback") :]
            told_then_reopened += "reopen" in after and "resolve" not in after
    resolved = now["resolved"]
    was, is_now = old.pop("feedback_rate"), now.pop("feedback_rate")
    assert round(is_now * resolved) == round(was * resolved) + told_then_reopened
    # a third (version 4): a department's work orders are those it did not send back (退单),
    # and a reopening that sends a case back to its department is one (重办); what follows
    # from the orders alone may differ, nothing else
    orders = ("dispatched", "resolution_rate", "acknowledged_in_time_rate")
    old_rows, rows = old.pop("departments"), now.pop("departments")
    assert [r["department"] for r in rows] == [r["department"] for r in old_rows]
    for before, after in zip(old_rows, rows, strict=True):
        kept = {k: v for k, v in before.items() if k not in orders}
        assert same_keys(kept, after) == kept
    assert same_keys(old, now) == old


@pytest.mark.parametrize("case_id", sorted(OLD["shows"]))
def test_each_case_keeps_its_fields_and_its_timeline(ledger, run, case_id):
    old = OLD["shows"][case_id]
    now = run("show", case_id, "--json").json()
    fields = {k: v for k, v in old.items() if k != "timeline"}
    assert {k: now[k] for k in fields} == fields
    assert [(e["at"], e["action"], e["status_to"]) for e in now["timeline"]] == [
        (e["at"], e["action"], e["status_to"]) for e in old["timeline"]
    ]
    # the notes stay as they were written, in the language of the day
    assert [e["note"] for e in now["timeline"]] == [e["note"] for e in old["timeline"]]


def test_carried_over_moves_can_be_taken_back(ledger, run):
    # 2026-0047 was reopened on 10-14 in version 1: undo puts it back to closed
    before = run("show", "2026-0047", "--json").json()
    assert before["status"] == "dispatched"
    result = run("undo", "2026-0047", "--json")
    assert result.exit_code == 0, result.stderr
    after = result.json()
    assert after["status"] == "closed" and after["satisfaction"] == "unsatisfied"
    assert after["resolved_at"] == "2026-10-13 10:00"
    assert run("check").exit_code == 0


def _version_one(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript((DATA / "ledger-v1.sql").read_text(encoding="utf-8"))
    conn.close()
    return path


def _cases(path: Path) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT * FROM cases ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.mark.no_ledger
def test_the_file_as_it_was_is_kept_before_an_upgrade_even_by_a_failing_command(ledger_file, run):
    """An upgrade rewrites the file (step 2 remakes the history) and runs for any command:
    `show` of a case that does not exist upgraded a version-1 ledger and kept no copy of it,
    and the day's copy made at the next change was of the upgraded file."""
    import datetime as dt

    from ledger.store import SCHEMA_VERSION

    _version_one(ledger_file)
    before = _cases(ledger_file)
    result = run("show", "2026-9999")
    assert result.exit_code == 1
    (copy,) = (ledger_file.parent / "backups").glob(f"{ledger_file.stem}-v1-{dt.date.today()}T*.db")
    assert re.fullmatch(r"ledger-v1-\d{4}-\d\d-\d\dT\d{6}\.db", copy.name)
    assert result.stderr.splitlines() == [
        f"The ledger {ledger_file} was upgraded from version 1 to {SCHEMA_VERSION}; the file as "
        f"it was is kept as {copy}.",
        "No case with id 2026-9999",
    ]
    conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert _cases(copy) == before
    # the copy is not one of the day's copies: the next change makes that one beside it
    assert run("note", "2026-0001", "看过").exit_code == 0
    names = sorted(p.name for p in copy.parent.iterdir())
    assert names == sorted([copy.name, f"{ledger_file.stem}-{dt.date.today()}.db"])


@pytest.mark.no_ledger
def test_an_upgrade_whose_copy_cannot_be_made_changes_nothing(ledger_file, refused):
    """Where the copy cannot be written (here `backups` is a file), the old file is not
    upgraded: the clerk is told, and it stays byte for byte as it was."""
    _version_one(ledger_file)
    (ledger_file.parent / "backups").write_text("not a folder", encoding="utf-8")
    line = refused("daily", "--date", "2026-10-14")
    backups = ledger_file.parent / "backups"
    assert line == (
        f"The ledger keeps its copies in the folder {backups}, but a file has that name; "
        "move or rename that file, then try again (nothing was changed)."
    )
    assert not any(p.name.endswith(".partial") for p in ledger_file.parent.iterdir())


@pytest.mark.no_ledger
def test_an_upgrade_whose_copy_the_system_refuses_says_so_and_changes_nothing(
    ledger_file, refused, monkeypatch
):
    """A folder of copies the clerk may not write in (a locked-down account): the upgrade
    waits, the line says why and where."""
    import errno

    import ledger.store

    def denied(path: Path) -> Path:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    _version_one(ledger_file)
    monkeypatch.setattr(ledger.store, "claim_name", denied)
    line = refused("daily", "--date", "2026-10-14")
    backups = ledger_file.parent / "backups"
    assert line == (
        f"The ledger {ledger_file} needs upgrading from version 1, but its copy before the "
        f"upgrade could not be written in {backups} (Permission denied); to be safe nothing "
        "was changed."
    )


@pytest.mark.no_ledger
def test_restore_keeps_an_older_ledger_aside_as_it_was_not_upgraded_first(ledger_file, run):
    """`restore` over a ledger of an older version upgraded it (and copied it) before keeping
    it aside: the file kept was not the file the clerk had."""
    good = ledger_file.parent / "good.db"
    assert run("--db", good, "add", "--applicant", "甲", "--matter", "一").exit_code == 0
    _version_one(ledger_file)
    original = ledger_file.read_bytes()
    result = run("restore", good)
    assert result.exit_code == 0, result.stderr
    backups = ledger_file.parent / "backups"
    (kept,) = backups.glob("ledger-before-restore-*.db")
    assert kept.read_bytes() == original
    assert not list(backups.glob("ledger-v1-*"))
    assert [case[0] for case in _cases(ledger_file)] == ["2026-0001"]


@pytest.mark.no_ledger
def test_an_upgrade_cut_short_leaves_the_old_file_and_no_copy_to_pile_up(
    ledger_file, run, monkeypatch
):
    """Ctrl-C during the upgrade: the file stays as it was, and the copy made before it goes
    (the next open makes its own, so copies of an unchanged file would pile up)."""
    from ledger.store import Ledger

    def cut_short(self) -> None:  # the steps made, not yet committed
        raise KeyboardInterrupt

    _version_one(ledger_file)
    original = _cases(ledger_file)
    before = digest(ledger_file)
    monkeypatch.setattr(Ledger, "_note_own_state", cut_short)
    result = run("daily", "--date", "2026-10-14")
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr
    conn = sqlite3.connect(f"file:{ledger_file}?mode=ro", uri=True)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
    assert _cases(ledger_file) == original
    assert digest(ledger_file) == before  # byte for byte: its log mode was not switched
    assert not (ledger_file.parent / "backups").exists(), result.stderr


def _no_copy_and_as_it_was(ledger_file: Path, before: str, result) -> None:
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.strip()]) == 1
    assert digest(ledger_file) == before  # its log mode (the header) included
    assert not (ledger_file.parent / "backups").exists(), list(
        (ledger_file.parent / "backups").glob("*")
    )


@pytest.mark.no_ledger
def test_an_upgrade_refused_on_its_commit_takes_its_copy_back(ledger_file, run, monkeypatch):
    """A full disk on the commit: SQLite rolls the upgrade back itself, and the copy made
    before it stayed in backups/ (never pruned), one more each try; the file's header had
    been switched to the write-ahead log already."""
    from ledger.store import Ledger

    def full_on_commit(self) -> None:
        self.conn.execute("ROLLBACK")  # as SQLite does on SQLITE_FULL
        raise sqlite3.OperationalError("database or disk is full")

    _version_one(ledger_file)
    before = digest(ledger_file)
    monkeypatch.setattr(Ledger, "_note_own_state", full_on_commit)
    for _ in range(2):
        result = run("show", "2026-0001")
        _no_copy_and_as_it_was(ledger_file, before, result)
        assert "disk is full" in result.stderr


@pytest.mark.no_ledger
def test_an_upgrade_that_waits_for_another_programs_lock_in_vain_keeps_nothing(
    ledger_file, run, monkeypatch
):
    """Another program held a write lock on a version-1 file: each try failed at once
    (switching the log mode does not wait) and left a full copy in backups/."""
    from ledger import store

    _version_one(ledger_file)
    before = digest(ledger_file)
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(ledger_file, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        for _ in range(2):
            result = run("show", "2026-0001")
            _no_copy_and_as_it_was(ledger_file, before, result)
            assert "held by another window" in result.stderr
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert run("show", "2026-0001").exit_code == 0  # once it is let go, the upgrade runs
    assert len(list((ledger_file.parent / "backups").glob("ledger-v1-*.db"))) == 1


def _as_version_5(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(
        "DROP TABLE calendar_changes;"
        "DROP TABLE setting_changes;"
        "DELETE FROM _sqlite_migrations "
        "WHERE name IN ('m006_setting_history', 'm007_calendar_history');"
        "PRAGMA user_version = 5;"
    )
    conn.close()


def test_a_failed_upgrade_does_not_fold_a_log_another_window_left(ledger_file, run, monkeypatch):
    """A version-5 file with a committed change still in its `-wal` (a window killed after
    its commit): the failed upgrade's connection, closed by the garbage collector, folded
    that log into the file."""
    import gc
    import subprocess
    import sys

    from ledger.store import Ledger

    assert run("add", "--applicant", "甲", "--matter", "事").exit_code == 0
    _as_version_5(ledger_file)
    killed = (
        "import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute('PRAGMA journal_mode = WAL'); "
        'c.execute("UPDATE settings SET value = value WHERE 0"); '
        "c.execute(\"INSERT INTO ledger_meta VALUES ('x', 'left in the log')\"); "
        "c.commit(); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", killed, str(ledger_file)], check=True)
    wal = ledger_file.with_name(ledger_file.name + "-wal")
    assert wal.stat().st_size > 0
    before = digest(ledger_file)

    def cut_short(self) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Ledger, "_note_own_state", cut_short)
    result = run("list")
    assert result.exit_code == 1
    gc.collect()
    assert digest(ledger_file) == before  # the file and its log, as they were


def test_a_current_file_outside_the_log_is_switched_by_a_change_not_by_a_read(ledger_file, run):
    """An upgrade cut just after its commit left the file in its old log mode, and only a
    later upgrade would have switched it."""
    conn = sqlite3.connect(ledger_file)
    assert conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    conn.close()
    before = digest(ledger_file)
    assert run("list").exit_code == 0
    assert digest(ledger_file) == before  # a read writes nothing, its header included
    assert run("resolve", "2026-0099", "--method", "m", "--outcome", "o").exit_code == 1
    assert digest(ledger_file) == before  # nor does a refused change
    assert run("add", "--applicant", "甲", "--matter", "事").exit_code == 0
    conn = sqlite3.connect(f"file:{ledger_file}?mode=ro", uri=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


@pytest.mark.no_ledger
def test_a_failed_upgrade_leaves_a_backups_folder_the_clerk_made(ledger_file, run, monkeypatch):
    from ledger.store import Ledger

    def cut_short(self) -> None:
        raise KeyboardInterrupt

    _version_one(ledger_file)
    (ledger_file.parent / "backups").mkdir()
    monkeypatch.setattr(Ledger, "_note_own_state", cut_short)
    assert run("list").exit_code == 1
    assert (ledger_file.parent / "backups").is_dir()
    assert not list((ledger_file.parent / "backups").iterdir())


@pytest.mark.no_ledger
@pytest.mark.parametrize("when", ["reading", "after writing"])
def test_ctrl_c_inside_a_step_leaves_a_wal_file_and_its_log_as_they_were(
    ledger_file, run, monkeypatch, when
):
    """A version-1 file in write-ahead mode, committed work still in its log: Ctrl-C while
    step 2 read the cases with a cursor left open folded that log into the file."""
    import subprocess
    import sys

    from ledger import schema

    _version_one(ledger_file)
    killed = (
        "import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute('PRAGMA journal_mode = WAL'); "
        "c.execute(\"INSERT INTO settings VALUES ('clerk_name', '王')\"); c.commit(); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", killed, str(ledger_file)], check=True)
    before = digest(ledger_file)
    carried_over = schema._carry_over_timelines

    def cut(conn):
        if when == "reading":
            rows = conn.execute("SELECT * FROM cases")
            next(rows)
        else:
            carried_over(conn)
        raise KeyboardInterrupt

    monkeypatch.setattr(schema, "_carry_over_timelines", cut)
    result = run("list")
    assert result.exit_code == 1
    import gc

    gc.collect()
    assert digest(ledger_file) == before
    assert not (ledger_file.parent / "backups").exists()


@pytest.mark.no_ledger
def test_ctrl_c_just_after_the_upgrade_committed_says_it_was_upgraded(
    ledger_file, run, monkeypatch
):
    """Ctrl-C between the upgrade's commit and the command's own work said "nothing was
    changed" while the file had been upgraded and its old form kept (5 runs in 30 of an
    attack that sent Ctrl-C at random moments)."""
    from ledger.store import SCHEMA_VERSION, Ledger

    def interrupted_after_commit(self) -> None:
        real = self.conn

        class Watch:
            def __getattr__(self, name):
                return getattr(real, name)

            def execute(watched, query, *args):
                done = real.execute(query, *args)
                if query == "COMMIT":
                    self.conn = real
                    raise KeyboardInterrupt
                return done

        self.conn = Watch()

    _version_one(ledger_file)
    monkeypatch.setattr(Ledger, "_note_own_state", interrupted_after_commit)
    result = run("daily", "--date", "2026-10-14")
    assert result.exit_code == 1
    (copy,) = (ledger_file.parent / "backups").glob("ledger-v1-*.db")
    assert result.stderr.strip() == (
        f"Interrupted, but only after the ledger {ledger_file} was upgraded from version 1;"
        f" the file as it was is kept as {copy}."
    )
    conn = sqlite3.connect(f"file:{ledger_file}?mode=ro", uri=True)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
