"""`salescoach run` as an operator runs it: a real process, stopped by a signal."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlmodel import Session, select

from bot.storage.models import User
from tests.fake_bot_api import FakeBotAPI, TelegramUser

SCRIPT = Path(sys.executable).with_name("salescoach")
ALICE = TelegramUser(4242, "Alice", "en")


def start(
    fake_bot_api: FakeBotAPI, sqlite_url: str, *extra: str, **settings: str
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "SALESCOACH_BOT_TOKEN": fake_bot_api.token,
        "SALESCOACH_BOT_API_URL": fake_bot_api.base_url,
        "SALESCOACH_DATABASE_URL": sqlite_url,
        "SALESCOACH_DEFAULT_LANGUAGE": "en",
        **{f"SALESCOACH_{name.upper()}": value for name, value in settings.items()},
    }
    return subprocess.Popen(
        [str(SCRIPT), "run", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_call(api: FakeBotAPI, method: str, count: int = 1, timeout: float = 30) -> None:
    api._wait_for(method, count - 1, timeout)


def stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    try:
        _, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    return process.returncode, stderr


def test_polling_serves_an_invited_user_and_stops_cleanly_on_sigterm(
    fake_bot_api, sqlite_url, invitation, database
) -> None:
    code = invitation()
    process = start(fake_bot_api, sqlite_url)
    try:
        wait_for_call(fake_bot_api, "setMyCommands", 2)
        fake_bot_api.queue(ALICE.message(f"/start {code}"))
        fake_bot_api.queue(ALICE.message("/prep", message_id=2))
        wait_for_call(fake_bot_api, "sendMessage", 3)
    finally:
        returncode, stderr = stop(process)
    assert returncode == 0, stderr
    texts = [call.params["text"] for call in fake_bot_api.seen("sendMessage")]
    assert any("Which account are you visiting?" in text for text in texts)
    assert fake_bot_api.token not in stderr, "the token never reaches the log"
    with Session(database) as session:
        assert session.exec(select(User).where(User.telegram_id == ALICE.id)).one()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def first_post(url: str, update: dict, **headers: str) -> httpx.Response:
    """POST once the webhook server is up: it may come up just after setWebhook."""
    deadline = time.monotonic() + 20
    while True:
        try:
            return httpx.post(url, json=update, headers=headers)
        except httpx.ConnectError:
            if time.monotonic() > deadline:
                raise


def test_the_webhook_refuses_a_wrong_secret(fake_bot_api, sqlite_url, invitation) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    process = start(
        fake_bot_api,
        sqlite_url,
        "--webhook",
        url,
        "--listen",
        f"127.0.0.1:{port}",
        "--secret",
        "s3cret",
    )
    try:
        wait_for_call(fake_bot_api, "setWebhook")
        update = {"update_id": 1, **ALICE.message("hello")}
        wrong = first_post(url, update, **{"X-Telegram-Bot-Api-Secret-Token": "x"})
        right = httpx.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"})
        assert (wrong.status_code, right.status_code) == (403, 200)
        wait_for_call(fake_bot_api, "sendMessage")
    finally:
        returncode, stderr = stop(process)
    assert returncode == 0, stderr
    assert "private coaching assistant" in fake_bot_api.seen("sendMessage")[0].params["text"]
    assert fake_bot_api.webhook["url"] == url


def test_a_webhook_from_the_settings_alone_serves_the_secret_and_refuses_the_rest(
    fake_bot_api, sqlite_url, invitation, database
) -> None:
    """No secret on the command line, where ps and shell history would show it."""
    code, secret = invitation(), "Settings_only-secret_0123456789"
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    process = start(
        fake_bot_api,
        sqlite_url,
        webhook_url=url,
        webhook_listen=f"127.0.0.1:{port}",
        webhook_secret=secret,
    )
    assert secret not in " ".join(str(part) for part in process.args)
    try:
        wait_for_call(fake_bot_api, "setWebhook")
        assert fake_bot_api.webhook["secret_token"] == secret
        join = {"update_id": 1, **ALICE.message(f"/start {code}")}
        missing = first_post(url, join)
        wrong = httpx.post(url, json=join, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
        assert (missing.status_code, wrong.status_code) == (403, 403)
        right = httpx.post(url, json=join, headers={"X-Telegram-Bot-Api-Secret-Token": secret})
        assert right.status_code == 200
        wait_for_call(fake_bot_api, "sendMessage")
    finally:
        returncode, stderr = stop(process)
    assert returncode == 0, stderr
    assert secret not in stderr
    assert fake_bot_api.webhook["url"] == url
    with Session(database) as session:
        assert session.exec(select(User).where(User.telegram_id == ALICE.id)).one()
