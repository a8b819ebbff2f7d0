"""Read a dossier list exported by a one-stop or postal system; check every row first."""

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from satisfaction.core.errors import InputError, Problem, at_line
from satisfaction.core.tables import Source, Table, read_table
from satisfaction.core.text import column_key

COLUMNS = ("dossier_ref", "service_point", "procedure_code", "procedure_name", "result_date")
REQUIRED = ("dossier_ref", "service_point")
# Headers people may use for the same columns (lowercase, spaces and dashes as underscores).
ALIASES = {
    "ma_ho_so": "dossier_ref", "so_ho_so": "dossier_ref",
    "ma_diem_phuc_vu": "service_point", "diem_phuc_vu": "service_point",
    "ma_thu_tuc": "procedure_code", "ten_thu_tuc": "procedure_name",
    "ngay_tra_ket_qua": "result_date", "ngay_tra": "result_date",
}  # fmt: skip
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
MAX_ROWS = 100_000
MAX_REPORTED = 200
XLSX_BYTES_A_ROW = 150  # about, in the sheet's XML: a dossier row of five cells


@dataclass(frozen=True)
class DossierRow:
    """One administrative result going out by post, with the line it came from."""

    line: int
    dossier_ref: str
    service_point: str
    procedure_code: str
    procedure_name: str
    result_on: date | None


def _key(title: str) -> str:
    return column_key(title, ALIASES)


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for index, title in enumerate(header):
        key = _key(title)
        if key in COLUMNS and key not in found:
            found[key] = index
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise InputError([Problem(at_line(1), _("column %(name)s is missing", name=name))
                          for name in missing])  # fmt: skip
    return found


def parse_day(text: str) -> date:
    """Return the date written as YYYY-MM-DD or DD/MM/YYYY; ValueError otherwise."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_dossiers(source: Source) -> list[DossierRow]:
    """Return every row of a dossier list, or raise InputError listing every bad line."""
    rows, problems = read_dossiers(source)
    if problems:
        raise InputError(limit(problems))
    return rows


def read_dossiers(source: Source | Table) -> tuple[list[DossierRow], list[Problem]]:
    """Return the good rows of a dossier list (a file or a table read) and the others' problems."""
    table = source if isinstance(source, Table) else read_table(source)
    columns = _columns(table.header)
    if not table.rows:
        raise InputError(Problem("", _("The file has a header but no dossiers.")))
    if len(table.rows) > MAX_ROWS:
        raise InputError(Problem("", _("The file has more than %(n)d rows.", n=MAX_ROWS)))
    rows, problems, seen = [], [], {}
    for line, cells in table.rows:
        value = {name: _cell(cells, columns, name) for name in COLUMNS}
        row_problems = _check(line, value, seen)
        problems += row_problems
        if not row_problems:
            rows.append(_row(line, value))
    return rows, problems


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _check(line: int, value: dict[str, str], seen: dict[tuple[str, str], int]) -> list[Problem]:
    problems = []
    ref, point = value["dossier_ref"], value["service_point"]
    if not ref:
        problems.append(Problem(at_line(line, "dossier_ref"), _("the dossier is missing")))
    elif len(ref) > 64:
        problems.append(Problem(at_line(line, "dossier_ref"), _("longer than 64 characters")))
    if not point:
        problems.append(Problem(at_line(line, "service_point"), _("the service point is missing")))
    if len(value["procedure_name"]) > 255 or len(value["procedure_code"]) > 64:
        problems.append(Problem(at_line(line, "procedure_name"), _("the procedure is too long")))
    if value["result_date"]:
        try:
            parse_day(value["result_date"])
        except ValueError:
            problems.append(Problem(at_line(line, "result_date"),
                                    _("%(value)s is not a date (use YYYY-MM-DD or DD/MM/YYYY)",
                                      value=value["result_date"])))  # fmt: skip
    if ref and point:
        first = seen.setdefault((point, ref), line)
        if first != line:
            problems.append(Problem(at_line(line, "dossier_ref"),
                                    _("dossier %(ref)s is already on line %(line)d",
                                      ref=ref, line=first)))  # fmt: skip
    return problems


def _row(line: int, value: dict[str, str]) -> DossierRow:
    day = parse_day(value["result_date"]) if value["result_date"] else None
    return DossierRow(line, value["dossier_ref"], value["service_point"],
                      value["procedure_code"], value["procedure_name"], day)  # fmt: skip


def limit(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_REPORTED:
        return problems
    rest = len(problems) - MAX_REPORTED
    return [*problems[:MAX_REPORTED], Problem("", _("%(n)d more problems.", n=rest))]


def rough_rows(data: bytes) -> int:
    """Guess how many rows a dossier list holds without reading it (to choose: job or not)."""
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                sheets = [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")]
                return sum(i.file_size for i in sheets) // XLSX_BYTES_A_ROW
        except (zipfile.BadZipFile, OSError):
            return 0  # refused as it is read
    if data.startswith(b"\x1f\x8b"):
        return len(data) // 10  # gzipped CSV: about ten bytes a row
    return data.count(b"\n")
