"""Render the rule catalog from the rules' own metadata (CLI and docs/rules.md)."""

from __future__ import annotations

from collections.abc import Iterable

from budgetkit.rules.base import Rule

TEXT_INPUT = "报告文字（.txt/.docx/.pdf）"


def _inputs(rule: Rule) -> str:
    """Cross-table rules need every table (+), the others any of them (、); a text rule also the text."""
    tables = (" + " if rule.cross_table else "、").join(k.title for k in rule.tables)
    return " + ".join(part for part in (TEXT_INPUT if rule.narrative else "", tables) if part)


def rules_table(rules: Iterable[Rule]) -> str:
    lines = ["| 编号 | 严重程度 | 名称 | 说明 | 所需表格 |", "|---|---|---|---|---|"]
    for rule in rules:
        lines.append(f"| {rule.code} | {rule.severity.value} | {rule.title} (`{rule.name}`) | {rule.summary} "
                     f"| {_inputs(rule)} |")
    return "\n".join(lines)


def rule_page(rule: Rule) -> str:
    return "\n".join([
        f"## {rule.code} {rule.title} (`{rule.name}`)", "",
        f"- 严重程度：{rule.severity.value}（差额在取整误差范围内时为 info）",
        f"- 所需表格：{_inputs(rule)}",
        f"- 提示文字：{rule.message}", "",
        rule.doc, "",
    ])


def catalog_markdown(rules: Iterable[Rule]) -> str:
    rules = list(rules)
    return "\n".join(["# budgetkit 规则目录", "",
                      "本文件由 `python -m budgetkit.rules.docs` 根据规则自身的元数据生成，请勿手工修改。", "",
                      rules_table(rules), ""] + [rule_page(r) for r in rules])


if __name__ == "__main__":
    from budgetkit.rules import CATALOG

    print(catalog_markdown(CATALOG.values()), end="")
