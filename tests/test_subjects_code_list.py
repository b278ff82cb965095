"""BK511 checks what the code list knows and only that: an unknown 类, a code of the
wrong length, a missing parent, a known code's wrong name for its year. A code the list
does not hold is not a finding; it is counted once in the rule's coverage line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import REAL
from conftest import mutated as mutated_fixture
from workbook_builder import write_workbook

from budgetkit import pipeline
from budgetkit.model import RunResult, Severity
from budgetkit.report.json_report import to_json
from budgetkit.report.workbook import write_summary

FINAL = "putuo_social_work_2024_final.xlsx"
REAL_WORKBOOKS = ["putuo_social_work_2024_final.xlsx", "putuo_social_work_2024_final.xls",
                  "putuo_commerce_2025_budget.xlsx", "putuo_office_unit_budget_2025.xlsx"]
S_SPENDING, S_GENERAL, S_BASIC = "支出决算表", "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算表"
UNLISTED_NOTE = "科目表未收录，未核对名称：6 个（20106、2010601、20406、2040601、21301、2130101）"


def bk511(result: RunResult) -> list[tuple[str, str, Severity, str]]:
    return [(f.ref.sheet, f.ref.cell, f.severity, f.message) for f in result.findings if f.rule == "BK511"]


def notes(result: RunResult) -> tuple[str, ...]:
    return next(c.notes for c in result.coverage if c.rule.code == "BK511")


def mutated(tmp_path: Path, edits: dict[tuple[str, str], object], name: str = FINAL) -> Path:
    """The real 2024 决算 with some cells changed, saved as ``name`` (whose year the tables take)."""
    return mutated_fixture(tmp_path, FINAL, edits, saved_as=name)


def general_table(tmp_path: Path, body: list[list[object]], total: float, year: int = 2024) -> Path:
    """A one-sheet 一般公共预算财政拨款支出决算表 of ``year`` in 万元: code | name | 合计 | 基本支出 | 项目支出."""
    rows = [[f"{year}年一般公共预算财政拨款支出决算表", None, None, None, None],
            ["部门：某某区农业农村委员会", None, None, None, "单位：万元"],
            ["项目", None, "合计", "基本支出", "项目支出"],
            ["功能分类科目编码", "科目名称", None, None, None],
            *body,
            ["合计", None, total, total, None]]
    last = len(rows)
    folder = tmp_path / "in"
    write_workbook(folder / f"{year}年部门决算.xlsx", {"一般公共预算财政拨款支出决算表": (
        rows, ["A1:E1", "A2:D2", "A3:B3", "C3:C4", "D3:D4", "E3:E4", f"A{last}:B{last}"])})
    return folder


COMMON_BUT_UNLISTED = [["201", "一般公共服务支出", 30.0, 30.0, None], ["20106", "财政事务", 30.0, 30.0, None],
                       ["2010601", "行政运行", 30.0, 30.0, None], ["204", "公共安全支出", 20.0, 20.0, None],
                       ["20406", "司法", 20.0, 20.0, None], ["2040601", "行政运行", 20.0, 20.0, None],
                       ["213", "农林水支出", 10.0, 10.0, None], ["21301", "农业农村", 10.0, 10.0, None],
                       ["2130101", "行政运行", 10.0, 10.0, None]]


# --- quiet on correct data ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REAL_WORKBOOKS)
def test_real_disclosures_give_no_code_finding_and_nothing_unlisted(tmp_path, name):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(REAL / name, folder / name)
    result = pipeline.run(folder)
    assert bk511(result) == []
    assert notes(result) == ()


def test_common_codes_missing_from_the_list_are_counted_once_not_reported(tmp_path):
    result = pipeline.run(general_table(tmp_path, COMMON_BUT_UNLISTED, 60.0))
    assert bk511(result) == []
    assert notes(result) == (UNLISTED_NOTE,)


def test_the_unlisted_count_reaches_the_overview_and_the_json(tmp_path):
    result = pipeline.run(general_table(tmp_path, COMMON_BUT_UNLISTED, 60.0))
    write_summary(result, tmp_path / "s.xlsx", with_report=False)
    overview = openpyxl.load_workbook(tmp_path / "s.xlsx")["概览"]
    line = next(row for row in overview.iter_rows(values_only=True) if row[0] == "BK511")
    assert line[5:7] == (0, UNLISTED_NOTE)
    rules = json.loads(json.dumps(to_json(result), ensure_ascii=False))["rules"]
    assert next(r["notes"] for r in rules if r["code"] == "BK511") == [UNLISTED_NOTE]


def test_a_table_that_lists_only_items_has_no_parents_to_miss(tmp_path):
    body = [["2010601", "行政运行", 30.0, 30.0, None], ["2080505", "机关事业单位基本养老保险缴费支出", 20.0, 20.0, None],
            ["2130101", "行政运行", 10.0, 10.0, None]]
    result = pipeline.run(general_table(tmp_path, body, 60.0))
    assert bk511(result) == []
    assert notes(result) == ("科目表未收录，未核对名称：2 个（2010601、2130101）",)


def test_a_table_that_lists_only_classes_has_no_parents_to_miss(tmp_path):
    body = [["201", "一般公共服务支出", 30.0, 30.0, None], ["213", "农林水支出", 30.0, 30.0, None]]
    result = pipeline.run(general_table(tmp_path, body, 60.0))
    assert (bk511(result), notes(result)) == ([], ())


def test_a_truncated_name_is_the_known_name(tmp_path):
    folder = mutated(tmp_path, {(S_GENERAL, "B12"): "机关事业单位基本养老保险", (S_BASIC, "B10"): "机关事业单位基本养老"})
    assert bk511(pipeline.run(folder)) == []


def test_the_former_name_of_a_renamed_class_is_right_in_its_own_years_and_when_the_year_is_unknown(tmp_path):
    for name in ("2018年部门决算.xlsx", "部门决算.xlsx"):
        folder = mutated(tmp_path / name, {(S_GENERAL, "B14"): "医疗卫生与计划生育支出"}, name=name)
        assert [f for f in bk511(pipeline.run(folder)) if f[:2] == (S_GENERAL, "A14")] == []


def test_economic_codes_as_named_before_the_2018_reform_are_right_in_those_years(tmp_path):
    # 2016–2017 基本支出表 print 30311 住房公积金 and 310 其他资本性支出 (audit17 a3: two false BK511 per table)
    edits = {(S_BASIC, "B29"): "住房公积金", (S_BASIC, "E32"): "其他资本性支出"}
    folder = mutated(tmp_path / "2017", edits, name="2017年部门决算.xlsx")
    assert [f for f in bk511(pipeline.run(folder)) if f[0] == S_BASIC] == []
    folder = mutated(tmp_path / "2024", edits, name="2024年部门决算.xlsx")
    assert [f[:2] for f in bk511(pipeline.run(folder)) if f[0] == S_BASIC] == [(S_BASIC, "A29"), (S_BASIC, "D32")]


def test_a_name_of_a_year_before_the_lists_names_is_counted_not_reported(tmp_path):
    """2018–2019 tables print 20805 行政事业单位离退休 and 2080501 归口管理的行政单位离退休, names the list (read
    from 2023–2026 disclosures) does not record (audit17 a2: a false BK511 on each line). Unknown, not wrong:
    counted in the coverage line; the same names in a 2024 table are still warnings."""
    body = [["208", "社会保障和就业支出", 30.0, 30.0, None], ["20805", "行政事业单位离退休", 30.0, 30.0, None],
            ["2080501", "归口管理的行政单位离退休", 10.0, 10.0, None],
            ["2080505", "机关事业单位基本养老保险缴费支出", 20.0, 20.0, None]]
    older = pipeline.run(general_table(tmp_path / "2018", body, 30.0, year=2018))
    assert bk511(older) == []
    assert notes(older) == ("2020 年以前的表中名称与现行名称不同、未核对（科目表收录的是 2020 年起的名称，可能是当年的名称）："
                            "2 个（20805、2080501）",)
    assert [f[:2] for f in bk511(pipeline.run(general_table(tmp_path / "2024", body, 30.0)))] == [
        (S_GENERAL, "A6"), (S_GENERAL, "A7")]


def test_a_name_before_the_lists_names_is_still_judged_for_a_class_and_for_another_codes_name(tmp_path):
    """Only a 款 or 项 name is unknown before 2020 (the list records the 类 renames of 2019), and a name the list
    gives another code is wrong in any year (review of this sitting: both went unwarned in a 2019 table)."""
    body = [["208", "教育支出", 30.0, 30.0, None], ["20805", "行政事业单位养老支出", 30.0, 30.0, None],
            ["2080505", "行政运行", 30.0, 30.0, None]]
    assert [f[:2] for f in bk511(pipeline.run(general_table(tmp_path, body, 30.0, year=2019)))] == [
        (S_GENERAL, "A5"), (S_GENERAL, "A7")]


# --- each condition fires at its cell -------------------------------------------------------------------


def test_a_known_code_under_another_codes_name_is_a_warning(tmp_path):
    folder = mutated(tmp_path, {(S_SPENDING, "B13"): "机关事业单位职业年金缴费支出"})
    assert bk511(pipeline.run(folder)) == [(
        S_SPENDING, "A13", Severity.WARNING,
        "2080505 机关事业单位职业年金缴费支出：名称“机关事业单位职业年金缴费支出”与科目表中 2080505 的名称"
        "“机关事业单位基本养老保险缴费支出”不一致。")]


def test_a_renamed_class_under_its_former_name_is_a_warning(tmp_path):
    folder = mutated(tmp_path, {(S_GENERAL, "B14"): "医疗卫生与计划生育支出"}, name="2024年部门决算.xlsx")
    assert bk511(pipeline.run(folder)) == [(
        S_GENERAL, "A14", Severity.WARNING,
        "210 医疗卫生与计划生育支出：“医疗卫生与计划生育支出”是科目 210 在 2019 年以前的名称，2024 年应为“卫生健康支出”。")]


def test_a_renamed_class_under_its_new_name_before_the_rename_is_a_warning(tmp_path):
    folder = mutated(tmp_path, {}, name="2018年部门决算.xlsx")
    found = [f for f in bk511(pipeline.run(folder)) if f[:2] == (S_GENERAL, "A14")]
    assert found == [(S_GENERAL, "A14", Severity.WARNING,
                      "210 卫生健康支出：“卫生健康支出”是科目 210 自 2019 年起的名称，2018 年应为“医疗卫生与计划生育支出”。")]


def test_a_function_code_whose_class_does_not_exist_is_a_warning(tmp_path):
    folder = mutated(tmp_path, {(S_GENERAL, "A9"): "2283999"})
    assert bk511(pipeline.run(folder)) == [(
        S_GENERAL, "A9", Severity.WARNING, "2283999 其他社会工作事务支出：类 228 不在支出功能分类中，请核对编码。")]


def test_an_economic_code_whose_class_does_not_exist_is_a_warning(tmp_path):
    folder = mutated(tmp_path, {(S_BASIC, "D5"): "30801"})
    assert bk511(pipeline.run(folder)) == [(
        S_BASIC, "D5", Severity.WARNING, "30801 办公费：类 308 不在部门预算支出经济分类中，请核对编码。")]


def test_an_economic_code_of_seven_digits_is_a_warning(tmp_path):
    folder = mutated(tmp_path, {(S_BASIC, "D5"): "3020101"})
    assert bk511(pipeline.run(folder)) == [(
        S_BASIC, "D5", Severity.WARNING,
        "3020101 办公费：编码 3020101 为 7 位，部门预算支出经济分类科目编码应为 3、5 位，请核对编码。")]


def test_an_item_whose_section_is_missing_from_a_table_that_lists_sections_is_a_warning(tmp_path):
    folder = mutated(tmp_path, {(S_GENERAL, "A7"): "2013801"})
    assert bk511(pipeline.run(folder)) == [(
        S_GENERAL, "A7", Severity.WARNING,
        "2013801 行政运行：本表列有款级科目，却未列出其上级科目 20138，请核对编码。")]


def test_an_economic_section_whose_class_is_missing_is_a_warning(tmp_path):
    folder = mutated(tmp_path, {(S_BASIC, "D41"): "30999"})
    assert bk511(pipeline.run(folder)) == [(
        S_BASIC, "D41", Severity.WARNING, "30999 其他资本性支出：本表列有类级科目，却未列出其上级科目 309，请核对编码。")]


def test_a_known_code_used_before_it_was_created_is_a_warning(tmp_path):
    folder = mutated(tmp_path, {}, name="2023年部门决算.xlsx")
    found = [f for f in bk511(pipeline.run(folder)) if f[0] == S_GENERAL]
    assert found[:2] == [
        (S_GENERAL, "A6", Severity.WARNING, "20139 社会工作事务：科目 20139 自 2024 年起设立，2023 年不应使用。"),
        (S_GENERAL, "A7", Severity.WARNING, "2013901 行政运行：科目 2013901 自 2024 年起设立，2023 年不应使用。")]


# --- a user's list ----------------------------------------------------------------------------------------


def test_a_users_list_makes_an_unlisted_code_known_and_its_name_checked(tmp_path):
    folder = mutated(tmp_path, {(S_BASIC, "D5"): "30298", (S_BASIC, "E5"): "新增费用"})
    result = pipeline.run(folder)
    assert (bk511(result), notes(result)) == ([], ("科目表未收录，未核对名称：1 个（30298）",))

    (folder / "我的科目.csv").write_text("system,code,name\neconomic,30298,另一费用\n", encoding="utf-8")
    (folder / "budgetkit.toml").write_text('[subjects]\nextra = "我的科目.csv"\n', encoding="utf-8")
    result = pipeline.run(folder)
    assert (bk511(result), notes(result)) == (
        [(S_BASIC, "D5", Severity.WARNING, "30298 新增费用：名称“新增费用”与科目表中 30298 的名称“另一费用”不一致。")], ())


def test_a_code_list_reaches_a_worker_whole_and_the_shipped_one_by_name(tmp_path):
    """Every folder's job carries the folder's code list to a worker: the shipped list goes by
    name (the worker has its own copy), a list a user extended goes with every row."""
    import pickle

    from budgetkit.subjects import builtin

    assert pickle.loads(pickle.dumps(builtin())) is builtin()
    assert len(pickle.dumps(builtin())) < 200
    csv = tmp_path / "codes.csv"
    csv.write_text("system,code,name\nfunction,2990101,本区自设项目\n", encoding="utf-8")
    extended = builtin().extended(csv)
    sent = pickle.loads(pickle.dumps(extended))
    assert sent == extended and sent is not builtin()
    assert sent.lookup("function", "2990101").name == "本区自设项目"


def government_economic_table(tmp_path: Path, first_class: str = "501") -> Path:
    """A 2025 一般公共预算基本支出表 by 政府预算支出经济分类 (Jiangsu): 501 | 502 | 509 and their 款."""
    rows = [["2025年一般公共预算基本支出预算表（按政府预算经济分类）", None, None, None, None],
            ["部门：某县自然资源局", None, None, None, "单位：万元"],
            ["科目编码", "科目名称", "合计", "人员经费", "公用经费"],
            ["合计", None, 130.0, 110.0, 20.0],
            [first_class, "机关工资福利支出", 100.0, 100.0, None],
            [f"{first_class}01", "工资奖金津补贴", 70.0, 70.0, None],
            [f"{first_class}03", "住房公积金", 30.0, 30.0, None],
            ["502", "机关商品和服务支出", 20.0, None, 20.0],
            ["50201", "办公经费", 20.0, None, 20.0],
            ["509", "对个人和家庭的补助", 10.0, 10.0, None],
            ["50905", "离退休费", 10.0, 10.0, None]]
    folder = tmp_path / "in"
    write_workbook(folder / "某县自然资源局2025年部门预算.xlsx", {"基本支出": (rows, ["A1:E1", "A2:D2", "A4:B4"])})
    return folder


def test_a_basic_table_by_the_government_economic_classification_is_checked_against_it(tmp_path):
    """5xx codes are the parallel 政府预算支出经济分类: they were held to the 部门 one (3xx), a false
    'class 501 is in no classification' on every line. 50905 is unlisted: counted, not reported."""
    result = pipeline.run(government_economic_table(tmp_path))
    assert bk511(result) == []
    assert "科目表未收录，未核对名称：1 个（50905）" in notes(result)


def test_a_government_economic_code_whose_class_does_not_exist_is_a_warning(tmp_path):
    result = pipeline.run(government_economic_table(tmp_path, first_class="516"))
    assert bk511(result) == [
        ("基本支出", cell, Severity.WARNING, f"{code}：类 516 不在政府预算支出经济分类中，请核对编码。")
        for cell, code in (("A5", "516 机关工资福利支出"), ("A6", "51601 工资奖金津补贴"), ("A7", "51603 住房公积金"))]
