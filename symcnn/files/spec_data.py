"""A spec's [data]: samples = [{ image = "011/001", y = 1 }, ...] or "all", and the
alphabet of pixel values; each problem added to spec.Problems with the sample's
number (from 1, as every message counts samples), the value and a fix."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from ..errors import DataError, did_you_mean
from ..model.data import Dataset, image_text
from ..model.exact import given, shown_value
from ..model.images import BINARY, alphabet_fractions
from .train_values import ALL_IMAGES, check_targets

if TYPE_CHECKING:
    from ..model.network import Network

#: The keys of one sample, and how one is written.
SAMPLE_KEYS = ("image", "y")
SAMPLE_FORM = '{ image = "011/001", y = 1 } (y is optional)'
SAMPLES_FORM = '[{ image = "011/001", y = 1 }, ...] or "all" (every image of the input)'


def parse_data(
    value: object, network: Network | None, problems, loss: str | None
) -> Dataset | None:
    """The Dataset of [data] samples; None when there is none, when it is "all"
    (built by train_values.every_image_spec once the target is read), or when a
    problem was added to `problems`."""
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.add("[data]", f"expected a table, got {shown_value(value)}")
        return None
    problems.unknown_keys("[data]", value, {"samples", "alphabet"})
    samples = value.get("samples")
    if samples is None and "alphabet" in value:
        return None  # only the alphabet: images without samples
    if samples == ALL_IMAGES:
        return None
    if samples_problem(samples, problems):
        return None
    parts = [
        sample_data(index, sample, problems) for index, sample in enumerate(samples)
    ]
    if not all(parts):
        return None
    data = Dataset(tuple(part.samples[0] for part in parts))
    if network is not None:
        problems.attempt("[data]", lambda: check_targets(data, network, loss))
    return data


def samples_problem(samples: object, problems) -> bool:
    """Whether `samples` is neither "all" nor a list of samples (a problem added)."""
    if isinstance(samples, list) and samples:
        return False
    if samples == []:
        why = "[] has no sample"
    else:
        near = ""
        if isinstance(samples, str):  # "ALL" too: did_you_mean minds the case
            is_all = samples.strip().lower() == ALL_IMAGES
            near = f" (did you mean {ALL_IMAGES!r}?)" if is_all else ""
            near = near or did_you_mean(samples, [ALL_IMAGES])
        why = f"{shown_value(samples)} is not a list of samples or 'all'{near}"
    problems.add("[data].samples", f"{why}; write {SAMPLES_FORM}")
    return True


def sample_data(index: int, sample: object, problems) -> Dataset | None:
    """Sample `index` (from 0) as a Dataset of one, or None with its problems added.
    Each sample on its own, so that every bad one is reported, not the first."""
    where = f"sample {index + 1} (P{index + 1})"
    if not isinstance(sample, dict):
        problems.add("[data]", f"{where}: {shown_value(sample)} is not {SAMPLE_FORM}")
        return None
    unknown = [key for key in sample if key not in SAMPLE_KEYS]
    for key in unknown:
        problems.add(
            "[data]",
            f"{where}: unknown key {key!r}{did_you_mean(key, SAMPLE_KEYS)}; a sample "
            f"is {SAMPLE_FORM}",
        )
    if "image" not in sample and not unknown:  # else the near miss says it
        problems.add("[data]", f"{where}: no `image`; a sample is {SAMPLE_FORM}")
    if unknown or "image" not in sample:
        return None
    row = (sample["image"], sample.get("y"))
    build = partial(Dataset.from_rows, [row], first=index + 1)
    return problems.attempt("[data]", build)


def parse_alphabet(value: object, problems) -> tuple:
    """[data] alphabet as Fractions (Spec.alphabet reads them as Rationals)."""
    if not isinstance(value, dict) or "alphabet" not in value:
        return BINARY
    found = problems.attempt("[data]", lambda: alphabet_fractions(value["alphabet"]))
    return found or BINARY


def require_targets(data: Dataset, command: str, path) -> None:
    """A DataError naming the spec file and the first sample without a target y,
    with the sample written as the spec would write it with one."""
    for number, sample in enumerate(data.samples, start=1):
        if given(sample, "target") is not None:
            continue
        written = spec_image(given(sample, "image"))
        source = f" of spec file {str(path)!r}" if path else ""
        raise DataError(
            f"{command} needs a target y for every sample, and sample {number} "
            f"({sample.name}){source} has none; give it one in [data]: "
            f"{{ image = {written}, y = 1 }} (y = [1, 0] for two outputs)"
        )


def spec_image(image) -> str:
    """An image as a spec writes it: "011/001" when binary, else nested lists of
    numbers ("1/2" in quotes); "..." when it has over 25 pixels."""
    if image.shape[0] == 1 and all(value in (0, 1) for value in image.flat):
        return f'"{image_text(image)}"'
    if image.size > 25:
        return "..."

    def number(value) -> str:
        return str(value) if value == int(value) else f'"{value}"'

    def listed(items) -> str:
        return f"[{', '.join(items)}]"

    channels = [listed(listed(map(number, row)) for row in grid) for grid in image]
    return channels[0] if len(channels) == 1 else f"[{', '.join(channels)}]"
