"""The one error boundary, and outputs that lose nothing: exit codes, messages with
the user's paths, files written whole with ordinary modes, Ctrl-C twice."""

import json
import os
import signal
import subprocess
import time

import numpy as np
import pytest

from conftest import DERIVATIONS
from symcnn.cli import main as cli
from symcnn.cli.interrupts import first_interrupt_only
from symcnn.cli.jsonout import json_text

COUNT11 = str(DERIVATIONS / "count11.toml")


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def broken_summary(args):
    return {}["a key no spec has"]


def test_a_bug_is_an_internal_error_not_bad_input(capsys, monkeypatch):
    monkeypatch.setitem(cli.COMMANDS, "summary", broken_summary)
    code, out, err = run(capsys, "summary", COUNT11)
    assert code == cli.INTERNAL_ERROR == 70
    assert err.startswith("symcnn summary: internal error: KeyError: ")
    assert "This is a bug in symcnn, not in your input; please report it" in err
    assert "--debug" in err and "Traceback" not in err


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_the_traceback(capsys, monkeypatch, where):
    monkeypatch.setitem(cli.COMMANDS, "summary", broken_summary)
    argv = ["--debug", "summary", COUNT11] if where == "before" else [
        "summary", COUNT11, "--debug"
    ]
    code, _, err = run(capsys, *argv)
    assert code == 70
    assert "Traceback (most recent call last)" in err and "broken_summary" in err


def test_user_errors_still_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "summary", str(tmp_path / "missing.toml"))
    assert code == 2 and "does not exist" in err and "internal" not in err


def test_a_closed_pipe_is_not_an_error():
    """`symcnn derive ... | head -1`: no 'Broken pipe' message, exit 141 (SIGPIPE)."""
    big = str(DERIVATIONS / "l8_weight_count.toml")  # 0.7 MB of text, over a pipe's
    process = subprocess.Popen(
        ["symcnn", "derive", big], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read().decode()
    process.wait(timeout=60)
    assert err == "" and process.returncode == 141


def test_json_never_holds_nan_or_infinity():
    document = {"loss": float("inf"), "history": np.array([1.5, np.nan, -np.inf])}
    assert json_text(document) == '{"loss": null, "history": [1.5, null, null]}'
    assert json_text({"steps": np.int64(3), "nested": [(np.float64(0.25),)]}) == (
        '{"steps": 3, "nested": [[0.25]]}'
    )


def test_a_save_path_in_a_missing_folder_is_refused_before_training(capsys, tmp_path):
    save = tmp_path / "no-such-folder" / "learned.toml"
    started = time.perf_counter()
    code, out, err = run(capsys, "train", COUNT11, "--save", str(save))
    assert code == 2 and out == ""
    assert f"cannot write {str(save)!r}: the folder" in err and "does not exist" in err
    assert time.perf_counter() - started < 2  # nothing was trained


def test_a_folder_as_save_path_is_refused_and_leaves_nothing(capsys, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    code, out, err = run(capsys, "train", COUNT11, "--save", str(folder), "--force")
    assert code == 2 and out == ""
    assert f"cannot write {str(folder)!r}: it is a folder; give a file name" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert list(folder.iterdir()) == []


def test_outputs_get_the_mode_a_new_file_gets(capsys, tmp_path):
    save = tmp_path / "learned.toml"
    previous = os.umask(0o022)
    try:
        code, _, _ = run(capsys, "train", COUNT11, "--save", str(save), "--quiet")
    finally:
        os.umask(previous)
    assert code == 0
    assert save.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["learned.toml"]


def test_a_failed_write_names_the_users_path_and_leaves_no_temporary(
    capsys, tmp_path, monkeypatch
):
    def disk_full(source, target):
        raise OSError(28, "No space left on device", source)

    monkeypatch.setattr(os, "replace", disk_full)
    out = tmp_path / "count11.tex"
    code, _, err = run(capsys, "derive", COUNT11, "-o", str(out))
    assert code == 2
    assert err == (
        f"symcnn derive: error: cannot write {str(out)!r}: No space left on device\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_second_interrupt_waits_for_the_block_to_end():
    finished = []
    with pytest.raises(KeyboardInterrupt):
        with first_interrupt_only("symcnn train"):
            try:
                os.kill(os.getpid(), signal.SIGINT)  # the first: training stops
                time.sleep(1)
            except KeyboardInterrupt:
                pass
            os.kill(os.getpid(), signal.SIGINT)  # the second: held back
            time.sleep(0.05)
            finished.append("saved")
    assert finished == ["saved"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.parametrize("apart", [0.001, 0.02, 0.05])
def test_two_ctrl_c_in_quick_succession_keep_the_learned_weights(tmp_path, apart):
    """Before: 1-5 ms apart lost the weights, 50 ms killed the interpreter (-2)."""
    save = tmp_path / "learned.toml"
    process = subprocess.Popen(
        ["symcnn", "train", COUNT11, "--steps", "100000000", "--tol", "0",
         "--restarts", "1", "--batch-size", "2", "--backend", "python",
         "--save", str(save)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(3)  # imports, compiling, then training (mini-batches never stall)
    process.send_signal(signal.SIGINT)
    time.sleep(apart)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    weights = save.read_text()
    assert weights.startswith("# learned by symcnn train") and '"w_{1}" = ' in weights
    assert "Traceback" not in err


def test_json_output_of_a_diverged_run_is_strict_json(capsys):
    code, out, _ = run(
        capsys, "train", COUNT11, "--lr", "1e6", "--steps", "20", "--format", "json"
    )
    assert code == 1

    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")

    document = json.loads(out, parse_constant=refuse)
    assert document["stopped"] == "diverged"


def test_exact_results_longer_than_pythons_print_limit_are_printed(capsys, tmp_path):
    """1,000-digit weights (the input limit) make a loss of over 4,300 digits, which
    Python refuses to print by default: it was an internal error."""
    big = "9" * 999
    names = ["w_{1}", "w_{2}", "w_{11,1}", "w_{12,2}", "w_{1,0}", "w_{2,0}"]
    weights = tmp_path / "big-weights.toml"
    weights.write_text(
        "[weights]\n" + "".join(f'"{name}" = {big}\n' for name in names)
    )
    code, out, err = run(
        capsys, "check", COUNT11, "--weights", str(weights), "--missing", "zero",
        "--format", "json",
    )  # fmt: skip
    assert code == 1, err
    loss = json.loads(out)["loss"]
    assert len(loss) > 4300 and loss.isdigit()



def test_force_never_replaces_a_device_or_fifo(capsys, tmp_path):
    fifo = tmp_path / "pipe.tex"
    os.mkfifo(fifo)
    code, out, err = run(capsys, "derive", COUNT11, "-o", str(fifo), "--force")
    assert code == 2 and out == ""
    assert "it is a device, FIFO or socket, not a file" in err
    assert fifo.is_fifo()
    code, _, err = run(capsys, "derive", COUNT11, "-o", "/dev/null", "--force")
    assert code == 2 and "/dev/null" in err and os.path.exists("/dev/null")


def test_an_output_through_a_symbolic_link_writes_its_target(capsys, tmp_path):
    (tmp_path / "keep.tex").write_text("old\n")
    link = tmp_path / "link.tex"
    link.symlink_to("keep.tex")
    code, _, _ = run(capsys, "derive", COUNT11, "-o", str(link), "--force")
    assert code == 0 and link.is_symlink()
    assert (tmp_path / "keep.tex").read_text().startswith("Equations:\n  a_{11} = ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.tex", "link.tex"]


def test_options_that_would_be_ignored_or_meaningless_are_refused(capsys, tmp_path):
    code, _, err = run(
        capsys, "verify", COUNT11, "--formula", "a_{11} = p_{11} w_{1}",
        "--annotate", str(tmp_path / "out.tex"),
    )  # fmt: skip
    assert code == 2 and "with --formula there is no file to annotate" in err
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(SystemExit) as exit_:
        cli.main(["summary", COUNT11, "--max-terms", "-5"])
    assert exit_.value.code == 2
    assert "'-5' is not a whole number >= 1" in capsys.readouterr().err
