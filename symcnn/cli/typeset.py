"""The commands that write formulas: derive (with --compose, --gradient, --deltas),
document, and init / examples that write specs (summary is in summary.py: it needs
none of the formulas)."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path


from ..errors import SymcnnError
from ..limits import ELIDE_ABOVE_TERMS, ELIDED_SUM_TERMS, MIN_WIDTH
from ..files.spec import Spec, read_spec
from ..files.tomlfile import read_text
from ..files.torchfiles import is_state_dict_path
from ..files.weights import is_weight_file
from ..formulas.formulacheck import Checker
from ..formulas.texfile import annotate, check_tex, nothing_checked
from ..symbolic.trace import build_trace
from ..typeset.beamer import (
    FRAME_DEFINITIONS,
    SLIDE_WIDTH,
    beamer_document,
    derivation_frames,
)
from ..typeset.beamer_document import spec_frames
from ..typeset.derivation import Derivation
from ..typeset.document import (
    PAGE_WIDTH,
    pdf_bytes,
    require_pdflatex,
    spec_section,
    standalone,
)
from ..typeset.gradients import delta_lines, gradient_lines
from ..typeset.definitions import activation_definitions, winner_definitions
from ..typeset.latex import FLOAT_DECIMALS, check_decimals, check_elide
from ..typeset.rows import rows_latex, rows_text
from .composition import composition_text
from .examples import copy_all_examples, copy_example, example_specs, template
from .examples import title as example_title
from .files import (
    atomic_output,
    emit,
    emit_lines,
    load_weights,
    refuse_overwrite,
    write_new_file,
)
from .expanded_size import check_expanded_size
from .jsonout import json_text


def cmd_derive(args) -> int:
    spec = read_spec(args.spec, max_terms=args.max_terms)
    check_width(args.width)
    check_elide(args.elide, "--elide")
    refuse_overwrite(args.output, force=args.force)
    weights = load_weights(spec, args.weights, args.missing) if args.weights else None
    if args.beamer and (args.compose or args.gradient or args.deltas):
        raise SymcnnError(
            "--beamer writes the derivation's frames; --compose, --gradient and "
            "--deltas have none: leave out --beamer and use --format latex"
        )
    if args.compose:
        emit(
            composition_text(spec, weights, args.format), args.output, force=args.force
        )
        return 0
    if args.gradient or args.deltas:
        emit(gradient_text(spec, args), args.output, force=args.force)
        return 0
    trace = build_trace(spec.network, loss=spec.loss)
    derivation = Derivation(trace, spec.data, weights, shown_decimals(args))
    # Command-line options win over the spec's [latex] table, whose width is a
    # page's: slides have their own (SLIDE_WIDTH).
    page_width = SLIDE_WIDTH if args.beamer else spec.latex.get("width")
    args.width = args.width or page_width
    args.expanded = args.expanded or spec.latex.get("expanded", False)
    cdot = args.cdot or spec.latex.get("cdot", False)
    as_text = args.format == "text" and not (args.beamer or args.document)
    elide = derive_elide(args, trace, None if as_text else spec.latex.get("elide"))
    style = dict(
        elide=elide,
        mul_symbol="dot" if cdot else None,
        expanded=args.expanded,
    )
    if args.beamer:
        text = derivation_frames(
            derivation, width=args.width, per_neuron=args.per_neuron, **style
        )
        if args.document:
            text = beamer_document(text, title=Path(args.spec).name)
        else:
            text = FRAME_DEFINITIONS + text
    elif args.format == "json":
        if args.expanded:  # refused before the work when too long (expanded_size.py)
            check_expanded_size(derivation)
        text = json_text(derivation.to_json(expanded=args.expanded), indent=2)
    elif args.format == "latex" or args.document:
        text = derivation.to_latex(
            width=args.width, per_neuron=args.per_neuron, **style
        )
        if args.document:
            text = standalone(f"\\[\n{text}\n\\]", title=Path(args.spec).name)
    else:  # written as printed: a big network's first rows come at once
        lines = derivation.iter_text(
            expanded=args.expanded, width=args.width or 80, elide=elide
        )
        emit_lines(lines, args.output, force=args.force)
        return 0
    emit(text, args.output, force=args.force)
    return 0


def derive_elide(args, trace, given: int | None) -> int | None:
    """--elide N, else `given` (the spec's), else for a trace of more than
    ELIDE_ABOVE_TERMS terms ELIDED_SUM_TERMS (said on stderr); --no-elide: every
    term (argparse refuses it with --elide). JSON is always whole."""
    if args.no_elide or args.format == "json":
        return None
    if args.elide is not None or given is not None:
        return args.elide if args.elide is not None else given
    if trace.terms <= ELIDE_ABOVE_TERMS:
        return None
    print(
        f"symcnn derive: {trace.terms:,} terms, over {ELIDE_ABOVE_TERMS:,}: sums of "
        f"more than {ELIDED_SUM_TERMS} terms are written a + b + c + ... + z; "
        "--no-elide writes every term, --elide N keeps N",
        file=sys.stderr,
    )
    return ELIDED_SUM_TERMS


def check_width(width: int | None) -> None:
    if width is not None and width < MIN_WIDTH:
        raise SymcnnError(
            f"--width {width} is too narrow: it counts digits as printed (the width "
            f"of a 0) and must be at least MIN_WIDTH = {MIN_WIDTH}; use {MIN_WIDTH} "
            "or more"
        )


def shown_decimals(args) -> int | None:
    """--decimals, checked; weights read from floats (a .pt file) print as decimals
    unless it says otherwise."""
    decimals = check_decimals(args.decimals, "--decimals")
    if decimals is None and args.weights and is_state_dict_path(args.weights):
        return FLOAT_DECIMALS
    return decimals


def gradient_text(spec: Spec, args) -> str:
    """derive --gradient NAME / --deltas, as text, LaTeX or JSON."""
    trace = build_trace(spec.network, loss=spec.loss)
    fmt = "latex" if args.format in ("latex", "json") else "text"
    weights = (
        load_weights(spec, args.weights, args.missing) if args.weights else None
    )
    rows = (
        gradient_lines(trace, args.gradient, fmt, weights) if args.gradient else []
    )
    if args.deltas:
        rows += delta_lines(trace, fmt, weights)
    if args.format == "json":
        return json_text({"rows": [list(row) for row in rows]}, indent=2)
    # firstmax_{i}, the derivative of a max pool, defined where the rows use it.
    printed = " ".join(rhs for _, _, rhs in rows)
    notes = [
        *(f"where {line}" for line in activation_definitions(spec.network)),
        *(f"where {line}" for line in winner_definitions(printed)),
        "Per sample: L sums these over the samples.",
        *(f"At kinks: {c}." for c in sorted(kink_conventions(spec.network))),
    ]
    if args.format == "latex":
        latex_notes = activation_definitions(spec.network, "latex")
        latex_notes += winner_definitions(printed, "latex")
        return rows_latex(rows, args.width, latex_notes)
    return rows_text(rows, args.width or 80, notes)


def kink_conventions(network) -> set[str]:
    return {
        layer.activation.convention()
        for layer in network.layers
        if getattr(layer, "activation", None) is not None and layer.activation.has_kink
    }


def cmd_document(args) -> int:
    """One LaTeX document of every spec given (each with its -weights.toml), and its
    PDF with --pdf."""
    output = Path(args.output)
    if output.suffix != ".tex":
        raise SymcnnError(
            f"-o {args.output!r}: the document is a .tex file; use a name ending "
            "in .tex"
        )
    check_width(args.width)
    pdf = str(output.with_suffix(".pdf")) if args.pdf else None
    refuse_overwrite(args.output, pdf, force=args.force)
    if args.pdf:
        require_pdflatex(beamer=args.beamer)
    # A glob like derivations/*.toml brings the weight files too: each is used with
    # its spec (<name>-weights.toml), not as a spec of its own.
    specs = [Path(p) for p in args.spec if not is_weight_file(p)]
    section, wrap = spec_section, standalone
    if args.beamer:
        section, wrap = spec_frames, beamer_document
    width = args.width or (SLIDE_WIDTH if args.beamer else PAGE_WIDTH)
    body = "\n\n".join(
        section(
            path, width=width, max_terms=args.max_terms, per_neuron=args.per_neuron
        )
        for path in specs
    )
    document = wrap(body, title=args.title)
    # Compiled before anything is written: a LaTeX error leaves the user's files as
    # they were, and pdflatex's .aux and .log stay in its private folder.
    compiled = None
    if args.pdf:  # an Overfull \hbox in the log: a formula off the page, said on stderr
        compiled = pdf_bytes(document, args.output, warn=print_warning)
    write_new_file(args.output, document, force=args.force)
    print(f"Wrote {args.output}")
    if compiled is not None:
        with atomic_output(pdf) as temporary:
            Path(temporary).write_bytes(compiled)
        print(f"Wrote {pdf}")
    return 0


def print_warning(text: str) -> None:
    print(text, file=sys.stderr)


def cmd_init(args) -> int:
    name = Path(args.name).name.removesuffix(".toml")
    if not name:
        raise SymcnnError(f"{args.name!r} is not a file name; try `symcnn init mynet`")
    target = Path(args.name).with_name(f"{name}.toml")
    write_new_file(str(target), template(name), force=args.force)
    print(f"Wrote {target}; try: symcnn run {target}")
    return 0


def cmd_examples(args) -> int:
    if args.name is None and args.to is None:
        specs = example_specs()
        width = max(map(len, specs))
        for name, path in specs.items():
            line = f"{name.ljust(width)}  {example_title(path)}"
            print(line if len(line) <= 80 else line[:77] + "...")
        print(
            "Copy one: symcnn examples NAME [--to DIR]; "
            "all: symcnn examples --to DIR"
        )
        return 0
    folder = Path(args.to or ".")
    if args.name is None:
        copied = copy_all_examples(folder, force=args.force)
    else:
        copied = copy_example(args.name, folder, force=args.force)
    for path in copied:
        print(f"Wrote {path}")
    return 0


def line_range(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    first, _, last = text.partition("-")
    # isdigit() accepts "²" and "٣", which int() refuses or reads: ASCII digits only,
    # and few enough of them that int() never meets a 5000-digit line number.
    digits = [p.isascii() and p.isdigit() and len(p) <= 9 for p in (first, last)]
    if not all(digits) or int(first) > int(last):
        raise SymcnnError(f"--lines {text!r} is not a range like 10-40")
    return int(first), int(last)


def cmd_verify(args) -> int:
    """verify: exit 0 only when every equation was read and is right; 1 when one is
    wrong or not understood (a CI gate must not pass formulas nobody checked)."""
    if args.annotate and not args.tex:
        raise SymcnnError(
            "--annotate writes the .tex file given by --tex with its wrong terms "
            "underlined; with --formula there is no file to annotate: use --tex FILE"
        )
    spec = read_spec(args.spec, max_terms=args.max_terms)
    weights = load_weights(spec, args.weights, args.missing) if args.weights else None
    checker = Checker(
        build_trace(spec.network, loss=spec.loss),  # L(w) is the spec's loss
        spec.data,
        weights,
        same_letter_case=args.same_letter_case,
        decimals=shown_decimals(args),  # derive's rule: .pt weights print rounded
    )
    if args.tex:
        refuse_overwrite(args.annotate, force=args.force)
        tex = read_text(args.tex, "file")
        results = check_tex(checker, tex, line_range(args.lines))
        if not results:
            raise SymcnnError(nothing_checked(tex, args.tex, line_range(args.lines)))
        verdicts = [v for _, block_verdicts in results for v in block_verdicts]
        if args.annotate:
            write_new_file(args.annotate, annotate(tex, results), force=args.force)
    else:
        verdicts = [v for text in args.formula for v in checker.check(text)]
    if args.format == "json":
        print(
            json_text(
                {
                    "verdicts": [
                        {
                            "line": v.line,
                            "lhs": v.lhs,
                            "status": v.status,
                            "differences": list(v.differences),
                            "reason": v.reason,
                        }
                        for v in verdicts
                    ]
                },
                indent=2,
            )
        )
    else:
        for verdict in verdicts:
            place = f"line {verdict.line}: " if verdict.line else ""
            detail = "; ".join(verdict.differences) or verdict.reason
            text = f"{place}{verdict.lhs}: {verdict.status}" + (
                f": {detail}" if detail else ""
            )
            print("\n".join(textwrap.wrap(text, 80, subsequent_indent="    ")))
        counts = {
            s: sum(v.status == s for v in verdicts)
            for s in ("correct", "wrong", "not understood")
        }
        print(", ".join(f"{n} {s}" for s, n in counts.items()))
    return 0 if verdicts and all(v.status == "correct" for v in verdicts) else 1
