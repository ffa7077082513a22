"""Other processes that read and check a large CSV sheet while this one writes it.

An import of 100,000 rows is mostly Python: reading the cells, checking each, making the
case's history and rows (about two thirds of the time), and SQLite writing them (the rest).
A machine with two cores can do both at once: two readers each read the file after the header
that this one found, run the same `sheets.RowReader` on their share of the rows (runs of
`sheets.BATCH` records in turn) and send what they read (pickled, a batch at a time) back
through a pipe; this one merges the two into the file's order, places the rows (duplicates,
cases already in the ledger) and writes them, as it would have read them itself. The
ledger's file is opened by this process alone.

Nothing of it is the clerk's to see: a reader says it is ready before it reads a row, and when
one cannot be started or made ready the import reads the file itself; when one stops
half-way (killed, out of memory) the import is refused and nothing is written. Workbooks and
small files are read here (a reader costs a Python start-up, ~0.2 s).
"""

from __future__ import annotations

import contextlib
import heapq
import operator
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ledger.sheets import ReadRow, RowReader

WORTH_IT = 2 << 20  # bytes of CSV from which readers pay for their start (~5,000 rows)
_BATCH = 1000  # rows a message
READERS = 2  # processes reading a file beside this one


class Place(NamedTuple):
    """Where the rows of a CSV file are: the file, its encoding, the line of its header and
    the header's columns (index → field), and whether its cells carry the formula guard."""

    path: Path
    encoding: str
    header_line: int
    mapping: dict[int, str]
    columns: tuple  # the header's `sheets.ColumnsRead`, as a plain tuple
    guarded: bool
    identity: tuple  # the file as this process opened it (`sheets.file_identity`)
    delimiter: str = ","  # what separates its cells (`sheets.delimiter_of`)


def worth_it(path: Path) -> bool:
    """Whether a CSV file is large enough, and the machine able, to read it beside. (A
    ledger frozen into one program has no Python of its own to start a reader with.)"""
    if getattr(sys, "frozen", False) or (os.cpu_count() or 1) < 2:
        return False
    try:
        return path.stat().st_size >= WORTH_IT
    except OSError:
        return False


# the second process: the package's folder first on its path, so it runs this very code
_START = "import sys; sys.path.insert(0, sys.argv[1]); from ledger.readahead import serve; serve()"


def read_beside(
    reader: RowReader, place: Place, progress: Callable[[int], None] | None
) -> Iterator[ReadRow | tuple[int, str]] | None:
    """The rows `reader.rows` would give for `place`, read by `READERS` other processes,
    each a share of the file's rows, merged back into the file's order; None when they
    cannot all be started and made ready (the caller then reads the rows itself)."""
    from ledger import sheets
    from ledger.i18n import language

    home = str(Path(__file__).resolve().parent.parent)
    started: list[subprocess.Popen] = []
    try:
        for part in range(READERS):
            process = subprocess.Popen(
                # this Python's own flags (-I, -E, -s, -O: what it ignores, the reader
                # ignores), and -P: no folder of the clerk's (the current one) first
                [sys.executable, *_flags(), "-P", "-c", _START, home],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            started.append(process)
            share = (part, READERS, sheets.BATCH)
            pickle.dump((language(), _setup(reader), place, share), process.stdin)
            process.stdin.close()
        # a reader says it is ready once it has what it needs (the ledger's code among it):
        # one that cannot start — a Python that is not this one, a package it cannot
        # import — has read nothing yet, so the file can still be read here
        for process in started:
            if pickle.load(process.stdout) != ("ready",):
                raise ValueError("not ready")
    except Exception:  # whatever it was, nothing is read yet: read here
        _stop(started)
        return None
    except BaseException:
        _stop(started)
        raise
    return _merged(started, reader, place, progress)


def _merged(
    started: list[subprocess.Popen],
    reader: RowReader,
    place: Place,
    progress: Callable[[int], None] | None,
) -> Iterator[ReadRow | tuple[int, str]]:
    from ledger import sheets
    from ledger.errors import BadInput

    made = sheets.ReadRow._make
    counted = {}  # each reader's rows skipped (blank, total, header, title), years added …
    shown = [0]  # the most records any reader has passed, for the progress bar

    def received(part: int, process: subprocess.Popen) -> Iterator:
        while True:
            try:
                kind, *payload = pickle.load(process.stdout)
            except Exception:  # an end or garbage: the reader is gone
                raise BadInput("err.reader_stopped", path=place.path) from None
            if kind == "rows":
                rows, count, counted[part], years, unnamed = payload
                reader.unnamed_filled.update(unnamed)
                totals = map(sum, zip(*counted.values(), strict=True))
                for name, total in zip(sheets.SKIPPED_AND_DATED, totals, strict=True):
                    setattr(reader, name, total)
                reader.cal.touched_years.update(years)
                yield from (row if len(row) == 2 else made(row) for row in rows)
                if progress and count > shown[0]:
                    shown[0] = count
                    progress(count)
            elif kind == "refused":
                raise _refusal(*payload)
            else:
                return

    try:
        streams = [received(part, process) for part, process in enumerate(started)]
        yield from heapq.merge(*streams, key=operator.itemgetter(0))
    finally:
        _stop(started)


def _stop(started: list[subprocess.Popen]) -> None:
    for process in started:
        with contextlib.suppress(OSError):
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            with contextlib.suppress(OSError):
                stream.close()


def _flags() -> list[str]:
    """The command-line flags this Python was started with, as `multiprocessing` gives them
    to its own workers."""
    flags = getattr(subprocess, "_args_from_interpreter_flags", None)
    return flags() if flags else []


def _setup(reader: RowReader) -> tuple:
    """What a `RowReader` is made of, to make the same one in the second process."""
    return (
        reader.cal,
        reader.limits,
        list(reader.departments),
        reader.add_departments,
        reader.now,
        reader.today,
        reader.year,
        reader.lean,
        reader.year_given,
        reader.turn,
        reader.limits_until,
    )


def _refusal(kind: str, key: str, fields: dict) -> Exception:
    from ledger import errors

    error_class = getattr(errors, kind, errors.LedgerError)
    return error_class(key, **fields)


# -- the second process -------------------------------------------------------------------


def serve() -> None:
    """Read the setup from stdin, send the rows read to stdout (see `read_beside`)."""
    with contextlib.suppress(KeyboardInterrupt, BrokenPipeError):  # the first process says why
        _serve(sys.stdin.buffer, sys.stdout.buffer)
    sys.stdout = None  # nothing more to flush into a pipe that may be gone


def _serve(given, sent) -> None:
    from ledger import sheets
    from ledger.calendar import WorkCalendar
    from ledger.errors import LedgerError
    from ledger.i18n import set_language

    lang, setup, place, share = pickle.load(given)
    set_language(lang)
    cal: WorkCalendar = setup[0]
    if hasattr(cal.schedule, "writable"):
        cal.schedule.writable = False  # the calendar's cache is the first process's to write
    reader = sheets.RowReader(*setup)
    reader.columns = sheets.ColumnsRead(*place.columns)

    out = sent.fileno()

    def send(*message: object) -> None:
        # every byte, written until it is out: a write to a pipe cut short (the process
        # stopped by Ctrl-Z and continued) must not drop the rest of the message
        data = memoryview(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
        while data:
            data = data[os.write(out, data) :]

    # the very file the first process opened, as it was, or none: a file saved over (or
    # removed) since is left to the first process, which reads what it opened
    try:
        opened = place.path.open("rb")
    except OSError:
        return
    if sheets.file_identity(opened) != place.identity:
        opened.close()
        return
    send("ready")

    counted = [0]

    def note(count: int) -> None:
        counted[0] = count

    def counts() -> tuple:
        return tuple(getattr(reader, name) for name in sheets.SKIPPED_AND_DATED)

    try:
        every = sheets.read_rows(place.path, place.encoding, opened, place.delimiter)
        after = (row for row in every if row[0] > place.header_line)
        rows = sheets._reading(after, place.path)
        cells_of = sheets._cells_reader(place.mapping, place.guarded)
        batch: list = []
        for read in reader.rows(rows, cells_of, note, share):
            batch.append(tuple(read))  # a plain tuple pickles in half the time of a ReadRow
            if len(batch) >= _BATCH:
                send("rows", batch, counted[0], counts(), cal.touched_years, reader.unnamed_filled)
                batch = []
        send("rows", batch, counted[0], counts(), cal.touched_years, reader.unnamed_filled)
        send("end")
    except UnicodeDecodeError:
        error = sheets.decoding_refused(place.path, place.encoding)
        send("refused", type(error).__name__, error.key, error.fields)
    except LedgerError as error:
        send("refused", type(error).__name__, error.key, error.fields)
