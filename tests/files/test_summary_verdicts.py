"""`symcnn summary` reads a spec without naming its parameters (shapes_only), yet
refuses what every other command refuses, with the same message: values named like
the pixels or like a parameter, two things printed alike, samples = "all" without
a [target]. Checked over every combination of a few letters and names."""

from itertools import product

import pytest

from symcnn.errors import SpecError
from symcnn.files.spec import parse_spec, spec_from_document
from symcnn.files.spec_network import names_may_clash
from symcnn.files.tomlfile import header_lines, parse

SPEC = """\
[input]
height = 3
width = 3
letter = "{pixels}"

[[layers]]
type = "conv"
filters = {filters}
kernel = 2
letter = "{conv_letter}"
{conv_name}

[[layers]]
type = "maxpool"
size = 2
{pool_name}

[[layers]]
type = "dense"
units = {units}
bias_letter = "{bias}"
neuron_index = {index}
{dense_name}
"""
LETTERS = ("p", "a", "w", "b")


def verdicts(text: str) -> tuple[str | None, str | None]:
    """The error message (None when read) of the full reading and of summary's."""
    found = []
    for shapes_only in (False, True):
        try:
            spec_from_document(
                parse(text, "spec"),
                source="spec",
                lines=header_lines(text),
                shapes_only=shapes_only,
            )
            found.append(None)
        except SpecError as error:
            found.append(str(error))
    return found[0], found[1]


def named(name: str | None) -> str:
    return "" if name is None else f'name = "{name}"'


def test_summary_refuses_what_the_network_refuses():
    refused = 0
    for pixels, conv, conv_name, pool, dense, bias, index, units, filters in product(
        ("p", "a"), ("w", "b"), (None, *LETTERS), (None, "a"), (None, "b", "z"),
        LETTERS[2:], ("true", "false"), (1, 2), (1, 2),
    ):  # fmt: skip
        text = SPEC.format(
            pixels=pixels,
            conv_letter=conv,
            conv_name=named(conv_name),
            pool_name=named(pool),
            dense_name=named(dense),
            bias=bias,
            index=index,
            units=units,
            filters=filters,
        )
        full, summary = verdicts(text)
        assert summary == full, text
        refused += full is not None
    assert 1000 < refused < 3000  # both verdicts are there (of 1,920 specs)


@pytest.mark.parametrize(
    "change, message",
    [
        (
            ('letter = "p"', 'letter = "p"\n[[layers]]\ntype = "conv"\nfilters = 1\n'
             'kernel = 1\nname = "p"'),
            "layer 1 (Conv2D)'s value and the input's pixel are both named p_{11}",
        ),
        (
            ("[[layers]]\ntype = \"maxpool\"", '[data]\nsamples = "all"\n'
             '[[layers]]\ntype = "maxpool"'),
            'samples = "all" takes each image\'s target from [target], and the spec '
            "has none",
        ),
    ],
)
def test_the_shared_message(change, message):
    text = SPEC.format(
        pixels="p", conv_letter="w", conv_name="", pool_name="", dense_name="",
        bias="b", index="true", units=1, filters=1,
    ).replace(*change)  # fmt: skip
    full, summary = verdicts(text)
    assert full == summary and message in summary
    with pytest.raises(SpecError, match="problem"):
        parse_spec(text)


def test_names_are_only_built_when_they_may_clash():
    spec = parse_spec(SPEC.format(
        pixels="p", conv_letter="w", conv_name="", pool_name="", dense_name="",
        bias="b", index="true", units=1, filters=1,
    ))  # fmt: skip
    assert not names_may_clash(spec.network.input, spec.network.layers)


@pytest.mark.parametrize("size, refused", [(4, False), (5, True)])
def test_every_image_over_the_limit_is_refused_by_summary_too(size, refused):
    text = (
        f"[input]\nheight = {size}\nwidth = {size}\n[[layers]]\ntype = \"dense\"\n"
        'units = 1\n[data]\nsamples = "all"\n[target]\nkind = "count"\npattern = "11"\n'
    )
    full, summary = verdicts(text)
    assert full == summary
    assert (summary is not None) == refused
    if refused:
        assert 'samples = "all" is 33,554,432 images (2 pixel values' in summary
