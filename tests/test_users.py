"""bot.users keeps what is known about a user: the stored row is the spec, on both databases."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from bot import users
from bot.storage.db import make_engine
from bot.storage.models import Team, User


@pytest.mark.parametrize(("before", "chosen"), [("zh", "en"), ("en", "zh"), ("en", "en")])
def test_a_chosen_language_is_kept_on_the_user(db_url: str, before: str, chosen: str) -> None:
    engine = make_engine(db_url)
    with Session(engine) as session:
        team = Team(name="East")
        session.add(team)
        session.flush()
        user = User(handle="alice", display_name="Alice", language=before, team_id=team.id)
        session.add(user)
        session.commit()
        users.set_language(session=session, user=user, language=chosen)
        session.commit()
        user_id = user.id
    with Session(engine) as session:
        stored = session.get(User, user_id)
        assert stored is not None and stored.language == chosen
    engine.dispose()
