"""Step kinds no shipped flow exercises fully, run through a small flow of their own."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.engine.context import Ctx, Option
from bot.engine.events import Tap
from bot.engine.flow import Flow
from bot.engine.runner import Engine
from bot.engine.steps.base import (
    Answer,
    Choice,
    Given,
    Outcome,
    Redraw,
    Rows,
    Stale,
    Step,
    Tapped,
    View,
)
from bot.engine.steps.confirm import Confirm
from bot.engine.steps.info import Show
from bot.engine.steps.pick import Pick
from bot.errors import UserError
from bot.settings import load_settings
from bot.shipped import shipped_dir
from bot.text import Texts
from tests.engine.chat import Chat, add_user

FRUITS = ["Apple", "Apricot", "Banana"]


def fruits(ctx: Ctx) -> list[Option]:
    return [Option(str(index), name) for index, name in enumerate(FRUITS)]


def remember(ctx: Ctx) -> dict:
    return {"sure": ctx.get("sure")}


QUIZ = Flow(
    id="quiz",
    steps=(
        Pick("fruit", candidates=fruits),
        Confirm("sure"),
        Show("result", on_done=remember),
    ),
)


@dataclass(frozen=True, kw_only=True)
class Stars(Step):
    """A step kind declared outside the engine: one to five stars, tapped or typed."""

    most: int = 5

    def choices(self, view: View) -> Rows:
        return [tuple(Choice("★" * count, f"r{count}") for count in range(1, self.most + 1))]

    def accept(self, given: Given, view: View) -> Outcome:
        said = given.code[1:] if isinstance(given, Tapped) else given.text.count("*")
        count = int(said) if str(said).isdecimal() else 0
        if not 1 <= count <= self.most:
            return Stale() if isinstance(given, Tapped) else Redraw(UserError("errors/empty"))
        return Answer(count)


RATING = Flow(
    id="rating",
    steps=(Stars("stars"), Show("rated", getter=lambda ctx: {"stars": ctx.get("stars")})),
)


@pytest.fixture
def quiz(tmp_path: Path, database, team_id, playbooks, clock, sqlite_url) -> Chat:
    templates = tmp_path / "templates"
    shutil.copytree(shipped_dir("templates"), templates)
    (templates / "quiz").mkdir()
    (templates / "quiz" / "fruit.j2").write_text("Which fruit?\n")
    (templates / "quiz" / "sure.j2").write_text("Sure about {{ answer }}?\n")
    (templates / "quiz" / "result.j2").write_text("Noted: {{ sure }}.\n")
    (templates / "rating").mkdir()
    (templates / "rating" / "stars.j2").write_text("How many stars?\n")
    (templates / "rating" / "rated.j2").write_text("Rated {{ stars }}.\n")
    engine = Engine(
        flows=(QUIZ, RATING),
        db=database,
        texts=Texts(templates),
        playbooks=playbooks,
        settings=load_settings(database_url=sqlite_url),
        clock=clock,
    )
    return Chat(engine, add_user(database, team_id, name="q", language="en"))


def test_a_near_tie_asks_did_you_mean_with_only_the_close_candidates(quiz: Chat) -> None:
    quiz.command("quiz")
    quiz.say("ap")
    assert "Did you mean one of these?" in quiz.text
    assert quiz.labels[:2] == ["Apple", "Apricot"]
    assert "Banana" not in quiz.labels
    assert "➕ Create “ap”" in quiz.labels


def test_nothing_close_offers_to_create_it(quiz: Chat) -> None:
    quiz.command("quiz")
    quiz.say("Durian")
    assert "Nothing matches “Durian”" in quiz.text
    quiz.tap("Create “Durian”")
    assert "Sure about" in quiz.text
    quiz.tap("Yes")
    assert "Noted: True." in quiz.text


@pytest.mark.parametrize(
    ("typed", "answer"),
    [("yes", True), ("Y", True), ("是", True), ("no", False), ("否", False), ("maybe", None)],
)
def test_yes_or_no_can_be_typed_in_either_language(quiz: Chat, database, typed, answer) -> None:
    quiz.command("quiz")
    quiz.say("banana")
    quiz.say(typed)
    if answer is None:
        assert "Please answer yes or no." in quiz.text
        return
    assert f"Noted: {answer}." in quiz.text
    with Session(database) as session:
        from bot.storage.models import TranscriptLine

        said = [line.text for line in session.exec(select(TranscriptLine)).all()]
    assert typed in said


def test_yes_and_no_buttons_answer(quiz: Chat, database) -> None:
    quiz.command("quiz")
    quiz.say("banana")
    quiz.tap("No")
    assert "Noted: False." in quiz.text
    with Session(database) as session:
        from bot.storage.models import FlowSession

        assert session.get(FlowSession, 1).status == "done"


def test_a_new_step_kind_is_one_class_the_engine_runs_unchanged(quiz: Chat) -> None:
    quiz.command("rating")
    assert "How many stars?" in quiz.text
    assert quiz.labels[:5] == ["★", "★★", "★★★", "★★★★", "★★★★★"]
    quiz.say("no stars")
    assert "How many stars?" in quiz.text, "its own refusal, then the step again"
    quiz.send(Tap(quiz.button("★★★★").value.replace("r4", "r9")))
    assert "earlier question" in quiz.text, "a forged code is stale"
    quiz.tap("★★★★")
    assert "Rated 4." in quiz.text
