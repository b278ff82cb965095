"""One 支出决算表, rendered with random incidental traits, always loads to the same figures.

The traits are the ones real disclosures vary in (domain.md §6): title lines,
unit line, header depth, code in one cell or split 类|款|项, 合计 at the top or
the bottom, amounts as numbers or as text "1,095.43", blank or "-" for nothing,
the order of the amount columns, and .xlsx (openpyxl) or .xls (xlwt).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from standard_tables import EXPENDITURE
from workbook_builder import write_workbook

from budgetkit.load import load_file
from budgetkit.model import FileStatus, SourceFile, TableKind, Unit

# The standard test table with 1,000 more in the 206 line, so one amount needs a thousands separator.
LINES = {code: (name, str(Decimal(basic) + 1000) if basic and code.startswith("206") else basic, project)
         for code, (name, basic, project) in EXPENDITURE.items()}
TOTAL = ("1145.58", "1115.58", "30.00")
HEADINGS = {"total": "本年支出合计", "basic": "基本支出", "project": "项目支出"}


def expected() -> dict[str | None, dict[str, Decimal | None]]:
    figures = {code: (_sum(basic, project), basic, project) for code, (_, basic, project) in LINES.items()}
    figures[None] = TOTAL
    return {code: {m: Decimal(v) if v else None for m, v in zip(("total", "basic", "project"), values)}
            for code, values in figures.items()}


def _sum(*parts: str | None) -> str:
    return str(sum(Decimal(p) for p in parts if p))


@dataclass(frozen=True)
class Traits:
    title: str
    table_code_line: bool
    department_line: str | None
    unit_line: str | None
    in_yuan: bool
    header_depth: int
    amounts_grouped: bool
    code_layout: str
    split_blank_parents: bool
    total_at_bottom: bool
    text_numbers: bool
    dash_for_blank: bool
    order: tuple[str, ...]
    note_below: bool
    blank_line_in_body: bool
    lanci_row: bool
    spaced_headings: bool
    full_width: bool
    leading_blank_column: bool
    suffix: str


traits = st.builds(
    Traits,
    title=st.sampled_from(["支出决算表", "2022年度支出决算表", "测试局2022年支出决算表"]),
    table_code_line=st.booleans(),
    department_line=st.sampled_from([None, "部门：测试局", "编制单位：测试局"]),
    unit_line=st.sampled_from([None, "单位：{}", "金额单位：{}", "（单位：{}）"]),
    in_yuan=st.booleans(),
    header_depth=st.sampled_from([1, 2]),
    amounts_grouped=st.booleans(),
    code_layout=st.sampled_from(["one cell", "split", "with name"]),
    split_blank_parents=st.booleans(),
    total_at_bottom=st.booleans(),
    text_numbers=st.booleans(),
    dash_for_blank=st.booleans(),
    order=st.permutations(["total", "basic", "project"]).map(tuple),
    note_below=st.booleans(),
    blank_line_in_body=st.booleans(),
    lanci_row=st.booleans(),
    spaced_headings=st.booleans(),
    full_width=st.booleans(),
    leading_blank_column=st.booleans(),
    suffix=st.sampled_from([".xlsx", ".xls"]),
)


def render(t: Traits) -> tuple[list[list[object]], list[str]]:
    """The sheet as rows of cell values and merged ranges, for ``write_workbook``."""
    code_headers = {"one cell": ["科目编码"], "split": ["类", "款", "项"], "with name": []}[t.code_layout]
    name_header = "项目" if t.code_layout == "with name" else "科目名称"
    label_width = len(code_headers) + 1
    width = label_width + len(t.order)
    rows: list[list[object]] = [[t.title] + [None] * (width - 1)]
    merges = [(1, 1, 1, width)]
    if t.table_code_line:
        rows.append([None] * (width - 1) + ["公开03表"])
    if t.department_line or t.unit_line:
        unit = t.unit_line.format("元" if t.in_yuan else "万元") if t.unit_line else None
        rows.append([t.department_line] + [None] * (width - 2) + [unit])
    top = len(rows) + 1
    names = [_heading(HEADINGS[m], t) for m in t.order]
    labels = [_heading(h, t) for h in code_headers + [name_header]]
    if t.header_depth == 1:
        rows.append(labels + names)
    else:
        group = [_heading("本年支出", t)] + [None] * (len(names) - 1) if t.amounts_grouped else names
        rows.append([_heading("项目", t)] + [None] * (label_width - 1) + group)
        rows.append(labels + (names if t.amounts_grouped else [None] * len(names)))
        merges.append((top, 1, top, label_width))
        merges += ([(top, label_width + 1, top, width)] if t.amounts_grouped else
                   [(top, c, top + 1, c) for c in range(label_width + 1, width + 1)])
    if t.lanci_row:
        rows.append(["栏次"] + [None] * (label_width - 1) + [str(i) for i in range(1, len(names) + 1)])
    body = [_labels(code, name, t) + _amounts(t, _sum(basic, project), basic, project)
            for code, (name, basic, project) in LINES.items()]
    if t.blank_line_in_body:  # printed tables pad the page with empty ruled lines
        body.insert(5, [None] * width)
    total = [_heading("合计", t)] + [None] * (label_width - 1) + _amounts(t, *TOTAL)
    rows += body + [total] if t.total_at_bottom else [total] + body
    if t.note_below:
        rows.append(["注：本表反映部门本年度各项支出情况。"] + [None] * (width - 1))
    shift = 1 if t.leading_blank_column else 0
    return ([[None] * shift + row for row in rows],
            [f"{get_column_letter(c0 + shift)}{r0}:{get_column_letter(c1 + shift)}{r1}" for r0, c0, r1, c1 in merges])


def _heading(text: str, t: Traits) -> str:
    """Short headings are often spread with spaces to fill the cell: '项    目'."""
    return "  ".join(text) if t.spaced_headings and len(text) <= 4 else text


def _labels(code: str, name: str, t: Traits) -> list[object]:
    if t.code_layout == "with name":
        return [f"{code} {name}"]
    if t.code_layout == "one cell":
        return [code, name]
    parts = [code[:3], code[3:5] or None, code[5:7] or None]
    if t.split_blank_parents:  # a 款 or 项 row leaves the parts of its parents to the rows above
        depth = len([p for p in parts if p])
        parts = [p if i == depth - 1 else None for i, p in enumerate(parts)]
    return parts + [name]


def _amounts(t: Traits, total: str | None, basic: str | None, project: str | None) -> list[object]:
    figures = {"total": total, "basic": basic, "project": project}
    return [_cell(figures[m], t) for m in t.order]


def _cell(text: str | None, t: Traits) -> object:
    if text is None:
        return "-" if t.dash_for_blank else None
    amount = Decimal(text) * _scale(t)
    if not t.text_numbers:
        return float(amount)
    shown = f"{amount:,.2f}"
    return shown.translate(_FULL_WIDTH) if t.full_width else shown


def _scale(t: Traits) -> int:
    """The figures are in 万元; a table that says it is in 元 shows them ten thousand times larger."""
    return 10000 if t.unit_line and t.in_yuan else 1


_FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def figures(path: Path) -> tuple[list[str], dict[str | None, dict[str, Decimal | None]]]:
    """The coded rows in order, and every row's figures in 万元 by code (None for 合计)."""
    loaded = load_file(SourceFile(path, path.name))
    assert loaded.status == FileStatus.OK, loaded.reason
    [table] = loaded.tables
    assert table.kind == TableKind.EXPENDITURE
    to_wan = table.unit.yuan / Unit.WAN.yuan
    codes = [row.code for row in table.rows if row.code]
    return codes, {row.code: {m: None if c.value is None else c.value * to_wan for m, c in row.values.items()}
                   for row in table.rows if row.code or row.is_total}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(t=traits)
def test_any_rendering_of_the_table_loads_to_the_same_figures(tmp_path, t):
    path = write_workbook(tmp_path / f"支出{t.suffix}", {"表3": render(t)})
    codes, values = figures(path)
    assert codes == list(LINES)
    assert values == expected()


def test_a_column_headed_code_and_name_is_split_like_a_label_column(tmp_path):
    rows = [["支出决算表"], ["科目编码及名称", "本年支出合计", "基本支出", "项目支出"],
            ["合计", 20.15, 20.15, None], ["208 社会保障和就业支出", 20.15, 20.15, None]]
    codes, values = figures(write_workbook(tmp_path / "t.xlsx", {"s": (rows, [])}))
    assert codes == ["208"]
    assert values["208"]["total"] == Decimal("20.15")
