"""Update rules on flat float64 parameter vectors, as PyTorch's optimizers define them.

- gd:       theta -= lr g
- momentum: v = mu v + g;  theta -= lr v                          (torch.optim.SGD)
- adam:     m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
            theta -= lr m_hat / (sqrt(v_hat) + eps), with bias correction (Kingma & Ba)
"""

from __future__ import annotations

import numpy as np

DEFAULT_LR = {"gd": 0.05, "momentum": 0.01, "adam": 0.01}


class GradientDescent:
    def __init__(self, lr: float):
        self.lr = lr

    def step(self, theta: np.ndarray, gradient: np.ndarray) -> np.ndarray:
        return theta - self.lr * gradient


class Momentum:
    def __init__(self, lr: float, mu: float = 0.9):
        self.lr, self.mu = lr, mu
        self.velocity = 0.0

    def step(self, theta: np.ndarray, gradient: np.ndarray) -> np.ndarray:
        self.velocity = self.mu * self.velocity + gradient
        return theta - self.lr * self.velocity


class Adam:
    def __init__(
        self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
    ):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = self.v = 0.0
        self.t = 0

    def step(self, theta: np.ndarray, gradient: np.ndarray) -> np.ndarray:
        self.t += 1
        self.m = self.beta1 * self.m + (1 - self.beta1) * gradient
        self.v = self.beta2 * self.v + (1 - self.beta2) * gradient * gradient
        m_hat = self.m / (1 - self.beta1**self.t)
        v_hat = self.v / (1 - self.beta2**self.t)
        return theta - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


OPTIMIZERS = {"gd": GradientDescent, "momentum": Momentum, "adam": Adam}
