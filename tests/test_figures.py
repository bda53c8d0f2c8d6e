"""Team figures (/stats) on a crafted data set whose answers are worked out by hand.

East team: reps Amy and Bo, manager Max. West team: rep Wu, admin Ada. Dates are days before
START. Accounts: Alpha (Amy, core, proposal, a decision maker and a coach), Beta (Amy,
maintain, implementation: won, never visited for 200 days), Gamma (Bo, untiered,
development, two continuations in a row), Delta (Bo, optimise, no sales stage, never
visited), Globex (Wu, West).
"""

from __future__ import annotations

import io
import warnings
from datetime import timedelta

import pytest
from PIL import Image
from sqlmodel import Session

from bot.charts import cjk_font_path
from bot.coaching.record import visit_facts
from bot.domain import ObjectiveMet, Outcome, Role, SpinType, StageSubject, VisitStatus
from bot.figures import team_figures
from bot.storage.models import (
    Account,
    Contact,
    Debrief,
    SpinItem,
    StageChange,
    Team,
    User,
    Visit,
)
from tests.conftest import START
from tests.engine.chat import Chat, every_page

S, P, I, N = SpinType.SITUATION, SpinType.PROBLEM, SpinType.IMPLICATION, SpinType.NEED_PAYOFF  # noqa: E741


@pytest.fixture
def crafted(database, team_id):
    with Session(database) as session:
        west = Team(name="West")
        session.add(west)
        session.flush()
        people = {}
        for name, role, team, language in (
            ("Amy", Role.REP, team_id, "en"),
            ("Bo", Role.REP, team_id, "en"),
            ("Max", Role.MANAGER, team_id, "en"),
            ("Mei", Role.MANAGER, team_id, "zh"),
            ("Wu", Role.REP, west.id, "en"),
            ("Ada", Role.ADMIN, west.id, "en"),
        ):
            user = User(handle=name, display_name=name, language=language, role=role, team_id=team)
            session.add(user)
            session.flush()
            people[name] = user.id
        long_ago = START - timedelta(days=200)

        def account(name, owner, team, tier, stage, contacts=()):
            row = Account(
                team_id=team,
                name=name,
                owner_id=people[owner],
                tier=tier,
                sales_stage=stage,
                created_at=long_ago,
                updated_at=long_ago,
            )
            session.add(row)
            session.flush()
            for role, stance in contacts:
                session.add(
                    Contact(
                        account_id=row.id, name=f"{name} {role}", buying_role=role, stance=stance
                    )
                )
            session.flush()
            return row

        alpha = account(
            "Alpha", "Amy", team_id, "core", "proposal",
            [("decision_maker", "supporter"), ("user", "coach")],
        )  # fmt: skip
        account("Beta", "Amy", team_id, "maintain", "implementation", [("decision_maker", None)])
        gamma = account("Gamma", "Bo", team_id, None, "development", [("purchaser", "neutral")])
        account("Delta", "Bo", team_id, "optimise", None)
        globex = account("Globex", "Wu", west.id, "core", "proposal", [("decision_maker", None)])

        def visit(rep, at, days_ago, planned, asked, unplanned=(), outcome=None, met=None):
            when = START - timedelta(days=days_ago)
            row = Visit(
                account_id=at.id,
                rep_id=people[rep],
                team_id=at.team_id,
                planned_at=when,
                created_at=when,
                updated_at=when,
                status=VisitStatus.DONE if outcome else VisitStatus.PLANNED,
            )
            session.add(row)
            session.flush()
            for position, kind in enumerate(planned):
                session.add(
                    SpinItem(
                        visit_id=row.id,
                        position=position,
                        spin_type=kind,
                        question=f"{kind} question {position}",
                        planned=True,
                        asked=position in asked if outcome else None,
                    )
                )
            for kind in unplanned:
                on_the_spot = SpinItem(visit_id=row.id, spin_type=kind, question="on the spot")
                on_the_spot.planned, on_the_spot.asked = False, True
                session.add(on_the_spot)
            if outcome:
                debrief = Debrief(
                    visit_id=row.id,
                    rep_id=row.rep_id,
                    team_id=row.team_id,
                    outcome=outcome,
                    objective_met=met,
                    created_at=when,
                )
                session.add(debrief)
                session.flush()
                debrief.facts = visit_facts(session=session, visit=row).as_dict()
            session.flush()
            return row

        visit("Amy", alpha, 40, [S, S], asked={0}, outcome=Outcome.CONTINUATION)
        visit(
            "Amy", alpha, 5, [S, P, I], asked={0, 2}, unplanned=[N],
            outcome=Outcome.ADVANCE, met=ObjectiveMet.MINIMUM,
        )  # fmt: skip
        visit("Amy", alpha, -3, [N], asked=set())  # planned for later: not in the period
        visit(
            "Bo", gamma, 20, [P, P], asked={1},
            outcome=Outcome.CONTINUATION, met=ObjectiveMet.NEITHER,
        )  # fmt: skip
        visit("Bo", gamma, 10, [P, P], asked={0}, outcome=Outcome.CONTINUATION)
        visit("Wu", globex, 3, [S], asked={0}, outcome=Outcome.ORDER)

        def move(by, at, subject, before, after, days_ago):
            session.add(
                StageChange(
                    subject=subject,
                    account_id=at.id,
                    from_stage=before,
                    to_stage=after,
                    changed_by_id=people[by],
                    changed_at=START - timedelta(days=days_ago),
                )
            )

        move("Amy", alpha, StageSubject.ACCOUNT, "first_months", "stable", 5)
        move("Amy", alpha, StageSubject.CONTACT, "familiar", "stranger", 50)
        move("Bo", gamma, StageSubject.CONTACT, "personal_trust", "familiar", 10)
        move("Wu", globex, StageSubject.CONTACT, None, "familiar", 3)
        move("Amy", alpha, StageSubject.SALES, "proposal", "bidding", 5)
        move("Amy", alpha, StageSubject.SALES, "initiation", "proposal", 50)  # before the period
        move("Bo", gamma, StageSubject.SALES, "negotiation", "proposal", 10)  # a lost bid
        session.commit()
    return people


def figures_for(database, playbooks, people, viewer: str, days: int):
    with Session(database) as session:
        user = session.get(User, people[viewer])
        return team_figures(
            session=session, playbooks=playbooks, viewer=user, now=START, days=days
        )


def spin(**counts: int) -> dict[SpinType, int]:
    return {kind: counts.get(kind.name[0], 0) for kind in SpinType}


def test_each_reps_figures_over_30_days(crafted, database, playbooks) -> None:
    figures = figures_for(database, playbooks, crafted, "Max", 30)
    amy, bo = figures.by_person[crafted["Amy"]], figures.by_person[crafted["Bo"]]
    assert amy.planned == spin(S=1, P=1, I=1)
    assert amy.asked == spin(S=1, I=1, N=1)
    assert (amy.debriefs, amy.advanced, amy.advance_rate) == (1, 1, 100)
    assert (amy.open_opportunities, amy.with_decision_maker, amy.with_coach) == (1, 1, 1)
    assert (amy.stalled, amy.moves_up, amy.moves_down) == (1, 1, 0)
    assert bo.planned == spin(P=4)
    assert bo.asked == spin(P=2)
    assert (bo.debriefs, bo.advanced, bo.advance_rate) == (2, 0, 0)
    assert (bo.open_opportunities, bo.decision_maker_share, bo.coach_share) == (1, 0, 0)
    assert (bo.stalled, bo.moves_up, bo.moves_down) == (1, 0, 1)


def test_the_team_line_adds_up_the_team(crafted, database, playbooks) -> None:
    team = figures_for(database, playbooks, crafted, "Max", 30).team
    assert team.planned == spin(S=1, P=5, I=1)
    assert team.asked == spin(S=1, P=2, I=1, N=1)
    assert (team.debriefs, team.advance_rate) == (3, 33)
    assert (team.open_opportunities, team.decision_maker_share, team.coach_share) == (2, 50, 50)
    assert (team.stalled, team.moves_up, team.moves_down) == (2, 1, 1)


def test_stalled_accounts_say_why(crafted, database, playbooks) -> None:
    stalled = {
        account.name: account
        for account in figures_for(database, playbooks, crafted, "Max", 30).stalled
    }
    assert set(stalled) == {"Beta", "Gamma"}
    assert stalled["Beta"].too_long and stalled["Beta"].days_since_visit is None
    assert stalled["Gamma"].repeated and stalled["Gamma"].continuations == 2
    assert not stalled["Gamma"].too_long  # untiered: 60 days allowed, last visit 10 days ago


def test_a_shorter_period_counts_less(crafted, database, playbooks) -> None:
    figures = figures_for(database, playbooks, crafted, "Max", 7)
    assert figures.by_person[crafted["Amy"]].debriefs == 1
    assert figures.by_person[crafted["Bo"]].debriefs == 0
    assert figures.by_person[crafted["Bo"]].planned == spin()
    assert figures.team.moves_down == 0
    # Accounts describe today, whatever the period.
    assert figures.team.open_opportunities == 2 and figures.team.stalled == 2


def test_a_manager_sees_only_their_team_and_an_admin_sees_all(
    crafted, database, playbooks
) -> None:
    east = figures_for(database, playbooks, crafted, "Max", 30)
    assert {person.display_name for person in east.people} == {"Amy", "Bo", "Max", "Mei"}
    every = figures_for(database, playbooks, crafted, "Ada", 30)
    assert crafted["Wu"] in every.by_person
    assert every.team.debriefs == 4
    assert every.team.open_opportunities == 3
    assert every.team.moves_up == 2


def test_a_manager_gets_the_report_and_a_chart(crafted, make_engine_for) -> None:
    manager = Chat(make_engine_for(), crafted["Max"])
    manager.command("stats")
    assert "7 days" in manager.labels and "12 months" in manager.labels
    manager.tap("30 days")
    text, attachments = every_page(manager)
    assert "· 2/3" in text, "in pages of a phone's screen"
    assert "Team figures · last 30 days" in text
    assert "Whole team" in text and "Debriefs 3 · advance 33%" in text
    assert "Amy" in text and "Debriefs 1 · advance 100%" in text
    assert "Planned S 33% · P 33% · I 33% · N 0% (3)" in text
    assert "decision maker known 50% · coach 50%" in text
    assert "Gamma (Bo): 2 continuations in a row" in text
    assert "Beta (Amy): never visited" in text
    assert "Wu" not in text and "Globex" not in text
    [chart] = attachments  # with the first page only
    assert chart.image and chart.filename.endswith(".png")
    picture = Image.open(io.BytesIO(chart.content))
    assert picture.format == "PNG" and picture.width > 500 and picture.height > 300


def test_the_chinese_chart_has_every_glyph(crafted, make_engine_for) -> None:
    assert cjk_font_path() is not None, "the CJK font ships with the dependencies"
    manager = Chat(make_engine_for(), crafted["Mei"])
    manager.command("stats")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")
        manager.tap("90天")
    assert "团队数据 · 近90天" in manager.text
    [chart] = [a for reply in manager.last for a in reply.attachments]
    assert Image.open(io.BytesIO(chart.content)).format == "PNG"


def test_a_rep_cannot_see_team_figures(crafted, make_engine_for) -> None:
    rep = Chat(make_engine_for(), crafted["Amy"])
    rep.command("stats")
    assert "managers" in rep.text
    assert not [a for reply in rep.last for a in reply.attachments]


def test_an_empty_team_gets_figures_without_errors(database, playbooks, team_id) -> None:
    with Session(database) as session:
        manager = User(handle="Solo", display_name="Solo", role=Role.MANAGER, team_id=team_id)
        session.add(manager)
        session.commit()
        figures = team_figures(
            session=session, playbooks=playbooks, viewer=manager, now=START, days=90
        )
    assert figures.team.debriefs == 0 and figures.team.advance_rate is None
    assert figures.stalled == []


def test_sales_stage_moves_are_counted_apart_from_relationship_moves(
    crafted, database, playbooks
) -> None:
    figures = figures_for(database, playbooks, crafted, "Max", 30)
    amy, bo = figures.by_person[crafted["Amy"]], figures.by_person[crafted["Bo"]]
    assert (amy.sales_up, amy.sales_down, amy.moves_up, amy.moves_down) == (1, 0, 1, 0)
    assert (bo.sales_up, bo.sales_down, bo.moves_up, bo.moves_down) == (0, 1, 0, 1)
    assert (figures.team.sales_up, figures.team.sales_down) == (1, 1)
    longer = figures_for(database, playbooks, crafted, "Max", 90)
    assert longer.by_person[crafted["Amy"]].sales_up == 2


def test_the_report_shows_sales_stage_moves_beside_relationship_moves(
    crafted, make_engine_for
) -> None:
    manager = Chat(make_engine_for(), crafted["Max"])
    manager.command("stats")
    manager.tap("30 days")
    team = manager.text.split("Whole team", 1)[1].split("Amy", 1)[0]
    assert "relationship moves ↑1 ↓1" in team
    assert "Sales stage moves ↑1 ↓1" in team


def test_the_plan_met_counts_only_debriefs_whose_plan_set_an_objective(
    crafted, database, playbooks, make_engine_for
) -> None:
    figures = figures_for(database, playbooks, crafted, "Max", 30)
    amy, bo = figures.by_person[crafted["Amy"]], figures.by_person[crafted["Bo"]]
    assert (amy.judged, amy.objective_met) == (1, 1), "the minimum got counts as met"
    assert (bo.debriefs, bo.judged, bo.objective_met) == (2, 1, 0), "one without an objective"
    assert (figures.team.judged, figures.team.objective_met) == (2, 1)
    manager = Chat(make_engine_for(), crafted["Max"])
    manager.command("stats")
    manager.tap("30 days")
    team, rest = every_page(manager)[0].split("Whole team", 1)[1].split("Amy", 1)
    assert "Debriefs 3 · advance 33% · plan met 1/2" in team
    assert "Debriefs 1 · advance 100% · plan met 1/1" in rest
