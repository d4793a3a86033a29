"""symcnn verify on formulas and arguments nobody here wrote: exit codes and
messages."""

import time

from conftest import DERIVATIONS

from symcnn.cli.main import main

SPEC = str(DERIVATIONS / "count11.toml")
LECTURE = DERIVATIONS.parent / "tests" / "data" / "cnn-lecture-l1-l4.txt"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_pixel_outside_the_image_is_a_wrong_formula(capsys):
    code, out, _ = run(capsys, "verify", SPEC, "--formula", "a_{11} = p_{32} w_1")
    assert code == 1
    assert out == (
        "a_{11}: wrong: p_{32} is outside the 2x3 image (p_{11} to p_{23})\n"
        "0 correct, 1 wrong, 0 not understood\n"
    )


def test_an_unknown_letter_stays_not_understood_and_exits_1(capsys):
    # exit 1: a CI gate must fail on a formula nobody could check (report C16)
    code, out, _ = run(capsys, "verify", SPEC, "--formula", "a_{11} = q_{32} w_1")
    assert code == 1
    assert out.endswith("0 correct, 0 wrong, 1 not understood\n")


def test_deep_nesting_and_huge_powers_are_not_understood_at_once(capsys):
    start = time.perf_counter()
    code, out, _ = run(
        capsys,
        "verify",
        SPEC,
        "--formula",
        "a_{11} = " + "(" * 200 + "p_{11}" + ")" * 200,
        "--formula",
        "a_{11} = 9^{9^{9^{9}}}",
    )
    assert time.perf_counter() - start < 2
    assert code == 1
    assert "a_{11}: not understood: brackets nest over 40 deep at character 50" in out
    assert "a_{11}: not understood: exponent not a whole number written out" in out


def test_lines_must_be_ascii_digits(capsys):
    for lines in ("1-²", "²-3", "1-٣", "1-" + "9" * 5000):
        code, _, err = run(
            capsys, "verify", SPEC, "--tex", str(LECTURE), "--lines", lines
        )
        assert code == 2, lines
        assert f"--lines {lines!r} is not a range like 10-40" in err
