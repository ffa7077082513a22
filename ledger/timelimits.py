"""Time limits of SPEC §4: deadlines, feedback-due dates, lateness — all in working days."""

from __future__ import annotations

import datetime as dt

from ledger.calendar import WorkCalendar

DEFAULT_LIMITS = {"simple": 0, "standard": 3, "complex": 5, "cannot": 0}


def deadline(received: dt.date, limit: str, limits: dict[str, int], cal: WorkCalendar) -> dt.date:
    """Receipt day not counted: the Nth working day after it (N = 0: that day or the next)."""
    return cal.add_working_days(received, limits[limit])


def feedback_due(resolved: dt.date, resolution: str, cal: WorkCalendar) -> dt.date:
    """A `cannot` is explained the same working day; any other outcome by the next one."""
    return cal.add_working_days(resolved, 0 if resolution == "cannot" else 1)


def days_late(due: dt.date, on: dt.date, cal: WorkCalendar) -> int:
    """Working days after `due` up to and including `on` (0 when not late)."""
    return max(0, cal.working_days_between(due, on))


def due_soon(due: dt.date, on: dt.date, cal: WorkCalendar) -> bool:
    """Due by the next working day after `on` (a case that is already late is listed as late
    by the caller). This includes a deadline that has passed on a day off without a working
    day since — a Saturday make-up deadline seen on Sunday — which is not late yet but must
    not drop off the sheet."""
    return due <= cal.next_working_day(on)


def explain_deadline(start: dt.date, days: int, cal: WorkCalendar) -> dict:
    """What `ledger deadline` answers: the deadline and the non-working days it skipped."""
    due = cal.add_working_days(start, days)
    first = start if days == 0 else start + dt.timedelta(days=1)
    skipped = cal.days_off_between(first, due - dt.timedelta(days=1)) if due > first else []
    return {
        "start": start.isoformat(),
        "days": days,
        "deadline": due.isoformat(),
        "skipped": [{"date": d.day.isoformat(), "name": d.name} for d in skipped],
        "unconfirmed_years": cal.unconfirmed_years(range(start.year, due.year + 1)),
    }
