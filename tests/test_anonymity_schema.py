"""Every table and column of the schema, checked for what could link an answer to its code.

A new column that keeps a time, a sequence or answers beside a code fails here until someone
has written down, below, why it cannot tell which response is that code's (docs/methodology.md,
"Anonymity").
"""

from sqlalchemy import JSON, Date, DateTime, Integer, LargeBinary, Uuid

from satisfaction.extensions import db

# Tables whose rows are answers: linked to no code, in no order, with no time but the day.
ANSWERS = {"responses", "ballots"}
ANSWER_LINKS = {"questionnaire_versions", "service_points", "admin_units"}

# Every time kept anywhere, and why it cannot tell when a code was answered.
TIMES = {
    "questionnaire_versions.synced_at": "when a questionnaire was loaded",
    "unit_datasets.loaded_at": "when a list of units was loaded",
    "service_points.created_at": "when an office was added",
    "users.created_at": "staff accounts",
    "users.last_login_at": "staff accounts",
    "api_tokens.created_at": "staff tokens",
    "api_tokens.last_used_at": "staff tokens",
    "api_tokens.revoked_at": "staff tokens",
    "audit_events.occurred_at": "exports, file imports, prints and role changes: no event is "
    "written when a code is answered, and none names one",
    "batches.created_at": "a print run, before any answer",
    "batches.printed_at": "a print run, before any answer",
    "invitations.issued_at": "before any answer",
    "invitations.printed_at": "before any answer",
    "invitations.dispatched_at": "the form handed over with the result, before the answer",
    "invitations.returned_at": "the paper back at the post office: a postal step, often days "
    "before it is keyed; the methodology names it",
    "invitations.withdrawn_at": "a withdrawn code is never answered",
    "invitation_events.at": "dispatched, returned and withdrawn only: no event when answered",
    "scan_files.received_at": "a whole file of scanned pages: when its forms were read, as one "
    "batch; the methodology names it",
    "duplicate_answers.received_at": "an answer that is not counted, and whose answers are "
    "not kept",
    "ballots.dropped_at": "deleted with the ballot when it is mixed",
    "jobs.created_at": "long work a staff member started (a file, a batch, a rebuild): the time "
    "its file's own record keeps already; no code and no answer beside it",
    "jobs.finished_at": "the end of a whole file's or batch's work, never of one form's",
    "imported_files.imported_at": "a whole file taken by an import, as one batch: the time its "
    "audit event keeps already; no code and no answer beside it",
}
# Dates beside a code: months of answering, or dates that come before any answer.
DATES = {
    "invitations.result_on": "the result's date, before the form is sent",
    "invitations.answered_month": "the month only",
    "keyed_entries.keyed_month": "the month only",
    "review_items.created_month": "the month only",
    "review_items.resolved_month": "the month only",
}
# Answers kept beside a code, and when they go.
CONTENTS = {
    "keyed_entries.answers": "a first entry until the second agrees or a supervisor decides; "
    "cleared when the form is counted",
    "scan_pages.answers": "cleared when the form is counted",
    "scan_pages.marks": "cleared when the form is counted",
    "scan_pages.image": "only pages no code was read from; cleared once identified",
    "review_items.crop": "a doubtful question's picture, cleared when the doubt is decided; or a "
    "handwritten comment's, deleted once typed or skipped (the typed words go with the page's "
    "answers, cleared when the form is counted; the item keeps only 'typed' or 'skipped')",
}
# Tables that name a code and number their rows in order: the order codes were closed at most.
SEQUENCES = {
    "keyed_entries": "keying order",
    "scan_pages": "scanning order",
    "scanned_forms": "order of first pages",
    "review_items": "order of doubts",
    "duplicate_answers": "arrival of uncounted answers",
    "invitation_events": "postal steps, none of them the answer",
    "invitations": "the order codes were issued, not answered",
}


def _name(column) -> str:
    return f"{column.table.name}.{column.name}"


def _naming_a_code() -> set[str]:
    """Return the tables whose rows lead to an invitation (directly or through another)."""
    found = {"invitations"}
    while True:
        more = {t.name for t in db.metadata.sorted_tables
                if any(fk.column.table.name in found for fk in t.foreign_keys)} - found  # fmt: skip
        if not more:
            return found
        found |= more


def test_answers_are_linked_to_no_code_and_kept_in_no_order(app):
    with app.app_context():
        for name in ANSWERS:
            table = db.metadata.tables[name]
            assert {fk.column.table.name for fk in table.foreign_keys} <= ANSWER_LINKS, name
            (key,) = table.primary_key.columns
            assert isinstance(key.type, Uuid), f"{name}: a numbered key tells arrival order"
        responses = db.metadata.tables["responses"]
        kinds = {type(c.type) for c in responses.columns}
        assert DateTime not in kinds, "responses keep the day, never a time"


def test_every_time_is_reviewed(app):
    with app.app_context():
        times = {_name(c) for t in db.metadata.sorted_tables for c in t.columns
                 if isinstance(c.type, DateTime)}  # fmt: skip
    assert times - TIMES.keys() == set(), "a new time column: say below why it is safe"
    assert TIMES.keys() - times == set(), "a reviewed column is gone: update the list"


def test_what_names_a_code_keeps_months_sequences_and_answers_only_as_reviewed(app):
    with app.app_context():
        naming = _naming_a_code()
        tables = [t for t in db.metadata.sorted_tables if t.name in naming]
        dates = {_name(c) for t in tables for c in t.columns if isinstance(c.type, Date)}
        contents = {_name(c) for t in tables for c in t.columns
                    if isinstance(c.type, JSON | LargeBinary)}  # fmt: skip
        numbered = {t.name for t in tables
                    if any(isinstance(c.type, Integer) and c.autoincrement in (True, "auto")
                           for c in t.primary_key.columns)}  # fmt: skip
    assert dates == DATES.keys()
    assert contents == CONTENTS.keys()
    assert numbered == SEQUENCES.keys()
    assert not naming & ANSWERS
