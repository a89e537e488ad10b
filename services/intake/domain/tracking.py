"""Tracking codes and PINs: how a person follows their submission without an account.

A tracking code is read aloud over the phone, so its alphabet leaves out characters that
look or sound alike (0/O, 1/I/L); it is unguessable (11 random symbols from `secrets`,
about 54 bits) and ends in a check symbol, so a mistyped code is refused before any
lookup. Shape: ``SG-7KQ4-M9XT-3PW5`` (prefix, then three groups of four).

Why three groups and not two: two groups of four give 8 symbols, about 40 bits, below the
50 bits we want against guessing; 11 random symbols are the fewest that clear it.

The check symbol is a weighted sum modulo 31 (the alphabet's size, a prime): with distinct
weights 1..12 it catches every single wrong symbol and every swap of two symbols.

The PIN (6 digits) is shown only in the 202 answer and stored as
`shared.contract.tracking_pin.hash_pin` (HMAC with the server pepper `SIANG_TRACKING_PEPPER`, bound
to the code), which the tracking door (`services/intake/handlers/track.py`) checks.
"""

from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

PREFIX = "SG"
# 31 symbols, a prime: digits 2-9 and letters without I, L, O.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_SYMBOLS = 11
GROUP = 4
PIN_DIGITS = 6

_BASE = len(ALPHABET)
_VALUE = {symbol: i for i, symbol in enumerate(ALPHABET)}
_SPACE = _BASE**RANDOM_SYMBOLS
_SEPARATORS = re.compile(r"[\s\-_.]")
_SEPARATED = r"[\s\-_.]*"
_SYMBOL = "[" + ALPHABET + ALPHABET.lower() + "]"
#: The shape `normalise_tracking_code` accepts (separators anywhere, any case, the prefix
#: optional); the check symbol is what a pattern cannot say (OpenAPI's format
#: `tracking-code`).
TRACKING_CODE_PATTERN = f"^{_SEPARATED}([sS]{_SEPARATED}[gG]{_SEPARATED})?({_SYMBOL}{_SEPARATED}){{{RANDOM_SYMBOLS + 1}}}$"
# Modular inverse of the check symbol's weight (its position, 12) modulo 31.
_CHECK_WEIGHT = RANDOM_SYMBOLS + 1
_CHECK_WEIGHT_INVERSE = pow(_CHECK_WEIGHT, -1, _BASE)

ENTROPY_BITS = RANDOM_SYMBOLS * math.log2(_BASE)


class InvalidTrackingCode(ValueError):
    """Not a tracking code we could have issued (wrong shape, symbol or check symbol)."""


def _weighted_sum(symbols: str) -> int:
    return sum((i + 1) * _VALUE[s] for i, s in enumerate(symbols))


def check_symbol(symbols: str) -> str:
    """The symbol that makes the weighted sum of `symbols` + it divisible by 31."""
    value = (-_weighted_sum(symbols) * _CHECK_WEIGHT_INVERSE) % _BASE
    return ALPHABET[value]


def _format(body: str) -> str:
    groups = [body[i : i + GROUP] for i in range(0, len(body), GROUP)]
    return "-".join([PREFIX, *groups])


def new_tracking_code() -> str:
    """A fresh, unguessable tracking code like ``SG-7KQ4-M9XT-3PW5``."""
    n = secrets.randbelow(_SPACE)
    symbols = []
    for _ in range(RANDOM_SYMBOLS):
        n, digit = divmod(n, _BASE)
        symbols.append(ALPHABET[digit])
    body = "".join(symbols)
    return _format(body + check_symbol(body))


def normalise_tracking_code(raw: str) -> str:
    """The canonical form of a code as a person typed it, or `InvalidTrackingCode`.

    Accepts lower case, spaces or no dashes, and a missing prefix.
    """
    compact = _SEPARATORS.sub("", raw).upper()
    if compact.startswith(PREFIX) and len(compact) == len(PREFIX) + RANDOM_SYMBOLS + 1:
        compact = compact[len(PREFIX) :]
    if len(compact) != RANDOM_SYMBOLS + 1:
        raise InvalidTrackingCode("wrong length")
    if any(s not in _VALUE for s in compact):
        raise InvalidTrackingCode("symbol outside the alphabet")
    if _weighted_sum(compact) % _BASE != 0:
        raise InvalidTrackingCode("check symbol does not match")
    return _format(compact)


def new_pin() -> str:
    """Six random digits, leading zeros kept."""
    return f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"


def collision_probability(codes: int) -> float:
    """Birthday bound: the chance that any two of `codes` random codes are equal."""
    return -math.expm1(-codes * (codes - 1) / (2 * _SPACE))


@dataclass(frozen=True, slots=True)
class TrackingRecord:
    """What intake keeps to answer "where is my submission?": no personal data, no PIN."""

    submission_id: str
    tracking_code: str
    pin_hash: str
    channel: str
    kind: str
    category: str
    language: str
    received_at: datetime
    keyed_by: str | None = None
    # When the complainant withdrew it (the workflow closes the case soon after).
    withdrawn_at: datetime | None = None
