"""What a file really is, judged by its bytes, never by its name.

Portals serve HTML pages, XML Spreadsheet 2003 files and CSV text as ".xls";
an encrypted .xlsx is an OLE2 container like an old .xls; a .docx renamed to
.xlsx is a valid ZIP. Each needs a different reader, or a plain Chinese sentence
saying what the file is.
"""

from __future__ import annotations

import zipfile
from enum import Enum
from typing import BinaryIO

import olefile

from budgetkit.load.errors import UnreadableWorkbook
from budgetkit.load.text_grids import decode_text

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_HEAD = 4096


class Format(str, Enum):
    OOXML = "ooxml"          # .xlsx / .xlsm: a ZIP package
    XLS = "xls"              # Excel 97-2003: an OLE2 file with a Workbook stream
    ENCRYPTED_OOXML = "encrypted_ooxml"  # a password-protected .xlsx: OLE2 holding EncryptionInfo
    HTML = "html"            # a web page saved or served as .xls
    TEXT = "text"            # CSV or TSV saved as .xls
    ODS = "ods"              # OpenDocument spreadsheet (LibreOffice, WPS): a ZIP package


# Signatures of files that are certainly not workbooks, so the reason can name them.
_FOREIGN = (
    (b"%PDF", "实际是 PDF 文件"),
    (b"MIME-Version:", "实际是网页存档（MHT/MIME）文件"),
    (b"{\\rtf", "实际是 RTF 文档"),
    (b"\x89PNG", "实际是 PNG 图片"),
    (b"\xff\xd8\xff", "实际是 JPEG 图片"),
    (b"Rar!", "实际是 RAR 压缩包；请解压后把其中的工作簿放进文件夹"),
    (b"7z\xbc\xaf", "实际是 7z 压缩包；请解压后把其中的工作簿放进文件夹"),
    (b"\x1f\x8b", "实际是 gzip 压缩包"),
)


def sniff(handle: BinaryIO) -> Format:
    """The format of the file behind ``handle``, or UnreadableWorkbook saying what it is instead."""
    head = handle.read(_HEAD)
    handle.seek(0)
    if not head:
        raise UnreadableWorkbook("文件为空（0 字节）")
    if head.startswith(_OLE2):
        return _ole2_format(handle)
    if head.startswith((_ZIP, _EMPTY_ZIP)):
        return _zip_format(handle)
    for magic, what in _FOREIGN:
        if head.startswith(magic):
            raise UnreadableWorkbook(f"文件不是 Excel 工作簿，{what}")
    return _text_format(head)


def _ole2_format(handle: BinaryIO) -> Format:
    try:
        with olefile.OleFileIO(handle) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except Exception as exc:  # olefile raises many types on damaged containers
        raise UnreadableWorkbook("文件已损坏：Excel 97-2003 文件结构不完整（可能下载或复制不完整）") from exc
    finally:
        handle.seek(0)
    if "EncryptionInfo" in streams:
        return Format.ENCRYPTED_OOXML
    if "Workbook" in streams or "Book" in streams:
        return Format.XLS
    if "WordDocument" in streams:
        raise UnreadableWorkbook("文件不是 Excel 工作簿，实际是 Word 97-2003 文档")
    if "PowerPoint Document" in streams:
        raise UnreadableWorkbook("文件不是 Excel 工作簿，实际是 PowerPoint 97-2003 演示文稿")
    raise UnreadableWorkbook("文件不是 Excel 工作簿（OLE2 复合文档中没有工作簿数据）")


def _zip_format(handle: BinaryIO) -> Format:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableWorkbook("文件已损坏：ZIP 结构不完整（可能下载或复制不完整）") from exc
    finally:
        handle.seek(0)
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        if "xl/workbook.bin" in names:
            raise UnreadableWorkbook("文件是 Excel 二进制工作簿（.xlsb），请在 Excel/WPS 中另存为 .xlsx 后再检查")
        return Format.OOXML
    if "word/document.xml" in names:
        raise UnreadableWorkbook("文件不是 Excel 工作簿，实际是 Word 文档（.docx）")
    if any(n.startswith("ppt/") for n in names):
        raise UnreadableWorkbook("文件不是 Excel 工作簿，实际是 PowerPoint 演示文稿（.pptx）")
    if "mimetype" in names and "content.xml" in names:
        return Format.ODS
    raise UnreadableWorkbook("文件不是 Excel 工作簿，实际是 ZIP 压缩包；请解压后把其中的工作簿放进文件夹")


def _text_format(head: bytes) -> Format:
    text = _decode(head).lstrip("\ufeff \t\r\n").lower()
    if text.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in text and "<workbook" in text:
            raise UnreadableWorkbook("文件实际是 XML 电子表格 2003 格式（扩展名写作 .xls），"
                                     "请在 Excel/WPS 中另存为 .xlsx 后再检查")
        if "<html" in text or "<table" in text or "<!doctype html" in text:
            return Format.HTML
        raise UnreadableWorkbook("文件不是 Excel 工作簿，实际是 XML 文本文件")
    if _looks_binary(text):
        raise UnreadableWorkbook("文件不是 Excel 工作簿（内容无法识别为任何表格格式）")
    first_lines = text.splitlines()[:5]
    if any("," in line or "\t" in line for line in first_lines):
        return Format.TEXT
    raise UnreadableWorkbook("文件不是 Excel 工作簿，实际是纯文本文件")


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n")
    return not text.strip() or controls > len(text) // 100


def _decode(head: bytes) -> str:
    try:
        return decode_text(head)
    except UnreadableWorkbook:  # not UTF-8/GBK, or a character cut at the end of the head
        return head.decode("utf-8", errors="ignore")
