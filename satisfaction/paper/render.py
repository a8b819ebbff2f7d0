"""Render printed forms: one PDF holding every copy's pages, in order, and where each copy starts.

What every copy shares is drawn once per page as a form XObject; each copy's page then only
places that XObject and stamps the QR symbol (a 1-bit inline image), the grouped code, and on
page 1 the service point and procedure. A PDF is a pure function of its inputs (invariant=1).
"""

import gc
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from satisfaction.paper import assets, codes
from satisfaction.paper.draw import draw_static, page_y, points, slot_code
from satisfaction.paper.flow import cfg
from satisfaction.paper.geometry import Layout, Page, Slot
from satisfaction.paper.layout import layout_for
from satisfaction.paper.qr import QrStamp, stamp_for
from satisfaction.questionnaires.definition import Questionnaire

PROGRESS_EVERY = 100
TEXT_CACHE = 10_000  # distinct (slot, text) pairs kept; a code's text is reused on its next page
PER_COPY = ("code", "service_point", "procedure")
Progress = Callable[[int, int], None]
_REPORTLAB = threading.Lock()  # rl_config is process-wide; one rendering changes it at a time


@contextmanager
def _batch_mode() -> Iterator[None]:
    """Set reportlab and the collector up for a batch, and restore them afterwards.

    Streams are written binary: reportlab's ASCII85 encoder is pure Python and costs a third of
    the time. The cyclic garbage collector pauses: reportlab keeps every page's objects until
    save(), and the collector's repeated passes over them cost a third on a 5,000-form PDF.
    """
    with _REPORTLAB:
        saved, collecting = rl_config.useA85, gc.isenabled()
        rl_config.useA85 = 0
        gc.disable()
        try:
            yield
        finally:
            rl_config.useA85 = saved
            if collecting:
                gc.enable()


@dataclass(frozen=True)
class FormCopy:
    """One printed copy: its code (ungrouped) and the names printed on it; never a dossier."""

    code: str
    service_point: str
    procedure: str = ""


@dataclass(frozen=True)
class ManifestRow:
    """Where a copy is in the PDF: its first page (1-based) and how many pages it has."""

    code: str
    page: int
    pages: int


@dataclass(frozen=True)
class RenderResult:
    """The layout every copy follows, and one manifest row per copy in PDF order."""

    layout: Layout
    rows: tuple[ManifestRow, ...]

    @property
    def page_count(self) -> int:
        """Return the number of pages in the PDF."""
        return len(self.rows) * len(self.layout.pages)


def site_of(base_url: str) -> str:
    """Return PUBLIC_BASE_URL as printed for typing: without the scheme or a trailing slash."""
    parts = urlsplit(base_url)
    return (parts.netloc + parts.path).rstrip("/")


def qr_stamp(base_url: str) -> QrStamp:
    """Return the QR stamp for base_url; ValueError if its modules would print too small."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError("the base URL must be an absolute http(s) URL without query or fragment")
    if not base_url.isascii():
        raise ValueError("the base URL must be ASCII (write an international domain in punycode)")
    qr = cfg("qr")
    stamp = stamp_for(base_url, codes.LENGTH, qr["error_correction"])
    module = qr["size"] / (stamp.size + 2 * qr["quiet_modules"])
    if module < qr["min_module"]:
        raise ValueError(f"the base URL is too long: QR modules would be {module:.2f} mm")
    return stamp


def _qr_place(page: Page, stamp: QrStamp) -> tuple[float, float, float]:
    """Return the symbol's lower-left corner and side in points, centred in the QR square."""
    square = page.qr
    side = square.w * stamp.size / (stamp.size + 2 * cfg("qr")["quiet_modules"])
    inset = (square.w - side) / 2
    return points(square.x + inset), page_y(square.bottom - inset), points(side)


def _check(copy: FormCopy) -> None:
    try:
        canonical = codes.normalize(copy.code)
    except codes.CodeError as error:
        raise ValueError(f"not a form code: {copy.code!r} ({error.reason})") from None
    if canonical != copy.code:
        raise ValueError(f"codes must be given ungrouped and canonical: {copy.code!r}")


def _static_forms(canvas: Canvas, layout: Layout, base_url: str) -> list[str]:
    """Draw each page's shared parts once, as form XObjects; return their names."""
    names = []
    for page in layout.pages:
        name = f"page{page.number}"
        canvas.beginForm(name)
        draw_static(canvas, page)
        for slot in page.slots:
            if slot.name == "site":
                canvas.addLiteral(slot_code(canvas, slot, site_of(base_url)))
        canvas.endForm()
        names.append(name)
    return names


class _Stamper:
    """Draw each copy's pages: the shared XObject, then its QR and its texts."""

    def __init__(self, canvas: Canvas, layout: Layout, forms: list[str], stamp: QrStamp):
        self.canvas, self.layout, self.forms, self.stamp = canvas, layout, forms, stamp
        self.places = [_qr_place(page, stamp) for page in layout.pages]
        self.texts: dict[tuple[Slot, str], str] = {}  # operators of texts already drawn

    def text(self, slot: Slot, value: str) -> str:
        """Return the operators of a slot's text, built once per document."""
        key = (slot, value)
        if key not in self.texts:
            if len(self.texts) > TEXT_CACHE:
                self.texts.clear()
            self.texts[key] = slot_code(self.canvas, slot, value)
        return self.texts[key]

    def copy(self, copy: FormCopy) -> None:
        """Draw every page of one copy."""
        values = {
            "code": codes.group(copy.code),
            "service_point": copy.service_point,
            "procedure": copy.procedure,
        }
        canvas = self.canvas
        for page, form, place in zip(self.layout.pages, self.forms, self.places, strict=True):
            canvas.doForm(form)
            canvas.addLiteral(self.stamp.image_operators(copy.code, *place))
            for slot in page.slots:
                if slot.name in PER_COPY:
                    canvas.addLiteral(self.text(slot, values[slot.name]))
            canvas.showPage()


def render_pdf(
    questionnaire: Questionnaire,
    copies: Sequence[FormCopy],
    out: BinaryIO,
    base_url: str,
    progress: Progress | None = None,
    locale: str = "vi",
) -> RenderResult:
    """Write one PDF with every copy's pages in order; return the layout and the manifest rows."""
    if not copies:
        raise ValueError("there are no copies to print")
    for copy in copies:
        _check(copy)
    layout = layout_for(questionnaire, locale)
    stamp = qr_stamp(base_url)
    with _batch_mode():
        rows = _write(questionnaire, layout, stamp, copies, out, base_url, progress)
    return RenderResult(layout, rows)


def _write(
    questionnaire: Questionnaire,
    layout: Layout,
    stamp: QrStamp,
    copies: Sequence[FormCopy],
    out: BinaryIO,
    base_url: str,
    progress: Progress | None,
) -> tuple[ManifestRow, ...]:
    """Draw every copy onto one canvas and save it to out; return the manifest rows."""
    locale = layout.locale
    size = (points(layout.page_size[0]), points(layout.page_size[1]))
    canvas = Canvas(
        out, pagesize=size, invariant=1, pageCompression=1, initialFontName=assets.font()
    )
    canvas.setTitle(questionnaire.title.text(locale))
    canvas.setSubject(f"{questionnaire.key} v{questionnaire.version} ({layout.fingerprint})")
    canvas.setCreator("satisfaction")
    stamper = _Stamper(canvas, layout, _static_forms(canvas, layout, base_url), stamp)
    per_copy = len(layout.pages)
    rows = []
    for done, copy in enumerate(copies, start=1):
        stamper.copy(copy)
        rows.append(ManifestRow(copy.code, (done - 1) * per_copy + 1, per_copy))
        if progress and (done % PROGRESS_EVERY == 0 or done == len(copies)):
            progress(done, len(copies))
    canvas.save()
    return tuple(rows)
