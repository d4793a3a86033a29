"""`check --every-size`: the proof for every image size by patch classes
(prove/patches.py), for people (text) and scripts (JSON, exact numbers as strings)."""

from __future__ import annotations

import textwrap

from ..errors import SymcnnError
from ..files.spec import Spec
from ..model.data import image_json, image_text
from ..prove.patches import PatchProof, prove_every_size
from ..symbolic.trace import build_trace

#: Text reports fit an 80-column terminal.
TEXT_WIDTH = 80
#: Wrong patch classes listed in text (JSON lists the proof's MAX_WRONG_SHOWN).
CLASSES_SHOWN = 8


def every_size_proof(spec: Spec, weights) -> PatchProof:
    """The spec's network and weights against its [target] on every image size."""
    if spec.target is None:
        raise SymcnnError(
            "--every-size needs a target to prove; add a [target] table to the spec "
            '(kind = "count", pattern = "11")'
        )
    trace = build_trace(spec.network)
    return prove_every_size(trace, weights, spec.target, alphabet=spec.alphabet)


def every_size_for_count(spec: Spec, weights) -> PatchProof | None:
    """`symcnn run`'s proof for every size: only for a target that counts a pattern
    (for the others enumeration is the only proof, as check --exhaustive does)."""
    if getattr(spec.target, "counted_pattern", None) is None:
        return None
    return every_size_proof(spec, weights)


def refuted(proof: PatchProof | None) -> bool:
    """A proof that applies and found the weights wrong (exit status 1)."""
    return proof is not None and proof.applies and not proof.proven


def wrapped(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(
        text, TEXT_WIDTH, initial_indent=indent, subsequent_indent=indent + "  "
    )


def every_size_text(proof: PatchProof | None) -> str:
    """The verdict with its argument; '' without --every-size."""
    if proof is None:
        return ""
    if not proof.applies:
        return "\n".join(["", "", "Every image size:", *wrapped(proof.reason)])
    rh, rw = proof.patch
    verdict = "proven" if proof.proven else "refuted"
    heading = f"Every image size (one exact check per {rh}x{rw} patch class): {verdict}"
    lines = ["", "", heading]
    lines += wrapped(
        f"h = t on {proof.classes - proof.wrong_count} of {proof.classes} patch "
        f"classes; b = {proof.bias}"
    )
    for patch, h, t in proof.wrong[:CLASSES_SHOWN]:
        lines.append(f"    {image_text(patch)}: h = {h}, t = {t}")
    if proof.wrong_count > CLASSES_SHOWN:
        lines.append(f"    ... and {proof.wrong_count - CLASSES_SHOWN} more")
    counter = proof.counterexample
    if counter is not None:
        height, width = counter.image.shape[1:]
        size = (
            "the spec's size" if counter.own_size else f"{height}x{width}, another size"
        )
        lines += wrapped(
            f"counterexample ({size}): {image_text(counter.image)}: F_NN = "
            f"{counter.output}, target {counter.expected}"
        )
    else:
        lines += wrapped(
            "so F_NN(P) = target(P) on every image of every size, smaller than the "
            "patch included"
        )
    lines += wrapped(f"why: {proof.argument}")
    return "\n".join(lines)


def every_size_json(proof: PatchProof | None) -> dict:
    """{"every_size": ...}; {} without --every-size."""
    if proof is None:
        return {}
    counter = proof.counterexample
    return {
        "every_size": {
            "applies": proof.applies,
            "proven": proof.proven,
            "reason": proof.reason or None,
            "patch": None if proof.patch is None else list(proof.patch),
            "classes": proof.classes,
            "bias": str(proof.bias),
            "wrong_count": proof.wrong_count,
            "wrong": [
                {"patch": image_text(patch), "h": str(h), "t": str(t)}
                for patch, h, t in proof.wrong
            ],
            "counterexample": None
            if counter is None
            else {
                "image": image_text(counter.image),
                "pixels": image_json(counter.image),
                "output": str(counter.output),
                "expected": str(counter.expected),
                "own_size": counter.own_size,
            },
            "argument": proof.argument,
        }
    }
