"""Read a table from an uploaded file: CSV (UTF-8, with or without BOM, maybe gzipped) or XLSX."""

import csv
import gzip
import io
import os
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import BinaryIO

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from satisfaction.core.errors import InputError, Problem, at_line

Source = str | os.PathLike | bytes | BinaryIO

MAX_BYTES = 64 * 1024 * 1024
MAX_LINES = 200_000
ZIP_MAGIC = b"PK\x03\x04"
GZIP_MAGIC = b"\x1f\x8b"
# Excel 97-2003 (.xls) files are OLE2 compound documents.
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class Table:
    """The header and the non-empty rows of a file, each row with its line number."""

    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def named(header: list[str], cells: list[str]) -> dict[str, str]:
    """Return a row as {column: stripped text}; missing trailing cells are empty."""
    return {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}


def at(line: int, column: str | None = None) -> str:
    """Say where a problem is: "line 12" or "line 12, column Mã PX" (translated)."""
    return at_line(line, column)


def read_table(source: Source) -> Table:
    """Read the first sheet of an XLSX file or a CSV file; refuse anything else."""
    data = read_bytes(source)
    if data.startswith(GZIP_MAGIC):
        data = _gunzip(data)
    if data.startswith(OLE_MAGIC):
        raise InputError(_("This is an old Excel (.xls) file: save it as .xlsx or CSV (UTF-8)."))
    lines = _xlsx_lines(data) if data.startswith(ZIP_MAGIC) else _csv_lines(data)
    return _to_table(lines)


def read_bytes(source: Source) -> bytes:
    """Return at most MAX_BYTES + 1 bytes of the source."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    else:
        data = source.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(_("The file is larger than %(n)d MB.", n=MAX_BYTES // 2**20))
    return data


def _gunzip(data: bytes) -> bytes:
    """Decompress a gzipped file, refusing one that expands beyond MAX_BYTES."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            data = stream.read(MAX_BYTES + 1)
    except (OSError, EOFError) as exc:
        raise InputError(_("The file is not a valid gzip file.")) from exc
    if len(data) > MAX_BYTES:
        raise InputError(_("The file is larger than %(n)d MB.", n=MAX_BYTES // 2**20))
    return data


def _not_a_table() -> InputError:
    """Return the error for a file that is neither CSV nor XLSX."""
    return InputError(_("The file is neither a CSV file (UTF-8) nor an Excel file (.xlsx)."))


def _csv_lines(data: bytes) -> list[tuple[int, list[str]]]:
    """Split UTF-8 CSV text into numbered rows, guessing the delimiter from the first line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_a_table() from exc
    if "\x00" in text:
        raise _not_a_table()
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    lines: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            # line_num counts physical lines: quoted line breaks do not shift later numbers.
            lines.append((reader.line_num, [cell.strip() for cell in row]))
            if reader.line_num > MAX_LINES:
                break
    except csv.Error as exc:
        message = _("The CSV is malformed: %(error)s", error=str(exc))
        raise InputError(Problem(at(reader.line_num), message)) from exc
    return lines


def _xlsx_lines(data: bytes) -> list[tuple[int, list[str]]]:
    """Read the first worksheet of an XLSX file into numbered rows of text."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise _not_a_table() from exc
    try:
        sheet = workbook.worksheets[0]
        lines = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            lines.append((number, [_cell_text(value) for value in row]))
            if number > MAX_LINES:
                break
        return lines
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """Return a cell as text; whole numbers lose Excel's trailing ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):  # an Excel date cell
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _to_table(lines: list[tuple[int, list[str]]]) -> Table:
    """Take the first non-empty row as the header and keep the non-empty rows after it."""
    lines = [(number, cells) for number, cells in lines if any(cells)]
    if not lines:
        raise InputError(_("The file is empty."))
    if lines[-1][0] > MAX_LINES:
        raise InputError(_("The file has more than %(n)d lines.", n=MAX_LINES))
    (_number, header), *rows = lines
    return Table(header=header, rows=rows)
