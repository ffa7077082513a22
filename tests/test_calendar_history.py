"""The calendar in force on a past day (SPEC §3: reports of earlier days keep what was in
force then; SPEC §6): a day off entered, changed or cleared later leaves the sheets and
figures of the days before it as they were printed. Once a reprinted sheet of 2026-11-25
named 11-27 as the next working day because of a closure on 11-26 entered on 11-29."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from conftest import build_window

DAY = "2026-10-13"  # a Tuesday, after the National Day break (10-01 … 10-07; 10-10 worked)


def ok(run, *args: str):
    result = run(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result


def _reports(run, day: str = DAY) -> dict[str, str]:
    """Every report of `day`, as JSON text: the sheet, the late list, the notices, the
    figures of the days up to it."""
    return {
        name: ok(run, *args, "--json").stdout
        for name, args in {
            "daily": ("daily", "--date", day),
            "overdue": ("overdue", "--date", day),
            "notices": ("notices", "--date", day),
            "weekly": ("weekly", "--from", "2026-10-12", "--to", day),
        }.items()
    }


@pytest.fixture
def desk(run):
    """A case due 10-15 (received Monday 10-12, standard: three working days) and one late
    since 09-29, chased on 10-09."""
    ok(run, "add", "--applicant", "甲", "--matter", "营业执照", "--at", "2026-10-12 09:00")
    ok(run, "dispatch", "2026-0001", "--dept", "税务", "--at", "2026-10-12 09:30")
    ok(run, "add", "--applicant", "乙", "--matter", "施工许可", "--limit", "simple",
       "--at", "2026-09-29 09:00")  # fmt: skip
    ok(run, "dispatch", "2026-0002", "--dept", "工程建设", "--at", "2026-09-29 09:30")
    ok(run, "urge", "2026-0002", "--at", "2026-10-09 09:00")
    return run


def _backdate(ledger_file, at: str) -> None:
    """The overrides as if entered at `at` (the commands stamp them with the clock)."""
    conn = sqlite3.connect(ledger_file)
    with conn:
        conn.execute("UPDATE calendar_changes SET at = ?", (at,))
        conn.execute("UPDATE calendar_overrides SET entered_at = ?", (at,))
    conn.close()


@pytest.mark.parametrize(
    "change",
    [
        ("holiday", "2026-10-14"),  # the next working day of the sheet
        ("holiday", "2026-10-09"),  # a day inside the late case's days overdue
        ("workday", "2026-10-11"),  # a Sunday made a working day
    ],
)
def test_a_day_entered_later_changes_no_report_of_a_day_before(desk, change):
    run = desk
    before = _reports(run)
    moved = ok(run, "calendar", *change, "--name", "停电闭馆")
    after = _reports(run)
    for name in before:
        assert after[name] == before[name], name
    # today's calendar has it, and the open case's deadline followed it (SPEC §3)
    assert "2026-0001" in moved.stdout or change[1] != "2026-10-14"
    days = {d["date"]: d for d in ok(run, "calendar", "2026-10", "--json").json()}
    assert days[change[1]]["source"] == "override"


def test_the_sheet_before_a_closure_differs_from_todays_reading_of_that_day(desk, ledger_file):
    """What the fix changes, seen from the other side: the same closure entered before the
    day is in force on its sheet (the next working day after 10-13 is then 10-15)."""
    run = desk
    assert ok(run, "daily", "--date", DAY, "--json").json()["next_working_day"] == "2026-10-14"
    ok(run, "calendar", "holiday", "2026-10-14")
    assert ok(run, "daily", "--date", DAY, "--json").json()["next_working_day"] == "2026-10-14"
    _backdate(ledger_file, "2026-10-13 08:00")
    sheet = ok(run, "daily", "--date", DAY, "--json").json()
    assert sheet["next_working_day"] == "2026-10-15"


@pytest.mark.parametrize("later", [("clear", "2026-10-09"), ("workday", "2026-10-09")])
def test_a_day_off_cleared_or_changed_later_stays_on_the_sheets_it_was_in_force_for(
    desk, ledger_file, later
):
    run = desk
    ok(run, "calendar", "holiday", "2026-10-09", "--name", "停电闭馆")
    _backdate(ledger_file, "2026-10-01 09:00")
    before = _reports(run)
    late = ok(run, "overdue", "--date", DAY, "--json").json()["cases"]
    ok(run, "calendar", *later)
    assert _reports(run) == before
    # the day off in force on 10-13: 09-29's deadline, late 09-30 and 10-08, 10-10, 10-12,
    # 10-13 (10-09 closed, 10-01 … 10-07 the break)
    assert [(c["id"], c["days_overdue"]) for c in late] == [("2026-0002", 5)]


def test_a_ledger_of_the_version_before_counts_its_overrides_from_their_entry(run, ledger_file):
    """A ledger made before the calendar kept its history: each override is taken as
    entered, over none, at the time the file says it was entered."""
    ok(run, "add", "--applicant", "甲", "--matter", "营业执照", "--at", "2026-10-12 09:00")
    ok(run, "calendar", "holiday", "2026-10-14")
    conn = sqlite3.connect(ledger_file)
    conn.executescript(
        "DROP TABLE calendar_changes;"
        "DELETE FROM _sqlite_migrations WHERE name = 'm007_calendar_history';"
        "UPDATE calendar_overrides SET entered_at = '2026-10-13 17:00';"
        "PRAGMA user_version = 6;"
    )
    conn.close()
    first = run("daily", "--date", "2026-10-12", "--json")
    assert first.exit_code == 0 and "upgraded from version 6" in first.stderr
    assert first.json()["next_working_day"] == "2026-10-13"
    assert ok(run, "daily", "--date", DAY, "--json").json()["next_working_day"] == "2026-10-15"
    conn = sqlite3.connect(ledger_file)
    kept = conn.execute("SELECT date, old_working, old_name, at FROM calendar_changes").fetchall()
    conn.close()
    assert kept == [("2026-10-14", None, None, "2026-10-13 17:00")]


def test_the_citys_figures_of_a_window_are_its_own_after_a_later_closure(
    run, ledger_file, tmp_path
):
    """A window enters a closure for a day of October in November, then packs: the city
    counts its October as the window's own `weekly` does — with the calendar of 10-31."""
    build_window(run, ledger_file, "XH-01")
    period = ("--month", "2026-10", "--json")
    before = ok(run, "--db", ledger_file, "weekly", *period).json()
    ok(run, "--db", ledger_file, "calendar", "holiday", "2026-10-12", "--name", "停电闭馆")
    own = ok(run, "--db", ledger_file, "weekly", *period).json()
    assert own == before
    pack = tmp_path / "packs" / "XH-01.db"
    pack.parent.mkdir()
    ok(run, "--db", ledger_file, "pack", pack)
    row = ok(run, "city", pack, *period).json()["windows"][0]
    assert row == {"window": own["window"], **own}


def test_a_pack_of_version_6_counts_with_its_overrides_on_every_day(run, ledger_file, tmp_path):
    """A pack made before the calendar kept its history counts as its window did then: a
    closure entered after the period is in force for it, as it was in that window's own
    reports (a pack of version 7 counts the period without it)."""
    build_window(run, ledger_file, "XH-01")
    ok(run, "calendar", "holiday", "2026-10-12", "--name", "停电闭馆")  # entered today
    pack = tmp_path / "XH-01.db"
    ok(run, "pack", pack)
    older = tmp_path / "v6.db"
    shutil.copyfile(pack, older)
    conn = sqlite3.connect(older)
    conn.executescript(
        "DROP TABLE calendar_changes;"
        "DELETE FROM _sqlite_migrations WHERE name = 'm007_calendar_history';"
        "PRAGMA user_version = 6;"
    )
    conn.close()
    period = ("--month", "2026-10", "--json")
    own = ok(run, "weekly", *period).json()
    # the window's figures with the closure in force all month: as if entered on 09-01
    _backdate(ledger_file, "2026-09-01 09:00")
    in_force = ok(run, "weekly", *period).json()
    assert in_force != own  # the closure moves the month's figures
    assert ok(run, "city", older, *period).json()["windows"][0] == {
        "window": in_force["window"],
        **in_force,
    }
    assert ok(run, "city", pack, *period).json()["windows"][0] == {"window": own["window"], **own}


def test_what_an_override_replaced_is_a_working_flag_or_none(run, ledger_file):
    """`old_working` read as a truth value: 'yes' written by another program would have made
    the day a working day on every earlier report, and `check` would have passed it."""
    ok(run, "calendar", "holiday", "2026-10-14")
    ok(run, "calendar", "clear", "2026-10-14")
    conn = sqlite3.connect(ledger_file)
    with pytest.raises(sqlite3.IntegrityError), conn:
        conn.execute("UPDATE calendar_changes SET old_working = 'yes' WHERE old_working = 0")
    assert conn.execute(
        "SELECT date, old_working FROM calendar_changes ORDER BY id"
    ).fetchall() == [
        ("2026-10-14", None),
        ("2026-10-14", 0),
    ]
    conn.close()
