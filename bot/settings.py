"""Settings from SALESCOACH_* environment variables and an optional .env file."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError
from bot.shipped import shipped_dir

Language = Literal["zh", "en"]

DEFAULT_DATABASE_FILE = "salescoach.db"
TELEGRAM_BOT_API_URL = "https://api.telegram.org/bot"


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
            raise ValueError("must be a sqlite:/// or postgresql:// URL")
        return value

    @field_validator("bot_api_url")
    @classmethod
    def _check_bot_api_url(cls, value: str) -> str:
        """PTB appends the token to this base, so it must be an http(s) URL."""
        value = value.strip()
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
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
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("debrief_reminder_hours")
    @classmethod
    def _check_delay(cls, value: float) -> float:
        """A debrief reminder before the visit starts would make no sense."""
        if value < 0 or value > 24 * 14:
            raise ValueError("must be between 0 and 336 hours")
        return value

    @field_validator("next_step_reminder_time")
    @classmethod
    def _check_time(cls, value: str) -> str:
        """HH:MM in the team's time zone."""
        try:
            return time.fromisoformat(value.strip()).strftime("%H:%M")
        except ValueError as error:
            raise ValueError("must be a time of day such as 09:00") from error

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


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning validation errors into a ConfigError that names the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        problems = []
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else "?"
            message = str(item["msg"]).removeprefix("Value error, ")
            problems.append(f"SALESCOACH_{field.upper()}: {message}")
        raise ConfigError(problems) from error
