"""The explorer page as a file: its size, its Content-Security-Policy, escaping of the
user's text, the formulas it carries, the generated program, and the command's
errors (no browser needed)."""

import base64
import hashlib
import html
import json
import re
import sys

import numpy as np
import pytest
import sympy as sp
from conftest import DERIVATIONS
from latex2mathml.converter import convert

import symcnn as sc
from symcnn.cli.main import main
from symcnn.explore.formulas import layer_cells
from symcnn.explore.jscode import program_code
from symcnn.explore.page import explorer_page
from symcnn.files.spec import read_spec
from symcnn.files.weights import read_weight_file
from symcnn.limits import MAX_EXPLORE_TERMS, MAX_EXPLORE_VERDICT_IMAGES
from symcnn.model.data import Dataset, Sample
from symcnn.model.targets import count_pattern
from symcnn.typeset.slides import step_trace

COUNT11 = DERIVATIONS / "count11.toml"
WEIGHTS = DERIVATIONS / "count11-weights.toml"


@pytest.fixture(scope="module")
def count11_html(tmp_path_factory):
    page = tmp_path_factory.mktemp("page") / "count11.html"
    command = ["explore", str(COUNT11), "--weights", str(WEIGHTS), "-o", str(page)]
    assert main(command) == 0
    return page.read_text(encoding="utf-8")


def page_data(page: str) -> dict:
    match = re.search(r"const DATA = (\{.*?\});\n", page)
    return json.loads(match.group(1))


def inline(page: str, tag: str) -> str:
    (text,) = re.findall(rf"<{tag}>(.*?)</{tag}>", page, re.S)
    return text


def sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return base64.b64encode(digest).decode("ascii")


def test_count11_page_is_small(count11_html):
    assert len(count11_html.encode("utf-8")) < 300_000


def test_policy_allows_only_the_pages_own_script_and_style(count11_html):
    (policy,) = re.findall(
        r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', count11_html
    )
    policy = html.unescape(policy)
    script, style = inline(count11_html, "script"), inline(count11_html, "style")
    assert policy == (
        f"default-src 'none'; script-src 'sha256-{sha256(script)}'; "
        f"style-src 'sha256-{sha256(style)}'; img-src 'none'; base-uri 'none'; "
        "form-action 'none'"
    )
    # nothing is loaded from anywhere: no src, href or url() at all
    assert not re.search(r"\b(src|href)\s*=|url\(|@import", count11_html)
    assert count11_html.count("<script") == 1 and count11_html.count("<style") == 1


def test_a11_formula_is_what_forward_explain_writes(count11_html):
    """a_{11}'s MathML is latex2mathml of `forward --explain`'s formula."""
    spec = read_spec(COUNT11)
    weights = read_weight_file(WEIGHTS).resolve(spec.network, None)
    explained = step_trace(
        sc.build_trace(spec.network), weights, spec.data.samples[0].image, "a_{11}"
    )
    label, formula, numbers, value = explained.split(" = ")
    assert (label, formula) == ("a_{11}", "p_{11} w_{1} + p_{12} w_{2}")
    cells = page_data(count11_html)["cells"]
    (a11,) = [cell for cell in cells if cell["text"] == "a_{11}"]
    assert a11["label"] == convert(label)
    assert a11["formula"] == convert(formula)
    # the numbers' slots: p_{11} w_{1} + p_{12} w_{2} reads x[0] t[0] + x[1] t[1]
    order = re.findall(r'data-slot="(\d+)"', a11["numbers"])
    slots = [a11["slots"][int(k)] for k in order]
    assert slots == [["x", 0], ["t", 0], ["x", 1], ["t", 1]]
    assert (numbers, value) == (r"0 \cdot 1 + 1 \cdot 1", "1")


def test_activation_cells_name_their_sums():
    trace = sc.build_trace(read_spec(COUNT11).network)
    layers = dict(layer_cells(trace, program_code(trace).slots))
    first = layers[2].flat[0]
    assert first.text == "f(z^{(2)}_{1})"
    assert first.formula == convert(
        "f(a_{11} w_{11,1} + a_{12} w_{12,1} + a_{21} w_{21,1} + a_{22} w_{22,1} "
        "+ b_{1})"
    )
    output = layers[3].flat[0]
    assert (output.text, output.label) == ("F_{NN}(P)", convert("F_{NN}(P)"))


def test_output_formula_keeps_derives_term_order():
    """Eleven hidden units: w_{2,0} before w_{10,0} (not string order), the output
    called F_{NN}(P), exactly `derive`'s right side."""
    network = sc.Network(
        sc.Input(channels=1, height=1, width=1),
        sc.Dense(11, activation="relu", name="h"),
        sc.Dense(1),
    )
    trace = sc.build_trace(network)
    (output,) = dict(layer_cells(trace, program_code(trace).slots))[2].flat
    terms = " + ".join(f"f(h_{{{k}}}) w_{{{k},0}}" for k in range(1, 12))
    assert output.text == "F_{NN}(P)"
    assert output.formula == convert(terms + " + b_{0}")
    # the numbers in the same order: w_{1,0} ... w_{11,0} are t[22] ... t[32], b_0 t[33]
    order = re.findall(r'data-slot="(\d+)"', output.numbers)
    places = [output.slots[int(k)] for k in order]
    assert [i for kind, i in places if kind == "t"] == list(range(22, 34))


def test_several_outputs_are_numbered_as_derive_does():
    network = sc.Network(
        sc.Input(channels=1, height=1, width=2), sc.Dense(2, activation="tanh")
    )
    trace = sc.build_trace(network)
    cells = dict(layer_cells(trace, program_code(trace).slots))[1].flat
    assert [cell.text for cell in cells] == ["F_{NN}(P)_{1}", "F_{NN}(P)_{2}"]
    formula = r"\tanh(p_{11} w_{11,1} + p_{12} w_{12,1} + b_{1})"
    assert cells[0].formula == convert(formula)


def test_program_is_the_traces_rows():
    trace = sc.build_trace(read_spec(COUNT11).network)
    source = program_code(trace).source
    assert "  v[0] = x[0]*t[0] + x[1]*t[1];\n" in source
    assert "  v[8] = relu(v[4]);\n" in source
    # ReLU'(0) = 0, the layer's choice, as in every backend
    assert "  v[19] = v[15]*relu_step(v[7], 0);\n" in source
    assert "  v[13] = ((v[12] - x[6]))*((v[12] - x[6]));\n" in source


def test_hostile_title_and_sample_names_are_escaped():
    hostile = '</script><script>alert(1)</script><!-- & "quoted" '
    network = sc.Network(
        sc.Input(channels=1, height=1, width=2), sc.Dense(1, activation="relu")
    )
    image = np.array([[[sp.Integer(0), sp.Integer(1)]]], dtype=object)
    data = Dataset((Sample(hostile, image, (sp.Integer(1),)),))
    page = explorer_page(network, data, [0.5, 0.5, 0.0], title=hostile, source=hostile)
    assert page.count("<script") == 1 and page.count("</script>") == 1
    script = inline(page, "script")
    assert "</" not in script and "<!--" not in script and "\u2028" not in script
    assert f"<title>{html.escape(hostile)}</title>" in page
    assert page_data(page)["samples"][0]["name"] == hostile


def test_verdict_is_live_up_to_the_image_limit():
    def page(width, alphabet=(0, 1)):
        network = sc.Network(
            sc.Input(channels=1, height=1, width=width), sc.Conv2D(1, (1, 2))
        )
        data = Dataset.from_rows([("1" * width, [0] * (width - 1))])
        target = count_pattern("11")
        weights = [1.0, 1.0]
        made = explorer_page(network, data, weights, target=target, alphabet=alphabet)
        return page_data(made)["verdict"]

    assert MAX_EXPLORE_VERDICT_IMAGES == 4096
    assert len(page(12)["images"]) == 4096
    reason = page(13)["reason"]
    assert reason.startswith("The input has 13 pixels, so 2^13 = 8,192 images binary:")
    assert "at most 4,096 images (MAX_EXPLORE_VERDICT_IMAGES)" in reason


def test_verdict_uses_the_specs_alphabet():
    """[data] alphabet = [-1, 0, 1]: 3^7 = 2187 images in check --exhaustive's order,
    each a string of alphabet positions; 3^8 is over the limit and says so."""
    network = sc.Network(sc.Input(channels=1, height=1, width=7), sc.Conv2D(1, (1, 2)))
    data = Dataset.from_rows([("1" * 7, [0] * 6)])
    ternary = (-1, 0, 1)
    verdict = page_data(
        explorer_page(
            network, data, [1.0, 1.0], target=count_pattern("11"), alphabet=ternary
        )
    )["verdict"]
    assert len(verdict["images"]) == 3**7 and verdict["alphabet"] == [-1.0, 0.0, 1.0]
    assert verdict["images"][:2] == ["0000000", "0000001"]  # -1 -1 ... -1, then 0
    assert verdict["images"][-1] == "2222222"
    # 1 1 -1 1 1 1 0 = positions 2 2 0 2 2 2 1: three fragments "11"
    assert verdict["targets"][verdict["images"].index("2202221")] == [3.0]
    assert verdict["over"] == "over the alphabet {-1, 0, 1}"
    network = sc.Network(sc.Input(channels=1, height=2, width=4), sc.Dense(1))
    data = Dataset.from_rows([([[1, 0, 0, 0], [0, 0, 0, 0]], 0)])
    verdict = page_data(
        explorer_page(
            network, data, [0.0] * 9, target=count_pattern("11"), alphabet=ternary
        )
    )["verdict"]
    assert verdict["reason"].startswith(
        "The input has 8 pixels, so 3^8 = 6,561 images over the alphabet {-1, 0, 1}:"
    )


def test_count11_verdict_images_and_targets(count11_html):
    verdict = page_data(count11_html)["verdict"]
    assert len(verdict["images"]) == 64
    assert verdict["images"][3] == "000011" and verdict["targets"][3] == [1.0]
    assert verdict["images"][63] == "111111" and verdict["targets"][63] == [4.0]


def test_existing_output_needs_force(tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_text("mine")
    assert main(["explore", str(COUNT11), "-o", str(page)]) == 2
    assert "pass --force" in capsys.readouterr().err
    assert page.read_text() == "mine"
    assert main(["explore", str(COUNT11), "-o", str(page), "--force"]) == 0


def test_spec_without_images_is_refused(tmp_path, capsys):
    spec = tmp_path / "net.toml"
    spec.write_text(COUNT11.read_text().split("[data]")[0])
    assert main(["explore", str(spec), "-o", str(tmp_path / "p.html")]) == 2
    err = capsys.readouterr().err
    assert "explore needs images" in err and "[data]" in err
    assert not (tmp_path / "p.html").exists()


def test_generic_activation_is_refused(tmp_path, capsys):
    spec = tmp_path / "net.toml"
    text = COUNT11.read_text()
    spec.write_text(text.replace('activation = "relu"', 'activation = "f"'))
    assert main(["explore", str(spec), "-o", str(tmp_path / "p.html")]) == 2
    assert "generic activation f" in capsys.readouterr().err


def test_missing_latex2mathml_names_the_extra(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "latex2mathml.converter", None)
    assert main(["explore", str(COUNT11), "-o", str(tmp_path / "p.html")]) == 2
    err = capsys.readouterr().err
    assert "pip install 'symcnn[explore]'" in err
    assert not (tmp_path / "p.html").exists()


def test_document_links_to_the_explorer():
    from symcnn.typeset.document import spec_section

    assert (
        r"in a browser: \texttt{symcnn explore count11.toml -o count11.html}"
        in spec_section(COUNT11)
    )


def test_weights_and_pixels_beyond_float64_are_named(tmp_path, capsys):
    weights = tmp_path / "w.toml"
    weights.write_text('missing = "zero"\n[weights]\n"w_{2}" = ' + "9" * 400 + "\n")
    page = tmp_path / "p.html"
    command = ["explore", str(COUNT11), "--weights", str(weights), "-o", str(page)]
    assert main(command) == 2
    err = capsys.readouterr().err
    assert "weight w_2 is inf in float64" in err and not page.exists()
    network = sc.Network(sc.Input(channels=1, height=1, width=1), sc.Dense(1))
    image = np.array([[[sp.Integer(10) ** 400]]], dtype=object)
    data = Dataset((Sample("P1", image, None),))
    with pytest.raises(sc.SymcnnError, match="beyond float64"):
        explorer_page(network, data, [1.0, 0.0])


def test_negative_seed_is_refused(tmp_path, capsys):
    spec = tmp_path / "net.toml"
    spec.write_text(COUNT11.read_text())
    assert main(["explore", str(spec), "--seed", "-1", "-o", str(tmp_path / "p")]) == 2
    assert "--seed -1 is not a whole number 0 to 2^63-1" in capsys.readouterr().err


def test_networks_beyond_the_term_limit_are_refused():
    big = sc.Network(
        sc.Input(channels=1, height=12, width=12),
        sc.Conv2D(4, (3, 3), activation="relu"),
        sc.Dense(10),
    )
    assert sc.build_trace(big).terms > MAX_EXPLORE_TERMS
    data = Dataset.from_rows([(np.zeros((1, 12, 12), dtype=int).tolist(), None)])
    with pytest.raises(sc.SymcnnError, match="at most 5,000 terms"):
        explorer_page(big, data, np.zeros(len(big.parameters)))


def test_bidi_and_control_characters_are_shown_not_obeyed():
    """U+202E would show "txt.exe" as "exe.txt"; such characters (and controls)
    become visible [U+202E] in the title, the source line and sample names."""
    network = sc.Network(
        sc.Input(channels=1, height=1, width=2), sc.Dense(1, activation="relu")
    )
    image = np.array([[[sp.Integer(0), sp.Integer(1)]]], dtype=object)
    name = "P\u2066one\u0007"
    data = Dataset((Sample(name, image, (sp.Integer(1),)),))
    page = explorer_page(
        network,
        data,
        [0.5, 0.5, 0.0],
        title="notes\u202etxt.exe\u2028",
        source="net\u200f.toml",
    )
    assert "<title>notes[U+202E]txt.exe[U+2028]</title>" in page
    assert "symcnn explore of net[U+200F].toml" in page
    assert page_data(page)["samples"][0]["name"] == "P[U+2066]one[U+0007]"
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u0007]", page)


def test_empty_title_is_refused(tmp_path, capsys):
    page = tmp_path / "p.html"
    assert main(["explore", str(COUNT11), "--title", " ", "-o", str(page)]) == 2
    err = capsys.readouterr().err
    assert "--title ' ' has no text; give a title, or leave --title out" in err
    assert not page.exists()


def test_weights_and_seed_exclude_each_other(tmp_path, capsys):
    page = tmp_path / "p.html"
    command = ["explore", str(COUNT11), "--weights", str(WEIGHTS), "--seed", "3"]
    assert main([*command, "-o", str(page)]) == 2
    err = capsys.readouterr().err
    assert f"--weights {WEIGHTS} and --seed 3 both choose the starting weights" in err
    assert not page.exists()


def test_seed_is_used_even_beside_a_weight_file_and_said(tmp_path, capsys):
    """count11-weights.toml beside the spec: used without --seed, and said; with
    --seed 3 the page starts from seed 3's random weights and says the file is
    not used."""
    from symcnn.numeric.training import initial_weights

    spec = tmp_path / "count11.toml"
    spec.write_text(COUNT11.read_text())
    beside = tmp_path / "count11-weights.toml"
    beside.write_text(WEIGHTS.read_text())
    page = tmp_path / "p.html"
    assert main(["explore", str(spec), "-o", str(page)]) == 0
    assert f"starting from weights from {beside})" in capsys.readouterr().out
    network = read_spec(spec).network
    hand_picked = read_weight_file(WEIGHTS).resolve(network, None)
    values = [p["value"] for p in page_data(page.read_text())["params"]]
    assert values == [float(w) for w in hand_picked]

    assert main(["explore", str(spec), "--seed", "3", "-o", str(page), "--force"]) == 0
    out = capsys.readouterr().out
    assert f"starting from random weights (seed 3; {beside} is not used)" in out
    values = [p["value"] for p in page_data(page.read_text())["params"]]
    assert values == [float(w) for w in np.asarray(initial_weights(network, 3)).flat]
