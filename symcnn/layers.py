"""Layer descriptions: small frozen dataclasses, validated when they are made.

Defaults follow the lecture (SLIDES.md L1-L4): convolutions without bias, dense layers
with bias, pixels p, weights w, biases b.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass

from .activations import Activation, activation
from .errors import SymcnnError
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


def _normalize(layer, field_name: str, value: object) -> None:
    """Store the validated, normalized form of a field of a frozen layer."""
    object.__setattr__(layer, field_name, value)


def optional_name(value: object, where: str) -> str | None:
    return None if value is None else check_letter(value, where)


@dataclass(frozen=True, kw_only=True)
class Input:
    """The image P: pixels p[c, i, j] for c < channels, i < height, j < width."""

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
    unnamed layers are written inline. Zero padding adds no terms.
    """

    filters: int
    kernel: tuple[int, int] | int
    _: KW_ONLY
    stride: tuple[int, int] | int = 1
    padding: tuple[int, int] | int = 0
    bias: bool = False
    activation: Activation | str | None = None
    name: str | None = None
    letter: str = "w"
    bias_letter: str = "b"

    def __post_init__(self):
        positive_int(self.filters, "Conv2D: `filters`")
        _normalize(self, "kernel", int_pair(self.kernel, "Conv2D: `kernel`"))
        _normalize(self, "stride", int_pair(self.stride, "Conv2D: `stride`"))
        _normalize(
            self, "padding", int_pair(self.padding, "Conv2D: `padding`", minimum=0)
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


Layer = Conv2D | Dense
