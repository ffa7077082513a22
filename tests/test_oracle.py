"""The oracle of SPEC §6: every report as of any date, unchanged by later work, and equal to
what the timeline alone says.

Hypothesis writes random histories — every move, undo and late extensions included, the
12345 practice too (acknowledgements, pauses and resumptions, assisting departments, chase
notices recorded by `notices --record`), in both
languages, on days across the 2026 Mid-Autumn and National Day breaks and their make-up
Saturday and Sunday — and replays them day by day, keeping each evening's `daily`,
`overdue` and `weekly` JSON. At the end, with the calendar changed under the open cases:

1. every kept report equals the same report asked for again of that date;
2. a deliberately naive second reading — the events of `show --json` folded up to the day, a
   calendar that walks day by day over the `holidays` package, no as-of index, none of the
   ledger's report code — gives the same sheets, overdue lists and figures;
3. the deadlines the timeline records, and the on-time deadlines (an extension recorded
   after the on-time deadline does not move it), are the ones the day-walking calendar counts.

CI runs a fixed set. For a longer run:
    LEDGER_ORACLE_EXAMPLES=300 python -m pytest tests/test_oracle.py
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from functools import cache

import holidays
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ledger.cli import app

EXAMPLES = int(os.environ.get("LEDGER_ORACLE_EXAMPLES", "12"))
DEPARTMENTS = ["市场准入", "投资项目", "社会事务", "税务"]
LIMITS = {"simple": 0, "standard": 3, "complex": 5, "cannot": 0}
ACTIVE = ("received", "classified", "dispatched")
MINUTE = "%Y-%m-%d %H:%M"


# -- the naive calendar: walk the days ---------------------------------------------------


@cache
def _package():
    china = holidays.China(years=range(2025, 2029), categories=(holidays.PUBLIC,))
    return set(china), set(china.weekend_workdays)


class Walk:
    def __init__(self, overrides: dict[dt.date, bool]) -> None:
        self.overrides = overrides

    def working(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        off, makeup = _package()
        return day in makeup or (day.weekday() < 5 and day not in off)

    def add(self, start: dt.date, days: int) -> dt.date:
        day = start
        if days == 0:
            while not self.working(day):
                day += dt.timedelta(days=1)
            return day
        while days:
            day += dt.timedelta(days=1)
            days -= self.working(day)
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after start up to and including end."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.working(day)
        return count


# -- random histories -------------------------------------------------------------------

MOVES = [
    "add",
    "add",
    "classify",
    "dispatch",
    "dispatch",
    "return",
    "extend",
    "urge",
    "resolve",
    "resolve",
    "feedback",
    "reopen",
    "void",
    "note",
    "edit",
    "undo",
    "undo",
    "ack",
    "pause",
    "resume",
    "notices",
]
ACK_DAYS, REPORT_AFTER_DAYS = 1, 5  # the settings' defaults


@st.composite
def histories(draw):
    start = dt.date(2026, 9, 17) + dt.timedelta(days=draw(st.integers(0, 18)))
    length = draw(st.integers(6, 14))
    days = []
    for offset in range(length):
        moves = draw(st.lists(st.tuples(st.sampled_from(MOVES), st.integers(0, 10**6)), max_size=4))
        days.append((start + dt.timedelta(days=offset), moves))
    langs = draw(st.lists(st.sampled_from(["zh", "en"]), min_size=1, max_size=8))
    # a closure or a make-up day entered after the last day, for a day within the history
    # (entered late: the reports of the days before its entry keep the calendar of then) or
    # after it
    closures = draw(
        st.lists(st.tuples(st.integers(-12, 30), st.booleans()), min_size=1, max_size=3)
    )
    return days, langs, closures


class Clerk:
    """Drives the ledger as the clerk does, and keeps a rough idea of each case's status."""

    def __init__(self, langs: list[str], db) -> None:
        self.db = db
        self.runner = CliRunner()
        self.langs = langs
        self.n = 0
        self.status: dict[str, str] = {}
        self.received: dict[str, str] = {}

    def __call__(self, *args: str):
        lang = self.langs[self.n % len(self.langs)]
        self.n += 1
        result = self.runner.invoke(app, ["--db", str(self.db), "--lang", lang, *map(str, args)])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert "Traceback" not in result.stdout + result.stderr
        return result

    def json(self, *args: str):
        import json

        result = self(*args, "--json")
        assert result.exit_code == 0, (args, result.stderr)
        return json.loads(result.stdout)

    def move(self, move: str, pick: int, at: str) -> None:
        cases = sorted(self.status)
        case = cases[pick % len(cases)] if cases else None
        dept = DEPARTMENTS[pick % len(DEPARTMENTS)]
        limit = list(LIMITS)[pick % 4]
        args: list[str]
        if move == "add" or case is None:
            args = ["add", "--applicant", f"申请人{pick % 7}", "--matter", f"事项{pick}"]
            args += ["--limit", limit]
            if pick % 3 == 0:
                args += ["--section", ["market", "social", "agri-water"][pick % 3 // 1 % 3]]
            if pick % 5 == 0:
                args += ["--dept", dept]
            if pick % 4 == 0:
                args += ["--problem", "not-approved", "--channel", "phone"]
        elif move == "classify":
            args = ["classify", case, "--section", ["market", "social"][pick % 2]]
            args += ["--limit", limit] if pick % 3 == 0 else ["--dept", dept]
        elif move == "dispatch":
            args = ["dispatch", case] + (["--dept", dept] if pick % 4 else [])
            if pick % 3 == 0:  # an assisting department beside the lead
                args += ["--assist", DEPARTMENTS[(pick + 1) % len(DEPARTMENTS)]]
        elif move == "return":
            args = ["return", case, "--reason", "退回"]
        elif move == "extend":
            args = ["extend", case, "--days", str(1 + pick % 4), "--reason", "延"]
            args += ["--late"] if pick % 2 else []
        elif move == "urge":
            args = ["urge", case]
        elif move == "resolve":
            args = ["resolve", case]
            args += (
                ["--cannot", "--reason", "不能"]
                if pick % 4 == 0
                else ["--method", "m", "--outcome", "o"]
            )
        elif move == "feedback":
            rating = ["satisfied", "basic", "unsatisfied"][pick % 3]
            args = ["feedback", case, "--via", "phone", "--satisfaction", rating]
        elif move == "reopen":
            args = ["reopen", case, "--reason", "不满意"]
        elif move == "void":
            # a void takes a case out of every report, whatever its date (SPEC §5): only a
            # case taken in by mistake the same day, so that no evening's report held it
            fresh = [i for i, day in self.received.items() if day == at[:10]]
            if not fresh:
                return
            args = ["void", fresh[pick % len(fresh)], "--reason", "误登记"]
        elif move == "note":
            args = ["note", case, "备注"]
        elif move == "ack":
            args = ["ack", case, "--by", "科长"]
        elif move == "pause":
            args = ["pause", case, "--reason", "等待补正材料"]
        elif move == "resume":
            args = ["resume", case]
        elif move == "notices":
            # the day's chase notices, recorded: one chase on each listed case
            result = self("notices", "--record", "--at", at, "--json")
            assert result.exit_code in (0, 1), result.stderr
            return
        elif move == "edit":
            args = ["edit", case, "--channel", ["window", "hotline"][pick % 2]]
        else:
            args = ["undo", case]
        result = self(*args, "--at", at, "--json")
        if result.exit_code == 0:
            import json

            shown = json.loads(result.stdout)
            self.status[shown["id"]] = shown["status"]
            self.received.setdefault(shown["id"], at[:10])
        else:
            assert result.exit_code == 1, (args, result.stderr)


def reports_of(clerk: Clerk, day: dt.date) -> dict:
    monday = day - dt.timedelta(days=day.weekday())
    return {
        "daily": clerk.json("daily", "--date", day),
        "overdue": clerk.json("overdue", "--date", day),
        "weekly": clerk.json("weekly", "--from", monday, "--to", day),
    }


# -- the naive second reading -----------------------------------------------------------


def fold(timeline: list[dict], moment: str) -> dict | None:
    """A case's fields as its events up to `moment` set them; None before its intake."""
    state: dict = {}
    for event in timeline:
        if event["at"] > moment:
            break
        for change in event["changes"]:
            state[change["field"]] = change["new"]
        state["status"] = event["status_to"]
        state["department"] = event["department"]
    return state or None


def undone_by(timeline: list[dict], moment: str) -> set[int]:
    return {e["undoes"] for e in timeline if e["action"] == "undone" and e["at"] <= moment}


def naive_daily(cases: dict[str, dict], walk: Walk, day: dt.date) -> dict:
    end = f"{day} 23:59"
    nxt = walk.add(day, 1)
    intake, orders, due_soon, overdue, answers = [], defaultdict(list), [], [], []
    unacknowledged, waiting, to_report = [], [], []
    for case_id, case in cases.items():
        if case["status"] == "void":
            continue
        now = fold(case["timeline"], end)
        if now is None:
            continue
        if now["received_at"][:10] == str(day):
            intake.append(case_id)
        status = now["status"]
        paused = now.get("paused_since") if status in ACTIVE else None
        if paused:
            since = dt.date.fromisoformat(paused[:10])
            waiting.append((case_id, walk.between(since, day) if since < day else 0))
        # an order handed out on the day keeps its slip, paused later or not; one waiting
        # for its department while paused is not handed out
        # (and one resolved the same day: the evening's reprint is the morning's)
        # (one sent back, then resolved at the window, is no department's order)
        if (status == "classified" and not paused) or (
            status in ("dispatched", "resolved")
            and now["department"] is not None
            and (now.get("dispatched_at") or "")[:10] == str(day)
        ):
            for department in (now["department"], *(now.get("assist") or [])):
                orders[department].append(case_id)
        # the department acknowledges its order whatever the clock (SPEC §4: as weekly counts)
        if status == "dispatched" and not now.get("acknowledged_at"):
            target = walk.add(dt.date.fromisoformat(now["dispatched_at"][:10]), ACK_DAYS)
            past = walk.between(target, day) if target < day else 0
            if past:
                unacknowledged.append((case_id, past))
        if paused:
            continue  # a stopped clock: neither due soon nor late
        if status in ACTIVE:
            deadline = dt.date.fromisoformat(now["deadline"])
            late = walk.between(deadline, day) if deadline < day else 0
            if late:
                overdue.append((case_id, late, now.get("chase_count") or 0))
                if reportable(case["timeline"], now, late, walk, day):
                    to_report.append(case_id)
            elif deadline <= nxt:
                due_soon.append(case_id)
        if status == "resolved":
            due = dt.date.fromisoformat(now["feedback_due"])
            answers.append((case_id, walk.between(due, day) if due < day else 0))
    return {
        "working_day": walk.working(day),
        "next_working_day": str(nxt),
        "intake": sorted(intake),
        "to_dispatch": {d: sorted(ids) for d, ids in orders.items()},
        "due_soon": sorted(due_soon),
        "overdue": sorted(overdue),
        "feedback_due": sorted(answers),
        "unacknowledged": sorted(unacknowledged),
        "paused": sorted(waiting),
        "to_report": sorted(to_report),
    }


def reportable(timeline: list[dict], now: dict, late: int, walk: Walk, day: dt.date) -> bool:
    """Still late on the report_after_days-th working day after the first chase (SPEC §4)."""
    first = now.get("first_chase_at")
    if not (late and first):
        return False
    report_day = walk.add(dt.date.fromisoformat(first[:10]), REPORT_AFTER_DAYS)
    if report_day > day:
        return False
    # late on the report day itself, as things stood at its end (a pause: not late), the
    # moves undone by `day` taken back
    gone = undone_by(timeline, f"{day} 23:59")
    then = fold([e for e in timeline if e["id"] not in gone], f"{report_day} 23:59")
    return not then.get("paused_since") and dt.date.fromisoformat(then["deadline"]) < report_day


def seen_daily(sheet: dict) -> dict:
    return {
        "working_day": sheet["working_day"],
        "next_working_day": sheet["next_working_day"],
        "intake": sorted(c["id"] for c in sheet["intake"]),
        "to_dispatch": {
            g["department"]: sorted(c["id"] for c in g["cases"]) for g in sheet["to_dispatch"]
        },
        "due_soon": sorted(c["id"] for c in sheet["due_soon"]),
        "overdue": sorted((c["id"], c["days_overdue"], c["chase_count"]) for c in sheet["overdue"]),
        "feedback_due": sorted((c["id"], c["days_late"]) for c in sheet["feedback_due"]),
        "unacknowledged": sorted((c["id"], c["days_past_target"]) for c in sheet["unacknowledged"]),
        "paused": sorted((c["id"], c["working_days_paused"]) for c in sheet["paused"]),
        "to_report": sorted(c["id"] for c in sheet["to_report"]),
    }


def naive_weekly(cases: dict[str, dict], walk: Walk, start: dt.date, end: dt.date) -> dict:
    low, high = f"{start} 00:00", f"{end} 23:59"
    received, resolved, answered, rated, pleased, reopened, late_ext = 0, {}, set(), 0, 0, set(), 0
    by: dict[str, Counter] = {k: Counter() for k in ("section", "department", "problem", "channel")}
    open_count = overdue = to_report = 0
    for case_id, case in cases.items():
        if case["status"] == "void":
            continue
        timeline = case["timeline"]
        gone = undone_by(timeline, high)
        at_end = fold(timeline, high)
        if at_end is None:
            continue
        if low <= at_end["received_at"] <= high:
            received += 1
            for section in at_end.get("sections") or ["none"]:
                by["section"][section] += 1
            by["department"][at_end["department"] or "none"] += 1
            by["problem"][at_end.get("problem") or "none"] += 1
            by["channel"][at_end.get("channel") or "none"] += 1
        for index, event in enumerate(timeline):
            if not (low <= event["at"] <= high) or event["id"] in gone:
                continue
            if event["action"] == "resolve":
                then = fold(timeline[: index + 1], event["at"])
                resolved[case_id] = (event["at"], then, index)
            elif event["action"] == "feedback":
                answered.add(case_id)
                rating = fold(timeline[: index + 1], event["at"]).get("satisfaction")
                rated += rating is not None
                pleased += rating in ("satisfied", "basic")
            elif event["action"] == "reopen":
                reopened.add(case_id)
            elif event["action"] == "extend" and event["late"]:
                late_ext += 1
        if at_end["status"] in ACTIVE:
            open_count += 1
            deadline = dt.date.fromisoformat(at_end["deadline"])
            late = (
                0 if at_end.get("paused_since") or deadline >= end else walk.between(deadline, end)
            )
            overdue += late > 0
            to_report += reportable(timeline, at_end, late, walk, end)
    on_time = first_time = closed_by_end = 0
    spans = []
    for case_id, (at, then, index) in resolved.items():
        on_time += at[:10] <= then["on_time_deadline"]
        timeline = cases[case_id]["timeline"]
        gone = undone_by(timeline, high)
        # done the first time: never reopened by the end, before this resolution either
        reopened_by_end = any(
            e["action"] == "reopen" and e["at"] <= high and e["id"] not in gone for e in timeline
        )
        first_time += not reopened_by_end
        # answered by the end: an answer to this resolution, even if reopened after it
        closed_by_end += any(
            e["action"] == "feedback" and e["at"] <= high and e["id"] not in gone
            for e in timeline[index + 1 :]
        )
        spans.append(
            walk.between(
                dt.date.fromisoformat(then["received_at"][:10]), dt.date.fromisoformat(at[:10])
            )
        )

    def rate(part, whole):
        return round(part / whole, 4) if whole else None

    return {
        "received": received,
        "resolved": len(resolved),
        "resolved_on_time": on_time,
        "closed": len(answered),
        "feedback_rate": rate(closed_by_end, len(resolved)),
        "satisfaction_rate": rate(pleased, rated),
        "open": open_count,
        "overdue": overdue,
        "avg_working_days_to_resolve": round(sum(spans) / len(spans), 2) if spans else None,
        "reopened": len(reopened),
        "first_time_rate": rate(first_time, len(resolved)),
        "late_extensions": late_ext,
        "to_report": to_report,
        "by_section": dict(by["section"]),
        "by_department": dict(by["department"]),
        "by_problem": dict(by["problem"]),
        "by_channel": dict(by["channel"]),
    }


def naive_orders(cases: dict[str, dict], walk: Walk, start: dt.date, end: dt.date) -> dict:
    """Per department, (orders dispatched in the period, acknowledged_in_time_rate): an order
    is a dispatch or a reopening sent back to a department; the period's dispatched are each
    case's last order in it, less those sent back (退单) by its end; an order is judged once,
    on the day it was signed for if by its target, else on its target day, unless another
    order followed or its department sent it back or resolved it unsigned by then (SPEC
    §4–§6)."""
    low, high = f"{start} 00:00", f"{end} 23:59"
    dispatched: Counter = Counter()
    acks: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in cases.values():
        if case["status"] == "void":
            continue
        gone = undone_by(case["timeline"], high)
        live = [e for e in case["timeline"] if e["at"] <= high and e["id"] not in gone]
        orders = [
            i
            for i, e in enumerate(live)
            if e["action"] == "dispatch" or (e["action"] == "reopen" and e["department"])
        ]
        for n, i in enumerate(orders):
            upto = orders[n + 1] if n + 1 < len(orders) else len(live)
            after = live[i + 1 : upto]
            acked = next((e["at"][:10] for e in after if e["action"] == "ack"), None)
            back = next((e["at"][:10] for e in after if e["action"] == "return"), None)
            done = next((e["at"][:10] for e in after if e["action"] == "resolve"), None)
            order = live[i]
            if n + 1 == len(orders) and low <= order["at"] and back is None:
                dispatched[order["department"]] += 1
            target = walk.add(dt.date.fromisoformat(order["at"][:10]), ACK_DAYS)
            in_time = acked is not None and dt.date.fromisoformat(acked) <= target
            if not in_time:
                followed = n + 1 < len(orders) and live[upto]["at"][:10]
                answered = [d for d in (back, done, followed) if d]
                if any(dt.date.fromisoformat(d) <= target for d in answered):
                    continue
            settled = dt.date.fromisoformat(acked) if in_time else target
            if start <= settled <= end:
                acks[order["department"]][0] += in_time
                acks[order["department"]][1] += 1
    found = {}
    for name in set(dispatched) | set(acks):
        in_time, counted = acks.get(name, (0, 0))
        found[name] = (dispatched[name], round(in_time / counted, 4) if counted else None)
    return found


def seen_orders(weekly: dict) -> dict:
    return {
        row["department"]: (row["dispatched"], row["acknowledged_in_time_rate"])
        for row in weekly["departments"]
        if (row["dispatched"], row["acknowledged_in_time_rate"]) != (0, None)
    }


def naive_deadlines(case: dict, before: Walk, after: Walk) -> list[tuple[str, str, str]]:
    """(event, recorded deadline, counted deadline) for every move whose deadline the
    day-walking calendar can count on its own — intake, reopening, extension, on the calendar
    of their day — and for the recalculation the calendar's change made, on the new one; and
    the same for the on-time deadline (SPEC §4: an extension recorded after the on-time
    deadline, late or not, does not move it), as `event:on_time`."""
    found = []
    start = days = paused = None
    extensions: list[tuple] = []
    deadline = on_time = None

    def moved_on_time(walk: Walk, due: dt.date) -> dt.date:
        for extra in extensions:
            if extra[0] == "extend":
                if not extra[2] and extra[3] <= due:
                    due = walk.add(due, extra[1])
            else:
                stood = walk.between(extra[1], extra[2]) if extra[1] < extra[2] else 0
                due = walk.add(due, stood) if stood else due
        return due

    for event in case["timeline"]:
        if event["action"] in ("undone", "classify"):
            return found  # from here the count depends on what was taken back or recounted
        changes = {c["field"]: c["new"] for c in event["changes"]}
        day = dt.date.fromisoformat(event["at"][:10])
        if event["action"] in ("received", "reopen"):
            start, days, extensions, paused = day, event["days"], [], None
            counted = counted_on_time = before.add(start, days)
        elif event["action"] == "extend":
            late = day > deadline
            extensions.append(("extend", event["days"], late, day))
            counted = before.add(deadline, event["days"])
            counted_on_time = on_time
            if not late and day <= on_time:
                counted_on_time = before.add(on_time, event["days"])
        elif event["action"] == "pause":
            paused = day
            continue
        elif event["action"] == "resume":
            extensions.append(("pause", paused, day))
            stood = before.between(paused, day) if paused < day else 0
            counted = before.add(deadline, stood) if stood else deadline
            counted_on_time = before.add(on_time, stood) if stood else on_time
        elif event["action"] == "recalculated" and "deadline" in changes:
            counted = after.add(start, days)
            for extra in extensions:
                if extra[0] == "extend":
                    counted = after.add(counted, extra[1])
                else:
                    stood = after.between(extra[1], extra[2]) if extra[1] < extra[2] else 0
                    counted = after.add(counted, stood) if stood else counted
            counted_on_time = moved_on_time(after, after.add(start, days))
        else:
            continue
        deadline = dt.date.fromisoformat(changes.get("deadline", str(deadline)))
        on_time = dt.date.fromisoformat(changes.get("on_time_deadline", str(on_time)))
        found.append((event["action"], str(deadline), str(counted)))
        found.append((f"{event['action']}:on_time", str(on_time), str(counted_on_time)))
    return found


# -- the test ---------------------------------------------------------------------------


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="LEDGER_ORACLE_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=histories())
def test_every_report_of_every_day_is_what_the_timeline_says(tmp_path, history):
    import tempfile

    days, langs, closures = history
    # each example starts where there is no ledger
    clerk = Clerk(langs, tempfile.mkdtemp(dir=tmp_path) + "/ledger.db")
    kept = {}
    for day, moves in days:
        for n, (move, pick) in enumerate(moves):
            clerk.move(move, pick, f"{day} {9 + n:02d}:{(pick % 6) * 10:02d}")
        if clerk.status:
            kept[day] = reports_of(clerk, day)
    if not kept:
        return
    # the calendar changes under the open cases after the last day (a local closure, a
    # make-up day, for a day of the history or after it): deadlines follow from now on, the
    # reports of earlier days do not change — they count on the calendar in force on their
    # day, which had none of these (SPEC §3, §6)
    last = days[-1][0]
    overrides = {}
    for offset, working in closures:
        when = last + dt.timedelta(days=offset)
        command = "workday" if working else "holiday"
        assert clerk(*("calendar", command, when)).exit_code == 0
        overrides[when] = working
    assert clerk("check").exit_code == 0, clerk("check").stderr

    ids = [c["id"] for c in clerk.json("list")]
    cases = {i: clerk.json("show", i, "--full-contact") for i in ids}
    for case in cases.values():
        for move, recorded, counted in naive_deadlines(case, Walk({}), Walk(overrides)):
            assert recorded == counted, (case["id"], move)
    walk = Walk({})  # the calendar of every kept day: the overrides came after them all
    for day, then in kept.items():
        again = reports_of(clerk, day)
        assert again == then, day  # 1. unchanged by later work
        assert seen_daily(again["daily"]) == naive_daily(cases, walk, day), day  # 2.
        overdue = [(c["id"], c["days_overdue"]) for c in again["overdue"]["cases"]]
        assert sorted(overdue) == sorted(
            (i, n) for i, n, _ in naive_daily(cases, walk, day)["overdue"]
        )
        monday = day - dt.timedelta(days=day.weekday())
        figures = {k: again["weekly"][k] for k in naive_weekly(cases, walk, monday, day)}
        assert figures == naive_weekly(cases, walk, monday, day), day
        orders = naive_orders(cases, walk, monday, day)
        assert seen_orders(again["weekly"]) == {
            name: seen for name, seen in orders.items() if seen != (0, None)
        }, day
