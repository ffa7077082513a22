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
from ledger.words import CASE_FIELDS

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


# -- cases ------------------------------------------------------------------------------

NONE = "—"


def _value(word: str | None, value: object) -> str:
    if value is None or value == "" or value == []:
        return NONE
    if isinstance(value, list):
        return t("list_sep").join(label(word, v) if word else str(v) for v in value)
    return label(word, str(value)) if word else str(value)


def show_case(case: dict) -> None:
    from rich.panel import Panel

    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="bold")
    fields.add_column()
    for key, word in CASE_FIELDS:
        if key in ("id", "status", "extensions") or (key == "ref" and not case.get("ref")):
            continue
        fields.add_row(t(f"field.{key}"), Text(_value(word, case.get(key))))
    for ext in case.get("extensions", []):
        fields.add_row(
            t("field.extensions"),
            Text(
                t(
                    "case.extension_line",
                    at=ext["at"],
                    days=ext["days"],
                    old=ext["from"],
                    new=ext["to"],
                    reason=ext["reason"],
                )
            ),
        )
    title = f"{case['id']} · {label('status', case['status'])}"
    console.print(Panel(fields, title=title, title_align="left", expand=False))
    if case.get("repeats"):
        console.print(
            Text(f"{t('case.repeat_title')}: {'、'.join(case['repeats'])}", style="yellow")
        )
    timeline = Table(title=t("case.timeline"), box=box.SIMPLE_HEAD, title_justify="left")
    timeline.add_column(t("case.col_at"), no_wrap=True)
    timeline.add_column(t("case.col_event"))
    timeline.add_column(t("case.col_change"))
    timeline.add_column(t("case.col_note"))
    for event in case.get("timeline", []):
        change = label("status", event["status_to"])
        if event["status_from"] and event["status_from"] != event["status_to"]:
            change = f"{label('status', event['status_from'])} → {change}"
        note = event["note"] or ""
        if event["field"] and event["action"] == "edit":
            note = f"{event['field']}: {event['old_value'] or NONE} → {event['new_value'] or NONE}"
        timeline.add_row(event["at"], t(f"event.{event['action']}"), change, Text(note))
    console.print(timeline)


def case_list(cases: list[dict], total: int) -> None:
    if not cases:
        say(t("list.empty"))
        return
    table = Table(title=t("list.title"), box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column(t("field.id"), no_wrap=True)
    table.add_column(t("field.received_at"), no_wrap=True)
    table.add_column(t("field.applicant"))
    table.add_column(t("field.matter"), ratio=2)
    table.add_column(t("field.department"))
    table.add_column(t("field.deadline"), no_wrap=True)
    table.add_column(t("field.status"))
    for case in cases:
        table.add_row(
            case["id"],
            case["received_at"][:10],
            Text(case["applicant"]),
            Text(case["matter"]),
            Text(case.get("department") or NONE),
            case["deadline"],
            label("status", case["status"]),
        )
    console.print(table)
    if total > len(cases):
        say(t("list.more", more=total - len(cases), total=total))


def departments(rows: list[dict]) -> None:
    table = Table(title=t("dept.title"), box=box.SIMPLE_HEAD)
    for key in ("name", "kind", "floor", "phone", "open"):
        table.add_column(t(f"dept.col_{key}"), justify="right" if key == "open" else "left")
    for row in rows:
        table.add_row(
            row["name"],
            label("kind", row["kind"]),
            row["floor"] or NONE,
            row["phone"] or NONE,
            str(row["open"]),
        )
    console.print(table)


PAGE = 50


def moved(case: dict, move: str) -> None:
    if move == "received":
        say(t("case.added", id=case["id"], deadline=case["deadline"]))
        return
    line = t(
        "case.moved",
        id=case["id"],
        event=t(f"event.{move}"),
        status=label("status", case["status"]),
    )
    if case["status"] in ("received", "classified", "dispatched"):
        line += t("sep")
        line += t("case.deadline_now", deadline=case["deadline"])
    elif case["status"] == "resolved":
        line += t("sep")
        line += t("case.feedback_due_now", date=case["feedback_due"])
    say(line)


# -- CSV --------------------------------------------------------------------------------


def write_file(path, write) -> int:
    """Write through a temporary file and rename, so a failed write leaves no half file."""
    import os
    from pathlib import Path

    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("wb") as handle:
            count = write(handle)
        os.replace(partial, path)
    finally:
        if partial.exists():
            partial.unlink()
    return count


def import_problems(problems: list[tuple[int, str]]) -> None:
    """One line per bad row, then a summary (SPEC §7)."""
    for line, reason in problems:
        errors.print(Text(t("imp.line", line=line, reason=reason), style="red"), soft_wrap=True)
    errors.print(Text(t("imp.summary", bad=len(problems)), style="bold red"), soft_wrap=True)


def import_report(report, dry_run: bool) -> None:
    say(t("imp.dry" if dry_run else "imp.done", new=report.new, same=report.same))
    if report.departments_added:
        say(t("imp.departments_added", names=t("list_sep").join(report.departments_added)))
    if report.unknown_columns:
        warn(t("imp.ignored", columns=t("list_sep").join(report.unknown_columns)))


class import_progress:  # noqa: N801 - used as a context manager, like open()
    """A progress bar on stderr for files of more than a few thousand rows, at a terminal."""

    THRESHOLD = 1 << 20  # bytes: about five thousand rows

    def __init__(self, path) -> None:
        self.path = path
        self.bar = None

    def __enter__(self):
        from pathlib import Path

        path = Path(self.path)
        if not (errors.is_terminal and path.exists() and path.stat().st_size > self.THRESHOLD):
            return None
        from rich.progress import Progress

        from ledger.sheets import count_lines

        self.bar = Progress(console=errors, transient=True)
        self.bar.start()
        task = self.bar.add_task(t("imp.progress"), total=count_lines(path))
        return lambda done: self.bar.update(task, completed=done)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()
