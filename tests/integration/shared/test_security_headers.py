"""Every service answers with the security headers: its pages, its API (answers and
refusals), its operational endpoints, and its API docs (with the docs' own policy)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shared.infra.auth import AuthSettings
from shared.infra.http import DOCS_POLICY, PAGE_POLICY
from shared.infra.settings import KafkaSettings, MongoSettings
from shared.infra.sign_in import sign_in_form_policy
from tests.integration.shared.test_readiness import FACTORIES, _settings

SIGN_IN = "/console/login"
#: A page (or, for notifications, which has none, an API refusal) of each service.
PAGES = {
    "intake": "/",
    "workflow": SIGN_IN,
    "notifications": "/v1/nothing-here",
    "reporting": "/transparency",
}
#: An API answer that refuses the caller.
REFUSALS = {
    "intake": "/v1/nothing-here",
    "workflow": "/v1/auth/me",
    "notifications": "/v1/nothing-here",
    "reporting": "/v1/reports/summary",
}


@pytest.mark.parametrize("service", sorted(FACTORIES))
def test_every_answer_of_every_service_carries_the_security_headers(
    service: str, kafka_settings: KafkaSettings, mongo_settings: MongoSettings
) -> None:
    app = FACTORIES[service](_settings(service, kafka_settings, mongo_settings))
    with TestClient(app) as client:
        answers = {
            path: client.get(path)
            for path in ("/healthz", "/openapi.json", PAGES[service], REFUSALS[service])
        }
        docs = client.get("/docs")
    assert answers[REFUSALS[service]].status_code in {401, 404}
    for path, answer in [*answers.items(), ("/docs", docs)]:
        headers = answer.headers
        assert headers["x-frame-options"] == "DENY", (service, path)
        assert headers["x-content-type-options"] == "nosniff", (service, path)
        assert headers["referrer-policy"] == "no-referrer", (service, path)
        expected = DOCS_POLICY if path == "/docs" else PAGE_POLICY
        if path == SIGN_IN:
            # The one sign-in's form may lead on to the other services' pages, no further.
            expected = sign_in_form_policy(AuthSettings())
        assert headers["content-security-policy"] == expected, (service, path)
    assert docs.status_code == 200 and "swagger-ui" in docs.text
