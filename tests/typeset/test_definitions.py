"""Every activation a network uses is defined under its formulas, in text and LaTeX."""

import pytest

import symcnn as sc


def net(*activations):
    layers = [sc.Dense(2, activation=a) for a in activations]
    return sc.Network(sc.Input(height=1, width=2), *layers, sc.Dense(1))


@pytest.mark.parametrize(
    "act, text, latex",
    [
        (
            "relu",
            "where f = ReLU, f(x) = max(0, x)",
            r"\text{where } f = \operatorname{ReLU},\ f(x) &= \max(0, x)",
        ),
        (
            sc.activation("leaky_relu", slope=0.2),
            "where LReLU(x) = x for x > 0, 0.2 x for x <= 0",
            r"\text{where } \operatorname{LReLU}(x) &= "
            r"\begin{cases} x & x > 0 \\ 0.2 x & x \le 0 \end{cases}",
        ),
        (
            sc.activation("leaky_relu", slope="1/3"),
            "where LReLU(x) = x for x > 0, 1/3 x for x <= 0",
            r"\text{where } \operatorname{LReLU}(x) &= "
            r"\begin{cases} x & x > 0 \\ \frac{1}{3} x & x \le 0 \end{cases}",
        ),
        (
            "sigmoid",
            "where sigma(x) = 1 / (1 + e^(-x))",
            r"\text{where } \sigma(x) &= \frac{1}{1 + e^{-x}}",
        ),
        (
            "tanh",
            "where tanh(x) = (e^x - e^(-x)) / (e^x + e^(-x))",
            r"\text{where } \tanh(x) &= \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
        ),
    ],
)
def test_each_activation_is_defined_in_text_and_latex(act, text, latex):
    derivation = sc.derive(net(act))
    assert derivation.to_text().splitlines()[-1] == text
    assert derivation.to_latex().splitlines()[-2:] == [latex, r"\end{aligned}"]


def test_default_leaky_slope_is_pytorchs_and_each_kind_is_defined_once():
    derivation = sc.derive(net("leaky_relu", "tanh", "leaky_relu", "relu"))
    assert derivation.to_text().splitlines()[-3:] == [
        "where LReLU(x) = x for x > 0, 0.01 x for x <= 0",
        "where tanh(x) = (e^x - e^(-x)) / (e^x + e^(-x))",
        "where f = ReLU, f(x) = max(0, x)",
    ]


def test_identity_and_generic_f_need_no_definition():
    for act in ("identity", "f"):
        derivation = sc.derive(net(act))
        assert "where" not in derivation.to_text()
        assert r"\text{where" not in derivation.to_latex()
