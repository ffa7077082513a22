"""Errors the clerk can cause: each carries a message key of the catalogue and an exit code.

The store turns sqlite3's errors into these; the CLI prints the message on one line and exits.
"""

from __future__ import annotations

from ledger.i18n import system_said, t

# message fields the ledger composes itself (lists of choices, another message): shown whole
COMPOSED = {
    "detail",
    "choices",
    "suggest",
    "allowed",
    "names",
    "fields",
    "columns",
    "years",
    "dates",
}

# the fields of a message that quote what the clerk typed (a value, a department's name, a
# setting's key): cut at 60 characters, as every refusal says (a path keeps 160)
TYPED = ("value", "name", "key")


class LedgerError(Exception):
    exit_code = 1

    def __init__(self, message_key: str, /, **fields: object) -> None:
        super().__init__(message_key)
        self.key = message_key
        self.fields = fields

    def message(self, lang: str | None = None) -> str:
        """One line in the interface language; a value quoted from the clerk or a file is
        shown printable and, when long, cut (at 60 characters for what the clerk typed:
        `TYPED`); what SQLite or the system said (`detail`) in the interface language."""
        from ledger.text import one_line, quoted

        fields = {
            name: v if name in COMPOSED else quoted(v, 60 if name in TYPED else 160)
            for name, v in self.fields.items()
        }
        if isinstance(fields.get("detail"), str):  # SQLite's or the system's own words
            fields["detail"] = system_said(fields["detail"], lang)
        return one_line(t(self.key, lang, **fields))

    def __str__(self) -> str:
        return self.message("en")


class BadInput(LedgerError):
    """A value on the command line or in a file that the ledger cannot take."""


class BadCommandLine(BadInput):
    """A value of the command line's own options (`--lang fr`): exit code 2, as for any
    command line that cannot be read (SPEC §9)."""

    exit_code = 2


class NotFound(LedgerError):
    """A case or department that is not in the ledger."""


class MoveRefused(LedgerError):
    """A move the case's status does not allow, or a time out of the timeline's order."""


class LedgerFileRefused(LedgerError):
    """A file that is newer, foreign, damaged or unwritable; it is left as it was."""


class ImportRefused(LedgerError):
    """A CSV file with bad rows; `problems` holds (line, reason) pairs."""

    def __init__(
        self, message_key: str, /, problems: list[tuple[int, str]] | None = None, **fields
    ) -> None:
        super().__init__(message_key, **fields)
        self.problems = problems or []
