"""SPEC §9, the ledger file as the clerk's only record: damaged, empty, missing, full, foreign,
read-only, restored, private, and a wrong clock — each on real files."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import re
import resource
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import digest, ledger_cmd

from ledger import store
from ledger.errors import LedgerError
from ledger.store import Ledger


def book(folder: Path, rows: int = 300) -> Path:
    path = folder / "book.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["受理时间", "反映人", "事项名称", "问题缘由"])
        for n in range(rows):
            writer.writerow(
                [f"2026-09-{1 + n % 28:02d} 09:00", f"申请人{n:04d}", f"事项{n}", "缘由"]
            )
    return path


@pytest.fixture
def ledger(tmp_path) -> Path:
    db = tmp_path / "ledger.db"
    result = ledger_cmd(db, "import", book(tmp_path))
    assert result.returncode == 0, result.stderr
    return db


def damage_an_index(db: Path) -> None:
    """One name changed inside a leaf page of an index: the b-tree stays well formed, so
    SQLite's quick check passes, but the index no longer matches its table."""
    conn = sqlite3.connect(db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    leaves = [
        page
        for page, kind in conn.execute(
            "SELECT pageno, pagetype FROM dbstat WHERE name = 'cases_applicant'"
        )
        if kind == "leaf"
    ]
    conn.close()
    data = bytearray(db.read_bytes())
    needle = "申请人0150".encode()
    for page in leaves:
        found = data.find(needle, (page - 1) * page_size, page * page_size)
        if found >= 0:
            data[found + len(needle) - 1] = ord("1")
            break
    else:
        raise AssertionError("the index entry was not found")
    db.write_bytes(bytes(data))
    # prove the damage is of the kind the morning's quick check missed
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    finally:
        conn.close()


def one_line(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def stale_an_index(db: Path) -> None:
    """Rows changed while SQLite did not know their index: every page well formed, the copy
    a pack is made of rebuilt whole by VACUUM, but the ledger's own index disagrees with its
    table ("row 1 missing from index cases_status")."""
    conn = sqlite3.connect(db)
    entry = conn.execute(
        "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master WHERE name = 'cases_status'"
    ).fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("DELETE FROM sqlite_master WHERE name = 'cases_status'")
    conn.commit()
    conn.close()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE cases SET status = 'classified' WHERE rowid IN (1, 2)")
    conn.commit()
    conn.close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", entry)
    conn.commit()
    conn.close()


def refused(db: Path, *args: str, message: str) -> str:
    before = digest(db)
    result = ledger_cmd(db, *args)
    assert result.returncode == 1, result.stdout
    line = one_line(result)
    assert message in line, line
    assert digest(db) == before, "a refused command changed the ledger file"
    return line


ADD = ("add", "--applicant", "新来的", "--matter", "事项")

# -- only a command that records creates a ledger ---------------------------------------

READERS = [
    ["daily"],
    ["overdue"],
    ["weekly"],
    ["list"],
    ["show", "2026-0001"],
    ["export"],
    ["dept", "list"],
    ["settings", "show"],
    ["calendar", "2026-10"],
    ["calendar", "years"],
    ["deadline", "2026-10-14"],
    ["check"],
    ["backup"],
]


@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c))
def test_a_read_on_a_missing_ledger_creates_nothing(tmp_path, command):
    place = tmp_path / "place"
    place.mkdir()
    for db in (place / "sampel.db", place / "sampel" / "deeper" / "ledger.db"):  # typos
        result = ledger_cmd(db, *command)
        assert result.returncode == 1
        assert "There is no ledger at" in one_line(result) and "ledger add" in result.stderr
        assert list(place.iterdir()) == []


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
@pytest.mark.parametrize("command", [["add", "--applicant", "乙", "--matter", "m"], ["list"]])
def test_the_ledgers_companion_names_are_never_a_ledger(tmp_path, suffix, command):
    """`--db ledger.db-wal` (a mistyped name, a completion gone wrong) once made a second
    ledger there, and the real one's next change wiped it with the case it held."""
    real = tmp_path / "ledger.db"
    assert ledger_cmd(real, "add", "--applicant", "甲", "--matter", "m").returncode == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    result = ledger_cmd(tmp_path / f"ledger.db{suffix}", *command)
    assert result.returncode == 1
    assert f"ledger.db{suffix} is the name SQLite gives" in one_line(result)
    assert "--db" in result.stderr and str(real) in result.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


def test_a_dry_run_import_where_there_is_no_ledger_creates_nothing(tmp_path):
    sheet = book(tmp_path, 3)
    db = tmp_path / "new" / "ledger.db"
    result = ledger_cmd(db, "import", sheet, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "3 new" in result.stdout
    assert not db.parent.exists()


# a command that records, refused before anything of the clerk's is recorded
REFUSED_ON_A_NEW_PATH = [
    (["add", "--applicant", "", "--matter", "事项"], "must not be empty"),
    (["add", "--applicant", "A", "--matter", "M", "--at", "2026-13-01 09:00"], "2026-13-01"),
    (["void", "2026-0001", "--reason", "重复"], "No case with id 2026-0001"),
    (["dispatch", "2026-0001", "--dept", "税务"], "No case with id 2026-0001"),
    (
        ["resolve", "2026-0001", "--method", "电话", "--outcome", "已办结"],
        "No case with id 2026-0001",
    ),
    (["import", "missing.csv"], "does not exist"),
    (["settings", "set", "limit_simple", "many"], "many"),
    (["dept", "rename", "无此单位", "地税"], "无此单位"),
]


@pytest.mark.parametrize("command, message", REFUSED_ON_A_NEW_PATH, ids=lambda c: str(c))
def test_a_refused_command_where_there_is_no_ledger_leaves_none_behind(tmp_path, command, message):
    """A mistyped `--db` on a command that records, which is then refused: no empty ledger,
    no copy of one, no folder is left where there was none (all or nothing, SPEC §9)."""
    place = tmp_path / "place"
    place.mkdir()
    for db in (place / "sampel.db", place / "sampel" / "deeper" / "ledger.db"):
        result = ledger_cmd(db, *command, cwd=place)
        assert result.returncode == 1, result.stdout
        assert message in one_line(result)
        assert list(place.iterdir()) == [], list(place.rglob("*"))


@pytest.mark.parametrize(
    "command",
    [("notices", "--record"), ("calendar", "clear", "2026-10-01"), ("import", "empty.csv")],
    ids=lambda c: c[0],
)
def test_a_command_that_recorded_nothing_where_there_is_no_ledger_leaves_none(tmp_path, command):
    """`notices --record` with nothing to chase made an empty ledger at a mistyped path and
    said nothing of it, exit 0: a command that changes nothing records nothing, the ledger
    it would have started included."""
    place = tmp_path / "place"
    place.mkdir()
    (place / "empty.csv").write_text("受理时间,反映人,事项名称\n", encoding="utf-8")
    for db in (place / "sampel.db", place / "sampel" / "deeper" / "ledger.db"):
        result = ledger_cmd(db, *command, cwd=place)
        assert result.returncode == 0, result.stderr
        assert sorted(p.name for p in place.rglob("*")) == ["empty.csv"]


def test_a_refused_command_takes_back_only_what_it_made(tmp_path):
    """Where the folder and the ledger's own folders were there before, they stay: only the
    new file goes; and a ledger that had a change recorded is never taken back."""
    ledger = tmp_path / "ledger.db"
    assert ledger_cmd(ledger, *ADD).returncode == 0
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = ledger_cmd(tmp_path / "other.db", "void", "2026-0001", "--reason", "重复")
    assert result.returncode == 1
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert ledger_cmd(ledger, "void", "2026-0002", "--reason", "重复").returncode == 1
    assert ledger.exists() and "2026-0001" in ledger_cmd(ledger, "list").stdout


def test_a_refused_import_of_bad_rows_where_there_is_no_ledger_leaves_none(tmp_path):
    """An import that names its bad rows ends with its own exit code, not an error: it too
    takes back the ledger it made."""
    sheet = tmp_path / "bad.csv"
    sheet.write_text("受理时间,反映人,事项名称\n2026-10-09 09:00,甲,\n", encoding="utf-8")
    db = tmp_path / "new" / "ledger.db"
    result = ledger_cmd(db, "import", sheet)
    assert result.returncode == 1 and "Matter is missing" in result.stdout + result.stderr
    assert not db.parent.exists()


def test_a_path_through_a_missing_folder_takes_back_only_what_it_made(tmp_path):
    """`nothere/../office/typo.db` is a file in `office`: the folder `office`, its other
    ledger and that ledger's `.ledger-cache` were there before and stay; `nothere` goes."""
    office = tmp_path / "office"
    assert ledger_cmd(office / "main.db", *ADD).returncode == 0
    (office / ".ledger-cache" / "clerk-notes.txt").write_text("keep", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    before = sorted(tmp_path.rglob("*"))
    for typo in ("nothere/../office/typo.db", "nothere2/../empty/typo.db"):
        result = ledger_cmd(typo, "void", "2026-0009", "--reason", "重复", cwd=tmp_path)
        assert result.returncode == 1 and "No case with id 2026-0009" in one_line(result)
        assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.parametrize(
    "other_window",
    [ADD, ("settings", "set", "window_name", "东港区窗口"), ("dept", "add", "档案馆")],
    ids=["add", "settings", "dept"],
)
def test_a_new_ledger_another_window_recorded_in_is_never_taken_back(tmp_path, other_window):
    """Two windows on one new path: this one made the file and is refused; the other
    recorded in it meanwhile and closed first. The file holds the other's work: it stays."""
    db = tmp_path / "new.db"
    this_window = Ledger(db)  # made the file (and its tables) and holds it open
    assert this_window.created
    assert ledger_cmd(db, *other_window).returncode == 0
    this_window.close()  # the last to close: the other's change is folded into the file
    assert not (tmp_path / "new.db-wal").exists()
    this_window.take_back_creation()  # what a refusal of this window's command does
    assert db.exists()
    look = {"add": ("list",), "settings": ("settings",), "dept": ("dept", "list")}
    shown = ledger_cmd(db, *look[other_window[0]])
    assert shown.returncode == 0 and ("新来的" in shown.stdout or other_window[-1] in shown.stdout)


@pytest.mark.parametrize("failure", [KeyboardInterrupt, sqlite3.OperationalError])
def test_a_new_ledger_whose_tables_could_not_be_made_is_taken_back(tmp_path, monkeypatch, failure):
    """The making of a new file's tables fails (Ctrl-C, an error of SQLite's): no empty
    file is left to be taken for a ledger next time."""
    from ledger.schema import migrations

    def fails(_db):
        raise failure("stopped while the tables were made")

    monkeypatch.setattr(migrations, "apply", fails)
    place = tmp_path / "place"
    place.mkdir()
    with pytest.raises((KeyboardInterrupt, LedgerError)):
        Ledger(place / "new" / "ledger.db")
    assert list(place.iterdir()) == []


def test_a_new_ledger_replaced_by_another_file_is_never_taken_back(tmp_path):
    db = tmp_path / "new.db"
    this_window = Ledger(db)
    this_window.close()
    elsewhere = tmp_path / "elsewhere.db"
    assert ledger_cmd(elsewhere, *ADD).returncode == 0
    os.replace(elsewhere, db)  # a copy put in its place while the command ran
    this_window.take_back_creation()
    assert "新来的" in ledger_cmd(db, "list").stdout


def test_a_new_ledger_nothing_was_recorded_in_is_taken_back_with_its_folders(tmp_path):
    place = tmp_path / "place"
    place.mkdir()
    this_window = Ledger(place / "a" / "b" / "new.db")
    this_window.close()
    this_window.take_back_creation()
    assert list(place.iterdir()) == []


def test_the_first_command_that_records_creates_the_ledger_and_its_folder(tmp_path):
    db = tmp_path / "new" / "ledger.db"
    assert ledger_cmd(db, *ADD).returncode == 0
    assert ledger_cmd(db, "list", "--json").returncode == 0
    assert db.exists()


# -- damage -----------------------------------------------------------------------------


def test_index_damage_is_found_before_the_days_copy_and_never_copied(ledger):
    shutil_backups = ledger.parent / "backups"
    for copy in shutil_backups.glob("*.db"):
        copy.unlink()  # no copy today yet: the next change is the day's first
    damage_an_index(ledger)
    line = refused(ledger, *ADD, message="is damaged")
    assert "ledger restore" in line
    assert list(shutil_backups.glob("*.db")) == []
    assert (ledger.parent / "ledger.db.damaged").exists()


def test_a_pack_is_never_made_of_a_damaged_ledger(ledger, tmp_path):
    """Index damage passes the quick look: the pack was made, and the city refused it with
    advice to pack again, which made the same damaged pack."""
    assert ledger_cmd(ledger, "settings", "set", "window_code", "DG-01").returncode == 0
    stale_an_index(ledger)
    target = tmp_path / "DG-01.db"
    line = refused(ledger, "pack", target, message="is damaged")
    assert "ledger restore" in line and not target.exists()
    assert [p.name for p in tmp_path.iterdir() if "DG-01" in p.name] == []
    assert (ledger.parent / "ledger.db.damaged").exists()  # remembered: no change is taken


def test_damage_after_the_days_first_change_is_still_found(ledger):
    # the day's copy exists; then something other than the ledger changes the file
    assert ledger_cmd(ledger, "note", "2026-0001", "上午的第一条").returncode == 0
    damage_an_index(ledger)
    refused(ledger, *ADD, message="is damaged")


def test_once_found_damage_refuses_every_change_until_restored(ledger, tmp_path):
    good = tmp_path / "good.db"
    assert ledger_cmd(ledger, "backup", good).returncode == 0
    damage_an_index(ledger)
    refused(ledger, *ADD, message="is damaged")
    for command in (
        ADD,
        ("note", "2026-0001", "x"),
        ("calendar", "holiday", "2026-12-24"),
        ("settings", "set", "window_name", "x"),
        ("dept", "add", "新部门"),
    ):
        refused(ledger, *command, message="found damaged")
    # reading still answers, with a warning that points at restore
    listed = ledger_cmd(ledger, "list", "--json")
    assert listed.returncode == 0 and "ledger restore" in listed.stderr
    # restore works precisely now, and keeps the damaged file aside byte for byte
    damaged = ledger.read_bytes()
    restored = ledger_cmd(ledger, "restore", good)
    assert restored.returncode == 0, restored.stderr
    kept = [p for p in (ledger.parent / "backups").glob("ledger-before-restore-*.db")]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert not (ledger.parent / "ledger.db.damaged").exists()
    assert ledger_cmd(ledger, "check").returncode == 0
    assert ledger_cmd(ledger, *ADD).returncode == 0


def test_check_finds_the_damage_and_remembers_it(ledger):
    damage_an_index(ledger)
    result = ledger_cmd(ledger, "check")
    assert result.returncode == 1 and "missing from index" in result.stderr
    refused(ledger, *ADD, message="found damaged")


def test_a_sound_check_takes_back_a_finding_of_damage(ledger):
    (ledger.parent / "ledger.db.damaged").write_text(
        '{"found_at": "2026-10-14 09:00", "detail": "a flaky stick"}', encoding="utf-8"
    )
    refused(ledger, *ADD, message="found damaged")
    result = ledger_cmd(ledger, "check")
    assert result.returncode == 0 and "is gone" in result.stdout
    assert ledger_cmd(ledger, *ADD).returncode == 0


def test_damage_met_by_any_command_is_remembered(ledger):
    conn = sqlite3.connect(ledger)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'cases'").fetchone()[0]
    conn.close()
    data = bytearray(ledger.read_bytes())
    start = (root - 1) * page_size
    data[start : start + 8] = b"\xff" * 8  # the table's root page header is garbage
    ledger.write_bytes(bytes(data))
    result = ledger_cmd(ledger, "list")
    assert result.returncode == 1 and "damaged" in one_line(result)
    assert (ledger.parent / "ledger.db.damaged").exists()


def garble_a_leaf_of_cases(db: Path) -> None:
    """The cell pointers of one leaf page of `cases` overwritten: SQLite meets the damage in
    any read of the table, and its integrity check reports every cell of the page."""
    conn = sqlite3.connect(db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    leaves = [
        page
        for page, kind in conn.execute("SELECT pageno, pagetype FROM dbstat WHERE name = 'cases'")
        if kind == "leaf"
    ]
    conn.close()
    data = bytearray(db.read_bytes())
    start = (leaves[3] - 1) * page_size
    for offset in range(start + 8, start + 60):
        data[offset] ^= 0x5A
    db.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "command",
    [["daily"], ["list"], ["show", "2026-0100"], ["overdue"], ["weekly"], ["export"]],
    ids=lambda c: " ".join(c),
)
def test_a_read_that_meets_known_damage_again_says_it_in_one_line(ledger, command):
    garble_a_leaf_of_cases(ledger)
    first = ledger_cmd(ledger, "list")
    assert first.returncode == 1 and "damaged" in one_line(first)
    assert (ledger.parent / "ledger.db.damaged").exists()
    # the warning that the ledger was found damaged is not said above the error that says it
    again = ledger_cmd(ledger, *command)
    assert again.returncode == 1
    line = one_line(again)
    assert "is damaged" in line and "ledger restore" in line


def test_a_read_that_answers_on_a_known_damaged_ledger_warns_once(ledger):
    garble_a_leaf_of_cases(ledger)
    assert ledger_cmd(ledger, "list").returncode == 1
    result = ledger_cmd(ledger, "dept", "list")
    assert result.returncode == 0 and "市场准入" in result.stdout
    assert "was found damaged" in one_line(result) and "ledger restore" in one_line(result)
    assert "the answer above may be wrong" in one_line(result)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_names_the_first_findings_of_a_damaged_page_and_counts_the_rest(ledger, lang):
    garble_a_leaf_of_cases(ledger)
    assert ledger_cmd(ledger, "check").returncode == 1  # meets the damage as it opens
    result = ledger_cmd(ledger, "--lang", lang, "check")
    assert result.returncode == 1
    line = one_line(result)
    assert len(line) < 300, line
    assert re.search(r" \(\+\d+\)", line)  # the rest counted, in no language's words
    assert "⏎" not in line and "*** in database" not in line


def test_restore_refuses_a_damaged_copy(ledger, tmp_path):
    bad = tmp_path / "bad.db"
    assert ledger_cmd(ledger, "backup", bad).returncode == 0
    damage_an_index(bad)
    line = refused(ledger, "restore", bad, message="The copy")
    assert "is damaged" in line and "another of the copies in the backups/ folder" in line
    assert "ledger restore" not in line  # the command the clerk just ran
    assert not (ledger.parent / "ledger.db.damaged").exists()  # the copy is bad, not the ledger


def test_restore_of_a_file_that_is_no_copy_says_so_in_the_interface_language(ledger, tmp_path):
    """`restore notes.txt` said the file was damaged or not SQLite "(file is not a database)"
    inside a Chinese line, and told the clerk to run `ledger restore`."""
    text = tmp_path / "notes.txt"
    text.write_text("not a ledger", encoding="utf-8")
    line = refused(ledger, "--lang", "zh", "restore", text, message="不能用来恢复")
    assert "（不是数据库文件）" in line and "file is not a database" not in line
    assert "ledger restore" not in line
    line = refused(ledger, "restore", text, message="cannot be restored from")
    assert "(file is not a database)" in line
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    line = refused(ledger, "restore", empty, message="empty file (0 bytes), not a copy")
    assert "ledger restore" not in line


@pytest.mark.parametrize("other", ["pack", "foreign"])
def test_restore_never_writes_over_a_pack_or_another_programs_database(ledger, tmp_path, other):
    """`--db XH-01-W41.db restore copy.db` put the whole ledger, every number in it whole,
    where the pack sent upward was; so over another program's database. Each is refused as
    any command refuses it, and nothing is kept aside."""
    copy = tmp_path / "copy.db"
    assert ledger_cmd(ledger, "backup", copy).returncode == 0
    target = tmp_path / "target.db"
    if other == "pack":
        assert ledger_cmd(ledger, "settings", "set", "window_code", "XH-01").returncode == 0
        assert ledger_cmd(ledger, "pack", target).returncode == 0
        message = "is a pack for the office above"
    else:
        with contextlib.closing(sqlite3.connect(target)) as conn:
            conn.execute("CREATE TABLE moz_places (url TEXT)")
            conn.commit()
        message = "is not a ledger file"
    line = refused(target, "restore", copy, message=message)
    assert "restored" not in line
    assert not (tmp_path / "backups").exists() or not any(
        "target" in p.name for p in (tmp_path / "backups").iterdir()
    )


@pytest.mark.parametrize("overwritten", ["csv", "newer mark"])
def test_restore_repairs_a_ledger_overwritten_by_text_or_with_its_version_byte_flipped(
    ledger, tmp_path, overwritten
):
    """A ledger a sync tool overwrote with a page of text, or whose header's version bytes
    flipped, is what every command sends the clerk to `ledger restore` for: restore must
    not refuse it (kept aside byte for byte), nor a ledger of a newer release rolled back."""
    copy = tmp_path / "copy.db"
    assert ledger_cmd(ledger, "backup", copy).returncode == 0
    if overwritten == "csv":
        ledger.write_text("登记日期,反映人\n2026-10-09,张三\n", encoding="utf-8")
    else:
        data = bytearray(ledger.read_bytes())
        from ledger.store import SCHEMA_VERSION

        data[63] = SCHEMA_VERSION + 1  # user_version: a release this one does not know
        ledger.write_bytes(bytes(data))
    said = ledger_cmd(ledger, "list")
    assert said.returncode == 1 and ("ledger restore" in said.stderr or "newer" in said.stderr)
    before = ledger.read_bytes()
    result = ledger_cmd(ledger, "restore", copy)
    assert result.returncode == 0, result.stderr
    assert ledger_cmd(ledger, "list").returncode == 0
    kept = list((tmp_path / "backups").glob("*before-restore*"))
    assert [p.read_bytes() for p in kept] == [before]


def test_two_restores_in_one_second_keep_both_old_ledgers(ledger, tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    assert ledger_cmd(ledger, "backup", a).returncode == 0
    assert ledger_cmd(ledger, *ADD).returncode == 0
    assert ledger_cmd(ledger, "backup", b).returncode == 0
    assert ledger_cmd(ledger, "restore", a).returncode == 0
    assert ledger_cmd(ledger, "restore", b).returncode == 0
    kept = sorted((ledger.parent / "backups").glob("ledger-before-restore-*.db"))
    assert len(kept) == 2


@pytest.mark.parametrize("damaged", [False, True])
def test_ids_the_replaced_ledger_gave_are_never_given_again(ledger, tmp_path, damaged):
    """After `restore`, the next case took 2026-0301 again, though the ledger it replaced
    had told that id to an applicant (SPEC §5: ids are never reused)."""
    copy = tmp_path / "copy.db"
    assert ledger_cmd(ledger, "backup", copy).returncode == 0
    for name in ("李四", "王五"):
        added = ledger_cmd(ledger, "add", "--applicant", name, "--matter", "事", "--json")
        assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["id"] == "2026-0302"
    if damaged:
        damage_an_index(ledger)
    restored = ledger_cmd(ledger, "restore", copy)
    assert restored.returncode == 0, restored.stderr
    assert "ids up to 2026-0302" in restored.stdout
    added = ledger_cmd(ledger, "add", "--applicant", "赵六", "--matter", "事", "--json")
    assert json.loads(added.stdout)["id"] == "2026-0303"
    assert ledger_cmd(ledger, "check").returncode == 0
    # the kept ledger still holds the cases the copy lacks, under their ids
    kept = next((ledger.parent / "backups").glob("ledger-before-restore-*.db"))
    with contextlib.closing(sqlite3.connect(f"file:{kept}?mode=ro", uri=True)) as conn:
        assert conn.execute("SELECT applicant FROM cases WHERE id = '2026-0301'").fetchone() == (
            "李四",
        )
    # a second restore of the same copy still numbers after every id given
    assert "ids up to 2026-0303" in ledger_cmd(ledger, "restore", copy).stdout
    added = ledger_cmd(ledger, "add", "--applicant", "钱七", "--matter", "事", "--json")
    assert json.loads(added.stdout)["id"] == "2026-0304"


@pytest.mark.parametrize("page", [1, 2, 3, 5, 8, 13, 21, 34])
@pytest.mark.parametrize("checked", [False, True])
def test_restore_replaces_a_ledger_whose_pages_are_garbled(ledger, tmp_path, page, checked):
    """A page header written over: SQLite's integrity check stops with an error instead of
    listing findings, and `restore` refused with the ledger's own damage message — "use
    ledger restore" — the one command that exists for this (SPEC §9)."""
    good = tmp_path / "good.db"
    assert ledger_cmd(ledger, "backup", good).returncode == 0
    size = ledger.stat().st_size
    with ledger.open("r+b") as handle:
        handle.seek((page - 1) * 4096 + (100 if page == 1 else 0))
        handle.write(b"\xff" * 4)
    if checked:
        ledger_cmd(ledger, "check")  # the damage remembered beside the file, or not
    damaged = ledger.read_bytes()
    restored = ledger_cmd(ledger, "restore", good)
    assert restored.returncode == 0, restored.stderr
    kept = list((ledger.parent / "backups").glob("ledger-before-restore-*.db"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged and len(damaged) == size
    assert ledger_cmd(ledger, "check").returncode == 0
    assert ledger_cmd(ledger, *ADD).returncode == 0


# -- only the ledger's own schema runs --------------------------------------------------

TRIGGER = (
    "CREATE TRIGGER leak AFTER INSERT ON cases BEGIN "
    "UPDATE cases SET matter = matter || new.contact WHERE id = new.id; END"
)


@pytest.mark.parametrize(
    "extra",
    [
        TRIGGER,
        "CREATE TABLE notes (x TEXT)",
        "CREATE VIEW everything AS SELECT * FROM cases",
        "CREATE INDEX cases_matter ON cases (matter)",
    ],
)
def test_a_file_with_anything_the_migrations_did_not_make_is_refused(ledger, tmp_path, extra):
    crafted = tmp_path / "crafted.db"
    assert ledger_cmd(ledger, "backup", crafted).returncode == 0
    conn = sqlite3.connect(crafted)
    conn.execute(extra)
    conn.commit()
    conn.close()
    refused(ledger, "restore", crafted, message="did not make")
    refused(crafted, "list", message="did not make")
    refused(crafted, *ADD, message="did not make")


# -- a full disk is a full disk ---------------------------------------------------------


def test_a_full_disk_during_the_days_copy_is_reported_as_full_and_leaves_nothing(ledger):
    for copy in (ledger.parent / "backups").glob("*.db"):
        copy.unlink()
    before = digest(ledger)
    limit = ledger.stat().st_size // 2

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = ledger_cmd(ledger, *ADD, preexec_fn=small_disk)
    assert result.returncode == 1
    line = one_line(result)
    assert "full" in line and "damaged" not in line, line
    assert digest(ledger) == before
    assert not list((ledger.parent / "backups").glob("*partial*"))
    assert not list((ledger.parent / "backups").glob("*.db"))


@pytest.mark.parametrize("damaged", [False, True])
def test_a_restore_the_disk_cannot_hold_leaves_no_copy_behind(ledger, tmp_path, damaged):
    """A damaged ledger's copy to backups/, cut short by a full disk, stayed there named as
    the ledger kept aside; a sound one's, whole, stayed after "nothing was changed", one
    more for every try."""
    good = tmp_path / "good.db"
    assert ledger_cmd(ledger, "backup", good).returncode == 0
    if damaged:
        with ledger.open("r+b") as handle:
            handle.seek(4 * 4096)
            handle.write(b"\xff" * 4)
    before = digest(ledger)
    limit = ledger.stat().st_size // 2

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    for _ in range(2):
        result = ledger_cmd(ledger, "restore", good, preexec_fn=small_disk)
        assert result.returncode == 1
        line = one_line(result)
        assert "full" in line, line
        assert digest(ledger) == before
        assert not list((ledger.parent / "backups").glob("*before-restore*"))
        assert not list((ledger.parent / "backups").glob("*partial*"))
    assert ledger_cmd(ledger, "restore", good).returncode == 0
    assert len(list((ledger.parent / "backups").glob("*before-restore*"))) == 1


def test_a_partial_copy_left_by_a_killed_window_is_swept(ledger):
    backups = ledger.parent / "backups"
    for copy in backups.glob("*.db"):
        copy.unlink()
    stale = backups / f".ledger-{dt.date.today()}.db.12345.partial"
    stale.write_bytes(b"half a copy")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    assert ledger_cmd(ledger, *ADD).returncode == 0
    assert not stale.exists()


# -- read-only places -------------------------------------------------------------------


MOUNT_READ_ONLY = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'


def in_read_only_place(db: Path, *args: str) -> subprocess.CompletedProcess:
    """The command run with the ledger's folder mounted read-only, as a CD or a read-only
    share is, in a mount namespace of its own (the rest of the machine sees nothing)."""
    env = {**os.environ, "LEDGER_DB": str(db), "LEDGER_LANG": "en"}
    env.pop("LEDGER_DEBUG", None)
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", MOUNT_READ_ONLY, "sh", str(db.parent)]
        + [sys.executable, "-m", "ledger", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _can_mount_read_only(tmp_path: Path) -> bool:
    folder = tmp_path / "probe"
    folder.mkdir()
    probe = subprocess.run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            MOUNT_READ_ONLY,
            "sh",
            str(folder),
            "touch",
            str(folder / "x"),
        ],
        capture_output=True,
    )
    return b"Read-only" in probe.stderr


@pytest.fixture
def read_only_place(ledger, tmp_path):
    if shutil.which("unshare") is None or not _can_mount_read_only(tmp_path):
        pytest.skip("no mount namespace here to make a read-only place (needs root)")
    return ledger


def test_a_ledger_on_a_read_only_medium_is_read_not_changed(read_only_place):
    ledger = read_only_place
    assert not ledger.with_name("ledger.db-wal").exists()  # closed cleanly: nothing pending
    before = digest(ledger)
    names = sorted(p.name for p in ledger.parent.iterdir())
    for command in (
        ["daily", "--date", "2026-09-20"],
        ["list", "--json"],
        ["show", "2026-0001"],
        ["weekly", "--week", "2026-W38"],
        ["export"],
        ["check"],
    ):
        result = in_read_only_place(ledger, *command)
        assert result.returncode == 0, (command, result.stderr)
        assert result.stdout and not result.stderr.strip(), (command, result.stderr)
    for command in (ADD, ("note", "2026-0001", "x"), ("calendar", "holiday", "2026-12-24")):
        result = in_read_only_place(ledger, *command)
        assert result.returncode == 1
        line = one_line(result)
        assert "cannot be written" in line and "damaged" not in line, line
    assert digest(ledger) == before
    assert sorted(p.name for p in ledger.parent.iterdir()) == names


def test_a_ledger_with_pending_changes_on_a_read_only_medium_is_read(read_only_place):
    ledger = read_only_place
    holder = sqlite3.connect(ledger)  # a window still has it open: its log is not folded in
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute("UPDATE settings SET value = value")
    holder.execute("INSERT INTO settings (key, value) VALUES ('window_name', '东港区窗口')")
    holder.commit()
    try:
        assert ledger.with_name("ledger.db-wal").stat().st_size > 0
        os.chmod(ledger.with_name("ledger.db-shm"), 0o644)
        result = in_read_only_place(ledger, "settings", "show", "--json")
        if result.returncode == 0:
            assert "东港区窗口" in result.stdout
        else:
            line = one_line(result)  # SQLite cannot read a log it may not lock: said so
            assert "damaged" not in line, line
    finally:
        holder.close()


# -- the clerk's files are the clerk's --------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_everything_the_ledger_creates_is_private(tmp_path):
    db = tmp_path / "office" / "ledger.db"
    assert ledger_cmd(db, *ADD).returncode == 0
    assert ledger_cmd(db, *ADD).returncode == 0  # the day's copy, into backups/
    assert list((db.parent / "backups").glob("*.db"))
    assert ledger_cmd(db, "backup", tmp_path / "copy.db").returncode == 0
    assert ledger_cmd(db, "export", "--out", tmp_path / "all.csv").returncode == 0
    assert ledger_cmd(db, "daily", "--html", tmp_path / "sheet.html").returncode == 0
    made = [
        db.parent,
        *db.parent.rglob("*"),
        *(tmp_path / n for n in ("copy.db", "all.csv", "sheet.html")),
    ]
    for path in made:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


# -- a wrong clock does not freeze a case -----------------------------------------------


def test_a_clock_a_year_ahead_for_one_morning_freezes_nothing(run, monkeypatch):
    from ledger import dates

    assert run(*ADD, "--at", "2026-10-09 09:00").exit_code == 0
    assert run("dispatch", "2026-0001", "--dept", "税务", "--at", "2026-10-09 10:00").exit_code == 0
    real_now = dates.now
    ahead = real_now() + dt.timedelta(days=365)
    monkeypatch.setattr(dates, "now", lambda: ahead)
    assert run("urge", "2026-0001").exit_code == 0  # recorded on that wrong morning
    monkeypatch.setattr(dates, "now", real_now)
    latest = dates.minute(ahead)
    checked = run("check")
    assert checked.exit_code == 1 and latest in checked.stderr and "clock" in checked.stderr
    for command in (("note", "2026-0001", "时钟错了"), ("void", "2026-0001", "--reason", "重复")):
        result = run(*command)
        assert result.exit_code == 0, result.stderr
    timeline = run("show", "2026-0001", "--json").json()["timeline"]
    assert [e["at"] for e in timeline[-2:]] == [latest, latest]
    # other moves keep the timeline in order and say why they cannot
    assert run("reopen", "2026-0001", "--reason", "r").exit_code == 1


def test_import_refuses_an_extension_dated_after_now(run, tmp_path):
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    sheet = tmp_path / "ext.csv"
    extension = (
        f'[{{"at": "{future} 09:00", "days": 2, "from": "2026-10-01", "to": "2026-10-05", '
        '"reason": "r"}]'
    )
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["受理时间", "反映人", "事项名称", "延期记录"])
        writer.writerow(["2026-09-28 09:00", "某", "事", extension])
    result = run("import", sheet)
    assert result.exit_code == 1 and "later than now" in result.stderr


def test_opening_uses_no_integrity_check_when_the_file_is_as_the_ledger_left_it(run, monkeypatch):
    calls = []
    original = Ledger.verify

    def counted(self):
        calls.append(self.path)
        return original(self)

    monkeypatch.setattr(Ledger, "verify", counted)
    assert run(*ADD).exit_code == 0
    assert len(calls) == 1  # the day's first change
    assert run(*ADD).exit_code == 0
    assert run("note", "2026-0001", "x").exit_code == 0
    assert len(calls) == 1  # unchanged behind its back: no second check


# -- what an unlucky day found next -----------------------------------------------------


def test_a_trigger_named_like_sqlites_own_is_refused(ledger, tmp_path):
    crafted = tmp_path / "crafted.db"
    assert ledger_cmd(ledger, "backup", crafted).returncode == 0
    conn = sqlite3.connect(crafted)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "INSERT INTO sqlite_master VALUES ('trigger', 'sqlite_evil', 'cases', 0, ?)",
        (TRIGGER.replace("leak", "sqlite_evil"),),
    )
    conn.commit()
    conn.close()
    refused(ledger, "restore", crafted, message="did not make")
    refused(crafted, "list", message="did not make")


def _damage_page_of(db: Path, table: str) -> None:
    conn = sqlite3.connect(db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    data = bytearray(db.read_bytes())
    data[(root - 1) * page_size] = 0xFF  # the page's type byte
    stamp = db.stat()
    db.write_bytes(bytes(data))
    os.utime(db, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))


@pytest.mark.parametrize(
    "reader",
    [["calendar", "2026-10"], ["settings", "show"], ["dept", "list"], ["deadline", "2026-10-14"]],
)
def test_damage_met_by_any_reading_command_is_remembered(ledger, reader):
    table = {"calendar": "calendar_overrides", "settings": "settings"}.get(reader[0], "departments")
    if reader[0] == "deadline":
        table = "settings"
    _damage_page_of(ledger, table)
    result = ledger_cmd(ledger, *reader)
    assert result.returncode == 1 and "damaged" in one_line(result)
    refused(ledger, "dept", "add", "新单位", message="found damaged")


@pytest.mark.parametrize("table", ["departments", "sqlite_autoindex_cases_1", "states"])
def test_pack_of_a_damaged_ledger_says_the_ledger_is_damaged(ledger, tmp_path, table):
    assert ledger_cmd(ledger, "settings", "set", "window_code", "W-1").returncode == 0
    # the end of a page's cells garbled: SQLite meets it while the pack is made, not before
    conn = sqlite3.connect(ledger)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (page,) = conn.execute(
        "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' LIMIT 1", (table,)
    ).fetchone()
    conn.close()
    data = bytearray(ledger.read_bytes())
    at = page * page_size - 64
    data[at : at + 16] = b"\xff" * 16
    stamp = ledger.stat()
    ledger.write_bytes(bytes(data))
    os.utime(ledger, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    out = tmp_path / "out" / "pack.db"
    out.parent.mkdir()
    result = ledger_cmd(ledger, "pack", out)
    line = one_line(result)
    assert result.returncode == 1 and "damaged" in line and "ledger restore" in line, line
    assert str(ledger) in line and "pack.db" not in line
    assert (ledger.parent / "ledger.db.damaged").exists()
    assert list(out.parent.iterdir()) == []  # nothing half-written beside the target


def test_a_refused_command_does_not_fold_a_log_a_crash_left(ledger):
    holder = subprocess.Popen(
        [sys.executable, "-c", CRASHED_WRITER, str(ledger)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "written"
    holder.kill()
    holder.wait()
    assert ledger.with_name("ledger.db-wal").stat().st_size > 0
    refused(ledger, "note", "2026-9999", "x", message="No case")
    before = digest(ledger)
    assert ledger_cmd(ledger, "list", "--json").returncode == 0
    assert digest(ledger) == before


CRASHED_WRITER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA wal_autocheckpoint = 0")
conn.execute("INSERT INTO settings (key, value) VALUES ('clerk_name', '崩溃前')")
print("written", flush=True)
import time; time.sleep(60)
"""


@pytest.mark.parametrize("content", [b"\n", b"x" * 100])
def test_a_tiny_file_is_not_a_ledger_for_any_command(tmp_path, content):
    db = tmp_path / "tiny" / "ledger.db"
    db.parent.mkdir()
    db.write_bytes(content)
    for command in (["daily"], ["list"], ADD):
        result = ledger_cmd(db, *command)
        assert result.returncode == 1, result.stdout
        assert "holds no ledger" in one_line(result) or "damaged or not SQLite" in result.stderr
        assert db.read_bytes() == content


def test_an_empty_sqlite_file_is_not_a_backup(ledger, tmp_path):
    empty = tmp_path / "empty.db"
    conn = sqlite3.connect(empty)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("DROP TABLE t")  # a SQLite file of a few pages with nothing in it
    conn.close()
    assert empty.stat().st_size > 0
    refused(ledger, "restore", empty, message="holds no ledger")


def test_a_damage_note_that_is_a_folder_or_a_pipe_neither_hangs_nor_blocks_restore(
    ledger, tmp_path
):
    good = tmp_path / "good.db"
    assert ledger_cmd(ledger, "backup", good).returncode == 0
    note = ledger.parent / "ledger.db.damaged"
    os.mkfifo(note)
    result = ledger_cmd(ledger, *ADD)  # a pipe is never read: no waiting for ever
    assert result.returncode == 1 and "found damaged" in one_line(result)
    note.unlink()
    note.mkdir()
    restored = ledger_cmd(ledger, "restore", good)
    assert restored.returncode == 0, restored.stderr
    assert not note.exists()
    assert ledger_cmd(ledger, *ADD).returncode == 0


def test_claimed_names_never_collide(tmp_path):
    from ledger.files import claim_name

    first = claim_name(tmp_path / "kept.db")
    second = claim_name(tmp_path / "kept.db")
    assert first != second and first.exists() and second.exists()


def test_a_failed_copy_leaves_no_journal_behind(ledger):
    backups = ledger.parent / "backups"
    stale = backups / ".ledger-2026-01-01.db.1.partial-journal"
    stale.write_bytes(b"x")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    for copy in backups.glob("*.db"):
        copy.unlink()
    limit = ledger.stat().st_size // 2

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = ledger_cmd(ledger, *ADD, preexec_fn=small_disk)
    assert result.returncode == 1 and "full" in one_line(result)
    assert not [p for p in backups.iterdir() if "partial" in p.name]


def test_a_copy_in_backups_is_read_never_changed(ledger):
    copy = next((ledger.parent / "backups").glob("ledger-*.db"))
    before = copy.read_bytes()
    listed = ledger_cmd(copy, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    result = ledger_cmd(copy, *ADD)
    assert result.returncode == 1 and "can be read, not changed" in one_line(result)
    assert ledger_cmd(copy, "check").returncode == 0
    assert copy.read_bytes() == before
    assert not (copy.parent / "backups").exists() and not (copy.parent / ".ledger-cache").exists()


@pytest.mark.parametrize("way", ["link to the copy", "link to backups/", "backups/x/.."])
def test_a_copy_in_backups_reached_another_way_is_read_never_changed(ledger, tmp_path, way):
    """As named or as it truly lies: a link to a copy, a folder linked to backups/, a path
    through backups/ and back — a change there would be written into the day's copy."""
    backups = ledger.parent / "backups"
    copy = next(backups.glob("ledger-*.db"))
    before = copy.read_bytes()
    if way == "link to the copy":
        path = tmp_path / "today.db"
        path.symlink_to(copy)
    elif way == "link to backups/":
        (tmp_path / "copies").symlink_to(backups)
        path = tmp_path / "copies" / copy.name
    else:
        (backups / "x").mkdir()
        path = Path(f"{backups}/x/../{copy.name}")
    assert ledger_cmd(path, "list", "--json").returncode == 0
    result = ledger_cmd(path, *ADD)
    assert result.returncode == 1 and "can be read, not changed" in one_line(result)
    restored = ledger_cmd(path, "restore", ledger)
    assert restored.returncode == 1 and "can be read, not changed" in one_line(restored)
    assert copy.read_bytes() == before
    assert not (backups / "backups").exists() and not (backups / ".ledger-cache").exists()


@pytest.mark.parametrize("linked_to", ["a copy in backups/", "the ledger itself"])
def test_a_file_with_two_names_is_read_never_changed(ledger, tmp_path, linked_to):
    """A hard link is the same file under another name: to a copy in backups/ it would let
    a change into the copy; to the ledger, SQLite would keep a log for each name (its "how
    to corrupt" list). Either way the file is read, never changed, and restore refuses it."""
    target = (
        next((ledger.parent / "backups").glob("ledger-*.db")) if "copy" in linked_to else ledger
    )
    other = tmp_path / "other-name.db"
    os.link(target, other)
    before = digest(target)
    assert ledger_cmd(other, "list", "--json").returncode == 0
    for command in (ADD, ("restore", str(ledger))):
        result = ledger_cmd(other, "--lang", "en", *command)
        assert result.returncode == 1, result.stdout
        assert "one file under 2 names (hard links)" in one_line(result)
    result = ledger_cmd(target, "--lang", "en", *ADD)  # under its first name too
    assert result.returncode == 1
    assert "(hard links)" in one_line(result) or "can be read, not changed" in one_line(result)
    assert digest(target) == before
    other.unlink()
    if linked_to == "the ledger itself":  # one name again: the ledger is the clerk's again
        assert ledger_cmd(ledger, *ADD).returncode == 0


@pytest.mark.parametrize("where", ["a second name", "backups/"])
def test_an_older_ledger_that_may_not_be_upgraded_says_why(tmp_path, where):
    """A ledger of an older version is upgraded when it is opened; where that may not happen
    the line gives the reason that holds — a second name (hard link), a copy in backups/ —
    not "its place cannot be written", and the file stays as it was."""
    old = (
        tmp_path / "backups" / "ledger-2026-01-01.db" if where == "backups/" else tmp_path / "v1.db"
    )
    old.parent.mkdir(exist_ok=True)
    with contextlib.closing(sqlite3.connect(old)) as conn:
        conn.executescript((Path(__file__).parent / "data" / "ledger-v1.sql").read_text("utf-8"))
    if where == "a second name":
        os.link(old, tmp_path / "other-name.db")
    before = digest(old)
    result = ledger_cmd(old, "--lang", "en", "daily", "--date", "2026-10-14")
    assert result.returncode == 1
    line = one_line(result)
    assert "from an older version" in line
    assert "place cannot be written" not in line
    assert ("2 names (hard links)" if where == "a second name" else "copy in backups/") in line
    assert digest(old) == before


def test_a_code_written_by_another_program_is_shown_and_named(ledger):
    conn = sqlite3.connect(ledger)
    conn.execute("UPDATE cases SET problem = 'not-approvgd' WHERE id = '2026-0001'")
    conn.commit()
    conn.close()
    for command in (["show", "2026-0001"], ["export"], ["weekly", "--week", "2026-W36"]):
        result = ledger_cmd(ledger, *command)
        assert result.returncode == 0, (command, result.stderr)
    assert "not-approvgd" in ledger_cmd(ledger, "show", "2026-0001").stdout
    checked = ledger_cmd(ledger, "check")
    assert checked.returncode == 1 and "not-approvgd" in checked.stderr


def test_restore_through_a_link_keeps_the_link(ledger, tmp_path):
    good = tmp_path / "good.db"
    assert ledger_cmd(ledger, "backup", good).returncode == 0
    link = tmp_path / "desk" / "ledger.db"
    link.parent.mkdir()
    link.symlink_to(ledger)
    damage_an_index(ledger)
    assert ledger_cmd(link, "check").returncode == 1
    assert ledger_cmd(link, "restore", good).returncode == 0
    assert link.is_symlink()
    assert ledger_cmd(ledger, "check").returncode == 0


def test_odd_things_in_the_ledgers_place_are_named(tmp_path):
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    result = ledger_cmd(pipe, "list")
    assert result.returncode == 1 and "not a plain file" in one_line(result)
    dangling = tmp_path / "gone.db"
    dangling.symlink_to(tmp_path / "nowhere.db")
    result = ledger_cmd(dangling, *ADD)
    assert result.returncode == 1 and "does not exist" in one_line(result)
    folder = tmp_path / "folder.db"
    folder.mkdir()
    result = ledger_cmd(folder, "restore", pipe)
    assert result.returncode == 1
    assert not (tmp_path / "backups").exists()


def _write_gbk_name(db: Path, case_id: str) -> None:
    """Another program writes a name in GBK bytes into a text column (张三 as d5c5 c8fd)."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "UPDATE cases SET applicant = CAST(x'd5c5c8fd' AS TEXT) WHERE id = ?", (case_id,)
        )
    conn.close()


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--json"),
        ("list", "--search", "事项7"),
        ("show", "2026-0008"),
        ("show", "2026-0008", "--json"),
        ("daily", "--date", "2026-09-30", "--json"),
        ("overdue", "--date", "2026-10-30", "--json"),
        ("export", "--out", "{tmp}/out.csv"),
        ("export",),
        ("note", "2026-0008", "已电话联系"),
    ],
)
def test_text_that_is_not_utf8_is_shown_replaced_by_every_command(ledger, tmp_path, args):
    """Large reads decode text with SQLite's own (strict, fast) decoding; met bytes that are
    not UTF-8, the read goes on tolerantly from where it was, showing U+FFFD: every command
    answers once (an export to stdout gives each case once), writes and checks included."""
    _write_gbk_name(ledger, "2026-0008")
    args = tuple(arg.format(tmp=tmp_path) for arg in args)
    result = ledger_cmd(ledger, *args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and not result.stderr.strip()
    if args == ("export",):
        rows = list(csv.reader(result.stdout.splitlines()))
        assert [row[0] for row in rows[1:]] == [f"2026-{n:04d}" for n in range(1, 301)]
    if args[0] == "export" and len(args) > 1:
        shown = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
        assert shown.count("申请人") == 299  # every other case, once each
    elif args[0] == "note":
        assert "2026-0008" in result.stdout
        assert ledger_cmd(ledger, "show", "2026-0008").stdout.count("已电话联系") == 1
        return
    else:
        shown = result.stdout
    assert "\ufffd" in shown


def test_check_names_text_that_is_not_utf8_and_changes_nothing(ledger):
    """The reports show such text with `�`; `check` names each value, so that the clerk can
    type it again, instead of calling the file sound."""
    _write_gbk_name(ledger, "2026-0008")
    before = digest(ledger)
    result = ledger_cmd(ledger, "--lang", "en", "check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.strip() == (
        "Problem: Table cases (2026-0008): applicant holds text whose bytes are not UTF-8 "
        "(written by another program), shown as � by the reports; type it again with ledger "
        "edit 2026-0008, or restore a copy with ledger restore"
    )
    assert digest(ledger) == before
    assert ledger_cmd(ledger, "edit", "2026-0008", "--applicant", "张三").returncode == 0
    assert ledger_cmd(ledger, "check").returncode == 0


def test_check_finds_every_broken_value_in_every_run_of_rows(ledger, monkeypatch):
    """Each table's text is decoded a run of rows at a time; two broken values side by side
    (a name cut after its first byte, a phone number starting with the rest) must not pass
    as one whole character, and a value on each side of a run's edge is found."""
    from ledger import store

    monkeypatch.setattr(store, "NOT_UTF8_RUN", 7)
    with sqlite3.connect(ledger) as conn:
        for case in ("2026-0007", "2026-0014", "2026-0015", "2026-0300"):  # runs' edges
            conn.execute("UPDATE cases SET matter = CAST(x'b8ad' AS TEXT) WHERE id = ?", (case,))
        # 中 is e4 b8 ad: cut between the applicant and the contact of one row
        conn.execute(
            "UPDATE cases SET applicant = CAST(x'41e4' AS TEXT), "
            "contact = CAST(x'b8ad31' AS TEXT) WHERE id = '2026-0100'"
        )
        conn.execute("UPDATE cases SET cause = '𠀀😀 fine' WHERE id = '2026-0101'")
        conn.execute(
            "UPDATE events SET note = CAST(x'ff' AS TEXT) WHERE id = (SELECT max(id) FROM events)"
        )
        conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) "
            "VALUES ('window_name', CAST(x'c0' AS TEXT))"
        )
        conn.execute(
            "UPDATE ledger_meta SET value = CAST(x'80' AS TEXT) WHERE key = 'holidays_version'"
        )
    opened = Ledger(ledger, records=False)
    try:
        found = opened.type_problems()
    finally:
        opened.close()
    named = [line.split(" holds")[0] for line in found]
    assert named == [
        "Table cases (2026-0007): matter",
        "Table cases (2026-0014): matter",
        "Table cases (2026-0015): matter",
        "Table cases (2026-0100): applicant",
        "Table cases (2026-0100): contact",
        "Table cases (2026-0300): matter",
        "Table events (2026-0300): note",
        "Table settings (window_name): value",
        "Table ledger_meta (holidays_version): value",
    ]


def test_check_reads_rows_far_apart_and_a_utf16_file_without_calling_it_broken(ledger, tmp_path):
    """Runs follow the rows there are: a row id near 2**62 is read at once, not after
    centuries of empty runs; a ledger kept in UTF-16 by SQLite is sound text."""
    with sqlite3.connect(ledger) as conn:
        conn.execute(
            "INSERT INTO ledger_meta (rowid, key, value) "
            "VALUES (4611686018427387904, 'far', CAST(x'ff' AS TEXT))"
        )
    found = ledger_cmd(ledger, "--lang", "en", "check")
    assert found.returncode == 1
    assert "Table ledger_meta (far): value holds text whose bytes are not UTF-8" in found.stderr
    utf16 = tmp_path / "utf16.db"
    with sqlite3.connect(utf16) as conn:
        conn.execute("PRAGMA encoding = 'UTF-16le'")
        conn.execute("CREATE TABLE ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO ledger_meta VALUES ('window', '东港区窗口')")
    with contextlib.closing(sqlite3.connect(utf16)) as conn:
        assert store._not_utf8_problems(conn) == []


def test_check_names_every_value_that_is_bytes_not_text(ledger):
    """SQLite lets a text column hold bytes another program wrote; no report can show them,
    so `check` must not call such a file sound, and must not fail on them itself."""
    with sqlite3.connect(ledger) as conn:
        conn.execute("UPDATE cases SET applicant = X'E5BCA0' WHERE id = '2026-0003'")
        conn.execute("UPDATE cases SET sections = X'6D61726B6574' WHERE id = '2026-0004'")
        conn.execute("UPDATE departments SET name = X'4243' WHERE id = 1")
    before = digest(ledger)
    result = ledger_cmd(ledger, "--lang", "en", "check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Internal error" not in result.stderr
    found = [line for line in result.stderr.splitlines() if "holds bytes, not text" in line]
    assert found == [
        # a case's own text is typed again; a code list kept in the as-of index too, or a
        # department's name, is not the clerk's to retype: put back from a copy
        "Problem: Table cases (2026-0003): applicant holds bytes, not text (written by another "
        "program), which no report can show; type it again with ledger edit 2026-0003, or "
        "restore a copy with ledger restore",
        "Problem: Table cases (2026-0004): sections holds bytes, not text (written by another "
        "program), which no report can show; restore a copy with ledger restore",
        "Problem: Table departments (1): name holds bytes, not text (written by another "
        "program), which no report can show; restore a copy with ledger restore",
    ]
    assert digest(ledger) == before
    # what the line advises mends it: the applicant typed again
    mended = ledger_cmd(ledger, "edit", "2026-0003", "--applicant", "张三")
    assert mended.returncode == 0, mended.stderr
    again = ledger_cmd(ledger, "--lang", "en", "check")
    assert "2026-0003" not in again.stderr and "2026-0004" in again.stderr
    assert ledger_cmd(ledger, "show", "2026-0003").returncode == 0


@pytest.mark.parametrize("field", ["applicant", "contact", "matter", "cause", "method", "ref"])
@pytest.mark.parametrize("stored", ["X'E5BCFF'", "CAST('甲' AS BLOB)"], ids=["broken", "bytes"])
def test_where_check_advises_ledger_edit_typing_it_again_mends_it(ledger, field, stored):
    """`check` advises `ledger edit` only for a case's own text; there, typing it again (the
    same words included) leaves a ledger `check` calls sound."""
    with sqlite3.connect(ledger) as conn:
        conn.execute(f"UPDATE cases SET {field} = {stored} WHERE id = '2026-0002'")
    found = ledger_cmd(ledger, "--lang", "en", "check")
    assert found.returncode == 1
    assert f"{field} holds" in found.stderr and "ledger edit 2026-0002," in found.stderr
    mended = ledger_cmd(ledger, "edit", "2026-0002", f"--{field}", "甲")
    assert mended.returncode == 0, mended.stderr
    again = ledger_cmd(ledger, "check")
    assert again.returncode == 0, again.stderr


BAD_DATES = [
    ("cases", "deadline", "'下周'", "2026-0001"),
    ("cases", "deadline", "'2026-02-30'", "2026-0001"),  # SQLite's date() lets it through
    ("cases", "received_at", "'2026-13-45 09:00'", "2026-0001"),
    ("states", "valid_from", "'2026-10-14 25:00'", "2026-0001"),
    ("events", "at", "'yesterday'", "2026-0001"),
    ("cases", "deadline", "CAST('2026-10-15' AS BLOB)", "2026-0001"),
    ("calendar_overrides", "date", "'2026-13-45'", None),
    ("calendar_overrides", "date", "CAST('2026-12-01' AS BLOB)", None),
    # SQLite counts years 0000 to 9999; Python's dates cannot go before 0001 or past 9999
    ("cases", "last_notice", "'0000-01-01'", "2026-0001"),
    ("cases", "deadline", "'9999-12-31'", "2026-0001"),
    ("cases", "received_at", "'9999-12-31 23:59'", "2026-0001"),
    ("calendar_overrides", "date", "'0001-01-01'", None),
]


@pytest.mark.parametrize("table, column, value, case", BAD_DATES)
def test_a_date_another_program_wrote_wrong_is_named_never_an_internal_error(
    ledger, table, column, value, case
):
    """Where the ledger keeps a date or a minute, another program may write anything: every
    command that counts with it says which value it is (as `check` does), never "Internal
    error … please report this line", and changes nothing it was refused."""
    with sqlite3.connect(ledger) as conn:
        if table == "calendar_overrides":
            conn.execute(
                "INSERT INTO calendar_overrides (date, working, name, entered_at) "
                f"VALUES ({value}, 0, 'x', '2026-10-01 09:00')"
            )
        else:
            key = "case_id" if table in ("states", "events") else "id"
            conn.execute(f"UPDATE {table} SET {column} = {value} WHERE {key} = ?", (case,))
    before = digest(ledger)
    found = ledger_cmd(ledger, "--lang", "en", "check")
    assert found.returncode == 1
    assert f"Table {table} (" in found.stderr and f"{column} holds" in found.stderr
    assert "Internal error" not in found.stderr and "Traceback" not in found.stderr
    for command in (
        ["daily", "--date", "2026-10-14"],
        ["overdue", "--date", "2026-10-20"],
        ["weekly", "--week", "2026-W42", "--json"],
        ["show", case or "2026-0002"],
        ["resolve", case or "2026-0002", "--method", "phone", "--outcome", "ok"],
    ):
        result = ledger_cmd(ledger, "--lang", "en", *command)
        assert "Internal error" not in result.stderr and "Traceback" not in result.stderr
        if result.returncode != 0:
            assert result.returncode == 1
            line = one_line(result)  # the value named, as check names it or as it stands
            assert f"{column} holds" in line or value.strip("'") in line, (command, line)
            assert digest(ledger) == before, command


def test_a_fault_of_another_kind_is_not_blamed_on_a_wrong_date(ledger):
    """The boundary names a wrong date only for a failure in reading one: a setting another
    program spoilt is not a date, and the line must not send the clerk after one."""
    with sqlite3.connect(ledger) as conn:
        conn.execute("INSERT OR REPLACE INTO settings VALUES ('limit_standard', 'abc')")
        conn.execute("UPDATE cases SET feedback_at = '2026-13-45 09:00' WHERE id = '2026-0001'")
    result = ledger_cmd(ledger, "--lang", "en", "deadline", "2026-10-14", "--limit", "standard")
    assert result.returncode == 1
    assert "feedback_at" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "key, value, good",
    [
        ("limit_standard", "abc", "3"),
        ("limit_standard", "99999999", "3"),
        ("ack_days", "-1", "1"),
        ("report_after_days", "x", "5"),
        ("on_time_threshold", "abc", "0.9"),
    ],
)
def test_a_setting_another_program_spoilt_is_named_and_set_again(ledger, key, value, good):
    """A count or a rate in the settings that `settings set` would not have taken stops every
    command that counts with it with one line saying how to set it again — never "Internal
    error" — and `check` names it; a key the ledger does not know is no setting of it."""
    with sqlite3.connect(ledger) as conn:
        conn.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (key, value))
        conn.execute("INSERT OR REPLACE INTO settings VALUES ('zzz', '1')")
    before = digest(ledger)
    found = ledger_cmd(ledger, "--lang", "en", "check")
    assert found.returncode == 1 and f"The setting {key} holds '{value}'" in found.stderr
    for command in (["daily", "--date", "2026-10-14"], ["weekly", "--json"], ADD):
        result = ledger_cmd(ledger, "--lang", "en", *command)
        assert result.returncode == 1
        assert f"ledger settings set {key} VALUE" in one_line(result)
    assert digest(ledger) == before
    assert ledger_cmd(ledger, "settings", "set", key, good).returncode == 0
    assert ledger_cmd(ledger, "check").returncode == 0
    shown = ledger_cmd(ledger, "settings", "show", "--json")
    assert shown.returncode == 0 and "zzz" not in shown.stdout


# -- bytes another program wrote where text belongs -------------------------------------


def _bytes_written(ledger: Path) -> None:
    conn = sqlite3.connect(ledger)
    conn.execute("UPDATE cases SET applicant = X'E4B8ADFF41' WHERE id = '2026-0001'")
    conn.execute("UPDATE cases SET matter = X'41' WHERE id = '2026-0002'")
    conn.commit()
    conn.close()


MEETS_BYTES = [["show", "2026-0001"], ["show", "2026-0001", "--json"], ["export"]]


@pytest.mark.parametrize("command", MEETS_BYTES, ids=" ".join)
def test_bytes_where_text_belongs_are_named_not_an_internal_error(ledger, command):
    """SQLite lets a text column hold bytes; a command that cannot show them once said
    "Internal error …; please report this line". It names what `check` names instead."""
    _bytes_written(ledger)
    line = refused(ledger, *command, message="holds bytes, not text")
    assert line.startswith("Table cases (2026-0001): applicant holds bytes"), line
    assert "(1 more; ledger check lists them all)" in line
    assert "Internal error" not in line


SHOWS_BYTES = [
    ["list"],
    ["list", "--json"],
    ["daily", "--date", "2026-09-30"],
    ["daily", "--date", "2026-09-30", "--json"],
    ["overdue", "--date", "2026-10-30"],
    ["overdue", "--date", "2026-10-30", "--json"],
    ["weekly", "--week", "2026-W40", "--json"],
]


@pytest.mark.parametrize("command", SHOWS_BYTES, ids=" ".join)
def test_the_morning_reports_show_bytes_as_what_can_be_read(ledger, command):
    """The day's sheet, the lists and the figures are not lost to one value another program
    wrote: they show it as text, U+FFFD for what cannot be read (never `b'…'`)."""
    _bytes_written(ledger)
    before = digest(ledger)
    result = ledger_cmd(ledger, *command)
    assert result.returncode == 0, result.stderr
    assert "b'" not in result.stdout and "Traceback" not in result.stderr
    if "--json" in command and "weekly" not in command:
        assert "中\ufffdA" in result.stdout
    assert digest(ledger) == before


def test_a_ledger_that_lives_under_such_a_name_is_still_read(tmp_path):
    """A ledger made long ago as `my-journal`, with no `my` beside it, is a ledger: read,
    not refused with advice to open a file that does not exist."""
    real = tmp_path / "my-journal"
    assert ledger_cmd(real, "add", "--applicant", "甲", "--matter", "m").returncode == 1
    # made as the ledger before the rule, under a name the rule now guards: copied in
    made = tmp_path / "made.db"
    assert ledger_cmd(made, "add", "--applicant", "甲", "--matter", "m").returncode == 0
    made.rename(real)
    listed = ledger_cmd(real, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert "甲" in listed.stdout


def test_no_new_ledger_is_made_beside_a_file_sqlite_would_take_for_its_own(tmp_path):
    """A ledger kept as `t.db-journal` is read; a new ledger at `t.db` would have SQLite take
    that file for its own journal and remove it — so none is made there."""
    made = tmp_path / "made.db"
    assert ledger_cmd(made, "add", "--applicant", "甲", "--matter", "m").returncode == 0
    kept = tmp_path / "t.db-journal"
    made.rename(kept)
    before = kept.read_bytes()
    result = ledger_cmd(tmp_path / "t.db", "add", "--applicant", "乙", "--matter", "m")
    assert result.returncode == 1
    assert "t.db-journal lies beside it" in one_line(result)
    assert kept.read_bytes() == before and not (tmp_path / "t.db").exists()
    assert ledger_cmd(kept, "list", "--json").returncode == 0


def test_a_ledger_opened_through_a_link_keeps_one_set_of_copies(tmp_path):
    """Through a link, the day's copy, the copies' count and the damage note were the link's:
    two day's copies of one file on one day, kept thirty each."""
    folder = tmp_path / "我的 台账"
    folder.mkdir()
    real = folder / "台账 2026.db"
    assert ledger_cmd(real, "add", "--applicant", "甲", "--matter", "乙").returncode == 0
    link = tmp_path / "link.db"
    link.symlink_to(real)
    assert ledger_cmd(link, "note", "2026-0001", "经由链接").returncode == 0
    made = ledger_cmd(link, "backup")
    assert made.returncode == 0, made.stderr
    copies = sorted(p.name for p in (folder / "backups").iterdir())
    assert copies[0] == f"台账 2026-{dt.date.today().isoformat()}.db"
    assert len(copies) == 2 and copies[1].startswith("台账 2026-") and "link" not in copies[1]
    assert not (tmp_path / "backups").exists()
    with sqlite3.connect(real) as conn:  # damage found through the link is the file's
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET sql = replace(sql, 'status', 'statux') "
            "WHERE name = 'cases_status'"
        )
    ledger_cmd(link, "check")
    assert (folder / "台账 2026.db.damaged").exists() and not (
        tmp_path / "link.db.damaged"
    ).exists()


# -- a refused command writes nothing, the day's copy included ----------------------------


@pytest.mark.parametrize(
    "command",
    [
        ("note", "2026-0001", "x", "--at", "2026-01-01 09:00"),  # before the case's receipt
        ("classify", "2026-0001", "--dept", "没有这个单位"),
        ("extend", "2026-0001", "--days", "11", "--reason", "r"),
        ("resolve", "2026-0001", "--method", "m", "--outcome", "o", "--at", "2026-01-01 09:00"),
    ],
    ids=lambda c: c[0],
)
def test_a_refused_change_leaves_no_copy_of_the_day_behind(ledger, command):
    backups = ledger.parent / "backups"
    shutil.rmtree(backups, ignore_errors=True)  # no copy of the day yet
    refused(ledger, *command, message="")
    assert not backups.exists()
    assert ledger_cmd(ledger, "note", "2026-0001", "x").returncode == 0
    assert [p.name for p in backups.iterdir()] == [f"ledger-{dt.date.today()}.db"]


def thirty_old_copies(backups: Path, stem: str) -> list[str]:
    """The thirty copies a ledger keeps, of days well before today: their names, sorted."""
    backups.mkdir(exist_ok=True)
    start = dt.date.today() - dt.timedelta(days=40)
    for n in range(30):
        (backups / f"{stem}-{start + dt.timedelta(days=n)}.db").write_bytes(b"a copy")
    return sorted(p.name for p in backups.iterdir())


def test_a_refused_change_lets_no_old_copy_go(ledger):
    backups = ledger.parent / "backups"
    shutil.rmtree(backups, ignore_errors=True)
    kept = thirty_old_copies(backups, "ledger")
    refused(ledger, "extend", "2026-0001", "--days", "11", "--reason", "r", message="")
    assert sorted(p.name for p in backups.iterdir()) == kept
    assert ledger_cmd(ledger, "note", "2026-0001", "x").returncode == 0
    after = sorted(p.name for p in backups.iterdir())
    assert len(after) == 30 and after[-1] == f"ledger-{dt.date.today()}.db"
    assert kept[0] not in after


def test_a_change_refused_in_one_window_leaves_the_other_its_copy_of_the_day(ledger):
    """Two windows: the first makes the day's copy, then its change is refused and takes the
    copy back; the second, which waited for the first, makes the copy before its own change.
    The copy is decided holding the write lock, so the second never finds a copy that is
    about to go."""
    import threading

    shutil.rmtree(ledger.parent / "backups", ignore_errors=True)
    first_has_copied = threading.Event()
    failed = []

    def first_window() -> None:
        opened = Ledger(ledger)
        try:
            with opened.writing():
                first_has_copied.set()
                time.sleep(1.0)  # the second window now waits for the lock
                raise LedgerError("err.internal", detail="refused")
        except LedgerError:
            failed.append(True)
        finally:
            opened.close()

    thread = threading.Thread(target=first_window)
    thread.start()
    assert first_has_copied.wait(10)
    second = Ledger(ledger)
    try:
        with second.writing():
            second.set_setting("window_name", "第二个窗口", "2026-10-14 09:00")
    finally:
        second.close()
    thread.join()
    assert failed == [True]
    copies = list((ledger.parent / "backups").glob("ledger-*.db"))
    assert [p.name for p in copies] == [f"ledger-{dt.date.today()}.db"]
    # the copy is the ledger as it was before the second window's change
    conn = sqlite3.connect(copies[0])
    try:
        names = conn.execute("SELECT value FROM settings WHERE key = 'window_name'").fetchall()
    finally:
        conn.close()
    assert names != [("第二个窗口",)]


def test_a_restored_copy_that_disagrees_with_its_timeline_is_restored_and_said_so(ledger, tmp_path):
    """A copy SQLite finds sound but another program changed (a status against its timeline)
    may be the only copy there is: it is put back, and the clerk is told to check it."""
    copy = tmp_path / "copy.db"
    assert ledger_cmd(ledger, "backup", copy).returncode == 0
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE cases SET status = 'closed' WHERE id = '2026-0001'")
    conn.commit()
    conn.close()
    result = ledger_cmd(ledger, "restore", copy)
    assert result.returncode == 0 and "restored from" in result.stdout
    line = one_line(result)
    assert re.search(r"the restored ledger has \d problems \(2026-0001", line), line
    assert "ledger check" in line
    assert ledger_cmd(ledger, "check").returncode == 1
    # in Chinese the statuses are named in Chinese, not by their codes
    chinese = ledger_cmd(ledger, "--lang", "zh", "check")
    assert "状态 已反馈 与时间线最后记录" in chinese.stderr and "closed" not in chinese.stderr
    refused_code = ledger_cmd(ledger, "--lang", "zh", "export", "--encoding", "latin1")
    assert refused_code.returncode == 1 and refused_code.stderr.startswith("编码“latin1”无法识别")


@pytest.mark.parametrize(
    ("one", "other"),
    [("台账.db", "台账.sqlite"), ("台账.db", "台账"), ("台账.DB", "台账.csv")],
)
def test_two_ledgers_whose_names_differ_in_their_ending_keep_copies_of_their_own(
    tmp_path, one, other
):
    folder = tmp_path / "desk"
    folder.mkdir()
    first, second = folder / one, folder / other
    for ledger, who in ((first, "甲"), (second, "乙")):
        assert ledger_cmd(ledger, "add", "--applicant", who, "--matter", "事项").returncode == 0
        assert ledger_cmd(ledger, "note", "2026-0001", "x").returncode == 0
    copies = sorted(p.name for p in (folder / "backups").iterdir())
    today = dt.date.today()
    named = {"台账.db": "台账", "台账.sqlite": "台账.sqlite", "台账": "台账.", "台账.DB": "台账"}
    named["台账.csv"] = "台账.csv"
    assert copies == sorted(f"{named[n]}-{today}.db" for n in (one, other))
    # each copy is its own ledger's
    conn = sqlite3.connect(folder / "backups" / f"{named[other]}-{today}.db")
    try:
        assert conn.execute("SELECT applicant FROM cases").fetchall() == [("乙",)]
    finally:
        conn.close()


def test_a_ledger_named_with_brackets_keeps_thirty_copies(tmp_path):
    ledger = tmp_path / "台账[2026].db"
    assert ledger_cmd(ledger, "add", "--applicant", "甲", "--matter", "事项").returncode == 0
    backups = tmp_path / "backups"
    thirty_old_copies(backups, "台账[2026]")
    assert ledger_cmd(ledger, "note", "2026-0001", "x").returncode == 0
    assert len(list(backups.iterdir())) == 30


@pytest.mark.parametrize(
    ("first", "command"),
    [
        ((), ("calendar", "clear", "2026-10-14")),
        ((), ("import", "{book}")),
        (("calendar", "holiday", "2026-12-24", "--name", "闭馆"),) * 2,
        # a year confirmed again (a confirmation needs a day of the year entered first)
        (("calendar", "workday", "2027-01-02"), ("calendar", "confirm", "2027")),
    ],
    ids=[
        "clear of no override",
        "a book imported again",
        "the same day off again",
        "a year confirmed again",
    ],  # fmt: skip
)
def test_a_command_that_changes_nothing_takes_no_copy_and_lets_none_go(ledger, first, command):
    if first:
        assert ledger_cmd(ledger, *first).returncode == 0
        if command[1] == "confirm":
            assert ledger_cmd(ledger, *command).returncode == 0
    backups = ledger.parent / "backups"
    shutil.rmtree(backups, ignore_errors=True)
    kept = thirty_old_copies(backups, "ledger")
    before = digest(ledger)
    args = [str(ledger.parent / "book.csv") if a == "{book}" else a for a in command]
    result = ledger_cmd(ledger, *args)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in backups.iterdir()) == kept
    assert digest(ledger) == before


def test_a_case_resolved_with_no_resolution_is_named_by_check_even_after_a_move(ledger, tmp_path):
    """Another program set a case resolved without its dates; an answer recorded on it then
    makes timeline and row agree, but no move of the ledger makes such a case."""
    conn = sqlite3.connect(ledger)
    conn.execute("UPDATE cases SET status = 'resolved' WHERE id = '2026-0015'")
    conn.commit()
    conn.close()
    moved = ledger_cmd(ledger, "feedback", "2026-0015", "--via", "phone")
    assert moved.returncode in (0, 1) and "None" not in moved.stdout + moved.stderr
    result = ledger_cmd(ledger, "check")
    assert result.returncode == 1
    assert "2026-0015: status" in result.stderr and "without a resolution date" in result.stderr


def test_a_rating_on_a_case_not_yet_answered_is_named_by_check(tmp_path):
    """A book imported before rows saying 已办结 and 满意 together were refused left cases
    rated but never answered; row and index agree, so only this check sees them."""
    ledger = tmp_path / "ledger.db"
    sample = Path(__file__).parent.parent / "sample_data" / "cases.csv"
    assert ledger_cmd(ledger, "import", sample).returncode == 0
    conn = sqlite3.connect(ledger)
    resolved, closed = (
        conn.execute(
            "SELECT id FROM cases WHERE status = ? ORDER BY year, seq LIMIT 1", (status,)
        ).fetchone()[0]
        for status in ("resolved", "closed")
    )
    assert ledger_cmd(ledger, "check").returncode == 0
    for column in ("cases", "states"):
        where = "id" if column == "cases" else "valid_until = '9999-12-31 23:59' AND case_id"
        conn.execute(
            f"UPDATE {column} SET satisfaction = 'satisfied' WHERE {where} = ?", (resolved,)
        )
    conn.commit()
    conn.close()
    result = ledger_cmd(ledger, "--lang", "zh", "check")
    assert result.returncode == 1
    named = [line for line in result.stderr.splitlines() if "答复" in line]
    assert len(named) == 1 and named[0].startswith(f"问题：{resolved}：状态 已办结")
    assert "满意" in named[0] and "ledger feedback" in named[0]
    assert closed not in result.stderr


def test_a_setting_set_to_the_value_it_has_is_no_change(ledger):
    assert ledger_cmd(ledger, "settings", "set", "window_name", "东港区窗口").returncode == 0
    backups = ledger.parent / "backups"
    shutil.rmtree(backups, ignore_errors=True)
    before = digest(ledger)
    again = ledger_cmd(ledger, "settings", "set", "window_name", "东港区窗口")
    assert again.returncode == 0, again.stderr
    assert not backups.exists() and digest(ledger) == before


def test_a_file_named_backups_is_named_as_the_copies_folder(ledger):
    """`touch backups`: every change was refused with "…/backups is a file …; choose another
    path" — a path the clerk never chose and cannot choose."""
    shutil.rmtree(ledger.parent / "backups", ignore_errors=True)
    (ledger.parent / "backups").write_text("not a folder")
    before = digest(ledger)
    result = ledger_cmd(ledger, *ADD)
    assert result.returncode == 1
    line = one_line(result)
    assert "keeps its copies in the folder" in line and "move or rename that file" in line
    assert "choose another path" not in line
    assert digest(ledger) == before
    copy = ledger.parent / "copy.db"
    shutil.copyfile(ledger, copy)
    restored = ledger_cmd(ledger, "restore", copy)
    assert restored.returncode == 1 and "keeps its copies in the folder" in one_line(restored)
    assert digest(ledger) == before
    (ledger.parent / "backups").unlink()
    assert ledger_cmd(ledger, *ADD).returncode == 0


def test_a_file_named_as_the_cache_folder_costs_time_not_the_command(ledger):
    """`.ledger-cache` being a file stopped even `deadline` (a read) with "choose another path":
    the calendar is then computed each time, and nothing else is kept there."""
    cache = ledger.parent / ".ledger-cache"
    shutil.rmtree(cache, ignore_errors=True)
    cache.write_text("not a folder")
    answer = ledger_cmd(ledger, "deadline", "2026-09-30", "--json")
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout)["deadline"] == "2026-10-10"
    assert ledger_cmd(ledger, "daily", "--date", "2026-10-14").returncode == 0
    changed = ledger_cmd(ledger, *ADD)
    assert changed.returncode == 0, changed.stderr
    assert cache.read_text() == "not a folder"


def test_windows_starting_the_same_new_ledger_at_once_all_record(tmp_path):
    """SPEC §9: two terminals writing at once both succeed. On a new path each found the
    other's file still empty, its tables not made, and was refused as an empty file."""
    db = tmp_path / "new" / "ledger.db"
    env = {**os.environ, "LEDGER_DB": str(db), "LEDGER_LANG": "en"}
    env.pop("LEDGER_DEBUG", None)
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "ledger", "add", "--applicant", f"申请人{n}", "--matter", "m"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in started]
    for process in started:
        process.stdout.close()
        process.stderr.close()
    assert [code for code, _ in results] == [0] * 8, results
    cases = json.loads(ledger_cmd(db, "list", "--json").stdout)
    assert sorted(c["applicant"] for c in cases) == sorted(f"申请人{n}" for n in range(8))
    assert len({c["id"] for c in cases}) == 8
    # nothing left beside it of the files each made whole before giving it its name
    assert sorted(p.name for p in db.parent.iterdir()) == [".ledger-cache", "backups", "ledger.db"]
    if os.name == "posix":
        assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_where_a_file_can_have_no_second_name_the_new_ledger_is_made_in_place(
    tmp_path, monkeypatch
):
    """A FAT stick keeps no hard links: the ledger is made as before, empty file first."""
    import errno

    def no_links(*_args, **_kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(store.os, "link", no_links)
    db = tmp_path / "stick" / "ledger.db"
    ledger = Ledger(db)
    assert ledger.user_version() == store.SCHEMA_VERSION
    ledger.close()
    assert sorted(p.name for p in db.parent.iterdir()) == ["ledger.db"]


@pytest.mark.no_ledger
def test_a_tilde_in_the_ledger_path_is_the_clerks_home(run, tmp_path, monkeypatch):
    """A quoted `~/ledger.db` (a shortcut, a profile) made a folder named `~` in whatever
    folder the window was in, and a ledger of its own in each."""
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    monkeypatch.setenv("LEDGER_DB", "~/台账.db")
    assert run("add", "--applicant", "甲", "--matter", "事项").exit_code == 0
    assert run("--db", "~/台账.db", "show", "2026-0001").exit_code == 0
    assert (home / "台账.db").is_file() and list(work.iterdir()) == []


@pytest.mark.no_ledger
@pytest.mark.parametrize("where", ["option", "environment"])
def test_a_ledger_path_ending_in_a_slash_names_a_folder(run, tmp_path, monkeypatch, where):
    """`--db trail/` made a ledger file named `trail`."""
    monkeypatch.chdir(tmp_path)
    given = ["--db", "trail/"] if where == "option" else []
    if where == "environment":
        monkeypatch.setenv("LEDGER_DB", "trail/")
    for command in (("add", "--applicant", "甲", "--matter", "事项"), ("list",)):
        result = run(*given, *command)
        assert result.exit_code == 1
        assert result.stderr.strip() == (
            "trail/ names a folder, not a ledger file; give the file, such as trail/ledger.db"
        )
    dotted = run("--db", "trail/.", "add", "--applicant", "甲", "--matter", "事项")
    assert dotted.exit_code == 1
    assert dotted.stderr.strip() == (
        "trail/. names a folder, not a ledger file; give the file, such as trail/ledger.db"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("length", [230, 235, 240])
def test_a_long_ledger_name_is_made_whatever_its_length(tmp_path, length):
    """The new ledger was first made under `.NAME.new-…`: with names of 234–236 bytes that
    name fit, but SQLite's `-journal` beside it did not, and the ledger could not be made."""
    db = tmp_path / "long" / ("账" * ((length - 3) // 3) + "a" * ((length - 3) % 3) + ".db")
    assert len(db.name.encode()) == length
    result = ledger_cmd(db, *ADD)
    assert result.returncode == 0, result.stderr
    assert {p.name for p in db.parent.iterdir()} == {".ledger-cache", db.name}


def test_a_name_a_new_ledger_was_made_under_is_let_go(tmp_path):
    """A window killed between giving a new ledger its name and letting go of the one it was
    made under left the file two names, and every change was then refused as a linked file."""
    db = tmp_path / "new" / "ledger.db"
    assert ledger_cmd(db, *ADD).returncode == 0
    left = db.parent / ".ledger-new-k9x2"
    os.link(db, left)
    result = ledger_cmd(db, "note", "2026-0001", "备注")
    assert result.returncode == 0, result.stderr
    assert not left.exists() and db.stat().st_nlink == 1
    # a second name the ledger did not make it under is still refused (SQLite's warning)
    other = tmp_path / "copy.db"
    os.link(db, other)
    assert ledger_cmd(db, "note", "2026-0001", "x").returncode == 1


def test_a_new_ledger_is_in_write_ahead_mode_from_its_first_change(tmp_path):
    db = tmp_path / "new.db"
    assert ledger_cmd(db, *ADD).returncode == 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_a_named_backup_onto_an_existing_file_says_what_to_do(ledger, tmp_path):
    kept = tmp_path / "kept.db"
    kept.write_bytes(b"the clerk's own file")
    line = refused(ledger, "backup", str(kept), message="already exists; not overwritten")
    assert "Give another file name, or none" in line and "backups/" in line
    assert kept.read_bytes() == b"the clerk's own file"


@pytest.mark.parametrize(
    "command",
    [["daily", "--json"], ["overdue"], ["list"], ["show", "2026-0001"], ["weekly"], ["check"]],
)
def test_a_read_leaves_the_folder_beside_the_ledger_as_it_found_it(ledger, command):
    """A reading command writes nothing (SPEC §9): not even the note of how it left the file,
    which it left as it found it."""
    ledger_cmd(ledger, "daily")  # the file as the ledger leaves it, and its note, settled
    cache = ledger.parent / ".ledger-cache"
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in cache.iterdir()}
    done = ledger_cmd(ledger, *command)
    assert done.returncode == 0, done.stderr
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in cache.iterdir()} == before


def test_a_contact_another_program_wrote_as_bytes_is_refused_not_shown_as_bytes(tmp_path):
    """Digits stored as a BLOB look like a number to `bytes.isdigit`: the mask's short way
    for a number of plain digits takes text only, and such a value is named as `check`
    names it."""
    db = tmp_path / "ledger.db"
    added = ledger_cmd(
        db, "add", "--applicant", "甲", "--matter", "营业执照", "--contact", "13912345678"
    )
    assert added.returncode == 0, added.stderr
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("UPDATE cases SET contact = CAST(contact AS BLOB)")
        conn.commit()
    for command in (["show", "2026-0001", "--json"], ["list", "--json"], ["daily", "--json"]):
        done = ledger_cmd(db, *command)
        assert "b'" not in done.stdout, command
        assert done.returncode == 1 and "bytes" in done.stderr, (command, done.stderr)


def test_a_json_document_is_one_write_so_a_reader_that_stops_after_it_sees_no_error(
    monkeypatch,
):
    """`ledger daily --json | head -n 1`: the document and its line's end go in one write; a
    second write for the line's end alone met the pipe the reader had closed (half the runs
    of a sheet of 11 KB failed so)."""
    from ledger.jsonline import json_text, print_json

    class Stdout:
        def __init__(self) -> None:
            self.writes: list[str] = []

        def write(self, text: str) -> int:
            self.writes.append(text)
            return len(text)

        def flush(self) -> None:
            pass

    sheet = {"date": "2026-10-14", "cases": [{"id": f"2026-{n:04d}", "x": [n]} for n in range(400)]}
    seen = Stdout()
    monkeypatch.setattr(sys, "stdout", seen)
    print_json(sheet)
    assert seen.writes == [json_text(sheet) + "\n"]


def test_a_restore_refused_for_a_ledger_that_cannot_be_written_leaves_no_copy(ledger, tmp_path):
    """A ledger file that may not be changed (immutable, as some sync tools and admins make
    it): `restore` said so in one line, and left an empty `…-before-restore-….db` among the
    copies, a copy that looks kept and holds nothing."""
    good = tmp_path / "good.db"
    shutil.copyfile(ledger, good)
    if subprocess.run(["chattr", "+i", str(ledger)], capture_output=True).returncode != 0:
        pytest.skip("this file system cannot make a file immutable")
    try:
        before = digest(ledger)
        result = ledger_cmd(ledger, "restore", good)
        assert result.returncode == 1
        assert "cannot be written" in one_line(result)
        assert digest(ledger) == before
        kept = sorted(p.name for p in (tmp_path / "backups").glob("*before-restore*"))
        assert kept == []
    finally:
        subprocess.run(["chattr", "-i", str(ledger)], capture_output=True)


@pytest.mark.parametrize("left", ["gone", "empty"])
def test_restore_keeps_the_log_a_gone_ledger_left(ledger, tmp_path, left):
    """A ledger gone (or emptied by a failed copy) with its `-wal` left: restore put the copy
    in its place and let the log go, though it may hold the last day's pages."""
    good = tmp_path / "good.db"
    assert ledger_cmd(ledger, "backup", good).returncode == 0
    conn = sqlite3.connect(ledger)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE cases SET matter = '最后一天的改动' WHERE id = '2026-0001'")
    conn.commit()
    log = (tmp_path / "ledger.db-wal").read_bytes()
    conn.close()
    assert log
    if left == "gone":
        ledger.unlink()
    else:
        ledger.write_bytes(b"")
    (tmp_path / "ledger.db-wal").write_bytes(log)
    result = ledger_cmd(ledger, "restore", good)
    assert result.returncode == 0, result.stderr
    (kept,) = (tmp_path / "backups").glob("*-before-restore-*.db")
    assert kept.with_name(kept.name + "-wal").read_bytes() == log
    assert ledger_cmd(ledger, "check").returncode == 0  # the copy, in its place


def test_a_restore_waits_for_another_windows_lock_no_longer_than_any_command(
    tmp_path, run, monkeypatch
):
    """Another program held the write lock: `restore` waited as long as it was held, deaf
    to Ctrl-C, then replaced the ledger. It gives up as every command does, nothing
    replaced and no copy left in backups/."""
    db = tmp_path / "ledger.db"
    monkeypatch.setenv("LEDGER_DB", str(db))
    assert run("add", "--applicant", "甲", "--matter", "一").exit_code == 0
    good = tmp_path / "good.db"
    assert run("backup", good).exit_code == 0
    assert run("add", "--applicant", "乙", "--matter", "二").exit_code == 0
    before = digest(db)
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 300)
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        result = run("restore", good)
        assert time.monotonic() - started < 10
        assert result.exit_code == 1 and "held by another window" in result.stderr
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert digest(db) == before
    assert not list((tmp_path / "backups").glob("*before-restore*"))
    assert run("show", "2026-0002").exit_code == 0  # the day's work is still there
    assert run("restore", good).exit_code == 0


def test_a_restore_over_numbers_another_program_wrote_still_holds_the_ids(
    tmp_path, run, monkeypatch
):
    """A case number another program wrote as text made restore end in an internal error
    after the ledger had been replaced; a held number that is no number the ledger writes
    (too large, full-width, spaced) made `add` fail or jump."""
    db = tmp_path / "ledger.db"
    monkeypatch.setenv("LEDGER_DB", str(db))
    for name in ("甲", "乙"):
        assert run("add", "--applicant", name, "--matter", "一").exit_code == 0
    good = tmp_path / "good.db"
    assert run("backup", good).exit_code == 0
    assert run("add", "--applicant", "丙", "--matter", "三").exit_code == 0
    assert run("add", "--applicant", "丁", "--matter", "四").exit_code == 0
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE cases SET seq = 'x4' WHERE id = '2026-0004'")
    restored = run("restore", good)
    assert restored.exit_code == 0, restored.stderr
    assert "Internal error" not in restored.stderr and "2026-0003" in restored.stdout
    assert run("add", "--applicant", "戊", "--matter", "五", "--json").json()["id"] == "2026-0004"
    for spoilt in ("9223372036854775807", "１２", " 40", "-3", "x"):
        with contextlib.closing(sqlite3.connect(db)) as conn, conn:
            conn.execute("UPDATE ledger_meta SET value = ? WHERE key = 'issued:2026'", (spoilt,))
        added = run("add", "--applicant", "己", "--matter", spoilt, "--json")
        assert added.exit_code == 0, (spoilt, added.stderr)
        assert added.json()["id"] == f"2026-{int(added.json()['id'][5:]):04d}"
    ids = [c["id"] for c in run("list", "--json").json()]
    assert len(ids) == len(set(ids)) and max(ids) == "2026-0009"


def test_a_damaged_ledgers_copy_stays_once_its_log_is_let_go(tmp_path, run, monkeypatch):
    """The damaged ledger's log is removed before the new file takes its name: when that
    rename failed (a file another program holds, on Windows), the failed restore took back
    its kept copy too, the only one left of what the log held."""
    db = tmp_path / "ledger.db"
    monkeypatch.setenv("LEDGER_DB", str(db))
    assert run("add", "--applicant", "甲", "--matter", "一").exit_code == 0
    good = tmp_path / "good.db"
    assert run("backup", good).exit_code == 0
    with db.open("r+b") as handle:
        handle.seek(100)
        handle.write(b"\xff" * 4)
    damaged = db.read_bytes()
    real_replace = store.os.replace

    def held(source, target):
        if Path(target) == db:
            raise PermissionError(13, "held by another program", str(target))
        return real_replace(source, target)

    monkeypatch.setattr(store.os, "replace", held)
    assert run("restore", good).exit_code == 1
    kept = list((tmp_path / "backups").glob("ledger-before-restore-*.db"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged


@pytest.mark.parametrize("fails_at", ["the copy", "the change"])
@pytest.mark.parametrize("there_before", [False, True])
def test_a_change_refused_for_a_full_disk_leaves_backups_as_it_was(
    ledger, tmp_path, fails_at, there_before
):
    """An empty `backups/` the clerk had (made, or emptied, on purpose) was taken away by a
    change the disk could not hold; one the change itself made is taken away again."""
    folder = ledger.parent / "backups"
    shutil.rmtree(folder, ignore_errors=True)
    if there_before:
        folder.mkdir()
    (tmp_path / "more").mkdir()
    sheet = book(tmp_path / "more", 5000)
    before = digest(ledger)
    size = ledger.stat().st_size
    # the day's copy cut short, or the copy whole and the change (5,000 rows) too big
    limit = size // 2 if fails_at == "the copy" else size + 64 * 1024

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = ledger_cmd(ledger, "import", sheet, preexec_fn=small_disk)
    assert result.returncode == 1
    assert "full" in one_line(result)
    assert digest(ledger) == before
    assert folder.is_dir() == there_before
    if there_before:
        assert list(folder.iterdir()) == []


def test_an_import_taking_an_id_a_restore_held_back_says_so(tmp_path):
    """After a restore, a sheet's row under 2026-0004 — given by the replaced ledger to
    another applicant — was imported without a word: the id told to A4 then named 新乙's
    case. The kept ledger's own export brought back is the common case, so it is imported,
    and the clerk is told which ids to compare with the ledger kept aside."""
    db = tmp_path / "r.db"
    for n in (1, 2, 3):
        add = ledger_cmd(db, "add", "--applicant", f"A{n}", "--matter", "m",
                         "--at", f"2026-11-02 09:0{n}")  # fmt: skip
        assert add.returncode == 0, add.stderr
    assert ledger_cmd(db, "backup", tmp_path / "s1.db").returncode == 0
    for n in (4, 5):
        ledger_cmd(
            db, "add", "--applicant", f"A{n}", "--matter", "m", "--at", f"2026-11-02 09:0{n}"
        )
    assert ledger_cmd(db, "restore", tmp_path / "s1.db").returncode == 0
    sheet = tmp_path / "b.csv"
    sheet.write_text(
        "ID,受理时间,反映人,事项名称\n2026-0004,2026-11-20 09:00,新乙,事2\n"
        "2026-0009,2026-11-20 09:00,新丙,事3\n",
        encoding="utf-8",
    )
    result = ledger_cmd(db, "import", sheet)
    assert result.returncode == 0, result.stderr
    assert "2 new cases" in result.stdout
    note = one_line(result)
    assert "(1: 2026-0004)" in note and "kept aside" in note and "2026-0009" not in note
    # an id above what the replaced ledger gave, or a sheet of a ledger never restored: nothing
    again = ledger_cmd(tmp_path / "other.db", "import", sheet)
    assert again.returncode == 0 and again.stderr == ""


@contextlib.contextmanager
def _waiting_for_the_lock(ledger: Path, **options):
    """`ledger add` started while another window holds the write lock, waiting for it (2.5 s
    in); the lock is let go when the block ends."""
    holder = sqlite3.connect(ledger, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        env = {**os.environ, "LEDGER_DB": str(ledger), "LEDGER_LANG": "en"}
        waiting = subprocess.Popen(
            [sys.executable, "-m", "ledger", *ADD],
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            **options,
        )
        time.sleep(2.5)
        yield waiting
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.skipif(os.name != "posix", reason="TERM, HUP and QUIT are POSIX signals")
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP", "SIGQUIT", "SIGINT"])
def test_a_command_ended_by_a_closed_window_or_a_shutdown_ends_as_ctrl_c_does(ledger, signal_name):
    """A pack killed by TERM left its partial file — the whole ledger, numbers unmasked —
    in the folder packs are sent from: TERM skipped the clean-up Ctrl-C runs; so did
    Ctrl-\\ (QUIT). A command waiting for another window's write lock is ended by the
    signal the same way."""
    import signal

    before = digest(ledger)
    with _waiting_for_the_lock(ledger) as waiting:
        assert waiting.poll() is None, waiting.communicate()
        waiting.send_signal(getattr(signal, signal_name))
        out, err = waiting.communicate(timeout=30)
    assert waiting.returncode == 1, (out, err)
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if line.strip()] == [
        "Interrupted; nothing was changed."
    ], err
    assert digest(ledger) == before


def test_what_a_killed_pack_left_beside_its_file_goes_with_the_next_one(ledger, tmp_path):
    """kill -9 runs no clean-up: the next write into the folder removes the partial files
    of writers that are gone (their process id is in the name), whatever file they were
    writing, and no running one's."""
    assert ledger_cmd(ledger, "settings", "set", "window_code", "XH-01").returncode == 0
    share = tmp_path / "share"
    share.mkdir()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()  # fmt: skip
    from ledger.files import _host

    here = _host()
    left = [
        share / f".XH.db.{gone}-{here}.k2j3.partial",
        share / f".XH.db.{gone}-{here}.k2j3.partial-journal",
        # another file's writer, gone too: a pack of another name killed in the same folder
        # (once left until a pack of that name came)
        share / f".XH.db.1014.csv.{gone}-{here}.c3d4.partial",
        share / f".other.db.{gone}-{here}.zz.partial",
    ]
    kept = [
        share / f".XH.db.{os.getpid()}-{here}.a1b2.partial",  # this test's process runs
        share / f".other.db.{os.getpid()}-{here}.a1b2.partial",
        # another computer's writer, on a shared folder: its id means nothing here
        share / f".XH.db.{gone}-{'0' * 8 if here != '0' * 8 else '1' * 8}.a1b2.partial",
        share / "notes.partial",  # no name of ours
    ]
    for path in (*left, *kept):
        path.write_bytes(b"13800001111")
    assert ledger_cmd(ledger, "pack", share / "XH.db").returncode == 0
    assert not any(path.exists() for path in left)
    assert all(path.exists() for path in kept)


@pytest.mark.parametrize("suffix", ["-journal", "-wal", "-shm"])
@pytest.mark.parametrize("command", ["pack", "backup"])
def test_no_sqlite_file_is_written_where_a_journal_or_log_lies_under_its_name(
    ledger, tmp_path, suffix, command
):
    """A stray `hj.db-journal` rolled the new pack back to 8 KB for every SQL reader; a
    `-wal` showed another database's tables in its place."""
    assert ledger_cmd(ledger, "settings", "set", "window_code", "XH-01").returncode == 0
    target = tmp_path / "out.db"
    stray = tmp_path / f"out.db{suffix}"
    stray.write_bytes(b"another file's log")
    line = refused(ledger, command, target, message=f"the file {stray} lies beside it")
    assert "Nothing was changed" in line
    assert not target.exists() and stray.read_bytes() == b"another file's log"


@pytest.mark.parametrize(
    "command",
    [
        ("pack", "{out}.db"),
        ("export", "--out", "{out}.xlsx"),
        ("weekly", "--week", "2026-W41", "--csv", "{out}.xlsx"),
    ],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_file_the_disk_cannot_hold_is_said_as_a_full_disk_in_one_line(
    ledger, tmp_path, command, lang
):
    """A pack on a full disk said SQLite's English inside a Chinese line ("database or disk
    is full"), not "the disk is full"; a workbook on one added the zip library's traceback
    after the line."""
    assert ledger_cmd(ledger, "settings", "set", "window_code", "XH-01").returncode == 0
    out = tmp_path / "full"
    args = [part.format(out=out) for part in command]
    before = digest(ledger)

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    result = ledger_cmd(ledger, "--lang", lang, *args, preexec_fn=small_disk)
    assert result.returncode == 1, result.stdout
    line = one_line(result)
    assert ("磁盘已满" if lang == "zh" else "The disk is full") in line, line
    assert "database or disk is full" not in line
    assert digest(ledger) == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith((".full", "full"))]


@pytest.mark.skipif(os.name != "posix", reason="HUP is a POSIX signal")
def test_a_command_started_with_nohup_outlives_its_window(ledger):
    """`nohup ledger import …` set HUP aside for the command; the ledger's own handler took
    it back, and the import ended "Interrupted" when the terminal closed."""
    import signal

    ignoring = lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN)  # noqa: E731
    with _waiting_for_the_lock(ledger, preexec_fn=ignoring) as waiting:
        waiting.send_signal(signal.SIGHUP)
        time.sleep(0.5)
    out, err = waiting.communicate(timeout=30)
    assert waiting.returncode == 0, err
    assert "Received" in out


def test_a_ctrl_c_once_the_change_is_committed_says_it_was_recorded(run, monkeypatch):
    """A TERM landing between the COMMIT and the ledger noting it (15 of 300 tries in an
    attack) was said "Interrupted; nothing was changed.": the clerk would enter the case
    again. The change is made; the line says so."""
    from ledger import store

    def interrupted(self):
        raise KeyboardInterrupt

    kept = store.Ledger._into_the_log
    monkeypatch.setattr(store.Ledger, "_into_the_log", interrupted)
    result = run("--lang", "en", "add", "--applicant", "甲", "--matter", "事")
    assert result.exit_code == 1
    assert result.stderr.strip() == "The change is recorded in the ledger, but then: interrupted."
    monkeypatch.setattr(store.Ledger, "_into_the_log", kept)
    assert [case["id"] for case in run("list", "--json").json()] == ["2026-0001"]
