"""The PyTorch bridge, export: a Network and its weights -> an nn.Sequential, and
state_dict files (.pt) written and read in that Sequential's keys.

to_torch's Sequential has one module per layer ("0.weight", "0.bias", ...), plus an
nn.Flatten in front of a Linear that reads an image, an nn.Unflatten in front of a
convolution that reads a flat vector and an nn.ZeroPad2d for uneven padding, so the
keys of a state_dict follow from the network alone. A .pt file is read bounded
(limits.MAX_FILE_BYTES, regular files only) and only with torch.load(
weights_only=True): a pickle that needs anything but tensors and containers is
refused, never run.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import warnings
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import sympy as sp

from ..errors import SpecError, SymcnnError, WeightsError
from ..limits import MAX_FILE_BYTES
from ..model.layers import Conv2D, Dense, Flatten, Pool2D
from ..model.network import Network
from ..model.shapes import layer_label
from .pytorch import exact_float, exact_values, import_torch
from .tomlfile import OPEN_FLAGS, refuse_if_large, refuse_unless_regular
from .weights import WeightFile, resolve

STATE_DICT_SUFFIXES = (".pt", ".pth")

#: How a torch.save file starts: a zip archive (PyTorch >= 1.6) or a pickle (older).
TORCH_MAGIC = (b"PK\x03\x04", b"\x80")


def is_state_dict_path(path: str | Path) -> bool:
    """True for a .pt or .pth path: a PyTorch state_dict, not a TOML weight file."""
    return Path(path).suffix.lower() in STATE_DICT_SUFFIXES


def to_torch(network: Network, weights, *, missing: str = "error"):
    """An nn.Sequential in float64 computing `network` with `weights` (by printed
    name, an Imported, or values in the parameter order). Forward values are
    PyTorch's own; at kinks its gradients follow PyTorch's conventions (ReLU'(0) = 0,
    the first max of a tie), whatever grad_at_zero or tie a layer chose."""
    torch = import_torch("to_torch")
    floats = parameter_floats(network, weights, missing)
    modules, holders = torch_modules(torch, network)
    model = torch.nn.Sequential(*modules).to(torch.float64)
    offset = 0
    with torch.no_grad():
        for module, number in holders:
            for role, parameters in parameter_arrays(network, number):
                tensor = getattr(module, role)
                values = floats[offset : offset + parameters.size]
                tensor.copy_(torch.tensor(values, dtype=torch.float64).reshape(
                    parameters.shape))
                offset += parameters.size
    return model


def parameter_floats(network: Network, weights, missing: str) -> list[float]:
    weights = getattr(weights, "weights", weights)  # a TrainResult's, an Imported's
    if isinstance(weights, (Mapping, WeightFile)):
        weights = resolve(network, weights, missing=missing, where="to_torch")
    if not isinstance(weights, (list, tuple, np.ndarray)):
        resolve(network, weights, where="to_torch")  # the message naming the forms
    values = list(np.asarray(weights, dtype=object).reshape(-1))
    if len(values) != len(network.parameters):
        raise WeightsError(
            f"to_torch: {len(values)} weights for {len(network.parameters)} "
            "parameters; give one value per parameter, in the network's order"
        )
    return [exact_float(value) for value in values]


def parameter_arrays(network: Network, number: int):
    """(role, object array of Parameters) of layer `number`, weight then bias."""
    if network.weights[number - 1].size:
        yield "weight", network.weights[number - 1]
    if network.biases[number - 1] is not None:
        yield "bias", np.array(network.biases[number - 1], dtype=object)


def torch_modules(torch, network: Network):
    """The modules of to_torch's Sequential, and (module, layer number) of each one
    that holds a layer's parameters (a Conv2d or Linear)."""
    nn, modules, holders = torch.nn, [], []
    for number, layer in enumerate(network.layers, start=1):
        flat_before = number > 1 and isinstance(
            network.layers[number - 2], (Dense, Flatten)
        )
        if isinstance(layer, Dense) and not flat_before:
            modules.append(nn.Flatten())
        if isinstance(layer, (Conv2D, Pool2D)) and flat_before:
            modules.append(nn.Unflatten(1, network.shapes[number - 1]))
        made = layer_modules(nn, network, number)
        holders += [(m, number) for m in made if isinstance(m, (nn.Conv2d, nn.Linear))]
        modules += made
    return modules, holders


def layer_modules(nn, network: Network, number: int) -> list:
    """The module(s) computing layer `number` (its activation included)."""
    layer = network.layers[number - 1]
    if isinstance(layer, Flatten):
        return [nn.Flatten()]
    if isinstance(layer, Pool2D):
        return [pool_module(nn, network, number)]
    if isinstance(layer, Dense):
        linear = nn.Linear(network.layer_input_size(number), layer.units,
                           bias=layer.bias)
        return [linear, *activation_modules(nn, network, number)]
    return [*conv_modules(nn, network, number),
            *activation_modules(nn, network, number)]


def conv_modules(nn, network: Network, number: int) -> list:
    layer = network.layers[number - 1]
    (top, bottom), (left, right) = layer.padding
    pad = []
    if top != bottom or left != right:
        pad, top, left = [nn.ZeroPad2d((left, right, top, bottom))], 0, 0
    conv = nn.Conv2d(network.shapes[number - 1][0], layer.filters, layer.kernel,
                     stride=layer.stride, padding=(top, left), bias=layer.bias,
                     groups=getattr(layer, "groups", 1))
    return [*pad, conv]


def pool_module(nn, network: Network, number: int):
    layer = network.layers[number - 1]
    if layer.mode == "min" or isinstance(layer.padding, str):
        what = "min pooling" if layer.mode == "min" else "padding 'same'"
        raise SymcnnError(
            f"to_torch: {layer_label(number, layer)}: PyTorch has no module for "
            f"{what}; use max or avg pooling with numeric padding"
        )
    options = dict(kernel_size=layer.size, stride=layer.stride, padding=layer.padding)
    if layer.mode == "max":
        return nn.MaxPool2d(**options)
    return nn.AvgPool2d(**options, count_include_pad=layer.count_include_pad)


def activation_modules(nn, network: Network, number: int) -> list:
    function = network.layers[number - 1].activation
    simple = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh}
    if function.kind in simple:
        return [simple[function.kind]()]
    if function.kind == "leaky_relu":
        return [nn.LeakyReLU(exact_float(function.slope))]
    if function.kind == "identity":
        return []
    raise SymcnnError(
        f"to_torch: {layer_label(number, network.layers[number - 1])}: the generic "
        "activation f has no numbers; choose relu, leaky_relu, sigmoid or tanh"
    )


# -- .pt files ---------------------------------------------------------------------


def write_state_dict(network: Network, values, path: str | Path) -> None:
    """torch.save of to_torch(network, values).state_dict() (float64) to `path`."""
    torch = import_torch("saving a .pt file")
    torch.save(to_torch(network, values).state_dict(), str(path))


def read_state_dict(path: str | Path, network: Network) -> tuple[sp.Rational, ...]:
    """Exact weights in parameter order from a .pt state_dict with to_torch's keys;
    a key or shape that does not fit is one WeightsError listing them all."""
    torch = import_torch(f"reading {str(path)!r}")
    label = f"weight file {str(path)!r}"
    data = read_bytes(path, label)
    if not data.startswith(TORCH_MAGIC):
        raise not_torch_file(label, "it is neither a zip archive nor a pickle")
    try:
        with warnings.catch_warnings():  # torch warns about old pickle protocols
            warnings.simplefilter("ignore")
            state = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        refused = re.search(r"Unsupported global: GLOBAL (\S+)", str(error))
        if refused:
            raise SpecError(
                f"{label} holds Python objects other than tensors ({refused[1]}), "
                "which torch.load(weights_only=True) refuses and symcnn never runs; "
                "save the model's state_dict() only: torch.save(model.state_dict(), "
                "path)"
            ) from None
        raise not_torch_file(label, "torch.load(weights_only=True) cannot read it")
    except Exception as error:  # torch raises RuntimeError, EOFError, ValueError...
        raise not_torch_file(label, type(error).__name__) from None
    if not isinstance(state, Mapping):
        raise SpecError(f"{label} holds a Python {type(state).__name__}, not a "
                        "state_dict; "
                        "save model.state_dict()")
    return state_values(torch, state, network, label)


def not_torch_file(label: str, reason: str) -> SpecError:
    return SpecError(
        f"{label} is not a PyTorch file that torch.load can read ({reason}); give a "
        "state_dict saved with torch.save, or a TOML weight file (.toml)"
    )


def state_values(torch, state: Mapping, network: Network, label: str):
    expected = to_torch(network, [0] * len(network.parameters)).state_dict()
    problems = [f"key {k!r} is not one of this network's ({', '.join(expected)})"
                for k in state if k not in expected]
    problems += [f"key {k!r} is missing (shape {shape_of(v)})"
                 for k, v in expected.items() if k not in state]
    for key, tensor in expected.items():
        found = state.get(key)
        if found is None:
            continue
        if not isinstance(found, torch.Tensor):
            name = type(found).__name__
            problems.append(f"key {key!r} holds a Python {name}, not a tensor")
        elif tuple(found.shape) != tuple(tensor.shape):
            problems.append(f"key {key!r}: expected shape {shape_of(tensor)}, found "
                            f"{shape_of(found)}")
    if problems:
        raise WeightsError(f"{label} does not fit the network:\n" + "\n".join(
            f"  {problem}" for problem in problems))
    values = []
    for key in expected:
        where = f"{label}: key {key!r}"
        values += [value for value, _ in exact_values(torch, state[key], where)]
    return tuple(values)


def shape_of(tensor) -> str:
    return "x".join(map(str, tensor.shape)) or "(scalar)"


def read_bytes(path: str | Path, label: str) -> bytes:
    """The file's bytes, at most MAX_FILE_BYTES, regular files only (as read_text)."""
    try:
        refuse_unless_regular(os.stat(path).st_mode, label, "weight file")
        handle = os.open(path, OPEN_FLAGS)
        with os.fdopen(handle, "rb") as stream:
            info = os.fstat(stream.fileno())
            refuse_unless_regular(info.st_mode, label, "weight file")
            refuse_if_large(info.st_size, label, "weight file")
            data = stream.read(MAX_FILE_BYTES + 1)
        refuse_if_large(len(data), label, "weight file", over=True)
        return data
    except SpecError:
        raise
    except FileNotFoundError:
        raise SpecError(f"{label} does not exist") from None
    except OSError as error:
        raise SpecError(f"{label} cannot be read: {error.strerror}") from None
