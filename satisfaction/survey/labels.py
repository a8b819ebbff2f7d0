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


ANSWERED_VIA = {  # an answered form says how its answer came (the status is the same)
    "scanned": _l("answered on paper (scanned)"),
    "keyed": _l("answered on paper (keyed)"),
}


def status_label(value, via=None) -> str:
    """Return the words for an invitation status (an answered one: how, when via is given)."""
    key = getattr(value, "value", value)
    how = getattr(via, "value", via)
    if key == "answered" and how in ANSWERED_VIA:
        return str(ANSWERED_VIA[how])
    return str(STATUSES.get(key, key))
