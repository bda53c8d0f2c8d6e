"""invitation codes kept as hashes, revocable; wrong-code attempts; visits and debriefs keep their team

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op
import bot.storage.types

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

invitations = sa.table(
    'invitations',
    sa.column('id', sa.Integer()),
    sa.column('code', sa.String()),
    sa.column('code_hash', sa.String()),
    sa.column('used_at', bot.storage.types.UTCDateTime(timezone=True)),
    sa.column('expires_at', bot.storage.types.UTCDateTime(timezone=True)),
    sa.column('revoked_at', bot.storage.types.UTCDateTime(timezone=True)),
)


def upgrade() -> None:
    op.create_table('code_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('telegram_id', sa.BigInteger(), nullable=False),
    sa.Column('attempted_at', bot.storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('code_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_code_attempts_user_at', ['telegram_id', 'attempted_at'], unique=False)

    # Codes already handed out keep working: each is replaced by its SHA-256, computed here as
    # bot.access.code_hash does (of the code without surrounding spaces). An unused code that
    # never expired expires a week from now, as a new one would.
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', bot.storage.types.UTCDateTime(timezone=True), nullable=True))
    connection = op.get_bind()
    for invitation_id, code in connection.execute(sa.select(invitations.c.id, invitations.c.code)).all():
        digest = hashlib.sha256(str(code).strip().encode('utf-8')).hexdigest()
        connection.execute(
            invitations.update().where(invitations.c.id == invitation_id).values(code_hash=digest)
        )
    connection.execute(
        invitations.update()
        .where(invitations.c.used_at.is_(None), invitations.c.expires_at.is_(None))
        .values(expires_at=datetime.now(UTC) + timedelta(days=7))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.alter_column('code_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint('uq_invitations_code_hash', ['code_hash'])
        batch_op.drop_column('code')

    # A visit belongs to the team its rep was in when it was made; before this revision that is
    # taken to be the rep's team now. A debrief keeps its visit's team beside its rep.
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_id', sa.Integer(), nullable=True))
    op.execute(
        'UPDATE visits SET team_id = '
        '(SELECT users.team_id FROM users WHERE users.id = visits.rep_id)'
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.alter_column('team_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index('ix_visits_team_rep_created', ['team_id', 'rep_id', 'created_at'], unique=False)
        batch_op.create_foreign_key('fk_visits_team_id_teams', 'teams', ['team_id'], ['id'])

    with op.batch_alter_table('debriefs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_id', sa.Integer(), nullable=True))
    op.execute(
        'UPDATE debriefs SET team_id = '
        '(SELECT visits.team_id FROM visits WHERE visits.id = debriefs.visit_id)'
    )
    with op.batch_alter_table('debriefs', schema=None) as batch_op:
        batch_op.alter_column('team_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_index('ix_debriefs_rep_created')
        batch_op.create_index('ix_debriefs_rep_created', ['rep_id', 'created_at', 'outcome', 'visit_id', 'team_id'], unique=False)
        batch_op.create_foreign_key('fk_debriefs_team_id_teams', 'teams', ['team_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('debriefs', schema=None) as batch_op:
        batch_op.drop_constraint('fk_debriefs_team_id_teams', type_='foreignkey')
        batch_op.drop_index('ix_debriefs_rep_created')
        batch_op.create_index('ix_debriefs_rep_created', ['rep_id', 'created_at', 'outcome', 'visit_id'], unique=False)
        batch_op.drop_column('team_id')

    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_constraint('fk_visits_team_id_teams', type_='foreignkey')
        batch_op.drop_index('ix_visits_team_rep_created')
        batch_op.drop_column('team_id')

    # The codes cannot be recovered from their hashes: every invitation not yet used expires
    # now, and the hash stands in for its code.
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=64), nullable=True))
    op.execute(invitations.update().values(code=invitations.c.code_hash))
    op.execute(
        invitations.update()
        .where(invitations.c.used_at.is_(None))
        .values(expires_at=datetime.now(UTC))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.alter_column('code', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint('invitations_code_key', ['code'])
        batch_op.drop_constraint('uq_invitations_code_hash', type_='unique')
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('code_hash')

    with op.batch_alter_table('code_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_code_attempts_user_at')

    op.drop_table('code_attempts')
