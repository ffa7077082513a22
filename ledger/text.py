"""Text from the clerk or a file is data: the one check at every door, and the one way out.

At the door (commands and import alike) a value with a control character is refused (SPEC §5):
a newline only where prose is kept (causes, methods, outcomes, notes and reasons). On the way
out, whatever is stored — a ledger written by an older version may hold anything — is made
printable, so that no output ever carries a terminal control sequence.
"""

from __future__ import annotations

from pathlib import Path

from ledger.errors import BadInput
from ledger.i18n import t
from ledger.patterns import lazy_pattern

# invisible characters that reorder or break what the reader sees (Trojan Source), beside Cc
_INVISIBLE = {
    *range(0x202A, 0x202F),  # bidi embeddings and overrides
    *range(0x2066, 0x206A),  # bidi isolates
    0x2028,  # line separator
    0x2029,  # paragraph separator
}
# marks that show nothing and mean nothing in a name or a matter — Unicode's "default
# ignorable" characters: the zero-width space, word joiner, the direction marks (U+200E/F,
# U+061C), a byte-order mark pasted from a web page or a chat, the soft hyphen, the Hangul
# fillers (a department named U+3164 looked empty on every list), tag characters (text hidden
# from the reader), and the format characters that show nothing (U+FFF9–U+FFFB) — are taken
# out as spaces at the ends are: 张<U+200B>三 is 张三, found by a search and seen as a repeat
# applicant. Those that mean something stay: the zero-width joiner and non-joiner (emoji and
# some scripts need them), the variation selectors (an emoji's or a rare 汉字's form) and
# Mongolian's; the bidi embeddings and isolates are refused (`_INVISIBLE`).
UNSEEN = lazy_pattern(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200e\u200f\u2060-\u2065"
    "\u206a-\u206f\u3164\ufeff\uffa0\ufff0-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e00ff\U000e01f0-\U000e0fff]"
)
_NEWLINES = lazy_pattern(r"\r\n?")
_ONE_LINE_AT_MOST = 60  # characters of a bad value quoted in a one-line message


def _bad_char(char: str, multiline: bool) -> bool:
    code = ord(char)
    if char == "\n":
        return not multiline
    return (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or code in _INVISIBLE
        or 0xD800 <= code <= 0xDFFF  # bytes that were not UTF-8, kept by Python as surrogates
        or code in (0xFFFE, 0xFFFF)  # not characters: XML (a workbook) cannot carry them
    )


# the same characters `_bad_char` names, found in one pass (an import checks every cell)
_BAD_IN_LINE = lazy_pattern(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
_UNPRINTABLE = (
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
UNPRINTABLE = lazy_pattern(_UNPRINTABLE)


def without_marks(value: str) -> str:
    """`value` with the marks that show nothing taken out (for a code, a date, an id or a
    department's name typed with one: it is read as the clerk sees it)."""
    return UNSEEN.sub("", value) if UNSEEN.search(value) else value


# a space between two Chinese characters or signs (市场 准入): typed by mistake; full-width
# letters and digits are words like ASCII ones (`ＴＡＸ ＢＵＲＥＡＵ` keeps its space)
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uffef"
_SPACE_IN_CJK = lazy_pattern(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")


def department_spelling(name: str) -> str:
    """A department's name as the ledger keeps it: trimmed, no space between two Chinese
    characters, one space between other words (`市场 准入` is `市场准入`, `Tax  Bureau` is
    `Tax Bureau`)."""
    name = name.strip()
    if not any(c.isspace() for c in name):
        return name
    return " ".join(_SPACE_IN_CJK.sub("", name).split())


def department_key(name: str) -> str:
    """What two names of one department share (SPEC §7: a typo never makes a new one): no
    space at all, no mark that shows nothing, letters in one case, full-width forms as the
    ASCII ones (NFKC: what a Chinese input method in full-width mode types) — `市场 准入`,
    `tax bureau`, `TaxBureau` and `ＴＡＸ　ＢＵＲＥＡＵ` name 市场准入 and Tax Bureau, and
    `数据局７科` names 数据局7科."""
    import unicodedata

    folded = unicodedata.normalize("NFKC", without_marks(name)).casefold()
    return "".join(unicodedata.normalize("NFKC", folded).split())


_FULL_WIDTH = lazy_pattern("[\uff01-\uff5e\u3000]")


def ascii_forms(value: str) -> str:
    """Full-width digits, letters and signs as the ASCII ones (a Chinese input method in
    full-width mode types ２０２６－１０－１４, ９０％, ０．９), and the ideographic space as a
    space; no other form of a digit is one (a superscript, a circled one)."""
    return _FULL_WIDTH.sub(
        lambda found: " " if found[0] == "\u3000" else chr(ord(found[0]) - 0xFEE0), value
    )


def clean(value: str | None, what: str, *, multiline: bool = False, required: bool = True):
    """The text as stored: trimmed, unseen marks taken out, line ends as `\\n` where
    allowed, no control character.
    `what` is the catalogue key of the field's name, for the message."""
    text = value or ""
    if UNSEEN.search(text):
        text = UNSEEN.sub("", text)
    text = text.strip()
    if multiline:
        text = _NEWLINES.sub("\n", text)
    found = (UNPRINTABLE if multiline else _BAD_IN_LINE).search(text)
    if found:
        char = found.group()
        if 0xD800 <= ord(char) <= 0xDFFF:
            raise BadInput("err.not_utf8", field=t(what))
        raise BadInput(
            "err.control_char", field=t(what), code=f"U+{ord(char):04X}", position=found.start() + 1
        )
    if text and _shows_nothing(text[0]) and all(map(_shows_nothing, text)):
        # a joiner, a selector or a blank sign kept for what it does beside other characters:
        # alone they make a name that looks empty (an applicant of one U+200D)
        text = ""
    if not text:
        if required:
            raise BadInput("err.empty", field=t(what))
        return None
    return text


# signs that show nothing of their own: format characters, marks that combine with the one
# before, blank signs (braille's, Hangul's fillers), the Mongolian free variation selectors
_BLANK_SIGNS = frozenset("\u2800\u3164\uffa0\u115f\u1160\u180b\u180c\u180d\u180f")


def _shows_nothing(char: str) -> bool:
    import unicodedata

    return char in _BLANK_SIGNS or unicodedata.category(char) in ("Cf", "Mn", "Me", "Zs")


def printable(value: object) -> str:
    """A stored value as it may reach a terminal or a page: every control character shown as
    a visible sign (U+241B for ESC …), never sent; newlines kept."""
    if value is None:
        text = ""
    elif type(value) is bytes:  # written by another program where text belongs
        text = value.decode("utf-8", "replace")
    else:
        text = str(value)
    if not UNPRINTABLE.search(text):
        return text
    return "".join(_visible(c) if _bad_char(c, True) else c for c in text)


def _visible(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ for ESC
    if code == 0x7F:
        return "\u2421"
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return f"<U+{code:04X}>"


def one_line(message: str) -> str:
    """A message for stderr on exactly one line, whatever values it quotes."""
    return printable(message).replace("\n", " ⏎ ")


def quoted(value: object, most: int = _ONE_LINE_AT_MOST) -> object:
    """A value as an error message quotes it: printable, one line, not too long (numbers
    and other values that are not text are left as they are, for their format)."""
    if not isinstance(value, str | Path):
        return value
    text = one_line(str(value))
    if len(text) > most:
        text = text[: most - 1] + "…"
    return text


_WHOLE = lazy_pattern(r"\s*([0-9]{1,12})\s*")


def whole_number(raw: object, low: int, high: int, what: str) -> int:
    """A whole number from low to high, written in decimal digits, ASCII or full-width ('²',
    '10³⁰', '1e3', '-1' and other scripts' digits are not: one rule for every number, date and
    id). `what` is the catalogue key naming the value."""
    text = without_marks(str(raw)) if raw is not None else ""
    match = _WHOLE.fullmatch(ascii_forms(text))
    number = int(match[1]) if match else None
    if number is None or not low <= number <= high:
        raise BadInput("err.number_range", what=t(what), value=quoted(text), low=low, high=high)
    return number


def percent(rate: float) -> str:
    """A rate (0 to 1, as the reports give it: four decimals) as a percentage with one
    decimal, its half rounded up as a spreadsheet rounds the same number in a `0.0%` cell:
    Python's own `f"{0.5455:.1%}"` is 54.5% (the float is a hair under), Excel's 54.6%, and
    the weekly CSV and workbook disagreed."""
    from decimal import ROUND_HALF_UP, Decimal

    tenths = (Decimal(repr(rate)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{tenths}%"
