"""Stage files: round trip, provenance, determinism, corruption detection, inspect CLI."""

import io
import os
import stat

import numpy as np
import pandas as pd
import pytest

from hdsgd.__main__ import inspect
from hdsgd.data.gmm import uniform_mixture
from hdsgd.seeding import rng
from hdsgd.stages import NonFiniteStageError, StageFileError, load_stage, save_stage, write_table
from hdsgd.training.online_sgd import run_online_sgd


def _x0(seed):
    return rng(seed, "init").standard_normal((2, 3, 30)) / np.sqrt(30)


def _sgd(seed):
    mix = uniform_mixture(3, 30, 5.0, 5)
    return run_online_sgd(mix, _x0(seed), beta=0.01, delta=1 / 30, steps=np.array([0, 50, 300]),
                          rng=rng(seed, "sgd"), progress_label=None)


def test_same_seed_same_arrays_and_bytes(tmp_path):
    a, b = _sgd(7), _sgd(7)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, _sgd(8))
    save_stage(tmp_path / "a.npz", {"x": a}, params={"d": 30}, seed=7)
    save_stage(tmp_path / "b.npz", {"x": b}, params={"d": 30}, seed=7)
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


def test_seed_axis_runs_are_separate_sgd_runs():
    """Checkpoint 0 is each run's own start; the runs move, and apart from each other."""
    x, x0 = _sgd(1), _x0(1)
    assert x.shape == (3, 2, 3, 30)
    np.testing.assert_array_equal(x[0], x0)
    assert np.linalg.norm(x[-1] - x0) > 0.1 * np.linalg.norm(x0)
    start_gap = np.linalg.norm(x0[0] - x0[1])
    assert not np.allclose(x[-1, 0] - x[-1, 1], x0[0] - x0[1], atol=0.01 * start_gap)


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
               params={"d": 4}, seed=9, allow_nonfinite=["x"])
    out = io.StringIO()
    inspect(str(tmp_path / "s.npz"), out=out)
    text = out.getvalue()
    assert "seed: 9" in text and '"d": 4' in text
    assert "1 non-finite" in text and "max 3" in text


def test_non_finite_output_is_refused_naming_stage_array_and_params(tmp_path):
    p = tmp_path / "results" / "alignment" / "gmm" / "sgd.npz"
    x = np.ones((4, 3))
    x[1, 2] = np.nan
    with pytest.raises(NonFiniteStageError,
                       match=r"stage .*sgd.npz: array 'x' has 1 non-finite values \(of 12\); "
                             r"nothing was written\. Likely cause: a config value of config "
                             r"section 'alignment' this stage used \(lam=10\.0, delta=0\.5\)"):
        save_stage(p, {"t": np.arange(4.0), "x": x}, params={"lam": 10.0, "delta": 0.5,
                                                            "name": "gmm"})
    assert not p.exists()
    # an array that records divergence on purpose is declared, and kept as data
    x[2] = np.inf
    save_stage(p, {"t": np.arange(4.0), "x": x}, allow_nonfinite=["x"])
    assert np.isinf(load_stage(p)["x"][2]).all()
    with pytest.raises(ValueError, match="allow_nonfinite names no array"):
        save_stage(p, {"x": x}, allow_nonfinite=["y"])


def test_stage_files_are_as_readable_as_any_file(tmp_path):
    """0666 less the umask (0644 under 022), like the figures, not mkstemp's 0600."""
    old = os.umask(0o022)
    try:
        save_stage(tmp_path / "s.npz", {"x": np.ones(2)})
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.csv")
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
        assert modes == {"s.npz": 0o644, "t.csv": 0o644, "t.csv.prov.json": 0o644}
        os.umask(0o077)
        save_stage(tmp_path / "private.npz", {"x": np.ones(2)})
        assert stat.S_IMODE((tmp_path / "private.npz").stat().st_mode) == 0o600
    finally:
        os.umask(old)
