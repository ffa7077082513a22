"""The one writer of history (SPEC §5, §6): a move becomes its event and its as-of rows here,
for the clerk's commands and for import alike, and nowhere else.

An event keeps codes and values — for each field the move changed, the old and the new value
(codes, ISO dates, department names) — never words of an interface language; `render` chooses
the words. The as-of rows (`states`) say what was in force from when; they can be rebuilt from
the events alone (`replay`), which `ledger check` does.

Pure: no SQL, no clock, no terminal. Time fields come from the history through
`timelimits.derive`, on the calendar the caller passes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ledger.calendar import WorkCalendar
from ledger.case import (
    BY_NAME,
    FIELDS,
    IN_FORCE,
    PAUSE_REASON,
    Case,
    from_json,
    in_force,
    to_json,
)
from ledger.errors import MoveRefused
from ledger.timelimits import derive, effective

TIME_FIELDS = ("deadline", "on_time_deadline", "feedback_due")
# moves that cannot be taken back: the case came in by them (a mistaken one is voided)
INTAKE = ("received", "imported")


@dataclass
class Event:
    """One entry of a case's timeline."""

    case_id: str
    at: dt.datetime
    action: str
    status_from: str | None
    status_to: str
    note: str | None = None
    changes: list[list[Any]] = field(default_factory=list)  # [field, old, new], JSON-ready
    days: int | None = None  # a limit's, an extension's working days
    late: bool = False  # an extension asked for after the deadline had passed
    undoes: int | None = None  # the event an `undone` event takes back
    department_id: int | None = None  # the department in force after it
    id: int | None = None  # given by the store

    def sets(self, name: str) -> bool:
        return any(change[0] == name for change in self.changes)

    def new(self, name: str) -> Any:
        for change in self.changes:
            if change[0] == name:
                return change[2]
        return None

    def old(self, name: str) -> Any:
        for change in self.changes:
            if change[0] == name:
                return change[1]
        return None


@dataclass
class Step:
    """What one move records: the case after it, its event, and the as-of rows it begins."""

    case: Case
    event: Event
    states: list[dict]


def blank(case_id: str) -> Case:
    """A case before its first event: what an intake's changes start from."""
    return Case(id=case_id, received_at=None, applicant=None, matter=None)


def state_row(case: Case, at: dt.datetime, change: str) -> dict:
    """An as-of row: what was in force from `at` on, and which move made it so."""
    return {"valid_from": at.isoformat(" ", "minutes"), "change": change, **in_force(case)}


def _diff(before: Case, after: Case, names: Mapping[int, str]) -> list[list[Any]]:
    changes = []
    for spec in FIELDS:
        if spec.name in ("id", "status"):
            continue
        if spec.kind == "department":
            old, new = before.department_id, after.department_id
            if old != new:
                changes.append(["department", names.get(old), names.get(new)])
            continue
        old, new = getattr(before, spec.name), getattr(after, spec.name)
        if old != new:
            changes.append([spec.name, to_json(spec, old), to_json(spec, new)])
    return changes


def step(
    case: Case,
    history: list[Event],
    action: str,
    at: dt.datetime,
    values: Mapping[str, Any],
    cal: WorkCalendar,
    names: Mapping[int, str],
    *,
    note: str | None = None,
    days: int | None = None,
    late: bool = False,
    undoes: int | None = None,
    times: tuple[str, ...] = TIME_FIELDS,
) -> Step:
    """The move `action` at `at`, setting `values`: the time fields follow from the history
    with this move in it (`times`: which of them this move may change)."""
    after = case.changed(**values)
    if "department_id" in values:
        after = after.changed(department=names.get(values["department_id"]))
    event = Event(
        case.id,
        at,
        action,
        case.status if action not in INTAKE else None,
        after.status,
        note=note,
        changes=_diff(case, after, names),
        days=days,
        late=late,
        undoes=undoes,
        department_id=after.department_id,
    )
    derived = derive([*history, event], cal)
    after = after.changed(**{name: derived[name] for name in times})
    event.changes = _diff(case, after, names)
    begins = action == "received" or in_force(after) != in_force(case)
    return Step(after, event, [state_row(after, at, action)] if begins else [])


# -- undo -------------------------------------------------------------------------------

# the time fields a change of the calendar moves, by status (SPEC §3): an unresolved case's
# deadlines, a resolved one's answer due date, nothing of an answered (or void) case
CALENDAR_REACHES: dict[str, tuple[str, ...]] = {
    "received": TIME_FIELDS,
    "classified": TIME_FIELDS,
    "dispatched": TIME_FIELDS,
    "resolved": ("feedback_due",),
}


def undoable(history: list[Event]) -> Event | None:
    """The case's last move that has not been taken back (notes, undos and recalculations
    are not moves); None when there is none."""
    moves = effective(history)
    return moves[-1] if moves else None


def undo(
    case: Case,
    history: list[Event],
    at: dt.datetime,
    cal: WorkCalendar,
    names: Mapping[int, str],
    note: str | None = None,
) -> Step:
    """Take back the last move (SPEC §5): everything it changed is put back, and the move
    stays in the timeline, marked by this. The time fields that a calendar change reaches in
    the status the case goes back to (SPEC §3: the deadlines of an unresolved case, the
    answer's due date of a resolved one) follow from the history without the move; the others
    are put back as they were (an answered case's dates were not moved by a calendar change
    since, so the history on today's calendar may not give them)."""
    target = undoable(history)
    if target is None or target.action in INTAKE:
        raise MoveRefused("err.nothing_to_undo", id=case.id)
    status = target.status_from
    followed = CALENDAR_REACHES.get(status, ())
    values: dict[str, Any] = {}
    for name, old, _new in target.changes:
        if name == "department":
            continue
        if name not in followed:
            values[name] = from_json(BY_NAME[name], old)
    values["status"] = status
    before = history[history.index(target) - 1]
    values["department_id"] = before.department_id
    return step(
        case, history, "undone", at, values, cal, names, note=note, undoes=target.id, times=followed
    )


# -- the calendar changed ---------------------------------------------------------------


def recalculated(
    case: Case, history: list[Event], at: dt.datetime, cal: WorkCalendar, names: Mapping[int, str]
) -> Step | None:
    """When the calendar changed, a case not yet answered whose deadline (while unresolved) or
    feedback-due date (once resolved) now falls on another day gets it (SPEC §3); None when
    nothing moves."""
    times = CALENDAR_REACHES.get(case.status)
    if not times:
        return None
    derived = derive(history, cal)
    if all(derived[name] == getattr(case, name) for name in times):
        return None
    return step(case, history, "recalculated", at, {}, cal, names, times=times)


# -- import -----------------------------------------------------------------------------

# what an `imported` event keeps: what the as-of index and the deadlines are made of, and the
# dates the case's past is told by (the case's text is in its row, not copied into history)
PAST_DATES = ("received_at", "resolved_at", "feedback_at")
# what the as-of index keeps of a case, in the order `in_force` gives it (its department's
# id last)
_NOW = (*(name for name in IN_FORCE if name != "department"), "department_id")
_NOW_LISTS = tuple(f.name for f in FIELDS if f.in_force and f.kind in ("codes", "names"))
_NOT_TOLD = ("status", "department_id")  # the status is the event's; the department by name


# in an imported row's values (`sheets.RowReader`): the working days of the deadline the
# ledger counted for it from its receipt, when the row told none
COUNTED_DAYS = "counted_days"


@dataclass
class Imported:
    """What an imported case records: its row (JSON-ready values, as the sheet reader gives
    them), its `imported` event, and its past as `PastRow`s."""

    case: dict
    event: Event
    past: list[PastRow]


def imported(values: Mapping[str, Any], department: str | None, note: str | None) -> Imported:
    """A case that comes in from a sheet: one `imported` event, at the row's latest date,
    with what the row says is in force and its dates; and its past as its dates tell it
    (SPEC §7), so that a report of an earlier day finds it in the state those dates give.

    `values` are the case's fields as the sheet reader gives them: JSON-ready, ISO text for
    dates (an import of 100,000 rows makes no dates of its text, nor text of them again).
    `department` is the lead department's name: its id is the store's to give (the event's
    `department_id` is left empty for it), so that a second process can make all of this
    while the first writes (`readahead`)."""
    now = {name: values.get(name) or None for name in _NOW}  # no field of it holds ""
    for name in _NOW_LISTS:
        now[name] = list(values.get(name) or ())
    now["chase_count"] = values.get("chase_count") or 0
    # the past asks only whether a department was named; the name stands in for the id
    now["department_id"] = department
    told = {name: values.get(name) or None for name in PAST_DATES}
    # what the row sets (every value here is text, a list, a count or an id: set when true)
    changes = [[name, None, value] for name, value in told.items() if value]
    changes += [
        [name, None, value] for name, value in now.items() if value and name not in _NOT_TOLD
    ]
    if department is not None:
        changes.append(["department", None, department])
    # why the clock stands still, which the timeline keeps (not the case's row): a pause of
    # its own recorded later says its own reason
    if now["paused_since"] and values.get(PAUSE_REASON.name):
        changes.append([PAUSE_REASON.name, None, values[PAUSE_REASON.name]])
    # the extensions the row carries date its past deadlines: the event keeps them
    extensions = list(values.get("extensions") or ())
    if extensions:
        changes.append(["extensions", None, extensions])
    at = _latest(values)
    # an extension the row says was asked for late counts in its period's figures as one
    # recorded by `extend --late` does (the event's flag finds it without reading every row)
    late = any(isinstance(e, dict) and e.get("late") is True for e in extensions)
    event = Event(values["id"], at, "imported", None, now["status"], note, changes, late=late)
    # a deadline the ledger counted (the row told none): the working days it counted with,
    # so that it follows the calendar as a deadline entered at the desk does (SPEC §3); one
    # the row told is taken as given (`timelimits.derive`)
    event.days = values.get(COUNTED_DAYS)
    return Imported(values, event, past_steps(now, told, at, extensions))


def _latest(values: Mapping[str, Any]) -> dt.datetime:
    """The row's latest date (its times are ISO text to the minute, which sorts as time):
    its acknowledgement, first chase and pause included, so that no later move can be
    recorded before something the row says happened."""
    dated = (name for name, _change in _DATED)
    moments = [values.get(name) for name in (*PAST_DATES, "dispatched_at", *dated)]
    moments += [e["at"] for e in values.get("extensions") or ()]
    return dt.datetime.fromisoformat(max(m for m in moments if m))


# what an imported row dates beside its status: the field, and the move that sets it
_DATED = (("acknowledged_at", "ack"), ("first_chase_at", "urge"), ("paused_since", "pause"))
# the fields of an as-of row of an imported case that are either what is in force now or
# empty (0 for the chase count): a `PastRow` says which it keeps, one bit each, in this order
KEPT = (
    "chase_count",
    "dispatched_at",
    "feedback_due",
    "resolution",
    "outcome",
    "satisfaction",
    *(name for name, _change in _DATED),
)
ALL_KEPT = (1 << len(KEPT)) - 1
_BIT = {name: 1 << index for index, name in enumerate(KEPT)}
_NOT_DATED = ALL_KEPT & ~sum(_BIT[name] for name, _change in _DATED)
_HANDLED = _BIT["chase_count"] | _BIT["dispatched_at"]  # empty while the case was received
_ANSWERED = _BIT["feedback_due"] | _BIT["resolution"] | _BIT["outcome"]  # until resolved


class PastRow(NamedTuple):
    """One as-of row of an imported case, told by what it differs in from what is in force
    now: when it began, by which move, the status then, and which of `KEPT` it keeps (the
    others are empty); every other field is what is in force now."""

    valid_from: str
    change: str
    status: str
    kept: int
    # the deadline then, when an extension the row carries came later (None: now's)
    deadline: str | None = None


def past_states(
    now: dict,
    told: dict,
    at: dt.datetime,
    extensions: list[dict] | tuple = (),
    first_rule: bool = False,
) -> list[dict]:
    """The as-of rows of an imported case: received, then as its dates say. `now` is what is
    in force (as `in_force` gives it), `told` its receipt, resolution and answer times,
    `extensions` the extension records it carries."""
    return expand(past_steps(now, told, at, extensions, first_rule), now)


def expand(past: list[PastRow], now: dict) -> list[dict]:
    """The as-of rows that `past` tells, whole."""
    rows = []
    for step in past:
        row = {**now, "valid_from": step.valid_from, "change": step.change, "status": step.status}
        if step.deadline is not None:
            row["deadline"] = step.deadline
        if step.kept != ALL_KEPT:
            for name, bit in _BIT.items():
                if not step.kept & bit:
                    row[name] = 0 if name == "chase_count" else None
        rows.append(row)
    return rows


def past_steps(
    now: dict,
    told: dict,
    at: dt.datetime,
    extensions: list[dict] | tuple = (),
    first_rule: bool = False,
) -> list[PastRow]:
    """`past_states`, each row told by how it differs from `now` (see `PastRow`).

    Each extension begins a row on its date, and before it the deadline is the one it moved
    (its `from`); the chase count is the row's from its first chase on (before it, none).
    `first_rule` is how imports before these two were made: no extension dated the past, and
    the count ran from the dispatch (`ledger check` accepts a past made so)."""
    status = now["status"]
    received, resolved_at, answered_at = (told[name] for name in PAST_DATES)
    dispatched_at = now["dispatched_at"]
    steps = [("received", received, "received")]
    handed = now["department_id"] is not None and dispatched_at is None
    if status == "classified" or (handed and status != "received"):
        steps.append(("classify", received, "classified"))
    if dispatched_at:
        steps.append(("dispatch", dispatched_at, "dispatched"))
    if resolved_at and status in ("resolved", "closed", "void"):
        steps.append(("resolve", resolved_at, "resolved"))
    if answered_at and status in ("closed", "void"):
        steps.append(("feedback", answered_at, "closed"))
    if status == "void":
        steps.append(("void", at.isoformat(" ", "minutes"), "void"))
    # the acknowledgement, the first chase and the pause the row carries begin on their dates
    for name, change in _DATED:
        if now.get(name):
            steps.append((change, now[name], None))
    # those of the row alone: a later `extend` has its own event (an older ledger's imported
    # event, carried over, may list them all)
    until = at.isoformat(" ", "minutes")
    extensions = [] if first_rule else [e for e in extensions if e["at"] <= until]
    extensions.sort(key=lambda extension: extension["at"])  # stable: as they were made
    steps += [("extend", extension["at"], None) for extension in extensions]
    steps.sort(key=lambda item: item[1])  # stable: a move at the same minute keeps its order
    # the dated fields a row keeps: those of `now` set on or before the row begins
    dated = [(now[name], _BIT[name]) for name, _change in _DATED if now[name]]
    chased = None if first_rule else now.get("first_chase_at")
    last_extended = extensions[-1]["at"] if extensions else None
    rows = []
    then = "received"
    made = 0  # the extensions made by the row's start (steps and extensions in time order)
    for change, start, status_then in steps:
        then = status_then or then
        kept = _NOT_DATED
        if then == "received":
            kept &= ~_HANDLED
        if chased is not None and start < chased:
            kept &= ~_BIT["chase_count"]
        if not (then in ("resolved", "closed", "void") and resolved_at is not None):
            kept &= ~_ANSWERED
        if then not in ("closed", "void"):
            kept &= ~_BIT["satisfaction"]
        for value, bit in dated:
            if value <= start:
                kept |= bit
        while made < len(extensions) and extensions[made]["at"] <= start:
            made += 1
        deadline = None  # from the last extension on, the deadline is now's
        if last_extended is not None and start < last_extended:
            # the deadline the next extension moved; where a pause, a reopening or a new
            # limit moved it after the one before, the later of the two: a past deadline is
            # never told earlier than it was
            deadline = extensions[made]["from"]
            if made:
                deadline = max(deadline, extensions[made - 1]["to"])
        rows.append(PastRow(start, change, then, kept, deadline))
    # what is in force now is the case's own, whatever the dates said on the way
    rows[-1] = PastRow(rows[-1].valid_from, rows[-1].change, status, ALL_KEPT)
    return rows


# -- the as-of index from the timeline alone --------------------------------------------


# what reading a timeline another program wrote in a way no clerk could (an intake in the
# middle, an extension with no days) raises in the code that reads it
UNREADABLE = (TypeError, ValueError, KeyError, IndexError, AttributeError)


def replayed(events: list[Event], cal: WorkCalendar, first_rule: bool = False) -> list[dict] | None:
    """A stored timeline's as-of rows (`replay`), when it can be read as the ledger reads
    one — its rows replayed and its deadlines derived; else None. Each value may be of the
    right shape and the timeline still not one the ledger could have written."""
    try:
        rows = replay(events, first_rule)
        derive(events, cal)
    except UNREADABLE:
        return None
    return rows


def replay(events: Iterable[Event], first_rule: bool = False) -> list[dict]:
    """The as-of rows a case's timeline gives, in order, each with the id of the event that
    began it: what `states` must hold for the case (`ledger check` compares them)."""
    rows: list[dict] = []
    current: dict[str, Any] = {}
    for event in events:
        if not current:
            current = dict(in_force(blank(event.case_id)))
        if event.action == "imported":
            current, told, extensions = _from_changes(event)
            made = past_states(current, told, event.at, extensions, first_rule)
        else:
            before = dict(current)
            for name, _old, new in event.changes:
                if name in IN_FORCE and name != "department":
                    current[name] = new
            current["status"] = event.status_to
            current["department_id"] = event.department_id
            begins = event.action == "received" or current != before
            made = [
                {
                    "valid_from": event.at.isoformat(" ", "minutes"),
                    "change": event.action,
                    **current,
                }
            ]
            made = made if begins else []
        for row in made:
            row["event_id"] = event.id
        rows += made
    return rows


def _from_changes(event: Event) -> tuple[dict, dict]:
    """What an `imported` event says is in force, and the dates it tells the past by."""
    values = {name: new for name, _old, new in event.changes}
    now = dict(in_force(blank(event.case_id)))
    now.update({k: v for k, v in values.items() if k in now})
    now["status"] = event.status_to
    now["department_id"] = event.department_id
    told = {name: values.get(name) for name in PAST_DATES}
    return now, told, list(values.get("extensions") or ())
