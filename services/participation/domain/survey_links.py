"""Signed per-person links to a mission survey: staff mint one per person asked; each is
answered once.

A link's token is the per-case survey's format (`shared.contract.survey_token`:
`v1.<payload>.<signature>`, HMAC-SHA256 with the survey secret, rotated the same way),
signed under its own domain, so a case-survey token is never taken for a mission-survey
one nor the other way round. The claims are the survey id, a random link id and the
expiry; nothing about the person: who a link was sent to is known only to whoever sent
it (the mint answers the recipients' labels beside their links and keeps none of them).
The link id names the one response the link may give (`response_id_for`), so a second
answer finds the first and is refused."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from services.participation.domain.errors import InvalidField, NotAuthentic, Refused
from shared.contract.survey_token import InvalidToken, expiry_of, sign_claims, verified_claims
from shared.thai.dates import BANGKOK

DOMAIN = b"siang-mission-survey.v1."
MAX_RECIPIENTS = 1000
_RESPONSES = uuid.UUID("0b8f4c1e-5a3d-4f2b-9c7e-6d1a2e3f4b5c")


@dataclass(frozen=True, slots=True)
class LinkClaims:
    survey_id: str
    link_id: str
    expires_at: datetime


def new_link_id() -> str:
    return secrets.token_hex(8)


def link_expiry(closes_on: date) -> datetime:
    """A link lasts as long as the survey may be answered: to the end of its last day
    (Bangkok), as UTC."""
    start = datetime.combine(closes_on, time(0), tzinfo=BANGKOK)
    return (start + timedelta(days=1)).astimezone(UTC)


def sign_link(survey_id: str, link_id: str, expires_at: datetime, secret: str) -> str:
    claims = {"s": survey_id, "k": link_id, "e": int(expires_at.timestamp())}
    return sign_claims(claims, secret=secret, domain=DOMAIN)


def verify_link(
    token: str,
    survey_id: str,
    now: datetime,
    secret: str,
    old_secrets: Sequence[str] = (),
) -> LinkClaims:
    """The claims of an authentic link to `survey_id`; `NotAuthentic` naming `token` (403)
    when it is not one the office signed or is for another survey, `Refused` (409) once it
    has expired."""
    try:
        doc = verified_claims(token, secret=secret, old_secrets=old_secrets, domain=DOMAIN)
        survey, link, expires_at = doc.get("s"), doc.get("k"), expiry_of(doc)
    except InvalidToken:
        raise NotAuthentic("answer a survey", "token", "is not a link the office sent") from None
    if not isinstance(survey, str) or not isinstance(link, str) or not link:
        raise NotAuthentic("answer a survey", "token", "is not a link the office sent")
    if survey != survey_id:
        raise NotAuthentic("answer a survey", "token", "is a link to another survey")
    if now >= expires_at:
        raise Refused(
            f"the link to survey {survey_id} expired {expires_at.isoformat()}",
            "link_expired",
            expired_at=expires_at.isoformat(),
        )
    return LinkClaims(survey, link, expires_at)


def response_id_for(survey_id: str, link_id: str | None = None, key: str | None = None) -> str:
    """The id of a response: one per signed link (a second answer is the same response),
    one per sender's key on the public link (a resend), else fresh."""
    if link_id is not None:
        return f"sr-{uuid.uuid5(_RESPONSES, f'{survey_id}:link:{link_id}').hex[:20]}"
    if key is not None:
        return f"sr-{uuid.uuid5(_RESPONSES, f'{survey_id}:key:{key}').hex[:20]}"
    return f"sr-{uuid.uuid4().hex[:20]}"


def check_recipients(recipients: Sequence[str]) -> list[str]:
    """The labels staff give the people they send links to (a name, a school, a number:
    only echoed back beside each link), trimmed; 422 naming the one refused."""
    kept: list[str] = []
    for i, raw in enumerate(recipients):
        label = raw.strip()
        if not label:
            raise InvalidField("send survey links", f"recipients[{i}]", "is blank")
        kept.append(label)
    if not kept:
        raise InvalidField("send survey links", "recipients", "is empty")
    if len(kept) > MAX_RECIPIENTS:
        raise InvalidField("send survey links", "recipients", f"are more than {MAX_RECIPIENTS}")
    return kept
