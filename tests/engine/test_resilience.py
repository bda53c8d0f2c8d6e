"""Restarts, crashes, repeated input and bad input lose nothing and apply nothing twice."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from bot.engine.events import NonText, Tap, Text
from bot.engine.runner import Engine
from bot.engine.store import Store
from bot.flows import FLOWS
from bot.settings import load_settings
from bot.storage import db as storage
from bot.storage.models import (
    Account,
    Contact,
    FlowState,
    Team,
    TranscriptLine,
)
from tests.engine.chat import Chat, add_user, play
from tests.engine.records import fingerprint
from tests.engine.scripts import DEBRIEF_EN, PREP_EN, SCRIPTS, Step, until

WHOLE = PREP_EN + DEBRIEF_EN


def step_once(chat: Chat, step: Step) -> None:
    play(chat, [step])


def current_step(database: sa.Engine, user_id: int) -> tuple[str, int] | None:
    with Session(database) as session:
        state = session.get(FlowState, user_id)
        return (state.step, state.version) if state else None


def test_every_step_survives_a_restart_of_the_process(
    rep_en: Chat, make_engine_for, database, reference
) -> None:
    for step in WHOLE:
        rep_en.engine = make_engine_for()  # a new process: nothing carried over in memory
        step_once(rep_en, step)
    assert "Saved: Huadong Heavy Truck" in rep_en.text
    assert fingerprint(database) == reference


class PowerCut(Store):
    """The event's work is done and about to be committed when the power goes."""

    def commit(self) -> None:
        raise RuntimeError("power cut before commit")


def test_a_crash_in_the_middle_of_any_step_leaves_the_saved_step_intact(
    rep_en: Chat, make_engine_for, database, reference
) -> None:
    for step in WHOLE:
        before = current_step(database, rep_en.user_id)
        rep_en.engine = make_engine_for()
        rep_en.engine.store = PowerCut
        with pytest.raises(RuntimeError):
            step_once(rep_en, step)
        assert current_step(database, rep_en.user_id) == before
        rep_en.engine = make_engine_for()
        step_once(rep_en, step)
    assert fingerprint(database) == reference


def test_the_user_sees_where_they_left_off_after_a_restart(rep_en: Chat, make_engine_for) -> None:
    play(rep_en, until(PREP_EN, "attendees"))
    replies = make_engine_for().resume(user_id=rep_en.user_id)
    text = "\n".join(reply.text for reply in replies)
    assert "Here is where you left off" in text
    assert "Who will you meet?" in text


def test_a_repeated_tap_is_applied_once(rep_en: Chat, database) -> None:
    play(rep_en, PREP_EN)
    play(rep_en, until(DEBRIEF_EN, "outcome"))
    advance = rep_en.button("Advance: the best")
    rep_en.send(Tap(advance.value))
    after_first = current_step(database, rep_en.user_id)
    rep_en.send(Tap(advance.value))
    assert "earlier question" in rep_en.text
    assert current_step(database, rep_en.user_id) == after_first


def test_a_repeated_toggle_does_not_untick(rep_en: Chat) -> None:
    play(rep_en, PREP_EN)
    play(rep_en, until(DEBRIEF_EN, "asked"))
    goals = rep_en.button("business goals")
    rep_en.send(Tap(goals.value))
    rep_en.send(Tap(goals.value))
    assert "earlier question" in rep_en.text
    assert any(label.startswith("✅") and "business goals" in label for label in rep_en.labels)


def test_a_redelivered_event_is_ignored(rep_en: Chat, database) -> None:
    rep_en.send(Text("/prep"), event_id="update-1")
    rep_en.command("prep")
    first = rep_en.send(Text("Huadong"), event_id="update-2")
    before = current_step(database, rep_en.user_id)
    again = rep_en.send(Text("Huadong"), event_id="update-2")
    assert first and again == []
    assert current_step(database, rep_en.user_id) == before


BAD_INPUTS = [
    Text(""),
    Text("x" * 10_000),
    Text("😀🎉"),
    Text("<b>bold</b> *_[x]_* </i>"),
    NonText("photo"),
    NonText("sticker"),
    Tap("999.o1"),
    Tap("garbage"),
    Text("zzzz qqqq"),
]


OTHER_LANGUAGE = {"en": Text("这是什么意思"), "zh": Text("what does this mean")}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_bad_input_at_every_step_gets_an_answer_and_loses_nothing(
    language: str, request: pytest.FixtureRequest, database, reference_of
) -> None:
    rep_en: Chat = request.getfixturevalue(f"rep_{language}")
    prep, debrief = SCRIPTS[language]
    bad_inputs = [*BAD_INPUTS, OTHER_LANGUAGE[language]]
    swept = None
    for step in prep + debrief:
        before = current_step(database, rep_en.user_id)
        position = before[0] if before else None
        if position is not None and position == swept:
            step_once(rep_en, step)  # same question as the last step (a name typed, then tapped)
            continue
        swept = position
        for bad in bad_inputs:
            replies = rep_en.send(bad)
            assert replies, f"no answer to {bad!r} at {before}"
            assert all(reply.text.strip() for reply in replies)
            typed = " ".join(bad.text.split()) if isinstance(bad, Text) else None
            added = [
                b
                for b in (rep_en.with_buttons.all_buttons() if rep_en.with_buttons else [])
                if typed
                and b.label.startswith("✅ ")
                and typed.startswith(b.label[2:].rstrip("…"))
            ]
            if added:  # typed text adds a person, a question, a title: take it out again
                rep_en.send(Tap(added[0].value))
            if before is not None and current_step(database, rep_en.user_id)[0] != before[0]:
                rep_en.say("back")  # a free-text answer was accepted: go back and answer properly
                assert current_step(database, rep_en.user_id)[0] == before[0]
        step_once(rep_en, step)
    assert fingerprint(database) == reference_of(language)


def test_cancelling_keeps_the_transcript_but_creates_no_records(rep_en: Chat, database) -> None:
    play(rep_en, until(PREP_EN, "profile"))
    rep_en.say("cancel")
    assert "Cancelled" in rep_en.text
    with Session(database) as session:
        assert session.exec(select(Account)).first() is None
        assert session.exec(select(Contact)).first() is None
        assert session.exec(select(FlowState)).first() is None
        lines = session.exec(select(TranscriptLine)).all()
        assert any(line.text == "Wang Gong" for line in lines)


def test_help_explains_and_returns_to_the_same_question(rep_en: Chat) -> None:
    play(rep_en, until(PREP_EN, "account", taken=1))
    rep_en.command("help")
    assert "How to talk to me" in rep_en.text
    assert "Nothing matches" not in rep_en.text
    assert "Which account are you visiting?" in rep_en.text


def test_back_returns_to_the_previous_question_with_the_answer_kept(rep_en: Chat) -> None:
    play(rep_en, until(PREP_EN, "attendees"))
    rep_en.tap("Back")
    assert "Where the sale is now: Proposal" in rep_en.text
    assert "✅ Proposal" in rep_en.labels
    rep_en.tap("Bidding")
    rep_en.tap("Done")
    rep_en.tap("Back")
    assert "Where the sale is now: Bidding" in rep_en.text


def test_another_reps_visit_cannot_be_opened_by_id(
    rep_en: Chat, database, team_id, make_engine_for
) -> None:
    play(rep_en, PREP_EN)
    other = Chat(make_engine_for(), add_user(database, team_id, name="bob", language="en"))
    other.command("debrief", "1")
    assert "couldn't find that open visit" in other.text
    assert all("Huadong" not in label for label in other.labels)


def test_an_unknown_command_is_answered(rep_en: Chat) -> None:
    rep_en.command("frobnicate")
    assert "don't know the command /frobnicate" in rep_en.text


def test_the_whole_conversation_gives_the_same_records_on_postgresql(
    pg_url: str, playbooks, texts, clock, reference
) -> None:
    database = storage.make_engine(pg_url)
    with Session(database) as session:
        team = Team(name="East")
        session.add(team)
        session.commit()
        team_id = team.id
    engine = Engine(
        flows=FLOWS,
        db=database,
        texts=texts,
        playbooks=playbooks,
        settings=load_settings(database_url=pg_url),
        clock=clock,
    )
    chat = Chat(engine, add_user(database, team_id, name="alice", language="en"))
    for step in WHOLE:
        chat.engine = Engine(
            flows=FLOWS,
            db=database,
            texts=texts,
            playbooks=playbooks,
            settings=load_settings(database_url=pg_url),
            clock=clock,
        )
        step_once(chat, step)
    assert fingerprint(database) == reference
    database.dispose()
