"""A large sheet read by other processes gives exactly what reading it here gives.

`readahead` hands the reading and checking of a large CSV file to two other processes, each a
share of the rows, and merges what they read back into the file's order. These tests make it
read small sheets that way (the size from which it does so, and the rows a share, made small)
and hold every table of the ledger, every word the clerk sees and the exit code equal to an
import read here, for good sheets, bad ones and a ledger that holds cases; and show its ways
of failing: a reader that stops half-way, none that can be started, a file that turns out
bad after its header.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import subprocess
from pathlib import Path

import pytest
from conftest import digest

from ledger import readahead, sheets, workbooks

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "cases.csv"


def sample_rows() -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8-sig"))))
    return rows[0], rows[1:]


def book(path: Path, copies: int = 3, ids: bool = True, extra=None) -> Path:
    """The sample's cases `copies` times over (each copy its own ids and applicants), with a
    title row above the header and empty and 合计 rows among them, as a clerk's book has."""
    header, body = sample_rows()
    rows: list[list[str]] = [["东港区“办不成事”窗口登记台账（2026年10月）"], header]
    for copy in range(copies):
        for index, row in enumerate(body):
            row = list(row)
            row[0] = f"2026-{copy + 1}{row[0][-3:]}" if ids else ""
            row[4] = f"{row[4]}{copy}"
            if extra:
                extra(copy, index, row)
            rows.append(row)
            if index % 17 == 5:
                rows.append([])
            if index % 23 == 7:
                rows.append(["合 计", str(index)])
    path.write_text(
        "\ufeff" + "".join(",".join(_cell(c) for c in row) + "\n" for row in rows),
        encoding="utf-8",
    )
    return path


def _cell(text: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([text])
    return out.getvalue()


def yearless(copy: int, index: int, row: list[str]) -> None:
    """Every third receipt of a copy written without its year (`10月9日 09:00`)."""
    if index % 3 == 0:
        day = row[2]
        row[2] = f"{int(day[5:7])}月{int(day[8:10])}日 {day[11:]}"


def tables(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as conn:
        return {
            name: conn.execute(f"SELECT * FROM {name} ORDER BY rowid").fetchall()
            for name in ("cases", "events", "states", "departments")
        }


@pytest.fixture
def both_ways(run, ledger_file, tmp_path, monkeypatch):
    """Import the same file into two copies of the ledger, read here and read beside (two
    readers, 7 rows a share); returns both results and both ledgers' tables."""

    def compare(*args: str | Path):
        here_db = tmp_path / "here.db"
        beside_db = tmp_path / "beside.db"
        here_db.write_bytes(ledger_file.read_bytes())
        beside_db.write_bytes(ledger_file.read_bytes())
        monkeypatch.setattr(sheets, "BATCH", 7)
        used: list[bool] = []
        original = readahead.read_beside

        def counted(*given):
            rows = original(*given)
            used.append(rows is not None)
            return rows

        monkeypatch.setattr(readahead, "read_beside", counted)
        monkeypatch.setattr(readahead, "WORTH_IT", 1 << 62)
        monkeypatch.setenv("LEDGER_DB", str(here_db))
        here = run(*args)
        assert used == []
        monkeypatch.setattr(readahead, "WORTH_IT", 0)
        monkeypatch.setenv("LEDGER_DB", str(beside_db))
        beside = run(*args)
        assert used == [True], "the file was not read beside"
        return here, beside, here_db, beside_db

    return compare


def same(here, beside, here_db: Path, beside_db: Path) -> None:
    assert (beside.exit_code, beside.stdout, beside.stderr) == (
        here.exit_code,
        here.stdout,
        here.stderr,
    )
    assert tables(beside_db) == tables(here_db)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_book_read_beside_gives_the_same_ledger(both_ways, tmp_path, lang):
    here, beside, *dbs = both_ways("--lang", lang, "import", book(tmp_path / "book.csv"))
    assert here.exit_code == 0, here.stderr
    same(here, beside, *dbs)
    assert tables(dbs[1])["cases"], "nothing was imported"
    # the skipped rows are counted once, whichever reader met them (3 empty and 2 合计
    # rows in each of the three copies)
    counts = {"en": "9 empty rows and 6 total rows", "zh": "空行 9 行、合计/小计/总计行 6 行"}
    assert counts[lang] in beside.stdout


def test_rows_without_ids_and_new_departments_read_beside(both_ways, tmp_path):
    def new_department(copy: int, index: int, row: list[str]) -> None:
        if index % 5 == 0:
            row[11] = f"新单位{index % 3}"

    path = book(tmp_path / "book.csv", ids=False, extra=new_department)
    here, beside, *dbs = both_ways("import", path, "--add-departments")
    assert here.exit_code == 0, here.stderr
    same(here, beside, *dbs)
    assert any(row[1].startswith("新单位") for row in tables(dbs[1])["departments"])


def test_cells_past_the_header_are_named_alike_read_beside(both_ways, tmp_path):
    """Each reader notes the unnamed columns its rows fill: the report names them all once."""

    def past_the_header(copy: int, index: int, row: list[str]) -> None:
        if copy == 2 and index == 30:  # far down: the second reader's share
            row += ["", "", "", "", "", "", "", "表外"]
        elif copy == 1 and index == 3:
            row += ["表外"]

    path = book(tmp_path / "book.csv", extra=past_the_header)
    here, beside, *dbs = both_ways("import", path)
    assert here.exit_code == 0, here.stderr
    same(here, beside, *dbs)
    width = len(sample_rows()[0])
    named = [workbooks.column_letter(width + 1), workbooks.column_letter(width + 8)]
    for letter in named:
        assert f"column {letter} (no header: what it holds was not imported)" in beside.stderr


def test_dates_without_a_year_read_beside(both_ways, tmp_path):
    path = book(tmp_path / "book.csv", extra=yearless)
    here, beside, *dbs = both_ways("import", path, "--year", "2026")
    assert here.exit_code == 0, here.stderr
    same(here, beside, *dbs)
    # every third receipt of three copies, counted by the reader that read it
    assert "48 dates written without a year read as 2026 (--year)" in beside.stdout


def test_bad_rows_read_beside_are_reported_alike_and_nothing_is_written(
    both_ways, tmp_path, ledger_file
):
    def spoil(copy: int, index: int, row: list[str]) -> None:
        if index == 3:
            row[2] = "2026-13-45 08:00"  # no such day
        if index == 10 and copy == 2:
            row[0] = "2026-1010"  # the id of a row another reader read
        if index == 20:
            row[11] = "不存在单位"
        if index == 30:
            row[5] = "138****0001"

    before = digest(ledger_file)
    here, beside, *dbs = both_ways("import", book(tmp_path / "book.csv", extra=spoil))
    assert here.exit_code == 1
    same(here, beside, *dbs)
    assert "2026-1010" in beside.stderr and "不存在单位" in beside.stderr
    assert tables(dbs[1])["cases"] == []
    assert digest(ledger_file) == before


def test_a_ledger_with_cases_compares_rows_read_beside(run, both_ways, tmp_path):
    path = book(tmp_path / "book.csv")
    assert run("import", path).exit_code == 0  # into the ledger both copies start from

    def change(copy: int, index: int, row: list[str]) -> None:
        if index == 4:
            row[6] = "另一个事项"

    here, beside, *dbs = both_ways("import", book(tmp_path / "again.csv", extra=change))
    assert here.exit_code == 1
    same(here, beside, *dbs)
    for line, case in ((7, "2026-1005"), (58, "2026-2005"), (109, "2026-3005")):
        assert f"line {line}: Case {case} is already in the ledger" in beside.stderr
    assert "3 bad rows; nothing was imported." in beside.stderr


@pytest.mark.parametrize(
    "damage, message",
    [
        (b"\xff\xfe bad bytes", "cannot be decoded as utf-8"),
        (b"\x00", "NUL byte"),
    ],
)
def test_a_file_bad_after_its_header_is_refused_alike(
    both_ways, tmp_path, ledger_file, damage, message
):
    path = book(tmp_path / "book.csv")
    data = path.read_bytes()
    cut = data.rindex(b"\n", 0, len(data) * 2 // 3) + 1
    path.write_bytes(data[:cut] + damage + data[cut:])
    before = digest(ledger_file)
    here, beside, *dbs = both_ways("import", path, "--encoding", "utf-8")
    assert here.exit_code == 1
    same(here, beside, *dbs)
    assert message in beside.stderr and len(beside.stderr.strip().splitlines()) == 1
    assert tables(dbs[1])["cases"] == []
    assert digest(ledger_file) == before


def test_a_quote_never_closed_is_refused_alike_with_its_line(both_ways, tmp_path, ledger_file):
    """Read loosely, an open quote took every later line into one cell: the rows after it
    were gone without a word, their text in one case's cause."""
    path = book(tmp_path / "book.csv")
    data = path.read_bytes()
    cut = data.rindex(b"\n", 0, len(data) * 2 // 3) + 1
    line = data[:cut].count(b"\n") + 1
    # the rest of the book without its own quotes, so that none closes the one opened
    path.write_bytes(data[:cut] + b'2026-9999,"opened\n' + data[cut:].replace(b'"', b""))
    before = digest(ledger_file)
    here, beside, *dbs = both_ways("import", path, "--encoding", "utf-8")
    assert here.exit_code == 1
    same(here, beside, *dbs)
    assert f'a quote (") opened on line {line} is never closed' in beside.stderr
    assert len(beside.stderr.strip().splitlines()) == 1
    assert tables(dbs[1])["cases"] == []
    assert digest(ledger_file) == before


# a reader that takes its setup, says it is ready and ends without a row, as a killed one would
READY_THEN_GONE = (
    "import pickle, sys; pickle.load(sys.stdin.buffer); "
    "pickle.dump(('ready',), sys.stdout.buffer); sys.stdout.flush()"
)


def test_a_reader_that_stops_half_way_refuses_the_import(refused, tmp_path, monkeypatch):
    monkeypatch.setattr(readahead, "_START", READY_THEN_GONE)
    monkeypatch.setattr(readahead, "WORTH_IT", 0)
    line = refused("import", book(tmp_path / "book.csv"))
    assert "stopped half-way" in line and "nothing was imported" in line


@pytest.mark.parametrize(
    "start",
    [
        "raise SystemExit(3)",  # a Python that cannot import the ledger's code, say
        "import sys; sys.stdin.buffer.read(); print('usage: …')",  # not a Python at all
    ],
)
def test_where_no_reader_gets_ready_the_file_is_read_here(run, tmp_path, monkeypatch, start):
    monkeypatch.setattr(readahead, "WORTH_IT", 0)
    monkeypatch.setattr(readahead, "_START", start)
    result = run("import", book(tmp_path / "book.csv"))
    assert result.exit_code == 0, result.stderr
    assert "Imported: 138 new cases" in result.stdout


def test_where_no_reader_can_start_the_file_is_read_here(run, tmp_path, monkeypatch):
    monkeypatch.setattr(readahead, "WORTH_IT", 0)
    monkeypatch.setattr(readahead.sys, "executable", str(tmp_path / "no-such-python"))
    result = run("import", book(tmp_path / "book.csv"))
    assert result.exit_code == 0, result.stderr
    assert "Imported: 138 new cases" in result.stdout


def test_a_frozen_ledger_reads_here(tmp_path, monkeypatch):
    path = book(tmp_path / "book.csv")
    monkeypatch.setattr(readahead, "WORTH_IT", 0)
    assert readahead.worth_it(path)
    monkeypatch.setattr(readahead.sys, "frozen", True, raising=False)
    assert not readahead.worth_it(path)


def test_readers_left_behind_are_stopped(tmp_path, monkeypatch):
    """An import ended early (a bad ledger write, Ctrl-C) leaves no reader running."""
    from ledger.calendar import WorkCalendar

    monkeypatch.setattr(sheets, "BATCH", 3)
    path = book(tmp_path / "book.csv")
    reader = sheets.RowReader(WorkCalendar(), {"simple": 1}, [], True, "2026-11-26 09:00",
                              __import__("datetime").date(2026, 11, 26), None)  # fmt: skip
    started: list[subprocess.Popen] = []
    popen = subprocess.Popen

    def kept(*args, **kwargs):
        started.append(popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(readahead.subprocess, "Popen", kept)
    header, _ = sample_rows()
    mapping, _unknown = sheets.map_header(header)
    with path.open("rb") as opened:
        place = readahead.Place(
            path, "utf-8-sig", 2, mapping, (len(header), ()), True, sheets.file_identity(opened)
        )
    rows = readahead.read_beside(reader, place, None)
    assert rows is not None
    first = next(rows)
    assert first[0] == 3  # the first row after the header, from the first reader
    rows.close()  # as an exception in the importer would
    assert len(started) == readahead.READERS
    assert all(process.returncode is not None for process in started)


def test_a_workbook_is_never_read_beside(run, tmp_path, monkeypatch):
    from openpyxl import Workbook

    header, body = sample_rows()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in body:
        sheet.append(row)
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    monkeypatch.setattr(readahead, "WORTH_IT", 0)

    def refuse(*_args):
        raise AssertionError("a workbook was read beside")

    monkeypatch.setattr(readahead, "read_beside", refuse)
    result = run("import", path)
    assert result.exit_code == 0, result.stderr


def test_a_file_saved_over_after_its_header_is_read_as_it_was_opened(
    run, tmp_path, monkeypatch, ledger_file
):
    """An editor or a sync tool that puts a new copy in the file's place while the import
    starts: the readers would read the new rows by the old header. They read the file this
    process opened, or none (then it is read here, as it was opened)."""
    path = book(tmp_path / "book.csv")
    original = path.read_bytes()
    # the same book with the applicant and matter columns swapped, header and all
    swapped = tmp_path / "swapped.csv"
    rows = list(csv.reader(io.StringIO(original.decode("utf-8-sig"))))
    for row in rows:
        if len(row) > 6:
            row[4], row[6] = row[6], row[4]
    swapped.write_text("\ufeff" + "".join(",".join(map(_cell, r)) + "\n" for r in rows), "utf-8")
    expected_db = tmp_path / "expected.db"
    expected_db.write_bytes(ledger_file.read_bytes())
    monkeypatch.setenv("LEDGER_DB", str(expected_db))
    assert run("import", path).exit_code == 0

    monkeypatch.setenv("LEDGER_DB", str(ledger_file))
    monkeypatch.setattr(readahead, "WORTH_IT", 0)
    monkeypatch.setattr(sheets, "BATCH", 7)
    real = readahead.read_beside

    def saved_over(*given):
        swapped.replace(path)  # between this process's open and the readers'
        return real(*given)

    monkeypatch.setattr(readahead, "read_beside", saved_over)
    result = run("import", path)
    assert result.exit_code == 0, result.stderr
    assert tables(ledger_file) == tables(expected_db)


def test_a_reader_writes_every_byte_of_a_message_cut_short(tmp_path, monkeypatch):
    """A write to a pipe can be cut short (Ctrl-Z, then fg): the reader writes the rest."""
    import os
    import pickle

    from ledger.calendar import WorkCalendar
    from ledger.i18n import language

    path = book(tmp_path / "book.csv")
    header, _ = sample_rows()
    mapping, _unknown = sheets.map_header(header)
    with path.open("rb") as opened:
        place = readahead.Place(
            path, "utf-8-sig", 2, mapping, (len(header), ()), True, sheets.file_identity(opened)
        )
    reader = sheets.RowReader(
        WorkCalendar(), {"simple": 1, "standard": 5, "complex": 15}, ["市场准入"], True,
        "2026-11-26 09:00", __import__("datetime").date(2026, 11, 26), None,
    )  # fmt: skip
    given = tmp_path / "setup"
    given.write_bytes(pickle.dumps((language(), readahead._setup(reader), place, (0, 1, 7))))
    write = os.write
    monkeypatch.setattr(readahead.os, "write", lambda fd, data: write(fd, bytes(data[:7])))
    sent = tmp_path / "sent"
    with given.open("rb") as setup, sent.open("wb") as out:
        readahead._serve(setup, out)
    messages = []
    with sent.open("rb") as back:
        while True:
            try:
                messages.append(pickle.load(back))
            except EOFError:
                break
    assert messages[0] == ("ready",) and messages[-1] == ("end",)
    rows = [row for kind, *payload in messages if kind == "rows" for row in payload[0]]
    assert len(rows) == 138 and [row[0] for row in rows] == sorted(row[0] for row in rows)


def test_a_reader_runs_with_the_flags_this_python_has(tmp_path, monkeypatch):
    """A ledger run as `python -I` (no PYTHONPATH, no user site) starts its readers so."""
    monkeypatch.setattr(readahead.subprocess, "_args_from_interpreter_flags", lambda: ["-I"])
    started: list[list[str]] = []
    popen = subprocess.Popen

    def kept(args, **kwargs):
        started.append(args)
        return popen(args, **kwargs)

    monkeypatch.setattr(readahead.subprocess, "Popen", kept)
    path = book(tmp_path / "book.csv")
    header, _ = sample_rows()
    mapping, _unknown = sheets.map_header(header)
    with path.open("rb") as opened:
        place = readahead.Place(
            path, "utf-8-sig", 2, mapping, (len(header), ()), True, sheets.file_identity(opened)
        )
    from ledger.calendar import WorkCalendar

    reader = sheets.RowReader(WorkCalendar(), {"simple": 1}, [], True, "2026-11-26 09:00",
                              __import__("datetime").date(2026, 11, 26), None)  # fmt: skip
    rows = readahead.read_beside(reader, place, None)
    assert rows is not None
    rows.close()
    assert started and all(args[1:3] == ["-I", "-P"] for args in started)


def test_a_header_repeated_with_its_title_is_skipped_alike_read_beside(both_ways, tmp_path):
    """Two books pasted one under the other: the second one's title and header are skipped
    by whichever reader meets them, and every reader reads the dates below that title in its
    year (the rows of both readers' shares below it are the second book's)."""

    path = book(tmp_path / "book.csv", ids=False, extra=yearless)
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    header, second = lines[1], len(lines) // 2
    lines[second:second] = ["东港区窗口登记台账（2025年10月）\n", header]
    path.write_text("\ufeff" + "".join(lines), encoding="utf-8")
    here, beside, *dbs = both_ways("import", path)
    assert here.exit_code == 0, here.stderr
    same(here, beside, *dbs)
    assert "Skipped 1 header row repeated below the first and 1 title row" in beside.stdout
    received = [row[4][:4] for row in tables(dbs[1])["cases"]]
    # the yearless receipts below the second title are of 2025, the rest as written
    assert received.count("2025") and received.count("2026")
    said = {"2026 (the year in the title row)": 0, "nearest title row above them": 0}
    for line in beside.stdout.splitlines():
        for words in said:
            if words in line:
                said[words] = int(line.split()[0])
    assert said["2026 (the year in the title row)"] + said["nearest title row above them"] == 48
    assert received.count("2025") == said["nearest title row above them"]


def test_a_title_across_the_new_year_is_read_alike_beside(both_ways, tmp_path):
    path = book(tmp_path / "book.csv", extra=yearless)
    across = "（2025年11月—2026年10月）"
    text = path.read_text(encoding="utf-8-sig").replace("（2026年10月）", across)
    path.write_text("\ufeff" + text, encoding="utf-8")
    here, beside, *dbs = both_ways("import", path)
    assert here.exit_code == 0, here.stderr
    same(here, beside, *dbs)
    assert "48 dates written without a year read as 2025" in beside.stdout
    assert "Of them, 48 read as 2026: the title names" in beside.stdout


def test_a_tab_separated_book_is_read_alike_beside(both_ways, tmp_path):
    """The readers split the cells as this process found the header split: at tabs."""
    commas = book(tmp_path / "book.csv")
    rows = list(csv.reader(io.StringIO(commas.read_text(encoding="utf-8-sig"))))
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(rows)
    path = tmp_path / "book.txt"
    path.write_bytes(out.getvalue().encode("gb18030"))
    here, beside, *dbs = both_ways("import", path)
    assert here.exit_code == 0, here.stderr
    same(here, beside, *dbs)
    assert "Columns read as separated by tabs (not commas)." in beside.stdout
    assert len(tables(dbs[1])["cases"]) == len(tables(dbs[0])["cases"]) > 0
