"""draw pools stored once, as files named by pool hash; a covering index for
the pool read; redundant visit indexes dropped

Revision ID: e7a1c0d5b2f3
Revises: d4b9e9729ded
Create Date: 2026-11-21 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7a1c0d5b2f3'
down_revision = 'd4b9e9729ded'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('draw_pools',
    sa.Column('pool_hash', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('bytes', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('pool_hash', name=op.f('pk_draw_pools'))
    )
    if op.get_bind().dialect.name == 'sqlite':  # see models/enterprise.py
        op.create_index('ix_enterprises_draw_pool', 'enterprises', [
            'uscc', 'name', 'credit_class', 'industry', 'street', 'needs_expert', 'status',
            'affiliation', 'scale', 'risk_level', 'blacklisted', 'major_hazard',
            'special_work', 'registries'], unique=False)
    # Prefixes of a unique constraint's index, and an index on a flag that most
    # rows share: each cost every inserted visit, none narrowed a query.
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index('ix_visits_draw_record_id')
        batch_op.drop_index('ix_visits_current')
    with op.batch_alter_table('visit_members', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_members_visit_id')


def downgrade():
    with op.batch_alter_table('visit_members', schema=None) as batch_op:
        batch_op.create_index('ix_visit_members_visit_id', ['visit_id'], unique=False)
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index('ix_visits_draw_record_id', ['draw_record_id'], unique=False)
        batch_op.create_index('ix_visits_current', ['current'], unique=False)
    if op.get_bind().dialect.name == 'sqlite':
        op.drop_index('ix_enterprises_draw_pool', table_name='enterprises')
    op.drop_table('draw_pools')
