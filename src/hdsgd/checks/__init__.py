"""Agreement rows of each figure family, computed from simulation and theory arrays.

Every function takes measured (simulation) arrays and, where a figure compares with theory,
independently computed theory arrays, and returns :func:`hdsgd.agreement.agreement_row` rows.
Keeping them here (not in workflow scripts) lets the negative-control tests feed them a
deliberately wrong theory and check that the main rows fail.
"""
