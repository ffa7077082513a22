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
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TypeVar

from ledger.errors import BadInput, LedgerError

BACKUPS = "backups"
CACHE = ".ledger-cache"
COMPANIONS = ("-wal", "-shm", "-journal")
FILE_MODE = 0o600
FOLDER_MODE = 0o700

T = TypeVar("T")


def backup_folder(ledger_path: Path) -> Path:
    return Path(ledger_path).parent / BACKUPS


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
    if target.is_dir():
        raise BadInput("err.out_is_folder", path=target)
    if not target.parent.is_dir():
        raise BadInput("err.out_no_folder", path=target.parent)
    if ledger_path is not None:
        ledger = Path(os.path.abspath(ledger_path))
        real = Path(os.path.realpath(target))
        kept = [ledger, *(ledger.with_name(ledger.name + s) for s in COMPANIONS)]
        if any(_same(target, p) or _same(real, Path(os.path.realpath(p))) for p in kept):
            raise BadInput("err.out_is_ledger", path=target)
        for folder in (backup_folder(ledger), cache_folder(ledger)):
            inside = Path(os.path.realpath(folder))
            if inside in real.parents:
                raise BadInput("err.out_in_backups", path=target, folder=folder)
    return target


def write(target: Path, fill: Callable[[IO[bytes]], T], ledger_path: Path | None = None) -> T:
    """Write an output whole: `fill` writes into a private file beside the target, which
    then takes the target's name in one step."""
    target = guard(target, ledger_path)
    with os_errors(target), partial_beside(target) as (handle, partial):
        result = fill(handle)
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        os.replace(partial, target)
    return result


@contextlib.contextmanager
def partial_beside(target: Path) -> Iterator[tuple[IO[bytes], Path]]:
    """A new file (0600) next to `target`, removed again unless it was renamed into place."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    partial = Path(name)
    handle = os.fdopen(fd, "wb")
    try:
        yield handle, partial
    finally:
        with contextlib.suppress(OSError):  # closing flushes, and the disk may be full
            handle.close()
        with contextlib.suppress(OSError):
            partial.unlink()


def make_folder(folder: Path) -> Path:
    """A folder the ledger keeps its own files in, private to the clerk on POSIX."""
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
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


def explain(error: OSError, path: object = None) -> LedgerError:
    """An OSError as one line naming the path and what to do."""
    where = path if path is not None else (error.filename or "?")
    detail = error.strerror or str(error)
    if error.errno in _FULL:
        return LedgerError("err.os_full", path=where)
    if getattr(error, "winerror", None) == _WINDOWS_SHARING_VIOLATION:
        return LedgerError("err.os_in_use", path=where, detail=detail)
    if error.errno in _DENIED:
        return LedgerError("err.os_denied", path=where, detail=detail)
    return LedgerError(_KEYS.get(error.errno, "err.os_other"), path=where, detail=detail)


@contextlib.contextmanager
def os_errors(path: object = None) -> Iterator[None]:
    """OSErrors inside become the clerk's one line about `path`."""
    try:
        yield
    except OSError as error:
        raise explain(error, path) from None
