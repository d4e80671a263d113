"""a municipality's own office (phone, address, its page and date): the number a card gives when the municipality's
service has none on record

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 18:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('municipality') as batch:
        batch.add_column(sa.Column('council', sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('municipality') as batch:
        batch.drop_column('council')
