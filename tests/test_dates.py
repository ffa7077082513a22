"""Dates the clerk types: ISO, slashes, dots, Chinese, and the relative words."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger.dates import (
    canonical_minute,
    parse_at,
    parse_date,
    parse_datetime,
    parse_month,
    parse_quarter,
    parse_week,
    with_year,
)
from ledger.errors import BadInput


@pytest.mark.parametrize(
    "text", ["2026-10-14", "2026/10/14", "2026.10.14", "2026年10月14日", " 2026-10-14 "]
)
def test_accepted_dates(text):
    assert parse_date(text) == dt.date(2026, 10, 14)


@pytest.mark.parametrize(
    "text", ["2026-10-14 09:30", "2026/10/14 9:30", "2026年10月14日 09:30", "2026-10-14T09:30"]
)
def test_accepted_datetimes(text):
    assert parse_datetime(text) == dt.datetime(2026, 10, 14, 9, 30)


def test_relative_words():
    today = dt.date.today()
    assert parse_date("today") == today
    assert parse_date("yesterday") == today - dt.timedelta(days=1)
    assert parse_date("明天") == today + dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "shift", "hour", "minute"),
    [
        ("today 09:00", 0, 9, 0),
        ("Today 9:05", 0, 9, 5),
        ("yesterday 15:30", -1, 15, 30),
        ("昨天 15:30", -1, 15, 30),
        ("昨日15：30", -1, 15, 30),
        ("今天 8点15", 0, 8, 15),
        ("9:30", 0, 9, 30),
        ("15时30分", 0, 15, 30),
        ("明天 08:00", 1, 8, 0),
        ("下午3:30", 0, 15, 30),
        ("昨天 下午3点05", -1, 15, 5),
        ("今天上午9:30", 0, 9, 30),
    ],
)
def test_a_time_of_a_day_named_by_its_word(text, shift, hour, minute):
    """The clerk enters what came in this morning as `--at 9:30` or `--at "昨天 15:30"`."""
    day = dt.date.today() + dt.timedelta(days=shift)
    assert parse_at(text) == dt.datetime.combine(day, dt.time(hour, minute))
    with pytest.raises(BadInput):  # a sheet's cell: no date, refused (only typed at the desk)
        canonical_minute(text)


@pytest.mark.parametrize(
    "text",
    ["today 24:00", "昨天 9:60", "25:00", "today 09:00:00", "yesterday at 9", "now 09:00",
     "上午13:00"],
)  # fmt: skip
def test_a_time_of_a_named_day_out_of_the_clock_is_refused(text):
    with pytest.raises(BadInput) as caught:
        parse_at(text)
    assert caught.value.key == "err.bad_datetime"


@pytest.mark.parametrize("text", ["today 09:00", "9:30", "昨天 15:30"])
def test_a_date_option_takes_no_time(text):
    with pytest.raises(BadInput):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "en", "zh"),
    [
        ("2026-02-30", "There is no day '2026-02-30': 2026-02 has 28 days", "2026年2月只有 28 天"),
        ("2028-02-30", "2028-02 has 29 days", "2028年2月只有 29 天"),  # a leap year
        ("2026年4月31日", "There is no day '2026年4月31日': 2026-04 has 30 days", "4月只有 30 天"),
        ("2026/13/01", "has no month 13: months are 1 to 12", "没有 13 月"),
        ("2026-00-10", "has no month 0", "没有 0 月"),
    ],
)
def test_a_date_that_is_no_day_of_the_calendar_is_said_so(text, en, zh):
    """Shown the way to write a date, the clerk would look for a slip in the spelling."""
    with pytest.raises(BadInput) as caught:
        parse_date(text)
    assert en in caught.value.message("en") and zh in caught.value.message("zh")


@pytest.mark.parametrize(
    "text", ["14/10/2026", "next friday", "", "2026-10", "2026-10-14 25:00", "2026-10-14 9:61"]
)
def test_refused_dates_show_a_good_example(text):
    with pytest.raises(BadInput) as caught:
        parse_datetime(text) if ":" in text else parse_date(text)
    assert "2026-10-14" in caught.value.message("en")


def test_iso_weeks():
    assert parse_week("2026-W41") == (dt.date(2026, 10, 5), dt.date(2026, 10, 11))
    with pytest.raises(BadInput):
        parse_week("2026-W54")


@pytest.mark.parametrize("text", ["2026-10", "2026/10", "2026.10", "2026年10月", " 2026 年 10 月 "])
def test_a_month_is_written_as_dates_are(text):
    """`2026年10月14日` is a date, so `2026年10月` is a month (it was refused)."""
    assert parse_month(text) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


@pytest.mark.parametrize(
    "text", ["2026-Q4", "2026Q4", "2026年第4季度", "2026年4季度", "2026年第四季度"]
)
def test_a_quarter_in_chinese(text):
    if "四" in text:  # a number written in characters is not read
        with pytest.raises(BadInput):
            parse_quarter(text)
        return
    assert parse_quarter(text) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))


@pytest.mark.parametrize("year", [1970, 2250])
def test_a_clock_outside_the_ledgers_years_is_refused_where_now_is_read(
    run, refused, monkeypatch, tmp_path, year
):
    """A clock reset to 1970 (a flat battery) made case 1970-0001, which the ledger's own
    import then refused to read back (SPEC §3: every date lies in 1990–2200)."""
    import types

    from ledger import dates

    copy = tmp_path / "copy.db"
    assert run("backup", copy).exit_code == 0

    class Day(dt.date):
        @classmethod
        def today(cls):
            return cls(year, 1, 1)

    class Moment(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(year, 1, 1, 8, 0)

    clock = types.SimpleNamespace(**vars(dt))
    clock.date, clock.datetime = Day, Moment
    monkeypatch.setattr(dates, "dt", clock)
    message = f"This computer's clock says {year}-01-01, outside the years 1990–2200"
    for command in (
        ("add", "--applicant", "甲", "--matter", "事项"),
        ("daily",),
        ("weekly",),
        ("note", "2026-0001", "x"),
        # a workbook's zip entries and a copy's name read the clock too: an export refused
        # with a traceback, a restore replaced the ledger before the line said the clock
        ("export", "--out", str(tmp_path / "all.xlsx")),
        ("backup",),
        ("restore", str(copy)),
    ):
        refused(*command, message=message)
    assert not (tmp_path / "all.xlsx").exists()


@pytest.mark.parametrize(
    "text",
    [
        "２０２６－１０－１４",
        "2026－10－14",
        "２０２６／１０／１４",
        "２０２６年１０月１４日",
        "２０２６．１０．１４",
    ],
)
def test_a_date_typed_in_full_width_is_read(text):
    """A Chinese input method in full-width mode types the digits and the hyphen full-width:
    the id `２０２６－０００７` was read, the date `２０２６－１０－１４` was refused."""
    assert parse_date(text) == dt.date(2026, 10, 14)
    assert parse_at(f"{text}　０９：３０") == dt.datetime(2026, 10, 14, 9, 30)


def test_full_width_periods_are_read():
    assert parse_month("２０２６－１０") == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert parse_week("２０２６－Ｗ４１") == (dt.date(2026, 10, 5), dt.date(2026, 10, 11))
    assert parse_quarter("２０２６－Ｑ４")[0] == dt.date(2026, 10, 1)


@pytest.mark.parametrize(
    ("text", "hour", "minute"),
    [
        ("2026-10-14 上午9:30", 9, 30),
        ("2026-10-14上午09:30", 9, 30),
        ("2026年10月14日下午3时30分", 15, 30),
        ("2026-10-14 下午3:05", 15, 5),
        ("2026-10-14 中午12:30", 12, 30),
        ("2026-10-14 中午1:00", 13, 0),
        ("2026-10-14 下午12:10", 12, 10),
        ("2026-10-14 下午15:00", 15, 0),  # a 24-hour time the book marked anyway
        ("2026-10-14 晚上8:15", 20, 15),
        ("2026-10-14 早上8:00", 8, 0),
        ("2026-10-14 凌晨0:30", 0, 30),
    ],
)
def test_a_time_a_book_writes_with_its_half_of_the_day(text, hour, minute):
    """`上午9:30` and `下午3:30` were refused ('Cannot read the time'): books write times so."""
    assert parse_datetime(text) == dt.datetime(2026, 10, 14, hour, minute)
    yearless = text.replace("2026-10-14", "10月14日").replace("2026年10月14日", "10月14日")
    assert with_year(yearless, 2026) == f"2026-10-14 {hour:02d}:{minute:02d}"


@pytest.mark.parametrize(
    ("clock", "hour", "minute"),
    [
        ("下午3点05", 15, 5),
        ("下午3点", 15, 0),
        ("15时", 15, 0),
        ("下午3时", 15, 0),
        ("15点30分", 15, 30),
        ("3点半", 3, 30),
        ("下午3点半", 15, 30),
        ("9时30分", 9, 30),
        ("下午3:30", 15, 30),
    ],
)
def test_a_time_is_read_the_same_after_a_date_and_after_a_days_word(clock, hour, minute):
    """`昨天 下午3点05` was read and `昨天 下午3点` refused; `2026-11-20 下午3时` read and
    `2026-11-20 下午3点05` refused: two patterns knew different ways of writing a time."""
    day = dt.date.today() - dt.timedelta(days=1)
    assert parse_at(f"昨天 {clock}") == dt.datetime.combine(day, dt.time(hour, minute))
    assert parse_at(f"2026-11-20 {clock}") == dt.datetime(2026, 11, 20, hour, minute)
    assert parse_datetime(f"2026年11月20日{clock}") == dt.datetime(2026, 11, 20, hour, minute)
    assert canonical_minute(f"2026-10-09 {clock}") == f"2026-10-09 {hour:02d}:{minute:02d}"
    assert with_year(f"10月9日 {clock}", 2026) == f"2026-10-09 {hour:02d}:{minute:02d}"


def test_midnight_is_read_as_midnight_or_refused():
    """`凌晨12点` was read as noon; `晚上12点` names a midnight without saying of which day."""
    assert parse_datetime("2026-10-14 凌晨12点") == dt.datetime(2026, 10, 14, 0, 0)
    assert parse_datetime("2026-10-14 凌晨12:30") == dt.datetime(2026, 10, 14, 0, 30)
    for text in ("2026-10-14 晚上12点", "2026-10-14 晚上12:00", "2026-10-14 晚上0点"):
        with pytest.raises(BadInput):
            parse_datetime(text)


def test_an_hour_of_0_after_noon_words_is_noon():
    """`下午0:30` was stored as 00:30, half an hour after the midnight before."""
    for text in ("2026-10-14 下午0:30", "2026-10-14 下午0点30分", "2026年10月14日中午0点半"):
        assert parse_datetime(text) == dt.datetime(2026, 10, 14, 12, 30)
    assert with_year("10月14日 下午0:30", 2026) == "2026-10-14 12:30"


@pytest.mark.parametrize(
    "text", ["2026-10-14 上午13:00", "2026-10-14 下午25:00", "2026-10-14 下午", "下午3:30"]
)
def test_a_half_of_the_day_that_contradicts_its_hour_is_refused(text):
    with pytest.raises(BadInput):
        parse_datetime(text)
