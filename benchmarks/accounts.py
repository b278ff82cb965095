"""One 单位's 决算 figures, consistent to the cent, for the benchmark corpus.

Every amount is an integer number of cents of the unit the workbook prints
(万元 or 元), so every total the tables print is an exact sum and a clean
workbook has no finding. Funding follows real departments: personnel and
running costs are 基本支出 paid by the 一般公共预算 (GP); projects are 项目支出;
some units also spend 事业收入 ("other") and a few 政府性基金 ("fund") money.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

# The "三公" accounts and the 类 lines are the layout corpus's (tests/layout_corpus), shared.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from layout_corpus.accounts import ThreePublic  # noqa: E402

# 功能分类科目 (function codes) used by the corpus; all are in budgetkit's code list.
FUNCTION_NAMES = {
    "201": "一般公共服务支出", "20103": "政府办公厅（室）及相关机构事务", "2010302": "一般行政管理事务",
    "2010308": "信访事务", "20113": "商贸事务", "2011301": "行政运行", "2011302": "一般行政管理事务",
    "2011350": "事业运行", "2011399": "其他商贸事务支出",
    "206": "科学技术支出", "20601": "科学技术管理事务", "2060101": "行政运行", "2060102": "一般行政管理事务",
    "2060199": "其他科学技术管理事务支出", "20607": "科学技术普及", "2060701": "机构运行", "2060702": "科普活动",
    "2060703": "青少年科技活动", "20699": "其他科学技术支出", "2069901": "科技奖励",
    "208": "社会保障和就业支出", "20805": "行政事业单位养老支出", "2080501": "行政单位离退休",
    "2080505": "机关事业单位基本养老保险缴费支出", "2080506": "机关事业单位职业年金缴费支出",
    "20808": "抚恤", "2080801": "死亡抚恤", "2080802": "伤残抚恤",
    "210": "卫生健康支出", "21011": "行政事业单位医疗", "2101101": "行政单位医疗", "2101102": "事业单位医疗",
    "211": "节能环保支出", "21101": "环境保护管理事务", "2110101": "行政运行", "2110104": "生态环境保护宣传",
    "2110199": "其他环境保护管理事务支出", "21103": "污染防治", "2110301": "大气", "2110302": "水体",
    "21111": "污染减排", "2111101": "生态环境监测与信息", "2111102": "生态环境执法监察",
    "212": "城乡社区支出", "21201": "城乡社区管理事务", "2120104": "城管执法",
    "215": "资源勘探工业信息等支出", "21508": "支持中小企业发展和管理支出",
    "2150899": "其他支持中小企业发展和管理支出",
    "216": "商业服务业等支出", "21699": "其他商业服务业等支出", "2169999": "其他商业服务业等支出",
    "221": "住房保障支出", "22102": "住房改革支出", "2210201": "住房公积金", "2210203": "购房补贴",
    "229": "其他支出", "22908": "彩票发行销售机构业务费安排的支出", "2290804": "福利彩票销售机构的业务费支出",
}

# 部门预算支出经济分类科目 (economic codes) in the order the 基本支出表 prints them.
PERSONNEL_NAMES = {
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30106": "伙食补助费",
    "30107": "绩效工资", "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费",
    "30110": "职工基本医疗保险缴费", "30111": "公务员医疗补助缴费", "30112": "其他社会保障缴费",
    "30113": "住房公积金", "30114": "医疗费", "30199": "其他工资福利支出",
    "303": "对个人和家庭的补助", "30301": "离休费", "30302": "退休费", "30303": "退职（役）费", "30304": "抚恤金",
    "30305": "生活补助", "30306": "救济费", "30307": "医疗费补助", "30308": "助学金", "30309": "奖励金",
    "30399": "其他对个人和家庭的补助",
}
PUBLIC_NAMES = {
    "302": "商品和服务支出", "30201": "办公费", "30202": "印刷费", "30203": "咨询费", "30204": "手续费",
    "30205": "水费", "30206": "电费", "30207": "邮电费", "30208": "取暖费", "30209": "物业管理费",
    "30211": "差旅费", "30212": "因公出国（境）费用", "30213": "维修（护）费", "30214": "租赁费",
    "30215": "会议费", "30216": "培训费", "30217": "公务接待费", "30218": "专用材料费", "30226": "劳务费",
    "30227": "委托业务费", "30228": "工会经费", "30229": "福利费", "30231": "公务用车运行维护费",
    "30239": "其他交通费用", "30299": "其他商品和服务支出",
    "310": "资本性支出", "31002": "办公设备购置", "31007": "信息网络及软件购置更新", "31013": "公务用车购置",
}

# What a kind of agency spends on: (行政运行 item, 事业运行 item or None, project items).
PROFILES = {
    "商务": ("2011301", "2011350", ("2011302", "2011399", "2169999", "2150899")),
    "科技": ("2060101", "2060701", ("2060102", "2060199", "2060702", "2060703", "2069901")),
    "环保": ("2110101", "2111101", ("2110104", "2110199", "2110301", "2110302", "2111102")),
    "城管": ("2120104", None, ("2120104", "2010302")),
    "综合": ("2010302", None, ("2010302", "2010308")),
    "民政": ("2010302", None, ("2080801", "2080802", "2010308")),
}
LOTTERY_ITEM = "2290804"  # the 政府性基金 item some units spend


@dataclass
class Item:
    """One 项 and who paid for it, in cents of the printed unit."""

    code: str
    gp_basic: int = 0
    gp_project: int = 0
    other_basic: int = 0
    other_project: int = 0
    fund_project: int = 0
    # Carry-overs sit on one item, so per-code income = spending + closing − opening.
    gp_opening: int = 0
    gp_closing: int = 0
    fund_opening: int = 0
    fund_closing: int = 0
    other_opening: int = 0
    other_closing: int = 0

    @property
    def name(self) -> str:
        return FUNCTION_NAMES[self.code]

    @property
    def gp_total(self) -> int:
        return self.gp_basic + self.gp_project

    @property
    def gp_income(self) -> int:
        return self.gp_total + self.gp_closing - self.gp_opening

    @property
    def fund_income(self) -> int:
        return self.fund_project + self.fund_closing - self.fund_opening

    @property
    def other_income(self) -> int:
        return self.other_basic + self.other_project + self.other_closing - self.other_opening

    @property
    def basic(self) -> int:
        return self.gp_basic + self.other_basic

    @property
    def project(self) -> int:
        return self.gp_project + self.other_project + self.fund_project

    @property
    def total(self) -> int:
        return self.basic + self.project


@dataclass
class Accounts:
    """Everything a 单位's nine 决算 tables print."""

    department: str
    year: int
    unit: str                                          # "万元" or "元"
    items: dict[str, Item]
    economic: dict[str, int]                           # GP 基本支出 by 5-digit economic code
    three_public: ThreePublic = field(default_factory=ThreePublic)

    def by_code(self, measure) -> dict[str, int]:
        """``measure(item)`` summed up the 类/款/项 tree, for every code with a figure."""
        sums: dict[str, int] = {}
        for item in self.items.values():
            amount = measure(item)
            for code in (item.code[:3], item.code[:5], item.code):
                sums[code] = sums.get(code, 0) + amount
        return sums

    def total(self, measure) -> int:
        return sum(measure(item) for item in self.items.values())

    def class_codes(self) -> list[str]:
        return sorted({code[:3] for code in self.items})


class Money:
    """Draws amounts given in 万元, as integer cents of the printed unit."""

    def __init__(self, rng: random.Random, unit: str) -> None:
        self.rng = rng
        self.cents_per_wan = 100 if unit == "万元" else 1_000_000

    def __call__(self, low: float, high: float, scale: float = 1.0) -> int:
        return round(self.rng.uniform(low, high) * scale * self.cents_per_wan)

    def split(self, total: int, weights: list[float]) -> list[int]:
        """``total`` in parts proportional to ``weights``, summing exactly to ``total``."""
        scale = sum(weights)
        parts = [int(total * w / scale) for w in weights[:-1]]
        return parts + [total - sum(parts)]


def make_accounts(rng: random.Random, department: str, year: int, unit: str, profile: str,
                  size: float) -> Accounts:
    """A plausible unit: ``size`` scales the payroll (1.0 ≈ 200 万元 of wages)."""
    money = Money(rng, unit)
    running, business_running, projects = PROFILES[profile]
    has_business = business_running is not None and rng.random() < 0.4
    economic = _personnel(rng, money, size)
    three = _three_public(rng, money)
    economic.update(_public(rng, money, economic, three))
    items = _basic_items(rng, money, economic, running, business_running if has_business else None)
    _projects(rng, money, items, projects, size, has_business)
    if rng.random() < 0.12:
        lottery = items[LOTTERY_ITEM] = Item(LOTTERY_ITEM, fund_project=money(5, 60, size))
        if rng.random() < 0.5:
            lottery.fund_opening = min(money(0, 4), lottery.fund_project)
            lottery.fund_closing = money(0, 4)
    _carry_overs(rng, money, items, has_business)
    items = dict(sorted(items.items()))
    return Accounts(department, year, unit, items, economic, three)


def _personnel(rng: random.Random, money: Money, size: float) -> dict[str, int]:
    wages = money(40, 360, size)
    codes = ["30101", "30102", "30103", "30107", "30199"]
    economic = dict(zip(codes, money.split(wages, [25, 35, 5, 30, 5]), strict=True))
    if rng.random() < 0.3:
        economic["30106"] = round(wages * rng.uniform(0.01, 0.03))
    pension = round(wages * rng.uniform(0.14, 0.17))
    economic.update({
        "30108": pension,
        "30109": round(pension / rng.uniform(1.3, 2.2)),   # 职业年金: about half the pension (16% vs 8%)
        "30110": round(wages * rng.uniform(0.06, 0.09)),
        "30112": round(wages * rng.uniform(0.005, 0.015)),
        "30113": round(wages * 0.12),
    })
    if rng.random() < 0.4:
        economic["30302"] = round(wages * rng.uniform(0.03, 0.15))  # 退休费 -> 2080501
    if rng.random() < 0.5:
        economic["30399"] = round(wages * rng.uniform(0.01, 0.04))  # 购房补贴 -> 2210203
    return economic


def _three_public(rng: random.Random, money: Money) -> ThreePublic:
    if rng.random() < 0.15:
        return ThreePublic()

    def pair(chance: float, low: float, high: float, spent: float) -> tuple[int, int]:
        if rng.random() >= chance:
            return 0, 0
        budget = money(low, high)
        return budget, round(budget * rng.uniform(spent, 1.0))

    return ThreePublic(abroad=pair(0.05, 2, 8, 0.5), car_purchase=pair(0.08, 12, 30, 1.0),
                       car_operation=pair(0.7, 1, 15, 0.6), reception=pair(0.9, 0.2, 3, 0.2))


def _public(rng: random.Random, money: Money, economic: dict[str, int], three: ThreePublic) -> dict[str, int]:
    """公用经费; the "三公" items spent from 基本支出 equal the "三公" table's 决算数."""
    wages = sum(economic[c] for c in ("30101", "30102", "30103", "30107", "30199"))
    codes = ["30201", "30207", "30211", "30213", "30215", "30216", "30226", "30228", "30229", "30239", "30299"]
    chosen = [c for c in codes if rng.random() < 0.7] or ["30201"]
    total = round(wages * rng.uniform(0.08, 0.2))
    public = dict(zip(chosen, money.split(total, [rng.uniform(1, 5) for _ in chosen]), strict=True))
    public.update({"30212": three.abroad[1], "30217": three.reception[1], "30231": three.car_operation[1],
                   "31013": three.car_purchase[1]})
    if rng.random() < 0.4:
        public["31002"] = money(0.5, 8)
    return {code: amount for code, amount in public.items() if amount}


def _basic_items(rng: random.Random, money: Money, economic: dict[str, int], running: str,
                 business_running: str | None) -> dict[str, Item]:
    """基本支出 by function: the insurance lines equal their economic items (as BK503
    expects), and the rest of the GP 基本支出 is 行政运行 (and 事业运行)."""
    basic = {"2080505": economic["30108"], "2080506": economic["30109"], "2210201": economic["30113"]}
    if economic.get("30302"):
        basic["2080501"] = economic["30302"]
    if economic.get("30399"):
        basic["2210203"] = economic["30399"]
    if business_running:
        basic["2101101"], basic["2101102"] = money.split(economic["30110"], [7, 3])
    else:
        basic["2101101"] = economic["30110"]
    rest = sum(economic.values()) - sum(basic.values())
    if business_running:
        basic[running], basic[business_running] = money.split(rest, [rng.uniform(5, 8), rng.uniform(2, 5)])
    else:
        basic[running] = rest
    items = {code: Item(code, gp_basic=amount) for code, amount in basic.items()}
    if business_running:
        items[business_running].other_basic = money(5, 80)
    return items


def _projects(rng: random.Random, money: Money, items: dict[str, Item], projects: tuple[str, ...],
              size: float, has_business: bool) -> None:
    for code in rng.sample(projects, rng.randint(1, len(projects))):
        item = items.setdefault(code, Item(code))
        item.gp_project += money(3, 300, size)
        if has_business and rng.random() < 0.5:
            item.other_project += money(2, 60)


def _carry_overs(rng: random.Random, money: Money, items: dict[str, Item], has_business: bool) -> None:
    """Small carry-overs (under 30% of income, so BK501 stays quiet) on the largest item."""
    largest = max(items.values(), key=lambda i: i.gp_total)
    gp_total = sum(i.gp_total for i in items.values())
    if rng.random() < 0.6:
        largest.gp_opening = min(round(gp_total * rng.uniform(0, 0.06)), largest.gp_total)
        largest.gp_closing = round(gp_total * rng.uniform(0, 0.06)) if rng.random() < 0.7 else 0
    if has_business and rng.random() < 0.5:
        other = max(items.values(), key=lambda i: i.other_basic + i.other_project)
        other.other_opening = min(money(0, 5), other.other_basic + other.other_project)
        other.other_closing = money(0, 5)
