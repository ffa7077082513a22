"""SPEC §10: one catalogue, two languages with the same keys; codes read in any spelling."""

from __future__ import annotations

import re
import string

import pytest

from ledger.errors import BadInput
from ledger.i18n import EN, ZH, detect_language, set_language
from ledger.words import WORDS, parse_code


def test_both_languages_have_exactly_the_same_keys():
    assert set(ZH) == set(EN)


def test_both_languages_use_the_same_fields_in_each_message():
    def fields(template):
        return {f for _, f, _, _ in string.Formatter().parse(template) if f}

    for key in ZH:
        assert fields(ZH[key]) == fields(EN[key]), key


def test_chinese_punctuation_is_never_followed_by_a_space():
    """A space after 、。，；：？！ or a closing bracket reads as a slip in Chinese (one was put
    in help so that Rich could break the line there; a line is broken at a space before a
    number instead); a placeholder that ends a sentence (`{suggest}`) is followed by none."""
    for key, text in ZH.items():
        assert not re.search("[、。，；：？！）」』】][ \t]", text), (key, text)
        assert not re.search("\\{(suggest|detail)\\} [\u4e00-\u9fff]", text), (key, text)


def test_every_code_has_a_label_in_both_languages():
    for word, codes in WORDS.items():
        for code in codes:
            assert ZH[f"{word}.{code}"] and EN[f"{word}.{code}"]


@pytest.mark.parametrize(
    ("word", "spelling", "code"),
    [
        ("status", "dispatched", "dispatched"),
        ("status", "Dispatched", "dispatched"),
        ("status", "已转办", "dispatched"),
        ("section", "agri-water", "agri-water"),
        ("section", "Agriculture & water affairs", "agri-water"),
        ("section", "农水事务", "agri-water"),
        ("channel", "12345热线", "hotline"),
        ("channel", " 12345 hotline ", "hotline"),
        ("limit", "应办未办", "standard"),
        ("problem", "多次跑腿未解决", "repeat-visits"),
        ("satisfaction", "基本满意", "basic"),
        ("via", "短信", "sms"),
        ("scope", "属于其他单位", "other-unit"),
    ],
)
def test_codes_are_read_from_code_english_or_chinese(word, spelling, code):
    assert parse_code(word, spelling) == code


@pytest.mark.parametrize(("lang", "label"), [("en", "Market access"), ("zh", "市场准入")])
def test_an_unknown_code_names_the_choices_in_the_interface_language(lang, label):
    set_language(lang)
    try:
        with pytest.raises(BadInput) as caught:
            parse_code("section", "财务")
    finally:
        set_language("en")
    assert "market" in caught.value.message(lang) and label in caught.value.message(lang)


@pytest.mark.parametrize(
    ("flag", "env", "expected"),
    [
        ("en", {"LEDGER_LANG": "zh", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LEDGER_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
        (None, {"LC_ALL": "Chinese (Simplified)_China.936"}, "zh"),
        (None, {"LANG": "en_GB.UTF-8"}, "en"),
        ("zh-CN", {}, "zh"),
        ("EN", {}, "en"),
        (None, {"LEDGER_LANG": "zh_CN.UTF-8"}, "zh"),
    ],
)
def test_language_comes_from_flag_then_env_then_locale(flag, env, expected):
    assert detect_language(flag, env) == expected


@pytest.mark.parametrize("written", ["zhfoo", "english", "zh\x1b", "x[31mabc"])
def test_a_language_is_refused_as_written_not_by_its_first_two_letters(run, monkeypatch, written):
    """`--lang zhfoo` was Chinese and `--lang english` refused as 'en' (its first two
    letters), and a bad $LEDGER_LANG was quoted by its first two characters alone."""
    shown = written.replace("\x1b", "\u241b")
    flagged = run("--lang", written, "list")
    assert flagged.exit_code == 2
    assert flagged.stderr.strip() == f"Unsupported language '{shown}'; use zh or en"
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LEDGER_LANG", written)
    set_in_env = run("list")
    assert set_in_env.exit_code == 1
    assert set_in_env.stderr.strip() == f"Unsupported language '{shown}'; use zh or en"


def test_english_counts_one_in_the_singular_and_never_touch_a_value():
    from ledger.i18n import t

    assert t("imp.done", "en", new=1, same=2) == (
        "Imported: 1 new case, 2 already in the ledger unchanged."
    )
    assert t("imp.summary", "en", bad=1) == "1 bad row; nothing was imported."
    assert t("deadline.title", "en", days=1, start="2026-12-30") == (
        "1 working day from 2026-12-30"
    )
    assert t("check.ok", "en", cases=1, events=3) == "Check passed: 1 case, 3 events, file sound."
    assert t("exp.done", "en", count=2, path="1 cases.csv") == "Exported 2 cases to 1 cases.csv"
    assert t("exp.done", "en", count=1, path="1 cases.csv") == "Exported 1 case to 1 cases.csv"
    assert t("imp.done", "zh", new=1, same=1) == "导入完成：新增 1 件，已在台账中未变 1 件。"


def test_what_the_system_says_is_said_in_chinese_in_a_chinese_line():
    """A Chinese refusal quoted SQLite's and the system's English: (file is not a database),
    (Permission denied)."""
    from ledger.errors import LedgerError
    from ledger.i18n import SYSTEM_WORDS, system_said

    denied = "[Errno 13] Permission denied: 'x.csv'"
    assert system_said(denied, "zh") == "[Errno 13] 没有权限: 'x.csv'"
    assert system_said("DATABASE DISK IMAGE IS MALFORMED", "zh") == "数据库文件结构损坏"
    assert system_said("file is not a database", "en") == "file is not a database"
    assert system_said("On tree page 20 cell 0", "zh") == "On tree page 20 cell 0"  # a finding
    error = LedgerError("err.os_other", path="x.csv", detail="Input/output error")
    assert error.message("zh") == "无法读写 x.csv（读写错误）。"
    assert "(Input/output error)" in error.message("en")
    chinese = "".join(SYSTEM_WORDS["zh"].values())
    assert not any(c.isascii() and c.isalpha() for c in chinese)


# English messages that quote what the clerk types or the book holds, in its own script
QUOTES_CHINESE_INPUT = {
    "err.bad_date",  # 2026年10月14日 is a date the clerk may type
    "imp.skipped",  # 合计/小计/总计: the words of the book's rows that were skipped
    "row.bad_time_limit",  # 3个工作日, as a book's 办理时限 says it
    "row.no_year",  # 2026年10月, as a title row names its year
    "opt.import.year",  # 10月9日, a date as a book writes it
}


def test_english_says_nothing_in_chinese_but_what_is_typed_or_read_so():
    """The weekly figures for leadership said `Cannot-be-done answers (否定答复)` in an
    English run, and English help glossed its words in Chinese (督办, 签收, 协办): one
    language a run."""
    cjk = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
    glossed = {key for key, text in EN.items() if cjk.search(text)}
    assert glossed == QUOTES_CHINESE_INPUT
