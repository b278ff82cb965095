"""A draft's year-on-year sentences against both years' tables (BK618).

The folder holds the department's 2024 决算, its 2023 决算 (other spending, see
test_years_report.last_year_that_differs) and the 2024 说明 as a .txt. From the tables:
本年收入合计 4,390.14 against 3,906.03 万元 (+484.11, +12.39%), 农林水支出 3,150.67
against 3,144.04 (+6.63, +0.21%), 基本支出 2,095.73 both years, 项目支出 2,394.41
against 1,512.78 (+881.63, +58.28%)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetkit.pipeline import run
from budgetkit.rules.narrative_years import _redirected
from dataclasses import replace

from layout_corpus import render_disclosure
from layout_corpus.accounts import Accounts, Carry, fen
from test_years_continuity import TRAITS
from test_years_report import last_year_that_differs

LAST_YEAR = "某区农业农村委员会2023年度部门决算.xlsx"
CORRECT = {
    "income": "2024年度本年收入合计4,390.14万元，比上年增加484.11万元，增长12.39%。",
    "class": "农林水支出3,150.67万元，比上年增加6.63万元，增长0.21%。",
    "flat": "基本支出2,095.73万元，与上年持平。",
    "project": "项目支出2,394.41万元，比上年增长58.28%。",
}


def _department(folder: Path, sentences: dict[str, str], with_last_year: bool = True):
    render_disclosure(TRAITS, "决算").write(folder)
    if with_last_year:
        render_disclosure(TRAITS, "决算", accounts=last_year_that_differs()).write(folder)
    text = ["某区农业农村委员会2024年度部门决算说明", "一、收入支出决算总体情况说明", sentences["income"],
            "二、支出决算情况说明", sentences["class"], sentences["flat"], sentences["project"]]
    (folder / "某区农业农村委员会2024年度部门决算说明.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    return run(folder)


def _found(result) -> list[tuple]:
    return [(f.rule, f.severity.value, f.ref.cell, f.item, f.stated, f.expected) for f in result.findings
            if f.rule == "BK618"]


def test_sentences_the_two_years_tables_bear_out_are_quiet(tmp_path: Path) -> None:
    result = _department(tmp_path, CORRECT)
    assert _found(result) == []
    assert [f for f in result.findings if f.severity.value != "info"] == []
    coverage = next(c for c in result.coverage if c.rule.code == "BK618")
    assert coverage.ran and coverage.notes == ("比对 4 处与上年的增减与两年的表",)


def test_a_change_the_tables_do_not_bear_out_is_an_error_with_both_cells(tmp_path: Path) -> None:
    wrong = {**CORRECT, "class": "农林水支出3,150.67万元，比上年增加16.63万元，增长0.21%。"}
    result = _department(tmp_path, wrong)
    assert _found(result) == [("BK618", "error", "第5段", "农林水支出比上年的增减额", Decimal("16.63"),
                               Decimal("6.63"))]
    finding = next(f for f in result.findings if f.rule == "BK618")
    assert [(r.file, r.sheet) for r in finding.related] == [
        ("某区农业农村委员会2024年度部门决算.xlsx", "收入支出决算总表"), (LAST_YEAR, "收入支出决算总表")]
    assert finding.message.endswith("应改为：“农林水支出3,150.67万元，比上年增加6.63万元，增长0.21%。”")
    assert f"与上年 {LAST_YEAR} 收入支出决算总表!" in finding.message


@pytest.mark.parametrize(("sentence", "item", "stated", "expected"), [
    pytest.param("项目支出2,394.41万元，比上年增长48.28%。", "项目支出比上年的增减率", Decimal("48.28"),
                 Decimal("58.2788"), id="a rate alone"),
    pytest.param("项目支出2,394.41万元，比上年下降58.28%。", "项目支出比上年的增减率", Decimal("-58.28"),
                 Decimal("58.2788"), id="a rate in the wrong direction"),
])
def test_a_rate_the_tables_do_not_bear_out_is_an_error(tmp_path: Path, sentence, item, stated, expected) -> None:
    assert _found(_department(tmp_path, {**CORRECT, "project": sentence})) == [
        ("BK618", "error", "第7段", item, stated, expected)]


def test_flat_where_the_tables_moved_is_an_error(tmp_path: Path) -> None:
    result = _department(tmp_path, {**CORRECT, "class": "农林水支出3,150.67万元，与上年持平。"})
    assert _found(result) == [("BK618", "error", "第5段", "农林水支出比上年的增减额", Decimal("0"), Decimal("6.63"))]
    assert "应为增加6.63万元" in next(f for f in result.findings if f.rule == "BK618").message


def test_a_change_off_by_rounding_alone_is_info(tmp_path: Path) -> None:
    # 4,390.14 − 3,906.03 = 484.11; 484.12 is within the three printed figures' half units (±0.015).
    result = _department(tmp_path, {**CORRECT, "income": "2024年度本年收入合计4,390.14万元，比上年增加484.12万元。"})
    assert _found(result) == [("BK618", "info", "第3段", "本年收入合计比上年的增减额", Decimal("484.12"),
                               Decimal("484.11"))]


def test_without_last_years_tables_the_rule_says_why_it_did_not_run(tmp_path: Path) -> None:
    wrong = {**CORRECT, "class": "农林水支出3,150.67万元，比上年增加16.63万元，增长0.21%。"}
    result = _department(tmp_path, wrong, with_last_year=False)
    coverage = next(c for c in result.coverage if c.rule.code == "BK618")
    assert (coverage.ran, coverage.reason) == (False, "缺少同一部门上一年度的表（与上年比较的句子只按文中数字核对，见 BK615）")
    assert _found(result) == []


def test_a_renamed_item_named_in_the_departments_own_code_list_is_a_stale_name(tmp_path: Path) -> None:
    # BK607 reads former names at every level; the built-in list has sourced renames for 类 only, a
    # department (or province) adds its own in a [subjects] extra CSV.
    (tmp_path / "本地科目.csv").write_text(
        "system,code,name,aliases,valid_from,valid_to,former_name,renamed_in\n"
        "function,2130106,科技转化与推广服务,,,,农业技术推广,2020\n", encoding="utf-8")
    (tmp_path / "budgetkit.toml").write_text('[subjects]\nextra = "本地科目.csv"\n', encoding="utf-8")
    result = _department(tmp_path, {**CORRECT, "flat": "农业技术推广407.09万元。"})
    stale = [(f.rule, f.ref.cell, f.item) for f in result.findings if f.rule == "BK607"]
    assert stale == [("BK607", "第6段", "农业技术推广")]
    assert "现行名称为“科技转化与推广服务”（2130106）" in next(f for f in result.findings if f.rule == "BK607").message


def test_a_decrease_the_tables_bear_out_is_quiet_and_a_wrong_one_is_corrected(tmp_path: Path) -> None:
    """农产品质量安全 2130109: 146.89 against 160.00 万元 last year (−13.11, −8.19%)."""
    fell = "农产品质量安全146.89万元，比上年减少13.11万元，下降8.19%。"
    assert _found(_department(tmp_path / "right", {**CORRECT, "flat": fell})) == []
    result = _department(tmp_path / "wrong", {**CORRECT, "flat": fell.replace("减少13.11", "减少3.11")})
    assert _found(result) == [("BK618", "error", "第6段", "农产品质量安全比上年的增减额", Decimal("3.11"),
                               Decimal("13.11"))]
    assert "应为减少13.11万元" in next(f for f in result.findings if f.rule == "BK618").message


def _carried_in_last_year() -> Accounts:
    """The 2023 决算 with 100.00万元 of 2130199's 一般公共预算 money carried in: its 本年收入合计 is 3,806.03,
    its 收入总计 3,906.03 (nearer to 2024's 本年收入合计 4,390.14)."""
    accounts = last_year_that_differs()
    items = tuple(replace(item, gp_carry=Carry(fen("1,000,000.00"), item.gp_carry.closing)) if item.code == "2130199"
                  else item for item in accounts.items)
    return replace(accounts, items=items)


@pytest.mark.parametrize("headline", ["2024年度本年收入", "2024年度收入"])
def test_a_headline_that_may_mean_two_lines_is_held_to_the_same_line_both_years(tmp_path: Path, headline) -> None:
    """"本年收入" may be the 本年收入合计 or the 收入总计: this year's figure is on the 本年收入合计, so last
    year's is too (before, last year's was whichever line lay nearer to this year's figure, its 收入总计:
    a false BK618 on a right change)."""
    render_disclosure(TRAITS, "决算").write(tmp_path)
    render_disclosure(TRAITS, "决算", accounts=_carried_in_last_year()).write(tmp_path)
    text = ["某区农业农村委员会2024年度部门决算说明", "一、收入支出决算总体情况说明",
            f"{headline}4,390.14万元，比上年增加584.11万元，增长15.35%。"]
    (tmp_path / "说明.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    result = run(tmp_path)
    assert next(c for c in result.coverage if c.rule.code == "BK618").notes == ("比对 1 处与上年的增减与两年的表",)
    assert _found(result) == []


def test_a_change_stated_the_wrong_way_is_corrected_the_right_way(tmp_path: Path) -> None:
    """The size right, the direction wrong: the proposed sentence turns 减少/下降 round (before, it proposed
    the very sentence it quoted)."""
    wrong = {**CORRECT, "income": "2024年度本年收入合计4,390.14万元，比上年减少484.11万元，下降12.39%。"}
    result = _department(tmp_path, wrong)
    proposals = {f.message.split("应改为：", 1)[1] for f in result.findings if f.rule == "BK618"}
    assert proposals == {"“2024年度本年收入合计4,390.14万元，比上年增加484.11万元，增长12.39%。”"}


def test_a_correction_turns_only_the_words_of_its_own_change() -> None:
    """The clause up to the next ；or 。 only (before, the next item's 增加 turned too), with every pair of
    direction words the text may use (降低 turned to 提高, not left beside a turned 下降)."""
    assert _redirected("基本支出100万元，比上年增加10万元；项目支出50万元，比上年增加5万元。", 0, Decimal(-10)) == \
        "基本支出100万元，比上年减少10万元；项目支出50万元，比上年增加5万元。"
    assert _redirected("收入10万元，比上年降低10万元，下降9.09%。", 0, Decimal(10)) == "收入10万元，比上年提高10万元，增长9.09%。"


@pytest.mark.parametrize("off", [Decimal(0), Decimal(10)])
def test_a_budget_texts_change_against_last_years_execution_is_held_to_last_years_final(tmp_path: Path, off) -> None:
    """'比2023年执行数增加…' in a 2024 预算说明 measures from what was spent in 2023 (its 决算), never from the
    2023 budget (audit20: false BK618 against last year's budget tables)."""
    from layout_corpus.accounts import budget_for_final_year

    from budgetkit.model import Side, TableKind
    render_disclosure(TRAITS, "预算", accounts=budget_for_final_year()).write(tmp_path)
    render_disclosure(TRAITS, "决算", accounts=last_year_that_differs()).write(tmp_path)
    tables = run(tmp_path).tables
    budget = next(t for t in tables if t.kind == TableKind.BUDGET_SUMMARY).line("grand_total", Side.INCOME)
    spent = next(t for t in tables if t.kind == TableKind.SUMMARY).line("grand_total", Side.INCOME)
    planned, last = budget.values["amount"].amount, spent.values["amount"].amount
    sentence = f"2024年收入总计{planned:,.2f}万元，比2023年执行数增加{planned - last + off:,.2f}万元。"
    (tmp_path / "某区农业农村委员会2024年部门预算说明.txt").write_text(
        "\n".join(["某区农业农村委员会2024年部门预算说明", "一、收支预算总体情况", sentence]) + "\n", encoding="utf-8")
    found = [(f.rule, f.stated, f.expected) for f in run(tmp_path).findings if f.rule == "BK618"]
    assert found == ([] if not off else [("BK618", planned - last + off, planned - last)])


THREE_PUBLIC = "“三公”经费支出决算为12.96万元，{between}较上年增加0.71万元，增长5.80%。"


@pytest.mark.parametrize("between", ["完成预算的86.40%，", "比年初预算减少2.04万元，", ""])
def test_a_change_against_last_year_after_a_clause_on_the_budget_is_measured_from_last_years_final(
        tmp_path: Path, between: str) -> None:
    """12.96 against last year's 决算 12.25 (+0.71, +5.80%). "完成预算的86.40%" before the comparison made it one with
    last year's budget (13.00: a false BK618 proposing 减少0.04); "比年初预算减少2.04万元" before it lent the first
    comparison's figure to the rate (a false BK615: 2.04 ÷ 14.92). Audit24, the central "三公" template's wording."""
    result = _department(tmp_path, {**CORRECT, "flat": THREE_PUBLIC.format(between=between)})
    assert [f for f in result.findings if f.severity.value != "info"] == []


def test_a_direction_word_of_the_second_comparison_is_held_to_its_rate(tmp_path: Path) -> None:
    """"比年初预算减少2.04万元，较上年增加0.71万元，下降5.80%": the second comparison's 增加 against its 下降 (BK616),
    unseen while the first comparison's 减少 stood for the change (audit24 P23)."""
    wrong = THREE_PUBLIC.format(between="比年初预算减少2.04万元，").replace("增长5.80%", "下降5.80%")
    result = _department(tmp_path, {**CORRECT, "flat": wrong})
    assert ("BK616", "第6段") in {(f.rule, f.ref.cell) for f in result.findings}
