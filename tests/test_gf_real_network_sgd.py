"""Network SGD: exact gradients, and the linearised model tracks the network at small lr."""

import numpy as np
import pytest

from hdsgd.models import ntk
from hdsgd.seeding import rng as named_rng
from hdsgd.training.minibatch_sgd import minibatch_sgd_grid, sample_batches
from hdsgd.training.network_sgd import BATCH_CHUNK, train_network_sgd


def problem(N=40, d=8, width=400, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, d))
    y = np.sin(X[:, 0]) + 0.5 * X[:, 1]
    return X, (y - y.mean()) / y.std(), ntk.init_two_layer(d, width, seed + 1)


def loss_of(theta, X, y, m, d):
    return 0.5 * np.mean((ntk.forward(ntk.unflatten_params(theta, m, d), X) - y) ** 2)


def fd_gradient(theta, X, y, m, d, eps=1e-6):
    g = np.empty_like(theta)
    for j in range(theta.size):
        e = np.zeros_like(theta)
        e[j] = eps
        g[j] = (loss_of(theta + e, X, y, m, d) - loss_of(theta - e, X, y, m, d)) / (2 * eps)
    return g


@pytest.mark.parametrize("beta", [0.0, 0.7])
def test_full_batch_steps_are_heavy_ball_gradient_steps(beta):
    """Two GD steps (b = N) equal theta_1 = theta_0 - lr g(theta_0),
    theta_2 = theta_1 + beta (theta_1 - theta_0) - lr g(theta_1), with finite-difference
    gradients (covers the in-place GEMM update of the first layer, with and without momentum)."""
    X, y, p = problem(N=6, d=3, width=5)
    m, d = p["W"].shape
    theta0 = ntk.flatten_params(p)
    lr = 0.3
    theta1 = theta0 - lr * fd_gradient(theta0, X, y, m, d)
    theta2 = theta1 + beta * (theta1 - theta0) - lr * fd_gradient(theta1, X, y, m, d)
    got = train_network_sgd([p], X, y, alpha=lr, beta=beta, batch_size=6, n_steps=2,
                            record_steps=np.array([0, 1, 2]), seeds=[0])
    assert got[0, 0] == pytest.approx(loss_of(theta0, X, y, m, d), rel=1e-12)
    assert got[0, 1] == pytest.approx(loss_of(theta1, X, y, m, d), rel=1e-8)
    assert got[0, 2] == pytest.approx(loss_of(theta2, X, y, m, d), rel=1e-8)


def linearised_reference(p, X, y, *, lr, beta, b, n_steps, seed):
    """Parameter-space linearised model f0 + J0 (theta - theta0), same batch sequence."""
    J0, f0 = ntk.jacobian(p, X), ntk.forward(p, X)
    batches = sample_batches(named_rng(seed, "gf-batches"), X.shape[0], b, n_steps)
    dtheta, v, losses = np.zeros(J0.shape[1]), np.zeros(J0.shape[1]), []
    for t in range(n_steps + 1):
        r = f0 + J0 @ dtheta - y
        losses.append(0.5 * np.mean(r**2))
        if t == n_steps:
            break
        idx = batches[t]
        v = beta * v - lr * J0[idx].T @ r[idx] / b
        dtheta = dtheta + v
    return np.array(losses)


@pytest.mark.parametrize("beta", [0.0, 0.6])
def test_linearised_sgd_matches_network_at_small_lr_early_time(beta):
    X, y, p = problem()
    n_steps = 30
    steps = np.arange(n_steps + 1)
    lr = 0.05 * (1 - beta)  # same effective learning rate alpha / (1 - beta)
    net = train_network_sgd([p], X, y, alpha=lr, beta=beta, batch_size=5, n_steps=n_steps,
                            record_steps=steps, seeds=[7])[0]
    lin = linearised_reference(p, X, y, lr=lr, beta=beta, b=5, n_steps=n_steps, seed=7)
    # the shared quadratic engine on the NTK is the same linearised model, same batches
    eng = minibatch_sgd_grid(ntk.empirical_ntk(p, X), ntk.forward(p, X) - y, [lr], [beta],
                             batch_size=5, n_steps=n_steps, seeds=[7], record_steps=steps,
                             chunk=BATCH_CHUNK)
    np.testing.assert_allclose(eng.losses[0, 0], lin, rtol=1e-9)
    assert lin[-1] < 0.9 * lin[0]  # it actually trains
    np.testing.assert_allclose(net, lin, rtol=2e-3)
    # and the agreement degrades at a large learning rate (the test can tell them apart)
    net_big = train_network_sgd([p], X, y, alpha=3.0, beta=beta, batch_size=5, n_steps=n_steps,
                                record_steps=steps, seeds=[7])[0]
    lin_big = linearised_reference(p, X, y, lr=3.0, beta=beta, b=5, n_steps=n_steps, seed=7)
    assert np.max(np.abs(net_big / lin_big - 1)) > 1e-2


def test_runs_are_vectorised_and_seed_deterministic():
    X, y, _ = problem(N=20, width=50)
    ps = [ntk.init_two_layer(8, 50, s) for s in range(3)]
    kw = dict(alpha=0.2, beta=0.5, batch_size=4, n_steps=20, record_steps=np.array([0, 10, 20]))
    a = train_network_sgd(ps, X, y, seeds=[1, 2, 3], **kw)
    b = train_network_sgd(ps, X, y, seeds=[1, 2, 3], **kw)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(a[:, 0], [0.5 * np.mean((ntk.forward(q, X) - y) ** 2) for q in ps])
    assert np.all(a[:, -1] < a[:, 0])


def test_divergent_runs_are_flagged_not_crashing():
    X, y, p = problem(N=20, width=50)
    # the loss explodes within 2 steps; later the ReLUs die and it would fall back to 1/2,
    # so a run flagged once must stay flagged
    out = train_network_sgd([p], X, y, alpha=50.0, beta=0.9, batch_size=20, n_steps=10,
                            record_steps=np.array([0, 2, 10]), seeds=[0], diverge_at=1e3)
    assert np.isfinite(out[0, 0]) and np.all(np.isinf(out[0, 1:]))


def test_float32_network_tracks_float64_and_stays_float32(monkeypatch):
    """The float32 option (half the GEMM cost) gives the float64 losses to round-off, and no
    operation silently promotes the state back to float64."""
    from hdsgd.training import network_sgd

    X, y, p = problem(N=30, d=6, width=80)
    kw = dict(alpha=0.5, beta=0.5, batch_size=5, n_steps=60, record_steps=np.arange(61),
              seeds=[2])
    ref = train_network_sgd([p], X, y, **kw)
    dtypes = set()
    step = network_sgd._first_layer_step

    def spy(WT, VT, Xb, delta, *args):
        dtypes.update({WT.dtype, VT.dtype, Xb.dtype, delta.dtype})
        return step(WT, VT, Xb, delta, *args)

    monkeypatch.setattr(network_sgd, "_first_layer_step", spy)
    got = train_network_sgd([p], X, y, dtype=np.float32, **kw)
    assert dtypes == {np.dtype(np.float32)}
    np.testing.assert_allclose(got, ref, rtol=1e-4)
    assert got.dtype == np.float64
