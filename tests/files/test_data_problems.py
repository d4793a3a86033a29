"""A spec's [data] problems are all reported at once, each with its sample's name."""

import pytest

import symcnn as sc

SPEC = """\
[input]
height = 2
width = 3
[[layers]]
type = "dense"
units = 1
[data]
samples = [ { image = "012/001", y = "1/0" }, { image = "011/001", y = 1 },
            { image = "0x1/001", y = 1 } ]
"""


def test_every_bad_sample_is_reported_with_its_own_name():
    with pytest.raises(sc.SpecError) as error:
        sc.parse_spec(SPEC)
    message = str(error.value)
    assert "has 2 problem(s)" in message
    assert "sample 1 (P1): target: '1/0' divides by zero" in message
    assert "sample 3 (P3): image '0x1/001' row 1 has the character 'x'" in message


def test_good_samples_keep_their_names_and_order():
    good = SPEC.replace('"1/0"', "0").replace("0x1", "001").replace("012", "010")
    data = sc.parse_spec(good).data
    assert [s.name for s in data.samples] == ["P1", "P2", "P3"]
    assert [s.target for s in data.samples] == [(0,), (1,), (1,)]
