"""Gaussian mixtures with commuting (diagonal) class covariances.

arXiv 2510.14074; docs/exact_dynamics.md §1.

Class ``c`` (probability ``p_c``, label ``y_c``) draws ``a = mu_c + K_c^{1/2} z`` with
``z ~ N(0, I_d)`` and ``K_c = diag(lambda^{(c)})``: all covariances share the eigenbasis
``U = I``. For a linear predictor ``x``, ``<x, a> ~ N(m_c, Q_c)`` given c, with the class-wise
*mean overlap* ``m_c = <x, mu_c>`` and *projected norm* ``Q_c = x^T K_c x``.

The paper's three covariance families -- isotropic, the zero-one model (eigenvalue 0 on a
"clean" set S0, 1 elsewhere) and power-law spectra -- as binary problems (two classes, means
+-mu, labels +-1; Figs 1-4) and as K-way problems (K classes, one output per class; the number
of classes may grow with d): :func:`multiclass_mixture`. :func:`mixture_from_config` builds
either from a run's configuration, :func:`run_data` a run's data stage (mixture and recorded
times); :func:`k_way_family_runs` and :func:`scaling_runs` derive the runs of the K-way family
(one per d) and of the convergence-in-d figure (each setting at every d).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SpectralGroups:
    """Distinct class spectra (rows) and mode signatures (columns) of ``eigs`` (L, d).

    ``spectra`` (U, d) and ``group`` (L,) class -> spectrum: classes with one spectrum share
    their projected norm ``Q``. ``signatures`` (U, P) eigenvalues of each spectrum on each
    distinct mode signature ``(lambda^{(c)}_i)_c``, ``mode_sig`` (d,) mode -> signature,
    ``counts`` (P,) modes per signature.
    """

    spectra: np.ndarray
    group: np.ndarray
    signatures: np.ndarray
    mode_sig: np.ndarray
    counts: np.ndarray

    @classmethod
    def of(cls, eigs: np.ndarray) -> SpectralGroups:
        spectra, group = np.unique(eigs, axis=0, return_inverse=True)
        sig, mode_sig, counts = np.unique(spectra.T, axis=0, return_inverse=True,
                                          return_counts=True)
        return cls(spectra, group.ravel(), sig.T, mode_sig.ravel(), counts)


@dataclass(frozen=True)
class DiagonalMixture:
    """Mixture with means (L, d), covariance eigenvalues (L, d), probs (L,), labels (L,).

    ``clean`` is an optional boolean mask (d,) of the clean (zero-variance) directions.
    """

    means: np.ndarray
    eigs: np.ndarray
    probs: np.ndarray
    labels: np.ndarray
    clean: np.ndarray | None = None

    def __post_init__(self):
        means, eigs = np.asarray(self.means), np.asarray(self.eigs)
        if means.ndim != 2 or means.shape != eigs.shape:
            raise ValueError(f"means {means.shape} and eigs {eigs.shape} must both be (L, d)")
        if np.any(eigs < 0):
            raise ValueError("covariance eigenvalues must be >= 0")
        probs = np.asarray(self.probs)
        if probs.shape != (means.shape[0],) or np.any(probs < 0) or not np.isclose(probs.sum(), 1):
            raise ValueError("probs must be a probability vector with one entry per class")
        if np.asarray(self.labels).shape != (means.shape[0],):
            raise ValueError("labels must have one entry per class")
        if self.clean is not None and np.asarray(self.clean).shape != (means.shape[1],):
            raise ValueError("clean must be a boolean mask of length d")

    @property
    def d(self) -> int:
        return self.means.shape[1]

    @property
    def n_classes(self) -> int:
        return self.means.shape[0]

    def sample(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Draw ``n`` samples: class indices (n,) and points (n, d)."""
        c = rng.choice(self.n_classes, size=n, p=self.probs)
        a = rng.standard_normal((n, self.d))
        a *= np.sqrt(self.eigs[c])
        a += self.means[c]
        return c, a

    def spectral_groups(self) -> SpectralGroups:
        """Distinct class spectra and mode signatures (see :class:`SpectralGroups`)."""
        return SpectralGroups.of(np.asarray(self.eigs, dtype=float))

    def overlaps(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``m_c = <x, mu_c>`` and ``Q_c = sum_i lambda_i^{(c)} x_i^2`` for x (..., d)."""
        x = np.asarray(x, dtype=float)
        return x @ self.means.T, (x * x) @ self.eigs.T


def _symmetric_binary(mu: np.ndarray, eigs_plus: np.ndarray, eigs_minus: np.ndarray,
                      clean: np.ndarray | None = None) -> DiagonalMixture:
    """Two classes, means +-mu, labels +-1, probabilities 1/2."""
    return DiagonalMixture(means=np.stack([mu, -mu]), eigs=np.stack([eigs_plus, eigs_minus]),
                           probs=np.array([0.5, 0.5]), labels=np.array([1.0, -1.0]), clean=clean)


def _check_dim(d: int) -> None:
    if int(d) < 2:
        raise ValueError(f"d must be >= 2, got {d}")


def isotropic_mixture(d: int, rng: np.random.Generator, *, sigma: float = 1.0,
                      mean_norm: float = 1.0) -> DiagonalMixture:
    """``K_+- = sigma^2 I``, means ``+-mu`` with ``mu`` a Gaussian direction of norm ``mean_norm``.

    Figure 1(a) of the paper: identity covariance, "standard normal mean" (scaled to O(1) norm).
    """
    _check_dim(d)
    g = rng.standard_normal(d)
    mu = mean_norm * g / np.linalg.norm(g)
    eig = np.full(d, sigma**2)
    return _symmetric_binary(mu, eig, eig)


def zero_one_mixture(d: int, rng: np.random.Generator, *, rho0: float, mean_norm: float = 1.0,
                     clean_mass: float = 1.0) -> DiagonalMixture:
    """Zero-one model: eigenvalue 0 on the clean set S0 (first ``round(rho0 d)`` modes), 1 else.

    Both classes share S0; the mean is a Gaussian direction with ``||P_S0 mu||^2 = clean_mass *
    mean_norm^2`` and the rest of its squared norm on S1. Figure 1(b): ``clean_mass = 1``.
    """
    _check_dim(d)
    n0 = int(round(rho0 * d))
    if not 0 < n0 < d:
        raise ValueError(f"rho0 = {rho0} leaves an empty clean or noisy set at d = {d}")
    if not 0.0 <= clean_mass <= 1.0:
        raise ValueError(f"clean_mass must lie in [0, 1], got {clean_mass}")
    clean = np.zeros(d, dtype=bool)
    clean[:n0] = True
    g = rng.standard_normal(d)
    mu = np.zeros(d)
    mu[clean] = np.sqrt(clean_mass) * g[clean] / np.linalg.norm(g[clean])
    mu[~clean] = np.sqrt(1.0 - clean_mass) * g[~clean] / np.linalg.norm(g[~clean])
    mu *= mean_norm
    eig = np.where(clean, 0.0, 1.0)
    return _symmetric_binary(mu, eig, eig, clean=clean)


MEAN_SCALINGS = ("caption", "unit_norm")


def power_law_mixture(d: int, *, alphas: tuple[float, float] = (1.1, 1.5), beta: float,
                      mean_scaling: str = "caption") -> DiagonalMixture:
    """Power-law spectra ``lambda_i^{(c)} = i^{-alpha_c}`` and a power-law mean profile.

    ``mean_scaling="caption"`` (the paper's Figure 1(c)/(d)): ``mu_i = d^{-1/2} i^{-beta}``, the
    caption's ``mu_rho = d^{-1/2} (rho d)^{beta}`` with ``rho d = i``; the extracted caption lost
    the exponents' signs, and the mean exponent is written ``-beta`` (beta >= 0), which keeps
    ``||mu|| <= 1`` (docs/exact_dynamics.md §3). ``"unit_norm"``: the profile ``i^{-beta}``
    rescaled to ``||mu|| = 1`` (Fig 4's phase-transition family, §5.4).
    """
    _check_dim(d)
    if mean_scaling not in MEAN_SCALINGS:
        raise ValueError(f"mean_scaling must be one of {MEAN_SCALINGS}, got {mean_scaling!r}")
    i = np.arange(1, d + 1, dtype=float)
    mu = i ** (-beta)
    mu /= np.sqrt(d) if mean_scaling == "caption" else np.linalg.norm(mu)
    return _symmetric_binary(mu, i ** (-alphas[0]), i ** (-alphas[1]))


def _orthonormal_rows(n: int, dim: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` orthonormal random vectors in R^dim (rows; Haar on the Stiefel manifold)."""
    if n > dim:
        raise ValueError(f"cannot draw {n} orthonormal vectors in dimension {dim}")
    q, r = np.linalg.qr(rng.standard_normal((dim, n)))
    return (q * np.sign(np.diag(r))).T


def multiclass_mixture(d: int, n_classes: int, rng: np.random.Generator, *, family: str,
                       class_signal: float, class_exponent: float = 0.0, sigma: float = 1.0,
                       rho0: float = 0.5, clean_mass: float = 1.0, alphas=(1.1, 1.5),
                       beta: float = 0.0) -> DiagonalMixture:
    """K-way mixture, labels = class index (K outputs, one per class).

    Class c = 1..K has probability ``p_c ∝ c^{-class_exponent}`` and mean norm
    ``||mu_c||^2 = class_signal * K``: the drift of a class's own overlap is proportional to
    ``p_c ||mu_c||^2`` (docs/exact_dynamics.md §4), which then does not change with K for uniform
    proportions, so problems of different K learn on one time scale. Families:

    * ``isotropic``: ``K_c = sigma^2 I``; mean directions orthonormal (Haar);
    * ``zero_one``: every class has eigenvalue 0 on the first ``round(rho0 d)`` modes (S0) and
      1 elsewhere; mean directions orthonormal within S0 and within S1, a share ``clean_mass``
      of each ``||mu_c||^2`` on S0;
    * ``power_law``: class c has spectrum ``i^{-alphas[c mod len(alphas)]}``; mean
      ``mu_{c,i} ∝ q_{c,i} i^{-beta}`` with orthonormal (Haar) rows q, rescaled to the norm above.
    """
    _check_dim(d)
    K = int(n_classes)
    if K < 2:
        raise ValueError(f"n_classes must be >= 2, got {n_classes}")
    probs = np.arange(1, K + 1, dtype=float) ** (-class_exponent)
    probs /= probs.sum()
    norm = np.sqrt(class_signal * K)
    clean = None
    if family == "isotropic":
        means = norm * _orthonormal_rows(K, d, rng)
        eigs = np.full((K, d), sigma**2)
    elif family == "zero_one":
        n0 = int(round(rho0 * d))
        if not 0 < n0 < d:
            raise ValueError(f"rho0 = {rho0} leaves an empty clean or noisy set at d = {d}")
        clean = np.zeros(d, dtype=bool)
        clean[:n0] = True
        means = np.zeros((K, d))
        means[:, clean] = np.sqrt(clean_mass) * _orthonormal_rows(K, n0, rng)
        means[:, ~clean] = np.sqrt(1.0 - clean_mass) * _orthonormal_rows(K, d - n0, rng)
        means *= norm
        eigs = np.tile(np.where(clean, 0.0, 1.0), (K, 1))
    elif family == "power_law":
        i = np.arange(1, d + 1, dtype=float)
        means = _orthonormal_rows(K, d, rng) * i ** (-beta)
        means *= norm / np.linalg.norm(means, axis=1, keepdims=True)
        eigs = np.stack([i ** (-alphas[c % len(alphas)]) for c in range(K)])
    else:
        raise ValueError(f"family must be isotropic, zero_one or power_law, got {family!r}")
    return DiagonalMixture(means=means, eigs=eigs, probs=probs,
                           labels=np.arange(K, dtype=float), clean=clean)


def mixture_from_config(run: dict, rng: np.random.Generator) -> DiagonalMixture:
    """The mixture of one configured run (config ``exact.runs.<name>``, docs/exact_dynamics.md §6).

    Binary runs (``n_classes`` absent) use the two-class constructors; K-way runs
    (``n_classes``) use :func:`multiclass_mixture` with the same family keys.
    """
    d, family = int(run["d"]), run["family"]
    if "n_classes" in run:
        extra = {k: run[k] for k in ("sigma", "rho0", "clean_mass", "alphas", "beta",
                                     "class_exponent") if k in run}
        return multiclass_mixture(d, run["n_classes"], rng, family=family,
                                  class_signal=run["class_signal"], **extra)
    if family == "isotropic":
        return isotropic_mixture(d, rng, sigma=run["sigma"], mean_norm=run["mean_norm"])
    if family == "zero_one":
        return zero_one_mixture(d, rng, rho0=run["rho0"], clean_mass=run["clean_mass"],
                                mean_norm=run["mean_norm"])
    if family == "power_law":
        return power_law_mixture(d, alphas=tuple(run["alphas"]), beta=run["beta"],
                                 mean_scaling=run["mean_scaling"])
    raise ValueError(f"unknown family {family!r}")


def geometric_times(t_min: float, t_max: float, n: int, d: int) -> np.ndarray:
    """``n`` geometric times in [t_min, t_max] snapped to SGD steps (multiples of 1/d), unique."""
    if not 0 < t_min < t_max:
        raise ValueError(f"need 0 < t_min < t_max, got {t_min}, {t_max}")
    t = np.geomspace(t_min, t_max, n)
    return np.unique(np.maximum(np.rint(t * d), 1)) / d


def run_data(run: dict, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The data stage of a configured run: the mixture's arrays, its clean mask, one probe (the
    class-0 mean projected on the clean directions; zero if there are none) and the recorded
    times ``t``: 0 and ``n_times`` geometric times in [t_min, t_max] snapped to SGD steps."""
    mix = mixture_from_config(run, rng)
    clean = mix.clean if mix.clean is not None else np.zeros(mix.d, dtype=bool)
    t = np.concatenate([[0.0], geometric_times(run["t_min"], run["t_max"], run["n_times"],
                                               mix.d)])
    return {"means": mix.means, "eigs": mix.eigs, "probs": mix.probs, "labels": mix.labels,
            "clean": clean, "probes": np.where(clean, mix.means[0], 0.0)[None], "t": t}


K_WAY_SHARED = ("family", "loss", "seeds", "seed", "t_min", "t_max", "n_times", "n_pairs",
                "quadrature_seed", "class_signal", "class_exponent", "sigma", "rho0",
                "clean_mass", "alphas", "beta")


def k_way_family_runs(fig: dict) -> dict[str, dict]:
    """Run configs ``fig5_d<d>`` of the K-way family (config ``exact.fig5``): one per d, with
    ``K = max(2, round(coef d^power))`` classes and every other key shared."""
    runs = {}
    for d in fig["d"]:
        k = max(2, round(fig["classes"]["coef"] * d ** fig["classes"]["power"]))
        runs[f"fig5_d{d}"] = {**{key: fig[key] for key in K_WAY_SHARED if key in fig},
                              "d": d, "n_classes": k, "gammas": [fig["gamma"]]}
    return runs


def scaling_runs(scaling: dict, runs: dict) -> dict[str, dict]:
    """Run configs ``<setting>_d<d>`` of the convergence-in-d figure (config ``exact.scaling``):
    every setting (a configured binary run, ``runs[setting]``) at every d of ``scaling.d``, with
    one learning rate, ``scaling.seeds[i]`` SGD runs at the i-th d, the figure's seed and
    ``n_times`` recorded times in [t_agree, t_max]."""
    out = {}
    for setting in scaling["settings"]:
        for d, seeds in zip(scaling["d"], scaling["seeds"], strict=True):
            out[f"{setting}_d{d}"] = {**runs[setting], "d": d, "gammas": [scaling["gamma"]],
                                      "seeds": seeds, "seed": scaling["seed"],
                                      "t_min": scaling["t_agree"], "t_max": scaling["t_max"],
                                      "n_times": scaling["n_times"]}
    return out
