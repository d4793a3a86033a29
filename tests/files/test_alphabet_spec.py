"""[data] alphabet: the pixel values of every image the exhaustive check enumerates."""

import sympy as sp

from symcnn.cli.main import main
from symcnn.files.spec import parse_spec

SPEC = """
[input]
height = 1
width = 2

[[layers]]
type = "dense"
units = 1
"""


def test_the_alphabet_is_read_in_order_and_binary_by_default():
    assert parse_spec(SPEC).alphabet == (0, 1)
    spec = parse_spec(SPEC + "[data]\nalphabet = [-1, 0, '1/2']\n")
    assert spec.alphabet == (-1, 0, sp.Rational(1, 2))
    assert spec.data is None


def test_an_alphabet_beside_samples():
    text = SPEC + "[data]\nalphabet = [0, 1, 2]\nsamples = [{ image = [[1, 2]] }]\n"
    spec = parse_spec(text)
    assert spec.alphabet == (0, 1, 2) and len(spec.data) == 1


def test_a_bad_alphabet_exits_2_naming_the_line_and_the_value(tmp_path, capsys):
    path = tmp_path / "spec.toml"
    path.write_text(SPEC + "\n[data]\nalphabet = [-1, 0, 1, 0]\n")
    assert main(["derive", str(path)]) == 2
    error = capsys.readouterr().err
    assert "alphabet: the value 0 is there twice (positions 2 and 4);" in error
    values = ", ".join(map(str, range(20)))
    path.write_text(SPEC + f"\n[data]\nalphabet = [{values}]\n")
    assert main(["derive", str(path)]) == 2
    error = capsys.readouterr().err
    assert "20 values are over the limit of 16 (limits.MAX_ALPHABET_SIZE)" in error
    assert "Traceback" not in error
