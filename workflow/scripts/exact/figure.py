"""Dispatcher: run the drawing script ``<params.which>.py`` (fig1..fig5) of this directory.

The per-figure scripts only read their stage tables and draw (logging through
``hdsgd.logs.log_to``); they see the same ``snakemake`` object as this script.
"""

import runpy
from pathlib import Path

script = Path(snakemake.input.script).resolve()
runpy.run_path(str(script), init_globals={"snakemake": snakemake}, run_name="__main__")
with open(snakemake.log[0], "a") as fh:
    fh.write(f"drawing {snakemake.params.which} with {script.name}: done\n")
