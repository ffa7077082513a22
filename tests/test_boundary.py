"""The one error boundary (SPEC §9): the operating system's errors, a closed or full stdout, the
calendar cache beside the ledger — each one line, exit 1, nothing written."""

from __future__ import annotations

import errno
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import digest, ledger_cmd

from ledger import files
from ledger.i18n import set_language


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "ledger.db"
    made = ledger_cmd(
        path, "add", "--applicant", "甲", "--matter", "事项", "--at", "2026-10-09 09:00"
    )
    assert made.returncode == 0, made.stderr
    return path


def one_line(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr
    assert "Exception ignored" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    "command",
    # help is drawn by Typer's own console, which made a closed pipe a silent exit 1
    [["list", "--json"], ["--help"], ["add", "--help"], ["dept", "--help"]],
    ids=" ".join,
)
def test_a_closed_stdout_is_one_line(db, command):
    env = {**os.environ, "LEDGER_DB": str(db), "LEDGER_LANG": "en"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ledger", *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert proc.returncode == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines == ["The output (standard output) was closed before everything was written."]


@pytest.mark.parametrize("command", [["daily", "--date", "2026-10-09"], ["list", "--json"]])
def test_a_full_stdout_is_one_line(db, command):
    with open("/dev/full", "w") as full:
        result = ledger_cmd(db, *command, stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 1
    assert "disk is full" in one_line(result) and "standard output" in result.stderr


@pytest.mark.parametrize(
    "command",
    [["export", "--out", "{}"], ["weekly", "--week", "2026-W41", "--csv", "{}"]],
    ids=["export", "weekly"],
)
def test_a_full_stdout_after_a_file_is_written_says_the_file_was_written(db, tmp_path, command):
    """The file was written whole, then its report could not be shown: the line said only
    that the disk was full, and the clerk would believe there was no file."""
    out = tmp_path / "out.csv"
    with open("/dev/full", "w") as full:
        result = ledger_cmd(
            db, *(part.replace("{}", str(out)) for part in command), stdout=full,
            stderr=subprocess.PIPE,
        )  # fmt: skip
    assert result.returncode == 1
    line = one_line(result)
    assert line.startswith(f"{out} was written, but then: The disk is full"), line
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("named", [True, False], ids=["to a file", "into backups"])
def test_a_full_stdout_after_a_backup_says_the_copy_was_made(db, tmp_path, named):
    """`backup` made its copy, then could not say so: the line named the full disk alone."""
    target = [str(tmp_path / "copy.db")] if named else []
    with open("/dev/full", "w") as full:
        result = ledger_cmd(db, "backup", *target, stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 1
    line = one_line(result)
    copy = line.split(" was written, but then: The disk is full")[0]
    assert copy != line and Path(copy).is_file(), line
    if named:
        assert copy == target[0]


def test_an_output_on_a_full_disk_leaves_no_partial_file(db, tmp_path):
    book = tmp_path / "book.csv"
    rows = [f"2026-09-{1 + n % 28:02d} 09:00,申请人{n},事项{n}," + "缘由" * 40 for n in range(800)]
    book.write_text("受理时间,反映人,事项名称,问题缘由\n" + "\n".join(rows), encoding="utf-8")
    assert ledger_cmd(db, "import", book).returncode == 0
    out = tmp_path / "all.csv"
    before = digest(db)
    limit = 96 * 1024  # room for the ledger's own files, not for the export

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = ledger_cmd(db, "export", "--out", out, preexec_fn=small_disk)
    assert result.returncode == 1
    assert "disk is full" in one_line(result)
    assert not out.exists()
    assert not list(tmp_path.glob("*.partial"))
    assert digest(db) == before


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (errno.ENOSPC, "disk is full"),
        (errno.EFBIG, "disk is full"),
        (errno.EACCES, "No permission"),
        (errno.EPERM, "No permission"),
        (errno.EROFS, "read-only"),
        (errno.EISDIR, "is a folder"),
        (errno.ENOENT, "does not exist"),
        (errno.EBUSY, "in use"),
        (errno.EIO, "Cannot read or write"),
    ],
)
def test_every_os_error_is_a_line_naming_the_path(number, words):
    set_language("en")
    error = OSError(number, os.strerror(number), "/srv/ledger/out.csv")
    message = files.explain(error).message()
    assert words in message and "/srv/ledger/out.csv" in message
    assert "\n" not in message


def test_a_file_held_open_by_excel_on_windows_is_named():
    set_language("en")
    error = PermissionError(errno.EACCES, "denied", "C:/report.csv")
    error.winerror = 32
    assert "open in Excel or WPS" in files.explain(error).message()


# -- the calendar cache is never trusted as it stands -----------------------------------


def _cache(db: Path) -> Path:
    found = list((db.parent / ".ledger-cache").glob("calendar-holidays-*.json"))
    assert len(found) == 1
    return found[0]


def deadline(db: Path) -> str:
    result = ledger_cmd(db, "deadline", "2026-09-30", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["deadline"]


@pytest.mark.parametrize(
    "damage",
    [
        "not json {",
        "[]",
        '{"format": 2}',
        '{"format": 2, "digest": "x", "data": {"years": {"2026": 5}, "confirmed": null}}',
        "",
    ],
)
def test_a_malformed_cache_is_rebuilt(db, damage):
    assert deadline(db) == "2026-10-10"
    _cache(db).write_text(damage, encoding="utf-8")
    assert deadline(db) == "2026-10-10"
    assert json.loads(_cache(db).read_text(encoding="utf-8"))["format"] == 2


def test_an_edited_cache_does_not_move_a_deadline(db):
    assert deadline(db) == "2026-10-10"
    cache = _cache(db)
    body = json.loads(cache.read_text(encoding="utf-8"))
    # the National Day make-up Saturday 2026-10-10 'removed' by hand
    body["data"]["years"]["2026"]["makeup"].remove("2026-10-10")
    cache.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    assert deadline(db) == "2026-10-10"


@pytest.mark.parametrize("interruption", ["abort", "keyboard"])
def test_an_interruption_is_one_line(capsys, monkeypatch, interruption):
    import click

    from ledger.cli import Session, _one_line

    # as a run begins: no ledger opened, nothing recorded (an earlier test's run may have)
    monkeypatch.setattr(Session, "recorded", False)
    monkeypatch.setattr(Session, "_ledger", None)
    monkeypatch.setattr(files, "WRITTEN", [])
    set_language("en")
    error = click.exceptions.Abort() if interruption == "abort" else KeyboardInterrupt()
    code = _one_line(error)
    assert code == 1
    assert capsys.readouterr().err.strip() == "Interrupted; nothing was changed."


# -- "the change is recorded, but then": said only of the clerk's own change ----------------


def test_a_change_recorded_before_the_output_failed_is_said_so(db):
    with open("/dev/full", "w") as full:
        result = ledger_cmd(
            db, "add", "--applicant", "乙", "--matter", "事项", "--at", "2026-10-09 10:00",
            stdout=full, stderr=subprocess.PIPE,
        )  # fmt: skip
    assert result.returncode == 1
    line = one_line(result)
    assert line.startswith("The change is recorded in the ledger, but then:"), line
    assert "disk is full" in line
    listed = ledger_cmd(db, "list", "--json")
    assert [case["id"] for case in json.loads(listed.stdout)] == ["2026-0002", "2026-0001"]


def test_a_refusal_on_a_new_ledger_does_not_say_a_change_was_recorded(tmp_path):
    """Making a new file's tables is the ledger's own upkeep, not the clerk's change: a
    refused first `add` once said "The change is recorded in the ledger, but then: …", and
    the clerk would believe the case was taken in."""
    path = tmp_path / "new.db"
    result = ledger_cmd(path, "add", "--applicant", "甲", "--matter", "事项", "--at", "bad")
    assert result.returncode == 1
    assert one_line(result) == (
        "Cannot read the time 'bad'; write it as 2026-10-14 09:30 (or a date)"
    )
    assert not path.exists()  # nor is the file it made for itself kept


def test_a_refusal_after_the_deadlines_followed_a_new_calendar_says_no_change(db):
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("UPDATE ledger_meta SET value = '0.1' WHERE key = 'holidays_version'")
    conn.commit()
    conn.close()
    result = ledger_cmd(db, "add", "--applicant", "乙", "--matter", "事项", "--at", "bad")
    assert result.returncode == 1
    assert one_line(result).startswith("Cannot read the time 'bad'")
    version = "SELECT value FROM ledger_meta WHERE key = 'holidays_version'"
    assert sqlite3.connect(db).execute(version).fetchone()[0] != "0.1"  # the upkeep was done


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)])
def test_a_named_pipe_nobody_writes_is_refused_at_once(db, tmp_path, dry_run):
    """`import pipe` waited forever for a writer, in `open`, before it was refused."""
    pipe = tmp_path / "book.csv"
    os.mkfifo(pipe)
    before = digest(db)
    done = ledger_cmd(db, "import", pipe, *dry_run)  # (120 s at most, then it fails)
    assert done.returncode == 1
    assert one_line(done).endswith(
        "is not a file but a pipe or a device, which cannot be "
        "imported: save the sheet as a file and import that"
    )
    assert digest(db) == before


def test_a_sheet_piped_in_is_refused_as_a_pipe_not_as_empty(db, tmp_path):
    """`cat book.csv | ledger import /dev/stdin` said the file was empty; a sheet is read
    more than once (its encoding, then its rows), which a pipe cannot be. Redirected from a
    file, /dev/stdin is that file, and imports."""
    book = tmp_path / "book.csv"
    book.write_text("受理时间,反映人,事项名称\n2026-10-09,张三,营业执照\n", encoding="utf-8")
    before = digest(db)
    piped = ledger_cmd(db, "import", "/dev/stdin", input=book.read_text(encoding="utf-8"))
    assert piped.returncode == 1
    assert one_line(piped) == (
        "/dev/stdin is not a file but a pipe or a device, which cannot be imported: save the"
        " sheet as a file and import that"
    )
    assert digest(db) == before
    with book.open("rb") as sheet:
        redirected = ledger_cmd(db, "import", "/dev/stdin", stdin=sheet)
    assert redirected.returncode == 0, redirected.stderr


@pytest.mark.parametrize("command", [["list"], ["add", "--applicant", "甲", "--matter", "m"]])
@pytest.mark.parametrize("given", ["option", "environment"])
def test_the_root_of_a_disk_as_the_ledger_is_a_folder_not_an_internal_error(
    refused, monkeypatch, command, given
):
    """`--db /` was taken for an empty path; `LEDGER_DB=/` ended in "Internal error"."""
    if given == "option":
        line = refused("--db", "/", *command)
    else:
        monkeypatch.setenv("LEDGER_DB", "/")
        line = refused(*command)
    assert line == "/ is a folder, not a ledger file; give the ledger file with --db."


@pytest.mark.parametrize("lang, line", [
    ("en", "The change is recorded in the ledger, but then: interrupted."),
    ("zh", "改动已记入台账，但随后：已中断。"),
])  # fmt: skip
def test_ctrl_c_after_the_change_was_recorded_does_not_say_nothing_changed(
    run, monkeypatch, lang, line
):
    """Ctrl-C just after the commit said "recorded, but then: nothing was changed"."""
    from ledger import render

    def interrupted(*args, **kwargs) -> None:
        raise KeyboardInterrupt

    said = render.say
    monkeypatch.setattr(render, "say", interrupted)
    result = run("--lang", lang, "settings", "set", "window_name", "东港区窗口")
    assert result.exit_code == 1
    assert result.stderr.strip() == line
    monkeypatch.setattr(render, "say", said)
    shown = run("settings", "show", "--json")
    assert shown.json()["window_name"] == "东港区窗口"


def test_on_a_full_disk_a_report_still_prints_and_nothing_is_left_beside_the_ledger(db, tmp_path):
    """On a full disk every reading command failed (SQLite could not make the log's index
    beside the file) and left an empty -wal and -shm there: the morning sheet could not be
    printed, nor a `backup` made to another disk."""
    before = digest(db)

    def full_disk():  # no file may grow past 16 KB: the log's index needs 32
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))

    companions = [db.with_name(db.name + end) for end in ("-wal", "-shm")]
    assert not any(p.exists() for p in companions)
    shown = ledger_cmd(db, "list", "--json", preexec_fn=full_disk)
    assert shown.returncode == 0, shown.stderr
    assert [c["id"] for c in json.loads(shown.stdout)] != []
    assert ledger_cmd(db, "daily", "--date", "2026-10-09", preexec_fn=full_disk).returncode == 0
    refused = ledger_cmd(db, "add", "--applicant", "甲", "--matter", "事", preexec_fn=full_disk)
    assert refused.returncode == 1 and "disk is full" in one_line(refused)
    assert not any(p.exists() for p in companions)
    assert digest(db) == before


def test_ctrl_c_while_the_command_closes_is_one_line_not_typers_silent_130(run, monkeypatch):
    """A Ctrl-C as the command's context closed (the ledger being closed) was caught by
    Typer, which returned 130 with no line at all."""
    from ledger.cli import Session

    closing = Session.close.__func__
    calls = []

    def interrupted(cls) -> None:
        closing(cls)
        calls.append(1)
        if len(calls) == 2:  # the first is the run's own start (an earlier run's ledger)
            raise KeyboardInterrupt

    monkeypatch.setattr(Session, "close", classmethod(interrupted))
    result = run("--lang", "en", "list")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Interrupted; nothing was changed."


def test_no_path_option_is_checked_by_click_for_reading():
    """Click's own check of a file it may not read was a usage error (exit 2), in English
    only, and in Chinese named no file: the ledger's own boundary says it in one line."""
    import typer.main

    from ledger.cli import app

    def params(command):
        yield from command.params
        for sub in getattr(command, "commands", {}).values():
            yield from params(sub)

    every = list(params(typer.main.get_command(app)))
    paths = [p for p in every if hasattr(p.type, "readable")]
    # (an output is checked as typed by the ledger's own function, which reads nothing)
    outputs = [p for p in every if getattr(getattr(p.type, "func", None), "names_a_file", False)]
    assert len(paths) >= 3 and len(outputs) >= 5
    assert [p.name for p in paths if p.type.readable] == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_file_the_clerk_may_not_read_is_said_so_naming_it(run, tmp_path, monkeypatch, lang):
    import shutil

    sheet = tmp_path / "locked.csv"
    shutil.copyfile(Path(__file__).parent.parent / "sample_data" / "cases.csv", sheet)
    pack = tmp_path / "locked.db"
    pack.write_bytes(b"SQLite format 3\x00" + bytes(4096))
    real_open = Path.open

    def refusing(self, *args, **kwargs):
        if self.name.startswith("locked"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing)
    said = {"en": "No permission to read", "zh": "没有权限读取"}[lang]
    result = run("--lang", lang, "import", sheet)
    assert result.exit_code == 1 and said in result.stderr and "locked.csv" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    result = run("--lang", lang, "city", pack, "--week", "2026-W41")
    assert result.exit_code == 1 and said in result.stderr and "locked.db" in result.stderr
