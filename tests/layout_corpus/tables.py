"""Every standard 决算 and 预算 table of the accounts, as a block of cells.

A block holds the header, the 栏次 row and the body; its figures are ``Figure``
placeholders (exact 分 and a key naming the line and column), printed later in
the rendering's unit and style. Layouts follow the real fixtures
(../shared/fixtures/real/README.md) and domain.md §1; the traits choose among them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from layout_corpus.accounts import (CLASS_LINES, ECONOMIC_NAMES, FUNCTION_NAMES, PERSONNEL_CLASSES, Accounts,
                                    ThreePublic)
from layout_corpus.headers import Column, Level, Merge, header
from layout_corpus.traits import Traits

FINAL_TITLES = {
    "summary": "收入支出决算总表", "income": "收入决算表", "expenditure": "支出决算表",
    "fiscal": "财政拨款收入支出决算总表", "general": "一般公共预算财政拨款支出决算表",
    "basic": "一般公共预算财政拨款基本支出决算表", "three_public": "财政拨款“三公”经费支出决算表",
    "gov_fund": "政府性基金预算财政拨款收入支出决算表", "state_capital": "国有资本经营预算财政拨款收入支出决算表",
    # Narrower tables (trait extra_tables): each title ends in a standard one.
    "fiscal_detail": "财政拨款支出决算明细表", "general_project": "一般公共预算财政拨款项目支出决算表",
    "gov_fund_three_public": "政府性基金预算财政拨款“三公”经费支出决算表",
}
BUDGET_TITLES = {
    "summary": "部门财务收支预算总表", "income": "部门收入预算总表", "expenditure": "部门支出预算总表",
    "fiscal": "部门财政拨款收支预算总表", "general": "部门一般公共预算支出功能分类预算表",
    "gov_fund": "部门政府性基金预算支出功能分类预算表", "state_capital": "部门国有资本经营预算支出功能分类预算表",
    "basic": "部门一般公共预算基本支出部门预算经济分类预算表", "three_public": "部门“三公”经费和机关运行经费预算表",
    "gov_fund_three_public": "部门政府性基金预算“三公”经费支出预算表",
}
FINAL_NOTES = {
    "summary": "注：本表反映部门本年度的总收支和年末结转结余情况。",
    "income": "注：本表反映部门本年度取得的各项收入情况。",
    "expenditure": "注：本表反映部门本年度各项支出情况。",
    "fiscal": "注：本表反映部门本年度财政拨款总收支和结转结余情况。",
    "general": "注：本表反映部门本年度一般公共预算财政拨款支出情况。",
    "basic": "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
    "three_public": "注：本表反映部门本年度“三公”经费支出预决算情况。",
    "gov_fund": "注：本表反映部门本年度政府性基金预算财政拨款收入支出及结转和结余情况。",
    "state_capital": "注：本表反映部门本年度国有资本经营预算财政拨款收入支出及结转和结余情况。",
    "fiscal_detail": "注：本表反映部门本年度财政拨款支出的经济分类明细情况。",
    "general_project": "注：本表反映部门本年度一般公共预算财政拨款项目支出情况。",
    "gov_fund_three_public": "注：本表反映部门本年度政府性基金预算财政拨款“三公”经费支出预决算情况。",
}
BUDGET_NOTES = {
    "summary": "注：本表反映部门本年度收支预算总体情况。",
    "income": "注：本表反映部门本年度各项收入预算情况。",
    "expenditure": "注：本表反映部门本年度各项支出预算情况。",
    "fiscal": "注：本表反映部门本年度财政拨款收支预算情况。",
    "general": "注：本表反映部门本年度一般公共预算支出预算情况。",
    "gov_fund": "注：本表反映部门本年度政府性基金预算支出预算情况。",
    "state_capital": "注：本表反映部门本年度国有资本经营预算支出预算情况。",
    "basic": "注：本表反映部门本年度一般公共预算基本支出预算情况。",
    "three_public": "注：本表反映部门本年度“三公”经费和机关运行经费预算情况。",
    "gov_fund_three_public": "注：本表反映部门本年度政府性基金预算安排的“三公”经费预算情况。",
}
ORDER = ("summary", "income", "expenditure", "fiscal", "general", "basic", "three_public", "gov_fund",
         "state_capital")
BUDGET_ORDER = ("summary", "income", "expenditure", "fiscal", "general", "gov_fund", "state_capital", "basic",
                "three_public")
# Where the narrower tables stand (trait extra_tables): each after the standard table named,
# so that three tables to a sheet put them on sheets with standard ones.
FINAL_EXTRAS = {"fiscal": "fiscal_detail", "basic": "general_project", "three_public": "gov_fund_three_public"}
BUDGET_EXTRAS = {"gov_fund": "gov_fund_three_public"}
CLASSIFIED_HEADER_ROLES = ("group", "banner", "stage")
BLANK_ROWS_OF_AN_EMPTY_TABLE = 3


@dataclass
class Figure:
    """A printed amount: exact 分, the (line, column) it states, and the printed units a plant adds."""

    fen: int
    key: tuple
    bump: int = 0


@dataclass
class Block:
    """One table below its title lines: header, 栏次 row, body; then its notes."""

    table: str
    title: str
    unit: str                     # the unit its title block states
    rows: list[list[object]]
    merges: list[Merge]
    notes: list[str] = field(default_factory=list)
    print_unit: str | None = None  # a unit slip: figures printed in another unit than stated
    unit_text: str = "单位："

    @property
    def width(self) -> int:
        return max(len(row) for row in self.rows)

    def figure(self, key: tuple) -> Figure:
        for row in self.rows:
            for cell in row:
                if isinstance(cell, Figure) and cell.key == key:
                    return cell
        raise KeyError(f"{self.table}: no figure {key}")


def render_tables(accounts: Accounts, traits: Traits) -> dict[str, Block]:
    draw = _Draw(accounts, traits)
    if accounts.stage == "决算":
        blocks = [draw.final_summary(), draw.final_income(), draw.final_expenditure(), draw.final_fiscal(),
                  draw.final_general(), draw.final_basic(), draw.final_three_public(), draw.final_fund("gov_fund"),
                  draw.final_fund("state_capital")]
        if traits.extra_tables == "narrower":
            blocks += [draw.final_fiscal_detail(), draw.final_general_project(),
                       draw.final_three_public("gov_fund_three_public", ThreePublic())]
    else:
        blocks = [draw.budget_summary(), draw.budget_income(), draw.budget_expenditure(), draw.budget_fiscal(),
                  draw.budget_general(), draw.budget_fund("gov_fund"), draw.budget_fund("state_capital"),
                  draw.budget_basic(), draw.budget_three_public()]
        if traits.extra_tables == "narrower":
            blocks.append(draw.budget_three_public("gov_fund_three_public", ThreePublic()))
    return {block.table: block for block in blocks}


def table_order(stage: str, traits: Traits) -> tuple[str, ...]:
    """The tables in print order: the standard ones, each narrower table after the one it follows."""
    order, extras = (ORDER, FINAL_EXTRAS) if stage == "决算" else (BUDGET_ORDER, BUDGET_EXTRAS)
    if traits.extra_tables == "none":
        return order
    return tuple(name for table in order for name in (table, extras.get(table)) if name)


def _above(spent: int) -> int:
    """A budget 5% above what was spent, in whole 分."""
    return (spent * 105 + 50) // 100


def numeral(n: int) -> str:
    """Chinese enumeration: 1 -> 一, 12 -> 十二, 26 -> 二十六."""
    digits = "一二三四五六七八九"
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens - 1] + "十")
    return head + (digits[ones - 1] if ones else "")


class _Draw:
    def __init__(self, accounts: Accounts, traits: Traits) -> None:
        self.a, self.t = accounts, traits
        self.final = accounts.stage == "决算"
        self.stage_word = "决算数" if self.final else None

    # -- pieces every table uses ---------------------------------------------------

    def block(self, table: str, rows: list, merges: list, notes: list[str] | None = None,
              unit: str | None = None, unit_text: str = "单位：") -> Block:
        titles, default_notes = (FINAL_TITLES, FINAL_NOTES) if self.final else (BUDGET_TITLES, BUDGET_NOTES)
        title = titles[table] if self.final else f"{self.a.year}年{titles[table]}"
        written = ([default_notes[table]] if self.t.notes else []) + (notes or [])
        width = max(len(row) for row in rows)
        rows = [list(row) + [None] * (width - len(row)) for row in rows]
        return Block(table, title, unit or self.t.unit, rows, merges, written, unit_text=unit_text)

    def number(self, n: int) -> object:
        return str(n) if self.t.text_numbers else n

    def lanci_row(self, width: int, label_blocks: list[tuple[int, int]], amount_columns: list[int],
                  merges: list[Merge], r: int) -> list[object] | None:
        """The 栏次 row: "栏次" over each block's label columns (words), or each label
        column lettered 甲, 乙, 丙 … as accounts number them (letters), and the amount
        columns numbered 1, 2, …; bare numbers leave the label columns blank."""
        if self.t.lanci == "absent":
            return None
        row: list[object] = [None] * width
        if self.t.lanci == "words":
            for first, last in label_blocks:
                row[first] = "栏次"
                if last > first:
                    merges.append((r, first, r, last))
        if self.t.lanci == "letters":
            label_columns = [c for first, last in label_blocks for c in range(first, last + 1)]
            for letter, c in zip("甲乙丙丁戊己", label_columns):
                row[c] = letter
        for n, c in enumerate(amount_columns, start=1):
            row[c] = self.number(n)
        return row

    def zero_note(self, kind: str) -> str:
        name = {"gov_fund": "政府性基金预算财政拨款", "state_capital": "国有资本经营预算财政拨款"}[kind]
        if self.final:
            return f"说明：{self.a.department}本年度没有{name}收入和支出，故本表无数据。"
        name = {"gov_fund": "政府性基金预算", "state_capital": "国有资本经营预算"}[kind]
        return f"注：本部门{self.a.year}年无{name}财政拨款安排的预算，故本表为空表。"

    def no_fund_three_public_note(self) -> str:
        """The 说明 of an empty 政府性基金 "三公" table (kept whatever the notes trait)."""
        if self.final:
            return f"说明：{self.a.department}本年度没有使用政府性基金预算财政拨款安排的“三公”经费支出，故本表无数据。"
        return f"注：本部门{self.a.year}年无政府性基金预算安排的“三公”经费，故本表为空表。"

    # -- code columns ----------------------------------------------------------------

    def code_columns(self, economic: bool) -> list[Column]:
        """The label columns of a table by 科目编码 (functional or economic)."""
        heading = "部门预算经济分类科目编码" if economic and not self.final else \
            "经济分类科目编码" if economic else "功能分类科目编码"
        name = "经济分类科目名称" if economic and not self.final else "科目名称"
        top = Level("项目", "banner")
        codes = self.t.codes
        if economic and codes == "code_and_name":
            codes = "one_cell"  # no real 经济分类 table prints code and name in one cell
        if codes in ("split", "split_numbers"):
            parts = ("类", "款") if economic else ("类", "款", "项")
            return [(top, Level(heading, "group"), Level(part)) for part in parts] + [(top, Level(name))]
        if codes == "code_and_name":
            return [(top, Level("科目编码及名称"))]
        return [(top, Level(heading)), (top, Level(name))]

    def code_cells(self, code: str, name: str, economic: bool) -> list[object]:
        codes = self.t.codes
        if economic and codes == "code_and_name":
            codes = "one_cell"
        if codes == "one_cell":
            return [code, name]
        if codes == "code_and_name":
            return [f"{code} {name}"]
        parts = [code[:3], code[3:5] or None] + ([] if economic else [code[5:7] or None])
        if codes == "split_numbers":
            parts = [int(p) if p else None for p in parts]
        return parts + [name]

    # -- tables by 科目编码 ------------------------------------------------------------

    def classified(self, table: str, measures: list[tuple[str, Column]], values: dict[str, list[int]],
                   banner: str | None = None, economic: bool = False, notes: list[str] | None = None,
                   budgets: int = 0) -> Block:
        """项目 (编码 | 名称) then amount columns; the 合计 row first or last; ``values``
        maps each code to its figures (an empty dict: the empty table of the template).
        The first ``budgets`` columns are a 决算's budget columns: no 决算数 under them."""
        labels = self.code_columns(economic)
        amount_columns = []
        for index, (_, levels) in enumerate(measures):
            column = ((Level(banner, "banner"),) if banner else ()) + levels
            if self.stage_word and index >= budgets:
                column += (Level(self.stage_word, "stage"),)
            amount_columns.append(column)
        rows, merges = header(labels + amount_columns, self.t.header_rows, CLASSIFIED_HEADER_ROLES)
        n_labels = len(labels)
        lanci = self.lanci_row(len(labels) + len(measures), [(0, n_labels - 1)],
                               list(range(n_labels, n_labels + len(measures))), merges, len(rows))
        if lanci:
            rows.append(lanci)
        names = ECONOMIC_NAMES if economic else FUNCTION_NAMES
        keys = [key for key, _ in measures]
        body = [self.code_cells(code, names[code], economic)
                + [Figure(v, (code, key)) for v, key in zip(figures, keys, strict=True)]
                for code, figures in values.items()]
        if values:
            tops = [figures for code, figures in values.items() if len(code) == 3]
            totals = [Figure(sum(f[k] for f in tops), ("total", key)) for k, key in enumerate(keys)]
        else:
            totals = [None] * len(keys)
            body = [[None] * (n_labels + len(keys)) for _ in range(BLANK_ROWS_OF_AN_EMPTY_TABLE)]
        total_row = ["合计"] + [None] * (n_labels - 1) + totals
        start = len(rows)
        rows += body + [total_row] if self.t.total_last else [total_row] + body
        total_at = len(rows) - 1 if self.t.total_last else start
        if n_labels > 1:
            merges.append((total_at, 0, total_at, n_labels - 1))
        return self.block(table, rows, merges, notes)

    def function_values(self, measures: list) -> dict[str, list[int]]:
        """Each code's figures, summed up the 类/款/项 tree; codes whose figures are all 0 are left out."""
        sums: dict[str, list[int]] = {}
        for item in self.a.items:
            figures = [measure(item) for measure in measures]
            for code in (item.code[:3], item.code[:5], item.code):
                sums[code] = [x + y for x, y in zip(sums.get(code, [0] * len(figures)), figures, strict=True)]
        return {code: figures for code, figures in sorted(sums.items()) if any(figures)}

    # -- 决算 ------------------------------------------------------------------------------

    def final_income(self) -> Block:
        measures = [("total", (Level("本年收入合计"),)), ("fiscal", (Level("财政拨款收入"),)),
                    ("superior_subsidy", (Level("上级补助收入"),)), ("business", (Level("事业收入"),)),
                    ("operating", (Level("经营收入"),)), ("affiliated", (Level("附属单位上缴收入"),)),
                    ("other", (Level("其他收入"),))]
        values = self.function_values([lambda i: i.income, lambda i: i.fiscal_income, lambda i: 0,
                                       lambda i: i.business_income, lambda i: 0, lambda i: 0,
                                       lambda i: i.other_income])
        return self.classified("income", measures, values)

    def final_expenditure(self) -> Block:
        measures = [("total", (Level("本年支出合计"),)), ("basic", (Level("基本支出"),)),
                    ("project", (Level("项目支出"),)), ("to_superior", (Level("上缴上级支出"),)),
                    ("operating", (Level("经营支出"),)), ("to_subsidiary", (Level("对附属单位补助支出"),))]
        values = self.function_values([lambda i: i.total, lambda i: i.basic, lambda i: i.project,
                                       lambda i: 0, lambda i: 0, lambda i: 0])
        return self.classified("expenditure", measures, values)

    def final_general(self) -> Block:
        measures = [("total", (Level("合计"),)), ("basic", (Level("基本支出"),)), ("project", (Level("项目支出"),))]
        figures = [lambda i: i.gp_total, lambda i: i.gp_basic, lambda i: i.gp_project]
        budget = self.t.final_budget
        if budget == "none":
            return self.classified("general", measures, self.function_values(figures))
        # Each 项 budgeted as the year's 部门预算 planned it (budget_for_final_year: spent as planned), for a
        # 决算's 年初预算数 is that budget (BK222); 5% above for a 调整预算数, a revision the budget tables do not show.
        group = Level(budget, "group")
        planned = [(f"{budget}.{key}", (group, Level(leaf.text, flat=f"{budget}{leaf.text}")))
                   for key, (leaf,) in measures]
        above = _above if budget == "调整预算数" else (lambda spent: spent)
        plan = [lambda i: above(i.gp_basic) + above(i.gp_project), lambda i: above(i.gp_basic),
                lambda i: above(i.gp_project)]
        return self.classified("general", planned + measures, self.function_values(plan + figures),
                               budgets=len(planned))

    def final_fund(self, table: str) -> Block:
        spent = Level("本年支出", "group")
        opening, closing = self.carry_columns("opening", "年初结转和结余"), self.carry_columns("closing", "年末结转和结余")
        measures = [*opening, ("income", (Level("本年收入"),)),
                    ("total", (spent, Level("合计", flat="本年支出合计"))), ("basic", (spent, Level("基本支出"))),
                    ("project", (spent, Level("项目支出"))), *closing]
        if table == "gov_fund":
            # A fund pays only 项目支出: its carry-overs are 项目 ones, the 基本支出 part blank.
            split = [lambda i: 0, lambda i: i.fund_carry.opening] if len(opening) > 1 else []
            values = self.function_values(
                [lambda i: i.fund_carry.opening, *split, lambda i: i.fund_income, lambda i: i.fund_total, lambda i: 0,
                 lambda i: i.fund_project, lambda i: i.fund_carry.closing,
                 *([lambda i: 0, lambda i: i.fund_carry.closing] if split else [])])
            return self.classified(table, measures, values)
        return self.classified(table, measures, {}, notes=[self.zero_note(table)])

    def carry_columns(self, key: str, heading: str) -> list[tuple[str, Column]]:
        """A 结转和结余 column, or (trait carry_split) the group {小计 | 基本支出 | 项目支出} of the 财决 forms."""
        if not self.t.carry_split:
            return [(key, (Level(heading),))]
        group = Level(heading, "group")
        return [(key, (group, Level("小计", flat=f"{heading}小计"))),
                *((f"{key}.{part}", (group, Level(word, flat=f"{heading}{word}")))
                  for part, word in (("basic", "基本支出"), ("project", "项目支出")))]

    def three_public_down(self, table: str, three: ThreePublic, stages: tuple[tuple[str, str], ...],
                          items: list[tuple[str, str]], **block: object) -> Block:
        """The "三公" table printed down: an item per row (合计, then each item, the car's
        parts as 其中 lines), a stage per column: 项目 | 预算数 (| 决算数)."""
        columns = [(Level("项目"),)] + [(Level(word),) for _, word in stages]
        rows, merges = header(columns, 1, ())
        lanci = self.lanci_row(len(columns), [(0, 0)], list(range(1, len(columns))), merges, len(rows))
        if lanci:
            rows.append(lanci)
        for key, name in items:
            amounts = (self.a.operating_costs,) if key == "operating_costs" else three.of(key)
            rows.append([name] + [Figure(amounts[0 if stage == "budget" else 1], (key, stage))
                                  for stage, _ in stages])
        return self.block(table, rows, merges, **block)

    def final_three_public(self, table: str = "three_public", three: ThreePublic | None = None) -> Block:
        """The 财政拨款 "三公" table; ``three`` (none spent) for the narrower 政府性基金 one."""
        three = self.a.three_public if three is None else three
        notes = [self.no_fund_three_public_note()] if three.is_empty else None
        if self.t.three_public == "down":
            return self.three_public_down(
                table, three, (("budget", "预算数"), ("final", "决算数")),
                [("total", "合计"), ("abroad", "1.因公出国（境）费"), ("car_total", "2.公务用车购置及运行维护费"),
                 ("car_purchase", "其中：公务用车购置费"), ("car_operation", "公务用车运行维护费"),
                 ("reception", "3.公务接待费")], notes=notes)
        items = [("total", "合计", ()), ("abroad", "因公出国（境）费", ()),
                 ("car", "公务用车购置及运行维护费", (("car_total", "小计"), ("car_purchase", "公务用车购置费"),
                                                ("car_operation", "公务用车运行维护费"))),
                 ("reception", "公务接待费", ())]
        banner = Level("财政拨款“三公”经费", "banner")
        columns, keys = [], []
        for item, name, subs in items:
            for sub, sub_name in subs or ((item, name),):
                for stage, word in (("budget", "预算数"), ("final", "决算数")):
                    levels = (Level(name, "group"), Level(sub_name)) if subs else (Level(name),)
                    columns.append((banner, *levels, Level(word, "stage")))
                    keys.append((sub, stage))
        rows, merges = header(columns, self.t.header_rows, ("banner",))
        lanci = self.lanci_row(len(columns), [], list(range(len(columns))), merges, len(rows))
        if lanci:
            rows.append(lanci)
        rows.append([Figure(three.of(item)[0 if stage == "budget" else 1], (item, stage)) for item, stage in keys])
        return self.block(table, rows, merges, notes)

    def final_fiscal_detail(self) -> Block:
        """Sichuan's 财政拨款支出决算明细表: 财政拨款 spending by 经济分类 款, 合计 | 人员经费 |
        公用经费 | 项目支出; the 一般公共预算 项目 as 委托业务费, the 政府性基金 项目 as 基础设施建设."""
        measures = [("total", (Level("合计"),)), ("personnel", (Level("人员经费"),)),
                    ("public", (Level("公用经费"),)), ("project", (Level("项目支出"),))]
        projects = {"30227": self.a.total(lambda i: i.gp_project), "31005": self.a.total(lambda i: i.fund_project)}
        lines = dict(self.a.economic)
        for code, amount in projects.items():
            lines[code] = lines.get(code, 0) + amount
        values: dict[str, list[int]] = {}
        for code in sorted(lines):
            basic = self.a.economic.get(code, 0)
            personnel = basic if code[:3] in PERSONNEL_CLASSES else 0
            row = [lines[code], personnel, basic - personnel, projects.get(code, 0)]
            values.setdefault(code[:3], [0, 0, 0, 0])
            values[code[:3]] = [x + y for x, y in zip(values[code[:3]], row, strict=True)]
            values[code] = row
        values = {code: values[code] for code in sorted(values)}
        return self.classified("fiscal_detail", measures, values, economic=True)

    def final_general_project(self) -> Block:
        """Yunnan's 一般公共预算财政拨款项目支出决算表: by 功能分类, one 项目支出 column."""
        values = self.function_values([lambda i: i.gp_project])
        return self.classified("general_project", [("project", (Level("项目支出"),))], values)

    def final_basic(self) -> Block:
        """Two blocks side by side: 人员经费 (301, 303) | 公用经费 (302, 310), each code |
        name | 决算数, and the footer 人员经费合计 | 公用经费合计; or (trait final_basic) the budget
        table's columns 合计 | 人员经费 | 公用经费."""
        if self.t.final_basic == "columns":
            return self.economic_columns("本年支出")
        columns, label_blocks, amount_columns = [], [], []
        for group in ("人员经费", "公用经费"):
            top = Level(group, "banner")
            labels = [(top, *c[1:]) for c in self.code_columns(economic=True)]
            first = len(columns)
            columns += labels + [(top, Level("决算数"))]
            label_blocks.append((first, first + len(labels) - 1))
            amount_columns.append(first + len(labels))
        rows, merges = header(columns, self.t.header_rows, ("group", "banner"))
        lanci = self.lanci_row(len(columns), label_blocks, amount_columns, merges, len(rows))
        if lanci:
            rows.append(lanci)
        lines = self.a.economic_lines()
        personnel = [line for line in lines if line[0][:3] in PERSONNEL_CLASSES]
        public = [line for line in lines if line[0][:3] not in PERSONNEL_CLASSES]
        block_width = label_blocks[0][1] - label_blocks[0][0] + 2
        for k in range(max(len(personnel), len(public))):
            row: list[object] = []
            for side in (personnel, public):
                if k < len(side):
                    code, amount = side[k]
                    row += self.code_cells(code, ECONOMIC_NAMES[code], True) + [Figure(amount, (code, "amount"))]
                else:
                    row += [None] * block_width
            rows.append(row)
        footer = len(rows)
        rows.append(["人员经费合计"] + [None] * (block_width - 2) + [Figure(self.a.personnel_total,
                                                                       ("personnel_total", "amount"))]
                    + ["公用经费合计"] + [None] * (block_width - 2) + [Figure(self.a.public_total,
                                                                         ("public_total", "amount"))])
        for first, last in label_blocks:
            merges.append((footer, first, footer, last))
        return self.block("basic", rows, merges)

    def final_summary(self) -> Block:
        a = self.a
        income = [("一、一般公共预算财政拨款收入", "general_budget", a.total(lambda i: i.gp_income)),
                  ("二、政府性基金预算财政拨款收入", "gov_fund", a.total(lambda i: i.fund_income)),
                  ("三、国有资本经营预算财政拨款收入", "state_capital", 0), ("四、上级补助收入", "superior_subsidy", 0),
                  ("五、事业收入", "business", a.total(lambda i: i.business_income)), ("六、经营收入", "operating", 0),
                  ("七、附属单位上缴收入", "affiliated", 0), ("八、其他收入", "other", a.total(lambda i: i.other_income))]
        classes = a.by_code(lambda i: i.total)
        spending = [(f"{numeral(n)}、{name}", code, classes.get(code, 0))
                    for n, (code, name) in enumerate(CLASS_LINES, start=1)]
        opening, closing = a.total(lambda i: i.opening), a.total(lambda i: i.closing)
        income_total, spending_total = a.total(lambda i: i.income), a.total(lambda i: i.total)
        income += [("本年收入合计", "income_total", income_total), ("使用非财政拨款结余", "use_non_fiscal_balance", 0),
                   ("年初结转和结余", "opening_balance", opening), ("总计", "grand_total", income_total + opening)]
        spending += [("本年支出合计", "expenditure_total", spending_total), ("结余分配", "balance_distribution", 0),
                     ("年末结转和结余", "closing_balance", closing), ("总计", "grand_total", spending_total + closing)]
        return self.summary_like("summary", ("收入", "支出"), income, spending, bottom=4,
                                 amount="金额" if self.t.line_numbers else "决算数")

    def summary_like(self, table: str, sides: tuple[str, str], income: list, spending: list, bottom: int,
                     amount: str) -> Block:
        """A 总表 with one amount column per side: two-sided (收入 | 支出, the bottom lines
        side by side) or stacked (the 支出 block under the 收入 block)."""
        numbered = self.t.line_numbers and self.final
        if self.t.stacked:
            return self.stacked(table, sides, income, spending, amount, numbered)
        columns = []
        for side in sides:
            if self.t.summary_labels == "side_only":  # 收入 | 决算数 | 支出 | 决算数: the side heads the labels
                columns += [(Level(side),)] + ([(Level("行次"),)] if numbered else []) + [(Level(amount),)]
                continue
            columns += [(Level(side, "side"), Level(self.label_heading(side)))] \
                + ([(Level(side, "side"), Level("行次"))] if numbered else []) + [(Level(side, "side"), Level(amount))]
        rows, merges = header(columns, self.t.header_rows, ())
        half = len(columns) // 2
        lanci = self.lanci_row(len(columns), [(0, 0), (half, half)], [half - 1, len(columns) - 1], merges, len(rows))
        if lanci:
            rows.append(lanci)
        top_in, top_out = income[:-bottom], spending[:-bottom]
        lines = [(top_in[k] if k < len(top_in) else None, top_out[k] if k < len(top_out) else None)
                 for k in range(max(len(top_in), len(top_out)))]
        lines += [(income[-bottom + k], spending[-bottom + k]) for k in range(bottom)]
        if not self.final:
            lines.insert(len(lines) - bottom, (None, None))  # the budget fixtures' blank filler row
        numbers = {"in": 0, "out": sum(1 for line, _ in lines if line)}
        for left, right in lines:
            row: list[object] = []
            for side, line in (("in", left), ("out", right)):
                if line is None:
                    row += [None] * half
                    continue
                label, key, fen_ = line
                numbers[side] += 1
                row += [label] + ([self.number(numbers[side])] if numbered else []) \
                    + [Figure(fen_, ((side, key), "amount"))]
            rows.append(row)
        return self.block(table, rows, merges)

    def label_heading(self, side: str) -> str:
        """The label column's heading: 项目, or (trait summary_labels) 收入项目 / 支出项目."""
        return f"{side}项目" if self.t.summary_labels == "side_xiangmu" else "项目"

    def stacked(self, table: str, sides: tuple[str, str], income: list, spending: list, amount: str,
                numbered: bool) -> Block:
        """The 支出 block under the 收入 block, each under its side's heading: above the 项目 | 决算数
        header, or (trait summary_labels side_only) under it, numbered 一、收入 / 二、支出."""
        width = 3 if numbered else 2
        under = self.t.summary_labels == "side_only"

        def headings(side: str) -> list[str]:
            return [self.label_heading(side)] + (["行次"] if numbered else []) + [amount]

        if under:
            rows, merges = header([(Level(h),) for h in headings(sides[0])], 1, ())
        else:
            rows, merges = header([(Level(sides[0], "side"), Level(h)) for h in headings(sides[0])], 2, ())
        lanci = self.lanci_row(width, [(0, 0)], [width - 1], merges, len(rows))
        if lanci:
            rows.append(lanci)
        n = 0
        for side, lines in (("in", income), ("out", spending)):
            if under or side == "out":
                heading = sides[side == "out"]
                merges.append((len(rows), 0, len(rows), width - 1))
                rows.append([f"{'二' if side == 'out' else '一'}、{heading}" if under else heading] + [None] * (width - 1))
            if side == "out":
                rows.append(headings(sides[1]))
            for label, key, fen_ in lines:
                n += 1
                rows.append([label] + ([self.number(n)] if numbered else []) + [Figure(fen_, ((side, key), "amount"))])
        return self.block(table, rows, merges)

    def final_fiscal(self) -> Block:
        a = self.a
        numbered = self.t.line_numbers
        gp_class, fund_class = a.by_code(lambda i: i.gp_total), a.by_code(lambda i: i.fund_total)
        gp_in, fund_in = a.total(lambda i: i.gp_income), a.total(lambda i: i.fund_income)
        gp_open, fund_open = a.total(lambda i: i.gp_carry.opening), a.total(lambda i: i.fund_carry.opening)
        gp_close, fund_close = a.total(lambda i: i.gp_carry.closing), a.total(lambda i: i.fund_carry.closing)
        gp_spent, fund_spent = a.total(lambda i: i.gp_total), a.total(lambda i: i.fund_total)
        income = [("一、一般公共预算财政拨款", "general_budget", gp_in), ("二、政府性基金预算财政拨款", "gov_fund", fund_in),
                  ("三、国有资本经营预算财政拨款", "state_capital", 0)]
        spending = [(f"{numeral(n)}、{name}", code, [gp_class.get(code, 0), fund_class.get(code, 0), 0])
                    for n, (code, name) in enumerate(CLASS_LINES, start=1)]
        bottom = [(("本年收入合计", "income_total", gp_in + fund_in), ("本年支出合计", "expenditure_total",
                                                                 [gp_spent, fund_spent, 0])),
                  (("年初财政拨款结转和结余", "opening_balance", gp_open + fund_open),
                   ("年末财政拨款结转和结余", "closing_balance", [gp_close, fund_close, 0])),
                  (("一、一般公共预算财政拨款", "opening_balance.general_budget", gp_open), None),
                  (("二、政府性基金预算财政拨款", "opening_balance.gov_fund", fund_open), None),
                  (("三、国有资本经营预算财政拨款", "opening_balance.state_capital", 0), None),
                  (("总计", "grand_total", gp_in + fund_in + gp_open + fund_open),
                   ("总计", "grand_total", [gp_spent + gp_close, fund_spent + fund_close, 0]))]
        funds = ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")
        return self.fiscal_like("fiscal", ("收入", "支出"), income, spending, bottom, funds,
                                "金额" if numbered else "决算数", "支出决算数", numbered)

    def fiscal_like(self, table: str, sides: tuple[str, str], income: list, spending: list, bottom: list,
                    funds: tuple[str, ...], amount: str, banner: str | None, numbered: bool) -> Block:
        """财政拨款(收支)总表: 收入 (项目 | 金额) beside 支出 (项目 | 合计 | three fund columns)."""
        left, right = Level(sides[0], "side"), Level(sides[1], "side")
        top = (Level(banner, "banner"),) if banner else ()
        columns = [(left, Level("项目"))] + ([(left, Level("行次"))] if numbered else []) + [(left, Level(amount))]
        half = len(columns)
        columns += [(right, Level("项目"))] + ([(right, Level("行次"))] if numbered else [])
        columns += [(right, *top, Level(word)) for word in ("合计",) + funds]
        rows, merges = header(columns, self.t.header_rows, ("banner",))
        lanci = self.lanci_row(len(columns), [(0, 0), (half, half)],
                               [half - 1] + list(range(len(columns) - 4, len(columns))), merges, len(rows))
        if lanci:
            rows.append(lanci)
        lines = [(income[k] if k < len(income) else None, spending[k] if k < len(spending) else None)
                 for k in range(max(len(income), len(spending)))]
        if not self.final:
            lines.append((None, None))  # the budget fixtures' blank filler row
        lines += bottom
        numbers = {"in": 0, "out": sum(1 for line, _ in lines if line)}
        for left_line, right_line in lines:
            row: list[object] = []
            if left_line:
                numbers["in"] += 1
                label, key, fen_ = left_line
                row += [label] + ([self.number(numbers["in"])] if numbered else []) \
                    + [Figure(fen_, (("in", key), "amount"))]
            else:
                row += [None] * half
            if right_line:
                numbers["out"] += 1
                label, key, parts = right_line
                figures = [Figure(sum(parts), (("out", key), "total"))] + [
                    Figure(v, (("out", key), fund)) for v, fund in
                    zip(parts, ("general_budget", "gov_fund", "state_capital"), strict=True)]
                if key == "grand_total" and self.t.totals_only_in_total:
                    figures[1:] = [None, None, None]   # the 总计 row states only its 合计
                row += [label] + ([self.number(numbers["out"])] if numbered else []) + figures
            rows.append(row)
        return self.block(table, rows, merges)

    # -- 预算 ------------------------------------------------------------------------------

    def budget_summary(self) -> Block:
        a = self.a
        gp, fund = a.total(lambda i: i.gp_income), a.total(lambda i: i.fund_income)
        income = [("一、财政拨款收入", "fiscal", gp + fund), ("1. 一般公共预算资金", "general_budget", gp),
                  ("2. 政府性基金", "gov_fund", fund), ("3. 国有资本经营预算", "state_capital", 0),
                  ("二、事业收入", "business", a.total(lambda i: i.business_income)),
                  ("三、事业单位经营收入", "operating", 0), ("四、其他收入", "other", a.total(lambda i: i.other_income)),
                  ("收入总计", "grand_total", a.total(lambda i: i.income))]
        used = a.class_codes()
        names = dict(CLASS_LINES)
        classes = {code: [a.by_code(m)[code] for m in (lambda i: i.total, lambda i: i.personnel,
                                                         lambda i: i.public, lambda i: i.project)]
                   for code in used}
        grand = [a.total(m) for m in (lambda i: i.total, lambda i: i.personnel, lambda i: i.public,
                                      lambda i: i.project)]
        spending = [(f"{numeral(n)}、{names[code]}", code, classes[code]) for n, code in enumerate(used, start=1)]
        spending.append(("支出总计", "grand_total", grand))
        if self.t.header_rows == 4 and not self.t.stacked:
            return self.budget_summary_split(income, spending)
        spending = [(label, key, parts[0]) for label, key, parts in spending]
        return self.summary_like("summary", ("本年收入", "本年支出"), income, spending, bottom=1, amount="预算数")

    def budget_summary_split(self, income: list, spending: list) -> Block:
        """The 财务收支预算总表 whose 支出 side splits 基本支出 into 人员经费 | 公用经费 and
        项目支出 (the real 单位预算 fixture): a four-row header."""
        left, right = Level("本年收入", "side"), Level("本年支出", "side")
        stated, basic = Level("预算数", "group"), Level("基本支出", "group")
        columns = [(left, Level("项目")), (left, Level("预算数")), (right, Level("项目")),
                   (right, stated, Level("合计")), (right, stated, basic, Level("人员经费")),
                   (right, stated, basic, Level("公用经费")), (right, stated, Level("项目支出"))]
        rows, merges = header(columns, 4, ())
        lanci = self.lanci_row(len(columns), [(0, 0), (2, 2)], [1, 3, 4, 5, 6], merges, len(rows))
        if lanci:
            rows.append(lanci)
        top_in, top_out = income[:-1], spending[:-1]
        lines = [(top_in[k] if k < len(top_in) else None, top_out[k] if k < len(top_out) else None)
                 for k in range(max(len(top_in), len(top_out)))] + [(None, None), (income[-1], spending[-1])]
        for left_line, right_line in lines:
            row: list[object] = [None, None] if left_line is None else \
                [left_line[0], Figure(left_line[2], (("in", left_line[1]), "amount"))]
            if right_line is None:
                row += [None] * 5
            else:
                label, key, parts = right_line
                row += [label] + [Figure(v, (("out", key), m))
                                  for v, m in zip(parts, ("total", "personnel", "public", "project"), strict=True)]
            rows.append(row)
        return self.block("summary", rows, merges)

    def budget_income(self) -> Block:
        fiscal = [("fiscal", (Level("财政拨款收入"),))]
        figures = [lambda i: i.fiscal_income]
        if self.t.budget_groups != "none":
            group = Level("财政拨款收入", "group")
            funds = [("general_budget", (group, Level("一般公共预算拨款收入"))),
                     ("gov_fund", (group, Level("政府性基金预算拨款收入"))),
                     ("state_capital", (group, Level("国有资本经营预算拨款收入")))]
            fiscal = ([("fiscal", (group, Level("小计", flat="财政拨款收入")))] if self.t.budget_groups == "subtotal"
                      else []) + funds
            figures = ([lambda i: i.fiscal_income] if self.t.budget_groups == "subtotal" else []) \
                + [lambda i: i.gp_income, lambda i: i.fund_income, lambda i: 0]
        measures = [("total", (Level("合计"),)), *fiscal,
                    ("business", (Level("事业收入"),)), ("operating", (Level("事业单位经营收入"),)),
                    ("other", (Level("其他收入"),))]
        values = self.function_values([lambda i: i.income, *figures, lambda i: i.business_income,
                                       lambda i: 0, lambda i: i.other_income])
        return self.classified("income", measures, values, banner="收入预算")

    def budget_expenditure(self) -> Block:
        values = self.function_values([lambda i: i.total, lambda i: i.basic, lambda i: i.project])
        return self.classified("expenditure", _SPENDING, values, banner="支出预算")

    def budget_general(self) -> Block:
        if self.t.budget_groups == "none":
            values = self.function_values([lambda i: i.gp_total, lambda i: i.gp_basic, lambda i: i.gp_project])
            return self.classified("general", _SPENDING, values, banner="一般公共预算支出")
        group = Level("基本支出", "group")
        subtotal = self.t.budget_groups == "subtotal"
        measures = [_SPENDING[0], *([("basic", (group, Level("小计", flat="基本支出")))] if subtotal else []),
                    ("personnel", (group, Level("人员经费"))), ("public", (group, Level("公用经费"))), _SPENDING[2]]
        values = self.function_values([lambda i: i.gp_total, *([lambda i: i.gp_basic] if subtotal else []),
                                       lambda i: i.personnel, lambda i: i.public, lambda i: i.gp_project])
        return self.classified("general", measures, values, banner="一般公共预算支出")

    def budget_fund(self, table: str) -> Block:
        banner = {"gov_fund": "政府性基金预算支出", "state_capital": "国有资本经营预算支出"}[table]
        if table == "gov_fund":
            values = self.function_values([lambda i: i.fund_total, lambda i: 0, lambda i: i.fund_project])
            return self.classified(table, _SPENDING, values, banner=banner)
        return self.classified(table, _SPENDING, {}, banner=banner, notes=[self.zero_note(table)])

    def budget_fiscal(self) -> Block:
        a = self.a
        gp, fund = a.total(lambda i: i.gp_income), a.total(lambda i: i.fund_income)
        gp_class, fund_class = a.by_code(lambda i: i.gp_total), a.by_code(lambda i: i.fund_total)
        names = dict(CLASS_LINES)
        income = [("一、一般公共预算资金", "general_budget", gp), ("二、政府性基金", "gov_fund", fund),
                  ("三、国有资本经营预算", "state_capital", 0)]
        spending = [(f"{numeral(n)}、{names[code]}", code, [gp_class.get(code, 0), fund_class.get(code, 0), 0])
                    for n, code in enumerate(a.class_codes(), start=1)]
        bottom = [(("收入总计", "grand_total", gp + fund), ("支出总计", "grand_total", [gp, fund, 0]))]
        return self.fiscal_like("fiscal", ("财政拨款收入", "财政拨款支出"), income, spending, bottom,
                                ("一般公共预算", "政府性基金预算", "国有资本经营预算"), "预算数", None, False)

    def budget_basic(self) -> Block:
        return self.economic_columns("一般公共预算基本支出")

    def economic_columns(self, banner: str) -> Block:
        """By 经济分类: 合计 | 人员经费 | 公用经费 under ``banner``."""
        measures = [("total", (Level("合计"),)), ("personnel", (Level("人员经费"),)), ("public", (Level("公用经费"),))]
        values = {code: [amount, amount if code[:3] in PERSONNEL_CLASSES else 0,
                         0 if code[:3] in PERSONNEL_CLASSES else amount]
                  for code, amount in self.a.economic_lines()}
        return self.classified("basic", measures, values, banner=banner, economic=True)

    def budget_three_public(self, table: str = "three_public", three: ThreePublic | None = None) -> Block:
        """Shanghai's order: 合计 | 因公出国(境)费 | 公务接待费 | 公务用车购置及运行费 (小计 |
        购置费 | 运行费) | 机关运行经费预算数, in 万元 even when the other tables print 元.
        ``three`` (none planned) for the narrower 政府性基金 table, which has no 机关运行经费."""
        operating = three is None
        three = self.a.three_public if three is None else three
        notes = None if operating else [self.no_fund_three_public_note()]
        banner, car = Level("“三公”经费预算数", "banner"), Level("公务用车购置及运行费", "group")
        columns = [(banner, Level("合计")), (banner, Level("因公出国(境)费")), (banner, Level("公务接待费")),
                   (banner, car, Level("小计")), (banner, car, Level("购置费")), (banner, car, Level("运行费")),
                   (Level("机关运行经费预算数"),)][:None if operating else -1]
        keys = ["total", "abroad", "reception", "car_total", "car_purchase", "car_operation"]
        unit = "万元" if self.t.unit == "元" else self.t.unit
        if self.t.three_public == "down":
            return self.three_public_down(
                table, three, (("budget", "预算数"),),
                [("total", "合计"), ("abroad", "因公出国(境)费"), ("reception", "公务接待费"),
                 ("car_total", "公务用车购置及运行费"), ("car_purchase", "其中：购置费"), ("car_operation", "运行费"),
                 ("operating_costs", "机关运行经费")][:None if operating else -1], notes=notes, unit=unit,
                unit_text="单位:")
        rows, merges = header(columns, self.t.header_rows, ("banner",))
        lanci = self.lanci_row(len(columns), [], list(range(len(columns))), merges, len(rows))
        if lanci:
            rows.append(lanci)
        rows.append([Figure(three.of(key)[0], (key, "budget")) for key in keys]
                    + ([Figure(self.a.operating_costs, ("operating_costs", "budget"))] if operating else []))
        return self.block(table, rows, merges, notes, unit=unit, unit_text="单位:")


_SPENDING = [("total", (Level("合计"),)), ("basic", (Level("基本支出"),)), ("project", (Level("项目支出"),))]

