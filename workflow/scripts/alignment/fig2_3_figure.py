"""Figure 2.3: H_11's top eigenvalues over training (left) and x^1 . mu_a (right), with theory."""

from hdsgd.job import stage_job

with stage_job(snakemake):
    from hdsgd.plotting.alignment_panels import legend_below
    from hdsgd.plotting.style import class_colors, new_figure, save_pdf
    from hdsgd.stages import read_table

    p = snakemake.params.run
    k = p["k"]
    s = read_table(snakemake.input.series)
    agree = read_table(snakemake.input.agreement)
    fig, axes = new_figure(ncols=2, height=3.0)
    colors = class_colors(k)
    ev = s[s["panel"] == "eigenvalues"]
    sim = ev[(ev["source"] == "simulation") & ev["series"].str.startswith("lambda_")]
    for j, (_name, g) in enumerate(sorted(sim.groupby("series"),
                                         key=lambda kv: int(kv[0].split("_")[1]))):
        outlier = j < k
        axes[0, 0].plot(g["time"], g["value"], color=colors[j] if outlier else "0.55",
                        lw=1.2 if outlier else 0.9, ls="-" if j <= k else (0, (1, 1)),
                        label=(f"$\\lambda_1..\\lambda_{{{k}}}$" if j == 0 else
                               (f"$\\lambda_{{{k + 1}}}$ (top of the bulk)" if j == k else
                                (f"$\\lambda_{{{k + 2}}}$" if j == k + 1 else None))))
    edge = ev[ev["source"] == "theory"]
    axes[0, 0].plot(edge["time"], edge["value"], "k--", lw=1.0, label="bulk edge (theory)")
    axes[0, 0].set_xlabel(r"rescaled time $\ell\delta$")
    axes[0, 0].set_ylabel(r"eigenvalues of $\nabla^2_{11}\hat R(x_\ell)$")
    ov = s[s["panel"] == "overlaps"]
    for a in range(k):
        g = ov[ov["series"] == f"a={a + 1}"]
        sim_a, th_a = g[g["source"] == "simulation"], g[g["source"] == "theory"]
        axes[0, 1].plot(sim_a["time"], sim_a["value"], color=colors[a])
        axes[0, 1].plot(th_a["time"], th_a["value"], color="k", ls=":", lw=0.9,
                        label="effective-dynamics ODE" if a == 0 else None)
    gap = agree[agree["claim"].str.startswith("x^1.mu_a")]["measured"].iloc[0]
    axes[0, 1].set_title(f"max |SGD $-$ ODE| / max ODE = {gap:.3f}", fontsize=8)
    axes[0, 1].set_xlabel(r"rescaled time $\ell\delta$")
    axes[0, 1].set_ylabel(rf"$x^1_\ell\cdot\mu_a$ (colour: a = 1..{k})")
    h0, l0 = axes[0, 0].get_legend_handles_labels()
    h1, l1 = axes[0, 1].get_legend_handles_labels()
    legend_below(fig, h0 + h1, l0 + l1, ncols=3)
    fig.suptitle(f"Fig 2.3: k-GMM, k={k}, d={p['d']}, $\\lambda$={p['lam']:g}, "
                 f"$\\beta$={p['beta']:g}, $\\delta$=1/d, test set {p['test_factor']:g}d",
                 fontsize=9)
    save_pdf(fig, snakemake.output[0])
