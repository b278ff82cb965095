"""The look of the summary workbook, declared once and shared by every sheet writer."""

from __future__ import annotations

import math
from dataclasses import dataclass

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from budgetkit.model import Severity

FONT = "宋体"
_BASE = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
_BORDERED = {**_BASE, "border": 1}
SEVERITY_FILL = {Severity.ERROR: "#F8CBAD", Severity.WARNING: "#FFE699", Severity.INFO: "#DDEBF7"}
# The highlight on a questioned cell of an annotated copy: over the source cell's own look
# (its number format and font stay), the severity's fill and a thick red frame.
FLAG_BORDER, FLAG_BORDER_COLOR = 2, "#C00000"
# Sheets meant for pasting into a 自评报告 look like a government report: tables in
# 宋体 10.5 pt with thin borders and no fill, text in 仿宋 12 pt (仿宋_GB2312 is
# missing on many machines, 仿宋 is not).
REPORT_FONT, PARAGRAPH_FONT = "宋体", "仿宋"
PARAGRAPH_SIZE = 12
AMOUNT_FORMAT, PERCENT_FORMAT = "#,##0.00", "0.00%"
_REPORT = {"font_name": REPORT_FONT, "font_size": 10.5, "valign": "vcenter"}
_REPORT_CELL = {**_REPORT, "border": 1}


@dataclass(frozen=True)
class ReportStyles:
    """Formats of the 报告用表 and 报告文字 sheets."""

    heading: Format
    caption: Format
    unit: Format
    header: Format
    label: Format
    detail_label: Format
    amount: Format
    percent: Format
    total_label: Format
    total_amount: Format
    total_percent: Format
    note: Format
    paragraph: Format

    @classmethod
    def on(cls, book: Workbook) -> ReportStyles:
        add = book.add_format
        total = {**_REPORT_CELL, "bold": True}
        return cls(
            heading=add({**_REPORT, "font_size": 14, "bold": True}),
            caption=add({**_REPORT, "font_size": 12, "bold": True}),
            unit=add({**_REPORT, "align": "right"}),
            header=add({**_REPORT_CELL, "bold": True, "align": "center", "text_wrap": True}),
            label=add(_REPORT_CELL),
            detail_label=add({**_REPORT_CELL, "indent": 1}),
            amount=add({**_REPORT_CELL, "num_format": AMOUNT_FORMAT}),
            percent=add({**_REPORT_CELL, "num_format": PERCENT_FORMAT}),
            total_label=add({**total, "align": "center"}),
            total_amount=add({**total, "num_format": AMOUNT_FORMAT}),
            total_percent=add({**total, "num_format": PERCENT_FORMAT}),
            note=add(_REPORT),
            paragraph=add({"font_name": PARAGRAPH_FONT, "font_size": PARAGRAPH_SIZE, "text_wrap": True, "valign": "top"}),
        )


@dataclass(frozen=True)
class Styles:
    title: Format
    note: Format
    header: Format
    text: Format
    wrap: Format
    amount: Format
    percent: Format
    link: Format
    plain: Format
    plain_amount: Format
    severity: dict[Severity, Format]
    flagged: dict[Severity, Format]
    report: ReportStyles

    @classmethod
    def on(cls, book: Workbook) -> Styles:
        add = book.add_format
        return cls(
            title=add({**_BASE, "bold": True, "font_size": 14}),
            note=add({**_BASE, "font_color": "#595959"}),
            header=add({**_BORDERED, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#D9E1F2"}),
            text=add(_BORDERED),
            wrap=add({**_BORDERED, "text_wrap": True}),
            amount=add({**_BORDERED, "num_format": "#,##0.00"}),
            percent=add({**_BORDERED, "num_format": "0.00%"}),
            link=add({**_BORDERED, "font_color": "#0563C1", "underline": 1}),
            plain=add(_BASE),
            plain_amount=add({**_BASE, "num_format": "#,##0.00"}),
            severity={s: add({**_BORDERED, "bg_color": c, "align": "center"}) for s, c in SEVERITY_FILL.items()},
            flagged={s: add({**_BASE, "bg_color": c, "border": FLAG_BORDER, "border_color": FLAG_BORDER_COLOR})
                     for s, c in SEVERITY_FILL.items()},
            report=ReportStyles.on(book),
        )


class CopyFormats:
    """The formats of annotated copies: a source cell's look as read (``source_look``),
    alone or under a finding's highlight; each made once per workbook."""

    def __init__(self, book: Workbook) -> None:
        self._book = book
        self._made: dict[tuple, Format] = {}

    def of(self, look: dict[str, object], flagged: Severity | None) -> Format | None:
        if not look and flagged is None:
            return None
        key = (tuple(sorted(look.items())), flagged)
        made = self._made.get(key)
        if made is None:
            properties = dict(look)
            if flagged is not None:
                properties.update(pattern=1, bg_color=SEVERITY_FILL[flagged], border=FLAG_BORDER,
                                  border_color=FLAG_BORDER_COLOR)
                for side in ("left", "right", "top", "bottom"):
                    properties.pop(f"{side}_color", None)
                    properties[side] = FLAG_BORDER
            made = self._made[key] = self._book.add_format(properties)
        return made


LINE_HEIGHT = 15  # points per line of 11-pt 宋体


def display_width(text: object) -> int:
    """Column-width units: a 汉字 or full-width sign takes two. Its GBK length is exactly
    that for everything a report holds, and is computed in C (10⁵ messages per batch)."""
    return len(str(text).encode("gbk", errors="replace"))


def wrapped_height(cells: list[tuple[object, int]], font_size: float = 11) -> float | None:
    """Row height that shows every (text, column width) pair wrapped in full; None
    when one line is enough. Excel and LibreOffice do not grow rows written by a
    library, so a long 说明 would otherwise be cut to its first line. Column widths
    count 11-pt characters; a larger font fits fewer per line."""
    scale = font_size / 11 * 1.1  # 汉字 glyphs run a little wider than two digits
    lines = max((math.ceil(display_width(text) * scale / max(1, width - 1)) for text, width in cells if text),
                default=1)
    return LINE_HEIGHT * scale * lines if lines > 1 else None
