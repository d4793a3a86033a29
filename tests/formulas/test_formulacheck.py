"""The formula checker (issue 8, in progress): typed formulas against derived ones."""

from conftest import count11_network, l1_network

import symcnn as sc
from symcnn.formulas.formulacheck import Checker

# Slide L1 as the printed lecture has it (cnn-lecture.ru.txt, line 59): the second
# term's first filter row reads p_{23}w_{21} where p_{22} W_{21} is right.
L1_PRINTED = (
    r"F_{NN}(P) = f(f(p_{11}w_{11} + p_{12}w_{12} + p_{21}w_{21} + p_{22}w_{22})v_{11}"
    r" + f(p_{12}w_{11} + p_{13}w_{12} + p_{23}w_{21} + p_{23}w_{22})v_{12}"
    r" + f(p_{21}w_{11} + p_{22}w_{12} + p_{31}w_{21} + p_{32}w_{22})v_{21}"
    r" + f(p_{22}w_{11} + p_{23}w_{12} + p_{32}w_{21} + p_{33}w_{22})v_{22})"
)


def l1_checker():
    return Checker(sc.build_trace(l1_network()), same_letter_case=True)


def test_finds_the_l1_slip_and_nothing_else():
    (verdict,) = l1_checker().check(L1_PRINTED)
    assert verdict.status == "wrong"
    assert verdict.differences == (
        "f(...) > term 2 > f(...) > term 3: p_{23} W_{21} should be p_{22} W_{21}",
    )


def test_the_corrected_l1_formula_and_the_chain_are_correct():
    corrected = L1_PRINTED.replace("p_{23}w_{21}", "p_{22}w_{21}")
    assert [v.status for v in l1_checker().check(corrected)] == ["correct"]
    chain = (
        r"F_{NN}(P)=f(a)="
        r"f(f(a_{11})v_{11}+f(a_{12})v_{12}+f(a_{21})v_{21}+f(a_{22})v_{22})"
    )
    assert [v.status for v in l1_checker().check(chain)] == ["correct", "correct"]


def test_each_a_ij_of_l1():
    checker = l1_checker()
    for formula in (
        r"a_{11} = p_{11} W_{11} + p_{12} W_{12} + p_{21} W_{21} + p_{22} W_{22}",
        r"a_{22} = p_{22} W_{11} + p_{23} W_{12} + p_{32} W_{21} + p_{33} W_{22}",
    ):
        assert [v.status for v in checker.check(formula)] == ["correct"]


def test_slips_are_located():
    checker = l1_checker()
    missing = checker.check(r"a_{12} = p_{12} W_{11} + p_{13} W_{12} + p_{22} W_{21}")
    assert missing[0].differences == ("missing term: p_{23} W_{22}",)
    sign = checker.check(
        r"a_{12} = p_{12} W_{11} - p_{13} W_{12} + p_{22} W_{21} + p_{23} W_{22}"
    )
    assert sign[0].differences == ("term 2: - p_{13} W_{12} should be p_{13} W_{12}",)


def test_unknown_names_are_not_understood_with_why():
    (verdict,) = l1_checker().check(r"a_{12} = q_{12} W_{11}")
    assert verdict.status == "not understood"
    assert verdict.reason == "q_{12} is not a name of this network"


def test_l3_and_l4_forms_of_count11():
    net = count11_network()
    trace = sc.build_trace(net)
    checker = Checker(trace)
    assert [v.status for v in checker.check(r"a_{11}=p_{11}w_1+p_{12}w_2")] == [
        "correct"
    ]
    from conftest import L4_WEIGHTS

    weights = sc.resolve(net, L4_WEIGHTS, missing="zero")
    with_weights = Checker(trace, weights=weights)
    slide = (
        r"F_{NN}(P)=f(a_{11}-1)+f(a_{12}-1)+f(a_{21}-1)+f(a_{22}-1)="
        r"f(p_{11}+p_{12}-1)+f(p_{12}+p_{13}-1)+f(p_{21}+p_{22}-1)+f(p_{22}+p_{23}-1)"
    )
    assert [v.status for v in with_weights.check(slide)] == ["correct", "correct"]
    assert [v.status for v in with_weights.check(r"a_{11}=p_{11}+p_{12}")] == [
        "correct"
    ]


def test_the_l2_loss():
    data = sc.Dataset.from_rows([("011/001", 1), ("110/011", 2), ("101/010", 0)])
    checker = Checker(sc.build_trace(count11_network()), data=data)
    written = r"L(w)=(F_{NN}(P1)-1)^2+(F_{NN}(P2)-2)^2+(F_{NN}(P3)-0)^2"
    assert [v.status for v in checker.check(written)] == ["correct"]
    (wrong,) = checker.check(written.replace("-2)^2", "-3)^2"))
    assert wrong.differences == (
        "term 2: (F_{NN}(P_{2}) - 3)^{2} should be (F_{NN}(P_{2}) - 2)^{2}",
    )


# -- mutation tests: symcnn's own formulas with one random slip each ------------------

import re  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def random_network(draw):
    height, width = draw(st.integers(2, 3)), draw(st.integers(2, 4))
    kernel = (draw(st.integers(1, height)), draw(st.integers(1, width)))
    layers = [sc.Conv2D(1, kernel, name="a")]
    if draw(st.booleans()):
        layers.append(
            sc.Dense(
                draw(st.integers(1, 2)),
                activation="relu",
                name="h",
                letter="v",
                bias_letter="c",
            )
        )
    return sc.Network(sc.Input(height=height, width=width), *layers)


def mutate(formula: str, kind: str, choice: int) -> str | None:
    """One slip in the right side of `formula`, or None if this kind does not apply."""
    lhs, rhs = formula.split(" = ", 1)
    if kind == "swap":  # two different digits of one index swapped
        spots = [m for m in re.finditer(r"_\{(\d)(\d)\}", rhs) if m[1] != m[2]]
        if not spots:
            return None
        m = spots[choice % len(spots)]
        rhs = rhs[: m.start()] + f"_{{{m[2]}{m[1]}}}" + rhs[m.end() :]
    elif kind == "letter":  # a weight written as a pixel
        spots = [m for m in re.finditer(r"\b[wv]_\{", rhs)]
        if not spots:
            return None
        m = spots[choice % len(spots)]
        rhs = rhs[: m.start()] + "p" + rhs[m.start() + 1 :]
    elif kind in ("drop", "duplicate", "sign"):
        terms = top_level_terms(rhs)
        if len(terms) < 2:
            return None
        i = choice % len(terms)
        if kind == "drop":
            terms.pop(i)
        elif kind == "duplicate":
            terms.insert(i, terms[i])
        else:
            terms[i] = terms[i][1:] if terms[i].startswith("-") else "-" + terms[i]
        rhs = " + ".join(terms).replace("+ -", "- ")
    return f"{lhs} = {rhs}"


def top_level_terms(rhs: str) -> list[str]:
    terms, depth, start = [], 0, 0
    for i, char in enumerate(rhs):
        depth += char in "({"
        depth -= char in ")}"
        if depth == 0 and rhs[i : i + 3] in (" + ", " - ") and i > 0:
            terms.append(rhs[start:i].strip())
            start = i + 1
    terms.append(rhs[start:].strip())
    return [t[2:] if t.startswith("+ ") else t.replace("- ", "-", 1) for t in terms]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_every_mutant_is_flagged_and_every_original_accepted(data):
    network = random_network(data.draw)
    checker = Checker(sc.build_trace(network))
    formulas = [f"{lhs} = {rhs}" for _, lhs, rhs in sc.derive(network).lines("latex")]
    formula = data.draw(st.sampled_from(formulas))
    assert [v.status for v in checker.check(formula)] == ["correct"], formula
    kind = data.draw(st.sampled_from(["swap", "letter", "drop", "duplicate", "sign"]))
    mutant = mutate(formula, kind, data.draw(st.integers(0, 100)))
    if mutant is None:
        return
    (verdict,) = checker.check(mutant)
    if verdict.status == "correct":
        # only a slip that changes nothing may pass (swapping indices of a sum's
        # symmetric terms); the parser must agree it is the same formula
        parsed = checker.parse(mutant).result
        original = checker.parse(formula).result
        assert checker.same(parsed[1], original[1]), (formula, mutant)
        return
    assert (
        verdict.status == "wrong" or "is not a name of this network" in verdict.reason
    )
    if verdict.status == "wrong":
        assert verdict.differences  # located
        if kind != "drop":
            assert verdict.marks, (
                mutant,
                verdict.differences,
            )  # and marked in the text


def test_the_lectures_dialect_for_relu_and_products():
    checker = Checker(sc.build_trace(count11_network()))
    for written in (
        r"a_{11} = p_{11} \cdot w_{1} + p_{12} \times w_{2}",
        r"a_{11} = \left(p_{11} w_1\right) + w_2 p_{12}",
    ):
        assert [v.status for v in checker.check(written)] == ["correct"], written
    nested = (
        r"F_{NN}(P) = b_0 + w_{1,0} \max(0, a_{11} w_{11,1} + a_{12} w_{12,1} "
        r"+ a_{21} w_{21,1} + a_{22} w_{22,1} + b_1) + w_{2,0} Relu(a_{11} w_{11,2} "
        r"+ a_{12} w_{12,2} + a_{21} w_{21,2} + a_{22} w_{22,2} + b_2) \\ & "
        r"+ w_{3,0} ReLU(a_{11} w_{11,3} + a_{12} w_{12,3} + a_{21} w_{21,3} "
        r"+ a_{22} w_{22,3} + b_3) + w_{4,0} f(a_{11} w_{11,4} + a_{12} w_{12,4} "
        r"+ a_{21} w_{21,4} + a_{22} w_{22,4} + b_4)"
    )
    assert [v.status for v in checker.check(nested)] == ["correct"]
