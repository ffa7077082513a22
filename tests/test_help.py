"""Help and the command line's own messages in the interface language (SPEC §10)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import typer.main
from conftest import python_says
from rich.cells import cell_len

from ledger import i18n
from ledger.case import EDITABLE
from ledger.cli import app
from ledger.helptext import VALUE_WORDS
from ledger.words import WORDS


def _tree(command=None, path=()):
    command = command or typer.main.get_command(app)
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _tree(sub, (*path, name))


COMMANDS = [path for path, _ in _tree()]


def _ledger(lang: str, *args: str, columns: int = 80) -> subprocess.CompletedProcess:
    """`ledger ARGS` in a process of its own, the way a terminal runs it."""
    env = {**os.environ, "COLUMNS": str(columns), "LEDGER_LANG": lang}
    env.pop("LEDGER_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "ledger", *args], env=env, capture_output=True, text=True
    )


def _help(lang: str, path: tuple[str, ...], columns: int = 80) -> subprocess.CompletedProcess:
    return _ledger(lang, *path, "--help", columns=columns)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_command_and_option_has_its_help_in_the_catalogue(lang):
    catalogue = i18n.CATALOGUE[lang]
    missing = []
    for path, command in _tree():
        where = ".".join(path)
        if f"help.{where or 'ledger'}" not in catalogue:
            missing.append(f"help.{where or 'ledger'}")
        for param in command.params:
            if (
                f"opt.{where}.{param.name}" not in catalogue
                and f"opt.{param.name}" not in catalogue
            ):
                missing.append(f"opt.{where}.{param.name}")
    assert missing == []


def test_a_shared_option_word_is_not_borrowed_by_a_parameter_it_does_not_describe():
    """`opt.name` is a day's name (`calendar holiday --name`): any other `name` has its own."""
    catalogue = i18n.CATALOGUE["en"]
    borrowed = [
        ".".join(path)
        for path, command in _tree()
        for param in command.params
        if param.name == "name"
        and path[0] != "calendar"
        and f"opt.{'.'.join(path)}.name" not in catalogue
    ]
    assert borrowed == []


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "ledger")
def test_chinese_help_is_chinese_throughout_and_fits_80_columns(path):
    result = _help("zh", path)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "用法：" in text
    for english in ("Usage:", "Options", "Arguments", "Commands", "Show this message"):
        assert english not in text
    # nor Click's words for what a value is: each is named in Chinese, arguments by name
    for english in ("[OPTIONS]", "COMMAND", "[ARGS]", "<str>", "<path>", "<text>", "<int"):
        assert english not in text, english
    command = dict(_tree())[path]
    for param in command.params:
        if param.param_type_name == "argument":
            assert not re.search(rf"(?<![a-z_]){param.name}(?![a-z_])", text), param.name
    # the English help of this command and of each of its options is not what is shown
    english = i18n.EN[f"help.{'.'.join(path) or 'ledger'}"].split(".")[0]
    assert english not in text
    assert re.search("[\u4e00-\u9fff]", text)
    assert max(cell_len(line) for line in text.splitlines()) <= 80
    assert "…" not in text, "help cut short at 80 columns"
    for param in command.params:
        if param.name in VALUE_WORDS:
            word = VALUE_WORDS[param.name]
            for code in WORDS[word]:
                assert f"{code}={i18n.label(word, code, 'zh')}" in re.sub(r"[│\s]+", "", text)


def test_english_help_lists_the_values_of_a_code_option():
    text = re.sub(r"[│\s]+", " ", _help("en", ("feedback",)).stdout)
    for code in WORDS["via"] + WORDS["satisfaction"]:
        assert code in text
    assert "satisfied (Satisfied)" in text


@pytest.mark.parametrize(
    ("path", "zh", "en"),
    [
        (
            ("add",),
            "反映人（个人或企业）；必填，未给出时在终端询问。",
            "Person or enterprise (needed:",
        ),
        (("resolve",), "与 --cannot 同用：办不成的原因。", "With --cannot: why it cannot be done."),
        (
            ("resolve",),
            "处理办法；与 --outcome 同为必填",
            "(needed with --outcome, unless --cannot)",
        ),
        (
            ("feedback",),
            "反馈方式（必填，未给出时在终端询问）",
            "How the applicant was told (needed:",
        ),
    ],
)
def test_help_says_which_options_a_command_needs(path, zh, en):
    """`add --help` did not say --applicant and --matter are needed (they are asked for at
    a terminal); `resolve --help` said only 原因。 for the reason --cannot needs."""
    assert zh.replace(" ", "") in re.sub(r"[│\s]+", "", _help("zh", path, columns=120).stdout)
    assert en in re.sub(r"[│\s]+", " ", _help("en", path, columns=120).stdout)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_edit_help_names_every_field_it_corrects(lang):
    text = re.sub(r"[│\s]+", "", _help(lang, ("edit",), columns=200).stdout)
    for name in EDITABLE:
        assert "--" + name.replace("_", "-") in text
        assert i18n.t(f"field.{name}", lang).replace(" ", "") in text
    # and the values of each field that holds codes (SPEC §10), after that field's flag
    coded = {name: spec.word for name, spec in EDITABLE.items() if spec.word}
    assert set(coded) == {"channel", "problem", "sections", "scope"}
    for name, word in coded.items():
        listed = text.split(f"--{name}{'：' if lang == 'zh' else ':'}", 1)[1]
        for code in WORDS[word]:
            value = i18n.t("help.value", lang, code=code, label=i18n.label(word, code, lang))
            assert value.replace(" ", "") in listed, (name, code)


USAGE_ERRORS = [
    (("add", "--bogus"), "没有选项 --bogus", "no option --bogus"),
    (("show",), "缺少参数 '案件编号'", "missing argument 'ID'"),
    (("daily", "--date"), "选项 '--date' 后面需要一个值", "option '--date' needs a value"),
    (("nosuch",), "没有命令 'nosuch'", "no command 'nosuch'"),
    # a near miss is guessed, in the run's language (Typer adds its guess in English)
    (("dialy",), "没有命令 'dialy'，是不是 'daily'？", "no command 'dialy'; did you mean 'daily'?"),
    # a word after calendar or settings is a subcommand, not the month `show` would read
    (("settings", "sett", "x", "y"), "是不是 'set'？", "did you mean 'set'?"),
    (("calendar", "hoilday", "2026-10-10"), "是不是 'holiday'？", "did you mean 'holiday'?"),
    (("show", "2026-0001", "extra"), "参数比命令需要的多（extra）", "more arguments"),
    (("calendar", "holiday"), "缺少参数 '日期'", "missing argument 'DATE'"),
    (("dept",), "缺少命令", "which command?"),
]


@pytest.mark.parametrize(("args", "zh", "en"), USAGE_ERRORS, ids=lambda a: str(a))
def test_usage_errors_speak_the_run_s_language(run, ledger_file, args, zh, en):
    from tests.conftest import digest

    before = digest(ledger_file)
    for lang, expected in (("zh", zh), ("en", en)):
        result = run("--lang", lang, *args)
        assert result.exit_code == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0], result.stderr
        if lang == "zh":
            # no sentence of Click's left in English
            assert not re.search(r"\b(No such|Missing|requires|unexpected|Got)\b", lines[0])
    assert digest(ledger_file) == before


def test_a_usage_error_no_pattern_knows_is_not_shown_in_english(run):
    from ledger.helptext import usage_message

    i18n.set_language("zh")
    try:
        line = usage_message("Something Click says one day")
    finally:
        i18n.set_language("en")
    assert "Something" not in line and "--help" in line


def test_import_of_a_missing_file_creates_no_ledger(run, tmp_path):
    target = tmp_path / "new.db"
    result = run("--db", target, "--lang", "zh", "import", tmp_path / "nothing.csv")
    assert result.exit_code == 1
    assert "不存在" in result.stderr and "改动已记入" not in result.stderr
    assert not target.exists()


def test_the_sample_import_and_sheet_speak_one_language(tmp_path):
    env = {**os.environ, "LEDGER_DB": str(tmp_path / "s.db")}
    env.pop("LEDGER_LANG", None)
    env.pop("LEDGER_DEBUG", None)
    imported = subprocess.run(
        [sys.executable, "-m", "ledger", "--lang", "zh", "import", "sample_data/cases.csv"],
        env=env,
        capture_output=True,
        text=True,
        cwd=os.path.dirname(os.path.dirname(__file__)),
    )
    assert imported.returncode == 0, imported.stderr
    assert "Imported" not in imported.stdout + imported.stderr
    assert re.search("[\u4e00-\u9fff]", imported.stdout)


def test_help_does_not_load_markdown_or_pygments():
    """Typer's help formatter imports them for features the ledger's help does not use."""
    probe = (
        "import sys\n"
        "sys.argv = ['ledger', '--help']\n"
        "from ledger.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(' '.join(m for m in ('markdown_it', 'pygments') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True,
        env={**os.environ, "COLUMNS": "80"},
    )  # fmt: skip
    assert "Usage" in done.stdout and "Commands" in done.stdout
    assert done.stderr == ""


def test_a_spared_module_is_the_real_one_once_used():
    said = python_says(
        "import sys",
        "from ledger import helptext",
        "helptext._spare_help_imports()",
        "from rich.markdown import Markdown",
        "made = Markdown('**x**')",
        "import rich.markdown",
        "print(type(made) is rich.markdown.Markdown, 'markdown_it' in sys.modules)",
    )
    assert said == ["True", "True"]


def test_an_argument_of_several_values_says_so_in_either_language():
    for lang, word in (("zh", "{数据包...}"), ("en", "{PACK...}")):
        result = _help(lang, ["city"])
        assert result.returncode == 0 and word in result.stdout, result.stdout


GROUPS = [path for path, command in _tree() if getattr(command, "commands", None)]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("path", GROUPS, ids=lambda p: " ".join(p) or "ledger")
def test_each_command_of_a_list_says_what_it_does_in_one_line_at_80_columns(lang, path):
    """A command's line in the list that wraps leaves a word or two alone under it."""
    text = _help(lang, path).stdout
    panel = text[text.index("─ 命令 " if lang == "zh" else "─ Commands ") :]
    rows = [line for line in panel.splitlines()[1:] if line.startswith("│")]
    names = dict(_tree())[path].commands
    assert len(rows) >= len(names)
    wrapped = [line for line in rows if not re.match(r"│ \S", line)]
    assert wrapped == []


@pytest.mark.parametrize(("lang", "word"), [("zh", "文件"), ("en", "FILE")])
def test_the_ledger_s_own_path_is_shown_as_a_file(lang, word):
    """`--db` is read as text (to tell `dir/` from a file), which showed it as TEXT/文字."""
    lines = [line for line in _help(lang, ()).stdout.splitlines() if "--db" in line]
    assert len(lines) == 1 and word in lines[0].split() and "TEXT" not in lines[0]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_calendar_help_names_the_short_form_the_readme_uses_first(lang, ledger_file):
    said = _help(lang, ("calendar",)).stdout
    assert "ledger calendar 2026-10" in said and "calendar show 2026-10" in said
    # and the short form is what it says it is
    env = {**os.environ, "LEDGER_LANG": lang, "LEDGER_DB": str(ledger_file)}
    short, full = (
        subprocess.run(
            [sys.executable, "-m", "ledger", *args], env=env, capture_output=True, text=True
        )
        for args in (("calendar", "2026-10"), ("calendar", "show", "2026-10"))
    )
    assert short.returncode == 0 and short.stdout == full.stdout and "10" in short.stdout


@pytest.mark.parametrize(
    "args, name",
    [
        (["daily", "--json"], "daily"),
        (["--db", "x.db", "--lang", "zh", "show", "2026-0001"], "show"),
        (["--db=x.db", "--lang=en", "dept", "add", "市场监管局"], "dept"),
        (["2026-0001"], "2026-0001"),
        (["--db", "a.db", "--db", "b.db", "daily"], "daily"),
        (["--db", "list", "daily"], "daily"),
        (["--db", "--lang", "daily"], "daily"),
        (["daily", "--lang", "zh"], "daily"),
        (["--db"], None),
        (["--", "daily"], None),
        (["-h"], "-h"),
        (["--help"], None),
        (["--lang", "zh"], None),
        (["--dbx", "x.db", "daily"], None),
        ([], None),
    ],
)
def test_the_command_a_run_names_is_found_past_the_ledger_s_own_options(args, name):
    from ledger.cli import _command_named

    assert _command_named(args) == name


def test_a_command_named_is_made_alone_and_anything_else_gets_the_whole_tree():
    from ledger.cli import _tree_for

    whole = set(typer.main.get_command(app).commands)
    assert set(typer.main.get_command(_tree_for("daily")).commands) == {"daily"}
    assert set(typer.main.get_command(_tree_for("calendar")).commands) == {"calendar"}
    for name in ("2026-0001", "dail", None):
        assert set(typer.main.get_command(_tree_for(name)).commands) == whole
    assert set(typer.main.get_command(app).commands) == whole  # the tree itself untouched


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_command_made_alone_says_what_it_says_in_the_whole_tree(lang, ledger_file):
    """Help, and the usage errors Click words, are the same whether Typer made the command
    alone (a real run) or with the whole tree (the tests' runner)."""
    from typer.testing import CliRunner

    from ledger.cli import _tree_for

    runner = CliRunner()
    for path in COMMANDS[1:]:
        for tail in (["--help"], ["--no-such-option"]):
            args = ["--lang", lang, *path, *tail]
            whole = runner.invoke(app, args, env={"COLUMNS": "80"})
            alone = runner.invoke(_tree_for(path[0]), args, env={"COLUMNS": "80"})
            assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output), args


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_an_option_valued_with_a_command_s_name_says_what_the_whole_tree_says(lang):
    """`city --week daily`: a run's tree holds its one command, but whether the last word
    names a command is asked of the whole tree (it decides the words of the error)."""
    from typer.testing import CliRunner

    args = ["--lang", lang, "city", "--week", "daily"]
    whole = CliRunner().invoke(app, args, env={"COLUMNS": "80"})
    run_alone = _ledger(lang, *args)
    assert run_alone.returncode == whole.exit_code == 2
    assert run_alone.stderr.strip() == whole.output.strip()


def test_city_offers_the_period_options_in_weeklys_order():
    """`city` takes the period options of `weekly` (SPEC §13); its help lists them alike."""
    commands = dict(_tree())

    def options(path: tuple[str, ...]) -> list[str]:
        return [p.name for p in commands[path].params if p.param_type_name == "option"]

    assert options(("city",)) == options(("weekly",))


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "ledger")
def test_no_word_is_left_alone_on_a_line_of_chinese_help(path):
    """At 80 columns Rich wraps a run of Chinese only at a space: `weekly --help` put the key
    avg_working_days_to_resolve on a line by itself, its meaning on the next."""
    for line in _help("zh", path).stdout.splitlines():
        text = line.strip(" │")
        assert not re.fullmatch(r"[a-z_]{6,}", text), (path, line)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_help_on_a_narrow_terminal_folds_rather_than_cuts(lang):
    """At 60 columns the Chinese help cut 31 lines with "…" (`问题类型：not-accepted=未能…`,
    `单次延期最多工作 …`): Rich cut a run it could not wrap at a space. Every command's help
    is whole there, each line within the width."""
    cut = []
    for path in COMMANDS:
        result = _help(lang, path, columns=60)
        assert result.returncode == 0, (path, result.stderr)
        cut += [(path, line) for line in result.stdout.splitlines() if "…" in line]
        assert max(map(len, result.stdout.splitlines())) <= 60, path
    assert cut == []


@pytest.mark.parametrize(
    ("lang", "args", "said"),
    [
        ("zh", ("daily", "--lang", "en"), "没有选项 --lang：--lang 要写在命令之前（ledger --lang … daily）"),  # noqa: E501
        ("en", ("overdue", "--db", "x.db"), "--db goes before the command (ledger --db … overdue)"),
        ("en", ("calendar", "show", "--lang=zh"), "(ledger --lang … calendar show)"),
    ],
)  # fmt: skip
def test_a_global_option_after_the_command_says_where_it_goes(lang, args, said):
    """`ledger daily --lang zh` was told only that the option does not exist."""
    result = _ledger(lang, *args)
    assert result.returncode == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert said in line


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "ledger")
def test_h_is_help_for_every_command(path):
    """`-h` is what a clerk who has used another command line types first: it answered
    "No such option" (`calendar -h` even took it for a month)."""
    short = _ledger("zh", *path, "-h")
    assert (short.returncode, short.stderr) == (0, "")
    assert short.stdout == _help("zh", path).stdout


def test_h_as_an_option_s_value_is_the_value(run):
    """As with `--help`, a `-h` where a value is due is that value, not a call for help."""
    result = run("add", "--applicant", "-h", "--matter", "营业执照", "--at", "2026-10-12 09:00")
    assert result.exit_code == 0
    assert run("show", "2026-0001", "--json").json()["applicant"] == "-h"
