"""The same network in PyTorch (float64), the numeric oracle of the tests."""

import numpy as np
import torch

import symcnn as sc

ACTIVATIONS = {
    "identity": lambda x: x,
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
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


def forward(
    network: sc.Network, theta: torch.Tensor, images: torch.Tensor
) -> torch.Tensor:
    x = images
    for layer, (w, b) in zip(network.layers, unflatten(network, theta)):
        if isinstance(layer, sc.Conv2D):
            x = torch.nn.functional.conv2d(
                x, w, b, stride=layer.stride, padding=layer.padding
            )
        else:
            x = torch.nn.functional.linear(x.flatten(1), w, b)
        x = ACTIVATIONS[layer.activation.kind](x)
    return x.flatten(1)


def loss_and_gradient(network, theta: np.ndarray, data: sc.Dataset):
    t = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    images = torch.tensor(data.pixel_arrays())
    targets = torch.tensor(data.target_arrays())
    loss = ((forward(network, t, images) - targets) ** 2).sum()
    loss.backward()
    return loss.item(), t.grad.numpy()
