"""Words of intake's admin pages (channel keys), in Thai and English."""

from __future__ import annotations

from shared.contract.vocabulary import CHANNEL_LABELS, keyed

_TEXTS: dict[str, tuple[str, str]] = {
    "switch": ("English", "ภาษาไทย"),
    "keys_title": ("กุญแจ API ของช่องทาง", "Channel API keys"),
    "keys_intro": (
        "ระบบของคู่ความร่วมมือและเกตเวย์ (LINE อีเมล Facebook Open311 API) ส่งเรื่องเข้ามาด้วยกุญแจของช่องทางตน "
        "ระบบเก็บเฉพาะค่าแฮชของกุญแจ จึงแสดงกุญแจได้ครั้งเดียวตอนสร้าง "
        "กุญแจที่ยกเลิกแล้วจะใช้ไม่ได้ในทุกเครื่องภายใน {seconds} วินาที",
        "Partner systems and gateways (LINE, e-mail, Facebook, Open311, API) submit with "
        "their channel's key. Only a hash of each key is kept, so a key is shown once, when "
        "it is created. A revoked key stops working on every server within {seconds} seconds.",
    ),
    "console": ("คอนโซลเจ้าหน้าที่", "Staff console"),
    "signed_in_as": ("เข้าสู่ระบบในชื่อ", "Signed in as"),
    "key_id": ("รหัสกุญแจ", "Key id"),
    "label": ("ผู้ถือกุญแจ", "Held by"),
    "label_hint": (
        "ระบบหรือหน่วยงานที่จะใช้กุญแจ เช่น เกตเวย์ LINE OA",
        "The system or party that will use it, e.g. LINE OA gateway",
    ),
    "channel": ("ช่องทาง", "Channel"),
    "created": ("สร้างเมื่อ", "Created"),
    "created_by": ("สร้างโดย", "Created by"),
    "state": ("สถานะ", "State"),
    "active": ("ใช้งานได้", "Active"),
    "revoked_on": ("ยกเลิกเมื่อ {when} โดย {who}", "Revoked {when} by {who}"),
    "command_line": ("บรรทัดคำสั่ง", "command line"),
    "unknown": ("ไม่ทราบ", "unknown"),
    "none_yet": ("ยังไม่มีกุญแจ", "No keys yet."),
    "create": ("สร้างกุญแจใหม่", "Create a key"),
    "create_button": ("สร้างกุญแจ", "Create key"),
    "revoke": ("ยกเลิก", "Revoke"),
    "revoke_title": ("ยกเลิกกุญแจ {key_id}", "Revoke key {key_id}"),
    "revoke_warning": (
        "เมื่อยกเลิกแล้ว ระบบที่ใช้กุญแจนี้จะส่งเรื่องเข้ามาไม่ได้อีก และยกเลิกการยกเลิกไม่ได้ "
        "หากยังต้องการให้ส่งได้ ให้สร้างกุญแจใหม่และส่งให้ผู้ถือก่อน",
        "Once revoked, whoever uses this key can no longer submit, and it cannot be undone. "
        "If they still need to submit, create a new key and give it to them first.",
    ),
    "revoke_confirm": ("ยืนยันการยกเลิกกุญแจ", "Yes, revoke this key"),
    "cancel": ("กลับ ไม่ยกเลิก", "No, go back"),
    "revoked_done": ("ยกเลิกกุญแจ {key_id} แล้ว", "Key {key_id} revoked."),
    "created_title": ("สร้างกุญแจแล้ว", "Key created"),
    "secret_once": (
        "คัดลอกกุญแจนี้ไปเก็บไว้ในที่ปลอดภัยตอนนี้ ระบบจะไม่แสดงกุญแจนี้อีก",
        "Copy this key somewhere safe now: it will not be shown again.",
    ),
    "copy_hint": (
        "เลือกข้อความทั้งหมดในช่อง (คลิกในช่องแล้วกด Ctrl+A หรือ ⌘A) แล้วคัดลอก (Ctrl+C หรือ ⌘C) "
        "ส่งให้ผู้ถือทางช่องทางที่ปลอดภัย ใส่ในหัว X-API-Key ของทุกคำขอ",
        "Select all of it (click in the box, then Ctrl+A or ⌘A) and copy it (Ctrl+C or ⌘C). "
        "Give it to its holder by a safe route; it goes in the X-API-Key header of each request.",
    ),
    "the_key": ("กุญแจ API", "API key"),
    "back_to_keys": ("กลับไปที่รายการกุญแจ", "Back to the keys"),
    "sign_in_again": ("เข้าสู่ระบบด้วยบัญชีอื่น", "Sign in as someone else"),
    "forbidden": (
        "หน้านี้สำหรับผู้ดูแลระบบ (admin) เท่านั้น",
        "This page is for administrators (role admin) only.",
    ),
    "not_found": ("ไม่พบกุญแจที่ใช้งานได้รหัสนี้", "No active key has this id."),
    "csrf": (
        "แบบฟอร์มหมดอายุหรือไม่ได้มาจากหน้านี้ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
        "The form has expired or did not come from this page; reload it and try again.",
    ),
    "busy": (
        "ฐานข้อมูลไม่ตอบสนองในขณะนี้ กรุณาลองใหม่ในอีกสักครู่",
        "The database is not answering just now; try again in a moment.",
    ),
    "problem": ("กรุณาแก้ไข", "Please correct this"),
    "refused.channel": ("ช่องทางนี้ไม่ใช้กุญแจ", "This channel takes no key."),
    "refused.label": (
        "กรุณาระบุผู้ถือกุญแจ ไม่เกิน 100 ตัวอักษร",
        "Say who will hold the key, in at most 100 characters.",
    ),
    "sign_in_first": ("กรุณาเข้าสู่ระบบก่อน", "Please sign in first."),
    **keyed("channel", CHANNEL_LABELS),
}


class AdminTexts:
    """`t["keys_title"]` in the admin templates: the text in the page's language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getitem__(self, key: str) -> str:
        th, en = _TEXTS.get(key, (key, key))
        return th if self.lang == "th" else en
