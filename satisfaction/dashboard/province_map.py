"""The provinces' map of the national page: each province's shade, link and title."""

from collections.abc import Mapping, Sequence

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

from satisfaction.core.numbers import format_decimal
from satisfaction.dashboard.choropleth import MapText, Shade, draw
from satisfaction.scoring.services import Figure

CREDIT = "Open Development Vietnam; TaliaCao/Vietnam-Shape-Map (MIT)"


def map_text() -> MapText:
    """Return the words of the map in the page's language."""
    return MapText(
        label=_("Satisfaction index by province"),
        legend=_("Index") + " (%)",
        few=_("not enough answers"),
        archipelagos={
            "hoang-sa": _("Hoàng Sa archipelago (Đà Nẵng)"),
            "truong-sa": _("Trường Sa archipelago (Khánh Hòa)"),
        },  # fmt: skip
        credit=_("Outlines: %(credit)s", credit=CREDIT),
    )


def title(figure: Figure) -> str:
    """Return a province's name and figure, as its title on the map."""
    answers = format_decimal(figure.n)
    if not figure.enough or figure.scores.index.value is None:
        return _("%(name)s: not enough answers (%(n)s)", name=figure.name, n=answers)
    value = format_decimal(figure.scores.index.value, "#,##0.0")
    return _("%(name)s: %(value)s%% (%(n)s answers)", name=figure.name, value=value, n=answers)


def shades(figures: Sequence[Figure], args: Mapping[str, list[str]], dataset: str,
           openable: frozenset[str] | None = None) -> list[Shade]:  # fmt: skip
    """Return each province's shade, linked to its page on the same list and period.

    openable: the provinces the reader may open (None: all); the others are drawn with their
    name and figure, without a link (a click would only meet a refusal).
    """
    params = {**args, "dataset": dataset}
    return [
        Shade(f.code,
              url_for("scores.unit", code=f.code, **params)
              if openable is None or f.code in openable else None,
              title(f), f.scores.index.value if f.enough else None)
        for f in figures
    ]  # fmt: skip


def province_map(figures: Sequence[Figure], args: Mapping[str, list[str]], dataset: str,
                 standalone=False, openable: frozenset[str] | None = None) -> Markup:  # fmt: skip
    """Return the map of the provinces' figures on a unit list (links: the openable ones)."""
    return draw(dataset, shades(figures, args, dataset, openable), map_text(), standalone)
