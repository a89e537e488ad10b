"""The words a reader sees for statuses, closing reasons, clocks, kinds and priorities.

Templates get the table of their language as `labels`, so a Thai message never shows
`awaiting_info` and an English one never shows Thai. Statuses and priorities are called
what every page calls them, and deadlines are its words made to stand inside a sentence
(`shared.contract.vocabulary`); the other words here are written to be read inside a
sentence of a letter.
"""

from __future__ import annotations

from typing import Final

from shared.contract.events import Language
from shared.contract.vocabulary import CLOCK_LABELS, PRIORITY_LABELS, STATUS_LABELS, in_language

Labels = dict[str, dict[str, str]]

_TH: Final[Labels] = {
    "status": in_language(STATUS_LABELS, Language.th),
    "close_reason": {
        "resolved": "ดำเนินการแล้วเสร็จ",
        "duplicate": "เป็นเรื่องเดียวกับเรื่องที่สำนักงานได้รับไว้แล้ว",
        "referred": "ส่งต่อให้หน่วยงานที่มีอำนาจหน้าที่โดยตรง",
        "not_in_scope": "ไม่อยู่ในอำนาจหน้าที่ของสำนักงาน",
        "rejected": "ไม่อาจรับไว้พิจารณาได้",
        "withdrawn": "ผู้ยื่นเรื่องขอถอนเรื่อง",
    },
    # A deadline read inside a sentence: "เรื่องเกินกำหนดการแจ้งผลเบื้องต้น".
    "clock": {clock.value: f"การ{label.th}" for clock, label in CLOCK_LABELS.items()},
    "kind": {
        "complaint": "เรื่องร้องเรียน",
        "feedback": "ข้อคิดเห็น",
        "suggestion": "ข้อเสนอแนะ",
        "compliment": "คำชมเชย",
        "question": "ข้อสอบถาม",
    },
    # Who the letter is addressed to when we do not have (or may not use) a name.
    "addressee": {
        "complaint": "ผู้ร้องเรียน",
        "feedback": "ผู้แสดงความคิดเห็น",
        "suggestion": "ผู้เสนอแนะ",
        "compliment": "ผู้ส่งคำชมเชย",
        "question": "ผู้สอบถาม",
    },
    "priority": in_language(PRIORITY_LABELS, Language.th),
}

_EN: Final[Labels] = {
    "status": in_language(STATUS_LABELS, Language.en),
    "close_reason": {
        "resolved": "Resolved",
        "duplicate": "The same matter as a case the office already has",
        "referred": "Referred to the agency responsible",
        "not_in_scope": "Outside the office's remit",
        "rejected": "Cannot be accepted for consideration",
        "withdrawn": "Withdrawn at your request",
    },
    # "The first response for case ... is now overdue."
    "clock": {clock.value: label.en.lower() for clock, label in CLOCK_LABELS.items()},
    "kind": {
        "complaint": "complaint",
        "feedback": "feedback",
        "suggestion": "suggestion",
        "compliment": "compliment",
        "question": "question",
    },
    "addressee": {
        "complaint": "Sir or Madam",
        "feedback": "Sir or Madam",
        "suggestion": "Sir or Madam",
        "compliment": "Sir or Madam",
        "question": "Sir or Madam",
    },
    "priority": in_language(PRIORITY_LABELS, Language.en),
}

LABELS: Final[dict[Language, Labels]] = {Language.th: _TH, Language.en: _EN}


def labels_for(language: Language) -> Labels:
    """The label tables of `language`."""
    return LABELS[language]
