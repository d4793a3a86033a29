"""The PyTorch bridge, import: an nn.Sequential -> a Network and its exact weights.

from_torch reads a model's modules as data (their types and attributes, never their
forward()); every float weight is a dyadic rational m / 2^k, so it arrives exactly,
and float(that Rational) gives back the same bits: torch -> symcnn -> torch is
lossless. The way back, to_torch and .pt state_dict files, is files/torchfiles.py.
torch is imported inside the functions: it is an optional extra.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from functools import cache
from fractions import Fraction

import numpy as np
import sympy as sp

from ..errors import SymcnnError
from ..model.activations import activation
from ..model.layers import Conv2D, Dense, Flatten, Input, Pool2D
from ..model.network import Network
from ..model.shapes import infer_shapes

INSTALL = "pip install 'symcnn[torch]'"
STATE_DICT_SUFFIXES = (".pt", ".pth")


def import_torch(what: str):
    """The torch module, or a SymcnnError saying how to install it."""
    try:
        import torch
    except ImportError:
        raise SymcnnError(
            f"{what} needs PyTorch, which is not installed; {INSTALL}"
        ) from None
    return torch


@dataclass(frozen=True, eq=False)
class Imported(Mapping):
    """What from_torch read: the Network, its weights by printed name as exact
    Rationals in the one parameter order (an Imported is that Mapping itself, so
    sc.check and sc.derive take it as it is), each weight's shortest decimal in its
    tensor's dtype, the module each layer came from, and notes on what was read as
    something else (Dropout)."""

    network: Network
    weights: dict[str, sp.Rational]
    decimals: dict[str, str]
    modules: tuple[str, ...]
    notes: tuple[str, ...]

    def __getitem__(self, name: str) -> sp.Rational:
        return self.weights[name]

    def __iter__(self):
        return iter(self.weights)

    def __len__(self) -> int:
        return len(self.weights)

    @property
    def exact(self) -> tuple[sp.Rational, ...]:
        """The weights in the one parameter order."""
        return tuple(self.weights.values())

    def vector(self) -> np.ndarray:
        """The weights as float64 in parameter order: the same bits as the module's."""
        return np.array([exact_float(v) for v in self.exact], dtype=np.float64)

    def to_text(self) -> str:
        lines = [f"layer {n}: {kind} from module {module!r}" for n, (kind, module)
                 in enumerate(zip(layer_kinds(self.network), self.modules), 1)]
        lines += [f"  {name} = {text}" for name, text in self.decimals.items()]
        return "\n".join(lines + [f"note: {note}" for note in self.notes])

    def __str__(self) -> str:
        return self.to_text()


def layer_kinds(network: Network) -> list[str]:
    return [getattr(layer, "kind", type(layer).__name__) for layer in network.layers]


def exact_float(value) -> float:
    """float of an exact value, correctly rounded (exact for a dyadic Rational)."""
    if isinstance(value, sp.Rational):
        return float(Fraction(int(value.p), int(value.q)))
    return float(value)


# -- from_torch ------------------------------------------------------------------


def from_torch(module, input_shape) -> Imported:
    """The Network and exact weights of an nn.Sequential (nested ones flattened) of
    Conv2d, MaxPool2d, AvgPool2d, Linear, Flatten, ReLU, LeakyReLU, Sigmoid, Tanh,
    Identity and Dropout; `input_shape` is (channels, height, width), with or
    without a batch size in front. An activation becomes the `activation` of the
    Conv2d or Linear before it; Dropout is the identity, as in evaluation."""
    torch = import_torch("from_torch")
    reader = Reader(torch, image_shape(input_shape))
    for path, child in sequential_children(torch, module):
        reader.read(path, child)
    network = reader.network()
    weights, decimals = {}, {}
    for parameter, (value, text) in zip(network.parameters, reader.values()):
        weights[parameter.name.latex] = value
        decimals[parameter.name.latex] = text
    return Imported(
        network, weights, decimals, tuple(reader.sources), tuple(reader.notes)
    )


def image_shape(value) -> tuple[int, int, int]:
    shape = tuple(value) if isinstance(value, (tuple, list)) or hasattr(
        value, "__len__"
    ) else ()
    ints = all(isinstance(n, int) and not isinstance(n, bool) and n > 0
               for n in shape)
    if len(shape) not in (3, 4) or not ints:
        raise SymcnnError(
            f"from_torch: `input_shape` {value!r} is not (channels, height, width) "
            "or (batch, channels, height, width); write for example (1, 28, 28)"
        )
    return shape[-3:]


def sequential_children(torch, module, prefix: str = ""):
    """(path, module) of every leaf, nested Sequentials flattened ("2.0", "2.1")."""
    if not isinstance(module, torch.nn.Sequential):
        raise SymcnnError(
            f"from_torch: {type(module).__name__} is not an nn.Sequential; symcnn "
            "reads a model's modules, not its forward(): write the model as "
            "nn.Sequential(...) of Conv2d, pooling, Linear and activations"
        )
    for name, child in module.named_children():
        if isinstance(child, torch.nn.Sequential):
            yield from sequential_children(torch, child, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", child


def refuse(where: str, attribute: str, value, fix: str) -> SymcnnError:
    return SymcnnError(f"from_torch: {where}: `{attribute}` is {value!r}; {fix}")


class Reader:
    """Modules read one by one into layers, each with its (weight, bias) tensors."""

    def __init__(self, torch, shape):
        self.torch, self.input = torch, Input(channels=shape[0], height=shape[1],
                                              width=shape[2])
        self.layers, self.tensors, self.sources, self.notes = [], [], [], []
        self.flat = False  # PyTorch's tensor is (batch, features) after this
        self.attachable = False  # the last layer is a Conv2d or Linear, no activation

    def shape(self, where: str):
        try:
            return infer_shapes(self.input, self.layers)[-1]
        except SymcnnError as error:
            raise SymcnnError(f"from_torch: {where}: {error}") from None

    def read(self, path: str, module) -> None:
        nn = self.torch.nn
        where = f"module {path!r} ({type(module).__name__})"
        kind = type(module)
        layers, activations = torch_tables()
        if kind is nn.Identity or isinstance(module, nn.modules.dropout._DropoutNd):
            if kind is not nn.Identity:
                self.notes.append(
                    f"{where} is the identity: symcnn models the network in "
                    "evaluation (model.eval()), where dropout does nothing"
                )
            return
        if kind in activations:
            return self.attach(where, activations[kind](module))
        if kind not in layers:
            raise SymcnnError(
                f"from_torch: {where}: symcnn has no {kind.__name__}; it reads "
                "Conv2d, MaxPool2d, AvgPool2d, Linear, Flatten, ReLU, LeakyReLU, "
                "Sigmoid, Tanh, Identity and Dropout (fold a BatchNorm into the "
                "convolution before it, or leave it out)"
            )
        layer, tensors = layers[kind](self, where, module)
        self.layers.append(layer)
        self.tensors.append((where, tensors))
        self.sources.append(path)
        self.attachable = kind in (nn.Conv2d, nn.Linear)
        self.shape(where)

    def attach(self, where: str, function) -> None:
        if not self.attachable:
            before = (f"module {self.sources[-1]!r}" if self.sources
                      else "the model's start")
            raise SymcnnError(
                f"from_torch: {where} follows {before}, not a Conv2d or Linear: "
                "symcnn applies an activation inside the layer it follows; put it "
                "right after a Conv2d or Linear (for max pooling and a monotone "
                "activation, such as ReLU, that computes the same)"
            )
        self.layers[-1] = replace(self.layers[-1], activation=function)
        self.attachable = False

    def network(self) -> Network:
        if not self.layers:
            raise SymcnnError(
                "from_torch: the model has no Conv2d, pooling, Linear or Flatten"
            )
        return Network(self.input, *self.layers)

    def values(self):
        """(exact value, decimal) of every weight, in the one parameter order."""
        for where, tensors in self.tensors:
            for role, tensor in zip(("weight", "bias"), tensors):
                if tensor is not None:
                    yield from exact_values(
                        self.torch, tensor, f"from_torch: {where}.{role}"
                    )


def exact_values(torch, tensor, where: str):
    """(Rational, shortest decimal in the tensor's own dtype) of every entry."""
    if not tensor.is_floating_point():
        raise SymcnnError(f"{where}: dtype {tensor.dtype} is no float")
    data = tensor.detach().cpu()
    shown = data if data.dtype != torch.bfloat16 else data.to(torch.float32)
    shown = shown.numpy().reshape(-1)
    wide = data.to(torch.float64).numpy().reshape(-1)  # every float dtype fits
    if not np.all(np.isfinite(wide)):
        raise SymcnnError(
            f"{where} holds {wide[~np.isfinite(wide)][0]}; weights must "
            "be finite numbers"
        )
    for value, text in zip(wide.tolist(), shown):
        fraction = Fraction(value)  # exact: a float is m / 2^k
        yield sp.Rational(fraction.numerator, fraction.denominator), str(text)


def conv_layer(reader: Reader, where: str, module):
    channels = reader.shape(where)[0]
    if reader.flat:
        raise flat_input(where)
    if module.padding_mode != "zeros":
        raise refuse(where, "padding_mode", module.padding_mode,
                     "symcnn pads with zeros only; use padding_mode='zeros'")
    if tuple(module.dilation) != (1, 1):
        raise refuse(where, "dilation", module.dilation,
                     "symcnn has no dilated convolution; use dilation=1")
    options = {}
    names = {field.name for field in fields(Conv2D)}
    if "groups" in names:
        options["groups"] = module.groups
    elif module.groups != 1:
        raise refuse(where, "groups", module.groups,
                     "symcnn has no grouped convolution yet; use groups=1")
    if "floor" in names:
        options["floor"] = True  # PyTorch drops the cells a stride leaves over
    if module.in_channels != channels:
        raise refuse(where, "in_channels", module.in_channels,
                     f"its input has {channels} channel(s)")
    layer = Conv2D(module.out_channels, tuple(module.kernel_size),
                   stride=tuple(module.stride), padding=conv_padding(module.padding),
                   bias=module.bias is not None, **options)
    return layer, (module.weight, module.bias)


def conv_padding(padding):
    return padding if isinstance(padding, str) else tuple(padding)


def flat_input(where: str) -> SymcnnError:
    return SymcnnError(
        f"from_torch: {where} gets a flattened tensor (after a Flatten or Linear); "
        "symcnn's convolutions and poolings read images: put them before the Flatten"
    )


def pool_layer(reader: Reader, where: str, module, mode: str):
    reader.shape(where)
    if reader.flat:
        raise flat_input(where)
    if module.ceil_mode:
        raise refuse(where, "ceil_mode", True, "symcnn floors, as PyTorch's default; "
                     "use ceil_mode=False")
    if mode == "max" and module.dilation not in (1, (1, 1)):
        raise refuse(where, "dilation", module.dilation,
                     "symcnn has no dilated pooling; use dilation=1")
    if mode == "max" and module.return_indices:
        raise refuse(where, "return_indices", True, "use return_indices=False")
    if mode == "avg" and module.divisor_override is not None:
        raise refuse(where, "divisor_override", module.divisor_override,
                     "symcnn divides by the window's size; leave it None")
    stride = module.stride or module.kernel_size
    counted = {"count_include_pad": module.count_include_pad} if mode == "avg" else {}
    layer = Pool2D(pair(module.kernel_size), mode=mode, stride=pair(stride),
                   padding=pair(module.padding), floor=True, **counted)
    return layer, ()


def pair(value):
    return tuple(value) if isinstance(value, (tuple, list)) else value


def dense_layer(reader: Reader, where: str, module):
    shape = reader.shape(where)
    if not reader.flat and shape[:2] != (1, 1):
        raise SymcnnError(
            f"from_torch: {where} gets a {shape[0]}x{shape[1]}x{shape[2]} tensor and "
            "PyTorch's Linear acts on its last dimension only; put nn.Flatten() "
            "before it"
        )
    inputs = shape[0] * shape[1] * shape[2]
    if module.in_features != inputs:
        raise refuse(where, "in_features", module.in_features,
                     f"its input has {inputs} values")
    reader.flat = True
    return Dense(module.out_features, bias=module.bias is not None), (
        module.weight, module.bias)


def flatten_layer(reader: Reader, where: str, module):
    reader.shape(where)
    if (module.start_dim, module.end_dim) != (1, -1):
        raise refuse(where, "start_dim, end_dim", (module.start_dim, module.end_dim),
                     "symcnn flattens everything but the batch: use nn.Flatten()")
    reader.flat = True
    return Flatten(), ()


@cache
def torch_tables():
    """{module type: reader} and {activation type: Activation maker}, built the first
    time torch is there."""
    import torch.nn as nn

    layers = {
        nn.Conv2d: conv_layer,
        nn.MaxPool2d: lambda r, w, m: pool_layer(r, w, m, "max"),
        nn.AvgPool2d: lambda r, w, m: pool_layer(r, w, m, "avg"),
        nn.Linear: dense_layer,
        nn.Flatten: flatten_layer,
    }
    activations = {
        nn.ReLU: lambda m: activation("relu"),
        nn.LeakyReLU: lambda m: activation(
            "leaky_relu", slope=Fraction(m.negative_slope)
        ),
        nn.Sigmoid: lambda m: activation("sigmoid"),
        nn.Tanh: lambda m: activation("tanh"),
    }
    return layers, activations
