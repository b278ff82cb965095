"""One department's exact accounts, in 分 (integers): the 2024 部门决算 and the 2025 部门预算
of 某区农业农村委员会 (its own 机关 and one 事业单位, the 农业技术推广中心).

Every figure the tables print is derived here from a few primary amounts, so every
identity of ../shared/domain.md §2 holds to the 分; ``verify`` proves it. Codes and
names are real 政府收支分类科目 (支出功能分类) and 部门预算支出经济分类 entries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

DEPARTMENT = "某区农业农村委员会"
FINAL_YEAR, BUDGET_YEAR = 2024, 2025

FUNCTION_NAMES = {
    "208": "社会保障和就业支出", "20805": "行政事业单位养老支出",
    "2080505": "机关事业单位基本养老保险缴费支出", "2080506": "机关事业单位职业年金缴费支出",
    "210": "卫生健康支出", "21011": "行政事业单位医疗", "2101101": "行政单位医疗", "2101102": "事业单位医疗",
    "212": "城乡社区支出", "21208": "国有土地使用权出让收入安排的支出", "2120804": "农村基础设施建设支出",
    "213": "农林水支出", "21301": "农业农村", "2130101": "行政运行", "2130102": "一般行政管理事务",
    "2130104": "事业运行", "2130106": "科技转化与推广服务", "2130108": "病虫害控制", "2130109": "农产品质量安全",
    "2130199": "其他农业农村支出",
    "221": "住房保障支出", "22102": "住房改革支出", "2210201": "住房公积金",
}

ECONOMIC_NAMES = {
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费", "30110": "职工基本医疗保险缴费",
    "30112": "其他社会保障缴费", "30113": "住房公积金", "30199": "其他工资福利支出",
    "302": "商品和服务支出", "30201": "办公费", "30205": "水费", "30206": "电费", "30207": "邮电费",
    "30211": "差旅费", "30213": "维修（护）费", "30215": "会议费", "30216": "培训费", "30217": "公务接待费",
    "30226": "劳务费", "30228": "工会经费", "30229": "福利费", "30231": "公务用车运行维护费",
    "30239": "其他交通费用", "30299": "其他商品和服务支出",
    "30227": "委托业务费",
    "303": "对个人和家庭的补助", "30399": "其他对个人和家庭的补助",
    "310": "资本性支出", "31002": "办公设备购置", "31005": "基础设施建设",
}
PERSONNEL_CLASSES = ("301", "303")   # 人员经费
PUBLIC_CLASSES = ("302", "310")      # 公用经费

# The 26 类 lines a 决算 总表 prints on its 支出 side, blank or not (as the real 决算 fixture).
CLASS_LINES = (
    ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"), ("204", "公共安全支出"),
    ("205", "教育支出"), ("206", "科学技术支出"), ("207", "文化旅游体育与传媒支出"), ("208", "社会保障和就业支出"),
    ("210", "卫生健康支出"), ("211", "节能环保支出"), ("212", "城乡社区支出"), ("213", "农林水支出"),
    ("214", "交通运输支出"), ("215", "资源勘探工业信息等支出"), ("216", "商业服务业等支出"), ("217", "金融支出"),
    ("219", "援助其他地区支出"), ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"), ("223", "国有资本经营预算支出"), ("224", "灾害防治及应急管理支出"),
    ("229", "其他支出"), ("231", "债务还本支出"), ("232", "债务付息支出"), ("234", "抗疫特别国债安排的支出"),
)


def fen(yuan: str) -> int:
    """'4,213,856.37' (元) -> 421385637 (分)."""
    value = Decimal(yuan.replace(",", "")) * 100
    if value != value.to_integral():
        raise ValueError(f"{yuan} is not a whole number of 分")
    return int(value)


@dataclass(frozen=True)
class Carry:
    """年初 and 年末 结转和结余 of one fund on one 项."""

    opening: int = 0
    closing: int = 0


@dataclass(frozen=True)
class Item:
    """One 项 and who pays for it, in 分. The 一般公共预算 (GP) 基本支出 is split into its
    人员经费 and 公用经费 parts; 事业收入 pays some 基本 and 项目 spending, 其他收入 some 项目."""

    code: str
    personnel: int = 0
    public: int = 0
    gp_project: int = 0
    fund_project: int = 0
    business_basic: int = 0
    business_project: int = 0
    other_project: int = 0
    gp_carry: Carry = Carry()
    fund_carry: Carry = Carry()
    business_carry: Carry = Carry()

    @property
    def name(self) -> str:
        return FUNCTION_NAMES[self.code]

    @property
    def gp_basic(self) -> int:
        return self.personnel + self.public

    @property
    def gp_total(self) -> int:
        return self.gp_basic + self.gp_project

    @property
    def fund_total(self) -> int:
        return self.fund_project

    @property
    def basic(self) -> int:
        return self.gp_basic + self.business_basic

    @property
    def project(self) -> int:
        return self.gp_project + self.fund_project + self.business_project + self.other_project

    @property
    def total(self) -> int:
        return self.basic + self.project

    # Income by source, per 项: what was spent, plus what is carried out, less what was carried in.
    @property
    def gp_income(self) -> int:
        return self.gp_total + self.gp_carry.closing - self.gp_carry.opening

    @property
    def fund_income(self) -> int:
        return self.fund_total + self.fund_carry.closing - self.fund_carry.opening

    @property
    def fiscal_income(self) -> int:
        return self.gp_income + self.fund_income

    @property
    def business_income(self) -> int:
        return self.business_basic + self.business_project + self.business_carry.closing - self.business_carry.opening

    @property
    def other_income(self) -> int:
        return self.other_project

    @property
    def income(self) -> int:
        return self.fiscal_income + self.business_income + self.other_income

    @property
    def opening(self) -> int:
        return self.gp_carry.opening + self.fund_carry.opening + self.business_carry.opening

    @property
    def closing(self) -> int:
        return self.gp_carry.closing + self.fund_carry.closing + self.business_carry.closing


@dataclass(frozen=True)
class ThreePublic:
    """"三公" 经费 per item as (预算数, 决算数); a budget's 决算数 is 0."""

    abroad: tuple[int, int] = (0, 0)
    car_purchase: tuple[int, int] = (0, 0)
    car_operation: tuple[int, int] = (0, 0)
    reception: tuple[int, int] = (0, 0)

    @property
    def car_total(self) -> tuple[int, int]:
        return _add(self.car_purchase, self.car_operation)

    @property
    def total(self) -> tuple[int, int]:
        return _add(_add(self.abroad, self.car_total), self.reception)

    @property
    def is_empty(self) -> bool:
        return self.total == (0, 0)

    def of(self, item: str) -> tuple[int, int]:
        return getattr(self, item)


def in_whole_wan(three: ThreePublic) -> ThreePublic:
    """Each "三公" item's 预算数 and 决算数 rounded half up to whole 万元 (1,000,000 分)."""
    def whole(fen_: int) -> int:
        return (fen_ + 500_000) // 1_000_000 * 1_000_000
    return ThreePublic(**{name: tuple(whole(v) for v in three.of(name))
                          for name in ("abroad", "car_purchase", "car_operation", "reception")})


def _add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return a[0] + b[0], a[1] + b[1]


Measure = Callable[[Item], int]


@dataclass(frozen=True)
class Accounts:
    """Everything one stage's tables print."""

    stage: str                         # "决算" or "预算"
    year: int
    items: tuple[Item, ...]
    economic: dict[str, int]           # GP 基本支出 by 经济分类 款
    three_public: ThreePublic
    department: str = DEPARTMENT
    operating_costs: int = 0           # 机关运行经费 (budget: = 公用经费)

    def by_code(self, measure: Measure) -> dict[str, int]:
        """``measure`` summed up the 类/款/项 tree, for every code."""
        sums: dict[str, int] = {}
        for item in self.items:
            for code in (item.code[:3], item.code[:5], item.code):
                sums[code] = sums.get(code, 0) + measure(item)
        return sums

    def total(self, measure: Measure) -> int:
        return sum(measure(item) for item in self.items)

    def economic_lines(self) -> list[tuple[str, int]]:
        """Every 经济分类 类 with its total, each followed by its 款, in print order."""
        lines = []
        for cls in sorted({code[:3] for code in self.economic}):
            lines.append((cls, self.economic_total((cls,))))
            lines += [(code, self.economic[code]) for code in sorted(self.economic) if code[:3] == cls]
        return lines

    def economic_total(self, classes: tuple[str, ...]) -> int:
        return sum(v for code, v in self.economic.items() if code[:3] in classes)

    @property
    def personnel_total(self) -> int:
        return self.economic_total(PERSONNEL_CLASSES)

    @property
    def public_total(self) -> int:
        return self.economic_total(PUBLIC_CLASSES)

    def class_codes(self) -> list[str]:
        return sorted({item.code[:3] for item in self.items})


def _items(economic: dict[str, int], operations: tuple[int, int], medical_share: tuple[int, int],
           projects: dict[str, dict], running_project: int) -> list[Item]:
    """基本支出 by function: the insurance 项 equal their economic 款 (2080505 = 30108,
    2080506 = 30109, 21011 = 30110, 2210201 = 30113, as BK503 expects); the rest of the
    人员经费 and 公用经费 is 行政运行 (the 机关) and 事业运行 (the 事业单位)."""
    medical = economic["30110"]
    administrative_medical = medical * medical_share[0] // sum(medical_share)
    insured = {"2080505": economic["30108"], "2080506": economic["30109"],
               "2101101": administrative_medical, "2101102": medical - administrative_medical,
               "2210201": economic["30113"]}
    personnel = sum(v for code, v in economic.items() if code[:3] in PERSONNEL_CLASSES)
    public = sum(v for code, v in economic.items() if code[:3] in PUBLIC_CLASSES)
    service_personnel, service_public = operations
    running_personnel = personnel - sum(insured.values()) - service_personnel
    items = {code: Item(code, personnel=amount) for code, amount in insured.items()}
    items["2130101"] = Item("2130101", personnel=running_personnel, public=public - service_public,
                            gp_project=running_project)
    items["2130104"] = Item("2130104", personnel=service_personnel, public=service_public)
    for code, paid in projects.items():
        base = items.get(code, Item(code))
        items[code] = Item(**{**base.__dict__, **paid})
    return [items[code] for code in sorted(items)]


def final_accounts() -> Accounts:
    """2024 部门决算."""
    economic = {
        "30101": fen("4,213,856.37"), "30102": fen("6,389,215.48"), "30103": fen("351,900.00"),
        "30107": fen("2,876,432.15"), "30108": fen("1,658,734.56"), "30109": fen("829,367.28"),
        "30110": fen("912,604.01"), "30112": fen("63,218.90"), "30113": fen("1,244,006.88"),
        "30199": fen("187,450.00"),
        "30201": fen("286,431.72"), "30205": fen("31,258.60"), "30206": fen("142,876.35"),
        "30207": fen("58,913.27"), "30211": fen("173,542.80"), "30213": fen("96,785.14"),
        "30215": fen("28,460.00"), "30216": fen("64,320.50"), "30217": fen("18,736.00"),
        "30226": fen("215,600.00"), "30228": fen("134,825.47"), "30229": fen("88,400.00"),
        "30231": fen("97,618.40"), "30239": fen("156,300.00"), "30299": fen("47,912.83"),
        "30399": fen("96,350.40"),
        "31002": fen("79,860.00"),
    }
    projects = {
        "2130102": {"gp_project": fen("1,352,480.00")},
        "2130104": {"business_basic": fen("412,350.00")},
        "2130106": {"gp_project": fen("3,684,215.60"), "business_project": fen("386,720.50"),
                    "business_carry": Carry(fen("236,480.20"), fen("198,215.70"))},
        "2130108": {"gp_project": fen("2,197,350.45")},
        "2130109": {"gp_project": fen("1,468,902.30")},
        "2130199": {"gp_project": fen("5,926,418.75"), "other_project": fen("58,000.00"),
                    "gp_carry": Carry(fen("1,538,640.00"), fen("1,126,905.35"))},
        "2120804": {"fund_project": fen("8,750,000.00"),
                    "fund_carry": Carry(fen("1,200,000.00"), fen("650,000.00"))},
    }
    items = _items(economic, (fen("3,912,478.64"), fen("386,154.29")), (7, 3), projects, fen("120,000.00"))
    three = ThreePublic(car_operation=(fen("120,000.00"), fen("108,273.60")),
                        reception=(fen("30,000.00"), fen("21,346.00")))
    return Accounts("决算", FINAL_YEAR, tuple(items), economic, three)


def budget_accounts() -> Accounts:
    """2025 部门预算: no carry-overs (as the real budget fixtures), and every 基本支出 is
    paid by the 一般公共预算, so a 总表 that splits 基本支出 into 人员经费 | 公用经费 states
    the same figures as the 经济分类 table."""
    economic = {
        "30101": fen("4,320,000.00"), "30102": fen("6,512,436.00"), "30103": fen("360,000.00"),
        "30107": fen("2,950,000.00"), "30108": fen("1,702,387.20"), "30109": fen("851,193.60"),
        "30110": fen("936,557.44"), "30112": fen("65,000.00"), "30113": fen("1,276,790.40"),
        "30199": fen("190,000.00"),
        "30201": fen("290,000.00"), "30205": fen("32,000.00"), "30206": fen("145,000.00"),
        "30207": fen("60,000.00"), "30211": fen("180,000.00"), "30213": fen("100,000.00"),
        "30215": fen("30,000.00"), "30216": fen("65,000.00"), "30217": fen("20,000.00"),
        "30226": fen("220,000.00"), "30228": fen("136,548.00"), "30229": fen("90,000.00"),
        "30231": fen("100,000.00"), "30239": fen("158,000.00"), "30299": fen("50,000.00"),
        "30399": fen("98,000.00"),
        "31002": fen("80,000.00"),
    }
    projects = {
        "2130102": {"gp_project": fen("1,400,000.00")},
        "2130106": {"gp_project": fen("3,800,000.00"), "business_project": fen("800,000.00")},
        "2130108": {"gp_project": fen("2,300,000.00")},
        "2130109": {"gp_project": fen("1,500,000.00")},
        "2130199": {"gp_project": fen("6,000,000.00"), "other_project": fen("60,000.00")},
        "2120804": {"fund_project": fen("9,000,000.00")},
    }
    items = _items(economic, (fen("4,012,600.00"), fen("395,120.00")), (7, 3), projects, fen("100,000.00"))
    three = ThreePublic(car_operation=(fen("125,000.00"), 0), reception=(fen("28,000.00"), 0))
    accounts = Accounts("预算", BUDGET_YEAR, tuple(items), economic, three)
    return Accounts(**{**accounts.__dict__, "operating_costs": accounts.public_total})


def previous_final_accounts() -> Accounts:
    """The 2023 部门决算 of the same department: the same spending, no carry-in, and every
    年末结转和结余 equal to the 2024 决算's 年初."""
    final = final_accounts()
    items = tuple(replace(item, gp_carry=Carry(0, item.gp_carry.opening), fund_carry=Carry(0, item.fund_carry.opening),
                          business_carry=Carry(0, item.business_carry.opening)) for item in final.items)
    return replace(final, year=FINAL_YEAR - 1, items=items)


def budget_for_final_year() -> Accounts:
    """The 部门预算 of the year the 决算 closes (2024), spent exactly as planned: the 决算's
    spending with no carry-overs, and the "三公" 预算数 the 决算 prints. A budget pays every
    基本支出 from the 一般公共预算, so the 事业收入's 基本支出 is planned as a 项目."""
    final = final_accounts()
    items = tuple(replace(item, gp_carry=Carry(), fund_carry=Carry(), business_carry=Carry(), business_basic=0,
                          business_project=item.business_project + item.business_basic) for item in final.items)
    three = ThreePublic(**{name: (getattr(final.three_public, name)[0], 0)
                           for name in ("abroad", "car_purchase", "car_operation", "reception")})
    budget = Accounts("预算", FINAL_YEAR, items, final.economic, three)
    return replace(budget, operating_costs=budget.public_total)


def accounts_for(stage: str) -> Accounts:
    return {"决算": final_accounts, "预算": budget_accounts}[stage]()


def verify(accounts: Accounts) -> None:
    """Assert, in exact 分, every identity the tables rest on (domain.md §2), and that the
    plausibility checks (核实性) have nothing to say."""
    a = accounts
    for item in a.items:
        assert item.code in FUNCTION_NAMES and item.code[:5] in FUNCTION_NAMES and item.code[:3] in FUNCTION_NAMES
        parts = (item.personnel, item.public, item.gp_project, item.fund_project, item.business_basic,
                 item.business_project, item.other_project, item.gp_income, item.fund_income, item.business_income)
        assert all(part >= 0 for part in parts), item
    assert set(a.economic) <= set(ECONOMIC_NAMES) and all(code[:3] in ECONOMIC_NAMES for code in a.economic)
    # 基本支出: by function = by economic class; 人员经费 + 公用经费 = GP 基本支出.
    assert a.total(lambda i: i.personnel) == a.personnel_total
    assert a.total(lambda i: i.public) == a.public_total
    assert a.personnel_total + a.public_total == a.total(lambda i: i.gp_basic) == sum(a.economic.values())
    # The same payment under its function 项 and its economic 款 (BK503/BK504).
    gp_basic = a.by_code(lambda i: i.gp_basic)
    for function_code, economic_code in (("2080505", "30108"), ("2080506", "30109"), ("21011", "30110"),
                                         ("2210201", "30113")):
        assert gp_basic[function_code] == a.economic[economic_code]
    pension, annuity = gp_basic["2080505"], gp_basic["2080506"]
    assert annuity <= pension <= 3 * annuity
    # 总表: 收入总计 = 本年收入合计 + 使用非财政拨款结余 (0) + 年初 = 本年支出合计 + 结余分配 (0) + 年末 = 支出总计.
    income, spending = a.total(lambda i: i.income), a.total(lambda i: i.total)
    opening, closing = a.total(lambda i: i.opening), a.total(lambda i: i.closing)
    assert income + opening == spending + closing
    assert income == a.total(lambda i: i.gp_income) + a.total(lambda i: i.fund_income) \
        + a.total(lambda i: i.business_income) + a.total(lambda i: i.other_income)
    assert closing * 10 <= income * 3   # 年末结转和结余 under 30% of income (BK501)
    # Per fund: 年末 = 年初 + 本年收入 − 本年支出 (财政拨款总表, 政府性基金表).
    for carry, earned, spent in (("gp_carry", "gp_income", "gp_total"), ("fund_carry", "fund_income", "fund_total"),
                                 ("business_carry", "business_income", None)):
        for item in a.items:
            c = getattr(item, carry)
            used = getattr(item, spent) if spent else item.business_basic + item.business_project
            assert c.closing == c.opening + getattr(item, earned) - used
    # Every row: 合计 = 基本 + 项目; 收入 = its sources.
    for item in a.items:
        assert item.total == item.basic + item.project
        assert item.gp_total + item.fund_total <= item.total
    # "三公": 合计 = 出国 + 公务用车 + 接待; 决算 within 预算; 基本支出 items within "三公" (BK210).
    t = a.three_public
    for stage in (0, 1):
        assert t.total[stage] == t.abroad[stage] + t.car_total[stage] + t.reception[stage]
        assert t.car_total[stage] == t.car_purchase[stage] + t.car_operation[stage]
    for item in ("abroad", "car_purchase", "car_operation", "reception"):
        assert t.of(item)[1] <= t.of(item)[0]
    if a.stage == "决算":
        for economic_code, item in (("30212", "abroad"), ("30217", "reception"), ("30231", "car_operation"),
                                    ("31013", "car_purchase")):
            assert a.economic.get(economic_code, 0) <= t.of(item)[1]
    else:
        assert opening == closing == 0
        assert a.total(lambda i: i.business_basic) == 0
        assert a.operating_costs == a.public_total
