"""The /team figures (bot.activity.team_activity), worked out by hand, on SQLite and PostgreSQL.

East: reps Amy and Bo, manager Max; West: rep Wu, admin Ada. Dates are days before NOW. Amy
made visits 0.5, 1, 2, 20 and 40 days ago (debriefed: 1 advance, 2 continuation, 20 order,
40 no sale) and one debrief dated after now; Bo made none in the month; Wu one, in West.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import Session

from bot.activity import RepActivity, team_activity
from bot.coaching.record import visit_facts
from bot.coaching.rules import feedback
from bot.domain import Outcome, Role, SpinType
from bot.playbooks.loader import Playbooks
from bot.storage.db import make_engine
from bot.storage.models import Account, Debrief, SpinItem, User, Visit
from tests.visits import NOW, add_people, add_visit


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    engine = make_engine(db_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture
def visits(session: Session) -> dict[tuple[str, float], Visit]:
    """Every visit by its rep's name and how many days ago it was made."""
    return {}


@pytest.fixture
def people(session: Session, visits: dict[tuple[str, float], Visit]) -> dict[str, User]:
    found = add_people(
        session,
        ("Amy", Role.REP, "East"),
        ("Bo", Role.REP, "East"),
        ("Max", Role.MANAGER, "East"),
        ("Wu", Role.REP, "West"),
        ("Ada", Role.ADMIN, "West"),
    )
    acme = Account(team_id=found["Amy"].team_id, name="ACME")
    globex = Account(team_id=found["Wu"].team_id, name="Globex")
    session.add_all([acme, globex])
    session.flush()
    for rep, account, days_ago, outcome in (
        ("Amy", acme, 0.5, None),
        ("Amy", acme, 1, Outcome.ADVANCE),
        ("Amy", acme, 2, Outcome.CONTINUATION),
        ("Amy", acme, 20, Outcome.ORDER),
        ("Amy", acme, 40, Outcome.NO_SALE),
        ("Bo", acme, 45, Outcome.ADVANCE),
        ("Wu", globex, 1, Outcome.ADVANCE),
    ):
        visits[rep, days_ago] = add_visit(
            session, found[rep], account, days_ago=days_ago, outcome=outcome
        )
    future = visits["Amy", 3] = add_visit(session, found["Amy"], acme, days_ago=3)
    session.add(
        Debrief(
            visit_id=future.id,
            rep_id=future.rep_id,
            team_id=future.team_id,
            outcome=Outcome.ADVANCE,
            created_at=NOW + timedelta(hours=1),
        )
    )
    session.commit()
    return found


def _counts(line: RepActivity) -> tuple:
    return line.prepared, line.debriefed, line.moved, line.advance_rate


def test_each_rep_gets_visits_prepared_and_debriefs_written_over_7_and_30_days(
    session: Session, people: dict[str, User], playbooks: Playbooks
) -> None:
    activity = team_activity(session=session, playbooks=playbooks, viewer=people["Max"], now=NOW)
    assert [person.display_name for person in activity.people] == ["Amy", "Bo", "Max"]
    # Amy: 0.5, 1, 2, 3 (its debrief is after now) and 20 days; debriefs 1, 2 and 20 days.
    assert _counts(activity.of(people["Amy"])) == ((4, 5), (2, 3), 2, 67)
    assert _counts(activity.of(people["Bo"])) == ((0, 0), (0, 0), 0, None)
    assert _counts(activity.of(people["Max"])) == ((0, 0), (0, 0), 0, None)


def test_a_manager_sees_only_their_team_and_an_admin_sees_every_team_but_no_admin(
    session: Session, people: dict[str, User], playbooks: Playbooks
) -> None:
    west = team_activity(session=session, playbooks=playbooks, viewer=people["Ada"], now=NOW)
    assert [person.display_name for person in west.people] == ["Amy", "Bo", "Max", "Wu"]
    assert _counts(west.of(people["Wu"])) == ((1, 1), (1, 1), 1, 100)
    east = team_activity(session=session, playbooks=playbooks, viewer=people["Max"], now=NOW)
    assert people["Wu"] not in east.people
    assert east.of(people["Wu"]) == RepActivity()


def test_a_rep_sees_only_their_own_line(
    session: Session, people: dict[str, User], playbooks: Playbooks
) -> None:
    activity = team_activity(session=session, playbooks=playbooks, viewer=people["Bo"], now=NOW)
    assert [person.display_name for person in activity.people] == ["Bo"]


def test_open_gaps_are_the_gap_rules_of_the_reps_latest_debriefed_visit(
    session: Session,
    people: dict[str, User],
    visits: dict[tuple[str, float], Visit],
    playbooks: Playbooks,
) -> None:
    amy = people["Amy"]
    activity = team_activity(session=session, playbooks=playbooks, viewer=people["Max"], now=NOW)
    gaps = [rule.id for rule in activity.of(amy).gaps]
    assert "no_questions" in gaps and "no_coach" in gaps
    assert all(rule.kind == "gap" for rule in activity.of(amy).gaps)
    assert activity.of(people["Max"]).gaps == ()  # nothing debriefed, nothing open
    # The latest debriefed visit is the one made 1 day ago (the 0.5-day one is not debriefed):
    # once it has a question asked, "no questions" is gone, though every older visit has none.
    latest = visits["Amy", 1]
    session.add(
        SpinItem(
            visit_id=latest.id or 0,
            position=1,
            spin_type=SpinType.IMPLICATION,
            question="What does the downtime cost?",
            planned=True,
            asked=True,
        )
    )
    session.commit()
    later = team_activity(session=session, playbooks=playbooks, viewer=people["Max"], now=NOW)
    expected = [
        rule.id
        for rule in feedback(playbooks.coaching, visit_facts(session=session, visit=latest))
        if rule.kind == "gap"
    ]
    assert [rule.id for rule in later.of(amy).gaps] == expected
    assert "no_questions" not in expected
