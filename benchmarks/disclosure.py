"""The nine standard 决算 tables of one 单位, as cell grids in the layouts real
disclosures use (see tests/fixtures/real/README.md): title row, 部门 + 单位 line,
merged headers, codes in one cell or split 类|款|项, 合计 at the top or bottom,
two-sided 总表 with or without 行次, two-block 基本支出表, "三公" in the local or
central column order, empty fund tables with their notes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from accounts import FUNCTION_NAMES, PERSONNEL_NAMES, PUBLIC_NAMES, Accounts, Item
from layout_corpus.accounts import CLASS_LINES
from layout_corpus.tables import FINAL_NOTES

TITLES = {
    "summary": "收入支出决算总表", "income": "收入决算表", "expenditure": "支出决算表",
    "fiscal": "财政拨款收入支出决算总表", "general": "一般公共预算财政拨款支出决算表",
    "general_roll_forward": "一般公共预算财政拨款收入支出决算表",
    "basic": "一般公共预算财政拨款基本支出决算表", "three_public": "财政拨款“三公”经费支出决算表",
    "gov_fund": "政府性基金预算财政拨款收入支出决算表", "state_capital": "国有资本经营预算财政拨款收入支出决算表",
}
NOTES = FINAL_NOTES
FUND_NAMES = {"gov_fund": "政府性基金预算财政拨款", "state_capital": "国有资本经营预算财政拨款"}


@dataclass(frozen=True)
class Layout:
    """The layout traits one workbook is drawn with."""

    split_codes: bool = False           # 类|款|项 in three cells (款/项 as two digits)
    total_at_bottom: bool = False       # 收入/支出决算表: 合计 row last
    general_total_at_bottom: bool = True
    line_numbers: bool = False          # 总表 with 行次 columns and a 栏次 row (central template)
    all_class_lines: bool = True        # 总表 lists all 26 类, blank or not
    year_in_title: bool = False
    department_label: str = "部门"
    unit_label: str = "单位"
    sheet_names: str = "title"          # title | numbered | generic
    explicit_zeros: bool = True         # 基本支出表 prints every code, unused ones as 0.00
    split_economic: bool = False        # 基本支出表: 人员经费 | 公用经费 group row, codes split 类|款
    central_three_public: bool = False  # "三公": 预算数 block then 决算数 block
    general_roll_forward: bool = False  # 一般公共预算 table with 年初 | 本年收入 | 本年支出 | 年末
    text_numbers: bool = False          # 支出决算表 figures saved as text ("1,234.56")
    dash_blanks: bool = False           # 收入/支出决算表 blanks printed as "-"

    @staticmethod
    def draw(rng: random.Random) -> Layout:
        return Layout(
            split_codes=rng.random() < 0.35, total_at_bottom=rng.random() < 0.3,
            general_total_at_bottom=rng.random() < 0.7, line_numbers=rng.random() < 0.2,
            all_class_lines=rng.random() < 0.8, year_in_title=rng.random() < 0.5,
            department_label=rng.choice(("部门", "部门", "编制单位")), unit_label=rng.choice(("单位", "金额单位")),
            sheet_names=rng.choice(("title", "title", "numbered", "generic")),
            explicit_zeros=rng.random() < 0.6, split_economic=rng.random() < 0.25,
            central_three_public=rng.random() < 0.3, general_roll_forward=rng.random() < 0.2,
            text_numbers=rng.random() < 0.05, dash_blanks=rng.random() < 0.1,
        )


@dataclass
class Sheet:
    """One worksheet: values (str, float or None), merged ranges (r0, c0, r1, c1, zero-based),
    and where the header band and the notes under the body start, for the writer's styles."""

    kind: str
    name: str
    rows: list[list[object]]
    merges: list[tuple[int, int, int, int]]
    header_end: int
    body_end: int

    @property
    def width(self) -> int:
        return max(len(row) for row in self.rows)


def numeral(n: int) -> str:
    """Chinese enumeration: 1 -> 一, 12 -> 十二, 26 -> 二十六."""
    digits = "一二三四五六七八九"
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens - 1] + "十")
    return head + (digits[ones - 1] if ones else "")


def render(accounts: Accounts, layout: Layout) -> list[Sheet]:
    draw = _Draw(accounts, layout)
    sheets = [draw.summary(), draw.income(), draw.expenditure(), draw.fiscal(), draw.general(), draw.basic(),
              draw.three_public(), draw.fund("gov_fund"), draw.fund("state_capital")]
    for index, sheet in enumerate(sheets, start=1):
        sheet.name = {"title": TITLES[sheet.kind], "numbered": f"公开{index:02d}表",
                      "generic": f"Sheet{index}"}[layout.sheet_names]
    return sheets


class _Draw:
    def __init__(self, accounts: Accounts, layout: Layout) -> None:
        self.a, self.layout = accounts, layout

    # -- shared pieces ---------------------------------------------------------

    def money(self, cents: int | None, blank: object = None, as_text: bool = False) -> object:
        if not cents:
            return blank
        if as_text:
            return f"{cents // 100:,}.{cents % 100:02d}"
        return cents / 100

    def top(self, kind: str, width: int, title: str | None = None) -> tuple[list[list[object]], list]:
        """Title row and the 部门 … 单位 line, as the fixtures have them."""
        title = title or TITLES[kind]
        if self.layout.year_in_title:
            title = f"{self.a.year}年度{title}"
        rows = [[title] + [None] * (width - 1),
                [f"{self.layout.department_label}：{self.a.department}"] + [None] * (width - 2)
                + [f"{self.layout.unit_label}：{self.a.unit}"]]
        return rows, [(0, 0, 0, width - 1), (1, 0, 1, width - 2)]

    def notes(self, kind: str, rows: list[list[object]], merges: list, width: int, extra: tuple[str, ...] = ()) -> None:
        for text in (NOTES[kind], *extra):
            merges.append((len(rows), 0, len(rows), width - 1))
            rows.append([text] + [None] * (width - 1))

    def finish(self, kind: str, rows: list, merges: list, header_end: int, width: int,
               extra_notes: tuple[str, ...] = ()) -> Sheet:
        body_end = len(rows)
        self.notes(kind, rows, merges, width, extra_notes)
        return Sheet(kind, "", rows, merges, header_end, body_end)

    # -- two-sided 总表 ---------------------------------------------------------

    def summary(self) -> Sheet:
        a = self.a
        income = [("一、一般公共预算财政拨款收入", a.total(lambda i: i.gp_income)),
                  ("二、政府性基金预算财政拨款收入", a.total(lambda i: i.fund_income)),
                  ("三、国有资本经营预算财政拨款收入", 0), ("四、上级补助收入", 0),
                  ("五、事业收入", a.total(lambda i: i.other_income)), ("六、经营收入", 0),
                  ("七、附属单位上缴收入", 0), ("八、其他收入", 0)]
        classes = a.by_code(lambda i: i.total)
        spending = [(name, classes.get(code, 0)) for code, name in self._class_lines()]
        spending = [(f"{numeral(n)}、{name}", amount) for n, (name, amount) in enumerate(spending, start=1)]
        opening = a.total(lambda i: i.gp_opening + i.fund_opening + i.other_opening)
        closing = a.total(lambda i: i.gp_closing + i.fund_closing + i.other_closing)
        income_total, spending_total = sum(v for _, v in income), a.total(lambda i: i.total)
        bottom = [(("本年收入合计", income_total), ("本年支出合计", spending_total)),
                  (("使用非财政拨款结余", 0), ("结余分配", 0)),
                  (("年初结转和结余", opening), ("年末结转和结余", closing)),
                  (("总计", income_total + opening), ("总计", spending_total + closing))]
        lines = [(income[k] if k < len(income) else (None, 0), spending[k] if k < len(spending) else (None, 0))
                 for k in range(max(len(income), len(spending)))] + bottom
        if self.layout.line_numbers:
            return self._two_sided_numbered(lines)
        rows, merges = self.top("summary", 4)
        rows += [["收入", None, "支出", None], ["项目", "决算数", "项目", "决算数"]]
        merges += [(2, 0, 2, 1), (2, 2, 2, 3)]
        for (left, left_amount), (right, right_amount) in lines:
            rows.append([left, self.money(left_amount), right, self.money(right_amount)])
        return self.finish("summary", rows, merges, 4, 4)

    def _two_sided_numbered(self, lines: list) -> Sheet:
        rows, merges = self.top("summary", 6)
        rows += [["收入", None, None, "支出", None, None], ["项目", "行次", "金额", "项目", "行次", "金额"],
                 ["栏次", None, "1", "栏次", None, "2"]]
        merges += [(2, 0, 2, 2), (2, 3, 2, 5)]
        for n, ((left, left_amount), (right, right_amount)) in enumerate(lines, start=1):
            rows.append([left, n if left else None, self.money(left_amount),
                         right, n + 40 if right else None, self.money(right_amount)])
        return self.finish("summary", rows, merges, 5, 6)

    def _class_lines(self) -> list[tuple[str, str]]:
        used = set(self.a.class_codes())
        return [(code, name) for code, name in CLASS_LINES if self.layout.all_class_lines or code in used]

    def fiscal(self) -> Sheet:
        a = self.a
        gp_in, fund_in = a.total(lambda i: i.gp_income), a.total(lambda i: i.fund_income)
        gp_open, fund_open = a.total(lambda i: i.gp_opening), a.total(lambda i: i.fund_opening)
        gp_close, fund_close = a.total(lambda i: i.gp_closing), a.total(lambda i: i.fund_closing)
        gp_spent, fund_spent = a.total(lambda i: i.gp_total), a.total(lambda i: i.fund_project)
        gp_class, fund_class = a.by_code(lambda i: i.gp_total), a.by_code(lambda i: i.fund_project)
        income = [("一、一般公共预算财政拨款", gp_in), ("二、政府性基金预算财政拨款", fund_in),
                  ("三、国有资本经营预算财政拨款", 0)]
        spending = []
        for n, (code, name) in enumerate(self._class_lines(), start=1):
            gp, fund = gp_class.get(code, 0), fund_class.get(code, 0)
            spending.append((f"{numeral(n)}、{name}", [gp + fund, gp, fund, 0]))
        rows, merges = self.top("fiscal", 7)
        rows += [["收入", None, "支出", None, None, None, None],
                 ["项目", "决算数", "项目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款",
                  "国有资本经营预算财政拨款"]]
        merges += [(2, 0, 2, 1), (2, 2, 2, 6)]
        for k in range(max(len(income), len(spending))):
            left, left_amount = income[k] if k < len(income) else (None, 0)
            right, amounts = spending[k] if k < len(spending) else (None, [0, 0, 0, 0])
            rows.append([left, self.money(left_amount), right, *map(self.money, amounts)])
        rows.append(["本年收入合计", self.money(gp_in + fund_in), "本年支出合计",
                     *map(self.money, [gp_spent + fund_spent, gp_spent, fund_spent, 0])])
        rows.append(["年初财政拨款结转和结余", self.money(gp_open + fund_open), "年末财政拨款结转和结余",
                     *map(self.money, [gp_close + fund_close, gp_close, fund_close, 0])])
        for label, amount in (("一、一般公共预算财政拨款", gp_open), ("二、政府性基金预算财政拨款", fund_open),
                              ("三、国有资本经营预算财政拨款", 0)):
            rows.append([label, self.money(amount), None, None, None, None, None])
        rows.append(["总计", self.money(gp_in + fund_in + gp_open + fund_open), "总计",
                     *map(self.money, [gp_spent + fund_spent + gp_close + fund_close, gp_spent + gp_close,
                                       fund_spent + fund_close, 0])])
        return self.finish("fiscal", rows, merges, 4, 7)

    # -- tables by 功能分类科目编码 ---------------------------------------------

    def income(self) -> Sheet:
        columns = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入",
                   "其他收入"]

        def measures(i: Item) -> list[int]:
            fiscal, business = i.gp_income + i.fund_income, i.other_income
            return [fiscal + business, fiscal, 0, business, 0, 0, 0]
        return self._classified("income", columns, measures, self.layout.total_at_bottom,
                                blank="-" if self.layout.dash_blanks else None)

    def expenditure(self) -> Sheet:
        columns = ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
        return self._classified("expenditure", columns, lambda i: [i.total, i.basic, i.project, 0, 0, 0],
                                self.layout.total_at_bottom, blank="-" if self.layout.dash_blanks else None,
                                as_text=self.layout.text_numbers)

    def general(self) -> Sheet:
        if self.layout.general_roll_forward:
            columns = ["年初结转和结余", "本年收入", ("本年支出", ("小计", "基本支出", "项目支出")), "年末结转和结余"]
            return self._classified(
                "general", columns,
                lambda i: [i.gp_opening, i.gp_income, i.gp_total, i.gp_basic, i.gp_project, i.gp_closing],
                self.layout.general_total_at_bottom, title=TITLES["general_roll_forward"])
        return self._classified("general", ["合计", "基本支出", "项目支出"],
                                lambda i: [i.gp_total, i.gp_basic, i.gp_project], self.layout.general_total_at_bottom)

    def fund(self, kind: str) -> Sheet:
        has_fund = kind == "gov_fund" and any(i.fund_project for i in self.a.items.values())
        if not has_fund:
            return self._empty_fund(kind)
        columns = ["年初结转和结余", "本年收入", ("本年支出", ("小计", "基本支出", "项目支出")), "年末结转和结余"]
        return self._classified(
            kind, columns,
            lambda i: [i.fund_opening, i.fund_income, i.fund_project, 0, i.fund_project, i.fund_closing], False)

    def _classified(self, kind: str, columns: list, measures, total_at_bottom: bool, blank: object = None,
                    as_text: bool = False, title: str | None = None) -> Sheet:
        """项目 (编码 | 名称) then amount columns, some grouped under a heading; 合计 row and the 类/款/项 rows."""
        split = self.layout.split_codes
        code_width = 4 if split else 2
        depth = 3 if split else 2
        leaves = sum(1 if isinstance(c, str) else len(c[1]) for c in columns)
        width = code_width + leaves
        rows, merges = self.top(kind, width, title)
        header = [[None] * width for _ in range(depth)]
        header[0][0] = "项目"
        merges.append((2, 0, 2, code_width - 1))
        if split:
            header[1][0], header[1][3] = "功能分类科目编码", "科目名称"
            header[2][:3] = ["类", "款", "项"]
            merges += [(3, 0, 3, 2), (3, 3, 4, 3)]
        else:
            header[1][:2] = ["功能分类科目编码", "科目名称"]
        c = code_width
        for column in columns:
            if isinstance(column, str):
                header[0][c] = column
                merges.append((2, c, 1 + depth, c))
                c += 1
                continue
            group, subs = column
            header[0][c] = group
            merges.append((2, c, 2, c + len(subs) - 1))
            for sub in subs:
                header[1][c] = sub
                if depth > 2:
                    merges.append((3, c, 1 + depth, c))
                c += 1
        rows += header
        sums: dict[str, list[int]] = {}
        for item in self.a.items.values():
            values = measures(item)
            for code in (item.code[:3], item.code[:5], item.code):
                sums[code] = [x + y for x, y in zip(sums.get(code, [0] * leaves), values, strict=True)]
        body = []
        for code, values in sorted(sums.items()):
            if not any(values):
                continue
            cells = [code[:3], code[3:5] or None, code[5:7] or None] if split else [code]
            body.append(cells + [FUNCTION_NAMES[code]] + [self.money(v, blank, as_text) for v in values])
        totals = [sum(v[k] for code, v in sums.items() if len(code) == 3) for k in range(leaves)]
        total_row = ["合计"] + [None] * (code_width - 1) + [self.money(v, blank, as_text) for v in totals]
        start = len(rows)
        rows += body + [total_row] if total_at_bottom else [total_row] + body
        total_index = len(rows) - 1 if total_at_bottom else start
        merges.append((total_index, 0, total_index, code_width - 1))
        return self.finish(kind, rows, merges, 2 + depth, width)

    def _empty_fund(self, kind: str) -> Sheet:
        """The template's empty fund table: 本年支出 spans two rows and its sub-headings
        share the 合计 row (the fixture's header trap); notes say why it is empty."""
        rows, merges = self.top(kind, 8)
        rows += [["项目", None, "年初结转和结余", "本年收入", "本年支出", None, None, "年末结转和结余"],
                 ["功能分类科目编码", "科目名称", None, None, None, None, None, None],
                 ["合计", None, None, None, "合计", "基本支出", "项目支出", None],
                 [None] * 8, [None] * 8, [None] * 8]
        merges += [(2, 0, 2, 1), (2, 2, 3, 2), (2, 3, 3, 3), (2, 4, 3, 6), (2, 7, 3, 7), (4, 0, 4, 1)]
        name = FUND_NAMES[kind]
        return self.finish(kind, rows, merges, 4, 8, (
            f"无{name}收入支出的，仍保留该表格式，并在本表下方作下述说明：",
            f"说明：{self.a.department}本年度没有{name}收入和支出，故本表无数据。"))

    # -- 基本支出表 and "三公" ---------------------------------------------------

    def basic(self) -> Sheet:
        personnel = self._economic_block(PERSONNEL_NAMES)
        public = self._economic_block(PUBLIC_NAMES)
        length = max(len(personnel), len(public))
        personnel += [(None, None, None)] * (length - len(personnel))
        public += [(None, None, None)] * (length - len(public))
        personnel_total = sum(v for c, v in self.a.economic.items() if c[:3] in ("301", "303"))
        public_total = sum(v for c, v in self.a.economic.items() if c[:3] in ("302", "310"))
        if self.layout.split_economic:
            return self._basic_split(personnel, public, personnel_total, public_total)
        rows, merges = self.top("basic", 6)
        rows.append(["经济分类科目编码", "科目名称", "决算数"] * 2)
        for (lc, ln, lv), (rc, rn, rv) in zip(personnel, public, strict=True):
            rows.append([lc, ln, lv, rc, rn, rv])
        footer = len(rows)
        rows.append(["人员经费合计", None, self.money(personnel_total, 0.0),
                     "公用经费合计", None, self.money(public_total, 0.0)])
        merges += [(footer, 0, footer, 1), (footer, 3, footer, 4)]
        return self.finish("basic", rows, merges, 3, 6)

    def _basic_split(self, personnel: list, public: list, personnel_total: int, public_total: int) -> Sheet:
        rows, merges = self.top("basic", 8)
        rows += [["人员经费", None, None, None, "公用经费", None, None, None],
                 ["科目编码", None, "科目名称", "决算数"] * 2, ["类", "款", None, None] * 2]
        merges += [(2, 0, 2, 3), (2, 4, 2, 7), (3, 0, 3, 1), (3, 4, 3, 5), (3, 2, 4, 2), (3, 3, 4, 3),
                   (3, 6, 4, 6), (3, 7, 4, 7)]
        for (lc, ln, lv), (rc, rn, rv) in zip(personnel, public, strict=True):
            rows.append([*_split_economic(lc), ln, lv, *_split_economic(rc), rn, rv])
        rows.append(["人员经费合计", None, None, self.money(personnel_total, 0.0),
                     "公用经费合计", None, None, self.money(public_total, 0.0)])
        footer = len(rows) - 1
        merges += [(footer, 0, footer, 2), (footer, 4, footer, 6)]
        return self.finish("basic", rows, merges, 5, 8)

    def _economic_block(self, names: dict[str, str]) -> list[tuple[str | None, str | None, object]]:
        """(code, name, amount) lines: every code with 0.00 for the unused ones, or only those used."""
        economic = self.a.economic
        lines = []
        for code, name in names.items():
            if len(code) == 3:
                amount = sum(v for c, v in economic.items() if c.startswith(code))
            else:
                amount = economic.get(code, 0)
            if amount or self.layout.explicit_zeros:
                lines.append((code, name, self.money(amount, 0.0)))
        return lines

    def three_public(self) -> Sheet:
        t = self.a.three_public
        pairs = [t.total, t.abroad, t.car_total, t.car_purchase, t.car_operation, t.reception]
        blank = None if t.is_empty else 0.0
        empty = f"说明：{self.a.department}本年度没有财政拨款“三公”经费支出，故本表无数据。"
        notes = (empty,) if t.is_empty else ()
        rows, merges = self.top("three_public", 12)
        if self.layout.central_three_public:
            items = ["合计", "因公出国（境）费", "公务用车购置及运行费", None, None, "公务接待费"]
            sub = [None, None, "小计", "公务用车购置费", "公务用车运行费", None]
            rows += [["预算数"] + [None] * 5 + ["决算数"] + [None] * 5, items + items, sub + sub]
            merges += [(2, 0, 2, 5), (2, 6, 2, 11)]
            for base in (0, 6):
                merges += [(3, base, 4, base), (3, base + 1, 4, base + 1), (3, base + 2, 3, base + 4),
                           (3, base + 5, 4, base + 5)]
            values = [p[0] for p in pairs] + [p[1] for p in pairs]
            header_end = 5
        else:
            rows += [["财政拨款“三公”经费"] + [None] * 11,
                     ["合计", None, "因公出国（境）费", None, "公务用车购置及运行维护费", None, None, None, None, None,
                      "公务接待费", None],
                     [None, None, None, None, "小计", None, "公务用车购置费", None, "公务用车运行维护费", None,
                      None, None],
                     ["预算数", "决算数"] * 6]
            merges += [(2, 0, 2, 11), (3, 0, 4, 1), (3, 2, 4, 3), (3, 4, 3, 9), (3, 10, 4, 11), (4, 4, 4, 5),
                       (4, 6, 4, 7), (4, 8, 4, 9)]
            values = [v for p in pairs for v in p]
            header_end = 6
        rows.append([self.money(v, blank) for v in values])
        return self.finish("three_public", rows, merges, header_end, 12, notes)


def _split_economic(code: str | None) -> list[str | None]:
    """'301' -> ['301', None]; '30101' -> [None, '01'] (the 类 is inherited from the row above)."""
    if code is None:
        return [None, None]
    return [code, None] if len(code) == 3 else [None, code[3:]]
