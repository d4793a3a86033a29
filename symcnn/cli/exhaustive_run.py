"""`check --exhaustive`: the options read into a verdict, the estimate said before the
work starts and a progress bar on stderr while it runs."""

from __future__ import annotations

import sys

from ..errors import SymcnnError
from ..model.exact import to_rational
from ..limits import MAX_EXHAUSTIVE_IMAGES
from ..prove.exhaustive import QUICK_IMAGES, Exhaustive
from ..numeric.exhaustive_c import compiled_check
from ..prove.verdicts import Verdict
from ..prove.verify import exhaustive_check
from ..symbolic.trace import Trace

#: Seconds of estimated work above which the bar shows even when stderr is no tty.
LONG_SECONDS = 10.0


def verdict_from(args) -> Verdict:
    """--tol X, --threshold T or --argmax (exact equality when none); X and T read
    exactly as written (0.1 is 1/10), never as floats."""
    given = [name for name in ("tol", "threshold") if getattr(args, name, None)]
    if getattr(args, "argmax", False):
        given.append("argmax")
    if given and not args.exhaustive:
        raise SymcnnError(
            f"--{given[0]} judges the images of --exhaustive; add --exhaustive"
        )
    if given and getattr(args, "every_size", False):
        raise SymcnnError(
            f"--every-size proves exact equality (F_NN(P) = Y on every image of every "
            f"size), not --{given[0]}; run them as two checks"
        )
    if getattr(args, "tol", None):
        value = to_rational(args.tol, "--tol")
        if value < 0:
            raise SymcnnError(f"--tol {args.tol}: a tolerance is >= 0; give e.g. 0.1")
        return Verdict("tol", value)
    if getattr(args, "threshold", None):
        return Verdict("threshold", to_rational(args.threshold, "--threshold"))
    return Verdict("argmax") if "argmax" in given else Verdict()


class Progress:
    """The estimate, then a tqdm bar, on stderr: the report on stdout stays clean."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.bar = None

    def announce(self, total: int, seconds: float) -> None:
        tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        if total <= 65_536 and seconds < 1 and not tty:
            return  # a blink: saying so would only clutter
        took = "under 1 s" if seconds < 1 else f"about {seconds:.0f} s"
        print(
            f"symcnn check: checking all {total:,} images, {took}",
            file=self.stream,
            flush=True,
        )
        if tty or seconds > LONG_SECONDS:
            from tqdm import tqdm

            tqdm.monitor_interval = 0  # no monitor thread: the NumPy engine forks
            self.bar = tqdm(
                total=total, file=self.stream, unit=" images", unit_scale=True
            )

    def update(self, images: int) -> None:
        if self.bar is not None:
            self.bar.update(images)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_exhaustive(spec, trace: Trace, weights, args) -> Exhaustive:
    """The spec's target on every image over its alphabet, judged as `args` say."""
    progress = Progress()
    try:
        return exhaustive_check(
            trace,
            weights,
            spec.target,
            alphabet=spec.alphabet,
            verdict=Verdict() if args is None else verdict_from(args),
            max_images=getattr(args, "max_images", None),
            progress=progress.update,
            announce=progress.announce,
            # `run` (args None) gives an overview: a sample above QUICK_IMAGES.
            enumerate_up_to=QUICK_IMAGES if args is None else MAX_EXHAUSTIVE_IMAGES,
            compiled=compiled_check,  # C in threads when it applies, else NumPy
        )
    finally:
        progress.close()
