"""hdsgd: reproducible figures for the theory of SGD in high dimensions.

Layers (a lower layer never imports a higher one):
data models (``data``, ``models``) -> training (``training``) -> observables
(``observables``) -> theory (``theory``) -> plotting (``plotting``).
``stages``, ``progress``, ``logs`` and ``agreement`` are plumbing used by every layer's
workflow entry points.
"""

__version__ = "0.1.0"
