"""Classes of hostile input × every command that takes or shows them (SPEC §3, §5, §8, §9).

A refusal: the exact exit code, one line on stderr, no traceback, the ledger file unchanged.
Accepted text: printed literally by every output, never read as markup or terminal control.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import stat
import subprocess
import threading
from pathlib import Path

import pytest
from conftest import digest, ledger_cmd

# -- the classes of input ---------------------------------------------------------------

MARKUP = [
    "材料[/]补齐",
    "[link=http://evil.example]点我[/link]",
    "[bold red]红字[/]",
    "[x]",
    "[/]",
    ":smile: [i]斜[/i]",
]
CONTROLS = {
    "clear screen": "a\x1b[2Jb",
    "window title": "a\x1b]0;pwned\x07b",
    "terminal link": "\x1b]8;;http://x\x1b\\y\x1b]8;;\x1b\\",
    "C1 CSI": "a\x9b31mb",
    "bell": "a\x07b",
    "backspace": "ab\x08c",
    "carriage return": "a\rb",
    "tab": "a\tb",
    "NUL": "a\x00b",
    "DEL": "a\x7fb",
    "bidi override": "a\u202eb",
    "line separator": "a\u2028b",
    "not a character": "a\uffffb",  # XML, and so a workbook, cannot carry it
}
NEWLINE = "第一行\n第二行"
UNDECODABLE = "\udcb0\udcec"  # the bytes b0 ec of GBK, as Python keeps bytes that were not UTF-8
BAD_DATES = [
    *["0026-10-14", "9999-12-31", "0001-01-01", "1989-12-31", "2201-01-01", "2026-02-30"],
    # digits of no form the ledger reads: Python's `\d` and `int` take Arabic-Indic ones
    *["٢٠٢٦-١٠-١٤", "2026-10-١٤", "²⁰²⁶-10-14"],
]
ODD_IDS = [
    "26-0001",
    "2026-",
    "-0001",
    "2026-0001-1",
    "2026-99999999999999999999",
    "2026-1000000000",
    "２０２６－９９９",
    # a superscript or another script's digits opened case 2026-0043 (NFKC made them digits)
    "2026-⁴³",
    "2026-٠٠٠١",
    # a number the ledger never gives
    "2026-0000",
    "2026-0",
]
TERMINAL_BYTES = ["\x1b", "\x9b", "\x07", "\x08", "\x00"]

D = "2026-10-14"


def _moves(case: str, resolved: str) -> dict[str, tuple[list[str], str]]:
    """Every command that takes a piece of text, with where the text goes and the field the
    message names. `{}` is the hostile value."""
    return {
        "add applicant": (["add", "--applicant", "{}", "--matter", "m"], "Applicant"),
        "add matter": (["add", "--applicant", "a", "--matter", "{}"], "Matter"),
        "add contact": (["add", "--applicant", "a", "--matter", "m", "--contact", "{}"], "Contact"),
        "add cause": (["add", "--applicant", "a", "--matter", "m", "--cause", "{}"], "Cause"),
        "return reason": (["return", case, "--reason", "{}"], "Reason"),
        "extend reason": (["extend", case, "--days", "2", "--late", "--reason", "{}"], "Reason"),
        "urge note": (["urge", case, "--note", "{}"], "Note"),
        "resolve method": (["resolve", case, "--method", "{}", "--outcome", "o"], "Method"),
        "resolve outcome": (["resolve", case, "--method", "m", "--outcome", "{}"], "Outcome"),
        "resolve cannot": (["resolve", case, "--cannot", "--reason", "{}"], "Reason"),
        "feedback note": (["feedback", resolved, "--via", "phone", "--note", "{}"], "Note"),
        "reopen reason": (["reopen", resolved, "--reason", "{}"], "Reason"),
        "void reason": (["void", case, "--reason", "{}"], "Reason"),
        "note": (["note", case, "{}"], "Note"),
        "edit applicant": (["edit", case, "--applicant", "{}"], "Applicant"),
        "edit matter": (["edit", case, "--matter", "{}"], "Matter"),
        "edit cause": (["edit", case, "--cause", "{}"], "Cause"),
        "edit contact": (["edit", case, "--contact", "{}"], "Contact"),
        "edit outcome": (["edit", case, "--outcome", "{}"], "Outcome"),
        "edit ref": (["edit", case, "--ref", "{}"], "Book no."),
        "dept add name": (["dept", "add", "{}"], "Name"),
        "dept add floor": (["dept", "add", "新部门", "--floor", "{}"], "Floor"),
        "dept add phone": (["dept", "add", "新部门", "--phone", "{}"], "Phone"),
        "dept rename": (["dept", "rename", "税务", "{}"], "Name"),
        "dept set floor": (["dept", "set", "税务", "--floor", "{}"], "Floor"),
        "dept set phone": (["dept", "set", "税务", "--phone", "{}"], "Phone"),
        "window name": (["settings", "set", "window_name", "{}"], "Window name"),
        "clerk name": (["settings", "set", "clerk_name", "{}"], "Clerk"),
        "holiday name": (["calendar", "holiday", "2026-12-24", "--name", "{}"], "Name"),
        "search": (["list", "--search", "{}"], "search text"),
    }


# fields where a newline is part of the prose (SPEC §5)
PROSE = {
    "add cause",
    "return reason",
    "extend reason",
    "urge note",
    "resolve method",
    "resolve outcome",
    "resolve cannot",
    "feedback note",
    "reopen reason",
    "void reason",
    "note",
    "edit cause",
    "edit outcome",
}


def fill(template: list[str], value: str) -> list[str]:
    return [part.replace("{}", value) for part in template]


def usage_code(value: str) -> int:
    """A value that starts with '-' is read by the command line as an option: exit 2."""
    return 2 if value.startswith("-") else 1


# -- a ledger with a case in every place ------------------------------------------------


def _ok(run, *args: str):
    result = run(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result


@pytest.fixture(scope="module")
def base_ledger(tmp_path_factory) -> Path:
    """A ledger holding a dispatched case (2026-0001) and a resolved one (2026-0002)."""
    from typer.testing import CliRunner

    from ledger.cli import app

    folder = tmp_path_factory.mktemp("template")
    db = folder / "ledger.db"
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(app, ["--db", str(db), "--lang", "en", *args])
        assert result.exit_code == 0, (args, result.stderr)

    run("add", "--applicant", "甲", "--matter", "事项一", "--at", "2026-10-09 09:00")
    run("dispatch", "2026-0001", "--dept", "税务", "--at", "2026-10-09 10:00")
    run("add", "--applicant", "乙", "--matter", "事项二", "--at", "2026-10-09 09:30")
    run("resolve", "2026-0002", "--method", "m", "--outcome", "o", "--at", "2026-10-09 11:00")
    return db


@pytest.fixture
def ledger(base_ledger, ledger_file) -> Path:
    shutil.copy(base_ledger, ledger_file)
    return ledger_file


# -- refusals ---------------------------------------------------------------------------

MOVES = _moves("2026-0001", "2026-0002")


@pytest.mark.parametrize("kind", list(CONTROLS))
@pytest.mark.parametrize("move", list(MOVES))
def test_control_characters_are_refused_by_every_command(ledger, run, refused, move, kind):
    template, field = MOVES[move]
    if kind == "carriage return" and move in PROSE:
        # in prose a CR is a line end written by Windows or an old Mac: kept as a newline
        assert run(*fill(template, CONTROLS[kind])).exit_code == 0
        return
    line = refused(*fill(template, CONTROLS[kind]), message="control character")
    assert field.casefold() in line.casefold()
    assert not any(byte in line for byte in TERMINAL_BYTES)


# the texts a move cannot go without: given empty or as spaces alone, each is refused alike
REQUIRED = {
    "add applicant", "add matter", "return reason", "extend reason", "resolve method",
    "resolve outcome", "reopen reason", "void reason", "note", "edit applicant", "edit matter",
    "dept add name", "dept rename",
}  # fmt: skip


@pytest.mark.parametrize("blank", ["", "  ", "\u3000"])
@pytest.mark.parametrize("move", sorted(REQUIRED))
def test_a_required_text_given_empty_is_refused_by_its_name(ledger, refused, move, blank):
    """`resolve --outcome ''` was a command line that could not be read (exit 2) while
    `--outcome '  '` was an empty outcome (exit 1): the same value, two answers."""
    template, field = MOVES[move]
    assert refused(*fill(template, blank)) == f"{field} must not be empty"


@pytest.mark.parametrize("move", list(MOVES))
def test_a_newline_is_refused_outside_prose_and_kept_in_it(ledger, run, refused, move):
    template, _ = MOVES[move]
    args = fill(template, NEWLINE)
    if move in PROSE:
        assert run(*args).exit_code == 0
    else:
        refused(*args, message="control character (U+000A")


# the marks pasted text brings, and the other "default ignorable" characters that show
# nothing (the Arabic letter mark, a soft hyphen, a Hangul filler, a format character)
UNSEEN = (
    "\u200b甲\u200b乙\u200e\ufeff\u2060\U000e0041"
    "\u061c\u00ad\u3164\ufff9\u206a\u034f\U0001d173\U0001bca0"
)


def _dump(ledger: Path) -> str:
    conn = sqlite3.connect(ledger)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.mark.parametrize("move", list(MOVES))
def test_unseen_marks_are_taken_out_of_every_text(ledger, run, move):
    """A zero-width space or a direction mark pasted with a name was stored: 张<U+200B>三 looked
    like 张三 in every table, and no search or repeat-applicant check found it."""
    template, _ = MOVES[move]
    result = run(*fill(template, UNSEEN))
    assert result.exit_code == 0, result.stderr
    stored = _dump(ledger)
    assert not any(mark in stored for mark in UNSEEN.replace("甲", "").replace("乙", ""))
    if move != "search":
        assert "甲乙" in stored


def test_a_name_with_unseen_marks_is_the_same_applicant(ledger, run):
    assert run("add", "--applicant", "\u200b张\u200b三\u200e", "--matter", "事").exit_code == 0
    again = run("add", "--applicant", "张三", "--matter", "事二")
    assert again.exit_code == 0 and "2026-0003" in again.stderr  # the repeat is named
    found = json.loads(run("list", "--search", "张三", "--json").stdout)
    assert sorted(case["id"] for case in found) == ["2026-0003", "2026-0004"]


@pytest.mark.parametrize("move", list(MOVES))
def test_bytes_that_are_not_utf8_are_refused_by_every_command(ledger, refused, move):
    template, _ = MOVES[move]
    refused(*fill(template, f"a{UNDECODABLE}b"), message="not UTF-8")


CODE_OPTIONS = [
    ["add", "--applicant", "a", "--matter", "m", "--limit", "{}"],
    ["add", "--applicant", "a", "--matter", "m", "--channel", "{}"],
    ["add", "--applicant", "a", "--matter", "m", "--problem", "{}"],
    ["add", "--applicant", "a", "--matter", "m", "--section", "{}"],
    ["add", "--applicant", "a", "--matter", "m", "--scope", "{}"],
    ["add", "--applicant", "a", "--matter", "m", "--dept", "{}"],
    ["classify", "2026-0003", "--dept", "{}"],
    ["classify", "2026-0003", "--assist", "{}"],
    ["feedback", "2026-0002", "--via", "{}"],
    ["feedback", "2026-0002", "--via", "phone", "--satisfaction", "{}"],
    ["list", "--status", "{}"],
    ["overdue", "--dept", "{}"],
    ["export", "--encoding", "{}"],
    ["settings", "set", "{}", "x"],
    ["--lang", "{}", "daily"],
]


@pytest.mark.parametrize(
    "value", [NEWLINE, CONTROLS["clear screen"], CONTROLS["C1 CSI"], "x" * 500]
)
@pytest.mark.parametrize("template", CODE_OPTIONS, ids=lambda t: " ".join(t[:2] + t[-2:-1]))
def test_a_bad_code_is_one_printable_line_quoting_it(ledger, refused, template, value):
    # a language the ledger does not speak is a command-line error (exit 2)
    line = refused(*fill(template, value), code=2 if template[0] == "--lang" else 1)
    assert not any(byte in line for byte in TERMINAL_BYTES)
    # the value is quoted cut to 60 characters (a department's name and a setting's key too)
    assert "x" * 61 not in line and len(line) < 900


DATE_TAKERS = [
    ["add", "--applicant", "a", "--matter", "m", "--at", "{}"],
    ["dispatch", "2026-0001", "--at", "{}"],
    ["note", "2026-0001", "n", "--at", "{}"],
    ["resolve", "2026-0001", "--method", "m", "--outcome", "o", "--at", "{}"],
    ["daily", "--date", "{}"],
    ["overdue", "--date", "{}"],
    ["weekly", "--from", "{}", "--to", "2026-10-14"],
    ["weekly", "--from", "2026-10-01", "--to", "{}"],
    ["deadline", "{}"],
    ["calendar", "holiday", "{}"],
    ["calendar", "workday", "{}"],
    ["calendar", "clear", "{}"],
    ["list", "--from", "{}"],
    ["export", "--to", "{}"],
]


@pytest.mark.parametrize("value", BAD_DATES)
@pytest.mark.parametrize("template", DATE_TAKERS, ids=lambda t: " ".join(t[:2]))
def test_dates_outside_the_ledgers_years_are_refused(ledger, refused, template, value):
    refused(*fill(template, value))


@pytest.mark.parametrize("value", ["", "  "])
@pytest.mark.parametrize(
    "template",
    [
        *DATE_TAKERS,
        ["weekly", "--week", "{}"],
        ["weekly", "--month", "{}"],
        ["weekly", "--quarter", "{}"],
        ["notices", "--date", "{}"],
        ["urge", "2026-0001", "--at", "{}"],
    ],
    ids=lambda t: " ".join(t[:2] + t[-2:-1]),
)
def test_a_date_given_empty_is_refused_not_taken_for_today(ledger, refused, template, value):
    """`--at "$WHEN"` with WHEN unset: once recorded at the current minute (`--date ""` gave
    today's sheet, `--week ""` last week's), without a word. Given is given."""
    refused(*fill(template, value))


@pytest.mark.parametrize("value", ["1989", "2201", "0026", "9999"])
@pytest.mark.parametrize(
    "template", [["calendar", "{}"], ["calendar", "{}-10"], ["weekly", "--week", "{}-W10"]]
)
def test_years_outside_the_range_are_refused(ledger, refused, template, value):
    refused(*fill(template, value), message="1990")


ID_TAKERS = [
    ["show", "{}"],
    ["classify", "{}", "--scope", "within"],
    ["dispatch", "{}", "--dept", "税务"],
    ["return", "{}", "--reason", "r"],
    ["extend", "{}", "--days", "1", "--reason", "r"],
    ["urge", "{}"],
    ["resolve", "{}", "--method", "m", "--outcome", "o"],
    ["feedback", "{}", "--via", "phone"],
    ["reopen", "{}", "--reason", "r"],
    ["void", "{}", "--reason", "r"],
    ["note", "{}", "n"],
    ["edit", "{}", "--matter", "x"],
]


@pytest.mark.parametrize("value", ODD_IDS)
@pytest.mark.parametrize("template", ID_TAKERS, ids=lambda t: t[0])
def test_odd_ids_are_refused_by_every_command_that_takes_one(ledger, refused, template, value):
    code = 1 if template[0] == "edit" else usage_code(value)  # edit reads any --option itself
    line = refused(*fill(template, value), code=code)
    assert any(m in line for m in ("not of the form", "No case with id", "no option"))


def test_ids_of_any_length_parse_and_full_width_digits_are_read(ledger, run):
    assert run("show", "２０２６－０００１", "--json").json()["id"] == "2026-0001"
    assert run("show", "2026-00000001", "--json").json()["id"] == "2026-0001"
    conn = sqlite3.connect(ledger)
    conn.execute("UPDATE cases SET seq = 999999999, id = '2026-999999999' WHERE id = '2026-0002'")
    for table in ("events", "states"):
        conn.execute(f"UPDATE {table} SET case_id = '2026-999999999' WHERE case_id = '2026-0002'")
    conn.commit()
    conn.close()
    added = run("add", "--applicant", "丙", "--matter", "事项", "--json").json()
    assert added["id"] == "2026-1000000000"
    assert run("show", "2026-1000000000", "--json").json()["applicant"] == "丙"
    assert run("void", "2026-1000000000", "--reason", "test").exit_code == 0


@pytest.mark.parametrize("digits", [19, 20, 30])
def test_an_id_of_more_digits_than_any_case_has_is_no_case(ledger, refused, digits):
    """A sequence past what SQLite's integers hold is of the form 2026-0001 all the same:
    the clerk is told no case has it, not that it is written wrong."""
    number = "2026-" + "1234567890" * 3
    number = number[: 5 + digits]
    assert refused("show", number) == f"No case with id {number}"
    full_width = "２０２６－" + number[5:]
    assert refused("void", full_width, "--reason", "x") == f"No case with id {number}"


def test_ids_the_ledger_gives_after_a_large_imported_one_import_back(ledger, run, tmp_path):
    """An imported 2026-999999999999999 let `add` give 2026-1000000000000000, which the
    import of the ledger's own export then refused as too large."""
    book = tmp_path / "book.csv"
    book.write_text(
        "案件编号,受理时间,反映人,事项名称\n2026-999999999999999,2026-10-09 09:00,张三,事\n",
        "utf-8",
    )
    assert run("import", book).exit_code == 0
    added = run("add", "--applicant", "李四", "--matter", "个体户注册", "--json").json()
    assert added["id"] == "2026-1000000000000000"
    sheet = tmp_path / "all.csv"
    assert run("export", "--full-contact", "--out", sheet).exit_code == 0
    again = run("--db", tmp_path / "other.db", "import", sheet)
    assert again.exit_code == 0, again.stderr
    ids = [case["id"] for case in run("--db", tmp_path / "other.db", "list", "--json").json()]
    assert sorted(ids)[-2:] == ["2026-1000000000000000", "2026-999999999999999"]


def _book_id_refused(ledger, run, tmp_path, raw: str) -> str:
    """The first line of an import refused for a book's id: exit 1, no traceback, the ledger
    unchanged."""
    book = tmp_path / "book.csv"
    book.write_text(f"案件编号,受理时间,反映人,事项名称\n{raw},2026-10-09 09:00,张三,事\n", "utf-8")
    before = digest(ledger)
    result = run("import", book)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert digest(ledger) == before
    return result.stderr.splitlines()[0]


@pytest.mark.parametrize("digits", [18, 19, 25])
def test_a_book_id_too_long_to_leave_room_says_too_large(ledger, run, tmp_path, digits):
    raw = "2026-" + ("9" * digits)
    assert _book_id_refused(ledger, run, tmp_path, raw) == (
        f"line 2: The sequence of case id '{raw}' is too large (at most 999999998999999999): "
        "later cases would have no ids left; correct it or leave it empty"
    )


NUMBERS = ["²", "10³⁰", "99999999999999999999", "-1", "1e3", "1.5", "三", "1_0", "0x10", "٣"]


@pytest.mark.parametrize("value", NUMBERS)
@pytest.mark.parametrize(
    "template",
    [
        ["settings", "set", "limit_simple", "{}"],
        ["settings", "set", "limit_standard", "{}"],
        ["settings", "set", "on_time_threshold", "{}"],
        ["extend", "2026-0001", "--days", "{}", "--reason", "r"],
        ["deadline", "2026-10-14", "--days", "{}"],
    ],
    ids=lambda t: " ".join(t[:3]),
)
def test_numbers_that_are_not_whole_decimal_numbers_in_range(ledger, refused, template, value):
    # --days is read by the ledger itself, so that `1_0` is not ten (exit 1); `settings set
    # KEY -1` is a value out of range (exit 1), not an option the command lacks
    refused(*fill(template, value), code=1)


def test_extend_names_its_range(ledger, refused):
    refused(
        "extend", "2026-0001", "--days", "366", "--reason", "r",
        message="at most 10 working days (setting max_extension_days), not 366",
    )  # fmt: skip
    refused("extend", "2026-0001", "--days", "0", "--reason", "r", message="from 1 to 10 (got '0')")


# -- paths ------------------------------------------------------------------------------

WRITERS = [
    ["export", "--out", "{}"],
    ["daily", "--date", D, "--html", "{}"],
    ["weekly", "--week", "2026-W42", "--csv", "{}"],
    ["backup", "{}"],
]


def _bad_paths(db: Path) -> dict[str, str]:
    (db.parent / "backups").mkdir(exist_ok=True)
    (db.parent / "folder").mkdir(exist_ok=True)
    return {
        "the ledger": str(db),
        "its write-ahead log": f"{db}-wal",
        "its shared memory": f"{db}-shm",
        # the note that it was found damaged: a sound ledger would refuse every change
        "its note of damage": f"{db}.damaged",
        "the ledger by another name": str(db.parent / "folder" / ".." / db.name),
        "a file in backups": str(db.parent / "backups" / "mine.csv"),
        "a folder": str(db.parent / "folder"),
        "a missing folder": str(db.parent / "nowhere" / "x.csv"),
    }


@pytest.mark.parametrize(
    "kind",
    [
        "the ledger",
        "its write-ahead log",
        "its shared memory",
        "its note of damage",
        "the ledger by another name",
        "a file in backups",
        "a folder",
        "a missing folder",
    ],
)
@pytest.mark.parametrize("template", WRITERS, ids=lambda t: t[0])
def test_no_output_lands_on_the_ledger_or_a_bad_place(ledger, refused, template, kind):
    if template[0] == "backup" and kind == "a folder":
        pytest.skip("a backup into a folder is written there under its own name")
    target = _bad_paths(ledger)[kind]

    def files() -> dict[str, int]:
        return {
            str(p): p.stat().st_mtime_ns
            for p in ledger.parent.rglob("*")
            if p.is_file() and ".ledger-cache" not in p.parts
        }

    before = files()
    refused(*fill(template, target))
    assert files() == before


@pytest.mark.parametrize("template", [*WRITERS, ["pack", "{}"]], ids=lambda t: t[0])
@pytest.mark.parametrize("name", ["x.out ", "x.out."])
def test_no_output_is_named_with_an_end_that_windows_drops(ledger, refused, run, template, name):
    if template[0] == "pack":
        assert run("settings", "set", "window_code", "DG-01").exit_code == 0
    refused(*fill(template, str(ledger.parent / name)), message="ends in a space or a dot")
    assert not (ledger.parent / name).exists()
    if template[0] != "backup":  # (a backup into a folder is written there under its name)
        refused(*fill(template, str(ledger.parent / "..")), message="is a folder")


@pytest.mark.parametrize("template", [*WRITERS, ["pack", "{}"]], ids=lambda t: t[0])
@pytest.mark.parametrize("folder", ["reports", "backups", "old"])
@pytest.mark.parametrize("slash", ["/", os.sep])
def test_an_output_named_as_a_folder_is_refused_as_typed(
    ledger, refused, run, template, folder, slash
):
    """`export --out reports/` wrote a file named `reports`: the slash was dropped before the
    name was looked at. A name ending in a slash names a folder, there or not; only a backup
    goes into a folder that is there, under its own name."""
    if template[0] == "pack":
        assert run("settings", "set", "window_code", "DG-01").exit_code == 0
    (ledger.parent / "old").mkdir(exist_ok=True)
    target = str(ledger.parent / folder) + slash
    there = (ledger.parent / folder).is_dir()
    if template[0] == "backup" and there:
        return  # (`test_no_output_lands_on_the_ledger_or_a_bad_place` and the backup tests)
    before = {str(p) for p in ledger.parent.rglob("*") if ".ledger-cache" not in p.parts}
    message = "does not exist" if template[0] == "backup" else "ends with a slash"
    refused(*fill(template, target), message=message)
    after = {str(p) for p in ledger.parent.rglob("*") if ".ledger-cache" not in p.parts}
    assert after == before


@pytest.mark.parametrize(
    "template",
    [
        *WRITERS,
        ["notices", "--date", D, "--html", "{}"],
        ["pack", "{}"],
        ["city", "p", "--csv", "{}"],
    ],
    ids=lambda t: t[0],
)
@pytest.mark.parametrize("dash", ["-", " - "])
def test_a_dash_is_no_output_file(ledger, refused, run, monkeypatch, template, dash):
    """A script's "standard output": `export --out -` and `weekly --csv -` wrote a file
    named `-` in the clerk's folder and said it was saved there."""
    if template[0] == "pack":
        assert run("settings", "set", "window_code", "DG-01").exit_code == 0
    monkeypatch.chdir(ledger.parent)
    before = {str(p) for p in ledger.parent.rglob("*") if ".ledger-cache" not in p.parts}
    sealed = digest(ledger)
    refused(*fill(template, dash), message="'-' names no file here")
    after = {str(p) for p in ledger.parent.rglob("*") if ".ledger-cache" not in p.parts}
    assert after == before and digest(ledger) == sealed
    assert not (ledger.parent / dash).exists()


@pytest.mark.parametrize("template", WRITERS, ids=lambda t: t[0])
def test_links_that_lead_round_to_themselves_are_no_output(ledger, refused, template):
    """An export onto a loop of links replaced the link with a file."""
    one, other = ledger.parent / "one.csv", ledger.parent / "other.csv"
    one.symlink_to(other.name)
    other.symlink_to(one.name)
    refused(*fill(template, str(one)), message="leads round to itself")
    assert one.is_symlink() and os.readlink(one) == "other.csv"


def test_a_symlink_to_the_ledger_is_the_ledger(ledger, refused):
    link = ledger.parent / "innocent.csv"
    link.symlink_to(ledger)
    refused("export", "--out", link, message="ledger file itself")


@pytest.mark.parametrize("target", ["missing.csv", "folder"])
def test_import_of_a_missing_file_or_a_folder_is_one_line(ledger, refused, target):
    (ledger.parent / "folder").mkdir(exist_ok=True)
    refused("import", ledger.parent / target)


WRITTEN_OVER = [*[t for t in WRITERS if t[0] != "backup"], ["notices", "--date", D, "--html", "{}"]]


@pytest.mark.parametrize("template", WRITTEN_OVER, ids=lambda t: t[0])
@pytest.mark.parametrize("name", ["other-window.db", "pack.db", "sheet.csv", "book.xlsx"])
def test_no_output_replaces_another_sqlite_file(ledger, refused, template, name):
    """Another window's ledger, a pack, a copy kept by hand: a sheet or a page written over
    one, exit 0, was a ledger lost to a slip of the file name, whatever the name says."""
    other = ledger.parent / name
    shutil.copyfile(ledger, other)
    before = digest(other)
    line = refused(*fill(template, str(other)), message="is a SQLite database")
    assert str(other) in line
    assert digest(other) == before


def run_ok(ledger: Path, *args: str) -> bool:
    return ledger_cmd(ledger, *args).returncode == 0


def _log_with_work_in_it(folder: Path) -> Path:
    """Another window's ledger as a crash leaves it: a change committed to its log alone."""
    other = folder / "crashed.db"
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES ('committed')")
    conn.commit()
    for name in ("crashed.db", "crashed.db-wal", "crashed.db-shm"):
        shutil.copyfile(folder / name, folder / f"copy-{name}")
    conn.close()
    return folder / "copy-crashed.db"


@pytest.mark.parametrize(
    "template", [*WRITTEN_OVER, ["pack", "{}"], ["backup", "{}"]], ids=lambda t: t[0]
)
@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-WAL"])
def test_no_output_replaces_another_sqlite_files_log(ledger, refused, template, suffix):
    """An export named like another ledger's log replaced it, exit 0, and that ledger lost
    what was committed to the log alone."""
    if template[0] == "pack":
        assert run_ok(ledger, "settings", "set", "window_code", "DG-01")
    other = _log_with_work_in_it(ledger.parent)
    target = other.with_name(other.name + suffix)
    if not target.exists():  # -WAL: its log on a disk that ignores case
        target.write_bytes(b"")
    before = digest(target)
    line = refused(*fill(template, str(target)), message="belongs to the SQLite database")
    assert str(other) in line
    assert digest(target) == before
    assert sqlite3.connect(other).execute("SELECT x FROM t").fetchall() == [("committed",)]


@pytest.mark.parametrize("suffix", ["-wal", "-journal", "-shm"])
def test_backup_is_not_made_under_the_name_of_another_databases_log(ledger, refused, suffix):
    """`backup other.db-wal` (no log there yet) made the copy, exit 0, and the next program to
    open other.db took the copy for its log and removed it: the clerk's copy was gone."""
    other = ledger.parent / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    target = ledger.parent / f"other.db{suffix}"
    line = refused("backup", target, message="belongs to the SQLite database")
    assert str(other) in line
    assert not target.exists()


def test_a_file_named_as_a_log_alone_is_an_output_like_any_other(ledger, run):
    """`--out ./-wal` (no database before the ending) said it had an internal error."""
    out = ledger.parent / "-wal"
    assert run("export", "--out", out).exit_code == 0
    assert out.read_text(encoding="utf-8-sig").startswith("ID,")


def test_outputs_replace_an_existing_file_whole(ledger, run):
    out = ledger.parent / "cases.csv"
    out.write_text("old", encoding="utf-8")
    assert run("export", "--out", out).exit_code == 0
    assert out.read_text(encoding="utf-8-sig").startswith("ID,")
    assert not list(ledger.parent.glob("*.partial"))


OUTPUTS = [t for t in WRITERS if t[0] != "backup"]


@pytest.mark.parametrize("template", OUTPUTS, ids=lambda t: t[0])
def test_an_output_into_a_pipe_or_a_device_is_written_into_it_and_leaves_it(ledger, run, template):
    fifo = ledger.parent / "pipe"
    os.mkfifo(fifo)
    # nobody reading: refused at once, never waited on
    refused = run(*fill(template, str(fifo)))
    assert refused.exit_code == 1 and "Nothing reads the pipe" in refused.stderr
    reading = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, there before the writer
    holding = os.open(fifo, os.O_WRONLY)  # and a writer of ours, so that it waits for more
    read: list[bytes] = []
    reader = threading.Thread(target=lambda: read.append(_drain(reading)), daemon=True)
    reader.start()
    try:
        result = run(*fill(template, str(fifo)))
    finally:
        os.close(holding)
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and len(read[0]) > 100
    assert run(*fill(template, "/dev/null")).exit_code == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def _drain(fd: int) -> bytes:
    """Everything a pipe is given until its writer closes it."""
    os.set_blocking(fd, True)
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


@pytest.mark.parametrize("template", OUTPUTS, ids=lambda t: t[0])
def test_an_output_to_the_commands_own_streams(ledger, template, tmp_path):
    """`/dev/stdout` is where the command speaks: refused, the file the shell sends it to
    left as it was. Another open stream (`/dev/stderr` here) is written through its own
    descriptor, after what the file held — never from a second offset over it."""
    log = ledger.parent / "day.log"
    log.write_text("kept line\n", encoding="utf-8")
    linked = tmp_path / "linked"  # a link to it through a linked folder is the same stream
    (tmp_path / "real" / "deep").mkdir(parents=True)
    linked.symlink_to(tmp_path / "real" / "deep")
    (tmp_path / "real" / "s").symlink_to("/dev/stdout")
    (tmp_path / "real" / "deep" / "x").symlink_to("../s")
    for target in ("/dev/stdout", "/dev/fd/1", str(linked / "x")):
        with log.open("ab") as appended:
            done = ledger_cmd(
                ledger, *fill(template, target), stdout=appended, stderr=subprocess.PIPE
            )
        assert done.returncode == 1 and "own output" in done.stderr, (target, done.stderr)
        assert log.read_bytes() == b"kept line\n"
    with log.open("ab") as appended:
        done = ledger_cmd(
            ledger, *fill(template, "/dev/stderr"), stdout=subprocess.PIPE, stderr=appended
        )
    assert done.returncode == 0
    text = log.read_bytes()
    assert text.startswith(b"kept line\n") and len(text) > 200


@pytest.mark.parametrize("template", OUTPUTS, ids=lambda t: t[0])
def test_an_output_through_a_link_writes_the_file_and_keeps_the_link(ledger, run, template):
    real = ledger.parent / "real-file"
    real.write_text("old", encoding="utf-8")
    link = ledger.parent / "link"
    link.symlink_to(real)
    assert run(*fill(template, str(link))).exit_code == 0
    assert link.is_symlink() and len(real.read_bytes()) > 100
    dangling = ledger.parent / "dangling"
    dangling.symlink_to(ledger.parent / "not-yet")
    assert run(*fill(template, str(dangling))).exit_code == 0
    assert dangling.is_symlink() and (ledger.parent / "not-yet").stat().st_size > 100


@pytest.mark.parametrize("template", [*OUTPUTS, ["pack", "{}"]], ids=lambda t: t[0])
def test_an_output_onto_a_socket_is_refused_and_leaves_it(ledger, run, refused, template):
    _ok(run, "settings", "set", "window_code", "W-1")
    place = ledger.parent / "sock"
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(place))
        refused(*fill(template, str(place)), message="not an ordinary file")
        assert stat.S_ISSOCK(os.stat(place).st_mode)


# -- accepted text is printed literally -------------------------------------------------


@pytest.fixture
def marked_up(ledger, run, monkeypatch) -> Path:
    """Every markup-like value stored in every kind of place the outputs show."""
    monkeypatch.setenv("COLUMNS", "400")
    for n, value in enumerate(MARKUP):
        _ok(run, "dept", "add", f"部门{value}", "--floor", value, "--phone", value)
        at = f"2026-10-0{5 + n % 3} 09:0{n}"
        _ok(run, "add", "--applicant", value, "--matter", value, "--cause", value, "--at", at)
        case = f"2026-{n + 3:04d}"
        _ok(run, "dispatch", case, "--dept", f"部门{value}", "--at", at[:-1] + "5")
    _ok(run, "settings", "set", "window_name", MARKUP[1])
    _ok(run, "calendar", "holiday", "2026-12-24", "--name", MARKUP[0])
    return ledger


SHOWERS = [
    ["daily", "--date", D],
    ["daily", "--date", D, "--json"],
    ["overdue", "--date", D],
    ["weekly", "--from", "2026-10-05", "--to", D],
    ["show", "2026-0003"],
    ["show", "2026-0004"],
    ["list"],
    ["list", "--search", "[/]"],
    ["dept", "list"],
    ["settings", "show"],
    ["calendar", "2026-12"],
    ["export"],
]


@pytest.mark.parametrize("command", SHOWERS, ids=lambda c: " ".join(c[:2]))
def test_markup_is_printed_literally_by_every_output(marked_up, run, command):
    result = run(*command)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    if "--json" in command:
        out = json.dumps(result.json(), ensure_ascii=False)
    # long values may wrap inside a table's column; the short ones are whole on a line, and
    # the link's opening tag shows that it was not taken as markup
    short = [MARKUP[0], MARKUP[2], MARKUP[3], MARKUP[4]]
    if command[0] in ("show", "settings", "calendar"):
        assert any(value in out for value in MARKUP) or "[link=" in out, out
    elif "--search" in command:
        assert all(value in out for value in short if "[/]" in value), out
        assert "[x]" not in out  # a search for "[/]" is a literal search, not a pattern
    else:
        assert all(value in out for value in short), out
        assert "[link=" in out, out


@pytest.mark.parametrize(
    "writer",
    [
        ["daily", "--date", D, "--html", "{}"],
        ["weekly", "--from", "2026-10-05", "--to", D, "--csv", "{}"],
        ["export", "--out", "{}"],
    ],
    ids=lambda w: w[0],
)
def test_markup_is_written_literally_to_files(marked_up, run, writer):
    from html import escape

    out = marked_up.parent / "out.file"
    _ok(run, *fill(writer, str(out)))
    body = out.read_bytes().decode("utf-8-sig")
    for value in MARKUP[:4]:
        assert value in body or escape(value) in body, value


STORED_CONTROLS = "甲\x1b[2J\x1b]0;title\x07\x9b31m乙\u202e丙"


@pytest.fixture
def legacy_controls(ledger) -> Path:
    """A ledger written before the door was checked: control characters already stored."""
    conn = sqlite3.connect(ledger)
    conn.execute(
        "UPDATE cases SET applicant = ?, matter = ?, cause = ? WHERE id = '2026-0001'",
        (STORED_CONTROLS, STORED_CONTROLS, STORED_CONTROLS),
    )
    conn.execute("UPDATE departments SET floor = ? WHERE name = '税务'", (STORED_CONTROLS,))
    conn.execute("INSERT INTO settings VALUES ('window_name', ?)", (STORED_CONTROLS,))
    conn.commit()
    conn.close()
    return ledger


LEGACY_SHOWERS = [
    *(c for c in SHOWERS if c[0] != "show"),
    ["overdue", "--date", "2026-10-20", "--json"],
    ["show", "2026-0001"],
    ["show", "2026-0001", "--json"],
]


@pytest.mark.parametrize("command", LEGACY_SHOWERS, ids=lambda c: " ".join(c))
def test_stored_control_characters_never_reach_the_terminal(legacy_controls, run, command):
    result = run(*command)
    assert result.exit_code == 0, result.stderr
    for byte in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert byte not in result.stdout + result.stderr, (command, byte)


# -- privacy ----------------------------------------------------------------------------


def test_an_edited_contact_is_masked_on_both_sides_everywhere(ledger, run, tmp_path):
    _ok(run, "edit", "2026-0001", "--contact", "13700001111")
    _ok(run, "edit", "2026-0001", "--contact", "13811112222")
    outputs = [
        run("show", "2026-0001").stdout,
        run("show", "2026-0001", "--json").stdout,
        run("list", "--json").stdout,
        run("list").stdout,
        run("daily", "--date", D, "--json").stdout,
        run("overdue", "--date", "2026-10-20", "--json").stdout,
        run("export").stdout,
    ]
    _ok(run, "daily", "--date", D, "--html", tmp_path / "sheet.html")
    outputs.append((tmp_path / "sheet.html").read_text(encoding="utf-8"))
    for out in outputs:
        assert "13700001111" not in out and "13811112222" not in out
    timeline = run("show", "2026-0001", "--json").json()["timeline"]
    edits = [c for e in timeline for c in e["changes"] if c["field"] == "contact"]
    assert [(c["old"], c["new"]) for c in edits] == [
        (None, "137****1111"),
        ("137****1111", "138****2222"),
    ]
    full = run("show", "2026-0001", "--json", "--full-contact").json()["timeline"]
    assert [c["new"] for e in full for c in e["changes"] if c["field"] == "contact"] == [
        "13700001111",
        "13811112222",
    ]


def test_a_number_typed_into_text_is_masked_everywhere_unless_asked(ledger, run, tmp_path):
    """SPEC §8: an applicant's number is personal whichever field it was typed into — an
    enterprise named with its phone, a cause, a note, an extension's reason, an outcome, a
    field corrected. Masked in every output but under --full-contact (packs mask it too)."""
    typed = {
        "13800000001": ("add", "--applicant", "陈13800000001", "--matter", "营业执照",
                        "--dept", "市场准入", "--at", "2026-10-20 09:00"),
        "139 0000 0002": ("edit", "2026-0003", "--cause", "申请人另留手机139 0000 0002",
                          "--at", "2026-10-20 09:01"),
        "139-0000-0003": ("note", "2026-0003", "请回电 139-0000-0003", "--at",
                          "2026-10-20 09:05"),
        # a local landline, eight digits without an area code, where the text says phone
        "8234 5670": ("note", "2026-0003", "单位座机 8234 5670", "--at", "2026-10-20 09:06"),
        "13900000004": ("dispatch", "2026-0003", "--at", "2026-10-20 09:10"),
        "13900000005": ("extend", "2026-0003", "--days", "1", "--reason",
                        "等13900000005回复", "--at", "2026-10-20 09:20"),
        "13900000006": ("edit", "2026-0003", "--matter", "营业执照（来电13900000006）",
                        "--at", "2026-10-20 09:25"),
        # the book's reference too (a 序号 column that held a phone when a book was shifted)
        "13900000008": ("edit", "2026-0003", "--ref", "13900000008", "--at", "2026-10-20 09:26"),
    }  # fmt: skip
    for args in typed.values():
        _ok(run, *args)
    _ok(run, "add", "--applicant", "孔女士", "--matter", "食品小作坊登记", "--dept", "市场准入",
        "--at", "2026-10-20 09:30")  # fmt: skip
    _ok(run, "resolve", "2026-0004", "--cannot", "--reason", "已电话告知13900000007",
        "--at", "2026-10-20 10:00")  # fmt: skip
    numbers = [*typed, "13900000007"]
    outputs = {
        "show": run("show", "2026-0003").stdout,
        "show --json": run("show", "2026-0003", "--json").stdout,
        "list": run("list").stdout,
        "list --json": run("list", "--json").stdout,
        "daily --json": run("daily", "--date", "2026-10-20", "--json").stdout,
        "weekly --json": run("weekly", "--from", "2026-10-20", "--to", "2026-10-20",
                             "--json").stdout,
        "export": run("export").stdout,
    }  # fmt: skip
    _ok(run, "daily", "--date", "2026-10-20", "--html", tmp_path / "sheet.html")
    outputs["html"] = (tmp_path / "sheet.html").read_text(encoding="utf-8")
    _ok(run, "export", "--out", tmp_path / "cases.xlsx")
    from openpyxl import load_workbook

    cells = [str(c) for row in load_workbook(tmp_path / "cases.xlsx").active.values for c in row]
    outputs["workbook"] = "\n".join(cells)
    for name, out in outputs.items():
        digits = out.replace(" ", "").replace("-", "")
        for number in numbers:
            assert number.replace(" ", "").replace("-", "") not in digits, (name, number)
    assert "陈138****0001" in outputs["list --json"]
    assert "139****0007" in outputs["weekly --json"]
    again = run("add", "--applicant", "陈13800000001", "--matter", "又来", "--at",
                "2026-10-20 11:00")  # fmt: skip
    assert again.exit_code == 0 and "陈138****0001" in again.stderr  # named as a repeat
    assert "13800000001" not in again.stdout + again.stderr
    full = run("show", "2026-0003", "--json", "--full-contact").stdout
    for number in ("13800000001", "139 0000 0002", "139-0000-0003", "8234 5670", "13900000005",
                   "13900000008"):  # fmt: skip
        assert number in full, number


NEW_LEDGER = ["--db", "{}", "add", "--applicant", "甲", "--matter", "乙"]


@pytest.mark.parametrize("template", [*WRITERS, NEW_LEDGER], ids=lambda t: t[0].strip("-"))
def test_a_path_through_a_file_names_the_file(ledger, refused, template):
    """cases.csv/x.csv, where cases.csv is a file, said "the folder cases.csv does not
    exist", and a new ledger there "Cannot read or write … (File exists)"."""
    blocker = ledger.parent / "cases.csv"
    blocker.write_text("a sheet", encoding="utf-8")
    line = refused(*fill(template, str(blocker / "deeper" / "x.out")))
    said = "is a file, not a folder: nothing can be written inside it; choose another path."
    assert line == f"{blocker} {said}"
    assert blocker.read_text(encoding="utf-8") == "a sheet"


@pytest.mark.parametrize(
    "name", ["none", "None", "（未填）", "(none)", "未填", " ( none ) ", "—", "-", "－", "——"]
)
def test_no_department_is_named_as_the_figures_call_no_department(ledger, refused, run, name):
    """A department named `none` or （未填） was counted with the cases that have none, in the
    weekly table, its CSV and the city's total; one named `—` looked in a list like a case
    with no department."""
    refused("dept", "add", name, message="how the figures and lists show no department")
    refused("dept", "rename", "税务", name, message="how the figures and lists show no department")
    book = ledger.parent / "book.csv"
    book.write_text(f"受理时间,反映人,事项名称,承办单位\n2026-10-12 09:00,张三,事项,{name}\n")
    before = digest(ledger)
    done = run("import", book, "--add-departments")
    from ledger.sheets import EMPTY_MARKS

    if name.strip() in EMPTY_MARKS:  # a book's way of leaving the cell empty: no department
        assert done.exit_code == 0, done.stderr
        newest = run("list", "--json").json()[0]
        assert (newest["applicant"], newest["department"]) == ("张三", None)
        assert "Departments added" not in done.stdout
    else:
        assert done.exit_code == 1 and "leave the cell empty for none" in done.stderr
        assert digest(ledger) == before


def test_backup_into_a_folder_names_the_copy_and_an_empty_path_is_refused(ledger, refused, run):
    """`backup ""` wrote a copy into the folder the clerk was in; `backup backups` (the ledger's
    own folder of copies) was refused as a name of the clerk's inside it."""
    refused("backup", "", message="The path given to backup is empty")
    refused("backup", "  ", message="The path given to backup is empty")
    done = run("backup", ledger.parent / "backups")
    assert done.exit_code == 0, done.stderr
    copies = list((ledger.parent / "backups").glob("ledger-*T*.db"))
    assert len(copies) == 1 and copies[0].name in "".join(done.stdout.split())
    folder = ledger.parent / "elsewhere"
    folder.mkdir()
    assert run("backup", folder).exit_code == 0
    assert [p.name.startswith("ledger-") for p in folder.iterdir()] == [True]


def test_an_imported_book_loses_its_unseen_marks_in_dates_and_codes_too(ledger, run):
    """Cells copied from a web page carry zero-width spaces: a date or a code with one was a
    bad row whose cell looked right, and a name kept it."""
    book = ledger.parent / "book.csv"
    book.write_text(
        "受理时间,反映人,事项名称,受理渠道\n"
        "2026-10-12\u200b 09:00,\ufeff张\u200b三,营业执照\u200e,窗口\u200b\n",
        encoding="utf-8",
    )
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    case = json.loads(run("show", "2026-0003", "--json").stdout)
    assert (case["received_at"], case["applicant"], case["matter"], case["channel"]) == (
        "2026-10-12 09:00",
        "张三",
        "营业执照",
        "window",
    )


def test_a_copy_the_system_cannot_write_is_named_as_the_copy_not_the_ledger(ledger, refused):
    """`backup` to a place the system refuses (read-only, a name too long for it) said
    "Cannot open the ledger file <the copy's path>": the clerk was told the ledger was broken."""
    target = ledger.parent / ("b" * 245 + ".db")
    line = refused("backup", target)
    assert line.startswith("The file name is too long: ")
    assert "ledger file" not in line
    assert not [p for p in ledger.parent.iterdir() if p.name.startswith((".b", "b"))]


@pytest.mark.no_ledger
@pytest.mark.parametrize("name", ["台账.db ", "ledger.db.", "ledger.db. "])
def test_a_new_ledger_is_not_made_under_a_name_windows_would_cut(ledger_file, run, name):
    """`--db 'sp.db '` made a ledger that Windows would know as `sp.db`."""
    path = ledger_file.parent / name
    result = run("--db", path, "add", "--applicant", "a", "--matter", "m")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"The file name '{path}' ends in a space or a dot, which Windows drops; remove it and "
        "try again. Nothing was written."
    )
    assert sorted(p.name for p in ledger_file.parent.iterdir()) == []


def test_importing_a_link_that_leads_nowhere_says_so(ledger, refused):
    loop = ledger.parent / "loop.csv"
    loop.symlink_to(loop)
    gone = ledger.parent / "gone.csv"
    gone.symlink_to(ledger.parent / "deleted.csv")
    for link in (loop, gone):
        line = refused("import", link)
        assert line == (
            f"{link} is a link that leads to no file (its file is missing, or it leads round "
            "to itself); import the file it should point to."
        )


@pytest.mark.parametrize("raw", ["0000-0001", "0999-12", "０２０２６-1"])
def test_an_id_is_quoted_as_typed_when_refused(ledger, refused, raw):
    line = refused("show", raw)
    assert line == f"Case id '{raw}' is not of the form 2026-0001"


@pytest.mark.parametrize("raw", ["2026-0000", "2026-0"])
def test_a_book_cannot_bring_a_case_numbered_0(ledger, run, tmp_path, raw):
    """The ledger numbers a year's cases from 0001: an imported `2026-0000` was a case no
    command of the ledger would have made."""
    assert _book_id_refused(ledger, run, tmp_path, raw) == (
        f"line 2: Case id '{raw}' is not of the form 2026-0001; correct it, or leave it empty "
        "for the ledger to number"
    )


@pytest.mark.parametrize("columns", ["0", "-5", "wide", ""])
def test_a_terminal_width_of_nothing_still_shows_everything(tmp_path, monkeypatch, columns):
    """`COLUMNS=0` made Rich print nothing: `add` recorded a case and never said its id, a
    refusal said nothing on stderr, `--help` printed one byte."""
    monkeypatch.setenv("COLUMNS", columns)
    db = tmp_path / "ledger.db"
    added = ledger_cmd(db, "add", "--applicant", "张三", "--matter", "营业执照")
    assert added.returncode == 0 and "-0001 (deadline" in added.stdout
    assert "张三" in ledger_cmd(db, "list").stdout
    refused = ledger_cmd(db, "show", "2026-9999")
    assert refused.returncode == 1 and refused.stderr.strip() == "No case with id 2026-9999"
    helped = ledger_cmd(db, "--help").stdout
    assert "Usage:" in helped and "--db" in helped and "daily" in helped


def test_the_folder_of_copies_reached_by_a_second_path_is_still_refused(ledger, run, tmp_path):
    """The folder of copies was compared by its path: the same folder mounted at a second
    path (a mapped drive and its share name) took an export into `backups/`."""
    assert run("backup").exit_code == 0  # backups/ exists
    second = tmp_path.parent / f"{tmp_path.name}-again"
    second.mkdir()
    mounted = subprocess.run(
        ["mount", "--bind", str(ledger.parent), str(second)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip("this machine does not let the test mount a folder at a second path")
    try:
        result = run("export", "--out", second / "backups" / "q.csv")
        assert result.exit_code == 1
        assert "holds only the ledger's own copies" in result.stderr
        assert sorted(p.name for p in (ledger.parent / "backups").iterdir() if "q" in p.name) == []
    finally:
        subprocess.run(["umount", str(second)], check=False)


def test_a_book_imported_before_marks_were_taken_out_is_the_same_cases_again(ledger, run):
    """A case stored with a zero-width space (a book imported by an earlier version) and the
    same row read now without it: the row is the case already in the ledger, not a new one
    (without an id) and not a conflict (with its id)."""
    assert (
        run("add", "--applicant", "丁", "--matter", "事项三", "--at", "2026-10-10 09:00").exit_code
        == 0
    )
    conn = sqlite3.connect(ledger)
    conn.execute(
        "UPDATE cases SET applicant = '丁\u200b', matter = '事项\u200b三' WHERE id = '2026-0003'"
    )
    conn.commit()
    conn.close()
    book = ledger.parent / "book.csv"
    book.write_text("受理时间,反映人,事项名称\n2026-10-10 09:00,丁,事项三\n", encoding="utf-8")
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert "0 new cases, 1 already in the ledger unchanged" in result.stdout
    exported = ledger.parent / "all.csv"
    assert run("export", "--out", exported, "--full-contact").exit_code == 0
    assert run("import", exported).exit_code == 0  # each row by its id: no conflict


def test_a_row_of_unseen_marks_is_empty_and_a_total_behind_one_is_a_total(ledger, run):
    book = ledger.parent / "book.csv"
    book.write_text(
        "受理时间,反映人,事项名称\n2026-10-12 09:00,丙,事\n\u200b,,\n\u200b合计,1,\n",
        encoding="utf-8",
    )
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert "Skipped 1 empty row and 1 total row" in result.stdout


def test_unseen_marks_in_typed_codes_dates_ids_and_department_names_are_taken_out(ledger, run):
    """Text fields lost their marks, but `--dept 市场<U+200B>准入` was refused as unknown with
    the clerk's own (identical-looking) name quoted back; so were a code, a date and an id."""
    added = run(
        "add",
        "--applicant",
        "戊",
        "--matter",
        "事",
        "--dept",
        "市场\u200b准入",
        "--limit",
        "com\u200bplex",
        "--channel",
        "pho\ufeffne",
        "--at",
        "2026-10-12 09:1\u200b5",
    )
    assert added.exit_code == 0, added.stderr
    case = json.loads(run("show", "2026-0003\u200b", "--json").stdout)
    assert (case["department"], case["channel"], case["received_at"]) == (
        "市场准入",
        "phone",
        "2026-10-12 09:15",
    )
    listed = json.loads(run("list", "--dept", "\u200e市场准入", "--json").stdout)
    assert [c["id"] for c in listed] == ["2026-0003"]


@pytest.mark.parametrize(
    "args",
    [
        ["weekly", "--week", "2026-W\u200b41", "--json"],
        ["weekly", "--month", "2026\u200b-10", "--json"],
        ["weekly", "--quarter", "2026-Q4\u061c", "--json"],
        ["calendar", "2026\u200b-10", "--json"],
        ["calendar", "\ufeff2026", "--json"],
        ["deadline", "2026-09-30", "--days", "3\u200b", "--json"],
        ["daily", "--date", "2026-10-14\u00ad", "--json"],
    ],
    ids=["week", "month", "quarter", "calendar month", "calendar year", "days", "date"],
)
def test_unseen_marks_in_typed_periods_years_and_counts_are_taken_out(ledger, run, args):
    """`--week 2026-W<U+200B>41` was refused, quoting back a value that looked exactly like
    the example it gave; so were a month, a quarter, a calendar's year and a count."""
    plain = [arg.translate(dict.fromkeys(map(ord, "\u200b\u061c\ufeff\u00ad"))) for arg in args]
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == run(*plain).stdout


def test_a_named_day_with_a_mark_is_that_moment_not_its_midnight(ledger, run):
    """`--at today<U+200B>` recorded the case at 00:00; `--at now<U+200B>` was refused."""
    from ledger import dates

    for word in ("today\u200b", "now\u200b", "\u200b今天"):
        before = dates.minute(dates.now())
        added = run("add", "--applicant", "甲", "--matter", "事", "--at", word, "--json")
        assert added.exit_code == 0, added.stderr
        assert before <= json.loads(added.stdout)["received_at"] <= dates.minute(dates.now())


def test_a_department_named_by_a_filler_alone_is_an_empty_name(ledger, refused):
    """`dept add <U+3164>` (a Hangul filler) made a department whose name looked empty."""
    refused("dept", "add", "\u3164", message="must not be empty")


@pytest.mark.parametrize(
    "blank", ["\u200d", "\u200c", "\ufe0f", "\u180b", "\u2800", "\u0600", "\u0301", "\u200d\u2800"]
)
def test_a_name_of_signs_that_show_nothing_is_an_empty_name(ledger, refused, run, blank):
    """An applicant of one zero-width joiner (or a variation selector, a braille blank …)
    made a case whose applicant looked empty; beside a character such a sign is kept."""
    refused("add", "--applicant", blank, "--matter", "事", message="Applicant must not be empty")
    kept = run("add", "--applicant", f"张三{blank}", "--matter", "事", "--json")
    assert kept.exit_code == 0 and kept.json()["applicant"] == f"张三{blank}"


def test_a_department_stored_with_a_mark_can_still_be_named(ledger, run):
    """A department an earlier version stored as 市场<U+00AD>管理 could not be named once typed
    names lost their marks — not even to be renamed."""
    conn = sqlite3.connect(ledger)
    conn.execute("INSERT INTO departments (name, kind) VALUES ('市场\u00ad管理', 'unit')")
    conn.commit()
    conn.close()
    added = run("add", "--applicant", "甲", "--matter", "事", "--dept", "市场管理", "--json")
    assert added.exit_code == 0, added.stderr
    renamed = run("dept", "rename", "市场\u00ad管理", "市场管理科")
    assert renamed.exit_code == 0, renamed.stderr
    names = [d["name"] for d in json.loads(run("dept", "list", "--json").stdout)]
    assert "市场管理科" in names and "市场\u00ad管理" not in names


def test_a_marked_departments_cases_export_and_import_back_into_the_same_ledger(
    ledger, run, tmp_path
):
    """Its own export named the department without the mark, and the import refused every
    row as naming an unknown department."""
    conn = sqlite3.connect(ledger)
    conn.execute("INSERT INTO departments (name, kind) VALUES ('人社\u00ad局', 'unit')")
    conn.commit()
    conn.close()
    assert run("add", "--applicant", "甲", "--matter", "事", "--dept", "人社局").exit_code == 0
    sheet = tmp_path / "all.csv"
    assert run("export", "--full-contact", "--out", sheet).exit_code == 0
    again = run("import", sheet)
    assert again.exit_code == 0, again.stderr
    assert "0 new cases" in again.stdout
    other = tmp_path / "other.db"
    assert run("--db", other, "dept", "add", "人社局").exit_code == 0
    moved = run("--db", other, "import", sheet)
    assert moved.exit_code == 0, moved.stderr


def test_look_alike_departments_are_not_added_and_a_mark_can_be_renamed_away(ledger, run, refused):
    conn = sqlite3.connect(ledger)
    conn.executemany(
        "INSERT INTO departments (name, kind) VALUES (?, 'unit')",
        [("住建\u00ad局",), ("住建\u3164局",), ("人社\u200b局",)],
    )
    conn.commit()
    conn.close()
    refused("dept", "add", "住建局", message="it is the same department")
    refused("dept", "rename", "税务", "住建局", message="it is the same department")
    renamed = run("dept", "rename", "人社局", "人社局")
    assert renamed.exit_code == 0, renamed.stderr
    names = [d["name"] for d in json.loads(run("dept", "list", "--json").stdout)]
    assert "人社局" in names and "人社\u200b局" not in names


def test_a_department_typed_with_a_space_or_in_another_case_is_the_one_the_ledger_has(
    ledger, run, refused, tmp_path
):
    """`dept add '市场 准入'` made a second 市场准入; a book naming 新局甲 and 新  局甲 with
    --add-departments made two, the figures split between them (SPEC §7: a typo must not
    become a new department)."""
    assert run("dept", "add", "Tax Bureau").exit_code == 0
    refused("dept", "add", "市场 准入", message="Department '市场准入' already exists")
    refused(
        "dept",
        "add",
        "tax  bureau",
        message="'tax bureau' differs from the existing 'Tax Bureau' only in spaces, case, "
        "full-width forms or unseen marks: it is the same department",
    )
    refused("dept", "rename", "税务", "TAX BUREAU", message="it is the same department")
    book = tmp_path / "book.csv"
    book.write_text(
        "受理时间,反映人,事项名称,承办单位,协办单位\n"
        "2026-10-09 09:00,甲一,材料一,新局甲,\n"
        "2026-10-09 09:10,乙二,材料二,新  局甲,市场 准入\n"
        "2026-10-09 09:20,丙三,材料三,tax bureau,新 局甲\n",
        encoding="utf-8",
    )
    imported = run("import", book, "--add-departments")
    assert imported.exit_code == 0, imported.stderr
    names = [d["name"] for d in run("dept", "list", "--json").json()]
    assert names.count("新局甲") == 1 and not [n for n in names if " " in n and "Tax" not in n]
    assert "tax bureau" not in names
    cases = {c["applicant"]: c for c in run("list", "--json").json()}
    assert [cases[n]["department"] for n in ("甲一", "乙二", "丙三")] == [
        "新局甲",
        "新局甲",
        "Tax Bureau",
    ]
    assert cases["乙二"]["assist"] == ["市场准入"] and cases["丙三"]["assist"] == ["新局甲"]
    listed = run("list", "--dept", "新 局甲", "--json")
    assert listed.exit_code == 0, listed.stderr
    assert {c["applicant"] for c in listed.json()} == {"甲一", "乙二"}
    added = run(
        "add", "--applicant", "丁四", "--matter", "材料四", "--dept", "TAX  BUREAU", "--json"
    )
    assert added.exit_code == 0 and added.json()["department"] == "Tax Bureau"


def test_a_department_typed_in_full_width_is_the_one_the_ledger_has(ledger, run, refused, tmp_path):
    """A Chinese input method in full-width mode types `１２３４５热线办` and `ＴＡＸ`: `dept add`
    accepted them beside 12345热线办 and Tax Bureau, and a book naming 数据局7科 and
    数据局７科 with --add-departments made two departments, the week's figures split."""
    assert run("dept", "add", "12345热线办").exit_code == 0
    assert run("dept", "add", "Tax Bureau").exit_code == 0
    before = digest(ledger)
    refused("dept", "add", "１２３４５热线办", message="it is the same department")
    refused("dept", "add", "ＴＡＸ　ｂｕｒｅａｕ", message="full-width forms")
    refused("dept", "rename", "税务", "ｔａｘ ＢＵＲＥＡＵ", message="it is the same department")
    assert digest(ledger) == before
    # a name in full-width letters keeps the space between its words, as an ASCII one does
    assert run("dept", "add", "ＮＥＷ  ＯＦＦＩＣＥ").exit_code == 0
    assert "ＮＥＷ ＯＦＦＩＣＥ" in [d["name"] for d in run("dept", "list", "--json").json()]
    added = run("add", "--applicant", "戊五", "--matter", "事", "--dept", "ｔａｘ ｂｕｒｅａｕ")
    assert added.exit_code == 0, added.stderr
    book = tmp_path / "book.csv"
    book.write_text(
        "受理时间,反映人,事项名称,承办单位,协办单位\n"
        "2026-10-09 09:00,甲一,材料一,数据局7科,\n"
        "2026-10-09 09:10,乙二,材料二,数据局７科,１２３４５热线办\n"
        "2026-10-09 09:20,丙三,材料三,ＴＡＸ　ＢＵＲＥＡＵ,数据局７科\n",
        encoding="utf-8",
    )
    imported = run("import", book, "--add-departments")
    assert imported.exit_code == 0, imported.stderr
    names = [d["name"] for d in run("dept", "list", "--json").json()]
    assert names.count("数据局7科") == 1 and "数据局７科" not in names
    assert not [n for n in names if "１" in n or "ＴＡＸ" in n]
    cases = {c["applicant"]: c for c in run("list", "--json").json()}
    assert [cases[n]["department"] for n in ("甲一", "乙二", "丙三", "戊五")] == [
        "数据局7科",
        "数据局7科",
        "Tax Bureau",
        "Tax Bureau",
    ]
    assert cases["乙二"]["assist"] == ["12345热线办"] and cases["丙三"]["assist"] == ["数据局7科"]
    week = run("weekly", "--from", "2026-10-09", "--to", "2026-10-09", "--json").json()
    by_department = week["by_department"]
    assert by_department["数据局7科"] == 2 and by_department["Tax Bureau"] == 1
    assert not [n for n in by_department if "７" in n or "ＴＡＸ" in n]


def test_new_departments_spelled_apart_in_one_book_are_one_and_so_are_their_slips(
    ledger, run, tmp_path
):
    """--add-departments made one department of `Foo Office`/`foo office`, but kept the
    assisting spellings as written: slips of departments the ledger did not hold."""
    book = tmp_path / "book.csv"
    book.write_text(
        "受理时间,反映人,事项名称,承办单位,协办单位\n"
        "2026-11-02 09:00,甲一,材料一,Foo Office,\n"
        "2026-11-02 09:10,乙二,材料二,foo office,FOO  OFFICE\n"
        "2026-11-02 09:20,丙三,材料三,市场 准入,foo office、Foo Office\n",
        encoding="utf-8",
    )
    imported = run("import", book, "--add-departments")
    assert imported.exit_code == 0, imported.stderr
    cases = {c["applicant"]: c for c in run("list", "--json").json()}
    assert [cases[n]["department"] for n in ("甲一", "乙二", "丙三")] == [
        "Foo Office",
        "Foo Office",
        "市场准入",
    ]
    assert cases["乙二"]["assist"] == [] and cases["丙三"]["assist"] == ["Foo Office"]
    slips = run("daily", "--date", "2026-11-02", "--json").json()["to_dispatch"]
    assert sorted(g["department"] for g in slips) == ["Foo Office", "市场准入"]


def test_a_department_an_older_ledger_stored_with_a_space_is_still_named_by_it(ledger, run):
    """An earlier version let `市场 准入` be added beside 市场准入: typed as stored it is
    found again, and `dept rename` renames that one, not the other."""
    conn = sqlite3.connect(ledger)
    conn.execute("INSERT INTO departments (name, kind) VALUES ('市场 准入', 'unit')")
    conn.commit()
    conn.close()
    added = run("add", "--applicant", "甲一", "--matter", "事", "--dept", "市场 准入", "--json")
    assert added.exit_code == 0 and added.json()["department"] == "市场 准入"
    listed = run("list", "--dept", "市场 准入", "--json").json()
    assert [c["applicant"] for c in listed] == ["甲一"]
    renamed = run("dept", "rename", "市场 准入", "市场准入二科")
    assert renamed.exit_code == 0, renamed.stderr
    names = [d["name"] for d in run("dept", "list", "--json").json()]
    assert "市场准入" in names and "市场准入二科" in names and "市场 准入" not in names


def test_a_backup_into_a_file_named_as_a_folder_says_it_is_a_file(ledger, refused):
    (ledger.parent / "notes").write_text("x", encoding="utf-8")
    refused("backup", str(ledger.parent / "notes") + "/", message="is a file, not a folder")
    assert (ledger.parent / "notes").read_text(encoding="utf-8") == "x"


# -- a value given empty, or only spaces and unseen marks ---------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--lang", "", "list"), 2, "Unsupported language ''"),
        (("--db", "-", "list"), 2, "--db was given an empty path"),
        (("calendar", ""), 1, "Cannot read the month ''"),
        (("classify", "2026-0003", "--section", ""), 1, "Give at least one of --section"),
        (("classify", "2026-0003", "--section", "  ", "--dept", ""), 1, "Give at least one of"),
        (("dept", "add", "部" * 61), 1, "at most 60 characters (this one has 61)"),
    ],
)
def test_a_value_given_empty_is_refused_as_no_value(ledger, run, refused, args, code, message):
    """`--lang ""` ran in the default language, `calendar ""` showed this month, `--db -` made
    a ledger named `-`, `classify --section ""` recorded a classification of nothing."""
    assert run("add", "--applicant", "甲", "--matter", "m").stdout.startswith("Received: 2026-0003")
    refused(*args, code=code, message=message)
    assert not (Path.cwd() / "-").exists()


def test_spaces_alone_in_an_optional_code_are_no_value_as_empty_is(ledger, run):
    for value in ("", "  ", "\u200b"):
        added = run("add", "--applicant", "甲", "--matter", "m", "--channel", value)
        assert added.exit_code == 0, (value, added.stderr)
        assert run("show", added.stdout.split()[1].rstrip(":,"), "--json").json()["channel"] is None


def test_a_language_typed_with_an_unseen_mark_is_the_language(ledger, run):
    assert "Cases" not in run("--lang", "zh\u200b", "list").stdout
    assert run("--lang", "zh\u200b", "list").exit_code == 0


def test_a_refusal_lists_ten_departments_at_most(ledger, run, refused):
    for n in range(30):
        assert run("dept", "add", f"科室{n:02d}").exit_code == 0
    line = refused("list", "--dept", "没有这个单位的名字", message="科室00")
    assert "科室29" not in line and " and 26 more" in line and len(line) < 400


def test_a_setting_or_an_encoding_typed_with_an_unseen_mark_is_read(ledger, run, tmp_path):
    """`clerk_name<U+200B>` was "No setting called 'clerk_name'", which read as refusing the
    right key; so `--encoding utf-8<U+200B>`."""
    assert run("settings", "set", "clerk_name\u200b", "张敏").exit_code == 0
    assert run("settings", "show", "--json").json()["clerk_name"] == "张敏"
    out = tmp_path / "e.csv"
    assert run("export", "--out", out, "--encoding", "utf-8\u200b").exit_code == 0
    assert out.read_bytes()[:3] != b"\xef\xbb\xbf"  # utf-8 without the BOM, as asked
