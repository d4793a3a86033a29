"""One self-contained HTML page per spec: the skeleton, the styles, DATA, the generated
program and the page's script (fields.js, then page.js), all inline.

Safety: every text of the user's (the title from the spec's first comment, file
and sample names) is HTML-escaped here or set as textContent by the script; DATA is
JSON with <, >, & and the JavaScript line separators escaped, so nothing in it can
close the script. The Content-Security-Policy allows nothing but this page's own
script and style, each named by its SHA-256 hash: no network, no other script,
no inline event handlers, no forms.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from importlib import resources

from ..errors import SymcnnError
from ..limits import MAX_EXPLORE_TERMS
from ..model.images import DEFAULT_ALPHABET
from ..symbolic.trace import build_trace
from .data import page_data
from .jscode import program_code
from .text import visible

SKELETON = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="symcnn explore">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<h1>{title}</h1>
<p class="note">{source}. Click any value for its formula; edit any weight (1, -0.5,
-1/2): every value, the loss, the residuals, the gradient and the verdict follow,
computed by JavaScript that symcnn generated from the network's trace (ReLU'(0) and
pooling ties as in <code>symcnn check</code>).</p>
<p>Sample: <select id="sample" aria-label="sample"></select></p>
<p id="stale" class="wrong" role="alert" hidden></p>
<div id="explain" hidden><span id="label"></span><span id="formula-part"><span
class="eq">=</span><span id="formula"></span><span class="eq">=</span><span
id="numbers"></span></span><span id="applied-part"><span class="eq">=</span><span
id="applied"></span></span><span class="eq">=</span><span id="value"
class="number"></span></div>
<div id="grids"></div>
<section><h2>Target</h2>
<p id="verdict" class="{verdict_class}">{verdict}</p><ul id="wrong"></ul></section>
<div class="columns">
<section><h2>Weights and gradient</h2>
<table class="numbers"><thead><tr><th>parameter</th><th>value</th>
<th>dL/d&#x3B8;</th></tr></thead><tbody id="weights"></tbody></table></section>
<section id="training"><h2>Loss</h2>
<p>L = <span id="loss" class="number"></span></p>
<table class="numbers"><thead><tr><th>sample</th><th>F_NN(P)</th><th>Y</th>
<th>F - Y</th></tr></thead><tbody id="residuals"></tbody></table>
<h2>Gradient descent</h2>
<p>learning rate <input id="lr" aria-label="learning rate"><span id="why-lr"
class="why"></span> steps <input id="steps" value="100" aria-label="steps"><span
id="why-steps" class="why"></span> <button id="step">step</button>
<button id="train">train</button>
<button id="reset">reset weights</button></p>
<svg id="curve" viewBox="0 0 400 100" preserveAspectRatio="none" role="img"
aria-label="loss curve"><polyline id="curve-line" points=""></polyline></svg>
<p id="curve-label" class="note"></p><p id="diverged" class="wrong"></p></section>
</div>
<script>{script}</script>
</body>
</html>
"""


def asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def script_json(value) -> str:
    """JSON that is also safe inside <script>: no <, >, & or line separators."""
    text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def digest(text: str) -> str:
    """The CSP source for an inline element with exactly this text."""
    sha = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(sha).decode('ascii')}'"


def policy(script: str, style: str) -> str:
    return (
        f"default-src 'none'; script-src {digest(script)}; style-src {digest(style)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )


def render(data: dict, program: str, *, title: str, source: str) -> str:
    """The page around DATA and the generated program."""
    behaviour = asset("fields.js") + asset("page.js")
    script = f"const DATA = {script_json(data)};\n{program}\n{behaviour}"
    style = asset("page.css")
    # what would end the script element early (script_json escapes DATA's <)
    assert "</script" not in script.lower() and "<!--" not in script
    verdict = "" if data["verdict"] else "The spec has no [target] to check."
    verdict_class = "" if data["verdict"] else "note"
    return SKELETON.format(
        policy=html.escape(policy(script, style)),
        title=html.escape(title),
        source=html.escape(source),
        style=style,
        script=script,
        verdict=html.escape(verdict),
        verdict_class=verdict_class,
    )


def explorer_page(
    network,
    data,
    weights,
    *,
    target=None,
    loss: str = "squared_error",
    title: str = "symcnn explore",
    lr: float = 0.05,
    source: str = "a network",
    alphabet=DEFAULT_ALPHABET,
) -> str:
    """The page of `network` on `data` (a Dataset, with or without targets) starting
    from `weights` (floats or exact numbers, in parameter order), with the live
    verdict against `target` (a function of an image, as a spec's [target]) on every
    image over `alphabet` (the spec's [data] alphabet) when given; `title` and
    `source` (what it was made from) are the user's text, escaped here."""
    trace = build_trace(network, loss=loss)
    if trace.terms > MAX_EXPLORE_TERMS:
        raise SymcnnError(
            f"the network has {trace.terms:,} terms in its trace; the explorer page "
            "carries every value's formula (about 1 kB per term), so it takes "
            f"networks of at most {MAX_EXPLORE_TERMS:,} terms (MAX_EXPLORE_TERMS); "
            "use a smaller input or fewer filters or units (derive, check and train "
            "take it as it is)"
        )
    code = program_code(trace)
    floats = [float(w) for w in weights]
    data = page_data(trace, data, floats, target, code, lr, alphabet)
    source = f"symcnn explore of {visible(source)} (loss: {trace.loss_kind})"
    return render(data, code.source, title=visible(title), source=source)
