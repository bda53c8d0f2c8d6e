"""Structure the architecture depends on, checked mechanically."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

from bot.settings import Settings
from bot.text import Texts

ROOT = Path(__file__).resolve().parent.parent

# The floors of the house, top to bottom. A module imports from its own floor and the floors
# below, never from one above: what sits lower knows nothing of what is built on it. The engine
# is handed its flows (`Engine(flows=FLOWS)`) and never imports them; the flows are written in
# its vocabulary (`bot.engine.flow`), so they stand above it, and so do the services that speak
# it (reminders and the outbox carry its `Reply`). Scopes are a clause of storage's queries.
# The parser names each command's handler and imports it only when it runs; the handlers never
# reach back for the parser, so they stand a floor below it, above the channels they serve.
FLOORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("entry", ("bot.cli",)),
    ("commands", ("bot.commands",)),
    ("channels", ("bot.channels",)),
    ("flows", ("bot.flows",)),
    (
        "services",
        (
            "bot.access",
            "bot.records",  # writes the records the flows draft
            "bot.changes",  # brings them up to date: next steps done or moved, visits changed
            "bot.account_plans",  # what a rep knows of an account as a whole
            "bot.users",
            "bot.reminders",
            "bot.nudges",  # proactive coaching, queued as reminders
            "bot.outbox",
            "bot.export",
            "bot.visit_records",  # the records every export and /review start from
            "bot.spreadsheets",
            "bot.figures",
            "bot.activity",
            "bot.charts",
            "bot.demo",
            "bot.startup",
        ),
    ),
    ("engine", ("bot.engine",)),
    ("coaching", ("bot.coaching",)),
    ("playbooks", ("bot.playbooks",)),
    ("storage", ("bot.storage",)),
    (
        "ground",
        ("bot.domain", "bot.settings", "bot.errors", "bot.text", "bot.clock", "bot.shipped"),
    ),
)


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


def _floor(module: str) -> int | None:
    """The index in FLOORS of the floor a dotted module name stands on (0 is the top)."""
    for index, (_, packages) in enumerate(FLOORS):
        if any(module == package or module.startswith(package + ".") for package in packages):
            return index
    return None


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _bot_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for each import of our own code, wherever it stands in the file."""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            if module == "bot":  # `from bot import access`: the names are modules
                found += [(node.lineno, f"bot.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, module))
    return [(line, module) for line, module in found if module.split(".")[0] == "bot"]


def test_every_module_stands_on_a_floor() -> None:
    unplaced = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "bot").rglob("*.py"))
        if _module_name(path) != "bot" and _floor(_module_name(path)) is None
    ]
    assert not unplaced, f"modules on no floor; give each one in FLOORS: {unplaced}"


def test_no_import_runs_back_up_a_floor() -> None:
    names = [name for name, _ in FLOORS]
    upward = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        here = _floor(_module_name(path))
        if here is None:
            continue
        for line, module in _bot_imports(path):
            there = _floor(module)
            if there is not None and there < here:
                upward.append(
                    f"{path.relative_to(ROOT)}:{line} imports {module}: the {names[here]} "
                    f"floor may not import from {names[there]}, which stands above it"
                )
    floors = " > ".join(names)
    assert not upward, f"imports that run back up a floor ({floors}):\n" + "\n".join(upward)


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
