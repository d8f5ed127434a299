"""Layout audit of a figure before it is saved: page width, font sizes, hidden data, readability.

A figure is refused (:class:`FigureLayoutError`) when

* its printed width (the tight bounding box plus ``savefig.pad_inches`` on both sides) exceeds
  :data:`TEXT_WIDTH_IN` = 6.5 in, the text width of a paper page, so it would be shrunk;
* any text that is drawn (tick labels, labels, titles, legend entries, annotations) is set
  below :data:`MIN_FONT_PT` = 7 pt (as printed: the figure is never shrunk, see above);
* a legend, text box, annotation or inset ("obstacle") hides more than
  :data:`MAX_COVERED_FRACTION` = 1 % of any one plotted artist, or overlaps another drawn
  text (a title, label, tick label, another note) by more than :data:`MAX_TEXT_OVERLAP` = 10 %
  of the smaller box (matplotlib places a suptitle and an "outside upper" figure legend on top
  of each other, for example); any two drawn texts (the titles of neighbouring panels, tick
  labels) may not overlap by more than that either;
* it breaks a readability rule of :mod:`hdsgd.plotting.readability`: a legend entry that
  shows nothing, markers that hide line styles, an axis with fewer than two labelled ticks or
  crowded tick labels, a colour legend that explains only part of its colours or one ramp with
  two meanings, a multi-line title or spelled-out Greek, text outside its panel.

Everything is measured during the draw that writes the file, on the layout as saved
(``bbox_inches="tight"`` moves figure legends to the edges of the cropped page), with the
printed width read from the saved page.

How "hidden" is measured, in display coordinates after the layout engine has run:

* every obstacle is its window extent (a legend's frame, a text's box patch or its glyphs);
  obstacles of every axes and of the figure (``fig.legend``, ``fig.text``) are checked against
  the data of every axes, so a legend placed outside its own axes but on a neighbour's data is
  caught too;
* lines (``Line2D``, line collections, unfilled patches and contour lines) are sampled every
  half pixel along their drawn path, interpolating between vertices, so a segment crossing a
  legend counts even when no vertex lies under it; marker-only lines and scatter plots count
  their points;
* filled areas (histogram bars, ``fill_between`` bands, filled contours, shaded spans, meshes
  and images) count the area they paint: images and meshes by their cells (masked, NaN or
  transparent cells are empty and do not count), other filled paths on a one-pixel grid. A
  colour map that fills the axes is data, so a legend may not sit on it: put it outside;
* only what is visible counts: samples outside the artist's clip box are dropped.

The covered fraction of an artist is the share of its samples inside any obstacle. Legend
handles and the obstacles' own patches are not data. There is no per-figure escape: a figure
that fails moves its legend or note outside the axes (``fig.legend(loc="outside ...")``,
``ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1))``) or into an empty region.
"""

from __future__ import annotations

import contextlib
import io
import math
from dataclasses import dataclass, field

import numpy as np
from matplotlib import cbook
from matplotlib.collections import Collection, LineCollection, PathCollection, QuadMesh
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from hdsgd.plotting.readability import axes_name, readability_findings, text_name

TEXT_WIDTH_IN = 6.5
MIN_FONT_PT = 7.0
MAX_COVERED_FRACTION = 0.01
MAX_TEXT_OVERLAP = 0.1
SAMPLE_STEP_PX = 0.5
AREA_STEP_PX = 1.0
_MAX_AREA_SAMPLES = 400_000


class FigureLayoutError(ValueError):
    """A figure would print too wide, with too small text, or with data hidden."""


@dataclass
class LayoutReport:
    """What :func:`measure_layout` found; :meth:`violations` lists what breaks the rules."""

    name: str
    width_in: float
    min_font_pt: float
    min_font_text: str
    max_covered: float = 0.0
    covered_artist: str = ""
    covering_artist: str = ""
    coverage: list = field(default_factory=list)  # (fraction, data artist, obstacle)
    text_overlaps: list = field(default_factory=list)  # (fraction, text, obstacle)
    findings: list = field(default_factory=list)  # readability.Finding

    def violations(self) -> list[str]:
        out = []
        if self.width_in > TEXT_WIDTH_IN + 1e-6:
            out.append(f"printed width {self.width_in:.2f} in exceeds the {TEXT_WIDTH_IN} in "
                       "text width (size it for a page: new_figure(...), fewer columns, "
                       "legend below)")
        if self.min_font_pt < MIN_FONT_PT - 1e-6:
            out.append(f"text {self.min_font_text!r} is {self.min_font_pt:.1f} pt, below "
                       f"{MIN_FONT_PT:g} pt")
        for frac, data, obstacle in self.coverage:
            if frac > MAX_COVERED_FRACTION:
                out.append(f"{obstacle} covers {100 * frac:.1f}% of {data} (at most "
                           f"{100 * MAX_COVERED_FRACTION:g}% allowed: move it outside the "
                           "axes or to an empty region)")
        for frac, text, obstacle in self.text_overlaps:
            out.append(f"{obstacle} overlaps {text} ({100 * frac:.0f}% of the smaller box)")
        return out + [str(f) for f in self.findings]

    def summary(self) -> str:
        cover = (f"{100 * self.max_covered:.1f}% of {self.covered_artist} under "
                 f"{self.covering_artist}" if self.covering_artist else "no data under any "
                 "legend or text box")
        return (f"layout {self.name}: width {self.width_in:.2f} in (max {TEXT_WIDTH_IN}), "
                f"smallest font {self.min_font_pt:.1f} pt (min {MIN_FONT_PT:g}), "
                f"most covered: {cover} (max {100 * MAX_COVERED_FRACTION:g}%)")


# ---------------------------------------------------------------- names for messages

def _artist_name(artist, fig) -> str:
    kind = type(artist).__name__
    label = artist.get_label() if hasattr(artist, "get_label") else ""
    where = axes_name(artist.axes, fig) if getattr(artist, "axes", None) else "figure"
    if label and not str(label).startswith("_"):
        return f"{kind} {str(label)!r} in {where}"
    return f"unlabelled {kind} in {where}"


# ---------------------------------------------------------------- obstacles

def _text_bbox(text, renderer) -> Bbox:
    box = text.get_window_extent(renderer)
    patch = text.get_bbox_patch()
    if patch is not None:
        box = Bbox.union([box, patch.get_window_extent(renderer)])
    return box


def _obstacles(fig, renderer) -> list[tuple[str, Bbox, object]]:
    """Legends, text boxes, annotations, anchored boxes and insets: (name, extent, artist)."""
    out = []
    for ax in fig.axes:
        name = axes_name(ax, fig)
        leg = ax.get_legend()
        if leg is not None and leg.get_visible():
            out.append((f"legend of {name}", leg.get_window_extent(renderer), leg))
        for t in ax.texts:
            if t.get_visible() and t.get_text().strip():
                out.append((f"text {text_name(t)!r} in {name}", _text_bbox(t, renderer), t))
        for a in ax.artists:
            if a.get_visible():
                out.append((f"{type(a).__name__} in {name}", a.get_window_extent(renderer), a))
        for child in getattr(ax, "child_axes", []):
            if child.get_visible():
                out.append((f"inset axes in {name}", child.get_window_extent(renderer), child))
    for leg in fig.legends:
        if leg.get_visible():
            out.append(("figure legend", leg.get_window_extent(renderer), leg))
    for t in fig.texts:
        if t.get_visible() and t.get_text().strip():
            out.append((f"figure text {text_name(t)!r}", _text_bbox(t, renderer), t))
    return out


# ---------------------------------------------------------------- data samples

def _sample_polyline(xy: np.ndarray, step: float = SAMPLE_STEP_PX) -> np.ndarray:
    """Points every ``step`` pixels along a polyline; NaN vertices break it."""
    if len(xy) == 0:
        return np.empty((0, 2))
    finite = np.isfinite(xy).all(axis=1)
    p0, p1 = xy[:-1], xy[1:]
    ok = finite[:-1] & finite[1:]
    p0, p1 = p0[ok], p1[ok]
    isolated = xy[finite & ~np.r_[False, ok] & ~np.r_[ok, False]]
    if len(p0) == 0:
        return isolated
    seg = np.hypot(*(p1 - p0).T)
    n = np.maximum(np.ceil(seg / step).astype(np.int64), 1)
    idx = np.repeat(np.arange(len(p0)), n)
    start = np.cumsum(n) - n
    t = (np.arange(idx.size) - start[idx]) / n[idx]
    pts = p0[idx] + t[:, None] * (p1 - p0)[idx]
    return np.vstack([pts, p1[-1:], isolated])


def _path_polylines(path, transform) -> list[np.ndarray]:
    """Display-space polylines of a path (curves flattened, one per move-to)."""
    path = transform.transform_path(path)
    out = []
    for poly in path.to_polygons(closed_only=False):
        if len(poly):
            out.append(np.asarray(poly, dtype=float))
    return out


def _line_samples(line: Line2D) -> np.ndarray:
    x, y = (np.asarray(v, dtype=float) for v in line.get_data(orig=False))
    if x.size == 0:
        return np.empty((0, 2))
    ds = line.get_drawstyle()
    if ds and ds != "default" and ds in cbook.STEP_LOOKUP_MAP:
        x, y = cbook.STEP_LOOKUP_MAP[ds](x, y)
    xy = line.get_transform().transform(np.column_stack([x, y]))
    has_line = line.get_linestyle() not in ("None", "none", "", " ") and line.get_linewidth() > 0
    has_marker = line.get_marker() not in (None, "None", "none", "", " ")
    if has_line:
        return _sample_polyline(xy)
    if has_marker:
        return xy[np.isfinite(xy).all(axis=1)]
    return np.empty((0, 2))


def _has_face(artist) -> bool:
    if isinstance(artist, Patch):
        return bool(artist.get_fill()) and artist.get_facecolor()[3] > 0
    fc = np.atleast_2d(artist.get_facecolor())
    return fc.size > 0 and bool((fc[:, 3] > 0).any())


def _grid_inside(paths_display, clip: Bbox) -> np.ndarray:
    """Pixel-grid points (inside ``clip``) covered by any of the display-space paths."""
    boxes = [p.get_extents() for p in paths_display if len(p.vertices)]
    if not boxes:
        return np.empty((0, 2))
    box = Bbox.intersection(Bbox.union(boxes), clip)
    if box is None or box.width <= 0 or box.height <= 0:
        return np.empty((0, 2))
    step = max(AREA_STEP_PX, math.sqrt(box.width * box.height / _MAX_AREA_SAMPLES))
    gx = np.arange(box.x0 + step / 2, box.x1, step)
    gy = np.arange(box.y0 + step / 2, box.y1, step)
    pts = np.column_stack([a.ravel() for a in np.meshgrid(gx, gy)])
    inside = np.zeros(len(pts), dtype=bool)
    for p in paths_display:
        if len(p.vertices) >= 3:
            inside |= p.contains_points(pts)
    return pts[inside]


def _image_samples(im: AxesImage) -> np.ndarray:
    arr = im.get_array()
    if arr is None or np.ndim(arr) < 2:
        return np.empty((0, 2))
    if np.ndim(arr) == 2:
        empty = np.ma.getmaskarray(arr) | ~np.isfinite(np.ma.getdata(arr).astype(float))
    else:  # RGB(A)
        data = np.ma.getdata(arr)
        empty = (data[..., 3] == 0) if data.shape[-1] == 4 else np.zeros(data.shape[:2], bool)
    ny, nx = empty.shape
    left, right, bottom, top = im.get_extent()
    xs = left + (np.arange(nx) + 0.5) * (right - left) / nx
    if im.origin == "upper":
        ys = top - (np.arange(ny) + 0.5) * (top - bottom) / ny
    else:
        ys = bottom + (np.arange(ny) + 0.5) * (top - bottom) / ny
    X, Y = np.meshgrid(xs, ys)
    keep = ~empty
    return im.get_transform().transform(np.column_stack([X[keep], Y[keep]]))


def _mesh_samples(mesh: QuadMesh) -> np.ndarray:
    c = np.asarray(mesh.get_coordinates(), dtype=float)  # (ny + 1, nx + 1, 2)
    centres = (c[:-1, :-1] + c[1:, :-1] + c[:-1, 1:] + c[1:, 1:]) / 4
    arr = mesh.get_array()
    keep = np.ones(centres.shape[:2], dtype=bool)
    if arr is not None and np.size(arr) == keep.size:
        a = np.ma.asarray(arr).reshape(keep.shape)
        keep = ~np.ma.getmaskarray(a) & np.isfinite(np.ma.getdata(a).astype(float))
    return mesh.get_transform().transform(centres[keep])


def _collection_samples(coll: Collection, clip: Bbox) -> np.ndarray:
    if isinstance(coll, QuadMesh):
        return _mesh_samples(coll)
    if isinstance(coll, PathCollection) and not isinstance(coll, LineCollection):
        offsets = np.asarray(coll.get_offsets(), dtype=float)
        if offsets.size:
            pts = coll.get_offset_transform().transform(offsets)
            return pts[np.isfinite(pts).all(axis=1)]
    transform = coll.get_transform()
    paths = coll.get_paths()
    if isinstance(coll, LineCollection) or not _has_face(coll):
        lines = [pl for p in paths for pl in _path_polylines(p, transform)]
        return np.vstack([_sample_polyline(pl) for pl in lines]) if lines else np.empty((0, 2))
    return _grid_inside([transform.transform_path(p) for p in paths], clip)


def _patch_samples(patch: Patch, clip: Bbox) -> np.ndarray:
    transform = patch.get_transform()
    if _has_face(patch):
        return _grid_inside([transform.transform_path(patch.get_path())], clip)
    lines = _path_polylines(patch.get_path(), transform)
    return np.vstack([_sample_polyline(pl) for pl in lines]) if lines else np.empty((0, 2))


def _data_artists(ax):
    for a in [*ax.lines, *ax.collections, *ax.patches, *ax.images]:
        if a.get_visible() and (a.get_alpha() is None or a.get_alpha() > 0):
            yield a


def _samples(artist, fig) -> np.ndarray:
    clip = artist.get_clip_box() if artist.get_clip_on() and artist.get_clip_box() else fig.bbox
    if isinstance(artist, Line2D):
        pts = _line_samples(artist)
    elif isinstance(artist, AxesImage):
        pts = _image_samples(artist)
    elif isinstance(artist, Collection):
        pts = _collection_samples(artist, clip)
    elif isinstance(artist, Patch):
        pts = _patch_samples(artist, clip)
    else:
        return np.empty((0, 2))
    if len(pts) == 0:
        return pts
    inside = ((pts[:, 0] >= clip.x0) & (pts[:, 0] <= clip.x1)
              & (pts[:, 1] >= clip.y0) & (pts[:, 1] <= clip.y1))
    return pts[inside]


def _covered(pts: np.ndarray, box: Bbox) -> np.ndarray:
    return ((pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1)
            & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1))


# ---------------------------------------------------------------- the audit

def _overlap(a: Bbox, b: Bbox) -> float:
    """Overlap area of two boxes as a fraction of the smaller one."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    smaller = min(a.width * a.height, b.width * b.height)
    return max(w, 0) * max(h, 0) / smaller if smaller > 0 else 0.0


def _measure(fig, renderer, drawn, name: str) -> LayoutReport:
    """The measurements, on the final layout (called from the draw of the saved file)."""
    width = fig.bbox.width / fig.dpi
    sizes = [(t.get_fontsize(), t) for t in drawn]
    if sizes:
        size, text = min(sizes, key=lambda d: d[0])
        min_font, min_text = size * min(1.0, TEXT_WIDTH_IN / width), text_name(text)
    else:
        min_font, min_text = float("inf"), ""
    report = LayoutReport(name, width, min_font, min_text)

    obstacles = _obstacles(fig, renderer)
    for ax in fig.axes if obstacles else []:
        for artist in _data_artists(ax):
            pts = _samples(artist, fig)
            if len(pts) == 0:
                continue
            inside_any = np.zeros(len(pts), dtype=bool)
            worst, worst_name = 0.0, ""
            for obstacle_name, box, _ in obstacles:
                hit = _covered(pts, box)
                inside_any |= hit
                if hit.mean() > worst:
                    worst, worst_name = float(hit.mean()), obstacle_name
            frac = float(inside_any.mean())
            if frac > 0:
                report.coverage.append((frac, _artist_name(artist, fig), worst_name))
    report.coverage.sort(key=lambda c: -c[0])
    if report.coverage:
        report.max_covered, report.covered_artist, report.covering_artist = report.coverage[0]

    for obstacle_name, box, obstacle in obstacles:
        own = {id(t) for t in obstacle.findobj(Text)}
        for t in drawn:
            if id(t) in own:
                continue
            frac = _overlap(box, t.get_window_extent(renderer))
            if frac > MAX_TEXT_OVERLAP:
                report.text_overlaps.append((frac, f"text {text_name(t)!r}", obstacle_name))
    # any two drawn texts (titles of neighbouring panels, tick labels, labels) on each other
    boxes = [(t, t.get_window_extent(renderer)) for t in dict.fromkeys(drawn)]
    for i, (t1, b1) in enumerate(boxes):
        for t2, b2 in boxes[i + 1:]:
            if b1.x0 > b2.x1 or b2.x0 > b1.x1 or b1.y0 > b2.y1 or b2.y0 > b1.y1:
                continue
            frac = _overlap(b1, b2)
            if frac > MAX_TEXT_OVERLAP:
                report.text_overlaps.append((frac, f"text {text_name(t2)!r}",
                                             f"text {text_name(t1)!r}"))
    report.findings = readability_findings(fig, renderer, drawn)
    return report


@contextlib.contextmanager
def _recording_drawn_texts():
    """Collect every Text that is actually drawn (visible, non-empty, in view)."""
    drawn = []
    original = Text.draw

    def draw(self, renderer):
        if self.get_visible() and self.get_text().strip():
            drawn.append(self)
        return original(self, renderer)

    Text.draw = draw
    try:
        yield drawn
    finally:
        Text.draw = original


def _layout_pass(renderer) -> bool:
    """Whether a draw is the layout pass a tight or constrained save makes first: it draws
    with the draw_* methods switched off (``RendererBase._draw_disabled``, set on the vector
    renderer inside the PDF backend's ``MixedModeRenderer``). Only the next draw prints."""
    inner = getattr(renderer, "_renderer", renderer)
    return any("draw_path" in getattr(r, "__dict__", {}) for r in (renderer, inner))


def savefig_measured(fig, target, name: str, **savefig_kwargs) -> LayoutReport:
    """``fig.savefig(target, ...)``, measuring the layout during the draw that writes it.

    The measurement must see the saved layout: ``bbox_inches="tight"`` moves figure legends
    to the edges of the cropped page, so a layout measured on screen can differ.
    """
    reports = []
    with _recording_drawn_texts() as drawn:
        def on_draw(event):
            if not _layout_pass(event.renderer):
                reports.append(_measure(fig, event.renderer, list(drawn), name))
            drawn.clear()

        cid = fig.canvas.mpl_connect("draw_event", on_draw)
        try:
            fig.savefig(target, **savefig_kwargs)
        finally:
            fig.canvas.mpl_disconnect(cid)
    if not reports:
        raise RuntimeError(f"figure {name}: the layout audit saw no draw")
    return reports[-1]


def measure_layout(fig, name: str = "figure") -> LayoutReport:
    """Measure the layout as a PDF save would print it (nothing is written)."""
    return savefig_measured(fig, io.BytesIO(), name, format="pdf")


def check_layout(report: LayoutReport) -> None:
    """Raise :class:`FigureLayoutError` listing every rule ``report`` breaks."""
    problems = report.violations()
    if problems:
        raise FigureLayoutError(f"figure {report.name} refused: " + "; ".join(problems))
