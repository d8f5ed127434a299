"""Every SGD stream of the alignment paper is prefix-stable (extending a run reproduces its
start bit for bit) and a seed inside a batch runs exactly as alone."""

import numpy as np

from hdsgd.data.gmm import uniform_mixture
from hdsgd.data.xor import XorMixture
from hdsgd.training import online_sgd, xor_sgd
from hdsgd.training.online_sgd import run_online_sgd
from hdsgd.training.sgd_stream import online_sgd_stream
from hdsgd.training.xor_sgd import run_xor_sgd


def test_online_sgd_prefix_stable():
    k, d = 3, 30
    mix = uniform_mixture(k, d, 10.0, 5)
    x0 = np.random.default_rng(1).standard_normal((2, k, d)) / np.sqrt(d)
    chunk = online_sgd.CHUNK
    common = [0, 7, chunk - 1, chunk + 3]
    short = run_online_sgd(mix, x0, beta=0.01, delta=1 / d, steps=np.array(common),
                           rng=np.random.default_rng(2), progress_label=None)
    long = run_online_sgd(mix, x0, beta=0.01, delta=1 / d,
                          steps=np.array(common + [2 * chunk + 11]),
                          rng=np.random.default_rng(2), progress_label=None)
    np.testing.assert_array_equal(short, long[:len(common)])
    # the regenerated training stream is prefix-stable too
    lab_s, Y_s = online_sgd_stream(mix, chunk + 3, 2, np.random.default_rng(2), 1)
    lab_l, Y_l = online_sgd_stream(mix, 2 * chunk + 11, 2, np.random.default_rng(2), 1)
    np.testing.assert_array_equal(lab_s, lab_l[:chunk + 3])
    np.testing.assert_array_equal(Y_s, Y_l[:chunk + 3])


def test_xor_sgd_prefix_stable_and_seed_independent():
    d, K = 12, 3
    mix = XorMixture(d, 4.0)
    rng0 = np.random.default_rng(0)
    S = xor_sgd.SEED_BLOCK + 2                  # two seed blocks
    W0, v0 = rng0.standard_normal((S, K, d)) / np.sqrt(d), rng0.standard_normal((S, K))
    chunk = xor_sgd.CHUNK
    common = [0, 5, chunk, chunk + 9]

    def run(steps, seeds):
        return run_xor_sgd(mix, W0[seeds], v0[seeds], beta=0.01, delta=1 / d,
                           steps=np.array(steps),
                           rngs=[np.random.default_rng(100 + s) for s in seeds],
                           progress_label=None)

    W_short, v_short = run(common, list(range(S)))
    W_long, v_long = run(common + [2 * chunk + 3], list(range(S)))
    np.testing.assert_array_equal(W_short, W_long[:len(common)])
    np.testing.assert_array_equal(v_short, v_long[:len(common)])
    W_one, v_one = run(common, [S - 1])          # the last seed alone
    np.testing.assert_array_equal(W_one[:, 0], W_short[:, S - 1])
    np.testing.assert_array_equal(v_one[:, 0], v_short[:, S - 1])
