"""Rules about single figure cells, before any identity is judged."""

from __future__ import annotations

from collections.abc import Iterator

from budgetkit.model import Row, Severity, Table, TableKind
from budgetkit.rules.base import Context, Discrepancy, rule

ALL_KINDS = tuple(TableKind)


@rule("BK105", "cell.unreadable", "无法识别的数字", Severity.ERROR, ALL_KINDS,
      "{item}：“{column}”一栏的“{text}”不是可识别的数字，涉及它的核对均未进行；请改为数字。")
def unreadable(ctx: Context) -> Iterator[Discrepancy]:
    """金额栏中的文字应是数字。写错的数字（字母 l、O 混入，多一个小数点）不会被当作 0 参与合计，
    而是在这里报告一次，涉及它的各项核对都不进行。

    错误示例：基本支出一栏写作“1l.31”（小写字母 l 代替数字 1）。
    正确示例：基本支出一栏为 11.31。
    """
    for table in (t for group in ctx.groups for t in group.tables):
        for row in table.rows:
            for measure, cell in row.values.items():
                if cell.unreadable is not None:
                    yield Discrepancy.flag(cell.ref, row.item or table.title, text=cell.unreadable,
                                           column=column_name(table, row, measure))


def column_name(table: Table, row: Row, measure: str) -> str:
    """The header a measure was read from ('本年支出/基本支出' shown as its last level)."""
    side = f"{row.side.value}:{measure}" if row.side else measure
    header = table.columns.get(side) or table.columns.get(measure) or measure
    return header.split("/")[-1]
