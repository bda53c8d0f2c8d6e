"""The outcome is asked against the plan: "did you get the best? the minimum?" is one tap.

Where prep set a best or a minimum commitment, the outcome's first buttons are those two; either
saves an advance that met it. An order meets the best; any other outcome met neither, and a
visit that ended below even the minimum says so in the feedback. Without an objective the four
outcomes are asked as they always were, and nothing is said about a plan. /correct asks the
same way, and the manager sees how the visit stood against its plan.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.domain import ObjectiveMet, Outcome, Role
from bot.flows.objective import objective_met_of, outcome_of
from bot.storage.models import Debrief, Visit
from tests.conftest import START
from tests.engine.chat import Chat, add_user, at_step, play
from tests.engine.scripts import SCRIPTS, Step, cmd, say, tap

AFTER_THE_VISIT = timedelta(days=1, hours=8)  # the scripted visit is tomorrow 15:00; 17:30
REST_EN: list[Step] = [
    tap("Done", at="asked"),
    tap("Skip", at="needs"),
    tap("No changes", at="people_changed"),
    tap("Still at Proposal", at="sale"),
    say("Pilot agreement draft", at="next_step"),
    tap("Tomorrow", at="next_step_due"),
]


def _debriefed(chat: Chat, clock, outcome: str, language: str = "en") -> str:
    """Prepared with the script's objective, debriefed with one outcome tap; the Saved text."""
    prep, _ = SCRIPTS[language]
    play(chat, prep)
    clock.now = START + AFTER_THE_VISIT
    play(chat, [cmd("debrief"), tap(outcome, at="outcome"), *REST_EN])
    assert at_step(chat) is None
    return chat.text


def _saved(database) -> Debrief:
    with Session(database) as session:
        return session.exec(select(Debrief)).one()


def test_the_outcome_screen_starts_from_the_plans_best_and_minimum(rep_en: Chat, clock) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    clock.now = START + AFTER_THE_VISIT
    rep_en.command("debrief")
    assert at_step(rep_en) == "outcome"
    assert "🎯 Best: Agrees to a site visit next week" in rep_en.text
    assert "◎ Minimum: Sends us the selection criteria" in rep_en.text
    assert rep_en.labels[:6] == [
        "🎯 Advance: the best",
        "◎ Advance: the minimum",
        "Order",
        "Advance: something else",
        "Continuation",
        "No sale",
    ]


@pytest.mark.parametrize(
    ("tapped", "outcome", "met", "said"),
    [
        ("Advance: the best", Outcome.ADVANCE, ObjectiveMet.BEST, "Advance · 🎯 the best planned"),
        ("Advance: the minimum", Outcome.ADVANCE, ObjectiveMet.MINIMUM, "Advance · ◎ the minimum"),
        ("something else", Outcome.ADVANCE, ObjectiveMet.NEITHER, "Advance · not what was"),
    ],
)
def test_one_tap_saves_the_advance_and_how_it_stood_against_the_plan(
    rep_en: Chat, clock, database, tapped: str, outcome: Outcome, met: ObjectiveMet, said: str
) -> None:
    saved_text = _debriefed(rep_en, clock, tapped)
    debrief = _saved(database)
    assert (debrief.outcome, debrief.objective_met) == (outcome, met)
    assert debrief.facts["objective_met"] == met.value
    assert said in saved_text


def test_getting_the_best_is_named_as_a_strength(rep_en: Chat, clock) -> None:
    saved_text = _debriefed(rep_en, clock, "Advance: the best")
    assert "You got the best commitment you planned for." in saved_text


def test_an_order_meets_the_best(rep_en: Chat, clock, database) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    clock.now = START + AFTER_THE_VISIT
    play(
        rep_en,
        [
            cmd("debrief"),
            tap("Order", at="outcome"),
            *REST_EN[:4],  # still at Proposal
            tap("Skip", at="next_step"),  # after an order, a next step is optional
        ],
    )
    assert "Order · 🎯 the best planned" in rep_en.text
    debrief = _saved(database)
    assert (debrief.outcome, debrief.objective_met) == (Outcome.ORDER, ObjectiveMet.BEST)


def test_a_continuation_met_neither_and_the_feedback_says_it_ended_below_the_minimum(
    rep_en: Chat, clock, database
) -> None:
    saved_text = _debriefed(rep_en, clock, "Continuation")
    debrief = _saved(database)
    assert (debrief.outcome, debrief.objective_met) == (
        Outcome.CONTINUATION,
        ObjectiveMet.NEITHER,
    )
    assert "Continuation · not what was planned" in saved_text
    assert "The visit ended below even the minimum commitment you planned." in saved_text


@pytest.mark.parametrize(("typed", "met"), [("best", ObjectiveMet.BEST), ("minimum", "minimum")])
def test_the_objective_can_be_typed(rep_en: Chat, clock, database, typed: str, met) -> None:
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    clock.now = START + AFTER_THE_VISIT
    play(rep_en, [cmd("debrief"), say(typed, at="outcome"), *REST_EN])
    assert _saved(database).objective_met == ObjectiveMet(met)


def test_in_chinese_the_objective_is_one_tap_or_typed(rep_zh: Chat, clock, database) -> None:
    prep, _ = SCRIPTS["zh"]
    play(rep_zh, prep)
    clock.now = START + AFTER_THE_VISIT
    rep_zh.command("debrief")
    assert rep_zh.labels[:2] == ["🎯 推进：最佳目标", "◎ 推进：最低目标"]
    rep_zh.say("最低")
    assert at_step(rep_zh) == "asked", "typed 最低 is the minimum, taken at once"
    play(
        rep_zh,
        [
            tap("完成", at="asked"),
            tap("跳过", at="needs"),
            tap("没有变化", at="people_changed"),
        ],
    )
    rep_zh.tap(rep_zh.labels[0])  # still at the stage
    play(rep_zh, [say("试点协议草案", at="next_step"), tap("明天", at="next_step_due")])
    assert "推进 · ◎ 达成最低目标" in rep_zh.text
    assert _saved(database).objective_met == ObjectiveMet.MINIMUM


def test_without_an_objective_the_four_outcomes_are_asked_and_nothing_is_judged(
    rep_en: Chat, database
) -> None:
    play(
        rep_en,
        [
            cmd("debrief"),
            tap("did not prepare", at="visit"),
            say("Blue Ocean Logistics", at="account"),
            tap("Create", at="account"),
            say("Sun Zongjian", at="attendees"),
            tap("Done", at="attendees"),
        ],
    )
    assert at_step(rep_en) == "outcome"
    assert rep_en.labels[:4] == ["Advance", "Continuation", "Order", "No sale"]
    assert "aimed for" not in rep_en.text
    play(
        rep_en,
        [
            tap("Continuation", at="outcome"),
            tap("Skip", at="other_questions"),
            tap("Skip", at="needs"),
            tap("No changes", at="people_changed"),
            tap("Not sure yet", at="sale"),
            say("Call back after the budget meeting", at="next_step"),
            tap("Tomorrow", at="next_step_due"),
        ],
    )
    debrief = _saved(database)
    assert (debrief.outcome, debrief.objective_met) == (Outcome.CONTINUATION, None)
    assert "minimum commitment you planned" not in rep_en.text
    assert "not what was planned" not in rep_en.text


def test_correcting_the_best_to_the_minimum_keeps_the_advance_and_the_manager_sees_it(
    rep_en: Chat, clock, database
) -> None:
    _debriefed(rep_en, clock, "Advance: the best")
    rep_en.command("correct")
    rep_en.tap("Huadong")
    rep_en.tap("Outcome")
    assert rep_en.labels[:2] == ["🎯 Advance: the best", "◎ Advance: the minimum"]
    rep_en.tap("Advance: the minimum")
    assert "✏️ Outcome: ◎ Advance: the minimum (was: 🎯 Advance: the best)" in rep_en.text
    assert "1 correction not saved yet" in rep_en.text
    rep_en.tap("Save")
    assert "Against the plan: 🎯 the best planned → ◎ the minimum planned" in rep_en.text
    debrief = _saved(database)
    assert (debrief.outcome, debrief.objective_met) == (Outcome.ADVANCE, ObjectiveMet.MINIMUM)
    manager = Chat(
        rep_en.engine, add_user(database, 1, name="max", language="en", role=Role.MANAGER)
    )
    manager.command("review")
    manager.say("alice")
    manager.tap("Huadong")
    assert "Advance · ◎ the minimum planned" in manager.text
    assert "✏️ Against the plan corrected by alice" in manager.text
    assert "was: 🎯 the best planned" in manager.text


@pytest.mark.parametrize(("language", "typed"), [("en", "advance"), ("zh", "推进")])
def test_a_plain_advance_typed_asks_which_of_the_three_advances_it_was(
    language: str, typed: str, request: pytest.FixtureRequest, clock
) -> None:
    chat: Chat = request.getfixturevalue(f"rep_{language}")
    prep, _ = SCRIPTS[language]
    play(chat, prep)
    clock.now = START + AFTER_THE_VISIT
    chat.command("debrief")
    chat.say(typed)
    assert at_step(chat) == "outcome", "not taken for one of them"
    offered = [label for label in chat.labels if "Advance" in label or "推进" in label]
    assert len(offered) == 3, chat.labels


def test_an_advance_answered_before_the_plan_was_asked_says_nothing_about_the_plan() -> None:
    planned = Visit(account_id=1, rep_id=1, team_id=1, objective_best="A site visit")
    assert objective_met_of("advance", planned) is None, "an older screen's plain Advance"
    assert outcome_of("advance") == Outcome.ADVANCE
    assert objective_met_of("other_advance", planned) == ObjectiveMet.NEITHER
    only_minimum = Visit(account_id=1, rep_id=1, team_id=1, objective_minimum="The criteria")
    assert objective_met_of("order", only_minimum) == ObjectiveMet.MINIMUM, "no best to meet"
