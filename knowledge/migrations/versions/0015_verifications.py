"""a fact's own source and how a record was checked; volunteers' checks of listings by phone

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 01:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

TABLES = ('municipality', 'service', 'procedure', 'document', 'benefit', 'threshold')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('verified_how', sa.String(length=10), nullable=True))
            batch.add_column(sa.Column('fact_sources', sa.JSON(), nullable=True))
    op.create_table(
        'verification',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.String(length=100), nullable=False),
        sa.Column('volunteer_id', sa.Integer(), nullable=True),
        sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('field', sa.String(length=10), nullable=True),
        sa.Column('value', sa.Text(), nullable=True),
        sa.Column('outcome', sa.String(length=12), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('how', sa.String(length=10), nullable=False),
        sa.Column('exported_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_verification_service', 'verification', ['service_id', 'answered_at'])
    op.create_index(op.f('ix_verification_outcome'), 'verification', ['outcome'])


def downgrade() -> None:
    op.drop_index(op.f('ix_verification_outcome'), table_name='verification')
    op.drop_index('ix_verification_service', table_name='verification')
    op.drop_table('verification')
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('fact_sources')
            batch.drop_column('verified_how')
