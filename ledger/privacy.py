"""SPEC §8: an applicant's phone number is shown masked unless the clerk asks for it in full."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator

from ledger.errors import BadInput
from ledger.patterns import lazy_pattern
from ledger.words import CASE_FIELDS, EMPTY_MARKS

MASK = "****"
HIDDEN = 4  # characters a mask always hides: ten thousand numbers share a masked one


def mask(contact: str | None) -> str | None:
    """138****5678: the first three and the last four characters stay. A shorter number (a
    landline without its area code, 8 digits) keeps fewer at each end, so that four are
    always hidden: 8765****4321 would give an 8-digit number away whole (85****34)."""
    if not contact:
        return contact
    if (
        type(contact) is str  # (bytes another program wrote: refused by the long way)
        and len(contact) >= 3 + HIDDEN + 4
        and contact.isascii()
        and contact.isdigit()
    ):
        # the common contact, a mobile number typed as digits (a sheet masks thousands)
        return f"{contact[:3]}{MASK}{contact[-4:]}"
    text = contact.strip()
    if is_masked(text):
        return text
    # what a number is written with besides its digits (and a leading +) is not what the
    # mask hides: 8234-5678 hides four digits, not three and the dash (a long number keeps
    # its first three and last four either way)
    digits = re.sub("[^0-9+]", "", text.translate(_ASCII_DIGITS))
    text = (digits[:1] + digits[1:].replace("+", "")) or text
    if len(text) >= 3 + HIDDEN + 4:
        return f"{text[:3]}{MASK}{text[-4:]}"
    if len(text) >= HIDDEN + 4:
        shown = len(text) - HIDDEN
        return f"{text[: shown // 2]}{MASK}{text[len(text) - (shown - shown // 2) :]}"
    return text[:1] + "*" * (len(text) - 1) if len(text) > 1 else "*"


def is_masked(contact: str | None) -> bool:
    return bool(contact) and "*" in contact


# a number as a spreadsheet saved it: in scientific notation (Excel, from a number column too
# narrow to show it: its last digits are gone for good), or with a decimal part of zeros (a
# number column written by a program)
_SCIENTIFIC = lazy_pattern(r"([0-9]+)(?:\.([0-9]*))?[eE][+]?([0-9]+)")
_WHOLE_DECIMAL = lazy_pattern(r"([0-9]{5,})\.0+")


def as_phone(contact: str | None) -> str | None:
    """A contact as the ledger keeps it: `13800001111.0` is the number `13800001111`, and so
    is `1.3800001111E10`, which still holds every digit. A mobile number written with
    spaces or dashes, in full-width digits, after +86, or as a spreadsheet's text
    (`="13800001111"`, `'13800001111`) is kept as its eleven digits: the same person's
    number, found by the repeat-applicant check however it was typed."""
    if contact and (found := _WHOLE_DECIMAL.fullmatch(contact)):
        return found[1]
    if contact and (found := _SCIENTIFIC.fullmatch(contact)):
        whole, part, power = found[1], found[2] or "", int(found[3])
        if len(part) == power and int(whole) > 0:  # a digit shown for every place
            return (whole + part).lstrip("0")
    if type(contact) is str and not (contact.isascii() and contact.isdigit()):
        text = contact.strip().translate(_ASCII_DIGITS)
        if found := _SPREADSHEET_TEXT.fullmatch(text):
            text = found[1] or found[2]
        if found := _MOBILE_WRITTEN.fullmatch(text):
            return "".join(found.groups())
    return contact


# a number a spreadsheet keeps as text: ="13800001111" (a formula of a string), '13800001111
_SPREADSHEET_TEXT = lazy_pattern(r'=\s*"\s*([^"]*?)\s*"|\'\s*(.+)')
# a mainland mobile number with what people write around and inside it (not its digits)
_MOBILE_WRITTEN = lazy_pattern(
    r"(?:\+?\s*86\s*[-\s]?\s*)?(1[3-9][0-9])\s*[-－—.．\s]?\s*([0-9]{4})\s*[-－—.．\s]?\s*([0-9]{4})"
)


def digits_lost(contact: str | None) -> bool:
    """Whether a contact is a number in scientific notation that dropped digits (`1.38E+10`):
    not a phone any more, and no case may take it as one."""
    return bool(contact) and _SCIENTIFIC.fullmatch(as_phone(contact) or "") is not None


def new_contact(contact: str | None) -> str | None:
    """A contact typed for a case, as kept; a masked one or one whose digits are lost is
    refused (a case needs the number). 无 or / (a mark of nothing) is no contact, as an
    import reads it."""
    if contact is not None and contact.strip() in EMPTY_MARKS:
        return None
    contact = as_phone(contact)
    if is_masked(contact):
        raise BadInput("err.contact_masked", value=contact)
    if digits_lost(contact):
        raise BadInput("err.contact_scientific", value=contact)
    return contact


def same_under_mask(masked: str, contact: str | None) -> bool:
    """Whether a masked number is the mask of `contact` (or, for a number of 8 to 10
    characters, its mask as exports before the four hidden characters wrote it)."""
    if not contact:
        return False
    masked, text = masked.strip(), contact.strip()
    if mask(text) == masked or _mask_as_written(text) == masked:
        return True
    return HIDDEN + 4 <= len(text) < 3 + HIDDEN + 4 and f"{text[:3]}{MASK}{text[-4:]}" == masked


def same_but_digits_lost(shown: str, contact: str | None) -> bool:
    """Whether a number in scientific notation that lost digits (`1.38057E+10`: Excel's
    way of showing 13805712345 in a narrow number column, and of saving it so) could be
    `contact`: of its length, and equal to it to the places shown (the last one rounded)."""
    found = _SCIENTIFIC.fullmatch(as_phone(shown) or "")
    text = as_phone(contact.strip()) if contact else None
    if found is None or not text or not text.isascii() or not text.isdigit():
        return False
    whole, part, power = found[1], found[2] or "", int(found[3])
    if len(text) != len(whole.lstrip("0")) + power or len(part) > power:
        return False
    places = power - len(part)  # the digits the notation no longer shows
    shown_number = int(whole + part) * 10**places
    return abs(int(text) - shown_number) * 2 <= 10**places


def _mask_as_written(text: str) -> str:
    """The mask exports wrote before marks were taken out of a number (8234-5678 as
    82****678): a masked export of then imports as the cases it holds."""
    shown = len(text) - HIDDEN
    if len(text) >= 3 + HIDDEN + 4 or shown < 4:
        return f"{text[:3]}{MASK}{text[-4:]}"
    return f"{text[: shown // 2]}{MASK}{text[len(text) - (shown - shown // 2) :]}"


# what the clerk types about a case, where an applicant's number may be written too
# ("请回电 139…", an enterprise named with its phone): masked in output like the contact
FREE_TEXT = ("applicant", "matter", "cause", "method", "outcome", "ref")
# the text a timeline's changes hold, where a number may be written too: the free text, the
# extensions' reasons, and the pause's reason an imported case carries (`history.imported`)
TOLD_TEXT = (*FREE_TEXT, "pause_reason", "extensions")


def for_output(case: dict, full_contact: bool) -> dict:
    """A case as output may show it (`Case.as_json()` or a stored row alike): its fields in
    order, the phone masked unless asked — the contact, and any number in its text."""
    shown = {key: case.get(key) for key, _ in CASE_FIELDS}
    if full_contact:
        return shown
    if shown.get("contact"):
        shown["contact"] = mask(shown["contact"])
    for key in FREE_TEXT:
        shown[key] = phones_masked(shown[key])
    if shown.get("extensions"):
        shown["extensions"] = text_masked(shown["extensions"])
    return shown


def shown_text(text: str | None, full_contact: bool) -> str | None:
    """Free text as output shows it: any phone number in it masked, unless asked in full."""
    return text if full_contact else phones_masked(text)


def timeline_for_output(events: list[dict], full_contact: bool) -> list[dict]:
    """The timeline as output may show it: a contact set or corrected is masked on both
    sides of the change (SPEC §9), and a number in a note or in a text field's change,
    unless asked for in full."""
    if full_contact:
        return events
    return [
        {
            **event,
            "note": phones_masked(note) if isinstance(note := event.get("note"), str) else note,
            "changes": [_masked(change) for change in event["changes"]],
        }
        for event in events
    ]


def _masked(change: dict) -> dict:
    if change["field"] == "contact":
        return {**change, "old": mask(change["old"]), "new": mask(change["new"])}
    if change["field"] in TOLD_TEXT:
        return {**change, "old": text_masked(change["old"]), "new": text_masked(change["new"])}
    return change


def text_masked(value: object) -> object:
    """A text field's value (or a change of one), its phone numbers masked: the text, or the
    reasons of a list of extensions."""
    if isinstance(value, str):
        return phones_masked(value)
    if isinstance(value, list):
        return [
            {**item, "reason": phones_masked(item["reason"])}
            if isinstance(item, dict) and isinstance(item.get("reason"), str)
            else item
            for item in value
        ]
    return value


# A phone number inside free text (a note, a reason, a JSON change, a window's or a day's name): a
# mobile number (11 digits from 1[3-9], optionally with +86 or 0086, and also grouped
# 139,1234,5678) with up to three marks between any of its digits — spaces and line ends,
# dots, dashes and minus signs, slashes, brackets (round, square, 【】〔〕), underscores,
# full-width commas, tildes, middle dots (not the enumeration comma 、: 1、3、5号楼,
# 135、1201、1302号), in their ASCII, full-width and Chinese forms (139 1234 5678,
# 139．1234．5678, 139 - 1234 - 5678, (139)1234-5678, 1 39 8888 9999, 139_1234_5678, 139·1234·5678,
# 139，1234，5678); a landline, its area code (0 and two or three digits, in brackets or not) and a
# local number of seven or eight digits split once or not at all ((0571)8765-4321, 0571 8765
# 4321); any other unbroken run of seven digits or more (an extension, an identity card number).
# Full-width digits count as digits: a Chinese input method types them. An amount with its cents
# (135000000.00) is left as it is; a thousands comma (135,000,000) is no mark. Dates and times
# never match (at most eight digits, split in three, and a list of them is split more often than a
# number ever is); nor does a case id's sequence (2026-0101 2026-0102), though a mobile number
# written whole after any number and a dash is masked.
_DIGIT = "[0-9\uff10-\uff19]"
_LOOK_ALIKES = (
    "\u30fb\uff65\u2027\u2219\u22c5\u2024\uff61\u2500\u2501\u2e3a\u2e3b\u223c\u2053"
    "\u2796\ufe4d-\ufe4f"
)
# (not a colon nor a bar: times and lists of them, 14:30 / 10-27 9:30, would read as numbers)
_MARK = (
    "[\\s.\\-/()\\[\\]_~\u00b7\u2010-\u2015\u2022\u2212\u3002\u3010\u3011\u3014\u3015"
    "\uff08\uff09\uff0c\uff0d\uff0e\uff0f\uff3b\uff3d\uff3f\uff5e\u301c\u2043"
    # the joiners Unicode keeps in text (a pasted number may carry them unseen), the small
    # dashes and the long-vowel mark, which look like a dash between digits
    "\u200c\u200d\ufe58\ufe63\u30fc"
    # the middle dots of other scripts and of mathematics (139・1234・5678, pasted from a
    # Japanese or a typeset text), the box-drawing and long dashes, the swung dashes
    f"{_LOOK_ALIKES}]"
)
_BETWEEN = f"{_MARK}{{0,3}}"
_MOBILE = (
    f"(?:(?:[+\uff0b]|[0\uff10]{{2}})?[8\uff18]{_BETWEEN}[6\uff16]{_BETWEEN})?"
    f"[1\uff11]{_BETWEEN}[3-9\uff13-\uff19](?:{_BETWEEN}{_DIGIT}){{9}}"
)
# grouped 3-4-4 with commas (139,1234,5678, in full-width digits too): never an amount's
# groups of three; the first three together, it is masked after a number and a dash too (the
# enumeration comma is not one on the screens: 135、1201、1302号 is a list of rooms)
_COMMA_GROUPED = f"[1\uff11][3-9\uff13-\uff19]{_DIGIT}[,\uff0c]{_DIGIT}{{4}}[,\uff0c]{_DIGIT}{{4}}"
_ENUMERATED = f"[1\uff11][3-9\uff13-\uff19]{_DIGIT}、{_DIGIT}{{4}}、{_DIGIT}{{4}}"
_AREA_CODED = (
    f"[(\uff08]?[0\uff10][1-9\uff11-\uff19]{_DIGIT}{{1,2}}[)\uff09]?{_BETWEEN}"
    f"{_DIGIT}{{3,4}}{_MARK}?{_DIGIT}{{4}}"
)
# in a pack, which takes no chances, the local number as it is written however split (in
# pairs: 0571 87 65 43 21); on the clerk's own screens such a run is as often a code or a
# date (编号 0512 2026 10 14), and stays readable
_AREA_CODED_ANYHOW = (
    f"[(\uff08]?[0\uff10][1-9\uff11-\uff19]{_DIGIT}{{1,2}}[)\uff09]?{_BETWEEN}"
    f"{_DIGIT}(?:{_BETWEEN}{_DIGIT}){{6,7}}"
)
# After a number and a dash a mobile number is one whose first three digits stand together
# (13911112222-13933334444, an area code's 0571-139…, a list's 1-139 1234 5678, a date's
# 2026-10-13-139…); one put together there across marks from shorter groups is a list of days
# and times (10-13 10-20 11-03 9:30). A landline put together after one is a case id's
# sequence (2026-0101 2026-0102); in a pack a run of seven digits or more is masked wherever it
# stands but after a year and a dash (a case id: 2026-0101), and one of eleven or more even there.
_LED_MOBILE = f"[1\uff11][3-9\uff13-\uff19]{_DIGIT}(?:{_BETWEEN}{_DIGIT}){{8}}"
_AFTER_DASH = f"(?<!{_DIGIT}[\\-\uff0d\u2212])"
_PHONES = f"{_LED_MOBILE}|{_COMMA_GROUPED}|{_AFTER_DASH}(?:{_MOBILE}|{_AREA_CODED})"
# in a pack the enumeration comma and the ASCII comma between a mobile number's digits too
# (139、1234、5678, 170、584、04086, 139,70,85,18,88: an amount of eleven digits so written
# goes with them)
_PACK_BETWEEN = f"(?:{_MARK}|[、,]){{0,3}}"
_LED_MOBILE_ANYHOW = f"[1\uff11][3-9\uff13-\uff19]{_DIGIT}(?:{_PACK_BETWEEN}{_DIGIT}){{8}}"
_PHONES_ANYHOW = (
    f"{_LED_MOBILE_ANYHOW}|{_COMMA_GROUPED}|{_ENUMERATED}"
    f"|{_AFTER_DASH}(?:{_MOBILE}|{_AREA_CODED_ANYHOW})"
)
_NOT_AFTER_ID = (
    f"(?<!(?:[1\uff11][9\uff19][9\uff19]{_DIGIT}|[2\uff12][0-1\uff10\uff11]{_DIGIT}{_DIGIT}|"
    f"[2\uff12][2\uff12][0\uff10][0\uff10])[\\-\uff0d])"
)
# an amount with its cents (3500000.00, 13500000000.00, 3500000.5元) is no number to ring; a
# point and a date, a count or a place after a number is not its cents (13912345678.10月13日,
# .2号窗口, .1次), nor the `.0` a spreadsheet gives a number column (13912345678.0)
_CENTS_AFTER = (
    f"[.\uff0e](?:{_DIGIT}{{2}}|[1-9\uff11-\uff19])"
    # (money is followed by its unit or by nothing of its own: a time, 9:30后, or any word
    # but 元, 圆, 万 and 亿 — 天, 人, 栋, 号 — says the point was no decimal point)
    f"(?!{_DIGIT}|[:：]|(?![元圆万亿])[\u3400-\u9fff])"
)
_NOT_CENTS = f"(?!{_DIGIT}|{_CENTS_AFTER})"
# every number starts with a digit, a plus or a bracket: said first, the engine passes over
# the other characters at once instead of trying each pattern at each (six times quicker over
# a sheet's text, where the patterns alone took a second for 100,000 rows)
STARTS = "(?=[0-9\uff10-\uff19+\uff0b(\uff08])"
# (in a pack a number shaped as a phone is one whatever follows it: 16619345145.12 may be an
# amount with its cents, and is masked all the same; other runs of digits keep their cents)
_PHONE_IN_TEXT = lazy_pattern(
    f"{STARTS}(?<!{_DIGIT})(?:(?:{_PHONES_ANYHOW})(?!{_DIGIT})"
    f"|(?:{_DIGIT}{{11,}}|{_NOT_AFTER_ID}{_DIGIT}{{7,}}){_NOT_CENTS})"
)
# on the clerk's own screens and sheets: the numbers shaped as phones, mobile or with an area
# code; a reference, an amount or a link's id of seven digits stays readable (a pack, which
# leaves the window, masks those too)
_PHONE_SHAPED = lazy_pattern(f"{STARTS}(?<!{_DIGIT})(?:{_PHONES}){_NOT_CENTS}")
# a local landline (seven or eight digits, split once or not at all: 8234 5678, 8234-5678) is a
# phone number only where the text says so: after 电话, 座机, 回电 or "tel" (with at most a
# colon, 至, spaces between), and so is each further one listed with it (8234 5678 或 8765
# 4321); elsewhere eight digits are as often a date (20261014), an amount or a reference, and
# stay readable
_SAID_PHONE = (
    "(?:(?:电话|座机|手机|固话|联系方式|联系|来电|回电|致电)(?:号码|号)?"
    "|(?<![A-Za-z])(?i:tel(?:ephone)?|phone|mobile)(?![A-Za-z]))"
    "(?:[是为至到:：.．(（]|\\s){0,4}"
)
# a case id (2026-0035) after 来电 is the case the call was about, not a number to ring
_CASE_ID = (
    f"(?!(?:[1\uff11][9\uff19][9\uff19]{_DIGIT}|[2\uff12][0-1\uff10\uff11]{_DIGIT}{_DIGIT}|"
    f"[2\uff12][2\uff12][0\uff10][0\uff10])[\\-\uff0d]{_DIGIT}{{4}}(?!{_DIGIT}))"
)
_SPLIT = f"(?:\\s{{0,2}}[\\-\uff0d\u2010-\u2015_.\uff0e\u00b7{_LOOK_ALIKES}]\\s{{0,2}}|\\s{{1,2}})?"
_LOCAL = f"{_CASE_ID}{_DIGIT}{{3,4}}{_SPLIT}{_DIGIT}{{4}}(?!{_DIGIT}|[.\uff0e]{_DIGIT})"
_LOCAL_NUMBER = lazy_pattern(_LOCAL)
# one number masked already (a mobile by the patterns above) keeps a list going
_ONE = f"(?:{_LOCAL}|[0-9+]{{1,4}}\\*{{3,}}[0-9]{{1,4}})"
# (a date that follows in the list is the day of a call, 20261128, not another number)
_NOT_DATE = (
    "(?!(?:19|20)[0-9][0-9][\\-.]?(?:0[1-9]|1[0-2])[\\-.]?(?:0[1-9]|[12][0-9]|3[01])(?![0-9]))"
)
_AND = "(?:\\s*(?:或者|或|、|/|\uff0f|，|,|；|;|和|及)\\s*|\\s+)"
_LOCAL_LANDLINE = lazy_pattern(f"({_SAID_PHONE})({_ONE}(?:{_AND}{_NOT_DATE}{_ONE})*)")
# (not after a number and a dash: the second half of 2026-1013 1015, of a range 1201-1302 …)
_LOCAL_ANYWHERE = lazy_pattern(f"(?<!{_DIGIT})(?<!{_DIGIT}[\\-\uff0d]){_LOCAL}")
# the number alone, looked for first: a word search over every text costs three times more
_LOCAL_RUN = lazy_pattern(f"{_DIGIT}{{3,4}}{_SPLIT}{_DIGIT}{{4}}")
# digits of other scripts, and the small ones above and below the line (¹³⁹…, ١٣٩…, 𝟏𝟑𝟗…):
# read as the digits they are, so that a number written in them is masked all the same
_OTHER_DIGIT = lazy_pattern(
    "(?![0-9\uff10-\uff19])\\d|[\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089]"
)
_ASCII_DIGITS = str.maketrans("０１２３４５６７８９＋", "0123456789+")


# a mobile number read out and written in Chinese numerals (来电一三九一二三四五六七八, 幺三九…)
# (○, the circle an input method offers for 〇, is a zero too; digits may be mixed in:
# 139一二三四五六七八)
_CHINESE_NUMERALS = "〇○零一二三四五六七八九幺两"
_NUMERAL = f"[{_CHINESE_NUMERALS}0-9\uff10-\uff19]"


def _numerals_of_a_mobile(before: str, after: str, between: str = _BETWEEN) -> str:
    # (the first character first: the engine passes over the others at once)
    return (
        f"[一幺1\uff11]{before}{between}[三四五六七八九3-9\uff13-\uff19]"
        f"(?:{between}{_NUMERAL}){{9}}{after}"
    )


# on the clerk's screens not inside a longer run of numerals (第一三五七九一三五七九…), nor
# one with cents after it (一三五00000000.00元 is an amount)
_NUMERAL_CENTS = f"[.\uff0e点]{_NUMERAL}{{1,2}}(?!{_NUMERAL}|[:：]|(?![元圆万亿])[\u3400-\u9fff])"
_CHINESE_MOBILE = lazy_pattern(
    _numerals_of_a_mobile(f"(?<!{_NUMERAL}.)", f"(?!{_NUMERAL}|{_NUMERAL_CENTS})")
)
# in a pack, which takes no chances, beside other numerals too (周一一三九…, …五六七八一直)
_CHINESE_MOBILE_ANYHOW = lazy_pattern(
    # (but not from inside a run of digits: 0531-87654321/一三九… is found from its 一)
    _numerals_of_a_mobile(f"(?<!{_DIGIT}.)", "", _PACK_BETWEEN)
)
_AS_DIGITS = str.maketrans(
    _CHINESE_NUMERALS + "０１２３４５６７８９", "000123456789" + "12" + "0123456789"
)
_A_NUMERAL = lazy_pattern(f"[{_CHINESE_NUMERALS}]")
_NUMERAL_OR_DIGIT = lazy_pattern(_NUMERAL)


def _numeral_or_digit(character: str) -> bool:
    return _NUMERAL_OR_DIGIT.fullmatch(character) is not None


# where such a number may begin: a mobile's first two in numerals, or a digit beside one
# (marks between them too: 139 一二三四 五六七八, 一 三 九 …)
def _numerals_begin(between: str) -> str:
    return (
        f"[一幺]{between}[三四五六七八九]|{_DIGIT}{between}[{_CHINESE_NUMERALS}]"
        f"|[{_CHINESE_NUMERALS}]{between}{_DIGIT}"
    )


_IN_NUMERALS = lazy_pattern(_numerals_begin(_BETWEEN))
_IN_NUMERALS_ANYHOW = lazy_pattern(_numerals_begin(_PACK_BETWEEN))


def _chinese_mobiles_masked(text: str, screens: bool = True) -> str:
    if (_IN_NUMERALS if screens else _IN_NUMERALS_ANYHOW).search(text) is None:
        return text
    if screens:
        return _sub(_CHINESE_MOBILE, _masked_in_numerals, text)
    return _sub(_CHINESE_MOBILE_ANYHOW, _masked_in_numerals_for_a_pack, text)


def _masked_in_numerals_for_a_pack(found: re.Match) -> str | int:
    return _masked_in_numerals(found, screens=False)


def _masked_in_numerals(found: re.Match, screens: bool = True) -> str | int:
    written = found[0]
    numerals = _A_NUMERAL.findall(written)
    if not numerals:  # digits alone: the patterns of digits read them — from past the dates
        # or hours in them on (13.30-17.30 139 一二三四 五六七八: the hours are none of it)
        plain = _ascii(written)
        restart = _restart(_before(found), written, plain)
        return written if restart is None else _at_match(found, restart)
    if (
        screens
        and len(numerals) == 1
        and _A_NUMERAL.match(written)
        and not _numeral_or_digit(written[1])
    ):
        # on the screens, one numeral set apart from the digits after it is a word's (周一
        # 9.30-11.30, 第一 35000000.00元), not a number read out (a pack reads 一-39-1234-5678)
        return written
    # what the digits' patterns leave (an amount with its cents, a list of dates) is left here
    # too: the same number written in numerals is read as the digits it says
    plain = written.translate(_AS_DIGITS)
    return _at_match(found, _number_masked(written, plain, screens, before=_before(found)))


# (one look over a text for all that may begin a number: most texts hold none of it)
_MAY_HOLD_NUMBER = lazy_pattern(
    f"\\d|[\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089]|[一幺]{_BETWEEN}[三四五六七八九]"
)
_UNUSUAL_NUMBER = lazy_pattern(
    "(?![0-9\uff10-\uff19])\\d|[\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089]"
    f"|[一幺]{_BETWEEN}[三四五六七八九]"
)


def other_digits(text: object) -> bool:
    """Whether a text may hold digits of another script, or a mobile number in Chinese
    numerals: a number that a search for the digits 0-9 does not find."""
    return isinstance(text, str) and _UNUSUAL_NUMBER.search(text) is not None


def has_phone(text: str | None) -> bool:
    """Whether free text may hold a phone number `shown_text` would mask."""
    if not isinstance(text, str) or _MAY_HOLD_NUMBER.search(text) is None:
        return False
    if _PHONE_SHAPED.search(text) is not None or (
        _LOCAL_RUN.search(text) is not None and _LOCAL_LANDLINE.search(text) is not None
    ):
        return True
    if other_digits(text) or _IN_NUMERALS.search(text) is not None:
        return phones_masked(text) != text  # (rare: read as digits, the long way)
    return False


def phones_masked(text: str | None) -> str | None:
    """Free text with the phone numbers in it masked (`scrub` less its runs of digits).
    Anything but text (bytes another program wrote) is left for its reader to show."""
    if not isinstance(text, str) or _MAY_HOLD_NUMBER.search(text) is None:
        return text
    text = _chinese_mobiles_masked(text)
    return _landlines_masked(_sub(_PHONE_SHAPED, _masked_number, text))


def scrub(text: str | None) -> str | None:
    """Free text with every phone number in it masked as `mask` masks a contact, for a file
    that leaves the clerk's desk (SPEC §13: no full phone number anywhere in a pack)."""
    if not isinstance(text, str) or _MAY_HOLD_NUMBER.search(text) is None:
        return text
    # (a wide gap between digits is closed to three spaces, the most a number is read across:
    # 手机 139    1234    5678 is one)
    text = _WIDE_GAP.sub("   ", text)
    text = _chinese_mobiles_masked(text, screens=False)
    text = _landlines_masked(_sub(_PHONE_IN_TEXT, _masked_for_a_pack, text))
    # a file that leaves the desk takes no chances: a local number split once (8234 5678,
    # 0900-1730 too) is masked whatever the words around it say, a case id apart
    return _sub(_LOCAL_ANYWHERE, _masked_one, text)


def _sub(pattern: re.Pattern, replace, text: str) -> str:
    """`pattern.sub(replace, text)`, the digits of other scripts read as the digits they are
    (each is one character either way, so a match stands where it stands in `text`): what
    is masked is masked in ASCII digits, what is not stays as it was written. `replace` may
    answer with a place (an int) instead of a text: the match is no number, and the search
    starts again there (a mobile number after the dates or hours it was run into)."""
    if _OTHER_DIGIT.search(text) is None:
        again: list[int] = []

        def replaced(found: re.Match) -> str:
            answer = replace(found)
            if isinstance(answer, int):
                again.append(answer)
                return found[0]
            return answer

        done = pattern.sub(replaced, text)
        if not again:  # (nearly always: one pass of the engine's own)
            return done
        folded = text
    else:
        folded = _OTHER_DIGIT.sub(lambda found: str(unicodedata.digit(found[0])), text)
    parts, last, at = [], 0, 0
    while (found := pattern.search(folded, at)) is not None:
        answer = replace(found)
        if isinstance(answer, int):  # (always past the match's start: the search moves on)
            at = answer
            continue
        parts += (
            text[last : found.start()],
            text[found.start() : found.end()] if answer == found[0] else answer,
        )
        last = at = found.end()
    parts.append(text[last:])
    return "".join(parts)


# digits split more than three times and holding two month/day pairs (10/20, 11.03) are a
# list of dates (10/13 10/20 11/03 9:30), not a phone number; a number written in pairs or
# digit by digit (139 12 34 56 78) is still one, and masked
_SPLITS = lazy_pattern("[^0-9\uff10-\uff19+\uff0b]+")
_MOST_SPLITS = 3
_CENTS = lazy_pattern("[0-9][.\uff0e][0-9]{1,2}$")
# (a month and a day that can be, either way round: 12.34 56.78 is a number written in pairs)
_M = "(?:0?[1-9]|1[0-2])"
_DAY_OF = "(?:0?[1-9]|[12][0-9]|3[01])"
_SEP = "\\s*[/.\uff0e\u3002\uff0f]\\s*"
_MONTH_DAY = lazy_pattern(f"(?<![0-9])(?:{_M}{_SEP}{_DAY_OF}|{_DAY_OF}{_SEP}{_M})(?![0-9])")


_HOUR = "(?:[01]?[0-9]|2[0-3])"
_TO = "\\s*[-–—~～〜－至到一]\\s*"  # (the full-width dash and wave an input method types)
# 14.30-17.30, 9:00 - 12:00, 14．30－17．30, 0900-1200: a time range, its end after its start
# (1448-1320-773 is a number in groups, not the hours 14:48 to 13:20)
_TIME_RANGE = lazy_pattern(
    f"(?<![0-9])({_HOUR})[.:：．]([0-5][0-9]){_TO}({_HOUR})[.:：．]([0-5][0-9])(?![0-9])"
    f"|(?<![0-9])([01][0-9]|2[0-3])([0-5][0-9]){_TO}([01][0-9]|2[0-3])([0-5][0-9])(?![0-9])"
)
# 2026.10.13, 2026-9-14, 2026．10．13: a dated day
_DATED_DAY = lazy_pattern(
    "(?<![0-9])(?:19|20)[0-9]{2}[.\\-/年．／－](?:0?[1-9]|1[0-2])[.\\-/月．／－]"
    "(?:0?[1-9]|[12][0-9]|3[01])(?![0-9])"
)


def _hours_and_days(text: str) -> Iterator[re.Match]:
    """The time ranges (each ending after it starts) and the dated days in `text`."""
    for found in _TIME_RANGE.finditer(text):
        times = [int(part) for part in found.groups() if part is not None]
        if times[0] * 60 + times[1] < times[2] * 60 + times[3]:
            yield found
    yield from _DATED_DAY.finditer(text)


_MOBILE_FIRST_GROUP = lazy_pattern("[+]?(?:0{0,2}86[^0-9]*)?1[3-9][0-9](?![0-9])")
_ANY_DIGIT = f"[0-9\uff10-\uff19{_CHINESE_NUMERALS}]"
_WIDE_GAP = lazy_pattern(f"(?<={_ANY_DIGIT})[ \t\u3000]{{4,}}(?={_ANY_DIGIT})")
# a mobile number's first three (or four: 1391 2345 678) digits standing alone after a mark,
# further on in a run
_LATER_MOBILE = lazy_pattern("(?<=[^0-9+])1[3-9][0-9]{1,2}(?![0-9])")
_GROUPS = lazy_pattern("[0-9]+")
_LIST_GROUPS = 5


def _masked_number(found: re.Match) -> str | int:
    return _at_match(found, _number_masked(found[0], _ascii(found[0]), before=_before(found)))


def _masked_for_a_pack(found: re.Match) -> str | int:
    answer = _number_masked(found[0], _ascii(found[0]), screens=False, before=_before(found))
    return _at_match(found, answer)


def _ascii(text: str) -> str:
    return text.translate(_ASCII_DIGITS)


def _before(found: re.Match) -> str:
    """What stands just before a match: the date a run of digits began in (2026.10.13 139 …
    is found from its 13)."""
    return _ascii(found.string[max(0, found.start() - _DAY_REACH) : found.start()])


_DAY_REACH = 12  # characters back to the start of a dated day or a time range


def _at_match(found: re.Match, answer: str | int) -> str | int:
    """A place inside the match (where to look again) as a place in the text."""
    return found.start() + answer if isinstance(answer, int) else answer


def _number_masked(written: str, plain: str, screens: bool = True, before: str = "") -> str | int:
    """A number found in text (`written`; `plain`: in ASCII digits; `before`: what stands
    before it) masked, unless it is a list of dates or an amount with its cents — and, on
    the clerk's own screens, office hours, a dated day or a list of numbers (a pack, which
    leaves the desk, takes no chances on those). Where such a run holds a mobile number's
    first digits further on (10/13 10/20 139 12 34 56 78, 14.30-17.30 139 1234 5678, a
    date's 13 139 12 34 56), the place they begin is answered: the number is looked for
    again from there, the dates or hours before it being no part of it."""
    if not _MOBILE_FIRST_GROUP.match(plain):  # 139.10.12.11.05 is a number, in pairs
        groups = _GROUPS.findall(plain)
        # (written digit by digit, 1.3.9.1.2.3.4.5.6.7.8 holds no month and day)
        if not (len(groups) >= _ONE_BY_ONE and all(len(group) == 1 for group in groups)):
            restart = _restart(before, written, plain)
            if restart is not None:
                return restart
            dates = (
                len(_SPLITS.findall(plain)) > _MOST_SPLITS and len(_MONTH_DAY.findall(plain)) >= 2
            )
            # hours and dates run together with what is beside them (10.16 14.30-17.30 2号
            # 窗口, 2026.10.13 / 2026.10.19 9:30, 2026.9.14一2026.10.14): no number to ring
            # holds a time range or a dated day
            hours = _past_dates_and_hours(before, _ascii(written)) is not None
            # a list of small numbers, each larger than the one before (1，3，5，7，9，11，13，
            # 15号楼): a number written digit by digit or in pairs does not climb so, five
            # groups of one or two digits or more (1 39 1234 5678 climbs, and is a number)
            climbs = all(len(group) <= 2 for group in groups) and _climbing(groups)
            if dates or ((hours or climbs) and screens):
                return written
    # 135000000.00: an amount of money, not a number to ring (one point: 139.12.34.56.78 is a
    # number written in pairs)
    if _CENTS.search(plain) and plain.count(".") + plain.count("\uff0e") == 1:
        return written
    return mask(re.sub(r"[^0-9+]", "", plain))


_ONE_BY_ONE = 11


def _restart(before: str, written: str, plain: str) -> int | None:
    """Where to look for a number again inside a match that runs past dates or hours into
    digits (14.30-17.30 139 1234 5678, 10/13 10/20 139 12 34 56 78, a date's 13 139 12 34),
    or into a mobile number's first digits standing alone after a list: the place past them.
    None where the match holds no such thing."""
    end = _past_dates_and_hours(before, _ascii(written), plain)
    if end is not None:
        return end
    later = _LATER_MOBILE.search(plain)
    if later is not None and _climbs_or_dates(plain):
        return later.start()
    return None


def _climbs_or_dates(plain: str) -> bool:
    return len(_MONTH_DAY.findall(plain)) >= 2 or _climbing(_GROUPS.findall(plain))


def _climbing(groups: list[str]) -> bool:
    """Five groups of digits or more, each larger than the one before."""
    return len(groups) >= _LIST_GROUPS and all(
        int(a) < int(b) for a, b in itertools.pairwise(groups)
    )


def _past_dates_and_hours(before: str, written: str, plain: str = "") -> int | None:
    """Where, in a match (`written`, with `before` what stands before it), the last time
    range, dated day or month and day (10/13) in it or running into it ends — the last with
    digits of `plain` after it, when `plain` is given; None if none."""
    joined = before + written
    ends = [
        found.end() - len(before)
        for found in (*_hours_and_days(joined), *_MONTH_DAY.finditer(joined))
        if found.end() > len(before)
    ]
    if plain:
        ends = [end for end in ends if _GROUPS.search(plain, end) is not None]
    return max(ends) if ends else None


def _landlines_masked(text: str) -> str:
    if _LOCAL_RUN.search(text) is None and _OTHER_DIGIT.search(text) is None:
        return text
    return _sub(_LOCAL_LANDLINE, _masked_local, text)


def _masked_local(found: re.Match) -> str:
    return found[1] + _LOCAL_NUMBER.sub(_masked_one, found[2])


def _masked_one(found: re.Match) -> str:
    return mask(re.sub("[^0-9]", "", found[0].translate(_ASCII_DIGITS)))
