"""The staff API for a committee's appointment orders as documents: attach the signed
order (multipart: its number, date and the file: a PDF, JPEG or PNG by its content, up
to `SIANG_PARTICIPATION_MAX_DOCUMENT_BYTES`), list them, download one (staff, and the
committee's own members)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError

from services.participation.api.access import Caller, actor_of
from services.participation.api.errors import refusals
from services.participation.api.routing import ApiRouter
from services.participation.context import ParticipationContext, context_of
from services.participation.domain.committees import AppointmentOrder
from services.participation.domain.errors import (
    InvalidField,
    MissingField,
    TooLarge,
    UnsupportedType,
)
from services.participation.handlers import committees, papers
from shared.infra.attachments import EXTENSIONS
from shared.infra.uploads import BodyTooLarge, Form, NotAForm, read_form

router = ApiRouter(prefix="/v1/committees/{committee_id}/orders", tags=["committees"])

Ctx = Annotated[ParticipationContext, Depends(context_of)]


class OrderView(BaseModel):
    order_id: str
    number: str
    signed_on: date
    title_th: str | None
    content_type: str
    size_bytes: int
    uploaded_at: datetime
    uploaded_by: str
    # Where staff and the committee's members download it.
    document_url: str


class OrderList(BaseModel):
    orders: list[OrderView]


def order_view(committee_id: str, entry: dict[str, Any]) -> OrderView:
    return OrderView(
        **{k: entry.get(k) for k in OrderView.model_fields if k != "document_url"},
        document_url=f"/v1/committees/{committee_id}/orders/{entry['order_id']}/document",
    )


ORDER_FORM: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["number", "signed_on", "file"],
                    "properties": {
                        "number": {"type": "string", "minLength": 1, "maxLength": 40},
                        "signed_on": {
                            "type": "string",
                            "format": "date",
                            "description": "The day it was signed: not after today (Bangkok)",
                        },
                        "title_th": {"type": "string", "maxLength": 300},
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The signed order: a PDF, JPEG or PNG, told by "
                            "its content (else 415), up to the size limit (else 413)",
                        },
                    },
                }
            }
        },
    }
}


def order_of_form(form: Form) -> AppointmentOrder:
    """The order a form describes; 422 naming the field."""
    raw = {"number": form.get("number"), "signed_on": form.get("signed_on") or None}
    if form.get("title_th"):
        raw["title_th"] = form.get("title_th")
    try:
        return AppointmentOrder.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "body"
        raise InvalidField("attach an appointment order", field, str(first["msg"])) from None


async def read_order_form(request: Request, limit: int) -> tuple[AppointmentOrder, bytes]:
    try:
        form = await read_form(request, limit)
    except BodyTooLarge:
        raise TooLarge("file", limit) from None
    except NotAForm as exc:
        raise InvalidField("attach an appointment order", "body", str(exc)) from None
    order = order_of_form(form)
    if "file" not in form.files:
        raise MissingField("attach an appointment order", "file")
    return order, form.files["file"]


@router.post(
    "",
    response_model=OrderView,
    status_code=201,
    summary="Attach a signed appointment order (multipart: number, signed_on, file)",
    openapi_extra=ORDER_FORM,
    responses=refusals(TooLarge, UnsupportedType),
)
async def attach(committee_id: str, request: Request, ctx: Ctx, caller: Caller) -> OrderView:
    actor = actor_of(caller)
    order, data = await read_order_form(request, ctx.settings.max_document_bytes)
    _, entry = await papers.attach_order(ctx, committee_id, order, data, actor)
    return order_view(committee_id, entry)


@router.get(
    "",
    response_model=OrderList,
    summary="A committee's appointment orders (staff, and its own members)",
)
async def list_orders(committee_id: str, ctx: Ctx, caller: Caller) -> OrderList:
    doc = await committees.readable(ctx, committee_id, caller)
    return OrderList(orders=[order_view(committee_id, o) for o in doc.get("orders", [])])


@router.get(
    "/{order_id}/document",
    response_class=Response,
    summary="Download an order's document (staff, and the committee's own members)",
    responses={
        200: {
            "description": "The document as uploaded",
            "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
            },
        },
    },
)
async def document(committee_id: str, order_id: str, ctx: Ctx, caller: Caller) -> Response:
    entry, data = await papers.order_document(ctx, committee_id, order_id, caller)
    # Named by its id: an order number may hold Thai digits, which a header cannot.
    name = f"order-{order_id}.{EXTENSIONS.get(entry['content_type'], 'bin')}"
    return Response(
        data,
        media_type=entry["content_type"],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )
