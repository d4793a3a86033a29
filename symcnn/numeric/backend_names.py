"""The --backend choices, named without SymPy or the code generators, so that the
command line's parser is built without importing them (`symcnn summary`);
compile.py takes them from here."""

BACKENDS = ("auto", "python", "numpy", "c", "c-scalar", "llvm")
