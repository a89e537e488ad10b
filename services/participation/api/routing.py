"""The participation API's router: every route on it documents, with the problem body, the
refusals its signature implies, so a new route cannot forget them, and validates its JSON
body strictly (`StrictJsonRoute`). A route adds with `responses=refusals(...)` only the
errors its own logic raises (a status the record is in, a role a read needs)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_dependant
from fastapi.exceptions import RequestValidationError

from services.participation.api.access import current_principal
from services.participation.api.errors import DATABASE, refusals
from services.participation.domain.errors import DomainError, Forbidden, NotFound
from shared.infra.auth import InvalidCredentials
from shared.infra.http import StrictJsonRoute
from shared.infra.uploads import BodyTooLarge

Responses = dict[int | str, dict[str, Any]]


def _tree(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _tree(sub)


def implied(path: str, endpoint: Callable[..., Any]) -> list[type[Exception]]:
    """The errors any route of this shape can answer: the database's (every route reads
    it); 401 and 403 when it takes a signed-in caller (which roles may call what is the
    access matrix's, and it changes: a committee member reads only their committee);
    422 when it takes a parameter or a body; 404 when the path names a record."""
    parts = list(_tree(get_dependant(path=path, call=endpoint)))
    errors: list[type[Exception]] = [*DATABASE]
    if any(d.call is current_principal for d in parts):
        errors += [InvalidCredentials, Forbidden]
    if any(d.path_params or d.query_params or d.header_params or d.body_params for d in parts):
        errors += [RequestValidationError, DomainError]
    if any(d.body_params for d in parts):
        errors.append(BodyTooLarge)
    if any(d.path_params for d in parts):
        errors.append(NotFound)
    return errors


def _merged(implied: Responses, own: Responses) -> Responses:
    """The route's own entries win on what they say (a more specific description), and
    get the problem body and headers of the implied entry of the same status."""
    out = {status: dict(entry) for status, entry in implied.items()}
    for status, entry in own.items():
        both = out.get(status, {})
        out[status] = {**both, **entry}
        if "description" in both and "description" in entry:
            out[status]["description"] = f"{entry['description']} · {both['description']}"
    return out


#: The largest JSON body the participation API reads: a consultation or a survey with
#: every question is a few kilobytes, and a public opinion form takes anyone's request.
JSON_BODY_LIMIT = 256 * 1024


class _Route(StrictJsonRoute):
    body_limit = JSON_BODY_LIMIT


class ApiRouter(APIRouter):
    """An `APIRouter` for the participation API (see the module's docstring)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(route_class=_Route, **kwargs)

    def add_api_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        responses: Responses | None = None,
        **kwargs: Any,
    ) -> None:
        documented = _merged(refusals(*implied(self.prefix + path, endpoint)), responses or {})
        super().add_api_route(path, endpoint, responses=documented, **kwargs)
