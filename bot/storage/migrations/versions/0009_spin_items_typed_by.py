"""spin_items.typed_by and read_type: who gave a question its SPIN type, what the coach read

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Before the classifier every own question's type was the rep's (a prefix or a tap), and a
    # bank question's came from the bank. Worksheet rows cannot be told from own questions in
    # an old row, so they are marked 'rep' too.
    with op.batch_alter_table('spin_items', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'typed_by',
                sa.Enum('bank', 'worksheet', 'rep', 'coach', name='typedby', native_enum=False,
                        length=17),
                nullable=False,
                server_default='rep',
            )
        )
        batch_op.add_column(
            sa.Column(
                'read_type',
                sa.Enum('situation', 'problem', 'implication', 'need_payoff', name='spintype',
                        native_enum=False, length=19),
                nullable=True,
            )
        )
    op.execute("UPDATE spin_items SET typed_by = 'bank' WHERE bank_question_id IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('spin_items', schema=None) as batch_op:
        batch_op.drop_column('read_type')
        batch_op.drop_column('typed_by')
