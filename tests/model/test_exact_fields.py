"""Numbers read without SymPy (issue 17): a spec's pixels, targets, slopes and alphabet
are held as Fractions (exact.to_fraction) and read as the same SymPy numbers as
before (exact.Exact); the SymPy functions moved to modules of their own are still
importable from where they were, and pickle."""

import pickle
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import symcnn as sc
from symcnn.model import activation_functions, activations, images, loss_functions
from symcnn.model import losses
from symcnn.model.data import Dataset, Sample
from symcnn.model.exact import as_sympy, given, to_fraction, to_rational


def test_samples_read_as_sympy_numbers_held_as_fractions():
    data = Dataset.from_rows([("01/10", 1), ([[0, "1/2"], [0.25, -3]], [2, "-1/3"])])
    binary, mixed = data.samples
    zero, one = Fraction(0), Fraction(1)
    assert given(binary, "image").tolist() == [[[zero, one], [one, zero]]]
    assert given(mixed, "target") == (Fraction(2), Fraction(-1, 3))
    assert [type(v) for v in binary.image.flat] == [
        sp.core.numbers.Zero, sp.core.numbers.One, sp.core.numbers.One,
        sp.core.numbers.Zero,
    ]  # fmt: skip
    assert mixed.image.tolist() == [[[0, sp.Rational(1, 2)], [sp.Rational(1, 4), -3]]]
    assert [type(v) for v in mixed.image.flat] == [
        sp.core.numbers.Zero, sp.core.numbers.Half, sp.Rational, sp.Integer,
    ]  # fmt: skip
    assert mixed.target == (sp.Integer(2), sp.Rational(-1, 3))
    assert type(mixed.target[0]) is sp.Integer and mixed.image.dtype == object
    assert binary.image is binary.image  # converted once, then kept
    pixels = [[[[0, 1], [1, 0]]], [[[0, 0.5], [0.25, -3]]]]
    assert data.pixel_arrays().tolist() == pixels


def test_samples_given_sympy_numbers_keep_them():
    image = np.array([[[sp.Integer(1), sp.Rational(1, 3)]]], dtype=object)
    sample = Sample("P1", image, (sp.Integer(1),))
    assert sample.image is image and given(sample, "image") is image
    ints = Sample("P2", np.array([[[1, 0]]], dtype=object), (1,))
    assert isinstance(ints.image[0, 0, 0], sp.Integer)  # read as from_rows reads it
    assert ints.target == (1,)


def test_samples_pickle_compare_and_replace():
    (sample,) = Dataset.from_rows([("011/001", "1/2")]).samples
    copy = pickle.loads(pickle.dumps(sample))
    assert copy.target == (sp.Rational(1, 2),)
    assert type(copy.image[0, 0, 1]) is sp.core.numbers.One
    renamed = replace(sample, name="image 1")
    assert renamed.name == "image 1" and renamed.target == sample.target
    assert np.array_equal(renamed.image, sample.image)
    with pytest.raises(TypeError, match="missing 1 required positional argument"):
        Sample("P1", image=sample.image)  # target has no default, as before


def test_one_hot_rows_are_sympy_integers():
    data = Dataset.from_rows([("01", 2)])
    (sample,) = losses.loss_data("cross_entropy", data, 3).samples
    assert sample.target == (0, 0, 1) and type(sample.target[2]) is sp.core.numbers.One
    with pytest.raises(sc.DataError, match="target 1/2 is not a class index"):
        losses.loss_data("cross_entropy", Dataset.from_rows([("01", "1/2")]), 3)


def test_activation_numbers_are_sympy_rationals():
    relu = activations.activation("relu")
    assert relu.grad_at_zero is sp.S.Zero and relu.slope == sp.Rational(1, 100)
    assert type(relu.slope) is sp.Rational
    leaky = activations.activation("leaky_relu", slope="1/3", grad_at_zero=0.5)
    assert (leaky.slope, leaky.grad_at_zero) == (sp.Rational(1, 3), sp.S.Half)
    again = activations.Activation("relu")
    assert again == relu and hash(again) == hash(relu)
    assert pickle.loads(pickle.dumps(leaky)) == leaky
    x = sp.Symbol("x")
    assert leaky(x) == activation_functions.LeakyReLU(x, sp.Rational(1, 3))
    assert leaky.derivative(sp.Integer(0)) == sp.S.Half


def test_moved_names_are_provided_where_they_were():
    assert activations.ReLU is activation_functions.ReLU
    assert activations.APPLY is activation_functions.APPLY
    assert activations.KINDS == tuple(activation_functions.APPLY)
    assert losses.LogSumExp is loss_functions.LogSumExp
    assert losses.float_value is loss_functions.float_value
    assert images.DEFAULT_ALPHABET == (0, 1)
    assert images.DEFAULT_ALPHABET is images.DEFAULT_ALPHABET  # one tuple
    assert type(images.DEFAULT_ALPHABET[1]) is sp.core.numbers.One
    for module in (activations, losses, images):
        with pytest.raises(AttributeError, match="has no attribute 'nope'"):
            module.nope  # noqa: B018
    x, y = sp.symbols("x y")
    expression = losses.LogSumExp(x, y) + losses.SoftPlus(activations.ReLU(x))
    assert pickle.loads(pickle.dumps(expression)) == expression


def test_fractions_and_rationals_agree():
    for text in ("2", "-1/3", "0.25", "1e-5", 0.1, 7, Fraction(2, 4)):
        exact = to_fraction(text, "x")
        assert type(exact) is Fraction and to_rational(text, "x") == as_sympy(exact)
        assert sp.Rational(exact.numerator, exact.denominator) == to_rational(text, "x")
    assert to_fraction(sp.Rational(-2, 6), "x") == Fraction(-1, 3)
    with pytest.raises(sc.SymcnnError, match="'1/0' divides by zero"):
        to_fraction("1/0", "x")
    with pytest.raises(sc.SymcnnError, match="is not a number"):
        to_fraction(sp.Float(0.5), "x")
