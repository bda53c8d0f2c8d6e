"""`salescoach export`: call records in a format, to a file or to standard output."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from bot import export
from bot.clock import utcnow
from bot.commands.deployment import opened
from bot.commands.output import Output
from bot.errors import ConfigError, Problem
from bot.settings import Settings


def export_records(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """Write records in a format; to a file, or to standard output."""
    since = None
    if args.since:
        try:
            day = date.fromisoformat(args.since)
        except ValueError as error:
            raise ConfigError([Problem("--since", "config/bad_date", given=args.since)]) from error
        since = datetime.combine(day, datetime.min.time(), tzinfo=settings.zone)
    now = utcnow()
    with opened(settings, out.texts) as deployment, deployment.session() as session:
        playbooks = deployment.playbooks
        visits = export.records(
            session=session, playbooks=playbooks, team=args.team, rep=args.rep, since=since
        )
    data = export.render(
        visits,
        args.format,
        texts=out.texts,
        language=out.language,
        playbooks=playbooks,
        exported_at=now,
    )
    if args.out:
        Path(args.out).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
