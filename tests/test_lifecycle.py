"""SPEC §5's table of moves, exactly: the pure state machine."""

from __future__ import annotations

import pytest

from ledger.errors import MoveRefused
from ledger.lifecycle import MOVES, after, allowed_moves, check

TABLE = {
    # move: statuses it may start from (SPEC §5)
    "classify": {"received", "classified"},
    "dispatch": {"received", "classified"},
    "return": {"dispatched"},
    "extend": {"dispatched"},
    "urge": {"dispatched"},
    "resolve": {"received", "classified", "dispatched"},
    "feedback": {"resolved"},
    "reopen": {"resolved", "closed"},
    "void": {"received", "classified", "dispatched", "resolved", "closed"},
    "note": {"received", "classified", "dispatched", "resolved", "closed"},
    "edit": {"received", "classified", "dispatched", "resolved", "closed"},
    "undo": {"received", "classified", "dispatched", "resolved", "closed"},
    "ack": {"dispatched"},
    "pause": {"received", "classified", "dispatched"},
    "resume": {"received", "classified", "dispatched"},
}
STATUSES = ("received", "classified", "dispatched", "resolved", "closed", "void")


def test_the_moves_are_exactly_the_specs():
    assert {move: set(starts) for move, starts in MOVES.items()} == TABLE


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("move", sorted(TABLE))
def test_every_move_from_every_status(status, move):
    if status in TABLE[move]:
        # only a paused case can be resumed, and a paused one allows little else
        check("2026-0001", status, move, "2026-10-09 10:00" if move == "resume" else None)
    else:
        with pytest.raises(MoveRefused) as caught:
            check("2026-0001", status, move)
        assert caught.value.fields["id"] == "2026-0001"


def test_where_moves_lead():
    assert after("received", "classify", False) == "classified"
    assert after("classified", "dispatch", True) == "dispatched"
    assert after("dispatched", "return", True) == "classified"
    assert after("dispatched", "extend", True) == "dispatched"
    assert after("dispatched", "resolve", True) == "resolved"
    assert after("resolved", "feedback", True) == "closed"
    assert after("closed", "reopen", True) == "dispatched"
    assert after("closed", "reopen", False) == "received"
    assert after("resolved", "void", True) == "void"
    assert after("classified", "note", True) == "classified"


def test_a_void_case_allows_nothing():
    assert allowed_moves("void") == []


def test_a_paused_case_allows_only_resume_resolve_and_the_records():
    allowed = ["resolve", "void", "note", "edit", "undo", "ack", "resume"]
    assert allowed_moves("dispatched", paused=True) == allowed
    assert allowed_moves("classified", paused=True) == [
        "resolve", "void", "note", "edit", "undo", "resume"
    ]  # fmt: skip
    check("2026-0001", "dispatched", "resolve", "2026-10-09 10:00")  # allowed
    for move in ("urge", "extend", "return", "pause"):
        with pytest.raises(MoveRefused) as caught:
            check("2026-0001", "dispatched", move, "2026-10-09 10:00")
        assert caught.value.key == "err.paused"
    with pytest.raises(MoveRefused) as caught:
        check("2026-0001", "dispatched", "resume")
    assert caught.value.key == "err.not_paused"


def test_a_paused_case_refused_for_its_status_is_told_what_a_paused_case_may_do():
    with pytest.raises(MoveRefused) as caught:
        check("2026-0001", "received", "ack", "2026-10-09 10:00")
    line = caught.value.message()
    assert "resume" in line and "dispatch" not in line, line
