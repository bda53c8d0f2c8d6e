"""Over Telegram nothing is dropped or lost: redelivered taps, reused update ids, crashes."""

from __future__ import annotations

import asyncio
import logging

from tests.channels.telegram_harness import Phone, running
from tests.fake_bot_api import FakeBotAPI, TelegramUser

ALICE = TelegramUser(4242, "Alice", "en-GB")


def errors_logged(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


def sent_texts(api: FakeBotAPI, since: int) -> list[str]:
    return [
        call.params["text"]
        for call in api.calls[since:]
        if call.ok and call.method in ("sendMessage", "editMessageText")
    ]


def test_a_redelivered_tap_is_applied_once_without_an_error(
    fake_bot_api, build_bot, invitation, caplog
) -> None:
    """Telegram redelivers an update whose offset was never confirmed (a crash, a restart)."""

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await phone.command("start", invitation())
            await phone.command("prep")
            await phone.say("Huadong Heavy Truck")
            message, data = phone.button("Create")
            update = ALICE.tap(message, data, query_id="q-redelivered")
            first = await phone.deliver(update)
            assert any("Which tier" in text for text in first), first
        async with running(build_bot()) as bot:  # restarted; the same update comes again
            phone = Phone(fake_bot_api, bot, ALICE)
            before = len(fake_bot_api.calls)
            again = await phone.deliver(update)
            assert again == []
            [answer] = [
                c for c in fake_bot_api.calls[before:] if c.method == "answerCallbackQuery"
            ]
            assert not answer.ok, "the fake Bot API refuses a second answer, as Telegram does"
            went_on = await phone.tap("Core")
            assert went_on and not any("Which tier" in text for text in went_on), went_on

    with caplog.at_level(logging.INFO):
        asyncio.run(scenario())
    assert errors_logged(caplog) == []


def test_a_tap_whose_query_is_too_old_is_still_applied(
    fake_bot_api, build_bot, invitation, caplog
) -> None:
    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await phone.command("start", invitation())
            await phone.command("prep")
            await phone.say("Huadong Heavy Truck")
            message, data = phone.button("Create")
            fake_bot_api.answered.add("q-old")  # answered long ago: Telegram refuses it now
            said = await phone.deliver(ALICE.tap(message, data, query_id="q-old"))
            assert any("Which tier" in text for text in said), said

    with caplog.at_level(logging.INFO):
        asyncio.run(scenario())
    assert errors_logged(caplog) == []
