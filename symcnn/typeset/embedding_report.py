"""Slide L9 as a table: the embeddings of named images at one layer and the metric
between every pair, exactly; as text (the `embed` command), LaTeX, Markdown (Jupyter)
and JSON. Exact values print as LaTeX (\\frac{17 \\sqrt{291}}{291}), never as SymPy
code (17*sqrt(291)/291): the text printer has no square root.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy as sp

from ..prove.embeddings import embedding_table, layer_number, metric_latex
from .latex import make_printer

LATEX = make_printer({}, "latex").doprint


@dataclass(frozen=True)
class Embeddings:
    """names[i]'s embedding vectors[i] at `layer`; matrix[i][j] = metric(i, j)."""

    layer: str
    metric: str
    names: tuple[str, ...]
    vectors: tuple[tuple[sp.Rational, ...], ...]
    matrix: tuple[tuple[sp.Expr, ...], ...]

    @property
    def label(self) -> str:
        return "cos(phi)" if self.metric == "cosine" else f"{self.metric} distance"

    @property
    def formula(self) -> str:
        """The slide's formula of the metric, in LaTeX."""
        return metric_latex(self.metric, len(self.vectors[0]) if self.vectors else 3)

    def pairs(self):
        """(name i, name j, exact value) for every pair i < j."""
        for i, j in itertools.combinations(range(len(self.names)), 2):
            yield self.names[i], self.names[j], self.matrix[i][j]

    def to_text(self) -> str:
        size = len(self.vectors[0]) if self.vectors else 0
        lines = [f"Embeddings at layer {self.layer!r} ({size} numbers each):"]
        lines += [
            f"  {name}: ({', '.join(map(str, vector))})"
            for name, vector in zip(self.names, self.vectors)
        ]
        lines.append(f"{self.label} of every pair, exact in LaTeX (and as a decimal):")
        lines += [
            f"  {a}, {b}: {LATEX(value)} ({float(value):.4g})"
            for a, b, value in self.pairs()
        ]
        lines.append(f"Formula: {self.formula}")
        return "\n".join(lines)

    def to_latex(self) -> str:
        """An aligned block: the formula, then one exact value per pair."""
        name = r"\cos\varphi" if self.metric == "cosine" else "d"
        rows = [self.formula.replace(" = ", " &= ", 1)]
        rows += [
            rf"{name}({a}, {b}) &= {LATEX(value)} \approx {float(value):.4g}"
            for a, b, value in self.pairs()
        ]
        return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"

    def to_markdown(self) -> str:
        """The vectors, then the matrix of exact values with $...$ cells."""
        lines = [f"Embeddings at layer `{self.layer}`, {self.label} exactly:", ""]
        lines += ["| image | embedding |", "|---|---|"]
        lines += [
            f"| {name} | ({', '.join(map(str, vector))}) |"
            for name, vector in zip(self.names, self.vectors)
        ]
        lines += ["", "| | " + " | ".join(self.names) + " |"]
        lines.append("|---" * (len(self.names) + 1) + "|")
        for name, row in zip(self.names, self.matrix):
            lines.append(
                f"| {name} | " + " | ".join(f"${LATEX(v)}$" for v in row) + " |"
            )
        return "\n".join([*lines, "", f"$${self.formula}$$"])

    def to_json(self) -> dict:
        return {
            "layer": self.layer,
            "metric": self.metric,
            "formula": self.formula,
            "embeddings": {
                n: [str(v) for v in vec] for n, vec in zip(self.names, self.vectors)
            },
            "matrix": [[str(value) for value in row] for row in self.matrix],
            "matrix_latex": [[LATEX(value) for value in row] for row in self.matrix],
            "matrix_float": [[float(value) for value in row] for row in self.matrix],
        }

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return (
            f"<Embeddings at layer {self.layer!r}: {len(self.names)} images, "
            f"{self.metric}>"
        )

    def _repr_latex_(self) -> str:
        return f"$$\n{self.to_latex()}\n$$"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def embeddings(network, weights, data, layer: str, metric: str = "cosine"):
    """The Embeddings of `data`'s images at the layer named `layer` (or "input") with
    exact `weights` (network order), `metric` between every pair (slide L9)."""
    number = layer_number(network, layer)
    names, vectors, matrix = embedding_table(network, weights, data, number, metric)
    return Embeddings(layer, metric, names, vectors, matrix)
