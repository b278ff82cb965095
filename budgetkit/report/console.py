"""Console output: progress while reading, then counts and where the results are."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table as RichTable

from budgetkit.model import FileStatus, LoadedFile, RunResult, Severity, SourceFile, folder_of

console = Console(stderr=True, highlight=False)
SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


@contextmanager
def reading_progress(sources: list[SourceFile], quiet: bool = False) -> Iterator:
    """A bar of files read, with departments done and the time left; none with ``quiet``
    or when stderr is not a terminal (a log file, a pipe). Departments never span
    folders, so a folder whose files are all read counts as a department done."""
    remaining = Counter(folder_of(s.relative) for s in sources)
    columns = (TextColumn("读取工作簿"), BarColumn(), MofNCompleteColumn(),
               TextColumn("部门 {task.fields[done]}/{task.fields[departments]}  剩余"), TimeRemainingColumn(),
               TextColumn("{task.description}", markup=False))
    with Progress(*columns, console=console, transient=True, disable=quiet or not console.is_terminal) as progress:
        task = progress.add_task("", total=len(sources), done=0, departments=len(remaining))
        done = 0

        def advance(source: SourceFile, loaded: LoadedFile) -> None:
            nonlocal done
            remaining[folder_of(source.relative)] -= 1
            done += remaining[folder_of(source.relative)] == 0
            progress.update(task, advance=1, description=source.relative, done=done)
            if loaded.status == FileStatus.FAILED:
                progress.console.print(f"[yellow]无法读取[/] {escape(source.relative)}：{escape(loaded.reason)}")

        yield advance


def print_summary(result: RunResult, outputs: list[Path]) -> None:
    read = sum(1 for f in result.files if f.status == FileStatus.OK)
    texts = f"，报告文字 {len(result.narratives)} 篇" if result.narratives else ""
    console.print(f"共 {len(result.files)} 个工作簿，识别 {read} 个，表格 {len(result.tables)} 张{texts}。")
    table = RichTable(title="核对结果", show_edge=True)
    table.add_column("严重程度")
    table.add_column("条数", justify="right")
    for severity in Severity:
        table.add_row(f"[{SEVERITY_STYLE[severity]}]{severity.label}[/]", str(result.count(severity)))
    console.print(table)
    for path in outputs:
        console.print(f"已写出：{path}")


def print_error(message: str) -> None:
    # escape: messages quote "[rules]" and file names, which Rich would take for markup.
    console.print(f"[bold red]错误：[/]{escape(message)}")
