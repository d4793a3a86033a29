"""Every limit on what symcnn accepts from a user, in one place, each enforced before
the work it protects and named in the message that refuses it.

Each limit is far above what a lecture needs and far below what would exhaust a
machine: a spec of the lecture's kind is a few kilobytes, its numbers have a few
digits, its formulas nest a few levels deep.
"""

#: Bytes read from any user file (spec, weights, .tex); the L8 weights as arrays are
#: about 20 kB. Reads are bounded (a device or a FIFO is refused before reading).
MAX_FILE_BYTES = 1_000_000

#: Seconds pdflatex may run on one document: every derivation of the lecture in one
#: document compiles in about 2 s here; a loop (\loop\iftrue\repeat) would run forever.
PDFLATEX_SECONDS = 60
