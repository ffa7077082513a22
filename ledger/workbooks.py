"""Excel workbooks (`.xlsx`) in and out (SPEC §7): the one place that knows openpyxl.

openpyxl is imported inside the functions, never at the top: `ledger daily` and the other
morning commands must not pay for it (SPEC §11), only a command that touches a workbook.

Reading never evaluates anything: the workbook is opened read-only with `data_only=True`,
so a formula cell gives the value Excel last computed and saved with it (or nothing, when
the file was never opened in a spreadsheet); a text that looks like a formula is text.
Writing stores every text cell as text (`data_type` 's'), whatever it starts with, so no
cell of ours can ever run as a formula.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ledger.errors import BadInput
from ledger.i18n import t
from ledger.patterns import lazy_pattern
from ledger.text import percent

SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .et), which openpyxl cannot read
MINUTE_FORMAT = "yyyy-mm-dd hh:mm"
DAY_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"
LINE_HEIGHT = 16  # points a line of wrapped text takes (Chinese at the default size)
MAX_ROW_HEIGHT = 409  # the tallest row Excel keeps
MAX_WIDTH = 60  # a long cause wraps in a column a screen can show, it does not widen it
# a report's columns are narrower: its tables share them, and one long reason made a column of
# the department table below it as wide as the page
REPORT_MAX_WIDTH = 30
CHARTS_A_PAGE = 2  # a landscape page holds two of a report's bar charts, one under the other
MIN_WIDTH = 6
# XML 1.0 cannot carry these, and openpyxl would refuse or write a file Excel repairs
_NOT_IN_XML = {0xFFFE, 0xFFFF}
# where a text holds what Excel would read as its escape of a character (`_x000D_`)
_ESCAPE_LIKE = lazy_pattern("_(?=x[0-9A-Fa-f]{4}_)")


class Percent(float):
    """A rate from 0 to 1 that a sheet shows as a percentage (`90.9%`); JSON keeps the
    plain fraction."""

    def __str__(self) -> str:
        return percent(self)


CELL_LIMIT = 32_767  # UTF-16 code units in one cell of an Excel workbook
# an error cell (#N/A, #REF!) read from a workbook: its text after this mark, which no text a
# clerk types or a CSV holds can start with, so the importer names it as the error it is
ERROR_MARK = "\x00"
# a formula cell saved without its value (a program wrote it and nothing computed it): the
# spreadsheet shows a value the file does not hold, which the importer must not read as empty
UNSAVED_FORMULA = ERROR_MARK + "="


# the names of other spreadsheets' own files (OpenDocument, WPS, Numbers, binary Excel)
OTHER_BOOKS = (
    ".ods",
    ".ots",
    ".fods",
    ".et",
    ".ett",
    ".numbers",
    ".xlsb",
    ".xlt",
    ".xltx",
    ".xltm",
)


def is_workbook(path: Path, writing: bool = False) -> bool:
    """Chosen by the name: `.xlsx` is a workbook, anything else CSV. A `.xlsm` is read as
    one too, but never written (Excel refuses a macro workbook without its macro part)."""
    suffix = Path(path).suffix.casefold()
    if writing and suffix in OTHER_BOOKS:
        # CSV under a spreadsheet's own name: the program would refuse it or warn
        raise BadInput("err.book_not_written", path=path, suffix=suffix)
    if writing and suffix == ".xlsm":
        # written as CSV under that name it could not be read back: say so instead
        raise BadInput("err.xlsm_not_written", path=path)
    if writing and suffix == ".xls":
        # CSV under an old workbook's name: Excel warns that the file is not what it says
        raise BadInput("err.xls_not_written", path=path)
    return suffix == ".xlsx" if writing else suffix in SUFFIXES


# a workbook saved with a password to open it: Excel and WPS wrap the encrypted .xlsx in the
# old format's container (the same first bytes as an .xls), in a stream of this name
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_CHUNK = 1 << 20


def sniff(path: Path) -> str | None:
    """'xlsx' for a zip (a workbook saved under another name), 'encrypted' for a workbook
    with a password to open it, 'xls' for the old binary format, else None."""
    with Path(path).open("rb") as handle:
        head = handle.read(4)
        if head == OLE_MAGIC:
            return "encrypted" if _holds(handle, _ENCRYPTED_STREAM) else "xls"
    if head == ZIP_MAGIC:
        return "xlsx"
    return None


def _holds(handle: IO[bytes], name: bytes) -> bool:
    """Whether the rest of an open file holds `name` (read a piece at a time: the container's
    directory may lie anywhere in it)."""
    tail = b""
    while piece := handle.read(_CHUNK):
        if name in tail + piece:
            return True
        tail = piece[-len(name) :]
    return False


# -- reading ----------------------------------------------------------------------------


def _damaged() -> tuple[type[BaseException], ...]:
    """What openpyxl and the standard library raise on a file that is not really a workbook:
    a zip that is not one, a part missing, XML cut short, a number that is no date."""
    from xml.etree.ElementTree import ParseError

    from openpyxl.utils.exceptions import InvalidFileException

    return (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        ParseError,
        SyntaxError,  # lxml's XMLSyntaxError, when openpyxl reads through lxml
        InvalidFileException,
        KeyError,
        ValueError,
        TypeError,
        IndexError,
        AttributeError,
        OverflowError,
        NotImplementedError,
    )


def cell_text(value: object) -> str:
    """A cell as the importer reads it: text as it is; an Excel date as the ledger writes
    one (`2026-10-09`, or `2026-10-09 09:30` when it has a time); whole numbers without
    `.0` (a phone number typed as a number, a row number)."""
    if value is None:
        return ""
    if isinstance(value, bool):  # as Excel and WPS show it (Python's `True` was imported)
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        if "_x" in value:
            # Excel writes a character XML cannot carry as `_xHHHH_` (a carriage return in a
            # cell: `_x000D_`), and `_x005F_` before a text that only looks so; openpyxl
            # gives the text as written
            from openpyxl.utils.escape import unescape

            return unescape(value)
        return value
    if isinstance(value, dt.datetime):
        # Excel keeps a time as a fraction of a day: 09:30 may come back as 09:29:59.9999
        value = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        if value.time() == dt.time():
            return value.date().isoformat()
        return f"{value.date().isoformat()} {value.hour:02d}:{value.minute:02d}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


@dataclass
class Sheet:
    """One sheet of a workbook being read: its name and its rows, numbered as Excel shows
    them (the first row is 1)."""

    name: str
    names: list[str]  # every sheet of the workbook, for a message that helps choose
    rows: Iterator[tuple[int, list[str]]] = field(repr=False)
    # the rows the sheet hides, known once its rows are read (its XML is read with them)
    hidden: set[int] = field(default_factory=set, repr=False)


@contextlib.contextmanager
def open_sheet(path: Path, sheet: str | None = None) -> Iterator[Sheet]:
    """The named sheet, else the first; the workbook is closed when the block ends."""
    from openpyxl import load_workbook

    path = Path(path)
    with path.open("rb") as handle, warnings.catch_warnings(record=True) as said:
        # openpyxl warns about what it does not read (data validation, styles); the
        # clerk can do nothing about that, and stderr is for the clerk. A date cell it
        # cannot read is kept, to be named as the cell it is (`_rows`).
        warnings.simplefilter("ignore")
        warnings.filterwarnings("always", message=_DATE_OUT_OF_RANGE_SAID)
        try:
            # a handle, not the name: a workbook saved as `.csv` is read all the same
            book = load_workbook(handle, read_only=True, data_only=True, keep_links=False)
        except _damaged() as error:
            raise BadInput("err.not_xlsx", path=path, detail=_detail(error)) from None
        except OSError as error:
            if error.errno is not None:  # the disk's, not the file's content
                raise
            # openpyxl says "no valid workbook part" of a zip that is another document
            raise BadInput("err.not_xlsx", path=path, detail=_detail(error)) from None
        try:
            names = book.sheetnames
            # a chart sheet holds a chart, no rows: the first sheet of rows is the book's;
            # a hidden one (a template, a list of values) is not what the clerk sees first
            rows_in = [ws.title for ws in book.worksheets]
            shown = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
            if sheet is None:
                if not rows_in:
                    raise BadInput("err.not_xlsx", path=path, detail=t("detail.no_sheet"))
                name = (shown or rows_in)[0]
            else:
                name = _find_sheet(names, sheet, path)
                if name not in rows_in:
                    raise BadInput(
                        "err.sheet_is_chart", path=path, value=name, names=", ".join(rows_in)
                    )
            _read_east_asian_dates(book)
            worksheet = book[name]
            hidden: set[int] = set()
            yield Sheet(name, list(names), _rows(worksheet, path, hidden, said), hidden)
        finally:
            book.close()


# the date and time formats ECMA-376 builds in for East Asian locales (§18.8.30): a Chinese
# Excel or WPS shows `2026年10月9日` (31), `10月9日` (58), `2026年10月` (57), `9时30分` (32)
# by these numbers alone, which openpyxl does not know as dates; their cells came in as
# numbers (46304.375), and the row was refused
_EAST_ASIAN_DATES = frozenset((*range(27, 37), *range(50, 59)))
# what openpyxl says of a date cell whose number is no date it can make (9999999, 1e400)
_DATE_OUT_OF_RANGE_SAID = (
    r"Cell ([A-Z]+)([0-9]+) is marked as a date but the serial value (\S+) is outside"
)
_DATE_OUT_OF_RANGE = lazy_pattern(_DATE_OUT_OF_RANGE_SAID)


def _read_east_asian_dates(book) -> None:
    """Have openpyxl read the cells of the East Asian built-in date formats as dates."""
    with contextlib.suppress(AttributeError, TypeError):
        styles = book._cell_styles
        book._date_formats |= {
            index for index, style in enumerate(styles) if style.numFmtId in _EAST_ASIAN_DATES
        }


def _find_sheet(names: list[str], wanted: str, path: Path) -> str:
    if not wanted.strip():  # `--sheet ""` names no sheet: never a blank-named one by chance
        raise BadInput("err.no_sheet", path=path, value=wanted, names=", ".join(names))
    # the name as typed, else as typed but for spaces around it, else in any case: the
    # closest reading first, so that ` 10月` finds `10月` before `10月 `
    for same in (
        lambda name: name == wanted,
        lambda name: name == wanted.strip(),
        lambda name: name.strip() == wanted.strip(),
        lambda name: name.strip().casefold() == wanted.strip().casefold(),
    ):
        found = [name for name in names if same(name)]
        if found:
            return found[0]
    raise BadInput("err.no_sheet", path=path, value=wanted, names=", ".join(names))


# Excel's last row: a sheet with a row numbered past it was written by no spreadsheet, and the
# reader would hand over every empty row up to it (a row numbered 99999999999: forty hours)
EXCEL_ROWS = 1_048_576


def _rows(worksheet, path: Path, hidden: set[int], said: list) -> Iterator[tuple[int, list[str]]]:
    # the dimension a workbook states may be wrong (some programs write `A1`): read every
    # row there is, and number them from 1 as Excel does, empty ones included
    worksheet.reset_dimensions()
    try:
        merged, unsaved, hidden_rows = _look_through(worksheet)
        hidden.update(hidden_rows)
        carried: dict[int, tuple[str, int]] = {}  # column: the merged value, its last row
        for number, cells in enumerate(worksheet.iter_rows(min_row=1), 1):
            if number > EXCEL_ROWS:
                detail = t("xlsx.past_last_row", most=f"{EXCEL_ROWS:,}")
                raise BadInput("err.not_xlsx", path=path, detail=detail)
            texts = [
                ERROR_MARK + str(cell.value)
                if cell.data_type == "e" and cell.value is not None
                else cell_text(cell.value)
                for cell in cells
            ]
            # a date cell holding a number no date is (9999999): openpyxl made it the
            # error #VALUE!, which the file does not hold; it is the number it holds
            while said:
                found = _DATE_OUT_OF_RANGE.match(str(said.pop(0).message))
                if found and int(found[2]) == number:
                    column = _column_index(found[1])
                    if column < len(texts):
                        texts[column] = cell_text(_number(found[3]))
            for column in unsaved.get(number, ()):
                if column < len(texts) and not texts[column]:
                    texts[column] = UNSAVED_FORMULA
            for column, last in merged.get(number, ()):
                if column < len(texts):
                    carried[column] = (texts[column], last)
            # an empty row stays empty: a spare line inside a merged block is not a case
            filled = any(text.strip() for text in texts)
            for column, (text, last) in list(carried.items()):
                if number > last:
                    del carried[column]
                elif not filled:
                    continue
                elif column < len(texts) and not texts[column]:
                    texts[column] = text
                elif column >= len(texts):
                    texts += [""] * (column - len(texts)) + [text]
            yield number, texts
    except _damaged() as error:
        raise BadInput("err.not_xlsx", path=path, detail=_detail(error)) from None


# a merged range as the sheet's XML states it (<mergeCell ref="B3:B5"/>, any prefix)
_MERGE_CELL = lazy_pattern(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref=[\"']([A-Z]{1,3})([0-9]+):[A-Z]{1,3}([0-9]+)[\"']"
)
_MERGE_READ = 1 << 20
# a cell holding a formula and no value: `<c r="B2"><f>A2</f><v/></c>`, any prefix (a
# formula's own text holds no `<`: XML writes it `&lt;`)
_FORMULA = lazy_pattern(rb"<(?:[A-Za-z_][\w.-]*:)?f\b")
_FORMULA_CELL = lazy_pattern(
    rb"<(?:[A-Za-z_][\w.-]*:)?c\b([^>]*)>\s*<(?:[A-Za-z_][\w.-]*:)?f\b[^>]*"
    rb"(?:/>|>[^<]*</(?:[A-Za-z_][\w.-]*:)?f>)\s*"
    rb"(<(?:[A-Za-z_][\w.-]*:)?v\s*/>|<(?:[A-Za-z_][\w.-]*:)?v\s*>\s*</(?:[A-Za-z_][\w.-]*:)?v>)?"
    rb"\s*</(?:[A-Za-z_][\w.-]*:)?c>"
)
_CELL_REF = lazy_pattern(rb"\br=[\"']([A-Z]{1,3})([0-9]+)[\"']")
# a row the sheet hides: `<row r="5" hidden="1" …>`, any prefix
_HIDDEN = lazy_pattern(rb"\bhidden=[\"'](?:1|true)[\"']")
_ROW_TAG = lazy_pattern(rb"<(?:[A-Za-z_][\w.-]*:)?row\b([^>]*)>")
_ROW_NUMBER = lazy_pattern(rb"\br=[\"']([0-9]+)[\"']")
_TEXT_RESULT = lazy_pattern(rb"\bt=[\"']str[\"']")
# the longest a cell's XML is (a formula holds up to 8,192 characters): a cell cut by a
# chunk's end is read whole with the next one
_CELL_MOST = 1 << 16


def _look_through(
    worksheet,
) -> tuple[dict[int, list[tuple[int, int]]], dict[int, list[int]], set[int]]:
    """Three things read-only openpyxl does not give, looked for in the sheet's XML a
    megabyte at a time (where it cannot be read, none are found):
    - the cells merged down over several rows (one date for a whole day, one department for
      a group of cases), by their first row: the column (from 0) and the last row. Excel
      shows the value on every row of the range and keeps it in the first alone; a clerk
      means every row;
    - the formula cells saved without a value, by row: their columns (from 0). Excel
      computes them when it opens the book and shows a value; read as they are, they were
      empty ("… is missing"), which the clerk could not see in the book. A formula whose
      value is saved as empty text (`t="str"` with an empty `<v>`) is empty;
    - the rows the sheet hides (imported like the others, and named: the clerk may have
      hidden what is no longer so)."""
    try:
        source = worksheet._get_source()
    except (AttributeError, KeyError, OSError):
        return {}, {}, set()
    merged: dict[int, list[tuple[int, int]]] = {}
    unsaved: dict[int, list[int]] = {}
    hidden: set[int] = set()
    with source:
        tail = b""
        while chunk := source.read(_MERGE_READ):
            text, seen = tail + chunk, 0
            for found in _MERGE_CELL.finditer(text):
                letters, first, last = found[1].decode(), int(found[2]), int(found[3])
                if last > first:
                    merged.setdefault(first, []).append((_column_index(letters), last))
                seen = found.end()
            if _FORMULA.search(text):  # most books: no formula, nothing more to read
                for found in _FORMULA_CELL.finditer(text):
                    ref = _CELL_REF.search(found[1])
                    # (a text result saved empty is empty; one never saved is unsaved)
                    if ref and (found[2] is None or not _TEXT_RESULT.search(found[1])):
                        unsaved.setdefault(int(ref[2]), []).append(_column_index(ref[1].decode()))
                    seen = max(seen, found.end())
            if _HIDDEN.search(text):  # most books hide nothing
                for found in _ROW_TAG.finditer(text):
                    number = _ROW_NUMBER.search(found[1])
                    if number and _HIDDEN.search(found[1]):
                        hidden.add(int(number[1]))
                    seen = max(seen, found.end())
            # a range or a cell cut by the chunk's end is found whole with the next chunk
            tail = text[max(seen, len(text) - _CELL_MOST) :]
    return merged, unsaved, hidden


def _number(text: str) -> object:
    try:
        return float(text)
    except ValueError:
        return text


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _detail(error: BaseException) -> str:
    """What was wrong, in the interface language: the library's own words are English."""
    if isinstance(error, (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError)):
        return t("detail.not_zip")
    if isinstance(error, KeyError) or "workbook part" in str(error):
        return t("detail.no_workbook_part")  # a zip, but not a workbook (a .docx, a .zip)
    return t("detail.workbook_unreadable")


# -- writing ----------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Columns a text takes on screen: a Chinese character (wide or full-width) takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell_width(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return len("2026-10-14 09:30")
    if isinstance(value, dt.date):
        return len("2026-10-14")
    if isinstance(value, Percent):
        return len("100.0%")
    text = str(value)
    # Excel counts UTF-16 units: a character beyond the BMP (an emoji, a rare 汉字) is two
    if len(text) > CELL_LIMIT // 2 and _units(text) > CELL_LIMIT:
        raise BadInput("err.cell_too_long", length=_units(text), limit=CELL_LIMIT)
    return max((display_width(line) for line in text.split("\n")), default=0)


def _row_height(lines: int) -> float:
    """A row as tall as its wrapped lines (LibreOffice and WPS do not work it out for a
    written workbook), at most what Excel allows."""
    return min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT)


def _lines(value: object, column_width: float) -> int:
    """The lines a text takes wrapped in a column of that width (1 for anything else)."""
    if not isinstance(value, str):
        return 1
    room = max(1, int(column_width) - 2)
    return sum(max(1, -(-display_width(line) // room)) for line in value.split("\n"))


def _units(text: str) -> int:
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def _width(widest: int, most: int = MAX_WIDTH) -> float:
    # a little room beside the text, as Excel's own "fit" leaves
    return float(min(most, max(MIN_WIDTH, widest + 2)))


def _xml_safe(text: str) -> str:
    if any(ord(c) in _NOT_IN_XML for c in text):
        text = "".join("\ufffd" if ord(c) in _NOT_IN_XML else c for c in text)
    if "_x" in text:  # a text that reads as Excel's escape is escaped itself (`_x005F_`)
        text = _ESCAPE_LIKE.sub("_x005F_", text)
    return text


def _cell(sheet, value: object, bold: bool = False):
    """One cell for a write-only sheet."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet)
    _fill(cell, value, bold)
    return cell


def column_letter(index: int) -> str:
    """A column as Excel and WPS name it (1 → A, 27 → AA)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def write_table(
    out: IO[bytes],
    title: str,
    header: list[str],
    rows: Callable[[], Iterable[list]],
) -> int:
    """A one-table workbook: the header bold and frozen, each column as wide as its text,
    the rows streamed (a ledger of 100,000 cases is not held in memory). `rows` is called
    twice, once to measure the columns and once to write them. Returns the rows written."""
    from openpyxl import Workbook

    widths = [_cell_width(name) for name in header]
    several_lines = [False] * len(header)  # a column some cell of which has more than one
    for row in rows():
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _cell_width(value))
            if isinstance(value, str) and "\n" in value:
                several_lines[index] = True
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    for index, widest in enumerate(widths, 1):
        sheet.column_dimensions[column_letter(index)].width = _width(widest)
    # the columns whose cells may wrap (`_fill`): their rows are made as tall as their lines,
    # which neither LibreOffice nor WPS works out for a row of a written workbook
    wrapping = [
        (index, _width(widest))
        for index, widest in enumerate(widths)
        if several_lines[index] or widest > MAX_WIDTH - 2
    ]
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, name, bold=True) for name in header])
    count = 0
    for row in rows():
        lines = max((_lines(row[index], width) for index, width in wrapping), default=1)
        if lines > 1:
            sheet.row_dimensions[count + 2].height = _row_height(lines)
        sheet.append([None if value is None else _cell(sheet, value) for value in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{column_letter(max(len(header), 1))}{count + 1}"
    book.save(out)
    return count


@dataclass
class Section:
    """A part of a sheet that is not one table: a heading row (bold), an optional header
    row (bold), its rows, and whether a bar chart draws its rows (label, count)."""

    heading: list
    header: list | None = None
    rows: list[list] = field(default_factory=list)
    chart: bool = False


def write_sections(out: IO[bytes], title: str, sections: list[Section]) -> None:
    """A report workbook (the weekly figures, the city's): its first section, the report's
    title, on one line in A1; the others one under another with a blank row between them,
    the first row frozen; below them one bar chart per charted section; printed landscape,
    one page wide (leadership reads it on paper)."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.data_source import AxDataSource, StrRef
    from openpyxl.worksheet.pagebreak import Break

    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(title)
    widths: dict[int, int] = {}
    charted: list[tuple[str, int, int]] = []
    row_number = 0
    frozen = 1  # the rows that stay in view: the title, and the first table's header

    def put(cells: list, bold: bool = False) -> None:
        nonlocal row_number
        row_number += 1
        for index, value in enumerate(cells, 1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=row_number, column=index)
            _fill(cell, value, bold, REPORT_MAX_WIDTH)
            widths[index] = max(widths.get(index, 0), _cell_width(value))

    for number, section in enumerate(sections):
        if number:
            row_number += 1
            put(section.heading, bold=True)
        else:
            # the title: one text, measured by no column, running on over the empty cells
            # beside it (its parts in cells of their own made the columns below as wide as
            # a window's name)
            row_number += 1
            parts = (str(part) for part in section.heading if part not in (None, ""))
            _fill(sheet.cell(row=1, column=1), " · ".join(parts), bold=True)
            sheet.cell(row=1, column=1).alignment = _unwrapped()
        if section.header:
            put(section.header, bold=True)
            if not number:  # the city's windows: their header scrolled away under the title
                frozen = row_number
        first = row_number + 1
        for row in section.rows:
            put(row)
        if section.chart and section.rows:
            charted.append((str(section.heading[0]), first, row_number))
    for index, widest in widths.items():
        sheet.column_dimensions[column_letter(index)].width = _width(widest, REPORT_MAX_WIDTH)
    # rows as tall as their wrapped lines: LibreOffice and WPS do not work it out for a
    # written workbook, and a refusal's reason would print as its first line
    for row in sheet.iter_rows(min_row=2, max_row=row_number):
        lines = max(
            (
                _lines(c.value, _width(widths.get(c.column, 0), REPORT_MAX_WIDTH))
                for c in row
                if c.value
            ),
            default=1,
        )
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = _row_height(lines)
            for cell in row:  # the row's other cells beside the first of its lines
                if cell.value is not None and not cell.alignment.wrap_text:
                    cell.alignment = _wrapped()
    sheet.freeze_panes = f"A{frozen + 1}"
    anchor_row = row_number + 2
    for number, (name, first, last) in enumerate(charted):
        if number % CHARTS_A_PAGE == 0:
            # a page of charts of their own, never one cut across two pages (a page one wide
            # prints as many rows as its scale allows, which the rows alone cannot tell)
            sheet.row_breaks.append(Break(id=anchor_row - 1))
        chart = BarChart()
        chart.type = "bar"  # horizontal bars: long Chinese labels stay readable
        chart.title = name
        chart.legend = None
        # openpyxl 3.1 leaves the axes' `delete` unset, and Excel then hides their labels
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.x_axis.scaling.orientation = "maxMin"  # top to bottom, as the table reads
        chart.x_axis.tickLblSkip = 1  # every label: LibreOffice left out every other one
        chart.add_data(Reference(sheet, min_col=2, min_row=first, max_row=last))
        # the names as text (a string reference): read as numbers, LibreOffice dropped labels
        names = Reference(sheet, min_col=1, min_row=first, max_row=last)
        for series in chart.series:
            series.cat = AxDataSource(strRef=StrRef(f=str(names)))
        chart.height = max(5.0, 1.0 * (last - first + 1) + 2)
        chart.width = 16
        # under the tables, one below another: beside them, a page one wide shrank the
        # tables to make room for the charts, and a page of their width cut the charts
        sheet.add_chart(chart, f"A{anchor_row}")
        anchor_row += int(chart.height * 2) + 2  # about two rows a centimetre
    _print_landscape_one_page_wide(
        sheet, [_width(widths.get(i, 0), REPORT_MAX_WIDTH) for i in range(1, max(widths) + 1)]
    )
    book.save(out)


# A4 landscape less Excel's default margins (0.7 in a side), and a column's width in cm: a
# character as LibreOffice prints a CJK sheet (wider than Excel's 7 px a character) and the
# cell's padding: measured on the weekly sheet printed through LibreOffice, PDF to PNG
PRINTABLE_CM = 29.7 - 2 * 1.78
CM_A_CHARACTER, CM_A_COLUMN = 0.25, 0.13
CHART_CM = 16


def _print_landscape_one_page_wide(sheet, widths: Iterable[float]) -> None:
    """Landscape A4, scaled to one page wide. A scale worked out here, not Excel's "fit to
    one page wide": Excel leaves out the page breaks that keep each chart whole while fit-to
    is on (LibreOffice keeps them)."""
    columns = list(widths)
    needed = max(sum(columns) * CM_A_CHARACTER + len(columns) * CM_A_COLUMN, CHART_CM + 1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.scale = max(10, min(100, int(100 * PRINTABLE_CM / needed)))


def _fill(cell, value: object, bold: bool = False, most: int = MAX_WIDTH) -> None:
    """A value into a cell: text stays text, dates and rates get their formats; a text
    wider than a column may be (`most`) wraps."""
    from openpyxl.styles import Font

    if isinstance(value, str):
        if len(value) > CELL_LIMIT:
            # openpyxl would cut it without a word: a workbook must not lose what the
            # ledger holds (a CSV keeps any length)
            raise BadInput("err.cell_too_long", length=len(value), limit=CELL_LIMIT)
        cell.value = _xml_safe(value)
        # the setter makes `=…` a formula and `#N/A` an error: text is text, always
        cell.data_type = "s"
        if "\n" in value or (len(value) * 2 > most - 2 and _cell_width(value) > most - 2):
            # a text wider than its column, or of several lines, wraps in it: read whole
            # in the sheet, not cut at the next column's edge (nor its lines run together)
            cell.alignment = _wrapped()
    elif isinstance(value, Percent):
        cell.value = float(value)
        cell.number_format = PERCENT_FORMAT
    else:
        cell.value = value
        if isinstance(value, dt.datetime):
            cell.number_format = MINUTE_FORMAT
        elif isinstance(value, dt.date):
            cell.number_format = DAY_FORMAT
    if bold:
        cell.font = Font(bold=True)


@functools.cache
def _unwrapped():
    from openpyxl.styles import Alignment

    return Alignment(wrap_text=False, vertical="top")


@functools.cache
def _wrapped():
    from openpyxl.styles import Alignment

    return Alignment(wrap_text=True, vertical="top")


def _sheet_title(title: str) -> str:
    # Excel's rules for a sheet's name: at most 31 characters, none of []:*?/\
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in title).strip("'")
    if len(cleaned) > 31:
        # the title's parts that fit whole (`Windows`), never a date cut in two
        # (`Windows · 2026-10-01 to 2026-10`); A1 holds the whole title
        parts = cleaned.split(" · ")
        while len(parts) > 1 and len(" · ".join(parts)) > 31:
            parts.pop()
        cleaned = " · ".join(parts).strip("'")
    return cleaned[:31] or "Sheet1"
