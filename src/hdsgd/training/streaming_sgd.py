"""One-pass (streaming) SGD with m outputs on a diagonal Gaussian mixture, blocked for BLAS.

Update of arXiv 2510.14074 in the normalisation of arXiv 2308.08977 (docs/exact_dynamics.md
§1): with a fresh sample ``(c, a)`` at every step, ``a = mu_c + K_c^{1/2} z``,

    X_{k+1} = X_k - (gamma / d) a grad f_c(X_k^T a)^T,      X in R^{d x m},  time t = k / d.

``n_seeds`` independent sample streams; every learning rate of ``gammas`` runs on each stream
(common random numbers: chains of different gamma share their samples, chains of one gamma
are independent). The streams are drawn in fixed blocks of ``BLOCK`` steps, so a run's start
does not depend on its length or its recorded times (prefix-stable).

Blocked step: within a block of b steps with samples A (b x d), the iterate before step j is
``X_0 - sum_{l<j} a_l u_l^T`` (u_l the step's scaled gradient), so its prediction is
``r_j = (A X_0)_j - sum_{l<j} (a_j . a_l) u_l``: two GEMMs per block (``A X_0`` and the Gram
``A A^T``), a cheap sequential pass over the b predictions, and one GEMM ``X -= A^T U``,
instead of b memory-bound rank-one updates. The arithmetic is the plain update's, reordered.
Blocks sit at fixed step positions and a recorded iterate inside a block is formed on the side
(``X_0 - A[:j]^T U[:j]``), so the trajectory is bitwise independent of its length and of the
recorded times.

At the recorded steps the *population* observables of every iterate are computed exactly from
the mean overlaps ``M_c = X^T mu_c`` and projected norms ``Q_u = X^T K_u X`` (one per distinct
class spectrum): the risk ``sum_c p_c E f_c(r)``, ``r ~ N(M_c, Q_c)``, by the loss's own
Gaussian expectations, ``||X||_F^2`` and linear probes ``v^T X``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hdsgd.data.anisotropic_mixture import DiagonalMixture

BLOCK = 64  # steps per random-number block and per GEMM block; fixed for determinism


def record_steps(t_record, d: int) -> np.ndarray:
    """SGD step ``round(t d)`` for each recorded time t (sorted, unique, >= 0)."""
    steps = np.rint(np.asarray(t_record, dtype=float) * d).astype(np.int64)
    if steps.ndim != 1 or np.any(np.diff(steps) <= 0) or steps[0] < 0:
        raise ValueError("record times must be increasing and at least 1/d apart")
    return steps


class _Recorder:
    """Population observables of the iterates X (S, d, G, m) at the recorded steps."""

    def __init__(self, mixture, loss, G, S, T, probes):
        self.mix, self.loss = mixture, loss
        self.groups = mixture.spectral_groups()
        self.probes = probes
        L, U, m, P = mixture.n_classes, self.groups.spectra.shape[0], loss.n_outputs, len(probes)
        self.out = {"risk": np.empty((G, S, T)), "m": np.empty((G, S, T, L, m)),
                    "Q": np.empty((G, S, T, U, m, m)), "norm2": np.empty((G, S, T)),
                    "probes": np.empty((G, S, T, P, m))}

    def __call__(self, k: int, X: np.ndarray) -> None:
        self.last = X
        o = self.out
        M = np.einsum("ld,sdgm->gslm", self.mix.means, X, optimize=True)
        Q = np.einsum("ud,sdgm,sdgn->gsumn", self.groups.spectra, X, X, optimize=True)
        o["m"][:, :, k], o["Q"][:, :, k] = M, Q
        L = self.loss.expectations(M, Q, self.groups.group)[3]
        o["risk"][:, :, k] = L @ np.asarray(self.mix.probs, dtype=float)
        o["norm2"][:, :, k] = np.einsum("sdgm,sdgm->gs", X, X)
        o["probes"][:, :, k] = np.einsum("pd,sdgm->gspm", self.probes, X)


def run_streaming_sgd(mixture: DiagonalMixture, loss, gammas, n_seeds: int, t_record, *,
                      rng: np.random.Generator, x0: np.ndarray | None = None,
                      probes: np.ndarray | None = None, progress=None,
                      block: int = BLOCK) -> dict[str, np.ndarray]:
    """Run ``n_seeds`` streams x ``len(gammas)`` learning rates; record at times ``t_record``.

    ``loss`` provides ``n_outputs`` (m), ``gradient(r, c)`` and ``expectations(M, Q, group)``
    (:mod:`hdsgd.models.multi_output_glm`). Returns ``t`` (T,) = recorded steps / d and, with
    leading axes (G, S): ``risk`` (T,), ``m`` (T, L, m), ``Q`` (T, U, m, m), ``norm2`` (T,),
    ``probes`` (T, P, m) for probe rows (P, d), and the last iterate ``x_final`` (d, m).
    """
    problem = SharedStreamProblem(mixture, loss, gammas, x0=x0, probes=probes)
    return run_shared_stream([problem], n_seeds, t_record, rng=rng, progress=progress,
                             block=block)[0]


@dataclass(frozen=True)
class SharedStreamProblem:
    """One mixture, loss and set of learning rates run on a shared sample stream."""

    mixture: DiagonalMixture
    loss: object
    gammas: object
    x0: np.ndarray | None = None
    probes: np.ndarray | None = None


def run_shared_stream(problems, n_seeds: int, t_record, *, rng: np.random.Generator,
                      progress=None, block: int = BLOCK) -> list[dict[str, np.ndarray]]:
    """Streaming SGD of several problems on one sample stream: one output per problem, each as
    :func:`run_streaming_sgd` returns it.

    The problems' mixtures share d and the class probabilities and may differ in means,
    spectra, labels and loss. Step k of seed s draws one class ``c`` and one normal vector
    ``z`` for all problems, and problem j sees ``a = mu^{(j)}_c + (K^{(j)}_c)^{1/2} z`` (common
    random numbers across problems, as across learning rates). A problem whose noisy modes are
    the union's is run bit for bit as by :func:`run_streaming_sgd` with the same generator; the
    normal draws, the bulk of the cost, are paid once for all problems.
    """
    mixes = [p.mixture for p in problems]
    d, probs = mixes[0].d, np.asarray(mixes[0].probs, dtype=float)
    if any(m.d != d or not np.array_equal(m.probs, mixes[0].probs) for m in mixes):
        raise ValueError("problems on one stream must share d and the class probabilities")
    S = int(n_seeds)
    if S < 1:
        raise ValueError(f"n_seeds must be >= 1, got {n_seeds}")
    steps = record_steps(t_record, d)
    # noise is drawn only on the modes where some class of some problem has variance (one
    # contiguous range; the zero-one model's clean set is a prefix): zero-variance modes are free
    noisy = np.flatnonzero(np.max([np.max(m.eigs, axis=0) for m in mixes], axis=0) > 0)
    cols = slice(noisy[0], noisy[-1] + 1) if noisy.size else slice(0, 0)
    chains = [_Chain(p, S, steps.size, cols, block) for p in problems]
    cdf = np.cumsum(probs)
    cdf /= cdf[-1]
    z = np.empty((S, block, cols.stop - cols.start))
    k_rec, step, n_steps = 0, 0, int(steps[-1])
    while k_rec < steps.size and steps[k_rec] == 0:
        for ch in chains:
            ch.record(k_rec, ch.X)
        k_rec += 1
    while step < n_steps:
        cls = np.minimum(np.searchsorted(cdf, rng.random((S, block)), side="right"), cdf.size - 1)
        rng.standard_normal(out=z)
        for ch in chains:
            k_next = ch.advance(cls, z, step, steps, k_rec, n_steps)
        start, step, k_rec = step, min(step + block, n_steps), k_next
        if progress is not None:
            progress.update(step - start)
    return [ch.result(steps / d) for ch in chains]


class _Chain:
    """Iterates X (S, d, G m) of one problem of a shared stream, with its sample buffer."""

    def __init__(self, problem: SharedStreamProblem, S: int, T: int, cols: slice, block: int):
        mix, loss = problem.mixture, problem.loss
        self.gam = np.atleast_1d(np.asarray(problem.gammas, dtype=float))
        G, d, m = self.gam.size, mix.d, int(loss.n_outputs)
        self.shape, self.loss, self.cols = (S, d, G, m), loss, cols
        X = np.zeros((S, d, G, m))
        if problem.x0 is not None:
            X[...] = np.reshape(problem.x0, (d, 1, m))     # x0: (d,) for m = 1, or (d, m)
        self.X = X.reshape(S, d, G * m)
        probes = np.zeros((0, d)) if problem.probes is None else np.atleast_2d(problem.probes)
        self.rec = _Recorder(mix, loss, G, S, T, probes)
        self.means = np.asarray(mix.means, dtype=float)
        sqrt_eigs = np.sqrt(np.asarray(mix.eigs, dtype=float))[:, cols]
        # the noise scale of a sample: per class (gathered), one row for every class, or none
        # (all ones: isotropic sigma = 1, the zero-one model's noisy set)
        if np.all(sqrt_eigs == 1.0):
            self.scale = None
        elif np.all(sqrt_eigs == sqrt_eigs[:1]):
            self.scale = sqrt_eigs[0]
        else:
            self.scale = np.ascontiguousarray(sqrt_eigs)
        self.noise = None if self.scale is None else np.empty((S, block, cols.stop - cols.start))
        self.A = np.empty((S, block, d))
        self.eta = np.repeat(self.gam / d, m)              # (G m,): gamma / d per column
        self.sub = gemm_block(G * m, block)

    def record(self, k: int, X: np.ndarray) -> None:
        self.rec(k, X.reshape(self.shape))

    def advance(self, cls, z, step: int, steps, k_rec: int, n_steps: int) -> int:
        """Take the block of steps with classes ``cls`` and normals ``z`` from ``step``, record
        the iterates at the recorded steps in it; returns the next recorded index."""
        A, G, m = self.A, self.shape[2], self.shape[3]
        np.take(self.means, cls, axis=0, out=A)
        if self.scale is None:
            A[..., self.cols] += z
        else:
            if self.scale.ndim == 1:
                np.multiply(z, self.scale, out=self.noise)
            else:
                np.take(self.scale, cls, axis=0, out=self.noise)
                self.noise *= z
            A[..., self.cols] += self.noise
        X = self.X
        for j0 in range(0, A.shape[1], self.sub):  # fixed sub-blocks: records never regroup steps
            Ab = A[:, j0:j0 + self.sub]
            b = Ab.shape[1]
            U = _block_gradients(X, Ab, cls[:, j0:j0 + self.sub], self.loss, self.eta, G, m)
            At = np.swapaxes(Ab, 1, 2)
            while k_rec < steps.size and steps[k_rec] <= step + b:
                j = int(steps[k_rec] - step)         # record after j steps of this sub-block
                self.record(k_rec, X - At[:, :, :j] @ U[:, :j])
                k_rec += 1
            X -= At @ U
            step += b
            if step >= n_steps:
                break
        if not np.all(np.isfinite(X)):
            raise FloatingPointError(f"SGD diverged by step {step} (gammas {self.gam})")
        return k_rec

    def result(self, t: np.ndarray) -> dict[str, np.ndarray]:
        x_final = np.moveaxis(self.rec.last.reshape(self.shape), 2, 0)
        return {"t": t, **self.rec.out, "x_final": x_final}


def gemm_block(columns: int, block: int) -> int:
    """Steps per GEMM update: the Gram matrix costs ``b d`` per step against ``2 d columns`` for
    the two products, so few columns (binary losses) take short blocks."""
    return min(block, 16 if columns < 8 else 64)


def _block_gradients(X, A, cls, loss, eta, G, m) -> np.ndarray:
    """Scaled gradients U (S, b, G m) of the steps with samples A (S, b, d) started from X
    (S, d, G m): step j sees ``X - sum_{l<j} a_l u_l^T``, i.e. prediction
    ``(A X)_j - sum_{l<j} (a_j . a_l) u_l``; the steps then total ``X - A^T U``."""
    S, b, _ = A.shape
    R = A @ X                                              # (S, b, G m) predictions at X
    gram = A @ np.swapaxes(A, 1, 2)                        # (S, b, b)
    U = np.empty((S, b, G * m))
    for j in range(b):
        grad = loss.gradient(R[:, j].reshape(S, G, m), cls[:, j, None])
        U[:, j] = grad.reshape(S, G * m) * eta
        if j + 1 < b:                                      # later predictions see this step
            R[:, j + 1:] -= gram[:, j + 1:, j, None] * U[:, j, None, :]
    return U


def run_simulation(run: dict, data, *, n_nodes: int, rng: np.random.Generator,
                   progress=None) -> dict[str, np.ndarray]:
    """Streaming SGD of one configured exact-dynamics run (``data``: the run's mixture arrays,
    probes and recorded times ``t``); binary runs lose the output axis of m, Q, probes, x."""
    return run_stream_simulation({"run": run}, {"run": data}, n_nodes=n_nodes, rng=rng,
                                 progress=progress)["run"]


def run_stream_simulation(runs: dict, data: dict, *, n_nodes: int, rng: np.random.Generator,
                          progress=None) -> dict[str, dict[str, np.ndarray]]:
    """Streaming SGD of configured runs that share one sample stream (:func:`run_shared_stream`;
    ``runs`` and ``data`` keyed by run name, the same seeds and recorded times ``t``): one
    output per run, as :func:`run_simulation` gives it."""
    from hdsgd.models.multi_output_glm import loss_for_run

    problems = []
    for name, run in runs.items():
        st = data[name]
        mix = DiagonalMixture(st["means"], st["eigs"], st["probs"], st["labels"])
        problems.append(SharedStreamProblem(mix, loss_for_run(run, mix.labels, n_nodes=n_nodes),
                                            run["gammas"], probes=st["probes"]))
    t = [data[name]["t"] for name in runs]
    seeds = {run["seeds"] for run in runs.values()}
    if len(seeds) != 1 or any(not np.array_equal(t[0], ti) for ti in t):
        raise ValueError(f"runs {list(runs)} on one stream need the same seeds and times")
    outs = run_shared_stream(problems, seeds.pop(), t[0], rng=rng, progress=progress)
    for i, out in enumerate(outs):
        if problems[i].loss.n_outputs == 1:
            out = {k: v[..., 0] if k in ("m", "probes", "x_final") else v for k, v in out.items()}
            out["Q"] = out["Q"][..., 0, 0]
            outs[i] = out
    return dict(zip(runs, outs, strict=True))


def scaling_simulation(scaling: dict, settings: dict, *, n_nodes: int,
                       progress=None) -> dict[str, np.ndarray]:
    """SGD of the convergence-in-d figure (config ``exact.scaling``, settings: the configured
    binary runs it scales): at every d, the runs ``<setting>_d<d>`` of
    :func:`hdsgd.data.anisotropic_mixture.scaling_runs` on one sample stream (seed
    ``scaling.seed``, purpose ``sgd d=<d>``). Returns per run ``<run>_t`` (T,), the class mean
    ``<run>_mean`` (d,) and the risk ``<run>_risk`` (S, T) of every single run."""
    from hdsgd.data.anisotropic_mixture import run_data, scaling_runs
    from hdsgd.seeding import rng

    runs = scaling_runs(scaling, settings)
    out = {}
    for d in scaling["d"]:
        members = {name: run for name, run in runs.items() if run["d"] == d}
        data = {name: run_data(run, rng(run["seed"], "mixture")) for name, run in members.items()}
        sims = run_stream_simulation(members, data, n_nodes=n_nodes,
                                     rng=rng(scaling["seed"], f"sgd d={d}"), progress=progress)
        for name, sim in sims.items():
            out[f"{name}_t"], out[f"{name}_mean"] = data[name]["t"], data[name]["means"][0]
            out[f"{name}_risk"] = sim["risk"][0]
    return out
