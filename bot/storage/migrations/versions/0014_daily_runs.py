"""daily_runs: a once-a-day job (the nudges) marked done for its day, so the ticks of every
worker after its time of day do not run it again

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'daily_runs',
        sa.Column('job', sa.String(length=40), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('ran_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('job', 'day'),
    )


def downgrade() -> None:
    op.drop_table('daily_runs')
