"""SPEC §13: `ledger city` — each window's row is that window's own `weekly --json`, counted
by the ledger's own report code over its pack, read-only; the README's DuckDB query agrees."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import build_window, digest

from ledger.reports import CITY_THRESHOLDS, FIGURE_KEYS

ROOT = Path(__file__).parent.parent
PERIODS = [
    ("2026-09-28", "2026-10-04"),  # National Day
    ("2026-10-05", "2026-10-11"),  # the make-up Saturday
    ("2026-10-12", "2026-10-18"),
    ("2026-09-01", "2026-10-31"),
]


def ok(run, *args):
    result = run(*args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


@pytest.fixture(scope="module")
def packs(tmp_path_factory, empty_ledger):
    """Three windows with different work, one with a day off of its own, each packed."""
    from typer.testing import CliRunner

    from ledger.cli import app

    folder = tmp_path_factory.mktemp("city")
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(app, [str(a) for a in args])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    made = []
    for variant, (code, day_off) in enumerate(
        (("XH-01", None), ("GS-02", "2026-10-09"), ("BJ-03", None))
    ):
        db = folder / f"{code}.db"
        shutil.copyfile(empty_ledger, db)
        build_window(run, db, code, variant, day_off)
        # a work order late since 09-25 whose clock was stopped (中止计时) on 10-13: open, and
        # not late from then on — in `city` and in the DuckDB query alike
        paused = f"2026-{7 + variant * 3:04d}"
        for args in (
            (
                "add",
                "--applicant",
                "待鉴定",
                "--matter",
                "房屋安全鉴定",
                "--at",
                "2026-09-22 10:00",
            ),
            ("dispatch", paused, "--dept", "税务", "--at", "2026-09-22 10:30"),
            ("pause", paused, "--reason", "等专家意见", "--at", "2026-10-13 09:00"),
        ):
            assert run("--db", db, *args).exit_code == 0, args
        pack = folder / "packs" / f"{code}.db"
        pack.parent.mkdir(exist_ok=True)
        result = run("--db", db, "pack", pack)
        assert result.exit_code == 0, result.stderr
        made.append((db, pack))
    return made


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_each_windows_row_is_its_own_weekly(run, packs, start, end):
    report = ok(run, "city", *(p for _, p in packs), "--from", start, "--to", end, "--json").json()
    assert (report["from"], report["to"]) == (start, end)
    assert [w["window"]["code"] for w in report["windows"]] == ["XH-01", "GS-02", "BJ-03"]
    for (db, _), row in zip(packs, report["windows"], strict=True):
        own = ok(run, "--db", db, "weekly", "--from", start, "--to", end, "--json").json()
        assert row == {"window": own["window"], **own}
    received = [w["received"] for w in report["windows"]]
    assert len(set(received)) > 1 or start == "2026-10-12"  # three windows, three sets


@pytest.mark.parametrize("period", [("--month", "2026-10"), ("--quarter", "2026-Q4")])
def test_a_month_or_a_quarter_is_each_windows_own(run, packs, period):
    report = ok(run, "city", *(p for _, p in packs), *period, "--json").json()
    assert report["from"] == "2026-10-01"
    for (db, _), row in zip(packs, report["windows"], strict=True):
        own = ok(run, "--db", db, "weekly", *period, "--json").json()
        assert row == {"window": own["window"], **own}
    assert report["total"]["to_report"] == sum(w["to_report"] for w in report["windows"])


def test_the_total_adds_counts_and_divides_sums(run, packs):
    start, end = PERIODS[-1]
    report = ok(run, "city", *(p for _, p in packs), "--from", start, "--to", end, "--json").json()
    rows, total = report["windows"], report["total"]
    assert total["windows"] == 3
    for key in ("received", "resolved", "resolved_on_time", "closed", "open", "overdue"):
        assert total[key] == sum(r[key] for r in rows), key
    assert total["on_time_rate"] == round(total["resolved_on_time"] / total["resolved"], 4)
    answered = sum(round(r["feedback_rate"] * r["resolved"]) for r in rows if r["resolved"])
    assert total["feedback_rate"] == round(answered / total["resolved"], 4)
    days = sum(r["avg_working_days_to_resolve"] * r["resolved"] for r in rows if r["resolved"])
    assert total["avg_working_days_to_resolve"] == pytest.approx(days / total["resolved"], 0.01)
    for key in ("by_section", "by_problem", "by_channel"):
        summed: dict[str, int] = {}
        for row in rows:
            for code, count in row[key].items():
                summed[code] = summed.get(code, 0) + count
        assert total[key] == summed, key
    assert set(FIGURE_KEYS) <= set(total)


def test_windows_below_a_line_are_named_with_what_fell_short(run, packs):
    start, end = PERIODS[-1]
    report = ok(run, "city", *(p for _, p in packs), "--from", start, "--to", end, "--json").json()
    assert report["thresholds"] == CITY_THRESHOLDS
    expected = []
    for row in report["windows"]:
        short = {
            key: row[key]
            for key, line in CITY_THRESHOLDS.items()
            if row[key] is not None and row[key] < line
        }
        if short:
            expected.append({"window": row["window"], "short": short})
    assert report["below_threshold"] == expected
    assert expected, "the fortnight's windows fall short somewhere"


def test_the_table_and_the_sheet(run, packs, tmp_path):
    paths = [p for _, p in packs]
    table = ok(run, "city", *paths, "--week", "2026-W41").stdout
    assert "XH-01" in table and "Total" in table and "3 windows" in table
    zh = ok(run, "--lang", "zh", "city", *paths, "--week", "2026-W41").stdout
    assert "合计" in zh and "各窗口汇总" in zh
    # the answer rate is 反馈率 everywhere: 回访 is a follow-up call, another thing
    assert "反馈=反馈率" in zh and "回访" not in zh
    out = tmp_path / "city.csv"
    ok(run, "city", *paths, "--week", "2026-W41", "--csv", out)
    if os.name == "posix":
        assert (out.stat().st_mode & 0o777) == 0o600
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    codes = [r[0] for r in rows if r and r[0] in ("XH-01", "GS-02", "BJ-03")]
    assert codes[:3] == ["XH-01", "GS-02", "BJ-03"]
    report = ok(run, "city", *paths, "--week", "2026-W41", "--json").json()
    header = rows[1]
    first = dict(zip(header, rows[2], strict=True))
    assert first["Received"] == str(report["windows"][0]["received"])
    rate = report["windows"][0]["on_time_rate"]
    assert first["On-time rate"] == ("" if rate is None else f"{rate:.1%}")


def test_the_citys_workbook(run, packs, tmp_path):
    """`--csv FILE.xlsx`: the same figures in a workbook, rates as percentage numbers, a
    chart of each breakdown of the total."""
    from openpyxl import load_workbook

    paths = [p for _, p in packs]
    out = tmp_path / "city.xlsx"
    ok(run, "city", *paths, "--week", "2026-W41", "--csv", out)
    report = ok(run, "city", *paths, "--week", "2026-W41", "--json").json()
    sheet = load_workbook(out).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[1]
    first = dict(zip(header, rows[2], strict=False))
    assert first["Code"] == "XH-01"
    assert first["Received"] == report["windows"][0]["received"]
    column = header.index("On-time rate") + 1
    cell = sheet.cell(row=3, column=column)
    if report["windows"][0]["on_time_rate"] is not None:
        assert cell.value == report["windows"][0]["on_time_rate"]
        assert cell.number_format == "0.0%"
    assert len(sheet._charts) == 4
    # the windows' header stays in view under the title (row 1 alone was frozen)
    assert sheet.freeze_panes == "A3" and rows[1][0] == "Code"
    # a sheet's name (31 characters at most) is the title's parts that fit whole, never a
    # date cut in two (`Windows · 2026-10-05 to 2026-10`)
    assert sheet.title == "Windows" and rows[0][0] == "Windows · 2026-10-05 to 2026-10-11"
    ok(run, "--lang", "zh", "city", *paths, "--week", "2026-W41", "--csv", out)
    sheet = load_workbook(out).active
    assert sheet.title == "各窗口汇总 · 2026-10-05 至 2026-10-11" and sheet.freeze_panes == "A3"


def test_packs_are_only_read(run, packs, tmp_path):
    folder = tmp_path / "share"
    shutil.copytree(packs[0][1].parent, folder)
    before = {p.name: (digest(p), p.stat().st_mtime_ns) for p in folder.iterdir()}
    os.chmod(folder, 0o500)
    try:
        ok(run, "city", *sorted(folder.iterdir()), "--week", "2026-W41", "--json")
        ok(run, "city", *sorted(folder.iterdir()), "--week", "2026-W41")
    finally:
        os.chmod(folder, 0o700)
    after = {p.name: (digest(p), p.stat().st_mtime_ns) for p in folder.iterdir()}
    assert after == before  # no journal, no -wal, no -shm, not a byte changed


def test_city_needs_no_ledger_and_makes_none(run, packs, ledger_file, tmp_path):
    ledger_file.unlink()
    ok(run, "city", *(p for _, p in packs), "--week", "2026-W41", "--json")
    assert not ledger_file.exists()
    assert not (tmp_path / ".ledger-cache").exists()


def _crafted(pack: Path, target: Path, *statements: str) -> Path:
    shutil.copyfile(pack, target)
    with sqlite3.connect(target) as conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()
    return target


def test_a_bad_pack_is_one_clear_line(run, refused, packs, tmp_path):
    good = [p for _, p in packs]
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 100)
    empty = tmp_path / "empty.db"
    empty.touch()
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    trigger = _crafted(
        good[0],
        tmp_path / "trigger.db",
        "CREATE TRIGGER leak AFTER INSERT ON cases BEGIN SELECT 1; END",
    )
    view = _crafted(good[0], tmp_path / "view.db", "CREATE VIEW v_more AS SELECT 1")
    changed = _crafted(
        good[0],
        tmp_path / "changed.db",
        "DROP VIEW v_cases",
        "CREATE VIEW v_cases AS SELECT * FROM cases",
    )
    newer = _crafted(good[0], tmp_path / "newer.db", "UPDATE pack_info SET pack_format = 99")
    newer_schema = _crafted(good[0], tmp_path / "schema.db", "PRAGMA user_version = 99")
    damaged = tmp_path / "damaged.db"
    data = bytearray(good[0].read_bytes())
    data[4096 * 3 : 4096 * 40] = b"\xff" * (4096 * 37)
    damaged.write_bytes(bytes(data))
    twice = _crafted(good[1], tmp_path / "twice.db", "UPDATE pack_info SET window_code = 'xh-01'")
    # a code no window is given (its tables as a pack's): the line was changed, not the schema
    no_code = _crafted(good[1], tmp_path / "nocode.db", "UPDATE pack_info SET window_code = 'W 1'")
    for bad, message in (
        (no_code, "damaged (pack_info.window_code)"),
        (tmp_path / "missing.db", "There is no pack"),
        (tmp_path, "not a pack"),
        (text, "not a pack"),
        (empty, "not a pack"),
        (foreign, "not a pack"),
        (packs[0][0], "a window's ledger, not a pack"),
        (trigger, "a pack does not have"),
        (view, "a pack does not have"),
        (changed, "a pack does not have"),
        (newer, "another version"),
        (newer_schema, "another version"),
        (twice, "the same window (xh-01)"),
    ):
        before = digest(bad) if bad.is_file() else None
        line = refused("city", *good, bad, "--week", "2026-W41", message=message)
        assert str(bad.name) in line
        assert (digest(bad) if bad.is_file() else None) == before
    line = refused("city", *good, damaged, "--week", "2026-W41", "--json")
    assert "damaged.db" in line and ("cannot be read" in line or "not a pack" in line)
    assert not damaged.with_name("damaged.db.damaged").exists()
    line = "Give one of"
    refused("city", *good, "--week", "2026-W41", "--from", "2026-10-01", code=2, message=line)
    refused("city", *good, "--from", "2026-10-01", code=2, message="both --from and --to")
    refused("city", *good, "--week", "2026-W41", "--csv", good[0], message="one of the packs")
    refused("city", *good, "--week", "2026-W41", "--csv", tmp_path / "no" / "x.csv")
    refused("city", "--week", "2026-W41", code=2)


def _index_that_lies(pack: Path, target: Path) -> Path:
    """A pack whose index of receipt times holds one case while its stated SQL says all:
    the schema reads as the pack's own, SQLite's quick check passes, a count goes wrong."""
    shutil.copyfile(pack, target)
    conn = sqlite3.connect(target, isolation_level=None)
    name, sql = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases' "
        "AND sql LIKE '%received_at%'"
    ).fetchone()
    conn.execute(f"DROP INDEX {name}")
    (first,) = conn.execute("SELECT min(id) FROM cases").fetchone()
    conn.execute(f"{sql} WHERE id = '{first}'")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (sql, name))
    conn.execute("PRAGMA writable_schema = OFF")
    conn.close()
    assert sqlite3.connect(target).execute("PRAGMA quick_check").fetchone()[0] == "ok"
    return target


def test_a_damaged_or_altered_pack_is_refused_before_anything_is_counted(
    run, refused, packs, tmp_path
):
    good = [p for _, p in packs]
    lying = _index_that_lies(good[0], tmp_path / "lying.db")
    no_day = _crafted(
        good[0], tmp_path / "no_day.db", "UPDATE working_days SET date = NULL WHERE rowid = 3"
    )
    bad_day = _crafted(
        good[0],
        tmp_path / "bad_day.db",
        "UPDATE working_days SET date = '2026-02-30' WHERE rowid = 3",
    )
    wal = _crafted(good[0], tmp_path / "wal.db", "PRAGMA journal_mode = WAL")
    for bad, message in (
        (lying, "is damaged"),
        (no_day, "is damaged (working_days)"),
        (bad_day, "is damaged (working_days)"),
        (wal, "write-ahead-log"),
    ):
        before = digest(bad)
        line = refused("city", *good[1:], bad, "--week", "2026-W41", message=message)
        assert bad.name in line and digest(bad) == before
        assert not list(bad.parent.glob(f"{bad.name}-*"))  # no -wal or -shm left beside it
    # each flipped page of a pack is refused, or counted exactly as the good pack is
    want = ok(run, "city", good[0], "--week", "2026-W41", "--json").json()["windows"]
    data = good[0].read_bytes()
    for n, page in enumerate(range(1, len(data) // 4096, max(1, len(data) // 4096 // 25))):
        flipped = tmp_path / f"flip{n}.db"
        changed = bytearray(data)
        changed[page * 4096 + 100 : page * 4096 + 116] = bytes(16)
        flipped.write_bytes(bytes(changed))
        result = run("city", flipped, "--week", "2026-W41", "--json")
        assert "Traceback" not in result.stderr and "Internal error" not in result.stderr
        assert result.exit_code == 1 or result.json()["windows"] == want, page


def _duckdb_script(tmp_path: Path) -> Path:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- duckdb-query -->\n```python\n(.*?)```", readme, re.S)
    assert found, "the README shows the DuckDB script after <!-- duckdb-query -->"
    script = tmp_path / "city_counts.py"
    script.write_text(found.group(1), encoding="utf-8")
    return script


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_the_readmes_duckdb_query_agrees_with_city(run, packs, tmp_path, start, end):
    pytest.importorskip("duckdb")
    script = _duckdb_script(tmp_path)
    paths = [str(p) for _, p in packs]
    done = subprocess.run(
        [sys.executable, str(script), start, end, *paths],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    counted = {}
    for line in done.stdout.splitlines():
        code, *numbers = line.split("\t")
        counted[code] = [int(n) for n in numbers]
    report = ok(run, "city", *paths, "--from", start, "--to", end, "--json").json()
    expected = {
        w["window"]["code"]: [w["received"], w["resolved"], w["open"], w["overdue"]]
        for w in report["windows"]
    }
    assert counted == expected
    assert json.dumps(counted) != json.dumps({})


@pytest.mark.parametrize("version", [5, 4])
def test_a_pack_of_version_4_or_5_counts_as_its_window_packed_again_would(
    run, refused, packs, tmp_path, version
):
    """Schema step 5 changed no table, step 6 added the settings' history (a window that kept
    none has its settings in force on every day): a window's pack made before them is
    counted, so that 150 windows need not pack again at once; a pack of version 3 is still
    refused."""
    steps = [
        "DROP TABLE calendar_changes",
        "DELETE FROM _sqlite_migrations WHERE name = 'm007_calendar_history'",
        "DROP TABLE setting_changes",
        "DELETE FROM _sqlite_migrations WHERE name = 'm006_setting_history'",
    ]
    if version == 4:
        steps.append("DELETE FROM _sqlite_migrations WHERE name = 'm005_pause_reasons'")
    older = [
        _crafted(
            pack, tmp_path / f"v{version}-{pack.name}", *steps, f"PRAGMA user_version = {version}"
        )
        for _, pack in packs
    ]
    period = ("--month", "2026-10", "--json")
    now = ok(run, "city", *(p for _, p in packs), *period).json()
    assert ok(run, "city", *older, *period).json() == now
    v3 = _crafted(older[0], tmp_path / "v3.db", "PRAGMA user_version = 3")
    refused("city", v3, "--week", "2026-W41", message="3.")


def test_a_pack_of_another_format_names_both_versions(run, refused, packs, tmp_path):
    other = tmp_path / "fmt.db"
    shutil.copyfile(packs[0][1], other)
    conn = sqlite3.connect(other)
    from ledger.packs import PACK_FORMAT
    from ledger.store import SCHEMA_VERSION

    conn.execute("UPDATE pack_info SET pack_format = ?", (PACK_FORMAT + 1,))
    conn.commit()
    conn.close()
    line = refused("city", other, "--week", "2026-W41")
    assert (
        f"{SCHEMA_VERSION}.{PACK_FORMAT + 1}" in line and f"{SCHEMA_VERSION}.{PACK_FORMAT}" in line
    )


@pytest.mark.parametrize(
    "statements",
    [
        ("UPDATE states SET deadline = NULL, feedback_due = NULL",),
        ("UPDATE cases SET deadline = 'abc'", "UPDATE states SET deadline = 'abc'"),
        # what no window writes, each of which was counted (figures changed, exit 0) or
        # ended in an internal error naming no pack
        ("UPDATE cases SET channel = X'00ff'",),
        ("UPDATE states SET problem = X'00ff' WHERE rowid = 3",),
        ("UPDATE states SET valid_from = 'abc'",),
        ("UPDATE cases SET received_at = replace(received_at, ' ', 'T')",),
        ("UPDATE states SET valid_until = '' WHERE valid_until LIKE '9999%'",),
        ("UPDATE pack_info SET as_of = as_of || 'xyz'",),
        ("UPDATE states SET status = 'flying' WHERE rowid = 3",),
        ("UPDATE states SET change = 'fly' WHERE rowid = 3",),
        ("UPDATE events SET changes = '[[' WHERE rowid = 5",),
        ("UPDATE cases SET sections = 'market,moon' WHERE rowid = 4",),
        ("UPDATE events SET status_to = 'gone' WHERE rowid = 4",),
        ("UPDATE cases SET received_at = replace(received_at, '-10-', '-13-')",),
        ("UPDATE states SET valid_until = '2000-01-01 00:00' WHERE valid_until LIKE '9999%'",),
        ("UPDATE states SET case_id = '2026-9999' WHERE rowid = 3",),
        ("UPDATE cases SET department_id = 999 WHERE department_id IS NOT NULL",),
    ],
    ids=[
        "no deadlines",
        "words for dates",
        "channel in bytes",
        "problem in bytes",
        "as-of start no time",
        "receipt with a T",
        "as-of end empty",
        "pack day no day",
        "unknown status",
        "unknown move",
        "changes not JSON",
        "unknown section",
        "timeline status unknown",
        "receipt in month 13",
        "as-of row ending before it began",
        "as-of row of no case",
        "department that is not there",
    ],
)
def test_a_pack_whose_values_the_ledger_cannot_read_is_named(
    run, refused, packs, tmp_path, statements
):
    """Pages sound, schema its own, yet values written by another program: of 150 packs the
    city learns which one (once: an internal error naming none)."""
    odd = _crafted(
        packs[1][1], tmp_path / "odd.db", "UPDATE pack_info SET window_code = 'ZZ-09'", *statements
    )
    before = digest(odd)
    result = run("city", packs[0][1], odd, "--month", "2026-10")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(odd) in lines[0] and "Internal error" not in lines[0], lines
    assert "Ask the window to pack and send it again" in lines[0]
    assert digest(odd) == before


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (b"\xe8\xa5\xbf\xe6\xb9\x96\xff", "西湖\ufffd"),  # bytes, read with �
        ("拱墅区窗口: On-time rate 41.2%\n西湖窗口", "拱墅区窗口: On-time rate 41.2% ⏎ 西湖窗口"),
    ],
)
def test_a_windows_name_is_one_line_of_text_whatever_the_pack_holds(
    run, packs, tmp_path, name, shown
):
    """Bytes there ended `city` in an internal error naming no pack; a line end printed a
    line of its own under "Windows below the lines", where it read as another window's."""
    odd = tmp_path / "odd.db"
    shutil.copyfile(packs[1][1], odd)
    with sqlite3.connect(odd) as conn:
        conn.execute("UPDATE pack_info SET window_name = ?", (name,))
    conn.close()
    report = ok(run, "city", odd, "--week", "2026-W41", "--json").json()
    assert report["windows"][0]["window"]["name"] == shown
    table = ok(run, "--lang", "en", "city", odd, "--week", "2026-W41").stdout
    assert not any(line.lstrip().startswith("西湖窗口") for line in table.splitlines())


def test_a_year_the_windows_had_not_confirmed_is_warned_of(run, packs, tmp_path, monkeypatch):
    """SPEC §3: a result that depends on an unconfirmed year warns. A pack's calendar once
    counted as confirmed for every year it held, the assumed ones too."""
    from conftest import first_unconfirmed_year

    year = first_unconfirmed_year()
    _on(monkeypatch, dt.date(year, 1, 20))  # the city counts a period of that year once it is over
    # packs the windows made once it was over (a pack made before a period is refused)
    paths = [
        _crafted(pack, tmp_path / f"later-{n}.db", f"UPDATE pack_info SET as_of = '{year}-01-20'")
        for n, (_db, pack) in enumerate(packs)
    ]
    later = run("city", *paths, "--from", f"{year}-01-04", "--to", f"{year}-01-08", "--json")
    assert later.exit_code == 0
    assert later.stderr.strip() == (
        f"Warning: in the packs, the official holiday schedule for {year} is not confirmed:"
        " those windows' figures count on an assumed one (statutory holidays, no make-up"
        " working days); a window that enters and confirms the year and packs again sets it"
        " right."
    )
    known = run("city", *(pack for _db, pack in packs), "--week", "2026-W41", "--json")
    assert known.exit_code == 0 and known.stderr == ""
    # a window whose clerk entered the year and confirmed it: its pack says so
    db, _pack = packs[0]
    confirmed = tmp_path / "confirmed.db"
    shutil.copyfile(db, confirmed)
    ok(run, "--db", confirmed, "calendar", "workday", f"{year}-01-09", "--name", "调休上班")
    ok(run, "--db", confirmed, "calendar", "confirm", str(year))
    ok(run, "--db", confirmed, "pack", tmp_path / "repacked.db")
    stamp = f"UPDATE pack_info SET as_of = '{year}-01-20'"
    repacked = _crafted(tmp_path / "repacked.db", tmp_path / "later.db", stamp)
    alone = run("city", repacked, "--from", f"{year}-01-04", "--to", f"{year}-01-08", "--json")
    assert alone.exit_code == 0 and alone.stderr == ""


def test_a_weekend_workday_the_clerk_entered_confirms_nothing(run, packs, tmp_path, monkeypatch):
    """A year with a make-up working day counts as an official notice's; one the clerk
    entered without confirming the year once silenced the warning."""
    from conftest import first_unconfirmed_year

    year = first_unconfirmed_year()
    _on(monkeypatch, dt.date(year, 1, 20))
    db, _pack = packs[0]
    entered = tmp_path / "entered.db"
    shutil.copyfile(db, entered)
    saturday = next(
        f"{year}-01-{d:02d}" for d in range(1, 15) if dt.date(year, 1, d).weekday() == 5
    )
    ok(run, "--db", entered, "calendar", "workday", saturday, "--name", "调休上班")
    ok(run, "--db", entered, "pack", tmp_path / "entered-pack.db")
    stamp = f"UPDATE pack_info SET as_of = '{year}-01-20'"  # packed once the period was over
    pack = _crafted(tmp_path / "entered-pack.db", tmp_path / "later.db", stamp)
    found = run("city", pack, "--from", f"{year}-01-04", "--to", f"{year}-01-15", "--json")
    assert found.exit_code == 0 and str(year) in found.stderr


def _on(monkeypatch, day: dt.date) -> None:
    """Today is `day`, for the commands run in this process."""
    from ledger import dates

    monkeypatch.setattr(dates, "today", lambda: day)


@pytest.mark.parametrize("width", [50, 60, 80, 120])
def test_the_city_table_cuts_no_figure_and_no_code(run, packs, monkeypatch, width):
    """At 60 columns a rate showed as `90.` and the name column, cut to 20 cells with the
    code inside it, lost the code that tells two windows apart."""
    import ledger.render as render

    monkeypatch.setattr(render.console, "_width", width)
    paths = [p for _, p in packs]
    report = ok(run, "city", *paths, "--week", "2026-W41", "--json").json()
    page = ok(run, "city", *paths, "--week", "2026-W41").stdout
    assert max(map(len, page.splitlines())) <= width
    words = set(page.split())
    for row in [*report["windows"], report["total"]]:
        if "window" in row:
            assert row["window"]["code"] in words
        for key in render.CITY_COLUMNS:
            assert render._shown(key, row[key]) in words, (key, row[key])


def test_a_window_is_counted_to_the_day_it_packed(run, packs, monkeypatch):
    """A pack made on a day of a period is counted to that day, not to the city's today:
    its open cases were late by days the pack knows nothing of."""
    import datetime as dt

    paths = [p for _, p in packs]
    packed = dt.date.today()  # the packs were made by this test run
    _on(monkeypatch, packed + dt.timedelta(days=30))
    first = packed.replace(day=1)
    report = ok(
        run, "city", *paths, "--from", first.isoformat(), "--to",
        (packed + dt.timedelta(days=20)).isoformat(), "--json",
    ).json()  # fmt: skip
    assert report["as_of"] == (packed + dt.timedelta(days=20)).isoformat()
    assert {w["as_of"] for w in report["windows"]} == {packed.isoformat()}


def test_a_pack_made_before_or_during_the_period_is_said_so(run, refused, packs, tmp_path):
    """A pack stamped 10-01 was added up for W41 (10-05..10-11) as a row of noughts, and
    one of 10-08 as if the week were whole, without a word."""
    good = packs[0][1]
    before = _crafted(good, tmp_path / "before.db", "UPDATE pack_info SET as_of = '2026-10-01'")
    line = refused("city", packs[1][1], before, "--week", "2026-W41", message="before the period")
    assert "before.db" in line and "2026-10-01" in line and "2026-10-05" in line
    zh = refused("--lang", "zh", "city", before, "--week", "2026-W41", message="早于统计期间")
    assert "before.db" in zh
    during = _crafted(good, tmp_path / "during.db", "UPDATE pack_info SET as_of = '2026-10-08'")
    result = run("city", during, "--week", "2026-W41", "--json")
    assert result.exit_code == 0
    assert result.json()["windows"][0]["as_of"] == "2026-10-08"
    code = result.json()["windows"][0]["window"]["code"]
    warned = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(warned) == 1 and code in warned[0]
    assert "2026-10-08" in warned[0] and "2026-10-11" in warned[0]
    # a pack made after the period's end says nothing
    assert ok(run, "city", good, "--week", "2026-W41", "--json").stderr == ""


def test_a_failure_of_the_look_beside_the_check_names_the_pack(run, packs, monkeypatch):
    """The look at a pack's values runs on a thread beside SQLite's check of its pages: a
    failure there reaches the city as the same one line naming the pack."""
    import sqlite3 as sqlite

    from ledger import packs as packs_module

    def failing(conn):  # noqa: ARG001
        raise sqlite.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(packs_module, "misshapen", failing)
    result = run("city", packs[0][1], "--week", "2026-W41")
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 1 and len(lines) == 1 and packs[0][1].name in lines[0], lines
    assert "Internal error" not in lines[0]


def test_windows_of_one_name_below_the_lines_are_told_apart_by_code(run, packs, tmp_path):
    """Two windows both named 拱墅窗口 under "Windows below the lines" read as one window
    twice: each line names the window's code beside its name."""
    same = [
        _crafted(pack, tmp_path / f"same-{n}.db", "UPDATE pack_info SET window_name = '拱墅窗口'")
        for n, (_db, pack) in enumerate(packs)
    ]
    start, end = PERIODS[-1]
    period = ("--from", start, "--to", end)
    report = ok(run, "city", *same, *period, "--json").json()
    below = [item["window"]["code"] for item in report["below_threshold"]]
    assert below, "the fortnight's windows fall short somewhere"
    table = ok(run, "--lang", "en", "city", *same, *period).stdout
    said = " ".join(table.split("Windows below the lines:")[1].split())
    named = [part.split()[-1] for part in said.split(":")[:-1] if "拱墅窗口" in part]
    assert named == below
    assert said.count("拱墅窗口 ") == len(below)


def test_the_readmes_duckdb_query_counts_each_window_to_the_day_of_its_pack(run, packs, tmp_path):
    """The script counted open and overdue at the period's last day, `ledger city` at the day
    each pack was made when that is earlier (it knows nothing of the days after): a pack of
    10-20 added up for October, and every pack of today for a month still running."""
    pytest.importorskip("duckdb")
    script = _duckdb_script(tmp_path)
    older = [
        _crafted(pack, tmp_path / f"old-{pack.name}", "UPDATE pack_info SET as_of = '2026-10-20'")
        for _, pack in packs
    ]
    today = dt.date.today()
    month_end = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(1)
    for paths, start, end in (
        (older, "2026-10-01", "2026-10-31"),
        ([p for _, p in packs], today.replace(day=1).isoformat(), month_end.isoformat()),
    ):
        done = subprocess.run(
            [sys.executable, str(script), start, end, *map(str, paths)],
            capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
        counted = {
            code: [int(n) for n in numbers]
            for code, *numbers in (line.split("\t") for line in done.stdout.splitlines())
        }
        report = ok(run, "city", *paths, "--from", start, "--to", end, "--json").json()
        assert counted == {
            w["window"]["code"]: [w["received"], w["resolved"], w["open"], w["overdue"]]
            for w in report["windows"]
        }
    # a period after the day the packs were made: refused, as `ledger city` refuses it
    refused = subprocess.run(
        [sys.executable, str(script), "2026-11-01", "2026-11-30", *map(str, older)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert refused.returncode != 0 and "before the period" in refused.stderr
