"""Who hears that an outcome ("you said, we did") was published: each person the event
names (they gave an opinion it answers and consented to be contacted), once, on the one
route their contact allows, their own channel first, in the language they wrote in.

Pure: the caller reads the contacts of the event's people from the personal-data store
(someone erased since is simply not there, and hears nothing) and passes them in. The
event carries references only; the address goes into the notice, which the ledger keeps
until it is sent. The ledger's key (event, recipient, channel, template) makes a second
planning of the same event, or the same address named twice in it, one message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import JsonValue

from services.notifications.domain.contact import complainant_route
from services.notifications.domain.notice import Notice, RecipientRole, TemplateName
from services.notifications.domain.office import Office
from shared.contract.events import CloudEvent, Consent, Contact, Language, OutcomePublished

_CONSENTED = Consent(contact_me=True)


def _words(th: str | None, en: str | None, language: Language) -> str | None:
    return en if language is Language.en and en else th


def outcome_notices(
    event: CloudEvent[Any], contacts: Mapping[str, Contact], office: Office
) -> list[Notice]:
    """The notices of one `participation.outcome_published` event (none for another)."""
    data = event.data
    if not isinstance(data, OutcomePublished):
        return []
    notices = []
    for person in data.people:
        contact = contacts.get(person.person_id)
        # Consent was checked by participation when it named them in the event.
        route = complainant_route(contact, _CONSENTED, person.channel)
        if route is None or contact is None:
            continue
        language = person.language
        context: dict[str, JsonValue] = {
            "office": office.context(language),
            "name": contact.name,
            "topic": _words(data.topic_th, data.topic_en, language),
            "you_said": _words(data.you_said_th, data.you_said_en, language),
            "we_did": _words(data.we_did_th, data.we_did_en, language),
            "status": data.status.value,
            "reason": data.reason,
            "fiscal_year": data.fiscal_year,
            "page_url": (
                f"{office.you_said_we_did_url}?fiscal_year={data.fiscal_year}&lang={language.value}"
            ),
        }
        notices.append(
            Notice(
                source_event_id=event.id,
                correlation_id=event.correlationid,
                recipient_role=RecipientRole.participant,
                recipient=route.address,
                channel=route.channel,
                template=TemplateName.outcome_published,
                language=language,
                context=context,
            )
        )
    return notices


def people_of(events: list[CloudEvent[Any]]) -> set[str]:
    """The person ids whose contacts planning `events` needs: one read for a batch."""
    return {
        p.person_id for e in events if isinstance(e.data, OutcomePublished) for p in e.data.people
    }
