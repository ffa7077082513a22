"""Regular expressions compiled the first time they are used.

A command uses a few of the ledger's patterns (a sheet reads no phone number typed into a
cause, parses no book's yearless date); compiled at import, all of them were some 15 ms of
every command's start, a tenth of Python's own with its libraries.
"""

from __future__ import annotations

import re
from typing import Any, cast

_METHODS = (
    "pattern", "flags", "groups", "groupindex", "search", "match", "fullmatch", "sub", "subn",
    "split", "findall", "finditer",
)  # fmt: skip


class _Later:
    def __init__(self, source: str, flags: int) -> None:
        self._source = source
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # the first use compiles; the pattern's methods then stand on this object itself,
        # so that later calls cost what a compiled pattern's do (two threads meeting the
        # first use compile it twice, alike)
        compiled = re.compile(self._source, self._flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


def later(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, done when the pattern is first used."""
    return cast(re.Pattern[str], _Later(source, flags))
