"""Speed cannot regress silently: the report queries must use their indexes (SPEC §11).

Every statement a command runs is captured and asked for its query plan; none may scan the
cases, events or states tables, which grow with the years (the small tables may be scanned).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ledger import reports
from ledger.actions import Desk
from ledger.store import Ledger

SAMPLE = Path(__file__).parent.parent / "sample_data" / "cases.csv"
BIG_TABLES = ("cases", "events", "states")


@pytest.fixture
def ledger(run, ledger_file):
    assert run("import", SAMPLE).exit_code == 0
    opened = Ledger(ledger_file)
    yield opened
    opened.close()


def scans_of_big_tables(ledger: Ledger, action) -> list[str]:
    statements: list[str] = []
    ledger.conn.set_trace_callback(statements.append)
    try:
        action()
    finally:
        ledger.conn.set_trace_callback(None)
    scans = []
    for sql in statements:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        for row in ledger.conn.execute(f"EXPLAIN QUERY PLAN {sql}"):
            detail = row[3]
            match = re.match(r"SCAN (\w+)", detail)
            if match and _table(detail) in BIG_TABLES:
                scans.append(f"{detail}  <-  {sql[:120]}")
    return scans


def _table(detail: str) -> str:
    name = detail.split()[1]
    aliases = {"c": "cases", "s": "states", "e": "events", "d": "departments"}
    return aliases.get(name, name)


DAY = dt.date(2026, 10, 14)


@pytest.mark.parametrize(
    "report",
    [
        lambda led, cal: reports.daily(led, cal, DAY),
        lambda led, cal: reports.overdue(led, cal, DAY),
        lambda led, cal: reports.weekly(led, cal, dt.date(2026, 10, 5), dt.date(2026, 10, 11)),
    ],
    ids=["daily", "overdue", "weekly"],
)
def test_reports_use_their_indexes(ledger, report):
    cal = ledger.calendar()
    assert scans_of_big_tables(ledger, lambda: report(ledger, cal)) == []


def test_list_with_a_filter_and_show_use_indexes(ledger):
    assert (
        scans_of_big_tables(ledger, lambda: ledger.list_cases({"status": "dispatched"}, 50)) == []
    )
    assert scans_of_big_tables(ledger, lambda: ledger.case("2026-0012")) == []
    assert scans_of_big_tables(ledger, lambda: ledger.timeline("2026-0012")) == []


def test_taking_a_case_in_uses_indexes(ledger):
    desk = Desk(ledger)

    def add():
        with ledger.writing():
            case = desk.add("测试", "事项", contact="13800000000", at="2026-10-14 18:00")
            desk.repeats(case)

    assert scans_of_big_tables(ledger, add) == []


def test_the_check_finds_a_scan(ledger):
    """The check itself works: a query without an index is reported."""
    assert scans_of_big_tables(
        ledger, lambda: ledger.conn.execute("SELECT * FROM cases WHERE matter = 'x'").fetchall()
    )
