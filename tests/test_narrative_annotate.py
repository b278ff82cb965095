"""The annotated Word draft (issue 13 item 8): a copy of each .docx with every wrong figure
highlighted and one Word comment per error finding; the original is never touched."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pypdfium2
import pytest
import xlsxwriter
from conftest import REAL
from test_narrative_prose import GP_HEADING, GP_SPENDING, putuo_pair
from test_narrative_sources import INCOME, TITLE, department

from budgetkit import pipeline
from budgetkit.load.narrative import _is_table_page, load_narrative
from budgetkit.model import Severity, SourceFile
from budgetkit.report.docx_annotate import SUFFIX, annotate_drafts
from budgetkit.report.prose_sheet import prose_rows, write_prose_sheet
from budgetkit.report.styles import Styles

WRONG = (GP_HEADING, GP_SPENDING.replace("科学技术支出（类）90万元", "科学技术支出（类）95万元"),
         "二、收入决算情况说明", INCOME.replace("事业收入50万元", "事业收入60万元"))


def comments_of(path):
    document = docx.Document(str(path))
    return [(c.text, c.author) for c in document.comments]


def highlighted(path) -> list[str]:
    return [r.text for p in docx.Document(str(path)).paragraphs for r in p.runs if r.font.highlight_color]


def test_the_copy_holds_one_comment_per_error_and_highlights_each_wrong_figure(tmp_path):
    result = department(tmp_path, *WRONG, as_docx=True)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    assert sorted(f.rule for f in errors) == ["BK606", "BK612"]
    draft = tmp_path / "决算说明.docx"
    before = hashlib.sha256(draft.read_bytes()).hexdigest()
    [copy] = annotate_drafts(result, tmp_path / "out")
    assert copy.name == f"决算说明{SUFFIX}.docx"
    assert hashlib.sha256(draft.read_bytes()).hexdigest() == before
    assert sorted(comments_of(copy)) == sorted((f.message, "budgetkit") for f in errors)
    assert highlighted(copy) == ["95万元", "60万元"]
    assert any("应改为：“" in text and "一般公共预算财政拨款支出决算表!C5" in text for text, _ in comments_of(copy))
    # the copy reads as the draft does
    assert [p.text for p in docx.Document(str(copy)).paragraphs] == [p.text for p in docx.Document(str(draft)).paragraphs]


def test_a_clean_draft_gets_no_copy(tmp_path):
    result = department(tmp_path, GP_HEADING, GP_SPENDING, as_docx=True)
    assert annotate_drafts(result, tmp_path / "out") == []


def _writer() -> bool:
    """LibreOffice with its Writer module (libreoffice-writer-nogui; calc-nogui alone cannot open a .docx)."""
    soffice = shutil.which("soffice")
    return soffice is not None and any(Path(soffice).resolve().parent.glob("libswlo.*"))


@pytest.mark.skipif(not _writer(), reason="LibreOffice Writer is not installed (apt-get install libreoffice-writer-nogui)")
def test_the_annotated_copy_opens_in_libreoffice(tmp_path):
    result = department(tmp_path, *WRONG, as_docx=True)
    [copy] = annotate_drafts(result, tmp_path / "out")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), str(copy)], check=True, capture_output=True, timeout=180)
    assert (tmp_path / "pdf" / f"{copy.stem}.pdf").stat().st_size > 1000


def test_the_report_check_sheet_lists_the_prose_findings_sentence_by_sentence(tmp_path):
    result = department(tmp_path, *WRONG)
    rows = prose_rows(result)
    assert [(r.finding.rule, r.paragraph) for r in rows] == [("BK606", 3), ("BK612", 5)]
    assert rows[0].sentence == WRONG[1] and rows[0].corrected == GP_SPENDING
    assert rows[1].corrected == INCOME and "原文" not in rows[1].explanation
    book = xlsxwriter.Workbook(str(tmp_path / "summary.xlsx"))
    write_prose_sheet(book, Styles.on(book), result)
    book.close()
    sheet = openpyxl.load_workbook(tmp_path / "summary.xlsx")["报告核对"]
    assert [c.value for c in sheet[1]][:4] == ["序号", "文件", "段落/页", "原句"]
    assert [(sheet.cell(r, 3).value, sheet.cell(r, 6).value, sheet.cell(r, 8).value, sheet.cell(r, 9).value)
            for r in (2, 3)] == [("第3段", "BK606", 95, 90), ("第5段", "BK612", 60, 50)]
    assert sheet.cell(2, 11).value == GP_SPENDING


# --- 6. the prose of a .pdf ----------------------------------------------------------------------

# A 类-款-项 amount (BK608), a 三公 item listed over paragraphs (BK613), a comparison year (BK617)
PUTUO_WRONG = {"subject": ("科目1,202.95万元", "科目1,220.95万元"), "three_public": ("公务接待费28.50万元", "公务接待费38.50万元"),
               "year": ("比2024年预算减少2,389.52万元；事业收入", "比2025年预算减少2,389.52万元；事业收入")}

def _to_pdf(docx_path: Path, folder: Path) -> Path:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/lo", "--convert-to", "pdf",
                    "--outdir", str(folder), str(docx_path)], check=True, capture_output=True, timeout=180)
    return folder / f"{docx_path.stem}.pdf"


def _findings(result) -> list[tuple]:
    return sorted((f.rule, f.severity, f.item.replace(" ", ""), f.stated, f.expected)
                  for f in result.findings if f.rule.startswith("BK6"))


@pytest.mark.skipif(not _writer(), reason="LibreOffice Writer is not installed (apt-get install libreoffice-writer-nogui)")
def test_a_pdf_made_from_the_docx_draft_gives_the_same_findings(tmp_path):
    word, published = tmp_path / "word", tmp_path / "pdf"
    word.mkdir()
    published.mkdir()
    from_word = putuo_pair(word, **PUTUO_WRONG)
    assert len(_findings(from_word)) == 3
    pdf = _to_pdf(word / "putuo_office_unit_budget_2025_说明.docx", published)
    shutil.copy(word / "putuo_office_unit_budget_2025.xlsx", published)
    from_pdf = pipeline.run(published)
    [text] = from_pdf.narratives
    assert text.file == pdf.name and not text.reason
    assert _findings(from_pdf) == _findings(from_word)
    assert {f.ref.sheet for f in from_pdf.findings if f.rule.startswith("BK6")} == {"第3页", "第4页"}


PDFS = Path(__file__).parent / "fixtures" / "pdf_prose"   # made by make.py there, fonts embedded
PUTUO_PDFS = ["putuo_说明_fallback-wqy-zenhei.pdf", "putuo_说明_noto-serif-justified.pdf"]
FINAL_PDFS = ["决算说明_wqy-zenhei.pdf", "决算说明_noto-sans-justified.pdf"]


@pytest.mark.parametrize(("name", "pages"), list(zip(PUTUO_PDFS, [{"第3页", "第4页"}, {"第4页", "第6页"}])))
def test_a_published_pdf_of_the_budget_draft_gives_the_same_findings_as_the_draft(tmp_path, name, pages):
    word, published = tmp_path / "word", tmp_path / "pdf"
    word.mkdir()
    published.mkdir()
    from_word = putuo_pair(word, **PUTUO_WRONG)
    assert [f[0] for f in _findings(from_word)] == ["BK608", "BK613", "BK617"]
    shutil.copy(PDFS / name, published / "putuo_office_unit_budget_2025_说明.pdf")
    shutil.copy(word / "putuo_office_unit_budget_2025.xlsx", published)
    from_pdf = pipeline.run(published)
    assert _findings(from_pdf) == _findings(from_word)
    assert {f.ref.sheet for f in from_pdf.findings if f.rule.startswith("BK6")} == pages


@pytest.mark.parametrize("name", FINAL_PDFS)
def test_a_published_pdf_of_the_final_accounts_draft_gives_the_same_findings_as_the_draft(tmp_path, name):
    from_word = department(tmp_path / "word", *WRONG, as_docx=True)
    assert [f[0] for f in _findings(from_word)] == ["BK606", "BK612"]
    department(tmp_path / "pdf", *WRONG)
    (tmp_path / "pdf" / "决算说明.txt").unlink()
    shutil.copy(PDFS / name, tmp_path / "pdf" / "决算说明.pdf")
    from_pdf = pipeline.run(tmp_path / "pdf")
    assert _findings(from_pdf) == _findings(from_word)
    assert [(f.ref.sheet, f.ref.cell) for f in from_pdf.findings if f.rule.startswith("BK6")] == [
        ("第1页", "第3段"), ("第1页", "第5段")]


TABLE_PDFS = ["putuo_office_unit_budget_2025_tables.pdf", "putuo_social_work_2024_final_tables.pdf"]


@pytest.mark.parametrize("name", TABLE_PDFS)
def test_no_page_of_a_real_workbook_printed_as_a_pdf_is_read_as_prose(name):
    """Every table: 总表 whose lines are labels, tables of one row under their notes, continuation pages.
    Nothing is left to check, and the 概览 says so (a scanned PDF was listed as read, audit19)."""
    text = load_narrative(SourceFile(PDFS / name, name))
    assert (text.paragraphs, text.reason) == ((), "PDF 中没有可核对的文字段落（扫描件，或只有表格页），未核对")


def test_a_published_pdf_with_its_tables_after_the_prose_gives_the_drafts_findings(tmp_path):
    word, published = tmp_path / "word", tmp_path / "pdf"
    word.mkdir()
    published.mkdir()
    from_word = putuo_pair(word, **PUTUO_WRONG)
    disclosure = pypdfium2.PdfDocument(PDFS / "putuo_说明_fallback-wqy-zenhei.pdf")
    disclosure.import_pages(pypdfium2.PdfDocument(PDFS / TABLE_PDFS[0]))
    disclosure.save(published / "putuo_office_unit_budget_2025_说明.pdf")
    shutil.copy(word / "putuo_office_unit_budget_2025.xlsx", published)
    from_pdf = pipeline.run(published)
    assert _findings(from_pdf) == _findings(from_word)
    [text] = from_pdf.narratives
    assert {p.ref.sheet for p in text.paragraphs} == {"第1页", "第2页", "第3页", "第4页", "第5页"}


def _draft_paragraphs(name: str) -> list[str]:
    if name in FINAL_PDFS:
        return [TITLE, *WRONG]
    texts = [p.text for p in docx.Document(str(REAL / "putuo_office_unit_budget_2025_说明.docx")).paragraphs]
    for old, new in PUTUO_WRONG.values():
        texts = [text.replace(old, new) for text in texts]
    return [text for text in texts if text.strip()]


@pytest.mark.parametrize("name", PUTUO_PDFS + FINAL_PDFS)
def test_a_pdf_reads_paragraph_for_paragraph_as_its_draft(name):
    """Whatever the font and layout: quotes in place, no line break or spacing left inside a sentence;
    only the spaces the PDF's figures stand between differ from the draft ("1. “" reads "1.“")."""
    narrative = load_narrative(SourceFile(PDFS / name, name))
    assert [p.text.replace(" ", "") for p in narrative.paragraphs] == [
        text.replace(" ", "") for text in _draft_paragraphs(name)]


def test_a_page_of_tables_is_not_prose():
    assert _is_table_page(["项目 合计 基本支出 项目支出", "201 一般公共服务支出 8,228.68 1,583.68 6,645.00",
                           "20103 政府办公厅（室）及相关机构事务 8,228.68 1,583.68 6,645.00", "合计 9,101.68 2,460.68 6,641.00"])
    assert not _is_table_page(["2025年，收入预算9,101.68万元，其中：财政拨款收入9,101.68万元，比2024年预算减少2,389.52万元；",
                               "事业收入0万元。"])
    # a page of prose dense with figures, no line of which ends a sentence
    assert not _is_table_page(["2023年度一般公共预算财政拨款支出190万元，主要用于以下方面：科学技术支出",
                               "（类）95万元，占47.37%；社会保障和就业支出（类）46.67万元，占24.56%；卫",
                               "生健康支出（类）16.67万元，占8.77%；住房保障支出（类）36.66万元，占"])


def test_run_with_annotate_docx_writes_the_copy_and_the_report_check_sheet(tmp_path):
    from typer.testing import CliRunner

    from budgetkit.cli import app

    department(tmp_path / "in", *WRONG, as_docx=True)
    out = tmp_path / "out"
    done = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(out / "summary.xlsx"),
                                    "--annotate-docx", str(tmp_path / "in"), "--quiet"])
    assert done.exit_code == 1, done.output
    copy = tmp_path / "in" / f"决算说明{SUFFIX}.docx"
    assert len(comments_of(copy)) == 2
    assert "报告核对" in openpyxl.load_workbook(out / "summary.xlsx").sheetnames
    # The copy left beside the draft is budgetkit's own: the next run neither reads it nor refuses to replace it.
    again = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(out / "summary.xlsx"),
                                     "--annotate-docx", str(tmp_path / "in"), "--quiet"])
    assert again.exit_code == 1, again.output
    assert [n.file for n in pipeline.run(tmp_path / "in").narratives] == ["决算说明.docx"]
