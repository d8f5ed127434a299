"""The layout audit of save_pdf: page width, printed font size, data hidden under legends."""

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
