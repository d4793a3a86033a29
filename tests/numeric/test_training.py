"""Gradient descent on the compiled loss."""

import re

import numpy as np
import pytest
import sympy as sp
from conftest import L4_WEIGHTS, count11_network

import symcnn as sc
from symcnn.numeric import optimizers
from symcnn.numeric.training import batches


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


def test_divergence_stops_with_a_message_and_keeps_the_best_weights(count11_data):
    net = count11_network()
    result = sc.train(net, count11_data, lr=1e6, restarts=3)
    assert result.stopped == "diverged"
    assert re.match(
        r"training diverged at step (\d+): the loss went from \S+ \(step \d+\) to "
        r"\S+; use a smaller learning rate than lr=1e\+06 ",
        result.message,
    )
    assert result.attempts == 3 and result.attempt == 0  # no restart with the same lr
    assert np.isfinite(result.final_loss) and result.final_loss == min(result.history)
    objective = sc.compile_objective(sc.build_trace(net), count11_data)
    assert objective.loss(result.weights) == result.final_loss


def test_ctrl_c_returns_the_best_weights_and_the_history(count11_data, monkeypatch):
    calls = {"n": 0}
    original = optimizers.GradientDescent.step

    def interrupted_step(self, theta, gradient):
        calls["n"] += 1
        if calls["n"] == 30:
            raise KeyboardInterrupt
        return original(self, theta, gradient)

    monkeypatch.setattr(optimizers.GradientDescent, "step", interrupted_step)
    result = sc.train(count11_network(), count11_data, seed=5)
    assert result.stopped == "interrupted"
    assert len(result.history) == 30 and result.final_loss == min(result.history)
    assert "interrupted" in result.message


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_other_optimizers_reach_zero_loss(count11_data, optimizer):
    result = sc.train(count11_network(), count11_data, optimizer=optimizer, seed=2)
    assert result.final_loss < 1e-8


def test_momentum_step_is_pytorch_sgd_with_momentum():
    update = optimizers.Momentum(0.1, mu=0.9)
    theta = update.step(np.array([1.0]), np.array([2.0]))  # v = 2
    theta = update.step(theta, np.array([1.0]))  # v = 0.9 * 2 + 1 = 2.8
    np.testing.assert_allclose(theta, [1.0 - 0.2 - 0.28])


def test_mini_batches_train_on_a_larger_set():
    rows = [
        (sc.image_text(i), sc.count_pattern("11")(i))
        for i in sc.binary_images((1, 2, 3))
    ]
    data = sc.Dataset.from_rows(rows)
    result = sc.train(
        count11_network(), data, batch_size=16, optimizer="adam", steps=3000, tol=1e-8
    )
    # a batch loss under the tolerance stops training only when all 64 samples agree
    assert result.stopped == "tolerance" and result.final_loss < 1e-8
    assert sc.compile_objective(sc.build_trace(result.network), data).loss(
        result.weights
    ) == pytest.approx(result.final_loss, abs=1e-12)


def test_mini_batch_training_returns_the_final_weights_of_a_hand_written_loop():
    """Adam on batches of 16 from the same start and batch order, written out with
    the compiled objective: the result is the loop's last weights, not the weights of
    the luckiest batch."""
    rows = [
        (sc.image_text(i), sc.count_pattern("11")(i))
        for i in sc.binary_images((1, 2, 3))
    ]
    data = sc.Dataset.from_rows(rows)
    trace = sc.build_trace(count11_network())
    objective = sc.compile_objective(trace, data, backend="numpy")
    start = sc.initial_weights(trace.network, 3)
    result = sc.train_trace(
        trace,
        data,
        optimizer="adam",
        lr=0.01,
        steps=40,
        tol=0.0,
        batch_size=16,
        initial=start,
        seed=3,
        objective=objective,
    )
    theta, update = start, optimizers.Adam(0.01)
    order = batches(64, 16, np.random.default_rng([3, 0, 1]))
    for _ in range(40):
        _, gradient = objective(theta, next(order))
        theta = update.step(theta, gradient * 64 / 16)
    np.testing.assert_allclose(result.weights, theta, rtol=1e-12)
    assert result.final_loss == pytest.approx(objective.loss(theta), rel=1e-12)
    assert result.final_loss < result.history[0]


def test_progress_bar_shows_the_loss(count11_data, capsys):
    sc.train(count11_network(), count11_data, progress=True, steps=300, restarts=1)
    err = capsys.readouterr().err
    assert "start 1/1" in err and "loss=" in err


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


def test_loss_plot_has_one_point_per_step(count11_data, tmp_path):
    from symcnn.typeset.plots import plot_loss

    result = sc.train(count11_network(), count11_data, seed=3)
    path = tmp_path / "loss.png"
    figure = plot_loss(result.history, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    (line,) = figure.axes[0].lines
    assert len(line.get_xdata()) == len(result.history) == result.steps + 1
    assert figure.axes[0].get_yscale() == "log"


def test_learned_weights_are_snapped_and_rechecked_exactly(count11_data):
    from symcnn.numeric.learned import describe, snap

    assert snap(0.49999999) == sp.Rational(1, 2) and snap(0.3183) is None
    net = count11_network()
    trace = sc.build_trace(net)
    hand = sc.resolve(net, L4_WEIGHTS, missing="zero")
    nearly = np.array([float(w) + 1e-7 for w in hand])
    learned = describe(trace, count11_data, nearly, given=hand)
    assert learned.all_snapped and tuple(learned.snapped) == hand
    assert learned.exact_loss == 0
    assert learned.compared_images == 64 and learned.gap < 1e-5


@pytest.mark.parametrize(
    "row, message",
    [
        (
            ([[0, 1, 1], [0, 0, sp.Integer(10) ** 400]], 1),
            r"sample P2: pixel \(channel 1, row 2, column 3\) is 1\.00e\+400, "
            r"beyond float64 \(about 1\.8e308\), so training would read it as "
            r"infinity; scale the images and targets",
        ),
        (
            ("011/001", -(sp.Integer(10) ** 309)),
            r"sample P2: target 1 is -1\.00e\+309, beyond float64",
        ),
    ],
)
@pytest.mark.parametrize("backend", ["python", "numpy", "c"])
def test_a_pixel_or_target_beyond_float64_is_refused_not_called_divergence(
    row, message, backend
):
    data = sc.Dataset.from_rows([("110/011", 2), row])
    with pytest.raises(sc.DataError, match=message):
        sc.train(count11_network(), data, backend=backend)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"tol": float("nan")}, r"^tolerance `tol` is nan; use a number >= 0"),
        ({"tol": -1.0}, r"^tolerance `tol` is -1\.0; use a number >= 0 such as 1e-12$"),
        ({"tol": "x"}, r"^tolerance `tol` is 'x'; use a number >= 0"),
        (
            {"initial": [0.0] * 3},
            r"^`initial` has shape \(3,\) but the network has 27 parameters; give one "
            r"weight per parameter, in network order$",
        ),
        (
            {"initial": [0.0] * 26 + [float("inf")]},
            r"^`initial` weight b_\{0\} is inf; give finite weights",
        ),
        ({"initial": ["a"] * 27}, r"^`initial` is not a list of 27 numbers"),
    ],
)
@pytest.mark.parametrize("backend", ["python", "numpy", "c"])
def test_bad_tolerance_or_initial_weights_are_named(
    count11_data, options, message, backend
):
    with pytest.raises(sc.SymcnnError, match=message):
        sc.train(count11_network(), count11_data, backend=backend, **options)


def test_an_infinite_first_loss_blames_the_data_not_the_learning_rate():
    # a target of -1e308: (F + 1e308)^2 is inf before any step
    net = sc.Network(sc.Input(channels=1, height=1, width=1), sc.Dense(1))
    data = sc.Dataset.from_rows([([[1]], -1e308)])
    result = sc.train(net, data, restarts=1)
    assert result.stopped == "diverged"
    assert result.message == (
        "the loss is already inf at the initial weights (step 0, before any update), "
        "so the learning rate is not the cause; check the data (a target or pixel too "
        "large for float64 arithmetic, such as 1e308) and the initial weights"
    )


def test_divergence_names_the_last_recorded_loss_and_the_rate_as_given(count11_data):
    result = sc.train(count11_network(), count11_data, lr=1000, restarts=1)
    assert result.stopped == "diverged"
    step = int(re.match(r"training diverged at step (\d+)", result.message)[1])
    last = result.history[-1]  # the loss before the jump is the history's last
    assert f"the loss went from {last:.3g} (step {step - 1}) to " in result.message
    assert "lr=1000 (the best" in result.message
