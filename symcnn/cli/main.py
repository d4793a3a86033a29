"""The `symcnn` command: the dispatch to the commands (typeset.py: derive, document,
verify, init, examples; summary.py: summary; compute.py: forward, check, train,
embed, plot, run) and the exit codes; the arguments are in parser.py.

Exit codes: 0 done, 1 a check failed (wrong weights) or training diverged, 2 bad input
(with a message on stderr naming the file, the place and a fix; never a traceback),
70 an internal error (a bug in symcnn: one line asking to report it, the traceback
only with --debug), 130 interrupted, 141 the reader of the output went away (a pipe
into `head`).

This is the one error boundary: a SymcnnError is the user's input, anything else that
escapes a command is symcnn's fault and is never shown as bad input.
"""

from __future__ import annotations

import importlib
import itertools
import os
import signal
import sys
import traceback

from .. import __version__
from ..errors import SymcnnError
from ..limits import MAX_RESULT_DIGITS


def lazy(module: str, name: str):
    """The command function `name` of symcnn.cli.`module`, imported when it runs: each
    command loads only what it needs (`symcnn summary` never loads the training code),
    and a Ctrl-C during that import meets the boundary below."""

    def command(args) -> int:
        return getattr(importlib.import_module(f".{module}", __package__), name)(args)

    command.__name__ = name
    return command


COMMANDS = {
    "verify": lazy("typeset", "cmd_verify"),
    "embed": lazy("compute", "cmd_embed"),
    "init": lazy("typeset", "cmd_init"),
    "examples": lazy("typeset", "cmd_examples"),
    "document": lazy("typeset", "cmd_document"),
    "plot": lazy("compute", "cmd_plot"),
    "forward": lazy("compute", "cmd_forward"),
    "derive": lazy("typeset", "cmd_derive"),
    "summary": lazy("summary", "cmd_summary"),
    "check": lazy("compute", "cmd_check"),
    "train": lazy("compute", "cmd_train"),
    "run": lazy("compute", "cmd_run"),
    "explore": lazy("explore", "cmd_explore"),
}


#: sysexits.h's EX_SOFTWARE: "an internal software error has been detected".
INTERNAL_ERROR = 70
BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a reader that went away


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if asks_for_version(argv):
        print(f"symcnn {__version__}")
        return 0
    try:
        from .parser import build_parser  # brings NumPy: ~0.05 s a Ctrl-C may cut short

        args = build_parser().parse_args(argv)
    except KeyboardInterrupt:
        print("symcnn: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - before a command: still one line
        report_internal_error("symcnn", error, debug="--debug" in argv)
        return INTERNAL_ERROR
    python_limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(MAX_RESULT_DIGITS)  # exact results are printed whole
    try:
        return run_command(args)
    finally:
        sys.set_int_max_str_digits(python_limit)


def asks_for_version(argv: list[str]) -> bool:
    """`symcnn --version` (among the options before the command): answered before the
    parser is built, since its option lists import NumPy; argparse answers the rest."""
    leading = itertools.takewhile(lambda arg: arg.startswith("-") and arg != "--", argv)
    return "--version" in leading


def run_command(args) -> int:
    """The command `args` names, with every way it can end turned into an exit code."""
    command = f"symcnn {args.command}"
    try:
        check_name_options(args)
        return COMMANDS[args.command](args)
    except SymcnnError as error:
        print(f"{command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        silence_stdout()
        return BROKEN_PIPE
    except OSError as error:  # the machine said no: a file, a folder, the disk
        print(f"{command}: error: {os_message(error)}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - the boundary: a bug, said as one
        report_internal_error(command, error, debug=args.debug)
        return INTERNAL_ERROR


#: Options whose value is one printed name (w_{1,1}, a_{11}).
NAME_OPTIONS = ("gradient", "explain")


def check_name_options(args) -> None:
    """A SymcnnError for a name option with unbalanced braces (w_{1, a_{11}}), which
    would otherwise be read as some other name or none."""
    for option in NAME_OPTIONS:
        value = getattr(args, option, None)
        if not isinstance(value, str):
            continue
        depth = 0
        for char in value:
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth < 0:
                break
        if depth:
            raise SymcnnError(
                f"--{option} {value!r}: its braces do not balance ({value.count('{')} "
                f"opening, {value.count('}')} closing); write a name such as "
                "'w_{1,1}' or 'a_{11}', or without braces: 'a_11'"
            )


def entry() -> None:
    """The console script: main, then exit; a Ctrl-C that arrives once the command
    is done (a double tap) is ignored rather than shown as a traceback from the
    interpreter's shutdown."""
    code = main()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)


def os_message(error: OSError) -> str:
    """'cannot use 'out/x.toml': Permission denied', with the path the user gave."""
    path = error.filename if error.filename is not None else ""
    reason = error.strerror or str(error)
    return f"cannot use {str(path)!r}: {reason}" if path else reason


def report_internal_error(command: str, error: Exception, *, debug: bool) -> None:
    if debug:
        traceback.print_exception(error, file=sys.stderr)
    print(
        f"{command}: internal error: {type(error).__name__}: {str(error)[:300]}\n"
        "This is a bug in symcnn, not in your input; please report it with the "
        "command and its files"
        + ("." if debug else " (run it again with --debug for the traceback)."),
        file=sys.stderr,
    )


def silence_stdout() -> None:
    """The reader closed the pipe: point stdout at /dev/null so that Python's final
    flush does not complain again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


if __name__ == "__main__":
    entry()
