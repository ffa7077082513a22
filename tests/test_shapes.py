"""Lists, counts and moves another program wrote in a shape the ledger never writes (SPEC §9:
a foreign file is named, never an internal error): `check` names each, a command that must
go on with one stops with `check`'s line and changes nothing, and the morning's sheet and
lists that only show one keep working."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import digest, ledger_cmd

from ledger import shapes

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "cases.csv"
ASSISTED = "2026-0034"  # dispatched, with an assisting department
EXTENDED = "2026-0022"  # dispatched, with an extension

# -- the pure tests ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, day",
    [
        ("2026-10-14", True),
        ("2026-02-28", True),
        ("2026-02-29", False),  # not a leap year
        ("2028-02-29", True),
        ("20261014", False),  # Python reads these as dates, the ledger never writes them
        ("2026-W42-3", False),
        ("２０２６-10-14", False),
        ("1899-12-31", False),  # the years the ledger can reach: 1900-2299
        ("1900-01-01", True),
        ("2299-12-31", True),
        ("2300-01-01", False),
        (20261014, False),
        (None, False),
    ],
)
def test_a_day_is_one_as_the_ledger_writes_it(value, day):
    assert shapes.is_day(value) is day


@pytest.mark.parametrize(
    "value, minute",
    [
        ("2026-10-14 09:30", True),
        ("2026-10-14 23:59", True),
        ("2026-10-14 24:00", False),
        ("2026-10-14 9:30", False),
        ("2026-10-14 09:30:00", False),
        ("2026-10-14T09:30", False),
        ("2026-10-14 ０9:30", False),
        ("2026-02-30 09:30", False),
        ("2026-10-14", False),
    ],
)
def test_a_minute_is_one_as_the_ledger_writes_it(value, minute):
    assert shapes.is_minute(value) is minute


EXTENSION = {
    "at": "2026-10-08 09:00",
    "days": 3,
    "from": "2026-10-12",
    "to": "2026-10-15",
    "reason": "踏勘",
}


@pytest.mark.parametrize(
    "kind, text, good",
    [
        ("names", '["工程建设", "市场准入"]', True),
        ("names", "[]", True),
        ("names", '["工程建设", 3]', False),
        ("names", '"工程建设"', False),
        ("names", "[x", False),
        ("extensions", f"[{shapes.json.dumps(EXTENSION)}]", True),
        ("extensions", f"[{shapes.json.dumps({**EXTENSION, 'late': True})}]", True),
        ("extensions", f"[{shapes.json.dumps({**EXTENSION, 'late': 1})}]", False),
        ("extensions", f"[{shapes.json.dumps({**EXTENSION, 'days': True})}]", False),
        ("extensions", f"[{shapes.json.dumps({**EXTENSION, 'to': '下周'})}]", False),
        ("extensions", f"[{shapes.json.dumps({'at': '2026-10-08 09:00'})}]", False),
        ("extensions", '{"a": 1}', False),
        ("extensions", "[5]", False),
        ("changes", '[["deadline", null, "2026-10-14"], ["sections", null, ["market"]]]', True),
        ("changes", '[["chase_count", 1, 2], ["department", "甲", null]]', True),
        ("changes", '[["deadline", null, 20261014]]', False),
        ("changes", '[["chase_count", 0, -1]]', False),
        ("changes", '[["sections", null, "market"]]', False),
        ("changes", '[["no_such_field", null, "x"]]', False),
        ("changes", '[["id", null, "2026-0001"]]', False),  # an id never changes
        ("changes", '[["deadline", null]]', False),
        ("changes", "oops", False),
        ("changes", "[" * 100_000, False),  # deeper than Python's JSON reader goes
    ],
)
def test_a_stored_list_is_of_the_shape_the_ledger_writes(kind, text, good):
    assert (shapes.parsed(kind, text) is not None) is good


def test_a_list_a_report_only_shows_is_read_as_it_can_be():
    assert shapes.readable_list(None) == [] and shapes.readable_list("[]") == []
    assert shapes.readable_list('["甲", "乙"]') == ["甲", "乙"]
    assert shapes.readable_list("[x") == ["[x"]
    assert shapes.readable_list('{"a": 1}') == ['{"a": 1}']
    assert shapes.readable_list(7) == ["7"]
    assert shapes.readable_list(b'["\xe7\x94\xb2"]') == ["甲"]
    assert shapes.readable_list(b"\xff[") == ["\ufffd["]


def test_every_action_the_ledger_records_is_one_it_knows():
    assert {"received", "imported", "undone", "recalculated", "note"} <= shapes.EVENT_ACTIONS
    assert "undo" not in shapes.EVENT_ACTIONS  # the command; its event is "undone"


# -- on a real file ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("sample") / "ledger.db"
    result = ledger_cmd(db, "import", SAMPLE)
    assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def ledger(sample, tmp_path) -> Path:
    db = tmp_path / "ledger.db"
    shutil.copyfile(sample, db)
    return db


WRONG = [
    ("cases", "extensions", "'not json'", EXTENDED),
    ("cases", "extensions", """'{"a": 1}'""", EXTENDED),
    ("cases", "extensions", "'[5]'", EXTENDED),
    ("cases", "assist", "'[x'", ASSISTED),
    ("cases", "assist", "'[1, 2]'", ASSISTED),
    ("states", "assist", "'{'", ASSISTED),
    ("states", "assist", "7", ASSISTED),
    ("events", "changes", "'oops'", ASSISTED),
    ("events", "changes", """'[["deadline", null, 20261014]]'""", ASSISTED),
    ("events", "changes", """'[["no_such_field", null, "x"]]'""", ASSISTED),
    ("events", "changes", "'" + "[" * 100_000 + "'", ASSISTED),
    ("events", "action", "'fly'", ASSISTED),
    ("states", "change", "'fly'", ASSISTED),
    ("cases", "chase_count", "'abc'", ASSISTED),
    ("states", "chase_count", "'abc'", ASSISTED),
    ("states", "chase_count", "-1", ASSISTED),
    ("cases", "chase_count", "X'01'", ASSISTED),
    ("events", "days", "'two'", ASSISTED),
    ("events", "late", "2", ASSISTED),
    # a count the ledger would add one to past SQLite's largest integer
    ("cases", "chase_count", "9223372036854775807", ASSISTED),
    ("cases", "seq", "'abc'", ASSISTED),
    ("cases", "seq", "9223372036854775807", ASSISTED),
    ("cases", "year", "1066", ASSISTED),
    # valid JSON whose escape makes half an emoji: no text can be written of it
    ("cases", "assist", """'["\\ud800"]'""", ASSISTED),
    # an intake that does not say when the case was received
    ("events", "changes", "'[]'", ASSISTED),
    ("events", "changes", """'[["outcome", null, "x"]]'""", ASSISTED),
]


def _spoil(db: Path, table: str, column: str, value: str, case: str) -> None:
    key = "id" if table == "cases" else "case_id"
    # closed, so that its log is in the file before the file's bytes are taken
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute(f"UPDATE {table} SET {column} = {value} WHERE {key} = ?", (case,))


@pytest.mark.parametrize("table, column, value, case", WRONG)
def test_a_list_count_or_move_of_the_wrong_shape_is_named_never_an_internal_error(
    ledger, table, column, value, case
):
    """`check` names the value; every command either goes on (a report that only shows it)
    or stops with one line naming it, exit 1, the file as it was — never "Internal error …
    please report this line", never a traceback."""
    _spoil(ledger, table, column, value, case)
    before = digest(ledger)
    found = ledger_cmd(ledger, "check")
    assert found.returncode == 1
    assert f"Table {table} ({case}): {column} holds" in found.stderr, found.stderr
    assert "Internal error" not in found.stderr and "Traceback" not in found.stderr
    for command in (
        ["daily", "--date", "2026-10-14"],
        ["list", "--json"],
        ["weekly", "--week", "2026-W41", "--json"],
        ["show", case],
        ["note", case, "电话核实"],
        ["export", "--out", str(ledger.parent / "out.csv")],
    ):
        result = ledger_cmd(ledger, *command)
        assert "Internal error" not in result.stderr, (command, result.stderr)
        assert "Traceback" not in result.stderr, (command, result.stderr)
        if result.returncode != 0:
            assert result.returncode == 1
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and f"{column} holds" in lines[0], (command, lines)
            assert "ledger restore" in lines[0]
            assert digest(ledger) == before, command


@pytest.mark.parametrize(
    "table, column, value",
    [("cases", "assist", "'[x'"), ("states", "assist", "'{'"), ("cases", "extensions", "'[5]'")],
)
def test_one_list_of_the_wrong_shape_does_not_cost_the_day_s_sheet(ledger, table, column, value):
    """What a report or a list only shows is shown as the text it is: the day's sheet and the
    list still come out."""
    case = EXTENDED if column == "extensions" else ASSISTED
    _spoil(ledger, table, column, value, case)
    sheet = ledger_cmd(ledger, "daily", "--date", "2026-10-14", "--json")
    listed = ledger_cmd(ledger, "list", "--json")
    assert sheet.returncode == 0 and listed.returncode == 0, sheet.stderr + listed.stderr
    # the list reads the case's row, the sheet what was in force that day (the as-of index)
    shown = listed.stdout if table == "cases" else sheet.stdout
    rows = [line for line in shown.splitlines() if f'"id": "{case}"' in line]
    assert rows and all(f'"{column}": ["{value.strip(chr(39))}"]' in row for row in rows), rows


@pytest.mark.parametrize(
    "command", [["note", ASSISTED, "x"], ["urge", ASSISTED], ["undo", ASSISTED]]
)
def test_a_command_that_would_write_a_wrong_list_back_stops(ledger, command):
    """A recording command reads the case's lists to write them again: with one of the wrong
    shape it stops, so that nothing worse than what another program wrote is recorded."""
    _spoil(ledger, "cases", "assist", "'{\"a\": 1}'", ASSISTED)
    before = digest(ledger)
    result = ledger_cmd(ledger, *command)
    assert result.returncode == 1
    assert "Table cases (2026-0034): assist holds '{\"a\": 1}'" in result.stderr
    assert digest(ledger) == before


@pytest.mark.parametrize("move", ["extend", "imported"])
def test_a_timeline_no_clerk_could_write_is_named_and_nothing_is_recorded_on_it(ledger, move):
    """Each value of the right shape, the timeline still not one the ledger could write (a
    chase turned into an extension with no days, an intake after the case's first move):
    `check` names the case; a move on it stops with one line; the file stays as it was."""
    assert ledger_cmd(ledger, "urge", ASSISTED).returncode == 0
    with contextlib.closing(sqlite3.connect(ledger)) as conn, conn:
        conn.execute(
            "UPDATE events SET action = ? WHERE id = (SELECT max(id) FROM events)", (move,)
        )
    before = digest(ledger)
    found = ledger_cmd(ledger, "check")
    assert found.returncode == 1 and "Internal error" not in found.stderr
    named = (
        f"{ASSISTED}: the timeline is not one the ledger could have written"
        if move == "extend"
        else f"Table events ({ASSISTED}): changes holds"
    )
    assert named in found.stderr, found.stderr
    for command in (["note", ASSISTED, "x"], ["urge", ASSISTED]):
        result = ledger_cmd(ledger, *command)
        assert result.returncode == 1, (command, result.stdout)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Internal error" not in lines[0], (command, lines)
        assert ASSISTED in lines[0] and "ledger restore" in lines[0]
    assert digest(ledger) == before
    # the move taken back, what is left is a timeline the ledger reads: undo mends it
    undone = ledger_cmd(ledger, "undo", ASSISTED)
    if move == "extend":
        assert undone.returncode == 0, undone.stderr
        assert "timeline is not one" not in ledger_cmd(ledger, "check").stderr
    else:  # the intake's changes are read before anything is taken back
        assert undone.returncode == 1 and "changes holds" in undone.stderr
        assert digest(ledger) == before


def test_check_names_a_case_id_of_bytes_and_goes_on(ledger):
    """An event whose case is written as bytes: `check` lists its problems, each once, and
    does not stop at the first."""
    with contextlib.closing(sqlite3.connect(ledger)) as conn, conn:
        conn.execute(
            "UPDATE events SET case_id = CAST(case_id AS BLOB) WHERE case_id = ?", (ASSISTED,)
        )
    found = ledger_cmd(ledger, "check")
    lines = found.stderr.strip().splitlines()
    assert found.returncode == 1 and "Internal error" not in found.stderr
    assert len(lines) > 1 and all(line.startswith("Problem: ") for line in lines), lines
    assert len(set(lines)) == len(lines)


def test_counts_stop_at_what_the_ledger_can_add_to():
    assert shapes.is_count(0) and shapes.is_count(shapes.MOST)
    assert not shapes.is_count(shapes.MOST + 1) and not shapes.is_count(-1)
    assert not shapes.is_count(True) and not shapes.is_count(1.0) and not shapes.is_count("1")
