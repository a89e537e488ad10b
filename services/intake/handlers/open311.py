"""Open311 GeoReport v2: a posted service request is received like every channel's
submission (`Reception`, channel `open311`), with the caller's `api_key` as the channel's
credential; searches and reads go through intake's own records of Open311 requests and
their cases' public progress. The decisions are `domain/open311.py`'s."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import ValidationError

from services.intake.domain import open311
from services.intake.domain.api_keys import InvalidApiKey
from services.intake.domain.messages import field_problems
from services.intake.domain.open311 import Open311Error, Search, Tracked
from services.intake.domain.submission import parse_submission
from services.intake.domain.tracking import InvalidTrackingCode, normalise_tracking_code
from services.intake.handlers.receive import Receive, Reception
from shared.contract.catalogue import Catalogue
from shared.contract.events import Channel, Language


class Requests(Protocol):
    async def find(self, search: Search) -> list[Tracked]: ...
    async def code_of(self, submission_id: str) -> str | None: ...


class Keys(Protocol):
    async def channel_of(self, key: str) -> Channel: ...


class Open311Desk:
    def __init__(
        self,
        requests: Requests,
        keys: Keys,
        reception: Reception,
        catalogue: Catalogue,
        *,
        jurisdiction_id: str,
        names: Callable[[], Awaitable[Catalogue]] | None = None,
    ) -> None:
        self._requests = requests
        self._keys = keys
        self._reception = reception
        self._catalogue = catalogue
        self._jurisdiction = jurisdiction_id
        # A request read back names its unit as an admin last named it (the file's
        # names without `names`); the services list is made from the file.
        self._names = names

    def check_jurisdiction(self, given: str | None) -> None:
        """The office is one jurisdiction: another is 404, as an unknown resource."""
        if given is not None and not hmac.compare_digest(
            given.strip().encode(), self._jurisdiction.encode()
        ):
            raise Open311Error(
                404, f"jurisdiction_id not found (this server is {self._jurisdiction!r})"
            )

    def services(self, language: Language) -> list[dict[str, Any]]:
        return open311.services(self._catalogue, language)

    def definition(self, code: str, language: Language) -> dict[str, Any]:
        return open311.definition(self._catalogue, code, language)

    async def post(
        self, form: Mapping[str, str], correlation_id: str | None
    ) -> list[dict[str, Any]]:
        """A new service request: 403 without an Open311 key, 400/404 naming the field."""
        self.check_jurisdiction(form.get("jurisdiction_id"))
        key = (form.get("api_key") or "").strip()
        try:
            if not key or await self._keys.channel_of(key) is not Channel.open311:
                raise InvalidApiKey
        except InvalidApiKey:
            raise Open311Error(403, "api_key is missing, unknown or not an Open311 key") from None
        posted = open311.posted(form, self._catalogue)
        try:
            body = parse_submission(posted.body, self._catalogue)
        except ValidationError as exc:
            problems = field_problems(exc.errors(include_url=False), Language.en)
            described = "; ".join(
                f"{open311.FIELD_NAMES.get(p.field, p.field)} {p.message}" for p in problems
            )
            raise Open311Error(400, described) from None
        receipt = await self._reception.receive(
            Receive(body=body, channel=Channel.open311, correlation_id=correlation_id)
        )
        return [
            {
                "service_request_id": receipt.tracking_code,
                "token": receipt.submission_id,
                "service_notice": open311.notice(
                    receipt.tracking_code, receipt.tracking_pin, receipt.tracking_url
                ),
                "account_id": None,
            }
        ]

    async def search(self, params: Mapping[str, str], language: Language) -> list[dict[str, Any]]:
        """The requests the filters select (the status is the case's, read now)."""
        wanted = open311.search(params, datetime.now(UTC))
        found = await self._requests.find(wanted)
        catalogue = await self._named()
        views = [open311.request_view(t, catalogue, language) for t in found]
        return [v for v in views if not wanted.statuses or v["status"] in wanted.statuses]

    async def one(self, raw_id: str, language: Language) -> list[dict[str, Any]]:
        """One request by its id (the tracking code), or 404."""
        try:
            code = normalise_tracking_code(raw_id)
        except InvalidTrackingCode:
            raise Open311Error(404, f"service_request_id {raw_id[:40]!r} not found") from None
        found = await self._requests.find(Search(ids=(code,), by_ids=True))
        if not found:
            raise Open311Error(404, f"service_request_id {code!r} not found")
        return [open311.request_view(found[0], await self._named(), language)]

    async def _named(self) -> Catalogue:
        return self._catalogue if self._names is None else await self._names()

    async def token(self, token: str) -> list[dict[str, Any]]:
        code = await self._requests.code_of(token.strip()[:64])
        if code is None:
            raise Open311Error(404, f"token {token[:64]!r} not found")
        return [{"service_request_id": code, "token": token.strip()}]
