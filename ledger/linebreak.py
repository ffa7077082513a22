"""Where a line of the clerk's text may break, in a table cell or in help (Rich's wrapping).

Rich breaks a line at a space, and a run without one (all of a Chinese sentence) wherever the
width runs out: `。` or `）` alone at the start of a line, `（` at the end of one, and a code or
a date cut in two (`ma` / `rket=市场准入`, `2026-10-` / `19`). Chinese typesetting has rules
for the first (禁则: a closing sign never begins a line, an opening one never ends one), and a
code the clerk types is one word. Rich has no hook for either, so its one function that
chooses the breaks is wrapped here: each break it chooses is moved back, when it can be, to
the nearest place these rules allow, and the rest of the text is wrapped again from there
(a line only ever gets shorter, never wider than the cell).
"""

from __future__ import annotations

from collections.abc import Callable

# signs that may not begin a line, and those that may not end one
_NO_LINE_START = frozenset("。，、．.,：:；;！!？?）)」』】》〕〉”’…—～%％·」")
_NO_LINE_END = frozenset("（(「『【《〔〈“‘")


def _in_word(char: str) -> bool:
    """A character of a code, an id, a number or a date: ASCII letters, digits and the signs
    that join them (`agri-water`, `2026-10-19`, `utf-8-sig`, `12:30`)."""
    return char.isascii() and (char.isalnum() or char in "-_./:=+@#%")


def allowed(text: str, start: int, at: int) -> int:
    """The break at `at` (a line begun at `start`) moved back to the nearest place that cuts
    no code and breaks no rule of signs; else to one that cuts no code (a code is worth more
    than a sign's place); else left where it is (a run longer than the line is folded)."""

    def whole(q: int) -> bool:
        return not (_in_word(text[q - 1]) and _in_word(text[q]))

    def polite(q: int) -> bool:  # (the spaces at a break are not shown: the signs beside are)
        ends = text[start:q].rstrip()
        begins = text[q:].lstrip()
        return not ((begins and begins[0] in _NO_LINE_START) or (ends and ends[-1] in _NO_LINE_END))

    candidates = range(at, start, -1)
    return next(
        (q for q in candidates if whole(q) and polite(q)),
        next((q for q in candidates if whole(q)), at),
    )


def _wrapping(divide_line: Callable[..., list[int]]) -> Callable[..., list[int]]:
    def divide(text: str, width: int, fold: bool = True) -> list[int]:
        if not fold:
            return divide_line(text, width, fold)
        breaks: list[int] = []
        start = 0
        while start < len(text):
            rest = divide_line(text[start:], width, fold)
            if not rest:
                break
            at = start + rest[0]
            if at >= len(text):
                break
            at = allowed(text, start, at)
            breaks.append(at)
            start = at
        return breaks

    divide.follows_the_rules = True  # type: ignore[attr-defined]
    return divide


def install() -> None:
    """Rich's line breaking, following the rules above, from now on in this process."""
    import rich.text

    if not getattr(rich.text.divide_line, "follows_the_rules", False):
        rich.text.divide_line = _wrapping(rich.text.divide_line)
