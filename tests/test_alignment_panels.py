"""Plot helpers of the alignment figures: log axes keep at least two labelled ticks wherever
their range starts (the 0.7-decade claim of ``log_y_labels``), and a figure legend built from
the panels has one entry per label."""

import matplotlib
import numpy as np

matplotlib.use("Agg")

from hdsgd.plotting.alignment_panels import legend_below  # noqa: E402
from hdsgd.plotting.style import log_y_labels, new_figure  # noqa: E402


def _labelled_ticks(ax) -> list[str]:
    ax.figure.canvas.draw()
    lo, hi = ax.get_ylim()
    return [t.get_text() for t, y in zip(ax.yaxis.get_ticklabels(), ax.get_yticks(),
                                         strict=True) if lo <= y <= hi and t.get_text()]


def test_log_axis_has_two_labelled_ticks_for_every_range():
    """Spans on both sides of each threshold, every start within a decade (the worst cases
    sit just above a 1, 2 or 5 tick)."""
    fig, axes = new_figure()
    ax = axes[0, 0]
    ax.plot([0, 1], [1.0, 2.0])
    ax.set_yscale("log")
    for span in (0.3, 0.69, 0.71, 1.2, 1.99, 2.0, 3.5):
        for start in np.r_[np.log10([1.001, 2.001, 5.001]), np.linspace(0.05, 0.95, 4)]:
            ax.set_ylim(10 ** (start - 3), 10 ** (start - 3 + span))
            log_y_labels(ax)
            labels = _labelled_ticks(ax)
            assert len(labels) >= 2, (span, start, labels)
    matplotlib.pyplot.close(fig)


def test_figure_legend_has_one_drawn_entry_per_label():
    fig, axes = new_figure(ncols=2)
    for ax in axes[0]:
        for k in range(3):
            ax.plot([0, 1], [k, k + 1], color="0.5", label="bulk")
        ax.plot([0, 1], [5, 6], label="edge")
    legend_below(fig)
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["bulk", "edge"]
    matplotlib.pyplot.close(fig)
