"""JSON output that any JSON reader accepts: Python's `json` writes NaN and Infinity,
which are not JSON (RFC 8259); a diverged loss history or an overflowed value is
written as null instead, and NumPy numbers as plain numbers."""

from __future__ import annotations

import json
import math

import numpy as np


def json_text(document, **options) -> str:
    """json.dumps of `document` with every non-finite float as null; refuses (raises)
    rather than writes NaN or Infinity."""
    return json.dumps(finite(document), allow_nan=False, **options)


def finite(value):
    """`value` with non-finite floats replaced by None, NumPy scalars and arrays by
    Python numbers and lists, containers walked to any depth."""
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(item) for item in value]
    if isinstance(value, np.ndarray):
        return finite(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
