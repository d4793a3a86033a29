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
    options = dict(kernel_size=layer.size, stride=layer.stride, padding=layer.padding)
    if layer.mode == "max":
        return F.max_pool2d(x, **options)
    if layer.mode == "min":
        return -F.max_pool2d(-x, **options)
    return F.avg_pool2d(x, **options, count_include_pad=True)


def layer_outputs(network: sc.Network, theta: torch.Tensor, images: torch.Tensor):
    """Every layer's output (after its activation), flattened per image."""
    x, outputs = images, []
    for layer, (w, b) in zip(network.layers, unflatten(network, theta)):
        if isinstance(layer, sc.Conv2D):
            (top, bottom), (left, right) = layer.padding
            x = F.conv2d(
                F.pad(x, (left, right, top, bottom)), w, b, stride=layer.stride
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
