"""Exact money: parse what a cell shows into Decimal, and format it back."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from budgetkit.text import normalize
from budgetkit.model import Unit

# Dash-like placeholders that tables print for "nothing here" (accounts also write zero as -0-).
_BLANKS = {"", "-", "--", "—", "——", "―", "/", "－", "无", "-0-"}
_DECREASE = "△"  # the accounting mark of a negative amount: △30.09 is -30.09
_UNIT_SUFFIX = re.compile(r"(万元|千元|亿元|元)$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")

_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-"})
_CJK = re.compile(r"[\u4e00-\u9fff]")

UNIT_WORDS = {"元": Unit.YUAN, "千元": Unit.THOUSAND, "万元": Unit.WAN, "亿元": Unit.YI}


class NotANumber(ValueError):
    """The cell holds text that is not a figure (a label, a header word)."""


def parse_figure(raw: object) -> tuple[Decimal | None, int]:
    """A cell's value as (Decimal or None for blank, decimals shown).

    Floats are read through their shortest repr, which is the decimal the
    user typed; '1,234.56', full-width digits, '(12.00)' and '△12.00' negatives, '12.5万元'
    and '12.34%' (as the fraction 0.1234) are all accepted, and '-0-' is a printed zero.
    """
    if raw is None or isinstance(raw, bool):
        return None, 0
    if isinstance(raw, int):
        return Decimal(raw), 0
    if isinstance(raw, float):
        # A whole float (16671057.0) says nothing about decimals; its repr's ".0" is not a shown digit.
        # Otherwise read it to Excel's 15 significant digits, so a formula's binary noise
        # (145.57999999999998) is the 145.58 the sheet shows.
        return (Decimal(int(raw)), 0) if raw.is_integer() else _with_decimals(Decimal(format(raw, ".15g")))
    if raw == "":  # an empty cell as calamine gives it
        return None, 0
    # A minus sign pasted from a PDF or Word (U+2212, an en dash) is a minus sign.
    text = normalize(raw).replace(",", "").translate(_MINUS_SIGNS)
    if text in _BLANKS:
        return None, 0
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    elif text.startswith(_DECREASE):
        negative, text = True, text[1:]
    percent = text.endswith("%")
    text = _UNIT_SUFFIX.sub("", text.rstrip("%"))
    if not _NUMBER.match(text):
        raise NotANumber(str(raw))
    try:
        value, decimals = _with_decimals(Decimal(text))
    except InvalidOperation as exc:
        raise NotANumber(str(raw)) from exc
    if negative:
        value = -value
    if percent:
        return value.scaleb(-2), decimals + 2
    return value, decimals


def _with_decimals(value: Decimal) -> tuple[Decimal, int]:
    exponent = value.as_tuple().exponent
    return value, max(0, -exponent) if isinstance(exponent, int) else 0


# What Excel shows for a formula it cannot work out: a broken figure, never a blank.
_EXCEL_ERRORS = frozenset(("#REF!", "#DIV/0!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"))


def looks_like_a_figure(raw: object) -> bool:
    """Text that was meant as a number but cannot be read as one ("1l.31", "12.3.4", "#REF!"):
    digits and no Chinese word, unlike a heading or note that strayed into a figure column."""
    return isinstance(raw, str) and (raw in _EXCEL_ERRORS or any(ch.isdigit() for ch in raw) and not _CJK.search(raw))


def is_percent_text(raw: object) -> bool:
    """A cell typed as text with its own % sign ("37.5%"): already a percentage."""
    return isinstance(raw, str) and raw != "" and normalize(raw).endswith("%")


def is_figure(raw: object) -> bool:
    if raw.__class__ is str and len(raw) <= _CACHED_TEXT:
        return _is_figure_text(raw)
    if isinstance(raw, (int, float)):
        return not isinstance(raw, bool)
    if not isinstance(raw, str):
        return False
    return _is_figure_text(raw) if len(raw) <= _CACHED_TEXT else _figure_text(raw)


def _figure_text(text: str) -> bool:
    if not any(ch.isdigit() for ch in text):
        return False  # labels and headings: no digit, no figure
    try:
        value, _ = parse_figure(text)
    except NotANumber:
        return False
    return value is not None


# By text: the same labels, headings and dashes recur in every workbook; a long text
# (a note) is tested without being kept.
_CACHED_TEXT = 32
_is_figure_text = lru_cache(maxsize=1 << 14)(_figure_text)


def fmt_amount(value: Decimal | None, decimals: int = 2, signed: bool = False) -> str:
    """1,234.56; with ``signed``, a gap shows its direction (+0.84 / -0.84)."""
    if value is None:
        return "空白"
    text = f"{value:,.{decimals}f}"
    return f"+{text}" if signed and value > 0 else text


def fmt_percent(fraction: Decimal | None, decimals: int = 2) -> str:
    if fraction is None:
        return "空白"
    return f"{fraction * 100:.{decimals}f}%"
