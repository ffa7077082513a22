"""Where the ledger's lines break (`ledger.linebreak`): a closing sign never begins a line nor
an opening one ends it, a code or a date is never cut, and no line is wider than its cell."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from ledger import linebreak

linebreak.install()

CLOSING = "。，、）」』】》：；！？"
OPENING = "（「『【《"


def lines_of(text: str, width: int) -> list[str]:
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    return [str(line) for line in Text(text).wrap(console, width)]


def test_a_closing_sign_takes_the_character_before_it_to_the_next_line():
    # Rich put `）` alone on the fourth line of a paused case's reason at 80 columns
    # (and the last line is not one character alone: `时` goes down with it)
    assert lines_of("意见（不计入办理时限）", 10) == ["意见（不计", "入办理", "时限）"]


def test_an_opening_sign_goes_with_what_it_opens():
    assert lines_of("申请材料（补正）已交", 10) == ["申请材料", "（补正）", "已交"]


def test_a_code_or_a_date_is_never_cut_in_two():
    # at 60 columns the help said `ma` / `rket=市场准入` and `2026-10-` / `19`
    assert lines_of("涉及科室类别（可重复）：market=市场准入", 26) == [
        "涉及科室类别（可重复）：",
        "market=市场准入",
    ]
    assert lines_of("期限延至2026-10-19", 16) == ["期限延至", "2026-10-19"]


def test_a_masked_phone_number_is_one_word():
    # at 60 columns the city table showed `电话137****` / `1111`, which reads as another mask
    assert lines_of("拱墅区窗口 电话137****1111", 20) == ["拱墅区窗口 电话", "137****1111"]
    assert lines_of("联系人王先生137****1111", 16) == ["联系人王先生", "137****1111"]


def test_a_short_value_in_quotes_goes_down_whole():
    # `--at` help at 80 columns said `昨` / `天 15:00`
    assert lines_of('或 9:30（今天）、"昨天 15:00"；默认为现在。', 20) == [
        "或 9:30（今天）、",
        '"昨天 15:00"；默认为',
        "现在。",
    ]


def test_a_quote_after_a_digit_opens_nothing_and_a_quoted_value_follows_its_sign():
    # inches: the quote after 5 is no opening one, and nothing pairs it with the next
    assert lines_of('屏幕 5" 与 7" 之间的差别很大很大', 10) == [
        '屏幕 5" 与',
        '7" 之间的',
        "差别很大",
        "很大",
    ]
    # a setting typed with its value in quotes: the value goes down whole after the sign
    assert lines_of('例如 window_name="办不成事 反映窗口" 即可', 24) == [
        "例如 window_name=",
        '"办不成事 反映窗口" 即可',
    ]


def test_a_code_and_label_longer_than_the_line_break_after_the_sign():
    # at 60 columns: `max_extension_days=单次延期最多工作日` / `数`
    assert lines_of("max_extension_days=单次延期最多工作日数, window_name=窗口名称", 30) == [
        "max_extension_days=",
        "单次延期最多工作日数, ",
        "window_name=窗口名称",
    ]


def test_a_short_mark_in_brackets_goes_down_whole():
    """At 80 columns the sheet said `(今日已转` / `出)`, and help `--contact（联系电` / `话）`."""
    assert lines_of("水土保持方案审批 (协办：工程建设) (今日已转出)", 36) == [
        "水土保持方案审批 (协办：工程建设) ",
        "(今日已转出)",
    ]
    folded = lines_of("--contact（联系电话）", 16)  # longer than the line: folded
    assert "".join(folded) == "--contact（联系电话）" and max(map(cell_len, folded)) <= 16
    assert lines_of("字段：--applicant（反映人） --contact（联系电话）", 30) == [
        "字段：--applicant（反映人） ",
        "--contact（联系电话）",
    ]
    assert lines_of("主办[协办，主办：农水事务]", 24) == ["主办", "[协办，主办：农水事务]"]
    # one longer than the line is folded as any run is
    assert "".join(lines_of("（不计入办理时限）", 10)) == "（不计入办理时限）"


def test_a_code_stays_with_its_label_and_a_variable_with_its_sign():
    """Help at 80 columns: `online=网` / `上`, `max_extension_days=单` / `次延期最多工作日数`,
    `other=其` / `他。` and `（否则用 $` / `LEDGER_LANG）`."""
    assert lines_of("渠道：window=窗口，online=网上", 24) == ["渠道：window=窗口，", "online=网上"]
    assert lines_of("可设：max_extension_days=单次延期最多工作日数", 44) == [
        "可设：",
        "max_extension_days=单次延期最多工作日数",
    ]
    assert lines_of("letter=来信，other=其他。", 18) == ["letter=来信，", "other=其他。"]
    assert lines_of("界面语言（否则用 $LEDGER_LANG）", 24) == [
        "界面语言（否则用 ",
        "$LEDGER_LANG）",
    ]


def test_a_space_before_a_closing_sign_does_not_cost_a_line():
    """The word after a space went down whole, so its comma began a line after all."""
    assert lines_of("甲乙丙丁 ，戊己", 8) == ["甲乙丙", "丁 ，", "戊己"]
    assert [line.rstrip() for line in lines_of("hello world foo", 8)] == ["hello", "world", "foo"]


def test_a_last_line_is_never_one_character_alone_where_the_line_before_can_spare_one():
    # help at 60 columns said `…有评价的反` / `馈`, the sheet at 80 `…尾款拨` / `付`
    for width in range(8, 44):
        last = lines_of("满意率：（满意 + 基本满意）/ 有评价的反馈", width)[-1]
        assert len(last.strip()) > 1, width
    assert lines_of("高标准农田建设项目尾款拨付", 24) == ["高标准农田建设项目尾款", "拨付"]
    # one character and the signs after it are alone too: `入。` takes `导`
    assert lines_of("或一行也不导入。", 12) == ["或一行也不", "导入。"]


def test_a_lone_last_character_after_a_space_takes_the_character_before_the_space():
    # the break moved to before the space, and the line shown was `十` alone all the same
    assert lines_of("一二三四五六七八九 十", 18) == ["一二三四五六七八", "九 十"]


def test_a_lone_last_character_stays_where_taking_one_would_break_a_rule():
    # taking one would cut the date, or leave `（` ending the line before, or empty it
    assert lines_of("2026-10-19甲", 10) == ["2026-10-19", "甲"]
    assert lines_of("甲乙丙（丁", 8) == ["甲乙丙", "（丁"]
    assert lines_of("甲乙", 2) == ["甲", "乙"]
    # a letter alone is a word of its own: English is left as Rich wraps it
    assert [line.rstrip() for line in lines_of("fold it a", 7)] == ["fold it", "a"]


def test_the_words_either_side_of_a_changes_arrow_stay_whole():
    # `show` at 80 columns said `已受理 → 已` / `分类`
    assert [line.rstrip() for line in lines_of("已受理 → 已分类", 10)] == ["已受理 →", "已分类"]
    assert [line.rstrip() for line in lines_of("处理结果：已办成 → 待补正", 16)] == [
        "处理结果：已办成",
        "→ 待补正",
    ]


def test_a_run_longer_than_the_line_is_still_folded():
    assert lines_of("abcdefghijkl", 5) == ["abcde", "fghij", "kl"]


def test_a_line_of_signs_alone_is_still_broken_somewhere():
    assert "".join(lines_of("。。。。。。", 4)) == "。。。。。。"


def test_a_long_text_is_read_through_once_not_once_a_line():
    """A matter of 20,000 characters took `list` 92 s: the breaks were chosen by reading the
    rest of the text again for every line. Each character is now measured about once."""
    measured = []

    def cell_size(char: str) -> int:
        measured.append(char)
        return 2 if ord(char) > 0x2E80 else 1

    text = "申请人多次到窗口办理（未果），" * 1400
    breaks = linebreak.divide(text, 24, cell_size)
    assert len(breaks) > 1500
    assert len(measured) < 1.3 * len(text)


text_pieces = st.lists(
    st.one_of(
        st.text("办理时限申请材料事项部门", min_size=1, max_size=6),
        st.sampled_from(list(CLOSING + OPENING)),
        st.sampled_from(["market", "2026-10-19", "utf-8-sig", "a", "09:30"]),
        st.just(" "),
    ),
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(pieces=text_pieces, width=st.integers(min_value=4, max_value=30))
def test_lines_keep_the_text_fit_the_width_and_follow_the_rules(pieces, width):
    text = "".join(pieces)
    lines = lines_of(text, width)
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    spans, position = [], 0  # where each line stands in the text (a break drops spaces)
    for line in lines:
        if line.strip():
            start = text.index(line.strip(), position)
            position = start + len(line.strip())
            spans.append((start, position))
    for (start, end), (after, _) in zip(spans, spans[1:], strict=False):
        line = text[start:after]
        if not polite(text[start:], after - start):
            # a rule is broken only where the line before had no place that keeps it
            # (and none inside a mark in brackets or a code with its label that fits a line)
            kept = linebreak.kept_together(text, width, cell_len)
            better = [
                i
                for i in range(1, end - start)
                if whole(line, i) and polite(line, i) and not kept[start + i]
            ]
            assert not better, (text[start:end], text[after:])
        if end == after and word(text[end - 1]) and word(text[after]):
            # a word cut in two fills its whole line: it was longer than the line
            assert all(map(word, text[start:end])), (text[start:end], text[after:])
            assert cell_len(text[start:end]) == width


def word(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "-_./:=+@#%$")


def whole(text: str, at: int) -> bool:
    return not (word(text[at - 1]) and word(text[at]))


def polite(text: str, at: int) -> bool:
    """No closing sign begins the next line, no opening sign ends this one (the spaces at a
    break are not shown: the signs beside them are)."""
    ends, begins = text[:at].rstrip(), text[at:].lstrip()
    return bool(ends) and begins[:1] not in tuple(CLOSING) and ends[-1] not in OPENING
