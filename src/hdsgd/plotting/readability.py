"""What a reader must be able to see: the readability rules of the layout audit.

:func:`hdsgd.plotting.layout.measure_layout` (run by ``save_pdf`` on every figure) applies
these rules to the layout as saved, after its page-width, font-size and hidden-data rules.
Each rule returns :class:`Finding` s that name the artist or text and the measured value; a
figure with any finding is refused. The rules, by kind (``[kind]`` starts each message):

``legend`` -- every legend entry shows something.
    An entry stands for the plotted artists that carry its label and those drawn in its style
    and colour (line style and marker; face colour and alpha for a band), or, when none is, in
    its style alone (an encoding entry such as a grey "ODE" line stands for the ODE curves of
    every colour). Each axes holding them is re-rendered (data only, one Agg buffer at
    :data:`RENDER_SCALE` x 72 dpi, the saved page as a reader sees it) with them hidden and
    with them alone. A pixel *shows* a change when a thin detail changes luma by at least
    :data:`MIN_LUMA_STEP` (the eye resolves lines and markers by luminance, not hue) or an area
    at least 2 pt across changes a channel by more than :data:`VISIBLE_CHANNEL_STEP` (a band).
    Refused: an entry standing for no drawn artist; artists that show less than
    :data:`MIN_VISIBLE_AREA` even alone (a band of zero width); artists of which, in some axes,
    less than :data:`MIN_VISIBLE_FRACTION` = 1/3 of what they show alone still shows among the
    others (under other curves or markers, under a band, blending into a curve they follow).
    One third because a curve seen only through the gaps of a dashed line drawn on it shows
    30 % (dash 3.7, gap 1.6): that curve is hidden.
``markers`` -- markers never hide line styles.
    A curve drawn with markers, in an axes that also draws a line style (its own or another
    curve's), shows at most :data:`MAX_MARKERS_PER_CURVE` = 25 markers inside the axes: "about
    20" per curve, with room for a checkpoint grid of 0..20 plus its ends. At 25 markers across
    a two-column panel (about 173 pt of data) neighbours are 7 pt apart, leaving 4 pt of line
    between 3-pt markers, more than one dash; at 40 to 60, as drawn before, markers touch and
    merge into a band that hides solid against dashed.
``ticks`` -- every axis can be read.
    Every axis (x and y of every axes that draws data; the long axis of a colorbar) shows at
    least :data:`MIN_LABELLED_TICKS` = 2 labelled major ticks inside its view limits, log axes
    included (an axis whose labels are switched off while a shared neighbour shows them is
    exempt), and neighbouring tick labels of one axis, major and minor, are at least
    :data:`MIN_TICK_LABEL_GAP_EM` = half their font size apart along the axis (crowded labels
    read as one number).
``colour`` -- one meaning per colour, every colour explained.
    (a) One swatch for a many-colour set: an axes draws at least :data:`MIN_COLOUR_SET` curves
    of one style in distinct colours and some colour is explained by nothing: no legend entry
    in that colour, no text drawn in it (a direct label) and no colorbar whose map holds it.
    (b) One ramp, two meanings. A *ramp* is a set of legend entries whose labels differ only
    in numbers ("ODE, d=250", "ODE, d=1000") drawn in at least two colours. Refused: two ramps
    naming different quantities ("d" and "beta") that share a colour or whose colours all lie
    on one sequential map (:data:`RAMP_MAPS` or a colorbar's); a ramp on the map of a
    colorbar; two colorbars with one map and different labels.
``words`` -- one-line titles, Greek rendered.
    Suptitles, panel titles, the stand-in note and any red text are one line (no line break,
    no wrap), and no drawn text spells out a Greek letter as a word outside mathtext ("tau",
    "nu", "kappa1": write ``$\\tau$``).
``outside`` -- nothing outside its panel.
    No axis label is longer than its axes (a y label taller, an x label wider), no text
    reaches beyond the saved page, and no text of one axes (tick labels, labels, title,
    legend) overlaps the area of another axes by more than :data:`OVERLAP_TOLERANCE_PT`.
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.collections import Collection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D, _mark_every_path
from matplotlib.patches import Patch
from matplotlib.path import Path
from matplotlib.transforms import Affine2D, IdentityTransform, TransformedBbox, TransformedPath

RENDER_SCALE = 2
VISIBLE_CHANNEL_STEP = 0.1
MIN_LUMA_STEP = 0.25
MIN_VISIBLE_FRACTION = 1 / 3
MIN_VISIBLE_AREA = 10.0  # pt^2
MAX_MARKERS_PER_CURVE = 25
MIN_LABELLED_TICKS = 2
MIN_TICK_LABEL_GAP_EM = 0.5
MIN_COLOUR_SET = 3
COLOUR_TOLERANCE = 0.02
RAMP_MAPS = ("viridis", "plasma", "inferno", "magma", "cividis", "cool")
OVERLAP_TOLERANCE_PT = 1.0
GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi "
         "rho sigma tau upsilon phi chi psi omega").split()
_GREEK_WORD = re.compile(r"(?<![A-Za-z\\])(" + "|".join(GREEK) + r")(?![A-Za-z])",
                         re.IGNORECASE)
_MATHTEXT = re.compile(r"(?<!\\)\$.*?(?<!\\)\$", re.DOTALL)
_NUMBER = re.compile(r"(?<![A-Za-z_^])[-\u2212]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
_PANEL_TAG = re.compile(r"^\s*\([a-z]\)\s*")


@dataclass(frozen=True)
class Finding:
    """One broken readability rule: its kind and a message naming the artist or text and the
    measured value."""

    kind: str
    message: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.message}"


# ---------------------------------------------------------------- names and small helpers

def text_name(text) -> str:
    """A drawn text (or its string) as messages quote it: one line, at most 40 characters."""
    s = (text if isinstance(text, str) else text.get_text()).strip().replace("\n", " ")
    return s if len(s) <= 40 else s[:37] + "..."


def axes_name(ax, fig) -> str:
    """``axes <index> ('<title or y label>')``, as messages name an axes."""
    title = (ax.get_title() or ax.get_title(loc="left") or ax.get_ylabel()).replace("\n", " ")
    title = title if len(title) <= 40 else title[:37] + "..."
    idx = fig.axes.index(ax) if ax in fig.axes else -1
    return f"axes {idx} ('{title}')" if title else f"axes {idx}"


def _pt(px: float, fig) -> float:
    return px * 72.0 / fig.dpi


def _data_artists(ax) -> list:
    """What an axes plots, visible, in drawing order (zorder, then order of creation)."""
    own = {id(a) for a in [*ax.lines, *ax.collections, *ax.patches, *ax.images]}
    return sorted((a for a in ax.get_children() if id(a) in own and a.get_visible()
                   and (a.get_alpha() is None or a.get_alpha() > 0)),
                  key=lambda a: a.get_zorder())


def _paints(artist) -> bool:
    """Whether an artist has anything to draw (an empty proxy line for a legend has not)."""
    if isinstance(artist, Line2D):
        return len(artist.get_xdata(orig=False)) > 0
    if isinstance(artist, Collection):
        return len(artist.get_paths()) > 0 or len(artist.get_offsets()) > 0
    return True


def _has_line(line: Line2D) -> bool:
    return line.get_linestyle() not in ("None", "none", "", " ") and line.get_linewidth() > 0


def _has_marker(line: Line2D) -> bool:
    return line.get_marker() not in (None, "None", "none", "", " ") and line.get_markersize() > 0


def _line_parts(line: Line2D) -> dict:
    """What a reader sees of a line: its dash pattern and its marker, where drawn."""
    parts = {}
    if _has_line(line):
        parts["line"] = line._unscaled_dash_pattern
    if _has_marker(line):
        parts["marker"] = line.get_marker()
    return parts


def _same_colour(a, b) -> bool:
    return bool(np.max(np.abs(np.subtract(to_rgba(a), to_rgba(b)))) <= COLOUR_TOLERANCE)


def _face(artist):
    fc = np.atleast_2d(artist.get_facecolor())
    return tuple(fc[0]) if fc.size else None


def _has_face(artist) -> bool:
    if isinstance(artist, Patch):
        return bool(artist.get_fill()) and artist.get_facecolor()[3] > 0
    face = _face(artist)
    return face is not None and face[3] > 0


def _colour(artist):
    """The colour a reader matches a curve, band or marker set by (None if it has none)."""
    if isinstance(artist, Line2D):
        return to_rgba(artist.get_color())
    if isinstance(artist, Collection) and not _has_face(artist):
        ec = np.atleast_2d(artist.get_edgecolor())
        return tuple(ec[0]) if ec.size else None
    return _face(artist)


def _is_red(colour) -> bool:
    h, s, v = colorsys.rgb_to_hsv(*to_rgba(colour)[:3])
    return (h < 1 / 12 or h > 11 / 12) and s >= 0.5 and v >= 0.35


def _plain(colour) -> bool:
    return _same_colour(colour, "black") or _same_colour(colour, "white")


def _distinct(colours) -> list:
    out = []
    for c in colours:
        if not any(_same_colour(c, d) for d in out):
            out.append(c)
    return out


# ---------------------------------------------------------------- legend entries

def _entries(fig) -> list:
    """(handle, label) of every drawn legend entry (axes legends, then figure legends)."""
    legends = [ax.get_legend() for ax in fig.axes] + list(fig.legends)
    return [(handle, text.get_text())
            for leg in legends if leg is not None and leg.get_visible()
            for handle, text in zip(leg.legend_handles, leg.texts, strict=True)
            if handle is not None and text.get_text().strip()]


def _style_matches(handle, artist, with_colour: bool) -> bool:
    """Whether ``artist`` is drawn as the legend ``handle`` shows: every part it draws (line
    style, marker; face colour and alpha) as in the handle, and (``with_colour``) its colour."""
    colour = _colour(handle)
    if isinstance(handle, Line2D):
        want = _line_parts(handle)
        if isinstance(artist, Line2D):
            have = _line_parts(artist)
            ok = bool(have) and all(want.get(k) == v for k, v in have.items())
        elif isinstance(artist, Collection) and not _has_face(artist):  # contours, vlines
            solid = artist.get_linestyle()[0][1] is None
            ok = "line" in want and solid == (want["line"][1] is None)
        else:
            ok = False
    elif isinstance(handle, Patch | Collection):  # a band, bars, a scatter
        ok = (not isinstance(artist, Line2D | AxesImage) and _has_face(artist)
              and isinstance(handle, PathCollection) == isinstance(artist, PathCollection)
              and abs(colour[3] - _face(artist)[3]) <= COLOUR_TOLERANCE)
    else:
        ok = False
    return ok and (not with_colour or (_colour(artist) is not None
                                       and _same_colour(colour, _colour(artist))))


def entry_artists(fig, handle, label: str, labels=frozenset()) -> list:
    """The plotted artists a legend entry stands for: those with its label and those drawn in
    its style and colour; failing both, those drawn in its style (an encoding entry such as a
    grey "ODE" line standing for the ODE curves of every colour). An artist labelled for
    another entry of ``labels`` is that entry's; a colorbar's lines are not plotted data."""
    plotted = [a for ax in fig.axes if getattr(ax, "_colorbar", None) is None
               for a in _data_artists(ax) if _paints(a)]
    free = [a for a in plotted if a.get_label() == label or a.get_label() not in labels]
    found = [a for a in free
             if a.get_label() == label or _style_matches(handle, a, with_colour=True)]
    return found or [a for a in free if _style_matches(handle, a, with_colour=False)]


class _Supersampled:
    """An Agg renderer at ``scale`` times the resolution of the figure's display space.

    Artists lay themselves out for a renderer at the figure's dpi (the saved page, 72 per
    inch during a PDF save: positions, marker and scatter sizes in those pixels); every
    transform handed to Agg is then scaled by ``scale``, and Agg, at ``scale`` times that dpi,
    converts line widths and dashes given in points. The raster is the page at ``scale`` x
    72 dpi. Everything else is the wrapped ``RendererAgg``'s.
    """

    def __init__(self, width: float, height: float, dpi: float, scale: int):
        self._agg = RendererAgg(int(np.ceil(width * scale)), int(np.ceil(height * scale)),
                                dpi * scale)
        self.scaling = Affine2D().scale(scale)
        self.scale = scale
        self.dpi = dpi

    def __getattr__(self, name):
        return getattr(self._agg, name)

    def points_to_pixels(self, points):
        return points * self.dpi / 72

    def get_image_magnification(self):
        return self.scale

    def _clip(self, gc):
        """Scale the clip of ``gc`` once (a collection hands one gc to several calls)."""
        if not getattr(gc, "_supersampled", False):
            gc._supersampled = True
            rect = gc.get_clip_rectangle()
            if rect is not None:
                gc.set_clip_rectangle(TransformedBbox(rect, self.scaling))
            path, affine = gc.get_clip_path()
            if path is not None:
                gc.set_clip_path(TransformedPath(path, affine + self.scaling))
        return gc

    def draw_path(self, gc, path, transform, rgbFace=None):
        self._agg.draw_path(self._clip(gc), path, transform + self.scaling, rgbFace)

    def draw_markers(self, gc, marker_path, marker_trans, path, trans, rgbFace=None):
        self._agg.draw_markers(self._clip(gc), marker_path, marker_trans + self.scaling, path,
                               trans + self.scaling, rgbFace)

    def draw_path_collection(self, gc, master_transform, paths, all_transforms, offsets,
                             offset_trans, *args, **kwargs):
        self._agg.draw_path_collection(self._clip(gc), master_transform + self.scaling, paths,
                                       all_transforms, offsets, offset_trans + self.scaling,
                                       *args, **kwargs)

    def draw_quad_mesh(self, gc, master_transform, *args, **kwargs):
        self._agg.draw_quad_mesh(self._clip(gc), master_transform + self.scaling, *args,
                                 **kwargs)

    def draw_gouraud_triangles(self, gc, triangles, colors, transform):
        self._agg.draw_gouraud_triangles(self._clip(gc), triangles, colors,
                                         transform + self.scaling)

    def draw_image(self, gc, x, y, im, transform=None):
        self._agg.draw_image(self._clip(gc), x * self.scale, y * self.scale, im)


class AxesRaster:
    """The data of one axes at a time, rendered into one reused buffer on white at
    :data:`RENDER_SCALE` x the saved page's resolution; :meth:`full` is cached per axes."""

    def __init__(self, fig, scale: int = RENDER_SCALE):
        self.renderer = _Supersampled(fig.bbox.width, fig.bbox.height, fig.dpi, scale)
        self._full: dict[int, np.ndarray] = {}

    def render(self, ax, skip=frozenset(), only=None) -> np.ndarray:
        """RGB (0..1) of the axes area with its data drawn but ``skip`` (or only ``only``)."""
        r = self.renderer
        r.clear()
        for a in _data_artists(ax):
            if id(a) not in skip and (only is None or id(a) in only):
                a.draw(r)
        box = TransformedBbox(ax.bbox, r.scaling)
        height = r._agg.height
        rows = slice(max(height - int(np.ceil(box.y1)), 0), max(height - int(box.y0), 0))
        cols = slice(max(int(box.x0), 0), max(int(np.ceil(box.x1)), 0))
        rgba = np.asarray(r.buffer_rgba())[rows, cols].astype(np.float32) / 255
        alpha = rgba[..., 3:]
        return rgba[..., :3] * alpha + (1 - alpha)

    def full(self, ax) -> np.ndarray:
        if id(ax) not in self._full:
            self._full[id(ax)] = self.render(ax)
        return self._full[id(ax)]


def visible_change(a: np.ndarray, b: np.ndarray, scale: int = RENDER_SCALE) -> np.ndarray:
    """Pixels where a reader sees raster ``a`` differ from ``b``: a thin detail (a line, a
    marker) when its luma changes by at least :data:`MIN_LUMA_STEP`, an area (a band, a wide
    line) when a channel changes by more than :data:`VISIBLE_CHANNEL_STEP` at the pixel and
    within ``scale`` pixels (1 pt) around it."""
    changed = np.abs(a - b).max(axis=-1) > VISIBLE_CHANNEL_STEP
    area = changed
    for _ in range(scale):
        inner = area.copy()
        inner[1:] &= area[:-1]
        inner[:-1] &= area[1:]
        inner[:, 1:] &= area[:, :-1]
        inner[:, :-1] &= area[:, 1:]
        area = inner
    luma = np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return (changed & (np.abs((a - b) @ luma) >= MIN_LUMA_STEP)) | area


def legend_visibility(fig) -> list[tuple[str, str, float, float]]:
    """Per legend entry and axes holding its artists: (label, axes name, area in pt^2 that
    visibly changes when they are hidden, area they show drawn alone on white); the axes name
    is empty for an entry that stands for no drawn artist."""
    raster = AxesRaster(fig)
    px_per_pt2 = RENDER_SCALE ** 2
    entries = _entries(fig)
    labels = frozenset(label for _, label in entries)
    out = []
    for handle, label in entries:
        artists = entry_artists(fig, handle, label, labels)
        if not artists:
            out.append((label, "", 0.0, 0.0))
        ids = {id(a) for a in artists}
        for ax in {id(a.axes): a.axes for a in artists}.values():
            full = raster.full(ax)
            shown = visible_change(full, raster.render(ax, skip=ids)).sum()
            alone = raster.render(ax, only=ids)
            out.append((label, axes_name(ax, fig), float(shown / px_per_pt2),
                        float(visible_change(alone, np.ones_like(alone)).sum() / px_per_pt2)))
    return out


def _legend_findings(fig) -> list[Finding]:
    """One finding per entry: the axes where least of it shows, and how many fall short."""
    short: dict[str, list] = {}
    for label, where, shown, alone in legend_visibility(fig):
        if not where:
            short[label] = [(-1.0, "stands for nothing drawn (no plotted artist has its label "
                                   "or its style)")]
        elif alone < MIN_VISIBLE_AREA:
            short.setdefault(label, []).append(
                (0.0, f"its artists in {where} show {alone:.0f} pt^2 even drawn alone (at "
                      f"least {MIN_VISIBLE_AREA:g}): a band or line of no size"))
        elif shown < MIN_VISIBLE_FRACTION * alone:
            short.setdefault(label, []).append(
                (shown / alone, f"in {where} {shown:.0f} of the {alone:.0f} pt^2 its artists "
                                f"show alone remain visible ({100 * shown / alone:.1f}%, at "
                                f"least {100 * MIN_VISIBLE_FRACTION:.1f}%): covered by or "
                                "blending into other artists"))
    out = []
    for label, misses in short.items():
        worst = min(misses, key=lambda m: m[0])[1]
        more = f" (and {len(misses) - 1} more axes)" if len(misses) > 1 else ""
        out.append(Finding("legend", f"entry '{label}': {worst}{more}"))
    return out


# ---------------------------------------------------------------- markers

def visible_markers(line: Line2D) -> int:
    """Markers ``line`` draws inside its clip box (``markevery`` applied)."""
    x, y = (np.asarray(v, dtype=float) for v in line.get_data(orig=False))
    xy = line.get_transform().transform(np.column_stack([x, y])) if x.size else np.empty((0, 2))
    if line.get_markevery() is not None and len(xy):
        xy = _mark_every_path(line.get_markevery(), Path(xy), IdentityTransform(),
                              line.axes).vertices
    box = line.get_clip_box() if line.get_clip_on() and line.get_clip_box() else line.axes.bbox
    inside = (np.isfinite(xy).all(axis=1) & (xy[:, 0] >= box.x0 - 0.5)
              & (xy[:, 0] <= box.x1 + 0.5) & (xy[:, 1] >= box.y0 - 0.5)
              & (xy[:, 1] <= box.y1 + 0.5))
    return int(inside.sum())


def _marker_findings(fig) -> list[Finding]:
    out = []
    for ax in fig.axes:
        lines = [a for a in _data_artists(ax) if isinstance(a, Line2D)]
        if not any(_has_line(line) for line in lines):
            continue  # markers alone hide no line style
        for line in (line for line in lines if _has_marker(line)):
            n = visible_markers(line)
            if n > MAX_MARKERS_PER_CURVE:
                label = line.get_label()
                what = repr(label) if not label.startswith("_") else "unlabelled"
                out.append(Finding("markers", f"{what} curve in {axes_name(ax, fig)} draws {n} "
                                              f"markers (at most {MAX_MARKERS_PER_CURVE}: use "
                                              "markevery so they never hide line styles)"))
    return out


# ---------------------------------------------------------------- ticks

def _labelled(ticks, drawn: set) -> list:
    return [lab for t in ticks for lab in (t.label1, t.label2) if id(lab) in drawn]


def _checked_axes(ax) -> list:
    """The axes' axes a reader reads values from: x and y of an axes with data, the long axis
    of a colorbar."""
    cbar = getattr(ax, "_colorbar", None)
    if cbar is not None:
        return [cbar.long_axis]
    return [ax.xaxis, ax.yaxis] if ax.axison and _data_artists(ax) else []


def _shares_labels(ax, axis, drawn: set) -> bool:
    """The axis shows no tick label and a shared neighbour's shows them."""
    x = axis is ax.xaxis
    for other in (ax.get_shared_x_axes() if x else ax.get_shared_y_axes()).get_siblings(ax):
        o_axis = other.xaxis if x else other.yaxis
        if other is not ax and len(_labelled(o_axis.majorTicks, drawn)) >= MIN_LABELLED_TICKS:
            return True
    return False


def _crowding(labels, horizontal: bool, where: str, fig, renderer) -> list[Finding]:
    boxes = sorted(((t.get_window_extent(renderer), t) for t in labels),
                   key=lambda bt: bt[0].x0 if horizontal else bt[0].y0)
    worst = None
    for (b1, t1), (b2, t2) in zip(boxes, boxes[1:], strict=False):
        gap = _pt(b2.x0 - b1.x1 if horizontal else b2.y0 - b1.y1, fig)
        need = MIN_TICK_LABEL_GAP_EM * min(t1.get_fontsize(), t2.get_fontsize())
        if gap < need and (worst is None or gap < worst[0]):
            worst = (gap, need, t1, t2)
    if worst is None:
        return []
    gap, need, t1, t2 = worst
    return [Finding("ticks", f"{where}: tick labels '{text_name(t1)}' and '{text_name(t2)}' "
                             f"are {gap:.1f} pt apart (at least {need:.1f} pt: fewer labels)")]


def _tick_findings(fig, renderer, drawn: set) -> list[Finding]:
    out = []
    for ax in (ax for ax in fig.axes if ax.get_visible()):
        for axis in _checked_axes(ax):
            where = f"{axis.axis_name} axis of {axes_name(ax, fig)}"
            major = _labelled(axis.majorTicks, drawn)
            if len(major) < MIN_LABELLED_TICKS and (major or not _shares_labels(ax, axis, drawn)):
                lo, hi = sorted(axis.get_view_interval())
                shown = ", ".join(f"'{text_name(t)}'" for t in major) or "none"
                out.append(Finding("ticks", f"{where} ({axis.get_scale()}, view {lo:.3g}.."
                                            f"{hi:.3g}) labels {len(major)} major tick(s): "
                                            f"{shown} (at least {MIN_LABELLED_TICKS})"))
            ticks = [*axis.majorTicks, *axis.minorTicks]
            for side in ("label1", "label2"):
                row = [getattr(t, side) for t in ticks if id(getattr(t, side)) in drawn]
                out += _crowding(row, axis.axis_name == "x", where, fig, renderer)
    return out


# ---------------------------------------------------------------- colour legends

def _on_map(colour, cmap) -> bool:
    samples = cmap(np.linspace(0.0, 1.0, 256))
    return bool(np.abs(samples - np.asarray(to_rgba(colour))).max(axis=1).min()
                <= COLOUR_TOLERANCE)


def _template(label: str) -> str:
    """A label without its panel tag, number-free remarks in parentheses and numbers: the
    entries of one ramp ("(a) ODE, d=250", "ODE, d=1000") share it ("ODE, d=#")."""
    s = re.sub(r"\s*\([^()0-9]*\)", "", _PANEL_TAG.sub("", label))
    return " ".join(_NUMBER.sub("#", s).split())


def _quantities(template: str) -> set[str]:
    """The names a ramp's numbers belong to: "ODE, d=#" -> {"d"}, "class #" -> {"class"}."""
    return set(re.findall(r"([^\s=,;:(]+)\s*=?\s*#", template))


def _ramps(entries) -> list[tuple[str, list]]:
    """(template, distinct colours) of each set of legend entries naming one quantity at
    several values in at least two colours, e.g. ("$\\beta$=#", [3 colours])."""
    groups: dict[str, list] = {}
    for label, colour in entries:
        if "#" in _template(label) and not _plain(colour):
            groups.setdefault(_template(label), []).append(colour)
    return [(t, _distinct(c)) for t, c in groups.items() if len(_distinct(c)) >= 2]


def _one_swatch_findings(fig, legend_colours, text_colours, bar_maps) -> list[Finding]:
    out = []
    for ax in fig.axes:
        groups: dict[tuple, list] = {}
        for line in (a for a in _data_artists(ax) if isinstance(a, Line2D) and _paints(a)):
            groups.setdefault(tuple(_line_parts(line).items()), []).append(line.get_color())
        worst = None
        for colours in groups.values():
            distinct = _distinct(colours)
            unexplained = [c for c in distinct
                           if not any(_same_colour(c, e) for e in legend_colours + text_colours)
                           and not any(_on_map(c, cmap) for cmap in bar_maps)]
            if (len(distinct) >= MIN_COLOUR_SET and unexplained
                    and (worst is None or len(unexplained) > worst[1])):
                worst = (len(distinct), len(unexplained))
        if worst is not None:
            out.append(Finding("colour", f"{axes_name(ax, fig)} draws curves of one style in "
                                         f"{worst[0]} colours, {worst[1]} of them explained by "
                                         "no legend entry, direct label or colorbar (one "
                                         "swatch for a many-colour set: use a colorbar or a "
                                         "labelled ramp)"))
    return out


def _colour_findings(fig, drawn_texts) -> list[Finding]:
    entries = [(label, _colour(h)) for h, label in _entries(fig)]
    entries = [(label, c) for label, c in entries if c is not None]
    cbars = [ax._colorbar for ax in fig.axes if getattr(ax, "_colorbar", None) is not None]
    bar_maps = [cb.cmap for cb in cbars]
    out = _one_swatch_findings(fig, [c for _, c in entries],
                               [t.get_color() for t in drawn_texts], bar_maps)
    ramps = _ramps(entries)
    maps = [*bar_maps, *(colormaps[name] for name in RAMP_MAPS)]
    for i, (t1, c1) in enumerate(ramps):
        for t2, c2 in ramps[i + 1:]:
            if _quantities(t1) & _quantities(t2):
                continue  # one quantity: theory and SGD at the same lambda, say
            shared = any(_same_colour(a, b) for a in c1 for b in c2)
            on_map = next((m.name for m in maps if all(_on_map(c, m) for c in c1 + c2)), None)
            if shared or on_map:
                how = "share colours" if shared else f"both lie on the {on_map} map"
                out.append(Finding("colour", f"legend ramps '{t1}' and '{t2}' {how}: one "
                                             "colour ramp with two meanings"))
    for template, colours in ramps:
        for cb in cbars:
            if all(_on_map(c, cb.cmap) for c in colours):
                out.append(Finding("colour", f"legend ramp '{template}' uses the map of the "
                                             f"colorbar '{cb.long_axis.label.get_text()}': "
                                             "one colour ramp with two meanings"))
    for i, cb1 in enumerate(cbars):
        for cb2 in cbars[i + 1:]:
            t1, t2 = cb1.long_axis.label.get_text(), cb2.long_axis.label.get_text()
            if cb1.cmap.name == cb2.cmap.name and t1 != t2:
                out.append(Finding("colour", f"colorbars '{t1}' and '{t2}' use one colour map "
                                             f"({cb1.cmap.name}) for two quantities"))
    return out


# ---------------------------------------------------------------- titles and words

def _titles(fig):
    for ax in fig.axes:
        for t in (ax.title, ax._left_title, ax._right_title):
            yield f"title of {axes_name(ax, fig)}", t
    if fig._suptitle is not None:
        yield f"suptitle '{text_name(fig._suptitle)}'", fig._suptitle


def _lines(text) -> int:
    return text._get_wrapped_text().count("\n") + 1


def _word_findings(fig, drawn_texts) -> list[Finding]:
    out = []
    drawn = {id(t) for t in drawn_texts}
    titles = list(_titles(fig))
    title_ids = {id(t) for _, t in titles}
    for what, t in titles:
        if id(t) in drawn and _lines(t) > 1:
            red = "red " if _is_red(t.get_color()) else ""
            out.append(Finding("words", f"{red}{what} has {_lines(t)} lines (one line: "
                                        "details go in the README and the report caption)"))
    for t in (t for t in drawn_texts if id(t) not in title_ids and _lines(t) > 1):
        if t.get_text().lstrip().startswith("STAND-IN"):
            out.append(Finding("words", f"stand-in note '{text_name(t)}' has {_lines(t)} lines "
                                        "(one line: hdsgd.plotting.style.mark_stand_in)"))
        elif _is_red(t.get_color()):
            out.append(Finding("words", f"red text '{text_name(t)}' has {_lines(t)} lines"))
    for s in dict.fromkeys(t.get_text() for t in drawn_texts):
        words = sorted({m.lower() for m in _GREEK_WORD.findall(_MATHTEXT.sub(" ", s))})
        if words:
            out.append(Finding("words", f"text '{text_name(s)}' spells out Greek "
                                        f"{', '.join(words)} (render it: $\\{words[0]}$)"))
    return out


# ---------------------------------------------------------------- text outside its panel

def _related(a, b) -> bool:
    """Insets and their parents, and twins, share their area."""
    return (b in a.child_axes or a in b.child_axes or a.bbox.bounds == b.bbox.bounds)


def _outside_findings(fig, renderer, drawn_texts) -> list[Finding]:
    out = []
    drawn = {id(t) for t in drawn_texts}
    for ax in (ax for ax in fig.axes if ax.get_visible()):
        box = ax.bbox
        for label, size, room, what in ((ax.yaxis.label, "height", box.height, "taller"),
                                        (ax.xaxis.label, "width", box.width, "wider")):
            extent = getattr(label.get_window_extent(renderer), size)
            if id(label) in drawn and extent > room + 0.5:
                out.append(Finding("outside", f"axis label '{text_name(label)}' is {what} than "
                                              f"{axes_name(ax, fig)} ({_pt(extent, fig):.0f} "
                                              f"pt against {_pt(room, fig):.0f} pt)"))
    page = fig.bbox
    tol = OVERLAP_TOLERANCE_PT * fig.dpi / 72.0
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.axison]
    for t in drawn_texts:
        b = t.get_window_extent(renderer)
        if (b.x0 < page.x0 - tol or b.x1 > page.x1 + tol or b.y0 < page.y0 - tol
                or b.y1 > page.y1 + tol):
            out.append(Finding("outside", f"text '{text_name(t)}' reaches beyond the saved "
                                          "page"))
        own = t.axes if t.axes in fig.axes else None
        for other in panels if own is not None else []:
            if other is own or _related(own, other):
                continue
            o = other.bbox
            w = min(b.x1, o.x1) - max(b.x0, o.x0)
            h = min(b.y1, o.y1) - max(b.y0, o.y0)
            if w > tol and h > tol:
                out.append(Finding("outside", f"text '{text_name(t)}' of {axes_name(own, fig)} "
                                              f"overlaps {axes_name(other, fig)} by "
                                              f"{_pt(w, fig):.0f} x {_pt(h, fig):.0f} pt"))
    return out


def readability_findings(fig, renderer, drawn_texts) -> list[Finding]:
    """Every readability rule (see the module docstring) on the layout as drawn, given the
    texts the draw drew."""
    texts = list(dict.fromkeys(drawn_texts))
    drawn = {id(t) for t in texts}
    return [*_legend_findings(fig), *_marker_findings(fig),
            *_tick_findings(fig, renderer, drawn), *_colour_findings(fig, texts),
            *_word_findings(fig, texts), *_outside_findings(fig, renderer, texts)]
