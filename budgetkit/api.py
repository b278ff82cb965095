"""budgetkit from Python: the checked tables and the findings as pandas DataFrames.

``check`` runs the same pipeline as ``budgetkit run`` and writes nothing until asked;
``read_tables`` only reads. pandas is imported when a frame is built, so the command
line never loads it.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from budgetkit import pipeline
from budgetkit.config import Config, load_config
from budgetkit.discover import discover
from budgetkit.load import load_files
from budgetkit.model import FileStatus, Finding, Row, RunResult, Scope, SourceFile, Table, TableKind
from budgetkit.grouping import group_tables
from budgetkit.rules.base import Group
from budgetkit.rules.facts import (CARRY_MEASURES, CLASSIFIED_SCOPES, COLUMN_SCOPES, EXPENDITURE_LINES,
                                   FISCAL_TWO_SIDED, INCOME_COLUMNS, INCOME_LINES, MEASURE_NAMES, FactKey, facts_of)
from budgetkit.text import strip_enumeration
from budgetkit.versions import keep_current

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FINDING_COLUMNS", "TABLE_COLUMNS", "Result", "check", "read_tables"]

FINDING_COLUMNS = ("rule", "severity", "department", "file", "sheet", "cell", "item", "stated", "expected",
                   "difference", "unit", "message", "related", "accepted")
TABLE_COLUMNS = ("department", "year", "stage", "file", "sheet", "table", "unit", "scope", "line", "code", "name",
                 "level", "measure", "column", "value", "value_yuan", "cell")

SHARE = "share"  # a 测算表's 占比 column: a fraction, not money
_NAMED_LINES = {**{key: name for key, (_, name) in INCOME_LINES.items()}, **EXPENDITURE_LINES}


@dataclass
class Result:
    """What ``budgetkit run`` finds in a folder, computed once.

    ``findings``: one row per finding, the columns of the JSON result (``FINDING_COLUMNS``)
    plus ``department``; ``stated``/``expected``/``difference`` are ``Decimal`` (the JSON
    turns them into floats), ``accepted`` is the reason given in budgetkit.toml or None.
    Open findings come first, then the accepted ones, as in the JSON.
    ``tables``: the frame ``read_tables`` gives, for the tables that were checked.
    ``run`` is the pipeline's own result, which every writer reads."""

    run: RunResult
    config: Config

    @cached_property
    def findings(self) -> pd.DataFrame:
        rows = [_finding_row(f, None, self.run) for f in self.run.findings]
        rows += [_finding_row(a.finding, a.reason, self.run) for a in self.run.accepted]
        return _frame(rows, FINDING_COLUMNS)

    @cached_property
    def tables(self) -> pd.DataFrame:
        return _tables_frame(self.run.tables, self.run.groups)

    @property
    def has_errors(self) -> bool:
        """Whether ``budgetkit run`` would exit with 1."""
        return self.run.has_errors

    def write(self, out: str | Path, *, json: str | Path | None = None, docx: str | Path | None = None,
              unit: str = "万元", keep_zero: bool = False, detail: str = "类", split: bool = False,
              report: bool | None = None, annotate_docx: str | Path | None = None) -> list[Path]:
        """Write what ``budgetkit run --out out`` writes, with the same options (``json`` is
        ``--json``, ``report`` is ``--report/--no-report``, ``annotate_docx`` is
        ``--annotate-docx``, ``detail`` is ``--detail``); returns the paths written."""
        from budgetkit.model import Level
        from budgetkit.money import UNIT_WORDS
        from budgetkit.report.figures import ReportOptions
        from budgetkit.report.output import write_outputs

        departments = pipeline.per_department(self.run, self.config) if split else []
        options = ReportOptions(UNIT_WORDS[unit], keep_zero, Level(detail))
        return write_outputs(self.run, Path(out), options, with_report=report,
                             departments=departments, json_path=_path(json), docx_path=_path(docx),
                             annotate_folder=_path(annotate_docx))


def check(folder: str | Path, config: Config | str | Path | None = None, jobs: int | None = None,
          compare_versions: bool = False) -> Result:
    """Check every workbook and report text under ``folder``, as ``budgetkit run`` does,
    writing nothing.

    ``config`` is a ``Config`` or the path of a budgetkit.toml (``--config``); by default
    the folder's own budgetkit.toml. ``jobs`` files are read at once (default: CPU count).
    ``compare_versions`` (``--compare-versions``) lists what changed between the versions of
    a table in ``Result.run.version_changes`` and the 版本差异 sheet. Raises ``NotADirectoryError`` for a missing folder and ``ConfigError`` for a wrong
    budgetkit.toml."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(f"找不到文件夹 {folder}")
    if not isinstance(config, Config):
        config = load_config(folder, _path(config))
    return Result(pipeline.run(folder, config, jobs=_jobs(jobs), compare_versions=compare_versions), config)


def read_tables(path_or_folder: str | Path, jobs: int | None = None) -> pd.DataFrame:
    """The recognised tables of one workbook, or of every workbook under a folder, as one
    tidy frame: one row per printed figure, no reconciliation.

    Columns (``TABLE_COLUMNS``): ``department`` (as ``check`` groups it), ``year``, ``stage``
    (决算/预算/测算), ``file``, ``sheet``, ``table`` (the standard title of its kind),
    ``unit`` (the table's own), then the figure's key in the fact ledger the 表间 rules
    compare: ``scope`` (全部资金, 财政拨款, 一般公共预算财政拨款 …), ``line`` (a 科目编码 or a
    named line such as 本年收入, 年初结转和结余) and ``measure`` (合计, 基本支出, 人员经费 …);
    ``code``, ``name`` (the line as printed), ``level`` (类/款/项, None for a named line),
    ``column`` (the table's header for the figure), ``value``, ``value_yuan`` and ``cell``.

    ``value`` is the figure exactly as printed, a ``decimal.Decimal`` in the table's own
    unit; ``value_yuan`` is the same amount as an exact ``Decimal`` of 元 (None for a
    占比). Both are object columns: sum them with ``sum()`` or ``.sum()`` and the result is
    exact; never cast them to float. A blank or dash, and a figure that cannot be read
    (BK105), gives no row. A file that cannot be read gives a warning and no rows; a copy
    of another workbook in its folder, or the older version of a table, is left out, as
    ``check`` does."""
    path = Path(path_or_folder)
    sources = [SourceFile(path, path.name)] if path.is_file() else discover(path)
    files = load_files(sources, jobs=_jobs(jobs))
    keep_current(files)
    for failed in (f for f in files if f.status == FileStatus.FAILED):
        warnings.warn(f"无法读取 {failed.source.relative}：{failed.reason}", stacklevel=2)
    tables = [t for f in files for t in f.tables]
    return _tables_frame(tables, group_tables(tables))


def _tables_frame(tables: Iterable[Table], groups: Iterable[Group]) -> pd.DataFrame:
    department = {id(t): g.name for g in groups for t in g.tables}
    rows = [row for table in tables for row in _figures(table, department.get(id(table)))]
    frame = _frame(rows, TABLE_COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def _figures(table: Table, department: str | None) -> Iterator[tuple]:
    ledger = _ledger_keys(table)
    for row in table.rows:
        for measure, cell in row.values.items():
            if cell.value is None:
                continue
            key = ledger.get(id(cell)) or _own_key(table, row, measure)
            yuan = None if measure == SHARE else cell.value * table.unit.yuan
            yield (department, table.year, table.kind.stage.value, table.file, table.sheet, table.kind.title,
                   table.unit.label, key.scope.value if key.scope else None, key.line, row.code,
                   strip_enumeration(row.label), row.level.value if row.level else None, key.measure,
                   _header(table, row, measure), cell.value, yuan, cell.ref.cell)


def _ledger_keys(table: Table) -> dict[int, FactKey]:
    """Each printed figure's key in the fact ledger; where a figure stands for two lines
    (总计 that is also 本年收入), the first."""
    keys: dict[int, FactKey] = {}
    for fact in facts_of(table):
        if len(fact.parts) == 1:
            keys.setdefault(id(fact.figure.cell), fact.key)
    return keys


def _own_key(table: Table, row: Row, measure: str) -> FactKey:
    """The key of a figure no other table states (a 收入决算表's 科目 rows, a 基本支出 table's
    items, the “三公” table), named the way the ledger names its figures."""
    line = row.code or _NAMED_LINES.get(row.key or "") or strip_enumeration(row.label)
    if table.kind in (TableKind.INCOME, TableKind.BUDGET_INCOME) and measure in INCOME_COLUMNS:
        scope, source = INCOME_COLUMNS[measure]
        return FactKey(scope, line, "合计" if source == "本年收入" else source)
    name = MEASURE_NAMES.get(measure) or CARRY_MEASURES.get(measure) or _header(table, row, measure)
    return FactKey(_scope(table, measure), line, name)


def _scope(table: Table, measure: str) -> Scope | None:
    if table.kind in CLASSIFIED_SCOPES:
        return CLASSIFIED_SCOPES[table.kind]
    if table.kind in (TableKind.BASIC_EXPENDITURE, TableKind.BUDGET_BASIC):
        return Scope.GENERAL
    if table.kind in FISCAL_TWO_SIDED:
        return COLUMN_SCOPES.get(measure, Scope.FISCAL)
    if table.kind in (TableKind.THREE_PUBLIC, TableKind.BUDGET_THREE_PUBLIC):
        return Scope.FISCAL
    return None if table.kind == TableKind.SHARES else Scope.ALL


def _header(table: Table, row: Row, measure: str) -> str:
    """The header over a figure; a two-sided table keys its headers by side."""
    side = f"{row.side.value}:{measure}" if row.side else measure
    return table.columns.get(side) or table.columns.get(measure) or measure


def _finding_row(f: Finding, accepted: str | None, run: RunResult) -> tuple:
    related = [{"file": r.file, "sheet": r.sheet, "cell": r.cell} for r in f.related]
    return (f.rule, f.severity.value, run.department_of(f.ref), f.ref.file, f.ref.sheet, f.ref.cell, f.item,
            f.stated, f.expected, f.difference, f.unit, f.message, related, accepted)


def _frame(rows: list[tuple], columns: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd

    # Built column by column as object Series: pandas would turn Decimals into floats
    # and None into NaN if it inferred the types.
    values = list(zip(*rows)) if rows else [()] * len(columns)
    return pd.DataFrame({name: pd.Series(list(column), dtype=object) for name, column in zip(columns, values)})


def _path(value: str | Path | None) -> Path | None:
    return Path(value) if value is not None else None


def _jobs(jobs: int | None) -> int:
    return jobs or os.cpu_count() or 1
