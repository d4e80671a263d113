"""a document plan shared with a one-time link

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 19:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'shared_plan',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('sender', sa.String(length=64), nullable=False),
        sa.Column('chat_ref', sa.Text(), nullable=True),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('situation', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('opened_by', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index('ix_shared_plan_sender', 'shared_plan', ['sender'], unique=False)
    op.create_index('ix_shared_plan_expires_at', 'shared_plan', ['expires_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_shared_plan_expires_at', table_name='shared_plan')
    op.drop_index('ix_shared_plan_sender', table_name='shared_plan')
    op.drop_table('shared_plan')
