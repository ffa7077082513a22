"""Turning plain data into what the clerk reads: the only module that knows Rich.

Nothing here reads the clock or the ledger; lateness, due-soon and the like come decided in
the data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
from collections.abc import Iterable

from rich import box
from rich.cells import cell_len, chop_cells
from rich.columns import Columns
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from ledger import linebreak
from ledger.calendar import DayInfo
from ledger.i18n import label, t
from ledger.patterns import lazy_pattern
from ledger.text import one_line, percent, printable
from ledger.words import CASE_FIELDS, period_span, period_title

linebreak.install()  # a sign or a code is never cut from its line (`linebreak`)


# Text that came from the clerk or a file is never markup (SPEC §5): the consoles read no
# markup and no emoji codes at all, and every cell passes through `_x`, which shows control
# characters as visible signs instead of sending them to the terminal.
class _Console(Console):
    def on_broken_pipe(self) -> None:
        # Rich would exit quietly; the clerk is told in one line instead (SPEC §9)
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


console = _Console(highlight=False, markup=False, emoji=False)
errors = _Console(stderr=True, highlight=False, markup=False, emoji=False)


def _x(value: object, style: str = "") -> Text:
    """A value from the ledger as a cell: literal, printable."""
    return Text(printable(value), style=style)


class SafeTable(Table):
    """A table whose text cells and title are always literal and printable: the one way a
    row reaches Rich, so no cell can be read as markup or carry a control sequence."""

    def __init__(self, *headers, title=None, **options) -> None:
        if isinstance(title, str):
            title = _x(title)
        super().__init__(*headers, title=title, **options)

    def add_row(self, *cells, **options) -> None:
        super().add_row(*(_x(c) if isinstance(c, (str, bytes)) else c for c in cells), **options)

    def add_column(self, *args, **options) -> None:
        # Chinese has no spaces to wrap at: a narrowed cell folds (what Rich does for a word
        # too long for its line) instead of losing its tail to "…" — a reason, a setting's
        # meaning; a name (`no_wrap`) too, once it has had the room it may take
        options.setdefault("overflow", "fold")
        super().add_column(*args, **options)

    # Rich reads a column's `ratio` only in a table stretched to the full width; a sheet's
    # table is as wide as its content, so here the columns with a ratio share the room the
    # others leave: a column that keeps to one line (a name: `no_wrap`, wrapped at last) of up to
    # NAME_WHOLE cells takes what it needs first, as long as each wrapping one (a matter:
    # `overflow="fold"`) keeps its floor (its `min_width`, and room for its heading's words);
    # a longer name shares the room with them by the ratios; the wrapping ones share the rest
    # by their ratios. A fixed column that may wrap (a long status in English) gives up room
    # down to its longest word while a matter would read under READABLE cells, and when even
    # the floors do not fit every shared column gives up alike: no column is ever squeezed
    # out of the table.
    def __rich_console__(self, console, options):
        table = self._shared(console, options)
        quick = _quick_layout(table, console, options)
        if quick is None:
            yield from Table.__rich_console__(table, console, options)
        else:
            yield from quick

    def __rich_measure__(self, console, options):
        return Table.__rich_measure__(self._shared(console, options), console, options)

    def _shared(self, console, options) -> Table:
        from copy import copy
        from dataclasses import replace

        from rich.measure import Measurement

        columns = self.columns
        flexible = [i for i, c in enumerate(columns) if c.ratio]
        if not flexible or self.expand:
            return self
        width = (self.width or options.max_width) - self._extra_width
        wide = options.update_width(max(1, width))

        def measure(cell) -> int:
            if isinstance(cell, Text):  # nearly every cell: its longest line, quickly
                return max(map(cell_len, cell.plain.split("\n")))
            return Measurement.get(console, wide, cell).maximum

        def longest_word(cell) -> int:
            if isinstance(cell, Text):
                return max(map(cell_len, cell.plain.split()), default=0)
            return Measurement.get(console, wide, cell).minimum

        needs, heads = [], []
        for column in columns:
            head = column.header
            heads.append(measure(head) if column.no_wrap else longest_word(head))
            need = max(max(map(measure, column.cells), default=0), measure(head))
            needs.append(min(need, column.max_width) if column.max_width else need)
        fixed = [i for i in range(len(columns)) if i not in flexible]
        room = width - sum(self._get_padding_width(i) for i in range(len(columns)))
        room -= sum(needs[i] for i in fixed)
        floors = {i: min(needs[i], columns[i].min_width or 8) for i in flexible}
        least = sum(floors.values())
        # a matter reads whole up to READABLE cells: before it wraps shorter, a fixed column
        # that may wrap (a long status, a heading of two words) and a name give up room
        comfort = {
            i: min(needs[i], max(floors[i], READABLE)) for i in flexible if not columns[i].no_wrap
        }
        # (and a name of up to NAME_WHOLE cells, which stays whole below, takes what it needs)
        named = sum(min(needs[i], NAME_WHOLE) for i in flexible if columns[i].no_wrap)
        wanted = named + sum(comfort.values())
        given: dict[int, int] = {}
        wrapping = [i for i in fixed if not columns[i].no_wrap and columns[i].width is None]
        for i in sorted(wrapping, key=lambda i: -needs[i]):
            if room >= wanted:
                break
            smallest = max(heads[i], max(map(longest_word, columns[i].cells), default=0))
            give = min(needs[i] - smallest, wanted - room)
            if give > 0:
                given[i] = needs[i] - give
                room += give
        table = copy(self)
        if room < least:  # a narrow terminal: two spaces between columns, not three
            table.collapse_padding, table.show_edge = True, False
            room += _chrome(self) - _chrome(table)
        if room < least:  # still narrow: each keeps its heading, the matter the rest
            floors = {i: min(needs[i], max(4, heads[i])) for i in flexible}
            total = max(1, sum(floors.values()))
            if room < total:  # too narrow even for the headings: each gives up alike
                floors = {i: max(2, floors[i] * room // total) for i in flexible}
            given.update(floors)
            spare = max(0, room - sum(floors.values()))  # the floors may overrun: no less
            for i in sorted(flexible, key=lambda i: -columns[i].ratio):
                more = min(spare, needs[i] - given[i])
                given[i] += more
                spare -= more
        else:
            cut = [i for i in flexible if columns[i].no_wrap]
            wrap = [i for i in flexible if not columns[i].no_wrap]
            # a name of up to NAME_WHOLE cells stays whole while the matter keeps its floor;
            # a longer one, which would be cut anyway, shares the room with the matter by
            # their ratios (the matter wraps, losing nothing; a cut name loses its tail)
            whole = min(NAME_WHOLE, room - sum(floors[i] for i in wrap))
            shares = _share(room, flexible, needs, columns, floors)
            for i in cut:
                given[i] = needs[i] if needs[i] <= whole else max(floors[i], shares[i])
            room -= sum(given[i] for i in cut)
            # a wrapping column's heading stays whole: its neighbours give up room for it,
            # each down to its own heading (and never under eight cells)
            headed = {i: min(needs[i], max(floors[i], heads[i])) for i in wrap}
            excess = sum(headed.values()) - room
            for i in sorted(wrap, key=lambda i: -headed[i]):
                give = min(excess, headed[i] - max(heads[i], 8))
                if give > 0:
                    headed[i] -= give
                    excess -= give
            if excess <= 0:
                floors = headed
            given.update(_share(room, wrap, needs, columns, floors))
        # a name longer than the room it was given wraps rather than lose its tail: two
        # branches of one company (…第1分公司, …第2分公司) cut alike could not be told apart
        table.columns = [
            replace(c, max_width=given[i], min_width=None, no_wrap=False, overflow="fold")
            if i in given and c.no_wrap
            else replace(c, max_width=given[i], min_width=None)
            if i in given
            else c
            for i, c in enumerate(columns)
        ]
        return table


def _chrome(table: Table) -> int:
    """The cells of a table's line that are not its cells' text: edges, dividers, padding."""
    return table._extra_width + sum(map(table._get_padding_width, range(len(table.columns))))


def _quick_layout(table: Table, console: Console, options) -> list | None:
    """A sheet's table laid out as Rich lays it out, for the tables the sheets make (a
    heading rule, no borders, text cells), without Rich's measuring and wrapping of every
    cell: that is most of a morning sheet's time. A cell that does not fit on its line is
    still wrapped by Rich, a table too wide for the terminal is narrowed by Rich, and any
    other table is left to Rich whole (None); tests/test_render_tables.py holds the two to
    the same output."""
    from rich.cells import cell_len
    from rich.measure import Measurement
    from rich.padding import Padding
    from rich.segment import Segment
    from rich.style import Style

    columns = table.columns
    if (
        table.box is not box.SIMPLE_HEAD
        or not table.show_header
        or not table.show_edge
        or table.show_footer
        or table.show_lines
        or table.leading
        or table.caption
        or table.row_styles
        or table.style not in (None, "", "none")
        or table.border_style
        or table.header_style != "table.header"
        or table.collapse_padding
        or table.pad_edge
        or table.padding != (0, 1, 0, 1)
        or table.width is not None
        or table.min_width is not None
        or table.expand
        or console._markup  # a str heading would be read as markup
        or any(row.style or row.end_section for row in table.rows)
        or any(
            c.style
            or c.header_style
            or c.width is not None
            or c.vertical != "top"
            or c.justify not in ("left", "right")
            or not isinstance(c.header, (str, Text))
            for c in columns
        )
    ):
        return None
    heads = [Text(c.header) if isinstance(c.header, str) else c.header for c in columns]
    cells = [c._cells for c in columns]
    if not all(isinstance(cell, Text) for column in cells for cell in column):
        return None
    last = len(columns) - 1
    pads = [(0 if i == 0 else 1, 0 if i == last else 1) for i in range(len(columns))]
    room = options.max_width - table._extra_width
    widths = []
    for i, column in enumerate(columns):
        need = max(Measurement.get(console, options, heads[i]).maximum, 0)
        for cell in cells[i]:
            plain = cell.plain
            need = max(need, max(map(cell_len, plain.splitlines())) if plain else 0)
        width = max(need, column.min_width or 0) + sum(pads[i])
        if column.max_width is not None:
            width = min(width, column.max_width + sum(pads[i]))
        widths.append(width or 1)
    if sum(widths) > room:  # too wide: Rich narrows the columns its way
        widths = table._calculate_column_widths(console, options.update_width(room))
    if any(width <= sum(pad) for width, pad in zip(widths, pads, strict=True)):
        return None  # a column with no room for a character: Rich's corner, left to Rich

    table_width = sum(widths) + table._extra_width
    out_options = options.update(width=table_width, highlight=table.highlight, height=None)
    lines: list = []
    if table.title:
        title = table.title
        if isinstance(title, str):
            title = console.render_str(title, style=table.title_style or "", highlight=False)
        lines += console.render(title, out_options.update(justify=table.title_justify))
    safe = console.safe_box if table.safe_box is None else table.safe_box
    edges = table.box.substitute(options, safe=safe)
    null = Style.null()
    new_line = Segment.line()
    lines += [Segment(edges.get_top(widths), null), new_line]
    header_style = console.get_style("table.header")
    rows = [(heads, header_style)] + [
        ([cells[i][n] for i in range(len(columns))], null) for n in range(len(table.rows))
    ]
    for n, (row, style) in enumerate(rows):
        rendered = []
        for i, cell in enumerate(row):
            column, width = columns[i], widths[i]
            left, right = pads[i]
            room_in = width - left - right
            plain = cell.plain
            if not cell.spans and plain.isprintable() and cell_len(plain) <= room_in:
                gap = " " * (room_in - cell_len(plain))
                text = plain + gap if column.justify == "left" else gap + plain
                cell_style = style + console.get_style(cell.style or "") if cell.style else style
                line = []
                if left:
                    line.append(Segment(" " * left, style))
                line.append(Segment(text, cell_style))
                if right:
                    line.append(Segment(" " * right, style))
                rendered.append([line])
            else:
                cell_options = options.update(
                    width=width,
                    justify=column.justify,
                    no_wrap=column.no_wrap,
                    overflow=column.overflow,
                    height=None,
                    highlight=column.highlight,
                )
                padded = Padding(cell, (0, right, 0, left))
                rendered.append(console.render_lines(padded, cell_options, style=style))
        height = max(map(len, rendered))
        shaped = []
        for i, cell in enumerate(rendered):
            if len(cell) < height:
                blank = [Segment(" " * widths[i], style)]
                cell = (
                    [blank] * (height - len(cell)) + cell
                    if n == 0
                    else cell + [blank] * (height - len(cell))
                )
            shaped.append(Segment.set_shape(cell, widths[i], height))
        part = "head" if n == 0 else ("foot" if n == len(rows) - 1 else "mid")
        edge_left = Segment(getattr(edges, f"{part}_left"), null)
        edge_right = Segment(getattr(edges, f"{part}_right"), null)
        divider = Segment(getattr(edges, f"{part}_vertical"), null)
        for line_no in range(height):
            lines.append(edge_left)
            for i, cell in enumerate(shaped):
                lines += cell[line_no]
                if i != last:
                    lines.append(divider)
            lines += [edge_right, new_line]
        if n == 0:
            lines += [Segment(edges.get_row(widths, "head", edge=True), null), new_line]
    lines += [Segment(edges.get_bottom(widths), null), new_line]
    return lines


def _share(room: int, indexes: list[int], needs, columns, floors) -> dict[int, int]:
    """Room for some columns by their ratios: each that needs less than its share has what
    it needs, each whose share is under its floor has its floor, and the others share again
    what is left."""
    given: dict[int, int] = {}
    left = list(indexes)
    while left:
        total = sum(columns[i].ratio for i in left)
        shares = {i: room * columns[i].ratio // total for i in left}
        settled = [i for i in left if needs[i] <= shares[i]]
        if not settled:
            settled = [i for i in left if shares[i] < floors[i]]
            if not settled or len(settled) == len(left):
                given.update((i, max(floors[i], shares[i])) for i in left)
                break
            for i in settled:
                given[i] = floors[i]
                room -= floors[i]
                left.remove(i)
            continue
        for i in settled:
            given[i] = needs[i]
            room -= needs[i]
            left.remove(i)
    return given


def say(message: str) -> None:
    """A line of news (saved, recorded, made): the terminal wraps it at its edge, as it does
    the error lines; Rich would break it at a space, between a count and its 件 or inside a
    path the clerk then cannot copy whole."""
    console.print(_x(message), soft_wrap=True)


def warn(message: str) -> None:
    errors.print(Text(one_line(message), style="yellow"), soft_wrap=True)


def fail(message: str) -> None:
    """The one line of an error (SPEC §9), whatever the message quotes."""
    errors.print(Text(one_line(message), style="red"), soft_wrap=True)


def weekday(day: dt.date) -> str:
    return t(f"weekday.{day.weekday()}")


# -- calendar ---------------------------------------------------------------------------


def _within_breaks(days: list[DayInfo]) -> set[dt.date]:
    """The days off without a name of their own that lie inside a break, between named
    holidays (2026-10-04, a Sunday among the National Day break): marked as the break is,
    so the grid shows the break whole (it showed `1H 2H 3H 4 5H 6H 7H`)."""
    inside = set()
    for index, day in enumerate(days):
        if day.working or day.name:
            continue
        sides = (reversed(days[:index]), days[index + 1 :])
        if all(next((d for d in side if d.working or d.name), day).name for side in sides):
            inside.add(day.day)
    return inside


def _day_cell(day: DayInfo, today: dt.date, in_break: bool = False) -> Text:
    text = _x(f"{day.day.day:>2}")
    if day.makeup:
        text.append(t("cal.makeup_mark"), style="bold cyan")
    elif day.source == "override":
        text.append("*", style="bold magenta")
    elif not day.working and (
        day.name or in_break
    ):  # marked, not only red: a redirected grid has no colour
        text.append(t("cal.holiday_mark"), style="bold red")
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
    grid = SafeTable(title=title, box=box.SIMPLE, padding=(0, 0), show_edge=False)
    for name in t("cal.weekdays").split():
        grid.add_column(name, justify="right", width=4)
    row: list[Text] = [Text("")] * first.weekday()
    within = _within_breaks(days)
    for day in days:
        row.append(_day_cell(day, today, day.day in within))
        if len(row) == 7:
            grid.add_row(*row)
            row = []
    if row:
        grid.add_row(*row, *[_x("")] * (7 - len(row)))
    return grid


def day_name(name: str | None, source: str, working: bool) -> str | None:
    """A day's name as the calendar shows it: its own, or for a day the clerk set without
    one what it was set to ("Day off (set by clerk)")."""
    if name or source != "override":
        return name
    return t("cal.override_workday" if working else "cal.override_holiday")


def named_days(days: Iterable[DayInfo]) -> Table:
    table = SafeTable(box=box.SIMPLE, show_header=True)
    table.add_column(t("cal.col_date"))
    table.add_column(t("cal.col_kind"))
    table.add_column(t("cal.col_name"))
    for day in days:
        name = day_name(day.name, day.source, day.working)
        if name is None:
            continue
        kind = t("cal.kind_workday") if day.working else t("cal.kind_holiday")
        style = "red" if not day.working else "cyan"
        marker = " *" if day.source == "override" else ""
        table.add_row(
            f"{day.day.isoformat()} {weekday(day.day)}", _x(kind, style=style), name + marker
        )
    return table


def calendar_month(days: list[DayInfo], today: dt.date, unconfirmed: bool) -> None:
    console.print(month_grid(days, today, unconfirmed))
    _print_named_days(days)
    _calendar_legend()


def calendar_year(months: list[list[DayInfo]], today: dt.date, unconfirmed: bool) -> None:
    console.print(Columns([month_grid(m, today, unconfirmed) for m in months], padding=(0, 3)))
    _print_named_days(d for m in months for d in m)
    _calendar_legend()


def _print_named_days(days: Iterable[DayInfo]) -> None:
    table = named_days(days)
    # a month with no holiday and no make-up day printed an empty table's headings
    console.print(table if table.row_count else _x(t("cal.no_named_days"), style="dim"))


def _calendar_legend() -> None:
    # without colour (redirected, printed, NO_COLOR) red and reversed days are not there
    # to explain: the legend names the marks alone
    key = "cal.legend" if console.color_system and not console.no_color else "cal.legend_plain"
    console.print(_x(t(key), style="dim"))


def calendar_years(rows: list[dict]) -> None:
    table = SafeTable(title=t("cal.years_title"), box=box.SIMPLE_HEAD)
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
            _x(by, style="" if row["confirmed_by"] else "yellow"),
            str(row["overrides"]),
        )
    console.print(table)


def deadline(answer: dict) -> None:
    start = dt.date.fromisoformat(answer["start"])
    due = dt.date.fromisoformat(answer["deadline"])
    console.print(_x(t("deadline.title", start=f"{start} {weekday(start)}", days=answer["days"])))
    console.print(_x(t("deadline.due", deadline=due, weekday=weekday(due)), style="bold"))
    if answer["skipped"]:
        console.print(_x(t("deadline.skipped")))
        for skipped in answer["skipped"]:
            day = dt.date.fromisoformat(skipped["date"])
            name = day_name(skipped["name"], skipped["source"], False) or t("weekend")
            console.print(_x(f"  {day} {weekday(day)}  {name}", style="red"))
    else:
        console.print(_x(t("deadline.none_skipped")))
    console.print(_x(t("deadline.rule"), style="dim"))


# -- settings ---------------------------------------------------------------------------


def settings(values: dict[str, str]) -> None:
    table = SafeTable(title=t("settings.title"), box=box.SIMPLE_HEAD)
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

    # one case's view hides nothing: a long run of text (Chinese has no spaces to wrap at,
    # a URL neither) is folded onto the next line, never cut with "…"
    fields = SafeTable.grid(padding=(0, 2))
    fields.add_column(style="bold", no_wrap=True)
    fields.add_column(overflow="fold")
    for key, word in CASE_FIELDS:
        if key in ("id", "status", "extensions") or (key == "ref" and not case.get("ref")):
            continue
        fields.add_row(t(f"field.{key}"), _x(_value(word, case.get(key))))
    for ext in case.get("extensions", []):
        fields.add_row(
            t("field.extensions"),
            _x(
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
    console.print(Panel(fields, title=_x(title), title_align="left", expand=False))
    if case.get("repeats"):
        repeats = t("list_sep").join(case["repeats"])
        line = t("case.field_value", field=t("case.repeat_title"), value=repeats)
        console.print(Prose(printable(line)), style="yellow")  # no id cut across lines
    timeline = SafeTable(title=t("case.timeline"), box=box.SIMPLE_HEAD, title_justify="left")
    timeline.add_column(t("case.col_at"), no_wrap=True)
    timeline.add_column(t("case.col_event"), overflow="fold")
    timeline.add_column(t("case.col_change"), overflow="fold")
    # the notes read whole lines before an event or a status change wraps at its spaces
    timeline.add_column(t("case.col_note"), overflow="fold", ratio=1, min_width=32)
    events = case.get("timeline", [])
    undone = {e["undoes"]: e["at"] for e in events if e["action"] == "undone"}
    when = {e["id"]: e for e in events}
    # the book's numbers the case had (an import notes it; an edit may have changed it since)
    refs = {case.get("ref")} | {
        c["old"] for e in events for c in e.get("changes", ()) if c["field"] == "ref"
    }
    for event in events:
        change = label("status", event["status_to"])
        if event["status_from"] and event["status_from"] != event["status_to"]:
            change = f"{label('status', event['status_from'])} → {change}"
        name, detail = t(f"event.{event['action']}"), event_detail(event, when, refs)
        if event["id"] in undone:  # marked beside its name, said when in its note
            name += t("case.taken_back_mark")
            said = t("case.taken_back", at=undone[event["id"]]).strip()
            # (on a line of its own: each change has its own line, and the note ran into
            # the first, `…撤销。办` / `理期限：…`)
            detail = f"{said}\n{detail}" if detail else said
        timeline.add_row(event["at"], name, change, Prose(printable(detail)))
    console.print(timeline)


# Chinese wraps between any two characters, but a line does not begin with a closing mark
# nor end with an opening one; a run of Latin letters, digits and signs (a date, a time, a
# number) is a word, kept whole on its line while it fits one
_CLOSING = set("，。、；：？！）》」』】〕〉］％”’…),.;:!?]%")
_OPENING = set("（《「『【〔〈［“‘([")
# a space breaks a line (a no-break space does not); a run of Latin letters, digits and signs is
# a word; any other character is one
_WORD = lazy_pattern(r"[^\S\u00a0]+|[!-~\u00a0-\u02ff\u2010-\u2027\u2192]+|.", re.DOTALL)


def _prose_tokens(line: str) -> list[str]:
    tokens: list[str] = []
    for token in _WORD.findall(line):
        if not tokens or token.isspace():
            tokens.append(token)
        elif token[0] in _CLOSING and tokens[-1].isspace() and len(tokens) > 1:
            last = tokens.pop()
            tokens[-1] += last + token  # "材料 ，但": the mark stays with the word before it
        elif token[0] in _CLOSING or tokens[-1][-1] in _OPENING or cell_len(token) == 0:
            tokens[-1] += token  # held to its neighbour (a mark; a joiner, an accent)
        else:
            tokens.append(token)
    return tokens


class Prose:
    """A cell of mixed Chinese and Latin text wrapped as Chinese is set: between characters,
    at spaces, never inside a date or a number that fits a line, never a line that begins
    with a closing mark ("：属于五类"). Rich breaks only at spaces, and folds a longer run
    anywhere: `办理期限：2026-11-05` came out as `办理期限：2026-1` / `1-05`."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _lines(self, width: int) -> list[str]:
        # the breaks of every other cell (`linebreak`): a unit kept together, a last line
        # of more than one character — the timeline's notes left `时` alone on a line
        from rich.cells import get_character_cell_size

        lines = []
        for paragraph in self.text.split("\n"):
            breaks = linebreak.divide(paragraph, width, get_character_cell_size)
            for n, (a, b) in enumerate(zip([0, *breaks], [*breaks, len(paragraph)], strict=True)):
                piece = paragraph[a:b]  # (the spaces at a break are not shown)
                piece = piece.rstrip() if n == 0 else piece.strip()
                # a character wider than the line itself is a line of its own, cut
                lines += [p for p in chop_cells(piece, width) if p] or [""]
        return lines

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement

        tokens = [t for p in self.text.split("\n") for t in _prose_tokens(p)]
        least = max((cell_len(t) for t in tokens if not t.isspace()), default=0)
        most = max((cell_len(line) for line in self.text.split("\n")), default=0)
        return Measurement(min(least, options.max_width), min(most, options.max_width))

    def __rich_console__(self, console, options):
        yield Text("\n".join(self._lines(max(1, options.max_width))), no_wrap=True)


# what a timeline line says of the fields an intake sets: the rest are in the case above
_INTAKE_SHOWN = ("limit", "deadline", "department", "status", "pause_reason")
_QUIET = ("on_time_deadline", "extensions")


def event_detail(event: dict, events: dict | None = None, refs: set | None = None) -> str:
    """What an event changed, in the words of the interface language, then the note as the
    clerk typed it (an older ledger's events carry their words in the note alone)."""
    from ledger.case import CHANGED_BY_NAME

    parts = []
    if event["action"] == "undone" and events and event["undoes"] in events:
        target = events[event["undoes"]]
        parts.append(t("case.undoes", event=t(f"event.{target['action']}"), at=target["at"]))
    for change in event["changes"]:
        name = change["field"]
        if name in _QUIET or (
            event["action"] in ("received", "imported") and name not in _INTAKE_SHOWN
        ):
            continue
        spec = CHANGED_BY_NAME.get(name)
        word = spec.word if spec else None
        old, new = _value(word, change["old"]), _value(word, change["new"])
        label_ = t(f"field.{name}") if spec else name
        # a case taken in with its class starts with it: the intake shows what it set, not a
        # change from the default (时限类别: 复杂, not 应办未办 → 复杂)
        fresh = change["old"] in (None, [], "") or event["action"] in ("received", "imported")
        value = new if fresh else t("case.value_changed", old=old, new=new)
        parts.append(t("case.field_value", field=label_, value=value))
    if event.get("late"):
        parts.append(t("case.late_extension"))
    if event.get("note"):
        note = event["note"]
        if event["action"] == "imported" and refs and note in refs:
            # the book's number of the row, noted by the import: named, not a bare `7`
            note = t("case.field_value", field=t("field.ref"), value=note)
        parts.append(note)
    return "\n".join(parts)


def case_list(cases: list[dict], total: int) -> None:
    if not cases:
        say(t("list.empty"))
        return
    table = SafeTable(
        title=t("list.title"), box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False
    )
    table.add_column(t("field.id"), no_wrap=True)
    table.add_column(t("field.received_at"), no_wrap=True)
    table.add_column(t("field.applicant"), **dict(_WHO[1]))
    table.add_column(t("field.matter"), **dict(_WHAT[1]))
    table.add_column(t("field.department"), **dict(_DEPT[1]))
    table.add_column(t("field.deadline"), no_wrap=True)
    table.add_column(t("field.status"))
    for case in cases:
        table.add_row(
            case["id"],
            case["received_at"][:10],
            _x(case["applicant"]),
            _x(case["matter"]),
            _x(case.get("department") or NONE),
            case["deadline"],
            label("status", case["status"]),
        )
    console.print(table)
    if total > len(cases):
        say(t("list.more", more=total - len(cases), total=total))


def departments(rows: list[dict]) -> None:
    table = SafeTable(title=t("dept.title"), box=box.SIMPLE_HEAD)
    # the list the clerk copies exact names from: a long name wraps, never cut to look like
    # another department's
    for key in ("name", "kind", "floor", "phone", "open"):
        table.add_column(
            t(f"dept.col_{key}"),
            justify="right" if key == "open" else "left",
            overflow="fold",
            min_width=12 if key == "name" else None,
            max_width=20 if key == "floor" else None,
            no_wrap=key == "phone",  # a number dialled from the sheet never breaks
        )
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
    elif case["status"] == "resolved" and case["feedback_due"]:
        # (a case another program set resolved without its dates has none to tell)
        line += t("sep")
        line += t("case.feedback_due_now", date=case["feedback_due"])
    say(line)


def recalculated(moved: list[dict], stderr: bool = False) -> None:
    """The cases a change of the calendar moved: one line each (SPEC §3)."""
    out = errors if stderr else console
    for item in moved:
        out.print(
            _x(
                t(
                    "cal.recalculated",
                    id=item["id"],
                    field=t(f"field.{item['field']}"),
                    old=item["old"] or NONE,
                    new=item["new"] or NONE,
                ),
                style="yellow" if stderr else "",
            ),
            soft_wrap=True,
        )


# -- CSV --------------------------------------------------------------------------------


def import_problems(problems: list[tuple[int, str]], workbook: bool = False) -> None:
    """One line per bad row, then a summary (SPEC §7). A workbook's row is named by the
    row number Excel shows, a CSV file's by its line."""
    key = "imp.row" if workbook else "imp.line"
    for line, reason in problems:
        errors.print(Text(one_line(t(key, line=line, reason=reason)), style="red"), soft_wrap=True)
    errors.print(_x(t("imp.summary", bad=len(problems)), style="bold red"), soft_wrap=True)


HIDDEN_NAMED = 10  # hidden rows an import's report names by number (the rest counted)


def import_report(report, dry_run: bool) -> None:
    say(t("imp.dry" if dry_run else "imp.done", new=report.new, same=report.same))
    if report.sheet is not None:
        say(t("imp.sheet", sheet=report.sheet))
    if report.above_header:
        where = "imp.header_row" if report.workbook else "imp.header_line"
        line: object = report.header_line
        if report.header_first_line:  # a header of two rows
            line = f"{report.header_first_line}–{report.header_line}"
        say(t(where, line=line, above=report.above_header))
    if report.delimiter != ",":
        mark = t("imp.mark_tab" if report.delimiter == "\t" else "imp.mark_semicolon")
        say(t("imp.delimiter", mark=mark))
    if report.blank_rows or report.total_rows:
        say(t("imp.skipped", blank=report.blank_rows, totals=report.total_rows))
    if report.hidden_rows:
        rows = report.hidden_rows
        shown = t("list_sep").join(map(str, rows[:HIDDEN_NAMED]))
        more = t("imp.and_more", count=len(rows) - HIDDEN_NAMED) if len(rows) > HIDDEN_NAMED else ""
        say(t("imp.hidden_rows", count=len(rows), rows=shown + more))
    if report.header_rows:
        say(t("imp.headers_skipped", count=report.header_rows, titles=report.title_rows))
    if report.years_added > report.years_retitled:
        source = "imp.year_option" if report.year_from == "option" else "imp.year_title"
        count = report.years_added - report.years_retitled
        say(t(source, year=report.year, count=count))
        if report.years_turned:
            turned = {"year": report.year + 1, "first": report.year, "month": report.turn}
            say(t("imp.year_turned", count=report.years_turned, **turned))
        if report.years_next:
            say(t("imp.year_next", count=report.years_next, year=report.year + 1))
    if report.years_retitled:
        say(t("imp.year_later_titles", count=report.years_retitled))
    if report.days_off_moved and report.new:  # (a sheet read again, all in already: nothing)
        say(t("imp.days_off_moved", count=report.days_off_moved))
    if report.given_before_restore:
        ids = report.given_before_restore
        warn(t("imp.given_before_restore", count=len(ids), ids=_some_named(ids)))
    if report.departments_added:
        key = "imp.departments_to_add" if dry_run else "imp.departments_added"
        say(t(key, names=_some_named(report.departments_added)))
    if report.unknown_columns:
        warn(t("imp.ignored", columns=_some_named(report.unknown_columns)))


def _some_named(names: list[str]) -> str:
    """The first few of a list a book may make long (a sheet of 20,000 columns printed a
    line of 200,000 characters), and how many more."""
    shown = t("list_sep").join(names[:HIDDEN_NAMED])
    extra = len(names) - HIDDEN_NAMED
    return shown + (t("imp.and_others", count=extra) if extra > 0 else "")


@contextlib.contextmanager
def import_progress(path):
    """A progress bar on stderr for files of more than about five thousand rows, at a
    terminal; yields the function that moves it (or None)."""
    from pathlib import Path

    path = Path(path)
    if not (errors.is_terminal and path.exists() and path.stat().st_size > 1 << 20):
        yield None
        return
    from rich.progress import Progress

    from ledger.sheets import count_lines

    with Progress(console=errors, transient=True) as bar:
        task = bar.add_task(t("imp.progress"), total=count_lines(path))  # None: a workbook
        yield lambda done: bar.update(task, completed=done)


# -- reports ----------------------------------------------------------------------------


def _table(title: str, *columns: tuple[str, dict]) -> Table:
    table = SafeTable(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        expand=False,
        pad_edge=False,
    )
    for name, options in columns:
        table.add_column(name, **options)
    return table


# ids and dates are never cut; names, matters and departments share the terminal's width
# (SafeTable): a name stays on one line while there is room, and wraps only when the
# matter would wrap narrower than six characters
_ID = ("daily.col_id", {"no_wrap": True})
_WHO = (
    "daily.col_applicant",
    {"ratio": 1, "min_width": 10, "overflow": "ellipsis", "no_wrap": True},
)
_WHAT = ("daily.col_matter", {"ratio": 2, "min_width": 12, "overflow": "fold"})
READABLE = 20  # display cells of a matter kept whole before a long name keeps more
NAME_WHOLE = 40  # display cells of a name kept whole while there is room (20 characters)
_DEPT = ("daily.col_department", {"ratio": 1, "min_width": 8, "overflow": "fold"})
# the practice's lists have dates, not names, beside the department: room for its heading
_DEPT_WHOLE = ("daily.col_department", {"ratio": 1, "min_width": 10, "overflow": "fold"})
_DUE = ("daily.col_deadline", {"no_wrap": True})


def _columns(*specs) -> list[tuple[str, dict]]:
    return [(_heading(key), dict(options)) for key, options in specs]


# a count of working days is a digit or two under a heading that says what it counts: the
# heading takes two lines ("超期" over "(工作日)") rather than the matter's room
_STACKED = ("daily.col_days_overdue", "daily.col_days_past", "daily.col_days_paused")


def _heading(key: str) -> str:
    text = t(key)
    if key not in _STACKED:
        return text
    head, bracket, unit = text.partition("(")
    return f"{head.rstrip()}\n({unit}" if bracket else text.replace(" ", "\n", 1)


def _none_line(title: str) -> None:
    console.print(_x(title, style="bold"))
    console.print(_x(f"  {t('daily.none')}", style="dim"))
    console.print()


SHEET_ROWS = 30  # per section: the sheet is read at a desk; --json and `overdue` have all


def _capped(items: list[dict]) -> list[dict]:
    return items[:SHEET_ROWS]


def _more(hidden: int, command: str) -> None:
    """How many cases of a list the sheet leaves out, and where to see them."""
    if hidden > 0:
        console.print(_x(t("daily.more", more=hidden, command=command), style="dim"))
        console.print()  # apart from the next section's heading, as a table ends


def _sheet_header(sheet: dict) -> str:
    day = dt.date.fromisoformat(sheet["date"])
    kind = t("daily.working") if sheet["working_day"] else t("daily.not_working")
    header = t(
        "daily.header",
        date=sheet["date"],
        weekday=weekday(day),
        kind=kind,
        next=sheet["next_working_day"],
    )
    return header + _code_part(sheet)


def _code_part(report: dict) -> str:
    """The window's code, when it has one: the office above reads it on every sheet."""
    code = _window_code(report)
    return f"{t('sep')}{code}" if code else ""


def _window_code(report: dict) -> str:
    code = (report.get("window") or {}).get("code")
    return t("daily.window_code", code=code) if code else ""


def _order_matter(case: dict) -> str:
    """A work order's matter on a slip: marked when the department only assists, and with
    the assisting departments when it leads."""
    text = case["matter"]
    if case.get("role") == "assist":  # whom to work with: the lead department
        lead = case.get("department")
        mark = t("daily.role_assist_lead", lead=lead) if lead else t("daily.role_assist")
        return f"{text} [{mark}]"
    if case.get("assist"):
        return f"{text} ({t('daily.assists', names=t('list_sep').join(case['assist']))})"
    return text


def daily(sheet: dict, window: str) -> None:
    """The sheet as `reports.daily` cut it for a terminal (rows=SHEET_ROWS)."""

    header = _x(_sheet_header(sheet))
    if not sheet["working_day"]:
        header.append(
            "\n" + t("daily.not_working_note", next=sheet["next_working_day"]), style="yellow"
        )
    # (a window's long name goes above the panel, whole, rather than cut at its border)
    console.print(_titled_panel(header, t("daily.title", window=window), expand=True))

    if sheet["intake"]:
        table = _table(t("daily.intake"), *_columns(_ID, _WHO, _WHAT, _DEPT, _DUE))
        for c in sheet["intake"]:
            table.add_row(
                c["id"], c["applicant"], c["matter"], c["department"] or NONE, c["deadline"]
            )
        console.print(table)
        _more(sheet["hidden"]["intake"], "ledger daily --html")
    else:
        _none_line(t("daily.intake"))

    if sheet["to_dispatch"]:
        console.print(_x(t("daily.to_dispatch"), style="bold"))
        for group in sheet["to_dispatch"]:
            table = _table(_group_title(group), *_columns(_ID, _WHO, _WHAT, _DUE))
            for c in group["cases"]:
                marks = t("list_sep").join(_dispatch_marks(c))
                mark = f" ({marks})" if marks else ""
                if c.get("reopened"):  # why it is done again, as its printed slip says
                    mark += "\n" + t("slip.redo_reason", reason=c.get("reopen_reason") or NONE)
                table.add_row(c["id"], c["applicant"], _order_matter(c) + mark, c["deadline"])
            console.print(table)
        _more(sheet["hidden"]["to_dispatch"], "ledger daily --html")
    else:
        _none_line(t("daily.to_dispatch"))

    if sheet["due_soon"]:
        table = _table(t("daily.due_soon"), *_columns(_ID, _WHO, _WHAT, _DEPT, _DUE))
        for c in sheet["due_soon"]:
            style = "bold yellow" if c["due_today"] else "yellow"
            table.add_row(
                c["id"],
                c["applicant"],
                c["matter"],
                c["department"] or NONE,
                _x(c["deadline"], style=style),
            )
        console.print(table)
        _more(sheet["hidden"]["due_soon"], "ledger daily --html")
    else:
        _none_line(t("daily.due_soon"))

    if sheet["overdue"]:
        console.print(_overdue_table(t("daily.overdue"), sheet["overdue"]))
        _more(sheet["hidden"]["overdue"], "ledger overdue")
    else:
        _none_line(t("daily.overdue"))

    if sheet["feedback_due"]:
        table = _table(
            t("daily.feedback_due"),
            *_columns(_ID, _WHO, _WHAT),
            (t("daily.col_outcome"), {}),
            (t("daily.col_feedback_due"), {"no_wrap": True}),
        )
        for c in sheet["feedback_due"]:
            due = _x(c["feedback_due"])
            if c["late"]:
                due = _x(
                    f"{c['feedback_due']} {t('daily.late', days=c['days_late'])}", style="bold red"
                )
            elif c["resolution"] == "cannot":
                due = _x(f"{c['feedback_due']} {t('daily.same_day')}", style="bold")
            table.add_row(
                c["id"], c["applicant"], c["matter"], label("resolution", c["resolution"]), due
            )
        console.print(table)
        _more(sheet["hidden"]["feedback_due"], "ledger daily --html")
    else:
        _none_line(t("daily.feedback_due"))

    _practice_sections(sheet)

    # the counts as label-value pairs that wrap: ten columns do not fit a desk terminal
    console.print(_x(t("daily.counts"), style="bold"))
    styles = {
        "overdue": "bold red",
        "feedback_late": "bold red",
        "to_report": "bold red",
        "unacknowledged": "yellow",
        "due_soon": "yellow",
    }
    console.print(
        Columns(
            [
                _x(f"{t(f'count.{k}')} {v}", style=styles.get(k, "") if v else "")
                for k, v in sheet["counts"].items()
            ],
            padding=(0, 3),
        )
    )


def _practice_sections(sheet: dict) -> None:
    """Work orders not acknowledged, paused cases, cases to be reported (SPEC §6)."""
    for key, head, cells in _PRACTICE:
        items = sheet.get(key, [])
        if not items:
            _none_line(t(f"daily.{key}"))
            continue
        columns = [(_heading(k), o) for k, o in head]
        table = _table(t(f"daily.{key}"), *columns)
        for c in items:
            row = cells(c)
            table.add_row(*row[:-1], _x(str(row[-1]), style="bold red" if key != "paused" else ""))
        console.print(table)
        _more(sheet["hidden"][key], "ledger daily --html")


_PRACTICE = (
    (
        "unacknowledged",
        (_ID, _WHAT, _DEPT_WHOLE, ("daily.col_dispatched_at", {"no_wrap": True}),
         ("daily.col_ack_target", {"no_wrap": True}),
         ("daily.col_days_past", {"justify": "right"})),
        lambda c: [c["id"], c["matter"], c["department"] or NONE, c["dispatched_at"][:10],
                   c["ack_target"], c["days_past_target"]],
    ),
    (
        "paused",
        (_ID, _WHAT, _DEPT_WHOLE, ("daily.col_reason", {"ratio": 1, "min_width": 10}),
         ("daily.col_paused_since", {"no_wrap": True}),
         ("daily.col_days_paused", {"justify": "right"})),
        lambda c: [c["id"], c["matter"], c["department"] or NONE, c["reason"] or NONE,
                   c["paused_since"][:10], c["working_days_paused"]],
    ),
    (
        "to_report",
        # no deadline column: the days overdue say it, and 80 columns leave the matter room
        (_ID, _WHAT, _DEPT_WHOLE, ("daily.col_first_chase", {"no_wrap": True}),
         ("daily.col_report_from", {"no_wrap": True}),
         ("daily.col_days_overdue", {"justify": "right", "no_wrap": True})),
        lambda c: [c["id"], c["matter"], c["department"] or NONE,
                   c["first_chase_at"][:10], c["report_from"], c["days_overdue"]],
    ),
)  # fmt: skip


def _html_kind(column: tuple[str, dict]) -> str:
    """A terminal column's kind on the printed page: an id, a department, a number or a date
    never breaks inside (SPEC §6 slips), the matter and a reason wrap."""
    if column is _ID:
        return "id"
    if column is _DEPT_WHOLE:
        return "dept"
    _, options = column
    if options.get("justify") == "right":
        return "num"
    return "date" if options.get("no_wrap") else "text"


def _dispatch_marks(case: dict) -> list[str]:
    """What the sheet says beside a work order: handed out today, a redo (重办)."""
    marks = [t("daily.handed_today")] if case.get("dispatched_today") else []
    return marks + [t("daily.redo")] if case.get("reopened") else marks


_FLOOR_NUMBER = lazy_pattern(r"[-负]?[0-9０-９一二三四五六七八九十零〇]+")


def _group_title(group: dict) -> str:
    name = group["department"] or t("daily.no_department")
    return t("daily.group", department=name, **_whereabouts(group))


def _whereabouts(group: dict) -> dict[str, str]:
    """A department's floor and phone as a heading shows them (each led by its separator)."""
    # a bare number is a floor (3 → 3楼); anything else is where it sits, as typed
    place = group["floor"]
    numbered = bool(place) and _FLOOR_NUMBER.fullmatch(place) is not None
    floor = t("daily.floor" if numbered else "daily.place", floor=place) if place else ""
    phone = t("daily.phone", phone=group["phone"]) if group["phone"] else ""
    return {"floor": floor, "phone": phone}


def overdue(report: dict) -> None:
    """Every late case, worst first: a table while it is short, plain aligned lines when it
    is long (laying out thousands of rows is what Rich is slow at, not what a clerk reads)."""
    cases = report["cases"]
    if not cases:
        say(t("overdue.none", date=report["date"]))
        return
    title = t("overdue.title", date=report["date"])
    if len(cases) <= LONG_LIST:
        console.print(_overdue_table(title, cases))
        return
    columns = [t(f"daily.col_{k}") for k in ("id", "matter", "department", "deadline")]
    columns += [t("daily.col_days_overdue"), t("daily.col_chases")]
    rows = [
        (
            c["id"],
            c["matter"],
            c["department"] or NONE,
            c["deadline"],
            str(c["days_overdue"]),
            str(c["chase_count"]),
        )
        for c in cases
    ]
    # a long department gives way first, down to sixteen cells; then the matter, then both
    lines(title, columns, rows, flexible=((2, 16), (1, _NARROWEST), (2, _NARROWEST)), right=(4, 5))


LONG_LIST = 200  # rows: above this a list is written as plain lines
_NARROWEST = 8  # display cells a cut column of plain lines keeps (four Chinese characters)


def lines(
    title: str,
    columns: list[str],
    rows: list[tuple[str, ...]],
    flexible: tuple[tuple[int, int], ...],
    right: tuple[int, ...] = (),
) -> None:
    """A long list as plain aligned lines: column widths by display width (Chinese counts
    two); while they are wider than the terminal, each `flexible` (column, narrowest) in
    turn is cut, down to its narrowest (an id or a date is never cut); text made printable."""
    from rich.cells import cell_len, get_character_cell_size

    rows = [columns, *rows]
    try:
        every = "".join(cell for row in rows for cell in row)
    except TypeError:  # bytes another program wrote where text belongs: what can be read
        rows = [tuple(printable(c) if type(c) is bytes else c for c in row) for row in rows]
        every = "".join(cell for row in rows for cell in row)
    if "\n" in every or printable(every) != every:  # one search for 4,000 rows, not 24,000
        rows = [[printable(cell).replace("\n", " ") for cell in row] for row in rows]
    # once a cell, and by len() for the cells all ASCII (ids, dates, counts)
    sizes = [[len(cell) if cell.isascii() else cell_len(cell) for cell in row] for row in rows]
    widths = [max(column) for column in zip(*sizes, strict=True)]
    excess = sum(widths) + 2 * (len(widths) - 1) - console.width
    for i, narrowest in flexible:
        if excess <= 0:
            break
        cut = max(0, min(excess, widths[i] - narrowest))
        widths[i] -= cut
        excess -= cut

    def fit(cell: str, size: int, width: int) -> tuple[str, int]:
        if size <= width:
            return cell, size
        used = 0
        for n, char in enumerate(cell):
            used += get_character_cell_size(char)
            if used > width - 1:
                return cell[:n] + "…", used - get_character_cell_size(char) + 1
        return cell, size

    def line(cells, cell_sizes) -> str:
        out = []
        for i, (cell, size) in enumerate(zip(cells, cell_sizes, strict=True)):
            cell, size = fit(cell, size, widths[i])
            pad = " " * (widths[i] - size)
            out.append(pad + cell if i in right else cell + pad)
        return "  ".join(out).rstrip()

    rule = "─" * min(console.width, sum(widths) + 2 * (len(widths) - 1))
    head, *body = map(line, rows, sizes)
    text = "\n".join(body)
    console.file.write(f"{printable(title)}\n{head}\n{rule}\n{text}\n")
    console.file.flush()


def _overdue_table(title: str, cases: list[dict]) -> Table:
    table = _table(
        title,
        *_columns(_ID, _WHAT, _DEPT, _DUE),
        (_heading("daily.col_days_overdue"), {"justify": "right"}),
        (t("daily.col_chases"), {"justify": "right"}),
    )
    for c in cases:
        table.add_row(
            c["id"],
            c["matter"],
            c["department"] or NONE,
            c["deadline"],
            _x(str(c["days_overdue"]), style="bold red"),
            str(c["chase_count"]),
        )
    return table


def _percent(value: float | None) -> str:
    return NONE if value is None else percent(value)


def _shown(key: str, value: object) -> str:
    """A figure as the tables show it: a rate as a percentage, the average with two
    decimals whatever it is (0.00, 4.70, 5.22: one column of one form), a count as it is."""
    if key.endswith("_rate"):
        return _percent(value)  # type: ignore[arg-type]
    if value is None:
        return NONE
    if key == "avg_working_days_to_resolve":
        return f"{value:.2f}"
    return str(value)


_BARS_GAP = 4  # cells between two tables of bars side by side


def _bars(title: str, counts: dict[str, int], word: str | None) -> Table:
    table = SafeTable(
        title=title,
        title_justify="left",
        title_style="bold",
        box=None,
        show_header=False,
        pad_edge=False,
    )
    # a long name wraps onto a second line: cut, two departments could look the same; wide
    # enough that no label's word is split ("Special/difficult case")
    from rich.cells import cell_len

    names = [t("weekly.none") if c == "none" else (label(word, c) if word else c) for c in counts]
    longest_word = max((cell_len(w) for n in names for w in n.split()), default=0)
    longest = max((cell_len(n) for n in names), default=0)
    # two tables side by side, each a count and a bar of 20 beside its names: on a wide
    # terminal a name takes the room left whole ("Agriculture & water affairs" wrapped at
    # 180 columns), on a narrow one it wraps at its words
    room = (console.width - _BARS_GAP) // 2 - len(str(max(counts.values(), default=0))) - 24
    table.add_column(max_width=max(16, min(longest_word, 24), min(longest, room)), overflow="fold")
    table.add_column(justify="right")
    table.add_column()
    top = max(counts.values(), default=0) or 1
    for name, count in zip(names, counts.values(), strict=True):
        table.add_row(name, str(count), _x("█" * max(1, round(20 * count / top)), style="cyan"))
    if not counts:
        table.add_row(t("daily.none"), "", "")
    # a quiet week has no bars: the title alone sets the width, and is never cut ("按科 …")
    table.min_width = cell_len(title)
    return table


def _department_table(
    figures: dict, keys: list[str], title: bool = True, room: int = 10_000
) -> Table:
    """The departments' figures of `keys`; when they do not fit `room` as they are, each
    heading wraps at its words (a Chinese one between characters) rather than being cut,
    and a figure is never cut. `least_width`: the narrowest it can be drawn so."""
    from rich.cells import cell_len

    short = {b["department"]: b["figures"] for b in figures["below_threshold"]}
    rows = []
    for row in figures["departments"]:
        fell = short.get(row["department"], {})
        cells = []
        for key in keys:
            value = row[key]
            text = _shown(key, value)
            bad = key in fell or (key == "unsatisfied_rate" and "satisfaction_rate" in fell)
            cells.append(_x(text, style="bold red" if bad else ""))
        name = row["department"] if row["department"] != "none" else t("weekly.none")
        rows.append([_x(name, style="bold red" if fell else ""), *cells])
    heads = [t("weekly.col_department"), *(t(f"weekly.col_{k}") for k in keys)]
    widest = [max((cells[n].cell_len for cells in rows), default=1) for n in range(len(heads))]
    natural = [max(w, cell_len(head)) for w, head in zip(widest, heads, strict=True)]
    least = [max(w, *map(cell_len, head.split())) for w, head in zip(widest, heads, strict=True)]
    least[0] = min(natural[0], max(8, *map(cell_len, heads[0].split())))  # names fold
    table = _table(t("weekly.departments") if title else "")
    for n, head in enumerate(heads):
        table.add_column(head, justify="left" if n == 0 else "right", overflow="fold")
    chrome = _chrome(table)
    # the widths it takes as it is, and the narrowest it can be drawn in so
    table.natural_width, table.least_width = sum(natural) + chrome, sum(least) + chrome
    # a long department name folds first, into the room the figures leave it (not narrower);
    # the figures' headings wrap only if that is not enough
    widths = natural
    for others in (natural[1:], least[1:]):
        if sum(widths) + chrome <= room:
            break
        left = room - chrome - sum(others)
        widths = [max(least[0], min(natural[0], left)), *others]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for cells in rows:
        table.add_row(*cells)
    return table


def _titled_panel(body: RenderableType, title: str, expand: bool = False) -> RenderableType:
    """A panel as wide as its content or its title, whichever is wider (within the terminal):
    fitted to the content alone, a long title (a period not over says so) is cut. A title
    wider than the terminal is never cut either: its leading parts (the window's name and
    code) go on a line of their own above, wrapped if need be, and the rest stays the
    panel's title — all of it above when even the period does not fit (a Panel cuts its
    title at the border: the period's end and the note that it is not over were lost).
    `expand`: as wide as the terminal (the morning sheet's header)."""
    from rich.console import Group
    from rich.measure import Measurement
    from rich.panel import Panel

    parts = title.split(" · ")
    above: list[str] = []
    while parts and cell_len(" · ".join(parts)) + _TITLE_ROOM > console.width:
        above.append(parts.pop(0))
    title = " · ".join(parts)
    inner = Measurement.get(console, console.options, body).maximum
    width = console.width if expand else min(console.width, max(inner, cell_len(title) + 4) + 4)
    panel = Panel(body, title=_x(title) if title else None, title_align="left", width=width)
    if not above:
        return panel
    return Group(_x(" · ".join(above), style="bold"), panel)


_TITLE_ROOM = 6  # a panel's corners, the dash before its title and a space each side


def weekly(figures: dict) -> None:
    span = period_span(figures)
    title = f"{period_title(figures['from'], figures['to'])} · {span}"
    window = figures.get("window") or {}
    if window.get("name") or window.get("code"):
        name = window.get("name") or t("settings.default_window_name")  # as `daily` says it
        shown = t("weekly.window", name=name, code=window.get("code") or NONE)
        title = f"{shown} · {title}"
    lines = SafeTable.grid(padding=(0, 2))
    lines.add_column()
    lines.add_column(justify="right")
    from ledger.reports import DEPARTMENT_COLUMNS, FIGURE_KEYS

    for key in FIGURE_KEYS:
        value = figures[key]
        lines.add_row(t(f"weekly.{key}"), _shown(key, value))
    console.print(_titled_panel(lines, title))
    for line in below_threshold_lines(figures):
        console.print(_x(line, style="bold red"))
    console.print(
        Columns(
            [
                _bars(t("weekly.by_section"), figures["by_section"], "section"),
                _bars(t("weekly.by_department"), figures["by_department"], None),
            ],
            padding=(0, _BARS_GAP),
        )
    )
    console.print(
        Columns(
            [
                _bars(t("weekly.by_problem"), figures["by_problem"], "problem"),
                _bars(t("weekly.by_channel"), figures["by_channel"], "channel"),
            ],
            padding=(0, _BARS_GAP),
        )
    )
    whole = _department_table(figures, DEPARTMENT_COLUMNS[1:])
    width = console.width
    if not figures["departments"]:  # a heading over no rows reads as a table cut short
        _none_line(t("weekly.departments"))
    elif whole.natural_width <= width:
        console.print(whole)
    else:  # eleven columns do not fit a desk terminal: the counts, then the rates, each
        # in as many tables as the width needs (each with the departments), none cut
        counts = [k for k in DEPARTMENT_COLUMNS[1:] if not k.endswith("_rate")]
        rates = [k for k in DEPARTMENT_COLUMNS[1:] if k.endswith("_rate")]
        groups: list[list[str]] = []
        for keys in (counts, rates):
            groups.append([keys[0]])
            for key in keys[1:]:
                if _department_table(figures, [*groups[-1], key]).least_width > width:
                    groups.append([key])
                else:
                    groups[-1].append(key)
        for n, keys in enumerate(groups):
            console.print(_department_table(figures, keys, title=n == 0, room=width))
    if figures["cannot"]:
        table = _table(
            f"{t('weekly.cannot_title')} · {len(figures['cannot'])}",
            *_columns(_ID, _WHO, _WHAT),
            (t("field.outcome"), {"ratio": 1}),
        )
        for c in figures["cannot"]:
            table.add_row(c["id"], c["applicant"], c["matter"], c["reason"] or "")
        console.print(table)
    if figures["open_cases"]:
        table = _table(
            t("weekly.open_title"),
            *_columns(_ID, _WHAT, _DEPT, _DUE),
            (_heading("daily.col_days_overdue"), {"justify": "right"}),
        )
        for c in _capped(figures["open_cases"]):
            days = _x(str(c["days_overdue"]), style="bold red") if c["days_overdue"] else ""
            if c["paused"]:  # its clock stopped: neither late nor on time, and said so
                days = _x(t("event.pause"), style="dim")
            table.add_row(c["id"], c["matter"], c["department"] or NONE, c["deadline"], days)
        console.print(table)
        _more(len(figures["open_cases"]) - SHEET_ROWS, "ledger weekly --json")


def below_threshold_lines(figures: dict) -> list[str]:
    """One line per department below an alarm line, naming each figure that fell short."""
    from ledger.reports import THRESHOLD_FIGURES

    line_of = {figure: key for key, figure in THRESHOLD_FIGURES.items()}
    found = []
    for row in figures["below_threshold"]:
        parts = [
            t(
                "weekly.short",
                figure=t(f"weekly.col_{figure}"),
                value=_percent(value),
                threshold=_percent(figures["thresholds"][line_of[figure]]),
            )
            for figure, value in row["figures"].items()
        ]
        found.append(
            t("weekly.below_line", department=row["department"], figures=t("sep").join(parts))
        )
    return found


# -- chase notices ----------------------------------------------------------------------


def _notice_rows(notice: dict) -> list[list[object]]:
    return [
        [
            c["id"],
            c["matter"],
            c["deadline"],
            c["days_overdue"],
            c["chase_count"],
            t("notice.to_report_mark") if c["to_report"] else "",
        ]
        for c in notice["cases"]
    ]


def _notice_head() -> list[str]:
    keys = ("id", "matter", "deadline", "days_overdue", "chases")
    return [t(f"daily.col_{k}") for k in keys] + [t("notice.col_mark")]


def notices(report: dict, window: str) -> None:
    """Each department's chase notice as the clerk reads it before printing."""
    if not report["notices"]:
        say(t("notice.none", date=report["date"]))
        return
    heading = t("notice.heading", window=window, date=report["date"], count=len(report["notices"]))
    console.print(_x(heading + _code_part(report), style="bold"))
    # the standard text each notice carries, once: the page to print (`--html`) has it on
    # each, with the lines to sign
    console.print(_x(t("notice.body", date=report["date"], window=window)))
    console.print(_x(t("notice.print_hint"), style="dim"))
    for notice in report["notices"]:
        table = _table(
            f"{t('notice.title')} · {_group_title(notice)}",
            *_columns(_ID, _WHAT, _DUE),
            (_heading("daily.col_days_overdue"), {"justify": "right"}),
            (t("daily.col_chases"), {"justify": "right"}),
            (t("notice.col_mark"), {}),
        )
        for row in _notice_rows(notice):
            table.add_row(*(str(cell) for cell in row[:-1]), _x(str(row[-1]), style="bold red"))
        console.print(table)


def notices_html(report: dict, window: str, clerk: str = "") -> str:
    """The chase notices as a page to print: one notice per A4 page, each with the standard
    text, its work orders, the window's seal line (with the clerk to ring back, when the
    setting `clerk_name` names one) and a line to sign for receipt."""
    parts = []
    if not report["notices"]:
        parts.append(f"<p>{_h(t('notice.none', date=report['date']))}</p>")
    for n, notice in enumerate(report["notices"]):
        parts.append('<section class="slip">' if n else "<section>")
        parts.append(f"<h1>{_h(t('notice.title'))}</h1>")
        # where the notice is carried, and whom to ring about it, beside whom it is to
        place = "".join(_whereabouts(notice).values()).removeprefix(" · ")
        to = (
            t("notice.to_at", department=notice["department"], place=place)
            if place
            else t("notice.to", department=notice["department"])
        )
        parts.append(f"<p><strong>{_h(to)}</strong></p>")
        parts.append(f"<p>{_h(t('notice.body', date=report['date'], window=window))}</p>")
        kinds = ("id", "text", "date", "num", "num", "text")
        head = list(zip(_notice_head(), kinds, strict=True))
        rows = [
            [_td(value, kind) for value, kind in zip(row, kinds, strict=True)]
            for row in _notice_rows(notice)
        ]
        parts.append(_html_table(head, rows))
        # the window signs with its code beside its name, not after the date
        code = _window_code(report)
        signer = t("notice.signer", window=window, code=code) if code else window
        sign = t("notice.sign", window=signer, date=report["date"])
        parts.append(f'<p class="sign">{_h(sign)}</p>')
        if clerk:
            parts.append(f'<p class="sign">{_h(t("notice.clerk", name=clerk))}</p>')
        parts.append(f'<p class="sign">{_h(t("notice.receipt"))}</p>')
        parts.append("</section>")
    return _page(f"{t('notice.title')} {report['date']}", parts)


def _page(title: str, parts: list[str]) -> str:
    lang = "zh-CN" if t("list_sep") == "、" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{_h(title)}</title>"
        f"<style>{_PAGE_STYLE}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n"
    )


# -- the sheet as a page to print -------------------------------------------------------

# -- the office above -------------------------------------------------------------------


def pack_made(summary: dict) -> None:
    first, last = summary["years"]
    say(
        t(
            "pack.made",
            path=summary["path"],
            code=summary["window_code"],
            cases=summary["cases"],
            first=first,
            last=last,
        )
    )
    if summary.get("made_readable"):
        warn(t("pack.made_readable", count=summary["made_readable"]))


# the figures a row of `ledger city` shows at a terminal; the JSON and the CSV have them all
CITY_COLUMNS = (
    "received",
    "resolved",
    "on_time_rate",
    "feedback_rate",
    "satisfaction_rate",
    "open",
    "overdue",
    "avg_working_days_to_resolve",
)


def window_label(window: dict) -> str:
    return window["name"] or window["code"] or NONE


def _window_and_code(window: dict) -> str:
    """A window named with its code (`拱墅窗口 GS-02`): two windows of one name are two."""
    name, code = window.get("name"), window.get("code")
    return f"{name} {code}" if name and code else window_label(window)


def city(report: dict) -> None:
    """One row per window and the total, the windows below a line in red. A window is told
    by its code, never cut; its name wraps; a figure is never cut (at 60 columns a rate was
    `90.`): each column is as wide as its widest figure, and a terminal too narrow for all
    of them gets the counts, then the rates, each beside the windows."""
    short = {b["window"]["code"]: b["short"] for b in report["below_threshold"]}
    total = report["total"]
    rows = [
        (
            row["window"]["code"] or NONE,
            row["window"]["name"] or NONE,
            row,
            short.get(row["window"]["code"], {}),
        )
        for row in report["windows"]
    ]
    cells = {
        key: [_shown(key, row[key]) for _code, _name, row, _low in rows] + [_shown(key, total[key])]
        for key in CITY_COLUMNS
    }
    widest = {key: max(cell_len(t(f"city.col_{key}")), *map(cell_len, cells[key])) for key in cells}
    codes = max(
        cell_len(t("city.col_code")), cell_len(t("city.total")), *(cell_len(r[0]) for r in rows)
    )
    # Rich takes a name without spaces for one word: the column is as wide as it (up to 24)
    names = min(24, max(cell_len(t("city.col_name")), *(cell_len(r[1]) for r in rows)))
    least = codes + names + sum(widest.values()) + len(CITY_COLUMNS) + 2  # a space a column
    if least <= console.width:
        groups = [list(CITY_COLUMNS)]
    else:
        counts = [
            key
            for key in CITY_COLUMNS
            if not key.endswith("_rate") and key != "avg_working_days_to_resolve"
        ]
        groups = [counts, [key for key in CITY_COLUMNS if key not in counts]]
    for number, keys in enumerate(groups):
        table = _table(
            t("city.title", span=period_span(report)) if number == 0 else "",
            (t("city.col_code"), {"no_wrap": True}),
            (t("city.col_name"), {"max_width": 24, "min_width": 6, "overflow": "fold"}),
            *[
                (
                    t(f"city.col_{key}"),
                    {"justify": "right", "no_wrap": True, "min_width": widest[key]},
                )
                for key in keys
            ],
        )
        table.padding = (0, 1, 0, 0)  # ten columns in eighty characters
        for index, (code, name, _row, low) in enumerate(rows):
            table.add_row(
                _x(code),
                _x(name),
                *[_x(cells[key][index], style="red" if key in low else "") for key in keys],
            )
        table.add_section()
        table.add_row(
            _x(t("city.total"), style="bold"),
            _x(t("city.windows", count=total["windows"]), style="bold"),
            *[_x(cells[key][-1], style="bold") for key in keys],
        )
        console.print(table)
    console.print(_x(t("city.columns_note"), style="dim"))
    if report["below_threshold"]:
        console.print(_x(t("city.below"), style="bold red"))
        for item in report["below_threshold"]:
            figures = t("list_sep").join(
                t(
                    "city.figure_short",
                    figure=t(f"weekly.{key}"),
                    value=_percent(value),
                    line=_percent(report["thresholds"][key]),
                )
                for key, value in item["short"].items()
            )
            console.print(
                _x(t("city.short", window=_window_and_code(item["window"]), figures=figures), "red")
            )


# Printed from a browser on A4. The fonts: what Windows has by default (the clerk's desk),
# macOS, and Debian/Ubuntu's `fonts-noto-cjk`; without any of them Chinese prints as boxes.
# A name, an id, a phone number or a date never breaks across lines (`nowrap` columns
# take the width they need, `width: 1%`); only the free text (matter, cause) wraps. The
# sheet keeps its counts whole, and each department's slip starts a page of its own.
_PAGE_STYLE = """
@page { size: A4; margin: 10mm 11mm 11mm; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "DengXian",
       "SimSun", "Noto Serif CJK SC", sans-serif;
       font-size: 8pt; line-height: 1.15; color: #000; margin: 0; }
h1 { font-size: 13pt; margin: 0 0 2pt; }
h2 { font-size: 9.5pt; margin: 5pt 0 2pt; border-bottom: 1px solid #000; }
h3 { font-size: 9pt; margin: 4pt 0 1pt; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 4pt; }
table { border-collapse: collapse; width: 100%; }
thead { display: table-header-group; }
th.over { font-weight: normal; text-align: left; border: none; padding-left: 0;
          white-space: normal; word-break: normal; overflow-wrap: anywhere; }
th.over.h2 { font-size: 9.5pt; font-weight: bold; border-bottom: 1px solid #000;
             padding-top: 5pt; background: none; }
th.over.h3 { font-size: 9pt; font-weight: bold; padding-top: 4pt; background: none; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #555; padding: 1pt 3pt; text-align: left; vertical-align: top; }
th { background: #eee; font-weight: bold; white-space: nowrap; word-break: keep-all; }
.id, .name, .phone, .dept, .date, .num { white-space: nowrap; word-break: keep-all; width: 1%; }
td.num { text-align: right; }
.name-long, .dept-long { min-width: 8em; max-width: 11em; overflow-wrap: anywhere; }
td.text { word-break: normal; overflow-wrap: anywhere; }
.mark { white-space: nowrap; word-break: keep-all; font-weight: bold; font-size: 7.5pt;
        border: 1px solid #000; border-radius: 2pt; padding: 0 2pt; margin-left: 3pt;
        display: inline-block; line-height: 1.3; margin-top: 1pt; }
.mark.redo { background: #000; color: #fff; }
.reason { margin-top: 2pt; font-weight: bold; }
.late { color: #b00; font-weight: bold; }
.late .mark, .mark.late { border-color: #b00; color: #b00; }
.soon { color: #a60; font-weight: bold; }
.none { color: #666; }
section.keep, section.counts { break-inside: avoid; page-break-inside: avoid; }
section.slip { break-before: page; page-break-before: always; }
.sign { margin-top: 24pt; }
tbody.tail { break-inside: avoid; page-break-inside: avoid; }
td.under { border: none; padding: 24pt 0 0 0; }
"""

# a section this short stays on one page with its heading
_KEEP_ROWS = 12


def _h(value: object) -> str:
    """A value on the printed page: HTML-escaped and printable."""
    from html import escape

    return escape(printable(value))


def _classes(*names: str) -> str:
    names = tuple(n for n in names if n)
    return f' class="{" ".join(names)}"' if names else ""


def _mark(text: str, kind: str = "") -> str:
    """A mark of the sheet (handed out today, redo, same-day answer, late): a framed word."""
    return f"<span{_classes('mark', kind)}>{_h(text)}</span>"


# a name or a department longer than this wraps on the printed page: a person's name (华先生)
# never breaks, an enterprise's of forty characters kept on one line would leave the matter
# beside it a character wide
_ONE_LINE_NAME = 12


def _td(value: object, kind: str = "text", style: str = "", after: str = "") -> str:
    """One cell: its kind (id, name, phone, dept, date, num, text) decides whether it may
    wrap; `after` is markup made here (marks, a second line), never stored text."""
    if kind in ("name", "dept") and len(str(value)) > _ONE_LINE_NAME:
        kind = f"{kind}-long"
    return f"<td{_classes(kind, style)}>{_h(value)}{after}</td>"


def _html_table(
    head: list[tuple[str, str]],
    rows: list[list[str]],
    over: str = "",
    under: str = "",
    over_kind: str = "",
) -> str:
    """`head`: (heading, kind) per column; `rows`: cells made by `_td`; `over`: a line
    above the headings, printed again with them at the top of each further page (set as a
    heading of `over_kind`, `h2` or `h3`, when it is the section's own); `under`: a line
    below the last row, never on a page of its own (the last rows go with it)."""
    if not rows:
        return f'<p class="none">{_h(t("daily.none"))}</p>'
    heading = "".join(f"<th{_classes(kind)}>{_h(name)}</th>" for name, kind in head)
    if over:
        kind = _classes("over", over_kind)
        heading = f'<th{kind} colspan="{len(head)}">{_h(over)}</th></tr><tr>{heading}'
    lines = ["<tr>" + "".join(row) + "</tr>" for row in rows]
    tail = ""
    if under:
        kept = lines[-_WITH_UNDER:]
        del lines[-_WITH_UNDER:]
        under_row = f'<tr><td class="under" colspan="{len(head)}">{_h(under)}</td></tr>'
        tail = f'<tbody class="tail">{"".join(kept)}{under_row}</tbody>'
    body = f"<tbody>{''.join(lines)}</tbody>" if lines else ""
    return f"<table><thead><tr>{heading}</tr></thead>{body}{tail}</table>"


_WITH_UNDER = 2  # the rows that go onto a page with the line under them


def _part(title: str, body: str, rows: int, tag: str = "h2", kind: str = "") -> str:
    keep = kind or ("keep" if rows <= _KEEP_ROWS else "")
    return f"<section{_classes(keep)}><{tag}>{_h(title)}</{tag}>{body}</section>"


def _table_part(
    title: str, head: list[tuple[str, str]], rows: list[list[str]], day: str, tag: str = "h2"
) -> str:
    """A section of the sheet that is one table. One too long to be kept on a page may run
    to the next: its heading is then the first line of the table's head, with the sheet's
    day, so that each page it runs to says what it continues (the headings alone did not)."""
    if len(rows) <= _KEEP_ROWS:
        return _part(title, _html_table(head, rows), len(rows), tag)
    return f"<section>{_html_table(head, rows, f'{title} · {day}', over_kind=tag)}</section>"


def _col(key: str, kind: str) -> tuple[str, str]:
    return (t(f"daily.col_{key}"), kind)


def _case_rows(cases: list[dict]) -> tuple[list[tuple[str, str]], list[list[str]]]:
    head = [
        _col("id", "id"),
        _col("applicant", "name"),
        _col("matter", "text"),
        _col("department", "dept"),
        _col("deadline", "date"),
    ]
    rows = [
        [
            _td(c["id"], "id"),
            _td(c["applicant"], "name"),
            _td(c["matter"]),
            _td(c["department"] or NONE, "dept"),
            _td(c["deadline"], "date", "soon" if c.get("due_today") else ""),
        ]
        for c in cases
    ]
    return head, rows


def _marks_of(case: dict) -> str:
    """The marks the terminal puts beside a work order (`_dispatch_marks`), framed."""
    handed = _mark(t("daily.handed_today")) if case.get("dispatched_today") else ""
    return handed + (_mark(t("daily.redo"), "redo") if case.get("reopened") else "")


def _feedback_cell(c: dict) -> str:
    if c["late"]:
        return _td(
            c["feedback_due"], "date", "late", _mark(t("daily.late", days=c["days_late"]), "late")
        )
    if c["resolution"] == "cannot":
        return _td(c["feedback_due"], "date", "", _mark(t("daily.same_day")))
    return _td(c["feedback_due"], "date")


def _redo_reason(case: dict) -> str:
    """Why a reopened order is done again, under it: the department (and the clerk waiting
    to hand it out) reads the applicant's objection, not only the mark."""
    if not case.get("reopened"):
        return ""
    words = t("slip.redo_reason", reason=case.get("reopen_reason") or NONE)
    return f'<div class="reason">{_h(words)}</div>'


def _slip(group: dict, sheet: dict, window: str) -> str:
    """One department's work orders, on a page of its own, with a line to sign."""
    name = group["department"] or t("daily.no_department")
    head = [
        _col("id", "id"),
        _col("applicant", "name"),
        (t("field.contact"), "phone"),
        _col("matter", "text"),
        (t("slip.cause"), "text"),
        _col("deadline", "date"),
    ]
    rows = [
        [
            _td(c["id"], "id"),
            _td(c["applicant"], "name"),
            _td(c["contact"] or NONE, "phone"),
            _td(_order_matter(c), after=_marks_of(c)),
            _td(c["cause"] or NONE, after=_redo_reason(c)),
            _td(c["deadline"], "date"),
        ]
        for c in group["cases"]
    ]
    assisting = ""
    if any(c.get("role") == "assist" for c in group["cases"]):
        assisting = f"<p>{_h(t('slip.assist_intro'))}</p>"
    whose = f"{_group_title(group)} · {sheet['date']}"
    return (
        '<section class="slip">'
        f"<h1>{_h(t('slip.title', department=name))}</h1>"
        f"<p>{_h(t('slip.intro', window=window))}</p>"
        f"{assisting}"
        # whose slip and of which day, above its headings: on each page a long one runs to;
        # the line to sign under its last rows, never on a page of its own
        f"{_html_table(head, rows, whose, t('slip.signature'))}"
        "</section>"
    )


def daily_html(sheet: dict, window: str, clerk: str = "") -> str:
    """The sheet as a standalone page: the sheet first (its counts never split from their
    heading), then one work-order slip per department, each starting a page, to hand out.
    The marks of the terminal's sheet are printed too, as framed words; the clerk who
    printed it is named when the setting `clerk_name` names one."""
    meta = _sheet_header(sheet)
    if clerk:
        meta = f"{meta} · {t('notice.clerk', name=clerk)}"
    parts = [
        f"<h1>{_h(t('daily.title', window=window))}</h1>",
        f'<p class="meta">{_h(meta)}</p>',
    ]
    if not sheet["working_day"]:
        note = t("daily.not_working_note", next=sheet["next_working_day"])
        parts.append(f'<p class="soon">{_h(note)}</p>')
    day = sheet["date"]
    parts.append(_table_part(t("daily.intake"), *_case_rows(sheet["intake"]), day))

    groups = []
    for group in sheet["to_dispatch"]:
        rows = [
            [
                _td(c["id"], "id"),
                _td(c["applicant"], "name"),
                _td(_order_matter(c), after=_marks_of(c) + _redo_reason(c)),
                _td(c["deadline"], "date"),
            ]
            for c in group["cases"]
        ]
        head = [
            _col("id", "id"),
            _col("applicant", "name"),
            _col("matter", "text"),
            _col("deadline", "date"),
        ]
        groups.append(_table_part(_group_title(group), head, rows, day, "h3"))
    dispatch_rows = sum(len(g["cases"]) for g in sheet["to_dispatch"])
    parts.append(
        _part(t("daily.to_dispatch"), "".join(groups) or _html_table([], []), dispatch_rows)
    )

    parts.append(_table_part(t("daily.due_soon"), *_case_rows(sheet["due_soon"]), day))
    head = [
        _col("id", "id"),
        _col("matter", "text"),
        _col("department", "dept"),
        _col("deadline", "date"),
        _col("days_overdue", "num"),
        _col("chases", "num"),
    ]
    rows = [
        [
            _td(c["id"], "id"),
            _td(c["matter"]),
            _td(c["department"] or NONE, "dept"),
            _td(c["deadline"], "date"),
            _td(c["days_overdue"], "num", "late"),
            _td(c["chase_count"], "num"),
        ]
        for c in sheet["overdue"]
    ]
    parts.append(_table_part(t("daily.overdue"), head, rows, day))
    head = [
        _col("id", "id"),
        _col("applicant", "name"),
        _col("matter", "text"),
        _col("outcome", "dept"),
        _col("feedback_due", "date"),
    ]
    rows = [
        [
            _td(c["id"], "id"),
            _td(c["applicant"], "name"),
            _td(c["matter"]),
            _td(label("resolution", c["resolution"]), "dept"),
            _feedback_cell(c),
        ]
        for c in sheet["feedback_due"]
    ]
    parts.append(_table_part(t("daily.feedback_due"), head, rows, day))

    for key, columns, cells in _PRACTICE:
        kinds = [_html_kind(column) for column in columns]
        head = [(t(name), kind) for (name, _), kind in zip(columns, kinds, strict=True)]
        rows = [
            [_td(value, kind) for value, kind in zip(cells(c), kinds, strict=True)]
            for c in sheet[key]
        ]
        parts.append(_table_part(t(f"daily.{key}"), head, rows, day))

    styles = {"overdue": "late", "feedback_late": "late", "due_soon": "soon"}
    counts = _html_table(
        [(t(f"count.{k}"), "") for k in sheet["counts"]],
        [[_td(v, "num", styles.get(k, "") if v else "") for k, v in sheet["counts"].items()]],
    )
    # (with the sheet's day: the counts may be all a last page holds)
    parts.append(_part(f"{t('daily.counts')} · {day}", counts, 1, kind="counts"))

    # a slip is handed to a department: the orders still waiting for one are on the sheet
    parts += [_slip(group, sheet, window) for group in sheet["to_dispatch"] if group["department"]]
    lang = "zh-CN" if t("list_sep") == "、" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{_h(t('daily.title', window=window))} {_h(sheet['date'])}</title>"
        f"<style>{_PAGE_STYLE}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n"
    )
