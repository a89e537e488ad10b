"""Every staff account role has a role in the case lifecycle: a case view or command by
an account whose role had none raised a KeyError (a 500) instead of an answer."""

from __future__ import annotations

import pytest

from services.workflow.api.cases import ROLE
from services.workflow.domain.lifecycle import Role, allowed_commands
from shared.contract.events import CaseStatus
from shared.infra.auth import StaffRole


@pytest.mark.parametrize("staff_role", list(StaffRole))
def test_every_account_role_has_a_lifecycle_role(staff_role: StaffRole) -> None:
    assert ROLE[staff_role] == Role(staff_role.value)


@pytest.mark.parametrize("status", list(CaseStatus))
def test_a_participation_coordinator_is_offered_no_command_on_a_case(status: CaseStatus) -> None:
    assert ROLE[StaffRole.participation] is Role.participation
    assert allowed_commands(status, ROLE[StaffRole.participation]) == []
