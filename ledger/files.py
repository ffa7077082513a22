"""Every file the ledger writes beside the SQLite file itself, and the rules for writing them.

SPEC §9: no output may land on the ledger, its `-wal`/`-shm`, or anything in `backups/`; an
existing file is replaced only whole (written beside it, then renamed), so a failed write leaves
the old file as it was and no partial file behind; on POSIX what the ledger creates is readable
by its owner only. A refusal or an operating-system error becomes one clerk's line
(`LedgerError`), naming the path and what to do.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TypeVar

from ledger.errors import BadInput, LedgerError
from ledger.patterns import lazy_pattern

BACKUPS = "backups"
CACHE = ".ledger-cache"
COMPANIONS = ("-wal", "-shm", "-journal")
DAMAGE_SUFFIX = ".damaged"  # the note that the ledger was found damaged (`damage_note`)
FILE_MODE = 0o600
FOLDER_MODE = 0o700

T = TypeVar("T")


def ledger_path(given: str) -> Path:
    """A ledger's path as the clerk gives it: `~` is the clerk's home, in $LEDGER_DB too (a
    quoted `~/ledger.db` in a shortcut made a folder named `~` wherever the window was, and a
    ledger of its own in each)."""
    return Path(os.path.expanduser(given))


def backup_folder(ledger_path: Path) -> Path:
    """`backups/` beside the file itself: a ledger opened through a link has one folder of
    copies, named and counted as the file (SQLite keeps its log there too)."""
    return Path(os.path.realpath(ledger_path)).parent / BACKUPS


def copy_stem(ledger_path: Path) -> str:
    """What the ledger's copies are named after: the file's own name, not a link's, less a
    `.db` ending only. Two ledgers in one folder whose names differ in their ending alone
    (台账.db, 台账.sqlite) keep copies of their own: named alike, one ledger's copy would be
    taken for the other's day and restored over it. (x.db beside x.DB, or x.sqlite beside
    x.sqlite.db, still share a name: a ledger's copies keep the names they had.)"""
    real = Path(os.path.realpath(ledger_path))
    if real.suffix.lower() == ".db":
        return real.stem
    return real.name if real.suffix else f"{real.name}."


def in_backups(path: Path) -> bool:
    """Whether a ledger path is one of the ledger's own copies, as named or where it truly
    lies (a link to a copy, a folder linked to `backups/`, `backups/x/..`): a copy is read,
    never changed."""
    return Path(path).parent.name == BACKUPS or Path(os.path.realpath(path)).parent.name == BACKUPS


def other_names(path: Path) -> int:
    """How many other names (hard links) the file at `path` has. SQLite keeps a file's log
    beside the name it was opened by, so two names mean two logs — and one of the names may
    be a copy in `backups/` (SQLite's "how to corrupt a database": multiple links)."""
    try:
        return os.stat(path).st_nlink - 1
    except OSError:
        return 0


def cache_folder(ledger_path: Path) -> Path:
    return Path(ledger_path).parent / CACHE


def _same(a: Path, b: Path) -> bool:
    if a == b:
        return True
    with contextlib.suppress(OSError):
        return a.exists() and b.exists() and os.path.samefile(a, b)
    return False


def guard(target: Path, ledger_path: Path | None) -> Path:
    """The target as an absolute path, once it is known to be a place an output may go."""
    target = Path(os.path.abspath(target))
    kind = _kind(target)
    if kind is not None and not (stat.S_ISCHR(kind) or stat.S_ISFIFO(kind)):
        raise BadInput("err.out_special", path=target)  # a disk, a socket: never written
    if kind is None and target.is_symlink() and not is_stream(target):
        # a link to a file is followed, as `cp` follows one: the file is written and the
        # link stays (replacing the name would put a file where the clerk keeps a link)
        target = Path(os.path.realpath(target))
        if target.is_symlink():  # links that lead round to themselves: no file to write
            raise BadInput("err.out_link_loop", path=target)
    if target.is_dir():
        raise BadInput("err.out_is_folder", path=target)
    if target.name != target.name.rstrip(" ."):
        # Windows drops a name's trailing spaces and dots: `w.xlsx ` would be CSV in `w.xlsx`
        raise BadInput("err.out_name_trailing", path=target)
    if not target.parent.is_dir():
        # a path through a file (cases.csv/x.csv) names the file, not a missing folder
        for above in target.parents:
            if above.is_file():
                raise BadInput("err.out_through_file", path=above)
        raise BadInput("err.out_no_folder", path=target.parent)
    if ledger_path is not None:
        real = Path(os.path.realpath(target))
        # the ledger as named and as it really is: SQLite keeps its log beside the real file
        ledgers = {Path(os.path.abspath(ledger_path)), Path(os.path.realpath(ledger_path))}
        # (its note of damage too: written over, a sound ledger would refuse every change,
        # or a damaged one forget when and how it was found)
        suffixes = ("", *COMPANIONS, DAMAGE_SUFFIX)
        kept = [p.with_name(p.name + suffix) for p in ledgers for suffix in suffixes]
        if any(_same(target, p) or _same(real, Path(os.path.realpath(p))) for p in kept):
            raise BadInput("err.out_is_ledger", path=target)
        for ledger in ledgers:
            for folder in (backup_folder(ledger), cache_folder(ledger)):
                if _within(real, folder):
                    raise BadInput("err.out_in_backups", path=target, folder=folder)
    _not_a_log(target)
    return target


def _within(path: Path, folder: Path) -> bool:
    """Whether `path` lies in `folder`, also through another way to the same folder (a
    mounted or mapped second path to it): the folders are compared as the system keeps them."""
    real = Path(os.path.realpath(folder))
    if real in path.parents:
        return True
    try:
        kept = real.stat()
    except OSError:
        return False  # no such folder: nothing lies in it
    if not kept.st_ino:
        return False  # a drive that numbers no file (some network drives): the path decides
    for above in path.parents:
        with contextlib.suppress(OSError):
            if os.path.samestat(above.stat(), kept):
                return True
    return False


_OPEN_FILE = lazy_pattern(r"/(?:proc/([^/]+)/fd|dev/fd)/(\d+)")


def stream_of(path: Path) -> int | None:
    """The descriptor of a stream the process already has open that `path` names
    (`/dev/stdout` → 1, `/dev/fd/3`, `/proc/self/fd/3`), as itself or through links (each
    link read where it really lies, a linked folder included); None for any other path."""
    place = str(path)
    for _ in range(40):
        found = _OPEN_FILE.fullmatch(place)
        if found and found[1] in (None, "self", "thread-self", str(os.getpid())):
            return int(found[2])
        try:
            link = os.readlink(place)
        except OSError:
            return None
        folder = os.path.realpath(os.path.dirname(place))
        place = os.path.normpath(os.path.join(folder, link))
    return None


def is_stream(path: Path) -> bool:
    """Whether `path` names a stream the process already has open (see `stream_of`)."""
    return stream_of(path) is not None


def _kind(path: Path) -> int | None:
    """The file type bits of what is at `path` when it is not a plain file or a folder
    (a device, a pipe, a socket), else None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else stat.S_IFMT(mode)


# the outputs this run has written whole: an error after them says so (the clerk must not
# believe the file was not written)
WRITTEN: list[Path] = []


def write(target: Path, fill: Callable[[IO[bytes]], T], ledger_path: Path | None = None) -> T:
    """Write an output whole: `fill` writes into a private file beside the target, which
    then takes the target's name in one step. A pipe or a character device (`/dev/null`)
    is written into as it is (renaming a file over it would take it away), a stream the
    command has open through its descriptor; its own stdout is refused."""
    target = guard(target, ledger_path)
    _not_a_database(target)
    stream = stream_of(target)
    if stream == 1:
        # the command's own output: what it says would be mixed into the file's bytes
        raise BadInput("err.out_is_stdout", path=target)
    if stream is not None:
        # written through the descriptor itself, at its own offset (opened anew, a file the
        # shell redirected it to would be written twice over from two places)
        with os_errors(target), os.fdopen(os.dup(stream), "wb") as handle:
            return fill(handle)
    if _kind(target) is not None:
        with os_errors(target), _open_in_place(target) as handle:
            return fill(handle)
    with os_errors(target), partial_beside(target) as (handle, partial):
        result = fill(handle)
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        os.replace(partial, target)
    WRITTEN.append(target)
    return result


_SQLITE_HEADER = b"SQLite format 3\x00"


def is_database(path: Path) -> bool:
    """Whether `path` is a SQLite file (a ledger, a pack, a copy of one), by its first bytes."""
    with contextlib.suppress(OSError):
        if path.is_file():
            with path.open("rb") as handle:
                return handle.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    return False


def _not_a_database(target: Path) -> None:
    """A sheet or a page is never written over a SQLite file: another window's ledger, a
    pack, a copy kept elsewhere (SPEC §9: nothing overwrites a ledger) — a slip of the
    file name, not an output to replace."""
    if is_database(target):
        raise BadInput("err.out_is_database", path=target)


def _not_a_log(target: Path) -> None:
    """Nor over a SQLite file's log, shared memory or journal: what another window's ledger
    has committed may live in its log alone until SQLite copies it in, and an output
    written there loses it."""
    name = target.name.casefold()  # (x.db-WAL is x.db's log on a disk that ignores case)
    for suffix in COMPANIONS:
        if name.endswith(suffix) and len(name) > len(suffix):
            owner = target.with_name(target.name[: -len(suffix)])
            if is_database(owner) or _is_log(target):
                raise BadInput("err.out_is_companion", path=target, database=owner)


# the first bytes of SQLite's write-ahead log (big- or little-endian checksums) and journal
_LOG_HEADERS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83", b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7")


def _is_log(path: Path) -> bool:
    with contextlib.suppress(OSError):
        if path.is_file():
            with path.open("rb") as handle:
                return handle.read(8).startswith(_LOG_HEADERS)
    return False


def write_built(target: Path, build: Callable[[Path], T], ledger_path: Path | None = None) -> T:
    """Write an output that a library writes by name (a SQLite file) under the same rules:
    `build` fills a private file beside the target, which then takes the target's name in one
    step; a build cut short leaves neither it nor a SQLite journal of it behind."""
    target = guard(target, ledger_path)
    if _kind(target) is not None or is_stream(target):
        raise BadInput("err.out_special", path=target)  # a SQLite file is a file
    no_companions(target)
    with os_errors(target), partial_beside(target) as (handle, partial):
        handle.close()
        try:
            result = build(partial)
            with open(partial, "rb+") as written:
                os.fsync(written.fileno())
            os.replace(partial, target)
        finally:
            for suffix in COMPANIONS:
                with contextlib.suppress(OSError):
                    partial.with_name(partial.name + suffix).unlink()
    WRITTEN.append(target)
    return result


def no_companions(target: Path) -> None:
    """Refuse a SQLite file written where a journal or a log lies under its name: SQLite
    reads it as the new file's own (a stray `-journal` rolled a pack back to 8 KB, a `-wal`
    showed another database's tables in its place)."""
    for suffix in COMPANIONS:
        beside = target.with_name(target.name + suffix)
        if os.path.lexists(beside):
            raise BadInput("err.out_companion_beside", path=target, other=beside)


@contextlib.contextmanager
def _open_in_place(target: Path) -> Iterator[IO[bytes]]:
    """A pipe or a device, written where it stands, and never waited on: a pipe nobody
    reads is refused at once, or the command (and with `notices --record` the ledger's
    write lock) would hang until someone came to read it."""
    waiting = getattr(os, "O_NONBLOCK", 0)  # POSIX; Windows has no FIFOs to wait on
    try:
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | waiting)
    except OSError as error:
        if error.errno == errno.ENXIO:
            raise LedgerError("err.pipe_no_reader", path=target) from None
        raise
    if waiting:
        os.set_blocking(fd, True)
    with os.fdopen(fd, "wb") as handle:
        yield handle


@contextlib.contextmanager
def partial_beside(target: Path) -> Iterator[tuple[IO[bytes], Path]]:
    """A new file (0600) next to `target`, removed again unless it was renamed into place."""
    import tempfile  # (2 ms of a start: most commands write no file)

    _sweep_dead_partials(target)
    # (the writer's process id in the name: what a killed one left is known for its own)
    prefix = f".{target.name}.{os.getpid()}-{_host()}."
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".partial", dir=target.parent)
    partial = Path(name)
    handle = os.fdopen(fd, "wb")
    try:
        yield handle, partial
    finally:
        with contextlib.suppress(OSError):  # closing flushes, and the disk may be full
            handle.close()
        with contextlib.suppress(OSError):
            partial.unlink()


def _sweep_dead_partials(target: Path) -> None:
    """Remove what a writer killed outright (`kill -9`, a power cut: nothing to clean up on)
    left in the folder `target` is written into, whatever file it was writing: a pack's
    partial file is the whole ledger before its numbers are masked, and must not stay in
    the folder the packs are sent from until a pack of the same name comes. A partial file
    whose writer runs is its writer's; one of a process of this computer that is gone, or
    one untouched for a day (another computer's, on a shared folder), is dead."""
    import re
    import time

    named = re.compile(r"\..+\.([0-9]+)-([0-9a-f]{8})\.[^.]+\.partial(?:-journal|-wal|-shm)?")
    here = _host()
    with contextlib.suppress(OSError):
        for partial in target.parent.iterdir():
            found = named.fullmatch(partial.name)
            if found is None:
                continue
            with contextlib.suppress(OSError):
                gone = found[2] == here and not _alive(int(found[1]))
                if gone or partial.stat().st_mtime < time.time() - 86_400:
                    partial.unlink()


def _host() -> str:
    """This computer, in a partial file's name beside its writer's process id (a shared
    folder holds other computers' writers, whose ids mean nothing here)."""
    import platform
    import zlib

    return f"{zlib.crc32(platform.node().encode('utf-8', 'replace')):08x}"


def _alive(pid: int) -> bool:
    """Whether the process of this id runs (a system that cannot say: taken for running)."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's: it runs
    return True


def make_folder(folder: Path) -> Path:
    """A folder the ledger keeps its own files in, private to the clerk on POSIX."""
    try:
        folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        # a path through a file (cases.csv/ledger.db): the file is named, not "File exists"
        for above in (folder, *folder.parents):
            if above.is_file():
                raise BadInput("err.out_through_file", path=above) from None
        raise
    return folder


def private(path: Path) -> None:
    """Owner-only permissions on a file the ledger made (a no-op where POSIX modes are not)."""
    with contextlib.suppress(OSError):
        os.chmod(path, FILE_MODE)


# -- the operating system's errors, as the clerk reads them -----------------------------

_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_DENIED = {errno.EACCES, errno.EPERM}
_KEYS = {
    errno.ENOENT: "err.os_missing",
    errno.EISDIR: "err.out_is_folder",
    errno.ENOTDIR: "err.os_not_folder",
    errno.EROFS: "err.os_read_only",
    errno.EPIPE: "err.os_closed",
    errno.ENAMETOOLONG: "err.os_name_too_long",
    errno.EBUSY: "err.os_in_use",
    getattr(errno, "ETXTBSY", errno.EBUSY): "err.os_in_use",
}
_WINDOWS_SHARING_VIOLATION = 32  # another program (Excel, WPS) holds the file open


def explain(error: OSError, path: object = None, reading: bool = False) -> LedgerError:
    """An OSError as one line naming the path and what to do; `reading`: the ledger was
    reading the file (an import, a pack), not writing it, and a refusal says so."""
    where = path if path is not None else (error.filename or "?")
    detail = error.strerror or str(error)
    if error.errno in _FULL:
        return LedgerError("err.os_full", path=where)
    if getattr(error, "winerror", None) == _WINDOWS_SHARING_VIOLATION:
        return LedgerError("err.os_in_use", path=where, detail=detail)
    if error.errno in _DENIED:
        return LedgerError(
            "err.os_denied_read" if reading else "err.os_denied", path=where, detail=detail
        )
    return LedgerError(_KEYS.get(error.errno, "err.os_other"), path=where, detail=detail)


@contextlib.contextmanager
def os_errors(path: object = None, reading: bool = False) -> Iterator[None]:
    """OSErrors inside become the clerk's one line about `path`."""
    try:
        yield
    except OSError as error:
        raise explain(error, path, reading) from None


# -- what is remembered beside the ledger, never in it ----------------------------------


def damage_note(ledger_path: Path) -> Path:
    """`ledger.db.damaged`: beside the file, because a damaged file cannot be trusted to
    remember that it is damaged."""
    real = Path(os.path.realpath(ledger_path))  # one note for the file, whatever its names
    return real.with_name(real.name + DAMAGE_SUFFIX)


def remember_damage(ledger_path: Path, detail: str, at: str) -> None:
    note = damage_note(ledger_path)
    if note.exists():
        return
    # in a read-only place nothing can be written, this note included
    with contextlib.suppress(OSError), partial_beside(note) as (handle, partial):
        handle.write(json.dumps({"found_at": at, "detail": detail}).encode("utf-8"))
        handle.close()
        os.replace(partial, note)


def known_damage(ledger_path: Path) -> dict | None:
    note = damage_note(ledger_path)
    if not note.exists() and not note.is_symlink():
        return None
    if not note.is_file():  # a folder, a pipe: never read (a pipe would wait for ever)
        return {"found_at": "?", "detail": "?"}
    try:
        found = json.loads(note.read_text(encoding="utf-8"))
        return {"found_at": str(found["found_at"]), "detail": str(found["detail"])}
    except (OSError, ValueError, KeyError, TypeError):
        return {"found_at": "?", "detail": "?"}  # the note itself is what matters


def forget_damage(ledger_path: Path) -> None:
    """Take the note away, whatever is there under its name (in a read-only place it stays:
    nothing can be written there anyway)."""
    note = damage_note(ledger_path)
    with contextlib.suppress(OSError):
        if note.is_dir() and not note.is_symlink():
            shutil.rmtree(note)
        else:
            note.unlink()


def fingerprint(ledger_path: Path) -> list[int] | None:
    """What changes when anything rewrites the main file: size, time, inode."""
    try:
        info = os.stat(ledger_path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def _seen_file(ledger_path: Path) -> Path:
    return cache_folder(ledger_path) / f"seen-{Path(ledger_path).name}.json"


def last_seen(ledger_path: Path) -> list[int] | None:
    """The main file as the ledger itself last left it (after a checked write or a close)."""
    try:
        found = json.loads(_seen_file(ledger_path).read_text(encoding="utf-8"))
        return found if isinstance(found, list) else None
    except (OSError, ValueError):
        return None


def remember_seen(ledger_path: Path) -> None:
    seen = fingerprint(ledger_path)
    if seen is None or seen == last_seen(ledger_path):
        return  # a command that left the file as it found it (any read) writes nothing here
    target = _seen_file(ledger_path)
    with contextlib.suppress(OSError, BadInput):  # (BadInput: `.ledger-cache` is a file)
        make_folder(target.parent)
        with partial_beside(target) as (handle, partial):
            handle.write(json.dumps(seen).encode("utf-8"))
            handle.close()
            os.replace(partial, target)


def sweep_partials(folder: Path, older_than: float = 600.0) -> None:
    """Remove what copies cut short (a killed window, a power cut) left behind, their SQLite
    journals included. A copy in progress writes its partial file all the time; one untouched
    for ten minutes is dead."""
    import time

    cutoff = time.time() - older_than
    for partial in folder.glob("*.partial*"):
        with contextlib.suppress(OSError):
            if partial.stat().st_mtime < cutoff:
                partial.unlink()


def place_is_writable(ledger_path: Path) -> bool:
    """Whether the ledger (and the folder its companions go in) can be written here."""
    path = Path(ledger_path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(folder, os.W_OK)


def claim_name(path: Path) -> Path:
    """`path`, or `path` with -2, -3 … before its suffix, taken at once as an empty file of
    our own (two windows at the same second get two names): a copy never replaces another."""
    candidate, n = path, 1
    while True:
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))
            return candidate
        except FileExistsError:
            n += 1
            candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
