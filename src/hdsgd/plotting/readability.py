"""What a reader must be able to see: the readability rules of the layout audit.

:func:`hdsgd.plotting.layout.measure_layout` (run by ``save_pdf`` on every figure) applies
these rules on the layout as saved, after its page-width, font-size and hidden-data rules.
Each rule returns :class:`Finding` s naming the artist or text and the measured value; a
figure with any finding is refused. The rules, by kind:

``legend``
    Every legend entry shows something. The entry's artists (those with its label, else those
    drawn in its style: colour, line style and marker, or face colour and alpha for a band;
    colour dropped for an encoding entry such as a grey "ODE" line) are hidden in turn and the
    axes that hold them re-rendered at 72 dpi (data only, one Agg renderer); a pixel changes
    when one of its channels moves by more than :data:`VISIBLE_CHANNEL_STEP`. The entry is
    refused when fewer than :data:`MIN_VISIBLE_FRACTION` of the pixels its artists paint when
    drawn alone change (it lies under other curves, under a band, is drawn with zero width),
    or when it stands for no drawn artist at all.
``markers``
    A curve drawn with markers in an axes that also draws a line style (its own or another
    curve's) shows at most :data:`MAX_MARKERS_PER_CURVE` = 20 markers inside the axes. Why
    20: a two-column panel has about 2.4 in = 173 pt of data width; 20 markers are then about
    9 pt apart, leaving about 6 pt of line between 3-pt markers, one full period of a dashed
    line (dash 3.7 + gap 1.6, times a 1.2-pt width); with more, markers merge into a band and
    hide the line styles.
``ticks``
    Every axis (x and y of every axes that draws data; the long axis of a colorbar) shows at
    least :data:`MIN_LABELLED_TICKS` = 2 labelled major ticks inside its view limits, log axes
    included (an axis whose labels are switched off because it shares them with a labelled
    neighbour is exempt), and neighbouring tick labels of one axis (major and minor) are at
    least :data:`MIN_TICK_LABEL_GAP_EM` of their font size apart along the axis.
``colour``
    (a) One swatch for a many-colour set: an axes draws at least :data:`MIN_COLOUR_SET` curves
    of one style (line style and marker) in distinct colours, and some of those colours are
    explained by nothing: no legend entry, no text drawn in that colour (a direct label) and
    no colorbar whose colour map holds it. (b) One ramp, two meanings: two legend entries in
    one colour whose labels state disjoint numbers ("d=250" and "beta=0.5"), a legend colour
    that also lies on a colorbar's map, or two colorbars with one colour map and different
    labels.
``words``
    Suptitles, panel titles and the stand-in note are one line (no line break, no wrap), red
    text is one line, and no drawn text spells out a Greek letter outside mathtext ("tau",
    "nu", "kappa" as words: write ``$\\tau$``).
``outside``
    No axis label is longer than its axes (a y label taller, an x label wider), no text lies
    beyond the saved page, and no text of one axes (tick labels, labels, title, legend)
    overlaps the area of another axes.
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.collections import Collection, LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D, _mark_every_path
from matplotlib.patches import Patch
from matplotlib.path import Path
from matplotlib.transforms import IdentityTransform

VISIBLE_CHANNEL_STEP = 0.1
MIN_LUMA_STEP = 0.25
MIN_VISIBLE_FRACTION = 0.2
MIN_VISIBLE_PX = 10
MAX_MARKERS_PER_CURVE = 25
MIN_LABELLED_TICKS = 2
MIN_TICK_LABEL_GAP_EM = 0.25
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
    """One broken readability rule: its kind, the artist or text, the measured value."""

    kind: str
    message: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.message}"


def _name(text) -> str:
    s = text.get_text().strip().replace("\n", " ")
    return repr(s if len(s) <= 50 else s[:47] + "...")


def _axes_name(ax, fig) -> str:
    title = ax.get_title() or ax.get_title(loc="left") or ax.get_ylabel()
    title = title.replace("\n", " ")
    title = title if len(title) <= 40 else title[:37] + "..."
    return f"axes {fig.axes.index(ax)} ({title!r})" if title else f"axes {fig.axes.index(ax)}"


def _pt(px: float, fig) -> float:
    return px * 72.0 / fig.dpi


def _visible(artist) -> bool:
    return artist.get_visible() and (artist.get_alpha() is None or artist.get_alpha() > 0)


def _data_artists(ax) -> list:
    """What an axes plots, in its drawing order (zorder, then order of creation)."""
    own = {id(a) for a in [*ax.lines, *ax.collections, *ax.patches, *ax.images]}
    return sorted((a for a in ax.get_children() if id(a) in own and _visible(a)),
                  key=lambda a: a.get_zorder())


def _has_line(line: Line2D) -> bool:
    return line.get_linestyle() not in ("None", "none", "", " ") and line.get_linewidth() > 0


def _has_marker(line: Line2D) -> bool:
    return line.get_marker() not in (None, "None", "none", "", " ") and line.get_markersize() > 0


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


# ---------------------------------------------------------------- legend entries

def _legends(fig) -> list:
    legends = [ax.get_legend() for ax in fig.axes]
    return [leg for leg in [*legends, *fig.legends] if leg is not None and leg.get_visible()]


def _entries(fig):
    """(legend, handle, label) of every drawn legend entry."""
    for leg in _legends(fig):
        for handle, text in zip(leg.legend_handles, leg.texts, strict=True):
            if handle is not None and text.get_text().strip():
                yield leg, handle, text.get_text()


def _line_parts(line: Line2D) -> dict:
    """What a reader sees of a line: its dash pattern and its marker (where drawn)."""
    parts = {}
    if _has_line(line):
        parts["line"] = line._unscaled_dash_pattern
    if _has_marker(line):
        parts["marker"] = line.get_marker()
    return parts


def _style_matches(handle, artist, with_colour: bool) -> bool:
    """Whether ``artist`` is drawn the way the legend ``handle`` shows: every part it draws
    (line style, marker; face colour and alpha) as the handle shows it, in its colour."""
    colour = _entry_colour(handle)
    if isinstance(handle, Line2D):
        if isinstance(artist, Line2D):
            have, want = _line_parts(artist), _line_parts(handle)
            ok = bool(have) and all(want.get(k) == v for k, v in have.items())
        elif isinstance(artist, Collection) and not _has_face(artist):
            # contour lines, vlines: solid or dashed as the handle's line
            dashes = np.atleast_1d(artist.get_linestyle()[0][1] is None)[0]
            ok = "line" in _line_parts(handle) and bool(dashes) == (not _is_dashed(handle))
        else:
            ok = False
        return ok and (not with_colour or (_colour(artist) is not None
                                           and _same_colour(colour, _colour(artist))))
    if isinstance(handle, Patch | Collection) and not isinstance(handle, LineCollection):
        if isinstance(artist, Line2D | LineCollection | AxesImage) or not _has_face(artist):
            return False
        if isinstance(handle, PathCollection) != isinstance(artist, PathCollection):
            return False
        if abs(colour[3] - _face(artist)[3]) > COLOUR_TOLERANCE:
            return False
        return not with_colour or _same_colour(colour, _face(artist))
    return False


def _is_dashed(line: Line2D) -> bool:
    return line._unscaled_dash_pattern[1] is not None


def _paints(artist) -> bool:
    """Whether an artist has anything to draw (proxy lines added for a legend have not)."""
    if isinstance(artist, Line2D):
        return len(artist.get_xdata(orig=False)) > 0
    if isinstance(artist, Collection):
        return len(artist.get_paths()) > 0 or len(artist.get_offsets()) > 0
    return True


def entry_artists(fig, handle, label: str) -> list:
    """The plotted artists a legend entry stands for: those with its label and those drawn in
    its style and colour; failing both, those drawn in its style (an encoding entry such as a
    grey "ODE" line standing for the ODE curves of every colour)."""
    plotted = [a for ax in fig.axes for a in _data_artists(ax) if _paints(a)]
    found = [a for a in plotted
             if a.get_label() == label or _style_matches(handle, a, with_colour=True)]
    return found or [a for a in plotted if _style_matches(handle, a, with_colour=False)]


class _AxesRenderer:
    """Renders the data of one axes at a time into one reused Agg buffer (on white)."""

    def __init__(self, fig):
        self.fig = fig
        self.height = int(np.ceil(fig.bbox.height))
        self.renderer = RendererAgg(int(np.ceil(fig.bbox.width)), self.height, fig.dpi)
        self._full: dict[int, np.ndarray] = {}

    def render(self, ax, skip=frozenset(), only=None) -> np.ndarray:
        """RGB (0..1) of the axes area, drawing its data but ``skip`` (or only ``only``)."""
        r = self.renderer
        r.clear()
        for a in _data_artists(ax):
            if id(a) not in skip and (only is None or id(a) in only):
                a.draw(r)
        box = ax.bbox
        rows = slice(max(self.height - int(np.ceil(box.y1)), 0),
                     max(self.height - int(np.floor(box.y0)), 0))
        cols = slice(max(int(np.floor(box.x0)), 0), max(int(np.ceil(box.x1)), 0))
        rgba = np.asarray(r.buffer_rgba())[rows, cols].astype(float) / 255.0
        alpha = rgba[..., 3:]
        return rgba[..., :3] * alpha + (1.0 - alpha) if rgba.size else rgba[..., :3]

    def full(self, ax) -> np.ndarray:
        if id(ax) not in self._full:
            self._full[id(ax)] = self.render(ax)
        return self._full[id(ax)]


def _luma(rgb: np.ndarray) -> np.ndarray:
    return rgb @ np.array([0.299, 0.587, 0.114])


def visible_change(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pixels where a reader sees ``a`` differ from ``b``: a thin detail (a line, a marker)
    when its luma changes by at least :data:`MIN_LUMA_STEP` (the eye resolves fine detail by
    luminance, not hue), an area (a band, a wide line) when a channel changes by more than
    :data:`VISIBLE_CHANNEL_STEP` at the pixel and at its four neighbours."""
    changed = np.abs(a - b).max(axis=-1) > VISIBLE_CHANNEL_STEP
    area = changed.copy()
    area[1:] &= changed[:-1]
    area[:-1] &= changed[1:]
    area[:, 1:] &= changed[:, :-1]
    area[:, :-1] &= changed[:, 1:]
    return (changed & (np.abs(_luma(a) - _luma(b)) >= MIN_LUMA_STEP)) | area


def legend_visibility(fig) -> list[tuple[str, str, int, int]]:
    """Per legend entry and axes holding its artists: (entry label, axes name, pixels a
    reader sees change when the artists are hidden, pixels they show drawn alone)."""
    canvas = _AxesRenderer(fig)
    out = []
    for _leg, handle, label in _entries(fig):
        artists = entry_artists(fig, handle, label)
        if not artists:
            out.append((label, "", 0, 0))
        ids = {id(a) for a in artists}
        for ax in {id(a.axes): a.axes for a in artists}.values():
            full = canvas.full(ax)
            shown = int(visible_change(full, canvas.render(ax, skip=ids)).sum())
            alone = canvas.render(ax, only=ids)
            out.append((label, _axes_name(ax, fig), shown,
                        int(visible_change(alone, np.ones_like(alone)).sum())))
    return out


def _legend_findings(fig) -> list[Finding]:
    """One finding per entry: the axes where least of it shows (and how many fall short)."""
    by_entry: dict[str, list] = {}
    for label, where, shown, alone in legend_visibility(fig):
        if not where:
            by_entry[label] = [(-1.0, "stands for nothing drawn (no plotted artist has its "
                                      "label or its style)")]
        elif alone < MIN_VISIBLE_PX:
            by_entry.setdefault(label, []).append(
                (0.0, f"its artists in {where} show {alone} px even drawn alone (at least "
                      f"{MIN_VISIBLE_PX}): a band or line of no size"))
        elif shown < MIN_VISIBLE_FRACTION * alone:
            by_entry.setdefault(label, []).append(
                (shown / alone, f"in {where} {shown} of the {alone} px its artists show alone "
                                f"remain visible ({100 * shown / alone:.0f}%, at least "
                                f"{100 * MIN_VISIBLE_FRACTION:g}%): covered by or blending "
                                "into other artists"))
    out = []
    for label, short in by_entry.items():
        _, worst = min(short, key=lambda s: s[0])
        more = f" (and {len(short) - 1} more axes)" if len(short) > 1 else ""
        out.append(Finding("legend", f"entry {label!r}: {worst}{more}"))
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
    ok = np.isfinite(xy).all(axis=1) & (xy[:, 0] >= box.x0 - 0.5) & (xy[:, 0] <= box.x1 + 0.5) \
        & (xy[:, 1] >= box.y0 - 0.5) & (xy[:, 1] <= box.y1 + 0.5)
    return int(ok.sum())


def _marker_findings(fig) -> list[Finding]:
    out = []
    for ax in fig.axes:
        lines = [a for a in _data_artists(ax) if isinstance(a, Line2D)]
        if not any(_has_line(line) for line in lines):
            continue
        for line in lines:
            if not _has_marker(line):
                continue
            n = visible_markers(line)
            if n > MAX_MARKERS_PER_CURVE:
                label = line.get_label()
                what = repr(label) if not label.startswith("_") else "unlabelled"
                out.append(Finding("markers", f"{what} curve in {_axes_name(ax, fig)} draws "
                                              f"{n} markers (at most {MAX_MARKERS_PER_CURVE}: "
                                              "use markevery so they never hide line styles)"))
    return out


# ---------------------------------------------------------------- ticks

def _labelled(ticks, drawn: set) -> list:
    return [lab for t in ticks for lab in (t.label1, t.label2) if id(lab) in drawn]


def _checked_axes(ax):
    cbar = getattr(ax, "_colorbar", None)
    if cbar is not None:
        return [cbar.long_axis]
    if ax.axison and any(True for _ in _data_artists(ax)):
        return [ax.xaxis, ax.yaxis]
    return []


def _shares_labels(ax, axis, drawn: set) -> bool:
    """The axis hides its tick labels and a shared neighbour shows them."""
    shared = ax.get_shared_x_axes() if axis is ax.xaxis else ax.get_shared_y_axes()
    for other in shared.get_siblings(ax):
        if other is not ax:
            o_axis = other.xaxis if axis is ax.xaxis else other.yaxis
            if len(_labelled(o_axis.majorTicks, drawn)) >= MIN_LABELLED_TICKS:
                return True
    return False


def _tick_findings(fig, renderer, drawn: set) -> list[Finding]:
    out = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for axis in _checked_axes(ax):
            which = "x" if axis.axis_name == "x" else "y"
            where = f"{which} axis of {_axes_name(ax, fig)}"
            major = _labelled(axis.majorTicks, drawn)
            if len(major) < MIN_LABELLED_TICKS and not (not major
                                                        and _shares_labels(ax, axis, drawn)):
                lo, hi = sorted(axis.get_view_interval())
                shown = ", ".join(_name(t) for t in major) or "none"
                out.append(Finding("ticks", f"{where} ({axis.get_scale()}, view "
                                            f"{lo:.3g}..{hi:.3g}) labels {len(major)} major "
                                            f"tick(s): {shown} (at least {MIN_LABELLED_TICKS})"))
            ticks = [*axis.majorTicks, *axis.minorTicks]
            for side in ("label1", "label2"):
                row = [getattr(t, side) for t in ticks if id(getattr(t, side)) in drawn]
                out += _crowding(row, which, where, fig, renderer)
    return out


def _crowding(labels, which: str, where: str, fig, renderer) -> list[Finding]:
    boxes = sorted(((t.get_window_extent(renderer), t) for t in labels),
                   key=lambda bt: bt[0].x0 if which == "x" else bt[0].y0)
    worst = None
    for (b1, t1), (b2, t2) in zip(boxes, boxes[1:], strict=False):
        gap = _pt(b2.x0 - b1.x1 if which == "x" else b2.y0 - b1.y1, fig)
        need = MIN_TICK_LABEL_GAP_EM * min(t1.get_fontsize(), t2.get_fontsize())
        if gap < need and (worst is None or gap < worst[0]):
            worst = (gap, need, t1, t2)
    if worst is None:
        return []
    gap, need, t1, t2 = worst
    return [Finding("ticks", f"{where}: tick labels {_name(t1)} and {_name(t2)} are "
                             f"{gap:.1f} pt apart (at least {need:.1f} pt: fewer labels)")]


# ---------------------------------------------------------------- colour legends

def _explained(colour, legend_colours, text_colours, cmaps) -> bool:
    if any(_same_colour(colour, c) for c in [*legend_colours, *text_colours]):
        return True
    return any(_on_map(colour, cmap) for cmap in cmaps)


def _on_map(colour, cmap) -> bool:
    samples = cmap(np.linspace(0.0, 1.0, 256))
    return bool(np.abs(samples - np.asarray(to_rgba(colour))).max(axis=1).min()
                <= COLOUR_TOLERANCE)


def _colorbars(fig) -> list:
    return [ax._colorbar for ax in fig.axes if getattr(ax, "_colorbar", None) is not None]


def _entry_colour(handle):
    if isinstance(handle, Line2D):
        return to_rgba(handle.get_color())
    if isinstance(handle, Patch | Collection):
        return _face(handle) if not isinstance(handle, LineCollection) else _colour(handle)
    return None


def _plain(colour) -> bool:
    return _same_colour(colour, "black") or _same_colour(colour, "white")


def _template(label: str) -> str:
    """A label with its panel tag, number-free remarks in parentheses and numbers taken out:
    the entries of one colour ramp ("ODE, d=250", "ODE, d=1000") share it ("ODE, d=#")."""
    s = _PANEL_TAG.sub("", label)
    s = re.sub(r"\s*\([^()0-9]*\)", "", s)
    return " ".join(_NUMBER.sub("#", s).split())


def _ramps(entries) -> list[tuple[str, list]]:
    """Legend entries that name one quantity at several values in several colours:
    (template, distinct colours), e.g. ("$\\beta$=#", [3 colours])."""
    groups: dict[str, list] = {}
    for label, colour in entries:
        if "#" in _template(label) and not _plain(colour):
            groups.setdefault(_template(label), []).append(colour)
    out = []
    for template, colours in groups.items():
        distinct = _distinct(colours)
        if len(distinct) >= 2:
            out.append((template, distinct))
    return out


def _quantities(template: str) -> set[str]:
    """The names a ramp's numbers belong to: "ODE, d=#" -> {"d"}, "class #" -> {"class"}."""
    return set(re.findall(r"([^\s=,;:(]+)\s*=?\s*#", template))


def _distinct(colours) -> list:
    out = []
    for c in colours:
        if not any(_same_colour(c, d) for d in out):
            out.append(c)
    return out


def _shared_map(a, b, cmaps):
    """A colour map holding every colour of both ramps (None if none does)."""
    for cmap in cmaps:
        if all(_on_map(c, cmap) for c in [*a, *b]):
            return cmap.name
    return None


def _colour_findings(fig, drawn_texts) -> list[Finding]:
    out = []
    entries = [(label, _entry_colour(h)) for _leg, h, label in _entries(fig)]
    entries = [(label, c) for label, c in entries if c is not None]
    legend_colours = [c for _, c in entries]
    text_colours = [to_rgba(t.get_color()) for t in drawn_texts]
    cbars = _colorbars(fig)
    bar_maps = [cb.cmap for cb in cbars]
    # (a) one swatch standing for a many-colour set
    for ax in fig.axes:
        groups: dict[tuple, list] = {}
        for line in (a for a in _data_artists(ax) if isinstance(a, Line2D) and _paints(a)):
            groups.setdefault(tuple(_line_parts(line).items()), []).append(
                to_rgba(line.get_color()))
        worst = None
        for colours in groups.values():
            distinct = _distinct(colours)
            unexplained = [c for c in distinct
                           if not _explained(c, legend_colours, text_colours, bar_maps)]
            if len(distinct) >= MIN_COLOUR_SET and unexplained and (
                    worst is None or len(unexplained) > len(worst[1])):
                worst = (distinct, unexplained)
        if worst is not None:
            out.append(Finding("colour", f"{_axes_name(ax, fig)} draws curves of one style in "
                                         f"{len(worst[0])} colours, {len(worst[1])} of them "
                                         "explained by no legend entry, direct label or "
                                         "colorbar (one swatch for a many-colour set: use a "
                                         "colorbar or a labelled ramp)"))
    # (b) one colour ramp, two meanings
    ramps = _ramps(entries)
    maps = [*bar_maps, *(colormaps[name] for name in RAMP_MAPS)]
    for i, (t1, c1) in enumerate(ramps):
        for t2, c2 in ramps[i + 1:]:
            if _quantities(t1) & _quantities(t2):
                continue  # one quantity (theory and SGD at the same lambda, say)
            shared = any(_same_colour(a, b) for a in c1 for b in c2)
            on_map = _shared_map(c1, c2, maps)
            if shared or on_map:
                how = "share colours" if shared else f"both lie on the {on_map} map"
                out.append(Finding("colour", f"legend ramps {t1!r} and {t2!r} {how}: one "
                                             "colour ramp with two meanings"))
    for template, colours in ramps:
        for cb in cbars:
            if all(_on_map(c, cb.cmap) for c in colours):
                out.append(Finding("colour", f"legend ramp {template!r} uses the map of the "
                                             f"colorbar {cb.long_axis.label.get_text()!r}: "
                                             "one colour ramp with two meanings"))
    for i, cb1 in enumerate(cbars):
        for cb2 in cbars[i + 1:]:
            t1, t2 = cb1.long_axis.label.get_text(), cb2.long_axis.label.get_text()
            if cb1.cmap.name == cb2.cmap.name and t1 != t2:
                out.append(Finding("colour", f"colorbars {t1!r} and {t2!r} use one colour map "
                                             f"({cb1.cmap.name}) for two quantities"))
    return out


# ---------------------------------------------------------------- titles and words

def _titles(fig):
    for ax in fig.axes:
        for t in (ax.title, ax._left_title, ax._right_title):
            yield f"title of {_axes_name(ax, fig)}", t
    if fig._suptitle is not None:
        yield "suptitle", fig._suptitle


def _lines(text) -> int:
    return text._get_wrapped_text().count("\n") + 1


def _word_findings(fig, drawn_texts) -> list[Finding]:
    out = []
    drawn = {id(t) for t in drawn_texts}
    titles = {id(t) for _, t in _titles(fig)}
    for what, t in _titles(fig):
        if id(t) in drawn and _lines(t) > 1:
            out.append(Finding("words", f"{what} {_name(t)} has {_lines(t)} lines (one line: "
                                        "details go in the README and the report caption)"))
    for t in drawn_texts:
        if id(t) in titles:
            continue
        if t.get_text().lstrip().startswith("STAND-IN") and _lines(t) > 1:
            out.append(Finding("words", f"stand-in note {_name(t)} has {_lines(t)} lines (one "
                                        "line: hdsgd.plotting.style.mark_stand_in)"))
        elif _is_red(t.get_color()) and _lines(t) > 1:
            out.append(Finding("words", f"red text {_name(t)} has {_lines(t)} lines"))
    seen = set()
    for t in drawn_texts:
        s = t.get_text()
        words = sorted({m.lower() for m in _GREEK_WORD.findall(_MATHTEXT.sub(" ", s))})
        if words and s not in seen:
            seen.add(s)
            out.append(Finding("words", f"text {_name(t)} spells out Greek "
                                        f"{', '.join(words)} (render it: $\\{words[0]}$)"))
    return out


# ---------------------------------------------------------------- text outside its panel

def _owner(text, fig):
    ax = getattr(text, "axes", None)
    return ax if ax in fig.axes else None


def _related(a, b) -> bool:
    """Insets, their parents and twins share their area with an axes."""
    return (b in getattr(a, "child_axes", []) or a in getattr(b, "child_axes", [])
            or a.bbox.bounds == b.bbox.bounds)


def _outside_findings(fig, renderer, drawn_texts) -> list[Finding]:
    out = []
    drawn = {id(t) for t in drawn_texts}
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        box = ax.bbox
        for label, size, room, what in ((ax.yaxis.label, "height", box.height, "taller"),
                                        (ax.xaxis.label, "width", box.width, "wider")):
            if id(label) not in drawn:
                continue
            extent = getattr(label.get_window_extent(renderer), size)
            if extent > room + 0.5:
                out.append(Finding("outside", f"axis label {_name(label)} is {what} than "
                                              f"{_axes_name(ax, fig)} ({_pt(extent, fig):.0f} "
                                              f"pt against {_pt(room, fig):.0f} pt)"))
    page = fig.bbox
    tol = OVERLAP_TOLERANCE_PT * fig.dpi / 72.0
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.axison]
    for t in dict.fromkeys(drawn_texts):
        b = t.get_window_extent(renderer)
        if b.x0 < page.x0 - tol or b.x1 > page.x1 + tol or b.y0 < page.y0 - tol \
                or b.y1 > page.y1 + tol:
            out.append(Finding("outside", f"text {_name(t)} reaches beyond the saved page"))
        own = _owner(t, fig)
        if own is None:
            continue
        for other in panels:
            if other is own or _related(own, other):
                continue
            o = other.bbox
            w = min(b.x1, o.x1) - max(b.x0, o.x0)
            h = min(b.y1, o.y1) - max(b.y0, o.y0)
            if w > tol and h > tol:
                out.append(Finding("outside", f"text {_name(t)} of {_axes_name(own, fig)} "
                                              f"overlaps {_axes_name(other, fig)} by "
                                              f"{_pt(w, fig):.0f} x {_pt(h, fig):.0f} pt"))
    return out


def readability_findings(fig, renderer, drawn_texts) -> list[Finding]:
    """Every readability rule (see the module docstring) on the layout as drawn."""
    drawn = {id(t) for t in drawn_texts}
    texts = list(dict.fromkeys(drawn_texts))
    return [*_legend_findings(fig), *_marker_findings(fig),
            *_tick_findings(fig, renderer, drawn), *_colour_findings(fig, texts),
            *_word_findings(fig, texts), *_outside_findings(fig, renderer, texts)]
