"""Independent online-SGD runs of the k-GMM at several dimensions (convergence in d).

For each dimension d, ``runs`` independent runs (seeds) advance together through
:func:`hdsgd.training.online_sgd.run_online_sgd` on the paper's k-GMM (orthonormal coordinate
means, uniform classes, noise N(0, I_d / lam)) with learning rate delta = c_delta / d, each
from its own x_0 ~ N(0, I_d / d) per class row (arXiv 2310.03010, Thm 2.3). Only the summary
statistics are kept, at the rescaled times ``times``:

    m_ca = x^c . mu_a,     Q_cc' = x^c . x^c'

(the effective dynamics of :mod:`hdsgd.theory.gmm_effective_dynamics` is an ODE for exactly
these). Every size and every purpose (initial point, SGD stream) has its own random stream, so
adding a size never changes the runs of another.
"""

from __future__ import annotations

import numpy as np

from hdsgd.data.gmm import uniform_mixture
from hdsgd.seeding import rng
from hdsgd.training.online_sgd import checkpoint_steps, run_online_sgd


def size_sweep_statistics(sizes, *, k: int, lam: float, beta: float, c_delta: float,
                          mean_spacing: int, runs: int, times: np.ndarray,
                          seed: int) -> dict:
    """Summary statistics of ``runs`` SGD runs at every size in ``sizes``.

    ``times`` (rescaled, t = steps * delta) must be whole numbers of steps at every size.
    Returns ``m`` and ``Q``, both (n_sizes, n_times, runs, k, k).
    """
    times = np.asarray(times, dtype=float)
    m = np.empty((len(sizes), times.size, runs, k, k))
    Q = np.empty_like(m)
    for i, d in enumerate(sizes):
        delta = c_delta / d
        steps = checkpoint_steps(times, delta)
        if steps.size != times.size or not np.allclose(steps * delta, times, atol=1e-9):
            raise ValueError(f"times {times} are not whole numbers of steps delta = {delta:g} "
                             f"at d = {d}")
        mix = uniform_mixture(k, d, lam, mean_spacing)
        x0 = rng(seed, f"size-sweep-init-d{d}").standard_normal((runs, k, d)) / np.sqrt(d)
        x = run_online_sgd(mix, x0, beta=beta, delta=delta, steps=steps,
                           rng=rng(seed, f"size-sweep-sgd-d{d}"), progress_label=f"sgd d={d}")
        m[i] = x @ mix.means.T
        Q[i] = x @ np.swapaxes(x, -1, -2)
    return {"m": m, "Q": Q}
