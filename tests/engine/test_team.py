"""Managers see their team's figures; reps cannot; nobody sees another team's records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from bot.domain import Outcome, Role, VisitStatus
from bot.storage import scopes
from bot.storage.models import Account, Debrief, FlowState, Team, User, Visit
from tests.conftest import START
from tests.engine.chat import Chat, add_user, every_page


@pytest.fixture
def teams(database, team_id):
    """East: reps Amy and Bo, manager Max; West: rep Wu, admin Ada. Known dates and outcomes."""
    with Session(database) as session:
        west = Team(name="West")
        session.add(west)
        session.flush()
        people = {}
        for name, role, team in (
            ("Amy", Role.REP, team_id),
            ("Bo", Role.REP, team_id),
            ("Max", Role.MANAGER, team_id),
            ("Wu", Role.REP, west.id),
            ("Ada", Role.ADMIN, west.id),
        ):
            user = User(handle=name, display_name=name, language="en", role=role, team_id=team)
            session.add(user)
            session.flush()
            people[name] = user.id
        east_account = Account(team_id=team_id, name="ACME")
        west_account = Account(team_id=west.id, name="Globex")
        session.add_all([east_account, west_account])
        session.flush()

        def visit(rep: str, account: Account, days_ago: float, outcome: Outcome | None) -> None:
            when = START - timedelta(days=days_ago)
            v = Visit(
                account_id=account.id,
                rep_id=people[rep],
                team_id=account.team_id,
                planned_at=when,
                created_at=when,
                updated_at=when,
                status=VisitStatus.DONE if outcome else VisitStatus.PLANNED,
            )
            session.add(v)
            session.flush()
            if outcome:
                debrief = Debrief(
                    visit_id=v.id,
                    rep_id=v.rep_id,
                    team_id=v.team_id,
                    outcome=outcome,
                    created_at=when,
                )
                session.add(debrief)

        visit("Amy", east_account, 1, Outcome.ADVANCE)
        visit("Amy", east_account, 2, Outcome.CONTINUATION)
        visit("Amy", east_account, 20, Outcome.ORDER)
        visit("Amy", east_account, 0.5, None)
        visit("Bo", east_account, 40, Outcome.NO_SALE)
        visit("Wu", west_account, 1, Outcome.ADVANCE)
        session.commit()
    return people


def test_a_manager_sees_each_reps_figures_for_7_and_30_days(teams, make_engine_for) -> None:
    manager = Chat(make_engine_for(), teams["Max"])
    manager.command("team")
    text = manager.text
    assert "Amy: prepared 3/4 · debriefed 2/3 · advance 67%" in text
    assert "Bo: prepared 0/0 · debriefed 0/0 · advance —" in text
    assert "Wu" not in text and "Globex" not in text


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_team_of_a_dozen_reps_comes_in_pages_that_each_fit_a_phone(
    teams, make_engine_for, database, team_id, language
) -> None:
    names = [f"Rep {number:02d}" for number in range(1, 13)]
    for name in names:
        add_user(database, team_id, name=name, language="en")
    with Session(database) as session:
        session.get(User, teams["Max"]).language = language
        session.commit()
    manager = Chat(make_engine_for(), teams["Max"])
    manager.command("team")
    report, _ = every_page(manager, more={"en": "More", "zh": "更多"}[language])
    assert all(name in report for name in ["Amy", *names]), "every rep on some page"
    assert "2/" in report, "more than one page"


def test_open_flags_come_from_the_reps_latest_debrief(teams, make_engine_for) -> None:
    manager = Chat(make_engine_for(), teams["Max"])
    manager.command("team")
    amy = manager.text.split("Amy:", 1)[1].split("\n")
    assert "❗" in amy[1]
    assert "No questions recorded" in amy[1] and "No coach" in amy[1]


def test_a_rep_cannot_open_the_team_view(teams, make_engine_for, database) -> None:
    rep = Chat(make_engine_for(), teams["Amy"])
    rep.command("team")
    assert "/team is for managers" in rep.text
    with Session(database) as session:
        assert session.get(FlowState, teams["Amy"]) is None


def test_an_admin_sees_every_team(teams, make_engine_for) -> None:
    admin = Chat(make_engine_for(), teams["Ada"])
    admin.command("team")
    assert "Amy:" in admin.text and "Wu:" in admin.text and "Ada:" not in admin.text


@pytest.mark.parametrize(
    ("viewer", "visible"), [("Amy", 4), ("Bo", 1), ("Wu", 1), ("Max", 5), ("Ada", 6)]
)
def test_the_scope_of_visits_follows_role_and_team(teams, database, viewer, visible) -> None:
    with Session(database) as session:
        user = session.get(User, teams[viewer])
        count = session.exec(
            scopes.scope_visits(select(func.count()).select_from(Visit), viewer=user)
        ).one()
    assert count == visible


def test_a_rep_sees_only_themselves_among_people(teams, database) -> None:
    with Session(database) as session:
        amy = session.get(User, teams["Amy"])
        assert [
            person.display_name for person in scopes.visible_people(session=session, viewer=amy)
        ] == ["Amy"]


def test_only_managers_find_the_team_view_in_their_menu(teams, make_engine_for) -> None:
    manager = Chat(make_engine_for(), teams["Max"])
    manager.command("start")
    assert "📊 Team" in manager.labels
    manager.tap("📊 Team")
    assert "Amy: prepared" in manager.text
    rep = Chat(make_engine_for(), teams["Amy"])
    rep.command("start")
    assert "📊 Team" not in rep.labels
