"""The access matrix (`matrix.py`) names every route of every service, and each role gets
from each route exactly what it says, on the real services."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI

import services
from tests.integration.access.calls import BODY, CALLS, Call, Who
from tests.integration.access.matrix import MATRIX, ROLES
from tests.integration.access.office import (
    ACCOUNTS,
    SERVICES,
    Office,
    fixtures,
    outcome,
    route_keys,
)


def factories() -> dict[str, Callable[[], FastAPI]]:
    """Every service's `create_app`, found on disk: a new service is in the matrix too."""
    found = {}
    for app_py in sorted(Path(services.__file__).parent.glob("*/app.py")):
        module = importlib.import_module(f"services.{app_py.parent.name}.app")
        found[app_py.parent.name] = module.create_app
    return found


def test_the_matrix_names_every_route_and_no_other() -> None:
    """A new route (or service) fails here until its row says who may call it."""
    assert set(factories()) == set(SERVICES), "a service the access harness does not run"
    served = set().union(*(route_keys(make(), name) for name, make in factories().items()))
    assert sorted(served - MATRIX.keys()) == [], "routes without a row in matrix.py"
    assert sorted(MATRIX.keys() - served) == [], "rows of matrix.py for routes that are gone"
    assert sorted(CALLS.keys() - served) == [], "calls.py names routes that are gone"
    plain = {k for k in served if k.split()[1] != "GET" or "{" in k}
    assert sorted(plain - CALLS.keys()) == [], "routes that need a call in calls.py"


async def test_every_role_gets_what_the_matrix_says_from_every_route(office: Office) -> None:
    fx = await fixtures(office, BODY)
    found: dict[str, dict[str, str | int]] = {}
    for key, expected in MATRIX.items():
        service, method, path = key.split(" ", 2)
        for role in ROLES:
            token = await office.token(ACCOUNTS[role]) if role in ACCOUNTS else None
            build = CALLS.get(key)
            call = build(fx, Who(role, token)) if build else Call(method, path)
            assert (call.method, service) == (method, key.split()[0])
            r = await office.send(
                service,
                role,
                method=call.method,
                path=call.path,
                params=call.params,
                json=call.json,
                form=call.form,
                page=call.page,
                csrf_form=call.csrf,
                signing_in=call.signing_in,
                token=token,
                content=call.content,
                extra_headers=call.headers,
                files=call.files,
            )
            got = outcome(r)
            if got != expected[role]:
                found.setdefault(key, {})[role] = (
                    f"{got} (expected {expected[role]}): {r.text[:200]}"
                )
    assert found == {}, "\n".join(f"{k} {v}" for k, v in found.items())
