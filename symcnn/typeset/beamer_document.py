"""`symcnn document --beamer`: the article of document.py as slides. Per spec: a
section, a frame with its title sentence and layer table, the derivation's frames
(beamer.py), then one frame per image with every layer's values, one for the
composed filter and one for the exact check (document_parts.py).

Number grids and tables are scaled down to the frame when they do not fit
(\\symcnnfit, \\symcnnfitheight): a grid has no place to break."""

from __future__ import annotations

from pathlib import Path

from ..model.shapes import DEFAULT_MAX_TERMS
from .beamer import SLIDE_WIDTH, derivation_frames, frame_latex
from .document import SpecParts, as_parts
from .document_parts import fit_table
from .latex import escape_text
from .summary import summary_latex


def item_latex(caption: str, math: str) -> str:
    return f"{caption}:\n\\[\n\\symcnnfit{{$\\displaystyle {math}$}}\n\\]"


def fitted(pieces: list[str]) -> str:
    """Pieces of a frame's body, scaled down together when taller than the body."""
    return "\\symcnnfitheight{%\n" + "\n".join(pieces) + "}"


def item_frames(name: str, items: list[tuple[str, str, str]]) -> list[str]:
    """One frame per group of items (an image's values, the composed filter, the
    exact check), in order."""
    groups: dict[str, list[str]] = {}
    for group, caption, math in items:
        groups.setdefault(group, []).append(item_latex(caption, math))
    return [
        frame_latex(f"{name}: {group}", [fitted(pieces)])
        for group, pieces in groups.items()
    ]


def spec_frames(
    spec: str | Path | SpecParts,
    *,
    width: float = SLIDE_WIDTH,
    max_terms: int = DEFAULT_MAX_TERMS,
    per_neuron: bool = False,
) -> str:
    """A section of frames for one spec file (and its `<name>-weights.toml`, if
    any), or for parts read_parts has read."""
    parts = as_parts(spec, max_terms)
    name = escape_text(parts.path.stem)
    opening = fitted(
        [
            escape_text(parts.title),
            f"\n\n\\texttt{{{escape_text(parts.path.name)}}}\n\n\\medskip\n\\small",
            fit_table(summary_latex(parts.spec.network)),
        ]
    )
    frames = [
        f"\\section{{{name}}}",
        frame_latex(name, [opening]),
        derivation_frames(
            parts.derivation, width=width, per_neuron=per_neuron, **parts.style
        ),
        *item_frames(name, parts.items),
    ]
    return "\n\n".join(frames)
