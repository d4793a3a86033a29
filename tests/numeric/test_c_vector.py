"""The vectorized C backend ("c": c_layers.py, c_soa.py, c_rows.py): blocks of 16
samples, sums of products run from a table, activations and pooling as loops.
Against NumPy and PyTorch on random architectures (every activation, every loss),
bit for bit the same whatever the number of threads, its program laid out as
promised, and its library keyed by this machine's instructions."""

import numpy as np
import pytest
import torch_reference
from conftest import count11_network
from hypothesis import HealthCheck, given, settings
from strategies import architectures, pooled_architectures

import symcnn as sc
from symcnn.numeric import c_build
from symcnn.numeric import c_layers
from symcnn.numeric.c_soa import LANES


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


def test_sums_of_products_go_to_the_table_the_rest_to_loops():
    """count-11 (conv a: 4 sums of 2 terms, 4 ReLU units, one output): 9 forward
    sums of 33 products, 35 adjoint and gradient rows of 53 products; the ReLUs
    and their steps are one loop each, the loss (lane by lane) and dL/dF (on
    vectors) one part each, in the order they run."""
    program = c_layers.build(count11_network(), "squared_error")
    table = program.table.packed()
    rows, terms = table[:2]
    assert (rows, terms) == (44, 86)
    dest, start = table[2 : 2 + rows], table[2 + rows : 3 + 2 * rows]
    a, b = table[3 + 2 * rows : 3 + 2 * rows + terms], table[3 + 2 * rows + terms :]
    # a_11 = p_11 w_1 + p_12 w_2: pixels in slots 1-6, the target 7, a in 8-11
    assert (dest[0], *start[:2]) == (8, 0, 2)
    assert list(a[:2]) == [1, 2] and list(b[:2]) == [~0, ~1]
    assert program.call_code() == [
        "    run_table(V, S, table, 0, 8);",  # a, then the 4 dense sums
        "    part0(S, v, T);",  # the 4 ReLUs
        "    run_table(V, S, table, 8, 9);",  # F
        "    part1(S, v, T);",  # the loss
        "    part2(S, v, T);",  # dL/dF
        "    run_table(V, S, table, 9, 18);",  # dw, db, dh of the output neuron
        "    part3(S, v, T);",  # dz = dh ReLU'(z), 4 of them
        "    run_table(V, S, table, 18, 44);",  # dw, db, da; dw of the conv
    ]
    relu, loss, adjoint, step = program.loops.parts
    assert "for (long i = 0; i < 4; i++)" in relu
    assert "= v_relu(W[(12 + i) * PER + c]);" in relu
    assert "v[21 * LANES] = pow(v[20 * LANES] - v[7 * LANES], 2);" in loss
    assert "W[68 * PER + c] = 2*(W[20 * PER + c] - W[7 * PER + c]);" in adjoint
    assert "*v_relu_step(W[(12 + i) * PER + c], 0);" in step


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


def test_activations_and_pooling_are_loops_on_vectors_the_loss_one_lane():
    """8 ReLUs, 2 pools of 4 cells, their 8 winners and 8 ReLU steps: one loop body
    each, printed once; the loss lane by lane."""
    network = sc.Network(
        sc.Input(channels=1, height=4, width=4),
        sc.Conv2D(2, (3, 3), activation="relu"),
        sc.MaxPool2D(2),
        sc.Dense(1),
    )
    parts = c_layers.build(network, "squared_error").loops.parts
    source = "".join(parts)
    lines = source.splitlines()
    vector_rows = "\n".join(line for line in lines if line.startswith("      W["))
    lane_rows = [line for line in lines if line.startswith("      v[")]
    assert vector_rows.count("= v_relu(") == 1
    assert "i < 8; i++" in source and "i < 2; i++" in source
    assert vector_rows.count("= v_max2(v_max2(v_max2(") == 1
    assert vector_rows.count("+= W[(idx[0] + ") == 4  # dy times the winner
    assert vector_rows.count("*v_mask(") == 4
    assert vector_rows.count("*v_relu_step(") == 1
    assert vector_rows.count("= 2*(") == 1
    # the loss, and zeroing the pool's input adjoints (a number, on no vector)
    assert len(lane_rows) == 2 and "pow(" in lane_rows[0]


def test_auto_picks_c_even_for_fewer_samples_than_a_block_of_a_mid_size_net():
    """Built from the layers, "c" compiles faster than "c-scalar" and runs a block
    of 16 lanes in less time than 15 samples one after the other."""
    network = sc.Network(
        sc.Input(channels=1, height=12, width=12),
        sc.Conv2D(4, (3, 3), activation="relu"),
        sc.Dense(10),
    )
    trace = sc.build_trace(network)
    assert 5_000 < trace.terms <= 20_000
    few, block = random_data(network, LANES - 1, 0), random_data(network, LANES, 0)
    assert sc.compile_objective(trace, few).backend == "c"
    assert sc.compile_objective(trace, block).backend == "c"
    theta = sc.initial_weights(network, 0)
    vector = sc.compile_objective(trace, few)(theta)
    scalar = sc.compile_objective(trace, few, backend="c-scalar")(theta)
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
