"""Time limits of SPEC §4: deadlines, feedback-due dates, lateness — all in working days.

A case's deadline is not a number stored once and patched: it is what its own history gives on
the calendar in force (receipt or reopening date + limit, then its extensions), so that an undo,
an override or a newer official schedule moves it the same way the moves themselves do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Protocol

from ledger.calendar import WorkCalendar

DEFAULT_LIMITS = {"simple": 0, "standard": 3, "complex": 5, "cannot": 0}
MAX_EXTENSION_DAYS = 10


class Happened(Protocol):
    """What the derivation reads of an event (see `history.Event`)."""

    id: int | None
    at: dt.datetime
    action: str
    days: int | None
    late: bool
    undoes: int | None

    def new(self, name: str) -> Any: ...

    def sets(self, name: str) -> bool: ...


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
        "skipped": [
            {"date": d.day.isoformat(), "name": d.name, "source": d.source} for d in skipped
        ],
        "unconfirmed_years": cal.unconfirmed_years(range(start.year, due.year + 1)),
    }


# -- the time fields a history gives ----------------------------------------------------

# events that start a round of work: the deadline counts from them
_STARTS = ("received", "reopen")
# events that are records, not moves: they change no time field by themselves
_RECORDS = ("note", "undone", "recalculated")


def effective(events: Iterable[Happened]) -> list[Happened]:
    """The moves that count: an undone move does not, nor the undo itself."""
    events = list(events)
    undone = {e.undoes for e in events if e.action == "undone"}
    return [e for e in events if e.action not in _RECORDS and (e.id is None or e.id not in undone)]


def derive(events: Iterable[Happened], cal: WorkCalendar) -> dict[str, dt.date | None]:
    """The deadline, the on-time deadline and the feedback-due date a case's history gives.

    Each round starts at the receipt or the reopening, counted by the limit's days recorded
    then (a later change of the settings does not reach back); `classify --limit` recounts the
    round from its start; extensions are added in order. An imported deadline the row told,
    or one written by a version of the ledger that did not record how it was counted, is
    taken as given; one the import counted (the row told none) is counted again.

    A pause (中止计时) moves both deadlines, once resumed, by the working days after the pause
    day up to and including the resume day, counted on the calendar in force — so a closure
    entered later moves them too."""
    base: tuple | None = None  # ("count", start, days) or ("given", date)
    start: dt.date | None = None
    # in order: ("extend", days, (late, day asked)) or ("pause", paused day, resumed day)
    adds: list[tuple] = []
    paused: dt.date | None = None
    feedback: dt.date | None = None
    given_feedback = False  # the answer date an import carried, taken as given
    for event in effective(events):
        day = event.at.date()
        action = event.action
        # a move written by a version of the ledger that did not record its days, and that
        # left the deadline as it was, leaves the count as it was
        as_before = event.days is None and not event.sets("deadline")
        if action == "imported":
            start = _day(event.new("received_at"))
            given = _date(event.new("deadline"))
            on_time = (
                _date(event.new("on_time_deadline")) if event.sets("on_time_deadline") else None
            )
            base, adds = ("given", given, on_time or given), []
            counted = event.days
            # (a count another program spoilt is named by the shape check, not met here)
            if isinstance(counted, int) and not isinstance(counted, bool) and start is not None:
                # a deadline the ledger counted, the row telling none: counted again
                base = ("count", start, counted)
            since = event.new("paused_since")
            paused = _day(since) if since else None
            feedback = _date(event.new("feedback_due"))
            given_feedback = True
        elif action in _STARTS:
            start = day
            if not as_before:
                base, adds = _base(event, start), []
            paused = None
            feedback = None
        elif action == "classify" and event.sets("limit") and not as_before:
            base = _base(event, start)
        elif action == "extend":
            adds.append(("extend", event.days, (event.late, day)))
        elif action == "pause":
            paused = day
        elif action == "resume" and paused is not None:
            adds.append(("pause", paused, day))
            paused = None
        elif event.sets("deadline") and event.days is None:
            given = _date(event.new("deadline"))
            base, adds = ("given", given, given), []  # an older ledger's move
        if action == "resolve":
            feedback = feedback_due(day, event.new("resolution") or "done", cal)
            given_feedback = False
    if feedback is not None and given_feedback:
        # an imported answer date is still a working day: a closure declared later on it
        # moves it to the next one, as it moves a deadline taken as given (SPEC §3)
        feedback = cal.add_working_days(feedback, 0)
    return {
        "deadline": _due(base, adds, cal, on_time=False),
        "on_time_deadline": _due(base, adds, cal, on_time=True),
        "feedback_due": feedback,
    }


def _base(event: Happened, start: dt.date | None) -> tuple:
    if event.days is None or start is None:
        given = _date(event.new("deadline"))
        return ("given", given, given)
    return ("count", start, event.days)


def _due(base: tuple | None, adds: list[tuple], cal, on_time: bool) -> dt.date | None:
    if base is None:
        return None
    if base[0] == "given":
        # a deadline taken as given is still a working day: a closure declared later on it
        # moves it to the next one, as it moves every counted deadline (SPEC §3)
        given = base[2] if on_time else base[1]
        due = None if given is None else cal.add_working_days(given, 0)
    else:
        due = cal.add_working_days(base[1], base[2])
    if due is None:
        return None
    for kind, first, second in adds:
        if kind == "pause":
            days = paused_days(first, second, cal)
            if days:  # a pause is not an extension: it never makes a case late
                due = cal.add_working_days(due, days)
        elif not on_time or counts_for_on_time(*second, due):
            due = cal.add_working_days(due, first)
    return due


def counts_for_on_time(late: bool, asked: dt.date, on_time_due: dt.date) -> bool:
    """Whether an extension moves the deadline that decides 'on time': not one recorded after
    the deadline it moved (SPEC §4), nor one recorded after the on-time deadline itself — once
    a late extension has let that pass, a later one asked in time for the moved deadline
    cannot bring the case back to on time."""
    return not late and asked <= on_time_due


def paused_days(paused: dt.date, until: dt.date, cal: WorkCalendar) -> int:
    """Working days after the pause day up to and including `until` (SPEC §4)."""
    return max(0, cal.working_days_between(paused, until))


def _date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _day(value: str | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else dt.date.fromisoformat(value[:10])
