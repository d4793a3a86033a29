"""Gradient descent on the compiled loss."""

import numpy as np
import pytest

import symcnn as sc
from conftest import count11_network


def test_default_training_reaches_zero_loss_from_seed_0(count11_data):
    result = sc.train(count11_network(), count11_data)
    assert result.final_loss < 1e-8
    assert result.stopped == "tolerance"
    assert result.history[0] > 0.5  # it really started far away
    assert len(result.history) == result.steps + 1


def test_learned_weights_fit_every_sample(count11_data):
    net = count11_network()
    result = sc.train(net, count11_data, seed=5)
    outputs = sc.compile_forward(sc.build_trace(net))(
        result.weights, count11_data.pixel_arrays()
    )
    np.testing.assert_allclose(outputs[:, 0], [1, 2, 0], atol=1e-5)
    assert list(result.weights_by_name())[:3] == ["w_{1}", "w_{2}", "w_{11,1}"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_adam_reaches_zero_loss(count11_data, seed):
    result = sc.train(count11_network(), count11_data, optimizer="adam", seed=seed)
    assert result.final_loss < 1e-8


def test_gradient_descent_step_is_theta_minus_lr_gradient(count11_data):
    net = count11_network()
    theta = sc.initial_weights(net, 4)
    result = sc.train(net, count11_data, initial=theta, steps=1, lr=0.01)
    _, gradient = sc.compile_objective(sc.build_trace(net), count11_data)(theta)
    np.testing.assert_allclose(result.weights, theta - 0.01 * gradient, rtol=1e-15)


def test_same_seed_same_result(count11_data):
    first = sc.train(count11_network(), count11_data, seed=9, steps=50)
    second = sc.train(count11_network(), count11_data, seed=9, steps=50)
    np.testing.assert_array_equal(first.weights, second.weights)


def test_initial_weights_are_uniform_within_one_over_sqrt_fan_in():
    net = count11_network()
    theta = sc.initial_weights(net, 0)
    bounds = [1 / np.sqrt(2)] * 2 + [1 / 2] * 20 + [1 / 2] * 5
    assert np.all(np.abs(theta) <= bounds)


def test_divergence_names_the_step_and_suggests_a_smaller_rate(count11_data):
    with pytest.raises(
        sc.SymcnnError, match=r"diverged at step \d+.*smaller learning rate"
    ):
        sc.train(count11_network(), count11_data, lr=1e6, restarts=1)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"optimizer": "sgd"}, "unknown optimizer 'sgd'"),
        ({"lr": -1.0}, "learning rate `lr` is -1.0"),
        ({"steps": 2.5}, "`steps` is 2.5"),
        ({"restarts": 0}, "`restarts` is 0"),
    ],
)
def test_bad_training_options_are_named(count11_data, options, message):
    with pytest.raises(sc.SymcnnError, match=message):
        sc.train(count11_network(), count11_data, **options)


def test_generic_f_can_be_derived_but_not_trained(count11_data):
    net = sc.Network(
        sc.Input(height=2, width=3), sc.Conv2D(1, (1, 2), activation="f"), sc.Dense(1)
    )
    assert "f(p_{11} w_{1} + p_{12} w_{2})" in sc.derive(net).to_text()
    with pytest.raises(sc.NotNumericError, match="generic activation f"):
        sc.train(net, count11_data)
