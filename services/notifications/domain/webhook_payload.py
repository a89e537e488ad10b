"""The body posted to a partner's webhook: the public update, as canonical JSON bytes.

The bytes returned here are exactly what is signed (`signing.sign`) and sent, so they
must not be re-serialised on the way: sorted keys, no spaces, UTF-8.
"""

from __future__ import annotations

import orjson

from services.notifications.domain.notice import DeliveryChannel, Notice

SCHEMA = "th.go.siang.webhook.case_update.v1"


def webhook_body(notice: Notice) -> bytes:
    """The JSON body for a subscriber notice: what happened to which tracking code.

    The context of a subscriber notice holds no personal data by construction (see
    `rules._to_subscribers`); this function adds only the envelope fields.
    """
    if notice.channel is not DeliveryChannel.webhook:
        raise ValueError("only webhook notices have a webhook body")
    doc = {
        "schema": SCHEMA,
        "notification_id": notice.notification_id,
        "template": notice.template.value,
        "language": notice.language.value,
        "case": notice.context,
    }
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)
