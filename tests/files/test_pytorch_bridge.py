"""The PyTorch bridge: from_torch, to_torch and .pt state_dicts, against PyTorch."""

import pickle
import sys
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
import torch
from conftest import DERIVATIONS, L4_WEIGHTS
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

import symcnn as sc
from symcnn.cli.main import main
from symcnn.files.torchfiles import read_state_dict

SPEC = str(DERIVATIONS / "count11.toml")


def count11_torch() -> nn.Sequential:
    """Slide L3 in PyTorch, holding slide L4's weights."""
    model = nn.Sequential(
        nn.Conv2d(1, 1, (1, 2), bias=False),
        nn.Flatten(),
        nn.Linear(4, 4),
        nn.ReLU(),
        nn.Linear(4, 1),
    )
    with torch.no_grad():
        model[0].weight.copy_(torch.ones(1, 1, 1, 2))
        model[2].weight.copy_(torch.eye(4))
        model[2].bias.fill_(-1)
        model[4].weight.fill_(1)
        model[4].bias.fill_(0)
    return model


def test_count11_from_torch_has_the_lecture_names_and_proves_l4(count11_data):
    imported = sc.from_torch(count11_torch(), (1, 2, 3))
    names = [p.name.latex for p in imported.network.parameters]
    assert names[:4] == ["w_{1}", "w_{2}", "w_{11,1}", "w_{12,1}"]
    assert names[-2:] == ["w_{4,0}", "b_{0}"]
    assert {k: v for k, v in imported.items() if v != 0} == {
        k: v for k, v in L4_WEIGHTS.items() if v != 0
    }
    report = sc.check(imported.network, imported, count11_data)  # no conversion
    assert report.loss == 0 and report.gradient_is_zero
    derivation = sc.derive(imported.network, count11_data, imported)
    assert "f(p_{11} + p_{12} - 1)" in derivation.to_text().replace("1 p", "p")


def test_float_weights_arrive_exactly_and_display_as_decimals():
    model = nn.Sequential(nn.Linear(2, 1))  # float32, as PyTorch makes it
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[0.1, -2.5]]))
        model[0].bias.fill_(1 / 3)
    imported = sc.from_torch(model, (1, 1, 2))
    assert imported["w_{11,0}"] == sp.Rational(13421773, 134217728)  # float32(0.1)
    assert imported["w_{12,0}"] == sp.Rational(-5, 2)
    assert imported.decimals == {"w_{11,0}": "0.1", "w_{12,0}": "-2.5",
                                 "b_{0}": "0.33333334"}
    assert imported.vector().tolist() == [float(np.float32(0.1)), -2.5,
                                          float(np.float32(1 / 3))]


def test_activations_attach_to_the_layer_before_them_with_exact_slopes():
    model = nn.Sequential(
        nn.Conv2d(1, 2, 2), nn.LeakyReLU(0.2), nn.Dropout(0.5), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(8, 3), nn.Identity(), nn.Tanh(), nn.Linear(3, 1),
        nn.Sigmoid(),
    )
    imported = sc.from_torch(model, (1, 5, 5))
    conv, pool, flatten, hidden, output = imported.network.layers
    assert conv.activation.kind == "leaky_relu"
    assert conv.activation.slope == sp.Rational(*Fraction(0.2).as_integer_ratio())
    assert (pool.mode, pool.floor) == ("max", True)
    assert (hidden.activation.kind, output.activation.kind) == ("tanh", "sigmoid")
    assert imported.modules == ("0", "3", "4", "5", "8")
    assert imported.notes == (
        "module '2' (Dropout) is the identity: symcnn models the network in "
        "evaluation (model.eval()), where dropout does nothing",
    )


def test_grouped_convolutions_are_mapped():
    model = nn.Sequential(nn.Conv2d(2, 4, 2, groups=2), nn.Flatten(), nn.Linear(16, 1))
    imported = sc.from_torch(model, (2, 3, 3))
    assert imported.network.layers[0].groups == 2
    x = torch.randn(3, 2, 3, 3, dtype=torch.float64)
    again = sc.to_torch(imported.network, imported)
    assert torch.equal(again(x), model.double()(x))


@pytest.mark.parametrize(
    "module, message",
    [
        (nn.Sequential(nn.Conv2d(1, 1, 2), nn.BatchNorm2d(1)),
         r"module '1' \(BatchNorm2d\): symcnn has no BatchNorm2d"),
        (nn.Sequential(nn.Conv2d(1, 1, 2, dilation=2)),
         r"module '0' \(Conv2d\): `dilation` is \(2, 2\); symcnn has no dilated"),
        (nn.Sequential(nn.MaxPool2d(2, ceil_mode=True)),
         r"module '0' \(MaxPool2d\): `ceil_mode` is True"),
        (nn.Sequential(nn.Conv2d(1, 1, 2, padding=1, padding_mode="reflect")),
         r"module '0' \(Conv2d\): `padding_mode` is 'reflect'"),
        (nn.Conv2d(1, 1, 2),
         r"Conv2d is not an nn.Sequential; symcnn reads a model's modules"),
        (nn.Sequential(nn.ReLU(), nn.Conv2d(1, 1, 2)),
         r"module '0' \(ReLU\) follows the model's start, not a Conv2d or Linear"),
        (nn.Sequential(nn.Conv2d(1, 1, 2), nn.MaxPool2d(2), nn.ReLU()),
         r"module '2' \(ReLU\) follows module '1', not a Conv2d or Linear"),
        (nn.Sequential(nn.Conv2d(1, 2, 2), nn.Linear(2, 1)),
         r"module '1' \(Linear\) gets a 2x3x3 tensor .* put nn.Flatten\(\) before"),
        (nn.Sequential(nn.Conv2d(3, 1, 2)),
         r"module '0' \(Conv2d\): `in_channels` is 3; its input has 1 channel"),
        (nn.Sequential(nn.Flatten(), nn.Linear(7, 1)),
         r"module '1' \(Linear\): `in_features` is 7; its input has 16 values"),
        (nn.Sequential(nn.Sequential(nn.Conv2d(1, 1, 5))),
         r"module '0.0' \(Conv2d\): layer 1 \(Conv2D\)"),
    ],
)
def test_what_symcnn_cannot_express_is_named(module, message):
    with pytest.raises(sc.SymcnnError, match=message):
        sc.from_torch(module, (1, 4, 4))


def test_input_shape_is_checked():
    with pytest.raises(sc.SymcnnError, match=r"`input_shape` \(4, 4\) is not"):
        sc.from_torch(nn.Sequential(nn.Flatten()), (4, 4))


# -- random models: round trip, forward and gradient ---------------------------------

ACTIVATION_MODULES = [None, nn.ReLU, lambda: nn.LeakyReLU(0.125), nn.Tanh, nn.Sigmoid]


@st.composite
def sequentials(draw):
    """A random nn.Sequential (float32) of conv / pool / linear / activations, with
    Dropout, Identity and nested Sequentials, and its input shape."""
    torch.manual_seed(draw(st.integers(0, 2**16)))  # before the modules draw weights
    c, h, w = draw(st.integers(1, 2)), draw(st.integers(3, 6)), draw(st.integers(3, 6))
    image = shape = (c, h, w)
    modules = []
    for _ in range(draw(st.integers(1, 2))):
        channels, h, w = shape
        padding, stride = draw(st.integers(0, 1)), draw(st.integers(1, 2))
        kh = draw(st.integers(1, min(3, h + 2 * padding)))
        kw = draw(st.integers(1, min(3, w + 2 * padding)))
        filters = draw(st.integers(1, 3))
        modules.append(nn.Conv2d(channels, filters, (kh, kw), stride=stride,
                                 padding=padding, bias=draw(st.booleans())))
        shape = (filters, (h + 2 * padding - kh) // stride + 1,
                 (w + 2 * padding - kw) // stride + 1)
        make = draw(st.sampled_from(ACTIVATION_MODULES))
        if make is not None:
            modules.append(make())
        if draw(st.booleans()):
            modules.append(nn.Dropout(0.5))
        if min(shape[1:]) >= 2 and draw(st.booleans()):
            pool = draw(st.sampled_from([nn.MaxPool2d, nn.AvgPool2d]))
            modules.append(pool(2))
            shape = (shape[0], shape[1] // 2, shape[2] // 2)
    head = [nn.Flatten(), nn.Linear(shape[0] * shape[1] * shape[2], 3)]
    make = draw(st.sampled_from(ACTIVATION_MODULES))
    head += [make()] if make is not None else [nn.Identity()]
    head.append(nn.Linear(3, draw(st.integers(1, 2))))
    nested = draw(st.booleans())
    modules += [nn.Sequential(*head)] if nested else head
    return nn.Sequential(*modules), image


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_torch_to_symcnn_to_torch_is_exact_to_the_last_bit(data):
    model, shape = data.draw(sequentials())
    imported = sc.from_torch(model, shape)
    again = sc.to_torch(imported.network, imported)
    originals = [p.detach().double() for p in model.parameters()]
    copies = [p.detach() for p in again.parameters()]
    assert len(originals) == len(copies)
    assert all(torch.equal(a, b) for a, b in zip(originals, copies))
    x = torch.randn(4, *shape, dtype=torch.float64)
    assert torch.equal(model.double().eval()(x), again.eval()(x))


@settings(max_examples=12, deadline=None)
@given(st.data())
def test_forward_and_gradient_of_imported_models_equal_pytorch(data):
    model, shape = data.draw(sequentials())
    model = model.double().eval()
    imported = sc.from_torch(model, shape)
    x = torch.randn(3, *shape, dtype=torch.float64)
    outputs = [m for m in model.modules() if isinstance(m, nn.Linear)][-1]
    y = model(x).detach() + torch.randn(3, outputs.out_features, dtype=torch.float64)
    trace = sc.build_trace(imported.network)
    theta = imported.vector()
    forward = sc.compile_forward(trace, backend="numpy")
    np.testing.assert_allclose(forward(theta, x.numpy()), model(x).detach().numpy(),
                               rtol=1e-12, atol=1e-12)
    rows = [(image.tolist(), target.tolist()) for image, target in zip(x, y)]
    objective = sc.compile_objective(trace, sc.Dataset.from_rows(rows),
                                     backend="numpy")
    loss, gradient = objective(theta)
    model.zero_grad()
    torch_loss = ((model(x) - y) ** 2).sum()
    torch_loss.backward()
    torch_gradient = torch.cat([p.grad.reshape(-1) for p in model.parameters()])
    assert loss == pytest.approx(torch_loss.item(), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(gradient, torch_gradient.numpy(), rtol=1e-10,
                               atol=1e-12)


# -- .pt files ---------------------------------------------------------------------


def test_a_state_dict_reads_back_exactly(tmp_path, count11):
    imported = sc.from_torch(count11_torch(), (1, 2, 3))
    path = tmp_path / "l4.pt"
    torch.save(sc.to_torch(count11, imported).state_dict(), path)
    assert read_state_dict(path, count11) == imported.exact
    assert list(sc.to_torch(count11, imported).state_dict()) == [
        "0.weight", "2.weight", "2.bias", "4.weight", "4.bias"
    ]


def save(tmp_path, state, name="bad.pt"):
    path = tmp_path / name
    torch.save(state, path)
    return path


def test_keys_and_shapes_that_do_not_fit_are_named(tmp_path, count11):
    state = sc.to_torch(count11, [0] * 27).state_dict()
    state["5.weight"] = state.pop("4.weight")
    state["2.bias"] = torch.zeros(3, dtype=torch.float64)
    with pytest.raises(sc.WeightsError) as error:
        read_state_dict(save(tmp_path, state), count11)
    assert str(error.value).splitlines()[1:] == [
        "  key '5.weight' is not one of this network's "
        "(0.weight, 2.weight, 2.bias, 4.weight, 4.bias)",
        "  key '4.weight' is missing (shape 1x4)",
        "  key '2.bias': expected shape 4, found 3",
    ]


class Payload:
    def __reduce__(self):
        return (print, ("this ran",))


def test_a_pickle_of_other_objects_is_refused_and_never_run(tmp_path, count11,
                                                             capsys):
    path = save(tmp_path, {"0.weight": Payload()})
    refused = r"holds Python objects other than tensors \(print\)"
    with pytest.raises(sc.SpecError, match=refused):
        read_state_dict(path, count11)
    assert "this ran" not in capsys.readouterr().out
    path.write_bytes(pickle.dumps({"0.weight": Payload()}))
    with pytest.raises(sc.SpecError, match="weight file .* is not a PyTorch file"):
        read_state_dict(path, count11)
    assert "this ran" not in capsys.readouterr().out


def test_a_file_that_is_no_pt_is_named(tmp_path, count11):
    path = tmp_path / "notes.pt"
    path.write_text("w_1 = 1\n")
    with pytest.raises(sc.SpecError, match=r"'.*notes.pt' is not a PyTorch file"):
        read_state_dict(path, count11)
    with pytest.raises(sc.WeightsError, match="'0.weight' holds a Python int, not a"):
        read_state_dict(save(tmp_path, {"0.weight": 3}), count11)


def test_cli_train_saves_a_pt_that_check_reads(tmp_path, capsys):
    saved = tmp_path / "learned.pt"
    assert main(["train", SPEC, "--quiet", "--save", str(saved)]) == 0
    state = torch.load(saved, weights_only=True)
    assert list(state) == ["0.weight", "2.weight", "2.bias", "4.weight", "4.bias"]
    assert state["0.weight"].dtype == torch.float64
    capsys.readouterr()
    assert main(["check", SPEC, "--weights", str(saved)]) == 1  # floats: not exact 0
    assert "loss" in capsys.readouterr().out.lower()


def test_cli_bad_pt_files_exit_2_naming_the_key(tmp_path, capsys):
    state = sc.to_torch(sc.read_spec(SPEC).network, [0] * 27).state_dict()
    state["0.weight"] = torch.zeros(2, 1, 1, 2, dtype=torch.float64)
    path = save(tmp_path, state)
    assert main(["check", SPEC, "--weights", str(path)]) == 2
    err = capsys.readouterr().err
    assert "key '0.weight': expected shape 1x1x1x2, found 2x1x1x2" in err
    assert main(["check", SPEC, "--weights", str(save(tmp_path, [1], "l.pt"))]) == 2
    assert "holds a Python list, not a state_dict" in capsys.readouterr().err


def test_without_torch_the_bridge_says_how_to_install_it(monkeypatch, tmp_path,
                                                         capsys, count11):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(sc.SymcnnError, match=r"pip install 'symcnn\[torch\]'"):
        sc.to_torch(count11, [0] * 27)
    code = main(["train", SPEC, "--quiet", "--save", str(tmp_path / "x.pt")])
    assert code == 2
    assert "symcnn[torch]" in capsys.readouterr().err
    assert not (tmp_path / "x.pt").exists()
