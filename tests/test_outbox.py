"""Replies stored with the event's commit go out once, whoever claims them, on both databases."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlmodel import Session

from bot import outbox
from bot.engine.events import Command
from bot.engine.runner import Engine
from bot.flows import FLOWS
from bot.settings import load_settings
from bot.storage.db import make_engine
from bot.storage.models import OutboxMessage, Team
from tests.conftest import START
from tests.engine.chat import Clock, add_user


def test_two_workers_claiming_at_once_send_a_stranded_reply_once(db_url, playbooks, texts):
    database = make_engine(db_url)
    clock = Clock(START)
    try:
        with Session(database) as session:
            team = Team(name="East")
            session.add(team)
            session.commit()
            team_id = team.id
        engine = Engine(
            flows=FLOWS,
            db=database,
            texts=texts,
            playbooks=playbooks,
            settings=load_settings(database_url=db_url),
            clock=clock,
        )
        user_id = add_user(database, team_id, name="alice", language="en")
        queued = engine.handle_queued(
            user_id=user_id,
            event=Command("prep"),
            event_id="tg:1:1",
            address={"chat_id": 42, "edit_message_id": None},
            worker="dead-worker",
        )
        assert queued.outbox_id is not None
        assert outbox.claim_pending(db=database, now=clock.now, worker="w1") == []
        later = clock.now + outbox.STALE_CLAIM + timedelta(seconds=1)
        with ThreadPoolExecutor(2) as pool:
            claims = list(
                pool.map(
                    lambda worker: outbox.claim_pending(db=database, now=later, worker=worker),
                    ["w1", "w2"],
                )
            )
        claimed = [pending for claim in claims for pending in claim]
        assert [pending.outbox_id for pending in claimed] == [queued.outbox_id]
        assert claimed[0].replies == queued.replies
        assert claimed[0].address == {"chat_id": 42, "edit_message_id": None}
        outbox.settle(
            db=database, outbox_id=queued.outbox_id, delivered=True, now=later, worker="w1"
        )
        much_later = later + outbox.STALE_CLAIM * 2
        assert outbox.claim_pending(db=database, now=much_later, worker="w3") == []
    finally:
        database.dispose()


def test_a_worker_that_lost_its_claim_does_not_release_the_new_holders(sqlite_url, texts):
    database = make_engine(sqlite_url)
    try:
        with Session(database) as session:
            team = Team(name="East")
            session.add(team)
            session.commit()
            user_id = add_user(database, team.id, name="alice", language="en")
            row = OutboxMessage(user_id=user_id, address={"chat_id": 1}, replies=[],
                                created_at=START, claimed_by="slow", claimed_at=START)  # fmt: skip
            session.add(row)
            session.commit()
            row_id = row.id
        later = START + outbox.STALE_CLAIM + timedelta(seconds=1)
        [taken] = outbox.claim_pending(db=database, now=later, worker="fast")
        outbox.settle(db=database, outbox_id=row_id, delivered=False, now=later, worker="slow")
        with Session(database) as session:
            assert session.get(OutboxMessage, row_id).claimed_by == "fast"
        assert taken.outbox_id == row_id
    finally:
        database.dispose()
