"""places on the map: municipality centres, and how exactly a service's point is known

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 19:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.add_column(sa.Column('latitude', sa.Numeric(9, 6), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Numeric(9, 6), nullable=True))
        batch_op.add_column(sa.Column('centre', sa.String(100), nullable=True))
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('location_precision', sa.String(12), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_column('location_precision')
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.drop_column('centre')
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')
