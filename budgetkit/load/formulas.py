"""Compute formula cells that were saved without a result.

Files written by scripts (openpyxl, some exporters) keep the formula text but no
cached value, so every reader sees a blank. The checks can still run when the
formula is simple arithmetic over the same sheet: ``SUM`` of cells and ranges,
``+``, ``-``, parentheses and numbers. Anything else is reported, not guessed.

Excel's own rules are followed where they matter for money: ``SUM`` skips text
in the cells it references, while ``+``/``-`` read a number typed as text.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetkit.cells import bounds, column_letters, position

from budgetkit.money import NotANumber, parse_figure

Grid = list[list[object]]

_TOKEN = re.compile(r"\s*(?:(?P<range>\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+)|(?P<ref>\$?[A-Z]{1,3}\$?\d+)"
                    r"|(?P<number>\d+(?:\.\d*)?|\.\d+)|(?P<sum>SUM\()|(?P<op>[-+(),]))")


class Unsupported(Exception):
    """The formula uses something this evaluator does not compute."""


def evaluate(cells: Grid, formulas: dict[str, str]) -> dict[str, Decimal | None]:
    """Each formula's value by its A1 address; None where it cannot be computed."""
    sheet = _Sheet(cells, formulas)
    return {address: sheet.value_at(address) for address in formulas}


class _Sheet:
    def __init__(self, cells: Grid, formulas: dict[str, str]) -> None:
        self.cells = cells
        self.formulas = {address.replace("$", ""): text for address, text in formulas.items()}
        self.known: dict[str, Decimal | None] = {}
        self.busy: set[str] = set()
        positions = [position(address) for address in self.formulas]
        self.extent = (max([len(cells)] + [r for r, _ in positions]),
                       max([len(row) for row in cells] + [c for _, c in positions] + [0]))

    def value_at(self, address: str) -> Decimal | None:
        if address not in self.known:
            self.busy.add(address)
            try:
                self.known[address] = _Parser(self, self.formulas[address]).run()
            except (Unsupported, NotANumber, RecursionError):  # RecursionError: a very long chain of formulas
                self.known[address] = None
            finally:
                self.busy.discard(address)
        return self.known[address]

    def number(self, address: str, in_sum: bool) -> Decimal:
        """A referenced cell as a number: blank is 0; text is skipped by SUM and read by + and -."""
        address = address.replace("$", "")
        if address in self.formulas:
            if address in self.busy:
                raise Unsupported("circular reference")
            value = self.value_at(address)
            if value is None:
                raise Unsupported(address)
            return value
        row, column = position(address)
        raw = self.cells[row - 1][column - 1] if row <= len(self.cells) and column <= len(self.cells[row - 1]) \
            else None
        if isinstance(raw, str) and in_sum:
            return Decimal(0)
        value, _ = parse_figure(raw)
        return value if value is not None else Decimal(0)


class _Parser:
    """expression := term (('+'|'-') term)*;
    term := ('+'|'-') term | number | ref | '(' expression ')' | 'SUM(' argument (',' argument)* ')'."""

    def __init__(self, sheet: _Sheet, text: str) -> None:
        self.sheet = sheet
        self.tokens = _tokenize(text.lstrip("=").upper())
        self.position = 0

    def run(self) -> Decimal:
        value = self.expression()
        if self.position != len(self.tokens):
            raise Unsupported("trailing tokens")
        return value

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise Unsupported("unexpected end")
        self.position += 1
        return token

    def expect(self, text: str) -> None:
        if self.take() != ("op", text):
            raise Unsupported(f"expected {text}")

    def expression(self) -> Decimal:
        value = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            operator = self.take()[1]
            value = value + self.term() if operator == "+" else value - self.term()
        return value

    def term(self) -> Decimal:
        kind, text = self.take()
        if kind == "number":
            return Decimal(text)
        if kind == "ref":
            return self.sheet.number(text, in_sum=False)
        if (kind, text) in (("op", "+"), ("op", "-")):
            return self.term() if text == "+" else -self.term()
        if (kind, text) == ("op", "("):
            value = self.expression()
            self.expect(")")
            return value
        if kind == "sum":
            total = self.argument()
            while self.peek() == ("op", ","):
                self.take()
                total += self.argument()
            self.expect(")")
            return total
        raise Unsupported(text)

    def argument(self) -> Decimal:
        kind, text = self.peek() or ("", "")
        following = self.tokens[self.position + 1] if self.position + 1 < len(self.tokens) else None
        if kind == "range":
            self.take()
            return self._range_sum(text)
        if kind == "ref" and following in (("op", ","), ("op", ")")):
            self.take()
            return self.sheet.number(text, in_sum=True)
        return self.expression()

    def _range_sum(self, text: str) -> Decimal:
        """Only the part of the range inside the sheet's used area can hold anything,
        so SUM(A1:XFD1048576) costs no more than the sheet itself."""
        first_column, first_row, last_column, last_row = bounds(text.replace("$", ""))
        rows, columns = self.sheet.extent
        return sum((self.sheet.number(f"{column_letters(c)}{r}", in_sum=True)
                    for r in range(first_row, min(last_row, rows) + 1)
                    for c in range(first_column, min(last_column, columns) + 1)),
                   Decimal(0))


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise Unsupported(text[position:])
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens

