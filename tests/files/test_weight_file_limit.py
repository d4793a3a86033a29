"""A weight file may grow with the network it is read for: train --save on a
LeNet-5-sized net wrote 1.9 MB that check and forward then refused ("weight files are
limited to 1 MB"). The limit is MAX_FILE_BYTES + WEIGHT_FILE_BYTES_PER_PARAMETER per
parameter; without a network it stays MAX_FILE_BYTES."""

import numpy as np
import pytest

import symcnn as sc
from symcnn import limits
from symcnn.cli.main import main
from symcnn.errors import SpecError
from symcnn.files.weights import read_weight_file, weight_file_text

# 40,001 parameters: train --save's text of random floats is about 1.3 MB
NETWORK = sc.Network(sc.Input(channels=1, height=200, width=200), sc.Dense(1))


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    weights = np.random.default_rng(0).normal(size=len(NETWORK.parameters))
    path = tmp_path_factory.mktemp("w") / "learned.toml"
    path.write_text(weight_file_text(NETWORK, weights))
    assert path.stat().st_size > limits.MAX_FILE_BYTES
    return path, weights


def test_a_saved_big_weight_file_reads_back_for_its_network(big_file):
    path, weights = big_file
    values = read_weight_file(path, NETWORK).resolve(NETWORK)
    np.testing.assert_array_equal([float(v) for v in values], weights)


def test_without_the_network_the_file_limit_stays_and_says_so(big_file):
    path, _ = big_file
    with pytest.raises(SpecError, match=r"weight files are limited to 1 MB \("):
        read_weight_file(path)
    small = sc.Network(sc.Input(channels=1, height=2, width=2), sc.Dense(1))
    with pytest.raises(SpecError) as raised:
        read_weight_file(path, small)
    assert str(raised.value).endswith(
        "weight files are limited to 1.0 MB (limits.MAX_FILE_BYTES + "
        "limits.WEIGHT_FILE_BYTES_PER_PARAMETER per parameter)"
    )


def test_check_reads_what_train_saved_for_a_big_net(big_file, tmp_path, capsys):
    path, _ = big_file
    spec = tmp_path / "big.toml"
    spec.write_text(
        '[input]\nheight = 200\nwidth = 200\n[[layers]]\ntype = "dense"\nunits = 1\n'
    )
    code = main(["summary", str(spec)])
    assert code == 0
    capsys.readouterr()
    image = "/".join(["0" * 200] * 200)
    spec.write_text(spec.read_text() + f'[data]\nsamples = [{{ image = "{image}" }}]\n')
    code = main(["forward", str(spec), "--weights", str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "limited to" not in err
