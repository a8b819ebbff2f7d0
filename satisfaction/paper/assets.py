"""The print assets: page settings and fixed wording (print/*.toml) and the embedded fonts."""

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from satisfaction.questionnaires.definition import LocalText

PRINT_DIR = Path(__file__).resolve().parents[2] / "print"
REGULAR = "NotoSans"
BOLD = "NotoSans-Bold"
MATH = "NotoSansMath"  # the signs Noto Sans lacks (≥, ≤), drawn beside it
FONT_FILES = {REGULAR: "NotoSans-Regular.ttf", BOLD: "NotoSans-Bold.ttf",
              MATH: "NotoSansMath-Regular.ttf"}  # fmt: skip


@cache
def settings() -> dict[str, Any]:
    """Return the page settings of print/layout.toml."""
    with (PRINT_DIR / "layout.toml").open("rb") as file:
        return tomllib.load(file)


@cache
def wording(source: str = "form") -> dict[str, LocalText]:
    """Return the fixed texts of print/<source>.toml, each in Vietnamese and English."""
    with (PRINT_DIR / f"{source}.toml").open("rb") as file:
        data = tomllib.load(file)
    return {key: LocalText.from_dict(value) for key, value in data.items()}


def text(key: str, locale: object = "vi", source: str = "form") -> str:
    """Return one fixed text of the form (or of another print/*.toml) in a language."""
    return wording(source)[key].text(locale)


@cache
def register_fonts() -> None:
    """Register the embedded fonts with reportlab (once per process)."""
    for name, file_name in FONT_FILES.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(PRINT_DIR / "fonts" / file_name)))


def font(bold: bool = False) -> str:
    """Return the registered name of the regular or bold font."""
    register_fonts()
    return BOLD if bold else REGULAR


def runs(value: str, bold: bool = False) -> list[tuple[str, str]]:
    """Return a string cut into (font, text) runs: each character in the text font, or in the
    math font when only that one has it (a "≥" would otherwise print as nothing)."""
    main, math = pdfmetrics.getFont(font(bold)).face, pdfmetrics.getFont(MATH).face
    found: list[tuple[str, str]] = []
    for char in value:
        name = font(bold)
        if ord(char) not in main.charToGlyph and ord(char) in math.charToGlyph:
            name = MATH
        if found and found[-1][0] == name:
            found[-1] = (name, found[-1][1] + char)
        else:
            found.append((name, char))
    return found


def width_mm(value: str, bold: bool, size: float) -> float:
    """Return the printed width of a string in millimetres."""
    return pdfmetrics.stringWidth(value, font(bold), size) * 25.4 / 72


def ascent_mm(size: float) -> float:
    """Return how far the font's glyphs (with Vietnamese stacked marks) rise above the baseline."""
    return pdfmetrics.getFont(font()).face.ascent / 1000 * size * 25.4 / 72


def descent_mm(size: float) -> float:
    """Return how far the font's glyphs go below the baseline."""
    return -pdfmetrics.getFont(font()).face.descent / 1000 * size * 25.4 / 72
