"""The playbooks we ship are complete, bilingual and internally consistent."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from pydantic import BaseModel

from bot.domain import SpinType
from bot.playbooks.loader import Playbooks, load_playbooks
from bot.playbooks.schema import Localized
from bot.shipped import shipped_dir

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def playbooks() -> Playbooks:
    return load_playbooks(shipped_dir("playbooks"))


def _localized(node: object) -> list[Localized]:
    if isinstance(node, Localized):
        return [node]
    if isinstance(node, BaseModel):
        return [
            text for field in type(node).model_fields for text in _localized(getattr(node, field))
        ]
    if isinstance(node, list | tuple):
        return [text for item in node for text in _localized(item)]
    return []


def test_every_text_reads_in_chinese_and_in_english(playbooks: Playbooks) -> None:
    texts = _localized(
        [
            playbooks.spin,
            playbooks.decision_unit,
            playbooks.relationship,
            playbooks.accounts,
            playbooks.process,
            playbooks.account_plan,
            playbooks.competition,
            playbooks.risks,
            playbooks.needs,
            playbooks.people,
            playbooks.segments,
        ]
    )
    assert len(texts) > 550
    for text in texts:
        assert CJK.search(text.zh), f"zh text has no Chinese: {text.zh!r}"
        assert not CJK.search(text.en), f"en text contains Chinese: {text.en!r}"


def test_the_question_bank_holds_80_questions_with_15_of_each_type(playbooks: Playbooks) -> None:
    per_type = Counter(question.type for question in playbooks.spin.questions)
    assert len(playbooks.spin.questions) >= 80
    assert set(per_type) == set(SpinType)
    assert min(per_type.values()) >= 15


def test_every_buying_role_has_questions_of_every_type(playbooks: Playbooks) -> None:
    for role in playbooks.decision_unit.roles:
        for spin_type in SpinType:
            matching = [
                question
                for question in playbooks.spin.questions
                if question.type == spin_type and role.id in question.roles
            ]
            assert len(matching) >= 5, (role.id, spin_type)


def test_every_sales_stage_and_contact_stage_is_used_by_some_question(
    playbooks: Playbooks,
) -> None:
    used_sales = {
        stage for question in playbooks.spin.questions for stage in question.sales_stages
    }
    used_contact = {
        stage for question in playbooks.spin.questions for stage in question.contact_stages
    }
    assert used_sales == {step.id for step in playbooks.process.steps}
    assert used_contact == {stage.id for stage in playbooks.relationship.contact_stages}


def test_the_four_spin_types_each_have_purpose_timing_and_advice(playbooks: Playbooks) -> None:
    assert [guide.id for guide in playbooks.spin.types] == list(SpinType)
    for guide in playbooks.spin.types:
        assert guide.purpose.en and guide.when_to_use.en and guide.advice


def test_the_worksheet_develops_three_problems_we_win_on(playbooks: Playbooks) -> None:
    worksheet = playbooks.spin.worksheet
    assert worksheet.min_problems >= 3
    assert len(worksheet.examples) >= 3
    for problem in worksheet.examples:
        assert problem.implication.en.endswith("?")
        assert problem.need_payoff.en.endswith("?")
    assert {section.type for section in worksheet.sections} == set(SpinType)


def test_the_decision_unit_has_four_roles_and_five_ordered_stances(playbooks: Playbooks) -> None:
    unit = playbooks.decision_unit
    assert [role.id for role in unit.roles] == [
        "decision_maker",
        "purchaser",
        "technical_evaluator",
        "user",
    ]
    for role in unit.roles:
        assert role.task and role.duty and role.concerns and role.ask and role.win
    assert [stance.id for stance in unit.stances] == [
        "coach",
        "supporter",
        "neutral",
        "blocker",
        "enemy",
    ]
    assert [stance.support for stance in unit.stances] == [2, 1, 0, -1, -2]
    assert unit.coach.what_they_do and unit.coach.good_candidates and unit.coach.how_to_develop


def test_the_checklist_covers_the_gaps_a_rep_must_close(playbooks: Playbooks) -> None:
    ids = {item.id for item in playbooks.decision_unit.checklist}
    assert {
        "decision_maker_known",
        "decision_maker_met",
        "coach_known",
        "blockers_addressed",
        "multi_threaded",
    } <= ids


def test_both_relationship_ladders_are_complete_and_in_order(playbooks: Playbooks) -> None:
    relationship = playbooks.relationship
    assert [stage.id for stage in relationship.contact_stages] == [
        "stranger",
        "familiar",
        "personal_trust",
        "mutual_interest",
        "organisational_trust",
    ]
    assert [stage.id for stage in relationship.account_stages] == [
        "first_months",
        "stable",
        "deep_partnership",
        "symbiosis",
    ]
    for stage in [*relationship.contact_stages, *relationship.account_stages]:
        assert stage.entry_evidence and stage.goals and stage.actions and stage.warnings


def test_six_buying_steps_map_to_six_selling_steps_each_with_a_milestone(
    playbooks: Playbooks,
) -> None:
    steps = playbooks.process.steps
    assert [step.id for step in steps] == [
        "development",
        "initiation",
        "proposal",
        "bidding",
        "negotiation",
        "implementation",
    ]
    for step in steps:
        assert step.buying_step.en and step.selling_step.en and step.milestone.en


def test_account_tiers_state_their_criteria_and_cadence(playbooks: Playbooks) -> None:
    assert len(playbooks.accounts.tiers) >= 4
    for tier in playbooks.accounts.tiers:
        assert tier.criteria and tier.cadence.en and tier.strategy


# --- account plan, competition, risks, needs, people, segments ---------------------------------

HALF_WIDTH_BESIDE_CHINESE = re.compile(r"[\u4e00-\u9fff][ ,.:;?!()]|[ ,.:;?!()][\u4e00-\u9fff]")


def test_chinese_in_the_account_playbooks_has_no_spaces_or_half_width_punctuation(
    playbooks: Playbooks,
) -> None:
    texts = _localized(
        [
            playbooks.account_plan,
            playbooks.competition,
            playbooks.risks,
            playbooks.needs,
            playbooks.people,
            playbooks.segments,
        ]
    )
    offenders = [text.zh for text in texts if HALF_WIDTH_BESIDE_CHINESE.search(text.zh)]
    assert offenders == []


def test_the_account_plan_has_the_five_analysis_views(playbooks: Playbooks) -> None:
    views = playbooks.account_plan.views
    assert [view.id for view in views] == [
        "background",
        "economics",
        "relationships",
        "needs",
        "risks",
    ]
    for view in views:
        assert 2 <= len(view.prompts) <= 4
        assert all(prompt.en.endswith("?") and prompt.zh.endswith("？") for prompt in view.prompts)
        assert view.purpose.en and view.example.en


def test_the_choose_table_names_a_strategy_for_every_account_type_and_position(
    playbooks: Playbooks,
) -> None:
    competition = playbooks.competition
    types = [kind.id for kind in competition.account_types]
    positions = [position.id for position in competition.positions]
    assert types == ["strategic", "value", "transactional"]
    assert positions == ["incumbent", "strong_challenger", "challenger"]
    assert [strategy.id for strategy in competition.strategies] == [
        "defend",
        "attack",
        "flank",
        "guerrilla",
    ]
    table = {(kind, pos): competition.choose[kind][pos] for kind in types for pos in positions}
    assert len(table) == 9
    assert {table[kind, "incumbent"] for kind in types} == {"defend"}
    assert table["transactional", "strong_challenger"] == "attack"
    assert table["strategic", "challenger"] == "guerrilla"
    assert set(table.values()) == {"defend", "attack", "flank", "guerrilla"}
    for strategy in competition.strategies:
        assert 2 <= len(strategy.actions) <= 4


def test_every_barrier_is_tied_to_stages_that_exist(playbooks: Playbooks) -> None:
    barriers = playbooks.competition.barriers
    assert [barrier.id for barrier in barriers] == [
        "technical",
        "commercial",
        "process_embedding",
    ]
    contact = {stage.id for stage in playbooks.relationship.contact_stages}
    account = {stage.id for stage in playbooks.relationship.account_stages}
    sales = {step.id for step in playbooks.process.steps}
    for barrier in barriers:
        assert barrier.contact_stages and set(barrier.contact_stages) <= contact
        assert barrier.account_stages and set(barrier.account_stages) <= account
        assert barrier.sales_stages and set(barrier.sales_stages) <= sales
        assert 2 <= len(barrier.actions) <= 4


def test_risk_signals_fit_on_a_button_and_come_with_a_response(playbooks: Playbooks) -> None:
    signals = {signal.id: signal for signal in playbooks.risks.signals}
    assert {
        "requirement_change",
        "contact_turnover",
        "competitor_poaching",
        "usage_drop",
        "late_payment",
    } <= set(signals)
    for signal in signals.values():
        assert len(signal.label.zh) <= 10 and len(signal.label.en) <= 20
        assert 2 <= len(signal.response) <= 3 and signal.signs


def test_the_need_funnel_ends_in_purchase_criteria_that_name_real_buying_roles(
    playbooks: Playbooks,
) -> None:
    needs = playbooks.needs
    assert [level.id for level in needs.levels] == ["business", "organisation", "personal"]
    assert [step.id for step in needs.funnel] == ["implied", "explicit", "criteria"]
    assert 2 <= len(needs.criteria.prompts) <= 3
    categories = {category.id for category in needs.criteria.categories}
    assert {"price", "total_cost", "delivery", "quality", "service", "references"} <= categories
    roles = {role.id for role in playbooks.decision_unit.roles}
    for category in needs.criteria.categories:
        assert set(category.roles) <= roles
    weighed = {role for category in needs.criteria.categories for role in category.roles}
    assert weighed == roles


def test_every_buying_role_is_of_exactly_one_kind_and_the_bystander_of_none(
    playbooks: Playbooks,
) -> None:
    kinds = playbooks.people.kinds
    assert [kind.id for kind in kinds] == [
        "decision_maker",
        "influencer",
        "gatekeeper",
        "bystander",
    ]
    kind_of = {role: kind.id for kind in kinds for role in kind.roles}
    assert kind_of == {
        "decision_maker": "decision_maker",
        "technical_evaluator": "influencer",
        "user": "influencer",
        "purchaser": "gatekeeper",
    }
    assert [kind.id for kind in kinds if not kind.roles] == ["bystander"]


def test_personal_wins_are_one_tap_categories_with_a_way_to_deliver_each(
    playbooks: Playbooks,
) -> None:
    wins = playbooks.people.personal_wins
    assert {"recognition", "career", "less_risk", "less_work"} <= {
        category.id for category in wins.categories
    }
    for category in wins.categories:
        assert category.what.en and category.deliver.en


def test_buying_orientations_share_the_market_and_point_to_value_propositions(
    playbooks: Playbooks,
) -> None:
    segments = playbooks.segments
    assert [(item.id, item.share) for item in segments.orientations] == [
        ("trusted_supplier", 46),
        ("price", 36),
        ("innovation_partner", 18),
    ]
    propositions = [proposition.id for proposition in segments.propositions]
    assert propositions == ["price", "product_performance", "service", "total_cost"]
    for orientation in segments.orientations:
        assert set(orientation.propositions) <= set(propositions)
    for item in [*segments.orientations, *segments.propositions]:
        assert 2 <= len(item.hints) <= 3


def test_playbooks_check_counts_the_account_playbooks(playbooks: Playbooks) -> None:
    counts = playbooks.counts()
    assert counts["plan_views"] == 5
    assert counts["strategies"] == 4 and counts["barriers"] == 3
    assert counts["kinds_of_people"] == 4 and counts["orientations"] == 3
