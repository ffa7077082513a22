"""What the ledger writes where it keeps a list (as JSON), a count or a move of the timeline.

Another program may write anything into the file; a value of these columns that is not of
the ledger's own shape is one no command can go on with (an event's changes that do not
parse, a chase count of 'abc', an action that is no move). `ledger check` names each, and a
command that met one says so in `check`'s words instead of an internal error. The tests here
are pure: the store asks them of the values it reads.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from ledger.case import CHANGED_BY_NAME
from ledger.history import INTAKE
from ledger.lifecycle import MOVES

# what an event's action (and the as-of row it began) may be: a move of SPEC §5 as recorded
EVENT_ACTIONS = frozenset((*INTAKE, *(m for m in MOVES if m != "undo"), "undone", "recalculated"))

# the years a date of the ledger can reach (as `store.WELL_DATED`: 1900-2299)
_YEARS = range(1900, 2300)


def is_day(value: object) -> bool:
    """'2026-10-14' (Python reads more than that as a date: '20261014', '2026-W42-3')."""
    if type(value) is not str or len(value) != 10 or value[4] != "-" or value[7] != "-":
        return False
    try:
        return value.isascii() and dt.date.fromisoformat(value).year in _YEARS
    except ValueError:
        return False


def is_minute(value: object) -> bool:
    """'2026-10-14 09:30'."""
    if type(value) is not str or len(value) != 16 or value[10] != " " or value[13] != ":":
        return False
    try:
        return is_day(value[:10]) and dt.time.fromisoformat(value[11:]).second == 0
    except ValueError:
        return False


# the most a count of the ledger reaches (chases, days): one past it would overflow SQLite's
# integers when the ledger adds to it
MOST = 10**9


def is_count(value: object) -> bool:
    return type(value) is int and 0 <= value <= MOST  # a bool is no count


def _texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _extension(item: object) -> bool:
    return (
        isinstance(item, dict)
        and is_minute(item.get("at"))
        and is_count(item.get("days"))
        and is_day(item.get("from"))
        and is_day(item.get("to"))
        and isinstance(item.get("reason"), str)
        and item.get("late", True) is True
    )


def _extensions(value: object) -> bool:
    return isinstance(value, list) and all(map(_extension, value))


def _text(value: object) -> bool:
    return type(value) is str


# a changed field's value by its kind (None, "not set", is always one)
_VALUE: dict[str, Callable[[object], bool]] = {
    "day": is_day,
    "minute": is_minute,
    "count": is_count,
    "codes": _texts,
    "names": _texts,
    "extensions": _extensions,
}
# the names an event's changes use — the case's fields, the lead department by its name —
# each with the test of its values
_CHANGED = {
    name: _VALUE.get(spec.kind, _text) for name, spec in CHANGED_BY_NAME.items() if name != "id"
}


def _changes(value: object) -> bool:
    # a loop, not nested calls: `check` asks this of every event of the timeline
    if type(value) is not list:
        return False
    for item in value:
        if type(item) is not list or len(item) != 3:
            return False
        fits = _CHANGED.get(item[0])
        if fits is None:
            return False
        _name, old, new = item
        if (old is not None and not fits(old)) or (new is not None and not fits(new)):
            return False
    return True


_JSON: dict[str, Callable[[object], bool]] = {
    "names": _texts,
    "extensions": _extensions,
    "changes": _changes,
}


def parsed(kind: str, value: object) -> list | None:
    """The list `value` holds, when it is a value of `kind` ("names", "extensions",
    "changes") as the ledger writes it — JSON of the right shape; else None."""
    if not isinstance(value, str):
        return None
    try:
        found = json.loads(value)
    except (ValueError, RecursionError):  # RecursionError: '[[[[…' nested past Python's depth
        return None
    if "\\u" in value and not _encodable(found):
        return None
    return found if _JSON[kind](found) else None


def _encodable(value: object) -> bool:
    """Whether JSON's escapes made no lone surrogate ("\\ud800", what a tool that cut an
    emoji in two writes): such text cannot be written out again. The ledger writes no
    escape of the kind, so only JSON holding one is looked at."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def intake_changes(action: object, changes: list) -> bool:
    """An intake event (received, imported) tells when the case was received: every count of
    its time limits starts there."""
    if action not in INTAKE:
        return True
    return any(name == "received_at" and is_minute(new) for name, _old, new in changes)


def readable_list(value: object, kind: str = "names") -> list:
    """A stored list for a report or list that only shows it: the list, or — when another
    program wrote something else there, which `check` names — that value as its one item,
    so that one such value does not cost the clerk the day's sheet."""
    if value is None or value == "" or value == "[]":
        return []
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    found = parsed(kind, value)
    return [str(value)] if found is None else found
