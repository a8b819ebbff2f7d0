"""Vietnamese everywhere: crawl every page and download as each kind of user, in Vietnamese,
and fail on a label of the application's own text left in English.

The application's own text is the source catalog (messages.pot): a message whose Vietnamese
differs from its English must not be seen in English on a Vietnamese page. The codes of
channels and other values the pages name in words must not be seen either.
"""

import csv
import html
import io
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pypdfium2 as pdfium
import pytest
from babel.messages.pofile import read_po
from openpyxl import load_workbook

from satisfaction.auth.models import Role
from tests.auth.helpers import make_user, sign_in
from tests.dashboard.conftest import scored_app  # noqa: F401 (the scored picture)

CATALOG = Path(__file__).resolve().parents[1] / "satisfaction" / "translations"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdf]|%%|%[sd]")
# Words that are English whatever the catalog says: the codes of channels and sources.
CODES = re.compile(r"\b(envelope|enumerator|poster|desk|keyed|scanned|MIN_N)\b")
SKIP = ("/logout", "/lang/", "lang=en", "/static/", "/metrics", "/readyz")
LIMIT = 400  # pages a crawl visits at most


def _english_phrases() -> list[str]:
    """Return the English fragments of every message translated into other words."""
    with (CATALOG / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source)
    found = set()
    for message in catalog:
        if not message.id or not message.string or isinstance(message.id, tuple):
            continue
        if message.string == message.id:
            continue
        for part in PLACEHOLDER.split(message.id):
            part = part.strip(" .,:;()“”\"'—-")
            if len(part) >= 14 and " " in part and not part.isupper():
                found.add(part)
    return sorted(found)


PHRASES = _english_phrases()


def _visible(page: str) -> str:
    """Return the text a person sees (and hears) on a page: tags gone, attributes read out."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    spoken = " ".join(re.findall(r'(?:aria-label|title|alt|placeholder)="([^"]*)"', page))
    text = re.sub(r"<[^>]+>", " ", page) + " " + spoken
    return re.sub(r"\s+", " ", html.unescape(text))


def _english_in(text: str) -> list[str]:
    found = [phrase for phrase in PHRASES if phrase in text]
    found += [f"code {m}" for m in CODES.findall(text)]
    return found


def _download_text(path: str, body: bytes) -> str:
    name = urlsplit(path).path
    if name.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        return " | ".join(rows[0]) if rows else ""  # the titles: the values are data
    if name.endswith(".pdf"):
        document = pdfium.PdfDocument(body)
        return " ".join(page.get_textpage().get_text_range() for page in document)
    if name.endswith(".xlsx"):
        book = load_workbook(io.BytesIO(body))
        return " | ".join(str(c.value) for sheet in book.worksheets for c in sheet[1] if c.value)
    return ""


def _crawl(client, starts: list[str]) -> dict[str, list[str]]:
    """Visit every page reachable from starts; return the English found on each."""
    seen, queue, problems = set(), list(starts), {}
    while queue and len(seen) < LIMIT:
        path = queue.pop(0)
        if path in seen or any(skip in path for skip in SKIP):
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code < 500, path
        kind = response.mimetype
        if kind == "text/html":
            text = _visible(response.get_data(as_text=True))
            for link in re.findall(r'href="([^"#]+)"', response.get_data(as_text=True)):
                link = urljoin(path, html.unescape(link))
                if link.startswith("/") and not link.startswith("//"):
                    queue.append(link)
        else:
            text = _download_text(path, response.data)
        english = _english_in(text)
        if english:
            problems[path] = english
    return problems


@pytest.mark.parametrize("who, role, scope", [
    ("quantri", Role.ADMIN, None), ("hanoi", None, None), ("buudien", Role.POSTAL, "001"),
])  # fmt: skip
def test_every_page_and_download_is_in_vietnamese(scored_app, issue, who, role, scope):  # noqa: F811
    issue(3)
    if role is not None:
        make_user(scored_app, who, role, scope)
    made = scored_app.test_cli_runner().invoke(args=[
        "batches", "create", "--service-point", "C00001-T", "--count", "2", "--channel",
        "enumerator"])  # fmt: skip
    assert made.exit_code == 0, made.output
    client = scored_app.test_client()
    client.get("/lang/vi")
    sign_in(client, who)
    assert _crawl(client, ["/staff/", "/scores/?period=2026-Q3", "/jobs/"]) == {}


def test_the_citizens_pages_are_in_vietnamese(scored_app, issue, client):  # noqa: F811
    (code,) = issue()
    assert _crawl(client, ["/", f"/s/{code}", "/s/?code=ABC", "/privacy"]) == {}


def test_the_check_finds_english_when_there_is_some():
    assert _english_in("Chỉ số hài lòng; Not enough answers: 3 of the 30 needed") != []
    assert _english_in("Nguồn: envelope") == ["code envelope"]
    assert _english_in("Chỉ số hài lòng của người dân") == []
