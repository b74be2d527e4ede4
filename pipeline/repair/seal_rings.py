"""A seal's rings taken out of a black-and-white signature column before it is read again.

On a colour scan the red seal turns to paper (``render.black_print``). On a bilevel or grey
scan it is as black as the print, and its rings cross the signer's name: Decree 30 puts
the seal over the left third of the signature, and the name's family name lies under the
ring's lower arc ("xg Việt D _" for "Trương Việt Dũng"). Tesseract reads a letter cut by
a thin white gap far better than one crossed by a black arc, so the rings' centre lines
are painted paper: on the opened bilevel seeds the column read again gave the whole name
3 times in 32 as printed and 11 times with the rings' centre lines taken out (a band of
0.7 pt; wider bands cut the letters under them too: 7 times at 1.2 pt, 4 at 2 pt).

A ring is a circle of a seal's size (OpenCV's Hough transform finds the candidates) whose
line is dark along most of its length; letters, a signature's strokes or a table's rules
never are, so a page without a seal is left as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from PIL import Image

# Seals are 30-45 mm wide (Decree 30's annex), their inner rings about two thirds of that:
# ring radii from 25 to 70 points.
MIN_RADIUS_POINTS, MAX_RADIUS_POINTS = 25.0, 70.0
# The rings are read at 300 dpi, around the part of the page read plus this many points: a
# name line's crop holds only an arc of a ring. Their centres are found at 72 dpi (Hough's
# cost grows with the pixels and the candidates: 10 ms there, 0.3 s at 100 dpi), one per
# this many points, with this many votes.
FIND_SCALE = 300 / 72
REACH_POINTS = 2 * MAX_RADIUS_POINTS
CENTRE_SCALE = 1.0
CENTRE_GAP_POINTS = 10.0
CENTRE_VOTES = 30
# A ring's line is dark (within a pixel) along this share of its length inside the image,
# and at least this share of it lies inside.
MIN_DARK_SHARE = 0.75
MIN_INSIDE_SHARE = 0.5
# Print is darker than this share of the paper's level.
DARK = 0.5
# A seal has an outer ring, often doubled, and an inner one; a page rarely two seals.
MAX_RINGS = 4
# Two rings closer than this (pixels, centre and radius) are one.
SAME_RING = 6.0
# Hough's strongest centres looked at; a centre found at 72 dpi is off by up to this many
# pixels at 300, so each ring is first looked for with its line grown by as much.
CANDIDATES = 12
CENTRE_SLACK = 4
# Points taken along a circle.
ANGLES = np.linspace(0.0, 2 * np.pi, 360, endpoint=False)
# The band painted paper along each ring, in points (3 pixels at 300 dpi).
BAND_POINTS = 0.72

Ring = tuple[float, float, float]  # centre x, centre y, radius, in pixels of the image given


def seal_rings(gray: np.ndarray, scale: float) -> list[Ring]:
    """The seal rings of a greyscale image at ``scale`` pixels per point (``FIND_SCALE``
    keeps the cost down), strongest first."""
    import cv2

    paper = float(np.percentile(gray, 90))
    dark = (gray < paper * DARK).astype(np.uint8)
    fine = cv2.dilate(dark, np.ones((3, 3), np.uint8))
    coarse = cv2.dilate(dark, np.ones((2 * CENTRE_SLACK + 3,) * 2, np.uint8))
    radii = np.arange(int(MIN_RADIUS_POINTS * scale), int(MAX_RADIUS_POINTS * scale) + 1, dtype=float)
    peaks: list[tuple[float, float, float, float]] = []
    for x, y in _centres(gray, scale):
        profile = _dark_shares(coarse, np.full_like(radii, x), np.full_like(radii, y), radii)
        for at in np.flatnonzero(profile >= MIN_DARK_SHARE):
            if profile[at] >= profile[max(int(at) - 1, 0) : int(at) + 2].max():  # its ring's peak
                peaks.append((float(profile[at]), x, y, float(radii[at])))
    fitted = [_fitted(fine, x, y, r) for _, x, y, r in _distinct(peaks, 2 * MAX_RINGS)]
    return [(x, y, r) for share, x, y, r in _distinct(fitted, MAX_RINGS) if share >= MIN_DARK_SHARE]


def _distinct(
    circles: list[tuple[float, float, float, float]], most: int
) -> list[tuple[float, float, float, float]]:
    """The ``most`` darkest of ``circles`` (share, x, y, radius), one of each ring."""
    kept: list[tuple[float, float, float, float]] = []
    for share, x, y, r in sorted(circles, reverse=True):
        if all(abs(r - r2) > SAME_RING or np.hypot(x - x2, y - y2) > SAME_RING for _, x2, y2, r2 in kept):
            kept.append((share, x, y, r))
        if len(kept) == most:
            break
    return kept


def _centres(gray: np.ndarray, scale: float) -> list[tuple[float, float]]:
    """Where circles of a seal's size may have their centres (Hough's candidates, at 72 dpi),
    in the pixels of ``gray``."""
    import cv2

    shrink = CENTRE_SCALE / scale
    small = cv2.resize(gray, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
    found = cv2.HoughCircles(
        cv2.medianBlur(small, 3),
        cv2.HOUGH_GRADIENT,
        dp=1,
        minDist=CENTRE_GAP_POINTS * CENTRE_SCALE,
        param1=100,
        param2=CENTRE_VOTES,
        minRadius=int(MIN_RADIUS_POINTS * CENTRE_SCALE),
        maxRadius=int(MAX_RADIUS_POINTS * CENTRE_SCALE),
    )
    if found is None:
        return []
    return [(float(x) / shrink, float(y) / shrink) for x, y, _ in found[0][:CANDIDATES]]


def _fitted(fine: np.ndarray, x: float, y: float, radius: float) -> tuple[float, float, float, float]:
    """The circle near (``x``, ``y``, ``radius``) whose line is darkest, with its dark share."""
    slack = np.arange(-CENTRE_SLACK, CENTRE_SLACK + 1, dtype=float)
    dx, dy, dr = (axis.ravel() for axis in np.meshgrid(slack, slack, slack, indexing="ij"))
    shares = _dark_shares(fine, x + dx, y + dy, radius + dr)
    best = int(np.argmax(shares))
    return float(shares[best]), x + dx[best], y + dy[best], radius + dr[best]


def _dark_shares(dark: np.ndarray, xs: np.ndarray, ys: np.ndarray, radii: np.ndarray) -> np.ndarray:
    """For each circle (centre ``xs``, ``ys``, radius ``radii``), the share of its line inside
    the image that is dark in ``dark``; 0 when less than ``MIN_INSIDE_SHARE`` of it lies inside."""
    columns = (xs[:, None] + radii[:, None] * np.cos(ANGLES)).astype(int)
    rows = (ys[:, None] + radii[:, None] * np.sin(ANGLES)).astype(int)
    inside = (columns >= 0) & (columns < dark.shape[1]) & (rows >= 0) & (rows < dark.shape[0])
    hits = np.where(inside, dark[rows.clip(0, dark.shape[0] - 1), columns.clip(0, dark.shape[1] - 1)], 0)
    counted = inside.sum(axis=1)
    shares = hits.sum(axis=1) / np.maximum(counted, 1)
    return np.where(counted >= MIN_INSIDE_SHARE * len(ANGLES), shares, 0.0)


def painted_out(image: Image.Image, rings: list[Ring], scale: float) -> Image.Image:
    """``image`` (greyscale, ``scale`` pixels per point) with the centre lines of ``rings``
    (in its pixels) painted paper."""
    import cv2
    from PIL import Image as PILImage

    gray = np.asarray(image.convert("L"))
    band = np.zeros(gray.shape, np.uint8)
    width = max(1, round(BAND_POINTS * scale))
    for x, y, r in rings:
        cv2.circle(band, (round(x), round(y)), round(r), 255, thickness=width)
    paper = np.uint8(np.percentile(gray, 90))
    return PILImage.fromarray(np.where(band > 0, paper, gray))
