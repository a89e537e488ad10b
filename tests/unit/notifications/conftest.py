"""Fixtures for the notification tests; the data itself is in `sample.py`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from services.notifications.domain.case_facts import CaseFacts
from services.notifications.domain.office import Office, SurveyLinks
from shared.contract.catalogue import load_catalogue

from .sample import SURVEY_SECRET, opened_data


@pytest.fixture(scope="session")
def office() -> Office:
    return Office.with_catalogue(load_catalogue(), director="director.chaiwat")


@pytest.fixture(scope="session")
def survey_links() -> SurveyLinks:
    return SurveyLinks(
        url_template="https://siang.example.go.th/survey/{token}",
        secret=SURVEY_SECRET,
    )


@pytest.fixture
def facts() -> Callable[..., CaseFacts]:
    """Case facts as notifications knows them; keyword arguments override fields."""

    def build(**changes: Any) -> CaseFacts:
        base = CaseFacts.from_opened(opened_data()).model_dump()
        return CaseFacts.model_validate({**base, **changes})

    return build
