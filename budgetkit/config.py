"""Per-folder settings from ``budgetkit.toml``: extra tolerance, disabled rules,
severity overrides, findings the department has explained ([[accept]]), and the
grade bands of the 绩效自评表 ([selfeval]) and the 执行率 band of the 预算执行 rule ([execution]).

The file is edited by finance staff, so every mistake in it (an unknown key,
rule code or severity, a value of the wrong type) is a ``ConfigError`` in
Chinese that names the line. tomllib reports lines only for syntax errors, so
for a valid document the line is found by scanning the text for the key inside
its table's section.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import islice
from pathlib import Path, PurePosixPath

from budgetkit.model import AcceptedFinding, ExecutionBand, Finding, GradeBands, Severity
from budgetkit.rules import CATALOG, Rule
from budgetkit.rules.selfeval import BANDED_RULES, DEFAULT_BANDS, with_bands
from budgetkit.subjects import SubjectList, SubjectListError, builtin
from budgetkit.tolerance import Tolerance

if sys.version_info >= (3, 11):
    import tomllib
else:  # tomllib joined the standard library in 3.11; tomli is the same parser
    import tomli as tomllib

CONFIG_NAME = "budgetkit.toml"
DISABLED_REASON = "已在 budgetkit.toml 中停用"
KEYS = {"tolerance": ("amount", "share"), "rules": ("disable", "severity"),
        "accept": ("rule", "file", "item", "reason"), "subjects": ("extra",), "selfeval": ("bands",),
        "execution": ("low", "high")}


class ConfigError(Exception):
    """A budgetkit.toml the run cannot trust; the message is shown to the user as is."""


@dataclass(frozen=True)
class Acceptance:
    """One [[accept]] entry. Matched by rule, file and item, never by cell address,
    so it still holds after rows are inserted above the figure."""

    rule: str
    reason: str
    file: str | None = None
    item: str | None = None

    def matches(self, finding: Finding) -> bool:
        return (finding.rule == self.rule
                and (self.file is None or self.file in (finding.ref.file, PurePosixPath(finding.ref.file).name))
                and (self.item is None or self._names(finding.item)))

    def _names(self, item: str) -> bool:
        # "2130101" names the line "2130101 行政运行"; "213" does not.
        return item == self.item or (self.item.isdigit() and item.startswith(self.item + " "))


@dataclass(frozen=True)
class RulePolicy:
    """Which rules run, how severe their findings are, and which findings are explained."""

    disabled: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    accept: tuple[Acceptance, ...] = ()
    grade_bands: GradeBands = DEFAULT_BANDS
    execution_band: ExecutionBand = ExecutionBand()

    def applied_to(self, rule: Rule) -> Rule:
        """The rule as this folder runs it: its severity, and its settings bound in (the rule
        itself where the folder changes nothing: a batch binds every rule once per department)."""
        severity = self.severity.get(rule.code, rule.severity)
        if severity != rule.severity:
            rule = replace(rule, severity=severity)
        if rule.code in BANDED_RULES and self.grade_bands != DEFAULT_BANDS:
            rule = replace(rule, check=with_bands(rule.check, self.grade_bands))
        return rule

    def sort_out(self, findings: list[Finding]) -> tuple[list[Finding], list[AcceptedFinding]]:
        """Split findings into those still open and those an [[accept]] entry explains."""
        still_open, accepted = [], []
        for finding in findings:
            entry = next((a for a in self.accept if a.matches(finding)), None)
            if entry is None:
                still_open.append(finding)
            else:
                accepted.append(AcceptedFinding(finding, entry.reason))
        return still_open, accepted


@dataclass(frozen=True)
class Config:
    """What budgetkit.toml says; the defaults are what a folder without one gets."""

    tolerance: Tolerance = Tolerance()
    policy: RulePolicy = RulePolicy()
    subjects: SubjectList = field(default_factory=builtin)


def load_config(folder: Path, path: Path | None = None) -> Config:
    """``path`` when given (it must exist), else the folder's budgetkit.toml, else defaults."""
    if path is None:
        path = folder / CONFIG_NAME
        if not path.is_file():
            return Config()
    elif not path.is_file():
        raise ConfigError(f"找不到配置文件 {path}")
    try:
        # utf-8-sig: Notepad on Windows starts UTF-8 files with a BOM, which TOML forbids.
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}：不是 UTF-8 编码，请用“另存为 → UTF-8”保存。") from exc
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> Config:
    source = _Source(text, path)
    data = source.parse()
    for name in data:
        if name not in KEYS:
            raise source.error(source.section_line(name),
                               f"未知的配置项“{name}”；可用的有 [tolerance]、[rules]、[[accept]]、[subjects]、[selfeval]、[execution]。")
    tolerance = _tolerance(source, data.get("tolerance", {}))
    rules = _section(source, data.get("rules", {}), "rules")
    entries = data.get("accept", [])
    if not isinstance(entries, list):
        raise source.error(source.section_line("accept"), "accept 应写成 [[accept]]（每条说明一个 [[accept]]）。")
    policy = RulePolicy(_disabled(source, rules.get("disable", [])), _severity(source, rules.get("severity", {})),
                        tuple(_acceptance(source, entry, index) for index, entry in enumerate(entries)),
                        _grade_bands(source, data.get("selfeval", {})),
                        _execution_band(source, data.get("execution", {})))
    return Config(tolerance, policy, _subjects(source, data.get("subjects", {}), path.parent))


def _subjects(source: _Source, value: object, folder: Path) -> SubjectList:
    """[subjects] extra: the user's own code-list CSV files, relative to budgetkit.toml."""
    extra = _section(source, value, "subjects").get("extra", [])
    files = [extra] if isinstance(extra, str) else extra
    line = source.key_line("subjects", "extra")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise source.error(line, "[subjects] extra 应为文件名，或文件名的列表。")
    subjects = builtin()
    for name in files:
        try:
            subjects = subjects.extended(folder / name)
        except SubjectListError as exc:
            raise source.error(line, str(exc)) from exc
    return subjects


def _grade_bands(source: _Source, value: object) -> GradeBands:
    """[selfeval] bands = { "优" = 90, "良" = 80, "中" = 60 }: each grade's lowest 总分, highest first;
    a score below the last is 差."""
    bands = _section(source, value, "selfeval").get("bands")
    if bands is None:
        return DEFAULT_BANDS
    source.expect(bands, dict, '表，如 { "优" = 90, "良" = 80, "中" = 60 }', "selfeval", "bands")
    floors = []
    for name, floor in bands.items():
        line = source.key_line("selfeval", name)
        if isinstance(floor, bool) or not isinstance(floor, (int, Decimal)) or not 0 <= floor <= 100:
            raise source.error(line, f"[selfeval] bands 中“{name}”的分数线应为 0 到 100 之间的数字。")
        floors.append((name, Decimal(floor)))
    if not floors or any(a[1] <= b[1] for a, b in zip(floors, floors[1:])):
        raise source.error(source.key_line("selfeval", "bands"),
                           '[selfeval] bands 应从高到低列出各等级的最低分，如 { "优" = 90, "良" = 80, "中" = 60 }。')
    return GradeBands(tuple(floors), "差")


def _execution_band(source: _Source, value: object) -> ExecutionBand:
    """[execution] low = 90, high = 100: the 执行率 (%) outside which BK243 asks for a reason."""
    table = _section(source, value, "execution")
    bounds = {}
    for key in ("low", "high"):
        if key in table:
            source.expect(table[key], (int, Decimal), "百分数（如 90）", "execution", key)
            if table[key] < 0:
                raise source.error(source.key_line("execution", key), f"[execution] {key} 不能为负数。")
            bounds[key] = Decimal(table[key])
    band = ExecutionBand(**bounds)
    if band.low > band.high:
        raise source.error(source.section_line("execution"), "[execution] low 应不大于 high，如 low = 90，high = 100。")
    return band


def _tolerance(source: _Source, value: object) -> Tolerance:
    table = _section(source, value, "tolerance")
    amounts = {}
    for key in ("amount", "share"):
        if key in table:
            number = table[key]
            source.expect(number, (int, Decimal), "数字", "tolerance", key)
            if number < 0:
                raise source.error(source.key_line("tolerance", key), f"[tolerance] {key} 不能为负数。")
            amounts[key] = Decimal(number)
    return Tolerance(**amounts)


def _disabled(source: _Source, codes: object) -> frozenset[str]:
    source.expect(codes, list, "规则编号的数组，如 [\"BK302\"]", "rules", "disable")
    for code in codes:
        source.expect(code, str, "规则编号（加引号）", "rules", "disable")
        _known_rule(source, code, source.value_line("rules", code))
    return frozenset(codes)


def _severity(source: _Source, overrides: object) -> dict[str, Severity]:
    source.expect(overrides, dict, "表，如 { BK402 = \"warning\" }", "rules", "severity")
    result = {}
    for code, level in overrides.items():
        line = source.key_line("rules", code)
        _known_rule(source, code, line)
        allowed = [s.value for s in Severity]
        if level not in allowed:
            raise source.error(line, f"[rules] severity 中 {code} 的严重程度“{level}”无效；可用的有 {'、'.join(allowed)}。")
        result[code] = Severity(level)
    return result


def _acceptance(source: _Source, entry: object, index: int) -> Acceptance:
    header = source.section_line("accept", index)
    if not isinstance(entry, dict):
        raise source.error(header, "[[accept]] 的每一条应为表。")
    _check_keys(source, entry, "accept", index)
    for key in ("rule", "reason"):
        if not entry.get(key):
            raise source.error(header, f"第 {index + 1} 条 [[accept]] 缺少 {key}，或 {key} 为空。")
    for key in ("rule", "file", "item", "reason"):
        if key in entry:
            source.expect(entry[key], str, "文字（加引号）", "accept", key, index)
    _known_rule(source, entry["rule"], source.key_line("accept", "rule", index))
    file = entry.get("file")
    return Acceptance(entry["rule"], entry["reason"], file.replace("\\", "/") if file else None, entry.get("item"))


def _section(source: _Source, value: object, name: str) -> dict:
    if not isinstance(value, dict):
        raise source.error(source.section_line(name), f"{name} 应写成 [{name}] 表。")
    _check_keys(source, value, name)
    return value


def _check_keys(source: _Source, table: dict, name: str, index: int = 0) -> None:
    for key in table:
        if key not in KEYS[name]:
            raise source.error(source.key_line(name, key, index),
                               f"[{name}] 中未知的配置项“{key}”；可用的有 {'、'.join(KEYS[name])}。")


def _known_rule(source: _Source, code: str, line: int | None) -> None:
    if code not in CATALOG:
        raise source.error(line, f"未知的规则编号“{code}”；运行 budgetkit rules 查看全部规则。")


_TYPE_NAMES = {bool: "布尔值", int: "整数", Decimal: "小数", str: "文字", list: "数组", dict: "表"}
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")
_SYNTAX_LINE = re.compile(r"\(at line (\d+), column \d+\)")


class _Source:
    """The file's text, kept to turn a problem with a key into a message naming its line."""

    def __init__(self, text: str, path: Path) -> None:
        self.text, self.path = text, path
        self.lines = text.splitlines()

    def parse(self) -> dict:
        try:
            # Decimal keeps 0.01 exactly 0.01, as every amount in budgetkit is.
            return tomllib.loads(self.text, parse_float=Decimal)
        except tomllib.TOMLDecodeError as exc:
            found = _SYNTAX_LINE.search(str(exc))
            detail = _SYNTAX_LINE.sub("", str(exc)).strip()
            raise self.error(int(found.group(1)) if found else None, f"不是有效的 TOML 格式（{detail}）。") from exc

    def error(self, line: int | None, problem: str) -> ConfigError:
        where = f"{self.path} 第 {line} 行" if line else str(self.path)
        return ConfigError(f"{where}：{problem}")

    def expect(self, value: object, types: type | tuple[type, ...], wanted: str, table: str, key: str,
               index: int = 0) -> None:
        # bool is an int to Python, never a number to a user.
        if isinstance(value, bool) or not isinstance(value, types):
            actual = _TYPE_NAMES.get(type(value), "日期时间")
            raise self.error(self.key_line(table, key, index), f"[{table}] {key} 应为{wanted}，实际为{actual}。")

    def section_line(self, name: str, index: int = 0) -> int | None:
        """The header of the index-th [name] / [[name]] (or [name.sub]), else a root ``name =``."""
        headers = (n for n, line in enumerate(self.lines, start=1) if _belongs(_header(line), name))
        return next(islice(headers, index, None), None) or self._first(_key_pattern(name), range(len(self.lines)))

    def key_line(self, table: str, key: str, index: int = 0) -> int | None:
        return self._in_section(table, index, _key_pattern(key))

    def value_line(self, table: str, value: str) -> int | None:
        return self._in_section(table, 0, re.compile(rf"[\"']{re.escape(value)}[\"']"))

    def _in_section(self, table: str, index: int, pattern: re.Pattern) -> int | None:
        """First match inside the section, else anywhere (a dotted key or inline table at the root)."""
        return self._first(pattern, self._section_rows(table, index)) or self._first(pattern, range(len(self.lines)))

    def _section_rows(self, table: str, index: int) -> range:
        """The lines under the index-th [table] header, down to the next table that is not a [table.sub]."""
        start = self.section_line(table, index)
        if start is None or _header(self.lines[start - 1]) is None:
            return range(0)
        ends = (n for n in range(start, len(self.lines))
                if _header(self.lines[n]) is not None and not _belongs(_header(self.lines[n]), table, exactly=False))
        return range(start, next(ends, len(self.lines)))

    def _first(self, pattern: re.Pattern, rows: range) -> int | None:
        return next((n + 1 for n in rows if pattern.search(self.lines[n])), None)


def _header(line: str) -> str | None:
    found = _HEADER.match(line)
    return found.group(1) if found else None


def _belongs(header: str | None, table: str, exactly: bool = True) -> bool:
    """[rules.severity] is part of [rules]; ``exactly=False`` asks for a sub-table only."""
    return header is not None and (header.startswith(table + ".") or (exactly and header == table))


def _key_pattern(key: str) -> re.Pattern:
    # A key starts its line or follows "{", "," or "." (inline table, dotted key); "=" or "." follows it.
    return re.compile(rf"(?:^|[{{,.])\s*[\"']?{re.escape(key)}[\"']?\s*[=.]")
