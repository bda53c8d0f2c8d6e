"""The `salescoach` command: every subcommand has help, and the foundation commands work."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import build_parser, main
from bot.storage import db


def _all_command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    yield prefix
    for action in parser._actions:  # argparse offers no public walk of its tree
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _all_command_paths(child, (*prefix, name))


@pytest.mark.parametrize("path", list(_all_command_paths(build_parser())), ids=" ".join)
def test_every_subcommand_answers_help(path: tuple[str, ...], capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*path, "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: salescoach {' '.join(path)}".rstrip())


def test_the_installed_console_script_runs() -> None:
    script = Path(sys.executable).with_name("salescoach")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "playbooks" in result.stdout and "db" in result.stdout


def test_playbooks_check_summarises_the_shipped_playbooks_in_english(monkeypatch, capsys) -> None:
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "en")
    assert main(["playbooks", "check"]) == 0
    output = capsys.readouterr().out
    assert "are valid" in output
    assert "84 questions (situation 21, problem 21, implication 21, need-payoff 21)" in output
    assert "5 stances" in output and "5 contact stages, 4 account stages" in output
    assert "<b>" not in output


def test_playbooks_check_speaks_chinese_by_default(capsys) -> None:
    assert main(["playbooks", "check"]) == 0
    assert "教练手册全部有效" in capsys.readouterr().out


def test_playbooks_check_accepts_a_directory_argument(playbook_dir: Path, capsys) -> None:
    (playbook_dir / "process.yaml").unlink()
    assert main(["playbooks", "check", str(playbook_dir)]) == 2
    assert "process.yaml: file missing" in capsys.readouterr().out


def test_db_upgrade_creates_the_default_database_in_the_working_directory(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "en")
    assert main(["db", "upgrade"]) == 0
    url = f"sqlite:///{tmp_path / 'salescoach.db'}"
    assert db.current_revision(url) == db.head_revision()
    assert f"is at revision {db.head_revision()} (was empty)" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert "already up to date" in capsys.readouterr().out


def test_db_current_and_downgrade_report_the_revision(
    sqlite_url: str, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("SALESCOACH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "en")
    assert main(["db", "current"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert main(["db", "downgrade", "base"]) == 0
    assert "rolled back to revision base" in capsys.readouterr().out
    assert db.current_revision(sqlite_url) is None


def test_db_upgrade_works_on_postgresql(pg_empty_url: str, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SALESCOACH_DATABASE_URL", pg_empty_url.replace("+psycopg", ""))
    assert main(["db", "upgrade"]) == 0
    assert db.current_revision(pg_empty_url) == db.head_revision()


def test_a_database_password_is_never_printed(monkeypatch, capsys) -> None:
    monkeypatch.setenv("SALESCOACH_DATABASE_URL", "postgresql://coach:hunter2@127.0.0.1:1/none")
    main(["db", "current"])
    captured = capsys.readouterr()
    assert "hunter2" not in captured.out + captured.err


def test_an_unreachable_database_gives_a_short_answer_and_exit_1(monkeypatch, capsys) -> None:
    monkeypatch.setenv("SALESCOACH_DATABASE_URL", "postgresql://coach@127.0.0.1:1/none")
    monkeypatch.setenv("SALESCOACH_DEFAULT_LANGUAGE", "en")
    assert main(["db", "current"]) == 1
    assert "Something went wrong inside SalesCoach" in capsys.readouterr().out


def test_a_bad_setting_exits_2_naming_the_variable(monkeypatch, capsys) -> None:
    monkeypatch.setenv("SALESCOACH_TIMEZONE", "Nowhere/City")
    assert main(["playbooks", "check"]) == 2
    assert "SALESCOACH_TIMEZONE: unknown time zone 'Nowhere/City'" in capsys.readouterr().out
