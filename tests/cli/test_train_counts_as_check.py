"""train's "Right on N of M" and check --exhaustive --tol 0.5 decide alike on the
same weights (numeric/accuracy.py: borderline outputs by F's exact value). The
shipped contains11_3x3 stalls at F = 1/2 - 7e-17 exactly, 0.5 as a float: train
once counted 512 of 512 right, check 125."""

import re

from conftest import DERIVATIONS

from symcnn.cli.main import main


def test_train_and_check_count_the_same_images_right(capsys, tmp_path):
    saved = tmp_path / "c.toml"
    spec = str(DERIVATIONS / "contains11_3x3.toml")
    assert main(["train", spec, "--quiet", "--save", str(saved)]) == 0
    trained = capsys.readouterr().out
    assert main(
        ["check", spec, "--weights", str(saved), "--exhaustive", "--tol", "0.5"]
    ) in (0, 1)
    checked = capsys.readouterr().out
    right = re.search(r"Right on (\d+) of 512 images", trained)[1]
    assert re.search(r"right on (\d+) of 512 binary 3x3 images", checked)[1] == right
    assert right == "125"
