"""The same flows on Telegram, through PTB's real HTTP stack against a Telegram-like server."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from bot import access
from bot.channels.telegram.sending import deliver
from bot.clock import utcnow
from bot.domain import Role
from bot.engine.output import Reply
from bot.engine.runner import Engine
from bot.storage.models import Debrief, FlowState, Reminder, User, Visit
from bot.text import plain
from tests.channels.telegram_harness import Phone, running
from tests.engine.records import fingerprint
from tests.engine.scripts import SCRIPTS, until
from tests.fake_bot_api import FakeBotAPI, TelegramUser

ALICE = TelegramUser(4242, "Alice", "en-GB")
ZHANG = TelegramUser(8686, "张伟", "zh-hans")


def failed(api: FakeBotAPI) -> list[str]:
    return [f"{call.method}: {call.error}" for call in api.calls if not call.ok]


async def join(phone: Phone, code: str) -> list[str]:
    return await phone.command("start", code)


@pytest.mark.parametrize(("person", "language"), [(ALICE, "en"), (ZHANG, "zh")])
def test_an_invited_rep_prepares_and_debriefs_by_taps_and_the_records_match(
    person, language, fake_bot_api, build_bot, invitation, database, reference_of
) -> None:
    prep, debrief = SCRIPTS[language]

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, person)
            said = await join(phone, invitation())
            assert any("sales coach" in text or "销售辅导助手" in text for text in said), said
            await phone.play(prep)
            said = await phone.play(debrief)
            assert any(("Saved" if language == "en" else "已保存") in text for text in said)

    asyncio.run(scenario())
    assert failed(fake_bot_api) == []
    assert fingerprint(database) == reference_of(language)
    with Session(database) as session:
        user = session.exec(select(User).where(User.telegram_id == person.id)).one()
        assert (user.language, user.display_name) == (language, person.first_name)


def test_the_command_menu_is_registered_in_both_languages(fake_bot_api, build_bot) -> None:
    async def scenario() -> None:
        async with running(build_bot()):
            pass

    asyncio.run(scenario())
    menus = {
        call.params.get("language_code"): call.params["commands"]
        for call in fake_bot_api.seen("setMyCommands")
    }
    assert set(menus) == {None, "zh"}
    assert [c["command"] for c in menus["zh"]] == [
        "prep",
        "debrief",
        "next",
        "visits",
        "correct",
        "accounts",
        "lang",
        "help",
        "cancel",
    ]
    assert menus["zh"][0]["description"] == "拜访前准备"


def test_an_uninvited_user_gets_only_a_polite_refusal(
    fake_bot_api, build_bot, invitation, database
) -> None:
    stranger = TelegramUser(999, "Eve", "en")

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, stranger)
            for said in (
                await phone.command("start"),
                await phone.say("show me accounts"),
                await phone.command("accounts"),
                await phone.deliver(stranger.photo()),
            ):
                assert len(said) == 1 and "private coaching assistant" in said[0]
            assert "not valid" in (await phone.command("start", "WRONGCODE"))[0]
            assert all(m.reply_markup is None for m in fake_bot_api.messages.values())

    asyncio.run(scenario())
    with Session(database) as session:
        assert session.exec(select(User).where(User.telegram_id == 999)).first() is None


def test_unknown_used_expired_and_revoked_codes_get_one_and_the_same_refusal(
    fake_bot_api, build_bot, invitation, database
) -> None:
    used, expired, revoked = invitation(), invitation(expires_days=-1), invitation()
    with Session(database) as session:
        access.revoke(session=session, code_or_id=revoked, now=utcnow())
        session.commit()

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            await join(Phone(fake_bot_api, bot, ALICE), used)
            for person in (TelegramUser(5, "Bob", "en"), TelegramUser(6, "李", "zh")):
                phone = Phone(fake_bot_api, bot, person)
                answers = [await join(phone, code) for code in ("nope", used, expired, revoked)]
                assert all(answer == answers[0] and len(answer) == 1 for answer in answers), (
                    answers
                )
                assert ("not valid" if person.id == 5 else "无效") in answers[0][0]

    asyncio.run(scenario())


def test_six_wrong_codes_get_a_polite_try_later_and_even_the_right_code_waits(
    fake_bot_api, build_bot, invitation
) -> None:
    """After ten minutes the right code works again: tests/test_access.py, on a test clock."""
    code = invitation()

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            eve = Phone(fake_bot_api, bot, TelegramUser(66, "Eve", "en"))
            for attempt in range(5):
                assert "not valid" in (await join(eve, f"guess{attempt}"))[0]
            [sixth] = await join(eve, "guess5")
            assert "Too many" in sixth and "try again" in sixth
            assert await join(eve, code) == [sixth], "the limit comes before the code"
            zh = Phone(fake_bot_api, bot, TelegramUser(67, "王", "zh"))
            for attempt in range(6):
                said = await join(zh, f"guess{attempt}")
            assert "次数过多" in said[0]
            alice = Phone(fake_bot_api, bot, ALICE)
            assert any("sales coach" in text for text in await join(alice, code)), "others may"

    asyncio.run(scenario())


def test_a_deactivated_member_gets_only_the_refusal_for_a_message_a_tap_and_a_reminder(
    fake_bot_api, build_bot, invitation, database, clock
) -> None:
    prep, _ = SCRIPTS["en"]

    def refused_only(said: list[str]) -> None:
        assert len(said) == 1 and "private coaching assistant" in said[0], said

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await join(phone, invitation())
            await phone.play(prep)
            keyboard = phone.keyboard()
            with Session(database) as session:
                access.set_active(session=session, name_or_id="Alice", active=False)
                session.commit()
            before = len(fake_bot_api.calls)
            refused_only(await phone.say("show me my accounts"))
            refused_only(await phone.command("accounts"))
            refused_only(
                await phone.tap_data(
                    keyboard, keyboard.reply_markup["inline_keyboard"][0][0]["callback_data"]
                )
            )
            with Session(database) as session:
                reminder = session.exec(select(Reminder)).one()
            clock.now = reminder.due_at + timedelta(minutes=1)
            await bot.tick()
            sent = [
                call
                for call in fake_bot_api.calls[before:]
                if str(call.params.get("chat_id")) == str(ALICE.id)
            ]
            assert [call.method for call in sent] == ["sendMessage"] * 3, "and no reminder"
            assert all("Huadong" not in str(call.params) for call in sent)
            assert all(call.params.get("reply_markup") is None for call in sent)

    asyncio.run(scenario())
    with Session(database) as session:
        assert session.exec(select(Reminder)).one().fired_at is not None, "settled, not piling up"


def test_a_restart_in_the_middle_of_a_flow_resumes_at_the_same_question(
    fake_bot_api, build_bot, invitation, database, reference_of
) -> None:
    prep, debrief = SCRIPTS["en"]
    whole = prep + debrief
    half = len(prep) // 2

    async def first_life() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await join(phone, invitation())
            await phone.play(whole[:half])

    async def second_life() -> None:
        async with running(build_bot()) as bot:
            await Phone(fake_bot_api, bot, ALICE).play(whole[half:])

    asyncio.run(first_life())
    asyncio.run(second_life())
    assert fingerprint(database) == reference_of("en")


def test_the_same_update_delivered_twice_is_applied_once(
    fake_bot_api, build_bot, invitation, database
) -> None:
    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await join(phone, invitation())
            await phone.command("prep")
            update = ALICE.message("Huadong Heavy Truck", message_id=77)
            update["update_id"] = 555
            first = await phone.deliver(dict(update))
            again = dict(update)
            bot.done.pop(555)
            second = await phone.deliver(again)
            assert first and second == []

    asyncio.run(scenario())


def test_a_forged_button_never_shows_another_reps_visit(
    fake_bot_api, build_bot, invitation, database
) -> None:
    prep, _ = SCRIPTS["en"]

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            alice = Phone(fake_bot_api, bot, ALICE)
            await join(alice, invitation())
            await alice.play(prep)
            with Session(database) as session:
                visit_id = session.exec(select(Visit)).one().id
            bob = Phone(fake_bot_api, bot, TelegramUser(77, "Bob", "en"))
            await join(bob, invitation())
            menu = bob.keyboard()
            said = await bob.tap_data(menu, f"m.debrief:{visit_id}")
            assert "couldn't find that open visit" in said[0]
            assert all("Huadong" not in text for text in said)
            for forged in ("9.o0", "1.o999", "x" * 64, f"m.debrief:{visit_id}:1"):
                said = await bob.tap_data(bob.keyboard(), forged)
                assert all("Huadong" not in text for text in said), forged
            # Accounts are shared within a team, never across teams.
            with Session(database) as session:
                access.create_team(session=session, name="West")
                code = access.invite(
                    session=session,
                    team_name="West",
                    role=Role.REP,
                    now=utcnow(),
                    expires_days=1,
                ).code
                session.commit()
                account_id = session.exec(select(Visit)).one().account_id
            carol = Phone(fake_bot_api, bot, TelegramUser(78, "Carol", "en"))
            await join(carol, code)
            said = await carol.tap_data(carol.keyboard(), f"m.accounts:{account_id}")
            assert "couldn't find that account" in said[0]
            assert all("Huadong" not in text for text in said)
            said = await bob.tap_data(bob.keyboard(), f"m.accounts:{account_id}")
            assert any("Open /accounts anyway?" in text for text in said), "bob is mid-/debrief"
            said = await bob.tap_data(*bob.offered("Open anyway"))
            assert any("🏢 <b>Huadong Heavy Truck</b>" in text for text in said)

    asyncio.run(scenario())


def test_non_text_at_every_step_gets_a_hint_and_the_flow_stays(
    fake_bot_api, build_bot, invitation, database, reference_of
) -> None:
    prep, debrief = SCRIPTS["en"]

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await join(phone, invitation())
            for step in prep + debrief:
                said = await phone.deliver(ALICE.photo())
                assert (
                    "not a photo" in said[0]
                    or "not a photo".replace("a ", "") in said[0]
                    or "photo" in said[0]
                )
                said = await phone.deliver(ALICE.sticker())
                assert "sticker" in said[0]
                await phone.play([step])

    asyncio.run(scenario())
    assert failed(fake_bot_api) == []
    assert fingerprint(database) == reference_of("en")


def test_an_edited_message_and_an_unknown_command_get_sensible_answers(
    fake_bot_api, build_bot, invitation
) -> None:
    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await join(phone, invitation())
            await phone.command("prep")
            said = await phone.deliver(ALICE.edited("Huadong", message_id=1))
            assert "edited a message" in said[0]
            assert "Which account" in said[-1]
            said = await phone.command("frobnicate")
            assert "don't know the command /frobnicate" in said[0]

    asyncio.run(scenario())


def test_an_unexpected_error_is_apologised_for_in_the_language_the_member_chose(
    fake_bot_api, build_bot, invitation, database, monkeypatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    def database_down(**kwargs: object) -> None:
        raise sa.exc.OperationalError("SELECT", {}, Exception("connection refused"))

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ZHANG)  # a Chinese client, and so stored zh
            await join(phone, invitation())
            with Session(database) as session:  # then English, chosen with /lang
                user = session.exec(select(User).where(User.telegram_id == ZHANG.id)).one()
                user.language = "en"
                session.add(user)
                session.commit()
            monkeypatch.setattr(Engine, "handle_queued", broken)
            said = await phone.say("Huadong")
            assert len(said) == 1 and "something went wrong on my side" in said[0], said
            monkeypatch.setattr(access, "member", database_down)  # the client's, then
            said = await phone.say("Huadong")
            assert len(said) == 1 and "系统出了点问题" in said[0], said

    asyncio.run(scenario())


def test_a_long_plan_comes_in_pages_and_a_reply_over_telegrams_limit_is_split_at_line_ends(
    fake_bot_api, build_bot, invitation
) -> None:
    prep, _ = SCRIPTS["en"]
    long_prep = [
        ("say", "x " * 1900 + "end")
        if text.startswith("Agrees") or text.startswith("Sends")
        else (kind, text)
        for kind, text in prep
    ]
    over_the_limit = "\n".join(f"line {n:03d} " + "word " * 40 for n in range(40))  # 8,000+

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await join(phone, invitation())
            said = await phone.play(long_prep)
            [plan] = [text for text in said if "Call plan" in text]
            assert len(plain(plan).split("\n")) <= 30 and "end" not in plan, "the rest is paged"
            seen = plan
            for page in range(2, 10):
                try:
                    message, data = phone.offered(f"More ▸ {page}/")
                except AssertionError:
                    break
                seen += "\n".join(await phone.tap_data(message, data))
            assert "end" in seen, "the long objectives on the next pages, whole"
            sent = len(fake_bot_api.seen("sendMessage"))
            await deliver(bot.application.bot, ALICE.id, [Reply(over_the_limit)])
            chunks = [call.params["text"] for call in fake_bot_api.seen("sendMessage")[sent:]]
            assert len(chunks) == 3 and all(len(chunk) <= 4096 for chunk in chunks)
            assert "\n".join(chunks) == over_the_limit, "cut at line ends, nothing lost"

    asyncio.run(scenario())
    assert failed(fake_bot_api) == []


def test_multi_select_ticks_edit_the_message_in_place(fake_bot_api, build_bot, invitation) -> None:
    prep, _ = SCRIPTS["en"]

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await join(phone, invitation())
            await phone.play(until(prep, "questions"))
            message = phone.keyboard()
            [line] = [line for line in message.text.split("\n") if "If downtime were" in line]
            number = line.split()[1]  # "✅ 7 N If downtime were halved…"
            edits = len(fake_bot_api.seen("editMessageText"))
            await phone.tap(f"✅ {number}")
            assert len(fake_bot_api.seen("editMessageText")) == edits + 1
            assert phone.keyboard().message_id == message.message_id
            labels = [b["text"] for row in message.reply_markup["inline_keyboard"] for b in row]
            assert f"▫️ {number}" in labels
            assert f"▫️ {number} <i>N</i> If downtime were halved" in message.text

    asyncio.run(scenario())


def test_a_rate_limit_is_waited_out_and_the_reply_arrives(
    fake_bot_api, build_bot, invitation
) -> None:
    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await join(phone, invitation())
            fake_bot_api.fail_next(
                "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1
            )
            said = await phone.command("help")
            assert any("How to talk to me" in text for text in said)

    asyncio.run(scenario())


def test_an_outage_while_replying_loses_no_answer(
    fake_bot_api, build_bot, invitation, database
) -> None:
    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await join(phone, invitation())
            await phone.command("prep")
            await phone.say("Huadong Heavy Truck")
            fake_bot_api.fail_next("sendMessage", 502, "Bad Gateway")
            said = await phone.tap("Create “Huadong Heavy Truck”")
            assert said == [], "the reply was lost on the way"
            said = await phone.say("back")
            assert any("Which account" in text for text in said), (
                "the answer was saved: back returns"
            )

    asyncio.run(scenario())


def test_a_debrief_reminder_fires_once_across_a_restart(
    fake_bot_api, build_bot, invitation, database, clock
) -> None:
    prep, _ = SCRIPTS["en"]

    async def plan() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await join(phone, invitation())
            await phone.play(prep)
            await bot.tick()  # not due yet

    def reminders_sent() -> list[str]:
        return [
            c.params["text"] for c in fake_bot_api.seen("sendMessage") if "⏰" in c.params["text"]
        ]

    asyncio.run(plan())
    assert reminders_sent() == []
    with Session(database) as session:
        visit = session.exec(select(Visit)).one()
        reminder = session.exec(select(Reminder)).one()
        assert reminder.due_at == visit.planned_at + timedelta(hours=2)
    clock.now = reminder.due_at + timedelta(minutes=1)

    async def after_the_visit() -> None:
        async with running(build_bot()) as bot:
            await bot.tick()
            await bot.tick()
        async with running(build_bot()) as bot:  # a restart
            await bot.tick()
            phone = Phone(fake_bot_api, bot, ALICE)
            said = await phone.tap("Debrief now")
            assert any("Did the visit with" in text for text in said)

    asyncio.run(after_the_visit())
    assert len(reminders_sent()) == 1
    assert "Huadong Heavy Truck" in reminders_sent()[0]
    with Session(database) as session:
        assert session.exec(select(Reminder)).one().fired_at is not None


def test_an_overdue_next_step_is_reminded_once_a_day(
    fake_bot_api, build_bot, invitation, database, clock
) -> None:
    prep, debrief = SCRIPTS["en"]

    async def record() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await join(phone, invitation())
            await phone.play(prep + debrief)  # next step due 2 December

    asyncio.run(record())
    clock.now = clock.now.replace(day=4, month=12, hour=0, minute=30)  # 08:30 Shanghai: too early

    async def days() -> None:
        async with running(build_bot()) as bot:
            await bot.tick()
            clock.now += timedelta(hours=1)  # 09:30
            await bot.tick()
            await bot.tick()
            clock.now += timedelta(days=1)
            await bot.tick()

    asyncio.run(days())
    overdue = [
        c.params["text"] for c in fake_bot_api.seen("sendMessage") if "overdue" in c.params["text"]
    ]
    assert len(overdue) == 2
    assert "Site visit to the Wuxi plant" in overdue[0]


def test_the_webhook_refuses_a_wrong_secret_and_serves_the_right_one(
    fake_bot_api, build_bot, invitation
) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    async def scenario() -> None:
        async with running(build_bot(), polling=False) as bot:
            url = f"http://127.0.0.1:{port}/hook"
            await bot.application.updater.start_webhook(
                listen="127.0.0.1",
                port=port,
                url_path="hook",
                webhook_url=url,
                secret_token="s3cret-token",
            )
            assert fake_bot_api.webhook["secret_token"] == "s3cret-token"
            update = {"update_id": 9001, **ALICE.message("/start nothing")}
            async with httpx.AsyncClient() as client:
                wrong = await client.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"}
                )
                missing = await client.post(url, json=update)
                assert (wrong.status_code, missing.status_code) == (403, 403)
                right = await client.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
                )
                assert right.status_code == 200
            await asyncio.wait_for(bot.finished(9001).wait(), 10)

    asyncio.run(scenario())
    refusals = [c for c in fake_bot_api.seen("sendMessage") if "not valid" in c.params["text"]]
    assert len(refusals) == 1


def test_team_create_and_invite_print_a_code_and_its_deep_link(
    fake_bot_api, sqlite_url, monkeypatch, capsys, database
) -> None:
    from bot.cli import main
    from bot.storage.models import Invitation

    monkeypatch.setenv("SALESCOACH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "en")
    assert main(["team", "create", "North"]) == 0
    assert "Team “North” created." in capsys.readouterr().out
    assert main(["team", "create", "North"]) == 1
    assert "already exists" in capsys.readouterr().out
    monkeypatch.setenv("SALESCOACH_BOT_TOKEN", fake_bot_api.token)
    monkeypatch.setenv("SALESCOACH_BOT_API_URL", fake_bot_api.base_url)
    assert main(["invite", "--team", "North", "--role", "manager", "--expires", "3"]) == 0
    output = capsys.readouterr().out
    with Session(database) as session:
        invitation = session.exec(select(Invitation)).one()
    code = output.split("https://t.me/salescoach_bot?start=")[1].split()[0]
    assert invitation.code_hash == access.code_hash(code), "only the code's hash is stored"
    assert invitation.role == Role.MANAGER
    assert invitation.expires_at is not None
    assert main(["invite", "--team", "Nowhere"]) == 1
    assert "no team named “Nowhere”" in capsys.readouterr().out.replace("There is no", "no")


def test_an_export_arrives_as_a_telegram_document(fake_bot_api, build_bot, invitation) -> None:
    prep, debrief = SCRIPTS["en"]

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            rep = Phone(fake_bot_api, bot, ALICE)
            await join(rep, invitation())
            await rep.play(prep + debrief)
            manager = Phone(fake_bot_api, bot, TelegramUser(31, "Max", "en"))
            await join(manager, invitation(Role.MANAGER))
            await manager.command("export")
            await manager.tap("JSON")

    asyncio.run(scenario())
    assert failed(fake_bot_api) == []
    [(kind, filename, content)] = fake_bot_api.files
    assert kind == "document" and filename.endswith(".json")
    document = json.loads(content)
    assert [visit["account"]["name"] for visit in document["visits"]] == ["Huadong Heavy Truck"]


def test_a_comment_reaches_the_rep_at_once_and_the_reply_reaches_the_manager(
    fake_bot_api, build_bot, invitation
) -> None:
    prep, debrief = SCRIPTS["en"]
    max_ = TelegramUser(31, "Max", "en")

    def notices_to(person: TelegramUser) -> list[str]:
        return [
            call.params["text"]
            for call in fake_bot_api.seen("sendMessage")
            if int(call.params["chat_id"]) == person.id and "commented on" in call.params["text"]
        ]

    async def arrives(person: TelegramUser) -> str:
        for _ in range(200):  # the hourly tick never runs here: only the wake-up can send
            if notices_to(person):
                return notices_to(person)[-1]
            await asyncio.sleep(0.02)
        raise AssertionError(f"no notification reached {person.first_name}")

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            rep = Phone(fake_bot_api, bot, ALICE)
            await join(rep, invitation())
            await rep.play(prep + debrief)
            manager = Phone(fake_bot_api, bot, max_)
            await join(manager, invitation(Role.MANAGER))
            await manager.command("review")
            await manager.say("Alice")
            await manager.tap("Huadong")
            await manager.tap("Comment")
            await manager.say("Good <b>implication</b> question; add a need-payoff one.")
            notice = await arrives(ALICE)
            assert "Max</b> commented on your visit to <b>Huadong Heavy Truck" in notice
            said = await rep.tap("Open and reply")
            assert any("Good &lt;b&gt;implication&lt;/b&gt; question" in text for text in said)
            await rep.say("Thanks, will do")
            assert "Alice</b> commented on your visit" in await arrives(max_)

    asyncio.run(scenario())
    assert failed(fake_bot_api) == []


@pytest.mark.parametrize(
    ("person", "period"),
    [(TelegramUser(31, "Max", "en"), "30 days"), (TelegramUser(32, "王经理", "zh-hans"), "90天")],
)
def test_stats_arrive_as_text_and_a_photo(
    person, period, fake_bot_api, build_bot, invitation
) -> None:
    prep, debrief = SCRIPTS["en"]

    async def scenario() -> list[str]:
        async with running(build_bot()) as bot:
            rep = Phone(fake_bot_api, bot, ALICE)
            await join(rep, invitation())
            await rep.play(prep + debrief)
            manager = Phone(fake_bot_api, bot, person)
            await join(manager, invitation(Role.MANAGER))
            await manager.command("stats")
            said = await manager.tap(period)
            more = "More" if period.endswith("days") else "更多"
            return said + await manager.tap(more)  # the reps on the report's next page

    said = asyncio.run(scenario())
    assert failed(fake_bot_api) == []
    assert any(
        "Alice" in text and ("advance 100%" in text or "推进率100%" in text) for text in said
    )
    [(kind, filename, content)] = fake_bot_api.files
    assert kind == "photo" and filename.endswith(".png")
    assert content.startswith(b"\x89PNG\r\n\x1a\n")


def test_over_telegram_the_types_read_are_corrected_in_place_and_forged_taps_are_refused(
    fake_bot_api, build_bot, invitation, database
) -> None:
    prep, _ = SCRIPTS["en"]

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await join(phone, invitation())
            await phone.play(until(prep, "own_questions"))
            said = await phone.say(
                "How many trucks do you run today? What does a stoppage cost you in lost orders?"
            )
            assert "<i>How many trucks do you run today?</i> → Situation ✓" in said[-1]
            check = phone.keyboard()
            assert all(
                len(button["callback_data"].encode()) <= 64
                for row in check.reply_markup["inline_keyboard"]
                for button in row
            )
            before = len(fake_bot_api.calls)
            said = await phone.tap("1 Problem")
            methods = [call.method for call in fake_bot_api.calls[before:]]
            assert "editMessageText" in methods and "sendMessage" not in methods, "in place"
            assert "→ Problem ✓ (your choice)" in said[-1]
            version = phone.button("Continue")[1].split(".")[0]
            said = await phone.tap_data(phone.keyboard(), f"{version}.l77")
            assert "belongs to an earlier question" in said[0]
            said = await phone.tap("Continue")
            assert "problem" in said[-1].lower()

    asyncio.run(scenario())
    assert failed(fake_bot_api) == []
    with Session(database) as session:
        state = session.exec(select(FlowState)).one()
    checked = state.data["answers"]["own_types"]
    assert sorted(checked["labels"].values()) == ["implication", "problem"]
    assert [checked["labels"][key] for key in checked["changed"]] == ["problem"]


def test_over_telegram_the_overdue_reminders_done_button_ends_the_reminders(
    fake_bot_api, build_bot, invitation, database, clock
) -> None:
    prep, debrief = SCRIPTS["en"]

    async def record() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await join(phone, invitation())
            await phone.play(prep + debrief)  # next step due 2 December

    asyncio.run(record())
    clock.now = clock.now.replace(day=4, month=12, hour=1, minute=30)  # 09:30 Shanghai

    async def days() -> None:
        async with running(build_bot()) as bot:
            await bot.tick()
        async with running(build_bot()) as bot:  # a restart between reminder and tap
            phone = Phone(fake_bot_api, bot, ALICE)
            said = await phone.tap("✔ Done")
            assert any("Done: <b>Huadong Heavy Truck</b>" in text for text in said), said
            clock.now += timedelta(days=1)
            await bot.tick()

    asyncio.run(days())
    overdue = [
        c.params["text"] for c in fake_bot_api.seen("sendMessage") if "overdue" in c.params["text"]
    ]
    assert len(overdue) == 1, "done: not reminded the next day"
    with Session(database) as session:
        debrief_row = session.exec(select(Debrief)).one()
        assert debrief_row.next_step_done_at is not None


def test_over_telegram_the_debrief_reminder_moves_the_visit(
    fake_bot_api, build_bot, invitation, database, clock
) -> None:
    prep, _ = SCRIPTS["en"]

    async def plan() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await join(phone, invitation())
            await phone.play(prep)

    asyncio.run(plan())
    with Session(database) as session:
        reminder = session.exec(select(Reminder)).one()
    clock.now = reminder.due_at + timedelta(minutes=1)

    async def after() -> None:
        async with running(build_bot()) as bot:
            await bot.tick()
            phone = Phone(fake_bot_api, bot, ALICE)
            said = await phone.tap("Move")
            assert any("When is it now?" in text for text in said)
            said = await phone.say("tomorrow 11:00")
            assert any("The debrief reminder follows it." in text for text in said)

    asyncio.run(after())
    with Session(database) as session:
        visit = session.exec(select(Visit)).one()
        reminder = session.exec(select(Reminder)).one()
        assert reminder.due_at == visit.planned_at + timedelta(hours=2)
        assert reminder.fired_at is None, "due again after the new time"


def test_over_telegram_the_saved_debriefs_correct_button_corrects_it_across_a_restart(
    fake_bot_api, build_bot, invitation, database, clock
) -> None:
    prep, debrief = SCRIPTS["en"]

    async def record() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await join(phone, invitation())
            await phone.play(prep + debrief)

    asyncio.run(record())
    clock.now += timedelta(days=1)

    async def correct() -> None:
        async with running(build_bot()) as bot:  # a restart between the debrief and the tap
            phone = Phone(fake_bot_api, bot, ALICE)
            said = await phone.tap("✏️ Correct")
            assert any("Open for corrections until" in text for text in said), said
            await phone.tap("Outcome")
        async with running(build_bot()) as bot:  # and one in the middle of the correction
            phone = Phone(fake_bot_api, bot, ALICE)
            said = await phone.tap("Order")
            assert any("(was: 🎯 Advance: the best)" in text for text in said), said
            said = await phone.tap("Save")
            assert any("Outcome: Advance → Order" in text for text in said), said

    asyncio.run(correct())
    assert failed(fake_bot_api) == []
    with Session(database) as session:
        assert session.exec(select(Debrief)).one().outcome == "order"


def test_over_telegram_an_old_menu_button_mid_debrief_asks_and_a_64_byte_open_anyway_works(
    fake_bot_api, build_bot, invitation, database
) -> None:
    prep, debrief = SCRIPTS["en"]
    longest = "m.accounts:" + "9" * (64 - len("m.accounts:"))  # a menu code at the limit

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await join(phone, invitation())
            await phone.command("start")
            old_menu = phone.keyboard()
            await phone.play(prep + until(debrief, "asked"))
            said = await phone.tap_data(old_menu, longest)
            assert any("Open /accounts anyway?" in text for text in said), said
            asked, anyway = phone.offered("Open anyway")
            assert len(anyway.encode()) == 64
            with Session(database) as session:
                assert session.exec(select(FlowState)).one().flow == "debrief"
            said = await phone.tap_data(asked, anyway)
            assert any("I closed your unfinished session" in text for text in said), said

    asyncio.run(scenario())
    assert failed(fake_bot_api) == []
    with Session(database) as session:
        assert all(state.flow != "debrief" for state in session.exec(select(FlowState)))


def test_an_account_past_its_cadence_nudges_the_rep_once_through_the_tick(
    fake_bot_api, build_bot, invitation, clock
) -> None:
    prep, debrief = SCRIPTS["en"]

    def nudges() -> list[str]:
        return [
            c.params["text"] for c in fake_bot_api.seen("sendMessage") if "🔔" in c.params["text"]
        ]

    async def scenario() -> None:
        async with running(build_bot()) as bot:
            phone = Phone(fake_bot_api, bot, ALICE)
            await join(phone, invitation())
            await phone.play(prep + debrief)
            clock.now += timedelta(days=40)
            await bot.tick()
            await bot.tick()
            assert len(nudges()) == 1, "once, however often the tick runs"
            assert "Huadong Heavy Truck</b> · Contact cadence passed" in nudges()[0]
            said = await phone.tap("What this account needs now")
            assert any("Face to face at least monthly" in text for text in said)

    asyncio.run(scenario())
    assert failed(fake_bot_api) == []
