"""The set-up every command on the database repeats: playbooks checked, an embedded database
migrated (`prepare`), an engine over it, disposed after; and an admin's session on it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from bot.commands.output import Output
from bot.engine.runner import Engine
from bot.flows import FLOWS
from bot.playbooks.loader import Playbooks
from bot.settings import Settings
from bot.startup import prepare
from bot.storage import db
from bot.text import Texts


@dataclass(frozen=True)
class Opened:
    """What a command that works on the database has: built once, by `opened`."""

    settings: Settings
    playbooks: Playbooks
    database: sa.Engine
    texts: Texts

    def engine(self) -> Engine:
        """The dialog engine with every flow, over this database."""
        return Engine(
            flows=FLOWS,
            db=self.database,
            texts=self.texts,
            playbooks=self.playbooks,
            settings=self.settings,
        )

    def session(self) -> Session:
        """A session of its own; the caller commits."""
        return Session(self.database)


@contextmanager
def opened(settings: Settings, texts: Texts) -> Iterator[Opened]:
    """Playbooks checked and an embedded database migrated first (`prepare`); disposed after."""
    prepared = prepare(settings)
    database = db.make_engine(settings.database_url)
    try:
        yield Opened(settings, prepared.playbooks, database, texts)
    finally:
        database.dispose()


@contextmanager
def admin_session(settings: Settings, out: Output) -> Iterator[Session]:
    """A session for an admin command, on the database `opened` prepares."""
    with opened(settings, out.texts) as deployment, deployment.session() as session:
        yield session
