"""Generating-functions paper: config checks and helpers shared by its rules
(generating_functions.smk). Problems: synthetic (gf.problems) or real data (gf_real.problems,
built by gf_real_problem in gf_real_data.smk)."""

GF = config["gf"]
GFR = config["gf_real"]
check_section("gf")
GF_CATEGORY = "Generating functions, theory and synthetic data"


def gf_problem_size(name):
    """(N, config key of N) of a problem: synthetic (gf.problems) or real (gf_real.problems)."""
    if name in GF["problems"]:
        return GF["problems"][name]["n_data"], f"gf.problems.{name}.n_data"
    return GFR["problems"][name]["n_samples"], f"gf_real.problems.{name}.n_samples"


def gf_problem_file(name):
    """Stage file of a problem: synthetic (gf.problems) or real data (gf_real.problems)."""
    if name in GF["problems"]:
        return f"<results>/gf/problem_{name}/data.npz"
    return f"<results>/gf_real/problems/{name}/data.npz"


for _name in GF["problems"]:
    check(_name not in GFR["problems"], f"gf.problems.{_name}",
          "name also used by gf_real.problems")
_refs = {"gf.fig2.panels.mnist": GF["fig2"]["panels"]["mnist"],
         "gf.fig2.panels.synthetic": GF["fig2"]["panels"]["synthetic"],
         "gf.fig5.problem": GF["fig5"]["problem"],
         **{f"gf.critical.figures.{f}.problem": c["problem"]
            for f, c in GF["critical"]["figures"].items()}}
for _key, _name in _refs.items():
    check(_name in GF["problems"] or _name in GFR["problems"], _key,
          f"unknown problem {_name!r} (neither gf.problems nor gf_real.problems)")
# every batch size against the data it samples from
for _p in GF["fig2"]["panels"].values():
    check_batch("gf.fig2.batch_size", GF["fig2"]["batch_size"], *gf_problem_size(_p))
for _c in GF["critical"]["figures"].values():
    check_batch("gf.critical.batch_sizes", GF["critical"]["batch_sizes"],
                *gf_problem_size(_c["problem"]))
check_batch("gf.fig5.batch_sizes", GF["fig5"]["batch_sizes"],
            *gf_problem_size(GF["fig5"]["problem"]))
check_batch("gf.fig6.batch_size", GF["fig6"]["batch_size"], GF["fig6"]["n_modes"],
            "gf.fig6.n_modes")
check(len(GF["fig5"]["alphas"]) == len(GF["fig5"]["batch_sizes"]), "gf.fig5.alphas",
      "one learning rate per batch size")

GF_CRIT = sorted(GF["critical"]["figures"])
GF_FIGS = ["gf_fig2", "gf_fig3", "gf_fig4", "gf_fig5", "gf_fig6", *[f"gf_{f}" for f in GF_CRIT]]
for _fig in GF_FIGS:
    FIGURES.append(f"<figures>/{_fig}.pdf")
    AGREEMENTS.append(f"<results>/gf/{_fig}/agreement.csv")

def gf_panel_problem(wildcards):
    return gf_problem_file(GF["fig2"]["panels"][wildcards.panel])


def gf_crit_problem(wildcards):
    return gf_problem_file(GF["critical"]["figures"][wildcards.crit]["problem"])


def gf_crit_tau(name):
    """SE parameters of a problem's main comparison (synthetic: its se_tau; real data: the
    paper's MNIST fit)."""
    return GF["problems"][name]["se_tau"] if name in GF["problems"] else GF["real_se_tau"]
