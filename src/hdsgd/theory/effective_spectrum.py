"""The limiting spectrum of a Hessian / G-matrix block as a function of the Gram matrix.

arXiv 2502.15655 (main theorem, specialised to multi-class logistic regression): the bulk law,
the outliers and the eigenvector overlaps of the (c, c) blocks of the test-data Hessian and
G-matrix depend on x only through G = (x, mu)^T (x, mu). Along SGD, G follows the effective
dynamics (arXiv 2206.04030; :mod:`hdsgd.theory.gmm_effective_dynamics`), so evaluating this map
along the ODE solution gives the "effective spectrum" along training.

Besides the limit (n, d -> infinity) :func:`block_summary` reports, for a test sample of finite
size n, the same quantities for the weight law conditioned on the sample's typical largest
weight (:func:`hdsgd.theory.limiting_spectra.sample_max_weight`), and the closed-form edge at the
pole of the G-matrix law (:func:`hdsgd.theory.limiting_spectra.pole_edge`).
"""

from __future__ import annotations

import numpy as np

from hdsgd.observables.spectral_agreement import level_crossing
from hdsgd.theory.gmm_effective_dynamics import GMMDynamicsParams, solve_effective_dynamics
from hdsgd.theory.gram_quadrature import GramQuadrature, block_weight_law
from hdsgd.theory.limiting_spectra import (
    ScalarWeightLaw,
    bulk_cdf_grid,
    outliers,
    pole_edge,
    right_edge,
    sample_max_weight,
    upper_quantile,
)

__all__ = ["MixtureModel", "gram_from_summary", "initial_gram", "gram_along_dynamics",
           "spectrum_summary", "block_summary", "spectrum_along", "refine_count_changes",
           "outlier_map", "first_component", "finite_size_track", "training_theory",
           "training_checkpoints", "WEIGHT_SUP"]

# Essential sup of the G-matrix weight (pi_c - y_c)^2 once the logits carry noise. Its density
# vanishes (Gaussian logit tails) near 1, so the pole formula of the edge can apply. The Hessian
# weight pi_c (1 - pi_c) has a density diverging at its sup 1/4 (pi_c = 1/2), so z(m) -> +inf at
# the pole and its edge is always an interior minimum: no entry.
WEIGHT_SUP = {"g": 1.0}


class MixtureModel:
    """Softmax regression on a k-GMM with orthonormal means: the parameters the theory sees.

    p (k,) component proportions (normalised here), label_map (k,) class of each component
    (C = max + 1 classes), lam the SNR, phi = n/d of the test sample, beta the ridge,
    c_delta = delta d, init "zero" (x_0 = 0) or "random" (x_0 ~ N(0, I_d / d)).
    """

    def __init__(self, *, p, label_map, lam: float, phi: float, beta: float = 0.0,
                 c_delta: float = 1.0, init: str = "zero"):
        self.p = np.asarray(p, dtype=float) / np.sum(p)
        self.label_map = np.asarray(label_map, dtype=np.int64)
        if self.label_map.shape != self.p.shape:
            raise ValueError("label_map and p must have one entry per component")
        if init not in ("zero", "random"):
            raise ValueError(f"init must be 'zero' or 'random', got {init!r}")
        self.lam, self.phi, self.beta, self.c_delta, self.init = (
            float(lam), float(phi), float(beta), float(c_delta), init)

    @classmethod
    def from_config(cls, run: dict, beta: float, c_delta: float, **override) -> MixtureModel:
        """From a ``geometry.runs.<name>`` config entry (keys k, label_map, p, lam, phi, init)."""
        keys = {key: run[key] for key in ("p", "label_map", "lam", "phi", "init")}
        return cls(**{**keys, "beta": beta, "c_delta": c_delta, **override})

    @property
    def k(self) -> int:
        return self.p.size

    @property
    def C(self) -> int:
        return int(self.label_map.max()) + 1

    def with_(self, **override) -> MixtureModel:
        """A copy with some parameters replaced (e.g. ``lam``)."""
        keys = {key: getattr(self, key) for key in ("p", "label_map", "lam", "phi", "beta",
                                                    "c_delta", "init")}
        return MixtureModel(**{**keys, **override})


def gram_from_summary(m: np.ndarray, Q: np.ndarray, means_gram: np.ndarray) -> np.ndarray:
    """G = [[x x^T, x mu^T], [mu x^T, mu mu^T]] from m = (x^c . mu_a) (C, k), Q = (x^c . x^e)."""
    return np.block([[Q, m], [m.T, means_gram]])


def initial_gram(k: int, means_gram: np.ndarray | None = None, C: int | None = None,
                 R0: float = 0.0) -> np.ndarray:
    """Gram matrix at the start of training: m = 0 and Q = R0 I_C.

    ``R0 = 0`` is x = 0; ``R0 = 1`` the d -> infinity limit of x_0 ~ N(0, I_d / d).
    """
    C = k if C is None else C
    mg = np.eye(k) if means_gram is None else means_gram
    return gram_from_summary(np.zeros((C, k)), R0 * np.eye(C), mg)


def gram_along_dynamics(times: np.ndarray, model: MixtureModel, *, dt: float, n_gh: int):
    """Gram matrices of (x, mu) along the effective dynamics at ``times``: (T, C + k, C + k).

    Also returns m (T, C, k) and Q (T, C, C). Initial condition m = 0 and R = 0 (x_0 = 0) or
    R = I (x_0 ~ N(0, I_d / d), the d -> infinity limit).
    """
    k, C = model.k, model.C
    params = GMMDynamicsParams(np.eye(k), model.p, model.lam, model.beta, model.c_delta,
                               label_map=model.label_map)
    R0 = np.zeros((C, C)) if model.init == "zero" else np.eye(C)
    sol = solve_effective_dynamics(np.asarray(times, dtype=float), params, m0=np.zeros((C, k)),
                                   R0=R0, dt=dt, n_gh=n_gh)
    gram = np.stack([gram_from_summary(m, Q, np.eye(k)) for m, Q in zip(sol.m, sol.Q)])
    return gram, sol.m, sol.Q


def spectrum_summary(law: ScalarWeightLaw, quad: GramQuadrature, max_outliers: int,
                     edge: float | None = None) -> dict:
    """Edges, outliers and outlier-eigenvector overlaps with each mean for one weight law.

    Returns ``right`` (the bulk's right edge), ``outliers`` (max_outliers,) NaN-padded, largest
    first, ``n_outliers`` and ``overlaps`` (max_outliers, k): ``(mu_a . e_i)^2 / |mu_a|^2`` for the
    i-th outlier eigenvector e_i (NaN-padded). Summed over i it is the mass of mu_a in the outlier
    eigenspace, which is basis-free even when outliers are degenerate. ``edge``: the right edge
    when known in closed form (the pole edge); roots of det D(z) below it are not outliers.
    """
    C, k = quad.C, quad.targets.shape[0]
    right = right_edge(law)
    locs, vecs, norms = outliers(law)
    if edge is not None and np.isfinite(edge) and edge > right:
        right = edge
        keep = locs > edge
        locs, vecs, norms = locs[keep], vecs[keep], norms[keep]
    n = min(locs.size, max_outliers)
    padded = np.full(max_outliers, np.nan)
    padded[:n] = locs[:n]
    ov = np.full((max_outliers, k), np.nan)
    units = np.stack([quad.unit_coords(C + a) for a in range(k)])          # (k, r)
    for i in range(n):
        ov[i] = (units @ vecs[i]) ** 2 / norms[i]
    return {"right": right, "outliers": padded,
            "n_outliers": int(locs.size), "overlaps": ov}


def _weight_law(G, p, label_map, lam, phi, c, kind, n_gh):
    """(quadrature, unbinned weight law, pole edge or NaN) of the (c, c) block at G."""
    p = np.asarray(p, dtype=float)
    k = p.size
    C = G.shape[0] - k
    quad = GramQuadrature.build(G, C, p, lam, n_gh=n_gh, label_map=label_map)
    full = block_weight_law(quad, c, kind, phi, n_bins=None)
    # the weight has a continuous law (sup WEIGHT_SUP) only if the logits carry noise; at x = 0
    # it is constant per component (a discrete law, edge always an interior minimum)
    continuous = np.ptp(full.w.reshape(k, -1), axis=1).max() > 1e-12
    edge, applies = (pole_edge(full, WEIGHT_SUP[kind]) if continuous and kind in WEIGHT_SUP
                     else (np.nan, False))
    return quad, full, (edge if applies else float("nan"))


def block_summary(G: np.ndarray, *, p: np.ndarray, lam: float, phi: float, c: int, kind: str,
                  n_gh: int, n_bins: int, max_outliers: int, label_map=None,
                  n_sample: int | None = None, n_gh_finite: int | None = None) -> dict:
    """Limiting spectrum of the (c, c) block at Gram matrix G (``spectrum_summary`` keys).

    G is the Gram matrix of (x^1..x^C, mu_1..mu_k); p (k,) the component probabilities;
    ``label_map`` (k,) the class of each component (identity, C = k, if None). Also returns
    ``law`` (the binned weight law) and ``pole_edge`` (the closed-form edge when it sits at the
    pole of z(m), else NaN). The quadrature's weight law is discrete, so its own edge is always
    an interior minimum of z(m) just below the pole; where the pole formula applies it is the
    edge of the continuous law and ``right`` is that value (it converges in a few nodes, the
    discrete edge slowly). With ``n_sample`` = n, ``finite`` holds the summary of the law
    conditioned on the median largest weight of n samples, and ``sample_max_weight`` that weight;
    that law is set by the far tail of the weights, so it gets its own node count
    ``n_gh_finite`` (default ``n_gh``).
    """
    quad, full, edge = _weight_law(G, p, label_map, lam, phi, c, kind, n_gh)
    law = full.binned(n_bins)
    out = spectrum_summary(law, quad, max_outliers, edge=edge)
    out["pole_edge"] = edge
    out["law"] = law
    if n_sample is not None:
        if n_gh_finite is not None and n_gh_finite != n_gh:
            quad, full, _ = _weight_law(G, p, label_map, lam, phi, c, kind, n_gh_finite)
        u = sample_max_weight(full, n_sample)
        out["sample_max_weight"] = u
        out["finite"] = spectrum_summary(full.below(u).binned(n_bins), quad, max_outliers)
    return out


def spectrum_along(grams: np.ndarray, model: MixtureModel, *, c: int, kind: str, n_gh: int,
                   n_bins: int, max_outliers: int, n_sample: int | None = None,
                   n_gh_finite: int | None = None, grid_at=None, n_grid: int = 800,
                   n_gh_grid: int | None = None, quantile_at=None, quantile: float | None = None,
                   progress=None) -> dict:
    """:func:`block_summary` at each Gram matrix of ``grams`` (T, C + k, C + k), as arrays.

    Absent outliers are padded with 0 (``n_outliers`` says how many are real): ``right``,
    ``pole_edge`` (0 where the pole formula does not apply), ``outliers`` (T, M), ``n_outliers``,
    ``overlaps`` (T, M, k); with ``n_sample`` the same with prefix ``finite_`` and
    ``sample_max_weight``; with ``grid_at`` (indices) the bulk ``grid``, ``density``, ``cdf``
    (len(grid_at), n_grid) there, from a weight law of ``n_gh_grid`` nodes per direction
    (default ``n_gh``: the G-matrix law's thin tail needs many more nodes for a smooth density
    than its edge and outliers do); with ``quantile_at`` (indices) and ``quantile`` = q the
    q-quantile of the limiting law over all d eigenvalues there (``quantile``,
    :func:`hdsgd.theory.limiting_spectra.upper_quantile` with tail mass 1 - q).
    """
    keys = ("right", "outliers", "n_outliers", "overlaps")
    out = {key: [] for key in (*keys, "pole_edge")}
    if n_sample is not None:
        out.update({f"finite_{key}": [] for key in keys})
        out["sample_max_weight"] = []
    grid_at = [] if grid_at is None else list(grid_at)
    quantile_at = [] if quantile_at is None else list(quantile_at)
    grids, quantiles = [], []
    for i, G in enumerate(grams):
        r = block_summary(G, p=model.p, label_map=model.label_map, lam=model.lam, phi=model.phi,
                          c=c, kind=kind, n_gh=n_gh, n_bins=n_bins, max_outliers=max_outliers,
                          n_sample=n_sample, n_gh_finite=n_gh_finite)
        for key in keys:
            out[key].append(r[key])
        out["pole_edge"].append(r["pole_edge"])
        if n_sample is not None:
            for key in keys:
                out[f"finite_{key}"].append(r["finite"][key])
            out["sample_max_weight"].append(r["sample_max_weight"])
        if i in grid_at:
            law = r["law"] if n_gh_grid is None else _weight_law(
                G, model.p, model.label_map, model.lam, model.phi, c, kind, n_gh_grid)[1]
            grids.append(bulk_cdf_grid(law.binned(n_bins), n_grid))
        if i in quantile_at:
            quantiles.append(upper_quantile(r["law"], 1.0 - quantile))
        if progress is not None:
            progress.update(1)
    res = {key: np.nan_to_num(np.asarray(v, dtype=float), nan=0.0) for key, v in out.items()}
    for key in ("n_outliers", "finite_n_outliers"):
        if key in res:
            res[key] = res[key].astype(np.int64)
    if grid_at:
        for j, name in enumerate(("grid", "density", "cdf")):
            res[name] = np.stack([g[j] for g in grids])
    if quantile_at:
        res["quantile"] = np.asarray(quantiles)
    return res


def refine_count_changes(times: np.ndarray, counts: np.ndarray, count_at, *,
                         max_iter: int = 30):
    """Times where an integer count (number of outliers) changes, refined by bisection.

    ``counts`` are known at ``times``; ``count_at(t)`` evaluates the count at any time. For each
    pair of consecutive times with different counts the change is bisected (to 1e-3 of the
    interval, at most ``max_iter`` steps; with several changes in one interval the first one
    found is kept). Returns (t_change, before, after) arrays.
    """
    t_out, before, after = [], [], []
    for i in np.flatnonzero(np.diff(counts) != 0):
        lo, hi = float(times[i]), float(times[i + 1])
        c_lo = int(counts[i])
        tol = 1e-3 * (hi - lo)
        for _ in range(max_iter):
            if hi - lo <= tol:
                break
            mid = 0.5 * (lo + hi)
            if count_at(mid) == c_lo:
                lo = mid
            else:
                hi = mid
        t_out.append(0.5 * (lo + hi))
        before.append(c_lo)
        after.append(int(counts[i + 1]))
    return np.asarray(t_out), np.asarray(before, dtype=np.int64), np.asarray(after, dtype=np.int64)


def first_component(label_map, c: int) -> int:
    """The first mixture component of class c: the mean mu_a whose overlaps are reported."""
    return int(np.flatnonzero(np.asarray(label_map) == c)[0])


def outlier_map(run: dict, common: dict, lams: np.ndarray, times: np.ndarray, *, kinds,
                n_gh: int, n_bins: int, ode: dict, progress=None) -> dict:
    """Outliers of the (c, c) blocks over a (lam, t) grid along the effective dynamics.

    For each lam the ODE of the run's model (``run``: p, label_map, phi, init; ``common``: beta,
    c_delta, block) is solved at ``times``. Returns per kind (L, T) arrays: ``<kind>_count``
    (number of outliers), ``<kind>_separation`` (largest outlier / edge - 1, 0 if none) and
    ``<kind>_overlap`` (squared overlap of its eigenvector with mu_a, a the first component of
    class c).
    """
    base = MixtureModel.from_config(run, common["beta"], common["c_delta"])
    a = first_component(base.label_map, common["block"])
    out = {f"{kind}_{key}": np.zeros((lams.size, times.size))
           for kind in kinds for key in ("count", "separation", "overlap")}
    for i, lam in enumerate(lams):
        model = base.with_(lam=float(lam))
        grams, _, _ = gram_along_dynamics(times, model, dt=ode["dt"], n_gh=ode["n_gh"])
        for kind in kinds:
            r = spectrum_along(grams, model, c=common["block"], kind=kind, n_gh=n_gh,
                               n_bins=n_bins, max_outliers=model.C + model.k)
            has = r["n_outliers"] > 0
            out[f"{kind}_count"][i] = r["n_outliers"]
            out[f"{kind}_separation"][i] = np.where(has, r["outliers"][:, 0] / r["right"] - 1, 0)
            out[f"{kind}_overlap"][i] = np.where(has, r["overlaps"][:, 0, a], 0.0)
        if progress is not None:
            progress.update(1)
    return out


def finite_size_track(grid: np.ndarray, grams: np.ndarray, times: np.ndarray,
                      model: MixtureModel, *, c: int, kind: str, n_gh: int, n_bins: int,
                      n_samples, level: float, n_gh_finite: int | None = None) -> dict:
    """The top outlier of one block along the dynamics, in the limit and at finite n.

    ``grams`` (G, C + k, C + k) on the ODE ``grid``; ``times`` a subset of the grid where the
    track is evaluated; ``n_samples`` (D,) test-sample sizes n = phi d. Returns ``limit_right``,
    ``limit_top`` (largest outlier, or the edge if none), ``limit_overlap`` (squared overlap of
    the top outlier's eigenvector with mu_a, a the first component of class c; 0 if none),
    ``limit_count`` (T,); ``finite_right``, ``finite_top``, ``finite_overlap``,
    ``finite_count``, ``sample_max_weight`` (D, T) for the law conditioned on the median largest
    of n weights; ``t_star`` the limiting time where the last outlier merges (searched from
    t = 0 and bisected, linear in G between grid points; ``times[-1]`` if it never does) and
    ``t_visible`` (D,) where the finite-n overlap first falls below ``level``
    (:func:`hdsgd.observables.spectral_agreement.level_crossing`).
    """
    a = first_component(model.label_map, c)
    n_samples = np.atleast_1d(n_samples)
    M = model.C + model.k
    T, D = len(times), n_samples.size
    out = {"limit_right": np.zeros(T), "limit_top": np.zeros(T), "limit_overlap": np.zeros(T),
           "limit_count": np.zeros(T, dtype=np.int64)}
    for key in ("right", "top", "overlap", "count"):
        out[f"finite_{key}"] = np.zeros((D, T), dtype=np.int64 if key == "count" else float)
    out["sample_max_weight"] = np.zeros((D, T))

    def fill(prefix, idx, r):
        has = r["n_outliers"] > 0
        out[f"{prefix}_right"][idx] = r["right"]
        out[f"{prefix}_top"][idx] = r["outliers"][0] if has else r["right"]
        out[f"{prefix}_overlap"][idx] = r["overlaps"][0, a] if has else 0.0
        out[f"{prefix}_count"][idx] = r["n_outliers"]

    def laws(G, nodes=n_gh):
        return _weight_law(G, model.p, model.label_map, model.lam, model.phi, c, kind, nodes)

    for i, t in enumerate(times):
        G = grams[int(np.argmin(np.abs(grid - t)))]
        quad, full, edge = laws(G)
        fill("limit", i, spectrum_summary(full.binned(n_bins), quad, M, edge=edge))
        if n_gh_finite is not None and n_gh_finite != n_gh:
            quad, full, _ = laws(G, n_gh_finite)
        for j, n in enumerate(n_samples):
            u = sample_max_weight(full, int(n))
            out["sample_max_weight"][j, i] = u
            fill("finite", (j, i), spectrum_summary(full.below(u).binned(n_bins), quad, M))

    def count_at(t):
        j = int(np.clip(np.searchsorted(grid, t) - 1, 0, grid.size - 2))
        w = (t - grid[j]) / (grid[j + 1] - grid[j])
        quad, full, edge = laws((1 - w) * grams[j] + w * grams[j + 1])
        return spectrum_summary(full.binned(n_bins), quad, M, edge=edge)["n_outliers"]

    # outlier counts from t = 0 on (about one probe per time unit, plus the track's times)
    probe = np.union1d(np.linspace(0.0, times[-1], int(np.ceil(times[-1])) + 1), times)
    counts = np.array([count_at(t) for t in probe])
    t_chg, before, after = refine_count_changes(probe, counts, count_at)
    gone = (before > 0) & (after == 0)
    out["t_star"] = np.array(t_chg[gone][-1] if gone.any() else probe[-1])
    out["t_visible"] = np.array([level_crossing(times, ov, level)
                                 for ov in out["finite_overlap"]])
    return out


def training_theory(times: np.ndarray, dense_times: np.ndarray, dense_grams: np.ndarray,
                    model: MixtureModel, *, c: int, kinds, n_gh: int, n_gh_finite: int,
                    n_bins: int, n_grid: int, n_sample: int | None, track_dt: float,
                    grid_times=(), n_gh_grid: int | None = None, quantile: float | None = None,
                    progress=None, log=print) -> dict:
    """The theory of a training run: :func:`spectrum_along` on a dense track, per kind.

    The ODE's Gram matrices ``dense_grams`` on ``dense_times`` (which contain the checkpoint
    ``times``) are evaluated at ``track_times``: the checkpoints and every ``track_dt`` time
    units (linear in G between grid points). Keys ``<kind>_<name>`` (names of
    :func:`spectrum_along`) hold the checkpoints, ``<kind>_track_<name>`` the whole track (the
    curves drawn, and the times where a curve crosses a level); with ``quantile`` = q the
    q-quantile of the limiting law at the checkpoints (``<kind>_quantile``); at ``grid_times``
    (checkpoints) the bulk density and CDF (``<kind>_grid``, ``_density``, ``_cdf``; weight law
    of ``n_gh_grid`` nodes per direction). The times
    where the number of outliers changes are bisected in the limit (``<kind>_changes``) and for
    n = ``n_sample`` test points (``<kind>_finite_changes``; none if ``n_sample`` is None):
    rows (t, count before, count after).
    """
    opts = {"c": c, "n_gh": n_gh, "n_bins": n_bins, "max_outliers": model.C + model.k,
            "n_gh_finite": n_gh_finite}
    times = np.asarray(times, dtype=float)

    def gram_at(t):
        j = int(np.clip(np.searchsorted(dense_times, t) - 1, 0, dense_times.size - 2))
        a = (t - dense_times[j]) / (dense_times[j + 1] - dense_times[j])
        return (1 - a) * dense_grams[j] + a * dense_grams[j + 1]

    t_max = float(times[-1] if times.size else dense_times[-1])
    track = np.union1d(times, np.linspace(0.0, t_max, int(round(t_max / track_dt)) + 1))
    at = np.searchsorted(track, times)
    grid_at = [int(at[np.argmin(np.abs(times - t))]) for t in grid_times]
    track_grams = np.stack([gram_at(t) for t in track])
    out = {"times": times, "track_times": track, "grid_times": np.asarray(grid_times, float)}
    if n_sample is not None:
        out["n_sample"] = np.array(n_sample)
    for kind in kinds:
        res = spectrum_along(track_grams, model, kind=kind, n_sample=n_sample, grid_at=grid_at,
                             n_grid=n_grid, n_gh_grid=n_gh_grid,
                             quantile_at=at if quantile is not None else None,
                             quantile=quantile, progress=progress, **opts)
        for key, v in res.items():
            if key in ("grid", "density", "cdf", "quantile"):
                out[f"{kind}_{key}"] = v
            else:
                out[f"{kind}_track_{key}"] = v
                out[f"{kind}_{key}"] = v[at]
        for prefix in ("", "finite_") if n_sample is not None else ("",):
            def count_at(t, kind=kind, prefix=prefix):
                r = block_summary(gram_at(t), p=model.p, label_map=model.label_map,
                                  lam=model.lam, phi=model.phi, kind=kind,
                                  n_sample=n_sample if prefix else None, **opts)
                return (r["finite"] if prefix else r)["n_outliers"]

            t_chg, before, after = refine_count_changes(track, res[f"{prefix}n_outliers"],
                                                        count_at)
            out[f"{kind}_{prefix}changes"] = np.stack([t_chg, before, after], axis=-1).reshape(
                -1, 3)
            if log is not None:
                log(kind, prefix or "limit", "outlier count changes (t, before, after):",
                    out[f"{kind}_{prefix}changes"].round(3).tolist())
    return out


def training_checkpoints(t_max: float, n_times: int, extra, delta: float):
    """SGD steps and their times ``step * delta`` for ``linspace(0, t_max, n_times)`` + extra.

    The ODE is evaluated at exactly these times, so theory and SGD share the time axis.
    """
    times = np.concatenate([np.linspace(0.0, t_max, n_times), np.asarray(extra, dtype=float)])
    steps = np.unique(np.rint(times / delta).astype(np.int64))
    return steps, steps * delta
