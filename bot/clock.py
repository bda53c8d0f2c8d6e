"""The one place that reads the wall clock; logic takes `now` as an argument instead."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """An aware UTC instant, for default timestamps on new rows."""
    return datetime.now(UTC)
