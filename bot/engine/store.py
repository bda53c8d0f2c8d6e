"""The rows one event reads and writes, in the event's one transaction.

The user's row and their flow state are read `FOR UPDATE` (PostgreSQL serialises a user's
events across workers; SQLite has one writer anyway), the event id is recorded so a
re-delivered event is ignored, and the transcript and the reply outbox are written in the same
commit as the state, so what a user was told and where they are can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, func, select

from bot.domain import FlowStatus, Speaker
from bot.engine.output import Reply, reply_to_data
from bot.storage.models import (
    FlowSession,
    FlowState,
    OutboxMessage,
    ProcessedEvent,
    TranscriptLine,
    User,
)


class Store:
    """One event's unit of work over `db`; the engine commits it once, at the end."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def lock_user(self, user_id: int) -> User:
        """The user, locked until commit: their events are applied one at a time."""
        return self.db.exec(select(User).where(User.id == user_id).with_for_update()).one()

    def user(self, user_id: int) -> User | None:
        """The user, unlocked (to apologise or to resume)."""
        return self.db.get(User, user_id)

    def already_applied(self, *, user_id: int, event_id: str) -> bool:
        """Whether the channel delivered this event before (Telegram redelivers)."""
        seen = self.db.exec(
            select(ProcessedEvent.id).where(
                ProcessedEvent.user_id == user_id, ProcessedEvent.event_id == event_id
            )
        ).first()
        return seen is not None

    def mark_applied(self, *, user_id: int, event_id: str, now: datetime) -> None:
        self.db.add(ProcessedEvent(user_id=user_id, event_id=event_id, created_at=now))

    def flow_state(self, user_id: int) -> FlowState | None:
        """The user's flow in progress, locked with the user."""
        return self.db.exec(
            select(FlowState).where(FlowState.user_id == user_id).with_for_update()
        ).first()

    def open_flow(self, *, user_id: int, flow_id: str, now: datetime) -> FlowState:
        """A new run of `flow_id`: its transcript session and its state at no step yet."""
        session = FlowSession(user_id=user_id, flow=flow_id, started_at=now)
        self.db.add(session)
        self.db.flush()
        state = FlowState(
            user_id=user_id,
            session_id=session.id,
            flow=flow_id,
            step="",
            data={"answers": {}, "history": [], "ui": {}},
            version=0,
            updated_at=now,
        )
        self.db.add(state)
        return state

    def close_flow(self, state: FlowState, *, status: FlowStatus, now: datetime) -> None:
        """The session keeps the transcript (the records module points it at its visit); the
        state row goes."""
        session = self.db.get(FlowSession, state.session_id) if state.session_id else None
        if session is not None:
            session.status = status
            session.finished_at = now
            self.db.add(session)
        if sa.inspect(state).pending:  # a flow that ended in the event it started in
            self.db.expunge(state)
        else:
            self.db.delete(state)
        self.db.flush()

    def save_state(self, state: FlowState, *, now: datetime) -> None:
        """A new version of the state: buttons drawn for the old one are now stale."""
        state.version += 1
        state.updated_at = now
        flag_modified(state, "data")  # mutated in place: tell SQLAlchemy to write it
        self.db.add(state)

    def note_state(self, state: FlowState, *, now: datetime) -> None:
        """The state's data written as it is: the buttons drawn for it stay valid."""
        state.updated_at = now
        flag_modified(state, "data")
        self.db.add(state)

    def append_transcript(
        self, *, session_id: int, lines: Sequence[tuple[Speaker, str]], now: datetime
    ) -> None:
        """What was said this event, numbered after what was said before."""
        last = self.db.exec(
            select(func.max(TranscriptLine.seq)).where(TranscriptLine.session_id == session_id)
        ).one()
        seq = last or 0
        for speaker, text in lines:
            seq += 1
            self.db.add(
                TranscriptLine(
                    session_id=session_id, seq=seq, speaker=speaker, text=text, created_at=now
                )
            )

    def queue_replies(
        self,
        *,
        user_id: int,
        address: dict[str, Any],
        replies: Sequence[Reply],
        worker: str,
        now: datetime,
    ) -> OutboxMessage:
        """The replies in the outbox, claimed by the worker that will send them right after."""
        queued = OutboxMessage(
            user_id=user_id,
            address=address,
            replies=[reply_to_data(reply) for reply in replies],
            created_at=now,
            claimed_by=worker,
            claimed_at=now,
        )
        self.db.add(queued)
        return queued

    def commit(self) -> None:
        self.db.commit()
