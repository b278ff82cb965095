"""Text normalisation for matching titles, headers and line labels.

Published tables mix full- and half-width forms, CJK radical code points copied
from PDFs, stray spaces inside words ("项    目") and enumeration prefixes
("一、", "（一）", "1. "); matching must see through all of them.
"""

from __future__ import annotations

import re
import unicodedata

# Radicals that PDF text extraction substitutes for ordinary characters; NFKC
# maps the Kangxi block but not these CJK Radicals Supplement code points.
_RADICALS = str.maketrans({
    "⻔": "门", "⻋": "车", "⻅": "见", "⻓": "长", "⻙": "韦", "⻚": "页", "⻛": "风",
    "⻜": "飞", "⻝": "食", "⻢": "马", "⻥": "鱼", "⻦": "鸟", "⻬": "齐", "⻰": "龙",
    "⻆": "角", "⻉": "贝", "⻈": "讠", "⻓": "长", "⺠": "民", "⻘": "青",
    "〇": "零", "“": '"', "”": '"', "‘": "'", "’": "'",
})

_ENUMERATION = re.compile(
    r"^(?:[一二三四五六七八九十百零]+[、.]"      # 一、
    r"|\([一二三四五六七八九十]+\)"               # (一)
    r"|\(\d+\)"                                    # (1)
    r"|\d+[、.](?!\d)"                             # 1. / 1、
    r"|其中[:]?)"
)
_PARENTHETICAL_TAIL = re.compile(r"\([^()]*\)$")


def normalize(text: object) -> str:
    """NFKC, radicals mapped, all white space removed."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).translate(_RADICALS)
    return "".join(folded.split())


def strip_enumeration(label: str) -> str:
    """'一、一般公共预算财政拨款收入' -> '一般公共预算财政拨款收入'."""
    previous = None
    while previous != label:
        previous = label
        label = _ENUMERATION.sub("", label, count=1)
    return label


def is_sub_line(label: str) -> bool:
    """Indented detail lines: '1. 一般公共预算资金', '(一)…', '其中：…'."""
    return bool(re.match(r"^(?:\(\d+\)|\d+[、.](?!\d)|\([一二三四五六七八九十]+\)|其中)", label))


def core_label(label: str) -> str:
    """The label without enumeration or a trailing parenthetical such as '(含专用结余)'."""
    return _PARENTHETICAL_TAIL.sub("", strip_enumeration(label))
