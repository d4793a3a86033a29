"""Objective and Forward take the same arguments on every backend (arguments.py): a
theta of the wrong length or shape, a bad batch or bad images give the same
SymcnnError; a list theta, an empty batch and no images give the same result."""

import numpy as np
import pytest

import symcnn as sc

BACKENDS = ("python", "numpy", "c", "c-scalar")
NETWORK = sc.Network(
    sc.Input(channels=1, height=3, width=3),
    sc.Conv2D(2, (2, 2), activation="relu"),
    sc.Dense(2),
)
DATA = sc.Dataset.from_rows(
    [("010/111/000", 0), ("111/111/111", 1), ("000/000/000", 1)]
)
THETA = np.linspace(-1, 1, len(NETWORK.parameters))  # 26 parameters


@pytest.fixture(scope="module", params=BACKENDS)
def objective(request):
    trace = sc.build_trace(NETWORK, loss="cross_entropy")
    return sc.compile_objective(trace, DATA, backend=request.param)


@pytest.fixture(scope="module", params=BACKENDS[1:])
def forward(request):
    return sc.compile_forward(sc.build_trace(NETWORK), backend=request.param)


@pytest.mark.parametrize(
    ("theta", "shape"),
    [(THETA[:-1], "(25,)"), (np.r_[THETA, 1.0], "(27,)"), (THETA[None], "(1, 26)")],
)
def test_a_theta_of_the_wrong_shape_is_refused_alike(objective, forward, theta, shape):
    message = (
        f"theta has shape {shape}, but the network has 26 parameters; pass a vector "
        "of 26 floats in parameter order (network.parameters)"
    )
    with pytest.raises(sc.SymcnnError) as raised:
        objective(theta)
    assert str(raised.value) == message
    with pytest.raises(sc.SymcnnError) as raised:
        forward(theta, np.ones((1, 1, 3, 3)))
    assert str(raised.value) == message


def test_a_list_theta_gives_the_arrays_numbers(objective, forward):
    loss, gradient = objective(list(THETA))
    expected = objective(THETA)
    assert loss == pytest.approx(expected[0], rel=1e-14)
    np.testing.assert_allclose(gradient, expected[1], rtol=1e-13)
    images = np.ones((2, 1, 3, 3))
    np.testing.assert_array_equal(forward(list(THETA), images), forward(THETA, images))


def test_an_empty_batch_sums_nothing(objective):
    loss, gradient = objective(THETA, np.array([], dtype=int))
    assert loss == 0.0
    np.testing.assert_array_equal(gradient, np.zeros(26))


@pytest.mark.parametrize("index", [-1, 3, 100])
def test_a_batch_index_outside_the_samples_is_refused(objective, index):
    with pytest.raises(sc.SymcnnError) as raised:
        objective(THETA, np.array([0, index]))
    assert str(raised.value) == (
        f"batch index {index} is outside the data's samples 0 to 2; pass indices in "
        "that range (negative ones are not read from the end)"
    )


def test_no_images_give_no_outputs(forward):
    outputs = forward(THETA, np.ones((0, 1, 3, 3)))
    assert outputs.shape == (0, 2)


@pytest.mark.parametrize("shape", [(2, 1, 2, 2), (2, 2, 3, 3), (3, 3)])
def test_images_of_another_shape_are_refused(forward, shape):
    with pytest.raises(sc.SymcnnError) as raised:
        forward(THETA, np.ones(shape))
    assert str(raised.value) == (
        f"images have shape {shape}, but the network's input is (1, 3, 3); pass "
        "(samples, 1, 3, 3) floats"
    )


def test_one_image_without_the_batch_axis_is_named(forward):
    """(1, 3, 3) is one image of the input's shape: said so, not 'has shape (1, 3, 3),
    but the input is (1, 3, 3)'."""
    with pytest.raises(sc.SymcnnError) as raised:
        forward(THETA, np.ones((1, 3, 3)))
    assert str(raised.value) == (
        "images have shape (1, 3, 3), the shape of ONE image; pass a batch of shape "
        "(samples, 1, 3, 3), e.g. images[None] for one image"
    )


def test_an_empty_dataset_proves_nothing_and_is_refused():
    """Dataset(()) summed no loss: check passed any weights with 'loss 0'."""
    empty = sc.Dataset(())
    message = "the dataset is empty; {} needs at least one sample with a target"
    with pytest.raises(sc.SymcnnError, match=message.format("the exact check")):
        sc.check(NETWORK, THETA.round().astype(int).tolist(), empty)
    with pytest.raises(sc.SymcnnError, match=message.format("the loss")):
        sc.compile_objective(sc.build_trace(NETWORK), empty)


def test_a_dataset_of_other_things_than_samples_is_refused():
    with pytest.raises(sc.SymcnnError) as raised:
        sc.Dataset((1, 2))
    assert str(raised.value).startswith("sample 1: 1 is not a Sample; build datasets")
