"""The report text's 自评分 and 等级 against the 绩效自评表 (表文 vs 自评表).

Sentences such as "科普活动运转经费项目执行自评分为98分" or "部门整体支出自评得分95分，
等级为优" name a form by its project (or 部门整体) and state its score or grade; each is
held against the form of that project in the text's department and year.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from budgetkit.model import CellRef, GradeBands, SelfEvalForm, Severity, TableKind
from budgetkit.rules.base import Context, Discrepancy, rule
from budgetkit.rules.narrative import group_of
from budgetkit.rules.selfeval import DEFAULT_BANDS, FORM_KINDS, POINTS, form_score, forms, grade_of
from budgetkit.text import normalize
from budgetkit.tolerance import Verdict

_CLAUSE = re.compile(r"[，,；;。]")
# "自评得分", "自评综合得分" (not "自评总分", which may be the full marks), and the points stated
_SCORE_WORDS = r"自评(?:综合)?(?:得分|分数|评分|分)?"
_POINTS = r"(\d+(?:\.\d+)?)分"
_SCORE = re.compile(rf"{_SCORE_WORDS}(?:为|是|达到|达)?[:]?{_POINTS}")
# "A项目、B项目的自评得分分别为94.90分、98.00分": each name in turn with its score
_SCORES_IN_TURN = re.compile(rf"{_SCORE_WORDS}分别(?:为|是)[:]?((?:{_POINTS}[、和及与]?)+)")
_LAST_JOINED = re.compile(r"[和及与]")
_GRADE = re.compile(r"等级(?:为|是|评定为|达到)?[:]?[“\"'「]?(优秀|良好|中等|不合格|合格|较差|优|良|中|差)")
# Words around a project's name in the sentence, not part of it.
_FILLER = re.compile(r"^(?:其中|另外|此外|\d+[.、]|[(]?[一二三四五六七八九十]+[)、]|整体情况[.。]?)+"
                     r"|(?:项目)?(?:执行)?(?:的)?(?:绩效)?$")
_WHOLE = ("部门整体", "整体支出", "单位整体")


@dataclass(frozen=True)
class ScoreStatement:
    """One clause's claim about a form: the name it gives, its score and/or grade."""

    ref: CellRef
    sentence: str
    name: str
    score: Decimal | None
    grade: str | None


def statements(sentence: str, ref: CellRef) -> list[ScoreStatement]:
    found = []
    for clause in _CLAUSE.split(normalize(sentence)):
        if (in_turn := _SCORES_IN_TURN.search(clause)) is not None:
            found.extend(_in_turn(clause, in_turn, ref, sentence))
            continue
        score, grade = _SCORE.search(clause), _GRADE.search(clause)
        if not score and not grade:
            continue
        head = clause[:min(m.start() for m in (score, grade) if m)]
        name = _FILLER.sub("", re.split(r"自评|等级|评价", head)[0])
        found.append(ScoreStatement(ref, sentence.strip(), name, Decimal(score.group(1)) if score else None,
                                    grade.group(1) if grade else None))
    # "…自评分为98分，等级为优": a grade in the next clause without a name is the same form's
    for index, statement in enumerate(found[1:], start=1):
        if not statement.name and statement.score is None:
            previous = found[index - 1]
            found[index] = ScoreStatement(statement.ref, statement.sentence, previous.name, None, statement.grade)
    return found


def _in_turn(clause: str, in_turn: re.Match, ref: CellRef, sentence: str) -> list[ScoreStatement]:
    """The names before "分别为" paired with its scores in turn, parted by 、 ("A、B和C": the last two by 和, 及 or
    与, where that makes the count; a name may hold one, "科技创新与成果转化项目"); none where the counts differ."""
    scores = re.findall(_POINTS, in_turn.group(1))
    names = clause[:in_turn.start()].split("、")
    if len(names) < len(scores):
        names = names[:-1] + _LAST_JOINED.split(names[-1], maxsplit=1)
    names = [_FILLER.sub("", name) for name in names]
    if len(names) != len(scores) or not all(names):
        return []
    return [ScoreStatement(ref, sentence.strip(), name, Decimal(score), None) for name, score in zip(names, scores)]


def _form_named(name: str, candidates: list[SelfEvalForm]) -> SelfEvalForm | None:
    if any(word in name for word in _WHOLE):
        whole = [f for f in candidates if f.kind == TableKind.DEPARTMENT_SELF_EVAL]
        return whole[0] if len(whole) == 1 else None
    named = [f for f in candidates if name and f.project and (f.project in name or name in f.project)]
    if len(named) == 1:
        return named[0]
    return candidates[0] if not name and len(candidates) == 1 else None


@rule("BK710", "selfeval.text_score", "表文自评分与自评表", Severity.ERROR, FORM_KINDS,
      "{item}：文中写{what}“{said}”，自评表为“{form_value}”（{where}）。原文：“{quote}”", narrative=True)
def text_score(ctx: Context, bands: GradeBands = DEFAULT_BANDS) -> Iterator[Discrepancy]:
    """报告文字中的“自评分为X分”“等级为优”与同一项目（或部门整体）的绩效自评表一致。

    “自评得分X分”“自评为X分”“自评综合得分X分”同样核对（“自评总分”可能指满分，不读），“A项目、B项目的
    自评得分分别为X分、Y分”按顺序逐个核对；自评表没有填等级时，按其总分和等级标准判断。

    错误示例：文中“科普活动运转经费项目执行自评分为98分”，该项目自评表总分 95。
    正确示例：文中与自评表都是 98 分、等级“优”。
    """
    for narrative in ctx.narratives:
        group = group_of(narrative, ctx.groups)
        candidates = [form for g, form in forms(ctx) if g is group]
        if not candidates:
            continue
        for paragraph in narrative.paragraphs:
            for sentence in paragraph.sentences:
                for said in statements(sentence, paragraph.ref):
                    form = _form_named(said.name, candidates)
                    if form is not None:
                        yield from _compare(said, form, bands)


def _compare(said: ScoreStatement, form: SelfEvalForm, bands: GradeBands) -> Iterator[Discrepancy]:
    item = form.project or form.title
    score = form_score(form)
    where = f"{form.sheet}!{form.total_score.ref.cell}" if form.total_score is not None else form.sheet
    if said.score is not None and score is not None and said.score != score:
        yield Discrepancy(said.ref, item, said.score, score, POINTS, Verdict.MISMATCH, decimals=0,
                          related=(form.total_score.ref,) if form.total_score is not None else (),
                          fields={"what": "自评分", "said": f"{said.score}分", "form_value": f"{score.normalize():f}分",
                                  "where": where, "quote": said.sentence})
    if said.grade is None:
        return
    stated = form.grade.text if form.grade is not None else (bands.grade(score) if score is not None else None)
    if stated is not None and grade_of(said.grade) != grade_of(stated):
        ref = form.grade.ref if form.grade is not None else None
        yield Discrepancy.flag(said.ref, item, what="等级", said=said.grade, form_value=stated,
                               where=f"{ref.sheet}!{ref.cell}" if ref else f"按总分和等级标准（{bands.describe()}）",
                               quote=said.sentence)
