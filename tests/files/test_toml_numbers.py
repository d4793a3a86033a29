"""TOML float literals too small for a float (1e-400 reads as 0.0 in tomllib) are
refused as 1e400 is, naming the file, the key, its line and the fix, in spec and
weight files alike; the same number in quotes is kept exact."""

from fractions import Fraction

import pytest
import sympy as sp

from symcnn.errors import SpecError
from symcnn.files.spec import parse_spec, read_spec
from symcnn.files.tomlfile import parse, read_float
from symcnn.files.weights import read_weight_file
from symcnn.model.exact import given

SPEC = """\
[input]
height = 1
width = 2

[[layers]]
type = "dense"
units = 1
activation = "leaky_relu"
slope = {slope}

[data]
samples = [
  {{ image = [[{pixel}, 1]], y = {y} }},
]

[train]
tol = {tol}
lr = {lr}
"""
FINE = {"slope": '"1/3"', "pixel": "0", "y": "1", "tol": "0", "lr": "0.1"}


def spec(**changes) -> str:
    return SPEC.format(**{**FINE, **changes})


@pytest.mark.parametrize(
    "key, where, line",
    [
        ("slope", "layer 1.slope, line 9", 9),
        ("pixel", "data.samples[0].image[0][0], line 13", 13),
        ("y", "data.samples[0].y, line 13", 13),
        ("tol", "train.tol, line 17", 17),
        ("lr", "train.lr, line 18", 18),
    ],
)
def test_an_underflowing_literal_is_refused_with_its_place(key, where, line):
    with pytest.raises(SpecError) as error:
        parse_spec(spec(**{key: "1e-400"}), source="spec file 's.toml'")
    assert str(error.value) == (
        f"spec file 's.toml': {where}: 1e-400: the number is too small for float64 "
        "(under 4.9e-324, TOML would read it as 0); write 0 if you mean it, or the "
        "exact number in quotes ('1e-400')"
    )


def test_quoted_small_numbers_are_exact():
    read = parse_spec(spec(slope='"1e-400"', pixel='"-1e-400"', y='"1e-400"'))
    assert read.network.layers[0].activation.slope == sp.Rational(1, 10**400)
    (sample,) = read.data.samples
    assert given(sample, "image")[0, 0, 0] == Fraction(-1, 10**400)
    assert given(sample, "target") == (Fraction(1, 10**400),)


@pytest.mark.parametrize("literal", ["0.0", "-0.0", "0e5", "+0.000e-400", "5e-324"])
def test_zeros_and_the_least_float_are_read(literal):
    assert read_float(literal) == float(literal)
    assert type(read_float(literal)) is float
    document = parse(f"x = {literal}\n", "f")
    assert document == {"x": float(literal)}


def test_underflow_in_a_weight_file(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text('"w_{1}" = 1\n"w_{2}" = 2.5e-401\n')
    with pytest.raises(SpecError, match=r"w_\{2\}, line 2: 2.5e-401: the number is "):
        read_weight_file(path)


def test_underflow_with_underscores_names_the_key(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(spec(tol="1_0e-4_00"))
    with pytest.raises(SpecError, match=r"train.tol, line 17: 1_0e-4_00: the number "):
        read_spec(path)


def test_negative_zero_is_zero():
    read = parse_spec(spec(slope="-0.0", pixel="-0.0", y="-0.0"))
    slope = read.network.layers[0].activation.slope
    assert slope == 0 and slope is sp.S.Zero  # prints "0 x": the value it is
    assert given(read.data.samples[0], "image")[0, 0, 0] == 0
