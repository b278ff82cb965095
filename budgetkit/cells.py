"""A1 cell addresses: the few conversions every stage needs, without importing a
spreadsheet library (openpyxl alone costs a third of a second to import)."""

from __future__ import annotations

import re
from functools import lru_cache

_ADDRESS = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def column_letters(column: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """'A' -> 1, 'AA' -> 27."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index


def a1(row: int, column: int) -> str:
    """0-based (row, column) as an A1 address: (4, 2) -> 'C5'."""
    return f"{column_name(column)}{row + 1}"


@lru_cache(maxsize=None)
def column_name(column: int) -> str:
    """0-based column as its letters: 2 -> 'C'."""
    # Cached by column, not by cell: a long table has a million cells but a few columns.
    return column_letters(column + 1)


def position(address: str) -> tuple[int, int]:
    """An A1 address as 1-based (row, column): 'C5' -> (5, 3)."""
    match = _ADDRESS.match(address)
    if match is None:
        raise ValueError(f"not an A1 address: {address}")
    return int(match.group(2)), column_index(match.group(1))


def bounds(reference: str) -> tuple[int, int, int, int]:
    """'B2:C9' (or 'B2') as 1-based (first column, first row, last column, last row)."""
    first, _, last = reference.partition(":")
    (r0, c0), (r1, c1) = position(first), position(last or first)
    return c0, r0, c1, r1
