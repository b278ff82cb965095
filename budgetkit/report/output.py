"""Write an output file so that an interrupted run never leaves half a file, and
never over a file the user gave us.

The content goes to a temporary file in the target's folder (same file system,
so the final rename is atomic) and replaces the target only when complete. When
the target cannot be replaced, it is left exactly as it was. A target inside the
checked folder may replace only budgetkit's own earlier output there.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from budgetkit.discover import TEMPORARY_PREFIX, is_budgetkit_output

if TYPE_CHECKING:
    from budgetkit.model import CellRef, Finding, RunResult
    from budgetkit.rules.base import Group
    from budgetkit.report.figures import ReportOptions


class OutputLocked(Exception):
    """The target cannot be written: open in Excel/WPS (which locks it on Windows),
    no permission, a folder in its place, or no space. The message is for the user."""


class OutputIsInput(OutputLocked):
    """The target is one of the user's own files: an input, or anything else in the checked folder."""


def refuse_inputs(folder: Path, targets: Iterable[Path], protected: Iterable[Path] = ()) -> None:
    """Raise ``OutputIsInput`` when a target would replace a file inside ``folder`` that
    budgetkit did not write (a workbook, a report draft, anything the user keeps there)
    or one of the ``protected`` files (budgetkit.toml given by --config)."""
    root = folder.resolve()
    kept = {p.resolve() for p in protected}
    for target in targets:
        resolved = target.resolve()
        inside = resolved.is_relative_to(root) and resolved.is_file() and not is_budgetkit_output(resolved)
        if inside or resolved in kept:
            raise OutputIsInput(f"不能把结果写到 {target}：这是被检查的文件，写出会覆盖原文件；"
                                "请换一个文件名，或写到被检查的文件夹之外（原文件未改动）")


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    if path.is_dir():
        raise OutputLocked(f"无法写入 {path}：这个位置已有一个同名文件夹，请换一个文件名（--out/--json）")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, suffix=path.suffix, dir=path.parent)
    except OSError as exc:
        raise OutputLocked(_cannot_write(path, exc)) from exc
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; outputs are ordinary files
        os.replace(temporary, path)
    except OSError as exc:
        raise OutputLocked(_cannot_write(path, exc)) from exc
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _cannot_write(path: Path, exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return f"无法写入 {path}：文件可能正在被 Excel/WPS 打开，或没有写入权限；请关闭后重试，原文件未改动"
    return f"无法写入 {path}（{exc.strerror or exc}）；原文件未改动"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_outputs(result: RunResult, out: Path, options: ReportOptions, *, with_report: bool | None = None,
                  departments: Sequence[RunResult] = (), json_path: Path | None = None,
                  docx_path: Path | None = None, annotate_folder: Path | None = None) -> list[Path]:
    """What ``budgetkit run`` writes, each file atomically: the summary workbook, one per
    department in ``departments`` (``--split``), the JSON, the Word document, and with
    ``annotate_folder`` (``--annotate-docx``) a commented copy of each Word draft. A batch
    of several departments has its annotated copies in one workbook per department under
    ``标注/`` beside the summary, which links to them by relative paths.

    ``with_report`` None writes the report sheets for a single department only. Returns
    the paths written; raises ``OutputLocked`` when one cannot be, and ``OutputIsInput``,
    before writing any, when one would replace a file of the checked folder."""
    from budgetkit.report.docx_annotate import annotate_docx, annotated_copy, annotated_drafts
    from budgetkit.report.figures import build_report
    from budgetkit.report.json_report import write_json
    from budgetkit.report.workbook import write_summary

    report = build_report(result, options)
    reported = with_report if with_report is not None else result.department_count <= 1
    split_paths = [_split_path(out, d) for d in departments]
    annotated = _annotated_by_department(result, out) if len(result.groups) > 1 else {}
    drafts = annotated_drafts(result) if annotate_folder else []
    draft_paths = [annotated_copy(annotate_folder, narrative.file) for narrative, _ in drafts]
    refuse_inputs(result.folder, [out, *split_paths, *annotated, *draft_paths,
                                  *(p for p in (json_path, docx_path) if p)])
    copies = _write_copies(result, annotated, out) if len(result.groups) > 1 else None
    write_atomically(out, lambda path: write_summary(result, path, report, with_report=reported, copies=copies))
    for department, target in zip(departments, split_paths):
        write_atomically(target, lambda path, d=department: write_summary(d, path, build_report(d, options)))
    if json_path:
        write_atomically(json_path, lambda path: write_json(result, path))
    if docx_path:
        from budgetkit.report.docx_report import write_docx  # python-docx: a tenth of a second to import

        write_atomically(docx_path, lambda path: write_docx(report, path))
    for (narrative, errors), target in zip(drafts, draft_paths):
        write_atomically(target, lambda path, n=narrative, e=errors: annotate_docx(result.folder / n.file, e, path))
    return [out] + ([out.parent / ANNOTATED_FOLDER] if annotated else []) + split_paths + \
        [p for p in (json_path, docx_path) if p] + draft_paths


ANNOTATED_FOLDER = "标注"  # beside a batch summary: one workbook of annotated copies per department


@dataclass(frozen=True)
class DepartmentTargets:
    """Where a worker writes the files of the departments it checked: beside the batch summary ``out``."""

    out: Path
    options: ReportOptions
    split: bool = False


@dataclass
class DepartmentFiles:
    """What a worker wrote for one folder's departments, and what the batch summary needs of it."""

    links: dict[tuple[str, str], str] = field(default_factory=dict)  # annotated (file, sheet) -> link
    notes: dict[CellRef, str] = field(default_factory=dict)  # the report's word on a questioned cell
    written: list[Path] = field(default_factory=list)  # the --split summaries


def write_department_files(result: RunResult, departments: Sequence[RunResult],
                           targets: DepartmentTargets) -> DepartmentFiles:
    """A worker's share of a batch's outputs, for ``result`` (one folder, checked in the worker):
    each department's annotated copies under ``标注/``, its --split summary (``departments``),
    and the notes the report adds to its findings' messages. Raises ``OutputLocked`` when a
    file cannot be written and ``OutputIsInput``, before writing any, when one is the user's."""
    from budgetkit.report.figures import build_report
    from budgetkit.report.workbook import write_summary

    annotated = _annotated_by_department(result, targets.out)
    split_paths = [_split_path(targets.out, d) for d in departments]
    refuse_inputs(result.folder, [*annotated, *split_paths])
    links = _write_copies(result, annotated, targets.out)
    for department, target in zip(departments, split_paths):
        write_atomically(target, lambda path, d=department: write_summary(d, path, build_report(d, targets.options)))
    questioned = {f.ref for f in result.findings}
    notes = build_report(result, targets.options).cell_notes() if questioned else {}
    return DepartmentFiles(links, {ref: note for ref, note in notes.items() if ref in questioned}, split_paths)


def write_batch_outputs(result: RunResult, out: Path, files: DepartmentFiles, *, json_path: Path | None = None,
                        annotate_folder: Path | None = None) -> list[Path]:
    """The rest of a batch's outputs once the workers have written theirs (``files``): the
    summary of 概览 and 问题清单 linking to the annotated copies, the JSON, and with
    ``annotate_folder`` the commented Word drafts. Returns every path written, the workers' too."""
    from budgetkit.report.docx_annotate import annotate_docx, annotated_copy, annotated_drafts
    from budgetkit.report.figures import Report
    from budgetkit.report.json_report import write_json
    from budgetkit.report.workbook import write_summary

    drafts = annotated_drafts(result) if annotate_folder else []
    draft_paths = [annotated_copy(annotate_folder, narrative.file) for narrative, _ in drafts]
    refuse_inputs(result.folder, [out, *draft_paths, *([json_path] if json_path else [])])
    # The report itself stayed in the workers; its notes on the questioned cells came back.
    noted = replace(result, findings=[replace(f, message=f.message + files.notes[f.ref]) if f.ref in files.notes
                                      else f for f in result.findings])
    write_atomically(out, lambda path: write_summary(noted, path, Report(departments=()), with_report=False,
                                                     copies=files.links))
    if json_path:
        write_atomically(json_path, lambda path: write_json(result, path))
    for (narrative, errors), target in zip(drafts, draft_paths):
        write_atomically(target, lambda path, n=narrative, e=errors: annotate_docx(result.folder / n.file, e, path))
    return [out] + ([out.parent / ANNOTATED_FOLDER] if files.links else []) + files.written + \
        ([json_path] if json_path else []) + draft_paths


def _split_path(out: Path, department: RunResult) -> Path:
    """Beside the summary, in the department's folder as the checked folder has it
    ("汇总-某部门 2024.xlsx" beside it for a department in the checked folder itself)."""
    group = department.groups[0]
    return _in_folder_of(out.parent, group, f"{out.stem}-{_file_safe(group.name)}{out.suffix}")


def _copies_path(out: Path, group: Group) -> Path:
    """标注/, then the department's folder as the checked folder has it, then the department."""
    return _in_folder_of(out.parent / ANNOTATED_FOLDER, group, f"{_file_safe(group.name)}.xlsx")


def _in_folder_of(base: Path, group: Group, name: str) -> Path:
    """``name`` under ``base`` in the group's folder as the checked folder has it: two folders
    may each hold a department of one name and year, and each keeps its own file."""
    folders = [_file_safe(part) for part in PurePosixPath(group.folder).parts if part not in (".", "..")]
    return base.joinpath(*folders, name)


def _annotated_by_department(result: RunResult, out: Path) -> dict[Path, list[Finding]]:
    """The findings on a sheet that can be copied (not a report text's), by the department's
    workbook of annotated copies."""
    from budgetkit.report.workbook import copyable

    sheets = copyable(result)
    found: dict[Path, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        key = (finding.ref.file, finding.ref.sheet)
        if key in sheets and key in result.group_by_sheet:
            found[_copies_path(out, result.group_by_sheet[key])].append(finding)
    return found


def _write_copies(result: RunResult, annotated: dict[Path, list[Finding]], out: Path) -> dict[tuple[str, str], str]:
    """Each department's workbook of annotated copies; the link to each copied (file, sheet),
    relative to the summary, so it still works when the whole output folder is moved or zipped."""
    from budgetkit.report.workbook import sheet_reference, write_copies

    links: dict[tuple[str, str], str] = {}
    for target, findings in annotated.items():
        written: dict[tuple[str, str], str] = {}
        write_atomically(target, lambda path, f=findings: written.update(write_copies(replace(result, findings=f),
                                                                                       path)))
        relative = target.relative_to(out.parent).as_posix()
        links.update({key: f"external:{relative}#{sheet_reference(sheet)}" for key, sheet in written.items()})
    return links


def _file_safe(name: str) -> str:
    """A department name as part of a file name on Windows."""
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name).strip() or "部门"
