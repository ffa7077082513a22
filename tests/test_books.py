"""SPEC §7 "Books as clerks keep them": a registration book imports as the clerk keeps it —
title rows above the header, empty and 合计 rows, dates without a year, several header
vocabularies — from a workbook and from GBK CSV, and a bad row says everything that is wrong
with it and what to change."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import digest, ledger_cmd

TITLE = "东港区“办不成事”窗口登记台账（2026年10月）"
HEADER = [
    "序号",
    "登记日期",
    "诉求人",
    "联系方式",
    "诉求内容",
    "问题缘由",
    "来源",
    "责任单位",
    "办理情况",
    "办理结果",
    "办结时间",
    "满意度",
    "备注",
]
# the rows of a real book: an Excel date cell, text dates without a year, a time typed
# after the date, an empty row, a subtotal and the total at the foot
BOOK_ROWS: list[list[object]] = [
    [1, dt.datetime(2026, 10, 9), "某物流公司", 13700001111, "道路运输许可证延续",
     "系统提示材料不全但未说明缺什么", "窗口", "市场准入", "一次性告知补正材料", "已办结",
     "10月12日 15:00", "满意", None],
    [2, "10月9日", "匿名", None, "咨询新生儿医保参保", "不清楚线上办理流程", "12345热线",
     None, "电话解答", "当场解决", "10-9 10:40", None, None],
    [None] * 13,
    [3, "10/12", "某先生", "13900002222", "农机购置补贴迟迟未到账", "补贴公示后三个月未发放",
     "电话", "农水事务", None, None, None, None, "跟进中"],
    ["小计", None, None, None, "3件"] + [None] * 8,
    [4, dt.datetime(2026, 10, 13, 9, 30), "华先生", None, "个体工商户名称变更",
     "网上申报三次被退回", "网上", "市场准入", None, None, None, None, None],
    ["合计", None, None, None, "4件"] + [None] * 8,
]  # fmt: skip


def write_book(
    path: Path,
    rows: list[list[object]] = BOOK_ROWS,
    header: list[str] = HEADER,
    titles: tuple[str, ...] = (TITLE, "填报单位：东港区政务服务中心"),
    sheet: str = "10月",
    before: tuple[str, ...] = (),
) -> Path:
    """A workbook as a clerk keeps it: merged title rows, a bold header, the rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = book.active
    first.title = before[0] if before else sheet
    for name in before[1:]:
        book.create_sheet(name)
    ws = book.create_sheet(sheet) if before else first
    for number, title in enumerate(titles, 1):
        ws.cell(row=number, column=1, value=title)
        ws.merge_cells(start_row=number, start_column=1, end_row=number, end_column=len(header))
    ws.append(header)
    for cell in ws[len(titles) + 1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for row in ws.iter_rows(min_row=len(titles) + 2):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy/m/d"  # how a clerk's book shows a date
    book.save(path)
    return path


def as_csv_text(
    rows: list[list[object]] = BOOK_ROWS,
    header: list[str] = HEADER,
    titles: tuple[str, ...] = (TITLE,),
) -> str:
    """The same book saved as CSV by Excel or WPS: dates as the cells showed them."""
    import csv
    import io

    def shown(value: object) -> str:
        if isinstance(value, dt.datetime):
            text = f"{value.year}/{value.month}/{value.day}"
            return text + (f" {value:%H:%M}" if value.time() != dt.time() else "")
        return "" if value is None else str(value)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for title in titles:
        writer.writerow([title] + [""] * (len(header) - 1))
    writer.writerow(header)
    for row in rows:
        writer.writerow([shown(v) for v in row])
    return buffer.getvalue()


def check_the_book(run, result) -> None:
    assert result.exit_code == 0, result.stderr
    assert "4 new cases" in result.stdout
    assert "备注" in result.stderr  # the unknown column is named
    cases = {c["ref"]: c for c in run("list", "--json", "--full-contact").json()}
    assert set(cases) == {"1", "2", "3", "4"}
    first = cases["1"]
    assert first["received_at"] == "2026-10-09 00:00"
    assert first["contact"] == "13700001111"  # typed as a number in Excel
    assert first["status"] == "closed" and first["satisfaction"] == "satisfied"
    assert first["resolved_at"] == "2026-10-12 15:00"
    assert cases["2"]["received_at"] == "2026-10-09 00:00"
    assert cases["2"]["resolved_at"] == "2026-10-09 10:40"
    assert cases["2"]["channel"] == "hotline" and cases["2"]["status"] == "resolved"
    assert cases["3"]["received_at"] == "2026-10-12 00:00"
    assert cases["3"]["status"] == "dispatched" and cases["3"]["department"] == "农水事务"
    assert cases["4"]["received_at"] == "2026-10-13 09:30"
    assert run("check").exit_code == 0


def test_a_book_as_kept_imports_from_xlsx_in_one_command(run, tmp_path):
    book = write_book(tmp_path / "台账.xlsx")
    result = run("import", book)
    check_the_book(run, result)
    out = result.stdout
    assert "Sheet read: 10月" in out
    assert "Header on row 3; the 2 rows above it (title) skipped." in out
    assert "Skipped 1 empty row and 2 total rows" in out
    assert "read as 2026 (the year in the title row)" in out
    again = run("import", book)
    assert again.exit_code == 0 and "0 new cases, 4 already" in again.stdout


def test_the_same_book_imports_from_gbk_csv(run, tmp_path):
    sheet = tmp_path / "台账.csv"
    sheet.write_bytes(as_csv_text().encode("gbk"))
    result = run("import", sheet)
    check_the_book(run, result)
    assert "Header on line 2; the 1 row above it (title) skipped." in result.stdout
    assert "Sheet read" not in result.stdout


def test_the_report_is_in_chinese_under_lang_zh(run, tmp_path):
    result = run("--lang", "zh", "import", write_book(tmp_path / "台账.xlsx"))
    assert result.exit_code == 0, result.stderr
    assert "表头在第3行，其上 2 行（标题等）已跳过。" in result.stdout
    assert "已跳过空行 1 行、合计/小计/总计行 2 行。" in result.stdout
    assert "按 2026 年读取（标题行中的年份）" in result.stdout


def test_the_sheet_is_chosen_by_name(run, tmp_path, refused):
    book = write_book(tmp_path / "book.xlsx", sheet="十月", before=("说明", "九月"))
    # the first sheet (说明) is empty: nothing to import there
    refused("import", book, message="The sheet '说明' of the workbook")
    result = run("import", book, "--sheet", "十月")
    check_the_book(run, result)
    refused_line = refused("import", book, "--sheet", "十一月")
    assert "no sheet called '十一月'" in refused_line and "说明, 九月, 十月" in refused_line
    # an empty name names no sheet, not a blank-named one that happens to be there
    for blank in ("", "  "):
        assert "no sheet called" in refused("import", book, "--sheet", blank)


def test_dates_without_a_year_need_one(run, refused_import, tmp_path):
    book = write_book(tmp_path / "book.xlsx", titles=("东港区窗口登记台账",))
    lines = refused_import(book)
    # text dates without a year; Excel's own date cells have theirs
    assert lines[0] == (
        "row 3: Dates without a year (Resolved at 10月12日 15:00): add the book's year to the"
        " command (e.g. --year 2026), name the year in a title row (e.g. 2026年10月), or write"
        " it in the dates"
    ).replace("2026", str(dt.date.today().year))
    # the resolved date too, in the same line, with the fix said once
    assert lines[1].startswith(
        "row 4: Dates without a year (登记日期 (Received at) 10月9日, Resolved at 10-9 10:40):"
    )
    assert lines[2].startswith("row 6: Dates without a year (登记日期 (Received at) 10/12)")
    assert lines[-1] == "3 bad rows; nothing was imported."
    result = run("import", book, "--year", "2026")
    check_the_book(run, result)
    assert "read as 2026 (--year)" in result.stdout


def test_year_option_beats_the_title(run, tmp_path):
    book = write_book(tmp_path / "book.xlsx", titles=("2025年登记台账",))
    result = run("import", book, "--year", "2026")
    check_the_book(run, result)


def test_a_december_book_resolved_in_january(run, tmp_path):
    rows = [[1, "12月30日", "张三", None, "事项", None, "窗口", None, "电话解答", "已解决",
             "1月4日 10:00", None, None]]  # fmt: skip
    book = write_book(tmp_path / "book.xlsx", rows=rows, titles=("登记台账（2025年12月）",))
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    case = run("list", "--json").json()[0]
    assert case["received_at"] == "2025-12-30 00:00"
    assert case["resolved_at"] == "2026-01-04 10:00"
    # the report says which year each date took, not only the title's
    assert "2 dates written without a year read as 2025" in result.stdout
    assert "Of them, 1 read as 2026" in result.stdout
    plain = run("import", write_book(tmp_path / "plain.xlsx", titles=("登记台账（2026年10月）",)))
    assert "read as 2026" in plain.stdout and "Of them" not in plain.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_bad_row_lists_every_problem_with_its_fix(refused_import, tmp_path, lang):
    rows = [
        BOOK_ROWS[0],
        [2, "2026-02-30", None, None, "事项", None, "传真", "财政局", None, None, None,
         "挺好", None],
    ]  # fmt: skip
    book = write_book(tmp_path / "book.xlsx", rows=rows)
    lines = refused_import(book, lang=lang)
    assert len(lines) == 2
    line = lines[0]
    if lang == "en":
        assert line.startswith("row 5: ")
        for part in (
            # each column named as the book names it, the ledger's word beside it
            "诉求人 (Applicant) is missing; fill it in",
            "登记日期 (Received at) '2026-02-30' is not a valid date; write it as 2026-10-14",
            "来源 (Channel) '传真' not recognised",
            "Satisfaction '挺好' not recognised",
            "No department called '财政局'",
            "--add-departments",
        ):
            assert part in line, (part, line)
        assert line.count("; ") >= 4
    else:
        assert line.startswith("第5行：")
        for part in (
            "缺少诉求人（反映人），请填写",
            "登记日期（受理时间）“2026-02-30”不是有效日期，请写成",
            "来源（受理渠道）“传真”",
            "财政局",
        ):
            assert part in line, (part, line)
        assert lines[-1] == "共 1 行有问题，未导入任何案件。"


def test_csv_rows_are_named_by_their_line(refused_import, tmp_path):
    text = as_csv_text(rows=[BOOK_ROWS[1]], titles=("东港区窗口登记台账",))
    sheet = tmp_path / "book.csv"
    sheet.write_bytes(text.encode("gbk"))
    lines = refused_import(sheet)
    assert lines[0].startswith(
        "line 3: Dates without a year (登记日期 (Received at) 10月9日, Resolved at 10-9 10:40)"
    )


VOCABULARIES = [
    ["受理时间", "反映人", "联系电话", "事项名称", "问题缘由", "受理渠道", "承办单位",
     "处理办法", "处理结果", "办结时间", "满意度"],
    ["接件时间", "来电人", "联系方式", "主要内容", "原因", "来源", "办理单位", "办理情况",
     "办理结果", "办结日期", "满意程度"],
    ["登记日期", "申请人", "电话", "诉求内容", "缘由", "渠道", "责任单位", "处理办法",
     "处理结果", "办结时间", "满意度"],
    ["来电时间", "来访人", "反映人电话", "诉求事项", "缘由", "来源渠道", "责任部门",
     "办理情况", "办理结果", "完成日期", "群众满意度"],
    ["来访日期", "反映人姓名", "诉求人联系电话", "反映内容", "原因", "受理方式", "承办科室",
     "处理办法", "处理结果", "办结时间", "满意度评价"],
    # annotated headers, as books write them
    ["受理时间（年月日）", "*姓名", "联系电话\n（手机）", "事项名称", "问题缘由", "来源",
     "承办单位", "处理办法", "处理结果", "办结时间", "满意度"],
]  # fmt: skip


@pytest.mark.parametrize("header", VOCABULARIES)
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_header_vocabularies_of_clerks_books(run, tmp_path, header, kind):
    rows = [
        [dt.datetime(2026, 10, 9, 9, 0), "李女士", "13800001111", "营业执照变更", "材料被退回",
         "窗口", "市场准入", "协调办理", "已办结", "10月10日 16:00", "基本满意"],
    ]  # fmt: skip
    if kind == "xlsx":
        book = write_book(tmp_path / "book.xlsx", rows=rows, header=header, titles=(TITLE,))
    else:
        book = tmp_path / "book.csv"
        book.write_bytes(as_csv_text(rows, header).encode("gbk"))
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert "Columns ignored" not in result.stderr
    case = run("list", "--json", "--full-contact").json()[0]
    assert (case["applicant"], case["contact"], case["matter"]) == (
        "李女士",
        "13800001111",
        "营业执照变更",
    )
    assert case["received_at"] == "2026-10-09 09:00"
    assert case["resolved_at"] == "2026-10-10 16:00"
    assert case["satisfaction"] == "basic" and case["department"] == "市场准入"


def test_a_follow_up_result_column_answers_the_case(run, tmp_path):
    """回访结果 beside 反映人电话: read as the follow-up and the contact, not ignored — the
    case was answered (closed), and its phone number kept."""
    book = tmp_path / "book.csv"
    book.write_text(
        "序号,受理时间,反映人,反映人电话,事项名称,回访结果,办结时间\n"
        "1,2026-10-09 09:00,张三,13700001111,营业执照变更,电话回访满意,2026-10-10 16:00\n",
        encoding="utf-8",
    )
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert "Columns ignored" not in result.stderr
    case = run("list", "--json", "--full-contact").json()[0]
    assert (case["status"], case["satisfaction"], case["contact"]) == (
        "closed",
        "satisfied",
        "13700001111",
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "zh",
            "文件 book.csv 缺少必需的列：受理时间、事项名称（认得的列名：受理时间：受理时间、"
            "登记日期、接件时间、日期、受理日期、登记时间；事项名称：事项名称、办理事项、主要内容、"
            "诉求内容、诉求事项、反映内容）；表头中未认出的列：接待时刻、来访诉求、备注——"
            "把其中对应的那一列改成认得的列名再导入",
        ),
        (
            "en",
            "The file book.csv lacks required columns: Received at, Matter (names the ledger "
            "knows: Received at: Received at, received, 受理时间, 登记日期, 接件时间, 日期; "
            "Matter: Matter, 事项名称, 办理事项, 主要内容, 诉求内容, 诉求事项); columns of its "
            "header not recognised: 接待时刻, 来访诉求, 备注 — rename the one that holds it to a "
            "known name and import again",
        ),
    ],
)
def test_a_missing_column_is_named_with_the_names_known_and_the_columns_not(
    run, ledger_file, tmp_path, monkeypatch, lang, expected
):
    monkeypatch.chdir(tmp_path)
    Path("book.csv").write_text(
        "工单编号,接待时刻,来电人,联系电话,来访诉求,备注\n1,2026-10-09 09:00,张三,,事,窗口\n",
        encoding="utf-8",
    )
    before = digest(ledger_file)
    result = run("--lang", lang, "import", "book.csv")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [expected]
    assert digest(ledger_file) == before


def test_a_time_excel_keeps_as_a_fraction_comes_back_to_the_minute(run, tmp_path):
    # 09:30 as Excel stores it, a hair short of the minute
    almost = dt.datetime(2026, 10, 9, 9, 29, 59, 999_700)
    rows = [[1, almost, "张三", None, "事项"] + [None] * 8]
    result = run("import", write_book(tmp_path / "book.xlsx", rows=rows))
    assert result.exit_code == 0, result.stderr
    assert run("list", "--json").json()[0]["received_at"] == "2026-10-09 09:30"


def with_cached_formula(book: Path, cell: str, formula: str | None, cached: str) -> None:
    """Give a formula cell the value a spreadsheet would have computed and saved with it
    (openpyxl writes formulas without one), as text (`t="str"`); `formula` None keeps the
    cell's own."""
    import shutil

    name = "xl/worksheets/sheet1.xml"
    temporary = book.with_suffix(".tmp")
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(temporary, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == name:
                xml = data.decode("utf-8")
                pattern = rf'<c r="{cell}"[^>]*><f>([^<]*)</f>(?:<v\s*/>|<v></v>)'
                xml, count = re.subn(
                    pattern,
                    lambda m: f'<c r="{cell}" t="str"><f>{formula or m[1]}</f><v>{cached}</v>',
                    xml,
                )
                assert count == 1, xml[-800:]
                data = xml.encode("utf-8")
            target.writestr(item, data)
    shutil.move(temporary, book)


def test_a_formula_cell_gives_its_saved_value_and_is_never_run(run, tmp_path):
    rows = [
        [1, dt.datetime(2026, 10, 9), '=CONCAT("张","三")', None, "事项"] + [None] * 8,
        # a formula nobody computed: named as such, never read as empty ("… is missing")
        [2, dt.datetime(2026, 10, 9), "李四", None, "=1+1"] + [None] * 8,
    ]
    book = write_book(tmp_path / "book.xlsx", rows=rows, titles=(TITLE,))
    with_cached_formula(book, "C3", "CONCAT(&quot;张&quot;,&quot;三&quot;)", "张三")
    result = run("import", book)
    assert result.exit_code == 1
    assert "row 4: 诉求内容 (Matter) is a formula saved without its value" in result.stderr
    assert "Traceback" not in result.stderr
    rows.pop()
    book = write_book(tmp_path / "book2.xlsx", rows=rows, titles=(TITLE,))
    with_cached_formula(book, "C3", "CONCAT(&quot;张&quot;,&quot;三&quot;)", "张三")
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert run("list", "--json").json()[0]["applicant"] == "张三"


@pytest.mark.parametrize("value", ["26", "3000", "二〇二六", "2026-10"])
def test_a_bad_year_is_refused(refused, tmp_path, value):
    book = write_book(tmp_path / "book.xlsx")
    refused("import", book, "--year", value, message="year")


@pytest.fixture
def refused_import(run, ledger_file):
    """An import refused for its rows: exit 1, a line per bad row and a summary, no
    traceback, and the ledger file unchanged."""

    def check(path: Path, *options: str, lang: str = "en") -> list[str]:
        assert run("settings", "show").exit_code == 0
        before = digest(ledger_file)
        result = run("--lang", lang, "import", path, *options)
        assert result.exit_code == 1, result.stdout
        assert "Traceback" not in result.stderr
        assert digest(ledger_file) == before
        assert run("list", "--json").json() == []
        return [line for line in result.stderr.splitlines() if line.strip()]

    return check


def test_a_deadline_without_a_year_needs_one_like_every_date(run, refused_import, tmp_path):
    """The 办理时限 column's date written without its year was once dropped: the row imported
    with the default deadline (SPEC §7: such a row is bad, with the fix named)."""
    sheet = tmp_path / "limits.csv"
    sheet.write_text(
        "受理时间,反映人,事项名称,办理时限\n"
        "2026-10-09,甲,营业执照,10月20日\n"
        "2026-10-09,乙,施工许可,10-20\n"
        "2026-10-09,丙,社保转移,急办\n",
        encoding="utf-8",
    )
    lines = refused_import(sheet)
    year = dt.date.today().year
    assert lines[0].startswith(
        f"line 2: Dates without a year (Time limit (book) 10月20日): add the book's year to"
        f" the command (e.g. --year {year})"
    )
    assert lines[1].startswith("line 3: Dates without a year (Time limit (book) 10-20)")
    # neither a date, a class nor a count: the three forms the column takes are named
    assert lines[2] == (
        "line 4: Time limit (book) '急办' not recognised: write a date (2026-10-14), a"
        " time-limit class (Simple, Should have been done, Complex, Cannot be done) or a"
        " number of working days (3个工作日)"
    )
    assert lines[-1] == "3 bad rows; nothing was imported."
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("急办", "即办"), encoding="utf-8")
    assert run("import", sheet, "--year", "2026").exit_code == 0
    cases = {c["applicant"]: c for c in run("list", "--json").json()}
    assert cases["甲"]["deadline"] == cases["乙"]["deadline"] == "2026-10-20"
    assert cases["丙"]["limit"] == "simple" and cases["丙"]["deadline"] == "2026-10-09"


def test_a_status_its_own_dates_deny_is_a_bad_row(refused_import, tmp_path):
    """A row may not make a case in a state no move makes: still open with a resolution
    date, resolved with an answer date, dispatched with no department (SPEC §5, §7)."""
    sheet = tmp_path / "status.csv"
    sheet.write_text(
        "状态,受理时间,反映人,事项名称,承办单位,转办时间,办结时间,处理办法,处理结果,反馈时间\n"
        "已受理,2026-10-09,甲,一,,,2026-10-10,m,o,\n"
        "已转办,2026-10-09,乙,二,税务,,2026-10-10,m,o,\n"
        "已办结,2026-10-09,丙,三,税务,,2026-10-10,m,o,2026-10-11\n"
        "已转办,2026-10-09,丁,四,,,,,,\n"
        ",2026-10-09 09:00,戊,五,,2026-10-09 10:00,,,,\n",
        encoding="utf-8",
    )
    assert refused_import(sheet) == [
        "line 2: Status 'Received' but Resolved at 2026-10-10 00:00; clear that date or"
        " correct the status",
        "line 3: Status 'Dispatched' but Resolved at 2026-10-10 00:00; clear that date or"
        " correct the status",
        "line 4: Status 'Resolved' but Answered at 2026-10-11 00:00; clear that date or"
        " correct the status",
        "line 5: Status 'Dispatched' but no department; fill in the department or correct the"
        " status",
        "line 6: Dispatched at 2026-10-09 10:00 but no department; fill in the department",
        "5 bad rows; nothing was imported.",
    ]


def test_a_problem_names_the_columns_the_book_has(refused_import, tmp_path):
    """A book without 转办时间 or 状态: a resolution before the receipt is named against the
    receipt (not a dispatch the ledger filled in), and an answered row without its resolution
    date by the column that shows the answer (not a status the book does not have)."""
    sheet = tmp_path / "book.csv"
    sheet.write_text(
        "受理时间,姓名,主要内容,承办单位,办结时间,满意度\n"
        "2026-10-13,张三,办证甲,社会事务,2026-10-12,\n"
        "2026-10-13,李四,办证乙,,,满意\n",
        encoding="utf-8",
    )
    assert refused_import(sheet) == [
        "line 2: Resolved at (2026-10-12 00:00) is before Received at (2026-10-13 00:00);"
        " correct one of the two dates",
        "line 3: Satisfaction (满意) says the applicant was answered, but there is no"
        " resolved date; fill it in",
        "2 bad rows; nothing was imported.",
    ]
    chinese = refused_import(sheet, lang="zh")
    assert (
        chinese[0]
        == "第2行：办结时间（2026-10-12 00:00）早于受理时间（2026-10-13 00:00），请改正其中一个日期"
    )
    assert "转办时间" not in " ".join(chinese) and "状态" not in " ".join(chinese)


def test_a_text_problem_names_the_column_as_the_book_does(refused_import, tmp_path):
    """The check a typed value meets (a control character, a chase count out of range) names
    the book's column with the ledger's word beside it, as every other problem of a row."""
    sheet = tmp_path / "book.csv"
    sheet.write_text(
        "受理时间,诉求人,手机,诉求内容,催办次数\n"
        "2026-10-09 09:00,张\a三,137\a00001111,事\x1b[2J,-3\n",
        encoding="utf-8",
    )
    lines = refused_import(sheet, lang="zh")
    assert lines[0].startswith(
        "第2行：诉求人（反映人）中有控制字符（U+0007，第2个字符），请删去后重试；"
        "手机（联系电话）中有控制字符（U+0007，第4个字符），请删去后重试；"
        "诉求内容（事项名称）中有控制字符（U+001B，第2个字符），请删去后重试；催办次数（督办次数）"
    )
    english = refused_import(sheet)
    assert english[0].startswith("line 2: 诉求人 (Applicant) contains a control character")
    assert "; 催办次数 (Chases) " in english[0]


def test_an_outcome_that_says_done_needs_its_resolution_date(run, refused_import, tmp_path):
    """A book without 状态 whose 办理结果 says 已办结 but gives no 办结时间 imported the case as
    still open: overdue on every morning's sheet. An outcome that says it is not done yet,
    or a 状态 column that says how it stands, is read as before."""
    sheet = tmp_path / "book.csv"
    sheet.write_text(
        "受理时间,反映人,事项名称,承办单位,办理结果\n"
        "2026-10-09 09:00,张三,事一,税务,已办结，申请人满意\n"
        "2026-10-09 09:10,李四,事二,,当场办结\n"
        "2026-10-09 09:20,王五,事三,税务,尚未办结\n"
        "2026-10-09 09:30,赵六,事四,税务,正在协调解决\n"
        "2026-10-09 09:40,钱七,事五,税务,已转交部门解决\n"
        "2026-10-09 09:50,孙八,事六,税务,建议申请人通过诉讼解决\n"
        "2026-10-09 10:00,周九,事七,税务,问题已解决\n",
        encoding="utf-8",
    )
    assert refused_import(sheet, lang="zh") == [
        "第2行：办理结果（处理结果）“已办结，申请人满意”说已经办结，却没有办结时间："
        "请补上办结时间，或改正这一格",
        "第3行：办理结果（处理结果）“当场办结”说已经办结，却没有办结时间：请补上办结时间，或改正这一格",
        "第8行：办理结果（处理结果）“问题已解决”说已经办结，却没有办结时间：请补上办结时间，或改正这一格",
        "共 3 行有问题，未导入任何案件。",
    ]
    assert refused_import(sheet)[1] == (
        "line 3: 办理结果 (Outcome) '当场办结' says the case was resolved, but Resolved at is "
        "empty: fill in when it was resolved, or correct that cell"
    )
    told = tmp_path / "told.csv"
    told.write_text(
        "受理时间,反映人,事项名称,承办单位,办理结果,状态\n"
        "2026-10-09 09:00,张三,事一,税务,已办结，申请人满意,已转办\n"
        "2026-10-09 09:20,王五,事三,税务,尚未办结,\n",
        encoding="utf-8",
    )
    result = run("import", told)
    assert result.exit_code == 0, result.stderr
    assert {c["status"] for c in run("list", "--json").json()} == {"dispatched"}


def test_a_date_in_the_time_limit_column_is_named_by_that_column(refused_import, tmp_path):
    """办理时限 may hold the deadline as a date: one before the receipt is named 办理时限,
    the column the book has, not 办理期限 (a column it does not have)."""
    sheet = tmp_path / "book.csv"
    sheet.write_text(
        "受理时间,反映人,事项名称,办理时限\n2026-10-09 09:00,己,事项6,2026-10-08\n",
        encoding="utf-8",
    )
    (line, _summary) = refused_import(sheet, lang="zh")
    assert (
        line == "第2行：办理时限（2026-10-08）早于受理时间（2026-10-09 09:00），请改正其中一个日期"
    )
    sheet.write_text(
        "受理时间,反映人,事项名称,办理期限\n2026-10-09 09:00,己,事项6,2026-10-08\n",
        encoding="utf-8",
    )
    assert refused_import(sheet)[0].startswith("line 2: Deadline (2026-10-08) is before")


def test_a_column_that_repeats_another_is_named_as_a_repeat(run, tmp_path):
    """反映人 and 姓名 side by side: the second was called a column not recognised."""
    book = tmp_path / "book.csv"
    book.write_text(
        "受理时间,反映人,姓名,事项名称,联系电话,电话,备注\n"
        "2026-10-09,张三,张先生,营业执照,13700001111,87654321,x\n",
        encoding="utf-8",
    )
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert (
        "Columns ignored (not recognised, or a repeat): 姓名 (the same as 反映人, which is read),"
        " 电话 (the same as 联系电话, which is read), 备注"
    ) in result.stderr
    case = run("list", "--json", "--full-contact").json()[0]
    assert (case["applicant"], case["contact"]) == ("张三", "13700001111")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_annotated_column_gives_way_to_the_plain_one_beside_it(run, tmp_path, kind):
    """`联系电话（作废）` before `联系电话`: the annotated one was read, being first, and the
    number the book keeps now was named as a repeat. The plain name is the column in use;
    two annotated ones, or two plain ones, keep the first."""
    header = ["受理时间", "反映人（旧）", "反映人", "事项名称", "联系电话（作废）", "联系电话"]
    row = ["2026-10-09 09:00", "张先生", "张三", "营业执照", "13700001111", "13900002222"]
    if kind == "csv":
        book = tmp_path / "book.csv"
        book.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    else:
        book = write_book(tmp_path / "book.xlsx", rows=[row], header=header, titles=())
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert (
        "Columns ignored (not recognised, or a repeat): 反映人（旧） (the same as 反映人, which is"
        " read), 联系电话（作废） (the same as 联系电话, which is read)"
    ) in result.stderr
    case = run("list", "--json", "--full-contact").json()[0]
    assert (case["applicant"], case["contact"]) == ("张三", "13900002222")


def test_a_column_without_a_header_that_holds_something_is_named(run, tmp_path):
    """办理情况 merged over two columns (F:G) leaves G without a name; what G holds was
    dropped without a word (SPEC §7: a column not read is named)."""
    header = ["序号", "受理时间", "反映人", "联系电话", "事项名称", "办理情况", "", "备注"]
    rows = [
        [1, "2026-10-09 09:30", "张一", "13800000001", "事项一", "协调", "已办", None],
        [2, "2026-10-09 10:30", "张二", "13800000002", "事项二", None, None, None, "表外"],
    ]
    book = write_book(tmp_path / "book.xlsx", rows, header)
    from openpyxl import load_workbook

    wb = load_workbook(book)
    wb.active.merge_cells("F3:G3")
    wb.save(book)
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert (
        "Columns ignored (not recognised, or a repeat): 备注,"
        " column G (no header: what it holds was not imported),"
        " column I (no header: what it holds was not imported)"
    ) in result.stderr
    zh = run("--lang", "zh", "import", book)
    assert "G 列（没有表头，其中的内容未导入）" in zh.stderr


def test_a_csv_cell_past_the_header_is_named_and_an_empty_one_is_not(run, tmp_path):
    book = tmp_path / "book.csv"
    book.write_text(
        "受理时间,反映人,事项名称,\n2026-10-09,张三,营业执照,,\n2026-10-09,李四,施工许可,, 多余 \n",
        encoding="utf-8",
    )
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "ignored" in line]
    assert lines == [
        "Columns ignored (not recognised, or a repeat):"
        " column E (no header: what it holds was not imported)"
    ]
    book.write_text("受理时间,反映人,事项名称,\n2026-10-10,王五,营业执照,,  \n", encoding="utf-8")
    assert "ignored" not in run("import", book).stderr


def _by_ref(run) -> dict[str, str]:
    return {c["ref"]: c["id"] for c in run("list", "--json").json()}


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_months_book_imports_again_after_its_cases_moved_on(run, tmp_path, kind):
    """The clerk adds the week's rows at the foot of the month's book and imports it again.
    A row without an id says only what its cells hold: a case the ledger resolved, answered,
    extended or classified since is the same case (it was refused as 'different content
    (状态, 办结时间, 办理结论, …)', columns the book does not have)."""

    def book(rows: list[list[object]], name: str) -> Path:
        if kind == "xlsx":
            return write_book(tmp_path / f"{name}.xlsx", rows=rows)
        path = tmp_path / f"{name}.csv"
        path.write_bytes(as_csv_text(rows=rows).encode("gbk"))
        return path

    assert run("import", book(BOOK_ROWS, "week1")).exit_code == 0
    ids = _by_ref(run)
    moves = [
        ("edit", ids["1"], "--sections", "market"),
        ("feedback", ids["2"], "--via", "phone", "--at", "2026-10-14 09:05"),
        ("resolve", ids["3"], "--cannot", "--reason", "不符合补贴条件", "--at", "2026-10-14 09:10"),
        ("extend", ids["4"], "--days", "2", "--reason", "待核实", "--at", "2026-10-14 09:15"),
        ("resolve", ids["4"], "--method", "m", "--outcome", "o", "--at", "2026-10-15 10:00"),
    ]
    for move in moves:
        done = run(*move)
        assert done.exit_code == 0, (move, done.stderr)
    new_row = [5, dt.datetime(2026, 10, 16, 10, 0), "某餐饮店", "13600003333", "食品经营许可",
               "现场核查排不上", "窗口", "市场准入", None, None, None, None, None]  # fmt: skip
    rows = [*BOOK_ROWS[:-1], new_row, BOOK_ROWS[-1]]
    again = run("--lang", "zh", "import", book(rows, "week2"))
    assert again.exit_code == 0, again.stderr
    assert "新增 1 件，已在台账中未变 4 件" in again.stdout
    assert _by_ref(run)["5"] == "2026-0005"
    # a cell that says something else than the ledger is still a conflict, named as the
    # book names its column, the ledger's word beside it, in one language
    changed = [list(row) for row in rows]
    changed[0][3], changed[0][6] = 13700009999, "电话"
    refused = run("--lang", "zh", "import", book(changed, "week3"))
    assert refused.exit_code == 1
    line = refused.stderr.splitlines()[0]
    first_row = 4 if kind == "xlsx" else 3  # under two title rows, or the one a CSV keeps
    assert line.startswith(f"第{first_row}行：案件 {ids['1']} 已在台账中，但内容不同（")
    assert "（来源（受理渠道）、联系方式（联系电话））" in line
    assert f"ledger show {ids['1']}" in line and "删去" in line


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_header_of_two_rows_is_read_as_one(run, tmp_path, kind):
    """办理情况 merged over 处理办法, 处理结果 and 办结时间, the other names merged down over
    both rows: the second row was read as a case ('受理时间 is not a valid date'), and the
    办结时间 under the group never found."""
    top = ["序号", "受理时间", "反映人", "联系电话", "事项名称", "办理情况", None, None, "满意度"]
    second = [None, None, None, None, None, "处理办法", "处理结果", "办结时间", None]
    data = [
        1,
        "10月9日",
        "张三",
        "13800001111",
        "营业执照",
        "电话协调",
        "已办成",
        "10月10日",
        "满意",
    ]
    if kind == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append([TITLE])
        for row in (top, second, data):
            sheet.append(row)
        for column in "ABCDEI":
            sheet.merge_cells(f"{column}2:{column}3")
        sheet.merge_cells("F2:H2")
        path = tmp_path / "two.xlsx"
        book.save(path)
    else:
        path = tmp_path / "two.csv"
        text = as_csv_text(rows=[second, data], header=top)
        path.write_bytes(text.encode("gbk"))
    done = run("--lang", "zh", "import", path)
    assert done.exit_code == 0, done.stderr
    assert "新增 1 件" in done.stdout and "表头在第2–3行，其上 1 行" in done.stdout
    [case] = run("list", "--json").json()
    assert (case["status"], case["resolved_at"][:10]) == ("closed", "2026-10-10")
    assert (case["method"], case["outcome"], case["satisfaction"]) == (
        "电话协调",
        "已办成",
        "satisfied",
    )
    # a row of one word that names a column (电话 under 序号, a book grouped by channel)
    # labels the rows below it: it is no second header row (the 序号 were read as phones)
    grouped = tmp_path / "grouped.csv"
    grouped.write_text(
        "序号,受理时间,反映人,事项名称,承办单位\n电话,,,,\n1,2026-11-02 09:00,张三,营业执照,\n",
        encoding="utf-8",
    )
    labelled = run("--db", tmp_path / "grouped.db", "import", grouped)
    assert labelled.exit_code == 0, labelled.stderr
    [case] = run("--db", tmp_path / "grouped.db", "list", "--json").json()
    assert (case["ref"], case["contact"]) == ("1", None)
    # a row under the header that holds anything but names is a case, as before
    single = tmp_path / "one.csv"
    single.write_text(as_csv_text(rows=[data[:6]], header=top), encoding="utf-8")
    other = run("--db", tmp_path / "other.db", "import", single)
    assert other.exit_code == 0 and "1 new case" in other.stdout, other.stderr
    assert "line 2 " in other.stdout or "line 2;" in other.stdout  # the header's line


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_cell_written_as_nothing_is_empty(run, tmp_path, kind):
    """无, 暂无, /, — and their kind mean a cell left empty: a department 无 was offered to
    --add-departments and its cases counted as dispatched to it, a contact / kept as the
    phone, a 办结时间 / refused as not a date; a row of nothing but such marks is empty.
    In a text the clerk wrote (a cause, a method) it is kept."""
    rows = [
        [1, "10月9日", "张三", "/", "办证", "无", "窗口", "无", "/", "暂无", "/", "-", None],
        [2, "10月9日", "李四", "无", "办照", " 暂无 ", "窗口", "／", None, None, "—", "N/A", None],
        [3, "无", "/", "—", "无", "/", None, "——", None, None, None, None, "未填"],
        [4, "10月10日", "王五", "13700001111", "办证", "材料不全", "窗口", "市场准入", None, None,
         None, None, None],
    ]  # fmt: skip
    if kind == "xlsx":
        book = write_book(tmp_path / "marks.xlsx", rows=rows)
    else:
        book = tmp_path / "marks.csv"
        book.write_bytes(as_csv_text(rows=rows).encode("gbk"))
    done = run("import", book)
    assert done.exit_code == 0, done.stderr
    assert "3 new cases" in done.stdout and "1 empty row" in done.stdout
    cases = {c["applicant"]: c for c in run("list", "--json").json()}
    assert sorted(cases) == ["张三", "李四", "王五"]
    for name in ("张三", "李四"):
        case = cases[name]
        assert case["department"] is None and case["status"] == "received", case
        assert case["contact"] is None and case["resolved_at"] is None
        assert case["satisfaction"] is None
    # a text the clerk wrote is kept as written, as the ledger keeps it when typed (its own
    # export imports back)
    assert (cases["张三"]["cause"], cases["李四"]["cause"]) == ("无", "暂无")
    assert cases["王五"]["department"] == "市场准入"
    assert [d["name"] for d in run("dept", "list", "--json").json() if d["name"] in "无／/"] == []


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_text_written_as_a_mark_of_nothing_survives_the_own_export(run, refused, tmp_path, kind):
    """A cause 无, a method / and an outcome 无 typed at the window came back from the
    ledger's own export as nothing (a new ledger) or as a conflict (the same one)."""
    assert run("add", "--applicant", "NA", "--matter", "无", "--cause", "无",
               "--at", "2026-11-02 09:00").exit_code == 0  # fmt: skip
    assert run("resolve", "2026-0001", "--method", "/", "--outcome", "无",
               "--at", "2026-11-03 09:00").exit_code == 0  # fmt: skip
    exported = tmp_path / f"own.{kind}"
    assert run("export", "--full-contact", "--out", exported).exit_code == 0
    again = run("import", exported)
    assert again.exit_code == 0 and "0 new cases, 1 already" in again.stdout, again.stderr
    fresh = run("--db", tmp_path / "fresh.db", "import", exported)
    assert fresh.exit_code == 0, fresh.stderr
    shown = run("--db", tmp_path / "fresh.db", "show", "2026-0001", "--json").json()
    texts = [shown[k] for k in ("applicant", "matter", "cause", "method", "outcome")]
    assert texts == ["NA", "无", "无", "/", "无"]
    # no department is named as a book leaves the cell empty: its cases would come back
    # from the export with none
    for name in ("无", "暂无", "NA", "/", "空", "（无）"):
        refused("dept", "add", name, message="how a book leaves a cell empty")
    # nor is a contact: 无 typed for one is none, as an import reads it
    assert run("add", "--applicant", "李四", "--matter", "办证", "--contact", "无").exit_code == 0
    assert run("show", "2026-0002", "--json").json()["contact"] is None


def test_a_book_numbered_ahead_is_read_to_its_last_filled_row(run, tmp_path):
    """A template numbered 1–20 with the first rows used: a row holding its 序号 alone is an
    empty row (each was refused as 'missing 受理时间, 反映人, 事项名称; fill it in')."""
    numbered = [[n] + [None] * 12 for n in range(5, 21)]
    rows = [BOOK_ROWS[0], BOOK_ROWS[1], [4] + [None] * 12, BOOK_ROWS[3], *numbered]
    result = run("import", write_book(tmp_path / "ahead.xlsx", rows=rows))
    assert result.exit_code == 0, result.stderr
    assert "3 new cases" in result.stdout
    assert "1 empty row" in result.stdout  # the one between used rows; those at the foot end it
    assert sorted(_by_ref(run)) == ["1", "2", "3"]


def test_phone_numbers_a_spreadsheet_mangled(run, refused_import, tmp_path):
    """`13800001112.0` is that number (it was kept, and masked as 138****1120: another
    number); `1.38E+10` has lost its digits, and the row says so with the fix."""
    sheet = tmp_path / "phones.csv"
    sheet.write_text(
        "受理时间,姓名,联系电话,事项名称\n2026-10-10,张三,1.38E+10,营业执照\n", encoding="utf-8"
    )
    lines = refused_import(sheet, lang="zh")
    assert lines[0] == (
        "第2行：联系电话“1.38E+10”是 Excel 的科学计数法，号码的后几位已丢失；"
        "请在原表中把该列设为文本，填回完整号码后再保存"
    )
    sheet.write_text(
        "受理时间,姓名,联系电话,事项名称\n2026-10-09,李四,13800001112.0,社保\n", encoding="utf-8"
    )
    assert run("import", sheet).exit_code == 0
    case = run("list", "--json", "--full-contact").json()[0]
    assert case["contact"] == "13800001112"
    assert run("list", "--json").json()[0]["contact"] == "138****1112"


def test_a_book_typed_in_full_width_digits_reads_as_in_ascii(run, tmp_path):
    """A Chinese input method in full-width mode types ２０２６年１０月, １０月９日 and ３个工作日:
    read as their ASCII forms in the title's year, a date without its year and a time limit,
    as typed dates and ids are (each was refused once `\\d` stopped taking any digit)."""
    sheet = tmp_path / "full-width.csv"
    sheet.write_bytes(
        (
            "登记台账（２０２６年１０月）\n"
            "受理时间,反映人,事项名称,办理时限,办结时间\n"
            "１０月９日 ０９:３０,张三,营业执照,３个工作日,１０月１０日\n"
            "合计,,２件,,\n"
        ).encode("gbk")
    )
    result = run("import", sheet)
    assert result.exit_code == 0, result.stderr
    assert "read as 2026 (the year in the title row)" in result.stdout
    assert "1 total" in result.stdout
    case = run("list", "--json").json()[0]
    assert case["received_at"] == "2026-10-09 09:30"
    assert case["deadline"] == "2026-10-13"  # Sat 10-10 (a make-up working day), 10-12, 10-13
    assert case["resolved_at"] == "2026-10-10 00:00"


def test_a_contact_whose_digits_are_lost_is_refused_typed_and_kept_where_it_is(
    run, refused, ledger_file, tmp_path
):
    """`1.38E+10` is refused for a case, typed as for an import; a ledger that holds one
    already (typed before the rule) exports and imports again as the same case, and one
    stored with its `.0` is the same number as the book's."""
    import sqlite3

    refused("add", "--applicant", "甲", "--matter", "一", "--contact", "1.38E+10",
            message="scientific notation")  # fmt: skip
    assert run("add", "--applicant", "甲", "--matter", "一", "--at", "2026-10-09 09:00",
               "--contact", "13800001111.0").exit_code == 0  # fmt: skip
    assert run("list", "--json", "--full-contact").json()[0]["contact"] == "13800001111"
    refused("edit", "2026-0001", "--contact", "1.38E+10", message="scientific notation")
    assert (
        run("add", "--applicant", "乙", "--matter", "二", "--at", "2026-10-09 09:05").exit_code == 0
    )
    with sqlite3.connect(ledger_file) as conn:  # as an earlier ledger kept them
        conn.execute("UPDATE cases SET contact = '13800001111.0' WHERE id = '2026-0001'")
        conn.execute("UPDATE cases SET contact = '1.39E+10' WHERE id = '2026-0002'")
    conn.close()
    exported = tmp_path / "own.csv"
    assert run("export", "--out", exported, "--full-contact").exit_code == 0
    again = run("import", exported)
    assert again.exit_code == 0, again.stderr
    assert "0 new cases, 2 already" in again.stdout
    book = tmp_path / "book.csv"
    book.write_text("受理时间,姓名,联系电话,事项名称\n2026-10-09 09:00,甲,13800001111,一\n")
    assert "1 already" in run("import", book).stdout


def test_the_own_export_saved_again_by_excel_imports_as_the_same_cases(run, tmp_path):
    """The ledger's own export opened in Excel and saved again, its phone column shown too
    narrow (`1.38057E+10`): every row conflicted, told to `ledger edit` the case, though the
    number is the case's less the digits Excel dropped. It is the same case now; a number
    that cannot be the case's (another person's, `1.39E+10`) is still a difference."""
    for n, contact in enumerate(("13805712345", "13700001111", "13912345678")):
        added = run("add", "--applicant", f"甲{n}", "--matter", "一", "--contact", contact,
                    "--at", f"2026-10-09 09:0{n}")  # fmt: skip
        assert added.exit_code == 0, added.stderr
    exported = tmp_path / "own.csv"
    assert run("export", "--out", exported, "--full-contact").exit_code == 0
    text = exported.read_text(encoding="utf-8-sig")
    resaved = tmp_path / "resaved.csv"
    shown = {"13805712345": "1.38057E+10", "13700001111": "1.37E+10", "13912345678": "1.4E+10"}
    for full, notation in shown.items():
        text = text.replace(full, notation)
    resaved.write_text(text, encoding="utf-8-sig")
    again = run("import", resaved)
    assert again.exit_code == 0, again.stderr
    assert "0 new cases, 3 already" in again.stdout
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(text.replace("1.37E+10", "1.39E+10"), encoding="utf-8-sig")
    refused = run("import", wrong)
    assert refused.exit_code == 1
    [line] = [ln for ln in refused.stderr.splitlines() if "2026-0002" in ln]
    assert "different content (Contact)" in line


@pytest.mark.parametrize(
    "moves",
    [
        # resolved, answered, reopened since: a 状态 cell and an answer are the row's past
        [("resolve", "--method", "m", "--outcome", "o", "--at", "2026-10-13 10:00")],
        [("reopen", "--reason", "不满意", "--at", "2026-10-14 09:00")],
        [("return", "--reason", "不属本单位", "--at", "2026-10-13 09:00"),
         ("dispatch", "--dept", "税务", "--at", "2026-10-13 09:30")],
    ],
    ids=["resolved", "reopened", "redispatched"],
)  # fmt: skip
def test_a_row_says_what_was_so_when_it_was_written(run, tmp_path, moves):
    """A book with a 状态 column, an answer and a department: once the ledger recorded a
    move after the row's latest date, what the row holds of the case's moves is its past
    (it was refused as 'different content (状态)'); what describes the case is compared."""
    sheet = tmp_path / "book.csv"
    header = "受理时间,反映人,联系电话,事项名称,承办单位,状态,办结时间,回访情况\n"
    resolved = (
        "2026-10-12 09:00,张三,13800001111,营业执照,市场准入,已反馈,2026-10-12 15:00,电话回访满意\n"
    )
    open_row = "2026-10-12 09:10,李四,13800002222,施工许可,工程建设,已转办,,\n"
    sheet.write_text(header + resolved + open_row, encoding="utf-8")
    assert run("import", sheet).exit_code == 0
    case = "2026-0001" if moves[0][0] == "reopen" else "2026-0002"
    for move, *options in moves:
        done = run(move, case, *options)
        assert done.exit_code == 0, (move, done.stderr)
    again = run("import", sheet)
    assert again.exit_code == 0, again.stderr
    assert "0 new cases, 2 already" in again.stdout
    # the phone is what describes the case: a different one is a conflict still
    changed = tmp_path / "changed.csv"
    changed.write_text(header + resolved + open_row.replace("13800002222", "13800003333"),
                       encoding="utf-8")  # fmt: skip
    refused = run("import", changed)
    assert refused.exit_code == 1 and "(Contact)" in refused.stderr


def test_a_book_that_disagrees_before_anything_moved_is_a_conflict(run, tmp_path):
    """With no move recorded since the row's latest date, every cell it fills is compared —
    those the ledger reads a case's time limit and answer from (办理时限, 回访情况) too."""
    sheet = tmp_path / "book.csv"
    sheet.write_text(
        "受理时间,反映人,事项名称,办理时限,办结时间,回访情况\n"
        "2026-10-12 09:00,张三,营业执照,5个工作日,2026-10-13 10:00,电话回访满意\n",
        encoding="utf-8",
    )
    assert run("import", sheet).exit_code == 0
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(text.replace("电话回访满意", "短信回访不满意"), encoding="utf-8")
    refused = run("import", sheet)
    assert refused.exit_code == 1
    # named once, by the column the book has (the way and the rating are read from it)
    assert "different content (Follow-up (book))" in refused.stderr
    sheet.write_text(text.replace("5个工作日", "即办"), encoding="utf-8")
    refused = run("--lang", "zh", "import", sheet)
    assert refused.exit_code == 1 and "内容不同（办理时限）" in refused.stderr


def test_a_column_the_book_annotates_is_named_by_the_ledgers_word(refused_import, tmp_path):
    """`*反映人` and `受理时间（年月日）` are the ledger's own words as a book annotates them,
    and a zero-width mark in a header is nothing to show: a line read `缺少*反映人（反映人）`,
    and the mark went to the terminal inside the column's name."""
    sheet = tmp_path / "book.csv"
    sheet.write_text(
        "\u200b受理时间（年月日）,*反映人,诉求内容\n2026-13-01,,营业执照\n", encoding="utf-8"
    )
    (line, _summary) = refused_import(sheet, lang="zh")
    assert line.startswith("第2行：缺少反映人，请填写；受理时间“2026-13-01”不是有效日期"), line
    assert "\u200b" not in line


def _book(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_same_book_after_a_closure_a_correction_and_a_same_day_move(run, tmp_path):
    """Each of these once made the same book a conflict, or hid what it said: a time limit
    of N working days counted again on a calendar with a new closure; a move dated the day
    a date-only book gives (00:00); a case typed at 09:13 that the book dates by its day."""
    book = _book(
        tmp_path,
        "book.csv",
        "序号,受理时间,诉求人,事项名称,承办单位,办理时限\n"
        "1,2026-11-04,甲,事一,市场准入,10个工作日\n"
        "2,2026-11-04,乙,事二,市场准入,\n",
    )
    assert run("import", book).exit_code == 0
    assert run("calendar", "holiday", "2026-11-12", "--name", "停电闭馆").exit_code == 0
    assert run("return", "2026-0002", "--reason", "非本单位", "--at", "2026-11-04").exit_code == 0
    assert (
        run("add", "--applicant", "丙", "--matter", "事三", "--at", "2026-11-04 09:13").exit_code
        == 0
    )
    with_typed = book.read_text(encoding="utf-8") + "3,2026-11-04,丙,事三,,\n"
    again = run("import", _book(tmp_path, "again.csv", with_typed))
    assert again.exit_code == 0, again.stderr
    assert "0 new cases, 3 already" in again.stdout


def test_a_correction_is_no_move_and_a_corrected_text_no_conflict(run, tmp_path):
    """An `edit` is not the case moving on: a book that has gone ahead of the ledger (a
    resolution entered in the book only) is still reported after one; and the phone the
    ledger corrected is what a book written before the correction may still say."""
    head = "受理时间,诉求人,联系电话,事项名称,承办单位,办结时间\n"
    first = head + "2026-11-04,王五,13800001111,社保转移,市场准入,\n"
    assert run("import", _book(tmp_path, "a.csv", first)).exit_code == 0
    assert run("edit", "2026-0001", "--cause", "补充说明").exit_code == 0
    ahead = _book(tmp_path, "b.csv", first.replace("市场准入,\n", "市场准入,2026-11-06\n"))
    refused = run("import", ahead)
    assert refused.exit_code == 1 and "(Resolved at)" in refused.stderr
    assert run("edit", "2026-0001", "--contact", "13900002222").exit_code == 0
    again = run("import", tmp_path / "a.csv")
    assert again.exit_code == 0, again.stderr
    assert "0 new cases, 1 already" in again.stdout
    # a row with its id is compared whole: the ledger's own export from before the correction
    # differs in the phone (SPEC §7)
    exported = tmp_path / "own.csv"
    assert run("export", "--out", exported, "--full-contact").exit_code == 0
    assert run("edit", "2026-0001", "--contact", "13700003333").exit_code == 0
    whole = run("import", exported)
    assert whole.exit_code == 1 and "(Contact)" in whole.stderr


def test_a_book_gone_ahead_is_said_after_a_later_move_too(run, tmp_path):
    """A chase after the book's dates moved the case on, and the book's resolution and answer
    — which the ledger never had — went unsaid ('already in the ledger unchanged')."""
    assert run("add", "--applicant", "张三", "--matter", "办证", "--dept", "市场准入",
               "--at", "2026-11-04 09:13").exit_code == 0  # fmt: skip
    assert run("dispatch", "2026-0001", "--at", "2026-11-04 09:20").exit_code == 0
    assert run("urge", "2026-0001", "--at", "2026-11-20 09:00").exit_code == 0
    book = _book(
        tmp_path,
        "ahead.csv",
        "受理时间,诉求人,事项名称,承办单位,办结时间,回访情况\n"
        "2026-11-04,张三,办证,市场准入,2026-11-10,已电话回访满意\n",
    )
    refused = run("import", book)
    assert refused.exit_code == 1
    assert "Resolved at" in refused.stderr and "Follow-up (book)" in refused.stderr


@pytest.mark.parametrize(
    "moves",
    [
        [("resume", "--at", "2026-11-05 09:00")],
        [("resolve", "--method", "m", "--outcome", "o", "--at", "2026-11-05 09:00")],
        [("resume", "--at", "2026-11-05 09:00"), ("undo", "--at", "2026-11-05 10:00")],
        [
            ("resume", "--at", "2026-11-05 09:00"),
            ("return", "--reason", "不归我", "--at", "2026-11-05 10:00"),
        ],
    ],
    ids=["resume", "resolve", "resume-undone", "return"],
)
def test_the_own_book_imports_again_after_a_move_emptied_what_it_says(run, tmp_path, moves):
    """A pause (and an acknowledgement) the book holds, which a later resumption, resolution
    or return took away in the ledger, is the case's past: the book was refused as 'different
    content (中止计时起)' once the case was resumed."""
    assert run("add", "--applicant", "李四", "--matter", "营业执照变更", "--dept", "市场准入",
               "--at", "2026-11-02 09:00").exit_code == 0  # fmt: skip
    assert run("dispatch", "2026-0001", "--at", "2026-11-02 09:30").exit_code == 0
    assert run("ack", "2026-0001", "--at", "2026-11-02 10:00").exit_code == 0
    assert (
        run("pause", "2026-0001", "--reason", "等材料", "--at", "2026-11-03 09:00").exit_code == 0
    )
    exported = tmp_path / "own.csv"
    assert run("--lang", "zh", "export", "--full-contact", "--out", exported).exit_code == 0
    book = tmp_path / "book.csv"  # the clerk's copy, without the id column
    rows = list(csv.reader(exported.open(encoding="utf-8-sig")))
    assert rows[0][0] == "案件编号" and "中止计时起" in rows[0] and "签收时间" in rows[0]
    with book.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(row[1:] for row in rows)
    for move in moves:
        done = run(move[0], "2026-0001", *move[1:])
        assert done.exit_code == 0, (move, done.stderr)
    again = run("import", book)
    assert again.exit_code == 0, again.stderr
    assert "0 new cases, 1 already" in again.stdout
    # a pause the book holds that the ledger never had is still the book gone ahead
    book.write_text(
        book.read_text(encoding="utf-8-sig").replace("2026-11-03 09:00", "2026-11-06 09:00"),
        encoding="utf-8-sig",
    )
    ahead = run("import", book)
    assert ahead.exit_code == 1 and "Paused since" in ahead.stderr


def test_a_case_voided_and_taken_in_again_is_the_live_one(run, tmp_path):
    for contact in ("13800001111", "13900002222"):
        assert run("add", "--applicant", "张三", "--matter", "办证", "--contact", contact,
                   "--at", "2026-11-04 09:13").exit_code == 0  # fmt: skip
        if contact.startswith("138"):
            assert run("void", "2026-0001", "--reason", "录错电话").exit_code == 0
    book = _book(
        tmp_path, "b.csv", "受理时间,诉求人,联系电话,事项名称\n2026-11-04,张三,13900002222,办证\n"
    )
    again = run("import", book)
    assert again.exit_code == 0, again.stderr
    assert "0 new cases, 1 already" in again.stdout


def test_a_row_with_a_lost_phone_says_so_with_its_other_problems(refused_import, tmp_path):
    """Every problem of a bad row on its line (the lost phone was said only once the rest
    was mended); a number written with every digit (`1.3800001111E10`) is that number, and
    a column the book names with the ledger's word in it is not named twice."""
    sheet = _book(
        tmp_path,
        "phones.csv",
        "受理时间,诉求人（反映人）,联系电话,事项名称,承办单位\n"
        "2026-10-10,,1.38E+10,营业执照,财政局\n"
        "2026-10-10,李四,1.3800001111E10,营业执照,\n",
    )
    lines = refused_import(sheet, lang="zh")
    assert len(lines) == 2
    assert "缺少诉求人（反映人），请填写" in lines[0] and "（反映人）（反映人）" not in lines[0]
    assert "财政局" in lines[0] and "“1.38E+10”是 Excel 的科学计数法" in lines[0]


# -- what an attack on real books found --------------------------------------------------

SHORT_HEADER = ["受理时间", "反映人", "事项名称", "承办单位", "转办时间", "办结时间", "满意度"]


@pytest.mark.parametrize("as_csv", [False, True])
def test_a_step_written_as_a_day_on_the_day_it_came_in_is_not_before_it(run, tmp_path, as_csv):
    """受理时间 2026-10-09 15:00, 办结时间 2026-10-09: read as 00:00, the resolution came
    before the receipt and the row was refused — the most common case there is, resolved
    the day it came in. A day alone on that day is at the receipt's time; a time the clerk
    wrote that is earlier is still two dates out of order."""
    rows = [
        [dt.datetime(2026, 10, 9, 15, 0), "张三", "一", "税务", dt.datetime(2026, 10, 9),
         dt.datetime(2026, 10, 9), "满意"],
        [dt.datetime(2026, 10, 12, 9, 30), "李四", "二", "税务", None, "2026-10-12", None],
        # a date typed into a cell formatted with a time, as a CSV saves it
        [dt.datetime(2026, 10, 13, 9, 30), "王五", "三", "税务", None, "2026/10/13 0:00", None],
    ]  # fmt: skip
    if as_csv:
        book = tmp_path / "b.csv"
        book.write_text(as_csv_text(rows, SHORT_HEADER), encoding="utf-8-sig")
    else:
        book = write_book(tmp_path / "b.xlsx", rows, SHORT_HEADER)
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    found = {c["applicant"]: c for c in run("list", "--json").json()}
    assert found["张三"]["resolved_at"] == "2026-10-09 15:00"
    assert found["张三"]["dispatched_at"] == "2026-10-09 15:00"
    assert found["李四"]["resolved_at"] == "2026-10-12 09:30"
    assert found["王五"]["resolved_at"] == "2026-10-13 09:30"
    assert run("check").exit_code == 0
    assert "3 already in the ledger" in run("import", book).stdout  # and again: the same


def test_a_time_written_before_the_receipt_on_its_day_is_still_out_of_order(
    refused_import, tmp_path
):
    rows = [[dt.datetime(2026, 10, 9, 15, 0), "张三", "一", "税务", None, "2026-10-09 10:00", None]]
    problems = refused_import(write_book(tmp_path / "b.xlsx", rows, SHORT_HEADER))
    assert "2026-10-09 10:00" in problems[0] and "before" in problems[0]


def test_a_yearless_slip_of_a_day_is_out_of_order_not_a_year_later(refused_import, run, tmp_path):
    """In a book titled 2025年10月, 受理 10月9日 and 办结 10月8日 (a slip) imported as resolved
    on 2026-10-08, a year late; a December case resolved in January takes the next year."""
    title = "东港区“办不成事”窗口登记台账（2025年10月）"
    slip = [["10月9日", "张三", "一", "税务", None, "10月8日", None]]
    problems = refused_import(write_book(tmp_path / "a.xlsx", slip, SHORT_HEADER, (title,)))
    assert "2025-10-08" in problems[0] and "before" in problems[0]
    december = [["12月30日", "李四", "二", "税务", None, "1月5日", None]]
    book = write_book(tmp_path / "b.xlsx", december, SHORT_HEADER, ("台账（2025年12月）",))
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert run("list", "--json").json()[0]["resolved_at"][:10] == "2026-01-05"


def test_more_header_words_of_real_books(run, tmp_path):
    """手机号码, 办理部门 and 完成时间 were ignored (named), so the case came in with no
    contact, no department and open; a later import with the right words conflicted."""
    header = ["受理时间", "姓名", "手机号码", "事项名称", "办理部门", "完成时间", "满意度"]
    rows = [[dt.datetime(2026, 10, 9, 9, 0), "张三", 13900001111, "一", "税务",
             dt.datetime(2026, 10, 12, 10, 0), "非常满意"]]  # fmt: skip
    result = run("import", write_book(tmp_path / "h.xlsx", rows, header))
    assert result.exit_code == 0, result.stderr
    assert "not imported" not in result.stdout + result.stderr
    case = run("show", "2026-0001", "--json", "--full-contact").json()
    assert (case["contact"], case["department"], case["status"]) == (
        "13900001111",
        "税务",
        "closed",
    )
    assert case["resolved_at"] == "2026-10-12 10:00"
    assert case["satisfaction"] == "satisfied"


@pytest.mark.parametrize(
    ("word", "code"),
    [("非常满意", "satisfied"), ("很满意", "satisfied"), ("较满意", "basic"), ("一般", "basic"),
     ("不太满意", "unsatisfied")],
)  # fmt: skip
def test_a_satisfaction_column_takes_the_book_s_own_words(run, tmp_path, word, code):
    rows = [["2026-10-09 09:00", "张三", "一", "税务", None, "2026-10-12 10:00", word]]
    result = run("import", write_book(tmp_path / "s.xlsx", rows, SHORT_HEADER))
    assert result.exit_code == 0, result.stderr
    assert run("list", "--json").json()[0]["satisfaction"] == code


@pytest.mark.parametrize("cell", ["市场准入、税务", "市场准入/税务", "市场准入，税务"])
def test_a_department_cell_naming_several_says_where_the_others_go(
    refused_import, run, tmp_path, cell
):
    """`市场准入、税务` was told there is no such department, with a suggestion that looked the
    same, and --add-departments made it one department."""
    rows = [["2026-10-09 09:00", "张三", "一", cell, None, None, None]]
    book = write_book(tmp_path / "d.xlsx", rows, SHORT_HEADER)
    for options, lang, said in (
        ((), "en", "names several departments: write the lead alone (e.g. 市场准入)"),
        (
            ("--add-departments",),
            "zh",
            "写了几个单位：只写主办单位（如 市场准入），其余写在“协办单位”列",
        ),
    ):
        problems = refused_import(book, *options, lang=lang)
        assert said in problems[0], problems[0]
    assert "市场准入、税务" not in run("dept", "list").stdout


DECEMBER = [[1, "12月30日", "张三", None, "事项一", None, "窗口", None, "电话解答", "已解决",
             "12-30 10:00", None, None]]  # fmt: skip
JANUARY = [[1, "1月5日", "李四", None, "事项二", None, "窗口", None, "电话解答", "已解决",
            "1-5 10:00", None, None]]  # fmt: skip


def _pasted(header_again: list[str] = HEADER, title: str | None = "登记台账（2026年1月）"):
    """December's book with January's pasted under it: its title (in the 序号 column, where
    a clerk's merged title cell starts) and its header again, an empty row between."""
    between: list[list[object]] = [[None] * 13]
    if title is not None:
        between.append([title] + [None] * 12)
    return [*DECEMBER, *between, list(header_again), *JANUARY]


@pytest.mark.parametrize("as_csv", [False, True])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_two_books_pasted_one_under_the_other(run, tmp_path, as_csv, lang):
    """The header again mid-sheet was read as a case and refused ('bad value 登记日期'),
    and the title above it as a row missing everything; the dates below January's title
    took December's year. The header and its title are skipped and counted, and each
    yearless date takes the year of the nearest title above it."""
    titles = ("登记台账（2025年12月）",)
    if as_csv:
        book = tmp_path / "book.csv"
        book.write_bytes(as_csv_text(_pasted(), titles=titles).encode("gb18030"))
    else:
        book = write_book(tmp_path / "book.xlsx", rows=_pasted(), titles=titles)
    result = run("--lang", lang, "import", book)
    assert result.exit_code == 0, result.stderr
    said = {
        "en": [
            "Skipped 1 empty row and 0 total rows (合计/小计/总计).",
            "Skipped 1 header row repeated below the first and 1 title row above them (two"
            " books pasted one under the other).",
            "2 dates written without a year read as 2025 (the year in the title row).",
            "2 dates written without a year read in the year of the nearest title row above"
            " them (another book pasted below).",
        ],
        "zh": [
            "已跳过空行 1 行、合计/小计/总计行 0 行。",
            "已跳过表中重复出现的表头行 1 行及其上的标题行 1 行（如两个月的台账上下粘贴在一起）。",
            "2 个未写年份的日期按 2025 年读取（标题行中的年份）。",
            "2 个未写年份的日期按其上方最近的标题行中的年份读取（下方粘贴的另一本台账）。",
        ],
    }
    for line in said[lang]:
        assert line in result.stdout.splitlines()
    cases = {c["applicant"]: c for c in run("list", "--json").json()}
    assert set(cases) == {"张三", "李四"}
    assert cases["张三"]["received_at"] == "2025-12-30 00:00"
    assert cases["李四"]["received_at"] == "2026-01-05 00:00"
    assert cases["李四"]["resolved_at"] == "2026-01-05 10:00"


def test_the_year_the_clerk_gives_holds_below_a_later_title(run, tmp_path):
    book = write_book(tmp_path / "book.xlsx", rows=_pasted(title="登记台账（2024年1月）"))
    result = run("import", book, "--year", "2025")
    assert result.exit_code == 0, result.stderr
    assert "4 dates written without a year read as 2025 (--year)" in result.stdout
    assert "nearest title" not in result.stdout
    received = sorted(c["received_at"] for c in run("list", "--json").json())
    assert received == ["2025-01-05 00:00", "2025-12-30 00:00"]


def test_a_header_repeated_in_other_words_without_a_title_is_skipped(run, tmp_path):
    """The second book names its columns in its own words (反映人 for 诉求人, 受理时间 for
    登记日期) and leaves some out: still the header, as each cell names its column."""
    again = ["序号", "受理时间", "反映人", "联系电话", "事项名称", "", "", "", "", "", "", "", ""]
    book = write_book(tmp_path / "book.xlsx", rows=_pasted(again, title=None),
                      titles=("登记台账（2025年12月）",))  # fmt: skip
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert "Skipped 1 header row repeated below the first and 0 title rows" in result.stdout
    assert sorted(c["applicant"] for c in run("list", "--json").json()) == ["张三", "李四"]


def test_a_row_of_column_names_among_values_is_a_case_and_a_lone_cell_a_row(
    refused_import, tmp_path
):
    """Only a row whose every filled cell names its column is the header again: a case whose
    applicant is called 诉求人 is a case, and a row of one cell not over a header is a row of
    the book (refused for what it lacks), named by its own row."""
    named = [2, "10月9日", "诉求人", None, "诉求内容", None, "窗口"] + [None] * 6
    lone = [None, None, "王五"] + [None] * 10
    book = write_book(tmp_path / "book.xlsx", rows=[*BOOK_ROWS[:2], named, lone])
    lines = refused_import(book)
    assert len(lines) == 2 and lines[-1] == "1 bad row; nothing was imported."
    assert lines[0].startswith("row 7: ")  # the lone cell, missing its date and matter
    assert "Received at" in lines[0]


def test_a_note_in_the_number_column_at_the_foot_is_still_an_empty_row(run, tmp_path):
    """A row of one cell in the 序号 column (a footnote 填表人：…, a template's number) is
    held to see whether a header follows; none does, so it stays what it was: empty."""
    rows = [*BOOK_ROWS[:2], ["填表人：王某  审核人：李某"] + [None] * 12, BOOK_ROWS[3],
            ["填表日期：2026年10月31日"] + [None] * 12]  # fmt: skip
    result = run("import", write_book(tmp_path / "foot.xlsx", rows=rows))
    assert result.exit_code == 0, result.stderr
    assert "3 new cases" in result.stdout
    assert "Skipped 1 empty row and 0 total rows" in result.stdout
    assert "header row" not in result.stdout


def test_a_book_s_mobile_numbers_are_kept_as_their_digits(run, tmp_path):
    """A book's 联系方式 typed `139-0000-2222`, in full-width digits or after +86 is the
    number the ledger holds (and a repeat applicant is found by it); an import of the same
    book again finds nothing changed."""
    rows = [list(row) for row in BOOK_ROWS]
    rows[0][3] = "137-0000-1111"
    rows[1][3] = "+86 １３７ ００００ １１１１"
    rows[3][3] = "139 0000 2222"
    book = write_book(tmp_path / "book.xlsx", rows=rows)
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    cases = {c["ref"]: c for c in run("list", "--json", "--full-contact").json()}
    assert cases["1"]["contact"] == cases["2"]["contact"] == "13700001111"
    assert cases["3"]["contact"] == "13900002222"
    again = run("import", book)
    assert again.exit_code == 0 and "0 new cases, 4 already" in again.stdout


@pytest.mark.parametrize(
    "title",
    [
        "登记台账（2025年12月—2026年1月）",
        "2025年12月至2026年2月办不成事台账",
        "2025 年 11 月 - 2026 年 1 月",
    ],
)
def test_a_title_across_the_new_year_gives_the_next_year_to_the_earlier_months(
    run, tmp_path, title
):
    """A title naming two years gave every yearless date the first: January's cases of a
    December–January book were read as a January eleven months before. A date of a month
    before the title's first is of the next year."""
    rows = [[1, "12月30日", "张三", None, "事项一", None, "窗口", None, "电话解答", "已解决",
             "1月4日 10:00", None, None],
            [2, "1月5日", "李四", None, "事项二", None, "窗口", None, "电话解答", "已解决",
             "1-5 10:00", None, None]]  # fmt: skip
    result = run("import", write_book(tmp_path / "book.xlsx", rows=rows, titles=(title,)))
    assert result.exit_code == 0, result.stderr
    cases = {c["applicant"]: c for c in run("list", "--json").json()}
    assert cases["张三"]["received_at"] == "2025-12-30 00:00"
    assert cases["张三"]["resolved_at"] == "2026-01-04 10:00"
    assert cases["李四"]["received_at"] == "2026-01-05 00:00"
    assert cases["李四"]["id"] == "2026-0001"
    first = 11 if "11" in title else 12
    assert (
        f"Of them, 3 read as 2026: the title names the book's months across the new year"
        f" (from {first}/2025), so a date of an earlier month is of the next year."
    ) in result.stdout.splitlines()


def test_a_title_of_one_year_or_of_two_without_months_turns_nothing(run, tmp_path):
    rows = [[1, "1月5日", "李四", None, "事项二", None, "窗口", None, "电话解答", "已解决",
             "1-5 10:00", None, None]]  # fmt: skip
    for title in ("2025年1月至12月台账", "2025年—2026年台账"):
        path = write_book(tmp_path / "book.xlsx", rows=rows, titles=(title,))
        result = run("import", path, "--dry-run")
        assert result.exit_code == 0, result.stderr
        assert "2 dates written without a year read as 2025" in result.stdout
        assert "new year" not in result.stdout


@pytest.mark.parametrize(
    ("word", "code"),
    [("来电", "phone"), ("网站", "online"), ("线上", "online"), ("来访", "window"),
     ("现场", "window"), ("来信", "letter"), ("12345", "hotline")],
)  # fmt: skip
def test_a_channel_in_the_book_s_own_words(run, tmp_path, word, code):
    """受理渠道 来电 or 网站 was refused ('not recognised; use one of …'): the words clerks
    write for a call, the web, a visit and a letter are those channels, typed or imported."""
    rows = [[dt.datetime(2026, 10, 9, 9, 0), "张三", "一", word, None, None, None]]
    header = [*SHORT_HEADER[:3], "受理渠道", *SHORT_HEADER[4:]]  # (in 承办单位's place)
    book = write_book(tmp_path / "book.xlsx", rows=rows, header=header)
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert run("list", "--json").json()[0]["channel"] == code
    typed = run("add", "--applicant", "李四", "--matter", "二", "--channel", word,
                "--at", "2026-10-12 09:00", "--json")  # fmt: skip
    assert typed.exit_code == 0 and typed.json()["channel"] == code


@pytest.mark.parametrize(
    ("name", "delimiter", "encoding", "said"),
    [
        ("台账.txt", "\t", "gb18030", "Columns read as separated by tabs (not commas)."),
        ("台账.csv", "\t", "utf-8-sig", "Columns read as separated by tabs (not commas)."),
        ("台账.csv", ";", "utf-8", "Columns read as separated by semicolons (not commas)."),
    ],
)
def test_a_book_saved_as_text_with_tabs_or_semicolons(
    run, tmp_path, name, delimiter, encoding, said
):
    """WPS's and Excel's 文本文件（制表符分隔） and a European Excel's CSV were told to
    check their header names ('no row with three recognised columns'): their header is
    found split at tabs or semicolons, and the report says how the columns were read."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([TITLE])
    writer.writerow(SHORT_HEADER)
    writer.writerow(["2026-10-09 09:00", "张三", "营业执照, 变更", "税务", "2026-10-09 10:00",
                     None, None])  # fmt: skip
    writer.writerow(["2026-10-12 09:30", "某公司；李四", "一", None, None, None, None])
    book = tmp_path / name
    book.write_bytes(buffer.getvalue().encode(encoding))
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert said in result.stdout.splitlines()
    cases = {c["applicant"]: c for c in run("list", "--json").json()}
    assert cases["张三"]["matter"] == "营业执照, 变更"
    assert cases["张三"]["department"] == "税务"
    assert cases["某公司；李四"]["received_at"] == "2026-10-12 09:30"
    zh = run("--lang", "zh", "import", book)
    assert zh.exit_code == 0
    mark = "制表符" if delimiter == "\t" else "分号"
    assert f"各列按{mark}分隔读取（不是逗号）。" in zh.stdout


def test_a_comma_sheet_with_tabs_and_semicolons_in_it_stays_comma_separated(run, tmp_path):
    """(A title with tabs in it, as pasted from a web page, and semicolons in a matter.)"""
    book = tmp_path / "book.csv"
    book.write_text(
        "东港区\t登记台账\t2026年10月\n" + ",".join(SHORT_HEADER) + "\n"
        '2026-10-09 09:00,张三,"营业执照;变更;补正",税务,2026-10-09 10:00,,\n',
        encoding="utf-8",
    )
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert "separated by" not in result.stdout
    assert run("list", "--json").json()[0]["matter"] == "营业执照;变更;补正"


def test_a_book_s_times_with_their_half_of_the_day(run, tmp_path):
    rows = [["2026-10-09 上午9:30", "张三", "一", "税务", "10月9日 下午2:15", "10月12日下午3时",
             None]]  # fmt: skip
    result = run("import", write_book(tmp_path / "b.xlsx", rows, SHORT_HEADER, (TITLE,)))
    assert result.exit_code == 0, result.stderr
    case = run("list", "--json").json()[0]
    assert case["received_at"] == "2026-10-09 09:30"
    assert case["dispatched_at"] == "2026-10-09 14:15"
    assert case["resolved_at"] == "2026-10-12 15:00"


def _hide(book: Path, rows: list[int]) -> Path:
    from openpyxl import load_workbook

    workbook = load_workbook(book)
    for row in rows:
        workbook.active.row_dimensions[row].hidden = True
    workbook.save(book)
    return book


def test_rows_the_sheet_hides_are_read_and_named(run, tmp_path):
    """A row hidden in the book (a case the clerk put out of sight, perhaps no longer so)
    was imported like the others without a word: it still is, and the report names it.
    A hidden title row above the header is not the book's row: not named."""
    book = _hide(write_book(tmp_path / "book.xlsx"), [1, 4, 7])
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert "4 new cases" in result.stdout
    assert (
        "2 rows the sheet hides were read too (rows 4, 7): check that their cases still hold."
    ) in result.stdout.splitlines()
    zh = run("--lang", "zh", "import", book)
    assert "工作表中隐藏的 2 行也已读取（第 4、7 行）：请确认其中的案件仍然有效。" in zh.stdout
    plain = run("import", write_book(tmp_path / "plain.xlsx"))
    assert "hides" not in plain.stdout


def test_many_hidden_rows_are_named_ten_and_counted(run, tmp_path):
    rows = [[n, f"2026-10-{9 + n % 3} 09:00", f"申请人{n}", None, "事项", None, "窗口", None,
             None, None, None, None, None] for n in range(1, 16)]  # fmt: skip
    book = _hide(write_book(tmp_path / "many.xlsx", rows=rows), list(range(4, 18)))
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert (
        "14 rows the sheet hides were read too (rows 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 and 4"
        " more): check that their cases still hold."
    ) in result.stdout.splitlines()


def test_a_book_s_status_that_says_only_whether_the_case_is_done(run, refused_import, tmp_path):
    """状态 办理中 and 已完成 were refused ('not recognised; use one of 已受理, …'): a book's
    word for a case still being worked on, or done, leaves the status to the row's dates —
    and a row whose dates deny the word is a bad row, named by the book's word."""
    header = "状态,受理时间,反映人,事项名称,承办单位,办结时间,满意度\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(
        header + "办理中,2026-10-09 09:00,戊,五,税务,2026-10-12 10:00,\n"
        "已完成,2026-10-09 09:10,己,六,税务,,\n",
        encoding="utf-8",
    )
    lines = refused_import(bad, lang="zh")
    assert lines[0] == (
        "第2行：状态为“办理中”，但有办结时间 2026-10-12 10:00：请清空该日期或改正状态"
    )
    assert lines[1] == "第3行：状态为“已完成”但没有办结时间，请填写办结时间或改正状态"
    sheet = tmp_path / "book.csv"
    sheet.write_text(
        header + "办理中,2026-10-09 09:00,甲,一,税务,,\n"
        "在办,2026-10-09 09:10,乙,二,,,\n"
        "已完成,2026-10-09 09:20,丙,三,税务,2026-10-12 10:00,\n"
        "已完成,2026-10-09 09:30,丁,四,税务,2026-10-12 10:00,满意\n",
        encoding="utf-8",
    )
    result = run("import", sheet)
    assert result.exit_code == 0, result.stderr
    statuses = {c["applicant"]: c["status"] for c in run("list", "--json").json()}
    assert statuses == {"甲": "dispatched", "乙": "received", "丙": "resolved", "丁": "closed"}


def test_a_case_received_with_a_day_it_was_handed_out_is_a_bad_row(run, refused_import, tmp_path):
    """A book's 已受理 beside a 转办时间 is a state no move makes (an order sent back waits
    classified): it was imported, and its week counted an order of no department."""
    sheet = tmp_path / "received.csv"
    sheet.write_text(
        "受理时间,反映人,事项名称,转办时间,状态\n"
        "2026-11-02 09:00,甲,事项,2026-11-02 10:00,已受理\n",
        encoding="utf-8",
    )
    (line, _summary) = refused_import(sheet)
    assert line == (
        "line 2: Status 'Received' but Dispatched at 2026-11-02 10:00; "
        "clear that date or correct the status"
    )


def test_an_order_sent_back_before_the_book_was_kept_is_no_departments_order(run, tmp_path):
    """The ledger's own export of a case sent back (退单) keeps its day of dispatch beside no
    department; imported, its week listed a work order of a department called `none`."""

    def ok(*args: object) -> str:
        result = run(*args)
        assert result.exit_code == 0, result.stderr
        return result.stdout

    ok("add", "--applicant", "甲", "--matter", "事项", "--at", "2026-11-02 09:00")
    ok("dispatch", "2026-0001", "--dept", "税务", "--at", "2026-11-02 10:00")
    ok("return", "2026-0001", "--reason", "非本单位职责", "--at", "2026-11-03 09:00")
    sheet = tmp_path / "own.csv"
    ok("export", "--out", sheet)
    moved = tmp_path / "moved.db"
    result = run("--db", moved, "import", sheet)
    assert result.exit_code == 0, result.stderr
    figures = run("--db", moved, "weekly", "--week", "2026-W45", "--json").json()
    assert [row["department"] for row in figures["departments"]] == []
    (case,) = run("--db", moved, "list", "--json").json()
    assert (case["status"], case["department"]) == ("classified", None)
    # the morning after the return, both ledgers hand it out again from the window
    here = run("daily", "--date", "2026-11-03", "--json").json()
    there = run("--db", moved, "daily", "--date", "2026-11-03", "--json").json()
    assert there["to_dispatch"] == here["to_dispatch"]
    assert [slip["department"] for slip in there["to_dispatch"]] == [None]
    assert there["unacknowledged"] == []


@pytest.mark.parametrize(
    ("cells", "column", "value"),
    [
        ("税务,满意,,已转办,", "Satisfaction", "满意"),
        (",满意,2026-10-13 10:00,已办结,", "Satisfaction", "满意"),
        (",,2026-10-13 10:00,已办结,电话回访满意", "Follow-up (book)", "电话回访满意"),
    ],
)
def test_a_rating_on_a_case_never_answered_is_a_bad_row(
    refused_import, tmp_path, cells, column, value
):
    """An open or resolved case carried a book's 满意, and 回访情况 电话回访满意 beside
    已办结 reached no field at all: only an answer gives a rating (SPEC §5)."""
    sheet = tmp_path / "rated.csv"
    sheet.write_text(
        "受理时间,反映人,事项名称,承办单位,满意度,办结时间,状态,回访情况\n"
        f"2026-10-12 09:00,甲,事项,{cells}\n",
        encoding="utf-8",
    )
    (line, _summary) = refused_import(sheet)
    assert line.startswith("line 2: Status '") and f"but {column} {value};" in line
    assert line.endswith("set the status to 'Closed (applicant answered)'")


def test_a_note_of_how_the_work_goes_is_no_answer(run, tmp_path):
    """The rule above refused any 回访情况 beside an open status: a note is a note."""
    sheet = tmp_path / "noted.csv"
    sheet.write_text(
        "受理时间,反映人,事项名称,承办单位,状态,回访情况\n"
        "2026-10-12 09:00,甲,事项,税务,已转办,部门正在核实\n",
        encoding="utf-8",
    )
    result = run("import", sheet)
    assert result.exit_code == 0, result.stderr
    (case,) = run("list", "--json").json()
    assert (case["status"], case["satisfaction"]) == ("dispatched", None)


def test_a_book_that_says_only_it_was_answered_imports_as_answered(run, tmp_path):
    """Without a 状态 the same cells tell the case: resolved, then answered and rated."""
    sheet = tmp_path / "told.csv"
    sheet.write_text(
        "受理时间,反映人,事项名称,办结时间,回访情况\n"
        "2026-10-12 09:00,甲,事项,2026-10-13 10:00,电话回访满意\n",
        encoding="utf-8",
    )
    assert run("import", sheet).exit_code == 0
    (case,) = run("list", "--json").json()
    assert (case["status"], case["satisfaction"]) == ("closed", "satisfied")


def _written(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_limit_in_working_days_is_the_class_in_force_when_the_case_came_in(run, tmp_path):
    """`5个工作日` was matched with today's settings: after `limit_standard` became 5 the
    same book conflicted with itself, and a case of 11-20 (standard then 3) read as
    complex."""
    book = _written(
        tmp_path / "book.csv",
        "受理时间,反映人,事项名称,办理时限,承办单位\n"
        "2026-11-20 09:00,丙,事3,5个工作日,税务\n"
        "2026-11-20 09:00,丁,事4,3个工作日,税务\n",
    )

    def classes() -> dict[str, tuple[str, str]]:
        cases = run("list", "--json").json()
        return {c["applicant"]: (c["limit"], c["deadline"]) for c in cases}

    assert run("import", book).exit_code == 0
    # 11-20 is a Friday: three working days to Wednesday 11-25, five to Friday 11-27
    expected = {"丙": ("complex", "2026-11-27"), "丁": ("standard", "2026-11-25")}
    assert classes() == expected
    # a change decided before the cases came in, entered late: the row's days and deadline
    # are what they were; the class is a name, and the book is still no conflict
    late = ("settings", "set", "limit_standard", "4", "--at", "2026-11-01 09:00")
    assert run(*late).exit_code == 0
    again = run("import", book)
    assert again.exit_code == 0, again.stderr
    assert "0 new cases, 2 already in the ledger unchanged" in again.stdout
    assert run("settings", "set", "limit_standard", "5").exit_code == 0
    again = run("import", book)
    assert again.exit_code == 0, again.stderr
    assert "0 new cases, 2 already in the ledger unchanged" in again.stdout
    assert classes() == expected


def test_a_limit_set_later_in_a_new_ledger_does_not_reach_back(run, tmp_path):
    book = _written(
        tmp_path / "book.csv",
        "受理时间,反映人,事项名称,办理时限\n2026-11-20 09:00,丁,事4,3个工作日\n",
    )
    set_at = ("settings", "set", "limit_standard", "5", "--at", "2026-11-26 09:00")
    assert run(*set_at).exit_code == 0
    assert run("import", book).exit_code == 0
    assert run("show", "2026-0001", "--json").json()["limit"] == "standard"


def test_a_due_date_the_book_gives_on_a_day_off_is_the_next_working_day(run, tmp_path):
    """A book's deadline on a Sunday, or in the National Day break, imported as written:
    the case was late a day early and `check` failed on the ledger the import had made."""
    book = _written(
        tmp_path / "book.csv",
        "受理时间,反映人,事项名称,办理期限,办结时间,反馈期限\n"
        "2026-11-20 09:00,戊,事5,2026-11-22,,\n"
        "2026-09-30 09:00,丁,事4,2026-10-03,2026-09-30 16:00,2026-10-04\n",
    )
    first = run("--lang", "zh", "import", book)
    assert first.exit_code == 0, first.stderr
    assert "2 个办理期限或反馈期限落在非工作日，已按下一个工作日读取" in first.stdout
    assert run("check").exit_code == 0
    cases = {c["id"]: c for c in run("list", "--json").json()}
    assert cases["2026-0001"]["deadline"] == "2026-11-23"  # Sunday → Monday
    # resolved: its deadline is its past, as the book says; its answer is still to come,
    # and the break runs to 10-07: 10-08 is its first working day
    assert cases["2026-0002"]["deadline"] == "2026-10-03"
    assert cases["2026-0002"]["feedback_due"] == "2026-10-08"
    assert run("overdue", "--date", "2026-11-23", "--json").json()["cases"] == []
    again = run("import", book)
    assert "0 new cases, 2 already" in again.stdout and "day off" not in again.stdout


def test_a_case_resolved_late_comes_back_late_after_its_deadline_became_a_day_off(run, tmp_path):
    """The ledger's own export of a case resolved a day late, its deadline made a day off
    since, came back on time: the import moved the past deadline to the next working day."""
    for n in (1, 2):
        assert run("add", "--applicant", f"甲{n}", "--matter", "事", "--dept", "税务",
                   "--at", f"2026-11-16 09:0{n}").exit_code == 0  # fmt: skip
        assert run("dispatch", f"2026-000{n}", "--at", f"2026-11-16 10:0{n}").exit_code == 0
    late = ("resolve", "2026-0001", "--method", "m", "--outcome", "o", "--at", "2026-11-20 10:00")
    assert run(*late).exit_code == 0  # due Thursday 11-19: a day late
    on_time = ("resolve", "2026-0002", "--method", "m", "--outcome", "o")
    assert run(*on_time, "--at", "2026-11-18 10:00").exit_code == 0
    assert run("calendar", "holiday", "2026-11-19").exit_code == 0
    week = run("weekly", "--week", "2026-W47", "--json").json()
    sheet = tmp_path / "out.csv"
    assert run("export", "--full-contact", "--out", sheet).exit_code == 0
    other = tmp_path / "other.db"
    assert ledger_cmd(other, "calendar", "holiday", "2026-11-19").returncode == 0
    assert ledger_cmd(other, "import", sheet).returncode == 0
    came_back = ledger_cmd(other, "weekly", "--week", "2026-W47", "--json")
    assert json.loads(came_back.stdout)["on_time_rate"] == week["on_time_rate"] == 0.5


def test_a_due_date_whose_next_working_day_is_past_the_last_year_is_a_bad_row(
    run, refused_import, tmp_path
):
    book = _written(
        tmp_path / "far.csv",
        "受理时间,反映人,事项名称,办理期限\n2026-11-21 09:00,己公司,事项六,2200-12-31\n",
    )
    assert run("calendar", "holiday", "2200-12-31").exit_code == 0
    result = run("import", book)
    assert result.exit_code == 1
    assert "the next working day 2201-01-01 is past 2200" in result.stderr
    assert result.stderr.count("2201-01-01") == 1


def test_a_class_the_book_names_in_its_own_column_is_still_compared(run, tmp_path):
    head = "受理时间,反映人,事项名称,时限类别,办理时限\n"
    row = "2026-11-20 09:00,丁,事4,{},3个工作日\n"
    book = _written(tmp_path / "a.csv", head + row.format("应办未办"))
    assert run("import", book).exit_code == 0
    changed = _written(tmp_path / "b.csv", head + row.format("复杂"))
    result = run("import", changed)
    assert result.exit_code == 1 and "different content" in result.stderr


def test_a_book_of_thousands_of_unknown_columns_names_ten_and_counts_the_rest(run, tmp_path):
    """A sheet of the four columns and 20,000 more printed one line of 208,929 characters."""
    extra = [f"附加{n}" for n in range(20_000)]
    book = _book(
        tmp_path,
        "wide.csv",
        ",".join(["受理时间", "反映人", "事项名称", *extra]) + "\n2026-10-09,张三,营业执照\n",
    )
    for lang, more in (("en", " and 19990 more"), ("zh", " 等，另有 19990 个")):
        result = run("--lang", lang, "import", book, "--dry-run")
        assert result.exit_code == 0, result.stderr
        (line,) = [ln for ln in result.stderr.splitlines() if "附加0" in ln]
        assert line.endswith("附加9" + more) and len(line) < 200, line


def _part_edited(book: Path, part: str, edit) -> None:
    """One part of a workbook's zip rewritten by `edit` (bytes to bytes)."""
    temporary = book.with_suffix(".tmp")
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(temporary, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, edit(data) if item.filename == part else data)
    temporary.replace(book)


def _dated_book(tmp_path: Path, value: float, number_format_id: int) -> Path:
    """A book whose 登记日期 cell holds `value` in a built-in number format, as a Chinese
    Excel or WPS saves `2026年10月9日` (31), `2026年10月` (57), `10月9日` (58)."""
    rows = [[1, value, "张三", None, "营业执照变更"] + [None] * 8]
    book = write_book(tmp_path / f"book-{number_format_id}.xlsx", rows=rows, titles=(TITLE,))
    from openpyxl import load_workbook

    wb = load_workbook(book)
    wb["10月"]["B3"].number_format = "0.00"  # built-in 2, renumbered below
    wb.save(book)
    _part_edited(
        book,
        "xl/styles.xml",
        lambda xml: xml.replace(b'numFmtId="2"', f'numFmtId="{number_format_id}"'.encode()),
    )
    return book


@pytest.mark.parametrize("number_format_id", [14, 22, 27, 31, 36, 50, 57, 58])
def test_a_date_in_a_chinese_excels_own_date_format_is_read_as_a_date(
    run, tmp_path, number_format_id
):
    """The cell showed `2026年10月9日` in the book; openpyxl knows no East Asian built-in
    date format, and the row was refused: "登记日期 “46304.375” is not a valid date"."""
    book = _dated_book(tmp_path, 46304.375, number_format_id)  # 2026-10-09 09:00
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert run("list", "--json").json()[0]["received_at"] == "2026-10-09 09:00"


def test_a_date_cell_past_any_date_is_named_by_its_number_not_as_an_error_value(
    refused_import, tmp_path
):
    """openpyxl makes such a cell the error #VALUE!, which the book does not hold: the line
    said the cell was a formula that failed."""
    book = _dated_book(tmp_path, 9999999, 31)
    (line,) = [ln for ln in refused_import(book) if ln.startswith("row")]
    assert "'9999999' is not a valid date" in line, line
    assert "#VALUE!" not in line and "formula" not in line


def test_a_text_formula_never_saved_is_unsaved_and_one_saved_empty_is_empty(run, tmp_path):
    """`<c t="str"><f>…</f></c>` (no value at all) was read as empty: the contact dropped
    without a word, the applicant "missing". Saved with an empty value it is empty."""
    rows = [[1, dt.datetime(2026, 10, 9), "张三", "=TEXT(13800001111,\"0\")", "营业执照"]
            + [None] * 8]  # fmt: skip
    for saved, code in ((b"", 1), (b"<v></v>", 0)):
        book = write_book(tmp_path / f"book{code}.xlsx", rows=rows, titles=(TITLE,))
        _part_edited(
            book,
            "xl/worksheets/sheet1.xml",
            lambda xml, saved=saved: re.sub(
                rb'<c r="D3"([^>]*)><f>([^<]*)</f>(?:<v\s*/>|<v></v>)?</c>',
                lambda m: b'<c r="D3" t="str"><f>' + m[2] + b"</f>" + saved + b"</c>",
                xml,
            ),
        )
        result = run("import", book)
        assert result.exit_code == code, result.stderr
        if code:
            assert "formula saved without its value" in result.stderr
        else:
            assert run("list", "--json").json()[0]["contact"] is None


def test_a_true_or_false_cell_reads_as_excel_shows_it(run, tmp_path):
    """A boolean cell (a 是否 column typed TRUE) was imported as Python's `True`."""
    rows = [[1, dt.datetime(2026, 10, 9), "张三", None, "营业执照", True] + [None] * 7]
    book = write_book(tmp_path / "book.xlsx", rows=rows, titles=(TITLE,))
    assert run("import", book).exit_code == 0
    assert run("list", "--json").json()[0]["applicant"] == "张三"
    from ledger.workbooks import cell_text

    assert (cell_text(True), cell_text(False)) == ("TRUE", "FALSE")


@pytest.mark.parametrize("row", ["1048577", "2000000"])
def test_a_row_numbered_past_excels_last_is_refused(refused_import, tmp_path, row):
    """A sheet whose second row said `r="99999999999"` kept `import` reading empty rows for
    hours (openpyxl hands over each one up to it): no spreadsheet writes such a row, and the
    reading stops at Excel's last."""
    book = write_book(
        tmp_path / "book.xlsx", rows=[[1, "2026-10-09", "张三", None, "营业执照"]], titles=()
    )
    _part_edited(
        book,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<row r="2"', f'<row r="{row}"'.encode()).replace(
            b' r="A2"', f' r="A{row}"'.encode()
        ),
    )
    assert refused_import(book) == [
        f"The file {book} is not an Excel workbook (.xlsx) or is damaged (a row is numbered "
        "past Excel's last row, 1,048,576); open it in Excel or WPS, save it again as .xlsx "
        "and import that"
    ]
