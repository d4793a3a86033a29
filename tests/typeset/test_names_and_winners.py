"""A layer named with a word prints upright as one word (\\mathrm{hidden}_{11}, not
the product h i d d e n), and a max pool's derivative prints as firstmax_{i} with a
"where" line saying what it is (it was MaxWinner(0, ...), defined nowhere)."""

from symcnn.cli.main import main

SPEC = """[input]
height = 2
width = 2
[[layers]]
type = "conv"
filters = 1
kernel = [1, 1]
activation = "relu"
name = "hidden"
[[layers]]
type = "maxpool"
size = 2
name = "m"
[[layers]]
type = "dense"
units = 1
[data]
samples = [ { image = "10/01", y = 1 } ]
"""


def write_spec(tmp_path):
    spec = tmp_path / "hm.toml"
    spec.write_text(SPEC)
    return str(spec)


def test_a_word_name_is_upright_in_latex_and_plain_in_text(tmp_path, capsys):
    spec = write_spec(tmp_path)
    assert main(["derive", spec, "--format", "latex"]) == 0
    assert "\n\\mathrm{hidden}_{11} &= p_{11} w \\\\\n" in capsys.readouterr().out
    assert main(["derive", spec, "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "  hidden_{11} = p_{11} w\n" in out
    assert "  m_{11} = max(f(hidden_{11}), f(hidden_{12}), f(hidden_{21}), " in out
    assert main(["derive", spec, "--beamer", "-o", str(tmp_path / "b.tex")]) == 0
    assert r"\begin{frame}{Layer $\mathrm{hidden}$}" in (tmp_path / "b.tex").read_text()


def test_max_pool_gradient_prints_firstmax_and_defines_it(tmp_path, capsys):
    spec = write_spec(tmp_path)
    assert main(["derive", spec, "--gradient", "w", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert (
        "  dL/dhidden_{12} = dL/dm_{11} firstmax_2(f(hidden_{11}), f(hidden_{12}),\n"
    ) in out
    assert (
        "where firstmax_i(x_1, ..., x_n) = 1 if x_i is the first largest x_k, "
        "else 0 (= d max / d x_i)\n"
    ) in out
    assert "MaxWinner" not in out
    assert main(["derive", spec, "--gradient", "w", "--format", "latex"]) == 0
    out = capsys.readouterr().out
    assert (
        r"\frac{\partial L}{\partial \mathrm{hidden}_{11}} &= \frac{\partial L}"
        r"{\partial m_{11}} \operatorname{firstmax}_{1}(f(\mathrm{hidden}_{11}), "
    ) in out
    assert (
        r"\text{where } \operatorname{firstmax}_{i}(\dots) &= 1 \text{ if argument } "
        r"i \text{ is the first largest, else } 0"
    ) in out
