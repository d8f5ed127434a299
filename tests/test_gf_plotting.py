"""Drawing helpers the generating-functions figures rely on: log axes always label two ticks,
coinciding theory curves get interleaved dashes, log-spaced markers stay few."""

import numpy as np
import pytest

from hdsgd.plotting.gf_real_panels import log_spaced, theory_dashes
from hdsgd.plotting.style import log_y_labels, new_figure


@pytest.mark.parametrize("lo, hi", [(0.254, 0.925),   # Fig 7's MNIST panel: one 1-2-5 tick
                                    (0.28, 1.4),       # Fig 10: a decade tick and a 5
                                    (0.15, 6.0),       # 1.6 decades, one power of ten inside
                                    (0.05, 0.9),
                                    (0.52, 0.79)])     # under half a decade: plain numbers
def test_log_y_labels_labels_at_least_two_ticks(lo, hi):
    fig, axes = new_figure()
    ax = axes[0, 0]
    ax.plot([1, 2], [lo, hi])
    ax.set(yscale="log", ylim=(lo, hi))
    log_y_labels(ax)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels()
              if t.get_text() and lo <= t.get_position()[1] <= hi]
    assert len(labels) >= 2, labels


def test_theory_dashes_interleave_and_markers_are_log_spaced():
    dashes = theory_dashes(["linearised SGD", "SE tau1=1 tau2=1", "exact second moments",
                            "network"])
    (o1, (on1, off1)), (o2, (on2, off2)) = dashes.values()
    assert list(dashes) == ["SE tau1=1 tau2=1", "exact second moments"]
    assert (on1, off1) == (on2, off2) and o2 - o1 == on1 == off1  # one dash in the other's gap
    idx = log_spaced(np.arange(1, 10_001), 12)
    assert len(idx) == 12 and idx[0] == 0 and idx[-1] == 9_999
    steps = np.array(idx[3:]) + 1.0  # past the first few integer steps: a constant ratio
    assert np.allclose(steps[1:] / steps[:-1], (10_000 / steps[0]) ** (1 / (len(steps) - 1)),
                       rtol=0.05)
