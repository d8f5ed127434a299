"""The SLURM profile: a dry run shows every heavy rule's threads and resources on its jobs."""

import re

import pytest

from .conftest import copy_workflow, run_snakemake

pytest.importorskip("snakemake_executor_plugin_slurm")


def _job_block(out: str, rule: str) -> str:
    m = re.search(rf"rule {rule}:\n(.*?)\n\n", out, flags=re.S)
    assert m, f"no job of rule {rule} in the dry run"
    return m.group(1)


def test_slurm_dry_run_carries_rule_resources(tmp_path):
    work = copy_workflow(tmp_path)
    proc = run_snakemake(work, "figures/fig2_1.pdf", "-n", "--profile", "profiles/slurm")
    out = proc.stdout + proc.stderr
    spectra = _job_block(out, "alignment_gmm_observables")
    assert "threads: 2" in spectra
    assert "mem_mb=1500" in spectra and "runtime=30" in spectra
    # rules without their own resources get the profile's defaults
    assert "mem_mb=2000" in _job_block(out, "alignment_fig2_1_figure")
