"""Managers review a rep's record with its transcript and comment; the rep is told and replies."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from bot import reminders
from bot.coaching.record import facts_of, visit_facts
from bot.domain import ReminderKind, Role, Speaker
from bot.engine.events import Tap
from bot.engine.pages import screen_lines
from bot.storage.models import (
    Account,
    CoachingComment,
    Contact,
    Debrief,
    FlowSession,
    Reminder,
    TranscriptLine,
    User,
    Visit,
)
from tests.engine.chat import Chat, add_user, play
from tests.engine.scripts import SCRIPTS


def recorded_visit(rep: Chat) -> None:
    prep, debrief = SCRIPTS["en"]
    play(rep, prep + debrief)


def test_a_manager_reads_the_record_and_its_transcript_then_comments_from_there(
    rep_en: Chat, database, team_id, make_engine_for, texts, clock
) -> None:
    recorded_visit(rep_en)
    manager = Chat(
        make_engine_for(),
        add_user(database, team_id, name="Max", language="en", role=Role.MANAGER),
    )
    manager.command("review")
    manager.say("alic")
    manager.tap("alice")  # part of a name is offered, not taken
    manager.tap("Huadong")
    record = manager.text
    assert "📄 Huadong Heavy Truck · alice · 2026-11-25 15:00" in record
    assert "Advance · 🎯 the best planned · Score 10/12" in record
    assert "❓ Asked 2 of 11 planned, +1 beyond the plan" in record
    assert (
        "👤 Wang Gong: Technical evaluator · Coach (champion) · Personal trust (was: Supporter)"
        in record
    )
    assert "Next: Site visit to the Wuxi plant (by 2026-12-02)" in record
    assert screen_lines(manager.last[-1].text) <= 20, "the record is one phone screen"
    manager.tap("Questions")
    asked = manager.text
    while "Continue" in " ".join(manager.labels) and "Questions · page" in manager.text:
        manager.tap("Continue")
        asked += manager.text
    assert "✓ Situation: What are your most important business goals this year?" in asked
    assert "   → Grow <b>30%</b> & cut fuel cost *_[now]_*" in asked, "shown as typed"
    assert "+ Problem: How often do trucks wait for parts?" in asked
    assert "📄 Huadong Heavy Truck · alice" in manager.text, "back at the record"
    manager.tap("Transcript")
    first = manager.text
    assert "Transcript · page 1/" in first
    assert "👤 /prep" in first
    pages = int(first.split("page 1/", 1)[1].split("\n", 1)[0])
    seen = first
    for _ in range(pages - 1):
        manager.tap("Continue")
        seen += manager.text
    assert "👤 Grow <b>30%</b> & cut fuel cost *_[now]_*" in seen
    assert "🤖 ✅ Saved: Huadong Heavy Truck" in seen
    manager.tap("Continue")
    assert "📄 Huadong Heavy Truck · alice" in manager.text, "back at the record"
    manager.tap("Comment")
    manager.say("Good implication question. Next time add a need-payoff one.")
    assert "Comment sent; alice is notified now." in manager.text
    with Session(database) as session:
        visit = session.exec(select(Visit)).one()
        note = session.exec(select(Reminder).where(Reminder.kind == ReminderKind.COMMENT)).one()
        assert note.user_id == rep_en.user_id
    with Session(database) as session:
        rep = session.get(User, rep_en.user_id)
        rep.telegram_id = 4242  # notifications go to Telegram
        session.add(rep)
        session.commit()
    [outgoing] = _due(database, clock, texts)
    assert outgoing.telegram_id == 4242
    assert "Max</b> commented on your visit to <b>Huadong Heavy Truck" in outgoing.reply.text
    assert outgoing.reply.all_buttons()[0].value == f"m.thread:{visit.id}"

    rep_en.send(Tap(outgoing.reply.all_buttons()[0].value))
    assert "💬 Max" in rep_en.text and "Good implication question" in rep_en.text
    with Session(database) as session:
        said = select(TranscriptLine).where(TranscriptLine.speaker == Speaker.USER)
        opened = session.exec(said.order_by(TranscriptLine.id.desc())).first()
        assert opened.text == f"[{texts.label('menu_thread', 'en')}]", "the button, not its code"
    rep_en.say("Thanks, will do")
    assert "Reply sent." in rep_en.text
    with Session(database) as session:
        thread = session.exec(select(CoachingComment).order_by(CoachingComment.id)).all()
        assert [(c.author_id, c.text) for c in thread] == [
            (manager.user_id, "Good implication question. Next time add a need-payoff one."),
            (rep_en.user_id, "Thanks, will do"),
        ]
        to_manager = session.exec(
            select(Reminder).where(
                Reminder.kind == ReminderKind.COMMENT, Reminder.user_id == manager.user_id
            )
        ).one()
        assert to_manager.fired_at is None


def _due(database, clock, texts):
    from zoneinfo import ZoneInfo

    return reminders.due_messages(
        db=database,
        now=clock.now,
        worker="w",
        texts=texts,
        zone=ZoneInfo("Asia/Shanghai"),
        at=clock.now.astimezone(ZoneInfo("Asia/Shanghai")).time().replace(hour=23, minute=59),
    )


def test_nobody_opens_a_record_outside_their_scope(
    rep_en: Chat, database, team_id, make_engine_for
) -> None:
    recorded_visit(rep_en)
    with Session(database) as session:
        visit_id = session.exec(select(Visit)).one().id
    other_rep = Chat(make_engine_for(), add_user(database, team_id, name="bob", language="en"))
    other_rep.command("thread", str(visit_id))
    assert "couldn't find that open visit" in other_rep.text
    other_rep.command("review")
    assert "/review is for managers" in other_rep.text
    from bot.storage.models import Team

    with Session(database) as session:
        west = Team(name="West")
        session.add(west)
        session.commit()
        west_id = west.id
    outsider = Chat(
        make_engine_for(),
        add_user(database, west_id, name="wmgr", language="en", role=Role.MANAGER),
    )
    outsider.command("thread", str(visit_id))
    assert "couldn't find" in outsider.text
    outsider.command("review")
    outsider.say("alice")
    assert "alice" not in " ".join(outsider.labels)
    rep_en.command("thread", str(visit_id))
    assert "📄 Huadong Heavy Truck" in rep_en.text, "a rep opens their own record"


def test_a_debrief_keeps_its_coaching_facts_as_they_stood_when_saved(
    rep_en: Chat, database
) -> None:
    recorded_visit(rep_en)
    with Session(database) as session:
        visit = session.exec(select(Visit)).one()
        debrief = session.exec(select(Debrief)).one()
        assert debrief.rep_id == rep_en.user_id
        assert debrief.facts == visit_facts(session=session, visit=visit).as_dict()
        saved = dict(debrief.facts)
        for contact in session.exec(select(Contact)).all():
            contact.stance, contact.buying_role = "blocker", "user"  # the account changes later
            session.add(contact)
        session.commit()
        live = visit_facts(session=session, visit=visit)
        assert live.blockers > saved["blockers"] and not live.decision_maker_known
        kept = facts_of(session=session, visit=visit, debrief=session.get(Debrief, debrief.id))
        assert kept.as_dict() == saved, "scores and flags read what was true at the debrief"


def test_the_record_a_manager_reads_carries_the_reps_own_summary(
    rep_en: Chat, rep_zh: Chat, database, team_id, make_engine_for
) -> None:
    recorded_visit(rep_en)
    prep, debrief = SCRIPTS["zh"]
    play(rep_zh, prep + debrief)
    for language, rep, summary in (
        ("en", "alice", "Summary: Good meeting 😀"),
        ("zh", "zhangwei", "总结：会谈顺利😀"),
    ):
        manager = Chat(
            make_engine_for(),
            add_user(database, team_id, name=f"m{language}", language=language, role=Role.MANAGER),
        )
        manager.command("review")
        manager.say(rep)
        manager.tap("华东重卡" if language == "zh" else "Huadong")
        assert summary in manager.text


def test_a_record_without_a_transcript_offers_no_transcript_to_read(
    rep_en: Chat, database, team_id, make_engine_for
) -> None:
    recorded_visit(rep_en)
    with Session(database) as session:
        for flow_session in session.exec(select(FlowSession)).all():
            flow_session.visit_id = None  # as for a visit loaded from elsewhere (the demo team)
            session.add(flow_session)
        session.commit()
    manager = Chat(
        make_engine_for(),
        add_user(database, team_id, name="Max", language="en", role=Role.MANAGER),
    )
    manager.command("review")
    manager.say("alice")
    manager.tap("Huadong")
    assert "Transcript" not in manager.labels
    manager.say("transcript")
    assert "📄 Huadong Heavy Truck" in manager.text, "still at the record, not ended"
    manager.tap("Comment")
    assert "Your comment for the rep:" in manager.text


def test_a_tap_means_the_visit_it_showed_even_after_the_list_changed(
    rep_en: Chat, database, team_id, make_engine_for, clock
) -> None:
    """The rep plans another visit while the manager's list is open: the tap is not shifted."""
    recorded_visit(rep_en)
    manager = Chat(
        make_engine_for(),
        add_user(database, team_id, name="Max", language="en", role=Role.MANAGER),
    )
    manager.command("review")
    manager.say("alice")
    huadong = manager.button("Huadong")
    with Session(database) as session:
        other = Account(team_id=team_id, name="Other Co")
        session.add(other)
        session.flush()
        newest = clock.now + timedelta(days=30)  # lists first, where Huadong was
        session.add(
            Visit(account_id=other.id, rep_id=rep_en.user_id, team_id=team_id, planned_at=newest)
        )
        session.commit()
    manager.send(Tap(huadong.value))
    assert "📄 Huadong Heavy Truck" in manager.text
    assert "Other Co" not in manager.text
    manager.command("review")
    manager.say("alice")
    assert manager.labels[0].endswith("Other Co · planned"), "drawn anew, the list is current"
