"""The rule catalog. Importing this package registers every rule module."""

from budgetkit.rules import budget, classified, cross, detail, plausibility, shares, summary, units  # noqa: F401
from budgetkit.rules.base import CATALOG, Context, Discrepancy, Group, Rule

__all__ = ["CATALOG", "Context", "Discrepancy", "Group", "Rule"]
