"""Alignment paper (arXiv 2310.03010): config checks and helpers shared by its rules
(alignment.smk for the k-GMM figures, alignment_xor.smk for the XOR figures)."""


ALIGN = config["alignment"]
ALIGN_FIGS = ["fig2_1", "fig2_2", "fig2_3", "fig9_1", "fig9_2"]
check_section("alignment")
for _name, _run in ALIGN["runs"].items():
    check(
        _run["mean_spacing"] * _run["k"] <= _run["d"],
        f"alignment.runs.{_name}.mean_spacing",
        f"mean_spacing * k = {_run['mean_spacing'] * _run['k']} exceeds d = {_run['d']}",
    )
    check(
        3 * ALIGN["spectra"]["n_eig"] <= _run["d"],
        "alignment.spectra.n_eig",
        f"n_eig = {ALIGN['spectra']['n_eig']} too large for d = {_run['d']} (need 3 n_eig <= d)",
    )
    check(
        ALIGN["spectra"]["n_eig"] >= _run["k"] + ALIGN["spectra"]["n_bulk"],
        "alignment.spectra.n_eig",
        f"n_eig must be at least k + n_bulk = {_run['k'] + ALIGN['spectra']['n_bulk']}",
    )
for _fig in ALIGN_FIGS:
    check(
        ALIGN[_fig]["run"] in ALIGN["runs"],
        f"alignment.{_fig}.run",
        f"unknown run {ALIGN[_fig]['run']!r}",
    )
    FIGURES.append(f"<figures>/{_fig}.pdf")
    AGREEMENTS.append(f"<results>/alignment/{_fig}/agreement.csv")


def align_run_files(fig, *stages):
    """Stage files of the run that figure `fig` draws (config alignment.<fig>.run)."""
    return {s: f"<results>/alignment/{ALIGN[fig]['run']}/{s}.npz" for s in stages}


def align_run(fig):
    return ALIGN["runs"][ALIGN[fig]["run"]]

XOR = config["xor"]
check_section("xor")
for _name, _run in XOR["runs"].items():
    check(
        3 * XOR["spectra"]["n_eig"] <= _run["d"],
        "xor.spectra.n_eig",
        f"n_eig = {XOR['spectra']['n_eig']} too large for d = {_run['d']} (need 3 n_eig <= d)",
    )
    check(
        _run["K"] <= _run["d"],
        f"xor.runs.{_name}.K",
        f"K = {_run['K']} exceeds d = {_run['d']}",
    )
XOR_FIGS = {"fig2_4": "fig2_4", "fig2_5": "fig2_5", "fig2_6": "fig2_6",
            "first_layer": "xor_first_layer"}  # subject -> figure name (config key)
for _fig in XOR_FIGS.values():
    check(
        XOR[_fig]["run"] in XOR["runs"],
        f"xor.{_fig}.run",
        f"unknown run {XOR[_fig]['run']!r}",
    )
    FIGURES.append(f"<figures>/{_fig}.pdf")
    AGREEMENTS.append(f"<results>/xor/{_fig}/agreement.csv")
for _fig in ("fig2_4", "xor_first_layer"):
    check(
        XOR["runs"][XOR[_fig]["run"]]["first_layer_spectra"],
        f"xor.runs.{XOR[_fig]['run']}.first_layer_spectra",
        f"{_fig} needs the first-layer spectra of its run",
    )
check(
    XOR["seed_scan"]["run"] in XOR["runs"],
    "xor.seed_scan.run",
    f"unknown run {XOR['seed_scan']['run']!r}",
)


def xor_run_files(fig, *stages):
    """Stage files of the run that figure `fig` draws (config xor.<fig>.run)."""
    return {s: f"<results>/xor/{XOR[fig]['run']}/{s}.npz" for s in stages}
