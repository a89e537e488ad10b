"""Counts as a reader expects them: grouped in thousands ("12,345"), in Thai and English
alike, with Thai digits only when asked for."""

from __future__ import annotations

from shared.thai.dates import to_thai_digits


def format_count(value: int | None, thai_digits: bool = False) -> str:
    """A whole number grouped by thousands ("1,234"); "–" when there is none."""
    if value is None:
        return "–"
    text = f"{value:,}"
    return to_thai_digits(text) if thai_digits else text
