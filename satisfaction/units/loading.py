"""Load unit lists into the database: the built-in datasets and imported GSO-layout files."""

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from satisfaction.core.errors import InputError, Problem
from satisfaction.core.imports import FileKind, claim_file
from satisfaction.core.tables import Source, source_name
from satisfaction.core.time import utcnow
from satisfaction.extensions import db
from satisfaction.units.models import UnitDataset, UnitLevel
from satisfaction.units.parsing import parse_units
from satisfaction.units.service_points import generate_service_points
from satisfaction.units.upsert import save_units

DATA_DIR = Path(__file__).resolve().parent / "data"
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")
TAG_PATTERN = re.compile(r"[A-Za-z0-9]{1,8}")


@dataclass(frozen=True)
class Builtin:
    """A unit list carried by the project, with what the dataset row says about it."""

    title: str
    source: str
    source_on: date
    valid_from: date | None
    valid_to: date | None
    tag: str


# The list in force until the 2025 reorganisation, and the one since (Decision 19/2025/QĐ-TTg).
BUILTINS: dict[str, Builtin] = {
    "vn-2024": Builtin(
        title="Danh mục đơn vị hành chính Việt Nam đến 30/6/2025 (3 cấp)",
        source="Tổng cục Thống kê (GSO), qua gói vietnam-provinces 0.6.0",
        source_on=date(2025, 1, 4), valid_from=None, valid_to=date(2025, 6, 30), tag="24",
    ),
    "vn-2025": Builtin(
        title="Danh mục đơn vị hành chính Việt Nam từ 1/7/2025 (2 cấp)",
        source="Tổng cục Thống kê (GSO), qua gói vietnam-provinces 2025.10.1",
        source_on=date(2025, 10, 18), valid_from=date(2025, 7, 1), valid_to=None, tag="25",
    ),
}  # fmt: skip


@dataclass
class LoadSummary:
    """What a load changed: units by outcome, service points, and the units in the file."""

    dataset: str
    in_file: dict[UnitLevel, int] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    points_created: int = 0
    points_updated: int = 0
    dataset_changed: bool = False

    @property
    def changed(self) -> bool:
        """Tell whether the load changed anything."""
        counts = (self.created, self.updated, self.retired, self.points_created)
        return self.dataset_changed or any(counts) or bool(self.points_updated)

    def __str__(self) -> str:
        counts = {f"{level.value}s": self.in_file.get(level, 0) for level in UnitLevel}
        size = _(
            "%(provinces)d provinces, %(districts)d districts, %(communes)d communes", **counts
        )
        if not self.changed:
            return _("%(dataset)s: %(size)s; nothing changed", dataset=self.dataset, size=size)
        return _(
            "%(dataset)s: %(size)s; units created %(created)d, updated %(updated)d, unchanged "
            "%(unchanged)d, retired %(retired)d; service points created %(points)d",
            dataset=self.dataset, size=size, created=self.created, updated=self.updated,
            unchanged=self.unchanged, retired=self.retired, points=self.points_created,
        )  # fmt: skip


def builtin_path(name: str) -> Path:
    """Return the file of a built-in dataset (plain or gzipped CSV)."""
    plain = DATA_DIR / f"{name}.csv"
    return plain if plain.exists() else DATA_DIR / f"{name}.csv.gz"


def load_builtin(name: str) -> LoadSummary:
    """Load or refresh one of the unit lists carried by the project."""
    spec = BUILTINS.get(name)
    if spec is None:
        choices = ", ".join(BUILTINS)
        message = _("unknown dataset %(name)s (one of: %(choices)s)", name=name, choices=choices)
        raise InputError(Problem("dataset", message))
    return import_units(
        builtin_path(name), name, title=spec.title, source=spec.source, source_on=spec.source_on,
        valid_from=spec.valid_from, valid_to=spec.valid_to, tag=spec.tag,
    )  # fmt: skip


def import_units(
    file: Source,
    dataset_name: str,
    *,
    title: str | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    tag: str | None = None,
    source: str | None = None,
    source_on: date | None = None,
) -> LoadSummary:
    """Check a whole GSO-layout file, then upsert its units into a dataset; flush, no commit.

    Loading a file again changes nothing, but two loads at once are one too many: the file is
    recorded as taken once more, and the second of two loads running together is refused.
    """
    parsed = parse_units(file)
    claim_file(FileKind.UNITS, parsed.fingerprint, source_name(file), again=True)
    existing = db.session.scalar(select(UnitDataset).where(UnitDataset.name == dataset_name))
    tag = _check_dataset(dataset_name, existing, tag, valid_from, valid_to)
    summary = LoadSummary(dataset_name, {level: parsed.count(level) for level in UnitLevel})
    details = {"title": title, "source": source, "source_on": source_on,
               "valid_from": valid_from, "valid_to": valid_to}  # fmt: skip
    # A savepoint: a database error undoes this load and leaves the caller's session usable.
    with db.session.begin_nested():
        dataset, summary.dataset_changed = _save_dataset(existing, dataset_name, tag, details)
        changes = save_units(dataset.id, parsed)
        summary.created, summary.updated = changes.created, changes.updated
        summary.unchanged, summary.retired = changes.unchanged, changes.retired
        summary.points_created, summary.points_updated = generate_service_points(dataset)
        if summary.changed:
            dataset.loaded_at = utcnow()
    return summary


def _check_dataset(
    name: str,
    existing: UnitDataset | None,
    tag: str | None,
    valid_from: date | None,
    valid_to: date | None,
) -> str:
    """Check the dataset's name, tag and dates; return the tag to use."""
    problems = []
    if not NAME_PATTERN.fullmatch(name):
        message = _("a dataset name has 1 to 32 lowercase letters, digits, dots, - or _")
        problems.append(Problem("dataset", message))
    if existing is not None and tag and tag != existing.tag:
        message = _("the tag of %(name)s is %(tag)s and cannot change", name=name, tag=existing.tag)
        problems.append(Problem("tag", message))
    tag = existing.tag if existing is not None else tag or re.sub(r"[^A-Za-z0-9]", "", name)[-8:]
    if not TAG_PATTERN.fullmatch(tag):
        problems.append(Problem("tag", _("a tag has 1 to 8 letters or digits")))
    elif existing is None and _tag_taken(tag):
        problems.append(Problem("tag", _("another dataset has the tag %(tag)s", tag=tag)))
    # A date not given keeps the dataset's: check the pair that will be stored.
    valid_from = valid_from or (existing.valid_from if existing else None)
    valid_to = valid_to or (existing.valid_to if existing else None)
    if valid_from and valid_to and valid_from > valid_to:
        problems.append(Problem("valid_to", _("the end of validity is before its start")))
    if problems:
        raise InputError(problems)
    return tag


def _tag_taken(tag: str) -> bool:
    """Tell whether a dataset already uses tag."""
    return db.session.scalar(select(UnitDataset.id).where(UnitDataset.tag == tag)) is not None


def _save_dataset(
    existing: UnitDataset | None, name: str, tag: str, details: dict[str, object]
) -> tuple[UnitDataset, bool]:
    """Create the dataset or update the details given; tell whether anything changed."""
    if existing is None:
        dataset = UnitDataset(name=name, tag=tag, **details)
        dataset.title = dataset.title or name
        dataset.source = dataset.source or ""
        db.session.add(dataset)
        db.session.flush()
        return dataset, True
    changed = False
    for key, value in details.items():
        if value is not None and getattr(existing, key) != value:
            setattr(existing, key, value)
            changed = True
    return existing, changed
