from pathlib import Path

import pytest

import symcnn as sc

ROOT = Path(__file__).resolve().parent.parent
DERIVATIONS = ROOT / "derivations"

#: Slide L4's hand-picked weights; every other parameter is 0.
L4_WEIGHTS = {
    "w_{1}": 1,
    "w_{2}": 1,
    "w_{11,1}": 1,
    "w_{12,2}": 1,
    "w_{21,3}": 1,
    "w_{22,4}": 1,
    "b_{1}": -1,
    "b_{2}": -1,
    "b_{3}": -1,
    "b_{4}": -1,
    "w_{1,0}": 1,
    "w_{2,0}": 1,
    "w_{3,0}": 1,
    "w_{4,0}": 1,
    "b_{0}": 0,
}


def count11_network() -> sc.Network:
    """Slide L3, written with the Python API."""
    return sc.Network(
        sc.Input(channels=1, height=2, width=3),
        sc.Conv2D(filters=1, kernel=(1, 2), name="a"),
        sc.Dense(4, activation="relu"),
        sc.Dense(1, weight_first=True, bias_first=True),
    )


def l1_network() -> sc.Network:
    """Slide L1: a 3x3 image, one 2x2 filter W, one neuron with weights v, generic f."""
    return sc.Network(
        sc.Input(height=3, width=3),
        sc.Conv2D(1, (2, 2), name="a", letter="W", activation="f"),
        sc.Dense(
            1, activation="f", name="a", letter="v", bias=False, neuron_index=False
        ),
    )


@pytest.fixture(autouse=True, scope="session")
def compiled_program_cache(tmp_path_factory):
    """The C backend's cache in a fresh folder: the tests compile, never reuse."""
    folder = tmp_path_factory.mktemp("symcnn-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SYMCNN_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture
def no_compiler(monkeypatch):
    """No C compiler to be found: not $CC, not Python's, not cc or gcc on the PATH."""
    monkeypatch.delenv("CC", raising=False)
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr("sysconfig.get_config_var", lambda name: None)


@pytest.fixture
def count11():
    return count11_network()


@pytest.fixture
def count11_data():
    return sc.Dataset.from_rows([("011/001", 1), ("110/011", 2), ("101/010", 0)])
