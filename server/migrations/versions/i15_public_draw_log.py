"""public draw files and the signed append-only log of them

Revision ID: i15a0public01
Revises: i14_draw_freezes
Create Date: 2026-12-03 08:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'i15a0public01'
down_revision = 'i14_draw_freezes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('public_draw_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('leaf_index', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('freeze_id', sa.Integer(), nullable=True),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('entry_json', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['freeze_id'], ['draw_freezes.id'], name=op.f('fk_public_draw_files_freeze_id_draw_freezes')),
    sa.ForeignKeyConstraint(['record_id'], ['draw_records.id'], name=op.f('fk_public_draw_files_record_id_draw_records')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_public_draw_files_task_id_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_draw_files')),
    sa.UniqueConstraint('leaf_index', name=op.f('uq_public_draw_files_leaf_index'))
    )
    with op.batch_alter_table('public_draw_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_draw_files_task_id'), ['task_id'], unique=False)
    op.create_table('log_heads',
    sa.Column('tree_size', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('root_hash', sa.String(length=64), nullable=False),
    sa.Column('signed_json', sa.Text(), nullable=False),
    sa.Column('signature', sa.String(length=128), nullable=True),
    sa.Column('key_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('tree_size', name=op.f('pk_log_heads'))
    )


def downgrade():
    op.drop_table('log_heads')
    with op.batch_alter_table('public_draw_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_draw_files_task_id'))
    op.drop_table('public_draw_files')
