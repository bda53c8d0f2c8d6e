"""debrief_corrections: a saved debrief's fields corrected by its rep, before and after

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A new table: no debrief was ever corrected before, so there is nothing to fill in.
    op.create_table(
        'debrief_corrections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('debrief_id', sa.Integer(), nullable=False),
        sa.Column(
            'field',
            sa.Enum('outcome', 'summary', 'implied_needs', 'explicit_needs', 'next_step',
                    'next_step_due', name='debrieffield', native_enum=False, length=22),
            nullable=False,
        ),
        sa.Column('old_value', sa.String(length=10000), nullable=True),
        sa.Column('new_value', sa.String(length=10000), nullable=True),
        sa.Column('corrected_by_id', sa.Integer(), nullable=False),
        sa.Column('corrected_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['corrected_by_id'], ['users.id']),
        sa.ForeignKeyConstraint(['debrief_id'], ['debriefs.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('debrief_corrections', schema=None) as batch_op:
        batch_op.create_index(
            'ix_debrief_corrections_debrief', ['debrief_id', 'corrected_at'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('debrief_corrections', schema=None) as batch_op:
        batch_op.drop_index('ix_debrief_corrections_debrief')
    op.drop_table('debrief_corrections')
