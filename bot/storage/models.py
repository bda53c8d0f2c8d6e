"""The tables. Names are English; stage, tier, role and stance ids come from the playbooks.

Every timestamp is an aware UTC datetime (see `UTCDateTime`). Indexes follow what managers
query: a team's people and accounts, a rep's visits by date, an account's visits by date.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from bot.clock import utcnow
from bot.domain import (
    DebriefField,
    FlowStatus,
    ObjectiveMet,
    ReminderKind,
    Role,
    SnapshotPhase,
    Speaker,
    SpinType,
    StageSubject,
    TypedBy,
    VisitStatus,
)
from bot.domain import Outcome as OutcomeId
from bot.storage.types import UTCDateTime, enum_type

# Playbook ids (tiers, stages, roles, stances) are short snake_case strings.
ID_LENGTH = 40
NAME_LENGTH = 200
TEXT_LENGTH = 10_000
STEP_KEY_LENGTH = 120


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def _when(*, nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def _id_field(*, index: bool = False) -> Any:
    return Field(default=None, max_length=ID_LENGTH, nullable=True, index=index)


class Team(SQLModel, table=True):
    """A sales team: the unit of membership, invitations and manager review."""

    __tablename__ = "teams"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=NAME_LENGTH, unique=True)
    created_at: datetime = _created()


class User(SQLModel, table=True):
    """A rep, manager or admin; Telegram users carry their Telegram id."""

    __tablename__ = "users"
    __table_args__ = (sa.UniqueConstraint("handle", name="uq_users_handle"),)

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int | None = Field(default=None, sa_type=sa.BigInteger, unique=True)
    handle: str | None = Field(default=None, max_length=64)
    display_name: str = Field(max_length=NAME_LENGTH)
    language: str = Field(default="zh", max_length=8)
    timezone: str | None = Field(default=None, max_length=64)
    role: Role = Field(default=Role.REP, sa_type=enum_type(Role))
    team_id: int = Field(foreign_key="teams.id", index=True)
    is_active: bool = Field(default=True)
    created_at: datetime = _created()
    # Whose command list Telegram holds for this member's own chat: NULL when none, so the
    # default list (a rep's) applies. Any bot worker puts it right when it differs from the
    # list `role` calls for (bot/channels/telegram/commands.py), whoever changed the role.
    commands_role: Role | None = Field(default=None, sa_type=enum_type(Role))


class Invitation(SQLModel, table=True):
    """A one-time code that lets a Telegram user join a team with a role.

    Only the code's SHA-256 is kept (`bot.access.code_hash`): the code itself is printed once,
    when it is made, so a copy of the database admits nobody.
    """

    __tablename__ = "invitations"
    __table_args__ = (sa.UniqueConstraint("code_hash", name="uq_invitations_code_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64)
    team_id: int = Field(foreign_key="teams.id", index=True)
    role: Role = Field(default=Role.REP, sa_type=enum_type(Role))
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = _created()
    expires_at: datetime | None = _when()
    used_by_id: int | None = Field(default=None, foreign_key="users.id")
    used_at: datetime | None = _when()
    revoked_at: datetime | None = _when()


class CodeAttempt(SQLModel, table=True):
    """A wrong invitation code sent by a Telegram user, kept for the rate limit's window.

    Rows, not a counter in memory, so that every worker counts the same tries.
    """

    __tablename__ = "code_attempts"
    __table_args__ = (sa.Index("ix_code_attempts_user_at", "telegram_id", "attempted_at"),)

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=sa.BigInteger)
    attempted_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class Account(SQLModel, table=True):
    """A customer organisation the team sells to."""

    __tablename__ = "accounts"
    __table_args__ = (sa.UniqueConstraint("team_id", "name", name="uq_accounts_team_name"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", index=True)
    name: str = Field(max_length=NAME_LENGTH)
    tier: str | None = _id_field()
    lifecycle_stage: str | None = _id_field()
    sales_stage: str | None = _id_field()
    owner_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    notes: str | None = Field(default=None, max_length=TEXT_LENGTH)
    # competition.yaml and segments.yaml ids: what the account buys from its suppliers, where
    # we stand against the competition there (the two choose our strategy), what it values most
    account_type: str | None = _id_field()
    our_position: str | None = _id_field()
    orientation: str | None = _id_field()
    created_at: datetime = _created()
    updated_at: datetime = _created()


class Contact(SQLModel, table=True):
    """A person at an account, with where they stand in the decision unit."""

    __tablename__ = "contacts"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="accounts.id", index=True)
    name: str = Field(max_length=NAME_LENGTH)
    title: str | None = Field(default=None, max_length=NAME_LENGTH)
    buying_role: str | None = _id_field()
    stance: str | None = _id_field()
    influence: str | None = _id_field()
    relationship_stage: str | None = _id_field()
    personal_wins: str | None = Field(default=None, max_length=TEXT_LENGTH)
    personal_win: str | None = _id_field()  # people.yaml: the one that matters to them
    notes: str | None = Field(default=None, max_length=TEXT_LENGTH)
    created_at: datetime = _created()
    updated_at: datetime = _created()


class Visit(SQLModel, table=True):
    """A planned or held sales call; its objective is an Advance: best and minimum commitment."""

    __tablename__ = "visits"
    __table_args__ = (
        sa.Index("ix_visits_rep_planned", "rep_id", "planned_at"),
        sa.Index("ix_visits_account_planned", "account_id", "planned_at"),
        sa.Index("ix_visits_status_planned", "status", "planned_at"),
        sa.Index("ix_visits_rep_created", "rep_id", "created_at"),
        sa.Index("ix_visits_team_rep_created", "team_id", "rep_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="accounts.id")
    rep_id: int = Field(foreign_key="users.id")
    # The rep's team when the visit was made: a manager's scope follows it (storage/scopes.py),
    # so a rep who moves teams leaves their records with the team they were made in.
    team_id: int = Field(foreign_key="teams.id")
    planned_at: datetime | None = _when()
    objective_best: str | None = Field(default=None, max_length=TEXT_LENGTH)
    objective_minimum: str | None = Field(default=None, max_length=TEXT_LENGTH)
    status: VisitStatus = Field(default=VisitStatus.PLANNED, sa_type=enum_type(VisitStatus))
    created_at: datetime = _created()
    updated_at: datetime = _created()


class Debrief(SQLModel, table=True):
    """What happened at a visit: outcome, what was learned, and the dated next step."""

    __tablename__ = "debriefs"
    # The rep and team are the visit's, kept here too so that "a rep's debriefs in a period, and
    # their outcomes" (/team, /stats) is one index range, scoped, without the visits table.
    __table_args__ = (
        sa.Index(
            "ix_debriefs_rep_created", "rep_id", "created_at", "outcome", "visit_id", "team_id"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visits.id", unique=True)
    rep_id: int = Field(foreign_key="users.id")
    team_id: int = Field(foreign_key="teams.id")
    outcome: OutcomeId = Field(sa_type=enum_type(OutcomeId))
    # Against the plan's best and minimum commitment; None where the plan set neither (or the
    # debrief was saved before this was asked).
    objective_met: ObjectiveMet | None = Field(default=None, sa_type=enum_type(ObjectiveMet))
    summary: str | None = Field(default=None, max_length=TEXT_LENGTH)
    implied_needs: str | None = Field(default=None, max_length=TEXT_LENGTH)
    explicit_needs: str | None = Field(default=None, max_length=TEXT_LENGTH)
    next_step: str | None = Field(default=None, max_length=TEXT_LENGTH)
    next_step_due: date | None = Field(default=None, index=True)
    next_step_done_at: datetime | None = _when()
    # Who marked the next step done (/next, or the overdue reminder's button): the record says
    # when and by whom, so a manager reads a finished step as done, not as forgotten.
    next_step_done_by: int | None = Field(default=None, foreign_key="users.id")
    # The coaching facts as they stood when the debrief was saved (see bot/coaching/facts.py):
    # flags and scores are read from here instead of re-deriving them from the account today.
    facts: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    created_at: datetime = _created()


class DebriefCorrection(SQLModel, table=True):
    """One field of a saved debrief corrected by its rep: the value before and after, who, when.

    The debrief row holds the current values; a field's first correction holds what was first
    saved, so the original is never lost. Values are text as the JSON export writes them: an
    outcome id, a date as YYYY-MM-DD, the words as typed.
    """

    __tablename__ = "debrief_corrections"
    __table_args__ = (sa.Index("ix_debrief_corrections_debrief", "debrief_id", "corrected_at"),)

    id: int | None = Field(default=None, primary_key=True)
    debrief_id: int = Field(foreign_key="debriefs.id")
    field: DebriefField = Field(sa_type=enum_type(DebriefField))
    old_value: str | None = Field(default=None, max_length=TEXT_LENGTH)
    new_value: str | None = Field(default=None, max_length=TEXT_LENGTH)
    corrected_by_id: int = Field(foreign_key="users.id")
    corrected_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class VisitProblem(SQLModel, table=True):
    """A customer problem the rep plans to explore, in the customer's words: the worksheet's
    row, which the implication and need-payoff questions of the plan are about. It is a
    statement, not a question, so it is never ticked as asked nor counted as a SPIN type."""

    __tablename__ = "visit_problems"

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visits.id", index=True)
    position: int = Field(default=0)
    text: str = Field(max_length=TEXT_LENGTH)


class AccountPlanEntry(SQLModel, table=True):
    """The rep's words for one view of an account's plan (account_plan.yaml), kept current."""

    __tablename__ = "account_plan_entries"

    account_id: int = Field(foreign_key="accounts.id", primary_key=True)
    view_id: str = Field(primary_key=True, max_length=ID_LENGTH)
    text: str = Field(max_length=TEXT_LENGTH)
    updated_by_id: int = Field(foreign_key="users.id")
    updated_at: datetime = _created()


class AccountCompetitor(SQLModel, table=True):
    """A competitor present at an account, by name as the rep wrote it."""

    __tablename__ = "account_competitors"
    __table_args__ = (sa.UniqueConstraint("account_id", "name", name="uq_competitors_name"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="accounts.id", index=True)
    name: str = Field(max_length=NAME_LENGTH)
    created_at: datetime = _created()


class AccountCriterion(SQLModel, table=True):
    """A purchase criterion heard at an account (needs.yaml's categories), and at which visit:
    the need funnel's third level."""

    __tablename__ = "account_criteria"

    account_id: int = Field(foreign_key="accounts.id", primary_key=True)
    criterion_id: str = Field(primary_key=True, max_length=ID_LENGTH)
    visit_id: int | None = Field(default=None, foreign_key="visits.id")
    created_at: datetime = _created()


class DebriefRisk(SQLModel, table=True):
    """A risk signal (risks.yaml) the rep heard at a debriefed visit."""

    __tablename__ = "debrief_risks"

    debrief_id: int = Field(foreign_key="debriefs.id", primary_key=True)
    risk_id: str = Field(primary_key=True, max_length=ID_LENGTH)


class SpinItem(SQLModel, table=True):
    """One SPIN question of a visit: planned in prep, marked asked and answered in debrief."""

    __tablename__ = "spin_items"
    # Covers the team figures' SPIN mix (planned and asked by type) without the table.
    __table_args__ = (
        sa.Index("ix_spin_items_visit_cover", "visit_id", "spin_type", "planned", "asked"),
    )

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visits.id")
    position: int = Field(default=0)
    spin_type: SpinType = Field(sa_type=enum_type(SpinType))
    # Who gave the type, and what the coach read where the rep's own word won (or None).
    typed_by: TypedBy = Field(default=TypedBy.REP, sa_type=enum_type(TypedBy))
    read_type: SpinType | None = Field(default=None, sa_type=enum_type(SpinType))
    question: str = Field(max_length=TEXT_LENGTH)
    bank_question_id: str | None = Field(default=None, max_length=ID_LENGTH)
    planned: bool = Field(default=True)
    asked: bool | None = Field(default=None)
    answer: str | None = Field(default=None, max_length=TEXT_LENGTH)
    contact_id: int | None = Field(default=None, foreign_key="contacts.id")


class StakeholderSnapshot(SQLModel, table=True):
    """A contact's role, stance and influence as the rep saw them at one visit."""

    __tablename__ = "stakeholder_snapshots"
    __table_args__ = (
        sa.UniqueConstraint("visit_id", "contact_id", "phase", name="uq_snapshots_visit_contact"),
    )

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visits.id", index=True)
    contact_id: int = Field(foreign_key="contacts.id", index=True)
    phase: SnapshotPhase = Field(sa_type=enum_type(SnapshotPhase))
    attended: bool = Field(default=True)
    buying_role: str | None = _id_field()
    stance: str | None = _id_field()
    influence: str | None = _id_field()
    relationship_stage: str | None = _id_field()
    created_at: datetime = _created()


class StageChange(SQLModel, table=True):
    """A relationship stage moving, for a contact or an account, with the evidence for it."""

    __tablename__ = "stage_changes"
    __table_args__ = (sa.Index("ix_stage_changes_account_changed", "account_id", "changed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    subject: StageSubject = Field(sa_type=enum_type(StageSubject))
    account_id: int = Field(foreign_key="accounts.id")
    contact_id: int | None = Field(default=None, foreign_key="contacts.id", index=True)
    visit_id: int | None = Field(default=None, foreign_key="visits.id", index=True)
    from_stage: str | None = _id_field()
    to_stage: str = Field(max_length=ID_LENGTH)
    evidence: str | None = Field(default=None, max_length=TEXT_LENGTH)
    changed_by_id: int | None = Field(default=None, foreign_key="users.id")
    changed_at: datetime = _created()


class FlowSession(SQLModel, table=True):
    """One run of a coaching flow (a prep, a debrief); its transcript hangs off it."""

    __tablename__ = "flow_sessions"
    __table_args__ = (sa.Index("ix_flow_sessions_user_started", "user_id", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    flow: str = Field(max_length=ID_LENGTH)
    visit_id: int | None = Field(default=None, foreign_key="visits.id", index=True)
    status: FlowStatus = Field(default=FlowStatus.ACTIVE, sa_type=enum_type(FlowStatus))
    started_at: datetime = _created()
    finished_at: datetime | None = _when()


class TranscriptLine(SQLModel, table=True):
    """One line of a coaching exchange, kept so a manager can read the session later."""

    __tablename__ = "transcript_lines"
    __table_args__ = (sa.UniqueConstraint("session_id", "seq", name="uq_transcript_session_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="flow_sessions.id")
    seq: int
    speaker: Speaker = Field(sa_type=enum_type(Speaker))
    text: str = Field(sa_type=sa.Text)
    created_at: datetime = _created()


class FlowState(SQLModel, table=True):
    """A user's in-progress flow, saved at every step so a restart resumes exactly there.

    One row per user: the primary key is the user, which also gives every worker the same row
    to lock (`FOR UPDATE`) while it applies that user's event. `version` rises with every
    applied input, so a repeated or stale input is recognised and ignored.
    """

    __tablename__ = "flow_states"

    user_id: int = Field(foreign_key="users.id", primary_key=True)
    session_id: int | None = Field(default=None, foreign_key="flow_sessions.id")
    flow: str = Field(max_length=ID_LENGTH)
    step: str = Field(max_length=STEP_KEY_LENGTH)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    version: int = Field(default=0)
    updated_at: datetime = _created()


class CoachingComment(SQLModel, table=True):
    """A manager's comment on a visit, or a rep's reply; the thread belongs to the record."""

    __tablename__ = "coaching_comments"
    __table_args__ = (sa.Index("ix_comments_visit_created", "visit_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visits.id")
    author_id: int = Field(foreign_key="users.id", index=True)
    text: str = Field(max_length=TEXT_LENGTH)
    created_at: datetime = _created()
    read_at: datetime | None = _when()


class Reminder(SQLModel, table=True):
    """A message due to a user at a time; claimed in SQL so it fires once across workers."""

    __tablename__ = "reminders"
    __table_args__ = (
        sa.Index("ix_reminders_due", "fired_at", "due_at"),
        sa.UniqueConstraint("dedupe_key", name="uq_reminders_dedupe_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    kind: ReminderKind = Field(sa_type=enum_type(ReminderKind))
    due_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    visit_id: int | None = Field(default=None, foreign_key="visits.id", index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    dedupe_key: str | None = Field(default=None, max_length=120)
    claimed_by: str | None = Field(default=None, max_length=ID_LENGTH * 2)
    claimed_at: datetime | None = _when()
    fired_at: datetime | None = _when()
    created_at: datetime = _created()


class DailyRun(SQLModel, table=True):
    """A once-a-day job (the nudges) done for a day: the ticks of every worker after its time
    of day find it here and do not run it again."""

    __tablename__ = "daily_runs"

    job: str = Field(primary_key=True, max_length=40)
    day: date = Field(primary_key=True)
    ran_at: datetime = _created()


class ProcessedEvent(SQLModel, table=True):
    """An input already applied, by its channel id (`tg:<bot id>:<update_id>`): applied once.

    Kept for a retention window only (pruned by the tick): Telegram's update ids restart.
    """

    __tablename__ = "processed_events"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "event_id", name="uq_processed_user_event"),
        sa.Index("ix_processed_events_created", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    event_id: str = Field(max_length=64)
    created_at: datetime = _created()


class OutboxMessage(SQLModel, table=True):
    """The replies of one event, stored in the event's commit and sent after it.

    A crash between the commit and the send loses nothing: the row is still undelivered, and
    once its sender's claim is stale another worker (or the restarted one) sends it, once.
    """

    __tablename__ = "outbox"
    __table_args__ = (sa.Index("ix_outbox_pending", "delivered_at", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    address: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    replies: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    created_at: datetime = _created()
    claimed_by: str | None = Field(default=None, max_length=ID_LENGTH * 2)
    claimed_at: datetime | None = _when()
    delivered_at: datetime | None = _when()
