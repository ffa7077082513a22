"""The calendar and deadline commands, driven as the clerk types them."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import first_unconfirmed_year, nth_working_day


def test_deadline_prints_the_date_and_the_national_day_days_it_skipped(run):
    result = run("deadline", "2026-09-30", "--limit", "standard")
    assert result.exit_code == 0
    assert "Deadline: 2026-10-10 (Saturday)" in result.stdout
    for day in ("2026-10-01", "2026-10-04", "2026-10-07"):
        assert day in result.stdout
    assert result.stderr == ""


def test_deadline_in_chinese(run):
    result = run("--lang", "zh", "deadline", "2026年9月30日", "--limit", "应办未办")
    assert "到期日：2026-10-10（星期六）" in result.stdout
    assert "国庆节" in result.stdout


def test_deadline_json_is_only_json_and_the_warning_goes_to_stderr(run):
    # into a year whose notice the package does not carry yet (2027 as this is written)
    year = first_unconfirmed_year()
    eve = dt.date(year - 1, 12, 31)
    result = run("deadline", eve.isoformat(), "--days", "3", "--json")
    assert result.exit_code == 0
    answer = result.json()
    assert answer["start"] == eve.isoformat() and answer["days"] == 3
    assert answer["deadline"] == nth_working_day(eve, 3).isoformat()
    assert answer["skipped"][0] == {
        "date": f"{year}-01-01",
        "name": "New Year's Day",
        "source": "package",
    }
    assert answer["unconfirmed_years"] == [year]
    assert set(answer) == {"start", "days", "deadline", "skipped", "unconfirmed_years"}
    assert str(year) in result.stderr and "ledger calendar confirm" in result.stderr
    if year == 2027:  # the day this was written, by hand: Friday 01-01, then the weekend
        assert answer["deadline"] == "2027-01-06"
        assert [s["date"] for s in answer["skipped"]] == ["2027-01-01", "2027-01-02", "2027-01-03"]


def test_a_confirmed_year_no_longer_warns(run):
    year = first_unconfirmed_year()
    eve = f"{year - 1}-12-31"
    assert run("calendar", "workday", f"{year}-02-07", "--name", "春节调休").exit_code == 0
    assert run("calendar", "confirm", str(year)).exit_code == 0
    result = run("deadline", eve, "--json")
    assert result.json()["unconfirmed_years"] == [] and result.stderr == ""
    years = {r["year"]: r["confirmed_by"] for r in run("calendar", "years", "--json").json()}
    assert years[2026] == "package" and years[year] == "clerk"
    # and a confirmation can be taken back (SPEC §3)
    assert run("calendar", "unconfirm", str(year)).exit_code == 0
    years = {r["year"]: r["confirmed_by"] for r in run("calendar", "years", "--json").json()}
    assert years[year] is None
    assert str(year) in run("deadline", eve).stderr


def test_confirm_is_refused_without_overrides_or_where_the_package_knows(refused):
    year = str(first_unconfirmed_year())
    refused("calendar", "confirm", year, message="has no day entered yet")
    refused("calendar", "confirm", "2026", message="carries its official notice")
    refused("calendar", "unconfirm", year, message="nothing to take back")


def test_the_unconfirmed_warning_says_what_was_assumed(run):
    eve = f"{first_unconfirmed_year() - 1}-12-31"
    warning = run("deadline", eve).stderr
    assert "statutory holidays were assumed, without make-up working days" in warning
    zh = run("--lang", "zh", "deadline", eve).stderr
    assert "法定节假日" in zh and "未含调休上班日" in zh


def test_a_year_the_package_knows_no_holiday_of_is_said_to_count_weekends_only(run):
    """The package computes China's holidays up to 2100; the ledger takes dates to 2200.
    2101's National Day was a working day, and the warning said holidays were assumed."""
    late = run("deadline", "2101-09-30", "--days", "1", "--json")
    assert late.exit_code == 0
    assert late.json()["deadline"] == "2101-10-03"  # 10-01 and 10-02 a Saturday and Sunday
    assert "only Saturdays and Sundays were taken as days off" in late.stderr
    assert "were assumed" not in late.stderr and "2101" in late.stderr
    zh = run("--lang", "zh", "deadline", "2150-12-31", "--days", "1").stderr
    assert "没有2150、2151年的任何节假日" in zh and "只按周六、周日休息推算" in zh
    # a year the package computes keeps the wording of assumed holidays, each said once
    both = run("deadline", "2100-12-31", "--days", "1").stderr
    assert "for 2101:" in both and "statutory holidays were assumed" in both
    assert "schedule for 2100 is not confirmed" in both
    assert run("deadline", "2100-10-08", "--days", "1", "--json").json()["deadline"] == "2100-10-11"


def test_month_grid_in_both_languages(run):
    en = run("calendar", "2026-10")
    assert en.exit_code == 0
    assert "October 2026" in en.stdout and "National Day" in en.stdout
    assert "10W" in en.stdout  # the make-up Saturday
    zh = run("--lang", "zh", "calendar", "show", "2026-10")
    assert "2026年10月" in zh.stdout and "国庆节" in zh.stdout and "10班" in zh.stdout


def test_year_json_lists_every_date_with_its_source(run):
    days = run("calendar", "2026", "--json").json()
    assert len(days) == 365
    by_date = {d["date"]: d for d in days}
    assert by_date["2026-10-10"] == {
        "date": "2026-10-10",
        "working": True,
        "name": "Make-up working day",
        "source": "package",
    }
    assert by_date["2026-10-11"] == {
        "date": "2026-10-11",
        "working": False,
        "name": None,
        "source": "weekday",
    }
    assert by_date["2026-10-12"]["source"] == "weekday" and by_date["2026-10-12"]["working"]


def test_overrides_are_entered_shown_used_and_cleared(run):
    assert run("calendar", "holiday", "2026-10-12", "--name", "Power cut").exit_code == 0
    assert run("calendar", "workday", "2026-10-11").exit_code == 0
    days = {d["date"]: d for d in run("calendar", "2026", "--json").json()}
    assert days["2026-10-12"] == {
        "date": "2026-10-12",
        "working": False,
        "name": "Power cut",
        "source": "override",
    }
    assert days["2026-10-11"]["working"] and days["2026-10-11"]["source"] == "override"
    # 10-09 + 3: Sat 10 (make-up), Sun 11 (override), Tue 13 (Mon 12 closed)
    assert run("deadline", "2026-10-09", "--json").json()["deadline"] == "2026-10-13"
    assert run("calendar", "clear", "2026-10-11").exit_code == 0
    assert run("calendar", "clear", "2026-10-12").exit_code == 0
    assert run("deadline", "2026-10-09", "--json").json()["deadline"] == "2026-10-13"
    assert "has no override" in run("calendar", "clear", "2026-10-12").stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("deadline", "2026-02-30"), 1, "2026-02 has 28 days"),
        (("deadline", "2026-2-3O"), 1, "write it as 2026-10-14"),
        (("deadline", "2026-10-14", "--days", "-1"), 1, "whole number from 0 to 365"),
        (("deadline", "2026-10-14", "--days", "2", "--limit", "simple"), 2, "not both"),
        (("deadline", "2026-10-14", "--limit", "urgent"), 1, "Unknown time limit 'urgent'"),
        (("deadline", "2026-10-14", "--days", "many"), 1, "whole number from 0 to 365"),
        (("calendar", "2026-13"), 1, "write it as 2026-10 or 2026"),
        (("calendar", "holiday", "someday"), 1, "Cannot read the date 'someday'"),
        (("calendar", "confirm", "27"), 1, "write it as 2026"),
        (("calendar", "confirm", "3000"), 1, "between 1990 and 2200"),
        (("--lang", "fr", "calendar"), 2, "Unsupported language"),
        (("calendar", "frobnicate"), 2, "no command 'frobnicate'; `ledger calendar --help`"),
        (("no-such-command",), 2, "Bad command line"),
    ],
)
def test_bad_calendar_input_is_one_line_exit_code_and_no_change(refused, args, code, message):
    refused(*args, code=code, message=message)


def test_chinese_error_messages(refused):
    line = refused("--lang", "zh", "deadline", "2026-2-3O", message="无法识别的日期")
    assert "2026年10月14日" in line
    refused("--lang", "zh", "deadline", "2026-02-30", message="2026年2月只有 28 天")


def test_settings_alone_shows_the_settings(run):
    result = run("settings")
    assert result.exit_code == 0 and "limit_standard" in result.stdout


def test_output_in_a_narrow_code_page_never_breaks(ledger_file, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "LEDGER_DB": str(ledger_file), "PYTHONIOENCODING": "gbk"}
    added = subprocess.run(
        [
            sys.executable,
            "-m",
            "ledger",
            "add",
            "--applicant",
            "表情😀",
            "--matter",
            "事项🎉",
            "--json",
        ],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr.decode("gbk", "replace")
    assert "表情?".encode("gbk") in added.stdout
    assert b"Traceback" not in added.stderr


def test_the_packages_names_carry_their_dates_in_iso_form(run):
    shown = run("calendar", "2026-10").stdout
    assert "substituted from 2026-09-20" in shown and "09/20/2026" not in shown
    days = {d["date"]: d["name"] for d in run("calendar", "2026", "--json").json()}
    assert days["2026-10-07"] == "Day off (substituted from 2026-10-10)"


@pytest.mark.parametrize(("lang", "off", "work"), [("zh", "休", "班"), ("en", "H", "W")])
def test_the_month_grid_marks_holidays_without_colour(run, lang, off, work):
    """Redirected or printed, a grid has no red: the National Day break once looked like
    any week. Its days off carry a mark of their own, the make-up Saturday its own, and the
    legend names both as the grid writes them (it once said `[班]` for `10班`)."""
    out = run("--lang", lang, "calendar", "show", "2026-10").stdout
    lines = out.splitlines()
    first_weeks = "\n".join(lines[3:5])
    # the Sunday inside the break (10-04, no name of its own) is marked with it
    for day in (1, 2, 3, 4, 5, 6, 7):
        assert f"{day}{off}" in first_weeks, out
    assert f"10{work}" in first_weeks and f"11{off}" not in first_weeks  # an ordinary Sunday
    assert "8" in first_weeks and f"8{off}" not in first_weeks and f"9{off}" not in first_weeks
    assert f"{off}=" in out.replace(" ", "") and f"{work}=" in out.replace(" ", "")
    assert "[" not in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_legend_explains_colours_only_where_there_are_colours(run, monkeypatch, lang):
    """Redirected or printed, the grid has no red and no reversed day: its legend named them."""
    from rich.console import ColorSystem

    import ledger.render as render

    plain = run("--lang", lang, "calendar", "2026-10").stdout.splitlines()[-1]
    expected = {
        "zh": "休=节假日  班=调休上班  *=人工设定",
        "en": "H = holiday  W = make-up working day  * = set by clerk",
    }
    assert plain == expected[lang]
    monkeypatch.setattr(render.console, "_color_system", ColorSystem.STANDARD)
    coloured = run("--lang", lang, "calendar", "2026-10").stdout
    assert {"zh": "红色=休息日", "en": "red = day off"}[lang] in coloured


@pytest.mark.parametrize("month", ["２０２６－１０", "2026/10", "2026年10月"])
def test_a_month_is_shown_however_it_is_written(run, month):
    """`calendar ２０２６－１０` (full-width, as an input method types it) was refused."""
    result = run("calendar", month, "--json")
    assert result.exit_code == 0, result.stderr
    days = result.json()
    assert days[0]["date"] == "2026-10-01" and days[-1]["date"] == "2026-10-31"


def test_a_mistyped_subcommand_names_its_group_however_the_program_was_started(ledger_file):
    """Under `python -m ledger` the hint read `ledger -m ledger calendar --help`."""
    from conftest import ledger_cmd

    result = ledger_cmd(ledger_file, "calendar", "frobnicate")
    assert result.returncode == 2
    assert "`ledger calendar --help` lists them" in result.stderr


def test_a_deadline_shown_on_an_unconfirmed_year_is_warned_of_by_list_and_show(run, monkeypatch):
    """SPEC §3: `daily`, `overdue` and `add` warned; `list` and `show` showed a deadline
    counted on an assumed schedule without a word."""
    import datetime as dt

    from ledger import dates

    year = first_unconfirmed_year()
    moment = dt.datetime(year, 1, 11, 9, 0)
    monkeypatch.setattr(dates, "now", lambda: moment)
    monkeypatch.setattr(dates, "today", lambda: moment.date())
    added = run("add", "--applicant", "甲", "--matter", "乙", "--json")
    assert added.exit_code == 0 and str(year) in added.stderr
    for args in (("list",), ("list", "--json"), ("show", added.json()["id"])):
        result = run(*args)
        assert result.exit_code == 0
        assert "not confirmed" in result.stderr and str(year) in result.stderr, args
    assert f"{year}年的放假安排尚未确认" in run("--lang", "zh", "list").stderr


def test_a_deadline_on_a_confirmed_year_is_shown_without_a_warning(run):
    assert (
        run("add", "--applicant", "甲", "--matter", "乙", "--at", "2026-10-12 09:00").stderr == ""
    )
    for args in (("list",), ("list", "--json"), ("show", "2026-0001")):
        result = run(*args)
        assert result.exit_code == 0 and result.stderr == "", args


def test_clearing_the_last_day_of_a_confirmed_year_takes_its_confirmation_back(run):
    """`confirm` needs a day entered; clearing the only one left the year confirmed with
    nothing entered, and the warning gone."""
    year = first_unconfirmed_year()
    assert run("calendar", "workday", f"{year}-02-20", "--name", "调休上班").exit_code == 0
    assert run("calendar", "holiday", f"{year}-02-16").exit_code == 0
    assert run("calendar", "confirm", str(year)).exit_code == 0
    first = run("calendar", "clear", f"{year}-02-16")
    assert first.exit_code == 0 and "taken back" not in first.stdout  # one day is still entered
    last = run("calendar", "clear", f"{year}-02-20")
    assert last.exit_code == 0 and f"{year} has no day entered any more" in last.stdout
    rows = {r["year"]: r for r in run("calendar", "years", "--json").json()}
    assert rows[year]["clerk_confirmed_at"] is None and rows[year]["confirmed_by"] is None
    assert "not confirmed" in run("deadline", f"{year}-01-04").stderr
    zh = run("--lang", "zh", "calendar", "clear", f"{year}-02-20").stdout
    assert "随之撤销" not in zh  # nothing was cleared this time: nothing taken back


def test_a_day_set_without_a_name_has_none_in_json_and_its_words_on_screen(run):
    """SPEC §3: `name` (or null). A nameless override gave "Day off (set by clerk)" or
    "休息（人工设定）" by the language of the run: words where a script reads data."""
    assert run("calendar", "holiday", "2026-12-24").exit_code == 0
    for lang in ("en", "zh"):
        days = run("--lang", lang, "calendar", "2026-12", "--json").json()
        day = next(d for d in days if d["date"] == "2026-12-24")
        assert day == {"date": "2026-12-24", "working": False, "name": None, "source": "override"}
        answer = run("--lang", lang, "deadline", "2026-12-23", "--days", "2", "--json").json()
        assert answer["skipped"][0] == {"date": "2026-12-24", "name": None, "source": "override"}
    assert "Day off (set by clerk)" in run("--lang", "en", "calendar", "2026-12").stdout
    assert "休息（人工设定）" in run("--lang", "zh", "deadline", "2026-12-23", "--days", "2").stdout


def test_a_year_the_clerk_entered_holidays_for_is_not_said_to_have_none(run):
    ok = run("calendar", "holiday", "2101-10-03", "--name", "国庆")
    assert ok.exit_code == 0
    answer = run("deadline", "2101-09-30", "--days", "1")
    assert "国庆" in answer.stdout
    assert "only Saturdays and Sundays" not in answer.stderr and "2101" in answer.stderr


@pytest.mark.parametrize(("lang", "said"), [("en", "(no holidays or make-up working days in it)"),
                                            ("zh", "（其间没有节假日或调休上班日）")])  # fmt: skip
def test_a_month_with_no_named_day_says_so_instead_of_an_empty_table(run, lang, said):
    """November 2026 printed the headings of an empty table of holidays."""
    shown = run("--lang", lang, "calendar", "2026-11")
    assert shown.exit_code == 0, shown.stderr
    assert said in shown.stdout
    october = run("--lang", lang, "calendar", "2026-10").stdout
    assert said not in october and "2026-10-10" in october
