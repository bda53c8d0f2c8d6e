"""The worksheet takes one problem at a time and proposes its implication and need-payoff.

The playbook's worked example whose problem reads most like the rep's lends its questions
first, then the bank's of the type; one tap keeps a proposal, typed text rewrites it, and
nothing already in the plan is proposed again.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.domain import SpinType, TypedBy
from bot.storage.models import SpinItem, VisitProblem
from tests.conftest import START
from tests.engine.chat import Chat, at_step, every_page, play
from tests.engine.scripts import SCRIPTS, until

PROBLEM = {
    "en": "Frequent breakdowns and long waits for repairs",
    "zh": "设备故障频繁，修理要等很久",
}
IMPLICATION = {
    "en": "How many orders does each stoppage hold up",
    "zh": "每次停机影响多少订单",
}
NEED_PAYOFF = {
    "en": "If repairs were guaranteed on site within four hours",
    "zh": "如果我们承诺4小时内到场修复",
}


def _at_problem(chat: Chat, language: str) -> None:
    prep, _ = SCRIPTS[language]
    play(chat, until(prep, "problem"))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_problem_like_a_worked_example_gets_its_questions_to_keep_with_a_tap(
    request, language, database
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    _at_problem(chat, language)
    chat.say(PROBLEM[language])
    assert at_step(chat) == "implication"
    assert chat.labels[0].startswith(IMPLICATION[language][:20])
    chat.tap(IMPLICATION[language][:20])
    assert at_step(chat) == "need_payoff"
    chat.tap(NEED_PAYOFF[language][:20])
    assert at_step(chat) == "problem", "the next row"
    skip = {"en": "Skip", "zh": "跳过"}[language]
    play(chat, [("tap", skip), ("say", {"en": "tomorrow 15:00", "zh": "明天下午3点"}[language])])
    with Session(database) as session:
        worksheet = session.exec(
            select(SpinItem).where(SpinItem.typed_by == TypedBy.WORKSHEET)
        ).all()
    kept = {item.spin_type: item.question for item in worksheet}
    assert kept[SpinType.IMPLICATION].startswith(IMPLICATION[language])
    assert kept[SpinType.NEED_PAYOFF].startswith(NEED_PAYOFF[language])


def test_typed_text_rewrites_the_proposal(rep_en, database) -> None:
    _at_problem(rep_en, "en")
    rep_en.say(PROBLEM["en"])
    rep_en.say("What does a <b>late</b> truck cost you?")
    assert at_step(rep_en) == "need_payoff"
    assert "What does a late truck cost you?" not in " ".join(rep_en.labels)


def test_a_problem_like_no_example_gets_the_banks_questions_of_the_type(rep_en, playbooks):
    _at_problem(rep_en, "en")
    rep_en.say("Their IT team cannot see stock levels across warehouses")
    bank = {q.text.en for q in playbooks.spin.questions if q.type == SpinType.IMPLICATION}
    navigation = ("⬅ Back", "Skip ⏭", "✖ Cancel")
    proposals = [label[:40] for label in rep_en.labels if label not in navigation]
    assert len(proposals) == 2
    assert all(any(text.startswith(label) for text in bank) for label in proposals)


def test_a_question_already_in_the_plan_is_not_proposed_again(rep_en) -> None:
    _at_problem(rep_en, "en")
    rep_en.say("The cost of ownership is hidden: cheap to buy, expensive to run")
    rep_en.tap("Skip")  # no implication
    labels = " ".join(rep_en.labels)
    assert "If the total cost of ownership were clear and lower" not in labels, "proposed in SPIN"


def test_the_problem_is_kept_as_a_problem_shown_in_the_plan_and_never_ticked_as_asked(
    rep_en, database, clock
) -> None:
    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep)
    rep_en.last = rep_en.last[-1:]  # the plan, in pages
    assert "🧩 Problem to explore: Frequent breakdowns" in every_page(rep_en, first=30)[0]
    with Session(database) as session:
        assert [p.text for p in session.exec(select(VisitProblem)).all()] == [
            "Frequent breakdowns"
        ]
        assert not session.exec(
            select(SpinItem).where(SpinItem.question == "Frequent breakdowns")
        ).all()
    clock.now = START + timedelta(days=1, hours=8)
    play(rep_en, until(debrief, "asked"))
    assert not any("Frequent breakdowns" in label for label in rep_en.labels)
