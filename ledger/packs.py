"""Packs for the office above (SPEC §13): the store's part that writes them and reads them.

A pack is the ledger copied with SQLite's online backup and then made fit to leave the desk:
every phone number masked (the contacts, and any number typed into free text or kept in the
timeline), one file in rollback-journal mode (no `-wal`, so DuckDB, `sqlite3 -readonly` and
Datasette open it from a read-only share), the window's working-day calendar as a table, and
views that say the ledger's own definitions in SQL. It keeps the ledger's own tables and
indexes, so that the city runs the ledger's own report code over it (`reports.weekly`) and a
window's row is its own weekly figures, not a second reckoning of them.

A pack is not a ledger: the ledger's schema check refuses it (its extra table and views), and
a file is read as a pack only when it holds exactly the ledger's schema and the objects below.
Packs are only ever opened read-only and immutable: reading one writes nothing beside it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ledger import dates, files
from ledger.calendar import Override, PackageSchedule, WorkCalendar, package_confirmed_years
from ledger.errors import BadInput, LedgerFileRefused
from ledger.privacy import mask, other_digits, scrub
from ledger.store import (
    MIGRATIONS,
    MISSHAPEN_VALUES,
    SCHEMA_VERSION,
    SQLITE_CORRUPT,
    SQLITE_NOTADB,
    TOLERANT_TEXT,
    WINDOW_CODE,
    Ledger,
    _ours,
    _undecodable,
    data_problems,
    misshapen,
    schema_of,
    translate,
)
from ledger.text import one_line, printable

# 2: the views carry `paused_since`, and a paused case is not overdue in `v_cases`
PACK_FORMAT = 2
# the versions whose packs the report code reads: this one, 6 (step 7 added the calendar's
# history, which a pack of 6 reads without: its overrides in force on every day), 5 (step 6
# added the settings' history, which a pack of 5 reads without: its settings in force on
# every day) and 4 (step 5
# changed no table, only what an imported event may hold), so that windows need not all pack
# again at once
READABLE_PACKS = {
    (MIGRATIONS, SCHEMA_VERSION),
    (MIGRATIONS[:6], 6),
    (MIGRATIONS[:5], 5),
    (MIGRATIONS[:4], 4),
}

# What a pack adds to the ledger's schema. The views say the ledger's definitions: a day's
# `working_day_no` counts the working days up to it, so that "working days after A up to and
# including B" — how late a case is, how long it took — is a subtraction, never calendar days.
# Written in the SQL that SQLite and DuckDB (which parses these views itself when its
# `sqlite` extension attaches a pack) both understand: no JSON functions, no scalar max(),
# no alias DuckDB reserves (`asof`), and its keyword `at` quoted.
PACK_SCHEMA = (
    """CREATE TABLE pack_info (
        window_code TEXT NOT NULL,
        window_name TEXT,
        packed_at TEXT NOT NULL,
        as_of TEXT NOT NULL,
        pack_format INTEGER NOT NULL,
        first_year INTEGER NOT NULL,
        last_year INTEGER NOT NULL
    )""",
    "CREATE TABLE working_days (date TEXT PRIMARY KEY, working INTEGER, name TEXT)",
    """CREATE VIEW v_working_days AS
    SELECT p.window_code, w.date, w.working, w.name,
        SUM(w.working) OVER (ORDER BY w.date) AS working_day_no
    FROM working_days w CROSS JOIN pack_info p""",
    """CREATE VIEW v_cases AS
    SELECT p.window_code, c.id, c.year, c.seq, c.ref, c.received_at, c.channel, c.applicant,
        c.contact, c.matter, c.problem, c.cause, c.sections, c.scope, d.name AS department,
        c.time_limit, c.deadline, c.on_time_deadline, c.dispatched_at, c.chase_count,
        c.extensions, c.resolved_at, c.resolution, c.method, c.outcome, c.feedback_due,
        c.feedback_at, c.feedback_via, c.satisfaction, c.status, c.paused_since,
        c.status = 'void' AS is_void,
        CASE WHEN c.resolved_at IS NOT NULL
            THEN substr(c.resolved_at, 1, 10) <= c.on_time_deadline END AS resolved_on_time,
        CASE WHEN c.resolved_at IS NOT NULL
            THEN resolved.working_day_no - received.working_day_no END
            AS working_days_to_resolve,
        CASE WHEN c.status IN ('received', 'classified', 'dispatched')
            AND c.paused_since IS NULL
            THEN CASE WHEN packday.working_day_no > due.working_day_no
                THEN packday.working_day_no - due.working_day_no ELSE 0 END END AS days_overdue,
        CASE WHEN c.status = 'resolved'
            THEN CASE WHEN packday.working_day_no > answer.working_day_no
                THEN packday.working_day_no - answer.working_day_no ELSE 0 END END
            AS feedback_days_overdue
    FROM cases c
    CROSS JOIN pack_info p
    LEFT JOIN departments d ON d.id = c.department_id
    LEFT JOIN v_working_days received ON received.date = substr(c.received_at, 1, 10)
    LEFT JOIN v_working_days resolved ON resolved.date = substr(c.resolved_at, 1, 10)
    LEFT JOIN v_working_days due ON due.date = c.deadline
    LEFT JOIN v_working_days answer ON answer.date = c.feedback_due
    LEFT JOIN v_working_days packday ON packday.date = p.as_of""",
    """CREATE VIEW v_events AS
    SELECT p.window_code, e.id, e.case_id, e."at", e.action, e.status_from, e.status_to, e.note,
        e.changes, e.days, e.late, e.undoes, d.name AS department, u.undone_at,
        c.status = 'void' AS is_void
    FROM events e
    JOIN cases c ON c.id = e.case_id
    CROSS JOIN pack_info p
    LEFT JOIN departments d ON d.id = e.department_id
    LEFT JOIN (SELECT undoes, MIN("at") AS undone_at FROM events
        WHERE undoes IS NOT NULL GROUP BY undoes) u ON u.undoes = e.id""",
    """CREATE VIEW v_states AS
    SELECT p.window_code, s.case_id, s.valid_from, s.valid_until, s.change, s.status,
        d.name AS department, s.deadline, s.on_time_deadline, s.chase_count, s.feedback_due,
        s.resolution, s.satisfaction, s.dispatched_at, s.sections, s.scope, s.problem,
        s.channel, s.outcome, s.paused_since, s.event_id, u.undone_at,
        c.status = 'void' AS is_void,
        due.working_day_no AS deadline_working_day_no,
        answer.working_day_no AS feedback_due_working_day_no
    FROM states s
    JOIN cases c ON c.id = s.case_id
    CROSS JOIN pack_info p
    LEFT JOIN departments d ON d.id = s.department_id
    LEFT JOIN (SELECT undoes, MIN("at") AS undone_at FROM events
        WHERE undoes IS NOT NULL GROUP BY undoes) u ON u.undoes = s.event_id
    LEFT JOIN v_working_days due ON due.date = s.deadline
    LEFT JOIN v_working_days answer ON answer.date = s.feedback_due""",
)


@functools.cache
def pack_objects() -> frozenset[tuple[str, str, str]]:
    """The objects PACK_SCHEMA makes, as `schema_of` reads them (built in memory: a file's
    own account of itself is never trusted)."""
    conn = sqlite3.connect(":memory:")
    try:
        for statement in PACK_SCHEMA:
            conn.execute(statement)
        return frozenset(schema_of(conn))
    finally:
        conn.close()


# -- writing a pack ---------------------------------------------------------------------

# text columns that hold case ids: never free text, and an id with a long sequence must stay
# whole (scrub would read its digits as a number)
_IDS = {"id", "case_id"}


def make_pack(ledger: Ledger, target: Path, now: dt.datetime) -> dict:
    """Write the pack of `ledger` to `target` (replacing an earlier pack there whole). Returns
    what was packed: the window's code, its cases, the years of its calendar."""
    with ledger.reading():
        # a pack leaves the desk as the window's word: damage a quick look misses (an index
        # that disagrees with its table) is found here, said to the window and remembered,
        # not sent upward to be refused by the city with advice to pack again
        ledger.verify()
        settings = {k: printable(v) for k, v in ledger.settings().items()}  # bytes as text
        ledger.vouch_for_setting_history()
        code = settings["window_code"]
        if not code or not WINDOW_CODE.fullmatch(code):
            raise BadInput("err.pack_no_code")
        first, last = _years_touched(ledger.conn, now.date())
        cal = ledger.calendar("zh")  # a pack names its days in Chinese, whoever packs it
        days = [
            (info.day.isoformat(), int(info.working), scrub(info.name))
            for info in (
                cal.info(dt.date.fromordinal(o))
                for o in range(
                    dt.date(first, 1, 1).toordinal(), dt.date(last, 12, 31).toordinal() + 1
                )
            )
        ]
        cases = ledger.conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    target = files.guard(target, ledger.path)
    if target.exists():
        _replaceable(target, code)
    # the window's name and the days' names leave the desk too: a number in them is masked
    info = (code, scrub(settings["window_name"]) or None, dates.minute(now), now.date().isoformat())

    made_readable = 0

    def build(partial: Path) -> None:
        nonlocal made_readable
        dest = sqlite3.connect(partial, isolation_level=None)
        try:
            ledger.conn.backup(dest)
            # one file, no write-ahead log: read-only readers need no `-wal`/`-shm` beside it
            if dest.execute("PRAGMA journal_mode = DELETE").fetchone()[0] != "delete":
                raise LedgerFileRefused("err.pack_unreadable", path=target, detail="journal")
            dest.execute("BEGIN")
            made_readable = _readable_text(dest)
            _mask(dest)
            # the window's code is the pack's name upward, kept whole as in `pack_info`
            dest.execute("UPDATE settings SET value = ? WHERE key = 'window_code'", (code,))
            # the query planner's statistics (`ANALYZE`) keep sample keys of the indexes,
            # the contacts' among them, whole: a pack carries none
            for (table,) in dest.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'sqlite_stat%'"
            ).fetchall():
                dest.execute(f'DROP TABLE "{table}"')
            for statement in PACK_SCHEMA:
                dest.execute(statement)
            dest.execute(
                "INSERT INTO pack_info VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*info, PACK_FORMAT, first, last),
            )
            dest.executemany("INSERT INTO working_days VALUES (?, ?, ?)", days)
            dest.execute("COMMIT")
            # rebuilt from scratch: no page the masking freed keeps a number it replaced
            dest.execute("VACUUM")
        except sqlite3.Error as error:
            if _INTERRUPTED:
                _INTERRUPTED.clear()
                raise KeyboardInterrupt from None
            if (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF == SQLITE_CORRUPT:
                # the copy is a fresh file: what SQLite finds corrupt in it came from the
                # ledger, which is said so (and remembered), pointing at `ledger restore`
                raise ledger.refusal(error) from None
            refusal = translate(error, target)
            if refusal.key == "err.disk_full":  # said as a full disk, as everywhere
                raise refusal from None
            raise LedgerFileRefused("err.pack_write", path=target, detail=str(error)) from None
        finally:
            dest.close()

    files.write_built(target, build, ledger.path)
    return {
        "path": str(target),
        "window_code": code,
        "cases": cases,
        "years": [first, last],
        "made_readable": made_readable,
    }


def _text_columns(conn: sqlite3.Connection, every: bool = False) -> Iterator[tuple[str, str]]:
    """The columns declared TEXT of every table; with `every`, every column (a value is
    stored as the program that wrote it chose, whatever its column says)."""
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name != '_sqlite_migrations'"
        )
    ]
    for table in tables:
        for _, column, kind, *_ in conn.execute(f"PRAGMA table_info({table})").fetchall():
            if every or "TEXT" in (kind or "").upper():
                yield table, column


def _readable_text(conn: sqlite3.Connection) -> int:
    """Every text column of the copy made text a reader can decode: bytes another program
    wrote there, and text that is not UTF-8, become UTF-8 text (U+FFFD for what cannot be
    read), or DuckDB and `city` would refuse the whole pack over one value. Returns how many
    values were made so. Each table is read once with SQLite decoding its text (2.6 s at
    100,000 cases); only a table where that fails is looked at row by row."""
    tables: dict[str, list[str]] = {}
    for table, column in _text_columns(conn):
        tables.setdefault(table, []).append(column)
    made = 0
    for table, columns in tables.items():
        rows = set()
        try:
            cursor = conn.execute(f"SELECT {', '.join(columns)} FROM {table}")
            while cursor.fetchmany(5000):
                pass
        except sqlite3.OperationalError as error:
            if not _undecodable(error):
                raise
            rows = _rows_not_utf8(conn, table, columns)
        blobs = " OR ".join(f"typeof({column}) = 'blob'" for column in columns)
        rows |= {rowid for (rowid,) in conn.execute(f"SELECT rowid FROM {table} WHERE {blobs}")}
        for rowid in sorted(rows):
            made += _make_row_readable(conn, table, columns, rowid)
    return made


def _rows_not_utf8(conn: sqlite3.Connection, table: str, columns: list[str]) -> set[int]:
    conn.text_factory = bytes
    try:
        cursor = conn.execute(f"SELECT rowid, {', '.join(columns)} FROM {table}")
        return {
            rowid
            for rowid, *values in cursor
            if not _utf8(b"\0".join(v for v in values if isinstance(v, bytes)))
        }
    finally:
        conn.text_factory = str


def _make_row_readable(conn: sqlite3.Connection, table: str, columns: list[str], rowid: int) -> int:
    listed = ", ".join(f"{column}, typeof({column})" for column in columns)
    conn.text_factory = bytes
    try:
        found = conn.execute(f"SELECT {listed} FROM {table} WHERE rowid = ?", (rowid,)).fetchone()
    finally:
        conn.text_factory = str
    made = 0
    for n, column in enumerate(columns):
        value, kind = found[2 * n], found[2 * n + 1]
        if isinstance(value, bytes) and (kind == b"blob" or not _utf8(value)):
            _set_readable(conn, table, column, rowid, value.decode("utf-8", "replace"))
            made += 1
    return made


def _set_readable(conn: sqlite3.Connection, table: str, column: str, rowid: int, text: str) -> None:
    """The value made text; where the column's values must differ (a department's name) and
    another already reads so, the row's id keeps them apart."""
    try:
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (text, rowid))
    except sqlite3.IntegrityError:
        conn.execute(
            f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (f"{text}（{rowid}）", rowid)
        )


def _utf8(value: bytes) -> bool:
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _years_touched(conn: sqlite3.Connection, today: dt.date) -> tuple[int, int]:
    """The years of every date the ledger holds (receipts, moves, deadlines, the clerk's
    overrides) and of today, with one year of margin each side: the calendar's own index
    reaches one year beyond the dates it is asked about."""
    found = [today.year]
    for table, column in (
        ("cases", "received_at"),
        ("cases", "deadline"),
        ("cases", "feedback_due"),
        ("events", "at"),
        ("states", "deadline"),
        ("states", "feedback_due"),
        ("calendar_overrides", "date"),
    ):
        low, high = conn.execute(
            f"SELECT min({column}), max({column}) FROM {table} WHERE {column} IS NOT NULL"
        ).fetchone()
        found += [int(value[:4]) for value in (low, high) if value and value[:4].isdigit()]
    return min(found) - 1, max(found) + 1


def _replaceable(target: Path, code: str) -> None:
    """Refuse to replace an existing file unless it is an earlier pack of this window: in a
    folder the windows share for their packs, another window's pack is not this one's to
    replace (its code, not its name, says whose it is)."""
    try:
        other = inspect_pack(target)["window_code"]
    except LedgerFileRefused as refused:
        if refused.key == "err.pack_version":
            return  # an earlier release's pack, replaced as before (its code is not read)
        raise BadInput("err.pack_target_taken", path=target) from None
    if str(other).casefold() != code.casefold():
        raise BadInput("err.pack_other_window", path=target, other=other, code=code)


def _carrying(function):
    """A function for SQLite to call that carries a Ctrl-C (or a TERM) landing inside it
    out past SQLite, which would say only "user-defined function raised exception" (the
    pack's line said that, in English, instead of "Interrupted")."""

    def called(*args):
        try:
            return function(*args)
        except KeyboardInterrupt:
            _INTERRUPTED.append(True)
            raise

    return called


_INTERRUPTED: list[bool] = []


def _mask(conn: sqlite3.Connection) -> None:
    """Every phone number in the copy masked: the contacts whole, the contacts a timeline
    change holds, and any number written into any other text of any table."""
    conn.create_function("pack_text", 2, _carrying(_pack_text), deterministic=True)
    # (asked only of a text with no digit of its own: numbers in other digits, or in words)
    conn.create_function("pack_other_digits", 1, _carrying(other_digits), deterministic=True)
    # every column, not only the TEXT ones: another program may have written text into a
    # column of numbers (`check` names it, and a pack must not carry a number in it whole)
    for table, column in list(_text_columns(conn, every=True)):
        if column in _IDS:
            continue
        if (table, column) == ("departments", "name"):
            _mask_department_names(conn)
            continue
        # a number needs a digit: rows without one are left as they are
        where = (
            f"{column} IS NOT NULL"
            if column == "contact"
            else f"typeof({column}) = 'text' AND ({column} GLOB '*[0-9]*' "
            f"OR {column} GLOB '*[０-９]*' OR pack_other_digits({column}))"
        )
        conn.execute(
            f"UPDATE {table} SET {column} = pack_text(?, {column}) WHERE {where}", (column,)
        )


def _mask_department_names(conn: sqlite3.Connection) -> None:
    """Department names masked like any text, but kept apart: two names a mask makes alike
    (第13800001111科, 第13822221111科) get their department's id, or the units would merge."""
    masked = {i: scrub(name) for i, name in conn.execute("SELECT id, name FROM departments")}
    alike = Counter(masked.values())
    for i in masked:  # first out of the way, so that no name is held by two rows at once
        conn.execute("UPDATE departments SET name = ? WHERE id = ?", (f"\x00{i}", i))
    for i, name in masked.items():
        name = name if alike[name] == 1 else f"{name}（{i}）"
        conn.execute("UPDATE departments SET name = ? WHERE id = ?", (name, i))


# the columns where the ledger keeps a list or a record as JSON (a clerk's text that begins
# with a bracket, [139,1234,5678], is text, masked as it reads)
_JSON_COLUMNS = frozenset(("changes", "extensions", "assist"))


def _pack_text(column: str, value: object) -> str | None:
    if value is not None and not isinstance(value, str):  # a number stored as a number
        value = str(value)
    if column == "contact":
        return mask(value)
    if column in _JSON_COLUMNS and value[:1] in ("[", "{"):
        # a list or a record (a timeline's changes, the extensions, the assisting units): each text
        # in it masked as it reads, not its JSON, where a line end is the two characters `\n`
        # and a number split by one would be missed
        try:
            parsed = json.loads(value)
        except ValueError:
            return scrub(value)
        masked = _scrubbed(parsed)
        return value if masked == parsed else json.dumps(masked, ensure_ascii=False)
    return scrub(value)


def _scrubbed(item: object) -> object:
    """A JSON value with every phone number in it masked: in its texts (a contact's change
    masked whole on both sides), and a long number stored as a number made the masked text."""
    if isinstance(item, str):
        return scrub(item)
    if isinstance(item, list):
        if len(item) == 3 and item[0] == "contact":
            return ["contact", mask(_as_text(item[1])), mask(_as_text(item[2]))]
        return [_scrubbed(part) for part in item]
    if isinstance(item, dict):
        return {scrub(key): _scrubbed(part) for key, part in item.items()}
    if isinstance(item, (int, float)) and not isinstance(item, bool):
        masked = scrub(str(item))
        return item if masked == str(item) else masked
    return item


def _as_text(value: object) -> str | None:
    return None if value is None else str(value)


# -- reading packs ----------------------------------------------------------------------


def _connect(path: Path, shared: bool = False) -> sqlite3.Connection:
    """Read-only and immutable: SQLite takes no lock and writes nothing beside the file."""
    uri = f"{Path(os.path.abspath(path)).as_uri()}?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=not shared)
    conn.execute("PRAGMA query_only = ON")
    # a pack of an older release may carry text that is not UTF-8: read, not refused
    conn.text_factory = TOLERANT_TEXT
    return conn


def inspect_pack(path: Path, whole: bool = True) -> dict:
    """The pack's own line (`pack_info`) if `path` is a pack this ledger reads, else one
    refusal naming the file: missing, not a pack, a ledger, crafted, of another version,
    switched back to WAL, and (`whole`) damaged anywhere — SQLite's full integrity check,
    which also finds an index that no longer matches its table (a quick check does not, and
    a report reading through such an index would count wrong without a word)."""
    path = Path(path)
    if not path.exists():
        raise LedgerFileRefused("err.pack_missing", path=path)
    if not path.is_file() or path.stat().st_size == 0:
        raise LedgerFileRefused("err.pack_not_pack", path=path)
    # a file the city may not read is said so, not taken for one the window must send again
    with files.os_errors(path, reading=True), path.open("rb"):
        pass
    try:
        conn = _connect(path)
        try:
            found = schema_of(conn)
            tables = {name for kind, name, _ in found if kind == "table"}
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            applied = (
                tuple(
                    r[0]
                    for r in conn.execute(
                        "SELECT name FROM _sqlite_migrations WHERE migration_set = 'ledger' "
                        "ORDER BY rowid"
                    )
                )
                if "_sqlite_migrations" in tables
                else ()
            )
            rows = (
                conn.execute(
                    "SELECT window_code, window_name, packed_at, as_of, pack_format, "
                    "first_year, last_year FROM pack_info"
                ).fetchall()
                if "pack_info" in tables
                else []
            )
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise _refusal(error, path) from None
    if "pack_info" not in tables:
        raise LedgerFileRefused("err.pack_is_ledger" if applied else "err.pack_not_pack", path=path)
    extra = pack_objects()
    if not applied or not extra <= found or len(rows) != 1:
        raise LedgerFileRefused("err.pack_schema", path=path)
    keys = ("window_code", "window_name", "packed_at", "as_of", "pack_format")
    info = dict(zip((*keys, "first_year", "last_year"), rows[0], strict=True))
    # a version is told as schema.format (3.1): a pack may differ in either
    found_version = f"{version}.{info['pack_format'] or 0}"
    ours = f"{SCHEMA_VERSION}.{PACK_FORMAT}"
    if version > SCHEMA_VERSION or (info["pack_format"] or 0) != PACK_FORMAT:
        raise LedgerFileRefused("err.pack_version", path=path, found=found_version, supported=ours)
    if not _ours(found - extra, applied):
        raise LedgerFileRefused("err.pack_schema", path=path)
    if (applied, version) not in READABLE_PACKS:
        # the report code reads this version's tables: an older pack is packed again
        raise LedgerFileRefused("err.pack_version", path=path, found=found_version, supported=ours)
    if not WINDOW_CODE.fullmatch(str(info["window_code"] or "")):
        # a code no window is given: its line in `pack_info` was changed, its tables not
        raise LedgerFileRefused("err.pack_damaged", path=path, detail="pack_info.window_code")
    if not (_a_day(info["as_of"], 0, None) and isinstance(info["packed_at"], str)):
        # the pack's own line as no pack is written: a day that is no day
        raise LedgerFileRefused("err.pack_damaged", path=path, detail="pack_info")
    if info["window_name"] is not None:
        # a name is one line of text wherever it is shown: bytes another program wrote read
        # with `�`, and a line end shown as a sign — a name holding one printed lines of its
        # own under the windows below the lines
        info["window_name"] = one_line(printable(info["window_name"]))
    try:
        with path.open("rb") as handle:
            header = handle.read(20)
    except OSError as error:
        raise LedgerFileRefused("err.pack_unreadable", path=path, detail=error.strerror) from None
    if header[18:20] != b"\x01\x01":
        # read as immutable, a WAL file's log would be passed over without a word
        raise LedgerFileRefused("err.pack_wal", path=path)
    if whole:
        _whole(path)
    return info


def _whole(path: Path) -> None:
    """Refuse a pack SQLite finds damaged, whose calendar holds a day that is no day, or
    that holds what the ledger never writes (bytes where text belongs, a date that is no
    date, a code it does not know, a list that is not JSON): counted, such a value would
    change a window's figures without a word, or stop the city's report half-way."""
    try:
        conn = _connect(path)
        try:
            beside = _connect(path, shared=True)
        except BaseException:
            conn.close()
            raise
        try:
            # SQLite's check of every page and the look at every value, each on a core of
            # its own (150 packs: the look alone added a third to the city's time)
            with ThreadPoolExecutor(1) as pool:
                looked = pool.submit(misshapen, beside)
                try:
                    found = conn.execute("PRAGMA integrity_check(1)").fetchone()[0]
                    days = conn.execute("SELECT date, working, name FROM working_days").fetchall()
                except BaseException:
                    beside.interrupt()  # (the pool waits for the look to stop)
                    raise
            wrong = looked.result() if found == "ok" else None
            if wrong == MISSHAPEN_VALUES:
                # named as `check` names it: the first of what is wrong
                wrong = (data_problems(conn) or [wrong])[0]
        finally:
            conn.close()
            beside.close()
    except sqlite3.Error as error:
        raise _refusal(error, path) from None
    if found != "ok":
        raise LedgerFileRefused("err.pack_damaged", path=path, detail=str(found)[:80])
    if not all(_a_day(*day) for day in days):
        raise LedgerFileRefused("err.pack_damaged", path=path, detail="working_days")
    if wrong is not None:
        raise LedgerFileRefused("err.pack_damaged", path=path, detail=wrong)


def _a_day(date: object, working: object, name: object) -> bool:
    if not isinstance(date, str) or working not in (0, 1) or not isinstance(name, str | None):
        return False
    try:
        return dt.date.fromisoformat(date).isoformat() == date
    except ValueError:
        return False


def _refusal(error: sqlite3.Error, path: Path) -> LedgerFileRefused:
    """A sqlite3 error met in a pack: the pack is the window's to send again (a pack is never
    marked damaged: nothing is ever written beside it)."""
    if (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF == SQLITE_NOTADB:
        return LedgerFileRefused("err.pack_not_pack", path=path)
    return LedgerFileRefused("err.pack_unreadable", path=path, detail=str(error))


class Pack(Ledger):
    """A pack opened for the ledger's own reports: the ledger's reading methods over the
    pack's tables, read-only, with the window's calendar as the pack carries it."""

    # not Ledger's opening (schema check, migration, the damage note): a pack is only read
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.records = False
        self.read_only = True
        self.committed = False
        self.damage = None
        # checked whole by `check_packs` before any pack is opened to be counted
        self.info = inspect_pack(self.path, whole=False)
        try:
            self.conn = _connect(self.path)
        except sqlite3.Error as error:
            raise _refusal(error, self.path) from None

    def window(self) -> dict:
        """The window the pack is of, as it named itself when packed."""
        return {"name": self.info["window_name"], "code": self.info["window_code"]}

    def refusal(self, error: sqlite3.Error) -> LedgerFileRefused:
        return _refusal(error, self.path)

    def _keeps_setting_history(self) -> bool:
        # a pack of version 5 was made before the settings kept their history
        return bool(
            self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'setting_changes'"
            ).fetchone()
        )

    def _second_connection(self) -> sqlite3.Connection:
        """A pack is read as it is, never its log: the second reader as immutable as the
        first."""
        return _connect(self.path, shared=True)

    def close(self) -> None:
        self.conn.close()

    def _keeps_calendar_history(self) -> bool:
        # a pack of version 6 or earlier was made before the overrides kept their history
        return bool(
            self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'calendar_changes'"
            ).fetchone()
        )

    def calendar(self, lang: str | None = None, as_of: str | None = None) -> WorkCalendar:
        """The window's calendar as it was packed (its overrides and the official schedule
        of its `holidays` release), not the city's: each window's figures are its own. As
        of an earlier moment, an override entered or cleared since is put back as it was
        (`Ledger.calendar`); a day that had none then is as the official schedule has it
        — the city's `holidays` release's: the pack carries its days with the overrides in."""
        cal = self._packed_calendar(lang)
        changes = self._calendar_changes_after(as_of) if as_of is not None else []
        if not changes:
            return cal
        was: dict[str, tuple] = {}
        for day, working, name in changes:  # latest first: the earliest's old value stays
            was[day] = (working, name)
        official = WorkCalendar(lang=lang)
        overrides = dict(cal.overrides)
        for day, (working, name) in was.items():
            date = dt.date.fromisoformat(day)
            if working is None:
                overrides[date] = Override(date, official.is_working(date))
            else:
                overrides[date] = Override(date, bool(working), name)
        return WorkCalendar(overrides, cal.clerk_confirmed, lang, cal.schedule)

    def _packed_calendar(self, lang: str | None = None) -> WorkCalendar:
        known: dict[int, dict] = {}
        for day, working, name in self.conn.execute("SELECT date, working, name FROM working_days"):
            year = known.setdefault(int(day[:4]), {"off": {}, "makeup": []})
            weekend = dt.date.fromisoformat(day).weekday() >= 5
            if working and weekend:
                year["makeup"].append(day)
            elif not working and not weekend:
                year["off"][day] = {"zh": name, "en": name}
        # which of its years the window had confirmed: by its clerk, or by an official notice
        # its package carried (a notice's schedule has make-up working days; the one assumed
        # for a year without a notice has none), or that the city's package carries
        clerk = [year for (year,) in self.conn.execute("SELECT year FROM calendar_confirmed")]
        # a weekend the clerk made a working day is no notice's make-up day
        entered = {day for (day,) in self.conn.execute("SELECT date FROM calendar_overrides")}
        official = {
            year for year, days in known.items() if any(d not in entered for d in days["makeup"])
        }
        return WorkCalendar((), clerk, lang, PackSchedule(known, official))


class PackSchedule(PackageSchedule):
    """The schedule a pack carries for its years; the package's for any other year (a
    period asked for beyond what the window's ledger touched)."""

    def __init__(self, known: dict[int, dict], official: Iterable[int] = ()) -> None:
        self.known = known
        self.official = frozenset(official)

    def years(self, first: int, last: int) -> dict[int, dict]:
        missing = [y for y in range(first, last + 1) if y not in self.known]
        found = super().years(min(missing), max(missing)) if missing else {}
        return {y: self.known.get(y) or found[y] for y in range(first, last + 1)}

    def confirmed(self) -> frozenset[int]:
        return self.official | package_confirmed_years()


def check_packs(paths: list[Path]) -> list[Path]:
    """The packs, each checked before any is read, each window once: a missing, foreign or
    crafted file, or one window given twice, is refused before any figure is counted."""
    seen: dict[str, tuple[str, Path]] = {}
    for path in paths:
        code = str(inspect_pack(path)["window_code"])
        if code.casefold() in seen:
            first_code, first = seen[code.casefold()]
            raise BadInput("err.pack_twice", path=path, code=code, other=first)
        seen[code.casefold()] = (code, Path(path))
    return [Path(p) for p in paths]


def each_pack(paths: list[Path]) -> Iterator[Pack]:
    """The packs opened one at a time, each closed before the next is opened: a hundred and
    fifty windows cost the memory of one."""
    for path in paths:
        pack = Pack(path)
        try:
            yield pack
        finally:
            pack.close()
