"""What the speed work must not change: the answers.

`data/bench-800.csv` is a sheet written by the benchmark (fixed seed, 800 cases over ten years,
most of the open ones late); `data/bench-800-reports.json` holds what each report says of it.
It was first written by the ledger as it stood before the period figures moved into SQL and the
JSON into the C encoder, and every figure still agrees with that first writing; it was written
again once since, when the 12345 practice added keys (acknowledgement, pauses, the window,
`to_report`, `thresholds`) and gave `below_threshold` the figures that fell short, and once
more when the period figures gained `as_of` (the day counted to: here each period's end), and
once when `acknowledged_in_time_rate` came to count an order in the period its acknowledgement
was settled in (three departments of 2026-W40 with orders of the week before). The same
ledger must give the same data, and stdout must be exactly the JSON the renderer writes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
EXPECTED = json.loads((DATA / "bench-800-reports.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("command", sorted(EXPECTED))
def test_every_report_says_what_it_said_before(run, bench_ledger, command):
    from ledger.jsonline import json_text

    result = run("--db", bench_ledger, *command.split(), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json() == EXPECTED[command]
    assert result.stdout == json_text(EXPECTED[command]) + "\n"


def test_the_benchmark_ledger_is_the_late_heavy_one(bench_ledger):
    """The reference would prove little if it held no late case or no long period."""
    sheet = EXPECTED["daily --date 2026-10-14"]
    assert len(EXPECTED["overdue --date 2026-10-14"]["cases"]) >= 20
    assert sheet["counts"]["overdue"] >= 20
    assert EXPECTED["weekly --from 2016-10-14 --to 2026-10-14"]["resolved"] >= 700


def test_json_keeps_rows_on_one_line_and_escapes_what_a_terminal_obeys():
    from ledger.jsonline import json_text

    data = {"date": "2026-10-14", "cases": [{"id": "2026-0001", "applicant": "A\x9b2J\u202e"}]}
    text = json_text(data)
    assert json.loads(text) == data
    assert '{"id": "2026-0001", "applicant": "A\\u009b2J\\u202e"}' in text.splitlines()[3]
    assert not re.search("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", text)


def test_a_long_overdue_list_is_plain_lines_with_every_case(run, bench_ledger, monkeypatch):
    """Above LONG_LIST rows the list is written as aligned lines, not a table: every late
    case still there, worst first, each on one line that fits the terminal."""
    import ledger.render as render

    monkeypatch.setattr(render, "LONG_LIST", 5)
    monkeypatch.setattr(render.console, "_width", 80)
    expected = [c["id"] for c in EXPECTED["overdue --date 2026-10-14"]["cases"]]
    result = run("--db", bench_ledger, "overdue", "--date", "2026-10-14")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Overdue")
    assert "│" not in result.stdout and "┃" not in result.stdout
    shown = [line.split()[0] for line in lines[3:]]
    assert shown == expected
    from rich.cells import cell_len

    assert max(cell_len(line) for line in lines) <= 80


def test_a_long_list_shows_stored_controls_as_signs(run, tmp_path, monkeypatch):
    """The plain lines of a long list hold text as safely as a table: a control character
    an older ledger may hold is shown as a sign, a newline as a space, never sent."""
    import sqlite3

    import ledger.render as render

    db = tmp_path / "late.db"
    for n in range(4):
        added = run("--db", db, "add", "--applicant", f"申请人{n}", "--matter", f"事项{n}",
                    "--at", "2026-09-01 09:00")  # fmt: skip
        assert added.exit_code == 0, added.stderr
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE cases SET matter = '清屏\x1b[2J' || matter WHERE seq = 1")
        conn.execute("UPDATE cases SET matter = '两行\n' || matter WHERE seq = 2")
    conn.close()
    monkeypatch.setattr(render, "LONG_LIST", 2)
    result = run("--db", db, "overdue", "--date", "2026-10-14")
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout
    body = result.stdout.splitlines()[3:]
    assert len(body) == 4
    assert any("清屏\u241b[2J事项0" in line for line in body)
    assert any("两行 事项1" in line for line in body)


def test_json_lays_out_rows_by_what_they_hold():
    """A row goes on one line when its lists hold no list or dict (a case's `assist`); a
    row holding a dict, or a list of lists, is laid out by its parts, whichever rows are
    beside it; a dict of plain values stays on its row's line. Written out here, not by
    `json_text`, so that a change of layout shows."""
    from ledger.jsonline import json_text

    flat = {"cases": [{"id": "1", "assist": ["税务", "工程建设"]}, {"id": "2", "assist": []}]}
    assert json_text(flat) == (
        '{\n  "cases": [\n'
        '    {"id": "1", "assist": ["税务", "工程建设"]},\n'
        '    {"id": "2", "assist": []}\n'
        "  ]\n}"
    )
    nested = {"rows": [{"id": "1", "assist": []}, {"id": "2", "window": {"code": "A"}}]}
    assert json_text(nested) == (
        '{\n  "rows": [\n'
        '    {"id": "1", "assist": []},\n'
        '    {"id": "2", "window": {"code": "A"}}\n'
        "  ]\n}"
    )
    deep = [{"id": "1", "pairs": [[1, 2]]}, {"id": "2", "window": {"code": "A"}}]
    assert json_text(deep) == (
        '[\n  {\n    "id": "1",\n    "pairs": [\n      [1, 2]\n    ]\n  },\n'
        '  {"id": "2", "window": {"code": "A"}}\n]'
    )
    for data in (flat, nested, deep):
        assert json.loads(json_text(data)) == data
