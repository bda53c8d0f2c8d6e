"""Telegram's command menu per role, through PTB's real stack against the fake Bot API.

What a person's menu shows is read from the fake as Telegram picks it for their chat and their
client's language (`FakeBotAPI.commands_shown`), so the assertions are on what they would see.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import Session, select
from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import BadRequest

from bot.cli import main
from bot.domain import Role
from bot.storage.models import User
from tests.channels.telegram_harness import Phone, running
from tests.fake_bot_api import FakeBotAPI, TelegramUser

REP = ["prep", "debrief", "next", "visits", "correct", "accounts", "lang", "help", "cancel"]
MANAGER = ["prep", "debrief", "next", "visits", "correct", "accounts", "lang"]
MANAGER += ["team", "review", "stats", "export"]
MANAGER += ["help", "cancel"]


def failed(api: FakeBotAPI) -> list[str]:
    return [f"{call.method}: {call.error}" for call in api.calls if not call.ok]


def member(database, team_id: int, telegram_id: int, role: Role, **values) -> int:
    with Session(database) as session:
        user = User(
            telegram_id=telegram_id,
            display_name=f"#{telegram_id}",
            role=role,
            team_id=team_id,
            **values,
        )
        session.add(user)
        session.commit()
        return user.id


def chat_calls(api: FakeBotAPI) -> list[tuple[str, int, str | None]]:
    """(method, chat, language code) of every chat-scoped command call so far."""
    return [
        (call.method, int(call.params["scope"]["chat_id"]), call.params.get("language_code"))
        for call in api.calls
        if call.method in ("setMyCommands", "deleteMyCommands")
        and call.params.get("scope", {}).get("type") == "chat"
    ]


def test_reps_see_the_rep_commands_and_managers_and_admins_theirs_in_both_languages(
    fake_bot_api, build_bot, database, team_id, texts
) -> None:
    member(database, team_id, 11, Role.REP)
    member(database, team_id, 22, Role.MANAGER, commands_role=Role.MANAGER)  # noted last run
    member(database, team_id, 33, Role.ADMIN)
    member(database, team_id, 44, Role.MANAGER, is_active=False)

    async def scenario() -> None:
        async with running(build_bot()):
            pass

    asyncio.run(scenario())
    assert failed(fake_bot_api) == []
    for language in ("en", "zh", None):
        assert fake_bot_api.commands_shown(11, language) == REP
        assert fake_bot_api.commands_shown(22, language) == MANAGER, "set again at every start"
        assert fake_bot_api.commands_shown(33, language) == MANAGER
        assert fake_bot_api.commands_shown(44, language) == REP
    zh = fake_bot_api.commands[(("chat", 22), "zh")]
    en = fake_bot_api.commands[(("chat", 22), "")]
    assert zh[MANAGER.index("team")]["description"] == texts.label("command_team", "zh")
    assert en[MANAGER.index("team")]["description"] == texts.label("command_team", "en")
    with Session(database) as session:
        noted = {user.telegram_id: user.commands_role for user in session.exec(select(User))}
    assert noted == {11: None, 22: Role.MANAGER, 33: Role.ADMIN, 44: None}


def test_someone_who_redeems_a_manager_invitation_has_the_manager_menu_at_once(
    fake_bot_api, build_bot, invitation
) -> None:
    max_, amy = TelegramUser(5150, "Max", "zh-hans"), TelegramUser(5151, "Amy", "en")

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            await Phone(fake_bot_api, bot, max_).command("start", invitation(Role.MANAGER))
            await Phone(fake_bot_api, bot, amy).command("start", invitation(Role.REP))

    asyncio.run(scenario())
    assert failed(fake_bot_api) == []
    assert fake_bot_api.commands_shown(max_.id, "zh") == MANAGER
    assert fake_bot_api.commands_shown(amy.id, "en") == REP
    assert [chat for _, chat, _ in chat_calls(fake_bot_api)] == [max_.id, max_.id]


def test_a_role_changed_from_the_cli_reaches_the_running_bot_at_its_next_tick(
    fake_bot_api, build_bot, database, team_id, sqlite_url, monkeypatch
) -> None:
    monkeypatch.setenv("SALESCOACH_DATABASE_URL", sqlite_url)
    amy = member(database, team_id, 7070, Role.REP)

    def cli(*argv: str) -> None:
        assert main(list(argv)) == 0, argv

    async def scenario() -> None:
        async with running(build_bot()) as bot:

            async def after_cli(*argv: str) -> list[str]:
                await asyncio.to_thread(cli, *argv)
                before = len(chat_calls(fake_bot_api))
                await bot.tick()
                shown = fake_bot_api.commands_shown(7070, "en")
                assert fake_bot_api.commands_shown(7070, "zh") == shown
                calls = chat_calls(fake_bot_api)[before:]
                await bot.tick()  # in step now: the next tick changes nothing
                assert chat_calls(fake_bot_api)[before + len(calls) :] == []
                return shown

            assert fake_bot_api.commands_shown(7070, "en") == REP
            assert await after_cli("member", "role", str(amy), "manager") == MANAGER
            assert await after_cli("member", "role", str(amy), "admin") == MANAGER
            assert await after_cli("member", "role", str(amy), "rep") == REP
            assert await after_cli("member", "role", str(amy), "manager") == MANAGER
            assert await after_cli("member", "deactivate", str(amy)) == REP
            assert await after_cli("member", "reactivate", str(amy)) == MANAGER

    asyncio.run(scenario())
    assert failed(fake_bot_api) == []
    deletes = [call for call in chat_calls(fake_bot_api) if call[0] == "deleteMyCommands"]
    assert deletes == [("deleteMyCommands", 7070, None), ("deleteMyCommands", 7070, "zh")] * 2


def test_a_chat_telegram_refuses_is_not_asked_again_until_the_next_start(
    fake_bot_api, build_bot, database, team_id
) -> None:
    member(database, team_id, 9090, Role.MANAGER)
    member(database, team_id, 9191, Role.MANAGER)
    fake_bot_api.gone.add(9090)  # the manager deleted their Telegram account

    def refused() -> int:
        return sum(1 for call in fake_bot_api.calls if not call.ok)

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            assert refused() == 1
            await bot.tick()
            await bot.tick()
            assert refused() == 1
        async with running(build_bot()):
            assert refused() == 2

    asyncio.run(scenario())
    assert fake_bot_api.commands_shown(9191, "en") == MANAGER, "the others are not held up"
    assert [call.error for call in fake_bot_api.calls if not call.ok] == [
        "Bad Request: chat not found"
    ] * 2


def test_the_fake_bot_api_holds_command_lists_to_telegrams_rules(fake_bot_api) -> None:
    async def scenario() -> None:
        async with Bot(fake_bot_api.token, base_url=fake_bot_api.base_url) as bot:
            for commands in (
                [BotCommand("Prep", "upper case")],
                [BotCommand("prep-now", "a hyphen")],
                [BotCommand("p" * 33, "too long")],
                [BotCommand("prep", "")],
                [BotCommand("prep", "d" * 257)],
                [BotCommand(f"c{index}", "one too many") for index in range(101)],
            ):
                with pytest.raises(BadRequest):
                    await bot.set_my_commands(commands)
            most = [BotCommand(f"c_{index}", "d" * 256) for index in range(100)]
            assert await bot.set_my_commands(most, scope=BotCommandScopeChat(1))
            assert await bot.set_my_commands([BotCommand("p" * 32, "x")], language_code="zh")
            assert len(await bot.get_my_commands(scope=BotCommandScopeChat(1))) == 100
            assert await bot.delete_my_commands(scope=BotCommandScopeChat(1))
            assert await bot.get_my_commands(scope=BotCommandScopeChat(1)) == ()

    asyncio.run(scenario())
    assert fake_bot_api.commands_shown(1, "zh") == ["p" * 32]
    assert fake_bot_api.commands_shown(1, "en") == []
