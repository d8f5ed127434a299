"""The real-data problem's normalisation matches the SE engine and the SGD engine exactly."""

import numpy as np
import pytest

from hdsgd.data.real_datasets import load_digits_standin
from hdsgd.models import ntk
from hdsgd.theory.generating_functions import se_loss_curve
from hdsgd.training.minibatch_sgd import minibatch_sgd_grid
from hdsgd.training.network_sgd import train_network_sgd


@pytest.fixture(scope="module")
def digits_problem():
    data = load_digits_standin(60, seed=0)
    net = ntk.init_two_layer(data.X.shape[1], 80, seed=0)
    K = ntk.empirical_ntk(net, data.X)
    return data, net, ntk.kernel_problem(K, ntk.forward(net, data.X) - data.y)


@pytest.mark.parametrize("beta", [0.0, 0.5])
def test_full_batch_se_curve_equals_simulated_gd_on_the_normalised_kernel(digits_problem, beta):
    """At b = N the sampling noise vanishes (gamma = 0): the SE recursion from (eigvals, coeffs)
    must reproduce heavy-ball GD on ``gram`` started from ``r0`` exactly."""
    _, _, prob = digits_problem
    n, T = prob.r0.size, 200
    se = se_loss_curve(prob.eigvals, prob.coeffs, alpha=1.2, beta=beta, batch_size=n, n_data=n,
                       tau1=1.0, tau2=1.0, n_steps=T)
    sim = minibatch_sgd_grid(prob.gram, prob.r0, [1.2], [beta], batch_size=n, n_steps=T,
                             seeds=[0], record_steps=np.arange(T + 1))
    np.testing.assert_allclose(sim.losses[0, 0], se, rtol=1e-9)
    assert se[-1] < 0.5 * se[0]


def test_network_learning_rate_is_in_normalised_units(digits_problem):
    """With lr_scale = 1 / lambda_max the network's first GD step moves the loss like the
    linearised model on the normalised kernel (identical to first order in alpha)."""
    data, net, prob = digits_problem
    n = prob.r0.size
    alpha = 1e-3
    net_l = train_network_sgd([net], data.X, data.y, alpha=alpha, beta=0.0, batch_size=n,
                              n_steps=1, record_steps=np.array([0, 1]), seeds=[0],
                              lr_scale=1.0 / prob.lambda_max)[0]
    lin = minibatch_sgd_grid(prob.gram, prob.r0, [alpha], [0.0], batch_size=n, n_steps=1,
                             seeds=[0], record_steps=[0, 1]).losses[0, 0]
    assert net_l[0] == pytest.approx(lin[0], rel=1e-12)
    assert (net_l[1] - net_l[0]) == pytest.approx(lin[1] - lin[0], rel=1e-3)
