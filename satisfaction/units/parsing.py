"""Parse and validate a unit list in the layout of the General Statistics Office (GSO) export."""

import re
import unicodedata
from dataclasses import dataclass, field

from flask_babel import gettext as _

from satisfaction.core.errors import InputError, Problem
from satisfaction.core.tables import Source, Table, at, read_table
from satisfaction.units.models import UnitLevel

# Field -> (the GSO header, accepted headers once normalised by _squash()).
COLUMNS: dict[str, tuple[str, set[str]]] = {
    field: (gso, set(aliases.split()))
    for field, gso, aliases in [
        ("province_name", "Tỉnh / Thành phố",
         "tinhthanhpho tinhthanh tinh tinhtp tentinh tentinhthanhpho province provincename"),
        ("province_code", "Mã TP", "matp matinh matinhthanhpho provincecode"),
        ("district_name", "Quận Huyện", "quanhuyen huyen tenquanhuyen district districtname"),
        ("district_code", "Mã QH", "maqh mahuyen maquanhuyen districtcode"),
        ("commune_name", "Phường Xã",
         "phuongxa xaphuong xa tenphuongxa commune communename ward wardname"),
        ("commune_code", "Mã PX", "mapx maxa maphuongxa communecode wardcode"),
        ("level", "Cấp", "cap level kind loai"),
    ]
}  # fmt: skip
REQUIRED = ("province_name", "province_code", "commune_name", "commune_code")
CODE_WIDTH = {UnitLevel.PROVINCE: 2, UnitLevel.DISTRICT: 3, UnitLevel.COMMUNE: 5}
PREFIX = {UnitLevel.PROVINCE: "province", UnitLevel.DISTRICT: "district",
          UnitLevel.COMMUNE: "commune"}  # fmt: skip
# Kinds as the GSO writes them, longest first so that "Thị xã" is not read as "Thị trấn"'s kin.
KINDS = ("Thành phố", "Thị trấn", "Đặc khu", "Thị xã", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")
MAX_NAME = 200
MAX_KIND = 40
MAX_PROBLEMS = 500


@dataclass(frozen=True)
class ParsedUnit:
    """One unit read from a file, with the line where it first appears."""

    code: str
    name: str
    level: UnitLevel
    kind: str
    parent_code: str | None
    line: int


@dataclass
class ParsedUnits:
    """Every unit of a valid file, by level and code, in the order of the file."""

    units: dict[UnitLevel, dict[str, ParsedUnit]] = field(
        default_factory=lambda: {level: {} for level in UnitLevel}
    )
    three_tiers: bool = True
    fingerprint: str = ""  # of the file read (satisfaction.core.tables.fingerprint)

    def count(self, level: UnitLevel) -> int:
        """Return how many units of a level the file has."""
        return len(self.units[level])


def parse_units(source: Source, name: str = "") -> ParsedUnits:
    """Read and check a GSO-layout file; raise InputError listing every problem found."""
    table = read_table(source, name)
    columns = map_header(table.header)
    three_tiers = "district_code" in columns and any(
        _cell(cells, columns, "district_code") or _cell(cells, columns, "district_name")
        for _line, cells in table.rows
    )
    checker = _Checker(table, columns, three_tiers)
    for line, cells in table.rows:
        checker.check_row(line, cells)
    if not table.rows:
        checker.problems.append(Problem(at(1), _("The file has a header but no units.")))
    if checker.problems:
        raise InputError(_limit(checker.problems))
    checker.result.fingerprint = table.fingerprint
    return checker.result


def map_header(header: list[str]) -> dict[str, int]:
    """Return the column index of each known field; raise InputError if one is missing."""
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for index, title in enumerate(header):
        key = _squash(title)
        found = next((f for f, (_gso, names) in COLUMNS.items() if key in names), None)
        if found and found in columns:
            problems.append(Problem(at(1, title), _("This column appears twice.")))
        elif found:
            columns[found] = index
    for name in REQUIRED:
        if name not in columns:
            problems.append(Problem(at(1), _missing(name)))
    if ("district_code" in columns) != ("district_name" in columns):
        name = "district_name" if "district_code" in columns else "district_code"
        problems.append(Problem(at(1), _missing(name)))
    if problems:
        raise InputError(problems)
    return columns


def _missing(name: str) -> str:
    """Say that a column is missing, naming it as the GSO and in English."""
    return _("Column %(column)s is missing.", column=f'"{COLUMNS[name][0]}" ({name})')


def _squash(title: str) -> str:
    """Lower a header, drop its diacritics, spaces and punctuation: "Mã TP" -> "matp"."""
    text = unicodedata.normalize("NFD", title.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]", "", text)


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    """Return a row's cell for a field, or "" when the column or cell is absent."""
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else ""


def _limit(problems: list[Problem]) -> list[Problem]:
    """Keep the first MAX_PROBLEMS problems and say how many more there are."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], Problem("", _("%(n)d more problems.", n=more))]


def kind_of(name: str, given: str = "") -> str:
    """Return the kind of a unit: the level column if given, else the prefix of its name."""
    if given:
        return _KNOWN_KINDS.get(_squash(given), given)
    return next((k for k in KINDS if name.startswith(k + " ")), "")


_KNOWN_KINDS = {_squash(kind): kind for kind in KINDS}


class _Checker:
    """Check rows one by one, remembering every unit seen to catch contradictions."""

    def __init__(self, table: Table, columns: dict[str, int], three_tiers: bool):
        self.header = table.header
        self.columns = columns
        self.result = ParsedUnits(three_tiers=three_tiers)
        self.problems: list[Problem] = []
        self.valid: dict[tuple, str] = {}

    def check_row(self, line: int, cells: list[str]) -> None:
        """Check one row and record the units it names."""
        province = self._unit(line, cells, UnitLevel.PROVINCE, None)
        district = None
        if self.result.three_tiers:
            district = self._unit(line, cells, UnitLevel.DISTRICT, province)
        parent = district if self.result.three_tiers else province
        has_commune = any(self._cell(cells, "commune_" + p) for p in ("code", "name"))
        # In a three-tier file a row may stop at its district (an island district has no
        # communes); an empty district beside a commune was reported by _unit() above.
        if has_commune or not self.result.three_tiers:
            self._unit(line, cells, UnitLevel.COMMUNE, parent)

    def _cell(self, cells: list[str], name: str) -> str:
        return _cell(cells, self.columns, name)

    def _problem(self, line: int, name: str, message: str) -> None:
        title = self.header[self.columns[name]] if name in self.columns else COLUMNS[name][0]
        self.problems.append(Problem(at(line, title), message))

    def _unit(
        self, line: int, cells: list[str], level: UnitLevel, parent: str | None
    ) -> str | None:
        """Check a unit's code and name on a row, record it, and return its code if valid."""
        prefix = PREFIX[level]
        raw_name = self._cell(cells, prefix + "_name")
        # Provinces and districts repeat on every commune's row: check each spelling once.
        key = (level, self._cell(cells, prefix + "_code"), raw_name, parent)
        if key in self.valid:
            return self.valid[key]
        code = self._code(line, cells, level)
        name = " ".join(raw_name.split())
        if not name:
            self._problem(line, prefix + "_name", _("The name is missing."))
        elif len(name) > MAX_NAME:
            self._problem(line, prefix + "_name", _("The name is too long."))
        # A unit whose parent is wrong is not recorded: it would only add echoes of that problem.
        orphan = level != UnitLevel.PROVINCE and parent is None
        if code is None or not name or len(name) > MAX_NAME or orphan:
            return None
        given = self._cell(cells, "level") if level == UnitLevel.COMMUNE else ""
        kind = kind_of(name, given)
        if len(kind) > MAX_KIND:
            self._problem(line, "level", _("The level is too long."))
        if not self._record(ParsedUnit(code, name, level, kind[:MAX_KIND], parent, line)):
            return None
        if level != UnitLevel.COMMUNE:
            self.valid[key] = code
        return code

    def _code(self, line: int, cells: list[str], level: UnitLevel) -> str | None:
        """Return the zero-padded code of a unit on a row, or None after noting a problem."""
        column = PREFIX[level] + "_code"
        raw = self._cell(cells, column)
        width = CODE_WIDTH[level]
        # Excel turns "01" into the number 1, and sometimes writes it "1.0".
        digits = re.sub(r"\.0+$", "", raw)
        if not raw:
            self._problem(line, column, _("The code is missing."))
        elif not digits.isascii() or not digits.isdigit():
            self._problem(line, column, _("Code %(code)s is not a number.", code=raw))
        elif len(digits) > width:
            message = _("Code %(code)s has more than %(n)d digits.", code=raw, n=width)
            self._problem(line, column, message)
        else:
            return digits.zfill(width)
        return None

    def _record(self, unit: ParsedUnit) -> bool:
        """Remember a unit; note a problem if it contradicts an earlier row."""
        seen = self.result.units[unit.level].get(unit.code)
        if seen is None:
            self.result.units[unit.level][unit.code] = unit
            return True
        column = PREFIX[unit.level] + "_code"
        if unit.level == UnitLevel.COMMUNE:
            line = seen.line
            message = _("Commune %(code)s is also on line %(line)d.", code=unit.code, line=line)
        elif seen.name != unit.name:
            message = _(
                "Code %(code)s is named %(name)s on line %(line)d.",
                code=unit.code, name=seen.name, line=seen.line,
            )  # fmt: skip
        elif seen.parent_code != unit.parent_code:
            message = _(
                "Code %(code)s is under %(parent)s on line %(line)d.",
                code=unit.code, parent=seen.parent_code, line=seen.line,
            )  # fmt: skip
        else:
            return True
        self._problem(unit.line, column, message)
        return False
