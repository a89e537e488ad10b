"""The public transparency figures (announcement clause 1.1), with small cells suppressed.

A published count between 1 and 4 could point at a person ("the one misconduct complaint
about the finance division in March"), so it is shown as suppressed (None). Rules:

- primary: a count of 1 to `SMALL_CELL - 1` is suppressed; 0 is shown (it singles out
  no one);
- secondary: a table is published with its total, so if exactly one of its cells was
  suppressed, the smallest other non-zero cell is suppressed too, or the hidden one
  could be recovered by subtraction;
- a share or a mean is shown only when its denominator is at least `SMALL_CELL`
  (a mean of two satisfaction ratings tells each rater's score to the other).

Nothing personal reaches the views in the first place: they hold only counts by unit,
category, kind, channel and period.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from services.reporting.domain.summary import Rate, ViewRow, select, summarise, summarise_by
from shared.contract.events import Channel

SMALL_CELL = 5

K = TypeVar("K")


def is_small(count: int, threshold: int = SMALL_CELL) -> bool:
    """True for a count that must not be published on its own (1 to threshold − 1)."""
    return 0 < count < threshold


def suppress_cells(counts: Mapping[K, int], threshold: int = SMALL_CELL) -> dict[K, int | None]:
    """The table with small cells replaced by None (primary and secondary suppression).

    Key order is kept. Ties for the secondary cell go to the first in that order, so the
    result is deterministic.
    """
    hidden = {k for k, n in counts.items() if is_small(n, threshold)}
    if len(hidden) == 1:
        candidates = [
            (n, i, k) for i, (k, n) in enumerate(counts.items()) if n > 0 and k not in hidden
        ]
        if candidates:
            hidden.add(min(candidates, key=lambda c: (c[0], c[1]))[2])
    return {k: None if k in hidden else n for k, n in counts.items()}


def suppress_total(total: int, threshold: int = SMALL_CELL) -> int | None:
    """A total, or None when it is itself small."""
    return None if is_small(total, threshold) else total


def public_share(rate: Rate, threshold: int = SMALL_CELL) -> float | None:
    """A share to publish, or None when its denominator is under `threshold`."""
    return rate.value if rate.denominator >= threshold else None


def public_mean(total: int, count: int, threshold: int = SMALL_CELL) -> float | None:
    """A mean to publish, or None when fewer than `threshold` values make it."""
    return total / count if count >= threshold else None


@dataclass(frozen=True, slots=True)
class TransparencyReport:
    """What the public page shows for one fiscal year; None means suppressed or no data."""

    fiscal_year: int
    received: int | None
    completed: int | None
    by_category: Mapping[str, int | None]
    by_channel: Mapping[str, int | None]
    by_kind: Mapping[str, int | None]
    answered_in_15_days: float | None
    satisfaction_mean: float | None
    satisfaction_responses: int | None


def _counts_by(docs: list[ViewRow], dim: str) -> dict[str, int]:
    return {
        str(key[0]): s.received
        for key, s in sorted(summarise_by(docs, (dim,)).items(), key=lambda kv: str(kv[0][0]))
    }


def _by_channel(docs: list[ViewRow]) -> dict[str, int]:
    """Every channel the office takes submissions on, in the ITA table's order, zeros
    included: a reader sees which channels exist, not only those used this year."""
    counted = _counts_by(docs, "channel")
    return {str(c): counted.get(str(c), 0) for c in Channel}


def transparency_report(docs: Iterable[ViewRow], fiscal_year: int) -> TransparencyReport:
    """The public figures of `report_cases` documents for one fiscal year (B.E.)."""
    year = select(docs, fiscal_year=fiscal_year)
    s = summarise(year)
    received = suppress_total(s.received)
    if received is None:
        # Too few cases to show anything about them, even split up.
        return TransparencyReport(fiscal_year, None, None, {}, {}, {}, None, None, None)
    sat = s.satisfaction
    return TransparencyReport(
        fiscal_year=fiscal_year,
        received=received,
        # received − completed is the count in progress, so both parts must be publishable.
        completed=None if is_small(s.in_progress) else suppress_total(s.completed),
        by_category=suppress_cells(_counts_by(year, "category")),
        by_channel=suppress_cells(_by_channel(year)),
        by_kind=suppress_cells(_counts_by(year, "kind")),
        answered_in_15_days=public_share(s.answered_in_15_days.share_met),
        satisfaction_mean=public_mean(sat.rating_sum, sat.responses),
        satisfaction_responses=suppress_total(sat.responses),
    )
