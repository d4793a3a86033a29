"""Every image over an alphabet: the count, the order, one image by number."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symcnn.errors import DataError, SymcnnError
from symcnn.model.data import binary_images
from symcnn.model.images import check_alphabet, every_image, image_at, image_count


def test_binary_images_count_in_the_order_of_binary_numbers():
    blocks = list(every_image((1, 2, 3), block=10))
    assert [len(b) for b in blocks] == [10] * 6 + [4]
    images = np.concatenate(blocks)
    assert images.dtype == np.int64
    assert "".join(map(str, images[5].flat)) == "000101"
    assert "".join(map(str, images[63].flat)) == "111111"
    expected = [tuple(int(v) for v in i.flat) for i in binary_images((1, 2, 3))]
    assert [tuple(i.flat) for i in images] == expected


def test_a_three_value_alphabet_in_the_order_given():
    images = np.concatenate(list(every_image((1, 1, 2), (1, -1, 0))))
    assert images.reshape(9, 2).tolist() == [
        [1, 1],
        [1, -1],
        [1, 0],
        [-1, 1],
        [-1, -1],
        [-1, 0],
        [0, 1],
        [0, -1],
        [0, 0],
    ]
    assert image_count((2, 2, 2), (-1, 0, 1)) == 3**8


def test_a_fractional_alphabet_gives_exact_rationals():
    (images,) = every_image((1, 1, 2), (0, "1/2"))
    assert images.dtype == object
    assert images[1, 0, 0, 1] == sp.Rational(1, 2)


@settings(max_examples=40, deadline=None)
@given(
    st.tuples(st.integers(1, 2), st.integers(1, 2), st.integers(1, 3)),
    st.integers(2, 3),
    st.data(),
)
def test_image_at_is_the_image_every_image_gives(shape, size, data):
    alphabet = tuple(range(-1, size - 1))
    total = image_count(shape, alphabet)
    assert total <= 3**12  # at most 531,441 images: a few MB
    index = data.draw(st.integers(0, total - 1))
    block = data.draw(st.integers(1, 50))
    images = np.concatenate(list(every_image(shape, alphabet, block=block)))
    assert len(images) == total
    assert images[index].tolist() == image_at(index, shape, alphabet).tolist()


@pytest.mark.parametrize(
    ("alphabet", "message"),
    [
        ([0, 0], "the value 0 is there twice (positions 1 and 2)"),
        ([0, "x"], "value 2: 'x' is not a number"),
        (list(range(17)), "17 values are over the limit of 16 (limits.MAX_ALPH"),
        ([0, 5000], "below 1000 (limits.MAX_ALPHABET_VALUE)"),
        ("01", "'01' is not a list of pixel values"),
        ([], "[] is not a list"),
        ([True, 0], "True is not a number"),
    ],
)
def test_bad_alphabets_are_refused_with_the_value(alphabet, message):
    with pytest.raises(SymcnnError) as raised:
        check_alphabet(alphabet)
    assert message in str(raised.value)


def test_image_at_refuses_a_number_past_the_last():
    with pytest.raises(DataError, match=r"there are 64 images .* \(numbers 0 to 63\)"):
        image_at(64, (1, 2, 3))
