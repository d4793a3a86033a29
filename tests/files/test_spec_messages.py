"""What a spec's [data] and [train] problems say: the sample by its number from 1,
the unknown key with its near miss, the bad value itself (a TOML date as written),
"too large" for inf; lr and tol in quotes ("1/20") as every other number."""

import pytest

from symcnn.cli.main import main
from symcnn.errors import SpecError
from symcnn.files.spec import parse_spec

SPEC = """\
[input]
height = 2
width = 3

[[layers]]
type = "dense"
units = 1

[data]
samples = {samples}

[train]
{train}
"""
GOOD = '[{ image = "011/001", y = 1 }]'


def problems(samples: str = GOOD, train: str = "") -> list[str]:
    with pytest.raises(SpecError) as error:
        parse_spec(SPEC.format(samples=samples, train=train), source="s.toml")
    return str(error.value).splitlines()[1:]


@pytest.mark.parametrize(
    "samples, message",
    [
        (
            '[{ image = "011/001", y = 1 }, { img = "011/001", y = 1 }]',
            "sample 2 (P2): unknown key 'img' (did you mean 'image'?); a sample is "
            '{ image = "011/001", y = 1 } (y is optional)',
        ),
        (
            '[{ image = "011/001", y = 1, weight = 2 }]',
            "sample 1 (P1): unknown key 'weight'; a sample is "
            '{ image = "011/001", y = 1 } (y is optional)',
        ),
        (
            "[{ y = 1 }]",
            'sample 1 (P1): no `image`; a sample is { image = "011/001", y = 1 } '
            "(y is optional)",
        ),
        (
            '["011/001"]',
            "sample 1 (P1): '011/001' is not { image = \"011/001\", y = 1 } "
            "(y is optional)",
        ),
        (
            '[{ image = "011/001", y = 1979-05-27 }]',
            "sample 1 (P1): target: 1979-05-27 is a date or time, not a number (TOML "
            "reads 1979-05-27 unquoted as a date); write 1, -1, 0.5 or '1/2'",
        ),
    ],
)
def test_sample_problems_name_the_sample_and_the_key(samples, message):
    assert problems(samples) == [f"  [data] (line 9): {message}"]


@pytest.mark.parametrize(
    "samples, why",
    [
        ('"All"', "'All' is not a list of samples or 'all' (did you mean 'all'?)"),
        ("[]", "[] has no sample"),
        ("3", "3 is not a list of samples or 'all'"),
    ],
)
def test_samples_that_are_no_list_are_shown(samples, why):
    assert problems(samples) == [
        f"  [data].samples (line 9): {why}; write "
        '[{ image = "011/001", y = 1 }, ...] or "all" (every image of the input)'
    ]


def test_lr_and_tol_in_quotes_are_read_as_numbers():
    spec = parse_spec(SPEC.format(samples=GOOD, train='lr = "1/20"\ntol = "1e-3"'))
    assert spec.train == {"lr": 0.05, "tol": 0.001}
    assert type(spec.train["lr"]) is float


@pytest.mark.parametrize(
    "train, message",
    [
        (
            "tol = 1e400",
            "[train].tol (line 12): inf: the number is too large, beyond float64 "
            "(over 1.8e308, as TOML reads 1e1000); write for example 1e-12",
        ),
        (
            'lr = "1e400"',
            "[train].lr (line 12): '1e400': the number is too large, beyond float64 "
            "(over 1.8e308, as TOML reads 1e1000); write for example 0.01",
        ),
        (
            'tol = "1e-400"',
            "[train].tol (line 12): '1e-400': the number is too small for float64 "
            "(under 4.9e-324, it would be 0); write 0 if you mean it, or for example "
            "1e-12",
        ),
        (
            "lr = 1979-05-27",
            "[train].lr (line 12): 1979-05-27 is not a positive number; write for "
            "example 0.01",
        ),
        (
            'lr = "x"',
            "[train].lr (line 12): 'x' is not a positive number; write for example "
            "0.01",
        ),
    ],
)
def test_train_numbers_say_what_is_wrong(train, message):
    assert problems(train=train) == [f"  {message}"]


def test_train_without_targets_names_the_spec_and_how_to_add_y(tmp_path, capsys):
    path = tmp_path / "s.toml"
    samples = '[{ image = [[0, "1/2", 1], [0, 0, 1]] }]'
    path.write_text(SPEC.format(samples=samples, train=""))
    assert main(["train", str(path), "--quiet"]) == 2
    assert capsys.readouterr().err == (
        f"symcnn train: error: train needs a target y for every sample, and sample 1 "
        f"(P1) of spec file {str(path)!r} has none; give it one in [data]: "
        '{ image = [[0, "1/2", 1], [0, 0, 1]], y = 1 } (y = [1, 0] for two outputs)\n'
    )
