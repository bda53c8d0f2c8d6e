"""The coach reads the rep's own questions: each is shown with the SPIN type it reads as.

A rep types questions without thinking about types; the check screen after them says what the
coach read ("→ Implication ✓"), one tap on another type changes it, and a question the coach is
not sure of (a statement, a word or two) is asked instead of guessed. The record keeps who gave
each type, and the feedback, the scorecard and the team figures count the types as checked.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from bot.domain import Role, SpinType, TypedBy
from bot.engine.events import Tap
from bot.figures import team_figures
from bot.storage.models import FlowState, SpinItem, User
from tests.engine.chat import Chat, add_user, at_step, play
from tests.engine.scripts import SCRIPTS, Step, after, say, tap, until

TYPED = {
    "en": "How many trucks do you run today?\nWhat does a stoppage cost you in lost orders?",
    "zh": "你们现在有多少台车？\n停机一次会让你们损失多少订单？",
}
READ = {
    "en": ["How many trucks do you run today? → Situation ✓",
           "What does a stoppage cost you in lost orders? → Implication ✓"],
    "zh": ["你们现在有多少台车？ → 背景问题 ✓", "停机一次会让你们损失多少订单？ → 暗示问题 ✓"],
}  # fmt: skip
CONTINUE = {"en": "Continue", "zh": "继续"}


def at_own_questions(chat: Chat, language: str) -> None:
    prep, _ = SCRIPTS[language]
    play(chat, until(prep, "own_questions"))


def rest_of_prep(chat: Chat, language: str) -> None:
    prep, _ = SCRIPTS[language]
    play(chat, after(prep, "own_types"))


def in_order(labels: dict[str, str]) -> list[str]:
    """A check's labels in the order of the questions (keys start with the position)."""
    return [labels[key] for key in sorted(labels, key=lambda key: int(key.split("-")[0]))]


def own_items(database) -> list[SpinItem]:
    with Session(database) as session:
        return list(
            session.exec(
                select(SpinItem)
                .where(col(SpinItem.bank_question_id).is_(None))
                .where(col(SpinItem.typed_by) != TypedBy.WORKSHEET)
                .order_by(col(SpinItem.position))
            ).all()
        )


@pytest.mark.parametrize("language", ["en", "zh"])
def test_questions_typed_plainly_are_shown_as_read_and_kept_with_continue(
    request, database, language
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    at_own_questions(chat, language)
    chat.say(TYPED[language])
    assert at_step(chat) == "own_types"
    for line in READ[language]:
        assert line in chat.text
    assert CONTINUE[language] in " ".join(chat.labels)
    chat.tap(CONTINUE[language])
    assert at_step(chat) == "problem"
    rest_of_prep(chat, language)
    own = own_items(database)
    assert [(item.spin_type, item.typed_by, item.read_type) for item in own] == [
        (SpinType.SITUATION, TypedBy.COACH, SpinType.SITUATION),
        (SpinType.IMPLICATION, TypedBy.COACH, SpinType.IMPLICATION),
    ]


def test_one_tap_on_another_type_corrects_a_single_question_and_moves_on(rep_en, database) -> None:
    at_own_questions(rep_en, "en")
    rep_en.say("How many trucks do you run today?")
    assert "→ Situation ✓" in rep_en.text
    assert "Situation" not in rep_en.labels, "the type read is not offered again"
    rep_en.tap("Problem")
    assert at_step(rep_en) == "problem", "nothing is left to check once every type is the rep's"
    rest_of_prep(rep_en, "en")
    [item] = own_items(database)
    assert (item.spin_type, item.typed_by, item.read_type) == (
        SpinType.PROBLEM,
        TypedBy.REP,
        SpinType.SITUATION,
    )


def test_with_several_questions_a_correction_is_shown_and_continue_keeps_the_rest(
    rep_zh, database
) -> None:
    at_own_questions(rep_zh, "zh")
    rep_zh.say(TYPED["zh"])
    rep_zh.tap("1 难点问题")
    assert at_step(rep_zh) == "own_types"
    assert "你们现在有多少台车？ → 难点问题 ✓ （你选的）" in rep_zh.text
    assert "停机一次会让你们损失多少订单？ → 暗示问题 ✓" in rep_zh.text
    rep_zh.tap("继续")
    rest_of_prep(rep_zh, "zh")
    assert [(item.spin_type, item.typed_by) for item in own_items(database)] == [
        (SpinType.PROBLEM, TypedBy.REP),
        (SpinType.IMPLICATION, TypedBy.COACH),
    ]


@pytest.mark.parametrize(
    ("language", "statement", "hint"),
    [
        ("en", "old machines", "This reads as a statement, not a question."),
        ("zh", "設備老化", "这更像一句陈述，不是问题。"),
    ],
)
def test_a_statement_is_told_kindly_and_its_type_is_asked_not_guessed(
    request, database, playbooks, language, statement, hint
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    at_own_questions(chat, language)
    chat.say(statement)
    assert at_step(chat) == "own_types"
    assert hint in chat.text
    examples = [guide.example.get(language) for guide in playbooks.spin.types]
    assert any(example in chat.text for example in examples), "with a question to ask instead"
    assert "❓" in chat.text
    assert CONTINUE[language] not in " ".join(chat.labels), "no Continue until it has a type"
    chat.say("continue" if language == "en" else "继续")
    assert at_step(chat) == "own_types"
    assert ("still needs its type" if language == "en" else "还有1个问题没标类型") in chat.text
    chat.tap("Problem" if language == "en" else "难点问题")
    assert at_step(chat) == "problem"
    rest_of_prep(chat, language)
    [item] = own_items(database)
    assert (item.question, item.spin_type, item.typed_by) == (
        statement,
        SpinType.PROBLEM,
        TypedBy.REP,
    )


def test_several_questions_on_one_line_are_split_and_each_read(rep_en) -> None:
    at_own_questions(rep_en, "en")
    rep_en.say(
        "How many trucks run today? What happens to deliveries when one breaks down?"
        " Would it help if repairs were done within four hours?"
    )
    text = rep_en.text
    assert "1. How many trucks run today? → Situation ✓" in text
    assert "2. What happens to deliveries when one breaks down? → Implication ✓" in text
    assert "3. Would it help if repairs were done within four hours? → Need-payoff ✓" in text


def test_questions_the_rep_marks_skip_the_check_and_a_mix_checks_only_the_unmarked(
    rep_en, database
) -> None:
    at_own_questions(rep_en, "en")
    rep_en.say("I: What does a day of downtime cost you?")
    assert at_step(rep_en) == "problem", "every type given: nothing to check"
    rep_en.tap("Back")
    assert at_step(rep_en) == "own_questions"
    rep_en.say("P: Which parts fail most?\nHow many trucks do you run today?")
    assert at_step(rep_en) == "own_types"
    assert "Which parts fail most" not in rep_en.text
    assert "The question you marked S:, P:, I: or N: keeps its type." in rep_en.text
    rep_en.tap("Continue")
    rest_of_prep(rep_en, "en")
    assert [(item.spin_type, item.typed_by) for item in own_items(database)] == [
        (SpinType.SITUATION, TypedBy.COACH),
        (SpinType.PROBLEM, TypedBy.REP),
    ]


def test_back_from_the_check_lets_the_rep_rewrite_the_questions(rep_en, database) -> None:
    at_own_questions(rep_en, "en")
    rep_en.say("old machines")
    rep_en.tap("Back")
    assert at_step(rep_en) == "own_questions"
    rep_en.say("How old are the machines on your busiest line?")
    assert "→ Situation ✓" in rep_en.text


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("😀😀 👍", "I found no words to read there."),
        ("   ", "empty"),
        ("x" * 10_000, "That is 10000 characters"),
        ("\n".join(f"How many sites run line {n}?" for n in range(13)), "That is 13 questions"),
    ],
    ids=["emoji", "blank", "10000 characters", "13 questions"],
)
def test_own_questions_that_cannot_be_read_get_a_clear_answer_and_the_step_again(
    rep_en, typed, says
) -> None:
    at_own_questions(rep_en, "en")
    rep_en.say(typed)
    assert at_step(rep_en) == "own_questions"
    assert says in rep_en.text


def test_markup_and_mixed_languages_are_read_shown_escaped_and_saved_as_typed(
    rep_en, database
) -> None:
    at_own_questions(rep_en, "en")
    typed = ["<b>How</b> many *sites* run _[X]_?", "How many 卡车 do you run?"]
    rep_en.say("\n".join(typed))
    assert "<b>How</b> many *sites* run _[X]_? → Situation ✓" in rep_en.text  # plain text shown
    assert "&lt;b&gt;How&lt;/b&gt;" in rep_en.last[0].text, "escaped in the HTML sent"
    rep_en.tap("Continue")
    rest_of_prep(rep_en, "en")
    assert [item.question for item in own_items(database)] == typed


def test_a_forged_or_repeated_tap_on_the_check_changes_nothing(rep_en, database) -> None:
    at_own_questions(rep_en, "en")
    rep_en.say(TYPED["en"])
    version = rep_en.button("Continue").value.split(".")[0]
    rep_en.send(Tap(f"{version}.l999"))
    assert "That button belongs to an earlier question, so I ignored it." in rep_en.text
    first = rep_en.button("1 Problem").value
    rep_en.send(Tap(first))
    rep_en.send(Tap(first))  # the same update again: its version is gone
    with Session(database) as session:
        state = session.get(FlowState, rep_en.user_id)
        labels = state.data["ui"]["own_types"]["labels"]
    assert in_order(labels) == ["problem", "implication"]


def test_the_check_survives_a_restart_in_the_middle(rep_en, database, make_engine_for) -> None:
    at_own_questions(rep_en, "en")
    rep_en.say(TYPED["en"])
    rep_en.tap("1 Problem")
    restarted = Chat(make_engine_for(), rep_en.user_id, with_buttons=rep_en.with_buttons)
    restarted.tap("Continue")
    assert at_step(restarted) == "problem"
    rest_of_prep(restarted, "en")
    assert [item.spin_type for item in own_items(database)] == [
        SpinType.PROBLEM,
        SpinType.IMPLICATION,
    ]


def asking_beyond_the_plan(debrief: list[Step], questions: str) -> list[Step]:
    """The scripted debrief with `questions` typed beside the planned ones ticked as asked."""
    return [
        say(questions, at="asked") if step.at == "asked" and step[0] == "say" else step
        for step in debrief
    ]


def from_step(script: list[Step], at: str) -> list[Step]:
    """The steps from the first one that answers `at`."""
    return script[len(until(script, at)) :]


DEBRIEF_QUESTIONS = {
    "en": "What does a stoppage cost you in lost orders?",
    "zh": "停机一次会让你们损失多少订单？",
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_questions_asked_outside_the_plan_are_read_and_counted_as_read(
    request, database, team_id, make_engine_for, clock, playbooks, language
) -> None:
    """The debrief's own questions count for the scorecard, the feedback and the figures."""
    chat = request.getfixturevalue(f"rep_{language}")
    prep, debrief = SCRIPTS[language]
    debrief = asking_beyond_the_plan(debrief, DEBRIEF_QUESTIONS[language])
    play(chat, prep)
    play(chat, until(debrief, "needs"))  # typed beside the ticks, checked after the answers
    assert at_step(chat) == "other_types"
    assert ("→ Implication ✓" if language == "en" else "→ 暗示问题 ✓") in chat.text
    chat.tap(CONTINUE[language])
    play(chat, from_step(debrief, "needs"))
    with Session(database) as session:
        unplanned = session.exec(select(SpinItem).where(col(SpinItem.planned).is_(False))).one()
        assert (unplanned.spin_type, unplanned.typed_by, unplanned.asked) == (
            SpinType.IMPLICATION,
            TypedBy.COACH,
            True,
        )
        manager = User(handle="m", display_name="m", language="en", role=Role.MANAGER,
                       team_id=team_id)  # fmt: skip
        session.add(manager)
        session.commit()
        figures = team_figures(
            session=session,
            playbooks=playbooks,
            viewer=manager,
            now=clock.now + timedelta(days=8),
            days=30,
        )
    # asked in the plan: one situation question and one implication; and this implication
    assert figures.team.asked[SpinType.IMPLICATION] == 2
    assert figures.team.asked[SpinType.PROBLEM] == 0
    implication_line = {"en": "👍 You asked implication questions", "zh": "👍 你问了暗示问题"}[
        language
    ]
    assert implication_line in chat.text


def test_a_manager_sees_where_the_reps_type_differs_from_the_reading(
    rep_en, database, team_id, make_engine_for
) -> None:
    prep, debrief = SCRIPTS["en"]
    debrief = asking_beyond_the_plan(debrief, DEBRIEF_QUESTIONS["en"])
    play(rep_en, prep)
    play(rep_en, until(debrief, "needs"))
    play(rep_en, [tap("Problem", at="other_types"), *from_step(debrief, "needs")])
    manager = Chat(
        make_engine_for(),
        add_user(database, team_id, name="Max", language="en", role=Role.MANAGER),
    )
    manager.command("review")
    manager.say("alice")
    manager.tap("Huadong")
    manager.tap("Questions")
    assert (
        "+ Problem: What does a stoppage cost you in lost orders? (the coach read: Implication)"
        in manager.text
    )


def test_questions_rewritten_after_going_back_are_read_afresh_not_given_the_old_types(
    rep_en, database
) -> None:
    at_own_questions(rep_en, "en")
    rep_en.say(TYPED["en"])
    rep_en.tap("1 Problem")
    rep_en.tap("Continue")
    rep_en.tap("Back")
    rep_en.tap("Back")
    assert at_step(rep_en) == "own_questions"
    rep_en.say(
        "Would it help if repairs were done within four hours?\n"
        "What does a stoppage cost you in lost orders?"
    )
    assert "Would it help if repairs were done within four hours? → Need-payoff ✓" in rep_en.text
    assert "(your choice)" not in rep_en.text
    rep_en.tap("Continue")
    rest_of_prep(rep_en, "en")
    assert [(item.spin_type, item.typed_by) for item in own_items(database)] == [
        (SpinType.IMPLICATION, TypedBy.COACH),
        (SpinType.NEED_PAYOFF, TypedBy.COACH),
    ]


def test_changing_a_type_and_back_again_leaves_it_the_coachs_reading(rep_en, database) -> None:
    at_own_questions(rep_en, "en")
    rep_en.say(TYPED["en"])
    rep_en.tap("1 Problem")
    rep_en.tap("1 Situation")
    assert "How many trucks do you run today? → Situation ✓\n" in rep_en.text + "\n"
    assert "(your choice)" not in rep_en.text
    rep_en.tap("Continue")
    rest_of_prep(rep_en, "en")
    assert [item.typed_by for item in own_items(database)] == [TypedBy.COACH, TypedBy.COACH]


def test_a_prep_saved_before_the_check_keeps_the_types_the_rep_chose_then(
    rep_en, database
) -> None:
    """A flow state from the version that asked each own question's type one by one."""
    at_own_questions(rep_en, "en")
    rep_en.say("Tell me about your fleet")
    with Session(database) as session:
        state = session.get(FlowState, rep_en.user_id)
        data = dict(state.data)
        answers = dict(data["answers"])
        answers["own_questions"] = [{"type": None, "text": "Tell me about your fleet"}]
        answers["own/0/own_type"] = "need_payoff"
        data["answers"] = answers
        data["ui"] = {}
        state.data = data
        state.step = "problem/1/problem"
        session.add(state)
        session.commit()
    rest_of_prep(rep_en, "en")
    [item] = own_items(database)
    assert (item.spin_type, item.typed_by) == (SpinType.NEED_PAYOFF, TypedBy.REP)
