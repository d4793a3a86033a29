"""The vectorized C backend ("c": c_soa.py, c_rows.py): blocks of 16 samples, sums of
products run from a table. Against NumPy and PyTorch on random architectures (every
activation, every loss), bit for bit the same whatever the number of threads, its
rows sorted as promised, and its library keyed by this machine's instructions."""

import numpy as np
import pytest
import torch_reference
from conftest import count11_network
from hypothesis import HealthCheck, given, settings
from strategies import architectures, pooled_architectures

import symcnn as sc
from symcnn.numeric import c_build
from symcnn.numeric.c_rows import sort_rows
from symcnn.numeric.c_soa import LANES, soa_sources
from symcnn.symbolic.adjoint import gradient_program


def random_data(network, samples, seed, loss="squared_error"):
    rng = np.random.default_rng(seed)
    images = rng.normal(size=(samples, *network.shapes[0])).round(3)
    if loss == "cross_entropy":
        targets = rng.integers(0, network.output_size, (samples, 1))
    else:
        targets = rng.integers(-2, 3, (samples, network.output_size))
    return sc.Dataset.from_rows(list(zip(images.tolist(), targets.tolist())))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(architectures(activations=("identity", "relu", "tanh", "sigmoid")))
def test_random_architectures_give_pytorchs_and_numpys_loss_and_gradient(case):
    network, samples, seed = case
    data = random_data(network, samples + 17, seed)  # at least one full block
    theta = sc.initial_weights(network, seed)
    trace = sc.build_trace(network)
    loss, gradient = sc.compile_objective(trace, data, backend="c")(theta)
    numpy_loss, numpy_gradient = sc.compile_objective(trace, data, backend="numpy")(
        theta
    )
    torch_loss, torch_gradient = torch_reference.loss_and_gradient(network, theta, data)
    assert loss == pytest.approx(numpy_loss, rel=1e-12, abs=1e-12)
    assert loss == pytest.approx(torch_loss, rel=1e-10, abs=1e-12)
    np.testing.assert_allclose(gradient, numpy_gradient, rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(gradient, torch_gradient, rtol=1e-9, atol=1e-11)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pooled_architectures())
def test_pooling_architectures_give_the_numpy_backends_numbers(case):
    network, samples, seed = case
    data = random_data(network, samples + 20, seed)
    theta = sc.initial_weights(network, seed)
    trace = sc.build_trace(network)
    ours = sc.compile_objective(trace, data, backend="c")(theta)
    theirs = sc.compile_objective(trace, data, backend="numpy")(theta)
    assert ours[0] == pytest.approx(theirs[0], rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-11, atol=1e-12)
    images = data.pixel_arrays()
    np.testing.assert_allclose(
        sc.compile_forward(trace, backend="c")(theta, images),
        sc.compile_forward(trace, backend="numpy")(theta, images),
        rtol=1e-12,
        atol=1e-12,
    )


@pytest.mark.parametrize("loss", ["cross_entropy", "mean_squared_error"])
def test_other_losses_give_the_numpy_backends_numbers(loss):
    network = sc.Network(
        sc.Input(channels=1, height=4, width=4),
        sc.Conv2D(2, (3, 3), activation="leaky_relu"),
        sc.Dense(3),
    )
    data = random_data(network, 37, 5, loss)
    theta = sc.initial_weights(network, 5)
    trace = sc.build_trace(network, loss=loss)
    ours = sc.compile_objective(trace, data, backend="c")(theta)
    theirs = sc.compile_objective(trace, data, backend="numpy")(theta)
    assert ours[0] == pytest.approx(theirs[0], rel=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-11, atol=1e-13)


def lenet_like():
    return sc.Network(
        sc.Input(channels=1, height=10, width=10),
        sc.Conv2D(3, (3, 3), activation="relu", bias=True),
        sc.MaxPool2D(2),
        sc.Conv2D(4, (2, 2), activation="tanh", bias=True),
        sc.Dense(5, activation="relu"),
        sc.Dense(3),
    )


@pytest.mark.parametrize("samples", [200, 211])
def test_threads_give_the_same_numbers_bit_for_bit(samples):
    network = lenet_like()
    trace = sc.build_trace(network)
    data = random_data(network, samples, 1)
    theta = sc.initial_weights(network, 1)
    objective = sc.compile_objective(trace, data, backend="c")
    runs = []
    for threads in (1, 2, 3):
        objective.program.threads = threads
        assert len(objective.program.chunks(samples)) == threads  # really in threads
        loss, gradient = objective(theta)
        runs.append((loss, gradient.tobytes()))
    assert runs[0] == runs[1] == runs[2]
    forward = sc.compile_forward(trace, backend="c")
    outputs = []
    for threads in (1, 3):
        forward.program.threads = threads
        outputs.append(forward(theta, data.pixel_arrays()).tobytes())
    assert outputs[0] == outputs[1]


def test_a_sample_gives_the_same_bits_in_any_block_and_lane():
    """Lanes never mix: sample 0 alone, or 37th of 53, has the same outputs."""
    network = lenet_like()
    trace = sc.build_trace(network)
    theta = sc.initial_weights(network, 2)
    images = random_data(network, 53, 2).pixel_arrays()
    forward = sc.compile_forward(trace, backend="c")
    alone = forward(theta, images[36:37])
    assert forward(theta, images)[36:37].tobytes() == alone.tobytes()


def test_sums_of_products_go_to_the_table_the_rest_to_code():
    """count-11 (conv a, 4 ReLU units, one output): its conv and dense sums, their
    adjoints and the 27 gradient entries are 45 tabled rows of 87 products; the
    ReLUs, their steps, the loss and dL/dF are the only C statements."""
    trace = sc.build_trace(count11_network())
    program = gradient_program(trace)
    inputs = [*trace.pixels.flat, *trace.targets]
    outputs = [program.loss, *program.gradient]
    slots, table, segments, output_slots = sort_rows(
        trace.parameters, inputs, program.assignments, outputs
    )
    code = [str(e) for s in segments if s.kind == "code" for _, e in s.statements]
    assert code == [
        *(f"ReLU(_z2_{k})" for k in (1, 2, 3, 4)),
        "(-_y_1 + _z3_1)**2",
        "2*(-_y_1 + _z3_1)",
        *(f"_d_h2_{k}*ReLUStep(_z2_{k}, 0)" for k in (4, 3, 2, 1)),
    ]
    assert (len(table.dest), len(table.a)) == (45, 87)
    assert [s.kind for s in segments] == ["table", "code"] * 3 + ["table"]
    assert output_slots == list(range(slots.count - len(outputs), slots.count))
    assert list(table.packed()[:2]) == [45, 87]


def test_the_library_is_keyed_by_this_machines_instructions(monkeypatch, tmp_path):
    monkeypatch.setenv("SYMCNN_CACHE_DIR", str(tmp_path))
    target = c_build.native_target(tuple(c_build.compiler()))
    assert target[:2] == ("-march=native", "-ffp-contract=off")
    assert any("-march=" in word for word in target[2:])  # what native means here
    trace = sc.build_trace(count11_network())
    data = random_data(trace.network, 20, 0)
    sc.compile_objective(trace, data, backend="c")
    sc.compile_objective(trace, data, backend="c")  # the same library, from the cache
    assert len(list(tmp_path.glob("program-*.so"))) == 1
    monkeypatch.setitem(c_build.NATIVE_TARGETS, tuple(c_build.compiler()), target[:2])
    sc.compile_objective(trace, data, backend="c")  # another machine: another key
    assert len(list(tmp_path.glob("program-*.so"))) == 2


def test_lanes_are_the_blocks_of_the_threads():
    from symcnn.numeric.c_backend import BLOCK

    assert LANES == BLOCK


def test_activations_and_pooling_run_on_vectors_the_loss_one_lane_at_a_time():
    network = sc.Network(
        sc.Input(channels=1, height=4, width=4),
        sc.Conv2D(2, (3, 3), activation="relu"),
        sc.MaxPool2D(2),
        sc.Dense(1),
    )
    trace = sc.build_trace(network)
    program = gradient_program(trace)
    inputs = [*trace.pixels.flat, *trace.targets]
    (source,), _ = soa_sources(
        trace.parameters,
        inputs,
        program.assignments,
        [program.loss, *program.gradient],
        units=1,
        sums=True,
    )
    lines = source.splitlines()
    vector_rows = "\n".join(line for line in lines if line.startswith("    W["))
    lane_rows = [line for line in lines if line.startswith("    v[")]
    # 8 ReLUs, 2 pools of 4, 8 winners times a pool's adjoint, 8 ReLU steps, dL/dF
    assert vector_rows.count("= v_relu(") == 8
    assert vector_rows.count("= v_max2(v_max2(v_max2(") == 2
    assert vector_rows.count("*v_mask(") == 8
    assert vector_rows.count("*v_relu_step(") == 8
    assert vector_rows.count("= 2*(") == 1
    assert len(lane_rows) == 1 and "pow(" in lane_rows[0]  # the loss, lane by lane


def test_auto_picks_c_scalar_for_fewer_samples_than_a_block_of_a_mid_size_net():
    network = sc.Network(
        sc.Input(channels=1, height=12, width=12),
        sc.Conv2D(4, (3, 3), activation="relu"),
        sc.Dense(10),
    )
    trace = sc.build_trace(network)
    assert 5_000 < trace.terms <= 20_000
    few, block = random_data(network, LANES - 1, 0), random_data(network, LANES, 0)
    assert sc.compile_objective(trace, few).backend == "c-scalar"
    assert sc.compile_objective(trace, block).backend == "c"
    theta = sc.initial_weights(network, 0)
    vector = sc.compile_objective(trace, few, backend="c")(theta)
    scalar = sc.compile_objective(trace, few)(theta)
    assert vector[0] == pytest.approx(scalar[0], rel=1e-12)
    np.testing.assert_allclose(vector[1], scalar[1], rtol=1e-11, atol=1e-13)


def test_long_blocks_get_a_thread_each_with_the_same_bits(monkeypatch):
    """A long table (LeNet-5's) runs 2 blocks in 2 threads, which short ones do not."""
    network = lenet_like()
    trace = sc.build_trace(network)
    data = random_data(network, 2 * LANES, 3)
    theta = sc.initial_weights(network, 3)
    short = sc.compile_objective(trace, data, backend="c")
    short.program.threads = 2
    assert len(short.program.chunks(2 * LANES)) == 1
    monkeypatch.setattr("symcnn.numeric.c_soa.THREAD_ONE_BLOCK_TABLE", 0)
    long = sc.compile_objective(trace, data, backend="c")
    long.program.threads = 2
    assert len(long.program.chunks(2 * LANES)) == 2
    in_threads = long(theta)
    long.program.threads = 1
    alone = long(theta)
    assert in_threads[0] == alone[0] == short(theta)[0]
    assert in_threads[1].tobytes() == alone[1].tobytes() == short(theta)[1].tobytes()
