"""The loss L(w) and the outputs F_{NN}(P_k) as verify compares them, at the level
the writer chose, the levels `symcnn derive` prints:

    L(w) = (F_{NN}(P_{1}) - 1)^{2} + ...          in the outputs on the samples
    L(w) = (b_{0} + w_{1,0} f(w_{2} ...) - 1)^{2}  the images put in (weights left)
    L(w) = (1 - 1)^{2} + (2 - 2)^{2} = 0           the weights put in too

for every loss of model/losses.py: the mean's 1/(N K), and the cross entropies as
derive writes them (-log softmax(F_{NN}(P_1))_{2}, -log sigma(F_{NN}(P_1)), their
log(e^{...} + e^{...}) and log(1 + e^{...}) forms). `elementary` writes both sides
in log and exp alone, so that every one of those forms expands to the same terms.
"""

from __future__ import annotations

import sympy as sp

from ..model.activations import ReLU, Sigmoid
from ..model.losses import LogSumExp, Softmax, SoftPlus, loss_scale
from ..model.pooling import PoolMax
from ..symbolic.terms import lecture_product, lecture_sum, substitute
from ..symbolic.trace import Trace
from ..typeset.forms import Forms, sample_loss


def output_symbol(sample: int, output: int | None = None) -> sp.Symbol:
    """F_{NN}(P_{sample}) (its `output`-th of several: F_{NN}(P_{sample})_{output})."""
    tail = "" if output is None else f"_{output}"
    return sp.Symbol(f"_F_P{sample}{tail}")


def sample_outputs(trace: Trace, sample: int) -> list[sp.Symbol]:
    """The symbols of F_{NN}(P_{sample})'s outputs, one per output."""
    count = len(trace.outputs)
    if count == 1:
        return [output_symbol(sample)]
    return [output_symbol(sample, k) for k in range(1, count + 1)]


def output_values(trace: Trace, data, weights) -> dict:
    """F_{NN}(P_k)'s symbol -> its formula on sample k's image (weights put in when
    given)."""
    parameters = dict(zip(trace.parameters, weights or ()))
    values = {}
    formulas = [trace.inline(out, keep_named=False) for out in trace.outputs]
    for number, sample in enumerate(data.samples, start=1):
        pixels = dict(zip(trace.pixels.flat, sample.image.flat))
        for symbol, formula in zip(sample_outputs(trace, number), formulas):
            values[symbol] = substitute(substitute(formula, pixels), parameters)
    return values


def loss_of_outputs(trace: Trace, data) -> sp.Expr:
    """The loss in F_{NN}(P_k)'s symbols: one term a sample (its squares, or its
    cross entropy), times the mean's 1/(N K)."""
    forms = Forms(trace, data)
    kind, terms = trace.loss_kind, []
    for number, sample in enumerate(forms.loss_data().samples, start=1):
        outputs = sample_outputs(trace, number)
        parts = sample_loss(kind, outputs, sample.target)
        terms += parts if kind in ("squared_error", "mean_squared_error") else [
            lecture_sum(parts)
        ]
    scale = loss_scale(kind, len(data), len(trace.outputs))
    return lecture_product([scale, lecture_sum(terms)])


def loss_of_images(trace: Trace, data, weights) -> sp.Expr:
    """The loss with the images put in, and the weights when given; a squared loss
    as derive prints it with numbers, (F - y)^2 per output unevaluated, so that its
    numbers round as printed (derive --decimals)."""
    kind = trace.loss_kind
    if kind not in ("squared_error", "mean_squared_error"):
        return Forms(trace, data, weights).loss_with_images(
            substituted=weights is not None
        )
    values = output_values(trace, data, weights)
    terms = []
    for number, sample in enumerate(data.samples, start=1):
        for symbol, y in zip(sample_outputs(trace, number), sample.target):
            residual = sp.Add(values[symbol], -y, evaluate=False)
            terms.append(sp.Pow(residual, 2, evaluate=False))
    scale = loss_scale(kind, len(data), len(trace.outputs))
    return lecture_product([scale, sp.Add(*terms, evaluate=False)])


def elementary(expr: sp.Expr) -> sp.Expr:
    """`expr` with softplus, log-sum-exp, log sigma and log softmax in log and exp:

        softplus(x) = log(1 + e^x)         lse(x) = log(sum_k e^{x_k})
        log sigma(x) = -log(1 + e^{-x})    log(1 - sigma(x)) = -log(1 + e^x)
        log softmax(x)_i = x_i - log(sum_k e^{x_k}),

    and max(0, x), a max pool on an image with a 0 in it, as ReLU(x): `\\max(0, x)`
    reads as ReLU (the lecture's f(x) = max(0, x)). A log's inside is built anew
    (rebuilt): expanding does not sort the inside of a log, and a sum as written
    keeps its order (e^{1} + e^{0})."""
    if expr.is_Atom or not expr.has(sp.log, SoftPlus, LogSumExp, Softmax, PoolMax):
        return expr
    args = [elementary(arg) for arg in expr.args]
    if isinstance(expr, PoolMax) and len(args) == 2 and sp.S.Zero in args:
        return ReLU(args[1] if args[0] == 0 else args[0])
    if isinstance(expr, SoftPlus):
        return sp.log(rebuilt(1 + sp.exp(args[0])))
    if isinstance(expr, LogSumExp):
        return sp.log(rebuilt(sp.Add(*(sp.exp(x) for x in args))))
    if not isinstance(expr, sp.log):
        return expr.func(*args)
    inner = rebuilt(args[0])
    if isinstance(inner, Sigmoid):
        return -sp.log(rebuilt(1 + sp.exp(-inner.args[0])))
    rest = sp.expand(1 - inner)
    if isinstance(rest, Sigmoid):
        return -sp.log(rebuilt(1 + sp.exp(rest.args[0])))
    if isinstance(inner, Softmax):
        xs = inner.args[1:]
        lse = sp.log(rebuilt(sp.Add(*(sp.exp(x) for x in xs))))
        return xs[int(inner.args[0])] - lse
    return sp.log(inner)


def rebuilt(expr: sp.Expr) -> sp.Expr:
    """`expr` with every sum and product evaluated (its arguments in SymPy's order)."""
    if expr.is_Atom:
        return expr
    return expr.func(*(rebuilt(arg) for arg in expr.args))
