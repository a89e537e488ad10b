"""The public "how you can take part" page (seed measures 1.1, 2.2), `/missions?fy=2570`:
per mission and strategy item of the year, the stakeholder groups involved, the practices
used, the channels that reach the office (each linked to the contact configured for it),
the process in the office's words, and the consultations and mission surveys open for it
now. Thai by default (`?lang=en`), no JavaScript; the same look as the other public pages
(`pages.py` renders it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from services.participation.domain.plan import REACH_CHANNELS
from services.participation.handlers.taking_part import taking_part
from services.participation.settings import OfficeContacts
from services.participation.web.pages import Ctx, Lang, _language, _render
from services.participation.web.texts import Texts
from shared.contract.events import Channel
from shared.thai.fiscal import fiscal_year as fiscal_year_of

router = APIRouter(include_in_schema=False)

FiscalYear = Annotated[int | None, Query(ge=2400, le=2800, description="B.E., e.g. 2570")]


@dataclass(frozen=True, slots=True)
class Reach:
    """How a person uses one channel: the words to show and, when there is one, a link."""

    text: str
    href: str | None = None


def reach(contacts: OfficeContacts, t: Texts) -> dict[Channel, Reach]:
    """Each channel people use, with the office's contact for it; a channel whose contact
    is not configured is named with a hint instead of a link (never a dead link)."""
    address = t.pick(contacts.address_th or "", contacts.address_en) or None
    line = contacts.line_id or contacts.line_url
    found: dict[Channel, Reach | None] = {
        Channel.web: Reach(t["reach.web"], contacts.web_form_url),
        Channel.line: Reach(f"LINE {contacts.line_id or ''}".strip(), contacts.line_url)
        if line
        else None,
        Channel.email: Reach(contacts.email, f"mailto:{contacts.email}")
        if contacts.email
        else None,
        Channel.facebook: Reach(t["reach.facebook"], contacts.facebook_url)
        if contacts.facebook_url
        else None,
        Channel.phone: Reach(contacts.phone, f"tel:{contacts.phone.replace('-', '')}")
        if contacts.phone
        else None,
        Channel.walk_in: Reach(address) if address else None,
        Channel.letter: Reach(address) if address else None,
        Channel.open311: Reach(t["reach.open311"], contacts.open311_url)
        if contacts.open311_url
        else None,
    }
    return {c: found[c] or Reach(t[f"reach.ask.{c.value}"]) for c in REACH_CHANNELS}


@router.get("/missions", response_class=HTMLResponse)
async def take_part_page(
    request: Request, ctx: Ctx, lang: Lang = "th", fy: FiscalYear = None
) -> HTMLResponse:
    language = _language(lang)
    t = Texts(language)
    year = fy or fiscal_year_of(ctx.today())
    found = await taking_part(ctx, year)
    query = urlencode({"fy": year, "lang": language.value})
    return _render(
        request,
        ctx,
        "take_part.html",
        language,
        fiscal_year=year,
        planned=found.planned,
        items=found.items,
        reach=reach(ctx.settings.contacts, t),
        group_names={g.code: t.pick(g.name_th, g.name_en) for g in ctx.groups.groups},
        report_url=f"{ctx.settings.contacts.participation_report_url}?{query}",
        ysw_url=f"/you-said-we-did?{urlencode({'fiscal_year': year, 'lang': language.value})}",
    )
