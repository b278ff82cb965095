"""budgetkit.toml: each key changes the run as documented, and each mistake in the
file is a Chinese error naming its line."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from textwrap import dedent

import openpyxl
import pytest
from conftest import REPO
from openpyxl.utils import get_column_letter, range_boundaries
from standard_tables import expenditure_sheet
from typer.testing import CliRunner
from workbook_builder import write_workbook

from budgetkit import pipeline
from budgetkit.cli import app
from budgetkit.config import Acceptance, Config, ConfigError, RulePolicy, parse_config
from budgetkit.model import Severity
from budgetkit.report.json_report import to_json
from budgetkit.tolerance import Tolerance

# 2080505 基本支出 13.00 instead of 13.43: BK101 fires at C13 (row total), BK103 at D12 (20805 ≠ Σ项).
BASIC_13_00 = {("2080505", "basic"): "13.00"}
# 基本支出 13.45: the row total 13.43 misses by 0.02, beyond the two printed figures' half cents
# (BK101 error); 6.71 beside its total 6.72 is one unit of the last digit, a 尾差 (BK101 info), and
# 20805 = 20.15 against 13.45 + 6.71 = 20.16 is within three half cents (BK103 info).
BASIC_13_45 = {("2080505", "basic"): "13.45", ("2080506", "basic"): "6.71"}
ACCEPT_BOTH = """
    [[accept]]
    rule = "BK101"
    file = "支出.xlsx"
    item = "2080505"
    reason = "养老保险缴费按调整后基数列支，已在说明中解释"

    [[accept]]
    rule = "BK103"
    item = "20805 行政事业单位养老支出"
    reason = "同上"
    """


def folder_with(tmp_path: Path, overrides: dict, config: str | None = None, rows_above: int = 0,
                name: str = "支出.xlsx") -> Path:
    folder = tmp_path / "in"
    write_workbook(folder / name, {"支出": _shifted(expenditure_sheet(overrides=overrides), rows_above)})
    if config is not None:
        (folder / "budgetkit.toml").write_text(dedent(config), encoding="utf-8")
    return folder


def _shifted(sheet: tuple[list, list], rows_above: int) -> tuple[list, list]:
    """The same sheet with notes inserted above its title, as a user inserting rows would."""
    rows, merges = sheet

    def down(merge: str) -> str:
        c0, r0, c1, r1 = range_boundaries(merge)
        return f"{get_column_letter(c0)}{r0 + rows_above}:{get_column_letter(c1)}{r1 + rows_above}"

    return [[f"附注{n}"] for n in range(1, rows_above + 1)] + rows, [down(m) for m in merges]


def listed(findings) -> list[tuple[str, str, Severity]]:
    return [(f.rule, f.ref.cell, f.severity) for f in findings]


def run_cli(*args: str):
    return CliRunner().invoke(app, ["run", *args])


def parse(text: str) -> Config:
    return parse_config(dedent(text).lstrip("\n"), Path("budgetkit.toml"))


def test_accepted_findings_move_to_the_explained_sheet_and_the_run_exits_zero(tmp_path):
    folder = folder_with(tmp_path, BASIC_13_00)
    assert run_cli(str(folder), "--out", str(tmp_path / "before.xlsx")).exit_code == 1

    (folder / "budgetkit.toml").write_text(dedent(ACCEPT_BOTH), encoding="utf-8")
    out, report = tmp_path / "s.xlsx", tmp_path / "s.json"
    result = run_cli(str(folder), "--out", str(out), "--json", str(report))
    assert result.exit_code == 0, result.output

    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    assert [(f["rule"], f["cell"], f["severity"], f["accepted"]) for f in findings] == [
        ("BK103", "D12", "error", {"reason": "同上"}),
        ("BK101", "C13", "error", {"reason": "养老保险缴费按调整后基数列支，已在说明中解释"}),
    ]
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["概览", "问题清单", "已说明", "报告用表", "报告文字"]
    assert book["问题清单"].max_row == 1
    explained = book["已说明"]
    assert [c.value for c in explained[1]] == ["序号", "严重程度", "规则", "文件", "工作表", "单元格", "项目", "填报值",
                                               "计算值", "差额", "单位", "说明", "说明理由"]
    assert [c.value for c in explained[3]] == [
        2, "错误", "BK101", "支出.xlsx", "支出", "C13", "2080505 机关事业单位基本养老保险缴费支出", 13.43, 13.0,
        pytest.approx(0.43), "万元", "2080505 机关事业单位基本养老保险缴费支出：“本年支出合计”填报 13.43，同行各列之和为 13.00，"
        "相差 +0.43万元。", "养老保险缴费按调整后基数列支，已在说明中解释"]
    overview = [[c.value for c in row] for row in book["概览"].iter_rows()]
    counts = overview[[r[0] for r in overview].index("问题统计") + 1:][:4]
    assert [r[:3] for r in counts] == [["严重程度", "条数", "已说明（不计入）"], ["错误", 0, 2], ["警告", 0, 0],
                                       ["提示", 0, 0]]


def test_open_findings_carry_accepted_null_in_the_json(tmp_path):
    folder = folder_with(tmp_path, BASIC_13_00, '[[accept]]\nrule = "BK101"\nreason = "已说明"\n')
    data = to_json(pipeline.run(folder))
    assert [(f["rule"], f["accepted"]) for f in data["findings"]] == [("BK103", None),
                                                                       ("BK101", {"reason": "已说明"})]


@pytest.mark.parametrize("rows_above, cell", [(0, "C13"), (1, "C14"), (3, "C16")])
def test_an_acceptance_follows_its_line_when_rows_are_inserted_above(tmp_path, rows_above, cell):
    config = '[[accept]]\nrule = "BK101"\nitem = "2080505"\nreason = "已说明"\n'
    result = pipeline.run(folder_with(tmp_path, BASIC_13_00, config, rows_above=rows_above))
    assert [(a.finding.rule, a.finding.ref.cell, a.reason) for a in result.accepted] == [("BK101", cell, "已说明")]
    assert [f.rule for f in result.findings] == ["BK103"]


@pytest.mark.parametrize("file, item, accepted", [
    ("支出.xlsx", None, True),                         # the file name alone
    ("二级单位/支出.xlsx", None, True),                # the path relative to the input folder
    ("二级单位\\支出.xlsx", None, True),               # as typed on Windows
    ("其他.xlsx", None, False),
    (None, "2080505", True),                          # a 科目编码 names its line
    (None, "2080505 机关事业单位基本养老保险缴费支出", True),
    (None, "20805", False),                           # the 款 is another line, not a prefix of this one
    (None, "机关事业单位基本养老保险缴费支出", False),  # a coded line is named by its code or its full item
])
def test_acceptances_match_by_file_and_item(tmp_path, file, item, accepted):
    entry = ['rule = "BK101"', 'reason = "已说明"'] + ([f"file = '{file}'"] if file else []) + \
        ([f'item = "{item}"'] if item else [])
    folder = folder_with(tmp_path, BASIC_13_00, "[[accept]]\n" + "\n".join(entry) + "\n", name="二级单位/支出.xlsx")
    result = pipeline.run(folder)
    assert [a.finding.rule for a in result.accepted] == (["BK101"] if accepted else [])


def test_an_acceptance_for_another_rule_leaves_the_finding_open(tmp_path):
    config = '[[accept]]\nrule = "BK102"\nitem = "2080505"\nreason = "已说明"\n'
    result = pipeline.run(folder_with(tmp_path, BASIC_13_00, config))
    assert (result.accepted, [f.rule for f in result.findings]) == ([], ["BK103", "BK101"])


def test_a_disabled_rule_is_not_run_and_coverage_says_why(tmp_path):
    result = pipeline.run(folder_with(tmp_path, BASIC_13_00, '[rules]\ndisable = ["BK101"]\n'))
    assert listed(result.findings) == [("BK103", "D12", Severity.ERROR)]
    rules = {r["code"]: r for r in to_json(result)["rules"]}
    assert (rules["BK101"]["status"], rules["BK101"]["reason"], rules["BK101"]["findings"]) == \
        ("not_run", "已在 budgetkit.toml 中停用", 0)
    assert rules["BK103"]["status"] == "ran"


def test_a_severity_override_changes_the_rule_but_rounding_stays_info(tmp_path):
    folder = folder_with(tmp_path, BASIC_13_45)
    assert listed(pipeline.run(folder).findings) == [("BK101", "C13", Severity.ERROR),
                                                     ("BK103", "D12", Severity.INFO), ("BK101", "C14", Severity.INFO)]

    (folder / "budgetkit.toml").write_text('[rules]\nseverity = { BK101 = "warning", BK103 = "warning" }\n',
                                           encoding="utf-8")
    result = pipeline.run(folder)
    assert listed(result.findings) == [("BK101", "C13", Severity.WARNING), ("BK103", "D12", Severity.INFO),
                                       ("BK101", "C14", Severity.INFO)]
    assert not result.has_errors
    assert {r["code"]: r["severity"] for r in to_json(result)["rules"]}["BK101"] == "warning"


def test_tolerance_amount_widens_the_envelope_so_a_small_gap_becomes_info(tmp_path):
    result = pipeline.run(folder_with(tmp_path, BASIC_13_45, "[tolerance]\namount = 0.01\n"))
    assert listed(result.findings) == [("BK103", "D12", Severity.INFO), ("BK101", "C13", Severity.INFO),
                                       ("BK101", "C14", Severity.INFO)]
    assert result.findings[1].message == (
        "2080505 机关事业单位基本养老保险缴费支出：“本年支出合计”填报 13.43，同行各列之和为 13.45，相差 -0.02万元。"
        "差额在取整误差允许范围（±0.02万元）内，属尾差（各数分别四舍五入所致），一般无需更正。")


def test_tolerance_share_widens_the_envelope_of_a_share_in_percentage_points(tmp_path):
    folder = tmp_path / "workbooks"
    shutil.copytree(REPO / "workbooks", folder)
    share_finding = lambda: next(f for f in pipeline.run(folder).findings if f.rule == "BK301")  # noqa: E731
    assert (share_finding().ref.cell, share_finding().severity) == ("C4", Severity.ERROR)
    # 0% against 0.5132%: half a point is shown rounding; 0.05 more points cover the rest.
    (folder / "budgetkit.toml").write_text("[tolerance]\nshare = 0.05\n", encoding="utf-8")
    assert (share_finding().ref.cell, share_finding().severity) == ("C4", Severity.INFO)


def test_config_option_reads_a_file_outside_the_folder_instead_of_the_folders_own(tmp_path):
    folder = folder_with(tmp_path, BASIC_13_00, "[rules]\nunknown = 1\n")
    elsewhere = tmp_path / "审核口径.toml"
    elsewhere.write_text(dedent(ACCEPT_BOTH), encoding="utf-8")
    result = run_cli(str(folder), "--out", str(tmp_path / "s.xlsx"), "--config", str(elsewhere))
    assert result.exit_code == 0, result.output


def test_a_missing_config_option_file_exits_2(tmp_path):
    folder = folder_with(tmp_path, BASIC_13_00)
    result = run_cli(str(folder), "--out", str(tmp_path / "s.xlsx"), "--config", str(tmp_path / "无.toml"))
    assert result.exit_code == 2
    assert "找不到配置文件" in result.output


def test_a_wrong_config_exits_2_naming_the_file_and_line_before_reading_workbooks(tmp_path):
    folder = folder_with(tmp_path, BASIC_13_00, '[rules]\ndisable = ["BK101"]\nseverity = { BK101 = "fatal" }\n')
    result = run_cli(str(folder), "--out", str(tmp_path / "s.xlsx"))
    assert result.exit_code == 2
    # The console wraps long lines, so compare without whitespace.
    assert re.sub(r"\s", "", "第 3 行：[rules] severity 中 BK101 的严重程度“fatal”无效；可用的有 error、warning、info。") in \
        re.sub(r"\s", "", result.output)
    assert not (tmp_path / "s.xlsx").exists()


def test_the_readme_example_parses_to_exact_settings(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("## 配置文件 budgetkit.toml", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "本地科目.csv").write_text("system,code,name\nfunction,2130199,本地新增科目\n", encoding="utf-8")
    config = parse_config(example, tmp_path / "budgetkit.toml")
    assert (config.tolerance, config.policy) == (
        Tolerance(amount=Decimal("0.01"), share=Decimal("0.01")),
        RulePolicy(disabled=frozenset({"BK302"}), severity={"BK402": Severity.INFO},
                   accept=(Acceptance("BK201", "上年预算调整，已在说明中解释", "2023年决算.xlsx", "2130101"),)))
    assert config.subjects.lookup("function", "2130199").name == "本地新增科目"


def test_an_empty_config_means_the_defaults():
    assert parse("# 暂不需要任何设置\n") == Config()


def test_a_config_saved_with_a_bom_is_read(tmp_path):
    folder = folder_with(tmp_path, BASIC_13_00)
    (folder / "budgetkit.toml").write_text('[rules]\ndisable = ["BK101"]\n', encoding="utf-8-sig")
    assert [f.rule for f in pipeline.run(folder).findings] == ["BK103"]


def test_a_config_saved_in_gbk_is_refused_with_advice(tmp_path):
    folder = folder_with(tmp_path, BASIC_13_00)
    (folder / "budgetkit.toml").write_text('[[accept]]\nrule = "BK101"\nreason = "已说明"\n', encoding="gbk")
    with pytest.raises(ConfigError) as error:
        pipeline.run(folder)
    assert str(error.value) == f"{folder / 'budgetkit.toml'}：不是 UTF-8 编码，请用“另存为 → UTF-8”保存。"


@pytest.mark.parametrize("text, message", [
    ("""
     [tolerance]
     amount = 0.01

     [rule]
     disable = ["BK101"]
     """, "第 4 行：未知的配置项“rule”；可用的有 [tolerance]、[rules]、[[accept]]、[subjects]、[selfeval]、[execution]。"),
    ("""
     [tolerance]
     amount = 0.01
     shares = 0.01
     """, "第 3 行：[tolerance] 中未知的配置项“shares”；可用的有 amount、share。"),
    ("""
     [tolerance]
     amount = "0.01"
     """, "第 2 行：[tolerance] amount 应为数字，实际为文字。"),
    ("""
     [tolerance]
     share = true
     """, "第 2 行：[tolerance] share 应为数字，实际为布尔值。"),
    ("""
     [tolerance]
     share = -0.5
     """, "第 2 行：[tolerance] share 不能为负数。"),
    ("""
     [rules]
     disable = [
       "BK101",
       "BK999",
     ]
     """, "第 4 行：未知的规则编号“BK999”；运行 budgetkit rules 查看全部规则。"),
    ("""
     [rules]
     disable = "BK101"
     """, "第 2 行：[rules] disable 应为规则编号的数组，如 [\"BK302\"]，实际为文字。"),
    ("""
     [rules]
     disable = ["BK101"]
     severity = { BK402 = "warning", BK998 = "error" }
     """, "第 3 行：未知的规则编号“BK998”；运行 budgetkit rules 查看全部规则。"),
    ("""
     [rules]
     disable = ["BK101"]

     [rules.severity]
     BK301 = "warning"
     BK402 = "fatal"
     """, "第 6 行：[rules] severity 中 BK402 的严重程度“fatal”无效；可用的有 error、warning、info。"),
    ("""
     [[accept]]
     rule = "BK101"
     reason = "已说明"

     [[accept]]
     rule = "BK909"
     reason = "已说明"
     """, "第 6 行：未知的规则编号“BK909”；运行 budgetkit rules 查看全部规则。"),
    ("""
     [[accept]]
     rule = "BK101"
     reason = "已说明"

     [[accept]]
     rule = "BK103"
     """, "第 5 行：第 2 条 [[accept]] 缺少 reason，或 reason 为空。"),
    ("""
     [[accept]]
     rule = "BK101"
     reson = "已说明"
     """, "第 3 行：[accept] 中未知的配置项“reson”；可用的有 rule、file、item、reason。"),
    ("""
     [[accept]]
     rule = "BK101"
     item = 2080505
     reason = "已说明"
     """, "第 3 行：[accept] item 应为文字（加引号），实际为整数。"),
    ("""
     [accept]
     rule = "BK101"
     """, "第 1 行：accept 应写成 [[accept]]（每条说明一个 [[accept]]）。"),
    ("""
     # 全部写在根部的写法
     tolerance.amount = "0.01"
     """, "第 2 行：[tolerance] amount 应为数字，实际为文字。"),
    ("""
     [rules]
     disable = ["BK101"
     severity = {}
     """, "第 3 行：不是有效的 TOML 格式（Unclosed array）。"),
    ("""
     [execution]
     low = 100
     high = 90
     """, "第 1 行：[execution] low 应不大于 high，如 low = 90，high = 100。"),
    ("""
     [execution]
     low = "90%"
     """, "第 2 行：[execution] low 应为百分数（如 90），实际为文字。"),
], ids=["unknown-table", "unknown-key", "amount-text", "share-bool", "share-negative", "unknown-code-in-disable",
        "disable-not-list", "unknown-code-in-severity", "unknown-severity", "unknown-code-in-second-accept",
        "accept-without-reason", "unknown-accept-key", "item-not-quoted", "accept-as-table", "dotted-root-key",
        "toml-syntax", "execution-band-reversed", "execution-band-text"])
def test_a_mistake_in_the_config_is_an_error_naming_its_line(text, message):
    with pytest.raises(ConfigError) as error:
        parse(text)
    assert str(error.value) == f"budgetkit.toml {message}"
