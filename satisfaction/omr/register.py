"""Register a page: fit form millimetres to image pixels from the QR, then from the markers."""

from dataclasses import dataclass

import numpy as np

from satisfaction.omr.decode import Identity
from satisfaction.omr.template import MmRect, PageSpec, qr_symbol_mm

MAX_RESIDUAL_MM = 0.5  # a larger misfit of the five markers sends the page to review
SEARCH_MM = 7.0  # how far from where the QR predicts it a marker is looked for
BLIND_SEARCH_MM = 22.0  # how far when only the image's size says where the page is
MIN_FILL = 0.7  # share of dark pixels a marker-sized square must reach to be a marker
# Four markers alone fit any affine map exactly (nothing left to check, and a page turned over
# fits as well as an upright one): a page missing one (a corner the scanner cut off, a blot)
# is registered only with the QR symbol's four corners added to the fit, which restore a residual.
MIN_MARKERS = 4


@dataclass(frozen=True)
class Registration:
    """Where the form is on the image: an affine map from millimetres to pixels, and its fit."""

    matrix: np.ndarray  # 2 x 3
    residual_mm: float  # the largest distance between a found marker and the fit
    markers_found: int
    paper: float  # the grey of the page's paper

    @property
    def px_per_mm(self) -> float:
        """Return the mean scale of the map."""
        return float(np.sqrt(abs(np.linalg.det(self.matrix[:, :2]))))

    def to_px(self, x: float, y: float) -> tuple[float, float]:
        """Return the pixel position of a point given in millimetres."""
        px = self.matrix @ np.array([x, y, 1.0])
        return float(px[0]), float(px[1])

    @property
    def upside_down(self) -> bool:
        """Tell whether the page was scanned upside down."""
        return bool(self.matrix[0, 0] < 0)

    @property
    def ok(self) -> bool:
        """Tell whether enough markers were found and the fit is close enough."""
        return self.residual_mm <= MAX_RESIDUAL_MM


def fit_affine(mm: np.ndarray, px: np.ndarray) -> np.ndarray:
    """Return the least-squares affine map (2 x 3) taking points mm (N x 2) to px (N x 2)."""
    design = np.hstack([mm, np.ones((len(mm), 1))])
    solution, *_ = np.linalg.lstsq(design, px, rcond=None)
    return solution.T


def paper_grey(image: np.ndarray) -> float:
    """Return the grey of the paper: a high percentile of a sample of the page."""
    return max(float(np.percentile(image[::7, ::7], 90)), 60.0)


def _box_sums(mask: np.ndarray, k: int) -> np.ndarray:
    """Return the count of set pixels in every k x k square of mask (top-left indexed)."""
    integral = np.pad(mask.astype(np.int32).cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    return integral[k:, k:] - integral[:-k, k:] - integral[k:, :-k] + integral[:-k, :-k]


def find_marker(
    image: np.ndarray, centre: tuple[float, float], side_px: float, reach_px: float, paper: float
) -> tuple[float, float] | None:
    """Return the centroid of the solid square nearest to centre, or None if there is none."""
    height, width = image.shape
    x0, y0 = max(int(centre[0] - reach_px), 0), max(int(centre[1] - reach_px), 0)
    x1, y1 = min(int(centre[0] + reach_px) + 1, width), min(int(centre[1] + reach_px) + 1, height)
    k = max(int(side_px * 0.8), 3)
    if x1 - x0 <= k or y1 - y0 <= k:
        return None
    dark = image[y0:y1, x0:x1] < paper * 0.5
    sums = _box_sums(dark, k)
    best = np.unravel_index(int(np.argmax(sums)), sums.shape)
    if sums[best] < MIN_FILL * k * k:
        return None
    pad = int(side_px * 0.35) + 2
    top, left = max(best[0] - pad, 0), max(best[1] - pad, 0)
    blob = dark[top : best[0] + k + pad, left : best[1] + k + pad]
    ys, xs = np.nonzero(blob)
    return float(xs.mean() + left + x0), float(ys.mean() + top + y0)


def coarse(identity: Identity, page: PageSpec) -> np.ndarray:
    """Return the map from millimetres to pixels given by the QR symbol's corners alone."""
    symbol = np.array(qr_symbol_mm(page.qr, identity.version))
    return fit_affine(symbol, identity.corners)


def register(image: np.ndarray, identity: Identity, page: PageSpec) -> Registration:
    """Return the fit of the page's markers; residual is infinite when too few are found."""
    symbol = (np.array(qr_symbol_mm(page.qr, identity.version)), identity.corners)
    return _fit_markers(image, coarse(identity, page), page, SEARCH_MM, symbol)


def register_blind(
    image: np.ndarray, page: PageSpec, page_size: tuple[float, float]
) -> Registration:
    """Return the better fit of the markers upright or upside down, with no QR to start from.

    For a page whose code a person typed: the scale comes from the image's width and the page's.
    """
    height, width = image.shape
    scale = width / page_size[0]
    upright = np.array([[scale, 0.0, 0.0], [0.0, scale, 0.0]])
    turned = np.array([[-scale, 0.0, width - 1.0], [0.0, -scale, height - 1.0]])
    fits = [_fit_markers(image, guess, page, BLIND_SEARCH_MM) for guess in (upright, turned)]
    return min(fits, key=lambda fit: fit.residual_mm)


def _fit_markers(
    image: np.ndarray,
    guess: np.ndarray,
    page: PageSpec,
    reach_mm: float,
    symbol: tuple[np.ndarray, np.ndarray] | None = None,
) -> Registration:
    """Return the least-squares fit of the markers found near where guess puts them.

    All markers are needed, or all but one when the QR symbol's corners (mm, px) are given.
    """
    paper = paper_grey(image)
    scale = float(np.sqrt(abs(np.linalg.det(guess[:, :2]))))
    found_mm, found_px = [], []
    for marker in page.markers:
        centre = guess @ np.array([*marker.centre, 1.0])
        side = marker.w * scale
        hit = find_marker(image, (centre[0], centre[1]), side, side / 2 + reach_mm * scale, paper)
        if hit is not None:
            found_mm.append(marker.centre)
            found_px.append(hit)
    needed = len(page.markers) if symbol is None else min(MIN_MARKERS, len(page.markers))
    if len(found_mm) < needed:
        return Registration(guess, float("inf"), len(found_mm), paper)
    mm, px = np.array(found_mm), np.array(found_px)
    if len(found_mm) < len(page.markers) and symbol is not None:
        mm, px = np.vstack([mm, symbol[0]]), np.vstack([px, symbol[1]])
    matrix = fit_affine(mm, px)
    misfit = np.linalg.norm((np.hstack([mm, np.ones((len(mm), 1))]) @ matrix.T) - px, axis=1)
    fitted = Registration(matrix, 0.0, len(found_mm), paper)
    return Registration(matrix, float(misfit.max()) / fitted.px_per_mm, len(found_mm), paper)


def pixel_window(reg: Registration, rect: MmRect, inset: float) -> tuple[int, int, int, int]:
    """Return (top, bottom, left, right) in pixels of a rectangle's centre square, inset in mm."""
    cx, cy = reg.to_px(*rect.centre)
    half_w = (rect.w / 2 - inset) * reg.px_per_mm
    half_h = (rect.h / 2 - inset) * reg.px_per_mm
    return (round(cy - half_h), round(cy + half_h) + 1, round(cx - half_w), round(cx + half_w) + 1)
