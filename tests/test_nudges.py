"""Proactive coaching: when an account of a rep's crosses a line of nudges.yaml, the rep gets
one short nudge with the playbook's action, at most one a day, and the manager sees it in
/team. The lines: a blocker or enemy at each of the last two debriefed visits, no decision
maker at any of the last three, the same one person alone at each of the last three, and the
tier's contact cadence passed with nothing planned. The same nudge rests for a week per
account; a deactivated rep gets none; a visit planned since makes a cadence nudge moot.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot import access, reminders
from bot.domain import ReminderKind, Role, SnapshotPhase, VisitStatus
from bot.storage.models import Account, Contact, Debrief, Reminder, StakeholderSnapshot, Visit
from bot.text import plain
from tests.engine.chat import Chat, add_user, play, with_telegram
from tests.engine.scripts import SCRIPTS

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _due(database, now: datetime, texts, playbooks):
    """What the tick sends at `now`, each settled as delivered, as the channel does."""
    due = reminders.due_messages(
        db=database,
        now=now,
        worker="w",
        texts=texts,
        zone=SHANGHAI,
        at=now.astimezone(SHANGHAI).time().replace(hour=0, minute=0),
        playbooks=playbooks,
    )
    for message in due:
        reminders.settle(db=database, reminder_id=message.reminder_id, delivered=True, now=now)
    return due


def _nudges(due) -> list[str]:
    return [plain(message.reply.text) for message in due if "🔔" in message.reply.text]


def _account_seen_alone(database, team_id: int, rep_id: int, start: datetime) -> int:
    """Acme, visited three times, a week apart, each time only by Sun Li, a user who blocks."""
    with Session(database) as session:
        account = Account(team_id=team_id, name="Acme Robotics")
        session.add(account)
        session.flush()
        sun = Contact(account_id=account.id, name="Sun Li", buying_role="user", stance="blocker")
        session.add(sun)
        session.flush()
        for week in range(3):
            visit = Visit(
                account_id=account.id,
                rep_id=rep_id,
                team_id=team_id,
                planned_at=start + timedelta(days=7 * week),
                status=VisitStatus.DONE,
            )
            session.add(visit)
            session.flush()
            session.add(
                Debrief(visit_id=visit.id, rep_id=rep_id, team_id=team_id, outcome="continuation")
            )
            session.add(
                StakeholderSnapshot(
                    visit_id=visit.id,
                    contact_id=sun.id,
                    phase=SnapshotPhase.DEBRIEF,
                    buying_role="user",
                    stance="blocker",
                )
            )
        session.commit()
        return account.id


def test_a_reps_account_past_its_tiers_cadence_nudges_them_once_with_the_playbooks_action(
    rep_en: Chat, database, clock, texts, playbooks
) -> None:
    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep + debrief)
    with_telegram(database, rep_en.user_id)
    assert _nudges(_due(database, clock.now + timedelta(days=20), texts, playbooks)) == []
    later = clock.now + timedelta(days=40)  # Core: at least every 30 days
    [message] = [m for m in _due(database, later, texts, playbooks) if "🔔" in m.reply.text]
    text = plain(message.reply.text)
    assert text.startswith("🔔 Huadong Heavy Truck · Contact cadence passed")
    assert (
        "days since the last visit; this account's tier wants one at least every 30 days" in text
    )
    cadence = next(n for n in playbooks.nudges.nudges if n.id == "cadence_passed")
    assert f"💡 {cadence.action.en}" in text
    labels = [button.label for button in message.reply.all_buttons()]
    assert labels == ["🏢 Open the account", "💡 What this account needs now"]
    assert _nudges(_due(database, later + timedelta(days=1), texts, playbooks)) == [], "resting"
    assert len(_nudges(_due(database, later + timedelta(days=8), texts, playbooks))) == 1


def test_a_visit_planned_since_makes_the_cadence_nudge_moot(
    rep_en: Chat, database, clock, texts, playbooks
) -> None:
    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep + debrief)
    with_telegram(database, rep_en.user_id)
    later = clock.now + timedelta(days=40)
    with Session(database) as session:
        visit = session.exec(select(Visit)).first()
        ahead = Visit(
            account_id=visit.account_id,
            rep_id=visit.rep_id,
            team_id=visit.team_id,
            planned_at=later + timedelta(days=2),
        )
        session.add(ahead)
        session.commit()
    assert _nudges(_due(database, later, texts, playbooks)) == [], "something is planned"


def test_one_nudge_a_day_the_first_in_the_playbooks_order_then_the_next_while_each_rests(
    rep_en: Chat, database, team_id, clock, texts, playbooks
) -> None:
    with_telegram(database, rep_en.user_id)
    _account_seen_alone(database, team_id, rep_en.user_id, clock.now - timedelta(days=20))
    said = []
    for day in range(4):
        due = _due(database, clock.now + timedelta(days=day), texts, playbooks)
        said.append(_nudges(due))
    assert [len(day) for day in said] == [1, 1, 1, 0], "one a day, then all three rest"
    assert said[0][0].startswith("🔔 Acme Robotics · Blocker still unaddressed")
    assert "Sun Li: still against us after the last 2 visits." in said[0][0]
    assert said[1][0].startswith("🔔 Acme Robotics · Decision maker not met")
    assert "The decision maker was at none of the last 3 visits." in said[1][0]
    assert said[2][0].startswith("🔔 Acme Robotics · Single-threaded")
    assert "The last 3 visits were all with Sun Li alone." in said[2][0]
    with Session(database) as session:
        keys = session.exec(select(Reminder.dedupe_key).where(Reminder.kind == ReminderKind.NUDGE))
        assert len(set(keys.all())) == 3


def test_the_same_day_on_two_workers_queues_one_nudge(
    rep_en: Chat, database, team_id, clock, texts, playbooks
) -> None:
    with_telegram(database, rep_en.user_id)
    _account_seen_alone(database, team_id, rep_en.user_id, clock.now - timedelta(days=20))
    first = _nudges(_due(database, clock.now, texts, playbooks))
    again = _nudges(_due(database, clock.now + timedelta(minutes=5), texts, playbooks))
    assert (len(first), len(again)) == (1, 0)


def test_a_deactivated_rep_is_nudged_about_nothing(
    rep_en: Chat, database, team_id, clock, texts, playbooks
) -> None:
    with_telegram(database, rep_en.user_id)
    _account_seen_alone(database, team_id, rep_en.user_id, clock.now - timedelta(days=20))
    with Session(database) as session:
        access.set_active(session=session, name_or_id="alice", active=False)
        session.commit()
    assert _nudges(_due(database, clock.now, texts, playbooks)) == []
    with Session(database) as session:
        assert (
            session.exec(select(Reminder).where(Reminder.kind == ReminderKind.NUDGE)).all() == []
        )


def test_the_manager_sees_the_weeks_nudges_in_team_in_both_languages(
    rep_en: Chat, database, team_id, clock, texts, playbooks, make_engine_for
) -> None:
    with_telegram(database, rep_en.user_id)
    _account_seen_alone(database, team_id, rep_en.user_id, clock.now - timedelta(days=20))
    _due(database, clock.now, texts, playbooks)
    for language, line in (
        ("en", "🔔 Acme Robotics: Blocker still unaddressed"),
        ("zh", "🔔 Acme Robotics：阻挠者仍未化解"),
    ):
        manager = Chat(
            make_engine_for(),
            add_user(
                database, team_id, name=f"max{language}", language=language, role=Role.MANAGER
            ),
        )
        manager.command("team")
        assert line in manager.text
    clock.now += timedelta(days=8)
    manager.command("team")
    assert "🔔" not in manager.text, "only the last week's"


def test_a_risk_signal_heard_nudges_the_rep_first_with_the_playbooks_response(
    rep_en: Chat, database, clock, texts, playbooks
) -> None:
    prep, debrief = SCRIPTS["en"]
    at = next(index for index, step in enumerate(debrief) if step.at == "sale") + 1
    heard = [
        ("tap", "A risk signal"),
        ("tap", "Late payment"),
        ("tap", "Done"),
    ]
    play(rep_en, prep + debrief[:at] + heard + debrief[at:])
    with_telegram(database, rep_en.user_id)
    [nudge] = _nudges(_due(database, clock.now + timedelta(days=1), texts, playbooks))
    late = next(signal for signal in playbooks.risks.signals if signal.id == "late_payment")
    assert nudge.startswith("🔔 Huadong Heavy Truck · Risk signal")
    assert "Heard at the last visit: Late payment." in nudge
    assert f"⚠️ Late payment: {late.response[0].en}" in nudge


def test_an_old_risk_signal_is_not_nudged_about_again_and_again(
    rep_en: Chat, database, clock, texts, playbooks
) -> None:
    prep, debrief = SCRIPTS["en"]
    at = next(index for index, step in enumerate(debrief) if step.at == "sale") + 1
    heard = [("tap", "A risk signal"), ("tap", "Late payment"), ("tap", "Done")]
    play(rep_en, prep + debrief[:at] + heard + debrief[at:])
    with_telegram(database, rep_en.user_id)
    assert len(_nudges(_due(database, clock.now + timedelta(days=1), texts, playbooks))) == 1
    assert _nudges(_due(database, clock.now + timedelta(days=9), texts, playbooks)) == []
