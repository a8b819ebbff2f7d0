"""Fixtures for the printed forms: the real questionnaire, its layout, a small rendered batch."""

import dataclasses
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest

from satisfaction.paper.codes import check_character
from satisfaction.paper.geometry import Layout, Rect
from satisfaction.paper.layout import layout_for
from satisfaction.paper.render import FormCopy, RenderResult, render_pdf
from satisfaction.questionnaires.definition import Questionnaire
from satisfaction.questionnaires.loader import load_dir

FORMS = Path(__file__).resolve().parents[2] / "forms"
BASE_URL = "https://khaosat.dichvucong.example.vn"
DPI = 150
LONG_PROCEDURE = (  # longer than the two lines kept for it, even a little smaller
    "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất"
    " lần đầu cho hộ gia đình, cá nhân, cộng đồng dân cư, người Việt Nam định cư ở nước ngoài"
    " được sở hữu nhà ở tại Việt Nam, theo trình tự rút gọn tại Bộ phận Một cửa"
)
HUE = "Trung tâm Phục vụ hành chính công tỉnh Thừa Thiên Huế"
COPIES = [  # code data (the check character is added), service point, procedure
    ("7KQ2M9XD4TPA", HUE, ""),
    ("0123456789AB", "UBND xã Đắk Rơ Wa", "Đăng ký khai sinh"),
    ("ZZZZ00001111", "Bộ phận Một cửa UBND phường Hàng Trống", LONG_PROCEDURE),
    ("HM3RT0V4W8Y2", "UBND xã Đắk Rơ Wa", "Đăng ký khai sinh"),
    ("1X9K2M4N6P8R", HUE, ""),
]


@dataclass
class Rendered:
    """A rendered batch: its bytes, the result, and each page as a greyscale array."""

    data: bytes
    result: RenderResult
    pages: list[np.ndarray]
    texts: list[str]


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    """Return the real questionnaire of the forms folder."""
    (loaded,) = [f for f in load_dir(FORMS) if f.questionnaire.key == "sipas-services"]
    return loaded.questionnaire


@pytest.fixture(scope="session")
def layout(questionnaire) -> Layout:
    """Return the layout of the real questionnaire in Vietnamese."""
    return layout_for(questionnaire)


def stretched(questionnaire: Questionnaire, times: int) -> Questionnaire:
    """Return the questionnaire with its elements repeated (renamed), to fill several pages."""
    elements = tuple(
        dataclasses.replace(
            element,
            key=f"{element.key}{n}",
            items=tuple(dataclasses.replace(i, key=f"{i.key}{n}") for i in element.items),
        )
        for n in range(times)
        for element in questionnaire.elements
    )
    return dataclasses.replace(questionnaire, elements=elements)


@pytest.fixture(scope="session", params=["real", "small", "long"])
def any_layout(request, questionnaire) -> Layout:
    """Return layouts of several shapes: the real form, a one-page form, a five-page form."""
    if request.param == "small":
        return layout_for(
            load_dir(FORMS.parent / "tests" / "data" / "forms-small")[0].questionnaire
        )
    if request.param == "long":
        return layout_for(stretched(questionnaire, 3))
    return layout_for(questionnaire)


@pytest.fixture(scope="session")
def copies() -> list[FormCopy]:
    """Return five copies with valid codes, long and short names, an empty procedure."""
    return [FormCopy(data + check_character(data), point, proc) for data, point, proc in COPIES]


def render(questionnaire, copies, **kwargs) -> tuple[bytes, RenderResult]:
    """Render copies to bytes."""
    out = io.BytesIO()
    result = render_pdf(questionnaire, copies, out, BASE_URL, **kwargs)
    return out.getvalue(), result


@pytest.fixture(scope="session")
def rendered(questionnaire, copies) -> Rendered:
    """Render the five copies and rasterise every page at 150 dpi."""
    data, result = render(questionnaire, copies)
    document = pdfium.PdfDocument(data)
    pages, texts = [], []
    for page in document:
        bitmap = page.render(scale=DPI / 72, grayscale=True)
        pages.append(np.array(bitmap.to_pil().convert("L")))
        texts.append(page.get_textpage().get_text_range())
    return Rendered(data, result, pages, texts)


def px(mm: float) -> int:
    """Return a length in millimetres as pixels at the test resolution."""
    return round(mm * DPI / 25.4)


def crop(image: np.ndarray, rect: Rect, inset: float = 0.0) -> np.ndarray:
    """Return the pixels of a layout rectangle, shrunk by inset millimetres on every side."""
    return image[
        px(rect.y + inset) : px(rect.bottom - inset), px(rect.x + inset) : px(rect.right - inset)
    ]
