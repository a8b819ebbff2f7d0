"""What an officer asks for in a page's address: the period, the sources and the unit list."""

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from satisfaction.core.errors import InputError, Problem
from satisfaction.scoring.models import OFFICIAL, Source
from satisfaction.scoring.services import Query, period_of


@dataclass(frozen=True)
class Asked:
    """The query an address asks for, what was typed, and what was wrong with it."""

    query: Query
    period: str
    sources: tuple[Source, ...]
    problems: list[Problem]
    dataset: str | None = None  # the unit list read (default: the one in force)


def parse(args: Mapping[str, str], sources: list[str]) -> Asked:
    """Read period and sources; a wrong value is named and the default used instead."""
    typed = (args.get("period") or "").strip()
    problems: list[Problem] = []
    try:
        period = period_of(typed)
    except InputError as error:
        problems.extend(error.problems)
        period = period_of("")
    chosen = []
    for name in sources:
        try:
            chosen.append(Source(name))
        except ValueError:
            problems.append(Problem("source", _("%(value)r is not a source of answers",
                                                value=name)))  # fmt: skip
    picked = tuple(s for s in Source if s in chosen) or OFFICIAL
    dataset = (args.get("dataset") or "").strip() or None
    return Asked(Query(period=period, sources=picked), typed, picked, problems, dataset)
