"""image_text and image_json: how an image is written in reports and JSON."""

import numpy as np
import sympy as sp

from symcnn.model.data import image_json, image_text


def exact(nested) -> np.ndarray:
    array = np.array(nested, dtype=object)
    out = np.empty(array.shape, dtype=object)
    for position, value in np.ndenumerate(array):
        out[position] = sp.Rational(value)
    return out


def test_binary_ternary_and_channels_are_rows_not_python_lists():
    assert image_text(exact([[[0, 1, 1], [0, 0, 1]]])) == "011/001"
    assert image_text(exact([[[0, -1, -1], [1, 0, 1]]])) == "0 -1 -1 / 1 0 1"
    assert image_text(exact([[[0, 1], [1, 0]], [[1, 1], [0, 0]]])) == "01/10 | 11/00"
    assert image_text(exact([[["1/2", 0]], [[1, -1]]])) == "1/2 0 | 1 -1"


def test_json_pixels_are_nested_numbers():
    assert image_json(exact([[[0, -1]], [[1, "1/2"]]])) == [[[0, -1]], [[1, "1/2"]]]
    assert isinstance(image_json(exact([[[1]]]))[0][0][0], int)
