"""What surrounds the questions: page 1's header, the continuation header, the footer."""

from satisfaction.paper import assets
from satisfaction.paper.flow import Flow, cfg, qr_square, text_height, wrap
from satisfaction.paper.geometry import Rect, Shape, Slot, Text
from satisfaction.questionnaires.definition import Questionnaire

BULLET_INDENT = 4.5
EXAMPLE_GAP = 2.5  # between an example box and its words
THANKS_GAP = 2.5


def _qr_clear() -> float:
    """Return the y below which text may run the full width: under the QR square and its code."""
    slot = code_slot()
    return slot.baseline + assets.descent_mm(slot.size) + 2.5


def text_width(flow: Flow) -> float:
    """Return the width of header text at the cursor: beside the QR square, or the full width."""
    right = cfg("header")["right"] if flow.y < _qr_clear() else cfg("grid")["right"]
    return right - cfg("page")["margin"]


def code_slot() -> Slot:
    """Return where the grouped code goes: under the QR square, right-aligned with it."""
    qr, square = cfg("qr"), qr_square()
    return Slot(
        "code",
        square.right,
        square.bottom + qr["code_gap"],
        qr["code_width"],
        qr["code_size_pt"],
        bold=True,
        align="right",
        may_cut=False,
    )


def _slot(flow: Flow, name: str, size: float, lines: int, indent: float = 0) -> None:
    """Reserve lines at the cursor for a text that changes, with its label."""
    label = assets.text(name, flow.locale) if name in assets.wording() else ""
    x = cfg("page")["margin"] + indent
    width = text_width(flow) - indent
    slot = Slot(name, x, flow.y + assets.ascent_mm(size), width, size, lines, label)
    flow.page.slots.append(slot)
    flow.gap(text_height(lines, size))


def _para(flow: Flow, value: str, size: float, bold: bool = False, indent: float = 0) -> Text:
    """Place a paragraph at the cursor, as wide as the QR square allows there."""
    return flow.text(cfg("page")["margin"] + indent, text_width(flow) - indent, value, size, bold)


def _bullet(flow: Flow, key: str) -> None:
    """Place a bulleted paragraph of fixed wording."""
    size = cfg("type")["body"]
    text = _para(flow, assets.text(key, flow.locale), size, indent=BULLET_INDENT)
    bullet = Text(cfg("page")["margin"], text.baseline, ("•",), size, bold=True)
    flow.page.texts.insert(-1, bullet)  # before its paragraph, for text extraction


def _examples(flow: Flow, x: float, top: float) -> None:
    """Draw the marking rule as pictures: a tick, a cross or a fill is chosen; crossed out with
    two strokes over a mark, a box is changed."""
    size, box = cfg("type")["body"], cfg("grid")["box"]
    baseline = top + box / 2 + assets.ascent_mm(size) * 0.4
    words = [(("tick", "cross", "fill"), "marking_chosen"), (("struck",), "marking_cancelled")]
    for marks, key in words:
        for mark in marks:
            flow.page.shapes.append(Shape("example", Rect(x, top, box, box), mark=mark))
            x += box + EXAMPLE_GAP
        value = assets.text(key, flow.locale)
        flow.page.texts.append(Text(x, baseline, (value,), size))
        x += assets.width_mm(value, False, size) + 8


def first_page(flow: Flow, questionnaire: Questionnaire) -> None:
    """Place page 1's header: title, office, how to answer, how to mark, anonymity."""
    sizes, locale = cfg("type"), flow.locale
    _para(flow, questionnaire.title.text(locale), sizes["title"], bold=True)
    flow.gap(1.5)
    _slot(flow, "service_point", sizes["question"], 1)
    flow.gap(0.4)
    _slot(flow, "procedure", sizes["question"], 2)
    flow.gap(1.2)
    _para(flow, questionnaire.intro.text(locale), sizes["body"])
    flow.gap(1.2)
    _bullet(flow, "how_online")
    _slot(flow, "site", sizes["body"], 1, BULLET_INDENT)
    flow.gap(0.6)
    _bullet(flow, "how_paper")
    flow.gap(1.2)
    _marking(flow)
    flow.gap(1.2)
    _para(flow, assets.text("anonymity", locale), sizes["body"], bold=True)
    below_qr(flow)


def _marking(flow: Flow) -> None:
    """Place the marking rule: its heading with the pictures beside it, then its words."""
    sizes, box = cfg("type"), cfg("grid")["box"]
    top = flow.y
    heading = assets.text("marking_heading", flow.locale)
    _para(flow, heading, sizes["band"], bold=True)
    x = cfg("page")["margin"] + assets.width_mm(heading, True, sizes["band"]) + 6
    _examples(flow, x, top + (text_height(1, sizes["band"]) - box) / 2)
    flow.y = max(flow.y, top + box) + 0.8
    _para(flow, assets.text("marking_rule", flow.locale), sizes["body"], indent=BULLET_INDENT)


def continuation_page(flow: Flow, questionnaire: Questionnaire) -> None:
    """Place the header of a later page: the title (continued) and the marking rule again."""
    title = f"{questionnaire.title.text(flow.locale)} {assets.text('continued', flow.locale)}"
    _para(flow, title, cfg("type")["subtitle"], bold=True)
    flow.gap(2)
    _marking(flow)


def below_qr(flow: Flow) -> None:
    """Move the cursor below the QR square and its code, where the answer columns are free."""
    flow.page.slots.append(code_slot())
    flow.y = max(flow.y + 2.5, _qr_clear())


def footer(
    page: int, pages: int, questionnaire: Questionnaire, fingerprint: str, locale: str
) -> tuple[Text, ...]:
    """Return the footer: the form's key, version and layout fingerprint; the page number."""
    sizes, page_cfg = cfg("type"), cfg("page")
    baseline = page_cfg["content_bottom"] + 3 + assets.ascent_mm(sizes["footer"])
    ident = assets.text("form_id", locale).format(
        key=questionnaire.key, version=questionnaire.version, fingerprint=fingerprint
    )
    number = assets.text("page_number", locale).format(page=page, pages=pages)
    right = page_cfg["width"] - page_cfg["margin"]
    return (
        Text(page_cfg["margin"], baseline, (ident,), sizes["small"]),
        Text(right, baseline, (number,), sizes["footer"], bold=True, align="right"),
    )


def thanks_height(locale: str) -> float:
    """Return the height the closing line takes, its space above included."""
    size = cfg("type")["body"]
    lines = wrap(assets.text("thanks", locale), _full_width(), size, bold=True)
    return THANKS_GAP + text_height(len(lines), size)


def thanks(flow: Flow) -> None:
    """Place the closing line: thanks, and how to send the form back."""
    flow.gap(THANKS_GAP)
    flow.text(
        cfg("page")["margin"],
        _full_width(),
        assets.text("thanks", flow.locale),
        cfg("type")["body"],
        bold=True,
    )


def _full_width() -> float:
    return cfg("grid")["right"] - cfg("page")["margin"]
