"""Regenerate the sample workbooks shipped under ``workbooks/``.

The samples stand in for the spreadsheets a district science and technology
association (区科协, 乐山市市中区科学技术协会) publishes or keeps for its
2022 final accounts (部门决算). budgetkit's loaders and checks are developed
and tested against them, so they copy the layout habits of real published
workbooks rather than an idealised one: a merged title row, a
"部门：…" / "单位：万元" row, merged multi-row headers, subject codes stored as
text, amounts stored as numbers formatted ``#,##0.00``, and blanks left as
empty bordered cells. No formulas are written; every figure is a literal.

Three files are built:

* ``workbooks/区科协2022年部门决算.xlsx`` (openpyxl) with three standard
  tables: 收入支出决算总表, 收入决算表 and 支出决算表.
* ``workbooks/区科协2022年收支构成测算表.xls`` (xlwt), the staff's own legacy
  working sheet with the income and expenditure composition used in the
  written report.
* ``workbooks/区科协2022年绩效自评表.xlsx`` (openpyxl): the 部门整体支出绩效自评表
  (贵州-style 资金 block: 年初预算数（A） | 全年执行数（B）) and one central-template
  项目支出绩效自评表 per project of the model report, each scored 98 分. Their
  money agrees with the 决算: 全年执行数 163.68 = 本年支出合计, 基本支出 133.68,
  项目支出 30.00 = 25.00 (科普活动运转经费) + 5.00 (老科协经费).

Some figures are deliberately imperfect, as in real material: the 支出决算表
carries a 0.01 rounding residue, and the income composition table leaves the
carry-over out of its total. Checks in budgetkit are expected to notice both.

Run from the repository root::

    python scripts/make_sample_workbooks.py

The script overwrites the files and produces byte-identical output on every
run, so regenerating them never shows up as a spurious change in git.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import xlwt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

WORKBOOK_DIR = Path(__file__).resolve().parent.parent / "workbooks"
XLSX_PATH = WORKBOOK_DIR / "区科协2022年部门决算.xlsx"
XLS_PATH = WORKBOOK_DIR / "区科协2022年收支构成测算表.xls"
SELF_EVAL_PATH = WORKBOOK_DIR / "区科协2022年绩效自评表.xlsx"

DEPARTMENT = "乐山市市中区科学技术协会"
UNIT_LABEL = "单位：万元"

# Stamped into the .xlsx instead of "now" so that reruns are byte-identical.
FIXED_TIMESTAMP = datetime.datetime(2023, 1, 1)

# ---------------------------------------------------------------------------
# Figures (万元). None means the published table leaves the cell blank.
# ---------------------------------------------------------------------------

# 收入支出决算总表, income side.
INCOME_LINES = [
    ("一、一般公共预算财政拨款收入", 163.68),
    ("二、政府性基金预算财政拨款收入", None),
    ("三、国有资本经营预算财政拨款收入", None),
    ("四、上级补助收入", None),
    ("五、事业收入", None),
    ("六、经营收入", None),
    ("七、附属单位上缴收入", None),
    ("八、其他收入", None),
]

# 收入支出决算总表, expenditure side (functional classification, 类 level).
EXPENDITURE_LINES = [
    ("一、一般公共服务支出", None),
    ("二、外交支出", None),
    ("三、国防支出", None),
    ("四、公共安全支出", None),
    ("五、教育支出", None),
    ("六、科学技术支出", 125.43),
    ("七、文化旅游体育与传媒支出", None),
    ("八、社会保障和就业支出", 20.15),
    ("九、卫生健康支出", 5.95),
    ("十、节能环保支出", None),
    ("十一、城乡社区支出", None),
    ("十二、农林水支出", None),
    ("十三、交通运输支出", None),
    ("十四、资源勘探工业信息等支出", None),
    ("十五、商业服务业等支出", None),
    ("十六、金融支出", None),
    ("十七、援助其他地区支出", None),
    ("十八、自然资源海洋气象等支出", None),
    ("十九、住房保障支出", 12.15),
    ("二十、粮油物资储备支出", None),
    ("二十一、国有资本经营预算支出", None),
    ("二十二、灾害防治及应急管理支出", None),
    ("二十三、其他支出", None),
    ("二十四、抗疫特别国债安排的支出", None),
]

# 收入支出决算总表, bottom block: (income line, expenditure line) per row.
SUMMARY_LINES = [
    (("本年收入合计", 163.68), ("本年支出合计", 163.68)),
    (("使用非财政拨款结余", None), ("结余分配", None)),
    (("年初结转和结余", 0.84), ("年末结转和结余", 0.84)),
    (("总计", 164.52), ("总计", 164.52)),
]

# 收入决算表 and 支出决算表 share their rows. Code None marks the 合计 row.
# Columns: code, name, income (本年收入合计 = 财政拨款收入),
#          expenditure (本年支出合计), 基本支出, 项目支出.
SUBJECT_LINES = [
    (None, "合计", 163.68, 163.68, 133.68, 30.00),
    ("206", "科学技术支出", 125.43, 125.43, 95.43, 30.00),
    ("20601", "科学技术管理事务", 95.43, 95.43, 95.43, None),
    ("2060101", "行政运行", 95.43, 95.43, 95.43, None),
    ("20607", "科学技术普及", 30.00, 30.00, None, 30.00),
    ("2060702", "科普活动", 30.00, 30.00, None, 30.00),
    ("208", "社会保障和就业支出", 20.15, 20.15, 20.15, None),
    ("20805", "行政事业单位养老支出", 20.15, 20.15, 20.15, None),
    # 13.44 on the expenditure side is the 0.01 rounding residue that real
    # published tables carry: its parent 20805 still shows 20.15.
    ("2080505", "机关事业单位基本养老保险缴费支出", 13.43, 13.44, 13.44, None),
    ("2080506", "机关事业单位职业年金缴费支出", 6.72, 6.72, 6.72, None),
    ("210", "卫生健康支出", 5.95, 5.95, 5.95, None),
    ("21011", "行政事业单位医疗", 5.95, 5.95, 5.95, None),
    ("2101101", "行政单位医疗", 5.95, 5.95, 5.95, None),
    ("221", "住房保障支出", 12.15, 12.15, 12.15, None),
    ("22102", "住房改革支出", 12.15, 12.15, 12.15, None),
    ("2210201", "住房公积金", 12.15, 12.15, 12.15, None),
]

INCOME_HEADERS = [
    "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入",
    "经营收入", "附属单位上缴收入", "其他收入",
]
EXPENDITURE_HEADERS = [
    "本年支出合计", "基本支出", "项目支出", "上缴上级支出",
    "经营支出", "对附属单位补助支出",
]

# 收支构成 working sheet: (title, share number format, [(item, amount, share)]).
# The income table reproduces the model report as printed: its 合计 omits the
# 0.84 carry-over, and the carry-over's share rounds to 0%.
INCOME_COMPOSITION = (
    "2022年部门财政资金收入构成",
    "0%",
    [
        ("上年结转", 0.84, 0),
        ("一般公共预算拨款收入", 163.68, 1),
        ("政府性基金预算拨款收入", 0, 0),
        ("事业收入", 0, 0),
        ("合计", 163.68, 1),
    ],
)
EXPENDITURE_COMPOSITION = (
    "2022年部门财政资金支出构成",
    "0.00%",
    [
        ("科学技术支出", 125.43, 0.7663),
        ("社会保障和就业支出", 20.15, 0.1231),
        ("卫生健康支出", 5.95, 0.0364),
        ("住房保障支出", 12.15, 0.0742),
        ("合计", 163.68, 1),
    ],
)

# ---------------------------------------------------------------------------
# .xlsx: the three standard 决算 tables
# ---------------------------------------------------------------------------

AMOUNT_FORMAT = "#,##0.00"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BODY_FONT = Font(name="宋体", size=10)
HEADER_FONT = Font(name="宋体", size=10, bold=True)
TITLE_FONT = Font(name="宋体", size=16, bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")
RIGHT = Alignment(horizontal="right", vertical="center")


def merge(ws: Worksheet, top: int, left: int, bottom: int, right: int) -> None:
    if (top, left) != (bottom, right):
        ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)


def write_text(ws: Worksheet, row: int, col: int, text: str, *,
               font: Font = BODY_FONT, align: Alignment = LEFT) -> None:
    cell = ws.cell(row=row, column=col, value=text)
    cell.font = font
    cell.alignment = align
    # Text format keeps codes such as 2060101 as text if someone retypes them.
    cell.number_format = "@"


def write_amount(ws: Worksheet, row: int, col: int, amount: float | None) -> None:
    cell = ws.cell(row=row, column=col)
    if amount is not None:
        cell.value = amount
    cell.font = BODY_FONT
    cell.alignment = RIGHT
    cell.number_format = AMOUNT_FORMAT


def write_heading(ws: Worksheet, title: str, width: int) -> None:
    """Rows 1-2: the merged title, then the department and unit line."""
    write_text(ws, 1, 1, title, font=TITLE_FONT, align=CENTER)
    merge(ws, 1, 1, 1, width)
    ws.row_dimensions[1].height = 30
    write_text(ws, 2, 1, f"部门：{DEPARTMENT}")
    merge(ws, 2, 1, 2, width - 1)
    write_text(ws, 2, width, UNIT_LABEL, align=RIGHT)


def write_header_cell(ws: Worksheet, text: str, top: int, left: int,
                      bottom: int | None = None, right: int | None = None) -> None:
    write_text(ws, top, left, text, font=HEADER_FONT, align=CENTER)
    merge(ws, top, left, bottom or top, right or left)


def write_note(ws: Worksheet, row: int, width: int, text: str) -> None:
    write_text(ws, row, 1, text)
    merge(ws, row, 1, row, width)


def draw_borders(ws: Worksheet, top: int, bottom: int, width: int) -> None:
    # Applied cell by cell, merged cells included, so blank cells and merged
    # headers print with complete grid lines.
    for row in ws.iter_rows(min_row=top, max_row=bottom, max_col=width):
        for cell in row:
            cell.border = BOX


def set_widths(ws: Worksheet, widths: list[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def write_overview_sheet(ws: Worksheet) -> None:
    """收入支出决算总表: income on the left, expenditure on the right."""
    width = 4
    write_heading(ws, "收入支出决算总表", width)
    write_header_cell(ws, "收入", 3, 1, right=2)
    write_header_cell(ws, "支出", 3, 3, right=4)
    for col, text in enumerate(["项目", "决算数", "项目", "决算数"], start=1):
        write_header_cell(ws, text, 4, col)

    first = 5
    for offset, (item, amount) in enumerate(INCOME_LINES):
        write_text(ws, first + offset, 1, item)
        write_amount(ws, first + offset, 2, amount)
    # The income side has fewer lines; its remaining rows stay empty and only
    # get borders, as in the published table.
    for offset, (item, amount) in enumerate(EXPENDITURE_LINES):
        write_text(ws, first + offset, 3, item)
        write_amount(ws, first + offset, 4, amount)

    row = first + len(EXPENDITURE_LINES)
    for (income_item, income), (spend_item, spend) in SUMMARY_LINES:
        write_text(ws, row, 1, income_item)
        write_amount(ws, row, 2, income)
        write_text(ws, row, 3, spend_item)
        write_amount(ws, row, 4, spend)
        row += 1

    draw_borders(ws, 3, row - 1, width)
    write_note(ws, row, width, "注：本表反映部门本年度的总收支和年末结转结余情况。")
    set_widths(ws, [36, 14, 36, 14])


def write_subject_sheet(ws: Worksheet, title: str, headers: list[str],
                        rows: list[tuple[str | None, str, list[float | None]]],
                        note: str) -> None:
    """A 收入决算表 / 支出决算表 style table keyed by functional subject code."""
    width = 2 + len(headers)
    write_heading(ws, title, width)
    write_header_cell(ws, "项目", 3, 1, right=2)
    write_header_cell(ws, "功能分类科目编码", 4, 1)
    write_header_cell(ws, "科目名称", 4, 2)
    for col, text in enumerate(headers, start=3):
        write_header_cell(ws, text, 3, col, bottom=4)

    row = 5
    for code, name, amounts in rows:
        if code is None:
            write_text(ws, row, 1, name, align=CENTER)
            merge(ws, row, 1, row, 2)
        else:
            write_text(ws, row, 1, code)
            write_text(ws, row, 2, name)
        # Columns without figures are still written so they carry the format.
        padded = amounts + [None] * (len(headers) - len(amounts))
        for col, amount in enumerate(padded, start=3):
            write_amount(ws, row, col, amount)
        row += 1

    draw_borders(ws, 3, row - 1, width)
    write_note(ws, row, width, note)
    ws.row_dimensions[3].height = 20
    ws.row_dimensions[4].height = 20
    set_widths(ws, [18, 34] + [14] * len(headers))


def save_reproducibly(wb: Workbook, path: Path) -> None:
    """Save an .xlsx whose bytes depend only on its content.

    openpyxl's save_workbook stamps the current time into docProps/core.xml
    and every zip entry; both are pinned to FIXED_TIMESTAMP instead.
    """
    wb.properties.created = wb.properties.modified = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    zip_time = FIXED_TIMESTAMP.timetuple()[:6]
    with zipfile.ZipFile(buffer) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(zipfile.ZipInfo(entry.filename, date_time=zip_time),
                            source.read(entry.filename),
                            compress_type=zipfile.ZIP_DEFLATED)


def build_final_accounts(path: Path) -> None:
    wb = Workbook()
    overview = wb.active
    overview.title = "收入支出决算总表"
    write_overview_sheet(overview)

    # Only fiscal appropriations exist, so 本年收入合计 and 财政拨款收入 match.
    income_rows = [(code, name, [income, income])
                   for code, name, income, _, _, _ in SUBJECT_LINES]
    write_subject_sheet(wb.create_sheet("收入决算表"), "收入决算表", INCOME_HEADERS,
                        income_rows, "注：本表反映部门本年度取得的各项收入情况。")

    spending_rows = [(code, name, [spent, basic, project])
                     for code, name, _, spent, basic, project in SUBJECT_LINES]
    write_subject_sheet(wb.create_sheet("支出决算表"), "支出决算表", EXPENDITURE_HEADERS,
                        spending_rows, "注：本表反映部门本年度各项支出情况。")

    save_reproducibly(wb, path)


# ---------------------------------------------------------------------------
# .xls: the staff's composition working sheet
# ---------------------------------------------------------------------------

XLS_BOX = "borders: left thin, right thin, top thin, bottom thin;"
XLS_FONT = "font: name 宋体, height 200;"


def write_composition_table(ws: xlwt.Worksheet, top: int, table: tuple) -> int:
    """Write one title/unit/header/rows block; return the row after it."""
    title, share_format, lines = table
    title_style = xlwt.easyxf("font: name 宋体, height 280, bold on; align: horiz center")
    unit_style = xlwt.easyxf(XLS_FONT + "align: horiz right")
    header_style = xlwt.easyxf(XLS_FONT + "font: bold on; align: horiz center;" + XLS_BOX)
    item_style = xlwt.easyxf(XLS_FONT + XLS_BOX)
    amount_style = xlwt.easyxf(XLS_FONT + XLS_BOX, num_format_str=AMOUNT_FORMAT)
    share_style = xlwt.easyxf(XLS_FONT + XLS_BOX, num_format_str=share_format)

    ws.write_merge(top, top, 0, 2, title, title_style)
    ws.write(top + 1, 2, UNIT_LABEL, unit_style)
    for col, text in enumerate(["项目", "金额", "占比"]):
        ws.write(top + 2, col, text, header_style)
    row = top + 3
    for item, amount, share in lines:
        ws.write(row, 0, item, item_style)
        ws.write(row, 1, amount, amount_style)
        ws.write(row, 2, share, share_style)
        row += 1
    return row


def build_composition_sheet(path: Path) -> None:
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("收支构成")
    next_row = write_composition_table(ws, 0, INCOME_COMPOSITION)
    # One empty row separates the two tables, as on the staff's sheet.
    write_composition_table(ws, next_row + 1, EXPENDITURE_COMPOSITION)
    for col, chars in enumerate([28, 14, 10]):
        ws.col(col).width = 256 * chars
    wb.save(str(path))


# ---------------------------------------------------------------------------
# .xlsx: the 绩效自评表 (one 部门整体 form, one form per project)
# ---------------------------------------------------------------------------

# (一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因)
DEPARTMENT_INDICATORS = [
    ("产出指标", "数量指标", "开展科普活动场次", "≥20场", "24场", 20, 20, ""),
    ("产出指标", "质量指标", "天府科技云新增注册人数", "≥5000人", "4262人", 15, 12.79,
     "宣传覆盖不足，新增注册人数未达目标；下一步扩大园区、高校宣传。"),
    ("产出指标", "时效指标", "资金支付及时率", "≥95%", "100%", 15, 15, ""),
    ("效益指标", "社会效益指标", "优秀科技论文获奖数", "≥40篇", "50篇", 15, 15, ""),
    ("效益指标", "可持续影响指标", "支持科普教育基地数", "≥4家", "4家", 15, 15, ""),
    ("满意度指标", "服务对象满意度指标", "科技工作者满意度", "≥90%", "95%", 10, 10, ""),
]
# (项目名称, 年初预算数, 全年预算数, 全年执行数, indicators); every project scores 98 分.
PROJECTS = [
    ("科普活动运转经费", 25.00, 25.00, 25.00, [
        ("产出指标", "数量指标", "开展科普活动场次", "≥20场", "24场", 20, 20, ""),
        ("产出指标", "质量指标", "科普活动覆盖人数", "≥3000人次", "3500人次", 15, 15, ""),
        ("产出指标", "时效指标", "活动按计划完成率", "100%", "100%", 15, 15, ""),
        ("效益指标", "社会效益指标", "公众科学素质提升", "有效提升", "基本达成", 30, 28,
         "部分乡镇活动受天气影响延期；下一步提前安排备用场地。"),
        ("满意度指标", "服务对象满意度指标", "参与群众满意度", "≥90%", "95%", 10, 10, ""),
    ]),
    ("老科协经费", 5.00, 5.00, 5.00, [
        ("产出指标", "数量指标", "老科技工作者活动次数", "≥4次", "4次", 25, 25, ""),
        ("产出指标", "质量指标", "会员活动参与率", "≥80%", "85%", 15, 15, ""),
        ("产出指标", "时效指标", "经费支付及时率", "100%", "100%", 10, 10, ""),
        ("效益指标", "社会效益指标", "采纳的建言献策数", "≥15项", "14项", 30, 28,
         "部分建议仍在论证；下一步跟踪采纳情况。"),
        ("满意度指标", "服务对象满意度指标", "会员满意度", "≥90%", "96%", 10, 10, ""),
    ]),
]
FORM_WIDTH = 8  # columns A-H
PERCENT_FORMAT = "0.00%"


def write_indicator_block(ws: Worksheet, top: int, indicators: list[tuple], total: tuple[float, float],
                          grade: str, target_header: str, actual_header: str) -> int:
    """一级 | 二级 | 三级 | 指标值 | 完成值 | 分值 | 得分 | 偏差原因, the 总分 row and the grade; returns the last row."""
    for col, text in enumerate(["一级指标", "二级指标", "三级指标", target_header, actual_header, "分值", "得分",
                                "偏差原因分析及改进措施"], start=1):
        write_header_cell(ws, text, top, col)
    row = top + 1
    first_of_level = {}
    for level1, level2, name, target, actual, weight, score, reason in indicators:
        first_of_level.setdefault(level1, [row, row])[1] = row
        for col, text in ((1, level1), (2, level2), (3, name), (4, target), (5, actual), (8, reason)):
            if col != 1 or first_of_level[level1][0] == row:
                write_text(ws, row, col, text)
        write_amount(ws, row, 6, weight)
        write_amount(ws, row, 7, score)
        row += 1
    for first, last in first_of_level.values():
        merge(ws, first, 1, last, 1)
    write_text(ws, row, 1, "总分", align=CENTER)
    merge(ws, row, 1, row, 5)
    write_amount(ws, row, 6, total[0])
    write_amount(ws, row, 7, total[1])
    write_text(ws, row + 1, 1, "评价等级", align=CENTER)
    merge(ws, row + 1, 1, row + 1, 5)
    write_text(ws, row + 1, 6, grade)
    merge(ws, row + 1, 6, row + 1, FORM_WIDTH)
    return row + 1


def write_goal_rows(ws: Worksheet, top: int, headers: tuple[str, str], goal: str, done: str) -> None:
    write_header_cell(ws, "年度总体目标", top, 1, bottom=top + 1)
    write_header_cell(ws, headers[0], top, 2, right=5)
    write_header_cell(ws, headers[1], top, 6, right=FORM_WIDTH)
    write_text(ws, top + 1, 2, goal)
    merge(ws, top + 1, 2, top + 1, 5)
    write_text(ws, top + 1, 6, done)
    merge(ws, top + 1, 6, top + 1, FORM_WIDTH)


def write_fund_row(ws: Worksheet, row: int, label: str, amounts: list[float | None],
                   tail: list[object]) -> None:
    write_text(ws, row, 2, label)
    for col, amount in enumerate(amounts, start=3):
        write_amount(ws, row, col, amount)
    for col, value in enumerate(tail, start=3 + len(amounts)):
        if isinstance(value, str):
            write_text(ws, row, col, value, align=CENTER)
        else:
            write_amount(ws, row, col, value)
    if len(tail) >= 2 and not isinstance(tail[1], str):
        ws.cell(row=row, column=3 + len(amounts) + 1).number_format = PERCENT_FORMAT


def write_department_form(ws: Worksheet) -> None:
    """贵州-style 部门整体支出绩效自评表: 资金 rows 年度资金总额 / 基本支出 / 项目支出, 执行率 = B ÷ A."""
    write_text(ws, 1, 1, "2022年度部门整体支出绩效自评表", font=TITLE_FONT, align=CENTER)
    merge(ws, 1, 1, 1, FORM_WIDTH)
    write_text(ws, 2, 1, "部门（单位）名称")
    write_text(ws, 2, 2, DEPARTMENT)
    merge(ws, 2, 2, 2, FORM_WIDTH - 1)
    write_text(ws, 2, FORM_WIDTH, UNIT_LABEL, align=RIGHT)
    write_header_cell(ws, "部门（单位）总体资金（万元）", 3, 1, bottom=6)
    for col, text in enumerate(["", "年初预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分",
                                "得分计算方法"], start=2):
        write_header_cell(ws, text, 3, col)
    write_fund_row(ws, 4, "年度资金总额", [163.68, 163.68], [10, 1, 10, "执行率×分值，最高不超过分值"])
    write_fund_row(ws, 5, "其中：基本支出", [133.68, 133.68], ["-", "-", "-", ""])
    write_fund_row(ws, 6, "项目支出", [30.00, 30.00], ["-", "-", "-", ""])
    write_goal_rows(ws, 7, ("年初设定目标", "完成情况"),
                    "普及科学知识，推广先进适用技术，服务科技工作者。",
                    "全年收支平衡，较圆满完成上级下达的目标任务。")
    last = write_indicator_block(ws, 9, DEPARTMENT_INDICATORS, (100, 97.79), "优", "年度指标值（A）",
                                 "全年实际值（B）")
    draw_borders(ws, 2, last, FORM_WIDTH)
    set_widths(ws, [16, 18, 24, 16, 16, 10, 12, 36])


def write_project_form(ws: Worksheet, name: str, initial: float, adjusted: float, executed: float,
                       indicators: list[tuple]) -> None:
    """Central-template 项目支出绩效自评表: 执行率 = 全年执行数（B） ÷ 全年预算数（A）."""
    write_text(ws, 1, 1, "项目支出绩效自评表", font=TITLE_FONT, align=CENTER)
    merge(ws, 1, 1, 1, FORM_WIDTH)
    write_text(ws, 2, 1, "（2022年度）", align=CENTER)
    merge(ws, 2, 1, 2, FORM_WIDTH)
    write_text(ws, 3, 1, "项目名称")
    write_text(ws, 3, 2, name)
    merge(ws, 3, 2, 3, FORM_WIDTH)
    write_text(ws, 4, 1, "主管部门")
    write_text(ws, 4, 2, DEPARTMENT)
    merge(ws, 4, 2, 4, 4)
    write_text(ws, 4, 5, "实施单位")
    write_text(ws, 4, 6, DEPARTMENT)
    merge(ws, 4, 6, 4, FORM_WIDTH)
    write_header_cell(ws, "项目资金（万元）", 5, 1, bottom=9)
    for col, text in enumerate(["", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）",
                                "得分"], start=2):
        write_header_cell(ws, text, 5, col)
    score = 10 * min(executed / adjusted, 1)
    write_fund_row(ws, 6, "年度资金总额", [initial, adjusted, executed], [10, executed / adjusted, score])
    write_fund_row(ws, 7, "其中：当年财政拨款", [initial, adjusted, executed], ["-", executed / adjusted, "-"])
    write_fund_row(ws, 8, "上年结转资金", [None, None, None], ["-", "-", "-"])
    write_fund_row(ws, 9, "其他资金", [None, None, None], ["-", "-", "-"])
    write_goal_rows(ws, 10, ("预期目标", "实际完成情况"), f"按计划完成{name}项目各项任务。", "已按计划完成。")
    total = (10 + sum(i[5] for i in indicators), score + sum(i[6] for i in indicators))
    last = write_indicator_block(ws, 12, indicators, total, "优", "年度指标值", "实际完成值")
    draw_borders(ws, 3, last, FORM_WIDTH)
    set_widths(ws, [16, 18, 24, 16, 16, 10, 12, 36])


def build_self_evaluation(path: Path) -> None:
    wb = Workbook()
    department = wb.active
    department.title = "部门整体支出绩效自评表"
    write_department_form(department)
    for name, initial, adjusted, executed, indicators in PROJECTS:
        write_project_form(wb.create_sheet(name), name, initial, adjusted, executed, indicators)
    save_reproducibly(wb, path)


def main() -> None:
    WORKBOOK_DIR.mkdir(exist_ok=True)
    build_final_accounts(XLSX_PATH)
    build_composition_sheet(XLS_PATH)
    build_self_evaluation(SELF_EVAL_PATH)
    for path in (XLSX_PATH, XLS_PATH, SELF_EVAL_PATH):
        print(f"wrote {path.relative_to(WORKBOOK_DIR.parent)}")


if __name__ == "__main__":
    main()
