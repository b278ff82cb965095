"""Reconcile stage: group tables by department, run every rule, dress findings.

Rules yield bare discrepancies; here each becomes a ``Finding`` with the rule's
severity (or ``info`` when rounding explains the gap) and its Chinese message.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, NamedTuple

from budgetkit.cells import position
from budgetkit.load.kinds import SPECS
from budgetkit.text import normalize
from budgetkit.config import DISABLED_REASON, RulePolicy
from budgetkit.money import fmt_amount
from budgetkit.model import AcceptedFinding, Finding, Severity, Table
from budgetkit.rules import CATALOG, Context, Discrepancy, Group, Rule
from budgetkit.rules.narrative import group_of
from budgetkit.subjects import SubjectList, builtin
from budgetkit.tolerance import Tolerance, Verdict

if TYPE_CHECKING:
    from budgetkit.load.narrative import Narrative

NO_TEXT = "缺少报告文字（.txt/.docx）"
_PARAGRAPH = re.compile(r"第(\d+)段")
UNKNOWN_NOTE = "涉及未填列或无法识别的数字，未核对"
ROUNDING_NOTE = "差额在取整误差允许范围（±{envelope}）内，属尾差（各数分别四舍五入所致），可能为取整误差。"


@dataclass(frozen=True)
class Coverage:
    """Whether a rule ran; a rule whose input tables are absent did not pass."""

    rule: Rule
    ran: bool
    reason: str
    findings: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reconciliation:
    findings: list[Finding]
    coverage: list[Coverage]
    accepted: list[AcceptedFinding] = field(default_factory=list)
    groups: tuple[Group, ...] = ()
    text_groups: dict[str, str] = field(default_factory=dict)  # report text file -> its department's group


GroupKey = tuple[str, "str | None", "int | None"]  # folder, 部门, year


def group_tables(tables: Iterable[Table]) -> tuple[Group, ...]:
    """One group per folder, 部门 and year, so cross-table rules never pair two
    departments or two years.

    A table is known by its 部门 line (or its workbook's) and by the department its
    file name gives (区民政局2024年部门决算.xlsx). Two 部门 lines are one department only
    when they are the same: a department and its subordinate unit (…城市管理局 and
    …城市管理局信息中心) each have their own. A file name names the department of a
    workbook that prints no 部门 line when it equals another file's name or lies inside
    a 部门 line (区民政局 in 上海市普陀区民政局). A table with no name at all (a staff
    working sheet) joins the only group of its folder that agrees with the year it
    names; where several departments could be its home, it stays apart."""
    tables = list(tables)
    line_of_file: dict[str, str] = {}
    for table in tables:
        if table.department:
            line_of_file.setdefault(table.file, table.department)
    names = {id(t): _Names(t.department or line_of_file.get(t.file), department_in_name(t.file)) for t in tables}
    department = _departments(tables, names)
    by_key: dict[GroupKey, list[Table]] = defaultdict(list)
    for table in tables:
        by_key[(_folder(table), department.get(id(table)), table.year)].append(table)
    unplaced = set()
    for key in [k for k in by_key if None in k[1:]]:
        homes = [k for k in by_key if k[0] == key[0] and None not in k[1:]
                 and all(mine is None or mine == theirs for mine, theirs in zip(key[1:], k[1:]))]
        if len(homes) == 1:
            by_key[homes[0]].extend(by_key.pop(key))
        elif len({home[1] for home in homes}) > 1 and key[1] is None:
            unplaced.add(key)
    return tuple(Group(_group_name(key), tuple(members), key in unplaced) for key, members in by_key.items())


class _Names(NamedTuple):
    line: str | None  # the 部门 line
    in_file_name: str | None


@dataclass
class _Department:
    folder: str
    lines: set[str]
    file_names: set[str]
    tables: list[int]

    def takes(self, names: _Names) -> bool:
        if names.line and self.lines:
            return names.line in self.lines
        if names.in_file_name in self.file_names:
            return True
        if names.line:
            return any(name in names.line for name in self.file_names)
        return names.in_file_name is not None and any(names.in_file_name in line for line in self.lines)

    @property
    def name(self) -> str:
        return min(self.lines) if self.lines else max(sorted(self.file_names), key=len)


def _departments(tables: list[Table], names: dict[int, _Names]) -> dict[int, str]:
    """Each named table's department, built up table by table: a table joins every
    department of its folder that takes its names (and they become one), except where
    that would put two different 部门 lines together."""
    departments: list[_Department] = []
    for table in tables:
        own = names[id(table)]
        if not (own.line or own.in_file_name):
            continue
        joined = [d for d in departments if d.folder == _folder(table) and d.takes(own)]
        lines = {line for d in joined for line in d.lines} | ({own.line} if own.line else set())
        if len(lines) > 1:  # a file name that fits several departments joins none of them
            joined = [d for d in joined if not d.lines]
            lines = set()
        file_names = {own.in_file_name} if own.in_file_name else set()
        merged = _Department(_folder(table), lines, file_names.union(*(d.file_names for d in joined)),
                             [id(table)] + [i for d in joined for i in d.tables])
        departments = [d for d in departments if all(d is not j for j in joined)] + [merged]
    return {table_id: d.name for d in departments for table_id in d.tables}


def _folder(table: Table) -> str:
    return str(PurePosixPath(table.file).parent)


# What a file name says besides its department: years, stages, table titles, versions.
_NOT_A_DEPARTMENT = re.compile(
    "|".join(sorted({re.escape(a) for spec in SPECS for a in spec.aliases} | {
        "部门决算", "部门预算", "单位决算", "单位预算", "决算", "预算", "信息公开", "公开", "报表", "附件", "附表", "表格",
        "修改后", "修改", "最终版", "最终", "定稿", "送审稿", "批复", "测算表", "测算", "工作表", "收支构成", "收支",
        "构成", "整体绩效自评报告", "绩效自评", "自评", "报告", "说明", "副本", "年度", "年", "表", "版", "稿", "区级"},
        key=len, reverse=True))
    + r"|(?:19|20)\d{2}|[\d\s_\-—()（）\[\]【】.、]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _group_name(key: GroupKey) -> str:
    folder, department, year = key
    return " ".join(str(part) for part in (department or folder, year) if part)


def department_in_name(file: str) -> str | None:
    """The department a file name gives, if any: '区民政局2024年部门决算.xlsx' -> '区民政局'."""
    rest = _NOT_A_DEPARTMENT.sub("", normalize(PurePosixPath(file).stem))
    return rest if len(_CJK.findall(rest)) >= 2 else None


def reconcile(tables: list[Table], tolerance: Tolerance = Tolerance(),
              rules: Iterable[Rule] = CATALOG.values(), policy: RulePolicy = RulePolicy(),
              subjects: SubjectList | None = None, narratives: tuple[Narrative, ...] = ()) -> Reconciliation:
    context = Context(group_tables(tables), tolerance, subjects or builtin(), narratives)
    findings, coverage = [], []
    for rule in map(policy.applied_to, rules):
        if rule.code in policy.disabled:
            coverage.append(Coverage(rule, False, DISABLED_REASON, 0))
            continue
        missing = _missing_inputs(rule, context)
        if missing:
            coverage.append(Coverage(rule, False, missing, 0))
            continue
        found = [_finding(rule, d) for d in _judged(rule, context)]
        findings.extend(found)
        coverage.append(Coverage(rule, True, "", len(found), tuple(context.notes.get(rule.code, ()))))
    findings.sort(key=_order)
    still_open, accepted = policy.sort_out(findings)
    text_groups = {n.file: g.name for n in narratives if (g := group_of(n, context.groups)) is not None}
    return Reconciliation(still_open, coverage, accepted, context.groups, text_groups)


def _missing_inputs(rule: Rule, context: Context) -> str:
    if rule.narrative:
        if not any(n.paragraphs for n in context.narratives):
            return NO_TEXT
        if not rule.tables:
            return ""
    present = [{t.kind for t in g.tables} for g in context.groups]
    if rule.cross_table:
        if any(set(rule.tables) <= kinds for kinds in present):
            return ""
        have = set().union(*present) if present else set()
        lacking = [k.title for k in rule.tables if k not in have]
        return ("缺少" + "、".join(lacking)) if lacking else "所需各表不属于同一部门"
    if any(kind in kinds for kinds in present for kind in rule.tables):
        return ""
    return "缺少" + "或".join(k.title for k in rule.tables)


def _judged(rule: Rule, context: Context) -> Iterator[Discrepancy]:
    """The rule's discrepancies; one that rests on an unknown figure (unreadable, or a
    breakdown the table does not state) is not a finding but a line in coverage."""
    for d in rule.check(context):
        if d.verdict == Verdict.UNKNOWN:
            context.note(rule.code, f"{d.item}（{d.ref.sheet}!{d.ref.cell}）{UNKNOWN_NOTE}")
        else:
            yield d


def _finding(rule: Rule, d: Discrepancy) -> Finding:
    rounding = d.verdict == Verdict.ROUNDING
    expected_decimals = max(d.decimals, 2)
    fields = {
        "item": d.item, "unit": d.unit,
        "stated": fmt_amount(d.stated, d.decimals if d.unit == "%" else expected_decimals),
        "expected": fmt_amount(d.expected, expected_decimals),
        "difference": fmt_amount(_difference(d), expected_decimals, signed=True),
        "excess": fmt_amount(abs(_difference(d) or 0), expected_decimals), **d.fields,
    }
    message = rule.message.format(**fields)
    if rounding:
        message += ROUNDING_NOTE.format(envelope=_plain(d.envelope) + d.unit)
    return Finding(
        rule=rule.code, severity=Severity.INFO if rounding else rule.severity, ref=d.ref, item=d.item,
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
