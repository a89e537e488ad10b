"""A route on the participation API's router documents, with the problem body, the
refusals its signature implies, and keeps what it declares itself: a new route cannot
leave out a status it answers."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from services.participation.api.access import Caller
from services.participation.api.errors import refusals
from services.participation.api.routing import ApiRouter
from services.participation.domain.errors import IllegalTransition


class Body(BaseModel):
    name: str


def _spec() -> dict[str, Any]:
    router = ApiRouter(prefix="/v1/things", tags=["things"])

    @router.get("")
    async def public_list() -> dict[str, str]:
        return {}

    @router.post("/{thing_id}", responses=refusals(IllegalTransition))
    async def change(thing_id: str, body: Body, caller: Caller) -> dict[str, str]:
        return {}

    app = FastAPI()
    app.include_router(router)
    return app.openapi()


def test_a_signed_in_route_with_an_id_and_a_body_documents_each_refusal() -> None:
    answers = _spec()["paths"]["/v1/things/{thing_id}"]["post"]["responses"]
    assert {"401", "403", "404", "409", "422", "503"} <= set(answers)
    assert answers["401"]["headers"]["WWW-Authenticate"]["required"]
    assert answers["503"]["headers"]["Retry-After"]["required"]
    problem = {"$ref": "#/components/schemas/Problem"}
    assert all(
        answers[s]["content"]["application/json"]["schema"] == problem
        for s in answers
        if s != "200"
    )
    # Its own 409 is said first, the database's after it.
    assert answers["409"]["description"].startswith("Not allowed in the record's status")


def test_a_public_route_without_parameters_documents_only_the_database() -> None:
    answers = _spec()["paths"]["/v1/things"]["get"]["responses"]
    assert set(answers) == {"200", "503"}  # unreachable or busy: both 503
