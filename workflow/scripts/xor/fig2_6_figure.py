"""Figure 2.6 (reconstruction): a run that converges to a sub-optimal classifier; its vv outlier
space is rank deficient."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.data.xor import HIDDEN_NAMES
    from hdsgd.plotting.alignment_panels import ordered_colors
    from hdsgd.plotting.style import mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    p = snakemake.params.run
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2, nrows=2, sharex=True, height=5.2)
    colors = ordered_colors(max(p["K"], 4))

    def q(name):
        return s[s["quantity"] == name]

    for ax, m, title in [(axes[0, 0], "hessian", r"eigenvalues of $\nabla^2_{vv}\hat R$"),
                         (axes[0, 1], "G", r"eigenvalues of $\hat G_{vv}$")]:
        for j in range(1, p["K"] + 1):
            d = q(f"eig_{m}_{j}")
            ax.plot(d["time"], d["value"], color=colors[j - 1], lw=1.0)
        e = q(f"edge_{m}")
        ax.plot(e["time"], e["value"], color="0.3", ls=(0, (1, 1)), lw=1.2,
                label="bulk edge (class means projected out)" if m == "hessian" else None)
        ax.set_yscale("log")
        ax.set_title(title)
    ax = axes[1, 0]
    for j in range(1, 5):
        d = q(f"sv{j}")
        ax.plot(d["time"], d["value"], color=colors[j - 1], label=f"$s_{j}$")
    ax.set_yscale("log")
    ax.set_title(r"singular values of $[g(W\vartheta)]_{\vartheta=\pm\mu,\pm\nu}$")
    ax = axes[1, 1]
    for c, name in enumerate(HIDDEN_NAMES):
        d = q(f"accuracy_{name}")
        ax.plot(d["time"], d["value"], color=colors[c], ls="--",
                label=f"accuracy, hidden class ${name[0]}\\{name[1:]}$")
    d = q("accuracy")
    ax.plot(d["time"], d["value"], color="k", label="accuracy, all")
    ax.set_ylim(0, 1.02)
    ax.set_title("test accuracy")
    for ax in axes[1]:
        ax.set_xlabel(r"rescaled time $\ell\delta$")
    handles, labels = [], []
    for ax in (axes[0, 0], axes[1, 0], axes[1, 1]):
        h, lab = ax.get_legend_handles_labels()
        handles += h
        labels += lab
    fig.legend(handles, labels, loc="outside lower center", ncols=3, frameon=False)
    fig.suptitle(f"Fig 2.6: sub-optimal XOR run, K={p['K']}, seed {p['seed']}, d={p['d']}, "
                 f"$\\lambda$={p['lam']:g}", fontsize=9)
    mark_stand_in(fig, "Fig 2.6 reconstructed from the abstract's rank-deficiency claim "
                  "(paper text unavailable); small K and a seed chosen by the seed scan")
    save_pdf(fig, snakemake.output[0])
