"""a service says whether it has a phone (the ranking reads it without the phone table); the nearest query's box
read from one covering index

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 01:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('service') as batch:
        batch.add_column(sa.Column('has_phone', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE service SET has_phone = EXISTS (SELECT 1 FROM phone WHERE phone.service_id = service.id)")
    op.drop_index('ix_service_kind_latitude', table_name='service')
    op.create_index('ix_service_kind_point', 'service', ['kind', 'latitude', 'longitude', 'id'])


def downgrade() -> None:
    op.drop_index('ix_service_kind_point', table_name='service')
    op.create_index('ix_service_kind_latitude', 'service', ['kind', 'latitude'])
    with op.batch_alter_table('service') as batch:
        batch.drop_column('has_phone')
