"""Links a page writes on every row of a table: a unit's page, with the request's filters."""

from collections.abc import Callable
from urllib.parse import quote

from flask import request, url_for

MARK = "_"  # the code the link is built with once, then replaced by each unit's


def unit_links() -> Callable[[str], str]:
    """Return code -> the link to that unit's page with the request's arguments.

    The same as url_for("scores.unit", code=code, **request.args), with url_for called once,
    not once a row (hundreds of communes: it was a tenth of a province page's rendering).
    """
    built = url_for("scores.unit", code=MARK, **request.args.to_dict(flat=False))
    path, question, query = built.partition("?")
    if not path.endswith("/" + MARK):
        raise ValueError(f"{built!r} does not end with the unit's code")
    prefix, tail = path[: -len(MARK)], question + query
    return lambda code: prefix + _segment(code) + tail


def _segment(code: str) -> str:
    """Return a code as werkzeug writes a path's string part (routing's BaseConverter)."""
    return quote(str(code), safe="!$&'()*+,/:;=@")
