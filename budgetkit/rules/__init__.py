"""The rule catalog. Importing this package registers every rule module."""

from budgetkit.rules import (  # noqa: F401
    budget, changes, classified, cross, detail, execution, figures, narrative, narrative_years, plausibility, selfeval,
    selfeval_text, shares, summary, units, years,
)
from budgetkit.rules.base import CATALOG, Context, Discrepancy, Group, Rule

# Modules register in import order; the catalog lists rules by code.
for _code in sorted(CATALOG):
    CATALOG[_code] = CATALOG.pop(_code)

__all__ = ["CATALOG", "Context", "Discrepancy", "Group", "Rule"]
