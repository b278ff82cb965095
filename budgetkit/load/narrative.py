"""Report texts (表文): a .txt or .docx read into paragraphs and the figures they state.

A statement is an amount with the words before it as its label ("上年结转0.84万元"),
the share that follows it ("，占0%") and, when "其中" follows an amount, the parts
listed after it. Every figure is a ``Cell`` whose ref is the file, ``报告文字`` and
"第N段" (N counts the non-empty paragraphs), so findings on a text read like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from budgetkit.load.text_grids import decode_text
from budgetkit.model import Cell, CellRef, SourceFile, Unit
from budgetkit.text import year_in

SHEET = "报告文字"

_UNITS = {unit.label: unit for unit in Unit}
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(亿元|万元|千元|元)")
# "占0%", "占比为0.51%", "占本年支出的76.23%"; the sign is optional so that its absence can be reported
_SHARE = re.compile(r"占[^\d，,。；;]{0,15}?(\d+)(?:\.(\d+))?\s*([%％])?")
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_LABEL_FILLER = re.compile(r"^(?:其中|另外|此外)|(?:为|是|达到|达|共计|共)$")
_YEAR_PREFIX = re.compile(r"^.*\d{4}年度?")


@dataclass(frozen=True)
class Amount:
    """One "X万元" with its label and, when stated, its share (a fraction, like a table's 占比)."""

    label: str
    cell: Cell
    unit: Unit
    sentence: str
    share: Cell | None = None
    share_has_sign: bool = True


@dataclass(frozen=True)
class Breakdown:
    """A total and the parts that "其中" lists after it."""

    total: Amount
    parts: tuple[Amount, ...]


@dataclass(frozen=True)
class Paragraph:
    number: int
    text: str
    ref: CellRef
    sentences: tuple[str, ...]
    amounts: tuple[Amount, ...]
    breakdowns: tuple[Breakdown, ...]


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


def load_narrative(source: SourceFile) -> Narrative:
    try:
        lines = _docx_lines(source.path) if source.path.suffix.lower() == ".docx" else _txt_lines(source.path)
    except Exception as exc:  # python-docx raises many types on a damaged file; it costs that text only
        return Narrative(source.relative, (), f"无法读取报告文字：{exc}")
    texts = [line.strip() for line in lines if line.strip()]
    return Narrative(source.relative, tuple(parse_paragraph(source.relative, n, text)
                                            for n, text in enumerate(texts, start=1)))


def _txt_lines(path: Path) -> list[str]:
    return decode_text(path.read_bytes()).splitlines()


def _docx_lines(path: Path) -> list[str]:
    from docx import Document  # python-docx pulls in lxml: only when a .docx is read

    return [p.text for p in Document(str(path)).paragraphs]


def parse_paragraph(file: str, number: int, text: str) -> Paragraph:
    ref = CellRef(file, SHEET, f"第{number}段")
    sentences = tuple(s for s in _SENTENCE_END.split(text) if s.strip())
    amounts: list[Amount] = []
    breakdowns: list[Breakdown] = []
    previous: Amount | None = None
    for sentence in sentences:
        found = _amounts(sentence, ref)
        heads = [i for i, (_, after) in enumerate(found) if "其中" in after]
        if heads:
            breakdowns.append(Breakdown(found[heads[0]][0], tuple(a for a, _ in found[heads[0] + 1:])))
        elif previous is not None and found and sentence.lstrip().startswith("其中"):
            # "…预算163.68万元，全部为…。其中科学技术支出125.43万元；…": the parts follow the sentence's end
            breakdowns.append(Breakdown(previous, tuple(a for a, _ in found)))
        amounts.extend(a for a, _ in found)
        previous = found[-1][0] if found else previous
    return Paragraph(number, text, ref, sentences, tuple(amounts), tuple(breakdowns))


def _amounts(sentence: str, ref: CellRef) -> list[tuple[Amount, str]]:
    """Each amount of a sentence with the text that follows it up to the next amount."""
    matches = list(_AMOUNT.finditer(sentence))
    found = []
    for i, match in enumerate(matches):
        start = matches[i - 1].end() if i else 0
        after = sentence[match.end():matches[i + 1].start() if i + 1 < len(matches) else len(sentence)]
        whole, fraction, unit = match.groups()
        cell = Cell(Decimal(whole.replace(",", "") + ("." + fraction if fraction else "")), ref,
                    _decimals(fraction, _UNITS[unit]))
        share, has_sign = _share(after, ref)
        found.append((Amount(_label(sentence[start:match.start()]), cell, _UNITS[unit], sentence.strip(),
                             share, has_sign), after))
    return found


def _decimals(fraction: str | None, unit: Unit) -> int:
    """Texts drop trailing zeros ("30万元" for 30.00): a whole 万元/亿元 figure is read as
    shown to two decimals, so a stated 0 or 30 adds no made-up rounding envelope."""
    shown = len(fraction or "")
    return shown if unit in (Unit.YUAN, Unit.THOUSAND) else max(shown, 2)


def _label(before: str) -> str:
    """The words of the clause before an amount, without year, "其中" or a linking verb."""
    clause = _CLAUSE_BREAK.split(before)[-1].strip()
    clause = _YEAR_PREFIX.sub("", clause)
    previous = None
    while previous != clause:
        previous = clause
        clause = _LABEL_FILLER.sub("", clause).strip()
    # "上年结转年0.84万元": a stray 年 after the words is a typing slip, not part of the name
    return clause[:-1] if clause.endswith("年") and len(clause) > 1 else clause


def _share(after: str, ref: CellRef) -> tuple[Cell | None, bool]:
    match = _SHARE.search(re.split(r"[；;]", after, maxsplit=1)[0])
    if match is None:
        return None, True
    whole, fraction, sign = match.groups()
    percent = Decimal(whole + ("." + fraction if fraction else ""))
    # as a fraction it shows two more decimals than the percentage does
    return Cell(percent / 100, ref, len(fraction or "") + 2), sign is not None
