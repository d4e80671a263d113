"""one open call per listing; an exported answer superseded by the next load of the data files

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 01:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('verification') as batch:
        batch.add_column(sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True))
    # Calls left open before this revision lapse, so that the unique index can hold.
    op.execute("UPDATE verification SET outcome = 'lapsed', answered_at = asked_at WHERE outcome IS NULL")
    op.create_index('ux_verification_open', 'verification', ['service_id'], unique=True,
                    sqlite_where=sa.text('outcome IS NULL'), postgresql_where=sa.text('outcome IS NULL'))


def downgrade() -> None:
    op.drop_index('ux_verification_open', table_name='verification')
    with op.batch_alter_table('verification') as batch:
        batch.drop_column('superseded_at')
