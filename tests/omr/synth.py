"""Synthetic scans: forms rendered by the project's code, marked with known answers, degraded."""

import io
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter

from satisfaction.omr.template import BoxSpec, FormSpec, MmRect
from satisfaction.paper.codes import new_code
from satisfaction.paper.layout import layout_for
from satisfaction.paper.render import FormCopy, render_pdf
from satisfaction.questionnaires.definition import Questionnaire
from satisfaction.questionnaires.loader import load_dir

FORMS = Path(__file__).resolve().parents[2] / "forms"
BASE_URL = "https://khaosat.dichvucong.example.vn"
COMMON = ("tick", "cross", "tick", "cross", "pen-grey")  # how most citizens mark
ODD = ("fill+tick", "faint", "dot", "half-out", "two", "fill", "heavy-cross", "circle", "scribble")
# How people mark a whole form, and how often (weights out of 100): about 1 in 7 fills boxes.
HABITS = {"tick": 34, "cross": 32, "pen-grey": 6, "fill": 15, "heavy-cross": 4, "circle": 5,
          "scribble": 4}  # fmt: skip
HABIT_KEPT = 0.95  # the share of a form's questions marked the person's usual way
CORRECTED = 0.03  # the share of forms with one answer changed (the wrong box crossed out)


@lru_cache(maxsize=1)
def questionnaire() -> Questionnaire:
    """Return the real questionnaire."""
    (loaded,) = [f for f in load_dir(FORMS) if f.questionnaire.key == "sipas-services"]
    return loaded.questionnaire


@lru_cache(maxsize=1)
def form_spec() -> FormSpec:
    """Return the reader's view of the real form's layout JSON."""
    return FormSpec.from_json(layout_for(questionnaire()).to_json())


def render_forms(codes: list[str]) -> bytes:
    """Return the PDF of one copy per code, as printed for the post office."""
    out = io.BytesIO()
    copies = [FormCopy(code, "UBND xã Đắk Rơ Wa", "Đăng ký khai sinh") for code in codes]
    render_pdf(questionnaire(), copies, out, BASE_URL)
    return out.getvalue()


def rasterise(pdf: bytes, dpi: int | list[int]) -> list[Image.Image]:
    """Return every page of a PDF as a greyscale image at dpi (or at each page's own dpi)."""
    document = pdfium.PdfDocument(pdf)
    dpis = dpi if isinstance(dpi, list) else [dpi] * len(document)
    pages = [
        page.render(scale=d / 72, grayscale=True).to_pil().convert("L")
        for page, d in zip(document, dpis, strict=True)
    ]
    document.close()
    return pages


def habits(count: int, rng: random.Random) -> list[str]:
    """Return the usual mark of each of count people, in the shares of HABITS, shuffled."""
    total = sum(HABITS.values())
    drawn = [
        k for k, weight in HABITS.items() for _ in range(max(round(count * weight / total), 1))
    ]
    drawn = (drawn + rng.choices(list(HABITS), weights=list(HABITS.values()), k=count))[:count]
    rng.shuffle(drawn)
    return drawn


def habit_kinds(habit: str, rng: random.Random) -> tuple[str, ...]:
    """Return the kinds of mark one person makes: mostly their habit, now and then another."""
    others = round(20 * (1 - HABIT_KEPT))
    return (habit,) * (20 - others) + tuple(rng.choice(COMMON) for _ in range(others))


@dataclass
class Truth:
    """What was painted on a page: its code, page number and the answer meant per question."""

    code: str
    page: int
    answers: dict[str, object] = field(default_factory=dict)  # "?" when no answer is right
    kinds: dict[str, str] = field(default_factory=dict)


def _px(mm: float, dpi: int) -> float:
    return mm * dpi / 25.4


def _stroke(draw, points, dpi, width_mm, grey) -> None:
    pts = [(_px(x, dpi), _px(y, dpi)) for x, y in points]
    draw.line(pts, fill=grey, width=max(int(round(_px(width_mm, dpi))), 1), joint="curve")


def paint(draw: ImageDraw.ImageDraw, rect: MmRect, kind: str, dpi: int, rng: random.Random,
          grey: int = 30) -> None:  # fmt: skip
    """Paint one mark of a kind in a box (millimetres), with a little hand jitter."""
    j = lambda: rng.uniform(-0.4, 0.4)  # noqa: E731
    x, y, w, h = rect.x, rect.y, rect.w, rect.h
    pen = rng.uniform(0.3, 0.6)
    if kind == "half-out":
        x += w * 0.5
    if kind in ("tick", "pen-grey", "faint"):
        tone = {"tick": grey, "pen-grey": 90, "faint": 165}[kind]
        width = 0.35 if kind == "faint" else pen
        _stroke(draw, [(x + 1 + j(), y + h * 0.55 + j()), (x + w * 0.42, y + h - 1 + j()),
                       (x + w - 0.8 + j(), y + 0.8 + j())], dpi, width, tone)  # fmt: skip
    elif kind in ("cross", "half-out", "heavy-cross"):
        width = 0.9 if kind == "heavy-cross" else pen
        _stroke(draw, [(x + 0.8 + j(), y + 0.8 + j()), (x + w - 0.8 + j(), y + h - 0.8 + j())],
                dpi, width, grey)  # fmt: skip
        _stroke(draw, [(x + w - 0.8 + j(), y + 0.8 + j()), (x + 0.8 + j(), y + h - 0.8 + j())],
                dpi, width, grey)  # fmt: skip
    elif kind == "fill":
        box = [_px(x + 0.2, dpi), _px(y + 0.2, dpi), _px(x + w - 0.2, dpi), _px(y + h - 0.2, dpi)]
        draw.rectangle(box, fill=grey)
    elif kind == "dot":
        cx, cy, r = _px(x + w / 2 + j(), dpi), _px(y + h / 2 + j(), dpi), _px(0.3, dpi)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=grey)
    elif kind == "circle":
        _circle(draw, rect, dpi, rng, pen, grey)
    elif kind == "scribble":
        turns = rng.randint(4, 7)
        points = [(x + 0.6 + (w - 1.2) * (k % 2) + j(), y + 0.6 + (h - 1.2) * k / turns + j())
                  for k in range(turns + 1)]  # fmt: skip
        _stroke(draw, points, dpi, max(pen, 0.5), grey)


def _circle(draw, rect: MmRect, dpi: int, rng: random.Random, pen: float, grey: int) -> None:
    """Draw a loose ring round a box, as people circle the answer they mean."""
    cx, cy = rect.x + rect.w / 2 + rng.uniform(-0.3, 0.3), rect.y + rect.h / 2
    rx, ry = rng.uniform(3.3, 3.8), rng.uniform(3.1, 3.5)
    start = rng.uniform(0, 6.28)
    points = [(cx + rx * np.cos(start + a), cy + ry * np.sin(start + a))
              for a in np.linspace(0, 6.28 * 1.08, 40)]  # fmt: skip
    _stroke(draw, points, dpi, pen, grey)


def mark_page(image: Image.Image, code: str, number: int, dpi: int, rng: random.Random,
              kinds: tuple[str, ...], blank_share: float = 0.1,
              corrected: str | None = None) -> Truth:  # fmt: skip
    """Mark every question of a page with a random answer of a random kind; return the truth.

    A corrected question (its key) has its wrong box crossed out and its right one marked.
    """
    page = form_spec().page(number)
    truth = Truth(code, number)
    draw = ImageDraw.Draw(image)
    by_item: dict[str, list[BoxSpec]] = {}
    for box in page.boxes:
        by_item.setdefault(box.item, []).append(box)
    for item, boxes in by_item.items():
        kind = rng.choice(kinds)
        if rng.random() < blank_share:
            truth.answers[item], truth.kinds[item] = None, "blank"
            continue
        if item == corrected:
            kind = f"correction:{kind}"
        truth.kinds[item] = kind
        truth.answers[item] = _paint_item(draw, boxes, kind, dpi, rng)
    return truth


def _paint_item(draw, boxes: list[BoxSpec], kind: str, dpi: int, rng: random.Random) -> object:
    """Paint a question's marks of one kind; return the answer meant ("?" when none is)."""
    chosen, other = rng.sample(boxes, 2)
    if kind == "two":
        paint(draw, chosen.rect, "cross", dpi, rng)
        paint(draw, other.rect, "tick", dpi, rng)
        return "?"
    if kind == "fill+tick":
        paint(draw, other.rect, "fill", dpi, rng)
        paint(draw, chosen.rect, "tick", dpi, rng)
        return "?"  # two marks: under the old rule a correction, now a person decides
    if kind.startswith("correction:"):  # the wrong box crossed out, the right one marked
        paint(draw, other.rect, "cross", dpi, rng)
        paint(draw, chosen.rect, kind.split(":")[1], dpi, rng)
        return "?"
    if kind == "dot":
        paint(draw, chosen.rect, "dot", dpi, rng)
        return None
    paint(draw, chosen.rect, kind, dpi, rng)
    return chosen.value


@dataclass(frozen=True)
class Degradation:
    """How a page is spoiled between the printer and the scanner."""

    rotation: float = 0.0  # degrees; 180 turns the page over
    scale: float = 1.0  # the printer's shrink or stretch
    blur: float = 0.0  # Gaussian radius in pixels
    noise: float = 0.0  # standard deviation of grey noise
    jpeg: int | None = None  # quality
    bitonal: bool = False
    perspective: float = 0.0  # keystone: the share by which the far edge is wider
    speckle: float = 0.0  # share of pixels turned to random black or white dust
    toner: float = 1.0  # below 1: faint toner, the printed form lighter (see faint_print)
    crop_mm: float = 0.0  # the scanner cut this much off the top and left edges


def faint_print(image: Image.Image, toner: float) -> Image.Image:
    """Return the printed page lighter, as from a printer short of toner (before marking)."""
    return image.point(lambda p: round(255 - (255 - p) * toner))


def degrade(image: Image.Image, how: Degradation, rng: np.random.Generator) -> np.ndarray:
    """Return the spoiled page as a greyscale array (smaller by any cropped margin)."""
    width, height = image.size
    if how.scale != 1.0:
        small = image.resize((round(width * how.scale), round(height * how.scale)), Image.BILINEAR)
        canvas = Image.new("L", (width, height), 255)
        canvas.paste(small, ((width - small.width) // 2, (height - small.height) // 2))
        image = canvas
    if how.rotation:
        image = image.rotate(how.rotation, resample=Image.BILINEAR, fillcolor=255)
    if how.perspective:
        g = how.perspective / height
        coefficients = (1, 0, 0, 0, 1, 0, 0, g)
        image = image.transform(image.size, Image.PERSPECTIVE, coefficients, Image.BILINEAR,
                                fillcolor=255)  # fmt: skip
    if how.blur:
        image = image.filter(ImageFilter.GaussianBlur(how.blur))
    pixels = np.asarray(image, dtype=np.float32)
    if how.crop_mm:
        cut = round(how.crop_mm * image.width / 210)
        pixels = pixels[cut:, cut:]
    if how.speckle:
        dust = rng.random(pixels.shape)
        pixels = np.where(
            dust < how.speckle / 2, 0, np.where(dust > 1 - how.speckle / 2, 255, pixels)
        )
    if how.noise:
        pixels = pixels + rng.normal(0, how.noise, pixels.shape)
    pixels = np.clip(pixels, 0, 255).astype(np.uint8)
    if how.jpeg:
        out = io.BytesIO()
        Image.fromarray(pixels).save(out, format="JPEG", quality=how.jpeg)
        pixels = np.asarray(Image.open(io.BytesIO(out.getvalue())).convert("L"))
    if how.bitonal:
        pixels = np.where(pixels < 150, 0, 255).astype(np.uint8)
    return pixels


def make_codes(count: int) -> list[str]:
    """Return new random form codes."""
    return [new_code() for _ in range(count)]


def handwrite(image: Image.Image, dpi: int, rng: random.Random, words: int = 12) -> None:
    """Write a few words of a comment (strokes of pen) inside the form's comment frame."""
    spec = form_spec()
    assert spec.comment is not None
    rect = spec.comment[1]
    draw = ImageDraw.Draw(image)
    x, y = rect.x + 4, rect.y + 7
    for _ in range(words):
        width = rng.uniform(5, 14)
        if x + width > rect.x + rect.w - 4:
            x, y = rect.x + 4, y + 8
        points = [(x + width * k / 8, y - rng.uniform(0, 3.5)) for k in range(9)]
        _stroke(draw, points, dpi, rng.uniform(0.3, 0.5), rng.choice([20, 40, 70]))
        x += width + 2.5
