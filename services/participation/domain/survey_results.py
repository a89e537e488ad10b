"""A mission survey's answers counted per Likert item: a pure reducer.

`increments` says which counters one answer adds 1 to (dotted paths, as the adapter
`$inc`s them on the survey in the answer's transaction); `SurveyTally.of` reads them back
and `SurveyTally.add` applies an answer in memory, so a recount from the stored responses
must equal the running counters. A survey asks one stakeholder group, so its counts are
that group's.

    responses                 every answer
    via.<public|personal>     ... through the public link, or a signed per-person one
    scores.<item>.<1..5>      answers giving the item that score
    texts.<question>          answers writing something for the question
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shared.contract.events import SurveyLink

SCORES = (1, 2, 3, 4, 5)


def increments(
    scores: Mapping[str, int], texts: Mapping[str, str], via: SurveyLink
) -> dict[str, int]:
    """The counters one (checked) answer adds 1 to."""
    out = {"responses": 1, f"via.{via.value}": 1}
    for item_id, score in scores.items():
        out[f"scores.{item_id}.{score}"] = 1
    for question_id in texts:
        out[f"texts.{question_id}"] = 1
    return out


@dataclass(frozen=True)
class ItemResult:
    """One Likert item's results: how many gave 1..5, how many scored it, the mean."""

    item_id: str
    distribution: tuple[int, int, int, int, int]
    answered: int
    mean: float | None


@dataclass(frozen=True)
class SurveyTally:
    responses: int = 0
    public: int = 0
    personal: int = 0
    # Item id → how many gave 1, 2, 3, 4, 5.
    scores: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    # Text question id → how many wrote something.
    texts: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, counters: Mapping[str, Any] | None) -> SurveyTally:
        """The tally kept on a survey (its `tally` field as the adapter `$inc`s it)."""
        doc = counters or {}
        via = doc.get("via") or {}
        scores = {
            str(item): tuple(int((by_score or {}).get(str(s), 0)) for s in SCORES)
            for item, by_score in (doc.get("scores") or {}).items()
        }
        return cls(
            responses=int(doc.get("responses", 0)),
            public=int(via.get(SurveyLink.public.value, 0)),
            personal=int(via.get(SurveyLink.personal.value, 0)),
            scores=scores,
            texts={str(q): int(n) for q, n in (doc.get("texts") or {}).items()},
        )

    def add(
        self, scores: Mapping[str, int], texts: Mapping[str, str], via: SurveyLink
    ) -> SurveyTally:
        """A new tally with one answer counted (this one is left as it was)."""
        by_item = {k: list(v) for k, v in self.scores.items()}
        for item_id, score in scores.items():
            by_item.setdefault(item_id, [0] * len(SCORES))[score - 1] += 1
        by_text = dict(self.texts)
        for question_id in texts:
            by_text[question_id] = by_text.get(question_id, 0) + 1
        return SurveyTally(
            responses=self.responses + 1,
            public=self.public + (via is SurveyLink.public),
            personal=self.personal + (via is SurveyLink.personal),
            scores={k: tuple(v) for k, v in by_item.items()},
            texts=by_text,
        )

    def counts(self, item_id: str) -> tuple[int, int, int, int, int]:
        got = self.scores.get(item_id) or (0,) * len(SCORES)
        return (got[0], got[1], got[2], got[3], got[4])


def tally_of(
    answers: Iterable[tuple[Mapping[str, int], Mapping[str, str], SurveyLink]],
) -> SurveyTally:
    """Count answers from scratch (what the running counters must equal)."""
    tally = SurveyTally()
    for scores, texts, via in answers:
        tally = tally.add(scores, texts, via)
    return tally


def item_result(item_id: str, tally: SurveyTally) -> ItemResult:
    counts = tally.counts(item_id)
    answered = sum(counts)
    total = sum(score * n for score, n in zip(SCORES, counts, strict=True))
    mean = round(total / answered, 2) if answered else None
    return ItemResult(item_id, counts, answered, mean)


def results(item_ids: Sequence[str], tally: SurveyTally) -> list[ItemResult]:
    """Each item's results, in the survey's order (items nobody scored included)."""
    return [item_result(i, tally) for i in item_ids]


def overall_mean(item_results: Iterable[ItemResult]) -> float | None:
    """The mean of every score given to any item (each score weighs the same)."""
    answered = total = 0
    for r in item_results:
        answered += r.answered
        total += sum(score * n for score, n in zip(SCORES, r.distribution, strict=True))
    return round(total / answered, 2) if answered else None


def closed_counts(item_ids: Sequence[str], tally: SurveyTally) -> dict[str, list[int]]:
    """Item id → how many gave 1..5, as the closing event carries them."""
    return {i: list(tally.counts(i)) for i in item_ids}
