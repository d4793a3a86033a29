"""A value written for F_NN(P) (slide L4: f(-1) + ... = 0) is matched against every
binary image: sifted in floats, confirmed exactly, in well under a second."""

import time

import numpy as np
import sympy as sp
from conftest import L4_WEIGHTS, count11_network, l1_network

import symcnn as sc
from symcnn.formulas.formulacheck import Checker
from symcnn.formulas.images import candidates

# 12 pixels (4,096 images) through two layers of weights: 56 s when every image was
# expanded symbolically.
TWELVE = sc.Network(
    sc.Input(height=3, width=4),
    sc.Conv2D(2, (2, 2), name="a", activation="relu"),
    sc.Dense(1, bias=False),
)


def timed_verdict(checker: Checker, formula: str):
    start = time.perf_counter()
    (verdict,) = checker.check(formula)
    assert time.perf_counter() - start < 2
    return verdict


def test_a_value_no_image_gives_is_wrong_at_once():
    verdict = timed_verdict(Checker(sc.build_trace(TWELVE)), "F_{NN}(P) = 12345")
    assert verdict.status == "wrong"
    assert verdict.differences[0].startswith("12345 should be f(p_{11} w_{1,11} + ")


def test_a_value_of_the_formula_is_found_on_its_first_image():
    verdict = timed_verdict(Checker(sc.build_trace(TWELVE)), "F_{NN}(P) = 0")
    assert (verdict.status, verdict.reason) == (
        "correct",
        "on the image 0000/0000/0000",
    )


def test_with_weights_the_first_image_with_that_value_is_named():
    network = count11_network()
    weights = sc.resolve(network, L4_WEIGHTS, missing="zero")
    checker = Checker(sc.build_trace(network), weights=weights)
    verdict = timed_verdict(checker, "F_{NN}(P) = f(1) + f(1)")  # two "11" pairs
    assert (verdict.status, verdict.reason) == ("correct", "on the image 000/111")


def test_a_generic_activation_is_tested_exactly_on_every_image():
    checker = Checker(sc.build_trace(l1_network()), same_letter_case=True)
    (verdict,) = checker.check("F_{NN}(P) = 7")  # 512 images, about 1 s
    assert verdict.status == "wrong"


def test_the_float_sift_keeps_every_image_where_the_value_is_exact():
    p, q = sp.symbols("p q")
    images = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    relu = sc.model.activations.ReLU
    assert candidates(
        relu(p - q) + sp.Rational(1, 3), [p, q], images, sp.Rational(4, 3)
    ) == [2]
    assert candidates(sp.Function("f")(p), [p, q], images, 0) == [0, 1, 2, 3]
    assert candidates(1 / (p - q), [p, q], images, 1) == [0, 2, 3]  # 1/0 kept
