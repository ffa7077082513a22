"""The clerk's moves on a case (SPEC §5): check, compute, record — no SQL and no Rich here.

Each move asks the state machine first, keeps the timeline in time order, and writes the case,
its event and (when what is in force changes) its state in the as-of index, inside the caller's
write transaction.
"""

from __future__ import annotations

import datetime as dt
import difflib

from ledger import dates, lifecycle, timelimits
from ledger.calendar import WorkCalendar
from ledger.errors import BadInput, MoveRefused, NotFound
from ledger.i18n import label, t
from ledger.privacy import is_masked
from ledger.store import Ledger
from ledger.text import clean, whole_number
from ledger.words import parse_code

# What an as-of report needs to know: recorded in the event, indexed in `states`
STATE_FIELDS = (
    "status",
    "department_id",
    "deadline",
    "chase_count",
    "feedback_due",
    "resolution",
    "satisfaction",
)

# edit: the fields a clerk may correct by hand, with how each is read
EDITABLE = {
    "applicant": "text",
    "contact": "optional",
    "matter": "text",
    "cause": "optional",
    "method": "optional",
    "outcome": "optional",
    "ref": "optional",
    "problem": "problem",
    "channel": "channel",
    "scope": "scope",
    "sections": "section",
}
# fields that exist but are kept by the ledger, or changed by their own command
NOT_EDITABLE = {"id", "status", "timeline", "year", "seq", "events"}
BY_COMMAND = {
    "department": "ledger classify/dispatch --dept",
    "limit": "ledger classify --limit",
    "deadline": "ledger extend",
    "received_at": "ledger void + ledger add",
    "resolution": "ledger resolve / reopen",
    "resolved_at": "ledger resolve",
    "feedback_at": "ledger feedback",
    "feedback_via": "ledger feedback",
    "satisfaction": "ledger feedback",
    "chase_count": "ledger urge",
    "dispatched_at": "ledger dispatch",
    "feedback_due": "ledger resolve",
    "extensions": "ledger extend",
}
# fields kept as prose, where a newline is part of the text (SPEC §5)
PROSE = ("cause", "method", "outcome")
ANONYMOUS = {"匿名", "某先生", "某女士", "无名氏", "anonymous"}


class Desk:
    """The clerk's desk: one open ledger, its calendar and its time limits."""

    def __init__(self, ledger: Ledger, cal: WorkCalendar | None = None) -> None:
        self.ledger = ledger
        self.cal = cal or ledger.calendar()
        self.limits = ledger.limits()

    # -- reading values -------------------------------------------------------------------

    def get(self, case_id: str) -> dict:
        case = self.ledger.case(case_id.strip())
        if case is None:
            raise NotFound("err.not_found", id=case_id)
        return case

    def department(self, name: str) -> dict:
        """The department of that exact name, or a refusal naming the closest ones."""
        wanted = (name or "").strip()
        found = self.ledger.department_named(wanted)
        if found is not None:
            return found
        names = [d["name"] for d in self.ledger.departments()]
        close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.3)
        close += [n for n in names if wanted and (wanted in n or n in wanted) and n not in close]
        suggest = (
            t("err.suggest", names=t("list_sep").join(close[:3]))
            if close
            else t("err.suggest_none", names=t("list_sep").join(names))
        )
        raise NotFound("err.unknown_department", name=wanted, suggest=suggest)

    def moment(self, at: str | None, case: dict | None = None, unfreeze: bool = False) -> str:
        """`--at` (default now) as a stored minute, kept in the timeline's order.

        `unfreeze`: a move that must never be blocked by a wrong clock (SPEC §9: void, note,
        undo). When the case's latest event is later than now — the PC's clock was ahead on
        some morning — and no time is given, it is recorded at that event's time."""
        now = dates.now()
        moment = dates.parse_datetime(at) if at else now
        stamp = dates.minute(moment)
        if moment > now:
            raise MoveRefused("err.at_future", at=stamp, now=dates.minute(now))
        if case is not None:
            latest = self.ledger.latest_event_at(case["id"])
            if latest is not None and stamp < latest:
                if unfreeze and at is None:
                    return latest
                raise MoveRefused("err.at_before", at=stamp, id=case["id"], latest=latest)
        return stamp

    # -- recording ------------------------------------------------------------------------

    def _record(self, case: dict, action: str, at: str, changes: dict, **event) -> dict:
        before = {k: case.get(k) for k in STATE_FIELDS}
        status_from = case["status"]
        case.update(changes)
        self.ledger.update_case(case["id"], changes)
        self.ledger.append_event(
            {
                "case_id": case["id"],
                "at": at,
                "action": action,
                "status_from": status_from,
                "status_to": case["status"],
                "department_id": case.get("department_id"),
                "deadline": case.get("deadline"),
                "chase_count": case.get("chase_count") or 0,
                "feedback_due": case.get("feedback_due"),
                **event,
            }
        )
        after = {k: case.get(k) for k in STATE_FIELDS}
        if after != before or action == "received":
            self.ledger.push_state(case["id"], at, action, after)
        return case

    def _deadline_from(self, start: dt.date, limit: str) -> str:
        return timelimits.deadline(start, limit, self.limits, self.cal).isoformat()

    # -- the moves ------------------------------------------------------------------------

    def add(
        self,
        applicant: str,
        matter: str,
        *,
        contact: str | None = None,
        cause: str | None = None,
        problem: str | None = None,
        channel: str | None = None,
        limit: str | None = None,
        sections: list[str] | None = None,
        scope: str | None = None,
        dept: str | None = None,
        at: str | None = None,
    ) -> dict:
        applicant = clean(applicant, "field.applicant")
        matter = clean(matter, "field.matter")
        contact = clean(contact, "field.contact", required=False)
        cause = clean(cause, "field.cause", multiline=True, required=False)
        if is_masked(contact):
            raise BadInput("err.contact_masked", value=contact)
        received = self.moment(at)
        limit_code = parse_code("limit", limit) if limit else "standard"
        year = int(received[:4])
        case_id, seq = self.ledger.next_case_id(year)
        case = {
            "id": case_id,
            "year": year,
            "seq": seq,
            "received_at": received,
            "channel": parse_code("channel", channel) if channel else None,
            "applicant": applicant,
            "contact": contact,
            "matter": matter,
            "problem": parse_code("problem", problem) if problem else None,
            "cause": cause,
            "sections": [],
            "scope": None,
            "department_id": None,
            "limit": limit_code,
            "deadline": self._deadline_from(dt.date.fromisoformat(received[:10]), limit_code),
            "chase_count": 0,
            "status": "received",
        }
        self.ledger.insert_case(case)
        self._record(case, "received", received, {}, status_from=None)
        if sections or scope or dept:
            self.classify(case_id, sections=sections, scope=scope, dept=dept, at=received)
        return self.get(case_id)

    def classify(
        self,
        case_id: str,
        *,
        sections: list[str] | None = None,
        scope: str | None = None,
        dept: str | None = None,
        limit: str | None = None,
        at: str | None = None,
    ) -> dict:
        case = self.get(case_id)
        lifecycle.check(case["id"], case["status"], "classify")
        if not (sections or scope or dept or limit):
            raise BadInput("err.classify_nothing")
        at = self.moment(at, case)
        changes = self._classification(case, sections, scope, dept, limit)
        if not changes and case["status"] == "classified":
            raise BadInput("err.classify_nothing")
        note = _describe(case, changes)
        changes["status"] = "classified"
        return self._record(case, "classify", at, changes, note=note)

    def _classification(self, case, sections, scope, dept, limit) -> dict:
        changes: dict = {}
        if sections:
            codes = list(dict.fromkeys(parse_code("section", s) for s in sections))
            if codes != case["sections"]:
                changes["sections"] = codes
        if scope:
            code = parse_code("scope", scope)
            if code != case["scope"]:
                changes["scope"] = code
        if dept:
            found = self.department(dept)
            if found["id"] != case["department_id"]:
                changes["department_id"] = found["id"]
                changes["department"] = found["name"]
        if limit:
            code = parse_code("limit", limit)
            if code != case["limit"]:
                changes["limit"] = code
                # counted from the receipt, or from the reopening if the case was reopened
                start = self.ledger.last_event_at(case["id"], "reopen") or case["received_at"]
                changes["deadline"] = self._deadline_from(dt.date.fromisoformat(start[:10]), code)
        return changes

    def dispatch(self, case_id: str, *, dept: str | None = None, at: str | None = None) -> dict:
        case = self.get(case_id)
        lifecycle.check(case["id"], case["status"], "dispatch")
        at = self.moment(at, case)
        if dept:
            found = self.department(dept)
            if case["status"] == "received" or found["id"] != case["department_id"]:
                self._record(
                    case,
                    "classify",
                    at,
                    {
                        "department_id": found["id"],
                        "department": found["name"],
                        "status": "classified",
                    },
                    note=f"{t('field.department')}: {found['name']}",
                )
        if case["department_id"] is None:
            raise BadInput("err.no_department", id=case["id"])
        return self._record(
            case,
            "dispatch",
            at,
            {"status": "dispatched", "dispatched_at": at},
            note=case["department"],
        )

    def return_order(self, case_id: str, reason: str, at: str | None = None) -> dict:
        case = self.get(case_id)
        lifecycle.check(case["id"], case["status"], "return")
        reason = clean(reason, "prompt.reason", multiline=True)
        at = self.moment(at, case)
        return self._record(case, "return", at, {"status": "classified"}, note=reason)

    def extend(self, case_id: str, days: int, reason: str, at: str | None = None) -> dict:
        case = self.get(case_id)
        lifecycle.check(case["id"], case["status"], "extend")
        days = whole_number(days, 1, 365, "prompt.days")
        reason = clean(reason, "prompt.reason", multiline=True)
        at = self.moment(at, case)
        old = case["deadline"]
        new = self.cal.add_working_days(dt.date.fromisoformat(old), days).isoformat()
        extensions = [
            *case["extensions"],
            {"at": at, "days": days, "from": old, "to": new, "reason": reason},
        ]
        return self._record(
            case,
            "extend",
            at,
            {"deadline": new, "extensions": extensions},
            note=reason,
            field="deadline",
            old_value=old,
            new_value=new,
            days=days,
        )

    def urge(self, case_id: str, note: str | None = None, at: str | None = None) -> dict:
        case = self.get(case_id)
        lifecycle.check(case["id"], case["status"], "urge")
        at = self.moment(at, case)
        return self._record(
            case,
            "urge",
            at,
            {"chase_count": case["chase_count"] + 1},
            note=clean(note, "event.note", multiline=True, required=False),
        )

    def resolve(
        self,
        case_id: str,
        *,
        method: str | None = None,
        outcome: str | None = None,
        cannot: bool = False,
        reason: str | None = None,
        at: str | None = None,
    ) -> dict:
        case = self.get(case_id)
        lifecycle.check(case["id"], case["status"], "resolve")
        method = clean(method, "field.method", multiline=True, required=False)
        outcome = clean(outcome, "field.outcome", multiline=True, required=False)
        reason = clean(reason, "prompt.reason", multiline=True, required=False)
        if cannot:
            if method or outcome:
                raise BadInput("err.cannot_with_method")
            if not reason:
                raise BadInput("err.cannot_needs_reason")
            resolution, method, outcome = "cannot", None, reason
        else:
            if not (method and outcome):
                raise BadInput("err.resolve_needs")
            resolution = "done"
        at = self.moment(at, case)
        due = timelimits.feedback_due(dt.date.fromisoformat(at[:10]), resolution, self.cal)
        changes = {
            "status": "resolved",
            "resolved_at": at,
            "resolution": resolution,
            "method": method,
            "outcome": outcome,
            "feedback_due": due.isoformat(),
        }
        note = outcome if method is None else f"{method} / {outcome}"
        return self._record(case, "resolve", at, changes, note=note, new_value=resolution)

    def feedback(
        self,
        case_id: str,
        via: str,
        satisfaction: str | None = None,
        note: str | None = None,
        at: str | None = None,
    ) -> dict:
        case = self.get(case_id)
        lifecycle.check(case["id"], case["status"], "feedback")
        note = clean(note, "event.note", multiline=True, required=False)
        via_code = parse_code("via", via)
        rating = parse_code("satisfaction", satisfaction) if satisfaction else None
        at = self.moment(at, case)
        changes = {
            "status": "closed",
            "feedback_at": at,
            "feedback_via": via_code,
            "satisfaction": rating,
        }
        summary = " / ".join(
            x for x in (label("via", via_code), label("satisfaction", rating), note) if x
        )
        return self._record(case, "feedback", at, changes, note=summary, new_value=rating)

    def reopen(self, case_id: str, reason: str, at: str | None = None) -> dict:
        case = self.get(case_id)
        lifecycle.check(case["id"], case["status"], "reopen")
        reason = clean(reason, "prompt.reason", multiline=True)
        at = self.moment(at, case)
        status = lifecycle.after(case["status"], "reopen", case["department_id"] is not None)
        changes = {
            "status": status,
            "deadline": self._deadline_from(dt.date.fromisoformat(at[:10]), case["limit"]),
            "resolved_at": None,
            "resolution": None,
            "feedback_due": None,
            "feedback_at": None,
            "feedback_via": None,
            "satisfaction": None,
        }
        if status == "dispatched":
            changes["dispatched_at"] = at
        return self._record(case, "reopen", at, changes, note=reason)

    def void(self, case_id: str, reason: str, at: str | None = None) -> dict:
        case = self.get(case_id)
        lifecycle.check(case["id"], case["status"], "void")
        reason = clean(reason, "prompt.reason", multiline=True)
        at = self.moment(at, case, unfreeze=True)
        return self._record(case, "void", at, {"status": "void"}, note=reason)

    def note(self, case_id: str, text: str, at: str | None = None) -> dict:
        case = self.get(case_id)
        lifecycle.check(case["id"], case["status"], "note")
        text = clean(text, "event.note", multiline=True)
        at = self.moment(at, case, unfreeze=True)
        return self._record(case, "note", at, {}, note=text)

    def edit(self, case_id: str, fields: dict[str, object], at: str | None = None) -> dict:
        """Correct fields by hand; each change goes to the timeline with old and new value."""
        case = self.get(case_id)
        lifecycle.check(case["id"], case["status"], "edit")
        if not fields:
            raise BadInput("err.edit_nothing")
        changes = {}
        for name, value in fields.items():
            changes[name] = self._edited_value(case, name, value)
        at = self.moment(at, case)
        for name, value in changes.items():
            old = _shown(case[name])
            self._record(
                case, "edit", at, {name: value}, field=name, old_value=old, new_value=_shown(value)
            )
        return case

    def _edited_value(self, case: dict, name: str, value: object) -> object:
        if name in NOT_EDITABLE:
            raise BadInput("err.edit_forbidden", field=name)
        if name in BY_COMMAND:
            raise BadInput("err.edit_via_command", field=name, command=BY_COMMAND[name])
        kind = EDITABLE.get(name)
        if kind is None:
            raise BadInput("err.edit_unknown", field=name, choices=", ".join(EDITABLE))
        if kind == "text":
            new = clean(str(value), f"field.{name}")
        elif kind == "optional":
            new = clean(str(value), f"field.{name}", multiline=name in PROSE, required=False)
            if name == "contact" and is_masked(new):
                raise BadInput("err.contact_masked", value=new)
        elif kind == "section":
            items = value if isinstance(value, list) else [value]
            new = list(dict.fromkeys(parse_code("section", str(v)) for v in items))
        else:
            new = parse_code(kind, str(value))
        if new == case[name]:
            raise BadInput("err.edit_same", field=name)
        return new

    # -- reading --------------------------------------------------------------------------

    def repeats(self, case: dict) -> list[str]:
        """Earlier cases of the same applicant or phone: 重复反映, the signal of this window."""
        applicant = case["applicant"]
        if applicant.strip().casefold() in ANONYMOUS:
            applicant = ""
        found = self.ledger.same_applicant(case["id"], applicant, case["contact"])
        return [i for i in found if i != case["id"]]


def _shown(value: object) -> str | None:
    if isinstance(value, list):
        return ",".join(value)
    return None if value is None else str(value)


def _describe(case: dict, changes: dict) -> str | None:
    parts = []
    for key, value in changes.items():
        if key == "department_id":
            continue
        word = {"sections": "section", "scope": "scope", "limit": "limit"}.get(key)
        if word:
            values = value if isinstance(value, list) else [value]
            shown = t("list_sep").join(label(word, v) for v in values)
        else:
            shown = str(value)
        parts.append(f"{t('field.' + key)}: {shown}")
    return "; ".join(parts) or None


def add_department(
    ledger: Ledger, name: str, kind: str, floor: str | None, phone: str | None
) -> str:
    name = clean(name, "dept.col_name")
    if ledger.department_named(name) is not None:
        raise BadInput("err.department_exists", name=name)
    ledger.add_department(
        name,
        parse_code("kind", kind),
        clean(floor, "dept.col_floor", required=False),
        clean(phone, "dept.col_phone", required=False),
    )
    return name


def rename_department(ledger: Ledger, old: str, new: str) -> tuple[str, str]:
    found = Desk(ledger).department(old)
    new = clean(new, "dept.col_name")
    if ledger.department_named(new) is not None:
        raise BadInput("err.department_exists", name=new)
    ledger.rename_department(found["id"], new)
    return found["name"], new
