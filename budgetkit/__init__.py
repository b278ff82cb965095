"""budgetkit: check Chinese department budget / final-account workbooks."""

__version__ = "0.1.0"
