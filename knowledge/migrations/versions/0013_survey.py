"""the survey's anonymous counts, check-ins and what they said about listings

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 22:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'survey_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('municipality', sa.String(length=100), nullable=True),
        sa.Column('topic', sa.String(length=40), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.String(length=30), nullable=True),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('requester', sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_survey_event_month_municipality', 'survey_event', ['month', 'municipality'], unique=False)
    op.create_table(
        'service_outcome',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.String(length=80), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('outcome', sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_service_outcome_service_day', 'service_outcome', ['service_id', 'day'], unique=False)
    op.create_table(
        'checkin',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sender', sa.String(length=64), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('chat_ref', sa.Text(), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('requester', sa.String(length=10), nullable=False),
        sa.Column('topic', sa.String(length=20), nullable=False),
        sa.Column('service_id', sa.String(length=80), nullable=False),
        sa.Column('municipality', sa.String(length=100), nullable=True),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('sender'),
    )
    op.create_index('ix_checkin_due_at', 'checkin', ['due_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_checkin_due_at', table_name='checkin')
    op.drop_table('checkin')
    op.drop_index('ix_service_outcome_service_day', table_name='service_outcome')
    op.drop_table('service_outcome')
    op.drop_index('ix_survey_event_month_municipality', table_name='survey_event')
    op.drop_table('survey_event')
