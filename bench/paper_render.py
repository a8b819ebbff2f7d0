"""Benchmark: print a 10,000-form batch on every core, next to reportlab's own QR widget.

    .venv/bin/python bench/paper_render.py [--forms 10000] [--baseline-forms 300] [--workers 2]

The batch is split into one contiguous part per worker process (forms 1-5,000 in part-1.pdf,
5,001-10,000 in part-2.pdf with two workers); each part is a complete PDF with its own manifest.
The time is the wall time from starting the processes to the last PDF written, start-up included.
The baseline draws the same form the simple way on one core: every page drawn in full (no form
XObjects) with reportlab.graphics.barcode.qr.QrCodeWidget and reportlab's default settings.
Targets: >= 1,000 forms/s for the batch, and >= 30x the baseline.
"""

import argparse
import io
import multiprocessing
import os
import platform
import random
import tempfile
import time
from pathlib import Path

from reportlab import Version as REPORTLAB_VERSION
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas

from satisfaction.paper import codes
from satisfaction.paper.draw import draw_static, page_y, points, slot_code
from satisfaction.paper.layout import layout_for
from satisfaction.paper.qr import QrStamp, survey_url
from satisfaction.paper.render import FormCopy, render_pdf, site_of
from satisfaction.questionnaires.loader import load_dir

ROOT = Path(__file__).resolve().parents[1]
BASE_URL = "https://khaosat.dichvucong.example.vn"
TARGET_RATE, TARGET_RATIO = 1000, 30
POINTS = [f"UBND xã {name}" for name in ("Đắk Rơ Wa", "Tân Thạnh", "Hòa Bình", "Ea Tu")] + [
    "Trung tâm Phục vụ hành chính công tỉnh Thừa Thiên Huế",
    "Bộ phận Một cửa UBND phường Hàng Trống",
]
PROCEDURES = ["Đăng ký khai sinh", "Chứng thực bản sao từ bản chính", "", "Đăng ký kết hôn"]


def questionnaire():
    """Return the real questionnaire of the forms folder."""
    return next(f.questionnaire for f in load_dir(ROOT / "forms"))


def make_copies(count: int, seed: int = 2026) -> list[FormCopy]:
    """Return count copies with reproducible codes and a mix of offices and procedures."""
    rng = random.Random(seed)
    copies = []
    for index in range(count):
        data = "".join(rng.choice(codes.ALPHABET) for _ in range(codes.DATA_LENGTH))
        point, procedure = POINTS[index % len(POINTS)], PROCEDURES[index % len(PROCEDURES)]
        copies.append(FormCopy(data + codes.check_character(data), point, procedure))
    return copies


def render_part(job: tuple[int, int, str]) -> int:
    """Render forms [start, start + count) of the batch to a PDF file; return its size."""
    start, count, path = job
    copies = make_copies(start + count)[start:]
    with open(path, "wb") as out:
        render_pdf(questionnaire(), copies, out, BASE_URL)
    return os.path.getsize(path)


def batch(forms: int, workers: int, folder: str) -> tuple[float, int]:
    """Render the batch in one process per worker; return forms per second and bytes written."""
    share = -(-forms // workers)
    jobs = [
        (start, min(share, forms - start), os.path.join(folder, f"part-{n + 1}.pdf"))
        for n, start in enumerate(range(0, forms, share))
    ]
    began = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
        sizes = pool.map(render_part, jobs)
    return forms / (time.perf_counter() - began), sum(sizes)


def one_core(forms: int) -> float:
    """Return forms per second rendering in this process (fonts and layout already warm)."""
    q, copies = questionnaire(), make_copies(forms)
    render_pdf(q, copies[:2], io.BytesIO(), BASE_URL)
    began = time.perf_counter()
    render_pdf(q, copies, io.BytesIO(), BASE_URL)
    return forms / (time.perf_counter() - began)


def _widget_qr(canvas: Canvas, value: str, square) -> None:
    widget = QrCodeWidget(value, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    side = points(square.w)
    scale = side / (right - left)
    drawing = Drawing(side, side, transform=[scale, 0, 0, side / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, points(square.x), page_y(square.bottom))


def baseline(forms: int) -> float:
    """Return forms per second drawing every page in full with reportlab's QR widget."""
    q, copies = questionnaire(), make_copies(forms)
    began = time.perf_counter()
    layout = layout_for(q)
    canvas = Canvas(io.BytesIO(), pagesize=(points(210), points(297)), invariant=1)
    for copy in copies:
        values = {
            "code": codes.group(copy.code),
            "service_point": copy.service_point,
            "procedure": copy.procedure,
            "site": site_of(BASE_URL),
        }
        for page in layout.pages:
            draw_static(canvas, page)
            _widget_qr(canvas, survey_url(BASE_URL, copy.code), page.qr)
            for slot in page.slots:
                canvas.addLiteral(slot_code(canvas, slot, values[slot.name]))
            canvas.showPage()
    canvas.save()
    return forms / (time.perf_counter() - began)


def per_symbol(count: int = 300) -> dict[str, float]:
    """Return microseconds per QR symbol: encoding three ways, drawing two ways."""
    import qrcode

    stamp = QrStamp(survey_url(BASE_URL, ""), codes.LENGTH)
    batch_codes = [copy.code for copy in make_copies(count)]

    def timed(work) -> float:
        began = time.perf_counter()
        for code in batch_codes:
            work(code)
        return (time.perf_counter() - began) / count * 1e6

    def library(code: str, mask: int | None) -> None:
        symbol = qrcode.QRCode(stamp.version if mask is not None else None, mask_pattern=mask)
        symbol.add_data(survey_url(BASE_URL, code).encode())
        symbol.make(fit=mask is None)

    return {
        "encode: qrcode, mask search": timed(lambda c: library(c, None)),
        "encode: qrcode, fixed version and mask": timed(lambda c: library(c, stamp.mask)),
        "encode: precomputed bit contributions (used)": timed(stamp.packed),
        "encode + draw: 1-bit inline image (used)": timed(
            lambda c: stamp.image_operators(c, 0, 0, 60)
        ),
        "encode + draw: merged runs of modules": timed(lambda c: stamp.runs_operators(c, 0, 0, 60)),
    }


def with_runs(forms: int) -> float:
    """Return forms per second on one core when the QR is drawn as runs instead of an image."""
    saved = QrStamp.image_operators
    QrStamp.image_operators = QrStamp.runs_operators
    try:
        return one_core(forms)
    finally:
        QrStamp.image_operators = saved


def machine() -> str:
    """Return a one-line description of the processor and the software."""
    model = platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        model = names[0] if names else model
    return (
        f"{model}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"reportlab {REPORTLAB_VERSION}"
    )


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=10_000)
    parser.add_argument("--baseline-forms", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    for name, micros in per_symbol().items():
        print(f"  {name:46} {micros:9.1f} us per symbol")
    single, runs = one_core(2000), with_runs(2000)
    print(f"one core, QR as image:  {single:8.0f} forms/s")
    print(f"one core, QR as runs:   {runs:8.0f} forms/s")
    with tempfile.TemporaryDirectory() as folder:
        rate, size = batch(args.forms, args.workers, folder)
    print(
        f"batch of {args.forms} forms, {args.workers} processes: {rate:8.0f} forms/s"
        f"  ({size / args.forms / 1024:.1f} KiB a form; target >= {TARGET_RATE})"
    )
    base = baseline(args.baseline_forms)
    print(
        f"baseline ({args.baseline_forms} forms, QrCodeWidget, no XObjects, one core):"
        f" {base:6.1f} forms/s"
    )
    ratio = rate / base
    print(
        f"ratio batch / baseline: {ratio:.0f}x (target >= {TARGET_RATIO}x);"
        f" one core / baseline: {single / base:.0f}x"
    )
    met = rate >= TARGET_RATE and ratio >= TARGET_RATIO
    print("targets met" if met else "TARGETS NOT MET")


if __name__ == "__main__":
    main()
