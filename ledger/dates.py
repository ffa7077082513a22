"""Reading the dates and times the clerk types, and writing them back in ISO form.

Times are kept to the minute as text `YYYY-MM-DD HH:MM`, which sorts as it reads.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from ledger.errors import BadInput
from ledger.patterns import lazy_pattern
from ledger.text import ascii_forms, without_marks

# a time of day, as the ledger writes it, a book or a clerk does: 09:30, 9时30分, 9点, 3点半,
# 下午3:30, 下午3时 — the same ways after a date and after a day's word (`昨天 下午3点`)
_CLOCK = (
    r"(上午|早上|早晨|凌晨|中午|下午|晚上)?\s*([0-9]{1,2})\s*"
    r"(?:[:：]\s*([0-9]{1,2})|[时点](?:\s*(半|[0-9]{1,2})\s*分?)?)"
)
_TIME = r"(?:\s*[ T]?\s*" + _CLOCK + r"(?::([0-9]{2}))?)?\s*$"
_DATE = lazy_pattern(
    r"^\s*([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?" + _TIME
)
# a date as registration books write it without its year: 10月9日, 10-9, 10/9 (SPEC §7)
_YEARLESS = lazy_pattern(
    r"^\s*([0-9]{1,2})\s*(?:月\s*([0-9]{1,2})\s*日?|[-/]\s*([0-9]{1,2}))" + _TIME
)
_AFTERNOON = ("中午", "下午", "晚上")  # an hour of 1 to 11 after these is past noon
# the ledger's own form, in ASCII digits only: what may pass through as it is
_ISO = lazy_pattern(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?: [0-9]{2}:[0-9]{2})?$")
_RELATIVE = {
    "today": 0,
    "今天": 0,
    "今日": 0,
    "yesterday": -1,
    "昨天": -1,
    "昨日": -1,
    "tomorrow": 1,
    "明天": 1,
    "明日": 1,
}
# a time of a day named by its word, or of today: `today 09:30`, `昨天 15:00`, `9:30`
_DAY_AND_TIME = lazy_pattern(
    r"^\s*(" + "|".join(_RELATIVE) + r")?\s*" + _CLOCK + r"\s*$", re.IGNORECASE
)
MINUTE = "%Y-%m-%d %H:%M"
# every date the ledger takes, typed or imported, lies in these years (SPEC §3)
FIRST_YEAR, LAST_YEAR = 1990, 2200


def typed(value: str | None) -> str:
    """A date, time or period as typed or imported, without marks that show nothing and with
    full-width digits and signs as ASCII (２０２６－１０－１４ is 2026-10-14, as its id is)."""
    return ascii_forms(without_marks(value or ""))


def now() -> dt.datetime:
    return clock().replace(second=0, microsecond=0)


def clock() -> dt.datetime:
    """The computer's time to the second (a copy's name), once it is known to be sane."""
    moment = dt.datetime.now()
    _clock_in_range(moment.date())
    return moment


def today() -> dt.date:
    return _clock_in_range(dt.date.today())


def _clock_in_range(day: dt.date) -> dt.date:
    """A computer clock reset to 1970 (a flat battery) would make cases the ledger itself
    refuses to read back (SPEC §3: 1990–2200): refused here, where every "now" is read."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise BadInput("err.clock_range", today=day, first=FIRST_YEAR, last=LAST_YEAR)
    return day


def _read(value: str, key: str) -> dt.datetime:
    """A datetime from any accepted spelling in the years the ledger keeps, or BadInput (its
    message shows a good one)."""
    moment = _spelled(value, key)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise BadInput("err.date_range", value=value, first=FIRST_YEAR, last=LAST_YEAR)
    return moment


def _spelled(value: str, key: str) -> dt.datetime:
    text = typed(value).strip()
    shift = _RELATIVE.get(text.casefold())
    if shift is not None:
        return _from_today(shift)
    if len(text) in (10, 16) and _ISO.match(text):
        # the form the ledger writes itself: build it directly, it is by far the commonest
        try:
            return dt.datetime(
                int(text[:4]),
                int(text[5:7]),
                int(text[8:10]),
                int(text[11:13] or 0),
                int(text[14:16] or 0),
            )
        except ValueError:
            _no_such_day(value, int(text[:4]), int(text[5:7]), int(text[8:10]))
            raise BadInput(key, value=value) from None
    match = _DATE.match(text)
    if not match:
        raise BadInput(key, value=value)
    year, month, day, half, hour, minute, minute_of_hour, second = match.groups()
    hour, minute = _hour_of_day(half, hour), _minute_of(minute or minute_of_hour)
    # ISO reads 24:00 as the next midnight; a clerk who types it has made a slip
    if (hour is not None and int(hour) > 23) or (second is not None and int(second) > 59):
        raise BadInput(key, value=value)
    iso = f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    if hour is not None:
        iso += f"T{int(hour):02d}:{int(minute):02d}"
    from dateutil import parser as dateutil_parser  # only for spellings not our own

    try:
        return dateutil_parser.isoparse(iso)
    except ValueError:
        _no_such_day(value, int(year), int(month), int(day))
        raise BadInput(key, value=value) from None


def _hour_of_day(half: str | None, hour: str | None) -> str | None:
    """The hour on the 24-hour clock: 下午3:30 is 15:30, 中午12:30 is 12:30, and an hour a book
    writes past 12 after 下午 (下午15:00) is that hour. Morning words change nothing, but
    上午 before an hour past noon is two times at once (refused: 99); 凌晨12点 is midnight,
    下午0:30 half past noon, and 晚上12点 and 晚上0点 are refused (the midnight of which day)."""
    if hour is None or half is None:
        return hour
    number = int(hour)
    if number == 12 and half == "凌晨":
        return "0"  # 凌晨12点 is midnight, the start of the day
    if number == 12 and half == "晚上":
        # midnight too, but of which day: the evening's or the next? refused, not guessed
        return "99"
    if number == 0 and half in _AFTERNOON:
        # 下午0:30 is half past noon on a 12-hour clock that counts from 0; 晚上0点 is the
        # midnight of which day (refused, as 晚上12点)
        return "99" if half == "晚上" else "12"
    if half in _AFTERNOON:
        return str(number + 12) if 1 <= number <= 11 else hour
    return hour if number <= 12 else "99"


def _minute_of(written: str | None) -> str:
    """The minutes of a time as written: `3点` is on the hour, `3点半` half past."""
    return {None: "0", "半": "30"}.get(written, written)  # type: ignore[arg-type]


def _no_such_day(value: str, year: int, month: int, day: int) -> None:
    """A date written the right way that is no day of the calendar (2026-02-30, 2026-13-01)
    is refused for what it is: shown the way to write a date, the clerk would look for a
    slip in the spelling."""
    if not 1 <= month <= 12:
        raise BadInput("err.no_such_month", value=value, month=month)
    import calendar  # only for a date that may not exist: not loaded by every command

    if 1 <= year <= 9999:
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            raise BadInput("err.no_such_day", value=value, year=year, month=month, days=days)


def _from_today(shift: int) -> dt.datetime:
    return dt.datetime.combine(today() + dt.timedelta(days=shift), dt.time())


def parse_date(value: str) -> dt.date:
    """A calendar date: ISO, 2026/10/14, 2026.10.14, 2026年10月14日, today/yesterday/tomorrow."""
    match = _DATE.match(typed(value))
    if match and match.group(5) is not None:
        raise BadInput("err.bad_date", value=value)
    return _read(value, "err.bad_date").date()


def parse_datetime(value: str) -> dt.datetime:
    """A moment to the minute; a bare date means the start of that day (today: now)."""
    text = typed(value).strip()
    if text.casefold() in ("today", "今天", "今日", "now", "现在"):
        return now()
    return _read(value, "err.bad_datetime")


def parse_at(value: str) -> dt.datetime:
    """What the clerk types for `--at`: any moment `parse_datetime` reads, and also a time
    alone (today's) or a day's word before a time (`yesterday 15:00`, `昨天 15:00`). Only
    typed at the desk: a sheet's bare `9:30` is no date, and the import refuses it."""
    match = _DAY_AND_TIME.match(typed(value).strip())
    if match is None:
        return parse_datetime(value)
    word, half, hour, minute, minute_of_hour = match.groups()
    hour, minute = _hour_of_day(half, hour), _minute_of(minute or minute_of_hour)
    if int(hour) > 23 or int(minute) > 59:
        raise BadInput("err.bad_datetime", value=value)
    day = _from_today(_RELATIVE[word.casefold()] if word else 0)
    return day.replace(hour=int(hour), minute=int(minute))


def parse_year(value: str) -> int:
    text = typed(value).strip()
    if not re.fullmatch(r"[0-9]{4}", text):
        raise BadInput("err.bad_year", value=value)
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise BadInput("err.year_range", value=value)
    return year


def parse_week(value: str) -> tuple[dt.date, dt.date]:
    """An ISO week `2026-W41` as its Monday and Sunday."""
    match = re.fullmatch(r"\s*([0-9]{4})-?[Ww]([0-9]{1,2})\s*", typed(value))
    if not match:
        raise BadInput("err.bad_week", value=value)
    year = parse_year(match[1])
    try:
        monday = dt.date.fromisocalendar(year, int(match[2]), 1)
    except ValueError:
        weeks = dt.date(year, 12, 28).isocalendar()[1]  # the 28th is always in the last week
        raise BadInput("err.week_range", year=year, week=int(match[2]), weeks=weeks) from None
    return monday, monday + dt.timedelta(days=6)


def parse_month(value: str) -> tuple[dt.date, dt.date]:
    """A month `2026-10` (or `2026/10`, `2026.10`, `2026年10月`, as dates may be written) as
    its first and last day."""
    match = re.fullmatch(r"\s*([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*月?\s*", typed(value))
    if not match or not 1 <= int(match[2]) <= 12:
        raise BadInput("err.bad_month_period", value=value)
    year, month = parse_year(match[1]), int(match[2])
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def parse_quarter(value: str) -> tuple[dt.date, dt.date]:
    """A quarter `2026-Q4` (or `2026年第4季度`, `2026年4季度`) as its first and last day."""
    text = typed(value)
    match = re.fullmatch(r"\s*([0-9]{4})-?[Qq]([1-4])\s*", text) or re.fullmatch(
        r"\s*([0-9]{4})\s*年\s*第?\s*([1-4])\s*季度?\s*", text
    )
    if not match:
        raise BadInput("err.bad_quarter", value=value)
    year, quarter = parse_year(match[1]), int(match[2])
    first = dt.date(year, 3 * quarter - 2, 1)
    last_month = 3 * quarter
    following = dt.date(year + last_month // 12, last_month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def canonical_minute(text: str) -> str:
    """`YYYY-MM-DD HH:MM` for any accepted spelling; the ledger's own form passes through
    after a check that the date exists (the common case when a sheet comes back in)."""
    if len(text) == 16 and _ISO.match(text):
        if _good_day(text[:10]) and text[11:13] < "24" and text[14:16] < "60":
            return text
        _read(text, "err.bad_datetime")
        return text
    return minute(parse_datetime(text))


def canonical_day(text: str) -> str:
    """`YYYY-MM-DD` for any accepted spelling of a date (a time after it is ignored)."""
    if len(text) == 10 and _ISO.match(text):
        if _good_day(text):
            return text
        _read(text, "err.bad_date")
        return text
    text = text.strip()
    return parse_date(text.split()[0] if " " in text else text).isoformat()


@functools.lru_cache(maxsize=8192)
def _good_day(iso: str) -> bool:
    """Whether `YYYY-MM-DD` (ASCII digits) is a day in the years the ledger keeps; the days
    of an import repeat, so each is worked out once."""
    try:
        _read(iso, "err.bad_date")
    except BadInput:
        return False
    return True


def with_year(text: str, year: int) -> str | None:
    """A date written without its year (`10月9日`, `10-9`, `10/9`, a time may follow) as a
    full spelling in `year`, for the parsers above; None when `text` is not such a date."""
    match = _YEARLESS.match(typed(text))
    if not match:
        return None
    month, day = int(match[1]), int(match[2] or match[3])
    spelled = f"{year:04d}-{month:02d}-{day:02d}"
    hour = _hour_of_day(match[4], match[5])
    if hour is not None:
        spelled += f" {int(hour):02d}:{int(_minute_of(match[6] or match[7])):02d}"
    return spelled


def minute(moment: dt.datetime) -> str:
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} "
        f"{moment.hour:02d}:{moment.minute:02d}"
    )


def read_minute(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def end_of_day(day: dt.date) -> str:
    """The last stored minute of a day: what 'as of the end of D' compares against."""
    return f"{day.isoformat()} 23:59"


def period_kind(first: str, last: str) -> str:
    """What a period of figures is called by its days: a `week` (Monday to Sunday), a
    `month`, a `quarter`, else a `period` — so that `--month` is a monthly report."""
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    if start.weekday() == 0 and end == start + dt.timedelta(days=6):
        return "week"
    if start.day != 1 or (end + dt.timedelta(days=1)).day != 1:
        return "period"
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months == 1:
        return "month"
    if months == 3 and start.month % 3 == 1:
        return "quarter"
    return "period"
