"""Reads and writes by long id lists, sliced, against the real MongoDB-wire server: the
answer is the one a single `$in` statement would give, inside and outside a transaction."""

from __future__ import annotations

from pymongo import DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession

from shared.infra.by_ids import SLICE, delete_in, find_in, ids_in, update_in
from shared.infra.mongo import create_mongo_client, database, in_transaction
from shared.infra.settings import MongoSettings


async def test_sliced_reads_and_writes_touch_exactly_the_named_documents(
    mongo_settings: MongoSettings,
) -> None:
    client = create_mongo_client(mongo_settings)
    rows = database(client, mongo_settings)["rows"]
    n = 3 * SLICE + 7
    await rows.insert_many([{"_id": f"r{i:03d}", "i": i, "odd": i % 2 == 1} for i in range(n)])
    wanted = [f"r{i:03d}" for i in range(0, n, 2)] + ["missing-1", "missing-2"]
    try:
        assert await ids_in(rows, wanted) == {f"r{i:03d}" for i in range(0, n, 2)}

        # `also` narrows every slice; `limit` and `sort` apply per slice.
        odd = await find_in(rows, "_id", [f"r{i:03d}" for i in range(n)], {"odd": True}, {"i": 1})
        assert sorted(d["i"] for d in odd) == list(range(1, n, 2))
        tops = await find_in(
            rows, "_id", [f"r{i:03d}" for i in range(n)], sort=[("i", DESCENDING)], limit=1
        )
        assert [d["i"] for d in tops] == [SLICE - 1, 2 * SLICE - 1, 3 * SLICE - 1, n - 1]

        touched = await update_in(rows, "_id", wanted, {"$set": {"seen": True}}, {"odd": False})
        assert (touched.matched, touched.modified) == (len(wanted) - 2, len(wanted) - 2)
        assert await rows.count_documents({"seen": True}) == len(wanted) - 2

        async def work(session: AsyncClientSession) -> int:
            return await delete_in(rows, "_id", wanted, session=session)

        assert await in_transaction(client, work) == len(wanted) - 2
        left = sorted([d["i"] async for d in rows.find({})])
        assert left == list(range(1, n, 2))
    finally:
        await client.close()
