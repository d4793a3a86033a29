"""forward --decimals N: slide L5's average pooling as the slide prints it."""

import json

from conftest import DERIVATIONS

from symcnn.cli.main import main

AVG = str(DERIVATIONS / "l5_pooling_avg.toml")


def test_avg_pooling_shows_the_slides_decimals(capsys):
    assert main(["forward", AVG, "--decimals", "3"]) == 0
    assert capsys.readouterr().out.splitlines()[-3:] == [
        "  layer 1 (AvgPool2D 2x2) -> 1x2x2:",
        "    2.75  4.5",
        "       5    5",
    ]
    assert main(["forward", AVG]) == 0  # exact by default
    assert capsys.readouterr().out.splitlines()[-2] == "    11/4  9/2"


def test_decimals_in_json_and_a_bad_count_is_refused(capsys):
    assert main(["forward", AVG, "--decimals", "2", "--format", "json"]) == 0
    values = json.loads(capsys.readouterr().out)["samples"][0]["layers"][0]["values"]
    assert values == [[["2.8", "4.5"], ["5", "5"]]]
    assert main(["forward", AVG, "--decimals", "0"]) == 2
    assert "--decimals 0: write numbers with 1 to 17 significant digits" in (
        capsys.readouterr().err
    )
