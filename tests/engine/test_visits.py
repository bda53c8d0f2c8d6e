"""/visits: a planned visit is moved (its debrief reminder follows) or cancelled (kept in the
record, never reminded, out of the figures); the debrief reminder offers both."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from bot import reminders
from bot.domain import ReminderKind, VisitStatus
from bot.engine.events import Tap
from bot.storage.models import Reminder, User, Visit
from tests.conftest import START
from tests.engine.chat import Chat, add_user, play, with_telegram
from tests.engine.scripts import SCRIPTS
from tests.engine.test_resilience import BAD_INPUTS, OTHER_LANGUAGE, current_step

SHANGHAI = ZoneInfo("Asia/Shanghai")
PLANNED = START + timedelta(days=1, hours=5, minutes=30)  # the scripts plan tomorrow 15:00


def _planned(chat: Chat, language: str) -> None:
    prep, _ = SCRIPTS[language]
    play(chat, prep)


def _visit(database) -> Visit:
    with Session(database) as session:
        return session.exec(select(Visit)).one()


def _debrief_reminder(database) -> Reminder:
    with Session(database) as session:
        return session.exec(select(Reminder).where(Reminder.kind == ReminderKind.DEBRIEF)).one()


def _due(database, now, texts):
    return reminders.due_messages(
        db=database, now=now, worker="w", texts=texts, zone=SHANGHAI, at=START.time()
    )


def test_visits_lists_planned_visits_and_moves_one_with_its_reminder(
    rep_en: Chat, database
) -> None:
    _planned(rep_en, "en")
    before = _visit(database).planned_at
    rep_en.command("visits")
    assert "1 planned." in rep_en.text
    assert rep_en.labels[0] == "Tomorrow 15:00 · Huadong Heavy Truck"
    rep_en.tap("Huadong")
    assert rep_en.labels[:2] == ["📅 Move", "🚫 Cancel the visit"]
    rep_en.tap("Move")
    assert "When is it now?" in rep_en.text
    rep_en.say("friday")
    assert rep_en.labels[0] == "15:00", "the visit's own time first"
    rep_en.tap("10:00")
    assert "now 11-27 10:00 (was Tomorrow 15:00)" in rep_en.text
    visit = _visit(database)
    assert visit.planned_at == before + timedelta(days=2, hours=-5)
    assert visit.status == VisitStatus.PLANNED
    assert _debrief_reminder(database).due_at == visit.planned_at + timedelta(hours=2)


def test_a_move_to_a_time_already_gone_is_asked_again(rep_zh: Chat, database) -> None:
    _planned(rep_zh, "zh")
    rep_zh.command("visits")
    rep_zh.tap("华东重卡")
    rep_zh.tap("改时间")
    rep_zh.say("今天上午8点")
    assert "这个时间已经过去了" in rep_zh.text
    rep_zh.say("昨天下午3点")
    assert "这个时间已经过去了" in rep_zh.text
    rep_zh.say("后天下午2点")
    assert "已改期" in rep_zh.text and "复盘提醒也随之调整" in rep_zh.text
    assert _visit(database).planned_at == START + timedelta(days=2, hours=4, minutes=30)


def test_a_moved_visit_that_was_already_reminded_is_reminded_again_after_its_new_time(
    rep_en: Chat, database, clock, texts
) -> None:
    _planned(rep_en, "en")
    with_telegram(database, rep_en.user_id)
    clock.now = PLANNED + timedelta(hours=3)
    [message] = _due(database, clock.now, texts)
    reminders.settle(db=database, reminder_id=message.reminder_id, delivered=True, now=clock.now)
    labels = [button.label for button in message.reply.all_buttons()]
    assert labels == ["📝 Debrief now", "📅 Move", "🚫 Cancel the visit"]
    move = next(b for b in message.reply.all_buttons() if "Move" in b.label)
    rep_en.send(Tap(move.value))
    assert "When is it now?" in rep_en.text
    rep_en.say("tomorrow 11:00")
    assert _due(database, clock.now + timedelta(hours=1), texts) == []
    later = _visit(database).planned_at + timedelta(hours=2, seconds=1)
    assert len(_due(database, later, texts)) == 1, "the reminder followed the visit"


def test_cancel_from_the_list_asks_first_and_no_keeps_the_visit(rep_en: Chat, database) -> None:
    _planned(rep_en, "en")
    rep_en.command("visits")
    rep_en.tap("Huadong")
    rep_en.tap("Cancel the visit")
    assert "Cancel this visit?" in rep_en.text
    rep_en.tap("No")
    assert "Nothing changed" in rep_en.text
    assert _visit(database).status == VisitStatus.PLANNED
    rep_en.command("visits")
    rep_en.tap("Huadong")
    rep_en.tap("Cancel the visit")
    rep_en.tap("Yes")
    assert "Cancelled: the visit to Huadong Heavy Truck (Tomorrow 15:00)." in rep_en.text
    assert _visit(database).status == VisitStatus.CANCELLED
    rep_en.command("visits")
    assert "No visits are planned" in rep_en.text
    rep_en.command("debrief")
    assert all("Huadong" not in label for label in rep_en.labels), "nothing to debrief"


def test_a_cancelled_visits_debrief_reminder_never_goes_out(
    rep_en: Chat, database, clock, texts
) -> None:
    _planned(rep_en, "en")
    with_telegram(database, rep_en.user_id)
    rep_en.command("visits", "cancel:1")
    assert "Back" not in " ".join(rep_en.labels)
    rep_en.tap("Yes")
    assert _debrief_reminder(database).fired_at == START, "settled at once"
    assert _due(database, PLANNED + timedelta(hours=3), texts) == []
    rep_en.command("debrief", "1")
    assert "couldn't find that open visit" in rep_en.text


def test_the_reminders_cancel_button_of_a_visit_debriefed_meanwhile_is_refused(
    rep_en: Chat, database, clock
) -> None:
    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep + debrief)
    for argument in ("cancel:1", "move:1"):
        rep_en.command("visits", argument)
        assert "couldn't find that open visit" in rep_en.text
        assert _visit(database).status == VisitStatus.DONE


def test_another_reps_visit_or_a_forged_argument_is_refused(
    rep_en: Chat, database, team_id, make_engine_for
) -> None:
    _planned(rep_en, "en")
    other = Chat(make_engine_for(), add_user(database, team_id, name="bob", language="en"))
    for argument in ("cancel:1", "move:1", "cancel:999", "cancel:x", "drop:1", "1", "move:"):
        other.command("visits", argument)
        assert "couldn't find that open visit" in other.text, argument
        assert all("Huadong" not in label for label in other.labels)
    assert _visit(database).status == VisitStatus.PLANNED


@pytest.mark.parametrize("language", ["en", "zh"])
def test_bad_input_at_every_visits_question_gets_an_answer_and_changes_nothing(
    language: str, request: pytest.FixtureRequest, database
) -> None:
    chat: Chat = request.getfixturevalue(f"rep_{language}")
    _planned(chat, language)
    before_at = _visit(database).planned_at
    taps = {"en": ("Huadong", "Move", "Fri"), "zh": ("华东重卡", "改时间", "周五")}[language]
    chat.command("visits")
    for tap in (*taps[:2], None):
        before = current_step(database, chat.user_id)
        for bad in [*BAD_INPUTS, OTHER_LANGUAGE[language]]:
            replies = chat.send(bad)
            assert replies and all(reply.text.strip() for reply in replies), (bad, before)
            after = current_step(database, chat.user_id)
            assert after is not None and after[0] == before[0], (bad, before, after)
        if tap is not None:
            chat.tap(tap)
    assert _visit(database).planned_at == before_at, "nothing moved"
    chat.command("visits", "cancel:1")
    for bad in [*BAD_INPUTS, OTHER_LANGUAGE[language]]:
        assert chat.send(bad)
        assert current_step(database, chat.user_id)[0] == "cancel_sure", bad
    assert _visit(database).status == VisitStatus.PLANNED


def test_a_restart_in_the_middle_of_a_move_resumes_and_finishes_it(
    rep_en: Chat, database, make_engine_for
) -> None:
    _planned(rep_en, "en")
    steps = [("cmd", "visits"), ("tap", "Huadong"), ("tap", "Move"), ("say", "fri")]
    for step in steps:
        rep_en.engine = make_engine_for()
        play(rep_en, [step])
    rep_en.engine = make_engine_for()
    replies = rep_en.engine.resume(user_id=rep_en.user_id)
    assert "At what time?" in replies[-1].text
    rep_en.tap("16:00")
    assert _visit(database).planned_at.astimezone(SHANGHAI).strftime("%m-%d %H:%M") == (
        "11-27 16:00"
    )


def test_a_repeated_yes_cancels_once(rep_en: Chat, database) -> None:
    _planned(rep_en, "en")
    rep_en.command("visits", "cancel:1")
    yes = rep_en.button("Yes")
    rep_en.send(Tap(yes.value), event_id="u-7")
    assert rep_en.send(Tap(yes.value), event_id="u-7") == []
    rep_en.send(Tap(yes.value))
    assert "earlier question" in rep_en.text
    assert _visit(database).status == VisitStatus.CANCELLED


def test_a_cancelled_visit_is_neither_prepared_in_team_nor_planned_in_stats(
    rep_en: Chat, database, team_id, playbooks
) -> None:
    from bot.activity import team_activity
    from bot.domain import Role, SpinType
    from bot.figures import team_figures

    _planned(rep_en, "en")
    manager_id = add_user(database, team_id, name="max", language="en", role=Role.MANAGER)

    def counted() -> tuple[tuple[int, int], int]:
        with Session(database) as session:
            manager = session.get(User, manager_id)
            rep = session.get(User, rep_en.user_id)
            now = START + timedelta(hours=1)
            activity = team_activity(session=session, playbooks=playbooks, viewer=manager, now=now)
            figures = team_figures(
                session=session, playbooks=playbooks, viewer=manager, now=now, days=30
            )
            return activity.of(rep).prepared, sum(figures.team.planned[k] for k in SpinType)

    prepared, planned = counted()
    assert prepared == (1, 1) and planned > 0
    rep_en.command("visits", "cancel:1")
    rep_en.tap("Yes")
    assert counted() == ((0, 0), 0)
