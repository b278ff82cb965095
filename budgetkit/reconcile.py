"""Reconcile stage: group tables by department, run every rule, dress findings.

Rules yield bare discrepancies; here each becomes a ``Finding`` with the rule's
severity (or ``info`` when rounding explains the gap) and its Chinese message.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from budgetkit.cells import position
from budgetkit.config import DISABLED_REASON, RulePolicy
from budgetkit.money import fmt_amount
from budgetkit.model import AcceptedFinding, Finding, Severity, Table, TableKind
from budgetkit.grouping import group_tables
from budgetkit.rules import CATALOG, Context, Discrepancy, Group, Rule
from budgetkit.rules.base import lacking_any
from budgetkit.rules.docs import TEXT_INPUT
from budgetkit.rules.narrative import group_of
from budgetkit.subjects import SubjectList, builtin
from budgetkit.tolerance import Tolerance, Verdict

if TYPE_CHECKING:
    from budgetkit.load.narrative import Narrative

log = logging.getLogger("budgetkit")

_PARAGRAPH = re.compile(r"第(\d+)段")
UNKNOWN_NOTE = "涉及未填列或无法识别的数字，未核对"
NO_TEXT = "缺少" + TEXT_INPUT
ROUNDING_NOTE = "差额在取整误差允许范围（±{envelope}）内，属尾差（各数分别四舍五入所致），一般无需更正。"
RULE_FAILED = "规则执行时出现意外错误（{error}），本次未完成核对，其结果未列入；加 --debug 运行可查看详细信息"


@dataclass(frozen=True)
class Coverage:
    """Whether a rule ran; a rule whose input tables are absent did not pass."""

    rule: Rule
    ran: bool
    reason: str
    findings: int
    notes: tuple[str, ...] = ()
    failed: bool = False  # the rule raised an unexpected error: ``reason`` says so


@dataclass(frozen=True)
class Reconciliation:
    findings: list[Finding]
    coverage: list[Coverage]
    accepted: list[AcceptedFinding] = field(default_factory=list)
    groups: tuple[Group, ...] = ()
    text_groups: dict[str, str] = field(default_factory=dict)  # report text file -> its department's group


def reconcile(tables: list[Table], tolerance: Tolerance = Tolerance(),
              rules: Iterable[Rule] = CATALOG.values(), policy: RulePolicy = RulePolicy(),
              subjects: SubjectList | None = None, narratives: tuple[Narrative, ...] = ()) -> Reconciliation:
    context = Context(group_tables(tables), tolerance, subjects or builtin(), narratives,
                      execution_band=policy.execution_band)
    findings, coverage = [], []
    present = [{t.kind for t in g.tables} for g in context.groups]  # each group's table kinds
    have = set().union(*present)
    for rule in map(policy.applied_to, rules):
        if rule.code in policy.disabled:
            coverage.append(Coverage(rule, False, DISABLED_REASON, 0))
            continue
        try:
            missing = _missing_inputs(rule, context, present, have)
            found = [] if missing else [_finding(rule, d) for d in _judged(rule, context)]
        except Exception as exc:  # a rule tripping over data it did not foresee costs that rule, not the run
            log.debug("规则 %s 执行出错", rule.code, exc_info=True)
            coverage.append(Coverage(rule, False, RULE_FAILED.format(error=type(exc).__name__), 0, failed=True))
            continue
        if missing:
            coverage.append(Coverage(rule, False, missing, 0))
            continue
        findings.extend(found)
        coverage.append(Coverage(rule, True, "", len(found), tuple(context.notes.get(rule.code, ()))))
    findings.sort(key=_order)
    still_open, accepted = policy.sort_out(findings)
    text_groups = {n.file: g.name for n in narratives if (g := group_of(n, context.groups)) is not None}
    return Reconciliation(still_open, coverage, accepted, context.groups, text_groups)


def _missing_inputs(rule: Rule, context: Context, present: list[set[TableKind]], have: set[TableKind]) -> str:
    """Why the rule cannot run ("" when it can); ``present``: each group's table kinds, ``have``: all of them."""
    if rule.narrative and not any(n.paragraphs for n in context.narratives):
        return NO_TEXT
    if rule.requires is not None:
        return rule.requires(context)
    if rule.narrative and not rule.tables:
        return ""
    if rule.cross_table:
        needed = set(rule.tables)
        if any(needed <= kinds for kinds in present):
            return ""
        lacking = [k.title for k in rule.tables if k not in have]
        return ("缺少" + "、".join(lacking)) if lacking else "所需各表不属于同一部门"
    if not have.isdisjoint(rule.tables):
        return ""
    return lacking_any(rule.tables)


def _judged(rule: Rule, context: Context) -> Iterator[Discrepancy]:
    """The rule's discrepancies; one that rests on an unknown figure (unreadable, or a
    breakdown the table does not state) is not a finding but a line in coverage."""
    for d in rule.check(context):
        if d.verdict == Verdict.UNKNOWN:
            context.note(rule.code, f"{d.item}（{d.ref.sheet}!{d.ref.cell}）{UNKNOWN_NOTE}")
        elif not _unseen(d):
            yield d


# Below this, a gap is a formula's binary residue (shares adding up to 0.9999999999999997), not a figure's rounding.
_FLOAT_RESIDUE = Decimal("1e-9")


def _unseen(d: Discrepancy) -> bool:
    """A gap that is only float residue: no 尾差 a reader could see, only "相差 -0.00" (and a copy of the sheet)."""
    difference = _difference(d)
    return d.verdict == Verdict.ROUNDING and difference is not None and abs(difference) < _FLOAT_RESIDUE


def _decimals_shown(d: Discrepancy) -> int:
    return d.decimals if d.unit == "%" else max(d.decimals, 2)


def _finding(rule: Rule, d: Discrepancy) -> Finding:
    rounding = d.verdict == Verdict.ROUNDING
    expected_decimals = max(d.decimals, 2)
    item = d.item.rstrip(":：")  # a label printed with its colon ('年度资金总额：'): the message puts its own
    fields = {
        "item": item, "unit": d.unit,
        "stated": fmt_amount(d.stated, _decimals_shown(d)),
        "expected": fmt_amount(d.expected, expected_decimals),
        "difference": fmt_amount(_difference(d), expected_decimals, signed=True),
        "excess": fmt_amount(abs(_difference(d) or 0), expected_decimals), **d.fields,
    }
    message = rule.message.format(**fields)
    if rounding:
        message += ROUNDING_NOTE.format(envelope=_plain(d.envelope) + d.unit)
    return Finding(
        rule=rule.code, severity=Severity.INFO if rounding else rule.severity, ref=d.ref, item=item,
        message=message, stated=d.stated, expected=d.expected, unit=d.unit, related=d.related,
    )


def _difference(d: Discrepancy) -> Decimal | None:
    return None if d.stated is None or d.expected is None else d.stated - d.expected


def _plain(value: Decimal) -> str:
    """An envelope at its own precision: 0.135 stays 0.135, never rounded to 0.14 (or 0.005 to 0.00)."""
    return format(value.quantize(Decimal("0.000001")).normalize(), "f")


def _order(f: Finding) -> tuple:
    return f.severity.rank, f.ref.file, f.ref.sheet, _place(f.ref.cell), f.rule


def _place(cell: str) -> tuple[int, int]:
    """A1 addresses in sheet order; a report text's "第N段" in paragraph order."""
    paragraph = _PARAGRAPH.fullmatch(cell)
    return (int(paragraph.group(1)), 0) if paragraph else position(cell)
