"""Stage files: round trip, provenance, determinism, corruption detection, inspect CLI."""

import io

import numpy as np
import pytest

from hdsgd.__main__ import inspect
from hdsgd.data.gmm import uniform_mixture
from hdsgd.seeding import rng
from hdsgd.stages import StageFileError, load_stage, save_stage
from hdsgd.training.online_sgd import run_online_sgd


def _sgd(seed):
    mix = uniform_mixture(3, 30, 5.0, 5)
    x0 = rng(seed, "init").standard_normal((2, 3, 30)) / np.sqrt(30)
    return run_online_sgd(mix, x0, beta=0.01, delta=1 / 30, steps=np.array([0, 50, 300]),
                          rng=rng(seed, "sgd"), progress_label=None)


def test_same_seed_same_arrays_and_bytes(tmp_path):
    a, b = _sgd(7), _sgd(7)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, _sgd(8))
    save_stage(tmp_path / "a.npz", {"x": a}, params={"d": 30}, seed=7)
    save_stage(tmp_path / "b.npz", {"x": b}, params={"d": 30}, seed=7)
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


def test_seed_axis_runs_are_independent_sgd_runs():
    x = _sgd(1)
    assert x.shape == (3, 2, 3, 30)
    np.testing.assert_array_equal(x[0], x[0])
    assert not np.allclose(x[-1, 0], x[-1, 1])


def test_round_trip_and_provenance(tmp_path):
    up = tmp_path / "up.npz"
    save_stage(up, {"a": np.arange(3)}, params={"k": 2}, seed=1)
    save_stage(tmp_path / "s.npz", {"x": np.eye(2)}, params={"k": 2, "lam": 10.0}, seed=3,
               inputs=[up])
    st = load_stage(tmp_path / "s.npz")
    np.testing.assert_array_equal(st["x"], np.eye(2))
    assert st.params == {"k": 2, "lam": 10.0}
    assert st.provenance["seed"] == 3
    assert st.provenance["inputs"][0]["sha256"] and "numpy" in st.provenance["versions"]
    with pytest.raises(KeyError, match="has no array 'y'"):
        st["y"]


def test_corrupt_and_missing_files_are_named(tmp_path):
    p = tmp_path / "s.npz"
    save_stage(p, {"x": np.ones(1000)}, seed=0)
    p.write_bytes(p.read_bytes()[:200])
    with pytest.raises(StageFileError, match="s.npz is corrupt"):
        load_stage(p)
    with pytest.raises(StageFileError, match="does not exist"):
        load_stage(tmp_path / "nope.npz")


def test_failed_write_leaves_no_file(tmp_path):
    class Boom:
        def __array__(self, *a, **k):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        save_stage(tmp_path / "s.npz", {"x": np.ones(3), "y": Boom()})
    assert list(tmp_path.iterdir()) == []


def test_inspect_prints_provenance_and_arrays(tmp_path):
    save_stage(tmp_path / "s.npz", {"x": np.array([1.0, np.nan, 3.0])},
               params={"d": 4}, seed=9)
    out = io.StringIO()
    inspect(str(tmp_path / "s.npz"), out=out)
    text = out.getvalue()
    assert "seed: 9" in text and '"d": 4' in text
    assert "1 non-finite" in text and "max 3" in text
