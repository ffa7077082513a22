"""The command line: parse, make one call below, render. Nothing else lives here."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ledger import calendar as workcal
from ledger import dates, i18n, render
from ledger.errors import BadInput, LedgerError
from ledger.i18n import t

# -- the error boundary -----------------------------------------------------------------


def _lang_from_args(args: list[str]) -> str | None:
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


class LedgerGroup(TyperGroup):
    """Turns every error the clerk can cause into one line on stderr and an exit code."""

    def main(
        self,
        args: Any = None,
        prog_name: Any = None,
        complete_var: Any = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        args = list(sys.argv[1:] if args is None else args)
        lang = i18n.detect_language(_lang_from_args(args))
        i18n.set_language(lang if lang in i18n.LANGUAGES else "en")
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except LedgerError as error:
            render.fail(error.message())
            code = error.exit_code
        except Exception as error:
            # click's errors, whichever copy of click this typer carries
            if type(error).__name__ == "Abort":
                code = 1
            elif hasattr(error, "format_message") and hasattr(error, "exit_code"):
                render.fail(t("err.usage", detail=error.format_message()))
                code = error.exit_code
            else:
                raise
        sys.exit(code if isinstance(code, int) else 0)


class DefaultShowGroup(LedgerGroup):
    """`ledger calendar 2026-10` is `ledger calendar show 2026-10`: a first argument that is
    a date (or nothing at all) goes to `show`, a word to the subcommand."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        first = next((a for a in args if not a.startswith("-")), None)
        asks_help = first is None and "--help" in args
        if not asks_help and first not in self.commands:
            args = ["show", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=LedgerGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="The case ledger of the 办不成事 window. 办不成事反映窗口台账。",
)
calendar_app = typer.Typer(cls=DefaultShowGroup, help="The working-day calendar. 工作日日历。")
settings_app = typer.Typer(cls=LedgerGroup, help="Window name, time limits, clerk. 设置。")
app.add_typer(calendar_app, name="calendar")
app.add_typer(settings_app, name="settings")


class Session:
    db_path: Path | None = None
    _ledger = None

    @classmethod
    def ledger(cls):
        if cls._ledger is None:
            from ledger.store import Ledger, default_path

            cls._ledger = Ledger(cls.db_path or default_path())
        return cls._ledger

    @classmethod
    def close(cls) -> None:
        if cls._ledger is not None:
            cls._ledger.close()
            cls._ledger = None


def _ledger():
    return Session.ledger()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[Path | None, typer.Option("--db", help="Ledger file (else $LEDGER_DB).")] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="zh or en (else $LEDGER_LANG).")
    ] = None,
) -> None:
    """The case ledger of the 办不成事 window. 办不成事反映窗口台账。"""
    chosen = i18n.detect_language(lang)
    if chosen not in i18n.LANGUAGES:
        raise BadInput("err.bad_lang", value=lang or chosen)
    i18n.set_language(chosen)
    Session.close()
    Session.db_path = db
    ctx.call_on_close(Session.close)


def _warn_unconfirmed(cal: workcal.WorkCalendar, years: Any = None) -> None:
    missing = cal.unconfirmed_years(years)
    if missing:
        render.warn(t("warn.unconfirmed", years="、".join(map(str, missing))))


JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]

# -- calendar ---------------------------------------------------------------------------


@calendar_app.command("show")
def calendar_show(
    period: Annotated[
        str | None, typer.Argument(help="YYYY-MM or YYYY (default: this month)")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Print a month or a year as a grid. 显示某月或某年的日历。"""
    today = dt.date.today()
    period = period or f"{today:%Y-%m}"
    cal = _ledger().calendar()
    if re.fullmatch(r"\d{4}", period):
        year = dates.parse_year(period)
        months = [workcal.month_days(cal, year, m) for m in range(1, 13)]
        if as_json:
            render.print_json([d.as_json() for m in months for d in m])
        else:
            render.calendar_year(months, today, bool(cal.unconfirmed_years([year])))
    else:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", period)
        if not match or not 1 <= int(match[2]) <= 12:
            raise BadInput("err.bad_month", value=period)
        year, month = dates.parse_year(match[1]), int(match[2])
        days = workcal.month_days(cal, year, month)
        if as_json:
            render.print_json([d.as_json() for d in days])
        else:
            render.calendar_month(days, today, bool(cal.unconfirmed_years([year])))
    _warn_unconfirmed(cal, [year])


def _override(day: str, working: bool, name: str | None) -> None:
    when = dates.parse_date(day)
    ledger = _ledger()
    with ledger.writing():
        ledger.set_override(when, working, name, dates.minute(dates.now()))
    key = "cal.set_workday" if working else "cal.set_holiday"
    render.say(t(key, date=when, name=f"（{name}）" if name else ""))


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
    when = dates.parse_date(day)
    ledger = _ledger()
    with ledger.writing():
        cleared = ledger.clear_override(when)
    render.say(t("cal.cleared" if cleared else "cal.nothing_to_clear", date=when))


@calendar_app.command("confirm")
def calendar_confirm(year: str) -> None:
    """Mark YEAR's schedule as entered and confirmed by the clerk. 确认某年的放假安排。"""
    which = dates.parse_year(year)
    ledger = _ledger()
    with ledger.writing():
        ledger.confirm_year(which, dates.minute(dates.now()))
    render.say(t("cal.confirmed", year=which))


@calendar_app.command("years")
def calendar_years(as_json: JsonFlag = False) -> None:
    """Which years are confirmed, and by what. 各年份的确认情况。"""
    ledger = _ledger()
    cal = ledger.calendar()
    rows = {r["year"]: r for r in ledger.calendar_years()}
    this_year = dt.date.today().year
    for year in range(this_year - 1, this_year + 2):
        rows.setdefault(year, {"year": year, "overrides": 0, "clerk_confirmed_at": None})
    result = [{**rows[y], "confirmed_by": cal.confirmed_by(y)} for y in sorted(rows)]
    render.print_json(result) if as_json else render.calendar_years(result)


@app.command()
def deadline(
    start: Annotated[str, typer.Argument(help="Receipt date")],
    days: Annotated[int | None, typer.Option("--days", help="Working days")] = None,
    limit: Annotated[str | None, typer.Option("--limit", help="Time-limit class")] = None,
    as_json: JsonFlag = False,
) -> None:
    """When is it due? Lists the non-working days skipped. 计算办理期限。"""
    from ledger.timelimits import explain_deadline
    from ledger.words import parse_code

    if days is not None and limit is not None:
        raise BadInput("err.days_and_limit")
    ledger = _ledger()
    if days is None:
        days = ledger.limits()[parse_code("limit", limit or "standard")]
    if not 0 <= days <= 365:
        raise BadInput("err.days_range", value=days)
    cal = ledger.calendar()
    answer = explain_deadline(dates.parse_date(start), days, cal)
    render.print_json(answer) if as_json else render.deadline(answer)
    _warn_unconfirmed(cal, answer["unconfirmed_years"])


# -- settings, copies, checks -----------------------------------------------------------


@settings_app.command("show")
def settings_show(as_json: JsonFlag = False) -> None:
    """Print the settings. 显示设置。"""
    values = _ledger().settings()
    render.print_json(values) if as_json else render.settings(values)


@settings_app.command("set")
def settings_set(key: str, value: str) -> None:
    """Change one setting. 修改设置。"""
    from ledger.store import validate_setting

    ledger = _ledger()
    clean = validate_setting(key, value)
    with ledger.writing():
        ledger.set_setting(key, clean)
    render.say(t("settings.saved", key=key, value=clean))


@app.command()
def backup(
    target: Annotated[Path | None, typer.Argument(help="File to write (default: backups/)")] = None,
) -> None:
    """Copy the ledger now (SQLite online backup). 立即备份台账。"""
    ledger = _ledger()
    render.say(t("backup.made", path=ledger.backup_now(target)))


@app.command()
def check() -> None:
    """Integrity check and the ledger's own consistency checks. 检查台账文件。"""
    ledger = _ledger()
    problems, counts = ledger.check()
    render.check(problems, counts)
    if problems:
        raise typer.Exit(1)


def main() -> None:
    app()
