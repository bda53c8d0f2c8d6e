"""The reads /review and the comment thread share (bot.storage.repo), on SQLite and PostgreSQL.

East has reps Alice and Bob and manager Max; West has manager Wen; Ada is an admin. Each test
stores rows directly and asserts on what the query gives back.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import Session

from bot.domain import FlowStatus, Outcome, Role, Speaker
from bot.storage import repo
from bot.storage.db import make_engine
from bot.storage.models import (
    Account,
    CoachingComment,
    FlowSession,
    TranscriptLine,
    User,
)
from tests.visits import NOW, add_people, add_visit


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    engine = make_engine(db_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture
def people(session: Session) -> dict[str, User]:
    return add_people(
        session,
        ("Alice", Role.REP, "East"),
        ("Bob", Role.REP, "East"),
        ("Max", Role.MANAGER, "East"),
        ("Wen", Role.MANAGER, "West"),
        ("Ada", Role.ADMIN, "West"),
    )


@pytest.fixture
def acme(session: Session, people: dict[str, User]) -> Account:
    account = Account(team_id=people["Alice"].team_id, name="ACME")
    session.add(account)
    session.flush()
    return account


# --- a visit by its id ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [("Alice", True), ("Bob", False), ("Max", True), ("Wen", False), ("Ada", True)],
)
def test_a_visit_is_found_by_id_only_by_those_who_may_see_it(
    session: Session, people: dict[str, User], acme: Account, viewer: str, sees: bool
) -> None:
    visit = add_visit(session, people["Alice"], acme, days_ago=1)
    assert visit.id is not None
    found = repo.visible_visit(session=session, viewer=people[viewer], visit_id=visit.id)
    assert (found.id if found else None) == (visit.id if sees else None)


def test_an_unknown_visit_id_finds_nothing(session: Session, people: dict[str, User]) -> None:
    assert repo.visible_visit(session=session, viewer=people["Ada"], visit_id=999) is None


# --- a rep's latest visits --------------------------------------------------------------------


def test_a_reps_latest_visits_come_newest_first_with_account_and_debrief_where_done(
    session: Session, people: dict[str, User], acme: Account
) -> None:
    alice = people["Alice"]
    old = add_visit(session, alice, acme, days_ago=9, outcome=Outcome.CONTINUATION)
    new = add_visit(session, alice, acme, days_ago=1)
    add_visit(session, people["Bob"], acme, days_ago=0.5)
    assert alice.id is not None
    rows = repo.latest_rep_visits(session=session, viewer=people["Max"], rep_id=alice.id, limit=10)
    assert [
        (visit.id, account.name, debrief.outcome if debrief else None)
        for visit, account, debrief in rows
    ] == [(new.id, "ACME", None), (old.id, "ACME", Outcome.CONTINUATION)]


def test_a_reps_latest_visits_stop_at_the_limit(
    session: Session, people: dict[str, User], acme: Account
) -> None:
    alice = people["Alice"]
    made = [add_visit(session, alice, acme, days_ago=days) for days in (5, 4, 3, 2, 1)]
    assert alice.id is not None
    rows = repo.latest_rep_visits(session=session, viewer=alice, rep_id=alice.id, limit=3)
    assert [visit.id for visit, _, _ in rows] == [visit.id for visit in made[:1:-1]]


@pytest.mark.parametrize(("viewer", "count"), [("Bob", 0), ("Wen", 0), ("Max", 1), ("Ada", 1)])
def test_a_reps_latest_visits_are_listed_only_within_the_viewers_scope(
    session: Session, people: dict[str, User], acme: Account, viewer: str, count: int
) -> None:
    alice = people["Alice"]
    add_visit(session, alice, acme, days_ago=1)
    assert alice.id is not None
    rows = repo.latest_rep_visits(
        session=session, viewer=people[viewer], rep_id=alice.id, limit=10
    )
    assert len(rows) == count


# --- the comment thread -----------------------------------------------------------------------


def test_a_visits_comments_come_oldest_first_with_their_authors(
    session: Session, people: dict[str, User], acme: Account
) -> None:
    visit = add_visit(session, people["Alice"], acme, days_ago=1)
    other = add_visit(session, people["Alice"], acme, days_ago=2)
    for author, text, minutes, on in (
        ("Alice", "Thanks", 5, visit),
        ("Max", "Who signs?", 1, visit),
        ("Max", "Elsewhere", 0, other),
        ("Ada", "Same minute, later row", 5, visit),
    ):
        session.add(
            CoachingComment(
                visit_id=on.id,
                author_id=people[author].id,
                text=text,
                created_at=NOW + timedelta(minutes=minutes),
            )
        )
    session.commit()
    assert visit.id is not None
    thread = repo.visit_comments(session=session, visit_id=visit.id)
    assert [(author.display_name, comment.text) for comment, author in thread] == [
        ("Max", "Who signs?"),
        ("Alice", "Thanks"),
        ("Ada", "Same minute, later row"),
    ]


# --- the transcript ---------------------------------------------------------------------------


def test_a_visits_transcript_is_each_linked_flows_lines_in_order_prep_first(
    session: Session, people: dict[str, User], acme: Account
) -> None:
    alice = people["Alice"]
    visit = add_visit(session, alice, acme, days_ago=1)
    assert alice.id is not None and visit.id is not None

    def run(flow: str, minutes: int, linked: bool, lines: list[tuple[int, Speaker, str]]) -> None:
        flow_session = FlowSession(
            user_id=alice.id or 0,
            flow=flow,
            visit_id=visit.id if linked else None,
            status=FlowStatus.DONE,
            started_at=NOW + timedelta(minutes=minutes),
        )
        session.add(flow_session)
        session.flush()
        for seq, speaker, text in lines:
            session.add(
                TranscriptLine(
                    session_id=flow_session.id or 0,
                    seq=seq,
                    speaker=speaker,
                    text=text,
                    created_at=NOW,
                )
            )
        session.commit()

    run("debrief", 60, True, [(2, Speaker.USER, "advance"), (1, Speaker.BOT, "How did it go?")])
    run("prep", 0, True, [(1, Speaker.BOT, "Which account?"), (2, Speaker.USER, "ACME")])
    run("prep", 30, False, [(1, Speaker.BOT, "Not this visit's")])
    lines = repo.visit_transcript(session=session, visit_id=visit.id)
    assert [(flow_session.flow, line.seq, line.text) for line, flow_session in lines] == [
        ("prep", 1, "Which account?"),
        ("prep", 2, "ACME"),
        ("debrief", 1, "How did it go?"),
        ("debrief", 2, "advance"),
    ]
