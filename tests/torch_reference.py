"""The same network in PyTorch (float64), the numeric oracle of the tests."""

import numpy as np
import torch
import torch.nn.functional as F

import symcnn as sc

ACTIVATIONS = {
    "identity": lambda x, a: x,
    "relu": lambda x, a: torch.relu(x),
    "leaky_relu": lambda x, a: F.leaky_relu(x, float(a.slope)),
    "sigmoid": lambda x, a: torch.sigmoid(x),
    "tanh": lambda x, a: torch.tanh(x),
}


def unflatten(network: sc.Network, theta: torch.Tensor):
    """Per layer (weight tensor, bias tensor or None), from symcnn's parameter order."""
    tensors, offset = [], 0
    for weights, biases in zip(network.weights, network.biases):
        w = theta[offset : offset + weights.size].reshape(weights.shape)
        offset += weights.size
        b = None
        if biases is not None:
            b = theta[offset : offset + len(biases)]
            offset += len(biases)
        tensors.append((w, b))
    return tensors


def pool(layer: sc.Pool2D, x: torch.Tensor) -> torch.Tensor:
    """PyTorch's pooling; TensorFlow's "same" (uneven padding, which PyTorch's
    `padding` cannot say) as explicit F.pad first: -inf for max, +inf for min; avg
    pools the zero-padded input and, without count_include_pad, divides by the pooled
    mask of real cells (TensorFlow's own avg pool)."""
    (top, bottom), (left, right) = layer.pads(*x.shape[2:])
    options = dict(kernel_size=layer.size, stride=layer.stride)
    if (top, left) == (bottom, right):
        options["padding"] = (top, left)
        if layer.mode == "avg":
            options["count_include_pad"] = layer.count_include_pad
    else:
        fill = {"max": -torch.inf, "min": torch.inf, "avg": 0.0}[layer.mode]
        if layer.mode == "avg" and not layer.count_include_pad:
            real = F.pad(torch.ones_like(x), (left, right, top, bottom))
            padded = F.pad(x, (left, right, top, bottom))
            return F.avg_pool2d(padded, **options) / F.avg_pool2d(real, **options)
        x = F.pad(x, (left, right, top, bottom), value=fill)
    if layer.mode == "max":
        return F.max_pool2d(x, **options)
    if layer.mode == "min":
        return -F.max_pool2d(-x, **options)
    return F.avg_pool2d(x, **options)


def layer_outputs(network: sc.Network, theta: torch.Tensor, images: torch.Tensor):
    """Every layer's output (after its activation), flattened per image."""
    x, outputs = images, []
    for layer, (w, b) in zip(network.layers, unflatten(network, theta)):
        if isinstance(layer, sc.Conv2D):
            (top, bottom), (left, right) = layer.padding
            x = F.conv2d(
                F.pad(x, (left, right, top, bottom)),
                w,
                b,
                stride=layer.stride,
                groups=layer.groups,
            )
            x = ACTIVATIONS[layer.activation.kind](x, layer.activation)
        elif isinstance(layer, sc.Pool2D):
            x = pool(layer, x)
        elif isinstance(layer, sc.Flatten):
            x = x.flatten(1)
        else:
            x = F.linear(x.flatten(1), w, b)
            x = ACTIVATIONS[layer.activation.kind](x, layer.activation)
        outputs.append(x.flatten(1))
    return outputs


def forward(network: sc.Network, theta: torch.Tensor, images: torch.Tensor):
    return layer_outputs(network, theta, images)[-1]


def loss_and_gradient(network, theta: np.ndarray, data: sc.Dataset):
    t = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    images = torch.tensor(data.pixel_arrays())
    targets = torch.tensor(data.target_arrays())
    loss = ((forward(network, t, images) - targets) ** 2).sum()
    loss.backward()
    return loss.item(), t.grad.numpy()
