"""Figure 2.6 (reconstruction): a run that converges to a sub-optimal classifier; its vv outlier
space is rank deficient."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.data.xor import HIDDEN_NAMES
    from hdsgd.plotting.alignment_panels import draw_over, index_colorbar, legend_below
    from hdsgd.plotting.style import log_y_labels, mark_stand_in, new_figure, save_pdf
    from hdsgd.stages import read_table

    p = snakemake.params.run
    s = read_table(snakemake.input.series)
    fig, axes = new_figure(ncols=2, nrows=2, sharex=True, height=5.4)
    colors = index_colorbar(fig, axes, p["K"], r"index $j$ of $\lambda_j$ (top panels)",
                            shrink=0.45, anchor=(0.0, 1.0))

    def q(name):
        return s[s["quantity"] == name]

    for ax, m, title in [(axes[0, 0], "hessian", r"eigenvalues of $\nabla^2_{vv}\hat R$"),
                         (axes[0, 1], "G", r"eigenvalues of $\hat G_{vv}$")]:
        for j in range(1, p["K"] + 1):
            d = q(f"eig_{m}_{j}")
            ax.plot(d["time"], d["value"], color=colors[j - 1], lw=1.0)
        e = q(f"edge_{m}")
        draw_over(ax, e["time"], e["value"], r"bulk edge (class means projected out)"
                  if m == "hessian" else None)
        ax.set_yscale("log")
        log_y_labels(ax)
        ax.set_title(title)
    ax = axes[1, 0]
    for j, marker in zip(range(1, 5), "os^D"):
        d = q(f"sv{j}")
        # s_1..s_3 coincide once the run has learned: their markers sit at staggered times
        ax.plot(d["time"], d["value"], color="0.2", lw=0.9, marker=marker, ms=3.5, mfc="none",
                markevery=(j - 1, 3),
                label=f"$s_{j}$" + (" (0 once the rank drops)" if j == 4 else ""))
    ax.set_yscale("log")
    log_y_labels(ax)
    ax.set_title(r"singular values of $[g(W\vartheta)]_{\vartheta=\pm\mu,\pm\nu}$")
    ax = axes[1, 1]
    styles = {"+mu": ("tab:blue", "^"), "-mu": ("tab:blue", "v"), "+nu": ("tab:red", "^"),
              "-nu": ("tab:red", "v")}
    for i, name in enumerate(HIDDEN_NAMES):
        d = q(f"accuracy_{name}")
        color, marker = styles[name]
        # the classes +c and -c share a colour and often their curve: markers alternate
        ax.plot(d["time"], d["value"], color=color, lw=0.9, marker=marker, ms=3.5,
                markevery=(i % 2, 2),
                label=f"hidden class ${name[0]}\\{name[1:]}$")
    d = q("accuracy")
    ax.plot(d["time"], d["value"], color="k", lw=1.6, label="all test samples")
    ax.set_ylim(0, 1.02)
    ax.set_title("test accuracy")
    for ax in axes[1]:
        ax.set_xlabel(r"rescaled time $\ell\delta$")
    legend_below(fig, ncols=3)
    fig.suptitle(f"Fig 2.6: sub-optimal XOR run, K={p['K']}, seed {p['seed']}, d={p['d']}, "
                 f"$\\lambda$={p['lam']:g}", fontsize=9)
    mark_stand_in(fig, "Fig 2.6 reconstructed from the abstract's rank-deficiency claim; "
                  "K and seed from a seed scan")
    save_pdf(fig, snakemake.output[0])
