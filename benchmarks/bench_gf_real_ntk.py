"""Speed of the gf_real building blocks, measured side by side; prints ratios.

1. Empirical NTK: closed form (hdsgd.models.ntk.empirical_ntk, two N x m products) vs the
   Gram matrix of the dense Jacobian J (N x m(d+2)), which is what autodiff-style code forms.
2. Linearised network SGD: function space with the kernel (the shared engine
   hdsgd.training.minibatch_sgd, O(N b) per step) vs parameter space with the dense Jacobian
   (O(m d b) per step plus an update of all m(d+2) parameters), same batches, same losses.
3. Network SGD (Fig 1's width-1000 net on N = 1000 digits): the first-layer heavy-ball update as
   one in-place GEMM (hdsgd.training.network_sgd) vs the plain numpy update (gradient, then
   g *= lr, v *= beta, v -= g, w += v over the whole layer), same batches, same losses; and
   the same GEMM step in float32 (config gf_real.network_dtype) vs float64.
4. Exact second moments (Prop. 1, Figs 7 and 8) on an MNIST NTK: the kernel-eigenbasis recursion
   (hdsgd.theory.exact_second_moments.exact_kernel_second_moments: every term entrywise except
   one GEMM and one SYRK, 3 N^3 flops per step) vs the dense parameter-space recursion with N x N
   features (exact_second_moment_loss: about a dozen N x N products per step), same losses.

Run: OMP_NUM_THREADS=1 python benchmarks/bench_gf_real_ntk.py [--quick]
"""

import argparse
import time
from functools import partial

import numpy as np
from common import quick_args, ratio

from hdsgd.data.real_datasets import load_mnist
from hdsgd.models import ntk
from hdsgd.seeding import rng as named_rng
from hdsgd.training.minibatch_sgd import minibatch_sgd_grid, sample_batches
from hdsgd.training.network_sgd import train_network_sgd


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main(args):
    data = load_mnist(args.n_ntk, seed=0)
    params = ntk.init_two_layer(data.X.shape[1], 200, seed=0)
    t_closed, K1 = best_of(lambda: ntk.empirical_ntk(params, data.X))

    def dense():
        J = ntk.jacobian(params, data.X)
        return J @ J.T

    t_dense, K2 = best_of(dense)
    err = np.abs(K1 - K2).max() / np.abs(K2).max()
    ratio(f"NTK N={args.n_ntk}, width 200: dense J J^T vs closed form", t_dense, t_closed)
    print(f"NTK N={args.n_ntk}, d=784, width=200: closed form {t_closed:.3f}s, dense J J^T "
          f"{t_dense:.3f}s, ratio {t_dense / t_closed:.1f}x (max rel. diff {err:.1e})")

    steps, b, lr = args.linear_steps, 10, 0.5 / (np.linalg.eigvalsh(K1).max() / data.n)
    r0 = ntk.forward(params, data.X) - data.y
    kw = dict(batch_size=b, n_steps=steps, seeds=[0], record_steps=[steps], chunk=steps)
    t_fun, res = best_of(lambda: minibatch_sgd_grid(K1, r0, [lr], [0.0], **kw))

    def parameter_space():
        J = ntk.jacobian(params, data.X)
        batches = sample_batches(named_rng(0, "gf-batches"), data.n, b, steps)
        w = np.zeros(J.shape[1])
        for idx in batches:
            w -= lr * J[idx].T @ (r0[idx] + J[idx] @ w) / b
        r = r0 + J @ w
        return r @ r / (2 * data.n)

    t_par, loss = best_of(parameter_space, 1)
    print(f"linearised SGD {steps} steps (b={b}, {J_cols(params)} parameters): function space "
          f"{t_fun:.3f}s, parameter space (incl. forming J) {t_par:.3f}s, "
          f"ratio {t_par / t_fun:.1f}x "
          f"(final losses {res.losses[0, 0, 0]:.6f} vs {loss:.6f})")
    ratio(f"linearised SGD {steps} steps: parameter space vs function space", t_par, t_fun)


def plain_network_loss(params, X, y, *, lr, beta, b, steps):
    """Reference: the same heavy-ball network SGD with whole-array numpy updates."""
    d, m = X.shape[1], params["a"].size
    P = {"WT": params["W"].T.copy(), "b": params["b"].copy(), "a": params["a"].copy()}
    V = {k: np.zeros_like(v) for k, v in P.items()}
    for idx in sample_batches(named_rng(0, "gf-batches"), X.shape[0], b, steps):
        Xb = X[idx]
        H = Xb @ P["WT"] / np.sqrt(d) + P["b"]
        r = (np.maximum(H, 0.0) @ P["a"] / np.sqrt(m) - y[idx]) / b
        delta = r[:, None] * (H > 0) * (P["a"] / np.sqrt(m))
        grads = {"a": r @ np.maximum(H, 0.0) / np.sqrt(m), "b": delta.sum(axis=0),
                 "WT": Xb.T @ delta / np.sqrt(d)}
        for k, g in grads.items():
            g *= lr
            V[k] *= beta
            V[k] -= g
            P[k] += V[k]
    f = np.maximum(X @ P["WT"] / np.sqrt(d) + P["b"], 0.0) @ P["a"] / np.sqrt(m)
    return 0.5 * np.mean((f - y) ** 2)


def network_steps(args):
    data = load_mnist(args.n_net, seed=0)
    params = ntk.init_two_layer(data.X.shape[1], args.width, seed=0)
    lr, steps = 1e-3, args.net_steps
    for b in (1, 10, 100):
        for beta in (0.0, 0.5):
            t_plain, ref = best_of(partial(plain_network_loss, params, data.X, data.y, lr=lr,
                                           beta=beta, b=b, steps=steps), 1)
            t_gemm, out = best_of(partial(train_network_sgd, [params], data.X, data.y, alpha=lr,
                                          beta=beta, batch_size=b, n_steps=steps,
                                          record_steps=np.array([steps]), seeds=[0]), 1)
            ratio(f"network SGD width {args.width}, b = {b}, beta = {beta}: plain numpy vs "
                  "in-place GEMM", t_plain, t_gemm)
            print(f"network SGD width {args.width}, N = {args.n_net}, b = {b:3d}, "
                  f"beta = {beta}: plain numpy "
                  f"{t_plain:.2f}s, in-place GEMM {t_gemm:.2f}s, ratio {t_plain / t_gemm:.2f}x "
                  f"(final losses {ref:.8f} vs {out[0, 0]:.8f})")


def network_float32(args):
    data = load_mnist(args.n_net, seed=0)
    params = ntk.init_two_layer(data.X.shape[1], args.width, seed=0)
    for b in (10, 100):
        kw = dict(alpha=1e-3, beta=0.0, batch_size=b, n_steps=args.net_steps,
                  record_steps=np.array([args.net_steps]), seeds=[0])
        t64, ref = best_of(partial(train_network_sgd, [params], data.X, data.y, **kw), 1)
        t32, out = best_of(partial(train_network_sgd, [params], data.X, data.y,
                                   dtype=np.float32, **kw), 1)
        ratio(f"network SGD width {args.width}, b = {b}: float64 vs float32", t64, t32)
        print(f"network SGD width {args.width}, N = {args.n_net}, b = {b:3d}: float64 {t64:.2f}s, "
              "float32 "
              f"{t32:.2f}s, ratio {t64 / t32:.2f}x (final losses {ref[0, 0]:.7f} vs "
              f"{out[0, 0]:.7f})")


def exact_moments(args):
    from hdsgd.theory.exact_second_moments import (
        exact_kernel_second_moments,
        exact_second_moment_loss,
    )

    for n in (args.n_ntk // 2, args.n_ntk):
        data = load_mnist(n, seed=0)
        params = ntk.init_two_layer(data.X.shape[1], 1000, seed=0)
        prob = ntk.kernel_problem(ntk.empirical_ntk(params, data.X),
                                  ntk.forward(params, data.X) - data.y)
        spec = ntk.kernel_spectrum(prob.gram, prob.r0)
        kw = dict(alpha=1.1, beta=0.0, batch_size=10, n_steps=20)
        t_eig, res = best_of(partial(exact_kernel_second_moments, spec.eigvals, spec.U, prob.r0,
                                     **kw), 1)
        s = np.sqrt(n * spec.eigvals)
        t_dense, ref = best_of(partial(exact_second_moment_loss, spec.U * s,
                                       spec.U.T @ prob.r0 / s, **kw), 1)
        err = np.max(np.abs(res.loss / ref - 1))
        ratio(f"exact second moments N = {n}: dense parameter space vs eigenbasis", t_dense, t_eig)
        print(f"exact second moments, MNIST NTK N = {n}, 20 steps: eigenbasis {t_eig:.2f}s "
              f"(with Fig 8's traces), dense parameter space {t_dense:.2f}s, ratio "
              f"{t_dense / t_eig:.1f}x (max rel. loss diff {err:.1e})")


def J_cols(params):
    m, d = params["W"].shape
    return m * (d + 2)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-ntk", type=int, default=400, help="samples for the NTK comparisons")
    ap.add_argument("--linear-steps", type=int, default=300)
    ap.add_argument("--n-net", type=int, default=1000, help="samples for network SGD")
    ap.add_argument("--width", type=int, default=1000)
    ap.add_argument("--net-steps", type=int, default=200)
    cli = quick_args(ap, n_ntk=200, linear_steps=100, n_net=300, width=300, net_steps=50)
    main(cli)
    network_steps(cli)
    network_float32(cli)
    exact_moments(cli)
