"""Canonical keys for the labelled lines of two-sided tables (总表)."""

from __future__ import annotations

from budgetkit import subjects
from budgetkit.model import Row, Side
from budgetkit.text import core_label, normalize

INCOME_LINES: dict[str, tuple[str, ...]] = {
    "general_budget": ("一般公共预算财政拨款收入", "一般公共预算财政拨款", "一般公共预算拨款收入", "一般公共预算拨款",
                       "一般公共预算资金", "一般公共预算"),
    "gov_fund": ("政府性基金预算财政拨款收入", "政府性基金预算财政拨款", "政府性基金预算拨款收入", "政府性基金预算拨款",
                 "政府性基金"),
    "state_capital": ("国有资本经营预算财政拨款收入", "国有资本经营预算财政拨款", "国有资本经营预算拨款收入",
                      "国有资本经营预算拨款", "国有资本经营预算"),
    "fiscal": ("财政拨款收入",),
    "superior_subsidy": ("上级补助收入",),
    "business": ("事业收入",),
    "operating": ("经营收入", "事业单位经营收入"),
    "affiliated": ("附属单位上缴收入",),
    "other": ("其他收入",),
    "income_total": ("本年收入合计", "收入合计", "本年收入小计"),
    "use_non_fiscal_balance": ("使用非财政拨款结余", "使用非财政拨款结余和专用结余", "使用专用结余"),
    "opening_balance": ("年初结转和结余", "上年结转和结余", "年初财政拨款结转和结余", "上年结转结余", "上年结转",
                        "年初结转结余", "年初结余", "上年结余"),
    "grand_total": ("收入总计", "总计"),
}

EXPENDITURE_LINES: dict[str, tuple[str, ...]] = {
    "expenditure_total": ("本年支出合计", "支出合计", "本年支出小计"),
    "balance_distribution": ("结余分配",),
    "closing_balance": ("年末结转和结余", "年末财政拨款结转和结余", "结转下年", "年末结转结余", "结转和结余",
                        "结转结余"),
    "grand_total": ("支出总计", "总计"),
}

# What each income line of the 总表 is called as a column of the 收入决算表.
INCOME_LINE_TO_COLUMN = {
    "superior_subsidy": "superior_subsidy", "business": "business", "operating": "operating",
    "affiliated": "affiliated", "other": "other", "income_total": "total",
}
FISCAL_INCOME_LINES = ("general_budget", "gov_fund", "state_capital")
# Measures whose parts a table may print instead of (or under) the measure itself: 人员经费 and
# 公用经费 make up 基本支出; the three funds make up 财政拨款收入.
IMPLIED_GROUPS = {"basic": ("personnel", "public"), "fiscal": FISCAL_INCOME_LINES}

_LOOKUP = {
    side: {alias: key for key, aliases in table.items() for alias in aliases}
    for side, table in ((Side.INCOME, INCOME_LINES), (Side.EXPENDITURE, EXPENDITURE_LINES))
}


# The 总表 lines a report text quotes as totals; "总计" alone names both sides, so not it.
SUMMARY_TOTAL_KEYS = ("income_total", "expenditure_total", "opening_balance", "closing_balance", "grand_total")


def summary_line_named_by(label: str) -> tuple[str, Side] | None:
    """The 总表 total a text label ends with ('部门财政资金结转结余' -> closing_balance), the
    longest matching name first."""
    sides = ((Side.INCOME, INCOME_LINES), (Side.EXPENDITURE, EXPENDITURE_LINES))
    names = [(alias, key, side) for side, table in sides for key, aliases in table.items()
             if key in SUMMARY_TOTAL_KEYS for alias in aliases if alias != "总计"]
    for alias, key, side in sorted(names, key=lambda entry: -len(entry[0])):
        if label.endswith(alias):
            return key, side
    return None


def classify(side: Side, label: str) -> tuple[str | None, str | None]:
    """(line key, 功能分类 类 code) for a normalised line label."""
    key = _LOOKUP[side].get(label)
    if key is not None:
        return key, None
    if side == Side.EXPENDITURE:
        return None, subjects.class_code(label)
    return None, None

# The items of a "三公" table, as reports name them.
THREE_PUBLIC_NAMES = {"total": "“三公”经费合计", "abroad": "因公出国（境）费", "car_total": "公务用车购置及运行费",
                      "car_purchase": "公务用车购置费", "car_operation": "公务用车运行维护费", "reception": "公务接待费"}


# -- the lines of a staff working sheet (金额占比表) ---------------------------------------------------

_BASIC_PARTS = ("人员经费", "公用经费")
NATURE_LINES = ("基本支出", "项目支出", *_BASIC_PARTS)


def sheet_line(row: Row) -> str | None:
    """What a staff sheet's line is of the 决算/预算 tables: for 支出 its 类 code or its nature (基本支出 …),
    for 收入 its 总表 line key (business, opening_balance …); None for any other line (a project)."""
    core = core_label(normalize(row.label))
    if row.side == Side.EXPENDITURE:
        return row.code or next((nature for nature in NATURE_LINES if core.endswith(nature)), None)
    return classify(Side.INCOME, core)[0]


def sheet_whole(side: Side, lines: list[str | None]) -> str | None:
    """The 总表 line a staff sheet's 合计 is, by the lines it adds up (``sheet_line`` of each): the side's
    total where they are the side's own (类, sources, 基本/项目支出), not projects; for 收入, the 收入总计
    where they include the 年初结转和结余, else the 本年收入合计. None where no line is the side's."""
    if side == Side.EXPENDITURE:
        # 人员经费 and 公用经费 alone make up the 基本支出, not the whole
        return "expenditure_total" if any(line and line not in _BASIC_PARTS for line in lines) else None
    if not any(lines):
        return None
    return "grand_total" if "opening_balance" in lines else "income_total"
