"""Reading user files: regular files only, never blocking, never more than the limit,
whatever the path names (a device, a FIFO, a directory)."""

import os
import threading
import time

import pytest

from symcnn.cli.main import main
from symcnn.errors import SpecError
from symcnn.files import tomlfile
from symcnn.files.spec import read_spec
from symcnn.files.tomlfile import read_text
from symcnn.files.weights import read_weight_file

SPEC = """\
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
units = 1

[data]
samples = [{ image = "011/001", y = 1 }]
"""


def test_the_zero_device_is_refused_before_reading():
    # Before: st_size is 0, so the 1 MB check passed and read() never ended.
    started = time.perf_counter()
    with pytest.raises(
        SpecError,
        match=r"^spec file '/dev/zero' cannot be read: it is a character device, "
        r"not a regular file; give the path of a spec file saved on disk$",
    ):
        read_spec("/dev/zero")
    with pytest.raises(SpecError, match=r"weight file '/dev/zero' .* character dev"):
        read_weight_file("/dev/zero")
    assert time.perf_counter() - started < 1


def test_a_fifo_is_refused_without_blocking(tmp_path):
    # Before: open() waited forever for a writer.
    fifo = tmp_path / "spec.toml"
    os.mkfifo(fifo)
    outcome = []

    def read():
        try:
            read_text(fifo, "spec file")
        except SpecError as error:
            outcome.append(str(error))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=5)
    if reader.is_alive():  # release the blocked open() before failing
        os.close(os.open(fifo, os.O_WRONLY))
    assert outcome == [
        f"spec file {str(fifo)!r} cannot be read: it is a FIFO (named pipe), not a "
        "regular file; give the path of a spec file saved on disk"
    ]


def test_a_directory_is_refused_as_not_a_regular_file(tmp_path):
    with pytest.raises(SpecError, match=r"cannot be read: it is a directory, not a"):
        read_text(tmp_path, "spec file")


def test_a_file_whose_size_says_zero_is_read_only_to_the_limit(monkeypatch):
    # /proc files are regular with st_size 0, like a file that grows after stat:
    # the read itself stops at the limit.
    monkeypatch.setattr(tomlfile, "MAX_BYTES", 10)
    assert os.stat("/proc/self/status").st_size == 0
    with pytest.raises(
        SpecError,
        match=r"^spec file '/proc/self/status' is over 10 bytes; spec files are "
        r"limited to 10 bytes \(limits\.MAX_FILE_BYTES\)$",
    ):
        read_text("/proc/self/status", "spec file")


def test_a_missing_file_and_bad_bytes_still_say_so(tmp_path):
    with pytest.raises(SpecError, match=r"^spec file '.*nope.toml' does not exist$"):
        read_text(tmp_path / "nope.toml", "spec file")
    path = tmp_path / "spec.toml"
    path.write_bytes(b"\xff")
    with pytest.raises(SpecError) as error:
        read_text(path, "spec file")
    assert str(error.value) == (
        f"spec file {str(path)!r}: line 1, column 1: byte 0xff (offset 0) is not "
        "UTF-8 text; save the file as UTF-8 (iconv -f latin1 -t utf-8 old.toml > "
        "new.toml converts a Latin-1 file)"
    )
    path.write_bytes(b"\xef\xbb\xbf[input]\nheight = 2 # caf\xe9\n")  # a BOM first
    with pytest.raises(SpecError, match=r": line 2, column 17: byte 0xe9 \(offset 27"):
        read_text(path, "spec file")
    with pytest.raises(SpecError, match=r"cannot be read: embedded null byte"):
        read_text("spec\0.toml", "spec file")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["summary", "/dev/zero"], "spec file '/dev/zero' cannot be read"),
        (["check", "SPEC", "--weights", "/dev/zero"], "weight file '/dev/zero'"),
        (["verify", "SPEC", "--tex", "/dev/zero"], "file '/dev/zero' cannot be read"),
    ],
)
def test_every_command_refuses_a_device(tmp_path, capsys, argv, message):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC)
    code = main([str(spec) if word == "SPEC" else word for word in argv])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert message in err and "not a regular file" in err and "Traceback" not in err
