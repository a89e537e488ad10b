"""A bucketed duration histogram that MongoDB can update with `$inc`.

A duration is stored as one count in a log-spaced bucket plus its exact length in whole
seconds, so a view document holds `{"b07": 3, "b08": 1, "sum_s": 51234}` under a
prefix and every update is an integer `$inc`: sums stay exact whatever the order they
were applied in (floats would not), which the rebuild-equals-incremental test relies on.

Buckets: b00 is [0, 1 h); bucket i (1..22) is [2^((i-1)/2) h, 2^(i/2) h), so each upper
bound is √2 times the lower one; b23 is [2048 h ≈ 85 days, ∞). A median or p90 read from
the counts therefore lies in the same bucket as the true one (error within one bucket,
about ±41 %). The bounds are part of the stored format: changing them needs a rebuild.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

SECONDS_PER_HOUR = 3600
_STEPS = 23  # bounds 2^(0/2) h .. 2^(22/2) h = 1 h .. 2048 h

#: Upper bounds (exclusive) in whole seconds of buckets 0..22; bucket 23 is open.
BOUNDS_S: tuple[int, ...] = tuple(round(SECONDS_PER_HOUR * 2 ** (i / 2)) for i in range(_STEPS))
BUCKETS = len(BOUNDS_S) + 1
SUM_FIELD = "sum_s"


def bucket_field(index: int) -> str:
    """The field name of bucket `index`, e.g. "b07"."""
    if not 0 <= index < BUCKETS:
        raise ValueError(f"no bucket {index}")
    return f"b{index:02d}"


BUCKET_FIELDS: tuple[str, ...] = tuple(bucket_field(i) for i in range(BUCKETS))


def bucket_of(seconds: int) -> int:
    """The bucket index of a duration in seconds; a negative duration counts as 0."""
    return bisect_right(BOUNDS_S, max(seconds, 0))


def bucket_range_hours(index: int) -> tuple[float, float]:
    """[low, high) of bucket `index` in hours; the last bucket's high is infinity."""
    bucket_field(index)  # validates
    low = 0.0 if index == 0 else BOUNDS_S[index - 1] / SECONDS_PER_HOUR
    high = math.inf if index == BUCKETS - 1 else BOUNDS_S[index] / SECONDS_PER_HOUR
    return low, high


def observation(seconds: int) -> dict[str, int]:
    """The `$inc` fields that record one duration (negative durations clamp to 0)."""
    seconds = max(seconds, 0)
    return {bucket_field(bucket_of(seconds)): 1, SUM_FIELD: seconds}


@dataclass(frozen=True, slots=True)
class Histogram:
    """Counts per bucket (length `BUCKETS`) and the exact total of durations in seconds."""

    counts: tuple[int, ...] = (0,) * BUCKETS
    sum_s: int = 0

    @property
    def n(self) -> int:
        return sum(self.counts)


def from_fields(fields: Mapping[str, Any] | None) -> Histogram:
    """Read a histogram from the sub-document of a view (missing buckets count 0)."""
    fields = fields or {}
    counts = tuple(int(fields.get(name, 0) or 0) for name in BUCKET_FIELDS)
    return Histogram(counts, int(fields.get(SUM_FIELD, 0) or 0))


def merge(histograms: Iterable[Histogram]) -> Histogram:
    """The histogram of all durations of every input, bucket by bucket."""
    counts = [0] * BUCKETS
    total = 0
    for h in histograms:
        for i, c in enumerate(h.counts):
            counts[i] += c
        total += h.sum_s
    return Histogram(tuple(counts), total)


def _rank_bucket(h: Histogram, q: float) -> tuple[int, int, int] | None:
    """(bucket, rank within bucket (1-based), bucket count) of the nearest-rank q-quantile."""
    if not 0.0 < q <= 1.0:
        raise ValueError(f"quantile must be in (0, 1], not {q}")
    n = h.n
    if n == 0:
        return None
    # Exact arithmetic: 0.9 * 30 is 27.000000000000004 in floats, and ceil would say 28.
    rank = max(1, math.ceil(Fraction(str(q)) * n))
    seen = 0
    for index, count in enumerate(h.counts):
        if seen + count >= rank:
            return index, rank - seen, count
        seen += count
    raise AssertionError("unreachable: rank <= n")  # pragma: no cover


def quantile_bucket(h: Histogram, q: float) -> int | None:
    """The bucket holding the nearest-rank q-quantile (the ceil(q·n)-th smallest), or None."""
    found = _rank_bucket(h, q)
    return None if found is None else found[0]


def quantile_hours(h: Histogram, q: float) -> float | None:
    """An estimate in hours of the nearest-rank q-quantile; None when empty.

    The estimate always lies in the bucket that holds the true value (interpolated
    linearly by rank inside it); in the open last bucket it is that bucket's lower bound,
    so read it as "at least".
    """
    found = _rank_bucket(h, q)
    if found is None:
        return None
    index, rank, count = found
    low, high = bucket_range_hours(index)
    if math.isinf(high):
        return low
    return low + (high - low) * (rank - 0.5) / count


def median_hours(h: Histogram) -> float | None:
    """The median duration in hours (error within one bucket), None when empty."""
    return quantile_hours(h, 0.5)


def p90_hours(h: Histogram) -> float | None:
    """The 90th percentile in hours (error within one bucket), None when empty."""
    return quantile_hours(h, 0.9)


def mean_hours(h: Histogram) -> float | None:
    """The exact mean duration in hours, None when empty."""
    return None if h.n == 0 else h.sum_s / h.n / SECONDS_PER_HOUR
