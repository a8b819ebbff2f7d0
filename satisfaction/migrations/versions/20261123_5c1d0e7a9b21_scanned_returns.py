"""scanned returns: scan files, pages, marks and the review queues

Revision ID: 5c1d0e7a9b21
Revises: 17420b9e84cb
Create Date: 2026-11-23 12:00:00

"""

from alembic import op
import sqlalchemy as sa

revision = "5c1d0e7a9b21"
down_revision = "17420b9e84cb"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scan_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('error', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_scan_files_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scan_files')),
    sa.UniqueConstraint('sha256', name=op.f('uq_scan_files_sha256'))
    )
    op.create_index(op.f('ix_scan_files_received_at'), 'scan_files', ['received_at'], unique=False)
    op.create_table('scan_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scan_file_id', sa.Integer(), nullable=False),
    sa.Column('index', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('read', 'unidentified', 'unregistered', 'duplicate', name='pagestate', native_enum=False, length=16), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('page_no', sa.Integer(), nullable=True),
    sa.Column('is_upside_down', sa.Boolean(), nullable=False),
    sa.Column('residual_mm', sa.Double(), nullable=True),
    sa.Column('marks', sa.JSON(), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=True),
    sa.Column('image', sa.LargeBinary(), nullable=True),
    sa.Column('read_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_scan_pages_invitation_id_invitations')),
    sa.ForeignKeyConstraint(['scan_file_id'], ['scan_files.id'], name=op.f('fk_scan_pages_scan_file_id_scan_files')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scan_pages'))
    )
    op.create_index(op.f('ix_scan_pages_invitation_id'), 'scan_pages', ['invitation_id'], unique=False)
    op.create_index(op.f('ix_scan_pages_scan_file_id'), 'scan_pages', ['scan_file_id'], unique=False)
    op.create_index(op.f('ix_scan_pages_state'), 'scan_pages', ['state'], unique=False)
    op.create_table('scanned_forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('gathering', 'counted', 'duplicate', name='formstate', native_enum=False, length=16), nullable=False),
    sa.Column('provenance', sa.Enum('scanned-auto', 'scanned-reviewed', name='provenance', native_enum=False), nullable=True),
    sa.Column('settled_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_scanned_forms_invitation_id_invitations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scanned_forms')),
    sa.UniqueConstraint('invitation_id', name=op.f('uq_scanned_forms_invitation_id'))
    )
    op.create_index(op.f('ix_scanned_forms_state'), 'scanned_forms', ['state'], unique=False)
    op.create_table('review_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('unidentified', 'registration', 'doubtful', 'duplicate', 'missing-page', name='reviewkind', native_enum=False, length=16), nullable=False),
    sa.Column('scan_page_id', sa.Integer(), nullable=True),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('crop', sa.LargeBinary(), nullable=True),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolution', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_review_items_invitation_id_invitations')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_review_items_resolved_by_id_users')),
    sa.ForeignKeyConstraint(['scan_page_id'], ['scan_pages.id'], name=op.f('fk_review_items_scan_page_id_scan_pages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_items'))
    )
    op.create_index(op.f('ix_review_items_invitation_id'), 'review_items', ['invitation_id'], unique=False)
    op.create_index(op.f('ix_review_items_is_open'), 'review_items', ['is_open'], unique=False)
    op.create_index(op.f('ix_review_items_kind'), 'review_items', ['kind'], unique=False)
    op.create_index(op.f('ix_review_items_scan_page_id'), 'review_items', ['scan_page_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_review_items_scan_page_id'), table_name='review_items')
    op.drop_index(op.f('ix_review_items_kind'), table_name='review_items')
    op.drop_index(op.f('ix_review_items_is_open'), table_name='review_items')
    op.drop_index(op.f('ix_review_items_invitation_id'), table_name='review_items')
    op.drop_table('review_items')
    op.drop_index(op.f('ix_scanned_forms_state'), table_name='scanned_forms')
    op.drop_table('scanned_forms')
    op.drop_index(op.f('ix_scan_pages_state'), table_name='scan_pages')
    op.drop_index(op.f('ix_scan_pages_scan_file_id'), table_name='scan_pages')
    op.drop_index(op.f('ix_scan_pages_invitation_id'), table_name='scan_pages')
    op.drop_table('scan_pages')
    op.drop_index(op.f('ix_scan_files_received_at'), table_name='scan_files')
    op.drop_table('scan_files')
