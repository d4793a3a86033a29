"""The --backend choices, named without SymPy or the code generators, so that the
command line's parser is built without importing them (`symcnn summary`).
tests/cli/test_summary_no_sympy.py holds them equal to compile.py's BACKENDS."""

BACKENDS = ("auto", "python", "numpy", "c", "c-scalar", "llvm")
