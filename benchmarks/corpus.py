"""A corpus of N realistic 决算 workbooks, one sub-folder per 主管部门 (its own
workbook and its subordinate units'), cached by its parameters so re-runs reuse it.

Everything follows from (N, seed): the same arguments give the same files.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from accounts import make_accounts
from disclosure import Layout, render
from planted import PLANTS, plant
from xlfiles import write_workbook

VERSION = 2  # bump whenever the generated files change, so cached corpora are rebuilt
MANIFEST = "manifest.json"

DISTRICTS = ("清河区", "云溪区", "松阳区", "临江区", "东湖区", "西山区", "南屏区", "北塘区", "金水区", "白沙区",
             "青云区", "桂园区", "长宁区", "安平区", "永兴区", "河西区", "高新区", "滨海区", "凤凰区", "柳城区",
             "石桥区", "新城区", "龙泉区", "湖滨区", "望江区", "双流区", "鹤山区", "梅林区", "兰溪区", "翠屏区",
             "明珠区", "红星区", "宝山区", "泰和区", "平川区", "江北区", "城东区", "城西区", "仁和区", "福田区")
AGENCIES = {
    "商务委员会": "商务", "商务局": "商务", "科学技术局": "科技", "科学技术协会": "科技", "生态环境局": "环保",
    "环境监测中心": "环保", "城市管理局": "城管", "综合行政执法局": "城管", "人民政府办公室": "综合",
    "信访局": "综合", "发展和改革委员会": "综合", "统计局": "综合", "审计局": "综合", "机关事务管理局": "综合",
    "民政局": "民政", "退役军人事务局": "民政",
}
SUBORDINATES = ("机关服务中心", "信息中心", "综合执法大队", "事务服务中心", "培训中心", "宣传中心", "档案馆",
                "技术服务中心", "监测站", "研究所", "管理所", "指导站", "发展中心", "服务站")
FILE_NAMES = ("{unit}{year}年度部门决算", "{unit}{year}年决算公开表", "{year}年{unit}部门决算")


@dataclass(frozen=True)
class CorpusSpec:
    workbooks: int
    seed: int = 1
    per_department: int = 10
    error_share: float = 0.03
    xls_share: float = 0.3

    @property
    def key(self) -> str:
        return (f"v{VERSION}-n{self.workbooks}-seed{self.seed}-d{self.per_department}"
                f"-e{self.error_share:g}-x{self.xls_share:g}")


def default_cache() -> Path:
    return Path(tempfile.gettempdir()) / "budgetkit-bench"


def ensure_corpus(spec: CorpusSpec, cache: Path, jobs: int,
                  regenerate: bool = False) -> tuple[Path, dict, float | None]:
    """The corpus folder, its manifest, and the seconds it took to generate (None when cached)."""
    folder = cache / spec.key
    if regenerate and folder.exists():
        shutil.rmtree(folder)
    if (folder / MANIFEST).exists():
        return folder, json.loads((folder / MANIFEST).read_text(encoding="utf-8")), None
    cache.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f"{spec.key}.building-", dir=cache))
    started = time.perf_counter()
    tasks = [(spec, index, str(building)) for index in range(spec.workbooks)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        files = list(pool.map(_make_workbook, tasks, chunksize=8))
    seconds = time.perf_counter() - started
    manifest = {"spec": asdict(spec), "version": VERSION, "generated_in_s": round(seconds, 2), "files": files}
    (building / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    try:
        building.rename(folder)
    except OSError:  # another run finished the same corpus first
        shutil.rmtree(building, ignore_errors=True)
    return folder, json.loads((folder / MANIFEST).read_text(encoding="utf-8")), seconds


def department_folders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir())


def _department(spec: CorpusSpec, number: int) -> tuple[str, int]:
    """The 主管部门's name and the year of its disclosures."""
    combos = [(d, a) for d in DISTRICTS for a in AGENCIES]
    random.Random(f"budgetkit-bench:{spec.seed}:departments").shuffle(combos)
    district, agency = combos[number % len(combos)]
    round_ = number // len(combos)
    name = f"{district}{agency}" + (f"（{round_ + 1}）" if round_ else "")
    year = random.Random(f"budgetkit-bench:{spec.seed}:year:{number}").choice((2023, 2024))
    return name, year


def _make_workbook(task: tuple[CorpusSpec, int, str]) -> dict:
    spec, index, root = task
    rng = random.Random(f"budgetkit-bench:{spec.seed}:{index}")
    number, position = divmod(index, spec.per_department)
    department, year = _department(spec, number)
    agency = next(a for a in AGENCIES if department.split("（")[0].endswith(a))
    unit = department if position == 0 else department + SUBORDINATES[(position - 1) % len(SUBORDINATES)] + (
        str(position // len(SUBORDINATES) + 1) if position > len(SUBORDINATES) else "")
    money_unit = "元" if rng.random() < 0.3 else "万元"
    size = rng.uniform(0.8, 2.5) if position == 0 else rng.uniform(0.1, 0.8)
    accounts = make_accounts(rng, unit, year, money_unit, AGENCIES[agency], size)
    layout = Layout.draw(rng)
    sheets = render(accounts, layout)
    error = rng.choice(sorted(PLANTS)) if rng.random() < spec.error_share else None
    error_sheet = plant(sheets, error, 100 if money_unit == "万元" else 1_000_000) if error else None
    suffix = ".xls" if rng.random() < spec.xls_share else ".xlsx"
    relative = Path(f"{number + 1:03d}-{department}") / (rng.choice(FILE_NAMES).format(unit=unit, year=year) + suffix)
    path = Path(root) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(path, sheets)
    return {"path": relative.as_posix(), "department": unit, "year": year, "unit": money_unit,
            "format": suffix[1:], "error": error, "error_sheet": error_sheet,
            "cells": sum(1 for s in sheets for row in s.rows for v in row if v is not None),
            "layout": {k: v for k, v in asdict(layout).items() if v != getattr(Layout(), k)}}


def describe(manifest: dict) -> str:
    files = manifest["files"]
    count = len(files)
    xls = sum(1 for f in files if f["format"] == "xls")
    yuan = sum(1 for f in files if f["unit"] == "元")
    errors = sum(1 for f in files if f["error"])
    departments = len({f["path"].split("/")[0] for f in files})
    cells = sum(f["cells"] for f in files) / max(1, count)
    return (f"{count} workbooks in {departments} department folders: {count - xls} .xlsx + {xls} .xls, "
            f"{count - yuan} in 万元 + {yuan} in 元, {errors} with a planted error; "
            f"9 sheets and ≈{cells:,.0f} non-empty cells per workbook")


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
