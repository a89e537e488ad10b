"""How the staff pages read their plain forms: the consultation form's questions, one a
line, become the questions the API takes."""

from __future__ import annotations

from services.participation.domain.consultation import Question
from services.participation.web.staff_consultations import questions_of_form


def test_the_questions_textarea_writes_text_and_choice_questions() -> None:
    asked = questions_of_form("* พอใจอาหารกลางวันเพียงใด | พอใจ; พอใช้ ;ไม่พอใจ\n\nข้อเสนอแนะ\n")
    assert asked == [
        {
            "id": "q1",
            "kind": "choice",
            "text_th": "พอใจอาหารกลางวันเพียงใด",
            "required": True,
            "choices": [
                {"code": "c1", "label_th": "พอใจ"},
                {"code": "c2", "label_th": "พอใช้"},
                {"code": "c3", "label_th": "ไม่พอใจ"},
            ],
        },
        {"id": "q2", "kind": "text", "text_th": "ข้อเสนอแนะ", "required": False},
    ]


def test_every_question_written_is_one_the_domain_takes() -> None:
    for asked in questions_of_form("* ข้อ 1 | ก; ข\nข้อ 2\n*ข้อ 3"):
        Question.model_validate(asked)
