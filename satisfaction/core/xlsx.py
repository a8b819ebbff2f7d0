"""Read the first sheet of an XLSX file within limits checked before openpyxl parses anything.

An XLSX file is a zip of XML parts: a small upload can expand to gigabytes (a zip bomb) or hold
one enormous shared string. The zip directory is read first (sizes as declared, which Python's
zipfile enforces while reading), then the parts openpyxl would load whole are scanned as a stream
(rows, cells per row, columns, cell length), and only then is the sheet read in read-only mode.
"""

import io
import zipfile
from collections.abc import Iterator
from xml.parsers import expat

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from satisfaction.core.errors import InputError, Problem

MAX_UNCOMPRESSED = 256 * 2**20  # every part of the file, once decompressed
MAX_SHARED_STRINGS = 32 * 2**20  # the shared-strings part, loaded whole by openpyxl
MAX_RATIO = 100  # decompressed size / compressed size of one part (above 1 MB)
MAX_PARTS = 1_000
MAX_ROWS = 200_000
MAX_COLUMNS = 100  # the last column holding a value
MAX_CELLS_PER_ROW = 16_384  # Excel's own limit: openpyxl builds each row whole in memory
MAX_CELL = 10_000  # characters of one cell or shared string
SHARED_STRINGS = "xl/sharedStrings.xml"


def xlsx_rows(data: bytes, name: str) -> Iterator[tuple[int, tuple]]:
    """Yield (row number, cell values) of the first sheet; refuse a file beyond the limits."""
    archive = _open_zip(data, name)
    with archive:
        _check_directory(archive, name)
        if SHARED_STRINGS in archive.namelist():
            _scan(archive, SHARED_STRINGS, name)
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
            raise not_a_table(name) from exc
        try:
            sheet = workbook.worksheets[0]
            # openpyxl's own attribute: the part holding the first sheet.
            _scan(archive, sheet._worksheet_path, name)
            rows = sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS, values_only=True)
            yield from enumerate(rows, start=1)
        finally:
            workbook.close()


def not_a_table(name: str) -> InputError:
    """Return the error for a file that is neither CSV nor XLSX."""
    message = _("The file is neither a CSV file (UTF-8) nor an Excel file (.xlsx).")
    return InputError(Problem(name, message))


def _open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise not_a_table(name) from exc


def _refuse(name: str, message: str) -> InputError:
    return InputError(Problem(name, message))


def _check_directory(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a file whose zip directory declares too many parts or too much data."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise _refuse(name, _("The Excel file has more than %(n)d parts.", n=MAX_PARTS))
    total = sum(part.file_size for part in parts)
    if total > MAX_UNCOMPRESSED:
        raise _refuse(name, _(
            "The Excel file expands to %(size)d MB once opened, more than %(n)d MB.",
            size=total // 2**20, n=MAX_UNCOMPRESSED // 2**20))  # fmt: skip
    for part in parts:
        if part.file_size > 2**20 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise _refuse(name, _(
                "The Excel file is compressed %(ratio)d times over: it is not a spreadsheet "
                "saved by Excel.", ratio=part.file_size // max(part.compress_size, 1)))  # fmt: skip
    shared = next((p for p in parts if p.filename == SHARED_STRINGS), None)
    if shared is not None and shared.file_size > MAX_SHARED_STRINGS:
        raise _refuse(name, _(
            "The text of the Excel file takes %(size)d MB, more than %(n)d MB.",
            size=shared.file_size // 2**20, n=MAX_SHARED_STRINGS // 2**20))  # fmt: skip


def _scan(archive: zipfile.ZipFile, part: str, name: str) -> None:
    """Stream one XML part through expat, holding nothing, and refuse it beyond the limits."""
    scanner = _Scanner(name)
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    parser.CharacterDataHandler = scanner.text
    parser.StartDoctypeDeclHandler = scanner.doctype
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(2**20):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        raise not_a_table(name) from exc


class _Scanner:
    """Count rows, cells and characters of a sheet or shared-strings part as expat reads it."""

    def __init__(self, name: str):
        self.name = name
        self.rows = self.cells = self.column = self.length = 0
        self.has_value = self.in_text = False

    def doctype(self, *args) -> None:
        """Refuse a document type declaration: Excel writes none, entity bombs need one."""
        raise _refuse(self.name, _("The Excel file holds an XML declaration Excel never writes."))

    def start(self, tag: str, attrs: dict) -> None:
        """Note a row, a cell (its column) or the start of a text."""
        tag = tag.rpartition(":")[2]
        if tag == "row":
            self.cells = self.column = 0
        elif tag == "c":
            self.cells += 1
            self.column = _column(attrs.get("r", ""), self.column + 1)
            self.has_value = False
            if self.cells > MAX_CELLS_PER_ROW:
                raise _refuse(self.name, _("A row of the Excel file has more than %(n)d cells.",
                                           n=MAX_CELLS_PER_ROW))  # fmt: skip
        elif tag in ("v", "t"):
            self.in_text, self.length = True, 0

    def text(self, data: str) -> None:
        """Count the characters of a cell value or string."""
        if self.in_text:
            self.length += len(data)
            if self.length > MAX_CELL:
                raise _refuse(self.name, _(
                    "A cell of the Excel file holds more than %(n)d characters.",
                    n=MAX_CELL))  # fmt: skip

    def end(self, tag: str) -> None:
        """Close a text, a cell or a row, checking the columns and rows that hold values."""
        tag = tag.rpartition(":")[2]
        if tag in ("v", "t"):
            self.in_text = False
            self.has_value = self.has_value or self.length > 0
        elif tag == "c" and self.has_value and self.column > MAX_COLUMNS:
            raise _refuse(self.name, _("The sheet has values beyond column %(n)d.",
                                       n=MAX_COLUMNS))  # fmt: skip
        elif tag == "row":
            self.rows += 1
            if self.rows > MAX_ROWS + 1:
                raise _refuse(self.name, _("The file has more than %(n)d lines.", n=MAX_ROWS))


def _column(reference: str, default: int) -> int:
    """Return the column number of a cell reference such as "AB12" (1 for A)."""
    number = 0
    for char in reference:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        else:
            break
    return number or default
