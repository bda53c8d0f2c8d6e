"""`salescoach db ...`: the schema's revision, moved up or down by alembic; new migrations."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from bot.commands.output import Output
from bot.settings import Settings
from bot.startup import prepare
from bot.storage import db


def _shown_url(url: str) -> str:
    return sa.make_url(url).render_as_string(hide_password=True)


def upgrade(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """Check the playbooks first, so a deployment never migrates for a bot that cannot start."""
    prepare(settings, migrate_sqlite=False)
    previous = db.current_revision(settings.database_url)
    db.upgrade(settings.database_url, args.revision)
    out.say(
        "cli/db_upgraded",
        database=_shown_url(settings.database_url),
        previous=previous,
        revision=db.current_revision(settings.database_url),
    )
    return 0


def report_current(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """The database's revision beside the newest this code ships."""
    out.say(
        "cli/db_current",
        database=_shown_url(settings.database_url),
        revision=db.current_revision(settings.database_url),
        head=db.head_revision(),
    )
    return 0


def downgrade(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """Roll back to `args.revision`; 'base' empties the schema."""
    db.downgrade(settings.database_url, args.revision)
    out.say(
        "cli/db_downgraded",
        database=_shown_url(settings.database_url),
        revision=db.current_revision(settings.database_url),
    )
    return 0


def autogenerate(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """Autogenerate against a scratch SQLite at head, so no real database is touched."""
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'scratch.db'}"
        db.upgrade(url)
        script = command.revision(db.alembic_config(url), message=args.message, autogenerate=True)
    scripts = script if isinstance(script, list) else [script]
    for item in scripts:
        if item is not None:
            out.say("cli/db_revision", path=item.path)
    return 0
