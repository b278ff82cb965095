"""The ``budgetkit`` command.

Heavy modules are imported inside the commands, so ``budgetkit --help`` and
``budgetkit rules`` start quickly.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="核对部门预算/决算工作簿：表内、表间、占比，输出问题清单。")

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


class ReportUnit(str, Enum):
    """The amount unit of the 报告用表, 报告文字 and Word document."""

    YUAN = "元"
    WAN = "万元"


class DetailLevel(str, Enum):
    """How deep the 报告用表's 预算执行情况 table goes under each 类."""

    CLASS = "类"
    SECTION = "款"
    ITEM = "项"


@app.command()
def run(
    folder: Path = typer.Argument(Path("workbooks"), help="存放工作簿的文件夹（含子文件夹）"),
    out: Path = typer.Option(Path("out/summary.xlsx"), "--out", help="汇总工作簿的保存位置"),
    json_path: Optional[Path] = typer.Option(None, "--json", help="另存一份 JSON 结果"),
    docx_path: Optional[Path] = typer.Option(None, "--docx", help="另存一份 Word 文档（报告文字和报告用表）"),
    annotate_folder: Optional[Path] = typer.Option(None, "--annotate-docx",
                                                   help="把有错误的 Word 报告稿各复制一份到这个文件夹，错误处标黄并加批注"),
    unit: ReportUnit = typer.Option(ReportUnit.WAN, "--unit", help="报告用表、报告文字和 Word 文档的金额单位"),
    keep_zero: bool = typer.Option(False, "--keep-zero", help="报告用表也列出金额为零的项目（默认略去）"),
    detail: DetailLevel = typer.Option(DetailLevel.CLASS, "--detail",
                                       help="报告用表的预算执行情况列到哪一级科目：类、款或项"),
    compare_versions: bool = typer.Option(False, "--compare-versions",
                                          help="同一张表有修改前后几稿时，另写“版本差异”表，逐项列出旧稿、新稿和变动"),
    config_path: Optional[Path] = typer.Option(None, "--config",
                                               help="配置文件；省略时读取文件夹中的 budgetkit.toml（如有）"),
    password: Optional[str] = typer.Option(None, "--password", help="加密工作簿的打开密码（所有加密文件用同一个）"),
    include_hidden: bool = typer.Option(False, "--include-hidden", help="也读取隐藏的工作表（默认跳过，并在概览中列出）"),
    max_cells: int = typer.Option(2_000_000, "--max-cells", min=1, help="单个工作表最多读取的单元格数，超过则跳过该表"),
    debug: bool = typer.Option(False, "--debug", help="出错时显示完整的技术信息（Traceback），供排查问题"),
    split: bool = typer.Option(False, "--split", help="另为每个部门各写一份汇总工作簿（写在 --out 旁边、与原文件夹同名的子文件夹里）"),
    with_report: Optional[bool] = typer.Option(None, "--report/--no-report",
                                               help="写出报告用表和报告文字；默认只有一个部门时写出"),
    jobs: int = typer.Option(os.cpu_count() or 1, "--jobs", "-j", min=1, help="同时读取的文件数（默认为 CPU 核数）"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示读取进度（输出不是终端时也不显示）"),
) -> None:
    """核对文件夹中的全部工作簿，写出汇总工作簿（概览、问题清单、报告用表、报告文字、带标注的原表副本）。"""
    # Tracebacks behind each file's reason are logged at DEBUG; only --debug shows them. Set
    # before any worker starts: only a worker started under --debug keeps its error output.
    logging.getLogger("budgetkit").setLevel(logging.DEBUG if debug else logging.NOTSET)
    if debug:
        logging.basicConfig(format="%(levelname)s %(name)s: %(message)s", force=True)
    from budgetkit.load import start_readers

    # The workers start importing now, beside this process's own imports and preparations.
    start_readers(min(jobs, _readers_taken(folder, by_folder_allowed=not with_report and docx_path is None)))
    from budgetkit import pipeline
    from budgetkit.config import ConfigError, load_config
    from budgetkit.discover import discover
    from budgetkit.load import ReadOptions
    from budgetkit.model import Level
    from budgetkit.money import UNIT_WORDS
    from budgetkit.report import console
    from budgetkit.report.figures import ReportOptions
    from budgetkit.report.output import (DepartmentTargets, OutputLocked, refuse_inputs, write_batch_outputs,
                                         write_outputs)

    with _plain_errors(debug):
        if not folder.is_dir():
            console.print_error(f"找不到文件夹 {folder}")
            raise typer.Exit(EXIT_UNUSABLE)
        own_outputs = tuple(p for p in (out, json_path, docx_path) if p)
        try:
            refuse_inputs(folder, own_outputs, protected=(config_path,) if config_path else ())
            config = load_config(folder, config_path)
        except (OutputLocked, ConfigError) as exc:
            console.print_error(str(exc))
            raise typer.Exit(EXIT_UNUSABLE) from exc
        sources = discover(folder, exclude=own_outputs)
        if not sources:
            console.print_error(f"文件夹 {folder} 中没有 .xlsx/.xlsm/.xls/.ods 工作簿")
            raise typer.Exit(EXIT_UNUSABLE)
        read_options = ReadOptions(password=password, include_hidden=include_hidden, max_cells=max_cells)
        options = ReportOptions(UNIT_WORDS[unit.value], keep_zero, Level(detail.value))
        # A batch of department folders is checked folder by folder in the workers, unless an
        # output needs every department's figures at once (the report sheets, the Word report).
        by_folder = pipeline.in_several_folders(sources) and not with_report and docx_path is None
        try:
            with console.reading_progress(sources, quiet) as advance:
                if by_folder:
                    batch = pipeline.run_departments(folder, config, DepartmentTargets(out, options, split),
                                                     exclude=own_outputs, sources=sources, on_file=advance,
                                                     read_options=read_options, jobs=jobs,
                                                     compare_versions=compare_versions)
                    result = batch.result
                else:
                    result = pipeline.run(folder, config, exclude=own_outputs, sources=sources, on_file=advance,
                                          read_options=read_options, jobs=jobs, compare_versions=compare_versions)
            if not result.tables:
                console.print_error("没有任何文件可以读取出预算/决算表格：" +
                                    "；".join(f"{f.source.relative}（{f.reason}）" for f in result.files))
                raise typer.Exit(EXIT_UNUSABLE)
            if by_folder:
                outputs = write_batch_outputs(result, out, batch.files, json_path=json_path,
                                              annotate_folder=annotate_folder)
            else:
                departments = pipeline.per_department(result, config) if split else []
                outputs = write_outputs(result, out, options, with_report=with_report, departments=departments,
                                        json_path=json_path, docx_path=docx_path, annotate_folder=annotate_folder)
        except OutputLocked as exc:
            console.print_error(str(exc))
            raise typer.Exit(EXIT_UNUSABLE) from exc
        console.print_summary(result, outputs)
        raise typer.Exit(EXIT_FINDINGS if result.has_errors else EXIT_OK)


def _readers_taken(folder: Path, by_folder_allowed: bool) -> int:
    """How many workers the run will take, by the workbooks' names alone (none is opened): one
    per workbook, or for a batch checked folder by folder, one per folder holding workbooks."""
    from budgetkit.discover import WORKBOOK_SUFFIXES

    try:
        folders = [path.parent for path in folder.rglob("*") if path.suffix.lower() in WORKBOOK_SUFFIXES]
    except OSError:
        return 0
    return len(set(folders)) if by_folder_allowed and len(set(folders)) > 1 else len(folders)


@contextmanager
def _plain_errors(debug: bool) -> Iterator[None]:
    """Anything unexpected ends the run with a Chinese sentence and exit code 2; the
    traceback is for --debug only (a finance officer cannot act on one)."""
    try:
        yield
    except (typer.Exit, KeyboardInterrupt):
        raise
    except Exception as exc:
        if debug:
            raise
        from budgetkit.report import console

        console.print_error(f"运行中出现意外错误（{type(exc).__name__}）；加 --debug 运行可查看详细信息")
        raise typer.Exit(EXIT_UNUSABLE) from exc


@app.command()
def rules(code: Optional[str] = typer.Argument(None, help="规则编号，如 BK101；省略则列出全部")) -> None:
    """列出规则目录，或显示一条规则的完整说明。"""
    from budgetkit.rules import CATALOG
    from budgetkit.rules.docs import rule_page, rules_table

    if code is None:
        typer.echo(rules_table(CATALOG.values()))
        return
    rule = CATALOG.get(code.upper())
    if rule is None:
        typer.echo(f"没有编号为 {code} 的规则；运行 budgetkit rules 查看全部。", err=True)
        raise typer.Exit(EXIT_UNUSABLE)
    typer.echo(rule_page(rule))


def main() -> None:
    app()


if __name__ == "__main__":  # python -m budgetkit.cli, as python -m budgetkit
    main()
