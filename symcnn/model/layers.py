"""Layer descriptions: small frozen dataclasses, validated when they are made.

Defaults follow the lecture (SLIDES.md L1-L4): convolutions without bias, dense layers
with bias, pixels p, weights w, biases b.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass

from ..errors import SymcnnError, did_you_mean
from .activations import Activation, activation
from .display import short_repr
from .names import check_letter


def positive_int(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SymcnnError(
            f"{where}: {value!r} is not a positive integer; use 1, 2, 3, ..."
        )
    return value


def int_pair(value: object, where: str, *, minimum: int = 1) -> tuple[int, int]:
    """3 -> (3, 3); (1, 2) -> (1, 2); anything else is an error naming `where`."""
    pair = (
        (value, value)
        if isinstance(value, int) and not isinstance(value, bool)
        else value
    )
    ok = (
        isinstance(pair, (tuple, list))
        and len(pair) == 2
        and all(
            isinstance(v, int) and not isinstance(v, bool) and v >= minimum
            for v in pair
        )
    )
    if not ok:
        raise SymcnnError(
            f"{where}: {value!r} is not an integer >= {minimum} or a pair of them; "
            f"write for example {minimum + 1} or [{minimum}, {minimum + 1}]"
        )
    return (pair[0], pair[1])


def is_pair_of_pairs(value: object) -> bool:
    """True for ((top, bottom), (left, right)): two sequences of two entries each."""
    return (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(isinstance(p, (tuple, list)) and len(p) == 2 for p in value)
    )


def conv_padding(value: object, kernel, stride) -> tuple[tuple[int, int], ...]:
    """((top, bottom), (left, right)) zero padding from an int, a pair, that form
    itself, "valid" or "same" (PyTorch's: total k - 1 per side pair, the extra cell
    at the bottom/right; stride 1 only, as in PyTorch)."""
    if value == "valid":
        value = 0
    if value == "same":
        if stride != (1, 1):
            raise SymcnnError(
                f"Conv2D: `padding` 'same' needs stride 1 (as in PyTorch), not "
                f"{stride[0]}x{stride[1]}; give the padding as numbers instead"
            )
        pads = []
        for size in kernel:
            before = (size - 1) // 2
            pads.append((before, size - 1 - before))
        return tuple(pads)
    if isinstance(value, str):
        raise SymcnnError(
            f"Conv2D: `padding` {value!r} is not a padding; use a number, a pair, "
            "'valid' or 'same'"
        )
    if is_pair_of_pairs(value):
        # the normalised form itself: dataclasses.replace re-runs this validation
        return tuple(int_pair(p, "Conv2D: `padding`", minimum=0) for p in value)
    ph, pw = int_pair(value, "Conv2D: `padding`", minimum=0)
    return ((ph, ph), (pw, pw))


def boolean(value: object, where: str) -> bool:
    """True or False itself: 1, "yes" or "false" would be read as the wrong choice."""
    if not isinstance(value, bool):
        raise SymcnnError(f"{where}: {value!r} is not True or False; use one of them")
    return value


def pool_padding(value: object) -> tuple[int, int] | str:
    """(ph, pw) on both sides from an int or a pair; "valid" is 0; "same" is kept,
    since TensorFlow's padding depends on the input size (Pool2D.pads)."""
    if value == "valid":
        return (0, 0)
    if value == "same":
        return "same"
    if isinstance(value, str):
        raise SymcnnError(
            f"Pool2D: `padding` {value!r} is not a padding; use a number, a pair, "
            "'valid' or 'same'"
        )
    return int_pair(value, "Pool2D: `padding`", minimum=0)


def _normalize(layer, field_name: str, value: object) -> None:
    """Store the validated, normalized form of a field of a frozen layer."""
    object.__setattr__(layer, field_name, value)


def optional_name(value: object, where: str) -> str | None:
    return None if value is None else check_letter(value, where)


@dataclass(frozen=True, kw_only=True)
class Input:
    """The image P: pixels p[c, i, j] for c < channels, i < height, j < width."""

    __repr__ = short_repr  # only what differs from the defaults (display.py)

    channels: int = 1
    height: int
    width: int
    letter: str = "p"

    def __post_init__(self):
        for field_name in ("channels", "height", "width"):
            positive_int(getattr(self, field_name), f"input: `{field_name}`")
        check_letter(self.letter, "input: `letter`")


@dataclass(frozen=True)
class Conv2D:
    """a[k,i,j] = b_k + sum_{c,u,v} x[c, s*i+u, s*j+v] w[k,c,u,v] (no flip), then f.

    `name` makes the pre-activation values a[k,i,j] named equations (slide L1's a_{ij});
    unnamed layers are written inline. Zero padding adds no terms. With `groups` = g
    (PyTorch's), filter k sees only the C/g input channels of its group, c = g_k C/g +
    c' with g_k = k // (filters/g): weights w[k, c', u, v] of shape (filters, C/g, kh,
    kw), g = C is depthwise. The stride must tile the padded input (as pooling's);
    `floor=True` drops the cells left over, as PyTorch does.
    """

    __repr__ = short_repr  # only what differs from the defaults (display.py)

    filters: int
    kernel: tuple[int, int] | int
    _: KW_ONLY
    stride: tuple[int, int] | int = 1
    padding: tuple[int, int] | int | str = 0
    groups: int = 1
    floor: bool = False
    bias: bool = False
    activation: Activation | str | None = None
    name: str | None = None
    letter: str = "w"
    bias_letter: str = "b"

    kind = "Conv2D"

    def __post_init__(self):
        positive_int(self.filters, "Conv2D: `filters`")
        positive_int(self.groups, "Conv2D: `groups`")
        if self.filters % self.groups:
            raise SymcnnError(
                f"Conv2D: `groups` {self.groups} does not divide `filters` "
                f"{self.filters} (each group needs filters/groups filters, as in "
                f"PyTorch); use a number of groups that divides {self.filters}"
            )
        boolean(self.floor, "Conv2D: `floor`")
        _normalize(self, "kernel", int_pair(self.kernel, "Conv2D: `kernel`"))
        _normalize(self, "stride", int_pair(self.stride, "Conv2D: `stride`"))
        _normalize(
            self, "padding", conv_padding(self.padding, self.kernel, self.stride)
        )
        _normalize(self, "activation", activation(self.activation))
        optional_name(self.name, "Conv2D: `name`")
        check_letter(self.letter, "Conv2D: `letter`")
        check_letter(self.bias_letter, "Conv2D: `bias_letter`")


@dataclass(frozen=True)
class Dense:
    """z[n] = sum_m x[m] w[m,n] + b_n, then f; the input is flattened channel-major.

    Neurons are numbered from `first_index` (default 1, and 0 for a single output neuron
    that ends the network, as slide L3's w_{k,0} and b_0). `neuron_index=False` leaves
    the neuron index out of the names (slide L1's v_{11} and a). `weight_first` writes
    w x instead of x w and `bias_first` puts the bias in front (L3's output neuron).
    """

    __repr__ = short_repr  # only what differs from the defaults (display.py)

    units: int
    _: KW_ONLY
    activation: Activation | str | None = None
    bias: bool = True
    name: str | None = None
    letter: str = "w"
    bias_letter: str = "b"
    first_index: int | None = None
    neuron_index: bool = True
    weight_first: bool = False
    bias_first: bool = False

    kind = "Dense"

    def __post_init__(self):
        positive_int(self.units, "Dense: `units`")
        _normalize(self, "activation", activation(self.activation))
        optional_name(self.name, "Dense: `name`")
        check_letter(self.letter, "Dense: `letter`")
        check_letter(self.bias_letter, "Dense: `bias_letter`")
        if self.first_index is not None and (
            isinstance(self.first_index, bool)
            or not isinstance(self.first_index, int)
            or self.first_index < 0
        ):
            raise SymcnnError(
                f"Dense: `first_index` {self.first_index!r} is not 0, 1, 2, ...; "
                "use 1 (the default) or 0"
            )


POOL_MODES = ("max", "min", "avg")
TIES = ("first", "last")


@dataclass(frozen=True)
class Pool2D:
    """(n,m)-pooling (slide L5): y[c,i,j] = max, min or avg over the window
    x[c, s i + u, s j + v], u < n, v < m; no weights.

    `stride` defaults to the window. The lecture's rule: the window must tile the
    (padded) input exactly, else an error; `floor=True` drops the cells left over, as
    PyTorch does. `padding="same"` is TensorFlow/Keras's: ceil(h / s) rows out, the
    padding max(0, (out - 1) s + n - h) split with the extra cell at the bottom/right
    (PyTorch has no such mode: it equals F.pad then pooling). Padded cells never win a
    max or a min; avg divides by n m including padded zeros (PyTorch's
    count_include_pad), or with `count_include_pad=False` by the cells of the input
    it covers. On a tie the gradient goes to the `tie` = "first" (PyTorch's) or "last"
    winning cell in raster order.
    """

    __repr__ = short_repr  # only what differs from the defaults (display.py)

    size: tuple[int, int] | int
    _: KW_ONLY
    mode: str = "max"
    stride: tuple[int, int] | int | None = None
    padding: tuple[int, int] | int | str = 0
    floor: bool = False
    count_include_pad: bool = True
    tie: str = "first"
    name: str | None = None

    def __post_init__(self):
        _normalize(self, "size", int_pair(self.size, "Pool2D: `size`"))
        stride = self.size if self.stride is None else self.stride
        _normalize(self, "stride", int_pair(stride, "Pool2D: `stride`"))
        _normalize(self, "padding", pool_padding(self.padding))
        boolean(self.floor, "Pool2D: `floor`")
        boolean(self.count_include_pad, "Pool2D: `count_include_pad`")
        if self.mode not in POOL_MODES:
            raise SymcnnError(
                f"Pool2D: `mode` {self.mode!r} is not a pooling"
                f"{did_you_mean(self.mode, POOL_MODES)}; "
                f"use one of {', '.join(POOL_MODES)}"
            )
        if self.tie not in TIES:
            raise SymcnnError(f"Pool2D: `tie` {self.tie!r}; use 'first' or 'last'")
        if not self.count_include_pad and self.mode != "avg":
            raise SymcnnError(
                f"Pool2D: `count_include_pad` False is for avg pooling, not "
                f"{self.mode!r} (padded cells never win a max or a min); leave it out"
            )
        if self.padding != "same" and any(
            2 * p > n for p, n in zip(self.padding, self.size)
        ):
            raise SymcnnError(
                f"Pool2D: `padding` {self.padding} is more than half the window "
                f"{self.size[0]}x{self.size[1]} (PyTorch's limit); use less padding"
            )
        optional_name(self.name, "Pool2D: `name`")

    @property
    def kind(self) -> str:
        return f"{self.mode.capitalize()}Pool2D"

    def pads(self, height: int, width: int) -> tuple[tuple[int, int], ...]:
        """((top, bottom), (left, right)) on an input of height x width: the padding
        on both sides, or for "same" TensorFlow's max(0, (ceil(h/s) - 1) s + n - h)
        with the extra cell at the bottom/right."""
        if self.padding != "same":
            return tuple((p, p) for p in self.padding)
        pads = []
        for size, window, step in zip((height, width), self.size, self.stride):
            total = max(0, (-(-size // step) - 1) * step + window - size)
            pads.append((total // 2, total - total // 2))
        return tuple(pads)


def MaxPool2D(size, **options) -> Pool2D:  # noqa: N802 (reads like the layer it makes)
    """Pool2D(size, mode="max", ...)."""
    return Pool2D(size, mode="max", **options)


def MinPool2D(size, **options) -> Pool2D:  # noqa: N802
    """Pool2D(size, mode="min", ...): min-pooling is -max_pool(-x)."""
    return Pool2D(size, mode="min", **options)


def AvgPool2D(size, **options) -> Pool2D:  # noqa: N802
    """Pool2D(size, mode="avg", ...)."""
    return Pool2D(size, mode="avg", **options)


@dataclass(frozen=True)
class Flatten:
    """x[c, i, j] -> x[(c h + i) w + j]: channel-major, as PyTorch's flatten; no rows
    of its own (the values keep their names; `name` lets an embedding refer to it)."""

    __repr__ = short_repr  # only what differs from the defaults (display.py)

    _: KW_ONLY
    name: str | None = None
    kind = "Flatten"

    def __post_init__(self):
        optional_name(self.name, "Flatten: `name`")


Layer = Conv2D | Dense | Pool2D | Flatten
