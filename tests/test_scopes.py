"""No command, button or export shows anyone a call record outside their scope.

Alice (a rep of the test team) prepares and debriefs a visit. Then people who must not see
her record try every flow: started by command and by menu tap with her visit's and her
account's ids as arguments, and then every button each of those first replies offers. What
her record alone holds (her SPIN answer, her next step) must never reach them; another
team must not even learn her account's name. Her own manager sees it all.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot import export
from bot.domain import Role
from bot.engine.events import Command, Tap
from bot.engine.output import Reply
from bot.flows import FLOWS
from bot.storage import scopes
from bot.storage.models import Team, User, Visit
from tests.engine.chat import Chat, add_user, play
from tests.engine.scripts import SCRIPTS

ANSWER = "cut fuel cost"  # Alice's SPIN answer: in her record and transcript only
NEXT_STEP = "Wuxi plant"  # her next step
ACCOUNT = "Huadong Heavy Truck"
MANAGER = Role.MANAGER


@pytest.fixture
def alices_visit(rep_en: Chat, database) -> tuple[int, int]:
    prep, debrief = SCRIPTS["en"]
    play(rep_en, prep + debrief)
    with Session(database) as session:
        visit = session.exec(select(Visit)).one()
        return visit.id, visit.account_id


@pytest.fixture
def west(database) -> int:
    with Session(database) as session:
        team = Team(name="West")
        session.add(team)
        session.commit()
        return team.id


def everything_seen(chat: Chat, visit_id: int, account_id: int) -> str:
    """Every flow by command and by menu tap with Alice's ids, then every first button."""
    seen: list[str] = []

    def note(replies: list[Reply]) -> None:
        for reply in replies:
            seen.append(reply.text)
            seen.extend(a.content.decode("utf-8", "replace") for a in reply.attachments)

    starts = []
    for flow in FLOWS:
        for argument in ("", str(visit_id), str(account_id)):
            starts.append(Command(flow.id, argument))
            starts.append(Tap(f"m.{flow.id}:{argument}" if argument else f"m.{flow.id}"))
    for start in starts:
        note(chat.send(start))
        shown = chat.with_buttons
        if shown is None:
            continue
        for button in shown.all_buttons():
            note(chat.send(start))
            note(chat.send(Tap(button.value)))
            for typed in ("alice", "Huadong"):  # a typed search where one is asked for
                note(chat.say(typed))
            chat.command("cancel")
    return "\n".join(seen)


def seen_by(make_engine_for, database, team: int, alices_visit, *, name: str, role: Role) -> str:
    """Everything a new person of `team` with `role` is shown of Alice's visit and account."""
    person = Chat(make_engine_for(), add_user(database, team, name=name, language="en", role=role))
    return everything_seen(person, *alices_visit)


def test_a_teammate_never_sees_alices_record(alices_visit, database, team_id, make_engine_for):
    bob = Chat(make_engine_for(), add_user(database, team_id, name="bob", language="en"))
    seen = everything_seen(bob, *alices_visit)
    assert ANSWER not in seen and NEXT_STEP not in seen


@pytest.mark.parametrize("role", [Role.REP, Role.MANAGER])
def test_another_team_never_sees_alices_record_or_account(
    role, alices_visit, database, west, make_engine_for
) -> None:
    seen = seen_by(make_engine_for, database, west, alices_visit, name="wu", role=role)
    assert ANSWER not in seen and NEXT_STEP not in seen and ACCOUNT not in seen


def test_her_manager_sees_her_record_through_the_same_doors(
    alices_visit, database, team_id, make_engine_for
) -> None:
    seen = seen_by(make_engine_for, database, team_id, alices_visit, name="max", role=MANAGER)
    assert ANSWER in seen and NEXT_STEP in seen and ACCOUNT in seen


@pytest.fixture
def alice_moved_west(alices_visit, rep_en: Chat, database, west) -> tuple[int, int]:
    """Alice's visit was made in her first team; then she moves to West."""
    with Session(database) as session:
        alice = session.get(User, rep_en.user_id)
        alice.team_id = west
        session.add(alice)
        session.commit()
    return alices_visit


def test_after_alice_moves_the_new_teams_manager_never_sees_her_old_record(
    alice_moved_west, database, west, make_engine_for
) -> None:
    seen = seen_by(make_engine_for, database, west, alice_moved_west, name="wen", role=MANAGER)
    assert ANSWER not in seen and NEXT_STEP not in seen and ACCOUNT not in seen


def test_after_alice_moves_her_old_manager_still_sees_her_record_through_the_same_doors(
    alice_moved_west, database, team_id, make_engine_for
) -> None:
    seen = seen_by(make_engine_for, database, team_id, alice_moved_west, name="max", role=MANAGER)
    assert ANSWER in seen and NEXT_STEP in seen and ACCOUNT in seen


def test_after_alice_moves_her_old_visits_stay_hers_and_her_new_ones_belong_to_the_new_team(
    alice_moved_west, rep_en: Chat, database, team_id, west, playbooks
) -> None:
    old_visit, _ = alice_moved_west
    prep, _ = SCRIPTS["en"]
    play(rep_en, prep)
    east_manager = add_user(database, team_id, name="max", language="en", role=Role.MANAGER)
    west_manager = add_user(database, west, name="wen", language="en", role=Role.MANAGER)
    with Session(database) as session:
        new_visit = session.exec(select(Visit).where(Visit.id != old_visit)).one()
        assert (session.get(Visit, old_visit).team_id, new_visit.team_id) == (team_id, west)

        def visible(user_id: int) -> set[int]:
            viewer = session.get(User, user_id)
            return set(session.exec(scopes.scope_visits(select(Visit.id), viewer=viewer)).all())

        assert visible(rep_en.user_id) == {old_visit, new_visit.id}, "her records stay hers"
        assert visible(east_manager) == {old_visit}
        assert visible(west_manager) == {new_visit.id}
        exported = {
            record["visit_id"]: record["team"]
            for record in export.records(session=session, playbooks=playbooks)
        }
        assert exported == {old_visit: "East", new_visit.id: "West"}, "the visit's team"
        viewer = session.get(User, east_manager)
        east_people = scopes.visible_people(session=session, viewer=viewer)
        assert "alice" in {person.display_name for person in east_people}, "/team, /review"
