"""SPEC §3–§6: the timeline is the whole truth. Each defect the fortnight's trial found has its
test here: breakdowns of a past week, a returned order, events in codes, undo, deadlines that
follow the calendar, late extensions."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from conftest import first_unconfirmed_year, nth_working_day


def ok(run, *args):
    result = run(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result


def show(run, case_id: str) -> dict:
    return ok(run, "show", case_id, "--json").json()


# -- reports of a past period read what was in force then -------------------------------


def test_a_past_weeks_breakdowns_do_not_change_with_later_classification(run):
    # week 40 of 2026: Monday 09-28 to Sunday 10-04
    ok(
        run,
        "add",
        "--applicant",
        "甲",
        "--matter",
        "一",
        "--section",
        "market",
        "--at",
        "2026-09-28 09:00",
    )
    ok(run, "add", "--applicant", "乙", "--matter", "二", "--at", "2026-09-29 09:00")
    before = ok(run, "weekly", "--week", "2026-W40", "--json").json()
    assert before["by_section"] == {"market": 1, "none": 1}
    assert before["by_problem"] == {"none": 2} and before["by_department"] == {"none": 2}
    # the second case is classified and dispatched a week later
    ok(
        run,
        "classify",
        "2026-0002",
        "--section",
        "market",
        "--section",
        "social",
        "--at",
        "2026-10-08 09:00",
    )
    ok(
        run,
        "edit",
        "2026-0002",
        "--problem",
        "not-approved",
        "--channel",
        "phone",
        "--at",
        "2026-10-08 09:10",
    )
    ok(run, "dispatch", "2026-0002", "--dept", "社会事务", "--at", "2026-10-08 10:00")
    after = ok(run, "weekly", "--week", "2026-W40", "--json").json()
    assert {k: after[k] for k in before if k.startswith("by_")} == {
        k: before[k] for k in before if k.startswith("by_")
    }
    # the week of the classification counts what was in force at its end
    later = ok(run, "weekly", "--from", "2026-09-28", "--to", "2026-10-09", "--json").json()
    assert later["by_section"] == {"market": 2, "social": 1}
    assert later["by_department"] == {"none": 1, "社会事务": 1}
    assert later["by_problem"] == {"none": 1, "not-approved": 1}


def test_a_returned_order_leaves_the_returning_department(run, tmp_path):
    ok(run, "add", "--applicant", "甲", "--matter", "一", "--at", "2026-10-12 09:00")
    ok(run, "dispatch", "2026-0001", "--dept", "市场准入", "--at", "2026-10-12 10:00")
    ok(run, "return", "2026-0001", "--reason", "不属本科室", "--at", "2026-10-12 11:00")
    case = show(run, "2026-0001")
    assert case["status"] == "classified" and case["department"] is None
    returned = next(e for e in case["timeline"] if e["action"] == "return")
    assert returned["changes"] == [{"field": "department", "old": "市场准入", "new": None}]
    sheet = ok(run, "daily", "--date", "2026-10-12", "--json").json()
    groups = {g["department"]: [c["id"] for c in g["cases"]] for g in sheet["to_dispatch"]}
    assert groups == {None: ["2026-0001"]}
    page = tmp_path / "sheet.html"
    ok(run, "daily", "--date", "2026-10-12", "--html", page)
    assert "转办工单 · 市场准入" not in page.read_text(encoding="utf-8")
    # the morning before, it was still out with the department
    sheet = ok(run, "daily", "--date", "2026-10-12", "--json").json()
    ok(run, "dispatch", "2026-0001", "--dept", "税务", "--at", "2026-10-12 12:00")
    again = ok(run, "daily", "--date", "2026-10-12", "--json").json()
    assert {g["department"] for g in again["to_dispatch"]} == {"税务"}


def test_events_keep_codes_and_the_words_follow_the_reader(run):
    ok(
        run,
        "--lang",
        "zh",
        "add",
        "--applicant",
        "甲",
        "--matter",
        "一",
        "--at",
        "2026-10-12 09:00",
    )
    ok(
        run,
        "--lang",
        "zh",
        "classify",
        "2026-0001",
        "--section",
        "市场准入",
        "--scope",
        "属于五类",
        "--limit",
        "复杂",
        "--at",
        "2026-10-12 09:10",
    )
    ok(run, "--lang", "zh", "edit", "2026-0001", "--channel", "电话", "--at", "2026-10-12 09:20")
    timeline = ok(run, "--lang", "en", "show", "2026-0001", "--json").json()["timeline"]
    classified = {c["field"]: c["new"] for c in timeline[1]["changes"]}
    assert classified["sections"] == ["market"] and classified["scope"] == "within"
    assert classified["limit"] == "complex" and classified["deadline"] == "2026-10-19"
    assert timeline[1]["note"] is None  # no words of the day were stored
    assert timeline[2]["changes"] == [{"field": "channel", "old": None, "new": "phone"}]
    english = ok(run, "--lang", "en", "show", "2026-0001").stdout
    assert "Market access" in english and "Complex" in english and "市场准入" not in english
    chinese = ok(run, "--lang", "zh", "show", "2026-0001").stdout
    assert "受理渠道" in chinese and "Channel" not in chinese


# -- undo -------------------------------------------------------------------------------


@pytest.fixture
def late_case(run):
    """Due Monday 10-12 (after the make-up Saturday), chased, then resolved by mistake on
    Wednesday 10-14."""
    ok(run, "add", "--applicant", "甲", "--matter", "一", "--at", "2026-10-08 09:00")
    ok(run, "dispatch", "2026-0001", "--dept", "税务", "--at", "2026-10-08 10:00")
    ok(run, "urge", "2026-0001", "--at", "2026-10-14 09:00")
    ok(run, "resolve", "2026-0001", "--method", "m", "--outcome", "o", "--at", "2026-10-14 10:00")
    return "2026-0001"


def test_undo_takes_back_a_mistaken_resolution_everywhere(run, late_case, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    week = ["weekly", "--from", "2026-10-12", "--to", "2026-10-18", "--json"]
    assert ok(run, *week).json()["resolved"] == 1
    undone = ok(
        run, "undo", late_case, "--reason", "办结录错了", "--at", "2026-10-15 09:00", "--json"
    ).json()
    assert undone["status"] == "dispatched" and undone["resolved_at"] is None
    assert undone["deadline"] == "2026-10-12" and undone["feedback_due"] is None
    figures = ok(run, *week).json()
    assert figures["resolved"] == 0 and figures["open"] == 1 and figures["overdue"] == 1
    late = ok(run, "overdue", "--date", "2026-10-15", "--json").json()["cases"]
    assert [(c["id"], c["days_overdue"]) for c in late] == [(late_case, 3)]
    # a period that ended before the undo still counts the resolution it saw
    assert (
        ok(run, "weekly", "--from", "2026-10-12", "--to", "2026-10-14", "--json").json()["resolved"]
        == 1
    )
    # the undone move stays in the timeline, marked
    timeline = show(run, late_case)["timeline"]
    resolve = next(e for e in timeline if e["action"] == "resolve")
    assert timeline[-1]["action"] == "undone" and timeline[-1]["undoes"] == resolve["id"]
    shown = " ".join(ok(run, "show", late_case).stdout.split())
    assert "Resolved (taken back)" in shown and "Taken back 2026-10-15 09:00." in shown
    assert ok(run, "check").exit_code == 0


def test_a_second_undo_takes_back_the_move_before(run, late_case):
    ok(run, "note", late_case, "不是一步", "--at", "2026-10-15 08:00")
    ok(run, "undo", late_case, "--at", "2026-10-15 09:00")  # the resolution
    second = ok(run, "undo", late_case, "--at", "2026-10-15 09:01", "--json").json()
    assert second["chase_count"] == 0  # the chase
    third = ok(run, "undo", late_case, "--at", "2026-10-15 09:02", "--json").json()
    assert third["status"] == "classified" and third["dispatched_at"] is None
    fourth = ok(run, "undo", late_case, "--at", "2026-10-15 09:03", "--json").json()
    assert fourth["status"] == "received" and fourth["department"] is None
    result = run("undo", late_case, "--at", "2026-10-15 09:04")
    assert result.exit_code == 1 and "no move left to take back" in result.stderr
    assert ok(run, "check").exit_code == 0


def test_a_dispatch_to_another_department_is_undone_a_move_at_a_time(run):
    """`dispatch --dept` on a case classified under another department records two moves (a
    classify, then the dispatch): the first undo leaves it classified under the new one."""
    ok(run, "add", "--applicant", "甲", "--matter", "一", "--dept", "市场准入",
       "--at", "2026-10-12 09:00")  # fmt: skip
    ok(run, "dispatch", "2026-0001", "--dept", "投资项目", "--at", "2026-10-13 10:00")
    first = ok(run, "undo", "2026-0001", "--at", "2026-10-13 11:00", "--json").json()
    assert (first["status"], first["department"]) == ("classified", "投资项目")
    second = ok(run, "undo", "2026-0001", "--at", "2026-10-13 11:01", "--json").json()
    assert (second["status"], second["department"]) == ("classified", "市场准入")


def test_undo_of_an_extension_puts_the_deadline_back(run):
    ok(run, "add", "--applicant", "甲", "--matter", "一", "--at", "2026-10-08 09:00")
    ok(run, "dispatch", "2026-0001", "--dept", "税务", "--at", "2026-10-08 10:00")
    extended = ok(
        run,
        "extend",
        "2026-0001",
        "--days",
        "3",
        "--reason",
        "r",
        "--at",
        "2026-10-09 09:00",
        "--json",
    ).json()
    assert extended["deadline"] == "2026-10-15"
    back = ok(run, "undo", "2026-0001", "--at", "2026-10-09 10:00", "--json").json()
    assert back["deadline"] == "2026-10-12" and back["extensions"] == []


def test_undo_is_refused_on_a_void_case_and_on_a_case_just_taken_in(run, refused):
    ok(run, "add", "--applicant", "甲", "--matter", "一", "--at", "2026-10-08 09:00")
    refused("undo", "2026-0001", message="no move left to take back")
    ok(run, "void", "2026-0001", "--reason", "重复", "--at", "2026-10-08 09:10")
    refused("undo", "2026-0001", message="Void")


# -- the calendar's changes reach open cases --------------------------------------------


def test_a_local_closure_moves_open_deadlines_and_lists_them(run):
    ok(
        run, "add", "--applicant", "甲", "--matter", "一", "--at", "2026-10-12 09:00"
    )  # due Thu 10-15
    ok(run, "add", "--applicant", "乙", "--matter", "二", "--at", "2026-10-12 09:30")
    ok(
        run, "resolve", "2026-0002", "--method", "m", "--outcome", "o", "--at", "2026-10-12 10:00"
    )  # answer due Tue 10-13
    ok(run, "add", "--applicant", "丙", "--matter", "三", "--at", "2026-10-05 09:00")
    ok(run, "resolve", "2026-0003", "--method", "m", "--outcome", "o", "--at", "2026-10-09 09:00")
    ok(
        run, "feedback", "2026-0003", "--via", "phone", "--at", "2026-10-09 10:00"
    )  # answered: stays
    closure = ok(run, "calendar", "holiday", "2026-10-13", "--name", "停电闭馆")
    assert "2026-0001: Deadline 2026-10-15 → 2026-10-16" in closure.stdout
    assert "2026-0002: Feedback due 2026-10-13 → 2026-10-14" in closure.stdout
    assert "2026-0003" not in closure.stdout
    case = show(run, "2026-0001")
    assert case["deadline"] == "2026-10-16"
    event = case["timeline"][-1]
    assert event["action"] == "recalculated"
    assert {"field": "deadline", "old": "2026-10-15", "new": "2026-10-16"} in event["changes"]
    # the sheet of the evening before still shows what was in force then
    assert (
        ok(run, "daily", "--date", "2026-10-12", "--json").json()["intake"][0]["deadline"]
        == "2026-10-15"
    )
    cleared = ok(run, "calendar", "clear", "2026-10-13")
    assert "2026-0001: Deadline 2026-10-16 → 2026-10-15" in cleared.stdout
    assert ok(run, "check").exit_code == 0


def test_a_deadline_counted_before_a_years_schedule_follows_it_when_entered(run):
    # a limit that reaches into early January of a year whose official notice the package
    # does not carry yet (2027 as this is written), from a case received yesterday
    year = first_unconfirmed_year()
    received = dt.date.today() - dt.timedelta(days=1)
    target = dt.date(year, 1, 10)
    limit = next(n for n in range(1, 366) if nth_working_day(received, n) >= target)
    # (in force from before the case came in: a deadline counts with the limit of its time)
    ok(run, "settings", "set", "limit_complex", str(limit), "--at", f"{received} 08:00")
    at = f"{received.isoformat()} 09:00"
    added = ok(run, "add", "--applicant", "甲", "--matter", "一", "--limit", "complex", "--at", at)
    case = f"{received.year}-0001"
    assert str(year) in added.stderr  # the unconfirmed year is named
    due = nth_working_day(received, limit)
    assert due.year == year and show(run, case)["deadline"] == due.isoformat()
    # the year's notice, entered by hand: suppose that day is off, and the Saturday before it
    # a make-up working day
    entered = ok(run, "calendar", "holiday", due.isoformat(), "--name", "元旦调休")
    moved = nth_working_day(received, limit, off={due})
    assert moved > due and f"{case}: Deadline {due} → {moved}" in entered.stdout
    saturday = due - dt.timedelta(days=due.weekday() + 2)
    made_up = ok(run, "calendar", "workday", saturday.isoformat(), "--name", "元旦调休上班")
    # a Saturday made a working day comes before: the count ends a working day earlier
    back = nth_working_day(received, limit, off={due}, on={saturday})
    assert back < moved and f"{case}: Deadline {moved} → {back}" in made_up.stdout
    assert show(run, case)["deadline"] == back.isoformat()
    ok(run, "calendar", "confirm", str(year))
    assert str(year) not in ok(run, "show", case).stderr


def test_a_newer_holidays_package_is_noticed_by_the_next_command(run, ledger_file):
    ok(run, "add", "--applicant", "甲", "--matter", "一", "--at", "2026-10-12 09:00")
    # what a package upgrade does, done by hand: the schedule under the open case changes and
    # the ledger last saw another release
    conn = sqlite3.connect(ledger_file)
    conn.execute(
        "INSERT INTO calendar_overrides VALUES ('2026-10-14', 0, '新通知', '2026-10-12 10:00')"
    )
    conn.execute("UPDATE ledger_meta SET value = '0.1' WHERE key = 'holidays_version'")
    conn.commit()
    conn.close()
    result = ok(run, "list", "--json")
    assert "holidays package is now" in result.stderr
    assert "2026-0001: Deadline 2026-10-15 → 2026-10-16" in result.stderr
    assert result.json()[0]["deadline"] == "2026-10-16"
    assert "holidays package" not in ok(run, "list").stderr  # once


def test_a_calendar_change_that_cannot_be_applied_holds_up_no_command(
    run, ledger_file, monkeypatch
):
    """If following a new package fails, the clerk's command still runs: a warning says why,
    and the next command tries again."""
    from ledger import actions
    from ledger.errors import LedgerError

    ok(run, "add", "--applicant", "甲", "--matter", "一", "--at", "2026-10-12 09:00")
    conn = sqlite3.connect(ledger_file)
    conn.execute("UPDATE ledger_meta SET value = '0.1' WHERE key = 'holidays_version'")
    conn.commit()
    conn.close()

    def fails(ledger):
        raise LedgerError("err.empty", field="x")

    following = actions.follow_calendar
    monkeypatch.setattr(actions, "follow_calendar", fails)
    result = ok(run, "list", "--json")
    assert "could not yet be applied" in result.stderr
    assert [case["id"] for case in result.json()] == ["2026-0001"]
    version = "SELECT value FROM ledger_meta WHERE key = 'holidays_version'"
    assert sqlite3.connect(ledger_file).execute(version).fetchone()[0] == "0.1"
    monkeypatch.setattr(actions, "follow_calendar", following)
    assert ok(run, "list").stderr == ""
    assert sqlite3.connect(ledger_file).execute(version).fetchone()[0] != "0.1"


# -- late extensions --------------------------------------------------------------------


@pytest.fixture
def very_late(run):
    """Due 09-03, still open 33 working days later."""
    ok(run, "add", "--applicant", "甲", "--matter", "一", "--at", "2026-08-31 09:00")
    ok(run, "dispatch", "2026-0001", "--dept", "税务", "--at", "2026-08-31 10:00")
    assert show(run, "2026-0001")["deadline"] == "2026-09-03"
    return "2026-0001"


def test_an_extension_after_the_deadline_needs_late_and_is_not_on_time(run, refused, very_late):
    refused(
        "extend",
        very_late,
        "--days",
        "5",
        "--reason",
        "r",
        "--at",
        "2026-10-26 09:00",
        message="passed 33 working days ago",
    )
    refused(
        "extend",
        very_late,
        "--days",
        "11",
        "--reason",
        "r",
        "--late",
        "--at",
        "2026-10-26 09:00",
        message="at most 10 working days (setting max_extension_days), not 11",
    )
    ok(
        run,
        "extend",
        very_late,
        "--days",
        "5",
        "--reason",
        "补材料",
        "--late",
        "--at",
        "2026-10-26 09:00",
    )
    ok(run, "resolve", very_late, "--method", "m", "--outcome", "o", "--at", "2026-10-27 09:00")
    figures = ok(run, "weekly", "--from", "2026-10-26", "--to", "2026-11-01", "--json").json()
    assert figures["resolved"] == 1 and figures["resolved_on_time"] == 0
    assert figures["late_extensions"] == 1
    timeline = show(run, very_late)["timeline"]
    assert next(e for e in timeline if e["action"] == "extend")["late"] is True


def test_an_extension_in_time_keeps_a_case_on_time(run, very_late):
    ok(run, "extend", very_late, "--days", "2", "--reason", "r", "--at", "2026-09-03 09:00")
    ok(run, "resolve", very_late, "--method", "m", "--outcome", "o", "--at", "2026-09-07 09:00")
    figures = ok(run, "weekly", "--from", "2026-09-07", "--to", "2026-09-13", "--json").json()
    assert figures["resolved_on_time"] == 1 and figures["late_extensions"] == 0


def test_an_extension_on_the_day_off_after_a_friday_deadline_is_taken_but_not_on_time(run):
    """Due Friday 2026-09-04; an extension recorded on Saturday 09-05 is not a working day
    late, so it needs no --late, but it came after the deadline it moved (SPEC §4)."""
    ok(run, "add", "--applicant", "甲", "--matter", "一", "--at", "2026-09-01 09:00")
    ok(run, "dispatch", "2026-0001", "--dept", "税务", "--at", "2026-09-01 10:00")
    assert show(run, "2026-0001")["deadline"] == "2026-09-04"
    ok(run, "extend", "2026-0001", "--days", "2", "--reason", "r", "--at", "2026-09-05 10:00")
    case = show(run, "2026-0001")
    assert case["deadline"] == "2026-09-08"
    assert case["extensions"][0]["late"] is True
    ok(run, "resolve", "2026-0001", "--method", "m", "--outcome", "o", "--at", "2026-09-07 09:00")
    figures = ok(run, "weekly", "--from", "2026-08-31", "--to", "2026-09-13", "--json").json()
    assert figures["resolved"] == 1 and figures["resolved_on_time"] == 0
    assert figures["late_extensions"] == 1


def test_an_extension_on_the_deadline_day_itself_is_in_time(run):
    ok(run, "add", "--applicant", "甲", "--matter", "一", "--at", "2026-09-01 09:00")
    ok(run, "dispatch", "2026-0001", "--dept", "税务", "--at", "2026-09-01 10:00")
    ok(run, "extend", "2026-0001", "--days", "2", "--reason", "r", "--at", "2026-09-04 17:00")
    assert "late" not in show(run, "2026-0001")["extensions"][0]
    ok(run, "resolve", "2026-0001", "--method", "m", "--outcome", "o", "--at", "2026-09-07 09:00")
    figures = ok(run, "weekly", "--from", "2026-09-07", "--to", "2026-09-13", "--json").json()
    assert figures["resolved_on_time"] == 1 and figures["late_extensions"] == 0


def test_max_extension_days_is_a_setting(run, refused, very_late):
    ok(run, "settings", "set", "max_extension_days", "3")
    refused(
        "extend",
        very_late,
        "--days",
        "4",
        "--reason",
        "r",
        "--late",
        message="at most 3 working days (setting max_extension_days), not 4",
    )


# -- the index can be rebuilt from the timeline -----------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [("satisfaction", "basic"), ("sections", "social"), ("paused_since", "2026-10-13 09:00")],
)
def test_check_finds_a_case_row_that_its_state_in_force_does_not_say(
    run, ledger_file, column, value
):
    ok(run, "add", "--applicant", "甲", "--matter", "一", "--at", "2026-10-12 09:00")
    ok(run, "dispatch", "2026-0001", "--dept", "税务", "--at", "2026-10-12 10:00")
    assert ok(run, "check").exit_code == 0
    conn = sqlite3.connect(ledger_file)
    conn.execute(f"UPDATE cases SET {column} = ? WHERE id = '2026-0001'", (value,))
    conn.commit()
    conn.close()
    result = run("check")
    assert result.exit_code == 1 and "2026-0001" in result.stderr


def test_check_finds_an_index_that_the_timeline_does_not_give(run, ledger_file):
    ok(run, "add", "--applicant", "甲", "--matter", "一", "--at", "2026-10-12 09:00")
    ok(run, "dispatch", "2026-0001", "--dept", "税务", "--at", "2026-10-12 10:00")
    assert ok(run, "check").exit_code == 0
    conn = sqlite3.connect(ledger_file)
    conn.execute("UPDATE states SET deadline = '2026-12-31' WHERE case_id = '2026-0001'")
    conn.commit()
    conn.close()
    result = run("check")
    assert result.exit_code == 1 and "as-of index" in result.stderr


def test_a_deadline_taken_as_given_moves_off_a_closure_declared_later(run, tmp_path):
    """An imported deadline is kept as the book gives it, but a local closure declared on it
    later moves it to the next working day, as it moves every counted deadline (SPEC §3)."""
    sheet = tmp_path / "book.csv"
    sheet.write_text(
        "ID,Status,Received at,Applicant,Matter,Department,Deadline,Dispatched at\n"
        "2026-0001,Dispatched,2026-10-14 09:00,甲,一,税务,2026-10-20,2026-10-14 10:00\n",
        encoding="utf-8",
    )
    ok(run, "import", sheet)
    assert show(run, "2026-0001")["deadline"] == "2026-10-20"
    result = ok(run, "calendar", "holiday", "2026-10-20", "--name", "停电")
    assert "2026-10-20 → 2026-10-21" in result.stdout + result.stderr
    case = show(run, "2026-0001")
    assert case["deadline"] == "2026-10-21"
    assert case["timeline"][-1]["action"] == "recalculated"


def test_a_deadline_the_import_counted_follows_the_calendar_as_a_typed_one_does(run, tmp_path):
    """A row without a deadline was given receipt + limit by the import, then kept as if
    the book had told it: a holiday entered later moved the twin typed at the desk, not it
    (SPEC §3: every open case is recounted from its receipt; §7: such a row gets its
    deadline by §4)."""
    sheet = tmp_path / "book.csv"
    sheet.write_text(
        "受理时间,反映人,事项名称,承办单位,办理时限\n"
        "2026-11-20 09:00,赵六,社保转移,社会事务,\n"
        "2026-11-20 09:00,孙七,医保转移,社会事务,5个工作日\n"
        "2026-11-20 09:00,周八,公积金转移,社会事务,2026-11-25\n",
        encoding="utf-8",
    )
    ok(run, "import", sheet)
    ok(run, "add", "--applicant", "赵六B", "--matter", "社保", "--at", "2026-11-20 09:00")
    before = {c["applicant"]: c["deadline"] for c in ok(run, "list", "--json").json()}
    assert before == {"赵六": "2026-11-25", "孙七": "2026-11-27", "周八": "2026-11-25",
                      "赵六B": "2026-11-25"}  # fmt: skip
    moved = ok(run, "calendar", "holiday", "2026-11-23", "--name", "停电").stdout
    after = {c["applicant"]: c["deadline"] for c in ok(run, "list", "--json").json()}
    # counted ones (none told, or told as a number of working days) move a day on; the
    # date the book told is a working day still, and stays
    assert after == {"赵六": "2026-11-26", "孙七": "2026-11-30", "周八": "2026-11-25",
                     "赵六B": "2026-11-26"}  # fmt: skip
    assert "2026-0001: Deadline 2026-11-25 → 2026-11-26" in moved
    assert "2026-0002: Deadline 2026-11-27 → 2026-11-30" in moved
    assert "2026-0003" not in moved
    assert show(run, "2026-0001")["timeline"][-1]["action"] == "recalculated"
    assert ok(run, "check").exit_code == 0
    # the same book again finds nothing changed: its rows' deadlines are the ledger's own
    again = ok(run, "import", sheet).stdout
    assert "0 new cases, 3 already" in again
    ok(run, "calendar", "clear", "2026-11-23")
    assert show(run, "2026-0001")["deadline"] == "2026-11-25"


def test_an_older_ledgers_reopen_that_kept_the_deadline_keeps_it():
    """A first-version ledger recorded a reopen without the days it counted and, where the
    deadline stayed, without a deadline change: the deadline is the one before it, not none."""
    import datetime as dt

    from ledger.calendar import WorkCalendar
    from ledger.history import Event
    from ledger.timelimits import derive

    at = dt.datetime.fromisoformat
    events = [
        Event("2026-0001", at("2026-09-01 09:00"), "received", None, "received", days=3,
              changes=[["deadline", None, "2026-09-04"]], id=1),
        Event("2026-0001", at("2026-09-02 09:00"), "resolve", "dispatched", "resolved",
              changes=[["resolution", None, "done"]], id=2),
        Event("2026-0001", at("2026-09-03 09:00"), "reopen", "resolved", "dispatched", id=3),
    ]  # fmt: skip
    found = derive(events, WorkCalendar())
    assert found["deadline"] == dt.date(2026, 9, 4)
    assert found["on_time_deadline"] == dt.date(2026, 9, 4)
    assert found["feedback_due"] is None


def test_check_reads_the_index_one_case_at_a_time_and_names_each_wrong_case(run, ledger_file):
    """The as-of rows and the timeline are read side by side in the order of their case: a
    case whose rows are wrong, a case with no rows at all and a case with rows nobody's
    timeline gave are each named once, in the order of their ids."""
    for n in range(1, 5):
        ok(run, "add", "--applicant", f"甲{n}", "--matter", "一", "--at", "2026-10-12 09:00")
    ok(run, "dispatch", "2026-0003", "--dept", "税务", "--at", "2026-10-12 10:00")
    assert ok(run, "check").exit_code == 0
    conn = sqlite3.connect(ledger_file)
    conn.execute("UPDATE states SET deadline = '2026-12-31' WHERE case_id = '2026-0003'")
    conn.execute("DELETE FROM states WHERE case_id = '2026-0002'")
    conn.execute("UPDATE states SET chase_count = 1 WHERE case_id = '2026-0004'")
    conn.commit()
    conn.close()
    result = run("check")
    named = [
        line for line in result.stderr.splitlines() if "is not what its timeline gives" in line
    ]
    assert result.exit_code == 1
    assert [line.split(": ", 2)[1] for line in named] == ["2026-0002", "2026-0003", "2026-0004"]


def test_two_reads_are_joined_on_their_case_in_sqlite_s_order():
    from ledger.store import _side_by_side

    left = iter([(None, ["n"]), (5, ["five"]), ("2026-0001", ["a"]), (b"x", ["bytes"])])
    right = iter([(5, ["5"]), ("2026-0001", ["b"]), ("2026-0002", ["c"])])
    assert list(_side_by_side(left, right)) == [
        (None, ["n"], []),
        (5, ["five"], ["5"]),
        ("2026-0001", ["a"], ["b"]),
        ("2026-0002", [], ["c"]),
        (b"x", ["bytes"], []),
    ]


def test_an_extension_in_time_after_a_late_one_does_not_make_the_case_on_time(run, tmp_path):
    """Due 10-16; extended late on 10-27 (to 10-28), then again on 10-28, in time for the
    moved deadline: the case, six working days late before the first, counted as resolved
    on time, its department's row without a late resolution."""
    ok(run, "add", "--applicant", "甲", "--matter", "一", "--at", "2026-10-13 09:30")
    ok(run, "dispatch", "2026-0001", "--dept", "市场准入", "--at", "2026-10-13 10:00")
    assert show(run, "2026-0001")["deadline"] == "2026-10-16"
    late = ["--reason", "r", "--late", "--at", "2026-10-27 09:00"]
    ok(run, "extend", "2026-0001", "--days", "8", *late)
    ok(run, "extend", "2026-0001", "--days", "10", "--reason", "r2", "--at", "2026-10-28 09:00")
    case = show(run, "2026-0001")
    assert case["deadline"] == "2026-11-11"
    assert "late" not in case["extensions"][1]  # in time for the deadline it moved
    ok(run, "resolve", "2026-0001", "--method", "m", "--outcome", "o", "--at", "2026-10-30 10:00")
    figures = ok(run, "weekly", "--week", "2026-W44", "--json").json()
    assert (figures["resolved"], figures["resolved_on_time"], figures["late_extensions"]) == (
        1,
        0,
        1,
    )
    row = next(r for r in figures["departments"] if r["department"] == "市场准入")
    assert (row["resolved_on_time"], row["resolved_late"]) == (0, 1)
    # the same case exported and imported into a new ledger is late there too (SPEC §7)
    sheet = tmp_path / "cases.csv"
    ok(run, "export", "--out", sheet, "--full-contact")
    other = tmp_path / "other.db"
    ok(run, "--db", other, "import", sheet)
    again = ok(run, "--db", other, "weekly", "--week", "2026-W44", "--json").json()
    assert (again["resolved"], again["resolved_on_time"]) == (1, 0)


def test_an_extension_in_time_after_another_in_time_still_counts(run):
    """The rule above takes nothing from a case extended twice, each time in time."""
    ok(run, "add", "--applicant", "甲", "--matter", "一", "--at", "2026-10-13 09:30")
    ok(run, "dispatch", "2026-0001", "--dept", "市场准入", "--at", "2026-10-13 10:00")
    ok(run, "extend", "2026-0001", "--days", "2", "--reason", "r", "--at", "2026-10-16 09:00")
    ok(run, "extend", "2026-0001", "--days", "3", "--reason", "r", "--at", "2026-10-20 09:00")
    assert show(run, "2026-0001")["deadline"] == "2026-10-23"
    ok(run, "resolve", "2026-0001", "--method", "m", "--outcome", "o", "--at", "2026-10-23 10:00")
    figures = ok(run, "weekly", "--week", "2026-W43", "--json").json()
    assert (figures["resolved"], figures["resolved_on_time"]) == (1, 1)


def test_undo_of_a_reopening_puts_back_the_dates_of_an_answered_case(run):
    """A closure entered after a case was answered does not move its dates (SPEC §3); a
    reopening then taken back gave it the dates today's calendar gives (deadline 12-03,
    answer due 12-01), not those it had (12-02, 11-30), and no event said so."""
    ok(run, "add", "--applicant", "甲", "--matter", "一", "--at", "2026-11-27 09:00")
    ok(run, "resolve", "2026-0001", "--method", "m", "--outcome", "o", "--at", "2026-11-27 10:00")
    ok(run, "feedback", "2026-0001", "--via", "phone", "--at", "2026-11-27 11:00")
    before = show(run, "2026-0001")
    assert (before["deadline"], before["feedback_due"]) == ("2026-12-02", "2026-11-30")
    ok(run, "calendar", "holiday", "2026-11-30", "--name", "停电")
    ok(run, "reopen", "2026-0001", "--reason", "不满意", "--at", "2026-11-27 12:00")
    ok(run, "undo", "2026-0001", "--at", "2026-11-27 12:30")
    after = show(run, "2026-0001")
    kept = ("status", "deadline", "feedback_due", "resolved_at", "feedback_at")
    assert {k: after[k] for k in kept} == {k: before[k] for k in kept}
    # the answer taken back makes it a resolved case owed an answer: that date follows
    ok(run, "undo", "2026-0001", "--at", "2026-11-27 12:40")
    owed = show(run, "2026-0001")
    assert (owed["status"], owed["deadline"], owed["feedback_due"]) == (
        "resolved",
        "2026-12-02",
        "2026-12-01",
    )
    assert ok(run, "check").exit_code == 0
