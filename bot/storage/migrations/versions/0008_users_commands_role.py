"""users.commands_role: whose Telegram command list a member's chat holds (NULL: the default)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL everywhere: no chat has a list of its own yet, so the next start sets every
    # manager's and admin's.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'commands_role',
                sa.Enum('rep', 'manager', 'admin', name='role', native_enum=False, length=15),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('commands_role')
