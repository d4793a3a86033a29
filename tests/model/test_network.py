"""Layers, shapes, names and the errors raised before any formula exists."""

import numpy as np
import pytest
from conftest import count11_network

import symcnn as sc
from symcnn.model.names import Name, format_group, normalize


def test_index_groups_concatenate_below_ten_and_use_commas_from_ten():
    assert format_group((1, 1)) == "11"
    assert format_group((10, 1)) == "10,1"
    assert Name("w", ((1, 1), (2,))).latex == "w_{11,2}"
    assert Name("w", ((1, 1), (2,))).ascii == "w_1_1__2"
    assert Name("a").latex == "a"
    assert normalize("w_{11, 1}") == normalize("w_11,1") == "w_11,1"


def test_count11_parameter_names_and_order_follow_slide_l3():
    names = [p.name.latex for p in count11_network().parameters]
    assert names[:6] == [
        "w_{1}",
        "w_{2}",
        "w_{11,1}",
        "w_{12,1}",
        "w_{21,1}",
        "w_{22,1}",
    ]
    assert names[18:] == [
        "b_{1}",
        "b_{2}",
        "b_{3}",
        "b_{4}",
        "w_{1,0}",
        "w_{2,0}",
        "w_{3,0}",
        "w_{4,0}",
        "b_{0}",
    ]
    assert len(names) == 27


def test_shapes_follow_pytorch_conv_arithmetic():
    net = sc.Network(
        sc.Input(channels=3, height=10, width=10),
        sc.Conv2D(4, 5),
        sc.Conv2D(2, 3, stride=2, padding=1, floor=True),  # 8 - 3 leaves 1 over
        sc.Dense(1),
    )
    assert net.shapes == ((3, 10, 10), (4, 6, 6), (2, 3, 3), (1, 1, 1))
    assert net.weights[0].shape == (4, 3, 5, 5)
    # both conv layers would print w_{1,1,11}: they get the layer superscript
    assert net.weights[0][3, 2, 4, 4].name.latex == "w^{(1)}_{4,3,55}"
    assert net.weights[1][0, 0, 0, 0].name.latex == "w^{(2)}_{1,1,11}"


def test_multichannel_pixels_carry_the_channel_index():
    net = sc.Network(
        sc.Input(channels=2, height=1, width=2), sc.Conv2D(1, (1, 2), name="a")
    )
    assert [n.latex for n in net.value_names(0).flat] == [
        "p_{1,11}",
        "p_{1,12}",
        "p_{2,11}",
        "p_{2,12}",
    ]
    rows = sc.derive(net).lines("latex")
    assert rows[0][1:] == (
        "a_{11}",
        "p_{1,11} w_{1,1} + p_{1,12} w_{1,2} + p_{2,11} w_{2,1} + p_{2,12} w_{2,2}",
    )


def test_padding_adds_no_terms():
    net = sc.Network(
        sc.Input(height=1, width=2), sc.Conv2D(1, (1, 2), padding=(0, 1), name="a")
    )
    equations = [f"{lhs} = {rhs}" for _, lhs, rhs in sc.derive(net).lines("latex")][:3]
    assert equations == [
        "a_{11} = p_{11} w_{2}",
        "a_{12} = p_{11} w_{1} + p_{12} w_{2}",
        "a_{13} = p_{12} w_{1}",
    ]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: sc.Network(sc.Input(height=2, width=3), sc.Conv2D(1, (3, 3))),
            r"layer 1 \(Conv2D\): `kernel` 3x3 is larger than its input 2x3 "
            r"\(padded 2x3\); "
            r"use a kernel of at most 2x3 or add padding",
        ),
        (lambda: sc.Conv2D(0, 2), r"Conv2D: `filters`: 0 is not a positive integer"),
        (
            lambda: sc.Conv2D(1, (1, 2, 3)),
            r"Conv2D: `kernel`: \(1, 2, 3\) is not an integer",
        ),
        (
            lambda: sc.Dense(2, activation="rellu"),
            r"unknown activation 'rellu' \(did you mean 'relu'\?\)",
        ),
        (
            lambda: sc.Dense(2, letter="w_1"),
            r"letter 'w_1' is not a name made of ASCII letters",
        ),
        (
            lambda: sc.Input(height=2, width=-1),
            r"input: `width`: -1 is not a positive integer",
        ),
        (lambda: sc.Network(sc.Input(height=2, width=2)), "the network has no layers"),
        (
            lambda: sc.Network(sc.Input(height=2, width=2), "dense"),
            "layer 1 is 'dense', not a layer",
        ),
        (
            lambda: sc.Network(
                sc.Input(height=1, width=2), sc.Dense(2, neuron_index=False)
            ),
            r"two of layer 1 \(Dense\)'s weights are named w_\{11\}; "
            r"give one of the layers another `letter`",
        ),
        (
            lambda: sc.Network(sc.Input(height=1, width=2), sc.Conv2D(1, 1, name="p")),
            r"layer 1 \(Conv2D\)'s value and the input's pixel are both named p_\{11\}",
        ),
    ],
)
def test_bad_layers_are_named_with_a_fix(build, message):
    with pytest.raises(sc.SymcnnError, match=message):
        build()


def test_images_must_be_binary_rows_of_equal_length():
    with pytest.raises(sc.DataError, match=r"row 2 has the character 'x'"):
        sc.Dataset.from_rows([("011/0x1", 1)])
    with pytest.raises(sc.DataError, match=r"rows of lengths 3, 2"):
        sc.Dataset.from_rows([("011/01", 1)])
    with pytest.raises(sc.DataError, match="not a rectangular grid"):
        sc.Dataset.from_rows([([[0, 1], [1]], 1)])


def test_an_image_of_the_wrong_size_is_named(count11):
    data = sc.Dataset.from_rows([("011/001", 1), ("01/00", 0)])
    with pytest.raises(
        sc.DataError, match=r"sample P2: image is 1x2x2 .* input is 1x2x3"
    ):
        sc.train(count11, data)


def test_nested_array_images_are_exact():
    image = sc.parse_image([[1, "1/2"], [0.25, 0]], "test")
    assert image.shape == (1, 2, 2)
    assert [str(v) for v in image.flat] == ["1", "1/2", "1/4", "0"]


def test_count_pattern_counts_every_placement():
    count = sc.count_pattern("11")
    assert [
        count(sc.parse_image(s, "t"))
        for s in ["011/001", "110/011", "101/010", "111/111"]
    ] == [1, 2, 0, 4]
    assert sc.count_pattern("1/1")(sc.parse_image("11/11", "t")) == 2
    from symcnn.model.targets import target_from_spec

    contains = target_from_spec("contains", "101", "[target]")
    assert [contains(sc.parse_image(s, "t")) for s in ["101/000", "110/011"]] == [1, 0]
    with pytest.raises(sc.SymcnnError, match=r"unknown target 'cont' \(did you mean"):
        target_from_spec("cont", "11", "[target]")


def test_all_binary_images_in_counting_order():
    images = list(sc.binary_images((1, 2, 3)))
    assert len(images) == 64
    assert (
        sc.image_text(images[0]) == "000/000" and sc.image_text(images[-1]) == "111/111"
    )
    assert np.array_equal(images[1].astype(int), [[[0, 0, 0], [0, 0, 1]]])


def test_layers_whose_names_would_clash_get_a_layer_superscript():
    net = sc.Network(
        sc.Input(height=2, width=2),
        sc.Conv2D(2, 1, bias=True),
        sc.Dense(2),
        sc.Dense(1),
    )
    names = [p.name.latex for p in net.parameters]
    assert names[:4] == ["w^{(1)}_{1}", "w^{(1)}_{2}", "b^{(1)}_{1}", "b^{(1)}_{2}"]
    assert "b^{(2)}_{1}" in names and "w_{1,0}" in names  # layer 3 clashes with nobody
    assert len(set(names)) == len(names)
    assert net.parameters[0].name.ascii == "w_L1_1"
