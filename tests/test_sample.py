"""The sample ledger: realistic, complete, and importable twice with no change."""

from __future__ import annotations

from pathlib import Path

from conftest import digest

from ledger.words import CHANNEL, PROBLEM, SCOPE, SECTION, STATUS

SAMPLE = Path(__file__).parent.parent / "sample_data" / "cases.csv"


def test_the_sample_imports_twice_with_no_change_the_second_time(run, ledger_file):
    first = run("import", SAMPLE)
    assert first.exit_code == 0, first.stderr
    assert "46 new cases" in first.stdout
    before = digest(ledger_file)
    second = run("import", SAMPLE)
    assert "0 new cases, 46 already" in second.stdout
    assert digest(ledger_file) == before
    assert run("check").exit_code == 0


def test_the_sample_covers_every_word_and_stays_in_its_month(run):
    run("import", SAMPLE)
    cases = run("list", "--json").json()
    assert 40 <= len(cases) <= 60
    assert {c["status"] for c in cases} == set(STATUS)
    assert {c["channel"] for c in cases} == set(CHANNEL)
    assert {c["problem"] for c in cases} == set(PROBLEM)
    assert {c["scope"] for c in cases} - {None} == set(SCOPE)
    assert {s for c in cases for s in c["sections"]} == set(SECTION)
    assert {c["resolution"] for c in cases} >= {"done", "cannot"}
    assert "unsatisfied" in {c["satisfaction"] for c in cases}
    assert any(c["extensions"] for c in cases) and any(c["chase_count"] for c in cases)
    assert min(c["received_at"] for c in cases) >= "2026-09-14"
    latest = max(
        value
        for c in cases
        for value in (c["received_at"], c["dispatched_at"], c["resolved_at"], c["feedback_at"])
        if value
    )
    assert latest <= "2026-10-14 23:59"


def test_the_sample_sheet_of_2026_10_14_shows_the_12345_practice(run):
    run("import", SAMPLE)
    sheet = run("daily", "--date", "2026-10-14", "--json").json()
    # a handful of each, as a real window's day would have them
    assert [c["id"] for c in sheet["unacknowledged"]] == ["2026-0032", "2026-0036", "2026-0038"]
    assert [c["id"] for c in sheet["paused"]] == ["2026-0022", "2026-0041", "2026-0039"]
    assert [c["id"] for c in sheet["to_report"]] == ["2026-0015", "2026-0019"]
    assert any(c["role"] == "assist" for g in sheet["to_dispatch"] for c in g["cases"])
    for key in ("intake", "to_dispatch", "due_soon", "overdue", "feedback_due"):
        assert sheet[key], key
    shown = run("--lang", "zh", "daily", "--date", "2026-10-14").stdout
    assert "未签收工单" in shown and "中止计时" in shown and "应予通报" in shown


def _readme_block(after: str) -> list[str]:
    """The lines of the README's first fenced block after the line that ends with `after`."""
    lines = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if line.endswith(after))
    first = next(n for n in range(start, len(lines)) if lines[n] == "```") + 1
    last = next(n for n in range(first, len(lines)) if lines[n] == "```")
    return lines[first:last]


def test_the_readmes_80_column_samples_are_what_the_ledger_prints(run, monkeypatch):
    """The README showed a week's figure (市场准入's on-time acknowledgement rate 0.0%) and a
    paused case's reason (`）` alone on a line) that the ledger no longer prints."""
    from ledger import render

    monkeypatch.setattr(render.console, "_width", 80)
    run("import", SAMPLE)
    for args, after in (
        (
            ("daily", "--date", "2026-10-14"),
            "The sheet of the sample ledger for 2026-10-14 (80 columns):",
        ),
        (
            ("weekly", "--week", "2026-W41"),
            "then rates, when its twelve columns do not fit the terminal):",
        ),
    ):
        shown = run("--lang", "zh", *args)
        assert shown.exit_code == 0, shown.stderr
        printed = [line.rstrip() for line in shown.stdout.rstrip("\n").splitlines()]
        assert printed == _readme_block(after), args


def test_the_readmes_case_lives_are_what_the_ledger_prints(run, monkeypatch):
    """Every command of "One case's life" (中文, then English, in one ledger) prints what
    the README shows under it at 80 columns: its `show` had wrapped the extension's line
    otherwise than the ledger now does, and nothing compared them."""
    import shlex

    from ledger import render

    monkeypatch.setattr(render.console, "_width", 80)
    for heading, lang in (
        ("### One case's life (中文)", "zh"),
        ("### One case's life (English)", "en"),
    ):
        block = _readme_block(heading)
        commands = [n for n, line in enumerate(block) if line.startswith("$ ledger ")]
        assert commands, heading
        for n, end in zip(commands, [*commands[1:], len(block)], strict=True):
            expected = block[n + 1 : end]
            code = 0
            if expected and expected[-1].startswith("(exit "):
                code = int(expected.pop()[len("(exit ") : -1])
            result = run("--lang", lang, *shlex.split(block[n])[2:])
            assert result.exit_code == code, (block[n], result.stderr)
            printed = [line.rstrip() for line in (result.stdout + result.stderr).splitlines()]
            while printed and not printed[-1]:
                printed.pop()
            assert printed == expected, block[n]
