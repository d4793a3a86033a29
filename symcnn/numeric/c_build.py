"""Generated C into a loaded shared library: the compiler, the cache, the checks.

The library is cached by the hash of its source, compiler and flags (in
$SYMCNN_CACHE_DIR, else $XDG_CACHE_HOME/symcnn, else ~/.cache/symcnn), so a second
run of the same network skips the compiler. Loading a library runs its code, so the
cache is trusted only as far as nobody else can write to it:

- the folder is created 0700 and used only while it is a folder owned by this user
  that no one else may write to; otherwise (or when it cannot be made) this process
  compiles in a fresh private folder of its own (mkdtemp, 0700, removed at exit) and
  says so once, never in a shared temporary folder;
- every library's SHA-256 is recorded beside it when it is built, and a library is
  loaded only from bytes that match it: a planted, unrelated or truncated file is
  rebuilt with a one-line notice (a truncated one used to kill the process with a bus
  error on every later run);
- the verified bytes are loaded from a copy of this process's own under a name never
  used before, so the file checked is the file run, and a change to the cache made
  later cannot reach a library already loaded.

Compilers run in their own process groups; if anything (Ctrl-C included) stops the
build, every compiler still running is killed with its children and waited for.
"""

from __future__ import annotations

import atexit
import ctypes
import hashlib
import itertools
import os
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from ..errors import SymcnnError

# -Og: measured on L8 and the digits net, -O1's speed (and -O2's within 30%) for
# 60% of -O1's compile time
FLAGS = ("-Og", "-fPIC", "-fno-math-errno", "-std=c99")
# For the vectorized programs (load_library(native=True)): this machine's vector
# instructions (AVX-512 where there is one), never fused multiply-adds (they would
# round differently from the exact order the trace gives). Statement-per-row C is
# not built so: gcc took 15x longer on it (30 s instead of 2 on a 9k-term net).
NATIVE_FLAGS = ("-march=native", "-ffp-contract=off")


class NoCompiler(SymcnnError):
    """No C compiler on this machine (backend "auto" then takes NumPy)."""


def compiler() -> list[str]:
    """The C compiler command: $CC, else the one Python was built with, else cc/gcc.
    A $CC that is not a command line is an error that names it."""
    setting = os.environ.get("CC")
    if setting:  # the user's choice: used, or said to be missing, never replaced
        command = split_command(setting, from_user=True)
        if command and shutil.which(command[0]):
            return command
        raise NoCompiler(
            f"the environment variable CC is {setting!r}, which names no command "
            "found on PATH; set CC to an installed C compiler such as gcc, or unset "
            "it (or use backend='numpy')"
        )
    for candidate in (sysconfig.get_config_var("CC"), "cc", "gcc"):
        if candidate:
            command = split_command(candidate, from_user=False)
            if command and shutil.which(command[0]):
                return command
    raise NoCompiler(
        "the c backend needs a C compiler and none was found (tried $CC, cc, gcc); "
        "install one (Debian/Ubuntu: apt-get install gcc) or use backend='numpy'"
    )


def split_command(text: str, *, from_user: bool) -> list[str]:
    """The words of a compiler command line; [] for an unreadable one of Python's."""
    try:
        return shlex.split(text)
    except ValueError as error:
        if not from_user:
            return []
        raise SymcnnError(
            f"the environment variable CC is {text!r}, which is not a command line "
            f"({error}); set CC to a compiler such as gcc (quotes must pair) or "
            "unset it"
        ) from None


def has_compiler() -> bool:
    try:
        compiler()
    except NoCompiler:
        return False
    return True


def cache_dir() -> Path:
    """Where the cache is asked to be (private_folder decides whether it is used)."""
    if os.environ.get("SYMCNN_CACHE_DIR"):
        return Path(os.environ["SYMCNN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "symcnn"


def notice(text: str) -> None:
    """One line on stderr: something was done differently, and why."""
    print(f"symcnn: {text}", file=sys.stderr)


def not_private(path: Path) -> str:
    """Why `path` is no private folder of this user ("" when it is one)."""
    info = os.stat(path)
    if not stat.S_ISDIR(info.st_mode):
        return "not a folder"
    if info.st_uid != os.geteuid():
        return f"owned by user id {info.st_uid}, not by you ({os.geteuid()})"
    if info.st_mode & 0o022:
        return f"writable by others (mode {stat.S_IMODE(info.st_mode):03o})"
    return ""


def private_folder() -> Path:
    """The cache folder, made 0700 if missing, when it is private; else this
    process's own folder (said once)."""
    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        problem = not_private(folder)
    except OSError as error:
        problem = f"not usable ({error.strerror or error})"
    if not problem:
        return folder
    return process_folder(
        f"the C cache {folder} is {problem}, so nothing in it is loaded; "
        "compiling in {private} for this run only (fix: chmod 700 the folder, or "
        "set SYMCNN_CACHE_DIR to a folder of your own)"
    )


PROCESS_FOLDER: list[Path] = []  # this process's own folder, once made


def process_folder(reason: str) -> Path:
    """A fresh private folder (mkdtemp: 0700) for this process only, removed at
    exit; `reason` ({private} the folder) is said the first time only."""
    if not PROCESS_FOLDER:
        PROCESS_FOLDER.append(Path(tempfile.mkdtemp(prefix="symcnn-")))
        atexit.register(shutil.rmtree, PROCESS_FOLDER[0], ignore_errors=True)
        notice(reason.format(private=PROCESS_FOLDER[0]))
    return PROCESS_FOLDER[0]


def native_target(command: tuple[str, ...]) -> tuple[str, ...]:
    """NATIVE_FLAGS and what -march=native means on this machine (the compiler's
    own expansion of it, for the cache key: a cache shared by two machines must not
    hand one the other's instructions); () when the compiler does not take them."""
    return NATIVE_TARGETS.get(command) or NATIVE_TARGETS.setdefault(
        command, probe_native(list(command))
    )


NATIVE_TARGETS: dict[tuple[str, ...], tuple[str, ...]] = {}


def probe_native(command: list[str]) -> tuple[str, ...]:
    probe = [*command, *NATIVE_FLAGS, "-###", "-x", "c", "-c", os.devnull]
    ((stderr, returncode),) = run_all([[*probe, "-o", os.devnull]])
    expanded = [line for line in stderr.splitlines() if "-march=" in line]
    if returncode != 0 or not expanded:
        return ()
    return (*NATIVE_FLAGS, *expanded)


def load_library(sources: list[str], *, native: bool = False) -> ctypes.CDLL:
    """The shared library of the translation units `sources`, loaded: from the cache
    when its recorded digest matches, else compiled now (the units in parallel);
    native=True compiles for this machine's vector instructions (NATIVE_FLAGS)."""
    command = compiler()
    target = native_target(tuple(command)) if native else ()
    flags = (*FLAGS, *target[: len(NATIVE_FLAGS)])
    key = hashlib.sha256("\0".join([*command, *FLAGS, *target, *sources]).encode())
    folder = private_folder()
    library = folder / f"program-{key.hexdigest()[:24]}.so"
    image = verified_image(library)
    if image is not None:
        try:
            return load_image(image, folder)
        except (OSError, AttributeError) as error:  # recorded, yet no program of ours
            notice(f"{library} could not be loaded ({error}); rebuilding it")
    return load_image(build(command, sources, folder, library, flags), folder)


def digest_file(library: Path) -> Path:
    return library.with_suffix(".sha256")


def verified_image(library: Path) -> bytes | None:
    """The library's bytes when they match the digest recorded when it was built;
    None when there is no library, or (with a notice) when they do not match."""
    if not os.path.lexists(library):
        return None
    if not os.path.lexists(digest_file(library)):
        notice(
            f"{library} has no digest recorded (built by an older symcnn, or not by "
            "symcnn); rebuilding it"
        )
        return None
    try:
        image = read_private(library)
        recorded = read_private(digest_file(library)).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        image, recorded = b"", ""
    if image and hashlib.sha256(image).hexdigest() == recorded:
        return image
    notice(
        f"{library} does not match the digest recorded when it was built "
        "(truncated, or not built by symcnn); rebuilding it"
    )
    return None


def read_private(path: Path) -> bytes:
    """A regular file's bytes, read only when it is this user's and no one else may
    write to it (an OSError otherwise); symbolic links are not followed."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_uid != os.geteuid()
            or info.st_mode & 0o022
        ):
            raise PermissionError(f"{path} is not a private file of this user")
        return file.read()


LOADS = itertools.count()  # a name never loaded before: dlopen reuses a known one


def load_image(image: bytes, folder: Path) -> ctypes.CDLL:
    """The library whose bytes are `image`, loaded from a copy of this process's
    own (removed once loaded); its function `program` checked."""
    descriptor, name = tempfile.mkstemp(".so", f".load-{next(LOADS)}-", folder)
    path = Path(name)  # 0600, a name no file had (one left by a crash included)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(image)
        library = ctypes.CDLL(str(path))
        library.program  # an AttributeError for a library without it
        return library
    finally:
        path.unlink()


def build(
    command: list[str],
    sources: list[str],
    folder: Path,
    library: Path,
    flags: tuple[str, ...] = FLAGS,
):
    """Compile and link `sources` into `library` (its digest recorded beside it);
    the library's bytes."""
    with tempfile.TemporaryDirectory(dir=folder) as work:
        objects, compiles = [], []
        for number, source in enumerate(sources):
            c_file = Path(work) / f"unit{number}.c"
            c_file.write_text(source)
            objects.append(str(c_file.with_suffix(".o")))
            compiles.append([*command, *flags, "-c", str(c_file), "-o", objects[-1]])
        for stderr, returncode in run_all(compiles):
            check_compiler(command, stderr, returncode)
        built = Path(work) / "program.so"
        link = [*command, "-shared", *objects, "-o", str(built), "-lm"]
        for stderr, returncode in run_all([link]):
            check_compiler(command, stderr, returncode)
        image = built.read_bytes()
        record = Path(work) / "digest"
        record.write_text(hashlib.sha256(image).hexdigest() + "\n")
        record.chmod(0o600)
        built.chmod(0o700)
        os.replace(record, digest_file(library))
        os.replace(built, library)  # atomic: a parallel run never reads half a file
    return image


def run_all(commands: list[list[str]]) -> list[tuple[str, int]]:
    """Run the commands at once; (stderr, exit status) of each, once all are done.
    On any exception, Ctrl-C included, every one still running is killed with its
    children and waited for before the exception goes on."""
    runs: list[subprocess.Popen] = []
    try:
        for command in commands:
            runs.append(
                subprocess.Popen(
                    command,
                    stderr=subprocess.PIPE,
                    text=True,
                    start_new_session=True,  # its own group: kill gcc's cc1 and as
                )
            )
        return [(run.communicate()[1], run.returncode) for run in runs]
    except BaseException:
        for run in runs:
            stop(run)
        raise


def stop(run: subprocess.Popen) -> None:
    """Kill a compiler's whole process group, unless it has already been waited for,
    and wait for it."""
    if run.returncode is None:
        try:
            os.killpg(run.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    run.wait()
    if run.stderr is not None:
        run.stderr.close()


def check_compiler(command: list[str], stderr: str, returncode: int) -> None:
    if returncode != 0 and os.environ.get("CC"):
        raise SymcnnError(
            f"the C compiler ({' '.join(command)}) failed with exit code "
            f"{returncode} on the generated program:\n{stderr[-2000:]}\nit is the one "
            "the environment variable CC names: set CC to a working C compiler such "
            "as gcc, or unset it (or use backend='numpy')"
        )
    if returncode != 0:
        raise SymcnnError(
            f"the C compiler ({' '.join(command)}) failed on the generated program:\n"
            f"{stderr[-2000:]}\nuse backend='numpy' meanwhile, and please report "
            "this with the network that caused it"
        )
