"""Who is speaking and where links point: the office's names, contacts and public URLs.

Built once from settings (and the catalogue for unit names) and passed to `plan`, which
copies what a message needs into the notice, in the notice's language. `with_units`
gives it the units' names an admin gave since (`adapters/unit_names.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue, SecretStr, field_validator

from shared.contract.catalogue import Catalogue, Unit
from shared.contract.events import Channel, Language
from shared.contract.survey_token import DEFAULT_TTL, sign_survey_token


class LocalName(BaseModel):
    """A name in both languages (a unit, a category)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    th: str
    en: str


class Office(BaseModel):
    """The office as its messages name it, and the pages its messages link to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name_th: str = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต 1"
    name_en: str = "Chiang Mai Primary Educational Service Area Office 1"
    # SMS is short and paid per segment: the abbreviation Thai readers know.
    short_name_th: str = "สพป.เชียงใหม่ เขต 1"
    short_name_en: str = "Chiang Mai PESAO 1"
    phone: str | None = "053-000-000"
    email: str | None = "saraban@example.go.th"
    website: str = "https://siang.example.go.th"
    # Public tracking page; the code is appended as `?code=...` (the PIN is never sent).
    tracking_url: str = "https://siang.example.go.th/track"
    # Staff application; the case id is appended as `/<case_id>`.
    staff_case_url: str = "https://siang.example.go.th/staff/cases"
    staff_dashboard_url: str = "https://siang.example.go.th/staff"
    # The public "you said, we did" page; `?fiscal_year=<B.E.>&lang=<th|en>` is appended.
    you_said_we_did_url: str = "https://siang.example.go.th/you-said-we-did"
    staff_language: Language = Language.th
    # Head of office: receives escalations the unit's supervisor must not (a misconduct
    # complaint naming them). None: such an escalation is dropped, not misdirected.
    director: str | None = None
    units: dict[str, LocalName] = Field(default_factory=dict)
    categories: dict[str, LocalName] = Field(default_factory=dict)

    def name(self, language: Language) -> str:
        return self.name_th if language is Language.th else self.name_en

    def short_name(self, language: Language) -> str:
        return self.short_name_th if language is Language.th else self.short_name_en

    def context(self, language: Language) -> dict[str, JsonValue]:
        """The office as templates read it (`office.name`, `office.phone`, ...)."""
        return {
            "name": self.name(language),
            "short_name": self.short_name(language),
            "phone": self.phone,
            "email": self.email,
            "website": self.website,
        }

    def unit_name(self, code: str, language: Language) -> str:
        """The unit's name in `language`, or its code when the catalogue lacks it."""
        return _localised(self.units.get(code), code, language)

    def category_name(self, code: str, language: Language) -> str:
        """The category's name in `language`, or its code when the catalogue lacks it."""
        return _localised(self.categories.get(code), code, language)

    def with_units(self, units: Iterable[Unit]) -> Office:
        """The same office naming exactly these units (a unit renamed or added)."""
        return self.model_copy(update={"units": _unit_names(units)})

    @classmethod
    def with_catalogue(cls, catalogue: Catalogue, **fields: Any) -> Office:
        """An office whose unit and category names come from `catalogue`."""
        return cls(
            units=_unit_names(catalogue.units),
            categories={
                c.code: LocalName(th=c.name_th, en=c.name_en) for c in catalogue.categories
            },
            **fields,
        )


def _unit_names(units: Iterable[Unit]) -> dict[str, LocalName]:
    return {u.code: LocalName(th=u.name_th, en=u.name_en) for u in units}


def _localised(name: LocalName | None, code: str, language: Language) -> str:
    if name is None:
        return code
    return name.th if language is Language.th else name.en


class SurveyLinks(BaseModel):
    """How to build the satisfaction-survey link sent with an answer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Where intake serves the survey; `{token}` is replaced by the signed token.
    url_template: str = "https://siang.example.go.th/survey/{token}"
    secret: SecretStr
    ttl: timedelta = DEFAULT_TTL

    @field_validator("url_template")
    @classmethod
    def _has_token(cls, value: str) -> str:
        if "{token}" not in value:
            raise ValueError("url_template must contain {token}")
        return value

    def link(self, case_id: str, language: Language, issued_at: datetime) -> tuple[str, datetime]:
        """The survey URL and its expiry. Same inputs, same link: redelivery-safe."""
        expires_at = issued_at + self.ttl
        token = sign_survey_token(
            case_id,
            secret=self.secret.get_secret_value(),
            language=language,
            expires_at=expires_at,
        )
        return self.url_template.replace("{token}", token), expires_at


class WebhookSubscriber(BaseModel):
    """A partner system that receives public case updates, signed with its own secret."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    # Event names such as "case.opened"; empty means every public update.
    events: frozenset[str] = frozenset()
    # Only cases that came in through these channels; empty means every case.
    channels: frozenset[Channel] = frozenset()

    def wants(self, event_name: str, channel: Channel) -> bool:
        return (not self.events or event_name in self.events) and (
            not self.channels or channel in self.channels
        )
