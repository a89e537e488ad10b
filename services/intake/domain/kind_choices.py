"""What a menu offers as the kind of a submission, a complaint split by what it is about:
the LINE conversation's quick replies and Open311's service list, in Thai and English.

The kinds but a complaint are the vocabulary's words. A complaint's two choices keep
short words of their own: a LINE quick reply label holds 20 characters at most, and the
vocabulary's complaint types ("การประพฤติมิชอบของเจ้าหน้าที่") are written to stand on a
page after the question they answer, not as a menu item."""

from __future__ import annotations

from typing import Final

from shared.contract.events import Kind
from shared.contract.vocabulary import KIND_LABELS

KIND_CHOICES: Final[dict[str, tuple[str, str]]] = {
    "complaint:service": ("ร้องเรียนการบริการ", "Complaint: service"),
    "complaint:misconduct": ("ร้องเรียนเจ้าหน้าที่", "Complaint: staff"),
    **{
        kind.value: (label.th, label.en)
        for kind, label in KIND_LABELS.items()
        if kind is not Kind.complaint
    },
}
