"""SPEC §6: the dispatch sheet, the overdue list and the weekly figures, as of a date."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

SAMPLE = Path(__file__).parent.parent / "sample_data" / "cases.csv"


@pytest.fixture
def october(run):
    """A hand-built fortnight around National Day 2026 (make-up days 09-20 and 10-10)."""

    def do(*args):
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)

    # A: dispatched before the break; standard, due on the make-up Saturday 10-10
    do("add", "--applicant", "甲", "--matter", "A", "--dept", "税务", "--at", "2026-09-30 09:00")
    do("dispatch", "2026-0001", "--at", "2026-09-30 10:00")
    # G: due Fri 10-09, chased, resolved only on 10-13
    do("add", "--applicant", "庚", "--matter", "G", "--at", "2026-09-29 09:00")
    do("dispatch", "2026-0002", "--dept", "农水事务", "--at", "2026-09-29 10:00")
    do("urge", "2026-0002", "--at", "2026-10-09 16:00")
    # H: simple, due 09-30, settled after the break
    do("add", "--applicant", "辛", "--matter", "H", "--limit", "simple", "--at", "2026-09-30 15:00")
    do("resolve", "2026-0003", "--method", "m", "--outcome", "o", "--at", "2026-10-08 10:00")
    do(
        "feedback",
        "2026-0003",
        "--via",
        "phone",
        "--satisfaction",
        "basic",
        "--at",
        "2026-10-08 11:00",
    )
    # C: dispatched 10-08, due 10-12
    do(
        "add",
        "--applicant",
        "丙",
        "--matter",
        "C",
        "--channel",
        "window",
        "--at",
        "2026-10-08 09:00",
    )
    do("dispatch", "2026-0004", "--dept", "市场准入", "--at", "2026-10-08 09:30")
    # E: resolved 10-09, answer due on the make-up Saturday
    do("add", "--applicant", "戊", "--matter", "E", "--at", "2026-10-08 11:00")
    do("resolve", "2026-0005", "--method", "m", "--outcome", "o", "--at", "2026-10-09 15:00")
    # B: simple, classified without a department, due 10-09
    do(
        "add",
        "--applicant",
        "乙",
        "--matter",
        "B",
        "--limit",
        "simple",
        "--section",
        "market",
        "--channel",
        "phone",
        "--at",
        "2026-10-09 09:00",
    )
    # D: cannot, answered... not yet
    do("add", "--applicant", "丁", "--matter", "D", "--limit", "cannot", "--at", "2026-10-09 10:00")
    do("resolve", "2026-0007", "--cannot", "--reason", "超出职权", "--at", "2026-10-09 11:00")
    # F: taken in on the make-up Saturday
    do("add", "--applicant", "己", "--matter", "F", "--at", "2026-10-10 09:00")
    # later work, after the sheets below
    do("resolve", "2026-0002", "--method", "m", "--outcome", "o", "--at", "2026-10-13 10:00")
    return {
        "A": "2026-0001",
        "G": "2026-0002",
        "H": "2026-0003",
        "C": "2026-0004",
        "E": "2026-0005",
        "B": "2026-0006",
        "D": "2026-0007",
        "F": "2026-0008",
    }


def ids(items):
    return [item["id"] for item in items]


def sheet(run, day):
    result = run("daily", "--date", day, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_the_sheet_of_a_saturday_make_up_working_day(run, october):
    c = october
    day = sheet(run, "2026-10-10")
    assert list(day) == [
        "date",
        "window",
        "working_day",
        "next_working_day",
        "intake",
        "to_dispatch",
        "due_soon",
        "overdue",
        "feedback_due",
        "unacknowledged",
        "paused",
        "to_report",
        "counts",
    ]
    assert day["working_day"] is True and day["next_working_day"] == "2026-10-12"
    assert ids(day["intake"]) == [c["F"]]
    assert [(g["department"], ids(g["cases"])) for g in day["to_dispatch"]] == [(None, [c["B"]])]
    assert ids(day["due_soon"]) == [c["A"], c["C"]]
    assert ids(day["overdue"]) == [c["G"], c["B"]]  # one day each; the chased one first
    assert [o["days_overdue"] for o in day["overdue"]] == [1, 1]
    assert [o["chase_count"] for o in day["overdue"]] == [1, 0]
    answers = day["feedback_due"]
    assert ids(answers) == [c["D"], c["E"]]  # the cannot answer first
    assert [(a["feedback_due"], a["late"]) for a in answers] == [
        ("2026-10-09", True),
        ("2026-10-10", False),
    ]
    assert day["counts"] == {
        "intake": 1,
        "to_dispatch": 1,
        "due_soon": 2,
        "overdue": 2,
        "feedback_due": 2,
        "feedback_late": 1,
        "open": 5,
        # every order of this fixture went out without an acknowledgement being recorded
        "unacknowledged": 3,
        "paused": 0,
        "to_report": 0,
    }
    for item in day["due_soon"] + day["overdue"] + day["intake"]:
        assert {"id", "status", "department", "deadline"} <= set(item)


def test_the_sheet_of_the_sunday_after(run, october):
    c = october
    day = sheet(run, "2026-10-11")
    assert day["working_day"] is False and day["next_working_day"] == "2026-10-12"
    assert day["intake"] == []
    # A's deadline was the make-up Saturday: not late on Sunday, and still on the sheet
    assert ids(day["due_soon"]) == [c["A"], c["C"]]
    assert ids(day["overdue"]) == [c["G"], c["B"]]
    assert [(a["id"], a["late"]) for a in day["feedback_due"]] == [(c["D"], True), (c["E"], False)]


def test_the_sheet_of_a_day_inside_the_national_day_break(run, october):
    c = october
    day = sheet(run, "2026-10-04")
    assert day["working_day"] is False and day["next_working_day"] == "2026-10-08"
    # H was due 09-30; no working day has come since, so it is due, not late
    assert ids(day["due_soon"]) == [c["H"]]
    assert day["overdue"] == [] and day["intake"] == [] and day["to_dispatch"] == []
    text = run("daily", "--date", "2026-10-04").stdout
    assert "not a working day" in text and "2026-10-08" in text and c["H"] in text


def test_the_sheet_of_a_day_is_unchanged_by_later_work(run, october):
    before = run("daily", "--date", "2026-10-10", "--json").stdout
    for args in (
        ("resolve", october["A"], "--method", "m", "--outcome", "o", "--at", "2026-10-14 09:00"),
        ("feedback", october["D"], "--via", "phone", "--at", "2026-10-14 10:00"),
        ("dispatch", october["B"], "--dept", "市场准入", "--at", "2026-10-14 11:00"),
        ("add", "--applicant", "新", "--matter", "N", "--at", "2026-10-10 18:00"),
    ):
        assert run(*args).exit_code == 0
    after = run("daily", "--date", "2026-10-10", "--json").json()
    import json

    expected = json.loads(before)
    # only the case taken in on the 10th itself joins that day's sheet
    assert ids(after["intake"]) == ids(expected["intake"]) + ["2026-0009"]
    for key in ("to_dispatch", "due_soon", "overdue", "feedback_due"):
        assert after[key] == expected[key], key


def test_a_resolved_case_is_still_late_on_an_earlier_sheet(run, october):
    # G was resolved on 10-13: the sheet of 10-12 shows it overdue, the one of 10-13 does not
    assert october["G"] in ids(sheet(run, "2026-10-12")["overdue"])
    assert october["G"] not in ids(sheet(run, "2026-10-13")["overdue"])
    assert sheet(run, "2026-10-12")["overdue"][0]["days_overdue"] == 2


def test_void_cases_are_left_out_whatever_the_date(run, october):
    assert run("void", october["B"], "--reason", "录错", "--at", "2026-10-20 09:00").exit_code == 0
    day = sheet(run, "2026-10-10")
    everything = ids(day["intake"] + day["due_soon"] + day["overdue"] + day["feedback_due"])
    everything += [i for g in day["to_dispatch"] for i in ids(g["cases"])]
    assert october["B"] not in everything


def test_the_rendered_sheet_holds_every_id_of_the_json(run, october):
    for lang in ("en", "zh"):
        day = sheet(run, "2026-10-10")
        text = run("--lang", lang, "daily", "--date", "2026-10-10").stdout
        every = ids(day["intake"] + day["due_soon"] + day["overdue"] + day["feedback_due"])
        every += [i for g in day["to_dispatch"] for i in ids(g["cases"])]
        for case_id in every:
            assert case_id in text
        assert max(len(line) for line in text.splitlines()) <= 80


def test_overdue_report(run, october):
    report = run("overdue", "--date", "2026-10-12", "--json").json()
    assert list(report) == ["date", "cases"]
    assert [(c["id"], c["days_overdue"]) for c in report["cases"]] == [
        (october["G"], 2),
        (october["B"], 2),
        (october["A"], 1),
    ]
    only = run("overdue", "--date", "2026-10-12", "--dept", "农水事务", "--json").json()
    assert ids(only["cases"]) == [october["G"]]
    assert "No overdue cases" in run("overdue", "--date", "2026-10-04").stdout


def test_weekly_figures_against_hand_arithmetic(run, october):
    figures = run("weekly", "--from", "2026-10-08", "--to", "2026-10-11", "--json").json()
    expected = {
        "from": "2026-10-08",
        "to": "2026-10-11",
        "received": 5,  # B, C, D, E, F
        "resolved": 3,  # D, E, H
        "resolved_on_time": 2,  # H was due 09-30
        "on_time_rate": 0.6667,
        "closed": 1,  # H
        "feedback_rate": 0.3333,
        "satisfaction_rate": 1.0,  # one rating, basic
        "open": 5,  # A, B, C, F, G
        "overdue": 2,  # B and G, one working day (the Saturday) after their deadline
        "avg_working_days_to_resolve": 0.67,  # D 0, E 1, H 1
    }
    assert {k: figures[k] for k in expected} == expected
    assert figures["by_channel"] == {"none": 3, "phone": 1, "window": 1}
    assert figures["by_section"] == {"none": 4, "market": 1}
    assert figures["by_department"] == {"none": 4, "市场准入": 1}
    assert [c["id"] for c in figures["cannot"]] == [october["D"]]
    assert figures["cannot"][0]["reason"] == "超出职权"
    assert [c["id"] for c in figures["open_cases"]][:2] == [october["G"], october["B"]]


def test_an_empty_week_divides_by_nothing(run, october):
    figures = run("weekly", "--week", "2026-W30", "--json").json()
    assert figures["received"] == 0 and figures["resolved"] == 0
    for key in (
        "on_time_rate",
        "feedback_rate",
        "satisfaction_rate",
        "avg_working_days_to_resolve",
    ):
        assert figures[key] is None
    assert run("weekly", "--week", "2026-W30").exit_code == 0


def test_weekly_of_the_sample_agrees_with_a_hand_count(run):
    assert run("import", SAMPLE).exit_code == 0
    figures = run("weekly", "--week", "2026-W41", "--json").json()
    # counted by hand from sample_data/build.py, week of 2026-10-05 to 2026-10-11
    assert {
        k: figures[k]
        for k in (
            "received",
            "resolved",
            "resolved_on_time",
            "on_time_rate",
            "closed",
            "feedback_rate",
            "satisfaction_rate",
            "open",
            "overdue",
            "avg_working_days_to_resolve",
        )
    } == {
        "received": 9,  # 0027–0035
        "resolved": 6,  # 0017, 0025, 0027, 0028, 0029, 0030
        "resolved_on_time": 5,  # 0017 was due 10-08, resolved 10-09
        "on_time_rate": 0.8333,
        "closed": 5,  # 0017, 0025, 0028, 0029, 0030
        "feedback_rate": 0.8333,  # 0027 not yet answered
        "satisfaction_rate": 1.0,
        # 0015, 0019 (still with their departments), 0022, 0023, 0024, 0031–0035
        "open": 10,
        "overdue": 2,  # 0015 and 0019, due 09-30; the 11th is a Sunday for the others
        "avg_working_days_to_resolve": 1.67,  # (6 + 2 + 2 + 0 + 0 + 0) / 6
    }
    assert figures["by_section"] == {
        "construction": 2,
        "agri-water": 2,
        "market": 2,
        "social": 2,
        "investment": 2,
        "none": 1,
    }
    # 工程建设 resolved one of two on time, and its applicants heard of one of the two by the end
    assert figures["below_threshold"] == [
        {"department": "工程建设", "figures": {"on_time_rate": 0.5, "answered_rate": 0.5}}
    ]
    rows = {d["department"]: d for d in figures["departments"]}
    assert (rows["工程建设"]["resolved_on_time"], rows["工程建设"]["resolved_late"]) == (1, 1)


def test_weekly_csv_is_a_sheet_for_excel(run, october, tmp_path):
    out = tmp_path / "week.csv"
    result = run(
        "--lang", "zh", "weekly", "--from", "2026-10-08", "--to", "2026-10-11", "--csv", out
    )
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    # leadership reads percentages; JSON keeps the fraction
    assert "受理件数,5" in text and "按期办结率,66.7%" in text and "否定答复" in text
    assert "\n=" not in text and "\n+" not in text
    figures = run("weekly", "--from", "2026-10-08", "--to", "2026-10-11", "--json").json()
    assert figures["on_time_rate"] == 0.6667


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("daily", "--date", "2026-13-01"), 1, "has no month 13"),
        (("daily", "--date", "2026-10-14x"), 1, "Cannot read the date"),
        (("overdue", "--dept", "不存在"), 1, "No department called"),
        (("weekly", "--week", "2026-W99"), 1, "2026 has no week 99"),
        (("weekly", "--week", "2026-W41", "--from", "2026-10-01"), 2, "Give one of"),
        (("weekly", "--from", "2026-10-01"), 2, "both --from and --to"),
        (("weekly", "--from", "2026-10-09", "--to", "2026-10-01"), 1, "before the start"),
        (("weekly", "--week", "2200-W01"), 1, "after today"),
        (("weekly", "--month", "2200-01"), 1, "after today"),
        (("weekly", "--from", "2200-01-01", "--to", "2200-01-02"), 1, "after today"),
    ],
)
def test_bad_report_input(refused, args, code, message):
    refused(*args, code=code, message=message)


def test_html_sheet_holds_the_sheet_and_one_slip_per_department(run, tmp_path):
    run("import", SAMPLE)
    page = tmp_path / "sheet.html"
    assert run("daily", "--date", "2026-10-14", "--html", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    day = sheet(run, "2026-10-14")
    assert html.count('<section class="slip">') == len(day["to_dispatch"])
    assert "@page { size: A4" in html and "page-break-before: always" in html
    assert "13905710043" not in html and "139****0043" in html


def test_the_printed_sheet_puts_every_slip_on_its_own_a4_page(run, tmp_path, printer):
    run("import", SAMPLE)
    page = tmp_path / "sheet.html"
    run("--lang", "en", "daily", "--date", "2026-10-14", "--html", page)
    info, texts, _ = printer(page)
    assert "(A4)" in info["Page size"]
    texts = [" ".join(text.split()) for text in texts]  # the layout's own spacing aside
    day = sheet(run, "2026-10-14")
    slips = [n for n, text in enumerate(texts) if text.startswith("Work order ·")]
    assert len(slips) == len(day["to_dispatch"])
    for n, group in zip(slips, day["to_dispatch"], strict=True):
        assert texts[n].count("Work order ·") == 1
        for case in group["cases"]:
            assert case["id"] in texts[n]
    everything = "".join(texts)
    every = ids(day["intake"] + day["due_soon"] + day["overdue"] + day["feedback_due"])
    for case_id in every:
        assert case_id in everything


def test_a_period_not_over_is_counted_to_today_and_says_so(run, october, monkeypatch):
    """On 10-12 the month of October has twelve days behind it: its open and late cases are
    those of the end of 10-12, not a guess at 10-31 (when A, B, C and F would all be late
    by days that have not happened), and the page says the period is not over."""
    import datetime as dt

    from ledger import dates

    monkeypatch.setattr(dates, "today", lambda: dt.date(2026, 10, 12))
    month = run("weekly", "--month", "2026-10", "--json").json()
    so_far = run("weekly", "--from", "2026-10-01", "--to", "2026-10-12", "--json").json()
    days = [month["from"], month["to"], month["as_of"]]
    assert days == ["2026-10-01", "2026-10-31", "2026-10-12"]
    assert so_far["as_of"] == so_far["to"] == "2026-10-12"
    counted = {k: v for k, v in month.items() if k not in ("to", "as_of")}
    assert counted == {k: v for k, v in so_far.items() if k not in ("to", "as_of")}
    # on 10-12: A (due 10-10), B (due 10-09) and G (due 10-09) late, C due that day
    assert month["open"] == 5 and month["overdue"] == 3
    late = {c["id"]: c["days_overdue"] for c in month["open_cases"] if c["days_overdue"]}
    assert late == {october["G"]: 2, october["B"]: 2, october["A"]: 1}
    page = run("weekly", "--month", "2026-10").stdout
    assert "2026-10-01 to 2026-10-31 (counted to 2026-10-12 so far)" in page
    zh = run("--lang", "zh", "weekly", "--month", "2026-10").stdout
    assert "（本期未结束，统计截至 2026-10-12）" in zh
    # a period over by today is counted to its end, and says nothing more
    monkeypatch.setattr(dates, "today", lambda: dt.date(2026, 11, 1))
    over = run("weekly", "--month", "2026-10", "--json").json()
    assert over["as_of"] == over["to"] == "2026-10-31"
    assert over["open"] == over["overdue"] == 4  # A, B, C and F; G resolved on 10-13
    assert "so far" not in run("weekly", "--month", "2026-10").stdout


@pytest.mark.parametrize("width", [40, 60, 80, 100])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_window_name_never_cuts_the_period_from_the_title(
    run, october, monkeypatch, lang, width
):
    """With the README's own window name, the panel's title was cut at the border at 80 and
    100 columns: `2026-10-05 至 2026-10-─╮`, and a running period's note that its figures
    are partial was lost. The name goes above when the whole does not fit; nothing is cut."""
    import datetime as dt

    from rich.cells import cell_len

    from ledger import dates, render

    monkeypatch.setattr(dates, "today", lambda: dt.date(2026, 10, 12))
    monkeypatch.setattr(render.console, "_width", width)
    name = "西湖区政务服务中心办不成事反映窗口"
    assert run("settings", "set", "window_name", name).exit_code == 0
    assert run("settings", "set", "window_code", "XH-01").exit_code == 0
    for period in (["--week", "2026-W41"], ["--month", "2026-10"]):
        page = run("--lang", lang, "weekly", *period).stdout
        lines = page.splitlines()
        assert max(cell_len(line) for line in lines) <= width
        flat = "".join(c for c in page if not c.isspace() and c not in "│╭╮─")
        end = "2026-10-11" if period[0] == "--week" else "2026-10-31"
        note = {"zh": "（本期未结束，统计截至2026-10-12）", "en": "(countedto2026-10-12sofar)"}
        assert name in flat and "XH-01" in flat and end in flat
        assert (note[lang] in flat) == (period[0] == "--month")
        # a date is never broken across two lines
        assert not [line for line in lines if re.search(r"\d{4}-\d{2}-?$", line.rstrip())]
    if width >= 80:  # the name on its own line above; the report and period its panel's title
        first, second = lines[0], lines[1]
        assert name in first and second.startswith("╭─ ") and "2026-10-01" in second


@pytest.mark.parametrize("width", [40, 60, 70, 100])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_window_name_is_whole_above_the_morning_sheet(run, monkeypatch, lang, width):
    """The sheet's panel cut a long window name at its border, and with it the sheet's own
    name (`…第一分窗口（东区大厅） · Dail─╮`, and at 40 columns `…反映窗 ─╮`)."""
    from rich.cells import cell_len

    from ledger import render

    monkeypatch.setattr(render.console, "_width", width)
    name = "XX市XX区政务服务中心办不成事反映窗口第一分窗口（东区大厅）"
    assert run("settings", "set", "window_name", name).exit_code == 0
    page = run("--lang", lang, "daily", "--date", "2026-11-27").stdout
    lines = page.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    flat = "".join(c for c in page if not c.isspace() and c not in "│╭╮─")
    sheet = {"zh": "每日工作单", "en": "Dailydispatchsheet"}[lang]
    assert name in flat and f"{sheet}" in flat
    if cell_len(f"{name} · ") + 20 > width:  # the name above, the sheet's name its title
        assert lines[0].startswith(name[:10]) and any(
            line.startswith("╭─ " + sheet[:5]) for line in lines[:4]
        )


def test_a_period_that_has_not_begun_is_refused(refused, october, monkeypatch):
    import datetime as dt

    from ledger import dates

    monkeypatch.setattr(dates, "today", lambda: dt.date(2026, 10, 12))
    line = refused("weekly", "--week", "2026-W43", code=1, message="after today")
    assert "2026-10-19" in line and "2026-10-12" in line
    refused("weekly", "--from", "2026-10-13", "--to", "2026-10-20", code=1, message="after today")


@pytest.mark.parametrize("command", ["daily", "overdue", "notices"])
def test_a_day_after_today_is_said_to_be_counted_forward(run, command):
    """A sheet of a day to come is today's ledger counted forward (late by days that have
    not happened, chase notices dated ahead), and later work changes it: it was printed as
    a record of that day with nothing said."""
    from ledger import dates

    ahead = (dates.today() + dt.timedelta(days=33)).isoformat()
    result = run("--lang", "zh", command, "--date", ahead, "--json")
    assert result.exit_code == 0
    assert result.json()["date"] == ahead
    line = result.stderr.splitlines()[0]  # (a sheet whose next working day is in a year
    # without its notice says that too)
    assert line.startswith(f"注意：{ahead} 在今天（{dates.today()}）之后") and "推算" in line
    today = run(command, "--date", dates.today().isoformat(), "--json")
    assert today.exit_code == 0 and today.stderr == ""


def test_a_refusal_s_reason_corrected_by_edit_reads_so_in_the_week(run):
    """`edit --outcome` corrects a 否定答复's reason from its day on (as the sheet and `show`
    read it); the week's list, which goes to leadership, kept the reason first given. A week
    that ended before the correction keeps it; an undo by the end takes it back."""

    def reasons(*period: str) -> list[str]:
        found = run("weekly", *period, "--json").json()["cannot"]
        return [row["reason"] for row in found]

    run(
        "add",
        "--applicant",
        "甲",
        "--matter",
        "一",
        "--limit",
        "cannot",
        "--at",
        "2026-10-12 09:00",
    )
    run("resolve", "2026-0001", "--cannot", "--reason", "OLD", "--at", "2026-10-12 10:00")
    assert run("edit", "2026-0001", "--outcome", "NEW", "--at", "2026-10-13 09:00").exit_code == 0
    assert reasons("--week", "2026-W42") == ["NEW"]
    assert reasons("--from", "2026-10-12", "--to", "2026-10-12") == ["OLD"]
    assert run("undo", "2026-0001", "--at", "2026-10-14 09:00").exit_code == 0
    assert reasons("--week", "2026-W42") == ["OLD"]
    assert reasons("--from", "2026-10-12", "--to", "2026-10-13") == ["NEW"]
    # reopened and refused again: each answer with its own reason
    run("reopen", "2026-0001", "--reason", "复议", "--at", "2026-10-15 09:00")
    run("resolve", "2026-0001", "--cannot", "--reason", "AGAIN", "--at", "2026-10-15 10:00")
    assert reasons("--week", "2026-W42") == ["AGAIN"]
    assert reasons("--from", "2026-10-12", "--to", "2026-10-14") == ["OLD"]


@pytest.mark.parametrize(
    ("rate", "shown"),
    [(0.5455, "54.6%"), (0.0625, "6.3%"), (0.5385, "53.9%"), (1.0, "100.0%"), (0.0, "0.0%"),
     (0.9, "90.0%"), (0.1234, "12.3%")],
)  # fmt: skip
def test_a_rate_is_shown_as_a_spreadsheet_shows_it(rate, shown):
    from ledger.text import percent
    from ledger.workbooks import Percent

    assert percent(rate) == str(Percent(rate)) == shown


def test_the_weekly_csv_and_workbook_show_the_same_percentage(run, tmp_path):
    """6 of 11 on time is 0.5455: the CSV said 54.5% (Python's rounding of the float) and
    the workbook cell, 0.5455 as 0.0%, shows 54.6% in Excel."""
    from openpyxl import load_workbook

    for i in range(1, 12):
        run("add", "--applicant", f"X{i}", "--matter", f"m{i}", "--limit", "simple",
            "--at", "2026-11-02 09:00")  # fmt: skip
        day = "2026-11-02" if i <= 6 else "2026-11-03"
        run("resolve", f"2026-{i:04d}", "--method", "m", "--outcome", "o", "--at", f"{day} 17:00")
    assert run("weekly", "--week", "2026-W45", "--json").json()["on_time_rate"] == 0.5455
    assert run("weekly", "--week", "2026-W45", "--csv", tmp_path / "w.csv").exit_code == 0
    text = (tmp_path / "w.csv").read_text(encoding="utf-8-sig")
    assert "54.6%" in text and "54.5%" not in text
    assert "54.6%" in run("weekly", "--week", "2026-W45").stdout
    assert run("weekly", "--week", "2026-W45", "--csv", tmp_path / "w.xlsx").exit_code == 0
    cells = [c for row in load_workbook(tmp_path / "w.xlsx").active.iter_rows() for c in row]
    rate = next(c for c in cells if c.value == 0.5455)
    assert rate.number_format == "0.0%"


def test_an_order_sent_back_and_settled_at_the_window_is_not_handed_out_that_day(run):
    """Returned at 10:00 and resolved at the window at 11:00, it stood on the evening's
    sheet as an order "handed out today" under "(no department yet)", and counted."""
    for args in (
        ("add", "--applicant", "甲", "--matter", "m", "--dept", "市场准入",
         "--at", "2026-10-12 09:00"),
        ("dispatch", "2026-0001", "--at", "2026-10-12 09:05"),
        ("return", "2026-0001", "--reason", "不归本单位", "--at", "2026-10-12 10:00"),
        ("resolve", "2026-0001", "--method", "窗口办理", "--outcome", "已办结",
         "--at", "2026-10-12 11:00"),
        # one handed out and resolved the same day keeps its slip
        ("add", "--applicant", "乙", "--matter", "n", "--dept", "市场准入",
         "--at", "2026-10-12 09:10"),
        ("dispatch", "2026-0002", "--at", "2026-10-12 09:15"),
        ("resolve", "2026-0002", "--method", "当场办理", "--outcome", "已办结",
         "--at", "2026-10-12 11:30"),
    ):  # fmt: skip
        assert run(*args).exit_code == 0, args
    day = sheet(run, "2026-10-12")
    assert [(g["department"], ids(g["cases"])) for g in day["to_dispatch"]] == [
        ("市场准入", ["2026-0002"])
    ]
    assert day["counts"]["to_dispatch"] == 1


def test_the_average_is_shown_with_two_decimals_whatever_it_is(run):
    """The week's table showed 0.0, 4.7 and 5.22 for one figure: one column, one form."""
    for n, resolved in enumerate(("2026-10-12 15:00", "2026-10-14 15:00")):
        at = f"2026-10-12 {9 + n:02d}:00"
        assert run("add", "--applicant", f"甲{n}", "--matter", "事", "--at", at).exit_code == 0
        case = f"2026-000{n + 1}"
        done = run("resolve", case, "--method", "m", "--outcome", "o", "--at", resolved)
        assert done.exit_code == 0
    figures = run("weekly", "--week", "2026-W42", "--json").json()
    assert figures["avg_working_days_to_resolve"] == 1.0  # 0 and 2 working days
    table = run("--lang", "en", "weekly", "--week", "2026-W42").stdout
    line = next(line for line in table.splitlines() if "working days to resolve" in line)
    assert line.strip("│ ").split()[-1] == "1.00"
