"""What Jupyter shows for symcnn's objects: the same reports as the command line.

A class cannot import the stage that writes its report (a CheckReport lives in prove/,
its report in cli/check_report.py), so the classes inherit model.display.RichDisplay
and this module, which may import every stage, registers a renderer per class.
symcnn/__init__.py imports it the first time an object is displayed.

    Network      the summary table (Markdown), as `symcnn summary --format markdown`
    CheckReport  the `symcnn check` report (HTML, preformatted)
    TrainResult  the `symcnn train` report and the loss curve inline (HTML, PNG)
    Composed     each composed kernel as a matrix and its bias (LaTeX)
Derivation and the L9 Embeddings table write their own LaTeX (typeset/).
"""

from __future__ import annotations

import base64
import html

from ..model.display import register
from ..model.network import Network
from ..numeric.accuracy import accuracy
from ..numeric.learned import describe
from ..numeric.training import TrainResult
from ..prove.verify import CheckReport
from ..symbolic.compose import Composed
from ..symbolic.trace import build_trace
from ..typeset.latex import make_printer
from ..typeset.plots import figure_png, plot_loss
from ..typeset.summary import summary_markdown
from .accuracy_report import TrainingAccuracy, accuracy_text
from .check_report import check_text
from .train_report import train_text


def preformatted(text: str) -> str:
    """Report text as HTML, kept as the terminal shows it (escaped: names such as
    w_{1} and user sample names are data)."""
    return f"<pre>{html.escape(text)}</pre>"


def check_html(report: CheckReport) -> str:
    return preformatted(check_text(report))


def train_html(result: TrainResult) -> str:
    """The `symcnn train` report (the exact re-check of snapped weights and the right
    and wrong samples need the data the result was trained on), then the loss curve
    as an inline PNG."""
    trace = build_trace(result.network, loss=result.loss_kind)
    learned = None
    if result.data is not None:
        learned = describe(trace, result.data, result.weights)
    text = train_text(trace, result, learned) if learned else repr(result)
    if result.data is not None and result.data.has_targets:  # as `symcnn train`
        right = accuracy(trace, result.weights, result.data)
        text += "\n" + accuracy_text(TrainingAccuracy(right, None))
    png = base64.b64encode(figure_png(plot_loss(result.history))).decode("ascii")
    return (
        preformatted(text)
        + f'<img alt="training loss" src="data:image/png;base64,{png}"/>'
    )


def composed_latex(composed: Composed) -> str:
    r"""K_{f,c} = \begin{pmatrix} ... \end{pmatrix} per filter f and channel c, and
    each filter's bias b_f, in one aligned block."""
    names = composed.trace.names if composed.trace is not None else {}
    show = make_printer(names, "latex").doprint
    filters, channels = composed.kernel.shape[:2]
    rows = []
    for f in range(filters):
        for c in range(channels):
            cells = " \\\\ ".join(
                " & ".join(show(v) for v in row) for row in composed.kernel[f, c]
            )
            index = f"{f + 1},{c + 1}" if channels > 1 else f"{f + 1}"
            rows.append(rf"K_{{{index}}} &= \begin{{pmatrix}} {cells} \end{{pmatrix}}")
        rows.append(rf"b_{{{f + 1}}} &= {show(composed.bias[f])}")
    return "$$\n\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}\n$$"


register(Network, "markdown", summary_markdown)
register(CheckReport, "html", check_html)
register(TrainResult, "html", train_html)
register(Composed, "latex", composed_latex)
