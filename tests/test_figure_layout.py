"""The layout audit of save_pdf: page width, printed font size, data hidden under legends, and
the readability rules (hdsgd.plotting.readability): each refuses a small bad figure and
accepts the good one."""

import re

import numpy as np
import pytest

from hdsgd.plotting.layout import (
    MAX_COVERED_FRACTION,
    TEXT_WIDTH_IN,
    FigureLayoutError,
    _sample_polyline,
    measure_layout,
)
from hdsgd.plotting.style import annotate_agreement, mark_stand_in, new_figure, save_pdf


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def _pdf_width_in(path) -> float:
    box = re.search(rb"/MediaBox \[\s*0 0 ([0-9.]+) ([0-9.]+)", path.read_bytes())
    return float(box.group(1)) / 72


def _curves(ax, n=3):
    t = np.linspace(0, 1, 200)
    for i in range(n):
        ax.plot(t, (i + 1) * t, label=f"c = {i + 1}")


def test_polyline_sampling_interpolates_between_vertices():
    pts = _sample_polyline(np.array([[0.0, 0.0], [10.0, 0.0], [np.nan, np.nan], [20.0, 5.0]]))
    # the 10-pixel segment is sampled every half pixel; the isolated vertex is kept
    assert len(pts) == 22 and np.allclose(np.diff(pts[:21, 0]), 0.5)
    assert [20.0, 5.0] in pts.tolist()


def test_clean_figure_is_saved_with_a_summary_line(tmp_path, capsys):
    fig, axes = new_figure(ncols=2)
    for ax in axes.ravel():
        _curves(ax)
        ax.set_xlabel("t")
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside lower center", ncols=3)
    annotate_agreement(axes[0, 1], "max gap 0.01")
    mark_stand_in(fig, "a test figure")
    save_pdf(fig, tmp_path / "clean.pdf")
    line = capsys.readouterr().out.strip()
    assert line.startswith("layout clean.pdf: width ") and "smallest font 7.0 pt" in line
    assert "no data under any legend" in line
    assert 5.5 < _pdf_width_in(tmp_path / "clean.pdf") <= TEXT_WIDTH_IN


def test_legend_on_top_of_a_line_is_refused(tmp_path):
    fig, axes = new_figure()
    ax = axes[0, 0]
    t = np.linspace(0, 1, 50)
    ax.plot(t, np.full_like(t, 0.5), label="flat")       # runs straight through the legend
    ax.plot(t, t, label="rising")
    ax.legend(loc="center")
    with pytest.raises(FigureLayoutError, match=r"figure hidden\.pdf refused: legend of axes 0 "
                                                r"covers [0-9.]+% of Line2D 'flat'"):
        save_pdf(fig, tmp_path / "hidden.pdf")
    assert not list(tmp_path.iterdir())


def test_a_segment_crossing_a_legend_counts_without_a_vertex_under_it():
    fig, axes = new_figure()
    ax = axes[0, 0]
    ax.plot([0, 1], [0.5, 0.5], label="two vertices")    # only the ends are data points
    ax.plot([0, 1], [0, 1], label="other")
    ax.legend(loc="center")
    rep = measure_layout(fig, "x")
    frac = dict((name, f) for f, name, _ in rep.coverage)
    assert frac["Line2D 'two vertices' in axes 0"] > 0.1


def test_text_box_over_a_scatter_and_an_image_is_refused():
    fig, axes = new_figure(ncols=2)
    x = np.linspace(0, 1, 30)
    axes[0, 0].scatter(*np.meshgrid(x, x), s=2, label="grid")
    annotate = axes[0, 0].text(0.5, 0.5, "a boxed note", transform=axes[0, 0].transAxes,
                               ha="center", bbox={"fc": "white"})
    assert annotate
    axes[0, 1].imshow(np.arange(100.0).reshape(10, 10), aspect="auto")
    axes[0, 1].legend(handles=axes[0, 0].collections, loc="upper right")
    rep = measure_layout(fig, "x")
    names = {name: (f, obs) for f, name, obs in rep.coverage}
    assert names["PathCollection 'grid' in axes 0"][0] > MAX_COVERED_FRACTION
    assert "a boxed note" in names["PathCollection 'grid' in axes 0"][1]
    assert names["unlabelled AxesImage in axes 1"][0] > MAX_COVERED_FRACTION
    assert len(rep.violations()) == 2


def test_masked_part_of_an_image_may_hold_a_legend():
    fig, axes = new_figure()
    ax = axes[0, 0]
    img = np.ma.masked_array(np.ones((20, 20)), mask=np.zeros((20, 20), bool))
    img.mask[10:, 10:] = True                             # upper-right quarter is empty
    ax.imshow(img, origin="lower", extent=(0, 1, 0, 1), aspect="auto")
    ax.plot([], [], label="empty corner")
    ax.legend(loc="upper right")
    assert measure_layout(fig, "x").max_covered <= MAX_COVERED_FRACTION


def test_filled_band_under_a_legend_is_refused():
    fig, axes = new_figure()
    ax = axes[0, 0]
    t = np.linspace(0, 1, 100)
    ax.fill_between(t, 0, 1, alpha=0.3, label="band")
    ax.set_ylim(0, 1)
    ax.legend(loc="center")
    rep = measure_layout(fig, "x")
    assert rep.covered_artist.startswith("FillBetweenPolyCollection 'band'") or \
        rep.covered_artist.startswith("PolyCollection 'band'")
    assert rep.max_covered > MAX_COVERED_FRACTION


def test_legend_outside_the_axes_is_accepted():
    fig, axes = new_figure()
    ax = axes[0, 0]
    _curves(ax, 4)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1))
    rep = measure_layout(fig, "x")
    assert rep.max_covered == 0 and not rep.violations()


def test_tiny_font_is_refused(tmp_path):
    fig, axes = new_figure()
    _curves(axes[0, 0])
    axes[0, 0].set_xlabel("rescaled time", fontsize=5)
    with pytest.raises(FigureLayoutError, match=r"text 'rescaled time' is 5\.0 pt, below 7 pt"):
        save_pdf(fig, tmp_path / "tiny.pdf")
    assert not (tmp_path / "tiny.pdf").exists()


def test_too_wide_figure_is_refused(tmp_path):
    with pytest.raises(FigureLayoutError, match="exceeds the 6.5 in"):
        new_figure(ncols=3, width=9.7)
    fig, axes = new_figure(ncols=2)
    fig.set_size_inches(9.7, 2.6)
    _curves(axes[0, 0])
    with pytest.raises(FigureLayoutError, match=r"figure wide\.pdf refused: printed width 9\.\d+ "
                                                r"in exceeds the 6\.5 in text width"):
        save_pdf(fig, tmp_path / "wide.pdf")
    assert not list(tmp_path.iterdir())


def test_new_figure_fits_the_text_width():
    for ncols in (1, 2, 3, 4):
        fig, axes = new_figure(ncols=ncols, nrows=2)
        for ax in axes.ravel():
            _curves(ax)
            ax.set_xlabel("t")
            ax.set_ylabel("risk")
        fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside lower center",
                   ncols=3)
        rep = measure_layout(fig, "x")
        assert rep.width_in <= TEXT_WIDTH_IN and not rep.violations(), (ncols, rep.summary())


def test_legend_on_a_title_is_refused():
    """matplotlib stacks an 'outside upper' figure legend on the suptitle: refused."""
    fig, axes = new_figure(ncols=2)
    for ax in axes.ravel():
        _curves(ax)
    fig.suptitle("Fig 0: a suptitle")
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside upper center", ncols=3)
    problems = measure_layout(fig, "x").violations()
    assert "figure legend overlaps text 'Fig 0: a suptitle'" in " ".join(problems)


def test_titles_running_into_each_other_are_refused():
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(6.3, 2.0), squeeze=False)  # no layout engine
    for ax in axes.ravel():
        _curves(ax)
        ax.set_title("a long panel title that runs into the next one")
    problems = " ".join(measure_layout(fig, "x").violations())
    assert "text 'a long panel title that runs into the...' overlaps text 'a long" in problems


# ---------------------------------------------------------------- readability rules (kinds 1-6)

def _kinds(fig, kind: str) -> list[str]:
    """The violations of one readability kind (``[legend]``, ``[markers]``, ...)."""
    return [v for v in measure_layout(fig, "x").violations() if v.startswith(f"[{kind}]")]


def _legend_below(fig, ax, ncols=3, **kw):
    return fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=ncols,
                      **kw)


def test_supersampled_raster_is_the_page_at_twice_the_resolution():
    """The audit's 2x raster, averaged over 2x2 blocks, is the 1x raster of the same axes."""
    import matplotlib.pyplot as plt

    from hdsgd.plotting import layout
    from hdsgd.plotting.readability import AxesRaster

    fig, ax = plt.subplots(figsize=(3, 2))
    t = np.linspace(0, 1, 50)
    ax.plot(t, t, "k--", lw=1.2)
    ax.plot(t, 1 - t, "o", ms=4, markevery=5)
    ax.fill_between(t, 0.2, 0.4, alpha=0.3)
    ax.scatter([0.5], [0.8], s=40)
    ax.imshow(np.arange(4.0).reshape(2, 2), extent=(0.6, 0.9, 0.5, 0.7), aspect="auto")
    ax.contour(*np.meshgrid(t, t), np.add.outer(t, t), levels=[0.5])
    ax.set(xlim=(0, 1), ylim=(0, 1))
    rasters = {}

    def keep(fig, renderer, drawn):
        rasters.update({s: AxesRaster(fig, s).render(ax) for s in (1, 2)})
        return []

    original = layout.readability_findings
    layout.readability_findings = keep
    try:
        measure_layout(fig, "x")
    finally:
        layout.readability_findings = original
    one, two = rasters[1], rasters[2]
    h, w = min(one.shape[0], two.shape[0] // 2), min(one.shape[1], two.shape[1] // 2)
    down = two[:2 * h, :2 * w].reshape(h, 2, w, 2, 3).mean(axis=(1, 3))
    assert (one < 0.9).any(axis=-1).mean() > 0.1            # something was drawn
    assert np.abs(down - one[:h, :w]).mean() < 0.02          # in the same place, same size


def test_legend_entry_hidden_under_a_curve_is_refused_and_offset_is_accepted():
    def figure(offset):
        fig, axes = new_figure()
        ax = axes[0, 0]
        t = np.linspace(0, 1, 100)
        ax.plot(t, t ** 2, color="0.55", lw=0.9, label="top of the bulk")
        ax.plot(t, t ** 2 + offset, "k", lw=2.5, label="bulk edge (theory)")  # drawn over it
        _legend_below(fig, ax)
        return fig

    problems = _kinds(figure(0.0), "legend")
    assert len(problems) == 1 and "entry 'top of the bulk'" in problems[0]
    assert "remain visible (0.0%, at least 33.3%)" in problems[0]
    assert not _kinds(figure(0.15), "legend")


def test_a_curve_seen_only_through_the_gaps_of_a_dashed_line_is_hidden():
    """About 30% of a line shows through the gaps of a dashed line drawn on it: refused; a
    dashed theory line over a wider simulation line leaves both visible: accepted."""
    def figure(under_lw):
        fig, axes = new_figure()
        ax = axes[0, 0]
        t = np.linspace(0, 1, 100)
        ax.plot(t, np.sin(3 * t), color="C0", lw=under_lw, label="SGD")
        ax.plot(t, np.sin(3 * t), "k--", lw=1.0, label="theory")
        _legend_below(fig, ax)
        return fig

    problems = _kinds(figure(0.9), "legend")
    assert len(problems) == 1 and "entry 'SGD'" in problems[0]
    assert not _kinds(figure(3.0), "legend")


def test_band_hidden_under_its_curve_or_of_no_width_is_refused():
    def figure(width, lw=1.2):
        fig, axes = new_figure()
        ax = axes[0, 0]
        t = np.linspace(0.01, 1, 100)
        ax.fill_between(t, t - width, t + width, color="C0", alpha=0.25, lw=0,
                        label="10-90 % band")
        ax.plot(t, t, color="C0", lw=lw, label="mean")
        _legend_below(fig, ax)
        return fig

    assert "a band or line of no size" in " ".join(_kinds(figure(0.0), "legend"))
    covered = " ".join(_kinds(figure(0.015, lw=6), "legend"))
    assert "entry '10-90 % band': in axes 0" in covered and "remain visible" in covered
    assert not _kinds(figure(0.08), "legend")


def test_legend_proxy_matched_by_style_and_an_entry_standing_for_nothing():
    """Proxy handles stand for the curves drawn in their style: a grey 'ODE' line for the
    solid curves of every colour; an entry in a style nothing is drawn in is refused."""
    from matplotlib.lines import Line2D

    fig, axes = new_figure()
    ax = axes[0, 0]
    t = np.linspace(0, 1, 100)
    for i in range(2):
        ax.plot(t, t + i, color=f"C{i}")
    handles = [Line2D([], [], color="0.3", label="ODE"),
               Line2D([], [], color=f"C{0}", lw=2, label="gamma 1"),
               Line2D([], [], color=f"C{1}", lw=2, label="gamma 2"),
               Line2D([], [], color="0.3", ls=":", label="closed form")]
    fig.legend(handles=handles, loc="outside lower center", ncols=4)
    problems = _kinds(fig, "legend")
    assert problems == ["[legend] entry 'closed form': stands for nothing drawn (no plotted "
                        "artist has its label or its style)"]


def test_more_than_25_markers_on_a_curve_with_line_styles_are_refused():
    def figure(markevery):
        fig, axes = new_figure()
        ax = axes[0, 0]
        t = np.linspace(0.1, 10, 60)
        ax.plot(t, np.exp(-t), "o", ms=3, color="C0", markevery=markevery, label="SGD mean")
        ax.plot(t, np.exp(-t), "-", color="C0", label="ODE")
        _legend_below(fig, ax)
        return fig

    problems = _kinds(figure(None), "markers")
    assert problems == ["[markers] 'SGD mean' curve in axes 0 draws 60 markers (at most 25: "
                        "use markevery so they never hide line styles)"]
    assert not _kinds(figure(3), "markers")                  # 20 markers
    fig, axes = new_figure()                                 # a scatter of points alone
    axes[0, 0].plot(np.arange(60.0), np.arange(60.0) ** 0.5, "o", ms=2)
    assert not _kinds(fig, "markers")


def test_log_axis_with_one_labelled_tick_is_refused_and_log_y_labels_fixes_it():
    from hdsgd.plotting.style import log_y_labels

    def figure(fix):
        fig, axes = new_figure()
        ax = axes[0, 0]
        t = np.linspace(0, 1, 50)
        ax.semilogy(t, 0.25 + 0.7 * t)
        if fix:
            log_y_labels(ax)
        return fig

    problems = _kinds(figure(False), "ticks")
    assert len(problems) == 1 and problems[0].startswith("[ticks] y axis of axes 0 (log, view")
    assert "labels 1 major tick(s): '$\\mathdefault{10^{0}}$' (at least 2)" in problems[0]
    assert not _kinds(figure(True), "ticks")


def test_crowded_tick_labels_are_refused():
    from matplotlib.ticker import LogFormatterSciNotation

    fig, axes = new_figure()
    ax = axes[0, 0]
    ax.semilogy([0, 1], [0.016, 0.22])
    ax.yaxis.set_minor_formatter(LogFormatterSciNotation(labelOnlyBase=False,
                                                          minor_thresholds=(10, 10)))
    problems = " ".join(_kinds(fig, "ticks"))
    assert re.search(r"y axis of axes 0: tick labels '\S+' and '\S+' are -?\d\.\d pt apart "
                     r"\(at least 4\.0 pt: fewer labels\)", problems)


def test_shared_axes_may_leave_tick_labels_to_their_neighbour():
    fig, axes = new_figure(ncols=2, nrows=2, sharex="col", sharey="row")
    for ax in axes.ravel():
        ax.plot([0, 1, 2], [0, 1, 4])
    assert not _kinds(fig, "ticks")
    axes[1, 0].tick_params(labelbottom=False)                # nobody labels that column now
    assert "x axis of axes 0 (linear, view" in " ".join(_kinds(fig, "ticks"))


def test_one_swatch_for_many_colours_is_refused_and_a_colorbar_explains_them():
    import matplotlib.pyplot as plt
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    def figure(explain):
        fig, axes = new_figure()
        ax = axes[0, 0]
        cmap, t = plt.get_cmap("viridis"), np.linspace(0, 1, 50)
        for i in range(10):
            ax.plot(t, t * (i + 1), color=cmap(i / 9), label="eigenvalues" if i == 0 else None)
        if explain == "legend":
            _legend_below(fig, ax)
        elif explain == "colorbar":
            fig.colorbar(ScalarMappable(Normalize(1, 10), cmap), ax=ax, label="index i")
        return fig

    problems = _kinds(figure("legend"), "colour")
    assert problems == ["[colour] axes 0 draws curves of one style in 10 colours, 9 of them "
                        "explained by no legend entry, direct label or colorbar (one swatch "
                        "for a many-colour set: use a colorbar or a labelled ramp)"]
    assert not _kinds(figure("colorbar"), "colour")


def test_one_colour_ramp_with_two_meanings_is_refused():
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    from hdsgd.plotting.style import sequential_colors

    def figure(second):
        fig, axes = new_figure(ncols=2)
        t = np.linspace(0, 1, 50)
        for d, c in zip((250, 1000, 4000), sequential_colors(3), strict=True):
            axes[0, 0].plot(t, t * d, color=c, label=f"ODE, d={d}")
            axes[0, 0].plot(t[::5], t[::5] * d, "o", color=c, label=f"SGD, d={d}")
        if second == "beta":
            for b, c in zip((0.5, 1, 1.5), sequential_colors(3), strict=True):
                axes[0, 1].plot(t, t ** b, "-.", color=c, label=f"(c) $\\beta$={b:g}")
        else:
            axes[0, 1].imshow(np.outer(t, t), aspect="auto")
            fig.colorbar(ScalarMappable(Normalize(0, 1), "viridis"), ax=axes[0, 1], label="L")
        handles, labels = (sum(x, []) for x in zip(*(a.get_legend_handles_labels()
                                                      for a in axes.ravel())))
        fig.legend(handles, labels, loc="outside lower center", ncols=3)
        return fig

    assert _kinds(figure("beta"), "colour") == [                   # SGD and ODE at d: one
        f"[colour] legend ramps '{sim}, d=#' and '$\\beta$=#' share colours: one colour ramp "
        "with two meanings" for sim in ("ODE", "SGD")]
    assert _kinds(figure("colorbar"), "colour") == [
        "[colour] legend ramp 'ODE, d=#' uses the map of the colorbar 'L': one colour ramp "
        "with two meanings",
        "[colour] legend ramp 'SGD, d=#' uses the map of the colorbar 'L': one colour ramp "
        "with two meanings"]


def test_multi_line_titles_and_red_text_are_refused():
    fig, axes = new_figure(ncols=2)
    for ax in axes.ravel():
        ax.plot([0, 1], [0, 1])
    axes[0, 0].set_title("sklearn digits 8x8, N=1000\n$b$=10")
    axes[0, 1].set_title("a one-line title")
    fig.suptitle("Fig 9: a suptitle\nin two lines", color="firebrick")
    fig.text(0.5, -0.05, "a red note\nover two lines", color="red", ha="center")
    problems = _kinds(fig, "words")
    assert problems == [
        "[words] title of axes 0 ('sklearn digits 8x8, N=1000 $b$=10') has 2 lines (one line: "
        "details go in the README and the report caption)",
        "[words] red suptitle 'Fig 9: a suptitle in two lines' has 2 lines (one line: details "
        "go in the README and the report caption)",
        "[words] red text 'a red note over two lines' has 2 lines"]


def test_stand_in_note_is_one_line_and_a_longer_one_is_refused():
    fig, axes = new_figure()
    axes[0, 0].plot([0, 1], [0, 1])
    mark_stand_in(fig, "parameters chosen here, see docs/geometry.md")
    assert not _kinds(fig, "words") and "\n" not in fig.texts[0].get_text()
    with pytest.raises(FigureLayoutError, match=r"stand-in note 'STAND-IN: x+'\.\.\. is "
                                                r"\d\.\d in wide, more than one line \(6\.3 in\)"):
        mark_stand_in(fig, "x" * 130)
    assert len(fig.texts) == 1


def test_greek_spelled_out_is_refused_outside_mathtext_only():
    fig, axes = new_figure()
    ax = axes[0, 0]
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("noise distance D(tau1, tau2) at nu = 1.5")
    ax.set_ylabel(r"$\tau_2$ of the alphabet, $\kappa$")
    assert _kinds(fig, "words") == ["[words] text 'noise distance D(tau1, tau2) at nu = 1.5' "
                                    "spells out Greek nu, tau (render it: $\\nu$)"]


def test_axis_label_longer_than_its_axes_is_refused():
    fig, axes = new_figure(ncols=2, height=1.8)
    for ax in axes.ravel():
        ax.plot([0, 1], [0, 1])
    axes[0, 0].set_ylabel("eigenvalue / limiting bulk edge, at x = 0")
    axes[0, 1].set_ylabel("overlap")
    problems = _kinds(fig, "outside")
    assert len(problems) == 1
    assert problems[0].startswith("[outside] axis label 'eigenvalue / limiting bulk edge, at "
                                  "x...' is taller than axes 0 ('eigenvalue / limiting bulk ")


def test_text_over_a_neighbouring_panel_or_beyond_the_page_is_refused():
    fig, axes = new_figure(ncols=2)
    for ax in axes.ravel():
        ax.plot([0, 1], [0, 1])
    axes[0, 0].text(1.2, 0.5, "a note", transform=axes[0, 0].transAxes, in_layout=False)
    late = fig.text(1.05, 0.5, "past the edge", in_layout=False)
    problems = _kinds(fig, "outside")
    assert any("text 'a note' of axes 0 overlaps axes 1" in p for p in problems)
    assert "[outside] text 'past the edge' reaches beyond the saved page" in problems
    late.remove()
    axes[0, 0].texts[0].set_position((0.5, 0.5))
    assert not _kinds(fig, "outside")
