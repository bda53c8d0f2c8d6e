"""/debrief starts from the plan: the visit due now is taken, and one screen answers what took two.

The questions asked beyond the plan are typed beside the ticks of the planned ones; the people
met for the first time are typed at "did anything change about the people". What is typed shows
as a button that takes it back, survives Back and a restart, and is saved as if asked apart.
Several numbers in one message tick several options.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from bot.domain import SpinType
from bot.engine.events import Tap
from bot.storage.models import Contact, FlowState, SpinItem
from tests.conftest import START
from tests.engine.chat import Chat, at_step, play
from tests.engine.scripts import SCRIPTS, Step, until
from tests.engine.test_input_counts import FIRST_VISIT

AFTER_THE_VISIT = timedelta(days=1, hours=8)  # the scripted visit is tomorrow 15:00; 17:30


def _prepared(chat: Chat, language: str = "en") -> list[Step]:
    prep, debrief = SCRIPTS[language]
    play(chat, prep)
    return debrief


def _at(chat: Chat, debrief: list[Step], step: str, clock) -> None:
    clock.now = START + AFTER_THE_VISIT
    play(chat, until(debrief, step))
    assert at_step(chat) == step


def _ticks(chat: Chat) -> list[str]:
    return [label for label in chat.labels if label.startswith("✅")]


# --- the visit due now ------------------------------------------------------------------------


def test_the_only_visit_due_today_is_taken_and_named_on_the_outcome_screen(rep_en, clock):
    _prepared(rep_en)
    clock.now = START + AFTER_THE_VISIT
    rep_en.command("debrief")
    assert at_step(rep_en) == "outcome"
    asked = "Did today's 15:00 visit with Huadong Heavy Truck get what you aimed for?"
    assert asked in rep_en.text
    assert "🎯 Best: Agrees to a site visit next week" in rep_en.text
    assert "↩ Another visit" in rep_en.labels


def test_another_visit_goes_to_the_list_and_the_one_picked_there_is_debriefed(rep_en, clock):
    _prepared(rep_en)
    clock.now = START + AFTER_THE_VISIT
    rep_en.command("debrief")
    rep_en.tap("Another visit")
    assert at_step(rep_en) == "visit"
    rep_en.tap("did not prepare")
    assert at_step(rep_en) == "account", "an unplanned visit asks for its account"


def test_the_coach_in_chinese_names_the_visit_it_took(rep_zh, clock):
    _prepared(rep_zh, "zh")
    clock.now = START + AFTER_THE_VISIT
    rep_zh.command("debrief")
    assert "今天15:00拜访华东重卡，达成预定目标了吗？" in rep_zh.text
    assert "↩ 换一个拜访" in rep_zh.labels


def test_two_visits_due_today_are_listed_never_guessed(rep_en, clock):
    _prepared(rep_en)
    play(rep_en, FIRST_VISIT)  # Blue Ocean, also tomorrow 15:00
    clock.now = START + AFTER_THE_VISIT
    rep_en.command("debrief")
    assert at_step(rep_en) == "visit"
    assert any("Huadong" in label for label in rep_en.labels)
    assert any("Blue Ocean" in label for label in rep_en.labels)


def test_a_visit_later_today_is_not_taken_before_its_time(rep_en, clock):
    _prepared(rep_en)
    clock.now = START + timedelta(days=1, hours=1)  # 10:30, the visit is at 15:00
    rep_en.command("debrief")
    assert at_step(rep_en) == "visit"


# --- questions asked beyond the plan ----------------------------------------------------------


def test_questions_typed_beside_the_ticks_are_kept_and_one_tap_takes_one_back(
    rep_en, clock, database
):
    debrief = _prepared(rep_en)
    _at(rep_en, debrief, "asked", clock)
    rep_en.say("How long does a repair take today?\nWhat does a stoppage cost you in orders?")
    assert at_step(rep_en) == "asked"
    assert "✅ How long does a repair take today?" in rep_en.labels
    assert "✅ What does a stoppage cost you in orders?" in rep_en.labels
    rep_en.tap("✅ How long does a repair take today?")
    assert "✅ How long does a repair take today?" not in rep_en.labels
    rep_en.tap("Done")
    assert at_step(rep_en) == "other_types"
    assert "What does a stoppage cost you in orders?" in rep_en.text
    assert "How long does a repair take" not in rep_en.text
    rep_en.tap("Continue")
    play(rep_en, [("tap", "Skip"), ("tap", "No changes"), ("tap", "Still at"),
                  ("say", "Trial"), ("tap", "Tomorrow")])  # fmt: skip
    assert "Saved" in rep_en.text
    with Session(database) as session:
        unplanned = session.exec(select(SpinItem).where(col(SpinItem.planned).is_(False))).all()
    assert [(item.question, item.spin_type) for item in unplanned] == [
        ("What does a stoppage cost you in orders?", SpinType.IMPLICATION)
    ]


def test_more_than_twelve_questions_in_all_are_refused_and_those_typed_stay(rep_en, clock):
    debrief = _prepared(rep_en)
    _at(rep_en, debrief, "asked", clock)
    rep_en.say("\n".join(f"Question number {n}?" for n in range(1, 9)))
    rep_en.say("\n".join(f"Another question {n}?" for n in range(1, 6)))
    assert "13" in rep_en.text and "12" in rep_en.text
    assert len([label for label in _ticks(rep_en) if "Question number" in label]) == 8
    assert not any("Another question" in label for label in rep_en.labels)


def test_text_with_no_question_in_it_is_refused_at_the_ticks(rep_en, clock):
    debrief = _prepared(rep_en)
    _at(rep_en, debrief, "asked", clock)
    before = rep_en.labels
    rep_en.say("😀😀 ??")
    assert at_step(rep_en) == "asked"
    assert rep_en.labels == before


def test_typed_questions_survive_a_restart_and_back(rep_en, clock, make_engine_for):
    debrief = _prepared(rep_en)
    _at(rep_en, debrief, "asked", clock)
    rep_en.say("Who else <b>signs</b> *_[off]_*?")
    restarted = Chat(make_engine_for(), rep_en.user_id)
    restarted.with_buttons = rep_en.with_buttons
    restarted.tap("Done")
    restarted.tap("Back")
    assert at_step(restarted) == "asked"
    assert "✅ Who else <b>signs</b> *_[off]_*?" in restarted.labels


def test_a_forged_or_repeated_take_back_changes_nothing(rep_en, clock):
    debrief = _prepared(rep_en)
    _at(rep_en, debrief, "asked", clock)
    rep_en.say("How long does a repair take today?")
    take_back = rep_en.button("✅ How long").value
    version = take_back.split(".")[0]
    rep_en.send(Tap(f"{version}.y7"))
    assert "✅ How long does a repair take today?" in rep_en.labels
    rep_en.send(Tap(take_back))
    rep_en.send(Tap(take_back))  # the same tap again: an earlier screen's
    assert at_step(rep_en) == "asked"
    assert not any("How long" in label for label in rep_en.labels)


# --- people met for the first time ------------------------------------------------------------


def test_people_met_for_the_first_time_are_typed_at_the_people_step(rep_en, clock, database):
    debrief = _prepared(rep_en)
    _at(rep_en, debrief, "people_changed", clock)
    rep_en.say("Liu Fang, Chen Gang")
    assert "New: Liu Fang, Chen Gang" in rep_en.text
    rep_en.say("liu  FANG")  # the same name again is one person
    assert "New: Liu Fang, Chen Gang" in rep_en.text
    rep_en.tap("✅ Chen Gang")
    assert "New: Liu Fang (tap a name to take it back)" in rep_en.text
    rep_en.tap("No changes")
    assert at_step(rep_en) == "newcomer_role"
    play(rep_en, [("tap", "Purchaser"), ("tap", "Skip"), ("tap", "Still at"),
                  ("say", "Trial"), ("tap", "Tomorrow")])  # fmt: skip
    with Session(database) as session:
        names = sorted(session.exec(select(Contact.name)).all())
    assert names == ["Liu Fang", "Wang Gong", "Zhao Zong"]


def test_a_name_with_no_letter_is_refused_at_the_people_step(rep_en, clock):
    debrief = _prepared(rep_en)
    _at(rep_en, debrief, "people_changed", clock)
    rep_en.say("😀")
    assert "New:" not in rep_en.text
    assert at_step(rep_en) == "people_changed"


def test_names_typed_at_the_people_step_are_kept_going_back(rep_zh, clock):
    debrief = _prepared(rep_zh, "zh")
    _at(rep_zh, debrief, "people_changed", clock)
    rep_zh.say("刘芳、陈刚")
    rep_zh.tap("没有变化")
    assert at_step(rep_zh) == "newcomer_role"
    rep_zh.tap("返回")
    assert at_step(rep_zh) == "people_changed"
    assert "新认识：刘芳、陈刚" in rep_zh.text


# --- several numbers in one message -----------------------------------------------------------


def test_several_numbers_in_one_message_tick_several(rep_en, clock):
    debrief = _prepared(rep_en)
    _at(rep_en, debrief, "asked", clock)
    rep_en.say("1 2")
    assert len(_ticks(rep_en)) == 2
    rep_en.say("1,2")
    assert _ticks(rep_en) == []
    rep_en.say("１、２")
    assert len(_ticks(rep_en)) == 2


def test_a_number_with_no_button_ticks_nothing(rep_en, clock):
    debrief = _prepared(rep_en)
    _at(rep_en, debrief, "asked", clock)
    rep_en.say("1 99")
    assert "99" in rep_en.text
    assert _ticks(rep_en) == []
    assert at_step(rep_en) == "asked"


# --- what is typed survives Back, a restart and an older flow state ---------------------------


def test_names_typed_then_back_before_answering_are_still_there(rep_en, clock) -> None:
    debrief = _prepared(rep_en)
    _at(rep_en, debrief, "people_changed", clock)
    rep_en.say("Liu Fang")
    rep_en.tap("Back")
    assert at_step(rep_en) == "needs"
    rep_en.tap("Skip")
    assert at_step(rep_en) == "people_changed"
    assert "New: Liu Fang" in rep_en.text


def test_a_flow_saved_at_the_old_new_people_step_keeps_the_names_typed_there(
    rep_en, clock, database, make_engine_for
) -> None:
    debrief = _prepared(rep_en)
    _at(rep_en, debrief, "people_changed", clock)
    with Session(database) as session:  # as a flow state saved before the step was folded in
        state = session.get(FlowState, rep_en.user_id)
        data = dict(state.data)
        data["answers"] = {**data["answers"], "new_people": ["Liu Fang"]}
        data["ui"] = {}
        state.data = data
        state.step = "new_people"
        session.add(state)
        session.commit()
    restarted = Chat(make_engine_for(), rep_en.user_id)
    restarted.command("help")  # resumes where the flow is: the people, the step it folded into
    assert "Met someone new?" in restarted.text
    assert "New: Liu Fang" in restarted.text
    restarted.tap("No changes")
    assert at_step(restarted) == "newcomer_role", "Liu Fang is still met for the first time"


def test_a_forged_huge_visit_id_is_not_found_rather_than_a_crash(rep_en) -> None:
    rep_en.command("debrief", "9" * 30)
    assert "couldn't find that open visit" in rep_en.text
    rep_en.command("plan", "9" * 30 + ":2")
    assert "no plan of yours to show" in rep_en.text
    rep_en.command("correct", "9" * 30)
    assert "something went wrong" not in rep_en.text.lower()


def test_text_close_to_a_button_at_the_people_step_asks_which_it_was(rep_en, clock, database):
    debrief = _prepared(rep_en)
    _at(rep_en, debrief, "people_changed", clock)
    rep_en.say("no change")
    assert "“no change” looks like one of the buttons" in rep_en.text
    assert "New:" not in rep_en.text, "not taken as a name"
    assert "➕ Add “no change”" in rep_en.labels
    rep_en.tap("No changes")
    assert at_step(rep_en) == "sale", "the button it was"
    with Session(database) as session:
        assert "no change" not in session.exec(select(Contact.name)).all()


def test_a_name_close_to_a_button_is_added_with_one_tap(rep_zh, clock) -> None:
    debrief = _prepared(rep_zh, "zh")
    _at(rep_zh, debrief, "people_changed", clock)
    rep_zh.say("没变化")
    rep_zh.tap("➕ 添加“没变化”")
    assert "新认识：没变化" in rep_zh.text
