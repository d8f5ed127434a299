"""The regenerated SGD training stream is exactly the one run_online_sgd consumed."""

import numpy as np

from hdsgd.data.gmm import uniform_mixture
from hdsgd.training.online_sgd import CHUNK, run_online_sgd
from hdsgd.training.sgd_stream import online_sgd_stream


def test_replaying_sgd_on_the_regenerated_stream_reproduces_the_iterates():
    k, d, beta, S = 3, 40, 0.01, 2
    delta = 1 / d
    mix = uniform_mixture(k, d, 10.0, 5)
    n_steps = CHUNK + 300  # crosses a chunk boundary
    x0 = np.random.default_rng(3).standard_normal((S, k, d)) / np.sqrt(d)
    ref = run_online_sgd(mix, x0, beta=beta, delta=delta, steps=np.array([n_steps]),
                         rng=np.random.default_rng(7), progress_label=None)[-1]
    for s in range(S):
        labels, Y = online_sgd_stream(mix, n_steps, S, np.random.default_rng(7), s,
                                      dtype=np.float64)
        x = x0[s].copy()
        for lab, y in zip(labels, Y):
            z = x @ y
            pi = np.exp(z - z.max())
            pi /= pi.sum()
            pi[lab] -= 1.0
            x *= 1.0 - delta * beta
            x -= delta * pi[:, None] * y[None, :]
        np.testing.assert_allclose(x, ref[s], rtol=0, atol=1e-12)
    # the stream is the mixture: class frequencies and the noise level
    labels, Y = online_sgd_stream(mix, 6000, 1, np.random.default_rng(1))
    np.testing.assert_allclose(np.bincount(labels) / 6000, 1 / k, atol=0.03)
    noise = Y - mix.means[labels]
    assert abs(noise.var() * 10.0 - 1.0) < 0.02
