"""/help lists every command its reader may use, in their language, and returns to the step."""

from __future__ import annotations

from bot.domain import Role
from tests.engine.chat import Chat, add_user


def test_a_reps_help_lists_a_reps_commands_only(rep_en: Chat) -> None:
    rep_en.command("help")
    assert "/prep Prepare a visit" in rep_en.text
    assert "/debrief Debrief a visit" in rep_en.text
    assert "/cancel Stop the current step" in rep_en.text
    assert "/stats" not in rep_en.text and "/review" not in rep_en.text


def test_a_managers_help_lists_the_managers_commands_too(
    database, team_id, make_engine_for
) -> None:
    manager = Chat(
        make_engine_for(),
        add_user(database, team_id, name="Max", language="zh", role=Role.MANAGER),
    )
    manager.command("help")
    for command in ("/prep", "/team", "/review", "/stats", "/export", "/help", "/cancel"):
        assert command in manager.text
    assert "/thread" not in manager.text, "opened from a notification, not a command"
    assert "/prep 拜访前准备" in manager.text
    assert "/stats 团队数据与图表（销售经理）" in manager.text


def test_help_in_the_middle_of_a_step_shows_that_step_again(rep_en: Chat) -> None:
    rep_en.command("prep")
    rep_en.say("help")
    assert "/debrief" in rep_en.text
    assert "Which account are you visiting?" in rep_en.text
