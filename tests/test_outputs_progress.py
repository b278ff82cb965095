"""The reading progress bar: files read, departments (folders) done and the time left on a
terminal; nothing with --quiet or when the output is not a terminal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from budgetkit.model import FileStatus, LoadedFile, SourceFile
from budgetkit.report import console as console_module

SOURCES = [SourceFile(Path(f"/in/{name}"), name) for name in ("甲部门/决算.xlsx", "甲部门/预算.xlsx", "乙部门/决算.xlsx")]


def shown(monkeypatch, terminal: bool, quiet: bool = False) -> str:
    screen = io.StringIO()
    monkeypatch.setattr(console_module, "console", Console(file=screen, force_terminal=terminal, width=160))
    with console_module.reading_progress(SOURCES, quiet) as advance:
        for source in SOURCES:
            advance(source, LoadedFile(source, FileStatus.OK))
    return screen.getvalue()


def test_a_terminal_shows_files_read_and_departments_done(monkeypatch):
    screen = shown(monkeypatch, terminal=True)
    assert "3/3" in screen and "部门 2/2" in screen


@pytest.mark.parametrize("terminal, quiet", [(True, True), (False, False)])
def test_quiet_or_not_a_terminal_shows_nothing(monkeypatch, terminal, quiet):
    assert shown(monkeypatch, terminal, quiet) == ""
