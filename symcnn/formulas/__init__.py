"""Stage 7, formulas: LaTeX a lecturer typed, parsed (never evaluated) and checked.

Owns the LaTeX tokenizer and grammar and the checker that compares typed formulas with
the derived ones (`symcnn verify`). May import `model`, `symbolic` and `typeset`.
"""
