"""The rule catalog. Importing this package registers every rule module."""

from budgetkit.rules import budget, classified, cross, detail, shares, summary, units  # noqa: F401  (registration)
from budgetkit.rules.base import CATALOG, Context, Discrepancy, Group, Rule

__all__ = ["CATALOG", "Context", "Discrepancy", "Group", "Rule"]
