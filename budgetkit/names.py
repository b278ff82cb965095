"""What a file name or a 部门 line says of a department and of a version: the department's name a
file name gives, whether a 部门 line ends with it, and the words and numbers that mark a version
(修改后, 送审稿, v2, 第二稿). grouping tells departments apart by them, versions ranks a department's
workbooks by them, and the report-text rules tie a text to its department by them."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath

from budgetkit.load.kinds import SPECS
from budgetkit.text import core_label, normalize

# A version's marker words by how new they say it is: 最终 … outrank none, 送审稿 ranks below none.
VERSION_MARKERS = ((2, ("最终", "定稿", "终稿", "批复", "正式")),
                   (1, ("修改后", "修改", "修订", "更正后", "更正", "调整后", "调整", "修正", "新版")),
                   (-1, ("送审", "初稿", "草稿", "旧版", "原版")))
VERSION_NUMBER = re.compile(r"(?:v|V|版本|第)\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*(?:版|稿)?|(\d{1,3})\s*(?:版|稿)")

# The end of a note in brackets that names whose accounts a file holds: the department's own level, its
# consolidated accounts, or one of its units (…决算（本级）, …（汇总）, …（信息中心）).
# A note saying what was done with the file (（报财政局）, （第二次上会）, （退回修改）) names no accounts.
_DONE_WITH = r"[^）)]*(?:报|上会|送|审|修改|退回|批|转)"
_ENTITY_BRACKET = r"[（(](?!" + _DONE_WITH + r")([^）)]*(?:本级|汇总|合并|中心|院|站|所|队|校|馆|局|办|委|会|处|室))[）)]"
_ENTITY_IN_BRACKETS = re.compile(_ENTITY_BRACKET)


def entity_in_name(file: str) -> str | None:
    """Whose accounts a file name says it holds in brackets ('本级', '汇总', '信息中心'), if it does."""
    found = _ENTITY_IN_BRACKETS.search(PurePosixPath(file).stem)
    return found.group(1) if found else None


# What a file name says besides its department: years, stages, table titles, versions.
_NOT_A_DEPARTMENT = re.compile(
    "|".join(sorted({re.escape(a) for spec in SPECS for a in spec.aliases} | {
        "部门决算", "部门预算", "单位决算", "单位预算", "决算", "预算", "信息公开", "公开", "报表", "附件", "附表", "表格",
        "最终版", "送审稿", "测算表", "测算", "工作表", "收支构成", "收支", "构成", "整体绩效自评报告", "绩效自评", "自评",
        "报告", "说明", "副本", "年度", "年", "表", "版", "稿", "区级",
        # what staff name their own sheets by: never a department's name ('项目明细.xlsx', '收入结构分析.xlsx')
        "项目明细", "明细", "结构分析", "结构", "分析", "执行情况", "执行率", "情况", "结转结余", "上年对比", "对比",
        "三公经费", "三公", "收入", "支出",
        # a department's consolidated accounts are the department's ('…（汇总）' still never a version of '…（本级）')
        "汇总"}
        | {word for _, words in VERSION_MARKERS for word in words},
        key=len, reverse=True))
    # a note in brackets (（含三公经费）, (修改后)) but not one naming whose accounts they are (（本级）,
    # （汇总）, （信息中心）), a version (v2, 第二稿), 附件2：, 《…》 and other punctuation
    + r"|(?!" + _ENTITY_BRACKET + r")[（(][^）)]*[）)]|[vV]\d+|第[一二三四五六七八九十\d]+[稿版]|(?:19|20)\d{2}"
    + r"|[\d\s_\-—()（）\[\]【】.、：:《》“”\"']+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def ends_with_department(line: str, name: str) -> bool:
    """Whether a 部门 line ends with a file name's department, a note in brackets aside:
    上海市普陀区民政局（本级） ends with 区民政局."""
    return core_label(line).endswith(name)


@lru_cache(maxsize=4096)  # asked for every table, and a workbook holds a dozen
def department_in_name(file: str) -> str | None:
    """The department a file name gives, if any: '区民政局2024年部门决算.xlsx' -> '区民政局'."""
    rest = _NOT_A_DEPARTMENT.sub("", normalize(PurePosixPath(file).stem))
    return rest if len(_CJK.findall(rest)) >= 2 else None
