"""Every operation of every service, generated from its OpenAPI by schemathesis and sent
with each caller, passes all of schemathesis's checks: every status it answers is
documented with its body, a request valid by the schema is never refused for its shape,
one invalid by it is refused, and an undeclared method is a 405 with `Allow`."""

from __future__ import annotations

import pytest
import schemathesis

from tests.contract.harness import Caller

intake = schemathesis.pytest.from_fixture("intake_api")
workflow = schemathesis.pytest.from_fixture("workflow_api")
reporting = schemathesis.pytest.from_fixture("reporting_api")
notifications = schemathesis.pytest.from_fixture("notifications_api")
participation = schemathesis.pytest.from_fixture("participation_api")

# Hypothesis warns when the global `random` changes while it draws a case: the services'
# own Kafka and MongoDB clients, running in schemathesis's event loop thread, use it.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")


@intake.parametrize()
def test_intake(case: schemathesis.Case, intake_caller: Caller) -> None:
    intake_caller.call_and_validate(case)


@workflow.parametrize()
def test_workflow(case: schemathesis.Case, workflow_caller: Caller) -> None:
    workflow_caller.call_and_validate(case)


@reporting.parametrize()
def test_reporting(case: schemathesis.Case, reporting_caller: Caller) -> None:
    reporting_caller.call_and_validate(case)


@notifications.parametrize()
def test_notifications(case: schemathesis.Case, notifications_caller: Caller) -> None:
    notifications_caller.call_and_validate(case)


@participation.parametrize()
def test_participation(case: schemathesis.Case, participation_caller: Caller) -> None:
    participation_caller.call_and_validate(case)
