"""The look of the summary workbook, declared once and shared by every sheet writer."""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from budgetkit.model import Severity

FONT = "宋体"
_BASE = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
_BORDERED = {**_BASE, "border": 1}
SEVERITY_FILL = {Severity.ERROR: "#F8CBAD", Severity.WARNING: "#FFE699", Severity.INFO: "#DDEBF7"}


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
            flagged={s: add({**_BASE, "bg_color": c, "border": 2, "border_color": "#C00000"})
                     for s, c in SEVERITY_FILL.items()},
        )
