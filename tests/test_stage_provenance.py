"""Provenance checked when a stage file is read: a file swapped in from another run, seed or
size stops the job with one line naming the file and the first key that differs."""

import json
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from hdsgd.job import first_difference, stage_job
from hdsgd.stages import (
    ProvenanceMismatchError,
    StageFileError,
    load_stage,
    read_table,
    save_stage,
    write_table,
)


def _job(tmp_path, rule="toy_sim_simulation", **params):
    """What Snakemake hands a script: its rule's name, params by name and log."""
    return SimpleNamespace(rule=rule, params=params, log=[str(tmp_path / f"{rule}.log")])


RUN = {"k": 3, "d": 30, "lam": 10.0, "seed": 0}


def test_a_job_records_its_rules_params_by_name(tmp_path):
    with stage_job(_job(tmp_path, run=RUN, fig={"tol": 0.1})):
        save_stage(tmp_path / "sim.npz", {"x": np.zeros((2, 3))}, seed=0)
        write_table(pd.DataFrame({"t": [0.0]}), tmp_path / "series.csv")
        with pytest.raises(ValueError, match="do not pass params="):
            save_stage(tmp_path / "other.npz", {"x": np.zeros(2)}, params={"d": 30})
    prov = load_stage(tmp_path / "sim.npz").provenance
    assert prov["params"] == {"run": RUN, "fig": {"tol": 0.1}}
    assert prov["shapes"] == {"x": [2, 3]}
    side = json.loads((tmp_path / "series.csv.prov.json").read_text())
    assert side["params"]["run"]["lam"] == 10.0


def test_a_file_from_another_seed_stops_the_reader_naming_the_seed(tmp_path):
    path = tmp_path / "results/alignment/gmm/simulation.npz"
    with stage_job(_job(tmp_path, run={**RUN, "seed": 1})):
        save_stage(path, {"x": np.zeros((2, 3))}, seed=1)
    with stage_job(_job(tmp_path, "toy_sim_observables", run=RUN, spectra={"n_eig": 12})):
        with pytest.raises(ProvenanceMismatchError) as err:
            load_stage(path)
    assert str(err.value).startswith(f"{path} was made with seed 1, this run needs seed 0")


def test_a_file_of_another_size_names_the_key_and_a_table_is_checked_too(tmp_path):
    with stage_job(_job(tmp_path, run={**RUN, "d": 60})):
        save_stage(tmp_path / "sim.npz", {"x": np.zeros((2, 60))}, seed=0)
        write_table(pd.DataFrame({"t": [0.0]}), tmp_path / "series.csv")
    with stage_job(_job(tmp_path, "toy_sim_figure", run=RUN)):
        with pytest.raises(ProvenanceMismatchError, match=r"made with run\.d = 60, this run "
                                                          r"needs run\.d = 30"):
            load_stage(tmp_path / "sim.npz")
        with pytest.raises(ProvenanceMismatchError, match=r"series\.csv was made with run\.d"):
            read_table(tmp_path / "series.csv")
    # keys only one side gives are not compared; numbers compare by value
    assert first_difference({"run": {"lam": 10}}, {"run": {"lam": 10.0, "k": 3}}) is None
    assert first_difference({"a": [1, 2]}, {"a": [1, 3]}) == ("a", [1, 2], [1, 3])


def test_an_array_not_of_its_recorded_shape_is_refused(tmp_path):
    path = tmp_path / "sim.npz"
    save_stage(path, {"x": np.zeros((2, 3))}, params={"d": 3})
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["x"] = np.zeros((4, 3))
    np.savez(path, **arrays)
    with pytest.raises(ProvenanceMismatchError, match=r"array 'x' was recorded with shape "
                                                      r"\(2, 3\), the file has shape \(4, 3\)"):
        load_stage(path)


def test_a_bad_stage_file_ends_the_script_with_one_line(tmp_path):
    (tmp_path / "sim.npz").write_bytes(b"PK\x03\x04 truncated")
    code = ("from types import SimpleNamespace\n"
            "from hdsgd.job import stage_job\n"
            "from hdsgd.stages import load_stage\n"
            f"job = SimpleNamespace(rule='toy_sim_series', params={{}}, "
            f"log=[{str(tmp_path / 'logs/toy/series.log')!r}])\n"
            "with stage_job(job):\n"
            f"    load_stage({str(tmp_path / 'sim.npz')!r})\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert lines[0].startswith("[toy/series] error: stage file ") and "corrupt" in lines[0]
    assert (tmp_path / "logs/toy/series.log").read_text() == lines[0].split("] ", 1)[1] + "\n"


def test_an_unwritable_results_directory_is_one_line(tmp_path, monkeypatch):
    """A read-only results directory (simulated: root may write anywhere) is one line."""
    import tempfile

    def refuse(*args, dir=None, **kwargs):
        raise PermissionError(13, "Permission denied", str(dir))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(StageFileError, match=r"cannot write .*x\.npz: permission denied on "):
        save_stage(tmp_path / "results" / "x.npz", {"x": np.zeros(2)}, params={})
    assert not (tmp_path / "results" / "x.npz").exists()
