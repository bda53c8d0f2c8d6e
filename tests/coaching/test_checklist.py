"""The decision-unit checklist names exactly the gaps a rep has left open."""

from __future__ import annotations

from bot.coaching.checklist import Gap, Person, gaps

ROLES = ["decision_maker", "purchaser", "technical_evaluator", "user"]


def person(name, role=None, stance=None, *, attending=False, met_before=False, win=None) -> Person:
    return Person(name, role, stance, attending, met_before, personal_win=win)


def test_a_well_covered_account_has_no_gaps() -> None:
    people = [
        person("Zhao", "decision_maker", "supporter", met_before=True, win="less_risk"),
        person("Liu", "purchaser", "neutral", attending=True),
        person("Wang", "technical_evaluator", "coach", attending=True, win="recognition"),
        person("Chen", "user", "supporter"),
    ]
    assert gaps(people, ROLES, criteria_known=True) == []


def test_unknown_criteria_and_a_key_persons_unknown_personal_win_are_gaps() -> None:
    people = [
        person("Zhao", "decision_maker", "supporter", met_before=True),
        person("Liu", "purchaser", "neutral", attending=True),
        person("Wang", "technical_evaluator", "coach", attending=True, win="recognition"),
        person("Chen", "user", "supporter"),
    ]
    assert gaps(people, ROLES, criteria_known=False) == [
        Gap("criteria_known"),
        Gap("personal_wins_known", ("Zhao",)),
    ], "the decision maker and the coach are the key people; Wang's win is known"


def test_an_empty_account_misses_everything() -> None:
    assert [gap.item for gap in gaps([], ROLES)] == [
        "decision_maker_known",
        "coach_known",
        "multi_threaded",
        "roles_covered",
    ]


def test_a_decision_maker_never_met_is_named() -> None:
    people = [
        person("Zhao", "decision_maker"),
        person("Wang", "user", "coach", attending=True),
        person("Li", "purchaser", met_before=True),
    ]
    assert Gap("decision_maker_met", ("Zhao",)) in gaps(people, ROLES)


def test_blockers_and_enemies_are_named() -> None:
    people = [person("Liu", "purchaser", "blocker"), person("Ma", None, "enemy")]
    assert Gap("blockers_addressed", ("Liu", "Ma")) in gaps(people, ROLES)


def test_talking_to_one_person_is_single_threaded() -> None:
    people = [person("Wang", "user", "coach", attending=True), person("Zhao", "decision_maker")]
    assert Gap("multi_threaded", ("Wang",)) in gaps(people, ROLES)


def test_missing_roles_are_listed_in_playbook_order() -> None:
    people = [person("Wang", "technical_evaluator", attending=True)]
    assert Gap("roles_covered", ("decision_maker", "purchaser", "user")) in gaps(people, ROLES)
