"""The one exception the readers raise: a file that cannot be read, with the reason in Chinese."""

from __future__ import annotations


class UnreadableWorkbook(Exception):
    """The file cannot be opened as a workbook; the message is for the user, in Chinese."""
