"""packed tallies: each cell's and rollup's whole tally in one binary column

Revision ID: f2b4d6e8a0c1
Revises: e7a9c1d3f5b8
Create Date: 2026-11-23 23:30:00

A cell or rollup kept one row per answer given (about 140 for the SIPAS questionnaire) and one
per pair of elements (15): at one million answers 40 million rows, which the national page summed
by the hundred thousand and every answer added to by the hundred. Each now holds its tally packed
by its questionnaire version's layout (satisfaction.scoring.layout), stored in score_layouts.

The layouts are made here from the versions' definitions by the application's own scheme, the
one thing of the application this migration uses; the downgrade reads the stored layouts only.
"""

import json

import numpy as np
import sqlalchemy as sa
from alembic import op

revision = "f2b4d6e8a0c1"
down_revision = "e7a9c1d3f5b8"
branch_labels = None
depends_on = None

GRAINS = (  # aggregate table, its counts, its sums, the column linking them
    ("score_cells", "score_answer_counts", "score_element_sums", "cell_id"),
    ("score_rollups", "score_rollup_answer_counts", "score_rollup_element_sums", "rollup_id"),
)
ROWS_PER_KEY = {
    "score_answer_counts": -0.03,
    "score_element_sums": -0.08,
    "score_rollup_answer_counts": -0.015,
    "score_rollup_element_sums": -0.07,
}

LAYOUTS = sa.table("score_layouts", sa.column("questionnaire_version_id", sa.Integer()),
                   sa.column("answers", sa.JSON()), sa.column("pairs", sa.JSON()))  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "score_layouts",
        sa.Column("questionnaire_version_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("pairs", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["questionnaire_version_id"], ["questionnaire_versions.id"],
                                name=op.f("fk_score_layouts_questionnaire_version_id_questionnaire_versions")),
        sa.PrimaryKeyConstraint("questionnaire_version_id", name=op.f("pk_score_layouts")),
    )  # fmt: skip
    for table, _counts, _sums, _link in GRAINS:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("tally", sa.LargeBinary(), nullable=True))
    bind = op.get_bind()
    layouts = _store_layouts(bind)
    for grain in GRAINS:
        _pack(bind, layouts, *grain)
    for table, counts, sums, _link in GRAINS:
        op.drop_table(sums)
        op.drop_table(counts)
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("tally", existing_type=sa.LargeBinary(), nullable=False)


def _store_layouts(bind) -> dict:
    """Store the layout of every version with aggregates; return them as (answers, pairs, dtype)."""
    from satisfaction.questionnaires.definition import Questionnaire
    from satisfaction.scoring.layout import Layout
    from satisfaction.scoring.scheme import Scheme

    counted = ("SELECT id, definition FROM questionnaire_versions WHERE id IN (SELECT "
               "questionnaire_version_id FROM score_cells UNION SELECT questionnaire_version_id "
               "FROM score_rollups)")  # fmt: skip
    layouts = {}
    for version, definition in bind.execute(sa.text(counted)).all():
        if isinstance(definition, str):
            definition = json.loads(definition)
        layout = Layout.of(Scheme.of(Questionnaire.from_dict(definition)))
        stored = layout.to_json()
        bind.execute(LAYOUTS.insert(), {"questionnaire_version_id": version, **stored})
        layouts[version] = _layout(stored["answers"], stored["pairs"])
    return layouts


def _layout(answers: list, pairs: list) -> tuple[dict, dict, np.dtype]:
    """Return a stored layout's slots by (question, answer) and by pair, and its packed type."""
    dtype = np.dtype([("counts", "<i4", (len(answers),)), ("moments", "<f8", (len(pairs), 4))])
    return ({tuple(key): i for i, key in enumerate(answers)},
            {tuple(key): i for i, key in enumerate(pairs)}, dtype)  # fmt: skip


def _pack(bind, layouts: dict, table: str, counts: str, sums: str, link: str) -> None:
    """Pack the counts and sums of every row of an aggregate table into its tally column."""
    rows = bind.execute(sa.text(f"SELECT id, questionnaire_version_id FROM {table}")).all()
    packed = {row_id: np.zeros(1, layouts[version][2]) for row_id, version in rows}
    versions = dict(rows)
    for row_id, question, answer, count in bind.execute(
        sa.text(f"SELECT {link}, question, answer, count FROM {counts}")
    ):
        slot = layouts[versions[row_id]][0].get((question, answer))
        if slot is not None:  # an answer outside the questionnaire's scales is not counted
            packed[row_id]["counts"][0][slot] += count
    for row_id, a, b, n, ab, sum_a, sum_b in bind.execute(
        sa.text(f"SELECT {link}, element_a, element_b, respondents, sum_ab, sum_a, sum_b "
                f"FROM {sums}")
    ):  # fmt: skip
        slot = layouts[versions[row_id]][1].get((a, b))
        if slot is not None:
            packed[row_id]["moments"][0][slot] = (n, ab, sum_a, sum_b)
    if packed:
        bind.execute(
            sa.text(f"UPDATE {table} SET tally = :tally WHERE id = :id").bindparams(
                sa.bindparam("tally", type_=sa.LargeBinary())
            ),
            [{"id": row_id, "tally": value.tobytes()} for row_id, value in packed.items()],
        )


def downgrade() -> None:
    bind = op.get_bind()
    stored = bind.execute(sa.text("SELECT questionnaire_version_id, answers, pairs "
                                  "FROM score_layouts")).all()  # fmt: skip
    layouts = {}
    for version, answers, pairs in stored:
        answers, pairs = (json.loads(v) if isinstance(v, str) else v for v in (answers, pairs))
        layouts[version] = ([tuple(k) for k in answers], [tuple(k) for k in pairs],
                            _layout(answers, pairs)[2])  # fmt: skip
    # Unpacked first: SQLite drops a column by copying its table, which nothing may refer to.
    unpacked = [_unpack(bind, layouts, table) for table, _counts, _sums, _link in GRAINS]
    for table, _counts, _sums, _link in GRAINS:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("tally")
    op.drop_table("score_layouts")
    for (table, counts, sums, link), (answer_rows, sum_rows) in zip(GRAINS, unpacked, strict=True):
        parent = f"{table}.id"
        op.create_table(
            counts,
            sa.Column(link, sa.Integer(), nullable=False),
            sa.Column("question", sa.String(length=64), nullable=False),
            sa.Column("answer", sa.String(length=8), nullable=False),
            sa.Column("count", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint([link], [parent], name=op.f(f"fk_{counts}_{link}_{table}")),
            sa.PrimaryKeyConstraint(link, "question", "answer", name=op.f(f"pk_{counts}")),
        )
        op.create_table(
            sums,
            sa.Column(link, sa.Integer(), nullable=False),
            sa.Column("element_a", sa.String(length=64), nullable=False),
            sa.Column("element_b", sa.String(length=64), nullable=False),
            sa.Column("respondents", sa.Integer(), nullable=False),
            sa.Column("sum_ab", sa.Double(), nullable=False),
            sa.Column("sum_a", sa.Double(), nullable=False),
            sa.Column("sum_b", sa.Double(), nullable=False),
            sa.ForeignKeyConstraint([link], [parent], name=op.f(f"fk_{sums}_{link}_{table}")),
            sa.PrimaryKeyConstraint(link, "element_a", "element_b", name=op.f(f"pk_{sums}")),
        )
        if bind.dialect.name == "postgresql":
            for name in (counts, sums):
                op.execute(f"ALTER TABLE {name} ALTER COLUMN {link} "
                           f"SET (n_distinct = {ROWS_PER_KEY[name]})")  # fmt: skip
        if answer_rows:
            bind.execute(sa.text(f"INSERT INTO {counts} ({link}, question, answer, count) "
                                 "VALUES (:id, :q, :a, :n)"), answer_rows)  # fmt: skip
        if sum_rows:
            bind.execute(sa.text(f"INSERT INTO {sums} ({link}, element_a, element_b, "
                                 "respondents, sum_ab, sum_a, sum_b) "
                                 "VALUES (:id, :x, :y, :n, :ab, :sa, :sb)"), sum_rows)  # fmt: skip


def _unpack(bind, layouts: dict, table: str) -> tuple[list[dict], list[dict]]:
    """Return the rows of answer counts and of pair sums of every packed tally of a table."""
    answer_rows, sum_rows = [], []
    query = sa.text(f"SELECT id, questionnaire_version_id, tally FROM {table}")
    for row_id, version, tally in bind.execute(query):
        answers, pairs, dtype = layouts[version]
        value = np.frombuffer(bytes(tally), dtype)[0]
        answer_rows += [
            {"id": row_id, "q": answers[i][0], "a": answers[i][1], "n": int(value["counts"][i])}
            for i in np.flatnonzero(value["counts"])
        ]
        sum_rows += [
            {"id": row_id, "x": pairs[i][0], "y": pairs[i][1], "n": int(round(n)), "ab": ab,
             "sa": sa_, "sb": sb}
            for i, (n, ab, sa_, sb) in enumerate(value["moments"].tolist())
            if n
        ]  # fmt: skip
    return answer_rows, sum_rows
