"""What the commands share: specs with their weights, and outputs written safely
(atomically, never over an existing file without --force)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import SymcnnError
from ..files.spec import Spec
from ..files.weights import beside, read_weight_file


def load_weights(spec: Spec, path: str, missing: str | None):
    return read_weight_file(path).resolve(spec.network, missing)


def require_data(spec: Spec, command: str) -> None:
    if spec.data is None:
        raise SymcnnError(
            f"{command} needs training data; add to the spec\n"
            '[data]\nsamples = [{ image = "011/001", y = 1 }]'
        )


def emit(text: str, output: str | None, *, force: bool) -> None:
    """Print, or write atomically to `output`."""
    if output:
        write_new_file(output, text + "\n", force=force)
        print(f"Wrote {output}")
    else:
        print(text)


def write_new_file(path: str, text: str, *, force: bool) -> None:
    """Write atomically (temporary file, then rename); never overwrite without force."""
    target = Path(path)
    if target.exists() and not force:
        raise SymcnnError(
            f"{path!r} exists; pass --force to overwrite it or choose another name"
        )
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise SymcnnError(
            f"cannot write {path!r}: the folder {str(directory)!r} does not exist"
        )
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, target)


def refuse_overwrite(*paths: str | None, force: bool) -> None:
    """Before any work: an output that exists needs --force."""
    for path in paths:
        if path and Path(path).exists() and not force:
            raise SymcnnError(
                f"{path!r} exists; pass --force to overwrite it or choose another name"
            )


def write_new_figure(path: str, draw) -> None:
    """draw(temporary path), then rename: a half-written figure never replaces one."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=target.suffix)
    os.close(handle)
    try:
        draw(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def default_weight_file(spec_path: str) -> str | None:
    candidate = beside(spec_path)
    return str(candidate) if candidate.exists() else None


def spec_weights(spec: Spec, args):
    """The weights for SPEC: --weights FILE, else <name>-weights.toml beside the spec,
    else none (fine for a network without parameters)."""
    path = args.weights or default_weight_file(args.spec)
    if path:
        return load_weights(spec, path, getattr(args, "missing", None))
    if spec.network.parameters:
        raise SymcnnError(
            f"the network has {len(spec.network.parameters)} parameters and no weights "
            f"were given; pass --weights FILE or write {str(beside(args.spec))!r}"
        )
    return ()


def section(title: str, body: str) -> None:
    print(f"== {title} ==\n{body}\n")
