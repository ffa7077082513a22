"""What a case is (SPEC §5), said once: each field, the kind of value it holds, the word whose
labels show it, and whether the as-of index keeps what was in force when.

Inside the ledger a case is a `Case` with real dates and times; the store converts them at its
boundary, and output (JSON, CSV, tables) gets them in ISO form from `as_json`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

MINUTE = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # id, code, codes, text, prose, minute, day, count, department, names, extensions
    word: str | None = None  # the word whose labels show a code
    shown: bool = True  # part of a case as output shows it (JSON, CSV, `show`)
    in_force: bool = False  # kept in the as-of index: what was in force on a past day
    editable: bool = False  # `ledger edit` may correct it


FIELDS: tuple[Field, ...] = (
    Field("id", "id"),
    Field("status", "code", "status", in_force=True),
    Field("received_at", "minute"),
    Field("channel", "code", "channel", in_force=True, editable=True),
    Field("applicant", "text", editable=True),
    Field("contact", "text", editable=True),
    Field("matter", "text", editable=True),
    Field("problem", "code", "problem", in_force=True, editable=True),
    Field("cause", "prose", editable=True),
    Field("sections", "codes", "section", in_force=True, editable=True),
    Field("scope", "code", "scope", in_force=True, editable=True),
    Field("department", "department", in_force=True),
    # the assisting departments (协办) by name, as the timeline keeps departments: a slip each
    Field("assist", "names", in_force=True),
    Field("limit", "code", "limit"),
    Field("deadline", "day", in_force=True),
    Field("dispatched_at", "minute", in_force=True),
    # the department's acknowledgement (签收) of the latest dispatch; a new dispatch clears it
    Field("acknowledged_at", "minute", in_force=True),
    Field("extensions", "extensions"),
    # the clock stopped (中止计时) since then; None while it runs
    Field("paused_since", "minute", in_force=True),
    Field("chase_count", "count", in_force=True),
    # the first chase of the department now holding the order: the escalation ladder's start
    Field("first_chase_at", "minute", in_force=True),
    Field("resolved_at", "minute"),
    Field("resolution", "code", "resolution", in_force=True),
    Field("method", "prose", editable=True),
    # in force: a sheet of an earlier day shows the outcome it had then (an undo takes it back)
    Field("outcome", "prose", in_force=True, editable=True),
    Field("feedback_due", "day", in_force=True),
    Field("feedback_at", "minute"),
    Field("feedback_via", "code", "via"),
    Field("satisfaction", "code", "satisfaction", in_force=True),
    Field("ref", "text", editable=True),
    # the deadline that decides 'on time': extensions asked for late do not move it (SPEC §4)
    Field("on_time_deadline", "day", shown=False, in_force=True),
    # the day of the last chase notice recorded (`notices --record` does not chase twice a day)
    Field("last_notice", "day", shown=False),
)
BY_NAME = {f.name: f for f in FIELDS}
SHOWN = tuple(f for f in FIELDS if f.shown)
IN_FORCE = tuple(f.name for f in FIELDS if f.in_force)
EDITABLE = {f.name: f for f in FIELDS if f.editable}
# kept as prose, where a newline is part of the text (SPEC §5)
PROSE = tuple(f.name for f in FIELDS if f.kind == "prose")

# why the clock stands still: the note of the pause in force, which the timeline keeps and a
# case's row does not. A sheet writes it beside the pause date, so that an import carries it
# (into its `imported` event) and the sheet of the imported ledger says why.
PAUSE_REASON = Field("pause_reason", "prose")
_PAUSED = SHOWN.index(BY_NAME["paused_since"]) + 1
# the columns of a sheet (`export`, `import`): the shown fields, and the pause's reason
SHEET = (*SHOWN[:_PAUSED], PAUSE_REASON, *SHOWN[_PAUSED:])
SHEET_BY_NAME = {f.name: f for f in SHEET}
# every name an event's changes may use: the case's fields, and the pause's reason
CHANGED_BY_NAME = {**BY_NAME, PAUSE_REASON.name: PAUSE_REASON}


@dataclass
class Case:
    id: str
    received_at: dt.datetime
    applicant: str
    matter: str
    status: str = "received"
    channel: str | None = None
    contact: str | None = None
    problem: str | None = None
    cause: str | None = None
    sections: list[str] = field(default_factory=list)
    scope: str | None = None
    department_id: int | None = None
    department: str | None = None  # the department's name, for output
    assist: list[str] = field(default_factory=list)
    limit: str = "standard"
    deadline: dt.date | None = None
    dispatched_at: dt.datetime | None = None
    acknowledged_at: dt.datetime | None = None
    extensions: list[dict] = field(default_factory=list)
    paused_since: dt.datetime | None = None
    chase_count: int = 0
    first_chase_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    resolution: str | None = None
    method: str | None = None
    outcome: str | None = None
    feedback_due: dt.date | None = None
    feedback_at: dt.datetime | None = None
    feedback_via: str | None = None
    satisfaction: str | None = None
    ref: str | None = None
    on_time_deadline: dt.date | None = None
    last_notice: dt.date | None = None

    @property
    def year(self) -> int:
        return int(self.id.partition("-")[0])

    @property
    def seq(self) -> int:
        return int(self.id.partition("-")[2])

    def changed(self, **values: Any) -> Case:
        return dataclasses.replace(self, **values)

    def get(self, name: str) -> Any:
        return getattr(self, name)

    def as_json(self) -> dict:
        """Every shown field in order, in the form output uses: codes, ISO dates."""
        return {f.name: to_json(f, getattr(self, f.name)) for f in SHOWN}


def to_json(spec: Field, value: Any) -> Any:
    """A field's value as output and the timeline show it: ISO dates, times to the minute."""
    if value is None:
        return None
    kind = spec.kind
    if kind == "minute":
        return value.isoformat(" ", "minutes")
    if kind == "day":
        return value.isoformat()
    if kind in ("codes", "names"):
        return list(value)
    return value


def from_json(spec: Field, value: Any) -> Any:
    """The reverse of `to_json`: what the timeline and the store hold, as the case holds it."""
    if value is None or value == "":
        return [] if spec.kind in ("codes", "names", "extensions") else None
    kind = spec.kind
    if kind == "minute":
        return dt.datetime.fromisoformat(value)
    if kind == "day":
        return dt.date.fromisoformat(value)
    return value


def in_force(case: Case) -> dict:
    """What the as-of index keeps of a case, JSON-ready, with its department's id."""
    values = {name: to_json(BY_NAME[name], getattr(case, name)) for name in IN_FORCE}
    values["department_id"] = case.department_id
    del values["department"]
    return values
