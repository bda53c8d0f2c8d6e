"""What every serving command does first: validate the playbooks, bring the database up."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.playbooks.loader import Playbooks, load_playbooks
from bot.settings import Settings
from bot.storage import db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prepared:
    """The validated pieces a channel needs; built once per process."""

    settings: Settings
    playbooks: Playbooks


def prepare(settings: Settings, *, migrate_sqlite: bool = True) -> Prepared:
    """Refuse to start on a broken playbook; upgrade an embedded SQLite database in place.

    PostgreSQL is upgraded only by `salescoach db upgrade`, so that several workers starting
    at once never race to migrate a shared database.
    """
    playbooks = load_playbooks(settings.playbook_dir)
    if migrate_sqlite and settings.is_sqlite:
        db.upgrade(settings.database_url)
        log.info("sqlite database at revision %s", db.head_revision())
    return Prepared(settings=settings, playbooks=playbooks)
