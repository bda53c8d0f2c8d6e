"""Over Telegram nothing is dropped or lost: redelivered taps, reused update ids, crashes."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sqlmodel import Session, select

from bot import outbox
from bot.channels.telegram import adapter
from bot.channels.telegram.app import build_application
from bot.engine.runner import Engine
from bot.flows import FLOWS
from bot.settings import load_settings
from bot.storage.models import ProcessedEvent
from tests.channels.telegram_harness import Phone, running
from tests.fake_bot_api import FakeBotAPI, Sent, TelegramUser, serve

ALICE = TelegramUser(4242, "Alice", "en-GB")


def errors_logged(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


async def _at_create_button(phone: Phone, code: str) -> tuple[Sent, str]:
    """Join, start /prep and type a new account: the "Create" button is on screen."""
    await phone.command("start", code)
    await phone.command("prep")
    await phone.say("Huadong Heavy Truck")
    return phone.button("Create")


def test_a_redelivered_tap_is_applied_once_without_an_error(
    fake_bot_api, build_bot, invitation, caplog
) -> None:
    """Telegram redelivers an update whose offset was never confirmed (a crash, a restart)."""

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            message, data = await _at_create_button(phone, invitation())
            update = ALICE.tap(message, data, query_id="q-redelivered")
            first = await phone.deliver(update)
            assert any("Tier: —" in text for text in first), first
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
            assert went_on and any("Tier: Core" in text for text in went_on), went_on

    with caplog.at_level(logging.INFO):
        asyncio.run(scenario())
    assert errors_logged(caplog) == []


def test_a_tap_whose_query_is_too_old_is_still_applied(
    fake_bot_api, build_bot, invitation, caplog
) -> None:
    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            message, data = await _at_create_button(phone, invitation())
            fake_bot_api.answered.add("q-old")  # answered long ago: Telegram refuses it now
            said = await phone.deliver(ALICE.tap(message, data, query_id="q-old"))
            assert any("Tier: —" in text for text in said), said

    with caplog.at_level(logging.INFO):
        asyncio.run(scenario())
    assert errors_logged(caplog) == []


# --- update ids restart -----------------------------------------------------------------------


def test_update_ids_reused_by_another_bot_on_the_same_database_are_answered(
    fake_bot_api, build_bot, invitation, sqlite_url, database, playbooks, texts, clock
) -> None:
    """A new bot token on the same database: Telegram numbers its updates anew."""
    other_api = FakeBotAPI(token="654321:OTHER-TOKEN")
    server, thread = serve(other_api)
    settings = load_settings(
        bot_token=other_api.token, bot_api_url=other_api.base_url, database_url=sqlite_url
    )
    engine = Engine(
        flows=FLOWS, db=database, texts=texts, playbooks=playbooks, settings=settings, clock=clock
    )
    other_bot = build_application(
        settings=settings, engine=engine, db=database, texts=texts, clock=clock,
        tick_seconds=3600.0, first_tick=3600.0,
    )  # fmt: skip

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await phone.command("start", invitation())
            first = await phone.command("prep")
            assert any("Which account" in text for text in first)
        async with running(other_bot) as bot:
            phone = Phone(other_api, bot, ALICE)
            said = await phone.deliver({**ALICE.message("/cancel"), "update_id": 1001})
            assert any("Cancelled" in text or "cancel" in text.lower() for text in said), said

    try:
        asyncio.run(scenario())
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_event_ids_are_forgotten_after_the_retention_window(
    fake_bot_api, build_bot, invitation, database, clock
) -> None:
    """The same bot may number its updates anew after a week without any."""

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await phone.command("start", invitation())
            await phone.deliver({**ALICE.message("/prep"), "update_id": 5})
            clock.now += outbox.EVENT_RETENTION + timedelta(hours=1)
            await bot.tick()
        async with running(build_bot()) as bot:  # restarted; ids start again
            phone = Phone(fake_bot_api, bot, ALICE)
            said = await phone.deliver({**ALICE.message("/cancel"), "update_id": 5})
            assert said, "a reused id after the window is a new message, answered"

    asyncio.run(scenario())
    with Session(database) as session:
        kept = session.exec(select(ProcessedEvent.created_at)).all()
    assert all(clock.now - at < outbox.EVENT_RETENTION for at in kept)


# --- replies survive a crash --------------------------------------------------------------------


class Killed(Exception):
    """The process dies: after the commit, before anything reaches Telegram."""


async def _killed_before_sending(*args, **kwargs) -> None:
    raise Killed


async def _crash_after_committing_prep(phone: Phone, code: str, monkeypatch) -> list[str]:
    """Join, then send /prep to a worker that dies between its commit and its send."""
    await phone.command("start", code)
    monkeypatch.setattr(adapter, "deliver", _killed_before_sending)
    said = await phone.command("prep")
    monkeypatch.undo()
    return said


def _sent_with(api: FakeBotAPI, words: str) -> list[str]:
    return [
        call.params["text"]
        for call in api.calls
        if call.ok and call.method == "sendMessage" and words in call.params["text"]
    ]


def test_a_reply_lost_in_a_crash_is_sent_once_after_a_restart_even_with_two_workers(
    fake_bot_api, build_bot, invitation, clock, monkeypatch
) -> None:
    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            said = await _crash_after_committing_prep(phone, invitation(), monkeypatch)
            assert said == [], "the crash: committed, nothing sent"
            await bot.tick()
            assert _sent_with(fake_bot_api, "Which account") == [], "its sender may be alive"
        clock.now += outbox.STALE_CLAIM + timedelta(seconds=1)
        async with (
            running(build_bot(), polling=False) as first,
            running(build_bot(), polling=False) as second,
        ):
            await asyncio.gather(first.tick(), second.tick())
            await first.tick()
            await second.tick()
        assert len(_sent_with(fake_bot_api, "Which account")) == 1
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            said = await phone.say("Huadong Heavy Truck")
            assert any("Nothing matches" in text for text in said), "the flow went on"

    asyncio.run(scenario())


def test_a_reply_that_failed_to_send_is_retried_by_the_next_tick(
    fake_bot_api, build_bot, invitation
) -> None:
    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await phone.command("start", invitation())
            fake_bot_api.fail_next("sendMessage", 502, "Bad Gateway")
            await phone.command("prep")
            assert _sent_with(fake_bot_api, "Which account") == []
            await bot.tick()
            await bot.tick()
            assert len(_sent_with(fake_bot_api, "Which account")) == 1

    asyncio.run(scenario())


def test_a_reply_too_old_to_make_sense_is_not_sent_late(
    fake_bot_api, build_bot, invitation, clock, monkeypatch
) -> None:
    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await _crash_after_committing_prep(phone, invitation(), monkeypatch)
        clock.now += outbox.MAX_AGE + timedelta(minutes=1)
        async with running(build_bot(), polling=False) as bot:
            await bot.tick()
        assert _sent_with(fake_bot_api, "Which account") == []

    asyncio.run(scenario())


def test_replies_that_failed_part_way_are_retried_from_the_first_unsent(
    fake_bot_api, build_bot, invitation
) -> None:
    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await phone.command("start", invitation())
            await phone.command("prep")
            fake_bot_api.fail_next("sendMessage", 502, "Bad Gateway", text="Which account")
            await phone.command("prep")  # "I closed your unfinished session", then the step
            await bot.tick()
        assert len(_sent_with(fake_bot_api, "I closed your unfinished session")) == 1
        assert len(_sent_with(fake_bot_api, "Which account")) == 2  # first /prep, then retry

    asyncio.run(scenario())


def test_a_stranded_reply_goes_out_before_the_next_one_for_that_user(
    fake_bot_api, build_bot, invitation, clock, monkeypatch
) -> None:
    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await _crash_after_committing_prep(phone, invitation(), monkeypatch)
        clock.now += outbox.STALE_CLAIM + timedelta(seconds=1)
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await phone.say("Huadong Heavy Truck")
        texts = [
            c.params["text"] for c in fake_bot_api.calls if c.ok and c.method == "sendMessage"
        ]
        stranded = [i for i, t in enumerate(texts) if t.startswith("<b>Prepare a visit</b>")]
        answer = next(i for i, t in enumerate(texts) if "Nothing matches" in t)
        assert len(stranded) == 1 and stranded[0] < answer

    asyncio.run(scenario())
