"""The prose of a PDF as the reader sees it on the page.

A PDF stores glyphs in whatever order its producer wrote them: LibreOffice writes a run of one font
at a time, so a closing quote set in a Latin font comes out of the text stream after the next word
("行政运行 科目 ” 1,202.95 万"), and the spaces a text extractor guesses between glyphs change with
the font. So lines are rebuilt from where each character stands (its font box), characters are put
in order along the line, and spacing is decided here: none between Chinese characters or inside a
figure, one between Latin words. Lines are then joined into paragraphs by their geometry (a line that
stops short of the right margin ends its paragraph, an indented line starts one), across pages too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

# Chinese characters, full-width forms and curly quotes: a space beside one is layout, never the text's
_WIDE = r"\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’"
_SPACE_BY_WIDE = re.compile(rf"(?<=[{_WIDE}])\s+|\s+(?=[{_WIDE}])")
# "1, 202", "9,101 .68", "12.5 %": a figure spaced out ("1. 2025年" is an item's number and a year)
_SPACE_IN_FIGURE = re.compile(r"(?<=\d)\s+(?=[,.]\d|%)|(?<=\d,)\s+(?=\d)")
_SPACES = re.compile(r"\s{2,}")
_WIDE_IN_FIGURE = re.compile(r"(?<=\d)．(?=\d)|(?<=\d)，(?=\d{3}(?!\d))")
# PDF fonts often map a glyph to a radical or compatibility code point that looks like the ideograph;
# NFKC folds the Kangxi and compatibility blocks, these supplement radicals it leaves alone.
_RADICALS = str.maketrans("⻔⻋⻅⻓⻙⻚⻛⻜⻝⻢⻥⻦⻬⻰⻆⻉⺠⻘", "门车见长韦页风飞食马鱼鸟齐龙角贝民青")
_FOLDED = re.compile(r"[\u2f00-\u2fdf\uf900-\ufaff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u00a0\u3000]")
# What a first word is made of when it is no Chinese character: a figure, a Latin word
_LATIN = re.compile(r"[0-9A-Za-z.,%'-]")
_SENTENCE_END = re.compile(r"[。！？!?]$")
# A line that opens an item: "（二）", "3.", "二、" (not "1.48万元", a figure)
_ENUMERATED = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、](?!\d)|[一二三四五六七八九十]+、)")


def normalised(text: str) -> str:
    """A PDF's line as the draft had it: radicals and full-width digits and letters folded, and the
    full-width point and comma inside a figure ("９，１０１．６８"; elsewhere full-width punctuation, which
    the draft has too, stays); no space beside Chinese or inside a figure."""
    text = _FOLDED.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text).translate(_RADICALS)
    text = _WIDE_IN_FIGURE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = _SPACE_IN_FIGURE.sub("", _SPACE_BY_WIDE.sub("", text))
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Glyph:
    """A character and its font box on the page (PDF points, y upwards)."""

    char: str
    left: float
    bottom: float
    right: float
    top: float

    @property
    def middle(self) -> float:
        return (self.bottom + self.top) / 2


@dataclass(frozen=True)
class Line:
    """A line of text as it stands on the page."""

    text: str
    left: float
    right: float
    top: float
    bottom: float
    size: float   # the line's character height, the unit of its indents and gaps
    lead: float   # the width of its first word: a figure or Latin word, else one character


def page_glyphs(textpage) -> list[Glyph]:
    """Every character pdfium found on a page with its font box, without the spaces and line breaks
    pdfium made up (spacing is decided from the geometry instead)."""
    import pypdfium2.raw as pdfium

    glyphs = []
    for index in range(textpage.count_chars()):
        char = chr(pdfium.FPDFText_GetUnicode(textpage, index))
        if char.isspace() or not char.isprintable():
            continue
        left, bottom, right, top = textpage.get_charbox(index, loose=True)
        if top > bottom:
            glyphs.append(Glyph(char, left, bottom, right, top))
    return glyphs


def lines_of(glyphs: list[Glyph]) -> list[Line]:
    """Glyphs whose middles lie within half a character of each other form a line, read left to right;
    lines top to bottom."""
    rows: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: -g.middle):
        if rows and abs(rows[-1][0].middle - glyph.middle) < (rows[-1][0].top - rows[-1][0].bottom) / 2:
            rows[-1].append(glyph)
        else:
            rows.append([glyph])
    lines = []
    for row in rows:
        row.sort(key=lambda g: g.left)
        row = _overprints_dropped(row)
        size = median(g.top - g.bottom for g in row)
        text = row[0].char
        word = next((i for i, g in enumerate(row) if not _LATIN.match(g.char)), len(row)) or 1
        for before, glyph in pairwise(row):
            # a gap of a quarter character is a space (between Latin words; beside Chinese it is dropped)
            text += (" " if glyph.left - before.right > size / 4 else "") + glyph.char
        if text := normalised(text):
            lines.append(Line(text, row[0].left, max(g.right for g in row), max(g.top for g in row),
                              min(g.bottom for g in row), size, row[word - 1].right - row[0].left))
    return lines


def _overprints_dropped(row: list[Glyph]) -> list[Glyph]:
    """Bold faked by printing a glyph twice, a hair apart, is one character: a glyph that repeats the one
    before it less than a fifth of a character further on is dropped (a doubled character stands a whole
    character further)."""
    kept = row[:1]
    for glyph in row[1:]:
        before = kept[-1]
        if glyph.char != before.char or glyph.left - before.left >= (before.top - before.bottom) / 5:
            kept.append(glyph)
    return kept


def running_lines_dropped(pages: list[list[Line]]) -> list[list[Line]]:
    """Pages without their running header and footer: a first or last line that recurs, its numbers aside,
    on half the pages or more (two at least) is the page's, not the text's. A heading that opens the
    section of each of many units stays: it opens a few of the pages only."""
    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", line.text)

    edges = [{key(lines[0]), key(lines[-1])} for lines in pages if lines]
    seen = {k: sum(k in e for e in edges) for k in set().union(*edges)}
    running = {k for k, count in seen.items() if count >= 2 and count * 2 >= len(edges)}
    return [[line for n, line in enumerate(lines) if n not in (0, len(lines) - 1) or key(line) not in running]
            for lines in pages]


def paragraphs(pages: list[list[Line]]) -> list[tuple[str, int]]:
    """Each paragraph's text and the index of the page it starts on. A line ends its paragraph when the
    next line's first word would have fitted after it with a character to spare (a figure is not
    broken, so a line before "19.29%。" stops short of the margin and still runs on), when the next
    line is indented or set apart by more than a line's spacing, or when it ends a sentence and the
    next line opens an item ("（二）", "3."). The last line of a page runs on into the next page unless
    it stops two characters short or that page opens a paragraph; a page left out (a table) ends the
    paragraph before it. Margins are a page's own (odd and even pages may be set apart by a gutter);
    the width of the text is the document's."""
    width = max((max(line.right for line in lines) - min(line.left for line in lines) for lines in pages if lines),
                default=0)
    found: list[tuple[str, int]] = []
    current, start = "", 0
    for number, lines in enumerate(pages):
        left = min((line.left for line in lines), default=0)
        right = left + width
        if current and (not lines or lines[0].left > left + lines[0].size * 0.9
                        or _ENUMERATED.match(lines[0].text)):
            found.append((current, start))
            current = ""
        pitch = median([a.bottom - b.bottom for a, b in pairwise(lines)] or [0])
        for index, line in enumerate(lines):
            if not current:
                start = number
            current = _joined(current, line.text)
            following = lines[index + 1] if index + 1 < len(lines) else None
            room = right - line.right - line.size
            ends = room > (following.lead if following else line.size) or following is not None and (
                following.left > left + line.size * 0.9
                or line.bottom - following.bottom > pitch * 1.4
                or bool(_SENTENCE_END.search(line.text) and _ENUMERATED.match(following.text)))
            if ends:
                found.append((current, start))
                current = ""
    return found + ([(current, start)] if current else [])


def _joined(paragraph: str, line: str) -> str:
    """A line break inside a paragraph is no space, except between two Latin words."""
    if paragraph and paragraph[-1].isascii() and paragraph[-1].isalpha() and line[0].isascii() and line[0].isalpha():
        return f"{paragraph} {line}"
    return paragraph + line
