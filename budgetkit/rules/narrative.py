"""Rules for the report text (表文): its figures against each other and against the tables.

Every finding is positioned on the paragraph ("第N段") and quotes the sentence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from budgetkit.load.narrative import alike
from budgetkit.names import department_in_name, ends_with_department
from budgetkit.lines import FISCAL_INCOME_LINES, INCOME_LINE_TO_COLUMN, INCOME_LINES, summary_line_named_by
from budgetkit.model import Cell, CellRef, Scope, Severity, Side, Stage, Table, TableKind, Unit
from budgetkit.rules.base import Context, Discrepancy, Group, rule
from budgetkit.rules.facts import TWO_SIDED, Fact, FactKey, facts_of
from budgetkit.rules.facts import single_fund
from budgetkit.subjects import class_code
from budgetkit.text import core_label, normalize, strip_enumeration
from budgetkit.tolerance import ZERO, Gap, Term, Tolerance, Verdict, same_gap, share_gap, sum_gap

if TYPE_CHECKING:
    from budgetkit.load.narrative import Amount, Breakdown, Narrative, Paragraph

HUNDRED = Decimal(100)
CLASS_TABLES = (TableKind.SUMMARY, TableKind.EXPENDITURE, TableKind.FISCAL_SUMMARY, TableKind.GP_EXPENDITURE,
                TableKind.BUDGET_SUMMARY, TableKind.BUDGET_EXPENDITURE, TableKind.BUDGET_GP_EXPENDITURE)
_KIND_ORDER = {kind: index for index, kind in enumerate(TableKind)}

_RESIDUE = (
    (re.compile(r"(?:增加|减少|增长|下降|上升|降低|增|减)[（(](?:增加|减少|增长|下降|上升|降低|增|减)[）)]"),
     "模板中的增减选项未改写"),
    # "主要原因是：" ending its paragraph opens the list of reasons that follows, and "…主要原因" ending it with
    # no stop was cut off where the line wrapped; "主要原因是。", "主要原因是：。" are empty
    (re.compile(r"主要原因(?:是|为)?[：:]?\s*(?=[。；;，,])"), "“主要原因”后没有写明原因"),
    (re.compile(r"[XxＸ×]{2,}|某某"), "占位符未替换"),
    (re.compile(r"(?<!\d)20\d?\s+年|(?<!\d)20\d年"), "年份不完整"),
)
# Two stops in a row ("。。", "，，", "，。"); the sentences split at "。", so the paragraph is searched
_DOUBLED = re.compile(r"[，。；、：,;:]{2,}")
_COMPLETION = re.compile(r"(?:完成(?:年初|全年|调整)?预算(?:数)?的?|(?:预算)?(?:完成率|执行率)(?:为|达)?)"
                         r"\s*(\d+)(?:\.(\d+))?\s*[%％]")
# "决算数大于预算数55.93万元": the stated gap, its sign in the verb (group 1 only when the actual is larger)
_OVER_LABEL = re.compile(r"决算数?(?:(大于|超过|超出|多于|高于)|小于|少于|低于)(?:年初)?预算数?$")
# "一般公共预算财政拨款支出年初预算", "预算数": a budget figure; the words before it name whose budget
_BUDGET_LABEL = re.compile(r"的?(?:(?:年初|全年)预算数?|预算数)$|^预算$")
# An adjusted budget (调整预算数, 调整后预算): a completion rate may be of it, a 部门预算 never states it
_ADJUSTED_LABEL = re.compile(r"调整后?预算数?$")
# "“三公”经费财政拨款支出预算为5.00万元": the budget of what the sentence spends, which its completion rate may
# be of; not taken for a 项's 年初预算 (BK610), as the 三公 table's own budget is no line of the 部门预算
_SPENDING_BUDGET_LABEL = re.compile(r"(?:支出|收入)预算数?$")
_BUDGET_KINDS = ("年初", "全年", "调整")
_ACTUAL_LABEL = re.compile(r"决算|支出|执行数")
_GROWTH_100 = re.compile(r"(?:增长|增加|上升)了?\s*(100(?:\.0+)?)\s*[%％]")
_BASE_LABEL = re.compile(r"上年|上期|去年|基期")


# A rate worked out from unrounded figures (or truncated) may differ from the rate of the printed
# figures by one hundredth of a point: within that it is 尾差 (info), never an error.
UNROUNDED_RATE = Decimal("0.01")


def _unrounded(tolerance: Tolerance) -> Tolerance:
    return replace(tolerance, share=tolerance.share + UNROUNDED_RATE)


def should_read(corrected: str) -> str:
    """The message's closing words: the sentence as it should read."""
    return f"，应改为：“{corrected}”" if corrected else ""


def _printed(value: Decimal, like: str) -> str:
    """``value`` printed the way the text printed the figure it replaces: its thousands separators,
    its decimals (a whole "95万元" replaced by a whole number when the value is whole, else two)."""
    number = re.sub(r"[^\d.,]", "", like)
    decimals = len(number.split(".")[1]) if "." in number else 0 if value == value.to_integral_value() else 2
    rounded = value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return f"{rounded:{',' if ',' in number else ''}.{decimals}f}"


def amount_corrected(amount: Amount, value: Decimal) -> str:
    """The amount's sentence with the amount (in its own unit) replaced by ``value``."""
    if not amount.shown:
        return ""
    end = amount.offset + len(amount.shown)
    return f"{amount.sentence[:amount.offset]}{_printed(value, amount.shown)}{amount.unit.label}{amount.sentence[end:]}"


def change_quote(item: Amount) -> str:
    """The item's sentence, and the next one when that states the item's change ("与上年相比，收入总计增加…")."""
    return item.sentence + item.change.sentence


def change_amount_corrected(item: Amount, value: Decimal) -> str:
    """``change_quote`` with the change's amount replaced by ``value``."""
    corrected = amount_corrected(item.change.amount, value)
    return f"{item.sentence}{corrected}" if corrected and item.change.sentence else corrected


def percent_corrected(sentence: str, after: int, stated: Cell, expected_points: Decimal) -> str:
    """The sentence with the first rate printed as ``stated`` (a fraction) at or after ``after``
    replaced by ``expected_points``, shown to the same decimals. The rate is a figure of its own: not
    the tail of a longer number ("1.00" of "201.00") nor an amount ("1.00万元")."""
    decimals = max(0, stated.decimals - 2)
    shown = f"{stated.amount * HUNDRED:.{decimals}f}"
    rate = re.compile(rf"(?<![\d.,]){re.escape(shown)}(?![\d.])(?!\s*(?:亿元|万元|千元|元))")
    found = rate.search(sentence, after)
    if found is None:
        return ""
    fixed = expected_points.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return f"{sentence[:found.start()]}{fixed:.{decimals}f}{sentence[found.end():]}"


def _paragraphs(ctx: Context) -> Iterator[tuple[Narrative, Paragraph]]:
    for narrative in ctx.narratives:
        for paragraph in narrative.paragraphs:
            yield narrative, paragraph


def _breakdowns(ctx: Context) -> Iterator[Breakdown]:
    for _, paragraph in _paragraphs(ctx):
        yield from paragraph.breakdowns


def _in_unit(amount: Amount, unit: Unit) -> Cell:
    """The amount restated in another unit, its shown decimals moved with it."""
    return _restated(amount.cell, amount.unit, unit)


def _figures(amounts: tuple[Amount, ...]) -> str:
    return " + ".join(f"{a.label}{a.cell.amount:,.{a.cell.decimals}f}" for a in amounts)


def _flag(ref: CellRef, item: str, sentence: str, rate: Decimal | None = None, **fields: str) -> Discrepancy:
    """A finding without an expected figure (wording, not arithmetic)."""
    return Discrepancy.flag(ref, item, rate, "%" if rate is not None else "", quote=sentence, **fields)


@dataclass(frozen=True)
class Execution:
    """What one sentence says of a budget's execution (P01): the completion rate it states (a
    fraction, like a share), the budget, the actual and the gap "决算数大于（小于）预算数X万元"."""

    ref: CellRef
    sentence: str
    amounts: tuple[Amount, ...]
    rate_words: str = ""
    rate: Cell | None = None
    budget: Amount | None = None
    actual: Amount | None = None
    over: Amount | None = None
    over_sign: int = 1


def _executions(ctx: Context) -> Iterator[Execution]:
    for _, paragraph in _paragraphs(ctx):
        for sentence in paragraph.sentences:
            said = sentence.strip()
            amounts = tuple(a for a in paragraph.amounts if a.sentence == said)
            for clause, within in _rate_clauses(said, amounts):
                yield _execution(paragraph.ref, clause, within)


def _rate_clauses(sentence: str, amounts: tuple[Amount, ...]) -> list[tuple[str, tuple[Amount, ...]]]:
    """A sentence stating several rates ("基本支出全年预算数2,100.00万元，执行数2,095.73万元，执行率99.80%；项目支出…
    执行率97.59%") states each of its own budget and actual, clause by clause ("；")."""
    if len(_COMPLETION.findall(sentence)) < 2:
        return [(sentence, amounts)]
    clauses, start = [], 0
    for part in re.split(r"(?<=[；;])", sentence):
        end = start + len(part)
        clauses.append((part, tuple(a for a in amounts if start <= a.offset < end)))
        start = end
    return clauses


def _execution(ref: CellRef, sentence: str, amounts: tuple[Amount, ...]) -> Execution:
    """A figure counts when it is the only one of its kind in the sentence: of two budgets,
    which one a rate refers to cannot be told."""
    overs = [(a, m) for a in amounts if (m := _OVER_LABEL.search(a.label))]
    rest = [a for a in amounts if not _OVER_LABEL.search(a.label)]
    budgets = [a for a in rest if any(label.search(a.label)
                                      for label in (_BUDGET_LABEL, _ADJUSTED_LABEL, _SPENDING_BUDGET_LABEL))]
    actuals = [a for a in rest if a not in budgets and _ACTUAL_LABEL.search(a.label)]
    over, verb = overs[0] if len(overs) == 1 else (None, None)
    completion = _COMPLETION.search(sentence)
    rate = None
    if completion:
        whole, fraction = completion.groups()
        rate = Cell(Decimal(whole + ("." + fraction if fraction else "")) / HUNDRED, ref, len(fraction or "") + 2)
    words = completion.group() if completion else ""
    return Execution(ref, sentence, amounts, words, rate, _budget_named(words, budgets), _only(actuals), over,
                     1 if verb is None or verb.group(1) else -1)


def _budget_named(rate_words: str, budgets: list[Amount]) -> Amount | None:
    """The budget a completion rate is of: the one its words name ("完成调整预算的98.69%" beside 年初预算
    and 调整预算), or where they name none of those in the sentence, the one budget that names none either
    ("预算为50.00万元…完成年初预算的…"); an adjusted budget is never taken for a 年初 one."""
    named = next((word for word in _BUDGET_KINDS if word in rate_words), None)
    if named is None:
        return _only(budgets)
    own = [b for b in budgets if named in b.label]
    plain = [b for b in budgets if not any(word in b.label for word in _BUDGET_KINDS)]
    return _only(own) if own else None if named == "调整" else _only(plain)


def _only(amounts: list[Amount]) -> Amount | None:
    return amounts[0] if len(amounts) == 1 else None


def _figure(amount: Amount) -> str:
    return f"{amount.label}{amount.cell.amount:,.{amount.cell.decimals}f}{amount.unit.label}"


@rule("BK601", "text.total", "表文合计与其中各项", Severity.ERROR, (),
      "{item}：文中写 {stated}{unit}，“其中”所列 {parts} 合计 {expected}{unit}，相差 {difference}{unit}。"
      "原文：“{quote}”{correction}", narrative=True)
def text_total(ctx: Context) -> Iterator[Discrepancy]:
    """报告文字中的合计（总额）应等于其后“其中”所列各项金额之和（至少列出两项时核对）。

    某项自己的“其中”“包括”另成一张清单，与该项核对；括号中的金额（“（含…）”）不是所列的一项；以“等”结尾的清单不全，
    只在所列各项之和超过合计时报错；“均为”“分别为”的金额不是合计；“单价100万元（含）以上”是计数的门槛，不是一项；“；”之后整体的数（实际支出、全年执行数、决算数）不计入，各项已加足合计后，
    “；”之后另一种数（授予中小企业合同金额）也不再计入。

    错误示例：年初收入预算163.68万元，其中：上年结转0.84万元；一般公共预算拨款收入163.68万元（两项之和 164.52 万元）。
    正确示例：年初收入预算164.52万元，其中：上年结转0.84万元；一般公共预算拨款收入163.68万元。
    """
    figures: dict[Amount, tuple[Table, Cell]] | None = None
    for breakdown in _breakdowns(ctx):
        if len(breakdown.parts) < 2:
            continue
        total = breakdown.total
        stated = Term(total.cell, total.unit)
        gap = sum_gap(stated, [Term(p.cell, p.unit) for p in breakdown.parts], ctx.tolerance)
        # A list of some parts only ("…等") may fall short of its total, never go beyond it.
        if gap and gap.verdict and (breakdown.complete or gap.verdict is Verdict.MISMATCH and gap.expected > gap.stated):
            figures = _table_figures(ctx) if figures is None else figures
            if not _parts_explain(breakdown, figures, ctx.tolerance):
                yield Discrepancy.of(stated, gap, total.label, quote=total.sentence, parts=_figures(breakdown.parts),
                                     correction=should_read(amount_corrected(total, _sum_in(breakdown.parts, total.unit))))


def _sum_in(parts: tuple[Amount, ...], unit: Unit) -> Decimal:
    return sum((_in_unit(p, unit).amount for p in parts), ZERO)


def _parts_explain(breakdown: Breakdown, figures: dict[Amount, tuple[Table, Cell]], tolerance: Tolerance) -> bool:
    """Whether the parts the text states wrongly (against the tables) are the whole cause: with the tables'
    figures in their place the sum holds, and the part's own finding is the one to report."""
    wrong = {id(p): cell for p in breakdown.parts if (cell := _wrong_amount(p, figures, tolerance)) is not None}
    if not wrong:
        return False
    parts = [Term(wrong.get(id(p), p.cell), p.unit) for p in breakdown.parts]
    gap = sum_gap(Term(breakdown.total.cell, breakdown.total.unit), parts, tolerance)
    return gap is None or gap.verdict is not Verdict.MISMATCH


@rule("BK619", "text.equation", "表文算式", Severity.ERROR, (),
      "{item}：文中算式 {parts} = {stated}{unit}，按所列各数计算为 {expected}{unit}，相差 {difference}{unit}。"
      "原文：“{quote}”{correction}", narrative=True)
def text_equation(ctx: Context) -> Iterator[Discrepancy]:
    """报告文字中用数字写出的算式（“收入总计=本年收入4,390.14万元+年初结转和结余297.51万元=4,687.65万元”，
    “年末结转和结余=0.84+163.68-163.68=0.84万元”）应当成立：所列各数加减的结果等于写出的结果，误差不超过各数末位的半个单位。

    只核对能确定读对的算式：各边只有加减，每一项是名称加数字，全式只用一种金额单位（未写单位的数按该单位），
    有一边是单独一个数（结果）；含百分号、乘除、括号内加减或两种单位的算式不核对。

    错误示例：收入总计=本年收入163.68万元+年初结转和结余0.84万元=163.68万元。
    正确示例：收入总计=本年收入163.68万元+年初结转和结余0.84万元=164.52万元。
    """
    for _, paragraph in _paragraphs(ctx):
        for equation in paragraph.equations:
            result = equation.result
            stated = Term(result.cell, result.unit)
            for side in equation.sides:
                gap = sum_gap(stated, [Term(a.cell, a.unit, sign) for sign, a in side], ctx.tolerance)
                if gap and gap.verdict:
                    worked = sum((a.cell.amount * sign for sign, a in side), ZERO)
                    yield Discrepancy.of(stated, gap, equation.name or "算式", quote=result.sentence,
                                         parts=_signed_figures(side),
                                         correction=should_read(amount_corrected(result, worked)))


def _signed_figures(side: tuple[tuple[int, Amount], ...]) -> str:
    text = ""
    for index, (sign, amount) in enumerate(side):
        operator = ("−" if sign < 0 else "") if index == 0 else (" − " if sign < 0 else " + ")
        text += f"{operator}{amount.label}{amount.cell.amount:,.{amount.cell.decimals}f}"
    return text


@rule("BK602", "text.share", "表文占比计算", Severity.ERROR, (),
      "{item}：文中占比 {stated}%，按 {amount} ÷ {total} 计算应为 {expected}%，相差 {difference} 个百分点。"
      "原文：“{quote}”{correction}", narrative=True)
def text_share(ctx: Context) -> Iterator[Discrepancy]:
    """“其中”各项所写的“占N%”应等于该项金额 ÷ 文中的合计，误差不超过所写小数位的半个单位；写明占总表某一行的
    （“占本年支出合计的78.60%”），按该金额 ÷ 本部门总表的那一行核对；写明占同一段前文某个数的（“占政府采购支出
    总额的94.52%”），按该金额 ÷ 前文的那个数核对。

    金额与表不符、而占比按表中金额算是对的，错的是金额（由核对该金额的规则报告），占比不再报告。
    错误示例：年初收入预算163.68万元，其中：上年结转0.84万元，占0%（0.84 ÷ 163.68 = 0.51%）。
    正确示例：收入预算164.52万元，其中：上年结转0.84万元，占0.51%。
    """
    figures = _table_figures(ctx)
    for _, paragraph in _paragraphs(ctx):
        for breakdown in paragraph.breakdowns:
            yield from _part_shares(paragraph, breakdown, figures, ctx.tolerance)
        yield from _shares_of_named_figures(paragraph, ctx.tolerance)
    yield from _shares_of_named_lines(ctx)


def _shares_of_named_figures(paragraph: Paragraph, tolerance: Tolerance) -> Iterator[Discrepancy]:
    """A share naming a whole the paragraph stated before ("政府采购支出总额156.80万元…。授予中小企业合同金额
    148.20万元，占政府采购支出总额的94.52%"), no 总表 line, and of no total it is listed under: the amount ÷ that
    figure."""
    for index, amount in enumerate(paragraph.amounts):
        named = core_label(amount.share_of) if amount.share is not None else ""
        if not named or summary_line_named_by(_STAGE_TAIL.sub("", named)) or any(
                amount in b.parts and _of_the_total(amount, b.total) for b in paragraph.breakdowns):
            continue
        whole = next((a for a in reversed(paragraph.amounts[:index]) if not a.comparison and a.share is None
                      and named in core_label(a.label)), None)
        if whole is None:
            continue
        yield from _share_against(amount, _in_unit(amount, whole.unit), whole.cell, f"（{whole.label}）", tolerance)


def _shares_of_named_lines(ctx: Context) -> Iterator[Discrepancy]:
    """A share naming a 总表 line as its whole ("占本年支出合计的78.60%") and listed under no total it could
    be of: the amount ÷ that line of the stage's 总表 (of the fund scope the whole names)."""
    for _, group, readings in texts_with_tables(ctx):
        for reading in readings:
            amount = reading.amount
            if amount.share is None or not amount.share_of or reading.stage is None or any(
                    amount in b.parts for b in reading.paragraph.breakdowns):
                continue
            line = summary_line_named_by(_STAGE_TAIL.sub("", core_label(amount.share_of)))
            scope = _scope_named(amount.share_of) or Scope.ALL
            kind = SUMMARY_TABLES.get((reading.stage, scope)) if line and scope is not _UNCLEAR else None
            found = next(((t, r.figure) for t in group.of(kind) if (r := t.line(*line)) and r.figure and r.figure.known),
                         None) if kind else None
            if found is None:
                continue
            whole, stated_total = found
            total = _restated(stated_total, whole.unit, amount.unit)  # in the text's unit, as it reads
            yield from _share_against(amount, amount.cell, total, f"（{whole.title}!{stated_total.ref.cell}）",
                                      ctx.tolerance)


def _part_shares(paragraph: Paragraph, breakdown: Breakdown, figures: dict[Amount, tuple[Table, Cell]],
                 tolerance: Tolerance) -> Iterator[Discrepancy]:
    total = breakdown.total
    for part in breakdown.parts:
        if part.share is None or not _of_the_total(part, total) or _share_of_tables(part, paragraph, figures, tolerance):
            continue
        yield from _share_against(part, _in_unit(part, total.unit), total.cell, "", tolerance)


def _share_against(part: Amount, amount: Cell, whole: Cell, whence: str, tolerance: Tolerance) -> Iterator[Discrepancy]:
    """The part's stated share against its amount ÷ the whole (both in the text's unit), with the sentence corrected;
    ``whence`` names where the whole was read, after its figure."""
    gap = share_gap(part.share, amount, whole.amount, whole.half_unit, _unrounded(tolerance))
    if gap and gap.verdict:
        corrected = percent_corrected(part.sentence, part.offset, part.share, gap.expected)
        yield Discrepancy.of_share(part.share, gap, part.label, quote=part.sentence, correction=should_read(corrected),
                                   amount=f"{amount.amount:,.2f}", total=f"{whole.amount:,.2f}{whence}")


@rule("BK603", "text.share_sum", "表文占比合计", Severity.ERROR, (),
      "{item}的各项占比之和为 {stated}%，应为 100%，相差 {difference} 个百分点。原文：“{quote}”", narrative=True)
def text_share_sum(ctx: Context) -> Iterator[Discrepancy]:
    """“其中”各项都写了占比时，占比之和应为 100%，允许每项半个显示单位的取整误差。句中没有写出合计、各项
    （同类的几项，如“三公”经费的三项）都写了占比的，可能只列了一部分，只在占比之和超过 100% 时报告。

    错误示例：其中：基本支出133.68万元，占80%；项目支出30万元，占18.35%（合计 98.35%）。
    正确示例：其中：基本支出133.68万元，占81.67%；项目支出30万元，占18.33%。
    """
    for breakdown in _breakdowns(ctx):
        shares = [p.share for p in breakdown.parts if p.share is not None]
        if len(shares) < 2 or len(shares) < len(breakdown.parts) or not breakdown.complete:
            continue
        found = _share_sum(shares, breakdown.total.cell.ref, breakdown.total.label, breakdown.total.sentence,
                           ctx.tolerance)
        if found is not None:
            yield found
    for _, paragraph in _paragraphs(ctx):
        yield from _unlisted_share_sums(paragraph, ctx.tolerance)


def _share_sum(shares: list[Cell], ref: CellRef, item: str, quote: str, tolerance: Tolerance) -> Discrepancy | None:
    stated = sum((s.amount for s in shares), ZERO) * HUNDRED
    gap = stated - HUNDRED
    if not gap:
        return None
    envelope = sum((s.half_unit for s in shares), ZERO) * HUNDRED + tolerance.share
    verdict = Verdict.ROUNDING if abs(gap) <= envelope else Verdict.MISMATCH
    return Discrepancy(ref, item, stated, HUNDRED, "%", verdict, envelope, max(0, max(s.decimals for s in shares) - 2),
                       fields={"quote": quote})


def _unlisted_share_sums(paragraph: Paragraph, tolerance: Tolerance) -> Iterator[Discrepancy]:
    """Parts of a whole the sentence does not state, each with its share ("“三公”经费支出决算中，因公出国（境）费…占0%；
    公务用车…占85.90%；公务接待费…占41.10%"): the sentence may name some of the parts only, so only shares adding
    up to more than 100% are judged."""
    listed = {id(a) for b in paragraph.breakdowns for a in (b.total, *b.parts)}
    for sentence in paragraph.sentences:
        said = sentence.strip()
        parts = [a for a in paragraph.amounts if a.sentence == said and id(a) not in listed and a.share is not None
                 and not a.share_of and not a.comparison]
        if len(parts) < 2 or not alike(parts):
            continue
        lead = parts[0].context[-1] if parts[0].context else "句中所列"  # "2024年度“三公”经费支出决算中，"
        found = _share_sum([a.share for a in parts], parts[0].cell.ref, lead.rstrip("，,：:"), said, tolerance)
        if found is not None and found.verdict is Verdict.MISMATCH and found.stated > HUNDRED:
            yield found  # a rounding gap of a list that may be partial says nothing


@rule("BK604", "text.residue", "表文模板残留", Severity.WARNING, (),
      "“{item}”：{problem}。原文：“{quote}”", narrative=True)
def text_residue(ctx: Context) -> Iterator[Discrepancy]:
    """报告文字不应留有模板痕迹和笔误：占比或增减率缺“%”、“增加（减少）”“下降（增长）”两个选项都留着、“主要原因是”后无内容、
    XX/××/某某、“202 年度”、重复的标点（“。。”“，，”）。

    错误示例：较上年增加（减少）12.5万元，主要原因是。占76.23，XX项目，202 年度。比上年增长13.95。，，
    正确示例：较上年增加12.5万元，主要原因是新增科普活动项目。占76.23%。比上年增长13.95%。
    """
    for _, paragraph in _paragraphs(ctx):
        for amount in paragraph.amounts:
            if amount.share is not None and not amount.share_has_sign:
                shown = f"占{amount.share.amount * HUNDRED:.{max(0, amount.share.decimals - 2)}f}"
                yield _flag(amount.share.ref, shown, amount.sentence, problem="占比缺少“%”")
            rate = amount.change.rate if amount.change else None
            if rate is not None and not amount.change.rate_has_sign:
                shown = f"{rate.amount * HUNDRED:.{max(0, rate.decimals - 2)}f}"
                yield _flag(paragraph.ref, f"{amount.label}的增减率 {shown}", change_quote(amount),
                            problem="增减率缺少“%”")
        for sentence in paragraph.sentences:
            for pattern, problem in _RESIDUE:
                for match in pattern.finditer(sentence):
                    yield _flag(paragraph.ref, match.group().strip(), sentence.strip(), problem=problem)
        for match in _DOUBLED.finditer(paragraph.text):
            around = paragraph.text[max(0, match.start() - 20):match.end() + 20]
            yield _flag(paragraph.ref, match.group(), around, problem="标点重复")


@rule("BK605", "text.zero_base", "表文零基数比率", Severity.WARNING, (),
      "{item}：{problem}（文中写 {stated}%）。原文：“{quote}”", narrative=True)
def text_zero_base(ctx: Context) -> Iterator[Discrepancy]:
    """年初预算为 0 时不应写“完成年初预算 N%”；上年为 0（本年数等于增加额）时不应写“增长100%”。

    错误示例：年初预算0万元，决算12.5万元，完成年初预算的100%。上年支出0万元，本年支出12.5万元，增长100%。
    执行数为0.00万元的项目，本年预算12.5万元，比上年增加12.5万元，增长100.00%。
    正确示例：年初未安排预算，年中追加12.5万元。本年新增支出12.5万元（上年无此项支出）。
    """
    for said in _executions(ctx):
        budget = said.budget
        if budget is not None and budget.cell.amount == 0 and said.rate is not None:
            yield _flag(said.ref, budget.label, said.sentence, said.rate.amount * HUNDRED,
                        problem="年初预算为 0，不能计算完成预算的比例")
        changed = [a for a in said.amounts if a.change is not None and a.change.rate is not None and _base_of(a)]
        growth = _GROWTH_100.search(said.sentence)
        if growth and not changed and _zero_base(said.amounts):
            yield _flag(said.ref, growth.group(), said.sentence, Decimal(growth.group(1)),
                        problem="基期为 0，增长率无从计算，应写明为新增")
        for amount in changed:
            base = _base_of(amount)
            if base[0] == 0:
                yield _flag(said.ref, amount.label, said.sentence, amount.change.rate.amount * HUNDRED,
                            problem=f"基期为 0（{base[2]}），增减率无从计算，应写明为新增")


@rule("BK609", "text.completion_rate", "表文预算完成率", Severity.ERROR, (),
      "{item}：文中写 {stated}{unit}，按 {basis} 应为 {expected}{unit}，相差 {difference}{apart}。原文：“{quote}”{correction}",
      narrative=True)
def text_completion_rate(ctx: Context) -> Iterator[Discrepancy]:
    """同一句中的“完成年初预算N%”（预算完成率、执行率）应等于决算数 ÷ 预算数，“决算数大于（小于）预算数X万元”
    应等于两者之差；只写了其中两个数时，第三个由它们推出；“三公”经费只写了决算数和完成率的（“公务接待费支出决算为
    1.56万元，完成预算的78.00%”），按“三公”经费表中该项的决算数 ÷ 预算数核对（决算数写错的由 BK613 报告）。完成率按它写明的预算（年初、全年、调整预算）核对；
    句中写了两种预算而完成率未写明是哪一种的，不核对。一句中写了几个执行率的（“基本支出…执行率99.80%；项目支出…
    执行率97.59%”），按分号分开的各分句分别核对。

    错误示例：年初预算472.9万元，支出决算500.12万元，完成年初预算的27.22%（27.22 是增加额，完成率为 105.76%）。
    正确示例：年初预算472.9万元，支出决算500.12万元，完成年初预算的105.76%，决算数大于预算数27.22万元。
    """
    figures: dict[Amount, tuple[Table, Cell]] | None = None  # looked up once, for the first rate that needs them
    for said in _executions(ctx):
        if said.over is not None and said.budget is not None and said.actual is not None:
            yield from _over_gap(said, ctx.tolerance)
        if said.rate is not None and said.actual is not None and said.budget is None and said.over is None:
            figures = _table_figures(ctx) if figures is None else figures
            said = _with_three_public_figures(said, figures)
        if said.rate is not None:
            yield from _rate_gap(said, ctx.tolerance)


def _with_three_public_figures(said: Execution, figures: dict[Amount, tuple[Table, Cell]]) -> Execution:
    """A "三公" item's completion rate stated beside its 决算 alone ("公务接待费支出决算为1.56万元，完成预算的78.00%"),
    held to the table's 决算数 ÷ 预算数 for that item, in the text's unit: a 决算 the text misstates is BK613's, and
    its rate is judged on the table's figures. Elsewhere unchanged: another table's line may print several budgets
    (年初, 调整), and which one a bare 完成预算 means cannot be told."""
    table, cell = figures.get(said.actual, (None, None))
    if table is None or table.kind != TableKind.THREE_PUBLIC:
        return said
    row, measure = next(((row, m) for row in table.rows for m, c in row.values.items() if c is cell), (None, ""))
    budget = row.values.get(measure.replace(".final", ".budget")) if measure.endswith(".final") else None
    if budget is None or not budget.known or budget.is_blank or not cell.known or cell.is_blank:
        return said

    def printed(figure: Cell, what: str) -> Amount:
        return replace(said.actual, label=f"{table.title}!{figure.ref.cell} {what}",
                       cell=_restated(figure, table.unit, said.actual.unit))
    return replace(said, budget=printed(budget, "预算数"), actual=printed(cell, "决算数"))


def _over_gap(said: Execution, tolerance: Tolerance) -> Iterator[Discrepancy]:
    """The stated 决算 − 预算 against the two figures the sentence also states."""
    over, actual, budget, sign = said.over, said.actual, said.budget, said.over_sign
    stated = Term(over.cell, over.unit)
    gap = sum_gap(stated, [Term(actual.cell, actual.unit, sign), Term(budget.cell, budget.unit, -sign)], tolerance)
    if gap and gap.verdict:
        larger, smaller = (actual, budget) if sign > 0 else (budget, actual)
        yield Discrepancy.of(stated, gap, over.label, quote=said.sentence,
                             basis=f"{_figure(larger)} − {_figure(smaller)}", apart=over.unit.label,
                             correction=should_read(amount_corrected(over, gap.expected)))


def _rate_gap(said: Execution, tolerance: Tolerance) -> Iterator[Discrepancy]:
    """The stated rate against actual ÷ budget, one of them derived from the stated gap when
    the sentence leaves it out; the gap's rounding widens the envelope."""
    stated = [a for a in (said.budget, said.actual, said.over) if a is not None]
    unit = max((a.unit for a in stated), key=lambda u: u.yuan, default=Unit.WAN)
    budget, actual, over = (_in_unit(a, unit) if a is not None else None
                            for a in (said.budget, said.actual, said.over))
    sign, extra = said.over_sign, ZERO
    if budget is not None and actual is not None:
        basis = f"{_figure(said.actual)} ÷ {_figure(said.budget)}"
        total, total_half = budget.amount, budget.half_unit
    elif actual is not None and over is not None:
        total, total_half = actual.amount - sign * over.amount, actual.half_unit + over.half_unit
        basis = f"{_figure(said.actual)} ÷ 预算数{total:,.2f}{unit.label}（由{_figure(said.over)}推出）"
    elif budget is not None and over is not None:
        total, total_half = budget.amount, budget.half_unit
        actual = Cell(budget.amount + sign * over.amount, budget.ref, budget.decimals)
        extra = over.half_unit / abs(total) * HUNDRED if total else ZERO
        basis = f"决算数{actual.amount:,.2f}{unit.label}（由{_figure(said.over)}推出） ÷ {_figure(said.budget)}"
    else:
        return
    gap = share_gap(said.rate, actual, total, total_half, replace(tolerance, share=tolerance.share + UNROUNDED_RATE + extra))
    if gap and gap.verdict:
        yield Discrepancy(said.ref, said.rate_words, gap.stated, gap.expected, "%", gap.verdict, gap.envelope,
                          max(2, said.rate.decimals - 2), fields={
                              "quote": said.sentence, "basis": basis, "apart": " 个百分点",
                              "correction": should_read(percent_corrected(said.sentence, 0, said.rate, gap.expected))})


def _zero_base(amounts: tuple[Amount, ...]) -> bool:
    """A zero 上年 figure, or 本年 equal to the 增加额 (which leaves a zero base). Two equal figures
    neither of which is an increase leave the base unknown ('总额3.50万元，全部为货物支出3.50万元')."""
    if any(_BASE_LABEL.search(a.label) and a.cell.amount == 0 for a in amounts):
        return True
    increases = {a.change.amount.cell.amount * a.change.amount.unit.yuan for a in amounts
                 if a.change is not None and a.change.amount is not None and a.change.direction == 1}
    increases |= {a.cell.amount * a.unit.yuan for a in amounts if _INCREASE_LABEL.search(a.label)}
    return any(a.cell.amount and a.cell.amount * a.unit.yuan in increases and not _INCREASE_LABEL.search(a.label)
               for a in amounts)


_INCREASE_LABEL = re.compile(r"增加|新增|增长|多")


def _changes(ctx: Context) -> Iterator[tuple[Paragraph, Amount]]:
    for _, paragraph in _paragraphs(ctx):
        for amount in paragraph.amounts:
            if amount.change is not None:
                yield paragraph, amount


def _yuan(amount: Amount) -> Decimal:
    return amount.cell.amount * amount.unit.yuan


def _half_yuan(amount: Amount) -> Decimal:
    return amount.cell.half_unit * amount.unit.yuan


def _base_of(item: Amount) -> tuple[Decimal, Decimal, str] | None:
    """The figure an item is compared with, in 元, with its half unit and how it is known: stated
    ("上年为90万元") or the item less its stated change ("比上年增加10万元")."""
    change = item.change
    if change.base is not None:
        return _yuan(change.base), _half_yuan(change.base), _figure(change.base)
    if change.amount is not None and change.direction:
        base = _yuan(item) - change.direction * _yuan(change.amount)
        moved = change.amount.cell
        how = (f"{item.label}{item.cell.amount:,.{item.cell.decimals}f}{'−' if change.direction > 0 else '+'}"
               f"{moved.amount:,.{moved.decimals}f}={base / item.unit.yuan:,.2f}{item.unit.label}")
        return base, _half_yuan(item) + _half_yuan(change.amount), how
    return None


@rule("BK615", "text.change", "表文增减额与增减率", Severity.ERROR, (),
      "{item}：文中写 {stated}{unit}，按 {basis} 应为 {expected}{unit}，相差 {difference}{apart}。原文：“{quote}”{correction}",
      narrative=True)
def text_change(ctx: Context) -> Iterator[Discrepancy]:
    """“比上年增加（减少）X万元，增长（下降）Y%”：X 应等于本年数与上年数之差（写了“上年为”时），Y 应等于 X ÷ 上年数
    （上年数 = 本年数 ∓ X），误差不超过所写数字的半个末位；由未取整的数算出、与所印数字相差 0.01 个百分点的，只作提示。
    比较中写出的上年数（“比上年决算数280.00万元增加…”“较2023年的98.20万元…”“（上年为98.20万元）”）即为上年数，
    写出的预算数（“比年初预算285.58万元增加…”）即为比较的预算数。
    “增幅（降幅）Y%”即增减率；“与2023年度相比，收、支总计各增加X万元”重提前面（同一句或上一句）的项目，是该项的增减。
    增减率是带“%”的数；“增加2人”“减少5批次”“增长1倍”“提高2.15个百分点”不是增减率，不核对。

    错误示例：基本支出110万元，比上年增加10万元，增长11.00%（10 ÷ 100 = 10.00%）。项目支出80万元，上年为90万元，减少12万元。
    正确示例：基本支出110万元，比上年增加10万元，增长10.00%。项目支出80万元，上年为90万元，减少10万元，下降11.11%。
    """
    for paragraph, item in _changes(ctx):
        change = item.change
        if change.base is not None and change.amount is not None:
            stated = Term(change.amount.cell, change.amount.unit)
            sign = 1 if _yuan(item) >= _yuan(change.base) else -1
            gap = sum_gap(stated, [Term(item.cell, item.unit, sign), Term(change.base.cell, change.base.unit, -sign)],
                          ctx.tolerance)
            if gap and gap.verdict:
                larger, smaller = (item, change.base) if sign > 0 else (change.base, item)
                yield Discrepancy.of(stated, gap, f"{item.label}的增减额", quote=change_quote(item),
                                     basis=f"{_figure(larger)} − {_figure(smaller)}", apart=change.amount.unit.label,
                                     correction=should_read(change_amount_corrected(item, gap.expected)))
        if change.rate is not None:
            yield from _change_rate(paragraph, item, ctx.tolerance)


def rate_verdict(stated: Decimal, exact: Decimal, rate: Cell, moved_half: Decimal, base_yuan: Decimal,
                 base_half: Decimal, tolerance: Tolerance) -> tuple[Verdict, Decimal] | None:
    """A stated rate of change against the exact one, both in percentage points: None within the
    rate's own printed rounding, else the verdict and the envelope it was judged on. The envelope
    adds what rounding the two amounts it rests on can move it (``moved_half``: the change's half
    units, ``base_half``: the base's, in 元), the allowance for a rate worked out from rounded
    amounts, and the folder's share tolerance."""
    shown = rate.half_unit * HUNDRED
    slack = (moved_half + abs(exact) / HUNDRED * base_half) / abs(base_yuan) * HUNDRED + UNROUNDED_RATE + tolerance.share
    if abs(stated - exact) <= shown:
        return None
    allowed = shown + slack
    return (Verdict.ROUNDING if abs(stated - exact) <= allowed else Verdict.MISMATCH), allowed


def _change_rate(paragraph: Paragraph, item: Amount, tolerance: Tolerance) -> Iterator[Discrepancy]:
    change, base = item.change, _base_of(item)
    if base is None or base[0] == 0:  # a zero base is BK605's
        return
    base_yuan, base_half, basis = base
    moved = abs(_yuan(item) - base_yuan)
    exact = moved / abs(base_yuan) * HUNDRED
    stated = change.rate.amount * HUNDRED
    moved_half = _half_yuan(item) + base_half if change.base is not None else _half_yuan(change.amount)
    judged = rate_verdict(stated, exact, change.rate, moved_half, base_yuan, base_half, tolerance)
    if judged is None:
        return
    verdict, allowed = judged
    yield Discrepancy(paragraph.ref, f"{item.label}的增减率", stated, exact.quantize(Decimal("0.0001")), "%", verdict,
                      allowed, max(2, change.rate.decimals - 2),
                      fields={"quote": change_quote(item), "apart": " 个百分点",
                              "correction": should_read(percent_corrected(change_quote(item), item.offset, change.rate,
                                                                          exact)),
                              "basis": f"增减额 {moved / item.unit.yuan:,.2f}{item.unit.label} ÷ 比较的数（{basis}）"})


_DIRECTION_NAMES = {1: "增加（增长）", -1: "减少（下降）", 0: "持平"}


@rule("BK616", "text.direction", "表文增减方向", Severity.ERROR, (),
      "{item}：{problem}。原文：“{quote}”", narrative=True)
def text_direction(ctx: Context) -> Iterator[Discrepancy]:
    """增减的方向词应与数字一致：本年数小于上年数时不能写“增加”，增减额与增减率的方向不能相反，写“持平”的不能有增减额。

    错误示例：项目支出80万元，上年为90万元，增加10万元。基本支出110万元，比上年增加10万元，下降9.09%。
    正确示例：项目支出80万元，上年为90万元，减少10万元，下降11.11%。
    """
    for paragraph, item in _changes(ctx):
        change = item.change
        moved = change.direction if change.amount is not None else None
        said = {d for d in (moved, change.rate_direction) if d is not None}
        if change.base is not None and said:
            actual = (_yuan(item) > _yuan(change.base)) - (_yuan(item) < _yuan(change.base))
            if said != {actual}:
                yield _flag(paragraph.ref, item.label, change_quote(item), problem=(
                    f"本年{_figure(item)}、{_figure(change.base)}，应为{_DIRECTION_NAMES[actual]}，"
                    f"文中写{'、'.join(_DIRECTION_NAMES[d] for d in sorted(said, reverse=True))}"))
                continue
        if len(said) > 1:
            yield _flag(paragraph.ref, item.label, change_quote(item), problem="增减额与增减率的方向相反")
        elif change.level and change.amount is not None and change.amount.cell.amount:
            yield _flag(paragraph.ref, item.label, change_quote(item),
                        problem=f"写“持平”却有增减额 {change.amount.cell.amount:,.{change.amount.cell.decimals}f}"
                                f"{change.amount.unit.label}")


@rule("BK617", "text.compared_year", "表文比较年度", Severity.ERROR, (),
      "{item}：{problem}。原文：“{quote}”", narrative=True)
def text_compared_year(ctx: Context) -> Iterator[Discrepancy]:
    """增减比较的年度不能是文件本身的年度：2026 年预算说明中“比2026年预算增加”是与自己比较（应为 2025 年）；
    决算说明与本年预算比较（“比2023年年初预算增加”）不在此列。文件编号（“沪财预【2017】89号”）不是年度。

    错误示例：2026年部门预算说明：“行政运行1672.67万元，比2026年预算增加5.00%”。
    正确示例：2026年部门预算说明：“行政运行1672.67万元，比2025年预算增加5.00%”。
    """
    for narrative in ctx.narratives:
        group = group_of(narrative, ctx.groups)
        year = document_year(group, narrative)
        stage = _document_stage(group, narrative) if group else _title_stage(narrative)
        if year is None:
            continue
        for paragraph in narrative.paragraphs:
            for item in paragraph.amounts:
                change = item.change
                if change is None or change.year != year or (change.stage and stage and change.stage != stage.value):
                    continue
                yield _flag(paragraph.ref, item.label, item.sentence,
                            problem=f"比较的年度 {change.year} 年就是本文件的年度，应为上一年度（{year - 1} 年）")


def document_year(group: Group | None, narrative: Narrative) -> int | None:
    """The tables' year when they agree on one, else the first year the text names."""
    years = {t.year for t in group.tables if t.year} if group else set()
    return years.pop() if len(years) == 1 else narrative.year


def _title_stage(narrative: Narrative) -> Stage | None:
    named = (stage_named(p.text) for p in narrative.paragraphs if not p.amounts)
    found = next((stage for stage in named if stage is not None), None)
    return found if isinstance(found, Stage) else None


@rule("BK606", "text.class_amount", "表文功能分类金额与表", Severity.ERROR, CLASS_TABLES,
      "{item}：文中写 {stated}{unit}，{cell} 为 {expected}{unit}，相差 {difference}{unit}。{remark}"
      "原文：“{quote}”{correction}", narrative=True)
def text_class_amount(ctx: Context) -> Iterator[Discrepancy]:
    """文中按功能分类（类）写的支出金额，应等于本部门同一阶段、同一口径的表中同一“类”的金额。

    全部资金看收入支出决算总表（或支出决算表）；句子或其所列的合计写明“一般公共预算财政拨款”的
    （“一般公共预算财政拨款支出…主要用于以下方面：…”）看一般公共预算财政拨款支出决算表；预算说明看对应的预算表。
    错误示例：文中“卫生健康支出6.95万元”，总表“卫生健康支出”5.95万元。
    正确示例：文中“卫生健康支出5.95万元”，与总表一致；“一般公共预算财政拨款支出190万元，主要用于：…卫生健康支出（类）
    1.67万元”与一般公共预算财政拨款支出决算表一致。
    """
    yield from _amounts_against_tables(ctx, _class_lookup)


_FUND_WORDS = ((Scope.GENERAL, "一般公共预算"), (Scope.GOV_FUND, "政府性基金"), (Scope.STATE_CAPITAL, "国有资本经营"))
_FISCAL_WORDS = re.compile(r"(?<!非)财政拨款")
# Names that hold the word 预算 without speaking of a budget: a fund, a body, or the work of budgeting
# (a 自评报告's heading "部门整体预算绩效管理情况", "“三公”经费预算控制情况" over the year's 决算 figures)
_NOT_A_STAGE = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|预算单位|预算主管部门|预算管理|预算绩效|"
                          r"预算控制|预算执行")
# A revised or whole-year budget is not the 年初 budget the tables show
_REVISED_BUDGET = re.compile(r"(?:调整|全年|追加)后?预算|预算调整")
# Words after a line's name that say its stage ("基本支出预算", "本年收入合计决算数")
_STAGE_TAIL = re.compile(r"的?(?:年初|全年|调整)?(?:预算|决算)数?$|的?执行数$")
# ... or that a source or nature is stated as a total ("人员经费合计")
_TOTAL_TAIL = re.compile(r"(?:合计|总额)$")


@dataclass(frozen=True)
class Reading:
    """An amount of a text as the rules read it: its label (normalised) and the 口径 it is stated
    in, the stage (决算/预算) and whose money; None where the text leaves either unclear."""

    amount: Amount
    paragraph: Paragraph
    label: str
    stage: Stage | None
    scope: Scope | None


Lookup = Callable[[Reading], "tuple[Table, Cell] | None"]


_UNCLEAR = object()  # words that name two stages or two funds at once, or a budget no table shows


def _read(amount: Amount, paragraph: Paragraph, document_stage: Stage | None) -> Reading:
    """The 口径 comes from the amount's own label, else from the total it is listed under, else from its
    sentence's opening words; a stage none of them names is the nearest heading's that names one, else
    the document's. A scope none of them names is all funds, unless a heading it stands under names a
    fund: then the sentence does not say (“基本支出” under “一般公共预算财政拨款基本支出情况”, “支出决算”
    under a 项 of “一般公共预算财政拨款支出决算具体情况”) and nothing is compared."""
    frames = (amount.label, *amount.context)
    headings = paragraph.headings[::-1]
    stage = next((found for words in (*frames, *headings) if (found := stage_named(words))), document_stage)
    scope = next((found for words in frames if (found := _scope_named(words))), None)
    if scope is None:
        scope = Scope.ALL if all(_scope_named(words) is None for words in headings) else _UNCLEAR
    return Reading(amount, paragraph, normalize(amount.label), None if stage is _UNCLEAR else stage,
                   None if scope is _UNCLEAR else scope)


def stage_named(words: str) -> Stage | object | None:
    if _REVISED_BUDGET.search(words):
        return _UNCLEAR
    bare = _NOT_A_STAGE.sub("", words)
    named = {stage for stage, word in ((Stage.FINAL, "决算"), (Stage.BUDGET, "预算")) if word in bare}
    return named.pop() if len(named) == 1 else _UNCLEAR if named else None


def _scope_named(words: str) -> Scope | object | None:
    """The fund or 财政拨款 the words name; unclear for two funds, and for 非财政拨款 money (its 结转结余, its
    收入), which no table prints as a line of its own."""
    if "非财政拨款" in words:
        return _UNCLEAR
    funds = {scope for scope, word in _FUND_WORDS if word in words}
    if funds:
        return funds.pop() if len(funds) == 1 else _UNCLEAR
    return Scope.FISCAL if _FISCAL_WORDS.search(words) else None


def _document_stage(group: Group, narrative: Narrative) -> Stage | None:
    """决算 or 预算: the stage of the department's tables, or when it has both, the one the text's title
    (its first heading that names one) names."""
    stages = {t.kind.stage for t in group.tables} - {Stage.WORKING}
    if len(stages) == 1:
        return stages.pop()
    named = (stage_named(p.text) for p in narrative.paragraphs if not p.amounts)
    title = next((stage for stage in named if stage is not None), None) if stages else None
    return title if isinstance(title, Stage) else None


LookupFor = Callable[[Group, "Narrative"], Lookup]


def texts_with_tables(ctx: Context) -> Iterator[tuple[Narrative, Group, list[Reading]]]:
    """The amounts of every text that has its department's tables beside it; a change ("比上年增加")
    is no line of a table, nor is a figure its clause gives another year than the text's ("2023年度收入总计"
    in a 2024 说明 is last year's)."""
    for narrative in ctx.narratives:
        group = group_of(narrative, ctx.groups)
        if group is None:
            continue
        stage, year = _document_stage(group, narrative), document_year(group, narrative)
        yield narrative, group, [_read(amount, paragraph, stage) for paragraph in narrative.paragraphs
                                 for amount in paragraph.amounts
                                 if not amount.comparison and amount.year in (None, year)]


def _held(ctx: Context, lookup_for: LookupFor) -> Iterator[tuple[Reading, Table, Cell]]:
    """Each amount whose label a table line answers to, with that line's figure."""
    for held in _judged(ctx, lookup_for):
        yield held.reading, held.table, held.cell


@dataclass(frozen=True)
class Elsewhere:
    """The tables' figure a text's amount equals under another 口径 than its sentence's."""

    stage: Stage
    scope: Scope
    table: Table
    cell: Cell


@dataclass(frozen=True)
class Held:
    """An amount held against the table line its label answers to."""

    reading: Reading
    table: Table
    cell: Cell
    gap: Gap | None
    elsewhere: Elsewhere | None = None


def _judged(ctx: Context, lookup_for: LookupFor) -> list[Held]:
    """Every amount a lookup answers, with its gap; a wrong one that another 口径's table states
    (all funds for 一般公共预算, 决算 for 预算) carries where. Worked out once per run and lookup."""
    key = f"narrative.{lookup_for.__name__}"
    if key not in ctx.memo:
        judged = []
        for narrative, group, readings in texts_with_tables(ctx):
            lookup = lookup_for(group, narrative)
            for reading in readings:
                found = lookup(reading)
                if found is None:
                    continue
                gap = _against(reading.amount, *found, ctx.tolerance)
                wrong = gap is not None and gap.verdict is Verdict.MISMATCH
                judged.append(Held(reading, *found, gap, _elsewhere(reading, lookup, ctx.tolerance) if wrong else None))
        ctx.memo[key] = judged
    return ctx.memo[key]


def _elsewhere(reading: Reading, lookup: Lookup, tolerance: Tolerance) -> Elsewhere | None:
    if reading.stage is None or reading.scope is None:
        return None
    other_stage = Stage.BUDGET if reading.stage is Stage.FINAL else Stage.FINAL
    frames = [(reading.stage, s) for s in (Scope.ALL, Scope.FISCAL, Scope.GENERAL) if s is not reading.scope]
    for stage, scope in (*frames, (other_stage, reading.scope)):
        found = lookup(replace(reading, stage=stage, scope=scope))
        if found is not None and _agrees(reading.amount, *found, tolerance):
            return Elsewhere(stage, scope, *found)
    return None


def _agrees(amount: Amount, table: Table, cell: Cell, tolerance: Tolerance) -> bool:
    gap = _against(amount, table, cell, tolerance)
    return gap is None or gap.verdict is not Verdict.MISMATCH


def _amounts_against_tables(ctx: Context, lookup_for: LookupFor) -> Iterator[Discrepancy]:
    """Every amount of a text whose label a table line answers to, against that line; a text that
    shows the line's figure correctly rounded (938.99万元 for 9,389,913.00元) agrees with it. A figure
    another 口径's table states is BK614's (a 口径 mixed up, not a wrong figure)."""
    figures: dict[Amount, tuple[Table, Cell]] | None = None
    for held in _judged(ctx, lookup_for):
        if held.gap and held.gap.verdict and held.elsewhere is None:
            figures = _table_figures(ctx) if figures is None else figures
            amount, table, cell = held.reading.amount, held.table, held.cell
            corrected = amount_corrected(amount, _restated(cell, table.unit, amount.unit).amount)
            yield Discrepancy.of(Term(amount.cell, amount.unit), held.gap, amount.label, [cell.ref],
                                 quote=amount.sentence, cell=table_cell_named(table, cell),
                                 correction=should_read(corrected),
                                 remark=_share_remark(held.reading, figures, ctx.tolerance))


def table_cell_named(table: Table, cell: Cell) -> str:
    """The table and its cell, the table named once when its sheet is named after it
    ("收入支出决算总表!D31", "Z01 收入支出决算总表(财决01表)!B9"; else "部门收支总表 财务收支预算总表!B15")."""
    address = f"{table.sheet}!{cell.ref.cell}"
    return address if normalize(table.kind.title) in normalize(table.sheet) else f"{table.kind.title} {address}"


def _against(amount: Amount, table: Table, cell: Cell, tolerance: Tolerance) -> Gap | None:
    if _shown_as(cell.amount * table.unit.yuan, amount):
        return None
    return same_gap(Term(amount.cell, amount.unit), Term(cell, table.unit), tolerance)


def _shown_as(yuan: Decimal, amount: Amount) -> bool:
    exact = yuan / amount.unit.yuan
    return exact.quantize(Decimal(1).scaleb(-amount.cell.decimals), ROUND_HALF_UP) == amount.cell.amount


def group_of(narrative: Narrative, groups: tuple[Group, ...]) -> Group | None:
    """The department whose tables sit in the text's folder; of several, the one of the text's year,
    and of several of that year, the one whose 部门 line the department its file name or title gives ends
    (grouping's own test of a file name against a 部门 line)."""
    folder = PurePosixPath(narrative.file).parent
    beside = [g for g in groups if any(PurePosixPath(t.file).parent == folder for t in g.tables)]
    same_year = [g for g in beside if any(t.year == narrative.year for t in g.tables)]
    chosen = same_year or beside
    if len(chosen) > 1:
        named = {department_in_name(narrative.file), *(department_in_name(p.text) for p in narrative.paragraphs[:1])}
        chosen = [g for g in chosen if g.department and any(name and ends_with_department(g.department, name)
                                                             for name in named)]
    return chosen[0] if len(chosen) == 1 else None


def _table_figures(ctx: Context) -> dict[Amount, tuple[Table, Cell]]:
    """The table figure each amount of the texts is held against, by any rule that holds text against tables."""
    figures: dict[Amount, tuple[Table, Cell]] = {}
    for lookup_for in TABLE_LOOKUPS:
        for reading, table, cell in _held(ctx, lookup_for):
            figures.setdefault(reading.amount, (table, cell))
    return figures


def _wrong_amount(amount: Amount, figures: dict[Amount, tuple[Table, Cell]], tolerance: Tolerance) -> Cell | None:
    """The tables' figure, in the amount's unit, when the text states the amount wrongly."""
    found = figures.get(amount)
    if found is None:
        return None
    table, cell = found
    gap = _against(amount, table, cell, tolerance)
    return _restated(cell, table.unit, amount.unit) if gap and gap.verdict is Verdict.MISMATCH else None


def _of_the_total(part: Amount, total: Amount) -> bool:
    """Whether a part's share is of the total its list is of: a share naming no whole, or naming the
    total (占本年支出合计的, 占本年支出的 under 本年支出合计); not one naming another whole (占政府采购支出总额的
    under 授予中小企业合同金额)."""
    named = core_label(part.share_of)
    whole = core_label(total.label)
    return not named or named in whole or whole in named


def _share_of_tables(part: Amount, paragraph: Paragraph, figures: dict[Amount, tuple[Table, Cell]],
                     tolerance: Tolerance) -> bool:
    """A part's stated share agrees with the TABLES' amount of the part ÷ its total (the total as the
    tables show it, else as the text does): the share was worked out from the tables, the amount
    was mistyped, and the share is no second error."""
    part_figure = _wrong_amount(part, figures, tolerance)
    total = next((b.total for b in paragraph.breakdowns if part in b.parts), None)
    if part.share is None or part_figure is None or total is None:
        return False
    total_figure = figures.get(total)
    whole = _restated(total_figure[1], total_figure[0].unit, total.unit) if total_figure else total.cell
    gap = share_gap(part.share, _restated(part_figure, part.unit, total.unit), whole.amount, whole.half_unit,
                    tolerance)
    return gap is None or gap.verdict is not Verdict.MISMATCH


def _share_remark(reading: Reading, figures: dict[Amount, tuple[Table, Cell]], tolerance: Tolerance) -> str:
    amount = reading.amount
    if not _share_of_tables(amount, reading.paragraph, figures, tolerance):
        return ""
    return f"文中占比 {amount.share.amount * HUNDRED:.{max(0, amount.share.decimals - 2)}f}% 与表中金额相符。"


def _restated(cell: Cell, unit: Unit, to: Unit) -> Cell:
    """A figure restated in another unit, its shown decimals moved with it."""
    ratio = unit.yuan / to.yuan
    return Cell(cell.amount * ratio if cell.value is not None else None, cell.ref,
                max(0, cell.decimals - ratio.adjusted()))


def _class_lookup(group: Group, _: Narrative) -> Lookup:
    stated = _stated_facts(group)

    def find(reading: Reading) -> tuple[Table, Cell] | None:
        code = class_code(core_label(reading.label))
        if code is None or reading.stage is None or reading.scope is None:
            return None
        return _class_figure(stated, reading.stage, reading.scope, code)
    return find


def _stated_facts(group: Group) -> dict[tuple[Stage, FactKey], list[Fact]]:
    """Every figure the department's tables state, by stage and ledger key (fund scope, line, measure).
    A department whose only money is 一般公共预算 states each figure under all three fund scopes."""
    by_key: dict[tuple[Stage, FactKey], list[Fact]] = defaultdict(list)
    for stage in (Stage.FINAL, Stage.BUDGET):
        facts = [f for t in group.tables if t.kind.stage == stage for f in facts_of(t)]
        scopes = (Scope.ALL, Scope.FISCAL, Scope.GENERAL) if single_fund(facts) else ()
        for fact in facts:
            same = scopes if fact.key.scope in scopes else (fact.key.scope,)
            for scope in same:
                by_key[(stage, FactKey(scope, fact.key.line, fact.key.measure))].append(fact)
    return by_key


def _class_figure(stated: dict[tuple[Stage, FactKey], list[Fact]], stage: Stage, scope: Scope,
                  code: str) -> tuple[Table, Cell] | None:
    """The 类 line of the stage's tables of that fund scope, the 总表 first; a 类 that a table listing
    the scope's 类 leaves out is 0 there."""
    facts = stated.get((stage, FactKey(scope, code, "合计")))
    if facts:
        # all funds: the 总表 first; one fund: the fund's own table (一般公共预算财政拨款支出决算表)
        fact = min(facts, key=lambda f: ((f.table.kind in TWO_SIDED) != (scope is Scope.ALL), _KIND_ORDER[f.table.kind]))
        return fact.table, fact.figure.cell
    listing = [f.table for (s, key), found in stated.items() for f in found
               if s == stage and key.scope == scope and key.measure == "合计" and len(key.line) == 3
               and key.line.isdigit() and f.table.kind not in TWO_SIDED]
    if listing:
        table = min(listing, key=lambda t: _KIND_ORDER[t.kind])
        return table, Cell(ZERO, table.anchor_ref)
    return None


ITEM_TABLES = {Stage.FINAL: (TableKind.GP_EXPENDITURE, TableKind.GOV_FUND, TableKind.STATE_CAPITAL),
               Stage.BUDGET: (TableKind.BUDGET_GP_EXPENDITURE, TableKind.BUDGET_GOV_FUND,
                              TableKind.BUDGET_STATE_CAPITAL)}
_LEADING_CODE = re.compile(r"^(\d{7}|\d{5})(?!\d)")
# "“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目": a 项 named by its 类, 款 and 项 names
_PATH_SEPARATOR = re.compile(r"\s*[-－—–]+\s*")
_PATH_DRESS = re.compile(r"^[“”\"'‘’「」]+|[“”\"'‘’「」]+(?:科目)?$|科目$")
# "一般公共服务支出（类）社会工作事务（款）行政运行（项）支出决算": a 项 named by its 类, 款 and 项, each marked
# with its level, followed by nothing but what the figure is of that 项
_MARKED_LEVEL = re.compile(r"[（(](?:类|款|项)[）)]")
_OF_THE_SUBJECT = re.compile(r"(?:支出)?(?:决算数?|预算数?)?")


@rule("BK608", "text.item_amount", "表文款项金额与表", Severity.ERROR, tuple(k for ks in ITEM_TABLES.values() for k in ks),
      "{item}：文中写 {stated}{unit}，{cell} 为 {expected}{unit}，相差 {difference}{unit}。{remark}"
      "原文：“{quote}”{correction}", narrative=True)
def text_item_amount(ctx: Context) -> Iterator[Discrepancy]:
    """文中写出的“款”“项”支出金额（带编码，用在表中唯一的科目名称，写成“类-款-项”科目或“…（类）…（款）…（项）”），应等于本部门同一阶段
    一般公共预算、政府性基金或国有资本经营预算（财政拨款）支出表中该科目的合计（同一笔钱在表与文中只能有一个数）。
    预算说明中科目的“预算数”即该科目的数，与预算表核对（不作为 BK610 的年初预算）。中央模板以“5.农林水支出（类）农业农村（款）
    行政运行（项）。”为标题、其下只写“支出决算为…万元”的，是该项的决算数。

    错误示例：文中“2299999其他政府性基金安排的支出135.00万元”，政府性基金表该项为 105.00 万元；
    预算说明中“‘一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行’科目1,220.95万元”，一般公共预算支出表该项
    12,029,5xx 元。
    正确示例：文中“2299999其他政府性基金安排的支出105.00万元”；“……-行政运行”科目1,202.95万元。
    """
    yield from _amounts_against_tables(ctx, _item_lookup_of)


def _item_lookup_of(group: Group, narrative: Narrative) -> Lookup:
    finders = {stage: _item_lookup([t for kind in kinds for t in group.of(kind)]) for stage, kinds in ITEM_TABLES.items()}

    budget_text = _document_stage(group, narrative) is Stage.BUDGET

    def find(reading: Reading) -> tuple[Table, Cell] | None:
        # a 年初预算 is BK610's, held against the same year's budget
        if reading.stage is None or (_BUDGET_LABEL.search(reading.label)
                                     and not _own_budget_figure(reading.label, budget_text)):
            return None
        return finders[reading.stage](_subject_heading(reading) or reading.label)
    return find


def _subject_heading(reading: Reading) -> str | None:
    """The heading a bare "支出决算" stands under when it names a subject by its levels' marks: the central
    template's "5.农林水支出（类）农业农村（款）行政运行（项）。" over "…支出决算为1,172.16万元"."""
    if _bare_words(reading.label) or not reading.paragraph.headings:
        return None
    heading = strip_enumeration(reading.paragraph.headings[-1].rstrip("。.：:；; "))
    return heading if _marked_path(heading) else None


def _item_lookup(tables: list[Table]) -> Callable[[str], tuple[Table, Cell] | None]:
    """A 款/项 line of the tables by the code that leads a label, by its 类-款-项 names, or by its name."""
    by_code, by_name = _item_rows(tables)
    names = {code: core_label(normalize(row.label)) for table in tables for code, row in table.coded().items()}

    def find(label: str) -> tuple[Table, Cell] | None:
        code = _LEADING_CODE.match(label)
        if code:
            return by_code.get(code.group(1))
        path = _marked_path(label) or _PATH_SEPARATOR.split(_PATH_DRESS.sub("", core_label(label)))
        if len(path) > 1:
            found = _code_of_path(path, names)
            return by_code.get(found) if found else None
        return by_name.get(core_label(label))
    return find


_INITIAL_BUDGET_LABEL = re.compile(r"(?:年初|全年)预算数?$")


def _own_budget_figure(label: str, budget_text: bool) -> bool:
    """Whether a "…预算数" is the subject's own figure, held against the tables of its stage (BK608): in a 预算's
    text ("行政运行（项）2025年预算数为…") it is, unless its words make it a 年初预算 (BK610's, whatever the tables)."""
    return budget_text and not _INITIAL_BUDGET_LABEL.search(label)


def _marked_path(label: str) -> list[str]:
    """The names of a 类, 款 (and 项) that each carry their level's mark, or nothing."""
    *names, rest = _MARKED_LEVEL.split(label)
    return names if len(names) > 1 and _OF_THE_SUBJECT.fullmatch(rest) else []


def _item_rows(tables: list[Table]) -> tuple[dict[str, tuple[Table, Cell]], dict[str, tuple[Table, Cell]]]:
    """款/项 rows of the tables by code, and by name where the name is unique
    (行政运行 stands under many 款, so a bare name that repeats identifies nothing)."""
    by_code: dict[str, tuple[Table, Cell]] = {}
    named: dict[str, list[tuple[Table, Cell]]] = {}
    for table in tables:
        for code, row in table.coded().items():
            if len(code) > 3 and "total" in row.values:
                by_code.setdefault(code, (table, row.values["total"]))
                named.setdefault(core_label(normalize(row.label)), []).append((table, row.values["total"]))
    return by_code, {name: found[0] for name, found in named.items() if len(found) == 1}


def _code_of_path(path: list[str], names: dict[str, str]) -> str | None:
    """The code whose 类, 款 (and 项) carry the path's names, each under the one before."""
    parent = ""
    for depth, name in zip((3, 5, 7), path):
        wanted = core_label(normalize(name))
        parent = next((code for code, named in names.items()
                       if len(code) == depth and code.startswith(parent) and named == wanted), None)
        if parent is None:
            return None
    return parent


@rule("BK610", "text.item_budget", "表文年初预算与部门预算", Severity.WARNING, (TableKind.BUDGET_GP_EXPENDITURE,),
      "{item}：文中写 {stated}{unit}，同年部门预算 {cell} 为 {expected}{unit}，相差 {difference}{unit}。"
      "{remark}原文：“{quote}”{correction}", narrative=True)
def text_item_budget(ctx: Context) -> Iterator[Discrepancy]:
    """文中某个“款”“项”（带编码，或用在表中唯一的科目名称）的年初预算数，应等于同一年度部门预算
    一般公共预算支出表中该科目的合计。

    错误示例：2025年决算说明写“2011301行政运行年初预算为900万元”，2025年部门预算该项为 9,389,913.00 元。
    正确示例：2025年决算说明写“2011301行政运行年初预算为938.99万元”。
    """
    yield from _amounts_against_tables(ctx, _budget_lookup)


def _budget_lookup(group: Group, narrative: Narrative) -> Lookup:
    find = _item_lookup([t for t in group.of(TableKind.BUDGET_GP_EXPENDITURE) if t.year == narrative.year])
    budget_text = _document_stage(group, narrative) is Stage.BUDGET

    def budget_of(reading: Reading) -> tuple[Table, Cell] | None:
        budget = None if _own_budget_figure(reading.label, budget_text) else _BUDGET_LABEL.search(reading.label)
        return find(reading.label[:budget.start()]) if budget and budget.start() else None
    return budget_of


SUMMARY_TABLES = {(Stage.FINAL, Scope.ALL): TableKind.SUMMARY, (Stage.FINAL, Scope.FISCAL): TableKind.FISCAL_SUMMARY,
                  (Stage.BUDGET, Scope.ALL): TableKind.BUDGET_SUMMARY,
                  (Stage.BUDGET, Scope.FISCAL): TableKind.BUDGET_FISCAL_SUMMARY}


@rule("BK611", "text.summary_line", "表文收支总数与总表", Severity.ERROR, tuple(SUMMARY_TABLES.values()),
      "{item}：文中写 {stated}{unit}，{cell} 为 {expected}{unit}，相差 {difference}{unit}。{remark}"
      "原文：“{quote}”{correction}", narrative=True)
def text_summary_line(ctx: Context) -> Iterator[Discrepancy]:
    """文中的收支总数（收入总计、本年收入合计、本年支出合计、年初/年末结转和结余、“收入预算”“收入支出预算总计”等）应等于总表的同一行。

    比较的是本部门同一阶段、同一口径的总表：决算说明看收入支出决算总表，写明“财政拨款”的看财政拨款收入支出决算总表；
    预算说明看部门收支总表（财政拨款收支总表）。只写“收入预算”“收入决算”“支出预算”的，可指本年收入（支出）合计，
    也可指收入（支出）总计，与两者中较近的一个比较；决算的“支出”只指本年支出合计（支出总计含年末结转和结余）。
    “收入合计”的“其中”列有上年结转的，是收入总计。
    写在某个类、款、项之后（同一句或其标题中），或同一句前面写了主体（“…“三公”经费财政拨款支出预算为5.00万元，
    支出决算为3.20万元”）的“支出决算”是该主体的数，不是总数，不与总表比较；写明另一年度的数
    （2024 年说明中的“2023年度收入总计”）是那一年的数，也不与本年的表比较。
    错误示例：文中“部门财政资金结转结余0元”，总表 年末结转和结余 0.84 万元；“收入预算9,110.68万元”，
    收支总表 收入总计 9,101.68 万元。
    正确示例：文中“年末结转和结余0.84万元”；“收入预算9,101.68万元”。
    """
    yield from _amounts_against_tables(ctx, _summary_lookup)
    _note_unclear(ctx, "BK611", _unclear_summary_line)


def _unclear_summary_line(group: Group) -> Callable[[Reading], bool]:
    departments = _department_names(group)

    def unclear(reading: Reading) -> bool:
        return bool(_summary_lines_named(reading, departments)) and (reading.stage is None or reading.scope is None)
    return unclear


# A headline total after its fund, stage and neutral words are gone ("收入预算" → 收入, "收入支出预算总计" →
# 收入支出总计): 收入 alone may mean the 本年收入合计 or the 收入总计, so both are candidates; so may a budget's
# 支出, but what a 决算 spent is never its 支出总计, which holds the 年末结转和结余.
_HEADLINES = {
    **dict.fromkeys(("收入", "总收入", "收入总数"), (("income_total", Side.INCOME), ("grand_total", Side.INCOME))),
    **dict.fromkeys(("支出", "总支出", "支出总数"),
                    (("expenditure_total", Side.EXPENDITURE), ("grand_total", Side.EXPENDITURE))),
    **dict.fromkeys(("收入支出总计", "收支总计", "收入支出", "收支", "收支总", "收支总数"), (("grand_total", Side.INCOME),)),
}


# "收入、支出决算总计307.82万元", "收入、支出总计均为…": a figure stated of both sides' totals at once, each
# the same; the "、" and the "均" that join them leave the headline's name
_BOTH_LINES = re.compile(r"、|(?:均|各|分别)$")


def _summary_lines_named(reading: Reading, departments: tuple[str, ...]) -> tuple[tuple[str, Side], ...]:
    """The 总表 lines a label names: one ("年末结转和结余", "本年收入合计"), or for a headline total the lines
    it may mean ("收入预算")."""
    named = summary_line_named_by(_STAGE_TAIL.sub("", reading.label))
    if named == ("income_total", Side.INCOME) and "本年" not in reading.label and _lists_carryover(reading):
        # "收入合计164.52万元，其中：财政拨款收入163.68万元；上年结转0.84万元": the 合计 of all money, 收入总计
        return (("grand_total", Side.INCOME),)
    if named is not None:
        return (named,)
    words, key = _headline_words(reading.label, departments)
    lines = _HEADLINES.get(key, ())
    if lines and _scope_named(words) is None and (
            _listed(reading) or _of_a_subject(reading) or _after_a_figure_of(key, reading, departments)):
        # "项目资金100万元，其中：支出80万元": a bare 支出 listed under another total is that total's;
        # "行政运行（项）。…支出决算为51.32万元": after a subject's name, that subject's
        return ()
    return tuple(line for line in lines if reading.stage is not Stage.FINAL or line != ("grand_total", Side.EXPENDITURE))


def _headline_words(label: str, departments: tuple[str, ...]) -> tuple[str, str]:
    """A label's words without the department's name, and what is left of them once its fund and the words
    that name no line (stage, 本年, 合计…) are dropped: the key a headline total is known by ("支出")."""
    words = _BOTH_LINES.sub("", core_label(label))
    for department in departments:
        words = words.removeprefix(department)
    return words, _NEUTRAL.sub("", _SCOPE_WORDS.sub("", words))


def _after_a_figure_of(key: str, reading: Reading, departments: tuple[str, ...]) -> bool:
    """Whether an earlier figure of the sentence names whose the bare headline word is: "“三公”经费财政拨款
    支出预算为5.00万元，支出决算为3.20万元" speaks of the "三公"'s 支出 in both clauses."""
    for earlier in _earlier_in_sentence(reading):
        subject = _headline_words(earlier.label, departments)[1]
        if subject != key and subject.endswith(key):
            return True
    return False


def _earlier_in_sentence(reading: Reading) -> list[Amount]:
    """The figures of the amount's sentence before it, changes left out: what names its subject."""
    amount = reading.amount
    return [a for a in reading.paragraph.amounts
            if a.sentence == amount.sentence and a.offset < amount.offset and not a.comparison]


# A 功能分类 subject named in its sentence or heading: "行政运行（项）", "购房补贴（2210203）"
_SUBJECT_NAMED = re.compile(r"[（(](?:类|款|项|\d{3}|\d{5}|\d{7})[）)]")


def _of_a_subject(reading: Reading) -> bool:
    """Whether the words before the amount, in its sentence or the heading it stands under, name a subject."""
    amount = reading.amount
    before = (amount.sentence[:amount.offset], *reading.paragraph.headings[-1:])
    return any(_SUBJECT_NAMED.search(words) for words in before)


def _lists_carryover(reading: Reading) -> bool:
    """Whether the amount's 其中 lists the money carried from last year among its parts."""
    return any(breakdown.total is reading.amount and any(
        summary_line_named_by(_STAGE_TAIL.sub("", part.label)) == ("opening_balance", Side.INCOME)
        for part in breakdown.parts) for breakdown in reading.paragraph.breakdowns)


def _listed(reading: Reading) -> bool:
    return any(reading.amount in breakdown.parts for breakdown in reading.paragraph.breakdowns)


def _note_unclear(ctx: Context, code: str, unclear_for: Callable[[Group], Callable[[Reading], bool]]) -> None:
    """Say in the rule's coverage line which amounts it left alone because the text does not say their 口径."""
    for narrative, group, readings in texts_with_tables(ctx):
        unclear = unclear_for(group)
        for reading in readings:
            if unclear(reading):
                ctx.note(code, f"{narrative.file} {reading.paragraph.ref.cell}“{reading.amount.label}”口径不明，未与表核对")


def _summary_lookup(group: Group, _: Narrative) -> Lookup:
    departments = _department_names(group)

    def find(reading: Reading) -> tuple[Table, Cell] | None:
        named = _summary_lines_named(reading, departments)
        kind = SUMMARY_TABLES.get((reading.stage, reading.scope))
        if not named or kind is None:
            return None
        stated = _yuan(reading.amount)
        for table in group.of(kind):
            figures = [row.figure for line in named if (row := table.line(*line)) is not None and row.figure]
            if figures:
                # of the lines a headline may mean, the one its figure is nearer to
                return table, min(figures, key=lambda cell: abs(cell.amount * table.unit.yuan - stated))
        return None
    return find


# What a text calls each income source: the names of the 总表's 收入 lines that end in 收入 or 结余
# (a bare "一般公共预算财政拨款" may be spending as well as income). 年初结转和结余 is BK611's.
_SOURCE_KEYS = ("general_budget", "gov_fund", "state_capital", "fiscal", "superior_subsidy", "business", "operating",
                "affiliated", "other", "use_non_fiscal_balance")
_SOURCE_NAMES = sorted(((name, key) for key in _SOURCE_KEYS for name in INCOME_LINES[key]
                        if name.endswith(("收入", "结余"))), key=lambda entry: -len(entry[0]))
# ... and each expenditure nature, by the measure the 支出表 columns (or 基本支出表 totals) carry
_NATURE_NAMES = sorted((("基本支出", "basic"), ("项目支出", "project"), ("上缴上级支出", "to_superior"),
                        ("经营支出", "operating"), ("事业单位经营支出", "operating"),
                        ("对附属单位补助支出", "to_subsidiary"), ("人员经费", "personnel"), ("人员经费支出", "personnel"),
                        ("公用经费", "public"), ("公用经费支出", "public"), ("支出", "total")),
                       key=lambda entry: -len(entry[0]))
# A fund's whole spending ("一般公共预算财政拨款支出3,529.43万元") is the 合计 of its own table; all funds' and
# 财政拨款's are the 总表s' lines (BK611's headlines).
_FUNDS = (Scope.GENERAL, Scope.GOV_FUND, Scope.STATE_CAPITAL)
# Words that may stand before a source or nature without making it something else ("本年基本支出")
_NEUTRAL = re.compile(r"本年度?|当年|全年|年初|年度|本部门|本单位|部门|单位|合计|共计|总额|预算|决算|其中|的")
_SCOPE_WORDS = re.compile(r"(?:一般公共预算|政府性基金(?:预算)?|国有资本经营(?:预算)?)(?:财政)?(?:拨款)?(?:资金)?"
                          r"|财政拨款(?:资金)?")
# Where each nature is stated, by stage and scope: the 合计 row of the all-funds 支出表, of the fund's own
# table, or the 基本支出 (经济分类) table's 人员经费/公用经费 totals, which cover 一般公共预算 only.
NATURE_TABLES = {
    (Stage.FINAL, Scope.ALL): (TableKind.EXPENDITURE,),
    (Stage.FINAL, Scope.GENERAL): (TableKind.GP_EXPENDITURE, TableKind.BASIC_EXPENDITURE),
    (Stage.FINAL, Scope.GOV_FUND): (TableKind.GOV_FUND,),
    (Stage.FINAL, Scope.STATE_CAPITAL): (TableKind.STATE_CAPITAL,),
    (Stage.BUDGET, Scope.ALL): (TableKind.BUDGET_EXPENDITURE,),
    (Stage.BUDGET, Scope.GENERAL): (TableKind.BUDGET_GP_EXPENDITURE, TableKind.BUDGET_BASIC),
    (Stage.BUDGET, Scope.GOV_FUND): (TableKind.BUDGET_GOV_FUND,),
    (Stage.BUDGET, Scope.STATE_CAPITAL): (TableKind.BUDGET_STATE_CAPITAL,),
}
# Where each source is stated: the 总表's 收入 line, else the 收入表's 合计 row, else the 财政拨款总表's line
SOURCE_TABLES = {Stage.FINAL: (TableKind.SUMMARY, TableKind.INCOME, TableKind.FISCAL_SUMMARY),
                 Stage.BUDGET: (TableKind.BUDGET_SUMMARY, TableKind.BUDGET_INCOME, TableKind.BUDGET_FISCAL_SUMMARY)}
_SOURCE_COLUMNS = {**INCOME_LINE_TO_COLUMN, "fiscal": "fiscal"}


@rule("BK612", "text.source_nature", "表文收入来源与支出性质金额与表", Severity.ERROR,
      tuple(k for k in TableKind if any(k in kinds for kinds in (*SOURCE_TABLES.values(), *NATURE_TABLES.values()))),
      "{item}：文中写 {stated}{unit}，{cell} 为 {expected}{unit}，相差 {difference}{unit}。{remark}"
      "原文：“{quote}”{correction}", narrative=True)
def text_source_nature(ctx: Context) -> Iterator[Discrepancy]:
    """文中按收入来源（财政拨款收入、事业收入、其他收入…）和支出性质（基本支出、项目支出、人员经费、公用经费…）写的金额，应等于本部门同一阶段、同一口径的表。

    决算说明看收入支出决算总表（收入决算表合计行）、支出决算表合计行；写明“一般公共预算财政拨款”的基本支出、
    项目支出看一般公共预算财政拨款支出决算表，人员经费、公用经费看基本支出决算表；预算说明看对应的预算表。
    写明某一类财政拨款的支出总数（“一般公共预算财政拨款支出3,529.43万元”“政府性基金预算财政拨款支出…”）看该类资金支出表的合计行。
    句子与其所列的合计都没写明口径、而所在标题写了某类财政拨款时，口径不明，不核对。
    错误示例：文中“一般公共预算财政拨款基本支出115.58万元”，一般公共预算财政拨款支出决算表 合计行 基本支出 105.58 万元
    （115.58 是全部资金的基本支出）。
    正确示例：文中“一般公共预算财政拨款基本支出105.58万元，其中：人员经费95.36万元，公用经费10.23万元”，与两表一致。
    """
    yield from _amounts_against_tables(ctx, _source_lookup)
    _note_unclear(ctx, "BK612", _unclear_source_or_nature)


def _unclear_source_or_nature(group: Group) -> Callable[[Reading], bool]:
    departments = _department_names(group)

    def unclear(reading: Reading) -> bool:
        named = _source_or_nature(reading.label, departments)
        return bool(named) and named[1] != "total" and (
            reading.stage is None or (named[0] == "nature" and reading.scope is None))
    return unclear


def _source_lookup(group: Group, _: Narrative) -> Lookup:
    departments = _department_names(group)

    def find(reading: Reading) -> tuple[Table, Cell] | None:
        named = _source_or_nature(reading.label, departments)
        if named is None or reading.stage is None:
            return None
        family, key = named
        if family == "source":
            return _source_cell(group, reading.stage, key)
        if key == "total" and reading.scope not in _FUNDS:
            return None
        return _nature_cell(group, reading.stage, reading.scope, key) if reading.scope else None
    return find


def _department_names(group: Group) -> tuple[str, ...]:
    return tuple(sorted({normalize(t.department) for t in group.tables if t.department}))


def _source_or_nature(label: str, departments: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """("source", line key) or ("nature", measure) when a label names one and nothing else: "事业收入",
    "一般公共预算财政拨款基本支出预算"; not "行政运行项目支出" (a 项's) nor "日常公用经费"."""
    words = _TOTAL_TAIL.sub("", _STAGE_TAIL.sub("", core_label(label)))
    for department in departments:
        words = words.removeprefix(department)
    for family, names in (("source", _SOURCE_NAMES), ("nature", _NATURE_NAMES)):
        for name, key in names:
            if words.endswith(name):
                before = words[:-len(name)]
                # a nature's label may name its fund ("一般公共预算财政拨款基本支出"); a source's name holds it
                before = _NEUTRAL.sub("", _SCOPE_WORDS.sub("", before) if family == "nature" else before)
                return (family, key) if not before else None
    return None


def _source_cell(group: Group, stage: Stage, key: str) -> tuple[Table, Cell] | None:
    summary, income, fiscal = SOURCE_TABLES[stage]
    for table in group.of(summary):
        row = table.line(key, Side.INCOME)
        if row is not None and row.figure:
            return table, row.figure
    column = _SOURCE_COLUMNS.get(key)
    for table in group.of(income):
        total = table.total_row()
        if column and total is not None and column in total.values:
            return table, total.values[column]
    for table in group.of(fiscal):
        row = table.line(key, Side.INCOME) if key in FISCAL_INCOME_LINES else None
        if row is not None and row.figure:
            return table, row.figure
    return None


def _nature_cell(group: Group, stage: Stage, scope: Scope, key: str) -> tuple[Table, Cell] | None:
    for kind in NATURE_TABLES.get((stage, scope), ()):
        for table in group.of(kind):
            total = table.total_row()
            if total is not None and key in total.values:
                return table, total.values[key]
            line = table.line(f"{key}_total")  # the 基本支出决算表's 人员经费合计 / 公用经费合计
            if line is not None and line.figure:
                return table, line.figure
    return None


THREE_PUBLIC_TABLES = (TableKind.THREE_PUBLIC, TableKind.BUDGET_THREE_PUBLIC)
# What a text calls each "三公" column (and 机关运行经费), once its words are bare (see _three_public_item)
_THREE_PUBLIC_NAMES = sorted(((name, item) for item, names in (
    ("total", ("三公经费",)),
    ("abroad", ("因公出国境费", "因公出国费")),
    ("car_total", ("公务用车购置及运行费", "公务用车购置及运行维护费")),
    ("car_purchase", ("公务用车购置费",)),
    ("car_operation", ("公务用车运行费", "公务用车运行维护费")),
    ("reception", ("公务接待费",)),
    ("operating_costs", ("机关运行经费",))) for name in names), key=lambda entry: -len(entry[0]))
_DRESS = re.compile(r"[“”\"'‘’（）()]")
# "…支出", "…支出合计" after a "三公" column's name say what the column holds
_SPENT_TAIL = re.compile(r"(?:支出)?(?:合计)?$")


@rule("BK613", "text.three_public", "表文“三公”经费与机关运行经费与表", Severity.ERROR, THREE_PUBLIC_TABLES,
      "{item}：文中写 {stated}{unit}，{cell} 为 {expected}{unit}，相差 {difference}{unit}。{remark}"
      "原文：“{quote}”{correction}", narrative=True)
def text_three_public(ctx: Context) -> Iterator[Discrepancy]:
    """文中的“三公”经费合计、因公出国（境）费、公务用车购置及运行费（购置费、运行费）、公务接待费和机关运行经费，
    应等于本部门“三公”经费表同一栏：决算说明看决算数（写明“预算数”的看预算数），预算说明看“三公”经费预算表。
    中央模板“公务接待费支出预算为2.00万元，支出决算为1.40万元”中后一个数是同一项目的决算数。

    错误示例：预算说明“公务接待费38.50万元”，“三公”经费预算表 公务接待费 28.50 万元。
    正确示例：“2025年“三公”经费预算数为867.50万元……（一）因公出国（境）费839万元……（三）公务接待费28.50万元”。
    """
    yield from _amounts_against_tables(ctx, _three_public_lookup)


def _three_public_lookup(group: Group, _: Narrative) -> Lookup:
    def find(reading: Reading) -> tuple[Table, Cell] | None:
        item = _three_public_item(reading.label) or _item_named_before(reading)
        if item is None or reading.stage is None:
            return None
        column = f"{item}.{'final' if reading.stage is Stage.FINAL else 'budget'}"
        # a 决算's "三公" table states the year's budget too; a 预算's text has only the budget table
        for table in (*group.of(TableKind.THREE_PUBLIC), *group.of(TableKind.BUDGET_THREE_PUBLIC)):
            if table.rows and column in table.rows[0].values:
                return table, table.rows[0].values[column]
        return None
    return find


def _item_named_before(reading: Reading) -> str | None:
    """The "三公" item of a bare "支出决算" whose sentence named it before: "公务接待费支出预算为2.00万元，支出决算为
    1.40万元" (the central template) speaks of the 公务接待费 in both clauses."""
    if _bare_words(reading.amount.label):
        return None
    return next((item for a in reversed(_earlier_in_sentence(reading)) if (item := _three_public_item(a.label))), None)


def _bare_words(label: str) -> str:
    """A label's words once its dress, fund, stage and 支出 are gone: "" for a bare "支出决算"."""
    return _SPENT_TAIL.sub("", _STAGE_TAIL.sub("", _SCOPE_WORDS.sub("", _DRESS.sub("", label))))


def _three_public_item(label: str) -> str | None:
    """The "三公" column a label names, as the central template words it too: "“三公”经费财政拨款支出决算",
    "公务接待费支出", "公务用车运行维护费支出决算" (the fund, the stage and 支出 dropped; the table is the fund's)."""
    words = _bare_words(label)
    return next((item for name, item in _THREE_PUBLIC_NAMES if words.endswith(name)), None)


@rule("BK614", "text.other_scope", "表文金额口径混用", Severity.WARNING, (),
      "{item}：文中写 {stated}{unit}，这是{other_scope}的数（{other_cell}）；句中口径为{scope}，"
      "{cell} 为 {expected}{unit}。原文：“{quote}”{correction}", narrative=True)
def text_other_scope(ctx: Context) -> Iterator[Discrepancy]:
    """文中某个金额与句中口径的表不符、却等于另一口径的表中同一行（一般公共预算财政拨款写成全部资金的数，
    预算写成决算的数）：数字本身是真的，只是放错了口径，指出两个口径和两处单元格。

    错误示例：“一般公共预算财政拨款基本支出150万元”，150 万元是支出决算表全部资金的基本支出，
    一般公共预算财政拨款支出决算表 基本支出为 110 万元。
    正确示例：“一般公共预算财政拨款基本支出110万元”。
    """
    for lookup_for in TABLE_LOOKUPS:
        for held in _judged(ctx, lookup_for):
            if held.elsewhere is None:
                continue
            amount, other, reading = held.reading.amount, held.elsewhere, held.reading
            corrected = amount_corrected(amount, _restated(held.cell, held.table.unit, amount.unit).amount)
            yield Discrepancy.of(Term(amount.cell, amount.unit), held.gap, amount.label, [held.cell.ref, other.cell.ref],
                                 correction=should_read(corrected),
                                 quote=amount.sentence, cell=table_cell_named(held.table, held.cell),
                                 scope=_frame(reading.stage, reading.scope), other_scope=_frame(other.stage, other.scope),
                                 other_cell=table_cell_named(other.table, other.cell))


def _frame(stage: Stage, scope: Scope) -> str:
    return f"{scope.value}{stage.value}"


@rule("BK607", "text.class_name", "表文科目名称过时", Severity.WARNING, (),
      "“{item}”是旧的功能分类科目名称，现行名称为“{current}”（{code}）。原文：“{quote}”", narrative=True)
def text_class_name(ctx: Context) -> Iterator[Discrepancy]:
    """文中的功能分类科目名称应为现行名称，与表格一致（科目表中记有旧名称的类、款、项）。

    更名前年度的说明用旧名称是对的（2018 年的决算写“医疗卫生与计划生育支出”），不提示。
    错误示例：2023 年的说明写“医疗卫生与计划生育支出5.95万元”。
    正确示例：卫生健康支出5.95万元。
    """
    functions = [s for s in ctx.subjects.subjects if s.system == "function"]
    for narrative in ctx.narratives:
        year = document_year(group_of(narrative, ctx.groups), narrative)
        stale = [(alias, s) for s in functions for alias in s.aliases if alias != s.name_in(year)]
        for paragraph in narrative.paragraphs:
            for sentence in paragraph.sentences:
                for alias, subject in stale:
                    if alias in sentence:
                        yield _flag(paragraph.ref, alias, sentence.strip(), current=subject.name_in(year),
                                    code=subject.code)


# Every lookup that holds a text's amounts against the tables, in the order their rules run
TABLE_LOOKUPS = (_class_lookup, _item_lookup_of, _budget_lookup, _summary_lookup, _source_lookup, _three_public_lookup)
