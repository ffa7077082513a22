"""The sheets' tables are laid out by render's quick layout (no Rich measuring of every
cell); Rich's own layout is the reference it must match, character and colour alike."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.style import Style
from rich.text import Text

from ledger import render

WORDS = ["营业执照", "食品经营许可证新办", "王", "Acme Ltd", "", "a" * 40, "市场准入科 3F",
         "１２３", "材料[/]补齐", "x\ny", "税务 清税 注销 个体工商户", "—", "🙂",
         "e\u0301"]  # fmt: skip
OPTIONS = [
    {"no_wrap": True},
    {"ratio": 1, "min_width": 10, "overflow": "ellipsis", "no_wrap": True},
    {"ratio": 2, "min_width": 12, "overflow": "fold"},
    {"ratio": 1, "min_width": 8, "overflow": "fold"},
    {"justify": "right"},
    {"max_width": 12},
    {"max_width": 20},
    {},
]
STYLES = ["", "bold red", "yellow", "bold yellow", "dim"]


def _print(table, width: int, quick: bool) -> list[tuple[str, object]]:
    """What a person sees: every character with its style (how Rich groups the colour codes
    of equal neighbours into escape sequences is not seen)."""
    console = Console(
        file=io.StringIO(), width=width, force_terminal=True, color_system="truecolor",
        highlight=False, markup=False, emoji=False,
    )  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        if not quick:
            patch.setattr(render, "_quick_layout", lambda *_: None)
        segments = list(console.render(table, console.options))
    seen = [(char, style or Style.null()) for text, style, _ in segments for char in text]
    assert seen, "nothing was laid out"
    return seen


def _table(title: str, columns: list[tuple[str, dict]], rows: list[list[tuple[str, str]]]):
    table = render._table(title, *columns)
    for row in rows:
        table.add_row(*(render._x(text, style=style) if style else text for text, style in row))
    return table


@settings(max_examples=300, deadline=None)
@given(
    columns=st.lists(
        st.tuples(st.sampled_from(["ID", "事项", "Department", "承办单位", ""]),
                  st.sampled_from(OPTIONS)),
        min_size=1, max_size=6,
    ),
    cells=st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(STYLES)), max_size=60),
    width=st.integers(min_value=12, max_value=200),
    title=st.sampled_from(["今日受理", "Overdue cases as of 2026-10-14", "x" * 90]),
)  # fmt: skip
def test_quick_layout_is_what_rich_lays_out(columns, cells, width, title):
    n = len(columns)
    rows = [cells[i : i + n] for i in range(0, len(cells) - n + 1, n)]
    columns = [(name, dict(options)) for name, options in columns]
    made = lambda: _table(title, columns, rows)  # noqa: E731 - a fresh table each time
    assert _print(made(), width, True) == _print(made(), width, False)


def test_a_sheet_table_takes_the_quick_layout():
    table = _table(
        "今日受理",
        render._columns(render._ID, render._WHO, render._WHAT, render._DUE),
        [[("2026-0001", ""), ("王先生", ""), ("营业执照", ""), ("2026-10-14", "bold red")]],
    )
    console = Console(file=io.StringIO(), width=80, markup=False)
    assert render._quick_layout(table, console, console.options) is not None


@pytest.mark.parametrize("change", ["show_lines", "caption", "row_style"])
def test_other_tables_are_left_to_rich(change):
    table = render._table("t", ("a", {}))
    table.add_row("x", style="red" if change == "row_style" else None)
    if change == "show_lines":
        table.show_lines = True
    if change == "caption":
        table.caption = "c"
    console = Console(file=io.StringIO(), width=80, markup=False)
    assert render._quick_layout(table, console, console.options) is None
    assert isinstance(table.columns[0]._cells[0], Text)


def test_plain_lines_fit_the_terminal_cutting_the_matter_then_the_department(monkeypatch):
    from rich.cells import cell_len

    out = io.StringIO()
    monkeypatch.setattr(render, "console", Console(file=out, width=80))
    department = "某某市某某区人民政府办公室督查科" * 2
    rows = [
        (f"2026-{n:04d}", "申请营业执照变更登记" * 3, department, "2026-10-13", "12", "3")
        for n in range(1, 6)
    ]
    head = ["编号", "事项", "承办单位", "期限", "超期(工作日)", "督办"]
    render.lines("超期", head, rows, flexible=((2, 16), (1, 8), (2, 8)), right=(4, 5))
    shown = out.getvalue().splitlines()
    assert max(cell_len(line) for line in shown) <= 80
    body = shown[3:]
    assert [line.split()[0] for line in body] == [r[0] for r in rows]  # ids whole
    assert all("2026-10-13" in line for line in body)  # dates whole
    assert all("某某市" in line for line in body)  # the department cut, not gone


def test_plain_lines_give_a_long_department_up_before_the_matter(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(render, "console", Console(file=out, width=100))
    matter = "企业投资项目备案信息变更登记"  # 14 characters, 28 cells
    rows = [
        ("2026-0001", matter, "某某市某某区人民政府办公室督查科综合协调组", "2026-10-13", "9", "1")
    ]
    head = ["编号", "事项", "承办单位", "期限", "超期(工作日)", "督办"]
    render.lines("超期", head, rows, flexible=((2, 16), (1, 8), (2, 8)), right=(4, 5))
    assert matter in out.getvalue()  # the department was cut, the matter kept whole


@pytest.mark.parametrize("width", range(100, 141, 5))
def test_a_whole_name_does_not_squeeze_the_matter_while_the_status_can_wrap(monkeypatch, width):
    """At 120 columns an English list gave an enterprise's name its whole 22 cells and the
    matter five characters, while `Closed (applicant answered)` stayed on one line."""
    from ledger import i18n

    monkeypatch.setattr(i18n, "language", lambda: "en")
    out = io.StringIO()
    monkeypatch.setattr(render, "console", Console(file=out, width=width))
    matter = "个体工商户年度报告修改"  # 11 characters, 22 cells
    case = {
        "id": "2026-0042",
        "received_at": "2026-10-14 09:00",
        "applicant": "远航进出口贸易有限公司",
        "matter": matter,
        "department": None,
        "deadline": "2026-10-14",
        "status": "closed",
    }
    render.case_list([case], 1)
    shown = out.getvalue()
    # the name whole while the matter reads six characters a line; the matter ten
    # (READABLE cells) before the status, which may wrap at its spaces, stays on one line
    assert matter[:6] in shown, shown
    if "Closed (applicant answered)" in shown:
        # (ten cells a line, or nine and the last two together: never `修` alone)
        assert matter[:10] in shown or (matter[:9] in shown and matter[9:] in shown), shown


@pytest.mark.parametrize("width", [56, 60, 64, 70, 76, 80, 100])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_timeline_never_splits_a_date_or_begins_a_line_with_a_closing_mark(
    run, monkeypatch, width, lang
):
    """With the full-width colon there was no space before a date: Rich folded it anywhere
    (`办理期限：2026-1` / `1-05`), and a line could begin with `：`."""
    import re

    monkeypatch.setattr(render, "console", Console(file=io.StringIO(), width=width))
    steps = [
        ("add", "--applicant", "某餐饮公司", "--matter", "食品经营许可证新办", "--section",
         "market", "--scope", "within", "--at", "2026-09-30 09:30"),
        ("dispatch", "2026-0001", "--dept", "市场准入", "--at", "2026-10-08 09:00"),
        ("extend", "2026-0001", "--days", "2", "--reason", "需现场核查",
         "--at", "2026-10-09 15:00"),
        ("urge", "2026-0001", "--note", "电话催办", "--at", "2026-10-13 09:00"),
        ("resolve", "2026-0001", "--method", "协调市场准入科一次性告知并现场核查，联系人王科长",
         "--outcome", "许可证已核发", "--at", "2026-10-13 16:00"),
    ]  # fmt: skip
    for step in steps:
        assert run(*step).exit_code == 0, step
    assert run("--lang", lang, "show", "2026-0001").exit_code == 0
    shown = render.console.file.getvalue()
    lines = shown.splitlines()
    at = next(n for n, line in enumerate(lines) if line.strip().startswith(("时间", "When")))
    for line in lines[at:]:
        assert not re.search(r"\d{4}-\d{0,1}$|\d{4}-\d\d-\d?$|\d\d:$", line.rstrip()), line
        assert not re.search(r"(^|\s{2})[，。、；：？！）]", line), line
    for date in ("2026-10-08 09:00", "2026-10-13", "2026-10-10"):
        assert date.split()[0] in shown


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("中", 1, ["中"]),  # a character wider than the line: a line of its own, never a hang
        ("中文字", 1, ["中", "文", "字"]),
        ("联系人王大明(窗口2号)，对方称需补", 14, ["联系人王大明", "(窗口2号)，对", "方称需补"]),
        ("补交了全部申请材料 ，但仍缺", 16, ["补交了全部申请材", "料 ，但仍缺"]),
        ("营业执照原件,对方称明日来窗口.", 13, ["营业执照原件,", "对方称明日来", "窗口."]),
        ("办理期限：2026-11-05", 12, ["办理期限：", "2026-11-05"]),
        ("1" * 25, 10, ["1" * 10, "1" * 10, "1" * 5]),
    ],
)
def test_prose_wraps_as_chinese_is_set(text, width, lines):
    assert render.Prose(text)._lines(width) == lines


def test_a_case_s_earlier_cases_never_split_an_id(run, monkeypatch):
    for n in range(1, 9):
        add = ("add", "--applicant", "甲", "--matter", "乙", "--contact", "13812345678")
        assert run(*add, "--at", f"2026-10-12 09:0{n}").exit_code == 0
    for width in (27, 40, 62, 70, 80, 96):
        monkeypatch.setattr(render, "console", Console(file=io.StringIO(), width=width))
        assert run("--lang", "zh", "show", "2026-0008").exit_code == 0
        shown = render.console.file.getvalue()
        at = shown.index("其他案件")
        block = shown[at : shown.index("2026-0007", at) + 9]
        for line in block.splitlines()[1:]:
            assert re.fullmatch(r"(2026-000\d、?)+", line.strip()), (width, line)


def test_a_long_section_of_the_sheet_says_where_every_row_is(run, tmp_path):
    """The terminal sheet lists 30 rows a section and points at the printable sheet, which
    the clerk can work from (it pointed at the JSON), and which holds every row."""
    for n in range(32):
        added = run("add", "--applicant", f"申请人{n:02d}", "--matter", "办证",
                    "--at", f"2026-10-12 {9 + n // 60:02d}:{n % 60:02d}")  # fmt: skip
        assert added.exit_code == 0, added.stderr
    sheet = run("--lang", "zh", "daily", "--date", "2026-10-12")
    assert sheet.exit_code == 0
    assert "另有 2 件未列出，全部见 ledger daily --html" in sheet.stdout
    lines = sheet.stdout.splitlines()
    more = next(n for n, line in enumerate(lines) if "另有 2 件未列出" in line)
    assert lines[more + 1].strip() == ""  # apart from the next section's heading
    assert "daily --json" not in sheet.stdout
    assert "申请人29" in sheet.stdout and "申请人30" not in sheet.stdout
    page = tmp_path / "sheet.html"
    assert run("daily", "--date", "2026-10-12", "--html", page).exit_code == 0
    assert all(f"申请人{n:02d}" in page.read_text(encoding="utf-8") for n in range(32))


@pytest.mark.parametrize("width", [80, 120])
def test_a_long_name_wraps_whole_rather_than_lose_its_tail(run, monkeypatch, width):
    """Two branches of one company were both `杭州西湖区某某 …` at 120 columns (and the
    sample's companies four characters at 80): a name longer than its room wraps."""
    for n in (1, 2):
        name = f"杭州西湖区某某新能源汽车科技股份有限公司第{n}分公司"
        added = run("add", "--applicant", name, "--matter", "企业名称变更登记及营业执照副本换发",
                    "--at", f"2026-11-02 09:0{n}")  # fmt: skip
        assert added.exit_code == 0, added.stderr
    for command in (("list",), ("daily", "--date", "2026-11-02")):
        monkeypatch.setattr(render, "console", Console(file=io.StringIO(), width=width))
        assert run("--lang", "zh", *command).exit_code == 0
        shown = render.console.file.getvalue()
        assert "…" not in shown, (command, shown)
        assert max(map(len, shown.splitlines())) <= width
        for n in (1, 2):
            # the name's characters, read across its lines, in order after its case's id
            rest = iter(shown[shown.index(f"2026-000{n}") :])
            name = f"杭州西湖区某某新能源汽车科技股份有限公司第{n}分公司"
            assert all(char in rest for char in name), (command, shown)


@pytest.mark.parametrize("width", [70, 80, 100])
def test_a_timeline_keeps_status_words_whole_and_says_an_undo_on_a_line_of_its_own(
    run, monkeypatch, width
):
    """At 80 columns `show` said `已受理 → 已` / `分类`, left `时` alone after `…的恢复计`,
    and ran the taken-back note into the first change (`…撤销。中` / `止计时起：…`)."""
    monkeypatch.setattr(render, "console", Console(file=io.StringIO(), width=width))
    steps = [
        ("add", "--applicant", "吴晓燕", "--matter", "新生儿医保参保登记", "--section", "social",
         "--at", "2026-10-12 09:00"),
        ("dispatch", "2026-0001", "--dept", "社会事务", "--at", "2026-10-12 09:10"),
        ("pause", "2026-0001", "--reason", "等待省厅核定", "--at", "2026-10-13 16:30"),
        ("resume", "2026-0001", "--at", "2026-10-16 09:00"),
        ("undo", "2026-0001", "--reason", "误操作", "--at", "2026-10-19 16:11"),
        ("undo", "2026-0001", "--reason", "误操作", "--at", "2026-10-19 16:12"),
    ]  # fmt: skip
    for step in steps:
        assert run(*step).exit_code == 0, step
    assert run("--lang", "zh", "show", "2026-0001").exit_code == 0
    lines = [line.rstrip() for line in render.console.file.getvalue().splitlines()]
    cells = [part for line in lines for part in line.split("  ") if part.strip()]
    # a status word whole on its line: never `已` or `已受` ending one after the arrow
    assert not [line for line in lines if re.search(r"→ 已[\u4e00-\u9fff]?$", line)]
    # no cell line of one Chinese character alone (`时`)
    assert not [c for c in cells if len(c.strip()) == 1 and "\u4e00" <= c.strip() <= "\u9fff"]
    taken_back = [line for line in lines if "撤销。" in line]
    assert len(taken_back) == 2
    assert all(line.rstrip().endswith("撤销。") for line in taken_back), taken_back
