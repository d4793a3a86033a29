"""The distances embeddings.py measures, named without SymPy: the command line's
--metric choices (`symcnn summary` builds that parser without importing SymPy)."""

METRICS = ("euclidean", "chebyshev", "cosine")
