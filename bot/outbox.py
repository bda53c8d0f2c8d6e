"""Replies on their way out: stored with the event's commit, sent after it, marked delivered.

The worker that handled an event claims its outbox row in the same commit and sends it at
once. Should it die between the commit and the send, the row stays undelivered; once the claim
is `STALE_CLAIM` old, the next tick of any worker claims it with one `UPDATE ... RETURNING`
and sends it, so it goes out exactly once. A reply older than `MAX_AGE` is not sent late: it
would answer a question the rep has moved on from. The tick also forgets processed event ids
after `EVENT_RETENTION`, far longer than Telegram redelivers, because update ids restart.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.engine.output import Reply, reply_from_data, reply_to_data
from bot.storage.models import OutboxMessage, ProcessedEvent

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(seconds=30)  # a live worker sends within this; then it counts as dead
MAX_AGE = timedelta(minutes=5)  # "a few minutes": later than this an answer confuses more
EVENT_RETENTION = timedelta(hours=48)
DELIVERED_RETENTION = timedelta(days=1)


@dataclass(frozen=True)
class Pending:
    """An outbox row claimed for sending: where to, and what."""

    outbox_id: int
    address: dict[str, Any]
    replies: list[Reply]


def claim_pending(
    *, db: sa.Engine, now: datetime, worker: str, where: Any = None
) -> list[Pending]:
    """Claim undelivered replies whose sender's claim is stale, oldest first."""
    claimable = sa.or_(
        col(OutboxMessage.claimed_by).is_(None),
        col(OutboxMessage.claimed_at) < now - STALE_CLAIM,
    )
    statement = (
        sa.update(OutboxMessage)
        .where(
            col(OutboxMessage.delivered_at).is_(None),
            col(OutboxMessage.created_at) >= now - MAX_AGE,
            claimable,
            sa.true() if where is None else where,
        )
        .values(claimed_by=worker, claimed_at=now)
        .returning(col(OutboxMessage.id))
    )
    with Session(db) as session:
        ids = [int(row[0]) for row in session.execute(statement).all()]
        rows = session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.id).in_(ids))
            .order_by(col(OutboxMessage.id))
        ).all()
        pending = [
            Pending(row.id or 0, dict(row.address), [reply_from_data(r) for r in row.replies])
            for row in rows
        ]
        session.commit()
    if pending:
        log.info("outbox: %s undelivered replies claimed by %s", len(pending), worker)
    return pending


def claim_earlier(*, db: sa.Engine, outbox_id: int, now: datetime, worker: str) -> list[Pending]:
    """The same user's stranded replies older than `outbox_id`: sent first, to keep order."""
    user = sa.select(col(OutboxMessage.user_id)).where(col(OutboxMessage.id) == outbox_id)
    earlier = sa.and_(
        col(OutboxMessage.user_id) == user.scalar_subquery(), col(OutboxMessage.id) < outbox_id
    )
    return claim_pending(db=db, now=now, worker=worker, where=earlier)


def settle(
    *,
    db: sa.Engine,
    outbox_id: int,
    delivered: bool,
    now: datetime,
    worker: str,
    unsent: list[Reply] | None = None,
) -> None:
    """After sending: delivered for good, or released so the next tick tries again.

    Only the worker holding the claim releases it: one that took over a stale claim keeps it.
    """
    statement = sa.update(OutboxMessage).where(col(OutboxMessage.id) == outbox_id)
    if delivered:
        statement = statement.values(delivered_at=now)
    else:
        values: dict[str, Any] = {"claimed_by": None, "claimed_at": None}
        if unsent is not None:  # what a failure part-way left unsent: a retry repeats nothing
            values["replies"] = [reply_to_data(reply) for reply in unsent]
        statement = statement.where(col(OutboxMessage.claimed_by) == worker).values(**values)
    with Session(db) as session:
        session.execute(statement)
        session.commit()


def prune(*, db: sa.Engine, now: datetime) -> None:
    """Forget old event ids and old outbox rows; both tables stay small."""
    with Session(db) as session:
        session.execute(
            sa.delete(ProcessedEvent).where(col(ProcessedEvent.created_at) < now - EVENT_RETENTION)
        )
        session.execute(
            sa.delete(OutboxMessage).where(
                col(OutboxMessage.created_at) < now - DELIVERED_RETENTION
            )
        )
        session.commit()
