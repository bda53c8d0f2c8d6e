"""Exports of call records: JSON (the stable format), CSV, XLSX and a printable HTML report.

JSON format `salescoach.records` version 1 (documented in the README) holds every field of
every record, transcripts and comments included, with stored ids rather than labels, so it
reads back the same whatever the language. Other formats are views of the same records.

This module is the one door the CLI and `/export` go through: `records` picks the visits
(built in `bot.visit_records`), `render` turns them into the file asked for. The JSON and the
HTML report are written here; the spreadsheets, with their formula neutralising, in
`bot.spreadsheets`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain import DebriefField
from bot.playbooks.loader import Playbooks
from bot.settings import Language
from bot.spreadsheets import minute_utc, to_csv, to_xlsx
from bot.text import Texts
from bot.visit_records import records as records  # the CLI and /export pick visits here

FORMAT = "salescoach.records"
VERSION = 1
OUTCOMES = ("advance", "continuation", "order", "no_sale")
OBJECTIVES = ("best", "minimum", "neither")  # a debrief's objective_met


def to_json(visits: Sequence[dict[str, Any]], *, exported_at: datetime) -> str:
    """The stable format: a header and the records, UTF-8, ids not labels."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": exported_at.isoformat(),
        "visits": list(visits),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def to_html(
    visits: Sequence[dict[str, Any]],
    *,
    texts: Texts,
    language: Language,
    playbooks: Playbooks,
    exported_at: datetime,
) -> str:
    """A printable report, one visit per section, rendered with Jinja2."""
    return texts.render(
        "export/report",
        language,
        visits=[visit | {"corrected": _corrected(visit)} for visit in visits],
        labels=_labels(texts=texts, language=language, playbooks=playbooks),
        exported_at=exported_at.strftime("%Y-%m-%d %H:%M UTC"),
    )


def _labels(*, texts: Texts, language: Language, playbooks: Playbooks) -> dict[str, Any]:
    """The records hold ids; a person reads the playbooks' and catalogs' words for them."""
    return {
        "types": {guide.id.value: guide.name.get(language) for guide in playbooks.spin.types},
        "roles": {role.id: role.name.get(language) for role in playbooks.decision_unit.roles},
        "stances": {s.id: s.name.get(language) for s in playbooks.decision_unit.stances},
        "items": {item.id: item.label.get(language) for item in playbooks.scorecard.items},
        "flags": {rule.id: rule.title.get(language) for rule in playbooks.coaching.rules},
        "outcomes": {o: texts.label(f"outcome_{o}", language) for o in OUTCOMES},
        "objectives": {met: texts.label(f"objective_{met}", language) for met in OBJECTIVES},
        "fields": {f.value: texts.label(f"field_{f.value}", language) for f in DebriefField},
    }


def _corrected(visit: dict[str, Any]) -> list[dict[str, Any]]:
    """The debrief's corrections as the report prints them: who by name, when in UTC."""
    return [
        {
            "field": correction["field"],
            "from": correction["from"],
            "to": correction["to"],
            "by": correction["corrected_by"]["name"],
            "at": minute_utc(correction["corrected_at"]),
        }
        for correction in (visit["debrief"] or {}).get("corrections", [])
    ]


def render(
    visits: Sequence[dict[str, Any]],
    kind: str,
    *,
    texts: Texts,
    language: Language,
    playbooks: Playbooks,
    exported_at: datetime,
) -> bytes:
    """The file for `kind` (json, csv, xlsx or html), as bytes ready to write or send."""
    content: str | bytes
    if kind == "csv":
        content = to_csv(visits)
    elif kind == "xlsx":
        content = to_xlsx(visits)
    elif kind == "html":
        content = to_html(
            visits, texts=texts, language=language, playbooks=playbooks, exported_at=exported_at
        )
    else:
        content = to_json(visits, exported_at=exported_at)
    return content.encode("utf-8") if isinstance(content, str) else content
