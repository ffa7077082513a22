"""SPEC §3–4: the working-day calendar and the counting rule, on the real 2026 calendar."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from conftest import first_unconfirmed_year, nth_working_day
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.calendar import Override, WorkCalendar, package_confirmed_years
from ledger.timelimits import DEFAULT_LIMITS, days_late, deadline, due_soon, explain_deadline

D = dt.date.fromisoformat

# receipt date, limit class, deadline — each checked by hand against the State Council's
# 2026 notice (make-up working days: 01-04, 02-14, 02-28, 05-09, 09-20, 10-10)
DEADLINES = [
    ("2026-09-30", "standard", "2026-10-10"),  # SPEC §4: lands on the Saturday make-up day
    ("2026-05-01", "simple", "2026-05-06"),  # SPEC §4: same day, moved past Labour Day
    ("2026-02-13", "complex", "2026-02-27"),  # SPEC §4: across the Spring Festival
    ("2026-02-12", "standard", "2026-02-24"),  # Fri 13, Sat 14 (make-up), Tue 24
    ("2026-02-13", "cannot", "2026-02-13"),  # a working Friday answers the same day
    ("2026-02-17", "simple", "2026-02-24"),  # received during the festival
    ("2026-02-27", "standard", "2026-03-03"),  # Sat 28 is a make-up working day
    ("2026-04-30", "standard", "2026-05-08"),
    ("2026-04-30", "complex", "2026-05-11"),  # Sat 05-09 is a make-up working day
    ("2026-05-02", "cannot", "2026-05-06"),  # received on a holiday Saturday
    ("2026-09-18", "standard", "2026-09-22"),  # Sun 09-20 is a make-up working day
    ("2026-09-24", "complex", "2026-10-09"),  # Mid-Autumn, then National Day
    ("2026-10-04", "simple", "2026-10-08"),  # received on a Sunday inside the break
    ("2026-10-09", "standard", "2026-10-13"),  # Sat 10-10 counts
    ("2026-10-10", "simple", "2026-10-10"),  # a make-up Saturday is a working day
    ("2026-01-01", "standard", "2026-01-06"),  # Sun 01-04 is a make-up working day
    ("2026-06-18", "standard", "2026-06-24"),  # Dragon Boat Festival, Fri 06-19
    ("2026-06-18", "simple", "2026-06-18"),
]


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar(lang="en")


@pytest.mark.parametrize(("received", "limit", "due"), DEADLINES)
def test_deadlines_of_2026(cal, received, limit, due):
    assert deadline(D(received), limit, DEFAULT_LIMITS, cal) == D(due)


def test_every_day_of_2026_agrees_with_the_package(cal):
    official = holidays.China(years=2026, categories=(holidays.PUBLIC,))
    day = D("2026-01-01")
    while day.year == 2026:
        assert cal.is_working(day) == official.is_working_day(day), day
        day += dt.timedelta(days=1)


def test_make_up_days_are_working_days_and_named(cal):
    for day in ("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"):
        info = cal.info(D(day))
        assert info.working and info.makeup and info.source == "package"
        assert info.name == "Make-up working day"


def test_days_off_carry_the_package_names_in_the_interface_language():
    assert WorkCalendar(lang="zh").info(D("2026-10-01")).name == "国庆节"
    assert WorkCalendar(lang="en").info(D("2026-10-01")).name == "National Day"
    assert WorkCalendar(lang="en").info(D("2026-10-04")).source == "weekday"


def test_overrides_beat_the_package():
    cal = WorkCalendar(
        [Override(D("2026-10-12"), False, "停电闭馆"), Override(D("2026-10-03"), True, None)],
        lang="zh",
    )
    assert not cal.is_working(D("2026-10-12"))
    assert cal.info(D("2026-10-12")).name == "停电闭馆"
    assert cal.is_working(D("2026-10-03"))
    assert cal.info(D("2026-10-03")).source == "override"
    # 10-09 + 3: Sat 10 (make-up), Mon 12 now closed, Tue 13, Wed 14
    assert cal.add_working_days(D("2026-10-09"), 3) == D("2026-10-14")


def test_working_days_between_counts_after_start_up_to_end(cal):
    assert cal.working_days_between(D("2026-09-30"), D("2026-10-10")) == 3
    assert cal.working_days_between(D("2026-10-09"), D("2026-10-11")) == 1
    assert cal.working_days_between(D("2026-10-10"), D("2026-10-09")) == -1
    assert cal.working_days_between(D("2026-10-14"), D("2026-10-14")) == 0


def test_lateness_counts_working_days_after_the_deadline(cal):
    # a Friday deadline is not late on the Sunday, one day late on the Monday
    assert days_late(D("2026-10-16"), D("2026-10-18"), cal) == 0
    assert days_late(D("2026-10-16"), D("2026-10-19"), cal) == 1
    # a deadline before National Day: the break does not count
    assert days_late(D("2026-09-30"), D("2026-10-08"), cal) == 1
    assert due_soon(D("2026-10-19"), D("2026-10-17"), cal)  # Saturday: Monday is next
    assert due_soon(D("2026-10-08"), D("2026-09-30"), cal)
    assert not due_soon(D("2026-10-09"), D("2026-09-30"), cal)
    # a Saturday make-up deadline seen on the Sunday: not late yet, still on the sheet
    assert days_late(D("2026-10-10"), D("2026-10-11"), cal) == 0
    assert due_soon(D("2026-10-10"), D("2026-10-11"), cal)


def test_explain_lists_skipped_days_and_unconfirmed_years(cal):
    answer = explain_deadline(D("2026-09-30"), 3, cal)
    assert answer["deadline"] == "2026-10-10"
    assert [s["date"] for s in answer["skipped"]] == [f"2026-10-0{d}" for d in range(1, 8)]
    assert answer["unconfirmed_years"] == []
    # a year without its notice in the package (2027 as this is written) is named
    year = first_unconfirmed_year()
    eve = dt.date(year - 1, 12, 31)
    later = explain_deadline(eve, 3, WorkCalendar(lang="en"))
    assert later["deadline"] == nth_working_day(eve, 3).isoformat()
    assert later["skipped"][0] == {
        "date": f"{year}-01-01",
        "name": "New Year's Day",
        "source": "package",
    }
    assert later["unconfirmed_years"] == [year]
    same = explain_deadline(D("2026-10-03"), 0, cal)
    assert same["deadline"] == "2026-10-08"
    assert [s["date"] for s in same["skipped"]][0] == "2026-10-03"


def test_confirmed_years_come_from_the_package_and_the_clerk():
    year = first_unconfirmed_year()
    assert 2026 in package_confirmed_years() and year not in package_confirmed_years()
    cal = WorkCalendar(clerk_confirmed=[year])
    assert cal.confirmed_by(2026) == "package"
    assert cal.confirmed_by(year) == "clerk"
    assert WorkCalendar().confirmed_by(year) is None


# -- properties -------------------------------------------------------------------------

dates = st.dates(min_value=D("2020-01-01"), max_value=D("2028-12-31"))
shared = WorkCalendar(lang="en")


@settings(max_examples=300, deadline=None)
@given(start=dates, days=st.integers(min_value=0, max_value=60))
def test_a_deadline_is_a_working_day(start, days):
    assert shared.is_working(shared.add_working_days(start, days))


@settings(max_examples=300, deadline=None)
@given(start=dates, days=st.integers(min_value=1, max_value=60))
def test_adding_n_then_counting_back_gives_n(start, days):
    due = shared.add_working_days(start, days)
    assert shared.working_days_between(start, due) == days
    assert due > start


@settings(max_examples=300, deadline=None)
@given(start=dates, days=st.integers(min_value=0, max_value=60))
def test_counting_back_then_adding_n_gives_the_working_day_again(start, days):
    end = shared.add_working_days(start, 0)  # a working day
    before = shared.working_days_before(end, days)
    assert shared.is_working(before) or days == 0
    assert shared.add_working_days(before, days) == end if days else before == end
    assert shared.working_days_between(before, end) == days


@settings(max_examples=200, deadline=None)
@given(start=dates)
def test_zero_days_on_a_working_day_is_that_day(start):
    due = shared.add_working_days(start, 0)
    if shared.is_working(start):
        assert due == start
    else:
        assert due > start and shared.working_days_between(start, due) == 1


@settings(max_examples=200, deadline=None)
@given(
    overrides=st.dictionaries(dates, st.booleans(), max_size=20),
    probe=dates,
    days=st.integers(min_value=0, max_value=30),
)
def test_overrides_always_win(overrides, probe, days):
    cal = WorkCalendar([Override(d, w) for d, w in overrides.items()], lang="en")
    for day, working in overrides.items():
        assert cal.is_working(day) == working
    due = cal.add_working_days(probe, days)
    assert cal.is_working(due)
    assert cal.working_days_between(probe, due) == (days if days else (0 if due == probe else 1))
