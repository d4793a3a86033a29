"""The printers' widths and decimals that the command line names in its help: here,
without SymPy, so that `symcnn summary` builds its parser without importing it
(beamer.py, document.py and numbers.py use them from here)."""

#: Beamer's text width, 307.29 pt, in digits of its 10.95 pt math font (5.475 pt).
SLIDE_WIDTH = 56
#: Formulas are broken to this many digits of printed width (glyphs.py): an
#: article's 10 pt text is 483.7 pt = 96 digits wide (2 cm margins on A4/letter).
PAGE_WIDTH = 90
#: Significant digits of weights read from floats: float32, PyTorch's default, holds
#: 7.2 decimal digits, so 7 shows its 0.1 and 0.3 as 0.1 and 0.3 (8 would show
#: 0.30000001, the float32 nearest 0.3, and 9 0.100000001).
FLOAT_DECIMALS = 7
