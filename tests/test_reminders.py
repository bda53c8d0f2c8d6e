"""Reminders and comment notifications reach active members only; a deactivated one's settle."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot import access, reminders
from bot.domain import ReminderKind, Role
from bot.storage.models import CoachingComment, Reminder, Visit
from tests.engine.chat import add_user, play
from tests.engine.scripts import SCRIPTS

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _due(database, now, texts):
    return reminders.due_messages(
        db=database,
        now=now,
        worker="w",
        texts=texts,
        zone=SHANGHAI,
        at=now.astimezone(SHANGHAI).time().replace(hour=0, minute=0),
    )


def test_a_deactivated_rep_gets_no_reminder_or_notification_and_none_piles_up(
    rep_en, database, team_id, clock, texts
) -> None:
    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep + debrief)  # a next step due 2 December
    manager = add_user(database, team_id, name="max", language="en", role=Role.MANAGER)
    with Session(database) as session:
        visit = session.exec(select(Visit)).one()
        comment = CoachingComment(visit_id=visit.id, author_id=manager, text="Well asked.")
        session.add(comment)
        session.flush()
        session.add(
            Reminder(
                user_id=rep_en.user_id,
                kind=ReminderKind.COMMENT,
                due_at=clock.now,
                visit_id=visit.id,
                payload={"comment_id": comment.id},
            )
        )
        access.set_active(session=session, name_or_id=str(rep_en.user_id), active=False)
        session.commit()
    overdue = clock.now.replace(month=12, day=4)
    assert _due(database, overdue, texts) == []
    assert _due(database, overdue + timedelta(days=1), texts) == []
    with Session(database) as session:
        left = session.exec(select(Reminder)).all()
        assert all(reminder.fired_at is not None for reminder in left), "settled, not pending"
        assert not [r for r in left if r.kind == ReminderKind.NEXT_STEP], "none queued daily"
