"""Words of the staff console, in Thai and English."""

from __future__ import annotations

from shared.contract.vocabulary import (
    CHANNEL_LABELS,
    CLOCK_LABELS,
    CLOSE_REASON_LABELS,
    COMPLAINT_TYPE_LABELS,
    KIND_LABELS,
    PRIORITY_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    keyed,
)

# The console's English badges and timeline are in lower case ("→ resolved"), like its
# priorities; the words are the shared ones.
_STATUSES = {key: (th, en.lower()) for key, (th, en) in keyed("status", STATUS_LABELS).items()}

_T: dict[str, tuple[str, str]] = {
    "console": ("ระบบจัดการเรื่องร้องเรียน", "Case console"),
    "switch": ("English", "ภาษาไทย"),
    "login": ("เข้าสู่ระบบ", "Sign in"),
    "logout": ("ออกจากระบบ", "Sign out"),
    "username": ("ชื่อผู้ใช้", "Username"),
    "password": ("รหัสผ่าน", "Password"),
    "bad_login": ("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "Wrong username or password"),
    "locked": (
        "ลงชื่อเข้าใช้ผิดหลายครั้งเกินไป กรุณารอ {minutes} นาทีแล้วลองใหม่",
        "Too many failed sign-ins. Wait {minutes} minutes and try again.",
    ),
    "sign_out_everywhere": ("ออกจากระบบทุกเครื่อง", "Sign out everywhere"),
    "csrf": (
        "แบบฟอร์มนี้หมดอายุหรือไม่ได้ส่งมาจากหน้านี้ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
        "This form has expired or did not come from this site. Reload the page and try again.",
    ),
    "mine": ("เรื่องของฉัน", "My cases"),
    "unit": ("เรื่องในกลุ่มงาน", "Unit queue"),
    "all": ("ทั้งหมด", "All"),
    "open": ("ยังไม่ปิด", "Open"),
    "overdue": ("เกินกำหนด", "Overdue"),
    "tracking": ("รหัสติดตาม", "Tracking code"),
    "subject": ("เรื่อง", "Subject"),
    "status": ("สถานะ", "Status"),
    "priority": ("ความเร่งด่วน", "Priority"),
    "assignee": ("ผู้รับผิดชอบ", "Assignee"),
    "due": ("กำหนดตอบ", "Answer due"),
    "received": ("วันที่รับเรื่อง", "Received"),
    "kind": ("ประเภท", "Kind"),
    "category": ("หมวดหมู่", "Category"),
    "channel": ("ช่องทาง", "Channel"),
    "description": ("รายละเอียด", "Description"),
    "contact": ("ผู้ร้อง", "Complainant"),
    "anonymous": ("ไม่ประสงค์ออกนาม หรือไม่ยินยอมให้ติดต่อ", "Anonymous, or no consent to contact"),
    "deadlines": ("กำหนดเวลา", "Deadlines"),
    "timeline": ("ลำดับเหตุการณ์", "Timeline"),
    "actions": ("ดำเนินการ", "Actions"),
    "none": ("ไม่มีเรื่อง", "No cases"),
    "next": ("หน้าถัดไป", "Next page"),
    "back": ("กลับไปหน้ารายการ", "Back to the list"),
    "public_answer": ("คำตอบถึงผู้ร้อง (ผู้ร้องเห็นข้อความนี้)", "Answer to the complainant (they see it)"),
    "public_reason": ("ข้อความถึงผู้ร้อง (ผู้ร้องเห็นข้อความนี้)", "Message to the complainant (they see it)"),
    "reason": ("เหตุผล (ภายใน)", "Reason (internal)"),
    "text": ("ข้อความ", "Text"),
    "internal": ("บันทึกภายใน", "Internal note"),
    "public": ("แจ้งผู้ร้อง", "Tell the complainant"),
    "into_case_id": (
        "รหัสติดตามของเรื่องเดิมที่เรื่องนี้ซ้ำ (เช่น SG-7KQ4-M9XT-3PW5)",
        "Tracking code of the case this one repeats (e.g. SG-7KQ4-M9XT-3PW5)",
    ),
    "referred_to": ("ส่งต่อไปยังหน่วยงาน", "Referred to"),
    "stopped": ("หยุดแล้ว", "stopped"),
    "paused": ("พักนับเวลา", "paused"),
    "warned": ("แจ้งเตือนแล้ว", "warned at"),
    "duplicate_hint": ("อาจซ้ำกับเรื่อง", "May duplicate case"),
    "version_conflict": (
        "เรื่องนี้ถูกแก้ไขโดยผู้อื่นระหว่างนี้ โปรดตรวจสอบอีกครั้ง",
        "Someone changed this case meanwhile; please check it again",
    ),
    "done": ("บันทึกแล้ว", "Saved"),
    "cmd.triage": ("ส่งต่อกลุ่มงาน", "Route to unit"),
    "cmd.assign": ("มอบหมาย", "Assign"),
    "cmd.start": ("เริ่มดำเนินการ", "Start work"),
    "cmd.request_info": ("ขอข้อมูลเพิ่มเติม", "Ask for information"),
    "cmd.info_received": ("ได้รับข้อมูลแล้ว", "Information received"),
    "cmd.resolve": ("ตอบและแก้ไขแล้ว", "Resolve"),
    "cmd.close": ("ปิดเรื่อง", "Close"),
    "cmd.reopen": ("เปิดเรื่องใหม่", "Reopen"),
    "cmd.merge": ("รวมกับเรื่องซ้ำ", "Merge as duplicate"),
    "cmd.refer": ("ส่งต่อหน่วยงานอื่น", "Refer elsewhere"),
    "cmd.reject": ("ไม่รับเรื่อง", "Reject"),
    "cmd.withdraw": ("ผู้ร้องถอนเรื่อง", "Withdrawn"),
    "cmd.comment": ("บันทึกความคิดเห็น", "Comment"),
    "cmd.add_info": ("ผู้ร้องส่งข้อมูลเพิ่มเติม", "The complainant added information"),
    "cmd.open": ("รับเรื่อง", "Received"),
    "cmd.escalate": ("เกินกำหนด แจ้งหัวหน้า", "Escalated"),
    "cmd.erase_personal_data": ("ลบข้อมูลส่วนบุคคลแล้ว", "Personal data erased"),
    **_STATUSES,
    **keyed("priority", PRIORITY_LABELS),
    **keyed("clock", CLOCK_LABELS),
    # A case's place, files and keyer; the "new case" page (phone, walk-in, letter).
    "place": ("สถานที่", "Place"),
    "map": ("ดูบนแผนที่ (OpenStreetMap)", "Show on a map (OpenStreetMap)"),
    "files": ("ภาพถ่ายและเอกสาร", "Photos and documents"),
    "file.pdf": ("เอกสาร PDF", "PDF document"),
    "file.open": ("เปิดไฟล์", "Open"),
    "keyed_by": ("บันทึกโดย", "Keyed in by"),
    "letter": ("หนังสือ", "Letter"),
    "letter.number": ("เลขที่หนังสือ", "Letter number"),
    "letter.dated": ("ลงวันที่", "Dated"),
    "new_case": ("บันทึกเรื่องใหม่", "New case"),
    "new_case.title": (
        "บันทึกเรื่องใหม่ (โทรศัพท์ / มาด้วยตนเอง / หนังสือ)",
        "New case (phone / walk-in / letter)",
    ),
    "new_case.intro": (
        "บันทึกเรื่องที่รับทางโทรศัพท์ ผู้มาติดต่อด้วยตนเอง หรือหนังสือราชการ ระบบจะบันทึกว่าท่านเป็นผู้บันทึก",
        "Key in what a person told the office by phone, at the counter or in a letter. "
        "You are recorded as the one who keyed it in.",
    ),
    **keyed("channel", CHANNEL_LABELS),
    "letter.hint": (
        "เฉพาะหนังสือ: เลขที่หนังสือ และวันที่ลงในหนังสือ (เช่น 5/3/2568)",
        "Letters only: its number and the date it bears (e.g. 2025-03-05 or 5/3/2568 B.E.)",
    ),
    **keyed("kind", KIND_LABELS),
    **keyed("complaint_type", COMPLAINT_TYPE_LABELS),
    "complaint_type.none": ("— ไม่ใช่เรื่องร้องเรียน —", "— not a complaint —"),
    "category.choose": ("— เลือกหมวดหมู่ —", "— choose a category —"),
    "occurred_on": ("วันที่เกิดเหตุ (ถ้าทราบ)", "When it happened (if known)"),
    "location.text": ("สถานที่ (ที่อยู่ หรือจุดสังเกต)", "Where (an address or a landmark)"),
    "named_person": ("ชื่อบุคคลที่เกี่ยวข้อง (ถ้ามี)", "Person concerned (if any)"),
    "person": ("ผู้ร้อง (ไม่บังคับ)", "The person (optional)"),
    "contact.name": ("ชื่อ-นามสกุล", "Name"),
    "contact.phone": ("โทรศัพท์", "Phone"),
    "contact.email": ("อีเมล", "E-mail"),
    "consent.contact_me": ("ผู้ร้องยินยอมให้ติดต่อกลับ", "The person agrees to be contacted"),
    "consent.share_name_with_unit": (
        "ผู้ร้องยินยอมให้เปิดเผยชื่อแก่หน่วยงานที่รับผิดชอบ",
        "The person agrees to their name being shared with the unit",
    ),
    "attachments": ("สำเนาหนังสือ ภาพถ่าย หรือเอกสาร (ไม่บังคับ)", "Scan, photos or documents (optional)"),
    "attachments.hint": (
        "ไฟล์ JPEG, PNG หรือ PDF (ตรวจจากเนื้อไฟล์)",
        "JPEG, PNG or PDF (checked by content)",
    ),
    "attachment1": ("ไฟล์ที่ 1", "File 1"),
    "attachment2": ("ไฟล์ที่ 2", "File 2"),
    "attachment3": ("ไฟล์ที่ 3", "File 3"),
    "save": ("บันทึกเรื่อง", "Save"),
    "errors_heading": ("กรุณาแก้ไขข้อมูลต่อไปนี้", "Please correct the following"),
    "new_case.done": ("บันทึกเรื่องแล้ว", "Saved"),
    "new_case.read_out": (
        "กรุณาแจ้งรหัสติดตามและ PIN นี้แก่ผู้ร้อง (PIN แสดงเพียงครั้งเดียว) ผู้ร้องใช้ติดตามเรื่องได้ที่",
        "Read this tracking code and PIN to the person (the PIN is shown only this once). "
        "They follow their case at",
    ),
    "tracking_pin": ("PIN", "PIN"),
    "new_case.another": ("บันทึกเรื่องอื่น", "Key in another"),
    "new_case.queued": (
        "เรื่องจะเข้าสู่คิวของหน่วยงานที่รับผิดชอบภายในไม่กี่วินาที",
        "The case reaches the responsible unit's queue within seconds.",
    ),
    "intake_unavailable": (
        "ระบบรับเรื่องไม่ตอบในขณะนี้ ยังไม่ได้บันทึกเรื่อง กรุณาลองใหม่อีกครั้ง",
        "The intake service did not answer; nothing was saved. Please try again.",
    ),
    "too_large": (
        "ไฟล์รวมกันมีขนาดใหญ่เกินไป ยังไม่ได้บันทึกเรื่อง",
        "The files are too large in total; nothing was saved.",
    ),
    "not_keyer": (
        "เฉพาะเจ้าหน้าที่ หัวหน้าหน่วยงาน และผู้ดูแลระบบบันทึกเรื่องแทนผู้ร้องได้",
        "Only staff, supervisors and admins key in cases.",
    ),
    # The person's own account page (web/account.py).
    "account": ("บัญชีของฉัน", "My account"),
    "account.who": ("ข้อมูลของท่าน", "Who you are"),
    "account.name": ("ชื่อ-นามสกุล", "Name"),
    "account.role": ("บทบาท", "Role"),
    "account.unit": ("กลุ่มงาน", "Unit"),
    "account.no_unit": ("ไม่สังกัดกลุ่มงาน", "No unit"),
    **keyed("role", ROLE_LABELS),
    "account.change_password": ("เปลี่ยนรหัสผ่าน", "Change password"),
    "account.current": ("รหัสผ่านปัจจุบัน", "Current password"),
    "account.new": ("รหัสผ่านใหม่", "New password"),
    "account.repeat": ("พิมพ์รหัสผ่านใหม่อีกครั้ง", "New password again"),
    "account.rules": (
        "อย่างน้อย 10 ตัวอักษร ไม่มีชื่อผู้ใช้ ชื่อหรือนามสกุลของท่านอยู่ในนั้น"
        " ไม่ใช่รหัสผ่านที่ใช้กันทั่วไป และไม่ซ้ำกับรหัสผ่านปัจจุบัน",
        "At least 10 characters, without your username, first name or surname in it,"
        " not a commonly used password, and not your current one.",
    ),
    "account.change_hint": (
        "เมื่อเปลี่ยนรหัสผ่านแล้ว เครื่องอื่นทุกเครื่องที่เข้าสู่ระบบด้วยบัญชีนี้จะถูกออกจากระบบ ส่วนเครื่องนี้ยังคงเข้าสู่ระบบอยู่",
        "Changing your password signs out every other device using this account;"
        " this browser stays signed in.",
    ),
    "account.changed": (
        "เปลี่ยนรหัสผ่านแล้ว เครื่องอื่นที่เข้าสู่ระบบด้วยบัญชีนี้ถูกออกจากระบบทั้งหมด",
        "Password changed. Every other device signed in to this account has been signed out.",
    ),
    "account.missing": ("กรุณากรอกทั้งสามช่อง", "Fill in all three fields."),
    "account.repeat_differs": (
        "รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน",
        "The two new passwords differ.",
    ),
    "account.wrong_current": (
        "รหัสผ่านปัจจุบันไม่ถูกต้อง (ใส่ผิดหลายครั้ง บัญชีจะถูกล็อกชั่วคราว)",
        "The current password is wrong. (Several wrong tries lock the account for a while.)",
    ),
    "account.locked": (
        "ใส่รหัสผ่านผิดหลายครั้งเกินไป บัญชีถูกล็อกชั่วคราว กรุณารอ {minutes} นาทีแล้วลองใหม่",
        "Too many wrong passwords: the account is locked. Wait {minutes} minutes and try again.",
    ),
    "account.sessions": ("การเข้าสู่ระบบ", "Sessions"),
    "account.sessions_hint": (
        "หากลืมออกจากระบบที่เครื่องอื่น หรือสงสัยว่ามีผู้อื่นใช้บัญชีของท่าน ให้ออกจากระบบทุกเครื่อง (รวมทั้งเครื่องนี้)",
        "If you left yourself signed in somewhere, or think someone else is using your"
        " account, sign out everywhere (this browser too).",
    ),
    # The case page: every field in words (see case_words), the survey answer, the
    # related cases, and the command forms.
    "skip": ("ข้ามไปยังเนื้อหาหลัก", "Skip to the main content"),
    "contact.line_user_id": ("LINE", "LINE"),
    "unit_field": ("กลุ่มงาน", "Unit"),
    "responsible_unit": ("กลุ่มงานที่รับผิดชอบ", "Responsible unit"),
    "complaint_type": ("ลักษณะเรื่องร้องเรียน", "Complaint about"),
    "occurred": ("วันที่เกิดเหตุ", "When it happened"),
    "close_reason": ("เหตุที่ปิดเรื่อง", "Closed as"),
    "reopen_count": ("เปิดเรื่องใหม่แล้ว", "Reopened"),
    "times": ("ครั้ง", "times"),
    "case_details": ("ข้อมูลเรื่อง", "Case details"),
    "unassigned": ("ยังไม่มีผู้รับผิดชอบ", "Nobody yet"),
    "survey": ("ผลแบบสอบถามความพึงพอใจ", "Satisfaction survey"),
    "survey.rating": ("ความพึงพอใจ", "Satisfaction"),
    "survey.of_five": ("จาก 5", "out of 5"),
    "survey.solved": ("ได้รับการแก้ไขแล้วหรือไม่", "Was it solved?"),
    "survey.comment": ("ความคิดเห็นของผู้ร้อง", "The complainant's comment"),
    "survey.no_comment": ("ไม่มีความคิดเห็นเพิ่มเติม", "No comment"),
    "survey.comment_erased": (
        "ลบแล้วพร้อมข้อมูลส่วนบุคคลของผู้ร้อง",
        "Erased with the complainant's personal data",
    ),
    "survey.answered_at": ("ตอบเมื่อ", "Answered"),
    "yes": ("ใช่ ได้รับการแก้ไขแล้ว", "Yes, solved"),
    "no": ("ยังไม่ได้รับการแก้ไข", "No, not solved"),
    "related": ("เรื่องที่เกี่ยวข้อง", "Related cases"),
    "possible_duplicate": (
        "อาจซ้ำกับเรื่องก่อนหน้าของผู้ร้องรายเดียวกัน",
        "May repeat an earlier case of the same person",
    ),
    "merged_into": ("รวมเข้ากับเรื่อง", "Merged into"),
    "merged_cases": ("เรื่องซ้ำที่รวมเข้ามาในเรื่องนี้", "Duplicates merged into this case"),
    "open_cases": ("เรื่องค้าง {n} เรื่อง", "{n} open cases"),
    "absent_today": ("ลาวันนี้", "away today"),
    "who_reads": ("ผู้อ่านข้อความ", "Who reads it"),
    "escalated.clocks": ("กำหนดที่เลยมาแล้ว", "Deadline passed"),
    "escalated.to": ("แจ้งหัวหน้า", "Supervisor told"),
    "legal_basis": ("ฐานทางกฎหมาย", "Legal basis"),
    "missing_field": ("กรุณากรอก: {field}", "Please fill in: {field}"),
    "conflict_of_interest": (
        "มอบหมายให้บุคคลที่เรื่องนี้กล่าวถึงไม่ได้",
        "The case cannot go to a person it names",
    ),
    "no_such_case": (
        "ไม่พบเรื่องตามรหัสติดตามที่ระบุ",
        "No case has that tracking code",
    ),
    "refused": ("ดำเนินการไม่ได้", "Not done"),
    **keyed("close_reason", CLOSE_REASON_LABELS),
    # The queue page (web/queue_page.py): tabs, search, filters, orders, pages.
    "q.tabs": ("คิวงาน", "Queues"),
    "q.tab.mine": ("เรื่องของฉัน", "My cases"),
    "q.tab.unit": ("เรื่องในกลุ่มงาน", "Unit queue"),
    "q.tab.due_soon": ("ใกล้ครบกำหนด", "Due soon"),
    "q.tab.overdue": ("เกินกำหนด", "Overdue"),
    "q.tab.escalated": ("แจ้งหัวหน้าแล้ว", "Escalated"),
    "q.tab.unassigned": ("ยังไม่มีผู้รับผิดชอบ", "Unassigned"),
    "q.every_unit": ("ทุกกลุ่มงาน", "Every unit"),
    "q.search": (
        "ค้นหา: รหัสติดตาม เบอร์โทรศัพท์ อีเมล หรือคำในเรื่อง",
        "Search: tracking code, phone, e-mail or words of the case",
    ),
    "q.search.go": ("ค้นหา", "Search"),
    "q.filters": ("ตัวกรองและการเรียง", "Filters and order"),
    "q.filters.on": ("เลือกไว้ {n} รายการ", "{n} chosen"),
    "q.apply": ("แสดงรายการ", "Show"),
    "q.clear": ("ล้างการค้นหาและตัวกรอง", "Clear search and filters"),
    "q.any": ("ทั้งหมด", "Any"),
    "q.open": ("ยังไม่ปิด (ทุกสถานะ)", "Open (any status)"),
    "q.all_statuses": ("ทุกสถานะ รวมที่ปิดแล้ว", "Any status, closed too"),
    "q.field.view": ("แท็บ", "Tab"),
    "q.field.unit": ("กลุ่มงาน", "Unit"),
    "q.field.q": ("คำค้น", "Search"),
    "q.field.status": ("สถานะ", "Status"),
    "q.field.kind": ("ประเภท", "Kind"),
    "q.field.category": ("หมวดหมู่", "Category"),
    "q.field.channel": ("ช่องทาง", "Channel"),
    "q.field.priority": ("ความเร่งด่วน", "Priority"),
    "q.field.from": ("รับเรื่องตั้งแต่วันที่", "Received from"),
    "q.field.to": ("ถึงวันที่", "Received to"),
    "q.field.sort": ("เรียงตาม", "Order"),
    "q.field.after": ("หน้า", "Page"),
    "q.field.before": ("หน้า", "Page"),
    "q.date.example": ("5/11/2569", "2026-11-05"),
    "q.date.hint": (
        "วันที่: วัน/เดือน/ปี พ.ศ. เช่น 5/11/2569 (ทั้งสองวันนับรวม)",
        "Dates: YYYY-MM-DD, e.g. 2026-11-05, or 5/11/2569 in B.E. (both days included)",
    ),
    "q.sort.newest": ("รับเรื่องล่าสุดก่อน", "Newest first"),
    "q.sort.oldest": ("รับเรื่องเก่าสุดก่อน", "Oldest first"),
    "q.sort.due": ("ใกล้ครบกำหนดก่อน", "Due soonest"),
    "q.sort.priority": ("เร่งด่วนก่อน", "Most urgent first"),
    "q.count": ("พบ {n} เรื่อง", "{n} cases"),
    "q.count.more": ("พบมากกว่า {n} เรื่อง", "More than {n} cases"),
    "q.everywhere": (
        "รหัสติดตาม เบอร์โทรศัพท์ และอีเมล ค้นจากทุกเรื่องที่ท่านมีสิทธิ์เห็น ไม่ขึ้นกับแท็บและตัวกรอง",
        "A tracking code, phone or e-mail is looked for in every case you may see, "
        "whatever the tab and filters.",
    ),
    "q.escalated": ("แจ้งหัวหน้าแล้ว", "escalated"),
    "q.pages": ("หน้ารายการ", "Pages"),
    "q.first": ("หน้าแรก", "First page"),
    "q.previous": ("หน้าก่อนหน้า", "Previous page"),
    "q.problems": ("แสดงรายการไม่ได้ กรุณาแก้ไข:", "The list cannot be shown; please correct:"),
    "q.problem.unknown": ("{field}: ไม่มีตัวเลือกนี้", "{field}: not one of the choices"),
    "q.problem.date": (
        "{field}: ต้องเป็นวันที่ เช่น 5/11/2569 (พ.ศ.) หรือ 2026-11-05",
        "{field}: must be a date like 2026-11-05, or 5/11/2569 in B.E.",
    ),
    "q.problem.range": (
        "{field}: ต้องไม่ก่อนวันที่เริ่มต้น",
        "{field}: must not be before the first day",
    ),
    "q.problem.long": ("{field}: ยาวเกิน 100 ตัวอักษร", "{field}: longer than 100 characters"),
    "q.problem.page": (
        "{field}: ลิงก์นี้ใช้ไม่ได้แล้ว กรุณาเริ่มจากหน้าแรก",
        "{field}: this link no longer works; start from the first page",
    ),
    "q.dashboard": ("รายงานและสถิติ", "Reports dashboard"),
}


# ------------------------------------------------------------ the supervisor view
# (web/supervision.py: load per person, late cases, hand-over, absences)
_T.update(
    {
        "sv.link": ("หัวหน้างาน", "Supervisor"),
        "sv.title": ("ภาระงานของกลุ่มงาน", "Unit workload"),
        "sv.unit": ("กลุ่มงาน", "Unit"),
        "sv.show": ("แสดง", "Show"),
        "sv.load": ("ภาระงานรายบุคคล", "Load per person"),
        "sv.person": ("ผู้รับผิดชอบ", "Person"),
        "sv.open": ("เรื่องที่ยังไม่เสร็จ", "Open cases"),
        "sv.late": ("เกินกำหนด", "Overdue"),
        "sv.due_soon": ("ครบกำหนดใน 2 วันทำการ", "Due within 2 working days"),
        "sv.awaiting_info": ("รอข้อมูลจากผู้ร้อง", "Awaiting information"),
        "sv.today": ("วันนี้", "Today"),
        "sv.at_work": ("ปฏิบัติงาน", "At work"),
        "sv.absent_until": ("ลา ถึง {date}", "Absent until {date}"),
        "sv.inactive": ("ปิดบัญชีแล้ว", "Account closed"),
        "sv.role.staff": ("เจ้าหน้าที่", "staff"),
        "sv.role.supervisor": ("หัวหน้ากลุ่มงาน", "supervisor"),
        "sv.unassigned": ("ยังไม่มีผู้รับผิดชอบในกลุ่มงาน", "Nobody in the unit yet"),
        "sv.auto_note": (
            "ผู้ที่ลาในวันนี้จะไม่ได้รับเรื่องใหม่จากการมอบหมายอัตโนมัติ และไม่สามารถโอนเรื่องให้ได้",
            "People absent today get no new cases from automatic assignment,"
            " and cannot be handed cases.",
        ),
        "sv.late_title": (
            "เรื่องที่เกินกำหนด และเรื่องที่แจ้งหัวหน้าแล้ว",
            "Escalations and deadline breaches",
        ),
        "sv.no_late": ("ไม่มีเรื่องเกินกำหนด", "No case is past a deadline."),
        "sv.late_shown": (
            "เรื่องที่ {first}–{last} จาก {total} เรื่อง เรียงจากเกินกำหนดนานที่สุด",
            "Cases {first}–{last} of {total}, the latest first",
        ),
        "sv.late_pages": ("หน้ารายการเรื่องที่เกินกำหนด", "Pages of late cases"),
        "sv.page_of": ("หน้า {n} จาก {of}", "Page {n} of {of}"),
        "sv.missed": ("กำหนดที่เกิน", "Deadline missed"),
        "sv.how_late": ("เกินมาแล้ว", "Late by"),
        "sv.days_late": ("{n} วันทำการ", "{n} working days"),
        "sv.day_late": ("1 วันทำการ", "1 working day"),
        "sv.escalated": ("แจ้งหัวหน้าแล้ว", "escalated"),
        "sv.select": ("เลือก", "Select"),
        "sv.select_case": ("เลือกเรื่อง {code}", "Select case {code}"),
        "sv.cases_of": ("เรื่องที่ยังไม่เสร็จของ {name}", "Open cases of {name}"),
        "sv.cases_unassigned": (
            "เรื่องที่ยังไม่มีผู้รับผิดชอบในกลุ่มงาน",
            "Open cases nobody in the unit has",
        ),
        "sv.no_cases": ("ไม่มีเรื่องที่ยังไม่เสร็จ", "No open cases."),
        "sv.back": ("กลับไปหน้าภาระงานของกลุ่มงาน", "Back to the unit workload"),
        "sv.handover": ("โอนเรื่องที่เลือกให้ผู้อื่น", "Reassign the selected cases"),
        "sv.to": ("ผู้รับเรื่อง", "Give them to"),
        "sv.choose_person": ("— เลือกผู้รับเรื่อง —", "— choose a person —"),
        "sv.cannot_receive": ("ลาวันนี้ รับเรื่องไม่ได้", "absent today, cannot receive"),
        "sv.absent_today": ("ลาในวันนี้:", "Absent today:"),
        "sv.nobody_absent": ("วันนี้ไม่มีผู้ใดลา", "Nobody is absent today."),
        "sv.reason": ("เหตุผล (บันทึกภายใน ไม่บังคับ)", "Reason (internal note, optional)"),
        "sv.move": ("โอนเรื่อง", "Reassign"),
        "sv.result": ("ผลการโอนเรื่อง", "Reassignment result"),
        "sv.moved": ("โอนแล้ว {n} เรื่อง ให้แก่ {name}", "Moved {n} cases to {name}."),
        "sv.moved_one": ("โอนแล้ว 1 เรื่อง ให้แก่ {name}", "Moved 1 case to {name}."),
        "sv.moved_none": ("ไม่มีเรื่องใดถูกโอน", "No case was moved."),
        "sv.not_moved": ("โอนไม่ได้ {n} เรื่อง", "{n} could not be moved"),
        "sv.why": ("เหตุผล", "Why"),
        "sv.why.changed": (
            "มีการเปลี่ยนแปลงเรื่องนี้ระหว่างนี้ กรุณาตรวจสอบแล้วลองอีกครั้ง",
            "It changed meanwhile; check it and try again.",
        ),
        "sv.why.not_found": (
            "ไม่พบเรื่องนี้ในกลุ่มงานแล้ว (อาจถูกปิดหรือส่งต่อไปแล้ว)",
            "It is no longer in the unit (closed or sent elsewhere).",
        ),
        "sv.why.already_theirs": ("เป็นผู้รับผิดชอบเรื่องนี้อยู่แล้ว", "It is already theirs."),
        "sv.why.names_receiver": (
            "เรื่องนี้ร้องเรียนบุคคลดังกล่าว จึงมอบหมายให้ไม่ได้",
            "The case complains about this person.",
        ),
        "sv.why.not_assignable": (
            "สถานะของเรื่องไม่อนุญาตให้โอน",
            "Its status does not allow reassignment.",
        ),
        "sv.why.refused": ("ระบบไม่อนุญาตให้โอนเรื่องนี้", "The case could not be reassigned."),
        "sv.err.cases": ("กรุณาเลือกอย่างน้อยหนึ่งเรื่อง", "Choose at least one case."),
        "sv.err.to": ("กรุณาเลือกผู้รับเรื่อง", "Choose who receives the cases."),
        "sv.err.absent": (
            "{name} ลาในวันนี้ จึงรับเรื่องไม่ได้ กรุณาเลือกผู้อื่น",
            "{name} is absent today and cannot receive cases; choose someone else.",
        ),
        "sv.err.inactive": (
            "บัญชีของ {name} ปิดแล้ว จึงรับเรื่องไม่ได้",
            "{name}'s account is closed; they cannot receive cases.",
        ),
        "sv.err.not_in_unit": (
            "ผู้รับเรื่องต้องเป็นเจ้าหน้าที่ในกลุ่มงานนี้",
            "Whoever receives the cases must be in this unit.",
        ),
        "sv.absences": ("การลา", "Absences"),
        "sv.absences_hint": (
            "การลาที่ยังไม่สิ้นสุด วันที่แสดงเป็นปีพุทธศักราช",
            "Absences not yet over.",
        ),
        "sv.no_absences": ("ไม่มีการลาที่บันทึกไว้", "No absences recorded."),
        "sv.absence": ("{start} ถึง {end}", "{start} to {end}"),
        "sv.record": ("บันทึกการลา", "Record an absence"),
        "sv.who": ("ผู้ลา", "Who"),
        "sv.from": ("ตั้งแต่วันที่", "From"),
        "sv.until": ("ถึงวันที่", "To"),
        "sv.date_hint": (
            "กรอกวันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น 5/3/2569",
            "Dates as YYYY-MM-DD, e.g. 2026-03-05 (or 5/3/2569 in B.E.)",
        ),
        "sv.date_example": ("5/3/2569", "2026-03-05"),
        "sv.remove": ("ลบการลา {start} ถึง {end}", "Remove the absence {start} to {end}"),
        "sv.remove_short": ("ลบ", "Remove"),
        "sv.absence_recorded": ("บันทึกการลาแล้ว", "Absence recorded."),
        "sv.absence_removed": ("ลบการลาแล้ว", "Absence removed."),
        "sv.err.absence.date": (
            "กรุณากรอกวันที่ให้ถูกต้อง เช่น 5/3/2569",
            "Enter real dates, e.g. 2026-03-05.",
        ),
        "sv.err.absence.order": ("วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น", "The end must not be before the start."),
        "sv.err.absence.past": (
            "การลานี้สิ้นสุดไปแล้ว ไม่มีผลต่อการมอบหมายงาน",
            "That absence is already over; it would change nothing.",
        ),
        "sv.err.absence.too_long": (
            "บันทึกการลาได้ครั้งละไม่เกินหนึ่งปี กรุณาตรวจสอบปี พ.ศ.",
            "At most a year at a time; check the year.",
        ),
        "sv.err.absence.person": ("ไม่พบบุคคลนี้ในกลุ่มงาน", "Nobody of that name in the unit."),
        "sv.err.absence.gone": ("ไม่พบการลานี้แล้ว", "That absence is no longer on file."),
        "not_supervisor": (
            "หน้านี้สำหรับหัวหน้ากลุ่มงาน (เฉพาะกลุ่มงานของตน) และผู้ดูแลระบบเท่านั้น",
            "This page is for unit supervisors (their own unit) and admins only.",
        ),
        "unknown_unit": ("ไม่พบกลุ่มงานนี้", "No such unit."),
        "sv.nobody": ("ไม่พบบุคคลนี้ในกลุ่มงาน", "Nobody of that name in the unit."),
    }
)


class Texts:
    """`t["key"]` in a template: the Thai or English words, or the key itself."""

    def __init__(self, lang: str) -> None:
        self.index = 1 if lang == "en" else 0

    def __getitem__(self, key: str) -> str:
        pair = _T.get(key)
        return pair[self.index] if pair else key

    def get(self, key: str, fallback: str) -> str:
        """The words for `key`, or `fallback` (e.g. the code itself) when there are none."""
        pair = _T.get(key)
        return pair[self.index] if pair else fallback


# ------------------------------------------------------------ the admin pages
# (web/admin_pages.py, web/admin_staff.py, web/admin_history.py)
_T.update(
    {
        "admin.link": ("ผู้ดูแลระบบ", "Admin"),
        "admin.title": ("ผู้ดูแลระบบ", "Administration"),
        "admin.only": (
            "หน้านี้สำหรับผู้ดูแลระบบเท่านั้น",
            "This page is for administrators only.",
        ),
        "admin.intro": (
            "การเปลี่ยนแปลงทุกครั้งมีผลทันทีกับทุกเครื่องแม่ข่ายภายในไม่กี่วินาทีโดยไม่ต้องเริ่มระบบใหม่"
            " และถูกบันทึกไว้ในประวัติการแก้ไขว่าใครแก้ไขอะไรเมื่อใด",
            "Every change applies on every server within seconds, without a restart, and is"
            " recorded in the history: who changed what, and when.",
        ),
        "admin.saved": ("บันทึกแล้ว", "Saved"),
        "admin.save": ("บันทึก", "Save"),
        "admin.fix": ("ยังไม่ได้บันทึก กรุณาแก้ไขรายการต่อไปนี้", "Nothing was saved. Please correct:"),
        "admin.form": ("แบบฟอร์ม", "Form"),
        "admin.units": ("กลุ่มงาน", "Units"),
        "admin.units.about": (
            "ชื่อกลุ่มงานภาษาไทยและอังกฤษ และเพิ่มกลุ่มงานใหม่",
            "The units' Thai and English names; add a unit.",
        ),
        "admin.staff": ("เจ้าหน้าที่", "Staff"),
        "admin.staff.about": (
            "เพิ่มบัญชี เปลี่ยนบทบาทหรือกลุ่มงาน ปิดหรือเปิดการใช้งาน ตั้งรหัสผ่านชั่วคราว",
            "Add accounts; change a role or unit; deactivate, reactivate; set a temporary password.",
        ),
        "admin.routing": ("การส่งต่อเรื่อง", "Routing rules"),
        "admin.routing.about": (
            "หมวดหมู่ใดส่งไปกลุ่มงานใด และความเร่งด่วนของเรื่องใหม่",
            "Which unit each category goes to, and how urgent new cases are.",
        ),
        "admin.sla": ("กำหนดเวลา", "Deadline policies"),
        "admin.sla.about": (
            "จำนวนวันทำการในการตอบรับ แจ้งผลเบื้องต้น และแก้ไขแล้วเสร็จ",
            "Business days to acknowledge, to first respond and to resolve.",
        ),
        "admin.closures": ("วันปิดทำการของสำนักงาน", "Office closures"),
        "admin.closures.about": (
            "วันหยุดของสำนักงานนอกเหนือจากวันหยุดราชการ",
            "Days the office is closed beside the public holidays.",
        ),
        "admin.history": ("ประวัติการแก้ไข", "Change history"),
        "admin.history.about": (
            "ใครแก้ไขการตั้งค่าหรือบัญชีใด เมื่อใด ก่อนและหลังแก้ไข",
            "Who changed which setting or account, when; before and after.",
        ),
        "admin.elsewhere": ("ในระบบอื่น", "In the other services"),
        "admin.channel_keys": ("กุญแจช่องทางรับเรื่อง (API)", "Channel keys"),
        "admin.channel_keys.about": (
            "สร้างและเพิกถอนกุญแจของระบบภายนอกที่ส่งเรื่องเข้ามา (ระบบรับเรื่อง)",
            "Create and revoke the keys partner systems send cases with (intake).",
        ),
        "admin.templates": ("ข้อความแจ้งเตือน", "Notification templates"),
        "admin.templates.about": (
            "ดูตัวอย่างข้อความที่ส่งถึงผู้ร้องและเจ้าหน้าที่ (ระบบแจ้งเตือน)",
            "Preview the messages sent to complainants and staff (notifications).",
        ),
        # units
        "admin.units.code": ("รหัส", "Code"),
        "admin.units.name_th": ("ชื่อภาษาไทย", "Thai name"),
        "admin.units.name_en": ("ชื่อภาษาอังกฤษ", "English name"),
        "admin.units.triage": ("(ศูนย์คัดกรอง)", "(triage)"),
        "admin.units.add": ("เพิ่มกลุ่มงาน", "Add a unit"),
        "admin.units.code_hint": (
            "อักษรอังกฤษตัวเล็ก ตัวเลข และขีด เช่น welfare-2 ตั้งแล้วเปลี่ยนไม่ได้",
            "Lower-case letters, digits and hyphens, e.g. welfare-2; it cannot change later.",
        ),
        "admin.units.note": (
            "กลุ่มงานลบไม่ได้ เพราะเรื่อง เจ้าหน้าที่ และหมวดหมู่อ้างถึง ชื่อที่แก้ไขและกลุ่มงานที่เพิ่มที่นี่"
            " แสดงทั้งในระบบจัดการเรื่อง รายงาน และระบบการมีส่วนร่วม",
            "A unit cannot be removed: cases, staff and categories name it. The names and units"
            " saved here show in the case console, the reports and participation alike.",
        ),
        # routing
        "admin.routing.intro": (
            "ใช้กับเรื่องที่รับเข้ามาใหม่ เรื่องที่มีอยู่แล้วไม่ถูกย้าย",
            "Applies to new cases; cases already open stay where they are.",
        ),
        "admin.routing.by_category": ("ตามหมวดหมู่", "By category"),
        "admin.routing.unit": ("กลุ่มงานที่รับเรื่อง", "Unit"),
        "admin.routing.catalogue_unit": ("(ตามบัญชีหมวดหมู่)", "(catalogue's)"),
        "admin.routing.no_priority": ("— ตามประเภทเรื่อง —", "— as the kind —"),
        "admin.routing.by_kind": ("ความเร่งด่วนตามประเภทเรื่อง", "Priority by kind"),
        "admin.routing.by_ctype": (
            "ความเร่งด่วนตามลักษณะเรื่องร้องเรียน",
            "Priority by complaint type",
        ),
        "admin.routing.as_default": ("— ค่าเริ่มต้น —", "— the default —"),
        "admin.routing.default": ("ความเร่งด่วนเริ่มต้น", "Default priority"),
        "admin.routing.misconduct": (
            "เรื่องร้องเรียนการประพฤติมิชอบ ส่งไปที่",
            "Misconduct complaints go to",
        ),
        "admin.routing.misconduct_default": (
            "— หัวหน้ากลุ่มงานของหมวดหมู่ —",
            "— the category's unit's supervisors —",
        ),
        "admin.routing.misconduct_hint": (
            "ความเร่งด่วนของเรื่องประพฤติมิชอบไม่ต่ำกว่า “{high}” เสมอ",
            "A misconduct complaint is never below “{high}” priority.",
        ),
        "admin.routing.window": (
            "ตรวจเรื่องซ้ำย้อนหลัง (วัน)",
            "Duplicate check looks back (days)",
        ),
        "admin.routing.window_hint": (
            "ผู้ร้องรายเดิม หมวดหมู่เดิม ภายในจำนวนวันนี้ ระบบจะแจ้งว่าอาจซ้ำ (ไม่รวมเรื่องให้เอง)",
            "Same person, same category within this many days: flagged as a possible"
            " duplicate (never merged by itself).",
        ),
        "admin.others": ("อื่น ๆ", "Other rules"),
        # deadline policies
        "admin.sla.intro": (
            "นับเป็นวันทำการ ใช้กับเรื่องที่เปิดใหม่ เมื่อกฎหลายข้อตรงกับเรื่อง แต่ละกำหนดใช้ค่าที่สั้นที่สุด"
            " แจ้งผลเบื้องต้นได้ไม่เกิน 15 วัน (พ.ร.ฎ. ว่าด้วยหลักเกณฑ์และวิธีการบริหารกิจการบ้านเมืองที่ดี"
            " พ.ศ. 2546 มาตรา 38)",
            "In business days, for cases opened from now on. When several rules match a case,"
            " each clock takes the tightest. The first response is due within 15 days at"
            " most (Royal Decree on Good Governance B.E. 2546, s.38).",
        ),
        "admin.sla.default": ("ค่าเริ่มต้น", "Default"),
        "admin.sla.default_row": ("ทุกเรื่องที่ไม่ตรงกับกฎใด", "Every case no rule matches"),
        "admin.sla.rules": ("กฎ", "Rules"),
        "admin.sla.rule": ("กฎข้อ {n}", "Rule {n}"),
        "admin.sla.kind": ("ประเภทเรื่อง", "Kind"),
        "admin.sla.complaint_type": ("ลักษณะเรื่องร้องเรียน", "Complaint type"),
        "admin.sla.any": ("— ทุก —", "— any —"),
        "admin.sla.remove": ("ลบ", "Remove"),
        "admin.sla.days": ("วันทำการ", "business days"),
        "admin.sla.new_rows": (
            "แถวว่างด้านล่างใช้เพิ่มกฎใหม่",
            "Fill in a blank row to add a rule.",
        ),
        # office closures
        "admin.closures.intro": (
            "วันหยุดราชการและวันหยุดนักขัตฤกษ์นับให้แล้ว ใส่เฉพาะวันที่สำนักงานปิดเพิ่มเติม"
            " มีผลกับกำหนดเวลาที่คำนวณหลังบันทึก",
            "Public and government holidays are counted already: list only the other days"
            " the office is closed. Applies to deadlines computed after saving.",
        ),
        "admin.closures.current": ("วันปิดทำการที่บันทึกไว้", "Closures on file"),
        "admin.closures.none": ("ยังไม่มีวันปิดทำการ", "No closures on file."),
        "admin.closures.day": ("วันที่", "Date"),
        "admin.closures.day_hint": (
            "วัน/เดือน/ปี พ.ศ. เช่น {example}",
            "YYYY-MM-DD, e.g. {example}",
        ),
        "admin.closures.note": ("หมายเหตุ", "Note"),
        "admin.closures.edit": ("แก้ไขวันปิดทำการ", "Edit the closures"),
        # staff
        "admin.staff.username": ("ชื่อผู้ใช้", "Username"),
        "admin.staff.id": ("ชื่อผู้ใช้", "Username"),
        "admin.staff.name": ("ชื่อ-นามสกุล", "Name"),
        "admin.staff.unit": ("กลุ่มงาน", "Unit"),
        "admin.staff.role": ("บทบาท", "Role"),
        "admin.staff.email": ("อีเมล", "E-mail"),
        "admin.staff.active": ("สถานะ", "Status"),
        "admin.staff.password": ("รหัสผ่าน", "Password"),
        "admin.staff.absences": ("การลา", "Absences"),
        "admin.staff.cap": ("จำนวนเรื่องสูงสุด", "Case cap"),
        "admin.staff.line_user_id": ("LINE", "LINE"),
        "admin.staff.no_unit": ("— ไม่สังกัดกลุ่มงาน —", "— no unit —"),
        "admin.staff.edit": ("แก้ไข", "Edit"),
        "admin.staff.add": ("เพิ่มเจ้าหน้าที่", "Add a member of staff"),
        "admin.staff.show": ("แสดงเจ้าหน้าที่ของ", "Show the staff of"),
        "admin.staff.everyone": ("— ทุกกลุ่มงาน —", "— every unit —"),
        "admin.staff.filter": ("แสดง", "Show"),
        "admin.staff.username_hint": (
            "อักษรอังกฤษตัวเล็ก ตัวเลข จุด ขีด เช่น somchai.k ตั้งแล้วเปลี่ยนไม่ได้",
            "Lower-case letters, digits, dots and hyphens, e.g. somchai.k; it cannot change later.",
        ),
        "admin.staff.first_password": ("รหัสผ่านแรกเข้า", "First password"),
        "admin.staff.password_rules": (
            "อย่างน้อย {n} ตัวอักษร ไม่มีชื่อผู้ใช้ ชื่อหรือนามสกุลอยู่ในนั้น และไม่ใช่รหัสผ่านที่ใช้กันทั่วไป"
            " แจ้งผู้ใช้ให้เปลี่ยนรหัสผ่านเองที่หน้า บัญชีของฉัน",
            "At least {n} characters, without the username, first name or surname in it, and"
            " not a commonly used password. Ask the person to change it on their account page.",
        ),
        "admin.staff.details": ("ข้อมูลบัญชี", "Account details"),
        "admin.staff.ends_sessions": (
            "การเปลี่ยนบทบาทหรือกลุ่มงาน การปิดใช้งาน และการตั้งรหัสผ่านใหม่ ทำให้บัญชีนี้ถูกออกจากระบบทุกเครื่อง",
            "A new role or unit, deactivating, or a new password signs this account out"
            " everywhere.",
        ),
        "admin.staff.is_active": ("ใช้งานอยู่", "Active"),
        "admin.staff.is_inactive": ("ปิดการใช้งาน", "Deactivated"),
        "admin.staff.deactivate": ("ปิดการใช้งานบัญชีนี้", "Deactivate this account"),
        "admin.staff.reactivate": ("เปิดการใช้งานบัญชีนี้อีกครั้ง", "Reactivate this account"),
        "admin.staff.deactivate_hint": (
            "ผู้ใช้เข้าสู่ระบบไม่ได้และไม่ได้รับเรื่องใหม่ เรื่องที่รับผิดชอบอยู่ยังคงอยู่",
            "They can no longer sign in nor get new cases; their open cases stay with them.",
        ),
        "admin.staff.reset": ("ตั้งรหัสผ่านชั่วคราว", "Set a temporary password"),
        "admin.staff.temporary": ("รหัสผ่านชั่วคราว", "Temporary password"),
        "admin.staff.myself": ("(บัญชีของท่าน)", "(your account)"),
        "admin.staff.open_cases": ("เรื่องที่ยังไม่เสร็จ", "Open cases"),
        "admin.active.true": ("ใช้งานอยู่", "active"),
        "admin.active.false": ("ปิดการใช้งาน", "deactivated"),
        # history
        "admin.history.when": ("เวลา", "When"),
        "admin.history.who": ("ผู้แก้ไข", "Who"),
        "admin.history.what": ("สิ่งที่แก้ไข", "What"),
        "admin.history.changes": ("ก่อน → หลัง", "Before → after"),
        "admin.history.created": ("สร้างใหม่", "new"),
        "admin.history.secret": ("ตั้งใหม่ (ไม่แสดง)", "set (not shown)"),
        "admin.history.more": ("และอีก {n} รายการ", "and {n} more"),
        "admin.history.none": ("ยังไม่มีการแก้ไข", "No changes yet."),
        "admin.history.page": ("หน้า {n} จาก {of}", "Page {n} of {of}"),
        "admin.history.newer": ("← ใหม่กว่า", "← Newer"),
        "admin.history.older": ("เก่ากว่า →", "Older →"),
        "admin.subject.routing": ("การส่งต่อเรื่อง", "Routing rules"),
        "admin.subject.sla": ("กำหนดเวลา", "Deadline policies"),
        "admin.subject.units": ("กลุ่มงาน", "Units"),
        "admin.subject.closures": ("วันปิดทำการ", "Office closures"),
        "admin.subject.staff": ("บัญชีเจ้าหน้าที่", "Staff account"),
        # what is wrong with a form
        "admin.err.text": ("{text}", "{text}"),
        "admin.err.invalid": ("ไม่สามารถบันทึกได้: {detail}", "Cannot be saved: {detail}"),
        "admin.err.database": (
            "ฐานข้อมูลไม่ตอบในขณะนี้ ยังไม่ได้บันทึก กรุณาลองใหม่",
            "The database did not answer; nothing was saved. Please try again.",
        ),
        "admin.err.busy": (
            "มีการแก้ไขพร้อมกันจากที่อื่น ยังไม่ได้บันทึก กรุณาลองใหม่",
            "Someone else was saving at the same time; nothing was saved. Please try again.",
        ),
        "admin.err.unknown_unit": ("ไม่มีกลุ่มงาน {value}", "There is no unit {value}."),
        "admin.err.whole_number": ("ต้องเป็นจำนวนเต็ม", "Must be a whole number."),
        "admin.err.at_most": ("ต้องไม่เกิน {max}", "Must be at most {max}."),
        "admin.err.at_least": ("ต้องไม่น้อยกว่า {min}", "Must be at least {min}."),
        "admin.err.legal": (
            "แจ้งผลเบื้องต้นต้องไม่เกิน {days} วันทำการ (มาตรา 38)",
            "The first response may be due in {days} business days at most (s.38).",
        ),
        "admin.err.order": (
            "ตอบรับ ≤ แจ้งผลเบื้องต้น ≤ แก้ไขแล้วเสร็จ",
            "Needs acknowledge ≤ first response ≤ resolution.",
        ),
        "admin.err.days_needed": (
            "กรุณากรอกจำนวนวันทั้งสามช่อง",
            "Fill in all three numbers of days.",
        ),
        "admin.err.choice": ("กรุณาเลือกจากรายการ", "Choose from the list."),
        "admin.err.required": ("กรุณากรอกช่องนี้", "This is required."),
        "admin.err.too_long": ("ยาวได้ไม่เกิน {max} ตัวอักษร", "At most {max} characters."),
        "admin.err.names_needed": (
            "ต้องมีทั้งชื่อภาษาไทยและภาษาอังกฤษ",
            "Needs both a Thai and an English name.",
        ),
        "admin.err.unit_code": (
            "รหัสใช้อักษรอังกฤษตัวเล็ก ตัวเลข และขีด ไม่เกิน 40 ตัว",
            "A code is lower-case letters, digits and hyphens, at most 40.",
        ),
        "admin.err.code_taken": ("มีกลุ่มงานรหัส {value} อยู่แล้ว", "A unit {value} exists already."),
        "admin.err.date": (
            "ไม่ใช่วันที่ (เช่น 31/12/2568): {value}",
            "Not a date (e.g. 2025-12-31): {value}",
        ),
        "admin.err.closure_twice": ("วันนี้อยู่ในรายการแล้ว", "This day is listed already."),
        "admin.err.username": (
            "ชื่อผู้ใช้ใช้อักษรอังกฤษตัวเล็ก ตัวเลข จุด และขีด 2-64 ตัว",
            "A username is 2 to 64 lower-case letters, digits, dots and hyphens.",
        ),
        "admin.err.username_taken": ("มีชื่อผู้ใช้นี้อยู่แล้ว", "This username is taken."),
        "admin.err.unit_needed": (
            "เจ้าหน้าที่และหัวหน้ากลุ่มงานต้องสังกัดกลุ่มงาน",
            "Staff and supervisors belong to a unit.",
        ),
        "admin.err.own_role": (
            "ไม่สามารถเปลี่ยนบทบาทผู้ดูแลระบบของบัญชีตนเอง",
            "You cannot take away your own admin role.",
        ),
        "admin.err.own_account": (
            "ไม่สามารถปิดการใช้งานบัญชีของตนเอง",
            "You cannot deactivate your own account.",
        ),
    }
)
