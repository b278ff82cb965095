"""An annotated copy of each Word draft: every wrong figure highlighted, with a Word comment.

The comment is the finding's message: the tables' figure, the cell it comes from and the
corrected sentence. The draft itself is never written; the copy sits beside the summary.
Paragraphs are counted as the report-text loader counts them (non-empty body paragraphs),
so "第N段" of a finding is the N-th of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from copy import deepcopy
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from budgetkit.model import Finding, RunResult, Severity

if TYPE_CHECKING:
    from budgetkit.load.narrative import Narrative

AUTHOR, INITIALS = "budgetkit", "BK"
SUFFIX = "（核对批注）"
OUTPUT_COMMENT = "由 budgetkit 生成"  # what discover.is_budgetkit_output looks for in a .docx
_PARAGRAPH = re.compile(r"^第(\d+)段$")
_QUOTE = re.compile(r"原文：“(.*?)”(?:，应改为：“.*”)?$", re.DOTALL)
_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.,])\d+(?:\.\d+)?")
_UNIT_AFTER = re.compile(r"\s*(亿元|万元|千元|元|[%％])")


def annotate_drafts(result: RunResult, folder: Path) -> list[Path]:
    """A copy of every .docx report text that has an error finding, written to ``folder`` as
    "<name>（核对批注）.docx"; the copies written."""
    written = []
    for narrative, errors in annotated_drafts(result):
        target = annotated_copy(folder, narrative.file)
        annotate_docx(result.folder / narrative.file, errors, target)
        written.append(target)
    return written


def annotated_drafts(result: RunResult) -> list[tuple[Narrative, list[Finding]]]:
    """The .docx report texts that get an annotated copy, with their error findings."""
    drafts = []
    for narrative in result.narratives:
        errors = [f for f in result.findings if f.ref.file == narrative.file and f.severity is Severity.ERROR]
        if PurePosixPath(narrative.file).suffix.lower() == ".docx" and errors and not narrative.reason:
            drafts.append((narrative, errors))
    return drafts


def annotated_copy(folder: Path, draft: str) -> Path:
    return folder / f"{PurePosixPath(draft).stem}{SUFFIX}.docx"


def annotate_docx(draft: Path, findings: Iterable[Finding], target: Path) -> int:
    """Write ``target``: the draft with each finding's figure highlighted and commented (the whole
    paragraph when the figure cannot be found in it). Returns the number of comments."""
    from docx import Document  # python-docx ≥ 1.2 writes comments
    from docx.enum.text import WD_COLOR_INDEX

    if target.resolve() == draft.resolve():
        raise ValueError("批注副本不能覆盖原稿")
    document = Document(str(draft))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    comments = 0
    for finding in findings:
        number = _PARAGRAPH.match(finding.ref.cell)
        if number is None or not 0 < int(number.group(1)) <= len(paragraphs):
            continue
        paragraph = paragraphs[int(number.group(1)) - 1]
        runs = _figure_runs(paragraph, finding) or [r for r in paragraph.runs if r.text]
        if not runs:
            continue
        for run in runs:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        document.add_comment(runs, text=finding.message, author=AUTHOR, initials=INITIALS)
        comments += 1
    # Marked as budgetkit's own, so that a copy left beside the drafts is never read as one.
    document.core_properties.comments = OUTPUT_COMMENT
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    return comments


def _figure_runs(paragraph, finding: Finding) -> list:
    """The runs that print the finding's stated figure (split out of their runs), inside its quoted
    sentence; none when the figure is not found or the runs do not hold the paragraph's text."""
    text = "".join(r.text for r in paragraph.runs)
    if finding.stated is None or text != paragraph.text:
        return []
    quote = _QUOTE.search(finding.message)
    start = text.find(quote.group(1)) if quote else -1
    scope = (start, start + len(quote.group(1))) if start >= 0 else (0, len(text))
    span = _figure_span(text, scope, finding)
    if span is None:
        return []
    _boundary(paragraph, span[1])
    _boundary(paragraph, span[0])
    at, inside = 0, []
    for run in paragraph.runs:
        if span[0] <= at and at + len(run.text) <= span[1] and run.text:
            inside.append(run)
        at += len(run.text)
    return inside


def _figure_span(text: str, scope: tuple[int, int], finding: Finding) -> tuple[int, int] | None:
    """Where the stated figure, with its unit (or % sign), is printed in ``text[scope]``."""
    for match in _NUMBER.finditer(text, *scope):
        try:
            value = Decimal(match.group().replace(",", ""))
        except InvalidOperation:
            continue
        unit = _UNIT_AFTER.match(text, match.end())
        if value == finding.stated and (unit is None or finding.unit in ("%", unit.group(1))
                                        or unit.group(1) == "％" and finding.unit == "%"):
            return match.start(), unit.end() if unit else match.end()
    return None


def _boundary(paragraph, offset: int) -> None:
    """Split the run that ``offset`` falls inside, so that a run starts there."""
    from docx.text.run import Run

    at = 0
    for run in paragraph.runs:
        end = at + len(run.text)
        if at < offset < end:
            copy = deepcopy(run._r)
            run._r.addnext(copy)
            text = run.text
            run.text = text[:offset - at]
            Run(copy, run._parent).text = text[offset - at:]
            return
        at = end
