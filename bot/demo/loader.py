"""Load the demo team: real rows, dated relative to `now`, loaded once per database."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from sqlmodel import Session, col, select

from bot.coaching.record import visit_facts
from bot.domain import Outcome, SnapshotPhase, SpinType, StageSubject, VisitStatus
from bot.settings import Language
from bot.storage.models import (
    Account,
    Contact,
    Debrief,
    SpinItem,
    StageChange,
    StakeholderSnapshot,
    Team,
    User,
    Visit,
)

DEMO_FILE = Path(__file__).resolve().parent / "team.yaml"


def demo_team_name(language: Language) -> str:
    """The demo team's name in `language`."""
    data = YAML(typ="safe", pure=True).load(DEMO_FILE.read_text(encoding="utf-8"))
    return str(data["team"][language])


def load_demo(*, session: Session, rep: User, language: Language, now: datetime) -> Team:
    """Create the demo team's accounts, people and visits for `rep`; a second call is a no-op."""
    data = YAML(typ="safe", pure=True).load(DEMO_FILE.read_text(encoding="utf-8"))

    def text(value: Any) -> Any:
        return value.get(language) if isinstance(value, dict) else value

    team = session.get(Team, rep.team_id)
    assert team is not None and team.id is not None and rep.id is not None
    first = text(data["accounts"][0]["name"])
    if session.exec(
        select(Account).where(Account.team_id == team.id, Account.name == first)
    ).first():
        return team
    for spec in data["accounts"]:
        account = Account(
            team_id=team.id,
            name=text(spec["name"]),
            tier=spec.get("tier"),
            lifecycle_stage=spec.get("lifecycle_stage"),
            sales_stage=spec.get("sales_stage"),
            owner_id=rep.id,
            created_at=now,
            updated_at=now,
        )
        session.add(account)
        session.flush()
        assert account.id is not None
        people: dict[str, Contact] = {}
        for person in spec.get("contacts", []):
            contact = Contact(
                account_id=account.id,
                name=text(person["name"]),
                title=text(person.get("title")),
                buying_role=person.get("buying_role"),
                stance=person.get("stance"),
                influence=person.get("influence"),
                relationship_stage=person.get("relationship_stage"),
                personal_wins=text(person.get("personal_wins")),
                created_at=now,
                updated_at=now,
            )
            session.add(contact)
            session.flush()
            people[person["key"]] = contact
        for visit_spec in spec.get("visits", []):
            _visit(
                session, visit_spec, account=account, rep=rep, people=people, now=now, text=text
            )
    session.flush()
    for debrief, visit in session.exec(
        select(Debrief, Visit)
        .join(Visit, col(Visit.id) == Debrief.visit_id)
        .join(Account, col(Account.id) == Visit.account_id)
        .where(Account.team_id == team.id, col(Debrief.facts).is_(None))
    ).all():
        debrief.facts = visit_facts(session=session, visit=visit).as_dict()
        session.add(debrief)
    session.flush()
    return team


def _visit(
    session: Session,
    spec: dict[str, Any],
    *,
    account: Account,
    rep: User,
    people: dict[str, Contact],
    now: datetime,
    text: Any,
) -> None:
    done = "outcome" in spec
    when = (
        now - timedelta(days=spec["days_ago"])
        if done
        else now + timedelta(hours=spec["planned_in_hours"])
    )
    visit = Visit(
        account_id=account.id or 0,
        rep_id=rep.id or 0,
        team_id=rep.team_id,
        planned_at=when,
        objective_best=text(spec.get("objective_best")),
        objective_minimum=text(spec.get("objective_minimum")),
        status=VisitStatus.DONE if done else VisitStatus.PLANNED,
        created_at=when - timedelta(days=1),
        updated_at=when,
    )
    session.add(visit)
    session.flush()
    assert visit.id is not None
    for position, question in enumerate(spec.get("questions", [])):
        session.add(
            SpinItem(
                visit_id=visit.id,
                position=position,
                spin_type=SpinType(question["type"]),
                question=text(question["text"]),
                planned=True,
                asked=question.get("asked") if done else None,
                answer=text(question.get("answer")),
            )
        )
    phases = [SnapshotPhase.PREP, SnapshotPhase.DEBRIEF] if done else [SnapshotPhase.PREP]
    for key in spec.get("attendees", []):
        contact = people[key]
        for phase in phases:
            session.add(
                StakeholderSnapshot(
                    visit_id=visit.id,
                    contact_id=contact.id or 0,
                    phase=phase,
                    buying_role=contact.buying_role,
                    stance=contact.stance,
                    influence=contact.influence,
                    relationship_stage=contact.relationship_stage,
                    created_at=when,
                )
            )
    for change in spec.get("stage_changes", []):
        session.add(
            StageChange(
                subject=StageSubject.CONTACT,
                account_id=account.id or 0,
                contact_id=people[change["contact"]].id,
                visit_id=visit.id,
                from_stage=change["from"],
                to_stage=change["to"],
                evidence=text(change.get("evidence")),
                changed_by_id=rep.id,
                changed_at=when,
            )
        )
    if done:
        due = spec.get("next_step_due_days")
        session.add(
            Debrief(
                visit_id=visit.id,
                rep_id=visit.rep_id,
                team_id=visit.team_id,
                outcome=Outcome(spec["outcome"]),
                next_step=text(spec.get("next_step")),
                next_step_due=(now + timedelta(days=due)).date() if due is not None else None,
                created_at=when,
            )
        )
