"""The personal-data store against the real MongoDB-wire server: written once under a
reference, read back, every staff read logged, exported on request, erased for good."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from pymongo import AsyncMongoClient

from shared.contract.events import Contact
from shared.infra.mongo import Document, create_mongo_client, database, in_transaction
from shared.infra.personal_data import PersonalData, Reader, person_id_for
from shared.infra.settings import MongoSettings

SOMCHAI = Contact(name="สมชาย ใจดี", phone="+66812345678", email="somchai@example.org")


@pytest.fixture
async def client(mongo_settings: MongoSettings) -> AsyncIterator[AsyncMongoClient[Document]]:
    mongo = create_mongo_client(mongo_settings)
    yield mongo
    await mongo.close()


@pytest.fixture
async def vault(client: AsyncMongoClient[Document], mongo_settings: MongoSettings) -> PersonalData:
    store = PersonalData(database(client, mongo_settings))
    await store.ensure_indexes()
    return store


async def test_a_person_written_twice_in_transactions_is_stored_once(
    client: AsyncMongoClient[Document], vault: PersonalData
) -> None:
    person = person_id_for("s-1")
    doc = PersonalData.document(person, SOMCHAI, source="web", at=datetime.now(UTC))
    for _ in range(2):  # a retried write lands on the same document
        await in_transaction(client, lambda s: vault.insert_many([doc], s))
    assert await vault.people.count_documents({}) == 1
    assert (await vault.contacts([person, "p-unknown"])) == {person: SOMCHAI}


async def test_staff_reads_are_logged_and_exported_with_the_data(vault: PersonalData) -> None:
    person = person_id_for("s-2")
    await vault.insert_many(
        [PersonalData.document(person, SOMCHAI, source="web", at=datetime.now(UTC))]
    )
    read = await vault.read_for(Reader("personnel.a", "case page"), [person], about="c-1")
    assert read[person].email == "somchai@example.org"
    exported = await vault.export(person)
    assert exported is not None
    assert exported["contact"]["name"] == "สมชาย ใจดี"
    assert [(r["staff_id"], r["purpose"], r["about"]) for r in exported["reads"]] == [
        ("personnel.a", "case page", "c-1")
    ]


async def test_an_erased_person_cannot_be_read_or_exported(vault: PersonalData) -> None:
    keep, gone = person_id_for("s-3"), person_id_for("s-4")
    now = datetime.now(UTC)
    await vault.insert_many(
        [
            PersonalData.document(keep, Contact(name="Keep"), source="web", at=now),
            PersonalData.document(gone, SOMCHAI, source="web", at=now),
        ]
    )
    assert await vault.erase([gone, gone]) == 1
    assert await vault.erase([gone]) == 0
    assert await vault.contacts([keep, gone]) == {keep: Contact(name="Keep")}
    assert await vault.export(gone) is None
    assert await vault.people.find_one({"contact.email": "somchai@example.org"}) is None
