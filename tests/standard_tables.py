"""Consistent 决算 core tables in the layouts real disclosures use, for tests.

Each function returns (rows, merges) for one sheet; arguments switch the layout
traits the loader must survive, and ``scale`` turns 万元 figures into 元.
"""

from __future__ import annotations

from decimal import Decimal

CLASS_LINES = ("一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出", "社会保障和就业支出")
EXPENDITURE = {  # code: (name, 基本, 项目)
    "206": ("科学技术支出", "95.43", "30.00"),
    "20601": ("科学技术管理事务", "95.43", None),
    "2060101": ("行政运行", "95.43", None),
    "20607": ("科学技术普及", None, "30.00"),
    "2060702": ("科普活动", None, "30.00"),
    "208": ("社会保障和就业支出", "20.15", None),
    "20805": ("行政事业单位养老支出", "20.15", None),
    "2080505": ("机关事业单位基本养老保险缴费支出", "13.43", None),
    "2080506": ("机关事业单位职业年金缴费支出", "6.72", None),
}
TOTAL_BASIC, TOTAL_PROJECT = "115.58", "30.00"


def money(text: str | None, scale: int = 1, as_text: bool = False) -> object:
    if text is None:
        return None
    value = Decimal(text) * scale
    if as_text:
        return f"{value:,.2f}"
    return float(value)


def summary_sheet(unit: str = "万元", scale: int = 1, with_line_numbers: bool = False,
                  income_total: str = "145.58", grand_total: str = "146.42",
                  income_lines: tuple[tuple[str, str | None], ...] | None = None) -> tuple[list, list]:
    """收入支出决算总表, two-sided; optionally with 行次 columns and a 栏次 row (central template)."""
    m = lambda t: money(t, scale)  # noqa: E731
    spending = {"科学技术支出": "125.43", "社会保障和就业支出": "20.15"}
    rows: list[list[object]] = [["收入支出决算总表", None, None, None] + ([None, None] if with_line_numbers else []),
                                ["编制单位：测试局", None, None, f"金额单位：{unit}"]]
    if with_line_numbers:
        rows += [["收入", None, None, "支出", None, None],
                 ["项目", "行次", "金额", "项目", "行次", "金额"],
                 ["栏次", None, "1", "栏次", None, "2"]]
    else:
        rows += [["收入", None, "支出", None], ["项目", "决算数", "项目", "决算数"]]
    income = list(income_lines or (("一、一般公共预算财政拨款收入", "145.58"), ("二、政府性基金预算财政拨款收入", None),
                                   ("三、上级补助收入", None)))
    for index, name in enumerate(CLASS_LINES):
        left = income[index] if index < len(income) else (None, None)
        right = (f"{'一二三四五六七'[index]}、{name}", spending.get(name))
        rows.append(_two(left, right, with_line_numbers, index, m))
    bottom = [(("本年收入合计", income_total), ("本年支出合计", "145.58")),
              (("使用非财政拨款结余", None), ("结余分配", None)),
              (("年初结转和结余", "0.84"), ("年末结转和结余", "0.84")),
              (("总计", grand_total), ("总计", "146.42"))]
    for index, (left, right) in enumerate(bottom, start=len(CLASS_LINES)):
        rows.append(_two(left, right, with_line_numbers, index, m))
    merges = ["A1:F1", "A3:C3", "D3:F3"] if with_line_numbers else ["A1:D1", "A3:B3", "C3:D3"]
    return rows, merges


def _two(left, right, with_line_numbers: bool, index: int, m) -> list[object]:
    if with_line_numbers:
        return [left[0], index + 1 if left[0] else None, m(left[1]), right[0], index + 31, m(right[1])]
    return [left[0], m(left[1]), right[0], m(right[1])]


def expenditure_sheet(unit: str = "万元", scale: int = 1, split_codes: bool = False, total_at_bottom: bool = False,
                      text_numbers: bool = False, dash_for_blank: bool = False,
                      overrides: dict[tuple[str, str], str] | None = None) -> tuple[list, list]:
    """支出决算表 with 本年支出合计 | 基本支出 | 项目支出, in the requested layout."""
    overrides = overrides or {}
    blank = "-" if dash_for_blank else None
    m = lambda t: blank if t is None else money(t, scale, text_numbers)  # noqa: E731
    code_header = [["功能分类科目编码", None, None, "科目名称"], ["类", "款", "项", None]] if split_codes else \
        [["功能分类科目编码", "科目名称"]]
    width = len(code_header[0])
    rows: list[list[object]] = [["支出决算表"] + [None] * (width + 2),
                                ["部门：测试局"] + [None] * (width + 1) + [f"单位：{unit}"],
                                ["项目"] + [None] * (width - 1) + ["本年支出合计", "基本支出", "项目支出"]]
    rows += [line + [None, None, None] for line in code_header]
    body = []
    for code, (name, basic, project) in EXPENDITURE.items():
        total = str(Decimal(basic or 0) + Decimal(project or 0))
        total = overrides.get((code, "total"), total)
        basic = overrides.get((code, "basic"), basic)
        cells = [code[:3], code[3:5] or None, code[5:7] or None] if split_codes else [code]
        body.append(cells + [name, m(total), m(basic), m(project)])
    total_row = ["合计"] + [None] * (width - 1) + [m("145.58"), m(TOTAL_BASIC), m(TOTAL_PROJECT)]
    rows += body + [total_row] if total_at_bottom else [total_row] + body
    rows.append(["注：本表反映部门本年度各项支出情况。"])
    header_rows = len(code_header) + 1
    last = chr(ord("A") + width + 2)
    merges = [f"A1:{last}1", f"A3:{chr(ord('A') + width - 1)}3"]
    merges += [f"{chr(ord('A') + width + i)}3:{chr(ord('A') + width + i)}{2 + header_rows}" for i in range(3)]
    if split_codes:
        merges += ["A4:C4", "D4:D5"]
    return rows, merges


def income_sheet(unit: str = "万元", scale: int = 1, total: str = "145.58") -> tuple[list, list]:
    """收入决算表 with 本年收入合计 | 财政拨款收入 | 事业收入 and 合计 on top."""
    m = lambda t: money(t, scale)  # noqa: E731
    rows: list[list[object]] = [["收入决算表", None, None, None, None],
                                ["部门：测试局", None, None, None, f"单位：{unit}"],
                                ["项目", None, "本年收入合计", "财政拨款收入", "事业收入"],
                                ["功能分类科目编码", "科目名称", None, None, None],
                                ["合计", None, m(total), m(total), None]]
    for code, (name, basic, project) in EXPENDITURE.items():
        total = str(Decimal(basic or 0) + Decimal(project or 0))
        rows.append([code, name, m(total), m(total), None])
    return rows, ["A1:E1", "A3:B3", "C3:C4", "D3:D4", "E3:E4", "A5:B5"]
