"""Writes what a rep knows of an account as a whole: its plan (one text per view of
account_plan.yaml), its account type, our position and what it values most (competition.yaml,
segments.yaml), and the competitors present. Only an account of the rep's own team."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.errors import UserError
from bot.storage.models import Account, AccountCompetitor, AccountPlanEntry, User

PROFILE_FIELDS = ("account_type", "our_position", "orientation")


@dataclass(frozen=True)
class PlanChange:
    """One part of an account's plan as the rep changed it; None leaves a part as it is."""

    account_id: int
    view_id: str | None = None
    text: str | None = None
    field: str | None = None  # one of PROFILE_FIELDS
    value: str | None = None
    competitors: Sequence[str] | None = None  # the whole list, as kept and added


def change_plan(*, session: Session, change: PlanChange, by: User, now: datetime) -> Account:
    """Apply `change` to an account of `by`'s team; anyone else's is refused."""
    account = session.get(Account, change.account_id)
    if account is None or account.team_id != by.team_id:
        raise UserError("errors/account_not_found")
    assert account.id is not None and by.id is not None
    if change.view_id is not None and change.text is not None:
        entry = session.get(AccountPlanEntry, (account.id, change.view_id))
        if entry is None:
            entry = AccountPlanEntry(
                account_id=account.id, view_id=change.view_id, text="", updated_by_id=by.id
            )
        entry.text, entry.updated_by_id, entry.updated_at = change.text, by.id, now
        session.add(entry)
    if change.field in PROFILE_FIELDS:
        setattr(account, change.field, change.value)
        account.updated_at = now
        session.add(account)
    if change.competitors is not None:
        _keep_competitors(session, account.id, change.competitors, now)
    session.flush()
    return account


def _keep_competitors(
    session: Session, account_id: int, names: Sequence[str], now: datetime
) -> None:
    """The account's competitors become exactly `names` (those dropped go, new ones come)."""
    present = session.exec(
        select(AccountCompetitor).where(col(AccountCompetitor.account_id) == account_id)
    ).all()
    wanted = list(dict.fromkeys(names))
    for competitor in present:
        if competitor.name not in wanted:
            session.delete(competitor)
    known = {competitor.name for competitor in present}
    for name in wanted:
        if name not in known:
            session.add(AccountCompetitor(account_id=account_id, name=name, created_at=now))
