"""The stored codes of SPEC §2, and reading them back from a code or a label in either language."""

from __future__ import annotations

import unicodedata

from ledger.case import SHEET, SHOWN
from ledger.dates import period_kind
from ledger.errors import BadInput
from ledger.i18n import CATALOGUE, label, t
from ledger.patterns import lazy_pattern
from ledger.text import ascii_forms, without_marks

STATUS = ("received", "classified", "dispatched", "resolved", "closed", "void")
RESOLUTION = ("done", "cannot")
SECTION = ("market", "investment", "construction", "social", "agri-water")
SCOPE = ("within", "involves", "outside", "other-unit")
PROBLEM = ("not-accepted", "not-approved", "repeat-visits", "unclear-policy", "special", "other")
CHANNEL = ("window", "phone", "online", "hotline", "letter", "other")
LIMIT = ("simple", "standard", "complex", "cannot")
VIA = ("phone", "sms", "visit", "letter", "other")
SATISFACTION = ("satisfied", "basic", "unsatisfied")
KIND = ("section", "unit")

# A case's fields in the order output shows them (JSON, `show`), with the word that labels
# codes, and a sheet's columns (export, import: the same, and the pause's reason): read from
# the one field table (`ledger.case`)
CASE_FIELDS: tuple[tuple[str, str | None], ...] = tuple((f.name, f.word) for f in SHOWN)
SHEET_FIELDS: tuple[tuple[str, str | None], ...] = tuple((f.name, f.word) for f in SHEET)

WORDS: dict[str, tuple[str, ...]] = {
    "status": STATUS,
    "resolution": RESOLUTION,
    "section": SECTION,
    "scope": SCOPE,
    "problem": PROBLEM,
    "channel": CHANNEL,
    "limit": LIMIT,
    "via": VIA,
    "satisfaction": SATISFACTION,
    "kind": KIND,
}


# how a list of codes or names is written in one cell or one option: 市场准入、社会事务 (as an
# export writes it), or with the commas, semicolons and slashes clerks use
LIST_SPLIT = lazy_pattern(r"[、,;，；/]")


def _fold(text: str) -> str:
    # full-width letters and digits (a Chinese input method's １２３４５) are the ASCII ones
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


# the words clerks use for a code beside its labels: the hotline is "12345" at the window,
# a call 来电, the web 网站 or 线上, a visit in person 来访 or 现场, a letter 来信
_SAID: dict[str, dict[str, str]] = {
    "channel": {
        "12345": "hotline",
        "热线": "hotline",
        "来电": "phone",
        "电话来电": "phone",
        "网站": "online",
        "网络": "online",
        "线上": "online",
        "网办": "online",
        "来访": "window",
        "现场": "window",
        "来信": "letter",
    }
}

_LOOKUP: dict[str, dict[str, str]] = {
    word: {
        spelling: code
        for code in codes
        for name in (code, *(CATALOGUE[lang][f"{word}.{code}"] for lang in CATALOGUE))
        for spelling in (name, _fold(name))
    }
    | _SAID.get(word, {})
    for word, codes in WORDS.items()
}


# what a book writes in a cell it means to leave empty: an import reads it as empty (a
# department 无 was offered to --add-departments, a contact / kept as a phone number)
EMPTY_MARKS = frozenset(
    {"无", "暂无", "没有", "空", "/", "／", "\\", "-", "－", "—", "–", "——", "--", "未填"}
    | {"（未填）", "(未填)", "none", "None", "NONE", "(none)", "n/a", "N/A", "NA", "null", "NULL"}
)
# what the figures call the cases with no department ("none" in JSON, 未填 in tables) and
# how a list shows an empty cell (a dash): no department may be named so, or its cases would
# be counted with those, or look like cases without one
_NO_DEPARTMENT = {
    _fold(name).strip("()（）")
    for name in ("none", *(CATALOGUE[lang]["weekly.none"] for lang in CATALOGUE))
} | {"-", "—", "–", "－", "——", "--"}
# nor a mark of nothing, which a book's department cell leaves empty (said apart)
_MARKS_FOLDED = {_fold(mark).strip("()（）") for mark in EMPTY_MARKS}


def mark_of_nothing(name: str) -> bool:
    """Whether `name` is how a book leaves a cell empty (无, /, NA), folded as names are."""
    return _fold(name).strip("()（）") in _MARKS_FOLDED


def no_department_name(name: str) -> bool:
    """Whether `name` is what the figures call "no department" (none, 未填, with or without
    brackets)."""
    return _fold(name).strip("()（）") in _NO_DEPARTMENT


def parse_code(word: str, value: str) -> str:
    """The code for `value`, given as the code, the English label or the Chinese label."""
    value = without_marks(value) if value else value
    if value and not value.strip():
        value = ""  # (spaces alone are read as the empty value is, never as a word)
    code = _LOOKUP[word].get(value) or _LOOKUP[word].get(_fold(value or ""))
    if code is None:
        choices = ", ".join(f"{c} ({label(word, c)})" for c in WORDS[word])
        raise BadInput("err.bad_code", word=t(f"word.{word}"), value=value, choices=choices)
    return code


def choices(word: str) -> list[str]:
    """Every spelling accepted for a word, for shell completion."""
    return sorted({name for name in _LOOKUP[word] if name})


# A case id is the year of receipt and a sequence of at least four digits (SPEC §5); the
# sequence grows past 9999 and past any width, so every length parses.
_CASE_ID = lazy_pattern(r"\s*([0-9]{4})\s*-\s*([0-9]+)\s*")
SEQ_DIGITS = 18  # any sequence SQLite's integers can hold
# an imported id at or above this would leave later ids too little room to grow (a billion):
# any id the ledger gives after an import below it is one an import of its export takes
SEQ_LIMIT = 10**SEQ_DIGITS - 10**9
# what `format_id` writes: four digits of sequence, or more without a leading zero
_CANONICAL_ID = lazy_pattern(rf"[1-9][0-9]{{3}}-(?:[0-9]{{4}}|[1-9][0-9]{{4,{SEQ_DIGITS - 1}}})")


def case_id(value: str | None) -> str:
    """The canonical id for `2026-0007`, `2026-7` or the same typed with full-width digits."""
    if value and _CANONICAL_ID.fullmatch(value):
        return value  # as the ledger writes it (an import of its own export): nothing to do
    # full-width digits are digits; superscripts and other scripts' digits are not (as in
    # every number and date the ledger reads)
    text = ascii_forms(without_marks(value or ""))
    match = _CASE_ID.fullmatch(text)
    # (a year written 0000 would be written back as 0: no receipt date is of such a year)
    if not match or match[1][0] == "0":
        raise BadInput("err.bad_id", value=value)
    if len(match[2].lstrip("0")) > SEQ_DIGITS:  # of the form, but no case can have it
        raise BadInput("err.not_found", id=f"{match[1]}-{match[2]}")
    return format_id(int(match[1]), int(match[2]))


def format_id(year: int, seq: int) -> str:
    return f"{year}-{seq:04d}"


def id_parts(case_id: str) -> tuple[int, int]:
    year, _, seq = case_id.partition("-")
    return int(year), int(seq)


def period_title(first: str, last: str) -> str:
    """The name of a report of figures by its days: 周报, 月报, 季报, else 统计报表."""
    kind = period_kind(first, last)
    return t("weekly.title" if kind == "week" else f"weekly.title_{kind}")


def period_span(report: dict) -> str:
    """A report's days, and while its period runs, the day its figures are counted to."""
    span = t("weekly.period", start=report["from"], end=report["to"])
    if report.get("as_of", report["to"]) != report["to"]:
        span += t("weekly.counted_to", as_of=report["as_of"])
    return span
