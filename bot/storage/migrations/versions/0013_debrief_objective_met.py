"""debriefs.objective_met: how the visit ended against the plan's best and minimum commitment

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Debriefs saved before were never asked against the objective: they stay empty (unknown),
    # not "neither", so no figure counts them as plans missed.
    with op.batch_alter_table('debriefs', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'objective_met',
                sa.Enum('best', 'minimum', 'neither', name='objectivemet', native_enum=False,
                        length=15),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('debriefs', schema=None) as batch_op:
        batch_op.drop_column('objective_met')
