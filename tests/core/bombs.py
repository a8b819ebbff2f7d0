"""Hostile XLSX files, and a run of the table reader on one in a process whose peak is measured."""

import io
import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[2]
SHEET = "xl/worksheets/sheet1.xml"
SHARED = "xl/sharedStrings.xml"
CHUNK = 2**20


def _workbook() -> dict[str, bytes]:
    """Return the parts of a small genuine workbook saved by openpyxl (a dossier list)."""
    book = openpyxl.Workbook()
    book.active.append(["dossier_ref", "service_point", "procedure_name"])
    book.active.append(["HS-001", "C00001-T", "Đăng ký khai sinh"])
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(path: Path, parts: dict[str, bytes], big_name: str, head: bytes, filler: bytes,
           size: int, tail: bytes) -> Path:  # fmt: skip
    """Write the workbook with one part streamed as head + filler repeated to size + tail."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            if name != big_name:
                archive.writestr(name, data)
        with archive.open(big_name, "w", force_zip64=True) as stream:
            stream.write(head)
            block = filler * (CHUNK // len(filler))
            for _ in range(size // len(block)):
                stream.write(block)
            stream.write(tail)
    return path


def huge_shared_string(path: Path, megabytes: int = 400) -> Path:
    """Write an XLSX whose one shared string is megabytes long (about 0.4 MB on disk)."""
    parts = _workbook()
    # Declared as Excel declares it, and used by the first cell, so that every reader loads it.
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))  # fmt: skip
    parts[SHEET] = parts[SHEET].replace(
        b'<c r="A1" t="inlineStr"><is><t>dossier_ref</t></is></c>', b'<c r="A1" t="s"><v>0</v></c>'
    )
    head = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org'
            b'/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>')  # fmt: skip
    return _write(path, parts, SHARED, head, b"A", megabytes * CHUNK, b"</t></si></sst>")


def zip_bomb(path: Path, megabytes: int = 1000) -> Path:
    """Write an XLSX whose sheet expands to megabytes of cells (a few MB on disk)."""
    parts = _workbook()
    head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
            b'.org/spreadsheetml/2006/main"><sheetData><row r="1">')  # fmt: skip
    cell = b"<c><v>1</v></c>"
    return _write(path, parts, SHEET, head, cell, megabytes * CHUNK,
                  b"</row></sheetData></worksheet>")  # fmt: skip


READ = """
import json, resource, sys, time
from satisfaction import create_app
from satisfaction.core.errors import InputError
from satisfaction.core.tables import read_table

def high_water_mb():
    # This process's own peak. ru_maxrss would do, but Linux carries a parent's peak over
    # fork and exec into it, so a child of a large test run would start at hundreds of MB.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

app = create_app({"TESTING": True, "ENVIRONMENT": "testing", "SECRET_KEY": "x",
                  "SQLALCHEMY_DATABASE_URI": "sqlite://"})
with app.test_request_context("/?lang=" + sys.argv[2]):
    start = high_water_mb()
    began = time.perf_counter()
    try:
        read_table(sys.argv[1])
        told = "accepted"
    except InputError as error:
        told = str(error)
    seconds = time.perf_counter() - began
print(json.dumps({"told": told, "seconds": seconds, "peak_mb": high_water_mb(),
                  "before_mb": start}))
"""

# The reader before the limits: openpyxl in read-only mode, every row of the first sheet.
BASELINE = """
import resource, sys, time
import openpyxl
began = time.perf_counter()
book = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
print(rows, time.perf_counter() - began, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def _limited(megabytes: int):
    """Return a preexec function capping a child's address space (a bomb must not take the box)."""

    def limit() -> None:
        import resource

        cap = megabytes * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    return limit


def measure_refusal(path: Path, lang: str = "vi", cap_mb: int = 2048) -> dict:
    """Read path with the project's reader in a fresh process; return what it said, time, peak."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(READ), str(path), lang],
        capture_output=True, text=True, cwd=ROOT, timeout=120, preexec_fn=_limited(cap_mb),
    )  # fmt: skip
    if done.returncode != 0:
        return {"told": "failed: " + done.stderr[-300:], "seconds": None, "peak_mb": None}
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_baseline(path: Path, cap_mb: int = 2048, timeout: int = 60) -> str:
    """Read path as the reader did before its limits, capped; say what it cost or how it ended."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(BASELINE), str(path)], capture_output=True,
            text=True, timeout=timeout, preexec_fn=_limited(cap_mb),
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return f"killed after {timeout} s (still running)"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return f"failed at the {cap_mb} MB cap: {last[:80]}"
    rows, seconds, peak = done.stdout.split()
    return f"{float(seconds):.1f} s, peak {float(peak):.0f} MB, {rows} rows"
