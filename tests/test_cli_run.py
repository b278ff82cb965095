"""End to end: `budgetkit run` on a folder, as a user runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from conftest import REPO
from msoffcrypto.format.ooxml import OOXMLFile
from standard_tables import expenditure_sheet
from typer.testing import CliRunner
from workbook_builder import write_workbook

from budgetkit.cli import app

runner = CliRunner()


@pytest.fixture
def samples(tmp_path) -> Path:
    folder = tmp_path / "workbooks"
    shutil.copytree(REPO / "workbooks", folder)
    return folder


def run_cli(*args: str):
    return runner.invoke(app, ["run", *args])


def test_samples_give_a_summary_workbook_and_json_with_the_model_report_errors(samples, tmp_path):
    out, report = tmp_path / "out" / "summary.xlsx", tmp_path / "out" / "summary.json"
    result = run_cli(str(samples), "--out", str(out), "--json", str(report))
    assert result.exit_code == 1, result.output

    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert [(f["path"], f["status"]) for f in data["files"]] == [("区科协2022年收支构成测算表.xls", "ok"),
                                                                 ("区科协2022年绩效自评表.xlsx", "ok"),
                                                                 ("区科协2022年部门决算.xlsx", "ok")]
    assert data["texts"] == [{"path": "区科协2022年整体绩效自评报告.txt", "status": "ok", "reason": "", "paragraphs": 4}]
    errors = [(f["rule"], f["sheet"], f["cell"], f["stated"], f["expected"], f["difference"])
              for f in data["findings"] if f["severity"] == "error"]
    assert errors == [("BK301", "收支构成", "C4", 0, 0.5132, -0.5132),
                      ("BK303", "收支构成", "B8", 163.68, 164.52, -0.84),
                      ("BK601", "报告文字", "第2段", 163.68, 164.52, -0.84),
                      ("BK602", "报告文字", "第2段", 0, 0.5132, -0.5132),
                      ("BK611", "报告文字", "第4段", 0, 8400, -8400)]
    carry = data["findings"][1]
    assert carry["related"] == [{"file": "区科协2022年收支构成测算表.xls", "sheet": "收支构成", "cell": f"B{r}"}
                                for r in (4, 5, 6, 7)]
    info = [(f["rule"], f["cell"]) for f in data["findings"] if f["severity"] == "info"]
    assert info == [("BK103", "C12"), ("BK103", "D12")]
    assert {r["code"]: r["status"] for r in data["rules"]}["BK201"] == "ran"

    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == ["概览", "问题清单"]
    issues = book["问题清单"]
    assert [c.value for c in issues[1]] == ["序号", "严重程度", "规则", "文件", "工作表", "单元格", "项目", "填报值",
                                           "计算值", "差额", "单位", "说明"]
    assert [c.value for c in issues[3]][:11] == [2, "错误", "BK303", "区科协2022年收支构成测算表.xls", "收支构成", "B8",
                                                "合计", 163.68, 164.52, pytest.approx(-0.84), "万元"]
    assert [c.value for c in issues[4]][3:7] == ["区科协2022年整体绩效自评报告.txt", "报告文字", "第2段", "年初收入预算"]
    assert issues["F4"].hyperlink is None  # a text has no grid, so no annotated copy to link to
    assert issues.freeze_panes == "A2" and issues.auto_filter.ref == "A1:L8"
    link = issues["F3"].hyperlink
    copy_name, address = link.location.rsplit("!", 1)
    annotated = book[copy_name.strip("'")]
    assert address == "B8" and annotated["B8"].value == 163.68
    assert "BK303" in annotated["B8"].comment.text
    assert annotated["B8"].fill.fgColor.rgb.endswith("F8CBAD")


def test_a_consistent_folder_exits_zero(tmp_path):
    write_workbook(tmp_path / "in" / "支出.xlsx", {"s": expenditure_sheet()})
    result = run_cli(str(tmp_path / "in"), "--out", str(tmp_path / "s.xlsx"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s.xlsx").exists()


def test_bad_files_are_named_with_a_reason_and_the_run_goes_on(samples, tmp_path):
    (samples / "空文件.xlsx").write_bytes(b"")
    (samples / "损坏.xlsx").write_bytes(b"PK\x03\x04 this is not really a zip archive")
    (samples / "文本.xls").write_text("这不是表格", encoding="utf-8")
    with (REPO / "workbooks" / "区科协2022年部门决算.xlsx").open("rb") as source, \
            (samples / "加密.xlsx").open("wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    write_workbook(samples / "通讯录.xlsx", {"名单": ([["姓名", "电话"], ["张三", "123"]], [])})
    report = tmp_path / "r.json"
    result = run_cli(str(samples), "--out", str(tmp_path / "s.xlsx"), "--json", str(report))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    files = {f["path"]: (f["status"], f["reason"]) for f in json.loads(report.read_text("utf-8"))["files"]}
    assert files["空文件.xlsx"] == ("failed", "文件为空（0 字节）")
    assert files["损坏.xlsx"][0] == "failed" and "损坏" in files["损坏.xlsx"][1]
    assert files["文本.xls"][0] == "failed" and "不是 Excel 工作簿" in files["文本.xls"][1]
    assert files["加密.xlsx"][0] == "failed" and "密码" in files["加密.xlsx"][1]
    assert files["通讯录.xlsx"] == ("skipped", "未在文件中找到可识别的预算/决算表格")
    assert files["区科协2022年部门决算.xlsx"] == ("ok", "")
    overview = openpyxl.load_workbook(tmp_path / "s.xlsx")["概览"]
    texts = {str(c.value) for row in overview.iter_rows() for c in row if c.value}
    assert "文件为空（0 字节）" in texts and "加密.xlsx" in texts


def test_missing_folder_and_folder_without_workbooks_exit_2(tmp_path):
    assert run_cli(str(tmp_path / "nope")).exit_code == 2
    (tmp_path / "empty").mkdir()
    assert run_cli(str(tmp_path / "empty")).exit_code == 2


def test_lock_files_and_our_own_summary_are_not_read_as_inputs(samples, tmp_path):
    (samples / "~$区科协2022年部门决算.xlsx").write_bytes(b"\x00lock")
    run_cli(str(samples), "--out", str(samples / "summary.xlsx"))
    report = tmp_path / "r.json"
    run_cli(str(samples), "--out", str(tmp_path / "other.xlsx"), "--json", str(report))
    paths = [f["path"] for f in json.loads(report.read_text("utf-8"))["files"]]
    assert paths == ["区科协2022年收支构成测算表.xls", "区科协2022年绩效自评表.xlsx", "区科协2022年部门决算.xlsx"]


def test_rules_command_lists_the_catalog_and_one_rule(tmp_path):
    listing = runner.invoke(app, ["rules"])
    assert listing.exit_code == 0 and "| BK301 | error | 占比计算" in listing.output
    page = runner.invoke(app, ["rules", "bk303"])
    assert "错误示例" in page.output and "正确示例" in page.output
    assert runner.invoke(app, ["rules", "BK999"]).exit_code == 2


def test_docs_rules_md_is_generated_from_the_catalog():
    generated = subprocess.run([sys.executable, "-m", "budgetkit.rules.docs"], capture_output=True, text=True,
                               check=True, cwd=REPO).stdout
    assert (REPO / "docs" / "rules.md").read_text(encoding="utf-8") == generated, \
        "docs/rules.md is stale: run `python -m budgetkit.rules.docs > docs/rules.md`"


def test_every_rule_documents_a_wrong_and_a_right_example():
    from budgetkit.rules import CATALOG
    for rule in CATALOG.values():
        assert "错误示例" in rule.doc and "正确示例" in rule.doc, rule.code


def batch_folder(tmp_path: Path) -> Path:
    """Three departments, one sub-folder each; only 乙 has an error."""
    folder = tmp_path / "区财政局"
    for name, overrides in (("甲部门", {}), ("乙部门", {("2080505", "basic"): "13.00"}), ("丙部门", {})):
        rows, merges = expenditure_sheet(overrides=overrides)
        rows = [list(r) for r in rows]
        rows[1][0] = f"部门：{name}"
        write_workbook(folder / name / "2022年决算.xlsx", {"支出": (rows, merges)})
    return folder


def test_a_batch_summary_lists_every_department_and_filters_findings_by_department(tmp_path):
    folder = batch_folder(tmp_path)
    out = tmp_path / "out" / "汇总.xlsx"
    result = run_cli(str(folder), "--out", str(out))
    assert result.exit_code == 1, result.output
    book = openpyxl.load_workbook(out)
    assert "报告用表" not in book.sheetnames  # several departments: report tables only on request
    overview = book["概览"]
    rows = [[c.value for c in row] for row in overview.iter_rows()]
    start = next(i for i, row in enumerate(rows) if row[0] == "各部门")
    assert rows[start + 1][:5] == ["部门", "表格数", "错误", "警告", "提示"]
    assert [row[:5] for row in rows[start + 2:start + 5]] == [["乙部门 2022", 1, 2, 0, 0], ["丙部门 2022", 1, 0, 0, 0],
                                                              ["甲部门 2022", 1, 0, 0, 0]]
    issues = book["问题清单"]
    assert issues["M1"].value == "部门" and issues.auto_filter.ref == "A1:M3"
    assert [issues[f"M{r}"].value for r in (2, 3)] == ["乙部门 2022", "乙部门 2022"]
    assert book.sheetnames == ["概览", "问题清单"]  # annotated copies: one workbook per department under 标注/
    link = issues["F2"].hyperlink
    assert (unquote(link.target.replace("\\", "/")), link.location) == ("标注/乙部门/乙部门 2022.xlsx", "'标注1-支出'!D12")


def test_a_batch_overview_names_each_files_tables_in_its_row_and_one_department_lists_them_one_by_one(
        tmp_path, samples):
    """A district's thousands of tables listed one per row would bury the 概览's rule coverage
    under them: with several departments, each file's row says its tables."""
    out = tmp_path / "out" / "汇总.xlsx"
    assert run_cli(str(batch_folder(tmp_path)), "--out", str(out)).exit_code == 1
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(out)["概览"].iter_rows()]
    start = next(i for i, row in enumerate(rows) if row[0] == "读取的文件")
    assert rows[start + 2][:4] == ["丙部门/2022年决算.xlsx", "已读取", "1 张：支出决算表（万元）", None]
    assert "识别的表格" not in [row[0] for row in rows]
    assert "规则覆盖" in [row[0] for row in rows]

    single = tmp_path / "single.xlsx"
    run_cli(str(samples), "--out", str(single))
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(single)["概览"].iter_rows()]
    files = next(i for i, row in enumerate(rows) if row[0] == "读取的文件")
    assert rows[files + 2][:3] == ["区科协2022年收支构成测算表.xls", "已读取", 2]
    start = next(i for i, row in enumerate(rows) if row[0] == "识别的表格")
    assert rows[start + 1][:4] == ["文件", "工作表", "表格", "单位"]


def test_split_writes_one_summary_per_department_and_report_on_request(tmp_path):
    folder = batch_folder(tmp_path)
    out = tmp_path / "out" / "汇总.xlsx"
    assert run_cli(str(folder), "--out", str(out), "--split", "--report").exit_code == 1
    assert sorted(p.relative_to(out.parent).as_posix() for p in out.parent.rglob("*.xlsx")
                  if "标注" not in p.parts) == ["丙部门/汇总-丙部门 2022.xlsx", "乙部门/汇总-乙部门 2022.xlsx",
                                                 "汇总.xlsx", "甲部门/汇总-甲部门 2022.xlsx"]
    assert "报告用表" in openpyxl.load_workbook(out).sheetnames
    single = openpyxl.load_workbook(out.parent / "乙部门" / "汇总-乙部门 2022.xlsx")
    assert "报告用表" in single.sheetnames and "M1" not in [c.coordinate for c in single["问题清单"][1] if c.value]
    assert [single["问题清单"][f"F{r}"].value for r in (2, 3)] == ["D12", "C13"]
    quiet = openpyxl.load_workbook(out.parent / "甲部门" / "汇总-甲部门 2022.xlsx")["问题清单"]
    assert quiet.max_row == 1


def test_split_summaries_of_one_department_name_in_two_folders_are_both_kept(tmp_path):
    """Two folders each holding a department of one name and year (a revised set beside the
    first): each folder's --split summary is its own file, as its annotated copies are."""
    folder = tmp_path / "区财政局"
    for version, overrides in (("初稿", {("2080505", "basic"): "13.00"}), ("修订稿", {})):
        rows, merges = expenditure_sheet(overrides=overrides)
        rows = [list(r) for r in rows]
        rows[1][0] = "部门：甲部门"
        write_workbook(folder / version / "2022年决算.xlsx", {"支出": (rows, merges)})
    out = tmp_path / "out" / "汇总.xlsx"
    assert run_cli(str(folder), "--out", str(out), "--split").exit_code == 1
    first, revised = (openpyxl.load_workbook(out.parent / version / "汇总-甲部门 2022.xlsx")["问题清单"]
                      for version in ("初稿", "修订稿"))
    assert [(first[f"C{r}"].value, first[f"D{r}"].value, first[f"F{r}"].value) for r in (2, 3)] == [
        ("BK103", "初稿/2022年决算.xlsx", "D12"), ("BK101", "初稿/2022年决算.xlsx", "C13")]
    assert revised.max_row == 1


def test_help_and_rules_start_without_pandas_or_openpyxl():
    probe = ("import sys; from typer.testing import CliRunner; from budgetkit.cli import app; "
             "CliRunner().invoke(app, ['--help']); CliRunner().invoke(app, ['rules']); "
             "print(sorted(m for m in ('pandas', 'openpyxl', 'numpy') if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    assert shown.stdout.strip() == "[]"


def test_an_unexpected_failure_is_one_chinese_sentence_and_exit_2_unless_debug(samples, tmp_path, monkeypatch):
    from budgetkit import pipeline

    def broken(*args, **kwargs):
        raise ZeroDivisionError("inside the reconcile stage")

    monkeypatch.setattr(pipeline, "run", broken)
    plain = run_cli(str(samples), "--out", str(tmp_path / "s.xlsx"))
    assert plain.exit_code == 2
    assert "运行中出现意外错误（ZeroDivisionError）" in plain.output and "Traceback" not in plain.output
    debug = run_cli(str(samples), "--out", str(tmp_path / "s.xlsx"), "--debug")
    assert isinstance(debug.exception, ZeroDivisionError)


def test_a_blank_box_merged_below_a_flagged_table_does_not_stop_the_summary(tmp_path):
    rows, merges = expenditure_sheet(overrides={("2080505", "basic"): "13.00"})
    write_workbook(tmp_path / "in" / "t.xlsx", {"支出": (rows, merges + [f"A{len(rows) + 3}:D{len(rows) + 4}"])})
    assert run_cli(str(tmp_path / "in"), "--out", str(tmp_path / "s.xlsx")).exit_code == 1
    copy = openpyxl.load_workbook(tmp_path / "s.xlsx")["标注1-支出"]
    assert copy["C13"].comment is not None


def test_the_workers_started_early_are_as_many_as_the_run_takes(tmp_path):
    """A batch checked folder by folder takes one worker per folder, not one per workbook:
    the others would import everything and wait idle until the end."""
    from budgetkit.cli import _readers_taken

    for name in ("甲部门/决算.xlsx", "甲部门/预算.xls", "乙部门/决算.xlsx", "乙部门/说明.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    assert _readers_taken(tmp_path, by_folder_allowed=True) == 2
    assert _readers_taken(tmp_path, by_folder_allowed=False) == 3
    assert _readers_taken(tmp_path / "甲部门", by_folder_allowed=True) == 2
