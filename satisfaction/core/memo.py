"""Values read once per database transaction: what one page asks many times over.

A page of scores reads the questionnaire's versions, a unit's predecessors, a list's provinces
for each of its parts; they cannot change under a transaction that reads them (they change by
commands that commit), so the first read of a transaction serves the others. The memo is tied
to the session's transaction: after a commit or a rollback, the next read goes to the database.
"""

from collections.abc import Callable, Hashable
from typing import TypeVar

from satisfaction.extensions import db

T = TypeVar("T")
MEMO = "transaction_memo"  # session.info key: (the transaction, its values)


def in_transaction(key: Hashable, compute: Callable[[], T]) -> T:
    """Return compute(), computed once per transaction of the session for key.

    compute() must only read the database, and its value must not be changed by the caller.
    """
    session = db.session()
    transaction = session.get_transaction()
    held = session.info.get(MEMO)
    if transaction is not None and held is not None and held[0] is transaction:
        values = held[1]
        if key in values:
            return values[key]
    found = compute()
    transaction = session.get_transaction()
    if transaction is not None:
        # Read again: compute() may have kept values of its own (a memo inside a memo).
        held = session.info.get(MEMO)
        if held is None or held[0] is not transaction:
            held = session.info[MEMO] = (transaction, {})
        held[1][key] = found
    return found
