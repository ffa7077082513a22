"""The reports of SPEC §6 as plain data, each as of a date: the ledger as it stood at the end of it.

Read from the as-of index (`states`), so a case's status, department, deadline and chase count
are those in force on the day, and later work does not change an old sheet. Working-day
arithmetic goes through the calendar's index: one pass over the open cases, no day walks.
No Rich here; `render` draws what these functions decide.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

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

    # the work orders of the day: those waiting to go out, and those handed out on the day
    # (as things stood at its end: an order sent back the same day waits again, unassigned)
    groups: dict[str | None, dict] = {}
    for row in active:
        handed = row["status"] == "dispatched" and (row["dispatched_at"] or "")[:10] == str(day)
        if row["status"] != "classified" and not handed:
            continue
        group = groups.setdefault(
            row["department"],
            {
                "department": row["department"],
                "floor": row["floor"],
                "phone": row["phone"],
                "cases": [],
            },
        )
        group["cases"].append(_item(row, full_contact, dispatched_today=handed))
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
        "window": window(ledger),
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


def _average(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None


def window(ledger: Ledger) -> dict:
    """Which window a report is of (SPEC §13): its name and code as the settings hold them."""
    settings = ledger.settings()
    return {"name": settings["window_name"] or None, "code": settings["window_code"] or None}


def weekly(
    ledger: Ledger,
    cal: WorkCalendar,
    start: dt.date,
    end: dt.date,
    threshold: float = 0.9,
) -> dict:
    """The figures of SPEC §6 for a period, void cases left out, each counted as things
    stood at the end of the period: a move taken back by then counts nowhere, and the
    breakdowns read the sections, department, problem and channel in force then."""
    return weekly_with_counts(ledger, cal, start, end, threshold)[0]


def weekly_with_counts(
    ledger: Ledger,
    cal: WorkCalendar,
    start: dt.date,
    end: dt.date,
    threshold: float = 0.9,
) -> tuple[dict, dict]:
    """`weekly`, and the counts its rates and average divide, so that figures of several
    windows add up exactly (a rate of rates would not)."""
    low, high = f"{start.isoformat()} 00:00", end_of_day(end)
    basis = ledger.period_basis(high)
    resolutions = ledger.period_resolutions(low, high, basis)
    answers = ledger.period_answers(low, high, basis)
    resolved = resolutions["resolved"]
    days = [
        (cal.working_days_between(_day(received), _day(done)), count)
        for received, done, count in resolutions["spans"]
    ]
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
    reopened = ledger.period_moves("reopen", low, high, basis)
    departments = _department_figures(
        ledger.period_moves("dispatch", low, high, basis), resolutions, answers, open_rows
    )
    counts = {
        "resolved": resolved,
        "resolved_on_time": resolutions["on_time"],
        "answered_by_end": resolutions["answered_by_end"],
        "reopened_by_end": resolutions["reopened_by_end"],
        "rated": answers["rated"],
        "pleased": answers["pleased"],
        "working_days_to_resolve": sum(d * n for d, n in days),
    }
    figures = {
        "window": window(ledger),
        "from": start.isoformat(),
        "to": end.isoformat(),
        "received": ledger.received_count(low, high),
        "resolved": resolved,
        "resolved_on_time": resolutions["on_time"],
        "on_time_rate": _rate(resolutions["on_time"], resolved),
        "closed": answers["cases"],
        "feedback_rate": _rate(resolutions["answered_by_end"], resolved),
        "satisfaction_rate": _rate(answers["pleased"], answers["rated"]),
        "open": len(open_rows),
        "overdue": sum(1 for c in open_cases if c["days_overdue"]),
        "avg_working_days_to_resolve": _average(sum(d * n for d, n in days), resolved),
        "reopened": sum(reopened.values()),
        "first_time_rate": _rate(resolved - resolutions["reopened_by_end"], resolved),
        "late_extensions": ledger.late_extensions(low, high, basis),
        **{
            key: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
            for key, counts in ledger.received_breakdowns(low, high, basis).items()
        },
        "departments": departments,
        "below_threshold": [
            d["department"]
            for d in departments
            if d["on_time_rate"] is not None and d["on_time_rate"] < threshold
        ],
        "threshold": threshold,
        "cannot": resolutions["cannot"],
        "open_cases": open_cases,
    }
    return figures, counts


# The lines the city holds every window to: SPEC §6's defaults, one line for all windows,
# so that they are compared alike whatever each set for its own departments
CITY_THRESHOLDS = {"on_time_rate": 0.9, "satisfaction_rate": 0.85, "feedback_rate": 0.92}
_SUMMED = ("received", "closed", "open", "overdue", "reopened", "late_extensions")


def city(packs: Iterable[Ledger], start: dt.date, end: dt.date) -> dict:
    """The period figures of each window (SPEC §13), counted by `weekly` itself over each
    window's pack on the window's own calendar and settings, so that a window's row is its
    own `weekly`; the total adds the counts and divides the sums, never averages rates."""
    windows: list[dict] = []
    sums: dict[str, int] = defaultdict(int)
    breakdowns: dict[str, dict[str, int]] = {key: defaultdict(int) for key, _ in BREAKDOWNS}
    below = []
    for pack in packs:
        with pack.reading():
            threshold = float(pack.settings()["on_time_threshold"])
            figures, counts = weekly_with_counts(pack, pack.calendar(), start, end, threshold)
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
    resolved = sums["resolved"]
    total = {
        "windows": len(windows),
        "received": sums["received"],
        "resolved": resolved,
        "resolved_on_time": sums["resolved_on_time"],
        "on_time_rate": _rate(sums["resolved_on_time"], resolved),
        "closed": sums["closed"],
        "feedback_rate": _rate(sums["answered_by_end"], resolved),
        "satisfaction_rate": _rate(sums["pleased"], sums["rated"]),
        "open": sums["open"],
        "overdue": sums["overdue"],
        "avg_working_days_to_resolve": _average(sums["working_days_to_resolve"], resolved),
        "reopened": sums["reopened"],
        "first_time_rate": _rate(resolved - sums["reopened_by_end"], resolved),
        "late_extensions": sums["late_extensions"],
        **{
            key: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
            for key, counts in breakdowns.items()
        },
    }
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "windows": windows,
        "total": total,
        "below_threshold": below,
        "thresholds": dict(CITY_THRESHOLDS),
    }


def _department_figures(
    dispatched: dict, resolutions: dict, answers: dict, open_rows: list[dict]
) -> list[dict]:
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
    for name, count in dispatched.items():
        figures[name or "none"]["dispatched"] += count
    for name, (on_time, late) in resolutions["by_department"].items():
        figures[name]["resolved_on_time"] += on_time
        figures[name]["resolved_late"] += late
    for row in open_rows:
        if row["department"] is not None:
            figures[row["department"]]["open"] += 1
    for name, count in answers["unsatisfied"].items():
        figures[name]["unsatisfied"] += count
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
    "reopened",
    "first_time_rate",
    "late_extensions",
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
