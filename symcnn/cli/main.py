"""The `symcnn` command: the dispatch to the commands (typeset.py: derive, summary,
document, verify, init, examples; compute.py: forward, check, train, embed, plot,
run) and the exit codes; the arguments are in parser.py.

Exit codes: 0 done, 1 a check failed (wrong weights) or training diverged, 2 bad input
(with a message on stderr naming the file, the place and a fix; never a traceback),
130 interrupted.
"""

from __future__ import annotations

import sys

from ..errors import SymcnnError
from .compute import cmd_check, cmd_embed, cmd_forward, cmd_plot, cmd_run, cmd_train
from .parser import build_parser
from .typeset import (
    cmd_derive,
    cmd_document,
    cmd_examples,
    cmd_init,
    cmd_summary,
    cmd_verify,
)

COMMANDS = {
    "verify": cmd_verify,
    "embed": cmd_embed,
    "init": cmd_init,
    "examples": cmd_examples,
    "document": cmd_document,
    "plot": cmd_plot,
    "forward": cmd_forward,
    "derive": cmd_derive,
    "summary": cmd_summary,
    "check": cmd_check,
    "train": cmd_train,
    "run": cmd_run,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except SymcnnError as error:
        print(f"symcnn {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"symcnn {args.command}: interrupted", file=sys.stderr)
        return 130
    except OSError as error:
        print(f"symcnn {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
