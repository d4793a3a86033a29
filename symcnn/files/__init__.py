"""Stage 2, files: the user's descriptions on disk, read as data and never evaluated.

Owns spec files (TOML: network, data, target, training settings), weight files and
the one mapping between weights by printed name and flat vectors. May import `model`.
"""
