"""The layout traits real disclosures show, each with the values the corpus crosses."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, fields

# Every trait and its values; the first value is the default.
TRAIT_VALUES: dict[str, tuple] = {
    # The 栏次 row under the header: "栏次 | | 1 | 2 …", bare column numbers, the label
    # columns lettered "甲 | 乙 | 1 | 2 …", or none (the "三公" tables have no label column:
    # their 栏次 row is always bare numbers).
    "lanci": ("absent", "words", "numbers", "letters"),
    # A 行次 column beside each 项目 column of the 决算 总表s (central template; budget 总表s have none).
    "line_numbers": (False, True),
    # The 合计 row of a table by 科目编码 printed last instead of first.
    "total_last": (False, True),
    # A zero printed as a blank or as 0.00.
    "zeros": ("blank", "0.00"),
    # The 财政拨款总表's 总计 row fills only its 合计 column.
    "totals_only_in_total": (False, True),
    "unit": ("万元", "元", "千元"),
    # 科目编码: one cell, split 类|款|项 (款/项 as two-digit text), code and name in one
    # cell, or split parts stored as numbers (款 "02" printed as 2). 经济分类 codes are
    # split 类|款 the same way; no real 经济分类 table prints code and name in one cell,
    # so there code_and_name is one cell.
    "codes": ("one_cell", "split", "code_and_name", "split_numbers"),
    # 收入支出决算总表 / 财务收支预算总表 with the 支出 block under the 收入 block (the
    # 财政拨款总表s, with four 支出 columns, stay two-sided).
    "stacked": (False, True),
    # Header rows, as far as each table's real layouts go (each table clamps it): 1 is one
    # row of headings; then "项目" over 编码 | 名称, 类 | 款 | 项 under 功能分类科目编码, a
    # group or banner heading, and the "决算数" row under each 决算 amount. The "三公"
    # 决算 table has 3 or 4, a 总表 2 (3 with "支出决算数" over the fund columns), and 4
    # gives the 财务收支预算总表 whose 支出 splits into 人员经费 | 公用经费 | 项目支出.
    "header_rows": (2, 1, 3, 4),
    # "注：本表反映…" lines under each table (an empty table always keeps its 说明).
    "notes": (True, False),
    # One table per sheet, or three tables to a sheet.
    "tables_per_sheet": (1, 3),
    # A sheet's tables one under the other, or side by side (an empty column between, titles on one row).
    "arrangement": ("down", "across"),
    # A "公开01表" code line above the title.
    "code_line": (False, True),
    # Figures (and 栏次/行次 numbers) typed as text, amounts with thousands separators.
    "text_numbers": (False, True),
    "file_format": ("xlsx", "xls"),
    # Budget tables whose columns split a group into its parts (Sichuan, Guizhou): the
    # 一般公共预算支出表's 基本支出 as 人员经费 | 公用经费, the 收入总表's 财政拨款收入 by fund
    # (一般公共预算 | 政府性基金 | 国有资本经营); "subtotal" also prints the group's 小计.
    # With a one-row header the group heading is left out: the parts stand flat.
    "budget_groups": ("none", "parts", "subtotal"),
    # The "三公" tables printed across (an item per column) or down (an item per row, a stage per column).
    "three_public": ("across", "down"),
    # The 决算's 一般公共预算财政拨款支出决算表 printing the year's budget as a group of columns
    # {合计 | 基本支出 | 项目支出} before its 决算数: headed 年初预算数, 调整预算数 (older 决算) or a bare 预算数.
    "final_budget": ("none", "年初预算数", "调整预算数", "预算数"),
    # Narrower tables real sets print among the standard ones, whose titles end in a standard
    # title and which must be left unread: the 决算's 财政拨款支出决算明细表 (Sichuan, by 经济分类),
    # 一般公共预算财政拨款项目支出决算表 (Yunnan, one 项目支出 column) and 政府性基金预算财政拨款
    # “三公”经费支出决算表 (empty); the 预算's 政府性基金预算“三公”经费支出预算表 (empty).
    "extra_tables": ("none", "narrower"),
    # The number format every figure cell carries: General, or '#,##0.00' (so a whole figure
    # shows its cents: 12 is printed 12.00).
    "number_format": ("general", "two_decimals"),
    # The "三公" 经费 planned and spent in whole 万元 (so the 决算's "三公" table holds only whole
    # figures, in any unit), or to the 分 as the rest of the accounts.
    "whole_three_public": (False, True),
    # The 决算's fund tables printing 年初结转和结余 and 年末结转和结余 each as a group {小计 | 基本支出 |
    # 项目支出} (the 财决 forms), beside 本年支出 {合计 | 基本支出 | 项目支出}.
    "carry_split": (False, True),
    # The 总表s' label columns headed 项目 under a 收入 / 支出 banner, 收入项目 / 支出项目, or the side
    # word alone (a one-row 收入 | 决算数 | 支出 | 决算数; stacked, 一、收入 / 二、支出 headings under the header).
    "summary_labels": ("xiangmu", "side_xiangmu", "side_only"),
    # The 决算's 基本支出表 as two blocks (人员经费 | 公用经费, with their 合计 footers), or as one list
    # 科目编码 | 科目名称 | 合计 | 人员经费 | 公用经费 under a 本年支出 banner (Zhejiang, Beijing).
    "final_basic": ("blocks", "columns"),
}


@dataclass(frozen=True)
class Traits:
    lanci: str = "absent"
    line_numbers: bool = False
    total_last: bool = False
    zeros: str = "blank"
    totals_only_in_total: bool = False
    unit: str = "万元"
    codes: str = "one_cell"
    stacked: bool = False
    header_rows: int = 2
    notes: bool = True
    tables_per_sheet: int = 1
    arrangement: str = "down"
    code_line: bool = False
    text_numbers: bool = False
    file_format: str = "xlsx"
    budget_groups: str = "none"
    three_public: str = "across"
    final_budget: str = "none"
    extra_tables: str = "none"
    number_format: str = "general"
    whole_three_public: bool = False
    carry_split: bool = False
    summary_labels: str = "xiangmu"
    final_basic: str = "blocks"

    @property
    def label(self) -> str:
        """A short, readable name: the traits that differ from the defaults."""
        default = Traits()
        changed = [f"{f.name}={getattr(self, f.name)}" for f in fields(self)
                   if getattr(self, f.name) != getattr(default, f.name)]
        return ",".join(changed) or "defaults"

    def with_(self, **changes: object) -> Traits:
        return Traits(**{**self.__dict__, **changes})


def all_combinations() -> Iterator[Traits]:
    """The full cross product of every trait's values."""
    names = list(TRAIT_VALUES)
    for values in itertools.product(*(TRAIT_VALUES[n] for n in names)):
        yield Traits(**dict(zip(names, values, strict=True)))


def combination_count() -> int:
    count = 1
    for values in TRAIT_VALUES.values():
        count *= len(values)
    return count


def sample(n: int, seed: int = 0) -> list[Traits]:
    """``n`` combinations in which every value of every trait occurs (given n ≥ 4):
    each trait deals its values round-robin from its own shuffled order."""
    rng = random.Random(seed)
    columns = {}
    for name, values in TRAIT_VALUES.items():
        order = list(values)
        rng.shuffle(order)
        columns[name] = [order[k % len(order)] for k in range(n)]
        rng.shuffle(columns[name])
    return [Traits(**{name: columns[name][k] for name in TRAIT_VALUES}) for k in range(n)]
