"""The ledger file (SPEC §9): the only module that speaks SQL.

One SQLite file; its schema version is `PRAGMA user_version`, read before anything is written.
Schema changes are named steps of `sqlite_utils.Migrations` (in `ledger.schema`, imported only
when a file is created, migrated, or of an earlier version), never renamed, never dropped.
Every command that records is one write transaction (`Ledger.writing`), preceded by the day's
automatic copy into `backups/`.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime as dt
import errno
import functools
import glob
import itertools
import json
import operator
import os
import re
import shutil
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from ledger import dates
from ledger.calendar import Override, PackageSchedule, WorkCalendar
from ledger.case import (
    BY_NAME,
    FIELDS,
    IN_FORCE,
    PAUSE_REASON,
    SHEET,
    SHOWN,
    Case,
    from_json,
    to_json,
)
from ledger.errors import BadInput, LedgerError, LedgerFileRefused
from ledger.files import (
    CACHE,
    COMPANIONS,
    FILE_MODE,
    backup_folder,
    cache_folder,
    claim_name,
    copy_stem,
    explain,
    fingerprint,
    forget_damage,
    guard,
    in_backups,
    known_damage,
    last_seen,
    ledger_path,
    make_folder,
    no_companions,
    os_errors,
    other_names,
    partial_beside,
    place_is_writable,
    private,
    remember_damage,
    remember_seen,
    sweep_partials,
)
from ledger.history import INTAKE, KEPT, Event, Imported, PastRow, Step, replayed
from ledger.i18n import CATALOGUE, t
from ledger.i18n import label as code_label
from ledger.jsonline import json_line
from ledger.patterns import lazy_pattern
from ledger.shapes import EVENT_ACTIONS, MOST, intake_changes, is_count, parsed, readable_list
from ledger.text import (
    UNSEEN,
    ascii_forms,
    clean,
    department_key,
    quoted,
    whole_number,
    without_marks,
)
from ledger.timelimits import DEFAULT_LIMITS, MAX_EXTENSION_DAYS
from ledger.words import SEQ_DIGITS, SEQ_LIMIT, format_id, id_parts

SCHEMA_VERSION = 7
FOREVER = "9999-12-31 23:59"  # valid_until of the state now in force
BACKUPS_KEPT = 30
BUSY_TIMEOUT_MS = 15_000

# text that is not UTF-8 (bytes written into the file by another program) is shown with U+FFFD
# in its place, instead of making every report of the ledger fail
T = TypeVar("T")
# the tables whose text `check` makes sure is text, each with what names one of its rows
TEXT_TABLES = {
    "cases": "id",
    "events": "case_id",
    "states": "case_id",
    "departments": "id",
    "settings": "key",
    "setting_changes": "id",
    "calendar_changes": "id",
    "calendar_overrides": "date",
    "calendar_confirmed": "year",
    "ledger_meta": "key",
}
# what any recorded change alters: two readers that agree on it see the same ledger (every
# change to a case is an event; the rest lives in these small tables)
STATE_MARK = (
    "SELECT (SELECT max(id) FROM events), (SELECT max(id) FROM states), "
    "(SELECT quote(case_id) || quote(at) || quote(action) || quote(changes) || quote(note) "
    "FROM events ORDER BY id DESC LIMIT 1), "
    "(SELECT quote(case_id) || quote(valid_from) || quote(status) || quote(deadline) "
    "FROM states ORDER BY id DESC LIMIT 1), "
    "(SELECT user_version FROM pragma_user_version), "
    "(SELECT group_concat(id || ':' || name || ':' || kind || ':' || ifnull(floor, '') || ':' "
    "|| ifnull(phone, ''), '|') FROM departments), "
    "(SELECT group_concat(key || '=' || value, '|') FROM settings), "
    "(SELECT group_concat(key || '=' || value, '|') FROM ledger_meta), "
    "(SELECT group_concat(date || working || ifnull(name, ''), '|') FROM calendar_overrides), "
    "(SELECT group_concat(year, '|') FROM calendar_confirmed)"
)
TOLERANT_TEXT = functools.partial(str, encoding="utf-8", errors="replace")
_UNDECODABLE = "Could not decode to UTF-8"


def _undecodable(error: sqlite3.Error) -> bool:
    return isinstance(error, sqlite3.OperationalError) and str(error).startswith(_UNDECODABLE)


SETTINGS_DEFAULTS: dict[str, str] = {
    "window_name": "",
    # the window's name for the office above (SPEC §13): ASCII letters, digits and `-`
    "window_code": "",
    "clerk_name": "",
    **{f"limit_{name}": str(days) for name, days in DEFAULT_LIMITS.items()},
    "max_extension_days": str(MAX_EXTENSION_DAYS),
    # a work order is acknowledged (签收) by this working day after its dispatch (SPEC §4)
    "ack_days": "1",
    # still late on this working day after the first chase: to be reported (通报)
    "report_after_days": "5",
    "on_time_threshold": "0.9",
    "satisfaction_threshold": "0.85",
    "feedback_threshold": "0.92",
}
THRESHOLDS = ("on_time_threshold", "satisfaction_threshold", "feedback_threshold")
# a window's code travels upward in file names and the city's SQL, joining packs of many
# windows (SPEC §13): ASCII letters, digits and '-', neither first nor last, at most 32
WINDOW_CODE = lazy_pattern(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?")


def validate_setting(key: str, value: str) -> str:
    """The value as it will be stored, or BadInput saying what is wrong."""
    key = setting_key(key)
    value = clean(value, f"settings.{key}", required=False) or ""
    if key.startswith("limit_"):
        return str(whole_number(value, 0, 365, f"settings.{key}"))
    if key == "max_extension_days":
        return str(whole_number(value, 1, 365, f"settings.{key}"))
    if key == "ack_days":
        return str(whole_number(value, 0, 30, f"settings.{key}"))
    if key == "report_after_days":
        return str(whole_number(value, 1, 60, f"settings.{key}"))
    if key == "window_code":
        # typed in full-width mode (ＤＧ－０１) it is the code in ASCII, as ids and dates are
        value = ascii_forms(value)
        if value and not WINDOW_CODE.fullmatch(value):
            raise BadInput("err.bad_window_code", value=value)
        return value
    if key in THRESHOLDS:
        # full-width digits and signs are the ASCII ones (９０％, ０．９); no other form
        # of a digit is (a superscript, a circled one), as for the day counts
        value = ascii_forms(value)
        # a line as the sheets print it (90%) is the fraction they print it for (0.9)
        number = value[:-1].rstrip() if value.endswith("%") else value
        if not re.fullmatch(r"[0-9]*\.?[0-9]+", number):
            raise BadInput("err.bad_threshold", value=value)
        share = float(number) / 100 if number != value else float(number)
        if not 0 <= share <= 1:
            # (90 is a number, and what the clerk meant: the line says how to write it)
            raise BadInput("err.bad_threshold", value=value)
        text = str(round(share, 6))
        # written out (0.00001), never as 1e-05, which no setting reads back
        return f"{round(share, 6):.6f}".rstrip("0") if "e" in text else text
    return value


_NOTE = lazy_pattern(r"\s*[(（][^()（）]*[)）]\s*$")


def _label_folded(text: str) -> str:
    # (without the marks that show nothing: `clerk_name<U+200B>` read as no setting)
    return "".join(unicodedata.normalize("NFKC", without_marks(text)).split()).casefold()


def setting_key(key: str) -> str:
    """The setting a clerk names by its key or by its label in either language (窗口名称,
    经办人), or BadInput naming the keys."""
    if key in SETTINGS_DEFAULTS:
        return key
    wanted = _label_folded(key)
    for name in SETTINGS_DEFAULTS:
        # the key too as the labels are: in capitals, in full-width letters (ＬＩＭＩＴ＿…)
        labels = [name, *(t(f"settings.{name}", lang) for lang in ("zh", "en"))]
        # a label with its note (按时办结率警戒线（0~1）) is also typed without it
        labels += [_NOTE.sub("", text) for text in labels]
        if wanted in map(_label_folded, labels):
            return name
    choices = t("list_sep").join(
        t("settings.choice", key=name, label=setting_label(name)) for name in SETTINGS_DEFAULTS
    )
    raise BadInput("err.bad_setting", key=key, choices=choices)


def setting_label(key: str) -> str:
    """A setting's name in the interface language, without its note (`按时办结率警戒线`)."""
    return _NOTE.sub("", t(f"settings.{key}"))


# the settings a report counts with: a value of them it cannot read stops it
COUNTED_SETTINGS = frozenset(
    key
    for key in SETTINGS_DEFAULTS
    if key.startswith("limit_") or key.endswith(("_days", "_threshold"))
)


def _spoilt_setting(key: str, value: object) -> bool:
    if key not in COUNTED_SETTINGS:
        return False
    if not isinstance(value, str):
        return True
    try:
        validate_setting(key, value)
        # as the reports read it: what the check cleans first (marks, full-width digits)
        # is not what `float`/`int` read
        (float if key in THRESHOLDS else int)(value)
    except (LedgerError, ValueError):
        return True
    # a line is stored as the fraction the reports read (0.9), never as typed (90%)
    return key in THRESHOLDS and value.rstrip().endswith(("%", "％"))


def make_backup_folder(folder: Path) -> Path:
    """`backups/`, made if need be. A file of that name is the clerk's to move: the line
    says so (the path is the ledger's, not one the clerk chose)."""
    try:
        return make_folder(folder)
    except BadInput as refused:
        if refused.key == "err.out_through_file" and refused.fields.get("path") == folder:
            raise LedgerFileRefused("err.backups_is_file", path=folder) from None
        raise


def default_path() -> Path:
    """--db, else $LEDGER_DB, else ledger.db in the user's application directory."""
    env = os.environ.get("LEDGER_DB")
    if env:
        return ledger_path(env)
    import typer  # the one place that knows the platform's application folder

    return Path(typer.get_app_dir("ledger")) / "ledger.db"


def _text_columns_of(conn: sqlite3.Connection, table: str) -> list[str]:
    return [
        column
        for _, column, kind, *_ in conn.execute(f"PRAGMA table_info({table})")
        if "TEXT" in (kind or "").upper()
    ]


# what `ledger edit` mends by typing it again: a case's own text, kept on its row alone (a
# code, a list of sections or the outcome is in the as-of index too, and events and the
# other tables are not the clerk's to edit); anything else is put back by `restore`
RETYPED = frozenset(
    ("cases", f.name)
    for f in FIELDS
    if f.editable and f.kind in ("text", "prose") and not f.in_force
)


def _foreign_bytes(key: str, table: str, row: str, column: str) -> str:
    """`check`'s line for a value another program wrote, with the way to mend it."""
    retyped = (table, column) in RETYPED
    return t(f"{key}_retype" if retyped else key, table=table, row=row, field=column)


def _type_problems(conn: sqlite3.Connection) -> list[str]:
    problems = []
    for table, label in TEXT_TABLES.items():
        columns = _text_columns_of(conn, table)
        if not columns:
            continue
        found = conn.execute(
            f"SELECT CAST({label} AS TEXT), "
            + ", ".join(f"typeof({column}) = 'blob'" for column in columns)
            + f" FROM {table} WHERE "
            + " OR ".join(f"typeof({column}) = 'blob'" for column in columns)
        )
        for rowid, *blobs in found:
            for column, blob in zip(columns, blobs, strict=True):
                if blob:
                    problems.append(_foreign_bytes("check.not_text", table, rowid, column))
    return problems


# where the ledger keeps dates ('2026-10-14') and minutes ('2026-10-14 09:30'), which every
# report reads as such: another program may write anything there
DATED: dict[str, dict[str, str]] = {
    "cases": {f.name: f.kind for f in FIELDS if f.kind in ("day", "minute")},
    "states": {
        "valid_from": "minute",
        "valid_until": "until",
        **{f.name: f.kind for f in FIELDS if f.kind in ("day", "minute") and f.in_force},
    },
    "events": {"at": "minute"},
    "setting_changes": {"at": "minute"},
    "calendar_overrides": {"date": "day"},
    "calendar_changes": {"date": "day", "at": "minute"},
}
_DAY = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
# (through julianday: SQLite's date() lets 2026-02-30 through as it is; the years are those
# the ledger's dates can reach — it takes 1990 to 2200 — not SQLite's 0000 to 9999, whose
# ends Python's dates cannot count past; the as-of index's "until further notice" apart)
_YEARS = "substr({c}, 1, 4) BETWEEN '1900' AND '2299'"
WELL_DATED = {
    "day": f"({{c}} GLOB '{_DAY}' AND {_YEARS} AND coalesce(date(julianday({{c}})) = {{c}}, 0))",
    "minute": f"({{c}} GLOB '{_DAY} [0-9][0-9]:[0-9][0-9]' AND {_YEARS} "
    "AND coalesce(strftime('%Y-%m-%d %H:%M', julianday({c})) = {c}, 0))",
}
WELL_DATED["until"] = f"({{c}} = '{FOREVER}' OR {WELL_DATED['minute']})"


def _dated_columns(conn: sqlite3.Connection) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Each table with dates, and those of its date columns this file has, with their kind."""
    for table, dated in DATED.items():
        present = set(_text_columns_of(conn, table))
        columns = [(column, kind) for column, kind in dated.items() if column in present]
        if columns:
            yield table, columns


def _date_problems(conn: sqlite3.Connection) -> list[str]:
    """Text where a date or a minute belongs that is not one as the ledger writes it
    ('2026-13-45', 'next week'): no report can count with it. (Bytes there are named by
    `_type_problems`.)"""
    problems = []
    for table, columns in _dated_columns(conn):
        wrong = [
            f"(typeof({column}) = 'text' AND NOT {WELL_DATED[kind].format(c=column)})"
            for column, kind in columns
        ]
        found = conn.execute(
            f"SELECT CAST({TEXT_TABLES[table]} AS TEXT), "
            + ", ".join(
                f"{test}, {column}" for test, (column, _) in zip(wrong, columns, strict=True)
            )
            + f" FROM {table} WHERE "
            + " OR ".join(wrong)
        )
        for rowid, *cells in found:
            for (column, _), bad, value in zip(columns, cells[::2], cells[1::2], strict=True):
                if bad:
                    problems.append(
                        t("check.bad_date", table=table, row=rowid, field=column, value=value)
                    )
    return problems


def _bytes_where_dates_belong(conn: sqlite3.Connection) -> bool:
    return any(
        conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM {table} WHERE "
            + " OR ".join(f"typeof({column}) = 'blob'" for column, _ in columns)
            + ")"
        ).fetchone()[0]
        for table, columns in _dated_columns(conn)
    )


# where the ledger keeps a list as JSON, a count, a yes/no or a move of the timeline (the
# kinds of `shapes`): another program may write anything there, and a command that reads it
# cannot go on
SHAPED: dict[str, dict[str, str]] = {
    "cases": {
        "assist": "names",
        "extensions": "extensions",
        "chase_count": "count",
        "year": "year",
        "seq": "seq",
    },
    "states": {"assist": "names", "chase_count": "count", "change": "action"},
    "events": {"changes": "changes", "action": "action", "days": "days", "late": "flag"},
}
_ACTIONS = ", ".join(f"'{action}'" for action in sorted(EVENT_ACTIONS))
# what is wrong, in SQL, for the kinds SQLite can judge alone (bytes in a text column are
# `_type_problems`'s; in a column of numbers nobody else's)
_MISSHAPEN = {
    "count": f"NOT (typeof({{c}}) = 'integer' AND {{c}} BETWEEN 0 AND {MOST})",
    # a case's year and number, which its id is made of (an imported id's number may be long)
    "year": "NOT (typeof({c}) = 'integer' AND {c} BETWEEN 1900 AND 2299)",
    "seq": f"NOT (typeof({{c}}) = 'integer' AND {{c}} BETWEEN 1 AND {10**SEQ_DIGITS - 1})",
    "flag": "NOT (typeof({c}) = 'integer' AND {c} IN (0, 1))",
    "action": f"(typeof({{c}}) != 'blob' AND {{c}} NOT IN ({_ACTIONS}))",
}
_MISSHAPEN["days"] = f"({{c}} IS NOT NULL AND {_MISSHAPEN['count']})"  # a count, or none
SHOWN_AT_MOST = 60  # characters of a wrong value a line of `check` quotes


def _timeline_changes(action: object, value: object) -> list | None:
    """An event's changes as the ledger writes them (none: an empty list), and — an intake
    event's — with the moment of receipt every count starts from; else None."""
    changes = [] if value is None or value == "" else parsed("changes", value)
    return changes if changes is not None and intake_changes(action, changes) else None


def _shape_problems(conn: sqlite3.Connection) -> list[str]:
    """A list, count, yes/no or move that is not one as the ledger writes it (JSON that does
    not parse or has the wrong shape, a chase count of 'abc', an action 'fly')."""
    problems = []
    for table, columns in SHAPED.items():
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        label = TEXT_TABLES[table]
        for column, kind in columns.items():
            if column not in present:
                continue
            if kind in _MISSHAPEN:
                wrong = _MISSHAPEN[kind].format(c=column)
                found = conn.execute(
                    f"SELECT CAST({label} AS TEXT), {column} FROM {table} WHERE {wrong}"
                )
            elif kind == "changes":  # JSON, judged by `shapes` with the event's action
                found = (
                    (row, value)
                    for row, value, action in conn.execute(
                        f"SELECT CAST({label} AS TEXT), {column}, action FROM {table} "
                        f"WHERE typeof({column}) IS NOT 'blob'"
                    )
                    if _timeline_changes(action, value) is None
                )
            else:  # JSON, judged by `shapes`: every value but the ledger's empty ones
                found = (
                    (row, value)
                    for row, value in conn.execute(
                        f"SELECT CAST({label} AS TEXT), {column} FROM {table} WHERE "
                        f"{column} IS NOT NULL AND typeof({column}) != 'blob' "
                        f"AND {column} != '[]'"
                    )
                    if parsed(kind, value) is None
                )
            problems += [
                t(
                    "check.bad_shape",
                    table=table,
                    row=row,
                    field=column,
                    value=quoted(str(value), SHOWN_AT_MOST),
                )
                for row, value in found
            ]
    return list(dict.fromkeys(problems))  # a case's as-of rows may repeat one wrong value


# where the ledger keeps a code (SPEC §2's vocabularies), by table: column -> its word
_STATE_CODES = {
    "status": "status",
    "channel": "channel",
    "problem": "problem",
    "scope": "scope",
    "resolution": "resolution",
    "satisfaction": "satisfaction",
}
CODED: dict[str, dict[str, str]] = {
    "cases": {**_STATE_CODES, "time_limit": "limit", "feedback_via": "via"},
    "states": _STATE_CODES,
    "events": {"status_from": "status", "status_to": "status"},
}


def _code_problems(conn: sqlite3.Connection) -> list[str]:
    """Cases holding a code the ledger does not know (written by another program), in their
    row, their as-of rows or their timeline's statuses."""
    from ledger.words import WORDS

    problems = []
    for table, coded in CODED.items():
        present = set(_text_columns_of(conn, table))
        label = TEXT_TABLES[table]
        for column, word in coded.items():
            if column not in present:
                continue
            marks = ", ".join("?" for _ in WORDS[word])
            for case_id, value in conn.execute(
                f"SELECT {label}, {column} FROM {table} WHERE typeof({column}) = 'text' "
                f"AND {column} NOT IN ({marks})",
                WORDS[word],
            ):
                problems.append(t("check.bad_code", case=case_id, field=column, value=value))
        if "sections" not in present:
            continue
        for case_id, value in conn.execute(
            f"SELECT DISTINCT {label}, sections FROM {table} "
            "WHERE typeof(sections) = 'text' AND sections != ''"
        ):
            for code in value.split(","):
                if code not in WORDS["section"]:
                    problems.append(t("check.bad_code", case=case_id, field="sections", value=code))
    return list(dict.fromkeys(problems))  # a case's as-of rows may repeat one wrong value


# what a date or a minute looks like as the ledger writes it, judged by its shape alone: the
# quick look a pack of another window gets before it is counted (`check` judges each date)
_SHAPE_OF = {
    "day": f"{{c}} GLOB '{_DAY}'",
    "minute": f"{{c}} GLOB '{_DAY} [0-9][0-9]:[0-9][0-9]'",
    "until": f"({{c}} = '{FOREVER}' OR {{c}} GLOB '{_DAY} [0-9][0-9]:[0-9][0-9]')",
}
# the times SQLite itself counts by day, never read by Python (which refuses a day that is no
# day: 2026-10-32): a month, a day, an hour and a minute that can be
_COUNTED_BY_DAY = {("cases", "received_at"), ("states", "valid_from"), ("states", "valid_until")}
_IN_RANGE = (
    "(substr({c}, 6, 2) BETWEEN '01' AND '12' AND substr({c}, 9, 2) BETWEEN '01' AND '31' "
    "AND substr({c}, 12, 2) <= '23' AND substr({c}, 15, 2) <= '59')"
)


MISSHAPEN_VALUES = "values"  # what `misshapen` says of a value `data_problems` will name


def misshapen(conn: sqlite3.Connection) -> str | None:
    """What the file holds, by a quick look (one pass over each table, in SQL), that no
    report can count with, or None: a date not shaped as one, a code the ledger does not
    know, a count or a list that is not one, bytes in their place (`MISSHAPEN_VALUES`); an
    as-of row that ends before it begins; a row pointing at what the file does not hold.
    A pack of 6,700 cases is looked through in about 0.15 s, beside SQLite's own check."""
    from ledger.words import WORDS

    for table in TEXT_TABLES:
        columns = conn.execute(f"PRAGMA table_info({table})").fetchall()
        every = {row[1] for row in columns}
        present = {row[1] for row in columns if "TEXT" in (row[2] or "").upper()}
        if not present:
            continue
        # (bytes in free text are read as text, with `�`: a pack of an older release may
        # hold them; where a date, a code or a list belongs they are no value at all)
        wrong = [
            f"(typeof({column}) = 'blob' OR NOT {_SHAPE_OF[kind].format(c=column)}"
            + (
                f" OR NOT {_IN_RANGE.format(c=column)})"
                if (table, column) in _COUNTED_BY_DAY
                else ")"
            )
            for column, kind in DATED.get(table, {}).items()
            if column in present
        ]
        params: list[str] = []
        for column, word in CODED.get(table, {}).items():
            if column in present:
                marks = ", ".join("?" for _ in WORDS[word])
                wrong.append(f"(typeof({column}) = 'blob' OR {column} NOT IN ({marks}))")
                params += WORDS[word]
        shaped = SHAPED.get(table, {})
        wrong += [
            f"(typeof({column}) = 'blob' OR {_MISSHAPEN[kind].format(c=column)})"
            if kind in _MISSHAPEN
            else f"(typeof({column}) = 'blob' OR {column} IS NOT NULL AND {column} != '' "
            f"AND NOT json_valid({column}))"
            for column, kind in shaped.items()
            if column in every
        ]
        if not wrong:
            continue
        found = conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM {table} WHERE {' OR '.join(wrong)})", params
        ).fetchone()[0]
        if found:
            return MISSHAPEN_VALUES
        if "sections" in present:  # codes joined by commas: a few dozen combinations
            combinations = conn.execute(
                f"SELECT DISTINCT sections FROM {table} WHERE typeof(sections) = 'text'"
            )
            if any(
                code not in WORDS["section"]
                for (joined,) in combinations
                if joined
                for code in joined.split(",")
            ):
                return MISSHAPEN_VALUES
    # an as-of row in force before it began; one pointing at a case, an event or a department
    # the file does not hold
    (before,) = conn.execute(
        "SELECT CAST(case_id AS TEXT) FROM states WHERE valid_until < valid_from LIMIT 1"
    ).fetchone() or (None,)
    if before is not None:
        return f"states ({before}): valid_until < valid_from"
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchmany(1):
        return f"{table} ({rowid}) → {parent}"
    return None


def data_problems(conn: sqlite3.Connection) -> list[str]:
    """What another program wrote that the ledger never writes: bytes where text belongs, a
    date that is no date, a list or count of the wrong shape, a code the ledger does not
    know. (`check` names them in a ledger; a pack that holds one is refused.)"""
    return (
        _date_problems(conn) + _shape_problems(conn) + _code_problems(conn) + _type_problems(conn)
    )


NOT_UTF8_RUN = 20_000  # rows of a table whose text is decoded at once


def _not_utf8_problems(conn: sqlite3.Connection) -> list[str]:
    """Text another program wrote in bytes that are not UTF-8 (GBK, Latin-1): the reports
    show it with `�`. A run of rows' text is joined by SQLite, a line between values (so that
    no two broken values join into a whole character), and decoded by Python at once; only
    a run that does not decode is looked at value by value. Runs follow the rows there are
    (a table's row ids may lie far apart). A file kept in UTF-16 holds its text as SQLite
    converted it: nothing there can be broken UTF-8."""
    if conn.execute("PRAGMA encoding").fetchone()[0] != "UTF-8":
        return []
    problems = []
    for table, label in TEXT_TABLES.items():
        columns = _text_columns_of(conn, table)
        if not columns:
            continue
        # a value of bytes (named by `_type_problems`) may join in and send its run to the
        # value-by-value look, which names only text: a quarter faster than leaving it out
        texts = " || char(10) || ".join(f"coalesce({c}, '')" for c in columns)
        after = None  # the last row id of the run before
        while True:
            run = conn.execute(
                f"SELECT min(rowid), max(rowid), CAST(group_concat(joined, char(10)) AS BLOB) "
                f"FROM (SELECT rowid, {texts} AS joined FROM {table} "
                "WHERE ?1 IS NULL OR rowid > ?1 ORDER BY rowid LIMIT ?2)",
                (after, NOT_UTF8_RUN),
            ).fetchone()
            first, last, text = run
            if first is None:
                break
            after = last
            if _is_utf8(text or b""):
                continue
            values = ", ".join(f"CAST({c} AS BLOB), typeof({c}) = 'text'" for c in columns)
            found = conn.execute(
                f"SELECT CAST({label} AS TEXT), {values} FROM {table} "
                "WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
                (first, last),
            )
            for rowid, *cells in found:
                for column, value, is_text in zip(columns, cells[::2], cells[1::2], strict=True):
                    if is_text and not _is_utf8(value):
                        problems.append(_foreign_bytes("check.not_utf8", table, rowid, column))
    return problems


def _is_utf8(value: bytes) -> bool:
    try:
        value.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _drop_new_name(path: Path) -> int:
    """The other names a ledger has, once a name it was made under is let go: a window killed
    between giving a new ledger its name and letting go of the one it was made under left it
    two, and every change to it was then refused as a file with two names. Returns how many
    others are left."""
    with contextlib.suppress(OSError):
        for made in path.parent.glob(".ledger-new-*"):
            if not made.name.endswith(COMPANIONS) and os.path.samefile(made, path):
                made.unlink()
    return other_names(path)


def _missing_folders(path: Path) -> list[Path]:
    """The folders a new ledger at `path` needs that are not there, as the places they really
    are (`nothere/../office` is `office`, which is there; `nothere` is not), deepest first:
    what a refused command takes back, and nothing that was there before it."""
    places = [cache_folder(path), *path.parent.parents, path.parent]
    missing = {Path(os.path.realpath(place)) for place in places}
    return sorted(
        (place for place in missing if not os.path.lexists(place)),
        key=lambda place: len(place.parts),
        reverse=True,
    )


def unreadable_values(path: Path) -> list[str]:
    """For the error boundary, after a command failed in a way it did not expect: the values
    another program wrote that the ledger cannot read (what `check` names) — bytes where it
    keeps text, a date that is not one, a list, count or move of the wrong shape. Read
    through a connection of its own, which changes nothing; empty when there are none or the
    file cannot be read."""
    try:
        with contextlib.closing(connect_read_only(path, place_is_writable(path))) as conn:
            conn.text_factory = TOLERANT_TEXT
            return _type_problems(conn) + _date_problems(conn) + _shape_problems(conn)
    except (sqlite3.Error, OSError, LedgerError):
        return []


def connect_read_only(path: Path, writable_place: bool, shared: bool = False) -> sqlite3.Connection:
    """A connection that changes nothing. A file with no log beside it — a ledger every window
    has closed, a copy, a file that is not ours — is opened as immutable, which reads the file
    alone and leaves no `-wal`/`-shm` behind; one whose log is still there is opened read-only
    with SQLite's locks, so that its last changes are read too."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        shm = path.with_name(path.name + "-shm")
        if not writable_place and not shm.exists() and wal.stat().st_size > 0:
            raise LedgerFileRefused("err.wal_read_only", path=path)
        query = "mode=ro"
    else:
        query = "mode=ro&immutable=1"
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?{query}",
        uri=True,
        isolation_level=None,
        check_same_thread=not shared,
    )


def inspect_file(path: Path, writable_place: bool = True) -> int:
    """Refuse, without writing, a file that is not a ledger of this or an older version, or
    whose schema holds anything the ledger's migrations did not create (SPEC §9: a crafted
    trigger must never run). Returns the file's schema version."""
    if not path.is_file():
        raise LedgerFileRefused("err.not_a_file", path=path)
    if path.stat().st_size == 0:
        raise LedgerFileRefused("err.file_zero", path=path)
    conn = connect_read_only(path, writable_place)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        found = schema_of(conn)
        tables = {name for kind, name, _ in found if kind == "table"}
        applied = (
            [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = 'ledger' "
                    "ORDER BY rowid"
                )
            ]
            if "_sqlite_migrations" in tables
            else []
        )
    finally:
        conn.close()
    if not found:
        # a file with nothing in it (one byte, an empty SQLite file) is not a ledger either
        raise LedgerFileRefused("err.file_not_ledger", path=path)
    if not applied:
        raise LedgerFileRefused("err.file_foreign", path=path)
    if version > SCHEMA_VERSION:
        raise LedgerFileRefused(
            "err.file_newer", path=path, found=version, supported=SCHEMA_VERSION
        )
    if not _ours(found, tuple(applied)):
        if "pack_info" in tables:  # a pack is read by `ledger city`, never used as a ledger
            raise LedgerFileRefused("err.file_is_pack", path=path)
        raise LedgerFileRefused("err.file_schema", path=path)
    if version != len(applied):
        # each upgrade sets the version as it records itself: a mark set back (or ahead) by
        # another program would be "upgraded" by every command, or read with tables it lacks
        raise LedgerFileRefused(
            "err.file_version_mark", path=path, found=version, made=len(applied)
        )
    return version


def schema_of(conn: sqlite3.Connection) -> set[tuple[str, str, str]]:
    """Every table, index, view and trigger, with its SQL in one spacing — SQLite's own
    automatic indexes included, for a crafted file can give a trigger a name that starts with
    `sqlite_` too. Only statistics a tool's ANALYZE may have left are SQLite's business. The
    migrations table and its index are made by sqlite-utils, whose release may spell them
    differently, so only their names are compared."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
    return {
        (kind, name, "" if table == "_sqlite_migrations" else _one_spacing(sql))
        for kind, name, table, sql in rows
        if not (kind == "table" and re.fullmatch(r"sqlite_stat[1-4]", name))
    }


# What the migrations of this version make, as `schema_digest` sums it: a current ledger is
# checked against it without loading sqlite-utils to build the schema in memory each time
# (tests/test_store.py builds it and holds this figure to it)
MIGRATIONS = (
    "m001_initial",
    "m002_one_history",
    "m003_practice",
    "m004_period_figures",
    "m005_pause_reasons",
    "m006_setting_history",
    "m007_calendar_history",
)
SCHEMA_DIGEST = "bd1edc87712e7b9b776af43f58ac8d4aa183c9f3fc310da43a7ef7c455ad82bf"


def schema_digest(schema: set[tuple[str, str, str]]) -> str:
    import hashlib

    return hashlib.sha256(repr(sorted(schema)).encode("utf-8")).hexdigest()


def _ours(found: set[tuple[str, str, str]], applied: tuple[str, ...]) -> bool:
    """Whether the file holds exactly what the ledger's migrations `applied` make."""
    if applied == MIGRATIONS:
        return schema_digest(found) == SCHEMA_DIGEST
    from ledger.schema import expected_schema  # an earlier version: built in memory

    return found == expected_schema(applied)


def _one_spacing(sql: str | None) -> str:
    text = " ".join((sql or "").split())
    return re.sub(r"\s*([(),])\s*", r"\1", text)


# SQLite's primary result codes (sqlite3 errors carry them as `sqlite_errorcode`)
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26
SHM_AT_LEAST = 32 * 1024  # the write-ahead log's index, once a window has it open


def translate(error: sqlite3.Error, path: Path) -> LedgerFileRefused:
    """A sqlite3 error as the clerk should read it, by SQLite's own result code: only what
    SQLite calls corrupt is called damaged; a full disk or a failed read or write is never
    (a clerk told 'damaged' restores an old copy and loses the day)."""
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(error)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return LedgerFileRefused("err.file_busy")
    if code == SQLITE_READONLY:
        return LedgerFileRefused("err.file_readonly", path=path, detail=text)
    if code == SQLITE_FULL:
        return LedgerFileRefused("err.disk_full", path=path)
    if code == SQLITE_IOERR:
        if _no_room(path):
            return LedgerFileRefused("err.disk_full", path=path)
        return LedgerFileRefused("err.file_io", path=path, detail=text)
    if code == SQLITE_CANTOPEN:
        return LedgerFileRefused("err.file_cannot_open", path=path, detail=text)
    if code == SQLITE_CORRUPT:
        return LedgerFileRefused("err.file_damaged", path=path, detail=text)
    if code == SQLITE_NOTADB:
        return LedgerFileRefused("err.file_not_sqlite", path=path, detail=text)
    return LedgerFileRefused("err.db", detail=text)


def _no_room(path: Path) -> bool:
    """Whether a failed write was for want of room: SQLite reports a file grown past the
    size limit (EFBIG) only as an I/O error, so the limit and the free space are asked."""
    limit = None
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource  # POSIX only

        soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
        limit = None if soft == resource.RLIM_INFINITY else soft
    folder = Path(path).parent
    try:
        free = shutil.disk_usage(folder if folder.exists() else Path.cwd()).free
    except OSError:
        free = None
    return limit is not None or (free is not None and free < 8 * 1024 * 1024)


def holidays_version() -> str:
    """The installed `holidays` release, read from its install record: importing the package
    (or importlib.metadata) to ask would cost more than the command that asks."""
    import importlib.util

    spec = importlib.util.find_spec("holidays")
    if spec is not None and spec.submodule_search_locations:
        site = Path(next(iter(spec.submodule_search_locations))).parent
        found = sorted(site.glob("holidays-*.dist-info"))
        if len(found) == 1:
            return found[0].name[len("holidays-") : -len(".dist-info")]
    from importlib.metadata import version

    return version("holidays")


CACHE_FORMAT = 2


class CachedSchedule(PackageSchedule):
    """The package's schedule, kept in a small file beside the ledger, so that a command does
    not compute the lunar calendar (or even import `holidays`) on every run. The file is named
    after the installed `holidays` version: upgrading the package starts a fresh one.

    It is only a cache, and never trusted as it stands: a file whose checksum or shape is
    wrong (edited by hand, cut short) is thrown away and rebuilt from the package. A reading
    command on a ledger that does not exist yet writes none (`writable=False`)."""

    def __init__(self, folder: Path, writable: bool = True) -> None:
        # `-2`: the names' dates in ISO form (a cache of the American form is left behind)
        self.path = folder / f"calendar-holidays-{holidays_version()}-2.json"
        self.writable = writable
        self.data = _read_cache(self.path) or {"years": {}, "confirmed": None}

    def years(self, first: int, last: int) -> dict[int, dict]:
        known = self.data["years"]
        missing = [y for y in range(first, last + 1) if str(y) not in known]
        if missing:
            computed = super().years(min(missing), max(missing))
            known.update({str(y): data for y, data in computed.items()})
            self._save()
        return {y: known[str(y)] for y in range(first, last + 1)}

    def confirmed(self) -> frozenset[int]:
        if self.data.get("confirmed") is None:
            self.data["confirmed"] = sorted(super().confirmed())
            self._save()
        return frozenset(self.data["confirmed"])

    def _save(self) -> None:
        if not self.writable:
            return
        body = {"format": CACHE_FORMAT, "digest": _digest(self.data), "data": self.data}
        try:
            make_folder(self.path.parent)
            with partial_beside(self.path) as (handle, partial):
                handle.write(json.dumps(body, ensure_ascii=False).encode("utf-8"))
                handle.close()
                os.replace(partial, self.path)
        except (OSError, BadInput):  # (BadInput: `.ledger-cache` is a file)
            pass  # a cache that cannot be written costs time, nothing else


def _digest(data: dict) -> str:
    import hashlib

    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _read_cache(path: Path) -> dict | None:
    """The cached schedule if its checksum and every part of its shape are right, else None."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        data = body["data"]
        if body["format"] != CACHE_FORMAT or body["digest"] != _digest(data):
            return None
        confirmed = data["confirmed"]
        if confirmed is not None and not all(type(y) is int for y in confirmed):
            return None
        for year, schedule in data["years"].items():
            if not (
                isinstance(year, str) and year.isdigit() and set(schedule) == {"off", "makeup"}
            ):
                return None
            for day, names in schedule["off"].items():
                dt.date.fromisoformat(day)
                if not all(isinstance(n, str | None) for n in names.values()):
                    return None
            for day in schedule["makeup"]:
                dt.date.fromisoformat(day)
        return data
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


class Ledger:
    """An open ledger file.

    `records=True` is for a command that records: it may create the ledger (SPEC §9: only such
    a command does), and is refused in a place that cannot be written and on a ledger found
    damaged. `records=False` is for a command that only reads: a missing path is refused
    (nothing is created), and a read-only place is opened read-only."""

    _only_reading = False  # inside `reading()`: a second reader may be had (`beside`)

    def __init__(self, path: Path, records: bool = True) -> None:
        self.path = Path(path)
        self.records = records
        self.read_only = False
        self.committed = False  # whether this run recorded a change
        # whether this run did the ledger's own upkeep (made its tables or moved them on, let
        # deadlines follow a newer calendar): written, but not the clerk's change
        self.upkept = False
        self.damage = known_damage(self.path)
        self._scratch_changes = 0  # see `_scratch`
        # the version this run upgraded the file from, and the copy of it kept first
        self.upgraded: tuple[int, Path] | None = None
        self._made_backups = False  # whether this run made `backups/` for that copy
        self._made_day_folder = False  # whether it made `backups/` for the day's copy
        # what this run made to hold a new ledger: taken back if no change of the clerk's
        # was recorded in it (the file, then its folders, innermost first)
        self.created: list[Path] = []
        self._made_as: tuple[int, int] | None = None  # the new file's device and inode
        self._made_mark: tuple | None = None  # STATE_MARK as this run's last write left it
        try:
            self._open()
        except BaseException as error:
            if self.upgraded is not None and not hasattr(error, "ledger_upgraded"):
                # after the upgrade's commit (its copy is taken back when it was not made)
                error.ledger_upgraded = (self.path, *self.upgraded)  # type: ignore[attr-defined]
            # a new file's tables not made (a full disk, Ctrl-C): the file is taken back, and
            # no damage is remembered beside a file that is no longer there
            if self.created:
                with contextlib.suppress(AttributeError, sqlite3.Error):
                    self.conn.close()
                self.take_back_creation()
            else:
                # closed as `close` closes (a log another window left is not folded into
                # the file by this failed run), not by the garbage collector: the frames of
                # the failed steps let go of their statements first (a cursor left open there
                # kept the connection alive past the watcher, and its last close folded the log)
                import traceback

                traceback.clear_frames(error.__traceback__)
                with contextlib.suppress(AttributeError, sqlite3.Error, OSError):
                    self.close()
            if isinstance(error, sqlite3.Error) and self.created:
                raise translate(error, self.path) from None
            if isinstance(error, sqlite3.Error):
                raise self.refusal(error) from None
            if isinstance(error, OSError):
                raise explain(error, self.path) from None
            raise

    def _cannot_upgrade(self, path: Path, linked: int) -> LedgerFileRefused:
        """Why a ledger of an older version, which must be upgraded to be read, cannot be:
        the reason that holds, since what to do differs (a second name is not a place the
        clerk cannot write to)."""
        if linked:
            return LedgerFileRefused("err.old_linked", path=path, names=linked + 1)
        if in_backups(path):
            return LedgerFileRefused("err.old_in_backups", path=path)
        if self.damage:
            return LedgerFileRefused("err.damage_known", path=path, **self.damage)
        return LedgerFileRefused("err.old_read_only", path=path)

    def _open(self) -> None:
        path = self.path
        if path.is_dir():
            raise LedgerFileRefused("err.ledger_is_folder", path=path)
        # SQLite keeps a ledger's log and index beside it under these names: a ledger made
        # there (a mistyped --db) would be wiped by the real one's next change. A ledger
        # that already lives under such a name, with no ledger it could belong to, is read.
        name = path.name.casefold()
        suffix = next((end for end in COMPANIONS if name.endswith(end)), None)
        if suffix is not None and name != suffix:
            owner = path.with_name(path.name[: -len(suffix)])
            if owner.is_file() or not path.exists():
                raise LedgerFileRefused("err.ledger_is_companion", path=path, ledger=owner)
        if path.is_symlink() and not path.exists():
            raise LedgerFileRefused("err.dangling_link", path=path)
        # a copy among the ledger's own copies is read, never changed (restore puts it back)
        linked = other_names(path) and _drop_new_name(path)
        writable = place_is_writable(path) and not in_backups(path) and not linked
        if self.records and in_backups(path):
            raise LedgerFileRefused("err.ledger_in_backups", path=path)
        if self.records and linked:
            raise LedgerFileRefused("err.ledger_linked", path=path, names=linked + 1)
        if not path.exists():
            if not self.records:
                raise LedgerFileRefused("err.no_ledger", path=path)
            # a file under one of this name's companion names (a ledger kept as `x.db-wal`)
            # would be taken by SQLite for the new ledger's own log, and removed
            beside = [path.with_name(path.name + end) for end in COMPANIONS]
            for other in beside:
                if other.exists():
                    raise LedgerFileRefused("err.companion_beside", path=path, other=other)
            if path.name != path.name.rstrip(" ."):
                # Windows drops a name's trailing spaces and dots: `台账.db ` is `台账.db` there
                raise LedgerFileRefused("err.out_name_trailing", path=path)
            self._create()
            # made by another window while this one looked: as it stands now (its folder too)
            writable = place_is_writable(path) and not in_backups(path) and not other_names(path)
        if not self.created:  # a file found, or made by another window while this one looked
            if self.records and self.damage:
                raise LedgerFileRefused("err.damage_known", path=path, **self.damage)
            version = inspect_file(path, place_is_writable(path))
            if not writable or self.damage:
                if self.records:
                    raise LedgerFileRefused("err.place_read_only", path=path)
                if version < SCHEMA_VERSION:
                    raise self._cannot_upgrade(path, linked)
                self.conn = connect_read_only(path, place_is_writable(path))
                self.conn.text_factory = TOLERANT_TEXT
                self.read_only = True
                self._seen_at_open = False
                return
        self._seen_at_open = fingerprint(path) == last_seen(path)
        wal = path.with_name(path.name + "-wal")
        self._pending_at_open = wal.exists() and wal.stat().st_size > 0
        beside = {p: p.exists() for p in (wal, path.with_name(path.name + "-shm"))}
        self.conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        self.conn.text_factory = TOLERANT_TEXT
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if self.created:  # made whole beside it, under a rollback journal (`_made_beside`)
            self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        # a page whose cells do not fit it is met as damage when read, not read as data
        self.conn.execute("PRAGMA cell_size_check = ON")
        try:
            version = self.user_version()
        except sqlite3.OperationalError as error:
            if translate(error, path).key != "err.disk_full":
                raise
            # SQLite could not make the log's index beside the file, which every read in
            # write-ahead mode needs: the files it began there are taken away again — only
            # while no window has the ledger open (a live index is at least 32 KB, mapped
            # whole; removing it, or an empty log beside it, would lose that window's work)
            self.conn.close()
            wal, shm = beside
            with contextlib.suppress(OSError):
                if not beside[shm] and shm.stat().st_size < SHM_AT_LEAST:
                    shm.unlink()
                    if not beside[wal] and wal.stat().st_size == 0:
                        wal.unlink()
            if self.records:
                raise
            self._read_on_a_full_disk(error)
            return
        if version < SCHEMA_VERSION:
            self._migrate()

    def _read_on_a_full_disk(self, error: sqlite3.Error) -> None:
        """A command that only reads, on a full disk, reads the file as a read-only place is
        read: the morning sheet still prints, `backup` to another disk still copies."""
        try:
            self.conn = connect_read_only(self.path, False)
            self.conn.text_factory = TOLERANT_TEXT
            if self.user_version() < SCHEMA_VERSION:  # an upgrade needs room to be written
                raise error
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()
            raise error from None
        self.read_only = True
        self._seen_at_open = False

    def _create(self) -> None:
        """A new ledger file, private to the clerk (0600 in a 0700 folder on POSIX), made
        whole under a name of its own and then given its name: two windows starting the same
        new ledger at once each found the other's file empty, its tables not yet made, and
        one was refused. If another window's file takes the name first, this run uses it
        (`created` stays empty). Where the disk keeps no second name for a file (FAT), the
        empty file is made in place and its tables after it, as before."""
        missing = _missing_folders(self.path)
        make_folder(self.path.parent)
        try:
            made = self._made_beside()
        except BaseException:
            for folder in missing:  # innermost first, each only when empty
                with contextlib.suppress(OSError):
                    folder.rmdir()
            raise
        try:
            if made is None:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
                try:
                    found = os.fstat(fd)
                finally:
                    os.close(fd)
            else:
                try:
                    os.link(made, self.path)
                except FileExistsError:
                    return  # another window's new ledger: this run reads and writes that one
                found = os.stat(self.path)
        finally:
            if made is not None:
                with contextlib.suppress(OSError):
                    made.unlink()
        self.created = [self.path, *missing]
        self._made_as = (found.st_dev, found.st_ino)
        if made is not None:
            self.upkept = True

    def _made_beside(self) -> Path | None:
        """A new ledger with its tables, under a hidden name beside the ledger's, or None
        where the disk cannot give a file a second name (then nothing is left beside it)."""
        import tempfile

        import sqlite_utils

        from ledger.schema import migrations

        # a name of its own, never one a window killed here before left behind (0600)
        # (short, whatever the ledger's name: SQLite's `-journal` beside it must fit too)
        fd, made = tempfile.mkstemp(prefix=".ledger-new-", dir=self.path.parent)
        os.close(fd)
        beside = Path(made)
        try:
            probe = beside.with_name(beside.name + "-link")
            try:
                os.link(beside, probe)
            except OSError as error:
                if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
                    raise
                beside.unlink()
                return None
            probe.unlink()
            conn = sqlite3.connect(beside, isolation_level=None)
            try:
                # a rollback journal while it is made: committed, the file holds its tables
                # itself (a log would have to be folded in on closing, which a full disk can
                # stop); the write-ahead log is switched on once it has its name
                conn.execute("PRAGMA journal_mode = DELETE")
                conn.execute("BEGIN IMMEDIATE")
                migrations.apply(sqlite_utils.Database(conn))
                self._made_mark = conn.execute(STATE_MARK).fetchone()
                conn.execute("COMMIT")
            finally:
                conn.close()  # its log folded in and gone: the file is whole by itself
            return beside
        except BaseException:
            for leftover in (beside, *(beside.with_name(beside.name + e) for e in COMPANIONS)):
                with contextlib.suppress(OSError):
                    leftover.unlink()
            raise

    def _note_own_state(self) -> None:
        """Inside this run's write, just before it commits: how a new ledger stands after it,
        so that a change another window records later is seen (STATE_MARK differs)."""
        if self.created:
            self._made_mark = self.conn.execute(STATE_MARK).fetchone()

    def take_back_creation(self) -> None:
        """After a closed ledger's command was refused: if this run made the file and nothing
        of the clerk's was recorded in it (a mistyped `--db`, then a bad value), it goes, with
        the folders made for it (SPEC §9: all or nothing; before it there was no ledger). It
        stays when anything else is possible: another window has it open (its log is still
        there once this one closed), recorded in it (the file is not as this run left it), or
        put another file in its place."""
        if not self.created or self.committed:
            return
        path, *folders = self.created
        if any(path.with_name(path.name + end).exists() for end in COMPANIONS):
            return
        try:
            found = path.stat()
            if (found.st_dev, found.st_ino) != self._made_as:
                return
            with contextlib.closing(connect_read_only(path, True)) as look:
                # a file whose tables were never made (the making failed) holds nothing
                tables = look.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if (look.execute(STATE_MARK).fetchone() if tables else None) != self._made_mark:
                    return
            path.unlink()
        except (OSError, sqlite3.Error):
            return
        for folder in folders:
            with contextlib.suppress(OSError):
                if folder.name == CACHE:
                    shutil.rmtree(folder)  # made by this run: its calendar and seen files
                else:
                    folder.rmdir()  # only when empty

    @property
    def db(self):
        """The file through sqlite-utils, for the migrations (loaded only when they run)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def _migrate(self) -> None:
        from ledger.schema import migrations

        if self.created:  # a new file: nothing in it to keep
            self.conn.execute("PRAGMA journal_mode = WAL")
        try:
            if not self.created:
                # before anything is written, the file's log mode included
                self._copy_before_upgrade(self.user_version())
            self.conn.execute("BEGIN IMMEDIATE")
            # another terminal may have migrated while this one waited for the lock (then
            # this one's copy may be of the upgraded file, and it upgraded nothing)
            if self.user_version() < SCHEMA_VERSION:
                migrations.apply(self.db)
            elif self.upgraded is not None:
                self._take_back_upgrade_copy()
            self._note_own_state()
            self.conn.execute("COMMIT")
            self.upkept = True
        except BaseException:
            self._undo()
            # whatever stopped it (a full disk on the commit, which SQLite rolls back itself;
            # the lock held elsewhere; Ctrl-C, even just after the commit), the file says
            # whether it was upgraded: if not, its copy is not needed, and goes
            upgraded = False
            with contextlib.suppress(sqlite3.Error):
                upgraded = self.user_version() >= SCHEMA_VERSION
            if not upgraded:
                self._take_back_upgrade_copy()
            raise
        # an older file kept its log mode until it was upgraded (a refused upgrade leaves it
        # byte for byte as it was)
        self._into_the_log()

    def _into_the_log(self) -> None:
        """The write-ahead log, once a change is recorded: a file upgraded by a run cut just
        after its commit, or one that could not switch then, works as it is until a change
        of the clerk's is recorded in it (a refused one, or a read, writes nothing, its header
        included)."""
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("PRAGMA journal_mode = WAL")

    def _take_back_upgrade_copy(self) -> None:
        if self.upgraded is not None:
            with contextlib.suppress(OSError):
                self.upgraded[1].unlink()
            self.upgraded = None
        self._let_go_of_folder()  # the folder this run made for it, if that copy was all

    def _copy_before_upgrade(self, version: int) -> None:
        """An upgrade rewrites the file (step 2 remade the whole history), and it runs for
        any command, one that then fails included: the file as it was is checked and
        copied first, into `backups/` under a name of its own (`ledger-v1-2026-11-27T093000.db`),
        which the last-30 rule does not count, so it stays until the clerk lets it go."""
        self.verify()
        self._made_backups = not self.backup_dir.exists()
        # with its time, so that no day's copy of another ledger (one named `x-v1`) has its name
        named = f"{copy_stem(self.path)}-v{version}-{dates.clock():%Y-%m-%dT%H%M%S}.db"
        target = None
        try:
            self._backup_folder()
            target = claim_name(self.backup_dir / named)
            self.backup(target)
        except OSError as error:
            raise self._copy_refused(
                error,
                "err.upgrade_copy_failed",
                path=self.path,
                old=version,
                folder=self.backup_dir,
            ) from None
        finally:
            if target is not None and target.exists() and target.stat().st_size == 0:
                target.unlink()  # claimed, never written (the copy failed)
        self.upgraded = (version, target)

    def user_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        if self.read_only or self.committed or self.upkept or not self._pending_at_open:
            self.conn.close()
        else:
            # the last window to close folds the log into the file; one that changed nothing
            # must not fold what a window cut short left in it (SPEC §9: a refused or a
            # reading command writes nothing), so a read-only look holds the log open while
            # this one closes, and folds nothing
            with contextlib.closing(connect_read_only(self.path, True)) as watcher:
                watcher.execute("SELECT count(*) FROM sqlite_master").fetchone()
                self.conn.close()
        if not self.read_only and self._seen_at_open:
            remember_seen(self.path)

    def refusal(self, error: sqlite3.Error) -> LedgerFileRefused:
        """A sqlite3 error as the clerk's line; damage met here is remembered beside the file,
        so that no later command writes to it until it is restored (SPEC §9)."""
        refusal = translate(error, self.path)
        if refusal.key == "err.file_damaged":
            self._remember(str(error))
        return refusal

    def _remember(self, detail: str) -> None:
        if not self.read_only:  # a copy, a read-only place: nothing is written beside them
            remember_damage(self.path, detail, dates.minute(dates.now()))
        self.damage = known_damage(self.path) or {"found_at": "-", "detail": detail}

    # -- transactions and copies ----------------------------------------------------------

    @contextlib.contextmanager
    def writing(self, commit: bool = True, upkeep: bool = False) -> Iterator[Ledger]:
        """One command's changes: all of them, or none (`commit=False`: a dry run).
        `upkeep`: the ledger's own change, not the clerk's (a refusal after it must not say
        that the clerk's change was recorded)."""
        copied, committing = None, False
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise self.refusal(error) from None
        try:
            # the day's copy is decided and made holding the write lock: a second window
            # waiting for it looks for the copy only once this change is made or refused
            # (a refused change takes its copy back, and the waiting one makes its own)
            if commit:
                copied = self._vouch_before_change()
            before = self._ledger_changes()
            yield self
            # a command that changed nothing (a clear of no override, a file imported again)
            # records nothing: no copy of the day, no oldest copy let go
            commit = commit and self._ledger_changes() != before
            if commit:
                self._note_own_state()
            committing = commit
            self.conn.execute("COMMIT" if commit else "ROLLBACK")
            if commit:
                self._committed(upkeep)
            else:
                self._take_back_copy(copied)
                copied = None
        except sqlite3.Error as error:
            self._undo()
            self._take_back_copy(copied)
            raise self.refusal(error) from None
        except BaseException:
            if committing and not self.conn.in_transaction:
                # a Ctrl-C (or TERM) that landed as the COMMIT returned: the change is made,
                # and the clerk is told so, not "nothing was changed" (they would enter it
                # again)
                self._committed(upkeep)
                raise
            self._undo()
            self._take_back_copy(copied)
            raise
        if copied is not None:
            self._keep_last_copies()
        if commit:
            self._into_the_log()
            remember_seen(self.path)
            self._seen_at_open = True

    def _committed(self, upkeep: bool) -> None:
        if upkeep:
            self.upkept = True
        else:
            self.committed = True

    def _ledger_changes(self) -> int:
        """Rows this connection has changed in the ledger: SQLite's count, less those of an
        import's scratch tables in its temporary database (`_scratch`)."""
        return self.conn.total_changes - self._scratch_changes

    @contextlib.contextmanager
    def _scratch(self) -> Iterator[None]:
        """Writes to SQLite's temporary database, which change nothing of the ledger."""
        before = self.conn.total_changes
        try:
            yield
        finally:
            self._scratch_changes += self.conn.total_changes - before

    def _vouch_before_change(self) -> Path | None:
        """Before a change: the day's copy (checked first), or — when the file was changed by
        something other than the ledger since it last left it — the full integrity check.
        A ledger this run made has nothing to copy or check yet. Returns the copy made."""
        if self.created:
            return None
        copied = self.daily_backup(keep_last=False)
        if copied is None and not self._seen_at_open:
            self.verify()
        return copied

    def _take_back_copy(self, copied: Path | None) -> None:
        """A command that fails writes nothing (SPEC §9), the day's copy it made included:
        the next change makes it again. The oldest copies are let go only after a change."""
        if copied is None:
            return
        with contextlib.suppress(OSError):
            copied.unlink()
        self._let_go_of_folder()

    def _let_go_of_folder(self) -> None:
        """`backups/` taken away again if this run made it and it is empty."""
        if self._made_backups or self._made_day_folder:
            with contextlib.suppress(OSError):
                self.backup_dir.rmdir()  # only when empty

    def verify(self) -> None:
        """SQLite's full integrity check; damage is remembered and refused."""
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            detail = integrity_detail(problems)
            self._remember(detail)
            raise LedgerFileRefused("err.file_damaged", path=self.path, detail=detail)
        self._seen_at_open = True

    def _undo(self) -> None:
        """Roll back what is left of a failed transaction (a failed COMMIT may have ended it
        already, and a rollback on a full disk may fail too: SQLite then rolls back from
        its journal when the file is next opened)."""
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    @contextlib.contextmanager
    def reading(self) -> Iterator[Ledger]:
        """A consistent view for a report, and sqlite3 errors turned into the clerk's words."""
        try:
            self.conn.execute("BEGIN")
            self._only_reading = True
            yield self
        except sqlite3.Error as error:
            raise self.refusal(error) from None
        finally:
            self._only_reading = False
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    @contextlib.contextmanager
    def beside(self, work: Callable[[Ledger], T]) -> Iterator[Callable[[], T]]:
        """`work` done by a second reader of the file in the state this one reads, on a
        thread of its own while this one goes on; the result is what the yielded function
        returns. SQLite counts without holding Python's lock, so a long period's independent
        counts take the machine's second core (SPEC §11). Without such a reader (not inside
        `reading()`, a change recorded between the two views, a file that cannot be opened
        twice, no thread to be had) `work` is done here, when its result is asked for."""
        import threading

        twin = self._twin()
        finished = threading.Event()  # set by the worker itself: Ctrl-C cannot fake it
        # the worker touches its connection only once this side stands where a Ctrl-C is
        # handled (below): one arriving while the thread starts would close the connection
        # under a running query, which crashes SQLite
        go, called_off = threading.Event(), threading.Event()
        outcome: list = []

        def run() -> None:
            try:
                # (a wait that looks again now and then: a Ctrl-C inside `go.set()` may
                # come between its flag and its wake-up call)
                while not go.wait(0.05):
                    pass
                if not called_off.is_set():
                    outcome.append((True, work(twin)))
            except BaseException as error:  # given to the asking thread, never lost here
                outcome.append((False, error))
            finally:
                finished.set()

        def call_off() -> None:
            called_off.set()
            go.set()

        if twin is not None:
            try:
                threading.Thread(target=run, name="ledger-beside", daemon=True).start()
            except BaseException as error:
                call_off()  # if it started after all, it leaves the connection alone
                twin.conn.close()
                if not isinstance(error, Exception):
                    raise
                twin = None  # no thread to be had: one reader
        if twin is None:
            yield lambda: work(self)
            return

        def result() -> T:
            # in short looks: a Ctrl-C that arrives just as this thread goes to sleep on the
            # event is otherwise noticed only when the other reader is done (CPython)
            while not finished.wait(0.1):
                _notice_interrupt()
            done, value = outcome[0]
            if not done:
                raise value
            return value

        try:
            go.set()
            yield result
        finally:
            if not finished.is_set():  # this side failed: the other's answer is not wanted
                call_off()  # a worker not yet begun never begins
                twin.conn.interrupt()  # one already counting stops
            while not finished.is_set():  # its connection is closed only once it is done
                with contextlib.suppress(KeyboardInterrupt):
                    finished.wait()
            twin.conn.close()

    def _twin(self) -> Ledger | None:
        """A second reader of this file, seeing what this one sees (`beside`), or None."""
        if not self._only_reading or not self.conn.in_transaction:
            return None  # inside `writing()` a second reader would not see what is not yet in
        conn = None
        try:
            mark = self.conn.execute(STATE_MARK).fetchone()  # also fixes this side's view
            conn = self._second_connection()
            conn.text_factory = TOLERANT_TEXT
            conn.execute("PRAGMA cell_size_check = ON")
            conn.execute("BEGIN")
            # another window may have recorded between the two views: then one reader only
            if conn.execute(STATE_MARK).fetchone() != mark:
                conn.close()
                return None
        except BaseException as error:
            if conn is not None:
                conn.close()
            if isinstance(error, (sqlite3.Error, OSError, LedgerFileRefused)):
                return None  # a file that cannot be opened twice: one reader
            raise
        twin = copy.copy(self)
        twin.conn = conn
        return twin

    def _second_connection(self) -> sqlite3.Connection:
        """A read-only connection to this file for `_twin`, usable from another thread."""
        if self.read_only:
            return connect_read_only(self.path, place_is_writable(self.path), shared=True)
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)

    @property
    def backup_dir(self) -> Path:
        return backup_folder(self.path)

    def daily_backup(self, today: dt.date | None = None, keep_last: bool = True) -> Path | None:
        """Before the first change of a day: the full integrity check, then a copy into
        backups/ (the last 30 kept; `keep_last=False` leaves the older ones for the change
        to let go once it is made). A damaged file is refused before anything is written,
        and never copied over as a good day's backup."""
        today = today or dates.today()
        target = self.backup_dir / f"{copy_stem(self.path)}-{today.isoformat()}.db"
        if target.exists():
            return None
        self.verify()
        # a folder that was there before stays, whatever becomes of the copy (the clerk may
        # have made it, or emptied it, on purpose)
        self._made_day_folder = not self.backup_dir.exists()
        try:
            self._backup_folder()
            sweep_partials(self.backup_dir)
            if self.conn.in_transaction:
                # a change holds the write lock: the copy is read through a reader of its
                # own, which sees the ledger as it was before the change (SQLite's backup
                # cannot read through a connection that is writing)
                reader = connect_read_only(self.path, writable_place=True)
                try:
                    self.backup(target, reader)
                finally:
                    reader.close()
            else:
                self.backup(target)
            if keep_last:
                self._keep_last_copies()
        except OSError as error:
            self._let_go_of_folder()
            raise self._copy_refused(error, "err.backup_failed", path=self.backup_dir) from None
        except BaseException:  # Ctrl-C: no empty folder of this run's left behind
            self._let_go_of_folder()
            raise
        return target

    def _backup_folder(self) -> Path:
        return make_backup_folder(self.backup_dir)

    def _copy_refused(self, error: OSError, key: str, **fields: object) -> LedgerError:
        """A copy into `backups/` the system refused: a full disk said as such, anything
        else as `key` with the system's words."""
        if explain(error).key == "err.os_full":
            return explain(error, self.backup_dir)
        return LedgerFileRefused(key, detail=error.strerror or error, **fields)

    def _keep_last_copies(self) -> None:
        # (a name with [brackets] is a name, not a pattern)
        pattern = f"{glob.escape(copy_stem(self.path))}-????-??-??.db"
        copies = sorted(self.backup_dir.glob(pattern))
        # a copy another window holds open (Windows) goes at a later change
        for old in copies[:-BACKUPS_KEPT]:
            with contextlib.suppress(OSError):
                old.unlink()

    def backup_now(self, target: Path | None = None) -> Path:
        """`ledger backup [PATH]`: a checked copy now, never over an existing file."""
        named = f"{copy_stem(self.path)}-{dates.clock():%Y-%m-%dT%H%M%S}.db"
        if target is not None and _same_folder(target, self.backup_dir):
            target = None  # `ledger backup backups`: where a copy goes when no path is given
        chosen = target is None or target.is_dir()  # the name is ours, not the clerk's
        if target is None:
            target = self._backup_folder() / named
        else:
            if target.is_dir():
                target = target / named
            # a copy the clerk names goes anywhere but onto the ledger or among its own copies
            target = guard(target, self.path)
        if chosen:
            # two copies in one second get two names (-2, -3 …), never a refusal
            with os_errors(target.parent):
                target = claim_name(target)
        elif target.exists():
            raise BadInput("err.backup_target_exists", path=target)
        else:
            no_companions(target)
        try:
            self.verify()
            return self.backup(target)
        except sqlite3.Error as error:
            raise self.refusal(error) from None
        except OSError as error:
            raise explain(error, target) from None
        finally:
            if chosen and target.exists() and target.stat().st_size == 0:
                target.unlink()  # claimed, never written (the copy failed)

    def backup(self, target: Path, source: sqlite3.Connection | None = None) -> Path:
        """A consistent copy made with SQLite's online backup, written under a temporary
        name first so that a half-written copy never looks like a good one, and removed
        again if the copy fails (a full disk, an unplugged stick). `source`: the connection
        to copy through (the ledger's own unless given)."""
        # two terminals may copy at the same moment: each writes its own partial file
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        try:
            # made here first, so that a place that cannot be written is said by the system
            # of the copy's path, not by SQLite as a ledger it "cannot open"
            os.close(os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, FILE_MODE))
            dest = sqlite3.connect(partial)
            try:
                (source or self.conn).backup(dest)
            finally:
                dest.close()
            private(partial)
            os.replace(partial, target)
        except sqlite3.Error as error:
            refusal = translate(error, target)
            if refusal.key == "err.file_damaged":  # the source met damage, not the copy
                raise self.refusal(error) from None
            raise refusal from None
        finally:
            for leftover in (partial, *(partial.with_name(partial.name + s) for s in COMPANIONS)):
                with contextlib.suppress(OSError):
                    leftover.unlink()
        return target

    # -- settings -------------------------------------------------------------------------

    def settings(self) -> dict[str, str]:
        """The settings in force. A count or a rate another program stored in a form the
        ledger would not take stops here with a line saying how to set it again, not
        wherever it is counted with; a key the ledger does not know is not one of them."""
        stored = self._stored_settings()
        for key, value in stored.items():
            if _spoilt_setting(key, value):
                raise BadInput("err.stored_setting", key=key, value=value)
        return {**SETTINGS_DEFAULTS, **stored}

    def _stored_settings(self) -> dict[str, str]:
        return {
            key: value
            for key, value in self.conn.execute("SELECT key, value FROM settings")
            if key in SETTINGS_DEFAULTS
        }

    def setting_problems(self) -> list[str]:
        """`check`'s lines for settings another program spoilt (`settings`), those a past
        day's report would count with included (`settings_as_of`)."""
        stored = list(self._stored_settings().items())
        if self._keeps_setting_history():
            stored += [
                (key, old)
                for key, old in self.conn.execute(
                    "SELECT key, old FROM setting_changes WHERE old IS NOT NULL ORDER BY id"
                )
                if key in SETTINGS_DEFAULTS
            ]
        return [
            t("check.stored_setting", key=key, value=value)
            for key, value in stored
            if _spoilt_setting(key, value)
        ]

    def set_setting(self, key: str, value: str, at: str) -> None:
        """A setting changed at `at`, with what it replaced kept beside it, so that a report
        of an earlier day counts with the value in force then (`settings_as_of`). The same
        value again is no change: nothing is recorded, no day's copy is taken for it."""
        # a past value another program spoilt, which no report could count with (`check`
        # names it and says to set it again): the days it held count with what the change
        # before it set, if that is sound, else with the value set now
        mended, before = [], None
        for change_id, old, new in self.conn.execute(
            "SELECT id, old, new FROM setting_changes WHERE key = ? ORDER BY id", (key,)
        ).fetchall():
            if old is not None and _spoilt_setting(key, old):
                sound = before is not None and not _spoilt_setting(key, before)
                mended.append((before if sound else value, change_id))
            before = new
        self.conn.executemany("UPDATE setting_changes SET old = ? WHERE id = ?", mended)
        old = self.stored_setting(key)
        if self.setting_in_force(key) == value:
            return
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
        if old is None or not _spoilt_setting(key, old):
            self.conn.execute(
                "INSERT INTO setting_changes (key, old, new, at) VALUES (?, ?, ?, ?)",
                (key, old, value, at),
            )

    def stored_setting(self, key: str) -> str | None:
        """The value stored for `key` (None: never set, its default in force)."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def setting_in_force(self, key: str) -> str:
        """The value `key` has now, stored or its default: setting the default of a key
        never set is no change (a change dated now would stand before any `--at` earlier)."""
        stored = self.stored_setting(key)
        return SETTINGS_DEFAULTS[key] if stored is None else stored

    def setting_changed_at(self, key: str) -> str | None:
        """When `key` was last changed (None: never, or before the ledger kept it)."""
        # (a time another program wrote in another form is `check`'s to name, not an order)
        row = self.conn.execute(
            "SELECT max(at) FROM setting_changes WHERE key = ? AND typeof(at) = 'text' "
            f"AND {WELL_DATED['minute'].format(c='at')}",
            (key,),
        ).fetchone()
        return row[0] if row else None

    def settings_as_of(self, moment: str, only: tuple[str, ...] | None = None) -> dict[str, str]:
        """The settings in force at `moment` (a report's end of day, SPEC §6): today's, each
        one changed after it put back to what the first change after it replaced. A ledger
        that kept no history (changes made before this version, a pack of an earlier one)
        has today's in force on every day, as reports of earlier versions read them."""
        settings = self.settings()
        if not self._keeps_setting_history():
            return settings
        # a change dated after now (the PC's clock ran ahead that day; `check` names it) is
        # taken as made now, so that what `settings show` says reaches today's reports
        now = dates.minute(dates.now())
        for key, old in self.conn.execute(
            # latest first: what is left in `settings` is the earliest change's old value
            "SELECT key, old FROM setting_changes WHERE min(at, :now) > :moment "
            "ORDER BY min(at, :now) DESC, id DESC",
            {"now": now, "moment": moment},
        ):
            if key not in SETTINGS_DEFAULTS or (only is not None and key not in only):
                continue  # (`only`: a past value of another setting spoilt stops nothing)
            if old is not None and _spoilt_setting(key, old):
                raise BadInput("err.stored_setting", key=key, value=old)
            settings[key] = SETTINGS_DEFAULTS[key] if old is None else old
        return settings

    def setting_change_days(self, key: str) -> set[str]:
        """The days `key` was set on, each change dated after now taken as made now, as
        `settings_as_of` takes it: its value at the end of a day differs from the day
        before's only on these (a report that reads it on many days reads it on these)."""
        if not self._keeps_setting_history():
            return set()
        now = dates.minute(dates.now())
        found = self.conn.execute(
            "SELECT DISTINCT substr(min(at, :now), 1, 10) FROM setting_changes WHERE key = :key",
            {"now": now, "key": key},
        )
        return {day for (day,) in found}

    def _keeps_setting_history(self) -> bool:
        return True  # a ledger is migrated to this version when it is opened

    def vouch_for_setting_history(self) -> None:
        """The one line `settings_as_of` would stop a report with, for any past value
        another program spoilt: a file that leaves the desk (a pack) must count for any
        period, and the city cannot set a window's settings again."""
        if not self._keeps_setting_history():
            return
        for key, old in self.conn.execute(
            "SELECT key, old FROM setting_changes WHERE old IS NOT NULL ORDER BY id"
        ):
            if key in SETTINGS_DEFAULTS and _spoilt_setting(key, old):
                raise BadInput("err.stored_setting", key=key, value=old)

    def max_extension_days(self, moment: str | None = None) -> int:
        """The most working days one extension may add: as set at `moment` (a move recorded
        with `--at`), else now."""
        if moment is None:
            settings = self.settings()
        else:
            settings = self.settings_as_of(moment, only=("max_extension_days",))
        return int(settings["max_extension_days"])

    def window(self) -> dict[str, str | None]:
        """The window's name and code as the office above reads them (SPEC §13); None when
        the clerk has not set one."""
        settings = self.settings()
        return {"name": settings["window_name"] or None, "code": settings["window_code"] or None}

    def limits(self, moment: str | None = None) -> dict[str, int]:
        """The time limits' working days: as set at `moment` (a deadline counted for a move
        recorded with `--at`, or for an imported case received then), else now — a change
        made with `settings set … --at` reaches no deadline counted from before it."""
        keys = tuple(f"limit_{name}" for name in DEFAULT_LIMITS)
        settings = self.settings() if moment is None else self.settings_as_of(moment, only=keys)
        return {name: int(settings[f"limit_{name}"]) for name in DEFAULT_LIMITS}

    def limits_until(self) -> tuple[tuple[str, dict[str, int]], ...]:
        """The time limits in force before each moment one of them was changed, earliest
        first: (the moment, the limits until then). Empty when none ever changed."""
        if not self._keeps_setting_history():
            return ()
        now = dates.minute(dates.now())
        moments = sorted(
            {
                min(at, now)
                for key, at in self.conn.execute("SELECT key, at FROM setting_changes")
                if isinstance(key, str) and key.startswith("limit_") and isinstance(at, str)
            }
        )
        found = []
        for moment in moments:
            before = dates.minute(dates.read_minute(moment) - dt.timedelta(minutes=1))
            found.append((moment, self.limits(before)))
        return tuple(found)

    # -- calendar -------------------------------------------------------------------------

    def calendar(self, lang: str | None = None, as_of: str | None = None) -> WorkCalendar:
        """The working-day calendar: today's, or (`as_of`, a report's end of day) the one in
        force then — the clerk's overrides as they stood, each entered or cleared after it
        put back to what it replaced (SPEC §3: reports of earlier days keep what was in
        force then)."""
        overrides = {
            d: Override(dt.date.fromisoformat(d), bool(w), n)
            for d, w, n in self.conn.execute("SELECT date, working, name FROM calendar_overrides")
        }
        if as_of is not None:
            for d, w, n in self._calendar_changes_after(as_of):
                if w is None:
                    overrides.pop(d, None)
                else:
                    overrides[d] = Override(dt.date.fromisoformat(d), bool(w), n)
        confirmed = [r[0] for r in self.conn.execute("SELECT year FROM calendar_confirmed")]
        schedule = CachedSchedule(cache_folder(self.path), writable=not self.read_only)
        return WorkCalendar(overrides.values(), confirmed, lang, schedule)

    def _calendar_changes_after(self, moment: str) -> list[tuple]:
        """The overrides' changes made after `moment`, latest first, each with what it
        replaced (`old_working` None: no override), so that what is left once all are put
        back is the first one's old value. A change dated after now (the PC's clock ran
        ahead that day) is taken as made now, as a setting's is."""
        if not self._keeps_calendar_history():
            return []
        return self.conn.execute(
            "SELECT date, old_working, old_name FROM calendar_changes "
            "WHERE min(at, :now) > :moment ORDER BY min(at, :now) DESC, id DESC",
            {"now": dates.minute(dates.now()), "moment": moment},
        ).fetchall()

    def _keeps_calendar_history(self) -> bool:
        return True  # a ledger is migrated to this version when it is opened

    def _override_of(self, day: dt.date) -> tuple | None:
        return self.conn.execute(
            "SELECT working, name FROM calendar_overrides WHERE date = ?", (day.isoformat(),)
        ).fetchone()

    def _note_calendar_change(self, day: dt.date, before: tuple | None, at: str) -> None:
        """What the override of `day` was (`before`; None: none) before a change at `at`,
        kept beside it."""
        old_working, old_name = before if before else (None, None)
        self.conn.execute(
            "INSERT INTO calendar_changes (date, old_working, old_name, at) VALUES (?, ?, ?, ?)",
            (day.isoformat(), old_working, old_name, at),
        )

    def set_override(self, day: dt.date, working: bool, name: str | None, at: str) -> None:
        before = self._override_of(day)
        if before is not None and (bool(before[0]), before[1]) == (working, name):
            return  # the same override again is no change: nothing is written, no copy taken
        self._note_calendar_change(day, before, at)
        self.conn.execute(
            "INSERT INTO calendar_overrides (date, working, name, entered_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (date) DO UPDATE SET working = excluded.working, name = excluded.name, "
            "entered_at = excluded.entered_at",
            (day.isoformat(), int(working), name, at),
        )

    def clear_override(self, day: dt.date, at: str | None = None) -> bool:
        before = self._override_of(day)
        if before is None:  # nothing there: nothing changes, nothing is written
            return False
        self._note_calendar_change(day, before, at or dates.minute(dates.now()))
        self.conn.execute("DELETE FROM calendar_overrides WHERE date = ?", (day.isoformat(),))
        return True

    def confirm_year(self, year: int, at: str) -> None:
        self.conn.execute(
            # (confirmed again: kept as first confirmed, nothing written, no copy taken)
            "INSERT OR IGNORE INTO calendar_confirmed (year, confirmed_at) VALUES (?, ?)",
            (year, at),
        )

    def unconfirm_year(self, year: int) -> None:
        self.conn.execute("DELETE FROM calendar_confirmed WHERE year = ?", (year,))

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM ledger_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO ledger_meta (key, value) VALUES (?, ?) "
            # (the same value again is no change: no day's copy is taken for it)
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value "
            "WHERE value IS NOT excluded.value",
            (key, value),
        )

    def calendar_years(self) -> list[dict]:
        """Clerk confirmations and override counts per year."""
        rows = self.conn.execute(
            "SELECT substr(date, 1, 4) AS year, count(*) FROM calendar_overrides GROUP BY year"
        )
        years: dict[int, dict] = {
            int(y): {"year": int(y), "overrides": n, "clerk_confirmed_at": None} for y, n in rows
        }
        for year, at in self.conn.execute("SELECT year, confirmed_at FROM calendar_confirmed"):
            years.setdefault(year, {"year": year, "overrides": 0})["clerk_confirmed_at"] = at
        return [years[y] for y in sorted(years)]

    # -- checks ---------------------------------------------------------------------------

    def check(self) -> tuple[list[str], dict[str, int], dict | None]:
        """SQLite's full integrity check, then the ledger's own consistency checks. Returns
        the problems, the counts, and — when the file is sound after all — the earlier
        finding of damage it takes back (a flaky stick can make a sound file read badly)."""
        try:
            try:
                self.verify()
            except LedgerFileRefused as refused:
                return [t("check.integrity", detail=refused.fields["detail"])], {}, None
            problems = [
                t("check.integrity", detail=f"foreign key {r[0]} → {r[2]}")
                for r in self.conn.execute("PRAGMA foreign_key_check")
            ]
            problems += self.consistency_problems()
            counts = {
                "cases": self.conn.execute("SELECT count(*) FROM cases").fetchone()[0],
                "events": self.conn.execute("SELECT count(*) FROM events").fetchone()[0],
            }
        except sqlite3.DatabaseError as error:
            return [self.refusal(error).message()], {}, None
        cleared = self.damage
        # the note beside the file goes, though a ledger found damaged is read read-only
        if cleared and place_is_writable(self.path) and not in_backups(self.path):
            forget_damage(self.path)
            self.damage = None
            return problems, counts, cleared
        return problems, counts, None

    def consistency_problems(self) -> list[str]:
        """A case whose row, timeline and as-of index disagree; an open deadline that is not
        a working day (a later override can cause that); a case resolved or answered with no
        resolution (no move makes one: another program wrote it)."""
        problems = [
            t("check.case_no_events", case=r[0])
            for r in self.conn.execute(
                "SELECT id FROM cases c WHERE NOT EXISTS "
                "(SELECT 1 FROM events e WHERE e.case_id = c.id)"
            )
        ]
        problems += [
            t("check.resolved_without", case=r[0], status=code_label("status", r[1]))
            for r in self.conn.execute(
                "SELECT id, status FROM cases WHERE status IN ('resolved', 'closed') "
                "AND (resolved_at IS NULL OR resolution IS NULL) ORDER BY year, seq"
            )
        ]
        # only an answer rates a case, and a reopening takes the rating away: a rating on a
        # case not yet answered came from a book imported before rows saying both were refused
        problems += [
            t(
                "check.rated_unanswered",
                case=r[0],
                status=code_label("status", r[1]),
                satisfaction=code_label("satisfaction", r[2]) if r[2] else r[3],
            )
            for r in self.conn.execute(
                "SELECT id, status, satisfaction, feedback_at FROM cases WHERE status IN "
                "('received', 'classified', 'dispatched', 'resolved') "
                "AND (satisfaction IS NOT NULL OR feedback_at IS NOT NULL) ORDER BY year, seq"
            )
        ]
        problems += [
            t(
                "check.case_status",
                case=r[0],
                status=code_label("status", r[1]),
                timeline=code_label("status", r[2]),
            )
            for r in self.conn.execute(
                "SELECT c.id, c.status, e.status_to FROM cases c JOIN events e ON e.id = "
                "(SELECT max(id) FROM events WHERE case_id = c.id) WHERE e.status_to != c.status"
            )
        ]
        problems += [
            t("check.event_order", case=r[0], at=r[1])
            for r in self.conn.execute(
                "SELECT case_id, at FROM (SELECT case_id, at, "
                "lag(at) OVER (PARTITION BY case_id ORDER BY id) AS previous FROM events) "
                "WHERE at < previous"
            )
        ]
        # the state in force now says of every field kept in the index what the case's row
        # says (a file edited by another program may make them part) — but the outcome: a
        # case reopened in a version-1 ledger keeps its first outcome on its row, which the
        # timeline carried over from that version never recorded
        differs = " OR ".join(
            f"s.{column} IS NOT c.{column}"
            for column in (
                "department_id" if name == "department" else name
                for name in IN_FORCE
                if name != "outcome"
            )
        )
        problems += [
            t("check.state_gap", case=r[0])
            for r in self.conn.execute(
                f"SELECT c.id FROM cases c LEFT JOIN states s ON s.case_id = c.id "
                f"AND s.valid_until = '{FOREVER}' WHERE s.id IS NULL OR {differs}"
            )
        ]
        problems += self.type_problems()
        problems += self.code_problems()
        unreadable = (
            _date_problems(self.conn) + _shape_problems(self.conn) + self.setting_problems()
        )
        if unreadable or _bytes_where_dates_belong(self.conn):
            # what follows replays the timeline and counts with the dates and the calendar:
            # those lines come first
            return problems + unreadable
        problems += self.index_problems()
        now = dates.minute(dates.now())
        problems += [
            t("check.event_future", case=case_id, at=at, action=_event_word(action), now=now)
            for case_id, at, action in self.conn.execute(
                "SELECT case_id, at, action FROM events WHERE at > ? ORDER BY case_id, id", (now,)
            )
        ]
        problems += [
            t("check.setting_future", key=key, at=at, now=now)
            for key, at in self.conn.execute(
                "SELECT key, at FROM setting_changes WHERE typeof(at) = 'text' AND at > ? "
                "ORDER BY id",
                (now,),
            )
        ]
        cal = self.calendar()
        problems += [
            t("check.deadline_not_working", case=case_id, date=deadline)
            for case_id, deadline in self.conn.execute(
                "SELECT id, deadline FROM cases WHERE status IN "
                "('received', 'classified', 'dispatched')"
            )
            if not cal.is_working(dt.date.fromisoformat(deadline))
        ]
        return problems

    # -- departments ----------------------------------------------------------------------

    def departments(self) -> list[dict]:
        rows = self.conn.execute(
            "SELECT d.id, d.name, d.kind, d.floor, d.phone, "
            "(SELECT count(*) FROM cases c WHERE c.department_id = d.id "
            " AND c.status IN ('received', 'classified', 'dispatched')) "
            "FROM departments d ORDER BY d.id"
        )
        keys = ("id", "name", "kind", "floor", "phone", "open")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def department_places(self) -> dict[str, tuple[str | None, str | None]]:
        """Each department's floor and phone, by name, for the slips and notices."""
        rows = self.conn.execute("SELECT name, floor, phone FROM departments")
        return {name: (floor, phone) for name, floor, phone in rows}

    def department_named(self, name: str) -> dict | None:
        """The department of that name; else the one whose stored name is that name once
        its marks that show nothing are out (stored by a version that kept them: typed
        names lose theirs, so it could not be named, not even to be renamed)."""
        row = self.conn.execute(
            "SELECT id, name, kind, floor, phone FROM departments WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            found = self._departments_looking_like(name)
            row = found[0] if len(found) == 1 else None
        return (
            None
            if row is None
            else dict(zip(("id", "name", "kind", "floor", "phone"), row, strict=True))
        )

    def _departments_looking_like(self, name: str) -> list[tuple]:
        """The departments stored under another spelling of `name` (`department_key`): a
        space, a case, a mark that shows nothing apart."""
        key = department_key(name)
        return [
            other
            for other in self.conn.execute("SELECT id, name, kind, floor, phone FROM departments")
            if isinstance(other[1], str) and other[1] != name and department_key(other[1]) == key
        ]

    def department_taken(self, name: str, but: int | None = None) -> str | None:
        """The name of a department other than `but` that has that name, or another spelling
        of it (a space, a case, a mark that shows nothing apart: a new one named so could not
        be told from it); None when there is none."""
        found = [
            (row[0], name)
            for row in self.conn.execute("SELECT id FROM departments WHERE name = ?", (name,))
        ] + [(other[0], other[1]) for other in self._departments_looking_like(name)]
        return next((held for key, held in found if key != but), None)

    def add_department(self, name: str, kind: str, floor: str | None, phone: str | None) -> int:
        cursor = self.conn.execute(
            "INSERT INTO departments (name, kind, floor, phone) VALUES (?, ?, ?, ?)",
            (name, kind, floor, phone),
        )
        return cursor.lastrowid

    def set_department(self, department_id: int, values: dict[str, str | None]) -> None:
        """A department's floor, phone or kind (`values`, by column): where the slips and
        notices send people. Its name, its cases and their history stay as they are."""
        columns = [column for column in ("floor", "phone", "kind") if column in values]
        self.conn.execute(
            f"UPDATE departments SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
            (*(values[c] for c in columns), department_id),
        )

    def rename_department(self, department_id: int, new_name: str) -> None:
        """The lead follows by its id; the assisting departments are kept by name, so the
        cases and as-of rows naming the old one are rewritten (their events keep the name
        the department had then, as they do for the lead)."""
        old = self.conn.execute(
            "SELECT name FROM departments WHERE id = ?", (department_id,)
        ).fetchone()[0]
        self.conn.execute("UPDATE departments SET name = ? WHERE id = ?", (new_name, department_id))

        def renamed(names: list) -> list:
            return [new_name if n == old else n for n in names or []]

        for table in ("cases", "states"):
            # the few rows with any assisting department at all; the name is checked in Python
            rows = self.conn.execute(
                f"SELECT rowid, assist FROM {table} WHERE assist IS NOT NULL AND instr(assist, ?)",
                (old,),
            ).fetchall()
            for rowid, text in rows:
                names = json.loads(text)
                if old in names:
                    self.conn.execute(
                        f"UPDATE {table} SET assist = ? WHERE rowid = ?",
                        (json.dumps(renamed(names), ensure_ascii=False), rowid),
                    )
        # the timeline's assisting names follow too, so that it still replays to the as-of
        # rows (`ledger check`): unlike the lead, an assisting department has no id there
        for event_id, text in self.conn.execute(
            "SELECT id, changes FROM events WHERE instr(changes, '\"assist\"') "
            "AND instr(changes, ?)",
            (old,),
        ).fetchall():
            changes = json.loads(text)
            for change in changes:
                if change[0] == "assist":
                    change[1], change[2] = renamed(change[1]), renamed(change[2])
            self.conn.execute(
                "UPDATE events SET changes = ? WHERE id = ?",
                (json.dumps(changes, ensure_ascii=False), event_id),
            )

    # -- cases ----------------------------------------------------------------------------

    def next_case_id(self, year: int) -> str:
        """The next id of a year; called inside the write transaction, so two terminals
        never take the same one, and since no case is ever deleted none is reused — nor
        one a ledger replaced by `restore` had given (`issued:YEAR`, see `_keep_ids_given`)."""
        seq = self.conn.execute(
            "SELECT coalesce(max(seq), 0) FROM cases WHERE year = ?", (year,)
        ).fetchone()[0]
        issued = _issued_number(self.meta(f"{ISSUED}{year}"))
        return format_id(year, max(seq, issued) + 1)

    def ids_held_back(self) -> list[str]:
        """The last id of each year a ledger replaced by `restore` had given beyond this
        one's cases: the next case of that year is numbered after it."""
        cases = _numbers_of_cases(self.conn)
        return [
            format_id(year, seq)
            for year, seq in sorted(_numbers_held(self.conn).items())
            if seq > cases.get(year, 0)
        ]

    def numbers_given_before_restores(self) -> dict[int, int]:
        """By year, the highest number a ledger replaced by `restore` had given: an id up to
        it that this ledger lacks was a case of that ledger (kept aside by the restore)."""
        return _numbers_held(self.conn)

    def case(self, case_id: str) -> Case | None:
        row = self.conn.execute(
            f"SELECT {CASE_COLUMNS}, d.name FROM cases c "
            "LEFT JOIN departments d ON d.id = c.department_id WHERE c.id = ?",
            (case_id,),
        ).fetchone()
        return None if row is None else case_from_row(row)

    def history(self, case_id: str) -> list[Event]:
        """The case's timeline as events, in order."""
        rows = self.conn.execute(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE case_id = ? ORDER BY id", (case_id,)
        )
        return [event_from_row(row) for row in rows]

    def department_names(self) -> dict[int, str]:
        # as text even where another program wrote bytes: the figures sort and show names
        return dict(self.conn.execute("SELECT id, CAST(name AS TEXT) FROM departments"))

    def record(self, step: Step) -> int:
        """What one move changed: the case row, its event, the as-of rows it begins."""
        row = case_row(step.case)
        if step.event.action in INTAKE:
            columns = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            self.conn.execute(
                f"INSERT INTO cases ({columns}) VALUES ({marks})", tuple(row.values())
            )
        else:
            assignments = ", ".join(f"{column} = ?" for column in row)
            self.conn.execute(
                f"UPDATE cases SET {assignments} WHERE id = ?", (*row.values(), step.case.id)
            )
        event_id = self._insert_event(step.event)
        for state in step.states:
            self.conn.execute(
                "UPDATE states SET valid_until = ? WHERE case_id = ? AND valid_until = ?",
                (state["valid_from"], step.case.id, FOREVER),
            )
            self.conn.execute(STATE_INSERT, state_values(step.case.id, state, event_id))
        return event_id

    def _insert_event(self, event: Event) -> int:
        row = event_row(event)
        cursor = self.conn.execute(
            f"INSERT INTO events ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            tuple(row.values()),
        )
        event.id = cursor.lastrowid
        return event.id

    def record_imported(self, done: list[tuple[ImportedRows, int | None]]) -> None:
        """Many imported cases at once, each as `imported_rows` made it, with the id of its
        department: their rows, their `imported` events, their pasts. The as-of rows are
        made by SQLite from each case's row and what its past changes (`history.PastRow`),
        so that a row's in-force values are not sent to it once a state."""
        if not done:
            return
        first = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM events").fetchone()[0]
        events, cases, past = [], [], []
        for event_id, ((row, event, steps), department_id) in enumerate(done, start=first):
            case_id = row[0]
            cases.append((*row[:3], department_id, *row[4:]))
            events.append((event_id, *event, department_id))
            past += [(case_id, event_id, *step) for step in steps]
        self.conn.executemany(IMPORTED_CASE_INSERT, cases)
        self.conn.executemany(IMPORTED_EVENT_INSERT, events)
        self.conn.execute(IMPORTED_PAST_TABLE)
        self.conn.executemany(IMPORTED_PAST_INSERT, past)
        self.conn.execute(IMPORTED_STATES_INSERT)
        self.conn.execute("DELETE FROM temp.imported_past")

    def dates_before_recalculation(self, case_id: str) -> dict[str, set]:
        """The deadlines and answer dates a case held before calendar changes alone moved
        them to what it holds now, by field: the old values of the `recalculated` events
        since the last other move that set the field (a resume, an extension: after one, an
        older date is no longer the row's)."""
        before: dict[str, set] = {}
        for event in self.history(case_id):
            for name, old, _new in event.changes:
                if event.action == "recalculated":
                    before.setdefault(name, set()).add(old)
                else:
                    before.pop(name, None)
        return before

    def moved_since(self, case_id: str, at: str, moves: tuple[str, ...] = ()) -> bool:
        """Whether a move (one of `moves`, if given) was recorded on the case at or after
        `at` — its intake, a note, a correction (`edit`) and a calendar change's
        recalculation are none."""
        if moves:
            marks = ", ".join("?" * len(moves))
            found = f"action IN ({marks})"
        else:
            found = "action NOT IN ('received', 'imported', 'note', 'edit', 'recalculated')"
        row = self.conn.execute(
            f"SELECT 1 FROM events WHERE case_id = ? AND at >= ? AND {found} LIMIT 1",
            (case_id, at, *moves),
        ).fetchone()
        return row is not None

    def emptied_since(self, case_id: str, at: str) -> frozenset[str] | None:
        """The fields a move at or after `at` took a value from (a resumption its pause, a
        reopening its resolution, a return its department, an undo what its move set);
        None once the case was voided since, which takes back everything."""
        emptied: set[str] = set()
        for action, changes in self.conn.execute(
            "SELECT action, changes FROM events WHERE case_id = ? AND at >= ? "
            "AND action NOT IN ('received', 'imported', 'note') ORDER BY id",
            (case_id, at),
        ):
            if action == "void":
                return None
            for name, old, new in json.loads(changes or "[]"):
                if new in (None, "", []) and old not in (None, "", []):
                    emptied.add(name)
        return frozenset(emptied)

    def values_before_edits(self, case_id: str) -> dict[str, set[str]]:
        """The texts and codes a case held before each correction (`edit`), by field."""
        held: dict[str, set[str]] = {}
        for event in self.history(case_id):
            if event.action == "edit":
                for name, old, _new in event.changes:
                    if isinstance(old, str):
                        held.setdefault(name, set()).add(old)
        return held

    def latest_event_at(self, case_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT at FROM events WHERE case_id = ? ORDER BY id DESC LIMIT 1", (case_id,)
        ).fetchone()
        return row[0] if row else None

    def timeline(self, case_id: str) -> list[dict]:
        """The timeline as output shows it: codes and values, department names."""
        names = self.department_names()
        return [event_json(e, names) for e in self.history(case_id)]

    def output_cases(self, where: str = "", params: tuple = (), order: str = "") -> Iterator[dict]:
        """Cases as output shows them (JSON-ready, ISO dates), one at a time."""
        _names, found = self._fast_read(
            f"SELECT {CASE_COLUMNS}, d.name FROM cases c "
            f"LEFT JOIN departments d ON d.id = c.department_id {where} {order}",
            params,
        )
        for row in found:
            yield case_json_from_row(row)

    def count(self, where: str = "", params: tuple = ()) -> int:
        return self.conn.execute(f"SELECT count(*) FROM cases c {where}", params).fetchone()[0]

    def list_cases(self, filters: dict, limit: int | None = None) -> tuple[list[dict], int]:
        """Cases matching `filters`, newest first, and how many match in all."""
        clauses, params = [], []
        if filters.get("status"):
            clauses.append("c.status = ?")
            params.append(filters["status"])
        if filters.get("section"):
            clauses.append("(',' || c.sections || ',') LIKE ?")
            params.append(f"%,{filters['section']},%")
        if filters.get("department_id") is not None:
            clauses.append("c.department_id = ?")
            params.append(filters["department_id"])
        if filters.get("from"):
            clauses.append("c.received_at >= ?")
            params.append(filters["from"].isoformat())
        if filters.get("to"):
            clauses.append("c.received_at <= ?")
            params.append(f"{filters['to'].isoformat()} 23:59")
        if filters.get("search"):
            # a scan, not FTS5: its trigram tokenizer cannot find a two-character Chinese word
            for word in filters["search"].split():
                if _ASCII_LETTER.search(word):
                    clauses.append(_TEXT_HOLDS)
                    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                    params.extend([f"%{escaped}%"] * len(SEARCHED))
                else:
                    clauses.append(_TEXT_CONTAINS)
                    params.extend([word] * len(SEARCHED))
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        order = "ORDER BY c.received_at DESC, c.year DESC, c.seq DESC"
        if filters.get("search") and limit and int(limit) <= 500:
            # a search reads every case's text once: the matches' keys, sorted here, then
            # the page by rowid (counting first and then walking the newest-first index
            # until the page is full read a rare name's cases twice over)
            keys = self.conn.execute(
                f"SELECT c.received_at, c.year, c.seq, c.rowid FROM cases c {where}", params
            ).fetchall()
            keys.sort(reverse=True)
            page = [key[3] for key in keys[: int(limit)]]
            marks = ", ".join("?" for _ in page)
            found = self.output_cases(f"WHERE c.rowid IN ({marks})", tuple(page), order)
            return list(found), len(keys)
        total = self.count(where, tuple(params))
        if limit:
            order += f" LIMIT {int(limit)}"
        return list(self.output_cases(where, tuple(params), order)), total

    def same_applicant(self, case_id: str | None, applicant: str, contact: str | None) -> list:
        """Earlier cases of the same person or phone (void ones left out)."""
        rows = self.conn.execute(
            "SELECT id FROM cases WHERE status != 'void' AND id IS NOT ? AND "
            "(applicant = ? OR (? IS NOT NULL AND ? != '' AND contact = ?)) "
            "ORDER BY received_at, year, seq",
            (case_id, applicant, contact, contact, contact),
        )
        return [r[0] for r in rows]

    def has_cases(self) -> bool:
        return self.conn.execute("SELECT 1 FROM cases LIMIT 1").fetchone() is not None

    def case_ids(self, prefix: str = "", limit: int = 50) -> list[str]:
        rows = self.conn.execute(
            "SELECT id FROM cases WHERE id LIKE ? ORDER BY year DESC, seq DESC LIMIT ?",
            (f"{prefix}%", limit),
        )
        return [r[0] for r in rows]

    def open_case_ids(self) -> list[str]:
        """Cases not yet answered: what a change of the calendar may move."""
        rows = self.conn.execute(
            "SELECT id FROM cases WHERE status IN "
            "('received', 'classified', 'dispatched', 'resolved') ORDER BY year, seq"
        )
        return [r[0] for r in rows]

    def _fast_read(self, sql: str, params: tuple | list = ()) -> tuple[list[str], Iterator]:
        """The column names and rows of a large read, its text decoded by SQLite itself:
        decoding through Python (for text that is not UTF-8) doubles the time of reading a
        row. If stored text is met that is not UTF-8, the read is made again tolerantly (the
        same snapshot, the same order) and goes on after the rows already given."""
        cursor = self.conn.execute(sql, params)  # rows are decoded as they are fetched

        def rows() -> Iterator[tuple]:
            given = 0
            self.conn.text_factory = str
            try:
                for row in cursor:
                    yield row
                    given += 1
                return
            except sqlite3.OperationalError as error:
                if not _undecodable(error):
                    raise
            finally:
                self.conn.text_factory = TOLERANT_TEXT
            yield from itertools.islice(self.conn.execute(sql, params), given, None)

        return [column[0] for column in cursor.description], rows()

    # -- the as-of index, for reports ----------------------------------------------------

    def _as_of_rows(self, where: str, params: tuple, text: bool) -> list[dict]:
        columns = f"{AS_OF_CODES}, {AS_OF_TEXT}" if text else AS_OF_CODES
        names, found = self._fast_read(
            f"SELECT {columns} FROM states s {AS_OF_JOINS} WHERE c.status != 'void' AND {where}",
            params,
        )
        department_names = dict(self.conn.execute("SELECT id, name FROM departments"))
        rows = []
        for row in found:
            item = dict(zip(names, row, strict=True))
            item["assist"] = readable_list(item["assist"])
            item["department"] = department_names.get(item["department"])
            rows.append(item)
        return rows

    def states_as_of(self, moment: str, statuses: tuple[str, ...], text: bool) -> list[dict]:
        """The cases in one of `statuses` at `moment`, with what was in force then: codes
        and dates, each case's year and sequence, and with `text` what the clerk typed (as
        `case_texts` gives it). Void cases are left out whatever the date (SPEC §5)."""
        marks = ", ".join("?" for _ in statuses)
        return self._as_of_rows(
            f"s.status IN ({marks}) AND s.valid_until > ? AND s.valid_from <= ?",
            (*statuses, moment, moment),
            text,
        )

    def open_as_of(self, moment: str) -> list[dict]:
        """The cases open at `moment` (received, classified or dispatched then, void ones
        left out), with only what the period figures read of them: the status, department,
        deadline, pause and first chase then, and the applicant and matter. (A row of
        `states_as_of` has the seventeen columns and more that the sheet's lists read.)"""
        cursor = self.conn.execute(
            "SELECT s.case_id AS id, s.status, CAST(d.name AS TEXT) AS department, s.deadline, "
            "s.paused_since, s.first_chase_at, c.applicant, c.matter "
            f"FROM states s {AS_OF_JOINS} LEFT JOIN departments d ON d.id = s.department_id "
            "WHERE c.status != 'void' AND s.status IN ('received', 'classified', 'dispatched') "
            "AND s.valid_until > ? AND s.valid_from <= ?",
            (moment, moment),
        )
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def states_as_of_cases(self, moment: str, case_ids: list[str], text: bool) -> list[dict]:
        """The state in force at `moment` of each of the given cases."""
        found: list[dict] = []
        for chunk, marks in in_chunks(case_ids):
            found += self._as_of_rows(
                f"s.case_id IN ({marks}) AND s.valid_until > ? AND s.valid_from <= ?",
                (*chunk, moment, moment),
                text,
            )
        return found

    def deadlines_as_of(
        self, asked: list[tuple[str, str]], high: str
    ) -> dict[str, tuple[str, str | None]]:
        """Each case's deadline and pause in force at its own moment (pairs of case id and
        moment), as the timeline reads at `high`: a move undone by then is taken back, and
        the state before it was in force (a pause undone later was never a pause)."""
        found: dict[str, tuple[str, str | None]] = {}
        for start in range(0, len(asked), 400):
            chunk = asked[start : start + 400]
            values = ", ".join("(?, ?)" for _ in chunk)
            found.update(
                (case_id, (deadline, paused_since))
                for case_id, deadline, paused_since in self.conn.execute(
                    f"WITH asked(case_id, moment) AS (VALUES {values}), "
                    "picked AS (SELECT a.case_id, (SELECT s.id FROM states s INDEXED BY "
                    "states_case WHERE s.case_id = a.case_id AND s.valid_from <= a.moment "
                    "AND s.event_id NOT IN (SELECT e.undoes FROM events e INDEXED BY "
                    "events_case WHERE e.case_id = a.case_id AND e.undoes IS NOT NULL "
                    "AND e.at <= ?) ORDER BY s.valid_from DESC, s.id DESC LIMIT 1) AS state "
                    "FROM asked a) "
                    "SELECT p.case_id, s.deadline, s.paused_since FROM picked p "
                    "JOIN states s ON s.id = p.state",
                    [*(value for pair in chunk for value in pair), high],
                )
            )
        return found

    def case_texts(self, case_ids: list[str]) -> dict[str, dict]:
        """What the clerk typed of each case (applicant, contact, matter, cause), by id."""
        texts: dict[str, dict] = {}
        for chunk, marks in in_chunks(case_ids):
            _names, found = self._fast_read(
                f"SELECT id, applicant, contact, matter, cause FROM cases WHERE id IN ({marks})",
                chunk,
            )
            for case_id, applicant, contact, matter, cause in found:
                texts[case_id] = {
                    "applicant": applicant,
                    "contact": contact,
                    "matter": matter,
                    "cause": cause,
                }
        return texts

    def reopen_reasons(self, moment: str, case_ids: list[str]) -> dict[str, str]:
        """Of the given cases, those reopened by `moment` (a move not taken back by then),
        each with the reason of its latest reopening: a redo (重办)."""
        reasons: dict[str, str] = {}
        for chunk, marks in in_chunks(case_ids):
            rows = self.conn.execute(
                f"SELECT s.case_id, e.note FROM states s JOIN events e ON e.id = s.event_id "
                f"WHERE s.change = 'reopen' AND s.case_id IN ({marks}) AND s.valid_from <= ? "
                f"AND {NOT_UNDONE} ORDER BY s.valid_from, s.id",
                (*chunk, moment, moment),
            )
            reasons.update((case_id, note or "") for case_id, note in rows)
        return reasons

    def changes_between(self, changes: tuple[str, ...], start: str, end: str) -> list[dict]:
        """States begun by one of `changes` between two moments (both included), leaving out
        a move taken back by `end` (SPEC §6: an undone move counts nowhere)."""
        marks = ", ".join("?" for _ in changes)
        return self._as_of_rows(
            f"s.change IN ({marks}) AND s.valid_from BETWEEN ? AND ? AND {NOT_UNDONE}",
            (*changes, start, end, end),
        )

    def pause_reasons(self, case_ids: list[str], moment: str) -> dict[str, str | None]:
        """Why each case was paused: the note of its last pause recorded by `moment` and not
        taken back by then (an undone pause is no reason: the one before it is in force);
        without one, the reason the sheet it was imported from gave (`history.imported`)."""
        reasons: dict[str, str | None] = {}
        for chunk, marks in in_chunks(case_ids):
            for case_id, note in self.conn.execute(
                f"SELECT case_id, note FROM events INDEXED BY events_case "
                f"WHERE case_id IN ({marks}) AND action = 'pause' AND at <= ? "
                "AND id NOT IN (SELECT undoes FROM events WHERE undoes IS NOT NULL AND at <= ?) "
                "ORDER BY id",
                (*chunk, moment, moment),
            ):
                reasons[case_id] = note
        # a case imported paused: the reason its sheet gave, until a pause of its own
        told = [case_id for case_id in case_ids if case_id not in reasons]
        for chunk, marks in in_chunks(told):
            for case_id, changes in self.conn.execute(
                f"SELECT case_id, changes FROM events INDEXED BY events_case "
                f"WHERE case_id IN ({marks}) AND action = 'imported' "
                "AND instr(changes, '\"pause_reason\"')",
                chunk,
            ):
                for name, _old, new in _timeline_changes("imported", changes) or ():
                    if name == PAUSE_REASON.name and isinstance(new, str):
                        reasons[case_id] = new
        return reasons

    def received_between(self, start: str, end: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT id FROM cases WHERE status != 'void' AND received_at BETWEEN ? AND ? "
            "ORDER BY received_at, year, seq",
            (start, end),
        )
        return [r[0] for r in rows]

    # -- period figures, counted where the rows are ---------------------------------------
    #
    # Each figure is counted by SQLite over one narrow index made for it (schema m002: the
    # moves a figure counts, the cases by receipt), grouped before it reaches Python, aiming
    # at ten years of 100,000 cases in a second (SPEC §11). A move counts only if it was not
    # taken back by the end of the period and its case is not void (SPEC §5, §6). A short
    # period finds each case's last move of a kind case by case; a long one (LONG_PERIOD)
    # counts the moves where they lie and leaves to that way only the cases that moved twice
    # (tests/test_long_periods.py holds the two ways equal).

    def period_basis(self, high: str) -> dict:
        """What every figure of a period looks up: the departments' names."""
        return {"names": self.department_names()}

    def _last_moves(self, change: str, columns: str, among: str | None = None) -> str:
        """SQL for the last move of one kind per case in the period (:low to :high), live at
        :high: case id, the event's id and `columns`. A case's events are in time order, so
        its last move is the one with the highest event id (SQLite takes the other columns
        from the row where MAX() is found). `among`: SQL for the only cases to look at."""
        # a few cases named: through each one's own states
        index, only = (
            ("states_case", f"AND case_id IN ({among}) ") if among else (MOVE_INDEX[change], "")
        )
        return (
            f"SELECT case_id, MAX(event_id) AS event_id, {columns} FROM states "
            f"INDEXED BY {index} WHERE change = '{change}' "
            f"AND valid_from BETWEEN :low AND :high AND {LIVE} {only}GROUP BY case_id"
        )

    @staticmethod
    def long_period(low: str, high: str) -> bool:
        """A period long enough (thousands of cases) to count by the moves, not by the cases."""
        return dt.date.fromisoformat(high[:10]) - dt.date.fromisoformat(low[:10]) >= LONG_PERIOD

    def period_resolutions(self, low: str, high: str, basis: dict | None = None) -> dict:
        """The last resolution of each case in the period that was not taken back by its end:
        how many, on time, answered and reopened by the end, by department, how long they took
        (`spans`: the cases counted by day of receipt, with the first and last day they were
        resolved, and by day of resolution — all that a sum of working days between the two
        needs), and the `cannot` ones."""
        names = (basis or self.period_basis(high))["names"]
        span = {"low": low, "high": high}
        groups: list[tuple] = []
        spans: dict[str, list[tuple]] = {"received": [], "resolved": []}
        cannot: list[tuple] = []
        if not self.long_period(low, high):
            self._resolutions_by_case(span, None, groups, spans, cannot)
        else:
            # thousands of cases: counted where their resolutions lie, in one pass, and only
            # the cases reopened in the period looked at one by one
            reopened = self.conn.execute(f"SELECT EXISTS ({REOPENED_IN_PERIOD})", span)
            among = REOPENED_IN_PERIOD if reopened.fetchone()[0] else None
            self._resolutions_by_moves(span, among, groups, spans, cannot)
            if among:
                self._resolutions_by_case(span, among, groups, spans, cannot)
        resolved = on_time = answered = reopened = 0
        by_department: dict[str, list[int]] = {}
        for department_id, count, ok, was_answered, was_reopened in groups:
            resolved += count
            on_time += ok
            answered += was_answered
            reopened += was_reopened
            name = names.get(department_id)
            if name is not None:
                row = by_department.setdefault(name, [0, 0, 0])
                row[0] += ok
                row[1] += count - ok
                row[2] += was_answered
        return {
            "resolved": resolved,
            "on_time": on_time,
            "answered_by_end": answered,
            "reopened_by_end": reopened,
            "by_department": {name: tuple(v) for name, v in by_department.items()},
            "spans": spans,
            "cannot": self._cannot(
                [(case_id, names.get(department_id), at) for case_id, department_id, at in cannot],
                high,
            ),
        }

    def _resolutions_by_case(
        self, span: dict, among: str | None, groups: list, spans: dict, cannot: list
    ) -> None:
        """The last resolution of each case (of those `among` names, if given), looked up
        case by case: answered (an answer given to it by the end, even if the case was
        reopened after it) and reopened by the end — at any time up to it, before this
        resolution too: a case resolved again was not done the first time (一次办结) — from
        each case's own states. Adds (department id, resolved, on time, answered, reopened)
        to `groups`."""
        last = self._last_moves(
            "resolve", "valid_from AS at, on_time_deadline AS due, department_id, resolution", among
        )
        for department_id, ok, was_answered, was_reopened, count in self.conn.execute(
            f"WITH last AS ({last}), reopens AS (SELECT case_id, MAX(valid_from) AS at "
            "  FROM states INDEXED BY states_reopened WHERE change = 'reopen' "
            f"  AND valid_from <= :high AND {LIVE_EVENT} GROUP BY case_id) "
            "SELECT last.department_id, substr(last.at, 1, 10) <= last.due, "
            # answered: an answer to this resolution by the end, standing then — a reopening
            # after it does not take back that the applicant was told
            "EXISTS (SELECT 1 FROM states s INDEXED BY states_case WHERE s.case_id = "
            # (an imported case's rows share its one event: there, the later row is the answer)
            "last.case_id AND s.change = 'feedback' AND (s.event_id > last.event_id OR "
            "(s.event_id = last.event_id AND s.valid_from >= last.at)) "
            f"AND s.valid_from <= :high AND {LIVE_EVENT}), "
            "reopens.case_id IS NOT NULL, COUNT(*) "
            "FROM last LEFT JOIN reopens ON reopens.case_id = last.case_id GROUP BY 1, 2, 3, 4",
            span,
        ):
            groups.append(
                (
                    department_id,
                    count,
                    count if ok else 0,
                    count if was_answered else 0,
                    count if was_reopened else 0,
                )
            )
        received: dict[str, list] = {}
        resolved: dict[str, int] = {}
        for received_day, resolved_day, count in self.conn.execute(
            f"WITH last AS ({last}) SELECT substr(c.received_at, 1, 10), substr(last.at, 1, 10), "
            "COUNT(*) FROM last JOIN cases c ON c.id = last.case_id GROUP BY 1, 2",
            span,
        ):
            row = received.setdefault(received_day, [0, resolved_day, resolved_day])
            row[0] += count
            row[1], row[2] = min(row[1], resolved_day), max(row[2], resolved_day)
            resolved[resolved_day] = resolved.get(resolved_day, 0) + count
        spans["received"] += [(day, *row) for day, row in received.items()]
        spans["resolved"] += resolved.items()
        cannot += self.conn.execute(
            f"WITH last AS ({last}) SELECT case_id, department_id, at FROM last "
            "WHERE resolution = 'cannot'",
            span,
        ).fetchall()

    def _resolutions_by_moves(
        self, span: dict, reopened: str | None, groups: list, spans: dict, cannot: list
    ) -> None:
        """The resolutions of the cases not reopened in the period, counted where they lie,
        grouped by department: such a case was resolved there at most once (resolving again
        takes a reopening, or an undo that leaves the first one out), so each row is its last
        resolution; it stands resolved or answered at the end, and answered unless still
        resolved then. `reopened`: SQL for the cases reopened in the period, if there are any."""
        picked = f"s.change = 'resolve' AND s.valid_from BETWEEN :low AND :high AND {LIVE}" + (
            f" AND s.case_id NOT IN ({reopened})" if reopened else ""
        )
        where = f"WHERE {picked}"
        moves = f"FROM states s INDEXED BY states_resolved {where}"
        waiting = (
            "SELECT case_id FROM states INDEXED BY states_as_of WHERE status = 'resolved' "
            "AND valid_until > :high AND valid_from <= :high"
        )
        # the few still waiting for their answer at the end, looked up through their own rows
        unanswered = dict(
            self.conn.execute(
                "SELECT s.department_id, COUNT(*) FROM states s INDEXED BY states_case "
                f"WHERE s.case_id IN ({waiting}) AND {picked} GROUP BY 1",
                span,
            ).fetchall()
        )
        # the few reopened before the period and resolved again in it: not done first time
        redone = dict(
            self.conn.execute(
                "SELECT s.department_id, COUNT(*) FROM states s INDEXED BY states_case "
                f"WHERE s.case_id IN ({REOPENED_BY_END}) AND {picked} GROUP BY 1",
                span,
            ).fetchall()
        )
        refused = 0
        for department_id, count, ok, cannot_here in self.conn.execute(
            "SELECT s.department_id, COUNT(*), "
            "COALESCE(SUM(substr(s.valid_from, 1, 10) <= s.on_time_deadline), 0), "
            f"SUM(s.resolution = 'cannot') {moves} GROUP BY 1",
            span,
        ):
            answered = count - unanswered.get(department_id, 0)
            groups.append((department_id, count, ok, answered, redone.get(department_id, 0)))
            refused += cannot_here
        spans["received"] += self.conn.execute(
            "SELECT substr(c.received_at, 1, 10), COUNT(*), substr(MIN(s.valid_from), 1, 10), "
            "substr(MAX(s.valid_from), 1, 10) FROM states s INDEXED BY states_resolved "
            f"JOIN cases c ON c.id = s.case_id {where} GROUP BY 1",
            span,
        ).fetchall()
        spans["resolved"] += self.conn.execute(
            f"SELECT substr(s.valid_from, 1, 10), COUNT(*) {moves} GROUP BY 1", span
        ).fetchall()
        if refused:
            cannot += self.conn.execute(
                f"SELECT s.case_id, s.department_id, s.valid_from {moves} "
                "AND s.resolution = 'cannot'",
                span,
            ).fetchall()

    def _cannot(self, found: list[tuple], high: str) -> list[dict]:
        """The `cannot` answers among the resolutions, each with its reason as it stood at
        the period's end (:high): as given, or as `edit --outcome` corrected it by then —
        before any reopening, after which the next round's outcome is another answer's."""
        found.sort(key=lambda item: id_parts(item[0]))
        result = []
        for case_id, name, at in found:
            applicant, matter, reason = self.conn.execute(
                "SELECT c.applicant, c.matter, s.outcome FROM cases c JOIN states s "
                "INDEXED BY states_case ON s.case_id = c.id AND s.valid_from >= :at "
                "AND s.valid_from <= :high AND NOT EXISTS (SELECT 1 FROM states r "
                "INDEXED BY states_case WHERE r.case_id = c.id AND r.change = 'reopen' "
                "AND r.valid_from > :at AND r.valid_from <= s.valid_from) "
                "WHERE c.id = :case ORDER BY s.valid_from DESC, s.id DESC LIMIT 1",
                {"at": at, "high": high, "case": case_id},
            ).fetchone()
            result.append(
                {
                    "id": case_id,
                    "department": name,
                    "applicant": applicant,
                    "matter": matter,
                    "reason": reason,
                    "resolved_at": at,
                }
            )
        return result

    def period_moves(
        self, change: str, low: str, high: str, basis: dict | None = None
    ) -> dict[str | None, int]:
        """Cases a move (not taken back by the end) reached in the period, each counted once,
        under the department in force after its last such move; `None` for no department."""
        names = (basis or self.period_basis(high))["names"]
        counts: dict[str | None, int] = {}
        for department_id, count in self.conn.execute(
            f"WITH last AS ({self._last_moves(change, 'department_id')}) "
            "SELECT department_id, COUNT(*) FROM last GROUP BY 1",
            {"low": low, "high": high},
        ):
            name = names.get(department_id)
            counts[name] = counts.get(name, 0) + count
        return counts

    def period_answers(self, low: str, high: str, basis: dict | None = None) -> dict:
        """Answers given in the period (not taken back by its end): cases answered, ratings,
        and the unsatisfied ones by department."""
        names = (basis or self.period_basis(high))["names"]
        answers = (
            "SELECT case_id, satisfaction, department_id FROM states INDEXED BY states_answered "
            f"WHERE change = 'feedback' AND valid_from BETWEEN :low AND :high AND {LIVE}"
        )
        span = {"low": low, "high": high}
        groups = self.conn.execute(
            f"WITH answers AS ({answers}) SELECT department_id, "
            "COUNT(NULLIF(satisfaction, '')), "
            "COALESCE(SUM(satisfaction IN ('satisfied', 'basic')), 0), "
            "COALESCE(SUM(satisfaction = 'unsatisfied'), 0), COUNT(*) FROM answers GROUP BY 1",
            span,
        ).fetchall()
        if self.long_period(low, high):
            # thousands of answers: the pass by department gives the totals too; a case
            # answered twice in the period was reopened in between (or its first answer was
            # taken back), so only the cases reopened then are counted one by one
            again = self.conn.execute(
                "SELECT COUNT(*) - COUNT(DISTINCT case_id) FROM states INDEXED BY states_case "
                f"WHERE case_id IN ({REOPENED_IN_PERIOD}) AND change = 'feedback' "
                f"AND valid_from BETWEEN :low AND :high AND {LIVE}",
                span,
            ).fetchone()[0]
            cases = sum(row[4] for row in groups) - again
            rated = sum(row[1] for row in groups)
            pleased = sum(row[2] for row in groups)
        else:
            cases, rated, pleased = self.conn.execute(
                f"WITH answers AS ({answers}) SELECT COUNT(DISTINCT case_id), "
                "COUNT(NULLIF(satisfaction, '')), "
                "COALESCE(SUM(satisfaction IN ('satisfied', 'basic')), 0) FROM answers",
                span,
            ).fetchone()
        unsatisfied: dict[str, int] = {}
        by_department: dict[str, tuple[int, int, int]] = {}
        for department_id, rated_here, pleased_here, unsatisfied_here, _count in groups:
            name = names.get(department_id)
            if name is None:
                continue
            if unsatisfied_here:
                unsatisfied[name] = unsatisfied.get(name, 0) + unsatisfied_here
            before = by_department.get(name, (0, 0, 0))
            by_department[name] = (
                before[0] + rated_here,
                before[1] + pleased_here,
                before[2] + unsatisfied_here,
            )
        return {
            "cases": cases,
            "rated": rated,
            "pleased": pleased,
            "unsatisfied": unsatisfied,
            "by_department": by_department,
        }

    def period_acks(
        self, low: str, high: str, targets: dict[str, str], basis: dict | None = None
    ) -> list[tuple]:
        """The last work order of each case in the period (not taken back by its end) with
        the day it was acknowledged by then, if it was, and whether the case stood resolved
        (or closed) at the period's end, the day its department sent it back (退单) by then,
        if it did, and whether its department resolved it by its acknowledgement target,
        grouped: (department, dispatched at, acknowledged at or None, resolved 0/1, sent back
        at or None, resolved by the target 0/1, count) — the cases dispatched, too, by
        department: one sent back is not that department's. A work order is a dispatch, or a
        reopening that sends the case back to its department (重办: the sheet hands it out
        again, to be acknowledged again). `targets`: each day orders may have been handed out
        on, with the day they are to be acknowledged by (`_with_ack_targets`)."""
        names = (basis or self.period_basis(high))["names"]
        self._with_ack_targets(targets)
        span = {"low": low, "high": high}
        acked = (
            "(SELECT substr(MIN(a.valid_from), 1, 10) FROM states a INDEXED BY states_acked "
            "  WHERE a.case_id = {case}.case_id AND a.change = 'ack' "
            "  AND a.valid_from >= {case}.{at} AND a.valid_from <= :high "
            f"  AND a.event_id NOT IN ({UNDONE_IDS}))"
        )
        # resolved (or closed) at the end: not open then (a dispatched case is never again
        # received, and void cases are left out); the few thousand open then are looked up
        # in one small index SQLite builds once, not each case's rows one by one
        done = f"({{case}}.case_id NOT IN ({OPEN_AT_HIGH}))"
        rows: list[tuple] = []
        among = None
        if self.long_period(low, high):
            # thousands of cases: a case with one dispatch in the period and nothing else that
            # bears on its order (most: again takes a return or a reopening) is counted where
            # its dispatch lies, in one pass; only the others are looked at one by one
            among = (
                "SELECT case_id FROM states INDEXED BY states_dispatched "
                "WHERE change = 'dispatch' AND valid_from BETWEEN :low AND :high "
                f"AND {LIVE} GROUP BY case_id HAVING COUNT(*) > 1 "
                f"UNION {REOPENED_IN_PERIOD} UNION {RETURNED_IN_PERIOD}"
            )
            again = self.conn.execute(f"SELECT EXISTS ({among})", span).fetchone()[0]
            # an acknowledgement follows its dispatch: none in the period, none to look up
            any_acked = self.conn.execute(
                "SELECT EXISTS (SELECT 1 FROM states INDEXED BY states_acked WHERE change = 'ack' "
                "AND valid_from BETWEEN :low AND :high)",
                span,
            ).fetchone()[0]
            # resolved at the end: all of them less the few thousand open then, which are
            # counted apart through their own rows (a look-up of the open ones for each of
            # the period's orders cost a third of this count)
            # (none of these cases was sent back in the period: those are `among`)
            signed = acked.format(case="s", at="valid_from") if any_acked else "NULL"
            columns = f"s.department_id, substr(s.valid_from, 1, 10), {signed}"
            picked = (
                "s.change = 'dispatch' AND s.department_id IS NOT NULL "
                f"AND s.valid_from BETWEEN :low AND :high AND {LIVE} "
                + (f"AND s.case_id NOT IN ({among}) " if again else "")
            )
            open_ones = {
                tuple(order): count
                for *order, count in self.conn.execute(
                    f"SELECT {columns}, COUNT(*) FROM states s INDEXED BY states_case "
                    f"WHERE s.case_id IN ({OPEN_AT_HIGH}) AND {picked}GROUP BY 1, 2, 3",
                    span,
                )
            }
            # resolved by the target, unsigned: looked for only among the orders that left
            # their first row by then (the rows of a status, read whole from their index),
            # most of them for a resolution that began as that row ended (one step in an
            # index), and the rest through the case's rows — a look-up of each order's rows
            # cost more than the rest of this count. None of them is open at the end: a
            # reopening would have made the case one of `among`.
            answered = dict(
                ((department_id, day, acknowledged), count)
                for department_id, day, acknowledged, count in self.conn.execute(
                    "WITH ack_by (day, target) AS MATERIALIZED "
                    "(SELECT key, value FROM json_each(:targets)), "
                    "ended (ended_case, ended_at, ended_until, ended_target) AS MATERIALIZED "
                    "(SELECT q.case_id, q.valid_from, q.valid_until, t.target FROM states q "
                    "INDEXED BY states_as_of JOIN ack_by t ON t.day = substr(q.valid_from, 1, 10) "
                    "WHERE q.status = 'dispatched' AND q.valid_until BETWEEN :low AND :high "
                    "AND substr(q.valid_until, 1, 10) <= t.target), "
                    # (one row a case and minute, the last to end: a chase in the minute of
                    # the dispatch begins a second row there, and the order counts once)
                    "quick (quick_case, quick_at, quick_until, target) AS MATERIALIZED "
                    "(SELECT ended_case, ended_at, MAX(ended_until), ended_target FROM ended "
                    "GROUP BY 1, 2) "
                    f"SELECT {columns}, COUNT(*) FROM quick JOIN states s INDEXED BY "
                    "states_dispatched ON s.valid_from = quick_at AND s.case_id = quick_case "
                    f"WHERE {picked}AND {signed} IS NULL AND (EXISTS (SELECT 1 FROM states r "
                    "INDEXED BY states_resolved WHERE r.change = 'resolve' "
                    "AND r.valid_from = quick_until AND r.case_id = quick_case "
                    f"AND r.{LIVE_EVENT}) OR EXISTS (SELECT 1 "
                    "FROM states v INDEXED BY states_case WHERE v.case_id = s.case_id "
                    "AND v.valid_until >= s.valid_from AND v.change = 'resolve' "
                    "AND v.valid_from >= s.valid_from AND v.valid_from <= :high "
                    f"AND substr(v.valid_from, 1, 10) <= target AND v.{LIVE_EVENT})) "
                    "GROUP BY 1, 2, 3",
                    {**span, "targets": json.dumps(targets)},
                )
            )
            for department_id, day, acknowledged, count in self.conn.execute(
                f"SELECT {columns}, COUNT(*) FROM states s INDEXED BY states_dispatched "
                f"WHERE {picked}GROUP BY 1, 2, 3",
                span,
            ):
                order = (department_id, day, acknowledged)
                still_open = open_ones.get(order, 0)
                resolved_unsigned = answered.get(order, 0)
                if resolved_unsigned:
                    rows.append((*order, 1, None, 1, resolved_unsigned))
                if count > still_open + resolved_unsigned:
                    rows.append((*order, 1, None, 0, count - still_open - resolved_unsigned))
                if still_open:
                    rows.append((*order, 0, None, 0, still_open))
            if not again:
                return [(names.get(d), *rest) for d, *rest in rows]
        last = self._last_orders(among)
        sent_back = SENT_BACK.format(order="last", by=":high")
        signed = acked.format(case="last", at="at")
        answered = _resolved_unsigned("last", "at", signed)
        rows += self.conn.execute(
            f"WITH last AS ({last}) SELECT last.department_id, substr(last.at, 1, 10), "
            f"{signed}, {done.format(case='last')}, {sent_back}, {answered}, COUNT(*) FROM last "
            "GROUP BY 1, 2, 3, 4, 5, 6",
            span,
        ).fetchall()
        return [(names.get(d), *rest) for d, *rest in rows]

    def order_days(self, since: str, high: str) -> tuple[str, str] | None:
        """The days of the first and the last work order handed out from `since` to :high
        (a dispatch, or a reopening sent back to a department), taken back or not; None
        when there is none. Four steps in two indexes."""
        span = {"since": since, "high": high}
        days = [
            day
            for change in ("dispatch", "reopen")
            for way in ("MIN", "MAX")
            for (day,) in self.conn.execute(
                f"SELECT substr({way}(valid_from), 1, 10) FROM states "
                f"INDEXED BY {MOVE_INDEX[change]} WHERE change = '{change}' "
                "AND valid_from BETWEEN :since AND :high",
                span,
            )
            if day is not None
        ]
        return (min(days), max(days)) if days else None

    def orders_due_into(
        self, since: str, low: str, high: str, targets: dict[str, str], basis: dict | None = None
    ) -> list:
        """The last work order of each case handed out from `since` to just before the
        period (:low), whose acknowledgement may be due in it (an order of Friday is due on
        Monday), with the days it was acknowledged and sent back (退单) by :high, if it was,
        and whether it was resolved by its target, grouped: (department, dispatched day,
        acknowledged day or None, sent back day or None, resolved by the target 0/1,
        count). A case with a work order of its own in the period is counted by that one
        (`period_acks`); `targets` as there."""
        names = (basis or self.period_basis(high))["names"]
        self._with_ack_targets(targets)
        span = {"since": since, "low": low, "high": high}
        order = "(change IN ('dispatch', 'reopen') AND department_id IS NOT NULL)"
        before = "valid_from >= :since AND valid_from < :low"
        last = (
            "SELECT case_id, MAX(event_id) AS event_id, at, department_id FROM ("
            "SELECT case_id, event_id, valid_from AS at, department_id FROM states "
            "INDEXED BY states_dispatched WHERE change = 'dispatch' "
            f"AND department_id IS NOT NULL AND {before} AND {LIVE} "
            "UNION ALL SELECT case_id, event_id, valid_from AS at, department_id FROM states "
            "INDEXED BY states_reopened WHERE change = 'reopen' AND department_id IS NOT NULL "
            f"AND {before} AND {LIVE}) o WHERE NOT EXISTS (SELECT 1 FROM states p "
            "INDEXED BY states_case WHERE p.case_id = o.case_id AND p.valid_from "
            f"BETWEEN :low AND :high AND {order} AND p.{LIVE_EVENT}) GROUP BY case_id"
        )
        acked = (
            "(SELECT substr(MIN(a.valid_from), 1, 10) FROM states a INDEXED BY states_acked "
            "WHERE a.case_id = last.case_id AND a.change = 'ack' AND a.valid_from >= last.at "
            f"AND a.valid_from <= :high AND a.{LIVE_EVENT})"
        )
        sent_back = SENT_BACK.format(order="last", by=":high")
        answered = _resolved_unsigned("last", "at", acked)
        rows = self.conn.execute(
            f"WITH last AS ({last}) SELECT last.department_id, "
            f"substr(last.at, 1, 10), {acked}, {sent_back}, {answered}, COUNT(*) FROM last "
            "GROUP BY 1, 2, 3, 4, 5",
            span,
        ).fetchall()
        return [(names.get(d), *rest) for d, *rest in rows]

    def superseded_orders(
        self, since: str, high: str, targets: dict[str, str], basis: dict | None = None
    ) -> list:
        """The work orders from `since` to :high that a later one of the same case followed
        by :high (a reopening, a dispatch again after a return), each with the day of the
        next, the days it was acknowledged and sent back (退单) before that, if it was, and
        whether it was resolved by its target: (department, dispatched day, acknowledged day
        or None, next order's day, sent back day or None, resolved by the target 0/1,
        count). The last order of each case is `period_acks`' or `orders_due_into`';
        `targets` as there."""
        names = (basis or self.period_basis(high))["names"]
        self._with_ack_targets(targets)
        span = {"since": since, "high": high}
        # a case handed out twice was reopened or sent back between: those few cases, each
        # order of theirs with the next one's time beside it
        again = (
            "SELECT case_id FROM states INDEXED BY states_reopened WHERE change = 'reopen' "
            "AND valid_from BETWEEN :since AND :high UNION SELECT case_id FROM states "
            "INDEXED BY states_returned WHERE change = 'return' "
            "AND valid_from BETWEEN :since AND :high"
        )
        followed = (
            "SELECT case_id, event_id, valid_from AS at, department_id, "
            "LEAD(valid_from) OVER (PARTITION BY case_id ORDER BY event_id) AS next_at "
            f"FROM states INDEXED BY states_case WHERE case_id IN ({again}) "
            "AND (change IN ('dispatch', 'reopen') AND department_id IS NOT NULL) "
            f"AND valid_from BETWEEN :since AND :high AND {LIVE}"
        )
        acked = (
            "(SELECT substr(MIN(a.valid_from), 1, 10) FROM states a INDEXED BY states_acked "
            "WHERE a.case_id = o.case_id AND a.change = 'ack' AND a.valid_from >= o.at "
            f"AND a.valid_from < o.next_at AND a.{LIVE_EVENT})"
        )
        sent_back = SENT_BACK.format(order="o", by="o.next_at")
        answered = _resolved_unsigned("o", "at", acked)
        rows = self.conn.execute(
            f"SELECT o.department_id, substr(o.at, 1, 10), {acked}, "
            "substr(o.next_at, 1, 10), "
            f"{sent_back}, {answered}, COUNT(*) FROM ({followed}) o WHERE o.next_at IS NOT NULL "
            "GROUP BY 1, 2, 3, 4, 5, 6",
            span,
        ).fetchall()
        return [(names.get(d), *rest) for d, *rest in rows]

    def _with_ack_targets(self, targets: dict[str, str]) -> None:
        """`ack_target(day)` in this connection's SQL: the day the work orders of `day` are
        to be acknowledged by. The working-day calendar is Python's and the orders are
        SQLite's; a function reads a pack with nothing written (a table would be) and is
        looked up once an order, where a joined table of days was looked up, by SQLite's
        plan, once a row of each order's case."""
        self.conn.create_function("ack_target", 1, targets.get, deterministic=True)

    @staticmethod
    def _last_orders(among: str | None) -> str:
        """SQL for the last work order of each case in the period, live at :high: a dispatch,
        or a reopening that sent the case back to a department. `among`: SQL for the only
        cases to look at (through each one's own rows)."""
        order = "(change IN ('dispatch', 'reopen') AND department_id IS NOT NULL)"
        in_period = f"valid_from BETWEEN :low AND :high AND {LIVE}"
        if among:
            return (
                "SELECT case_id, MAX(event_id) AS event_id, valid_from AS at, department_id "
                f"FROM states INDEXED BY states_case WHERE case_id IN ({among}) AND {order} "
                f"AND {in_period} GROUP BY case_id"
            )
        return (
            "SELECT case_id, MAX(event_id) AS event_id, at, department_id FROM ("
            "SELECT case_id, event_id, valid_from AS at, department_id FROM states "
            "INDEXED BY states_dispatched WHERE change = 'dispatch' "
            f"AND department_id IS NOT NULL AND {in_period} "
            "UNION ALL SELECT case_id, event_id, valid_from AS at, department_id FROM states "
            "INDEXED BY states_reopened WHERE change = 'reopen' AND department_id IS NOT NULL "
            f"AND {in_period}) GROUP BY case_id"
        )

    def late_extensions(self, low: str, high: str, basis: dict | None = None) -> int:
        """The extensions asked for late in the period: those `extend --late` recorded, and
        those an imported row carried with their dates (its one event is at the row's latest
        date, never before an extension it carries)."""
        span = {"low": low, "high": high}
        recorded = self.conn.execute(
            "SELECT COUNT(*) FROM events INDEXED BY events_late WHERE late = 1 "
            "AND action = 'extend' AND at BETWEEN :low AND :high "
            f"AND id NOT IN ({UNDONE_IDS}) AND case_id NOT IN ({VOID_IDS})",
            span,
        ).fetchone()[0]
        carried = 0
        for (changes,) in self.conn.execute(
            "SELECT changes FROM events INDEXED BY events_late WHERE late = 1 "
            f"AND action = 'imported' AND at >= :low AND case_id NOT IN ({VOID_IDS})",
            span,
        ):
            for field, _old, new in _changes_as_stored("imported", changes, ""):
                if field == "extensions" and isinstance(new, list):
                    carried += sum(
                        isinstance(e, dict)
                        and e.get("late") is True
                        and low <= str(e.get("at")) <= high
                        for e in new
                    )
        return recorded + carried

    def received_breakdowns(self, low: str, high: str, basis: dict | None = None) -> dict:
        """The cases received in the period, counted by what was in force at its end: their
        sections (a case in two sections counts in both), department, problem and channel.
        A case that has not changed since is counted from its own row (through the index of
        receipts); one that has, from the state then in force."""
        names = (basis or self.period_basis(high))["names"]
        span = {"low": low, "high": high}
        moved_since = (
            "SELECT case_id FROM states INDEXED BY states_as_of "
            f"WHERE status IN {ALL_STATUSES} AND valid_until = '{FOREVER}' "
            "AND valid_from > :high"
        )
        # (a period that ends now: none has moved since, and the cases' own rows say it all)
        moved = self.conn.execute(f"SELECT EXISTS ({moved_since})", span).fetchone()[0]
        not_moved = f"AND id NOT IN ({moved_since}) " if moved else ""
        groups = self.conn.execute(
            "SELECT sections, department_id, problem, channel, COUNT(*) FROM cases "
            "INDEXED BY cases_received_at WHERE received_at BETWEEN :low AND :high "
            f"AND status != 'void' {not_moved}GROUP BY 1, 2, 3, 4",
            span,
        ).fetchall()
        groups += (
            []
            if not moved
            else self.conn.execute(
                "SELECT s.sections, s.department_id, s.problem, s.channel, COUNT(*) FROM states s "
                "JOIN cases c ON c.id = s.case_id "
                f"WHERE s.case_id IN ({moved_since}) AND c.status != 'void' "
                "AND c.received_at BETWEEN :low AND :high "
                "AND s.valid_from <= :high AND s.valid_until > :high GROUP BY 1, 2, 3, 4",
                span,
            ).fetchall()
        )
        found: dict[str, dict] = {
            "by_section": {},
            "by_department": {},
            "by_problem": {},
            "by_channel": {},
        }
        for sections, department_id, problem, channel, count in groups:
            for section in sections.split(",") if sections else ["none"]:
                found["by_section"][section] = found["by_section"].get(section, 0) + count
            department = names.get(department_id)
            for key, value in (
                ("by_department", department),
                ("by_problem", problem),
                ("by_channel", channel),
            ):
                found[key][value or "none"] = found[key].get(value or "none", 0) + count
        return found

    # -- import ---------------------------------------------------------------------------

    def case_by_content(self, received_day: str, applicant: str, matter: str) -> Case | None:
        """The case already taken in on that day from that applicant about that matter —
        also one stored, before marks that show nothing were taken out of text, with them
        (its name and matter compared without them, as the row's now are)."""
        day = (received_day, f"{received_day} 23:59")
        select = (
            f"SELECT {CASE_COLUMNS}, d.name FROM cases c "
            "LEFT JOIN departments d ON d.id = c.department_id WHERE {} "
            # (a case voided and taken in again is the live one)
            "AND c.received_at >= ? AND c.received_at <= ? "
            "ORDER BY c.status = 'void', c.year, c.seq LIMIT 1"
        )
        row = self.conn.execute(
            select.format("c.applicant = ? AND c.matter = ?"), (applicant, matter, *day)
        ).fetchone()
        if row is None:
            that_day = self.conn.execute(
                "SELECT rowid, applicant, matter FROM cases WHERE received_at >= ? "
                "AND received_at <= ? ORDER BY year, seq",
                day,
            )
            found = next(
                (
                    rowid
                    for rowid, their_applicant, their_matter in that_day
                    if UNSEEN.sub("", their_applicant or "").strip() == applicant
                    and UNSEEN.sub("", their_matter or "").strip() == matter
                ),
                None,
            )
            if found is not None:
                row = self.conn.execute(select.format("c.rowid = ?"), (found, *day)).fetchone()
        return None if row is None else case_from_row(row)

    def begin_import_keys(self) -> None:
        """An empty place for the keys an import has met (see `import_keys_met`) and the
        cases it holds back (`hold_unnumbered`), in SQLite's temporary database: never in
        the ledger, a file of SQLite's own in the system's temporary folder, private (0600)
        and deleted as soon as it is opened, so nothing of it outlives the connection."""
        with self._scratch():
            for statement in IMPORT_TEMP:
                self.conn.execute(statement)

    def import_keys_met(self, keys: list[tuple]) -> dict[tuple, int]:
        """Of `keys` (a case's id alone, or its received day, applicant and matter), those
        that `remember_import_keys` was given earlier in this import, with their lines. Kept
        in SQLite, so that an import of a million rows holds one batch of keys in memory."""
        met: dict[tuple, int] = {}
        for size, table in ((1, "imported_ids"), (3, "imported_contents")):
            wanted = [key for key in keys if len(key) == size]
            columns = ", ".join(IMPORT_KEY_COLUMNS[size])
            for start in range(0, len(wanted), KEYS_A_QUERY):
                chunk = wanted[start : start + KEYS_A_QUERY]
                rows = f"({', '.join('?' for _ in range(size))})"
                found = self.conn.execute(
                    f"SELECT {columns}, line FROM temp.{table} "
                    f"WHERE ({columns}) IN (VALUES {', '.join(rows for _ in chunk)})",
                    [part for key in chunk for part in key],
                )
                met.update((tuple(row[:-1]), row[-1]) for row in found)
        return met

    def remember_import_keys(self, lines: dict[tuple, int]) -> None:
        """Keys met by this import (see `import_keys_met`), each with the line that
        brought it first."""
        for size, table in ((1, "imported_ids"), (3, "imported_contents")):
            marks = ", ".join("?" for _ in range(size + 1))
            with self._scratch():
                self.conn.executemany(
                    f"INSERT INTO temp.{table} VALUES ({marks})",
                    [(*key, line) for key, line in lines.items() if len(key) == size],
                )

    def hold_unnumbered(self, cases: list[dict]) -> None:
        """Good cases of an import that get their ids at its end, kept in SQLite's temporary
        database meanwhile (as JSON), so that a book of many rows is not held in memory."""
        with self._scratch():
            self.conn.executemany(
                "INSERT INTO temp.imported_unnumbered (case_json) VALUES (?)",
                [(json_text(case),) for case in cases],
            )

    def unnumbered(self) -> Iterator[dict]:
        """The cases `hold_unnumbered` kept, in the order they came."""
        rows = self.conn.execute("SELECT case_json FROM temp.imported_unnumbered ORDER BY rowid")
        for (text,) in rows:
            yield json.loads(text)

    def make_room_for_bulk(self) -> None:
        """A larger page cache while thousands of rows go in (index pages stay in memory):
        4 MB, as fast here as 8 and 64 (the rows come in date order), and the import with its
        readers within 100 MB."""
        self.conn.execute("PRAGMA cache_size = -4096")

    def iter_export(
        self, start: dt.date | None, end: dt.date | None, status: str | None
    ) -> Iterator[tuple]:
        """Cases for `ledger export`, oldest first: with a period, those received or changed
        by any event in it. Each is its stored values in SHEET_FIELDS order (codes joined by
        commas, lists as JSON, None for nothing): an export of 100,000 cases makes no case
        of them."""
        clauses, params = [], []
        if status:
            clauses.append("c.status = ?")
            params.append(status)
        if start or end:
            low = start.isoformat() if start else "0000"
            high = f"{end.isoformat()} 23:59" if end else FOREVER
            clauses.append(
                "(c.received_at BETWEEN ? AND ? OR EXISTS (SELECT 1 FROM events e "
                "WHERE e.case_id = c.id AND e.at BETWEEN ? AND ?))"
            )
            params += [low, high, low, high]
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        _names, found = self._fast_read(
            f"SELECT {CASE_COLUMNS}, d.name FROM cases c "
            f"LEFT JOIN departments d ON d.id = c.department_id {where} ORDER BY c.year, c.seq",
            tuple(params),
        )
        # why each paused case stands still is its timeline's (few cases are paused)
        paused = [r[0] for r in self.conn.execute("SELECT id FROM cases WHERE paused_since > ''")]
        reasons = self.pause_reasons(paused, FOREVER)
        return (_SHEET_ROW((*row, reasons.get(row[0]))) for row in found)

    # -- the timeline against its index ---------------------------------------------------

    def type_problems(self) -> list[str]:
        """Values that are not text where the ledger keeps text: bytes another program
        wrote (SQLite lets a text column hold them), which no report can show; and text in
        bytes that are not UTF-8, which the reports show with `�`."""
        return _type_problems(self.conn) + _not_utf8_problems(self.conn)

    def code_problems(self) -> list[str]:
        """Cases holding a code the ledger does not know (written by another program)."""
        return _code_problems(self.conn)

    def index_problems(self) -> list[str]:
        """Cases whose as-of rows are not what their timeline gives (`history.replay`). Both
        tables are read in the order of their case, one case at a time: a ledger of 100,000
        cases held whole took 0.9 GB."""
        states = self.conn.execute(
            f"SELECT case_id, {STATE_COLUMNS}, valid_until FROM states ORDER BY case_id, id"
        )
        events = self.conn.execute(f"SELECT {EVENT_COLUMNS} FROM events ORDER BY case_id, id")
        wrong, unreadable = [], []
        cal = self.calendar()
        for case_id, stored, timeline in _side_by_side(_by_case(states, 0), _by_case(events, 1)):
            # the changes' shapes were looked at before (`_shape_problems`): read, not judged
            events = [event_from_row(row, _changes_as_stored) for row in timeline]
            rows = replayed(events, cal)
            if rows is None:
                unreadable.append(case_id)
                continue
            rebuilt = [row[1:] for row in chained(case_id, rows, None)]
            kept = [row[1:] for row in stored]
            if rebuilt != kept and events and events[0].action == "imported":
                # imported before its extensions and first chase dated its past
                rows = replayed(events, cal, first_rule=True) or []
                rebuilt = [row[1:] for row in chained(case_id, rows, None)]
            if rebuilt != kept:
                wrong.append(case_id)
        return [
            t("check.timeline_unreadable", case=case_id)
            for case_id in sorted(unreadable, key=_in_order)
        ] + [t("check.index_rebuilt", case=case_id) for case_id in sorted(wrong, key=_in_order)]


SEARCHED = ("applicant", "matter", "cause", "method", "outcome")
# a word with a Latin letter is found in either case (LIKE folds A-Z alone); any other word,
# Chinese, is the same in LIKE and in instr, which reads a 100,000 cases' text in two thirds
# of LIKE's time
_ASCII_LETTER = lazy_pattern("[A-Za-z]")
_TEXT_HOLDS = "(" + " OR ".join(f"c.{c} LIKE ? ESCAPE '\\'" for c in SEARCHED) + ")"
_TEXT_CONTAINS = "(" + " OR ".join(f"instr(c.{c}, ?) > 0" for c in SEARCHED) + ")"


def _by_case(rows: Iterator[tuple], at: int) -> Iterator[tuple[object, list[tuple]]]:
    for case_id, group in itertools.groupby(rows, key=operator.itemgetter(at)):
        yield case_id, list(group)


def _sqlite_order(value: object) -> tuple[int, Any]:
    """Where SQLite's ORDER BY puts a value: no value, then numbers, text, bytes."""
    if value is None:
        return 0, 0
    if isinstance(value, int | float):
        return 1, value
    return (2, value) if isinstance(value, str) else (3, value)


def _side_by_side(
    left: Iterator[tuple[object, list]], right: Iterator[tuple[object, list]]
) -> Iterator[tuple[object, list, list]]:
    """Two reads grouped by the same key in SQLite's order, joined on it: each key with its
    rows of each side (none where a side has none)."""
    a, b = next(left, None), next(right, None)
    while a is not None or b is not None:
        keys = [_sqlite_order(side[0]) for side in (a, b) if side is not None]
        first = min(keys)
        from_a = a is not None and _sqlite_order(a[0]) == first
        from_b = b is not None and _sqlite_order(b[0]) == first
        key = a[0] if from_a else b[0]
        yield key, a[1] if from_a else [], b[1] if from_b else []
        if from_a:
            a = next(left, None)
        if from_b:
            b = next(right, None)


def _in_order(case_id: object) -> tuple:
    """Cases in the order of their ids; anything else another program wrote, after them."""
    try:
        return (0, *id_parts(case_id))
    except (AttributeError, ValueError, TypeError):  # bytes, numbers, None
        return (1, str(case_id))


def restore(ledger_path: Path, source: Path) -> Path | None:
    """Put a copy in the ledger's place (SPEC §9). The copy is checked first — a ledger, not
    newer, nothing but the ledger's own schema, SQLite's full integrity check; the ledger as
    it is now is kept in backups/. This is the one command that works precisely when the
    ledger is damaged: then its files are kept aside byte for byte and replaced whole.
    Returns where the old ledger was kept (None when there was none)."""
    ledger_path, source = Path(ledger_path), Path(source)
    if not source.exists():
        raise BadInput("err.file_missing", path=source)
    if source.is_dir():
        raise BadInput("err.out_is_folder", path=source)
    if ledger_path.is_dir():
        raise LedgerFileRefused("err.ledger_is_folder", path=ledger_path)
    if in_backups(ledger_path):
        raise LedgerFileRefused("err.ledger_in_backups", path=ledger_path)
    linked = other_names(ledger_path)
    if linked:
        raise LedgerFileRefused("err.ledger_linked", path=ledger_path, names=linked + 1)
    if ledger_path.exists() and os.path.samefile(source, ledger_path):
        raise BadInput("err.restore_itself", path=source)
    _refuse_other_than_a_ledger(ledger_path)
    try:
        try:
            inspect_file(source, place_is_writable(source))
            _check_copy(source)
        except sqlite3.Error as error:
            raise translate(error, source) from None
    except LedgerFileRefused as refusal:
        # the copy is what is wrong, not the ledger: "restore a copy" would say it again
        said = {
            "err.file_damaged": "err.restore_damaged",
            "err.file_not_sqlite": "err.restore_not_copy",
            "err.file_zero": "err.restore_empty",
            "err.file_cannot_open": "err.restore_cannot_open",
        }
        if refusal.key not in said:
            raise
        detail = refusal.fields.get("detail")
        raise LedgerFileRefused(said[refusal.key], path=source, detail=detail) from None
    stamp = dates.clock().strftime("%Y-%m-%dT%H%M%S")
    folder = make_backup_folder(backup_folder(ledger_path))
    kept = claim_name(folder / f"{copy_stem(ledger_path)}-before-restore-{stamp}.db")
    replaced = False
    try:
        # (a ledger that cannot be written is refused here: its claimed copy goes too)
        healthy = _healthy(ledger_path)
        if healthy is not None:
            with contextlib.closing(healthy.conn):
                healthy.backup(kept)
                given = _ids_given(healthy.conn)
                with contextlib.closing(connect_read_only(source, True)) as copy:
                    copy.backup(healthy.conn, progress=_held_too_long())
                replaced = True
                _keep_ids_given(healthy.conn, given)
        else:
            # SQLite keeps the log beside the real file: a ledger reached through a link is
            # replaced where it really is, and the link stays a link
            real = Path(os.path.realpath(ledger_path))
            given = {}
            if real.exists() and real.stat().st_size:
                with (
                    contextlib.suppress(sqlite3.Error, OSError),  # as far as damage lets
                    contextlib.closing(connect_read_only(real, True)) as damaged,
                ):
                    given = _ids_given(damaged)
            touched: list[bool] = []
            try:
                kept = _replace_whole(real, source, kept, touched)
            finally:
                # once its log is let go, the kept copy is the only one of what it held
                replaced = bool(touched)
            if given and real.exists():
                with contextlib.closing(sqlite3.connect(real, isolation_level=None)) as conn:
                    _keep_ids_given(conn, given)
    except sqlite3.Error as error:
        raise translate(error, ledger_path) from None
    finally:
        log_kept = kept is not None and kept.with_name(kept.name + "-wal").exists()
        if kept is not None and not replaced:
            # refused or failed before the ledger was replaced (a full disk): it is as it
            # was, so the copy of it goes — whole, or cut short — and no retry adds another
            for leftover in (kept, kept.with_name(kept.name + "-wal")):
                with contextlib.suppress(OSError):
                    leftover.unlink()
        elif kept is not None and kept.exists() and kept.stat().st_size == 0 and not log_kept:
            kept.unlink()  # claimed, never written (there was no ledger)
    forget_damage(ledger_path)
    remember_seen(ledger_path)
    return kept if kept is not None and kept.exists() else None


def integrity_detail(problems: list[str]) -> str:
    """SQLite's findings, short enough for one line: a damaged page alone can give hundreds
    (one row may hold many lines), and the clerk needs the fact and the first of them."""
    lines = [
        line.strip()
        for problem in problems
        for line in problem.splitlines()
        if line.strip() and not line.startswith("*** in database")
    ]
    shown = "; ".join(lines[:2])
    if len(lines) > 2:
        # no words of a language: the finding is remembered beside the file, and read
        # again in whichever language the next command speaks
        shown += f" (+{len(lines) - 2})"
    return shown


def _same_folder(path: Path, folder: Path) -> bool:
    """Whether `path` names `folder`, made yet or not (a copy named `backups` beside the
    ledger would take the place of its folder of copies)."""
    return os.path.realpath(path) == os.path.realpath(folder)


def _check_copy(source: Path) -> None:
    conn = connect_read_only(source, place_is_writable(source))
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()
    if problems != ["ok"]:
        raise LedgerFileRefused("err.file_damaged", path=source, detail=integrity_detail(problems))


def _held_too_long() -> Callable[[int, int, int], None]:
    """A progress callback for a backup into the ledger: SQLite's backup waits for another
    window's write lock without end (restore hung for as long as it was held, deaf to
    Ctrl-C, then replaced the ledger and said "nothing was changed"); given up after the
    time any other command waits, before anything was written."""
    import time

    started = time.monotonic()

    def progress(status: int, _remaining: int, _total: int) -> None:
        waited = time.monotonic() - started
        if status in (SQLITE_BUSY, SQLITE_LOCKED) and waited > BUSY_TIMEOUT_MS / 1000:
            raise LedgerFileRefused("err.file_busy")

    return progress


ISSUED = "issued:"  # ledger_meta: the highest number of a year a replaced ledger had given


def _ids_given(conn: sqlite3.Connection) -> dict[int, int]:
    """The highest case number of each year a ledger has given (its cases', or a number
    an earlier restore carried over)."""
    given = _numbers_of_cases(conn)
    for year, number in _numbers_held(conn).items():
        given[year] = max(given.get(year, 0), number)
    return {year: seq for year, seq in given.items() if seq}


def _numbers_of_cases(conn: sqlite3.Connection) -> dict[int, int]:
    """The highest number of each year's cases (numbers another program wrote as text are
    no numbers the ledger gave)."""
    return dict(
        conn.execute(
            "SELECT year, max(seq) FROM cases WHERE typeof(year) = 'integer' "
            "AND typeof(seq) = 'integer' AND seq < ? GROUP BY year",
            (SEQ_LIMIT,),
        )
    )


def _numbers_held(conn: sqlite3.Connection) -> dict[int, int]:
    """The numbers earlier restores kept (`issued:YEAR`), those the ledger could have written."""
    held: dict[int, int] = {}
    with contextlib.suppress(sqlite3.OperationalError):  # a copy older than ledger_meta
        for key, value in conn.execute(
            "SELECT key, value FROM ledger_meta WHERE key LIKE 'issued:%'"
        ):
            year, number = str(key)[len(ISSUED) :], _issued_number(value)
            if year.isascii() and year.isdecimal() and len(year) == 4 and number:
                held[int(year)] = max(held.get(int(year), 0), number)
    return held


def _issued_number(value: object) -> int:
    """A number `issued:YEAR` holds as the ledger writes it (ASCII digits, below the
    largest sequence an id may have); 0 for anything else another program wrote."""
    text = str(value) if value is not None else ""
    if text.isascii() and text.isdecimal() and int(text) < SEQ_LIMIT:
        return int(text)
    return 0


def _keep_ids_given(conn: sqlite3.Connection, given: dict[int, int]) -> None:
    """In a restored ledger, the numbers the ledger it replaced had given beyond its own: a
    case added after the restore takes the next one, never one already told to an
    applicant (SPEC §5: ids are never reused; the work the copy lacks is entered again
    from the ledger kept in backups/, under the ids it had there, by `import`)."""
    restored = _ids_given(conn)
    beyond = {y: seq for y, seq in given.items() if seq > restored.get(y, 0)}
    if not beyond:
        return
    if not conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger_meta'"
    ).fetchone():
        return  # a copy of the first version, before ledger_meta: known limit (README)
    conn.executemany(
        "INSERT INTO ledger_meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [(f"{ISSUED}{year}", str(seq)) for year, seq in sorted(beyond.items())],
    )


def _refuse_other_than_a_ledger(ledger_path: Path) -> None:
    """Restore replaces a ledger, sound or damaged, or a missing or empty file — never a
    pack (whose path would then hold every number whole, and be sent upward) nor another
    program's database, each refused as every command refuses it, unchanged. Anything else
    is restored over and kept aside byte for byte: a file that reads as text or from a
    newer version may be the ledger itself, overwritten by a sync tool or with one header
    byte flipped, for which every command points at `ledger restore`."""
    if not ledger_path.is_file() or ledger_path.stat().st_size == 0:
        return
    with contextlib.suppress(sqlite3.Error):
        try:
            inspect_file(ledger_path, place_is_writable(ledger_path))
        except LedgerFileRefused as refused:
            if refused.key in ("err.file_is_pack", "err.file_foreign"):
                raise


def _healthy(ledger_path: Path) -> Ledger | None:
    """The ledger, open and checked, if it is sound; None when it is missing or damaged."""
    if not ledger_path.exists() or ledger_path.stat().st_size == 0:
        return None
    try:
        if inspect_file(ledger_path, place_is_writable(ledger_path)) < SCHEMA_VERSION:
            return None  # an older version is kept aside as it is, not upgraded to be kept
        ledger = Ledger(ledger_path)
    except LedgerFileRefused as refused:
        if refused.key in ("err.place_read_only", "err.file_readonly", "err.disk_full"):
            raise
        return None
    except sqlite3.Error as error:
        _damage_or_raise(error, ledger_path)
        return None
    try:
        ledger.verify()
    except LedgerFileRefused:
        ledger.conn.close()
        return None
    except sqlite3.Error as error:
        ledger.conn.close()
        _damage_or_raise(error, ledger_path)
        return None
    return ledger


def _damage_or_raise(error: sqlite3.Error, ledger_path: Path) -> None:
    """A page so garbled that SQLite stops with an error rather than a finding is damage,
    which is what restore is for (it said "damaged: use ledger restore" and stopped); a
    file held by another window, a full disk or a read-only place is no damage: said as such,
    and nothing is replaced under a window that is writing."""
    refusal = translate(error, ledger_path)
    if refusal.key not in ("err.file_damaged", "err.file_not_sqlite"):
        raise refusal from None


def _replace_whole(ledger_path: Path, source: Path, kept: Path, touched: list[bool]) -> Path | None:
    """The damaged (or missing, or empty) ledger's files kept aside as they are, then the
    copy written beside it and renamed into its place, with no stale log left behind."""
    companions = [ledger_path.with_name(ledger_path.name + s) for s in ("-wal", "-shm")]
    wal = companions[0]
    # a log left where the ledger is gone or empty may hold its last pages, page 1
    # included (SQLite reads an empty file with its log as the ledger): kept too
    log_left = wal.exists() and wal.stat().st_size > 0
    if (ledger_path.exists() and ledger_path.stat().st_size) or log_left:
        try:
            if ledger_path.exists():
                shutil.copyfile(ledger_path, kept)
            private(kept)
            if wal.exists():
                shutil.copyfile(wal, kept.with_name(kept.name + "-wal"))
                private(kept.with_name(kept.name + "-wal"))
        except OSError as error:  # the copy in backups/ failed (a full disk): said of it
            raise explain(error, kept) from None
    make_folder(ledger_path.parent)
    with partial_beside(ledger_path) as (handle, partial):
        handle.close()
        copy = connect_read_only(source, place_is_writable(source))
        try:
            with contextlib.closing(sqlite3.connect(partial)) as fresh:
                copy.backup(fresh)
        finally:
            copy.close()
        touched.append(True)  # from here the ledger's own files change
        for companion in companions:
            with contextlib.suppress(FileNotFoundError):
                companion.unlink()
        os.replace(partial, ledger_path)
    return kept


# -- the store's boundary: a case, an event, an as-of row as stored -----------------------

# the columns of `cases`, in FIELDS order, as a case's fields are named in the store
_CASE_FIELDS = [f for f in FIELDS if f.name != "id"]
_COLUMN = {"limit": "time_limit", "department": "department_id"}
# an empty text is read as no value, as a case holds it
CASE_COLUMNS = "c.id, " + ", ".join(
    f"NULLIF(c.{_COLUMN.get(f.name, f.name)}, '')" for f in _CASE_FIELDS
)


def case_row(case: Case) -> dict:
    """A case as its row stores it: ISO text for dates, codes joined by commas."""
    row = {"id": case.id, "year": case.year, "seq": case.seq}
    for spec in _CASE_FIELDS:
        if spec.kind == "department":
            row["department_id"] = case.department_id
            continue
        value = to_json(spec, getattr(case, spec.name))
        if spec.kind == "codes":
            value = ",".join(value) if value else None
        elif spec.kind in ("names", "extensions"):
            value = json.dumps(value, ensure_ascii=False) if value else None
        row[_COLUMN.get(spec.name, spec.name)] = value
    return row


def case_from_row(row: tuple) -> Case:
    """A row of CASE_COLUMNS and the department's name, as a Case with real dates."""
    values: dict[str, Any] = {"id": row[0], "department": row[-1]}
    for spec, value in zip(_CASE_FIELDS, row[1:-1], strict=True):
        if spec.kind == "department":
            values["department_id"] = value
        elif spec.kind == "codes":
            values[spec.name] = value.split(",") if value else []
        elif spec.kind in ("extensions", "names"):
            values[spec.name] = _stored_list(spec.kind, value, row[0], spec.name)
        elif spec.kind == "count" and not is_count(value):
            raise _misshapen("cases", row[0], spec.name, value)
        else:
            values[spec.name] = from_json(spec, value)
    return Case(**values)


def _stored_list(kind: str, value: object, case_id: object, column: str) -> list:
    """A case's list a command goes on with (its extensions, its assisting departments):
    one of the wrong shape, written by another program, stops it with `check`'s words — a
    command that recorded with it would write it back made worse."""
    if value is None or value == "":
        return []
    found = parsed(kind, value)
    if found is None:
        raise _misshapen("cases", case_id, column, value)
    return found


def _misshapen(table: str, row: object, column: str, value: object) -> LedgerFileRefused:
    shown = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return LedgerFileRefused("err.bad_shape", table=table, row=row, field=column, value=shown)


# where each shown field is in a row of CASE_COLUMNS (the department: its name, at the end)
_SHOWN_NAMES = tuple(spec.name for spec in SHOWN)
_SHOWN_ROW = operator.itemgetter(
    *(-1 if spec.kind == "department" else FIELDS.index(spec) for spec in SHOWN)
)
# the same for a sheet's row, given a row of CASE_COLUMNS with the pause's reason after it
_SHEET_ROW = operator.itemgetter(
    *(
        -1 if spec is PAUSE_REASON else -2 if spec.kind == "department" else FIELDS.index(spec)
        for spec in SHEET
    )
)
_SHOWN_CODES = tuple(spec.name for spec in SHOWN if spec.kind == "codes")
_SHOWN_EXTENSIONS = tuple(spec.name for spec in SHOWN if spec.kind in ("extensions", "names"))


def case_json_from_row(row: tuple) -> dict:
    """What `case_from_row(row).as_json()` gives, read straight from the stored text: the
    store keeps dates in the ISO form output shows (and CASE_COLUMNS reads '' as NULL), so
    an export of 100,000 cases need not make dates of them and text of the dates again."""
    case = dict(zip(_SHOWN_NAMES, _SHOWN_ROW(row), strict=True))
    for name in _SHOWN_CODES:
        case[name] = case[name].split(",") if case[name] else []
    for name in _SHOWN_EXTENSIONS:
        case[name] = readable_list(case[name], BY_NAME[name].kind)
    return case


json_text = json_line  # what `json.dumps(value, ensure_ascii=False)` gives

EVENT_COLUMNS = (
    "id, case_id, at, action, status_from, status_to, note, changes, days, late, undoes, "
    "department_id"
)


def event_row(event: Event) -> dict:
    return {
        "case_id": event.case_id,
        "at": event.at.isoformat(" ", "minutes"),
        "action": event.action,
        "status_from": event.status_from,
        "status_to": event.status_to,
        "note": event.note,
        "changes": json_text(event.changes) if event.changes else None,
        "days": event.days,
        "late": int(event.late),
        "undoes": event.undoes,
        "department_id": event.department_id,
    }


def event_from_row(row: tuple, read: Callable[[str, object, str], list] | None = None) -> Event:
    """An event as stored; its changes judged as the ledger writes them (`shapes`), or read
    by `read`."""
    (event_id, case_id, at, action, status_from, status_to, note, changes, days, late, undoes,
     department_id) = row  # fmt: skip
    return Event(
        case_id,
        dt.datetime.fromisoformat(at),
        action,
        status_from,
        status_to,
        note,
        (read or _event_changes)(action, changes, case_id),
        days,
        bool(late),
        undoes,
        department_id,
        event_id,
    )


def _changes_as_stored(_action: str, changes: object, _case_id: str) -> list:
    return json.loads(changes) if changes else []


def _event_changes(action: str, changes: object, case_id: str) -> list:
    found = _timeline_changes(action, changes)
    if found is None:
        raise _misshapen("events", case_id, "changes", changes)
    return found


def event_json(event: Event, names: dict[int, str]) -> dict:
    """An event as `show --json` gives it: codes and values, for the words to be chosen."""
    return {
        "at": event.at.isoformat(" ", "minutes"),
        "action": event.action,
        "status_from": event.status_from,
        "status_to": event.status_to,
        "note": event.note,
        "changes": [{"field": f, "old": old, "new": new} for f, old, new in event.changes],
        "days": event.days,
        "late": event.late,
        "undoes": event.undoes,
        "department": names.get(event.department_id),
        "id": event.id,
    }


# the as-of index's columns, in the order `state_values` gives them after the case id
STATE_COLUMNS = (
    "event_id, valid_from, change, status, department_id, deadline, on_time_deadline, "
    "chase_count, feedback_due, resolution, satisfaction, dispatched_at, sections, scope, "
    "problem, channel, outcome, assist, acknowledged_at, paused_since, first_chase_at"
)
STATE_INSERT = (
    f"INSERT INTO states (case_id, {STATE_COLUMNS}) "
    f"VALUES ({', '.join('?' for _ in range(STATE_COLUMNS.count(',') + 2))})"
)
STATE_INSERT_CHAINED = (
    f"INSERT INTO states (case_id, {STATE_COLUMNS}, valid_until) "
    f"VALUES ({', '.join('?' for _ in range(STATE_COLUMNS.count(',') + 3))})"
)


def state_values(case_id: str, state: dict, event_id: int | None) -> tuple:
    sections = state.get("sections") or []
    return (
        case_id,
        event_id,
        state["valid_from"],
        state["change"],
        state["status"],
        state.get("department_id"),
        state.get("deadline"),
        state.get("on_time_deadline"),
        state.get("chase_count") or 0,
        state.get("feedback_due"),
        state.get("resolution"),
        state.get("satisfaction"),
        state.get("dispatched_at"),
        ",".join(sections) if sections else None,
        state.get("scope"),
        state.get("problem"),
        state.get("channel"),
        state.get("outcome"),
        json.dumps(state["assist"], ensure_ascii=False) if state.get("assist") else None,
        state.get("acknowledged_at"),
        state.get("paused_since"),
        state.get("first_chase_at"),
    )


def in_chunks(ids: list[str], size: int = 500) -> Iterator[tuple[list[str], str]]:
    """`ids` in runs of `size`, each with its `?, ?, …` for an `IN (…)`: within SQLite's limit
    of values bound to one statement."""
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        yield chunk, ", ".join("?" for _ in chunk)


def chained(case_id: str, states: list[dict], event_id: int | None) -> list[tuple]:
    """A case's as-of rows, each valid until the next begins, for inserting at once."""
    rows = []
    for index, state in enumerate(states):
        until = states[index + 1]["valid_from"] if index + 1 < len(states) else FOREVER
        rows.append((*state_values(case_id, state, state.get("event_id", event_id)), until))
    return rows


# -- import: rows made straight from the sheet reader's JSON-ready values -------------------

_CASE_DEFAULTS = {
    f.name: f.default for f in dataclasses.fields(Case) if f.default is not dataclasses.MISSING
}
# (field name, column, kind) of each stored field, in the order of IMPORTED_CASE_COLUMNS
_IMPORTED_FIELDS = tuple(
    (spec.name, _COLUMN.get(spec.name, spec.name), spec.kind)
    for spec in _CASE_FIELDS
    if spec.kind != "department"
)
IMPORTED_CASE_COLUMNS = ("id", "year", "seq", "department_id", *(c for _, c, _ in _IMPORTED_FIELDS))
IMPORTED_CASE_INSERT = (
    f"INSERT INTO cases ({', '.join(IMPORTED_CASE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in IMPORTED_CASE_COLUMNS)})"
)
IMPORTED_EVENT_INSERT = (
    f"INSERT INTO events ({EVENT_COLUMNS}) VALUES ({', '.join('?' for _ in range(12))})"
)


# each stored field with its default, and where the lists among them are
_IMPORTED_DEFAULTS = tuple((name, _CASE_DEFAULTS.get(name)) for name, _c, _k in _IMPORTED_FIELDS)
_IMPORTED_CODES = tuple(i for i, (_n, _c, kind) in enumerate(_IMPORTED_FIELDS) if kind == "codes")
_IMPORTED_JSON = tuple(
    i for i, (_n, _c, kind) in enumerate(_IMPORTED_FIELDS) if kind in ("names", "extensions")
)


def imported_case_row(values: dict, department_id: int | None) -> tuple:
    """What `case_row` gives for the case these JSON-ready values make (ISO text for dates,
    lists for codes, names and extensions), without making the case."""
    year, _, seq = values["id"].partition("-")
    get = values.get
    row = [get(name, default) for name, default in _IMPORTED_DEFAULTS]
    for i in _IMPORTED_CODES:
        row[i] = ",".join(row[i]) if row[i] else None
    for i in _IMPORTED_JSON:
        row[i] = json_text(row[i]) if row[i] else None
    if "" in row:  # no field holds an empty text
        row = [None if value == "" else value for value in row]
    return (values["id"], int(year), int(seq), department_id, *row)


# the keys an import has met, with the line that brought each (`Ledger.import_keys_met`),
# and the cases it found without an id, waiting for theirs (`Ledger.hold_unnumbered`)
IMPORT_KEY_COLUMNS = {1: ("id",), 3: ("day", "applicant", "matter")}
KEYS_A_QUERY = 300  # at most 900 values bound to one statement (older SQLite allow 999)
IMPORT_TEMP = (
    "PRAGMA temp.cache_size = -2048",
    "CREATE TEMP TABLE IF NOT EXISTS imported_ids (id TEXT PRIMARY KEY, line INTEGER) "
    "WITHOUT ROWID",
    "CREATE TEMP TABLE IF NOT EXISTS imported_contents (day TEXT, applicant TEXT, matter TEXT, "
    "line INTEGER, PRIMARY KEY (day, applicant, matter)) WITHOUT ROWID",
    "CREATE TEMP TABLE IF NOT EXISTS imported_unnumbered (case_json TEXT)",
    "DELETE FROM temp.imported_ids",
    "DELETE FROM temp.imported_contents",
    "DELETE FROM temp.imported_unnumbered",
)

# an imported case's past, before SQLite makes its as-of rows of it and of the case's row
IMPORTED_PAST_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS imported_past (case_id TEXT, event_id INTEGER, "
    "valid_from TEXT, valid_until TEXT, change TEXT, status TEXT, kept INTEGER, deadline TEXT)"
)
IMPORTED_PAST_INSERT = "INSERT INTO temp.imported_past VALUES (?, ?, ?, ?, ?, ?, ?, ?)"


def _kept_column(name: str) -> str:
    if name == "deadline":  # the deadline an extension later moved, else the case's own
        return "coalesce(p.deadline, c.deadline)"
    if name not in KEPT:
        return f"c.{name}"
    empty = "0" if name == "chase_count" else "NULL"
    return f"CASE WHEN p.kept & {1 << KEPT.index(name)} THEN c.{name} ELSE {empty} END"


_PAST_FROM_CASE = [name.strip() for name in STATE_COLUMNS.split(",")][4:]  # after the status
# CROSS JOIN keeps the staged rows the outer loop, so the as-of rows go in in their order
IMPORTED_STATES_INSERT = (
    f"INSERT INTO states (case_id, {STATE_COLUMNS}, valid_until) "
    "SELECT p.case_id, p.event_id, p.valid_from, p.change, p.status, "
    f"{', '.join(_kept_column(name) for name in _PAST_FROM_CASE)}, p.valid_until "
    "FROM temp.imported_past p CROSS JOIN cases c ON c.id = p.case_id ORDER BY p.rowid"
)


def imported_past(past: list[PastRow]) -> list[tuple]:
    """An imported case's past as staged rows, each valid until the next begins (the case's
    and its event's ids are put before them when they are written)."""
    rows = []
    for index, row in enumerate(past):
        until = past[index + 1].valid_from if index + 1 < len(past) else FOREVER
        rows.append((row.valid_from, until, row.change, row.status, row.kept, row.deadline))
    return rows


# an imported case as `Ledger.record_imported` writes it: its row, its event's values and its
# staged past, none with the ids the store gives (its department's, its event's)
ImportedRows = tuple[tuple, tuple, list[tuple]]


def imported_rows(done: Imported) -> ImportedRows:
    """What `record_imported` writes of an imported case, made without the ledger: the
    department's place in the row (its fourth value) and the event's id and department id
    are left for the store to fill."""
    event = tuple(event_row(done.event).values())[:-1]  # without its department id
    return imported_case_row(done.case, None), event, imported_past(done.past)


# the as-of columns a report reads: codes and dates, each case's year and sequence, and (with
# AS_OF_TEXT) what the clerk typed: a report that gives few of the cases it reads (the terminal's
# sheet) reads the text of those alone, one that gives most of them reads it with the codes
# (`department` is read as its id, and `_as_of_rows` puts the department's name in its place
# from the few departments: joined in SQL for each of a sheet's 5,000 rows, the name took 3
# ms of the query's 30)
AS_OF_CODES = (
    "s.case_id AS id, s.status, s.deadline, s.chase_count, s.feedback_due, s.resolution, "
    "s.dispatched_at, s.assist, s.department_id AS department, c.received_at, c.year, "
    "c.seq, s.outcome, s.acknowledged_at, s.paused_since, s.first_chase_at"
)
AS_OF_TEXT = "c.applicant, c.contact, c.matter, c.cause"
AS_OF_JOINS = "JOIN cases c ON c.id = s.case_id"


def _event_word(action: str) -> str:
    """A move's name in the interface language; a code the catalogue does not know (written
    by another program) as it is."""
    key = f"event.{action}"
    return t(key) if key in CATALOGUE["en"] else action


def _notice_interrupt() -> None:
    """Raise a Ctrl-C that arrived while another thread ran. CPython 3.11 may leave it
    unnoticed in the main thread: the other thread, recomputing when the interpreter should
    look at its signals, finds that it cannot handle them itself, and the main thread is not
    told again (a weekly of ten years then ran on after Ctrl-C; a test hung). Asking for the
    pending signals, as `pthread_kill` does after sending the empty signal 0, raises it here.
    (Windows delivers Ctrl-C otherwise, and has no `pthread_kill`.)"""
    import signal
    import threading

    ask = getattr(signal, "pthread_kill", None)
    if ask is not None and threading.current_thread() is threading.main_thread():
        ask(threading.get_ident(), 0)


# a state begun by a move taken back at or before the end of a period (the `?`) counts nowhere
NOT_UNDONE = "NOT EXISTS (SELECT 1 FROM events u WHERE u.undoes = s.event_id AND u.at <= ?)"
UNDONE_BY_HIGH = NOT_UNDONE.replace("?", ":high")
LONG_PERIOD = dt.timedelta(days=92)  # a quarter: where a period's figures change their way
UNDONE_IDS = "SELECT undoes FROM events WHERE undoes IS NOT NULL AND at <= :high"
VOID_IDS = "SELECT id FROM cases WHERE status = 'void'"
LIVE = f"event_id NOT IN ({UNDONE_IDS}) AND case_id NOT IN ({VOID_IDS})"
LIVE_EVENT = f"event_id NOT IN ({UNDONE_IDS})"
# the day a work order (`{order}`: its case and event) was sent back (退单) by `{by}`, or NULL
SENT_BACK = (
    "(SELECT substr(MIN(r.valid_from), 1, 10) FROM states r INDEXED BY states_case "
    "WHERE r.case_id = {order}.case_id AND r.change = 'return' "
    f"AND r.event_id > {{order}}.event_id AND r.valid_from <= {{by}} AND r.{LIVE_EVENT})"
)


def _resolved_unsigned(order: str, at: str, signed: str | None) -> str:
    """SQL: 1 when a work order (`order`: its case, handed out at `at`) unsigned (`signed`:
    SQL for its acknowledgement, NULL when none) was resolved by the day it was to be
    acknowledged by, by a move not taken back by :high — the resolution answered it, so no
    acknowledgement was ever owed — else 0. `ack_target()`: `Ledger._with_ack_targets`.
    A signed order is not looked up: its acknowledgement settles it."""
    resolved = (
        f"EXISTS (SELECT 1 FROM states v INDEXED BY states_case WHERE v.case_id = {order}.case_id "
        f"AND v.valid_until >= {order}.{at} AND v.change = 'resolve' "
        f"AND v.valid_from >= {order}.{at} AND v.valid_from <= :high "
        f"AND substr(v.valid_from, 1, 10) <= ack_target(substr({order}.{at}, 1, 10)) "
        f"AND v.{LIVE_EVENT})"
    )
    return resolved if signed is None else f"CASE WHEN {signed} IS NULL THEN {resolved} ELSE 0 END"


# the cases with a reopening in the period (:low to :high), taken back or not
REOPENED_IN_PERIOD = (
    "SELECT case_id FROM states INDEXED BY states_reopened WHERE change = 'reopen' "
    "AND valid_from BETWEEN :low AND :high"
)
# the cases with a work order sent back (退单) in the period, taken back or not
RETURNED_IN_PERIOD = (
    "SELECT case_id FROM states INDEXED BY states_returned WHERE change = 'return' "
    "AND valid_from BETWEEN :low AND :high"
)
# the cases reopened at any time by :high, by a move not taken back by then
REOPENED_BY_END = (
    "SELECT case_id FROM states INDEXED BY states_reopened WHERE change = 'reopen' "
    f"AND valid_from <= :high AND {LIVE_EVENT}"
)
# the cases open at :high (void ones are never open again)
OPEN_AT_HIGH = (
    "SELECT case_id FROM states INDEXED BY states_as_of "
    "WHERE status IN ('received', 'classified', 'dispatched') "
    "AND valid_until > :high AND valid_from <= :high"
)
MOVE_INDEX = {
    "dispatch": "states_dispatched",
    "resolve": "states_resolved",
    "feedback": "states_answered",
    "reopen": "states_reopened",
}
ALL_STATUSES = "('received', 'classified', 'dispatched', 'resolved', 'closed', 'void')"
