"""budgetkit: check Chinese department budget / final-account workbooks.

From Python: ``budgetkit.check(folder)`` and ``budgetkit.read_tables(path)`` (see
``budgetkit.api``), loaded on first use so that the command line starts quickly.
"""

__version__ = "0.1.0"

_API = ("check", "read_tables", "Result")
__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        from budgetkit import api

        return getattr(api, name)
    raise AttributeError(f"module 'budgetkit' has no attribute {name!r}")
