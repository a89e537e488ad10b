"""Opinions counted per group and per question: the running counters (`increments`, what
the store `$inc`s) and a recount (`tally_of`) always agree."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.participation.domain.tally import (
    CountedOpinion,
    add,
    by_group,
    increments,
    tally_of,
    theme_counts,
)
from tests.unit.participation.sample import consultation

C = consultation()


def test_one_opinion_counts_its_group_its_answers_and_its_choice() -> None:
    opinion = CountedOpinion("parents", {"lunch": "good", "idea": "เพิ่มผลไม้"})
    assert increments(C, opinion) == {
        "total": 1,
        "by_group.parents": 1,
        "by_question.lunch.answered": 1,
        "by_question.lunch.by_group.parents": 1,
        "by_question.lunch.choices.good": 1,
        "by_question.lunch.choices_by_group.parents.good": 1,
        "by_question.idea.answered": 1,
        "by_question.idea.by_group.parents": 1,
    }


def test_a_question_left_blank_is_not_counted() -> None:
    counters = increments(C, CountedOpinion("teachers", {"lunch": "poor"}))
    assert not any(path.startswith("by_question.idea") for path in counters)


def test_opinions_are_counted_per_group_and_per_question() -> None:
    tally = tally_of(
        C,
        [
            CountedOpinion("parents", {"lunch": "good"}),
            CountedOpinion("parents", {"lunch": "poor", "idea": "ข้าวแข็ง"}),
            CountedOpinion("teachers", {"lunch": "good"}),
        ],
    )
    assert tally["total"] == 3
    assert by_group(tally) == {"parents": 2, "teachers": 1}
    lunch = tally["by_question"]["lunch"]
    assert lunch["choices"] == {"good": 2, "poor": 1}
    assert lunch["choices_by_group"] == {"parents": {"good": 1, "poor": 1}, "teachers": {"good": 1}}
    assert tally["by_question"]["idea"] == {"answered": 1, "by_group": {"parents": 1}}


def test_adding_leaves_the_tally_it_was_given_alone() -> None:
    before = tally_of(C, [CountedOpinion("parents", {"lunch": "good"})])
    add(before, C, CountedOpinion("parents", {"lunch": "good"}))
    assert before["total"] == 1 and before["by_question"]["lunch"]["choices"]["good"] == 1


opinions = st.lists(
    st.builds(
        CountedOpinion,
        st.sampled_from(["parents", "teachers"]),
        st.fixed_dictionaries(
            {"lunch": st.sampled_from(["good", "fair", "poor"])},
            optional={"idea": st.sampled_from(["", "ข้อเสนอ"])},
        ),
    ),
    max_size=30,
)


@given(opinions)
def test_the_counters_the_store_increments_equal_a_recount(
    given_opinions: list[CountedOpinion],
) -> None:
    summed: dict[str, int] = {}
    for opinion in given_opinions:
        for path, n in increments(C, opinion).items():
            summed[path] = summed.get(path, 0) + n
    assert _flatten(tally_of(C, given_opinions)) == summed
    assert sum(by_group(tally_of(C, given_opinions)).values()) == len(given_opinions)


def _flatten(node: dict[str, object], prefix: str = "") -> dict[str, int]:
    out: dict[str, int] = {}
    for key, value in node.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{path}."))
        else:
            assert isinstance(value, int)
            out[path] = value
    return out


def test_themes_are_counted_most_frequent_first() -> None:
    tagged = [
        CountedOpinion("parents", {}, ("อาหาร", "งบประมาณ")),
        CountedOpinion("parents", {}, ("อาหาร",)),
        CountedOpinion("teachers", {}, ()),
    ]
    assert theme_counts(tagged) == {"อาหาร": 2, "งบประมาณ": 1}
