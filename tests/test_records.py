"""bot.records writes a plan and a debrief from typed drafts, and comments on a visit: the rows
it stores are the spec.

Each test saves a draft the way a flow hands it over, commits, and reads back what is stored,
on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from bot import records
from bot.coaching.record import facts_of
from bot.coaching.rules import feedback
from bot.domain import (
    DebriefField,
    Outcome,
    ReminderKind,
    Role,
    SnapshotPhase,
    SpinType,
    StageSubject,
    VisitStatus,
)
from bot.errors import UserError
from bot.storage.db import make_engine
from bot.storage.drafts import (
    AccountDraft,
    AskedQuestion,
    CorrectionDraft,
    DebriefDraft,
    PersonDraft,
    PlanDraft,
    QuestionDraft,
)
from bot.storage.models import (
    Account,
    CoachingComment,
    Contact,
    Debrief,
    DebriefCorrection,
    FlowSession,
    Reminder,
    SpinItem,
    StageChange,
    StakeholderSnapshot,
    Team,
    User,
    Visit,
)

NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)
TOMORROW = NOW + timedelta(days=1)
REMIND_AFTER = timedelta(hours=2)


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    engine = make_engine(db_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture
def rep(session: Session) -> User:
    return _member(session, "alice", team="East")


def _member(session: Session, name: str, *, team: str) -> User:
    found = session.exec(select(Team).where(Team.name == team)).first()
    if found is None:
        found = Team(name=team)
        session.add(found)
        session.flush()
    user = User(handle=name, display_name=name, language="en", team_id=found.id)
    session.add(user)
    session.flush()
    return user


def _account(session: Session, rep: User, name: str = "Huadong", **fields: str) -> Account:
    account = Account(team_id=rep.team_id, name=name, owner_id=rep.id, **fields)
    session.add(account)
    session.flush()
    return account


def _person(session: Session, account: Account, name: str, **fields: str) -> Contact:
    contact = Contact(account_id=account.id, name=name, **fields)
    session.add(contact)
    session.flush()
    return contact


def _on_file(contact: Contact, **answers: str) -> PersonDraft:
    return PersonDraft(key=f"c{contact.id}", name=contact.name, contact_id=contact.id, **answers)


def _save_plan(session: Session, rep: User, draft: PlanDraft, **options) -> Visit:
    visit = records.save_plan(
        session=session, draft=draft, rep=rep, now=NOW, remind_after=REMIND_AFTER, **options
    )
    session.commit()
    return visit


def _save_debrief(session: Session, rep: User, draft: DebriefDraft, **options) -> Debrief:
    debrief = records.save_debrief(session=session, draft=draft, rep=rep, now=NOW, **options)
    session.commit()
    return debrief


def _snapshots(session: Session, phase: SnapshotPhase) -> list[tuple]:
    rows = session.exec(
        select(StakeholderSnapshot, Contact)
        .join(Contact, col(Contact.id) == StakeholderSnapshot.contact_id)
        .where(StakeholderSnapshot.phase == phase)
        .order_by(col(StakeholderSnapshot.id))
    ).all()
    return [
        (
            contact.name,
            snapshot.attended,
            snapshot.buying_role,
            snapshot.stance,
            snapshot.influence,
            snapshot.relationship_stage,
        )
        for snapshot, contact in rows
    ]


def _moves(session: Session) -> list[tuple]:
    rows = session.exec(
        select(StageChange, Contact)
        .join(Contact, col(Contact.id) == StageChange.contact_id)
        .order_by(col(StageChange.id))
    ).all()
    return [
        (
            contact.name,
            change.subject,
            change.from_stage,
            change.to_stage,
            change.evidence,
            change.visit_id,
            change.changed_by_id,
            change.changed_at,
        )
        for change, contact in rows
    ]


def _planned_visit(session: Session, rep: User, *people: Contact, questions=()) -> Visit:
    """A plan saved for people on file at one account, as /prep leaves it."""
    account_id = people[0].account_id
    return _save_plan(
        session,
        rep,
        PlanDraft(
            account=AccountDraft(account_id=account_id),
            attendees=tuple(_on_file(person) for person in people),
            questions=tuple(questions),
            planned_at=TOMORROW,
        ),
    )


# --- plans ------------------------------------------------------------------------------------


def test_a_plan_with_a_new_account_and_a_new_person_creates_both_and_links_them(
    session: Session, rep: User
) -> None:
    visit = _save_plan(
        session,
        rep,
        PlanDraft(
            account=AccountDraft(
                name="Blue Ocean", tier="core", sales_stage="proposal", lifecycle_stage="stable"
            ),
            attendees=(
                PersonDraft(
                    key="n0",
                    name="Sun Li",
                    title="CFO",
                    buying_role="decision_maker",
                    stance="neutral",
                    influence="high",
                    relationship_stage="familiar",
                ),
            ),
            planned_at=TOMORROW,
            objective_best="A site visit",
            objective_minimum="The selection criteria",
        ),
    )
    account = session.exec(select(Account)).one()
    assert (
        account.name,
        account.team_id,
        account.owner_id,
        account.tier,
        account.sales_stage,
        account.lifecycle_stage,
        account.created_at,
        account.updated_at,
    ) == ("Blue Ocean", rep.team_id, rep.id, "core", "proposal", "stable", NOW, NOW)
    contact = session.exec(select(Contact)).one()
    assert (
        contact.account_id,
        contact.name,
        contact.title,
        contact.buying_role,
        contact.stance,
        contact.influence,
        contact.relationship_stage,
        contact.created_at,
    ) == (account.id, "Sun Li", "CFO", "decision_maker", "neutral", "high", "familiar", NOW)
    stored = session.exec(select(Visit)).one()
    assert (
        stored.id,
        stored.account_id,
        stored.rep_id,
        stored.team_id,
        stored.planned_at,
        stored.objective_best,
        stored.objective_minimum,
        stored.status,
    ) == (
        visit.id,
        account.id,
        rep.id,
        rep.team_id,
        TOMORROW,
        "A site visit",
        "The selection criteria",
        VisitStatus.PLANNED,
    )
    snapshot = session.exec(select(StakeholderSnapshot)).one()
    assert (snapshot.visit_id, snapshot.contact_id) == (visit.id, contact.id)
    assert _snapshots(session, SnapshotPhase.PREP) == [
        ("Sun Li", True, "decision_maker", "neutral", "high", "familiar")
    ]


def test_a_new_persons_stage_in_a_plan_is_where_they_start_not_a_move(
    session: Session, rep: User
) -> None:
    _save_plan(
        session,
        rep,
        PlanDraft(
            account=AccountDraft(name="Blue Ocean"),
            attendees=(PersonDraft(key="n0", name="Sun Li", relationship_stage="familiar"),),
        ),
    )
    assert session.exec(select(Contact)).one().relationship_stage == "familiar"
    assert _moves(session) == []


def test_a_plan_for_someone_on_file_sets_only_what_was_answered_and_keeps_a_stage_move(
    session: Session, rep: User
) -> None:
    account = _account(session, rep, tier="core", sales_stage="proposal")
    wang = _person(
        session,
        account,
        "Wang Gong",
        title="Chief engineer",
        buying_role="technical_evaluator",
        relationship_stage="familiar",
    )
    visit = _save_plan(
        session,
        rep,
        PlanDraft(
            account=AccountDraft(account_id=account.id, lifecycle_stage="stable"),
            attendees=(_on_file(wang, stance="supporter", relationship_stage="personal_trust"),),
        ),
    )
    stored = session.get(Contact, wang.id)
    assert (
        stored.title,
        stored.buying_role,
        stored.stance,
        stored.influence,
        stored.relationship_stage,
        stored.updated_at,
    ) == ("Chief engineer", "technical_evaluator", "supporter", None, "personal_trust", NOW)
    assert session.exec(select(Contact)).all() == [stored], "nobody new"
    on_file = session.get(Account, account.id)
    assert (on_file.tier, on_file.sales_stage, on_file.lifecycle_stage, on_file.updated_at) == (
        "core",
        "proposal",
        "stable",
        NOW,
    )
    assert _moves(session) == [
        (
            "Wang Gong",
            StageSubject.CONTACT,
            "familiar",
            "personal_trust",
            None,
            visit.id,
            rep.id,
            NOW,
        )
    ]
    assert _snapshots(session, SnapshotPhase.PREP) == [
        ("Wang Gong", True, "technical_evaluator", "supporter", None, "personal_trust")
    ]


def test_a_plans_questions_are_kept_in_the_order_given_as_planned_and_not_yet_asked(
    session: Session, rep: User
) -> None:
    visit = _save_plan(
        session,
        rep,
        PlanDraft(
            account=AccountDraft(name="Blue Ocean"),
            attendees=(PersonDraft(key="n0", name="Sun Li"),),
            questions=(
                QuestionDraft(SpinType.SITUATION, "How many trucks run?", "s_fleet"),
                QuestionDraft(SpinType.PROBLEM, "Which parts fail most?"),
                QuestionDraft(SpinType.NEED_PAYOFF, "What would uptime be worth?"),
            ),
        ),
    )
    items = session.exec(select(SpinItem).order_by(col(SpinItem.position))).all()
    assert [
        (
            item.visit_id,
            item.position,
            item.spin_type,
            item.question,
            item.bank_question_id,
            item.planned,
            item.asked,
        )
        for item in items
    ] == [
        (visit.id, 0, SpinType.SITUATION, "How many trucks run?", "s_fleet", True, None),
        (visit.id, 1, SpinType.PROBLEM, "Which parts fail most?", None, True, None),
        (visit.id, 2, SpinType.NEED_PAYOFF, "What would uptime be worth?", None, True, None),
    ]


def test_a_plan_reminds_the_rep_to_debrief_unless_the_visit_already_happened(
    session: Session, rep: User
) -> None:
    draft = PlanDraft(
        account=AccountDraft(name="Blue Ocean"),
        attendees=(PersonDraft(key="n0", name="Sun Li"),),
        planned_at=TOMORROW,
    )
    visit = _save_plan(session, rep, draft)
    reminder = session.exec(select(Reminder)).one()
    assert (reminder.user_id, reminder.kind, reminder.visit_id, reminder.due_at) == (
        rep.id,
        ReminderKind.DEBRIEF,
        visit.id,
        TOMORROW + REMIND_AFTER,
    )
    past = PlanDraft(
        account=AccountDraft(name="Red Hill"),
        attendees=(PersonDraft(key="n0", name="Li Lei"),),
        planned_at=NOW - timedelta(hours=1),
        happened=True,
    )
    _save_plan(session, rep, past)
    assert session.exec(select(Reminder)).all() == [reminder]


def test_a_plan_and_its_debrief_point_their_transcripts_at_the_visit(
    session: Session, rep: User
) -> None:
    prep = FlowSession(user_id=rep.id, flow="prep", started_at=NOW)
    debrief = FlowSession(user_id=rep.id, flow="debrief", started_at=NOW)
    session.add_all([prep, debrief])
    session.flush()
    visit = _save_plan(
        session,
        rep,
        PlanDraft(
            account=AccountDraft(name="Blue Ocean"),
            attendees=(PersonDraft(key="n0", name="Sun Li"),),
        ),
        flow_session_id=prep.id,
    )
    _save_debrief(
        session,
        rep,
        DebriefDraft(outcome=Outcome.ADVANCE, visit_id=visit.id),
        flow_session_id=debrief.id,
    )
    assert [
        (flow_session.flow, flow_session.visit_id)
        for flow_session in session.exec(select(FlowSession).order_by(col(FlowSession.id)))
    ] == [("prep", visit.id), ("debrief", visit.id)]


def test_a_plan_refuses_another_teams_account_and_another_accounts_person(
    session: Session, rep: User
) -> None:
    elsewhere = _member(session, "bob", team="West")
    theirs = _account(session, elsewhere, name="West Steel")
    ours = _account(session, rep)
    their_person = _person(session, theirs, "Zhou")
    with pytest.raises(ValueError, match="not in team"):
        records.save_plan(
            session=session,
            draft=PlanDraft(account=AccountDraft(account_id=theirs.id), attendees=()),
            rep=rep,
            now=NOW,
            remind_after=REMIND_AFTER,
        )
    with pytest.raises(ValueError, match="not at account"):
        records.save_plan(
            session=session,
            draft=PlanDraft(
                account=AccountDraft(account_id=ours.id), attendees=(_on_file(their_person),)
            ),
            rep=rep,
            now=NOW,
            remind_after=REMIND_AFTER,
        )


# --- debriefs ---------------------------------------------------------------------------------


def test_a_debrief_closes_the_visit_and_keeps_its_outcome_next_step_and_coaching_facts(
    session: Session, rep: User
) -> None:
    account = _account(session, rep)
    wang = _person(session, account, "Wang Gong", buying_role="decision_maker")
    visit = _planned_visit(session, rep, wang)
    debrief = _save_debrief(
        session,
        rep,
        DebriefDraft(
            outcome=Outcome.ADVANCE,
            visit_id=visit.id,
            attendees=(_on_file(wang),),
            summary="Good meeting",
            implied_needs="Breakdowns cost them",
            explicit_needs="A 4-hour repair promise",
            next_step="Site visit",
            next_step_due=date(2026, 12, 2),
        ),
    )
    stored = session.exec(select(Debrief)).one()
    assert (
        stored.id,
        stored.visit_id,
        stored.rep_id,
        stored.team_id,
        stored.outcome,
        stored.summary,
        stored.implied_needs,
        stored.explicit_needs,
        stored.next_step,
        stored.next_step_due,
        stored.created_at,
    ) == (
        debrief.id,
        visit.id,
        rep.id,
        rep.team_id,
        Outcome.ADVANCE,
        "Good meeting",
        "Breakdowns cost them",
        "A 4-hour repair promise",
        "Site visit",
        date(2026, 12, 2),
        NOW,
    )
    assert stored.facts is not None
    assert (stored.facts["outcome"], stored.facts["attendees"]) == ("advance", 1)
    assert stored.facts["decision_maker_met"] is True
    closed = session.get(Visit, visit.id)
    assert (closed.status, closed.updated_at) == (VisitStatus.DONE, NOW)
    assert session.get(Account, account.id).updated_at == NOW


def test_a_debrief_marks_the_planned_questions_asked_or_not_and_adds_the_others_after_them(
    session: Session, rep: User
) -> None:
    account = _account(session, rep)
    wang = _person(session, account, "Wang Gong")
    visit = _planned_visit(
        session,
        rep,
        wang,
        questions=(
            QuestionDraft(SpinType.SITUATION, "Business goals?"),
            QuestionDraft(SpinType.PROBLEM, "Which parts fail?"),
            QuestionDraft(SpinType.IMPLICATION, "Cost of a day down?"),
        ),
    )
    goals, _, cost = session.exec(select(SpinItem).order_by(col(SpinItem.position))).all()
    _save_debrief(
        session,
        rep,
        DebriefDraft(
            outcome=Outcome.CONTINUATION,
            visit_id=visit.id,
            attendees=(_on_file(wang),),
            asked=(AskedQuestion(goals.id, "Grow <b>30%</b>"), AskedQuestion(cost.id)),
            other_questions=(
                QuestionDraft(SpinType.PROBLEM, "How long do parts take?"),
                QuestionDraft(SpinType.NEED_PAYOFF, "Would a stock help?"),
            ),
        ),
    )
    assert [
        (item.question, item.planned, item.asked, item.answer)
        for item in session.exec(select(SpinItem).order_by(col(SpinItem.position)))
    ] == [
        ("Business goals?", True, True, "Grow <b>30%</b>"),
        ("Which parts fail?", True, False, None),
        ("Cost of a day down?", True, True, None),
        ("How long do parts take?", False, True, None),
        ("Would a stock help?", False, True, None),
    ]


def test_a_debrief_applies_what_changed_about_each_attendee_and_snapshots_them_after(
    session: Session, rep: User
) -> None:
    account = _account(session, rep)
    wang = _person(
        session,
        account,
        "Wang Gong",
        buying_role="technical_evaluator",
        stance="supporter",
        relationship_stage="personal_trust",
    )
    zhao = _person(session, account, "Zhao Zong", buying_role="decision_maker")
    visit = _planned_visit(session, rep, wang, zhao)
    _save_debrief(
        session,
        rep,
        DebriefDraft(
            outcome=Outcome.CONTINUATION,
            visit_id=visit.id,
            attendees=(
                _on_file(
                    wang,
                    stance="coach",
                    relationship_stage="mutual_interest",
                    evidence="Pushed our proposal with his boss",
                ),
                replace(_on_file(zhao), attended=False),
            ),
        ),
    )
    assert _snapshots(session, SnapshotPhase.DEBRIEF) == [
        ("Wang Gong", True, "technical_evaluator", "coach", None, "mutual_interest"),
        ("Zhao Zong", False, "decision_maker", None, None, None),
    ]
    assert _snapshots(session, SnapshotPhase.PREP) == [
        ("Wang Gong", True, "technical_evaluator", "supporter", None, "personal_trust"),
        ("Zhao Zong", True, "decision_maker", None, None, None),
    ], "the plan's snapshots stay as they were"
    assert _moves(session) == [
        (
            "Wang Gong",
            StageSubject.CONTACT,
            "personal_trust",
            "mutual_interest",
            "Pushed our proposal with his boss",
            visit.id,
            rep.id,
            NOW,
        )
    ]
    assert session.get(Contact, wang.id).stance == "coach"


def test_an_unplanned_debrief_makes_the_visit_now_with_its_attendees_as_they_stood(
    session: Session, rep: User
) -> None:
    account = _account(session, rep)
    wang = _person(session, account, "Wang Gong", stance="neutral")
    debrief = _save_debrief(
        session,
        rep,
        DebriefDraft(
            outcome=Outcome.NO_SALE,
            account=AccountDraft(account_id=account.id),
            attendees=(
                _on_file(wang, stance="blocker"),
                PersonDraft(key="n0", name="Sun Li", relationship_stage="familiar"),
            ),
            other_questions=(QuestionDraft(SpinType.SITUATION, "How many warehouses?"),),
        ),
    )
    visit = session.exec(select(Visit)).one()
    assert (
        visit.id,
        visit.account_id,
        visit.rep_id,
        visit.team_id,
        visit.planned_at,
        visit.status,
    ) == (debrief.visit_id, account.id, rep.id, rep.team_id, NOW, VisitStatus.DONE)
    assert _snapshots(session, SnapshotPhase.PREP) == [
        ("Wang Gong", True, None, "neutral", None, None),
        ("Sun Li", True, None, None, None, None),
    ]
    assert _snapshots(session, SnapshotPhase.DEBRIEF) == [
        ("Wang Gong", True, None, "blocker", None, None),
        ("Sun Li", True, None, None, None, "familiar"),
    ]
    assert [move[:4] for move in _moves(session)] == [
        ("Sun Li", StageSubject.CONTACT, None, "familiar")
    ], "in a debrief every stage the rep says a person moved to is a move"
    item = session.exec(select(SpinItem)).one()
    assert (item.question, item.planned, item.asked) == ("How many warehouses?", False, True)


def test_an_unplanned_debrief_at_a_new_account_creates_it_for_the_rep(
    session: Session, rep: User
) -> None:
    _save_debrief(
        session,
        rep,
        DebriefDraft(
            outcome=Outcome.NO_SALE,
            account=AccountDraft(name="Blue Ocean Logistics"),
            attendees=(PersonDraft(key="n0", name="Sun Zongjian"),),
        ),
    )
    account = session.exec(select(Account)).one()
    assert (account.name, account.team_id, account.owner_id) == (
        "Blue Ocean Logistics",
        rep.team_id,
        rep.id,
    )
    assert [contact.name for contact in session.exec(select(Contact))] == ["Sun Zongjian"]
    assert session.exec(select(Visit)).one().account_id == account.id


def test_a_newcomer_with_an_attendees_key_is_that_attendee_not_a_twin(
    session: Session, rep: User
) -> None:
    account = _account(session, rep)
    _save_debrief(
        session,
        rep,
        DebriefDraft(
            outcome=Outcome.ADVANCE,
            account=AccountDraft(account_id=account.id),
            attendees=(PersonDraft(key="n0", name="Sun Li"),),
            newcomers=(PersonDraft(key="n0", name="sun li", buying_role="user"),),
        ),
    )
    sun = session.exec(select(Contact)).one()
    assert (sun.name, sun.buying_role) == ("Sun Li", "user")
    assert _snapshots(session, SnapshotPhase.DEBRIEF) == [("Sun Li", True, None, None, None, None)]


def test_new_people_of_one_name_with_different_keys_stay_two_people(
    session: Session, rep: User
) -> None:
    account = _account(session, rep)
    _save_debrief(
        session,
        rep,
        DebriefDraft(
            outcome=Outcome.ADVANCE,
            account=AccountDraft(account_id=account.id),
            attendees=(PersonDraft(key="n0", name="Sun Li"),),
            newcomers=(PersonDraft(key="m0", name="Sun Li", stance="neutral"),),
        ),
    )
    assert [
        (contact.name, contact.stance)
        for contact in session.exec(select(Contact).order_by(col(Contact.id)))
    ] == [("Sun Li", None), ("Sun Li", "neutral")]


def test_a_newcomer_on_file_is_updated_and_snapshotted_once_however_often_named(
    session: Session, rep: User
) -> None:
    account = _account(session, rep)
    wang = _person(session, account, "Wang Gong")
    liu = _person(session, account, "Liu Jingli", stance="neutral")
    visit = _planned_visit(session, rep, wang)
    _save_debrief(
        session,
        rep,
        DebriefDraft(
            outcome=Outcome.ADVANCE,
            visit_id=visit.id,
            attendees=(_on_file(wang),),
            newcomers=(
                _on_file(liu, buying_role="purchaser"),
                _on_file(liu),
                _on_file(wang, stance="coach"),
            ),
        ),
    )
    assert session.exec(select(Contact).order_by(col(Contact.id))).all() == [wang, liu]
    assert (session.get(Contact, liu.id).buying_role, session.get(Contact, liu.id).stance) == (
        "purchaser",
        "neutral",
    )
    assert _snapshots(session, SnapshotPhase.DEBRIEF) == [
        ("Wang Gong", True, None, None, None, None),
        ("Liu Jingli", True, "purchaser", "neutral", None, None),
    ]
    assert session.get(Contact, wang.id).stance == "coach", "an attendee named again is updated"


def test_a_new_newcomer_joins_the_account_with_their_role_and_stance(
    session: Session, rep: User
) -> None:
    account = _account(session, rep)
    wang = _person(session, account, "Wang Gong")
    visit = _planned_visit(session, rep, wang)
    _save_debrief(
        session,
        rep,
        DebriefDraft(
            outcome=Outcome.ADVANCE,
            visit_id=visit.id,
            attendees=(_on_file(wang),),
            newcomers=(PersonDraft(key="m0", name="Chen Shifu", buying_role="user"),),
        ),
    )
    chen = session.exec(select(Contact).where(Contact.name == "Chen Shifu")).one()
    assert (chen.account_id, chen.buying_role, chen.stance, chen.created_at) == (
        account.id,
        "user",
        None,
        NOW,
    )
    assert _snapshots(session, SnapshotPhase.DEBRIEF)[-1] == (
        "Chen Shifu",
        True,
        "user",
        None,
        None,
        None,
    )


def _account_moves(session: Session) -> list[tuple]:
    changes = session.exec(
        select(StageChange)
        .where(col(StageChange.contact_id).is_(None))
        .order_by(col(StageChange.id))
    ).all()
    return [
        (
            change.subject,
            change.from_stage,
            change.to_stage,
            change.evidence,
            change.visit_id,
            change.changed_by_id,
            change.changed_at,
        )
        for change in changes
    ]


def test_a_debrief_moves_the_accounts_sales_and_lifecycle_stages_with_date_and_rep(
    session: Session, rep: User
) -> None:
    account = _account(session, rep, sales_stage="proposal", lifecycle_stage="stable")
    wang = _person(session, account, "Wang Gong")
    visit = _planned_visit(session, rep, wang)
    milestone = "A compliant bid is submitted, or direct negotiation is opened."
    _save_debrief(
        session,
        rep,
        DebriefDraft(
            outcome=Outcome.ADVANCE,
            visit_id=visit.id,
            attendees=(_on_file(wang),),
            sales_stage="bidding",
            sales_evidence=milestone,
            lifecycle_stage="deep_partnership",
        ),
    )
    session.refresh(account)
    assert (account.sales_stage, account.lifecycle_stage) == ("bidding", "deep_partnership")
    assert _account_moves(session) == [
        (StageSubject.SALES, "proposal", "bidding", milestone, visit.id, rep.id, NOW),
        (StageSubject.ACCOUNT, "stable", "deep_partnership", None, visit.id, rep.id, NOW),
    ]
    assert account.updated_at == NOW


def test_a_debrief_that_leaves_the_stages_where_they_are_records_no_move(
    session: Session, rep: User
) -> None:
    account = _account(session, rep, sales_stage="proposal", lifecycle_stage="stable")
    wang = _person(session, account, "Wang Gong")
    visit = _planned_visit(session, rep, wang)
    _save_debrief(
        session,
        rep,
        DebriefDraft(
            outcome=Outcome.CONTINUATION,
            visit_id=visit.id,
            attendees=(_on_file(wang),),
            sales_stage="proposal",  # the stage on file: no move
        ),
    )
    session.refresh(account)
    assert (account.sales_stage, account.lifecycle_stage) == ("proposal", "stable")
    assert _account_moves(session) == []


def test_a_first_sales_stage_given_in_a_debrief_is_where_the_sale_starts_not_a_move(
    session: Session, rep: User
) -> None:
    _save_debrief(
        session,
        rep,
        DebriefDraft(
            outcome=Outcome.NO_SALE,
            account=AccountDraft(name="Blue Ocean"),
            sales_stage="development",
            sales_evidence="Accurate project information.",
            lifecycle_stage="first_months",
        ),
    )
    account = session.exec(select(Account).where(Account.name == "Blue Ocean")).one()
    assert (account.sales_stage, account.lifecycle_stage) == ("development", "first_months")
    assert _account_moves(session) == []


def test_a_debrief_of_someone_elses_visit_is_refused(session: Session, rep: User) -> None:
    account = _account(session, rep)
    visit = _planned_visit(session, rep, _person(session, account, "Wang Gong"))
    colleague = _member(session, "carol", team="East")
    with pytest.raises(ValueError, match="not one of"):
        records.save_debrief(
            session=session,
            draft=DebriefDraft(outcome=Outcome.ADVANCE, visit_id=visit.id),
            rep=colleague,
            now=NOW,
        )


# --- corrections ------------------------------------------------------------------------------


def _debriefed(session: Session, rep: User, **draft) -> Debrief:
    account = _account(session, rep)
    wang = _person(session, account, "Wang Gong", buying_role="decision_maker")
    visit = _planned_visit(session, rep, wang)
    fields = {
        "outcome": Outcome.ADVANCE,
        "summary": "Good meeting",
        "next_step": "Site visit",
        "next_step_due": date(2026, 12, 2),
    } | draft
    return _save_debrief(
        session, rep, DebriefDraft(visit_id=visit.id, attendees=(_on_file(wang),), **fields)
    )


def _corrections(session: Session) -> list[tuple]:
    return [
        (c.field, c.old_value, c.new_value, c.corrected_by_id, c.corrected_at)
        for c in session.exec(select(DebriefCorrection).order_by(col(DebriefCorrection.id)))
    ]


def test_a_correction_keeps_each_fields_value_before_and_after_with_who_and_when(
    session: Session, rep: User
) -> None:
    debrief = _debriefed(session, rep)
    made = records.correct_debrief(
        session=session,
        draft=CorrectionDraft(
            visit_id=debrief.visit_id,
            outcome=Outcome.CONTINUATION,
            summary="Good meeting",  # as saved: no correction
            explicit_needs="A 4-hour repair promise",
            next_step_due=date(2026, 12, 9),
        ),
        rep=rep,
        now=TOMORROW,
    )
    session.commit()
    assert [c.field for c in made] == [
        DebriefField.OUTCOME,
        DebriefField.EXPLICIT_NEEDS,
        DebriefField.NEXT_STEP_DUE,
    ]
    assert _corrections(session) == [
        (DebriefField.OUTCOME, "advance", "continuation", rep.id, TOMORROW),
        (DebriefField.EXPLICIT_NEEDS, None, "A 4-hour repair promise", rep.id, TOMORROW),
        (DebriefField.NEXT_STEP_DUE, "2026-12-02", "2026-12-09", rep.id, TOMORROW),
    ]
    stored = session.get(Debrief, debrief.id)
    assert (stored.outcome, stored.explicit_needs, stored.next_step_due, stored.created_at) == (
        Outcome.CONTINUATION,
        "A 4-hour repair promise",
        date(2026, 12, 9),
        NOW,
    )
    assert (stored.facts["outcome"], stored.facts["continuations_in_row"]) == ("continuation", 1)
    assert stored.facts["decision_maker_met"] is True, "the other facts stand as saved"


def _continuations_at_one_account(session: Session, rep: User, count: int) -> list[Debrief]:
    """`count` visits at one account a day apart, each debriefed as a continuation."""
    account = _account(session, rep, "Sany")
    wang = _person(session, account, "Wang Gong", buying_role="decision_maker")
    debriefs = []
    for day in range(count):
        visit = _save_plan(
            session,
            rep,
            PlanDraft(
                account=AccountDraft(account_id=wang.account_id),
                attendees=(_on_file(wang),),
                planned_at=NOW - timedelta(days=count - day),
            ),
        )
        draft = DebriefDraft(
            visit_id=visit.id,
            attendees=(_on_file(wang),),
            outcome=Outcome.CONTINUATION,
            summary=f"Meeting {day + 1}",
        )
        debriefs.append(_save_debrief(session, rep, draft))
    return debriefs


def _in_row_and_flagged(session: Session, playbooks, debrief: Debrief) -> tuple[int, bool]:
    """The saved streak of a debrief, and whether the manager is shown 'Repeated continuations'."""
    session.refresh(debrief)
    visit = session.get(Visit, debrief.visit_id)
    facts = facts_of(session=session, visit=visit, debrief=debrief)
    fired = {rule.id for rule in feedback(playbooks.coaching, facts)}
    return facts.continuations_in_row, "repeated_continuations" in fired


def test_a_corrected_outcome_recounts_the_continuations_of_the_later_debriefs_at_the_account(
    session: Session, rep: User, playbooks
) -> None:
    first, second, third = _continuations_at_one_account(session, rep, 3)
    assert [_in_row_and_flagged(session, playbooks, d) for d in (first, second, third)] == [
        (1, False),
        (2, True),
        (3, True),
    ]
    third_saved = dict(third.facts)
    records.correct_debrief(
        session=session,
        draft=CorrectionDraft(visit_id=first.visit_id, outcome=Outcome.ADVANCE),
        rep=rep,
        now=TOMORROW,
    )
    session.commit()
    assert [_in_row_and_flagged(session, playbooks, d) for d in (first, second, third)] == [
        (0, False),
        (1, False),
        (2, True),
    ], "the second is no longer a repeat; the third still is, two in a row"
    assert third.facts == third_saved | {"continuations_in_row": 2}, "the rest stand as saved"
    assert [c.field for c in session.exec(select(DebriefCorrection))] == [DebriefField.OUTCOME]


def test_a_corrected_outcome_leaves_earlier_debriefs_and_other_accounts_as_saved(
    session: Session, rep: User
) -> None:
    first, second, third = _continuations_at_one_account(session, rep, 3)
    elsewhere = _debriefed(session, rep, outcome=Outcome.CONTINUATION)
    saved = {d.id: dict(d.facts) for d in (first, elsewhere)}
    records.correct_debrief(
        session=session,
        draft=CorrectionDraft(visit_id=second.visit_id, outcome=Outcome.NO_SALE),
        rep=rep,
        now=TOMORROW,
    )
    session.commit()
    for debrief in (first, elsewhere, second, third):
        session.refresh(debrief)
    assert {d.id: d.facts for d in (first, elsewhere)} == saved
    assert (second.facts["continuations_in_row"], third.facts["continuations_in_row"]) == (0, 1)


def test_a_corrected_outcome_back_to_a_continuation_restores_the_later_streaks(
    session: Session, rep: User
) -> None:
    first, _, third = _continuations_at_one_account(session, rep, 3)
    for day, outcome in ((1, Outcome.ADVANCE), (2, Outcome.CONTINUATION)):
        records.correct_debrief(
            session=session,
            draft=CorrectionDraft(visit_id=first.visit_id, outcome=outcome),
            rep=rep,
            now=NOW + timedelta(days=day),
        )
        session.commit()
    session.refresh(third)
    assert third.facts["continuations_in_row"] == 3


def test_a_correction_of_a_correction_keeps_both_so_the_first_value_stays_recoverable(
    session: Session, rep: User
) -> None:
    debrief = _debriefed(session, rep)
    for day, summary in ((1, "Good meeting, but no budget"), (2, "No budget until March")):
        records.correct_debrief(
            session=session,
            draft=CorrectionDraft(visit_id=debrief.visit_id, summary=summary),
            rep=rep,
            now=NOW + timedelta(days=day),
        )
        session.commit()
    assert [(c[1], c[2]) for c in _corrections(session)] == [
        ("Good meeting", "Good meeting, but no budget"),
        ("Good meeting, but no budget", "No budget until March"),
    ]
    assert session.get(Debrief, debrief.id).summary == "No budget until March"


def test_a_corrected_due_date_settles_the_steps_queued_reminders(
    session: Session, rep: User
) -> None:
    debrief = _debriefed(session, rep)
    session.add(
        Reminder(
            user_id=rep.id,
            kind=ReminderKind.NEXT_STEP,
            due_at=NOW,
            visit_id=debrief.visit_id,
            dedupe_key="next_step:queued",
        )
    )
    session.commit()
    records.correct_debrief(
        session=session,
        draft=CorrectionDraft(visit_id=debrief.visit_id, next_step_due=date(2026, 12, 20)),
        rep=rep,
        now=TOMORROW,
    )
    session.commit()
    queued = session.exec(select(Reminder).where(Reminder.kind == ReminderKind.NEXT_STEP)).one()
    assert queued.fired_at == TOMORROW


def test_nothing_different_is_no_correction(session: Session, rep: User) -> None:
    debrief = _debriefed(session, rep)
    made = records.correct_debrief(
        session=session,
        draft=CorrectionDraft(visit_id=debrief.visit_id, outcome=Outcome.ADVANCE),
        rep=rep,
        now=TOMORROW,
    )
    assert made == [] and _corrections(session) == []


def test_another_reps_debrief_or_one_saved_over_7_days_ago_is_refused(
    session: Session, rep: User
) -> None:
    debrief = _debriefed(session, rep)
    colleague = _member(session, "carol", team="East")
    draft = CorrectionDraft(visit_id=debrief.visit_id, outcome=Outcome.NO_SALE)
    with pytest.raises(UserError) as refused:
        records.correct_debrief(session=session, draft=draft, rep=colleague, now=TOMORROW)
    assert refused.value.template == "errors/debrief_not_found"
    records.correct_debrief(
        session=session, draft=draft, rep=rep, now=NOW + timedelta(days=7)
    )  # the last moment of the window
    with pytest.raises(UserError) as late:
        records.correct_debrief(
            session=session,
            draft=replace(draft, outcome=Outcome.ORDER),
            rep=rep,
            now=NOW + timedelta(days=7, seconds=1),
        )
    assert late.value.template == "errors/correction_closed"
    assert [c[2] for c in _corrections(session)] == ["no_sale"]


# --- comments ---------------------------------------------------------------------------------


def _manager(session: Session, name: str) -> User:
    manager = _member(session, name, team="East")
    manager.role = Role.MANAGER
    session.add(manager)
    session.flush()
    return manager


def _comment(
    session: Session, visit: Visit, author: User, text: str, *, minutes: int = 0
) -> records.PostedComment:
    posted = records.add_comment(
        session=session,
        visit=visit,
        author=author,
        text=text,
        now=NOW + timedelta(minutes=minutes),
    )
    session.commit()
    return posted


def _comment_reminders(session: Session) -> list[tuple]:
    rows = session.exec(select(Reminder).where(Reminder.kind == ReminderKind.COMMENT)).all()
    return [
        (reminder.user_id, reminder.visit_id, reminder.payload, reminder.dedupe_key)
        for reminder in sorted(rows, key=lambda reminder: reminder.dedupe_key or "")
    ]


def test_a_comment_is_kept_on_the_visit_with_its_author_text_and_time(
    session: Session, rep: User
) -> None:
    visit = _planned_visit(session, rep, _person(session, _account(session, rep), "Wang Gong"))
    manager = _manager(session, "max")
    posted = _comment(session, visit, manager, "Ask about the budget first")
    stored = session.exec(select(CoachingComment)).all()
    assert [(row.visit_id, row.author_id, row.text, row.created_at) for row in stored] == [
        (visit.id, manager.id, "Ask about the budget first", NOW)
    ]
    assert posted.comment.id == stored[0].id


def test_a_managers_comment_reminds_the_rep_at_once_and_not_the_manager(
    session: Session, rep: User
) -> None:
    visit = _planned_visit(session, rep, _person(session, _account(session, rep), "Wang Gong"))
    manager = _manager(session, "max")
    posted = _comment(session, visit, manager, "Good call")
    comment_id = posted.comment.id
    assert posted.recipients == (rep.id,)
    assert _comment_reminders(session) == [
        (rep.id, visit.id, {"comment_id": comment_id}, f"comment:{comment_id}:{rep.id}")
    ]
    reminder = session.exec(select(Reminder).where(Reminder.kind == ReminderKind.COMMENT)).one()
    assert (reminder.due_at, reminder.fired_at) == (NOW, None)


def test_a_reply_reminds_everyone_else_in_the_thread_but_not_its_author(
    session: Session, rep: User
) -> None:
    visit = _planned_visit(session, rep, _person(session, _account(session, rep), "Wang Gong"))
    first, second = _manager(session, "max"), _manager(session, "mia")
    _comment(session, visit, first, "Who signs?")
    _comment(session, visit, second, "And when?", minutes=1)
    reply = _comment(session, visit, rep, "The CFO, in March", minutes=2)
    assert reply.recipients == tuple(sorted([first.id, second.id]))
    told = [
        row for row in _comment_reminders(session) if row[2] == {"comment_id": reply.comment.id}
    ]
    assert sorted(user_id for user_id, *_ in told) == sorted([first.id, second.id])


def test_a_reps_note_on_their_own_quiet_visit_reminds_nobody(session: Session, rep: User) -> None:
    visit = _planned_visit(session, rep, _person(session, _account(session, rep), "Wang Gong"))
    posted = _comment(session, visit, rep, "Note to self")
    assert posted.recipients == ()
    assert _comment_reminders(session) == []
