"""A repeat visit proposes what the last one planned and never asked, before the bank's.

Carried questions take their type's places in the compact list, marked ↻; the rep's own keep
their words and who typed them; what was asked last time is not proposed again.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.domain import SpinType, TypedBy
from bot.storage.models import SpinItem, Visit
from tests.engine.chat import Chat, at_step, play
from tests.engine.scripts import SCRIPTS


def _at_questions_of_a_repeat_visit(chat: Chat) -> None:
    prep, debrief = SCRIPTS["en"]
    play(chat, prep + debrief)
    play(chat, [("cmd", "prep"), ("tap", "Huadong"), ("tap", "Done"), ("say", "A pilot\nData")])
    assert at_step(chat) == "questions"


def test_questions_planned_and_never_asked_come_back_first_marked(rep_en) -> None:
    _at_questions_of_a_repeat_visit(rep_en)
    text = rep_en.text
    assert "↻ How many orders slip per breakdown?" in text, "the rep's own worksheet question"
    assert "↻ What plans do you have for the size or direction of the business" in text
    assert "What does a day of downtime cost you?" not in text, "asked last time"
    assert "What are your most important business goals this year?" not in text, "asked"
    assert text.count("\n✅ ") + text.startswith("✅ ") <= 8, "still two a type"


def test_a_carried_question_kept_is_planned_again_as_it_was_typed(rep_en, database) -> None:
    _at_questions_of_a_repeat_visit(rep_en)
    play(rep_en, [("tap", "Done"), ("tap", "Skip"), ("tap", "Skip"), ("say", "tomorrow 16:00")])
    assert "Call plan" in rep_en.text
    with Session(database) as session:
        second = session.exec(select(Visit).order_by(col(Visit.id).desc())).first()
        items = session.exec(select(SpinItem).where(SpinItem.visit_id == second.id)).all()
    again = [item for item in items if item.question == "How many orders slip per breakdown?"]
    assert [(item.spin_type, item.typed_by) for item in again] == [
        (SpinType.IMPLICATION, TypedBy.WORKSHEET)
    ]
    assert not any(item.question.startswith("↻") for item in items)
