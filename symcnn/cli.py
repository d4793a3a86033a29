"""The `symcnn` command: derive, summary, check, train and run on spec files.

Exit codes: 0 done, 1 a check failed (wrong weights), 2 bad input (with a message on
stderr naming the file, the place and a fix; never a traceback).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from . import __version__
from .compose import compose, max_response
from .curvature import full_check
from .derivation import Derivation, rows_latex, rows_text
from .document import PAGE_WIDTH, compile_pdf, spec_section, standalone
from .embeddings import METRICS, embedding, exact_distance, layer_number, metric_latex
from .errors import SymcnnError
from .examples_cmd import copy_example, example_specs, template
from .examples_cmd import title as example_title
from .gradients import delta_lines, gradient_lines
from .latex import make_printer
from .layers import Conv2D
from .learned import describe
from .linebreak import text_lines
from .network import DEFAULT_MAX_TERMS
from .optimizers import OPTIMIZERS
from .plots import feature_map_grids, filter_grids, plot_grids, plot_loss
from .report import check_json, check_text, forward_json, forward_text
from .slides import grid_latex, step_trace
from .spec import Spec, read_spec
from .summary import summary_json, summary_latex, summary_markdown, summary_text
from .trace import build_trace
from .train_report import train_json, train_text
from .training import train
from .verify import channel_contributions, forward_exact
from .weights import read_weight_file, weight_file_text

EXAMPLES = {
    "derive": "symcnn derive derivations/count11.toml --format latex",
    "summary": "symcnn summary derivations/count11.toml --format markdown",
    "check": (
        "symcnn check derivations/count11.toml "
        "--weights derivations/count11-weights.toml --exhaustive"
    ),
    "train": (
        "symcnn train derivations/count11.toml --optimizer adam --seed 1 "
        "--save learned.toml"
    ),
    "run": "symcnn run derivations/count11.toml",
    "forward": "symcnn forward derivations/l6_multichannel.toml --per-channel",
    "plot": "symcnn plot derivations/l7_filters.toml --what maps -o l7.png",
    "document": "symcnn document derivations/*.toml -o lecture.tex --pdf",
    "embed": "symcnn embed derivations/l9_embeddings.toml --layer e --metric cosine",
    "init": "symcnn init mynet && symcnn run mynet.toml",
    "examples": "symcnn examples count11 && symcnn run count11.toml",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symcnn",
        description="Derive, typeset, prove and train small CNNs symbolically.",
        epilog="example: " + EXAMPLES["run"],
    )
    parser.add_argument("--version", action="version", version=f"symcnn {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, formats=("text", "json")):
        sub = commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=f"example: {EXAMPLES[name]}",
        )
        sub.add_argument("spec", metavar="SPEC", help="a TOML spec file (see README)")
        add_size_limit(sub)
        if formats:
            sub.add_argument("--format", choices=formats, default=formats[0])
        return sub

    derive = command(
        "derive",
        "the equations, F_NN(P) and the loss of a network",
        ("text", "latex", "json"),
    )
    derive.add_argument(
        "--expanded",
        action="store_true",
        help="also F_NN(P) fully expanded and the loss with images put in",
    )
    add_weight_options(derive, required=False)
    add_latex_options(derive)
    derive.add_argument(
        "--gradient",
        metavar="NAME",
        help="dL/dNAME for a parameter: chain rule and expanded",
    )
    derive.add_argument(
        "--deltas",
        action="store_true",
        help="the backpropagation equations, layer by layer",
    )
    derive.add_argument(
        "--compose",
        action="store_true",
        help="the one convolution a stack of linear filters equals, "
        "and the binary patch it answers most (slide L7)",
    )
    derive.add_argument(
        "--document",
        action="store_true",
        help="a standalone LaTeX document (amsmath), not a fragment",
    )
    derive.add_argument("-o", "--output", metavar="FILE", help="write here, not stdout")
    derive.add_argument("--force", action="store_true", help="overwrite FILE")

    command(
        "summary",
        "shapes, weights and biases per layer",
        ("text", "markdown", "latex", "json"),
    )

    checker = command("check", "prove facts about given weights in exact arithmetic")
    add_weight_options(checker, required=True)
    checker.add_argument(
        "--exhaustive",
        action="store_true",
        help="compare with the spec's [target] on every binary image",
    )

    trainer = command("train", "find weights by gradient descent on the compiled loss")
    add_train_options(trainer)

    forward = command("forward", "every layer's exact values on the spec's images")
    add_weight_options(forward, required=False)
    forward.add_argument(
        "--per-channel",
        action="store_true",
        help="also what each input channel adds to a convolution (slide L6)",
    )
    forward.add_argument(
        "--explain",
        metavar="NAME",
        help="a named value step by step, as LaTeX: a_{11} = p_{11} w_{1} + ... = 1",
    )

    document = commands.add_parser(
        "document",
        help="one LaTeX document (and PDF) of several specs",
        description="One LaTeX document of several specs: layers, formulas, values, "
        "checks; each spec's <name>-weights.toml is used when it exists.",
        epilog=f"example: {EXAMPLES['document']}",
    )
    document.add_argument("spec", nargs="+", metavar="SPEC")
    document.add_argument("-o", "--output", required=True, metavar="FILE.tex")
    document.add_argument("--pdf", action="store_true", help="also run pdflatex")
    document.add_argument("--title", default="symcnn", help="the document's title")
    document.add_argument(
        "--width",
        type=int,
        metavar="N",
        help=f"break formulas at N characters (default {PAGE_WIDTH})",
    )
    document.add_argument("--force", action="store_true", help="overwrite FILE")
    add_size_limit(document)

    embed = command("embed", "each image's embedding at a named layer, and distances")
    add_weight_options(embed, required=False)
    embed.add_argument(
        "--layer",
        required=True,
        metavar="NAME",
        help="a named layer (its outputs after the activation), or input",
    )
    embed.add_argument("--metric", choices=METRICS, default="cosine")

    init = commands.add_parser(
        "init",
        help="write a commented spec to start from",
        description="Write NAME.toml, a commented spec of the count-11 network.",
        epilog=f"example: {EXAMPLES['init']}",
    )
    init.add_argument("name", metavar="NAME")
    init.add_argument("--force", action="store_true", help="overwrite NAME.toml")

    examples = commands.add_parser(
        "examples",
        help="list the lecture's specs, or copy one here",
        description="Without NAME, list the lecture's specs that come with symcnn; "
        "with NAME, copy it (and its weights) into --to (default: here).",
        epilog=f"example: {EXAMPLES['examples']}",
    )
    examples.add_argument("name", nargs="?", metavar="NAME")
    examples.add_argument("--to", default=".", metavar="FOLDER")
    examples.add_argument("--force", action="store_true", help="overwrite files")

    plot = command("plot", "draw a network's filters or feature maps as grids", ())
    add_weight_options(plot, required=False)
    plot.add_argument(
        "--what",
        choices=("filters", "maps"),
        default="maps",
        help="conv filters, or every layer's values on one image",
    )
    plot.add_argument(
        "--sample",
        type=int,
        default=1,
        help="which image of the spec for maps (1-based)",
    )
    plot.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="the image to write (PNG, SVG, PDF)",
    )
    plot.add_argument("--force", action="store_true", help="overwrite FILE")

    run = command(
        "run",
        "the whole story: summary, derivation, values or proof, training",
        formats=(),
    )
    run.add_argument(
        "--weights",
        metavar="FILE",
        help="hand-picked weights (default: SPEC's <name>-weights.toml beside it)",
    )
    return parser


def add_size_limit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-terms",
        type=int,
        default=DEFAULT_MAX_TERMS,
        metavar="N",
        help=f"refuse networks with more than N terms (default {DEFAULT_MAX_TERMS:,})",
    )


def add_latex_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--width",
        type=int,
        metavar="N",
        help="break formulas wider than N characters at + and -",
    )
    parser.add_argument(
        "--elide",
        type=int,
        metavar="N",
        help="write sums of more than N terms with \\dots (LaTeX)",
    )
    parser.add_argument("--cdot", action="store_true", help="products with \\cdot")


def add_weight_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "--weights",
        metavar="FILE",
        required=required,
        help="a weight file: TOML keyed by printed names",
    )
    parser.add_argument(
        "--missing",
        choices=("error", "zero"),
        default=None,
        help="'zero': parameters the file does not list are 0",
    )


def add_train_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--optimizer", choices=tuple(OPTIMIZERS))
    parser.add_argument("--lr", type=float, help="learning rate")
    parser.add_argument("--steps", type=int, help="most updates per attempt")
    parser.add_argument("--seed", type=int, help="random seed of the initial weights")
    parser.add_argument(
        "--restarts", type=int, help="random starts at most (default 4)"
    )
    parser.add_argument("--tol", type=float, help="stop when the loss is this low")
    parser.add_argument(
        "--batch-size", type=int, help="mini-batches of this many samples"
    )
    parser.add_argument("--save", metavar="FILE", help="write the learned weights here")
    parser.add_argument(
        "--plot", metavar="FILE", help="write the loss curve (PNG, SVG, PDF)"
    )
    parser.add_argument(
        "--compare", metavar="FILE", help="weights to compare the learned function with"
    )
    parser.add_argument(
        "--force", action="store_true", help="overwrite the --save and --plot files"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def load_weights(spec: Spec, path: str, missing: str | None):
    return read_weight_file(path).resolve(spec.network, missing)


def require_data(spec: Spec, command: str) -> None:
    if spec.data is None:
        raise SymcnnError(
            f"{command} needs training data; add to the spec\n"
            '[data]\nsamples = [{ image = "011/001", y = 1 }]'
        )


def cmd_derive(args) -> int:
    spec = read_spec(args.spec, max_terms=args.max_terms)
    if args.width is not None and args.width < 20:
        raise SymcnnError(f"--width {args.width} is too narrow; use 20 or more")
    refuse_overwrite(args.output, force=args.force)
    weights = load_weights(spec, args.weights, args.missing) if args.weights else None
    if args.compose:
        emit(
            composition_text(spec, weights, args.format), args.output, force=args.force
        )
        return 0
    if args.gradient or args.deltas:
        emit(gradient_text(spec, args), args.output, force=args.force)
        return 0
    derivation = Derivation(build_trace(spec.network), spec.data, weights)
    # Command-line options win over the spec's [latex] table.
    args.width = args.width or spec.latex.get("width")
    args.expanded = args.expanded or spec.latex.get("expanded", False)
    cdot = args.cdot or spec.latex.get("cdot", False)
    style = dict(
        elide=args.elide or spec.latex.get("elide"), mul_symbol="dot" if cdot else None
    )
    if args.format == "json":
        text = json.dumps(derivation.to_json(expanded=args.expanded), indent=2)
    elif args.format == "latex" or args.document:
        text = derivation.to_latex(expanded=args.expanded, width=args.width, **style)
        if args.document:
            text = standalone(f"\\[\n{text}\n\\]", title=Path(args.spec).name)
    else:
        text = derivation.to_text(expanded=args.expanded, width=args.width or 80)
    emit(text, args.output, force=args.force)
    return 0


def gradient_text(spec: Spec, args) -> str:
    """derive --gradient NAME / --deltas, as text, LaTeX or JSON."""
    trace = build_trace(spec.network)
    fmt = "latex" if args.format in ("latex", "json") else "text"
    rows = gradient_lines(trace, args.gradient, fmt) if args.gradient else []
    if args.deltas:
        rows += delta_lines(trace, fmt)
    if args.format == "json":
        return json.dumps({"rows": [list(row) for row in rows]}, indent=2)
    notes = [
        "Per sample: L sums these over the samples.",
        *(f"At kinks: {c}." for c in sorted(kink_conventions(spec.network))),
    ]
    if args.format == "latex":
        return rows_latex(rows, args.width)
    return rows_text(rows, args.width or 80, notes)


def kink_conventions(network) -> set[str]:
    return {
        layer.activation.convention()
        for layer in network.layers
        if getattr(layer, "activation", None) is not None and layer.activation.has_kink
    }


def composition_text(spec: Spec, weights, fmt: str) -> str:
    """derive --compose: the composed kernel per filter and channel, its bias, and (with
    numbers) the binary patch with the largest response."""
    trace = build_trace(spec.network)
    composed = compose(trace, weights)
    show_text = make_printer(trace.names, "text").doprint
    best = []
    if weights is not None:
        best = [
            max_response(kernel, bias)
            for kernel, bias in zip(composed.kernel, composed.bias)
        ]
    if fmt == "json":
        return json.dumps(
            {
                "kernel": [
                    [
                        [[show_text(v) for v in row] for row in channel]
                        for channel in kernel
                    ]
                    for kernel in composed.kernel
                ],
                "bias": [show_text(b) for b in composed.bias],
                "max_response": [
                    {
                        "value": str(r.value),
                        "patches": r.count,
                        "pattern": [
                            "".join(row)
                            for row in r.pattern.reshape(-1, r.pattern.shape[-1])
                        ],
                    }
                    for r in best
                ],
            },
            indent=2,
        )
    lines = []
    for f, kernel in enumerate(composed.kernel):
        for c, channel in enumerate(kernel):
            if fmt == "latex":
                lines.append(
                    f"K_{{{f + 1},{c + 1}}} = {grid_latex(channel, names=trace.names)}"
                )
            elif all(getattr(v, "is_Number", False) for v in channel.flat):
                lines.append(f"Filter {f + 1}, channel {c + 1} of the composed kernel:")
                cells = [[show_text(v) for v in row] for row in channel]
                width = max(len(cell) for row in cells for cell in row)
                lines += [
                    "  " + " ".join(cell.rjust(width) for cell in row) for row in cells
                ]
            else:
                for (u, v), entry in np.ndenumerate(channel):
                    name = f"K_{{{f + 1},{c + 1},{u + 1}{v + 1}}}"
                    lines += text_lines(name, show_text(entry), 80)
        lines.append(f"bias: {show_text(composed.bias[f])}")
        if best:
            r = best[f]
            rows = ["/".join("".join(row) for row in channel) for channel in r.pattern]
            lines.append(
                f"largest response to a binary patch: {r.value}, reached by {r.count} "
                f"patch(es): {' | '.join(rows)} (* = either)"
            )
    return "\n".join(lines)


def emit(text: str, output: str | None, *, force: bool) -> None:
    """Print, or write atomically to `output`."""
    if output:
        write_new_file(output, text + "\n", force=force)
        print(f"Wrote {output}")
    else:
        print(text)


def cmd_document(args) -> int:
    """One LaTeX document of every spec given (each with its -weights.toml), and its
    PDF with --pdf."""
    output = Path(args.output)
    if output.suffix != ".tex":
        raise SymcnnError(
            f"-o {args.output!r}: the document is a .tex file; use a name ending "
            "in .tex"
        )
    refuse_overwrite(args.output, force=args.force)
    # A glob like derivations/*.toml brings the weight files too: each is used with
    # its spec (<name>-weights.toml), not as a spec of its own.
    specs = [Path(p) for p in args.spec if not Path(p).stem.endswith("-weights")]
    body = "\n\n".join(
        spec_section(path, width=args.width or PAGE_WIDTH, max_terms=args.max_terms)
        for path in specs
    )
    write_new_file(args.output, standalone(body, title=args.title), force=args.force)
    print(f"Wrote {args.output}")
    if args.pdf:
        print(f"Wrote {compile_pdf(output)}")
    return 0


def cmd_summary(args) -> int:
    network = read_spec(args.spec, max_terms=args.max_terms).network
    if args.format == "json":
        print(json.dumps(summary_json(network), indent=2, ensure_ascii=False))
    else:
        render = {
            "text": summary_text,
            "markdown": summary_markdown,
            "latex": summary_latex,
        }
        print(render[args.format](network))
    return 0


def run_check(spec: Spec, weights, *, exhaustive: bool):
    require_data(spec, "check")
    if exhaustive and spec.target is None:
        raise SymcnnError(
            "--exhaustive needs a target function; add to the spec\n"
            '[target]\nkind = "count"\npattern = "11"'
        )
    target = spec.target if exhaustive else None
    return full_check(build_trace(spec.network), weights, spec.data, target=target)


def cmd_check(args) -> int:
    spec = read_spec(args.spec, max_terms=args.max_terms)
    weights = load_weights(spec, args.weights, args.missing)
    report = run_check(spec, weights, exhaustive=args.exhaustive)
    if args.format == "json":
        print(json.dumps(check_json(report), indent=2))
    else:
        print(check_text(report))
    return 0 if report.passed else 1


def train_settings(spec: Spec, args) -> dict:
    """Command-line options over the spec's [train] table over the defaults."""
    settings = dict(spec.train)
    for key in ("optimizer", "lr", "steps", "seed", "restarts", "tol", "batch_size"):
        value = getattr(args, key, None)
        if value is not None:
            settings[key] = value
    # A bar only for a person watching: not with --quiet, not into a file or pipe.
    settings["progress"] = not getattr(args, "quiet", True) and sys.stderr.isatty()
    return settings


def write_new_file(path: str, text: str, *, force: bool) -> None:
    """Write atomically (temporary file, then rename); never overwrite without force."""
    target = Path(path)
    if target.exists() and not force:
        raise SymcnnError(
            f"{path!r} exists; pass --force to overwrite it or choose another name"
        )
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise SymcnnError(
            f"cannot write {path!r}: the folder {str(directory)!r} does not exist"
        )
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, target)


def refuse_overwrite(*paths: str | None, force: bool) -> None:
    """Before any work: an output that exists needs --force."""
    for path in paths:
        if path and Path(path).exists() and not force:
            raise SymcnnError(
                f"{path!r} exists; pass --force to overwrite it or choose another name"
            )


def run_training(spec: Spec, args, given=None):
    """Train as the spec and options say; (trace, result, what was learned)."""
    require_data(spec, "train")
    trace = build_trace(spec.network)
    result = train(trace, spec.data, **train_settings(spec, args))
    return trace, result, describe(trace, spec.data, result.weights, given)


def cmd_train(args) -> int:
    spec = read_spec(args.spec, max_terms=args.max_terms)
    refuse_overwrite(args.save, args.plot, force=args.force)
    given = load_weights(spec, args.compare, None) if args.compare else None
    trace, result, learned = run_training(spec, args, given)
    if args.save:
        comment = f"learned by symcnn train {args.spec}; loss {result.final_loss:.3e}"
        text = weight_file_text(spec.network, result.weights, comment=comment)
        write_new_file(args.save, text, force=args.force)
    if args.plot:
        write_new_figure(args.plot, lambda path: plot_loss(result.history, path))
    if args.format == "json":
        print(json.dumps(train_json(trace, result, learned), indent=2))
    else:
        print(train_text(trace, result, learned))
        for label, path in (("weights", args.save), ("loss curve", args.plot)):
            if path:
                print(f"Saved the {label} to {path}")
    if result.stopped == "diverged":
        print(f"symcnn train: {result.message}", file=sys.stderr)
        return 1
    return 130 if result.stopped == "interrupted" else 0


def write_new_figure(path: str, draw) -> None:
    """draw(temporary path), then rename: a half-written figure never replaces one."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=target.suffix)
    os.close(handle)
    try:
        draw(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def default_weight_file(spec_path: str) -> str | None:
    path = Path(spec_path)
    candidate = path.with_name(f"{path.stem}-weights.toml")
    return str(candidate) if candidate.exists() else None


def spec_weights(spec: Spec, args):
    """The weights for SPEC: --weights FILE, else <name>-weights.toml beside the spec,
    else none (fine for a network without parameters)."""
    path = args.weights or default_weight_file(args.spec)
    if path:
        return load_weights(spec, path, getattr(args, "missing", None))
    if spec.network.parameters:
        beside = Path(args.spec).with_name(f"{Path(args.spec).stem}-weights.toml")
        raise SymcnnError(
            f"the network has {len(spec.network.parameters)} parameters and no weights "
            f"were given; pass --weights FILE or write {str(beside)!r}"
        )
    return ()


def cmd_forward(args) -> int:
    spec = read_spec(args.spec, max_terms=args.max_terms)
    if spec.data is None:
        raise SymcnnError(
            "forward needs images; add to the spec\n"
            '[data]\nsamples = [{ image = "011/001" }]'
        )
    weights = spec_weights(spec, args)
    trace = build_trace(spec.network)
    if getattr(args, "explain", None):
        for sample in spec.data.samples:
            print(
                f"{sample.name}: "
                f"{step_trace(trace, weights, sample.image, args.explain)}"
            )
        return 0
    reports = []
    for sample in spec.data.samples:
        layers = forward_exact(trace, weights, sample.image)
        contributions = {}
        if args.per_channel:
            contributions = {
                number: channel_contributions(trace, weights, sample.image, number)
                for number, layer in enumerate(spec.network.layers, start=1)
                if isinstance(layer, Conv2D) and spec.network.shapes[number - 1][0] > 1
            }
        render = forward_json if args.format == "json" else forward_text
        reports.append(render(spec.network, sample, layers, contributions))
    if args.format == "json":
        print(json.dumps({"samples": reports}, indent=2))
    else:
        print("\n\n".join(reports))
    return 0


#: `run` shows a derivation only up to this many characters (slide L8's F_NN has
#: over a million); `derive` always prints it whole.
RUN_DERIVATION_LIMIT = 20_000


def cmd_plot(args) -> int:
    spec = read_spec(args.spec, max_terms=args.max_terms)
    refuse_overwrite(args.output, force=args.force)
    weights = spec_weights(spec, args)
    if args.what == "filters":
        grids, titles = filter_grids(spec.network, weights)
        if not grids:
            raise SymcnnError("the network has no convolution filters to draw")
    else:
        if spec.data is None or not 1 <= args.sample <= len(spec.data):
            count = 0 if spec.data is None else len(spec.data)
            raise SymcnnError(
                f"--sample {args.sample} is not an image of the spec (it has {count}); "
                "use 1 to the number of samples in [data]"
            )
        image = spec.data.samples[args.sample - 1].image
        layers = forward_exact(build_trace(spec.network), weights, image)
        grids, titles = feature_map_grids(spec.network, layers)
    write_new_figure(args.output, lambda path: plot_grids(grids, titles, path))
    print(f"Saved {len(grids)} grids to {args.output}")
    return 0


def cmd_embed(args) -> int:
    """Embeddings exactly, the metric between every pair exactly (cosine: the
    similarity cos(phi); euclidean and chebyshev: distances) and its formula."""
    spec = read_spec(args.spec, max_terms=args.max_terms)
    if spec.data is None:
        raise SymcnnError("embed needs images; add [data] samples to the spec")
    number = layer_number(spec.network, args.layer)
    weights = spec_weights(spec, args)
    trace = build_trace(spec.network)
    names = [sample.name for sample in spec.data.samples]
    vectors = [embedding(trace, weights, s.image, number) for s in spec.data.samples]
    matrix = [[exact_distance(args.metric, a, b) for b in vectors] for a in vectors]
    if args.format == "json":
        print(
            json.dumps(
                {
                    "layer": args.layer,
                    "metric": args.metric,
                    "formula": metric_latex(args.metric, len(vectors[0])),
                    "embeddings": {
                        n: [str(v) for v in vec] for n, vec in zip(names, vectors)
                    },
                    "matrix": [[str(value) for value in row] for row in matrix],
                    "matrix_float": [[float(value) for value in row] for row in matrix],
                },
                indent=2,
            )
        )
        return 0
    print(f"Embeddings at layer {args.layer!r} ({len(vectors[0])} numbers each):")
    for name, vector in zip(names, vectors):
        print(f"  {name}: ({', '.join(map(str, vector))})")
    label = "cos(phi)" if args.metric == "cosine" else f"{args.metric} distance"
    print(f"{label} of every pair, exact (and as a decimal):")
    for i, j in itertools.combinations(range(len(names)), 2):
        value = matrix[i][j]
        print(f"  {names[i]}, {names[j]}: {value} ({float(value):.4g})")
    print(f"Formula: {metric_latex(args.metric, len(vectors[0]))}")
    return 0


def cmd_init(args) -> int:
    name = Path(args.name).name.removesuffix(".toml")
    if not name:
        raise SymcnnError(f"{args.name!r} is not a file name; try `symcnn init mynet`")
    target = Path(args.name).with_name(f"{name}.toml")
    write_new_file(str(target), template(name), force=args.force)
    print(f"Wrote {target}; try: symcnn run {target}")
    return 0


def cmd_examples(args) -> int:
    if args.name is None:
        specs = example_specs()
        width = max(map(len, specs))
        for name, path in specs.items():
            line = f"{name.ljust(width)}  {example_title(path)}"
            print(line if len(line) <= 80 else line[:77] + "...")
        return 0
    for path in copy_example(args.name, Path(args.to), force=args.force):
        print(f"Wrote {path}")
    return 0


def cmd_run(args) -> int:
    """The whole story of a spec: what each part of the spec makes possible."""
    spec = read_spec(args.spec, max_terms=args.max_terms)
    trace = build_trace(spec.network)
    section("Network", summary_text(spec.network))
    text = Derivation(trace, spec.data).to_text(width=80)
    if len(text) > RUN_DERIVATION_LIMIT:
        text = (
            f"(the formulas take {len(text):,} characters; print them with "
            f"`symcnn derive {args.spec}`)"
        )
    section("Derivation", text)
    weights_path = args.weights or default_weight_file(args.spec)
    weights = load_weights(spec, weights_path, None) if weights_path else None
    has_targets = spec.data is not None and spec.data.has_targets
    if weights is not None and weights_path and spec.network.parameters:
        derivation = Derivation(trace, None, weights)
        section(
            f"Given weights ({weights_path})",
            derivation.to_text(sections=("with weights",), width=80),
        )
    if spec.data is not None and not has_targets:
        args.per_channel, args.format, args.missing = True, "text", None
        print("== Values ==")
        cmd_forward(args)
        print()
    status = 0
    if weights is not None and has_targets:
        report = run_check(spec, weights, exhaustive=spec.target is not None)
        section("Proof", check_text(report))
        status = 0 if report.passed else 1
    if has_targets:
        args.save = args.plot = None
        args.quiet = True
        trace, result, learned = run_training(spec, args, weights)
        section("Training", train_text(trace, result, learned))
    return status


def section(title: str, body: str) -> None:
    print(f"== {title} ==\n{body}\n")


COMMANDS = {
    "embed": cmd_embed,
    "init": cmd_init,
    "examples": cmd_examples,
    "document": cmd_document,
    "plot": cmd_plot,
    "forward": cmd_forward,
    "derive": cmd_derive,
    "summary": cmd_summary,
    "check": cmd_check,
    "train": cmd_train,
    "run": cmd_run,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except SymcnnError as error:
        print(f"symcnn {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"symcnn {args.command}: interrupted", file=sys.stderr)
        return 130
    except OSError as error:
        print(f"symcnn {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
