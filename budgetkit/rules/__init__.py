"""The rule catalog. Importing this package registers every rule module."""

from budgetkit.rules import classified, cross, shares, summary, units  # noqa: F401  (registration)
from budgetkit.rules.base import CATALOG, Context, Discrepancy, Group, Rule

__all__ = ["CATALOG", "Context", "Discrepancy", "Group", "Rule"]
