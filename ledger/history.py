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

from ledger import lifecycle
from ledger.calendar import WorkCalendar
from ledger.case import BY_NAME, FIELDS, IN_FORCE, MINUTE, Case, from_json, in_force, to_json
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
    return {"valid_from": at.strftime(MINUTE), "change": change, **in_force(case)}


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


def imported(case: Case, note: str | None, names: Mapping[int, str]) -> Step:
    """A case that comes in from a sheet: one `imported` event, at the row's latest date, that
    sets every field the row carries; and its past as its dates tell it (SPEC §7), so that a
    report of an earlier day finds it in the state those dates give."""
    changes = _diff(blank(case.id), case, names)
    at = _latest(case)
    event = Event(
        case.id, at, "imported", None, case.status, note, changes, department_id=case.department_id
    )
    return Step(case, event, past_states(case))


def _latest(case: Case) -> dt.datetime:
    moments = [case.received_at, case.dispatched_at, case.resolved_at, case.feedback_at]
    moments += [dt.datetime.strptime(e["at"], MINUTE) for e in case.extensions]
    return max(m for m in moments if m is not None)


def past_states(case: Case) -> list[dict]:
    """The as-of rows of an imported case: received, then as its dates say."""
    steps = [("received", case.received_at, "received")]
    handed = case.department_id is not None and case.dispatched_at is None
    if case.status == "classified" or (handed and case.status != "received"):
        steps.append(("classify", case.received_at, "classified"))
    if case.dispatched_at:
        steps.append(("dispatch", case.dispatched_at, "dispatched"))
    if case.resolved_at and case.status in ("resolved", "closed", "void"):
        steps.append(("resolve", case.resolved_at, "resolved"))
    if case.feedback_at and case.status in ("closed", "void"):
        steps.append(("feedback", case.feedback_at, "closed"))
    if case.status == "void":
        steps.append(("void", _latest(case), "void"))
    rows = []
    for change, start, status in steps:
        resolved = status in ("resolved", "closed", "void") and case.resolved_at is not None
        then = case.changed(
            status=status,
            chase_count=case.chase_count if status != "received" else 0,
            feedback_due=case.feedback_due if resolved else None,
            resolution=case.resolution if resolved else None,
            satisfaction=case.satisfaction if status in ("closed", "void") else None,
            dispatched_at=case.dispatched_at if status != "received" else None,
        )
        rows.append(state_row(then, start, change))
    # what is in force now is the case's own, whatever the dates said on the way
    rows[-1].update(in_force(case))
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
            case = _from_changes(event)
            made = past_states(case)
            current = dict(in_force(case))
        else:
            before = dict(current)
            for name, _old, new in event.changes:
                if name in IN_FORCE and name != "department":
                    current[name] = new
            current["status"] = event.status_to
            current["department_id"] = event.department_id
            begins = event.action == "received" or current != before
            made = [{"valid_from": event.at.strftime(MINUTE), "change": event.action, **current}]
            made = made if begins else []
        for row in made:
            row["event_id"] = event.id
        rows += made
    return rows


def _from_changes(event: Event) -> Case:
    values = {name: from_json(BY_NAME[name], new) for name, _old, new in event.changes}
    values.pop("department", None)
    values["status"] = event.status_to
    values["department_id"] = event.department_id
    values["id"] = event.case_id
    return Case(**values)


def check_move(case: Case, move: str) -> None:
    lifecycle.check(case.id, case.status, move)
