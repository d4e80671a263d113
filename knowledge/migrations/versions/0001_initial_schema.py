"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 13:15:47.114456
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('municipality',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('iso_code', sa.String(length=10), nullable=True),
    sa.Column('website', sa.Text(), nullable=True),
    sa.Column('merged_into', sa.String(length=100), nullable=True),
    sa.Column('source_url', sa.Text(), nullable=False),
    sa.Column('source_notes', sa.Text(), nullable=True),
    sa.Column('source_date', sa.String(length=10), nullable=True),
    sa.Column('verified_on', sa.Date(), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['merged_into'], ['municipality.name'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('place',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('decl', sa.String(length=20), nullable=True),
    sa.Column('ambiguous', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('service',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('municipality_id', sa.String(length=64), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('website', sa.Text(), nullable=True),
    sa.Column('hours_text', sa.Text(), nullable=True),
    sa.Column('hours_rules', sa.JSON(), nullable=False),
    sa.Column('all_day_below_c', sa.Integer(), nullable=True),
    sa.Column('conditions_text', sa.JSON(), nullable=False),
    sa.Column('gender', sa.String(length=10), nullable=True),
    sa.Column('id_required', sa.Boolean(), nullable=True),
    sa.Column('residence_required', sa.Boolean(), nullable=True),
    sa.Column('sobriety_required', sa.Boolean(), nullable=True),
    sa.Column('fee_per_night_eur', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('max_stay_days', sa.Integer(), nullable=True),
    sa.Column('referral_required', sa.Boolean(), nullable=True),
    sa.Column('bring', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('latitude', sa.Numeric(precision=9, scale=6), nullable=True),
    sa.Column('longitude', sa.Numeric(precision=9, scale=6), nullable=True),
    sa.Column('source_url', sa.Text(), nullable=False),
    sa.Column('source_notes', sa.Text(), nullable=True),
    sa.Column('source_date', sa.String(length=10), nullable=True),
    sa.Column('verified_on', sa.Date(), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('phone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('label', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('phone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phone_service_id'), ['service_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('phone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phone_service_id'))

    op.drop_table('phone')
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_service_kind'))

    op.drop_table('service')
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_municipality_id'))

    op.drop_table('place')
    op.drop_table('municipality')
