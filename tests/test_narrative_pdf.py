"""A PDF's prose read from where its characters stand (issue 13 item 6): the order a producer wrote
them in, the spaces an extractor guesses and the fonts do not change the text. The published PDFs
themselves are read in test_narrative_annotate; these are the rules on hand-placed characters."""

from __future__ import annotations

import pytest

from budgetkit.load.pdf_text import (
    Glyph,
    Line,
    lines_of,
    normalised,
    paragraphs,
    running_lines_dropped,
)

SIZE = 11.0


def glyphs(text: str, left: float, bottom: float, width: float = SIZE) -> list[Glyph]:
    """``text`` set on one line, each character ``width`` wide (a space is a gap)."""
    placed = []
    for n, char in enumerate(text):
        if char != " ":
            placed.append(Glyph(char, left + n * width, bottom, left + (n + 1) * width, bottom + SIZE))
    return placed


def test_a_quote_written_after_the_next_word_is_read_where_it_stands():
    line = glyphs("行政运行”科目1,202.95万元", 90, 700)
    quote = line.pop(4)
    assert lines_of([*line[:6], quote, *line[6:]])[0].text == "行政运行”科目1,202.95万元"


def test_lines_are_read_top_to_bottom_whatever_the_order_of_the_stream():
    first, second = glyphs("收入预算9,101.68万元，其中：", 90, 700), glyphs("财政拨款收入9,101.68万元。", 90, 684)
    # a glyph set a little lower on its line (a full-width comma's box) stays on its line
    comma = next(n for n, glyph in enumerate(first) if glyph.char == "，")
    first[comma] = Glyph("，", first[comma].left, 698.5, first[comma].right, 709.5)
    assert [line.text for line in lines_of(second + first)] == ["收入预算9,101.68万元，其中：", "财政拨款收入9,101.68万元。"]


def test_bold_faked_by_printing_each_glyph_twice_reads_once_and_a_doubled_character_stays():
    once = glyphs("人人有责，基本支出90万元", 90, 700)
    twice = once + [Glyph(g.char, g.left + 0.4, g.bottom, g.right + 0.4, g.top) for g in once]
    assert lines_of(twice)[0].text == "人人有责，基本支出90万元"


@pytest.mark.parametrize(("extracted", "draft"), [
    ("比 2024 年预算减少 2,389.52 万元", "比2024年预算减少2,389.52万元"),
    ("“ 三公 ” 经费 867.50 万元", "“三公”经费867.50万元"),
    ("1, 202.95万元，9,101 .68万元，增长 12.5 %", "1,202.95万元，9,101.68万元，增长12.5%"),
    ("1. 2025年", "1. 2025年"),
    ("２０２５年收入９,１０１.６８万元", "2025年收入9,101.68万元"),
    ("收入９，１０１．６８万元，增长１２．５％，共１，２，３项", "收入9,101.68万元，增长12.5％，共1，2，3项"),
    ("部⻔预算，公务⽤⻋运行费", "部门预算，公务用车运行费"),
    ("（一）因公出国（境）费：839万元", "（一）因公出国（境）费：839万元"),
    ("Microsoft  Word  document", "Microsoft Word document"),
])
def test_a_pdfs_spacing_and_character_variants_are_read_as_the_draft_wrote_them(extracted, draft):
    assert normalised(extracted) == draft


def line(text: str, left: float = 90, right: float = 522, bottom: float = 700, lead: float = SIZE) -> Line:
    return Line(text, left, right, bottom + SIZE, bottom, SIZE, lead)


def test_a_line_that_stops_short_before_a_figure_too_wide_for_it_runs_on():
    page = [line("住房保障支出（类）36.66万元，占", right=490), line("19.29%。", right=140, bottom=684, lead=40),
            line("二、收入决算情况说明", right=200, bottom=668), line("其他收入3.33万元。", right=200, bottom=652)]
    assert paragraphs([page]) == [("住房保障支出（类）36.66万元，占19.29%。", 0), ("二、收入决算情况说明", 0),
                                  ("其他收入3.33万元。", 0)]


def test_an_indented_line_or_a_numbered_item_after_a_sentence_opens_a_paragraph():
    page = [line("第一段的一整行，写满了右边距。"), line("第二段首行缩进两个字符。", left=112, bottom=684),
            line("第二段的第二行，写满右边距的句子。", bottom=668), line("（一）因公出国（境）费839万元。", bottom=652, right=300)]
    assert [text for text, _ in paragraphs([page])] == [
        "第一段的一整行，写满了右边距。", "第二段首行缩进两个字符。第二段的第二行，写满右边距的句子。",
        "（一）因公出国（境）费839万元。"]


def test_a_paragraph_runs_on_over_a_page_unless_the_next_page_opens_one_or_a_table_page_comes_between():
    full, short = line("收入预算9,101.68万元，其中：财政拨款收入"), line("事业收入0万元。", right=200, bottom=684)
    assert paragraphs([[full], [short]]) == [("收入预算9,101.68万元，其中：财政拨款收入事业收入0万元。", 0)]
    assert paragraphs([[full], [], [short]]) == [("收入预算9,101.68万元，其中：财政拨款收入", 0), ("事业收入0万元。", 2)]
    indented = [line("事业收入0万元，比上年增加", left=112), line("5万元。", right=140, bottom=684)]
    assert paragraphs([[full], indented]) == [("收入预算9,101.68万元，其中：财政拨款收入", 0),
                                              ("事业收入0万元，比上年增加5万元。", 1)]


def test_a_running_header_and_footer_are_no_part_of_the_text():
    def page(number: int, *body: Line) -> list[Line]:
        return [line("上海市普陀区人民政府办公室2025年单位预算", left=200, right=420, bottom=760), *body,
                line(f"共3页 第{number}页", left=280, right=340, bottom=40)]

    pages = [page(1, line("收入预算9,101.68万元，其中：财政拨款收入9,101.68万元，事业收入")),
             page(2, line("0万元。", right=130), line("支出预算9,101.68万元。", bottom=684, right=250)),
             page(3, line("（一）因公出国（境）费839万元。", right=300))]
    assert paragraphs(running_lines_dropped(pages)) == [
        ("收入预算9,101.68万元，其中：财政拨款收入9,101.68万元，事业收入0万元。", 0), ("支出预算9,101.68万元。", 1),
        ("（一）因公出国（境）费839万元。", 2)]
    # a first line met on one page only is the text's, and so is a heading opening a few pages of many
    assert running_lines_dropped(pages[:1] + [[line("收入预算9,101.68万元。", right=200)]]) == (
        pages[:1] + [[line("收入预算9,101.68万元。", right=200)]])
    units = [page for unit in ("区科协", "区民政局", "区司法局") for page in (
        [line("一、部门主要职能", right=200), line(f"{unit}负责全区的有关工作。", right=300, bottom=684)],
        [line(f"{unit}收入预算100万元。", right=200)], [line(f"{unit}支出预算100万元。", right=200)])]
    assert running_lines_dropped(units) == units
