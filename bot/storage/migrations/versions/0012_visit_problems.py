"""visit_problems: the worksheet's problem statements, apart from the SPIN questions

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plans saved before keep their worksheet problems as problem questions (typed_by
    # 'worksheet'): they were planned and may have been debriefed so, and stay as they were.
    op.create_table(
        'visit_problems',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('visit_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('text', sa.String(length=10000), nullable=False),
        sa.ForeignKeyConstraint(['visit_id'], ['visits.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('visit_problems', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_problems_visit_id'), ['visit_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('visit_problems', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_problems_visit_id'))
    op.drop_table('visit_problems')
