"""Turning plain data into what the clerk reads: the only module that knows Rich.

Nothing here reads the clock or the ledger; lateness, due-soon and the like come decided in
the data.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable

from rich import box
from rich.columns import Columns
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ledger.calendar import DayInfo
from ledger.i18n import label, t

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


def print_json(data: object) -> None:
    """Scripts read stdout: nothing but the JSON goes there."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def say(message: str) -> None:
    console.print(Text(message))


def warn(message: str) -> None:
    errors.print(Text(message, style="yellow"), soft_wrap=True)


def fail(message: str) -> None:
    errors.print(Text(message, style="red"), soft_wrap=True)


def weekday(day: dt.date) -> str:
    return t(f"weekday.{day.weekday()}")


# -- calendar ---------------------------------------------------------------------------


def _day_cell(day: DayInfo, today: dt.date) -> Text:
    text = Text(f"{day.day.day:>2}")
    if day.makeup:
        text.append(t("cal.makeup_mark"), style="bold cyan")
    elif day.source == "override":
        text.append("*", style="bold magenta")
    else:
        text.append(" ")
    if day.source == "override":
        text.stylize("underline")
    if not day.working:
        text.stylize("bold red")
    if day.day == today:
        text.stylize("reverse")
    return text


def month_grid(days: list[DayInfo], today: dt.date, unconfirmed: bool) -> Table:
    first = days[0].day
    title = t("cal.month_title", year=first.year, month_name=t(f"month.{first.month}"))
    if unconfirmed:
        title += t("cal.unconfirmed_mark", year=first.year)
    grid = Table(title=title, box=box.SIMPLE, padding=(0, 0), show_edge=False)
    for name in t("cal.weekdays").split():
        grid.add_column(name, justify="right", width=4)
    row: list[Text] = [Text("")] * first.weekday()
    for day in days:
        row.append(_day_cell(day, today))
        if len(row) == 7:
            grid.add_row(*row)
            row = []
    if row:
        grid.add_row(*row, *[Text("")] * (7 - len(row)))
    return grid


def named_days(days: Iterable[DayInfo]) -> Table:
    table = Table(box=box.SIMPLE, show_header=True)
    table.add_column(t("cal.col_date"))
    table.add_column(t("cal.col_kind"))
    table.add_column(t("cal.col_name"))
    for day in days:
        if day.name is None:
            continue
        kind = t("cal.kind_workday") if day.working else t("cal.kind_holiday")
        style = "red" if not day.working else "cyan"
        marker = " *" if day.source == "override" else ""
        table.add_row(
            f"{day.day.isoformat()} {weekday(day.day)}", Text(kind, style=style), day.name + marker
        )
    return table


def calendar_month(days: list[DayInfo], today: dt.date, unconfirmed: bool) -> None:
    console.print(month_grid(days, today, unconfirmed))
    console.print(named_days(days))
    console.print(Text(t("cal.legend"), style="dim"))


def calendar_year(months: list[list[DayInfo]], today: dt.date, unconfirmed: bool) -> None:
    console.print(Columns([month_grid(m, today, unconfirmed) for m in months], padding=(0, 3)))
    console.print(named_days(d for m in months for d in m))
    console.print(Text(t("cal.legend"), style="dim"))


def calendar_years(rows: list[dict]) -> None:
    table = Table(title=t("cal.years_title"), box=box.SIMPLE_HEAD)
    table.add_column(t("cal.col_year"))
    table.add_column(t("cal.col_by"))
    table.add_column(t("cal.col_overrides"), justify="right")
    for row in rows:
        by = {
            "package": t("cal.by_package"),
            "clerk": t("cal.by_clerk", date=row.get("clerk_confirmed_at") or ""),
            None: t("cal.by_none"),
        }[row["confirmed_by"]]
        table.add_row(
            str(row["year"]),
            Text(by, style="" if row["confirmed_by"] else "yellow"),
            str(row["overrides"]),
        )
    console.print(table)


def deadline(answer: dict) -> None:
    start = dt.date.fromisoformat(answer["start"])
    due = dt.date.fromisoformat(answer["deadline"])
    console.print(Text(t("deadline.title", start=f"{start} {weekday(start)}", days=answer["days"])))
    console.print(Text(t("deadline.due", deadline=due, weekday=weekday(due)), style="bold"))
    if answer["skipped"]:
        console.print(Text(t("deadline.skipped")))
        for skipped in answer["skipped"]:
            day = dt.date.fromisoformat(skipped["date"])
            name = skipped["name"] or t("weekend")
            console.print(Text(f"  {day} {weekday(day)}  {name}", style="red"))
    else:
        console.print(Text(t("deadline.none_skipped")))
    console.print(Text(t("deadline.rule"), style="dim"))


# -- settings ---------------------------------------------------------------------------


def settings(values: dict[str, str]) -> None:
    table = Table(title=t("settings.title"), box=box.SIMPLE_HEAD)
    table.add_column(t("settings.col_key"))
    table.add_column(t("settings.col_value"))
    table.add_column(t("settings.col_about"))
    for key, value in values.items():
        table.add_row(key, value, t(f"settings.{key}"))
    console.print(table)


def check(problems: list[str], counts: dict[str, int]) -> None:
    if problems:
        for problem in problems:
            fail(t("check.problem", problem=problem))
    else:
        say(t("check.ok", **counts))


def code_label(word: str, code: str | None) -> str:
    return label(word, code) if code else t("case.none")
