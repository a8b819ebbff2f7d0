"""Every text of the source has a Vietnamese translation, with the same placeholders."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("satisfaction/**.py", "python"), ("satisfaction/templates/**.html", "jinja2")]
OPTIONS = {"satisfaction/templates/**.html": {"extensions": "jinja2.ext.do"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]")


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, METHODS, OPTIONS, KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_is_translated_to_vietnamese():
    with (ROOT / "satisfaction/translations/vi/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = read_po(f)
    # A plural message is kept under its singular, with its one Vietnamese form.
    translated = {
        (m.id[0] if m.pluralizable else m.id): (m.string[0] if m.pluralizable else m.string)
        for m in catalog
        if m.id and (m.string[0] if m.pluralizable else m.string)
    }
    source = _source_messages()
    assert len(source) > 250
    missing = sorted(source - set(translated))
    assert missing == [], "run `make extract` and translate these"
    for msgid in source:
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(translated[msgid]))
