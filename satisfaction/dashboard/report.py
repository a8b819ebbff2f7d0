"""A unit's report as a PDF: beside the nation, elements, expectations, trend, parts, attention."""

import io
from datetime import date
from xml.sax.saxutils import escape

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from satisfaction.dashboard.naming import day_name, long_day_name, source_label
from satisfaction.dashboard.pages import NationalPage, UnitPage
from satisfaction.dashboard.report_map import province_map_drawing
from satisfaction.dashboard.report_parts import change, ci, legend, pct, styles, table, trend
from satisfaction.paper.assets import register_fonts
from satisfaction.scoring.comments import Comment
from satisfaction.units.models import UnitLevel


def _letterhead(issuer: str, today: date) -> list:
    """Return the head of an administrative document: the issuer, the national motto, the date."""
    s = styles()
    head = Table(
        [[Paragraph(issuer.upper(), s["head"]),
          Paragraph(_("SOCIALIST REPUBLIC OF VIET NAM"), s["head"])],
         ["", Paragraph(_("Independence - Freedom - Happiness"), s["centre"])]],
        colWidths=[70 * mm, 104 * mm],
    )  # fmt: skip
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LINEBELOW", (1, 1), (1, 1), 0.5, "black")]))  # fmt: skip
    return [head, Paragraph(long_day_name(today), s["right"]), Spacer(1, 3 * mm)]


def _title(page: UnitPage, min_n: int) -> list:
    s, f, periods = styles(), page.figure, page.periods
    story = [Paragraph(_("Citizen satisfaction: %(name)s (%(code)s)", name=page.unit.name,
                         code=page.unit.code), s["title"]),  # fmt: skip
             Paragraph(_("Period: %(p)s.", p=periods.name), s["base"])]  # fmt: skip
    if periods.until is not None:
        story.append(Paragraph(_("Answers so far reach %(day)s only: changes are measured against "
                                 "the same months a year before (%(before)s).",
                                 day=day_name(periods.until), before=periods.before_name),
                               s["small"]))  # fmt: skip
    if f.enough:
        line = _("Satisfaction index %(v)s%%, 95%% interval %(ci)s, on %(n)s answers.",
                 v=pct(f.scores.index), ci=ci(f.scores.index), n=format_decimal(f.n))  # fmt: skip
        if page.change is not None:
            line += " " + _("Change since %(p)s: %(c)s points.", p=periods.before_name,
                            c=change(page.change))  # fmt: skip
    else:
        line = _("Not enough answers: %(n)s of the %(min)d needed for a figure.",
                 n=format_decimal(f.n), min=min_n)  # fmt: skip
    return [*story, Spacer(1, 3 * mm), Paragraph(line, s["h2"])]


def _beside(page: UnitPage) -> list:
    s, b = styles(), page.beside
    story = [Paragraph(_("Beside the nation"), s["h2"])]
    if b.rank is not None:
        story.append(Paragraph(_("Rank %(rank)s of %(of)s provinces", rank=b.rank.rank,
                                 of=b.rank.of) + "; " + _("its 95%% interval allows ranks "
                               "%(best)s to %(worst)s.", best=b.rank.best, worst=b.rank.worst),
                               s["base"]))  # fmt: skip
    head = [_("Unit"), _("Answers"), _("Index") + " (%)", _("%(p)s%% interval", p=95)]
    if b.last_year is not None:
        head += [page.periods.last_year_name or "", _("Change")]
    nation, before = b.nation, b.nation_last_year
    rows = [(page.unit.name, b.unit, b.unit_last_year, b.unit_change),
            (nation.mean_of_provinces.name, nation.mean_of_provinces,
             before.mean_of_provinces if before else None, b.nation_change),
            (nation.pooled.name, nation.pooled, before.pooled if before else None,
             None)]  # fmt: skip
    body = []
    for name, now, earlier, moved in rows:
        row = [Paragraph(name, s["small"]), format_decimal(now.n), pct(now.scores.index),
               ci(now.scores.index)]  # fmt: skip
        if b.last_year is not None:
            row += [pct(earlier.scores.index) if earlier else "—", change(moved)]
        body.append(row)
    widths = [54, 18, 22, 32, 28, 20] if b.last_year is not None else [80, 25, 25, 35]
    return [*story, table([head, *body], widths)]


def _map(dataset: str, figures: list, highlight: str | None = None) -> list:
    """Return the provinces' map with its heading (nothing for a list without outlines)."""
    drawing = province_map_drawing(dataset, figures, highlight)
    if drawing is None:
        return []
    s = styles()
    story = [Paragraph(_("Satisfaction index by province"), s["h2"])]
    if highlight is not None:
        story.append(Paragraph(_("The province is outlined in black; provinces in grey have too "
                                 "few answers for a figure."), s["small"]))  # fmt: skip
    else:
        story.append(Paragraph(_("Provinces in grey have too few answers for a figure."),
                               s["small"]))  # fmt: skip
    return [*story, drawing]


def _province_map(page: UnitPage) -> list:
    if page.unit.level is not UnitLevel.PROVINCE:
        return []
    return _map(page.unit.dataset.name, page.beside.nation.provinces, page.unit.code)


def _expectations(page: UnitPage) -> list:
    found = page.figure.scores.expectations
    if not page.figure.enough or not found:
        return []
    s = styles()
    rows = [[Paragraph(text, s["small"]), pct(found[key]), ci(found[key])]
            for key, text in page.labels.expectations.items() if key in found]  # fmt: skip
    head = ["", "%", _("%(p)s%% interval", p=95)]
    return [Paragraph(_("What people want improved (share answering “very much” or “much”)"),
                      s["h2"]), table([head, *rows], [118, 22, 32])]  # fmt: skip


def _channels(page: UnitPage) -> list:
    s = styles()
    rows = [[Paragraph(source_label(f.name), s["small"]), format_decimal(f.n),
             pct(f.scores.index), ci(f.scores.index)] for f in page.sources]  # fmt: skip
    if not rows:
        return []
    head = ["", _("Answers"), _("Index") + " (%)", _("%(p)s%% interval", p=95)]
    return [Paragraph(_("By channel (the desk poster is never in the official index)"), s["h2"]),
            table([head, *rows], [90, 20, 24, 32])]  # fmt: skip


def _elements(page: UnitPage) -> list:
    s, scores = styles(), page.figure.scores
    rows: list[list] = [[_("Element / item"), _("Index") + " (%)", _("%(p)s%% interval", p=95)]]
    bold = set()
    for key, title in page.labels.elements.items():
        if key in scores.elements:
            bold.add(len(rows))
            rows.append([title, pct(scores.elements[key]), ci(scores.elements[key])])
        for item in page.labels.element_items[key]:
            if item in scores.items:
                text = Paragraph(page.labels.items[item], s["small"])
                rows.append([text, pct(scores.items[item]), ci(scores.items[item])])
    if not page.figure.enough:
        return []
    return [Paragraph(_("Elements and their items"), s["h2"]), table(rows, [118, 22, 32], bold)]


def _trend_and_parts(page: UnitPage, min_n: int) -> list:
    s, interval = styles(), _("%(p)s%% interval", p=95)
    story = [Paragraph(_("Trend by quarter"), s["h2"])]
    if any(p.estimate.value is not None for p in page.trend):
        story.append(trend(page.trend))
    else:  # an empty chart would only show an axis
        story.append(Paragraph(_("No quarter has the %(n)d answers a figure needs.", n=min_n),
                               s["small"]))  # fmt: skip
    rows = [[p.label, format_decimal(p.estimate.n), pct(p.estimate), ci(p.estimate)]
            for p in page.trend]  # fmt: skip
    story.append(table([[_("Quarter"), _("Answers"), _("Index") + " (%)", interval], *rows],
                       [40, 30, 30, 40]))  # fmt: skip
    if page.rows:
        story += _parts(page, min_n)
    return story


def _parts(page: UnitPage, min_n: int) -> list:
    """Return the unit's parts: those with a figure ranked in a table, the others named in one
    paragraph with their answers (a province's hundred small communes would fill pages of
    dashes)."""
    s, interval = styles(), _("%(p)s%% interval", p=95)
    before = page.periods.before_name
    moved = _("Change since %(p)s", p=before) if before else _("Change")
    shown = [r for r in page.rows if r.figure.scores.index.value is not None]
    small = [r.figure for r in page.rows if r.figure.scores.index.value is None]
    title = _("Units in %(name)s, best first", name=page.unit.name) if shown \
        else _("Units in %(name)s", name=page.unit.name)  # fmt: skip
    story = [Paragraph(title, s["h2"])]
    if shown:
        parts = [[str(r.figure.rank or "—"), Paragraph(escape(r.figure.name), s["small"]),
                  format_decimal(r.figure.n), pct(r.figure.scores.index),
                  ci(r.figure.scores.index), change(r.change)] for r in shown]  # fmt: skip
        head = [_("Rank"), _("Unit"), _("Answers"), _("Index") + " (%)", interval, moved]
        story.append(table([[Paragraph(h, s["small"]) for h in head], *parts],
                           [12, 58, 18, 22, 34, 30], first_number=2))  # fmt: skip
    if small:
        named = "; ".join(f"{escape(f.name)} ({format_decimal(f.n)})" for f in small)
        story.append(Paragraph(_("Fewer than %(n)d answers, no figure (%(count)s units; answers "
                                 "in brackets): %(names)s.", n=min_n,
                                 count=format_decimal(len(small)), names=named),
                               s["small"]))  # fmt: skip
    return story


def _fields(page: UnitPage, min_n: int) -> list:
    """Return the unit's index by field of the procedures, as its page shows it."""
    s, interval = styles(), _("%(p)s%% interval", p=95)
    story = [Paragraph(_("By field of the procedures"), s["h2"])]
    if not page.fields:
        return [*story, Paragraph(_("No field has 5 answers or more in this period."), s["small"])]
    story.append(Paragraph(_("Fields with fewer than 5 answers are not shown; a field with fewer "
                             "than %(n)d has no figure and no rank (—). “Field unknown” gathers "
                             "the answers whose procedure is not in the catalogue or not stated; "
                             "it is never ranked.", n=min_n), s["small"]))  # fmt: skip
    before = page.periods.before_name
    moved = _("Change since %(p)s", p=before) if before else _("Change")
    head = [_("Rank"), _("Field"), _("Answers"), _("Index") + " (%)", interval, moved]
    rows = [[str(r.figure.rank or "—"), Paragraph(escape(r.figure.name), s["small"]),
             format_decimal(r.figure.n), pct(r.figure.scores.index), ci(r.figure.scores.index),
             change(r.change)] for r in page.fields]  # fmt: skip
    return [*story, table([[Paragraph(h, s["small"]) for h in head], *rows],
                          [12, 58, 18, 22, 34, 30], first_number=2)]  # fmt: skip


def _attention(page: UnitPage) -> list:
    """Return the units that need attention, when there are any."""
    if not page.attention:
        return []
    s, before = styles(), page.periods.before_name
    moved = _("Change since %(p)s", p=before) if before else _("Change")
    head = [_("Unit"), _("Answers"), _("Index") + " (%)", _("Below the national index (points)"),
            moved]  # fmt: skip
    rows = [[Paragraph(c.figure.name, s["small"]), format_decimal(c.figure.n),
             pct(c.figure.scores.index), change(c.below_nation), change(c.fallen)]
            for c in page.attention]  # fmt: skip
    return [Paragraph(_("Where to act"), s["h2"]),
            Paragraph(_("Units that need attention, furthest below first"), s["small"]),
            table([[Paragraph(h, s["small"]) for h in head], *rows],
                  [70, 20, 22, 32, 30])]  # fmt: skip


def _comments(found: tuple[int, tuple[Comment, ...]] | None) -> list:
    """Return a sample of what people wrote, with place and month (never the day)."""
    if found is None:
        return []
    s, (total, chosen) = styles(), found
    story = [Paragraph(_("What people wrote"), s["h2"])]
    if not chosen:
        return [*story, Paragraph(_("Comments are shown only when at least 5 people wrote one."),
                                  s["small"])]  # fmt: skip
    if total > len(chosen):
        story.append(Paragraph(_("%(shown)s of %(total)s comments, chosen at random.",
                                 shown=format_decimal(len(chosen)), total=format_decimal(total)),
                               s["small"]))  # fmt: skip
    rows = [[Paragraph(escape(c.unit), s["small"]), format_date(c.month, "MM/yyyy"),
             Paragraph(escape(c.text), s["small"])] for c in chosen]  # fmt: skip
    listed = table([[_("Unit"), _("Month"), _("Comment")], *rows], [42, 16, 116])
    listed.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "LEFT")]))  # words, not figures
    return [*story, listed]


def _footer(page: UnitPage, min_n: int) -> list:
    sources = ", ".join(source_label(x.value) for x in page.query.sources)
    text = _("Each item's index follows the questionnaire's rule (the share of answers at 4 or 5 "
             "unless it says otherwise); an element is the mean of its items, the index the mean "
             "of the elements. Answers counted: %(s)s. Figures on fewer than %(n)d answers are "
             "not shown.", s=sources, n=min_n)  # fmt: skip
    return [Spacer(1, 4 * mm), Paragraph(legend(), styles()["small"]),
            Paragraph(text, styles()["small"])]  # fmt: skip


def unit_report(page: UnitPage, today: date, min_n: int, issuer: str,
                comments: tuple[int, tuple[Comment, ...]] | None = None) -> bytes:  # fmt: skip
    """Return the PDF report of a unit's page (same inputs, same bytes).

    comments: how many people commented and a sample of their comments, when given.
    """
    register_fonts()
    story = [*_letterhead(issuer, today), *_title(page, min_n), *_beside(page),
             *_province_map(page), *_elements(page), *_expectations(page),
             *_trend_and_parts(page, min_n), *_attention(page), *_fields(page, min_n),
             *_channels(page), *_comments(comments),
             *_footer(page, min_n)]  # fmt: skip
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=14 * mm, bottomMargin=16 * mm, invariant=1,
                            title=page.unit.name, author=issuer)  # fmt: skip
    doc.build(story)
    return out.getvalue()


def _nation(page: NationalPage) -> list:
    s, interval = styles(), _("%(p)s%% interval", p=95)
    story = [Paragraph(_("Citizen satisfaction across the nation"), s["title"]),
             Paragraph(_("Period: %(p)s.", p=page.periods.name), s["base"])]  # fmt: skip
    head = ["", _("Answers"), _("Index") + " (%)", interval]
    rows = [[Paragraph(f.name, s["small"]), format_decimal(f.n), pct(f.scores.index),
             ci(f.scores.index)]
            for f in (page.nation.mean_of_provinces, page.nation.pooled)]  # fmt: skip
    return [*story, Spacer(1, 3 * mm), table([head, *rows], [90, 24, 24, 36])]


def _provinces(page: NationalPage) -> list:
    s, interval = styles(), _("%(p)s%% interval", p=95)
    moved = _("Change since %(p)s", p=page.periods.before_name) if page.periods.before_name \
        else _("Change")  # fmt: skip
    head = [_("Rank"), _("Province"), _("Answers"), _("Index") + " (%)", interval, moved]
    rows = [[str(r.figure.rank or "—"), Paragraph(r.figure.name, s["small"]),
             format_decimal(r.figure.n), pct(r.figure.scores.index), ci(r.figure.scores.index),
             change(r.change)] for r in page.rows]  # fmt: skip
    return [Paragraph(_("Provinces, best first"), s["h2"]),
            table([[Paragraph(h, s["small"]) for h in head], *rows], [12, 58, 18, 22, 34, 30],
                  first_number=2)]  # fmt: skip


def national_report(page: NationalPage, today: date, min_n: int, issuer: str) -> bytes:
    """Return the PDF report of the nation: both national figures, the map, the provinces."""
    register_fonts()
    story = [*_letterhead(issuer, today), *_nation(page),
             *_map(page.dataset.name, page.nation.provinces), *_provinces(page),
             *_attention(page), *_footer(page, min_n)]  # fmt: skip
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=14 * mm, bottomMargin=16 * mm, invariant=1,
                            title=_("Citizen satisfaction across the nation"),
                            author=issuer)  # fmt: skip
    doc.build(story)
    return out.getvalue()
