"""SPEC §9: the ledger file — schema, refusals that change nothing, copies, two terminals."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import digest, ledger_cmd, python_says

from ledger.store import SCHEMA_VERSION, Ledger

EXPECTED_COLUMNS = {
    "settings": ["key", "value"],
    "setting_changes": ["id", "key", "old", "new", "at"],
    "departments": ["id", "name", "kind", "floor", "phone"],
    "calendar_overrides": ["date", "working", "name", "entered_at"],
    "calendar_changes": ["id", "date", "old_working", "old_name", "at"],
    "calendar_confirmed": ["year", "confirmed_at"],
    "cases": [
        "id",
        "year",
        "seq",
        "ref",
        "received_at",
        "channel",
        "applicant",
        "contact",
        "matter",
        "problem",
        "cause",
        "sections",
        "scope",
        "department_id",
        "time_limit",
        "deadline",
        "dispatched_at",
        "chase_count",
        "resolved_at",
        "resolution",
        "method",
        "outcome",
        "feedback_due",
        "feedback_at",
        "feedback_via",
        "satisfaction",
        "status",
        "extensions",
        "on_time_deadline",
        # m003: 12345 practice
        "assist",
        "acknowledged_at",
        "paused_since",
        "first_chase_at",
        "last_notice",
    ],
    "events": [
        "id",
        "case_id",
        "at",
        "action",
        "status_from",
        "status_to",
        "note",
        "days",
        "department_id",
        "changes",
        "late",
        "undoes",
    ],
    "states": [
        "id",
        "case_id",
        "valid_from",
        "valid_until",
        "change",
        "status",
        "department_id",
        "deadline",
        "chase_count",
        "feedback_due",
        "resolution",
        "satisfaction",
        "event_id",
        "on_time_deadline",
        "dispatched_at",
        "sections",
        "scope",
        "problem",
        "channel",
        "outcome",
        "assist",
        "acknowledged_at",
        "paused_since",
        "first_chase_at",
    ],
    "ledger_meta": ["key", "value"],
}


def test_a_blank_file_migrates_to_the_expected_tables(ledger_file):
    ledger = Ledger(ledger_file)
    columns = {
        table.name: [c.name for c in table.columns]
        for table in ledger.db.tables
        if not table.name.startswith("_")
    }
    assert columns == EXPECTED_COLUMNS
    assert ledger.user_version() == SCHEMA_VERSION
    assert ledger.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ledger.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    names = [r[0] for r in ledger.conn.execute("SELECT name FROM departments ORDER BY id")]
    assert names == ["市场准入", "投资项目", "工程建设", "社会事务", "农水事务", "税务"]
    ledger.close()


@pytest.mark.no_ledger
@pytest.mark.parametrize(
    "command", [["settings", "show"], ["daily"], ["add", "--applicant", "a", "--matter", "m"]]
)
def test_a_zero_byte_file_is_refused_never_made_a_new_ledger(refused, ledger_file, command):
    # a failed copy, a sync tool, a yanked stick: the next add must not start again at 0001
    ledger_file.write_bytes(b"")
    refused(*command, message="empty file (0 bytes)")
    assert ledger_file.read_bytes() == b""


def _fresh_ledger(path: Path) -> None:
    Ledger(path).close()


def test_a_file_from_a_newer_version_is_refused_unchanged(refused, ledger_file):
    _fresh_ledger(ledger_file)
    conn = sqlite3.connect(ledger_file)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    refused("settings", "show", message="newer version")


@pytest.mark.no_ledger
def test_a_foreign_sqlite_file_is_refused_unchanged(refused, ledger_file):
    conn = sqlite3.connect(ledger_file)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    refused("calendar", "holiday", "2026-10-12", message="not a ledger file")


def test_a_file_that_is_not_sqlite_is_refused_unchanged(refused, ledger_file):
    ledger_file.write_bytes(b"this is a spreadsheet, not a ledger\n" * 200)
    refused("settings", "show", message="damaged or not SQLite")


def test_a_damaged_ledger_is_refused_unchanged(refused, ledger_file):
    _fresh_ledger(ledger_file)
    data = bytearray(ledger_file.read_bytes())
    data[:100] = b"\x00" * 100  # the header is gone
    ledger_file.write_bytes(bytes(data))
    refused("calendar", "holiday", "2026-10-12", message="damaged")


def test_the_first_change_of_a_day_copies_the_ledger_first(run, ledger_file):
    assert run("calendar", "holiday", "2026-10-12").exit_code == 0
    copies = sorted((ledger_file.parent / "backups").iterdir())
    assert [c.name for c in copies] == [f"ledger-{dt.date.today()}.db"]
    # the copy is the ledger as it was before the change
    conn = sqlite3.connect(copies[0])
    assert conn.execute("SELECT count(*) FROM calendar_overrides").fetchone()[0] == 0
    conn.close()
    assert run("calendar", "holiday", "2026-10-13").exit_code == 0
    assert len(list((ledger_file.parent / "backups").iterdir())) == 1


def test_daily_copies_keep_the_last_30(ledger_file):
    ledger = Ledger(ledger_file)
    start = dt.date(2026, 9, 1)
    for i in range(35):
        ledger.daily_backup(start + dt.timedelta(days=i))
    names = sorted(p.name for p in ledger.backup_dir.iterdir())
    assert len(names) == 30
    assert names[0] == f"ledger-{start + dt.timedelta(days=5)}.db"
    ledger.close()


def test_backup_command_writes_a_readable_copy_and_never_overwrites(run, refused, tmp_path):
    target = tmp_path / "copy.db"
    result = run("backup", target)
    assert result.exit_code == 0 and target.exists()
    assert Ledger(target).user_version() == SCHEMA_VERSION
    refused("backup", target, message="already exists")
    refused("backup", tmp_path / "nowhere" / "copy.db", message="does not exist")


def test_check_passes_on_a_sound_ledger(run):
    result = run("check")
    assert result.exit_code == 0
    assert "Check passed" in result.stdout


def test_two_terminals_writing_at_once_both_succeed(tmp_path):
    path = tmp_path / "shared.db"
    Ledger(path).close()
    env = {**os.environ, "LEDGER_DB": str(path), "LEDGER_LANG": "en"}
    script = "from ledger.cli import main; main()"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, "calendar", "holiday", f"2026-11-{day:02d}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for day in range(1, 9)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM calendar_overrides").fetchone()[0] == 8
    conn.close()


def test_opening_an_up_to_date_ledger_writes_nothing(run, ledger_file):
    _fresh_ledger(ledger_file)
    before = digest(ledger_file)
    assert run("calendar", "2026-10").exit_code == 0
    assert digest(ledger_file) == before


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("limit_standard", "x", "whole number from 0 to 365"),
        ("limit_complex", "400", "whole number from 0 to 365"),
        ("on_time_threshold", "1.5", "is not a threshold"),
        ("colour", "red", "No setting called 'colour'"),
        # a negative number is a value out of range, not an option the command lacks
        ("ack_days", "-1", "whole number from 0 to 30 (got '-1')"),
        ("limit_simple", "-3", "whole number from 0 to 365"),
    ],
)
def test_bad_settings_are_refused(refused, key, value, message):
    refused("settings", "set", key, value, message=message)


def test_settings_change_the_time_limits(run):
    assert run("settings", "set", "limit_standard", "5").exit_code == 0
    assert run("settings", "show", "--json").json()["limit_standard"] == "5"
    assert run("deadline", "2026-09-30", "--json").json()["deadline"] == "2026-10-13"


def test_the_current_schema_digest_is_what_the_migrations_make():
    """A current ledger is checked against a digest, not against a schema built each run:
    the digest must be what the migrations of this version make in memory."""
    from ledger.schema import expected_schema, migrations
    from ledger.store import MIGRATIONS, SCHEMA_DIGEST, schema_digest

    names = tuple(m.name for m in migrations._migrations)
    assert names == MIGRATIONS
    assert schema_digest(expected_schema(names)) == SCHEMA_DIGEST


def test_the_command_line_loads_only_what_a_command_needs():
    """Start-up is most of a morning command's time (SPEC §11): importing the command line
    loads no sqlite-utils, dateutil, Rich tables or holidays; each is loaded by what uses it."""
    import subprocess
    import sys

    probe = (
        "import sys, ledger.cli\n"
        "heavy = ['sqlite_utils', 'dateutil', 'rich.table', 'holidays', 'pydantic']\n"
        "print([m for m in heavy if m in sys.modules])"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert loaded.stdout.strip() == "[]", loaded.stdout + loaded.stderr


def test_a_report_asked_for_json_loads_nothing_of_rich(tmp_path):
    """`--json` is for scripts: the terminal's tables (a third of a sheet's start-up) are not
    loaded to write it, while the same report for the terminal does load them."""
    import subprocess
    import sys

    db = tmp_path / "ledger.db"
    make = [sys.executable, "-m", "ledger", "--db", str(db), "--lang", "en"]
    subprocess.run([*make, "add", "--applicant", "A", "--matter", "M"], check=True)
    probe = (
        "import sys\n"
        "from ledger.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print([m for m in ('rich', 'rich.console', 'rich.table') if m in sys.modules],"
        " file=sys.stderr)"
    )
    for command, loaded in (
        (["daily", "--json"], "[]"),
        (["overdue", "--json"], "[]"),
        (["list", "--json"], "[]"),
        (["show", "2026-0001", "--json"], "[]"),
        (["weekly", "--json"], "[]"),
        (["daily"], "['rich', 'rich.console', 'rich.table']"),
    ):
        argv = ["ledger", "--db", str(db), "--lang", "en", *command]
        run = subprocess.run(
            [sys.executable, "-c", f"import sys; sys.argv = {argv!r}\n" + probe],
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr
        assert run.stderr.strip().splitlines()[-1] == loaded, (command, run.stderr)


def test_two_backups_in_one_second_are_two_copies(run, ledger_file, monkeypatch):
    """The second of two `ledger backup` in the same second said its own name already
    existed (exit 1): a name the ledger chooses is never the clerk's error."""
    import datetime as real

    from ledger import store

    class Frozen(real.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(2026, 11, 27, 13, 30, 39)

    assert run("add", "--applicant", "甲", "--matter", "乙").exit_code == 0
    monkeypatch.setattr(store.dt, "datetime", Frozen)
    made = [run("backup") for _ in range(3)]
    assert [m.exit_code for m in made] == [0, 0, 0], [m.stderr for m in made]
    copies = sorted(p.name for p in (ledger_file.parent / "backups").glob("*T133039*"))
    stem = ledger_file.stem
    assert copies == [f"{stem}-2026-11-27T133039-2.db", f"{stem}-2026-11-27T133039-3.db",
                      f"{stem}-2026-11-27T133039.db"]  # fmt: skip


@pytest.mark.parametrize(
    ("said", "key", "value", "stored"),
    [
        ("窗口名称", "window_name", "东港区窗口", "东港区窗口"),
        ("经办人", "clerk_name", "张敏", "张敏"),
        ("Window name", "window_name", "East Port", "East Port"),
        ("on_time_threshold", "on_time_threshold", "90%", "0.9"),
        ("on_time_threshold", "on_time_threshold", "85.5％", "0.855"),
    ],
)
def test_a_setting_is_named_and_valued_as_the_clerk_reads_it(run, said, key, value, stored):
    """Only the English keys were taken, and a line as the sheets print it (90%) refused."""
    assert run("--lang", "zh", "settings", "set", said, value).exit_code == 0
    assert run("settings", "show", "--json").json()[key] == stored


def test_a_line_above_all_is_refused_in_percent_too(refused):
    refused("settings", "set", "on_time_threshold", "120%", message="'120%' is not a threshold")


def test_a_line_written_as_a_percentage_into_the_file_is_named_by_check(run, ledger_file):
    """`settings set` takes 90% and stores 0.9; the reports read the fraction, so a '90%'
    another program wrote is named by `check` (it once passed, and weekly then failed)."""
    import sqlite3

    assert run("add", "--applicant", "甲", "--matter", "乙").exit_code == 0
    with sqlite3.connect(ledger_file) as conn:
        conn.execute("INSERT OR REPLACE INTO settings VALUES ('on_time_threshold', '90%')")
    checked = run("check")
    assert checked.exit_code == 1 and "on_time_threshold" in checked.stderr


@pytest.mark.parametrize(
    ("said", "key"),
    [("按时办结率警戒线", "on_time_threshold"), ("满意率警戒线(0~1)", "satisfaction_threshold"),
     ("窗口代码", "window_code"), ("on-time rate alarm line", "on_time_threshold")],
)  # fmt: skip
def test_a_setting_is_named_by_its_label_without_its_note(run, said, key):
    value = "X-1" if key == "window_code" else "80%"
    assert run("settings", "set", said, value).exit_code == 0
    assert run("settings", "show", "--json").json()[key] in ("X-1", "0.8")


@pytest.mark.parametrize("value", ["101%", "90", "1.5", "九十", "-0.1"])
def test_a_threshold_out_of_range_says_how_to_write_one(refused, value):
    """`90` was "not a valid number: 0 … 1" — it is a number, and what the clerk meant."""
    refused(
        "settings", "set", "on_time_threshold", value,
        message="write a fraction from 0 to 1 (0.9) or a percentage (90%)",
    )  # fmt: skip


def test_a_lazy_pattern_is_the_pattern_compiled_now():
    import copy
    import pickle
    import re

    from ledger.patterns import lazy_pattern

    for source, flags, text in (
        (r"(\d{3})-(\d{4})", 0, "tel 138-1234 and 139-5678"),
        ("tel|phone", re.I, "TEL PHONE tel"),
    ):
        for made in (
            lazy_pattern(source, flags),
            copy.copy(lazy_pattern(source, flags)),
            pickle.loads(pickle.dumps(lazy_pattern(source, flags))),
        ):
            now = re.compile(source, flags)
            assert made.pattern == now.pattern and made.flags == now.flags
            assert made.findall(text) == now.findall(text)
            assert made.sub("#", text) == now.sub("#", text)
            assert [m.span() for m in made.finditer(text)] == [m.span() for m in now.finditer(text)]
            assert made.split(text) == now.split(text) and made.groups == now.groups


def test_every_lazy_pattern_of_the_ledger_compiles():
    """A pattern compiled on first use would otherwise be found wrong only when a rare path
    first used it."""
    import importlib
    import pkgutil

    import ledger
    from ledger.patterns import _LazyPattern

    def lazy_in(value: object) -> list:
        if isinstance(value, _LazyPattern):
            return [value]
        if isinstance(value, (list, tuple)):
            return [found for item in value for found in lazy_in(item)]
        if isinstance(value, dict):
            return [found for item in value.values() for found in lazy_in(item)]
        return []

    found = []
    for module in pkgutil.iter_modules(ledger.__path__):
        loaded = importlib.import_module(f"ledger.{module.name}")
        found += [lazy for value in vars(loaded).values() for lazy in lazy_in(value)]
    assert len(found) >= 40
    for lazy in found:
        assert lazy.compiled().pattern


def test_starting_a_command_compiles_no_phone_pattern(tmp_path):
    """The phone patterns are compiled when text with a digit is first masked, not at start:
    a morning sheet whose text holds no digit never compiles them."""
    db = tmp_path / "ledger.db"
    assert ledger_cmd(db, "add", "--applicant", "张三", "--matter", "营业执照").returncode == 0
    said = python_says(
        "import sys",
        f"sys.argv = ['ledger', '--db', {str(db)!r}, 'daily', '--json']",
        "from ledger import privacy",
        "from ledger.cli import main",
        "try:",
        "    main()",
        "except SystemExit:",
        "    pass",
        "print('compiled', 'search' in vars(privacy._PHONE_SHAPED))",
        "privacy.phones_masked('请回电 13912345678')",
        "print('compiled', 'search' in vars(privacy._PHONE_SHAPED))",
    )
    assert said[-4:] == ["compiled", "False", "compiled", "True"]
