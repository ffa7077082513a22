"""The command line: parse, make one call below, render. Nothing else lives here.

No `from __future__ import annotations` here: Typer reads every command's annotations, and
strings would make it evaluate each of them twice (21 ms against 9 for the whole tree).
"""

import contextlib
import copy
import datetime as dt
import functools
import os
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ledger import dates, files, i18n
from ledger.errors import BadCommandLine, BadInput, LedgerError, LedgerFileRefused
from ledger.i18n import t
from ledger.jsonline import print_json


class _OnFirstUse:
    """A module imported when first used: `ledger --help` or a one-line refusal need no Rich
    tables, and every command starts faster without what it does not use."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str):
        import importlib

        return getattr(importlib.import_module(self._name), attribute)


render = _OnFirstUse("ledger.render")

# -- the error boundary -----------------------------------------------------------------


def _lang_from_args(args: list[str]) -> str | None:
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


class LedgerGroup(TyperGroup):
    """The one error boundary: whatever goes wrong below — the clerk's input, the ledger file,
    the operating system, a closed or full stdout, Ctrl-C — reaches the clerk as one line on
    stderr and an exit code (SPEC §9), never as a traceback."""

    def main(
        self,
        args: Any = None,
        prog_name: Any = None,
        complete_var: Any = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        args = list(sys.argv[1:] if args is None else args)
        # everything the ledger creates is the clerk's alone on POSIX (SPEC §9): 0600, 0700
        os.umask(0o077)
        # a width of 0 (or no number) in COLUMNS made Rich print nothing at all, the new
        # case's id and every refusal included: the terminal's own width is asked instead
        for name in ("COLUMNS", "LINES"):
            given = os.environ.get(name)
            if given is not None and not (given.isascii() and given.isdigit() and int(given)):
                del os.environ[name]
        lang = i18n.detect_language(_lang_from_args(args))
        i18n.set_language(lang if lang in i18n.LANGUAGES else "en")
        from ledger import helptext

        # help is shown for --help, for no command, and for a group named alone (`ledger dept`)
        # (the names of the whole tree: a run's own tree may hold its one command only)
        asks_help = (
            not args
            or any(a in helptext.HELP_OPTION_NAMES for a in args)
            or args[-1] in _registered_names()
        )
        helptext.localize(self, asks_help=asks_help)
        Session.recorded = False
        Session.last = None
        Session.held_warning = None
        files.WRITTEN.clear()
        try:
            _refuse_undecodable(args)
            _refuse_closed_stdout()
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            if code == TYPER_INTERRUPTED:
                # Ctrl-C where Typer caught it (closing the command's context): said as such
                raise KeyboardInterrupt
            # a refusal that printed its own lines (an import's bad rows), or a command that
            # recorded nothing (`notices --record` with nothing to chase, `calendar clear` of
            # a day with no override): a ledger it made for itself goes with it
            Session.take_back()
            if not code:
                Session.say_held_warning()
            sys.stdout.flush()
        except BaseException as error:  # noqa: BLE001 - this is the boundary
            if not isinstance(error, SystemExit) or error.code:
                Session.take_back()
            code = _one_line(error)
        sys.exit(code if isinstance(code, int) else 0)

    # Typer turns Ctrl-C into a silent exit 130 and click a closed pipe into a silent exit 1;
    # both are carried past them to the boundary, which says what happened
    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        with _carried():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        with _carried():
            return super().invoke(ctx)


TYPER_INTERRUPTED = 130  # what Typer returns for a Ctrl-C it caught itself


class _Carried(Exception):
    """An OSError or an interruption, carried past Typer's and click's own handling."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(error)
        self.error = error


@contextlib.contextmanager
def _carried():
    try:
        yield
    except (OSError, KeyboardInterrupt) as error:
        raise _Carried(error) from None


def _refuse_undecodable(args: list[str]) -> None:
    """An argument that was not UTF-8 (typed at a GBK terminal on Linux) reaches Python as
    surrogates; it is refused here, before it can reach the ledger or a message."""
    for arg in args:
        if any(0xD800 <= ord(c) <= 0xDFFF for c in arg):
            raise BadInput("err.not_utf8_argument")


def _refuse_closed_stdout() -> None:
    """Started with stdout closed (`ledger add … >&-`): refused before anything is done, since
    the clerk could not see what was done."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stands in for the closed stream
        raise LedgerError("err.os_closed", path=t("io.stdout"))


def _one_line(error: BaseException) -> int:
    """Print the error's one line; return the exit code. After the command recorded its
    change, the line says so: the clerk must not enter it twice."""
    if isinstance(error, SystemExit):
        if not (error.code == 1 and isinstance(error.__context__, BrokenPipeError)):
            raise error
        # Rich's console (Typer's help) turns a closed pipe into a silent exit 1
        error = error.__context__
    if isinstance(error, _Carried):
        error = error.error
    from ledger import SIGNALLED

    if SIGNALLED and not isinstance(error, KeyboardInterrupt):
        # a signal landed inside SQLite's call of one of our functions, or cut a write
        # short: the error it left ("user-defined function raised exception") is its
        # consequence, and the clerk's line is the interruption's
        error = KeyboardInterrupt()
    message = _message(error)
    if message is None:
        if os.environ.get("LEDGER_DEBUG"):
            raise error
        # what a value another program wrote does where the ledger reads it (bytes for
        # text, a date that is not one, a list or count of the wrong shape): the faults it
        # causes are too many to know by their words, so any unexpected one is looked into
        message = _unreadable_values()
    if message is None:
        key = "err.internal_after" if Session.changed() else "err.internal"
        message = t(key, detail=f"{type(error).__name__}: {error}")
    if Session.changed():
        message = t("err.after_change", detail=message)
    elif files.WRITTEN:  # a file written whole, then the report of it could not be shown
        message = t("err.after_written", path=files.WRITTEN[-1], detail=message)
    render.fail(message)
    return error.exit_code if isinstance(error, LedgerError) or _is_usage_error(error) else 1


def _unreadable_values() -> str | None:
    """A command that failed unexpectedly after opening the ledger may have met a value that
    another program wrote and the ledger cannot read — bytes where text belongs, a date that
    is not one, a list or count of the wrong shape (which `check` names): then that is the
    line, not an internal error for the developers."""
    if Session._ledger is None and Session.last is None:
        return None
    from ledger.store import unreadable_values

    found = unreadable_values(Session.path())
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    return t("err.not_text_more", first=found[0], more=len(found) - 1)


def _message(error: BaseException) -> str | None:
    """The clerk's line for an error the boundary knows, else None."""
    if isinstance(error, LedgerError):
        return error.message()
    if isinstance(error, KeyboardInterrupt) or type(error).__name__ == "Abort":
        # Ctrl-C, or the end of input at a prompt; after a change (or a file) was made, it
        # is not "nothing was changed": the line then says what was
        opened = Session._ledger or Session.last
        upgraded = getattr(error, "ledger_upgraded", None) or (
            (opened.path, *opened.upgraded) if opened and opened.upgraded else None
        )
        if upgraded is not None:  # once the file's upgrade was committed
            path, old, copy = upgraded
            return t("err.interrupted_upgraded", path=path, old=old, copy=copy)
        made = Session.changed() or files.WRITTEN
        return t("err.interrupted_after" if made else "err.interrupted")
    sqlite3 = sys.modules.get("sqlite3")
    if sqlite3 is not None and isinstance(error, sqlite3.Error):
        if Session.last is not None:  # damage met anywhere is remembered (SPEC §9)
            return Session.last.refusal(error).message()
        from ledger.store import translate

        return translate(error, Session.path()).message()
    if isinstance(error, OSError):
        from ledger.files import explain

        # a file operation names its file; a write without one was to stdout
        if error.filename is None:
            _silence_stdout()
            return explain(error, t("io.stdout")).message()
        return explain(error).message()
    if _is_usage_error(error):
        from ledger.helptext import usage_message

        # the group it was met in, named as the clerk types it, whatever name the program
        # was started by (`python -m ledger`)
        names, ctx = [], getattr(error, "ctx", None)
        while ctx is not None and ctx.parent is not None:
            names.append(ctx.info_name)
            ctx = ctx.parent
        return usage_message(error.format_message(), " ".join(["ledger", *reversed(names)]))
    return None


def _is_usage_error(error: BaseException) -> bool:
    # click's own errors, whichever copy of click this typer carries
    return hasattr(error, "format_message") and hasattr(error, "exit_code")


def _silence_stdout() -> None:
    """After stdout failed, let nothing try to write to it again at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test runner's buffer): nothing to silence


class DefaultShowGroup(LedgerGroup):
    """`ledger calendar 2026-10` is `ledger calendar show 2026-10`: a first argument that is
    a date (or nothing at all) goes to `show`, a word to the subcommand."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        first = next((a for a in args if not a.startswith("-")), None)
        from ledger.helptext import HELP_OPTION_NAMES

        asks_help = first is None and any(a in HELP_OPTION_NAMES for a in args)
        # a word with no digit is a subcommand, mistyped or not (`settings sett`): said as
        # such, with a guess, not handed to `show` as its month
        mistyped = bool(first) and not any(c.isdigit() for c in first)
        if not asks_help and not mistyped and first not in self.commands:
            args = ["show", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=LedgerGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="The case ledger of the 办不成事 window. 办不成事反映窗口台账。",
)
calendar_app = typer.Typer(cls=DefaultShowGroup, help="The working-day calendar. 工作日日历。")
settings_app = typer.Typer(cls=DefaultShowGroup, help="Window name, time limits, clerk. 设置。")
app.add_typer(calendar_app, name="calendar")
app.add_typer(settings_app, name="settings")


class Session:
    db_path: Path | None = None
    _ledger = None
    records = False
    recorded = False  # this run has recorded a change (a restore included)
    last = None  # the ledger this run opened, still known after it is closed
    # a ledger found damaged earlier is read with a warning, said once the command has
    # answered: a command that then meets the damage itself says so in its one error line
    held_warning: str | None = None

    @classmethod
    def changed(cls) -> bool:
        return cls.recorded or (cls._ledger is not None and cls._ledger.committed)

    @classmethod
    def path(cls) -> Path:
        from ledger.store import default_path

        return cls.db_path or default_path()

    @classmethod
    def ledger(cls, records: bool = False):
        """The ledger for this run: a command that records may create it; one that only reads
        never does, and is told when the ledger was found damaged."""
        if cls._ledger is None:
            from ledger.store import SCHEMA_VERSION, Ledger

            # a clock outside the ledger's years is said before anything is opened: a copy's
            # name, an upgrade's, a workbook's zip entries all read it
            dates.today()

            cls._ledger = Ledger(cls.path(), records=records)
            cls.records = records
            if cls._ledger.upgraded is not None:
                old, copy = cls._ledger.upgraded
                render.warn(
                    t("warn.upgraded", path=cls.path(), old=old, new=SCHEMA_VERSION, copy=copy)
                )
            if cls._ledger.damage and not records:
                cls.held_warning = t("warn.damage_known", path=cls.path(), **cls._ledger.damage)
            else:
                _follow_package(cls._ledger)
        return cls._ledger

    @classmethod
    def say_held_warning(cls) -> None:
        if cls.held_warning is not None:
            render.warn(cls.held_warning)
            cls.held_warning = None

    @classmethod
    def take_back(cls) -> None:
        """A refused command leaves no ledger it created for itself (store: `created`)."""
        if cls._ledger is None and cls.last is not None:
            cls.last.take_back_creation()

    @classmethod
    def close(cls) -> None:
        if cls._ledger is not None:
            cls.recorded = cls.recorded or cls._ledger.committed
            cls.last = cls._ledger
            cls._ledger.close()
            cls._ledger = None


def _follow_package(ledger) -> None:
    """A newer `holidays` package may carry a year's official notice the old one did not:
    the first command after the upgrade lets open deadlines follow, and lists them on stderr
    (SPEC §3)."""
    from ledger.store import holidays_version

    installed = holidays_version()
    if ledger.read_only or ledger.meta("holidays_version") == installed:
        return
    from ledger.actions import follow_calendar

    try:
        with ledger.writing(upkeep=True):
            moved = follow_calendar(ledger)
            ledger.set_meta("holidays_version", installed)
    except LedgerError as error:
        # the clerk's command is not held up by it: the deadlines follow at the next command
        # that succeeds, and until then the clerk is told why they have not
        render.warn(t("warn.follow_failed", detail=error.message()))
        return
    if moved:
        render.warn(t("cal.package_upgraded", version=installed, count=len(moved)))
        render.recalculated(moved, stderr=True)


def _names_a_folder(path: str) -> bool:
    """Whether a path as typed ends in a slash: `Path` drops it, and would write a file of the
    folder's name (`export --out reports/` made a file `reports`)."""
    return path.endswith(tuple(sep for sep in ("/", os.sep, os.altsep) if sep))


def _not_a_folder_name(path: str) -> None:
    if _names_a_folder(path):
        raise BadInput("err.out_names_folder", path=path)


def _not_a_dash(path: str) -> None:
    # (a script's "standard output": a file named `-` in the current folder was written
    # and reported as saved)
    if path.strip() == "-":
        raise BadInput("err.out_dash")


def _output_path() -> Any:
    """The type of an option or argument naming a file to write: checked as typed, before it
    becomes a `Path` (its help says FILE: `helptext`)."""

    def output_file(value: Any) -> Any:
        if isinstance(value, str):
            _not_a_dash(value)
            _not_a_folder_name(value)
        return value if value is None else Path(value)

    output_file.names_a_file = True  # type: ignore[attr-defined]
    return output_file


def _ledger(records: bool = False):
    return Session.ledger(records)


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option("--db", help="Ledger file (else $LEDGER_DB).")] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="zh or en (else $LEDGER_LANG).")
    ] = None,
) -> None:
    """The case ledger of the 办不成事 window. 办不成事反映窗口台账。"""
    chosen = i18n.detect_language(lang)
    if lang is not None and not i18n.unmarked(lang).strip():
        chosen = lang  # `--lang ""` (a script's unset variable) names no language: refused
    if chosen not in i18n.LANGUAGES:
        # on the command line it is a usage error; in $LEDGER_LANG, the setting's
        refused = BadCommandLine if lang is not None else BadInput
        # said in the language the locale gives, as it would be without the choice
        rest = {key: value for key, value in os.environ.items() if key != "LEDGER_LANG"}
        i18n.set_language(i18n.detect_language(None, rest))
        raise refused("err.bad_lang", value=lang or chosen)
    i18n.set_language(chosen)
    if db is not None and Path(db).name == "" and not Path(db).anchor:  # `--db ""`, `--db .`
        raise BadCommandLine("err.empty_db_path")
    if db is not None and db.strip() == "-":  # (standard input is no ledger: a file `-` was made)
        raise BadCommandLine("err.empty_db_path")
    given = db if db is not None else os.environ.get("LEDGER_DB") or "ledger.db"
    where = files.ledger_path(given)
    if where.name == "":  # the root of a disk: a folder, with no name to put a file beside
        raise LedgerFileRefused("err.ledger_is_folder", path=where)
    named_folder = given.endswith(("/", os.sep)) or os.path.basename(given) in (".", "..")
    if named_folder and not where.is_dir():
        # `--db trail/` meant a folder; the path without its slash would be a file `trail`
        example = os.path.normpath(os.path.join(given, "ledger.db"))
        raise LedgerFileRefused("err.ledger_names_folder", path=given, example=example)
    Session.close()
    Session.recorded = False
    Session.db_path = where if db is not None else None
    ctx.call_on_close(Session.close)


def _warn_dates_shown(cal: Any, cases: list[dict]) -> None:
    """SPEC §3: a deadline or an answer date shown was counted on its year's schedule; one
    whose year is not confirmed is said so, as the sheet says it."""
    years = {
        int(value[:4])
        for case in cases
        for key in ("deadline", "feedback_due")
        if isinstance(value := case.get(key), str) and value[:4].isdigit()
    }
    _warn_unconfirmed(cal, years)


def _warn_unconfirmed(cal: Any, years: Any = None) -> None:
    missing = cal.unconfirmed_years(years)
    bare = cal.without_holidays(missing) if missing else []
    assumed = [year for year in missing if year not in bare]
    if assumed:
        render.warn(t("warn.unconfirmed", years=t("list_sep").join(map(str, assumed))))
    if bare:
        render.warn(t("warn.no_holidays", years=t("list_sep").join(map(str, bare))))


JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
At = Annotated[str | None, typer.Option("--at", help="When it happened (default: now).")]

# -- calendar ---------------------------------------------------------------------------


@calendar_app.command("show")
def calendar_show(
    period: Annotated[
        str | None, typer.Argument(help="YYYY-MM or YYYY (default: this month)")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Print a month or a year as a grid. 显示某月或某年的日历。"""
    from ledger import calendar as workcal

    today = dates.today()
    if period is not None and not dates.typed(period).strip():
        # given empty (a script's unset variable) is refused, not taken for this month
        raise BadInput("err.bad_month", value=period)
    period = dates.typed(period).strip() or f"{today:%Y-%m}"
    cal = _ledger().calendar()
    if re.fullmatch(r"[0-9]{4}", period):
        year = dates.parse_year(period)
        months = [workcal.month_days(cal, year, m) for m in range(1, 13)]
        if as_json:
            print_json([d.as_json() for m in months for d in m])
        else:
            render.calendar_year(months, today, bool(cal.unconfirmed_years([year])))
    else:
        try:  # a month as `--month` reads it: 2026-10, 2026/10, 2026年10月
            first, _last = dates.parse_month(period)
        except BadInput as error:
            if error.key != "err.bad_month_period":
                raise  # a year out of range says so
            raise BadInput("err.bad_month", value=period) from None
        year, month = first.year, first.month
        days = workcal.month_days(cal, year, month)
        if as_json:
            print_json([d.as_json() for d in days])
        else:
            render.calendar_month(days, today, bool(cal.unconfirmed_years([year])))
    _warn_unconfirmed(cal, [year])


def _calendar_change(change) -> list[dict]:
    """Change the calendar and let every open deadline follow it (SPEC §3), in one
    transaction; the cases whose dates moved are listed."""
    from ledger.actions import follow_calendar

    ledger = _ledger(records=True)
    with ledger.writing():
        result = change(ledger)
        moved = follow_calendar(ledger)
    return result, moved


def _override(day: str, working: bool, name: str | None) -> None:
    from ledger.text import clean

    when = dates.parse_date(day)
    name = clean(name, "cal.col_name", required=False)
    stamp = dates.minute(dates.now())
    _, moved = _calendar_change(lambda ledger: ledger.set_override(when, working, name, stamp))
    key = "cal.set_workday" if working else "cal.set_holiday"
    render.say(t(key, date=when, name=t("cal.named", name=name) if name else ""))
    render.recalculated(moved)


NameOption = Annotated[str | None, typer.Option("--name", help="What the day is called.")]


@calendar_app.command("holiday")
def calendar_holiday(day: str, name: NameOption = None) -> None:
    """Make DATE a day off (beats the official calendar). 设为休息日。"""
    _override(day, False, name)


@calendar_app.command("workday")
def calendar_workday(day: str, name: NameOption = None) -> None:
    """Make DATE a working day (beats the official calendar). 设为工作日。"""
    _override(day, True, name)


@calendar_app.command("clear")
def calendar_clear(day: str) -> None:
    """Remove the clerk's override of DATE. 清除人工设定。"""
    from ledger.actions import clear_override

    when = dates.parse_date(day)
    (cleared, lapsed), moved = _calendar_change(lambda ledger: clear_override(ledger, when))
    render.say(t("cal.cleared" if cleared else "cal.nothing_to_clear", date=when))
    if lapsed:
        render.say(t("cal.confirmation_lapsed", year=when.year))
    render.recalculated(moved)


@calendar_app.command("confirm")
def calendar_confirm(year: str) -> None:
    """Mark YEAR's schedule as entered and confirmed by the clerk. 确认某年的放假安排。"""
    from ledger.actions import confirm_year

    which = dates.parse_year(year)
    _, moved = _calendar_change(lambda ledger: confirm_year(ledger, which))
    render.say(t("cal.confirmed", year=which))
    render.recalculated(moved)


@calendar_app.command("unconfirm")
def calendar_unconfirm(year: str) -> None:
    """Take back the clerk's confirmation of YEAR. 撤销对某年放假安排的确认。"""
    from ledger.actions import unconfirm_year

    which = dates.parse_year(year)
    _, moved = _calendar_change(lambda ledger: unconfirm_year(ledger, which))
    render.say(t("cal.unconfirmed", year=which))
    render.recalculated(moved)


@calendar_app.command("years")
def calendar_years(as_json: JsonFlag = False) -> None:
    """Which years are confirmed, and by what. 各年份的确认情况。"""
    ledger = _ledger()
    cal = ledger.calendar()
    rows = {r["year"]: r for r in ledger.calendar_years()}
    this_year = dates.today().year
    for year in range(this_year - 1, this_year + 2):
        rows.setdefault(year, {"year": year, "overrides": 0, "clerk_confirmed_at": None})
    result = [{**rows[y], "confirmed_by": cal.confirmed_by(y)} for y in sorted(rows)]
    print_json(result) if as_json else render.calendar_years(result)


@app.command()
def deadline(
    start: Annotated[str, typer.Argument(help="Receipt date")],
    days: Annotated[str | None, typer.Option("--days", help="Working days")] = None,
    limit: Annotated[str | None, typer.Option("--limit", help="Time-limit class")] = None,
    as_json: JsonFlag = False,
) -> None:
    """When is it due? Lists the non-working days skipped. 计算办理期限。"""
    from ledger.text import whole_number
    from ledger.timelimits import explain_deadline
    from ledger.words import parse_code

    if days is not None and limit is not None:
        raise BadCommandLine("err.days_and_limit")
    count = whole_number(days, 0, 365, "prompt.working_days") if days is not None else None
    ledger = _ledger()
    if count is None:
        count = ledger.limits()[parse_code("limit", limit or "standard")]
    cal = ledger.calendar()
    answer = explain_deadline(dates.parse_date(start), count, cal)
    print_json(answer) if as_json else render.deadline(answer)
    _warn_unconfirmed(cal, answer["unconfirmed_years"])


# -- settings, copies, checks -----------------------------------------------------------


@settings_app.command("show")
def settings_show(as_json: JsonFlag = False) -> None:
    """Print the settings. 显示设置。"""
    values = _ledger().settings()
    print_json(values) if as_json else render.settings(values)


@settings_app.command("set", context_settings={"ignore_unknown_options": True})
def settings_set(key: str, value: str, at: At = None) -> None:
    """Change one setting. 修改设置。"""
    from ledger.actions import setting_moment
    from ledger.store import setting_key, setting_label, validate_setting

    ledger = _ledger(records=True)
    key = setting_key(key)  # its key, or its label in either language
    clean = validate_setting(key, value)
    with ledger.writing():
        # the value it already has is no change: nothing to put in order, nothing recorded
        # (a time given is still read: one that is no time is refused as anywhere else)
        unchanged = ledger.setting_in_force(key) == clean
        if unchanged:
            if at is not None:
                dates.parse_at(at)
            moment = ""
        else:
            moment = setting_moment(ledger, key, at)
        ledger.set_setting(key, clean, moment)
    shown = clean if clean else t("weekly.none")  # an empty value said as such, not as a gap
    said = "settings.unchanged" if unchanged else "settings.saved"
    render.say(t(said, key=key, label=setting_label(key), value=shown))


@app.command()
def backup(
    target: Annotated[str | None, typer.Argument(help="File to write (default: backups/)")] = None,
) -> None:
    """Copy the ledger now (SQLite online backup). 立即备份台账。"""
    if target is not None and not target.strip():
        raise BadInput("err.empty_backup_path")  # not the folder the clerk is in
    if target is not None:
        _not_a_dash(target)
    if target is not None and _names_a_folder(target) and not Path(target).is_dir():
        # a copy goes into a folder that is there, under its own name; one not there is
        # not made (without the slash, a file of the folder's name was written)
        if Path(target).exists():  # a file named as a folder
            raise BadInput("err.out_through_file", path=Path(target))
        raise BadInput("err.out_no_folder", path=target)
    ledger = _ledger()
    copy = ledger.backup_now(None if target is None else Path(target))
    files.WRITTEN.append(copy)  # a report that then fails (a full stdout) says it was made
    render.say(t("backup.made", path=copy))


@app.command()
def restore(source: Annotated[Path, typer.Argument(help="A backup file", readable=False)]) -> None:
    """Replace the ledger with a backup (checked first; the current file is kept). 恢复。"""
    from ledger.store import restore as put_back

    dates.today()  # before the file is replaced: a clock outside the ledger's years stops here
    kept = put_back(Session.path(), source)
    Session.recorded = True
    render.say(t("restore.done" if kept else "restore.done_nothing_kept", source=source, kept=kept))
    # a copy SQLite finds sound may still disagree with its own timeline (another program
    # wrote to it): restored all the same — it may be the only copy there is — and said so
    # (SQLite's integrity check ran on the copy before it was put back: not run again)
    ledger = _ledger()
    held = ledger.ids_held_back()
    if held:  # told to applicants already: never given again (SPEC §5)
        render.say(t("restore.ids_held", ids=t("list_sep").join(held)))
    problems = ledger.consistency_problems()
    if problems:
        render.warn(t("warn.restored_problems", count=len(problems), first=problems[0]))


@app.command()
def check() -> None:
    """Integrity check and the ledger's own consistency checks. 检查台账文件。"""
    ledger = _ledger()
    problems, counts, cleared = ledger.check()
    Session.held_warning = None  # the check's own finding is the word on the file now
    render.check(problems, counts)
    if cleared:
        render.say(t("check.damage_cleared", found_at=cleared["found_at"]))
    if problems:
        raise typer.Exit(1)


def main() -> None:
    # a console or a redirect in a code page that lacks a character (an emoji in a matter, on
    # a GBK console) must not turn into a traceback: it is shown as '?'
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in (
            "utf-8",
            "utf8",
        ):
            stream.reconfigure(errors="replace")
    # what fails while Python lets go of an object (a workbook's zip archive on a full disk,
    # closed again when collected) is said by Python as "Exception ignored in …" with its
    # traceback, after the command's one line: the clerk has been told already
    sys.unraisablehook = _unraisable
    _tree_for(_command_named(sys.argv[1:]))()


def _unraisable(unraisable: Any) -> None:
    if os.environ.get("LEDGER_DEBUG"):
        sys.__unraisablehook__(unraisable)


def _command_named(args: list[str]) -> str | None:
    """The command a run names, past the ledger's own options (`--db FILE`, `--lang zh`)."""
    at = 0
    while at < len(args) and args[at].startswith("--"):
        if args[at] not in ("--db", "--lang") and not args[at].startswith(("--db=", "--lang=")):
            return None  # `--help`, `--version`, a mistyped option: the whole tree answers
        at += 1 if "=" in args[at] else 2
    return args[at] if at < len(args) else None


def _name_of(info: Any) -> str:
    """A registered command's name, as Typer gives it (its own, or its function's)."""
    from typer.main import get_command_name

    return info.name or get_command_name(info.callback.__name__)


def _registered_names() -> set[str]:
    return {_name_of(i) for i in app.registered_commands} | {i.name for i in app.registered_groups}


def _tree_for(name: str | None) -> typer.Typer:
    """Typer makes Click's command of every function of the tree on each run (12 ms, a tenth
    of a short command's time) though a run uses one: a command or group named as it is
    registered is made alone, from a copy of the tree that holds it only. Anything else — a
    mistyped name, whose error lists the commands; the whole tree's help; shell completion,
    whose words come in its environment, not its arguments — gets the whole tree."""
    commands = [info for info in app.registered_commands if _name_of(info) == name]
    groups = [info for info in app.registered_groups if info.name == name]
    if not (commands or groups):
        return app
    alone = copy.copy(app)
    alone.registered_commands, alone.registered_groups = commands, groups
    return alone


# -- cases ------------------------------------------------------------------------------

dept_app = typer.Typer(cls=LedgerGroup, help="Departments work orders go to. 承办单位。")
app.add_typer(dept_app, name="dept")


def _complete_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        from ledger.store import Ledger, default_path

        path = ctx.find_root().params.get("db") or default_path()
        if not Path(path).exists():  # completing must never create a ledger
            return []
        return Ledger(path).case_ids(incomplete)
    except Exception:  # completion must never break the shell
        return []


def _complete_departments(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        from ledger.store import Ledger, default_path

        path = ctx.find_root().params.get("db") or default_path()
        if not Path(path).exists():  # completing must never create a ledger
            return []
        names = [d["name"] for d in Ledger(path).departments()]
        return [name for name in names if name.startswith(incomplete)]
    except Exception:  # completion must never break the shell
        return []


def _completer(word: str):
    from ledger.words import choices

    def complete(incomplete: str) -> list[str]:
        return [c for c in choices(word) if c.startswith(incomplete.casefold())]

    return complete


def _case_id(value: str) -> str:
    """`2026-0007`, also typed as `2026-7`; the sequence may have any number of digits."""
    from ledger.words import case_id

    return case_id(value)


def _required(value: str | None, option: str, prompt_key: str, word: str | None = None) -> str:
    """A required value: asked for at a terminal (`_asked`), an error for a script; a code's
    choices are in the prompt."""
    if value is not None:
        return value
    if not _at_terminal():
        raise BadCommandLine("err.required_missing", option=option)
    from ledger.words import WORDS

    asked = t(prompt_key)
    if word is not None:
        choices = t("list_sep").join(i18n.label(word, code) for code in WORDS[word])
        asked = t("prompt.choices", prompt=asked, choices=choices)
    return _asked(asked, prompt_key, word)


def _at_terminal() -> bool:
    """Whether a person can be asked: stdin is a terminal (it is None under a Windows
    program with no console, or when the caller closed it)."""
    return sys.stdin is not None and sys.stdin.isatty()


def _asked(asked: str, field: str, word: str | None = None) -> str:
    """An answer typed at the prompt `asked`: a blank one, one holding a control character,
    or a code (`word`) the ledger does not know is asked for again with what was wrong, so
    that nothing typed before it is lost."""
    from ledger.text import clean
    from ledger.words import parse_code

    while True:
        # (a blank answer comes back as such, to be told why: Click's own prompt would ask
        # again without a word)
        answer = typer.prompt(
            asked, default="", show_default=False, prompt_suffix=t("prompt.suffix")
        )
        try:
            clean(answer, field)
            if word is not None:
                parse_code(word, answer)
        except BadInput as error:
            render.warn(error.message())
            continue
        return answer


CaseId = Annotated[
    str, typer.Argument(help="Case id, e.g. 2026-0007", autocompletion=_complete_ids)
]
FullContact = Annotated[bool, typer.Option("--full-contact", help="Show phone numbers in full.")]
Dept = Annotated[
    str | None,
    typer.Option("--dept", help="Department name.", autocompletion=_complete_departments),
]
Sections = Annotated[
    list[str] | None,
    typer.Option("--section", help="Section (repeatable).", autocompletion=_completer("section")),
]
Scope = Annotated[str | None, typer.Option("--scope", autocompletion=_completer("scope"))]
Limit = Annotated[
    str | None,
    typer.Option(
        "--limit", help="simple|standard|complex|cannot", autocompletion=_completer("limit")
    ),
]
Reason = Annotated[str | None, typer.Option("--reason", help="Why.")]
Assist = Annotated[
    list[str] | None,
    typer.Option(
        "--assist",
        help="Assisting department (协办), repeatable.",
        autocompletion=_complete_departments,
    ),
]


REPEATS_NAMED = 5  # the earlier cases a new one's warning names


def _act(move: str, call, as_json: bool = False, full_contact: bool = False) -> dict:
    """Run one move in one write transaction and report it; a new case's earlier cases of the
    same applicant or phone (重复反映) are named on stderr."""
    from ledger.actions import Desk
    from ledger.privacy import for_output

    ledger = _ledger(records=True)
    with ledger.writing():
        desk = Desk(ledger)
        case = call(desk)
        repeats = desk.repeats(case) if move == "received" else []
    shown = for_output(case.as_json(), full_contact)
    if as_json:
        print_json(shown)
    else:
        render.moved(shown, move)
    if repeats:
        # the latest few: a regular's fifteenth visit made a line of fifteen ids
        names = t("list_sep").join(repeats[-REPEATS_NAMED:])
        if len(repeats) > REPEATS_NAMED:
            names = t("case.repeat_more", ids=names, id=shown["id"])
        render.warn(t("case.repeat", who=shown["applicant"], count=len(repeats), ids=names))
    _warn_unconfirmed(desk.cal)
    return shown


@app.command()
def add(
    applicant: Annotated[
        str | None, typer.Option("--applicant", help="Person or enterprise")
    ] = None,
    matter: Annotated[
        str | None, typer.Option("--matter", help="What they tried to get done")
    ] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="Phone")] = None,
    cause: Annotated[str | None, typer.Option("--cause", help="Why it could not get done")] = None,
    problem: Annotated[
        str | None, typer.Option("--problem", autocompletion=_completer("problem"))
    ] = None,
    channel: Annotated[
        str | None, typer.Option("--channel", autocompletion=_completer("channel"))
    ] = None,
    limit: Limit = None,
    section: Sections = None,
    scope: Scope = None,
    dept: Dept = None,
    at: At = None,
    as_json: JsonFlag = False,
    full_contact: FullContact = False,
) -> None:
    """Take a case in; prints its id. 受理一件事。"""
    applicant = _required(applicant, "--applicant", "prompt.applicant")
    matter = _required(matter, "--matter", "prompt.matter")
    _act(
        "received",
        lambda desk: desk.add(
            applicant,
            matter,
            contact=contact,
            cause=cause,
            problem=problem,
            channel=channel,
            limit=limit,
            sections=section,
            scope=scope,
            dept=dept,
            at=at,
        ),
        as_json,
        full_contact,
    )


@app.command()
def classify(
    case_id: CaseId,
    section: Sections = None,
    scope: Scope = None,
    dept: Dept = None,
    limit: Limit = None,
    assist: Assist = None,
    at: At = None,
    as_json: JsonFlag = False,
) -> None:
    """Set sections, scope, department, time limit. 分类。"""
    shown = _act(
        "classify",
        lambda desk: desk.classify(
            _case_id(case_id),
            sections=section,
            scope=scope,
            dept=dept,
            limit=limit,
            assist=assist,
            at=at,
        ),
        as_json,
    )
    if limit is not None:
        _warn_deadline_passed(shown, at)


@app.command()
def dispatch(
    case_id: CaseId,
    dept: Dept = None,
    assist: Assist = None,
    at: At = None,
    as_json: JsonFlag = False,
) -> None:
    """Issue the work order to the department. 转办。"""
    _act(
        "dispatch",
        lambda desk: desk.dispatch(_case_id(case_id), dept=dept, assist=assist, at=at),
        as_json,
    )


@app.command()
def ack(
    case_id: CaseId,
    by: Annotated[str | None, typer.Option("--by", help="Who acknowledged it.")] = None,
    at: At = None,
    as_json: JsonFlag = False,
) -> None:
    """The department acknowledged the work order. 签收。"""
    _act("ack", lambda desk: desk.ack(_case_id(case_id), by, at), as_json)


@app.command()
def pause(case_id: CaseId, reason: Reason = None, at: At = None, as_json: JsonFlag = False) -> None:
    """Stop the clock: waiting for papers, an inspection, an opinion. 中止计时。"""
    reason = _required(reason, "--reason", "prompt.reason")
    _act("pause", lambda desk: desk.pause(_case_id(case_id), reason, at), as_json)


@app.command()
def resume(
    case_id: CaseId,
    note: Annotated[str | None, typer.Option("--note")] = None,
    at: At = None,
    as_json: JsonFlag = False,
) -> None:
    """Restart the clock; the deadline moves by the paused working days. 恢复计时。"""
    _act("resume", lambda desk: desk.resume(_case_id(case_id), note, at), as_json)


@app.command("return")
def return_order(
    case_id: CaseId, reason: Reason = None, at: At = None, as_json: JsonFlag = False
) -> None:
    """The department sent the work order back. 退单。"""
    reason = _required(reason, "--reason", "prompt.reason")
    _act("return", lambda desk: desk.return_order(_case_id(case_id), reason, at), as_json)


@app.command()
def extend(
    case_id: CaseId,
    days: Annotated[str | None, typer.Option("--days", help="Working days later")] = None,
    reason: Reason = None,
    late: Annotated[
        bool,
        typer.Option("--late", help="Asked for after the deadline (does not count as on time)"),
    ] = False,
    at: At = None,
    as_json: JsonFlag = False,
) -> None:
    """Move the deadline N working days later. 延期。"""
    days = _required(days, "--days", "prompt.days")
    reason = _required(reason, "--reason", "prompt.reason")
    _act("extend", lambda desk: desk.extend(_case_id(case_id), days, reason, at, late), as_json)


@app.command()
def urge(
    case_id: CaseId,
    note: Annotated[str | None, typer.Option("--note")] = None,
    at: At = None,
    as_json: JsonFlag = False,
) -> None:
    """Chase the department (督办); counted. 督办。"""
    _act("urge", lambda desk: desk.urge(_case_id(case_id), note, at), as_json)


@app.command()
def resolve(
    case_id: CaseId,
    method: Annotated[str | None, typer.Option("--method", help="How it was handled")] = None,
    outcome: Annotated[str | None, typer.Option("--outcome", help="What came of it")] = None,
    cannot: Annotated[bool, typer.Option("--cannot", help="It truly cannot be done")] = False,
    reason: Reason = None,
    at: At = None,
    as_json: JsonFlag = False,
) -> None:
    """Record the outcome (or --cannot with the reason). 办结。"""
    if cannot:
        if method or outcome:  # two ways of resolving at once: no command line to read
            raise BadCommandLine("err.cannot_with_method")
        reason = _required(reason, "--reason", "prompt.reason")
    elif reason is not None:  # a reason with no --cannot would be kept nowhere
        raise BadCommandLine("err.reason_without_cannot")
    elif method is None or outcome is None:  # (one given empty is refused as empty)
        if not _at_terminal():  # a script left a required option out
            raise BadCommandLine("err.resolve_needs")
        method = method or _asked(t("prompt.method"), "prompt.method")
        outcome = outcome or _asked(t("prompt.outcome"), "prompt.outcome")
    _act(
        "resolve",
        lambda desk: desk.resolve(
            _case_id(case_id), method=method, outcome=outcome, cannot=cannot, reason=reason, at=at
        ),
        as_json,
    )


@app.command()
def feedback(
    case_id: CaseId,
    via: Annotated[str | None, typer.Option("--via", autocompletion=_completer("via"))] = None,
    satisfaction: Annotated[
        str | None, typer.Option("--satisfaction", autocompletion=_completer("satisfaction"))
    ] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    at: At = None,
    as_json: JsonFlag = False,
) -> None:
    """The applicant was told; closes the case. 反馈。"""
    via = _required(via, "--via", "prompt.via", word="via")
    _act(
        "feedback",
        lambda desk: desk.feedback(_case_id(case_id), via, satisfaction, note, at),
        as_json,
    )


@app.command()
def reopen(
    case_id: CaseId, reason: Reason = None, at: At = None, as_json: JsonFlag = False
) -> None:
    """The applicant is not satisfied: handle it again. 重办。"""
    reason = _required(reason, "--reason", "prompt.reason")
    _act("reopen", lambda desk: desk.reopen(_case_id(case_id), reason, at), as_json)


@app.command()
def void(case_id: CaseId, reason: Reason = None, at: At = None, as_json: JsonFlag = False) -> None:
    """Void a case entered by mistake (it is kept). 作废。"""
    reason = _required(reason, "--reason", "prompt.reason")
    _act("void", lambda desk: desk.void(_case_id(case_id), reason, at), as_json)


@app.command()
def undo(case_id: CaseId, reason: Reason = None, at: At = None, as_json: JsonFlag = False) -> None:
    """Take back the case's last move (a second undo, the one before). 撤销上一步。"""
    _act("undone", lambda desk: desk.undo(_case_id(case_id), reason, at), as_json)


@app.command()
def note(case_id: CaseId, text: str, at: At = None, as_json: JsonFlag = False) -> None:
    """Add a note to the timeline. 备注。"""
    _act("note", lambda desk: desk.note(_case_id(case_id), text, at), as_json)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def edit(ctx: typer.Context, case_id: CaseId, at: At = None, as_json: JsonFlag = False) -> None:
    """Correct fields: ledger edit ID --applicant NEW --matter NEW … 修改。"""
    fields = _field_pairs(ctx.args)
    _act("edit", lambda desk: desk.edit(_case_id(case_id), fields, at), as_json)


def _warn_deadline_passed(shown: dict, at: str | None) -> None:
    """A time limit made shorter may set a deadline already past (counted from receipt,
    SPEC §4): the case is late from this move on, which the clerk is told at once rather
    than on the next sheet."""
    day = (dates.parse_at(at) if at is not None else dates.now()).date().isoformat()
    running = shown["status"] in ("received", "classified", "dispatched")
    if running and not shown.get("paused_since") and (shown.get("deadline") or day) < day:
        render.warn(t("warn.deadline_passed", id=shown["id"], deadline=shown["deadline"]))


def _field_pairs(args: list[str]) -> dict[str, Any]:
    """`--name value` (or `--name=value`) pairs; --section may repeat. A word that names no
    field, or a field without its value, is a command line that cannot be read (exit 2, as
    for any other command's unknown option); a field kept by the ledger is the desk's to
    refuse, saying which command changes it."""
    from ledger.actions import BY_COMMAND, NOT_EDITABLE
    from ledger.case import EDITABLE

    fields: dict[str, Any] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        name, _, value = arg[2:].partition("=")
        name = name.replace("-", "_")
        name = "sections" if name == "section" else name
        if not arg.startswith("--") or not (
            name in EDITABLE or name in NOT_EDITABLE or name in BY_COMMAND
        ):
            # named as typed (`full-contact`), not as the ledger spells it inside
            field = arg[2:].partition("=")[0] if arg.startswith("--") else arg
            raise BadCommandLine("err.edit_unknown", field=field, choices=_editable())
        if not _:
            if i + 1 >= len(args):
                detail = t("usage.needs_value", name=f"'{arg}'")
                raise BadCommandLine("err.usage", detail=detail)
            value = args[i + 1]
            i += 1
        if name in fields and name != "sections":  # which one was meant?
            raise BadCommandLine("err.field_twice", option=f"--{name}")
        if name == "sections":  # --sections 市场准入、社会事务 as import reads the column
            from ledger.words import LIST_SPLIT

            parts = [part.strip() for part in LIST_SPLIT.split(value)]
            fields.setdefault("sections", []).extend(part for part in parts if part)
        else:
            fields[name] = value
        i += 1
    return fields


def _editable() -> str:
    from ledger.actions import EDITABLE

    return i18n.field_options(EDITABLE)


@app.command()
def show(case_id: CaseId, as_json: JsonFlag = False, full_contact: FullContact = False) -> None:
    """The case and its timeline. 查看案件。"""
    from ledger.actions import Desk
    from ledger.privacy import for_output, timeline_for_output

    ledger = _ledger()
    with ledger.reading():
        desk = Desk(ledger)
        found = desk.get(_case_id(case_id))
        case = {
            **for_output(found.as_json(), full_contact),
            "timeline": timeline_for_output(ledger.timeline(found.id), full_contact),
            "repeats": desk.repeats(found),
        }
    print_json(case) if as_json else render.show_case(case)
    _warn_dates_shown(desk.cal, [case])


@app.command("list")
def list_cases(
    status: Annotated[
        str | None, typer.Option("--status", autocompletion=_completer("status"))
    ] = None,
    section: Annotated[
        str | None, typer.Option("--section", autocompletion=_completer("section"))
    ] = None,
    dept: Dept = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Received on or after")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Received on or before")] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", help="Text in applicant, matter, cause, method or outcome"),
    ] = None,
    as_json: JsonFlag = False,
    full_contact: FullContact = False,
) -> None:
    """Find cases, newest first. 查找案件。"""
    from ledger.actions import Desk
    from ledger.privacy import for_output
    from ledger.words import parse_code

    ledger = _ledger()
    filters = {
        "status": parse_code("status", status) if status is not None else None,
        "section": parse_code("section", section) if section is not None else None,
        "department_id": Desk(ledger).department(dept)["id"] if dept is not None else None,
        "from": dates.parse_date(date_from) if date_from is not None else None,
        "to": dates.parse_date(date_to) if date_to is not None else None,
        "search": _search_text(search),
    }
    if filters["from"] and filters["to"] and filters["to"] < filters["from"]:
        raise BadInput("err.period_order", start=filters["from"], end=filters["to"])
    with ledger.reading():
        cases, total = ledger.list_cases(filters, None if as_json else render.PAGE)
        cal = ledger.calendar()
    cases = [for_output(c, full_contact) for c in cases]
    print_json(cases) if as_json else render.case_list(cases, total)
    _warn_dates_shown(cal, cases)


SEARCH_LENGTH = 100  # characters: longer than any name or matter a clerk would look for


def _search_text(search: str | None) -> str | None:
    from ledger.text import clean

    text = clean(search, "list.search", required=False)
    if text and len(text) > SEARCH_LENGTH:
        raise BadInput("err.search_too_long", length=len(text), most=SEARCH_LENGTH)
    return text


@dept_app.command("list")
def dept_list(as_json: JsonFlag = False) -> None:
    """The departments, with their open work orders. 承办单位列表。"""
    rows = _ledger().departments()
    print_json(rows) if as_json else render.departments(rows)


@dept_app.command("add")
def dept_add(
    name: str,
    floor: Annotated[str | None, typer.Option("--floor")] = None,
    phone: Annotated[str | None, typer.Option("--phone")] = None,
    kind: Annotated[str, typer.Option("--kind", help="section or unit")] = "unit",
) -> None:
    """Add a department. 新增承办单位。"""
    from ledger.actions import add_department

    ledger = _ledger(records=True)
    with ledger.writing():
        added = add_department(ledger, name, kind, floor, phone)
    render.say(t("dept.added", name=added))


@dept_app.command("set")
def dept_set(
    name: Annotated[str, typer.Argument(autocompletion=_complete_departments)],
    floor: Annotated[str | None, typer.Option("--floor")] = None,
    phone: Annotated[str | None, typer.Option("--phone")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="section or unit")] = None,
) -> None:
    """Set a department's floor, phone or kind. 修改承办单位的楼层、电话或类型。"""
    from ledger.actions import set_department

    ledger = _ledger(records=True)
    with ledger.writing():
        department, changed = set_department(ledger, name, floor, phone, kind)
    render.say(t("dept.set" if changed else "dept.unchanged", name=department["name"]))
    render.departments([department])


@dept_app.command("rename")
def dept_rename(
    old: Annotated[str, typer.Argument(autocompletion=_complete_departments)], new: str
) -> None:
    """Rename a department; its cases follow. 承办单位改名。"""
    from ledger.actions import rename_department

    ledger = _ledger(records=True)
    with ledger.writing():
        old_name, new_name = rename_department(ledger, old, new)
    render.say(t("dept.renamed", old=old_name, new=new_name))


# -- CSV --------------------------------------------------------------------------------


# a period (`export`, `weekly`, `city`), and the sheet its figures go to
Week = Annotated[str | None, typer.Option("--week", help="ISO week, e.g. 2026-W41")]
Month = Annotated[str | None, typer.Option("--month", help="A month, e.g. 2026-10")]
Quarter = Annotated[str | None, typer.Option("--quarter", help="A quarter, e.g. 2026-Q4")]
PeriodFrom = Annotated[str | None, typer.Option("--from", help="Period start")]
PeriodTo = Annotated[str | None, typer.Option("--to", help="Period end")]
FiguresCsv = Annotated[
    Path | None,
    typer.Option("--csv", help="Write the figures as CSV", click_type=_output_path()),
]
CsvEncoding = Annotated[
    str | None, typer.Option("--encoding", help="utf-8-sig (default)|utf-8|gb18030")
]


@app.command()
def export(
    date_from: PeriodFrom = None,
    date_to: PeriodTo = None,
    status: Annotated[
        str | None, typer.Option("--status", autocompletion=_completer("status"))
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="File (default: stdout)", click_type=_output_path()),
    ] = None,
    encoding: CsvEncoding = None,
    full_contact: FullContact = False,
) -> None:
    """One row per case, for Excel/WPS (UTF-8 with BOM). 导出表格。"""
    from ledger import sheets
    from ledger.words import parse_code

    start = dates.parse_date(date_from) if date_from is not None else None
    end = dates.parse_date(date_to) if date_to is not None else None
    if start is not None and end is not None and end < start:
        raise BadInput("err.period_order", start=start, end=end)
    code = parse_code("status", status) if status is not None else None
    encoding = sheets.csv_encoding(encoding, out, None)
    if out is None and encoding == "gb18030" and sys.stdout.isatty():
        # bytes for a file (`> FILE`), which a terminal shows as mojibake
        raise BadCommandLine("err.encoding_terminal", encoding=encoding)
    ledger = _ledger()
    with ledger.reading():
        if out is None:
            rows = sheets.export_rows(ledger.iter_export(start, end, code), full_contact)
            sys.stdout.flush()
            sheets.write_csv(rows, sys.stdout.buffer, encoding)
            sys.stdout.buffer.flush()
            return
        cases = functools.partial(ledger.iter_export, start, end, code)
        count = sheets.export_file(out, cases, full_contact, encoding, ledger.path)
    render.say(t("exp.done", count=count, path=out))


@app.command("import")
def import_cases(
    file: Annotated[Path, typer.Argument(help="CSV file", readable=False)],
    encoding: Annotated[
        str, typer.Option("--encoding", help="auto|utf-8|utf-8-sig|gb18030")
    ] = "auto",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; write nothing")] = False,
    add_departments: Annotated[
        bool, typer.Option("--add-departments", help="Add every department the file names")
    ] = False,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Sheet of an .xlsx workbook (default: first)")
    ] = None,
    year: Annotated[
        str | None, typer.Option("--year", help="Year of dates written without one (10月9日)")
    ] = None,
) -> None:
    """Import cases from CSV: all rows or none. 导入表格。"""
    from ledger import sheets
    from ledger.errors import ImportRefused

    # a file that cannot be read is said before a ledger is opened (or created) for it
    sheets.importable(file)
    with files.os_errors(file, reading=True):
        file.open("rb").close()
    book_year = dates.parse_year(year) if year is not None else None
    with _import_target(dry_run) as ledger:
        try:
            with ledger.writing(commit=not dry_run), render.import_progress(file) as progress:
                report = sheets.import_file(
                    ledger,
                    ledger.calendar(),
                    file,
                    encoding,
                    add_departments,
                    progress,
                    sheet=sheet,
                    year=book_year,
                )
        except ImportRefused as refused:
            render.import_problems(refused.problems, refused.fields.get("workbook", False))
            raise typer.Exit(1) from None
    render.import_report(report, dry_run)


@contextlib.contextmanager
def _import_target(dry_run: bool):
    """The ledger an import goes into. A dry run records nothing, so where there is no ledger
    yet it is tried against a new one in a temporary folder: nothing is created here."""
    if not (dry_run and not Session.path().exists()):
        yield _ledger(records=not dry_run)
        return
    import tempfile

    from ledger.store import Ledger

    with tempfile.TemporaryDirectory(prefix="ledger-dry-run-") as folder:
        trial = Ledger(Path(folder) / "ledger.db")
        try:
            yield trial
        finally:
            trial.close()


# -- reports ----------------------------------------------------------------------------


def _window_name(ledger) -> str:
    return ledger.settings()["window_name"] or t("settings.default_window_name")


def _day_option(date: str | None) -> dt.date:
    # given empty (`--date ""`, a script's unset variable) is refused, not taken for today
    if date is None:
        return dates.today()
    day = dates.parse_date(date)
    today = dates.today()
    if day > today:
        # a sheet of a day to come is today's ledger counted forward, not a record of it
        render.warn(t("warn.future_day", day=day, today=today))
    return day


DateOption = Annotated[str | None, typer.Option("--date", help="As of this date (default: today)")]


@app.command()
def daily(
    date: DateOption = None,
    as_json: JsonFlag = False,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Write a page to print (A4)", click_type=_output_path()),
    ] = None,
    full_contact: FullContact = False,
) -> None:
    """The day's dispatch sheet, as of the end of DATE. 每日工作单。"""
    from ledger import reports

    day = _day_option(date)
    ledger = _ledger()
    with ledger.reading():
        cal = ledger.calendar(as_of=dates.end_of_day(day))
        # the terminal shows SHEET_ROWS of each list: the text of the rest is not read
        shown = None if as_json or html is not None else render.SHEET_ROWS
        sheet = reports.daily(ledger, cal, day, full_contact, shown)
        window = _window_name(ledger)
        clerk = ledger.settings()["clerk_name"]
    if html is not None:
        page = render.daily_html(sheet, window, clerk)
        files.write(html, lambda handle: handle.write(page.encode("utf-8")), ledger.path)
    if as_json:
        print_json(sheet)
    elif html is None:
        render.daily(sheet, window)
    else:
        render.say(t("page.saved", path=html))
    _warn_unconfirmed(cal)


@app.command()
def overdue(
    date: DateOption = None,
    dept: Dept = None,
    as_json: JsonFlag = False,
    full_contact: FullContact = False,
) -> None:
    """Late cases as of DATE, worst first. 超期案件。"""
    from ledger import reports
    from ledger.actions import Desk

    day = _day_option(date)
    ledger = _ledger()
    with ledger.reading():
        name = Desk(ledger).department(dept)["name"] if dept is not None else None
        cal = ledger.calendar(as_of=dates.end_of_day(day))
        report = reports.overdue(ledger, cal, day, name, full_contact)
    print_json(report) if as_json else render.overdue(report)
    _warn_unconfirmed(cal)


WEEKLY_HELP = """Figures for a week (default: last full week) or a period. 周报。

received: cases received in the period. resolved: cases resolved in it; resolved_on_time: of
those, on or before their deadline; on_time_rate = resolved_on_time / resolved. closed:
applicants answered in the period. feedback_rate: of the cases resolved in the period, the share
answered by its end. satisfaction_rate: (satisfied + basic) / answers with a rating given in the
period. open: received by the end and not resolved then; overdue: of those, past their deadline
at the end. avg_working_days_to_resolve: working days after the receipt day up to and including
the resolution day (0 on the day of receipt), averaged over the cases resolved in the period.
Rates are fractions from 0 to 1, null when there is nothing to divide by. Void cases are left
out. Breakdowns count the cases received, by section, department, problem and channel."""


@app.command()
def notices(
    date: DateOption = None,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            help="Write the notices to print, one A4 page each",
            click_type=_output_path(),
        ),
    ] = None,
    record: Annotated[
        bool, typer.Option("--record", help="Record a chase on each listed case.")
    ] = False,
    at: At = None,
    as_json: JsonFlag = False,
) -> None:
    """The day's chase notices, one per department. 催办通知书。"""
    from ledger import reports
    from ledger.actions import Desk, record_notices

    if at is not None and not record:
        raise BadInput("err.at_without_record")
    given_at = record and at is not None and date is None
    if record and date is not None:
        # refused before the sheet's note on a day to come, which promised what never came
        when = dates.parse_at(at) if at is not None else dates.now()
        if when.date() != dates.parse_date(date):
            raise BadInput("err.notice_day", date=dates.parse_date(date), at=dates.minute(when))
    day = dates.parse_at(at).date() if given_at else _day_option(date)
    ledger = _ledger(records=record)
    with ledger.writing() if record else ledger.reading():
        # (recorded, the day is today: the calendar in force at its end is today's)
        cal = ledger.calendar(as_of=dates.end_of_day(day))
        found = reports.notices(ledger, cal, day)
        chased = record_notices(Desk(ledger, cal), found, at) if record else None
        window = _window_name(ledger)
        if html is not None:
            # written before the chases are committed: a page that cannot be written (a
            # missing folder, a full disk) leaves them unrecorded, to be run again
            page = render.notices_html(found, window, ledger.settings()["clerk_name"])
            files.write(html, lambda handle: handle.write(page.encode("utf-8")), ledger.path)
    if as_json:
        print_json(found if chased is None else {**found, "recorded": chased})
    elif html is None:
        render.notices(found, window)
    else:
        render.say(t("page.saved", path=html))
    if chased is not None and not as_json:
        render.say(t("notice.recorded", count=len(chased), date=day))
    _warn_unconfirmed(cal)


@app.command(help=WEEKLY_HELP)
def weekly(
    week: Week = None,
    month: Month = None,
    quarter: Quarter = None,
    date_from: PeriodFrom = None,
    date_to: PeriodTo = None,
    as_json: JsonFlag = False,
    csv_file: FiguresCsv = None,
    encoding: CsvEncoding = None,
) -> None:
    from ledger import reports, sheets

    start, end = _period(week, date_from, date_to, month, quarter)
    encoding = sheets.csv_encoding(encoding, csv_file, "--csv")
    ledger = _ledger()
    with ledger.reading():
        counted = reports.counted_to(start, end, dates.today())
        cal = ledger.calendar(as_of=dates.end_of_day(counted))
        figures = reports.weekly(ledger, cal, start, end, dates.today())
    if csv_file is not None:
        sheets.weekly_file(csv_file, figures, encoding, ledger.path)
    if as_json:
        print_json(figures)
    else:
        render.weekly(figures)
        if csv_file is not None:
            render.say(t("weekly.saved", path=csv_file))
    _warn_unconfirmed(cal)


def _period(
    week: str | None,
    date_from: str | None,
    date_to: str | None,
    month: str | None = None,
    quarter: str | None = None,
):
    start, end = _period_asked(week, date_from, date_to, month, quarter)
    if start > dates.today():
        # no day of it has happened: its figures would all be nothing, or a guess
        raise BadInput("err.period_not_begun", start=start, today=dates.today())
    return start, end


def _period_asked(
    week: str | None,
    date_from: str | None,
    date_to: str | None,
    month: str | None,
    quarter: str | None,
) -> tuple[dt.date, dt.date]:
    # an option given empty (a script's unset variable) is given: refused, never the default
    span = None if date_from is None and date_to is None else (date_from, date_to)
    if sum(x is not None for x in (week, month, quarter, span)) > 1:
        raise BadCommandLine("err.week_and_dates")
    if week is not None:
        return dates.parse_week(week)
    if month is not None:
        return dates.parse_month(month)
    if quarter is not None:
        return dates.parse_quarter(quarter)
    if span is not None:
        if date_from is None or date_to is None:
            raise BadCommandLine("err.period_needs_both")
        start, end = dates.parse_date(date_from), dates.parse_date(date_to)
        if end < start:
            raise BadInput("err.period_order", start=start, end=end)
        return start, end
    monday = dates.today() - dt.timedelta(days=dates.today().weekday() + 7)
    return monday, monday + dt.timedelta(days=6)


# -- the office above (SPEC §13) --------------------------------------------------------


@app.command()
def pack(
    out: Annotated[Path, typer.Argument(help="The pack file to write", click_type=_output_path())],
) -> None:
    """A masked, self-contained copy to send to the office above. 生成报送数据包。"""
    from ledger.packs import make_pack

    ledger = _ledger()
    render.pack_made(make_pack(ledger, out, dates.now()))


@app.command()
def city(
    packs: Annotated[
        list[Path], typer.Argument(help="Packs made by `ledger pack`", readable=False)
    ],
    week: Week = None,
    month: Month = None,
    quarter: Quarter = None,
    date_from: PeriodFrom = None,
    date_to: PeriodTo = None,
    as_json: JsonFlag = False,
    csv_file: FiguresCsv = None,
    encoding: CsvEncoding = None,
) -> None:
    """The weekly figures of every window, from their packs, and the total. 各窗口汇总。"""
    from ledger import reports, sheets
    from ledger.city_sheet import city_sections
    from ledger.packs import check_packs, each_pack
    from ledger.words import period_span

    start, end = _period(week, date_from, date_to, month, quarter)
    encoding = sheets.csv_encoding(encoding, csv_file, "--csv")
    paths = check_packs(packs)
    if csv_file is not None:
        _not_a_pack(csv_file, paths)
    unconfirmed: set[int] = set()
    report = reports.city(each_pack(paths), start, end, unconfirmed, dates.today())
    if csv_file is not None:
        title = t("city.title", span=period_span(report))
        sheets.report_file(csv_file, title, city_sections(report), encoding, Session.path())
    if as_json:
        print_json(report)
    else:
        render.city(report)
        if csv_file is not None:
            render.say(t("city.saved", path=csv_file))
    if unconfirmed:
        years = t("list_sep").join(map(str, sorted(unconfirmed)))
        render.warn(t("warn.unconfirmed_city", years=years))
    for window in reports.older_windows(report):
        code, as_of = window["window"]["code"], window["as_of"]
        render.warn(t("warn.pack_older", code=code, as_of=as_of, end=report["as_of"]))


def _not_a_pack(target: Path, packs: list[Path]) -> None:
    """The city's sheet never lands on a pack it is adding up."""
    with contextlib.suppress(OSError):
        if target.exists() and any(os.path.samefile(target, p) for p in packs):
            raise BadInput("err.out_is_pack", path=target)
