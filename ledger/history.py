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
from typing import Any

from ledger.calendar import WorkCalendar
from ledger.case import BY_NAME, FIELDS, IN_FORCE, Case, from_json, in_force, to_json
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
    """Take back the last move (SPEC §5): everything it changed is put back, the time fields
    follow from the history without it, and the move stays in the timeline, marked by this."""
    target = undoable(history)
    if target is None or target.action in INTAKE:
        raise MoveRefused("err.nothing_to_undo", id=case.id)
    values: dict[str, Any] = {}
    for name, old, _new in target.changes:
        if name == "department":
            continue
        if name not in TIME_FIELDS:
            values[name] = from_json(BY_NAME[name], old)
    values["status"] = target.status_from
    before = history[history.index(target) - 1]
    values["department_id"] = before.department_id
    return step(case, history, "undone", at, values, cal, names, note=note, undoes=target.id)


# -- the calendar changed ---------------------------------------------------------------


def recalculated(
    case: Case, history: list[Event], at: dt.datetime, cal: WorkCalendar, names: Mapping[int, str]
) -> Step | None:
    """When the calendar changed, a case not yet answered whose deadline (while unresolved) or
    feedback-due date (once resolved) now falls on another day gets it (SPEC §3); None when
    nothing moves."""
    if case.status not in ("received", "classified", "dispatched", "resolved"):
        return None
    times = ("feedback_due",) if case.status == "resolved" else TIME_FIELDS
    derived = derive(history, cal)
    if all(derived[name] == getattr(case, name) for name in times):
        return None
    return step(case, history, "recalculated", at, {}, cal, names, times=times)


# -- import -----------------------------------------------------------------------------

# what an `imported` event keeps: what the as-of index and the deadlines are made of, and the
# dates the case's past is told by (the case's text is in its row, not copied into history)
PAST_DATES = ("received_at", "resolved_at", "feedback_at")


def imported(case: Case, note: str | None, names: Mapping[int, str]) -> Step:
    """A case that comes in from a sheet: one `imported` event, at the row's latest date,
    with what the row says is in force and its dates; and its past as its dates tell it
    (SPEC §7), so that a report of an earlier day finds it in the state those dates give."""
    now = in_force(case)
    told = {name: to_json(BY_NAME[name], getattr(case, name)) for name in PAST_DATES}
    changes = [
        ["department" if name == "department_id" else name, None, _told(name, value, names)]
        for name, value in (*told.items(), *now.items())
        if name != "status" and value not in (None, [], 0)
    ]
    at = _latest(case)
    event = Event(
        case.id, at, "imported", None, case.status, note, changes, department_id=case.department_id
    )
    return Step(case, event, past_states(now, told, at))


def _told(name: str, value: Any, names: Mapping[int, str]) -> Any:
    return names.get(value) if name == "department_id" else value


def _latest(case: Case) -> dt.datetime:
    moments = [case.received_at, case.dispatched_at, case.resolved_at, case.feedback_at]
    moments += [dt.datetime.fromisoformat(e["at"]) for e in case.extensions]
    return max(m for m in moments if m is not None)


# what an imported row dates beside its status: the field, and the move that sets it
_DATED = (("acknowledged_at", "ack"), ("first_chase_at", "urge"), ("paused_since", "pause"))


def past_states(now: dict, told: dict, at: dt.datetime) -> list[dict]:
    """The as-of rows of an imported case: received, then as its dates say. `now` is what is
    in force (as `in_force` gives it), `told` its receipt, resolution and answer times."""
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
    steps.sort(key=lambda item: item[1])  # stable: a move at the same minute keeps its order
    rows = []
    then = "received"
    for change, start, status_then in steps:
        then = status_then or then
        resolved = then in ("resolved", "closed", "void") and resolved_at is not None
        row = {**now, "valid_from": start, "change": change, "status": then}
        row["chase_count"] = now["chase_count"] if then != "received" else 0
        row["dispatched_at"] = dispatched_at if then != "received" else None
        if not resolved:
            row.update(feedback_due=None, resolution=None, outcome=None)
        if then not in ("closed", "void"):
            row["satisfaction"] = None
        for name, _change in _DATED:
            if not (row[name] and row[name] <= start):
                row[name] = None
        rows.append(row)
    # what is in force now is the case's own, whatever the dates said on the way
    rows[-1].update(now)
    return rows


# -- the as-of index from the timeline alone --------------------------------------------


def replay(events: Iterable[Event]) -> list[dict]:
    """The as-of rows a case's timeline gives, in order, each with the id of the event that
    began it: what `states` must hold for the case (`ledger check` compares them)."""
    rows: list[dict] = []
    current: dict[str, Any] = {}
    for event in events:
        if not current:
            current = dict(in_force(blank(event.case_id)))
        if event.action == "imported":
            current, told = _from_changes(event)
            made = past_states(current, told, event.at)
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
    return now, {name: values.get(name) for name in PAST_DATES}
