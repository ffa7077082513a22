"""Fuzzing the command line: random but well-typed and ill-typed arguments against a real ledger.

Whatever comes in: exit code 0, 1 or 2 only; never a traceback; a refused command leaves the
file byte-identical; an accepted one leaves a ledger that passes `ledger check`.

CI runs a fixed, derandomized set. For a longer run:
    LEDGER_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import digest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ledger.cli import app
from ledger.store import Ledger

EXAMPLES = int(os.environ.get("LEDGER_FUZZ_EXAMPLES", "120"))
NASTY = [
    "",
    " ",
    "'; DROP TABLE cases; --",
    "=1+1",
    "+86 138",
    "-2",
    "@SUM(A1)",
    "\tindented",
    "line\nbreak",
    "cr\rreturn",
    '"quoted, with comma"',
    "😀🎉",
    "nul\x00byte",
    "\x1b[31mred",
    "2026-0001",
    "市场准入",
    "x" * 5000,
    "％",
    "\\",
    "%_%",
    "null",
    "None",
    "--help",
    "-1",
    "材料[/]补齐",
    "[link=http://x]y[/link]",
    "[bold]",
    "]",
    "\x1b]0;title\x07",
    "\x9b31m",
    "a\u202eb",
    "\udcb0\udcec",
]
# markup brackets alone (accepted, and must print literally), and mixed with ESC, C1 controls
# and bidi overrides (refused): the alphabets that would have found the markup crash
MARKUP = st.text(alphabet=st.sampled_from(list("[]/=:@#x中 ")), min_size=1, max_size=12)
HOSTILE = st.text(
    alphabet=st.sampled_from(list("[]/=x中 ") + ["\x1b", "\x9b", "\x07", "\n", "\u202e"]),
    max_size=12,
)
text = st.one_of(st.sampled_from(NASTY), MARKUP, HOSTILE, st.text(max_size=30))
dates = st.one_of(
    st.sampled_from(
        [
            "2026-10-14",
            "2026/10/14",
            "2026年10月14日",
            "today",
            "yesterday",
            "2026-02-30",
            "13/13/2026",
            "2026-10-14 25:61",
            "9999-99-99",
            "2026-10-12 09:00",
            "2099-01-01",
            "1900-01-01",
            "2026-10-13 18:00",
        ]
    ),
    text,
)
ids = st.one_of(
    st.sampled_from(
        ["2026-0001", "2026-0002", "2026-0003", "2026-1", "2026-9999", "0-0", "2026-0001'--"]
    ),
    text,
)
codes = st.one_of(
    st.sampled_from(
        [
            "market",
            "市场准入",
            "Social affairs",
            "within",
            "phone",
            "短信",
            "standard",
            "应办未办",
            "cannot",
            "satisfied",
            "不满意",
            "hotline",
            "12345热线",
            "bogus",
            "税务",
            "社会事务",
            "财政局",
        ]
    ),
    text,
)
numbers = st.one_of(st.integers(-5, 400).map(str), text)


def option(name: str, values) -> st.SearchStrategy:
    return st.one_of(st.just([]), values.map(lambda v: [name, v]))


ADD = st.tuples(
    st.just(["add"]),
    st.one_of(option("--applicant", text), text.map(lambda v: ["--applicant", v])),
    text.map(lambda v: ["--matter", v]),
    option("--contact", text),
    option("--cause", text),
    option("--dept", codes),
)
COMMANDS = st.one_of(
    ADD,  # the door most text comes in by, so drawn more often
    ADD,
    st.tuples(
        st.just(["add"]),
        option("--applicant", text),
        option("--matter", text),
        option("--contact", text),
        option("--channel", codes),
        option("--limit", codes),
        option("--section", codes),
        option("--dept", codes),
        option("--at", dates),
    ),
    st.tuples(
        st.just(["classify"]),
        ids.map(lambda i: [i]),
        option("--section", codes),
        option("--scope", codes),
        option("--dept", codes),
        option("--limit", codes),
    ),
    st.tuples(
        st.just(["dispatch"]),
        ids.map(lambda i: [i]),
        option("--dept", codes),
        option("--at", dates),
    ),
    st.tuples(
        st.sampled_from([["return"], ["reopen"], ["void"]]),
        ids.map(lambda i: [i]),
        option("--reason", text),
        option("--at", dates),
    ),
    st.tuples(
        st.just(["extend"]),
        ids.map(lambda i: [i]),
        option("--days", numbers),
        option("--reason", text),
    ),
    st.tuples(st.just(["urge"]), ids.map(lambda i: [i]), option("--note", text)),
    st.tuples(
        st.just(["resolve"]),
        ids.map(lambda i: [i]),
        option("--method", text),
        option("--outcome", text),
        st.sampled_from([[], ["--cannot"]]),
        option("--reason", text),
    ),
    st.tuples(
        st.just(["feedback"]),
        ids.map(lambda i: [i]),
        option("--via", codes),
        option("--satisfaction", codes),
    ),
    st.tuples(st.just(["note"]), ids.map(lambda i: [i]), text.map(lambda v: [v])),
    st.tuples(
        st.just(["edit"]),
        ids.map(lambda i: [i]),
        st.sampled_from(
            [
                "--applicant",
                "--cause",
                "--contact",
                "--status",
                "--id",
                "--problem",
                "--sections",
                "--bogus",
            ]
        ).map(lambda f: [f]),
        text.map(lambda v: [v]),
    ),
    st.tuples(st.just(["show"]), ids.map(lambda i: [i])),
    st.tuples(
        st.just(["list"]),
        option("--search", text),
        option("--status", codes),
        option("--from", dates),
        option("--dept", codes),
    ),
    st.tuples(st.sampled_from([["daily"], ["overdue"]]), option("--date", dates)),
    st.tuples(
        st.just(["weekly"]), option("--week", text), option("--from", dates), option("--to", dates)
    ),
    st.tuples(
        st.just(["deadline"]),
        dates.map(lambda d: [d]),
        option("--days", numbers),
        option("--limit", codes),
    ),
    st.tuples(st.just(["calendar"]), st.one_of(text, dates).map(lambda v: [v])),
    st.tuples(
        st.sampled_from([["calendar", "holiday"], ["calendar", "workday"], ["calendar", "clear"]]),
        dates.map(lambda d: [d]),
    ),
    st.tuples(st.just(["dept", "add"]), text.map(lambda v: [v]), option("--kind", codes)),
    st.tuples(
        st.just(["settings", "set"]),
        st.sampled_from(["limit_standard", "on_time_threshold", "window_name", "x"]).map(
            lambda k: [k]
        ),
        text.map(lambda v: [v]),
    ),
).map(lambda parts: [arg for part in parts for arg in part])

READ_ONLY = {"show", "list", "daily", "overdue", "weekly", "deadline"}


@pytest.fixture(scope="module")
def fuzz_ledger(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "ledger.db"
    runner = CliRunner()
    env = {"LEDGER_DB": str(path), "LEDGER_LANG": "en"}
    for args in (
        ["add", "--applicant", "张三", "--matter", "营业执照", "--at", "2026-10-12 09:00"],
        [
            "add",
            "--applicant",
            "李四",
            "--matter",
            "社保",
            "--dept",
            "税务",
            "--at",
            "2026-10-12 09:00",
        ],
        ["add", "--applicant", "王五", "--matter", "补贴", "--at", "2026-10-12 09:00"],
        ["dispatch", "2026-0003", "--dept", "农水事务", "--at", "2026-10-12 10:00"],
    ):
        assert runner.invoke(app, args, env=env).exit_code == 0
    return path


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="LEDGER_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(args=COMMANDS, lang=st.sampled_from(["en", "zh"]))
def test_no_input_breaks_the_ledger(fuzz_ledger, args, lang):
    runner = CliRunner()
    env = {"LEDGER_DB": str(fuzz_ledger), "LEDGER_LANG": lang}
    before = digest(fuzz_ledger)
    result = runner.invoke(app, args, env=env)
    output = result.stdout + result.stderr
    assert result.exit_code in (0, 1, 2), (args, output)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert "Traceback" not in output, (args, output)
    if result.exit_code != 0:
        assert len([line for line in result.stderr.splitlines() if line.strip()]) == 1, output
        assert digest(fuzz_ledger) == before, args
    elif args[0] not in READ_ONLY:
        ledger = Ledger(fuzz_ledger)
        try:
            problems, _, _ = ledger.check()
        finally:
            ledger.close()
        assert problems == [], (args, problems)
        every_output_still_reads(runner, env)
    assert not any(c in output for c in ("\x1b", "\x9b", "\x07")), (args, output)


def every_output_still_reads(runner: CliRunner, env: dict) -> None:
    """What was accepted must show: the mornings after, every report still prints."""
    for report in (
        ["daily"],
        ["daily", "--date", "2026-10-13"],
        ["overdue", "--date", "2026-10-20"],
        ["list"],
        ["weekly", "--from", "2026-10-01", "--to", "2026-10-31"],
        ["dept", "list"],
        ["settings", "show"],
        ["show", "2026-0001"],
    ):
        result = runner.invoke(app, report, env=env)
        assert result.exit_code == 0, (report, result.stdout + result.stderr)
        assert not any(c in result.stdout for c in ("\x1b", "\x9b", "\x07")), report


HEADERS = [
    "案件编号",
    "受理时间",
    "反映人",
    "联系电话",
    "事项名称",
    "状态",
    "承办单位",
    "办结时间",
    "满意度",
    "延期记录",
    "督办次数",
    "Sections",
    "办理时限",
    "回访情况",
]
cells = st.one_of(text, dates, codes, ids, numbers, st.sampled_from(["[]", "[{}]", "{", "0"]))


@settings(
    max_examples=max(20, EXAMPLES // 3),
    deadline=None,
    derandomize="LEDGER_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    columns=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8, unique=True),
    rows=st.lists(st.lists(cells, min_size=8, max_size=8), max_size=4),
    encoding=st.sampled_from(["utf-8-sig", "utf-8", "gb18030"]),
)
def test_no_sheet_breaks_the_ledger(fuzz_ledger, tmp_path_factory, columns, rows, encoding):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(row[: len(columns)])
    sheet = tmp_path_factory.mktemp("sheet") / "in.csv"
    sheet.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    env = {"LEDGER_DB": str(fuzz_ledger), "LEDGER_LANG": "zh"}
    before = digest(fuzz_ledger)
    result = CliRunner().invoke(app, ["import", str(sheet)], env=env)
    output = result.stdout + result.stderr
    assert result.exit_code in (0, 1), output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in output
    if result.exit_code != 0:
        assert digest(fuzz_ledger) == before
    else:
        ledger = Ledger(fuzz_ledger)
        try:
            problems, _, _ = ledger.check()
        finally:
            ledger.close()
        assert problems == [], problems


_JSON_TEXT = st.text(
    alphabet=st.sampled_from(
        ["a", "中", " ", "\n", "\t", "\x1b", "\x7f", "\x85", "\x9b", "\xa0", "\u3000", "\u200b",
         "\u2028", "\u2029", "\u202a", "\u202e", "\u2066", "\u2069", "\ufeff", '"', "\\"]
    ),
    max_size=8,
)  # fmt: skip
_JSON_DATA = st.recursive(
    st.none() | st.integers() | _JSON_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_JSON_TEXT, inner, max_size=4),
    max_leaves=12,
)


def _laid_out(value: object, pad: str = "") -> str:
    """The layout of a report's JSON, written plainly: a dict spreads over lines when one of
    its values holds a container that is not empty, a list when it holds one; a spread list
    whose items are rows (dicts whose containers are lists holding no container that is not
    empty) puts each row on one line; anything else is one line."""
    import json

    def line(item: object) -> str:
        return json.dumps(item, ensure_ascii=False)

    def containers(item: object) -> list:
        values = item.values() if isinstance(item, dict) else item
        return [v for v in values if isinstance(v, (dict, list))]

    def holds(item: object) -> bool:
        return any(containers(item))

    inner = pad + "  "
    if isinstance(value, dict) and any(holds(v) for v in containers(value)):
        body = ",\n".join(f"{inner}{line(str(k))}: {_laid_out(v, inner)}" for k, v in value.items())
        return "{\n" + body + f"\n{pad}}}"
    if isinstance(value, list) and holds(value):
        rows = all(
            isinstance(item, dict)
            and all(isinstance(v, list) and not holds(v) for v in containers(item))
            for item in value
        )
        body = ",\n".join(inner + (line(v) if rows else _laid_out(v, inner)) for v in value)
        return "[\n" + body + f"\n{pad}]"
    return line(value)


@given(_JSON_DATA)
def test_json_escapes_every_character_a_terminal_obeys_wherever_it_stands(data):
    """The escape is decided part by part (unprintable parts searched) and the text put
    together from parts: the result must be the plain layout with every such character
    escaped, and the JSON read back must be the data."""
    import json
    import re

    from ledger.jsonline import _JSON_UNSAFE, json_text

    written = json_text(data)
    assert written == _laid_out(data).translate(_JSON_UNSAFE)
    unsafe = "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
    assert not re.search(unsafe, written.replace("\n", ""))
    assert json.loads(written) == data


@given(_JSON_DATA)
def test_a_report_s_rows_are_laid_out_as_any_list_of_flat_rows(data):
    """A report's `FlatRows` skip the question of whether each row nests: for flat rows the
    text is what a plain list gives, and for any rows it is JSON that reads back the same."""
    import json

    from ledger.jsonline import json_text
    from ledger.rows import FlatRows

    rows = [item for item in (data if isinstance(data, list) else [data]) if isinstance(item, dict)]

    def plain(value: object) -> bool:  # a value a flat row may hold: no dict, no nesting list
        if isinstance(value, list):
            return not any(isinstance(item, (dict, list)) and item for item in value)
        return not isinstance(value, dict)

    flat = [{key: value for key, value in row.items() if plain(value)} for row in rows]
    assert json_text({"rows": FlatRows(flat)}) == json_text({"rows": flat})
    assert json.loads(json_text({"rows": FlatRows(rows)})) == {"rows": rows}
