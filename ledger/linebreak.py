"""Where a line of the clerk's text may break, in a table cell or in help (Rich's wrapping).

Rich breaks a line at a space, and a run without one (all of a Chinese sentence) wherever the
width runs out: `。` or `）` alone at the start of a line, `（` at the end of one, and a code or
a date cut in two (`ma` / `rket=市场准入`, `2026-10-` / `19`). Chinese typesetting has rules
for the first (禁则: a closing sign never begins a line, an opening one never ends one), and a
code the clerk types is one word. Rich has no hook for either, so its one function that
chooses the breaks is replaced here by one that fills each line as far as it goes and moves
the break back to the nearest place these rules allow: a space, or where two Chinese
characters meet with no sign to keep together (a word of letters goes down whole, as Rich
sends it, and is folded only when it is longer than a line). It reads the text once: Rich's
own, asked again for each line, made a matter of 20,000 characters take minutes to list.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ledger.patterns import lazy_pattern

# signs that may not begin a line, and those that may not end one
_NO_LINE_START = frozenset("。，、．.,：:；;！!？?）)」』】》〕〉”’…—～%％·")
_NO_LINE_END = frozenset("（(「『【《〔〈“‘")


def _in_word(char: str) -> bool:
    """A character of a code, an id, a number or a date: ASCII letters, digits and the signs
    that join them (`agri-water`, `2026-10-19`, `utf-8-sig`, `12:30`, `$LEDGER_LANG`), and
    the stars of a masked number (`137****1111`: cut there, it reads as another mask)."""
    return char.isascii() and (char.isalnum() or char in "-_./:=+@#%$*")


# what reads as one word though Chinese has no space to show it: a short mark in brackets
# (`(今日已转出)`, `--contact（联系电话）`, `[协办：农水事务]`) and a code with its label
# (`online=网上`, `max_extension_days=单次延期最多工作日数`): cut, `(今日已转` / `出)` and
# `online=网` / `上` read as two things
_OPENING = "（([【「《〔〈"
_CLOSING = "）)]】」》〕〉"
_BRACKETS = re.escape(_OPENING + _CLOSING)
_TOGETHER = lazy_pattern(
    # (with the option or code it names, written against it: `--contact（联系电话）`; each
    # tried only where a word begins, never again inside one: a run of 20,000 letters with
    # a `=` after it made the search quadratic, seconds to show a case)
    f"(?<![A-Za-z0-9_$-])(?:[A-Za-z0-9_$-]*[A-Za-z0-9_$])?"
    f"[{re.escape(_OPENING)}][^\\s{_BRACKETS}]{{1,16}}[{re.escape(_CLOSING)}]"
    f"|(?<![A-Za-z0-9_$.-])[A-Za-z0-9_$][A-Za-z0-9_.-]*="
    f'(?:"(?=\\S)[^"\\n]{{1,16}}(?<=\\S)"|[^\\s,，、;；。:：{_BRACKETS}]+)'
    # a short value in quotes, as it is typed at the prompt: `--at "昨天 15:00"` (a quote
    # after a letter or a digit opens nothing: `5" 与 7"` are inches)
    '|(?<![A-Za-z0-9])"(?=\\S)[^"\\n]{1,16}(?<=\\S)"'
    # a word on either side of a change's arrow: `已受理 → 已分类` (`show` said `已` / `分类`)
    "|[\u4e00-\u9fff]{1,8}(?= →)|(?<=→ )[\u4e00-\u9fff]{1,8}"
)


def kept_together(text: str, width: int, cell_size: Callable[[str], int]) -> bytearray:
    """For each offset of `text`, 1 where a break would cut one of the units above that
    fits a line of `width` cells (one longer than a line is folded as any run is)."""
    inside = bytearray(len(text) + 1)
    if not any(c in text for c in '="（([【「《〔〈→'):
        return inside
    for found in _TOGETHER.finditer(text):
        a, b = found.span()
        # (a character is at most two cells: most units need no measuring)
        if 2 * (b - a) <= width or sum(cell_size(c) for c in text[a:b]) <= width:
            inside[a + 1 : b] = b"\x01" * (b - a - 1)
            continue
        # a code with a label too long for a line together: each goes down whole, the break
        # after the sign (`max_extension_days=` / `单次延期最多工作日数`), not inside the label
        sign = text.find("=", a, b)
        if text[a] != '"' and sign > a and sum(cell_size(c) for c in text[sign + 1 : b]) <= width:
            inside[a + 1 : b] = b"\x01" * (b - a - 1)
            inside[sign + 1] = 0
    return inside


def _whole(text: str, q: int, inside: bytearray | None) -> bool:
    """A break at `q` cuts no code and no unit kept together."""
    if inside is not None and inside[q]:
        return False
    return not (_in_word(text[q - 1]) and _in_word(text[q]))


def _polite(text: str, start: int, q: int) -> bool:
    """A break at `q` (a line begun at `start`) begins no line with a closing sign and ends
    none with an opening one. The spaces at a break are not shown, so the signs beside them
    are what count."""
    after = q
    while after < len(text) and text[after].isspace():
        after += 1
    before = q - 1
    while before >= start and text[before].isspace():
        before -= 1
    begins_rudely = after < len(text) and text[after] in _NO_LINE_START
    return before >= start and not begins_rudely and text[before] not in _NO_LINE_END


def allowed(text: str, start: int, at: int, inside: bytearray | None = None) -> int:
    """The break at `at` (a line begun at `start`) moved back to the nearest place that cuts
    no code and breaks no rule of signs; else to one that cuts no code (a code is worth more
    than a sign's place); else left where it is (a run longer than the line is folded).
    `inside`: where a break would cut a unit kept together (`kept_together`)."""
    candidates = range(at, start, -1)
    return next(
        (q for q in candidates if _whole(text, q, inside) and _polite(text, start, q)),
        next((q for q in candidates if _whole(text, q, inside)), at),
    )


def _no_lone_character(
    text: str, breaks: list[int], width: int, inside: bytearray, cell_size: Callable[[str], int]
) -> None:
    """A last line of one Chinese character (with the signs after it) takes one more from
    the line before, as Chinese typesetting avoids a lone character ending a paragraph
    (help said `…有评价的反` / `馈`, the sheet `…尾款拨` / `付`): two characters read as
    the end of a word, one as a slip. Left as it is where the move would break a rule."""
    last = breaks[-1]
    alone = text[last:].strip().rstrip("".join(_NO_LINE_START))
    if len(alone) != 1 or cell_size(alone) != 2:
        return
    start = breaks[-2] if len(breaks) > 1 else 0
    q = last - 1
    while q > start and text[q].isspace():  # (the spaces at a break are not shown)
        q -= 1
    fits = sum(cell_size(c) for c in text[q:].strip()) <= width
    if q - start >= 2 and fits and _whole(text, q, inside) and _polite(text, start, q):
        breaks[-1] = q


def divide(text: str, width: int, cell_size: Callable[[str], int]) -> list[int]:
    """The offsets to break `text` at for lines of `width` cells: each line filled as Rich
    fills it, its break then moved to where the rules allow."""
    breaks: list[int] = []
    start, end = 0, len(text)
    inside = kept_together(text, width, cell_size)
    while start < end:
        used, at = 0, None
        for index in range(start, end):
            char = text[index]
            used += cell_size(char)
            if used > width and not char.isspace():
                # the furthest the line can go: `allowed` takes it back to a space, or to
                # where two Chinese characters meet (a code or a word of letters goes down
                # whole, and is folded only when it is longer than a line)
                at = max(index, start + 1)
                break
        if at is None or at >= end:
            break
        at = allowed(text, start, at, inside)
        breaks.append(at)
        start = at
    if breaks:
        _no_lone_character(text, breaks, width, inside, cell_size)
    return breaks


def _wrapping(divide_line: Callable[..., list[int]]) -> Callable[..., list[int]]:
    from rich.cells import cell_len, get_character_cell_size

    def divide_following_the_rules(text: str, width: int, fold: bool = True) -> list[int]:
        if not fold or width < 1:
            return divide_line(text, width, fold)
        breaks = divide(text, width, get_character_cell_size)
        # a line measured otherwise than Rich measures it (a character joined to the next:
        # an emoji sequence) is never made wider than the cell: Rich's own breaks then
        lines = zip([0, *breaks], [*breaks, len(text)], strict=True)
        if any(cell_len(text[a:b].rstrip()) > width for a, b in lines):
            return divide_line(text, width, fold)
        return breaks

    divide_following_the_rules.follows_the_rules = True  # type: ignore[attr-defined]
    return divide_following_the_rules


def install() -> None:
    """Rich's line breaking, following the rules above, from now on in this process."""
    import rich.text

    if not getattr(rich.text.divide_line, "follows_the_rules", False):
        rich.text.divide_line = _wrapping(rich.text.divide_line)
