"""Coaching feedback comes from the rules in coaching.yaml, applied to a visit's facts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.coaching.facts import FACTS, VisitFacts
from bot.coaching.rules import feedback
from bot.errors import ConfigError
from bot.playbooks.loader import load_playbooks
from bot.shipped import shipped_dir
from tests.config_problems import printed

GOOD = VisitFacts(
    situation_asked=1,
    problem_asked=2,
    implication_asked=2,
    need_payoff_asked=1,
    questions_asked=6,
    outcome="advance",
    objective_met="best",
    decision_maker_known=True,
    decision_maker_met=True,
    coach_known=True,
    attendees=3,
    contacts_engaged=4,
    next_step_dated=True,
    continuations_in_row=0,
    visits_without_stage_move=0,
    blockers=0,
)


@pytest.fixture(scope="module")
def coaching():
    return load_playbooks(shipped_dir("playbooks")).coaching


def ids(coaching, facts: VisitFacts) -> list[str]:
    return [rule.id for rule in feedback(coaching, facts)]


def test_a_strong_visit_gets_only_strengths(coaching) -> None:
    assert ids(coaching, GOOD) == [
        "implication_well_used",
        "need_payoff_well_used",
        "best_reached",
        "moved_forward",
        "multi_threaded_well",
    ]


@pytest.mark.parametrize(
    ("change", "gap"),
    [
        ({"implication_asked": 0}, "no_implication"),
        ({"need_payoff_asked": 0}, "no_need_payoff"),
        ({"problem_asked": 0, "implication_asked": 0, "need_payoff_asked": 0}, "only_situation"),
        (
            {
                "questions_asked": 0,
                "situation_asked": 0,
                "problem_asked": 0,
                "implication_asked": 0,
                "need_payoff_asked": 0,
            },
            "no_questions",
        ),
        ({"decision_maker_known": False, "decision_maker_met": False}, "decision_maker_unknown"),
        ({"decision_maker_met": False}, "decision_maker_not_met"),
        ({"coach_known": False}, "no_coach"),
        ({"contacts_engaged": 1}, "single_threaded"),
        ({"outcome": "continuation", "next_step_dated": False}, "continuation_without_date"),
        ({"outcome": "continuation", "continuations_in_row": 3}, "repeated_continuations"),
        ({"outcome": "no_sale", "objective_met": "neither"}, "below_minimum"),
        ({"visits_without_stage_move": 4}, "stage_stuck"),
        ({"blockers": 1}, "blockers_active"),
    ],
)
def test_each_gap_fires_on_its_facts(coaching, change, gap) -> None:
    fired = ids(coaching, replace(GOOD, **change))
    assert gap in fired
    assert fired.index(gap) >= sum(
        1 for rule in feedback(coaching, replace(GOOD, **change)) if rule.kind == "strength"
    ), "strengths come first"


def test_a_no_sale_needs_no_dated_next_step(coaching) -> None:
    facts = replace(GOOD, outcome="no_sale", next_step_dated=False)
    assert "continuation_without_date" not in ids(coaching, facts)


def test_gaps_carry_an_action_in_both_languages(coaching) -> None:
    for rule in coaching.rules:
        if rule.kind == "gap":
            assert rule.action is not None and rule.action.zh and rule.action.en


def test_every_fact_is_documented_and_computed() -> None:
    assert set(FACTS) == set(VisitFacts.__dataclass_fields__)


def test_a_rule_on_an_unknown_fact_is_refused(playbook_dir: Path) -> None:
    path = playbook_dir / "coaching.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "fact: implication_asked\n        at_least: 1",
            "fact: implications\n        at_least: 1",
            1,
        ),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as raised:
        load_playbooks(playbook_dir)
    assert printed(raised.value)[0].startswith(
        "coaching.yaml: rules[0].when[0].fact: 'implications' is not a known fact"
    )


def test_a_condition_must_test_exactly_one_thing(playbook_dir: Path) -> None:
    path = playbook_dir / "coaching.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "fact: implication_asked\n        at_least: 1",
            "fact: implication_asked\n        at_least: 1\n        at_most: 3",
            1,
        ),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as raised:
        load_playbooks(playbook_dir)
    assert "exactly one of equals, at_least, at_most, one_of" in printed(raised.value)[0]


def test_the_objective_is_judged_only_where_the_plan_set_one(coaching) -> None:
    unplanned = ids(coaching, replace(GOOD, outcome="no_sale", objective_met=""))
    assert "best_reached" not in unplanned and "below_minimum" not in unplanned
    minimum = ids(coaching, replace(GOOD, objective_met="minimum"))
    assert "best_reached" not in minimum and "below_minimum" not in minimum
    other_advance = ids(coaching, replace(GOOD, objective_met="neither"))
    assert "below_minimum" not in other_advance, "an advance the plan did not name still counts"
