"""account plans, competitors, purchase criteria, risk signals, personal wins: what the
seeds' account analysis, competitive strategy, need funnel and risk signals record per account

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
import bot.storage.types

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nothing existing is filled in: accounts and contacts recorded before have no plan,
    # competitors, criteria, risks or personal win yet, and the checklist says so.
    op.create_table('account_competitors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('account_id', 'name', name='uq_competitors_name')
    )
    with op.batch_alter_table('account_competitors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_competitors_account_id'), ['account_id'], unique=False)

    op.create_table('account_plan_entries',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('view_id', sa.String(length=40), nullable=False),
    sa.Column('text', sa.String(length=10000), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('account_id', 'view_id')
    )
    op.create_table('account_criteria',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=40), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('created_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], ),
    sa.PrimaryKeyConstraint('account_id', 'criterion_id')
    )
    op.create_table('debrief_risks',
    sa.Column('debrief_id', sa.Integer(), nullable=False),
    sa.Column('risk_id', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['debrief_id'], ['debriefs.id'], ),
    sa.PrimaryKeyConstraint('debrief_id', 'risk_id')
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('account_type', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('our_position', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('orientation', sa.String(length=40), nullable=True))

    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('personal_win', sa.String(length=40), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('personal_win')

    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('orientation')
        batch_op.drop_column('our_position')
        batch_op.drop_column('account_type')

    op.drop_table('debrief_risks')
    op.drop_table('account_criteria')
    op.drop_table('account_plan_entries')
    with op.batch_alter_table('account_competitors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_competitors_account_id'))

    op.drop_table('account_competitors')
