"""Proofs for every image size by patch classes (prove/patches.py)."""

from itertools import product

import numpy as np
import pytest
import sympy as sp
from conftest import L4_WEIGHTS, count11_network
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import symcnn as sc
from symcnn.model.images import every_image
from symcnn.prove.patches import prove_every_size

COUNT_11 = sc.count_pattern("11")


def proof(network, weights, target=COUNT_11, **options):
    return sc.prove_every_size(network, weights, target, missing="zero", **options)


def test_the_lectures_count11_weights_are_right_on_every_size():
    result = proof(count11_network(), L4_WEIGHTS)
    assert result.applies and result.proven
    assert result.patch == (1, 2) and result.classes == 4
    assert result.bias == 0 and result.wrong == () and result.counterexample is None
    assert "b + sum_q (h - t)(P_q)" in result.argument


def test_a_perturbed_filter_weight_is_refuted_by_an_image_of_the_specs_size():
    result = proof(count11_network(), {**L4_WEIGHTS, "w_{2}": 2})
    assert result.applies and not result.proven
    assert result.wrong_count == 2  # "01" gives 1 and "11" gives 2
    assert [(sc.image_text(x), h, t) for x, h, t in result.wrong] == [
        ("01", 1, 0),
        ("11", 2, 1),
    ]
    counter = result.counterexample
    assert counter.own_size and sc.image_text(counter.image) == "010/000"
    assert (counter.output, counter.expected) == (1, 0)
    # the network's own exact check agrees
    net = count11_network()
    exact = sc.resolve(net, {**L4_WEIGHTS, "w_{2}": 2}, missing="zero")
    values = sc.forward_exact(sc.build_trace(net), exact, counter.image)
    assert values[-1].values.flat[0] == 1


def test_a_constant_offset_is_refuted_though_every_patch_is_right():
    result = proof(count11_network(), {**L4_WEIGHTS, "b_{0}": 1})
    assert result.bias == 1 and result.wrong_count == 0 and not result.proven
    assert sc.image_text(result.counterexample.image) == "000/000"


def test_two_positions_show_a_bias_that_patches_cancel():
    # F = 1 + (relu(p1 + p2 - 1) - 1) = count on a 1x2 image, not on 1x3
    net = sc.Network(
        sc.Input(height=1, width=2),
        sc.Conv2D(2, (1, 2), bias=True, activation="relu"),
        sc.Dense(1),
    )
    weights = {
        "w_{1,1}": 1, "w_{1,2}": 1, "b_{1}": -1,  # relu(p1 + p2 - 1)
        "w_{2,1}": 0, "w_{2,2}": 0, "b_{2}": 1,  # relu(1) = 1 at every position
        "w_{1,11,0}": 1, "w_{2,11,0}": -1, "b_{0}": 1,
    }  # fmt: skip
    result = proof(net, weights)
    # b + h(x) = t(x) on every class: every 1x2 image is right, h itself is not
    assert result.bias == 1 and result.wrong_count == 4 and not result.proven
    counter = result.counterexample
    assert not counter.own_size and sc.image_text(counter.image) == "000"
    assert (counter.output, counter.expected) == (-1, 0)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"w_{4,0}": 2},
            "position (2,2) is not read as position (1,1) is (2 relu(1 c1 - 1) there, "
            "1 relu(1 c1 - 1) at (1,1); c1, c2, ...: the channels under a position): "
            "the positions' read-outs are not written the same way (the proof "
            "compares forms, not the functions they compute)",
        ),
        ({"b_{1}": 0}, "position (1,2) is not read as position (1,1) is (1 relu(1 c1 "),
        ({"w_{12,1}": 1}, "layer 2 (Dense) unit 1 reads positions (1,1) and (1,2)"),
    ],
)
def test_a_net_whose_positions_differ_gets_the_plain_statement(change, reason):
    result = proof(count11_network(), {**L4_WEIGHTS, **change})
    assert not result.applies and not result.proven
    assert result.reason.startswith("enumeration is the only proof here: " + reason)


@pytest.mark.parametrize(
    ("layers", "target", "reason"),
    [
        (
            [sc.Conv2D(1, (1, 2)), sc.MaxPool2D(1), sc.Dense(1)],
            COUNT_11,
            "layer 2 (MaxPool2D) pools",
        ),
        (
            [sc.Conv2D(1, (1, 2), stride=(1, 2), floor=True), sc.Dense(1)],
            COUNT_11,
            "layer 1 (Conv2D) has stride 1x2",
        ),
        (
            [sc.Conv2D(1, (1, 2), padding=1), sc.Dense(1)],
            COUNT_11,
            "layer 1 (Conv2D) pads its input",
        ),
        (
            [sc.Conv2D(1, (1, 2)), sc.Dense(1, activation="relu")],
            COUNT_11,
            "layer 2 (Dense) applies relu to the sum",
        ),
        (
            [sc.Conv2D(1, (1, 2)), sc.Dense(2)],
            COUNT_11,
            "layer 2 (Dense) is not one linear output unit",
        ),
        (
            [sc.Conv2D(1, (2, 2)), sc.Dense(1)],
            COUNT_11,
            "the network reads 2x2 patches but the pattern is 1x2",
        ),
        (
            [sc.Conv2D(1, (1, 2)), sc.Dense(1)],
            sc.model.targets.contains_pattern("11"),
            "the target contains \"11\" is not a count of a pattern",
        ),
    ],
)
def test_nets_and_targets_without_the_form_get_the_plain_statement(
    layers, target, reason
):
    net = sc.Network(sc.Input(height=3, width=4), *layers)
    ones = {p.name.latex: 1 for p in net.parameters}
    result = proof(net, ones, target)
    assert result.reason.startswith("enumeration is the only proof here: " + reason)


def test_the_generic_f_is_refused_with_the_layer_named():
    net = sc.Network(
        sc.Input(height=1, width=2), sc.Conv2D(1, (1, 2), activation="f"), sc.Dense(1)
    )
    with pytest.raises(sc.SymcnnError, match=r"layer 1 \(Conv2D\) uses the generic"):
        proof(net, {})


def test_sigmoid_is_refused_with_the_layer_named():
    net = sc.Network(
        sc.Input(height=1, width=2),
        sc.Conv2D(1, (1, 2), activation="sigmoid"),
        sc.Dense(1),
    )
    with pytest.raises(sc.SymcnnError, match=r"layer 1 \(Conv2D\) uses sigmoid"):
        proof(net, {})


def test_patch_classes_over_another_alphabet():
    # relu(p1 + p2 - 1) is above 0 only for p1 + p2 > 1: over -1, 0, 1 only on "11"
    net = sc.Network(
        sc.Input(height=2, width=2),
        sc.Conv2D(1, (1, 2), bias=True, activation="relu"),
        sc.Dense(1),
    )
    weights = {"w_{1}": 1, "w_{2}": 1, "b": -1, "w_{11,0}": 1, "w_{21,0}": 1}
    result = proof(net, weights, alphabet=(-1, 0, 1))
    assert result.proven and result.classes == 9
    # with the pixel value 2, "20" also counts: refuted
    result = proof(net, weights, alphabet=(0, 1, 2))
    assert not result.proven and result.wrong_count == 5


def test_too_many_patch_classes_are_refused_with_the_limit(monkeypatch):
    monkeypatch.setattr("symcnn.prove.patches.MAX_PATCH_CLASSES", 3)
    message = (
        r"4 patch classes \(2 pixel values on 1 channel of 1x2\) are over the "
        r"limit of 3 \(limits.MAX_PATCH_CLASSES\)"
    )
    with pytest.raises(sc.SymcnnError, match=message):
        proof(count11_network(), L4_WEIGHTS)


# -- property: the verdict against enumeration on small sizes ----------------------

PATTERNS = ("11", "1/1", "1", "10", "01/11")


def local_network(height, width, pattern_shape, filters, hidden):
    """conv (kernel = the pattern), optionally a 1x1 conv, then a linear read-out."""
    layers = [sc.Conv2D(filters, pattern_shape, bias=True, activation="relu")]
    if hidden:
        layers.append(sc.Conv2D(1, (1, 1), bias=True, activation="relu"))
    return sc.Network(sc.Input(height=height, width=width), *layers, sc.Dense(1))


def local_weights(network, conv, readout, bias):
    """Conv weights in order from `conv`, read-out weight readout[channel] at every
    position, read-out bias `bias`."""
    values = iter(conv)
    out = []
    last = len(network.layers)
    positions = int(np.prod(network.shapes[last - 1][1:]))
    for parameter in network.parameters:
        if parameter.layer < last:
            out.append(sp.Integer(next(values)))
        elif parameter.role == "weight":
            out.append(sp.Integer(readout[parameter.position[1] // positions]))
        else:
            out.append(sp.Integer(bias))
    return out


def wrong_images(network, weights, target):
    """Images of the network's size where F_NN != target, by enumeration (floats of
    small integers: exact)."""
    forward = sc.compile_forward(sc.build_trace(network))
    theta = np.array([float(w) for w in weights])
    shape = network.shapes[0]
    (images,) = list(every_image(shape))
    outputs = forward(theta, images)[:, 0]
    targets = np.array([target(image) for image in images])
    return images[outputs != targets]


def solution(pattern):
    """relu(sum of +1 on the pattern's 1s, -1 on its 0s, minus (ones - 1)): 1 on the
    pattern, 0 on every other binary patch."""
    grid = sc.model.targets.parse_binary_rows(pattern, "pattern")[0]
    signs = [1 if v == 1 else -1 for v in grid.flat]
    return [*signs, 1 - sum(v == 1 for v in grid.flat)]


@st.composite
def local_nets(draw):
    """Random weights, or (half the time) a solution with at most one change."""
    pattern = draw(st.sampled_from(PATTERNS))
    shape = sc.model.targets.parse_binary_rows(pattern, "pattern")[0].shape
    filters = draw(st.integers(1, 2))
    hidden = draw(st.booleans())
    small = st.integers(-1, 2)
    per_filter = shape[0] * shape[1] + 1
    conv_count = filters * per_filter + (filters + 1) * hidden
    conv = draw(st.lists(small, min_size=conv_count, max_size=conv_count))
    readout = draw(st.lists(small, min_size=filters, max_size=filters))
    bias = draw(st.integers(-1, 1))
    if draw(st.booleans()):
        *signs, offset = solution(pattern)  # weights layer by layer, then biases
        conv[: len(signs)] = signs
        conv[filters * len(signs)] = offset
        if hidden:  # relu(1 x + 0) after the first filter only
            conv[filters * per_filter :] = [1] + [0] * (filters - 1) + [0]
        readout, bias = [1] + [0] * (filters - 1), 0
        if draw(st.booleans()):
            conv[draw(st.integers(0, conv_count - 1))] = draw(small)
    return pattern, shape, filters, hidden, conv, readout, bias


@settings(max_examples=30, deadline=None)
@given(local_nets())
@example(("11", (1, 2), 1, False, [1, 1, -1], [1], 0))
@example(("1/1", (2, 1), 1, True, [1, 1, -1, 1, 0], [1], 0))
@example(("11", (1, 2), 2, False, [1, 1, -1, 0, 0, 1], [1, -1], 1))
def test_the_patch_verdict_agrees_with_enumeration(case):
    pattern, shape, filters, hidden, conv, readout, bias = case
    target = sc.count_pattern(pattern)
    ph, pw = shape
    sizes = [(ph + dh, pw + dw) for dh, dw in product(range(2), range(3))]
    first = local_network(*sizes[0], shape, filters, hidden)
    weights = local_weights(first, conv, readout, bias)
    result = prove_every_size(sc.build_trace(first), weights, target)
    assert result.applies
    if result.proven:
        for height, width in sizes:
            net = local_network(height, width, shape, filters, hidden)
            wrong = wrong_images(net, local_weights(net, conv, readout, bias), target)
            assert len(wrong) == 0, (height, width, wrong[:1])
    else:
        counter = result.counterexample
        net = local_network(*counter.image.shape[1:], shape, filters, hidden)
        exact = local_weights(net, conv, readout, bias)
        output = sc.forward_exact(sc.build_trace(net), exact, counter.image)[-1]
        assert output.values.flat[0] == counter.output != counter.expected
        assert counter.expected == target(counter.image)


def lecture_like_network(height, width, pattern_shape):
    """Slide L3's shape at any size: a linear filter, one relu unit per position
    (dense), one linear read-out."""
    conv = sc.Conv2D(1, pattern_shape)
    positions = (height - pattern_shape[0] + 1) * (width - pattern_shape[1] + 1)
    return sc.Network(
        sc.Input(height=height, width=width),
        conv,
        sc.Dense(positions, activation="relu"),
        sc.Dense(1),
    )


def lecture_like_weights(network, kernel, alpha, beta, readout, bias):
    """Unit n reads position n with weight alpha and bias beta; read-out weight
    `readout` for every unit, bias `bias`."""
    out = []
    kernel = iter(kernel)
    for parameter in network.parameters:
        if parameter.layer == 1:
            out.append(next(kernel))
        elif parameter.layer == 2 and parameter.role == "weight":
            unit, position = parameter.position
            out.append(alpha if unit == position else 0)
        elif parameter.layer == 2:
            out.append(beta)
        else:
            out.append(readout if parameter.role == "weight" else bias)
    return [sp.Integer(v) for v in out]


@settings(max_examples=20, deadline=None)
@given(
    st.sampled_from(("11", "1/1", "10")),
    st.lists(st.integers(-1, 2), min_size=2, max_size=2),
    st.integers(-1, 2),
    st.integers(-2, 1),
    st.integers(-1, 2),
    st.integers(-1, 1),
)
@example("11", [1, 1], 1, -1, 1, 0)  # slide L4
@example("10", [1, -1], 1, 0, 1, 0)
def test_per_position_dense_units_agree_with_enumeration(
    pattern, kernel, alpha, beta, readout, bias
):
    # alpha = 0 makes the units constants, which the proof keeps as they are on
    # other sizes (part of b), while this family would repeat them per position
    assume(alpha != 0)
    target = sc.count_pattern(pattern)
    shape = sc.model.targets.parse_binary_rows(pattern, "pattern")[0].shape
    sizes = [(shape[0] + dh, shape[1] + dw) for dh, dw in product(range(2), range(3))]
    args = (kernel, alpha, beta, readout, bias)
    first = lecture_like_network(*sizes[1], shape)
    result = prove_every_size(
        sc.build_trace(first), lecture_like_weights(first, *args), target
    )
    assert result.applies
    if result.proven:
        for height, width in sizes:
            net = lecture_like_network(height, width, shape)
            weights = lecture_like_weights(net, *args)
            assert len(wrong_images(net, weights, target)) == 0, (height, width)
    else:
        counter = result.counterexample
        net = lecture_like_network(*counter.image.shape[1:], shape)
        exact = lecture_like_weights(net, *args)
        output = sc.forward_exact(sc.build_trace(net), exact, counter.image)[-1]
        assert output.values.flat[0] == counter.output != counter.expected


def test_a_count_over_channels_by_a_depthwise_filter():
    # count_pattern sums over channels; filter k reads channel k only (groups = 2)
    net = sc.Network(
        sc.Input(channels=2, height=2, width=2),
        sc.Conv2D(2, (1, 2), groups=2, bias=True, activation="relu"),
        sc.Dense(1),
    )
    names = [p.name.latex for p in net.parameters]
    values = {name: 1 for name in names if name.startswith("w")}
    values.update({name: -1 for name in names if name.startswith("b_{")})
    values["b_{0}"] = 0
    result = proof(net, values)
    assert result.proven and result.classes == 16
    values[names[0]] = 2  # relu(2 p + q - 1): channel 1 wrong on "10" and "11"
    assert proof(net, values).wrong_count == 8  # 2 classes of channel 1 x 4


def test_stacked_filters_read_their_receptive_field():
    # a 1x2 sum, then a 2x1 sum of those: relu(2x2 sum - 3) is 1 on "11/11" only
    net = sc.Network(
        sc.Input(height=3, width=4),
        sc.Conv2D(1, (1, 2)),
        sc.Conv2D(1, (2, 1), bias=True, activation="relu", letter="v", bias_letter="c"),
        sc.Dense(1, bias=False),
    )
    weights = {p.name.latex: 1 for p in net.parameters}
    weights["c"] = -3
    result = proof(net, weights, sc.count_pattern("11/11"))
    assert result.proven and result.patch == (2, 2) and result.classes == 16
    weights["c"] = -2  # three 1s are enough now: 5 classes wrong
    result = proof(net, weights, sc.count_pattern("11/11"))
    assert result.wrong_count == 5 and result.counterexample.own_size


def test_a_3x3_pattern_detector_on_512_patch_classes():
    grid = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]
    net = sc.Network(
        sc.Input(height=5, width=5),
        sc.Conv2D(1, (3, 3), bias=True, activation="relu"),
        sc.Dense(1),
    )
    weights = {}
    for parameter in net.parameters:
        if parameter.layer == 1 and parameter.role == "weight":
            u, v = parameter.position[2:]
            value = 1 if grid[u][v] else -1
        else:  # the filter's bias (5 ones: 1 - 5), the read-out's weights and bias
            value = {1: -4}.get(parameter.layer, int(parameter.role == "weight"))
        weights[parameter.name.latex] = value
    result = proof(net, weights, sc.count_pattern("101/010/101"))
    assert result.proven and result.classes == 512


def test_weights_in_the_networks_order_as_sc_accuracy_takes_them():
    # a tuple of values (as sc.accuracy takes) is the same proof as the dict
    net = count11_network()
    ordered = tuple(sc.resolve(net, L4_WEIGHTS, missing="zero"))
    for weights in (ordered, list(ordered), np.array(ordered, dtype=object)):
        result = sc.prove_every_size(net, weights, COUNT_11)
        assert result.proven and result.classes == 4
    floats = tuple(float(w) for w in ordered)
    assert sc.accuracy(net, floats, sc.every_image_data(net, COUNT_11)).right == 64
