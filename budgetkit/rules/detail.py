"""表内 rules for the 基本支出 (经济分类) and "三公" tables, and for empty tables."""

from __future__ import annotations

import re
from collections.abc import Iterator

from budgetkit.lines import THREE_PUBLIC_NAMES
from budgetkit.model import LINE_FIGURE, Row, Severity, Stage, TableKind
from budgetkit.rules.base import Context, Discrepancy, lacking_any, rule
from budgetkit.rules.picks import value
from budgetkit.tolerance import Term, Verdict, cells_gap, sum_gap

PERSONNEL_CLASSES = ("301", "303")
PUBLIC_CLASSES = ("302", "307", "309", "310", "399")
THREE_PUBLIC = (TableKind.THREE_PUBLIC, TableKind.BUDGET_THREE_PUBLIC)
STAGES = {"budget": "预算数", "final": "决算数"}


BASIC_KINDS = (TableKind.BASIC_EXPENDITURE, TableKind.BUDGET_BASIC)
_FOOTERS = ("personnel_total", "public_total")


def needs_footers(ctx: Context) -> str:
    """A 基本支出表 printing 人员经费合计 / 公用经费合计: as its blocks' footers, or as the subtotal
    lines heading each group of its lines (a budget one printed as a list)."""
    tables = [t for kind in BASIC_KINDS for t in ctx.tables(kind)]
    if not tables:
        return lacking_any(BASIC_KINDS)
    if any(t.line(key) for t in tables for key in _FOOTERS):
        return ""
    return "缺少列出人员经费合计、公用经费合计的基本支出表"


@rule("BK131", "basic.personnel_public", "人员经费与公用经费合计", Severity.ERROR, BASIC_KINDS,
      "{item}填报 {stated}，{parts} 之和为 {expected}，相差 {difference}{unit}。", requires=needs_footers)
def personnel_public(ctx: Context) -> Iterator[Discrepancy]:
    """人员经费合计 = 301 工资福利支出 + 303 对个人和家庭的补助；
    公用经费合计 = 302 商品和服务支出 + 307 + 309 + 310 资本性支出 + 399（表中列出的类；未列出类的，按其下各款）；
    表中另列合计行的，合计 = 人员经费合计 + 公用经费合计。

    错误示例：公用经费合计 10.23，302 为 10.22，310 为 0.00。
    正确示例：公用经费合计 10.22 = 10.22 + 0.00。
    """
    for table in (t for kind in BASIC_KINDS for t in ctx.tables(kind)):
        lines = table.coded()
        footers = []
        for key, classes in zip(_FOOTERS, (PERSONNEL_CLASSES, PUBLIC_CLASSES)):
            stated = value(table, table.line(key), *LINE_FIGURE)
            parts = [(code, t) for code in _printed_parts(lines, classes)
                     if (t := value(table, lines.get(code), *LINE_FIGURE))]
            if stated is not None:
                footers.append((table.line(key).label, stated))
            if stated is None or not parts:
                continue
            gap = sum_gap(stated, [t for _, t in parts], ctx.tolerance)
            if gap and gap.verdict:
                yield Discrepancy.of(stated, gap, table.line(key).label, [t.cell.ref for _, t in parts],
                                     parts="、".join(code for code, _ in parts))
        total = value(table, table.line("total"), *LINE_FIGURE)
        if total is not None and len(footers) == 2:
            gap = sum_gap(total, [t for _, t in footers], ctx.tolerance)
            if gap and gap.verdict:
                yield Discrepancy.of(total, gap, table.line("total").label, [t.cell.ref for _, t in footers],
                                     parts="、".join(label for label, _ in footers))


def _printed_parts(lines: dict, classes: tuple[str, ...]) -> list[str]:
    """Each 类 of ``classes`` the table lists, or, where it lists none of its own line, its 款 lines."""
    codes = []
    for code in classes:
        codes += [code] if code in lines else sorted(c for c in lines if len(c) == 5 and c.startswith(code))
    return codes


def _three_public_sums(ctx: Context, total: str, parts: tuple[str, ...]) -> Iterator[Discrepancy]:
    for kind in THREE_PUBLIC:
        for table in ctx.tables(kind):
            # The department's row, then any 单位's (a table printed by 单位), each adding up on its own.
            for index, row in enumerate(table.rows):
                for stage, stage_name in STAGES.items():
                    stated = value(table, row, f"{total}.{stage}")
                    terms = [t for p in parts if (t := value(table, row, f"{p}.{stage}"))]
                    if stated is None or not terms:
                        continue
                    gap = sum_gap(stated, terms, ctx.tolerance)
                    if gap and gap.verdict:
                        column = table.columns[f"{total}.{stage}"]
                        yield Discrepancy.of(stated, gap, f"{row.label} {column}" if index else column,
                                             [t.cell.ref for t in terms if not t.cell.is_blank], stage=stage_name)


@rule("BK141", "three_public.total", "“三公”经费合计", Severity.ERROR, THREE_PUBLIC,
      "{item}（{stage}）填报 {stated}，因公出国（境）费 + 公务用车购置及运行费 + 公务接待费 = {expected}，"
      "相差 {difference}{unit}。")
def three_public_total(ctx: Context) -> Iterator[Discrepancy]:
    """“三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行（维护）费 + 公务接待费，预算数与决算数分别核对。
    按单位分行的表（单位编码 | 单位名称 | 合计 | …），合计行与各单位行分别核对。

    错误示例：合计 决算数 16.95，因公出国 0，公务用车 16.95，公务接待 0.30。
    正确示例：合计 决算数 17.25 = 0 + 16.95 + 0.30。
    """
    yield from _three_public_sums(ctx, "total", ("abroad", "car_total", "reception"))


@rule("BK142", "three_public.car", "公务用车小计", Severity.ERROR, THREE_PUBLIC,
      "{item}（{stage}）填报 {stated}，购置费 + 运行（维护）费 = {expected}，相差 {difference}{unit}。")
def three_public_car(ctx: Context) -> Iterator[Discrepancy]:
    """公务用车购置及运行（维护）费 小计 = 公务用车购置费 + 公务用车运行（维护）费，预算数与决算数分别核对。
    按单位分行的表，合计行与各单位行分别核对。

    错误示例：小计 20.50，购置费 0，运行费 16.95。
    正确示例：小计 16.95 = 0 + 16.95。
    """
    yield from _three_public_sums(ctx, "car_total", ("car_purchase", "car_operation"))


@rule("BK144", "three_public.units", "“三公”经费各单位之和", Severity.ERROR, THREE_PUBLIC,
      "{item}（{column}）填报 {stated}，各单位之和为 {expected}，相差 {difference}{unit}。")
def three_public_units(ctx: Context) -> Iterator[Discrepancy]:
    """按单位分行的“三公”经费表，合计行的每一栏 = 各单位行之和。单位编码分级的（402 部门，其下 402001、402002），
    只加最上一级，不重复相加。

    错误示例：合计 10.80，测试局（本级）7.35，测试局信息中心 3.45 之外另有 1.00 未列入。
    正确示例：合计 10.80 = 7.35 + 3.45。
    """
    for kind in THREE_PUBLIC:
        for table in ctx.tables(kind):
            department, *units = table.rows
            units = _top_units(units)
            if not units:
                continue
            for measure, cell in department.values.items():
                parts = [u.values[measure] for u in units if measure in u.values]
                gap = cells_gap(cell, parts, table.unit, ctx.tolerance)
                if gap and gap.verdict:
                    yield Discrepancy.of(Term(cell, table.unit), gap, "合计", [c.ref for c in parts if not c.is_blank],
                                         column=table.columns[measure])


_UNIT_CODE = re.compile(r"^\d{3,}")


def _top_units(units: list[Row]) -> list[Row]:
    """The 单位 rows of the first level: a row whose 单位编码 extends another's (402001 under 402) is part of it."""
    codes = [m.group() if (m := _UNIT_CODE.match(u.label)) else None for u in units]
    return [u for u, code in zip(units, codes)
            if not any(other and code and code != other and code.startswith(other) for other in codes)]


@rule("BK143", "three_public.over_budget", "“三公”决算超预算", Severity.WARNING, (TableKind.THREE_PUBLIC,),
      "{item}：决算数 {stated} 超过预算数 {expected}（超出 {excess}{unit}），请在决算说明中解释原因。")
def three_public_over_budget(ctx: Context) -> Iterator[Discrepancy]:
    """（核实性）“三公”经费各项决算数大于预算数时，须在说明中解释原因。

    错误示例：公务接待费 预算数 0.50，决算数 0.80，说明中未解释。
    正确示例：决算数 0.40 ≤ 预算数 0.50；或超支并在说明中写明原因。
    """
    for table in ctx.tables(TableKind.THREE_PUBLIC):
        row = table.rows[0]
        for measure, cell in row.values.items():
            item, stage = measure.split(".")
            budget = value(table, row, f"{item}.budget")
            # 机关运行经费 printed beside the "三公" items (Yunnan) is no "三公" item, held to no budget here.
            if stage != "final" or item not in THREE_PUBLIC_NAMES or budget is None or cell.amount <= budget.cell.amount:
                continue
            yield Discrepancy(cell.ref, THREE_PUBLIC_NAMES[item], cell.amount, budget.cell.amount,
                              table.unit.label, Verdict.MISMATCH, decimals=cell.decimals, related=(budget.cell.ref,))


# The tables a department publishes (the staff's own working sheets are not among them).
_PUBLISHED = tuple(kind for kind in TableKind if kind.stage != Stage.WORKING)

# How a note under an empty table says there is nothing to show: 没有/无 (本部门无此项预算、此表无数),
# 不涉及, 未安排/未发生, 为空/空表.
EMPTY_STATEMENT_WORDS = ("没有", "无", "不涉及", "未安排", "未发生", "为空", "空表")


@rule("BK151", "table.empty_statement", "空表说明", Severity.WARNING, _PUBLISHED,
      "“{item}”没有任何数据，但表下没有“本单位本年度没有……，故本表无数据/为空表”之类的说明。")
def empty_statement(ctx: Context) -> Iterator[Discrepancy]:
    """按规定保留格式的空表，须在表下注明本年度没有相关收支、故本表无数据。

    错误示例：政府性基金预算财政拨款收入支出决算表各栏空白，表下无任何说明。
    正确示例：表下注明“本单位本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。”
    """
    for kind in _PUBLISHED:
        for table in ctx.tables(kind):
            if table.is_empty and not any(_says_empty(note) for note in table.notes):
                yield Discrepancy.flag(table.anchor_ref, table.title)


# The template's own instruction ("无…的，仍保留该表格式，并在本表下方作下述说明：") is no statement.
_INSTRUCTION_WORDS = ("下述说明", "仍保留该表格式")


def _says_empty(note: str) -> bool:
    return any(w in note for w in EMPTY_STATEMENT_WORDS) and not any(w in note for w in _INSTRUCTION_WORDS)


