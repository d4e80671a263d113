"""procedures documents benefits thresholds

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:35:21.824568
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('obtained_by', sa.String(length=64), nullable=True),
    sa.Column('unlocks', sa.JSON(), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=False),
    sa.Column('source_notes', sa.Text(), nullable=True),
    sa.Column('source_date', sa.String(length=10), nullable=True),
    sa.Column('verified_on', sa.Date(), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('procedure',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('where_kind', sa.String(length=20), nullable=True),
    sa.Column('where_institution', sa.String(length=20), nullable=True),
    sa.Column('where_text', sa.Text(), nullable=True),
    sa.Column('bring', sa.JSON(), nullable=False),
    sa.Column('requires', sa.JSON(), nullable=False),
    sa.Column('unlocks', sa.JSON(), nullable=False),
    sa.Column('cost_eur', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('cost_text', sa.Text(), nullable=True),
    sa.Column('deadline_days_after_release', sa.Integer(), nullable=True),
    sa.Column('deadline_text', sa.Text(), nullable=True),
    sa.Column('working_age_only', sa.Boolean(), nullable=False),
    sa.Column('gaps', sa.Text(), nullable=True),
    sa.Column('source_url', sa.Text(), nullable=False),
    sa.Column('source_notes', sa.Text(), nullable=True),
    sa.Column('source_date', sa.String(length=10), nullable=True),
    sa.Column('verified_on', sa.Date(), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('benefit',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('municipality_id', sa.String(length=64), nullable=True),
    sa.Column('amount_eur', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('amount_text', sa.Text(), nullable=True),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('apply_where', sa.String(length=20), nullable=True),
    sa.Column('bring', sa.JSON(), nullable=False),
    sa.Column('deadline_days_after_release', sa.Integer(), nullable=True),
    sa.Column('deadline_text', sa.Text(), nullable=True),
    sa.Column('source_url', sa.Text(), nullable=False),
    sa.Column('source_notes', sa.Text(), nullable=True),
    sa.Column('source_date', sa.String(length=10), nullable=True),
    sa.Column('verified_on', sa.Date(), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('benefit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_benefit_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_benefit_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('threshold',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.String(length=64), nullable=True),
    sa.Column('first_person_eur', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('other_person_eur', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('source_url', sa.Text(), nullable=False),
    sa.Column('source_notes', sa.Text(), nullable=True),
    sa.Column('source_date', sa.String(length=10), nullable=True),
    sa.Column('verified_on', sa.Date(), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], ),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('threshold')
    with op.batch_alter_table('benefit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_benefit_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_benefit_kind'))

    op.drop_table('benefit')
    op.drop_table('procedure')
    op.drop_table('document')
