"""The reports of SPEC §6 as plain data, each as of a date: the ledger as it stood at the end of it.

Read from the as-of index (`states`), so a case's status, department, deadline and chase count
are those in force on the day, and later work does not change an old sheet. Working-day
arithmetic goes through the calendar's index: one pass over the open cases, no day walks.
No Rich here; `render` draws what these functions decide.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from ledger import timelimits
from ledger.calendar import WorkCalendar
from ledger.dates import end_of_day
from ledger.privacy import mask
from ledger.store import Ledger

ACTIVE = ("received", "classified", "dispatched")


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def _item(row: dict, full_contact: bool, **extra: object) -> dict:
    """A case as a report lists it: codes and ISO dates."""
    return {
        "id": row["id"],
        "status": row["status"],
        "department": row["department"],
        "deadline": row["deadline"],
        "received_at": row["received_at"],
        "applicant": row["applicant"],
        "contact": row["contact"] if full_contact else mask(row["contact"]),
        "matter": row["matter"],
        "cause": row["cause"],
        "chase_count": row["chase_count"],
        **extra,
    }


def _by_id(item: dict) -> tuple:
    year, _, seq = item["id"].partition("-")
    return int(year), int(seq)


def daily(ledger: Ledger, cal: WorkCalendar, day: dt.date, full_contact: bool = False) -> dict:
    """The morning dispatch sheet of SPEC §6, in its order."""
    moment = end_of_day(day)
    start = f"{day.isoformat()} 00:00"
    in_force = ledger.states_as_of(moment, (*ACTIVE, "resolved"))
    active = [r for r in in_force if r["status"] in ACTIVE]

    received_today = set(ledger.received_between(start, moment))
    states_now = {r["id"]: r for r in in_force}
    missing = sorted(received_today - states_now.keys())
    for row in ledger.states_as_of_cases(moment, missing):
        states_now[row["id"]] = row
    intake = sorted(
        (_item(states_now[i], full_contact) for i in received_today if i in states_now),
        key=lambda item: (item["received_at"], _by_id(item)),
    )

    # the work orders of the day: those waiting to go out, and those handed out today
    handed_today = {
        r["id"]: r for r in ledger.changes_between(("dispatch", "reopen"), start, moment)
    }
    orders = {r["id"]: r for r in active if r["status"] == "classified"}
    for case_id, row in handed_today.items():
        if row["status"] == "dispatched":
            orders.setdefault(case_id, states_now.get(case_id, row))
    groups: dict[str | None, dict] = {}
    for row in orders.values():
        group = groups.setdefault(
            row["department"],
            {
                "department": row["department"],
                "floor": row["floor"],
                "phone": row["phone"],
                "cases": [],
            },
        )
        group["cases"].append(_item(row, full_contact, dispatched_today=row["id"] in handed_today))
    to_dispatch = sorted(
        groups.values(), key=lambda g: (g["department"] is None, g["department"] or "")
    )
    for group in to_dispatch:
        group["cases"].sort(key=lambda item: (item["deadline"], _by_id(item)))

    due_soon, overdue = [], []
    for row in active:
        deadline = _day(row["deadline"])
        late = timelimits.days_late(deadline, day, cal)
        if late:
            overdue.append(_item(row, full_contact, days_overdue=late))
        elif timelimits.due_soon(deadline, day, cal):
            due_soon.append(_item(row, full_contact, due_today=deadline <= day))
    due_soon.sort(key=lambda item: (item["deadline"], _by_id(item)))
    overdue.sort(key=_worst_first)

    answers = []
    for row in in_force:
        if row["status"] != "resolved":
            continue
        late = timelimits.days_late(_day(row["feedback_due"]), day, cal)
        answers.append(
            _item(
                row,
                full_contact,
                resolution=row["resolution"],
                outcome=row["outcome"],
                feedback_due=row["feedback_due"],
                days_late=late,
                late=late > 0,
            )
        )
    # a `cannot` is explained the same working day: those first, then by due date
    answers.sort(key=lambda a: (a["resolution"] != "cannot", a["feedback_due"], _by_id(a)))

    next_day = cal.next_working_day(day)
    return {
        "date": day.isoformat(),
        "working_day": cal.is_working(day),
        "next_working_day": next_day.isoformat(),
        "intake": intake,
        "to_dispatch": to_dispatch,
        "due_soon": due_soon,
        "overdue": overdue,
        "feedback_due": answers,
        "counts": {
            "intake": len(intake),
            "to_dispatch": sum(len(g["cases"]) for g in to_dispatch),
            "due_soon": len(due_soon),
            "overdue": len(overdue),
            "feedback_due": len(answers),
            "feedback_late": sum(1 for a in answers if a["late"]),
            "open": len(active),
        },
    }


def _worst_first(item: dict) -> tuple:
    return (-item["days_overdue"], -item["chase_count"], item["deadline"], _by_id(item))


def overdue(
    ledger: Ledger,
    cal: WorkCalendar,
    day: dt.date,
    department: str | None = None,
    full_contact: bool = False,
) -> dict:
    """Late cases as of `day`, worst first."""
    cases = []
    for row in ledger.states_as_of(end_of_day(day), ACTIVE):
        if department is not None and row["department"] != department:
            continue
        late = timelimits.days_late(_day(row["deadline"]), day, cal)
        if late:
            cases.append(_item(row, full_contact, days_overdue=late))
    cases.sort(key=_worst_first)
    return {"date": day.isoformat(), "cases": cases}


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def weekly(
    ledger: Ledger,
    cal: WorkCalendar,
    start: dt.date,
    end: dt.date,
    threshold: float = 0.9,
) -> dict:
    """The figures of SPEC §6 for a period, void cases left out."""
    low, high = f"{start.isoformat()} 00:00", end_of_day(end)

    received_ids = ledger.received_between(low, high)
    at_end = {r["id"]: r for r in ledger.states_as_of_cases(high, received_ids)}

    # the last resolution of each case in the period, with the deadline in force then
    resolved: dict[str, dict] = {}
    for row in ledger.changes_between(("resolve",), low, high):
        if row["id"] not in resolved or row["valid_from"] > resolved[row["id"]]["valid_from"]:
            resolved[row["id"]] = row
    on_time = {i for i, r in resolved.items() if _day(r["valid_from"]) <= _day(r["deadline"])}
    states_at_end = {r["id"]: r for r in ledger.states_as_of_cases(high, sorted(resolved))}
    answered_by_end = sum(1 for i in resolved if states_at_end.get(i, {}).get("status") == "closed")
    days_to_resolve = [
        cal.working_days_between(_day(r["received_at"]), _day(r["valid_from"]))
        for r in resolved.values()
    ]

    answers = ledger.changes_between(("feedback",), low, high)
    rated = [a["satisfaction"] for a in answers if a["satisfaction"]]
    pleased = sum(1 for s in rated if s in ("satisfied", "basic"))

    open_rows = ledger.states_as_of(high, ACTIVE)
    open_cases = []
    for row in open_rows:
        late = timelimits.days_late(_day(row["deadline"]), end, cal)
        open_cases.append(
            {
                "id": row["id"],
                "status": row["status"],
                "department": row["department"],
                "deadline": row["deadline"],
                "days_overdue": late,
                "applicant": row["applicant"],
                "matter": row["matter"],
            }
        )
    open_cases.sort(key=lambda c: (-c["days_overdue"], c["deadline"], _by_id(c)))

    by_section: Counter = Counter()
    by_department: Counter = Counter()
    by_problem: Counter = Counter()
    by_channel: Counter = Counter()
    for case_id in received_ids:
        row = at_end[case_id]
        for section in row["sections"] or ["none"]:
            by_section[section] += 1
        by_department[row["department"] or "none"] += 1
        by_problem[row["problem"] or "none"] += 1
        by_channel[row["channel"] or "none"] += 1

    departments = _department_figures(ledger, low, high, resolved, on_time, answers, open_rows)
    cannot = [
        {
            "id": i,
            "department": r["department"],
            "applicant": r["applicant"],
            "matter": r["matter"],
            "reason": r["outcome"],
            "resolved_at": r["valid_from"],
        }
        for i, r in sorted(resolved.items(), key=lambda kv: _by_id({"id": kv[0]}))
        if r["resolution"] == "cannot"
    ]
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "received": len(received_ids),
        "resolved": len(resolved),
        "resolved_on_time": len(on_time),
        "on_time_rate": _rate(len(on_time), len(resolved)),
        "closed": len({a["id"] for a in answers}),
        "feedback_rate": _rate(answered_by_end, len(resolved)),
        "satisfaction_rate": _rate(pleased, len(rated)),
        "open": len(open_rows),
        "overdue": sum(1 for c in open_cases if c["days_overdue"]),
        "avg_working_days_to_resolve": (
            round(sum(days_to_resolve) / len(days_to_resolve), 2) if days_to_resolve else None
        ),
        "by_section": dict(by_section.most_common()),
        "by_department": dict(by_department.most_common()),
        "by_problem": dict(by_problem.most_common()),
        "by_channel": dict(by_channel.most_common()),
        "departments": departments,
        "below_threshold": [
            d["department"]
            for d in departments
            if d["on_time_rate"] is not None and d["on_time_rate"] < threshold
        ],
        "threshold": threshold,
        "cannot": cannot,
        "open_cases": open_cases,
    }


def _department_figures(ledger, low, high, resolved, on_time, answers, open_rows) -> list[dict]:
    """Per department, as the bureau's notices read them."""
    figures: dict[str, dict] = defaultdict(
        lambda: {
            "dispatched": 0,
            "resolved_on_time": 0,
            "resolved_late": 0,
            "open": 0,
            "unsatisfied": 0,
        }
    )
    dispatched = {r["id"]: r for r in ledger.changes_between(("dispatch",), low, high)}
    for row in dispatched.values():
        figures[row["department"] or "none"]["dispatched"] += 1
    for case_id, row in resolved.items():
        if row["department"] is None:
            continue  # settled at the window, no work order
        key = "resolved_on_time" if case_id in on_time else "resolved_late"
        figures[row["department"]][key] += 1
    for row in open_rows:
        if row["department"] is not None:
            figures[row["department"]]["open"] += 1
    for row in answers:
        if row["satisfaction"] == "unsatisfied" and row["department"] is not None:
            figures[row["department"]]["unsatisfied"] += 1
    result = []
    for name in sorted(figures):
        row = figures[name]
        done = row["resolved_on_time"] + row["resolved_late"]
        result.append(
            {"department": name, **row, "on_time_rate": _rate(row["resolved_on_time"], done)}
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
    "unsatisfied",
)
