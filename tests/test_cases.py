"""SPEC §4–5: a case walked through every path of the table of moves, with October 2026 dates."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import sqlite3
import subprocess
import sys

import pytest
from conftest import digest, ledger_cmd


def add(run, *args, at="2026-10-12 09:00"):
    result = run(
        "add", "--applicant", "张三", "--matter", "办理食品经营许可证", "--at", at, *args, "--json"
    )
    assert result.exit_code == 0, result.stderr
    return result.json()


def case(run, case_id):
    result = run("show", case_id, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_the_long_path_with_return_extension_chase_and_reopen(run):
    first = add(run, "--contact", "13812345678", at="2026-09-30 09:00")
    assert first["id"] == "2026-0001" and first["status"] == "received"
    assert first["deadline"] == "2026-10-10"  # SPEC §4: standard, over National Day
    steps = [
        (("dispatch", "2026-0001", "--dept", "市场准入", "--at", "2026-10-08 09:00"), "dispatched"),
        (
            ("return", "2026-0001", "--reason", "不属本科室", "--at", "2026-10-09 09:00"),
            "classified",
        ),
        (("dispatch", "2026-0001", "--dept", "税务", "--at", "2026-10-09 10:00"), "dispatched"),
        (
            (
                "extend",
                "2026-0001",
                "--days",
                "2",
                "--reason",
                "需调档",
                "--at",
                "2026-10-09 12:00",
            ),
            "dispatched",
        ),
        (("urge", "2026-0001", "--note", "电话催办", "--at", "2026-10-14 09:00"), "dispatched"),
        (
            (
                "resolve",
                "2026-0001",
                "--method",
                "补办税务登记",
                "--outcome",
                "已办成",
                "--at",
                "2026-10-14 15:00",
            ),
            "resolved",
        ),
        (
            (
                "feedback",
                "2026-0001",
                "--via",
                "电话",
                "--satisfaction",
                "不满意",
                "--at",
                "2026-10-15 09:00",
            ),
            "closed",
        ),
        (
            ("reopen", "2026-0001", "--reason", "申请人不满意", "--at", "2026-10-16 09:00"),
            "dispatched",
        ),
        (
            (
                "resolve",
                "2026-0001",
                "--method",
                "再次协调",
                "--outcome",
                "已解决",
                "--at",
                "2026-10-21 10:00",
            ),
            "resolved",
        ),
        (
            (
                "feedback",
                "2026-0001",
                "--via",
                "sms",
                "--satisfaction",
                "satisfied",
                "--at",
                "2026-10-22 09:00",
            ),
            "closed",
        ),
    ]
    seen = {}
    for args, status in steps:
        result = run(*args, "--json")
        assert result.exit_code == 0, (args, result.stderr)
        assert result.json()["status"] == status
        seen[args[0] + args[-1]] = result.json()
    # dispatching does not move the deadline
    assert seen["dispatch2026-10-08 09:00"]["deadline"] == "2026-10-10"
    # extend: two working days after 10-10 (Sat, make-up): Mon 12, Tue 13
    assert seen["extend2026-10-09 12:00"]["deadline"] == "2026-10-13"
    assert seen["urge2026-10-14 09:00"]["chase_count"] == 1
    assert seen["resolve2026-10-14 15:00"]["feedback_due"] == "2026-10-15"
    # reopen on Friday 10-16: three working days from then
    assert seen["reopen2026-10-16 09:00"]["deadline"] == "2026-10-21"
    final = case(run, "2026-0001")
    assert final["department"] == "税务" and final["satisfaction"] == "satisfied"
    assert final["extensions"] == [
        {
            "at": "2026-10-09 12:00",
            "days": 2,
            "from": "2026-10-10",
            "to": "2026-10-13",
            "reason": "需调档",
        }
    ]
    actions = [e["action"] for e in final["timeline"]]
    assert actions == [
        "received",
        "classify",
        "dispatch",
        "return",
        "classify",
        "dispatch",
        "extend",
        "urge",
        "resolve",
        "feedback",
        "reopen",
        "resolve",
        "feedback",
    ]
    assert final["contact"] == "138****5678"
    assert case_full(run)["contact"] == "13812345678"


def case_full(run):
    return run("show", "2026-0001", "--json", "--full-contact").json()


def test_cannot_is_answered_the_same_working_day(run):
    add(run, "--limit", "cannot", at="2026-10-09 16:00")
    result = run(
        "resolve",
        "2026-0001",
        "--cannot",
        "--reason",
        "不符合政策规定",
        "--at",
        "2026-10-10 09:00",
        "--json",
    )
    resolved = result.json()
    assert resolved["resolution"] == "cannot" and resolved["outcome"] == "不符合政策规定"
    assert resolved["feedback_due"] == "2026-10-10"  # the make-up Saturday is a working day
    add(run, at="2026-10-09 16:00")
    sunday = run(
        "resolve",
        "2026-0002",
        "--cannot",
        "--reason",
        "超出职权",
        "--at",
        "2026-10-11 10:00",
        "--json",
    ).json()
    assert sunday["feedback_due"] == "2026-10-12"


def test_add_with_a_department_is_classified_at_once(run):
    added = add(
        run,
        "--limit",
        "complex",
        "--section",
        "market",
        "--section",
        "社会事务",
        "--scope",
        "involves",
        "--dept",
        "市场准入",
    )
    assert added["status"] == "classified"
    assert added["sections"] == ["market", "social"]
    assert added["deadline"] == "2026-10-19"  # 5 working days after Mon 10-12
    assert [e["action"] for e in case(run, added["id"])["timeline"]] == ["received", "classify"]
    changed = run(
        "classify", added["id"], "--limit", "standard", "--at", "2026-10-12 10:00", "--json"
    ).json()
    assert changed["deadline"] == "2026-10-15"


def test_dispatch_dept_on_a_received_case_is_two_events(run):
    add(run)
    dispatched = run(
        "dispatch", "2026-0001", "--dept", "农水事务", "--at", "2026-10-12 10:00", "--json"
    ).json()
    assert dispatched["dispatched_at"] == "2026-10-12 10:00"
    timeline = case(run, "2026-0001")["timeline"]
    assert [(e["action"], e["status_from"], e["status_to"]) for e in timeline] == [
        ("received", None, "received"),
        ("classify", "received", "classified"),
        ("dispatch", "classified", "dispatched"),
    ]


def test_settled_at_the_window_and_reopened_without_a_department(run):
    added = add(run, "--limit", "simple", at="2026-10-04 10:00")  # a Sunday in the break
    assert added["deadline"] == "2026-10-08"
    resolved = run(
        "resolve",
        "2026-0001",
        "--method",
        "电话解答",
        "--outcome",
        "当场解决",
        "--at",
        "2026-10-04 10:30",
        "--json",
    ).json()
    assert resolved["feedback_due"] == "2026-10-08"
    reopened = run(
        "reopen", "2026-0001", "--reason", "仍未办成", "--at", "2026-10-09 09:00", "--json"
    ).json()
    assert reopened["status"] == "received" and reopened["deadline"] == "2026-10-09"
    assert reopened["resolution"] is None and reopened["feedback_due"] is None


def test_a_case_sent_back_then_settled_is_reopened_at_the_window_to_be_dispatched_again(run):
    """SPEC §5: a reopened case goes back to its department, or starts again as received if
    it never had one. One whose order was sent back (退单) had one: it waits at the window,
    classified, on the sheet's list of orders to hand out, as after the return itself."""
    add(run, "--section", "market", at="2026-11-02 09:00")
    assert run("dispatch", "2026-0001", "--dept", "税务", "--at", "2026-11-02 09:10").exit_code == 0
    assert (
        run("return", "2026-0001", "--reason", "非本单位", "--at", "2026-11-02 10:00").exit_code
        == 0
    )
    for args in (
        ("resolve", "2026-0001", "--method", "m", "--outcome", "o", "--at", "2026-11-03 10:00"),
        ("feedback", "2026-0001", "--via", "phone", "--at", "2026-11-03 11:00"),
    ):
        assert run(*args).exit_code == 0
    reopened = run(
        "reopen", "2026-0001", "--reason", "仍未办成", "--at", "2026-11-04 09:00", "--json"
    ).json()
    assert reopened["status"] == "classified" and reopened["department"] is None
    assert reopened["deadline"] == "2026-11-09"  # Wednesday + 3 working days
    sheet = run("daily", "--date", "2026-11-04", "--json").json()
    assert [(g["department"], [c["id"] for c in g["cases"]]) for g in sheet["to_dispatch"]] == [
        (None, ["2026-0001"])
    ]
    assert (
        run("dispatch", "2026-0001", "--dept", "市场准入", "--at", "2026-11-04 10:00").exit_code
        == 0
    )


@pytest.mark.parametrize(
    "status_path", [[], ["classify"], ["dispatch"], ["resolve"], ["resolve", "feedback"]]
)
def test_void_from_every_live_status_keeps_the_case(run, status_path):
    add(run)
    moves = {
        "classify": ("classify", "2026-0001", "--section", "market"),
        "dispatch": ("dispatch", "2026-0001", "--dept", "税务"),
        "resolve": ("resolve", "2026-0001", "--method", "m", "--outcome", "o"),
        "feedback": ("feedback", "2026-0001", "--via", "phone"),
    }
    for move in status_path:
        assert run(*moves[move], "--at", "2026-10-12 10:00").exit_code == 0
    voided = run(
        "void", "2026-0001", "--reason", "录入错误", "--at", "2026-10-12 11:00", "--json"
    ).json()
    assert voided["status"] == "void"
    assert run("list", "--json").json()[0]["id"] == "2026-0001"
    assert run("list", "--status", "received", "--json").json() == []


def test_note_and_edit_keep_old_and_new_values(run):
    add(run, "--contact", "13800001111")
    assert run("note", "2026-0001", "申请人补交材料", "--at", "2026-10-12 10:00").exit_code == 0
    result = run(
        "edit",
        "2026-0001",
        "--applicant",
        "张叁",
        "--channel",
        "12345热线",
        "--section",
        "market",
        "--at",
        "2026-10-12 11:00",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    edited = result.json()
    assert edited["applicant"] == "张叁" and edited["channel"] == "hotline"
    events = [e for e in case(run, "2026-0001")["timeline"] if e["action"] == "edit"]
    assert len(events) == 1  # one correction, one event, every field in it
    assert [(c["field"], c["old"], c["new"]) for c in events[0]["changes"]] == [
        ("channel", None, "hotline"),
        ("applicant", "张三", "张叁"),
        ("sections", [], ["market"]),
    ]


def test_ids_grow_past_9999_and_are_never_reused(run, ledger_file):
    add(run)
    conn = sqlite3.connect(ledger_file)
    conn.execute("UPDATE cases SET seq = 9999, id = '2026-9999' WHERE id = '2026-0001'")
    conn.execute("UPDATE events SET case_id = '2026-9999'")
    conn.execute("UPDATE states SET case_id = '2026-9999'")
    conn.commit()
    conn.close()
    assert add(run)["id"] == "2026-10000"
    assert add(run)["id"] == "2026-10001"
    # newest first even where the text of the ids would sort otherwise
    assert [c["id"] for c in run("list", "--json").json()] == [
        "2026-10001",
        "2026-10000",
        "2026-9999",
    ]
    assert run("show", "2026-10000").exit_code == 0


def test_repeat_applicants_are_named(run):
    add(run, "--contact", "13912345678")
    result = run(
        "add",
        "--applicant",
        "李四",
        "--matter",
        "社保转移",
        "--contact",
        "13912345678",
        "--at",
        "2026-10-13 09:00",
    )
    assert result.exit_code == 0
    assert "2026-0001" in result.stderr and "Repeat applicant" in result.stderr
    assert case(run, "2026-0002")["repeats"] == ["2026-0001"]


@pytest.mark.parametrize(
    "typed",
    [
        "139 1234 5678",
        "139-1234-5678",
        "１３９１２３４５６７８",
        "+86 139-1234-5678",
        "86-139-1234-5678",
        '="13912345678"',
        "'13912345678",
        " 139\u00a01234\u00a05678 ",
        "139．1234．5678",
    ],
)
def test_a_mobile_number_however_typed_is_kept_as_its_digits_and_found_again(run, typed):
    """A mobile number typed with spaces or dashes, in full-width digits, after +86 or as a
    spreadsheet's text was kept as typed, so the second visit of the same person was not
    named a repeat of the first (the check compares what is kept)."""
    add(run, "--contact", "13912345678")
    result = run("add", "--applicant", "李四", "--matter", "社保转移", "--contact", typed,
                 "--at", "2026-10-13 09:00")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Repeat applicant" in result.stderr and "2026-0001" in result.stderr
    assert case(run, "2026-0002")["repeats"] == ["2026-0001"]
    full = run("show", "2026-0002", "--json", "--full-contact").json()
    assert full["contact"] == "13912345678"
    # and a correction typed so is the number the case holds: nothing to change
    same = run("edit", "2026-0001", "--contact", typed)
    assert same.exit_code == 1 and "is the same as the old one" in same.stderr
    assert run("show", "2026-0001", "--json", "--full-contact").json()["contact"] == "13912345678"


@pytest.mark.parametrize(
    "typed", ["0535-1234567", "+852 9123 4567", "139 1234 567", "13912345678 张先生", "8234 5678"]
)
def test_a_contact_that_is_not_a_mainland_mobile_is_kept_as_typed(run, typed):
    add(run, "--contact", typed)
    assert run("show", "2026-0001", "--json", "--full-contact").json()["contact"] == typed


def test_a_regular_s_warning_names_the_latest_cases_and_where_the_rest_are(run):
    """The seventh visit named every earlier case on one growing line."""
    for n in range(1, 8):
        added = run(
            "add", "--applicant", "王大爷", "--matter", f"事{n}", "--at", f"2026-11-0{n} 09:00"
        )
        assert added.exit_code == 0
    [line] = added.stderr.splitlines()
    assert "came 6 times before" in line and "all in ledger show 2026-0007" in line
    assert "2026-0001" not in line
    assert all(f"2026-000{n}" in line for n in range(2, 7))
    assert len(case(run, "2026-0007")["repeats"]) == 6  # `show` lists every one


def test_anonymous_applicants_are_not_repeats_of_each_other(run):
    run("add", "--applicant", "匿名", "--matter", "一", "--at", "2026-10-12 09:00")
    second = run("add", "--applicant", "匿名", "--matter", "二", "--at", "2026-10-12 10:00")
    assert second.exit_code == 0 and second.stderr == ""


def test_search_finds_two_character_chinese_words(run):
    add(run)
    run(
        "add",
        "--applicant",
        "某农业合作社",
        "--matter",
        "申请农机购置补贴",
        "--cause",
        "补贴资金迟迟未到账",
        "--at",
        "2026-10-12 10:00",
    )
    found = [c["id"] for c in run("list", "--search", "补贴", "--json").json()]
    assert found == ["2026-0002"]
    assert [c["id"] for c in run("list", "--search", "许可", "--json").json()] == ["2026-0001"]
    assert run("list", "--search", "100%", "--json").json() == []


def test_search_finds_latin_words_in_either_case_and_other_words_as_typed(run):
    """A word with a Latin letter is found whatever its case (ABC, abc); any other word —
    Chinese, digits, `%` and `_` — is found as it is typed, never as a pattern."""
    run(
        "add",
        "--applicant",
        "ABC科技有限公司",
        "--matter",
        "办理进度_100%",
        "--at",
        "2026-10-12 09:00",
    )
    run("add", "--applicant", "张三", "--matter", "办理进度x1000", "--at", "2026-10-12 10:00")

    def found(words: str) -> list[str]:
        return [c["id"] for c in run("list", "--search", words, "--json").json()]

    assert found("abc") == found("ABC") == found("aBc 科技") == ["2026-0001"]
    assert found("_100%") == found("100%") == ["2026-0001"]
    assert found("进度") == ["2026-0002", "2026-0001"]
    assert found("进度 X1000") == found("x1000") == ["2026-0002"]
    assert found("_1") == ["2026-0001"]  # not "x1" of the other: `_` is no wildcard
    assert found("ABC 张三") == []


def test_list_filters(run):
    add(run, "--section", "market", "--dept", "市场准入", at="2026-10-09 09:00")
    add(run, "--section", "social", at="2026-10-12 09:00")
    add(run, at="2026-10-13 09:00")
    ids = lambda *a: [c["id"] for c in run("list", *a, "--json").json()]  # noqa: E731
    assert ids() == ["2026-0003", "2026-0002", "2026-0001"]
    assert ids("--status", "classified") == ["2026-0002", "2026-0001"]
    assert ids("--section", "社会事务") == ["2026-0002"]
    assert ids("--dept", "市场准入") == ["2026-0001"]
    assert ids("--from", "2026-10-12", "--to", "2026-10-12") == ["2026-0002"]
    table = run("list")
    assert all(i in table.stdout for i in ("2026-0001", "2026-0002", "2026-0003"))


def test_list_table_pages_and_says_how_many_more(run):
    for minute in range(55):
        run(
            "add",
            "--applicant",
            f"申请人{minute}",
            "--matter",
            "事项",
            "--at",
            f"2026-10-12 09:{minute:02d}",
        )
    table = run("list").stdout
    assert "2026-0055" in table and "2026-0005" not in table
    assert "5 more not shown (55 in all)" in table
    assert len(run("list", "--json").json()) == 55


def test_contacts_are_masked_everywhere_unless_asked(run):
    add(run, "--contact", "13812345678")
    for args in (
        ("show", "2026-0001"),
        ("show", "2026-0001", "--json"),
        ("list", "--json"),
        ("list",),
    ):
        assert "13812345678" not in run(*args).stdout
    assert "13812345678" in run("list", "--json", "--full-contact").stdout


def test_departments(run, refused):
    names = [d["name"] for d in run("dept", "list", "--json").json()]
    assert names == ["市场准入", "投资项目", "工程建设", "社会事务", "农水事务", "税务"]
    floors = {d["name"]: d["floor"] for d in run("dept", "list", "--json").json()}
    assert floors["市场准入"] == "1" and floors["税务"] == "2" and floors["社会事务"] == "3"
    assert run("dept", "add", "人社局", "--floor", "4", "--phone", "0571-1234").exit_code == 0
    assert run("dept", "rename", "人社局", "区人社局").exit_code == 0
    add(run, "--dept", "区人社局")
    assert case(run, "2026-0001")["department"] == "区人社局"
    refused("dept", "add", "税务", message="already exists")
    refused("dept", "add", "x", "--kind", "bureau", message="Unknown kind")
    line = refused("dispatch", "2026-0001", "--dept", "市场", message="No department called")
    assert "市场准入" in line


def test_a_departments_floor_phone_and_kind_can_be_set(run, refused, ledger_file, tmp_path):
    """The six a new ledger starts with have no phone, and `add` of one of them is refused:
    `dept set` gives it one, and the slips print it."""
    set_phone = run("--lang", "zh", "dept", "set", "市场准入", "--phone", "0571-88888888")
    assert set_phone.exit_code == 0
    assert "已修改承办单位：市场准入" in set_phone.stdout and "0571-88888888" in set_phone.stdout
    assert run("dept", "set", "社会事务", "--floor", "3楼 东侧 301室").exit_code == 0
    assert run("dept", "set", "税务", "--kind", "section", "--phone", "0571-1").exit_code == 0
    assert run("dept", "set", "税务", "--phone", "").exit_code == 0  # an empty value clears
    rows = {d["name"]: d for d in run("dept", "list", "--json").json()}
    assert rows["市场准入"]["phone"] == "0571-88888888" and rows["市场准入"]["floor"] == "1"
    assert rows["社会事务"]["floor"] == "3楼 东侧 301室" and rows["社会事务"]["phone"] is None
    assert rows["税务"]["kind"] == "section" and rows["税务"]["phone"] is None
    add(run, "--dept", "市场准入")
    slips = tmp_path / "today.html"
    assert run("daily", "--html", str(slips)).exit_code == 0
    assert "0571-88888888" in slips.read_text(encoding="utf-8")
    # what would change nothing, or names no department, is refused and changes nothing
    before = digest(ledger_file)
    line = refused("--lang", "zh", "dept", "add", "市场准入", "--phone", "1", message="已存在")
    assert "ledger dept set 市场准入" in line
    refused("dept", "set", "市场准入", message="Nothing to change")
    refused("dept", "set", "市场", "--phone", "1", message="No department called")
    refused("dept", "set", "税务", "--kind", "bureau", message="Unknown kind")
    assert digest(ledger_file) == before
    # a rename onto a name taken says so, with no word of floors and phones
    line = refused("dept", "rename", "税务", "市场准入", message="already exists")
    assert "dept set" not in line
    # a name with a space is shown as it must be typed
    assert run("dept", "add", "Tax Office").exit_code == 0
    line = refused("dept", "add", "Tax Office", message="already exists")
    assert 'ledger dept set "Tax Office" --phone' in line
    assert 'dept set "Tax Office"' in refused("dept", "set", "Tax Office")


def test_a_department_set_to_what_it_has_records_nothing(run, ledger_file, tmp_path):
    """`dept set` of the values a department already has made the day's copy and, on a
    path with no ledger, a ledger; `settings set` of the same value did neither."""
    fresh = tmp_path / "nothing-here.db"
    same = ledger_cmd(fresh, "dept", "set", "市场准入", "--floor", "1", "--kind", "section")
    assert same.returncode == 0, same.stderr
    assert "Unchanged: 市场准入 already has these values; nothing recorded" in same.stdout
    assert not fresh.exists()
    assert run("dept", "set", "税务", "--phone", "0571-1").exit_code == 0
    for copy in (ledger_file.parent / "backups").glob("*.db"):
        copy.unlink()
    before = digest(ledger_file)
    again = run("dept", "set", "税务", "--phone", "0571-1", "--floor", "2")
    assert again.exit_code == 0 and "Unchanged" in again.stdout
    assert digest(ledger_file) == before
    assert not list((ledger_file.parent / "backups").glob("*.db"))


# -- bad input: one line, exit code, ledger unchanged ------------------------------------


@pytest.fixture
def one_case(run):
    add(run, "--contact", "13812345678")
    return "2026-0001"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("show", "2026-0099"), 1, "No case with id 2026-0099"),
        (("show", "26-1"), 1, "not of the form 2026-0001"),
        (("classify", "2026-0001", "--section", "finance"), 1, "Unknown section 'finance'"),
        (("classify", "2026-0001", "--scope", "内部"), 1, "Unknown scope"),
        (("classify", "2026-0001"), 1, "Give at least one of"),
        (("add", "--applicant", " ", "--matter", "x"), 1, "Applicant must not be empty"),
        (("add", "--applicant", "x", "--matter", ""), 1, "Matter must not be empty"),
        (("add", "--matter", "x"), 2, "Missing --applicant"),
        (("add", "--applicant", "x", "--matter", "y", "--channel", "fax"), 1, "Unknown channel"),
        (("add", "--applicant", "x", "--matter", "y", "--contact", "138****5678"), 1, "masked"),
        (("add", "--applicant", "x", "--matter", "y", "--at", "2099-01-01"), 1, "later than now"),
        (("add", "--applicant", "x", "--matter", "y", "--at", "soon"), 1, "Cannot read the time"),
        (("extend", "2026-0001", "--days", "2", "--reason", "r"), 1, "is Received"),
        (("resolve", "2026-0001"), 2, "needs --method and --outcome"),
        (("resolve", "2026-0001", "--method", "m"), 2, "needs --method and --outcome"),
        (("resolve", "2026-0001", "--cannot", "--reason", ""), 1, "--cannot needs --reason"),
        (("resolve", "2026-0001", "--cannot", "--reason", "r", "--method", "m"), 2, "--cannot"),
        # a reason with a case done would be kept nowhere
        (
            ("resolve", "2026-0001", "--method", "m", "--outcome", "o", "--reason", "r"),
            2,
            "--reason goes with --cannot",
        ),
        (("edit", "2026-0001", "--matter", "a", "--matter", "b"), 2, "--matter is given twice"),
        (("feedback", "2026-0001", "--via", "phone"), 1, "cannot be answered (feedback)"),
        (("dispatch", "2026-0001"), 1, "has no department"),
        (("return", "2026-0001", "--reason", "r"), 1, "Moves allowed now: classify, dispatch"),
        (("urge", "2026-0001"), 1, "is Received"),
        (("reopen", "2026-0001", "--reason", "r"), 1, "is Received"),
        (("note", "2026-0001", "x", "--at", "2026-10-11 09:00"), 1, "before case 2026-0001"),
        (("edit", "2026-0001", "--id", "2026-0002"), 1, "cannot be edited"),
        (("edit", "2026-0001", "--status", "closed"), 1, "cannot be edited"),
        (("edit", "2026-0001", "--timeline", "x"), 1, "cannot be edited"),
        (("edit", "2026-0001", "--deadline", "2026-12-01"), 1, "ledger extend"),
        # a word that names no field, or a field without its value: an unreadable command
        # line, as any command's unknown option (SPEC §9: exit 2)
        (("edit", "2026-0001", "--colour", "red"), 2, "No field 'colour'"),
        (("edit", "2026-0001", "--colour=red"), 2, "No field 'colour'"),
        (("edit", "2026-0001", "--colour", "red"), 2, "--channel (Channel), --applicant"),
        (("edit", "2026-0001", "colour"), 2, "No field 'colour'"),
        (("edit", "2026-0001", "--full-contact"), 2, "No field 'full-contact'"),
        (("edit", "2026-0001", "--applicant"), 2, "option '--applicant' needs a value"),
        (("edit", "2026-0001", "--matter", "m", "--cause"), 2, "'--cause' needs a value"),
        (("edit", "2026-0001", "--applicant", "张三"), 1, "same as the old one"),
        (("edit", "2026-0001"), 1, "Give at least one field"),
        (("edit", "2026-0001", "--applicant", ""), 1, "must not be empty"),
        (("list", "--status", "pending"), 1, "Unknown status"),
        (("list", "--from", "yesterday-ish"), 1, "Cannot read the date"),
        (("list", "--dept", "财政"), 1, "No department called"),
        (("urge",), 2, "Bad command line"),
        (("extend", "2026-0001", "--days", "two", "--reason", "r"), 1, "is Received"),
    ],
)
def test_bad_case_input(refused, one_case, args, code, message):
    refused(*args, code=code, message=message)


def test_an_unknown_field_is_answered_with_the_options_to_type_and_their_names(run, one_case):
    result = run("--lang", "zh", "edit", one_case, "--colour", "red")
    assert result.exit_code == 2
    assert "--channel（受理渠道）、--applicant（反映人）" in result.stderr
    assert "--ref（原序号）" in result.stderr


@pytest.mark.parametrize(
    ("days", "said"),
    [("0", "whole number from 1 to 10"), ("-1", "whole number from 1 to 10"),
     ("400", "at most 10 working days (setting max_extension_days), not 400")],
)  # fmt: skip
def test_bad_extension_days(run, refused, one_case, days, said):
    run("dispatch", one_case, "--dept", "税务", "--at", "2026-10-12 10:00")
    # SPEC §4: an extension is at most `max_extension_days` (10 unless set otherwise)
    refused("extend", one_case, "--days", days, "--reason", "r", message=said)


def test_nothing_moves_a_void_case(run, refused, one_case):
    run("void", one_case, "--reason", "重复录入", "--at", "2026-10-12 10:00")
    for args in (
        ("note", one_case, "x"),
        ("classify", one_case, "--section", "market"),
        ("void", one_case, "--reason", "again"),
        ("reopen", one_case, "--reason", "r"),
    ):
        line = refused(*args, message="is Void")
        assert "none" in line


def test_refusals_in_chinese_name_status_and_allowed_moves(refused, one_case):
    line = refused("--lang", "zh", "feedback", one_case, "--via", "电话")
    assert "已受理" in line and "分类（classify）" in line and "办结（resolve）" in line


def at_terminal(args: list[str], env: dict, answers: list[tuple[bytes, str]]) -> bytes:
    """Run `ledger ARGS` at a terminal (a pseudo-terminal), typing each answer once its
    prompt shows; returns all the terminal showed. The command must succeed."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from ledger.cli import main; main()", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    output = b""
    for prompt, answer in answers:
        while prompt not in output:
            # a prompt that never shows fails the test instead of waiting for good
            ready, _, _ = select.select([leader], [], [], 30)
            assert ready, (prompt, output.decode(errors="replace"))
            output += os.read(leader, 1024)
        os.write(leader, f"{answer}\n".encode())
    assert proc.wait(timeout=30) == 0
    try:
        while True:
            output += os.read(leader, 1024)
    except OSError:
        pass
    return output


def test_a_clerk_at_a_terminal_is_asked_for_missing_fields(tmp_path):
    env = {
        **os.environ,
        "LEDGER_DB": str(tmp_path / "tty.db"),
        "LEDGER_LANG": "en",
        "COLUMNS": "100",
    }
    answers = [(b"Applicant", "王五"), (b"Matter", "营业执照变更")]
    output = at_terminal(["add", "--at", "2026-10-12 09:00"], env, answers)
    assert b"Received: 2026-0001" in output


def test_a_chinese_prompt_ends_in_a_full_width_colon(tmp_path):
    env = {**os.environ, "LEDGER_DB": str(tmp_path / "tty.db"), "LEDGER_LANG": "zh"}
    answers = [("反映人：".encode(), "王五"), ("事项名称：".encode(), "营业执照变更")]
    output = at_terminal(["add", "--at", "2026-10-12 09:00"], env, answers).decode()
    assert "已受理：2026-0001" in output and "反映人: " not in output


def test_a_clerk_at_a_terminal_is_asked_for_the_outcome_left_out(tmp_path):
    """`resolve --method m` at a terminal was refused instead of asking for the outcome."""
    db = tmp_path / "tty.db"
    assert ledger_cmd(db, "add", "--applicant", "甲", "--matter", "乙").returncode == 0
    env = {**os.environ, "LEDGER_DB": str(db), "LEDGER_LANG": "en"}
    output = at_terminal(["resolve", "2026-0001", "--method", "m"], env, [(b"Outcome", "o")])
    assert b"Resolved" in output
    assert json.loads(ledger_cmd(db, "show", "2026-0001", "--json").stdout)["outcome"] == "o"


def test_shell_completion_offers_ids_departments_and_codes(run, ledger_file):
    import os
    import subprocess
    import sys
    from pathlib import Path

    add(run)
    script = Path(sys.executable).with_name("ledger")
    if not script.exists():
        pytest.skip("the ledger console script is not installed beside this python")

    def complete(words: str) -> str:
        env = {
            **os.environ,
            "LEDGER_DB": str(ledger_file),
            "_LEDGER_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1),
        }
        done = subprocess.run([script], env=env, capture_output=True, text=True, timeout=60)
        return done.stdout

    assert "2026-0001" in complete("ledger dispatch 2026-")
    assert "市场准入" in complete("ledger dispatch 2026-0001 --dept 市")
    assert "hotline" in complete("ledger add --channel hot")


def test_a_search_page_is_the_newest_matches_and_counts_them_all(run):
    # received out of id order, several in the same minute: the page is still newest first
    for n in range(56):
        day = 1 + (n * 7) % 28
        matter = "农机补贴" if n != 13 else "营业执照"
        add(run, "--matter", matter, at=f"2026-02-{day:02d} 09:{n % 3:02d}")
    everything = [c["id"] for c in run("list", "--search", "补贴", "--json").json()]
    assert len(everything) == 55
    table = run("list", "--search", "补贴")
    shown = re.findall(r"2026-\d{4}", table.stdout)
    assert shown == everything[:50]
    assert "55" in table.stdout.splitlines()[-1] and "5" in table.stdout.splitlines()[-1]
    rare = run("list", "--search", "营业执照")
    assert re.findall(r"2026-\d{4}", rare.stdout) == ["2026-0014"]
    assert run("list", "--search", "没有这个词").exit_code == 0


def test_a_case_of_yesterday_afternoon_is_entered_by_the_day_word_and_time(run):
    import datetime as dt

    yesterday = dt.date.today() - dt.timedelta(days=1)
    made = add(run, at="昨天 15:30")
    assert made["received_at"] == f"{yesterday.isoformat()} 15:30"
    moved = run("note", made["id"], "电话回访", "--at", "yesterday 16:05", "--json")
    assert moved.exit_code == 0, moved.stderr
    assert case(run, made["id"])["timeline"][-1]["at"] == f"{yesterday.isoformat()} 16:05"
    early = run("note", made["id"], "补记", "--at", "yesterday 15:00")
    assert early.exit_code == 1 and "is before case" in early.stderr


def _cells_from(line: str, where: int) -> str:
    """What a line shows from display cell `where` on, without spaces."""
    from rich.cells import cell_len

    taken = 0
    for n, char in enumerate(line):
        if taken >= where:
            return "".join(c for c in line[n:] if not c.isspace())
        taken += cell_len(char)
    return ""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_show_hides_nothing_the_clerk_typed_at_80_columns(run, monkeypatch, lang):
    """One case's view folds a long run of text (Chinese has no spaces to wrap at, nor has
    a link) onto the next lines; it never cuts it with "…"."""
    import ledger.render as render

    monkeypatch.setattr(render.console, "_width", 80)
    applicant = "某某市某某区某某街道某某科技发展有限责任公司第一分公司驻某某办事处"
    reason = "不属于本单位职责范围，建议转市场监督管理局企业登记科处理，联系人王科长" * 2
    note = "补充说明见 https://zwfw.example.gov.cn/portal/item/detail?id=1234567890abcdef"
    at = ("--at", "2026-11-10 09:00")
    ok = [
        run("add", "--applicant", applicant, "--matter", "营业执照变更", "--dept", "税务", *at),
        run("dispatch", "2026-0001", "--at", "2026-11-10 10:00"),
        run("return", "2026-0001", "--reason", reason, "--at", "2026-11-10 11:00"),
        run("note", "2026-0001", note, "--at", "2026-11-10 12:00"),
    ]
    assert [r.exit_code for r in ok] == [0, 0, 0, 0]
    shown = run("--lang", lang, "show", "2026-0001").stdout
    from rich.cells import cell_len

    assert max(cell_len(line) for line in shown.splitlines()) <= 80
    lines = shown.splitlines()
    # the timeline's notes read down their own column, each change on a line of its own
    head = next(n for n, line in enumerate(lines) if line.rstrip().endswith(("Note", "说明")))
    where = cell_len(lines[head].rstrip()) - cell_len({"en": "Note", "zh": "说明"}[lang])
    notes = "".join(_cells_from(line, where) for line in lines[head + 1 :])
    flat = "".join(c for c in shown if not c.isspace() and c not in "│")
    for text, found in ((applicant, flat), (reason, notes), (note.replace(" ", ""), notes)):
        assert text in found, text
    assert "…" not in shown


def test_long_department_names_stay_whole_in_the_department_list_and_the_week(
    run, monkeypatch, ledger_file
):
    """Cut to what fits, two names that differ at the end would look the same."""
    import ledger.render as render

    monkeypatch.setattr(render.console, "_width", 80)
    names = [f"某某市某某区人民政府办公室督查科综合协调与信息化（第{n}组）" for n in "一二"]
    for n, name in enumerate(names):
        assert run("dept", "add", name).exit_code == 0
        added = run("add", "--applicant", f"甲{n}", "--matter", "一", "--dept", name,
                    "--at", f"2026-10-12 09:0{n}")  # fmt: skip
        assert added.exit_code == 0
    listed = run("--lang", "zh", "dept", "list").stdout
    assert "（第一组）" in listed and "（第二组）" in listed and "…" not in listed
    # a long place and phone beside them leave the names their room
    floor, phone = (
        "行政服务中心三楼东侧312室（社保窗口旁）",
        "0571-87654321、0571-87654322（王科长）",
    )
    assert run("dept", "add", "人社局", "--floor", floor, "--phone", phone).exit_code == 0
    monkeypatch.setenv("COLUMNS", "80")  # as the clerk's terminal shows it
    listed = ledger_cmd(ledger_file, "--lang", "zh", "dept", "list").stdout
    assert "人社局" in listed and "名称" in listed and "…" not in listed
    assert "（第一" in listed and "（第二" in listed  # wrapped, what tells them apart is there
    # the week's breakdown sits beside another: a long name wraps in its own column, and
    # what tells the two apart is shown there
    week = run("--lang", "zh", "weekly", "--week", "2026-W42").stdout.splitlines()
    start = next(i for i, line in enumerate(week) if "按承办单位" in line)
    end = next(i for i in range(start + 1, len(week)) if not week[i].strip())
    breakdown = "".join(week[start:end]).replace(" ", "")
    assert "第一组" in breakdown and "第二组" in breakdown and "…" not in breakdown


def test_codes_as_the_clerk_types_them(run):
    """`--channel 12345` (what the window calls the hotline) and full-width digits were
    refused, and `edit --sections 市场准入、社会事务` (as import reads the column) too."""
    for said in ("12345", "１２３４５热线", "热线", "ＨＯＴＬＩＮＥ"):
        added = run("add", "--applicant", "甲", "--matter", "乙", "--channel", said, "--json")
        assert added.exit_code == 0, added.stderr
        assert added.json()["channel"] == "hotline"
    edited = run("edit", "2026-0001", "--sections", "市场准入、社会事务", "--json")
    assert edited.exit_code == 0, edited.stderr
    assert edited.json()["sections"] == ["market", "social"]
    assert run("edit", "2026-0001", "--sections", "市场准入，农水事务", "--json").json()[
        "sections"
    ] == ["market", "agri-water"]


def test_a_blank_or_unknown_answer_at_the_terminal_is_asked_again(tmp_path):
    """A blank applicant was taken, and the command failed only after the matter was typed;
    a feedback channel typed wrong ended the command, and the prompt named no choice."""
    env = {**os.environ, "LEDGER_DB": str(tmp_path / "tty.db"), "LEDGER_LANG": "en"}
    answers = [
        (b"Applicant", "   "),
        (b"must not be empty", ""),  # nothing at all: asked again, saying why, as for spaces
        (b"must not be empty", "王五"),
        (b"Matter", "营业执照变更"),
    ]
    output = at_terminal(["add", "--at", "2026-10-12 09:00"], env, answers)
    assert b"Received: 2026-0001" in output
    assert output.count(b"must not be empty") == 2
    done = ["resolve", "2026-0001", "--method", "m", "--outcome", "o", "--at", "2026-10-12 10:00"]
    assert ledger_cmd(tmp_path / "tty.db", *done).returncode == 0
    asked = b"Feedback via (Phone, Text message, In person, Letter, Other)"
    answers = [(asked, "wechat"), (b"Unknown", "sms")]
    output = at_terminal(["feedback", "2026-0001", "--at", "2026-10-12 11:00"], env, answers)
    assert b"Closed" in output


def test_a_control_character_at_the_terminal_is_asked_again(tmp_path):
    """An escape typed into the applicant was refused only after the matter was typed too,
    and the whole command with it."""
    env = {**os.environ, "LEDGER_DB": str(tmp_path / "tty.db"), "LEDGER_LANG": "en"}
    answers = [(b"Applicant", "王\x1b五"), (b"U+001B", "王五"), (b"Matter", "营业执照变更")]
    output = at_terminal(["add", "--at", "2026-10-12 09:00"], env, answers)
    assert b"Received: 2026-0001" in output
    shown = ledger_cmd(tmp_path / "tty.db", "show", "2026-0001", "--json")
    assert json.loads(shown.stdout)["applicant"] == "王五"


@pytest.mark.parametrize(
    "args",
    [
        ["add"],
        ["resolve", "2026-0001", "--cannot"],
        ["feedback", "2026-0001"],
        ["void", "2026-0001"],
        ["pause", "2026-0001"],
    ],
)
def test_with_no_stdin_at_all_a_missing_value_is_one_line(tmp_path, args):
    """A Windows program with no console, or a caller that closed stdin, has no `sys.stdin`:
    the command said it had an internal error."""
    db = tmp_path / "ledger.db"
    assert ledger_cmd(db, "add", "--applicant", "甲", "--matter", "乙").returncode == 0
    before = db.read_bytes()
    done = ledger_cmd(db, "--lang", "zh", *args, preexec_fn=lambda: os.close(0))
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "缺少必填项 --" in done.stderr, done.stderr
    assert db.read_bytes() == before


def test_the_intake_shows_the_class_it_was_taken_in_with(run):
    """`add --limit 复杂` showed 时限类别: 应办未办 → 复杂 on the intake, as if it were changed."""
    assert run("add", "--applicant", "甲", "--matter", "乙", "--limit", "复杂").exit_code == 0
    shown = run("--lang", "zh", "show", "2026-0001").stdout
    assert "时限类别：复杂" in shown and "应办未办 → 复杂" not in shown


def test_a_timeline_names_each_change_with_the_colon_of_its_language(run):
    """The Chinese timeline read `办理期限: 2026-10-10` with an ASCII colon."""
    import re

    assert (
        run("add", "--applicant", "甲", "--matter", "乙", "--at", "2026-10-12 09:00").exit_code == 0
    )
    assert run("edit", "2026-0001", "--matter", "丙", "--at", "2026-10-12 10:00").exit_code == 0
    zh = run("--lang", "zh", "show", "2026-0001").stdout
    assert "办理期限：2026-10-15" in zh and "事项名称：乙 → 丙" in zh
    assert not re.search("[\u4e00-\u9fff]: ", zh), zh
    en = run("--lang", "en", "show", "2026-0001").stdout
    assert "Deadline: 2026-10-15" in en and "Matter: 乙 → 丙" in en


def test_a_list_of_sections_in_one_option_value(run):
    added = run(
        "add", "--applicant", "甲", "--matter", "乙", "--section", "市场准入、社会事务", "--json"
    )
    assert added.exit_code == 0 and added.json()["sections"] == ["market", "social"]
    again = run("classify", "2026-0001", "--section", "农水事务，市场准入", "--json")
    assert again.exit_code == 0 and again.json()["sections"] == ["agri-water", "market"]


def test_a_shorter_limit_that_sets_a_deadline_already_past_is_said_at_once(run):
    """Received Friday 10-09, classified simple (0 working days) on the make-up Saturday
    10-10: the deadline is 10-09, and the case was late on the next sheet without a word."""
    assert (
        run("add", "--applicant", "周明", "--matter", "清税", "--at", "2026-10-09 13:10").exit_code
        == 0
    )
    moved = run("classify", "2026-0001", "--limit", "simple", "--at", "2026-10-10 11:20")
    assert moved.exit_code == 0
    assert "deadline, 2026-10-09 (counted from its receipt), has passed" in moved.stderr
    # a limit that leaves the deadline to come says nothing
    again = run("classify", "2026-0001", "--limit", "standard", "--at", "2026-10-10 11:30")
    assert again.exit_code == 0 and "has passed" not in again.stderr


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("--applicant", "张三"), "--applicant（反映人）的新值与原值相同"),
        (("--status", "closed"), "--status（状态）不能修改（编号、状态、时间线由系统维护）"),
        (
            ("--received-at", "2026-10-01"),
            "--received-at（受理时间）请用对应命令修改：ledger void + ledger add",
        ),
    ],
)
def test_a_refused_correction_names_the_field_in_the_clerks_words(run, refused, args, line):
    """`edit --applicant 张三` (unchanged) said 字段“applicant”…: the ledger's inner spelling
    inside a Chinese line; the field is named as typed, with its name."""
    add(run)
    assert refused("--lang", "zh", "edit", "2026-0001", *args) == line


def test_a_correction_with_one_field_as_it_stands_records_the_others(run, refused):
    """`edit --sections 社会事务 --problem not-approved` on a case already under 社会事务 was
    refused whole: the problem it corrected was lost with it."""
    add(run, "--section", "social")
    done = run("edit", "2026-0001", "--sections", "社会事务", "--problem", "not-approved", "--json")
    assert done.exit_code == 0, done.stderr
    shown = case(run, "2026-0001")
    assert shown["problem"] == "not-approved" and shown["sections"] == ["social"]
    edit = shown["timeline"][-1]
    assert edit["action"] == "edit"
    assert [change["field"] for change in edit["changes"]] == ["problem"]
    refused("edit", "2026-0001", "--sections", "社会事务", "--problem", "not-approved",
            message="is the same as the old one")  # fmt: skip


@pytest.mark.parametrize(
    ("resolved", "field"),
    [
        (("--method", "协调", "--outcome", "已办成"), "--method"),
        (("--method", "协调", "--outcome", "已办成"), "--outcome"),
        (("--cannot", "--reason", "超出本区权限"), "--outcome"),
    ],
)
def test_what_a_resolution_said_is_corrected_never_emptied(run, refused, resolved, field):
    """`edit --outcome "   "` on a case resolved as cannot emptied the reason the applicant
    must be told; `resolve` itself refuses those empty."""
    add(run)
    assert run("resolve", "2026-0001", *resolved).exit_code == 0
    name = field.removeprefix("--").capitalize()
    refused("edit", "2026-0001", field, "   ", message=f"{name} must not be empty")
