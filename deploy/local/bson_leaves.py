"""The types of a decoded BSON document's single values, as the local SecantusDB's
adapters meet them: never a list or a dict to walk into, and never changed in place."""

from __future__ import annotations

import datetime
import uuid

from bson import Binary, Decimal128, Int64, ObjectId, Timestamp

LEAVES = frozenset(
    {
        str,
        int,
        float,
        bool,
        type(None),
        bytes,
        datetime.datetime,
        ObjectId,
        Int64,
        Decimal128,
        Timestamp,
        Binary,
        uuid.UUID,
    }
)
