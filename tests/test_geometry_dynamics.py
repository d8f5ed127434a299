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


def test_ode_with_label_map_matches_sgd_and_gauss_hermite_matches_monte_carlo():
    """C = 2 classes over k = 4 components, unequal p, random x_0: the ODE (m is C x k) against
    the mean of SGD runs, and its Gauss-Hermite expectations against Monte Carlo."""
    from hdsgd.theory.effective_spectrum import MixtureModel, gram_along_dynamics
    from hdsgd.training.geometry_runs import run_sgd

    d, seeds = 800, 4
    run = {"k": 4, "label_map": [0, 0, 1, 1], "p": [4, 3, 2, 1], "lam": 10.0, "phi": 2.0,
           "init": "random", "d": d, "seeds": seeds}
    common = {"beta": BETA, "c_delta": C_DELTA, "mean_spacing": 50, "seed": 3}
    times = np.array([0.0, 1.0, 3.0])
    out = run_sgd(run, common, np.rint(times * d).astype(np.int64), stream="test")
    V = np.concatenate([out["iterates"], np.broadcast_to(out["means"], (3, seeds, 4, d))],
                       axis=2)
    gram_sgd = (V @ np.swapaxes(V, -1, -2)).mean(axis=1)
    model = MixtureModel.from_config(run, BETA, C_DELTA)
    gram, m, Q = gram_along_dynamics(times, model, dt=0.05, n_gh=10)
    assert m.shape == (3, 2, 4) and Q.shape == (3, 2, 2)
    np.testing.assert_allclose(gram[0], np.eye(6), atol=1e-12)          # m = 0, R = I
    scale = np.abs(gram).max(axis=(1, 2))
    assert np.all(np.abs(gram_sgd - gram).max(axis=(1, 2)) < 0.08 * scale)
    params = GMMDynamicsParams(np.eye(4), model.p, 10.0, BETA, C_DELTA,
                               label_map=model.label_map)
    mc = solve_effective_dynamics(times, params, m0=np.zeros((2, 4)), R0=np.eye(2),
                                  n_mc=200_000)
    np.testing.assert_allclose(mc.Q, Q, atol=5e-3 * np.abs(Q).max())
    np.testing.assert_allclose(mc.m, m, atol=5e-3 * np.abs(m).max())


def test_emergence_along_sgd_matches_theory():
    """lam = 2 < k / sqrt(phi): no Hessian outlier at x = 0; the theory has one emerge and
    merge again, and the top Hessian eigenvector of SGD iterates (fresh test data) gains and
    loses overlap with mu_c accordingly, unlike the control lam = 1.5."""
    from hdsgd.observables.empirical_spectra import spectra_along_run
    from hdsgd.theory.effective_spectrum import (
        MixtureModel,
        gram_along_dynamics,
        spectrum_along,
    )
    from hdsgd.training.geometry_runs import run_mixture, run_sgd

    d, seeds = 800, 4
    times = np.array([0.0, 2.0, 12.0])
    common = {"beta": BETA, "c_delta": C_DELTA, "mean_spacing": 50, "seed": 1}
    peak = {}
    for lam in (2.0, 1.5):
        run = {"k": 3, "label_map": [0, 1, 2], "p": [1, 1, 1], "lam": lam, "phi": PHI,
               "init": "zero", "d": d, "seeds": seeds}
        model = MixtureModel.from_config(run, BETA, C_DELTA)
        grams, _, _ = gram_along_dynamics(times, model, dt=0.05, n_gh=8)
        th = spectrum_along(grams, model, c=0, kind="hessian", n_gh=12, n_bins=600,
                            max_outliers=6)
        out = run_sgd(run, common, np.rint(times * d).astype(np.int64), stream=f"em{lam}")
        ob = spectra_along_run(out["iterates"], run_mixture(run, 50), int(PHI * d), 0,
                               ["hessian"], 4, np.random.default_rng(int(10 * lam)))
        ov = ob["overlaps"][:, :, 0, 0, 0].mean(axis=1)               # top eigenvector vs mu_1
        th_ov = np.where(th["n_outliers"] > 0, th["overlaps"][:, 0, 0], 0.0)
        if lam == 2.0:
            assert list(th["n_outliers"]) == [0, 1, 0]                 # emerges, then merges
            assert th_ov[1] > 0.1
        else:
            assert list(th["n_outliers"]) == [0, 0, 0]
        np.testing.assert_allclose(ov, th_ov, atol=0.08)
        peak[lam] = ov[1]
    assert peak[2.0] > 2 * peak[1.5]
