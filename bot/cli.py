"""The `salescoach` command: one entry point, a subcommand per job, `--help` on each."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from sqlmodel import Session

from bot import access
from bot.channels.terminal.chat import TerminalChat
from bot.clock import utcnow
from bot.demo.loader import demo_team_name, load_demo
from bot.domain import Role
from bot.engine.runner import Engine
from bot.errors import ConfigError, Problem, UserError
from bot.flows import FLOWS
from bot.playbooks.loader import Playbooks, load_playbooks
from bot.settings import Language, Settings, as_language, load_settings, webhook_of
from bot.startup import prepare
from bot.storage import db
from bot.storage.models import Team
from bot.text import Texts, plain
from bot.users import first_team, team_named, terminal_user

log = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace, Settings, "Output"], int]
# Where a terminal says its language, in the order gettext reads them: the first one set decides.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


class Output:
    """Prints rendered templates as plain text in the language of the person at the terminal."""

    def __init__(self, language: Language, stream: Any = None) -> None:
        self.language = language
        self.texts = Texts()
        self.stream = stream

    def say(self, key: str, **context: Any) -> None:
        """Render `key` and print it."""
        print(plain(self.texts.render(key, self.language, **context)), file=self.stream)


def cli_language(settings: Settings | None, environ: Mapping[str, str] = os.environ) -> Language:
    """SALESCOACH_DEFAULT_LANGUAGE when it is set; else the terminal's locale when it is English
    or Chinese (LANG=en_US.UTF-8, LANGUAGE=zh_CN:en); else the deployment default, Chinese.

    With `settings` None (they did not load) the variable is read as given, so a configuration
    error is still reported in the language asked for.
    """
    if settings is not None and "default_language" in settings.model_fields_set:
        return settings.default_language
    if settings is None:
        given = environ.get("SALESCOACH_DEFAULT_LANGUAGE", "").strip().lower()
        if given in ("zh", "en"):
            return as_language(given)
    locale = next((environ[name] for name in LOCALE_VARIABLES if environ.get(name)), "")
    first = locale.split(":", 1)[0][:2].lower()  # en_US.UTF-8, zh_CN:en, en
    if first in ("zh", "en"):
        return as_language(first)
    return settings.default_language if settings is not None else "zh"


@dataclass(frozen=True)
class Opened:
    """What a command that works on the database has: built once, by `_opened`."""

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
def _opened(settings: Settings, texts: Texts) -> Iterator[Opened]:
    """Playbooks checked and an embedded database migrated first (`prepare`); disposed after."""
    prepared = prepare(settings)
    database = db.make_engine(settings.database_url)
    try:
        yield Opened(settings, prepared.playbooks, database, texts)
    finally:
        database.dispose()


def _shown_url(url: str) -> str:
    return sa.make_url(url).render_as_string(hide_password=True)


def _playbooks_check(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    directory = Path(args.directory) if args.directory else settings.playbook_dir
    playbooks = load_playbooks(directory)
    out.say("cli/playbooks_ok", directory=str(directory), counts=playbooks.counts())
    return 0


def _db_upgrade(args: argparse.Namespace, settings: Settings, out: Output) -> int:
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


def _db_current(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    out.say(
        "cli/db_current",
        database=_shown_url(settings.database_url),
        revision=db.current_revision(settings.database_url),
        head=db.head_revision(),
    )
    return 0


def _db_downgrade(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    db.downgrade(settings.database_url, args.revision)
    out.say(
        "cli/db_downgraded",
        database=_shown_url(settings.database_url),
        revision=db.current_revision(settings.database_url),
    )
    return 0


def _db_revision(args: argparse.Namespace, settings: Settings, out: Output) -> int:
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


def _chat(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """The coach in this terminal, as the given user (created on first use).

    End of input (Ctrl-D) and /quit exit 0; Ctrl-C exits 130, the shell's code for an
    interrupt, without a traceback. Either way the next `salescoach chat` resumes.
    """
    try:
        with _opened(settings, out.texts) as opened:
            with opened.session() as session:
                if args.team or args.demo:
                    name = args.team or demo_team_name(out.language)
                    team = team_named(session=session, name=name)
                else:
                    team = first_team(session=session) or team_named(
                        session=session, name=out.texts.label("default_team", out.language)
                    )
                user = terminal_user(
                    session=session,
                    handle=args.user or getpass.getuser(),
                    team=team,
                    language=out.language,
                    role=Role(args.role),
                )
                if args.demo:
                    load_demo(session=session, rep=user, language=out.language, now=utcnow())
                session.commit()
                user_id = user.id or 0
            chat = TerminalChat(opened.engine(), user_id=user_id, output=out.stream or sys.stdout)
            chat.run(sys.stdin)
    except KeyboardInterrupt:  # Ctrl-C leaves as /quit does: every step is already saved
        print(file=out.stream or sys.stdout)  # the shell's prompt then starts after the "^C"
        return 130
    return 0


def _run(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """Serve Telegram until stopped: long polling, or a webhook behind a secret token."""
    from bot.channels.telegram.app import build_application, run_polling, run_webhook

    webhook = webhook_of(settings, url=args.webhook, listen=args.listen, secret=args.secret)
    with _opened(settings, out.texts) as opened:
        application = build_application(
            settings=settings, engine=opened.engine(), db=opened.database, texts=opened.texts
        )
        if webhook is not None:
            run_webhook(application, url=webhook.url, listen=webhook.listen, secret=webhook.secret)
        else:
            run_polling(application)
    return 0


@contextmanager
def _admin_session(settings: Settings, out: Output) -> Iterator[Session]:
    """A session for an admin command, on the database `_opened` prepares."""
    with _opened(settings, out.texts) as opened, opened.session() as session:
        yield session


def _local(moment: datetime | None, settings: Settings) -> str | None:
    """An instant as the team's local date and time, for admins reading a list."""
    return moment.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M") if moment else None


def _team_create(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    with _admin_session(settings, out) as session:
        team = access.create_team(session=session, name=args.name)
        session.commit()
        out.say("cli/team_created", name=team.name)
    return 0


def _invite(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """Make a code; `invite list` and `invite revoke` are subcommands of the same word."""
    if not args.team:
        args.parser.error("--team is needed to make an invitation")
    with _admin_session(settings, out) as session:
        issued = access.invite(
            session=session,
            team_name=args.team,
            role=Role(args.role),
            now=utcnow(),
            expires_days=args.expires,
        )
        session.commit()
        invitation_id, code = issued.invitation.id, issued.code
        expires = _local(issued.invitation.expires_at, settings)
    from bot.channels.telegram.app import bot_username

    username = bot_username(settings)
    out.say(
        "cli/invited",
        id=invitation_id,
        team=args.team,
        role=out.texts.label(f"role_{args.role}", out.language),
        code=code,
        expires=expires,
        link=f"https://t.me/{username}?start={code}" if username else None,
    )
    return 0


def _invite_list(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    now = utcnow()
    with _admin_session(settings, out) as session:
        rows = [
            {
                "id": invitation.id,
                "team": team.name,
                "role": out.texts.label(f"role_{invitation.role.value}", out.language),
                "created": _local(invitation.created_at, settings),
                "expires": _local(invitation.expires_at, settings),
                "status": access.status_of(invitation, now=now).value,
                "used": _local(invitation.used_at, settings),
                "used_by": f"{used_by.display_name} (#{used_by.id})" if used_by else None,
                "revoked": _local(invitation.revoked_at, settings),
            }
            for invitation, team, used_by in access.invitations(
                session=session, team_name=args.team
            )
        ]
    out.say("cli/invitations", rows=rows, team=args.team)
    return 0


def _invite_revoke(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    with _admin_session(settings, out) as session:
        invitation = access.revoke(session=session, code_or_id=args.code, now=utcnow())
        team = session.get(Team, invitation.team_id)
        session.commit()
        out.say(
            "cli/invitation_revoked",
            id=invitation.id,
            team=team.name if team else "",
            role=out.texts.label(f"role_{invitation.role.value}", out.language),
        )
    return 0


def _member_list(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    with _admin_session(settings, out) as session:
        rows = [
            {
                "id": user.id,
                "name": user.display_name,
                "team": team.name,
                "role": out.texts.label(f"role_{user.role.value}", out.language),
                "active": user.is_active,
                "joined": _local(user.created_at, settings),
                "telegram": user.telegram_id is not None,
                "handle": user.handle or "",
            }
            for user, team in access.members(session=session, team_name=args.team)
        ]
    out.say("cli/members", rows=rows, team=args.team)
    return 0


def _member_change(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """deactivate, reactivate, role and move: `args.change` says which."""
    with _admin_session(settings, out) as session:
        if args.change == "role":
            user = access.set_role(session=session, name_or_id=args.member, role=Role(args.role))
        elif args.change == "moved":
            user = access.move(session=session, name_or_id=args.member, team_name=args.team)
        else:
            user = access.set_active(
                session=session, name_or_id=args.member, active=args.change == "reactivated"
            )
        team = session.get(Team, user.team_id)
        session.commit()
        out.say(
            "cli/member_changed",
            change=args.change,
            id=user.id,
            name=user.display_name,
            team=team.name if team else "",
            role=out.texts.label(f"role_{user.role.value}", out.language),
        )
    return 0


def _days(text: str) -> float:
    """--expires: a number of days above 0 and at most ten years."""
    try:
        days = float(text)
    except ValueError:
        days = 0.0
    if not 0 < days <= 3650:
        raise argparse.ArgumentTypeError(f"expected days above 0, at most 3650, got {text!r}")
    return days


def _export(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """Write records in a format; to a file, or to standard output."""
    from bot import export

    since = None
    if args.since:
        try:
            day = date.fromisoformat(args.since)
        except ValueError as error:
            raise ConfigError([Problem("--since", "config/bad_date", given=args.since)]) from error
        since = datetime.combine(day, datetime.min.time(), tzinfo=settings.zone)
    now = utcnow()
    with _opened(settings, out.texts) as opened, opened.session() as session:
        playbooks = opened.playbooks
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


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree; every level answers --help."""
    parser = argparse.ArgumentParser(
        prog="salescoach",
        description="SalesCoach: a coaching bot for B2B key-account sales reps. "
        "Settings come from SALESCOACH_* environment variables or a .env file.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    playbooks = commands.add_parser("playbooks", help="work with the coaching playbooks")
    playbooks_commands = playbooks.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = playbooks_commands.add_parser(
        "check", help="validate a playbook directory and print what it holds"
    )
    check.add_argument(
        "directory", nargs="?", help="directory to check (default: SALESCOACH_PLAYBOOK_DIR)"
    )
    check.set_defaults(handler=_playbooks_check)

    chat = commands.add_parser(
        "chat", help="talk to the coach in this terminal (numbered choices, typed text)"
    )
    chat.add_argument("--user", help="who you are; created on first use (default: your login)")
    chat.add_argument("--team", help="the team a new user joins (default: the first team)")
    chat.add_argument(
        "--role",
        choices=[role.value for role in Role],
        default=Role.REP.value,
        help="the role of a new user, to try /team, /review, /stats and /export (default: rep)",
    )
    chat.add_argument(
        "--demo",
        action="store_true",
        help="first load a demo team (accounts, people, past visits) into your team, once",
    )
    chat.set_defaults(handler=_chat)

    run = commands.add_parser(
        "run",
        help="serve the Telegram bot (long polling, or a webhook with --webhook or "
        "SALESCOACH_WEBHOOK_URL)",
    )
    run.add_argument(
        "--webhook",
        metavar="URL",
        help="public HTTPS URL Telegram should POST to (default: SALESCOACH_WEBHOOK_URL)",
    )
    run.add_argument(
        "--listen",
        metavar="HOST:PORT",
        help="where to listen for the webhook (default: SALESCOACH_WEBHOOK_LISTEN)",
    )
    run.add_argument(
        "--secret",
        metavar="TOKEN",
        help="secret token Telegram must send back: 1-256 of A-Z a-z 0-9 _ - (default: "
        "SALESCOACH_WEBHOOK_SECRET, which ps and shell history do not show)",
    )
    run.set_defaults(handler=_run)

    team = commands.add_parser("team", help="manage teams")
    team_commands = team.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = team_commands.add_parser("create", help="create a team")
    create.add_argument("name", help="the team's name")
    create.set_defaults(handler=_team_create)

    invitation = commands.add_parser(
        "invite",
        help="print a single-use invitation code and its t.me link; list or revoke invitations",
        description="With --team: make a single-use code, printed once (only its hash is kept). "
        "With list or revoke: see or withdraw invitations.",
    )
    invitation.add_argument("--team", help="the team to join (needed to make a code)")
    invitation.add_argument(
        "--role",
        choices=[role.value for role in Role],
        default=Role.REP.value,
        help="what the new member may do (default: rep)",
    )
    invitation.add_argument(
        "--expires",
        type=_days,
        metavar="DAYS",
        help=f"days until it expires (default: {access.DEFAULT_EXPIRY_DAYS:g})",
    )
    invitation.set_defaults(handler=_invite, parser=invitation)
    invitation_commands = invitation.add_subparsers(dest="action", metavar="ACTION")
    invitations = invitation_commands.add_parser(
        "list", help="every invitation: id, team, role, created, expires, used/revoked/expired"
    )
    invitations.add_argument("--team", help="only this team's invitations")
    invitations.set_defaults(handler=_invite_list)
    revoke = invitation_commands.add_parser(
        "revoke", help="withdraw an invitation so that it admits nobody"
    )
    revoke.add_argument(
        "code", metavar="CODE_OR_ID", help="the code printed at creation, or the id from list"
    )
    revoke.set_defaults(handler=_invite_revoke)

    member = commands.add_parser(
        "member", help="list members; deactivate, reactivate, change a role or a team"
    )
    member_commands = member.add_subparsers(dest="action", required=True, metavar="ACTION")
    members = member_commands.add_parser(
        "list", help="everyone: id, name, team, role, active or deactivated, joined"
    )
    members.add_argument("--team", help="only this team's members")
    members.set_defaults(handler=_member_list)
    who = "an id from `member list`, or a name exactly as listed (case and spaces aside)"
    for action, change, text in (
        ("deactivate", "deactivated", "take access away: the bot refuses them from now on"),
        ("reactivate", "reactivated", "give a deactivated member access again"),
        ("role", "role", "make a member a rep, a manager or an admin"),
        ("move", "moved", "move a member to another team; their visits stay where they were"),
    ):
        changing = member_commands.add_parser(action, help=text)
        changing.add_argument("member", metavar="NAME_OR_ID", help=who)
        if action == "role":
            changing.add_argument("role", choices=[role.value for role in Role])
        if action == "move":
            changing.add_argument("team", metavar="TEAM", help="the team they now belong to")
        changing.set_defaults(handler=_member_change, change=change)

    exporting = commands.add_parser("export", help="export call records (JSON, CSV, XLSX, HTML)")
    exporting.add_argument("--format", choices=("json", "csv", "xlsx", "html"), default="json")
    exporting.add_argument("--team", help="only this team")
    exporting.add_argument("--rep", help="only this rep (display name)")
    exporting.add_argument("--since", metavar="YYYY-MM-DD", help="only visits planned from then")
    exporting.add_argument("--out", metavar="FILE", help="write here (default: standard output)")
    exporting.set_defaults(handler=_export)

    database = commands.add_parser("db", help="manage the database schema")
    db_commands = database.add_subparsers(dest="action", required=True, metavar="ACTION")
    upgrade = db_commands.add_parser(
        "upgrade", help="apply migrations (after checking the playbooks)"
    )
    upgrade.add_argument("--revision", default="head", help="target revision (default: head)")
    upgrade.set_defaults(handler=_db_upgrade)
    current = db_commands.add_parser("current", help="show the database's schema revision")
    current.set_defaults(handler=_db_current)
    downgrade = db_commands.add_parser("downgrade", help="roll the schema back to a revision")
    downgrade.add_argument("revision", help="target revision, or 'base' for an empty schema")
    downgrade.set_defaults(handler=_db_downgrade)
    revision = db_commands.add_parser(
        "revision", help="for developers: autogenerate a migration from model changes"
    )
    revision.add_argument("-m", "--message", required=True, help="what the migration changes")
    revision.set_defaults(handler=_db_revision)
    return parser


def configure_logging(*, verbose: bool) -> None:
    """Plain logs on stderr; httpx at WARNING because its INFO lines carry the bot token."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, load settings, dispatch; configuration problems exit 2, anything else 1."""
    args = build_parser().parse_args(argv)
    configure_logging(verbose=args.verbose)
    out = Output(cli_language(None))
    try:
        settings = load_settings()
        out.language = cli_language(settings)
        handler: Handler = args.handler
        return handler(args, settings, out)
    except ConfigError as error:
        out.say("cli/config_error", problems=error.problems)
        return 2
    except UserError as error:
        out.say(error.template, **error.context)
        return 1
    except Exception:
        log.exception("command %s failed", args.command)
        out.say("cli/unexpected")
        return 1


if __name__ == "__main__":
    sys.exit(main())
