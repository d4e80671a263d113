"""checklist state

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 14:17:26.298897
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('checklist_state',
    sa.Column('sender', sa.String(length=64), nullable=False),
    sa.Column('situation', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sender')
    )


def downgrade() -> None:
    op.drop_table('checklist_state')
