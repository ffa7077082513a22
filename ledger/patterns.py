"""Regular expressions compiled the first time they are used.

A command uses a few of the ledger's patterns (a sheet with no digit in its text masks no phone
number in it, parses no book's yearless date); compiled at import, all of them were some 15 ms
of every command's start, a tenth of Python's own with its libraries. A pattern is checked
when it is written, not when first used: `tests/test_store.py` compiles every one.
"""

from __future__ import annotations

import re
from typing import Any, cast

# what a compiled pattern offers, set on the stand-in once it is compiled
_FORWARDED = (
    "pattern", "flags", "groups", "groupindex", "search", "match", "fullmatch", "sub", "subn",
    "split", "findall", "finditer",
)  # fmt: skip


class _LazyPattern:
    def __init__(self, source: str, flags: int) -> None:
        self._source = source
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # (copy and pickle ask before `_source` exists)
            raise AttributeError(name)
        # the first use compiles; the pattern's own methods then stand on this object, so
        # later calls cost what a compiled pattern's do (two threads meeting the first use
        # compile it twice, alike)
        compiled = self.compiled()
        for forwarded in _FORWARDED:
            setattr(self, forwarded, getattr(compiled, forwarded))
        return getattr(compiled, name)

    def compiled(self) -> re.Pattern[str]:
        return re.compile(self._source, self._flags)

    def __reduce__(self) -> tuple:
        return (_LazyPattern, (self._source, self._flags))

    def __repr__(self) -> str:
        return f"lazy_pattern({self._source!r}, {self._flags!r})"


def lazy_pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, done when the pattern is first used. (Its methods and
    attributes are a pattern's; it is no `re.Pattern` to `isinstance` or to `re.sub`.)"""
    return cast(re.Pattern[str], _LazyPattern(source, flags))
