"""Exact proofs about hand-picked weights (slide L4)."""

import sympy as sp
from conftest import L4_WEIGHTS, count11_network

import symcnn as sc


def l4_report(data, **options):
    return sc.check(count11_network(), L4_WEIGHTS, data, missing="zero", **options)


def test_l4_weights_give_loss_exactly_zero(count11_data):
    report = l4_report(count11_data)
    assert report.loss == 0 and isinstance(report.loss, sp.Integer)
    assert report.outputs == ((1,), (2,), (0,))
    assert report.residuals == ((0,), (0,), (0,))


def test_l4_gradient_is_exactly_zero(count11_data):
    report = l4_report(count11_data)
    assert report.gradient_is_zero
    assert len(report.gradient) == 27


def test_l4_kinks_are_the_relu_arguments_at_zero(count11_data):
    report = l4_report(count11_data)
    met = [(k.sample, k.row.symbol.name) for k in report.kinks]
    # P1 = 011/001: a_{11} = a_{22} = 1, so f(a_{11} - 1) and f(a_{22} - 1) sit at 0.
    assert met == [
        ("P1", "_h2_1"),
        ("P1", "_h2_4"),
        ("P2", "_h2_2"),
        ("P2", "_h2_3"),
        ("P3", "_h2_1"),
        ("P3", "_h2_2"),
        ("P3", "_h2_3"),
        ("P3", "_h2_4"),
    ]
    assert {k.convention for k in report.kinks} == {
        "ReLU'(0) = 0 (one-sided: left 0, right 1)"
    }


def test_l4_matches_count_11_on_all_64_binary_images(count11_data):
    report = l4_report(count11_data, target=sc.count_pattern("11"))
    assert report.exhaustive.checked == 64
    assert report.exhaustive.mismatches == ()
    assert report.passed


def test_lecture_checks_000_000_gives_0_and_111_111_gives_4():
    data = sc.Dataset.from_rows([("000/000", 0), ("111/111", 4)])
    report = l4_report(data)
    assert report.outputs == ((0,), (4,))


def test_wrong_weights_fail_with_exact_nonzero_gradient(count11_data):
    weights = dict(L4_WEIGHTS, **{"b_{1}": "-1/2"})
    report = sc.check(
        count11_network(),
        weights,
        count11_data,
        missing="zero",
        target=sc.count_pattern("11"),
    )
    # P1: f(a_{11} - 1/2) = 1/2 extra, P2: a_{11} = 2 -> 3/2 instead of 1,
    # P3: a_{11} = 1 -> 1/2 extra: residuals 1/2, 1/2, 1/2 and L = 3/4.
    assert report.residuals == ((sp.Rational(1, 2),),) * 3
    assert report.loss == sp.Rational(3, 4)
    assert not report.gradient_is_zero
    gradient = dict(
        zip([p.name.latex for p in count11_network().parameters], report.gradient)
    )
    assert (
        gradient["b_{1}"] == 3
    )  # 2 * (1/2 + 1/2 + 1/2), every sample has a_{11} > 1/2
    assert gradient["b_{0}"] == 3
    assert not report.passed
    assert report.exhaustive.checked == 64
    assert (
        len(report.exhaustive.mismatches) == 48
    )  # every image with p_{11} + p_{12} >= 1


def test_relu_derivative_convention_is_a_layer_option(count11_data):
    net = sc.Network(
        sc.Input(height=2, width=3),
        sc.Conv2D(1, (1, 2), name="a"),
        sc.Dense(4, activation=sc.activation("relu", grad_at_zero=1)),
        sc.Dense(1, weight_first=True, bias_first=True),
    )
    weights = dict(L4_WEIGHTS, **{"b_{0}": "1/3"})  # loss > 0 so kinks carry gradient
    at_one = sc.check(net, weights, count11_data, missing="zero")
    at_zero = sc.check(count11_network(), weights, count11_data, missing="zero")
    assert at_one.loss == at_zero.loss == sp.Rational(1, 3)
    assert at_one.gradient != at_zero.gradient
    assert at_one.kinks[0].convention == "ReLU'(0) = 1 (one-sided: left 0, right 1)"
