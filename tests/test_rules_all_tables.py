"""Every rule of the full catalog fires on a crafted error in a real published
disclosure, at the exact cell, and the unmodified disclosures stay quiet
(see test_rules_core for the quiet runs on the same files)."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from conftest import REAL, mutated
from workbook_builder import write_workbook

from budgetkit import pipeline
from budgetkit.model import Severity
from budgetkit.text import normalize

FINAL = "putuo_social_work_2024_final.xlsx"
BUDGET = "putuo_commerce_2025_budget.xlsx"
S_SUMMARY, S_INCOME, S_SPENDING = "收入支出决算总表", "收入决算表", "支出决算表"
S_FISCAL, S_GENERAL, S_BASIC = "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算表"
S_THREE, S_FUND = "财政拨款“三公”经费支出决算表", "政府性基金预算财政拨款收入支出决算表"
B_SUMMARY, B_INCOME, B_SPENDING, B_FISCAL = "财务收支预算总表", "收入预算总表", "支出预算总表", "财政拨款收支预算总表"
B_GENERAL, B_BASIC, B_THREE = "一般公共预算支出功能分类预算表", "一般公共预算基本支出部门预算经济分类预算表", "“三公”经费和机关运行经费预算表"


CASES = [
    ("BK101", FINAL, {(S_SPENDING, "D13"): 6.00}, S_SPENDING, "C13", Severity.ERROR, "6.18", "6.00"),
    ("BK102", FINAL, {(S_INCOME, "C5"): 308.82, (S_INCOME, "D5"): 308.82}, S_INCOME, "C5", Severity.ERROR,
     "308.82", "307.82"),
    ("BK103", FINAL, {(S_GENERAL, "C6"): 265.87}, S_GENERAL, "C6", Severity.ERROR, "265.87", "264.87"),
    ("BK104", FINAL, {(S_FUND, "A6"): "229", (S_FUND, "B6"): "其他支出", (S_FUND, "C6"): 10, (S_FUND, "D6"): 50,
                      (S_FUND, "E6"): 45, (S_FUND, "F6"): 45, (S_FUND, "H6"): 5}, S_FUND, "H6", Severity.ERROR,
     "5", "15"),
    ("BK111", FINAL, {(S_SUMMARY, "B31"): 300.00}, S_SUMMARY, "B31", Severity.ERROR, "300.00", "307.82"),
    ("BK112", FINAL, {(S_SUMMARY, "B34"): 310.00}, S_SUMMARY, "B34", Severity.ERROR, "310.00", "307.82"),
    ("BK113", FINAL, {(S_SUMMARY, "B34"): 310.00}, S_SUMMARY, "D34", Severity.ERROR, "307.82", "310.00"),
    ("BK114", BUDGET, {(B_SUMMARY, "B6"): 371514600}, B_SUMMARY, "B5", Severity.ERROR, "371514655", "371514600"),
    ("BK115", FINAL, {(S_FISCAL, "D5"): 265.87}, S_FISCAL, "D5", Severity.ERROR, "265.87", "264.87"),
    ("BK116", FINAL, {(S_FISCAL, "E32"): 5}, S_FISCAL, "E32", Severity.ERROR, "5", "0"),
    ("BK131", FINAL, {(S_BASIC, "C42"): 96.36}, S_BASIC, "C42", Severity.ERROR, "96.36", "95.36"),
    ("BK141", FINAL, {(S_THREE, "B7"): 1.0, (S_THREE, "D7"): 0.5}, S_THREE, "B7", Severity.ERROR, "1", "0.5"),
    ("BK142", FINAL, {(S_THREE, "F7"): 2.0, (S_THREE, "H7"): 1.0, (S_THREE, "J7"): 0.5}, S_THREE, "F7",
     Severity.ERROR, "2", "1.5"),
    ("BK143", FINAL, {(S_THREE, "K7"): 0.5, (S_THREE, "L7"): 0.8}, S_THREE, "L7", Severity.WARNING, "0.8", "0.5"),
    ("BK151", FINAL, {(S_FUND, "A9"): None, (S_FUND, "A10"): None, (S_FUND, "A11"): None}, S_FUND, "A1",
     Severity.WARNING, None, None),
    # A figure the other tables agree on is reported where it was changed (the odd one out).
    ("BK201", FINAL, {(S_INCOME, "C5"): 300.00}, S_INCOME, "C5", Severity.ERROR, "300.00", "307.82"),
    ("BK202", FINAL, {(S_SPENDING, "C11"): 11.82}, S_SPENDING, "C11", Severity.ERROR, "11.82", "10.82"),
    ("BK203", FINAL, {(S_FISCAL, "B5"): 300.00}, S_FISCAL, "B5", Severity.ERROR, "300.00", "307.82"),
    ("BK204", FINAL, {(S_INCOME, "D5"): 300.00}, S_INCOME, "D5", Severity.ERROR, "300.00", "307.82"),
    ("BK205", FINAL, {(S_GENERAL, "C22"): 300.00}, S_GENERAL, "C22", Severity.ERROR, "300.00", "307.82"),
    ("BK206", FINAL, {(S_BASIC, "C42"): 90.00}, S_GENERAL, "D22", Severity.ERROR, "105.58", "100.23"),
    ("BK207", FINAL, {(S_FISCAL, "F31"): 5}, S_FISCAL, "F31", Severity.ERROR, "5", "0"),
    ("BK208", FINAL, {(S_FISCAL, "G31"): 5}, S_FISCAL, "G31", Severity.ERROR, "5", "0"),
    ("BK209", FINAL, {(S_GENERAL, "C12"): 7.00}, S_GENERAL, "C12", Severity.ERROR, "7.00", "6.18"),
    ("BK210", FINAL, {(S_BASIC, "F20"): 0.5}, S_BASIC, "F20", Severity.ERROR, "0.50", "0"),
    ("BK211", BUDGET, {(B_INCOME, "E36"): 371514000}, B_INCOME, "E36", Severity.ERROR, "371514000", "371514655"),
    ("BK212", BUDGET, {(B_SPENDING, "E12"): 17000000}, B_SPENDING, "E12", Severity.ERROR, "17000000", "17200000"),
    ("BK213", BUDGET, {(B_SPENDING, "E36"): 371514000}, B_INCOME, "E36", Severity.ERROR, "371514655", "371514000"),
    ("BK214", BUDGET, {(B_FISCAL, "B5"): 371514000}, B_FISCAL, "B5", Severity.ERROR, "371514000", "371514655"),
    ("BK215", BUDGET, {(B_GENERAL, "E12"): 17000000}, B_GENERAL, "E12", Severity.ERROR, "17000000", "17200000"),
    ("BK216", BUDGET, {(B_FISCAL, "F18"): 1000}, B_FISCAL, "F18", Severity.ERROR, "1000", "0"),
    ("BK217", BUDGET, {(B_FISCAL, "G18"): 500}, B_FISCAL, "G18", Severity.ERROR, "500", "0"),
    ("BK218", BUDGET, {(B_BASIC, "D36"): 19830000}, B_BASIC, "D36", Severity.ERROR, "19830000", "19830655"),
    ("BK219", BUDGET, {(B_THREE, "G6"): 181.01}, B_THREE, "G6", Severity.WARNING, "181.01", "171.01"),
]


@pytest.mark.parametrize("rule,name,edits,sheet,cell,severity,stated,expected", CASES, ids=[c[0] for c in CASES])
def test_rule_fires_at_the_cell_on_a_crafted_error(tmp_path, rule, name, edits, sheet, cell, severity, stated,
                                                   expected):
    findings = pipeline.run(mutated(tmp_path, name, edits)).findings
    hits = [f for f in findings if f.rule == rule and f.ref.sheet == sheet and f.ref.cell == cell]
    assert len(hits) == 1, [(f.rule, f.ref.sheet, f.ref.cell, f.message) for f in findings]
    finding = hits[0]
    assert finding.severity == severity
    assert finding.stated == (Decimal(stated) if stated else None)
    assert finding.expected == (Decimal(expected) if expected else None)
    assert finding.message


@pytest.mark.parametrize("statement", ["注：本单位无政府性基金预算支出，本表为空。", "注：本部门2024年度无政府性基金预算支出。",
                                       "说明：本部门不涉及政府性基金预算支出，本表无数值。", "备注：此表无数。",
                                       "（本部门无此项预算）", "本部门本年度未发生政府性基金预算财政拨款收支。"])
def test_bk151_an_empty_table_explained_in_other_words_is_quiet(tmp_path, statement):
    findings = pipeline.run(mutated(tmp_path, FINAL, {(S_FUND, "A11"): statement})).findings
    assert [f for f in findings if f.rule == "BK151"] == []


@pytest.mark.parametrize("statement", ["本单位本年度无国有资本经营预算财政拨款收入、支出及结转结余。",
                                       "我单位无政府性基金预算财政拨款收支。"])
def test_bk151_a_statement_of_the_department_having_none_without_naming_the_table_is_quiet(tmp_path, statement):
    """No 注, no 本表: the sentence under the 合计 line was read as a line of the table (audit17 v2)."""
    cleared = {(S_FUND, cell): None for cell in ("A9", "A10", "A11")}
    result = pipeline.run(mutated(tmp_path, FINAL, {**cleared, (S_FUND, "A9"): statement}))
    assert [f for f in result.findings if f.rule == "BK151"] == []
    (fund,) = [t for t in result.tables if t.sheet == S_FUND]
    assert fund.notes == (normalize(statement),)


@pytest.mark.parametrize("where", ["A6", "A9"])
def test_bk151_a_statement_without_a_note_word_in_the_body_or_under_it_is_quiet(tmp_path, where):
    """'本部门没有……，本表无数据。' printed with no 注/说明 before it, in the table's first body line or
    under the body, the template's notes deleted: it was read as a line of the table (or, under
    the header, as part of it) and the table called unexplained."""
    statement = "本部门没有政府性基金预算财政拨款收入和支出，本表无数据。"
    cleared = {(S_FUND, cell): None for cell in ("A9", "A10", "A11")}
    folder = mutated(tmp_path, FINAL, {**cleared, (S_FUND, where): statement})
    result = pipeline.run(folder)
    assert [f for f in result.findings if f.rule == "BK151"] == []
    (fund,) = [t for t in result.tables if t.sheet == S_FUND]
    assert fund.notes == (normalize(statement),)  # texts are read normalised (，as ,)


def test_bk151_a_statement_merged_across_an_empty_tables_body_under_its_header_is_quiet(tmp_path):
    """Guangxi's empty 国有资本经营预算支出表: the statement merged across the line under the header,
    the 合计 line under it. It was taken for a third header line."""
    rows = [["国有资本经营预算支出表", None, None, None, None, None, None],
            ["部门名称：某县自然资源局", None, None, None, None, None, "单位：元"],
            ["科目编码", None, None, "科目名称", "合计", "基本支出", "项目支出"],
            ["类", "款", "项", None, None, None, None],
            ["本部门无国有资本经营预算拨款收支，本表为空。", None, None, None, None, None, None],
            ["合计", None, None, None, None, None, None]]
    merges = ["A1:G1", "A3:C3", "D3:D4", "E3:E4", "F3:F4", "G3:G4", "A5:G5", "A6:D6"]
    write_workbook(tmp_path / "某县自然资源局2025年部门预算.xlsx", {"国资": (rows, merges)})
    result = pipeline.run(tmp_path)
    (table,) = result.tables
    assert (table.notes, [r.label for r in table.rows]) == ((normalize(rows[4][0]),), ["合计"])
    assert result.findings == []


def test_bk151_the_templates_instruction_left_without_its_statement_is_no_statement(tmp_path):
    """'无…的，仍保留该表格式，并在本表下方作下述说明：' kept, the 说明 under it deleted."""
    findings = pipeline.run(mutated(tmp_path, FINAL, {(S_FUND, "A11"): None})).findings
    assert [(f.rule, f.ref.sheet, f.ref.cell) for f in findings if f.rule == "BK151"] == [("BK151", S_FUND, "A1")]


def test_bk221_final_three_public_budget_column_against_that_years_budget_table(tmp_path):
    folder = mutated(tmp_path, BUDGET, {})
    final = openpyxl.load_workbook(REAL / FINAL)
    for name in final.sheetnames:
        if name != S_THREE:
            del final[name]
    final[S_THREE]["A2"] = "部门：上海市普陀区商务委员会"
    final[S_THREE]["A7"] = final[S_THREE]["K7"] = 0.5
    final.save(folder / "2025年部门决算.xlsx")
    findings = [f for f in pipeline.run(folder).findings if f.rule == "BK221"]
    assert [(f.severity, f.ref.cell, f.stated, f.expected) for f in findings] == [
        (Severity.WARNING, "A7", Decimal("0.5"), Decimal("1.00")), (Severity.WARNING, "K7", Decimal("0.5"), Decimal("1.00"))]

    final[S_THREE]["A7"] = final[S_THREE]["K7"] = 1.0
    final.save(folder / "2025年部门决算.xlsx")
    assert [f for f in pipeline.run(folder).findings if f.rule == "BK221"] == []


def test_bk401_a_budget_table_in_yuan_labelled_wan_is_one_unit_error(tmp_path):
    folder = mutated(tmp_path, BUDGET, {(B_INCOME, "I2"): "单位：万元"})
    errors = [f for f in pipeline.run(folder).findings if f.severity == Severity.ERROR]
    # The 收入预算总表 agrees with no other table: it alone slipped, and nothing else is said of it.
    assert [(f.rule, f.ref.sheet, f.ref.cell) for f in errors] == [("BK401", B_INCOME, "E36")]


PLAUSIBILITY = [
    ("BK501", FINAL, {(S_SUMMARY, "D33"): 100.0, (S_SUMMARY, "D34"): 407.82, (S_SUMMARY, "B33"): 100.0,
                      (S_SUMMARY, "B34"): 407.82}, S_SUMMARY, "D33", "100.0"),
    ("BK502", FINAL, {(S_GENERAL, "C12"): 4.64, (S_GENERAL, "D12"): 4.64, (S_GENERAL, "C13"): 6.18,
                      (S_GENERAL, "D13"): 6.18}, S_GENERAL, "C12", "4.64"),
    ("BK503", FINAL, {(S_BASIC, "C15"): 17.07}, S_GENERAL, "D20", "17.70"),
    ("BK504", BUDGET, {(B_BASIC, "D14"): 1361000, (B_BASIC, "E14"): 1361000}, B_GENERAL, "F34", "1361034"),
    ("BK511", FINAL, {(S_SPENDING, "B13"): "机关事业单位职业年金缴费支出"}, S_SPENDING, "A13", None),
    ("BK511", FINAL, {(S_BASIC, "D5"): "30801"}, S_BASIC, "D5", None),  # no 类 308 in the classification
]


@pytest.mark.parametrize("rule,name,edits,sheet,cell,stated", PLAUSIBILITY,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(PLAUSIBILITY)])
def test_plausibility_rule_warns_at_the_cell(tmp_path, rule, name, edits, sheet, cell, stated):
    findings = pipeline.run(mutated(tmp_path, name, edits)).findings
    hits = [f for f in findings if f.rule == rule and f.ref.sheet == sheet and f.ref.cell == cell]
    assert len(hits) == 1, [(f.rule, f.ref.sheet, f.ref.cell, f.message) for f in findings]
    assert hits[0].severity == Severity.WARNING
    assert hits[0].stated == (Decimal(stated) if stated else None)


def test_code_list_knows_the_year_a_subject_was_created(tmp_path):
    folder = mutated(tmp_path, FINAL, {})
    book = openpyxl.load_workbook(folder / FINAL)
    book.save(folder / "2023年部门决算.xlsx")
    (folder / FINAL).unlink()
    messages = [f.message for f in pipeline.run(folder).findings if f.rule == "BK511"]
    assert messages and all("2024 年起设立" in m for m in messages)
    assert any(m.startswith("20139 社会工作事务") for m in messages)


def test_a_users_code_list_adds_new_codes_and_corrects_names(tmp_path):
    # 30201 printed under a name the built-in list does not give it: a warning, until the user's list says so.
    folder = mutated(tmp_path, FINAL, {(S_BASIC, "E5"): "新增费用"})
    assert [f.ref.cell for f in pipeline.run(folder).findings if f.rule == "BK511"] == ["D5"]
    (folder / "我的科目.csv").write_text("system,code,name\neconomic,30201,新增费用\n", encoding="utf-8")
    (folder / "budgetkit.toml").write_text('[subjects]\nextra = "我的科目.csv"\n', encoding="utf-8")
    assert [f for f in pipeline.run(folder).findings if f.rule == "BK511"] == []


def test_a_broken_users_code_list_is_a_config_error_naming_the_line(tmp_path):
    from budgetkit.config import ConfigError, load_config
    (tmp_path / "codes.csv").write_text("code,name\n30298,新增费用\n", encoding="utf-8")
    (tmp_path / "budgetkit.toml").write_text('\n[subjects]\nextra = ["codes.csv"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="第 3 行.*缺少列：system"):
        load_config(tmp_path)


def test_bk505_non_fiscal_balance_used_beyond_what_the_year_opened_with(tmp_path):
    folder = mutated(tmp_path, FINAL, {(S_SUMMARY, "B32"): 5.0, (S_SUMMARY, "B33"): 0.84, (S_SUMMARY, "B34"): 313.66,
                                        (S_FISCAL, "B32"): 0.84})
    findings = [f for f in pipeline.run(folder).findings if f.rule == "BK505"]
    assert [(f.severity, f.ref.cell, f.stated, f.expected) for f in findings] == [
        (Severity.WARNING, "B32", Decimal("5.0"), Decimal(0))]


def test_bk505_quiet_when_the_non_fiscal_opening_balance_covers_it(tmp_path):
    folder = mutated(tmp_path, FINAL, {(S_SUMMARY, "B32"): 5.0, (S_SUMMARY, "B33"): 8.0, (S_SUMMARY, "B34"): 320.82})
    assert [f for f in pipeline.run(folder).findings if f.rule == "BK505"] == []
