"""The explorer page in a real (headless) browser: the count-11 story of slides L2-L4
clicked through, and the page's JavaScript against symcnn's exact and compiled
values."""

import shutil
import time

import numpy as np
import pytest
import sympy as sp
from browser import chromium, open_page
from conftest import DERIVATIONS, L4_WEIGHTS

import symcnn as sc
from symcnn.cli.main import main
from symcnn.files.spec import read_spec
from symcnn.prove.verify import check
from symcnn.typeset.document import spec_title

try:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # the browser fixture skips (or, in CI, fails) with the reason
    NoAlertPresentException = By = WebDriverWait = None

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


@pytest.fixture(scope="module")
def count11_page(tmp_path_factory):
    """The count-11 page from random weights (no weight file beside the spec)."""
    folder = tmp_path_factory.mktemp("count11")
    spec = folder / "count11.toml"
    shutil.copy(DERIVATIONS / "count11.toml", spec)
    page = folder / "count11.html"
    assert main(["explore", str(spec), "--seed", "3", "-o", str(page)]) == 0
    return page


def text(browser, element_id: str) -> str:
    return browser.find_element(By.ID, element_id).get_attribute("textContent")


def number(browser, element_id: str) -> float:
    element = browser.find_element(By.ID, element_id)
    return float(element.get_attribute("data-value"))


def set_weight(browser, name: str, value: str) -> None:
    """Type into the weight field of `name` (or the field with id `name`)."""
    selector = f'input[data-name="{name}"]' if "_" in name else f"#{name}"
    field = browser.find_element(By.CSS_SELECTOR, selector)
    field.clear()
    field.send_keys(value)


def set_l4_weights(browser, spec) -> None:
    for parameter in spec.network.parameters:
        value = L4_WEIGHTS.get(parameter.name.latex, 0)
        set_weight(browser, parameter.name.text, str(value))


def click_value(browser, name: str) -> None:
    browser.find_element(By.CSS_SELECTOR, f'button.cell[title="{name}"]').click()


def exact_count11(changes: dict):
    """symcnn's exact check of the L4 weights with `changes`, exhaustive."""
    spec = read_spec(DERIVATIONS / "count11.toml")
    given = {**L4_WEIGHTS, **changes}
    weights = [sp.Rational(given.get(p.name.latex, 0)) for p in spec.network.parameters]
    trace = sc.build_trace(spec.network)
    return check(trace, weights, spec.data, target=spec.target)


def test_count11_story(browser, count11_page):
    """Slide L3's a_{11} formula; slide L4's weights: loss 0 and 64 of 64; b_1 = -1/2:
    symcnn's exact loss, gradient and verdict; train: the loss falls."""
    assert count11_page.stat().st_size < 300_000
    started = time.perf_counter()
    open_page(browser, count11_page)
    seconds = time.perf_counter() - started
    ready = browser.execute_script("return document.body.dataset.readyMs")
    print(f"count-11 page: {count11_page.stat().st_size} bytes, ready {ready} ms "
          f"after navigation start, {seconds:.2f} s to load in selenium")

    click_value(browser, "a_{11}")
    assert text(browser, "label") == "a11"
    assert text(browser, "formula") == "p11w1+p12w2"

    spec = read_spec(DERIVATIONS / "count11.toml")
    set_l4_weights(browser, spec)
    images = 2 ** int(np.prod(spec.network.shapes[0]))  # 2x3 binary: 64
    assert number(browser, "loss") == 0
    assert text(browser, "verdict") == f"{images} of {images} images right"
    # P1 = 011/001: a_{11} = p_{11} w_1 + p_{12} w_2 = 0 * 1 + 1 * 1 = 1
    assert text(browser, "numbers") == "0·1+1·1"
    assert text(browser, "value") == "1"

    set_weight(browser, "b_1", "-1/2")
    exact = exact_count11({"b_{1}": sp.Rational(-1, 2)})
    right = exact.exhaustive.total - len(exact.exhaustive.mismatches)
    assert exact.loss != 0 and right < images  # the change matters
    assert number(browser, "loss") == pytest.approx(float(exact.loss), abs=1e-12)
    for i, g in enumerate(exact.gradient):
        assert number(browser, f"g{i}") == pytest.approx(float(g), abs=1e-12)
    assert text(browser, "verdict") == f"{right} of {images} images right"
    wrong = browser.find_elements(By.CSS_SELECTOR, "#wrong li")
    assert len(wrong) == len(exact.exhaustive.mismatches)
    # the first ReLU on P1 = 011/001 (a = 1, 2, 0, 1): f(1 - 1/2), numbers put in
    click_value(browser, "f(z^{(2)}_{1})")
    assert text(browser, "numbers") == "f(1·1+2·0+0·0+1·0+(\u22120.5))"
    assert (text(browser, "applied"), text(browser, "value")) == ("f(0.5)", "0.5")

    before = number(browser, "loss")
    set_weight(browser, "lr", "0.01")  # 0.05 diverges from here (so does train)
    browser.find_element(By.ID, "train").click()
    WebDriverWait(browser, 20).until(
        lambda d: d.find_element(By.ID, "train").is_enabled()
        and number(d, "loss") < before
    )
    assert browser.find_element(By.ID, "curve-line").get_attribute("points")

    browser.find_element(By.ID, "reset").click()  # back to the page's random start
    started = open_page_loss(browser, count11_page)
    assert number(browser, "loss") == started


def open_page_loss(browser, page) -> float:
    """The loss the page shows right after opening, read in a second tab."""
    first = browser.current_window_handle
    browser.switch_to.new_window("tab")
    open_page(browser, page)
    loss = number(browser, "loss")
    browser.close()
    browser.switch_to.window(first)
    return loss


def test_divergence_keeps_the_last_finite_weights(browser, count11_page):
    open_page(browser, count11_page)
    set_l4_weights(browser, read_spec(DERIVATIONS / "count11.toml"))
    set_weight(browser, "b_1", "-1/2")
    set_weight(browser, "lr", "0.05")  # symcnn's compiled GD: inf after 8 steps
    browser.find_element(By.ID, "train").click()
    WebDriverWait(browser, 20).until(
        lambda d: d.find_element(By.ID, "train").is_enabled()
    )
    assert text(browser, "diverged").startswith("Diverged: one more step")
    assert np.isfinite(number(browser, "loss"))
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def type_at_once(browser, element_id: str, value: str) -> None:
    """The field's text replaced in one input event (no valid prefix on the way)."""
    browser.execute_script(
        "const e = document.getElementById(arguments[0]); e.value = arguments[1];"
        "e.dispatchEvent(new Event('input'));",
        element_id,
        value,
    )


def enabled(browser, element_id: str) -> bool:
    return browser.find_element(By.ID, element_id).is_enabled()


@pytest.mark.parametrize(
    "entry, reason",
    [
        ("1/0", "1/0 divides by zero"),
        ("1e400", "1e400 is beyond float64"),
        ("", "empty: type a number"),
        ("1/4x", '"1/4x" is not a number'),
        ("1e-400", "1e-400 is below float64's smallest number"),
    ],
)
def test_bad_weight_stops_the_results(browser, count11_page, entry, reason):
    """A weight field that is no float64 number says why beside it; the page marks
    its results stale and computes nothing (not with the last number, not with
    1e40 for 1e400) and trains nothing until the field is fixed."""
    open_page(browser, count11_page)
    field = browser.find_element(By.CSS_SELECTOR, 'input[data-name="w_1"]')
    index = field.get_attribute("id")
    type_at_once(browser, index, "1/4")
    before = number(browser, "loss")
    type_at_once(browser, index, entry)
    assert "bad" in field.get_attribute("class")
    assert text(browser, f"why-{index}").startswith(reason)
    assert browser.execute_script("return document.body.dataset.stale") == "1"
    stale = browser.find_element(By.ID, "stale")
    assert stale.is_displayed() and f"fix w_1: {reason}" in stale.text
    assert number(browser, "loss") == before  # nothing computed with the bad entry
    browser.find_element(By.CSS_SELECTOR, 'button.cell[title="a_{11}"]').click()
    assert number(browser, "loss") == before
    assert not enabled(browser, "step") and not enabled(browser, "train")

    type_at_once(browser, index, "0.5")
    assert browser.execute_script("return document.body.dataset.stale") == "0"
    assert not stale.is_displayed() and text(browser, f"why-{index}") == ""
    weights = [
        float(e.get_attribute("value"))
        for e in browser.find_elements(By.CSS_SELECTOR, "#weights input")
    ]
    assert weights[int(index[1:])] == 0.5
    loss = browser.execute_script(
        "return window.symcnnExplore.evaluate(arguments[0]).loss", weights
    )
    # the fields show 12 digits of the random weights
    assert number(browser, "loss") == pytest.approx(loss, rel=1e-9)
    assert abs(loss - before) > 1e-6
    assert enabled(browser, "step") and enabled(browser, "train")


@pytest.mark.parametrize(
    "field, entry, reason",
    [
        ("lr", "-1", "the learning rate must be greater than 0 (-1 would not"),
        ("lr", "0", "the learning rate must be greater than 0 (0 would not"),
        ("lr", "1e400", "1e400 is beyond float64"),
        ("steps", "2.5", "steps must be a whole number 1 to 100000"),
    ],
)
def test_bad_learning_rate_or_steps_is_refused(
    browser, count11_page, field, entry, reason
):
    open_page(browser, count11_page)
    before = number(browser, "loss")
    type_at_once(browser, field, entry)
    assert text(browser, f"why-{field}").startswith(reason)
    assert not enabled(browser, "train")
    assert enabled(browser, "step") == (field == "steps")
    browser.execute_script("document.getElementById('train').click()")  # disabled
    assert number(browser, "loss") == before
    type_at_once(browser, field, "0.01" if field == "lr" else "3")
    assert text(browser, f"why-{field}") == "" and enabled(browser, "train")


def test_policy_blocks_outside_loads(browser, count11_page):
    """The Content-Security-Policy refuses an image from outside and inline code."""
    open_page(browser, count11_page)
    browser.execute_script(
        """window.violations = [];
        document.addEventListener('securitypolicyviolation',
            (e) => window.violations.push(e.violatedDirective));
        const img = document.createElement('img');
        img.src = 'https://example.com/x.png';
        document.body.appendChild(img);
        const s = document.createElement('script');
        s.textContent = 'window.ran = 1';
        document.body.appendChild(s);"""
    )
    WebDriverWait(browser, 5).until(
        lambda d: len(d.execute_script("return window.violations")) >= 2
    )
    violations = browser.execute_script("return window.violations")
    assert "img-src" in violations
    assert any(v.startswith("script-src") for v in violations)
    assert browser.execute_script("return window.ran") is None


def test_hostile_title_and_names_stay_text(browser, tmp_path):
    hostile = '</title><script>alert(1)</script><img src=x onerror="alert(2)">&amp;'
    spec = tmp_path / "net.toml"
    spec.write_text(
        f"# {hostile}\n"
        + (DERIVATIONS / "count11.toml").read_text().split("\n", 1)[1]
    )
    page = tmp_path / "page.html"
    assert main(["explore", str(spec), "-o", str(page)]) == 0
    open_page(browser, page)
    assert browser.title == spec_title(spec) and browser.title.startswith(hostile)
    assert browser.find_element(By.TAG_NAME, "h1").text == browser.title
    assert text(browser, "sample") == "P1P2P3"
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    assert not browser.find_elements(By.CSS_SELECTOR, "body img, body script[src]")


TERNARY = """# Ternary pixels
[input]
height = 2
width = 3
[[layers]]
type = "conv"
filters = 1
kernel = [1, 2]
name = "a"
[[layers]]
type = "dense"
units = 4
activation = "relu"
[[layers]]
type = "dense"
units = 1
[data]
alphabet = [-1, 0, 1]
samples = [ { image = [[1, 0, -1], [0, 1, 1]], y = 1 } ]
[target]
kind = "count"
pattern = "11"
"""


def test_verdict_over_the_specs_alphabet_is_check_exhaustive(browser, tmp_path):
    """[data] alphabet = [-1, 0, 1]: the page judges all 3^6 images, as symcnn's
    exact check over that alphabet does (not the 64 binary ones)."""
    from symcnn.prove.exhaustive import check_every_image

    spec_path = tmp_path / "ternary.toml"
    spec_path.write_text(TERNARY)
    weights = tmp_path / "w.toml"
    weights.write_text(
        'missing = "zero"\n[weights]\n"w_{1}" = 1\n"w_{2}" = 1\n'
        '"w_{11,1}" = 1\n"b_{1}" = -1\n"w_{1,0}" = 1\n'
    )
    page = tmp_path / "ternary.html"
    command = ["explore", str(spec_path), "--weights", str(weights), "-o", str(page)]
    assert main(command) == 0
    spec = read_spec(spec_path)
    exact = check_every_image(
        sc.build_trace(spec.network),
        sc.read_weight_file(weights).resolve(spec.network, None),
        spec.target,
        alphabet=spec.alphabet,
    )
    right = exact.total - len(exact.mismatches)
    assert exact.total == 729 and 0 < right < 729
    open_page(browser, page)
    assert text(browser, "verdict") == (
        f"{right} of 729 images right (over the alphabet {{-1, 0, 1}})"
    )
    first = browser.find_element(By.CSS_SELECTOR, "#wrong li").text
    assert first == "-1 -1 -1/-1 1 1: F = 0, Y = 1"  # check's first mismatch
    assert exact.mismatches[0].image.flatten().tolist() == [-1, -1, -1, -1, 1, 1]


def test_negative_argument_has_one_pair_of_parentheses(browser, count11_page):
    """b_1 = -5 on P1 (a = 1, 2, 0, 1): f(1·1 + ... + (−5)) = f(−4) = 0, not
    f((−4)); a negative term of a sum keeps its parentheses."""
    open_page(browser, count11_page)
    set_l4_weights(browser, read_spec(DERIVATIONS / "count11.toml"))
    set_weight(browser, "b_1", "-5")
    click_value(browser, "f(z^{(2)}_{1})")
    assert text(browser, "numbers") == "f(1·1+2·0+0·0+1·0+(\u22125))"
    assert (text(browser, "applied"), text(browser, "value")) == ("f(\u22124)", "0")
