"""What a person reads when something is wrong, in Thai and English.

Pure: picks the language from Accept-Language, turns pydantic errors into one problem per
field (`contact.phone`, `occurred_on`, ...) with a message in that language, and holds the
texts of every other refusal the service can give.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shared.contract.events import Language

# (Thai, English); `{...}` placeholders are filled from the error's context.
_FIELD_TEXTS: dict[str, tuple[str, str]] = {
    "missing": ("จำเป็นต้องกรอก", "is required"),
    "extra_forbidden": ("ไม่รู้จักช่องข้อมูลนี้", "is not a known field"),
    "string_too_short": ("ต้องไม่ว่าง", "must not be empty"),
    "string_too_long": ("ยาวเกิน {max_length} ตัวอักษร", "must be at most {max_length} characters"),
    "string_type": ("ต้องเป็นข้อความ", "must be text"),
    "string_pattern_mismatch": ("มีอักขระที่ไม่อนุญาต", "contains characters that are not allowed"),
    "enum": ("ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: {expected}", "must be one of {expected}"),
    "literal_error": ("ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: {expected}", "must be one of {expected}"),
    "greater_than_equal": ("ต้องไม่น้อยกว่า {ge}", "must be at least {ge}"),
    "less_than_equal": ("ต้องไม่เกิน {le}", "must be at most {le}"),
    "float_parsing": ("ต้องเป็นตัวเลข", "must be a number"),
    "float_type": ("ต้องเป็นตัวเลข", "must be a number"),
    "finite_number": ("ต้องเป็นตัวเลข", "must be a number"),
    "bool_parsing": ("ต้องเป็นใช่หรือไม่ใช่", "must be true or false"),
    "bool_type": ("ต้องเป็นใช่หรือไม่ใช่", "must be true or false"),
    "date_parsing": ("ต้องเป็นวันที่ในรูปแบบ ปปปป-ดด-วว (ค.ศ.)", "must be a date as YYYY-MM-DD"),
    "date_type": ("ต้องเป็นวันที่ในรูปแบบ ปปปป-ดด-วว (ค.ศ.)", "must be a date as YYYY-MM-DD"),
    "date_from_datetime_parsing": (
        "ต้องเป็นวันที่ในรูปแบบ ปปปป-ดด-วว (ค.ศ.)",
        "must be a date as YYYY-MM-DD",
    ),
    "date_from_datetime_inexact": ("ต้องเป็นวันที่ ไม่มีเวลา", "must be a date without a time"),
    "model_type": ("ต้องเป็นออบเจกต์ JSON", "must be a JSON object"),
    "model_attributes_type": ("ต้องเป็นออบเจกต์ JSON", "must be a JSON object"),
    "dict_type": ("ต้องเป็นออบเจกต์ JSON", "must be a JSON object"),
    "json_invalid": ("ข้อมูลที่ส่งมาไม่ใช่ JSON ที่ถูกต้อง", "the body is not valid JSON"),
    "json_type": ("ข้อมูลที่ส่งมาไม่ใช่ JSON ที่ถูกต้อง", "the body is not valid JSON"),
    # Our own rules (raised as PydanticCustomError in domain/submission.py).
    "phone_format": (
        "ต้องเป็นหมายเลขโทรศัพท์ไทย เช่น 0812345678 หรือ 02-123-4567 หรือรูปแบบสากล +66...",
        "must be a Thai phone number like 0812345678 or 02-123-4567, or E.164 like +66...",
    ),
    "email_format": ("ต้องเป็นอีเมลที่ถูกต้อง", "must be an e-mail address"),
    "line_id_format": ("ต้องเป็น LINE ID ที่ถูกต้อง", "must be a LINE ID"),
    "coordinates_pair": (
        "ต้องระบุทั้งละติจูดและลองจิจูด หรือไม่ระบุทั้งคู่",
        "give both latitude and longitude, or neither",
    ),
    "complaint_type_required": (
        "เรื่องร้องเรียนต้องระบุประเภท (service หรือ misconduct)",
        "is required for a complaint (service or misconduct)",
    ),
    "complaint_type_forbidden": (
        "ระบุได้เฉพาะเรื่องร้องเรียนเท่านั้น",
        "is only for complaints",
    ),
    "unknown_category": ("ไม่มีหมวดหมู่ {code}", "there is no category {code}"),
    "kind_not_accepted": (
        "หมวดหมู่ {code} ไม่รับเรื่องประเภท {kind}",
        "category {code} does not accept {kind}",
    ),
    "date_in_future": ("ต้องไม่เป็นวันในอนาคต", "must not be in the future"),
    # An opinion on a consultation (domain/submission.py, domain/consultations.py).
    "only_with_consultation": (
        "ระบุได้เฉพาะความคิดเห็นต่อการรับฟังความคิดเห็น (consultation_id)",
        "only with consultation_id",
    ),
    "kind_not_for_consultation": (
        "ความคิดเห็นต่อการรับฟังความคิดเห็นต้องเป็นประเภท feedback หรือ suggestion",
        "only for feedback or suggestion",
    ),
    "consent_for_contact": (
        "ต้องยินยอมให้เก็บข้อมูลติดต่อ หรือเว้นข้อมูลติดต่อว่างไว้",
        "must be true to leave contact details, or leave them out",
    ),
    "unknown_consultation": (
        "ไม่มีการรับฟังความคิดเห็นที่เผยแพร่ด้วยรหัส {consultation_id}",
        "no published consultation has the id {consultation_id}",
    ),
    "group_not_asked": (
        "การรับฟังความคิดเห็นนี้ไม่ได้รับฟังกลุ่ม {group}",
        "this consultation does not ask the group {group}",
    ),
    "unknown_question": ("ไม่มีคำถามนี้ในการรับฟังความคิดเห็น", "is not a question of it"),
    "not_a_choice": ("ต้องเป็นตัวเลือกใดตัวเลือกหนึ่ง: {expected}", "must be one of {expected}"),
    "answer_required": ("ต้องตอบคำถามนี้", "must be answered"),
    # A staff-keyed entry (domain/staff_entry.py).
    "letter_date_format": (
        "ต้องเป็นวันที่ เช่น 5/3/2568 (พ.ศ.) หรือ 2025-03-05",
        "must be a date like 2025-03-05, or 5/3/2568 in B.E.",
    ),
    "letter_too_old": ("ต้องไม่ก่อนปี พ.ศ. {year}", "must not be before B.E. {year}"),
    "letter_required": (
        "หนังสือต้องระบุเลขที่หนังสือและลงวันที่",
        "a letter needs its number and date",
    ),
    "letter_only": ("ระบุได้เฉพาะช่องทางหนังสือ", "only for a letter"),
}
_FALLBACK = ("ข้อมูลไม่ถูกต้อง", "is not valid")

# Refusals that are not about a field: (Thai, English).
TEXTS: dict[str, tuple[str, str]] = {
    "invalid_submission": (
        "ข้อมูลบางช่องไม่ถูกต้อง กรุณาแก้ไขแล้วส่งใหม่",
        "Some fields are not valid; please correct them and send again.",
    ),
    "channel_not_in_body": (
        "ไม่ต้องส่งช่องทาง ระบบกำหนดจากกุญแจ API ของผู้ส่ง",
        "do not send channel: it comes from your API key",
    ),
    "payload_too_large": (
        "ข้อมูลที่ส่งมีขนาดเกิน {limit} KiB",
        "The body is larger than {limit} KiB.",
    ),
    "unsupported_media_type": (
        "ต้องส่งข้อมูลแบบ application/json",
        "Send the body as application/json.",
    ),
    "rate_limited": (
        "ส่งเรื่องถี่เกินไป กรุณาลองใหม่ในอีก {retry_after} วินาที",
        "Too many submissions; try again in {retry_after} seconds.",
    ),
    "unavailable": (
        "ระบบไม่สามารถบันทึกเรื่องได้ชั่วคราว กรุณาลองใหม่ในอีก {retry_after} วินาที",
        "We cannot record submissions right now; try again in {retry_after} seconds.",
    ),
    "invalid_api_key": ("กุญแจ API ไม่ถูกต้องหรือถูกเพิกถอน", "The API key is invalid or revoked."),
    "invalid_idempotency_key": (
        "Idempotency-Key ต้องเป็นอักขระ ASCII ที่มองเห็นได้ 1-255 ตัว",
        "Idempotency-Key must be 1-255 visible ASCII characters.",
    ),
    "idempotency_key_reused": (
        "Idempotency-Key นี้เคยใช้กับข้อมูลอื่นแล้ว กรุณาใช้คีย์ใหม่สำหรับเรื่องใหม่",
        "This Idempotency-Key was already used with a different body; "
        "use a new key for a new submission.",
    ),
    "invalid_tracking_code": (
        "รหัสติดตามไม่ถูกต้อง กรุณาตรวจสอบอีกครั้ง",
        "That tracking code is not valid; please check it.",
    ),
    "tracking_not_found": (
        "ไม่พบเรื่องตามรหัสติดตามและ PIN ที่ระบุ",
        "No submission matches that tracking code and PIN.",
    ),
    "tracking_locked": (
        "ใส่ PIN ผิดหลายครั้งเกินไป รหัสติดตามนี้ถูกระงับการตรวจสอบชั่วคราว กรุณาลองใหม่ในอีก {minutes} นาที",
        "Too many wrong PINs: this tracking code is locked for now. "
        "Try again in {minutes} minute{plural}.",
    ),
    "pin_required": ("กรุณาระบุ PIN 6 หลัก", "Give the 6-digit PIN."),
    "case_closed": (
        "เรื่องนี้ปิดแล้ว จึงไม่รับข้อมูลเพิ่มเติมหรือการถอนเรื่อง หากมีเรื่องใหม่ กรุณาแจ้งเรื่องใหม่",
        "This case is closed: it takes no more information and cannot be withdrawn. "
        "If something new has happened, please send a new submission.",
    ),
    "not_withdrawable_withdrawn": (
        "ท่านได้ขอถอนเรื่องนี้แล้ว สำนักงานกำลังปิดเรื่อง",
        "You have already withdrawn this case; the office is closing it.",
    ),
    "not_withdrawable_resolved": (
        "สำนักงานได้ตอบเรื่องนี้แล้ว จึงถอนเรื่องไม่ได้ หากยังไม่ได้รับการแก้ไข กรุณาตอบแบบสอบถามความพึงพอใจ",
        "The office has already answered this case, so it cannot be withdrawn. If it is "
        "not solved, say so in the satisfaction survey.",
    ),
    "consultation_not_open": (
        "การรับฟังความคิดเห็นนี้ไม่รับความคิดเห็นในขณะนี้ ({state_th} วันสุดท้าย {closes_on})",
        "This consultation takes no opinions now ({state}, last day {closes_on}).",
    ),
    "file_too_many": (
        "แนบไฟล์ได้ไม่เกิน {count} ไฟล์",
        "You can attach at most {count} files.",
    ),
    "file_too_large": (
        "ไฟล์ {field} มีขนาดเกิน {limit} MB ต่อไฟล์",
        "The file {field} is larger than {limit} MB.",
    ),
    "file_type": (
        "ไฟล์ {field} ไม่ใช่รูปภาพ JPEG หรือ PNG หรือเอกสาร PDF",
        "The file {field} is not a JPEG or PNG photo or a PDF document.",
    ),
    "not_a_form": (
        "ต้องส่งข้อมูลแบบฟอร์ม (multipart/form-data)",
        "Send the body as a form (multipart/form-data).",
    ),
    "staff_entry_only": (
        "ช่องทาง {channel} บันทึกโดยเจ้าหน้าที่ที่ลงชื่อเข้าใช้ผ่านระบบงานเจ้าหน้าที่เท่านั้น",
        "The {channel} channel is keyed in by a signed-in member of staff, through the console.",
    ),
    "sign_in_required": ("กรุณาลงชื่อเข้าใช้", "Sign in first."),
    "staff_role_required": (
        "เฉพาะเจ้าหน้าที่ หัวหน้าหน่วยงาน และผู้ดูแลระบบบันทึกเรื่องแทนผู้ร้องได้",
        "Only staff, supervisors and admins key in submissions.",
    ),
    "not_found": ("ไม่พบหน้าที่ต้องการ", "Not found."),
    "method_not_allowed": ("ไม่รองรับวิธีเรียกนี้", "Method not allowed."),
    "internal": (
        "เกิดข้อผิดพลาด กรุณาลองใหม่ในอีก {retry_after} วินาที",
        "Something went wrong; try again in {retry_after} seconds.",
    ),
}


def language_of(accept_language: str | None, default: Language = Language.th) -> Language:
    """The best of th/en for an Accept-Language header (q-values honoured)."""
    if not accept_language:
        return default
    best: tuple[float, int, Language] | None = None
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in ("th", "en"):
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if quality <= 0:
            continue
        candidate = (quality, -position, Language(primary))
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else default


def text(code: str, language: Language, **values: Any) -> str:
    th, en = TEXTS[code]
    return (th if language == Language.th else en).format(**values)


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


def _field_name(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc) or "body"


def _expected(ctx: Mapping[str, Any]) -> dict[str, Any]:
    # pydantic quotes choices as "'a', 'b' or 'c'": show them without the quotes.
    values = dict(ctx)
    if isinstance(values.get("expected"), str):
        values["expected"] = values["expected"].replace("'", "")
    return values


def field_problems(errors: Sequence[Mapping[str, Any]], language: Language) -> list[FieldProblem]:
    """One problem per pydantic error (`ValidationError.errors()`), worded for a person."""
    problems = []
    for error in errors:
        loc = tuple(error.get("loc", ()))
        code = str(error.get("type", "value_error"))
        field = _field_name(loc)
        if code == "extra_forbidden" and loc == ("channel",):
            code = "channel_not_in_body"
            th, en = TEXTS[code]
        else:
            th, en = _FIELD_TEXTS.get(code, _FALLBACK)
        template = th if language == Language.th else en
        try:
            message = template.format(**_expected(error.get("ctx") or {}))
        except (KeyError, IndexError):
            message = template
        problems.append(FieldProblem(field=field, code=code, message=message))
    return problems
