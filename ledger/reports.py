"""The reports of SPEC §6 as plain data, each as of a date: the ledger as it stood at the end of it.

Read from the as-of index (`states`), so a case's status, department, deadline and chase count
are those in force on the day, and later work does not change an old sheet. Working-day
arithmetic goes through the calendar's index: one pass over the open cases, no day walks.
No Rich here; `render` draws what these functions decide.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache

from ledger import timelimits
from ledger.calendar import WorkCalendar
from ledger.dates import end_of_day
from ledger.errors import LedgerError, LedgerFileRefused
from ledger.privacy import mask, phones_masked, shown_text
from ledger.rows import FlatRows
from ledger.store import Ledger

ACTIVE = ("received", "classified", "dispatched")


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def _item(row: dict, text: dict, full_contact: bool, extra: dict) -> dict:
    """A case as a report lists it: codes and ISO dates, and its text as typed."""
    return {
        "id": row["id"],
        "status": row["status"],
        "department": row["department"],
        "assist": row["assist"],
        "deadline": row["deadline"],
        "received_at": row["received_at"],
        "applicant": shown_text(text["applicant"], full_contact),
        "contact": text["contact"] if full_contact else mask(text["contact"]),
        "matter": shown_text(text["matter"], full_contact),
        "cause": shown_text(text["cause"], full_contact),
        "chase_count": row["chase_count"],
        **extra,
    }


def _by_id(item: dict) -> tuple:
    year, _, seq = item["id"].partition("-")
    return int(year), int(seq)


def _practice(ledger: Ledger, moment: str) -> dict[str, int]:
    """The working days of the acknowledgement target and of the escalation ladder, as they
    were set at `moment` (a later change leaves a past sheet as it was, SPEC §6)."""
    settings = ledger.settings_as_of(moment)
    return {key: int(settings[key]) for key in ("ack_days", "report_after_days")}


def ack_target(dispatched_at: str, ack_days: int, cal: WorkCalendar) -> dt.date:
    """The day a work order is to be acknowledged by (SPEC §4), counted as deadlines are."""
    return cal.add_working_days(_day(dispatched_at), ack_days)


def report_from(first_chase_at: str, report_after_days: int, cal: WorkCalendar) -> dt.date:
    """The day from which a case still late after its first chase is to be reported (通报)."""
    return cal.add_working_days(_day(first_chase_at), report_after_days)


def _late(row: dict, day: dt.date, cal: WorkCalendar) -> int:
    """Working days overdue on `day`; a paused case is never late (SPEC §4)."""
    if row["paused_since"]:
        return 0
    return timelimits.days_late(_day(row["deadline"]), day, cal)


def _to_report(
    ledger: Ledger, cal: WorkCalendar, day: dt.date, after: int, late_rows: list[dict]
) -> dict[str, dt.date]:
    """Of the cases late on `day`, those to be reported on it, each with the day it became
    one (SPEC §4): the report day after its first chase has come, and the case was late on
    that day too, as things stood at its end — a reminder sent before the deadline, a late
    extension past the report day or a pause over it makes no case to report, unless undone
    by `day` (read with the deadline in force on `day`, a case paused on its report day and
    resumed after was said to be "reported from" a day whose sheet did not list it)."""
    candidates = []
    report_day = cache(lambda chased: report_from(chased, after, cal))
    for row in late_rows:
        if row["first_chase_at"]:
            since = report_day(row["first_chase_at"][:10])
            if since <= day:
                candidates.append((row["id"], since))
    stood = ledger.deadlines_as_of(
        [(case_id, end_of_day(since)) for case_id, since in candidates], end_of_day(day)
    )
    found = {}
    for case_id, since in candidates:
        deadline, paused_since = stood.get(case_id, (None, None))
        if deadline and not paused_since and timelimits.days_late(_day(deadline), since, cal):
            found[case_id] = since
    return found


def daily(
    ledger: Ledger,
    cal: WorkCalendar,
    day: dt.date,
    full_contact: bool = False,
    rows: int | None = None,
) -> dict:
    """The morning dispatch sheet of SPEC §6, in its order.

    `rows` is the most cases each list gives in full, for a sheet that shows only so many (the
    terminal's); the counts stay whole and `hidden` says how many each list left out, and the
    text of a case left out is never read. None: every case (JSON, the printed slips)."""
    moment = end_of_day(day)
    start = f"{day.isoformat()} 00:00"
    today = day.isoformat()
    practice = _practice(ledger, moment)
    # a sheet that gives every case reads their text with their codes; the terminal's, which
    # gives a few of each list, reads the text of those once they are known
    every = rows is None
    in_force = ledger.states_as_of(moment, (*ACTIVE, "resolved"), text=every)
    active = [r for r in in_force if r["status"] in ACTIVE]
    running = [r for r in active if not r["paused_since"]]
    # thousands of cases share a few hundred dates: each is counted once
    late_after = cache(lambda due: timelimits.days_late(_day(due), day, cal))
    ack_by = cache(lambda sent: ack_target(sent, practice["ack_days"], cal))
    past_by = cache(lambda target: cal.working_days_between(target, day))
    soon = cache(lambda due: timelimits.due_soon(_day(due), day, cal))

    received_today = set(ledger.received_between(start, moment))
    states_now = {r["id"]: r for r in in_force}
    missing = sorted(received_today - states_now.keys())
    for row in ledger.states_as_of_cases(moment, missing, text=every):
        states_now[row["id"]] = row
    intake = sorted(
        ((states_now[i], {}) for i in received_today if i in states_now),
        key=lambda entry: (entry[0]["received_at"], _row_order(entry[0])),
    )

    # the work orders of the day: those waiting to go out, and those handed out on the day
    # (as things stood at its end: an order sent back the same day waits again, unassigned);
    # a slip for the lead department and one for each assisting one (协办)
    places = ledger.department_places()
    groups: dict[str | None, dict] = {}
    handed_out: set[str] = set()
    # (an order handed out and resolved on the day was on the morning's slip: the evening's
    # reprint keeps it, and the day's count of orders)
    for row in in_force:
        # (one sent back and then resolved at the window keeps its day of dispatch, but
        # is no department's order: it was taken back, not handed out)
        handed = (
            row["status"] in ("dispatched", "resolved")
            and row["department"] is not None
            and (row["dispatched_at"] or "")[:10] == today
        )
        # an order handed out on the day keeps its slip if it is paused later that day (the
        # evening's reprint is the morning's); one paused while it waits is not handed out
        if not handed and (row["status"] != "classified" or row["paused_since"]):
            continue
        handed_out.add(row["id"])
        # an assisting department works with a lead: an order still waiting for its lead
        # is on the window's list alone, not on the slips of those named to assist
        helpers = row["assist"] if row["department"] else ()
        for name, role in ((row["department"], "lead"), *((n, "assist") for n in helpers)):
            floor, phone = places.get(name, (None, None))
            group = groups.setdefault(
                name, {"department": name, "floor": floor, "phone": phone, "cases": []}
            )
            group["cases"].append((row, {"dispatched_today": handed, "role": role}))
    to_dispatch = sorted(
        groups.values(), key=lambda g: (g["department"] is None, g["department"] or "")
    )
    for group in to_dispatch:
        group["cases"].sort(key=lambda entry: (entry[0]["deadline"], _row_order(entry[0])))

    due_soon, overdue = [], []
    for row in running:
        deadline = row["deadline"][:10]
        late = late_after(deadline)
        if late:
            overdue.append((row, {"days_overdue": late}))
        elif soon(deadline):
            due_soon.append((row, {"due_today": deadline <= today}))
    reported = _to_report(ledger, cal, day, practice["report_after_days"], [r for r, _ in overdue])
    to_report = [
        (
            row,
            {
                "days_overdue": extra["days_overdue"],
                "first_chase_at": row["first_chase_at"],
                "report_from": reported[row["id"]].isoformat(),
            },
        )
        for row, extra in overdue
        if row["id"] in reported
    ]
    due_soon.sort(key=lambda entry: (entry[0]["deadline"], _row_order(entry[0])))
    overdue.sort(key=_worst_first)
    to_report.sort(key=_worst_first)

    answers = []
    answered_late = 0
    for row in in_force:
        if row["status"] != "resolved":
            continue
        late = late_after(row["feedback_due"][:10])
        answered_late += late > 0
        extra = {
            "resolution": row["resolution"],
            "outcome": shown_text(row["outcome"], full_contact),
            "feedback_due": row["feedback_due"],
            "days_late": late,
            "late": late > 0,
        }
        answers.append((row, extra))
    # a `cannot` is explained the same working day: those first, then by due date
    answers.sort(
        key=lambda e: (e[1]["resolution"] != "cannot", e[1]["feedback_due"], _row_order(e[0]))
    )

    unacknowledged = []
    # a department acknowledges its order whatever the clock: a paused case's too (the
    # week's acknowledged_in_time_rate counts it)
    for row in active:
        if row["status"] != "dispatched" or row["acknowledged_at"] or not row["dispatched_at"]:
            continue
        target = ack_by(row["dispatched_at"][:10])
        past = past_by(target)
        if past >= 1:
            extra = {
                "dispatched_at": row["dispatched_at"],
                "ack_target": target.isoformat(),
                "days_past_target": past,
            }
            unacknowledged.append((row, extra))
    unacknowledged.sort(key=lambda e: (-e[1]["days_past_target"], _row_order(e[0])))

    waiting = sorted(
        (row for row in active if row["paused_since"]),
        key=lambda row: (row["paused_since"], _row_order(row)),
    )
    lists = {
        "intake": intake,
        "due_soon": due_soon,
        "overdue": overdue,
        "feedback_due": answers,
        "unacknowledged": unacknowledged,
        "to_report": to_report,
    }
    hidden = {key: _cut(entries, rows) for key, entries in lists.items()}
    hidden["to_dispatch"] = _cut_groups(to_dispatch, rows)
    hidden["paused"] = _cut(waiting, rows)
    # a reopened case goes back out as a redo (重办), its slip saying why
    slips = [entry for group in to_dispatch for entry in group["cases"]]
    redone = ledger.reopen_reasons(moment, [row["id"] for row, _ in slips])
    for row, extra in slips:
        extra["reopened"] = row["id"] in redone
        extra["reopen_reason"] = shown_text(redone.get(row["id"]), full_contact)
    reasons = ledger.pause_reasons([row["id"] for row in waiting], moment)
    paused = [
        (
            row,
            {
                "paused_since": row["paused_since"],
                "reason": shown_text(reasons.get(row["id"]), full_contact),
                "working_days_paused": timelimits.paused_days(_day(row["paused_since"]), day, cal),
            },
        )
        for row in waiting
    ]

    entries = [*(e for group in lists.values() for e in group), *slips, *paused]
    texts = states_now if every else ledger.case_texts(sorted({row["id"] for row, _ in entries}))
    made: dict[str, dict] = {}
    items = {key: _items(group, texts, full_contact, made) for key, group in lists.items()}
    for group in to_dispatch:
        group["cases"] = _items(group["cases"], texts, full_contact, made)

    next_day = cal.next_working_day(day)
    sheet = {
        "date": day.isoformat(),
        "window": ledger.window(),
        "working_day": cal.is_working(day),
        "next_working_day": next_day.isoformat(),
        "intake": items["intake"],
        "to_dispatch": [group for group in to_dispatch if group["cases"]],
        "due_soon": items["due_soon"],
        "overdue": items["overdue"],
        "feedback_due": items["feedback_due"],
        "unacknowledged": items["unacknowledged"],
        "paused": _items(paused, texts, full_contact, made),
        "to_report": items["to_report"],
        "counts": {
            "intake": len(intake) + hidden["intake"],
            "to_dispatch": len(handed_out),
            "due_soon": len(due_soon) + hidden["due_soon"],
            "overdue": len(overdue) + hidden["overdue"],
            "feedback_due": len(answers) + hidden["feedback_due"],
            "feedback_late": answered_late,
            "open": len(active),
            "unacknowledged": len(unacknowledged) + hidden["unacknowledged"],
            "paused": len(paused) + hidden["paused"],
            "to_report": len(to_report) + hidden["to_report"],
        },
    }
    if rows is not None:
        sheet["hidden"] = hidden
    return sheet


# a case's place among cases received alike: its year and sequence (in C, for 5,000 rows)
_row_order = operator.itemgetter("year", "seq")


def _worst_first(entry: tuple[dict, dict]) -> tuple:
    row, extra = entry
    return (-extra["days_overdue"], -row["chase_count"], row["deadline"], _row_order(row))


def _cut(entries: list, rows: int | None) -> int:
    """Keep the first `rows` entries; how many were left out."""
    if rows is None or len(entries) <= rows:
        return 0
    hidden = len(entries) - rows
    del entries[rows:]
    return hidden


def _cut_groups(groups: list[dict], rows: int | None) -> int:
    """The slips cut as one list, in their order: the first `rows` work orders in all."""
    hidden, room = 0, rows
    for group in groups:
        hidden += _cut(group["cases"], room)
        if room is not None:
            room -= len(group["cases"])
    return hidden


def _items(
    entries: list[tuple[dict, dict]], texts: dict, full_contact: bool, made: dict | None = None
) -> FlatRows:
    """The entries as items. `made` keeps each case's own part (its codes, dates and masked
    text) for the next call: a sheet lists thousands of cases in two or three of its lists."""
    made = {} if made is None else made
    items = FlatRows()
    for row, extra in entries:
        case = made.get(row["id"])
        if case is None:
            case = made[row["id"]] = _item(row, texts[row["id"]], full_contact, {})
        items.append({**case, **extra})
    return items


def overdue(
    ledger: Ledger,
    cal: WorkCalendar,
    day: dt.date,
    department: str | None = None,
    full_contact: bool = False,
) -> dict:
    """Late cases as of `day`, worst first (a paused case is not late)."""
    late_after = cache(lambda due: timelimits.days_late(_day(due), day, cal))
    entries = []
    # most open cases of a ledger are late ones: their text is read with their codes, unless
    # one department's few are asked for
    every = department is None
    for row in ledger.states_as_of(end_of_day(day), ACTIVE, text=every):
        if row["paused_since"] or (department is not None and row["department"] != department):
            continue
        late = late_after(row["deadline"][:10])
        if late:
            entries.append((row, {"days_overdue": late}))
    entries.sort(key=_worst_first)
    texts = (
        {row["id"]: row for row, _ in entries}
        if every
        else ledger.case_texts([row["id"] for row, _ in entries])
    )
    return {"date": day.isoformat(), "cases": _items(entries, texts, full_contact)}


def notices(ledger: Ledger, cal: WorkCalendar, day: dt.date, full_contact: bool = False) -> dict:
    """The chase notices (催办通知书) of `day` (SPEC §6): one per lead department, with its
    work orders overdue on the day, worst first; the ones to be reported are marked."""
    after = _practice(ledger, end_of_day(day))["report_after_days"]
    places = ledger.department_places()
    found: dict[str, dict] = {}
    late_rows = []
    for row in ledger.states_as_of(end_of_day(day), ("dispatched",), text=False):
        late = _late(row, day, cal)
        if late and row["department"] is not None:
            late_rows.append((row, late))
    reported = _to_report(ledger, cal, day, after, [row for row, _ in late_rows])
    for row, late in late_rows:
        floor, phone = places.get(row["department"], (None, None))
        notice = found.setdefault(
            row["department"],
            {"department": row["department"], "floor": floor, "phone": phone, "cases": []},
        )
        extra = {
            "days_overdue": late,
            "to_report": row["id"] in reported,
            "first_chase_at": row["first_chase_at"],
        }
        notice["cases"].append((row, extra))
    texts = ledger.case_texts([row["id"] for n in found.values() for row, _ in n["cases"]])
    for notice in found.values():
        notice["cases"].sort(key=_worst_first)
        notice["cases"] = _items(notice["cases"], texts, full_contact)
    return {
        "date": day.isoformat(),
        "window": ledger.window(),
        "notices": [found[name] for name in sorted(found)],
    }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


# the figure each threshold setting holds a department to (SPEC §6)
THRESHOLD_FIGURES = {
    "on_time_threshold": "on_time_rate",
    "satisfaction_threshold": "satisfaction_rate",
    "feedback_threshold": "answered_rate",
}


def _average(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None


def weekly(
    ledger: Ledger, cal: WorkCalendar, start: dt.date, end: dt.date, today: dt.date | None = None
) -> dict:
    """The figures of SPEC §6 for a period, void cases left out, each counted as things
    stood at the end of the period: a move taken back by then counts nowhere, and the
    breakdowns read the sections, department, problem and channel in force then. A period
    not over by `today` is counted as things stand at the end of `today` (`as_of`)."""
    return weekly_with_counts(ledger, cal, start, end, today)[0]


def counted_to(start: dt.date, end: dt.date, today: dt.date | None) -> dt.date:
    """The last day a period's figures are counted to: its end, or today while it runs. The
    days after today have not happened: a month's open and late cases read at its last day
    would be a guess (today's open cases, late by days still to come), not a count."""
    if today is None or end <= today:
        return end
    return max(today, start)


def weekly_with_counts(
    ledger: Ledger, cal: WorkCalendar, start: dt.date, end: dt.date, today: dt.date | None = None
) -> tuple[dict, dict]:
    """`weekly`, and the counts its rates and average divide, so that figures of several
    windows add up exactly (a rate of rates would not)."""
    as_of = counted_to(start, end, today)
    low, high = f"{start.isoformat()} 00:00", end_of_day(as_of)
    basis = ledger.period_basis(high)
    orders = _order_targets(ledger, cal, start, as_of)

    # (the work orders are the longest count: the breakdowns stay with this reader, so that
    # the two take about as long)
    def counted_beside(reader: Ledger) -> tuple[dict, list[tuple]]:
        return (
            reader.period_answers(low, high, basis),
            reader.period_acks(low, high, orders[1], basis),
        )

    period = (start, end, as_of)
    if not Ledger.long_period(low, high):
        return _weekly(ledger, cal, period, basis, orders, lambda: counted_beside(ledger))
    # a long period's counts take seconds of SQLite: those that need nothing of the others
    # are counted by a second reader of the file, on the machine's other core
    with ledger.beside(counted_beside) as beside:
        return _weekly(ledger, cal, period, basis, orders, beside)


def _order_targets(
    ledger: Ledger, cal: WorkCalendar, start: dt.date, end: dt.date
) -> tuple[str, dict[str, str]]:
    """From when work orders may be due in the period, and the day the orders of each day
    from then to its end are to be acknowledged by (SPEC §4). Far enough back that an order
    of an earlier day was due before the period: ack_days working days, a break and a
    clerk's closure of weeks (a quarter of a year, and twice the target's own days). Each
    order is held to the target set on the day it was handed out, so that a change of the
    setting moves no order's target after the fact (its week's figure stands)."""
    ack_days = int(ledger.settings_as_of(end_of_day(end))["ack_days"])
    first = start - dt.timedelta(days=ORDERS_LOOK_BACK + 2 * ack_days)
    since = f"{first.isoformat()} 00:00"
    # only the days from the first order to the last: a period with no orders asks nothing
    # of the calendar (no year's schedule computed, nor warned of, for an empty ledger)
    span = ledger.order_days(since, end_of_day(end))
    if span is None:
        return since, {}
    day, last = dt.date.fromisoformat(span[0]), dt.date.fromisoformat(span[1])
    changed = ledger.setting_change_days("ack_days")
    targets = {}
    if changed:
        ack_days = int(ledger.settings_as_of(end_of_day(day))["ack_days"])
    while day <= last:
        text = day.isoformat()
        if text in changed:
            ack_days = int(ledger.settings_as_of(end_of_day(day))["ack_days"])
        targets[text] = cal.add_working_days(day, ack_days).isoformat()
        day += ONE_DAY
    return since, targets


def _weekly(
    ledger: Ledger,
    cal: WorkCalendar,
    period: tuple[dt.date, dt.date, dt.date],
    basis: dict,
    orders: tuple[str, dict[str, str]],
    counted_beside: Callable[[], tuple[dict, list[tuple]]],
) -> tuple[dict, dict]:
    start, period_end, end = period  # `end`: the day counted to (`counted_to`)
    low, high = f"{start.isoformat()} 00:00", end_of_day(end)
    settings = ledger.settings_as_of(high)  # as set at the period's end, like its figures
    thresholds = {key: float(settings[key]) for key in THRESHOLD_FIGURES}
    after = int(settings["report_after_days"])
    resolutions = ledger.period_resolutions(low, high, basis)
    resolved = resolutions["resolved"]
    spans = resolutions["spans"]
    working_days = cal.working_days_total(spans["received"], spans["resolved"])
    open_rows = ledger.open_as_of(high)
    open_cases = []
    for row in open_rows:
        late = _late(row, end, cal)
        open_cases.append(
            {
                "id": row["id"],
                "status": row["status"],
                "department": row["department"],
                "deadline": row["deadline"],
                "days_overdue": late,
                "paused": row["paused_since"] is not None,
                "applicant": phones_masked(row["applicant"]),
                "matter": phones_masked(row["matter"]),
            }
        )
    open_cases.sort(key=lambda c: (-c["days_overdue"], c["deadline"], _by_id(c)))
    late_ids = {c["id"] for c in open_cases if c["days_overdue"]}
    to_report = len(
        _to_report(ledger, cal, end, after, [r for r in open_rows if r["id"] in late_ids])
    )
    reopened = ledger.period_moves("reopen", low, high, basis)
    breakdowns = ledger.received_breakdowns(low, high, basis)
    answers, dispatches = counted_beside()
    dispatched: dict[str | None, list[int]] = {}  # [dispatched, of them resolved by the end]
    for name, _day, _acked, done, sent_back, _answered, count in dispatches:
        if sent_back is not None:
            continue  # 退单: not that department's order (SPEC §5)
        counted = dispatched.setdefault(name, [0, 0])
        counted[0] += count
        counted[1] += count if done else 0
    since, targets = orders
    due_into = ledger.orders_due_into(since, low, high, targets, basis)
    superseded = ledger.superseded_orders(since, high, targets, basis)
    acks = _acknowledgements(dispatches, due_into, superseded, (start, end), targets)
    departments = _department_figures(dispatched, resolutions, answers, open_rows, acks)
    below = []
    for row in departments:
        short = {
            figure: row[figure]
            for key, figure in THRESHOLD_FIGURES.items()
            if row[figure] is not None and row[figure] < thresholds[key]
        }
        if short and row["department"] != "none":
            below.append({"department": row["department"], "figures": short})
    # (`breakdowns`: every case received in the period, once under its department or `none`)
    counts = {
        "resolved": resolved,
        "resolved_on_time": resolutions["on_time"],
        "answered_by_end": resolutions["answered_by_end"],
        "reopened_by_end": resolutions["reopened_by_end"],
        "rated": answers["rated"],
        "pleased": answers["pleased"],
        "working_days_to_resolve": working_days,
    }
    whole = {
        **counts,
        "received": sum(breakdowns["by_department"].values()),
        "closed": answers["cases"],
        "open": len(open_rows),
        "overdue": sum(1 for c in open_cases if c["days_overdue"]),
        "reopened": sum(reopened.values()),
        "late_extensions": ledger.late_extensions(low, high, basis),
        "to_report": to_report,
    }
    figures = {
        "from": start.isoformat(),
        "to": period_end.isoformat(),
        "as_of": end.isoformat(),
        "window": ledger.window(),
        **_period_figures(whole, breakdowns),
        "departments": departments,
        "below_threshold": below,
        "threshold": thresholds["on_time_threshold"],
        "thresholds": thresholds,
        # the week's refusals go to leadership: a number in a name or a reason is masked
        "cannot": [
            {**c, **{k: phones_masked(c[k]) for k in ("applicant", "matter", "reason") if k in c}}
            for c in resolutions["cannot"]
        ],
        "open_cases": open_cases,
    }
    return figures, counts


def _period_figures(n: dict, breakdowns: dict[str, dict[str, int]]) -> dict:
    """The figures of SPEC §6 from the counts they are made of (`n`): one window's, or the
    sums of several, whose rates are then those of the sums, never averages of rates."""
    resolved = n["resolved"]
    return {
        "received": n["received"],
        "resolved": resolved,
        "resolved_on_time": n["resolved_on_time"],
        "on_time_rate": _rate(n["resolved_on_time"], resolved),
        "closed": n["closed"],
        "feedback_rate": _rate(n["answered_by_end"], resolved),
        "satisfaction_rate": _rate(n["pleased"], n["rated"]),
        "open": n["open"],
        "overdue": n["overdue"],
        "avg_working_days_to_resolve": _average(n["working_days_to_resolve"], resolved),
        "reopened": n["reopened"],
        "first_time_rate": _rate(resolved - n["reopened_by_end"], resolved),
        "late_extensions": n["late_extensions"],
        "to_report": n["to_report"],
        **{
            key: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
            for key, counts in breakdowns.items()
        },
    }


# The lines the city holds every window to: SPEC §6's defaults, one line for all windows,
# so that they are compared alike whatever each set for its own departments
CITY_THRESHOLDS = {"on_time_rate": 0.9, "satisfaction_rate": 0.85, "feedback_rate": 0.92}
_SUMMED = ("received", "closed", "open", "overdue", "reopened", "late_extensions", "to_report")


def city(
    packs: Iterable[Ledger],
    start: dt.date,
    end: dt.date,
    unconfirmed: set[int] | None = None,
    today: dt.date | None = None,
) -> dict:
    """The period figures of each window (SPEC §13), counted by `weekly` itself over each
    window's pack on the window's own calendar and settings, so that a window's row is its
    own `weekly`; the total adds the counts and divides the sums, never averages rates.
    `unconfirmed` is given the years a window's figures counted on an unconfirmed schedule
    (SPEC §3: the command warns, as `weekly` does)."""
    windows: list[dict] = []
    sums: dict[str, int] = defaultdict(int)
    breakdowns: dict[str, dict[str, int]] = {key: defaultdict(int) for key, _ in BREAKDOWNS}
    below = []
    for pack in packs:
        try:
            with pack.reading():
                # a past setting the window's ledger would not have stored: named whatever
                # the period (a period after it would not count with it, and say nothing)
                pack.vouch_for_setting_history()
                known = _known_to(pack, today)
                cal = pack.calendar(as_of=end_of_day(counted_to(start, end, known)))
                if known is not None and known < start:
                    # packed before the period began: it holds nothing of it, as the window
                    # itself could not have counted it that day (`err.period_not_begun`)
                    raise LedgerFileRefused(
                        "err.pack_before_period",
                        path=pack.path,
                        code=_window_code(pack),
                        as_of=known.isoformat(),
                        start=start.isoformat(),
                    )
                figures, counts = weekly_with_counts(pack, cal, start, end, known)
            if unconfirmed is not None:
                unconfirmed.update(cal.unconfirmed_years())
        except (TypeError, ValueError, KeyError, IndexError) as error:
            # a pack passes its checks of schema and pages, yet a value in it is not what the
            # ledger writes (edited by hand, another program): of 150, the city learns which
            detail = f"{type(error).__name__}: {str(error)[:80]}"
            raise LedgerFileRefused("err.pack_damaged", path=pack.path, detail=detail) from None
        except LedgerError as error:
            # a setting the window's ledger would not have stored: the city cannot set it
            # again in a pack, so the pack is named (the window packs again once mended)
            if error.key != "err.stored_setting":
                raise
            detail = f"{error.fields.get('key')} = {error.fields.get('value')!r}"
            raise LedgerFileRefused("err.pack_damaged", path=pack.path, detail=detail) from None
        windows.append({"window": figures["window"], **figures})
        for key in _SUMMED:
            sums[key] += figures[key]
        for key, value in counts.items():
            sums[key] += value
        for key, _ in BREAKDOWNS:
            for code, count in figures[key].items():
                breakdowns[key][code] += count
        short = {
            key: figures[key]
            for key, line in CITY_THRESHOLDS.items()
            if figures[key] is not None and figures[key] < line
        }
        if short:
            below.append({"window": figures["window"], "short": short})
    total = {"windows": len(windows), **_period_figures(sums, breakdowns)}
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "as_of": counted_to(start, end, today).isoformat(),
        "windows": windows,
        "total": total,
        "below_threshold": below,
        "thresholds": dict(CITY_THRESHOLDS),
    }


def _window_code(pack: Ledger) -> str:
    info = getattr(pack, "info", None) or {}
    return str(info.get("window_code") or "")


def older_windows(report: dict) -> list[dict]:
    """The windows of a city report counted to an earlier day than the report (their pack
    was made before the period's end): the command names each, so that no row of figures
    known only to an earlier day passes for the whole period's."""
    return [w for w in report["windows"] if w["as_of"] < report["as_of"]]


def _known_to(pack: Ledger, today: dt.date | None) -> dt.date | None:
    """The last day a window's pack can tell of: the day it was packed, or today. A pack of
    10-20 added up for October says nothing of 10-21 on: its open cases counted late to 10-31
    would be late by days it knows nothing of."""
    info = getattr(pack, "info", None)
    if not info or not info.get("as_of"):
        return today
    packed = dt.date.fromisoformat(str(info["as_of"])[:10])
    return packed if today is None else min(today, packed)


ONE_DAY = dt.timedelta(days=1)
ORDERS_LOOK_BACK = 92  # days before a period whose orders may be due in it


def _acknowledgements(
    found: list[tuple],
    due_into: list[tuple],
    superseded: list[tuple],
    period: tuple[dt.date, dt.date],
    targets: dict[str, str],
) -> dict[str, list[int]]:
    """Per department, [acknowledged in time, counted] of the work orders whose
    acknowledgement was settled in the period: on the day it came, if by its target day,
    else on the target day (late). Each order is counted once, in one period — one handed
    out on a Friday and never acknowledged counts against its department in the week of
    its Monday target (it counted in no week) — and one still within its target at the
    period's end counts against no one yet; one unsigned by its target day was never due
    when by then another order followed it (a reopening), its department sent it back
    (退单: the return answered it) or resolved it (the resolution answered it; the sheet
    never listed it unsigned). One sent back or resolved after it was settled —
    acknowledged in time, or past its target unsigned — stays as it was settled, so that
    later work changes no period's figure and the weeks add up to their month. `found`:
    each case's last order of the period (department, dispatched, acknowledged, resolved
    at the end, sent back, resolved by the target, count); `due_into`: the last orders of
    the days before it of the cases with none in it (…, acknowledged, sent back, resolved
    by the target, count); `superseded`: the orders another followed (…, acknowledged, the
    next one's day, sent back, resolved by the target, count); `targets`: each day's
    target (`_order_targets`)."""
    start, end = period
    result: dict[str, list[int]] = {}
    orders = [(n, d, a, None, r, v, c) for n, d, a, _done, r, v, c in found]
    orders += [(n, d, a, None, r, v, c) for n, d, a, r, v, c in due_into]
    orders += superseded
    for name, dispatched, acknowledged, next_order, sent_back, resolved, count in orders:
        target = dt.date.fromisoformat(targets[dispatched])
        in_time = acknowledged is not None and _day(acknowledged) <= target
        if not in_time and next_order is not None and _day(next_order) <= target:
            continue  # handed out again before it was due: the next order is what is owed
        if not in_time and sent_back is not None and _day(sent_back) <= target:
            continue  # sent back in time, unsigned: the return is the department's answer
        if not in_time and resolved:
            continue  # resolved by its target, unsigned: the resolution is the answer
        settled = _day(acknowledged) if in_time else target
        if not start <= settled <= end:
            continue
        row = result.setdefault(name or "none", [0, 0])
        row[0] += count if in_time else 0
        row[1] += count
    return result


def _department_figures(
    dispatched: dict, resolutions: dict, answers: dict, open_rows: list[dict], acks: dict
) -> list[dict]:
    """Per lead department, as the bureau's and the city's notices read them (SPEC §6)."""
    figures: dict[str, dict] = defaultdict(
        lambda: {
            "dispatched": 0,
            "dispatched_resolved": 0,
            "resolved_on_time": 0,
            "resolved_late": 0,
            "answered": 0,
            "open": 0,
            "unsatisfied": 0,
            "rated": 0,
            "pleased": 0,
        }
    )
    for name, (count, resolved) in dispatched.items():
        figures[name or "none"]["dispatched"] += count
        figures[name or "none"]["dispatched_resolved"] += resolved
    for name, (on_time, late, answered) in resolutions["by_department"].items():
        figures[name]["resolved_on_time"] += on_time
        figures[name]["resolved_late"] += late
        figures[name]["answered"] += answered
    for row in open_rows:
        if row["department"] is not None:
            figures[row["department"]]["open"] += 1
    for name, (rated, pleased, unsatisfied) in answers["by_department"].items():
        figures[name]["rated"] += rated
        figures[name]["pleased"] += pleased
        figures[name]["unsatisfied"] += unsatisfied
    for name in acks:
        figures[name]  # noqa: B018 - a department with orders to acknowledge has a row
    result = []
    for name in sorted(figures):
        row = figures[name]
        done = row["resolved_on_time"] + row["resolved_late"]
        in_time, counted = acks.get(name, (0, 0))
        result.append(
            {
                "department": name,
                "dispatched": row["dispatched"],
                "resolved_on_time": row["resolved_on_time"],
                "resolved_late": row["resolved_late"],
                "open": row["open"],
                "on_time_rate": _rate(row["resolved_on_time"], done),
                # of the orders dispatched in the period, the share resolved by its end:
                # resolutions of earlier orders over this period's dispatches gave 200%
                "resolution_rate": _rate(row["dispatched_resolved"], row["dispatched"]),
                "answered_rate": _rate(row["answered"], done),
                "unsatisfied": row["unsatisfied"],
                "unsatisfied_rate": _rate(row["unsatisfied"], row["rated"]),
                "satisfaction_rate": _rate(row["pleased"], row["rated"]),
                "acknowledged_in_time_rate": _rate(in_time, counted),
            }
        )
    return result


FIGURE_KEYS = (
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
    "reopened",
    "first_time_rate",
    "late_extensions",
    "to_report",
)
BREAKDOWNS = (
    ("by_section", "section"),
    ("by_department", None),
    ("by_problem", "problem"),
    ("by_channel", "channel"),
)
DEPARTMENT_COLUMNS = (
    "department",
    "dispatched",
    "resolved_on_time",
    "resolved_late",
    "open",
    "on_time_rate",
    "resolution_rate",
    "answered_rate",
    "unsatisfied",
    "unsatisfied_rate",
    # the figure the satisfaction alarm line reads: shown where the department is named
    "satisfaction_rate",
    "acknowledged_in_time_rate",
)
