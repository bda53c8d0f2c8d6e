"""Column types shared by the models and the migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Stores instants in UTC and always hands back aware datetimes.

    SQLite has no time-zone type and silently drops offsets, so a naive value would be
    ambiguous; naive input is refused instead of guessed.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes; store UTC."""
        if value is None:
            return None
        if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
            raise ValueError("naive datetime refused: pass an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Attach UTC to what SQLite returns naive."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_type(enum: type[StrEnum]) -> sa.Enum:
    """A VARCHAR holding the enum's values, so ids read the same in SQL and in exports."""
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=max(len(member.value) for member in enum) + 8,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
