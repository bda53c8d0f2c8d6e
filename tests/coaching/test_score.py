"""Every debriefed visit gets a score from a rubric kept as data, item by item."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.coaching.score import score
from bot.errors import ConfigError
from bot.playbooks.loader import load_playbooks
from bot.shipped import shipped_dir
from tests.coaching.test_rules import GOOD
from tests.config_problems import printed


@pytest.fixture(scope="module")
def rubric():
    return load_playbooks(shipped_dir("playbooks")).scorecard


def met(card) -> dict[str, bool]:
    return {item.id: was_met for item, was_met in card.lines}


def test_a_model_visit_meets_every_item(rubric) -> None:
    card = score(rubric, GOOD)
    assert all(met(card).values())
    assert card.points == card.maximum == 12


def test_each_missing_behaviour_costs_its_item(rubric) -> None:
    weak = replace(
        GOOD,
        implication_asked=0,
        need_payoff_asked=0,
        decision_maker_met=False,
        coach_known=False,
        contacts_engaged=1,
        outcome="continuation",
        next_step_dated=False,
    )
    card = score(rubric, weak)
    assert met(card) == {
        "implication_asked": False,
        "need_payoff_asked": False,
        "decision_maker_known": True,
        "decision_maker_met": False,
        "coach_known": False,
        "multi_threaded": False,
        "moved_forward": False,
        "dated_next_step": False,
    }
    assert card.points == 1


def test_an_order_counts_as_moving_forward(rubric) -> None:
    assert met(score(rubric, replace(GOOD, outcome="order")))["moved_forward"]
    assert not met(score(rubric, replace(GOOD, outcome="no_sale")))["moved_forward"]


def test_a_rubric_item_on_an_unknown_fact_is_refused(playbook_dir: Path) -> None:
    path = playbook_dir / "scorecard.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("fact: coach_known", "fact: has_coach", 1),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as raised:
        load_playbooks(playbook_dir)
    [problem] = printed(raised.value)
    assert problem.startswith(
        "scorecard.yaml: items[4].when[0].fact: 'has_coach' is not a known fact"
    )
