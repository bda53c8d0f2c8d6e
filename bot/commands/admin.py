"""An admin's commands: `team create`, `invite` (make, list, revoke), `member` (list, change)."""

from __future__ import annotations

import argparse
from datetime import datetime

from bot import access
from bot.clock import utcnow
from bot.commands.deployment import admin_session
from bot.commands.output import Output
from bot.domain import Role
from bot.settings import Settings
from bot.storage.models import Team


def _local(moment: datetime | None, settings: Settings) -> str | None:
    """An instant as the team's local date and time, for admins reading a list."""
    return moment.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M") if moment else None


def create_team(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """A team by name; a name already taken is the user's error, not a second team."""
    with admin_session(settings, out) as session:
        team = access.create_team(session=session, name=args.name)
        session.commit()
        out.say("cli/team_created", name=team.name)
    return 0


def invite(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """Make a code; `invite list` and `invite revoke` are subcommands of the same word."""
    if not args.team:
        args.parser.error("--team is needed to make an invitation")
    with admin_session(settings, out) as session:
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
    # Here, not at the top: listing and revoking invitations never load python-telegram-bot.
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


def list_invitations(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """Every invitation, never its code: only the code's hash is stored."""
    now = utcnow()
    with admin_session(settings, out) as session:
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


def revoke_invitation(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """Withdraw an invitation by its code or its id, so that it admits nobody."""
    with admin_session(settings, out) as session:
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


def list_members(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """Everyone, or one team's members, with what an admin needs to name them."""
    with admin_session(settings, out) as session:
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


def change_member(args: argparse.Namespace, settings: Settings, out: Output) -> int:
    """deactivate, reactivate, role and move: `args.change` says which."""
    with admin_session(settings, out) as session:
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
