"""Every compiled backend against the exact verifier: the same loss and gradient at
random rational points and at kinks (ReLU arguments exactly 0, tied pooling cells), on
random architectures; the C backend's compiler handling and cache."""

import numpy as np
import pytest
import sympy as sp
from conftest import DERIVATIONS, L4_WEIGHTS, count11_network
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import pooled_architectures

import symcnn as sc

BACKENDS = ("python", "numpy", "c", "c-scalar", "llvm")


def assert_equals_exact(trace, weights, data, backends=BACKENDS):
    """Each backend's loss and gradient at `weights` equal the exact ones."""
    exact = sc.check_trace(trace, weights, data)
    theta = np.array([float(w) for w in weights])
    for backend in backends:
        loss, gradient = sc.compile_objective(trace, data, backend=backend)(theta)
        assert loss == pytest.approx(float(exact.loss), rel=1e-12, abs=1e-12), backend
        np.testing.assert_allclose(
            gradient,
            [float(g) for g in exact.gradient],
            rtol=1e-11,
            atol=1e-11,
            err_msg=backend,
        )
    return exact


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pooled_architectures(), st.booleans())
def test_every_backend_equals_exact_at_random_points_and_kinks(case, at_kinks):
    """at_kinks: weights in {-1, 0, 1} and 0/1 images, so that ReLU arguments are
    exactly 0 and pooling windows tie often; else dyadic rationals (exact in float64,
    so every backend sees the kinks the exact arithmetic sees)."""
    network, samples, seed = case
    rng = np.random.default_rng(seed)
    count = len(network.parameters)
    if at_kinks:
        weights = [sp.Integer(int(n)) for n in rng.integers(-1, 2, count)]
        images = rng.integers(0, 2, (samples, *network.shapes[0]))
    else:
        weights = [sp.Rational(int(n), 8) for n in rng.integers(-16, 17, count)]
        images = rng.integers(-4, 5, (samples, *network.shapes[0]))
    targets = rng.integers(-1, 2, (samples, network.output_size))
    data = sc.Dataset.from_rows(list(zip(images.tolist(), targets.tolist())))
    assert_equals_exact(sc.build_trace(network), weights, data)


def test_l4_weights_meet_eight_kinks_and_every_backend_agrees(count11_data):
    net = count11_network()
    weights = [sp.Integer(L4_WEIGHTS.get(p.name.latex, 0)) for p in net.parameters]
    exact = assert_equals_exact(sc.build_trace(net), weights, count11_data)
    assert len(exact.kinks) == 8 and exact.loss == 0


def test_ties_in_max_pooling_send_the_gradient_to_the_same_cell_everywhere():
    spec = sc.read_spec(DERIVATIONS / "l5_pooling.toml")
    network = sc.Network(spec.network.input, *spec.network.layers, sc.Dense(1))
    image = np.ones(network.shapes[0], dtype=int)  # every window is a four-way tie
    data = sc.Dataset.from_rows([(image.tolist(), 1)])
    weights = [sp.Rational(k + 1, 4) for k in range(len(network.parameters))]
    exact = assert_equals_exact(sc.build_trace(network), weights, data)
    assert len(exact.kinks) == 4  # the four windows


def test_c_forward_equals_numpy_forward():
    network = sc.read_spec(DERIVATIONS / "l6_multichannel.toml").network
    trace = sc.build_trace(network)
    theta = sc.initial_weights(network, 4)
    images = np.random.default_rng(4).normal(size=(7, *network.shapes[0]))
    np.testing.assert_allclose(
        sc.compile_forward(trace, backend="c")(theta, images),
        sc.compile_forward(trace)(theta, images),
        rtol=1e-13,
    )


def test_c_minibatch_equals_the_sum_over_its_samples(count11_data):
    trace = sc.build_trace(count11_network())
    objective = sc.compile_objective(trace, count11_data, backend="c")
    theta = sc.initial_weights(trace.network, 2)
    parts = [objective(theta, np.array([k])) for k in range(3)]
    loss, gradient = objective(theta, np.array([0, 1, 2]))
    assert loss == pytest.approx(sum(p[0] for p in parts), rel=1e-14)
    np.testing.assert_allclose(gradient, sum(p[1] for p in parts), rtol=1e-13)


def test_c_without_a_compiler_says_what_to_install(count11_data, no_compiler):
    trace = sc.build_trace(count11_network())
    with pytest.raises(
        sc.SymcnnError,
        match=r"needs a C compiler and none was found.*apt-get install gcc",
    ):
        sc.compile_objective(trace, count11_data, backend="c")


def test_a_failing_compiler_is_quoted(count11_data, monkeypatch, tmp_path):
    monkeypatch.setenv("SYMCNN_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("CC", "gcc -DNOT_A_FLAG -Werror=this-is-no-warning")
    trace = sc.build_trace(count11_network())
    with pytest.raises(
        sc.SymcnnError,
        match=r"(?s)C compiler \(gcc -DNOT_A_FLAG .*\) failed.*this-is-no",
    ):
        sc.compile_objective(trace, count11_data, backend="c")
    assert not list(tmp_path.glob("*.so"))  # nothing half-built is kept


def test_a_second_compile_takes_the_library_from_the_cache(
    count11_data, monkeypatch, tmp_path
):
    monkeypatch.setenv("SYMCNN_CACHE_DIR", str(tmp_path))
    trace = sc.build_trace(count11_network())
    first = sc.compile_objective(trace, count11_data, backend="c")
    (library,) = tmp_path.glob("program-*.so")

    def no_compiler(*args, **kwargs):
        raise AssertionError("the compiler ran again")

    monkeypatch.setattr("subprocess.Popen", no_compiler)
    second = sc.compile_objective(trace, count11_data, backend="c")
    theta = sc.initial_weights(trace.network, 0)
    assert first(theta)[0] == second(theta)[0]
    assert list(tmp_path.glob("program-*.so")) == [library]


def test_unknown_backend_lists_the_known_ones(count11_data):
    trace = sc.build_trace(count11_network())
    with pytest.raises(sc.SymcnnError, match="python, numpy, c, c-scalar, llvm"):
        sc.compile_objective(trace, count11_data, backend="cuda")


def test_c_threads_give_the_same_numbers_bit_for_bit():
    network = sc.read_spec(DERIVATIONS / "l6_multichannel.toml").network
    trace = sc.build_trace(network)
    rng = np.random.default_rng(5)
    images = rng.normal(size=(200, *network.shapes[0]))
    rows = [(image.tolist(), [1.0] * network.output_size) for image in images]
    objective = sc.compile_objective(trace, sc.Dataset.from_rows(rows), backend="c")
    theta = sc.initial_weights(network, 5)
    objective.program.threads = 1
    alone = objective.program(theta, objective.samples)
    objective.program.threads = 3  # 13 blocks of 16 rows, at least 4 to a thread
    assert [c.stop - c.start for c in objective.program.chunks(200)] == [64, 64, 72]
    assert [c.stop - c.start for c in objective.program.chunks(100)] == [100]
    np.testing.assert_array_equal(objective.program(theta, objective.samples), alone)


def test_bad_symcnn_threads_is_named(count11_data, monkeypatch):
    monkeypatch.setenv("SYMCNN_THREADS", "two")
    trace = sc.build_trace(count11_network())
    with pytest.raises(sc.SymcnnError, match="SYMCNN_THREADS is 'two'; use a whole"):
        sc.compile_objective(trace, count11_data, backend="c")


# Names from Python's builtins, NumPy, math, C keywords and the generated code's own
# identifiers (t, x, v, o, the C helpers): all must stay the user's names only.
HOSTILE_LETTERS = (
    "max min abs sum exp tanh sqrt pow select where relu sigmoid numpy math np "
    "float int double long return if static inline restrict void while x t v o xs "
    "vs os nb s n program part theta out lambda None True builtins range inf nan E I "
    "pi oo S N O Q zoo"
).split()


def hostile_network(letters, kernel):
    """Input, Conv2D and Dense with the letters given; a 1x1 kernel and one neuron
    without an index make bare names (``numpy``, not ``numpy_1``)."""
    pixel, weight, bias, value, dense, dense_bias = letters
    return sc.Network(
        sc.Input(channels=1, height=2, width=2, letter=pixel),
        sc.Conv2D(
            1,
            kernel,
            letter=weight,
            bias=True,
            bias_letter=bias,
            name=value,
            activation="relu",
        ),
        sc.Dense(
            1,
            letter=dense,
            bias_letter=dense_bias,
            neuron_index=False,
            activation=sc.activation("leaky_relu", slope="1/4"),
        ),
    )


def hostile_case(network, seed):
    rng = np.random.default_rng(seed)
    count = len(network.parameters)
    weights = [sp.Rational(int(n), 4) for n in rng.integers(-4, 5, count)]
    images = rng.integers(-2, 3, (3, *network.shapes[0]))
    return weights, sc.Dataset.from_rows([(i.tolist(), 1) for i in images])


@pytest.mark.parametrize(
    "letters",
    [
        ("max", "numpy", "tanh", "exp", "select", "relu"),
        ("x", "theta", "out", "sum", "math", "where"),
    ],
)
def test_user_letters_that_name_functions_compile_on_every_backend(letters):
    network = hostile_network(letters, (1, 1))
    assert {"numpy", "tanh", "theta", "out"} & {
        p.symbol.name for p in network.parameters
    }
    weights, data = hostile_case(network, 0)
    trace = sc.build_trace(network)
    exact = assert_equals_exact(trace, weights, data)
    theta = np.array([float(w) for w in weights])
    images = data.pixel_arrays()
    for backend in ("numpy", "c"):
        outputs = sc.compile_forward(trace, backend=backend)(theta, images)
        assert outputs[:, 0].tolist() == [float(o[0]) for o in exact.outputs]
    values = sc.compile_layer_values(trace)(theta, images)
    assert values[-1][:, 0].tolist() == [float(o[0]) for o in exact.outputs]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(HOSTILE_LETTERS), min_size=6, max_size=6, unique=True),
    st.sampled_from([(1, 1), (1, 2), (2, 2)]),
    st.integers(0, 2**16),
)
def test_any_letters_give_every_backend_the_exact_loss_and_gradient(
    letters, kernel, seed
):
    network = hostile_network(letters, kernel)
    weights, data = hostile_case(network, seed)
    assert_equals_exact(sc.build_trace(network), weights, data)


def two_layer_net(first_activation):
    return sc.Network(
        sc.Input(channels=1, height=2, width=3),
        sc.Dense(2, activation=first_activation),
        sc.Dense(1),
    )


@pytest.mark.parametrize(
    "activation",
    [
        sc.activation("leaky_relu", slope=1e20),  # an integer beyond 64 bits
        sc.activation("leaky_relu", slope=2**70 + 1),  # not a double: rounded once
        sc.activation("leaky_relu", slope=sp.Rational(10**30 + 1, 3 * 10**29)),
        sc.activation("relu", grad_at_zero=2**64 + 2**12),
        sc.activation("leaky_relu", slope="1/3", grad_at_zero=-(10**25)),
    ],
)
def test_huge_constants_reach_every_backend_as_the_same_double(activation):
    """The first layer's arguments are negative for one image and exactly 0 for
    another, so both the slope and f'(0) enter the loss and the gradient."""
    network = two_layer_net(activation)
    data = sc.Dataset.from_rows([("011/001", 1), ("000/000", 2)])
    count = len(network.parameters)
    weights = (
        [sp.Rational(-1, 2)] * 12 + [sp.S.Zero] * 2 + [sp.Rational(1, 2)] * (count - 14)
    )
    exact = assert_equals_exact(sc.build_trace(network), weights, data)
    assert exact.kinks  # the second image meets f'(0)


def test_a_constant_beyond_float64_is_refused_naming_the_layer(count11_data):
    slope = sc.activation("leaky_relu", slope=sp.Integer(10) ** 400)
    trace = sc.build_trace(two_layer_net(slope))
    for backend in BACKENDS:
        with pytest.raises(
            sc.SymcnnError,
            match=r"layer 1 \(Dense\): `slope` is 1\.00e\+400, beyond float64 "
            r"\(about 1\.8e308\).*use a `slope` below 1e308",
        ):
            sc.compile_objective(trace, count11_data, backend=backend)


@pytest.mark.parametrize("backend, table", [("c", 1), ("c-scalar", 0)])
def test_the_c_programs_arguments_are_converted_in_c(count11_data, backend, table):
    """ndpointer argtypes ran Python code inside the ctypes call, where a Ctrl-C
    became ctypes.ArgumentError (exit 70, the weights lost: 4 of 11 tries in
    training); plain ctypes types convert in C, so the interrupt stays one.
    The vectorized program takes its table of products as a fifth address."""
    import ctypes

    trace = sc.build_trace(count11_network())
    objective = sc.compile_objective(trace, count11_data, backend=backend)
    argtypes = objective.program.function.argtypes
    pointer, count = ctypes.c_void_p, ctypes.c_long  # not ndpointer's subclasses
    assert list(argtypes) == [pointer, pointer, count, pointer] + [pointer] * table
    theta = np.linspace(-1, 1, len(trace.parameters))
    exact_loss, _ = sc.compile_objective(trace, count11_data, backend="python")(theta)
    assert objective(theta)[0] == pytest.approx(exact_loss, rel=1e-12)


def test_a_cc_that_is_missing_or_fails_is_named_not_replaced(
    count11_data, monkeypatch, tmp_path
):
    """CC=nonexistent-cc silently compiled with gcc; CC=/bin/false was "a bug in
    symcnn, please report"."""
    monkeypatch.setenv("SYMCNN_CACHE_DIR", str(tmp_path))
    trace = sc.build_trace(count11_network())
    monkeypatch.setenv("CC", "nonexistent-cc")
    with pytest.raises(sc.SymcnnError, match="CC is 'nonexistent-cc', which names no"):
        sc.compile_objective(trace, count11_data, backend="c")
    monkeypatch.setenv("CC", "false")
    failed = r"(?s)\(false\) failed with exit code 1.*the one the environment variable"
    with pytest.raises(sc.SymcnnError, match=failed):
        sc.compile_objective(trace, count11_data, backend="c")
