"""The case state machine of SPEC §5: the only moves there are, and where each one leads."""

from __future__ import annotations

from ledger.errors import MoveRefused
from ledger.i18n import label, t

ACTIVE = ("received", "classified", "dispatched")
LIVE = ("received", "classified", "dispatched", "resolved", "closed")

# move -> statuses it may start from
MOVES: dict[str, tuple[str, ...]] = {
    "classify": ("received", "classified"),
    "dispatch": ("received", "classified"),
    "return": ("dispatched",),
    "extend": ("dispatched",),
    "urge": ("dispatched",),
    "resolve": ACTIVE,
    "feedback": ("resolved",),
    "reopen": ("resolved", "closed"),
    "void": LIVE,
    "note": LIVE,
    "edit": LIVE,
    "undo": LIVE,
    "ack": ("dispatched",),
    "pause": ACTIVE,
    "resume": ACTIVE,
}
# while the clock is stopped (中止计时) only these: the case waits, and nothing may count
# time against it (no chase, no extension) until it is resumed. The department may still sign
# for the order (`ack`): that counts no time, and its acknowledgement target runs regardless.
# A case settled while it waits (the papers came and it was done the same day) is resolved:
# the clock restarts first, as its own `resume`, so the deadline it is judged by has moved
WHILE_PAUSED = ("resume", "void", "note", "edit", "undo", "ack", "resolve")

_LEADS_TO = {
    "classify": "classified",
    "dispatch": "dispatched",
    "return": "classified",
    "resolve": "resolved",
    "feedback": "closed",
    "void": "void",
}


def allowed_moves(
    status: str, paused: bool = False, left_out: frozenset[str] = frozenset()
) -> list[str]:
    """The moves the status allows (`left_out`: those the case itself rules out, an `ack`
    once acknowledged, an `undo` with nothing to take back)."""
    return [
        move
        for move, starts in MOVES.items()
        if status in starts
        and (move in WHILE_PAUSED if paused else move != "resume")
        and move not in left_out
    ]


def check(
    case_id: str,
    status: str,
    move: str,
    paused_since: object = None,
    left_out: frozenset[str] = frozenset(),
) -> None:
    """Refuse a move the status does not allow, naming the status and what is allowed; a
    paused case allows only what `WHILE_PAUSED` names, and a pause needs a running clock."""
    if paused_since is not None and move not in WHILE_PAUSED and status in MOVES[move]:
        moves = [t(f"allowed.{m}") for m in allowed_moves(status, True, left_out)]
        raise MoveRefused(
            "err.paused",
            id=case_id,
            status=label("status", status),
            since=str(paused_since)[:16],
            move=t(f"move.{move}"),
            allowed=t("list_sep").join(moves),
        )
    if move == "resume" and paused_since is None and status in MOVES[move]:
        raise MoveRefused("err.not_paused", id=case_id)
    if status not in MOVES[move]:
        paused = paused_since is not None
        moves = [t(f"allowed.{m}") for m in allowed_moves(status, paused, left_out)]
        allowed = t("list_sep").join(moves) or t("err.no_moves")
        raise MoveRefused(
            "err.move_refused",
            id=case_id,
            status=label("status", status),
            move=t(f"move.{move}"),
            allowed=allowed,
        )


def after(status: str, move: str, has_department: bool, was_dispatched: bool = False) -> str:
    """The status a case is in after `move` (which `check` has allowed)."""
    if move == "reopen":
        # the work order goes back to the department that had it; one sent back (退单)
        # waits at the window to be dispatched again, as after the return; a case settled
        # at the window that never had a department starts again as received
        if has_department:
            return "dispatched"
        return "classified" if was_dispatched else "received"
    return _LEADS_TO.get(move, status)
