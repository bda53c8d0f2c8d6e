"""debrief facts and rep as saved; indexes for team figures

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('debriefs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rep_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('facts', sa.JSON(), nullable=True))

    # Debriefs written before this revision take their visit's rep; their facts stay empty
    # and are derived from the record when read.
    op.execute(
        'UPDATE debriefs SET rep_id = '
        '(SELECT visits.rep_id FROM visits WHERE visits.id = debriefs.visit_id)'
    )

    with op.batch_alter_table('debriefs', schema=None) as batch_op:
        batch_op.alter_column('rep_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_index('ix_debriefs_created')
        batch_op.create_index('ix_debriefs_rep_created', ['rep_id', 'created_at', 'outcome', 'visit_id'], unique=False)
        batch_op.create_foreign_key('fk_debriefs_rep_id_users', 'users', ['rep_id'], ['id'])

    with op.batch_alter_table('spin_items', schema=None) as batch_op:
        batch_op.drop_index('ix_spin_items_visit_id')
        batch_op.create_index('ix_spin_items_visit_cover', ['visit_id', 'spin_type', 'planned', 'asked'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('spin_items', schema=None) as batch_op:
        batch_op.drop_index('ix_spin_items_visit_cover')
        batch_op.create_index('ix_spin_items_visit_id', ['visit_id'], unique=False)

    with op.batch_alter_table('debriefs', schema=None) as batch_op:
        batch_op.drop_constraint('fk_debriefs_rep_id_users', type_='foreignkey')
        batch_op.drop_index('ix_debriefs_rep_created')
        batch_op.create_index('ix_debriefs_created', ['created_at'], unique=False)
        batch_op.drop_column('facts')
        batch_op.drop_column('rep_id')
