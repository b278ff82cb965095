"""The 政府收支分类科目 code list shipped in ``budgetkit/data/subject_codes.csv``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from budgetkit.load.text import core_label, normalize


@dataclass(frozen=True)
class Subject:
    system: str        # "function" (支出功能分类) or "economic" (部门预算支出经济分类)
    code: str
    name: str
    aliases: tuple[str, ...]
    valid_from: int | None
    valid_to: int | None


@lru_cache(maxsize=1)
def catalog() -> tuple[Subject, ...]:
    text = resources.files("budgetkit.data").joinpath("subject_codes.csv").read_text(encoding="utf-8")
    return tuple(
        Subject(row["system"], row["code"], row["name"], tuple(a for a in row["aliases"].split("|") if a),
                int(row["valid_from"]) if row["valid_from"] else None,
                int(row["valid_to"]) if row["valid_to"] else None)
        for row in csv.DictReader(text.splitlines())
    )


@lru_cache(maxsize=1)
def _class_names() -> dict[str, str]:
    names = {}
    for subject in catalog():
        if subject.system == "function" and len(subject.code) == 3:
            for name in (subject.name, *subject.aliases):
                names[core_label(normalize(name))] = subject.code
    return names


def class_code(label: str) -> str | None:
    """The 功能分类 类 code a line label names ('科学技术支出' -> '206'), if any."""
    return _class_names().get(label)


def name_of(code: str, system: str = "function") -> str | None:
    subject = lookup(system, code)
    return subject.name if subject else None


@lru_cache(maxsize=None)
def lookup(system: str, code: str) -> Subject | None:
    return next((s for s in catalog() if s.system == system and s.code == code), None)


def name_matches(subject: Subject, printed: str) -> bool:
    """Printed names are often truncated or wrapped: a prefix either way is a match."""
    shown = normalize(printed)
    for name in (subject.name, *subject.aliases):
        known = normalize(name)
        if shown == known or (shown and (known.startswith(shown) or shown.startswith(known))):
            return True
    return False
