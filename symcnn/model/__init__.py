"""Stage 1, the model: what a network is, before any formula exists.

Owns the layer descriptions, the Network (shapes, parameter names), the nonlinearities
and pooling functions with their derivative conventions, printed names, images and
datasets, targets and exact numbers. Imports nothing else from symcnn but `errors`.
"""
