"""A real messy folder through the real command: one of each bad file next to good workbooks.

The good workbooks give their findings, each bad file gets one clear reason, no
traceback is printed, no input changes by a single byte, and the command's own
outputs in the folder are never read back.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import bad_files
import openpyxl
import pytest
import xlsxwriter
from bad_files import SAMPLE_XLS, SAMPLE_XLSX
from typer.testing import CliRunner

from budgetkit.cli import app
from budgetkit.discover import _may_hold, is_budgetkit_output

runner = CliRunner()

DAMAGED = "文件已损坏：ZIP 结构不完整（可能下载或复制不完整）"
NEEDS_PASSWORD = "文件设有打开密码，无法读取；可用 --password 提供密码，或另存为无密码的副本后再检查"
CRASHED = "读取程序在读取此文件时异常退出：文件很可能已损坏（或单个工作表大到无法放入内存）"
LOCKED = "文件被其他程序占用或没有读取权限；请关闭正在使用它的 Excel/WPS 后重试"
XML_BOMB = "文件中含有 XML 文档类型声明（DTD）：Excel 不会写出这种内容，这是可能耗尽内存的恶意构造（XML 炸弹），已拒绝读取"


@pytest.fixture
def messy(tmp_path) -> Path:
    folder = tmp_path / "决算材料"
    (folder / "下载").mkdir(parents=True)
    shutil.copy(SAMPLE_XLSX, folder / "区科协2022年部门决算.xlsx")
    shutil.copy(SAMPLE_XLS, folder / "区科协2022年收支构成测算表.xls")
    (folder / "空文件.xlsx").write_bytes(b"")
    (folder / "说明.xls").write_text("这不是表格", encoding="utf-8")
    bad_files.truncated(folder / "下载" / "半截.xlsx")
    bad_files.encrypted(folder / "加密.xlsx")
    bad_files.xml_bomb(folder / "炸弹.xlsx")
    bad_files.crashing_xls(folder / "崩溃.xls")
    bad_files.hidden_table(folder / "隐藏.xlsx")
    bad_files.uncached_formulas(folder / "公式.xlsx")
    bad_files.html_as_xls(folder / "下载" / "网页.xls")
    bad_files.unreadable(folder / "占用.xlsx")
    (folder / "~$区科协2022年部门决算.xlsx").write_bytes(b"\x00lock")
    return folder


def digests(folder: Path) -> dict[str, str]:
    """Every input file's SHA-256; the unreadable one by its link target, as nobody can read it."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[path.name] = f"-> {path.readlink()}"
        elif path.is_file() and path.stat().st_mode & 0o444:
            found[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_file():
            found[path.name] = f"mode {path.stat().st_mode:o}, {path.stat().st_size} bytes"
    return found


def run_cli(*args: str):
    return runner.invoke(app, ["run", *args])


def test_each_bad_file_gets_one_reason_the_good_ones_their_findings_and_no_input_changes(messy):
    before = digests(messy)
    out, report = messy / "汇总.xlsx", messy / "结果.json"

    result = run_cli(str(messy), "--out", str(out), "--json", str(report))

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    files = {f["path"]: (f["status"], f["reason"]) for f in data["files"]}
    assert files == {
        "下载/半截.xlsx": ("failed", DAMAGED),
        "下载/网页.xls": ("ok", ""),
        "公式.xlsx": ("ok", "工作表“支出决算表”有 4 个公式单元格没有保存计算结果（C5、D5、E5、C6），"
                           "已按公式算出；在 Excel/WPS 中打开并保存一次即可写入结果；"
                           "工作表“支出决算表”有 1 个公式单元格没有保存计算结果且无法计算"
                           "（C12；只计算同一工作表内的 SUM 和加减），涉及它们的核对未进行"),
        "加密.xlsx": ("failed", NEEDS_PASSWORD),
        "区科协2022年收支构成测算表.xls": ("ok", ""),
        "区科协2022年部门决算.xlsx": ("ok", ""),
        "占用.xlsx": ("failed", LOCKED),
        "崩溃.xls": ("failed", CRASHED),
        "炸弹.xlsx": ("failed", XML_BOMB),
        "空文件.xlsx": ("failed", "文件为空（0 字节）"),
        "说明.xls": ("failed", "文件不是 Excel 工作簿，实际是纯文本文件"),
        "隐藏.xlsx": ("skipped", "未在文件中找到可识别的预算/决算表格；"
                                "支出决算表（隐藏工作表，未读取；加 --include-hidden 可读取）"),
    }
    assert len(data["files"]) == len(files)
    sample_errors = [(f["rule"], f["file"], f["cell"]) for f in data["findings"]
                     if f["severity"] == "error" and f["file"].startswith("区科协")]
    assert sample_errors == [("BK301", "区科协2022年收支构成测算表.xls", "C4"),
                             ("BK303", "区科协2022年收支构成测算表.xls", "B8")]
    overview = openpyxl.load_workbook(out)["概览"]
    texts = [str(c.value) for row in overview.iter_rows() for c in row if c.value]
    assert texts.count(XML_BOMB) == 1 and texts.count(CRASHED) == 1 and texts.count(LOCKED) == 1

    annotated = {p.name for p in (messy / "标注").iterdir()}  # the departments' annotated copies, ours
    assert {k: v for k, v in digests(messy).items() if k not in annotated} == \
        {**before, "汇总.xlsx": digests(messy)["汇总.xlsx"], "结果.json": digests(messy)["结果.json"]}
    assert sorted(p.name for p in messy.iterdir() if p.name.startswith(".budgetkit-")) == []


def test_the_password_option_and_the_hidden_option_reach_the_reader(messy, tmp_path):
    os.utime(messy / "隐藏.xlsx", (1_700_000_000, 1_700_000_000))  # older than 公式.xlsx on any file system
    report = tmp_path / "r.json"
    result = run_cli(str(messy), "--out", str(tmp_path / "s.xlsx"), "--json", str(report),
                     "--password", "secret", "--include-hidden")
    assert "Traceback" not in result.output
    files = {f["path"]: f for f in json.loads(report.read_text(encoding="utf-8"))["files"]}
    assert (files["加密.xlsx"]["status"], [t["sheet"] for t in files["加密.xlsx"]["tables"]]) == (
        "ok", ["收入支出决算总表", "收入决算表", "支出决算表"])
    # The hidden sheet is read: its 支出决算表 is 测试局's, as is 公式.xlsx's, which differs and is
    # newer, so the hidden one is that table's older version (without --include-hidden it has none).
    assert (files["隐藏.xlsx"]["status"], files["隐藏.xlsx"]["reason"]) == (
        "skipped", "旧版本，未核对（以 公式.xlsx 为准，文件修改时间较晚）")


def test_the_max_cells_option_reaches_the_reader(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE_XLSX, folder / "决算.xlsx")
    report = tmp_path / "r.json"
    run_cli(str(folder), "--out", str(tmp_path / "s.xlsx"), "--json", str(report), "--max-cells", "150")
    [loaded] = json.loads(report.read_text(encoding="utf-8"))["files"]
    assert [t["sheet"] for t in loaded["tables"]] == ["收入支出决算总表"]  # 33 行 × 4 列
    assert loaded["unrecognised_sheets"] == [
        "收入决算表（工作表过大：21 行 × 9 列，超过 150 个单元格的上限，未读取；可用 --max-cells 调高上限）",
        "支出决算表（工作表过大：21 行 × 8 列，超过 150 个单元格的上限，未读取；可用 --max-cells 调高上限）"]


def test_debug_shows_the_traceback_behind_a_reason_and_only_then(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE_XLSX, folder / "决算.xlsx")
    bad_files.truncated(folder / "半截.xlsx")
    quiet = run_cli(str(folder), "--out", str(tmp_path / "a.xlsx"))
    loud = run_cli(str(folder), "--out", str(tmp_path / "b.xlsx"), "--debug")
    assert "Traceback" not in quiet.output and DAMAGED in quiet.output
    assert "Traceback" in loud.output and "BadZipFile" in loud.output
    after = run_cli(str(folder), "--out", str(tmp_path / "c.xlsx"))
    assert "Traceback" not in after.output


def test_outputs_and_leftover_temporary_files_in_the_input_folder_are_never_read_back(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE_XLSX, folder / "决算.xlsx")
    run_cli(str(folder), "--out", str(folder / "汇总.xlsx"))
    shutil.copy(folder / "汇总.xlsx", folder / "汇总 - 副本.xlsx")  # renamed: still ours, by its marker
    bad_files.truncated(folder / ".budgetkit-k3j9.xlsx")           # what an interrupted run leaves
    report = tmp_path / "r.json"
    run_cli(str(folder), "--out", str(tmp_path / "again.xlsx"), "--json", str(report))
    assert [f["path"] for f in json.loads(report.read_text(encoding="utf-8"))["files"]] == ["决算.xlsx"]


def test_a_summary_is_known_by_its_marker_however_its_zip_directory_lies(tmp_path):
    """The marker is looked for in the zip directory read from the file's end; a summary
    whose directory is not where that read reaches (a long zip comment, bytes before the
    zip) is still known, and a workbook with another program's custom properties is not ours."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE_XLSX, folder / "决算.xlsx")
    summary = tmp_path / "汇总.xlsx"
    run_cli(str(folder), "--out", str(summary))
    commented = tmp_path / "带注释.xlsx"
    shutil.copy(summary, commented)
    with zipfile.ZipFile(commented, "a") as archive:
        archive.comment = b"x" * 40_000
    prefixed = tmp_path / "前缀.xlsx"
    prefixed.write_bytes(b"\0" * 5000 + summary.read_bytes())
    theirs = tmp_path / "他人属性.xlsx"
    book = xlsxwriter.Workbook(theirs)
    book.set_custom_property("generator", "某财务软件")
    book.add_worksheet().write("A1", "收入决算表")
    book.close()

    assert [is_budgetkit_output(p) for p in (summary, commented, prefixed, theirs, SAMPLE_XLSX)] == \
        [True, True, True, False, False]
    assert not _may_hold(SAMPLE_XLSX, b"docProps/custom.xml")  # the usual workbook: answered by the short read
    assert _may_hold(commented, b"docProps/custom.xml") and _may_hold(prefixed, b"docProps/custom.xml")


def test_a_locked_summary_target_exits_2_and_is_left_untouched(tmp_path):
    """Excel holding the summary open makes its replacement fail; a folder standing where
    the summary should go fails the same way, on every system and for every user."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE_XLSX, folder / "决算.xlsx")
    target = tmp_path / "summary.xlsx"
    target.mkdir()
    (target / "keep.txt").write_text("unchanged", encoding="utf-8")

    result = run_cli(str(folder), "--out", str(target))

    assert result.exit_code == 2
    assert "无法写入" in result.output and "Traceback" not in result.output
    assert [p.name for p in target.iterdir()] == ["keep.txt"]
    assert (target / "keep.txt").read_text(encoding="utf-8") == "unchanged"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "summary.xlsx"]


def test_a_file_removed_while_the_run_is_going_is_named_and_the_run_goes_on(tmp_path):
    from budgetkit import pipeline
    from budgetkit.discover import discover

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("1决算.xlsx", "2决算.xlsx", "3测算.xls"):
        shutil.copy(SAMPLE_XLS if name.endswith(".xls") else SAMPLE_XLSX, folder / name)
    sources = discover(folder)

    def remove_the_next_file(source, loaded) -> None:  # someone tidies the folder mid-run
        if source.relative == "1决算.xlsx":
            (folder / "2决算.xlsx").unlink()

    result = pipeline.run(folder, sources=sources, on_file=remove_the_next_file)
    assert [(f.source.relative, f.status.value, f.reason) for f in result.files] == [
        ("1决算.xlsx", "ok", ""), ("2决算.xlsx", "failed", "文件在读取前被移动或删除"), ("3测算.xls", "ok", "")]


def test_an_archive_is_named_as_one_not_passed_over_and_a_wps_et_is_read(tmp_path):
    """A department that sent its 决算 as a .zip (or .rar) was shown with no file at all; WPS's .et, an .xls
    under another name, was not read (audit19)."""
    folder = tmp_path / "区科协"
    folder.mkdir()
    shutil.copy(SAMPLE_XLS, folder / "区科协2022年收支构成测算表.et")
    with zipfile.ZipFile(folder / "区科协决算材料.zip", "w") as archive:
        archive.write(SAMPLE_XLSX, "区科协2022年部门决算.xlsx")
    (folder / "附件.rar").write_bytes(b"Rar!\x1a\x07\x00" + b"\x00" * 64)
    report = tmp_path / "结果.json"
    result = run_cli(str(folder), "--out", str(tmp_path / "汇总.xlsx"), "--json", str(report))
    assert "Traceback" not in result.output
    files = {f["path"]: (f["status"], f["reason"]) for f in json.loads(report.read_text(encoding="utf-8"))["files"]}
    assert files == {
        "区科协2022年收支构成测算表.et": ("ok", ""),
        "区科协决算材料.zip": ("failed", "文件不是 Excel 工作簿，实际是 ZIP 压缩包；请解压后把其中的工作簿放进文件夹"),
        "附件.rar": ("failed", "文件不是 Excel 工作簿，实际是 RAR 压缩包；请解压后把其中的工作簿放进文件夹"),
    }
