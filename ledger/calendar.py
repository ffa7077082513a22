"""The working-day calendar of SPEC §3: the official Chinese schedule, the clerk's overrides.

The `holidays` package decides which days are off and which weekend days are make-up working
days (调休上班); an override entered by the clerk beats it. Per run, the years involved are laid
out once as an index (a sorted list of working days and a running count), so that a deadline or
a count of working days between two dates costs a binary search, not a walk through the days.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import accumulate

from ledger.i18n import language, t
from ledger.patterns import lazy_pattern

# holidays' language codes for ours
_PACKAGE_LANGUAGE = {"zh": "zh_CN", "en": "en_US"}


def package_confirmed_years() -> frozenset[int]:
    """Years for which the installed package carries the State Council's notice."""
    from holidays.countries.china import ChinaStaticHolidays

    return frozenset(ChinaStaticHolidays.special_public_holidays)


# the package's English names carry American dates ("substituted from 09/20/2026"): the
# ledger writes every date as 2026-09-20
_US_DATE = lazy_pattern(r"\b(\d{2})/(\d{2})/(\d{4})\b")


def _iso_dates(name: str | None) -> str | None:
    return _US_DATE.sub(r"\3-\1-\2", name) if name else name


class PackageSchedule:
    """The official schedule as the `holidays` package computes it, a year at a time:
    {"off": {ISO date: {"zh": name, "en": name}}, "makeup": [ISO dates]}."""

    def years(self, first: int, last: int) -> dict[int, dict]:
        import holidays

        span = range(first, last + 1)
        names = {
            lang: holidays.China(years=span, categories=(holidays.PUBLIC,), language=code)
            for lang, code in _PACKAGE_LANGUAGE.items()
        }
        result: dict[int, dict] = {year: {"off": {}, "makeup": []} for year in span}
        for day in names["zh"]:
            if first <= day.year <= last:
                result[day.year]["off"][day.isoformat()] = {
                    lang: _iso_dates(found.get(day)) for lang, found in names.items()
                }
        for day in names["zh"].weekend_workdays:
            if first <= day.year <= last:
                result[day.year]["makeup"].append(day.isoformat())
        return result

    def confirmed(self) -> frozenset[int]:
        return package_confirmed_years()


@dataclass(frozen=True)
class Override:
    day: dt.date
    working: bool
    name: str | None = None


@dataclass(frozen=True)
class DayInfo:
    day: dt.date
    working: bool
    name: str | None
    source: str  # "package", "override" or "weekday"
    makeup: bool  # a weekend day that the official schedule makes a working day

    def as_json(self) -> dict:
        return {
            "date": self.day.isoformat(),
            "working": self.working,
            "name": self.name,
            "source": self.source,
        }


class WorkCalendar:
    def __init__(
        self,
        overrides: Mapping[dt.date, Override] | Iterable[Override] = (),
        clerk_confirmed: Iterable[int] = (),
        lang: str | None = None,
        schedule: PackageSchedule | None = None,
    ) -> None:
        if not isinstance(overrides, Mapping):
            overrides = {o.day: o for o in overrides}
        self.overrides: dict[dt.date, Override] = dict(overrides)
        self.clerk_confirmed = frozenset(clerk_confirmed)
        self.lang = lang or language()
        self.touched_years: set[int] = set()
        self._first_year = self._last_year = 0
        self.schedule = schedule or PackageSchedule()
        self._built = False
        self._off: dict[dt.date, dict] = {}  # the package's days off, with their names
        self._makeup: set[dt.date] = set()
        self._workdays: list[int] = []  # ordinals of working days, ascending
        self._count: list[int] = []  # working days before each day of the index

    # -- the index ----------------------------------------------------------------------

    def _cover(self, first_day: dt.date, last_day: dt.date | None = None) -> None:
        """Make sure the index spans these dates (reports call this thousands of times, so
        the common case — already covered, year already noted — returns at once)."""
        lo = first_day.year
        hi = lo if last_day is None else last_day.year
        if lo > hi:
            lo, hi = hi, lo
        touched = self.touched_years
        if lo not in touched or hi not in touched:
            touched.update(range(lo, hi + 1))
        self._span(lo, hi)

    def _span(self, lo: int, hi: int) -> None:
        """Make sure the index spans these years (without noting them)."""
        if self._built and self._first_year < lo and hi < self._last_year:
            return
        # a make-up working day can sit in the neighbouring calendar year, so one year of margin
        first = min(lo - 1, self._first_year or lo - 1)
        last = max(hi + 1, self._last_year)
        self._build(first, last)

    def _build(self, first: int, last: int) -> None:
        self._first_year, self._last_year = first, last
        self._off, self._makeup = {}, set()
        for data in self.schedule.years(first, last).values():
            self._off.update((dt.date.fromisoformat(d), n) for d, n in data["off"].items())
            self._makeup.update(dt.date.fromisoformat(d) for d in data["makeup"])
        self._built = True
        self._origin = dt.date(first, 1, 1).toordinal()
        end = dt.date(last, 12, 31).toordinal()
        flags = [self._working(dt.date.fromordinal(o)) for o in range(self._origin, end + 1)]
        self._workdays = [self._origin + i for i, w in enumerate(flags) if w]
        self._count = [0, *accumulate(flags)]

    def _working(self, day: dt.date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return override.working
        if day in self._makeup:
            return True
        return day.weekday() < 5 and day not in self._off

    # -- answers ------------------------------------------------------------------------

    def is_working(self, day: dt.date) -> bool:
        self._cover(day)
        offset = day.toordinal() - self._origin
        return self._count[offset + 1] > self._count[offset]

    def info(self, day: dt.date) -> DayInfo:
        self._cover(day)
        working = self.is_working(day)
        override = self.overrides.get(day)
        makeup = day in self._makeup
        if override is not None:
            # a day the clerk set without a name has none (SPEC §3: `name` or null); what it
            # is shows by its source, in the words of whoever reads it
            return DayInfo(day, working, override.name or None, "override", makeup)
        if makeup:
            return DayInfo(day, True, t("cal.makeup", self.lang), "package", True)
        if day in self._off:
            names = self._off[day]
            return DayInfo(day, False, names.get(self.lang) or names.get("en"), "package", False)
        return DayInfo(day, working, None, "weekday", False)

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The deadline of SPEC §4: the Nth working day after `start` (N = 0: the same day
        if it is a working day, else the next one)."""
        if days < 0:
            raise ValueError("days must not be negative")
        if days == 0:
            return start if self.is_working(start) else self.add_working_days(start, 1)
        self._cover(start)
        while True:
            index = bisect_right(self._workdays, start.toordinal()) + days - 1
            if index < len(self._workdays):
                result = dt.date.fromordinal(self._workdays[index])
                self._cover(result)
                return result
            self._build(self._first_year, self._last_year + 1 + days // 200)

    def working_days_before(self, end: dt.date, days: int) -> dt.date:
        """The working day `days` working days before `end`: `add_working_days` counted
        back (from it, adding `days` gives `end` again when `end` is a working day)."""
        if days <= 0:
            return end
        self._cover(end)
        while True:
            index = bisect_left(self._workdays, end.toordinal()) - days
            if index >= 0:
                result = dt.date.fromordinal(self._workdays[index])
                self._cover(result)
                return result
            self._build(self._first_year - 1 - days // 200, self._last_year)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative when end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        self._cover(start, end)
        return (
            self._count[end.toordinal() - self._origin + 1]
            - self._count[start.toordinal() - self._origin + 1]
        )

    def working_days_total(
        self, starts: Iterable[tuple[str, int, str, str]], ends: Iterable[tuple[str, int]]
    ) -> int:
        """The sum of `working_days_between(start, end)` over many pairs of ISO days, given
        as how many pairs start on each day (with the first and the last of their ends) and
        how many end on each day: a count between two days is a difference of running
        totals, so the sum splits, and a long period adds days, not cases. Notes the same
        years as asking pair by pair would."""
        starts = [
            (dt.date.fromisoformat(d), n, dt.date.fromisoformat(a), dt.date.fromisoformat(b))
            for d, n, a, b in starts
        ]
        ends = [(dt.date.fromisoformat(d), n) for d, n in ends]
        every = [day for row in starts for day in (row[0], row[2], row[3])]
        every += [day for day, _count in ends]
        if not every:
            return 0
        self._span(min(every).year, max(every).year)  # one build, not one a year
        for day, _count, first, last in starts:
            self._cover(day, first)
            self._cover(day, last)
        for day, _count in ends:
            self._cover(day)
        # covered: the index is not rebuilt under the running totals read below
        count, origin = self._count, self._origin
        total = sum(n * count[day.toordinal() - origin + 1] for day, n in ends)
        return total - sum(n * count[day.toordinal() - origin + 1] for day, n, _, _ in starts)

    def days_off_between(self, start: dt.date, end: dt.date) -> list[DayInfo]:
        """The non-working days from `start` to `end`, both included."""
        self._cover(start, end)
        first = bisect_left(self._workdays, start.toordinal())
        working = set(self._workdays[first : bisect_right(self._workdays, end.toordinal())])
        return [
            self.info(dt.date.fromordinal(o))
            for o in range(start.toordinal(), end.toordinal() + 1)
            if o not in working
        ]

    # -- confirmed years ----------------------------------------------------------------

    def confirmed_by(self, year: int) -> str | None:
        """ "package" or "clerk" when the year's official schedule is known, else None."""
        if year in self.schedule.confirmed():
            return "package"
        if year in self.clerk_confirmed:
            return "clerk"
        return None

    def without_holidays(self, years: Iterable[int]) -> list[int]:
        """Of these years, those for which the package knows no statutory holiday at all: it
        computes China's up to 2100, and the ledger takes dates to 2200 (SPEC §3). There only
        Saturdays and Sundays were days off, and a warning must not say holidays were."""
        entered = {day.year for day, o in self.overrides.items() if not o.working}
        return sorted(
            y for y in set(years) if y not in entered and not self.schedule.years(y, y)[y]["off"]
        )

    def unconfirmed_years(self, years: Iterable[int] | None = None) -> list[int]:
        """Of the given years (default: every year an answer so far depended on), the
        ones whose schedule is not confirmed."""
        years = self.touched_years if years is None else years
        return sorted(y for y in set(years) if self.confirmed_by(y) is None)


def month_days(cal: WorkCalendar, year: int, month: int) -> list[DayInfo]:
    first = dt.date(year, month, 1)
    after = dt.date(year + month // 12, month % 12 + 1, 1)
    return [cal.info(dt.date.fromordinal(o)) for o in range(first.toordinal(), after.toordinal())]


def year_days(cal: WorkCalendar, year: int) -> list[DayInfo]:
    return [day for month in range(1, 13) for day in month_days(cal, year, month)]
