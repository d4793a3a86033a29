"""A real-data demo: a small CNN on scikit-learn's 8x8 digits (1797 images, bundled,
no download), trained by symcnn and by PyTorch 2.13 from the same initial weights with
the same mini-batches, loss and optimizer. Prints seconds per epoch and test accuracy.

    Conv2D(8 filters, 3x3, relu) -> MaxPool2D(2) -> Dense(10), 810 parameters
    loss: sum over samples and classes of (F_k(P) - onehot_k)^2 (symcnn's loss), or
    with --loss cross_entropy: -sum over samples of log softmax(F(P))_label
    (PyTorch's F.cross_entropy, reduction="sum"), or mean_squared_error (F.mse_loss)
    Adam, lr 0.003, batches of 32 (the last partial batch of an epoch dropped)

    python benchmarks/digits.py [--epochs 10] [--backend auto] [--loss cross_entropy]
    (needs: pip install 'symcnn[bench]')
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits

import symcnn as sc
from symcnn.numeric.training import batches  # the same batch order for PyTorch

LR = 0.003
BATCH = 32
SEED = 0
TRAIN_IMAGES = 1500  # the first 1500 images train, the last 297 test
#: PyTorch's loss on a batch as symcnn's training sees it: a sum over the batch is
#: scaled to the whole training set (times N / B), a mean is the batch's mean.
TORCH_LOSSES = {
    "squared_error": lambda out, y: ((out - y) ** 2).sum() * TRAIN_IMAGES / BATCH,
    "mean_squared_error": lambda out, y: F.mse_loss(out, y),
    "cross_entropy": lambda out, y: (
        F.cross_entropy(out, y, reduction="sum") * TRAIN_IMAGES / BATCH
    ),
}


def digits_network() -> sc.Network:
    return sc.Network(
        sc.Input(channels=1, height=8, width=8),
        sc.Conv2D(8, (3, 3), activation="relu", bias=True),
        sc.MaxPool2D(2),
        sc.Dense(10),
    )


def digits_data():
    """Images scaled to [0, 1] as (n, 1, 8, 8), one-hot targets (n, 10), labels."""
    digits = load_digits()
    images = digits.images[:, None, :, :] / 16.0
    onehot = np.eye(10)[digits.target]
    return images, onehot, digits.target


def torch_model(network: sc.Network, theta: np.ndarray) -> torch.nn.Module:
    """The same network in PyTorch with symcnn's weights (parameter order: each layer's
    weights in PyTorch's layout, then its biases)."""
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(72, 10),
    ).double()
    tensors = [model[0].weight, model[0].bias, model[4].weight, model[4].bias]
    offset = 0
    with torch.no_grad():
        for tensor in tensors:
            tensor.copy_(
                torch.tensor(theta[offset : offset + tensor.numel()]).view_as(tensor)
            )
            offset += tensor.numel()
    assert offset == len(theta) == len(network.parameters)
    return model


def accuracy(scores: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(np.argmax(scores, axis=1) == labels))


def train_symcnn(network, images, onehot, theta0, steps, backend, loss):
    start = time.perf_counter()
    trace = sc.build_trace(network, loss=loss)
    data = sc.Dataset.from_rows(list(zip(images.tolist(), onehot.tolist())))
    objective = sc.compile_objective(trace, data, backend=backend)
    forward = sc.compile_forward(trace)
    compile_s = time.perf_counter() - start
    start = time.perf_counter()
    result = sc.train_trace(
        trace,
        data,
        optimizer="adam",
        lr=LR,
        steps=steps,
        tol=0.0,
        batch_size=BATCH,
        initial=theta0,
        seed=SEED,
        objective=objective,
    )
    return result.weights, forward, compile_s, time.perf_counter() - start


def train_torch(network, images, onehot, theta0, steps, loss):
    model = torch_model(network, theta0)
    x, y = torch.tensor(images), torch.tensor(onehot)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    # symcnn.train's batch order for attempt 0 of SEED (training.py)
    order = batches(len(images), BATCH, np.random.default_rng([SEED, 0, 1]))
    start = time.perf_counter()
    for _ in range(steps):
        batch = torch.from_numpy(next(order))
        optimizer.zero_grad()
        TORCH_LOSSES[loss](model(x[batch]), y[batch]).backward()
        optimizer.step()
    return model, time.perf_counter() - start


def run(epochs: int = 10, backend: str = "auto", loss: str = "squared_error") -> dict:
    """Both trainings; seconds per epoch, their ratio and test accuracies."""
    images, onehot, labels = digits_data()
    train_x, train_y = images[:TRAIN_IMAGES], onehot[:TRAIN_IMAGES]
    test_x, test_labels = images[TRAIN_IMAGES:], labels[TRAIN_IMAGES:]
    network = digits_network()
    theta0 = sc.initial_weights(network, SEED)
    steps = epochs * (TRAIN_IMAGES // BATCH)
    weights, forward, compile_s, ours_s = train_symcnn(
        network, train_x, train_y, theta0, steps, backend, loss
    )
    model, theirs_s = train_torch(network, train_x, train_y, theta0, steps, loss)
    with torch.no_grad():
        torch_scores = model(torch.tensor(test_x)).numpy()
    ours_accuracy = accuracy(forward(weights, test_x), test_labels)
    theirs_accuracy = accuracy(torch_scores, test_labels)
    return {
        "loss": loss,
        "epochs": epochs,
        "parameters": len(theta0),
        "symcnn_compile_s": compile_s,
        "symcnn_epoch_s": ours_s / epochs,
        "torch_epoch_s": theirs_s / epochs,
        "digits_epoch_ratio_vs_torch": ours_s / theirs_s,
        "symcnn_test_accuracy": ours_accuracy,
        "torch_test_accuracy": theirs_accuracy,
        "accuracy_difference_points": 100 * abs(ours_accuracy - theirs_accuracy),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--backend", default="auto")
    parser.add_argument("--loss", default="squared_error", choices=list(TORCH_LOSSES))
    parser.add_argument(
        "--threads", type=int, default=1, help="threads of PyTorch and of symcnn's C"
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    os.environ["SYMCNN_THREADS"] = str(args.threads)
    for key, value in run(args.epochs, args.backend, args.loss).items():
        print(
            f"{key:32} {value:.4g}" if isinstance(value, float) else f"{key:32} {value}"
        )


if __name__ == "__main__":
    main()
