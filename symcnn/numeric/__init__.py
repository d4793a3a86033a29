"""Stage 5, numeric: the same gradient program as fast float64 code, and training.

Owns the one lambdify call site and the python/numpy/C/llvm backends, the optimizers,
training (restarts, mini-batches, nothing lost) and learned weights told exactly.
May import `model`, `symbolic` and `prove`.
"""
