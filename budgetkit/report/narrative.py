"""The paragraphs of section 部门财政资金收支情况, written from the report tables.

Every figure in the text is read off a ``ReportTable`` row, so the text and the
tables cannot disagree; the register follows the model 自评报告
("收入总计164.52万元，其中：年初结转和结余0.84万元，占0.51%；…").
"""

from __future__ import annotations

from decimal import Decimal

from budgetkit.money import fmt_amount, fmt_percent
from budgetkit.report.figures import ORDINALS, ZERO_BASE, Compared, DepartmentReport, ReportRow, ReportTable, Section

HEADING = "二、部门财政资金收支情况"


def paragraphs(report: DepartmentReport) -> list[str]:
    """One paragraph per topic, numbered （一）（二）… in the order written."""
    unit = report.unit.label
    year = f"{report.year}年" if report.year else "本年度"
    texts = [
        ("部门财政资金收入情况", _income(report, unit, year)),
        ("部门财政资金支出情况", _spending(report, unit, year)),
        ("部门财政资金结转结余情况", _balance(report, unit)),
        ("预算执行情况", _execution(report, unit, year)),
        ("“三公”经费情况", _three_public(report, unit)),
        ("与上年对比情况", _year_on_year(report, unit)),
    ]
    written = [(topic, text) for topic, text in texts if text]
    return [f"（{ORDINALS[i]}）{topic}。{text}" for i, (topic, text) in enumerate(written)]


def _amount(value: Decimal | None, unit: str) -> str:
    return fmt_amount(value or Decimal(0)) + unit


def _percent(value: Decimal | None) -> str:
    return fmt_percent(value) if value is not None else ""


def _shares(table: ReportTable, unit: str) -> str:
    """'甲100.00万元，占60.00%；乙…' over the body rows of a 金额/占比 table."""
    return "；".join(f"{row.label}{_amount(row.values[0], unit)}，占{_percent(row.values[1])}"
                    if row.values[1] is not None else f"{row.label}{_amount(row.values[0], unit)}"
                    for row in table.body)


def _composition(table: ReportTable, total_name: str, unit: str) -> str:
    """'收入总计X，其中：…' or, with a single source, '收入总计X，全部为…'."""
    total = f"{total_name}{_amount(table.total.values[0], unit)}"
    if not table.body:
        return total
    if len(table.body) == 1:
        return f"{total}，全部为{table.body[0].label}"
    return f"{total}，其中：{_shares(table, unit)}"


def _income(report: DepartmentReport, unit: str, year: str) -> str:
    table = report.table(Section.INCOME)
    if table is None:
        return "未提供收入支出决算总表或收入决算表，收入情况无法列示。"
    return f"{report.department}{year}{_composition(table, table.total_name, unit)}。"


def _spending(report: DepartmentReport, unit: str, year: str) -> str:
    by_class, by_nature = report.table(Section.BY_CLASS), report.table(Section.BY_NATURE)
    headline = by_class or by_nature
    if headline is None:
        return "未提供收入支出决算总表或支出决算表，支出情况无法列示。"
    sentences = [f"{year if report.year else ''}{headline.total_name}{_amount(headline.total.values[0], unit)}"]
    if by_class and by_class.body:
        sentences.append(f"按支出功能分类，{_shares(by_class, unit)}")
    if by_nature and by_nature.body:
        sentences.append(f"按支出性质，{_shares(by_nature, unit)}")
    if basic := report.table(Section.BASIC):
        sentences.append(f"一般公共预算财政拨款{_composition(basic, basic.total_name, unit)}")
    return "。".join(sentences) + "。"


def _balance(report: DepartmentReport, unit: str) -> str:
    table = report.table(Section.BALANCE)
    if table is None:
        return ""
    total = _named(table, table.total)
    text = "，".join(f"{name}{_amount(value, unit)}" for name, value in total.items()) + "。"
    closings = [(row.label, _named(table, row)["年末结转和结余"]) for row in table.body]
    if closings and total["年末结转和结余"]:
        text += "年末结转和结余中，" + "；".join(f"{label}{_amount(value, unit)}" for label, value in closings) + "。"
    return text


def _named(table: ReportTable, row: ReportRow) -> dict[str, Decimal | None]:
    return {column.header: value for column, value in zip(table.columns, row.values)}


def _execution(report: DepartmentReport, unit: str, year: str) -> str:
    table = report.table(Section.EXECUTION)
    if table is None:
        return ""
    plan, spent, rate, gap = table.total.values
    text = f"{year}年初预算支出{_amount(plan, unit)}，决算支出{_amount(spent, unit)}"
    text += f"，预算执行率{_percent(rate)}" if rate is not None else "，预算数为零，不计算执行率"
    if gap:
        text += f"，决算数比预算数{'增加' if gap > 0 else '减少'}{_amount(abs(gap), unit)}"
    # The text speaks of 类; the 款 and 项 a --detail table lists under them stay in the table.
    details = [f"{row.label}预算{_amount(row.values[0], unit)}、决算{_amount(row.values[1], unit)}"
               + (f"、执行率{_percent(row.values[2])}" if row.values[2] is not None else "")
               for row in table.body if not row.is_detail]
    return text + ("。其中：" + "；".join(details) if details else "") + "。"


def _three_public(report: DepartmentReport, unit: str) -> str:
    table = report.table(Section.THREE_PUBLIC)
    if table is None:
        return ""
    budget, final, rate = table.total.values
    if not budget and not final:
        return "本年度没有财政拨款“三公”经费预算和支出。"
    text = f"“三公”经费预算{_amount(budget, unit)}，决算{_amount(final, unit)}"
    text += f"，完成预算的{_percent(rate)}" if rate is not None else ""
    items = [f"{row.label.removeprefix('其中：')}预算{_amount(row.values[0], unit)}、决算{_amount(row.values[1], unit)}"
             for row in table.body if not row.is_detail]
    return f"{text}。其中：{'；'.join(items)}。"


def _year_on_year(report: DepartmentReport, unit: str) -> str:
    """'本年收入合计X万元，比上年增加Y万元，增长Z%。其中：…' block by block of the 与上年对比 table."""
    table = report.table(Section.YEAR_ON_YEAR)
    if table is None:
        return ""
    sentences = []
    for block, rows in _blocks(table):
        # Lines nil in both years (listed with --keep-zero) say nothing worth a sentence.
        items = [_compared(row, block.noun, unit) for row in rows
                 if not row.is_total and not row.is_detail and (row.values[0] or row.values[1])]
        total = next((row for row in rows if row.is_total), None)
        if block == Compared.BY_NATURE:
            sentences += ["按支出性质，" + "；".join(items)] if items else []
            continue
        if total is None:  # 机关运行经费: a single line
            sentences += items
            continue
        text = _compared(total, block.noun, unit)
        if items:
            text += ("。按支出功能分类，" if block == Compared.BY_CLASS else "。其中：") + "；".join(items)
        sentences.append(text)
    return "。".join(sentences) + "。"


def _blocks(table: ReportTable) -> list[tuple[Compared, list[ReportRow]]]:
    """The table's rows under each heading ("一、收入" opens the 收入 block)."""
    blocks: list[tuple[Compared, list[ReportRow]]] = []
    for row in table.rows:
        if row.is_heading:
            blocks.append((Compared(row.label.split("、", 1)[1]), []))
        else:
            blocks[-1][1].append(row)
    return blocks


def _compared(row: ReportRow, noun: str, unit: str) -> str:
    """One line against last year, with direction words that agree with the sign of its change."""
    now, then, change, rate = row.values
    label = row.label.removeprefix("其中：")
    if rate == ZERO_BASE:
        return f"{label}{_amount(now, unit)}，上年无此项{noun}"
    if change == 0:
        return f"{label}{_amount(now, unit)}，与上年持平"
    if not now:
        return f"{label}上年{_amount(then, unit)}，本年无此项{noun}"
    more = change > 0
    text = f"{label}{_amount(now, unit)}，比上年{'增加' if more else '减少'}{_amount(abs(change), unit)}"
    return text + (f"，{'增长' if more else '下降'}{_percent(abs(rate))}" if rate is not None else "")
