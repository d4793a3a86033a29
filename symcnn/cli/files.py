"""What the commands share: specs with their weights, and outputs written safely
(atomically, never over an existing file without --force)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

from ..errors import SymcnnError
from ..files.spec import Spec
from ..files.spec_data import require_targets
from ..files.torchfiles import is_state_dict_path, read_state_dict
from ..files.weights import beside, read_weight_file


def load_weights(spec: Spec, path: str, missing: str | None):
    """Exact weights from a TOML weight file, or from a .pt/.pth state_dict in
    to_torch's keys (which gives every parameter: `missing` does not apply)."""
    if is_state_dict_path(path):
        return read_state_dict(path, spec.network)
    return read_weight_file(path, spec.network).resolve(spec.network, missing)


def require_data(spec: Spec, command: str) -> None:
    if spec.data is None:
        raise SymcnnError(
            f"{command} needs training data; add to the spec\n"
            '[data]\nsamples = [{ image = "011/001", y = 1 }]'
        )
    require_targets(spec.data, command, spec.path)


def emit(text: str, output: str | None, *, force: bool) -> None:
    """Print, or write atomically to `output`."""
    if output:
        write_new_file(output, text + "\n", force=force)
        print(f"Wrote {output}")
    else:
        print(text)


def emit_lines(lines: Iterable[str], output: str | None, *, force: bool) -> None:
    """emit() a line at a time, each written as it comes: a big derivation shows its
    first rows at once and is never one giant string, and a reader that stops early
    (`| head`) stops the work. To a file, the lines go to the temporary file, which
    becomes `output` once all are in (an interrupted run leaves nothing)."""
    if not output:
        for line in lines:
            print(line)
        return
    check_output(output, force=force)
    with atomic_output(output) as temporary:
        with open(temporary, "w", encoding="utf-8") as handle:
            for line in lines:
                handle.write(line + "\n")
    print(f"Wrote {output}")


def write_new_file(path: str, text: str, *, force: bool) -> None:
    """Write atomically (temporary file, then rename); never overwrite without force."""
    check_output(path, force=force)
    with atomic_output(path) as temporary:
        Path(temporary).write_text(text, encoding="utf-8")


def write_new_figure(path: str, draw) -> None:
    """draw(temporary path), then rename: a half-written figure never replaces one."""
    with atomic_output(path) as temporary:
        draw(temporary)


@contextmanager
def atomic_output(path: str):
    """A temporary path beside `path`, renamed onto it when the block succeeds and
    removed whatever happens otherwise; the file gets the mode a new file would (the
    umask's), not mkstemp's private 0600. Errors name the user's path, never the
    temporary one."""
    target = output_target(path)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=folder_of(target), prefix=f".{target.name}.", suffix=target.suffix
        )
    except OSError as error:
        raise SymcnnError(f"cannot write {path!r}: {error.strerror}") from None
    os.close(handle)
    try:
        yield temporary
        os.chmod(temporary, 0o666 & ~current_umask())
        os.replace(temporary, target)
    except OSError as error:
        raise SymcnnError(f"cannot write {path!r}: {error.strerror}") from None
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def output_target(path: str) -> Path:
    """The file an output really is: through a symbolic link, the file it points to
    (replacing the link itself would cut it from its target)."""
    return Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def folder_of(target: Path) -> Path:
    return target.parent if str(target.parent) else Path(".")


def check_output(path: str | None, *, force: bool) -> None:
    """Before any work: `path` can be written (its folder exists and is writable, it
    is not a folder) and, when it exists, --force says it may be replaced."""
    if not path:
        return
    target = output_target(path)
    directory = folder_of(target)
    if not directory.is_dir():
        raise SymcnnError(
            f"cannot write {path!r}: the folder {str(directory)!r} does not exist"
        )
    if target.is_dir():
        raise SymcnnError(f"cannot write {path!r}: it is a folder; give a file name")
    if target.exists() and not target.is_file():
        raise SymcnnError(
            f"cannot write {path!r}: it is a device, FIFO or socket, not a file; "
            "give the name of a regular file"
        )
    if target.exists() and not force:
        raise SymcnnError(
            f"{path!r} exists; pass --force to overwrite it or choose another name"
        )
    if not os.access(directory, os.W_OK):
        raise SymcnnError(
            f"cannot write {path!r}: the folder {str(directory)!r} is not writable"
        )


def refuse_overwrite(*paths: str | None, force: bool) -> None:
    """Before any work: every output can be written, and one that exists needs
    --force (check_output)."""
    for path in paths:
        check_output(path, force=force)


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
