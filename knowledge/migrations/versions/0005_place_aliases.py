"""place aliases

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 14:02:12.769310
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aliases', sa.JSON(), nullable=False, server_default='[]'))

    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aliases', sa.JSON(), nullable=False, server_default='[]'))



def downgrade() -> None:
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.drop_column('aliases')

    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.drop_column('aliases')

