"""A mail archive that keeps copies of the e-mails sent (in `make dev`, the mail catcher),
asked to forget a person's notices when their personal data is erased (PDPA).

The notices are named by their notification ids (each e-mail carries its own as
`X-Siang-Notification-Id`), not by the person's address: by the time notifications reads
`case.personal_data_erased`, workflow has deleted the address from the personal-data
store in the same transaction, and a sent ledger row keeps only a digest of it. The ids
are no personal data, so the request puts nothing of the person in a URL or a log.

`DELETE {url}?notification_id=a&notification_id=b...`, at most `CHUNK` ids a request. A
2xx answer is the purge done; 404 or 410 mean the archive holds none (or is gone for
good), which is done as well. Anything else (no answer, a 5xx, a refusal) raises
`ArchiveUnavailable`, which the consumer treats like a lost connection: it rewinds and
tries the batch again, so the erasure is never acknowledged before the archive is
purged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import aiohttp
import orjson

#: Ids per request: 53 characters each as `notification_id=<uuid>&`, so a request line
#: stays under 2 KB, which every HTTP server and proxy takes.
CHUNK = 30
#: The answers that mean "nothing more to forget here".
DONE = frozenset({404, 410})


class ArchiveUnavailable(ConnectionError):
    """The archive did not confirm the purge. A ConnectionError so the Kafka consumer
    retries it as an outage of the infrastructure, forever, never dead-lettering the
    erasure (`shared.infra.kafka.TRANSIENT`)."""


def confirmed(status: int) -> bool:
    """Whether an answer with `status` settles a purge request."""
    return 200 <= status < 300 or status in DONE


def purge_urls(url: str, notification_ids: Sequence[str]) -> list[str]:
    """The requests that name every id once, in order."""
    ids = list(dict.fromkeys(i for i in notification_ids if i))
    separator = "&" if "?" in url else "?"
    return [
        url + separator + urlencode([("notification_id", i) for i in ids[at : at + CHUNK]])
        for at in range(0, len(ids), CHUNK)
    ]


@dataclass(frozen=True, slots=True)
class MailArchive:
    url: str
    timeout_seconds: float = 10.0

    async def forget(self, notification_ids: Sequence[str]) -> int:
        """Ask the archive to delete the messages of these notices; how many it says it
        removed. Raises ArchiveUnavailable until it confirms."""
        urls = purge_urls(self.url, notification_ids)
        if not urls:
            return 0
        removed = 0
        # A session per erasure: they are rare, and it leaves nothing open to close.
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
            for url in urls:
                removed += await self._delete(session, url)
        return removed

    async def _delete(self, session: aiohttp.ClientSession, url: str) -> int:
        try:
            async with session.delete(
                url,
                timeout=aiohttp.ClientTimeout(total=self.timeout_seconds),
                allow_redirects=False,
            ) as response:
                status = response.status
                raw = await response.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise ArchiveUnavailable(f"the mail archive did not answer: {exc!r}") from exc
        if not confirmed(status):
            raise ArchiveUnavailable(f"the mail archive answered HTTP {status}")
        return removed_count(raw) if status < 300 else 0


def removed_count(body: bytes) -> int:
    """The `removed` an archive may report; an archive that says nothing more than 2xx
    has still confirmed."""
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError:
        return 0
    count = doc.get("removed") if isinstance(doc, dict) else None
    return count if isinstance(count, int) else 0
