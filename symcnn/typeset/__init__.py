"""Stage 6, typeset: formulas and numbers as a lecture writes them.

Owns the LaTeX and text printers, line breaking, the derivation forms (equations,
F_NN(P), the loss), gradient formulas, numbers on slides, summaries, plots and whole
documents. May import `model`, `files`, `symbolic` and `prove` (a document shows
proofs), never `numeric`.
"""
