"""Proactive coaching: once a day, each rep whose account crossed a line of nudges.yaml gets
one nudge (a reminder of kind NUDGE), the first of the playbook's order that applies.

The checks read an account's latest debriefed visits (a window query, so one pass serves every
account), the risk signals heard at the last one, and who attended them
(`stakeholder_snapshots`, after the visit): a risk signal heard; a blocker or enemy
there at each of the last N; no decision maker at any of the last N; the same one person alone
at each of the last N; and the tier's `visit_within_days` passed since the last visit with
nothing planned. The account's rep is whoever visited it last. A nudge names its account, so
the same one is not sent again for that account within `repeat_after_days`; the day's pass is
marked in `daily_runs`, so later ticks and other workers skip it, and the dedupe key (rep and
local date) keeps it to one a day per rep whatever happens.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.domain import ReminderKind, SnapshotPhase, VisitStatus
from bot.playbooks.loader import Playbooks
from bot.storage.models import (
    Account,
    Contact,
    DailyRun,
    Debrief,
    DebriefRisk,
    Reminder,
    StakeholderSnapshot,
    User,
    Visit,
)

AGAINST_US = ("blocker", "enemy")


@dataclass
class _Account:
    """What the checks need of one account: its latest debriefed visits, newest first, with
    who attended each after the visit (contact id → snapshot)."""

    account: Account
    visits: list[Visit] = field(default_factory=list)
    attended: dict[int, dict[int, StakeholderSnapshot]] = field(default_factory=dict)
    planned_ahead: bool = False
    risks: list[str] = field(default_factory=list)  # heard at the latest debriefed visit


@dataclass(frozen=True)
class Found:
    """A nudge that applies to an account: its id, the visit it hangs on, what it says."""

    nudge: str
    account_id: int
    visit_id: int
    rep_id: int
    facts: dict[str, Any]


def queue_nudges(
    *, session: Session, playbooks: Playbooks, now: datetime, zone: ZoneInfo, at: time
) -> int:
    """After `at` local time, queue today's nudge for each rep an account of theirs needs."""
    local = now.astimezone(zone)
    if local.time() < at:
        return 0
    try:
        with session.begin_nested():
            session.add(DailyRun(job="nudges", day=local.date(), ran_at=now))
    except sa.exc.IntegrityError:
        return 0  # today's nudges are queued already (an earlier tick, another worker)
    today = local.date().isoformat()
    wanted = max((nudge.visits or 1) for nudge in playbooks.nudges.nudges)
    recent = _recently_nudged(
        session=session, since=now - timedelta(playbooks.nudges.repeat_after_days)
    )
    by_rep: dict[int, list[Found]] = defaultdict(list)
    for found in find(session=session, playbooks=playbooks, now=now, visits=wanted):
        if (found.rep_id, found.account_id, found.nudge) not in recent:
            by_rep[found.rep_id].append(found)
    order: list[str] = [nudge.id for nudge in playbooks.nudges.nudges]
    queued = 0
    for rep_id, applying in by_rep.items():
        first = min(applying, key=lambda f: (order.index(f.nudge), f.account_id))
        try:
            with session.begin_nested():
                session.add(
                    Reminder(
                        user_id=rep_id,
                        kind=ReminderKind.NUDGE,
                        due_at=now,
                        visit_id=first.visit_id,
                        dedupe_key=f"nudge:{rep_id}:{today}",
                        payload={
                            "nudge": first.nudge,
                            "account_id": first.account_id,
                            "facts": first.facts,
                        },
                    )
                )
            queued += 1
        except sa.exc.IntegrityError:
            continue  # today's nudge for this rep is queued already (another worker, a retry)
    return queued


def find(*, session: Session, playbooks: Playbooks, now: datetime, visits: int) -> list[Found]:
    """Every nudge of the playbook that applies, per account of an active rep."""
    fresh = now - timedelta(days=playbooks.nudges.repeat_after_days)
    accounts = _accounts(session=session, now=now, visits=visits, risks_since=fresh)
    days = {tier.id: tier.visit_within_days for tier in playbooks.accounts.tiers}
    names = _contact_names(session, accounts)
    found: list[Found] = []
    for entry in accounts:
        latest = entry.visits[0]
        assert latest.id is not None and entry.account.id is not None
        for nudge in playbooks.nudges.nudges:
            facts = _check(nudge.id, nudge.visits or 0, entry, now, days, names)
            if facts is not None:
                found.append(Found(nudge.id, entry.account.id, latest.id, latest.rep_id, facts))
    return found


def _check(
    nudge: str,
    count: int,
    entry: _Account,
    now: datetime,
    days: dict[str, int | None],
    names: dict[int, str],
) -> dict[str, Any] | None:
    """The facts a nudge's message shows, if the account crossed its line; else None."""
    last = entry.visits[:count]
    attended = [entry.attended.get(visit.id or 0, {}) for visit in last]
    if nudge == "risk_signal":
        return {"risks": entry.risks} if entry.risks else None
    if nudge == "cadence_passed":
        limit = days.get(entry.account.tier or "")
        visited = entry.visits[0].planned_at
        if limit is None or visited is None or entry.planned_ahead:
            return None
        idle = (now - visited).days
        return {"days": idle, "every": limit} if idle > limit else None
    if len(last) < count:
        return None
    if nudge == "blocker_unaddressed":
        against = set.intersection(
            *({c for c, snap in seen.items() if snap.stance in AGAINST_US} for seen in attended)
        )
        return {"names": sorted(names[c] for c in against), "visits": count} if against else None
    if nudge == "no_decision_maker_met":
        met = any(
            snap.buying_role == "decision_maker" for seen in attended for snap in seen.values()
        )
        return None if met else {"visits": count}
    if nudge == "single_threaded":
        people = {frozenset(seen) for seen in attended}
        alone = len(people) == 1 and len(next(iter(people))) == 1
        return {"name": names[next(iter(next(iter(people))))], "visits": count} if alone else None
    return None


def _accounts(
    *, session: Session, now: datetime, visits: int, risks_since: datetime
) -> list[_Account]:
    """Accounts with a debriefed visit by an active rep, each with its latest `visits`, and
    the risk signals its latest debrief heard if written since `risks_since` (an old one is
    not nudged about for good: once, while fresh)."""
    ranked = (
        select(
            col(Visit.id).label("visit_id"),
            sa.func.row_number()
            .over(partition_by=col(Visit.account_id), order_by=col(Visit.planned_at).desc())
            .label("rank"),
        )
        .where(Visit.status == VisitStatus.DONE, col(Visit.planned_at).is_not(None))
        .subquery()
    )
    rows = session.exec(
        select(Visit, Account)
        .join(ranked, col(Visit.id) == ranked.c.visit_id)
        .join(Account, col(Account.id) == Visit.account_id)
        .where(ranked.c.rank <= visits)
        .order_by(col(Visit.account_id), col(Visit.planned_at).desc())
    ).all()
    active = set(session.exec(select(User.id).where(col(User.is_active).is_(True))).all())
    accounts: dict[int, _Account] = {}
    for visit, account in rows:
        accounts.setdefault(account.id or 0, _Account(account)).visits.append(visit)
    accounts = {key: entry for key, entry in accounts.items() if entry.visits[0].rep_id in active}
    ahead = session.exec(
        select(Visit.account_id).where(
            Visit.status == VisitStatus.PLANNED, col(Visit.planned_at) >= now
        )
    ).all()
    for account_id in ahead:
        if account_id in accounts:
            accounts[account_id].planned_ahead = True
    latest = {entry.visits[0].id: entry for entry in accounts.values()}
    for chunk in _chunks(list(latest), 500):
        heard = session.exec(
            select(Debrief.visit_id, DebriefRisk.risk_id)
            .join(Debrief, col(Debrief.id) == DebriefRisk.debrief_id)
            .where(col(Debrief.visit_id).in_(chunk), col(Debrief.created_at) >= risks_since)
            .order_by(col(DebriefRisk.risk_id))
        ).all()
        for visit_id, risk in heard:
            latest[visit_id].risks.append(risk)
    visit_ids = [visit.id for entry in accounts.values() for visit in entry.visits]
    for chunk in _chunks(visit_ids, 500):
        snapshots = session.exec(
            select(StakeholderSnapshot).where(
                col(StakeholderSnapshot.visit_id).in_(chunk),
                StakeholderSnapshot.phase == SnapshotPhase.DEBRIEF,
                col(StakeholderSnapshot.attended).is_(True),
            )
        ).all()
        by_visit = {visit.id: entry for entry in accounts.values() for visit in entry.visits}
        for snap in snapshots:
            by_visit[snap.visit_id].attended.setdefault(snap.visit_id, {})[snap.contact_id] = snap
    return list(accounts.values())


def _contact_names(session: Session, accounts: Sequence[_Account]) -> dict[int, str]:
    ids = {c for entry in accounts for seen in entry.attended.values() for c in seen}
    names: dict[int, str] = {}
    for chunk in _chunks(sorted(ids), 500):
        for contact in session.exec(select(Contact).where(col(Contact.id).in_(chunk))).all():
            names[contact.id or 0] = contact.name
    return names


def _recently_nudged(*, session: Session, since: datetime) -> set[tuple[int, int, str]]:
    """(rep, account, nudge) of the nudges queued since `since`."""
    rows = session.exec(
        select(Reminder).where(Reminder.kind == ReminderKind.NUDGE, col(Reminder.due_at) >= since)
    ).all()
    return {
        (row.user_id, int(row.payload.get("account_id", 0)), str(row.payload.get("nudge")))
        for row in rows
    }


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def sent_since(
    *, session: Session, user_ids: Sequence[int], since: datetime
) -> dict[int, list[tuple[str, str]]]:
    """Per rep, the nudges queued for them since `since`, newest first: (account, nudge id)."""
    rows = session.exec(
        select(Reminder)
        .where(
            Reminder.kind == ReminderKind.NUDGE,
            col(Reminder.user_id).in_(user_ids),
            col(Reminder.due_at) >= since,
        )
        .order_by(col(Reminder.due_at).desc())
    ).all()
    account_ids = sorted({int(row.payload.get("account_id", 0)) for row in rows})
    names = {
        account.id: account.name
        for account in session.exec(select(Account).where(col(Account.id).in_(account_ids))).all()
    }
    sent: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        account = names.get(int(row.payload.get("account_id", 0)))
        if account is not None:
            sent[row.user_id].append((account, str(row.payload.get("nudge"))))
    return sent
