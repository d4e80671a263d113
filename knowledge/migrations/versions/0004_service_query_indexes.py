"""service query indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 13:59:49.956681
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.create_index('ix_service_kind_latitude', ['kind', 'latitude'], unique=False)
        batch_op.create_index('ix_service_municipality_kind', ['municipality_id', 'kind'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_index('ix_service_municipality_kind')
        batch_op.drop_index('ix_service_kind_latitude')

