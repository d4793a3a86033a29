"""A Sample reads what it is given as Dataset.from_rows does, however it is built
(constructor, dataclasses.replace): floats as their shortest decimal, "1/10" and
"011/001" as text, nested lists, NumPy scalars and float32 arrays; Samples, Datasets
and Networks are values (==, hash, `in`, pickle)."""

import copy
import pickle
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
import torch

import symcnn as sc
from symcnn.model.data import Dataset, Sample
from symcnn.model.exact import given, to_fraction


def count11_net():
    return sc.Network(
        sc.Input(height=2, width=3), sc.Conv2D(1, (1, 2), name="a"), sc.Dense(1)
    )


def test_replaced_float_target_is_exact_in_check():
    (sample,) = Dataset.from_rows([("011/001", 1)]).samples
    data = Dataset((replace(sample, target=(1e-30,)),))
    assert given(data.samples[0], "target") == (Fraction(1, 10**30),)
    weights = [0] * 6 + [Fraction(1, 10**30) + Fraction(1, 10**46)]
    report = sc.check(count11_net(), weights, data, second_order=False)
    assert report.loss == sp.Rational(1, 10**92)  # was 0: a 15-digit Float target


@pytest.mark.parametrize("target", [(0.1,), ("1/10",), 0.1, [Fraction(1, 10)]])
def test_replaced_target_read_as_from_rows_reads_it(target):
    (sample,) = Dataset.from_rows([("011/001", 1)]).samples
    data = Dataset((replace(sample, target=target),))
    assert data.samples[0].target == (sp.Rational(1, 10),)
    assert type(data.samples[0].target[0]) is sp.Rational
    report = sc.check(count11_net(), [0] * 6 + [Fraction(1, 10)], data)
    assert report.loss == 0 and report.gradient_is_zero  # crashed in hessian.py


ROWS = [[0, 1, 1], [0, 0, 1]]


@pytest.mark.parametrize("image", ["011/001", ROWS, [ROWS], np.array(ROWS)])
def test_sample_built_directly_reads_its_image(image):
    sample = Sample("X", image, (1,))
    (expected,) = Dataset.from_rows([("011/001", 1)]).samples
    assert given(sample, "image").tolist() == given(expected, "image").tolist()
    assert [type(v) for v in given(sample, "image").flat] == [Fraction] * 6
    report = sc.check(count11_net(), [0] * 6 + [1], Dataset((sample,)))
    assert report.loss == 0


def test_sample_built_directly_gets_from_rows_errors():
    with pytest.raises(sc.DataError, match=r"^sample X: image '012' row 1 has the "):
        Sample("X", "012", (1,))
    with pytest.raises(sc.SymcnnError, match=r"^sample X: target: 'a' is not a num"):
        Sample("X", "011", ("a",))
    with pytest.raises(sc.SymcnnError, match=r"^sample X: pixel \(0, 0, 1\): "):
        Sample("X", [[0, "x"]], None)


def test_exact_values_are_kept_as_they_are():
    image = np.array([[[sp.Integer(1), sp.Rational(1, 3)]]], dtype=object)
    target = (sp.Integer(1),)
    sample = Sample("P1", image, target)
    assert given(sample, "image") is image and given(sample, "target") is target
    fractions = np.array([[[Fraction(1), Fraction(1, 3)]]], dtype=object)
    assert given(Sample("P1", fractions, None), "image") is fractions
    ints = Sample("P2", np.array([[[1, 0]]], dtype=object), (1,))
    assert ints.image.tolist() == [[[1, 0]]]  # ints read as from_rows reads them
    assert isinstance(ints.image[0, 0, 0], sp.Integer)
    assert isinstance(ints.target[0], sp.Integer)


def test_numpy_scalars_and_float32_read_as_their_shortest_decimal():
    image32 = np.array([[0.1, 0, 1], [0, 1, 1]], dtype=np.float32)
    for image in (image32, image32.astype(np.float16), torch.tensor(image32)):
        (sample,) = Dataset.from_rows([(image, 1)]).samples
        assert given(sample, "image")[0, 0, 0] == Fraction(1, 10)
    assert to_fraction(np.float64(0.1), "x") == Fraction(1, 10)
    assert to_fraction(np.float32(0.1), "x") == Fraction(1, 10)
    assert to_fraction(np.int64(3), "x") == 3
    data = Dataset.from_rows([("011/001", np.float64(0.1)), ("011/001", np.int64(3))])
    assert [s.target for s in data.samples] == [(sp.Rational(1, 10),), (3,)]
    with pytest.raises(sc.SymcnnError, match=r"is a 0-d array, not a number; give "):
        Dataset.from_rows([("011/001", torch.tensor(0.5))])
    with pytest.raises(sc.SymcnnError, match="too large, beyond float64"):
        to_fraction(np.float32("inf"), "x")
    with pytest.raises(sc.SymcnnError, match="is not a number"):
        to_fraction(np.bool_(True), "x")
    with pytest.raises(sc.SymcnnError, match="is not a number"):
        to_fraction(sp.Float(0.5), "x")  # not exact


def test_samples_and_datasets_are_values():
    rows = [("011/001", 1), ([[0, "1/2"]], ["1/3", 2])]
    first, second = Dataset.from_rows(rows), Dataset.from_rows(rows)
    assert first == second and hash(first) == hash(second)
    assert first.samples[0] in list(second.samples)
    assert first != Dataset.from_rows([("011/101", 1), rows[1]])
    assert first != Dataset.from_rows([rows[0], ([[0, "1/2"]], ["1/3", 3])])
    sample = first.samples[1]
    sample.image, sample.target  # noqa: B018  (read as SymPy: still equal)
    assert sample == second.samples[1] and hash(sample) == hash(second.samples[1])
    assert pickle.loads(pickle.dumps(sample)) == sample
    same = Sample("P2", np.array([[[sp.Integer(0), sp.Rational(1, 2)]]]), (
        sp.Rational(1, 3), 2))  # fmt: skip
    assert same == sample and hash(same) == hash(sample)
    assert replace(sample, name="P9") != sample
    assert len({first, second}) == 1 and Dataset(list(first.samples)) == first


def test_networks_are_values():
    net = count11_net()
    assert net == count11_net() and hash(net) == hash(count11_net())
    assert net == copy.copy(net) == pickle.loads(pickle.dumps(net))
    other = sc.Network(
        sc.Input(height=2, width=3), sc.Conv2D(1, (1, 2), name="b"), sc.Dense(1)
    )
    assert net != other and net != net.layers
    assert {net: 1}[copy.deepcopy(net)] == 1


def test_every_image_samples_are_taken_as_they_are_and_equal_built_ones():
    net = sc.Network(sc.Input(height=1, width=2), sc.Dense(1))
    data = sc.every_image_data(net, sc.count_pattern("11"))
    last = data.samples[-1]
    assert last == Sample("P4", "11", 1) and hash(last) == hash(Sample("P4", "11", 1))
    assert type(given(last, "image")[0, 0, 0]) is sp.core.numbers.One
    image = given(last, "image")
    assert Sample.of_exact("X", image, (sp.Integer(1),)).image is image
