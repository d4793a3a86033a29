"""Every limit on what symcnn accepts from a user, in one place, each enforced before
the work it protects and named in the message that refuses it.

Each limit is far above what a lecture needs and far below what would exhaust a
machine: a spec of the lecture's kind is a few kilobytes, its numbers have a few
digits, its formulas nest a few levels deep.
"""

#: Bytes read from any user file (spec, weights, .tex); the L8 weights as arrays are
#: about 20 kB. Reads are bounded (a device or a FIFO is refused before reading).
MAX_FILE_BYTES = 1_000_000

#: More bytes a weight file may have per parameter of the network it is read for:
#: train --save writes about 31 per parameter (LeNet-5's 61,706: 1.9 MB, once refused
#: by the 1 MB that check then allowed), the longest line fewer than 64.
WEIGHT_FILE_BYTES_PER_PARAMETER = 64

#: Nesting of arrays and tables in a spec or weight file: an image is 3 deep inside
#: [data] (5 in all), a conv weight 4; tomllib and NumPy recurse once per level.
MAX_NESTING = 32

#: Digits of any user number written out in full (1e308 is 309 digits, a double's
#: smallest 5e-324 has 325 in its denominator): exact arithmetic on them stays fast,
#: and Python refuses to print integers of over 4300 digits.
MAX_NUMBER_DIGITS = 1000

#: Terms in a trace whatever `max_terms` (--max-terms) says: each is a SymPy object of
#: a few hundred bytes, so 10^9 of them is hundreds of GB (the default is 500,000).
MAX_TRACE_TERMS = 1_000_000_000

#: Characters of one typed formula (`verify`); slide L1's F_NN(P) written out in
#: pixels is about 400, a printed page about 3,000. Parsing and comparing grow with it.
MAX_FORMULA_CHARS = 20_000

#: Brackets ( { nested in one typed formula; the lecture's deepest, f(f(...)...) with
#: \left( and a group, is 4. The parser, SymPy's expand and its printer recurse once
#: or more per level, and 40 levels stay far inside Python's recursion limit.
MAX_FORMULA_DEPTH = 40

#: |exponent| of a power in a typed formula, which must be a whole number: the loss
#: squares; 9^{9^{9}} would compute a number of 370 million digits.
MAX_FORMULA_EXPONENT = 16

#: Terms a typed formula may expand to (a bound counted before expanding: sums add,
#: products multiply, a power of n multiplies n times); (p_{11} + ... + p_{23})^{16}
#: has 20,349 and takes seconds, a slide's formula a few dozen.
MAX_FORMULA_TERMS = 10_000

#: Digits of the numbers a typed formula computes (a bound counted before computing:
#: products add digits, a power of n multiplies them by n); below Python's 4,300, so
#: every number a verdict prints can be printed.
MAX_FORMULA_DIGITS = 4_000

#: Seconds pdflatex may run on one document: every derivation of the lecture in one
#: document compiles in about 2 s here; a loop (\loop\iftrue\repeat) would run forever.
PDFLATEX_SECONDS = 60

#: Threads of the C backend ($SYMCNN_THREADS): blocks of 16 samples run at once, one
#: run per thread, so more threads than CPUs only add switching; 1024 is above any
#: machine's CPU count here and keeps a typo (99999999) from asking for millions.
MAX_THREADS = 1024

#: Pixels of one figure (`plot`): 10 million is 34 rows of 6 grids (1320 x 7510
#: pixels, 40 MB to draw, about 4 s here); 3000 filters would make 1320 x 110030.
MAX_FIGURE_PIXELS = 10_000_000

#: Parameters up to which `check` computes the Hessian's eigenvalue signs (a matrix of
#: n^2 exact entries, eliminated in n^3 steps); the count-11 net has 15.
MAX_HESSIAN_PARAMETERS = 64

#: Exact steps (parameters x trace terms x samples) the Hessian may take: about one
#: microsecond each here (rational weights on a 27k-term conv stack, 55 parameters,
#: 2 samples: 3.5 s, the first-order check 2.5 s), so at most about 10 s.
MAX_HESSIAN_WORK = 10_000_000

#: Seconds the exact elimination that classifies the Hessian (its eigenvalue signs)
#: may take. Its cost is not the matrix size but the digits its entries grow to:
#: 27 parameters with 480-digit fractions took 68 s, random 100-bit fractions 8 s;
#: a lecture net's takes milliseconds. Past it the verdict is "not classified".
MAX_INERTIA_SECONDS = 10

#: Layers of one network: F_NN(P) nests one level deeper per layer, and SymPy's
#: printers and substitution recurse about ten Python frames per level, so 100
#: layers overflowed Python's recursion limit (1000); the lecture's deepest network
#: has 4 layers and LeNet-5 7. 50 leave room for a caller's own stack (pytest, Jupyter).
MAX_LAYERS = 50

#: Symbols and operations in one printed formula (about 9 characters each): L8's
#: F_NN(P) expanded to pixels has 65 thousand (609 thousand characters, 2 s); each
#: unnamed dense layer of n units can multiply the length by n, so 18 layers of 2
#: units would print 2^18 copies of the first layer's sums.
MAX_PRINTED_SIZE = 500_000

#: Trace terms above which `derive` writes sums of more than ELIDED_SUM_TERMS terms
#: as a + b + c + ... + z, unless --elide N or --no-elide says otherwise: LeNet-5
#: (287 thousand terms, dense rows of 256) written whole is 8.6 MB of text; every
#: lecture net stays whole (the L8 net has 11 thousand terms, the digits net 3,400).
ELIDE_ABOVE_TERMS = 100_000

#: Terms a sum keeps, the last one included, where `derive` elides by default.
ELIDED_SUM_TERMS = 4


#: Digits Python may print of one exact result (its default, 4,300, guards parsing
#: untrusted text; symcnn parses user numbers itself, at most MAX_NUMBER_DIGITS each).
#: Exact results grow past inputs: with 50 layers of 1,000-digit weights a squared loss
#: has ~100,000 digits, printed in 0.1 s; 200,000 digits take 0.4 s.
MAX_RESULT_DIGITS = 200_000

#: Pixel values of one alphabet ([data] alphabet): the images to check number
#: (values)^(pixels), so 3 values on 4x4 are 43 million and 16 on 2x2 65,536.
MAX_ALPHABET_SIZE = 16

#: Numerator and denominator of a pixel value are below this ([data] alphabet): pixel
#: values are small numbers (-1, 0, 1, 1/2) and the exact integer engine scales them
#: by their common denominator.
MAX_ALPHABET_VALUE = 1000

#: Images `check --exhaustive` enumerates at most; above it (or above --max-images)
#: it samples and says "not a proof". 2^30 images of a small net take minutes in C.
MAX_EXHAUSTIVE_IMAGES = 2**30

#: Images (len(alphabet) ** pixels of the spec's [data] alphabet, binary by default)
#: up to which `explore` checks the spec's target live on every one (2^12 binary
#: images of 12 pixels; the page stores each one, 12 bytes and the target, about
#: 100 kB, and re-runs all of them on every edit in milliseconds).
MAX_EXPLORE_VERDICT_IMAGES = 4096

#: Trace terms of a network `explore` writes a page for: the page carries every value's
#: formula and numbers as MathML, about 1 kB per term (count-11: 58 terms, 58 kB; a
#: conv net of 20,000 terms made 19 MB in 30 s), so 5,000 terms stay near 5 MB.
MAX_EXPLORE_TERMS = 5_000

#: Patch classes a proof for every image size evaluates exactly (prove/patches.py):
#: (values)^(channels x patch pixels); a 3x3 binary patch has 512, proven in 0.15 s
#: here (0.3 ms each), so the limit is about 20 s.
MAX_PATCH_CLASSES = 65_536

#: Images `[data] samples = "all"` (train --data all) trains on at most: every 4x4
#: binary image, 2^16; each is an exact sample and a row of the compiled batch.
MAX_TRAINING_IMAGES = 65_536

#: The narrowest `--width` derive and document break formulas at, in digits as
#: printed (typeset/glyphs.py): narrower, a line holds hardly a term.
MIN_WIDTH = 20
