"""Stage 3, symbolic: the Trace, the straight-line program a network computes.

Owns the trace rows (`a_11 := p_11 w_1 + p_12 w_2`), order-keeping sums and products,
reverse mode over the rows (the gradient program every backend and the verifier run)
and the composition of linear filters. May import `model`.
"""
