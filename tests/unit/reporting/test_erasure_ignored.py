"""Reporting holds no personal data: an erasure changes no figure."""

from __future__ import annotations

from services.reporting.domain.reducers import case_id_of, reduce
from shared.contract.events import CasePersonalDataErased, LegalBasis, make_event


def test_an_erasure_changes_no_aggregate() -> None:
    event = make_event(
        CasePersonalDataErased(
            case_id="c-1", person_id="p-1", erasure_id="e-1", legal_basis=LegalBasis.retention
        ),
        source="/siang/workflow",
        subject="c-1",
    )
    assert case_id_of(event) is None
    reduction = reduce(event, None)
    assert reduction.new_facts is None and list(reduction.updates) == []
