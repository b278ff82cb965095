"""The registry of table kinds: how each is recognised and what its columns mean.

A kind is recognised by words in its title (the longest matching alias wins, so
'财政拨款收入支出决算总表' is not taken for '收入支出决算总表'; quote marks are no part
of a title's words, so “三公”, ‘三公’, 「三公」 and a bare 三公 match alike), and confirmed by
words in its header. Column headers map to canonical measures by token, most
specific first, so '本年支出/基本支出' becomes ``basic``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from budgetkit.lines import IMPLIED_GROUPS
from budgetkit.model import Stage, TableKind


class Layout(str, Enum):
    TWO_SIDED = "two_sided"      # 收入 block left, 支出 block right, lines by label
    CLASSIFIED = "classified"    # rows by 科目编码, columns by measure
    BLOCKS = "blocks"            # code | name | amount blocks side by side (基本支出表: 人员 | 公用)
    SINGLE_ROW = "single_row"    # one body row under a deep header ("三公" 经费)
    SHARES = "shares"            # working sheet: label | 金额 | 占比
    RATES = "rates"              # working sheet: label | 预算数 | 执行数 | 执行率
    FORM = "form"                # 绩效自评表: 资金 block and 指标 block (load/forms.py)


@dataclass(frozen=True)
class KindSpec:
    kind: TableKind
    layout: Layout
    aliases: tuple[str, ...]
    measures: tuple[tuple[str, tuple[str, ...]], ...]

    def __hash__(self) -> int:  # by kind alone: a spec is a cache key, and hashing its word lists costs more
        return hash(self.kind)


AMOUNT_TOKENS = ("决算数", "预算数", "金额", "数额", "执行数", "本年数", "万元", "元")
SHARE_TOKENS = ("占比", "比重", "构成", "百分比", "比例", "%")

# A 财政拨款 income split by fund (一般公共预算拨款收入 | 政府性基金预算拨款收入 | …) names the
# fund before 财政拨款 can take it: the funds are the parts of 财政拨款收入 (IMPLIED_GROUPS).
INCOME_MEASURES = (
    ("general_budget", ("一般公共预算",)),
    ("gov_fund", ("政府性基金",)),
    ("state_capital", ("国有资本经营",)),
    ("opening", ("上年结转",)),
    # Yunnan's 单位资金 {非同级财政拨款 | 其他收入}: money from another level's finance, no 财政拨款 of this budget
    ("non_local_fiscal", ("非同级财政拨款",)),
    ("fiscal", ("财政拨款收入", "财政拨款")),
    ("superior_subsidy", ("上级补助收入",)),
    ("operating", ("经营收入",)),
    ("business", ("事业收入",)),
    ("affiliated", ("附属单位上缴收入",)),
    ("other", ("其他收入",)),
    ("special_account", ("财政专户管理资金",)),  # budget 收入总表s: 财政专户管理资金收入
    ("total", ("本年收入合计", "收入合计", "合计")),
)

EXPENDITURE_MEASURES = (
    ("personnel", ("人员经费",)),
    ("public", ("公用经费",)),
    ("basic", ("基本支出",)),
    ("project", ("项目支出",)),
    ("to_superior", ("上缴上级支出",)),
    ("to_subsidiary", ("对附属单位补助支出", "对下级单位补助支出")),  # central and Sichuan 支出总表 say 下级单位
    ("operating", ("经营支出",)),
    ("total", ("本年支出合计", "支出合计", "合计", "小计")),
)

# The budgets a 决算 table may print beside its 决算数, whatever its kind: 年初预算数, 调整预算数
# (older, ≤2018, 决算) or a bare 预算数; also as a group of columns, 预算数 {合计 | 基本支出 | 项目支出}.
# A fund's name (一般公共预算) is no budget figure: only these words are.
_BUDGET_WORDS = (("planned", ("年初预算",)), ("adjusted", ("调整预算", "调整后预算", "全年预算")), ("budget", ("预算数",)))

# Fiscal-fund tables: optional carry-over columns around the 本年支出 group. Older (≤2018)
# 决算 print the year's budget beside the 决算数 (年初预算数 | 调整预算数 | 决算数): those are
# the budgets, read before "年初" can take 年初预算数 for the 年初 carry-over.
FUND_MEASURES = (
    *(entry for entry in _BUDGET_WORDS if entry[0] in ("planned", "adjusted")),
    ("opening", ("年初结转和结余", "年初", "上年结转")),
    ("closing", ("年末结转和结余", "年末", "结转下年")),
    ("income", ("本年收入",)),
    ("personnel", ("人员经费",)),
    ("public", ("公用经费",)),
    ("basic", ("基本支出",)),
    ("project", ("项目支出",)),
    ("total", ("本年支出合计", "合计", "小计", "本年支出")),
)

# A 总表's one amount column per side; some budget 收支总表 split 支出 into 合计 | 基本支出
# (人员经费 | 公用经费) | 项目支出.
SUMMARY_COLUMNS = (
    ("personnel", ("人员经费",)),
    ("public", ("公用经费",)),
    ("basic", ("基本支出",)),
    ("project", ("项目支出",)),
    ("total", ("合计", "小计")),
    ("amount", AMOUNT_TOKENS),
)

FISCAL_COLUMNS = (
    ("general_budget", ("一般公共预算",)),
    ("gov_fund", ("政府性基金",)),
    ("state_capital", ("国有资本经营",)),
    ("total", ("合计",)),
    ("amount", AMOUNT_TOKENS),
)

ECONOMIC_MEASURES = (
    ("personnel", ("人员经费",)),
    ("public", ("公用经费",)),
    ("total", ("合计",)),
    ("amount", AMOUNT_TOKENS),
)

# "三公" columns are item × stage; the item is read here, the stage from 预算数/决算数.
THREE_PUBLIC_ITEMS = (
    ("operating_costs", ("机关运行经费",)),
    ("car_total", ("小计", "购置及运行")),
    ("car_purchase", ("购置费", "购置")),  # under 公务用车购置及运行维护费, a bare 购置 (or 公务用车购置) is the purchase
    ("car_operation", ("运行",)),
    ("abroad", ("出国",)),
    ("reception", ("接待",)),
    # the whole, however a vertical table names it: "合计", "一、“三公”经费支出", "三公经费"
    ("total", ("合计", "三公")),
)

SPECS = (
    KindSpec(TableKind.SUMMARY, Layout.TWO_SIDED,
             ("收入支出决算总表", "收支决算总表", "收入支出决算表"), SUMMARY_COLUMNS),
    # Chongqing's 部门收入决算总表 / 部门支出决算总表, as the budget side's 收入预算总表 / 支出预算总表
    KindSpec(TableKind.INCOME, Layout.CLASSIFIED, ("收入决算表", "收入决算总表"), INCOME_MEASURES),
    KindSpec(TableKind.EXPENDITURE, Layout.CLASSIFIED, ("支出决算表", "支出决算明细表", "支出决算总表"),
             EXPENDITURE_MEASURES),
    KindSpec(TableKind.FISCAL_SUMMARY, Layout.TWO_SIDED,
             ("财政拨款收入支出决算总表", "财政拨款收支决算总表"), FISCAL_COLUMNS),
    KindSpec(TableKind.GP_EXPENDITURE, Layout.CLASSIFIED,
             ("一般公共预算财政拨款支出决算表", "一般公共预算财政拨款收入支出决算表",
              "一般公共预算财政拨款支出决算明细表"), FUND_MEASURES),
    KindSpec(TableKind.BASIC_EXPENDITURE, Layout.CLASSIFIED,
             # not a bare 基本支出决算（明细）表: the internal 财决05-1 of that title is all funds' 基本支出
             ("一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款基本支出决算明细表", "财政拨款基本支出决算明细表",
              "财政拨款基本支出决算表"), ECONOMIC_MEASURES),
    KindSpec(TableKind.THREE_PUBLIC, Layout.SINGLE_ROW,
             ("三公经费支出决算表", "三公经费决算表", "三公经费支出情况表", "三公经费情况表",
              "一般公共预算财政拨款三公经费支出决算表",
              # Yunnan's 财政拨款“三公”经费、行政参公单位机关运行经费情况表 (domain.md 1.0)
              "三公经费、行政参公单位机关运行经费情况表"), ()),
    KindSpec(TableKind.GOV_FUND, Layout.CLASSIFIED,
             ("政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款支出决算表", "政府性基金预算财政拨款收支决算表"),
             FUND_MEASURES),
    KindSpec(TableKind.STATE_CAPITAL, Layout.CLASSIFIED,
             ("国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表",
              "国有资本经营预算财政拨款收支决算表"), FUND_MEASURES),
    KindSpec(TableKind.BUDGET_SUMMARY, Layout.TWO_SIDED,
             ("部门收支总表", "财务收支预算总表", "部门收支预算总表", "收支预算总表", "收入支出预算总表", "收支总表",
              # the 2016 财政部 sample tables' "…总体情况表"
              "部门收支总体情况表", "收支总体情况表"), SUMMARY_COLUMNS),
    KindSpec(TableKind.BUDGET_INCOME, Layout.CLASSIFIED,
             ("部门收入总表", "收入预算总表", "部门收入预算表", "收入总表", "部门收入总体情况表", "收入总体情况表"), INCOME_MEASURES),
    KindSpec(TableKind.BUDGET_EXPENDITURE, Layout.CLASSIFIED,
             ("部门支出总表", "支出预算总表", "部门支出预算表", "支出总表", "部门支出总体情况表", "支出总体情况表"),
             EXPENDITURE_MEASURES),
    KindSpec(TableKind.BUDGET_FISCAL_SUMMARY, Layout.TWO_SIDED,
             ("财政拨款收支总表", "财政拨款收支预算总表", "财政拨款收支总体情况表"), FISCAL_COLUMNS),
    KindSpec(TableKind.BUDGET_GP_EXPENDITURE, Layout.CLASSIFIED,
             ("一般公共预算支出表", "一般公共预算支出功能分类预算表", "一般公共预算支出预算表",
              "一般公共预算财政拨款支出预算表", "一般公共预算财政拨款支出表", "一般公共预算支出明细表",
              "一般公共预算支出情况表"), FUND_MEASURES),
    KindSpec(TableKind.BUDGET_BASIC, Layout.CLASSIFIED,
             ("一般公共预算基本支出表", "一般公共预算基本支出部门预算经济分类预算表", "一般公共预算基本支出预算表",
              "基本支出预算表", "一般公共预算财政拨款基本支出表", "一般公共预算基本支出明细表",
              "一般公共预算基本支出情况表", "一般公共预算基本支出经济分类表"), ECONOMIC_MEASURES),
    # Like the other budget tables, a budget "三公" title may name no stage: Guizhou's
    # 一般公共预算“三公”经费支出表 (a 决算 title always says 决算, or 情况).
    KindSpec(TableKind.BUDGET_THREE_PUBLIC, Layout.SINGLE_ROW,
             ("三公经费预算表", "三公经费和机关运行经费预算表", "三公经费支出预算表", "三公经费支出表",
              "一般公共预算三公经费支出表", "财政拨款三公经费预算表", "三公经费及机关运行经费预算表",
              "三公经费支出预算情况表"), ()),
    KindSpec(TableKind.BUDGET_GOV_FUND, Layout.CLASSIFIED,
             ("政府性基金预算支出表", "政府性基金预算支出功能分类预算表", "政府性基金预算支出预算表", "政府性基金收支表",
              "政府性基金预算收支表", "政府性基金预算支出情况表", "政府性基金预算收入支出表"), FUND_MEASURES),
    KindSpec(TableKind.BUDGET_STATE_CAPITAL, Layout.CLASSIFIED,
             ("国有资本经营预算支出表", "国有资本经营预算支出功能分类预算表", "国有资本经营预算支出预算表",
              "国有资本经营预算收支表", "国有资本经营预算支出情况表"),
             FUND_MEASURES),
    KindSpec(TableKind.PROJECT_SELF_EVAL, Layout.FORM,
             ("项目支出绩效自评表", "项目绩效自评表", "项目支出绩效目标自评表"), ()),
    KindSpec(TableKind.DEPARTMENT_SELF_EVAL, Layout.FORM,
             ("部门整体支出绩效自评表", "部门整体绩效自评表", "部门(单位)整体支出绩效自评表", "单位整体支出绩效自评表",
              "部门整体支出绩效目标自评表"), ()),
)

SHARES_SPEC = KindSpec(TableKind.SHARES, Layout.SHARES, (), (("share", SHARE_TOKENS), ("amount", AMOUNT_TOKENS)))
# A staff sheet of budget execution: the rate's heading names 执行 or 完成 (执行率, 完成预算比例, 预算完成率).
RATE_TOKENS = ("执行率", "完成率", "完成比例", "完成预算比例", "执行进度", "完成预算的比例")
RATES_SPEC = KindSpec(TableKind.EXECUTION_RATES, Layout.RATES, (),
                      (("rate", RATE_TOKENS), ("actual", ("决算数", "执行数", "实际支出", "支出数", "完成数", "实际数")),
                       ("budget", ("预算数", "调整预算", "年初预算", "全年预算"))))


# Quote marks around a word in a (normalised) title: curly quotes are straight by then.
_QUOTES = str.maketrans("", "", "\"'「」『』〝〞〃")


# Words that narrow a table to some of the money: a fund, 财政拨款, or a part of the spending.
# '政府性基金预算' before '财政拨款' is one word with its 预算, as the titles print it.
_SCOPE_WORDS = ("一般公共预算", "政府性基金预算", "政府性基金", "国有资本经营预算", "国有资本经营", "财政拨款",
                "基本", "项目")
_FUNDS = ("一般公共预算", "政府性基金", "国有资本经营")


def _own_scope(spec: KindSpec) -> frozenset[str]:
    """The scope words a kind's own titles may print: those its titles do; 财政拨款 too for a table of one
    fund's money, which is all 财政拨款 ('一般公共预算财政拨款基本支出预算表'); any for a 绩效自评表, whose
    project or department its title names ('财政拨款项目支出绩效自评表')."""
    if spec.layout == Layout.FORM:
        return frozenset(_SCOPE_WORDS)
    words = {w for w in _SCOPE_WORDS if any(w in t for t in (spec.kind.title, *spec.aliases))}
    return frozenset(words | ({"财政拨款"} if words & set(_FUNDS) else set()))


# The scope words each kind's own titles print: any other one before an alias names another table.
_OWN_SCOPE = {spec.kind: _own_scope(spec) for spec in SPECS}


def match_title(text: str) -> KindSpec | None:
    """The kind whose longest alias occurs in ``text``, its quote marks left out. A budget
    alias that names no stage ('三公经费支出表') names no table in a title that says 决算;
    one that says 预算 still does ('部门收支预算总表（含2022年决算数）'). An alias right after
    a scope word its kind never prints names a narrower table, not this one: Sichuan's
    财政拨款支出决算明细表 is no 支出决算表 (all funds), a 政府性基金预算财政拨款“三公”经费支出决算表
    no 财政拨款“三公”经费 table, a 项目支出决算表 no 支出决算表."""
    return _title_match(text)[0]


def names_a_narrower_table(text: str) -> bool:
    """Whether ``text`` titles a narrower table (see match_title): a table budgetkit does not
    read, but one all the same, where the table before it ends."""
    spec, narrower = _title_match(text)
    return spec is None and narrower


@lru_cache(maxsize=1 << 12)  # every text above a table's body is tried; the same ones recur in every workbook
def _title_match(text: str) -> tuple[KindSpec | None, bool]:
    """The kind a title names, and whether an alias in it names a narrower table."""
    text = text.translate(_QUOTES)
    final = "决算" in text
    found = sorted(((alias, at, spec) for spec in SPECS for alias in spec.aliases
                    if (at := text.find(alias)) >= 0
                    and not (final and spec.kind.stage == Stage.BUDGET and "预算" not in alias)),
                   key=lambda match: -len(match[0]))
    narrower: list[range] = []  # where an alias names a narrower table: no shorter alias inside it names one
    for alias, at, spec in found:
        if any(at in span for span in narrower):
            continue
        if _scope_before(text[:at]) <= _OWN_SCOPE[spec.kind] and not _ITEM_BEFORE.search(text[:at]):
            return spec, bool(narrower)
        narrower.append(range(at, at + len(alias)))
    return None, bool(narrower)


# An item of spending named right before an alias makes a table of that item: 机关运行经费支出决算表,
# 会议费、培训费支出决算表 are no 支出决算表.
_ITEM_BEFORE = re.compile(r"费[、和及与]?$")


def _scope_before(prefix: str) -> set[str]:
    """The scope words that end ``prefix`` (the title's words before an alias), read back to front."""
    words = set()
    while found := next((w for w in _SCOPE_WORDS if prefix.endswith(w)), None):
        words.add(found)
        prefix = prefix[:-len(found)]
    return words


@lru_cache(maxsize=1 << 12)  # the same headings and row labels recur in every workbook
def three_public_item(text: str) -> str | None:
    """The "三公" item a column heading or a row label names, judged by its deepest level first."""
    for level in reversed(text.split("/")):
        for item, tokens in THREE_PUBLIC_ITEMS:
            if any(token in level for token in tokens):
                return item
    return None


def items_across(header_paths: dict[int, str]) -> bool:
    """Whether a "三公" header names the items across its columns (合计 | 因公出国（境）费 …);
    if not, the table is printed vertically: an item per row, a stage (预算数 | 决算数) per column."""
    return len({three_public_item(path) for path in header_paths.values()} - {None}) >= 2


# The heading of a group's own total column: '基本支出/小计', '财政拨款收入/合计'.
GROUP_TOTAL_WORDS = ("小计", "合计")
# Headings above a 合计 that name no group of columns: a banner of the row's own measure
# ('本年支出/合计') or of the figures' stage ('支出决算数/合计').
_NO_GROUP = (None, "total", "amount")

# Groups whose sub-columns are parts of the group, never this year's spending: '年初结转和结余/基本支出'
# is the carry-over of basic spending (``opening.basic``), not the 基本支出 that '本年支出/基本支出' prints;
# and none of them is a part of the row's 合计.
CARRY_GROUPS = ("opening", "closing", "income")

BUDGET_MEASURES = tuple(measure for measure, _ in _BUDGET_WORDS)
_BUDGET_WORD = re.compile("|".join(f"{token}数?" for _, tokens in _BUDGET_WORDS for token in tokens))


@lru_cache(maxsize=1 << 12)  # the same headings recur in every workbook
def measure_for(spec: KindSpec, header_path: str) -> str | None:
    """The canonical measure a column header names, judged by its deepest level first.

    A group's own 小计 is the group's total: '基本支出/小计' is ``basic``, not the row's 合计.
    In a 决算 table a column under a budget group is that budget, never a 决算 measure:
    '年初预算数/合计' is ``planned``, '预算数/基本支出' (or '预算数基本支出') the part ``budget.basic``
    of a bare 预算数, and a 总表's '年初预算数' column beside its '决算数' is ``planned``, not its amount.
    Likewise a column under a carry-over or income group is that group's part: '年初结转和结余/基本支出'
    is ``opening.basic``."""
    levels = _placing_levels(spec, header_path)
    budget = next((b for level in levels if (b := _budget_named(level))), None) \
        if spec.kind.stage == Stage.FINAL else None
    if budget is not None:  # what the column is a budget of: '年初预算数基本支出' (one heading row) too
        levels = [_BUDGET_WORD.sub("", level) for level in levels]
    named = [_level_measure(spec, level) for level in levels]
    own = next((m for m in reversed(named) if m), None)
    if named and (named[-1] == "total" or levels[-1] in GROUP_TOTAL_WORDS):
        own = next((m for m in reversed(named[:-1]) if m not in _NO_GROUP), None) or named[-1]
    if budget is None:
        # at any depth above it: '年初结转和结余/基本支出/人员经费' is the carry-over's too
        group = next((m for m in named[:-1] if m in CARRY_GROUPS), None)
        return f"{group}.{own}" if group is not None and own not in _NO_GROUP and own != group else own
    return budget if own in _NO_GROUP else f"{budget}.{own}"


def _budget_named(level: str) -> str | None:
    """The budget a heading names (年初预算数 -> ``planned``), None for a 决算 heading."""
    if "决算" in level:
        return None
    return next((measure for measure, tokens in _BUDGET_WORDS if any(token in level for token in tokens)), None)


def group_of(spec: KindSpec, header_path: str) -> str | None:
    """The measure of the nearest heading above a column's own that names one ('基本支出' over
    '基本支出/人员经费'); the column is a part of that group unless it is the group's own total."""
    levels = _placing_levels(spec, header_path)[:-1]
    return next((m for level in reversed(levels) if (m := _level_measure(spec, level))), None)


def placing_path(spec: KindSpec, header_path: str) -> str:
    """A column's header path without the amount word under it, where the kind names no measure
    by it: a 决算数 (预算数, 金额) row under every column says nothing of where a column stands among
    the groups ('年初结转和结余/基本支出/决算数' is '年初结转和结余/基本支出')."""
    return "/".join(_placing_levels(spec, header_path))


def _placing_levels(spec: KindSpec, header_path: str) -> list[str]:
    levels = [level for level in header_path.split("/") if level]
    end = len(levels)
    while end > 1 and _places_nothing(spec, levels[end - 1]):
        end -= 1
    return levels[:end]


def _places_nothing(spec: KindSpec, level: str) -> bool:
    """An amount word the kind names no measure by; in a 决算 a 预算数 under a group is that budget."""
    return level in AMOUNT_TOKENS and _level_measure(spec, level) is None \
        and not (spec.kind.stage == Stage.FINAL and _budget_named(level))


def unnamed_part(spec: KindSpec, header_path: str) -> str | None:
    """A sub-column whose own heading names no measure, under a group that does (Guizhou's
    基本支出/工资福利支出): a part of that group, named ``group.heading``."""
    header_path = placing_path(spec, header_path)
    own = header_path.rsplit("/", 1)[-1]
    group = group_of(spec, header_path)
    if "/" not in header_path or own in GROUP_TOTAL_WORDS or _level_measure(spec, own) or group in (None, "total"):
        return None
    return f"{group}.{own}"


def column_groups(spec: KindSpec, columns: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Each group measure and the measures of its sub-columns, by the header hierarchy: a part
    of a part is no part of the row's 合计 when its group's own total is printed."""
    groups: dict[str, list[str]] = {}
    for measure, path in columns.items():
        # a carry-over's part ('opening.personnel') is the carry-over's, whatever heading stands between
        group = carried if (carried := measure.split(".", 1)[0]) in CARRY_GROUPS else group_of(spec, path)
        if group not in (None, "total", measure):
            groups.setdefault(group, []).append(measure)
    grouped = {m for parts in groups.values() for m in parts}
    for group, parts in IMPLIED_GROUPS.items():
        loose = [m for m in parts if m in columns and m not in grouped]
        if group not in groups and loose and group in dict(spec.measures):
            groups[group] = loose
    return {group: tuple(parts) for group, parts in groups.items()}


def is_budget_measure(measure: str) -> bool:
    """A budget printed in a 决算 table (``planned``, ``adjusted.project`` …): no 决算 figure."""
    return measure.split(".", 1)[0] in BUDGET_MEASURES


def _level_measure(spec: KindSpec, level: str) -> str | None:
    for measure, tokens in spec.measures:
        if any(token in level for token in tokens):
            return measure
    return None
