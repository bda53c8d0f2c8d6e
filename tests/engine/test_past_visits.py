"""A visit planned at a time already gone is a visit to debrief now, or a typo to correct;
and a debrief reminder never interrupts the debrief it is about."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from bot import reminders
from bot.domain import ReminderKind
from bot.storage.models import Reminder, User, Visit
from tests.conftest import START
from tests.engine.chat import Chat, play
from tests.engine.scripts import SCRIPTS, until


def _prepared_at(chat: Chat, language: str, when: str) -> None:
    prep, _ = SCRIPTS[language]
    play(chat, until(prep, "visit_day"))
    chat.say(when)


def test_a_time_already_gone_asks_whether_the_visit_happened(rep_en: Chat, database) -> None:
    _prepared_at(rep_en, "en", "today 09:00")  # it is 09:30
    assert "2026-11-24 09:00 has already passed." in rep_en.text
    rep_en.tap("Yes")
    assert "It has happened: debrief it now with /debrief." in rep_en.text
    with Session(database) as session:
        assert session.exec(select(Reminder)).all() == [], "no reminder for a visit made"
        visit = session.exec(select(Visit)).one()
    assert visit.planned_at == START - timedelta(minutes=30)
    rep_en.command("debrief")
    asked = "Did today's 09:00 visit with Huadong Heavy Truck get what you aimed for?"
    assert asked in rep_en.text


def test_a_time_gone_by_mistake_is_corrected_and_reminded_as_usual(rep_zh: Chat, database):
    _prepared_at(rep_zh, "zh", "今天上午9点")
    assert "已经过去了" in rep_zh.text
    rep_zh.tap("否")
    rep_zh.say("今天上午8点")
    assert "这个时间已经过去了" in rep_zh.text, "the past is refused again"
    rep_zh.say("明天上午10点")
    assert "已保存为拜访" in rep_zh.text
    with Session(database) as session:
        visit = session.exec(select(Visit)).one()
        [reminder] = session.exec(select(Reminder)).all()
    assert visit.planned_at == START + timedelta(days=1, minutes=30)
    assert reminder.due_at == visit.planned_at + timedelta(hours=2)


def test_a_debrief_reminder_waits_while_that_visit_is_being_debriefed(
    rep_en: Chat, database, texts, clock
) -> None:
    with Session(database) as session:
        user = session.get(User, rep_en.user_id)
        user.telegram_id = 4242  # so a reminder has somewhere to go
        session.add(user)
        session.commit()
    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep)  # planned for tomorrow 15:00
    clock.now = START + timedelta(days=1, hours=8)
    play(rep_en, until(debrief, "asked"))  # debriefing it right now: the visit and outcome
    due = reminders.due_messages(
        db=database,
        now=clock.now,
        worker="w",
        texts=texts,
        zone=clock.now.tzinfo,
        at=START.time(),
    )
    assert due == []
    with Session(database) as session:
        reminder = session.exec(
            select(Reminder).where(Reminder.kind == ReminderKind.DEBRIEF)
        ).one()
    assert reminder.fired_at is None and reminder.due_at > clock.now, "postponed, not dropped"
    rep_en.command("cancel")  # abandoned: the reminder comes later after all
    later = reminder.due_at + timedelta(seconds=1)
    due = reminders.due_messages(
        db=database, now=later, worker="w", texts=texts, zone=clock.now.tzinfo, at=START.time()
    )
    assert [message.reply.text.split("\n")[0] for message in due]


def test_a_debrief_walked_away_from_no_longer_holds_its_reminder_back(
    rep_en: Chat, database, texts, clock
) -> None:
    with Session(database) as session:
        user = session.get(User, rep_en.user_id)
        user.telegram_id = 4242
        session.add(user)
        session.commit()
    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep + until(debrief, "asked"))  # started debriefing at 09:30, then left it open
    clock.now = START + timedelta(days=1, hours=8)  # a day later, past the reminder's time
    due = reminders.due_messages(
        db=database, now=clock.now, worker="w", texts=texts, zone=clock.now.tzinfo, at=START.time()
    )
    assert len(due) == 1
