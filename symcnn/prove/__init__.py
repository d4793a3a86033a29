"""Stage 4, prove: exact facts about given weights, in Rationals, nothing sampled.

Owns the exact check (outputs, loss, gradient, kinks, every binary image), curvature
(Hessian signs, one-sided gradients) and embeddings with their distances.
May import `model` and `symbolic`.
"""
