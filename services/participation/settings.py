"""The participation service's settings: `SIANG_PARTICIPATION_*` plus the shared
`SIANG_KAFKA_*`, `SIANG_MONGO_*` and `SIANG_AUTH_*`."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import SettingsConfigDict

from shared.contract.catalogue import DEFAULT_PATH as DEFAULT_CATALOGUE
from shared.contract.survey_token import SurveySettings
from shared.infra.auth import AuthSettings
from shared.infra.settings import ServiceSettings

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "config"


class OfficeContacts(BaseModel):
    """Where the public reach the office, as the "how you can take part" page (`/missions`)
    links each channel of an item (`SIANG_PARTICIPATION_CONTACTS__*`). A channel without
    its contact here is named without a link."""

    model_config = ConfigDict(extra="forbid")

    # Intake's public form (the web channel).
    web_form_url: str = Field(default="http://127.0.0.1:8001/", pattern=r"^https?://")
    email: str | None = "saraban@example.go.th"
    phone: str | None = "053-000-000"
    # The LINE Official Account's id as people search for it (e.g. "@siang"), and its
    # add-friend link.
    line_id: str | None = None
    line_url: str | None = Field(default=None, pattern=r"^https?://")
    # The office's Facebook Page.
    facebook_url: str | None = Field(default=None, pattern=r"^https?://")
    # Open311 GeoReport v2 (intake's `/open311/v2`), for partner apps.
    open311_url: str | None = Field(
        default="http://127.0.0.1:8001/open311/v2", pattern=r"^https?://"
    )
    # Where to walk in or send a letter.
    address_th: str | None = None
    address_en: str | None = None
    # Reporting's public participation report (`?fy=<B.E.>&lang=<th|en>` is appended).
    participation_report_url: str = Field(
        default="http://127.0.0.1:8004/transparency/participation", pattern=r"^https?://"
    )


class ParticipationSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="SIANG_PARTICIPATION_", extra="forbid", env_nested_delimiter="__"
    )

    port: int = Field(default=8005, ge=1, le=65535)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    # The mission and strategy items per fiscal year, loaded into an empty year on start;
    # an admin edits them through the API afterwards.
    missions_path: Path = CONFIG / "missions.yaml"
    stakeholder_groups_path: Path = CONFIG / "stakeholder_groups.yaml"
    # The units an outcome may be owned by.
    catalogue_path: Path = DEFAULT_CATALOGUE
    # The public form's body limit (an opinion is a few answers).
    max_body_bytes: int = Field(default=65_536, ge=1024)
    # A committee paper's limit (a signed order, scanned): past it, 413.
    max_document_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    # The group consuming `siang.submissions.v1`: opinions sent through any channel.
    consumer_group: str = "siang-participation"
    # How often consultations past their last day are looked for and closed.
    close_interval_seconds: float = Field(default=60.0, gt=0)
    # The secret signing mission surveys' per-person links (`SIANG_SURVEY_SECRET`, the
    # per-case survey's, under another domain so neither kind passes for the other).
    survey: SurveySettings = Field(default_factory=SurveySettings)
    # Where people reach the public pages: the start of a per-person survey link.
    public_base_url: str = "http://127.0.0.1:8005"
    # Printed at the head of the public pages.
    office_name_th: str = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษา"
    office_name_en: str = "Primary Educational Service Area Office"
    # How the public reach the office (the channels the "how you can take part" page links).
    contacts: OfficeContacts = Field(default_factory=OfficeContacts)
