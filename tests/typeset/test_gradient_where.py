"""derive --gradient defines the z^{(l)}_k it uses and puts --weights in."""

from conftest import DERIVATIONS, count11_network

import symcnn as sc
from symcnn.cli.main import main
from symcnn.typeset.gradients import delta_lines, gradient_lines

L4 = {"w_1": 1, "w_2": 1, "w_{11,1}": 1, "w_{12,2}": 1, "w_{21,3}": 1,
      "w_{22,4}": 1, "b_1": -1, "b_2": -1, "b_3": -1, "b_4": -1,
      "w_{1,0}": 1, "w_{2,0}": 1, "w_{3,0}": 1, "w_{4,0}": 1}  # fmt: skip


def where(rows):
    return [f"{lhs} = {rhs}" for section, lhs, rhs in rows if section == "where"]


def test_every_z_used_is_defined_in_forward_order():
    rows = gradient_lines(sc.build_trace(count11_network()), "w_1", "text")
    assert where(rows) == [
        f"z^{{(2)}}_{{{k}}} = a_{{11}} w_{{11,{k}}} + a_{{12}} w_{{12,{k}}} "
        f"+ a_{{21}} w_{{21,{k}}} + a_{{22}} w_{{22,{k}}} + b_{{{k}}}"
        for k in (1, 2, 3, 4)
    ] + [
        "F_{NN} = b_{0} + w_{1,0} f(z^{(2)}_{1}) + w_{2,0} f(z^{(2)}_{2}) "
        "+ w_{3,0} f(z^{(2)}_{3}) + w_{4,0} f(z^{(2)}_{4})"
    ]


def test_l4_weights_give_the_lectures_short_forms():
    net = count11_network()
    weights = sc.resolve(net, L4, missing="zero")
    rows = gradient_lines(sc.build_trace(net), "w_1", "text", weights)
    chain = {lhs: rhs for section, lhs, rhs in rows if section == "chain rule"}
    assert chain["dL/dz^{(2)}_{1}"] == "dL/dF_{NN} f'(z^{(2)}_{1})"
    assert chain["dL/da_{11}"] == "dL/dz^{(2)}_{1}"
    assert where(rows)[:2] == ["z^{(2)}_{1} = a_{11} - 1", "z^{(2)}_{2} = a_{12} - 1"]
    deltas = delta_lines(sc.build_trace(net), "text", weights)
    assert where(deltas)[-1] == (
        "F_{NN} = f(z^{(2)}_{1}) + f(z^{(2)}_{2}) + f(z^{(2)}_{3}) + f(z^{(2)}_{4})"
    )


def test_cli_gradient_honours_weights_and_defines_f(capsys):
    spec = str(DERIVATIONS / "count11.toml")
    weights = str(DERIVATIONS / "count11-weights.toml")
    assert main(["derive", spec, "--gradient", "w_1", "--weights", weights]) == 0
    out = capsys.readouterr().out
    assert "  dL/dz^{(2)}_{1} = dL/dF_{NN} f'(z^{(2)}_{1})\n" in out
    assert "Where:\n  z^{(2)}_{1} = a_{11} - 1\n" in out
    assert "where f = ReLU, f(x) = max(0, x)\n" in out


def test_latex_says_where_and_defines_the_activation(capsys):
    spec = str(DERIVATIONS / "count11.toml")
    assert main(["derive", spec, "--deltas", "--format", "latex"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2:] == [
        r"\text{where } f = \operatorname{ReLU},\ f(x) &= \max(0, x)",
        r"\end{aligned}",
    ]
    first = next(line for line in lines if line.startswith(r"\text{where } z"))
    assert first.startswith(r"\text{where } z^{(2)}_{1} &= a_{11} w_{11,1} + ")
