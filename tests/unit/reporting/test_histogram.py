"""Duration histogram: buckets, and median/p90 within one bucket of the truth."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.reporting.domain import histogram as h

HOUR = 3600


def of(durations: list[int]) -> h.Histogram:
    fields: dict[str, int] = {}
    for d in durations:
        for name, n in h.observation(d).items():
            fields[name] = fields.get(name, 0) + n
    return h.from_fields(fields)


def nearest_rank(durations: list[int], q: float) -> int:
    ordered = sorted(durations)
    rank = max(1, math.ceil(Fraction(str(q)) * len(ordered)))
    return ordered[rank - 1]


def test_bounds_are_log_spaced_from_an_hour_to_about_ninety_days() -> None:
    assert h.BOUNDS_S[0] == HOUR
    assert h.BOUNDS_S[2] == 2 * HOUR
    assert h.BOUNDS_S[-1] == 2048 * HOUR  # 85⅓ days; beyond is the open bucket
    for low, high in zip(h.BOUNDS_S, h.BOUNDS_S[1:], strict=False):
        assert high / low == pytest.approx(math.sqrt(2), rel=1e-3)
    assert h.BUCKETS == 24
    assert h.BUCKET_FIELDS[0] == "b00" and h.BUCKET_FIELDS[-1] == "b23"


@pytest.mark.parametrize(
    ("seconds", "bucket"),
    [(-5, 0), (0, 0), (HOUR - 1, 0), (HOUR, 1), (2 * HOUR - 1, 2), (2 * HOUR, 3), (10**9, 23)],
)
def test_bucket_of(seconds: int, bucket: int) -> None:
    assert h.bucket_of(seconds) == bucket


def test_observation_is_one_count_and_the_exact_seconds() -> None:
    assert h.observation(5400) == {"b02": 1, "sum_s": 5400}
    assert h.observation(-10) == {"b00": 1, "sum_s": 0}


def test_empty_histogram_has_no_quantiles() -> None:
    empty = h.from_fields(None)
    assert empty.n == 0
    assert h.median_hours(empty) is None
    assert h.p90_hours(empty) is None
    assert h.mean_hours(empty) is None


def test_the_open_bucket_reads_as_its_lower_bound() -> None:
    assert h.median_hours(of([10**8])) == 2048


def test_mean_is_exact() -> None:
    assert h.mean_hours(of([HOUR, 3 * HOUR])) == 2.0


def test_bad_quantiles_and_buckets_are_refused() -> None:
    with pytest.raises(ValueError, match="quantile"):
        h.quantile_hours(of([1]), 0)
    with pytest.raises(ValueError, match="bucket"):
        h.bucket_field(24)


durations = st.lists(st.integers(0, 400 * 24 * HOUR), min_size=1, max_size=300)
quantiles = st.sampled_from([0.5, 0.9]) | st.floats(0.01, 1.0)


@given(durations, quantiles)
def test_quantile_is_within_the_bucket_of_the_true_value(ds: list[int], q: float) -> None:
    hist = of(ds)
    true = nearest_rank(ds, q)
    assert h.quantile_bucket(hist, q) == h.bucket_of(true)
    low, high = h.bucket_range_hours(h.bucket_of(true))
    estimate = h.quantile_hours(hist, q)
    assert estimate is not None
    assert low <= estimate <= high
    if not math.isinf(high):
        # Error within one bucket: at most the bucket's width.
        assert abs(estimate - true / HOUR) <= high - low


@given(durations)
def test_median_and_p90(ds: list[int]) -> None:
    hist = of(ds)
    for read, q in ((h.median_hours, 0.5), (h.p90_hours, 0.9)):
        estimate = read(hist)
        assert estimate is not None
        low, high = h.bucket_range_hours(h.bucket_of(nearest_rank(ds, q)))
        assert low <= estimate <= high


@given(durations, durations)
def test_merge_is_the_histogram_of_both(a: list[int], b: list[int]) -> None:
    assert h.merge([of(a), of(b)]) == of(a + b)
    assert of(a).n == len(a)
    assert of(a).sum_s == sum(a)
