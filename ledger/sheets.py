"""CSV that Excel and WPS users can trust (SPEC §7): export, and import of our own sheets and
of a clerk's own registration book.

Named `sheets` so that it never shadows the standard `csv`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import functools
import io
import itertools
import json
import operator
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, NamedTuple

from ledger import dates, files, history, readahead, store, timelimits, workbooks
from ledger.calendar import WorkCalendar
from ledger.case import FIELDS, SHEET_BY_NAME
from ledger.errors import BadCommandLine, BadInput, ImportRefused, LedgerError
from ledger.i18n import CATALOGUE, label, language, t
from ledger.lifecycle import ACTIVE
from ledger.patterns import lazy_pattern
from ledger.privacy import (
    TOLD_TEXT,
    as_phone,
    digits_lost,
    has_phone,
    is_masked,
    mask,
    phones_masked,
    same_but_digits_lost,
    same_under_mask,
    text_masked,
)
from ledger.shapes import MOST
from ledger.store import ImportedRows, Ledger
from ledger.text import (
    UNPRINTABLE,
    UNSEEN,
    ascii_forms,
    clean,
    department_key,
    department_spelling,
    printable,
    quoted,
    whole_number,
    without_marks,
)
from ledger.timelimits import counts_for_on_time
from ledger.words import (
    CASE_FIELDS,
    EMPTY_MARKS,
    LIST_SPLIT,
    SEQ_LIMIT,
    SHEET_FIELDS,
    case_id,
    format_id,
    id_parts,
    mark_of_nothing,
    no_department_name,
    parse_code,
    period_span,
    period_title,
)

ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")
# the names a clerk may know them by: GBK and GB2312 are within GB18030 (the same bytes for
# every character they have), so a GBK file is read, and a sheet for a GBK program written,
# as GB18030
_ENCODING_NAMES = {
    **{name: name for name in ENCODINGS},
    "utf8": "utf-8",
    "utf8-sig": "utf-8-sig",
    "utf-8-bom": "utf-8-sig",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "cp936": "gb18030",
}


_SHOWN_NAMES = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "gb18030": "GB18030"}


def encoding_name(text: str) -> str | None:
    """The encoding `--encoding` names, whatever its case (`UTF-8`, `GBK`); None if none."""
    return _ENCODING_NAMES.get(without_marks(text).strip().casefold().replace("_", "-"))


BATCH = 1000  # rows read, placed and written at a time: what an import holds in memory
# a chase count as high as the ledger itself keeps (`shapes.MOST`): its own export of a case
# chased past 9999 (by hand, by `notices --record`) imports again
MAX_CHASES = MOST
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIST_FIELDS = tuple(f.name for f in FIELDS if f.kind == "names")
FORMULA_FIRST = frozenset((*FORMULA_START, "'"))  # and a leading ' itself, see `guard`
# in a row of cells joined by newlines (after a first one), a cell that may need
# `text_cell`'s care: two plain searches (one with an alternation is ten times slower)
_ROW_FORMULA = lazy_pattern("\n[=+\\-@\t\r']")
SECTION_SPLIT = LIST_SPLIT

# -- the formula guard ------------------------------------------------------------------


def guard(cell: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading `'`; so does one that
    already starts with `'`, so that import can take exactly one off again."""
    if cell and (cell.startswith(FORMULA_START) or cell.startswith("'")):
        return "'" + cell
    return cell


def text_cell(value: object) -> str:
    """Stored text as a cell: as printable as on the screen (an old ledger may hold a control
    character the door now refuses), and never a formula."""
    text = printable(value)
    if text and text[0] in FORMULA_FIRST:
        return "'" + text
    return text


def unguard(cell: str) -> str:
    if len(cell) > 1 and cell[0] == "'" and cell[1:].startswith((*FORMULA_START, "'")):
        return cell[1:]
    return cell


# -- export -----------------------------------------------------------------------------


def _column(key: str, word: str | None) -> Callable[[object], str] | None:
    """How a stored value of one column becomes a cell (None: stored text as it is): labels
    looked up once per code, not per cell (an export of 100,000 cases has 3.5 million
    cells), lists read from their stored form (codes joined by commas, names as JSON)."""
    if key == "contact":
        return None  # masked or not by the caller
    if key == "sections":
        sep = t("list_sep")
        return _once(lambda codes: sep.join(label("section", c) for c in codes.split(",")))
    if key == "extensions":
        return lambda value: json.dumps(
            extensions_as_written(json.loads(value)), ensure_ascii=False
        )
    if key in LIST_FIELDS:  # the assisting departments' names
        sep = t("list_sep")

        def names(value: str) -> str:
            listed = [str(v) for v in json.loads(value)]
            if any(SECTION_SPLIT.search(name) for name in listed):
                # a name that holds a separator (文化、广电和旅游局) would come back split
                return json.dumps(listed, ensure_ascii=False)
            return sep.join(listed)

        return names
    if word:
        return _once(lambda code: label(word, code))
    if SHEET_BY_NAME[key].kind == "count":
        return str
    return None


# an extension's keys as the sheet writes them, in the interface language (SPEC §7: labels in
# the interface language): a Chinese sheet reads 时间/天数/原期限/新期限/原因/逾期申请; import
# reads either language's
EXTENSION_KEYS = ("at", "days", "from", "to", "reason", "late")


def extensions_as_written(items: list) -> list:
    names = {key: t(f"ext.{key}") for key in EXTENSION_KEYS}
    return [
        {names.get(key, key): value for key, value in item.items()}
        if isinstance(item, dict)
        else item
        for item in items
    ]


@functools.cache
def _extension_keys() -> dict[str, str]:
    """Each language's word for an extension's key, with the key (read once, not once for
    each of a cell's records)."""
    return {t(f"ext.{key}", lang): key for key in EXTENSION_KEYS for lang in CATALOGUE}


def _extension_read(pairs: list[tuple[str, object]]) -> dict:
    """An extension written by a sheet of either language, with the ledger's own keys: a
    key given twice (天数 and days, or 天数 twice) is a cell that says two things, refused."""
    known = _extension_keys()
    item: dict = {}
    for key, value in pairs:
        key = known.get(key, key)
        if key in item:
            raise ValueError(f"{key} twice")
        item[key] = value
    return item


# the late flag as the sheet writes it (true), or as a clerk writes it by hand (是/否)
_LATE = {True: True, False: False, None: False, "是": True, "否": False}


def _late(value: object) -> bool:
    if isinstance(value, (str, bool)) or value is None:
        found = _LATE.get(value.strip() if isinstance(value, str) else value)
        if found is not None:
            return found
    raise ValueError("late")  # "yes", 1, "true": not silently taken for in time


def _reason(value: object) -> str:
    if not isinstance(value, str):  # (null, a number, a list: no reason written)
        raise TypeError("reason")
    return clean(value, "prompt.reason", multiline=True)


def _once(convert: Callable[[str], str]) -> Callable[[object], str]:
    known: dict[object, str] = {}

    def cell(value: object) -> str:
        if value not in known:
            known[value] = convert(str(value))
        return known[value]

    return cell


def _cells() -> list[tuple[int, Callable[[object], str]]]:
    """The columns whose stored values need a conversion, each with its own."""
    columns = [(i, _column(key, word)) for i, (key, word) in enumerate(SHEET_FIELDS)]
    return [(i, cell) for i, cell in columns if cell is not None]


_CONTACT = next(i for i, (key, _) in enumerate(SHEET_FIELDS) if key == "contact")
# the columns of what the clerk typed, where an applicant's number may be written too
_FREE_TEXT = [i for i, (key, _) in enumerate(SHEET_FIELDS) if key in TOLD_TEXT]


def _row_masked(row: list) -> list:
    """A row's free text with any phone number masked (SPEC §8), searched once a row: most
    rows hold none."""
    text = "\n".join(row[i] for i in _FREE_TEXT if isinstance(row[i], str))
    if not has_phone(text):
        return row
    return [
        phones_masked(v) if i in _FREE_TEXT and isinstance(v, str) else v for i, v in enumerate(row)
    ]


def export_rows(cases: Iterable[tuple], full_contact: bool) -> Iterator[list[str]]:
    """The header, then one row per case (stored values in SHEET_FIELDS order, see
    `Ledger.iter_export`): labels in the interface language, ISO dates."""
    yield [t(f"field.{key}") for key, _ in SHEET_FIELDS]
    cells = _cells()
    for case in cases:
        # None stays None: the csv writer writes it as an empty cell
        row = list(case)
        for i, cell in cells:
            if row[i]:
                row[i] = cell(row[i])
        if not full_contact:
            if row[_CONTACT]:
                row[_CONTACT] = mask(row[_CONTACT])
            row = _row_masked(row)
        # one search a row, not one a cell: most rows need nothing done
        joined = "\n" + "\n".join(filter(None, row))
        if _ROW_FORMULA.search(joined) or UNPRINTABLE.search(joined):
            row = [text_cell("" if value is None else value) for value in row]
        yield row


def export_values(cases: Iterable[tuple], full_contact: bool) -> Iterator[list[object]]:
    """One row per case for a workbook: as `export_rows`, but dates and times as real dates
    and the chase count as a number. Text is not guarded with `'`: a workbook stores it as
    text, so it cannot run, and the cell shows exactly what the ledger holds."""
    kinds = [SHEET_BY_NAME[key].kind for key, _ in SHEET_FIELDS]
    cells = dict(_cells())
    for case in cases:
        if not full_contact:
            case = _row_masked(list(case))
        row: list[object] = []
        for i, (value, kind) in enumerate(zip(case, kinds, strict=True)):
            if value is None or value == "" or value == "[]":
                row.append(None)
            elif kind == "minute":
                row.append(dates.read_minute(value))
            elif kind == "day":
                row.append(dt.date.fromisoformat(value))
            elif kind == "count":
                row.append(int(value))
            elif i == _CONTACT and not full_contact:
                row.append(printable(mask(value)))
            else:
                row.append(printable(cells[i](value) if i in cells else value))
        yield row


def export_file(
    target: Path,
    cases: Callable[[], Iterable[dict]],
    full_contact: bool,
    encoding: str,
    ledger_path: Path | None,
) -> int:
    """Write the export to `target`: a workbook when its name ends in `.xlsx`, else CSV.
    `cases` gives the cases afresh each time it is called (a workbook reads them twice, to
    size its columns first). Returns the number of cases written."""
    if workbooks.is_workbook(target, writing=True):
        header = [t(f"field.{key}") for key, _ in SHEET_FIELDS]
        return files.write(
            target,
            lambda handle: workbooks.write_table(
                handle,
                t("exp.sheet_title"),
                header,
                lambda: export_values(cases(), full_contact),
            ),
            ledger_path,
        )
    rows = export_rows(cases(), full_contact)
    return files.write(target, lambda handle: write_csv(rows, handle, encoding), ledger_path)


def csv_encoding(encoding: str | None, target: Path | None, file_option: str | None) -> str:
    """The encoding of a CSV the clerk asked for (UTF-8 with BOM unless told). `--encoding`
    with no CSV to write (a workbook, or no file given where one is needed: `file_option`)
    is refused rather than quietly ignored: the clerk would believe it was followed."""
    if encoding is None:
        return ENCODINGS[0]
    code = encoding_name(encoding)
    if code is None:
        raise BadInput(
            "err.bad_code", word=t("word.encoding"), value=encoding, choices=", ".join(ENCODINGS)
        )
    if target is None and file_option is not None:
        raise BadCommandLine("err.encoding_without_file", option=file_option)
    if target is not None and workbooks.is_workbook(target, writing=True):
        raise BadInput("err.encoding_workbook", path=target)
    return code


def write_csv(rows: Iterable[list[str]], out: IO[bytes], encoding: str) -> int:
    """Stream rows to a byte stream; returns how many data rows were written."""
    if encoding not in ENCODINGS:
        raise BadInput(
            "err.bad_code", word=t("word.encoding"), value=encoding, choices=", ".join(ENCODINGS)
        )
    # a buffered text layer over the bytes (codecs' writer encodes row by row in Python);
    # detached at the end, so the caller's stream stays open
    text = io.TextIOWrapper(out, encoding=encoding, newline="", write_through=False)
    writer = csv.writer(text, lineterminator="\r\n")
    count = -1
    try:
        for row in rows:
            writer.writerow(row)
            count += 1
        text.flush()
    finally:
        text.detach()
    return max(count, 0)


# -- import: headers --------------------------------------------------------------------

# the words clerks' own registration books use, beside our own headers in both languages
CLERK_HEADERS: dict[str, tuple[str, ...]] = {
    "ref": ("序号", "编号", "工单编号", "原序号", "book no", "no."),
    "received_at": (
        "受理时间",
        "登记日期",
        "接件时间",
        "日期",
        "受理日期",
        "登记时间",
        "来访时间",
        "来访日期",
        "来电时间",
        "来电日期",
        "反映时间",
        "诉求时间",
        "received",
    ),
    "applicant": (
        "反映人",
        "诉求人",
        "来电人",
        "来访人",
        "办事人",
        "申请人",
        "姓名",
        "反映人姓名",
        "诉求人姓名",
        "来电人姓名",
        "来访人姓名",
        "申请人姓名",
        "企业名称",
        "name",
    ),
    "contact": (
        "联系电话",
        "联系方式",
        "电话",
        "手机",
        "手机号码",
        "手机号",
        "电话号码",
        "来电号码",
        "反映人电话",
        "反映人联系电话",
        "诉求人电话",
        "诉求人联系电话",
        "申请人电话",
        "申请人联系电话",
        "来访人电话",
        "phone",
    ),
    "matter": (
        "事项名称",
        "办理事项",
        "主要内容",
        "诉求内容",
        "诉求事项",
        "反映内容",
        "反映事项",
        "反映问题",
        "来电内容",
        "来访事项",
        "事项",
    ),
    "cause": ("问题缘由", "原因", "缘由"),
    "channel": ("受理渠道", "来源", "渠道", "来源渠道", "反映渠道", "诉求渠道", "受理方式"),
    "department": (
        "承办单位",
        "办理单位",
        "责任单位",
        "责任科室",
        "承办科室",
        "办理部门",
        "承办部门",
        "责任部门",
    ),
    "time_limit_text": ("办理时限", "时限"),
    "chase_count": ("催办次数",),
    "method": ("处理办法", "办理情况"),
    "outcome": ("处理结果", "办理结果"),
    "resolved_at": ("办结时间", "办结日期", "完成时间", "完成日期"),
    "feedback_text": ("回访情况", "反馈情况", "回访记录", "回访结果"),
    "satisfaction": ("满意度", "满意程度", "群众满意度", "满意度评价", "回访满意度"),
}
REQUIRED = ("received_at", "applicant", "matter")


def _fold(text: str) -> str:
    return "".join(text.split()).casefold()


@functools.cache
def _header_names() -> dict[str, str]:
    """Every name a column is known by, folded, with its field (read, never changed)."""
    names: dict[str, str] = {}
    for key, _ in SHEET_FIELDS:
        for lang in CATALOGUE:
            names[_fold(CATALOGUE[lang][f"field.{key}"])] = key
        names[_fold(key)] = key
    for key, words in CLERK_HEADERS.items():
        for word in words:
            names.setdefault(_fold(word), key)
    return names


# what books add to a column's name: a note in brackets, a star for "required", a colon
_ANNOTATION = lazy_pattern(r"[（(【\[][^）)】\]]*[）)】\]]|^[*※＊]+|[:：*※＊]+$")


def map_header(header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Column index → field, and the columns not recognised. A name is matched as it is,
    else without what books add to it (`受理时间（年月日）`, `*姓名`, `联系电话：`)."""
    names = _header_names()
    mapping: dict[int, str] = {}
    unknown = []
    annotated: set[int] = set()  # the columns found by their name less a book's annotation
    for index, cell in enumerate(header):
        name = _fold(unguard(UNSEEN.sub("", cell)))
        key = names.get(name)
        if key is None and (key := names.get(_ANNOTATION.sub("", name))) is not None:
            annotated.add(index)
        if key is not None and key in mapping.values():
            # 反映人 and 姓名 side by side: the first is read, and the second named as its
            # repeat — unless the first is annotated and this one is not: `联系电话（作废）`
            # beside `联系电话` is the old column, and the plain one is read
            first = next(i for i, k in mapping.items() if k == key)
            if first in annotated and index not in annotated:
                del mapping[first]
                mapping[index] = key
                first, index = index, first
            repeat = header[index].strip()
            unknown.append(t("imp.repeated", column=repeat, first=header[first].strip()))
            continue
        if key is None:
            if cell.strip():
                unknown.append(cell.strip())
            continue
        mapping[index] = key
    if "pause_reason" in mapping.values() and "paused_since" not in mapping.values():
        # a book that notes reasons but has no pause date says no pause: the column is named
        # among those not read, rather than every row with a reason refused
        index = next(i for i, k in mapping.items() if k == "pause_reason")
        unknown.append(header[index].strip())
        del mapping[index]
    return mapping, unknown


# -- import: rows -----------------------------------------------------------------------


class RowProblem(Exception):
    """What is wrong with one row: its message, with the cell it quotes cut to size."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key = key
        # a cell quoted in the report is masked as output is (SPEC §8): a book shifted by a
        # column puts the phone numbers into the dates, the departments, the ids
        shown = {k: _quoted_masked(v) if isinstance(v, str) else v for k, v in fields.items()}
        self.text = LedgerError(key, **shown).message()


def _quoted_masked(cell: str) -> str:
    """A cell as a bad row's line quotes it: as written, its phone numbers masked — one a
    spreadsheet wrote as `13800001111.0` too (masked as that number; another `.0` is kept)."""
    number = as_phone(cell)
    return phones_masked(number if number != cell and has_phone(number) else cell)


@dataclass
class ImportReport:
    new: int = 0
    same: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    departments_added: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    workbook: bool = False  # rows are named as Excel numbers them ("row 3")
    sheet: str | None = None  # the sheet read, for a workbook
    sheets: list[str] = field(default_factory=list)  # all the workbook's sheets
    encoding: str | None = None  # a CSV file's, as it was read
    file_identity: tuple | None = None  # a CSV file's, as it was opened (`file_identity`)
    delimiter: str = ","  # what separates a CSV file's cells (`delimiter_of`)
    # the rows a workbook's sheet hides (filled as it is read), and of them those read
    hidden_in_sheet: set[int] = field(default_factory=set)
    hidden_rows: list[int] = field(default_factory=list)
    header_line: int = 1
    header_first_line: int | None = None  # of a header of two rows, the first's
    above_header: int = 0  # title rows (and empty ones) above the header, skipped
    blank_rows: int = 0  # empty rows between the header and the last row, skipped
    total_rows: int = 0  # 合计 / 小计 / 总计 rows, skipped
    header_rows: int = 0  # rows that repeat the header (two books pasted together), skipped
    title_rows: int = 0  # title rows above a repeated header, skipped
    year: int | None = None  # the year given to dates written without one
    year_from: str | None = None  # "option" (--year) or "title" (a title row)
    years_added: int = 0  # how many dates took that year (or the next, below)
    years_next: int = 0  # of them, a later step that took the next year (see `_dated`)
    years_retitled: int = 0  # of them, dates below a later title, in its year
    years_turned: int = 0  # of them, of the next year of a title across the new year
    turn: int | None = None  # the month a title across the new year starts from
    days_off_moved: int = 0  # due dates the book gave on a day off, read as the next working day
    # new rows with an id a ledger replaced by `restore` had given (`numbers_given_before...`)
    given_before_restore: list[str] = field(default_factory=list)


# fields whose value stands in when a bad cell is reported, so the rest of the row is read
_EMPTY: dict[str, object] = {"sections": [], "extensions": [], "chase_count": 0, "assist": []}
# each field, the method that reads its cell, and that method's further arguments; the
# receipt comes first, since the other dates of a book without years follow it
_READERS: tuple[tuple[str, ...], ...] = (
    ("received_at", "_moment"),
    ("ref", "_text"),
    ("channel", "_code", "channel"),
    ("applicant", "_text"),
    ("contact", "_contact"),
    ("matter", "_text"),
    ("problem", "_code", "problem"),
    ("cause", "_prose"),
    ("sections", "_sections"),
    ("scope", "_code", "scope"),
    ("department", "_text"),
    ("limit", "_code", "limit"),
    ("deadline", "_day"),
    ("dispatched_at", "_moment"),
    ("extensions", "_extensions"),
    ("chase_count", "_count"),
    ("assist", "_names"),
    ("acknowledged_at", "_moment"),
    ("paused_since", "_moment"),
    ("pause_reason", "_prose"),
    ("first_chase_at", "_moment"),
    ("resolved_at", "_moment"),
    ("resolution", "_code", "resolution"),
    ("method", "_prose"),
    ("outcome", "_prose"),
    ("feedback_due", "_day"),
    ("feedback_at", "_moment"),
    ("feedback_via", "_code", "via"),
    ("satisfaction", "_code", "satisfaction"),
    ("status", "_status"),
)


# the readers whose answer depends on the cell alone (not on the row, the year or the clock)
_CELL_ONLY = frozenset(
    {"_text", "_prose", "_code", "_status", "_sections", "_names", "_count", "_contact"}
)
REMEMBERED = 4096  # the answers kept for each column (a column of names stops there)


def _remembered(convert: Callable[[str], str]) -> Callable[[str], str]:
    """`convert` keeping its answers: a book's deadlines and answer days repeat. A spelling
    it refuses is not kept (it raises each time, for each row to say so)."""
    known: dict[str, str] = {}

    def remembered(text: str) -> str:
        value = known.get(text)
        if value is None:
            value = convert(text)
            if len(known) < REMEMBERED:
                known[text] = value
        return value

    return remembered


class ColumnsRead(NamedTuple):
    """How many columns a header has, and which of them have no name: a cell filled there
    (or past the last) is read by nothing, and the report says so (SPEC §7). `named`: the
    columns a book names in its own words (诉求人 for the applicant), which a problem of a
    row names as the book does; `ref`: the index of its 序号 column, if any; `fields`: what
    every column it reads is."""

    width: int
    unnamed: tuple[int, ...]
    named: tuple[tuple[str, str], ...] = ()
    ref: int | None = None
    fields: frozenset[str] = frozenset()
    marked: frozenset[int] = frozenset()  # the columns where a mark of nothing is empty
    # each column's name as the header writes it, folded, and the field it is read as: a
    # row that repeats them is the header again (two months' books pasted one under another)
    words: tuple[str, ...] = ()
    keys: tuple[str | None, ...] = ()


def _columns_read(header: list[str], mapping: dict[int, str]) -> ColumnsRead:
    named = []
    for index, key in mapping.items():
        shown = UNSEEN.sub("", header[index]).strip()
        folded = _fold(unguard(shown))
        own = _own_names(key)
        # `*反映人`, `受理时间（年月日）`: the ledger's own word, as the book annotates it
        if folded not in own and _ANNOTATION.sub("", folded) not in own:
            named.append((key, shown))
    ref = next((index for index, key in mapping.items() if key == "ref"), None)
    unnamed = tuple(i for i, cell in enumerate(header) if not cell.strip())
    marked = frozenset(i for i, key in mapping.items() if key not in KEPT_AS_WRITTEN)
    fields = frozenset(mapping.values())
    words = tuple(_header_word(cell) for cell in header)
    keys = tuple(mapping.get(index) for index in range(len(header)))
    return ColumnsRead(len(header), unnamed, tuple(named), ref, fields, marked, words, keys)


def _header_word(cell: str) -> str:
    return _fold(unguard(UNSEEN.sub("", cell)))


def _own_names(key: str) -> set[str]:
    """A field's names in the ledger's own words, of either language, folded."""
    return {_fold(CATALOGUE[lang][f"field.{key}"]) for lang in CATALOGUE} | {_fold(key)}


class ReadRow(NamedTuple):
    """A good row as the reader leaves it for the ledger: what `Importer` needs to place it
    (its key, whether its contact is masked, the departments it names) and to write it. The
    case's values are left out when nothing would read them (`RowReader.lean`), and its rows
    for the store made already when it has its id (`store.imported_rows`)."""

    line: int
    key: tuple
    case: dict | None
    note: str | None
    masked: str | None  # the contact, when no new case may take it: masked, or its digits lost
    departments: tuple[str, ...]  # the lead's name (or "") and the assisting ones
    rows: ImportedRows | None
    # of a row without an id, all it says of its case: each field its cells give, with the
    # cell that gave it (itself, or 办理时限 for a time limit, 回访情况 for an answer's way)
    stated: dict[str, str] | None = None


class RowReader:
    """Reads a sheet's rows and checks every cell, without the ledger: what it needs of the
    ledger (time limits, departments, the calendar) is given to it, so that it can run in a
    second process (`readahead`). Each row comes out as a `ReadRow`, or as (line, problem)."""

    def __init__(
        self,
        cal: WorkCalendar,
        limits: dict[str, int],
        departments: Iterable[str],
        add_departments: bool,
        now: str,
        today: dt.date,
        year: int | None,
        lean: bool = False,
        year_given: bool = False,
        turn: int | None = None,
        limits_until: tuple[tuple[str, dict[str, int]], ...] = (),
    ) -> None:
        self.cal = cal
        self.limits = limits
        # the limits in force before each change of them (`Ledger.limits_until`): a row's
        # deadline is counted with those of the day it was received, as a case taken in
        # that day was (a change recorded later with `--at` reaches not back)
        self.limits_until = limits_until
        self.departments = dict.fromkeys(departments)  # in the ledger's order, for a suggestion
        self._unmarked: dict[str, list[str]] | None = None  # stored names by `department_key`
        self._new_spellings: dict[str, str] = {}  # new departments' first names, by key
        # the most parts a known name splits into (1 when none holds a separator): a run of a
        # cell's parts is looked for no longer than that (`_names`), so a cell costs what it holds
        self._longest_name = max(
            (len(SECTION_SPLIT.split(name)) for name in self.departments), default=1
        )
        self.add_departments = add_departments
        self.now = now
        self.today = today
        self.year = year
        # a year the clerk gave (--year) holds for every row; one a title gave gives way
        # to the next title's, over a header repeated below (December's book, then January's)
        self.year_given = year_given
        # a title naming the book's months across the new year (2025年12月—2026年1月): the
        # month its first year starts from; a yearless date of an earlier month is of the next
        self.turn = turn
        # when nothing will compare a case with a stored one (a ledger empty before the
        # import) a row with its id needs none of its values past the rows it writes
        self.lean = lean
        self.years_added = 0  # how many dates took `year` (or the next)
        self.years_next = 0  # of them, the steps after a receipt that took the next year
        self.years_retitled = 0  # of them, dates below a later title (in its year)
        self.years_turned = 0  # of them, dates of the next year of a title across the new year
        self.days_off_moved = 0  # due dates the book gave on a day off, moved to a working day
        self._retitled = False  # a later title gave the year
        self.hidden: set[int] = set()  # the rows a workbook's sheet hides
        self.hidden_read: list[int] = []  # of them, the rows read as the book's
        self.blank_rows = 0  # empty rows followed by a filled one, skipped
        self.total_rows = 0  # 合计 / 小计 / 总计 rows, skipped
        self.header_rows = 0  # rows that repeat the header, skipped
        self.title_rows = 0  # of a book's rows of one cell, those above a repeated header
        self._problems: list[str] = []  # of the row being read
        self._no_year: list[str] = []  # its dates written without a year, when none is known
        self._bad: set[str] = set()  # its fields already reported
        self._received: str | None = None
        self._limit_was_date = False  # the row's 办理时限 held a date (its deadline)
        # a reader that depends on its cell alone keeps its answers: a book's codes, names,
        # matters and outcomes repeat (100,000 rows hold a few thousand different ones)
        self._readers = [
            (key, getattr(self, method), tuple(args), {} if method in _CELL_ONLY else None)
            for key, method, *args in _READERS
        ]
        self.columns = ColumnsRead(0, ())  # the header's, set once it is found
        self.unnamed_filled: set[int] = set()  # columns without a name that hold something
        self._minute = _remembered(dates.canonical_minute)
        self._day_text = _remembered(dates.canonical_day)

    def rows(
        self,
        rows: Iterable[tuple[int, list[str]]],
        cells_of: Callable[[list[str]], dict],
        progress: Callable[[int], None] | None = None,
        share: tuple[int, int, int] = (0, 1, BATCH),
    ) -> Iterator[ReadRow | tuple[int, str]]:
        """Every record after the header read: empty rows and 合计 rows skipped (and
        counted), the others as `read` gives them. With `share` (k, n, size) only the k-th
        of every n runs of `size` records is read (the skipped rows counted by k = 0
        alone): n readers share a file (`readahead`)."""
        part, parts, size = share
        counting = part == 0
        blank = 0  # empty rows so far not followed by a filled one
        ref = self.columns.ref
        # a row of one cell, held until the next filled row says what it is: a title when
        # the header follows it again, else a row of the book like the others
        held: tuple[int, int, list[str], bool] | None = None  # …, and whether 序号 alone
        for count, (line, cells) in enumerate(rows, start=1):
            if UNSEEN.search("".join(cells)):
                # in a date or a code too, and before the row is found empty or a total
                cells = [UNSEEN.sub("", cell) for cell in cells]
            if not EMPTY_MARKS.isdisjoint(map(str.strip, cells)):
                cells = self._nothing_read_empty(cells)
            # a formula saved without its value is nothing to tell a row by (a template's
            # =ROW() down its unused rows); in a row of cases it is that row's problem
            bare = (
                ["" if cell == workbooks.UNSAVED_FORMULA else cell for cell in cells]
                if workbooks.UNSAVED_FORMULA in cells
                else cells
            )
            first = _first_filled(bare)
            total = first is not None and _fold(first).lstrip(_OPENING).startswith(TOTAL_WORDS)
            # a book numbered ahead: a row with its 序号 alone is empty — or a title
            # written in that column, over a header repeated (see below)
            alone = not total and first is not None and ref is not None
            if first is None:
                blank += 1
                continue
            if alone and _only_filled(bare, ref):
                if held is not None and held[3]:
                    blank += 1
                elif held is not None:
                    yield from self._one(*held[:3], cells_of, share)
                held = (count, line, cells, True)
                continue
            repeats = not total and self._repeats_header(bare, first)
            if held is not None:
                if repeats:
                    self.title_rows += counting
                    self._title_above_header(held[2])
                elif held[3]:
                    blank += 1
                else:
                    yield from self._one(*held[:3], cells_of, share)
                held = None
            if counting:
                self.blank_rows += blank
            blank = 0
            if total and _is_total(cells_of(cells)):
                self.total_rows += counting
                continue
            if repeats:
                self.header_rows += counting
                continue
            if not total and _one_cell(bare):
                held = (count, line, cells, False)  # a title, if the header comes again
                continue
            yield from self._one(count, line, cells, cells_of, share)
            if progress and count % 1000 == 0:
                progress(count)
        if held is not None and not held[3]:
            yield from self._one(*held[:3], cells_of, share)

    def _one(
        self,
        count: int,
        line: int,
        cells: list[str],
        cells_of: Callable[[list[str]], dict],
        share: tuple[int, int, int],
    ) -> Iterator[ReadRow | tuple[int, str]]:
        """The row read, if it is of this reader's share of the records."""
        part, parts, size = share
        if parts > 1 and (count - 1) // size % parts != part:
            return
        if len(cells) > self.columns.width or self.columns.unnamed:
            self._note_unnamed(cells)
        if line in self.hidden:
            self.hidden_read.append(line)
        yield self.read(line, cells_of(cells))

    def _title_above_header(self, cells: list[str]) -> None:
        """A title over the header repeated: the year it names is the year of the dates
        below it written without one, unless the clerk gave the year."""
        named = _title_year(cells)
        if named is not None and not self.year_given:
            (self.year, self.turn), self._retitled = named, True

    @functools.cached_property
    def _header_starts(self) -> frozenset[str]:
        """The characters a column's name can begin with, as a cell holds it (after the `'`
        guard, a star or a bracket a book adds, or as the header wrote it)."""
        words = (*_header_names(), *self.columns.words)
        return frozenset(word[:1] for word in words if word) | frozenset("'*※＊（(【[")

    def _repeats_header(self, cells: list[str], opening: str) -> bool:
        """Whether a row is the header again: each cell it fills names the column it stands
        in, as the header does (its own word, or another name of the same field), two at the
        least — a case has a value in some column, not the column's name. `opening`: the
        row's first filled cell, trimmed."""
        # the first filled cell decides for almost every row (a case's number, date or name),
        # most of them by its first character, which begins no column's name
        if opening[0].casefold() not in self._header_starts:
            return False
        first = next(i for i, cell in enumerate(cells) if cell.strip())
        words, keys = self.columns.words, self.columns.keys
        names = _header_names()

        def names_its_column(index: int, cell: str) -> bool:
            if index >= len(words):
                return False
            word = _header_word(cell)
            if word == words[index]:
                return True
            key = names.get(word) or names.get(_ANNOTATION.sub("", word))
            return key is not None and key == keys[index]

        if not names_its_column(first, cells[first]):
            return False
        filled = [(i, cell) for i, cell in enumerate(cells) if cell.strip()]
        return len(filled) >= 2 and all(names_its_column(i, cell) for i, cell in filled)

    def _nothing_read_empty(self, cells: list[str]) -> list[str]:
        """A row's cells with the marks of nothing (无, /, —) read as empty: all of them in a
        row of nothing else (but its 序号); else those of a date, code, number, contact or
        department — a text the clerk wrote (a cause 无, a method /) is kept as written, as
        the ledger keeps it when typed, so that its own export imports back."""
        ref = self.columns.ref
        filled = (c.strip() for i, c in enumerate(cells) if i != ref and c.strip())
        if all(text in EMPTY_MARKS for text in filled):  # (its 序号 aside: a numbered row)
            return ["" if i != ref else cell for i, cell in enumerate(cells)]
        marked = self.columns.marked
        return [
            "" if index in marked and cell.strip() in EMPTY_MARKS else cell
            for index, cell in enumerate(cells)
        ]

    def _note_unnamed(self, cells: list[str]) -> None:
        width, unnamed = self.columns.width, self.columns.unnamed
        for index in (*unnamed, *range(width, len(cells))):
            if index < len(cells) and index not in self.unnamed_filled and cells[index].strip():
                self.unnamed_filled.add(index)

    def read(self, line: int, values: dict[str, str]) -> ReadRow | tuple[int, str]:
        """Read one row. A bad row is reported with every problem it has, each saying what
        to change (SPEC §7), so that the clerk mends the book in one round."""
        self._problems, self._bad, self._received = [], set(), None
        self._no_year = []
        if workbooks.ERROR_MARK in "".join(values.values()):
            values = self._excel_errors(values)
        case, extra = self._read(values)
        if (case["department"] or case.get("assist")) and "department" not in self._bad:
            self._guard(self._known_department, case)
        if self._problems:
            if digits_lost(case["contact"]):  # said with the rest, whatever the case is
                problem = RowProblem(
                    "row.contact_scientific",
                    column=self.column_name("contact"),
                    value=case["contact"],
                )
                self._problems.append(problem.text)
            return line, t("imp.problem_sep").join(self._problems)
        note = extra.get("feedback_text")
        contact = case["contact"]
        masked = contact if is_masked(contact) or digits_lost(contact) else None
        if case["id"] is None:
            stated = {key: key for key, text in values.items() if text}
            if values.get("time_limit_text"):
                # a date gives the deadline; a class or a number of working days the class
                # (its deadline counted on today's calendar is not what the row says)
                given = "deadline" if self._limit_was_date else "limit"
                stated.setdefault(given, "time_limit_text")
            if values.get("feedback_text"):
                stated.setdefault("feedback_via", "feedback_text")
                stated.setdefault("satisfaction", "feedback_text")
            return ReadRow(line, _key(case), case, note, masked, _departments(case), None, stated)
        kept = None if self.lean else case
        return ReadRow(line, _key(case), kept, note, masked, *_written(case, note))

    def _excel_errors(self, values: dict[str, str]) -> dict[str, str]:
        """A cell a workbook holds as an error (#N/A, #REF!) is a problem of the row, never
        the text of the error; the rest of the row is read as usual."""
        read = {}
        for key, text in values.items():
            if text == workbooks.UNSAVED_FORMULA:
                problem = RowProblem("row.formula_unsaved", column=self.column_name(key))
                self._problems.append(problem.text)
                self._bad.add(key)
                text = ""
            elif text.startswith(workbooks.ERROR_MARK):
                error = text.removeprefix(workbooks.ERROR_MARK)
                problem = RowProblem("row.excel_error", column=self.column_name(key), value=error)
                self._problems.append(problem.text)
                self._bad.add(key)
                text = ""
            read[key] = text
        return read

    def _guard(self, check: Callable, *args: object, key: str | None = None) -> object:
        """Run one check of the row; a problem is noted (and the field marked bad) instead
        of ending the reading of the row."""
        try:
            return check(*args)
        except RowProblem as problem:
            self._problems.append(problem.text)
            if key:
                self._bad.add(key)
            return _EMPTY.get(key) if key else None

    def column_name(self, key: str) -> str:
        """A field as the book names its column (诉求人), else by the ledger's own word."""
        ours = t(f"field.{key}")
        for named, name in self.columns.named:
            if named == key:  # (`诉求人（反映人）` says the ledger's word already)
                book = quoted(name, 30)
                return book if ours in book else t("imp.book_column", book=book, ours=ours)
        return ours

    def _in_column(self, error: BadInput, key: str) -> RowProblem:
        """A cell's problem as the command's check says it, with the column named as the
        book names it (诉求人中有控制字符, not the ledger's 反映人)."""
        fields = dict(error.fields)
        for name in ("field", "what"):  # (a text's check says `field`, a number's `what`)
            if name in fields:
                fields[name] = self.column_name(key)
        detail = LedgerError(error.key, **fields).message()
        return RowProblem("row.bad_text", detail=detail)

    def _code(self, values: dict, key: str, word: str) -> str | None:
        raw = values.get(key)
        if not raw:
            return None
        try:
            return parse_code(word, raw)
        except LedgerError as error:
            # a book's 满意度 holds its own words (非常满意, 较满意, 一般), read as 回访情况's are
            if word == "satisfaction" and (rated := _satisfaction_from_text(raw)) is not None:
                return rated
            raise RowProblem(
                "row.bad_value",
                column=self.column_name(key),
                value=raw,
                choices=error.fields.get("choices", ""),
            ) from None

    def _status(self, values: dict, key: str) -> str | None:
        """A status as the ledger names it, or as a book says whether the case is still
        being worked on (办理中: `OPEN`) or done (已完成: `DONE`): its dates then tell
        which status it is (`_fill_in`)."""
        raw = values.get(key) or ""
        folded = _fold(raw)
        if folded in _BOOK_OPEN:
            return OPEN
        if folded in _BOOK_DONE:
            return DONE
        return self._code(values, key, "status")

    def _dated(self, values: dict, key: str, canonical: Callable[[str], str]) -> str | None:
        """A date cell in any accepted spelling; one written without its year (`10月9日`)
        takes the year of --year or of the book's title, and a later step of the case
        that would then fall before its receipt is in the next year (a December book
        resolved in January) when that puts it less than half a year after the receipt."""
        raw = values.get(key)
        if not raw:
            return None
        try:
            return canonical(raw)
        except LedgerError as error:
            spelled = dates.with_year(raw, self.year or dates.FIRST_YEAR)
            if spelled is None:
                if error.key == "err.date_range":
                    raise RowProblem(
                        "row.date_range",
                        column=self.column_name(key),
                        value=raw,
                        first=dates.FIRST_YEAR,
                        last=dates.LAST_YEAR,
                    ) from None
                raise RowProblem("row.bad_date", column=self.column_name(key), value=raw) from None
        if self.year is None:
            # said once for the row, with every such date of it (see `_read`)
            self._no_year.append(f"{self.column_name(key)} {quoted(raw)}")
            self._bad.add(key)
            return None
        try:
            value = canonical(spelled)
            if self.turn is not None and int(value[5:7]) < self.turn:
                value = canonical(dates.with_year(raw, self.year + 1) or spelled)
                self.years_turned += 1
            elif key != "received_at" and self._received and value[:10] < self._received[:10]:
                rolled = canonical(dates.with_year(raw, self.year + 1) or spelled)
                days = dt.date.fromisoformat(rolled[:10]) - dt.date.fromisoformat(
                    self._received[:10]
                )
                # across the turn of the year only: a slip of a day (受理 10月9日, 办结
                # 10月8日) is two dates out of order, not a resolution a year later
                if days.days <= NEXT_YEAR_WITHIN:
                    value = rolled
                    self.years_next += 1
        except LedgerError:
            raise RowProblem("row.bad_date", column=self.column_name(key), value=raw) from None
        self.years_added += 1
        self.years_retitled += self._retitled
        return value

    def _moment(self, values: dict, key: str) -> str | None:
        stamp = self._dated(values, key, self._minute)
        if stamp is not None and stamp > self.now:
            raise RowProblem("row.future", column=self.column_name(key), value=stamp)
        return stamp

    def _day(self, values: dict, key: str) -> str | None:
        return self._dated(values, key, self._day_text)

    def _contact(self, values: dict, key: str) -> str | None:
        """A phone number as a spreadsheet may have saved it: `13800001111.0` (a number
        column written by a program) is that number. One in scientific notation (`1.38E+10`)
        is kept as written here: it is the contact of a case the ledger holds so (typed
        before such a number was refused), and refused for a new case (`Importer._place`)."""
        return as_phone(self._text(values, key))

    def _prose(self, values: dict, key: str) -> str | None:
        return self._text(values, key, multiline=True)

    def _text(self, values: dict, key: str, multiline: bool = False) -> str | None:
        """A text cell through the same check as typed text (SPEC §5)."""
        try:
            return clean(values.get(key), f"field.{key}", multiline=multiline, required=False)
        except BadInput as error:
            raise self._in_column(error, key) from None

    def _read(self, values: dict[str, str]) -> tuple[dict, dict]:
        for key in REQUIRED:
            if not values.get(key) and key not in self._bad:
                self._problems.append(RowProblem("row.missing", column=self.column_name(key)).text)
                self._bad.add(key)
        case: dict = {"id": None}
        for key, read, args, known in self._readers:
            raw = values.get(key)
            if not raw:
                case[key] = _EMPTY.get(key)  # most cells of a book are empty: no call
                continue
            if known is not None and raw in known:
                value = known[raw]
                case[key] = list(value) if isinstance(value, list) else value
                continue
            try:
                case[key] = read(values, key, *args)
            except RowProblem as problem:
                self._problems.append(problem.text)
                self._bad.add(key)
                case[key] = _EMPTY.get(key)
            else:
                if known is not None and len(known) < REMEMBERED:
                    value = case[key]
                    known[raw] = list(value) if isinstance(value, list) else value
            if key == "received_at":
                self._received = case[key]
        if values.get("id"):
            case["id"] = self._guard(self._case_id, values["id"], case["received_at"], key="id")
        extra = {
            "feedback_text": self._guard(
                self._text, values, "feedback_text", True, key="feedback_text"
            )
        }
        said = len(self._problems)  # the dates without a year are said here, once
        if case["received_at"] is not None:  # nothing below can be worked out without it
            self._guard(self._time_limit_text, values, case, key="time_limit_text")
            self._fill_in(values, case)
        if self._no_year:  # the 办理时限 column's date among them
            problem = RowProblem(
                "row.no_year",
                dates=t("list_sep").join(self._no_year),
                year=self.today.year,
            )
            self._problems.insert(said, problem.text)
        return case, extra

    def _case_id(self, raw: str, received: str | None) -> str:
        try:
            number = case_id(raw)
        except BadInput as error:
            if error.key == "err.not_found":  # more digits than any sequence can hold
                raise RowProblem("row.id_too_large", value=raw, most=SEQ_LIMIT - 1) from None
            raise RowProblem("row.bad_id", value=raw) from None
        if id_parts(number)[1] == 0:  # the ledger numbers a year's cases from 0001
            raise RowProblem("row.bad_id", value=raw)
        if id_parts(number)[1] >= SEQ_LIMIT:
            raise RowProblem("row.id_too_large", value=raw, most=SEQ_LIMIT - 1)
        if received is not None and number[:4] != received[:4]:
            raise RowProblem("row.id_year", value=raw, received=received)
        return number

    def _sections(self, values: dict, key: str = "sections") -> list[str]:
        raw = values.get("sections")
        if not raw:
            return []
        codes = []
        for part in SECTION_SPLIT.split(raw):
            if part.strip():
                codes.append(self._code({"sections": part.strip()}, "sections", "section"))
        return list(dict.fromkeys(codes))

    def _names(self, values: dict, key: str) -> list[str]:
        """Department names in one cell, as export writes them (、, or a JSON list when a
        name holds a separator) or a clerk might (,;/): a department the ledger knows by a
        name with a separator in it (住建/城管) is that one department, not two."""
        raw = values.get(key)
        if not raw:
            return []
        if raw.startswith("["):
            with contextlib.suppress(ValueError, RecursionError):
                listed = json.loads(raw)
                if isinstance(listed, list) and all(isinstance(n, str) for n in listed):
                    names = [self._text({key: name.strip()}, key) for name in listed]
                    return list(dict.fromkeys(name for name in names if name))
        parts = SECTION_SPLIT.split(raw)
        seps = SECTION_SPLIT.findall(raw)
        longest = self._longest_name
        names, start = [], 0
        while start < len(parts):
            end = start + 1  # the longest run of parts that is one known name, else one
            for stop in range(min(len(parts), start + longest), start + 1, -1):
                joined = parts[start] + "".join(
                    seps[i] + parts[i + 1] for i in range(start, stop - 1)
                )
                if joined.strip() in self.departments:
                    end = stop
                    break
            joined = parts[start] + "".join(seps[i] + parts[i + 1] for i in range(start, end - 1))
            names.append(self._text({key: joined.strip()}, key))
            start = end
        return list(dict.fromkeys(name for name in names if name))

    def _count(self, values: dict, key: str) -> int:
        raw = values.get(key)
        if not raw:
            return 0
        try:
            return whole_number(raw, 0, MAX_CHASES, f"field.{key}")
        except BadInput as error:
            raise self._in_column(error, key) from None

    def _extensions(self, values: dict, key: str = "extensions") -> list[dict]:
        """The extensions column as export writes it: a JSON list, each item checked as the
        `extend` command would check it."""
        raw = values.get("extensions")
        if not raw:
            return []
        try:
            items = json.loads(raw, object_pairs_hook=_extension_read)
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise TypeError
            extensions = [
                {
                    "at": dates.canonical_minute(str(item["at"])),
                    "days": whole_number(item["days"], 1, 365, "field.extensions"),
                    "from": dates.canonical_day(str(item["from"])),
                    "to": dates.canonical_day(str(item["to"])),
                    "reason": _reason(item["reason"]),
                    **({"late": True} if _late(item.get("late")) else {}),
                }
                for item in items
            ]
        except (ValueError, KeyError, TypeError, RecursionError, LedgerError):
            raise RowProblem("row.bad_extensions") from None
        for extension in extensions:
            # an extension dated ahead of now would freeze the case until that day (SPEC §9)
            if extension["at"] > self.now:
                raise RowProblem(
                    "row.future", column=self.column_name("extensions"), value=extension["at"]
                )
        return extensions

    def _time_limit_text(self, values: dict, case: dict) -> None:
        """A book's 办理时限 column: a date, a class, or 'N个工作日'."""
        raw = values.get("time_limit_text")
        self._limit_was_date = False
        if not raw:
            return
        days = re.fullmatch(
            r"\s*([0-9]{1,3})\s*(个)?(工作日|天|日|working days?)\s*", ascii_forms(raw)
        )
        if days:
            try:
                n = whole_number(days[1], 0, 365, "field.time_limit_text")
            except BadInput as error:
                raise self._in_column(error, "time_limit_text") from None
            # the classes as they stood the day the case came in: a later change of the
            # settings names another class, and the same book read again conflicted
            limits = self._limits_at(case["received_at"])
            fitting = [name for name, limit in limits.items() if limit == n]
            if not case["limit"]:  # (a class the book names in its own column is compared)
                case[LIMIT_DAYS] = n
                case["limit"] = fitting[0] if fitting else "complex"
            start = dt.date.fromisoformat(case["received_at"][:10])
            if not case["deadline"]:
                case["deadline"] = self.cal.add_working_days(start, n).isoformat()
                case[history.COUNTED_DAYS] = n
            return
        try:
            case["limit"] = case["limit"] or _BOOK_LIMITS.get(raw) or parse_code("limit", raw)
            return
        except LedgerError:
            pass
        try:
            day = self._day({"time_limit_text": raw}, "time_limit_text")
        except RowProblem as problem:
            if problem.key != "row.bad_date":
                raise
            # neither of the three things the column holds: name them all
            classes = t("list_sep").join(label("limit", code) for code in self.limits)
            raise RowProblem(
                "row.bad_time_limit",
                column=self.column_name("time_limit_text"),
                value=raw,
                classes=classes,
            ) from None
        case["deadline"] = case["deadline"] or day
        self._limit_was_date = True

    def _fill_in(self, values: dict, case: dict) -> None:
        """What a clerk's own book leaves out, the way SPEC §4 would have set it."""
        feedback_text = values.get("feedback_text")
        # a book's 办理中 or 已完成 says only whether the case is done: its dates tell the rest
        kind = case["status"] if case["status"] in (OPEN, DONE) else None
        if kind is not None:
            case["status"] = None
        told = case["status"] is not None  # else the row's dates tell it
        # the dates the row itself carries: only those are compared for their order (one
        # filled in from another, a dispatch on receipt, would name a column the book lacks)
        carried = {k for k in ("received_at", "dispatched_at", "resolved_at", "feedback_at")
                   if case[k]}  # fmt: skip
        self._same_day_steps(case)
        # a book that names the department handed the case to it when it came in, unless
        # it has a column for the day it was handed over (the ledger's own export does: a
        # case classified to a department and not yet handed to it leaves it empty)
        handed = case["department"] and "dispatched_at" not in self.columns.fields
        if case["status"] is None and handed and not case["dispatched_at"]:
            case["dispatched_at"] = case["received_at"]
        if case["status"] is None:
            if case["feedback_at"] or _answered_by_text(feedback_text) or case["satisfaction"]:
                case["status"] = "closed"
            elif case["resolved_at"]:
                case["status"] = "resolved"
            elif handed or case["dispatched_at"]:
                case["status"] = "dispatched"
            elif case["sections"] or case["scope"] or case["department"]:
                case["status"] = "classified"
            else:
                case["status"] = "received"
        if kind is not None:
            self._kind_fits(case, kind, values)
        elif not told and case["status"] in ACTIVE and _says_done(case["outcome"]):
            # a book without 状态 whose 办理结果 says 已办结 but gives no 办结时间: read by
            # its dates the case is still open, and overdue on every sheet from then on
            problem = RowProblem(
                "row.outcome_says_done",
                column=self.column_name("outcome"),
                value=case["outcome"],
                resolved=self.column_name("resolved_at"),
            )
            self._problems.append(problem.text)
        status = case["status"]
        self._status_fits(case, told, values)
        if status == "dispatched" and not case["dispatched_at"]:
            case["dispatched_at"] = case["received_at"]
        if status in ("resolved", "closed"):
            if not case["resolved_at"] and not {"status", "resolved_at"} & self._bad:
                self._problems.append(self._needs_resolved(case, values, told).text)
            case["resolution"] = case["resolution"] or "done"
        if status == "closed":
            case["feedback_at"] = case["feedback_at"] or case["resolved_at"]
            if _answered_by_text(feedback_text) and not case["feedback_via"]:
                case["feedback_via"] = _via_from_text(feedback_text)
            if _answered_by_text(feedback_text) and not case["satisfaction"]:
                case["satisfaction"] = _satisfaction_from_text(feedback_text)
        if case["first_chase_at"] and not case["chase_count"]:
            case["chase_count"] = 1  # a first chase is one (a book without the count column)
        case["limit"] = case["limit"] or "standard"
        if not case["deadline"] and case["extensions"]:
            # a book without the deadline column: its last extension says where it went
            case["deadline"] = max(case["extensions"], key=lambda e: e["at"])["to"]
        if not case["deadline"]:
            start = dt.date.fromisoformat(case["received_at"][:10])
            limits = self._limits_at(case["received_at"])
            case["deadline"] = timelimits.deadline(start, case["limit"], limits, self.cal)
            case["deadline"] = case["deadline"].isoformat()
            # counted by the ledger, not told by the book: it follows the calendar (SPEC §3)
            case[history.COUNTED_DAYS] = limits[case["limit"]]
        if case["resolved_at"] and not case["feedback_due"]:
            day = dt.date.fromisoformat(case["resolved_at"][:10])
            due = timelimits.feedback_due(day, case["resolution"] or "done", self.cal)
            case["feedback_due"] = due.isoformat()
        self._guard(self._practice, case)
        if case["received_at"] and case["deadline"] < case["received_at"][:10]:
            # a deadline before the case came in would make it late the moment it is in;
            # named by the column it came from (a book's 办理时限 holds a date too)
            given = "deadline" if values.get("deadline") else "time_limit_text"
            problem = self._out_of_order({**case, given: case["deadline"]}, "received_at", given)
            self._problems.append(problem.text)
        if values.get("feedback_due") and case["feedback_due"]:
            # an answer due before the case was resolved (or came in) is late by decades on
            # every sheet, as a deadline before the receipt would be
            anchor = "resolved_at" if case["resolved_at"] else "received_at"
            if case["feedback_due"] < case[anchor][:10]:
                self._problems.append(self._out_of_order(case, anchor, "feedback_due").text)
        order = ("received_at", "dispatched_at", "resolved_at", "feedback_at")
        present = [k for k in order if case[k] and k in carried]
        for earlier, later in zip(present, present[1:], strict=False):
            if case[later] < case[earlier]:
                self._problems.append(self._out_of_order(case, earlier, later).text)
        # a deadline the book gave on a day off (a Sunday, 10-03 of the National Day break)
        # falls due on the next working day, as every deadline the ledger takes as given
        # does (SPEC §3): kept as written, the case was late a day early and `check` failed
        # (the problems above name the dates as the book wrote them)
        # — while it is still to come: a resolved case's deadline, an answered one's answer
        # date, are its past, which a calendar change leaves as it was (the ledger's own
        # export of a case resolved late would come back on time)
        for due, done in (("deadline", "resolved_at"), ("feedback_due", "feedback_at")):
            day = case[due]
            if case[done] or not day:
                continue
            # (one falling due past the ledger's last year is a problem of the row)
            case[due] = self._guard(self._on_a_working_day, day, due) or day
            self.days_off_moved += case[due] != day
        case["on_time_deadline"] = self._on_time_deadline(case)

    def _same_day_steps(self, case: dict) -> None:
        """A step written as a day alone (办结时间 `2026-10-09`, or `2026/10/9 0:00` as a
        spreadsheet saves a date typed into a cell formatted with a time) on the day of the
        step before it, which has its time (受理时间 `2026-10-09 15:00`), is at that time:
        read as 00:00 it came before the receipt, and the most common case of all — resolved
        the day it came in — was refused for dates the clerk never wrote."""
        steps = ("received_at", "dispatched_at", "resolved_at", "feedback_at")
        present = [k for k in steps if case[k]]
        pairs = [
            *zip(present, present[1:], strict=False),
            ("dispatched_at", "acknowledged_at"),
            ("received_at", "paused_since"),
            ("received_at", "first_chase_at"),
        ]
        for earlier, later in pairs:
            before, after = case.get(earlier), case.get(later)
            if before and after and after[:10] == before[:10] and after[11:] == "00:00":
                case[later] = before

    def _needs_resolved(self, case: dict, values: dict, told: bool) -> RowProblem:
        """A resolved or answered case without its resolution date: the status column says
        so, or — in a book without one — the column that shows the applicant was answered."""
        if told:
            return RowProblem("row.needs_resolved", status=label("status", case["status"]))
        for key in ("feedback_at", "feedback_text", "satisfaction"):
            given = values.get(key) or case.get(key)
            if given:
                return RowProblem(
                    "row.answered_needs_resolved", column=self.column_name(key), value=given
                )
        return RowProblem("row.needs_resolved", status=label("status", case["status"]))

    def _kind_fits(self, case: dict, kind: str, values: dict) -> None:
        """A book's word for a case still worked on, with a resolution or an answer in its
        row, or for one done, without its resolution date: a problem of the row, named by
        the book's word (the status its dates tell stands for the rest of the checks)."""
        said = values.get("status") or ""
        done = case["status"] in ("resolved", "closed")
        if kind == OPEN and done:
            for key in ("resolved_at", "feedback_at", "satisfaction", "feedback_text"):
                given = case.get(key) or values.get(key)
                if given:
                    problem = RowProblem(
                        "row.status_denied", status=said, column=self.column_name(key), value=given
                    )
                    self._problems.append(problem.text)
                    break
            self._bad.add("status")
        elif kind == DONE and not done:
            self._problems.append(RowProblem("row.needs_resolved", status=said).text)
            self._bad.add("status")

    def _status_fits(self, case: dict, told: bool, values: dict) -> None:
        """A status that the row's own dates deny is a problem of the row, not a case in a
        state no move could make: still open with a resolution date, resolved and not yet
        answered with an answer date or a rating, received with a day it was handed out,
        with a department's work order and no department."""
        status = case["status"]
        if "status" in self._bad:
            return
        shown = label("status", status)
        # only an answer gives a rating (`feedback`), and a reopening takes it away: a book's
        # 已办结 (resolved, not yet answered) beside 满意 or 电话回访满意 says two things
        rated = "satisfaction" if values.get("satisfaction") else "feedback_text"
        # (a note that only says how the work goes, 部门正在核实, is no answer: a rating is)
        answered = case["satisfaction"] or (
            _satisfaction_from_text(values.get("feedback_text") or "") is not None
        )
        if status in (*ACTIVE, "resolved") and answered and rated not in self._bad:
            problem = RowProblem(
                "row.status_denied_answer",
                status=shown,
                column=self.column_name(rated),
                value=values.get(rated),
                closed=label("status", "closed"),
            )
            self._problems.append(problem.text)
        for date, before in (("resolved_at", ACTIVE), ("feedback_at", (*ACTIVE, "resolved"))):
            if status in before and case[date]:
                problem = RowProblem(
                    "row.status_denied",
                    status=shown,
                    column=self.column_name(date),
                    value=case[date],
                )
                self._problems.append(problem.text)
        if status == "received" and case["dispatched_at"] and "dispatched_at" not in self._bad:
            # a case handed out and sent back waits classified (退单), never received again
            problem = RowProblem(
                "row.status_denied",
                status=shown,
                column=self.column_name("dispatched_at"),
                value=case["dispatched_at"],
            )
            self._problems.append(problem.text)
        if status == "dispatched" and not case["department"] and "department" not in self._bad:
            if told:
                problem = RowProblem("row.dispatched_needs_department", status=shown)
            else:  # a 转办时间 alone made it dispatched
                problem = RowProblem(
                    "row.dispatch_needs_department",
                    column=self.column_name("dispatched_at"),
                    value=case["dispatched_at"],
                )
            self._problems.append(problem.text)

    def _out_of_order(self, case: dict, earlier: str, later: str) -> RowProblem:
        """The problem of two of a row's dates in the wrong order, naming both."""
        return RowProblem(
            "row.order",
            later=self.column_name(later),
            later_value=case[later],
            earlier=self.column_name(earlier),
            earlier_value=case[earlier],
        )

    def _practice(self, case: dict) -> None:
        """The acknowledgement, the pause, the first chase and the assisting departments a
        row carries, held to what the moves themselves allow (SPEC §4, §5)."""
        if case["acknowledged_at"] and not case["dispatched_at"]:
            raise RowProblem("row.ack_needs_dispatch", column=self.column_name("acknowledged_at"))
        # a case voided while paused keeps its pause date (the ledger's own export writes it)
        if case["paused_since"] and case["status"] not in (*ACTIVE, "void"):
            raise RowProblem("row.paused_not_open", status=label("status", case["status"]))
        if case["pause_reason"] and not case["paused_since"] and "paused_since" not in self._bad:
            raise RowProblem(
                "row.reason_not_paused",
                column=self.column_name("pause_reason"),
                since=self.column_name("paused_since"),
            )
        if case["department"] in case["assist"]:
            raise RowProblem("row.assist_is_lead", name=case["department"])
        for earlier, later in (
            ("dispatched_at", "acknowledged_at"),
            ("received_at", "paused_since"),
            ("received_at", "first_chase_at"),
        ):
            if case[earlier] and case[later] and case[later] < case[earlier]:
                raise self._out_of_order(case, earlier, later)
        # the extension records date the case's past (`history.past_steps`): each after the
        # receipt, and in the order they were asked for
        moments = [extension["at"] for extension in case["extensions"]]
        if moments and (moments[0] < case["received_at"] or moments != sorted(moments)):
            raise RowProblem("row.extensions_order", received=case["received_at"])

    def _limits_at(self, received_at: str) -> dict[str, int]:
        """The limits in force when a case came in (`Ledger.limits_until`)."""
        return next((old for until, old in self.limits_until if received_at < until), self.limits)

    def _on_a_working_day(self, day: str, field: str) -> str:
        """A due date as the ledger holds it: the day, or the next working day after a day
        off (one past the ledger's last year refused, named by its column)."""
        due = self.cal.add_working_days(dt.date.fromisoformat(day), 0)
        if due.year > dates.LAST_YEAR:
            raise RowProblem(
                "row.due_past_range",
                column=self.column_name(field),
                value=day,
                last=dates.LAST_YEAR,
                next=due.isoformat(),
            )
        return due.isoformat()

    def _on_time_deadline(self, case: dict) -> str:
        """The deadline that decides 'on time' (`counts_for_on_time`). A sheet holds each
        extension with the deadline before and after it (`from`, `to`: any pause before it
        included) but not the pauses themselves. A pause moves the deadline and the on-time
        one alike, so the two differ by the days of the extensions that did not count: the
        on-time deadline is the deadline that many working days back, and at each extension
        it was its `from` less those counted out before it."""
        extensions = case["extensions"]
        if not any(extension.get("late") for extension in extensions):
            return case["deadline"]
        counted_out = 0
        for extension in extensions:
            asked = dt.date.fromisoformat(extension["at"][:10])
            due = self.cal.working_days_before(
                dt.date.fromisoformat(extension["from"]), counted_out
            )
            if not counts_for_on_time(bool(extension.get("late")), asked, due):
                counted_out += extension["days"]
        deadline = dt.date.fromisoformat(case["deadline"])
        return self.cal.working_days_before(deadline, counted_out).isoformat()

    def _known_department(self, case: dict) -> None:
        """A department the ledger does not know is a typo until --add-departments says it
        is new (SPEC §7): the lead's and every assisting one's."""
        case["department"] = self._as_stored(case["department"])
        if case.get("assist"):
            named = dict.fromkeys(map(self._as_stored, case["assist"]))
            case["assist"] = [name for name in named if name != case["department"]]
        for name in (case["department"], *case.get("assist", [])):
            if name in self.departments:
                continue
            if name and name == case["department"] and name not in self.departments:
                several = self._names({"department": name}, "department")
                if len(several) > 1 and all(part in self.departments for part in several):
                    # (`市场准入、税务`: told there was no such department, and shown the same
                    # words as the nearest; --add-departments made it one)
                    raise RowProblem(
                        "row.several_departments",
                        column=self.column_name("department"),
                        name=name,
                        lead=several[0],
                        assist=self.column_name("assist"),
                    )
            reserved = no_department_name(name) or mark_of_nothing(name) if name else False
            if name and name not in self.departments and reserved:
                # (a book's 未填 or none: the column left empty says no department)
                raise RowProblem("row.department_reserved", name=name)
            if name and name not in self.departments and not self.add_departments:
                raise RowProblem(
                    "row.unknown_department",
                    name=name,
                    suggest=_suggest(name, list(self.departments)),
                )

    def _as_stored(self, name: str) -> str:
        """A name as the ledger holds its department: another spelling of it (a space, a
        case, a mark that shows nothing apart, `department_key`) is that department, named
        as it is stored, the lead's as every assisting one's (SPEC §7: a typo never makes a
        new department)."""
        if not name or name in self.departments:
            return name
        name = department_spelling(name)
        if name in self.departments:
            return name
        if self._unmarked is None:
            self._unmarked = {}
            for stored in self.departments:
                self._unmarked.setdefault(department_key(stored), []).append(stored)
        found = self._unmarked.get(department_key(name), ())
        if found:
            return found[0] if len(found) == 1 else name
        # a department new to the ledger (--add-departments): its first spelling in the file
        return self._new_spellings.setdefault(department_key(name), name)


class Importer:
    """Places the rows a `RowReader` read: a row met before in the file, or a case the
    ledger holds, is checked against it; nothing is recorded until every row has been
    found good."""

    def __init__(
        self,
        ledger: Ledger,
        cal: WorkCalendar,
        add_departments: bool,
        year: int | None = None,
    ) -> None:
        self.ledger = ledger
        self.cal = cal
        self.add_departments = add_departments
        self.departments = {d["name"]: d["id"] for d in ledger.departments()}
        self.report = ImportReport()
        # the ids and contents met so far are kept by the store (`import_keys_met`)
        ledger.begin_import_keys()
        self._waiting: list[ReadRow] = []  # good rows read, not yet placed
        self._met_before: dict[tuple, int] = {}  # keys of those rows met by earlier batches
        self._met_now: dict[tuple, int] = {}  # keys met by this batch, with their lines
        self.had_cases = ledger.has_cases()
        self._given_before_restore = ledger.numbers_given_before_restores()
        self.with_id: list[ReadRow] = []  # good new cases waiting to be written
        self.without_id: list[dict] = []  # good new cases that get their ids at the end
        # (held by the store a batch at a time, see `Ledger.hold_unnumbered`)
        self.reader = self.reader_for(year)
        # the header `_absent` last read, and the fields it has no column for
        self._absent_from: ColumnsRead | None = None
        self._absent_fields: frozenset[str] = frozenset()

    def reader_for(self, year: int | None) -> RowReader:
        """A reader of rows for this ledger, here or in a second process."""
        return RowReader(
            self.cal,
            self.ledger.limits(),
            self.departments,
            self.add_departments,
            dates.minute(dates.now()),
            dates.today(),
            year,
            lean=not self.had_cases,
            limits_until=self.ledger.limits_until(),
        )

    def take(self, read: ReadRow | tuple[int, str]) -> None:
        """One row as the reader gave it: a problem is noted, a good row waits to be
        placed with the others of its batch."""
        if not isinstance(read, ReadRow):
            self.report.problems.append(read)
            return
        self._waiting.append(read)
        if len(self._waiting) >= BATCH:
            self._place_waiting()

    def finish(self, reader: RowReader) -> None:
        """Place the rows still waiting; the problems in the order of the file's rows; what
        `reader` skipped and added counted."""
        self._place_waiting()
        self.report.problems.sort(key=lambda problem: problem[0])  # one a row: stable
        for name in SKIPPED_AND_DATED:
            setattr(self.report, name, getattr(self.report, name) + getattr(reader, name))
        self.report.hidden_rows += reader.hidden_read
        self.report.unknown_columns += [
            t("imp.unnamed_column", column=workbooks.column_letter(index + 1))
            for index in sorted(reader.unnamed_filled)
        ]

    def _place_waiting(self) -> None:
        """Place the good rows read since the last time, in order, the keys that earlier
        batches met looked up for all of them at once (the store keeps those keys)."""
        waiting, self._waiting = self._waiting, []
        self._met_before = self.ledger.import_keys_met([read.key for read in waiting])
        self._met_now = {}
        for read in waiting:
            try:
                self._place(read)
            except RowProblem as problem:
                self.report.problems.append((read.line, problem.text))
        self.ledger.remember_import_keys(self._met_now)

    def _unit(self) -> str:
        return t("imp.unit_row" if self.report.workbook else "imp.unit_line")

    def _place(self, read: ReadRow) -> None:
        line, key, case = read.line, read.key, read.case
        other = self._met_before.get(key) or self._met_now.get(key)
        if other is None:
            self._met_now[key] = line
        if len(key) == 1:  # the row has its id
            if other is not None:
                raise RowProblem("row.duplicate_id", value=key[0], other=other, unit=self._unit())
            # an id met earlier in this file was refused above: a case found is the ledger's
            stored = self.ledger.case(key[0]) if self.had_cases else None
        else:
            if other is not None:
                raise RowProblem("row.duplicate_case", other=other, unit=self._unit())
            # (an import into an empty ledger meets its own rows only: `_met_now` above)
            stored = self.ledger.case_by_content(*key) if self.had_cases else None
        if stored is not None:
            assert case is not None  # a ledger with cases gets every row's values
            stated = read.stated or {}

            def named(key: str) -> str:
                return self.reader.column_name(stated.get(key, key))

            theirs = stored.as_json()
            # a row with its id is compared whole, but for the columns its file lacks
            ignored = self._unsaid(stated, case, stored.id, theirs) if stated else self._absent()
            different = _differences(case, theirs, named, ignored, days=bool(stated))
            if different:
                # a deadline the ledger moved itself when the calendar changed is the row's
                # (the same book imports again after a closure is entered), and so is a text
                # the ledger corrected since (`edit`): the row says what the case once said
                held = self.ledger.dates_before_recalculation(stored.id)
                # a stored due date that is now a day off (an answered case, which calendar
                # changes leave as it was) falls due on the day the row's is read as
                for due in ("deadline", "on_time_deadline", "feedback_due"):
                    if isinstance(theirs.get(due), str):
                        with contextlib.suppress(ValueError):  # (another program's text)
                            day = dt.date.fromisoformat(theirs[due])
                            next_one = self.reader.cal.add_working_days(day, 0).isoformat()
                            held.setdefault(due, set()).add(next_one)
                # the class of `N个工作日` is a name: the days and the deadline are the row's
                if case.get(LIMIT_DAYS) is not None:
                    held.setdefault("limit", set()).add(case.get("limit"))
                if stated:  # (a row with its id is compared whole, SPEC §7)
                    for changed, values in self.ledger.values_before_edits(stored.id).items():
                        held.setdefault(changed, set()).update(values)
                different = _differences(case, theirs, named, ignored, held, bool(stated))
            if different:
                fields = t("list_sep").join(different)
                raise RowProblem("row.conflict", id=stored.id, fields=fields)
            self.report.same += 1
            return
        if read.masked:
            key = "row.contact_scientific" if digits_lost(read.masked) else "row.masked_new"
            raise RowProblem(key, column=self.reader.column_name("contact"), value=read.masked)
        self.report.new += 1
        if len(key) == 1 and self._given_before_restore:
            # an id the ledger a restore replaced had given: that ledger's case (its export
            # brought back), or another's under a number told to an applicant — said, for
            # the clerk to compare with the ledger kept aside
            year, seq = id_parts(key[0])
            if seq <= self._given_before_restore.get(year, 0):
                self.report.given_before_restore.append(key[0])
        if self.report.problems:
            return  # nothing will be written: the case is counted, not kept
        if read.rows is None:
            assert case is not None
            case["_note"] = read.note
            self.without_id.append(case)
            if len(self.without_id) >= BATCH:
                self.ledger.hold_unnumbered(self.without_id)
                self.without_id = []
            return
        self.with_id.append(read)
        if len(self.with_id) >= BATCH:
            # written as we go, so memory stays flat; a bad row later rolls it all back
            self._insert(self.with_id)
            self.with_id = []

    def _absent(self) -> frozenset[str]:
        """The fields of a case the file has no column for: the ledger's own export with a
        column deleted (联系电话, before it was passed on) says nothing of them — its rows
        were conflicts in that field, every one."""
        columns = self.reader.columns
        if self._absent_from is columns:
            return self._absent_fields
        present = set(columns.fields)
        if "time_limit_text" in present:
            present |= {"deadline", "limit"}
        if "feedback_text" in present:
            present |= {"feedback_via", "satisfaction"}
        self._absent_from, self._absent_fields = columns, frozenset(COMPARED) - present
        return self._absent_fields

    def _unsaid(
        self, stated: dict[str, str], case: dict, case_id: str, theirs: dict
    ) -> frozenset[str]:
        """What a row without an id does not say of the case it was found to be (SPEC §7:
        by its day, applicant and matter, whatever its 序号 — a book is renumbered when rows
        are inserted or sorted). It says what its cells hold, and nothing of a column it
        lacks or a cell it leaves empty. What it holds of the case's moves (status,
        department, deadline, resolution, answer) is what was so when it was written: once
        the ledger recorded a move after the row's latest date, the case moved on, and only
        what describes the case (its receipt, applicant, contact, matter, problem, cause,
        channel) is still the row's to say — and what the case never had in the ledger (a
        resolution entered in the book only, unless a move since emptied it): a book gone
        ahead is said, not swallowed."""
        said = set(stated)
        moments = [case[k] for k in MOMENTS if case.get(k)]
        moments += [extension["at"] for extension in case.get("extensions") or ()]
        latest = max(moments) if moments else None
        if latest is not None and self.ledger.moved_since(case_id, latest):
            # a cell the ledger has empty, and no move since emptied, is one it never had
            emptied = self.ledger.emptied_since(case_id, latest)
            ahead = set()
            if emptied is not None:
                ahead = {k for k in said if theirs.get(k) in (None, "", []) and k not in emptied}
            said &= DESCRIPTIVE | ahead
        return frozenset(COMPARED) - said | {"ref"}

    # -- recording ------------------------------------------------------------------------

    def record(self) -> None:
        """Insert what is left (called only when no row was bad). Rows without an id get
        theirs last, after every id the file carries is taken, so that none collide."""
        self._insert(self.with_id)
        self.with_id = []
        self.ledger.hold_unnumbered(self.without_id)
        self.without_id = []
        next_seq: dict[int, int] = {}
        batch: list[ReadRow] = []
        for case in self.ledger.unnumbered():
            year = int(case["received_at"][:4])
            if year not in next_seq:
                next_seq[year] = id_parts(self.ledger.next_case_id(year))[1]
            case["id"] = format_id(year, next_seq[year])
            next_seq[year] += 1
            note = case.pop("_note", None)
            batch.append(ReadRow(0, (case["id"],), None, note, None, *_written(case, note)))
            if len(batch) >= BATCH:
                self._insert(batch)
                batch = []
        self._insert(batch)

    def _insert(self, batch: list[ReadRow]) -> None:
        """The rows made for each case (its `imported` event and its past, by the one writer
        of history), with the ids of its departments: a new one added (--add-departments)."""
        done = []
        for read in batch:
            for new in read.departments:
                if new and new not in self.departments:
                    found = self.ledger.department_named(new)  # stored with a mark in it
                    if found is not None:
                        self.departments[new] = found["id"]
                        continue
                    self.departments[new] = self.ledger.add_department(new, "unit", None, None)
                    self.report.departments_added.append(new)
            assert read.rows is not None
            done.append((read.rows, self.departments.get(read.departments[0])))
        self.ledger.record_imported(done)


def _departments(case: dict) -> tuple[str, ...]:
    """The lead department's name ("" for none) and the assisting ones', as `ReadRow` holds them."""
    return (case["department"] or "", *case["assist"])


def _written(case: dict, note: str | None) -> tuple[tuple[str, ...], ImportedRows]:
    """A case with its id as it is written: its departments, and its rows for the store made
    by the one writer of history (its `imported` event noting the answer, else the book's
    reference)."""
    done = history.imported(case, case["department"], note or case.get("ref") or None)
    return _departments(case), store.imported_rows(done)


def _key(case: dict) -> tuple:
    """What makes a row the same case as another: its id, or without one its received day,
    applicant and matter (SPEC §7)."""
    if case["id"]:
        return (case["id"],)
    return (case["received_at"][:10], case["applicant"], case["matter"])


def _suggest(name: str, names: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, names, n=3, cutoff=0.3)
    close += [n for n in names if (name in n or n in name) and n not in close]
    if close:
        return t("err.suggest", names=t("list_sep").join(close[:3]))
    return t("err.suggest_none", names=t("list_sep").join(names))


COMPARED = [key for key, _ in CASE_FIELDS if key not in ("id",)]
MINUTES = frozenset(f.name for f in FIELDS if f.kind == "minute")
# what describes a case, which no move but `edit` changes; and the moments a row may carry
DESCRIPTIVE = frozenset(
    {"received_at", "applicant", "contact", "matter", "problem", "cause", "channel"}
)
MOMENTS = (
    "received_at",
    "dispatched_at",
    "acknowledged_at",
    "paused_since",
    "first_chase_at",
    "resolved_at",
    "feedback_at",
)


def _differences(
    case: dict,
    stored: dict,
    named: Callable[[str], str],
    ignored: frozenset[str] = frozenset(),
    moved: dict | None = None,
    days: bool = False,
) -> list[str]:
    """The fields in which an imported row differs from the stored case, each as `named`
    names its column, once (`moved`: values the case held before the ledger moved a date or
    corrected a text, each the same as what it became). A time the row gives as a day
    alone (`2026-11-02`, read as 00:00) is that day at whatever minute, where `days` (a
    book's row; a row with its id is compared whole)."""
    different = []
    for key in COMPARED:
        if key in ignored:
            continue
        mine, theirs = case.get(key), stored.get(key)
        if isinstance(theirs, str) and UNSEEN.search(theirs):
            theirs = UNSEEN.sub("", theirs).strip()  # stored before such marks were taken out
        if moved and isinstance(mine, str) and mine in moved.get(key, ()):
            continue  # the row's date, which a calendar change moved (SPEC §3)
        if key == "contact" and mine and is_masked(mine):
            if not same_under_mask(mine, theirs):
                different.append(named("contact"))
            continue
        if key == "contact" and mine and digits_lost(mine) and theirs:
            # the ledger's own export saved again by Excel (1.38057E+10): the case's number,
            # less the digits the notation dropped, is no difference
            if mine != theirs and not same_but_digits_lost(mine, theirs):
                different.append(named("contact"))
            continue
        if key == "contact":  # (stored with its `.0` before the import read it as a number)
            mine, theirs = as_phone(mine), as_phone(theirs)
        if key == "id" or (mine in (None, "", []) and theirs in (None, "", [])):
            continue
        if key in ("department", "assist") and _named_alike(mine, theirs):
            continue  # one department's names, spelled apart (`department_key`)
        if (
            days
            and key in MINUTES
            and mine
            and theirs
            and mine.endswith(" 00:00")
            and mine[:10] == theirs[:10]
        ):
            continue
        # (a masked export's text is the stored text with its numbers masked)
        masked_alike = key in TOLD_TEXT and text_masked(theirs) == mine
        if mine != theirs and not masked_alike and named(key) not in different:
            different.append(named(key))
    return different


def _named_alike(mine: object, theirs: object) -> bool:
    """Whether two department names (or lists of them) name the same departments."""

    def keys(names: object) -> list[str]:
        listed = names if isinstance(names, list) else [names]
        return [department_key(n) if isinstance(n, str) else repr(n) for n in listed if n]

    return keys(mine) == keys(theirs)


def _via_from_text(text: str) -> str:
    for word, code in (
        ("短信", "sms"),
        ("电话", "phone"),
        ("当面", "visit"),
        ("现场", "visit"),
        ("信", "letter"),
    ):
        if word in text:
            return code
    return "other"


# what a 回访情况 cell says of the applicant's rating, the negations first: 不太满意 holds 满意
_RATINGS = (
    (lazy_pattern("(?:没有|没|无|未有)(?:任何)?不满|无意见|没有意见"), "satisfied"),  # 没有不满意
    (lazy_pattern("不[太很大够甚怎]?(?:是很|是太|是)?满意|不满|有意见"), "unsatisfied"),
    (lazy_pattern("基本满意|比较满意|较满意|还算满意|一般"), "basic"),
    (lazy_pattern("满意"), "satisfied"),
)
# a 回访情况 cell that says the applicant was not reached (yet): the case is not answered
_NOT_ANSWERED = lazy_pattern(
    "[未没]有?(?:联系上|联系到|接通|接听|回访|反馈|答复|告知|回复|通知)|未接|"
    "[待拟](?:电话|短信|当面|上门)?(?:回访|反馈|答复|告知|联系)|(?:尚未|暂未)(?:回访|反馈|答复|告知|联系)|"
    "无人接听|联系不上|无法联系|拒接|关机|空号"
)


def _satisfaction_from_text(text: str) -> str | None:
    for pattern, code in _RATINGS:
        if pattern.search(text):
            return code
    return None


def _answered_by_text(text: str | None) -> bool:
    """Whether a 回访情况 cell says the applicant was told: 待回访, 电话无人接听 and the like
    are the clerk's notes that they were not — unless the note gives a rating, which only an
    applicant reached can give (首次未接通，再次回访满意)."""
    if not text:
        return False
    return _satisfaction_from_text(text) is not None or not _NOT_ANSWERED.search(text)


# -- reading the file -------------------------------------------------------------------


def _decoded_lines(path: Path, encoding: str, opened: IO[bytes] | None = None) -> Iterator[str]:
    if opened is None:
        opened = path.open("rb")
    with io.TextIOWrapper(opened, encoding=encoding, newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if "\x00" in line:  # a spreadsheet's binary file, not its CSV
                raise BadInput("err.not_csv", path=path, detail=t("detail.nul", line=number))
            yield line


def read_rows(
    path: Path, encoding: str, opened: IO[bytes] | None = None, delimiter: str = ","
) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, cells) for every record of the file (read from
    `opened`, the file already open, when given), its cells split at `delimiter`."""
    # a cell may be as long as the ledger wrote it (csv's own limit is 131,072 characters)
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    # strict: a quote never closed would otherwise take every later line into one cell,
    # silently (the rows after it gone, their text in one case's cause)
    lines = _decoded_lines(path, encoding, opened)
    reader = csv.reader(lines, strict=True, delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            detail = t("detail.open_quote", line=line)
        elif "expected after" in str(error):  # "x"y: what follows the quote is not in it
            detail = t("detail.after_quote", line=line)
        else:
            detail = t("detail.csv_error", line=line, error=error)
        raise BadInput("err.not_csv", path=path, detail=detail) from None


DELIMITERS = (",", "\t", ";")  # a CSV's, then a text file's as Excel and WPS save one
_HEAD_BYTES = 1 << 16  # of a file, looked through for its header's separator


def delimiter_of(path: Path, encoding: str) -> str:
    """What separates a sheet's cells: a comma, unless the header (the first row with three
    columns recognised, SPEC §7) is found only split at tabs (Excel's and WPS's 文本文件
    (制表符分隔), named .txt or .csv) or at semicolons (a CSV of a European Excel)."""
    with files.os_errors(path, reading=True), path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    lines = head.decode(encoding, errors="replace").splitlines()
    if len(head) == _HEAD_BYTES:
        lines = lines[:-1]  # (cut short where the bytes read end)
    for delimiter in DELIMITERS:
        if delimiter != "," and not any(delimiter in line for line in lines):
            continue
        with contextlib.suppress(csv.Error):
            for cells in csv.reader(lines, delimiter=delimiter):
                if len(map_header(cells)[0]) >= HEADER_AT_LEAST:
                    return delimiter
    return ","


def file_identity(opened: IO[bytes]) -> tuple[int, int, int, int]:
    """Which file an open handle reads, and as it stood (device, inode, size, time written):
    the import's readers read the very file this process opened, or none (`readahead`)."""
    found = os.fstat(opened.fileno())
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030, checked over the whole file."""
    with path.open("rb") as handle:
        head = handle.read(3)
    candidates = ("utf-8-sig",) if head == codecs.BOM_UTF8 else ("utf-8", "gb18030")
    stops = {}
    for encoding in candidates:
        stops[encoding] = _undecodable_line(path, encoding)
        if stops[encoding] is None:
            return encoding
    # a file saved in two encodings (rows pasted from another program), or one with a byte
    # gone bad: the line where the encoding that reads furthest stops
    furthest = max(stops, key=lambda encoding: stops[encoding] or 0)
    raise BadInput(
        "err.encoding_auto", path=path, line=stops[furthest], encoding=_SHOWN_NAMES[furthest]
    )


def _undecodable_line(path: Path, encoding: str) -> int | None:
    """The line of the file where decoding it as `encoding` fails; None if it never does."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(1 << 20)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                # the bytes the decoder held back from the chunk before are counted with it
                pending = decoder.getstate()[0] if hasattr(decoder, "getstate") else b""
                return line + (pending + chunk)[: error.start].count(b"\n")
            if not chunk:
                return None
            line += chunk.count(b"\n")


def decoding_refused(path: Path, encoding: str) -> BadInput:
    """A file that `--encoding` does not decode, with its line and the other encoding to try."""
    other = "utf-8" if encoding == "gb18030" else "gb18030"
    line = _undecodable_line(path, encoding)
    return BadInput("err.encoding", path=path, encoding=encoding, line=line or "?", other=other)


TOTAL_WORDS = ("合计", "小计", "总计")
# in a row's values: the working days its 办理时限 gave (`N个工作日`), for the comparison
LIMIT_DAYS = "_limit_days"
# what a `RowReader` counts as it reads, for the import's report (summed over its readers)
SKIPPED_AND_DATED = (
    "blank_rows",
    "total_rows",
    "header_rows",
    "title_rows",
    "years_added",
    "years_next",
    "years_retitled",
    "years_turned",
    "days_off_moved",
)
NEXT_YEAR_WITHIN = 183  # days after the receipt a yearless later step may take the next year
# the texts a clerk writes, kept as written even when they are a mark of nothing (what
# the other columns read as empty: `EMPTY_MARKS`)
KEPT_AS_WRITTEN = frozenset(
    {"applicant", "matter", "cause", "method", "outcome", "ref", "pause_reason"}
)
_OPENING = "（(【[〔「『"  # a total row written in brackets: （合计）, 【小计】
# a book's own words for a time-limit class in its 办理时限 column, beside the labels
_BOOK_LIMITS = {"即办": "simple", "即时办结": "simple"}
# a book's 状态 words that say only whether a case is still worked on, or done
OPEN, DONE = "(open)", "(done)"
_BOOK_OPEN = frozenset(
    {"办理中", "在办", "正在办理", "处理中", "正在处理", "跟进中", "进行中", "待办", "未办结"}
)
_BOOK_DONE = frozenset(
    {"已完成", "完成", "已解决", "已处理", "处理完毕", "办理完毕", "办结", "已办"}
)
# an outcome that says the case was resolved (已办结, 当场办成, 问题已解决), not that it was not
_DONE_WORDS = lazy_pattern(
    r"(?<![未不没])(?:办结|办成|办妥|已解决|问题解决|已完成|办理完毕|处理完毕)"
)
_NOT_DONE = lazy_pattern(
    r"尚未|未能|没有|无法|不能|不予|待|正在|转交|转办|建议|需|拟|将|办理中|处理中|协调中|进行中"
)


def _says_done(outcome: str | None) -> bool:
    return bool(outcome and _DONE_WORDS.search(outcome) and not _NOT_DONE.search(outcome))


HEADER_AT_LEAST = 3  # recognised columns that make a row the header (SPEC §7)
_TITLE_YEAR = lazy_pattern(r"([0-9]{4})\s*年(?:\s*([0-9]{1,2})\s*月)?")


def _filled(cells: list[str]) -> list[str]:
    return [cell.strip() for cell in cells if cell.strip()]


def _cells_reader(mapping: dict[int, str], guarded: bool) -> Callable[[list[str]], dict]:
    """A row's cells as {field: trimmed text} by the header's `mapping` (a missing cell is
    empty), with the `'` formula guard taken off where `guarded`."""
    keys = tuple(mapping.values())
    picked = operator.itemgetter(*mapping)
    width = max(mapping) + 1

    def values(cells: list[str]) -> dict:
        if len(cells) >= width:
            texts = [cell.strip() for cell in picked(cells)]
        else:
            texts = [cells[i].strip() if i < len(cells) else "" for i in mapping]
        if guarded and "'" in "".join(text[:1] for text in texts):
            texts = [unguard(text) if text[:1] == "'" else text for text in texts]
        return dict(zip(keys, texts, strict=True))

    return values


def _one_cell(cells: list[str]) -> bool:
    """Whether exactly one cell of a row has something in it (looked at until a second)."""
    seen = False
    for cell in cells:
        if cell.strip():
            if seen:
                return False
            seen = True
    return seen


def _first_filled(cells: list[str]) -> str | None:
    """The first cell with something in it, trimmed; None for an empty row."""
    for cell in cells:
        text = cell.strip()
        if text:
            return text
    return None


def _only_filled(cells: list[str], index: int) -> bool:
    """Whether the cell at `index` is the only one of the row with something in it."""
    return all(not cell.strip() for i, cell in enumerate(cells) if i != index)


def _is_total(values: dict[str, str]) -> bool:
    """Of a row whose first filled cell begins with 合计, 小计 or 总计 (`合 计`, `合计：`,
    `合计 共46件`, `合计本月受理1件`), whether it is the book's total: it is, unless it holds a
    receipt date — a case whose applicant begins so (`小计算机维修部`, `合计(北京)科技有限
    公司`) carries its date, and is read as a case. A date elsewhere in a total row (制表日期)
    does not make it one."""
    return not _A_DATE.search(ascii_forms(values.get("received_at") or ""))


# what a date cell holds, with its year or without (2026-10-14, 2026年10月14日, 10月14日)
_A_DATE = lazy_pattern("[0-9]{4}\\s*[-/.年]\\s*[0-9]{1,2}|[0-9]{1,2}\\s*月\\s*[0-9]{1,2}")


def _title_year(cells: list[str]) -> tuple[int, int | None] | None:
    """The year a title row names (`…登记台账（2026年10月）`), if it is one the ledger keeps,
    and, when it names the book's months across the new year (`2025年12月—2026年1月`), the
    month its first year starts from (else None)."""
    for cell in cells:
        found = [
            (int(match[1]), int(match[2]) if match[2] else None)
            for match in _TITLE_YEAR.finditer(ascii_forms(cell))
        ]
        for index, (year, month) in enumerate(found):
            if dates.FIRST_YEAR <= year <= dates.LAST_YEAR:
                later = [y for y, m in found[index + 1 :] if y == year + 1 and m is not None]
                turn = month if later and month is not None and 1 < month <= 12 else None
                return year, turn
    return None


@dataclass
class _Header:
    line: int
    mapping: dict[int, str]
    unknown: list[str]
    columns: ColumnsRead
    above: int  # rows above it
    title_year: tuple[int, int | None] | None  # the year and the month it turns (`_title_year`)
    first_line: int | None = None  # of a header of two rows, the first's


def _missing_columns(path: Path, header: _Header) -> BadInput:
    """A header without a column the ledger needs: which, the names it knows each by, and
    the columns it did not recognise — one of them is most likely the column, named as the
    book's own office names it (来电时间), to be renamed."""
    missing = [k for k in REQUIRED if k not in header.mapping.values()]
    sep = t("list_sep")
    names = sep.join(t(f"field.{k}") for k in missing)
    known = t("list_sep_major").join(
        t("imp.known_names", field=t(f"field.{k}"), names=sep.join(_names_known(k)[:6]))
        for k in missing
    )
    unknown = [name for name in header.unknown if name]
    if not unknown:
        return BadInput("err.missing_columns", path=path, columns=names, known=known)
    return BadInput(
        "err.missing_columns_unknown",
        path=path,
        columns=names,
        known=known,
        unknown=sep.join(unknown[:12]),
    )


def _names_known(key: str) -> list[str]:
    """The names a column is known by, in the interface language first (a Chinese book's
    own words in Chinese; our English header in English): the first few are what a line
    can name, the README lists them all."""
    words = [t(f"field.{key}"), *CLERK_HEADERS.get(key, ())]
    ascii_words = [w for w in words if w.isascii()]
    chinese = [w for w in words if not w.isascii()]
    ordered = chinese + ascii_words if language() == "zh" else ascii_words + chinese
    return list(dict.fromkeys(ordered))


def _find_header(
    rows: Iterator[tuple[int, list[str]]], path: Path, guarded: bool, report: ImportReport
) -> tuple[_Header, Iterator[tuple[int, list[str]]]]:
    """The header is the first row in which at least three columns are recognised; the
    rows above it are the book's title rows, and the first year one of them names is the
    year of dates written without one (SPEC §7). A header of two rows (办理情况 over
    处理办法, 处理结果 and 办结时间, the other names merged down over both) is read as one.
    Returns the header and the rows after it."""
    anything = False
    title_year = None
    nearest: _Header | None = None  # the first row naming any column, for a clear refusal
    for above, (line, cells) in enumerate(rows):
        texts = [unguard(c) if guarded and c[:1] == "'" else c for c in cells]
        # an error cell above the data (#N/A in a title or a header) is named as it shows
        texts = [
            "" if c == workbooks.UNSAVED_FORMULA else c.removeprefix(workbooks.ERROR_MARK)
            for c in texts
        ]
        if _filled(texts):
            anything = True
            mapping, unknown = map_header(texts)
            if len(mapping) >= HEADER_AT_LEAST:
                following = next(rows, None)
                merged = _second_header_row(texts, following, guarded)
                first = None
                if merged is not None:
                    assert following is not None
                    texts, first, line = merged, line, following[0]
                    mapping, unknown = map_header(texts)
                elif following is not None:
                    rows = itertools.chain([following], rows)
                columns = _columns_read(texts, mapping)
                found = _Header(line, mapping, unknown, columns, above, title_year, first)
                return found, rows
            if mapping and nearest is None:
                columns = _columns_read(texts, mapping)
                nearest = _Header(line, mapping, unknown, columns, above, title_year)
            if title_year is None:
                title_year = _title_year(texts)
    if nearest is not None:
        raise _missing_columns(path, nearest)
    if anything and report.sheet is not None:  # perhaps another sheet holds the table
        names = ", ".join(report.sheets)
        raise BadInput("err.sheet_no_header", path=path, value=report.sheet, names=names)
    if anything:
        raise BadInput("err.no_header", path=path)
    if report.sheet is not None:
        sheets = ", ".join(report.sheets)
        raise BadInput("err.sheet_empty", path=path, value=report.sheet, names=sheets)
    raise BadInput("err.file_empty", path=path)


def _second_header_row(
    header: list[str], following: tuple[int, list[str]] | None, guarded: bool
) -> list[str] | None:
    """The header's names with those of the row under it, when that row is the header's
    second row: every cell it fills is a column's name, and it names a column the first
    row does not (a group name such as 办理情况 above, or nothing: a merged cell)."""
    if following is None:
        return None
    cells = [unguard(c) if guarded and c[:1] == "'" else c for c in following[1]]
    named, unknown = map_header(cells)
    if len(named) < 2 or unknown:
        return None  # (a row of one word, 电话 under 序号, labels the rows below it)
    if not any(i >= len(header) or not header[i].strip() for i in named):
        return None  # a second row fills the cells a group name spans, not only its own
    width = max(len(header), len(cells))
    merged = [
        cells[i] if i < len(cells) and cells[i].strip() else (header[i] if i < len(header) else "")
        for i in range(width)
    ]
    if set(map_header(merged)[0].values()) <= set(map_header(header)[0].values()):
        return None
    return merged


@contextlib.contextmanager
def _open_rows(
    path: Path, encoding: str, sheet: str | None, report: ImportReport
) -> Iterator[Iterator[tuple[int, list[str]]]]:
    """The rows of a CSV file or of a workbook's sheet, numbered as the clerk finds them:
    the line of the file where a record starts, or the row number Excel shows."""
    with files.os_errors(path, reading=True):
        kind = workbooks.sniff(path)
    if kind == "xls":
        raise BadInput("err.xls", path=path)
    if kind == "encrypted":
        raise BadInput("err.workbook_password", path=path)
    if workbooks.is_workbook(path) or kind == "xlsx":
        # never "try --encoding": a workbook has none, and is read as one or refused as one
        if encoding != "auto":  # nor quietly passed over when given (as beside an export)
            raise BadInput("err.encoding_workbook", path=path)
        report.workbook = True
        with contextlib.ExitStack() as stack:
            with files.os_errors(path, reading=True):
                opened = stack.enter_context(workbooks.open_sheet(path, sheet))
            report.sheet, report.sheets = opened.name, opened.names
            report.hidden_in_sheet = opened.hidden
            yield _reading(opened.rows, path)
        return
    if sheet is not None:
        raise BadInput("err.sheet_not_workbook", path=path)
    if _utf16(path):
        # Excel's "Unicode text": no --encoding of ours reads it; saved as CSV UTF-8 it is read
        raise BadInput("err.utf16", path=path)
    if encoding.strip().casefold() == "auto":
        with files.os_errors(path, reading=True):
            encoding = detect_encoding(path)
    elif encoding_name(encoding) is not None:
        encoding = encoding_name(encoding)
    else:
        raise BadInput(
            "err.bad_code",
            word=t("word.encoding"),
            value=encoding,
            choices="auto, " + ", ".join(ENCODINGS),
        )
    report.encoding = encoding
    report.delimiter = delimiter_of(path, encoding)
    with files.os_errors(path, reading=True):
        opened = path.open("rb")
    report.file_identity = file_identity(opened)
    try:
        yield _reading(read_rows(path, encoding, opened, report.delimiter), path)
    except UnicodeDecodeError:
        raise decoding_refused(path, encoding) from None
    finally:
        opened.close()


def _utf16(path: Path) -> bool:
    """Whether the file is UTF-16 text: its byte-order mark, or (without one) zero bytes —
    which UTF-8 and GB18030 text never holds, and UTF-16 writes beside every comma, tab and
    line end — in a start that reads as UTF-16 with a separator in it."""
    with files.os_errors(path, reading=True), path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    # one zero byte in sixteen at least: UTF-16 has one beside every comma, tab, line end and
    # digit; a UTF-8 sheet with a stray NUL in it has one or two
    if head.count(0) * 16 < len(head) or head.count(0) < 2:
        return False
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = head[: len(head) // 2 * 2].decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and "\n" in text and any(mark in text for mark in ",\t"):
            return True
    return False


def _reading(rows: Iterator[tuple[int, list[str]]], path: Path) -> Iterator[tuple[int, list[str]]]:
    """The rows, with a failure to read the file (a USB stick pulled out) named as the
    file's, not the ledger's."""
    try:
        yield from rows
    except OSError as error:
        raise files.explain(error, path, reading=True) from None


def importable(path: Path) -> None:
    """Refuse what cannot be imported before a ledger is opened for it, and before the file
    is opened: a pipe is read once (a sheet is read more than once: its encoding, its rows),
    and opening one would wait for a writer."""
    if not path.exists():
        if path.is_symlink():
            raise BadInput("err.import_broken_link", path=path)
        raise BadInput("err.file_missing", path=path)
    if not stat.S_ISREG(path.stat().st_mode) and not path.is_dir():
        raise BadInput("err.import_not_file", path=path)
    if path.is_dir():
        return  # said by the system when it is opened, as before
    if path.stat().st_size == 0:
        raise BadInput("err.file_empty", path=path)
    if files.is_database(path):
        raise BadInput("err.import_database", path=path)


def import_file(
    ledger: Ledger,
    cal: WorkCalendar,
    path: Path,
    encoding: str = "auto",
    add_departments: bool = False,
    progress: Callable[[int], None] | None = None,
    sheet: str | None = None,
    year: int | None = None,
) -> ImportReport:
    """Validate every row, then record them all, inside the caller's write transaction.
    Raises ImportRefused with every bad row if any is bad.

    A CSV file or a workbook (`.xlsx`, or any file that is one), as the clerk keeps it:
    title rows above the header, empty rows and 合计 rows skipped and counted, dates
    without a year given `year` or the title's."""
    importable(path)
    importer = Importer(ledger, cal, add_departments)
    report = importer.report
    reader = importer.reader
    with _open_rows(path, encoding, sheet, report) as rows:
        guarded = not report.workbook  # only our CSV carries the `'` formula guard
        header, rows = _find_header(rows, path, guarded, report)
        mapping = header.mapping
        if any(k not in mapping.values() for k in REQUIRED):
            raise _missing_columns(path, header)
        report.unknown_columns = header.unknown
        reader.columns = header.columns
        report.header_line, report.above_header = header.line, header.above
        report.header_first_line = header.first_line
        if year is not None:
            report.year, report.year_from = year, "option"
        elif header.title_year is not None:
            (report.year, report.turn), report.year_from = header.title_year, "title"
        reader.year, reader.year_given = report.year, report.year_from == "option"
        reader.turn, reader.hidden = report.turn, report.hidden_in_sheet
        ledger.make_room_for_bulk()
        beside = None
        if report.encoding is not None and readahead.worth_it(path):
            place = readahead.Place(
                path,
                report.encoding,
                header.line,
                mapping,
                header.columns,
                guarded,
                report.file_identity,
                report.delimiter,
            )
            beside = readahead.read_beside(reader, place, progress)
        read = beside or reader.rows(rows, _cells_reader(mapping, guarded), progress)
        for row in read:
            importer.take(row)
        importer.finish(reader)
    if report.problems:
        raise ImportRefused(
            "err.import_bad_rows",
            problems=report.problems,
            count=len(report.problems),
            workbook=report.workbook,
        )
    importer.record()
    return report


def count_lines(path: Path) -> int | None:
    """About how many rows a CSV file holds, for a progress bar; None for a workbook, whose
    lines are not its rows."""
    if workbooks.is_workbook(path):
        return None
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


# -- the weekly figures as a sheet ------------------------------------------------------


def _rate(value: float | None) -> workbooks.Percent | None:
    return None if value is None else workbooks.Percent(value)


def weekly_sections(figures: dict) -> list[workbooks.Section]:
    """The figures and breakdowns of `ledger weekly` as the parts of a sheet, values typed:
    counts as numbers, rates as percentages (leadership reads `90.9%`, not `0.9091`)."""
    from ledger.reports import BREAKDOWNS, DEPARTMENT_COLUMNS, FIGURE_KEYS, THRESHOLD_FIGURES

    def code(word: str | None, value: str) -> str:
        if value == "none":
            return t("weekly.none")
        return label(word, value) if word else value

    def figure(key: str, value: object) -> object:
        return _rate(value) if key.endswith("_rate") else value  # type: ignore[arg-type]

    Section = workbooks.Section
    window = figures.get("window") or {}
    # the title names the window: a sheet sent upward says whose figures these are (SPEC §13)
    title = [
        period_title(figures["from"], figures["to"]),
        period_span(figures),
    ]
    # an unnamed window is called what its sheet calls it (`daily`), not left unsaid
    name = window.get("name") or t("settings.default_window_name")
    title += [printable(name), printable(window.get("code") or "")]
    sections = [
        Section(title),
        Section(
            [t("weekly.figures")],
            rows=[[t(f"weekly.{key}"), figure(key, figures[key])] for key in FIGURE_KEYS],
        ),
    ]
    for key, word in BREAKDOWNS:
        rows = [[printable(code(word, value)), count] for value, count in figures[key].items()]
        heading = [t(f"weekly.{key}"), t("weekly.count")]
        # a quiet period's breakdown says 无, and draws no chart of nothing
        sections.append(Section(heading, rows=rows or [[t("daily.none")]], chart=bool(rows)))
    sections.append(
        Section(
            [t("weekly.departments")],
            header=[t(f"weekly.col_{k}") for k in DEPARTMENT_COLUMNS],
            rows=[
                [printable(code(None, row["department"]))]
                + [figure(k, row[k]) for k in DEPARTMENT_COLUMNS[1:]]
                for row in figures["departments"]
            ]
            or [[t("daily.none")]],
        )
    )
    wanted = {name: key for key, name in THRESHOLD_FIGURES.items()}
    none = [[t("daily.none")]]  # a part with nothing in it says so, never a bare heading
    sections.append(
        Section(
            [t("weekly.below_title")],
            header=[t(f"weekly.col_{k}") for k in ("department", "figure", "value", "threshold")],
            rows=[
                [
                    printable(row["department"]),
                    t(f"weekly.col_{name}"),
                    _rate(value),
                    _rate(figures["thresholds"][wanted[name]]),
                ]
                for row in figures["below_threshold"]
                for name, value in row["figures"].items()
            ]
            or none,
        )
    )
    sections.append(
        Section(
            [t("weekly.cannot_title"), len(figures["cannot"])],
            header=[t(f"field.{k}") for k in ("id", "applicant", "matter", "outcome")],
            rows=[
                [
                    item["id"],
                    printable(item["applicant"]),
                    printable(item["matter"]),
                    printable(item["reason"] or ""),
                ]
                for item in figures["cannot"]
            ]
            or none,
        )
    )
    return sections


def weekly_rows(figures: dict) -> Iterator[list[str]]:
    """The weekly sheet as CSV rows: a blank row between its parts, every text guarded."""
    return section_rows(weekly_sections(figures))


def section_rows(sections: list[workbooks.Section]) -> Iterator[list[str]]:
    """Sections of a report as CSV rows: a blank row between them, every text guarded,
    rates as percentages."""

    def text(value: object) -> str:
        return "" if value is None else guard(str(value))

    for number, section in enumerate(sections):
        if number:
            yield []
        yield [text(v) for v in section.heading]
        if section.header:
            yield [text(v) for v in section.header]
        for row in section.rows:
            yield [text(v) for v in row]


def report_file(
    target: Path,
    title: str,
    sections: list[workbooks.Section],
    encoding: str,
    ledger_path: Path | None,
) -> None:
    """Write a report's sections to `target`: a workbook with its charts when the name ends
    in `.xlsx`, else CSV."""
    if workbooks.is_workbook(target, writing=True):
        files.write(
            target, lambda handle: workbooks.write_sections(handle, title, sections), ledger_path
        )
        return
    rows = section_rows(sections)
    files.write(target, lambda handle: write_csv(rows, handle, encoding), ledger_path)


def weekly_file(target: Path, figures: dict, encoding: str, ledger_path: Path | None) -> None:
    """Write the weekly sheet to `target`: a workbook with a bar chart of each breakdown
    when its name ends in `.xlsx`, else CSV."""
    title = period_title(figures["from"], figures["to"])
    report_file(target, title, weekly_sections(figures), encoding, ledger_path)
