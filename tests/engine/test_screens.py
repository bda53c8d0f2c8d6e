"""What a rep reads on each screen is laid out as lines, in both languages."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlmodel import Session, select

from bot.domain import SpinType
from bot.flows.own_questions import parse_own_questions
from bot.shipped import shipped_dir
from bot.storage.models import SpinItem
from tests.engine.chat import play
from tests.engine.scripts import SCRIPTS, after, say, until
from tests.engine.test_names import _at_attendees

PLAYBOOKS = shipped_dir("playbooks")
PERSON = {
    "en": ("Sun Li", "Known: Decision maker · High · Stranger"),
    "zh": ("孙总监", "已知：决策者 · 高 · 陌生"),
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_persons_name_and_what_is_known_of_them_are_separate_lines(
    request, database, language
) -> None:
    chat = request.getfixturevalue(f"rep_{language}")
    _at_attendees(chat, database, language)
    name, known = PERSON[language]
    chat.tap(name)
    chat.tap("Done" if language == "en" else "完成")
    assert f"{name}\n{known}\n" in chat.text
    assert f"{name}{known}" not in chat.text


def test_several_own_questions_fit_in_one_message(rep_en, database) -> None:
    """Enter sends in the terminal and on a phone: ';' or '；' separates questions too."""
    prep, _ = SCRIPTS["en"]
    typed = (
        "I: What does a day of downtime cost you?; S: How many trucks run today?"
        "；P: Which parts fail most?"
    )
    questions = say(typed, at="own_questions")
    play(rep_en, [*until(prep, "own_questions"), questions, *after(prep, "own_types")])
    with Session(database) as session:
        own = session.exec(select(SpinItem).where(SpinItem.bank_question_id.is_(None))).all()
    questions = {(item.spin_type, item.question) for item in own}
    assert {
        (SpinType.IMPLICATION, "What does a day of downtime cost you?"),
        (SpinType.SITUATION, "How many trucks run today?"),
        (SpinType.PROBLEM, "Which parts fail most?"),
    } <= questions


def test_a_spin_prefix_is_any_word_a_catalog_gives_not_only_a_letter_or_two_characters() -> None:
    class Words:
        def words(self, key: str, language: str) -> tuple[str, ...]:
            return {"prefix_situation": ("sit", "情况分析"), "prefix_problem": ("p",)}.get(key, ())

    ctx = SimpleNamespace(texts=Words(), settings=SimpleNamespace(playbook_dir=PLAYBOOKS))

    def marked(text: str) -> list[tuple[str | None, str]]:
        return [(entry["type"], entry["text"]) for entry in parse_own_questions(text, ctx)]

    assert marked("sit: How many sites?\n情况分析：几条产线？\nP: What fails?") == [
        ("situation", "How many sites?"),
        ("situation", "几条产线？"),
        ("problem", "What fails?"),
    ]
    assert marked("Note: not a type") == [(None, "Note: not a type")]
