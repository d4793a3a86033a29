"""The page's generated JavaScript, run in the browser, against symcnn's compiled
backends on random networks: the loss, the gradient and every value of the grids,
at random points and at kinks (ReLU arguments exactly 0, tied pooling windows), for
every loss."""

import itertools

import numpy as np
import pytest
from browser import chromium, open_page
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import architectures, pooled_architectures

import symcnn as sc
from symcnn.explore.page import explorer_page
from symcnn.model.layers import Flatten
from symcnn.numeric.c_backend import has_compiler

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
PAGES = itertools.count()


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("pages")


def in_page(browser, folder, network, data, theta, loss="squared_error"):
    """(loss, gradient, every sample's cell values) computed by the page."""
    page = explorer_page(network, data, theta, loss=loss, title="random", lr=0.01)
    path = folder / f"page{next(PAGES)}.html"
    path.write_text(page)
    open_page(browser, path)
    api = "return window.symcnnExplore"
    result = browser.execute_script(f"{api}.evaluate(arguments[0])", list(theta))
    cells = [
        browser.execute_script(f"{api}.cellValues(arguments[0], {s})", list(theta))
        for s in range(len(data))
    ]
    return result["loss"], np.array(result["grad"]), np.array(cells)


def compiled_cells(trace, theta, data) -> np.ndarray:
    """Every grid's values (the input, then each layer but Flatten), per sample."""
    images = data.pixel_arrays()
    layers = sc.compile_layer_values(trace)(theta, images)
    kept = [
        values
        for number, values in enumerate(layers)
        if number == 0 or not isinstance(trace.network.layers[number - 1], Flatten)
    ]
    return np.concatenate(kept, axis=1)


def assert_page_agrees(browser, folder, network, data, theta, backends=("python",)):
    loss_kind = "squared_error"
    trace = sc.build_trace(network, loss=loss_kind)
    loss, gradient, cells = in_page(browser, folder, network, data, theta, loss_kind)
    for backend in backends:
        expected, expected_gradient = sc.compile_objective(
            trace, data, backend=backend
        )(theta)
        assert loss == pytest.approx(expected, rel=1e-12, abs=1e-12), backend
        # entries that cancel to about 0 carry rounding of their largest terms
        scale = 1e-12 * max(1.0, np.abs(expected_gradient).max())
        np.testing.assert_allclose(gradient, expected_gradient, rtol=1e-12, atol=scale)
    expected_cells = compiled_cells(trace, theta, data)
    scale = 1e-12 * max(1.0, np.abs(expected_cells).max())
    np.testing.assert_allclose(cells, expected_cells, rtol=1e-12, atol=scale)


def random_case(network, samples, seed, at_kinks):
    """Weights in {-1, 0, 1} on 0/1 images (kinks and ties often) or floats."""
    rng = np.random.default_rng(seed)
    count = len(network.parameters)
    if at_kinks:
        theta = rng.integers(-1, 2, count).astype(float)
        images = rng.integers(0, 2, (samples, *network.shapes[0]))
    else:
        theta = rng.normal(size=count)
        images = rng.integers(-4, 5, (samples, *network.shapes[0]))
    targets = rng.integers(-1, 2, (samples, network.output_size))
    data = sc.Dataset.from_rows(list(zip(images.tolist(), targets.tolist())))
    return theta, data


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(architectures(), st.booleans())
def test_page_equals_compiled_on_random_networks(browser, folder, case, at_kinks):
    network, samples, seed = case
    theta, data = random_case(network, min(samples, 8), seed, at_kinks)
    assert_page_agrees(browser, folder, network, data, theta)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pooled_architectures(), st.booleans())
def test_page_equals_compiled_on_pooling_networks(browser, folder, case, at_kinks):
    """Max/min pooling ties and ReLU'(0) as the trace decides them."""
    network, samples, seed = case
    theta, data = random_case(network, min(samples, 8), seed, at_kinks)
    assert_page_agrees(browser, folder, network, data, theta)


def kink_network(tie: str = "first", at_zero: int = 1) -> sc.Network:
    relu = sc.activation("relu", grad_at_zero=at_zero)
    return sc.Network(
        sc.Input(channels=2, height=4, width=4),
        sc.Conv2D(2, (2, 2), activation=relu),
        sc.Pool2D((3, 3), stride=1, tie=tie),
        sc.Conv2D(1, (1, 1), activation="relu", name="a"),
        sc.Dense(3, activation="sigmoid"),
        sc.Dense(2),
    )


def python_gradient(network, data, theta):
    return sc.compile_objective(sc.build_trace(network), data, backend="python")(
        theta
    )[1]


@pytest.mark.parametrize("tie, at_zero", [("first", 1), ("last", 0)])
def test_page_equals_compiled_at_kinks(browser, folder, tie, at_zero):
    """Both pooling tie rules and ReLU'(0) = 1 and 0, on a case where each choice
    changes the gradient, against the python and (with a C compiler) C backends."""
    network = kink_network(tie, at_zero)
    theta, data = random_case(network, 6, 16, at_kinks=True)  # tells all apart
    other_tie = kink_network("last" if tie == "first" else "first", at_zero)
    other_kink = kink_network(tie, 1 - at_zero)
    gradient = python_gradient(network, data, theta)
    for other in (other_tie, other_kink):  # the case can tell the conventions apart
        assert np.abs(gradient - python_gradient(other, data, theta)).max() > 0.01
    backends = ("python", "c") if has_compiler() else ("python",)
    assert_page_agrees(browser, folder, network, data, theta, backends)


@pytest.mark.parametrize(
    "loss, outputs, targets",
    [
        ("mean_squared_error", 2, [[1, -1], [0, 2], [1, 1]]),
        ("cross_entropy", 3, [0, 2, 1]),
        ("binary_cross_entropy", 1, [1, 0, 1]),
    ],
)
def test_page_equals_compiled_for_every_loss(browser, folder, loss, outputs, targets):
    network = sc.Network(
        sc.Input(channels=1, height=3, width=3),
        sc.Conv2D(2, (2, 2), activation="tanh"),
        sc.Dense(outputs),
    )
    rng = np.random.default_rng(5)
    theta = rng.normal(size=len(network.parameters))
    images = rng.integers(0, 2, (3, 1, 3, 3)).tolist()
    data = sc.Dataset.from_rows(list(zip(images, targets)))
    trace = sc.build_trace(network, loss=loss)
    page_loss, gradient, _ = in_page(browser, folder, network, data, theta, loss)
    expected, expected_gradient = sc.compile_objective(trace, data)(theta)
    assert page_loss == pytest.approx(expected, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(gradient, expected_gradient, rtol=1e-12, atol=1e-12)
