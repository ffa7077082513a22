"""The ledger file (SPEC §9): the only module that speaks SQL.

One SQLite file; its schema version is `PRAGMA user_version`, read before anything is written.
Schema changes are named steps of `sqlite_utils.Migrations`, never renamed, never dropped.
Every command that records is one write transaction (`Ledger.writing`), preceded by the day's
automatic copy into `backups/`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

from ledger.calendar import Override, PackageSchedule, WorkCalendar
from ledger.errors import BadInput, LedgerFileRefused
from ledger.files import cache_folder, guard, make_folder, partial_beside
from ledger.i18n import t
from ledger.text import clean, whole_number
from ledger.timelimits import DEFAULT_LIMITS

SCHEMA_VERSION = 1
FOREVER = "9999-12-31 23:59"  # valid_until of the state now in force
BACKUPS_KEPT = 30
BUSY_TIMEOUT_MS = 15_000

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

SETTINGS_DEFAULTS: dict[str, str] = {
    "window_name": "",
    "clerk_name": "",
    **{f"limit_{name}": str(days) for name, days in DEFAULT_LIMITS.items()},
    "on_time_threshold": "0.9",
}


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


def validate_setting(key: str, value: str) -> str:
    """The value as it will be stored, or BadInput saying what is wrong."""
    if key not in SETTINGS_DEFAULTS:
        raise BadInput("err.bad_setting", key=key, choices=", ".join(SETTINGS_DEFAULTS))
    value = clean(value, f"settings.{key}", required=False) or ""
    if key.startswith("limit_"):
        return str(whole_number(value, 0, 365, f"settings.{key}"))
    if key == "on_time_threshold":
        if not re.fullmatch(r"[0-9]*\.?[0-9]+", value) or not 0 <= float(value) <= 1:
            raise BadInput("err.bad_number", value=value, about="0 … 1")
        return str(float(value))
    return value


def default_path() -> Path:
    """--db, else $LEDGER_DB, else ledger.db in the user's application directory."""
    env = os.environ.get("LEDGER_DB")
    if env:
        return Path(env)
    import typer  # the one place that knows the platform's application folder

    return Path(typer.get_app_dir("ledger")) / "ledger.db"


def _inspect(path: Path) -> None:
    """Refuse a file that is not a ledger of this or an older version, without writing."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise LedgerFileRefused("err.file_damaged", path=path, detail=error) from None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        ours = (
            "_sqlite_migrations" in tables
            and conn.execute(
                "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = 'ledger'"
            ).fetchone()[0]
        )
    except sqlite3.DatabaseError as error:
        raise LedgerFileRefused("err.file_damaged", path=path, detail=error) from None
    finally:
        conn.close()
    if tables and not ours:
        raise LedgerFileRefused("err.file_foreign", path=path)
    if version > SCHEMA_VERSION:
        raise LedgerFileRefused(
            "err.file_newer", path=path, found=version, supported=SCHEMA_VERSION
        )


# SQLite's primary result codes (sqlite3 errors carry them as `sqlite_errorcode`)
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26


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
        return LedgerFileRefused("err.file_io", path=path, detail=text)
    if code == SQLITE_CANTOPEN:
        return LedgerFileRefused("err.file_cannot_open", path=path, detail=text)
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return LedgerFileRefused("err.file_damaged", path=path, detail=text)
    return LedgerFileRefused("err.db", detail=text)


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
        self.path = folder / f"calendar-holidays-{holidays_version()}.json"
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
        except OSError:
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
    """An open ledger file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self._open()
        except sqlite3.Error as error:
            raise translate(error, self.path) from None

    def _open(self) -> None:
        fresh = not self.path.exists() or self.path.stat().st_size == 0
        if not fresh:
            _inspect(self.path)
        elif not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.db = sqlite_utils.Database(self.conn)
        if self.user_version() < SCHEMA_VERSION:
            self._migrate()

    def _migrate(self) -> None:
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            # another terminal may have migrated while this one waited for the lock
            if self.user_version() < SCHEMA_VERSION:
                migrations.apply(self.db)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def user_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self.conn.close()

    # -- transactions and copies ----------------------------------------------------------

    @contextlib.contextmanager
    def writing(self, commit: bool = True) -> Iterator[Ledger]:
        """One command's changes: all of them, or none (`commit=False`: a dry run)."""
        try:
            if commit:
                self.daily_backup()
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise translate(error, self.path) from None
        try:
            yield self
            self.conn.execute("COMMIT" if commit else "ROLLBACK")
        except sqlite3.Error as error:
            self._undo()
            raise translate(error, self.path) from None
        except BaseException:
            self._undo()
            raise

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
            yield self
        except sqlite3.Error as error:
            raise translate(error, self.path) from None
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    @property
    def backup_dir(self) -> Path:
        return self.path.parent / "backups"

    def daily_backup(self, today: dt.date | None = None) -> Path | None:
        """Before the first change of a day, copy the ledger into backups/ (keep the last 30)."""
        today = today or dt.date.today()
        target = self.backup_dir / f"{self.path.stem}-{today.isoformat()}.db"
        if target.exists():
            return None
        # once a day, before the copy: a damaged file is refused before anything is written,
        # and never copied over as a good day's backup
        problems = [r[0] for r in self.conn.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise LedgerFileRefused("err.file_damaged", path=self.path, detail=problems[0])
        try:
            self.backup_dir.mkdir(exist_ok=True)
            self.backup(target)
            copies = sorted(self.backup_dir.glob(f"{self.path.stem}-????-??-??.db"))
            for old in copies[:-BACKUPS_KEPT]:
                old.unlink()
        except OSError as error:
            raise LedgerFileRefused(
                "err.backup_failed", path=self.backup_dir, detail=error.strerror or error
            ) from None
        return target

    def backup_now(self, target: Path | None = None) -> Path:
        """`ledger backup [PATH]`: a copy now, never over an existing file."""
        if target is None:
            self.backup_dir.mkdir(exist_ok=True)
            stamp = dt.datetime.now().strftime("%Y-%m-%dT%H%M%S")
            target = self.backup_dir / f"{self.path.stem}-{stamp}.db"
        else:
            if target.is_dir():
                target = target / f"{self.path.stem}-{dt.datetime.now():%Y-%m-%dT%H%M%S}.db"
            # a copy the clerk names goes anywhere but onto the ledger or among its own copies
            target = guard(target, self.path)
        if target.exists():
            raise BadInput("err.backup_target_exists", path=target)
        try:
            return self.backup(target)
        except sqlite3.Error as error:
            raise translate(error, target) from None

    def restore(self, source: Path) -> Path:
        """Put a backup in the ledger's place: the backup is checked first, the ledger as it
        is now is kept in backups/, then the backup's content replaces it in one step."""
        source = Path(source)
        if not source.exists():
            raise BadInput("err.file_missing", path=source)
        _inspect(source)
        try:
            check = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
            try:
                result = [r[0] for r in check.execute("PRAGMA integrity_check")]
                if not check.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name = 'cases'"
                ).fetchone()[0]:
                    raise LedgerFileRefused("err.file_foreign", path=source)
            finally:
                check.close()
        except sqlite3.DatabaseError as error:
            raise LedgerFileRefused("err.file_damaged", path=source, detail=error) from None
        if result != ["ok"]:
            raise LedgerFileRefused("err.file_damaged", path=source, detail=result[0])
        stamp = dt.datetime.now().strftime("%Y-%m-%dT%H%M%S")
        self.backup_dir.mkdir(exist_ok=True)
        kept = self.backup(self.backup_dir / f"{self.path.stem}-before-restore-{stamp}.db")
        src = sqlite3.connect(source)
        try:
            src.backup(self.conn)
        except sqlite3.Error as error:
            raise translate(error, self.path) from None
        finally:
            src.close()
        return kept

    def backup(self, target: Path) -> Path:
        """A consistent copy made with SQLite's online backup, written under a temporary
        name first so that a half-written copy never looks like a good one."""
        # two terminals may copy at the same moment: each writes its own partial file
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        dest = sqlite3.connect(partial)
        try:
            self.conn.backup(dest)
        finally:
            dest.close()
        os.replace(partial, target)
        return target

    # -- settings -------------------------------------------------------------------------

    def settings(self) -> dict[str, str]:
        stored = {r[0]: r[1] for r in self.conn.execute("SELECT key, value FROM settings")}
        return {**SETTINGS_DEFAULTS, **stored}

    def set_setting(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def limits(self) -> dict[str, int]:
        settings = self.settings()
        return {name: int(settings[f"limit_{name}"]) for name in DEFAULT_LIMITS}

    # -- calendar -------------------------------------------------------------------------

    def calendar(self, lang: str | None = None) -> WorkCalendar:
        overrides = [
            Override(dt.date.fromisoformat(d), bool(w), n)
            for d, w, n in self.conn.execute("SELECT date, working, name FROM calendar_overrides")
        ]
        confirmed = [r[0] for r in self.conn.execute("SELECT year FROM calendar_confirmed")]
        return WorkCalendar(overrides, confirmed, lang, CachedSchedule(cache_folder(self.path)))

    def set_override(self, day: dt.date, working: bool, name: str | None, at: str) -> None:
        self.conn.execute(
            "INSERT INTO calendar_overrides (date, working, name, entered_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (date) DO UPDATE SET working = excluded.working, name = excluded.name, "
            "entered_at = excluded.entered_at",
            (day.isoformat(), int(working), name, at),
        )

    def clear_override(self, day: dt.date) -> bool:
        cursor = self.conn.execute(
            "DELETE FROM calendar_overrides WHERE date = ?", (day.isoformat(),)
        )
        return cursor.rowcount > 0

    def confirm_year(self, year: int, at: str) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO calendar_confirmed (year, confirmed_at) VALUES (?, ?)",
            (year, at),
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

    def check(self) -> tuple[list[str], dict[str, int]]:
        """SQLite's integrity check, then the ledger's own consistency checks."""
        try:
            rows = [r[0] for r in self.conn.execute("PRAGMA integrity_check")]
            if rows != ["ok"]:
                return [t("check.integrity", detail="; ".join(rows[:5]))], {}
            problems = [
                t("check.integrity", detail=f"foreign key {r[0]} → {r[2]}")
                for r in self.conn.execute("PRAGMA foreign_key_check")
            ]
            problems += self._consistency_problems()
            counts = {
                "cases": self.conn.execute("SELECT count(*) FROM cases").fetchone()[0],
                "events": self.conn.execute("SELECT count(*) FROM events").fetchone()[0],
            }
        except sqlite3.DatabaseError as error:
            return [t("check.integrity", detail=str(error))], {}
        return problems, counts

    def _consistency_problems(self) -> list[str]:
        """A case whose row, timeline and as-of index disagree; an open deadline that is not
        a working day (a later override can cause that)."""
        problems = [
            t("check.case_no_events", case=r[0])
            for r in self.conn.execute(
                "SELECT id FROM cases c WHERE NOT EXISTS "
                "(SELECT 1 FROM events e WHERE e.case_id = c.id)"
            )
        ]
        problems += [
            t("check.case_status", case=r[0], status=r[1], timeline=r[2])
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
        problems += [
            t("check.state_gap", case=r[0])
            for r in self.conn.execute(
                f"SELECT c.id FROM cases c LEFT JOIN states s ON s.case_id = c.id "
                f"AND s.valid_until = '{FOREVER}' WHERE s.id IS NULL OR s.status != c.status "
                "OR s.deadline IS NOT c.deadline OR s.chase_count != c.chase_count "
                "OR s.department_id IS NOT c.department_id"
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

    def department_named(self, name: str) -> dict | None:
        row = self.conn.execute(
            "SELECT id, name, kind, floor, phone FROM departments WHERE name = ?", (name,)
        ).fetchone()
        return (
            None
            if row is None
            else dict(zip(("id", "name", "kind", "floor", "phone"), row, strict=True))
        )

    def add_department(self, name: str, kind: str, floor: str | None, phone: str | None) -> int:
        cursor = self.conn.execute(
            "INSERT INTO departments (name, kind, floor, phone) VALUES (?, ?, ?, ?)",
            (name, kind, floor, phone),
        )
        return cursor.lastrowid

    def rename_department(self, department_id: int, new_name: str) -> None:
        self.conn.execute("UPDATE departments SET name = ? WHERE id = ?", (new_name, department_id))

    # -- cases ----------------------------------------------------------------------------

    def next_case_id(self, year: int) -> tuple[str, int]:
        """The next id of a year; called inside the write transaction, so two terminals
        never take the same one, and since no case is ever deleted none is reused."""
        seq = self.conn.execute(
            "SELECT coalesce(max(seq), 0) + 1 FROM cases WHERE year = ?", (year,)
        ).fetchone()[0]
        return f"{year}-{seq:04d}", seq

    def insert_case(self, row: dict) -> None:
        row = _to_row(row)
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.conn.execute(f"INSERT INTO cases ({columns}) VALUES ({marks})", tuple(row.values()))

    def update_case(self, case_id: str, changes: dict) -> None:
        if not changes:
            return
        row = _to_row(changes)
        assignments = ", ".join(f"{column} = ?" for column in row)
        self.conn.execute(f"UPDATE cases SET {assignments} WHERE id = ?", (*row.values(), case_id))

    def case(self, case_id: str) -> dict | None:
        rows = self._cases("WHERE c.id = ?", (case_id,))
        return rows[0] if rows else None

    def cases_where(self, where: str, params: tuple, order: str = "", limit: str = "") -> list:
        return self._cases(where, params, order, limit)

    def _cases(self, where: str, params: tuple, order: str = "", limit: str = "") -> list[dict]:
        cursor = self.conn.execute(
            f"SELECT c.*, d.name AS department FROM cases c "
            f"LEFT JOIN departments d ON d.id = c.department_id {where} {order} {limit}",
            params,
        )
        names = [column[0] for column in cursor.description]
        return [_from_row(dict(zip(names, row, strict=True))) for row in cursor]

    def iter_cases(self, where: str = "", params: tuple = (), order: str = "") -> Iterator[dict]:
        """Cases one at a time, for streaming an export of any size."""
        cursor = self.conn.execute(
            f"SELECT c.*, d.name AS department FROM cases c "
            f"LEFT JOIN departments d ON d.id = c.department_id {where} {order}",
            params,
        )
        names = [column[0] for column in cursor.description]
        for row in cursor:
            yield _from_row(dict(zip(names, row, strict=True)))

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
            # LIKE, not FTS5: its trigram tokenizer cannot find a two-character Chinese word
            words = filters["search"].split()
            for word in words:
                escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                clauses.append(
                    "("
                    + " OR ".join(
                        f"c.{column} LIKE ? ESCAPE '\\'"
                        for column in ("applicant", "matter", "cause", "method", "outcome")
                    )
                    + ")"
                )
                params.extend([f"%{escaped}%"] * 5)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        total = self.count(where, tuple(params))
        order = "ORDER BY c.received_at DESC, c.year DESC, c.seq DESC"
        rows = self._cases(where, tuple(params), order, f"LIMIT {int(limit)}" if limit else "")
        return rows, total

    def same_applicant(self, case_id: str | None, applicant: str, contact: str | None) -> list:
        """Earlier cases of the same person or phone (void ones left out)."""
        rows = self.conn.execute(
            "SELECT id FROM cases WHERE status != 'void' AND id IS NOT ? AND "
            "(applicant = ? OR (? IS NOT NULL AND ? != '' AND contact = ?)) "
            "ORDER BY received_at, year, seq",
            (case_id, applicant, contact, contact, contact),
        )
        return [r[0] for r in rows]

    def all_case_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM cases")}

    def case_ids(self, prefix: str = "", limit: int = 50) -> list[str]:
        rows = self.conn.execute(
            "SELECT id FROM cases WHERE id LIKE ? ORDER BY year DESC, seq DESC LIMIT ?",
            (f"{prefix}%", limit),
        )
        return [r[0] for r in rows]

    # -- the timeline and the as-of index -------------------------------------------------

    def append_event(self, event: dict) -> None:
        columns = ", ".join(event)
        marks = ", ".join("?" for _ in event)
        self.conn.execute(f"INSERT INTO events ({columns}) VALUES ({marks})", tuple(event.values()))

    def latest_event_at(self, case_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT at FROM events WHERE case_id = ? ORDER BY id DESC LIMIT 1", (case_id,)
        ).fetchone()
        return row[0] if row else None

    def last_event_at(self, case_id: str, action: str) -> str | None:
        row = self.conn.execute(
            "SELECT at FROM events WHERE case_id = ? AND action = ? ORDER BY id DESC LIMIT 1",
            (case_id, action),
        ).fetchone()
        return row[0] if row else None

    def timeline(self, case_id: str) -> list[dict]:
        cursor = self.conn.execute(
            "SELECT e.at, e.action, e.status_from, e.status_to, e.note, e.field, e.old_value, "
            "e.new_value, e.days, d.name AS department, e.deadline, e.chase_count, e.feedback_due "
            "FROM events e LEFT JOIN departments d ON d.id = e.department_id "
            "WHERE e.case_id = ? ORDER BY e.id",
            (case_id,),
        )
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def push_state(self, case_id: str, at: str, change: str, state: dict) -> None:
        """Close the state in force and open the new one from `at`."""
        self.conn.execute(
            "UPDATE states SET valid_until = ? WHERE case_id = ? AND valid_until = ?",
            (at, case_id, FOREVER),
        )
        self.conn.execute(
            "INSERT INTO states (case_id, valid_from, change, status, department_id, deadline, "
            "chase_count, feedback_due, resolution, satisfaction) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                case_id,
                at,
                change,
                state["status"],
                state.get("department_id"),
                state.get("deadline"),
                state.get("chase_count") or 0,
                state.get("feedback_due"),
                state.get("resolution"),
                state.get("satisfaction"),
            ),
        )

    # -- the as-of index, for reports ----------------------------------------------------

    _AS_OF_COLUMNS = (
        "s.case_id AS id, s.status, s.deadline, s.chase_count, s.feedback_due, s.resolution, "
        "s.satisfaction, s.valid_from, s.change, d.name AS department, d.floor, d.phone, "
        "c.received_at, c.applicant, c.contact, c.matter, c.channel, c.problem, c.sections, "
        "c.cause, c.outcome, c.time_limit AS 'limit'"
    )
    _AS_OF_JOINS = (
        "JOIN cases c ON c.id = s.case_id LEFT JOIN departments d ON d.id = s.department_id"
    )

    def _as_of_rows(self, where: str, params: tuple) -> list[dict]:
        cursor = self.conn.execute(
            f"SELECT {self._AS_OF_COLUMNS} FROM states s {self._AS_OF_JOINS} "
            f"WHERE c.status != 'void' AND {where}",
            params,
        )
        names = [column[0] for column in cursor.description]
        rows = []
        for row in cursor:
            item = dict(zip(names, row, strict=True))
            item["sections"] = item["sections"].split(",") if item["sections"] else []
            rows.append(item)
        return rows

    def states_as_of(self, moment: str, statuses: tuple[str, ...]) -> list[dict]:
        """The cases in one of `statuses` at `moment`, with what was in force then.
        Void cases are left out whatever the date (SPEC §5)."""
        marks = ", ".join("?" for _ in statuses)
        return self._as_of_rows(
            f"s.status IN ({marks}) AND s.valid_until > ? AND s.valid_from <= ?",
            (*statuses, moment, moment),
        )

    def states_as_of_cases(self, moment: str, case_ids: list[str]) -> list[dict]:
        """The state in force at `moment` of each of the given cases."""
        found: list[dict] = []
        for start in range(0, len(case_ids), 500):
            chunk = case_ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            found += self._as_of_rows(
                f"s.case_id IN ({marks}) AND s.valid_until > ? AND s.valid_from <= ?",
                (*chunk, moment, moment),
            )
        return found

    def changes_between(self, changes: tuple[str, ...], start: str, end: str) -> list[dict]:
        """States that began by one of `changes` between two moments (both included)."""
        marks = ", ".join("?" for _ in changes)
        return self._as_of_rows(
            f"s.change IN ({marks}) AND s.valid_from BETWEEN ? AND ?", (*changes, start, end)
        )

    def received_between(self, start: str, end: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT id FROM cases WHERE status != 'void' AND received_at BETWEEN ? AND ? "
            "ORDER BY received_at, year, seq",
            (start, end),
        )
        return [r[0] for r in rows]

    # -- import ---------------------------------------------------------------------------

    def case_by_content(self, received_day: str, applicant: str, matter: str) -> dict | None:
        """The case already taken in on that day from that applicant about that matter."""
        rows = self._cases(
            "WHERE c.applicant = ? AND c.matter = ? AND c.received_at >= ? AND c.received_at <= ?",
            (applicant, matter, received_day, f"{received_day} 23:59"),
            "ORDER BY c.year, c.seq",
            "LIMIT 1",
        )
        return rows[0] if rows else None

    def make_room_for_bulk(self) -> None:
        """A larger page cache while thousands of rows go in (index pages stay in memory)."""
        self.conn.execute("PRAGMA cache_size = -32768")

    def insert_imported(self, cases: list[dict], events: list[dict], states: list[dict]) -> None:
        """Many cases at once, with their `imported` events and reconstructed states."""
        if not cases:
            return
        rows = [_to_row(case) for case in cases]
        for table, items in (("cases", rows), ("events", events), ("states", states)):
            columns = [c for c in items[0] if not c.startswith("_")]
            self.conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join(':' + c for c in columns)})",
                items,
            )

    def iter_export(
        self, start: dt.date | None, end: dt.date | None, status: str | None
    ) -> Iterator[dict]:
        """Cases for `ledger export`, oldest first: with a period, those received or changed
        by any event in it."""
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
        return self.iter_cases(where, tuple(params), "ORDER BY c.year, c.seq")


def _to_row(case: dict) -> dict:
    """Domain values as stored: lists as comma-separated codes, the limit as time_limit."""
    row = {}
    for key, value in case.items():
        if key == "department":
            continue
        if key == "sections":
            value = ",".join(value) if value else None
        elif key == "extensions":
            value = json.dumps(value, ensure_ascii=False) if value else None
        elif key == "limit":
            key = "time_limit"
        row[key] = value
    return row


def _from_row(row: dict) -> dict:
    row["limit"] = row.pop("time_limit")
    row["sections"] = row["sections"].split(",") if row["sections"] else []
    row["extensions"] = json.loads(row["extensions"]) if row["extensions"] else []
    return row
