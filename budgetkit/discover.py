"""Discover stage: the workbook files under a folder, each listed once, and
the report texts (表文, .txt/.docx) beside them as a separate list.

Left out: Excel/WPS lock files (``~$…``), budgetkit's own summaries (by a marker
inside them, so a renamed or moved summary is still recognised) and the
temporary files a summary is written through, which an interrupted run can leave.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from budgetkit.model import SourceFile

# WPS's own .et is read like the .xls it nearly always is.
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".et"}
# An archive a department sent is listed as not read, with its kind said (请解压), rather than passed over in silence.
ARCHIVE_SUFFIXES = {".zip", ".rar", ".7z"}
TEXT_SUFFIXES = {".txt", ".docx", ".pdf"}  # a .pdf: the published disclosure, its prose
OUTPUT_MARKER = b"budgetkit-summary"  # custom document property of every summary we write
TEMPORARY_PREFIX = ".budgetkit-"      # name prefix of the file a summary is written to before the rename
_MARKER_PART = "docProps/custom.xml"
_MARKER_PART_MAX = 1 << 16            # our custom.xml is a few hundred bytes; never inflate a big one
_DOCX_MARKER_PART = "docProps/core.xml"
_DOCX_MARKER = "由 budgetkit 生成".encode()  # the comment our --docx report carries
_JSON_OPENING = b'{\n  "version": 1,\n  "files": ['  # how our --json result begins, byte for byte
_END_OF_DIRECTORY = b"PK\x05\x06"
_END_RECORD = struct.Struct("<4s4H2LH")  # signature, disks, entries, directory size and offset, comment length
_TAIL = 1 << 14  # bytes read from a package's end: its zip directory, for every workbook we have seen


def discover(folder: Path, exclude: tuple[Path, ...] = ()) -> list[SourceFile]:
    """The workbooks under a folder, and the archives beside them (read only to say what they are)."""
    excluded = {p.resolve() for p in exclude}
    return [SourceFile(path, path.relative_to(folder).as_posix())
            for path in sorted(folder.rglob("*")) if _is_input(path, excluded, WORKBOOK_SUFFIXES | ARCHIVE_SUFFIXES)]


def discover_texts(folder: Path, exclude: tuple[Path, ...] = ()) -> list[SourceFile]:
    """The report texts (.txt, .docx, .pdf) under a folder; our own --docx report is left out."""
    excluded = {p.resolve() for p in exclude}
    return [SourceFile(path, path.relative_to(folder).as_posix())
            for path in sorted(folder.rglob("*")) if _is_input(path, excluded, TEXT_SUFFIXES)]


def _is_input(path: Path, excluded: set[Path], suffixes: set[str]) -> bool:
    if path.suffix.lower() not in suffixes or path.name.startswith(("~$", TEMPORARY_PREFIX)):
        return False
    try:
        if not path.is_file() or (excluded and path.resolve() in excluded):
            return False
    except OSError:  # unreadable metadata: keep the file, so the load stage names it with a reason
        return True
    return path.suffix.lower() in (".txt", ".pdf") or not is_budgetkit_output(path)


def is_budgetkit_output(path: Path) -> bool:
    """Our own summaries carry a marker in docProps/custom.xml, our Word reports one
    in docProps/core.xml; reading it opens only the zip directory and one small part.
    Our JSON result is known by its opening."""
    if path.suffix.lower() == ".json":
        try:
            with path.open("rb") as handle:
                return handle.read(len(_JSON_OPENING)) == _JSON_OPENING
        except OSError:
            return False
    part_name, marker = ((_DOCX_MARKER_PART, _DOCX_MARKER) if path.suffix.lower() == ".docx"
                         else (_MARKER_PART, OUTPUT_MARKER))
    if not _may_hold(path, part_name.encode()):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(part_name)
            if info.file_size > _MARKER_PART_MAX:
                return False
            with archive.open(info) as part:
                return marker in part.read(_MARKER_PART_MAX)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error, RuntimeError, NotImplementedError):
        # not a ZIP, no marker part, unreadable, or damaged: in every case not ours
        return False


def _may_hold(path: Path, part_name: bytes) -> bool:
    """False when the package's zip directory, read from the file's end, lists no part of
    that name: most workbooks have no custom.xml, and this answer costs one short read
    instead of parsing the directory. True whenever the directory is not where the read
    reached, or does not end where the end record starts (a long comment, a huge or ZIP64
    directory, bytes before the zip, not a zip at all): the full check decides."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(max(0, size - _TAIL))
            tail = handle.read()
    except OSError:
        return True
    end = tail.rfind(_END_OF_DIRECTORY)
    if end < 0 or end + _END_RECORD.size > len(tail):
        return True
    *_, directory_size, directory_offset, _ = _END_RECORD.unpack_from(tail, end)
    start = directory_offset - (size - len(tail))
    if start < 0 or start + directory_size != end:
        return True
    return part_name in tail[start:start + directory_size]
