"""SPEC §6: the sheet as a page that prints (`daily --html`), and tables as wide as the
terminal lets them be.

The printed sample is the sample ledger as its moves made it (sample_data/build.py), so that
2026-0034, reopened on 10-14, goes out as a redo with its reason; its sheet is the imported
sample's sheet plus that mark.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest
from rich.cells import cell_len

SAMPLE_DATA = Path(__file__).parent.parent / "sample_data"
DAY = "2026-10-14"

# the marks the terminal's sheet shows, in each language
MARKS = {
    "zh": {"handed": "今日已转出", "redo": "重办", "same_day": "当日答复", "late": "已逾期2天"},
    "en": {
        "handed": "handed out today",
        "redo": "Redo",
        "same_day": "same-day answer",
        "late": "2 days late",
    },
}
WORDS = {
    "zh": {"slip": "转办工单 · ", "counts": "九、统计", "reason": "重办原因："},
    "en": {"slip": "Work order · ", "counts": "9. Counts", "reason": "Redo, because: "},
}
REASON = "申请人对批复中的防治责任范围有异议，要求复核"


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory) -> Path:
    """The sample ledger entered through the ledger's own moves, with its history."""
    from ledger import i18n
    from ledger.store import Ledger

    spec = importlib.util.spec_from_file_location("sample_build", SAMPLE_DATA / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    i18n.set_language("zh")
    ledger = Ledger(path)
    build.record_cases(ledger)
    ledger.close()
    return path


@pytest.fixture
def sample(built_sample, ledger_file) -> Path:
    shutil.copyfile(built_sample, ledger_file)
    return ledger_file


def ok(run, *args):
    result = run(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result


def page_of(run, tmp_path: Path, lang: str) -> str:
    page = tmp_path / f"sheet-{lang}.html"
    ok(run, "--lang", lang, "daily", "--date", DAY, "--html", page)
    return page.read_text(encoding="utf-8")


def dispatched(day: dict) -> list[dict]:
    return [c for g in day["to_dispatch"] for c in g["cases"]]


def shown(day: dict) -> list[tuple[dict, tuple[str, ...]]]:
    """Each case of the sheet with the fields its section shows."""
    who = ("id", "applicant", "deadline")
    return (
        [(c, who) for c in day["intake"] + dispatched(day) + day["due_soon"]]
        + [(c, ("id", "deadline")) for c in day["overdue"]]
        + [(c, ("id", "applicant", "feedback_due")) for c in day["feedback_due"]]
    )


# -- the data: the redo and the other marks ------------------------------------------------


def test_the_built_sample_has_the_imported_sheet_and_its_redo(run, sample, tmp_path, monkeypatch):
    built = ok(run, "daily", "--date", DAY, "--json").json()
    redo = [c for c in dispatched(built) if c["reopened"]]
    # the lead's slip and an assisting department's: the same case, the same redo
    assert {(c["id"], c["reopen_reason"]) for c in redo} == {("2026-0034", REASON)}
    assert all(c["reopen_reason"] is None for c in dispatched(built) if not c["reopened"])

    monkeypatch.setenv("LEDGER_DB", str(tmp_path / "imported.db"))
    ok(run, "import", SAMPLE_DATA / "cases.csv")
    imported = ok(run, "daily", "--date", DAY, "--json").json()
    for case in dispatched(built) + dispatched(imported):
        case.pop("reopened"), case.pop("reopen_reason")
    # a book has no column for why a case was paused: only the recorded pause knows
    for case in built["paused"] + imported["paused"]:
        case.pop("reason")
    assert built == imported


def test_a_redo_keeps_its_mark_and_reason_when_sent_back_and_text_stays_text(run, tmp_path):
    reason = "<i>不服</i> [red]复核[/red]"
    ok(
        run,
        "add",
        "--applicant",
        "<b>某公司</b>",
        "--matter",
        "<script>x</script>",
        "--dept",
        "税务",
        "--at",
        "2026-10-12 09:00",
    )
    ok(run, "dispatch", "2026-0001", "--at", "2026-10-12 10:00")
    ok(run, "resolve", "2026-0001", "--method", "m", "--outcome", "o", "--at", "2026-10-13 10:00")
    ok(
        run,
        "feedback",
        "2026-0001",
        "--via",
        "phone",
        "--satisfaction",
        "unsatisfied",
        "--at",
        "2026-10-13 11:00",
    )
    ok(run, "reopen", "2026-0001", "--reason", reason, "--at", "2026-10-14 09:00")
    ok(run, "return", "2026-0001", "--reason", "不归我们", "--at", "2026-10-15 09:00")

    day = ok(run, "daily", "--date", "2026-10-15", "--json").json()
    (case,) = dispatched(day)
    assert (case["status"], case["reopened"], case["reopen_reason"]) == ("classified", True, reason)
    terminal = ok(run, "daily", "--date", "2026-10-15").stdout
    assert "(Redo)" in terminal
    # why, as the printed slip says it (the terminal showed the mark alone), as typed
    assert "Redo, because:" in terminal and "[red]" in terminal and "<i>" in terminal
    # before the reopening it was no redo: the sheet of 10-13 does not list it to hand out
    assert dispatched(ok(run, "daily", "--date", "2026-10-13", "--json").json()) == []

    page = tmp_path / "sheet.html"
    ok(run, "daily", "--date", "2026-10-15", "--html", page)
    html = page.read_text(encoding="utf-8")
    assert "<script>" not in html and "<b>某" not in html and "<i>不服" not in html
    assert '<td class="name">&lt;b&gt;某公司&lt;/b&gt;</td>' in html
    assert "Redo, because: &lt;i&gt;不服&lt;/i&gt; [red]复核[/red]</div>" in html
    assert '<span class="mark redo">Redo</span>' in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_keeps_the_marks_the_terminal_shows(run, sample, tmp_path, lang):
    terminal = ok(run, "--lang", lang, "daily", "--date", DAY).stdout
    html = page_of(run, tmp_path, lang)
    day = ok(run, "daily", "--date", DAY, "--json").json()
    marks = MARKS[lang]
    for word in marks.values():
        assert word in terminal, word
    # 2026-0043 and 2026-0034 handed out today; 2026-0034 also on its assisting unit's slip
    handed = sum(c["dispatched_today"] for c in dispatched(day))
    redone = sum(c["reopened"] for c in dispatched(day))
    assert (handed, redone) == (3, 2)
    # the sheet's list and the department's slip both carry them
    assert html.count(f'<span class="mark">{marks["handed"]}</span>') == 2 * handed
    assert html.count(f'<span class="mark redo">{marks["redo"]}</span>') == 2 * redone
    assert html.count(f'<span class="mark">{marks["same_day"]}</span>') == 1
    assert html.count(f'<span class="mark late">{marks["late"]}</span>') == 1
    slips = html.split('<section class="slip">')[1:]
    with_redo = [s for s in slips if "2026-0034" in s]
    assert len(with_redo) == 2  # the lead's and the assisting unit's
    for slip in with_redo:
        assert f'<div class="reason">{WORDS[lang]["reason"]}{REASON}</div>' in slip
    # each slip asks for a reply to the window by its name, in one sentence (the name ran
    # on after the sentence as if it were its last word)
    window = {"zh": "办不成事反映窗口", "en": "Could-Not-Get-It-Done Window"}[lang]
    ask = {"zh": f"请于期限内办结，并回复{window}。", "en": f"report back to {window}."}[lang]
    assert all(ask in slip for slip in slips), slips[0][:400]


def test_names_ids_and_dates_sit_in_cells_that_never_wrap(run, sample, tmp_path):
    html = page_of(run, tmp_path, "zh")
    day = ok(run, "daily", "--date", DAY, "--json").json()
    style = html[html.index("<style>") : html.index("</style>")]
    assert re.search(
        r"\.id, \.name, \.phone, \.dept, \.date, \.num \{ white-space: nowrap; "
        r"word-break: keep-all;",
        style,
    )
    kinds = {"id": "id", "applicant": "name", "deadline": "date", "feedback_due": "date"}
    for case, fields in shown(day):
        for field in fields:
            cell = f'<td class="{kinds[field]}[^"]*">{re.escape(case[field])}(<span|</td>)'
            assert re.search(cell, html), (case["id"], field)
    for case in dispatched(day):
        assert f'<td class="phone">{case["contact"]}</td>' in html
    # the lists of the 12345 practice too: their ids and dates never break either
    practice = {
        "unacknowledged": ("dispatched_at", "ack_target"),
        "paused": ("paused_since",),
        "to_report": ("first_chase_at", "report_from"),
    }
    assert any(day[key] for key in practice)
    for key, dates in practice.items():
        for case in day[key]:
            assert f'<td class="id">{case["id"]}</td>' in html, (key, case["id"])
            for field in dates:
                assert f'<td class="date">{case[field][:10]}</td>' in html, (key, field)


def test_the_page_names_fonts_for_chinese_and_breaks_pages_between_slips(run, sample, tmp_path):
    html = page_of(run, tmp_path, "zh")
    stack = re.search(r"font-family: ([^;]+);", html).group(1)
    fonts = [name.strip().strip('"') for name in stack.split(",")]
    for font in (
        "Noto Sans CJK SC",
        "Noto Serif CJK SC",
        "Microsoft YaHei",
        "SimSun",
        "DengXian",
        "PingFang SC",
    ):
        assert font in fonts
    assert fonts[-1] == "sans-serif"
    assert "section.slip { break-before: page; page-break-before: always; }" in html
    assert "section.keep, section.counts { break-inside: avoid;" in html
    assert html.count('<section class="counts">') == 1
    assert '<html lang="zh-CN">' in html


# -- on paper ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_printed_sample_sheet_fits_a_page_and_each_slip_has_its_own(
    run, sample, tmp_path, printer, lang
):
    day = ok(run, "daily", "--date", DAY, "--json").json()
    page = tmp_path / f"sheet-{lang}.html"
    ok(run, "--lang", lang, "daily", "--date", DAY, "--html", page)
    info, pages, raw = printer(page)

    assert "(A4)" in info["Page size"]
    # the sheet on one page, counts included; then one page per department's slip
    assert int(info["Pages"]) == 1 + len(day["to_dispatch"]) == 4
    sheet, slips = pages[0], pages[1:]
    # (with the day: the counts may be all a last page of a longer sheet holds)
    assert f"{WORDS[lang]['counts']} · {DAY}" in sheet
    counts = [str(v) for v in day["counts"].values()]
    assert re.search(r"\s+".join(counts), sheet), "the counts row is not whole on page 1"

    # nothing cut across lines: every id, name and date of the sheet stands whole on it
    for case, fields in shown(day):
        for field in fields:
            assert re.search(rf"(^|\s){re.escape(case[field])}(\s|$)", sheet), case[field]
    for n, group in enumerate(day["to_dispatch"]):
        slip = slips[n]
        words = lambda text: " ".join(text.split())  # noqa: E731 - the layout's own spacing
        assert words(slip).startswith(words(WORDS[lang]["slip"] + group["department"]))
        assert words(slip).count(words(WORDS[lang]["slip"])) == 1
        for case in group["cases"]:
            for value in (case["id"], case["applicant"], case["contact"], case["deadline"]):
                assert re.search(rf"(^|\s){re.escape(value)}(\s|$)", slip), value

    # the marks, and the redo's reason on its department's slip
    marks = MARKS[lang]
    handed = sum(c["dispatched_today"] for c in dispatched(day))
    assert sheet.count(marks["handed"]) == handed == 3 and sheet.count(marks["same_day"]) == 1
    assert marks["late"] in sheet and marks["redo"] in sheet
    redone = [n for n, g in enumerate(day["to_dispatch"]) if any(c["reopened"] for c in g["cases"])]
    assert len(redone) == 2  # 2026-0034's lead and its assisting unit
    for redo in redone:
        flat = re.sub(r"\s+", "", raw[1 + redo])
        assert re.sub(r"\s+", "", WORDS[lang]["reason"] + REASON) in flat
        assert marks["handed"] in slips[redo] and marks["redo"] in slips[redo]


# -- the terminal: names take the room there is before they are cut ----------------------

ENTERPRISE = "东港区鑫源餐饮管理有限责任公司第一分公司"  # 20 characters, 40 columns
LONG_MATTER = "食品经营许可证延续办理被退回三次仍未受理"


@pytest.fixture
def wide_cases(run):
    """The enterprise's case received on 10-14 with its department (intake, to hand out),
    and an older one of its, overdue by 10-14."""
    ok(
        run,
        "add",
        "--applicant",
        ENTERPRISE,
        "--matter",
        "食品经营许可证新办",
        "--contact",
        "13700001234",
        "--dept",
        "市场准入",
        "--at",
        "2026-10-14 09:00",
    )
    ok(
        run,
        "add",
        "--applicant",
        ENTERPRISE,
        "--matter",
        LONG_MATTER,
        "--dept",
        "市场准入",
        "--at",
        "2026-09-28 09:00",
    )
    ok(run, "dispatch", "2026-0002", "--at", "2026-09-28 10:00")


COMMANDS = {
    "daily": ("daily", "--date", DAY),
    "overdue": ("overdue", "--date", DAY),
    "list": ("list",),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_names_show_whole_at_120_columns_and_every_line_fits_80(
    run, wide_cases, monkeypatch, command, lang
):
    shown = ENTERPRISE if command != "overdue" else LONG_MATTER  # overdue lists no applicant
    for width in (80, 120):
        monkeypatch.setenv("COLUMNS", str(width))
        out = ok(run, "--lang", lang, *COMMANDS[command]).stdout
        assert max(cell_len(line) for line in out.splitlines()) <= width, (width, out)
        assert "2026-0001" in out or command == "overdue"
        assert "2026-0002" in out or command == "daily"
        if width == 120:
            assert shown in out, out
        else:
            assert shown[:3] in out  # cut or wrapped, never dropped


HEADINGS = [
    "field.id", "field.received_at", "field.applicant", "field.matter", "field.department",
    "field.deadline", "field.status", "daily.col_id", "daily.col_applicant", "daily.col_matter",
    "daily.col_department", "daily.col_deadline", "daily.col_days_overdue", "daily.col_chases",
    "daily.col_feedback_due", "daily.col_outcome",
]  # fmt: skip
AT_A_DESK = {
    "daily": ("daily", "--date", DAY),
    "overdue": ("overdue", "--date", DAY),
    "list": ("list",),
    "list closed": ("list", "--status", "closed"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", list(AT_A_DESK))
def test_no_column_is_squeezed_out_and_headings_stay_whole_at_a_desk(
    run, sample, monkeypatch, command, lang
):
    """English headings and the status "Closed (applicant answered)" are wide: at 80 columns
    the list once lost its matter and department columns whole, and headings broke inside
    a word ("Departme/nt"). Every column stays, with its heading on one line."""
    from ledger import i18n, render

    i18n.set_language(lang)
    headings = [i18n.t(key) for key in HEADINGS]
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(render, "console", render._Console(highlight=False, markup=False))
    wide = ok(run, "--lang", lang, *AT_A_DESK[command]).stdout
    shown = [h for h in headings if h in wide]
    assert len(shown) >= 4
    cases = ok(run, "--lang", lang, "list", "--json").json()
    for width in (80, 100, 120):
        monkeypatch.setenv("COLUMNS", str(width))
        # a console takes its width when it is made, as a process of the clerk's would
        monkeypatch.setattr(render, "console", render._Console(highlight=False, markup=False))
        out = ok(run, "--lang", lang, *AT_A_DESK[command]).stdout
        assert max(cell_len(line) for line in out.splitlines()) <= width, (width, out)
        for heading in shown:
            assert heading in out, (width, heading, out)
        if not command.startswith("list"):
            continue
        lines = [line.strip() for line in out.splitlines()]
        listed = {line.split()[0]: line for line in lines if line[:6] == "2026-0"}
        assert listed and set(listed) <= {c["id"] for c in cases}
        for case in cases:
            if case["id"] in listed:  # its matter and status begin on the id's line
                line = listed[case["id"]]
                assert case["matter"][:2] in line, (width, line)
                status = i18n.t(f"status.{case['status']}").split()[0]
                assert status in line, (width, line)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_weekly_department_table_cuts_no_figure_at_any_width(run, sample, monkeypatch, lang):
    """Eleven columns once were squeezed into 80: "100.0%" showed as "100…" and headings as
    "Depar/tment". Too wide, the table is split (counts, then rates), headings wrap at words."""
    from ledger import i18n, render
    from ledger.reports import DEPARTMENT_COLUMNS

    i18n.set_language(lang)
    week = ("weekly", "--week", "2026-W42")
    rows = ok(run, "--lang", lang, *week, "--json").json()["departments"]
    figures = {
        f"{row[k] * 100:.1f}%" if k.endswith("_rate") else str(row[k])
        for row in rows
        for k in DEPARTMENT_COLUMNS[1:]
        if row[k] is not None
    }
    assert {"100.0%", "50.0%", "0.0%"} <= figures  # the sample's 社会事务 among others
    words = {w for k in DEPARTMENT_COLUMNS for w in i18n.t(f"weekly.col_{k}").split()}
    for width in (50, 60, 80, 100, 200):
        monkeypatch.setenv("COLUMNS", str(width))
        monkeypatch.setattr(render, "console", render._Console(highlight=False, markup=False))
        out = ok(run, "--lang", lang, *week).stdout
        assert max(cell_len(line) for line in out.splitlines()) <= width, (width, out)
        table = out[out.index(i18n.t("weekly.departments")) :]
        cells = set(table.split())
        assert figures <= cells, (width, figures - cells, table)
        if lang == "en":  # a Chinese heading may wrap between its characters
            assert words <= cells, (width, words - cells, table)


def test_a_floor_is_a_number_and_anything_else_is_where_it_sits(run, tmp_path):
    ok(run, "dept", "add", "政务服务", "--floor", "行政服务中心主楼东区三楼312室")
    ok(run, "dept", "add", "信访", "--floor", "3")
    ok(run, "dept", "add", "档案", "--floor", "二")
    for n, dept in enumerate(("政务服务", "信访", "档案")):
        ok(run, "add", "--applicant", f"甲{n}", "--matter", "一", "--dept", dept,
           "--at", "2026-10-12 09:00")  # fmt: skip
    sheet = ok(run, "--lang", "zh", "daily", "--date", "2026-10-12").stdout
    assert "行政服务中心主楼东区三楼312室" in sheet and "312室楼" not in sheet
    assert "信访 · 3楼" in sheet and "档案 · 二楼" in sheet
    page = tmp_path / "sheet.html"
    ok(run, "--lang", "zh", "daily", "--date", "2026-10-12", "--html", page)
    assert "312室楼" not in page.read_text(encoding="utf-8")


def test_a_long_enterprise_name_wraps_on_the_page_and_a_persons_does_not(run, tmp_path):
    enterprise = "某某市某某区某某街道某某科技发展有限责任公司第一分公司驻某某办事处"
    for n, applicant in enumerate((enterprise, "华先生")):
        ok(run, "add", "--applicant", applicant, "--matter", "营业执照变更", "--dept", "税务",
           "--at", f"2026-10-12 09:0{n}")  # fmt: skip
    page = tmp_path / "sheet.html"
    ok(run, "--lang", "zh", "daily", "--date", "2026-10-12", "--html", page)
    html = page.read_text(encoding="utf-8")
    assert f'<td class="name-long">{enterprise}</td>' in html
    assert '<td class="name">华先生</td>' in html
    assert re.search(
        r"\.name-long, \.dept-long \{ min-width: \d+em; max-width: \d+em; "
        r"overflow-wrap: anywhere; \}",
        html,
    )


def _console_of(monkeypatch, width: int) -> None:
    from ledger import render

    monkeypatch.setenv("COLUMNS", str(width))
    # a console takes its width when it is made, as a process of the clerk's would
    monkeypatch.setattr(render, "console", render._Console(highlight=False, markup=False))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_at_80_columns_the_morning_sheet_keeps_short_matters_on_one_line(
    run, sample, monkeypatch, lang
):
    """A count of working days is a digit or two: its heading takes two lines, not the
    matter's room. On the sample's sheet at 80 columns no matter of up to eight characters
    wraps, in any section (they wrapped at seven)."""
    _console_of(monkeypatch, 80)
    out = ok(run, "--lang", lang, "daily", "--date", DAY).stdout
    sheet = ok(run, "--lang", lang, "daily", "--date", DAY, "--json").json()
    short = {
        c["matter"]
        for key in ("intake", "due_soon", "overdue", "feedback_due", "unacknowledged", "paused")
        for c in sheet[key]
        if len(c["matter"]) <= 8
    }
    if lang == "en":  # beside "2026-10-14 same-day answer" the answers' matters wrap
        short -= {c["matter"] for c in sheet["feedback_due"]}
    assert len(short) >= 6
    for matter in short:
        assert matter in out, (matter, out)
    assert ("超期\n" if lang == "zh" else "Days\n") not in out  # the lines are laid out
    heading = "(工作日)" if lang == "zh" else "late"
    assert any(line.rstrip().endswith(heading) for line in out.splitlines()) or heading in out


def test_a_very_long_name_gives_way_to_the_matter(run, monkeypatch):
    """A name that cannot be shown whole shares the room with the matter by their ratios:
    a sixty-character enterprise once kept the matter to six characters a line."""
    name = ("杭州市上城区新时代智能制造科技发展集团股份有限公司第一分公司驻钱江新城办事处" * 2)[:60]
    matter = "企业投资项目备案信息变更及其配套能评环评审批流程衔接"  # 26 characters
    ok(run, "add", "--applicant", name, "--matter", matter, "--dept", "投资项目",
       "--at", f"{DAY} 10:00")  # fmt: skip
    ok(run, "add", "--applicant", "严女士", "--matter", "个体工商户年度报告修改",
       "--at", f"{DAY} 10:05")  # fmt: skip
    for width, whole in ((80, 7), (120, 18)):
        _console_of(monkeypatch, width)
        for command in (("daily", "--date", DAY), ("list",)):
            out = ok(run, "--lang", "zh", *command).stdout
            assert max(cell_len(line) for line in out.splitlines()) <= width
            assert matter[:whole] in out, (width, command, out)
            if command[0] == "daily":  # the list has seven columns: at 80 it wraps more
                assert "个体工商户年度报告修改" in out, (width, command, out)
            assert name[:4] in out and name not in out  # cut, not dropped


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reasons_and_meanings_fold_instead_of_losing_their_tail(run, sample, monkeypatch, lang):
    """Only a name is ever cut with "…": a reason of refusal, a setting's meaning, a matter
    on a chase notice wrap instead, and a department's phone never breaks."""
    dept = "区市场监督管理局行政审批科（食品经营许可及特种设备登记窗口）"
    ok(run, "dept", "add", dept, "--floor", "2号楼3楼东侧301-305室",
       "--phone", "0571-87654321转8001", "--kind", "unit")  # fmt: skip
    ok(
        run,
        "settings",
        "set",
        "window_name",
        "上城区政务服务中心办不成事反映窗口（东港区行政审批服务局）",
    )
    for width in (80, 120):
        _console_of(monkeypatch, width)
        for command in (
            ("weekly", "--month", "2026-10"),
            ("notices", "--date", "2026-10-21"),
            ("settings", "show"),
            ("dept", "list"),
        ):
            out = ok(run, "--lang", lang, *command).stdout
            assert "…" not in out, (width, command, out)
            assert max(cell_len(line) for line in out.splitlines()) <= width
        assert "0571-87654321转8001" in out  # the department list, last
    cannot = [
        c
        for c in ok(run, "list", "--json").json()
        if c["resolution"] == "cannot" and c["resolved_at"].startswith("2026-10")
    ]
    assert cannot
    _console_of(monkeypatch, 120)
    out = ok(run, "--lang", lang, "weekly", "--month", "2026-10").stdout
    folded = "".join(out.split())
    for case in cannot:
        assert case["outcome"][-6:] in folded
    notice = ok(run, "--lang", lang, "notices", "--date", DAY).stdout
    assert ("通报" if lang == "zh" else "Report") in notice


def test_the_weeks_bars_split_no_label_inside_a_word(run, sample, monkeypatch):
    """English labels are wider than Chinese ones: "Special/difficult case" was cut to
    "Special/difficul" over "t case" at any width."""
    from ledger.i18n import set_language, t

    _console_of(monkeypatch, 120)
    out = ok(run, "--lang", "en", "weekly", "--month", "2026-10").stdout
    set_language("en")
    for code in ("special", "unclear-policy", "repeat-visits"):
        for word in t(f"problem.{code}").split():
            assert word in out, (word, out)


@pytest.mark.parametrize("width", [120, 180])
def test_a_wide_terminal_shows_each_label_of_the_bars_on_one_line(run, sample, monkeypatch, width):
    """ "Agriculture & water affairs" wrapped onto two lines even at 180 columns."""
    from ledger.i18n import set_language, t

    _console_of(monkeypatch, width)
    out = ok(run, "--lang", "en", "weekly", "--month", "2026-10").stdout
    set_language("en")
    for word, code in (("section", "agri-water"), ("problem", "unclear-policy")):
        assert t(f"{word}.{code}") in out, out


@pytest.mark.parametrize("width", [60, 80, 120])
def test_a_quiet_week_keeps_its_headings_whole(run, sample, monkeypatch, width):
    """A week without a case cut each breakdown's heading to its bars' width ("按科 …") and
    printed the department table's heading over no rows."""
    from ledger import render

    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setattr(render, "console", render._Console(highlight=False, markup=False))
    out = ok(run, "--lang", "zh", "weekly", "--week", "2026-W37").stdout
    for heading in ("按科室类别", "按承办单位", "按问题类型", "按受理渠道"):
        assert heading in out, out
    assert "…" not in out
    lines = out.splitlines()
    at = lines.index("各承办单位办理情况")
    assert lines[at + 1].strip() == "无" and "承办单位   转办" not in out


def test_a_long_department_name_takes_the_room_the_figures_leave(run, sample, monkeypatch):
    """At 80 columns a long name folded four characters a line in a table 55 wide."""
    from ledger import render

    name = "杭州市西湖区住房和城乡建设局（城市管理综合行政执法局）建筑市场监管处"
    ok(run, "dept", "add", name)
    ok(
        run,
        "add",
        "--applicant",
        "甲",
        "--matter",
        "乙",
        "--dept",
        name,
        "--at",
        "2026-10-13 09:00",
    )
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(render, "console", render._Console(highlight=False, markup=False))
    out = ok(run, "--lang", "zh", "weekly", "--week", "2026-W42").stdout
    rows = [line for line in out.splitlines() if line.strip().startswith("杭州市")]
    assert rows and all(cell_len(line) <= 80 for line in out.splitlines())
    assert cell_len(rows[0].split()[0]) >= 24, rows  # not eight cells a line


def test_a_page_written_says_so_and_a_past_day_off_is_that_day(run, sample, tmp_path):
    """`daily --html` and `notices --html` printed nothing when they had written the page; a
    sheet of a past Sunday said 今天不上班 (today) on any later day."""
    for command in ("daily", "notices"):
        page = tmp_path / f"{command}.html"
        said = ok(run, "--lang", "zh", command, "--date", "2026-10-14", "--html", page)
        # (a long path wraps at the terminal's width)
        assert said.stdout.replace("\n", "") == f"打印页已写入 {page}（用浏览器打开后打印，A4）"
        assert page.read_bytes().startswith(b"<!DOCTYPE html>")
        quiet = ok(run, command, "--date", "2026-10-14", "--html", page, "--json")
        assert quiet.json()["date"] == "2026-10-14"
    sunday = "".join(ok(run, "--lang", "zh", "daily", "--date", "2026-10-11").stdout.split())
    assert "当日不上班；下一个工作日2026-10-12" in sunday and "今天不上班" not in sunday


def test_the_clerk_named_in_the_settings_signs_the_printed_pages(run, sample, tmp_path):
    """`settings set clerk_name` was saved and read by nothing."""
    ok(run, "settings", "set", "clerk_name", "张敏<b>")
    for command in ("daily", "notices"):
        page = tmp_path / f"{command}.html"
        ok(run, "--lang", "zh", command, "--date", "2026-10-14", "--html", page)
        text = page.read_text(encoding="utf-8")
        assert "经办人：张敏&lt;b&gt;" in text and "张敏<b>" not in text
    ok(run, "settings", "set", "clerk_name", "")
    ok(run, "--lang", "zh", "daily", "--date", "2026-10-14", "--html", page)
    assert "经办人" not in page.read_text(encoding="utf-8")


def test_a_paused_case_open_at_the_period_end_says_it_is_paused(run, sample, monkeypatch):
    """Its 超期 cell was blank, as if it were on time: its clock is stopped."""
    import ledger.render as render

    monkeypatch.setattr(render.console, "_width", 100)
    figures = ok(run, "weekly", "--month", "2026-10", "--json").json()
    paused = [c["id"] for c in figures["open_cases"] if c["paused"]]
    assert paused == ["2026-0022", "2026-0039", "2026-0041"]
    for lang, word in (("en", "Clock paused"), ("zh", "中止计时")):
        page = ok(run, "--lang", lang, "weekly", "--month", "2026-10").stdout
        rows = [line for line in page.splitlines() if line.strip().startswith(tuple(paused))]
        assert len(rows) == 3 and all(line.rstrip().endswith(word) for line in rows), rows


def test_a_long_slip_says_whose_on_each_page_and_is_signed_under_its_rows(run, tmp_path, printer):
    """A department handed 34 orders in a day: its slip's second page repeated the headings
    but not whose slip it was, and the line to sign could fall on a page of its own."""
    for n in range(1, 35):
        at = f"2026-11-20 09:{n:02d}"
        who, what = f"申请人{n}号某某商贸有限公司", f"营业执照变更第{n}件"
        ok(run, "add", "--applicant", who, "--matter", what, "--cause", "材料不全需补正",
           "--contact", f"1380000{n:04d}", "--dept", "税务", "--at", at)  # fmt: skip
        ok(run, "dispatch", f"2026-{n:04d}", "--at", f"2026-11-20 10:{n:02d}")
    page = tmp_path / "long.html"
    ok(run, "--lang", "zh", "daily", "--date", "2026-11-20", "--html", page)
    _info, pages, _raw = printer(page)
    slip = [n for n, text in enumerate(pages) if "转办工单 · 税务" in " ".join(text.split())]
    assert len(slip) == 1
    own = pages[slip[0] :]
    assert len(own) >= 2, "34 orders and their signature on one A4 page?"
    for text in own:  # whose and which day, at the top of each of its pages
        assert re.search(r"税务\s*·[^\n]*2026-11-20", text), text[:200]
    last = own[-1]
    assert "签收人" in last and "2026-0034" in last and "2026-0033" in last
    assert all(f"2026-{n:04d}" in " ".join(own) for n in range(1, 35))


def test_a_long_section_of_the_sheet_says_what_it_continues_on_each_page(run, tmp_path, printer):
    """Forty cases taken in on a day: the sheet's second and third pages repeated the
    column headings but not the section (一、今日受理) nor the day."""
    for n in range(1, 41):
        who, what = f"申请人{n}号某某商贸有限公司", f"营业执照变更第{n}件，材料需补正后再审"
        ok(run, "add", "--applicant", who, "--matter", what, "--cause", "材料不全需补正",
           "--at", f"2026-11-20 09:{n:02d}")  # fmt: skip
    for n in (41, 42):  # due 11-19: late on the sheet's day, a short section
        ok(run, "add", "--applicant", f"申请人{n}", "--matter", "事", "--at", "2026-11-16 09:00")
    page = tmp_path / "long.html"
    ok(run, "--lang", "zh", "daily", "--date", "2026-11-20", "--html", page)
    _info, pages, _raw = printer(page)
    intake = [text for text in pages if "2026-0040" in text or "2026-0001" in text]
    assert len(intake) >= 2, "forty cases on one A4 page?"
    for text in intake:  # what and which day, at the top of each page it runs to
        assert re.search(r"今日受理[^\n]*·\s*2026-11-20", text), text[:300]
    assert all(f"2026-{n:04d}" in " ".join(intake) for n in range(1, 41))
    # a short section with rows keeps its plain heading, once, above its table
    html = page.read_text(encoding="utf-8")
    assert "<h2>四、已超期（最严重的在前）</h2><table>" in html
    assert html.count("四、已超期（最严重的在前）") == 1 and "2026-0041" in html


def test_a_long_heading_of_a_long_section_wraps_and_cuts_no_column(run, tmp_path, printer):
    """A department whose name, place and phone make a heading wider than the page: set on
    one line above the columns, it shrank the page and cut the deadlines to `2026`."""
    name = "杭州市拱墅区市场监督管理局登记注册与行政审批服务科"
    floor = "行政服务中心B座3楼东侧301室（进门左转）"
    phone = "0571-88888888转8001、0571-88889999转8002（午休12:00-13:30不接）"
    ok(run, "dept", "add", name, "--floor", floor, "--phone", phone)
    for n in range(1, 16):
        ok(run, "add", "--applicant", f"申请人{n}", "--matter", f"事项{n}", "--dept", name,
           "--at", f"2026-11-20 09:{n:02d}")  # fmt: skip
    page = tmp_path / "wide.html"
    ok(run, "--lang", "zh", "daily", "--date", "2026-11-20", "--html", page)
    _info, pages, _raw = printer(page)
    sheet = " ".join(pages)
    # each of the fifteen deadlines whole on the sheet and on the slip
    assert sheet.count("2026-11-25") == 2 * 15 + 15, sheet.count("2026-11-25")
