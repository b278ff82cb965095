"""Text normalisation for matching titles, headers and line labels.

Published tables mix full- and half-width forms, CJK radical code points copied
from PDFs, stray spaces inside words ("项    目") and enumeration prefixes
("一、", "（一）", "1. "); matching must see through all of them.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from functools import lru_cache

# Radicals that PDF text extraction substitutes for ordinary characters; NFKC
# maps the Kangxi block but not these CJK Radicals Supplement code points.
_RADICALS = str.maketrans({
    "⻔": "门", "⻋": "车", "⻅": "见", "⻓": "长", "⻙": "韦", "⻚": "页", "⻛": "风",
    "⻜": "飞", "⻝": "食", "⻢": "马", "⻥": "鱼", "⻦": "鸟", "⻬": "齐", "⻰": "龙",
    "⻆": "角", "⻉": "贝", "⻈": "讠", "⺠": "民", "⻘": "青",
    "〇": "零", "“": '"', "”": '"', "‘": "'", "’": "'",
    # Traditional forms of the words titles and headers are matched on.
    "決": "决", "預": "预", "總": "总", "計": "计", "額": "额", "資": "资", "補": "补", "經": "经", "營": "营",
    "務": "务", "項": "项", "結": "结", "轉": "转", "餘": "余", "撥": "拨", "費": "费", "購": "购", "運": "运",
    "維": "维", "護": "护", "發": "发", "業": "业", "單": "单", "門": "门", "編": "编", "碼": "码", "稱": "称",
    "體": "体", "醫": "医", "療": "疗", "衛": "卫", "養": "养", "險": "险", "繳": "缴", "職": "职", "與": "与",
    "會": "会", "財": "财", "政": "政", "類": "类", "款": "款", "表": "表", "數": "数", "簡": "简", "國": "国",
    "稅": "税", "機": "机", "關": "关", "勞": "劳", "圖": "图", "書": "书", "儲": "储", "備": "备",
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
    if text.__class__ is not str:
        if text is None:
            return ""
        text = str(text)
    if text.isascii():  # NFKC and the radicals leave ASCII as it is: codes and figures skip the cache
        return text if text.isalnum() else "".join(text.split())  # a code is kept, not copied
    return _normalized(text)


@lru_cache(maxsize=1 << 16)
def _normalized(text: str) -> str:
    """Cached: the same headings and labels recur in every workbook of a batch."""
    folded = unicodedata.normalize("NFKC", text).translate(_RADICALS)
    return "".join(folded.split())


def strip_enumeration(label: str) -> str:
    """'一、一般公共预算财政拨款收入' -> '一般公共预算财政拨款收入'."""
    previous = None
    while previous != label:
        previous = label
        label = _ENUMERATION.sub("", label, count=1)
    return label


# The numberings of lines and headings, from the top level down: 一、 holds （一）, which holds 1., which
# holds （1）; full-width or half-width, as printed or normalised.
_NUMBERING_LEVELS = tuple(re.compile(pattern) for pattern in (
    r"[一二三四五六七八九十]+[、.．]", r"[（(][一二三四五六七八九十]+[）)]", r"\d+[、.．](?!\d)", r"[（(]\d+[）)]"))


def numbering_level(label: str) -> int | None:
    """The depth of the numbering a line or heading opens with (0 for 一、 … 3 for （1）); None unnumbered."""
    return next((level for level, pattern in enumerate(_NUMBERING_LEVELS) if pattern.match(label)), None)


@lru_cache(maxsize=1 << 13)  # the same line labels recur in every table and workbook of a batch
def is_sub_line(label: str) -> bool:
    """Indented detail lines: '1. 一般公共预算资金', '(一)…', '其中：…'."""
    return label.startswith("其中") or (numbering_level(label) or 0) > 0


def names_total(label: str) -> bool:
    """Whether a line's label names a 合计 or 总计 (its enumeration and a trailing note aside)."""
    core = core_label(label)
    return "合计" in core or "总计" in core


@lru_cache(maxsize=1 << 13)  # the same line labels recur in every table and workbook of a batch
def core_label(label: str) -> str:
    """The label without enumeration, a trailing parenthetical such as '(含专用结余)', or the colon a
    line introducing its sub-lines ends with ('年初财政拨款结转和结余：', '总计：')."""
    return _PARENTHETICAL_TAIL.sub("", strip_enumeration(label).rstrip(":：")).rstrip(":：")


# A year followed by its month is a date (编制日期：2025年3月15日, 2025年8月公开), not the accounts' year.
_YEAR = re.compile(r"(?<!\d)(20\d{2})年(?!\d{1,2}月)")
_CHINESE_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})年(?![〇零○一二三四五六七八九十]{1,2}月)")
# In a file name a year may stand alone: putuo_social_work_2024_final.xlsx, 决算-2024.xls (not a date's: 2025年3月修订)
_BARE_YEAR = re.compile(r"(?<![\d.])(20\d{2})(?![\d.])(?!年\d{1,2}月)")
# A year that names the accounts themselves: '2024年度', '2024年部门决算', '2025年预算'
_ACCOUNTS_YEAR = re.compile(r"(?<!\d)(20\d{2})(?:年度|年?(?:部门)?(?:整体)?(?:决算|预算))")
_CHINESE_DIGITS = str.maketrans("〇零○一二三四五六七八九", "0001234567" + "89")


# A folder named for when its files were sent or published, not for the year of their accounts.
_SENT_IN = re.compile(r"报送|上报|提交|报审|公开|汇总|收集|批次|第.批")


def year_in(text: str) -> int | None:
    """The year a title, file name or sentence names: '2022年', '2022年度' or '二〇二二年';
    never the year of a date ('2025年3月15日')."""
    match = _YEAR.search(text) or _CHINESE_YEAR.search(text)
    if match is None:
        return None
    year = int(match.group(1).translate(_CHINESE_DIGITS))
    return year if 2000 <= year <= 2099 else None


def year_in_name(file: str) -> int | None:
    """The year a file's path gives: its name's (as in a title, or a bare 20xx between non-digits),
    else the nearest folder's that names the accounts ('2024决算/'). A folder named for the sending or
    the publishing ('2025年报送/', '2025年预决算公开/') gives none: a 2024 决算 is sent in 2025."""
    path = PurePosixPath(file)
    for part in (path.stem, *reversed(path.parent.parts)):
        # the accounts' year before another ('2025年公开2024年度部门决算' is 2024's, published in 2025)
        if accounts := _ACCOUNTS_YEAR.search(part):
            return int(accounts.group(1))
        if part != path.stem and _SENT_IN.search(part):
            continue
        if found := year_in(part):
            return found
        if match := _BARE_YEAR.search(part):
            return int(match.group(1))
    return None
