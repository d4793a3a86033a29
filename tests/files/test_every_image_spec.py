"""[data] samples = "all": every image of the input size, targets from [target]."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symcnn as sc
from symcnn.files.spec import parse_spec
from symcnn.model.every_image import every_image_data

SPEC = """
[input]
height = {height}
width = {width}

[[layers]]
type = "conv"
filters = 1
kernel = [1, 2]

[[layers]]
type = "dense"
units = {units}

[data]
samples = "all"
{alphabet}
{target}
{train}
"""
COUNT = '[target]\nkind = "count"\npattern = "11"'


def spec(height=2, width=3, units=1, alphabet="", target=COUNT, train=""):
    text = SPEC.format(
        height=height, width=width, units=units, alphabet=alphabet, target=target,
        train=train,
    )  # fmt: skip
    return parse_spec(text, source="s.toml")


def test_all_is_every_binary_image_with_the_targets_count():
    found = spec()
    assert len(found.data) == 64
    count = sc.count_pattern("11")
    assert [s.target for s in found.data.samples] == [
        (count(image),) for image in sc.binary_images((1, 2, 3))
    ]
    assert sc.image_text(found.data.samples[3].image) == "000/011"
    assert found.data.samples[3].target == (1,)
    assert found.data.samples[3].name == "P4"


def test_every_image_trains_on_the_mean_unless_the_spec_names_a_loss():
    assert spec().loss == "mean_squared_error"
    assert spec(train='[train]\nloss = "squared_error"').loss == "squared_error"


def test_all_over_an_alphabet():
    found = spec(height=1, width=2, alphabet="alphabet = [-1, 0, 1]")
    assert len(found.data) == 9
    assert found.data.samples[0].image.tolist() == [[[-1, -1]]]
    assert [s.target for s in found.data.samples][-1] == (1,)


def test_all_without_a_target_names_the_fix():
    with pytest.raises(
        sc.SpecError,
        match=r'\[data\]\.samples \(line 15\): samples = "all" takes each image\'s '
        r"target from \[target\], and the spec has none; add a \[target\] table "
        r'\(kind = "count", pattern = "11"\)',
    ):
        spec(target="")


def test_too_many_images_name_the_limit():
    with pytest.raises(
        sc.SpecError,
        match=r'samples = "all" is 33,554,432 images \(2 pixel values on 1x5x5\), '
        r"over the limit of 65,536 \(limits.MAX_TRAINING_IMAGES\)",
    ):
        spec(height=5, width=5)


def test_a_target_of_one_value_for_two_outputs_is_refused():
    with pytest.raises(
        sc.SpecError,
        match=r"image 1 of all \(000/000\): the target gives 1 value\(s\) but the "
        r"network has 2 output\(s\)",
    ):
        spec(units=2)


def test_a_python_target_of_the_pixels_or_of_the_image():
    def count_11(p_11, p_12, p_13, p_21, p_22, p_23):
        return p_11 * p_12 + p_12 * p_13 + p_21 * p_22 + p_22 * p_23

    by_pixels = every_image_data((1, 2, 3), count_11)
    by_image = every_image_data((1, 2, 3), sc.count_pattern("11"))
    assert [s.target for s in by_pixels.samples] == [s.target for s in by_image.samples]
    with pytest.raises(sc.DataError, match=r"target pair takes 2 arguments but an"):

        def pair(a, b):
            return a

        every_image_data((1, 2, 3), pair)


def test_a_target_that_gives_no_number_is_named():
    with pytest.raises(sc.SymcnnError, match=r"image 1 of all \(00\): target: 'x'"):
        every_image_data((1, 1, 2), lambda image: "x")


def test_the_images_are_exact_numbers():
    data = every_image_data((1, 1, 2), lambda image: 0, alphabet=(0, "1/2"))
    assert data.samples[1].image[0, 0, 1] == sc.parse_image([[0, "1/2"]], "")[0, 0, 1]
    assert data.pixel_arrays().tolist() == [
        [[[0, 0]]], [[[0, 0.5]]], [[[0.5, 0]]], [[[0.5, 0.5]]],
    ]  # fmt: skip
    assert np.all([s.target == (0,) for s in data.samples])


def test_a_misspelt_all_names_both_forms():
    with pytest.raises(
        sc.SpecError,
        match=r"\[data\]\.samples \(line 15\): 'ALL' is not a list of samples or "
        r"'all' \(did you mean 'all'\?\); write \[\{ image = \"011/001\", y = 1 \}, "
        r'\.\.\.\] or "all" \(every image of the input\)$',
    ):
        parse_spec(
            SPEC.format(
                height=1, width=2, units=1, alphabet="", target=COUNT, train=""
            ).replace('"all"', '"ALL"'),
            source="s.toml",
        )


def test_a_bad_target_is_reported_once_not_as_missing():
    with pytest.raises(sc.SpecError) as error:
        spec(target='[target]\nkind = "count"\npattern = "12"')
    message = str(error.value)
    assert "has 1 problem(s)" in message and "has the character '2'" in message
    assert "has none" not in message


@settings(max_examples=25, deadline=None)
@given(
    st.sampled_from(["1", "0", "11", "1/1", "10/01", "111", "11/11/11"]),
    st.sampled_from(["count", "contains"]),
    st.integers(1, 2),
    st.integers(1, 3),
    st.integers(1, 2),
)
def test_built_in_targets_on_blocks_equal_their_loop(pattern, kind, c, h, w):
    """The vectorized count (every_image.pattern_counts) against count_pattern's loop,
    patterns larger than the image and several channels included."""
    target = sc.model.targets.BUILT_IN[kind](pattern)
    data = every_image_data((c, h, w), target)
    assert [s.target for s in data.samples] == [
        (target(s.image),) for s in data.samples
    ]
