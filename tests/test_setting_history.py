"""The settings a report counts with are those in force on its date (SPEC §6): the
acknowledgement target (`ack_days`), the escalation ladder (`report_after_days`) and the three
alarm lines. Changing one leaves the sheets and figures of earlier days as they were. On the
2026 calendar: National Day 10-01..10-07 off, Saturday 10-10 a make-up working day."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import digest


def ok(run, *args):
    result = run(*args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result


def sheet(run, day: str) -> dict:
    return ok(run, "daily", "--date", day, "--json").json()


def ids(items: list[dict]) -> list[str]:
    return [item["id"] for item in items]


def changes(ledger_file) -> list[tuple]:
    with sqlite3.connect(ledger_file) as conn:
        return conn.execute("SELECT key, old, new, at FROM setting_changes ORDER BY id").fetchall()


@pytest.fixture
def window(run) -> dict[str, str]:
    """An order dispatched Friday 10-09 and never acknowledged; an order late since 10-09,
    chased on 10-09; a case resolved late in week 41 (10-05..10-11) by 税务."""
    made = {}
    for name, received, dept in (
        ("unsigned", "2026-10-09 09:00", "市场准入"),
        ("chased", "2026-09-29 09:00", "社会事务"),  # due 10-09, after the break
        ("slow", "2026-09-28 09:00", "税务"),  # due 10-08
    ):
        made[name] = ok(
            run, "add", "--applicant", "王五", "--matter", "许可", "--at", received, "--json"
        ).json()["id"]
        ok(run, "dispatch", made[name], "--dept", dept, "--at", received[:11] + "10:00")
    ok(run, "urge", made["chased"], "--at", "2026-10-09 11:00")
    ok(run, "resolve", made["slow"], "--method", "m", "--outcome", "o", "--at", "2026-10-10 16:00")
    return made


def unsigned(window: dict, found: dict) -> dict | None:
    """The Friday order's line among a sheet's unacknowledged ones."""
    return next((c for c in found["unacknowledged"] if c["id"] == window["unsigned"]), None)


def test_a_past_sheet_is_counted_with_the_targets_of_its_own_day(run, window, ledger_file):
    before = {day: sheet(run, day) for day in ("2026-10-13", "2026-10-16", "2026-10-19")}
    # ack_days 1: the Friday order was due to be signed for on Saturday 10-10 (make-up)
    assert sorted(ids(before["2026-10-13"]["unacknowledged"])) == sorted(
        [window["unsigned"], window["chased"]]
    )
    assert unsigned(window, before["2026-10-13"])["ack_target"] == "2026-10-10"
    # report_after_days 5: chased Friday 10-09, reported from 10-15 (10-10, 12, 13, 14, 15)
    assert before["2026-10-13"]["to_report"] == []
    assert ids(before["2026-10-16"]["to_report"]) == [window["chased"]]
    assert before["2026-10-16"]["to_report"][0]["report_from"] == "2026-10-15"

    ok(run, "settings", "set", "ack_days", "4", "--at", "2026-10-15 08:00")
    ok(run, "settings", "set", "report_after_days", "2", "--at", "2026-10-19 08:00")

    # a day before both changes: its sheet as it was, whole; a day between them: what the
    # later change touches as it was
    assert sheet(run, "2026-10-13") == before["2026-10-13"]
    on_16 = sheet(run, "2026-10-16")
    assert on_16["to_report"] == before["2026-10-16"]["to_report"]
    assert unsigned(window, on_16)["ack_target"] == "2026-10-14"
    # from the day of a change on, the new value: ack_days 4 puts the target at 10-14, so on
    # 10-15 the order is one working day past it (it was three with ack_days 1)
    on_15 = unsigned(window, sheet(run, "2026-10-15"))
    assert (on_15["ack_target"], on_15["days_past_target"]) == ("2026-10-14", 1)
    # report_after_days 2: reported from 10-12 (it was from 10-15 with 5)
    reported = sheet(run, "2026-10-19")["to_report"][0]
    assert reported["report_from"] == "2026-10-12"
    assert reported != before["2026-10-19"]["to_report"][0]
    assert [c[:3] for c in changes(ledger_file)] == [
        ("ack_days", None, "4"),
        ("report_after_days", None, "2"),
    ]


def test_a_past_week_keeps_its_alarm_lines(run, window):
    week = ("weekly", "--week", "2026-W41", "--json")
    before = ok(run, *week).json()
    # 税务 resolved its one order late: under the on-time line of 0.9
    assert [d["department"] for d in before["below_threshold"]] == ["税务"]
    assert "on_time_rate" in before["below_threshold"][0]["figures"]
    assert before["thresholds"]["on_time_threshold"] == 0.9
    ok(run, "settings", "set", "on_time_threshold", "0%", "--at", "2026-10-20 09:00")
    assert ok(run, *week).json() == before
    # a period that ends after the change is judged by the line in force at its end (税务
    # is still under the answer line: its applicant has not been told)
    later = ok(run, "weekly", "--from", "2026-10-05", "--to", "2026-10-20", "--json").json()
    assert later["thresholds"]["on_time_threshold"] == 0.0
    assert [d["department"] for d in later["below_threshold"]] == ["税务"]
    assert "on_time_rate" not in later["below_threshold"][0]["figures"]
    notices_before = ok(run, "notices", "--date", "2026-10-16", "--json").json()
    ok(run, "settings", "set", "report_after_days", "9")
    assert ok(run, "notices", "--date", "2026-10-16", "--json").json() == notices_before


def test_the_first_change_after_a_day_says_what_was_in_force_on_it(run, window):
    ok(run, "settings", "set", "ack_days", "0", "--at", "2026-10-12 08:00")
    ok(run, "settings", "set", "ack_days", "3", "--at", "2026-10-14 08:00")
    ok(run, "settings", "set", "ack_days", "2")  # now
    # before both: the default (1), the target the make-up Saturday itself
    assert unsigned(window, sheet(run, "2026-10-10")) is None
    # between them: 0, the Friday order due that very Friday
    on_12 = unsigned(window, sheet(run, "2026-10-12"))
    assert (on_12["ack_target"], on_12["days_past_target"]) == ("2026-10-09", 2)
    # from the second on: 3, due by 10-13
    for day, past in (("2026-10-14", 1), ("2026-10-15", 2)):
        found = unsigned(window, sheet(run, day))
        assert (found["ack_target"], found["days_past_target"]) == ("2026-10-13", past)
    assert ok(run, "settings", "show", "--json").json()["ack_days"] == "2"


def test_the_same_value_again_records_nothing(run, ledger_file):
    ok(run, "settings", "set", "ack_days", "2")
    before = digest(ledger_file)
    ok(run, "settings", "set", "ack_days", "2")
    assert digest(ledger_file) == before
    assert [c[:3] for c in changes(ledger_file)] == [("ack_days", None, "2")]


def test_a_change_before_the_last_one_is_refused(run, refused, ledger_file):
    ok(run, "settings", "set", "ack_days", "2", "--at", "2026-10-14 08:00")
    line = refused("settings", "set", "ack_days", "3", "--at", "2026-10-13 08:00")
    assert "2026-10-13 08:00" in line and "ack_days" in line and "2026-10-14 08:00" in line
    zh = refused("--lang", "zh", "settings", "set", "ack_days", "3", "--at", "2026-10-13 08:00")
    assert "早于设置 ack_days 上次修改的时间" in zh
    refused(
        "settings", "set", "ack_days", "3", "--at", "2200-01-01 08:00", message="later than now"
    )
    refused("settings", "set", "ack_days", "3", "--at", "tomorrow-ish")
    # another setting has its own order
    ok(run, "settings", "set", "report_after_days", "3", "--at", "2026-10-13 08:00")


def test_a_clock_ahead_on_the_day_of_a_change_freezes_no_setting(run, monkeypatch, ledger_file):
    import datetime as dt

    from ledger import dates

    real_now = dates.now
    ahead = real_now() + dt.timedelta(days=365)
    monkeypatch.setattr(dates, "now", lambda: ahead)
    ok(run, "settings", "set", "ack_days", "2")
    monkeypatch.setattr(dates, "now", real_now)
    ok(run, "settings", "set", "ack_days", "3")  # taken at the wrong morning's time
    assert [c[3] for c in changes(ledger_file)] == [dates.minute(ahead)] * 2
    checked = run("check")
    assert checked.exit_code == 1
    assert "setting ack_days is dated" in checked.stderr and "clock" in checked.stderr


def test_a_past_value_another_program_spoilt_stops_the_report_in_one_line(
    run, refused, window, ledger_file
):
    ok(run, "settings", "set", "ack_days", "2", "--at", "2026-10-15 08:00")
    with sqlite3.connect(ledger_file) as conn:
        conn.execute("UPDATE setting_changes SET old = 'lots'")
    conn.close()
    line = refused("daily", "--date", "2026-10-13")
    assert "ack_days" in line and "lots" in line
    ok(run, "daily", "--date", "2026-10-16")  # after the change: today's value, which is sound
    checked = run("check")
    assert checked.exit_code == 1 and "lots" in checked.stderr
    # set again, as the line says: the days it held count with the value set now
    ok(run, "settings", "set", "ack_days", "3")
    assert run("check").exit_code == 0
    on_14 = unsigned(window, sheet(run, "2026-10-14"))
    assert on_14["ack_target"] == "2026-10-13"  # ack_days 3 from the Friday
    assert [c[1:3] for c in changes(ledger_file)] == [("3", "2"), ("2", "3")]


def test_a_ledger_of_version_5_keeps_its_settings_on_every_day(run, ledger_file):
    """A ledger upgraded from before the history has none: its settings hold on every day,
    as its reports read them before the upgrade."""
    with sqlite3.connect(ledger_file) as conn:
        conn.executescript(
            "DROP TABLE calendar_changes;"
            "DELETE FROM _sqlite_migrations WHERE name = 'm007_calendar_history';"
            "DROP TABLE setting_changes;"
            "DELETE FROM _sqlite_migrations WHERE name = 'm006_setting_history';"
            "INSERT INTO settings VALUES ('ack_days', '3');"
            "PRAGMA user_version = 5;"
        )
    conn.close()
    ok(run, "add", "--applicant", "王五", "--matter", "许可", "--at", "2026-10-09 09:00")
    ok(run, "dispatch", "2026-0001", "--dept", "税务", "--at", "2026-10-09 10:00")
    assert changes(ledger_file) == []
    listed = sheet(run, "2026-10-15")["unacknowledged"][0]
    assert listed["ack_target"] == "2026-10-13"  # ack_days 3 from the Friday


def test_a_pack_carries_the_history_and_the_city_counts_with_it(run, window, tmp_path):
    ok(run, "settings", "set", "window_code", "DG-01")
    ok(run, "settings", "set", "on_time_threshold", "0.5", "--at", "2026-10-20 09:00")
    ok(run, "settings", "set", "report_after_days", "2", "--at", "2026-10-20 09:00")
    pack = tmp_path / "DG-01.db"
    ok(run, "pack", pack)
    for period in (("--week", "2026-W41"), ("--from", "2026-10-05", "--to", "2026-10-23")):
        own = ok(run, "weekly", *period, "--json").json()
        row = ok(run, "city", pack, *period, "--json").json()["windows"][0]
        assert row == {"window": own["window"], **own}
    week = ok(run, "city", pack, "--week", "2026-W41", "--json").json()["windows"][0]
    assert week["thresholds"]["on_time_threshold"] == 0.9
    with sqlite3.connect(pack) as conn:
        kept = conn.execute("SELECT key, old, new FROM setting_changes ORDER BY id").fetchall()
    conn.close()
    assert ("on_time_threshold", None, "0.5") in kept


def test_a_change_made_while_the_clock_ran_ahead_reaches_todays_reports(run, monkeypatch):
    """Set a year ahead, then set again with the clock right: `settings show` said 4, while
    today's sheet counted with the default until that future date, and no `--at` mended it."""
    import datetime as dt

    from ledger import dates

    today = dt.date.today().isoformat()
    ok(run, "add", "--applicant", "王五", "--matter", "许可", "--at", f"{today} 00:00")
    ok(run, "dispatch", "2026-0001", "--dept", "税务", "--at", f"{today} 00:00")
    real_now = dates.now
    monkeypatch.setattr(dates, "now", lambda: real_now() + dt.timedelta(days=365))
    ok(run, "settings", "set", "ack_days", "2")
    monkeypatch.setattr(dates, "now", real_now)
    ok(run, "settings", "set", "ack_days", "0")
    assert ok(run, "settings", "show", "--json").json()["ack_days"] == "0"
    # counted with 0 from now on: due the day of its dispatch (or the next working day), and
    # listed on the working day after that (with 1, or the 2 of the wrong clock, it is not)
    due = ok(run, "deadline", today, "--days", "0", "--json").json()["deadline"]
    after = ok(run, "deadline", due, "--days", "1", "--json").json()["deadline"]
    listed = sheet(run, after)["unacknowledged"]
    assert [(c["ack_target"], c["days_past_target"]) for c in listed] == [(due, 1)]


def test_a_tiny_alarm_line_is_written_out_and_read_back(run):
    """`0.001%` was stored as 1e-05, which the ledger then called another program's writing,
    and every command stopped."""
    ok(run, "settings", "set", "满意率警戒线", "0.001%")
    assert ok(run, "settings", "show", "--json").json()["satisfaction_threshold"] == "0.00001"
    assert run("check").exit_code == 0
    ok(run, "settings", "set", "satisfaction_threshold", "0.00005")
    import datetime as dt

    today = dt.date.today().isoformat()  # (a past week keeps the line of its end)
    figures = ok(run, "weekly", "--from", today, "--to", today, "--json").json()
    assert figures["thresholds"]["satisfaction_threshold"] == 0.00005


@pytest.mark.parametrize("typed", ["９０％", "９０%", "０.９", "0．9", "90％"])
def test_full_width_digits_are_the_ascii_ones_for_an_alarm_line(run, typed):
    ok(run, "settings", "set", "on_time_threshold", typed)
    assert ok(run, "settings", "show", "--json").json()["on_time_threshold"] == "0.9"


def _spoil(ledger_file, statement: str) -> None:
    with sqlite3.connect(ledger_file) as conn:
        conn.execute(statement)
    conn.close()


def test_a_spoilt_past_value_is_refused_by_pack_and_named_by_city(
    run, refused, ledger_file, tmp_path
):
    ok(run, "settings", "set", "window_code", "DG-07")
    ok(run, "settings", "set", "on_time_threshold", "0.5", "--at", "2026-10-20 08:00")
    good = tmp_path / "good.db"
    ok(run, "pack", good)
    _spoil(ledger_file, "UPDATE setting_changes SET old = '90%' WHERE key = 'on_time_threshold'")
    line = refused("pack", tmp_path / "DG-07.db", message="on_time_threshold")
    assert "'90%'" in line and not (tmp_path / "DG-07.db").exists()
    # a pack spoilt after it was made: the city names it, and which value, whatever the
    # period (before the change, and after it, where it would not count with that value)
    _spoil(good, "UPDATE setting_changes SET old = '90%' WHERE key = 'on_time_threshold'")
    for period in (("--week", "2026-W42"), ("--week", "2026-W44")):
        line = refused("city", good, *period)
        assert str(good) in line and "on_time_threshold" in line and "'90%'" in line


@pytest.mark.parametrize(
    "at",
    [
        "CAST('2026-10-15 08:00' AS BLOB)",
        "'2026-10-15 8:00'",
        "'2026-10-15T08:00'",
        "1760515200",
        "'yesterday'",
    ],
)
def test_a_change_time_another_program_wrote_is_named_by_check_and_never_copied(
    run, ledger_file, at
):
    """A bytes time ended `settings set` in an internal error; other forms passed `check`,
    put the change on another day, and `yesterday` was copied into the next change."""
    ok(run, "settings", "set", "ack_days", "4", "--at", "2026-10-15 08:00")
    _spoil(ledger_file, f"UPDATE setting_changes SET at = {at}")
    checked = run("check")
    assert checked.exit_code == 1 and "setting_changes" in checked.stderr, checked.stderr
    assert "Traceback" not in checked.stderr
    result = run("settings", "set", "ack_days", "5")
    assert result.exit_code == 0, result.stderr
    times = [c[3] for c in changes(ledger_file)]
    assert times[0] != times[1] and len(times[1]) == len("2026-10-15 08:00")


@pytest.mark.parametrize("key, stored", [("on_time_threshold", "０．９"), ("ack_days", "1\u00ad")])
def test_a_stored_value_the_reports_cannot_read_is_named_not_an_internal_error(
    run, refused, ledger_file, key, stored
):
    """`check` passed '０．９' (its own check cleans a value first), then `weekly` ended in
    "Internal error" reading it."""
    _spoil(ledger_file, f"INSERT OR REPLACE INTO settings VALUES ('{key}', '{stored}')")
    checked = run("check")
    assert checked.exit_code == 1 and key in checked.stderr
    for command in (("weekly", "--week", "2026-W41"), ("daily", "--date", "2026-10-14")):
        line = refused(*command)
        assert f"ledger settings set {key} VALUE" in line


@pytest.mark.parametrize("typed", ["⁹⁰%", "①", "٩٠%"])
def test_other_forms_of_digits_are_not_an_alarm_line(refused, typed):
    refused("settings", "set", "on_time_threshold", typed, message="is not a threshold")


def test_the_value_it_already_has_is_no_change_whatever_its_time(run, ledger_file):
    ok(run, "settings", "set", "ack_days", "2", "--at", "2026-10-14 08:00")
    before = digest(ledger_file)
    ok(run, "settings", "set", "ack_days", "2", "--at", "2026-10-13 08:00")
    assert digest(ledger_file) == before


def test_a_spoilt_past_value_is_mended_with_the_value_before_it(run, ledger_file):
    ok(run, "settings", "set", "ack_days", "2", "--at", "2026-10-10 08:00")
    ok(run, "settings", "set", "ack_days", "3", "--at", "2026-10-14 08:00")
    _spoil(ledger_file, "UPDATE setting_changes SET old = 'x' WHERE new = '3'")
    ok(run, "settings", "set", "ack_days", "4")
    assert [c[1:3] for c in changes(ledger_file)] == [(None, "2"), ("2", "3"), ("3", "4")]


def test_a_time_that_is_no_time_is_refused_even_for_the_same_value(run, refused):
    ok(run, "settings", "set", "report_after_days", "4")
    refused("settings", "set", "report_after_days", "4", "--at", "garbage", message="garbage")
    refused("settings", "set", "report_after_days", "4", "--at", "25:00")


@pytest.mark.parametrize(
    ("key", "typed"),
    [
        ("ack_days", "1"),
        ("report_after_days", "5"),
        ("on_time_threshold", "90%"),
        ("satisfaction_threshold", "0.85"),
        ("feedback_threshold", "０．９２"),
        ("limit_complex", "5"),
        ("window_name", ""),
    ],
)
def test_the_default_of_a_key_never_set_is_no_change(run, ledger_file, key, typed):
    """The README's settings block sets each alarm line to the value it has by default; that
    recorded a change dated now, before which no `--at` could then be given."""
    ok(run, "add", "--applicant", "王五", "--matter", "营业执照")  # a ledger that holds a case
    before = digest(ledger_file)
    said = ok(run, "settings", "set", key, typed).stdout
    assert "Unchanged" in said and "nothing recorded" in said and "Saved" not in said
    assert digest(ledger_file) == before and changes(ledger_file) == []
    zh = ok(run, "--lang", "zh", "settings", "set", key, typed).stdout
    assert "未改动" in zh and "已保存" not in zh
    # the first real change may still be dated before today
    other = {"window_name": "东港区办不成事窗口"}.get(key, "0.5" if "threshold" in key else "3")
    ok(run, "settings", "set", key, other, "--at", "2026-10-01 08:00")
    assert changes(ledger_file) == [(key, None, other, "2026-10-01 08:00")]
    assert "Saved" in ok(run, "settings", "set", key, typed).stdout


def test_an_empty_value_is_said_as_such(run):
    said = ok(run, "settings", "set", "window_name", "").stdout
    assert "window_name (Window name) is already (none)" in said
    assert "已是 （未填）" in ok(run, "--lang", "zh", "settings", "set", "window_name", "").stdout


def test_a_deadline_is_counted_with_the_limits_in_force_when_its_round_began(
    run, refused, tmp_path
):
    """`settings set limit_standard 5 --at 11-25` was recorded, yet a case entered with
    `--at 11-20` got 5 working days, a reopening of 11-18 too, an import of a row received
    11-20 too, and an extension of 11-20 was held to the `max_extension_days` of today."""
    ok(run, "add", "--applicant", "甲", "--matter", "事一", "--at", "2026-11-16 09:00")
    ok(run, "settings", "set", "limit_standard", "5", "--at", "2026-11-25 09:00")
    ok(run, "settings", "set", "max_extension_days", "2", "--at", "2026-11-25 09:00")
    ok(run, "settings", "set", "limit_complex", "8", "--at", "2026-11-26 09:00")

    def added(name: str, at: str, *more: str) -> dict:
        args = ("add", "--applicant", name, "--matter", "事", "--at", at, *more, "--json")
        return ok(run, *args).json()

    # Friday 11-20 + 3 working days; from 11-25 09:00 on, 5
    assert added("乙", "2026-11-20 09:00")["deadline"] == "2026-11-25"
    assert added("丙", "2026-11-25 08:59")["deadline"] == "2026-11-30"
    assert added("丁", "2026-11-25 09:00")["deadline"] == "2026-12-02"
    # a class chosen at classify time counts with that time's days: complex 5, then 8
    classified = ok(
        run, "classify", "2026-0002", "--limit", "complex", "--at", "2026-11-20 10:00", "--json"
    ).json()
    assert classified["deadline"] == "2026-11-27"
    # a reopening of 11-18 counts three days from then
    ok(run, "dispatch", "2026-0001", "--dept", "市场准入", "--at", "2026-11-16 10:00")
    ok(
        run,
        "resolve",
        "2026-0001",
        "--method",
        "协调",
        "--outcome",
        "已办",
        "--at",
        "2026-11-17 10:00",
    )
    ok(run, "feedback", "2026-0001", "--via", "phone", "--at", "2026-11-17 11:00")
    reopened = ok(
        run, "reopen", "2026-0001", "--reason", "未办好", "--at", "2026-11-18 09:00", "--json"
    )
    assert reopened.json()["deadline"] == "2026-11-23"
    # 10 working days could be asked for on 11-20; from 11-25 on, at most 2
    ok(run, "dispatch", "2026-0002", "--dept", "市场准入", "--at", "2026-11-20 11:00")
    extended = ok(
        run,
        "extend",
        "2026-0002",
        "--days",
        "5",
        "--reason",
        "待鉴定",
        "--at",
        "2026-11-20 12:00",
        "--json",
    )
    assert extended.json()["deadline"] == "2026-12-04"
    refused(
        "extend",
        "2026-0002",
        "--days",
        "5",
        "--reason",
        "再延",
        message="at most 2 working days (setting max_extension_days), not 5",
    )
    # an imported row without a deadline: the limits of the day it was received
    book = tmp_path / "book.csv"
    book.write_text(
        "受理时间,反映人,事项名称,时限类别\n"
        "2026-11-20 09:00,戊,导入一,应办未办\n"
        "2026-11-26 09:00,己,导入二,应办未办\n",
        encoding="utf-8",
    )
    ok(run, "import", book)
    found = {c["applicant"]: c["deadline"] for c in ok(run, "list", "--json").json()}
    assert found["戊"] == "2026-11-25" and found["己"] == "2026-12-03"
    assert ok(run, "check").exit_code == 0


def test_a_spoilt_past_value_of_another_setting_stops_no_deadline(run, ledger_file):
    """Counting a deadline with the limits of its time read every setting's past and
    stopped `add --at` and every import on an acknowledgement target another program
    spoilt, which no deadline reads."""
    ok(run, "settings", "set", "limit_standard", "5", "--at", "2026-11-01 09:00")
    ok(run, "settings", "set", "ack_days", "2", "--at", "2026-11-10 09:00")
    with sqlite3.connect(ledger_file) as conn:
        conn.execute("UPDATE setting_changes SET old = 'x' WHERE key = 'ack_days'")
    added = ok(run, "add", "--applicant", "甲", "--matter", "一", "--at", "2026-11-05 10:00")
    assert added.exit_code == 0
    assert ok(run, "show", "2026-0001", "--json").json()["deadline"] == "2026-11-12"


def test_a_setting_is_named_with_its_meaning_and_a_wrong_one_lists_them_so(run, refused):
    """`settings set foo 1` listed bare keys, and a saved setting echoed its key alone: a
    Chinese clerk read `limit_standard` with nothing to say it was 应办未办时限."""
    line = refused("--lang", "zh", "settings", "set", "foo", "1", message="没有名为“foo”的设置项")
    assert "limit_standard（应办未办时限）" in line and "max_extension_days（单次延期" in line
    said = ok(run, "--lang", "zh", "settings", "set", "limit_standard", "4").stdout
    assert "已保存：limit_standard（应办未办时限）= 4" in said
    said = ok(run, "settings", "set", "ack_days", "2").stdout
    assert "Saved: ack_days (Work orders acknowledged by" in said


def test_a_period_refused_says_how_to_put_it_right(refused):
    refused("--lang", "zh", "weekly", "--week", "2026-W60", message="2026年没有第 60 周")
    refused("weekly", "--week", "2025-W53", message="2025 has no week 53: a year has 52 or 53")
    line = refused("weekly", "--week", "xyz", message="write it as 2026-W41")
    assert "53" not in line
    refused("list", "--from", "2026-10-20", "--to", "2026-10-01", message="swap the two dates")


@pytest.mark.parametrize(
    "typed", ["LIMIT_STANDARD", "ｌｉｍｉｔ＿ｓｔａｎｄａｒｄ", "Limit_Standard"]
)
def test_a_setting_key_is_read_as_its_labels_are(run, typed):
    """Labels were folded (case, full-width letters, spaces); the key itself was not."""
    assert "Saved: limit_standard" in ok(run, "settings", "set", typed, "4").stdout
