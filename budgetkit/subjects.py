"""The 政府收支分类科目 code list shipped in ``budgetkit/data/subject_codes.csv``.

Every row of the shipped list has a ``source``: a real disclosure it was read from, or
the id of a source in the domain reference (``I`` marks that reference's inference).
A code the list does not hold is not wrong, only unchecked: the list is partial.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from budgetkit.text import core_label, normalize

SYSTEMS = ("function", "economic", "government")  # 支出功能分类, 部门预算支出经济分类, 政府预算支出经济分类
# The shipped names are read from 2023–2026 disclosures; the renames it records reach back to the 类 of 2019 and
# the economic reform of 2018 only. A table of an earlier year may print that year's 功能分类 款 or 项 name
# (2018's 2080501 归口管理的行政单位离退休), which the list cannot tell from a wrong one.
NAMES_KNOWN_FROM = 2020


@dataclass(frozen=True)
class Subject:
    system: str        # "function" (支出功能分类), "economic" (部门预算支出经济分类) or "government" (政府预算支出经济分类, 5xx)
    code: str
    name: str
    aliases: tuple[str, ...]   # every other name the code is printed with, its former name included
    valid_from: int | None
    valid_to: int | None
    # A renamed code printed ``former_name`` until the year before ``renamed_in``.
    former_name: str | None = None
    renamed_in: int | None = None

    def valid_in(self, year: int | None) -> bool:
        return year is None or ((self.valid_from is None or year >= self.valid_from)
                                and (self.valid_to is None or year <= self.valid_to))

    def name_in(self, year: int | None) -> str:
        """The name the classification gives the code in ``year``."""
        if self.former_name and self.renamed_in and year is not None and year < self.renamed_in:
            return self.former_name
        return self.name

    def names_in(self, year: int | None) -> tuple[str, ...]:
        """Every name a table of ``year`` may print for the code (all of them when the year is unknown)."""
        if year is None or not self.renamed_in:
            return (self.name, *self.aliases)
        spellings = tuple(a for a in self.aliases if a != self.former_name)
        return (self.name_in(year), *spellings)


class SubjectListError(ValueError):
    """A user code list that cannot be read; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class SubjectList:
    """A code list: the shipped one, optionally extended or corrected by the user's CSV
    files (same columns; a user row replaces the shipped row of the same code)."""

    subjects: tuple[Subject, ...]
    _by_code: dict[tuple[str, str], Subject] = field(init=False, repr=False, compare=False)
    _by_name: dict[tuple[str, str], frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {(s.system, s.code): s for s in self.subjects})
        by_name: dict[tuple[str, str], set[str]] = {}
        for subject in self.subjects:
            for name in (subject.name, *subject.aliases):
                by_name.setdefault((subject.system, normalize(name)), set()).add(subject.code)
        object.__setattr__(self, "_by_name", {key: frozenset(codes) for key, codes in by_name.items()})

    def __reduce__(self):
        """Sent to a worker with every folder's job: the shipped list by name (the worker reads
        its own copy once; its rows pickled were 19 kB a job), a user's list by its rows alone."""
        if self is builtin():
            return builtin, ()
        return SubjectList, (self.subjects,)

    def lookup(self, system: str, code: str) -> Subject | None:
        return self._by_code.get((system, code))

    def codes_named(self, system: str, name: str) -> frozenset[str]:
        """The codes the list gives ``name`` (as printed, normalised), in any year."""
        return self._by_name.get((system, normalize(name)), frozenset())

    def extended(self, path: Path) -> SubjectList:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise SubjectListError(f"科目表 {path} 无法读取（需为 UTF-8 编码的 CSV）") from exc
        extra = _parse(text, str(path))
        replaced = {(s.system, s.code) for s in extra}
        return SubjectList(tuple(s for s in self.subjects if (s.system, s.code) not in replaced) + extra)


COLUMNS = ("system", "code", "name", "aliases", "valid_from", "valid_to", "former_name", "renamed_in")


def _parse(text: str, source: str) -> tuple[Subject, ...]:
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in ("system", "code", "name") if c not in (reader.fieldnames or [])]
    if missing:
        raise SubjectListError(f"科目表 {source} 缺少列：{'、'.join(missing)}（应有 {','.join(COLUMNS)}）")
    subjects = []
    for line, row in enumerate(reader, start=2):
        if row["system"] not in SYSTEMS or not (row["code"] or "").isdigit():
            raise SubjectListError(f"科目表 {source} 第 {line} 行：system 应为 function、economic 或 government，code 应为数字")
        try:
            valid_from, valid_to, renamed_in = (int(row[k]) if row.get(k) else None
                                                for k in ("valid_from", "valid_to", "renamed_in"))
        except ValueError as exc:
            raise SubjectListError(f"科目表 {source} 第 {line} 行：valid_from/valid_to/renamed_in 应为年份") from exc
        former = row.get("former_name") or None
        if bool(former) != bool(renamed_in):
            raise SubjectListError(f"科目表 {source} 第 {line} 行：former_name 与 renamed_in 须同时填写")
        aliases = tuple(a for a in (row.get("aliases") or "").split("|") if a) + ((former,) if former else ())
        subjects.append(Subject(row["system"], row["code"], row["name"], aliases, valid_from, valid_to,
                                former, renamed_in))
    return tuple(subjects)


@lru_cache(maxsize=1)
def builtin() -> SubjectList:
    text = resources.files("budgetkit.data").joinpath("subject_codes.csv").read_text(encoding="utf-8")
    return SubjectList(_parse(text, "budgetkit/data/subject_codes.csv"))


def catalog() -> tuple[Subject, ...]:
    return builtin().subjects


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
    subject = builtin().lookup(system, code)
    return subject.name if subject else None


def name_matches(subject: Subject, printed: str, year: int | None = None) -> bool:
    """Printed names are often truncated or wrapped: a prefix either way is a match.
    With a year, only the names the code had that year match."""
    return names_match(subject.names_in(year), printed)


def names_match(names: tuple[str, ...], printed: str) -> bool:
    shown = normalize(printed)
    for name in names:
        known = normalize(name)
        if shown == known or (shown and (known.startswith(shown) or shown.startswith(known))):
            return True
    return False
