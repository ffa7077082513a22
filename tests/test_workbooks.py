"""SPEC §7 "Excel workbooks": `export --out FILE.xlsx`, `weekly --csv FILE.xlsx` and
`import FILE.xlsx` — real workbooks whose text can never run as a formula, read without ever
evaluating one, refused in one line when they are not workbooks at all."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import digest
from test_books import with_cached_formula
from test_sheets import build_every_status, cases_of

# what a hostile sheet puts in a cell, hoping a spreadsheet runs it (DDE, a link, an error)
FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x","点我")', "+1+2", "-3", "@SUM(A1)"]


def load(path: Path):
    from openpyxl import load_workbook

    return load_workbook(path)  # not read-only: styles, widths and panes are wanted here


def test_export_writes_a_real_workbook(run, tmp_path):
    build_every_status(run)
    run("add", "--applicant", "#N/A", "--matter", FORMULAS[0], "--at", "2026-10-09 10:00")
    out = tmp_path / "cases.xlsx"
    result = run("--lang", "zh", "export", "--out", out)
    assert result.exit_code == 0, result.stderr
    assert "已导出 7 件" in result.stdout
    sheet = load(out).active
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["案件编号", "状态", "受理时间", "受理渠道"]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert len(rows) == 7
    column = {name: index for index, name in enumerate(header)}
    # dates as dates, times as datetimes, shown in ISO form
    received = rows["2026-0001"][column["受理时间"]]
    assert received.value == dt.datetime(2026, 10, 9, 9, 0)
    assert received.number_format == "yyyy-mm-dd hh:mm"
    deadline = rows["2026-0001"][column["办理期限"]]
    expected = run("show", "2026-0001", "--json").json()["deadline"]
    assert deadline.is_date and deadline.value.date().isoformat() == expected
    assert deadline.number_format == "yyyy-mm-dd"
    # every text cell is text, whatever it starts with
    texts = [cell for row in rows.values() for cell in row if isinstance(cell.value, str)]
    assert all(cell.data_type == "s" for cell in texts)
    matter = rows["2026-0007"][column["事项名称"]]
    assert (matter.value, matter.data_type) == (FORMULAS[0], "s")
    applicant = rows["2026-0007"][column["反映人"]]
    assert (applicant.value, applicant.data_type) == ("#N/A", "s")
    assert rows["2026-0001"][column["反映人"]].value == "@某公司"  # as stored, no `'`
    # contacts masked, as in CSV
    contacts = {row[column["联系电话"]].value for row in rows.values()}
    assert "+85****4567" in contacts
    assert not any("9123 4567" in str(cell.value) for row in rows.values() for cell in row)


def test_no_cell_of_an_export_is_a_formula_in_the_file_itself(run, tmp_path):
    for text in FORMULAS:
        result = run("add", "--applicant", text, "--matter", text, "--at", "2026-10-09 10:00")
        assert result.exit_code == 0, result.stderr
    out = tmp_path / "cases.xlsx"
    assert run("export", "--out", out).exit_code == 0
    with zipfile.ZipFile(out) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in xml and "<f " not in xml  # no formula element anywhere
    sheet = load(out).active
    found = {cell.value: cell.data_type for row in sheet.iter_rows(min_row=2) for cell in row}
    for text in FORMULAS:
        assert found[text] == "s", text


def test_columns_are_sized_to_their_text_with_chinese_counted_double(run, tmp_path):
    run("add", "--applicant", "某某某某某某某某某某某某有限公司", "--matter", "x" * 12)
    out = tmp_path / "cases.xlsx"
    run("--lang", "en", "export", "--out", out)
    sheet = load(out).active
    header = [cell.value for cell in sheet[1]]
    width = {
        name: sheet.column_dimensions[chr(ord("A") + index)].width
        for index, name in enumerate(header[:8])
    }
    # 16 Chinese characters are 32 columns wide; twelve x's are 12, the header 'Matter' 6
    assert width["Applicant"] >= 32
    assert 12 <= width["Matter"] < 20
    assert width["Received at"] >= len("2026-10-14 09:30")


def test_text_wider_than_its_column_or_of_several_lines_wraps_in_it(run, tmp_path):
    from ledger.workbooks import MAX_WIDTH

    long_cause = "申请人多次到窗口提交材料，" * 4  # 104 columns: wider than any column
    run(
        "add",
        "--applicant",
        "张三",
        "--matter",
        "营业执照",
        "--cause",
        long_cause,
        "--at",
        "2026-10-12 09:00",
    )
    run(
        "add",
        "--applicant",
        "李四",
        "--matter",
        "备案",
        "--cause",
        "第一次：材料不全\n第二次：未受理",
    )
    run("add", "--applicant", "王五", "--matter", "年检", "--cause", "短")
    out = tmp_path / "cases.xlsx"
    assert run("--lang", "en", "export", "--out", out).exit_code == 0
    sheet = load(out).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("Cause")
    causes = {row[column].value: row[column] for row in sheet.iter_rows(min_row=2)}
    assert sheet.column_dimensions[chr(ord("A") + column)].width == MAX_WIDTH
    assert causes[long_cause].alignment.wrap_text is True
    assert causes["第一次：材料不全\n第二次：未受理"].alignment.wrap_text is True
    assert not causes["短"].alignment.wrap_text
    assert not sheet.cell(row=2, column=header.index("Applicant") + 1).alignment.wrap_text
    # each such row is as tall as its lines (LibreOffice and WPS show only the first line of a
    # row whose height is left to them): two for the long cause, two for the two lines
    heights = {row[column].value: sheet.row_dimensions[row[column].row].height
               for row in sheet.iter_rows(min_row=2)}  # fmt: skip
    assert heights[long_cause] == heights["第一次：材料不全\n第二次：未受理"] == 32
    assert heights["短"] is None


def test_a_full_export_comes_back_field_for_field(run, ledger_file, tmp_path):
    build_every_status(run)
    out = tmp_path / "cases.xlsx"
    assert run("export", "--full-contact", "--out", out).exit_code == 0
    other = tmp_path / "other.db"
    imported = run("--db", other, "import", out)
    assert imported.exit_code == 0, imported.stderr
    assert "6 new" in imported.stdout
    assert cases_of(run, ledger_file) == cases_of(run, other)
    timeline = run("--db", other, "show", "2026-0003", "--json").json()["timeline"]
    assert [e["action"] for e in timeline] == ["imported"]
    assert run("--db", other, "check").exit_code == 0
    before = digest(other)
    again = run("--db", other, "import", out)
    assert "0 new cases, 6 already" in again.stdout
    assert digest(other) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_round_trip_holds_in_either_language(run, ledger_file, tmp_path, lang):
    build_every_status(run)
    out = tmp_path / "cases.xlsx"
    assert run("--lang", lang, "export", "--full-contact", "--out", out).exit_code == 0
    other = tmp_path / "other.db"
    assert run("--db", other, "import", out).exit_code == 0
    assert cases_of(run, ledger_file) == cases_of(run, other)


def test_a_masked_export_does_not_make_new_cases(run, tmp_path, ledger_file):
    build_every_status(run)
    out = tmp_path / "cases.xlsx"
    run("export", "--out", out)
    # into the same ledger: masked contacts equal the stored ones under the mask
    same = run("import", out)
    assert same.exit_code == 0 and "0 new cases, 6 already" in same.stdout
    other = tmp_path / "other.db"
    refused = run("--db", other, "import", out)
    assert refused.exit_code == 1 and "is masked" in refused.stderr
    assert refused.stderr.splitlines()[0].startswith("row ")


def test_the_weekly_workbook_has_figures_breakdowns_departments_and_a_chart(run, tmp_path):
    run("import", Path(__file__).parent.parent / "sample_data" / "cases.csv")
    out = tmp_path / "week.xlsx"
    period = ("--from", "2026-10-08", "--to", "2026-10-14")
    result = run("--lang", "zh", "weekly", *period, "--csv", out)
    assert result.exit_code == 0, result.stderr
    figures = run("weekly", *period, "--json").json()
    sheet = load(out).active
    cells = {}
    for row in sheet.iter_rows():
        if row[0].value is not None:
            cells.setdefault(row[0].value, row)
    # Thursday to Wednesday is no week: the sheet is named 统计报表; the title is one text
    # over the empty cells beside it, in no column's width
    assert sheet["A1"].value == "统计报表 · 2026-10-08 至 2026-10-14 · 办不成事反映窗口"
    assert sheet["B1"].value is None and sheet["A1"].font.b
    # printed: landscape, one page wide, the charts under the tables (beside them, they
    # spilled onto pages of their own)
    assert sheet.page_setup.orientation == "landscape"
    # a scale, not "fit to one page wide": Excel leaves out manual page breaks under fit-to
    assert (
        not sheet.sheet_properties.pageSetUpPr or not sheet.sheet_properties.pageSetUpPr.fitToPage
    )
    assert 10 <= int(sheet.page_setup.scale) <= 100
    last_row = max(row[0].row for row in sheet.iter_rows() if any(c.value for c in row))
    anchors = [chart.anchor._from for chart in sheet._charts]
    assert all(a.col == 0 and a.row >= last_row for a in anchors), anchors
    # two charts a page, each page of them begun by a break (a chart was cut across pages)
    breaks = sorted(b.id for b in sheet.row_breaks.brk)
    assert breaks == [anchors[0].row, anchors[2].row], (breaks, anchors)
    # the bars' names as text, every one labelled (read as numbers, LibreOffice left some out)
    for chart in sheet._charts:
        assert chart.series[0].cat.strRef is not None and chart.x_axis.tickLblSkip == 1
    assert cells["受理件数"][1].value == figures["received"]
    rate = cells["按期办结率"][1]
    assert rate.value == pytest.approx(figures["on_time_rate"])
    assert rate.number_format == "0.0%"
    for heading in ("按科室类别", "按承办单位", "按问题类型", "按受理渠道", "各承办单位办理情况"):
        assert cells[heading][0].font.b, heading
    assert cells["承办单位"][5].value == "按期率"  # the department table's header
    charts = sheet._charts
    assert len(charts) == 4
    assert all(type(chart).__name__ == "BarChart" for chart in charts)
    with zipfile.ZipFile(out) as book:
        drawn = [n for n in book.namelist() if n.startswith("xl/charts/chart")]
        assert len(drawn) == 4
        assert b"<barChart>" in book.read(drawn[0])  # the default namespace: DrawingML chart


def test_the_weekly_csv_shows_rates_as_percentages(run, tmp_path):
    run("import", Path(__file__).parent.parent / "sample_data" / "cases.csv")
    out = tmp_path / "week.csv"
    run("weekly", "--from", "2026-10-08", "--to", "2026-10-14", "--csv", out)
    text = out.read_bytes().decode("utf-8-sig")
    figures = run("weekly", "--from", "2026-10-08", "--to", "2026-10-14", "--json").json()
    assert f"On-time rate,{figures['on_time_rate']:.1%}" in text
    assert 0 <= figures["on_time_rate"] <= 1  # JSON keeps the fraction


NOT_WORKBOOKS = [
    ("csv-named-xlsx", "受理时间,反映人,事项名称\n2026-10-09,张三,事项\n".encode("gbk")),
    ("zip-of-nothing", None),
    ("cut-short", "half"),
    ("binary", b"\x00\x01\x02\xff" * 100),
]


@pytest.mark.parametrize(("name", "content"), NOT_WORKBOOKS, ids=[n for n, _ in NOT_WORKBOOKS])
def test_a_file_that_is_not_really_a_workbook_is_one_line(refused, tmp_path, name, content):
    book = tmp_path / "book.xlsx"
    if content is None:
        with zipfile.ZipFile(book, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")
    elif content == "half":
        from test_books import write_book

        whole = write_book(tmp_path / "whole.xlsx").read_bytes()
        book.write_bytes(whole[: len(whole) // 2])
    else:
        book.write_bytes(content)
    line = refused("import", book, message="is not an Excel workbook (.xlsx) or is damaged")
    assert "--encoding" not in line and "save it again as .xlsx" in line


def test_an_old_xls_file_is_named_as_such(refused, tmp_path):
    book = tmp_path / "book.xls"
    book.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    refused("import", book, message="old Excel format (.xls)")


@pytest.mark.parametrize("name", ["book.xlsx", "book.csv"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_workbook_with_a_password_is_named_as_such(refused, tmp_path, name, lang):
    """A workbook saved with a password to open it (a real one: the password is 1234) wears
    the old format's first bytes; it was told to save itself as .xlsx, which it already is."""
    book = tmp_path / name
    book.write_bytes((Path(__file__).parent / "data" / "locked-1234.xlsx").read_bytes())
    line = refused("--lang", lang, "import", book)
    expected = "with a password to open it" if lang == "en" else "设了打开密码的工作簿"
    assert expected in line and ".xls" not in line.replace(name, "")


def test_a_workbook_saved_under_another_name_is_read_as_one(run, tmp_path):
    from test_books import check_the_book, write_book

    book = write_book(tmp_path / "book.xlsx")
    renamed = book.rename(tmp_path / "book.csv")
    check_the_book(run, run("import", renamed))


def test_sheet_is_for_workbooks_only(refused, tmp_path):
    sheet = tmp_path / "book.csv"
    sheet.write_text("受理时间,反映人,事项名称\n2026-10-09,张三,事项\n", encoding="utf-8")
    refused("import", sheet, "--sheet", "Sheet1", message="--sheet is for Excel workbooks")


def test_workbook_outputs_follow_the_output_rules(refused, run, tmp_path, ledger_file):
    run("add", "--applicant", "张三", "--matter", "事项")
    (ledger_file.parent / "backups").mkdir(exist_ok=True)
    refused("export", "--out", ledger_file.parent / "backups" / "x.xlsx", message="backups")
    refused("export", "--out", tmp_path / "missing" / "x.xlsx", message="does not exist")
    refused("weekly", "--week", "2026-W41", "--csv", tmp_path, message="folder")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_a_workbook_is_private_and_replaced_whole(run, tmp_path):
    run("add", "--applicant", "张三", "--matter", "事项")
    out = tmp_path / "cases.xlsx"
    out.write_bytes(b"old")
    assert run("export", "--out", out).exit_code == 0
    assert out.stat().st_mode & 0o777 == 0o600
    assert zipfile.is_zipfile(out)
    assert not list(tmp_path.glob("*.partial"))


def test_openpyxl_is_loaded_only_when_a_workbook_is_touched():
    probe = (
        "import sys, ledger.cli, ledger.sheets, ledger.workbooks\nprint('openpyxl' in sys.modules)"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert loaded.stdout.strip() == "False", loaded.stdout + loaded.stderr


def test_a_text_too_long_for_a_cell_is_refused_not_cut(run, refused, tmp_path, ledger_file):
    """Excel holds 32,767 characters in a cell and openpyxl would cut the rest without a
    word: the export says so and writes nothing; a CSV keeps the text whole."""
    matter = "事" * 40_000
    run("add", "--applicant", "张三", "--matter", matter, "--at", "2026-10-12 09:00")
    out = tmp_path / "a.xlsx"
    line = refused("export", "--out", out, message="32767")
    assert ".csv" in line and not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".a")] == []
    csv_out = tmp_path / "a.csv"
    assert run("export", "--out", csv_out).exit_code == 0
    assert matter in csv_out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("command", [("export", "--out"), ("weekly", "--csv")])
def test_a_macro_workbook_is_never_written(refused, tmp_path, command):
    out = tmp_path / "a.xlsm"
    refused(*command, out, message=".xlsx only")
    assert not out.exists()


@pytest.mark.parametrize("command", [("export", "--out"), ("weekly", "--csv")])
@pytest.mark.parametrize("name", ["a.xls", "A.XLS"])
def test_an_old_xls_workbook_is_never_written(refused, tmp_path, command, name):
    """CSV once went out under an .xls name: Excel warns that the file is not what it says."""
    out = tmp_path / name
    refused(*command, out, message="does not write old .xls workbooks")
    assert not out.exists()


@pytest.mark.parametrize("command", [("export", "--out"), ("weekly", "--csv")])
@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("a.ods", "does not write .ods spreadsheets"),
        ("a.ET", "does not write .et spreadsheets"),
        ("a.numbers", "does not write .numbers spreadsheets"),
        ("a.xlsx ", "ends in a space or a dot"),
        ("a.csv.", "ends in a space or a dot"),
        ("a.ots", "does not write .ots spreadsheets"),
    ],
)
def test_csv_is_never_written_under_another_spreadsheets_name(
    refused, tmp_path, command, name, said
):
    """`--csv "w.xlsx "` wrote CSV, which Windows then saved as w.xlsx; `.ods` got CSV too."""
    out = tmp_path / name
    refused(*command, out, message=said)
    assert list(tmp_path.iterdir()) == [tmp_path / "ledger.db"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_empty_db_path_is_said_plainly(refused, lang):
    line = refused("--lang", lang, "--db", "", "list", code=2)
    assert ("--db" in line) and ("空" in line if lang == "zh" else "empty" in line)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("export", "--out", "{tmp}/all.xlsx", "--encoding", "gb18030"), "is an Excel workbook"),
        (("weekly", "--week", "2026-W42", "--csv", "{tmp}/w.xlsx", "--encoding", "utf-8"),
         "is an Excel workbook"),
        (("weekly", "--week", "2026-W42", "--encoding", "gb18030"), "no file was given"),
        (("export", "--encoding", "latin-1"), "Unknown encoding 'latin-1'"),
    ],
)  # fmt: skip
def test_an_encoding_with_no_csv_to_follow_it_is_refused(refused, run, tmp_path, args, message):
    """`--encoding` once went unheeded beside a workbook (or with no `--csv` at all), exit 0:
    the clerk would believe the file was written as asked."""
    run("add", "--applicant", "甲", "--matter", "营业执照", "--at", "2026-10-12 09:00")
    # an option that needs another one left out: a command line that cannot be read (exit 2)
    code = 2 if message == "no file was given" else 1
    refused(*(a.format(tmp=tmp_path) for a in args), code=code, message=message)
    assert not list(tmp_path.glob("*.xlsx"))


def test_an_encoding_is_read_whatever_its_case(run, tmp_path):
    run("add", "--applicant", "甲", "--matter", "营业执照", "--at", "2026-10-12 09:00")
    out = tmp_path / "all.csv"
    assert run("export", "--out", out, "--encoding", "GB18030").exit_code == 0
    assert "营业执照".encode("gb18030") in out.read_bytes()
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_emoji_count_double_toward_a_cells_limit(run, refused, tmp_path):
    """Excel counts UTF-16 units: 20,000 emoji are 40,000 of them, over its 32,767."""
    run("add", "--applicant", "张三", "--matter", "😀" * 20_000, "--at", "2026-10-12 09:00")
    refused("export", "--out", tmp_path / "a.xlsx", message="40000")
    run("edit", "2026-0001", "--matter", "😀" * 16_000)  # 32,000 units: it fits
    assert run("export", "--out", tmp_path / "b.xlsx").exit_code == 0


def _book(path: Path, rows: list[list], chart_first: bool = False, errors=()) -> Path:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart

    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    for row in rows:
        sheet.append(row)
    for ref in errors:  # what Excel saves for a formula that failed
        sheet[ref].data_type = "e"
    if chart_first:
        book.create_chartsheet("图表", 0).add_chart(BarChart())
    book.save(path)
    return path


HEADER = ["受理时间", "反映人", "联系电话", "事项名称", "承办单位"]


def test_a_chart_sheet_is_passed_over_for_the_first_sheet_of_rows(run, refused, tmp_path):
    book = _book(
        tmp_path / "c.xlsx", [HEADER, ["2026-10-09", "张三", "13900001111", "一", "税务"]], True
    )
    refused("import", book, "--sheet", "图表", message="is a chart")
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert "1 new" in result.stdout and "数据" in result.stdout


def test_an_excel_error_cell_is_a_problem_of_its_row_not_its_text(run, tmp_path):
    rows = [
        HEADER,
        ["2026-10-09", "#N/A", "13900001111", "#REF!", "税务"],
        ["2026-10-09", "李四", "13900002222", "#DIV/0!", "税务"],
    ]
    book = _book(tmp_path / "e.xlsx", rows, errors=("B2", "D2", "D3"))
    result = run("import", book)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    problems = result.stderr.splitlines()
    assert problems[0].startswith("row 2:") and problems[0].count("Excel's error value") == 2
    assert "#N/A" in problems[0] and "#REF!" in problems[0] and "missing" not in problems[0]
    assert problems[1].startswith("row 3:") and "#DIV/0!" in problems[1]
    # the same words typed as text are text: an export of them comes back unchanged
    run("add", "--applicant", "#N/A", "--matter", "#REF!", "--at", "2026-10-09 10:00")
    out = tmp_path / "x.xlsx"
    assert run("export", "--full-contact", "--out", out).exit_code == 0
    again = run("import", out)
    assert again.exit_code == 0 and "1 already in the ledger" in again.stdout


def test_a_sheet_is_found_by_its_closest_name(run, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    for title, applicant in (("10月 ", "甲"), ("10月", "乙")):
        sheet = book.create_sheet(title)
        sheet.append(HEADER)
        sheet.append(["2026-10-09", applicant, "13900001111", "一", "税务"])
    path = tmp_path / "s.xlsx"
    book.save(path)
    assert run("import", path, "--sheet", " 10月").exit_code == 0
    assert [c["applicant"] for c in run("list", "--json").json()] == ["乙"]


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("separator", [",", "\t"])
def test_a_utf16_sheet_is_named_with_the_way_to_save_it(
    refused, tmp_path, bom, encoding, separator
):
    """Excel's "Unicode text" is UTF-16, tab-separated, with its byte-order mark; a sheet
    without the mark is named too, Chinese header first (few zero bytes) or not."""
    sample = (Path(__file__).parent.parent / "sample_data" / "cases.csv").read_text(
        encoding="utf-8-sig"
    )
    text = ("\ufeff" if bom else "") + sample.replace(",", separator)
    path = tmp_path / "u.csv"
    path.write_bytes(text.encode(encoding))
    for extra in ((), ("--encoding", "gb18030")):
        refused("import", path, *extra, message="CSV UTF-8")


def test_an_error_cell_in_the_header_is_named_as_excel_shows_it(run, tmp_path):
    book = _book(
        tmp_path / "h.xlsx",
        [[*HEADER, "#N/A"], ["2026-10-09", "张三", "13900001111", "一", "税务", ""]],
        errors=("F1",),
    )
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    said = result.stdout + result.stderr
    assert "#N/A" in said and "\x00" not in said and "\u2400" not in said


def test_a_hidden_first_sheet_is_not_the_one_read(run, refused, tmp_path, ledger_file):
    """A book often keeps a hidden template or list of values first; the clerk sees the
    first visible sheet, and that is the one read. A sheet without a header is named, with
    the workbook's sheets and `--sheet`."""
    from openpyxl import Workbook

    book = Workbook()
    template = book.active
    template.title = "模板"
    template.append(HEADER)
    template.append(["2026-09-01", "示例人", "13800000000", "示例事项", "市场准入"])
    template.sheet_state = "hidden"
    month = book.create_sheet("10月")
    month.append(HEADER)
    month.append(["2026-10-09", "周八", "13812340002", "营业执照", "市场准入"])
    book.save(tmp_path / "hidden.xlsx")
    result = run("import", tmp_path / "hidden.xlsx")
    assert result.exit_code == 0, result.stderr
    assert "10月" in result.stdout
    assert [c["applicant"] for c in run("list", "--json").json()] == ["周八"]
    notes = Workbook()
    notes.active.title = "说明"
    notes.active.append(["本表按月登记"])
    notes.create_sheet("10月").append(HEADER)
    notes.save(tmp_path / "notes.xlsx")
    refused("import", tmp_path / "notes.xlsx", message="说明")
    refused("import", tmp_path / "notes.xlsx", message="--sheet")


def test_cells_merged_down_are_read_on_every_row_they_cover(run, tmp_path):
    """One department, one resolution date written once for three rows (merged down): Excel
    shows them on every row, and the clerk means every row. A title merged across the top
    stays a title, and a 合计 merged across its row stays a total."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["东港区“办不成事”窗口登记台账（2026年10月）"])
    sheet.append(["序号", "受理时间", "反映人", "联系电话", "事项名称", "承办单位", "办结时间",
                  "处理结果"])  # fmt: skip
    sheet.append([1, "2026-10-09", "周八", "13812340002", "一", "市场准入", "2026-10-12", "已办"])
    sheet.append([2, "2026-10-09", "周九", "13812340003", "二", None, None, None])
    sheet.append([3, "2026-10-10", "周十", "13812340004", "三", None, None, None])
    sheet.append([4, "2026-10-10", "吴一", "13812340005", "四", "税务", None, None])
    sheet.append(["合计"])
    for ref in ("A1:H1", "F3:F5", "G3:G5", "H3:H5", "A7:E7"):
        sheet.merge_cells(ref)
    book.save(tmp_path / "merged.xlsx")
    result = run("import", tmp_path / "merged.xlsx")
    assert result.exit_code == 0, result.stderr
    assert "1 total" in result.stdout
    cases = {c["applicant"]: c for c in run("list", "--json").json()}
    for name in ("周八", "周九", "周十"):
        assert cases[name]["department"] == "市场准入", name
        assert cases[name]["resolved_at"] == "2026-10-12 00:00", name
        assert cases[name]["outcome"] == "已办", name
    assert cases["吴一"]["department"] == "税务" and cases["吴一"]["resolved_at"] is None


def test_a_merged_block_leaves_its_spare_lines_empty(run, tmp_path):
    """A template's merged column runs past the last case over spare lines: those stay empty
    rows (they once took the merged value and became bad rows, refusing the whole book)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["受理时间", "反映人", "事项名称", "承办单位", "备注"])
    sheet.append(["2026-10-13", "张三", "营业执照", "市场准入", "同批"])
    sheet.append(["2026-10-13", "李四", "食品经营许可", None, None])
    sheet.append([None, " ", None, None, None])  # a space left in a spare line
    sheet.append([None] * 5)
    sheet.merge_cells("D2:D5")
    sheet.merge_cells("E2:E5")

    book.save(tmp_path / "spare.xlsx")
    result = run("import", tmp_path / "spare.xlsx")
    assert result.exit_code == 0, result.stderr
    assert "2 new" in result.stdout
    assert {c["department"] for c in run("list", "--json").json()} == {"市场准入"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_file_that_is_no_workbook_is_said_so_in_the_interface_language(run, tmp_path, lang):
    """openpyxl's and zipfile's own words ("File is not a zip file", "File contains no valid
    workbook part") reached a Chinese clerk in English, once as a disk's error."""
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    document = tmp_path / "letter.docx"
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<x/>")
    said = {
        "zh": ("不是压缩包格式", "是压缩包，但其中没有工作簿"),
        "en": ("not a zip archive", "a zip archive with no workbook in it"),
    }[lang]
    for path, detail in zip((fake, document), said, strict=True):
        result = run("--lang", lang, "import", path)
        assert result.exit_code == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and detail in lines[0], lines
        assert "zip file" not in lines[0] and "workbook part" not in lines[0]


def test_the_weekly_workbook_heads_every_part_and_says_none_where_empty(run, tmp_path):
    """The cannot-be-done rows had no heading row, and a part with nothing in it (the
    departments under an alarm line, a quiet week's departments) was a bare title."""
    from openpyxl import load_workbook

    book = Path(__file__).parent.parent / "sample_data" / "cases.csv"
    assert run("import", book).exit_code == 0
    quiet = ("各承办单位办理情况", "低于警戒线的单位", "按科室类别", "按受理渠道")
    for week, empty in (("2026-W41", ()), ("2026-W37", quiet)):
        out = tmp_path / f"{week}.xlsx"
        assert run("--lang", "zh", "weekly", "--week", week, "--csv", out).exit_code == 0
        rows = [
            [c for c in row if c is not None]
            for row in load_workbook(out).active.iter_rows(values_only=True)
        ]
        at = next(i for i, row in enumerate(rows) if row and str(row[0]).startswith("否定答复"))
        assert rows[at + 1] == ["案件编号", "反映人", "事项名称", "处理结果"]
        for title in empty:
            at = next(i for i, row in enumerate(rows) if row and row[0] == title)
            assert "无" in [row[0] for row in rows[at + 1 : at + 3] if row], rows[at : at + 3]


@pytest.mark.parametrize("chunk", [1 << 20, 37])
def test_a_formula_saved_without_its_value_is_named_not_read_as_empty(
    run, ledger_file, tmp_path, monkeypatch, chunk
):
    """A book a program wrote (`=B2`, `=ROW()-1`) and no spreadsheet computed holds the
    formula alone: Excel shows its value, the import read nothing ("Applicant is missing;
    fill it in"). Each such cell of a row is named with the fix; a template's unused rows,
    numbered by a formula down the 序号 column, are empty rows still. Read in chunks as
    small as 37 bytes, a cell cut by a chunk's end is found whole."""
    from ledger import workbooks

    monkeypatch.setattr(workbooks, "_MERGE_READ", chunk)
    rows = [
        [*HEADER, "序号", "备注"],
        ["2026-10-09", '="张"&"三"', "13900001111", "一", "税务", "=ROW()-1", "=A2"],
        ["2026-10-09", "李四", "13900002222", "二", "税务", "=ROW()-1", ""],
        *[[None] * 5 + ["=ROW()-1"] for _ in range(6)],
    ]
    book = _book(tmp_path / "f.xlsx", rows)
    for lang, said in (("en", "is a formula saved without its value"), ("zh", "是公式")):
        result = run("--lang", lang, "import", book, "--dry-run")
        assert result.exit_code == 1 and "Traceback" not in result.stderr
        problems = result.stderr.splitlines()
        assert [p.count(said) for p in problems[:2]] == [2, 1], problems  # 反映人 · 序号
        assert "missing" not in problems[0] and "缺" not in problems[0]
        assert len(problems) == 3 and problems[2].startswith(("2 bad rows", "共 2 行"))
    before = digest(ledger_file)
    assert run("import", book).exit_code == 1
    assert digest(ledger_file) == before
    # saved by a spreadsheet: each formula with its value, read as the value; a formula
    # whose value is empty text is empty
    for cell, value in {"B2": "张三", "F2": "1", "F3": "2", "G2": ""}.items():
        with_cached_formula(book, cell, None, value)
    result = run("import", book)
    assert result.exit_code == 0, result.stderr
    assert "2 new" in result.stdout
    found = {c["applicant"]: c["ref"] for c in run("list", "--json").json()}
    assert found == {"张三": "1", "李四": "2"}


def test_excel_s_escapes_are_read_as_the_characters_they_stand_for(run, tmp_path):
    """Excel saves a carriage return in a cell as `_x000D_`; openpyxl gives it as written,
    and the cause was stored as `材料不全_x000D_` on every sheet. A text that only looks
    like such an escape is written escaped (`_x005F_`), so that Excel shows it and an
    import gives it back as it was."""
    rows = [HEADER + ["问题缘由"], ["2026-10-09", "张三", "13900001111", "一", "税务",
                                    "材料不全_x000D_\n未告知_x005F_x0041_"]]  # fmt: skip
    assert run("import", _book(tmp_path / "e.xlsx", rows)).exit_code == 0
    assert run("show", "2026-0001", "--json").json()["cause"] == "材料不全\n未告知_x0041_"
    run("add", "--applicant", "a_x0041_b", "--matter", "_x000D_", "--at", "2026-10-09 10:00")
    out = tmp_path / "x.xlsx"
    assert run("export", "--full-contact", "--out", out).exit_code == 0
    with zipfile.ZipFile(out) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "a_x005F_x0041_b" in sheet and "a_x0041_b" not in sheet
    again = run("import", out)
    assert again.exit_code == 0 and "2 already in the ledger" in again.stdout


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8"])
def test_an_encoding_given_for_a_workbook_import_is_refused_not_passed_over(
    refused, tmp_path, encoding
):
    book = _book(tmp_path / "e.xlsx", [HEADER, ["2026-10-09", "张三", "13900001111", "一", "税务"]])
    refused("import", book, "--encoding", encoding, message="Excel workbook")
