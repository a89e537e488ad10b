"""What the access test sends to each route: valid enough to get past validation to the
authorization decision. A route not named here is called as a plain GET of its path
(`test_matrix.py` refuses to do that for a path with parameters or another method).

Each call is built from the `Fixtures` (a real case, its tracking code and PIN, a survey
link, the policies in force, a consultation with an opinion and an outcome) and the
caller (`Who`: its role, and its token if it has one)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from deploy.local import facebook_standin
from deploy.local.line_standin import event, sign, webhook_body
from services.intake.settings import DEV_PEPPER
from services.intake.web.track_pages import csrf_secret, csrf_session
from services.workflow.domain.routing import RoutingConfig
from services.workflow.domain.sla import SlaConfig
from services.workflow.web.admin_forms import routing_values, sla_values
from shared.contract.catalogue import load_catalogue
from shared.infra import csrf
from tests.integration.access.case_files import PHONE_ENTRY
from tests.integration.access.committee_papers import (
    FINDINGS,
    HELD,
    ORDER_FORM,
    ORDER_PDF,
    REVIEW,
)
from tests.integration.access.matrix import ROLES
from tests.integration.access.mission_surveys import survey_form
from tests.integration.access.office import (
    DEMO_PASSWORD,
    FACEBOOK_SECRET,
    FACEBOOK_VERIFY,
    LINE_SECRET,
    Fixtures,
)
from tests.integration.access.staff_work import (
    COMMITTEE_FORM,
    CONSULTATION_FORM,
    PAGE_YEAR,
)
from tests.integration.participation.conftest import consultation_body


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    form: dict[str, str] | None = None
    # A page: the staff token goes as the `siang_token` cookie, not as a bearer header.
    page: bool = False
    # A console form: it carries the CSRF token of this browser (and of the session it
    # posts under, or none when `signing_in`).
    csrf: bool = False
    signing_in: bool = False
    # A raw body and headers of its own (LINE's webhook: the body signed with the secret).
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # Files of a multipart form (a committee's appointment order).
    files: dict[str, tuple[str, bytes, str]] | None = None


@dataclass(frozen=True)
class Who:
    role: str
    token: str | None


Build = Callable[[Fixtures, Who], Call]

# The web form's fields, as the browser posts them.
FORM = {
    "kind": "complaint",
    "complaint_type": "service",
    "category": "documents",
    "subject": "ขอหนังสือรับรองล่าช้า",
    "description": "ยื่นคำขอหนังสือรับรองการทำงานมาสามสัปดาห์แล้วยังไม่ได้รับ",
    "contact.name": "มาลี ใจงาม",
    "contact.email": "malee@example.com",
    "consent.contact_me": "on",
}
BODY = {
    "kind": "complaint",
    "complaint_type": "service",
    "category": "documents",
    "subject": "ขอหนังสือรับรองล่าช้า",
    "description": "ยื่นคำขอหนังสือรับรองการทำงานมาสามสัปดาห์แล้วยังไม่ได้รับ",
    "contact": {"name": "มาลี ใจงาม", "email": "malee@example.com"},
    "consent": {"contact_me": True},
}
COMMENT = {"text": "ตรวจสอบสิทธิ์การเข้าถึง", "visibility": "internal"}
# Signing in as someone (the same demo account whoever asks: the route is public).
CREDENTIALS = {"username": "triage.a", "password": DEMO_PASSWORD}
# Each caller changes its own password on My account, from the demo password to one that
# keeps the rules (the callers' tokens carry the session this ends: see Office.token).
OWN_PASSWORD = "ลมหนาวต้นปี-2570"
NEW_PASSWORD = {"current": DEMO_PASSWORD, "new": OWN_PASSWORD, "repeat": OWN_PASSWORD}
OPINION = {"group": "teachers", "answers": {"lunch": "fair"}}
# LINE's webhook, signed as LINE signs it (an unfollow: nothing to reply to). Unsigned or
# wrongly signed it is 401 for everyone (tests/integration/intake/test_line.py).
LINE_EVENTS = webhook_body(event("U" + "0" * 32, "unfollow"))
# Facebook's, likewise: a read receipt (nothing to answer), signed with the app secret.
FACEBOOK_EVENTS = facebook_standin.webhook_body(
    {"sender": {"id": "1000000000000001"}, "recipient": {"id": "1"}, "read": {"watermark": 1}}
)


def tracking_form(fx: Fixtures, action: str, **fields: str) -> Call:
    """A tracking page's form with the PIN and this browser's CSRF token (the tracking
    forms' own: bound to the code, keyed from the tracking pepper)."""
    nonce = csrf.new_nonce()
    token = csrf.form_token(csrf_secret(DEV_PEPPER), nonce, csrf_session(fx.tracking_code))
    return Call(
        "POST",
        f"/track/{fx.tracking_code}{action}",
        form={"pin": fx.pin, csrf.FIELD: token, **fields},
        headers={"Cookie": f"{csrf.COOKIE}={nonce}"},
    )


def absence(who: Who) -> dict[str, str]:
    """An absence of admin.b on a day of the caller's own, years ahead: each caller's
    removal finds the one it recorded."""
    day = f"2030-01-{1 + ROLES.index(who.role):02d}"
    return {"unit": "admin", "person": "admin.b", "start": day, "end": day}


def admin_form(path: str, form: dict[str, str]) -> Call:
    """A form of an admin page (`/console/admin<path>`), with its CSRF token."""
    return Call("POST", f"/console/admin{path}", form=form, page=True, csrf=True)


CALLS: dict[str, Build] = {
    "intake POST /v1/submissions": lambda fx, who: Call("POST", "/v1/submissions", json=BODY),
    "intake GET /v1/track/{tracking_code}": lambda fx, who: Call(
        "GET", f"/v1/track/{fx.tracking_code}", params={"pin": fx.pin}
    ),
    "intake POST /submit": lambda fx, who: Call("POST", "/submit", form=FORM),
    "intake POST /v1/staff/submissions": lambda fx, who: Call(
        "POST", "/v1/staff/submissions", form=PHONE_ENTRY
    ),
    "intake POST /v1/channels/line/webhook": lambda fx, who: Call(
        "POST",
        "/v1/channels/line/webhook",
        content=LINE_EVENTS,
        headers={"X-Line-Signature": sign(LINE_SECRET, LINE_EVENTS)},
    ),
    "intake GET /v1/channels/facebook/webhook": lambda fx, who: Call(
        "GET",
        "/v1/channels/facebook/webhook",
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": FACEBOOK_VERIFY,
            "hub.challenge": "1158201444",
        },
    ),
    "intake POST /v1/channels/facebook/webhook": lambda fx, who: Call(
        "POST",
        "/v1/channels/facebook/webhook",
        content=FACEBOOK_EVENTS,
        headers={"X-Hub-Signature-256": facebook_standin.sign(FACEBOOK_SECRET, FACEBOOK_EVENTS)},
    ),
    **{
        f"intake {key}.{fmt}": build
        for fmt in ("json", "xml")
        for key, build in {
            "GET /open311/v2/services/{service_code}": lambda fx, who, f=fmt: Call(
                "GET", f"/open311/v2/services/documents.{f}"
            ),
            "POST /open311/v2/requests": lambda fx, who, f=fmt: Call(
                "POST",
                f"/open311/v2/requests.{f}",
                form={"service_code": "documents", "description": "ขอหนังสือรับรองล่าช้า"},
            ),
            "GET /open311/v2/requests/{service_request_id}": lambda fx, who, f=fmt: Call(
                "GET", f"/open311/v2/requests/{fx.tracking_code}.{f}"
            ),
            "GET /open311/v2/tokens/{token}": lambda fx, who, f=fmt: Call(
                "GET", f"/open311/v2/tokens/{fx.case_id}.{f}"
            ),
        }.items()
    },
    "intake GET /track/{code}": lambda fx, who: Call("GET", f"/track/{fx.tracking_code}"),
    "intake GET /admin/channel-keys": lambda fx, who: Call("GET", "/admin/channel-keys", page=True),
    "intake POST /admin/channel-keys": lambda fx, who: Call(
        "POST",
        "/admin/channel-keys",
        form={"channel": "open311", "label": f"access matrix ({who.role})"},
        page=True,
        csrf=True,
    ),
    "intake GET /admin/channel-keys/{key_id}/revoke": lambda fx, who: Call(
        "GET", f"/admin/channel-keys/{fx.revocable_key_id}/revoke", page=True
    ),
    # The admin comes last: the others are refused before the key is looked at.
    "intake POST /admin/channel-keys/{key_id}/revoke": lambda fx, who: Call(
        "POST", f"/admin/channel-keys/{fx.revocable_key_id}/revoke", page=True, csrf=True
    ),
    "intake POST /track/{code}": lambda fx, who: tracking_form(fx, ""),
    "intake POST /track/{code}/information": lambda fx, who: tracking_form(
        fx, "/information", text=f"ข้อมูลเพิ่มเติมจาก {who.role}"
    ),
    "intake POST /track/{code}/withdrawal": lambda fx, who: tracking_form(
        fx, "/withdrawal", reason="ยังไม่ยืนยัน"
    ),
    "intake POST /v1/track/{tracking_code}/information": lambda fx, who: Call(
        "POST",
        f"/v1/track/{fx.tracking_code}/information",
        json={"text": f"ข้อมูลเพิ่มเติมจาก {who.role}"},
        headers={"X-Tracking-PIN": fx.pin},
    ),
    "intake POST /v1/track/{tracking_code}/withdrawal": lambda fx, who: Call(
        "POST",
        f"/v1/track/{fx.tracking_code}/withdrawal",
        json={"reason": 42},
        headers={"X-Tracking-PIN": fx.pin},
    ),
    "intake GET /survey/{token}": lambda fx, who: Call("GET", f"/survey/{fx.survey_token}"),
    "intake POST /survey/{token}": lambda fx, who: Call(
        "POST", f"/survey/{fx.survey_token}", form={"rating": "5", "solved": "yes"}
    ),
    "workflow POST /v1/auth/login": lambda fx, who: Call(
        "POST", "/v1/auth/login", json=CREDENTIALS
    ),
    "workflow POST /v1/auth/sign-out-everywhere": lambda fx, who: Call(
        "POST", "/v1/auth/sign-out-everywhere"
    ),
    # A wrong current password: reaching the route is all the matrix asks (a right one
    # would change the account's password under the other rows).
    "workflow POST /v1/auth/password": lambda fx, who: Call(
        "POST",
        "/v1/auth/password",
        json={"current_password": "not-the-password-1", "new_password": "ต้นมะขามริมคลอง-7"},
    ),
    "workflow POST /v1/auth/staff/{staff_id}/sign-out-everywhere": lambda fx, who: Call(
        "POST", f"/v1/auth/staff/{fx.target_id}/sign-out-everywhere"
    ),
    "workflow GET /v1/cases/{case_id}": lambda fx, who: Call("GET", f"/v1/cases/{fx.case_id}"),
    "workflow GET /v1/cases/{case_id}/files/{file_id}": lambda fx, who: Call(
        "GET", fx.files["photo_url"]
    ),
    "workflow POST /v1/cases/{case_id}/commands/{command}": lambda fx, who: Call(
        "POST", f"/v1/cases/{fx.case_id}/commands/comment", json=COMMENT
    ),
    "workflow PUT /v1/admin/routing": lambda fx, who: Call(
        "PUT", "/v1/admin/routing", json=fx.routing
    ),
    "workflow PUT /v1/admin/sla": lambda fx, who: Call("PUT", "/v1/admin/sla", json=fx.sla),
    "workflow PUT /v1/admin/staff/{staff_id}": lambda fx, who: Call(
        "PUT", f"/v1/admin/staff/{fx.target_id}", json=fx.target_account
    ),
    "workflow POST /v1/admin/clock": lambda fx, who: Call(
        "POST", "/v1/admin/clock", json={"seconds": 0}
    ),
    "workflow POST /v1/admin/scan": lambda fx, who: Call("POST", "/v1/admin/scan"),
    # The admin's call erases the fixture case's person (a second call answers 200).
    "workflow POST /v1/admin/erasures": lambda fx, who: Call(
        "POST",
        "/v1/admin/erasures",
        json={"tracking_code": fx.tracking_code, "legal_basis": "data_subject_request"},
    ),
    "workflow GET /v1/admin/people/export": lambda fx, who: Call(
        "GET", "/v1/admin/people/export", params={"tracking_code": fx.tracking_code}
    ),
    "workflow GET /console/login": lambda fx, who: Call("GET", "/console/login", page=True),
    "workflow POST /console/login": lambda fx, who: Call(
        "POST", "/console/login", form=CREDENTIALS, page=True, csrf=True, signing_in=True
    ),
    "workflow POST /console/logout": lambda fx, who: Call(
        "POST", "/console/logout", form={}, page=True, csrf=True
    ),
    "workflow POST /console/sign-out-everywhere": lambda fx, who: Call(
        "POST", "/console/sign-out-everywhere", form={}, page=True, csrf=True
    ),
    "workflow GET /console/account": lambda fx, who: Call("GET", "/console/account", page=True),
    "workflow POST /console/account/password": lambda fx, who: Call(
        "POST", "/console/account/password", form=NEW_PASSWORD, page=True, csrf=True
    ),
    "workflow GET /console": lambda fx, who: Call(
        "GET", "/console", params={"view": "unit"}, page=True
    ),
    "workflow GET /console/last": lambda fx, who: Call("GET", "/console/last", page=True),
    "workflow GET /console/cases/{case_id}": lambda fx, who: Call(
        "GET", f"/console/cases/{fx.case_id}", page=True
    ),
    "workflow POST /console/cases/{case_id}/{command}": lambda fx, who: Call(
        "POST", f"/console/cases/{fx.case_id}/comment", form=COMMENT, page=True, csrf=True
    ),
    "workflow GET /console/new": lambda fx, who: Call("GET", "/console/new", page=True),
    # Each keyer's call keys in a case of its own through intake's real port.
    "workflow POST /console/new": lambda fx, who: Call(
        "POST", "/console/new", form=PHONE_ENTRY, page=True, csrf=True
    ),
    # The supervisor pages are pages (the session cookie), of the fixture case's unit
    # (admin), named for the admin; the supervisor's own.
    "workflow GET /console/supervisor": lambda fx, who: Call(
        "GET", "/console/supervisor", params={"unit": "admin"}, page=True
    ),
    "workflow GET /console/supervisor/unassigned": lambda fx, who: Call(
        "GET", "/console/supervisor/unassigned", params={"unit": "admin"}, page=True
    ),
    "workflow GET /console/supervisor/people/{staff_id}": lambda fx, who: Call(
        "GET", "/console/supervisor/people/admin.a", params={"unit": "admin"}, page=True
    ),
    # A hand-over of the fixture case at a version it never had: the page says it changed
    # meanwhile (200) and the case stays as the other rows expect it.
    "workflow POST /console/supervisor/reassign": lambda fx, who: Call(
        "POST",
        "/console/supervisor/reassign",
        form={"unit": "admin", f"case.{fx.case_id}": "0", "to": "admin.b"},
        page=True,
        csrf=True,
    ),
    # Each caller records (and then removes) an absence of its own, years ahead.
    "workflow POST /console/supervisor/absences": lambda fx, who: Call(
        "POST", "/console/supervisor/absences", form=absence(who), page=True, csrf=True
    ),
    "workflow POST /console/supervisor/absences/remove": lambda fx, who: Call(
        "POST", "/console/supervisor/absences/remove", form=absence(who), page=True, csrf=True
    ),
    # The admin pages: each GET as a page; each save as the page shows what is in force.
    **{
        f"workflow GET /console/admin{path}": (
            lambda fx, who, path=path: Call("GET", f"/console/admin{path}", page=True)
        )
        for path in ("", "/units", "/routing", "/sla", "/closures", "/history", "/staff")
    },
    "workflow POST /console/admin/units": lambda fx, who: admin_form("/units", {}),
    "workflow POST /console/admin/routing": lambda fx, who: admin_form(
        "/routing", routing_values(RoutingConfig.model_validate(fx.routing), load_catalogue())
    ),
    "workflow POST /console/admin/sla": lambda fx, who: admin_form(
        "/sla", sla_values(SlaConfig.model_validate(fx.sla))[0]
    ),
    "workflow POST /console/admin/closures": lambda fx, who: admin_form("/closures", {}),
    "workflow POST /console/admin/staff": lambda fx, who: admin_form(
        "/staff",
        {
            "username": f"matrix.{uuid.uuid4().hex[:8]}",
            "name": "บัญชีใหม่ของตาราง",
            "role": "committee",
            "unit": "",
            "password": f"ระฆังทอง-{uuid.uuid4().hex[:8]}",
        },
    ),
    "workflow GET /console/admin/staff/{staff_id}": lambda fx, who: Call(
        "GET", f"/console/admin/staff/{fx.target_id}", page=True
    ),
    "workflow POST /console/admin/staff/{staff_id}": lambda fx, who: admin_form(
        f"/staff/{fx.target_id}",
        {"name": str(fx.target_account["name"]), "role": "committee", "unit": ""},
    ),
    "workflow POST /console/admin/staff/{staff_id}/active": lambda fx, who: admin_form(
        f"/staff/{fx.target_id}/active", {"active": "1"}
    ),
    "workflow POST /console/admin/staff/{staff_id}/password": lambda fx, who: admin_form(
        f"/staff/{fx.target_id}/password", {"password": f"ตะเกียง-{uuid.uuid4().hex[:8]}"}
    ),
    "reporting POST /v1/admin/rebuild": lambda fx, who: Call("POST", "/v1/admin/rebuild"),
    "reporting GET /v1/reports/summary": lambda fx, who: Call(
        "GET", "/v1/reports/summary", params={"format": "csv"}
    ),
    "notifications GET /admin/templates": lambda fx, who: Call(
        "GET", "/admin/templates", page=True
    ),
    "notifications GET /admin/templates/{name}": lambda fx, who: Call(
        "GET", "/admin/templates/case_received", page=True
    ),
    "notifications GET /admin/templates/{name}/email": lambda fx, who: Call(
        "GET", "/admin/templates/case_received/email", params={"language": "en"}, page=True
    ),
    "reporting GET /dashboard/sign-in": lambda fx, who: Call(
        "GET", "/dashboard/sign-in", page=True
    ),
    "reporting GET /dashboard": lambda fx, who: Call("GET", "/dashboard", page=True),
    "reporting GET /reports/ita": lambda fx, who: Call(
        "GET", "/reports/ita", params={"format": "csv"}, page=True
    ),
    # The PDF: the heaviest answer of the participation report.
    "reporting GET /reports/participation": lambda fx, who: Call(
        "GET", "/reports/participation", params={"round": "6", "format": "pdf"}, page=True
    ),
    "reporting GET /transparency/participation": lambda fx, who: Call(
        "GET", "/transparency/participation", params={"format": "pdf"}, page=True
    ),
    "participation POST /v1/consultations": lambda fx, who: Call(
        "POST", "/v1/consultations", json=consultation_body()
    ),
    "participation GET /v1/consultations/{consultation_id}": lambda fx, who: Call(
        "GET", f"/v1/consultations/{fx.consultation_id}"
    ),
    "participation PUT /v1/consultations/{consultation_id}": lambda fx, who: Call(
        "PUT", f"/v1/consultations/{fx.draft_id}", json=consultation_body()
    ),
    # Each caller opens a draft of its own (an opened one cannot be opened again).
    "participation POST /v1/consultations/{consultation_id}/commands/{command}": lambda fx, who: (
        Call("POST", f"/v1/consultations/{fx.drafts[who.role]}/commands/open")
    ),
    "participation GET /v1/consultations/{consultation_id}/opinions": lambda fx, who: Call(
        "GET", f"/v1/consultations/{fx.consultation_id}/opinions"
    ),
    "participation PUT /v1/consultations/{consultation_id}/opinions/{opinion_id}/themes": (
        lambda fx, who: Call(
            "PUT",
            f"/v1/consultations/{fx.consultation_id}/opinions/{fx.opinion_id}/themes",
            json={"themes": ["อาหารกลางวัน"]},
        )
    ),
    "participation GET /v1/consultations/{consultation_id}/opinions/{opinion_id}/contact": (
        lambda fx, who: Call(
            "GET", f"/v1/consultations/{fx.consultation_id}/opinions/{fx.opinion_id}/contact"
        )
    ),
    "participation POST /v1/outcomes": lambda fx, who: Call(
        "POST", "/v1/outcomes", json=fx.outcome
    ),
    "participation GET /v1/outcomes/{outcome_id}": lambda fx, who: Call(
        "GET", f"/v1/outcomes/{fx.outcome_id}"
    ),
    "participation PATCH /v1/outcomes/{outcome_id}": lambda fx, who: Call(
        "PATCH", f"/v1/outcomes/{fx.outcome_id}", json={"we_did_en": "More fruit at lunch"}
    ),
    "participation GET /v1/missions/{fiscal_year}": lambda fx, who: Call(
        "GET", f"/v1/missions/{fx.fiscal_year}"
    ),
    # The plan and an item of it, saved as they are.
    "participation PUT /v1/missions/{fiscal_year}": lambda fx, who: Call(
        "PUT", f"/v1/missions/{fx.fiscal_year}", json=fx.plan
    ),
    "participation PUT /v1/missions/{fiscal_year}/items/{code}": lambda fx, who: Call(
        "PUT",
        f"/v1/missions/{fx.fiscal_year}/items/{fx.plan['items'][0]['code']}",
        json=fx.plan["items"][0],
    ),
    "participation GET /v1/public/consultations/{consultation_id}": lambda fx, who: Call(
        "GET", f"/v1/public/consultations/{fx.consultation_id}"
    ),
    "participation POST /v1/public/consultations/{consultation_id}/opinions": lambda fx, who: Call(
        "POST", f"/v1/public/consultations/{fx.consultation_id}/opinions", json=OPINION
    ),
    "participation GET /consultations/{consultation_id}": lambda fx, who: Call(
        "GET", f"/consultations/{fx.consultation_id}"
    ),
    "participation POST /consultations/{consultation_id}": lambda fx, who: Call(
        "POST",
        f"/consultations/{fx.consultation_id}",
        form={"group": "teachers", "answers.lunch": "fair"},
    ),
    "participation POST /v1/committees": lambda fx, who: Call(
        "POST", "/v1/committees", json=fx.committee
    ),
    "participation GET /v1/committees/{committee_id}": lambda fx, who: Call(
        "GET", f"/v1/committees/{fx.committee_id}"
    ),
    "participation POST /v1/committees/{committee_id}/members": lambda fx, who: Call(
        "POST", f"/v1/committees/{fx.committee_id}/members", json=fx.member
    ),
    # Each caller retires a member of its own (a retired member cannot retire again).
    "participation POST /v1/committees/{committee_id}/members/{member_id}/retire": (
        lambda fx, who: Call(
            "POST",
            f"/v1/committees/{fx.committee_id}/members/{fx.members[who.role]}/retire",
            json={"retired_on": "2027-03-31", "reason": "ครบวาระ"},
        )
    ),
    # Committees' papers and meetings, reviews (2.3, 2.1): each caller that may closes a
    # meeting, and holds or reports a review, of its own (each can be done once).
    "participation POST /v1/committees/{committee_id}/orders": lambda fx, who: Call(
        "POST",
        f"/v1/committees/{fx.committee_id}/orders",
        form=ORDER_FORM,
        files={"file": ("order.pdf", ORDER_PDF, "application/pdf")},
    ),
    "participation GET /v1/committees/{committee_id}/orders": lambda fx, who: Call(
        "GET", f"/v1/committees/{fx.committee_id}/orders"
    ),
    "participation GET /v1/committees/{committee_id}/orders/{order_id}/document": (
        lambda fx, who: Call(
            "GET", f"/v1/committees/{fx.committee_id}/orders/{fx.papers['order_id']}/document"
        )
    ),
    "participation POST /v1/committees/{committee_id}/meetings": lambda fx, who: Call(
        "POST", f"/v1/committees/{fx.committee_id}/meetings", json=fx.papers["meeting"]
    ),
    "participation GET /v1/committees/{committee_id}/meetings": lambda fx, who: Call(
        "GET", f"/v1/committees/{fx.committee_id}/meetings"
    ),
    "participation GET /v1/committees/{committee_id}/meetings/{meeting_id}": lambda fx, who: Call(
        "GET", f"/v1/committees/{fx.committee_id}/meetings/{fx.papers['meeting_id']}"
    ),
    "participation PUT /v1/committees/{committee_id}/meetings/{meeting_id}": lambda fx, who: Call(
        "PUT",
        f"/v1/committees/{fx.committee_id}/meetings/{fx.papers['meeting_id']}",
        json=fx.papers["meeting"],
    ),
    "participation POST /v1/committees/{committee_id}/meetings/{meeting_id}/close": (
        lambda fx, who: Call(
            "POST",
            f"/v1/committees/{fx.committee_id}/meetings/{fx.papers['closing'][who.role]}/close",
        )
    ),
    "participation POST /v1/reviews": lambda fx, who: Call(
        "POST", "/v1/reviews", json={**REVIEW, "planned_on": "2026-11-15"}
    ),
    "participation GET /v1/reviews/{review_id}": lambda fx, who: Call(
        "GET", f"/v1/reviews/{fx.papers['review_id']}"
    ),
    "participation POST /v1/reviews/{review_id}/hold": lambda fx, who: Call(
        "POST", f"/v1/reviews/{fx.papers['planned'][who.role]}/hold", json=HELD
    ),
    "participation POST /v1/reviews/{review_id}/report": lambda fx, who: Call(
        "POST", f"/v1/reviews/{fx.papers['held'][who.role]}/report", json=FINDINGS
    ),
    "participation GET /staff/committees": lambda fx, who: Call(
        "GET", "/staff/committees", page=True
    ),
    "participation GET /staff/committees/{committee_id}": lambda fx, who: Call(
        "GET", f"/staff/committees/{fx.committee_id}", page=True
    ),
    "participation POST /staff/committees/{committee_id}/orders": lambda fx, who: Call(
        "POST",
        f"/staff/committees/{fx.committee_id}/orders",
        form=ORDER_FORM,
        files={"file": ("order.pdf", ORDER_PDF, "application/pdf")},
        page=True,
        csrf=True,
    ),
    "participation POST /staff/committees/{committee_id}/meetings": lambda fx, who: Call(
        "POST",
        f"/staff/committees/{fx.committee_id}/meetings",
        form={"held_on": "2026-11-15", "minutes": "ที่ประชุมรับทราบ", "resolutions": "เห็นชอบ"},
        page=True,
        csrf=True,
    ),
    "participation GET /staff/committees/{committee_id}/meetings/{meeting_id}": (
        lambda fx, who: Call(
            "GET",
            f"/staff/committees/{fx.committee_id}/meetings/{fx.papers['meeting_id']}",
            page=True,
        )
    ),
    "participation POST /staff/committees/{committee_id}/meetings/{meeting_id}/close": (
        lambda fx, who: Call(
            "POST",
            f"/staff/committees/{fx.committee_id}/meetings/"
            f"{fx.papers['page_closing'][who.role]}/close",
            form={},
            page=True,
            csrf=True,
        )
    ),
    "participation POST /v1/mission-surveys": lambda fx, who: Call(
        "POST", "/v1/mission-surveys", json=fx.surveys["body"]
    ),
    "participation GET /v1/mission-surveys/{survey_id}": lambda fx, who: Call(
        "GET", f"/v1/mission-surveys/{fx.surveys['open_id']}"
    ),
    "participation PUT /v1/mission-surveys/{survey_id}": lambda fx, who: Call(
        "PUT", f"/v1/mission-surveys/{fx.surveys['draft_id']}", json=fx.surveys["body"]
    ),
    "participation POST /v1/mission-surveys/{survey_id}/commands/{command}": lambda fx, who: Call(
        "POST", f"/v1/mission-surveys/{fx.surveys['drafts'][who.role]}/commands/open"
    ),
    "participation GET /v1/mission-surveys/{survey_id}/texts": lambda fx, who: Call(
        "GET", f"/v1/mission-surveys/{fx.surveys['open_id']}/texts"
    ),
    "participation POST /v1/mission-surveys/{survey_id}/links": lambda fx, who: Call(
        "POST",
        f"/v1/mission-surveys/{fx.surveys['open_id']}/links",
        json={"recipients": ["โรงเรียนบ้านหนองบัว"]},
    ),
    "participation GET /staff/mission-surveys": lambda fx, who: Call(
        "GET", "/staff/mission-surveys", page=True
    ),
    "participation GET /staff/mission-surveys/{survey_id}": lambda fx, who: Call(
        "GET", f"/staff/mission-surveys/{fx.surveys['open_id']}", page=True
    ),
    "participation POST /staff/mission-surveys": lambda fx, who: Call(
        "POST", "/staff/mission-surveys", form=survey_form(), page=True, csrf=True
    ),
    "participation POST /staff/mission-surveys/{survey_id}/links": lambda fx, who: Call(
        "POST",
        f"/staff/mission-surveys/{fx.surveys['open_id']}/links",
        form={"recipients": "ผู้ปกครอง ป.1\nผู้ปกครอง ป.2"},
        page=True,
        csrf=True,
    ),
    "participation POST /staff/mission-surveys/{survey_id}/{command}": lambda fx, who: Call(
        "POST",
        f"/staff/mission-surveys/{fx.surveys['page_drafts'][who.role]}/open",
        form={},
        page=True,
        csrf=True,
    ),
    "participation GET /v1/public/mission-surveys/{survey_id}": lambda fx, who: Call(
        "GET", f"/v1/public/mission-surveys/{fx.surveys['open_id']}"
    ),
    "participation POST /v1/public/mission-surveys/{survey_id}/responses": lambda fx, who: Call(
        "POST",
        f"/v1/public/mission-surveys/{fx.surveys['open_id']}/responses",
        json={"scores": {"teaching": 4}},
    ),
    "participation GET /mission-surveys/{survey_id}": lambda fx, who: Call(
        "GET", f"/mission-surveys/{fx.surveys['open_id']}", params={"t": fx.surveys["token"]}
    ),
    # The public form: its CSRF token is bound to the browser's nonce only (no session).
    "participation POST /mission-surveys/{survey_id}": lambda fx, who: Call(
        "POST",
        f"/mission-surveys/{fx.surveys['open_id']}",
        form={"scores.teaching": "5"},
        csrf=True,
        signing_in=True,
    ),
    "participation GET /staff/reviews": lambda fx, who: Call("GET", "/staff/reviews", page=True),
    "participation POST /staff/reviews": lambda fx, who: Call(
        "POST",
        "/staff/reviews",
        form={**REVIEW, "planned_on": "2026-11-15"},
        page=True,
        csrf=True,
    ),
    "participation GET /staff/reviews/{review_id}": lambda fx, who: Call(
        "GET", f"/staff/reviews/{fx.papers['review_id']}", page=True
    ),
    "participation POST /staff/reviews/{review_id}/{command}": lambda fx, who: Call(
        "POST",
        f"/staff/reviews/{fx.papers['page_planned'][who.role]}/hold",
        form={"held_on": HELD["held_on"], "group.parents": "5"},
        page=True,
        csrf=True,
    ),
    # The coordinator's pages (`staff_work.py`): each caller adds an item of its own to a
    # year no other row touches, opens a draft and retires a member of its own.
    "participation GET /staff/missions": lambda fx, who: Call("GET", "/staff/missions", page=True),
    "participation POST /staff/missions/{fiscal_year}/items": lambda fx, who: Call(
        "POST",
        f"/staff/missions/{PAGE_YEAR}/items",
        form={"code": f"W-{who.role}", "kind": "mission", "name_th": "ทดสอบ", "name_en": "Test"},
        page=True,
        csrf=True,
    ),
    "participation GET /staff/missions/{fiscal_year}/items/{code}": lambda fx, who: Call(
        "GET", f"/staff/missions/{fx.fiscal_year}/items/{fx.plan['items'][0]['code']}", page=True
    ),
    "participation POST /staff/missions/{fiscal_year}/items/{code}": lambda fx, who: Call(
        "POST",
        f"/staff/missions/{fx.fiscal_year}/items/{fx.plan['items'][0]['code']}",
        form={k: fx.plan["items"][0][k] for k in ("kind", "name_th", "name_en")},
        page=True,
        csrf=True,
    ),
    "participation POST /staff/committees": lambda fx, who: Call(
        "POST", "/staff/committees", form=COMMITTEE_FORM, page=True, csrf=True
    ),
    "participation POST /staff/committees/{committee_id}/members": lambda fx, who: Call(
        "POST",
        f"/staff/committees/{fx.committee_id}/members",
        form={"name": "กรรมการหน้าเว็บ", "group": "parents", "starts_on": "2026-11-01"},
        page=True,
        csrf=True,
    ),
    "participation POST /staff/committees/{committee_id}/members/{member_id}/retire": (
        lambda fx, who: Call(
            "POST",
            f"/staff/committees/{fx.committee_id}/members/{fx.work['members'][who.role]}/retire",
            form={"retired_on": "2027-03-31", "reason": "ครบวาระ"},
            page=True,
            csrf=True,
        )
    ),
    "participation GET /staff/consultations": lambda fx, who: Call(
        "GET", "/staff/consultations", page=True
    ),
    "participation POST /staff/consultations": lambda fx, who: Call(
        "POST", "/staff/consultations", form=CONSULTATION_FORM, page=True, csrf=True
    ),
    "participation GET /staff/consultations/{consultation_id}": lambda fx, who: Call(
        "GET", f"/staff/consultations/{fx.consultation_id}", page=True
    ),
    "participation POST /staff/consultations/{consultation_id}/{command}": lambda fx, who: Call(
        "POST",
        f"/staff/consultations/{fx.work['drafts'][who.role]}/open",
        form={},
        page=True,
        csrf=True,
    ),
    "participation GET /staff/consultations/{consultation_id}/opinions": lambda fx, who: Call(
        "GET", f"/staff/consultations/{fx.consultation_id}/opinions", page=True
    ),
    "participation POST /staff/consultations/{consultation_id}/opinions/{opinion_id}/themes": (
        lambda fx, who: Call(
            "POST",
            f"/staff/consultations/{fx.consultation_id}/opinions/{fx.opinion_id}/themes",
            form={"themes": "อาหารกลางวัน"},
            page=True,
            csrf=True,
        )
    ),
    "participation GET /staff/outcomes": lambda fx, who: Call("GET", "/staff/outcomes", page=True),
    "participation POST /staff/outcomes": lambda fx, who: Call(
        "POST",
        "/staff/outcomes",
        form={k: v for k, v in fx.outcome.items() if k != "opinion_ids"},
        page=True,
        csrf=True,
    ),
    "participation GET /staff/outcomes/{outcome_id}": lambda fx, who: Call(
        "GET", f"/staff/outcomes/{fx.outcome_id}", page=True
    ),
    "participation POST /staff/outcomes/{outcome_id}": lambda fx, who: Call(
        "POST",
        f"/staff/outcomes/{fx.outcome_id}",
        form={"we_did_en": "More fruit at lunch"},
        page=True,
        csrf=True,
    ),
}
