"""Mission satisfaction surveys (measure 2.5): staff create, edit, open and close them
(checked by the survey's transition table, under the version read, their events in the
same transaction), mint signed per-person links; anyone answers through the public link
or their own link, once per link. An answer, its counts on the survey and its event
(scores and counts only, never the words nor who) are one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import DuplicateKeyError

from services.participation.adapters.consultation_store import StaleVersion
from services.participation.adapters.mission_survey_store import (
    draft_fields,
    new_response,
    new_survey,
    survey_of,
    tally_of,
    timeline_entry,
)
from services.participation.context import ParticipationContext
from services.participation.domain.errors import IllegalTransition, NotFound, Refused
from services.participation.domain.lifecycle import SYSTEM, Actor
from services.participation.domain.mission_survey import (
    MissionSurveyDraft,
    SurveyAnswerBody,
    SurveyCommand,
    SurveyStatus,
    answered_event,
    check_answer,
    check_draft,
    decide,
    may_manage,
)
from services.participation.domain.survey_links import (
    check_recipients,
    link_expiry,
    new_link_id,
    response_id_for,
    sign_link,
    verify_link,
)
from services.participation.domain.survey_results import increments
from services.participation.handlers.past_last_day import close_each
from shared.contract.events import SurveyLink
from shared.infra.mongo import Document, in_transaction

_STAMPS = {SurveyStatus.open: "opened_at", SurveyStatus.closed: "closed_at"}


def new_survey_id() -> str:
    return f"ms-{uuid.uuid4().hex[:16]}"


async def create(ctx: ParticipationContext, draft: MissionSurveyDraft, actor: Actor) -> Document:
    """A new survey, as a draft (nothing is published until it opens)."""
    may_manage(actor.role, "create a survey")
    check_draft(draft, await ctx.plans.get(draft.fiscal_year), ctx.groups)
    doc = new_survey(new_survey_id(), draft, actor.id, actor.role.value, ctx.now())
    await ctx.surveys.insert(doc)
    return doc


async def edit(
    ctx: ParticipationContext,
    survey_id: str,
    draft: MissionSurveyDraft,
    actor: Actor,
    expected_version: int | None = None,
) -> Document:
    """Replace a draft's fields (only a draft: once open, people are answering it)."""
    plan = await ctx.plans.get(draft.fiscal_year)

    async def work(session: AsyncClientSession) -> Document:
        doc = await _read(ctx, survey_id, expected_version, session)
        decide(survey_of(doc), SurveyCommand.edit, actor, ctx.today())
        check_draft(draft, plan, ctx.groups, "edit a survey")
        now = ctx.now()
        status = SurveyStatus.draft.value
        entry = timeline_entry(now, actor.id, actor.role.value, "edit", status, status)
        changes = {**draft_fields(draft), "updated_at": now}
        return await ctx.surveys.update(doc, changes, entry, [], session)

    return await in_transaction(ctx.client, work)


async def run_command(
    ctx: ParticipationContext,
    survey_id: str,
    command: SurveyCommand,
    actor: Actor,
    expected_version: int | None = None,
) -> Document:
    """Open or close a survey; returns it after. Raises the typed errors of `decide`,
    `NotFound`, or `StaleVersion`."""

    async def work(session: AsyncClientSession) -> Document:
        doc = await _read(ctx, survey_id, expected_version, session)
        before = survey_of(doc)
        decision = decide(
            before,
            command,
            actor,
            ctx.today(),
            tally=tally_of(doc),
            links_sent=int(doc.get("links_sent", 0)),
        )
        now = ctx.now()
        after = decision.survey.status.value
        changes: Document = {"status": after, "updated_at": now}
        if decision.survey.status in _STAMPS:
            changes[_STAMPS[decision.survey.status]] = now
        entry = timeline_entry(
            now, actor.id, actor.role.value, command.value, before.status.value, after
        )
        events = [ctx.envelope(survey_id, data) for data in decision.events]
        return await ctx.surveys.update(doc, changes, entry, events, session)

    result = await in_transaction(ctx.client, work)
    ctx.relay.wake()
    return result


async def close_past_last_day(ctx: ParticipationContext) -> int:
    """Close every open survey whose last day has passed (the public page already refuses
    answers after it; closing publishes the counts); returns how many."""
    return await close_each(
        await ctx.surveys.open_past(ctx.today().isoformat()),
        lambda survey_id: run_command(ctx, survey_id, SurveyCommand.close, SYSTEM),
        "mission surveys",
    )


@dataclass(frozen=True, slots=True)
class SurveyReceipt:
    response_id: str
    survey_id: str
    answered_at: datetime
    via: SurveyLink
    # The same answer sent again with the same submission key: received once.
    replayed: bool = False


async def answer(
    ctx: ParticipationContext, survey_id: str, body: SurveyAnswerBody
) -> SurveyReceipt:
    """Receive an answer through the public link or a signed per-person one (`body.token`),
    or refuse it: `NotFound` (no such survey, or a draft), `Refused` (409: not open, past its
    period, the link expired or already answered), `InvalidField`/`MissingField` (422)."""
    now = ctx.now()

    async def work(session: AsyncClientSession) -> SurveyReceipt:
        doc = await ctx.surveys.get(survey_id, session)
        survey = survey_of(doc)
        if survey.status is SurveyStatus.draft:
            raise NotFound("survey", survey_id)  # a draft is not published yet
        # The link is checked once the survey is known: an unknown survey is 404 first.
        link_id: str | None = None
        if body.token is not None:
            secret = ctx.settings.survey.secret.get_secret_value()
            old = [s.get_secret_value() for s in ctx.settings.survey.old_secrets]
            link_id = verify_link(body.token, survey_id, now, secret, old).link_id
        via = SurveyLink.personal if link_id is not None else SurveyLink.public
        response_id = response_id_for(survey_id, link_id, body.submission_key)
        earlier = await ctx.surveys.response(response_id, session)
        if earlier is not None:
            if link_id is not None:
                raise Refused(
                    f"this link to survey {survey_id} was answered already",
                    "already_answered",
                    answered_at=earlier["answered_at"].isoformat(),
                )
            return SurveyReceipt(response_id, survey_id, earlier["answered_at"], via, True)
        checked = check_answer(survey, body.scores, body.texts, ctx.today())
        response = new_response(
            response_id,
            survey,
            checked,
            via=via,
            link_id=link_id,
            language=body.language.value,
            at=now,
        )
        event = answered_event(survey, response_id, checked, via, now)
        counters = increments(checked.scores, checked.texts, via)
        await ctx.surveys.add_response(
            response, counters, [ctx.envelope(survey_id, event)], session
        )
        return SurveyReceipt(response_id, survey_id, now, via)

    try:
        receipt = await in_transaction(ctx.client, work)
    except DuplicateKeyError:
        # The same link answered at the same moment elsewhere: the other one counted.
        raise Refused(
            f"this link to survey {survey_id} was answered already", "already_answered"
        ) from None
    ctx.relay.wake()
    return receipt


@dataclass(frozen=True, slots=True)
class PersonalLink:
    recipient: str
    url: str
    token: str
    expires_at: datetime


async def mint_links(
    ctx: ParticipationContext, survey_id: str, recipients: list[str], actor: Actor
) -> list[PersonalLink]:
    """A signed link per recipient (a draft's or an open survey's; a closed one takes no
    answers, so 409). The recipients' labels are answered back, never kept."""
    may_manage(actor.role, "send survey links")
    labels = check_recipients(recipients)
    survey = survey_of(await ctx.surveys.get(survey_id))
    if survey.status is SurveyStatus.closed:
        raise IllegalTransition(survey.status, "send links to a survey", "it has closed")
    expires_at = link_expiry(survey.closes_on)
    secret = ctx.settings.survey.secret.get_secret_value()
    base = ctx.settings.public_base_url.rstrip("/")
    links = []
    for label in labels:
        token = sign_link(survey_id, new_link_id(), expires_at, secret)
        url = f"{base}/mission-surveys/{survey_id}?{urlencode({'t': token})}"
        links.append(PersonalLink(label, url, token, expires_at))
    await ctx.surveys.count_links(survey_id, len(links))
    return links


async def _read(
    ctx: ParticipationContext,
    survey_id: str,
    expected_version: int | None,
    session: AsyncClientSession,
) -> Document:
    doc = await ctx.surveys.get(survey_id, session)
    if expected_version is not None and doc["version"] != expected_version:
        raise StaleVersion(survey_id)
    return doc
