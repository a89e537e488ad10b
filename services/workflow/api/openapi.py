"""The workflow's OpenAPI names what its catalogue allows: a unit or category that the
office does not have is refused, so the schema lists the ones it has (they come from
the catalogue the process loaded, not from the code); what JSON Schema cannot say (one
field against another) is said in words."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from shared.contract.catalogue import Catalogue

Schemas = dict[str, dict[str, Any]]


def _one_of(codes: list[str]) -> dict[str, Any]:
    return {"type": "string", "enum": codes}


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def restrict(schemas: Schemas, catalogue: Catalogue) -> None:
    """Narrow the request models' unit and category fields to the catalogue's codes."""
    units = _one_of([u.code for u in catalogue.units])
    categories = _one_of([c.code for c in catalogue.categories])

    def field(model: str, name: str) -> dict[str, Any]:
        return schemas[model]["properties"][name]  # type: ignore[no-any-return]

    field("StaffUpdate", "unit").update(_or_null(units))
    field("MisconductRules", "unit").update(_or_null(units))
    field("RoutingUpdate", "category_units").update(
        propertyNames=categories, additionalProperties=units
    )
    field("PriorityRules", "by_category")["propertyNames"] = categories
    for model in ("SlaPolicyUpdate", "SlaRuleUpdate"):
        schemas[model]["description"] = (
            f"{schemas[model].get('description', '')} Business days, with "
            "acknowledge <= first_response <= resolution (a missing one counts at its default)."
        ).strip()
    field("StaffUpdate", "absences")["description"] = "Each absence ends on or after its start."


def document_catalogue(app: FastAPI, catalogue: Catalogue) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            restrict(build()["components"]["schemas"], catalogue)
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
