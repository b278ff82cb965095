"""核实性 rules: figures that are allowed but must be explained, and code-list checks.

They report warnings: failing one does not make a table wrong, it asks for a look
or an explanation in the 填报说明.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from budgetkit import subjects
from budgetkit.subjects import Subject, SubjectList
from budgetkit.model import LINE_FIGURE, Row, Severity, Side, TableKind
from budgetkit.rules.base import Context, Discrepancy, Listed, rule
from budgetkit.rules.picks import line, pairs, value
from budgetkit.tolerance import Verdict, sum_gap

CARRYOVER_SHARE_LIMIT = Decimal("0.30")
PENSION_RATIO_BAND = (Decimal(1), Decimal(3))
FUNCTION_TABLES = (TableKind.GP_EXPENDITURE, TableKind.BUDGET_GP_EXPENDITURE)
# A functional 项/款 and the economic 款 that record the same payments. 21011 行政事业单位医疗 also
# holds 2101103 公务员医疗补助, whose economic 款 is 30111 公务员医疗补助缴费.
SAME_PAYMENT = (("2080505", ("30108",)), ("2080506", ("30109",)), ("21011", ("30110", "30111")),
                ("2210201", ("30113",)))
FUNCTION_CODED = (TableKind.INCOME, TableKind.EXPENDITURE, TableKind.GP_EXPENDITURE, TableKind.GOV_FUND,
                  TableKind.STATE_CAPITAL, TableKind.BUDGET_INCOME, TableKind.BUDGET_EXPENDITURE,
                  TableKind.BUDGET_GP_EXPENDITURE, TableKind.BUDGET_GOV_FUND, TableKind.BUDGET_STATE_CAPITAL)
ECONOMIC_CODED = (TableKind.BASIC_EXPENDITURE, TableKind.BUDGET_BASIC)


@rule("BK501", "plausibility.large_carryover", "年末结转和结余较大", Severity.WARNING, (TableKind.SUMMARY,),
      "年末结转和结余 {stated}{unit}，占本年收入合计 {income}{unit} 的 {share}，超过 30%，请在填报说明中解释原因。")
def large_carryover(ctx: Context) -> Iterator[Discrepancy]:
    """（核实性）年末结转和结余超过本年收入合计的 30% 时，须在填报说明中解释原因。

    错误示例：本年收入合计 100.00，年末结转和结余 45.00，说明中未解释。
    正确示例：年末结转和结余 5.00；或结余较大并在说明中写明原因。
    """
    for table in ctx.tables(TableKind.SUMMARY):
        closing = line("closing_balance", Side.EXPENDITURE)(table)
        income = line("income_total", Side.INCOME)(table)
        if not closing or not income or income.cell.amount <= 0:
            continue
        share = closing.cell.amount / income.cell.amount
        if share > CARRYOVER_SHARE_LIMIT:
            yield Discrepancy(closing.cell.ref, "年末结转和结余", closing.cell.amount, None, table.unit.label,
                              Verdict.MISMATCH, decimals=closing.cell.decimals, related=(income.cell.ref,),
                              fields={"income": f"{income.cell.amount:,.2f}", "share": f"{share:.2%}"})


@rule("BK505", "plausibility.non_fiscal_balance_used", "使用非财政拨款结余", Severity.WARNING, (TableKind.SUMMARY,),
      "使用非财政拨款结余 {stated}{unit}，超过年初可用的非财政拨款结转和结余 {expected}{unit}"
      "（年初结转和结余 {opening} − 其中财政拨款 {fiscal}）；行政单位通常不应有此项，请核实。")
def non_fiscal_balance_used(ctx: Context) -> Iterator[Discrepancy]:
    """（核实性）使用非财政拨款结余只能动用年初已有的非财政拨款结余（事业单位）；它不应超过
    年初结转和结余中非财政拨款的部分（年初结转和结余 − 财政拨款总表的年初财政拨款结转和结余）。

    错误示例：使用非财政拨款结余 5.00，年初结转和结余 0.84，其中财政拨款 0.84（非财政部分为 0）。
    正确示例：行政单位该行为空；事业单位使用 5.00，年初非财政拨款结余不少于 5.00。
    """
    for group in ctx.groups:
        fiscal = next(iter(group.of(TableKind.FISCAL_SUMMARY)), None)
        for table in group.of(TableKind.SUMMARY):
            used = line("use_non_fiscal_balance", Side.INCOME)(table)
            if used is None or used.cell.amount <= 0:
                continue
            opening = line("opening_balance", Side.INCOME)(table)
            fiscal_opening = line("opening_balance", Side.INCOME)(fiscal) if fiscal else None
            available = (opening.yuan if opening else 0) - (fiscal_opening.yuan if fiscal_opening else 0)
            if used.yuan > available:
                scale = used.unit.yuan
                yield Discrepancy(used.cell.ref, "使用非财政拨款结余", used.cell.amount, available / scale,
                                  table.unit.label, Verdict.MISMATCH, decimals=used.cell.decimals,
                                  related=tuple(t.cell.ref for t in (opening, fiscal_opening) if t),
                                  fields={"opening": f"{(opening.yuan if opening else 0) / scale:,.2f}",
                                          "fiscal": f"{(fiscal_opening.yuan if fiscal_opening else 0) / scale:,.2f}"})


@rule("BK502", "plausibility.pension_ratio", "养老保险与职业年金比例", Severity.WARNING, FUNCTION_TABLES,
      "{item} {stated}{unit} 是 2080506 职业年金缴费 {annuity}{unit} 的 {ratio} 倍；两者通常约为 2:1"
      "（缴费比例 16% 与 8%），请核实是否填错科目。")
def pension_ratio(ctx: Context) -> Iterator[Discrepancy]:
    """（核实性）2080505 机关事业单位基本养老保险缴费通常约为 2080506 职业年金缴费的 2 倍；比值低于 1 或高于 3 时提示核实。

    错误示例：2080505 为 4.64，2080506 为 6.18（两科目填反，比值 0.75）。
    正确示例：2080505 为 6.18，2080506 为 4.64（比值 1.33，新进人员等原因可以偏离 2 倍）。
    """
    for kind in FUNCTION_TABLES:
        for table in ctx.tables(kind):
            lines = table.coded()
            pension, annuity = (value(table, lines.get(c), "total") for c in ("2080505", "2080506"))
            if not pension or not annuity or annuity.cell.amount <= 0 or pension.cell.is_blank:
                continue
            ratio = pension.cell.amount / annuity.cell.amount
            if not PENSION_RATIO_BAND[0] <= ratio <= PENSION_RATIO_BAND[1]:
                yield Discrepancy(pension.cell.ref, lines["2080505"].item, pension.cell.amount, None,
                                  table.unit.label, Verdict.MISMATCH, decimals=pension.cell.decimals,
                                  related=(annuity.cell.ref,),
                                  fields={"annuity": f"{annuity.cell.amount:,.2f}", "ratio": f"{ratio:.2f}"})


SAME_PAYMENT_MESSAGE = ("{item}：{stated_table}为 {stated}，{other_table}对应的经济科目为 {expected}，"
                        "相差 {difference}{unit}；两者通常相等，请核实。")


def _same_payment(ctx: Context, general_kind: TableKind, basic_kind: TableKind,
                  measures: tuple[str, ...]) -> Iterator[Discrepancy]:
    """``measures``: the basic table's column of each economic line, the first it prints (a 合计
    column, or its only column, 决算数 / 预算数, or the blocks' figures)."""
    for general, basic in pairs(ctx, general_kind, basic_kind):
        function_lines = general.coded()
        # Every line of an economic code: a table listing 基本支出 by project (Yunnan's 部门基本支出预算表（人员类、
        # 运转类公用经费项目）) prints 30110 once per project.
        economic_lines: dict[str, list[Row]] = defaultdict(list)
        for economic in basic.rows:
            if economic.code:
                economic_lines[economic.code].append(economic)
        for function_code, economic_codes in SAME_PAYMENT:
            row = function_lines.get(function_code)
            others = [t for c in economic_codes for economic in economic_lines.get(c, ())
                      if (t := value(basic, economic, *measures))]
            stated = value(general, row, "basic", "total")
            if stated is None or not others:
                continue
            gap = sum_gap(stated, others, ctx.tolerance)
            if gap and gap.verdict:
                yield Discrepancy.of(stated, gap, row.item, [t.cell.ref for t in others],
                                     stated_table=general.title, other_table=basic.title)


@rule("BK503", "plausibility.function_economic", "功能科目与经济科目对应", Severity.WARNING,
      (TableKind.GP_EXPENDITURE, TableKind.BASIC_EXPENDITURE), SAME_PAYMENT_MESSAGE, cross_table=True)
def function_economic(ctx: Context) -> Iterator[Discrepancy]:
    """（核实性）记录同一笔支付的功能科目（基本支出）与经济科目通常相等：2080505↔30108，2080506↔30109，
    21011↔30110+30111（行政事业单位医疗含公务员医疗补助），2210201↔30113。

    错误示例：一般公共预算支出表 2210201 住房公积金 17.70，基本支出表 30113 住房公积金 17.07。
    正确示例：两表均为 17.70。
    """
    yield from _same_payment(ctx, TableKind.GP_EXPENDITURE, TableKind.BASIC_EXPENDITURE, LINE_FIGURE)


@rule("BK504", "plausibility.budget_function_economic", "预算功能科目与经济科目对应", Severity.WARNING,
      (TableKind.BUDGET_GP_EXPENDITURE, TableKind.BUDGET_BASIC), SAME_PAYMENT_MESSAGE, cross_table=True)
def budget_function_economic(ctx: Context) -> Iterator[Discrepancy]:
    """（核实性）部门预算中，同一笔支付的功能科目与经济科目通常相等（对应关系同 BK503）。

    错误示例：一般公共预算支出表 2210201 住房公积金 1,361,034.00，基本支出经济分类表 30113 为 1,361,000.00。
    正确示例：两表均为 1,361,034.00。
    """
    yield from _same_payment(ctx, TableKind.BUDGET_GP_EXPENDITURE, TableKind.BUDGET_BASIC, LINE_FIGURE)


CODE_LENGTHS = {"function": (3, 5, 7), "economic": (3, 5), "government": (3, 5)}
CLASSIFICATION = {"function": "支出功能分类", "economic": "部门预算支出经济分类", "government": "政府预算支出经济分类"}
LEVEL_NAMES = {3: "类", 5: "款"}
UNLISTED_SHOWN = 20  # codes the coverage line spells out; beyond that it gives the count


@rule("BK511", "subjects.code_list", "科目编码与名称", Severity.WARNING, FUNCTION_CODED + ECONOMIC_CODED,
      "{item}：{problem}。")
def code_list(ctx: Context) -> Iterator[Discrepancy]:
    """科目编码的“类”应在当年的分类中，编码位数与上级科目应完整，科目表已收录的编码名称应与之一致。

    只在以下情形提示：类（前 3 位）不在当年的支出功能分类或部门预算支出经济分类（基本支出表按 5 开头的
    政府预算支出经济分类列示的，按该分类）中；编码位数不对
    （功能分类 3、5、7 位，经济分类 3、5 位）；本表列有上级科目那一级（款的类、项的款），却未列出该
    编码的上级科目；编码在科目表中，但名称与当年名称不一致（被截断或换行的视为一致；更名的科目按年度
    核对，如 2019 年起“卫生健康支出”取代“医疗卫生与计划生育支出”）。科目表未收录的编码不是错误：
    不提示，只在覆盖情况中列出一次（“科目表未收录，未核对名称：N 个”）。科目表的名称取自 2020 年起的科目
    （此前的更名只记有类和 2018 年的经济分类），2020 年以前的表写了另一个名称（如 2018 年的
    “归口管理的行政单位离退休”）可能是当年的名称：不提示，只在覆盖情况中列出。

    内置科目表见 budgetkit/data/subject_codes.csv（每行注明来源）；可在 budgetkit.toml 的
    [subjects] extra 中指定自己的 CSV 补充或更正。

    错误示例：2080505 科目名称写作“机关事业单位职业年金缴费支出”（那是 2080506）；编码 2280101（没有 228 类）。
    正确示例：2080505 机关事业单位基本养老保险缴费支出；2010601 行政运行（未收录，只计入覆盖情况）。
    """
    unlisted: set[str] = set()
    unknown_names: set[str] = set()  # codes printed under a name of a year before the list's names are known
    # Judged once per run: the same 类, and the same listed 科目 and name, recur in a department's tables.
    class_problems: dict[tuple[str, str, int | None], str | None] = {}
    name_problems: dict[tuple[str, str, str, int | None], str | None] = {}
    for kinds, kinds_system in ((FUNCTION_CODED, "function"), (ECONOMIC_CODED, "economic")):
        for kind in kinds:
            for table in ctx.tables(kind):
                listed = {row.code for row in table.rows if row.code}
                depths = {len(code) for code in listed}  # the levels the table lists
                for row in table.rows:
                    code = row.code
                    if not code:
                        continue
                    # A 基本支出表 may print the parallel 政府预算支出经济分类 (501 机关工资福利支出 …), or list its
                    # 基本支出 by 功能分类 (207 文化旅游体育与传媒支出, Hunan and Guizhou).
                    system = _economic_table_system(code) if kind in ECONOMIC_CODED else kinds_system
                    head = (system, code[:3], table.year)
                    if head not in class_problems:
                        class_problems[head] = _class_problem(ctx.subjects, *head)
                    problem = (_length_problem(system, code) or class_problems[head]
                               or _parent_problem(system, code, listed, depths))
                    subject = ctx.subjects.lookup(system, code)
                    if problem is None and subject is None:
                        unlisted.add(code)
                    elif problem is None:
                        line = (system, code, row.label, table.year)
                        if line not in name_problems:
                            name_problems[line] = _known_problem(subject, row.label, table.year)
                        problem = name_problems[line]
                        if problem and _may_be_its_name_then(ctx.subjects, subject, row.label, table.year):
                            problem = None
                            unknown_names.add(code)
                    if problem:
                        yield Discrepancy.flag(row.label_ref, row.item, problem=problem)
    if unlisted:
        ctx.note("BK511", UnlistedCodes(tuple(sorted(unlisted))))
    if unknown_names:
        ctx.note("BK511", EarlierNames(tuple(sorted(unknown_names))))


def _economic_table_system(code: str) -> str:
    return {"5": "government", "2": "function"}.get(code[:1], "economic")


def _length_problem(system: str, code: str) -> str | None:
    lengths = CODE_LENGTHS[system]
    if len(code) in lengths:
        return None
    return f"编码 {code} 为 {len(code)} 位，{CLASSIFICATION[system]}科目编码应为 {'、'.join(map(str, lengths))} 位，请核对编码"


def _parent_problem(system: str, code: str, listed: set[str], depths: set[int]) -> str | None:
    """A 款 without its 类 (a 项 without its 款) in a table that lists that level elsewhere
    (``depths``: the code lengths it lists); a table that lists only 项, or only 类, has no
    parents to miss."""
    lengths = CODE_LENGTHS[system]
    if len(code) == lengths[0]:
        return None
    parent = code[:lengths[lengths.index(len(code)) - 1]]
    if parent in listed or len(parent) not in depths:
        return None
    return f"本表列有{LEVEL_NAMES[len(parent)]}级科目，却未列出其上级科目 {parent}，请核对编码"


def _class_problem(known: SubjectList, system: str, code: str, year: int | None) -> str | None:
    """The 类 must be one of that year's classification."""
    head = known.lookup(system, code[:3])
    if head is None:
        return f"类 {code[:3]} 不在{CLASSIFICATION[system]}中，请核对编码"
    return _year_problem(head, year)


def _known_problem(subject: Subject, label: str, year: int | None) -> str | None:
    problem = _year_problem(subject, year)
    if problem or not label or label == subject.code or subjects.name_matches(subject, label, year):
        return problem
    if subject.renamed_in and year is not None and subjects.names_match(subject.aliases + (subject.name,), label):
        before = year < subject.renamed_in
        return (f"“{label}”是科目 {subject.code} {'自' if before else '在'} {subject.renamed_in} 年"
                f"{'起' if before else '以前'}的名称，{year} 年应为“{subject.name_in(year)}”")
    return f"名称“{label}”与科目表中 {subject.code} 的名称“{subject.name_in(year)}”不一致"


def _may_be_its_name_then(known: SubjectList, subject: Subject, label: str, year: int | None) -> bool:
    """Whether a 功能分类 款 or 项 printed under a name the list does not record for it is in a table older than
    the list's names (subjects.NAMES_KNOWN_FROM): then it may be that year's name, unless the list gives the name
    to another code (2080505 printed as 行政运行 is wrong in any year)."""
    return (year is not None and year < subjects.NAMES_KNOWN_FROM and subject.system == "function"
            and len(subject.code) > 3 and not subjects.names_match((subject.name, *subject.aliases), label)
            and not known.codes_named(subject.system, label) - {subject.code})


def _year_problem(subject: Subject, year: int | None) -> str | None:
    if subject.valid_in(year):
        return None
    if subject.valid_from and year < subject.valid_from:
        return f"科目 {subject.code} 自 {subject.valid_from} 年起设立，{year} 年不应使用"
    return f"科目 {subject.code} 已于 {subject.valid_to} 年停用，{year} 年不应使用"


class EarlierNames(Listed):
    """"2020 年以前的表中名称与现行名称不同、未核对：2 个（…）": the codes whose older tables print another name."""

    sort = True

    @staticmethod
    def said(names: tuple[str, ...]) -> str:
        return (f"{subjects.NAMES_KNOWN_FROM} 年以前的表中名称与现行名称不同、未核对（科目表收录的是 "
                f"{subjects.NAMES_KNOWN_FROM} 年起的名称，可能是当年的名称）：{_codes(names)}")


class UnlistedCodes(Listed):
    """"科目表未收录，未核对名称：3 个（…）": every code several folders' lists lacked, each once."""

    sort = True

    @staticmethod
    def said(names: tuple[str, ...]) -> str:
        return f"科目表未收录，未核对名称：{_codes(names)}"


def _codes(names: tuple[str, ...]) -> str:
    shown = "、".join(names[:UNLISTED_SHOWN]) + (" 等" if len(names) > UNLISTED_SHOWN else "")
    return f"{len(names)} 个（{shown}）"
