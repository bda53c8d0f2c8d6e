"""debriefs.next_step_done_by: who marked a next step done (the when is next_step_done_at)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No step was ever marked done before /next, so there is nothing to fill in.
    with op.batch_alter_table('debriefs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_step_done_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_debriefs_next_step_done_by_users', 'users', ['next_step_done_by'], ['id']
        )


def downgrade() -> None:
    with op.batch_alter_table('debriefs', schema=None) as batch_op:
        batch_op.drop_constraint('fk_debriefs_next_step_done_by_users', type_='foreignkey')
        batch_op.drop_column('next_step_done_by')
