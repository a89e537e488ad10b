"""The participation OpenAPI names what the office's configuration allows: a stakeholder
group or a unit the office does not have is refused, so the schema lists the ones it has
(from the files the process loaded, not from the code); what JSON Schema cannot say (one
field against another, a field against the records on file) is said in words."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from services.participation.domain.consultation import MAX_DAYS
from services.participation.domain.plan import StakeholderGroups

Schemas = dict[str, dict[str, Any]]

#: Said of a date the service refuses when it is after today in Bangkok (the contract
#: run's generator knows this format).
PAST_DATE = "past-date"


def _describe(schema: dict[str, Any], words: str) -> None:
    schema["description"] = f"{schema.get('description', '')} {words}".strip()


def _past_date(field: dict[str, Any]) -> None:
    for branch in field.get("anyOf", [field]):
        if branch.get("format") == "date":
            branch["format"] = PAST_DATE


def restrict(
    schemas: Schemas,
    groups: StakeholderGroups,
    units: frozenset[str],
    categories: frozenset[str] = frozenset(),
) -> None:
    """Narrow the request models' group and unit fields to the configured codes, and say
    the rules between fields."""
    group_codes = {"type": "string", "enum": sorted(groups.codes())}

    def field(model: str, name: str) -> dict[str, Any]:
        return schemas[model]["properties"][name]  # type: ignore[no-any-return]

    field("ConsultationDraft", "groups").update(items=group_codes, uniqueItems=True)
    field("MissionItem", "groups").update(items=group_codes, uniqueItems=True)
    field("NewMember", "group").update(group_codes)
    field("OpinionBody", "group").update(group_codes)
    field("MissionSurveyDraft", "group").update(group_codes)
    field("OutcomeDraft", "owner_unit").update(type="string", enum=sorted(units))
    unit_codes = {"type": "string", "enum": sorted(units)}
    unit_field = field("ComplaintPattern", "unit")
    unit_field["anyOf"] = [unit_codes, {"type": "null"}]
    if categories:
        field("ComplaintPattern", "category").update(type="string", enum=sorted(categories))
    _describe(
        schemas["OutcomeDraft"],
        "Exactly one basis: `consultation_id` (with `opinion_ids` of it, if any), "
        "`resolution` (a committee, one of its meetings and the number of a resolution "
        "taken there, all on file, else 409 naming the field) or `complaints` (a category's "
        "complaints received in one round of a fiscal year, counted from the reports). "
        "`mission_item` is the plan's item of the basis's fiscal year (else 409); a "
        "consultation's outcome takes the consultation's own and names none, one answering "
        "a resolution that names no item, or complaints, names it (else 422).",
    )
    for model in ("OutcomeDraft", "OutcomeChange"):
        _past_date(field(model, "done_on"))
        _describe(
            schemas[model],
            "`reason` is required when the status is `not_adopted`; "
            "`done_on` is not after today (Bangkok).",
        )
    _describe(
        schemas["ConsultationDraft"],
        f"`closes_on` is on or after `opens_on` and at most {MAX_DAYS} days later; question "
        "ids are distinct; a `choice` question has at least two choices with distinct codes, "
        "a `text` question none. `mission_item` is an active item of the plan of the fiscal "
        "year `opens_on` falls in (else 409, naming the field).",
    )
    _describe(
        schemas["CommitteeDraft"],
        "`term_ends_on`, when given, is on or after `term_starts_on`; the order is signed "
        "on or before the term starts.",
    )
    _describe(
        schemas["NewMember"],
        "`starts_on` falls in the committee's term and `ends_on` is on or after it; "
        "one active chair and one active secretary at a time (else 409).",
    )
    _describe(
        schemas["OpinionBody"],
        "`group` is one the consultation asks; each key of `answers` is one of its question "
        "ids, a choice question's answer one of its choice codes, and its required questions "
        "are answered (the consultation's page says them; else 422 naming the field).",
    )
    _describe(
        schemas["MissionPlan"],
        "Item codes are distinct; `fiscal_year` is the path's; an item on file is never left "
        "out (saved with `active: false` instead, else 409).",
    )
    _describe(
        schemas["MissionSurveyDraft"],
        f"`closes_on` is on or after `opens_on` and at most {MAX_DAYS} days later; item and "
        "question ids are distinct (across both). `mission_item` is an active item of the "
        "plan of the fiscal year `opens_on` falls in (else 409, naming the field).",
    )
    _describe(
        schemas["SurveyAnswerBody"],
        "Each key of `scores` is one of the survey's item ids and each key of `texts` one of "
        "its question ids (its page says them; else 422 naming the field); at least one is "
        "answered. `token` is a per-person link the office signed for this survey (422 if "
        "not; 409 once expired or answered).",
    )
    _describe(
        schemas["MissionItem"],
        "`code`, when the path names an item, is the path's. `groups`, `practices`, "
        "`channels` and the process say how stakeholders take part in the item (published "
        "on `/missions`); a practice or channel given twice counts once.",
    )


def document_config(
    app: FastAPI,
    groups: StakeholderGroups,
    units: frozenset[str],
    categories: frozenset[str] = frozenset(),
) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            restrict(build()["components"]["schemas"], groups, units, categories)
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
