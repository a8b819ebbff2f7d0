"""Benchmark: read scanned pages (QR, registration, every box) at 200 dpi, on one and on every core.

    .venv/bin/python bench/omr_pages.py [--pages 40] [--rounds 10] [--workers 2]

The pages are forms rendered by the project's own code, rasterised at 200 dpi, marked with known
answers and spoiled like a decent office scan (rotation up to 2 degrees, 97-101%, blur, noise,
JPEG), made once and held in memory: the time is the reader's alone, not the file decoding.
The baseline, in the same run and on the same images, only finds and decodes the QR code (the
first step of the reader): the rest of the reader costs the difference.
Target (issue 6): at least 30 pages a second per core.
"""

import argparse
import multiprocessing
import os
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from satisfaction.omr.decode import decode_qr  # noqa: E402
from satisfaction.omr.read import Status, read_page  # noqa: E402
from tests.omr.synth import (  # noqa: E402
    COMMON,
    Degradation,
    degrade,
    form_spec,
    make_codes,
    mark_page,
    rasterise,
    render_forms,
)

DPI, TARGET = 200, 30
PAGES: list[np.ndarray] = []  # filled before the workers fork, so each has them for free


def make_pages(count: int, seed: int = 1) -> list[np.ndarray]:
    """Return count marked, spoiled pages (two per form) as greyscale arrays."""
    rng, noise = random.Random(seed), np.random.default_rng(seed)
    codes = make_codes((count + 1) // 2)
    pages = []
    for index, image in enumerate(rasterise(render_forms(codes), DPI)[:count]):
        mark_page(image, codes[index // 2], index % 2 + 1, DPI, rng, COMMON)
        spoil = Degradation(rotation=rng.uniform(-2, 2), scale=rng.uniform(0.97, 1.01),
                            blur=rng.uniform(0, 0.8), noise=rng.uniform(0, 6), jpeg=75)  # fmt: skip
        pages.append(degrade(image, spoil, noise))
    return pages


def _work(task: tuple[str, list[int], int]) -> tuple[int, float]:
    """Run one kind of work over some of the pages, rounds times; return pages and seconds."""
    kind, indices, rounds = task
    spec = form_spec()
    done, start = 0, time.perf_counter()
    for _ in range(rounds):
        for index in indices:
            if kind == "read":
                assert read_page(PAGES[index], lambda _code: spec).status is Status.READ
            else:
                assert decode_qr(PAGES[index]) is not None
            done += 1
    return done, time.perf_counter() - start


def rate(kind: str, workers: int, rounds: int) -> float:
    """Return pages per second for a kind of work spread over workers processes.

    The time is the slowest worker's own, from its first page to its last: forking the
    processes is left out (it would swamp the short decode-only runs).
    """
    indices = list(range(len(PAGES)))
    tasks = [(kind, indices[w::workers], rounds) for w in range(workers)]
    if workers == 1:
        results = [_work(tasks[0])]
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_work, tasks)
    return sum(done for done, _ in results) / max(seconds for _, seconds in results)


def main() -> None:
    """Make the pages, time the reader and the decode-only baseline, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    PAGES.extend(make_pages(args.pages))
    form_spec()  # built once before the workers fork
    _work(("read", [0], 1))  # warm up
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"{machine}; {len(PAGES)} pages at {DPI} dpi, {args.rounds} rounds")
    figures = {}
    for workers in sorted({1, args.workers}):
        for kind in ("decode", "read"):
            figures[kind, workers] = rate(kind, workers, args.rounds)
            print(f"  {kind:6} on {workers} core(s): {figures[kind, workers]:7.1f} pages/s")
    one = figures["read", 1]
    print(f"reader per core: {one:.1f} pages/s ({1000 / one:.1f} ms a page; target {TARGET}); "
          f"QR decode alone: {1000 / figures['decode', 1]:.1f} ms a page")  # fmt: skip


if __name__ == "__main__":
    main()
