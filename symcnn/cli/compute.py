"""The commands that compute: forward, check, train, embed, plot, and run (the
whole story of a spec)."""

from __future__ import annotations

import sys
from dataclasses import replace
from functools import partial

import numpy as np

from ..errors import SymcnnError
from ..files.pytorch import import_torch
from ..files.spec import Spec, read_spec
from ..files.torchfiles import is_state_dict_path, write_state_dict
from ..files.weights import weight_file_text
from ..model.layers import Conv2D
from ..model.losses import EXACT_LOSSES
from ..numeric.learned import describe
from ..numeric.training import train
from ..prove.curvature import full_check
from ..prove.verify import channel_contributions, forward_exact
from ..symbolic.trace import build_trace
from ..typeset.derivation import Derivation
from ..typeset.embedding_report import embeddings
from ..typeset.latex import FLOAT_DECIMALS, FormulaTooLarge, check_decimals
from ..typeset.numbers import grid_texts
from ..typeset.plots import (
    check_figure_path,
    feature_map_grids,
    filter_grids,
    plot_grids,
    plot_loss,
)
from ..typeset.slides import step_trace
from ..typeset.summary import summary_text
from .check_report import check_json, check_passed, check_text
from .check_report import forward_json, forward_text
from .files import (
    atomic_output,
    default_weight_file,
    load_weights,
    refuse_overwrite,
    require_data,
    section,
    spec_weights,
    write_new_figure,
    write_new_file,
)
from .accuracy_report import accuracy_json, accuracy_text, training_accuracy
from .accuracy_report import every_image_option
from .interrupts import first_interrupt_only
from .exhaustive_run import run_exhaustive, verdict_from
from .patch_report import every_size_for_count, every_size_json, every_size_proof
from .patch_report import every_size_text, refuted
from .jsonout import json_text
from .train_report import train_json, train_text


def run_check(spec: Spec, weights, *, exhaustive: bool, args=None):
    require_data(spec, "check")
    if args is not None:
        verdict_from(args)  # --tol without --exhaustive: refused before any work
    if exhaustive and spec.target is None:
        raise SymcnnError(
            "--exhaustive needs a target function; add to the spec\n"
            '[target]\nkind = "count"\npattern = "11"'
        )
    trace = build_trace(spec.network, loss=spec.loss)
    report = full_check(trace, weights, spec.data)
    if exhaustive:  # the exact integer engine (prove/exhaustive.py), with its options
        found = run_exhaustive(spec, trace, weights, args)
        report = replace(report, exhaustive=found)
    return report


def cmd_check(args) -> int:
    decimals = check_decimals(args.decimals, "--decimals")
    if decimals is None and is_state_dict_path(args.weights):
        decimals = FLOAT_DECIMALS  # a .pt file's floats: never 100-digit fractions
    spec = read_spec(args.spec, max_terms=args.max_terms)
    weights = load_weights(spec, args.weights, args.missing)
    report = run_check(spec, weights, exhaustive=args.exhaustive, args=args)
    proof = every_size_proof(spec, weights) if args.every_size else None
    if args.format == "json":
        print(json_text({**check_json(report), **every_size_json(proof)}, indent=2))
    else:
        print(check_text(report, decimals) + every_size_text(proof))
    return 0 if check_passed(report) and not refuted(proof) else 1


def train_settings(spec: Spec, args) -> dict:
    """Command-line options over the spec's [train] table over the defaults."""
    settings = dict(spec.train)
    settings.pop("loss", None)  # the trace's: build_trace(..., loss=spec.loss)
    options = ("optimizer", "lr", "steps", "seed", "restarts", "tol", "batch_size")
    for key in (*options, "backend"):
        value = getattr(args, key, None)
        if value is not None:
            settings[key] = value
    # A bar only for a person watching: not with --quiet, not into a file or pipe.
    settings["progress"] = not getattr(args, "quiet", True) and sys.stderr.isatty()
    return settings


def run_training(spec: Spec, args, given=None):
    """Train as the spec and options say; (trace, result, what was learned)."""
    require_data(spec, "train")
    trace = build_trace(spec.network, loss=spec.loss)
    result = train(trace, spec.data, **train_settings(spec, args))
    return trace, result, describe(trace, spec.data, result.weights, given)


def cmd_train(args) -> int:
    spec = every_image_option(read_spec(args.spec, max_terms=args.max_terms), args)
    refuse_overwrite(args.save, args.plot, force=args.force)
    if args.save and is_state_dict_path(args.save):
        import_torch(f"--save {args.save}")  # before training, not after
    if args.plot:
        check_figure_path(args.plot, "--plot")
    given = load_weights(spec, args.compare, None) if args.compare else None
    require_data(spec, "train")
    trace, result = build_trace(spec.network, loss=spec.loss), None
    try:
        with first_interrupt_only("symcnn train"):
            result = train(trace, spec.data, **train_settings(spec, args))
            save_training(spec, args, result)
    except KeyboardInterrupt:
        if result is None:
            raise
        print(f"symcnn train: interrupted{saved_note(args)}", file=sys.stderr)
        return 130
    learned = describe(trace, spec.data, result.weights, given)
    found = training_accuracy(spec, trace, result.weights)
    if args.format == "json":
        report = {**train_json(trace, result, learned), **accuracy_json(found)}
        print(json_text(report, indent=2))
    else:
        print(train_text(trace, result, learned, every=args.all, formula=args.formula))
        print(accuracy_text(found))
        for label, path in (("weights", args.save), ("loss curve", args.plot)):
            if path:
                print(f"Saved the {label} to {path}")
    if result.stopped == "diverged":
        print(f"symcnn train: {result.message}", file=sys.stderr)
        return 1
    return 130 if result.stopped == "interrupted" else 0


def save_training(spec: Spec, args, result) -> None:
    """--save and --plot, written as soon as training ends (before the report)."""
    if args.save and is_state_dict_path(args.save):  # the to_torch Sequential's keys
        with atomic_output(args.save) as temporary:
            write_state_dict(spec.network, result.weights, temporary)
    elif args.save:
        comment = f"learned by symcnn train {args.spec}; loss {result.final_loss:.3e}"
        text = weight_file_text(spec.network, result.weights, comment=comment)
        write_new_file(args.save, text, force=args.force)
    if args.plot:
        write_new_figure(args.plot, lambda path: plot_loss(result.history, path))


def saved_note(args) -> str:
    saved = [path for path in (args.save, args.plot) if path]
    return f"; what was learned is in {', '.join(saved)}" if saved else ""


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
    decimals = check_decimals(args.decimals, "--decimals")
    print(
        values_report(
            spec, trace, weights, args.format, args.per_channel, decimals
        )
    )
    return 0


def values_report(
    spec: Spec, trace, weights, fmt: str, per_channel: bool, decimals=None
) -> str:
    """Every layer's exact values on every image of the spec, as text or JSON; with
    `decimals`, non-whole values as decimals of that many digits (11/4 -> 2.75)."""
    reports = []
    for sample in spec.data.samples:
        layers = forward_exact(trace, weights, sample.image)
        if decimals is not None:
            layers = [
                replace(
                    layer,
                    sums=shown_decimals(layer.sums, decimals),
                    values=shown_decimals(layer.values, decimals),
                )
                for layer in layers
            ]
        contributions = {}
        if per_channel:
            contributions = {
                number: channel_contributions(trace, weights, sample.image, number)
                for number, layer in enumerate(spec.network.layers, start=1)
                if isinstance(layer, Conv2D) and spec.network.shapes[number - 1][0] > 1
            }
        if decimals is not None:
            contributions = {
                number: [shown_decimals(block, decimals) for block in blocks]
                for number, blocks in contributions.items()
            }
        render = forward_json if fmt == "json" else forward_text
        reports.append(render(spec.network, sample, layers, contributions))
    if fmt == "json":
        return json_text({"samples": reports}, indent=2)
    return "\n\n".join(reports)


def shown_decimals(array, decimals: int):
    """An array of exact numbers as display strings: decimal_text of each."""
    if array is None:
        return None
    shown = np.empty(array.shape, dtype=object)
    # One layout per grid (typeset.numbers.grid_texts): never 1e+08 beside 246913579.
    shown.flat[:] = grid_texts(array.flat, decimals)
    return shown


#: `run` shows a derivation only up to this many characters (slide L8's F_NN has
#: over a million); `derive` always prints it whole.
RUN_DERIVATION_LIMIT = 20_000


def cmd_plot(args) -> int:
    spec = read_spec(args.spec, max_terms=args.max_terms)
    refuse_overwrite(args.output, force=args.force)
    check_figure_path(args.output, "-o")
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
    weights = spec_weights(spec, args)
    table = embeddings(spec.network, weights, spec.data, args.layer, args.metric)
    if args.format == "json":
        print(json_text(table.to_json(), indent=2))
    else:
        print(table.to_text())
    return 0


def run_formulas(write, args) -> str:
    """write() for `run`, or a note when the formulas are too long to show: run goes
    on to the proof and the training."""
    try:
        text = write()
    except FormulaTooLarge as error:
        return f"({error})"
    if len(text) > RUN_DERIVATION_LIMIT:
        return (
            f"(the formulas take {len(text):,} characters; print them with "
            f"`symcnn derive {args.spec}`)"
        )
    return text


def not_exact(spec: Spec) -> str | None:
    """Why `run` cannot show exact values or check the weights exactly (an activation
    or loss irrational at rational points), in one line; None when it can."""
    for number, layer in enumerate(spec.network.layers, start=1):
        activation = getattr(layer, "activation", None)
        if activation is not None and activation.is_numeric and not activation.is_exact:
            return (
                f"layer {number} ({layer.kind}) uses {activation.kind}, irrational at "
                "rational points; exact values need relu, leaky_relu or identity"
            )
    if spec.loss not in EXACT_LOSSES:
        return f"the loss {spec.loss} takes logarithms, irrational at rational points"
    return None


def cmd_run(args) -> int:
    """The whole story of a spec: what each part of the spec makes possible."""
    spec = read_spec(args.spec, max_terms=args.max_terms)
    trace = build_trace(spec.network, loss=spec.loss)
    section("Network", summary_text(spec.network))
    section(
        "Derivation",
        run_formulas(lambda: Derivation(trace, spec.data).to_text(width=80), args),
    )
    weights_path = args.weights or default_weight_file(args.spec)
    weights = load_weights(spec, weights_path, None) if weights_path else None
    has_targets = spec.data is not None and spec.data.has_targets
    if weights is not None and spec.network.parameters:
        derivation = Derivation(trace, None, weights)
        text = partial(derivation.to_text, sections=("with weights",), width=80)
        section(f"Given weights ({weights_path})", run_formulas(text, args))
    inexact = not_exact(spec)
    if spec.data is not None and not has_targets and inexact:
        section("Values", f"(left out: {inexact})")
    elif spec.data is not None and not has_targets:
        values = weights if weights is not None else spec_weights(spec, args)
        section("Values", values_report(spec, trace, values, "text", per_channel=True))
    status = 0
    if weights is not None and has_targets and inexact:
        section("Proof", f"(no exact check: {inexact}; training follows)")
    elif weights is not None and has_targets:
        report = run_check(spec, weights, exhaustive=spec.target is not None)
        proof = every_size_for_count(spec, weights)
        section("Proof", check_text(report) + every_size_text(proof))
        status = 0 if report.passed and not refuted(proof) else 1
    if has_targets:
        args.save = args.plot = None
        args.quiet = True
        trace, result, learned = run_training(spec, args, weights)
        found = accuracy_text(training_accuracy(spec, trace, result.weights))
        section("Training", train_text(trace, result, learned) + "\n" + found)
    return status
