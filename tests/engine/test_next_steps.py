"""/next: open next steps are tasks, done (when, by whom) or given a new date; the overdue
reminder carries the same buttons, and a step done or moved is not called overdue again."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from bot import reminders
from bot.domain import ReminderKind, Role
from bot.engine.events import Tap
from bot.storage.models import Debrief, Reminder, Visit
from bot.visit_records import records
from tests.conftest import START
from tests.engine.chat import Chat, add_user, every_page, play, with_telegram
from tests.engine.scripts import SCRIPTS
from tests.engine.test_resilience import BAD_INPUTS, OTHER_LANGUAGE, current_step

SHANGHAI = ZoneInfo("Asia/Shanghai")
OVERDUE = START + timedelta(days=9)  # Thursday 3 December 09:30: the step was due 2 December


def _debriefed(chat: Chat, language: str, clock) -> None:
    """A visit prepared and debriefed with a next step due 2 December; now it is overdue."""
    prep, debrief = SCRIPTS[language]
    play(chat, prep + debrief)
    clock.now = OVERDUE


def _due(database, now, texts):
    return reminders.due_messages(
        db=database, now=now, worker="w", texts=texts, zone=SHANGHAI, at=START.time()
    )


def _debrief(database) -> Debrief:
    with Session(database) as session:
        return session.exec(select(Debrief)).one()


def test_next_lists_open_steps_overdue_first_and_a_tap_marks_one_done(
    rep_en: Chat, database, clock
) -> None:
    _debriefed(rep_en, "en", clock)
    rep_en.command("next")
    assert "1 open, 1 overdue" in rep_en.text
    assert rep_en.labels[0] == "⏰ 12-02 · Huadong Heavy Truck · Site visit to the Wuxi plant"
    rep_en.tap("Huadong")
    assert "Due 2026-12-02: overdue." in rep_en.text
    assert rep_en.labels[:3] == ["✔ Done", "📅 New date", "🏢 Open the account"]
    rep_en.tap("Done")
    assert "Done: Huadong Heavy Truck: Site visit to the Wuxi plant" in rep_en.text
    assert "No other step is open." in rep_en.text
    debrief = _debrief(database)
    assert debrief.next_step_done_at == OVERDUE
    assert debrief.next_step_done_by == rep_en.user_id
    rep_en.command("next")
    assert "No open next steps" in rep_en.text


def test_steps_are_ordered_overdue_first_then_by_date_and_undated_last(
    rep_en: Chat, database, clock
) -> None:
    _debriefed(rep_en, "en", clock)
    with Session(database) as session:
        visit = session.exec(select(Visit)).one()
        for days, step in ((20, "Later"), (None, "Undated"), (-5, "Older")):
            extra = Visit(
                account_id=visit.account_id,
                rep_id=visit.rep_id,
                team_id=visit.team_id,
                planned_at=visit.planned_at,
                status=visit.status,
            )
            session.add(extra)
            session.flush()
            due = OVERDUE.date() + timedelta(days=days) if days is not None else None
            session.add(
                Debrief(
                    visit_id=extra.id,
                    rep_id=visit.rep_id,
                    team_id=visit.team_id,
                    outcome="advance",
                    next_step=step,
                    next_step_due=due,
                )
            )
        session.commit()
    rep_en.command("next")
    assert "4 open, 2 overdue" in rep_en.text
    steps = [label.rsplit(" · ", 1)[-1] for label in rep_en.labels[:4]]
    assert steps == ["Older", "Site visit to the Wuxi plant", "Later", "Undated"]
    assert rep_en.labels[0].startswith("⏰") and not rep_en.labels[2].startswith("⏰")


def test_a_new_date_moves_the_step_and_it_is_no_longer_overdue(
    rep_zh: Chat, database, clock, texts
) -> None:
    _debriefed(rep_zh, "zh", clock)
    rep_zh.command("next")
    rep_zh.tap("华东重卡")
    rep_zh.tap("改期")
    assert [label for label in rep_zh.labels[:3]] == ["明天", "3天后（12/6）", "7天后（12/10）"]
    rep_zh.tap("7天后")
    assert "已改到2026-12-10" in rep_zh.text
    assert _debrief(database).next_step_due == date(2026, 12, 10)
    with_telegram(database, rep_zh.user_id)
    assert _due(database, clock.now, texts) == [], "not overdue any more: no reminder"


def test_a_day_already_gone_is_asked_again(rep_en: Chat, database, clock) -> None:
    _debriefed(rep_en, "en", clock)
    rep_en.command("next")
    rep_en.tap("Huadong")
    rep_en.tap("New date")
    rep_en.say("2026-12-01")
    assert "That day has passed" in rep_en.text
    rep_en.say("2026-11-30")
    assert "That day has already passed" in rep_en.text
    rep_en.say("fri")
    assert "New date 2026-12-04" in rep_en.text
    assert _debrief(database).next_step_due == date(2026, 12, 4)


def test_open_the_account_shows_its_card(rep_en: Chat, clock) -> None:
    _debriefed(rep_en, "en", clock)
    rep_en.command("next")
    rep_en.tap("Huadong")
    rep_en.tap("Open the account")
    card, _ = every_page(rep_en)
    assert "Decision unit" in card and "Site visit to the Wuxi plant" in card


def test_the_overdue_reminder_carries_done_new_date_and_the_account(
    rep_en: Chat, database, clock, texts
) -> None:
    _debriefed(rep_en, "en", clock)
    with_telegram(database, rep_en.user_id)
    [message] = _due(database, clock.now, texts)
    labels = [button.label for button in message.reply.all_buttons()]
    assert labels == ["✔ Done", "📅 New date", "🏢 Open the account"]
    done = next(b for b in message.reply.all_buttons() if b.label == "✔ Done")
    rep_en.send(Tap(done.value))
    assert "Done: Huadong Heavy Truck" in rep_en.text
    assert _due(database, clock.now + timedelta(days=1), texts) == [], "done: never reminded"
    rep_en.send(Tap(done.value))  # the same button again, tapped later
    assert "Already done (marked 2026-12-03 09:30 by alice)" in rep_en.text
    assert _debrief(database).next_step_done_at == OVERDUE, "the first when is kept"


def test_the_reminders_new_date_button_asks_the_day_at_once(
    rep_en: Chat, database, clock, texts
) -> None:
    _debriefed(rep_en, "en", clock)
    with_telegram(database, rep_en.user_id)
    [message] = _due(database, clock.now, texts)
    later = next(b for b in message.reply.all_buttons() if "New date" in b.label)
    rep_en.send(Tap(later.value))
    assert "When is it due now?" in rep_en.text
    assert "Back" not in " ".join(rep_en.labels)
    rep_en.tap("Tomorrow")
    assert _debrief(database).next_step_due == date(2026, 12, 4)


def test_a_queued_reminder_is_not_sent_once_the_step_is_moved(
    rep_en: Chat, database, clock, texts
) -> None:
    _debriefed(rep_en, "en", clock)
    with_telegram(database, rep_en.user_id)
    with Session(database) as session:  # queued today, not sent yet
        reminders.queue_overdue_next_steps(
            session=session, now=clock.now, zone=SHANGHAI, at=START.time()
        )
        session.commit()
    with Session(database) as session:  # moved behind the queue's back: render says moot
        debrief = session.exec(select(Debrief)).one()
        debrief.next_step_due = date(2026, 12, 5)
        session.add(debrief)
        session.commit()
    assert _due(database, clock.now, texts) == []
    with Session(database) as session:
        [queued] = session.exec(
            select(Reminder).where(Reminder.kind == ReminderKind.NEXT_STEP)
        ).all()
        assert queued.fired_at is not None


def test_moving_settles_the_steps_unsent_reminders(rep_en: Chat, database, clock) -> None:
    _debriefed(rep_en, "en", clock)
    with Session(database) as session:
        reminders.queue_overdue_next_steps(
            session=session, now=clock.now, zone=SHANGHAI, at=START.time()
        )
        session.commit()
    rep_en.command("next", "date:1")
    rep_en.tap("In 3 days")
    with Session(database) as session:
        [queued] = session.exec(
            select(Reminder).where(Reminder.kind == ReminderKind.NEXT_STEP)
        ).all()
        assert queued.fired_at == OVERDUE


def test_another_reps_step_or_a_forged_argument_is_refused(
    rep_en: Chat, database, team_id, make_engine_for, clock
) -> None:
    _debriefed(rep_en, "en", clock)
    other = Chat(make_engine_for(), add_user(database, team_id, name="bob", language="en"))
    for argument in ("done:1", "date:1", "done:999", "done:x", "delete:1", "1", "date:"):
        other.command("next", argument)
        assert "couldn't find that open next step" in other.text, argument
    assert _debrief(database).next_step_done_at is None
    rep_en.command("next", "done:1")
    rep_en.command("next", "date:1")  # done already: no new date
    assert "couldn't find that open next step" in rep_en.text


def test_the_done_step_is_in_the_record_and_the_export(
    rep_en: Chat, database, clock, playbooks
) -> None:
    _debriefed(rep_en, "en", clock)
    rep_en.command("next", "done:1")
    with Session(database) as session:
        [record] = records(session=session, playbooks=playbooks)
    exported = record["debrief"]
    assert exported["next_step_done_at"] == "2026-12-03T01:30:00+00:00"
    assert exported["next_step_done_by"] == {"id": rep_en.user_id, "name": "alice"}
    manager = Chat(
        rep_en.engine,
        add_user(database, 1, name="max", language="en", role=Role.MANAGER),
    )
    manager.command("review")
    manager.say("alice")
    manager.tap("Huadong")
    assert (
        "Next: Site visit to the Wuxi plant (by 2026-12-02) ✅ done 2026-12-03 09:30 by alice"
        in (manager.text)
    )


@pytest.mark.parametrize("language", ["en", "zh"])
def test_bad_input_at_every_next_step_question_gets_an_answer_and_changes_nothing(
    language: str, request: pytest.FixtureRequest, database, clock
) -> None:
    chat: Chat = request.getfixturevalue(f"rep_{language}")
    _debriefed(chat, language, clock)
    labels = {"en": ("Huadong", "New date"), "zh": ("华东重卡", "改期")}[language]
    chat.command("next")
    for tap in (*labels, None):
        before = current_step(database, chat.user_id)
        for bad in [*BAD_INPUTS, OTHER_LANGUAGE[language]]:
            replies = chat.send(bad)
            assert replies and all(reply.text.strip() for reply in replies), (bad, before)
            after = current_step(database, chat.user_id)
            assert after is not None and after[0] == before[0], (bad, before, after)
        if tap is not None:
            chat.tap(tap)
    assert _debrief(database).next_step_due == date(2026, 12, 2), "nothing moved"
    chat.send(Tap(chat.button("7").value))
    assert _debrief(database).next_step_due == date(2026, 12, 10)


def test_a_restart_in_the_middle_of_next_resumes_at_the_same_question(
    rep_en: Chat, database, clock, make_engine_for
) -> None:
    _debriefed(rep_en, "en", clock)
    for step in (("cmd", "next"), ("tap", "Huadong"), ("tap", "New date"), ("say", "fri")):
        rep_en.engine = make_engine_for()
        play(rep_en, [step])
    assert _debrief(database).next_step_due == date(2026, 12, 4)
    rep_en.engine = make_engine_for()
    rep_en.command("next")
    rep_en.tap("Huadong")
    rep_en.engine = make_engine_for()
    replies = rep_en.engine.resume(user_id=rep_en.user_id)
    assert "Done, a new date, or the account?" in replies[-1].text


def test_a_repeated_done_tap_is_applied_once(rep_en: Chat, database, clock) -> None:
    _debriefed(rep_en, "en", clock)
    rep_en.command("next")
    rep_en.tap("Huadong")
    done = rep_en.button("Done")
    rep_en.send(Tap(done.value), event_id="u-1")
    assert rep_en.send(Tap(done.value), event_id="u-1") == []
    rep_en.send(Tap(done.value))
    assert "earlier question" in rep_en.text
    assert _debrief(database).next_step_done_at == OVERDUE
