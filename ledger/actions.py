"""The clerk's moves on a case (SPEC §5): read the clerk's values, ask the state machine, let
`history` say what the move records, and hand that to the store — no SQL and no Rich here.

Every move runs inside the caller's write transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
from collections.abc import Iterator
from typing import Any

from ledger import dates, history, lifecycle, timelimits
from ledger.calendar import WorkCalendar
from ledger.case import EDITABLE, PROSE, Case
from ledger.errors import BadInput, LedgerFileRefused, MoveRefused, NotFound
from ledger.i18n import EN, field_options, t
from ledger.privacy import new_contact
from ledger.store import Ledger
from ledger.text import clean, department_spelling, whole_number, without_marks
from ledger.words import LIST_SPLIT, mark_of_nothing, no_department_name, parse_code
from ledger.words import case_id as parse_id

# fields that exist but are kept by the ledger, or changed by their own command
NOT_EDITABLE = {
    "id",
    "status",
    "timeline",
    "year",
    "seq",
    "events",
    "on_time_deadline",
    "last_notice",
}
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
    "assist": "ledger classify/dispatch --assist",
    "acknowledged_at": "ledger ack",
    "paused_since": "ledger pause / resume",
    "first_chase_at": "ledger urge",
}
ANONYMOUS = {"匿名", "某先生", "某女士", "无名氏", "anonymous"}
ALL_TIMES = history.TIME_FIELDS


def _as_typed(name: str) -> str:
    """A field as the clerk typed it, with its name in the interface language where it has
    one: `--applicant（反映人）` (the inner spelling, `applicant`, is no word of theirs)."""
    if f"field.{name}" in EN:
        return field_options([name])
    return "--" + name.replace("_", "-")


def _given(value: str | None) -> bool:
    """Whether an optional value was given: empty, or spaces and unseen marks alone, is not
    (`--channel ""` and `--channel "  "` were one accepted and one refused)."""
    return bool(value) and bool(without_marks(value).strip())


class Desk:
    """The clerk's desk: one open ledger, its calendar and its time limits."""

    def __init__(self, ledger: Ledger, cal: WorkCalendar | None = None) -> None:
        self.ledger = ledger
        self.cal = cal or ledger.calendar()
        self._names: dict[int, str] | None = None

    @property
    def names(self) -> dict[int, str]:
        if self._names is None:
            self._names = self.ledger.department_names()
        return self._names

    def _limits_at(self, when: dt.datetime) -> dict[str, int]:
        """The time limits in force when a move happened (SPEC §6: a setting holds from when
        it was set; a deadline counted for a move recorded with `--at` uses those of then)."""
        return self.ledger.limits(dates.minute(when))

    # -- reading values -------------------------------------------------------------------

    def get(self, case_id: str) -> Case:
        found = self.ledger.case(parse_id(case_id))
        if found is None:
            raise NotFound("err.not_found", id=case_id)
        return found

    def department(self, name: str) -> dict:
        """The department of that exact name, or a refusal naming the closest ones."""
        # (a name stored as typed wins: an older ledger may hold `市场 准入` beside 市场准入)
        typed = without_marks(name or "").strip()
        wanted = department_spelling(typed)
        found = self.ledger.department_named(typed) or self.ledger.department_named(wanted)
        if found is not None:
            return found
        names = [d["name"] for d in self.ledger.departments()]
        close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.3)
        close += [n for n in names if wanted and (wanted in n or n in wanted) and n not in close]
        # (the departments named, ten at most: a window may keep dozens)
        shown = t("list_sep").join(names[:10])
        if len(names) > 10:
            shown += t("imp.and_others", count=len(names) - 10)
        suggest = (
            t("err.suggest", names=t("list_sep").join(close[:3]))
            if close
            else t("err.suggest_none", names=shown)
        )
        raise NotFound("err.unknown_department", name=wanted, suggest=suggest)

    def moment(self, at: str | None, case: Case | None = None, unfreeze: bool = False):
        """`--at` (default now), to the minute, kept in the timeline's order.

        `unfreeze`: a move that must never be blocked by a wrong clock (SPEC §9: void, note,
        undo). When the case's latest event is later than now — the PC's clock was ahead on
        some morning — and no time is given, it is recorded at that event's time."""
        now = dates.now()
        moment = dates.parse_at(at) if at is not None else now  # `--at ""` is refused
        stamp = dates.minute(moment)
        if moment > now:
            raise MoveRefused("err.at_future", at=stamp, now=dates.minute(now))
        if case is not None:
            latest = self.ledger.latest_event_at(case.id)
            if latest is not None and stamp < latest:
                if unfreeze and at is None:
                    return dates.read_minute(latest)
                raise MoveRefused("err.at_before", at=stamp, id=case.id, latest=latest)
        return dates.read_minute(stamp)

    def _allowed(self, case: Case, move: str, at: str | None) -> None:
        """The move must be one the case's status allows; when it is not, and the time given
        lies before the case's latest event, the time is what the clerk must correct (the
        status then was another: a chase notice of a past day names a case since resolved)."""
        try:
            lifecycle.check(case.id, case.status, move, case.paused_since)
        except MoveRefused:
            if at is not None:
                self.moment(at, case)
            # the moves named as allowed are those the case allows too: not an `ack` it
            # already has, nor an `undo` with nothing to take back
            left_out = {"ack"} if case.acknowledged_at is not None else set()
            last = history.undoable(self.ledger.history(case.id))
            if last is None or last.action in history.INTAKE:
                left_out.add("undo")
            lifecycle.check(case.id, case.status, move, case.paused_since, frozenset(left_out))
            raise

    # -- recording ------------------------------------------------------------------------

    def _move(
        self,
        case: Case,
        action: str,
        at: dt.datetime,
        values: dict[str, Any],
        *,
        times: tuple[str, ...] = (),
        **event: Any,
    ) -> Case:
        past = self.ledger.history(case.id)
        with self._reading(case.id, past):
            done = history.step(
                case, past, action, at, values, self.cal, self.names, times=times, **event
            )
        self.ledger.record(done)
        return done.case

    @contextlib.contextmanager
    def _reading(self, case_id: str, past: list[history.Event]) -> Iterator[None]:
        """A move made on a stored timeline that another program wrote in a way no clerk
        could (`check` names it) stops with that line; a fault on a timeline the ledger
        reads well is no such thing, and goes on to the error boundary as it is."""
        try:
            yield
        except history.UNREADABLE:
            if history.replayed(past, self.cal) is not None:
                raise
            raise LedgerFileRefused("err.timeline_unreadable", case=case_id) from None

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
    ) -> Case:
        values = {
            "applicant": clean(applicant, "field.applicant"),
            "matter": clean(matter, "field.matter"),
            "contact": new_contact(clean(contact, "field.contact", required=False)),
            "cause": clean(cause, "field.cause", multiline=True, required=False),
            "problem": parse_code("problem", problem) if _given(problem) else None,
            "channel": parse_code("channel", channel) if _given(channel) else None,
            "limit": parse_code("limit", limit) if limit else "standard",
            "status": "received",
        }
        received = self.moment(at)
        values["received_at"] = received
        case_id = self.ledger.next_case_id(received.year)
        case = self._move(
            history.blank(case_id),
            "received",
            received,
            values,
            times=ALL_TIMES,
            days=self._limits_at(received)[values["limit"]],
        )
        if sections or scope or dept:
            at_intake = dates.minute(received)
            case = self.classify(case.id, sections=sections, scope=scope, dept=dept, at=at_intake)
        return case

    def classify(
        self,
        case_id: str,
        *,
        sections: list[str] | None = None,
        scope: str | None = None,
        dept: str | None = None,
        limit: str | None = None,
        assist: list[str] | None = None,
        at: str | None = None,
    ) -> Case:
        case = self.get(case_id)
        self._allowed(case, "classify", at)
        # a value given empty (`--section ""`, a script's unset variable) sets nothing: with
        # nothing else given the move is refused, not recorded as a classification of nothing
        sections = [v for v in sections or () if _given(v)] or None
        assist = [v for v in assist or () if _given(v)] or None
        scope, dept, limit = (v if _given(v) else None for v in (scope, dept, limit))
        if not (sections or scope or dept or limit or assist):
            raise BadInput("err.classify_nothing")
        when = self.moment(at, case)
        values = self._classification(case, sections, scope, dept, limit)
        lead = values.get("department_id", case.department_id)
        if assist:
            helpers = self._assisting(assist, lead)
            if helpers != case.assist:
                values["assist"] = helpers
        elif "department_id" in values and self.names.get(lead) in case.assist:
            # the new lead was assisting: it leads now, and assists no more
            values["assist"] = [n for n in case.assist if n != self.names.get(lead)]
        if not values and case.status == "classified":
            # what was given is what the case has already: say so, not that nothing was given
            raise BadInput("err.classify_same", id=case.id)
        values["status"] = "classified"
        limit_days = self._limits_at(when)[values["limit"]] if "limit" in values else None
        times = ALL_TIMES if limit_days is not None else ()
        return self._move(case, "classify", when, values, times=times, days=limit_days)

    def _classification(self, case: Case, sections, scope, dept, limit) -> dict:
        values: dict[str, Any] = {}
        if sections:
            # --section 市场准入、社会事务 names two, as the import reads the column
            parts = [p.strip() for s in sections for p in LIST_SPLIT.split(s)]
            codes = list(dict.fromkeys(parse_code("section", p) for p in parts if p))
            if codes != case.sections:
                values["sections"] = codes
        if scope:
            code = parse_code("scope", scope)
            if code != case.scope:
                values["scope"] = code
        if dept:
            found = self.department(dept)
            if found["id"] != case.department_id:
                values["department_id"] = found["id"]
        if limit:
            code = parse_code("limit", limit)
            if code != case.limit:
                values["limit"] = code
        return values

    def _assisting(self, names: list[str], lead: int | None) -> list[str]:
        """The assisting departments (协办) as their exact names, each once; the lead is
        not one of them."""
        found = list(dict.fromkeys(self.department(name)["name"] for name in names))
        if lead is not None and self.names.get(lead) in found:
            raise BadInput("err.assist_is_lead", name=self.names[lead])
        return found

    def dispatch(
        self,
        case_id: str,
        *,
        dept: str | None = None,
        assist: list[str] | None = None,
        at: str | None = None,
    ) -> Case:
        case = self.get(case_id)
        self._allowed(case, "dispatch", at)
        when = self.moment(at, case)
        lead = self.department(dept)["id"] if dept else case.department_id
        helpers = self._assisting(assist, lead) if assist else None
        if dept and (case.status == "received" or lead != case.department_id):
            case = self._move(
                case, "classify", when, {"department_id": lead, "status": "classified"}
            )
        if case.department_id is None:
            raise BadInput("err.no_department", id=case.id)
        values: dict[str, Any] = {"status": "dispatched", "dispatched_at": when}
        # a new work order: its acknowledgement is still to come (SPEC §4)
        values["acknowledged_at"] = None
        if helpers is not None:
            values["assist"] = helpers
        elif case.department in case.assist:
            values["assist"] = [n for n in case.assist if n != case.department]
        return self._move(case, "dispatch", when, values)

    def ack(self, case_id: str, by: str | None = None, at: str | None = None) -> Case:
        """The department acknowledged the work order (签收): once per dispatch."""
        case = self.get(case_id)
        self._allowed(case, "ack", at)
        by = clean(by, "event.by", required=False)
        if case.acknowledged_at is not None:
            raise MoveRefused(
                "err.already_acked", id=case.id, at=dates.minute(case.acknowledged_at)
            )
        when = self.moment(at, case)
        return self._move(case, "ack", when, {"acknowledged_at": when}, note=by)

    def pause(self, case_id: str, reason: str, at: str | None = None) -> Case:
        """Stop the clock (中止计时): waiting for papers, an inspection, an expert opinion."""
        case = self.get(case_id)
        self._allowed(case, "pause", at)
        reason = clean(reason, "prompt.reason", multiline=True)
        when = self.moment(at, case)
        return self._move(case, "pause", when, {"paused_since": when}, note=reason)

    def resume(self, case_id: str, note: str | None = None, at: str | None = None) -> Case:
        """Restart the clock: the deadline moves by the working days it stood still."""
        case = self.get(case_id)
        self._allowed(case, "resume", at)
        note = clean(note, "event.note", multiline=True, required=False)
        when = self.moment(at, case)
        return self._move(case, "resume", when, {"paused_since": None}, times=ALL_TIMES, note=note)

    def return_order(self, case_id: str, reason: str, at: str | None = None) -> Case:
        """The department sent the work order back (退单): it goes back to the window to be
        dispatched again, and no slip of the returning department lists it (SPEC §5)."""
        case = self.get(case_id)
        self._allowed(case, "return", at)
        reason = clean(reason, "prompt.reason", multiline=True)
        when = self.moment(at, case)
        # the next department starts its own acknowledgement and its own escalation ladder;
        # the assisting ones went with the order and are named again when it goes out again
        values = {
            "status": "classified",
            "department_id": None,
            "assist": [],
            "acknowledged_at": None,
            "first_chase_at": None,
        }
        return self._move(case, "return", when, values, note=reason)

    def extend(
        self, case_id: str, days: Any, reason: str, at: str | None = None, late: bool = False
    ) -> Case:
        """N working days after the deadline in force, asked for in time (SPEC §4): after the
        deadline has passed only with `late`, and then it does not make the case on time."""
        case = self.get(case_id)
        self._allowed(case, "extend", at)
        when = self.moment(at, case)
        # (as set when it was asked for: a change recorded later with --at reaches not back)
        most = self.ledger.max_extension_days(dates.minute(when))
        try:
            days = whole_number(days, 1, most, "prompt.days")
        except BadInput:
            # more days than one extension may give: the line names the setting that says so
            asked = None
            with contextlib.suppress(BadInput):
                asked = whole_number(days, most + 1, 10**9, "prompt.days")
            if asked is not None:
                raise BadInput("err.extend_most", days=asked, most=most) from None
            raise
        reason = clean(reason, "prompt.reason", multiline=True)
        overdue = timelimits.days_late(case.deadline, when.date(), self.cal)
        if overdue and not late:
            raise MoveRefused("err.extend_late", id=case.id, deadline=case.deadline, days=overdue)
        # refused only from a working day after the deadline on, but any extension recorded
        # after the day it moved does not make the case on time (SPEC §4: a late 延期)
        after = when.date() > case.deadline
        new = self.cal.add_working_days(case.deadline, days)
        extension = {
            "at": dates.minute(when),
            "days": days,
            "from": case.deadline.isoformat(),
            "to": new.isoformat(),
            "reason": reason,
        }
        if after:
            extension["late"] = True
        values = {"extensions": [*case.extensions, extension]}
        return self._move(
            case, "extend", when, values, times=ALL_TIMES, note=reason, days=days, late=after
        )

    def urge(
        self,
        case_id: str,
        note: str | None = None,
        at: str | None = None,
        notice: dt.date | None = None,
    ) -> Case:
        """A chase (督办), counted; the first one starts the escalation ladder (SPEC §4).
        `notice`: the day of the chase notice this chase was recorded by."""
        case = self.get(case_id)
        self._allowed(case, "urge", at)
        note = clean(note, "event.note", multiline=True, required=False)
        when = self.moment(at, case)
        values: dict[str, Any] = {
            "chase_count": case.chase_count + 1,
            "first_chase_at": case.first_chase_at or when,
        }
        if notice is not None:
            values["last_notice"] = notice
        return self._move(case, "urge", when, values, note=note)

    def resolve(
        self,
        case_id: str,
        *,
        method: str | None = None,
        outcome: str | None = None,
        cannot: bool = False,
        reason: str | None = None,
        at: str | None = None,
    ) -> Case:
        case = self.get(case_id)
        self._allowed(case, "resolve", at)
        if not cannot and method is not None and outcome is not None:
            # both given: one given empty (or spaces) is refused by its name
            method = clean(method, "field.method", multiline=True)
            outcome = clean(outcome, "field.outcome", multiline=True)
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
        when = self.moment(at, case)
        if case.paused_since is not None:
            # settled while its clock stood still: the clock restarts first (SPEC §4: the
            # deadline moves by the working days it stood), then the case is resolved
            case = self._move(case, "resume", when, {"paused_since": None}, times=ALL_TIMES)
        values = {
            "status": "resolved",
            "resolved_at": when,
            "resolution": resolution,
            "method": method,
            "outcome": outcome,
        }
        return self._move(case, "resolve", when, values, times=("feedback_due",))

    def feedback(
        self,
        case_id: str,
        via: str,
        satisfaction: str | None = None,
        note: str | None = None,
        at: str | None = None,
    ) -> Case:
        case = self.get(case_id)
        self._allowed(case, "feedback", at)
        note = clean(note, "event.note", multiline=True, required=False)
        values = {
            "status": "closed",
            "feedback_via": parse_code("via", via),
            "satisfaction": parse_code("satisfaction", satisfaction)
            if _given(satisfaction)
            else None,
        }
        when = self.moment(at, case)
        values["feedback_at"] = when
        return self._move(case, "feedback", when, values, note=note)

    def reopen(self, case_id: str, reason: str, at: str | None = None) -> Case:
        """Not satisfied: a new round, its deadline by the limit counted from the reopening;
        back to the department that has it, or to the window when none has."""
        case = self.get(case_id)
        self._allowed(case, "reopen", at)
        reason = clean(reason, "prompt.reason", multiline=True)
        when = self.moment(at, case)
        status = lifecycle.after(
            case.status, "reopen", case.department_id is not None, case.dispatched_at is not None
        )
        values: dict[str, Any] = {
            "status": status,
            "resolved_at": None,
            "resolution": None,
            "feedback_at": None,
            "feedback_via": None,
            "satisfaction": None,
            # a new round: acknowledged and chased afresh
            "acknowledged_at": None,
            "first_chase_at": None,
        }
        if status == "dispatched":
            values["dispatched_at"] = when
        days = self._limits_at(when)[case.limit]
        return self._move(case, "reopen", when, values, times=ALL_TIMES, note=reason, days=days)

    def void(self, case_id: str, reason: str, at: str | None = None) -> Case:
        case = self.get(case_id)
        self._allowed(case, "void", at)
        reason = clean(reason, "prompt.reason", multiline=True)
        when = self.moment(at, case, unfreeze=True)
        return self._move(case, "void", when, {"status": "void"}, note=reason)

    def note(self, case_id: str, text: str, at: str | None = None) -> Case:
        case = self.get(case_id)
        self._allowed(case, "note", at)
        text = clean(text, "event.note", multiline=True)
        when = self.moment(at, case, unfreeze=True)
        return self._move(case, "note", when, {}, note=text)

    def edit(self, case_id: str, fields: dict[str, object], at: str | None = None) -> Case:
        """Correct fields by hand: one event, with each field's old and new value."""
        case = self.get(case_id)
        self._allowed(case, "edit", at)
        if not fields:
            raise BadInput("err.edit_nothing")
        values, unchanged = {}, []
        for name, value in fields.items():
            try:
                values[name] = self._edited_value(case, name, value)
            except BadInput as error:
                if error.key != "err.edit_same":
                    raise
                unchanged.append(error)  # (a field typed as it stands holds back no other)
        if not values:
            raise unchanged[0]
        when = self.moment(at, case)
        return self._move(case, "edit", when, values)

    def _edited_value(self, case: Case, name: str, value: object) -> object:
        if name in NOT_EDITABLE:
            raise BadInput("err.edit_forbidden", field=_as_typed(name))
        if name in BY_COMMAND:
            raise BadInput("err.edit_via_command", field=_as_typed(name), command=BY_COMMAND[name])
        spec = EDITABLE.get(name)
        if spec is None:
            raise BadInput("err.edit_unknown", field=name, choices=field_options(EDITABLE))
        if spec.kind == "codes":
            items = value if isinstance(value, list) else [value]
            new: object = list(dict.fromkeys(parse_code(spec.word, str(v)) for v in items))
        elif spec.kind == "code":
            new = parse_code(spec.word, str(value))
        else:
            # what a resolution said (its method and outcome — a `cannot`'s reason is its
            # outcome) is needed as `resolve` needed it: corrected, never emptied
            required = name in ("applicant", "matter") or (
                name in ("method", "outcome")
                and case.resolution is not None
                and (name == "outcome" or case.resolution == "done")
            )
            new = clean(str(value), f"field.{name}", multiline=name in PROSE, required=required)
            if name == "contact":
                new = new_contact(new)
        if new == case.get(name):
            raise BadInput("err.edit_same", field=_as_typed(name))
        return new

    def undo(self, case_id: str, reason: str | None = None, at: str | None = None) -> Case:
        """Take back the case's last move (SPEC §5); a second undo takes back the one before."""
        case = self.get(case_id)
        self._allowed(case, "undo", at)
        reason = clean(reason, "prompt.reason", multiline=True, required=False)
        when = self.moment(at, case, unfreeze=True)
        past = self.ledger.history(case.id)
        with self._reading(case.id, past):
            done = history.undo(case, past, when, self.cal, self.names, reason)
        self.ledger.record(done)
        return done.case

    # -- the calendar changed -------------------------------------------------------------

    def recalculate(self) -> list[dict]:
        """Every case not yet answered whose deadline or feedback-due date the calendar now
        puts on another day gets it, as a `recalculated` event (SPEC §3). Returns what moved:
        the case, the field, the old and the new date."""
        moved = []
        now = dates.now()
        for case_id in self.ledger.open_case_ids():
            case = self.get(case_id)
            past = self.ledger.history(case.id)
            latest = past[-1].at if past else now
            with self._reading(case.id, past):
                done = history.recalculated(case, past, max(now, latest), self.cal, self.names)
            if done is None:
                continue
            self.ledger.record(done)
            moved += [
                {"id": case.id, "field": name, "old": old, "new": new}
                for name, old, new in done.event.changes
                if name != "on_time_deadline"
            ]
        return moved

    # -- reading --------------------------------------------------------------------------

    def repeats(self, case: Case) -> list[str]:
        """Earlier cases of the same applicant or phone: 重复反映, the signal of this window."""
        applicant = case.applicant
        if applicant.strip().casefold() in ANONYMOUS:
            applicant = ""
        found = self.ledger.same_applicant(case.id, applicant, case.contact)
        return [i for i in found if i != case.id]


def add_department(
    ledger: Ledger, name: str, kind: str, floor: str | None, phone: str | None
) -> str:
    name = _new_department_name(name)
    held = ledger.department_taken(name)
    if held is not None:
        raise _taken(name, held, "err.department_exists_set")
    ledger.add_department(
        name,
        parse_code("kind", kind),
        clean(floor, "dept.col_floor", required=False),
        clean(phone, "dept.col_phone", required=False),
    )
    return name


def set_department(
    ledger: Ledger, name: str, floor: str | None, phone: str | None, kind: str | None
) -> tuple[dict, bool]:
    """A department's floor, phone or kind set (an empty floor or phone clears it): the
    department as it then stands, and whether anything changed (values it already has are
    no change: nothing recorded, no day's copy). The six a new ledger starts with have no
    phone until the clerk gives one here."""
    found = Desk(ledger).department(name)
    values: dict[str, str | None] = {}
    if floor is not None:
        values["floor"] = clean(floor, "dept.col_floor", required=False)
    if phone is not None:
        values["phone"] = clean(phone, "dept.col_phone", required=False)
    if kind is not None:
        values["kind"] = parse_code("kind", kind)
    if not values:
        raise BadInput("err.dept_set_nothing", name=typed_name(found["name"]))
    changed = {column: value for column, value in values.items() if found[column] != value}
    if changed:
        ledger.set_department(found["id"], changed)
    return next(d for d in ledger.departments() if d["id"] == found["id"]), bool(changed)


def typed_name(name: str) -> str:
    """A name as typed on the command line: in quotes when it holds a space."""
    return f'"{name}"' if any(c.isspace() for c in name) else name


def _taken(name: str, held: str, exists: str = "err.department_exists") -> BadInput:
    if held == name:
        return BadInput(exists, name=name, typed=typed_name(name))
    return BadInput("err.department_like", name=name, held=held)


# the longest name a department is given (a bureau's section with its bureau:
# 东港区住房和城乡建设局建筑市场监管科 is 18): a name of 100,000 characters made every refusal
# that lists the departments a line of 100 KB
DEPARTMENT_NAME_MOST = 60


def _new_department_name(name: str) -> str:
    name = department_spelling(clean(name, "dept.col_name"))
    if len(name) > DEPARTMENT_NAME_MOST:
        raise BadInput("err.department_too_long", most=DEPARTMENT_NAME_MOST, length=len(name))
    if no_department_name(name):
        raise BadInput("err.department_reserved", name=name)
    if mark_of_nothing(name):  # an import reads such a cell as no department
        raise BadInput("err.department_mark", name=name)
    return name


def rename_department(ledger: Ledger, old: str, new: str) -> tuple[str, str]:
    found = Desk(ledger).department(old)
    new = _new_department_name(new)
    # (its own name without the marks an earlier version kept in it is no clash)
    held = ledger.department_taken(new, but=found["id"])
    if held is not None:
        raise _taken(new, held)
    ledger.rename_department(found["id"], new)
    return found["name"], new


# -- the calendar changed ---------------------------------------------------------------


def follow_calendar(ledger: Ledger) -> list[dict]:
    """After a change of the calendar in this transaction (an override, a confirmation, a
    newer package): the open cases follow it. Returns what moved."""
    return Desk(ledger, ledger.calendar()).recalculate()


def confirm_year(ledger: Ledger, year: int) -> None:
    """The clerk vouches for a year's schedule (SPEC §3): only once its official notice is
    entered as overrides, and only where the package does not carry it already."""
    cal = ledger.calendar()
    if cal.confirmed_by(year) == "package":
        raise BadInput("err.confirm_package", year=year)
    if not any(day.year == year for day in cal.overrides):
        raise BadInput("err.confirm_no_overrides", year=year)
    ledger.confirm_year(year, dates.minute(dates.now()))


def clear_override(ledger: Ledger, day: dt.date) -> tuple[bool, bool]:
    """The clerk's override of `day` taken out. A year is confirmed once its schedule is
    entered (SPEC §3): the last day of a confirmed year cleared takes its confirmation back
    with it, as `confirm` would be refused then. Returns (cleared, confirmation taken back)."""
    if not ledger.clear_override(day):
        return False, False
    cal = ledger.calendar()
    lapsed = day.year in cal.clerk_confirmed and not any(d.year == day.year for d in cal.overrides)
    if lapsed:
        ledger.unconfirm_year(day.year)
    return True, lapsed


def unconfirm_year(ledger: Ledger, year: int) -> None:
    if year not in ledger.calendar().clerk_confirmed:
        raise BadInput("err.unconfirm_not_confirmed", year=year)
    ledger.unconfirm_year(year)


# -- chase notices ----------------------------------------------------------------------


def record_notices(desk: Desk, notices: dict, at: str | None) -> list[str]:
    """`notices --record`: one chase (督办) on each case a notice of the day lists, in the
    caller's transaction. The notices of a day are recorded on that day (the chase counts
    from when it was sent); a case already chased by a notice that day is not chased twice.
    Returns the ids chased."""
    day = dt.date.fromisoformat(notices["date"])
    when = desk.moment(at)
    if when.date() != day:
        raise BadInput("err.notice_day", date=day, at=dates.minute(when))
    chased = []
    for notice in notices["notices"]:
        for item in notice["cases"]:
            case = desk.get(item["id"])
            if case.last_notice == day:
                continue
            desk.urge(case.id, at=dates.minute(when), notice=day)
            chased.append(case.id)
    return chased


def setting_moment(ledger: Ledger, key: str, at: str | None) -> str:
    """When a setting changes: `--at` (default now), to the minute, never before its last
    change (the reports of the days between would read the two out of order). A last change
    dated after now — the PC's clock was ahead that day — takes the new one when no time is
    given, so that a wrong clock never freezes a setting (SPEC §9)."""
    now = dates.now()
    moment = dates.parse_at(at) if at is not None else now
    stamp = dates.minute(moment)
    if moment > now:
        raise MoveRefused("err.at_future", at=stamp, now=dates.minute(now))
    latest = ledger.setting_changed_at(key)
    if latest is not None and stamp < latest:
        if at is None:
            return latest
        raise MoveRefused("err.setting_at_before", at=stamp, key=key, latest=latest)
    return stamp
