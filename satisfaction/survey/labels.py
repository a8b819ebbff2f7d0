"""Words for channels and statuses, in the user's language."""

from flask_babel import lazy_gettext as _l

CHANNELS = {
    "envelope": _l("envelope (result by post)"),
    "enumerator": _l("postal enumerator"),
    "desk": _l("one-stop desk"),
}
STATUSES = {
    "issued": _l("issued"),
    "printed": _l("printed"),
    "dispatched": _l("dispatched"),
    "returned": _l("returned"),
    "keyed": _l("keyed"),
    "verified": _l("verified"),
    "answered": _l("answered online"),
    "withdrawn": _l("withdrawn"),
}


def channel_label(value) -> str:
    """Return the words for a channel."""
    key = getattr(value, "value", value)
    return str(CHANNELS.get(key, key))


def status_label(value) -> str:
    """Return the words for an invitation status."""
    key = getattr(value, "value", value)
    return str(STATUSES.get(key, key))
