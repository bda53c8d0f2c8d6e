"""Read and validate a playbook directory; every problem names the file, the key path and line.

All files are checked and all problems reported at once, so an admin fixes a directory in one
pass instead of one error per restart.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from bot.domain import FACTS
from bot.errors import ConfigError, Problem
from bot.playbooks.refs import Known
from bot.playbooks.schema import (
    AccountsPlaybook,
    CoachingPlaybook,
    CoachingRule,
    DecisionUnitPlaybook,
    ProcessPlaybook,
    RelationshipPlaybook,
    ScorecardItem,
    ScorecardPlaybook,
    SpinPlaybook,
)
from bot.playbooks.schema_account import (
    AccountPlanPlaybook,
    CompetitionPlaybook,
    RisksPlaybook,
    SegmentsPlaybook,
)
from bot.playbooks.schema_nudges import NudgesPlaybook
from bot.playbooks.schema_people import NeedsPlaybook, PeoplePlaybook

FILES: dict[str, type[BaseModel]] = {
    "spin.yaml": SpinPlaybook,
    "decision_unit.yaml": DecisionUnitPlaybook,
    "relationship.yaml": RelationshipPlaybook,
    "accounts.yaml": AccountsPlaybook,
    "process.yaml": ProcessPlaybook,
    "coaching.yaml": CoachingPlaybook,
    "scorecard.yaml": ScorecardPlaybook,
    "nudges.yaml": NudgesPlaybook,
    # These refer to the stages and roles above (bot/playbooks/refs.py), so they come after.
    "account_plan.yaml": AccountPlanPlaybook,
    "competition.yaml": CompetitionPlaybook,
    "risks.yaml": RisksPlaybook,
    "needs.yaml": NeedsPlaybook,
    "people.yaml": PeoplePlaybook,
    "segments.yaml": SegmentsPlaybook,
}

# Pydantic errors said in our own words (`config/missing`), not in pydantic's English.
OWN_WORDS = {
    "missing": "config/missing",
    "extra_forbidden": "config/unknown_key",
    "string_too_short": "config/empty_text",
    "too_short": "config/needs_entry",
}
# What a question's tags must name, and the template for one that names nothing.
TAGS = {
    "roles": "config/unknown_role",
    "contact_stages": "config/unknown_contact_stage",
    "sales_stages": "config/unknown_sales_stage",
}

# Ids the coaching rules rely on: a company may rename or add, but not remove, these.
REQUIRED_IDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("decision_unit.yaml", "roles"): ("decision_maker",),
    ("decision_unit.yaml", "stances"): ("coach", "blocker", "enemy"),
}


@dataclass(frozen=True)
class Playbooks:
    """All coaching content, validated and cross-checked."""

    spin: SpinPlaybook
    decision_unit: DecisionUnitPlaybook
    relationship: RelationshipPlaybook
    accounts: AccountsPlaybook
    process: ProcessPlaybook
    coaching: CoachingPlaybook
    scorecard: ScorecardPlaybook
    nudges: NudgesPlaybook
    account_plan: AccountPlanPlaybook
    competition: CompetitionPlaybook
    risks: RisksPlaybook
    needs: NeedsPlaybook
    people: PeoplePlaybook
    segments: SegmentsPlaybook

    def counts(self) -> dict[str, int]:
        """How much content each part holds: what `playbooks check` reports."""
        counts = {
            "spin_types": len(self.spin.types),
            "questions": len(self.spin.questions),
            "worksheet_problems": len(self.spin.worksheet.examples),
            "roles": len(self.decision_unit.roles),
            "stances": len(self.decision_unit.stances),
            "influence_levels": len(self.decision_unit.influence),
            "checklist_items": len(self.decision_unit.checklist),
            "contact_stages": len(self.relationship.contact_stages),
            "account_stages": len(self.relationship.account_stages),
            "tiers": len(self.accounts.tiers),
            "process_steps": len(self.process.steps),
            "coaching_rules": len(self.coaching.rules),
            "scorecard_items": len(self.scorecard.items),
            "scorecard_points": sum(item.points for item in self.scorecard.items),
            "nudges": len(self.nudges.nudges),
            "plan_views": len(self.account_plan.views),
            "account_types": len(self.competition.account_types),
            "positions": len(self.competition.positions),
            "strategies": len(self.competition.strategies),
            "barriers": len(self.competition.barriers),
            "risk_signals": len(self.risks.signals),
            "need_levels": len(self.needs.levels),
            "criteria_categories": len(self.needs.criteria.categories),
            "kinds_of_people": len(self.people.kinds),
            "personal_wins": len(self.people.personal_wins.categories),
            "orientations": len(self.segments.orientations),
            "propositions": len(self.segments.propositions),
        }
        for guide in self.spin.types:
            counts[f"questions_{guide.id}"] = sum(
                1 for question in self.spin.questions if question.type == guide.id
            )
        return counts


def load_playbooks(directory: Path) -> Playbooks:
    """Load every playbook file in `directory`, or raise ConfigError listing every problem."""
    problems: list[Problem] = []
    if not directory.is_dir():
        raise ConfigError([Problem(str(directory), "config/directory_missing")])
    models: dict[str, BaseModel] = {}
    for filename, model in FILES.items():
        loaded = _load_file(directory / filename, model, problems, _known_ids(models))
        if loaded is not None:
            models[filename] = loaded
    if len(models) == len(FILES):
        problems.extend(_cross_check(models))
    if problems:
        raise ConfigError(problems)
    return Playbooks(
        spin=models["spin.yaml"],  # type: ignore[arg-type]
        decision_unit=models["decision_unit.yaml"],  # type: ignore[arg-type]
        relationship=models["relationship.yaml"],  # type: ignore[arg-type]
        accounts=models["accounts.yaml"],  # type: ignore[arg-type]
        process=models["process.yaml"],  # type: ignore[arg-type]
        coaching=models["coaching.yaml"],  # type: ignore[arg-type]
        scorecard=models["scorecard.yaml"],  # type: ignore[arg-type]
        nudges=models["nudges.yaml"],  # type: ignore[arg-type]
        account_plan=models["account_plan.yaml"],  # type: ignore[arg-type]
        competition=models["competition.yaml"],  # type: ignore[arg-type]
        risks=models["risks.yaml"],  # type: ignore[arg-type]
        needs=models["needs.yaml"],  # type: ignore[arg-type]
        people=models["people.yaml"],  # type: ignore[arg-type]
        segments=models["segments.yaml"],  # type: ignore[arg-type]
    )


def _known_ids(models: dict[str, BaseModel]) -> Known:
    """The stage and role ids of the files loaded so far, for the later files' references."""
    known: dict[str, tuple[str, ...]] = {}
    relationship = models.get("relationship.yaml")
    if isinstance(relationship, RelationshipPlaybook):
        known["contact_stages"] = tuple(stage.id for stage in relationship.contact_stages)
        known["account_stages"] = tuple(stage.id for stage in relationship.account_stages)
    process = models.get("process.yaml")
    if isinstance(process, ProcessPlaybook):
        known["sales_stages"] = tuple(step.id for step in process.steps)
    unit = models.get("decision_unit.yaml")
    if isinstance(unit, DecisionUnitPlaybook):
        known["roles"] = tuple(role.id for role in unit.roles)
    return known


def _load_file(
    path: Path, model: type[BaseModel], problems: list[Problem], known: Known
) -> BaseModel | None:
    name = path.name
    if not path.is_file():
        problems.append(Problem(name, "config/file_missing"))
        return None
    try:
        raw = YAML(typ="rt", pure=True).load(path.read_text(encoding="utf-8"))
    except MarkedYAMLError as error:
        detail = str(error.problem or error.context)  # the YAML reader's words
        mark = error.problem_mark or error.context_mark
        if mark:
            line, column = mark.line + 1, mark.column + 1
            problems.append(
                Problem(name, "config/yaml_error", line=line, column=column, detail=detail)
            )
        else:
            problems.append(Problem(name, "config/detail", detail=detail))
        return None
    except (YAMLError, UnicodeDecodeError) as error:
        problems.append(Problem(name, "config/not_yaml", error=type(error).__name__))
        return None
    if not isinstance(raw, dict):
        problems.append(Problem(name, "config/no_sections"))
        return None
    try:
        loaded = model.model_validate(raw, context=known)
    except ValidationError as error:
        problems.extend(_describe(name, raw, detail) for detail in error.errors())
        return None
    duplicates = list(_duplicate_ids(loaded, ()))
    problems.extend(
        Problem(
            f"{name}: {_path(loc)}.id",
            "config/duplicate_id",
            given=value,
            first=_path(first),
            **_line_of(raw, (*loc, "id")),
        )
        for loc, value, first in duplicates
    )
    return None if duplicates else loaded


def _describe(name: str, raw: Any, detail: ErrorDetails) -> Problem:
    """Our words for what we know; pydantic's and our validators' English as a detail."""
    loc = tuple(detail["loc"])
    where = f"{name}: {_path(loc) or '(top)'}"
    line = _line_of(raw, loc)
    if detail["type"] in OWN_WORDS and not _needs_more_than_one(detail):
        return Problem(where, OWN_WORDS[detail["type"]], **line)
    message = str(detail["msg"]).removeprefix("Value error, ")
    if "input" in detail and not isinstance(detail["input"], dict | list):
        given = repr(detail["input"])
        return Problem(where, "config/detail_given", detail=message, given=given, **line)
    return Problem(where, "config/detail", detail=message, **line)


def _needs_more_than_one(detail: ErrorDetails) -> bool:
    """A list that needs two or more: "needs at least one entry" would mislead, pydantic's
    words ("at least 2 items") do not."""
    return detail["type"] == "too_short" and detail.get("ctx", {}).get("min_length", 1) > 1


def _path(loc: Sequence[Any]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_of(raw: Any, loc: Sequence[Any]) -> dict[str, int]:
    """The YAML line of `loc`, or of its nearest existing parent, for an editor jump.

    As a template's context: `{"line": 12}`, or nothing when the file has no such place.
    """
    node: Any = raw
    line = None
    for part in loc:
        try:
            if isinstance(node, dict) and part in node:
                line = _marks(node).key(part)[0] + 1
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                line = _marks(node).item(part)[0] + 1
                node = node[part]
            else:
                break
        except (AttributeError, KeyError, TypeError):
            break
    return {"line": line} if line is not None else {}


def _marks(node: Any) -> Any:
    """ruamel's position record of a loaded mapping or sequence."""
    return node.lc


def _duplicate_ids(
    model: BaseModel, loc: tuple[Any, ...]
) -> Iterator[tuple[tuple[Any, ...], str, tuple[Any, ...]]]:
    """Every item whose id repeats an earlier one in the same list."""
    for field in type(model).model_fields:
        value = getattr(model, field)
        if isinstance(value, BaseModel):
            yield from _duplicate_ids(value, (*loc, field))
        elif isinstance(value, list):
            seen: dict[str, tuple[Any, ...]] = {}
            for index, item in enumerate(value):
                if not isinstance(item, BaseModel):
                    continue
                here = (*loc, field, index)
                item_id = getattr(item, "id", None)
                if isinstance(item_id, str):
                    if item_id in seen:
                        yield here, item_id, seen[item_id]
                    else:
                        seen[item_id] = here
                yield from _duplicate_ids(item, here)


def _cross_check(models: dict[str, BaseModel]) -> list[Problem]:
    """References between files: question tags must name roles and stages that exist."""
    spin: SpinPlaybook = models["spin.yaml"]  # type: ignore[assignment]
    unit: DecisionUnitPlaybook = models["decision_unit.yaml"]  # type: ignore[assignment]
    relationship: RelationshipPlaybook = models["relationship.yaml"]  # type: ignore[assignment]
    process: ProcessPlaybook = models["process.yaml"]  # type: ignore[assignment]
    known = {
        "roles": {role.id for role in unit.roles},
        "contact_stages": {stage.id for stage in relationship.contact_stages},
        "sales_stages": {step.id for step in process.steps},
    }
    problems = []
    for index, question in enumerate(spin.questions):
        for field, template in TAGS.items():
            for position, tag in enumerate(getattr(question, field)):
                if tag not in known[field]:
                    where = f"spin.yaml: questions[{index}].{field}[{position}]"
                    problems.append(Problem(where, template, given=tag))
    coaching: CoachingPlaybook = models["coaching.yaml"]  # type: ignore[assignment]
    scorecard: ScorecardPlaybook = models["scorecard.yaml"]  # type: ignore[assignment]
    tested: list[tuple[str, str, Sequence[CoachingRule | ScorecardItem]]] = [
        ("coaching.yaml", "rules", coaching.rules),
        ("scorecard.yaml", "items", scorecard.items),
    ]
    for filename, field, entries in tested:
        for index, entry in enumerate(entries):
            for position, condition in enumerate(entry.when):
                if condition.fact not in FACTS:
                    problems.append(
                        Problem(
                            f"{filename}: {field}[{index}].when[{position}].fact",
                            "config/unknown_fact",
                            given=condition.fact,
                            known=", ".join(sorted(FACTS)),
                        )
                    )
    for (filename, field), required in REQUIRED_IDS.items():
        present = {item.id for item in getattr(models[filename], field)}
        problems.extend(
            Problem(f"{filename}: {field}", "config/required_by_rules", given=needed)
            for needed in required
            if needed not in present
        )
    return problems
