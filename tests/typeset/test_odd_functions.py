"""Weights put into tanh keep their signs and the neurons their order: SymPy would
write tanh(-3/2 + ...) as -tanh(3/2 + ...), flipping every printed weight."""

import sympy as sp

from conftest import DERIVATIONS
from symcnn.cli.main import main
from symcnn.typeset.latex import make_printer

WEIGHTS = """missing = "zero"
[weights]
"b_{0}" = -1.5
"w_{1,0}" = -0.5
"w_{2,0}" = 0.25
"w_{3,0}" = -2
"w_{1}" = 1
"w_{11,1}" = 1
"w_{12,2}" = 1
"w_{21,3}" = 1
"b_{1}" = -1
"b_{2}" = 1
"b_{3}" = "1/2"
"""


def tanh_count11(tmp_path):
    text = (DERIVATIONS / "count11.toml").read_text()
    spec = tmp_path / "t.toml"
    tanh = 'bias_first = true\nactivation = "tanh"'
    spec.write_text(text.replace("bias_first = true", tanh))
    (tmp_path / "w.toml").write_text(WEIGHTS)
    return spec


def test_tanh_with_weights_keeps_signs_and_neuron_order(tmp_path, capsys):
    spec = tanh_count11(tmp_path)
    args = ["derive", str(spec), "--weights", str(tmp_path / "w.toml")]
    assert main([*args, "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert (
        "  F_{NN}(P) = tanh(-3/2 - 1/2 f(p_{11} - 1) + 1/4 f(p_{12} + 1)\n"
        "            - 2 f(p_{21} + 1/2))\n"
    ) in out
    assert "-tanh" not in out


def test_a_power_of_tanh_keeps_its_exponent_in_latex():
    x = sp.Symbol("x")
    show = make_printer({}, "latex").doprint
    assert show(sp.tanh(x) ** 2) == r"\tanh(x)^{2}"


def test_a_fraction_weight_is_written_before_its_neuron():
    x, y = sp.symbols("x y")
    f = sp.Function("f")
    show = make_printer({}, "latex").doprint
    weighted = sp.Mul(sp.Rational(-3, 10), f(x + y), evaluate=False)
    assert show(sp.Add(x, weighted, evaluate=False)) == r"x - \frac{3}{10} f(x + y)"
    mean = sp.Mul(sp.Rational(1, 3), sp.Add(f(x), f(y), evaluate=False), y,
                  evaluate=False)
    assert show(mean) == r"\frac{1}{3} (f(x) + f(y)) y"
    assert show(sp.Rational(1, 3) * x) == r"\frac{x}{3}"  # a symbol: as the lecture
    mean = sp.Mul(sp.Rational(1, 4), sp.Add(x, y, evaluate=False), evaluate=False)
    assert show(mean) == r"\frac{x + y}{4}"  # a mean of symbols, as the lecture
