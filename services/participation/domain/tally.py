"""Opinions counted per stakeholder group and per question: a pure reducer.

`increments(opinion)` says which counters one opinion adds to (dotted paths, as the
adapter `$inc`s them on the consultation in the opinion's transaction); `add` applies
them to a tally in memory, and `tally_of` folds a list of opinions, so a recount from
the stored opinions must equal the running counters.

    total                                    every opinion
    by_group.<group>                         opinions of a group
    by_question.<q>.answered                 opinions answering q
    by_question.<q>.by_group.<group>         ... of a group
    by_question.<q>.choices.<code>           opinions picking a choice
    by_question.<q>.choices_by_group.<group>.<code>
    themes.<theme>                           (separately: `theme_counts`)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from services.participation.domain.consultation import Consultation, QuestionKind

Tally = dict[str, Any]


@dataclass(frozen=True, slots=True)
class CountedOpinion:
    """What counting needs of an opinion."""

    group: str
    answers: Mapping[str, str]
    themes: tuple[str, ...] = field(default=())


def increments(consultation: Consultation, opinion: CountedOpinion) -> dict[str, int]:
    """The counters one opinion adds 1 to. Text answers count as answered; choice
    answers also count their choice (overall and in the opinion's group)."""
    g = opinion.group
    out = {"total": 1, f"by_group.{g}": 1}
    for question in consultation.questions:
        value = opinion.answers.get(question.id)
        if not value:
            continue
        q = f"by_question.{question.id}"
        out[f"{q}.answered"] = 1
        out[f"{q}.by_group.{g}"] = 1
        if question.kind is QuestionKind.choice:
            out[f"{q}.choices.{value}"] = 1
            out[f"{q}.choices_by_group.{g}.{value}"] = 1
    return out


def add(tally: Tally, consultation: Consultation, opinion: CountedOpinion) -> Tally:
    """A new tally with `opinion` counted (the tally given is left as it was)."""
    out = _copy(tally)
    for path, n in increments(consultation, opinion).items():
        node = out
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = node.get(leaf, 0) + n
    return out


def tally_of(consultation: Consultation, opinions: Iterable[CountedOpinion]) -> Tally:
    tally: Tally = {}
    for opinion in opinions:
        tally = add(tally, consultation, opinion)
    return tally


def by_group(tally: Tally) -> dict[str, int]:
    return {str(k): int(v) for k, v in (tally.get("by_group") or {}).items()}


def theme_counts(opinions: Iterable[CountedOpinion]) -> dict[str, int]:
    """How many opinions carry each theme staff tagged, most frequent first."""
    counts = Counter(t for o in opinions for t in o.themes)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _copy(node: Tally) -> Tally:
    return {k: _copy(v) if isinstance(v, dict) else v for k, v in node.items()}
