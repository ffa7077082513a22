"""CSV that Excel and WPS users can trust (SPEC §7): export, and import of our own sheets and
of a clerk's own registration book.

Named `sheets` so that it never shadows the standard `csv`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ledger import dates, history, timelimits
from ledger.calendar import WorkCalendar
from ledger.case import BY_NAME, FIELDS, Case, from_json
from ledger.errors import BadInput, ImportRefused, LedgerError
from ledger.i18n import CATALOGUE, label, t
from ledger.privacy import is_masked, mask, same_under_mask
from ledger.store import Ledger
from ledger.text import UNPRINTABLE, clean, printable, whole_number
from ledger.words import CASE_FIELDS, SEQ_LIMIT, case_id, format_id, id_parts, parse_code

ENCODINGS = ("utf-8-sig", "utf-8", "gb18030")
BATCH = 2000
MAX_CHASES = 9999
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIST_FIELDS = tuple(f.name for f in FIELDS if f.kind == "names")
FORMULA_FIRST = frozenset((*FORMULA_START, "'"))  # and a leading ' itself, see `guard`
# a row of cells joined by newlines in which some cell may need `text_cell`'s care
_ROW_NEEDS_CARE = re.compile(UNPRINTABLE + "|(?:^|\n)[=+\\-@\t\r']")
SECTION_SPLIT = re.compile(r"[、,;，；/]")

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


def _column(key: str, word: str | None) -> Callable[[object], str]:
    """How one column's values become cells: labels looked up once per code, not per cell
    (an export of 100,000 cases has 2.6 million cells)."""
    if key == "sections":
        sep = t("list_sep")
        return lambda value: sep.join(label("section", v) for v in value) if value else ""
    if key == "extensions":
        return lambda value: json.dumps(value, ensure_ascii=False) if value else ""
    if key in LIST_FIELDS:  # the assisting departments' names
        sep = t("list_sep")
        return lambda value: sep.join(str(v) for v in value) if value else ""
    if word:
        labels: dict[str, str] = {}

        def coded(value: object) -> str:
            if value is None or value == "":
                return ""
            code = str(value)
            if code not in labels:
                labels[code] = label(word, code)
            return labels[code]

        return coded
    return lambda value: "" if value is None else str(value)


def export_rows(cases: Iterable[dict], full_contact: bool) -> Iterator[list[str]]:
    """The header, then one row per case: labels in the interface language, ISO dates."""
    yield [t(f"field.{key}") for key, _ in CASE_FIELDS]
    columns = [(key, _column(key, word)) for key, word in CASE_FIELDS]
    for case in cases:
        if not full_contact:
            case["contact"] = mask(case.get("contact"))
        row = [cell(case.get(key)) for key, cell in columns]
        # one search a row, not one a cell: most rows need nothing done
        if _ROW_NEEDS_CARE.search("\n".join(row)):
            row = [text_cell(value) for value in row]
        yield row


def write_csv(rows: Iterable[list[str]], out: IO[bytes], encoding: str) -> int:
    """Stream rows to a byte stream; returns how many data rows were written."""
    if encoding not in ENCODINGS:
        raise BadInput(
            "err.bad_code", word="encoding", value=encoding, choices=", ".join(ENCODINGS)
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
    "received_at": ("受理时间", "登记日期", "接件时间", "日期", "受理日期", "登记时间", "received"),
    "applicant": ("反映人", "诉求人", "来电人", "办事人", "申请人", "姓名", "企业名称", "name"),
    "contact": ("联系电话", "联系方式", "电话", "手机", "phone"),
    "matter": ("事项名称", "办理事项", "主要内容", "诉求内容", "反映问题", "事项"),
    "cause": ("问题缘由", "原因", "缘由"),
    "channel": ("受理渠道", "来源", "渠道"),
    "department": ("承办单位", "办理单位", "责任单位", "责任科室", "承办科室"),
    "time_limit_text": ("办理时限", "时限"),
    "method": ("处理办法", "办理情况"),
    "outcome": ("处理结果", "办理结果"),
    "resolved_at": ("办结时间", "办结日期"),
    "feedback_text": ("回访情况", "反馈情况", "回访记录"),
    "satisfaction": ("满意度", "满意程度"),
}
REQUIRED = ("received_at", "applicant", "matter")


def _fold(text: str) -> str:
    return "".join(text.split()).casefold()


def _header_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for key, _ in CASE_FIELDS:
        for lang in CATALOGUE:
            names[_fold(CATALOGUE[lang][f"field.{key}"])] = key
        names[_fold(key)] = key
    for key, words in CLERK_HEADERS.items():
        for word in words:
            names.setdefault(_fold(word), key)
    return names


def map_header(header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Column index → field, and the columns not recognised."""
    names = _header_names()
    mapping: dict[int, str] = {}
    unknown = []
    for index, cell in enumerate(header):
        name = _fold(unguard(cell.lstrip("\ufeff")))
        key = names.get(name)
        if key is None or key in mapping.values():
            if cell.strip():
                unknown.append(cell.strip())
            continue
        mapping[index] = key
    return mapping, unknown


# -- import: rows -----------------------------------------------------------------------


class RowProblem(Exception):
    """What is wrong with one row: its message, with the cell it quotes cut to size."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.text = LedgerError(key, **fields).message()


@dataclass
class ImportReport:
    new: int = 0
    same: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    departments_added: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


class Importer:
    """Reads rows into cases; records nothing until every row has been found good."""

    def __init__(self, ledger: Ledger, cal: WorkCalendar, add_departments: bool) -> None:
        self.ledger = ledger
        self.cal = cal
        self.limits = ledger.limits()
        self.add_departments = add_departments
        self.departments = {d["name"]: d["id"] for d in ledger.departments()}
        self.names = {number: name for name, number in self.departments.items()}
        self.now = dates.minute(dates.now())
        self.seen_ids: dict[str, int] = {}
        self.seen_content: dict[tuple, int] = {}
        self.report = ImportReport()
        self.existing_ids = ledger.all_case_ids()
        self.with_id: list[dict] = []  # good new cases waiting to be written
        self.without_id: list[dict] = []  # good new cases that get their ids at the end

    # -- one row --------------------------------------------------------------------------

    def take(self, line: int, values: dict[str, str]) -> None:
        try:
            case, extra = self._read(values)
            self._place(line, case, extra)
        except RowProblem as problem:
            self.report.problems.append((line, problem.text))

    def _column(self, key: str) -> str:
        return t(f"field.{key}")

    def _code(self, values: dict, key: str, word: str) -> str | None:
        raw = values.get(key)
        if not raw:
            return None
        try:
            return parse_code(word, raw)
        except LedgerError as error:
            raise RowProblem(
                "row.bad_value", column=self._column(key), value=raw, detail=error.message()
            ) from None

    def _moment(self, values: dict, key: str) -> str | None:
        raw = values.get(key)
        if not raw:
            return None
        try:
            stamp = dates.canonical_minute(raw)
        except LedgerError:
            raise RowProblem("row.bad_date", column=self._column(key), value=raw) from None
        if stamp > self.now:
            raise RowProblem("row.future", column=self._column(key), value=stamp)
        return stamp

    def _day(self, values: dict, key: str) -> str | None:
        raw = values.get(key)
        if not raw:
            return None
        try:
            return dates.canonical_day(raw)
        except LedgerError:
            raise RowProblem("row.bad_date", column=self._column(key), value=raw) from None

    def _text(self, values: dict, key: str, multiline: bool = False) -> str | None:
        """A text cell through the same check as typed text (SPEC §5)."""
        try:
            return clean(values.get(key), f"field.{key}", multiline=multiline, required=False)
        except BadInput as error:
            raise RowProblem("row.bad_text", detail=error.message()) from None

    def _read(self, values: dict[str, str]) -> tuple[dict, dict]:
        for key in REQUIRED:
            if not values.get(key):
                raise RowProblem("row.missing", column=self._column(key))
        received = self._moment(values, "received_at")
        case: dict = {
            "id": None,
            "ref": self._text(values, "ref"),
            "received_at": received,
            "channel": self._code(values, "channel", "channel"),
            "applicant": self._text(values, "applicant"),
            "contact": self._text(values, "contact"),
            "matter": self._text(values, "matter"),
            "problem": self._code(values, "problem", "problem"),
            "cause": self._text(values, "cause", multiline=True),
            "sections": self._sections(values),
            "scope": self._code(values, "scope", "scope"),
            "department": self._text(values, "department"),
            "limit": self._code(values, "limit", "limit"),
            "deadline": self._day(values, "deadline"),
            "dispatched_at": self._moment(values, "dispatched_at"),
            "extensions": self._extensions(values),
            "chase_count": self._count(values, "chase_count"),
            "assist": self._names(values, "assist"),
            "acknowledged_at": self._moment(values, "acknowledged_at"),
            "paused_since": self._moment(values, "paused_since"),
            "first_chase_at": self._moment(values, "first_chase_at"),
            "resolved_at": self._moment(values, "resolved_at"),
            "resolution": self._code(values, "resolution", "resolution"),
            "method": self._text(values, "method", multiline=True),
            "outcome": self._text(values, "outcome", multiline=True),
            "feedback_due": self._day(values, "feedback_due"),
            "feedback_at": self._moment(values, "feedback_at"),
            "feedback_via": self._code(values, "feedback_via", "via"),
            "satisfaction": self._code(values, "satisfaction", "satisfaction"),
            "status": self._code(values, "status", "status"),
        }
        if values.get("id"):
            try:
                case["id"] = case_id(values["id"])
            except BadInput:
                raise RowProblem("row.bad_id", value=values["id"]) from None
            if id_parts(case["id"])[1] >= SEQ_LIMIT:
                raise RowProblem("row.id_too_large", value=values["id"], most=SEQ_LIMIT - 1)
            if case["id"][:4] != received[:4]:
                raise RowProblem("row.id_year", value=values["id"], received=received)
        self._time_limit_text(values, case)
        self._fill_in(values, case)
        return case, {"feedback_text": self._text(values, "feedback_text", multiline=True)}

    def _sections(self, values: dict) -> list[str]:
        raw = values.get("sections")
        if not raw:
            return []
        codes = []
        for part in SECTION_SPLIT.split(raw):
            if part.strip():
                codes.append(self._code({"sections": part.strip()}, "sections", "section"))
        return list(dict.fromkeys(codes))

    def _names(self, values: dict, key: str) -> list[str]:
        """Department names in one cell, as export writes them (、) or a clerk might (,;/)."""
        raw = values.get(key)
        if not raw:
            return []
        names = [self._text({key: part.strip()}, key) for part in SECTION_SPLIT.split(raw)]
        return list(dict.fromkeys(name for name in names if name))

    def _count(self, values: dict, key: str) -> int:
        raw = values.get(key)
        if not raw:
            return 0
        try:
            return whole_number(raw, 0, MAX_CHASES, f"field.{key}")
        except BadInput as error:
            raise RowProblem("row.bad_text", detail=error.message()) from None

    def _extensions(self, values: dict) -> list[dict]:
        """The extensions column as export writes it: a JSON list, each item checked as the
        `extend` command would check it."""
        raw = values.get("extensions")
        if not raw:
            return []
        try:
            items = json.loads(raw)
            if not isinstance(items, list):
                raise TypeError
            extensions = [
                {
                    "at": dates.canonical_minute(str(item["at"])),
                    "days": whole_number(item["days"], 1, 365, "field.extensions"),
                    "from": dates.canonical_day(str(item["from"])),
                    "to": dates.canonical_day(str(item["to"])),
                    "reason": clean(str(item["reason"]), "prompt.reason", multiline=True),
                    **({"late": True} if item.get("late") is True else {}),
                }
                for item in items
            ]
        except (ValueError, KeyError, TypeError, RecursionError, LedgerError):
            raise RowProblem("row.bad_extensions") from None
        for extension in extensions:
            # an extension dated ahead of now would freeze the case until that day (SPEC §9)
            if extension["at"] > self.now:
                raise RowProblem(
                    "row.future", column=self._column("extensions"), value=extension["at"]
                )
        return extensions

    def _time_limit_text(self, values: dict, case: dict) -> None:
        """A book's 办理时限 column: a date, a class, or 'N个工作日'."""
        raw = values.get("time_limit_text")
        if not raw:
            return
        days = re.fullmatch(r"\s*(\d{1,3})\s*(个)?(工作日|天|日|working days?)\s*", raw)
        if days:
            try:
                n = whole_number(days[1], 0, 365, "field.time_limit_text")
            except BadInput as error:
                raise RowProblem("row.bad_text", detail=error.message()) from None
            fitting = [name for name, limit in self.limits.items() if limit == n]
            case["limit"] = case["limit"] or (fitting[0] if fitting else "complex")
            start = dt.date.fromisoformat(case["received_at"][:10])
            case["deadline"] = case["deadline"] or self.cal.add_working_days(start, n).isoformat()
            return
        try:
            case["limit"] = case["limit"] or parse_code("limit", raw)
            return
        except LedgerError:
            pass
        case["deadline"] = case["deadline"] or self._day(
            {"time_limit_text": raw}, "time_limit_text"
        )

    def _fill_in(self, values: dict, case: dict) -> None:
        """What a clerk's own book leaves out, the way SPEC §4 would have set it."""
        feedback_text = values.get("feedback_text")
        if case["status"] is None and case["department"] and not case["dispatched_at"]:
            # a book that names the department handed the case to it when it came in
            case["dispatched_at"] = case["received_at"]
        if case["status"] is None:
            if case["feedback_at"] or feedback_text or case["satisfaction"]:
                case["status"] = "closed"
            elif case["resolved_at"]:
                case["status"] = "resolved"
            elif case["department"] or case["dispatched_at"]:
                case["status"] = "dispatched"
            elif case["sections"] or case["scope"]:
                case["status"] = "classified"
            else:
                case["status"] = "received"
        status = case["status"]
        if status == "dispatched" and not case["dispatched_at"]:
            case["dispatched_at"] = case["received_at"]
        if status in ("resolved", "closed"):
            if not case["resolved_at"]:
                raise RowProblem("row.needs_resolved", status=label("status", status))
            case["resolution"] = case["resolution"] or "done"
        if status == "closed":
            case["feedback_at"] = case["feedback_at"] or case["resolved_at"]
            if feedback_text and not case["feedback_via"]:
                case["feedback_via"] = _via_from_text(feedback_text)
            if feedback_text and not case["satisfaction"]:
                case["satisfaction"] = _satisfaction_from_text(feedback_text)
        case["limit"] = case["limit"] or "standard"
        if not case["deadline"]:
            start = dt.date.fromisoformat(case["received_at"][:10])
            case["deadline"] = timelimits.deadline(start, case["limit"], self.limits, self.cal)
            case["deadline"] = case["deadline"].isoformat()
        case["on_time_deadline"] = self._on_time_deadline(case)
        if case["resolved_at"] and not case["feedback_due"]:
            day = dt.date.fromisoformat(case["resolved_at"][:10])
            due = timelimits.feedback_due(day, case["resolution"] or "done", self.cal)
            case["feedback_due"] = due.isoformat()
        self._practice(case)
        order = ("received_at", "dispatched_at", "resolved_at", "feedback_at")
        present = [k for k in order if case[k]]
        for earlier, later in zip(present, present[1:], strict=False):
            if case[later] < case[earlier]:
                raise RowProblem(
                    "row.order",
                    later=self._column(later),
                    later_value=case[later],
                    earlier=self._column(earlier),
                    earlier_value=case[earlier],
                )

    def _practice(self, case: dict) -> None:
        """The acknowledgement, the pause, the first chase and the assisting departments a
        row carries, held to what the moves themselves allow (SPEC §4, §5)."""
        if case["acknowledged_at"] and not case["dispatched_at"]:
            raise RowProblem("row.ack_needs_dispatch", column=self._column("acknowledged_at"))
        if case["paused_since"] and case["status"] not in ("received", "classified", "dispatched"):
            raise RowProblem("row.paused_not_open", status=label("status", case["status"]))
        if case["department"] in case["assist"]:
            raise RowProblem("row.assist_is_lead", name=case["department"])
        for earlier, later in (
            ("dispatched_at", "acknowledged_at"),
            ("received_at", "paused_since"),
            ("received_at", "first_chase_at"),
        ):
            if case[earlier] and case[later] and case[later] < case[earlier]:
                raise RowProblem(
                    "row.order",
                    later=self._column(later),
                    later_value=case[later],
                    earlier=self._column(earlier),
                    earlier_value=case[earlier],
                )

    def _on_time_deadline(self, case: dict) -> str:
        """The deadline that decides 'on time': an extension the sheet marks as asked for late
        does not move it (SPEC §4); the ones in time after it do."""
        late = [i for i, e in enumerate(case["extensions"]) if e.get("late")]
        if not late:
            return case["deadline"]
        due = dt.date.fromisoformat(case["extensions"][late[0]]["from"])
        for extension in case["extensions"][late[0] :]:
            if not extension.get("late"):
                due = self.cal.add_working_days(due, extension["days"])
        return due.isoformat()

    # -- where the row goes ---------------------------------------------------------------

    def _place(self, line: int, case: dict, extra: dict) -> None:
        for name in (case["department"], *case["assist"]):
            if name and name not in self.departments and not self.add_departments:
                raise RowProblem(
                    "row.unknown_department",
                    name=name,
                    suggest=_suggest(name, list(self.departments)),
                )
        key = (case["received_at"][:10], case["applicant"], case["matter"])
        if case["id"]:
            if case["id"] in self.seen_ids:
                raise RowProblem(
                    "row.duplicate_id", value=case["id"], other=self.seen_ids[case["id"]]
                )
            self.seen_ids[case["id"]] = line
            stored = self.ledger.case(case["id"]) if case["id"] in self.existing_ids else None
        else:
            if key in self.seen_content:
                raise RowProblem("row.duplicate_case", other=self.seen_content[key])
            self.seen_content[key] = line
            stored = self.ledger.case_by_content(*key)
        if stored is not None:
            different = _differences(case, stored.as_json())
            if different:
                raise RowProblem("row.conflict", id=stored.id, fields=", ".join(different))
            self.report.same += 1
            return
        if is_masked(case["contact"]):
            raise RowProblem("row.masked_new", value=case["contact"])
        case["_note"] = extra.get("feedback_text")
        self.report.new += 1
        if case["id"] is None:
            self.without_id.append(case)
            return
        self.with_id.append(case)
        if len(self.with_id) >= BATCH and not self.report.problems:
            # written as we go, so memory stays flat; a bad row later rolls it all back
            self._insert(self.with_id)
            self.with_id = []

    # -- recording ------------------------------------------------------------------------

    def record(self) -> None:
        """Insert what is left (called only when no row was bad). Rows without an id get
        theirs last, after every id the file carries is taken, so that none collide."""
        self._insert(self.with_id)
        self.with_id = []
        next_seq: dict[int, int] = {}
        batch: list[dict] = []
        for case in self.without_id:
            year = int(case["received_at"][:4])
            if year not in next_seq:
                next_seq[year] = id_parts(self.ledger.next_case_id(year))[1]
            case["id"] = format_id(year, next_seq[year])
            next_seq[year] += 1
            batch.append(case)
            if len(batch) >= BATCH:
                self._insert(batch)
                batch = []
        self._insert(batch)

    def _insert(self, batch: list[dict]) -> None:
        """Each row through the one writer of history: its `imported` event and its past."""
        steps = []
        for values in batch:
            note = values.pop("_note", None)
            name = values.pop("department")
            for new in (name, *values["assist"]):
                if new and new not in self.departments:  # --add-departments
                    self.departments[new] = self.ledger.add_department(new, "unit", None, None)
                    self.report.departments_added.append(new)
                    self.names[self.departments[new]] = new
            case = Case(
                **{key: from_json(BY_NAME[key], value) for key, value in values.items()},
                department_id=self.departments.get(name),
                department=name,
            )
            steps.append(history.imported(case, note or case.ref, self.names))
        self.ledger.record_imported(steps)


def _suggest(name: str, names: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, names, n=3, cutoff=0.3)
    close += [n for n in names if (name in n or n in name) and n not in close]
    if close:
        return t("err.suggest", names=t("list_sep").join(close[:3]))
    return t("err.suggest_none", names=t("list_sep").join(names))


COMPARED = [key for key, _ in CASE_FIELDS if key not in ("id",)]


def _differences(case: dict, stored: dict) -> list[str]:
    """The fields in which an imported row differs from the stored case."""
    different = []
    for key in COMPARED:
        mine, theirs = case.get(key), stored.get(key)
        if key == "contact" and mine and is_masked(mine):
            if not same_under_mask(mine, theirs):
                different.append(t("field.contact"))
            continue
        if key == "id" or (mine in (None, "", []) and theirs in (None, "", [])):
            continue
        if mine != theirs:
            different.append(t(f"field.{key}"))
    return different


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


def _satisfaction_from_text(text: str) -> str | None:
    for word, code in (("不满意", "unsatisfied"), ("基本满意", "basic"), ("满意", "satisfied")):
        if word in text:
            return code
    return None


# -- reading the file -------------------------------------------------------------------


def _decoded_lines(path: Path, encoding: str) -> Iterator[str]:
    with path.open("r", encoding=encoding, newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if "\x00" in line:  # a spreadsheet's binary file, not its CSV
                raise BadInput("err.not_csv", path=path, detail=f"NUL byte, line {number}")
            yield line


def read_rows(path: Path, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, cells) for every record of the file."""
    reader = csv.reader(_decoded_lines(path, encoding))
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        raise BadInput("err.not_csv", path=path, detail=f"line {line}: {error}") from None


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030, checked over the whole file."""
    with path.open("rb") as handle:
        head = handle.read(3)
    candidates = ("utf-8-sig",) if head == codecs.BOM_UTF8 else ("utf-8", "gb18030")
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise BadInput("err.encoding", path=path, encoding="UTF-8 / GB18030")


def import_file(
    ledger: Ledger,
    cal: WorkCalendar,
    path: Path,
    encoding: str = "auto",
    add_departments: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate every row, then record them all, inside the caller's write transaction.
    Raises ImportRefused with every bad row if any is bad."""
    if not path.exists():
        raise BadInput("err.file_missing", path=path)
    if path.stat().st_size == 0:
        raise BadInput("err.file_empty", path=path)
    if encoding == "auto":
        encoding = detect_encoding(path)
    elif encoding not in ENCODINGS:
        raise BadInput(
            "err.bad_code", word="encoding", value=encoding, choices="auto, " + ", ".join(ENCODINGS)
        )
    importer = Importer(ledger, cal, add_departments)
    ledger.make_room_for_bulk()
    try:
        rows = read_rows(path, encoding)
        header = next(rows, None)
        if header is None or not any(c.strip() for c in header[1]):
            raise BadInput("err.file_empty", path=path)
        mapping, unknown = map_header(header[1])
        if not mapping:
            raise BadInput("err.no_header", path=path)
        missing = [k for k in REQUIRED if k not in mapping.values()]
        if missing:
            names = t("list_sep").join(t(f"field.{k}") for k in missing)
            raise BadInput("err.missing_columns", path=path, columns=names)
        importer.report.unknown_columns = unknown
        for count, (line, cells) in enumerate(rows, start=1):
            if not any(c.strip() for c in cells):
                continue
            values = {}
            for i, key in mapping.items():
                cell = cells[i].strip() if i < len(cells) else ""
                values[key] = unguard(cell) if cell[:1] == "'" else cell
            importer.take(line, values)
            if progress and count % 1000 == 0:
                progress(count)
    except UnicodeDecodeError:
        raise BadInput("err.encoding", path=path, encoding=encoding) from None
    if importer.report.problems:
        raise ImportRefused(
            "err.import_bad_rows",
            problems=importer.report.problems,
            count=len(importer.report.problems),
        )
    importer.record()
    return importer.report


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


# -- the weekly figures as a sheet ------------------------------------------------------


def weekly_rows(figures: dict) -> Iterator[list[str]]:
    """The figures and breakdowns of `ledger weekly`, as rows for a spreadsheet."""
    from ledger.reports import BREAKDOWNS, DEPARTMENT_COLUMNS, FIGURE_KEYS

    def code(word: str | None, value: str) -> str:
        if value == "none":
            return t("weekly.none")
        return label(word, value) if word else value

    yield [t("weekly.title"), t("weekly.period", start=figures["from"], end=figures["to"])]
    yield []
    yield [t("weekly.figures"), ""]
    for key in FIGURE_KEYS:
        value = figures[key]
        yield [t(f"weekly.{key}"), "" if value is None else str(value)]
    for key, word in BREAKDOWNS:
        yield []
        yield [t(f"weekly.{key}"), t("weekly.count")]
        for value, count in figures[key].items():
            yield [text_cell(code(word, value)), str(count)]
    yield []
    yield [t("weekly.departments")]
    yield [t(f"weekly.col_{k}") for k in DEPARTMENT_COLUMNS]
    for row in figures["departments"]:
        name = code(None, row["department"])
        yield [text_cell(name)] + [
            "" if row[k] is None else str(row[k]) for k in DEPARTMENT_COLUMNS[1:]
        ]
    yield []
    yield [t("weekly.cannot_title"), str(len(figures["cannot"]))]
    for item in figures["cannot"]:
        yield [
            item["id"],
            text_cell(item["applicant"]),
            text_cell(item["matter"]),
            text_cell(item["reason"] or ""),
        ]
