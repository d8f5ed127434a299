"""Every rule is named <section>_<subject>_<role>[_<suffix>] (docs/ARCHITECTURE.md, stage roles).

A reader who knows one paper's chain finds any other's: the same role names everywhere.
"""

import re

from .conftest import copy_workflow, run_snakemake

SECTIONS = ("alignment", "xor", "gf_real", "gf", "exact", "geometry")
ROLES = ("data", "simulation", "observables", "theory", "series", "figure")
SHARED = {"all", "scorecard"}
NAME = re.compile(rf"^(?:{'|'.join(SECTIONS)})_[a-z0-9]+(?:_[a-z0-9]+)*?_(?:{'|'.join(ROLES)})"
                  r"(?:_[a-z0-9]+)*$")


def test_name_pattern():
    good = ["alignment_gmm_data", "alignment_gmm_observables_train", "gf_fig3_series",
            "gf_real_fig1_simulation", "exact_fig1a_theory", "geometry_fig2_figure"]
    bad = ["gf_fig2_sim", "alignment_fig2_1", "exact_tables", "gf_fig3_compare", "xor_figure"]
    assert all(NAME.match(n) for n in good)
    assert not any(NAME.match(n) for n in bad)


def test_every_rule_follows_the_stage_naming_scheme(tmp_path):
    work = copy_workflow(tmp_path)
    rules = run_snakemake(work, "--list-rules").stdout.split()
    assert "all" in rules and len(rules) > 20
    wrong = sorted(r for r in rules if r not in SHARED and not NAME.match(r))
    assert not wrong, f"rules not named <section>_<subject>_<role>: {wrong}"
