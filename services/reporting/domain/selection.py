"""Rows of a view that can add up their own measures per group.

A report adds up the cells a query selected. Walking them costs time in proportion to
the cells; a read cache that keeps sums current as batches arrive can answer at once.
The figures (`summary`) ask a `Selection` for its sums instead of walking it, whoever
keeps them (`services.reporting.read_cache.cells`); any other iterable is walked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.reporting.domain.views import Scalar

Totals = dict[str, int]
GroupTotals = dict[tuple[Scalar, ...], Totals]


class Selection(list[dict[str, Any]]):
    """The rows a query selected, able to add themselves up per group."""

    def totals_by(self, dims: Sequence[str]) -> GroupTotals:
        """Every integer measure added up per combination of `dims` values (a copy)."""
        raise NotImplementedError
