"""Intake's staff entry (`POST /v1/staff/submissions`), called by the console's "new case"
page on the signed-in member of staff's own token, so intake records them as the keyer
from the token, as it would for any other caller."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IntakeAnswer:
    status: int
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def field_messages(self) -> dict[str, str]:
        """A refusal's message per field, as intake worded it."""
        fields = self.body.get("fields") or []
        return {
            str(f.get("field")): str(f.get("message"))
            for f in fields
            if isinstance(f, dict) and f.get("field")
        }


class IntakeUnreachable(Exception):
    """Intake did not answer (or not in time): nothing is known to be stored."""


class IntakeEntry:
    def __init__(self, base_url: str, *, timeout: float) -> None:
        self._url = base_url.rstrip("/") + "/v1/staff/submissions"
        self._timeout = timeout

    async def key_in(
        self,
        token: str,
        fields: Mapping[str, str],
        files: Mapping[str, bytes],
        *,
        idempotency_key: str,
        language: str,
    ) -> IntakeAnswer:
        headers = {
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": idempotency_key,
            "Accept-Language": language,
        }
        # Multipart with files, else a plain form: intake reads both.
        parts = {name: (name, data) for name, data in files.items() if data}
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                response = await client.post(
                    self._url,
                    data=dict(fields),
                    files=parts or None,
                    headers=headers,
                )
        except httpx.HTTPError as exc:
            log.warning("intake did not take a staff entry: %r", exc)
            raise IntakeUnreachable(repr(exc)) from exc
        try:
            body = response.json()
        except ValueError:
            body = {}
        return IntakeAnswer(response.status_code, body if isinstance(body, dict) else {})
