"""A long period's figures are counted another way (Speed II: ten years of 100,000 cases in a
second): the moves where they lie, one pass each, and only the cases reopened, or dispatched
more than once, in the period case by case. Both ways must give the same figures, for every
period: on the fixed-seed benchmark ledger (ten years, most cases closed, many late) and on
random histories with every move, undo, reopening, return and acknowledgement in them."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from ledger import reports, store
from ledger.store import Ledger

SHORT_ONLY = dt.timedelta(days=10**6)  # every period counted case by case, the old way
LONG_ONLY = dt.timedelta(0)  # every period counted by its moves


def both_ways(ledger: Ledger, start: dt.date, end: dt.date, monkeypatch) -> tuple:
    found = []
    for switch in (SHORT_ONLY, LONG_ONLY):
        monkeypatch.setattr(store, "LONG_PERIOD", switch)
        found.append(reports.weekly_with_counts(ledger, ledger.calendar(), start, end))
    return tuple(found)


@pytest.mark.parametrize(
    "start, end",
    [
        ("2016-10-14", "2026-10-14"),  # the benchmark's ten years
        ("2010-01-01", "2030-12-31"),  # past both ends
        ("2025-01-01", "2025-12-31"),
        ("2020-01-01", "2020-03-31"),  # a quarter in the past: much has moved since
        ("2019-12-20", "2021-01-10"),
        ("2026-07-01", "2026-09-30"),
        ("2026-10-05", "2026-10-11"),  # a week
        ("2026-10-14", "2026-10-14"),
    ],
)
def test_the_benchmark_ledger_counts_alike_both_ways(bench_ledger, start, end, monkeypatch):
    ledger = Ledger(bench_ledger)
    try:
        with ledger.reading():
            short, long = both_ways(
                ledger, dt.date.fromisoformat(start), dt.date.fromisoformat(end), monkeypatch
            )
    finally:
        ledger.close()
    assert long == short


def test_ten_years_are_many_cases_both_ways(bench_ledger, monkeypatch):
    """The comparison above means something: the long way met most of the ledger."""
    ledger = Ledger(bench_ledger)
    try:
        with ledger.reading():
            figures = both_ways(ledger, dt.date(2016, 10, 14), dt.date(2026, 10, 14), monkeypatch)
    finally:
        ledger.close()
    assert figures[1][0]["resolved"] >= 700 and figures[1][0]["received"] == 800


EXAMPLES = int(os.environ.get("LEDGER_ORACLE_EXAMPLES", "12"))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="LEDGER_ORACLE_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=__import__("test_oracle").histories())
def test_random_histories_count_alike_both_ways(tmp_path, history, monkeypatch):
    """Undos, reopenings, returns, voids, acknowledgements: every period ending on any day
    of the history (from its first day, from the Monday, the day alone) gives the same
    figures counted either way."""
    import tempfile

    from test_oracle import Clerk

    days, langs, _closures = history
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "ledger.db"
    clerk = Clerk(langs, path)
    for day, moves in days:
        for n, (move, pick) in enumerate(moves):
            clerk.move(move, pick, f"{day} {9 + n:02d}:{(pick % 6) * 10:02d}")
    if not clerk.status:
        return
    first = days[0][0]
    ledger = Ledger(path)
    try:
        with ledger.reading():
            for day, _moves in days:
                monday = day - dt.timedelta(days=day.weekday())
                for start in sorted({first, monday, day}):
                    short, long = both_ways(ledger, start, day, monkeypatch)
                    assert long == short, (start, day)
    finally:
        ledger.close()


def test_an_order_resolved_by_its_target_after_other_moves_counts_alike_both_ways(
    run, ledger_file, monkeypatch
):
    """The long way finds an order resolved unsigned by its acknowledgement target through
    the row its dispatch began, which usually ends at the resolution; one chased, extended
    or paused and resumed before it was resolved, all by its target, is found through the
    case's rows; one whose resolution was taken back was owed, and one signed is as signed."""

    def ok(*args: str) -> dict:
        result = run(*args, "--json")
        assert result.exit_code == 0, result.stderr
        return result.json()

    assert run("dept", "add", "甲").exit_code == 0
    # Wednesday 09-30: due Thursday 10-08, the first working day after the National Day break
    plans = {
        "plain": [],
        "chased": [("urge", "--note", "催")],
        "extended": [("extend", "--days", "3", "--reason", "要件")],
        "paused": [("pause", "--reason", "检测"), ("resume",)],
        "undone": [],
        "signed": [("ack", "--by", "某")],
    }
    ids = {}
    for name, between in plans.items():
        case = ok("add", "--applicant", name, "--matter", "事", "--at", "2026-09-30 09:00")["id"]
        ok("dispatch", case, "--dept", "甲", "--at", "2026-09-30 09:30")
        for m, (move, *options) in enumerate(between):
            ok(move, case, *options, "--at", f"2026-09-30 1{m}:00")
        ok("resolve", case, "--method", "m", "--outcome", "o", "--at", "2026-10-08 15:00")
        ids[name] = case
    ok("undo", ids["undone"], "--at", "2026-10-08 16:00")  # owed, and never signed: late
    ledger = Ledger(ledger_file)
    try:
        with ledger.reading():
            short, long = both_ways(ledger, dt.date(2026, 9, 1), dt.date(2026, 12, 31), monkeypatch)
    finally:
        ledger.close()
    assert long == short
    (row,) = long[0]["departments"]
    assert (row["department"], row["acknowledged_in_time_rate"]) == ("甲", 0.5)


def test_orders_of_one_minute_count_once_and_alike_both_ways(run, ledger_file, monkeypatch):
    """A chase in the minute of its dispatch began a second row there, and the long way
    counted the order twice among the dispatched; an order resolved and answered in the
    minute it went out (a book's dates without times) was missed by the short way."""

    def new(name: str, *moves: tuple[str, ...]) -> None:
        result = run("add", "--applicant", name, "--matter", "事", "--at", "2026-03-02 09:00",
                     "--json")  # fmt: skip
        assert result.exit_code == 0, result.stderr
        case = result.json()["id"]
        for move, *options in moves:
            result = run(move, case, *options, "--at", "2026-03-02 09:00")
            assert result.exit_code == 0, result.stderr

    assert run("dept", "add", "甲").exit_code == 0
    resolved = ("resolve", "--method", "m", "--outcome", "o")
    new("chased", ("dispatch", "--dept", "甲"), ("urge", "--note", "催"), resolved)
    new("answered", ("dispatch", "--dept", "甲"), resolved, ("feedback", "--via", "phone"))
    new("signed", ("dispatch", "--dept", "甲"), ("ack", "--by", "某"))
    ledger = Ledger(ledger_file)
    try:
        with ledger.reading():
            for start, end in (("2026-03-02", "2026-03-08"), ("2026-01-01", "2026-06-30")):
                short, long = both_ways(
                    ledger, dt.date.fromisoformat(start), dt.date.fromisoformat(end), monkeypatch
                )
                assert long == short, (start, end)
                (row,) = long[0]["departments"]
                assert (row["dispatched"], row["acknowledged_in_time_rate"]) == (3, 1.0)
    finally:
        ledger.close()
