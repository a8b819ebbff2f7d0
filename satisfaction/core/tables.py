"""Read a table from an uploaded file: CSV (UTF-8, with or without BOM, maybe gzipped) or XLSX."""

import csv
import gzip
import hashlib
import io
import os
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import BinaryIO

from flask_babel import gettext as _

from satisfaction.core.errors import InputError, Problem, at_line
from satisfaction.core.text import legacy_code_page, text_problems
from satisfaction.core.xlsx import not_a_table, xlsx_rows

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
    # What a file taken before is known by: its bytes, with line endings and a BOM normalised.
    fingerprint: str = ""


def named(header: list[str], cells: list[str]) -> dict[str, str]:
    """Return a row as {column: stripped text}; missing trailing cells are empty."""
    return {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}


def at(line: int, column: str | None = None) -> str:
    """Say where a problem is: "line 12" or "line 12, column Mã PX" (translated)."""
    return at_line(line, column)


def read_table(source: Source, name: str = "") -> Table:
    """Read the first sheet of an XLSX file or a CSV file; refuse anything else.

    Refused too: text that cannot be Vietnamese (another code page, "?" for letters, mojibake).
    """
    name = name or source_name(source)
    data = read_bytes(source)
    if data.startswith(GZIP_MAGIC):
        data = _gunzip(data)
    if data.startswith(OLE_MAGIC):
        raise InputError(_("This is an old Excel (.xls) file: save it as .xlsx or CSV (UTF-8)."))
    is_xlsx = data.startswith(ZIP_MAGIC)
    lines = _xlsx_lines(data, name) if is_xlsx else _csv_lines(data, name)
    table = _to_table(lines)
    problems = text_problems(table.header, lines)
    if problems:
        raise InputError([Problem(name, _("the text is not readable Vietnamese")), *problems])
    table.fingerprint = fingerprint(data, is_text=not is_xlsx)
    return table


def fingerprint(data: bytes, is_text: bool = True) -> str:
    """Return the SHA-256 of a file's bytes, text with CRLF/CR as LF and without a UTF-8 BOM."""
    if is_text:
        data = data.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return hashlib.sha256(data).hexdigest()


def source_name(source: Source) -> str:
    """Return the file name of a path or an open file, or "" for bytes."""
    if isinstance(source, str | os.PathLike):
        return os.path.basename(source)
    return os.path.basename(str(getattr(source, "name", "") or ""))


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


def _csv_lines(data: bytes, name: str) -> list[tuple[int, list[str]]]:
    """Split UTF-8 CSV text into numbered rows, guessing the delimiter from the first line."""
    if b"\x00" in data:
        raise not_a_table(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(legacy_code_page(name)) from exc
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


def _xlsx_lines(data: bytes, name: str) -> list[tuple[int, list[str]]]:
    """Read the first worksheet of an XLSX file into numbered rows of text, within limits."""
    lines = []
    for number, row in xlsx_rows(data, name):
        cells = [_cell_text(value) for value in row]
        while cells and not cells[-1]:  # the columns read are padded to the limit
            cells.pop()
        lines.append((number, cells))
        if number > MAX_LINES:
            break
    return lines


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
