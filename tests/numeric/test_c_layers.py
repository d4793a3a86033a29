"""The "c" backend built from the network (c_layers.py) on random architectures with
kinks and ties: integer weights and pixels put ReLU arguments at exactly 0 and tie
max/min windows; overlapping and padded windows, groups, strides, every
activation and loss. Against the python backend (the trace's own program), the
trace printed as C (c-scalar) bit for bit, PyTorch, and itself in threads."""

import numpy as np
import pytest
import torch_reference
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symcnn as sc
from symcnn.numeric import c_layers
from symcnn.symbolic import trace as trace_module

KINKED = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def activations(draw, torch_conventions: bool):
    """Any activation; with torch_conventions PyTorch's f'(0), and only those exact
    on integers and dyadic numbers: PyTorch sums in another order, and an argument
    that is 0 only up to rounding could fall on the other side of the kink."""
    kinds = ["identity", "relu", "leaky_relu"]
    kind = draw(
        st.sampled_from(kinds if torch_conventions else [*kinds, "sigmoid", "tanh"])
    )
    options = {}
    if kind == "leaky_relu":
        options["slope"] = draw(st.sampled_from(["1/4", "1/128", "-1/2"]))
    if kind in ("relu", "leaky_relu") and not torch_conventions:
        options["grad_at_zero"] = draw(st.sampled_from(["0", "1", "1/2"]))
    return sc.activation(kind, **options)


def conv_layer(draw, shape, torch_conventions):
    channels = shape[0]
    filters = draw(st.sampled_from([1, 2, 4]))
    common = [g for g in (1, 2, 4) if channels % g == 0 and filters % g == 0]
    padding = draw(st.sampled_from([0, 1, ((0, 1), (1, 0)), ((1, 0), (0, 2))]))
    return sc.Conv2D(
        filters,
        (draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        stride=(draw(st.integers(1, 2)), draw(st.integers(1, 2))),
        padding=padding,
        groups=draw(st.sampled_from(common)),
        floor=True,
        bias=draw(st.booleans()),
        activation=activations(draw, torch_conventions),
    )


def pool_layer(draw, torch_conventions):
    largest = 2 if torch_conventions else 3  # averages of 1, 2 or 4 cells: exact
    size = (draw(st.integers(1, largest)), draw(st.integers(1, largest)))
    mode = draw(st.sampled_from(["max", "min", "avg"]))
    options = {}
    if mode == "avg":
        options["count_include_pad"] = draw(st.booleans())
    elif not torch_conventions:
        options["tie"] = draw(st.sampled_from(["first", "last"]))
    return sc.Pool2D(
        size,
        mode=mode,
        stride=draw(st.sampled_from([None, 1, 2])),  # 1: overlapping windows
        padding=draw(
            st.sampled_from(
                [(draw(st.integers(0, size[0] // 2)), size[1] // 2), (0, 0), "same"]
            )
        ),
        floor=True,
        **options,
    )


def dense_layer(draw, units, torch_conventions, activation=True):
    return sc.Dense(
        units,
        bias=draw(st.booleans()),
        weight_first=draw(st.booleans()),
        bias_first=draw(st.booleans()),
        activation=activations(draw, torch_conventions) if activation else None,
    )


@st.composite
def kinked_cases(draw, torch_conventions=False):
    """(network, loss, samples, seed): 1-3 conv/pool layers, an optional Flatten and
    hidden dense layer, a dense output of 1-3 units."""
    shape = (draw(st.sampled_from([1, 2, 4])), draw(st.integers(3, 6)))
    shape += (draw(st.integers(3, 6)),)
    start = sc.Input(channels=shape[0], height=shape[1], width=shape[2])
    layers = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            layer = conv_layer(draw, shape, torch_conventions)
        else:
            layer = pool_layer(draw, torch_conventions)
        try:
            probe = sc.Network(
                sc.Input(channels=shape[0], height=shape[1], width=shape[2]), layer
            )
        except sc.SymcnnError:  # does not fit this input
            continue
        shape = probe.shapes[1]
        layers.append(layer)
    if draw(st.booleans()):
        layers.append(sc.Flatten())
    if draw(st.booleans()):
        layers.append(dense_layer(draw, draw(st.integers(1, 3)), torch_conventions))
    outputs = draw(st.integers(1, 3))
    layers.append(dense_layer(draw, outputs, torch_conventions, activation=False))
    losses = ["squared_error", "mean_squared_error"]
    if not torch_conventions:
        losses.append("cross_entropy" if outputs > 1 else "binary_cross_entropy")
    loss = draw(st.sampled_from(losses))
    samples = draw(st.sampled_from([1, 15, 17, 33, 40]))
    return sc.Network(start, *layers), loss, samples, draw(st.integers(0, 2**16))


def integer_data(network, loss, samples, seed, *, real=False):
    """Pixels in -1..2 and integer weights in -2..2: sums land on 0 and windows tie;
    with real=True the pixels are normal random numbers instead, so that a sum in
    another order would round differently."""
    rng = np.random.default_rng(seed)
    images = rng.integers(-1, 3, (samples, *network.shapes[0])).astype(float)
    if real:
        images = rng.normal(size=images.shape)
    outputs = network.output_size
    if loss == "cross_entropy":
        targets = rng.integers(0, outputs, (samples, 1))
    elif loss == "binary_cross_entropy":
        targets = rng.integers(0, 2, (samples, 1))
    else:
        targets = rng.integers(-2, 3, (samples, outputs))
    data = sc.Dataset.from_rows(list(zip(images.tolist(), targets.tolist())))
    theta = rng.integers(-2, 3, len(network.parameters)).astype(float)
    return data, theta


@KINKED
@given(kinked_cases())
def test_c_gives_the_python_backends_loss_gradient_and_forward_bits(case):
    network, loss, samples, seed = case
    data, theta = integer_data(network, loss, samples, seed, real=seed % 2 == 1)
    trace = sc.build_trace(network, loss=loss)
    ours = sc.compile_objective(trace, data, backend="c")(theta)
    theirs = sc.compile_objective(trace, data, backend="python")(theta)
    assert ours[0] == pytest.approx(theirs[0], rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12, atol=1e-12)
    images = data.pixel_arrays()
    forward = sc.compile_forward(trace, backend="c")(theta, images)
    printed = sc.compile_forward(trace, backend="c-scalar")(theta, images)
    assert forward.tobytes() == printed.tobytes()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kinked_cases(torch_conventions=True))
def test_c_gives_pytorchs_loss_and_gradient_at_kinks_and_ties(case):
    network, _, samples, seed = case
    data, theta = integer_data(network, "squared_error", samples, seed)
    trace = sc.build_trace(network)
    loss, gradient = sc.compile_objective(trace, data, backend="c")(theta)
    torch_loss, torch_gradient = torch_reference.loss_and_gradient(network, theta, data)
    assert loss == pytest.approx(torch_loss, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(gradient, torch_gradient, rtol=1e-10, atol=1e-12)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kinked_cases())
def test_threads_and_blocks_give_the_same_bits(case):
    """1, 2 and 3 threads (3 blocks of 16 and a part of one: 53 samples), and a
    sample's outputs alone or 37th of 53."""
    network, loss, _, seed = case
    data, theta = integer_data(network, loss, 53, seed)
    trace = sc.build_trace(network, loss=loss)
    objective = sc.compile_objective(trace, data, backend="c")
    objective.program.thread_min_blocks = 1
    runs = set()
    for threads in (1, 2, 3):
        objective.program.threads = threads
        assert len(objective.program.chunks(53)) == threads
        value, gradient = objective(theta)
        runs.add((value, gradient.tobytes()))
    assert len(runs) == 1
    forward = sc.compile_forward(trace, backend="c")
    images = data.pixel_arrays()
    assert (
        forward(theta, images)[36:37].tobytes()
        == forward(theta, images[36:37]).tobytes()
    )


def test_values_the_loss_does_not_read_get_no_adjoint():
    """Stride 2 with kernel 1 reads the corners of the first conv's 3x3 values only;
    the others get no adjoint terms. The gradient is the trace program's."""
    network = sc.Network(
        sc.Input(channels=1, height=3, width=3),
        sc.Conv2D(1, 3, padding=1, activation="relu", bias=True),
        sc.Conv2D(1, 1, stride=2),
        sc.Dense(1),
    )
    connections = [None, *(c_layers.layer_connections(network, n) for n in (1, 2, 3))]
    live = c_layers.live_values(network, connections)
    corners = [True, False, True, False, False, False, True, False, True]
    assert live[1].tolist() == corners and live[0].all()
    data, theta = integer_data(network, "squared_error", 17, 4)
    trace = sc.build_trace(network)
    ours = sc.compile_objective(trace, data, backend="c")(theta)
    python = sc.compile_objective(trace, data, backend="python")(theta)
    np.testing.assert_allclose(ours[1], python[1], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("tie", ["first", "last"])
@pytest.mark.parametrize("mode", ["max", "min", "avg"])
def test_overlapping_windows_add_their_cells_adjoints(mode, tie):
    """3x3 windows at stride 1 on 5x5 values: the middle cell is in 9 windows, and
    with integer pixels most windows tie."""
    options = {} if mode == "avg" else {"tie": tie}
    network = sc.Network(
        sc.Input(channels=1, height=5, width=5),
        sc.Conv2D(2, 1, activation=sc.activation("leaky_relu", slope="1/4")),
        sc.Pool2D(3, mode=mode, stride=1, padding=1, **options),
        sc.Dense(2),
    )
    data, theta = integer_data(network, "squared_error", 19, 7)
    trace = sc.build_trace(network)
    ours = sc.compile_objective(trace, data, backend="c")(theta)
    python = sc.compile_objective(trace, data, backend="python")(theta)
    assert ours[0] == pytest.approx(python[0], rel=1e-12)
    np.testing.assert_allclose(ours[1], python[1], rtol=1e-12, atol=1e-12)


def test_weights_that_meet_only_padding_get_gradient_zero():
    """A 3x3 kernel on a 1x1 input padded by 1 meets the pixel with its centre only:
    the 8 other weights of each filter get 0, as in the trace's program."""
    network = sc.Network(
        sc.Input(channels=1, height=1, width=1),
        sc.Conv2D(2, 3, padding=1, activation="relu", bias=True),
        sc.Dense(1),
    )
    data, theta = integer_data(network, "squared_error", 17, 4)
    theta[:] = 1.0  # every ReLU argument positive: the centres' gradients are not 0
    trace = sc.build_trace(network)
    loss, gradient = sc.compile_objective(trace, data, backend="c")(theta)
    python = sc.compile_objective(trace, data, backend="python")(theta)
    np.testing.assert_allclose(gradient, python[1], rtol=1e-12)
    unused = [k for k in range(18) if k % 9 != 4]  # both kernels but their centres
    assert not gradient[unused].any() and gradient[[4, 13]].all()


def test_compiling_the_c_backend_builds_no_trace_rows(monkeypatch):
    """compile_objective, compile_forward, accuracy and sc.train with backend c
    read the network, never the trace's SymPy rows."""
    from symcnn.numeric.accuracy import accuracy

    def refuse(*args):
        raise AssertionError("the trace's rows were built")

    network = sc.Network(
        sc.Input(channels=1, height=12, width=12),
        sc.Conv2D(4, 3, activation="relu", bias=True),
        sc.MaxPool2D(2),
        sc.Dense(10),
    )
    data, theta = integer_data(network, "squared_error", 20, 1)
    monkeypatch.setattr(trace_module, "trace_rows", refuse)
    trace = sc.build_trace(network)
    assert trace.terms > 5_000  # big enough for "auto" to compile C
    sc.compile_objective(trace, data, backend="c")(theta)
    sc.compile_forward(trace, backend="c")(theta, data.pixel_arrays())
    assert accuracy(trace, theta, data).total == 20
    result = sc.train(network, data, backend="c", steps=2)
    assert len(result.weights) == len(network.parameters)
    with pytest.raises(AssertionError, match="rows were built"):
        trace.rows


@pytest.mark.parametrize("first", [sc.Flatten(), sc.MaxPool2D(2, stride=1)])
def test_the_pixels_get_no_adjoint_rows_or_loops(first):
    network = sc.Network(
        sc.Input(channels=2, height=2, width=2), first, sc.Dense(3, activation="relu")
    )
    program = c_layers.build(network, "squared_error")
    table = program.table.packed()
    dest = table[2 : 2 + table[0]]
    pixels = program.shift + np.arange(1, 9)
    assert not np.isin(dest, pixels).any()
    assert not any(f"({program.shift + 1} + i)" in part for part in program.loops.parts)
    data, theta = integer_data(network, "squared_error", 17, 3)
    trace = sc.build_trace(network)
    ours = sc.compile_objective(trace, data, backend="c")(theta)
    python = sc.compile_objective(trace, data, backend="python")(theta)
    np.testing.assert_allclose(ours[1], python[1], rtol=1e-12, atol=1e-12)
