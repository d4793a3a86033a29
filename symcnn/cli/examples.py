"""The lecture's specs shipped with symcnn (`symcnn examples`), and a commented spec to
start from (`symcnn init`)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import SymcnnError, did_you_mean
from ..files.weights import beside, is_weight_file

TEMPLATE = """\
# {name}: a network for symcnn. Every field is explained; delete what you do not need.
# Try:  symcnn run {name}.toml        (summary, formulas, and training if y is given)

[input]                 # the image P: pixels p_{{ij}} (p_{{c,ij}}: channels)
channels = 1
height = 2
width = 3
# letter = "p"

[[layers]]              # a convolution: a_{{ij}} = p_{{11}} w_{{1}} + ...
type = "conv"
filters = 1
kernel = [1, 2]         # rows x columns; one number for a square kernel
name = "a"              # the values are written out as equations a_{{ij}} = ...
# stride = 1            # padding = 0 (a number, a pair, "valid" or "same")
# bias = false          # activation = "relu" (relu, leaky_relu, sigmoid, tanh, f)
# letter = "w"          # bias_letter = "b"

# [[layers]]            # pooling: type = "maxpool", "minpool" or "avgpool"
# type = "maxpool"
# size = 2              # floor = true drops what does not fit, as PyTorch does

[[layers]]              # 4 ReLU neurons: weights w_{{ij,k}}, biases b_k
type = "dense"
units = 4
activation = "relu"     # grad_at_zero = 0 is ReLU'(0), PyTorch's convention

[[layers]]              # the output neuron: weights w_{{k,0}}, bias b_0
type = "dense"
units = 1

[data]                  # images as "011/001" rows or nested arrays; y is optional
samples = [
  {{ image = "011/001", y = 1 }},
  {{ image = "110/011", y = 2 }},
  {{ image = "101/010", y = 0 }},
]
# samples = "all"       # instead: every image of the input size, y from [target]

# [target]              # for check --exhaustive / --every-size: a count of a pattern
# kind = "count"
# pattern = "11"

# [train]               # defaults for symcnn train
# optimizer = "gd"      # gd, momentum or adam
# lr = 0.05
# steps = 5000
# seed = 0
"""


def examples_folder() -> Path:
    """Where the lecture's specs are: the installed symcnn.examples, or derivations/
    beside the package in a source checkout."""
    try:
        folder = Path(str(resources.files("symcnn.examples")))
        if folder.is_dir():
            return folder
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[2] / "derivations"


def example_specs() -> dict[str, Path]:
    return {
        path.stem: path
        for path in sorted(examples_folder().glob("*.toml"))
        if not is_weight_file(path)
    }


def title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            return line.lstrip("# ").strip()
    return ""


def copy_example(name: str, folder: Path, *, force: bool) -> list[Path]:
    """Copy the spec `name` (and its -weights.toml) into `folder`; the new paths."""
    specs = example_specs()
    if name not in specs:
        raise SymcnnError(
            f"there is no example {name!r}{did_you_mean(name, specs)}; "
            f"the examples are: {', '.join(specs)}"
        )
    sources = [specs[name]]
    weights = beside(specs[name])
    if weights.exists():
        sources.append(weights)
    return copy_files(sources, folder, force=force)


def copy_all_examples(folder: Path, *, force: bool) -> list[Path]:
    """Copy every shipped file (specs, weights, the Python and LaTeX examples) into
    `folder`; the new paths."""
    sources = sorted(
        path
        for path in examples_folder().iterdir()
        if path.is_file() and path.suffix in SHIPPED_SUFFIXES
    )
    return copy_files(sources, folder, force=force)


#: What `symcnn examples --to FOLDER` copies: specs and weights, Python and LaTeX.
SHIPPED_SUFFIXES = (".toml", ".py", ".tex")


def copy_files(sources: list[Path], folder: Path, *, force: bool) -> list[Path]:
    """Copy `sources` into `folder`, created when its parent exists (a typo in the
    parent is not made into a tree of folders): all or nothing, no file replaced
    without force."""
    parent = folder.parent if str(folder.parent) else Path(".")
    if folder.exists() and not folder.is_dir():
        raise SymcnnError(f"{str(folder)!r} is a file, not a folder; give a folder")
    if not folder.exists() and not parent.is_dir():
        raise SymcnnError(
            f"cannot create the folder {str(folder)!r}: its parent {str(parent)!r} "
            f"does not exist; create it first (mkdir -p {parent})"
        )
    targets = [folder / source.name for source in sources]
    existing = [str(target) for target in targets if target.exists()]
    if existing and not force:
        listed = ", ".join(repr(path) for path in existing[:3])
        more = f" and {len(existing) - 3} more" if len(existing) > 3 else ""
        raise SymcnnError(
            f"{listed}{more} exist{'s' if len(existing) == 1 else ''}; "
            "pass --force to overwrite (nothing was copied)"
        )
    folder.mkdir(exist_ok=True)
    for source, target in zip(sources, targets):
        target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return targets


def template(name: str) -> str:
    return TEMPLATE.format(name=name)
