"""The ledger's schema, as named steps of `sqlite_utils.Migrations` (SPEC §9): never renamed,
never dropped, each run inside a transaction with its record. Imported only when a file is
created, migrated, or of an earlier version: opening a current ledger needs none of it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3

import sqlite_utils
from sqlite_utils import Migrations

from ledger.history import Event, replay
from ledger.store import (
    FOREVER,
    STATE_COLUMNS,
    chained,
    holidays_version,
    schema_of,
)

# the as-of columns version 2 had: a migration writes what its own schema holds, whatever
# later versions add (m003 appended four after these)
_V2_STATE_COLUMNS = STATE_COLUMNS.split(", ")[:17]
_V2_STATE_INSERT = (
    f"INSERT INTO states (case_id, {', '.join(_V2_STATE_COLUMNS)}, valid_until) "
    f"VALUES ({', '.join('?' for _ in range(len(_V2_STATE_COLUMNS) + 2))})"
)

migrations = Migrations("ledger")

# The departments a new ledger starts with (SPEC §5): name, kind, floor
FIRST_DEPARTMENTS = (
    ("市场准入", "section", "1"),
    ("投资项目", "section", None),
    ("工程建设", "section", None),
    ("社会事务", "section", "3"),
    ("农水事务", "section", None),
    ("税务", "unit", "2"),
)


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        f"""
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE departments (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('section', 'unit')),
            floor TEXT,
            phone TEXT
        );
        CREATE TABLE calendar_overrides (
            date TEXT PRIMARY KEY,
            working INTEGER NOT NULL CHECK (working IN (0, 1)),
            name TEXT,
            entered_at TEXT NOT NULL
        );
        CREATE TABLE calendar_confirmed (year INTEGER PRIMARY KEY, confirmed_at TEXT NOT NULL);
        CREATE TABLE cases (
            id TEXT PRIMARY KEY,
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            ref TEXT,
            received_at TEXT NOT NULL,
            channel TEXT,
            applicant TEXT NOT NULL,
            contact TEXT,
            matter TEXT NOT NULL,
            problem TEXT,
            cause TEXT,
            sections TEXT,
            scope TEXT,
            department_id INTEGER REFERENCES departments(id),
            time_limit TEXT NOT NULL,
            deadline TEXT NOT NULL,
            dispatched_at TEXT,
            chase_count INTEGER NOT NULL DEFAULT 0,
            resolved_at TEXT,
            resolution TEXT,
            method TEXT,
            outcome TEXT,
            feedback_due TEXT,
            feedback_at TEXT,
            feedback_via TEXT,
            satisfaction TEXT,
            status TEXT NOT NULL,
            extensions TEXT,
            UNIQUE (year, seq)
        );
        CREATE INDEX cases_received_at ON cases (received_at);
        CREATE INDEX cases_status ON cases (status);
        CREATE INDEX cases_department ON cases (department_id);
        CREATE INDEX cases_applicant ON cases (applicant);
        CREATE INDEX cases_contact ON cases (contact);
        -- the timeline: append-only, in time order per case
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES cases(id),
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            status_from TEXT,
            status_to TEXT NOT NULL,
            note TEXT,
            field TEXT,
            old_value TEXT,
            new_value TEXT,
            days INTEGER,
            -- what is in force after the event
            department_id INTEGER REFERENCES departments(id),
            deadline TEXT,
            chase_count INTEGER NOT NULL DEFAULT 0,
            feedback_due TEXT
        );
        CREATE INDEX events_case ON events (case_id, id);
        -- the as-of index: which state was in force from when until when. Rebuilt from the
        -- timeline for recorded cases; for imported ones, from the dates the row carried.
        CREATE TABLE states (
            id INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES cases(id),
            valid_from TEXT NOT NULL,
            valid_until TEXT NOT NULL DEFAULT '{FOREVER}',
            change TEXT NOT NULL,
            status TEXT NOT NULL,
            department_id INTEGER REFERENCES departments(id),
            deadline TEXT,
            chase_count INTEGER NOT NULL DEFAULT 0,
            feedback_due TEXT,
            resolution TEXT,
            satisfaction TEXT
        );
        CREATE INDEX states_as_of ON states (status, valid_until, valid_from);
        CREATE INDEX states_case ON states (case_id, valid_until);
        CREATE INDEX states_change ON states (change, valid_from);
        """
    )
    db["departments"].insert_all(
        [{"name": n, "kind": k, "floor": f, "phone": None} for n, k, f in FIRST_DEPARTMENTS]
    )
    db.execute("PRAGMA user_version = 1")


@migrations()
def m002_one_history(db: sqlite_utils.Database) -> None:
    """Events keep codes and values (field, old, new) instead of words; the as-of index keeps
    everything a past day's report reads (sections, scope, problem, channel, the on-time
    deadline, the last dispatch) and which event began each row; undo and late extensions.
    The timeline of an older ledger is carried over: each event gets the changes its own
    columns tell, and the index is rebuilt from it (its notes stay as they were)."""
    db.executescript(
        """
        ALTER TABLE events ADD COLUMN changes TEXT;
        ALTER TABLE events ADD COLUMN late INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE events ADD COLUMN undoes INTEGER REFERENCES events(id);
        ALTER TABLE cases ADD COLUMN on_time_deadline TEXT;
        ALTER TABLE states ADD COLUMN event_id INTEGER REFERENCES events(id);
        ALTER TABLE states ADD COLUMN on_time_deadline TEXT;
        ALTER TABLE states ADD COLUMN dispatched_at TEXT;
        ALTER TABLE states ADD COLUMN sections TEXT;
        ALTER TABLE states ADD COLUMN scope TEXT;
        ALTER TABLE states ADD COLUMN problem TEXT;
        ALTER TABLE states ADD COLUMN channel TEXT;
        ALTER TABLE states ADD COLUMN outcome TEXT;
        CREATE TABLE ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE INDEX events_undoes ON events (undoes) WHERE undoes IS NOT NULL;
        CREATE INDEX events_late ON events (at) WHERE late = 1;
        DROP INDEX states_change;
        DROP INDEX states_as_of;
        """
    )
    _carry_over_timelines(db.conn)
    # the period figures read these alone, never the rows (SPEC §11: ten years in a second):
    # one narrow index per kind of move a figure counts, holding what the figure needs
    db.executescript(
        """
        CREATE INDEX states_as_of ON states (status, valid_until, valid_from, case_id);
        DROP INDEX cases_received_at;
        CREATE INDEX cases_received_at ON cases
            (received_at, id, status, sections, department_id, problem, channel);
        CREATE INDEX states_dispatched ON states (valid_from, case_id, department_id, event_id)
            WHERE change = 'dispatch';
        CREATE INDEX states_resolved ON states
            (valid_from, case_id, on_time_deadline, department_id, event_id, resolution)
            WHERE change = 'resolve';
        CREATE INDEX states_answered ON states
            (valid_from, case_id, satisfaction, department_id, event_id)
            WHERE change = 'feedback';
        CREATE INDEX states_reopened ON states (valid_from, case_id, department_id, event_id)
            WHERE change = 'reopen';
        UPDATE cases SET on_time_deadline = deadline;
        ALTER TABLE events DROP COLUMN field;
        ALTER TABLE events DROP COLUMN old_value;
        ALTER TABLE events DROP COLUMN new_value;
        ALTER TABLE events DROP COLUMN deadline;
        ALTER TABLE events DROP COLUMN chase_count;
        ALTER TABLE events DROP COLUMN feedback_due;
        """
    )
    db.execute(
        "INSERT INTO ledger_meta (key, value) VALUES ('holidays_version', ?)",
        (holidays_version(),),
    )
    db.execute("PRAGMA user_version = 2")


@migrations()
def m003_practice(db: sqlite_utils.Database) -> None:
    """12345 practice (issue 15): assisting departments, the acknowledgement of a work order,
    the stopped clock, the first chase of the escalation ladder, the day of the last chase
    notice. Every case and as-of row of an earlier version has none of them, which is what
    its timeline says (no event of it set them), so nothing is rebuilt."""
    db.executescript(
        """
        ALTER TABLE cases ADD COLUMN assist TEXT;
        ALTER TABLE cases ADD COLUMN acknowledged_at TEXT;
        ALTER TABLE cases ADD COLUMN paused_since TEXT;
        ALTER TABLE cases ADD COLUMN first_chase_at TEXT;
        ALTER TABLE cases ADD COLUMN last_notice TEXT;
        ALTER TABLE states ADD COLUMN assist TEXT;
        ALTER TABLE states ADD COLUMN acknowledged_at TEXT;
        ALTER TABLE states ADD COLUMN paused_since TEXT;
        ALTER TABLE states ADD COLUMN first_chase_at TEXT;
        -- the acknowledgement of a dispatch, looked up per case for the period figures
        CREATE INDEX states_acked ON states (case_id, valid_from, event_id)
            WHERE change = 'ack';
        """
    )
    db.execute("PRAGMA user_version = 3")


@migrations()
def m004_period_figures(db: sqlite_utils.Database) -> None:
    """What the period figures look up: the work orders sent back (退单), since an order its
    department returned is not that department's to answer for (SPEC §5, §6); and the
    imported cases carrying an extension asked for late, flagged as `extend --late` is."""
    db.executescript(
        """
        CREATE INDEX states_returned ON states (valid_from, case_id, event_id)
            WHERE change = 'return';
        UPDATE events SET late = 1
            WHERE action = 'imported' AND changes LIKE '%"late": true%';
        """
    )
    db.execute("PRAGMA user_version = 4")


@migrations()
def m005_pause_reasons(db: sqlite_utils.Database) -> None:
    """An imported case's event may carry the reason of its pause (`history.imported`): no
    table changes, but a release before this one would take such an event for another
    program's writing and send the clerk to restore a copy. The version step makes it refuse
    the file as newer (upgrade), and the file says which events it may hold."""
    db.execute("PRAGMA user_version = 5")


@migrations()
def m006_setting_history(db: sqlite_utils.Database) -> None:
    """What each change of a setting replaced, and when: the targets and thresholds a report
    counts with are those in force on its date (SPEC §6), so that changing one today leaves
    the sheets and figures of past days as they were. A ledger of an earlier version has no
    such history: its settings are in force on every day, as they were read before."""
    db.executescript(
        """
        CREATE TABLE setting_changes (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            old TEXT,
            new TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX setting_changes_at ON setting_changes (at, id);
        """
    )
    db.execute("PRAGMA user_version = 6")


@migrations()
def m007_calendar_history(db: sqlite_utils.Database) -> None:
    """What each override the clerk entered or cleared replaced, and when: a report of an
    earlier day counts its working days with the calendar in force then (SPEC §3: reports
    of earlier days keep what was in force then). An override of an earlier version is
    taken as entered over no override at the time it says it was entered; what an
    override changed before that, or a cleared one, was not kept then and is not known."""
    db.executescript(
        """
        CREATE TABLE calendar_changes (
            id INTEGER PRIMARY KEY,
            date TEXT NOT NULL,
            old_working INTEGER CHECK (old_working IN (0, 1)),
            old_name TEXT,
            at TEXT NOT NULL
        );
        CREATE INDEX calendar_changes_at ON calendar_changes (at, id);
        INSERT INTO calendar_changes (date, old_working, old_name, at)
            SELECT date, NULL, NULL, entered_at FROM calendar_overrides ORDER BY entered_at;
        """
    )
    db.execute("PRAGMA user_version = 7")


def _carry_over_timelines(conn: sqlite3.Connection) -> None:
    """The events of a ledger of version 1 as events of version 2, and its index rebuilt."""
    names = dict(conn.execute("SELECT id, name FROM departments"))
    legacy: dict[str, list[tuple]] = {}
    for row in conn.execute(
        "SELECT id, case_id, at, action, status_from, status_to, note, field, old_value, "
        "new_value, days, department_id, deadline, chase_count, feedback_due "
        "FROM events ORDER BY id"
    ):
        legacy.setdefault(row[1], []).append(row)
    if not legacy:
        return
    columns = [column for column, *_ in conn.execute("SELECT * FROM cases").description]
    cases = {
        row[0]: dict(zip(columns, row, strict=True)) for row in conn.execute("SELECT * FROM cases")
    }
    updates, states = [], []
    for case_id, rows in legacy.items():
        events = _legacy_events(cases[case_id], rows, names)
        updates += [
            (json.dumps(e.changes, ensure_ascii=False) if e.changes else None, e.id) for e in events
        ]
        states += [
            (*row[: len(_V2_STATE_COLUMNS) + 1], row[-1])
            # as version 1 told an imported case's past (no extension dated it): carried
            # over, a ledger's past days read as they did
            for row in chained(case_id, replay(events, first_rule=True), None)
        ]
    conn.executemany("UPDATE events SET changes = ? WHERE id = ?", updates)
    conn.execute("DELETE FROM states")
    conn.executemany(_V2_STATE_INSERT, states)


# what a version-1 event's own columns say, field by field (the rest of a case is its row)
_LEGACY_TEXT = ("applicant", "contact", "matter", "cause", "ref", "problem", "channel", "scope")


def _legacy_events(case: dict, rows: list[tuple], names: dict[int, str]) -> list[Event]:
    """Version-1 events with their changes: the in-force columns each event kept (status,
    department, deadline, chase count, feedback due), what its action implies, and the case's
    row for the rest — its text as it was before the later edits, which are undone backwards."""
    first = {name: case[name] for name in _LEGACY_TEXT}
    first["sections"] = case["sections"]
    for row in reversed(rows):
        if row[3] == "edit" and row[7] in (*_LEGACY_TEXT, "sections"):
            first[row[7]] = row[8]
    sections = first["sections"].split(",") if first["sections"] else []
    resolves = [row[0] for row in rows if row[3] == "resolve"]
    feedbacks = [row[0] for row in rows if row[3] == "feedback"]
    extensions = json.loads(case["extensions"]) if case["extensions"] else []
    now = {"status": None, "department": None, "deadline": None, "chase_count": 0}
    now.update(feedback_due=None, resolution=None, satisfaction=None, dispatched_at=None)
    now.update(sections=[], scope=None, problem=None, channel=None, on_time_deadline=None)
    now.update(extensions=[], resolved_at=None, method=None, outcome=None)
    now.update(feedback_at=None, feedback_via=None)
    events = []
    for row in rows:
        (event_id, _case, at, action, status_from, status_to, note, field, old, new, days,
         department_id, deadline, chase_count, feedback_due) = row  # fmt: skip
        then = dict(now)
        then.update(
            status=status_to,
            department=names.get(department_id),
            deadline=deadline,
            on_time_deadline=deadline,
            chase_count=chase_count,
            feedback_due=feedback_due,
        )
        extra: list[list] = []
        if action in ("received", "imported"):
            then.update(problem=first["problem"], channel=first["channel"])
            extra += [["received_at", None, case["received_at"]]]
            extra += [[k, None, first[k]] for k in ("applicant", "contact", "matter", "cause")]
            extra += [["limit", None, case["time_limit"]], ["ref", None, first["ref"]]]
        if action == "imported":
            then.update(sections=sections, scope=first["scope"])
            resolved = status_to in ("resolved", "closed", "void")
            answered = status_to in ("closed", "void")
            then.update(
                resolution=case["resolution"] if resolved else None,
                satisfaction=case["satisfaction"] if answered else None,
                dispatched_at=case["dispatched_at"] if status_to != "received" else None,
                extensions=extensions,
            )
            for key in ("resolved_at", "method", "outcome"):
                then[key] = case[key] if resolved else None
            for key in ("feedback_at", "feedback_via"):
                then[key] = case[key] if answered else None
        elif action == "classify" and not now["sections"]:
            then.update(sections=sections, scope=first["scope"])
        elif action == "dispatch":
            then["dispatched_at"] = at
        elif action == "extend":
            then["extensions"] = extensions[: len(now["extensions"]) + 1]
        elif action == "resolve":
            last = event_id == resolves[-1]
            then.update(resolution=new, resolved_at=at)
            then.update({k: case[k] if last else None for k in ("method", "outcome")})
        elif action == "feedback":
            last = event_id == feedbacks[-1]
            then.update(satisfaction=new, feedback_at=at)
            then["feedback_via"] = case["feedback_via"] if last else None
        elif action == "reopen":  # as version 1 did it: the method and outcome stay
            then.update(resolution=None, satisfaction=None, resolved_at=None)
            then.update(feedback_at=None, feedback_via=None)
            then["dispatched_at"] = at if status_to == "dispatched" else now["dispatched_at"]
        elif action == "edit" and field in ("problem", "channel", "scope"):
            then[field] = new
        elif action == "edit" and field == "sections":
            then["sections"] = new.split(",") if new else []
        changes = [[k, now[k], then[k]] for k in then if k != "status" and then[k] != now[k]]
        if action == "edit" and field not in ("problem", "channel", "scope", "sections"):
            changes.append([field, old, new])
        changes += [c for c in extra if c[2] is not None]
        events.append(
            Event(
                case["id"],
                dt.datetime.fromisoformat(at),
                action,
                status_from,
                status_to,
                note,
                changes,
                days,
                False,
                None,
                department_id,
                event_id,
            )
        )
        now = then
    return events


@functools.cache
def expected_schema(applied: tuple[str, ...]) -> set[tuple[str, str, str]]:
    """The schema the ledger's own migrations make, when exactly `applied` (a prefix of them,
    in order) have run: built in memory each run, never read from a file that could lie."""
    names = [m.name for m in migrations._migrations]
    if list(applied) != names[: len(applied)]:
        return set()  # migrations we never wrote: nothing of it can be ours
    db = sqlite_utils.Database(memory=True)
    stop = names[len(applied)] if len(applied) < len(names) else None
    migrations.apply(db, stop_before=stop)
    try:
        return schema_of(db.conn)
    finally:
        db.close()
