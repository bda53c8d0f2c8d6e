"""Settings come from SALESCOACH_* variables and .env, and bad values are named clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.errors import ConfigError, Problem
from bot.settings import TELEGRAM_BOT_API_URL, Webhook, load_settings, webhook_of
from bot.shipped import shipped_dir
from tests.config_problems import printed


def test_defaults_need_no_configuration(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.database_url == f"sqlite:///{tmp_path / 'salescoach.db'}"
    assert settings.bot_token is None
    assert settings.bot_api_url == TELEGRAM_BOT_API_URL
    assert settings.playbook_dir == shipped_dir("playbooks")
    assert settings.default_language == "zh"
    assert settings.timezone == "Asia/Shanghai"


def test_every_setting_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SALESCOACH_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("SALESCOACH_DATABASE_URL", "sqlite:////var/lib/coach.db")
    monkeypatch.setenv("SALESCOACH_BOT_API_URL", "http://127.0.0.1:8081/bot")
    monkeypatch.setenv("SALESCOACH_PLAYBOOK_DIR", str(tmp_path))
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "en")
    monkeypatch.setenv("SALESCOACH_TIMEZONE", "Europe/Berlin")
    settings = load_settings()
    assert settings.bot_token is not None
    assert settings.bot_token.get_secret_value() == "123:abc"
    assert settings.database_url == "sqlite:////var/lib/coach.db"
    assert settings.bot_api_url == "http://127.0.0.1:8081/bot"
    assert settings.playbook_dir == tmp_path
    assert settings.default_language == "en"
    assert settings.zone.key == "Europe/Berlin"


def test_a_dotenv_file_in_the_working_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "SALESCOACH_DEFAULT_LANGUAGE=en\nSALESCOACH_TIMEZONE=Asia/Singapore\n", encoding="utf-8"
    )
    settings = load_settings()
    assert settings.default_language == "en"
    assert settings.timezone == "Asia/Singapore"


def test_the_environment_wins_over_the_dotenv_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("SALESCOACH_DEFAULT_LANGUAGE=en\n", encoding="utf-8")
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "zh")
    assert load_settings().default_language == "zh"


@pytest.mark.parametrize(
    ("given", "normalised"),
    [
        ("postgresql://coach@db:5432/coach", "postgresql+psycopg://coach@db:5432/coach"),
        ("postgres://coach@db/coach", "postgresql+psycopg://coach@db/coach"),
        ("postgresql+psycopg://coach@db/coach", "postgresql+psycopg://coach@db/coach"),
        ("  sqlite:///coach.db  ", "sqlite:///coach.db"),
    ],
)
def test_database_urls_are_normalised_to_the_driver_we_ship(
    monkeypatch: pytest.MonkeyPatch, given: str, normalised: str
) -> None:
    monkeypatch.setenv("SALESCOACH_DATABASE_URL", given)
    assert load_settings().database_url == normalised


def test_the_language_is_read_case_insensitively(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", " EN ")
    assert load_settings().default_language == "en"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SALESCOACH_DEFAULT_LANGUAGE", "fr", "SALESCOACH_DEFAULT_LANGUAGE: "),
        ("SALESCOACH_TIMEZONE", "Mars/Olympus", "SALESCOACH_TIMEZONE: unknown time zone"),
        ("SALESCOACH_DATABASE_URL", "mysql://x/y", "SALESCOACH_DATABASE_URL: must be a sqlite"),
        ("SALESCOACH_BOT_API_URL", "api.telegram.org", "SALESCOACH_BOT_API_URL: must start with"),
        ("SALESCOACH_WEBHOOK_SECRET", "has spaces", "SALESCOACH_WEBHOOK_SECRET: must be 1 to 256"),
        ("SALESCOACH_WEBHOOK_SECRET", "x" * 257, "SALESCOACH_WEBHOOK_SECRET: must be 1 to 256"),
        ("SALESCOACH_WEBHOOK_SECRET", "päss", "SALESCOACH_WEBHOOK_SECRET: must be 1 to 256"),
        ("SALESCOACH_WEBHOOK_LISTEN", "8443", "SALESCOACH_WEBHOOK_LISTEN: expected HOST:PORT"),
        ("SALESCOACH_WEBHOOK_LISTEN", "0.0.0.0:99999", "SALESCOACH_WEBHOOK_LISTEN: expected"),
        ("SALESCOACH_WEBHOOK_URL", "coach.example.com/tg", "SALESCOACH_WEBHOOK_URL: must start"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert any(problem.startswith(message) for problem in printed(raised.value))


def test_the_bot_token_never_shows_in_a_printed_settings_object(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SALESCOACH_BOT_TOKEN", "123456:SECRET-TOKEN")
    settings = load_settings()
    assert "SECRET-TOKEN" not in repr(settings)
    assert "SECRET-TOKEN" not in str(settings.model_dump())


def test_the_webhook_is_configured_by_settings_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SALESCOACH_WEBHOOK_URL", "https://coach.example.com/telegram")
    monkeypatch.setenv("SALESCOACH_WEBHOOK_LISTEN", "127.0.0.1:8443")
    monkeypatch.setenv("SALESCOACH_WEBHOOK_SECRET", "Long_random-Token_" + "x" * 238)
    settings = load_settings()
    webhook = webhook_of(settings, url=None, listen=None, secret=None)
    assert webhook == Webhook(
        "https://coach.example.com/telegram", "127.0.0.1:8443", "Long_random-Token_" + "x" * 238
    )
    assert "Long_random" not in repr(settings) + repr(webhook)


def test_command_line_webhook_values_win_over_the_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SALESCOACH_WEBHOOK_URL", "https://coach.example.com/telegram")
    monkeypatch.setenv("SALESCOACH_WEBHOOK_LISTEN", "127.0.0.1:8443")
    monkeypatch.setenv("SALESCOACH_WEBHOOK_SECRET", "from-settings")
    webhook = webhook_of(
        load_settings(), url="https://other.example.com/tg", listen=None, secret="from-flag"
    )
    assert webhook == Webhook("https://other.example.com/tg", "127.0.0.1:8443", "from-flag")


def test_without_a_webhook_url_the_bot_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SALESCOACH_WEBHOOK_SECRET", "s3cret")
    monkeypatch.setenv("SALESCOACH_WEBHOOK_URL", "")
    assert webhook_of(load_settings(), url=None, listen=None, secret=None) is None


def test_a_webhook_without_a_listen_address_or_secret_is_refused_naming_both_ways_to_give_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SALESCOACH_WEBHOOK_URL", "https://coach.example.com/telegram")
    with pytest.raises(ConfigError) as raised:
        webhook_of(load_settings(), url=None, listen=None, secret=None)
    assert raised.value.problems == [
        Problem("SALESCOACH_WEBHOOK_LISTEN (or --listen HOST:PORT)", "config/webhook_needs"),
        Problem("SALESCOACH_WEBHOOK_SECRET (or --secret TOKEN)", "config/webhook_needs"),
    ]
    assert printed(raised.value) == [
        "SALESCOACH_WEBHOOK_LISTEN (or --listen HOST:PORT): a webhook needs it",
        "SALESCOACH_WEBHOOK_SECRET (or --secret TOKEN): a webhook needs it",
    ]


@pytest.mark.parametrize(
    ("variable", "flag", "value"),
    [
        ("SALESCOACH_WEBHOOK_SECRET", "--secret", "not allowed!"),
        ("SALESCOACH_WEBHOOK_LISTEN", "--listen", "nowhere"),
    ],
)
def test_salescoach_run_refuses_a_bad_webhook_value_at_start_with_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys, variable: str, flag: str, value: str
) -> None:
    """From the environment the message names the variable; on the command line, the flag."""
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "en")
    monkeypatch.setenv(variable, value)
    assert main(["run"]) == 2
    assert f"{variable}: " in capsys.readouterr().out
    monkeypatch.delenv(variable)
    url = "https://coach.example.com/telegram"
    good = {"--listen": "127.0.0.1:8443", "--secret": "s3cret"}
    arguments = ["run", "--webhook", url, *(part for key in good for part in (key, good[key]))]
    arguments[arguments.index(flag) + 1] = value
    assert main(arguments) == 2
    output = capsys.readouterr().out
    assert f"{flag}: " in output
    assert "not allowed!" not in output, "a secret is never repeated"
