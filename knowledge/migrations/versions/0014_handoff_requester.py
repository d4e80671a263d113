"""whom a request to volunteers is written for (a relative's or a worker's request)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 22:55:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('handoff_request') as batch:
        batch.add_column(sa.Column('requester', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('handoff_request') as batch:
        batch.drop_column('requester')
