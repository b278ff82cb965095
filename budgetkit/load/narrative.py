"""Report texts (表文): a .txt or .docx read into paragraphs and the figures they state.

A statement is an amount with the words before it as its label ("上年结转0.84万元"),
the share that follows it ("，占0%") and, when "其中" follows an amount, the parts
listed after it. A clause that compares ("比2024年预算减少2,389.52万元", "同比增加",
"，增加5万元") states a change of the item before it: it is kept, marked, and never
taken for a part. Every figure is a ``Cell`` whose ref is the file, ``报告文字`` and
"第N段" (N counts the non-empty paragraphs), so findings on a text read like any other.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import islice, takewhile
from pathlib import Path

from budgetkit.load.pdf_text import (
    lines_of,
    page_glyphs,
    paragraphs,
    running_lines_dropped,
)
from budgetkit.load.text_grids import decode_text
from budgetkit.model import Cell, CellRef, SourceFile, Unit
from budgetkit.text import numbering_level, year_in

SHEET = "报告文字"

_UNITS = {unit.label: unit for unit in Unit}
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(亿元|万元|千元|元)")
# "单价100万元（含）以上设备", "单位价值50万元以上": a bound things are counted by, no money stated
_THRESHOLD = re.compile(r"\s*(?:[（(]含[）)])?及?(?:以上|以下)")
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_LABEL_FILLER = re.compile(r"^(?:其中|另外|此外|包括|包含|以及|和|及|、)|(?:为|是|达到|达|共计|共)$")
_YEAR_PREFIX = re.compile(r"^.*\d{4}年度?")
# A 类, 款 or 项 named before the year of its figure ("行政运行（01项）2025年预算数为…"): the name stays in the label
_SUBJECT_BEFORE_YEAR = re.compile(r"[（(](?:类|款|项|\d{2}项|\d{3}|\d{5}|\d{7})[）)]\s*(?=\d{4}年度?$)")
_DIRECTION = r"(?:增加|减少|增长|下降|上升|降低|提高|增|减|多|少|节约|超支)了?"
# A percentage: its figure ends in "%", or where the clause ends, so that a missing sign can be reported;
# a figure with any other word after it is a count ("增加2人", "减少5批次"), a multiple ("增长1倍") or
# percentage points ("提高2.15个百分点"), never a rate nor a share
_PERCENT = r"(\d+)(?:\.(\d+))?(?![\d.,])\s*(?:([%％])|(?=[，,。；;、）)！!？?]|$))"
# "占0%", "占比为0.51%", "占本年支出的76.23%", "比重为81.67%"; not "占比较上年提高2.15个百分点",
# "占…的比重下降1.2个百分点"
_SHARE = re.compile(rf"(?:占(?P<base>(?:(?!{_DIRECTION})[^\d，,。；;]){{0,15}}?)|比重(?:为|是|达)?\s*){_PERCENT}")
_PERCENT_FIGURE = re.compile(_PERCENT)
# "，分别占34.30%、65.70%", and the words that join the amounts they are the shares of ("105.58万元、202.24万元")
_EACH_SHARE = re.compile(r"分别占[^\d，,。；;]{0,15}?((?:\d[\d.]*\s*[%％]?\s*[、和及]\s*)+\d[\d.]*\s*[%％]?)")
_LIST_JOINS = ("、", "和", "及", "与")
# ... and a join that carries the next amount's name ("人员经费1,882.31万元和公用经费172.18万元")
_NAMED_JOIN = re.compile(rf"[{''.join(_LIST_JOINS)}][^\d，,。；;]{{0,12}}")
# "基本支出和项目支出分别为…": the names of the amounts that follow, in order
_EACH_NAMED = re.compile(r"^(.+[、和及与].+)分别$")
_LAST_YEAR = r"(?:上年|去年|上年度|上一年度?)"
_FIGURE_OF_YEAR = rf"(?:{_LAST_YEAR}|\d{{4}}年度?)(?:同期|末|底)?(?:年初|全年)?(?:预算|决算|执行)?数?"
# The clause before the figure a change is measured from: "上年为", "上年同期为", "（上年98.20万元）",
# "比上年决算数280.00万元增加…", "较2023年的98.20万元增加…", "较2023年末的297.51万元减少…", "比年初预算285.58万元
# 增加…", "比预算数5.00万元减少…"
# A year alone before 为 ("2023年度为280.00万元") is a base; a year with its figure's stage
# ("2022年年初预算为…", "2022年决算数为…") names the text's own figure, unless a figure of the year after
# it stands before it in the sentence (``_year_before``).
_BASE = re.compile(rf"^(?:(?:比|较|与)(?:{_FIGURE_OF_YEAR}|(?:年初|全年|调整)?预算数?)的?"
                   rf"|{_LAST_YEAR}(?:同期)?(?:年初|全年)?(?:预算|决算|执行)?数?(?:为|是)?|\d{{4}}年度?(?:同期)?(?:为|是))$")
# The clause before an amount that makes it a change, not a figure of its own: "比2024年预算减少",
# "较上年增加", "比上年增加基本支出", "同比增长", "（与上年相比，）增加", "决算数大于预算数", or the
# base it is measured from; "比例""比重" compare nothing.
_COMPARISON = re.compile(
    rf"(?:(?<![对无])比(?![例重率])|较|同比|环比|相比|相较|对比).*{_DIRECTION}"
    rf"|^{_DIRECTION}$"
    r"|(?:大于|小于|超过|超出|多于|少于|高于|低于)(?:年初|全年|调整)?(?:预算|决算)数?$"
    rf"|{_BASE.pattern}")
# A comparison the sentence has already opened ("与2023年度相比，", "较上年，") before a clause that names its item
# again and says how it moved: "收、支总计各增加", "收入总计增加"
_COMPARED_WITH = re.compile(r"相比|相较|同比|(?:(?<![对无])比|较)(?:上年|去年|上一年|\d{4}年)")
_RESTATED_CHANGE = re.compile(rf"(.+?)(?:各|均|分别)?{_DIRECTION}")
_BARE_CHANGE = re.compile(_DIRECTION)
# A heading: a short paragraph (or a paragraph's opening sentence) that states no figure.
_HEADING_LENGTH = 40
# A 类、款、项 heading may run longer: "2.社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）"
_SUBJECT_MARK = re.compile(r"[（(](?:类|款|项)[）)]")


def _may_head(text: str) -> bool:
    """Whether words stating no figure may be a heading: short ones, and a subject heading of any length."""
    return len(text) <= _HEADING_LENGTH or bool(_SUBJECT_MARK.search(text))


# What opens a list of parts after a total: "其中", or "包括：", "主要用于以下方面：" with their colon
# (without one, "人员经费90万元，主要包括基本工资、津贴补贴等" describes and lists no figure).
# ... or 包括 straight before its first part's name and figure, with no colon ("…2,054.50万元，包括人员经费1,882.31万元
# 和公用经费172.18万元")
_BARE = r"(?:主要|具体)?(?:包括|包含)"
_LIST_OPENER = re.compile(rf"其中|(?:主要|具体|分别)?(?:用于|包括|包含|如下)[^，,。；;：:]{{0,8}}[：:]"
                          rf"|{_BARE}(?=[^，,。；;：:\d]{{1,12}}$)")
_BARE_OPENER = re.compile(f"{_BARE}$")
# Within a list, what opens a list of a part's own parts ("基本支出105.58万元，包括人员经费…和公用经费…")
_NESTED_OPENER = re.compile(r"其中|包括|包含")
# A figure stated of several items at once ("收入、支出总计均为307.82万元") totals no list
_SHARED_FIGURE = re.compile(r"(?:均|分别|各)$")
# Words that make a figure a measure of the whole rather than one more part: its stage, its execution, its sum
_WHOLE_MEASURE = re.compile(r"实际|决算|执行|全年|合计|总计|总额|累计")
# "…社会组织孵化经费80.00万元等。": the list names some of the parts only
_SOME_ONLY = re.compile(r"^\s*等")
# The stage a figure's label names: its budget, or what was spent ("支出决算", "执行数", "实际支出")
_STAGE_WORDS = (("预算", re.compile("预算")), ("决算", re.compile(r"决算|执行|实际")))
_FUND_NAMES = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算")
# Full-width digits and decimal point, one character each way, so that every offset in a sentence holds;
# full-width brackets, commas and ％ stay (the patterns read them as printed)
_FULL_WIDTH_FIGURES = str.maketrans("０１２３４５６７８９．", "0123456789.")
# A full-width comma or a space between a money figure's digit groups is its thousands separator:
# 1，645，200.00元, 1 645 200.00元. A single plain space is not ("附表3 100.00万元" is 100.00).
_PARTED_FIGURE = re.compile(r"(?<![\d.])\d{1,3}(?:[， \u00a0\u2009\u202f,]\d{3})+(?=(?:\.\d+)?\s*(?:亿元|万元|千元|元))")
_GROUP_SEPARATORS = str.maketrans("， \u00a0\u2009\u202f", ",,,,,")
# A physical line of a .txt that ends a paragraph: the end of a sentence, a closing quote or bracket after it
_PARAGRAPH_END = re.compile(r"[。！!？?][”’」』）)]*$")


@dataclass(frozen=True)
class Change:
    """What the comparison clauses after an item say of it: "比上年增加12.5万元，增长10.50%", "上年为90万元",
    "比2024年预算持平", "与2023年度相比，收、支总计各增加27.82万元". ``direction`` is +1 for 增加/增长, −1 for 减少/下降, 0 for 持平 (None when unsaid);
    ``level`` says the words call it 持平; ``rate`` is a fraction like a share; ``year`` and ``stage`` are those of
    the figure compared with. ``words`` run from the comparison on (its base named there: "比上年预算")."""

    words: str
    direction: int | None = None
    amount: Amount | None = None
    rate: Cell | None = None
    rate_direction: int | None = None
    rate_has_sign: bool = True
    base: Amount | None = None
    year: int | None = None
    stage: str = ""
    sentence: str = ""  # the sentence it is stated in when that follows the item's ("…总计307.82万元。与上年相比，…")
    level: bool = False


@dataclass(frozen=True)
class Amount:
    """One "X万元" with its label and, when stated, its share (a fraction, like a table's 占比).

    ``comparison`` marks a change ("比上年增加X万元") of the item before it. ``context`` holds
    the words that set the amount's 口径 when its label does not, nearest first: the label of
    the total whose "其中" lists it, then its sentence's opening words ("财政拨款支出预算中，").
    """

    label: str
    cell: Cell
    unit: Unit
    sentence: str
    share: Cell | None = None
    share_has_sign: bool = True
    comparison: bool = False
    context: tuple[str, ...] = ()
    change: Change | None = None
    shown: str = ""   # the figure as printed ("1,202.95万元") ...
    offset: int = 0   # ... and where it starts in ``sentence``, so that a correction replaces this one
    year: int | None = None  # the year its clause names ("2023年度收入总计"), which may not be the text's
    share_of: str = ""  # the whole its share names ("占政府采购支出总额的84.22%"), "" for a bare "占84.22%"


@dataclass(frozen=True)
class Breakdown:
    """A total and the parts that "其中" (or "包括：", "主要用于以下方面：") lists after it.

    ``complete`` is False for a list of the main items only ("主要用于："), whose parts need not
    add up to the total."""

    total: Amount
    parts: tuple[Amount, ...]
    complete: bool = True


@dataclass(frozen=True)
class Equation:
    """An equation written out in figures ("收入总计=本年收入4,390.14万元+年初结转和结余297.51万元=4,687.65万元",
    "年末结转和结余=0.84+163.68-163.68=0.84万元"): the ``result`` it states, and each other side that
    works a sum out in figures, as signed terms. A term printed without a unit takes the equation's one unit."""

    name: str  # the words of its opening side, when that names the quantity ("收入总计")
    result: Amount
    sides: tuple[tuple[tuple[int, Amount], ...], ...]


@dataclass(frozen=True)
class Paragraph:
    """``headings`` are the titles the paragraph stands under, outermost first: the short paragraphs
    that state no figure before it, each under the one before by its numbering ("五、", "（三）", "1."),
    and last its own opening sentence when that states no figure ("1.…行政运行（项）。")."""

    number: int
    text: str
    ref: CellRef
    sentences: tuple[str, ...]
    amounts: tuple[Amount, ...]
    breakdowns: tuple[Breakdown, ...]
    headings: tuple[str, ...] = ()
    equations: tuple[Equation, ...] = ()


@dataclass(frozen=True)
class Narrative:
    """A report text; ``reason`` says why it could not be read (then it has no paragraphs)."""

    file: str
    paragraphs: tuple[Paragraph, ...]
    reason: str = ""

    @property
    def year(self) -> int | None:
        """The first year the text names, which ties it to the tables of that year."""
        return next((year for p in self.paragraphs if (year := year_in(p.text))), None)


@dataclass(frozen=True)
class TextCaps:
    """The limits a report text is read within, like a workbook's: over one, the text gets a reason
    (shown in the 概览) and the run goes on. Reading is linear in the text within them."""

    max_bytes: int = 32 << 20      # a .txt as stored; a .docx's parts unpacked
    max_paragraphs: int = 20_000   # a real 编制说明 has a few hundred
    max_chars: int = 2_000_000


class TextTooLarge(Exception):
    """A report text over one of its caps; the message is the reason shown to the user."""


def load_narrative(source: SourceFile, caps: TextCaps = TextCaps()) -> Narrative:
    """A .txt, .docx or .pdf report text; a .pdf's paragraphs name their page ("第3页", 第12段)."""
    suffix = source.path.suffix.lower()
    try:
        if suffix == ".pdf":
            placed = _pdf_paragraphs(source.path, caps)
        else:
            lines = _docx_lines(source.path, caps) if suffix == ".docx" else _txt_lines(source.path, caps)
            placed = [(line.strip(), "") for line in lines if line.strip()]
        _within([text for text, _ in placed], caps)
    except TextTooLarge as exc:
        return Narrative(source.relative, (), f"报告文字超过上限，未核对：{exc}")
    except Exception as exc:  # python-docx and pdfium raise many types on a damaged file; it costs that text only
        return Narrative(source.relative, (), f"无法读取报告文字：{exc}")
    if not placed:
        said = "PDF 中没有可核对的文字段落（扫描件，或只有表格页），未核对" if suffix == ".pdf" else "文件中没有文字，未核对"
        return Narrative(source.relative, (), said)
    paragraphs: list[Paragraph] = []
    headings: tuple[str, ...] = ()
    for number, (text, place) in enumerate(placed, start=1):
        # "3.住房保障支出（类）…（项）：…17.70万元" after the heading "2.…事业运行（项）": a numbered paragraph closes the
        # headings of its own depth or deeper, whether or not it states figures; only a figureless one heads the next
        headings = _closed(headings, _depth(text))
        paragraph = parse_paragraph(source.relative, number, text, (*headings, *_subject_opening(text)), place)
        paragraphs.append(paragraph)
        if not paragraph.amounts and _may_head(text):
            headings = _under(headings, text)
    return Narrative(source.relative, tuple(_lists_over_paragraphs(paragraphs)))


def _under(headings: tuple[str, ...], heading: str) -> tuple[str, ...]:
    """The outline with ``heading`` in it: it closes the headings of its own depth or deeper, and
    stands under the shallower ones (so a 项's heading keeps the fund its section heading names)."""
    depth = _depth(heading)
    if depth is None:
        return (heading,)
    return (*_closed(headings, depth), heading)


def _subject_opening(text: str) -> tuple[str, ...]:
    """The 类（款）（项） a numbered paragraph opens with, as the heading of its own figures ("3.住房保障支出（类）住房改革
    支出（款）住房公积金（项）：年初预算为18.00万元…"); none where it names no subject before its first clause ends."""
    if _depth(text) is None:
        return ()
    first = re.split(r"[，,。；;]", text, maxsplit=1)[0]
    marks = list(_SUBJECT_MARK.finditer(first))
    return (first[:marks[-1].end()],) if marks else ()


def _closed(headings: tuple[str, ...], depth: int | None) -> tuple[str, ...]:
    """The outline once a numbered item of ``depth`` begins: only the shallower headings stand (None: no change)."""
    if depth is None:
        return headings
    return tuple(h for h in headings if (d := _depth(h)) is not None and d < depth)


def _depth(heading: str) -> int | None:
    """A heading's depth in the report's outline by its numbering; a heading without one (the title) stands alone."""
    return numbering_level(heading)


def _enumerated(paragraph: str) -> bool:
    """One item of a numbered list: "（一）因公出国（境）费839万元", "2. …"."""
    return numbering_level(paragraph.lstrip()) is not None


def _within(texts: list[str], caps: TextCaps) -> None:
    if len(texts) > caps.max_paragraphs:
        raise TextTooLarge(f"{len(texts):,} 段，上限 {caps.max_paragraphs:,} 段")
    chars = sum(map(len, texts))
    if chars > caps.max_chars:
        raise TextTooLarge(f"{chars:,} 个字符，上限 {caps.max_chars:,} 个")


def _lists_over_paragraphs(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A paragraph that ends in "其中：" lists its parts in the numbered paragraphs after it
    ("“三公”经费预算数为867.50万元。其中：" then "（一）因公出国（境）费839万元…"): the first figure
    of each is a part (of an item that states its 预算 and its 决算, the one of the total's stage), and the
    list belongs to the paragraph of its total. An item numbered like the others that states no figure (its
    figures wrapped onto lines of their own, or a heading of the same rank) leaves the list unread; an item
    of another rank (the next heading, a sub-item) ends it."""
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text.rstrip()
        opener = _LIST_OPENER.search(text[-12:])
        # "…具体情况如下：" lists the parts of a figure its own sentence states, not of the paragraph's last one
        closing = paragraph.sentences[-1].strip() if opener and "如下" in opener.group() else None
        total = next((a for a in reversed(paragraph.amounts)
                      if _may_total(a) and closing in (None, a.sentence)), None)
        if opener is None or total is None or text[-1] not in "：:" or any(
                b.total is total for b in paragraph.breakdowns):
            continue
        numbered = []
        for following in islice(paragraphs, index + 1, None):
            figures = [a for a in following.amounts if not a.comparison]
            same_rank = numbered and _depth(following.text) == _depth(paragraphs[numbered[0][0] - 1].text)
            # Another rank ends the list: "（二）支出决算总计…" after "（一）…包括：" and its "1.", "2.".
            if not _enumerated(following.text) or (numbered and not same_rank) or not figures and not same_rank:
                break
            of_stage = _parts_of_stage(total, figures) if figures else None
            numbered.append((following.number, of_stage[0] if of_stage else None))
        if len(numbered) < 2 or any(part is None for _, part in numbered):
            continue
        parts = []
        for number, first in numbered:
            placed = _in_context(paragraphs[number - 1].amounts, {id(first): (total.label,)})
            paragraphs[number - 1] = replace(paragraphs[number - 1], amounts=tuple(placed.values()))
            parts.append(placed[id(first)])
        complete = not opener.group().startswith("主要")
        paragraphs[index] = replace(paragraph, breakdowns=(*paragraph.breakdowns,
                                                           Breakdown(total, tuple(parts), complete)))
    return paragraphs


def _parts_of_stage(total: Amount, parts: list[Amount]) -> list[Amount] | None:
    """The parts of the total's stage: all of them, unless they state a 预算 and a 决算 ("公务接待费预算2.00万元，
    决算0.70万元", "年初预算为51.32万元，支出决算为51.32万元"); then those of the stage the total names, and None
    (the list cannot be read) when the total names none."""
    stages = {_stage(a.label) for a in parts} - {None}
    if len(stages) < 2:
        return parts
    stage = _stage(total.label)
    return [a for a in parts if _stage(a.label) == stage] if stage else None


def _stage(label: str) -> str | None:
    """预算 or 决算, when a label names one of them and not both; a fund's name ("一般公共预算") names no stage."""
    words = _FUND_NAMES.sub("", label)
    named = {stage for stage, pattern in _STAGE_WORDS if pattern.search(words)}
    return named.pop() if len(named) == 1 else None


def _in_context(amounts: tuple[Amount, ...] | list[Amount], under: dict[int, tuple[str, ...]]) -> dict[int, Amount]:
    """Each amount by id, a part taking the labels of the totals it is listed under, nearest first, as its
    nearest context."""
    return {id(a): replace(a, context=(*under[id(a)], *a.context)) if id(a) in under else a for a in amounts}


def _may_total(amount: Amount) -> bool:
    return not amount.comparison and not _SHARED_FIGURE.search(amount.label)


def _txt_lines(path: Path, caps: TextCaps) -> list[str]:
    with path.open("rb") as handle:
        data = handle.read(caps.max_bytes + 1)
    if len(data) > caps.max_bytes:
        raise TextTooLarge(f"文件大于 {_megabytes(caps.max_bytes)}")
    return _unwrapped(decode_text(data).splitlines())


def _unwrapped(lines: list[str], by_width: bool = True) -> list[str]:
    """Lines with each that the next continues joined to it: a line the next continues mid-figure ("…占本年
    支出合计的100" then "%。…", "…增加1.23" then "万元…"), as a .docx converted from a PDF (a printed line
    a paragraph) has them; and ``by_width``, as a .txt typed with hard line breaks has them, a line as wide
    as the text is wrapped at (and longer than a heading) that ends no sentence, unless the next opens a
    numbered item. A paragraph merely left without its stop is shorter than the wrap width, and stays a
    paragraph of its own."""
    stripped = [line.strip() for line in lines]
    width = _wrap_width(stripped) if by_width else None
    joined: list[str] = []
    carried = False
    for line in stripped:
        if joined and line and (carried and not _enumerated(line) or _continues(joined[-1], line)):
            joined[-1] += line
        else:
            joined.append(line)
        carried = width is not None and len(line) >= width and not _PARAGRAPH_END.search(line)
    return joined


def _wrap_width(lines: list[str]) -> int | None:
    """The width a text is hard-wrapped at: the length most of its long lines share, within a character
    or two (a wrapped line is as full as the next); None when no such width stands out. A text wrapped
    narrower than a heading (24 or 30 characters) is told by its lines past a short heading's length, with
    several of exactly the widest length (a title, a heading and a sentence of about one length are not)."""
    for shortest, as_wide in ((_HEADING_LENGTH, 1), (_SHORT_WRAP, _SHORT_WRAP_LINES)):
        long = [len(line) for line in lines if len(line) > shortest]
        if len(long) < 2:
            continue
        widest = max(long)
        full = [length for length in long if length >= widest - _WRAP_SLACK]
        if len(full) * 2 >= len(long) and long.count(widest) >= as_wide:
            return widest - _WRAP_SLACK
    return None


def _continues(line: str, following: str) -> bool:
    """Whether ``following`` goes on with ``line``: the rest of a figure cut at its end, or the punctuation
    after its last word."""
    return bool(_CUT_FIGURE.search(line) and _FIGURE_REST.match(following) and not _enumerated(following)
                or not _STOP_END.search(line) and _CLAUSE_OPENING_STOP.match(following))


# A line ending inside a figure, and the rest of a figure (its digits, its sign or its unit) opening the next
_WRAP_SLACK = 2  # characters a wrapped line may fall short of the width: a word that did not fit
# A text wrapped narrower than a heading is told by the lines past this length, so many of them as wide as the widest
_SHORT_WRAP, _SHORT_WRAP_LINES = 16, 3
_CUT_FIGURE = re.compile(r"\d[.．]?$")
_FIGURE_REST = re.compile(r"[\d.．%％]|亿元|万元|千元|元")
# Punctuation that ends a line, and punctuation that never opens a paragraph of its own
_STOP_END = re.compile(r"[。！？!?，,；;：:、”’」』）)]$")
_CLAUSE_OPENING_STOP = re.compile(r"[，,。；;、：:％%）)]")
_PARAGRAPH_TAG = re.compile(rb"<w:p[ >/]")


def _docx_lines(path: Path, caps: TextCaps) -> list[str]:
    """The paragraphs' texts; the package's unpacked size and its paragraph count are measured by
    streaming before python-docx builds the document in memory."""
    with zipfile.ZipFile(path) as package:
        unpacked = sum(info.file_size for info in package.infolist())
        if unpacked > caps.max_bytes:
            raise TextTooLarge(f"解压后 {_megabytes(unpacked)}，上限 {_megabytes(caps.max_bytes)}")
        if _tags_in(package, "word/document.xml") > caps.max_paragraphs:
            raise TextTooLarge(f"超过 {caps.max_paragraphs:,} 段")
    from docx import Document  # python-docx pulls in lxml: only when a .docx is read

    return _unwrapped([p.text for p in Document(str(path)).paragraphs], by_width=False)


def _tags_in(package: zipfile.ZipFile, part: str) -> int:
    """How many paragraph tags a part holds, read a megabyte at a time; the last four bytes of a chunk,
    too short to hold a whole tag, are carried over so that a tag cut in two is counted once."""
    count, tail = 0, b""
    with package.open(part) as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            count += len(_PARAGRAPH_TAG.findall(data))
            tail = data[-4:]
    return count


_PROSE = re.compile(r"[，。；！？]|\d\s*(?:亿元|万元|千元|元)")
_UNIT_LINE = re.compile(r"单位[：:]\s*(?:亿元|万元|千元|元)$")
_PAGE_NUMBER = re.compile(r"^[-－—\s]*\d{1,4}[-－—\s]*$|^第\s*\d+\s*页")
_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")
MAX_PDF_PAGES = 2_000


def _pdf_paragraphs(path: Path, caps: TextCaps) -> list[tuple[str, str]]:
    """The prose paragraphs of a PDF with the page each starts on ("第3页"); pages that are tables
    are left out (the tables are read from the workbooks)."""
    import pypdfium2  # only when a PDF is read

    if path.stat().st_size > caps.max_bytes:
        raise TextTooLarge(f"文件大于 {_megabytes(caps.max_bytes)}")
    document = pypdfium2.PdfDocument(str(path))
    try:
        if len(document) > MAX_PDF_PAGES:
            raise TextTooLarge(f"{len(document):,} 页，上限 {MAX_PDF_PAGES:,} 页")
        pages, chars = [], 0
        for index in range(len(document)):
            glyphs = page_glyphs(document[index].get_textpage())
            chars += len(glyphs)
            if chars > caps.max_chars:
                raise TextTooLarge(f"超过 {caps.max_chars:,} 个字符")
            pages.append([line for line in lines_of(glyphs) if not _PAGE_NUMBER.match(line.text)])
        prose = [[] if _is_table_page([line.text for line in lines]) else lines
                 for lines in running_lines_dropped(pages)]
        return [(text, f"第{page + 1}页") for text, page in paragraphs(prose)]
    finally:
        document.close()


def _is_table_page(lines: list[str]) -> bool:
    """A page of tables: most lines hold two or more figures and few read as prose (a sentence's
    punctuation, an amount with its unit, which a table's rows print under their header instead); or
    a unit line ("部门：…单位：万元") opens it and most lines are no prose (a 总表 whose lines are labels,
    a table of few rows under its notes)."""
    figured = sum(len(_FIGURE.findall(line)) >= 2 for line in lines)
    prose = sum(bool(_PROSE.search(line)) for line in lines)
    if any(_UNIT_LINE.search(line) for line in lines[:4]):
        return prose * 2 < len(lines)
    return figured * 2 > len(lines) and prose * 4 < len(lines)


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):,.1f} MB" if size >= 1 << 20 else f"{size / 1024:,.0f} KB"


def _groups_joined(text: str) -> str:
    """``text`` with the digit groups of its money figures parted by ASCII commas (one character for one).
    A single plain space parts two numbers ("附表3 100.00万元"), unless the text parts a figure's groups
    with spaces elsewhere ("1 645 200.00元，其中：8 400.00元")."""
    spaced = any(found.group().count(" ") > 1 for found in _PARTED_FIGURE.finditer(text))

    def joined(found: re.Match) -> str:
        figure = found.group()
        if not spaced and [c for c in figure if not c.isdigit()] == [" "]:
            return figure
        return figure.translate(_GROUP_SEPARATORS)
    return _PARTED_FIGURE.sub(joined, text)


def parse_paragraph(file: str, number: int, text: str, headings: tuple[str, ...] = (), place: str = "") -> Paragraph:
    """``place`` is the page of a PDF's paragraph ("第3页"), which stands where a text's "报告文字" does.
    Figures typed in full-width digits ("３０７．８２万元"), or with full-width commas or spaces between
    their digit groups ("1，645，200.00元", "1 645 200.00元"), are read as the figures they are."""
    ref = CellRef(file, place or SHEET, f"第{number}段")
    text = _groups_joined(text.translate(_FULL_WIDTH_FIGURES))
    sentences = tuple(s for s in _SENTENCE_END.split(text) if s.strip())
    amounts: list[Amount] = []
    lists: list[tuple[Amount, list[Amount], bool]] = []
    previous: Amount | None = None
    item: Amount | None = None  # the last figure of the paragraph that is no change
    alone = False  # whether the sentence before stated the item as its only figure
    changes: dict[int, Change] = {}  # what a later sentence says of an item's change, by the item's id
    for sentence in sentences:
        found = _amounts(sentence, ref, item)
        if item is not None and (change := _change_opening(sentence, found, item, ref, alone)) is not None:
            changes[id(item)] = change
        alone = sum(not a.comparison for a, _ in found) == 1
        if not found and not amounts and _may_head(sentence.strip()):
            headings = _under(headings, sentence.strip())
        head = _head_of_list(found)
        total = None  # the total of the list the sentence states, if it states one
        opening = _LIST_OPENER.match(sentence.lstrip())
        # "…预算163.68万元，全部为…。其中科学技术支出125.43万元；…", "…支出3,529.43万元。主要用于以下方面：…":
        # the parts follow the sentence's end, a part's own "（其中：…）" among them; a list opened so lists
        # the whole of the sentence before (its total where it listed parts of its own), not its last part
        whole_before = previous if sentence.lstrip().startswith("其中") else item if opening else None
        if whole_before is not None and found and _may_total(whole_before):
            listed = _lists_under(whole_before, found, not (opening and opening.group().startswith("主要")))
            lists.extend(listed)
            total = whole_before if listed else None
        elif head is not None:
            index, complete = head
            total = found[index][0]
            lists.extend(_lists_under(total, found[index + 1:], complete))
        amounts.extend(a for a, _ in found)
        last = next((a for a, _ in reversed(found) if not a.comparison), None)
        # A later "与上年相比，支出增加…" restates the sentence's list's total, never its last part.
        item = total or last or item
        previous = last or previous
        if previous is not None and not _may_total(previous):
            previous = None
    lists = [(total, of_stage, complete) for total, parts, complete in lists
             if (of_stage := _parts_of_stage(total, parts)) is not None]
    # a part takes the 口径 of the totals it is listed under ("一般公共预算财政拨款基本支出…，其中：人员经费…")
    under: dict[int, tuple[str, ...]] = {}
    for total, parts, _ in lists:
        under.update((id(part), (total.label, *under.get(id(total), ()))) for part in parts)
    placed = {key: replace(amount, change=changes[key]) if key in changes else amount
              for key, amount in _in_context(amounts, under).items()}
    breakdowns = tuple(Breakdown(placed[id(total)], tuple(placed[id(p)] for p in parts), complete)
                       for total, parts, complete in lists)
    equations = tuple(equation for sentence in sentences for equation in _equations(sentence, ref))
    return Paragraph(number, text, ref, sentences, tuple(placed.values()), breakdowns, headings, equations)


# -- equations written out in figures ---------------------------------------------------------------

# Where an equation's run of sides ends: a clause break (a "," between digit groups is none).
_EQUATION_BREAK = re.compile(r"[。；;：:！!？?，]|,(?!\d{3}(?!\d))")
_EQUALS = re.compile(r"[=＝]")
_OPERATOR = re.compile(r"[+＋\-－−]")
# One term of a side worked out in figures: its name (words only), the figure and its unit.
_TERM = re.compile(r"^\s*([\u4e00-\u9fff（）()“”\s]*?)\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(亿元|万元|千元|元)?\s*$")
# What an equation of sums never holds: rates, products, quotients and bounds are other arithmetic.
_NOT_A_SUM = re.compile(r"[%％×xX*/÷≈≤≥<>]")
# A bracket around an operator changes the signs within it ("A-(B+C)"): such a side is not read.
_BRACKETED_OPERATOR = re.compile(r"[（(][^）)]*[+＋\-－−]")


def _equations(sentence: str, ref: CellRef) -> list[Equation]:
    """The equations written out in figures in a sentence, only those read with certainty: each side a
    sum of terms that are a name and a figure, in one money unit, and one side a single figure, the result."""
    found = []
    text = sentence.strip()
    for start, clause in _clauses_with_equals(text):
        if _NOT_A_SUM.search(clause):
            continue
        words = _EQUALS.split(clause)
        sides, position = [], start
        for side in words:
            sides.append(_side_terms(side, position))
            position += len(side) + 1
        figured = [terms for terms in sides if terms is not None]
        units = {match.group(4) for terms in figured for _, match, _ in terms if match.group(4)}
        if len(figured) < 2 or len(units) != 1 or all(len(terms) == 1 for terms in figured):
            continue
        unit = _UNITS[units.pop()]
        read = [tuple((sign, _term(match, at, unit, text, ref)) for sign, match, at in terms) for terms in figured]
        results = [side for side in read if len(side) == 1 and side[0][0] == 1]
        if not results:
            continue
        opening = words[0].strip()
        name = opening if sides[0] is None and not re.search(r"\d", opening) else read[0][0][1].label
        found.append(Equation(name, results[-1][0][1], tuple(side for side in read if side is not results[-1])))
    return found


def _clauses_with_equals(text: str) -> list[tuple[int, str]]:
    breaks = list(_EQUATION_BREAK.finditer(text))
    starts = [0, *(m.end() for m in breaks)]
    ends = [*(m.start() for m in breaks), len(text)]
    return [(start, text[start:end]) for start, end in zip(starts, ends) if _EQUALS.search(text[start:end])]


def _side_terms(side: str, start: int) -> list[tuple[int, re.Match, int]] | None:
    """A side worked out in figures, as (sign, the term's match, where the term starts in the sentence),
    or None for a side of words (or of anything else)."""
    if _BRACKETED_OPERATOR.search(side):
        return None
    pieces, operators = _OPERATOR.split(side), _OPERATOR.findall(side)
    signs = [1] + [1 if operator in "+＋" else -1 for operator in operators]
    if len(pieces) > 1 and not pieces[0].strip():  # a leading sign: "=-5.00万元"
        start += len(pieces[0]) + 1
        pieces, signs = pieces[1:], signs[1:]
    terms = []
    for piece, sign in zip(pieces, signs):
        match = _TERM.match(piece)
        if match is None:
            return None
        terms.append((sign, match, start))
        start += len(piece) + 1
    return terms


def _term(match: re.Match, at: int, unit: Unit, text: str, ref: CellRef) -> Amount:
    cell = _figure_cell(match.group(2), match.group(3), unit, ref)
    figure_end = max(match.end(group) for group in (2, 3, 4) if match.group(group) is not None)
    return Amount(match.group(1).strip(), cell, unit, text, shown=text[at + match.start(2):at + figure_end],
                  offset=at + match.start(2))


def _head_of_list(found: list[tuple[Amount, str]]) -> tuple[int, bool] | None:
    """The amount whose parts a "其中" (or "包括：", "主要用于：") lists: the last figure of its own before
    the words (a comparison between them, "…9,101.68万元，比上年减少…万元，其中：", qualifies it), and
    whether the list is complete ("主要用于" lists the main items only)."""
    heads = [(i, opener) for i, (amount, after) in enumerate(found) if (opener := _LIST_OPENER.search(after))
             and not (_BARE_OPENER.match(opener.group()) and "其中" in amount.sentence[:amount.offset])]
    if not heads:  # a bare 包括 inside a 其中 list opens a part's own list (_lists_under), not the sentence's
        return None
    first, opener = heads[0]
    index = next((i for i in range(first, -1, -1) if not found[i][0].comparison), None)
    if index is None or not _may_total(found[index][0]):
        return None
    # "收入包括…820.00万元；支出包括：…": after a "；" the list has a subject of its own, stating no figure
    between = "".join(after for _, after in found[index:first]) + found[first][1][:opener.start()]
    if re.search(r"[；;。][^；;。]*[\u4e00-\u9fff]", between):
        return None
    return index, not opener.group().startswith("主要")


def _lists_under(total: Amount, listed: list[tuple[Amount, str]],
                 complete: bool) -> list[tuple[Amount, list[Amount], bool]]:
    """The list of ``total``'s parts among the amounts that follow its opener, then the lists nested in it.

    A part's own "其中"/"包括" lists its parts up to the next closing bracket or "；" (unless the figure after
    it goes on with them, see ``_nested_goes_on``), and the list goes on after them; any other figure in brackets ("（含人员经费95.36万元）") is no part. After a "；" the list
    ends at a figure of the whole ("…项目支出30万元；实际支出163.68万元"), or when its parts already add up to
    the total and the next figure is no sibling of theirs ("…项目支出30.00万元；授予中小企业合同金额12.00万元").
    "…等" leaves a list incomplete."""
    lists = [(total, [], complete)]
    opened: int | None = None  # the nested list no "；" or closing bracket has ended since its opener
    before = ""
    for amount, after in listed:
        words, before = before, after  # the words between the previous amount and this one
        if amount.comparison:
            continue
        if opened is not None and (re.search(r"[）)]", words) or re.search(r"[；;]", words)
                                   and not _nested_goes_on(amount, *lists[opened][:2], lists[0][1])):
            opened = None
        if opened is None and _bracketed(amount):
            continue
        parts = lists[0][1]
        if opened is None and re.search(r"[；;]", words) and (
                _of_the_whole(amount, parts) or _accounted(total, parts) and not _sibling(amount, parts)):
            break
        at = 0 if opened is None else opened
        head, listed_parts, whole = lists[at]
        listed_parts.append(amount)
        lists[at] = (head, listed_parts, whole and not _SOME_ONLY.match(after))
        if opened is None and _NESTED_OPENER.search(after):
            opened = len(lists)
            lists.append((amount, [], True))
    return [entry for entry in lists if entry[1]]


def _nested_goes_on(amount: Amount, head: Amount, parts: list[Amount], outer: list[Amount]) -> bool:
    """Whether the figure after a "；" is one more part of a nested list ("基本支出105.58万元，其中：人员经费
    95.36万元；公用经费10.23万元；项目支出202.24万元"): its name ends like the nested parts' and not like the
    outer ones', or it fits within what the nested parts leave of their head. An opener that listed no figure
    before the "；" ("人员经费2,247.40万元，主要包括基本工资、津贴补贴等；公用经费…") opened no list."""
    return bool(parts) and (_sibling(amount, parts) and not _sibling(amount, outer) or _room_for(amount, head, parts))


def _room_for(amount: Amount, head: Amount, parts: list[Amount]) -> bool:
    """Whether the parts fall short of their head and the amount fits within what is left."""
    if _accounted(head, parts):
        return False
    left = head.cell.amount * head.unit.yuan - sum(p.cell.amount * p.unit.yuan for p in parts)
    rounding = sum(a.cell.half_unit * a.unit.yuan for a in (head, *parts, amount))
    return amount.cell.amount * amount.unit.yuan <= left + rounding


def _bracketed(amount: Amount) -> bool:
    """Whether the amount stands inside an open （…） of its sentence."""
    return _open_brackets(amount.sentence[:amount.offset]) > 0


def _open_brackets(text: str) -> int:
    return sum(text.count(c) for c in "（(") - sum(text.count(c) for c in "）)")


def _accounted(total: Amount, parts: list[Amount]) -> bool:
    """Whether the parts add up to the total within the rounding of the printed figures."""
    terms = (total, *parts)
    gap = total.cell.amount * total.unit.yuan - sum(p.cell.amount * p.unit.yuan for p in parts)
    return abs(gap) <= sum(a.cell.half_unit * a.unit.yuan for a in terms)


def _sibling(amount: Amount, parts: list[Amount]) -> bool:
    """Whether the amount's label ends like a part's ("事业收入" beside "财政拨款收入")."""
    return any(_tail(amount.label) == _tail(p.label) for p in parts)


def _of_the_whole(amount: Amount, parts: list[Amount]) -> bool:
    """Whether the amount's label names a measure of the whole that no part's does: "实际支出" after "基本支出",
    "项目支出" is what the total came to, however its name ends."""
    named = {m for p in parts for m in _WHOLE_MEASURE.findall(p.label)}
    return any(m not in named for m in _WHOLE_MEASURE.findall(amount.label))


def _tail(label: str) -> str:
    return re.sub(r"[（(][^）)]*[）)]$", "", label)[-2:]


def alike(amounts: list[Amount]) -> bool:
    """Whether the amounts' labels all end alike, as parts of one whole do ("因公出国（境）费支出决算",
    "公务接待费支出决算"; not "财政拨款收入" beside "财政拨款支出")."""
    return len({_tail(a.label) for a in amounts}) == 1


def _change_opening(sentence: str, found: list[tuple[Amount, str]], item: Amount, ref: CellRef,
                    alone: bool) -> Change | None:
    """The change a sentence opens with, of the item an earlier sentence states, when it names that item again
    ("…收入总计307.82万元。与上年相比，收入总计增加27.82万元，增长9.94%。"), or names none after a sentence whose
    only figure the item is (``alone``: "财政拨款收入1,722.00万元，为当年拨付的资金。与上年相比，增加150.48万元");
    a bare "比上年增加…" after a list may be of its total or its last part, and is left alone."""
    leading = list(takewhile(lambda entry: entry[0].comparison, found))
    if not leading:
        return None
    bare = alone and _BARE_CHANGE.fullmatch(leading[0][0].label) and _COMPARED_WITH.search(sentence)
    if not bare and not _restates(leading[0][0].label, sentence, item):
        return None
    end = found[len(leading)][0].offset if len(leading) < len(found) else len(sentence.strip())
    change = _change(sentence.strip()[:end], [a for a, _ in leading], ref)
    return replace(change, sentence=sentence.strip()) if change is not None else None


def _restates(clause: str, before: str, item: Amount) -> bool:
    """Whether the clause says how the item moved, naming it again in full or cut short ("收、支总计各增加"
    of "收入、支出决算总计"), after a comparison the sentence opened before it."""
    restated = _RESTATED_CHANGE.fullmatch(clause)
    if restated is None or not _COMPARED_WITH.search(before):
        return False
    words = iter(item.label)
    return all(char in words for char in re.sub(r"[、“”‘’\"']", "", restated.group(1)))


def _amounts(sentence: str, ref: CellRef, item: Amount | None = None) -> list[tuple[Amount, str]]:
    """Each amount of a sentence with the text that follows it up to the next amount; ``item`` is the last
    figure before the sentence that is no change, which a change at its opening may name again."""
    matches = [m for m in _AMOUNT.finditer(sentence) if not _THRESHOLD.match(sentence, m.end())]
    found: list[tuple[Amount, str]] = []
    lead = _lead(sentence[:matches[0].start()]) if matches else ""
    indent = len(sentence) - len(sentence.lstrip())
    for i, match in enumerate(matches):
        start = matches[i - 1].end() if i else 0
        after = sentence[match.end():matches[i + 1].start() if i + 1 < len(matches) else len(sentence)]
        whole, fraction, unit = match.groups()
        cell = _figure_cell(whole, fraction, _UNITS[unit], ref)
        share, has_sign, share_of = _share(after, ref)
        clause = _clause(sentence[start:match.start()])
        earlier = next((a for a, _ in reversed(found) if not a.comparison), None)  # in this sentence
        nearest = earlier if earlier is not None else item
        comparison = bool(_COMPARISON.search(clause)) or (
            nearest is not None and _restates(clause, sentence[:match.start()], nearest)) or _year_before(clause, earlier)
        bracketed = _open_brackets(sentence[:match.start()]) > 0
        owner = next((k for k in range(len(found) - 1, -1, -1)
                      if not found[k][0].comparison and not _bracketed(found[k][0])), None)
        if (comparison or bracketed) and share is not None and owner is not None and found[owner][0].share is None:
            # "基本支出105.58万元，比上年增加5万元，占34.30%", "基本支出105.58万元（含人员经费95.36万元），
            # 占34.30%": the share is the item's, not its change's nor its bracketed note's
            found[owner] = (replace(found[owner][0], share=share, share_has_sign=has_sign, share_of=share_of),
                            found[owner][1])
            share, has_sign, share_of = None, True, ""
        label = clause if comparison else _label(clause)
        found.append((Amount(label, cell, _UNITS[unit], sentence.strip(), share, has_sign, comparison,
                             (lead,) if lead else (), shown=match.group(), offset=match.start() - indent,
                             year=year_in(clause), share_of=share_of), after))
    return _with_changes(_paired(found, ref), matches, sentence, ref)


def _with_changes(found: list[tuple[Amount, str]], matches: list[re.Match], sentence: str,
                  ref: CellRef) -> list[tuple[Amount, str]]:
    """Each item with what the comparison clauses between it and the next item say of it, up to a "；" (after
    which the sentence speaks of another item: "…下降30.00%；因公出国（境）费与上年持平")."""
    items = [i for i, (amount, _) in enumerate(found) if not amount.comparison]
    for n, i in enumerate(items):
        following = items[n + 1] if n + 1 < len(items) else len(found)
        end = matches[following].start() if following < len(found) else len(sentence)
        segment = sentence[matches[i].end():end]
        if following < len(found):
            segment = segment[:len(segment) - len(_CLAUSE_BREAK.split(segment)[-1])]
        segment = re.split(r"[；;]", segment, maxsplit=1)[0]
        start = _after_the_budgets(segment)
        within = [a for (a, _), match in zip(found[i + 1:following], matches[i + 1:following])
                  if matches[i].end() + start <= match.start() < matches[i].end() + len(segment)]
        change = _change(segment[start:] if start else segment, within, ref)
        if change is not None:
            found[i] = (replace(found[i][0], change=change), found[i][1])
    return found


def _after_the_budgets(segment: str) -> int:
    """Where the item's change starts in its words: "比年初预算减少0.94万元，比上年减少0.56万元，下降4.82%" compares
    with the budget, then with last year, and the change (its figures, its rate) is the second comparison's; the
    first is read as the budget's by BK609. Elsewhere the words from the start ("同比持平，比上年增加0.50万元" is one
    change, saying two things)."""
    starts = [(m.start(), bool(_BUDGET_BASE.match(m.group()))) for m in _COMPARISON_START.finditer(segment)
              if re.search(r"\d", _CLAUSE_BREAK.split(segment[m.start():], maxsplit=1)[0])]
    budgets = [at for at, budget in starts if budget]
    later = [at for at, budget in starts if not budget and budgets and at > budgets[0]]
    return later[-1] if later else 0


_DIRECTIONS = (("增加", 1), ("增长", 1), ("上升", 1), ("提高", 1), ("超支", 1), ("增", 1), ("多", 1),
               ("减少", -1), ("下降", -1), ("降低", -1), ("节约", -1), ("减", -1), ("少", -1), ("降幅", -1), ("涨幅", 1),
               ("持平", 0))
_DIRECTION_WORD = re.compile("|".join(word for word, _ in _DIRECTIONS))
# Each direction word a correction may turn round, and the word saying the other way (下降 back to 增长)
_TURNED_PAIRS = (("增加", "减少"), ("增长", "下降"), ("提高", "降低"), ("上升", "下降"), ("超支", "节约"), ("涨幅", "降幅"))
TURNED = {rise: fall for rise, fall in _TURNED_PAIRS} | {fall: rise for rise, fall in reversed(_TURNED_PAIRS)}
# "增长9.52%", "增幅9.52%", "降幅为29.10%", "下降幅度为…": the rate of a change, its direction in its first word
_RATE = re.compile(rf"(增长|下降|上升|降低|提高|减少|增加|增幅|降幅|涨幅)(?:了|幅为?|幅度为?|率为?|比例为?|为)?\s*{_PERCENT}")
# "持平", "与上年持平", "比2024年预算持平": the item did not move. Not "基本持平" (after a small stated change it
# says the item moved little), nor "因公出国（境）费与上年持平", which names another item
_LEVEL = re.compile(rf"(?:(?:与|和|同|较|比){_FIGURE_OF_YEAR}(?:相比)?|同比|环比)?(?:保持)?持平")
# Where a comparison starts: "比年初预算", "较上年", "与2024年相比", "同比"
_COMPARISON_START = re.compile(r"(?:比|较|与|对比)\s*(?:上年|去年|上一年|年初|全年|调整|预算|决算|\d{4}年)|同比")
_BUDGET_BASE = re.compile(r"(?:比|较|与|对比)\s*(?:年初|全年|调整|预算)")
_COMPARED_YEAR = re.compile(r"(?:比|较|与|同)(?:上年|去年)?[^，,；;]*?(20\d{2})年度?([^，,；;]{0,6})")


# "2024年预算数为692.30万元" after "2025年预算数为710.70万元" in one sentence: the figure the change is measured from.
_YEAR_FIGURE = re.compile(r"^\d{4}年度?(?:同期)?(?:年初|全年)?(?:预算|决算|执行)?数?(?:为|是)?$")


def _year_before(clause: str, item: Amount | None) -> bool:
    """Whether an amount states the year before the one an earlier figure of its sentence states, in the same
    words ('2025年预算数为710.70万元，2024年预算数为692.30万元，增加…'): the base of the change, no item of its own."""
    year = year_in(clause)
    return item is not None and item.year is not None and year == item.year - 1 and bool(_YEAR_FIGURE.match(clause.strip()))


def _change(segment: str, comparisons: list[Amount], ref: CellRef) -> Change | None:
    if not comparisons and not _DIRECTION_WORD.search(segment):
        return None
    base = next((a for a in comparisons if _BASE.match(a.label) or _YEAR_FIGURE.match(a.label)), None)
    moved = next((a for a in comparisons if a is not base and _DIRECTION_WORD.search(a.label)), None)
    rate = _RATE.search(segment)
    year = _COMPARED_YEAR.search(segment)
    level = any(_LEVEL.fullmatch(clause.strip(" 。！!？?")) for clause in _CLAUSE_BREAK.split(segment))
    if moved is None and rate is None and base is None and not level:
        return None
    direction = direction_of(moved.label) if moved else 0 if level else None
    rate_cell, rate_direction, has_sign = None, None, True
    if rate:
        rate_cell, has_sign = _percent(rate.groups()[1:], ref)
        rate_direction = direction_of(rate.group(1))
        direction = rate_direction if direction is None else direction
    stage = next((w for w in ("预算", "决算") if year and w in year.group(2)), "")
    # the change's words from its comparison on ("较上年减少0.56万元…"): a clause before it in the same stretch
    # ("完成预算的92.17%，") says nothing of its base
    words = segment.strip("，,；; ")
    compared = _COMPARISON_START.search(words)
    return Change(words[compared.start():] if compared else words, direction, moved, rate_cell, rate_direction,
                  has_sign, base, int(year.group(1)) if year else None, stage, level=level)


def direction_of(words: str) -> int | None:
    """The sense of the last direction word ("比上年增加" → +1, "持平" → 0)."""
    found = [m.group() for m in _DIRECTION_WORD.finditer(words)]
    return dict(_DIRECTIONS)[found[-1]] if found else None


def _clause(before: str) -> str:
    """The words of the clause before an amount; inside an open bracket, the bracket's ("（上年为")."""
    clause = _CLAUSE_BREAK.split(before)[-1]
    bracket = re.search(r"[（(]([^（()）]*)$", clause)
    return (bracket.group(1) if bracket else clause).strip()


def _lead(before: str) -> str:
    """A sentence's words before the clause of its first figure ("财政拨款支出预算中，")."""
    return before[:len(before) - len(_CLAUSE_BREAK.split(before)[-1])].strip()


def _figure_cell(whole: str, fraction: str | None, unit: Unit, ref: CellRef) -> Cell:
    """A figure of the text as read: its digits (groups parted by commas), and the decimals it shows."""
    return Cell(Decimal(whole.replace(",", "") + ("." + fraction if fraction else "")), ref, _decimals(fraction, unit))


def _decimals(fraction: str | None, unit: Unit) -> int:
    """Texts drop trailing zeros ("30万元" for 30.00): a whole 万元/亿元 figure is read as
    shown to two decimals, so a stated 0 or 30 adds no made-up rounding envelope."""
    shown = len(fraction or "")
    return shown if unit in (Unit.YUAN, Unit.THOUSAND) else max(shown, 2)


def _label(clause: str) -> str:
    """The words of the clause before an amount, without year, "其中" or a linking verb."""
    prefix = _YEAR_PREFIX.match(clause)
    if prefix:
        subject = _SUBJECT_BEFORE_YEAR.search(prefix.group())
        clause = (prefix.group()[:subject.end()] if subject else "") + clause[prefix.end():]
    previous = None
    while previous != clause:
        previous = clause
        clause = _LABEL_FILLER.sub("", clause).strip()
    # "上年结转年0.84万元": a stray 年 after the words is a typing slip, not part of the name
    return clause[:-1] if clause.endswith("年") and len(clause) > 1 else clause


def _share(after: str, ref: CellRef) -> tuple[Cell | None, bool, str]:
    """The share stated after an amount, whether it has its %, and the whole it names ("占政府采购支出总额的
    84.22%": 政府采购支出总额; "" where it names none, "占34.30%")."""
    match = _SHARE.search(re.split(r"[；;]", after, maxsplit=1)[0])
    if match is None:
        return None, True, ""
    base = re.sub(r"(?:的|比重为?|比例为?|比为?|为)+$", "", (match.group("base") or "").strip())
    return *_percent(match.groups()[1:], ref), base


def _percent(groups: tuple[str | None, ...], ref: CellRef) -> tuple[Cell, bool]:
    """A percentage's whole, fraction and sign as a fraction (showing two more decimals) and whether it has its %."""
    whole, fraction, sign = groups
    percent = Decimal(whole + ("." + fraction if fraction else ""))
    return Cell(percent / 100, ref, len(fraction or "") + 2), sign is not None


def _paired(found: list[tuple[Amount, str]], ref: CellRef) -> list[tuple[Amount, str]]:
    """"基本支出和项目支出分别为105.58万元、202.24万元，分别占34.30%、65.70%": the names and the shares are
    those of the amounts listed, in their order; where two lists differ in length, the amounts keep the
    label they have and none has a share."""
    for end, (amount, after) in enumerate(found):
        each = _EACH_SHARE.search(re.split(r"[；;。]", after, maxsplit=1)[0])
        if each is None:
            continue
        start = _listed_from(found, end)
        shares = [_percent(m.groups(), ref) for m in _PERCENT_FIGURE.finditer(each.group(1))]
        paired = shares if len(shares) == end - start + 1 else [(None, True)] * (end - start + 1)
        for k, (share, has_sign) in enumerate(paired, start=start):
            found[k] = (replace(found[k][0], share=share, share_has_sign=has_sign), found[k][1])
    for start, (amount, _) in enumerate(found):
        named = _EACH_NAMED.search(amount.label)
        end = next((k for k in range(start, len(found)) if found[k][1].strip() not in _LIST_JOINS), start)
        names = re.split("[、和及与]", named.group(1)) if named else []
        if len(names) > 1 and len(names) == end - start + 1:
            for k, name in enumerate(names, start=start):
                found[k] = (replace(found[k][0], label=name), found[k][1])
    return found


def _listed_from(found: list[tuple[Amount, str]], end: int) -> int:
    """Where the run of amounts joined by "、" (or 和, 及) that ends at ``end`` starts; a join may carry the
    next amount's name ("人员经费1,882.31万元和公用经费172.18万元")."""
    start = end
    while start > 0 and _NAMED_JOIN.fullmatch(found[start - 1][1].strip()):
        start -= 1
    return start

