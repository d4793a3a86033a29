"""symcnn summary: shapes, parameter counts and mult-adds per layer (slide L8), in
text, Markdown, LaTeX or JSON. Counted from the shapes alone, with no Network, so
--max-terms does not apply; nothing here imports SymPy (the spec is read and checked
without it): the command answers in about 0.1 s."""

from __future__ import annotations

from ..files.spec import read_spec
from ..typeset.summary import (
    summary_json,
    summary_latex,
    summary_markdown,
    summary_text,
)
from .jsonout import json_text


def cmd_summary(args) -> int:
    network = read_spec(args.spec, shapes_only=True).network
    if args.format == "json":
        print(json_text(summary_json(network), indent=2, ensure_ascii=False))
    else:
        render = {
            "text": summary_text,
            "markdown": summary_markdown,
            "latex": summary_latex,
        }
        print(render[args.format](network))
    return 0
