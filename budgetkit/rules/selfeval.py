"""Rules for the 绩效自评表 (domain.md §4.3, J01–J09): money that adds up, 执行率 from the
denominator the form declares, scores within their weights and adding up, the grade of
the 总分, and the 部门整体 form's money against the 决算 of its department and year.

Scores and weights are typed in, not rounded from something finer, so their sums are
compared exactly; a score computed from a formula (执行率得分, a 定量指标's score) may be
rounded to the decimals it shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from functools import wraps

from budgetkit.model import Cell, FundLine, GradeBands, Indicator, Scope, SelfEvalForm, Severity, Stage, TableKind
from budgetkit.rules.base import Context, Discrepancy, Group, rule
from budgetkit.rules.facts import Fact, FactKey, stated_facts
from budgetkit.tolerance import ZERO, Gap, Term, Verdict, same_gap, share_gap, sum_gap

FORM_KINDS = (TableKind.PROJECT_SELF_EVAL, TableKind.DEPARTMENT_SELF_EVAL)
FULL_MARKS = Decimal(100)
LOW_RATE = Decimal("0.9")
SCORE_SLACK = Decimal("0.01")  # a formula's score may differ by this much beyond its own rounding
POINTS = "分"
AMOUNT_NAMES = {"initial": "年初预算数", "adjusted": "全年预算数", "executed": "全年执行数"}
GRADE_WORDS = {"优秀": "优", "良好": "良", "中等": "中", "合格": "中", "不合格": "差", "较差": "差"}
DEFAULT_BANDS = GradeBands()
# Rules that read the grade bands of budgetkit.toml [selfeval]; config binds them (``with_bands``).
BANDED_RULES = ("BK709", "BK710")


def forms(ctx: Context, kinds: tuple[TableKind, ...] = FORM_KINDS) -> Iterator[tuple[Group, SelfEvalForm]]:
    for group in ctx.groups:
        for kind in kinds:
            for form in group.of(kind):
                if isinstance(form, SelfEvalForm):
                    yield group, form


def with_bands(check: Callable, bands: GradeBands) -> Callable:
    """The check reading ``bands`` instead of the default ones, documented as before."""
    @wraps(check)
    def configured(ctx: Context):
        return check(ctx, bands)
    return configured


def grade_of(text: str) -> str:
    """"优秀" and "优" are one grade."""
    return GRADE_WORDS.get(text, text)


def _points(stated: Cell, expected: Decimal, item: str, slack: Decimal = ZERO, related=(), **fields: str
            ) -> Discrepancy | None:
    """A score against what it should be: within its own rounding it is right; within ``slack``
    more it may be rounding (info); beyond, it is wrong."""
    gap = stated.amount - expected
    shown = stated.half_unit if slack else ZERO
    if abs(gap) <= shown:
        return None
    verdict = Verdict.ROUNDING if abs(gap) <= shown + slack else Verdict.MISMATCH
    return Discrepancy(stated.ref, item, stated.amount, expected.normalize() if expected == expected.to_integral()
                       else expected.quantize(Decimal("0.0001")).normalize(), POINTS, verdict, shown + slack,
                       stated.decimals, tuple(related), fields)


def _stated(cell: Cell | None) -> bool:
    return cell is not None and cell.known and not cell.is_blank


def _parts(form: SelfEvalForm) -> list[FundLine]:
    return [f for f in form.funds if not f.is_total]


@rule("BK701", "selfeval.fund_total", "自评表资金合计", Severity.ERROR, FORM_KINDS,
      "{item}填报 {stated}，{parts} 之和为 {expected}，相差 {difference}{unit}。")
def fund_total(ctx: Context) -> Iterator[Discrepancy]:
    """自评表资金一栏的年度资金总额 = 其下各行之和（年初预算数、全年预算数、全年执行数分别核对）。

    其下各行为本年财政拨款 + 上年结转资金 + 其他资金（中央模板），财政资金 + 财政专户管理资金 + 单位资金 +
    其他资金（四川），或基本支出 + 项目支出（贵州）。先按收入性质、再按支出性质分列的（以“按……分”标题或
    “其中”行分开），每种分法各自核对；只列一行的“其中”不是全部构成，不核对。

    错误示例：年度资金总额 全年执行数 30.00，其中 当年财政拨款 25.00、上年结转资金 0、其他资金 0。
    正确示例：年度资金总额 全年执行数 25.00 = 25.00 + 0 + 0。
    """
    for _, form in forms(ctx):
        total = form.fund_total
        if total is None:
            continue
        for breakdown in _breakdowns(form):
            for measure, name in AMOUNT_NAMES.items():
                stated = total.values.get(measure)
                parts = [(p.label, c) for p in breakdown if (c := p.values.get(measure)) is not None]
                if stated is None or not any(_stated(c) or not c.known for _, c in parts):
                    continue
                gap = sum_gap(Term(stated, form.unit), [Term(c, form.unit) for _, c in parts], ctx.tolerance)
                if gap and gap.verdict:
                    yield Discrepancy.of(Term(stated, form.unit), gap, f"{total.label}（{name}）",
                                         [c.ref for _, c in parts if _stated(c)],
                                         parts="、".join(label for label, c in parts if _stated(c)))


def _breakdowns(form: SelfEvalForm) -> list[list[FundLine]]:
    """The total's parts, a list for each breakdown of it (by 收入性质, by 支出性质 …). A lone
    line (其中：财政拨款) names one part of the total, not all of it: no breakdown to add up."""
    breakdowns: dict[int, list[FundLine]] = {}
    for line in _parts(form):
        breakdowns.setdefault(line.breakdown, []).append(line)
    return [lines for lines in breakdowns.values() if len(lines) > 1]


def _rate_denominator(form: SelfEvalForm, line: FundLine) -> tuple[str, Cell] | None:
    cell = line.values.get(form.denominator)
    if not _stated(cell) or cell.amount == 0:
        return None
    return form.denominator, cell


@rule("BK702", "selfeval.rate", "自评表执行率", Severity.ERROR, FORM_KINDS,
      "{item}：执行率填报 {stated}%，按全年执行数 {executed} ÷ {denominator_name} {denominator} 应为 {expected}%，"
      "相差 {difference} 个百分点。{hint}")
def execution_rate(ctx: Context) -> Iterator[Discrepancy]:
    """执行率 = 全年执行数 ÷ 表中声明的分母；用了另一栏作分母时指出。

    分母是表头标为（A）的一栏；未标明时为全年预算数（调整后预算数，中央模板和四川），没有这一栏时为年初预算数（贵州）。

    错误示例：全年预算数（A）310.21，全年执行数（B）154.74，执行率（B/A）填 60.00%（按年初预算数 257.90 计算）。
    正确示例：执行率（B/A）= 154.74 ÷ 310.21 = 49.88%。
    """
    for _, form in forms(ctx):
        for line in form.funds:
            rate, executed = line.values.get("rate"), line.values.get("executed")
            declared = _rate_denominator(form, line)
            if not _stated(rate) or not _stated(executed) or declared is None:
                continue
            measure, denominator = declared
            gap = share_gap(rate, executed, denominator.amount, denominator.half_unit, ctx.tolerance)
            if gap is None or not gap.verdict:
                continue
            yield Discrepancy.of_share(rate, gap, line.label, [executed.ref, denominator.ref],
                                       executed=f"{executed.amount:,.2f}", denominator=f"{denominator.amount:,.2f}",
                                       denominator_name=AMOUNT_NAMES[measure],
                                       hint=_other_denominator(rate, executed, line, measure, ctx))


def _other_denominator(rate: Cell, executed: Cell, line: FundLine, declared: str, ctx: Context) -> str:
    """Say so when the printed rate is the one another column would give."""
    for measure in ("initial", "adjusted"):
        other = line.values.get(measure)
        if measure == declared or not _stated(other) or other.amount == 0:
            continue
        gap = share_gap(rate, executed, other.amount, other.half_unit, ctx.tolerance)
        if gap is not None and gap.verdict is not Verdict.MISMATCH:
            return f"填报的执行率是按{AMOUNT_NAMES[measure]} {other.amount:,.2f} 计算的，分母与表头不符。"
    return ""


def _rate_of(form: SelfEvalForm, line: FundLine) -> tuple[Decimal, Decimal] | None:
    """The line's 执行率 (a fraction) and how far its rounding may move it: as printed, else computed."""
    rate = line.values.get("rate")
    if _stated(rate):
        return rate.amount, rate.half_unit
    executed, declared = line.values.get("executed"), _rate_denominator(form, line)
    if not _stated(executed) or declared is None:
        return None
    return executed.amount / declared[1].amount, ZERO


def _shown_rate(line: FundLine, fraction: Decimal) -> Decimal:
    """The 执行率 in percent as the form shows it (0.4988 formatted "0%" is 50, 0.885 is 89, as Excel rounds it),
    or as computed, to a hundredth of a point, where it prints none."""
    rate = line.values.get("rate")
    places = max(rate.decimals - 2, 0) if _stated(rate) else 2
    return (fraction * 100).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


@rule("BK703", "selfeval.rate_score", "自评表执行率得分", Severity.ERROR, FORM_KINDS,
      "{item}：执行率得分填报 {stated}{unit}，按 min(执行率 {rate}, 100%) × 分值 {weight} 应为 {expected}{unit}，"
      "相差 {difference}{unit}。")
def rate_score(ctx: Context) -> Iterator[Discrepancy]:
    """预算执行率得分 = min(执行率, 100%) × 该指标分值。

    即“执行率×该指标分值，最高不得超过分值上限”；执行率取表中填报的数（未填报时按全年执行数 ÷ 声明的分母计算）。

    错误示例：执行率 108.20%，分值 10，得分填 10.82。
    正确示例：得分 10（超过 100% 的按 100% 计）；执行率 49.88%、分值 10 时得分 4.99（或按显示的 50% 计 5）。
    """
    for _, form in forms(ctx):
        total = form.fund_total
        if total is None:
            continue
        score, weight = total.values.get("score"), total.values.get("weight")
        rate = _rate_of(form, total)
        if not _stated(score) or not _stated(weight) or rate is None:
            continue
        fraction, rate_rounding = rate
        expected = min(fraction, Decimal(1)) * weight.amount
        found = _points(score, expected, total.label, SCORE_SLACK + rate_rounding * weight.amount,
                        [weight.ref], rate=f"{_shown_rate(total, fraction)}%", weight=f"{weight.amount}")
        if found:
            yield found


@rule("BK704", "selfeval.weights", "自评表分值合计", Severity.ERROR, FORM_KINDS,
      "{item}：{what} {stated}{unit}，{against} {expected}{unit}。")
def weights(ctx: Context) -> Iterator[Discrepancy]:
    """各一级指标（含预算执行率）的分值合计为 100，三级指标分值之和等于所属一级指标的分值。

    一级指标标明分值（如“产出指标（50分）”）时核对其下三级指标；资金一栏的分值只计在年度资金总额一行，
    表中分值合计又把其下各行的分值计入的，就重复计分了（贵州的模板在各分项行也印“分值 10”而只计一次，不算错）。

    错误示例：产出指标（50分）下三级指标分值 20 + 15 + 10 = 45；或基本支出一行也填“分值 10”，总分一行的分值写 110。
    正确示例：三级指标分值 20 + 15 + 15 = 50；执行率分值 10 只在年度资金总额一行，全表分值合计 100。
    """
    for _, form in forms(ctx):
        total = form.fund_total
        fund_weight = total.values.get("weight") if total else None
        weights = [i.weight for i in form.indicators if _stated(i.weight)]
        if not weights or any(i.weight is not None and not i.weight.known for i in form.indicators):
            continue
        summed = sum((w.amount for w in weights), ZERO) + (fund_weight.amount if _stated(fund_weight) else ZERO)
        anchor = form.total_weight if _stated(form.total_weight) else None
        if summed != FULL_MARKS:
            yield Discrepancy(anchor.ref if anchor else form.anchor_ref, "分值合计", summed, FULL_MARKS, POINTS,
                              Verdict.MISMATCH, decimals=0, related=tuple(w.ref for w in weights),
                              fields={"what": "各项分值之和为", "against": "应为"})
        for level1, stated in form.level1_weights.items():
            under = [i.weight for i in form.indicators if i.level1 == level1 and _stated(i.weight)]
            level_sum = sum((w.amount for w in under), ZERO)
            if under and level_sum != stated.amount:
                yield Discrepancy(stated.ref, level1, stated.amount, level_sum, POINTS, Verdict.MISMATCH, decimals=0,
                                  related=tuple(w.ref for w in under),
                                  fields={"what": "一级指标分值为", "against": "其下三级指标分值之和为"})
        # 贵州's template prints 分值 10 on its parts' rows too and counts it once; only a 分值合计 that counts
        # them again makes them an error.
        parted = [(line, w) for line in _parts(form) if _stated(w := line.values.get("weight")) and w.amount != 0]
        counted = anchor is not None and anchor.amount == summed + sum((w.amount for _, w in parted), ZERO)
        for line, weight in parted if counted else ():
            yield Discrepancy(weight.ref, line.label, weight.amount, ZERO, POINTS, Verdict.MISMATCH, decimals=0,
                              related=(fund_weight.ref,) if _stated(fund_weight) else (),
                              fields={"what": "资金分项又填了分值", "against": "执行率分值只计在年度资金总额一行，此处应为"})


@rule("BK705", "selfeval.scores", "自评表得分", Severity.ERROR, FORM_KINDS,
      "{item}：{what} {stated}{unit}，{against} {expected}{unit}。")
def scores(ctx: Context) -> Iterator[Discrepancy]:
    """每项得分在 0 与其分值之间；总分 = 各指标得分之和 + 执行率得分。

    表中注明某项指标不适用（实际完成值或偏差原因写“不适用”“不涉及”，得分空着或写“/”）的，总分也可以是
    按适用指标折算的百分制得分（各项得分之和 ÷ 适用指标分值之和 × 100），在总分所显示的位数内相符即可。

    错误示例：满意度指标分值 10，得分 12；或各项得分之和 97，总分填 98。
    正确示例：满意度得分 9.5 ≤ 10；总分 98 = 10 + 20 + 15 + 15 + 28 + 10。
    """
    for _, form in forms(ctx):
        scored: list[tuple[str, Cell, Cell | None]] = [(i.name, i.score, i.weight) for i in form.indicators
                                                       if _stated(i.score)]
        total = form.fund_total
        if total is not None and _stated(total.values.get("score")):
            scored.insert(0, (total.label, total.values["score"], total.values.get("weight")))
        for item, score, weight in scored:
            if score.amount < 0:
                yield Discrepancy(score.ref, item, score.amount, ZERO, POINTS, Verdict.MISMATCH, decimals=score.decimals,
                                  fields={"what": "得分", "against": "不能小于"})
            elif _stated(weight) and score.amount > weight.amount:
                yield Discrepancy(score.ref, item, score.amount, weight.amount, POINTS, Verdict.MISMATCH,
                                  decimals=score.decimals, related=(weight.ref,),
                                  fields={"what": "得分", "against": "超过了分值"})
        if _stated(form.total_score) and scored and all(i.score is None or i.score.known for i in form.indicators):
            summed = sum((score.amount for _, score, _ in scored), ZERO)
            if summed != form.total_score.amount and not _rescaled(form, summed):
                yield Discrepancy(form.total_score.ref, "总分", form.total_score.amount, summed, POINTS,
                                  Verdict.MISMATCH, decimals=form.total_score.decimals,
                                  related=tuple(score.ref for _, score, _ in scored),
                                  fields={"what": "总分填报", "against": "各项得分之和为"})


# An indicator the form marks as not applying to the project ("不适用", "本项目不涉及…"), its 得分 left as "/".
_NOT_APPLICABLE = re.compile(r"不适用|不涉及")


def _rescaled(form: SelfEvalForm, summed: Decimal) -> bool:
    """Whether the 总分 is the scores' sum brought back to the whole's points after indicators marked not
    applicable were dropped (Σ得分 ÷ Σ适用分值 × 100), to the digits the 总分 shows."""
    dropped = [i.weight.amount for i in form.indicators if _stated(i.weight) and i.score is not None
               and i.score.known and i.score.is_blank
               and _NOT_APPLICABLE.search(" ".join((i.actual.text if i.actual else "", i.reason)))]
    whole = form.total_weight.amount if _stated(form.total_weight) else FULL_MARKS
    applicable = whole - sum(dropped, ZERO)
    if not dropped or applicable <= 0:
        return False
    return abs(summed * whole / applicable - form.total_score.amount) <= form.total_score.half_unit


def _reached(indicator: Indicator) -> bool | None:
    """Whether a quantitative target is met; None for a qualitative one (or one whose units differ)."""
    target, actual = indicator.target, indicator.actual
    if target is None or actual is None or target.number is None or actual.number is None:
        return None
    if target.suffix and actual.suffix and target.suffix != actual.suffix:
        return None
    direction = target.direction or "≥"
    if direction == "≤":
        return actual.number <= target.number
    if direction == "=":
        return actual.number == target.number
    return actual.number >= target.number


def _formula_score(indicator: Indicator) -> Decimal | None:
    """正向 (≥): B ÷ A × 分值; 反向 (≤): A ÷ B × 分值; a met target earns full marks."""
    reached = _reached(indicator)
    if reached is None or not _stated(indicator.weight):
        return None
    weight = indicator.weight.amount
    if reached:
        return weight
    target, actual = indicator.target.number, indicator.actual.number
    direction = indicator.target.direction or "≥"
    if direction == "≥" and target > 0:
        return actual / target * weight
    if direction == "≤" and actual > 0:
        return target / actual * weight
    return None


@rule("BK706", "selfeval.indicator_score", "定量指标得分", Severity.ERROR, FORM_KINDS,
      "{item}：指标值 {target}，完成值 {actual}，分值 {weight}，按{formula}应得 {expected}{unit}，填报 {stated}{unit}，"
      "相差 {difference}{unit}。")
def indicator_score(ctx: Context) -> Iterator[Discrepancy]:
    """定量指标的得分符合正向/反向计分公式：达到指标值得满分，未达到时按比例得分。

    正向指标（≥）得分 = 完成值 ÷ 指标值 × 分值，反向指标（≤）得分 = 指标值 ÷ 完成值 × 分值；
    允许 0.01 分及得分显示位数的取整。指标值与完成值的计量单位不同、或为定性指标时不核对。

    错误示例：新增注册人数 指标值 ≥5000人，完成值 4262人，分值 15，得分填 15。
    正确示例：得分 4262 ÷ 5000 × 15 = 12.79。
    """
    for _, form in forms(ctx):
        for indicator in form.indicators:
            expected = _formula_score(indicator)
            if expected is None or not _stated(indicator.score):
                continue
            formula = ("达到指标值得满分" if _reached(indicator) else
                       "正向指标 完成值 ÷ 指标值 × 分值" if (indicator.target.direction or "≥") == "≥"
                       else "反向指标 指标值 ÷ 完成值 × 分值")
            found = _points(indicator.score, expected, indicator.name, SCORE_SLACK,
                            [indicator.target.ref, indicator.actual.ref, indicator.weight.ref],
                            target=indicator.target.text, actual=indicator.actual.text,
                            weight=f"{indicator.weight.amount}", formula=formula)
            if found:
                yield found


@rule("BK707", "selfeval.deviation_reason", "偏差原因", Severity.WARNING, FORM_KINDS,
      "{item}：{why}，但没有填写偏差原因分析及改进措施。")
def deviation_reason(ctx: Context) -> Iterator[Discrepancy]:
    """定量指标的完成值未达到指标值，或预算执行率低于 90% 时，须填写偏差原因及改进措施。

    执行率的原因写在资金一行的“原因”栏、执行率指标的偏差原因栏，或表中的文字（如“实际完成情况”中写明
    “预算执行率85.00%，主要原因是…”）均可。表中没有偏差原因一栏的（重庆的模板），指标的原因写在报告里，
    不在表中核对。

    错误示例：采纳的建言献策数 指标值 ≥15项，完成值 14项，偏差原因一栏空白；执行率 80%，没有说明原因。
    正确示例：偏差原因写明“部分建议仍在论证；下一步跟踪采纳情况。”
    """
    for _, form in forms(ctx):
        # A template printing no 偏差原因 column (重庆's) leaves the causes to the report: unknown here, not missing.
        asks_causes = any(i.reason_ref is not None for i in form.indicators)
        for indicator in form.indicators:
            if asks_causes and _reached(indicator) is False and not indicator.reason:
                yield Discrepancy.flag(indicator.reason_ref or indicator.label_ref, indicator.name,
                                       why=f"完成值 {indicator.actual.text} 未达到指标值 {indicator.target.text}")
        total = form.fund_total
        rate = _rate_of(form, total) if total is not None else None
        # judged as the form shows it: a rate shown as 90% is not below 90% for the reviewer holding the form
        shown = _shown_rate(total, rate[0]) if rate is not None else None
        if shown is not None and shown < LOW_RATE * 100 and not _rate_explained(form, total):
            cell = total.values.get("rate") if _stated(total.values.get("rate")) else total.values["executed"]
            yield Discrepancy.flag(cell.ref, total.label, why=f"预算执行率 {shown}% 低于 90%")


# The central template has no 原因 cell for its 执行率: staff write "预算执行率85.00%，主要原因是…" under 实际完成情况.
# A sentence there naming the rate and a cause explains it; another indicator's 偏差原因 does not.
_RATE_NAMED = re.compile(r"执行率|预算执行|资金执行|支出进度|执行进度")
_CAUSE = re.compile(r"原因|由于|因为|主要是")
_SENTENCE = 12  # a text this long is written prose, not a heading ('预算执行率偏低原因' is one)


def _rate_explained(form: SelfEvalForm, total: FundLine) -> bool:
    """A cause in the 资金 row's 原因 cell (四川), the 执行率 indicator's 偏差原因, or the form's own prose."""
    return bool(total.reason) or any("执行率" in i.name and i.reason for i in form.indicators) \
        or any(len(text) > _SENTENCE and _RATE_NAMED.search(text) and _CAUSE.search(text) for text, _ in form.prose)


# --- J08: the 部门整体 form against the 决算 (and 部门预算) of its department and year ------------

ACCOUNT_LINES = {  # fund line words -> the measure of 本年支出 it states
    "基本支出": "基本支出", "项目支出": "项目支出",
}


def _line_measure(line: FundLine) -> str | None:
    if line.is_total:
        return "合计"
    return next((m for word, m in ACCOUNT_LINES.items() if word in line.label), None)


def _facts(ctx: Context, group: Group, stage: Stage, year: int | None) -> list[Fact]:
    return [f for t in group.tables if t.kind.stage == stage and t.kind not in FORM_KINDS
            and (year is None or t.year in (None, year)) for f in stated_facts(ctx, t)]


def _fact(facts: list[Fact], key: FactKey) -> Fact | None:
    """The figure as the first table in the standard order states it (the 总表 before the detail tables)."""
    order = list(TableKind)
    found = [f for f in facts if f.key == key]
    return min(found, key=lambda f: order.index(f.table.kind)) if found else None


def _scope_name(scope: Scope) -> str:
    return "全部资金（本年支出合计）" if scope == Scope.ALL else f"{scope.value}支出"


@rule("BK708", "selfeval.accounts", "自评表与决算口径", Severity.WARNING, (TableKind.DEPARTMENT_SELF_EVAL,),
      "{item}：自评表{column} {stated}{unit}（口径：{form_scope}），{other_table}{line} {expected}{unit}"
      "（口径：{table_scope}），相差 {difference}{unit}，口径不一致。")
def accounts(ctx: Context) -> Iterator[Discrepancy]:
    """部门整体支出绩效自评表的资金与同一部门同一年度的决算、部门预算一致。

    全年执行数 = 收入支出决算总表本年支出合计（表中注明“口径：财政拨款”时为财政拨款支出）；基本支出、项目支出两行 =
    支出决算表的基本支出、项目支出；年初预算数 = 部门预算收支总表的本年支出。所取的决算数来自各表登记的同一数字
    （规则 BK220 的数字登记）。不一致时报警告，两个数和各自的口径都写出来。

    错误示例：自评表全年执行数 160.00，收入支出决算总表本年支出合计 163.68。
    正确示例：自评表全年执行数 163.68，与决算一致。
    """
    for group, form in forms(ctx, (TableKind.DEPARTMENT_SELF_EVAL,)):
        final, budget = _facts(ctx, group, Stage.FINAL, form.year), _facts(ctx, group, Stage.BUDGET, form.year)
        if not final:
            ctx.note("BK708", f"{form.sheet}：同一部门同一年度没有决算表，未比对")
        if not budget:
            ctx.note("BK708", f"{form.sheet}：同一部门同一年度没有部门预算表，年初预算数未比对")
        for line in form.funds:
            measure = _line_measure(line)
            if measure is None:
                continue
            for column, facts in (("executed", final), ("initial", budget)):
                cell = line.values.get(column)
                other = _fact(facts, FactKey(form.scope, "本年支出", measure))
                if not _stated(cell) or other is None:
                    continue
                ctx.note("BK708", f"{form.sheet} {line.label}{AMOUNT_NAMES[column]} 与{other.source}比对")
                found = _against_accounts(form, line, column, cell, other, ctx)
                if found:
                    yield found
        if final and form.scope != Scope.ALL and _fact(final, FactKey(form.scope, "本年支出", "合计")) is None:
            ctx.note("BK708", f"{form.sheet}：自评表口径为{form.scope.value}，决算中没有财政拨款收入支出决算总表，未比对")


def _against_accounts(form: SelfEvalForm, line: FundLine, column: str, cell: Cell, other: Fact,
                      ctx: Context) -> Discrepancy | None:
    stated = Term(cell, form.unit)
    gap: Gap | None = (sum_gap(stated, list(other.parts), ctx.tolerance) if len(other.parts) > 1
                       else same_gap(stated, other.figure, ctx.tolerance))
    if not gap or not gap.verdict:
        return None
    measure = other.key.measure
    return Discrepancy.of(stated, gap, line.label, [t.cell.ref for t in other.parts],
                          column=AMOUNT_NAMES[column], form_scope=_scope_name(form.scope),
                          other_table=other.source, line="本年支出" + ("合计" if measure == "合计" else f"（{measure}）"),
                          table_scope=_scope_name(other.key.scope))


@rule("BK709", "selfeval.grade", "自评等级", Severity.ERROR, FORM_KINDS,
      "{item}：总分 {score} 分对应等级“{expected_grade}”，表中填写“{grade}”（{bands}）。")
def grade(ctx: Context, bands: GradeBands = DEFAULT_BANDS) -> Iterator[Discrepancy]:
    """自评等级与总分一致。

    默认为财政部预算司的统一标准：优 ≥ 90，良 ≥ 80，中 ≥ 60，差 < 60；可在 budgetkit.toml 的
    [selfeval] bands 中改为本地标准。

    错误示例：总分 85，等级填“优”。
    正确示例：总分 85，等级“良”。
    """
    for _, form in forms(ctx):
        score = form_score(form)
        if form.grade is None or score is None:
            continue
        expected = bands.grade(score)
        if grade_of(form.grade.text) != expected:
            yield Discrepancy.flag(form.grade.ref, form.project or form.title, score=f"{score.normalize():f}",
                                   expected_grade=expected, grade=form.grade.text, bands=bands.describe())


def form_score(form: SelfEvalForm) -> Decimal | None:
    """The form's 总分 as printed, else the sum of its scores."""
    return _printed_or_summed(form, form.total_score, "score")


def form_weight(form: SelfEvalForm) -> Decimal | None:
    """The 总分 row's 分值 as printed, else the sum of the form's weights."""
    return _printed_or_summed(form, form.total_weight, "weight")


def _printed_or_summed(form: SelfEvalForm, printed: Cell | None, measure: str) -> Decimal | None:
    if _stated(printed):
        return printed.amount
    total = form.fund_total
    cells = [getattr(i, measure) for i in form.indicators] + [total.values.get(measure) if total else None]
    stated = [c for c in cells if _stated(c)]
    return sum((c.amount for c in stated), ZERO) if stated else None
