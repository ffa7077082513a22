"""12345 practice (issue 15, SPEC §4–§6, §13): acknowledgement, pausing the clock, lead and
assisting departments, chase notices, the escalation ladder, the monthly figures, the window's
code — on the 2026 calendar: Mid-Autumn 09-25 (Fri) off, National Day 10-01..10-07 off, and
the make-up working days 09-20 (Sun) and 10-10 (Sat)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import sqlite3

import pytest
from conftest import digest


def ok(run, *args):
    result = run(*args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


def sheet(run, day: str, *extra: str) -> dict:
    return ok(run, "daily", "--date", day, "--json", *extra).json()


def ids(items: list[dict]) -> list[str]:
    return [item["id"] for item in items]


def new_case(run, at: str, *extra: str) -> str:
    return ok(
        run, "add", "--applicant", "张三", "--matter", "营业执照变更", "--at", at, *extra, "--json"
    ).json()["id"]


# -- the calendar these tests stand on ---------------------------------------------------


def test_the_days_these_tests_use_are_what_the_package_says(run):
    days = {d["date"]: d["working"] for d in ok(run, "calendar", "2026", "--json").json()}
    assert days["2026-09-20"] is True  # Sunday, make-up
    assert days["2026-09-25"] is False  # Mid-Autumn
    assert all(not days[f"2026-10-0{n}"] for n in range(1, 8))  # National Day
    assert days["2026-10-08"] is True and days["2026-10-10"] is True  # Thu; Saturday make-up
    assert days["2026-10-11"] is False


# -- acknowledgement (签收) -------------------------------------------------------------


def test_an_order_not_acknowledged_is_listed_from_the_working_day_after_its_target(run):
    case = new_case(run, "2026-10-09 09:00", "--dept", "市场准入")
    ok(run, "dispatch", case, "--at", "2026-10-09 10:00")  # Friday; due by Saturday 10-10
    assert sheet(run, "2026-10-10")["unacknowledged"] == []  # the make-up Saturday is the target
    assert sheet(run, "2026-10-11")["unacknowledged"] == []  # Sunday: no working day past it
    listed = sheet(run, "2026-10-12")["unacknowledged"]
    assert ids(listed) == [case]
    assert listed[0]["ack_target"] == "2026-10-10" and listed[0]["days_past_target"] == 1
    assert sheet(run, "2026-10-13")["unacknowledged"][0]["days_past_target"] == 2
    ok(run, "ack", case, "--by", "李科长", "--at", "2026-10-13 09:00")
    assert sheet(run, "2026-10-13")["unacknowledged"] == []
    assert ids(sheet(run, "2026-10-12")["unacknowledged"]) == [case]  # an old sheet stays
    shown = ok(run, "show", case, "--json").json()
    assert shown["acknowledged_at"] == "2026-10-13 09:00"
    assert shown["timeline"][-1]["action"] == "ack" and shown["timeline"][-1]["note"] == "李科长"


def test_ack_days_is_a_setting_and_a_new_dispatch_needs_a_new_acknowledgement(run):
    # in force from before the dispatch: a report counts with the value set on its day
    ok(run, "settings", "set", "ack_days", "2", "--at", "2026-09-30 08:00")
    case = new_case(run, "2026-09-30 09:00", "--dept", "税务")
    ok(run, "dispatch", case, "--at", "2026-09-30 09:30")  # due by 10-09 across the break
    assert sheet(run, "2026-10-09")["unacknowledged"] == []
    assert sheet(run, "2026-10-10")["unacknowledged"][0]["days_past_target"] == 1
    ok(run, "ack", case, "--at", "2026-10-10 09:00")
    ok(run, "return", case, "--reason", "不属本单位", "--at", "2026-10-10 10:00")
    ok(run, "dispatch", case, "--dept", "市场准入", "--at", "2026-10-12 09:00")
    assert ok(run, "show", case, "--json").json()["acknowledged_at"] is None
    assert [c["department"] for c in sheet(run, "2026-10-15")["unacknowledged"]] == ["市场准入"]


def test_ack_refusals(run, refused):
    case = new_case(run, "2026-10-09 09:00", "--dept", "市场准入")
    refused("ack", case, message="cannot be acknowledged (ack)")
    ok(run, "dispatch", case, "--at", "2026-10-09 10:00")
    ok(run, "ack", case, "--at", "2026-10-09 11:00")
    refused("ack", case, message="already acknowledged at 2026-10-09 11:00")
    refused("--lang", "zh", "ack", case, message="已于 2026-10-09 11:00 签收")


def _ack_rates(run, *period: str) -> dict:
    figures = ok(run, "weekly", *period, "--json").json()["departments"]
    return {row["department"]: row["acknowledged_in_time_rate"] for row in figures}


def test_an_order_counts_in_the_period_its_acknowledgement_was_settled_in(run):
    """An order is counted once: in the period of its acknowledgement when it came by the
    target day, else in the period of the target day, late. An order of a week's last working
    day, never acknowledged, was in no week's figure (its week ended before the target; the
    next counted only its own orders), so the department read 100% every week."""
    monday = new_case(run, "2026-10-12 09:00", "--dept", "税务")
    ok(run, "dispatch", monday, "--at", "2026-10-12 09:30")
    ok(run, "ack", monday, "--at", "2026-10-13 09:00")
    friday = new_case(run, "2026-10-16 09:00", "--dept", "税务")
    ok(run, "dispatch", friday, "--at", "2026-10-16 09:30")  # due Monday 10-19; never signed
    signed = new_case(run, "2026-10-16 10:00", "--dept", "市场准入")
    ok(run, "dispatch", signed, "--at", "2026-10-16 10:30")
    # before the break: handed out 09-30, due 10-08 (the first working day after it), signed
    # 10-09: late, in the week of 10-08, in October, never in September
    before = new_case(run, "2026-09-30 09:00", "--dept", "农水事务")
    ok(run, "dispatch", before, "--at", "2026-09-30 09:30")
    ok(run, "ack", before, "--at", "2026-10-09 09:00")
    week42 = ok(run, "weekly", "--week", "2026-W42", "--json").stdout
    ok(run, "ack", signed, "--at", "2026-10-19 16:00")  # on its target day
    assert ok(run, "weekly", "--week", "2026-W42", "--json").stdout == week42  # as of its end
    # (农水事务's case is open in those weeks: a row, with no order settled)
    assert _ack_rates(run, "--week", "2026-W42") == {
        "税务": 1.0,
        "市场准入": None,
        "农水事务": None,
    }
    assert _ack_rates(run, "--week", "2026-W43") == {"税务": 0.0, "市场准入": 1.0, "农水事务": None}
    assert _ack_rates(run, "--month", "2026-10") == {"农水事务": 0.0, "市场准入": 1.0, "税务": 0.5}
    assert _ack_rates(run, "--month", "2026-09") == {"农水事务": None}  # handed out, not due
    assert _ack_rates(run, "--week", "2026-W41")["农水事务"] == 0.0  # 10-05 to 10-11
    assert _ack_rates(run, "--week", "2026-W40") == {"农水事务": None}  # dispatched, not due


# -- pausing the clock (中止计时) --------------------------------------------------------


def test_a_pause_across_national_day_moves_the_deadline_by_its_working_days(run):
    case = new_case(run, "2026-09-29 09:00", "--dept", "工程建设")
    ok(run, "dispatch", case, "--at", "2026-09-29 09:30")
    assert ok(run, "show", case, "--json").json()["deadline"] == "2026-10-09"
    ok(run, "pause", case, "--reason", "等待专家论证意见", "--at", "2026-09-30 10:00")
    for day, waited in (("2026-09-30", 0), ("2026-10-05", 0), ("2026-10-08", 1)):
        daily = sheet(run, day)
        assert ids(daily["paused"]) == [case]
        assert daily["paused"][0]["working_days_paused"] == waited
        assert daily["paused"][0]["reason"] == "等待专家论证意见"
        assert case not in ids(daily["due_soon"]) + ids(daily["overdue"])
    # the deadline 10-09 passes while paused: not late on the Saturday make-up day
    assert sheet(run, "2026-10-10")["overdue"] == []
    assert ok(run, "overdue", "--date", "2026-10-12", "--json").json()["cases"] == []
    moved = ok(run, "resume", case, "--at", "2026-10-12 09:00", "--json").json()
    # after 09-30 up to and including 10-12: 10-08, 10-09, 10-10, 10-12 — four working days
    # after the deadline 10-09: 10-10 (the make-up Saturday), 10-12, 10-13, 10-14
    assert moved["deadline"] == "2026-10-14" and moved["paused_since"] is None
    assert ids(sheet(run, "2026-10-12")["paused"]) == []
    assert ids(sheet(run, "2026-10-08")["paused"]) == [case]  # the old sheet stays
    assert ids(sheet(run, "2026-10-14")["due_soon"]) == [case]
    ok(run, "undo", case, "--at", "2026-10-12 10:00")  # the resume taken back
    shown = ok(run, "show", case, "--json").json()
    assert shown["deadline"] == "2026-10-09" and shown["paused_since"] == "2026-09-30 10:00"


def test_a_case_settled_while_paused_is_resumed_then_resolved(run):
    """SPEC §5: `resolve` is a move from dispatched, paused or not. Dispatched Wednesday
    09-30 (standard: due 10-10, the make-up Saturday), paused that day, settled Monday 10-12:
    the clock restarts first and the deadline moves by 10-08, 10-09, 10-10 and 10-12 — four
    working days past the National Day break — to Thursday 10-15."""
    case = new_case(run, "2026-09-30 09:00", "--dept", "社会事务")
    ok(run, "dispatch", case, "--at", "2026-09-30 09:30")
    assert ok(run, "show", case, "--json").json()["deadline"] == "2026-10-10"
    ok(run, "pause", case, "--reason", "等待现场勘验", "--at", "2026-09-30 10:00")
    done = ok(run, "resolve", case, "--method", "m", "--outcome", "o",
              "--at", "2026-10-12 16:00", "--json").json()  # fmt: skip
    assert done["status"] == "resolved" and done["paused_since"] is None
    assert done["deadline"] == "2026-10-15"
    actions = [e["action"] for e in ok(run, "show", case, "--json").json()["timeline"]]
    assert actions[-2:] == ["resume", "resolve"]
    # on time in the week's figures; an undo takes back the resolution, the resume stays
    week = ok(run, "weekly", "--week", "2026-W42", "--json").json()
    assert week["resolved_on_time"] == 1
    ok(run, "undo", case, "--at", "2026-10-12 16:30")
    back = ok(run, "show", case, "--json").json()
    assert back["status"] == "dispatched" and back["paused_since"] is None


def test_a_paused_case_waits_for_resume(run, refused):
    case = new_case(run, "2026-10-08 09:00", "--dept", "社会事务")
    ok(run, "dispatch", case, "--at", "2026-10-08 09:30")
    refused("resume", case, message="is not paused")
    ok(run, "pause", case, "--reason", "等待申请人补正材料", "--at", "2026-10-08 10:00")
    for args in (
        ("urge", case),
        ("extend", case, "--days", "2", "--reason", "x"),
        ("pause", case, "--reason", "again"),
    ):
        line = refused(*args, message="paused since 2026-10-08 10:00")
        # the refusal names the status, as every refusal of a move does (SPEC §5)
        assert f"ledger resume {case}" in line and "is Dispatched" in line
    line = refused("--lang", "zh", "urge", case)
    assert "中止计时" in line and "恢复计时（resume）" in line and "“已转办”" in line
    ok(run, "note", case, "申请人来电说下周补齐", "--at", "2026-10-08 11:00")
    # the department signs for the order while its clock is stopped: on time, counted so
    ok(run, "ack", case, "--at", "2026-10-09 09:00")
    assert sheet(run, "2026-10-12")["unacknowledged"] == []
    ok(run, "resume", case, "--at", "2026-10-12 09:00")
    month = ok(run, "weekly", "--month", "2026-10", "--json").json()
    assert [d["acknowledged_in_time_rate"] for d in month["departments"]] == [1.0]


def test_a_pause_taken_back_gives_its_reason_back_too(run):
    """The sheet lists a paused case with the reason of the pause in force: after the second
    pause and the resume before it are undone, the first pause's."""
    case = new_case(run, "2026-10-12 09:00", "--dept", "市场准入")
    ok(run, "dispatch", case, "--at", "2026-10-12 09:01")
    ok(run, "pause", case, "--reason", "等待申请人补材料", "--at", "2026-10-13 09:00")
    ok(run, "resume", case, "--at", "2026-10-14 09:00")
    ok(run, "pause", case, "--reason", "等待专家意见", "--at", "2026-10-15 09:00")
    assert [p["reason"] for p in sheet(run, "2026-10-15")["paused"]] == ["等待专家意见"]
    ok(run, "undo", case, "--at", "2026-10-16 10:00")  # the second pause
    ok(run, "undo", case, "--at", "2026-10-16 10:01")  # the resume: paused since 10-13
    paused = sheet(run, "2026-10-16")["paused"]
    assert [(p["paused_since"], p["reason"]) for p in paused] == [
        ("2026-10-13 09:00", "等待申请人补材料")
    ]
    # the sheet of the day before the undos still reads as it did
    assert [p["reason"] for p in sheet(run, "2026-10-15")["paused"]] == ["等待专家意见"]


def _paused_sheet(run, tmp_path, name: str, *extra: str) -> tuple:
    """A case paused with a reason holding a phone number, another paused and resumed, both
    exported (`extra`: the export's options); the export's rows by id, and the file."""
    paused = new_case(run, "2026-10-12 09:00", "--dept", "市场准入")
    ok(run, "dispatch", paused, "--at", "2026-10-12 09:01")
    reason = "等待专家意见，专家电话13912345678"
    ok(run, "pause", paused, "--reason", reason, "--at", "2026-10-13 09:00")
    running = new_case(run, "2026-10-12 10:00", "--dept", "市场准入")
    ok(run, "dispatch", running, "--at", "2026-10-12 10:01")
    ok(run, "pause", running, "--reason", "等待补材料", "--at", "2026-10-13 10:00")
    ok(run, "resume", running, "--at", "2026-10-14 10:00")
    out = tmp_path / name
    ok(run, "export", "--out", out, *extra)
    if out.suffix == ".xlsx":
        return paused, running, out
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["ID"]: row for row in csv.DictReader(handle)}
    return paused, running, out, rows


def test_an_export_says_why_a_case_stands_still_beside_its_pause_date(run, tmp_path):
    """The pause's reason is its timeline's (the note of the pause in force): the export writes
    it in the column after the pause date, masked as the rest of the text is (SPEC §8)."""
    paused, running, _out, rows = _paused_sheet(run, tmp_path, "cases.csv")
    header = list(rows[paused])
    assert header[header.index("Paused since") + 1] == "Pause reason"
    assert rows[paused]["Paused since"] == "2026-10-13 09:00"
    assert rows[paused]["Pause reason"] == "等待专家意见，专家电话139****5678"
    assert rows[running]["Paused since"] == rows[running]["Pause reason"] == ""  # resumed
    _p, _r, _o, whole = _paused_sheet(run, tmp_path, "whole.csv", "--full-contact")
    assert whole[paused]["Pause reason"] == "等待专家意见，专家电话13912345678"


@pytest.mark.parametrize("name", ["cases.csv", "cases.xlsx"])
def test_an_imported_paused_case_keeps_its_reason_until_a_pause_of_its_own(
    run, tmp_path, monkeypatch, name
):
    """Moved to another ledger by export and import, a paused case is listed on the sheet with
    the reason the first ledger gave; `show` says it; a later pause says its own, and the
    sheet of a day before it still says the imported one."""
    paused, *_rest = _paused_sheet(run, tmp_path, name, "--full-contact")
    moved = tmp_path / "moved.db"
    monkeypatch.setenv("LEDGER_DB", str(moved))
    ok(run, "import", tmp_path / name)
    listed = sheet(run, "2026-10-14")["paused"]
    masked = "等待专家意见，专家电话139****5678"
    assert [(p["id"], p["reason"]) for p in listed] == [(paused, masked)]
    shown = ok(run, "show", paused).stdout
    assert "Pause reason: 等待专家意见" in " ".join(shown.split())
    assert "13912345678" not in shown
    # the sheet again: every case is already there, unchanged
    assert "0 new cases, 2 already" in ok(run, "import", tmp_path / name).stdout
    ok(run, "resume", paused, "--at", "2026-10-15 09:00")
    ok(run, "pause", paused, "--reason", "等待现场核查", "--at", "2026-10-16 09:00")
    assert [p["reason"] for p in sheet(run, "2026-10-16")["paused"]] == ["等待现场核查"]
    assert [p["reason"] for p in sheet(run, "2026-10-14")["paused"]] == [masked]
    assert "2 cases" in ok(run, "check").stdout


def test_a_pause_reason_without_a_pause_date_is_a_row_problem_with_its_fix(
    run, tmp_path, ledger_file
):
    book = tmp_path / "book.csv"
    book.write_text(
        "受理时间,反映人,事项名称,中止计时起,中止原因\n"
        "2026-10-12 09:00,张三,营业执照变更,,等待专家意见\n",
        encoding="utf-8",
    )
    before = digest(ledger_file)
    result = run("--lang", "zh", "import", book)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "第2行：有中止原因但没有中止计时起：填写中止计时起，或清空中止原因" in result.stderr
    assert digest(ledger_file) == before
    # a book with reasons and no pause-date column at all: the column is not read, and named
    book.write_text("受理时间,反映人,事项名称,中止原因\n2026-10-12 09:00,张三,营业执照,等材料\n")
    result = run("--lang", "zh", "import", book, "--dry-run")
    assert result.exit_code == 0 and "已忽略的列（未识别或重复）：中止原因" in result.stderr
    # a pause date that cannot be read is that date's problem alone: the reason has its date
    book.write_text(
        "受理时间,反映人,事项名称,承办单位,中止计时起,中止原因\n"
        "2026-10-12 09:00,张三,营业执照变更,市场准入,2026-13-45,等待专家意见\n",
        encoding="utf-8",
    )
    result = run("--lang", "zh", "import", book)
    assert result.exit_code == 1 and "2026-13-45" in result.stderr
    assert "清空中止原因" not in result.stderr
    assert digest(ledger_file) == before


# -- lead and assisting departments (主办 · 协办) ----------------------------------------


def test_assisting_departments_get_their_own_slip_and_no_figures(run, tmp_path):
    case = new_case(run, "2026-10-12 09:00")
    shown = ok(
        run,
        "dispatch",
        case,
        "--dept",
        "工程建设",
        "--assist",
        "投资项目",
        "--assist",
        "农水事务",
        "--at",
        "2026-10-12 10:00",
        "--json",
    ).json()
    assert shown["department"] == "工程建设" and shown["assist"] == ["投资项目", "农水事务"]
    slips = {g["department"]: g["cases"] for g in sheet(run, "2026-10-12")["to_dispatch"]}
    assert set(slips) == {"工程建设", "投资项目", "农水事务"}
    assert [c["role"] for c in slips["工程建设"]] == ["lead"]
    assert [c["role"] for c in slips["投资项目"]] == ["assist"]
    assert sheet(run, "2026-10-12")["counts"]["to_dispatch"] == 1
    page = tmp_path / "sheet.html"
    ok(run, "--lang", "zh", "daily", "--date", "2026-10-12", "--html", page)
    html = page.read_text(encoding="utf-8")
    # an assisting department's slip names the lead it works with
    assert html.count('<section class="slip">') == 3
    assert html.count("[协办，主办：工程建设]") == 4  # on the sheet and on the slip, each
    weekly = ok(run, "weekly", "--from", "2026-10-12", "--to", "2026-10-18", "--json").json()
    assert [d["department"] for d in weekly["departments"]] == ["工程建设"]
    assert weekly["by_department"] == {"工程建设": 1}


def test_a_returned_order_goes_back_without_its_assisting_departments(run, tmp_path):
    case = new_case(run, "2026-10-12 09:00")
    at = ("--at", "2026-10-12 09:10")
    ok(run, "dispatch", case, "--dept", "市场准入", "--assist", "税务", *at)
    ok(run, "return", case, "--reason", "不归我们", "--at", "2026-10-13 09:00")
    assert ok(run, "show", case, "--json").json()["assist"] == []
    waiting = sheet(run, "2026-10-14")["to_dispatch"]
    assert [(g["department"], [c["role"] for c in g["cases"]]) for g in waiting] == [
        (None, ["lead"])
    ]
    # the sheet of the day it went out is as it was, slips for both
    went_out = {g["department"] for g in sheet(run, "2026-10-12")["to_dispatch"]}
    assert went_out == {"市场准入", "税务"}
    page = tmp_path / "sheet.html"
    ok(run, "daily", "--date", "2026-10-14", "--html", page)
    html = page.read_text(encoding="utf-8")
    assert '<section class="slip">' not in html and case in html  # listed, no slip to sign
    # sent out again without --assist, it goes to the new lead alone; undo brings them back
    ok(run, "dispatch", case, "--dept", "工程建设", "--at", "2026-10-14 09:00")
    assert ok(run, "show", case, "--json").json()["assist"] == []
    for _ in range(3):  # the dispatch, the department it named, the return
        ok(run, "undo", case)
    shown = ok(run, "show", case, "--json").json()
    assert (shown["department"], shown["assist"]) == ("市场准入", ["税务"])


def test_an_order_waiting_for_its_lead_is_on_no_assisting_slip(run):
    case = new_case(run, "2026-10-12 09:00")
    ok(run, "classify", case, "--section", "market", "--assist", "税务", "--at", "2026-10-12 09:05")
    groups = sheet(run, "2026-10-12")["to_dispatch"]
    assert [(g["department"], ids(g["cases"])) for g in groups] == [(None, [case])]


def test_classify_that_changes_nothing_says_so(run, refused):
    case = new_case(run, "2026-10-12 09:00", "--dept", "市场准入", "--section", "market")
    for given in (("--dept", "市场准入"), ("--section", "market"), ("--limit", "standard")):
        refused("classify", case, *given, message=f"Case {case} is already classified so")
    refused("classify", case, message="--limit, --assist")
    line = refused("--lang", "zh", "classify", case, "--dept", "市场准入")
    assert "已是这样分类的" in line


def test_a_language_the_ledger_does_not_speak_is_a_command_line_error(refused, monkeypatch):
    refused("--lang", "fr", "list", code=2, message="Unsupported language 'fr'")
    monkeypatch.setenv("LEDGER_LANG", "fr")  # a setting, not the command line
    refused("list", code=1, message="Unsupported language 'fr'")
    # said in the language the clerk's locale gives (it was English whatever the locale)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    refused("list", code=1, message="不支持的语言“fr”")
    monkeypatch.delenv("LEDGER_LANG")
    refused("--lang", "fr", "list", code=2, message="不支持的语言“fr”")


def test_classify_sets_assisting_departments_and_the_lead_cannot_assist(run, refused):
    case = new_case(run, "2026-10-12 09:00", "--dept", "市场准入")
    assert ok(run, "classify", case, "--assist", "税务", "--json").json()["assist"] == ["税务"]
    refused("classify", case, "--assist", "市场准入", message="leads this case")
    refused("dispatch", case, "--assist", "税物", message="税务")  # the closest name offered
    ok(run, "dispatch", case, "--dept", "税务")  # the assisting one leads now
    assert ok(run, "show", case, "--json").json()["assist"] == []


def test_a_renamed_department_stays_an_assisting_one(run):
    case = new_case(run, "2026-10-12 09:00", "--dept", "市场准入")
    ok(run, "dispatch", case, "--assist", "税务", "--at", "2026-10-12 10:00")
    ok(run, "dept", "rename", "税务", "区税务局")
    assert ok(run, "show", case, "--json").json()["assist"] == ["区税务局"]
    slips = [g["department"] for g in sheet(run, "2026-10-12")["to_dispatch"]]
    assert slips == ["区税务局", "市场准入"]
    assert ok(run, "check").exit_code == 0


# -- chase notices and the escalation ladder (催办 → 通报) --------------------------------


@pytest.fixture
def late(run) -> dict[str, str]:
    """Two orders late after the break, at two departments; one chased on 10-08."""
    a = new_case(run, "2026-09-28 09:00", "--dept", "农水事务")  # due 10-08, after the break
    ok(run, "dispatch", a, "--at", "2026-09-28 09:30")
    b = new_case(run, "2026-09-29 09:00", "--dept", "社会事务")  # due 10-09
    ok(run, "dispatch", b, "--at", "2026-09-29 09:30")
    ok(run, "urge", a, "--note", "电话督办", "--at", "2026-10-08 09:00")
    return {"a": a, "b": b}


def test_to_be_reported_from_the_fifth_working_day_after_the_first_chase(run, late):
    # after 10-08: 10-09, 10-10 (Saturday make-up), 10-12, 10-13, 10-14
    assert sheet(run, "2026-10-13")["to_report"] == []
    listed = sheet(run, "2026-10-14")["to_report"]
    assert ids(listed) == [late["a"]]
    assert listed[0]["report_from"] == "2026-10-14" and listed[0]["days_overdue"] == 5
    assert sheet(run, "2026-10-14")["counts"]["to_report"] == 1
    ok(run, "settings", "set", "report_after_days", "3", "--at", "2026-10-12 08:00")
    assert ids(sheet(run, "2026-10-12")["to_report"]) == [late["a"]]
    assert sheet(run, "2026-10-12")["to_report"][0]["report_from"] == "2026-10-12"
    month = ok(run, "weekly", "--month", "2026-10", "--json").json()
    assert month["from"] == "2026-10-01" and month["to"] == "2026-10-31"
    assert month["to_report"] == 1


def test_a_case_not_late_on_its_report_day_is_not_to_be_reported(run):
    """SPEC §4: a case *still overdue* on the report day. A reminder sent the day of the
    dispatch (report day 11-09, its deadline) and a late extension past the report day put
    the case on the 通报 list its first day late, on the sheet, the notices and the figures."""
    reminded = new_case(run, "2026-11-02 09:00", "--dept", "税务", "--limit", "complex")
    ok(run, "dispatch", reminded, "--at", "2026-11-02 09:10")  # due 11-09
    ok(run, "urge", reminded, "--note", "提醒", "--at", "2026-11-02 09:20")
    extended = new_case(run, "2026-10-27 09:00", "--dept", "税务")  # due 10-30
    ok(run, "dispatch", extended, "--at", "2026-10-27 09:10")
    ok(run, "urge", extended, "--note", "电话督办", "--at", "2026-11-06 09:00")  # report 11-13
    ok(
        run,
        "extend",
        extended,
        "--days",
        "10",
        "--late",
        "--reason",
        "补材料",
        "--at",
        "2026-11-06 09:30",
    )
    assert ok(run, "show", extended, "--json").json()["deadline"] == "2026-11-13"
    for day in ("2026-11-10", "2026-11-16", "2026-11-20"):
        found = sheet(run, day)
        assert set(ids(found["overdue"])) == (
            {reminded, extended} if day > "2026-11-13" else {reminded}
        )
        assert found["to_report"] == [] and found["counts"]["to_report"] == 0
        notices = ok(run, "notices", "--date", day, "--json").json()
        assert [c["to_report"] for n in notices["notices"] for c in n["cases"]] == [False] * len(
            found["overdue"]
        )
    figures = ok(run, "weekly", "--from", "2026-11-09", "--to", "2026-11-20", "--json").json()
    assert figures["to_report"] == 0
    # late on its report day: reported from then on, as before
    ok(run, "urge", extended, "--note", "再次督办", "--at", "2026-11-16 09:00")
    chased = new_case(run, "2026-11-02 10:00", "--dept", "税务")  # due 11-05
    ok(run, "dispatch", chased, "--at", "2026-11-02 10:10")
    ok(run, "urge", chased, "--note", "电话督办", "--at", "2026-11-06 10:00")  # report 11-13
    assert ids(sheet(run, "2026-11-13")["to_report"]) == [chased]


def test_an_order_handed_out_and_resolved_the_same_day_keeps_its_slip(run):
    """The morning's print had both orders of 社会事务; the evening's reprint and the day's
    count of work orders lost the one resolved that afternoon."""
    waiting = new_case(run, "2026-10-08 09:00")
    fresh = new_case(run, "2026-10-12 09:00", "--dept", "社会事务")
    ok(run, "dispatch", waiting, "--dept", "社会事务", "--at", "2026-10-12 09:00")
    ok(run, "dispatch", fresh, "--at", "2026-10-12 09:10")
    ok(run, "resolve", waiting, "--cannot", "--reason", "不符合条件", "--at", "2026-10-12 15:00")
    found = sheet(run, "2026-10-12")
    slips = {g["department"]: ids(g["cases"]) for g in found["to_dispatch"]}
    assert slips == {"社会事务": sorted([waiting, fresh])}
    assert found["counts"]["to_dispatch"] == 2
    assert all(c["dispatched_today"] for c in found["to_dispatch"][0]["cases"])
    assert sheet(run, "2026-10-13")["to_dispatch"] == []


def test_notices_one_per_department_recorded_once_a_day(run, late, tmp_path):
    found = ok(run, "notices", "--date", "2026-10-14", "--json").json()
    assert found["date"] == "2026-10-14"
    assert [n["department"] for n in found["notices"]] == ["农水事务", "社会事务"]
    first = found["notices"][0]["cases"][0]
    assert (first["id"], first["days_overdue"], first["chase_count"], first["to_report"]) == (
        late["a"],
        5,
        1,
        True,
    )
    assert found["notices"][1]["floor"] == "3"
    recorded = ok(run, "notices", "--record", "--at", "2026-10-14 16:00", "--json").json()
    assert sorted(recorded["recorded"]) == sorted(late.values())
    shown = ok(run, "show", late["b"], "--json").json()
    assert shown["chase_count"] == 1 and shown["first_chase_at"] == "2026-10-14 16:00"
    again = ok(run, "notices", "--record", "--at", "2026-10-14 17:00", "--json").json()
    assert again["recorded"] == []  # a case is chased by one notice a day
    page = tmp_path / "notices.html"
    ok(run, "--lang", "zh", "notices", "--date", "2026-10-14", "--html", page)
    html = page.read_text(encoding="utf-8")
    assert html.count("<h1>催办通知书</h1>") == 2 and html.count('<section class="slip">') == 1
    assert "农水事务：" in html and "签收人" in html and "应予通报" in html
    # the notice carried to 社会事务 says where it goes, beside whom it is to; the seal line
    # names the window with its code, the date after both
    assert "<p><strong>社会事务（3楼）：</strong></p>" in html
    ok(run, "settings", "set", "window_code", "DG-01")
    ok(run, "--lang", "zh", "notices", "--date", "2026-10-14", "--html", page)
    html = page.read_text(encoding="utf-8")
    assert "（窗口代码 DG-01）（盖章）　　2026-10-14</p>" in html
    english = ok(run, "notices", "--date", "2026-10-14").stdout
    assert "Chase notice" in english and late["a"] in english
    # the standard text the printed notices carry, read at the terminal too
    assert "past their deadlines" in " ".join(english.split())
    assert "--html FILE" in english


def test_notice_refusals(run, late, refused):
    refused(
        "notices",
        "--date",
        "2026-10-13",
        "--record",
        "--at",
        "2026-10-14 09:00",
        message="recorded on that day",
    )
    refused("notices", "--at", "2026-10-14 09:00", message="--at goes with --record")
    refused("notices", "--date", "2026-13-01", message="2026-13-01")
    # a day to come: the refusal alone, not first a note promising the sheet "below"
    later = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    refused("notices", "--record", "--date", later, message="recorded on that day")


def test_the_notices_of_a_past_day_name_the_time_when_a_case_has_moved_since(run, late, refused):
    """A notice of 10-14 lists a case resolved on 10-20: recording it on 10-14 is refused for
    its time, not for the status the case has now."""
    ok(run, "resolve", late["b"], "--method", "m", "--outcome", "o", "--at", "2026-10-20 10:00")
    line = refused("notices", "--date", "2026-10-14", "--record", "--at", "2026-10-14 16:00")
    assert "before case 2026-0002's latest event (2026-10-20 10:00)" in line
    assert ok(run, "show", late["a"], "--json").json()["chase_count"] == 1  # nothing recorded


@pytest.mark.parametrize(
    "move",
    [
        ("urge", "2026-0001"),
        ("extend", "2026-0001", "--days", "1", "--reason", "r"),
        ("return", "2026-0001", "--reason", "r"),
        ("resolve", "2026-0001", "--method", "m", "--outcome", "o"),
    ],
    ids=lambda m: m[0],
)
def test_a_move_at_a_time_before_the_latest_event_is_refused_for_its_time(run, refused, move):
    case = new_case(run, "2026-10-12 09:00", "--dept", "税务")
    ok(run, "dispatch", case, "--at", "2026-10-12 09:30")
    ok(run, "resolve", case, "--method", "m", "--outcome", "o", "--at", "2026-10-13 10:00")
    line = refused(*move, "--at", "2026-10-12 12:00")
    assert "latest event (2026-10-13 10:00)" in line, line
    # without a time, the status is the reason
    assert "Resolved" in refused(*move)


@pytest.mark.parametrize("where", ["nowhere/notices.html", "folder", "ledger", "pipe"])
def test_notices_recorded_with_a_page_that_cannot_be_written_record_nothing(
    run, late, refused, ledger_file, where
):
    (ledger_file.parent / "folder").mkdir()
    os.mkfifo(ledger_file.parent / "pipe")  # nobody reads it: refused, the ledger never held
    page = ledger_file if where == "ledger" else ledger_file.parent / where
    args = ("notices", "--record", "--at", "2026-10-14 16:00", "--html", page)
    refused(*args)  # one line, and the ledger byte for byte as it was
    assert ok(run, "show", late["b"], "--json").json()["chase_count"] == 0
    assert not list(ledger_file.parent.rglob("*.partial"))


def test_no_notices_on_a_quiet_day(run, late):
    assert ok(run, "notices", "--date", "2026-09-29", "--json").json()["notices"] == []
    assert "No overdue work orders" in ok(run, "notices", "--date", "2026-09-29").stdout


# -- the period figures ------------------------------------------------------------------


def test_month_and_quarter_and_the_three_alarm_lines(run, tmp_path):
    a = new_case(run, "2026-10-08 09:00", "--dept", "税务")
    ok(run, "dispatch", a, "--at", "2026-10-08 09:30")
    ok(run, "ack", a, "--at", "2026-10-08 10:00")
    ok(run, "resolve", a, "--method", "m", "--outcome", "o", "--at", "2026-10-14 10:00")  # late
    ok(
        run,
        "feedback",
        a,
        "--via",
        "phone",
        "--satisfaction",
        "unsatisfied",
        "--at",
        "2026-10-14 11:00",
    )
    ok(run, "reopen", a, "--reason", "不满意", "--at", "2026-10-14 12:00")
    b = new_case(run, "2026-10-09 09:00", "--dept", "市场准入")
    ok(run, "dispatch", b, "--at", "2026-10-09 09:30")
    ok(run, "resolve", b, "--method", "m", "--outcome", "o", "--at", "2026-10-12 10:00")
    ok(
        run,
        "feedback",
        b,
        "--via",
        "phone",
        "--satisfaction",
        "satisfied",
        "--at",
        "2026-10-12 11:00",
    )
    ok(run, "settings", "set", "window_code", "DG-01")
    ok(run, "settings", "set", "window_name", "东港区办不成事反映窗口")
    quarter = ok(run, "weekly", "--quarter", "2026-Q4", "--json").json()
    assert (quarter["from"], quarter["to"]) == ("2026-10-01", "2026-12-31")
    assert quarter["window"] == {"name": "东港区办不成事反映窗口", "code": "DG-01"}
    assert quarter["reopened"] == 1 and quarter["first_time_rate"] == 0.5
    assert quarter["late_extensions"] == 0 and quarter["to_report"] == 0
    rows = {d["department"]: d for d in quarter["departments"]}
    tax = rows["税务"]
    assert (tax["dispatched"], tax["resolved_on_time"], tax["resolved_late"]) == (1, 0, 1)
    # resolved late, but reopened by the quarter's end: of the orders dispatched in the
    # quarter, none stood resolved at its end
    assert tax["on_time_rate"] == 0.0 and tax["resolution_rate"] == 0.0
    assert rows["市场准入"]["resolution_rate"] == 1.0
    # the applicant was answered in the quarter, then objected: told is told (the answer's
    # rating counts in the satisfaction rate too), whatever the reopening does after it
    assert tax["answered_rate"] == 1.0 and quarter["feedback_rate"] == 1.0
    assert tax["unsatisfied"] == 1 and tax["unsatisfied_rate"] == 1.0
    # the reopening of 10-14 sent the case back to 税务 as a redo (重办), an order of its own,
    # due to be acknowledged by 10-15 and never acknowledged; the first order of 10-08 was
    # acknowledged the same day: two orders, one in time
    assert tax["acknowledged_in_time_rate"] == 0.5
    assert rows["市场准入"]["acknowledged_in_time_rate"] == 0.0  # never acknowledged
    assert quarter["below_threshold"] == [
        {
            "department": "税务",
            "figures": {"on_time_rate": 0.0, "satisfaction_rate": 0.0},
        }
    ]
    assert quarter["thresholds"] == {
        "on_time_threshold": 0.9,
        "satisfaction_threshold": 0.85,
        "feedback_threshold": 0.92,
    }
    # every move of the quarter is in its first month
    month = ok(run, "weekly", "--month", "2026-10", "--json").json()
    for key in ("received", "resolved", "reopened", "departments", "below_threshold"):
        assert month[key] == quarter[key], key
    sheet_file = tmp_path / "month.csv"
    ok(run, "weekly", "--month", "2026-10", "--csv", sheet_file)
    cells = list(csv.reader(io.StringIO(sheet_file.read_text(encoding="utf-8-sig"))))
    assert cells[0][-2:] == ["东港区办不成事反映窗口", "DG-01"]
    below = cells.index(["Departments below an alarm line"])
    assert cells[below + 2] == ["税务", "On-time rate", "0.0%", "90.0%"]
    header = next(r for r in cells if r and r[0] == "Department")
    assert "Acknowledged in time" in header
    # the satisfaction rate that put 税务 under its alarm line is in the table too
    tax_row = next(r for r in cells if r and r[0] == "税务" and len(r) == len(header))
    assert tax_row[header.index("Satisfaction rate")] == "0.0%"
    table = ok(run, "weekly", "--month", "2026-10").stdout
    assert "税务" in table and "alarm line" in table and "Satisfaction" in table
    book = tmp_path / "month.xlsx"
    ok(run, "weekly", "--month", "2026-10", "--csv", book)
    from openpyxl import load_workbook

    rows = [list(r) for sheet in load_workbook(book).worksheets for r in sheet.values]
    at = next(n for n, r in enumerate(rows) if r[0] == "Department" and "Satisfaction rate" in r)
    header = rows[at]
    tax_row = next(r for r in rows[at:] if r[0] == "税务")
    assert tax_row[header.index("Satisfaction rate")] == 0.0


@pytest.mark.parametrize(
    "args, message",
    [
        (("--month", "2026-13"), "2026-13"),
        (("--month", "10/2026"), "2026-10"),
        (("--quarter", "2026-Q5"), "2026-Q4"),
        (("--month", "2026-10", "--week", "2026-W41"), "Give one of"),
        (("--quarter", "2026-Q4", "--from", "2026-10-01", "--to", "2026-10-02"), "Give one of"),
    ],
)
def test_bad_periods(refused, args, message):
    # two periods at once is a command line that cannot be read (exit 2); a period that is
    # no period, a value refused (exit 1)
    refused("weekly", *args, code=2 if message == "Give one of" else 1, message=message)


# -- the window's code --------------------------------------------------------------------


@pytest.mark.parametrize("value", ["DG 01", "D G", "DG-", "东港", "DG_01", "x" * 41])
def test_a_window_code_is_letters_digits_and_dashes(refused, value):
    refused("settings", "set", "window_code", value, message="letters, digits and '-'")


def test_the_window_travels_with_the_sheet(run, tmp_path):
    ok(run, "settings", "set", "window_code", "DG-01")
    daily = sheet(run, "2026-10-14")
    assert daily["window"] == {"name": None, "code": "DG-01"}
    page = tmp_path / "sheet.html"
    ok(run, "daily", "--date", "2026-10-14", "--html", page)
    assert "window code DG-01" in page.read_text(encoding="utf-8")
    assert "DG-01" in ok(run, "daily", "--date", "2026-10-14").stdout


# -- all of it through a sheet and back ---------------------------------------------------


def test_a_paused_order_keeps_its_slip_of_the_day_and_is_still_owed_an_acknowledgement(run):
    """A pause stops the deadline's clock (SPEC §4), not the department's acknowledgement
    of the order, which the week's acknowledged_in_time_rate counts; and an order handed out
    in the morning and paused in the afternoon stays on that day's slip (the evening's
    reprint is the morning's)."""
    case = new_case(run, "2026-11-24 09:00")
    ok(run, "dispatch", case, "--dept", "税务", "--at", "2026-11-24 09:30")
    morning = sheet(run, "2026-11-24")
    ok(run, "pause", case, "--reason", "等待申请人补正材料", "--at", "2026-11-24 11:00")
    evening = sheet(run, "2026-11-24")
    assert evening["to_dispatch"] == morning["to_dispatch"]
    assert [c["id"] for g in evening["to_dispatch"] for c in g["cases"]] == [case]
    assert evening["counts"]["to_dispatch"] == 1 and ids(evening["paused"]) == [case]
    # target 11-25 (ack_days 1); on Thursday 11-26 one working day past it, paused or not
    later = sheet(run, "2026-11-26")
    assert [(c["id"], c["days_past_target"]) for c in later["unacknowledged"]] == [(case, 1)]
    assert ids(later["paused"]) == [case] and later["overdue"] == later["due_soon"] == []
    week = ok(run, "weekly", "--from", "2026-11-23", "--to", "2026-11-26", "--json").json()
    row = next(d for d in week["departments"] if d["department"] == "税务")
    assert row["acknowledged_in_time_rate"] == 0.0
    # a case paused while it waits for its department is not handed out
    waiting = new_case(run, "2026-11-25 09:00", "--section", "market")
    ok(run, "pause", waiting, "--reason", "等待材料", "--at", "2026-11-25 10:00")
    assert waiting not in [
        c["id"] for g in sheet(run, "2026-11-25")["to_dispatch"] for c in g["cases"]
    ]


def test_export_and_import_carry_the_practice_fields(run, tmp_path, ledger_file, monkeypatch):
    a = new_case(run, "2026-09-29 09:00", "--dept", "工程建设")
    ok(run, "dispatch", a, "--assist", "投资项目", "--at", "2026-09-29 09:30")
    ok(run, "ack", a, "--at", "2026-09-30 09:00")
    ok(run, "urge", a, "--at", "2026-10-08 09:00")
    ok(run, "pause", a, "--reason", "等待检测报告", "--at", "2026-10-09 09:00")
    out = tmp_path / "all.csv"
    ok(run, "export", "--full-contact", "--out", out)
    before = {d: sheet(run, d) for d in ("2026-09-29", "2026-09-30", "2026-10-08", "2026-10-14")}
    cases = ok(run, "list", "--json").json()
    other = tmp_path / "other.db"
    monkeypatch.setenv("LEDGER_DB", str(other))
    ok(run, "import", out)
    assert ok(run, "list", "--json").json() == cases
    for day, then in before.items():
        now = sheet(run, day)
        for key in ("unacknowledged", "paused", "to_report", "overdue", "due_soon"):
            assert ids(now[key]) == ids(then[key]), (day, key)
    assert ok(run, "check").exit_code == 0
    unchanged = digest(other)
    ok(run, "import", out)
    assert digest(other) == unchanged


def test_the_resolution_rate_is_a_share_of_the_orders_dispatched_in_the_period(run):
    """Orders dispatched before a week and resolved in it once counted over that week's own
    dispatches: a department handed one order and resolving three showed 300% (SPEC §6: rates
    are fractions from 0 to 1). It is the share of the week's orders resolved by its end."""
    for n, at in enumerate(("2026-10-09 09:00", "2026-10-09 10:00", "2026-10-09 11:00")):
        case = new_case(run, at, "--dept", "税务")
        ok(run, "dispatch", case, "--at", at[:11] + "15:00")
        ok(run, "resolve", case, "--method", "m", "--outcome", "o", "--at", f"2026-10-13 1{n}:00")
    late = new_case(run, "2026-10-12 09:00", "--dept", "税务")
    ok(run, "dispatch", late, "--at", "2026-10-12 09:30")
    again = new_case(run, "2026-10-12 10:00", "--dept", "税务")
    ok(run, "dispatch", again, "--at", "2026-10-12 10:30")
    ok(run, "resolve", again, "--method", "m", "--outcome", "o", "--at", "2026-10-14 09:00")
    week = ok(run, "weekly", "--week", "2026-W42", "--json").json()
    (tax,) = [d for d in week["departments"] if d["department"] == "税务"]
    assert (tax["dispatched"], tax["resolved_on_time"] + tax["resolved_late"]) == (2, 4)
    assert tax["resolution_rate"] == 0.5  # the 10-12 orders: one of two resolved by Sunday
    every = [d["resolution_rate"] for w in ("2026-W41", "2026-W42", "2026-W43") for d in
             ok(run, "weekly", "--week", w, "--json").json()["departments"]]  # fmt: skip
    assert all(rate is None or 0 <= rate <= 1 for rate in every)
    # as of the week's end: a resolution after it does not count for it
    ok(run, "resolve", late, "--method", "m", "--outcome", "o", "--at", "2026-10-19 09:00")
    again_week = ok(run, "weekly", "--week", "2026-W42", "--json").json()
    assert [d for d in again_week["departments"] if d["department"] == "税务"] == [tax]


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (("--week", "2026-W41"), "周报", "Weekly figures"),
        (("--month", "2026-10"), "月报", "Monthly figures"),
        (("--quarter", "2026-Q4"), "季报", "Quarterly figures"),
        (("--from", "2026-10-01", "--to", "2026-10-20"), "统计报表", "Figures"),
    ],
)
def test_a_report_is_named_by_its_period(run, tmp_path, args, zh, en):
    assert ok(run, "--lang", "zh", "weekly", *args).stdout.splitlines()[0].count(zh) == 1
    assert en in ok(run, "weekly", *args).stdout.splitlines()[0]
    sheet = tmp_path / "figures.csv"
    ok(run, "--lang", "zh", "weekly", *args, "--csv", sheet)
    assert sheet.read_text(encoding="utf-8-sig").startswith(zh)


@pytest.mark.parametrize(
    "period",
    [
        ("--week", "2026-W45"),
        ("--quarter", "2026-Q4"),
        ("--from", "2026-11-02", "--to", "2026-11-06"),
    ],
)
def test_a_case_resolved_again_was_not_resolved_the_first_time(run, period):
    """SPEC §6 `first_time_rate`: of the cases resolved in the period, the share not reopened
    by its end. A case resolved, reopened and resolved again in one week was reopened: it
    once counted as done the first time (only a reopening after its last resolution was
    looked at). A quarter is counted the long way, a week the short way: both agree."""
    redo = new_case(run, "2026-11-02 09:00", "--dept", "市场准入")
    ok(run, "dispatch", redo, "--at", "2026-11-02 09:10")
    ok(run, "resolve", redo, "--method", "a", "--outcome", "b", "--at", "2026-11-03 09:00")
    ok(run, "feedback", redo, "--via", "phone", "--satisfaction", "unsatisfied",
       "--at", "2026-11-03 10:00")  # fmt: skip
    ok(run, "reopen", redo, "--reason", "不满意", "--at", "2026-11-04 09:00")
    ok(run, "resolve", redo, "--method", "a2", "--outcome", "b2", "--at", "2026-11-05 09:00")
    once = new_case(run, "2026-11-02 09:30", "--dept", "税务")
    ok(run, "resolve", once, "--method", "a", "--outcome", "b", "--at", "2026-11-04 09:00")
    figures = ok(run, "weekly", *period, "--json").json()
    assert (figures["resolved"], figures["reopened"]) == (2, 1)
    assert figures["first_time_rate"] == 0.5
    # reopened in October, resolved again in the week: not the first time either
    earlier = new_case(run, "2026-10-12 09:00", "--dept", "社会事务")
    ok(run, "resolve", earlier, "--method", "a", "--outcome", "b", "--at", "2026-10-13 09:00")
    ok(run, "reopen", earlier, "--reason", "不满意", "--at", "2026-10-14 09:00")
    ok(run, "resolve", earlier, "--method", "c", "--outcome", "d", "--at", "2026-11-05 10:00")
    figures = ok(run, "weekly", *period, "--json").json()
    assert figures["resolved"] == 3 and figures["first_time_rate"] == 0.3333
    # a reopening taken back is no reopening
    ok(run, "undo", redo, "--at", "2026-11-05 11:00")  # the second resolution
    ok(run, "undo", redo, "--at", "2026-11-05 11:01")  # the reopening
    figures = ok(run, "weekly", *period, "--json").json()
    assert figures["resolved"] == 3 and figures["first_time_rate"] == 0.6667


# -- a department's work orders: sent back (退单) and sent again (重办) ---------------------


def _department_rows(run, *period: str) -> dict[str, dict]:
    found = ok(run, "weekly", *period, "--json").json()
    return {row["department"]: row for row in found["departments"]}


def _both_ways(run, monkeypatch, *period: str) -> list[dict[str, dict]]:
    """The department table counted case by case and by the moves (a long period's way)."""
    from ledger import store

    found = []
    for switch in (dt.timedelta(days=10**6), dt.timedelta(0)):
        monkeypatch.setattr(store, "LONG_PERIOD", switch)
        found.append(_department_rows(run, *period))
    return found


def test_an_order_its_department_sent_back_is_not_that_departments(run, monkeypatch):
    """SPEC §5: return clears the department; §6: the lead is the case's department in every
    figure. 税务 sent both orders back; the window settled one itself."""
    x1 = new_case(run, "2026-10-19 09:00", "--dept", "税务")
    ok(run, "dispatch", x1, "--at", "2026-10-19 10:00")
    ok(run, "ack", x1, "--at", "2026-10-19 11:00")
    ok(run, "return", x1, "--reason", "非本单位", "--at", "2026-10-20 09:00")
    ok(run, "resolve", x1, "--method", "窗口自行解决", "--outcome", "o", "--at", "2026-10-20 10:00")
    x2 = new_case(run, "2026-10-19 09:10", "--dept", "税务")
    ok(run, "dispatch", x2, "--at", "2026-10-19 10:10")
    ok(run, "return", x2, "--reason", "非本单位", "--at", "2026-10-20 09:00")
    # sent again, to another department: that one's order
    ok(run, "dispatch", x2, "--dept", "市场准入", "--at", "2026-10-20 10:00")
    for rows in _both_ways(run, monkeypatch, "--week", "2026-W43"):
        assert rows["税务"]["dispatched"] == 0
        # x1 was signed for in time before it went back, and that stands; x2 went back
        # unsigned by its target day: the return was 税务's answer, not a late signature
        assert rows["税务"]["acknowledged_in_time_rate"] == 1.0
        assert rows["市场准入"]["dispatched"] == 1
    # the week before the return still shows the order where it was: 10-19 alone
    for rows in _both_ways(run, monkeypatch, "--from", "2026-10-19", "--to", "2026-10-19"):
        assert rows["税务"]["dispatched"] == 2
        assert rows["税务"]["resolution_rate"] == 0.0
    # a return taken back (undo) gives the order back to its department
    ok(run, "undo", x1, "--at", "2026-10-20 11:00")  # the window's resolution
    ok(run, "undo", x1, "--at", "2026-10-20 11:01")  # the return
    for rows in _both_ways(run, monkeypatch, "--week", "2026-W43"):
        assert rows["税务"]["dispatched"] == 1
        assert rows["税务"]["acknowledged_in_time_rate"] == 1.0


def test_a_return_after_an_order_was_settled_changes_no_periods_figure(run, monkeypatch):
    """An order sent back (退单) counted late in its week and nowhere in its month: the
    return, after the target day, dropped it from every period that ended after it. A return
    answers an order only while it is not yet settled; after that the order stays as it was
    settled, so the weeks add up to their month."""
    for name in ("甲", "乙", "丙", "丁"):
        ok(run, "dept", "add", name)

    def handed_out(dept: str, at: str) -> str:
        case = new_case(run, at, "--dept", dept)
        ok(run, "dispatch", case, "--at", at.replace("09:00", "09:30"))
        return case

    # 丁: handed out Friday 10-09, due on the make-up Saturday 10-10, sent back on the Monday
    ok(run, "return", handed_out("丁", "2026-10-09 09:00"), "--reason", "非本单位",
       "--at", "2026-10-12 09:00")  # fmt: skip
    # 甲: due Friday 10-16, unsigned, sent back the Tuesday after: late in the week of 10-12
    late = handed_out("甲", "2026-10-15 09:00")
    # 乙: handed out Friday 10-16, sent back unsigned on its Monday target: answered by it
    ok(run, "return", handed_out("乙", "2026-10-16 09:00"), "--reason", "非本单位",
       "--at", "2026-10-19 16:00")  # fmt: skip
    # 丙: signed for in time, then sent back: signed in time all the same
    signed = handed_out("丙", "2026-10-19 09:00")
    ok(run, "ack", signed, "--at", "2026-10-19 11:00")
    ok(run, "return", signed, "--reason", "非本单位", "--at", "2026-10-21 09:00")
    before = _both_ways(run, monkeypatch, "--week", "2026-W42")
    ok(run, "return", late, "--reason", "非本单位", "--at", "2026-10-20 09:00")
    weeks = {
        week: _both_ways(run, monkeypatch, "--week", week)
        for week in ("2026-W41", "2026-W42", "2026-W43", "2026-W44")
    }
    assert weeks["2026-W42"] == before  # a return the week after changes nothing in it

    def rate(rows: dict, dept: str) -> float | None:
        return rows.get(dept, {}).get("acknowledged_in_time_rate")

    for way in (0, 1):
        assert rate(weeks["2026-W41"][way], "丁") == 0.0
        assert rate(weeks["2026-W42"][way], "甲") == 0.0
        assert rate(weeks["2026-W43"][way], "丙") == 1.0
        assert not any(rate(rows[way], "乙") is not None for rows in weeks.values())
        assert rate(weeks["2026-W43"][way], "甲") is None  # counted once, in its week
    for month in _both_ways(run, monkeypatch, "--month", "2026-10"):
        assert [rate(month, d) for d in ("甲", "乙", "丙", "丁")] == [0.0, None, 1.0, 0.0]
        assert all(month[d]["dispatched"] == 0 for d in ("甲", "丙", "丁"))


def test_a_reopening_sent_back_to_its_department_is_a_work_order(run, monkeypatch):
    """重办: the sheet hands the order out again and waits for its acknowledgement; the
    week's department row counts it the same way."""
    case = new_case(run, "2026-10-12 09:00", "--section", "market", "--dept", "市场准入")
    ok(run, "dispatch", case, "--at", "2026-10-12 10:00")
    ok(run, "ack", case, "--at", "2026-10-12 11:00")
    ok(run, "resolve", case, "--method", "m", "--outcome", "o", "--at", "2026-10-13 10:00")
    ok(run, "feedback", case, "--via", "phone", "--satisfaction", "unsatisfied",
       "--at", "2026-10-13 11:00")  # fmt: skip
    ok(run, "reopen", case, "--reason", "r", "--at", "2026-10-19 09:00")
    unacknowledged = sheet(run, "2026-10-21")["unacknowledged"]
    assert [(c["id"], c["days_past_target"]) for c in unacknowledged] == [(case, 1)]
    for rows in _both_ways(run, monkeypatch, "--week", "2026-W43"):
        row = rows["市场准入"]
        assert (row["dispatched"], row["resolution_rate"]) == (1, 0.0)
        assert row["acknowledged_in_time_rate"] == 0.0  # due 10-20, not signed by the 25th
    # a reopening without a department goes back to the window: no one's order
    other = new_case(run, "2026-10-12 09:30")
    ok(run, "resolve", other, "--method", "m", "--outcome", "o", "--at", "2026-10-12 10:30")
    ok(run, "reopen", other, "--reason", "r", "--at", "2026-10-19 09:30")
    for rows in _both_ways(run, monkeypatch, "--week", "2026-W43"):
        assert sum(row["dispatched"] for row in rows.values()) == 1


def test_a_refusal_names_only_moves_the_case_allows(run, refused):
    """'Allowed now' offered `ack` on an order already acknowledged and `undo` on a case with
    nothing to take back: each of them then refused in its turn."""
    case = new_case(run, "2026-10-19 09:00", "--dept", "税务")
    ok(run, "dispatch", case, "--at", "2026-10-19 10:00")
    ok(run, "ack", case, "--at", "2026-10-20 09:00")
    ok(run, "pause", case, "--reason", "等材料", "--at", "2026-10-20 09:01")
    line = refused("pause", case, "--reason", "再等", "--at", "2026-10-20 09:02")
    allowed = line.split("Allowed now: ")[1].split(", ")
    assert allowed == ["resolve", "void", "note", "edit", "undo", "resume"]
    fresh = new_case(run, "2026-10-20 09:00")
    line = refused("urge", fresh, "--at", "2026-10-20 09:00")
    allowed = line.split("Moves allowed now: ")[1].split(", ")
    assert allowed == ["classify", "dispatch", "resolve", "void", "note", "edit", "pause"]
    refused("undo", fresh, message="has no move left to take back")


def test_an_order_due_after_a_long_closure_counts_in_the_week_it_falls_due(run, ledger_file):
    """The window closed 10-12 to 10-30 (a refit the clerk entered beforehand): an order
    handed out on the make-up Saturday 10-10 is due on Monday 11-02, and counted in no
    period."""
    for day in range(12, 31):
        ok(run, "calendar", "holiday", f"2026-10-{day}", "--name", "闭馆装修")
    # entered on 10-09, as a refit is known in advance (one entered later is not in force
    # on the days before it: SPEC §3)
    conn = sqlite3.connect(ledger_file)
    with conn:
        conn.execute("UPDATE calendar_changes SET at = '2026-10-09 17:00'")
        conn.execute("UPDATE calendar_overrides SET entered_at = '2026-10-09 17:00'")
    conn.close()
    case = new_case(run, "2026-10-10 09:00", "--dept", "税务")
    ok(run, "dispatch", case, "--at", "2026-10-10 09:30")
    assert _ack_rates(run, "--week", "2026-W45") == {"税务": 0.0}
    assert _ack_rates(run, "--month", "2026-11")["税务"] == 0.0
    assert _ack_rates(run, "--month", "2026-10")["税务"] is None  # handed out, not yet due


def test_every_order_of_a_case_handed_out_again_counts_once(run):
    """A case reopened (or returned and sent again) is two orders: the month looked at its
    last only, so its weeks counted two and the month one; and a Friday order a reopening
    superseded in its target week was counted nowhere."""
    ok(run, "dept", "add", "甲")
    late = new_case(run, "2026-09-07 09:00", "--dept", "甲")
    ok(run, "dispatch", late, "--at", "2026-09-07 09:30")  # due 09-08
    ok(run, "ack", late, "--by", "某", "--at", "2026-09-09 10:00")  # late
    ok(run, "resolve", late, "--method", "m", "--outcome", "o", "--at", "2026-09-10 09:00")
    ok(run, "feedback", late, "--via", "phone", "--satisfaction", "unsatisfied",
       "--at", "2026-09-10 10:00")  # fmt: skip
    ok(run, "reopen", late, "--reason", "不满意", "--at", "2026-09-15 09:00")
    ok(run, "ack", late, "--by", "某", "--at", "2026-09-15 10:00")  # in time
    assert _ack_rates(run, "--week", "2026-W37")["甲"] == 0.0
    assert _ack_rates(run, "--week", "2026-W38")["甲"] == 1.0
    assert _ack_rates(run, "--month", "2026-09")["甲"] == 0.5  # both, each once
    # a Friday order never signed for, the case resolved on its Monday target and reopened
    # on the Tuesday: the resolution answered the first order, the second was signed
    ok(run, "dept", "add", "乙")
    friday = new_case(run, "2026-10-16 09:00", "--dept", "乙")
    ok(run, "dispatch", friday, "--at", "2026-10-16 09:30")
    ok(run, "resolve", friday, "--method", "m", "--outcome", "o", "--at", "2026-10-19 15:00")
    ok(run, "feedback", friday, "--via", "phone", "--satisfaction", "unsatisfied",
       "--at", "2026-10-19 16:00")  # fmt: skip
    ok(run, "reopen", friday, "--reason", "不满意", "--at", "2026-10-20 09:00")
    ok(run, "ack", friday, "--by", "某", "--at", "2026-10-20 10:00")
    assert _ack_rates(run, "--week", "2026-W42")["乙"] is None  # not due in its own week
    assert _ack_rates(run, "--week", "2026-W43")["乙"] == 1.0
    assert _ack_rates(run, "--month", "2026-10")["乙"] == 1.0  # 1 order owed, in time
    # an order handed out again (a reopening) before its target day, unsigned, was never due
    again = new_case(run, "2026-11-02 09:00", "--dept", "甲")
    ok(run, "dispatch", again, "--at", "2026-11-02 09:30")  # due 11-03
    ok(run, "resolve", again, "--method", "m", "--outcome", "o", "--at", "2026-11-02 10:00")
    ok(run, "reopen", again, "--reason", "未解决", "--at", "2026-11-02 11:00")
    ok(run, "ack", again, "--by", "某", "--at", "2026-11-03 09:00")
    assert _ack_rates(run, "--week", "2026-W45")["甲"] == 1.0


def test_an_order_its_department_resolved_by_its_target_unsigned_was_never_owed(run):
    """A department that did the work within its acknowledgement target without signing
    for the order was counted as acknowledging late, though the sheet never listed the order
    unsigned. Resolved after the target, unsigned, it stays late; a resolution taken back
    by `undo` answered nothing."""
    ok(run, "dept", "add", "丙")

    def order(day: str) -> str:
        case = new_case(run, f"{day} 09:00", "--dept", "丙")
        ok(run, "dispatch", case, "--at", f"{day} 09:30")
        return case

    def resolve(case: str, at: str) -> None:
        ok(run, "resolve", case, "--method", "m", "--outcome", "o", "--at", at)

    # Wednesday 09-30, the last day before the National Day break: due Thursday 10-08, the
    # first working day after it (10-01..10-07 are the break)
    before_break = order("2026-09-30")
    resolve(before_break, "2026-10-08 16:00")  # on its target day
    assert _ack_rates(run, "--week", "2026-W41").get("丙") is None
    # Friday 10-09: due Saturday 10-10, a make-up working day
    made_up = order("2026-10-09")
    resolve(made_up, "2026-10-12 10:00")  # the Monday after: past its target
    assert _ack_rates(run, "--week", "2026-W41")["丙"] == 0.0  # one owed, late
    # Monday 10-19, due 10-20: resolved that day, the resolution undone on the Wednesday
    undone = order("2026-10-19")
    resolve(undone, "2026-10-20 11:00")
    assert _ack_rates(run, "--week", "2026-W43").get("丙") is None
    ok(run, "undo", undone, "--at", "2026-10-21 09:00")
    assert _ack_rates(run, "--week", "2026-W43")["丙"] == 0.0  # as its end sees it
    # the morning sheet agrees: an order resolved in time was never listed unsigned
    sheet = ok(run, "daily", "--date", "2026-10-09", "--json").json()
    assert sheet["unacknowledged"] == []
    # the month: the order resolved past its target and the one whose resolution was undone
    assert _ack_rates(run, "--month", "2026-10")["丙"] == 0.0


def test_an_order_is_held_to_the_ack_days_of_the_day_it_was_handed_out(run):
    """A change of ack_days gave an order another target in each week that read it: late
    in two weeks, or in none."""
    case = new_case(run, "2026-10-15 09:00", "--dept", "税务")
    ok(run, "dispatch", case, "--at", "2026-10-15 09:30")  # Thursday; due Friday 10-16
    ok(run, "settings", "set", "ack_days", "3", "--at", "2026-10-19 08:00")
    assert _ack_rates(run, "--week", "2026-W42")["税务"] == 0.0
    assert _ack_rates(run, "--week", "2026-W43")["税务"] is None  # counted once, in W42
    assert _ack_rates(run, "--month", "2026-10")["税务"] == 0.0


def _paused_over_its_report_day(run) -> None:
    """2026-0001: dispatched 09-28, chased 10-09 (report day 10-15), paused on 10-15 and
    resumed 10-19."""
    for args in (
        ("add", "--applicant", "甲", "--matter", "m", "--dept", "市场准入",
         "--at", "2026-09-28 09:00"),
        ("dispatch", "2026-0001", "--at", "2026-09-28 09:05"),
        ("urge", "2026-0001", "--at", "2026-10-09 09:00"),
        ("pause", "2026-0001", "--reason", "等待现场踏勘", "--at", "2026-10-15 09:00"),
        ("resume", "2026-0001", "--at", "2026-10-19 09:00"),
    ):  # fmt: skip
        assert run(*args).exit_code == 0, args


def test_a_case_paused_over_its_report_day_is_not_said_to_be_reported_from_it(run):
    """Chased 10-09 (report day 10-15), paused on 10-15 and resumed 10-19: the sheets of
    10-15 and 10-16 did not list it, and the sheet of 10-19 said "reported from 10-15"."""
    _paused_over_its_report_day(run)
    for args in (
        # the same case without the pause
        ("add", "--applicant", "乙", "--matter", "n", "--dept", "市场准入",
         "--at", "2026-09-28 09:10"),
        ("dispatch", "2026-0002", "--at", "2026-09-28 09:15"),
        ("urge", "2026-0002", "--at", "2026-10-09 09:10"),
    ):  # fmt: skip
        assert run(*args).exit_code == 0, args
    for day in ("2026-10-14", "2026-10-15", "2026-10-16", "2026-10-19", "2026-10-22"):
        # the one never paused is to be reported from 10-15, on every sheet from then
        shown = [] if day == "2026-10-14" else [("2026-0002", "2026-10-15")]
        sheet = run("daily", "--date", day, "--json").json()
        assert [(c["id"], c["report_from"]) for c in sheet["to_report"]] == shown, day
        notices = run("notices", "--date", day, "--json").json()
        marked = [c["id"] for n in notices["notices"] for c in n["cases"] if c["to_report"]]
        assert marked == [i for i, _ in shown], day
    week = run("weekly", "--week", "2026-W43", "--json").json()
    assert week["to_report"] == 1


def test_a_pause_over_the_report_day_undone_later_is_taken_back_from_then_on(run):
    """Undone, the pause was never a pause: from the day of the undo the case is one to be
    reported from its report day; the sheets before the undo stay as they were."""
    _paused_over_its_report_day(run)
    before = run("daily", "--date", "2026-10-20", "--json").json()["to_report"]
    assert before == []
    for _ in range(2):  # the resumption, then the pause
        assert run("undo", "2026-0001", "--reason", "误操作").exit_code == 0
    today = run("daily", "--json").json()
    assert [(c["id"], c["report_from"]) for c in today["to_report"]] == [
        ("2026-0001", "2026-10-15")
    ]
    assert run("daily", "--date", "2026-10-20", "--json").json()["to_report"] == before
