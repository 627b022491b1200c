"""draw freezes (冻结: snapshot, seed commitment, promised public randomness),
records pointing at their freeze, visits' 主办科室, the bureau's expert specialty mapping

Revision ID: i14_draw_freezes
Revises: e7a1c0d5b2f3
Create Date: 2026-12-03 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'i14_draw_freezes'
down_revision = 'e7a1c0d5b2f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('draw_freezes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('frozen_at', sa.DateTime(), nullable=False),
    sa.Column('seed_commitment', sa.String(length=64), nullable=False),
    sa.Column('seed_secret', sa.String(length=64), nullable=False),
    sa.Column('snapshot_hash', sa.String(length=64), nullable=False),
    sa.Column('snapshot_head', sa.Text(), nullable=False),
    sa.Column('pool_size', sa.Integer(), nullable=False),
    sa.Column('excluded_count', sa.Integer(), nullable=False),
    sa.Column('pool_ids', sa.LargeBinary(), nullable=False),
    sa.Column('beacon', sa.JSON(), nullable=False),
    sa.Column('beacon_due_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('outcome_at', sa.DateTime(), nullable=True),
    sa.Column('outcome_reason', sa.Text(), nullable=True),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_draw_freezes_task_id_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draw_freezes')),
    sa.UniqueConstraint('seed_commitment', name=op.f('uq_draw_freezes_seed_commitment'))
    )
    with op.batch_alter_table('draw_freezes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draw_freezes_task_id'), ['task_id'], unique=False)
    with op.batch_alter_table('draw_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('freeze_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_draw_records_freeze_id_draw_freezes'),
                                    'draw_freezes', ['freeze_id'], ['id'])
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('host_department', sa.String(length=64), nullable=True))
    op.create_table('specialty_mappings',
    sa.Column('word', sa.String(length=64), nullable=False),
    sa.Column('industries', sa.JSON(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('word', name=op.f('pk_specialty_mappings'))
    )


def downgrade():
    op.drop_table('specialty_mappings')
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_column('host_department')
    with op.batch_alter_table('draw_records', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_draw_records_freeze_id_draw_freezes'),
                                 type_='foreignkey')
        batch_op.drop_column('freeze_id')
    with op.batch_alter_table('draw_freezes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draw_freezes_task_id'))
    op.drop_table('draw_freezes')
