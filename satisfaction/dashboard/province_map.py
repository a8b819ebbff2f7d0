"""The provinces' map of the national page: each province's shade, link and title."""

from collections.abc import Mapping, Sequence

from flask import url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup

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


def shades(figures: Sequence[Figure], args: Mapping[str, list[str]], dataset: str) -> list[Shade]:
    """Return each province's shade, linked to its page on the same list and period."""
    params = {**args, "dataset": dataset}
    return [
        Shade(f.code, url_for("scores.unit", code=f.code, **params), title(f),
              f.scores.index.value if f.enough else None)
        for f in figures
    ]  # fmt: skip


def province_map(
    figures: Sequence[Figure], args: Mapping[str, list[str]], dataset: str, standalone=False
) -> Markup:
    """Return the map of the provinces' figures on a unit list."""
    return draw(dataset, shades(figures, args, dataset), map_text(), standalone)
