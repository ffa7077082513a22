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
}

_LEADS_TO = {
    "classify": "classified",
    "dispatch": "dispatched",
    "return": "classified",
    "resolve": "resolved",
    "feedback": "closed",
    "void": "void",
}


def allowed_moves(status: str) -> list[str]:
    return [move for move, starts in MOVES.items() if status in starts]


def check(case_id: str, status: str, move: str) -> None:
    """Refuse a move the status does not allow, naming the status and what is allowed."""
    if status not in MOVES[move]:
        moves = [t(f"move.{m}") for m in allowed_moves(status)]
        allowed = t("list_sep").join(moves) or t("err.no_moves")
        raise MoveRefused(
            "err.move_refused",
            id=case_id,
            status=label("status", status),
            move=t(f"move.{move}"),
            allowed=allowed,
        )


def after(status: str, move: str, has_department: bool) -> str:
    """The status a case is in after `move` (which `check` has allowed)."""
    if move == "reopen":
        # the work order goes back to the department that had it; a case settled at the
        # window without one starts again as received
        return "dispatched" if has_department else "received"
    return _LEADS_TO.get(move, status)
