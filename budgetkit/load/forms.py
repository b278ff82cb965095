"""Read a 绩效自评表 (项目支出 or 部门整体支出) into a ``SelfEvalForm``.

A form is found by its title like any table (its kinds are registered in ``kinds``
with ``Layout.FORM``); below the title every part is found by its words, never by
position, so the central template and the 四川, 贵州 and 重庆 variants read alike:

* info cells — 项目名称, 主管部门, 实施单位, 部门（单位）名称 … each followed by its value;
* the 资金 block — a header row naming 执行数/执行率 beside 年初/全年/调整后 预算数 columns,
  then the 年度资金总额 row and its parts until the next block, in one breakdown or several
  (按收入性质分 …, 按支出性质分 …, or each begun by a 其中 line);
* the 指标 block — a header row naming 一级指标 (or 指标名称) and 分值 (or 权重), then one
  row per 三级指标 until its 合计/总分 row;
* 总分 and 等级, wherever the form prints them (a row, or a header cell "自评总分 | 95").
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from budgetkit.cells import a1
from budgetkit.load.kinds import KindSpec
from budgetkit.load.regions import SheetView
from budgetkit.model import (Cell, CellRef, FundLine, Indicator, Row, Scope, SelfEvalForm, StatedValue, TableKind,
                             Unit)
from budgetkit.money import NotANumber, is_percent_text, looks_like_a_figure, parse_figure
from budgetkit.text import normalize, year_in, year_in_name
from budgetkit.tolerance import is_percent_number

# Header words of the 资金 block, most specific first; each column is judged by its deepest heading.
FUND_COLUMNS = (
    ("method", ("计算方法",)),
    ("reason", ("原因",)),
    ("score", ("得分",)),
    ("weight", ("分值", "权重")),
    ("rate", ("执行率",)),
    ("executed", ("执行数", "实际支出", "决算数")),
    ("initial", ("年初",)),
    ("adjusted", ("全年", "调整")),
)
INDICATOR_COLUMNS = (
    ("method", ("计算方法",)),
    ("coefficient", ("系数",)),
    ("core", ("核心",)),
    ("reason", ("原因",)),
    ("score", ("得分",)),
    ("weight", ("分值", "权重")),
    ("level1", ("一级",)),
    ("level2", ("二级",)),
    ("name", ("三级", "指标名称")),
    ("nature", ("性质",)),
    ("unit", ("单位",)),
    ("target_adjusted", ("调整指标值", "调整值")),
    ("target", ("指标值", "目标值")),
    ("actual", ("完成值", "实际值")),
)
AMOUNTS = ("initial", "adjusted", "executed")
INFO_LABELS = {"项目名称": "project", "主管部门": "supervisor", "部门名称": "department",
               "部门(单位)名称": "department", "单位名称": "department", "预算部门": "department",
               "实施单位": "implementer"}
GRADES = {"优秀": "优", "优": "优", "良好": "良", "良": "良", "中等": "中", "合格": "中", "中": "中",
          "不合格": "差", "较差": "差", "差": "差"}
_NEXT_BLOCK = ("目标", "指标", "总分", "绩效", "评价", "结论")
# A heading over one breakdown of the 资金 total: 按收入性质分, 按支出性质分.
_BREAKDOWN_HEADING = re.compile(r"^按.+分")
_TITLE_BLOCK = re.compile(r"^(?:部门|编制单位|填报单位|单位名称|部门名称|预算单位)[:](.+)$")
# The ratio a 执行率 heading states: (B/A), （C/B）
_RATIO = re.compile(r"([A-Z])\s*/\s*([A-Z])")
_LETTERED = re.compile(r"[(]?[A-Z](?:\s*/\s*[A-Z])?[)]?")
_LEVEL_WEIGHT = re.compile(r"[(]?(\d+(?:\.\d+)?)分[)]?")
_VALUE = re.compile(r"^(大于等于|小于等于|不低于|不少于|不高于|不超过|大于|小于|达到|≥|≤|>=|<=|>|<|=)?"
                    r"(-?\d+(?:\.\d+)?)(.*)$")
_DIRECTIONS = {"大于等于": "≥", "不低于": "≥", "不少于": "≥", "大于": "≥", "达到": "≥", "≥": "≥", ">=": "≥",
               ">": "≥", "小于等于": "≤", "不高于": "≤", "不超过": "≤", "小于": "≤", "≤": "≤", "<=": "≤",
               "<": "≤", "=": "=", "正向": "≥", "反向": "≤", "定量": ""}
_RATE_DECIMALS = 4
_AMOUNT_DECIMALS = 2  # forms print money to two decimals; a float 30.0 does not remember it


def build_form(view: SheetView, spec: KindSpec, title: str, top: int, end: int, file: str) -> SelfEvalForm | None:
    reader = _FormReader(view, file, top, end)
    info = reader.info()
    funds, denominator, fund_paths, fund_block_title = reader.funds()
    indicators, level_weights, total_row, indicator_columns = reader.indicators()
    if not funds and not indicators:
        return None
    total_score, total_weight = reader.total(total_row, indicator_columns)
    indicator_paths = reader.indicator_paths(indicator_columns)
    department = (info.get("supervisor") or info.get("department") or info.get("implementer")
                  or reader.title_block_department())
    project = info.get("project") or (department or "" if spec.kind == TableKind.DEPARTMENT_SELF_EVAL else "")
    unit, unit_stated = reader.unit([title, fund_block_title, *fund_paths.values()])
    return SelfEvalForm(
        kind=spec.kind, file=file, sheet=view.grid.name, title=title, unit=unit,
        rows=_rows(funds, indicators, total_score, total_weight), columns={**indicator_paths, **fund_paths},
        department=department, year=year_in(title) or reader.year() or year_in_name(file), unit_stated=unit_stated,
        anchor=a1(top, 0), project=project, funds=tuple(funds), denominator=denominator,
        indicators=tuple(indicators), level1_weights=level_weights, total_score=total_score,
        total_weight=total_weight, grade=reader.grade(), prose=reader.prose(total_row),
        scope=Scope.FISCAL if reader.states_fiscal_scope(fund_block_title) else Scope.ALL,
    )


def _rows(funds: list[FundLine], indicators: list[Indicator], total_score: Cell | None,
          total_weight: Cell | None) -> list[Row]:
    """The form's figure cells as generic rows, for the rules that look at every table."""
    rows = [Row(f.label, f.values, f.label_ref, is_total=f.is_total) for f in funds]
    rows += [Row(i.name, {m: c for m, c in (("weight", i.weight), ("score", i.score)) if c}, i.label_ref)
             for i in indicators]
    if total_score is not None:
        values = {"score": total_score, **({"weight": total_weight} if total_weight else {})}
        rows.append(Row("总分", values, total_score.ref))
    return rows


class _FormReader:
    def __init__(self, view: SheetView, file: str, top: int, end: int) -> None:
        self.view, self.file, self.top, self.end = view, file, top, end

    def ref(self, r: int, c: int) -> CellRef:
        return CellRef(self.file, self.view.grid.name, self.view.address(r, c))

    def own_text(self, r: int, c: int) -> str:
        """A cell's text where it is written: a merged range's text only on the range's first row."""
        r0, _ = self.view.owner.get((r, c), (r, c))
        return self.view.text[r][c] if r0 == r else ""

    def own_texts(self, r: int) -> list[str]:
        """A row's texts where they are written: not those a range merged from above fills it with."""
        return [t for c in range(self.view.width) if (t := self.own_text(r, c))]

    def rows(self) -> range:
        return range(self.top + 1, self.end)

    def info(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for r in self.rows():
            texts = self.view.texts(r)
            for index, text in enumerate(texts[:-1]):
                key = INFO_LABELS.get(text.rstrip(":"))
                if key and key not in found and texts[index + 1].rstrip(":") not in INFO_LABELS:
                    found[key] = texts[index + 1]
        return found

    def title_block_department(self) -> str | None:
        for r in range(self.top + 1, min(self.end, self.top + 4)):
            for text in self.view.texts(r):
                match = _TITLE_BLOCK.match(text)
                if match:
                    return re.sub(r"单位[:]?(万元|元)", "", match.group(1)).strip() or None
        return None

    def year(self) -> int | None:
        return next((y for r in range(self.top + 1, min(self.end, self.top + 4)) for t in self.view.texts(r)
                     if (y := year_in(t))), None)

    # --- 资金 block ------------------------------------------------------------------

    def funds(self) -> tuple[list[FundLine], str, dict[str, str], str]:
        header = next((r for r in self.rows() if self._is_fund_header(r)), None)
        if header is None:
            return [], "adjusted", {}, ""
        band = [header] + ([header + 1] if self._continues_header(header + 1, FUND_COLUMNS) else [])
        columns = _columns(self.view, band, FUND_COLUMNS)
        paths = {m: "/".join(dict.fromkeys(t for r in band if (t := self.view.text[r][c])))
                 for c, m in columns.items()}
        denominator = _denominator(paths)
        first = min(columns)
        title_col = next((c for c in range(first) if self.view.text[header][c]), None)
        block_title = self.view.text[header][title_col] if title_col is not None else ""
        lines: list[FundLine] = []
        breakdown, headed = 0, False
        for r in range(band[-1] + 1, self.end):
            heads = [t for c in range(first) if (t := self.own_text(r, c))]
            label_col = next((c for c in range(first - 1, -1, -1) if self.own_text(r, c)), None)
            if label_col is None or any(word in t for t in heads for word in _NEXT_BLOCK):
                break
            label = self.own_text(r, label_col)
            values = {m: self.cell(r, c) for c, m in columns.items() if m not in ("method", "reason", "rate")}
            values = {m: self.rate(r, c, _exact_rate(values, denominator)) if m == "rate" else values[m]
                      for c, m in columns.items() if m not in ("method", "reason")}
            if lines and _BREAKDOWN_HEADING.match(label) and all(c.is_blank for c in values.values()):
                breakdown, headed = breakdown + 1, True
                continue
            if lines and any(_BREAKDOWN_HEADING.match(t) for t in heads[:-1]):
                # the heading merged down a column of its own beside its parts' labels (湖北)
                breakdown, headed = breakdown + 1, True
            # The parts start a breakdown of their own, and another at each 其中 line, unless a heading just did.
            if lines and not headed and (breakdown == 0 or label.startswith("其中")):
                breakdown += 1
            headed = False
            reason_col = next((c for c, m in columns.items() if m == "reason"), None)
            lines.append(FundLine(label, self.ref(r, label_col), values, is_total=not lines,
                                  reason=self.view.text[r][reason_col] if reason_col is not None else "",
                                  breakdown=breakdown))
        weight = _LEVEL_WEIGHT.search(block_title)
        if lines and weight and not _printed(lines[0].values.get("weight")):
            # "预算执行情况（10分）": the 执行率's points in the block's heading, its 分值 cells left blank
            points = Cell(Decimal(weight.group(1)), self.ref(header, title_col), 0)
            lines[0] = replace(lines[0], values={**lines[0].values, "weight": points})
        return _with_shown_decimals(lines), denominator, paths, block_title

    def _is_fund_header(self, r: int) -> bool:
        texts = self.view.texts(r)
        return (not self.view.has_figure(r) and any("执行数" in t or "执行率" in t for t in texts)
                and any("年初" in t or "预算" in t for t in texts))

    def _continues_header(self, r: int, words: tuple) -> bool:
        """A second header row: more headings, or only the columns' letters ("(A) | (B) | (B/A)")."""
        if r >= self.end or self.view.has_figure(r):
            return False
        own = self.own_texts(r)  # not a block title merged down
        return any(_measure(t, words) for t in self.view.texts(r)) or bool(own) and all(_LETTERED.fullmatch(t) for t in own)

    def cell(self, r: int, c: int) -> Cell:
        raw, found = self._figure(r, c)
        if found.value is not None and found.decimals < _AMOUNT_DECIMALS and isinstance(raw, float | int):
            # A whole score (10) may be printed 10.00, and then is no rounding of 9.90: its format says.
            return replace(found, decimals=self.formatted(found.ref, found.decimals))
        return found

    def rate(self, r: int, c: int, exact: Decimal | None) -> Cell:
        """A 执行率: a fraction (0.9591, shown 95.91%) or a percentage number (95.91). A number from 2
        up is a percentage; below, the reading nearer the row's 执行数 ÷ 预算数 (``exact``): 1.50 beside
        7.80 ÷ 520.00 is 1.50%, not 150%. Its shown digits are its format's (0.96 under 0% is 96%)."""
        raw, found = self._figure(r, c)
        value, decimals = found.value, found.decimals
        if value is None or is_percent_text(raw):
            return found
        scaled = is_percent_number(value, exact)
        if scaled:
            value, decimals = value.scaleb(-2), decimals + 2
        # A number formatted 0.00% does not remember its format: without one, taken as shown to 0.01 %.
        shown = self.formatted(found.ref, None)
        return Cell(value, found.ref, max(decimals, _RATE_DECIMALS) if shown is None else shown + (2 if scaled else 0))

    def _figure(self, r: int, c: int) -> tuple[object, Cell]:
        """The cell's raw value and its figure as typed (an unreadable text kept as such)."""
        raw = self.view.raw(*self.view.owner.get((r, c), (r, c)))
        ref = self.ref(r, c)
        try:
            value, decimals = parse_figure(raw)
        except NotANumber:
            return raw, Cell(None, ref, 0, str(raw).strip() if looks_like_a_figure(raw) else None)
        return raw, Cell(value, ref, decimals)

    def formatted(self, ref: CellRef, otherwise: int | None) -> int | None:
        """The decimals the cell's number format shows, where the file keeps formats."""
        if self.view.formats is None:
            return otherwise
        return self.view.formats.of(self.view.grid.name).get(ref.cell, otherwise)

    # --- 指标 block ------------------------------------------------------------------

    def indicator_band(self) -> list[int]:
        header = next((r for r in self.rows() if self._is_indicator_header(r)), None)
        if header is None:
            return []
        return [header] + ([header + 1] if self._continues_header(header + 1, INDICATOR_COLUMNS) else [])

    def indicator_paths(self, columns: dict[str, int]) -> dict[str, str]:
        band = self.indicator_band()
        return {f"indicator.{m}": self.view.text[band[-1]][c] or self.view.text[band[0]][c]
                for m, c in columns.items()}

    def indicators(self) -> tuple[list[Indicator], dict[str, Cell], int | None, dict[str, int]]:
        band = self.indicator_band()
        if not band:
            return [], {}, None, {}
        columns = {m: c for c, m in _columns(self.view, band, INDICATOR_COLUMNS).items()}
        indicators: list[Indicator] = []
        level_weights: dict[str, Cell] = {}
        total_row = None
        for r in range(band[-1] + 1, self.end):
            texts = self.view.texts(r)
            # its own first text: a 绩效指标 column merged down through it fills texts[0]
            own = self.own_texts(r)
            if any("总分" in t for t in texts) or (texts and "合计" in texts[0]) or own and own[0].startswith("合计"):
                total_row = r
                break
            indicator = self._indicator(r, columns)
            if indicator is None:
                continue
            indicators.append(indicator)
            weight = _LEVEL_WEIGHT.search(indicator.level1)
            if weight and indicator.level1 not in level_weights:
                level_weights[indicator.level1] = Cell(Decimal(weight.group(1)), self.ref(r, columns["level1"]), 0)
        return indicators, level_weights, total_row, columns

    def _is_indicator_header(self, r: int) -> bool:
        texts = self.view.texts(r)
        return (not self.view.has_figure(r) and any("一级指标" in t or "指标名称" in t or "三级指标" in t for t in texts)
                and any("分值" in t or "权重" in t for t in texts))

    def _indicator(self, r: int, columns: dict[str, int]) -> Indicator | None:
        def text(measure: str) -> str:
            return self.view.text[r][columns[measure]] if measure in columns else ""

        name = text("name")
        weight = self.cell(r, columns["weight"]) if "weight" in columns else None
        if not name or (weight is not None and weight.is_blank and not any(
                self.view.raw(r, c) not in (None, "") for m, c in columns.items() if m in ("score", "actual"))):
            return None
        direction = _DIRECTIONS.get(text("nature"), "")
        suffix = text("unit")
        adjusted = columns.get("target_adjusted")
        target_measure = "target_adjusted" if adjusted is not None and self.view.raw(r, adjusted) not in (None, "") \
            else "target"
        reason_col = columns.get("reason")
        return Indicator(
            level1=text("level1"), level2=text("level2"), name=name, label_ref=self.ref(r, columns["name"]),
            target=self._stated(r, columns.get(target_measure), direction, suffix),
            actual=self._stated(r, columns.get("actual"), "", suffix),
            weight=weight, score=self.cell(r, columns["score"]) if "score" in columns else None,
            reason=text("reason"), reason_ref=self.ref(r, reason_col) if reason_col is not None else None,
        )

    def _stated(self, r: int, c: int | None, direction: str, suffix: str) -> StatedValue | None:
        if c is None:
            return None
        raw = self.view.raw(*self.view.owner.get((r, c), (r, c)))
        if raw is None or normalize(raw) == "":
            return None
        return stated_value(raw, self.ref(r, c), direction, suffix)

    # --- 总分, 等级, 口径, 单位 ----------------------------------------------------------

    def total(self, total_row: int | None, columns: dict[str, int]) -> tuple[Cell | None, Cell | None]:
        """The 总分 row's 得分 (and 分值) in the indicator columns; else the figure right of a "总分" cell."""
        if total_row is not None:
            score_col, weight_col = columns.get("score"), columns.get("weight")
            if score_col is not None and self.view.raw(total_row, score_col) not in (None, ""):
                weight = self.cell(total_row, weight_col) if weight_col is not None else None
                return self.cell(total_row, score_col), weight
        for r in self.rows():
            for c, text in enumerate(self.view.text[r]):
                if "总分" in text and self.own_text(r, c) and "分值" not in text:
                    figure = next((cc for cc in range(c + 1, self.view.width)
                                   if self.view.raw(r, cc) is not None and _is_number(self.view.raw(r, cc))), None)
                    if figure is not None:
                        return self.cell(r, figure), None
        return None, None

    def grade(self) -> StatedValue | None:
        for r in self.rows():
            texts = self.view.texts(r)
            for index, text in enumerate(texts):
                if "等级" not in text:
                    continue
                inline = text.split(":", 1)[1] if ":" in text else ""
                value = inline or (texts[index + 1] if index + 1 < len(texts) else "")
                if (grade := _grade_in(value)) is not None:
                    c = self.view.text[r].index(text if inline else value)
                    return StatedValue(grade, self.ref(r, c))
        return None

    def prose(self, total_row: int | None) -> tuple[tuple[str, CellRef], ...]:
        """The form's own words outside its indicator rows (资金, 年度总体目标 and 实际完成情况 above them, notes
        under its 总分), each with its cell."""
        band = self.indicator_band()
        rows = [r for r in self.rows() if not band or r < band[0] or (total_row is not None and r > total_row)]
        return tuple((text, self.ref(r, c)) for r in rows for c in range(self.view.width) if (text := self.own_text(r, c)))

    def states_fiscal_scope(self, fund_block_title: str) -> bool:
        """The form's money is 财政拨款 only where it says so: a 口径 note, or the 资金 block's own title."""
        if "财政拨款" in fund_block_title:
            return True
        return any("口径" in t and "财政拨款" in t for r in self.rows() for t in self.view.texts(r))

    def unit(self, texts: list[str]) -> tuple[Unit, bool]:
        texts = texts + [t for r in range(self.top + 1, min(self.end, self.top + 4)) for t in self.view.texts(r)]
        if any("万元" in t for t in texts):
            return Unit.WAN, True
        if any(re.search(r"单位[:]?元|[(]元[)]", t) for t in texts):
            return Unit.YUAN, True
        return Unit.WAN, False


# A grade ticked among the printed choices: "优□ 良☑ 中□ 差□", "☑良"
_GRADE_WORDS = "|".join(sorted(GRADES, key=len, reverse=True))
_TICKED = re.compile(rf"({_GRADE_WORDS})\s*[☑✓✔√■☒]|[☑✓✔√■☒]\s*({_GRADE_WORDS})")


def _grade_in(value: str) -> str | None:
    """The grade a 等级 cell states: the word alone, with its band ("良（80-89分）"), or the choice ticked."""
    if value in GRADES:
        return value
    banded = re.sub(r"[(][^()]*[)]$", "", value).strip()
    if banded in GRADES:
        return banded
    ticked = _TICKED.findall(value)
    return next(a or b for a, b in ticked) if len(ticked) == 1 else None


def stated_value(raw: object, ref: CellRef, direction: str = "", suffix: str = "") -> StatedValue:
    """"≥95%" -> 0.95, "≥", "%"; "100人次" -> 100, "", "人次"; "按时完成" states no number."""
    text = normalize(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        value, decimals = parse_figure(raw)
        return StatedValue(f"{value:.{decimals}f}", ref, value, direction, suffix)  # 95.0 is printed 95
    match = _VALUE.match(text)
    if match is None:
        return StatedValue(text, ref, None, direction, suffix)
    word, number, rest = match.groups()
    value = Decimal(number)
    if rest.startswith("%"):
        value, rest = value.scaleb(-2), "%"
    return StatedValue(text, ref, value, _DIRECTIONS.get(word or "", "") or direction, rest or suffix)


def _columns(view: SheetView, band: list[int], words: tuple) -> dict[int, str]:
    """Column -> measure, each column judged by its deepest heading; a measure named twice keeps its first column."""
    found: dict[int, str] = {}
    for c in range(view.width):
        levels = list(dict.fromkeys(t for r in band if (t := view.text[r][c])))
        measure = next((m for level in reversed(levels) if (m := _measure(level, words))), None)
        if measure and measure not in found.values():
            found[c] = measure
    return found


def _measure(text: str, words: tuple) -> str | None:
    return next((m for m, tokens in words if any(t in text for t in tokens)), None)


def _denominator(paths: dict[str, str]) -> str:
    """The budget the form's 执行率 divides by: the column its heading names by letter (执行率(B/A) →
    the column lettered (A); 执行率(C/B) → (B)), else the column lettered (A), else 全年/调整后预算数 when
    printed (the central and 四川 templates), else 年初预算数 (贵州)."""
    ratio = _RATIO.search(paths.get("rate", "").upper())
    letter = ratio.group(2) if ratio else "A"
    marked = [m for m, p in paths.items() if m in ("initial", "adjusted") and f"({letter})" in p.upper()]
    if marked:
        return marked[0]
    return "adjusted" if "adjusted" in paths else "initial"


def _printed(cell: Cell | None) -> bool:
    return cell is not None and not cell.is_blank


def _exact_rate(values: dict[str, Cell], denominator: str) -> Decimal | None:
    """A fund line's 执行数 ÷ 预算数, where both are printed."""
    executed, budget = values.get("executed"), values.get(denominator)
    if executed is None or budget is None or executed.value is None or not budget.value:
        return None
    return executed.value / budget.value


def _with_shown_decimals(lines: list[FundLine]) -> list[FundLine]:
    """Amounts of one form share its print format (at least two decimals): 30.0 there is 30.00."""
    shown = max([c.decimals for f in lines for m, c in f.values.items() if m in AMOUNTS and c.value is not None]
                + [_AMOUNT_DECIMALS])
    return [replace(f, values={m: replace(c, decimals=shown) if m in AMOUNTS else c for m, c in f.values.items()})
            for f in lines]


def _is_number(raw: object) -> bool:
    try:
        return parse_figure(raw)[0] is not None
    except NotANumber:
        return False
