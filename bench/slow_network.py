"""A survey page on a slow phone connection, next to a minimal Flask baseline page.

    .venv/bin/python bench/slow_network.py [--runs 5] [--kbps 400] [--rtt-ms 400]

Serves the app (production settings, SQLite in a temporary folder, vn-2024 units, one code) and
the baseline with gunicorn on loopback, plus the app behind a gzip filter (bench/gzip_app.py, what
a reverse proxy with gzip on sends: the app itself does not compress). Each run opens a fresh
Chromium context (empty cache) at 360x740 with Chrome DevTools' network emulation, loads the page
and reads the bytes received (headers included), first contentful paint and the load event.
"""

import argparse
import gzip
import os
import re
import shutil
import statistics
import sys
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import harness

sys.path.insert(0, str(harness.ROOT))
from tests.browser.conftest import CHROMIUM_ARGS, CHROMIUM_CANDIDATES, PHONE  # noqa: E402

PAGE_LIMIT = 50 * 1024  # bytes over the wire
USABLE_MS = 2000.0
TIMINGS = """() => new Promise((resolve) => {
  const nav = performance.getEntriesByType("navigation")[0];
  const answer = (fcp) => resolve({fcp, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd});
  new PerformanceObserver((list) => {
    const fcp = list.getEntriesByName("first-contentful-paint")[0];
    if (fcp) answer(fcp.startTime);
  }).observe({type: "paint", buffered: true});
  setTimeout(() => answer(null), 5000);
})"""


def main() -> None:
    """Prepare the app, start the servers and load each page several times."""
    args = _arguments()
    args.load = harness.load_average()
    chromium = _chromium()
    with tempfile.TemporaryDirectory(prefix="satisfaction-bench-") as scratch:
        work = Path(scratch)
        url = "sqlite:///" + str(work / "bench.sqlite")
        env = harness.app_env(url, work / "instance", "http://127.0.0.1")
        code = _prepare(env)
        options = harness.gunicorn_args("sync", 2, 1)
        with (
            harness.gunicorn("baseline", "baseline_app:app", env, options, work) as baseline,
            harness.gunicorn("app", "satisfaction:create_app()", env, options, work) as app,
            harness.gunicorn("app-gzip", "gzip_app:app", env, options, work) as zipped,
        ):
            path = f"/s/{code}"
            sizes = _sizes(app.base, path)
            targets = [
                ("baseline GET /", baseline.base + "/"),
                ("survey page", app.base + path),
                ("survey page, gzip", zipped.base + path),
            ]
            results = {name: _runs(args, chromium, target) for name, target in targets}
    _report(args, sizes, results)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5, help="loads per page")
    parser.add_argument("--kbps", type=float, default=400, help="down and up, kbit/s")
    parser.add_argument("--rtt-ms", type=float, default=400, help="added round trip, ms")
    return parser.parse_args()


def _chromium() -> str:
    found = os.environ.get("SATISFACTION_CHROMIUM") or next(
        (p for name in CHROMIUM_CANDIDATES if (p := shutil.which(name))), None
    )
    if not found:
        sys.exit("no Chromium found (apt-get install chromium, or set SATISFACTION_CHROMIUM)")
    return found


def _prepare(env: dict) -> str:
    """Create the database through the app's commands and issue one code."""
    harness.satisfaction(["db", "upgrade"], env)
    harness.satisfaction(["units", "load", "vn-2024"], env)
    harness.satisfaction(["questionnaires", "sync"], env)
    listing = harness.satisfaction(["service-points", "list", "--format", "csv"], env)
    point = next(row.split(",")[0] for row in listing.splitlines()[1:] if ",commune," in row)
    made = harness.satisfaction(
        ["invitations", "create", "--service-point", point, "--count", "1"], env
    )
    return made.split()[-1]


def _sizes(base: str, path: str) -> dict[str, tuple[int, int]]:
    """Return the size of the page and of each asset it links: (plain, gzip level 6)."""
    page = _fetch(base + path)
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', page)
    sizes = {path: page}
    sizes.update({asset.decode(): _fetch(base + asset.decode()) for asset in assets})
    return {name: (len(body), len(gzip.compress(body, 6))) for name, body in sizes.items()}


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as reply:
        return reply.read()


def _runs(args: argparse.Namespace, chromium: str, url: str) -> list[dict]:
    """Load url args.runs times, each in a fresh context; return the measurements."""
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        try:
            for _ in range(args.runs):
                results.append(_one_load(args, browser, url))
        finally:
            browser.close()
    return results


def _one_load(args: argparse.Namespace, browser, url: str) -> dict:
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        received: dict[str, int] = {}
        urls: dict[str, str] = {}

        def responded(event: dict) -> None:
            urls[event["requestId"]] = event["response"]["url"]

        def finished(event: dict) -> None:
            received[event["requestId"]] = int(event["encodedDataLength"])

        cdp.on("Network.responseReceived", responded)
        cdp.on("Network.loadingFinished", finished)
        cdp.send("Network.enable")
        rate = args.kbps * 1000 / 8  # bytes per second
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": args.rtt_ms,
                "downloadThroughput": rate,
                "uploadThroughput": rate,
            },
        )
        response = page.goto(url, wait_until="load", timeout=60_000)
        assert response is not None and response.status == 200, url
        timings = page.evaluate(TIMINGS)
        return {
            **timings,
            "bytes": sum(received.values()),
            "requests": len(received),
            "urls": sorted(urlsplit(urls.get(r, "?")).path for r in received),
        }
    finally:
        context.close()


def _report(args, sizes: dict[str, tuple[int, int]], results: dict[str, list[dict]]) -> None:
    print(f"slow_network, {harness.today()}: {harness.machine()}")
    print(
        f"Chromium at {PHONE['width']}x{PHONE['height']}, emulated {args.kbps:g} kbit/s down "
        f"and up, {args.rtt_ms:g} ms round trip; {args.runs} cold loads each (median, worst)"
    )
    print(args.load)
    print("\nsizes of the survey page and what it links (bytes; the app sends them uncompressed):")
    for name, (plain, zipped) in sizes.items():
        print(f"  {name:<40}{plain:>9}  gzip -6: {zipped:>7}")
    total = [sum(s[i] for s in sizes.values()) for i in (0, 1)]
    print(f"  {'total':<40}{total[0]:>9}  gzip -6: {total[1]:>7}")
    print(f"\n{'page':<20}{'requests':>9}{'KB on wire':>12}{'FCP ms':>16}{'load ms':>16}  verdict")
    for name, runs in results.items():
        fcp = sorted(r["fcp"] for r in runs if r["fcp"] is not None)
        load = sorted(r["load"] for r in runs)
        wire = max(r["bytes"] for r in runs)
        ok = wire <= PAGE_LIMIT and load[-1] <= USABLE_MS
        print(
            f"{name:<20}{runs[0]['requests']:>9}{wire / 1024:>12.1f}"
            f"{_pair(fcp):>16}{_pair(load):>16}  {'met' if ok else 'NOT MET'}"
        )
    print(
        f"\ntargets: at most {PAGE_LIMIT // 1024} KB over the wire, loaded (usable) within "
        f"{USABLE_MS / 1000:g} s in every run"
    )
    print("what one load fetched:")
    for name, runs in results.items():
        print(f"  {name}: " + ", ".join(runs[0]["urls"]))


def _pair(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values):.0f}, {values[-1]:.0f}"


if __name__ == "__main__":
    main()
