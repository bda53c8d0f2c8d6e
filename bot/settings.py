"""Settings from SALESCOACH_* environment variables and an optional .env file."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError, Problem
from bot.shipped import shipped_dir

Language = Literal["zh", "en"]


def as_language(value: str | None) -> Language:
    """A stored language (`User.language`) as one of ours: English if it says so, else Chinese.

    A Telegram client's language_code is read differently (`access.language_of`): that one
    falls back to English for languages we do not speak.
    """
    return "en" if value == "en" else "zh"


DEFAULT_DATABASE_FILE = "salescoach.db"
TELEGRAM_BOT_API_URL = "https://api.telegram.org/bot"
# Telegram's rule for setWebhook's secret_token, sent back in X-Telegram-Bot-Api-Secret-Token.
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class Refused(ValueError):
    """A value a check refuses, said as a `config/` template and its context, not in English.

    A validator raises it and pydantic keeps it at `ctx["error"]`, so `load_settings` can turn
    it into a Problem naming the variable; the webhook checks return it, so `webhook_of` can
    name the flag instead.
    """

    def __init__(self, template: str, **context: Any) -> None:
        super().__init__(template)
        self.template = template
        self.context = context


def webhook_secret_problem(secret: str) -> Refused | None:
    """Why Telegram would refuse this secret token, or None; never repeats the secret."""
    if WEBHOOK_SECRET.fullmatch(secret):
        return None
    return Refused("config/bad_webhook_secret")


def listen_problem(listen: str) -> Refused | None:
    """Why HOST:PORT is not an address to listen on, or None."""
    host, _, port = listen.rpartition(":")
    if host and port.isdecimal() and 0 < int(port) < 65536:
        return None
    return Refused("config/bad_listen", given=listen)


def webhook_url_problem(url: str) -> Refused | None:
    """Why Telegram could not POST to this URL, or None."""
    return None if url.startswith(("https://", "http://")) else Refused("config/bad_webhook_url")


# Each webhook setting's check, and the command-line flag that can give the same value.
WEBHOOK_CHECKS: dict[str, Callable[[str], Refused | None]] = {
    "webhook_url": webhook_url_problem,
    "webhook_listen": listen_problem,
    "webhook_secret": webhook_secret_problem,
}
WEBHOOK_FLAGS = {
    "webhook_url": "--webhook",
    "webhook_listen": "--listen",
    "webhook_secret": "--secret",
}
T = TypeVar("T", str, SecretStr)


class Settings(BaseSettings):
    """Everything a deployment can change without touching code."""

    model_config = SettingsConfigDict(
        env_prefix="SALESCOACH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    bot_token: SecretStr | None = None
    database_url: str = ""
    bot_api_url: str = TELEGRAM_BOT_API_URL
    playbook_dir: Path = shipped_dir("playbooks")
    default_language: Language = "zh"
    timezone: str = "Asia/Shanghai"
    debrief_reminder_hours: float = 2.0
    next_step_reminder_time: str = "09:00"
    # A webhook instead of long polling; `salescoach run --webhook/--listen/--secret` win.
    webhook_url: str | None = None
    webhook_listen: str | None = None
    webhook_secret: SecretStr | None = None

    @field_validator("webhook_url", "webhook_listen", "webhook_secret", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """`SALESCOACH_WEBHOOK_URL=` in a .env means no webhook, as leaving it out does."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_url", "webhook_listen", "webhook_secret")
    @classmethod
    def _check_webhook(cls, value: T | None, info: ValidationInfo) -> T | None:
        """At start, not when Telegram or the server refuses them: a bad one names its setting."""
        if value is None:
            return None
        text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        problem = WEBHOOK_CHECKS[info.field_name or ""](text)
        if problem:
            raise problem
        return value

    @field_validator("database_url")
    @classmethod
    def _normalise_database_url(cls, value: str) -> str:
        """Empty means the embedded default; bare postgres URLs get the driver we ship."""
        value = value.strip()
        if not value:
            return f"sqlite:///{(Path.cwd() / DEFAULT_DATABASE_FILE).as_posix()}"
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        if not value.startswith(("sqlite:", "postgresql+")):
            raise Refused("config/bad_database_url")
        return value

    @field_validator("bot_api_url")
    @classmethod
    def _check_bot_api_url(cls, value: str) -> str:
        """PTB appends the token to this base, so it must be an http(s) URL."""
        value = value.strip()
        if not value.startswith(("http://", "https://")):
            raise Refused("config/bad_bot_api_url")
        return value

    @field_validator("default_language", mode="before")
    @classmethod
    def _lower_language(cls, value: object) -> object:
        """Accept 'ZH' or ' en ' from a hand-written .env."""
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        """Reject a misspelt zone at start-up rather than at the first reminder."""
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise Refused("config/unknown_timezone", given=value) from error
        return value

    @field_validator("debrief_reminder_hours")
    @classmethod
    def _check_delay(cls, value: float) -> float:
        """A debrief reminder before the visit starts would make no sense."""
        if value < 0 or value > 24 * 14:
            raise Refused("config/bad_reminder_hours")
        return value

    @field_validator("next_step_reminder_time")
    @classmethod
    def _check_time(cls, value: str) -> str:
        """HH:MM in the team's time zone."""
        try:
            return time.fromisoformat(value.strip()).strftime("%H:%M")
        except ValueError as error:
            raise Refused("config/bad_time_of_day") from error

    @property
    def next_step_time(self) -> time:
        """When overdue next steps are reminded, local time."""
        return time.fromisoformat(self.next_step_reminder_time)

    @property
    def zone(self) -> ZoneInfo:
        """The configured zone as an object."""
        return ZoneInfo(self.timezone)

    @property
    def is_sqlite(self) -> bool:
        """SQLite databases are upgraded automatically at start."""
        return self.database_url.startswith("sqlite")


@dataclass(frozen=True)
class Webhook:
    """Where Telegram posts updates, where we listen for them, and the token it must send."""

    url: str
    listen: str
    secret: str = field(repr=False)


def webhook_of(
    settings: Settings, *, url: str | None, listen: str | None, secret: str | None
) -> Webhook | None:
    """The webhook to serve, None for long polling; a command-line value wins over its setting.

    Values given on the command line are checked here as the settings check theirs, naming the
    flag; a webhook without a listen address or a secret is refused.
    """
    given = {"webhook_url": url, "webhook_listen": listen, "webhook_secret": secret}
    problems = [
        Problem(WEBHOOK_FLAGS[name], problem.template, **problem.context)
        for name, value in given.items()
        if value is not None and (problem := WEBHOOK_CHECKS[name](value))
    ]
    url = url or settings.webhook_url
    listen = listen or settings.webhook_listen
    if secret is None and settings.webhook_secret is not None:
        secret = settings.webhook_secret.get_secret_value()
    if url and not listen:
        problems.append(
            Problem("SALESCOACH_WEBHOOK_LISTEN (or --listen HOST:PORT)", "config/webhook_needs")
        )
    if url and not secret:
        problems.append(
            Problem("SALESCOACH_WEBHOOK_SECRET (or --secret TOKEN)", "config/webhook_needs")
        )
    if problems:
        raise ConfigError(problems)
    return Webhook(url, listen or "", secret or "") if url else None


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning validation errors into a ConfigError that names the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise ConfigError([_problem(item) for item in error.errors()]) from error


def _problem(item: ErrorDetails) -> Problem:
    """A validator's refusal by its template; pydantic's own words (a wrong type) as a detail."""
    field = str(item["loc"][0]) if item["loc"] else "?"
    where = f"SALESCOACH_{field.upper()}"
    refused = item.get("ctx", {}).get("error")
    if isinstance(refused, Refused):
        return Problem(where, refused.template, **refused.context)
    return Problem(where, "config/detail", detail=str(item["msg"]).removeprefix("Value error, "))
