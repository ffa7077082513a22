"""Dates the clerk types: ISO, slashes, dots, Chinese, and the relative words."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger.dates import parse_date, parse_datetime, parse_week
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
    "text",
    ["2026-02-30", "2026-13-01", "14/10/2026", "next friday", "", "2026-10", "2026-10-14 25:00"],
)
def test_refused_dates_show_a_good_example(text):
    with pytest.raises(BadInput) as caught:
        parse_datetime(text) if ":" in text else parse_date(text)
    assert "2026-10-14" in caught.value.message("en")


def test_iso_weeks():
    assert parse_week("2026-W41") == (dt.date(2026, 10, 5), dt.date(2026, 10, 11))
    with pytest.raises(BadInput):
        parse_week("2026-W54")
