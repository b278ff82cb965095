"""A crafted department for the report tests: 测试县科技馆, 2023, in 元.

Unlike the sample 区科协 it has non-fiscal income (事业收入 500,000.00 and
其他收入 33,333.00), carry-over on both ends (年初 200,000.00, 年末 333,333.00),
a 财政拨款收入支出决算总表 splitting that carry-over by fund, a "三公" table in
万元, and the same department's 2023 部门收支总表 (预算). Every identity holds.

Figures chosen so the report has work to do: 其他收入 is 3.3333 万元 (shown
3.33), and the 类 shares 41.67 / 19.45 / 19.45 / 19.44 % of plain rounding add
up to 100.01 %, which largest remainder turns into 41.67 / 19.45 / 19.44 / 19.44.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from workbook_builder import write_workbook

DEPARTMENT = "测试县科技馆"
FINAL = f"{DEPARTMENT}2023年部门决算.xlsx"
BUDGET = f"{DEPARTMENT}2023年部门预算.xlsx"
S_SUMMARY, S_INCOME, S_SPENDING = "收入支出决算总表", "收入决算表", "支出决算表"
S_FISCAL, S_THREE = "财政拨款收入支出决算总表", "财政拨款“三公”经费支出决算表"

INCOME_LINES = [("一、一般公共预算财政拨款收入", 2_000_000), ("二、政府性基金预算财政拨款收入", None),
                ("三、国有资本经营预算财政拨款收入", None), ("四、上级补助收入", None), ("五、事业收入", 500_000),
                ("六、经营收入", None), ("七、附属单位上缴收入", None), ("八、其他收入", 33_333)]
CLASS_LINES = [("一、科学技术支出", 1_000_000), ("二、社会保障和就业支出", 466_700), ("三、卫生健康支出", 466_700),
               ("四、住房保障支出", 466_600)]
# code, name, 本年支出合计, 基本支出, 项目支出
SPENDING_ROWS = [("206", "科学技术支出", 1_000_000, 400_000, 600_000), ("20607", "科学技术普及", 1_000_000, 400_000, 600_000),
                 ("208", "社会保障和就业支出", 466_700, 466_700, None),
                 ("20805", "行政事业单位养老支出", 466_700, 466_700, None),
                 ("210", "卫生健康支出", 466_700, 166_700, 300_000),
                 ("21011", "行政事业单位医疗", 466_700, 166_700, 300_000),
                 ("221", "住房保障支出", 466_600, 466_600, None), ("22102", "住房改革支出", 466_600, 466_600, None)]
# code, name, 本年收入合计, 财政拨款收入, 事业收入, 其他收入
INCOME_ROWS = [("206", "科学技术支出", 1_133_333, 600_000, 500_000, 33_333), ("208", "社会保障和就业支出", 466_700, 466_700, None, None),
               ("210", "卫生健康支出", 466_700, 466_700, None, None), ("221", "住房保障支出", 466_600, 466_600, None, None)]
FISCAL_CLASSES = [("一、科学技术支出", 900_000), ("二、社会保障和就业支出", 466_700), ("三、卫生健康支出", 166_700),
                  ("四、住房保障支出", 366_600)]
# 预算数, 决算数 per "三公" column pair (万元): 合计, 出国, 车小计, 购置, 运行, 接待
THREE_PUBLIC = [5.00, 4.20, 0, 0, 3.00, 2.80, 0, 0, 3.00, 2.80, 2.00, 1.40]
BUDGET_CLASSES = [("一、科学技术支出", 1_100_000), ("二、社会保障和就业支出", 466_700), ("三、卫生健康支出", 400_000),
                  ("四、住房保障支出", 466_600)]


def heading(title: str, width: int, unit: str = "元") -> list[list[object]]:
    return [[title] + [None] * (width - 1), [f"部门：{DEPARTMENT}"] + [None] * (width - 2) + [f"单位：{unit}"]]


def summary_sheet() -> tuple[list, list]:
    rows = heading(S_SUMMARY, 4) + [["收入", None, "支出", None], ["项目", "决算数", "项目", "决算数"]]
    for index, (label, amount) in enumerate(INCOME_LINES):
        right = CLASS_LINES[index] if index < len(CLASS_LINES) else (None, None)
        rows.append([label, amount, *right])
    rows += [["本年收入合计", 2_533_333, "本年支出合计", 2_400_000], ["使用非财政拨款结余", None, "结余分配", None],
             ["年初结转和结余", 200_000, "年末结转和结余", 333_333], ["总计", 2_733_333, "总计", 2_733_333]]
    return rows, ["A1:D1", "A2:C2", "A3:B3", "C3:D3"]


def income_sheet() -> tuple[list, list]:
    headers = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
    rows = heading(S_INCOME, 9) + [["项目", None, *headers], ["功能分类科目编码", "科目名称"] + [None] * 7,
                                   ["合计", None, 2_533_333, 2_000_000, None, 500_000, None, None, 33_333]]
    rows += [[code, name, total, fiscal, None, business, None, None, other]
             for code, name, total, fiscal, business, other in INCOME_ROWS]
    merges = ["A1:I1", "A2:H2", "A3:B3", "A5:B5"] + [f"{c}3:{c}4" for c in "CDEFGHI"]
    return rows, merges


def spending_sheet() -> tuple[list, list]:
    rows = heading(S_SPENDING, 5) + [["项目", None, "本年支出合计", "基本支出", "项目支出"],
                                     ["功能分类科目编码", "科目名称", None, None, None],
                                     ["合计", None, 2_400_000, 1_500_000, 900_000]]
    rows += [list(row) for row in SPENDING_ROWS]
    return rows, ["A1:E1", "A2:D2", "A3:B3", "A5:B5", "C3:C4", "D3:D4", "E3:E4"]


def fiscal_sheet() -> tuple[list, list]:
    """财政拨款收入支出决算总表: 一般公共预算 only; 年初 150,000, 年末 250,000."""
    rows = heading(S_FISCAL, 7) + [["收入", None, "支出", None, None, None, None],
                                   ["项目", "决算数", "项目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款",
                                    "国有资本经营预算财政拨款"]]
    left = [("一、一般公共预算财政拨款", 2_000_000), ("二、政府性基金预算财政拨款", None),
            ("三、国有资本经营预算财政拨款", None)]
    for index, (label, amount) in enumerate(FISCAL_CLASSES):
        income = left[index] if index < len(left) else (None, None)
        rows.append([*income, label, amount, amount, None, None])
    rows += [["本年收入合计", 2_000_000, "本年支出合计", 1_900_000, 1_900_000, None, None],
             ["年初财政拨款结转和结余", 150_000, "年末财政拨款结转和结余", 250_000, 250_000, None, None],
             ["一、一般公共预算财政拨款", 150_000, None, None, None, None, None],
             ["二、政府性基金预算财政拨款", None, None, None, None, None, None],
             ["三、国有资本经营预算财政拨款", None, None, None, None, None, None],
             ["总计", 2_150_000, "总计", 2_150_000, 2_150_000, None, None]]
    return rows, ["A1:G1", "A2:F2", "A3:B3", "C3:G3"]


def three_public_sheet() -> tuple[list, list]:
    rows = heading(S_THREE, 12, unit="万元") + [
        ["财政拨款“三公”经费"] + [None] * 11,
        ["合计", None, "因公出国（境）费", None, "公务用车购置及运行维护费", None, None, None, None, None, "公务接待费", None],
        [None] * 4 + ["小计", None, "公务用车购置费", None, "公务用车运行维护费", None, None, None],
        ["预算数", "决算数"] * 6,
        THREE_PUBLIC,
    ]
    merges = ["A1:L1", "A2:K2", "A3:L3", "A4:B5", "C4:D5", "E4:J4", "K4:L5", "E5:F5", "G5:H5", "I5:J5"]
    return rows, merges


def budget_sheet() -> tuple[list, list]:
    """The 2023 部门收支总表 (预算): 财政拨款 2,150,000 + 事业收入 283,300."""
    rows = [["2023年部门收支总表", None, None, None], [f"编制部门：{DEPARTMENT}", None, None, "单位：元"],
            ["本年收入", None, "本年支出", None], ["项目", "预算数", "项目", "预算数"]]
    left = [("一、财政拨款收入", 2_150_000), ("1. 一般公共预算资金", 2_150_000), ("2. 政府性基金", None),
            ("3. 国有资本经营预算", None), ("二、事业收入", 283_300), ("三、事业单位经营收入", None), ("四、其他收入", None)]
    for index, (label, amount) in enumerate(left):
        right = BUDGET_CLASSES[index] if index < len(BUDGET_CLASSES) else (None, None)
        rows.append([label, amount, *right])
    rows.append(["收入总计", 2_433_300, "支出总计", 2_433_300])
    return rows, ["A1:D1", "A2:C2", "A3:B3", "C3:D3"]


def crafted_folder(root: Path, edits: dict[tuple[str, str], object] | None = None) -> Path:
    """The department's 决算 and 预算 workbooks in ``root/in``; ``edits`` changes
    cells of the 决算 workbook, as {(sheet, "B5"): value}."""
    folder = root / "in"
    final = write_workbook(folder / FINAL, {S_SUMMARY: summary_sheet(), S_INCOME: income_sheet(),
                                            S_SPENDING: spending_sheet(), S_FISCAL: fiscal_sheet(),
                                            S_THREE: three_public_sheet()})
    write_workbook(folder / BUDGET, {"部门收支总表": budget_sheet()})
    if edits:
        book = openpyxl.load_workbook(final)
        for (sheet, cell), value in edits.items():
            book[sheet][cell].value = value
        book.save(final)
    return folder


def questioned(result) -> list:
    """The warnings and errors, less the crafted department's own execution warning: its
    budget plans 210 at 400,000 元 against 466,700 spent (BK243, tested on its own)."""
    return [f for f in result.findings if f.severity.value != "info" and f.rule != "BK243"]
