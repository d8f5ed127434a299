"""Spectra along training: effective-dynamics Gram matrix vs SGD, and the spectrum it predicts."""

import numpy as np

from hdsgd.data.gmm import uniform_mixture
from hdsgd.observables.empirical_spectra import block_weights, spectra, weighted_gram
from hdsgd.theory.gmm_effective_dynamics import (
    GMMDynamicsParams,
    solve_effective_dynamics,
    summary_statistics,
)
from hdsgd.theory.gram_quadrature import GramQuadrature, block_weight_law, gram_matrix
from hdsgd.theory.limiting_spectra import outliers, right_edge
from hdsgd.training.online_sgd import checkpoint_steps, run_online_sgd

K, LAM, BETA, C_DELTA, PHI = 3, 10.0, 0.01, 1.0, 2.0


def test_ode_gram_matrix_matches_mean_of_sgd_runs_and_predicts_outliers():
    d, seeds = 1000, 4
    mix = uniform_mixture(K, d, LAM, 50)
    params = GMMDynamicsParams.orthonormal(K, LAM, BETA, C_DELTA)
    times = np.array([1.0, 3.0])
    delta = C_DELTA / d
    rng = np.random.default_rng(7)
    xs = run_online_sgd(mix, np.zeros((seeds, K, d)), beta=BETA, delta=delta,
                        steps=checkpoint_steps(times, delta), rng=rng, progress_label=None)
    m_sgd, _ = summary_statistics(xs, mix.means)                  # (t, seed, K, K)
    Q_sgd = xs @ np.swapaxes(xs, -1, -2)
    sol = solve_effective_dynamics(times, params, m0=np.zeros((K, K)), R0=np.zeros((K, K)),
                                   n_mc=4000)
    # the Gram matrix of (x, mu): ODE vs mean over runs, entrywise, relative to its size
    for i in range(times.size):
        scale = np.abs(sol.Q[i]).max()
        assert np.abs(m_sgd[i].mean(0) - sol.m[i]).max() < 0.05 * np.abs(sol.m[i]).max()
        assert np.abs(Q_sgd[i].mean(0) - sol.Q[i]).max() < 0.08 * scale

    # the limiting spectrum evaluated on the ODE's Gram matrix predicts the outliers of the
    # Hessian block at the SGD iterate (fresh test data, n = phi d)
    G = np.block([[sol.Q[-1], sol.m[-1]], [sol.m[-1].T, np.eye(K)]])
    law = block_weight_law(GramQuadrature.build(G, K, params.p, LAM), 0, "hessian", PHI)
    locs = outliers(law)[0]
    assert locs.size == 3
    x = xs[-1, 0]
    labels, Y = mix.sample(int(PHI * d), rng)
    ev = spectra(weighted_gram(Y, block_weights(x, labels, Y, 0, "hessian")))
    np.testing.assert_allclose(ev[::-1][:3], locs, rtol=0.06)
    # and the run's own Gram matrix gives the same prediction (the theory sees x only via G)
    law_run = block_weight_law(GramQuadrature.build(gram_matrix(x, mix.means), K, params.p, LAM),
                               0, "hessian", PHI)
    np.testing.assert_allclose(right_edge(law_run), right_edge(law), rtol=0.03)
