"""Structure the architecture depends on, checked mechanically."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

from bot.settings import Settings
from bot.text import LANGUAGES, Texts

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_telegram_channel_imports_telegram() -> None:
    channel = ROOT / "bot" / "channels" / "telegram"
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "bot").rglob("*.py")
        if "telegram" in _imports(path) and channel not in path.parents
    ]
    assert offenders == []


def test_every_template_exists_in_both_languages() -> None:
    texts = Texts()
    keys = {language: texts.keys(language) for language in LANGUAGES}
    assert keys["en"], "no templates found"
    assert keys["en"] == keys["zh"]


def test_the_ci_script_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    match = re.search(r"<!-- test-command -->\s*```(?:sh|bash)?\n(.+?)\n```", readme, re.S)
    assert match, "README has no marked test command"
    assert match.group(1).strip() in ci


def test_the_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for field in Settings.model_fields:
        assert f"SALESCOACH_{field.upper()}" in readme, field


def test_the_readme_says_why_each_dependency_is_there() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8").lower()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + [
        requirement for extra in project["optional-dependencies"].values() for requirement in extra
    ]
    for requirement in requirements:
        name = re.split(r"[\[<>=~ ]", requirement, maxsplit=1)[0].lower()
        assert name in readme, name


def test_every_label_exists_in_both_languages() -> None:
    texts = Texts()
    assert texts.label_keys("en") == texts.label_keys("zh")


def test_every_flow_step_has_a_template() -> None:
    from bot.engine.flow import Each
    from bot.flows import FLOWS

    keys = Texts().keys("en")
    for flow in FLOWS:
        steps = [
            step
            for entry in flow.steps
            for step in (entry.steps if isinstance(entry, Each) else (entry,))
        ]
        for step in steps:
            assert f"{flow.id}/{step.id}" in keys, f"{flow.id}/{step.id}"
