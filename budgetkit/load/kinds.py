"""The registry of table kinds: how each is recognised and what its columns mean.

A kind is recognised by words in its title (the longest matching alias wins, so
'财政拨款收入支出决算总表' is not taken for '收入支出决算总表'), and confirmed by
words in its header. Column headers map to canonical measures by token, most
specific first, so '本年支出/基本支出' becomes ``basic``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from budgetkit.model import TableKind


class Layout(str, Enum):
    TWO_SIDED = "two_sided"      # 收入 block left, 支出 block right, lines by label
    CLASSIFIED = "classified"    # rows by 科目编码, columns by measure
    SHARES = "shares"            # working sheet: label | 金额 | 占比


@dataclass(frozen=True)
class KindSpec:
    kind: TableKind
    layout: Layout
    aliases: tuple[str, ...]
    header_tokens: tuple[str, ...]
    measures: tuple[tuple[str, tuple[str, ...]], ...]


INCOME_MEASURES = (
    ("fiscal", ("财政拨款收入", "财政拨款")),
    ("superior_subsidy", ("上级补助收入",)),
    ("operating", ("经营收入",)),
    ("business", ("事业收入",)),
    ("affiliated", ("附属单位上缴收入",)),
    ("other", ("其他收入",)),
    ("total", ("本年收入合计", "收入合计", "合计")),
)

EXPENDITURE_MEASURES = (
    ("basic", ("基本支出",)),
    ("project", ("项目支出",)),
    ("to_superior", ("上缴上级支出",)),
    ("to_subsidiary", ("对附属单位补助支出",)),
    ("operating", ("经营支出",)),
    ("total", ("本年支出合计", "支出合计", "合计")),
)

AMOUNT_TOKENS = ("决算数", "预算数", "金额", "数额", "执行数", "本年数", "万元", "元")
SHARE_TOKENS = ("占比", "比重", "构成", "百分比", "比例", "%")

SPECS = (
    KindSpec(
        TableKind.SUMMARY, Layout.TWO_SIDED,
        aliases=("收入支出决算总表", "收支决算总表", "收入支出决算表"),
        header_tokens=("项目",),
        measures=(("amount", AMOUNT_TOKENS),),
    ),
    KindSpec(
        TableKind.INCOME, Layout.CLASSIFIED,
        aliases=("收入决算表",),
        header_tokens=("财政拨款收入",),
        measures=INCOME_MEASURES,
    ),
    KindSpec(
        TableKind.EXPENDITURE, Layout.CLASSIFIED,
        aliases=("支出决算表",),
        header_tokens=("基本支出", "项目支出"),
        measures=EXPENDITURE_MEASURES,
    ),
)

SHARES_SPEC = KindSpec(
    TableKind.SHARES, Layout.SHARES,
    aliases=(),
    header_tokens=(),
    measures=(("share", SHARE_TOKENS), ("amount", AMOUNT_TOKENS)),
)

# Titles of standard tables budgetkit does not load yet: recognised so that a
# sheet holding one is reported by name rather than as "no table found", and so
# their titles are not mistaken for a shorter alias above.
KNOWN_UNLOADED_TITLES = (
    "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款收入支出决算表",
    "一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款基本支出决算明细表",
    "三公\"经费支出决算表", "政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款支出决算表",
    "国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表",
)


def match_title(text: str) -> tuple[KindSpec | None, str]:
    """The kind whose longest alias occurs in ``text`` ('' when a known unloaded title wins)."""
    best: tuple[int, KindSpec | None, str] = (0, None, "")
    for spec in SPECS:
        for alias in spec.aliases:
            if alias in text and len(alias) > best[0]:
                best = (len(alias), spec, alias)
    for title in KNOWN_UNLOADED_TITLES:
        if title in text and len(title) > best[0]:
            best = (len(title), None, title)
    return best[1], best[2]


def measure_for(spec: KindSpec, header_path: str) -> str | None:
    """The canonical measure a column header names, judged by its deepest level first."""
    levels = [level for level in header_path.split("/") if level]
    for level in reversed(levels):
        for measure, tokens in spec.measures:
            if any(token in level for token in tokens):
                return measure
    return None
