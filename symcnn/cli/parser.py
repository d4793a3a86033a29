"""The `symcnn` command line: one small function per subcommand adds its arguments
(the option groups several share are in options.py)."""

from __future__ import annotations

import argparse

from .. import __version__
from ..prove.metric_names import METRICS
from ..typeset.widths import PAGE_WIDTH, SLIDE_WIDTH
from .options import (
    add_latex_options,
    add_size_limit,
    add_train_options,
    add_weight_options,
)
from .check_options import add_exhaustive_options
from .verify_options import add_verify_options

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
    "verify": (
        "symcnn verify derivations/l1_explicit.toml --tex derivations/l1_lecture.tex "
        "--same-letter-case"
    ),
    "examples": "symcnn examples count11 && symcnn run count11.toml",
    "explore": "symcnn explore derivations/count11.toml -o count11.html",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symcnn",
        description="Derive, typeset, prove and train small CNNs symbolically.",
        epilog="example: " + EXAMPLES["run"],
    )
    parser.add_argument("--version", action="version", version=f"symcnn {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="on an internal error, print the traceback",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add_command in SUBCOMMANDS:
        add_command(commands)
    for sub in commands.choices.values():  # `symcnn train --debug ...` too
        sub.add_argument(
            "--debug",
            action="store_true",
            default=argparse.SUPPRESS,  # never overrides `symcnn --debug train`
            help="on an internal error, print the traceback",
        )
    return parser


def spec_command(commands, name: str, help_text: str, formats=("text", "json")):
    """A subcommand that reads one SPEC, with --max-terms and --format."""
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


def add_per_neuron(parser) -> None:
    parser.add_argument(
        "--per-neuron",
        action="store_true",
        help="one neuron per line: a line starts at every neuron of an outermost "
        "sum, b_0 + w_{1,0} f(...) + w_{2,0} f(...) (LaTeX)",
    )


def derive_command(commands) -> None:
    derive = spec_command(
        commands,
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
    derive.add_argument(
        "--beamer",
        action="store_true",
        help="Beamer frames: one idea per frame, the generic and the substituted "
        f"forms in labelled blocks, formulas {SLIDE_WIDTH} digits wide unless "
        "--width says (with --document: a whole presentation)",
    )
    add_per_neuron(derive)
    derive.add_argument("-o", "--output", metavar="FILE", help="write here, not stdout")
    derive.add_argument("--force", action="store_true", help="overwrite FILE")


def summary_command(commands) -> None:
    spec_command(
        commands,
        "summary",
        "shapes, parameters, mult-adds and memory per layer, as torchinfo",
        ("text", "markdown", "latex", "json"),
    )


def check_command(commands) -> None:
    checker = spec_command(
        commands, "check", "prove facts about given weights in exact arithmetic"
    )
    add_weight_options(checker, required=True)
    checker.add_argument(
        "--exhaustive",
        action="store_true",
        help="compare with the spec's [target] on every binary image",
    )
    checker.add_argument(
        "--every-size",
        action="store_true",
        help="prove the weights against the spec's [target] (a count of a pattern) on "
        "every image of every size, one exact check per patch class, when the "
        "network sums one function of local patches (else it says why not)",
    )
    add_exhaustive_options(checker)


def train_command(commands) -> None:
    trainer = spec_command(
        commands, "train", "find weights by gradient descent on the compiled loss"
    )
    add_train_options(trainer)
    trainer.add_argument(
        "--data",
        choices=("spec", "all"),
        default="spec",
        help="train on the spec's samples, or on every image of the input size with "
        "the [target]'s values (the mean squared error unless [train] names a loss)",
    )
    trainer.add_argument(
        "--all", action="store_true", help="list every learned weight (default: 30)"
    )
    trainer.add_argument(
        "--formula",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="write the learned F_NN(P) out (default: only when every weight snapped "
        "to a fraction)",
    )


def forward_command(commands) -> None:
    forward = spec_command(
        commands, "forward", "every layer's exact values on the spec's images"
    )
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
    forward.add_argument(
        "--decimals",
        type=int,
        metavar="N",
        help="values as decimals of N significant digits (11/4 -> 2.75 with 3), "
        "not exact fractions",
    )


def document_command(commands) -> None:
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
        help="break formulas at N digits of printed width (the width of a 0; "
        f"default {PAGE_WIDTH}, with --beamer {SLIDE_WIDTH})",
    )
    document.add_argument(
        "--beamer",
        action="store_true",
        help="Beamer slides (128 mm x 96 mm frames), not an article",
    )
    add_per_neuron(document)
    document.add_argument("--force", action="store_true", help="overwrite FILE")
    add_size_limit(document)


def embed_command(commands) -> None:
    embed = spec_command(
        commands, "embed", "each image's embedding at a named layer, and distances"
    )
    add_weight_options(embed, required=False)
    embed.add_argument(
        "--layer",
        required=True,
        metavar="NAME",
        help="a named layer (its outputs after the activation), or input",
    )
    embed.add_argument("--metric", choices=METRICS, default="cosine")


def verify_command(commands) -> None:
    verify = spec_command(
        commands,
        "verify",
        "check hand-typed formulas against the derived ones (exit 0: all read and "
        "right; 1: one is wrong or not understood; 2: bad input)",
    )
    add_weight_options(verify, required=False)
    source = verify.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--formula",
        action="append",
        metavar="LATEX",
        help="one formula, e.g. 'a_{12} = p_{12} W_{11} + ...' (repeatable)",
    )
    source.add_argument("--tex", metavar="FILE", help="every formula of a .tex file")
    add_verify_options(verify)


def init_command(commands) -> None:
    init = commands.add_parser(
        "init",
        help="write a commented spec to start from",
        description="Write NAME.toml, a commented spec of the count-11 network.",
        epilog=f"example: {EXAMPLES['init']}",
    )
    init.add_argument("name", metavar="NAME")
    init.add_argument("--force", action="store_true", help="overwrite NAME.toml")


def examples_command(commands) -> None:
    examples = commands.add_parser(
        "examples",
        help="list the lecture's specs, or copy one here",
        description="Without NAME, list the lecture's specs that come with symcnn; "
        "with NAME, copy it (and its weights) into --to (default: here); "
        "with --to and no NAME, copy every one.",
        epilog=f"example: {EXAMPLES['examples']}",
    )
    examples.add_argument("name", nargs="?", metavar="NAME")
    examples.add_argument("--to", metavar="FOLDER")
    examples.add_argument("--force", action="store_true", help="overwrite files")


def plot_command(commands) -> None:
    plot = spec_command(
        commands, "plot", "draw a network's filters or feature maps as grids", ()
    )
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


def run_command(commands) -> None:
    run = spec_command(
        commands,
        "run",
        "the whole story: summary, derivation, values or proof, training",
        formats=(),
    )
    run.add_argument(
        "--weights",
        metavar="FILE",
        help="hand-picked weights (default: SPEC's <name>-weights.toml beside it)",
    )



def explore_command(commands) -> None:
    explore = spec_command(
        commands,
        "explore",
        "one self-contained HTML page to explore a network in the browser",
        formats=(),
    )
    explore.description = (
        "One HTML file (opens offline) with every layer's values, each value's "
        "formula as MathML, editable weights, and the loss, gradient and the "
        "target's verdict recomputed live; gradient descent in the page."
    )
    add_weight_options(explore, required=False)  # default: <name>-weights.toml
    explore.add_argument(
        "--seed",
        type=int,
        help="start from PyTorch-style random weights of this seed, not from a "
        "weight file (default without one: 0); not with --weights",
    )
    explore.add_argument("--title", help="the page's title (default: the spec's)")
    explore.add_argument("-o", "--output", required=True, metavar="FILE.html")
    explore.add_argument("--force", action="store_true", help="overwrite FILE")


SUBCOMMANDS = (
    derive_command,
    summary_command,
    check_command,
    train_command,
    forward_command,
    document_command,
    embed_command,
    verify_command,
    init_command,
    examples_command,
    plot_command,
    run_command,
    explore_command,
)
