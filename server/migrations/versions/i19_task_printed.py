"""tasks as printed in the plan (prose kept, reviewed before publication) and
their structured item numbers

Revision ID: i19_task_printed
Revises: i15a0public01
Create Date: 2026-12-03 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i19_task_printed'
down_revision = 'i15a0public01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('printed', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('item_codes', sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))


def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_column('item_codes')
        batch_op.drop_column('printed')
