"""The words for codes the officers' pages, files and reports name: the sources of answers."""

from flask_babel import lazy_gettext as _l

from satisfaction.scoring.models import Source

SOURCE_LABELS = {
    Source.ENVELOPE: _l("Forms sent with results by post"),
    Source.ENUMERATOR: _l("Forms handed out by postal staff"),
    Source.DESK: _l("Coded forms at the desk"),
    Source.POSTER: _l("Desk poster (anyone; not official)"),
}


def source_label(value: str) -> str:
    """Return the words for a source of answers."""
    try:
        return str(SOURCE_LABELS[Source(value)])
    except ValueError:
        return value
