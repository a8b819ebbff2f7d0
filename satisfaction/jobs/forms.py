"""The forms that start a job by hand: an export of the microdata, a rebuild of the scores."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from satisfaction.core.forms import Form


class ExportForm(Form):
    """Export the anonymous microdata, with or without the free comments."""

    with_comments = BooleanField(_l("Include the free comments (they may name people: "
                                    "share the file with care)"))  # fmt: skip


class RebuildForm(Form):
    """Rebuild the score aggregates from every recorded answer (nothing to fill)."""
