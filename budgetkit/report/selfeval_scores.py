"""The 自评得分 table of the 报告用表: one row per 绩效自评表 of a department (部门整体
first, then each project): 分值, 得分 and 等级 as the forms give them.

A form that prints no 等级 gets the grade of its 总分 under the default bands, and the
table says so beneath it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from budgetkit.model import GradeBands, RunResult, SelfEvalForm, TableKind
from budgetkit.rules.selfeval import DEFAULT_BANDS, form_score, form_weight

CAPTION = "自评得分"
HEADER = ("项目", "分值", "得分", "等级")
WHOLE = "部门整体支出"
INFERRED_NOTE = "注：{projects}的自评表未填等级，按总分和等级标准（{bands}）推定。"


@dataclass(frozen=True)
class ScoreRow:
    project: str
    weight: Decimal | None
    score: Decimal | None
    grade: str


@dataclass(frozen=True)
class ScoreTable:
    department: str
    year: int | None
    rows: tuple[ScoreRow, ...]
    notes: tuple[str, ...] = ()


def score_tables(result: RunResult, bands: GradeBands = DEFAULT_BANDS) -> tuple[ScoreTable, ...]:
    tables = []
    for group in result.groups:
        forms = [f for kind in (TableKind.DEPARTMENT_SELF_EVAL, TableKind.PROJECT_SELF_EVAL)
                 for f in group.of(kind) if isinstance(f, SelfEvalForm)]
        if not forms:
            continue
        rows, inferred = [], []
        for form in forms:
            score = form_score(form)
            grade = form.grade.text if form.grade is not None else (bands.grade(score) if score is not None else "")
            project = WHOLE if form.kind == TableKind.DEPARTMENT_SELF_EVAL else form.project or form.sheet
            if form.grade is None and score is not None:
                inferred.append(project)
            rows.append(ScoreRow(project, form_weight(form), score, grade))
        notes = (INFERRED_NOTE.format(projects="、".join(inferred), bands=bands.describe()),) if inferred else ()
        department = next((t.department for t in group.tables if t.department), "本部门")
        year = next((t.year for t in group.tables if t.year), None)
        tables.append(ScoreTable(department, year, tuple(rows), notes))
    return tuple(tables)

