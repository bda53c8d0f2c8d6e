"""The `salescoach` command: one entry point, a subcommand per job, `--help` on each.

This module is the parser, logging and `main`; what a command does lives in `bot.commands`.
The parser names each handler as "module:function" there, imported only once its command
runs, so `salescoach --help` loads no database, engine or channel library.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.domain import INVITATION_DAYS, Role

if TYPE_CHECKING:
    from bot.commands.output import Output
    from bot.settings import Settings

log = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace, "Settings", "Output"], int]
Commands = (
    argparse._SubParsersAction
)  # what add_subparsers returns; argparse names it no other way
ROLES = [role.value for role in Role]


def _handled_by(command: argparse.ArgumentParser, handler: str, /, **defaults: object) -> None:
    """`handler` is "module:function" in bot.commands; `main` imports it when it runs."""
    command.set_defaults(handler=handler, **defaults)


def handler_of(reference: str) -> Handler:
    """The function a "module:function" reference names, its module imported only now."""
    module, _, name = reference.partition(":")
    handler: Handler = getattr(importlib.import_module(f"bot.commands.{module}"), name)
    return handler


def _days(text: str) -> float:
    """--expires: a number of days above 0 and at most ten years."""
    try:
        days = float(text)
    except ValueError:
        days = 0.0
    if not 0 < days <= 3650:
        raise argparse.ArgumentTypeError(f"expected days above 0, at most 3650, got {text!r}")
    return days


def _add_playbooks(commands: Commands[argparse.ArgumentParser]) -> None:
    playbooks = commands.add_parser("playbooks", help="work with the coaching playbooks")
    actions = playbooks.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check", help="validate a playbook directory and print what it holds"
    )
    check.add_argument(
        "directory", nargs="?", help="directory to check (default: SALESCOACH_PLAYBOOK_DIR)"
    )
    _handled_by(check, "playbooks:check")


def _add_chat(commands: Commands[argparse.ArgumentParser]) -> None:
    chat = commands.add_parser(
        "chat", help="talk to the coach in this terminal (numbered choices, typed text)"
    )
    chat.add_argument("--user", help="who you are; created on first use (default: your login)")
    chat.add_argument("--team", help="the team a new user joins (default: the first team)")
    chat.add_argument(
        "--role",
        choices=ROLES,
        default=Role.REP.value,
        help="the role of a new user, to try /team, /review, /stats and /export (default: rep)",
    )
    chat.add_argument(
        "--demo",
        action="store_true",
        help="first load a demo team (accounts, people, past visits) into your team, once",
    )
    _handled_by(chat, "serving:chat")


def _add_run(commands: Commands[argparse.ArgumentParser]) -> None:
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
    _handled_by(run, "serving:run")


def _add_team(commands: Commands[argparse.ArgumentParser]) -> None:
    team = commands.add_parser("team", help="manage teams")
    actions = team.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a team")
    create.add_argument("name", help="the team's name")
    _handled_by(create, "admin:create_team")


def _add_invite(commands: Commands[argparse.ArgumentParser]) -> None:
    invitation = commands.add_parser(
        "invite",
        help="print a single-use invitation code and its t.me link; list or revoke invitations",
        description="With --team: make a single-use code, printed once (only its hash is kept). "
        "With list or revoke: see or withdraw invitations.",
    )
    invitation.add_argument("--team", help="the team to join (needed to make a code)")
    invitation.add_argument(
        "--role",
        choices=ROLES,
        default=Role.REP.value,
        help="what the new member may do (default: rep)",
    )
    invitation.add_argument(
        "--expires",
        type=_days,
        metavar="DAYS",
        help=f"days until it expires (default: {INVITATION_DAYS:g})",
    )
    _handled_by(invitation, "admin:invite", parser=invitation)
    actions = invitation.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser(
        "list", help="every invitation: id, team, role, created, expires, used/revoked/expired"
    )
    listing.add_argument("--team", help="only this team's invitations")
    _handled_by(listing, "admin:list_invitations")
    revoke = actions.add_parser("revoke", help="withdraw an invitation so that it admits nobody")
    revoke.add_argument(
        "code", metavar="CODE_OR_ID", help="the code printed at creation, or the id from list"
    )
    _handled_by(revoke, "admin:revoke_invitation")


def _add_member(commands: Commands[argparse.ArgumentParser]) -> None:
    member = commands.add_parser(
        "member", help="list members; deactivate, reactivate, change a role or a team"
    )
    actions = member.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser(
        "list", help="everyone: id, name, team, role, active or deactivated, joined"
    )
    listing.add_argument("--team", help="only this team's members")
    _handled_by(listing, "admin:list_members")
    who = "an id from `member list`, or a name exactly as listed (case and spaces aside)"
    for action, change, text in (
        ("deactivate", "deactivated", "take access away: the bot refuses them from now on"),
        ("reactivate", "reactivated", "give a deactivated member access again"),
        ("role", "role", "make a member a rep, a manager or an admin"),
        ("move", "moved", "move a member to another team; their visits stay where they were"),
    ):
        changing = actions.add_parser(action, help=text)
        changing.add_argument("member", metavar="NAME_OR_ID", help=who)
        if action == "role":
            changing.add_argument("role", choices=ROLES)
        if action == "move":
            changing.add_argument("team", metavar="TEAM", help="the team they now belong to")
        _handled_by(changing, "admin:change_member", change=change)


def _add_export(commands: Commands[argparse.ArgumentParser]) -> None:
    exporting = commands.add_parser("export", help="export call records (JSON, CSV, XLSX, HTML)")
    exporting.add_argument("--format", choices=("json", "csv", "xlsx", "html"), default="json")
    exporting.add_argument("--team", help="only this team")
    exporting.add_argument("--rep", help="only this rep (display name)")
    exporting.add_argument("--since", metavar="YYYY-MM-DD", help="only visits planned from then")
    exporting.add_argument("--out", metavar="FILE", help="write here (default: standard output)")
    _handled_by(exporting, "exporting:export_records")


def _add_db(commands: Commands[argparse.ArgumentParser]) -> None:
    database = commands.add_parser("db", help="manage the database schema")
    actions = database.add_subparsers(dest="action", required=True, metavar="ACTION")
    upgrade = actions.add_parser("upgrade", help="apply migrations (after checking the playbooks)")
    upgrade.add_argument("--revision", default="head", help="target revision (default: head)")
    _handled_by(upgrade, "database:upgrade")
    current = actions.add_parser("current", help="show the database's schema revision")
    _handled_by(current, "database:report_current")
    downgrade = actions.add_parser("downgrade", help="roll the schema back to a revision")
    downgrade.add_argument("revision", help="target revision, or 'base' for an empty schema")
    _handled_by(downgrade, "database:downgrade")
    revision = actions.add_parser(
        "revision", help="for developers: autogenerate a migration from model changes"
    )
    revision.add_argument("-m", "--message", required=True, help="what the migration changes")
    _handled_by(revision, "database:autogenerate")


def _add_spin(commands: Commands[argparse.ArgumentParser]) -> None:
    spin = commands.add_parser("spin", help="read the SPIN type of questions (S, P, I, N)")
    actions = spin.add_subparsers(dest="action", required=True, metavar="ACTION")
    classify = actions.add_parser(
        "classify",
        help="read questions from standard input, one a line; write "
        "TYPE<TAB>CONFIDENCE<TAB>question for each line (TYPE is S, P, I or N)",
    )
    classify.add_argument(
        "--lang",
        choices=("zh", "en"),
        help="the language of every line (default: read from each line: any CJK is zh)",
    )
    _handled_by(classify, "spin:classify")
    train = actions.add_parser(
        "train", help="for developers: write spin/model.json from the labelled questions"
    )
    _handled_by(train, "spin:train")


# The command groups, in the order `salescoach --help` lists them.
GROUPS = (
    _add_playbooks,
    _add_chat,
    _add_run,
    _add_team,
    _add_invite,
    _add_member,
    _add_export,
    _add_db,
    _add_spin,
)


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree; every level answers --help."""
    parser = argparse.ArgumentParser(
        prog="salescoach",
        description="SalesCoach: a coaching bot for B2B key-account sales reps. "
        "Settings come from SALESCOACH_* environment variables or a .env file.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add_group in GROUPS:
        add_group(commands)
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
    args = build_parser().parse_args(argv)  # --help and usage errors exit here, loading nothing
    configure_logging(verbose=args.verbose)
    from bot.commands.output import Output, cli_language
    from bot.errors import ConfigError, UserError
    from bot.settings import load_settings

    out = Output(cli_language(None))
    try:
        settings = load_settings()
        out.language = cli_language(settings)
        return handler_of(args.handler)(args, settings, out)
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
