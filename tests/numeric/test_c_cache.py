"""The C backend's compiler and cache against hostile surroundings: a cache folder
others may write to, planted, unrelated or truncated libraries, an unreadable $CC,
Ctrl-C while compiling, and $SYMCNN_THREADS values int() refuses."""

import os
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import count11_network

import symcnn as sc
from symcnn.numeric import c_build


@pytest.fixture
def cache(monkeypatch, tmp_path):
    """A fresh cache folder (not yet made) and a fresh process folder."""
    folder = tmp_path / "home" / "cache"
    monkeypatch.setenv("SYMCNN_CACHE_DIR", str(folder))
    monkeypatch.setattr(c_build, "PROCESS_FOLDER", [])
    return folder


def count11_loss(data, backend="c"):
    """The count-11 loss at seed 0's weights, compiled by `backend`."""
    trace = sc.build_trace(count11_network())
    objective = sc.compile_objective(trace, data, backend=backend)
    return objective(sc.initial_weights(trace.network, 0))[0]


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_cache_folder_and_its_files_are_private(count11_data, cache):
    assert count11_loss(count11_data) == count11_loss(count11_data, "python")
    (library,) = cache.glob("program-*.so")
    (digest,) = cache.glob("program-*.sha256")
    assert (mode(cache), mode(library), mode(digest)) == (0o700, 0o700, 0o600)
    assert digest.stem == library.stem
    assert sorted(p.name for p in cache.iterdir()) == [digest.name, library.name]


def compile_library(tmp_path: Path, code: str) -> bytes:
    source = tmp_path / "planted.c"
    source.write_text(code)
    target = tmp_path / "planted.so"
    subprocess.run(
        ["cc", "-shared", "-fPIC", str(source), "-o", str(target)], check=True
    )
    return target.read_bytes()


def test_a_planted_library_is_rebuilt_never_loaded(
    count11_data, cache, tmp_path, capsys
):
    expected = count11_loss(count11_data)
    (library,) = cache.glob("program-*.so")
    marker = tmp_path / "planted-code-ran"
    library.write_bytes(
        compile_library(
            tmp_path,
            "#include <stdio.h>\n"
            "__attribute__((constructor)) static void plant(void)\n"
            f'{{ fclose(fopen("{marker}", "w")); }}\n'
            "int program(const double *t, const double *x, long n, double *o)\n"
            "{ for (long k = 0; k < 16 * n; k++) o[k] = 0; return 0; }\n",
        )
    )
    capsys.readouterr()
    assert count11_loss(count11_data) == expected
    assert not marker.exists()
    notice = capsys.readouterr().err
    assert notice == (
        f"symcnn: {library} does not match the digest recorded when it was built "
        "(truncated, or not built by symcnn); rebuilding it\n"
    )
    assert count11_loss(count11_data) == expected  # rebuilt: no notice again
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # a bus error on every run, before
        lambda data: b"not a shared library at all",
        lambda data: b"",
    ],
)
def test_a_truncated_or_unrelated_library_is_rebuilt(
    count11_data, cache, capsys, damage
):
    expected = count11_loss(count11_data)
    (library,) = cache.glob("program-*.so")
    intact = library.read_bytes()
    with open(library, "r+b") as file:  # in place, as a full disk or a crash leaves it
        damaged = damage(intact)
        file.write(damaged)
        file.truncate(len(damaged))
    capsys.readouterr()
    assert count11_loss(count11_data) == expected
    assert "rebuilding it" in capsys.readouterr().err
    assert library.read_bytes() == intact


def test_a_library_without_its_digest_is_rebuilt(count11_data, cache, capsys):
    expected = count11_loss(count11_data)
    (digest,) = cache.glob("program-*.sha256")
    digest.unlink()
    capsys.readouterr()
    assert count11_loss(count11_data) == expected
    (library,) = cache.glob("program-*.so")
    assert capsys.readouterr().err == (
        f"symcnn: {library} has no digest recorded (built by an older symcnn, or "
        "not by symcnn); rebuilding it\n"
    )
    assert digest.exists()


def test_a_cache_others_may_write_to_is_not_used(count11_data, cache, capsys):
    cache.mkdir(parents=True)
    cache.chmod(0o775)
    capsys.readouterr()
    expected = count11_loss(count11_data, "python")
    assert count11_loss(count11_data) == expected
    (private,) = c_build.PROCESS_FOLDER
    assert capsys.readouterr().err == (
        f"symcnn: the C cache {cache} is writable by others (mode 775), so nothing "
        f"in it is loaded; compiling in {private} for this run only (fix: chmod 700 "
        "the folder, or set SYMCNN_CACHE_DIR to a folder of your own)\n"
    )
    assert list(cache.iterdir()) == []
    assert mode(private) == 0o700 and private != Path(tempfile.gettempdir())
    assert list(private.glob("program-*.so"))
    assert count11_loss(count11_data) == expected  # said once per process
    assert capsys.readouterr().err == ""


def test_a_cache_owned_by_someone_else_is_not_used(
    count11_data, cache, capsys, monkeypatch
):
    cache.mkdir(parents=True, mode=0o700)
    owner = os.geteuid()
    monkeypatch.setattr(c_build.os, "geteuid", lambda: owner + 1)
    assert count11_loss(count11_data) == count11_loss(count11_data, "python")
    assert (
        f"the C cache {cache} is owned by user id {owner}, not by you ({owner + 1})"
        in capsys.readouterr().err
    )
    assert list(cache.iterdir()) == []


def test_a_cache_that_cannot_be_made_is_said_and_avoided(
    count11_data, cache, capsys, tmp_path, monkeypatch
):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("SYMCNN_CACHE_DIR", str(blocker / "cache"))
    assert count11_loss(count11_data) == count11_loss(count11_data, "python")
    err = capsys.readouterr().err
    assert f"the C cache {blocker / 'cache'} is not usable (Not a directory)" in err


def test_an_unreadable_cc_is_named_with_a_fix(count11_data, monkeypatch):
    monkeypatch.setenv("CC", "'")
    trace = sc.build_trace(count11_network())
    with pytest.raises(
        sc.SymcnnError,
        match=r"^the environment variable CC is \"'\", which is not a command line "
        r"\(No closing quotation\); set CC to a compiler such as gcc \(quotes must "
        r"pair\) or unset it$",
    ):
        sc.compile_objective(trace, count11_data, backend="c")


def alive(pid: int) -> bool:
    """Whether process `pid` still runs (a zombie has stopped running)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_ctrl_c_while_compiling_kills_the_compilers_and_their_children(
    count11_data, cache, tmp_path, monkeypatch
):
    """The fake compiler starts a child (as gcc starts cc1) and waits for it."""
    pids = tmp_path / "pids"
    fake = tmp_path / "fake-cc"
    fake.write_text(f'#!/bin/sh\nsleep 60 &\necho "$$ $!" > {pids}\nwait\n')
    fake.chmod(0o755)
    monkeypatch.setenv("CC", str(fake))

    def interrupted(self, *args, **kwargs):
        deadline = time.monotonic() + 10
        while not (pids.exists() and pids.read_text().endswith("\n")):
            assert time.monotonic() < deadline, "the fake compiler did not start"
            time.sleep(0.01)
        raise KeyboardInterrupt

    monkeypatch.setattr(subprocess.Popen, "communicate", interrupted)
    trace = sc.build_trace(count11_network())
    with pytest.raises(KeyboardInterrupt):
        sc.compile_objective(trace, count11_data, backend="c")
    compiler, child = map(int, pids.read_text().split())
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.01)  # SIGKILL is delivered, not always handled, at once
    assert not alive(compiler) and not alive(child)


@pytest.mark.parametrize(
    "setting", ["²", "0", "-1", "abc", "1.5", "99999999", "9" * 5000]
)
def test_a_bad_symcnn_threads_is_named_with_a_fix(count11_data, monkeypatch, setting):
    monkeypatch.setenv("SYMCNN_THREADS", setting)
    trace = sc.build_trace(count11_network())
    with pytest.raises(
        sc.SymcnnError,
        match=rf"^SYMCNN_THREADS is {repr(setting)[:40]}.*; use a whole number from "
        r"1 to 1024, such as 1, or unset it to use every CPU$",
    ):
        sc.compile_objective(trace, count11_data, backend="c")


def test_symcnn_threads_sets_the_threads(count11_data, monkeypatch):
    monkeypatch.setenv("SYMCNN_THREADS", " 3 ")
    trace = sc.build_trace(count11_network())
    objective = sc.compile_objective(trace, count11_data, backend="c")
    assert objective.program.threads == 3
    theta = np.zeros(len(trace.parameters))
    assert objective(theta)[0] == 1 + 4  # targets 1, 2, 0 against outputs 0
