"""Outputs never overwrite inputs: --out, --json, --docx (and the --split files beside
--out) naming a file of the checked folder that budgetkit did not write are refused
with one Chinese sentence and exit 2, and the file is left as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from conftest import REPO
from standard_tables import expenditure_sheet
from typer.testing import CliRunner
from workbook_builder import write_workbook

from budgetkit import pipeline
from budgetkit.cli import app

REFUSED = "不能把结果写到"


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "区科协"
    shutil.copytree(REPO / "workbooks", folder)
    draft = docx.Document()
    draft.add_paragraph("部门自己的说明草稿。")
    draft.save(str(folder / "说明.docx"))
    return folder


def run(*args: str):
    return CliRunner().invoke(app, ["run", *map(str, args)])


def refused(result) -> bool:
    return result.exit_code == 2 and REFUSED in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("option, name", [("--json", "区科协2022年部门决算.xlsx"), ("--docx", "说明.docx"),
                                          ("--out", "区科协2022年整体绩效自评报告.txt"),
                                          ("--out", "区科协2022年收支构成测算表.xls")])
def test_an_output_naming_a_file_of_the_folder_is_refused_before_anything_is_read(folder, tmp_path, monkeypatch,
                                                                                   option, name):
    def read(*args, **kwargs):
        raise AssertionError("the folder was read")

    monkeypatch.setattr(pipeline, "run", read)
    before = (folder / name).read_bytes()
    extra = [] if option == "--out" else ["--out", tmp_path / "s.xlsx"]
    assert refused(run(folder, option, folder / name, *extra))
    assert (folder / name).read_bytes() == before and not (tmp_path / "s.xlsx").exists()


def test_any_other_file_in_the_folder_is_refused_too(folder, tmp_path):
    (folder / "附件").mkdir()
    (folder / "附件" / "备注.json").write_text('{"备注": "部门自己的文件"}', encoding="utf-8")
    assert refused(run(folder, "--out", tmp_path / "s.xlsx", "--json", folder / "附件" / "备注.json"))
    assert (folder / "附件" / "备注.json").read_text(encoding="utf-8") == '{"备注": "部门自己的文件"}'


def test_the_config_file_given_from_elsewhere_is_protected(folder, tmp_path):
    config = tmp_path / "配置.toml"
    config.write_text("[tolerance]\namount = 0.01\n", encoding="utf-8")
    assert refused(run(folder, "--config", config, "--out", tmp_path / "s.xlsx", "--json", config))
    assert config.read_text(encoding="utf-8") == "[tolerance]\namount = 0.01\n"


def test_our_own_outputs_inside_the_folder_are_replaced_on_the_next_run(folder):
    outputs = ["--out", folder / "结果" / "汇总.xlsx", "--json", folder / "结果" / "结果.json",
               "--docx", folder / "结果" / "报告.docx"]
    assert run(folder, *outputs).exit_code == 1
    again = run(folder, *outputs)
    assert again.exit_code == 1, again.output


def test_a_split_summary_that_would_replace_a_department_file_writes_nothing(tmp_path):
    folder = tmp_path / "区财政局"
    for name in ("甲部门", "乙部门"):
        rows, merges = expenditure_sheet()
        rows = [list(r) for r in rows]
        rows[1][0] = f"部门：{name}"
        write_workbook(folder / name / "2022年决算.xlsx", {"支出": (rows, merges)})
    own = write_workbook(folder / "甲部门" / "汇总-甲部门 2022.xlsx", {"备注": ([["部门自己的工作簿"]], [])})
    before = own.read_bytes()
    assert refused(run(folder, "--out", folder / "汇总.xlsx", "--split"))
    assert own.read_bytes() == before and not (folder / "汇总.xlsx").exists()
