"""The command line's own words in the interface language (SPEC §10).

Typer builds the commands from the code once per run, before the language is known; here,
once it is, every command's help and every option's is replaced by the catalogue's words, code
options list their values, and Click's and Typer's own words (usage errors, help headings) are
looked up in the catalogue too. Nothing here imports Rich unless help is being shown.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from ledger import i18n
from ledger.i18n import label, t
from ledger.patterns import lazy_pattern

# an option of this name takes the codes of this word (SPEC §2)
VALUE_WORDS = {
    "problem": "problem",
    "channel": "channel",
    "limit": "limit",
    "section": "section",
    "scope": "scope",
    "via": "via",
    "satisfaction": "satisfaction",
    "status": "status",
    "kind": "kind",
}
# Typer carries its own copy of Click (typer._click); either may be the one in use
CLICK_MODULES = tuple(
    f"{package}.{module}"
    for package in ("click", "typer._click")
    for module in ("core", "exceptions", "parser", "types", "formatting", "decorators", "termui")
) + ("typer.core",)


def localize(root: Any, asks_help: bool) -> None:
    """Put the catalogue's words on Click's own messages and, when help is to be shown, on
    the command tree `root` (the tree's words are read by help alone: a command that runs
    does not pay for them)."""
    _speak(i18n.language())
    if asks_help:
        _spare_help_imports()
        _walk(root, [])
        _headings()


# Typer's help formatter imports these at its top for Markdown help and pretty tracebacks,
# neither of which the ledger's help uses (markup mode "rich"; no traceback reaches the
# clerk): markdown-it and Pygments are ~100 ms, a third of `ledger --help`. A stand-in
# loads the real module the first time anything asks it for something.
_HELP_SPARES = (("rich.markdown", "Markdown"), ("rich.traceback", "Traceback"))


def _spare_help_imports() -> None:
    for name, attribute in _HELP_SPARES:
        if name not in sys.modules:
            sys.modules[name] = _stand_in(name, attribute)


def _stand_in(name: str, attribute: str) -> Any:
    import importlib
    import types

    module = types.ModuleType(name)

    def real() -> Any:
        if sys.modules.get(name) is module:
            del sys.modules[name]
        return getattr(importlib.import_module(name), attribute)

    class Later:
        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            return real()(*args, **kwargs)

        @classmethod
        def from_exception(cls, *args: Any, **kwargs: Any) -> Any:
            return real().from_exception(*args, **kwargs)

    Later.__name__ = Later.__qualname__ = attribute
    setattr(module, attribute, Later)
    return module


def _walk(command: Any, path: list[str]) -> None:
    key = "help." + (".".join(path) or "ledger")
    text = _lookup(key)
    if text is not None:
        if "{fields}" in text:
            text = text.replace("{fields}", _editable_fields())
        command.help = _literal(text)
        command.short_help = None
    where = ".".join(path)
    for param in command.params:
        text = _lookup(f"opt.{where}.{param.name}") or _lookup(f"opt.{param.name}")
        if text is None:
            continue
        if "{values}" in text:
            text = text.replace("{values}", _values(param.name, path))
        param.help = _literal(text)
    for param in command.params:
        _name_its_value(param)
    command.options_metavar = t("help.options_metavar")
    if hasattr(command, "subcommand_metavar"):
        command.subcommand_metavar = t("help.subcommand_metavar")
    help_option = command.get_help_option(_Names())
    if help_option is not None:
        help_option.help = _literal(t("opt.help"))
    for name, sub in getattr(command, "commands", {}).items():
        _walk(sub, [*path, name])


# an option whose value is one of the codes of SPEC §2, or of a short list of its own
CODE_OPTIONS = (*VALUE_WORDS, "lang", "encoding")


def _name_its_value(param: Any) -> None:
    """What a parameter's value is, in the interface language (`--at 时间`, `案件编号`), in
    place of Click's type names (`<str>`, `<path>`), which say nothing to a clerk."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return
    if param.name in CODE_OPTIONS:
        word = t("metavar.code")
    elif _lookup(f"metavar.{param.name}") is not None:
        word = t(f"metavar.{param.name}")
    else:
        # (an output is checked as typed by a function of the CLI's, which names a file)
        names_a_file = type(param.type).__name__.endswith("Path") or getattr(
            getattr(param.type, "func", None), "names_a_file", False
        )
        word = t("metavar.file" if names_a_file else "metavar.text")
    # an argument taking several values says so, as Click's own metavar did (`{数据包}...`)
    param.metavar = word + ("..." if getattr(param, "nargs", 1) != 1 else "")
    if param.param_type_name == "argument":  # its name column says it: no type column
        import copy

        quiet = copy.copy(param.type)
        quiet.get_metavar = lambda *args, **kwargs: ""
        param.type = quiet


def argument_word(name: str) -> str:
    """An argument's name as a usage error names it: the word its help shows."""
    bare = name.strip("'\"")
    word = _lookup(f"metavar.{bare.lower()}")
    return f"'{word}'" if word is not None else name


# `-h` too: what a clerk who has used any other command line types first
HELP_OPTION_NAMES = ("-h", "--help")


class _Names:
    """All that a command asks of a context to make its help option (made once, kept)."""

    help_option_names = HELP_OPTION_NAMES


_NOTE_OF_LABEL = lazy_pattern(r"（[^）]*）$")  # 按时办结率警戒线（0~1） → its name


def _lookup(key: str) -> str | None:
    return i18n.CATALOGUE[i18n.language()].get(key)


def _literal(text: str) -> str:
    # Typer reads help as Rich markup; a bracket in our own words is a bracket
    return text.replace("[", "\\[")


def _values(name: str, path: list[str]) -> str:
    # a space after each value's separator, in Chinese too: Rich cannot wrap a run without
    # spaces, and crops it (one value to a line put [必填] and the default beside the first)
    sep = t("help.value_sep")
    if name == "encoding":
        return t("values.encoding.import" if path == ["import"] else "values.encoding.export")
    if name == "key":
        from ledger.store import SETTINGS_DEFAULTS

        if i18n.language() == "en":  # the English labels are sentences: the keys alone
            return sep.join(SETTINGS_DEFAULTS)
        return sep.join(
            t("help.value", code=key, label=_NOTE_OF_LABEL.sub("", t(f"settings.{key}")))
            for key in SETTINGS_DEFAULTS
        )
    from ledger.words import WORDS

    word = VALUE_WORDS[name]
    return sep.join(t("help.value", code=code, label=label(word, code)) for code in WORDS[word])


def _editable_fields() -> str:
    """Every field `edit` corrects, then the values of each that holds codes (SPEC §10: the
    allowed values of every code option), a paragraph each."""
    from ledger.case import EDITABLE
    from ledger.words import WORDS

    fields = t("help.field_sep").join(
        t("help.field", flag="--" + name.replace("_", "-"), label=t(f"field.{name}"))
        for name, spec in EDITABLE.items()
    )
    sep = t("help.value_sep")
    values = [
        t(
            "help.field_values",
            flag="--" + name.replace("_", "-"),
            values=sep.join(
                t("help.value", code=code, label=label(spec.word, code))
                for code in WORDS[spec.word]
            ),
        )
        for name, spec in EDITABLE.items()
        if spec.word is not None
    ]
    return "\n\n".join([fields, *values])


def _speak(lang: str) -> None:
    """Click and Typer bind gettext's functions when imported; in a Chinese run their
    templates are looked up in the catalogue (the fields in them are kept)."""
    table = i18n.CLICK_ZH if lang == "zh" else {}

    def gettext(message: str) -> str:
        return table.get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    for name in CLICK_MODULES:
        module = sys.modules.get(name)
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


def _folding_table() -> type:
    from rich.table import Table

    class FoldingTable(Table):
        """Typer's help panels, whose cells fold a run too long for the line onto the
        next: Chinese has no space to wrap at, and Rich's default cut it with "…" — at 60
        columns `问题类型：not-accepted=未能…` hid the value it names."""

        def add_column(self, *args: Any, **options: Any) -> None:
            options.setdefault("overflow", "fold")
            super().add_column(*args, **options)

        def add_row(self, *cells: Any, **options: Any) -> None:
            while len(self.columns) < len(cells):  # Rich would make them, cutting
                self.add_column()
            super().add_row(*cells, **options)

    return FoldingTable


def _headings() -> None:
    """The headings of Typer's help panels are read when it is imported, and the copy of
    Click inside Typer writes "Usage: " as it is: both are set to the run's language."""
    import typer.rich_utils as panels
    from typer._click import formatting

    table = i18n.CLICK_ZH if i18n.language() == "zh" else {}
    for name, english in (
        ("ARGUMENTS_PANEL_TITLE", "Arguments"),
        ("OPTIONS_PANEL_TITLE", "Options"),
        ("COMMANDS_PANEL_TITLE", "Commands"),
        ("ERRORS_PANEL_TITLE", "Error"),
        ("ABORTED_TEXT", "Aborted."),
        ("DEFAULT_STRING", "[default: {}]"),
        ("REQUIRED_LONG_STRING", "[required]"),
    ):
        setattr(panels, name, table.get(english, english))
    panels._ = lambda message: table.get(message, message)
    import rich.columns

    from ledger import linebreak

    linebreak.install()
    # (an option's help is a `Columns` of its paragraphs, laid out by a table of its own)
    panels.Table = rich.columns.Table = _folding_table()
    writer = formatting.HelpFormatter
    if not getattr(writer.write_usage, "in_language", False):
        english_usage = writer.write_usage

        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            english_usage(self, prog, args, t("help.usage") if prefix is None else prefix)

        write_usage.in_language = True
        writer.write_usage = write_usage


# The copy of Click inside Typer writes its usage errors as fixed English sentences: each is
# matched here and said again from the catalogue; one no pattern knows is not shown in
# English to a Chinese clerk, only pointed at --help (SPEC §10: one language per run)
GLOBAL_OPTIONS = ("--db", "--lang")  # the ledger's own, given before the command
_USAGE = (
    (
        r"No such option: (?P<name>\S+)(?: \(Possible options: (?P<choices>.*)\))?",
        "usage.no_option",
    ),
    (r"Missing (?P<kind>argument|option|parameter) (?P<name>.+?)\.(?: .*)?", "usage.missing"),
    (
        r"Option (?P<name>'[^']*') requires (?:an argument|(?P<n>\d+) arguments)\.",
        "usage.needs_value",
    ),
    (r"Option (?P<name>'[^']*') does not take a value\.", "usage.takes_no_value"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)", "usage.extra"),
    # Typer adds its guess after Click's sentence, in English: "…'dialy'。. Did you mean…?"
    (
        r"(?:No such command|没有命令) (?P<name>'[^']*')[.。]*"
        r" Did you mean (?P<names>.*)\?",
        "usage.no_command_guess",
    ),
    (r"No such command (?P<name>'.*')\.", "usage.no_command"),
    (r"没有命令 (?P<name>'.*')。", "usage.no_command"),
    (r"Missing command\.", "usage.no_subcommand"),
    (r"缺少命令。", "usage.no_subcommand"),
    (
        r"Invalid value for (?P<name>.+?): (?P<value>'.*') is not a valid (?:integer|float)\.",
        "usage.not_number",
    ),
    (
        r"Invalid value for (?P<name>.+?): (?P<value>'.*') is not one of (?P<choices>.*)\.",
        "usage.not_choice",
    ),
    (
        r"Invalid value for (?P<name>.+?): (?:File|Path|Directory) (?P<value>'.*') "
        r"does not exist\.",
        "usage.no_file",
    ),
)


def usage_message(detail: str, command: str = "ledger") -> str:
    """A usage error of Click's, as one line in the interface language; `command` is the
    group or command it was met in (`ledger calendar`), whose help lists what it takes."""
    for pattern, key in _USAGE:
        found = re.fullmatch(pattern, detail.strip(), flags=re.DOTALL)
        if found:
            fields = {"command": command, **{k: v or "" for k, v in found.groupdict().items()}}
            if "kind" in fields:
                if fields["kind"] == "argument":
                    fields["name"] = argument_word(fields["name"])
                fields["kind"] = t(f"usage.kind_{fields['kind']}")
            if key == "usage.no_option" and fields.get("choices"):
                fields["choices"] = t("usage.choices", choices=fields["choices"])
            if key == "usage.no_option" and fields["name"].split("=")[0] in GLOBAL_OPTIONS:
                # `ledger daily --lang zh`: the ledger's own options come before the command
                name, sub = fields["name"].split("=")[0], command.removeprefix("ledger").strip()
                fields["choices"] = t("usage.global_first", name=name, command=sub or "daily")
            return t("err.usage", detail=t(key, **fields))
    if i18n.language() == "en":
        return t("err.usage", detail=detail)
    return t("err.usage", detail=t("usage.other"))
