"""the answers in force have an index of their own: every query reads them, never the superseded history

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 02:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_verification_in_force', 'verification', ['service_id'],
                    sqlite_where=sa.text('superseded_at IS NULL'), postgresql_where=sa.text('superseded_at IS NULL'))


def downgrade() -> None:
    op.drop_index('ix_verification_in_force', table_name='verification')
