"""Jupyter's rich displays and short reprs for symcnn's objects.

Jupyter shows an object by calling its `_repr_html_`, `_repr_markdown_` or
`_repr_latex_` (the first that returns a string wins, in that order). The text of
most reports is written by a later stage than the class it describes: a Network
(model) is shown as typeset/summary.py's table, a CheckReport (prove) and a
TrainResult (numeric) as the `symcnn check` / `train` reports of cli/. A class may not
import a later stage (tests/test_layout.py), so such classes inherit RichDisplay,
whose hooks look the object's class up in RENDERERS; symcnn/cli/notebook.py, the one
module that may import every report, fills it with `register`. symcnn/__init__.py
names that module in DISPLAY_MODULES; it is imported the first time anything is
displayed, so `import symcnn` stays as cheap as before and this stage imports no
later one. Without a renderer a hook returns None, which Jupyter skips.
"""

from __future__ import annotations

import dataclasses
import importlib
import sys
from typing import Callable

#: (class, "html" | "markdown" | "latex") -> a function of the object.
RENDERERS: dict[tuple[type, str], Callable[[object], str]] = {}
_loaded: list[str] = []


def register(cls: type, kind: str, render: Callable[[object], str]) -> None:
    """Show instances of `cls` (and its subclasses) as `kind` with `render`."""
    if kind not in ("html", "markdown", "latex"):
        raise ValueError(f"unknown display kind {kind!r}")
    RENDERERS[(cls, kind)] = render


def rendered(obj: object, kind: str) -> str | None:
    """What the renderer registered for obj's class (or a base) makes of it."""
    load_renderers()
    for cls in type(obj).__mro__:
        render = RENDERERS.get((cls, kind))
        if render is not None:
            return render(obj)
    return None


def load_renderers() -> None:
    """Import the modules the package names in DISPLAY_MODULES (once each)."""
    package = sys.modules[__name__.partition(".")[0]]
    for module in getattr(package, "DISPLAY_MODULES", ()):
        if module not in _loaded:
            _loaded.append(module)
            importlib.import_module(module)


class RichDisplay:
    """Mixin: Jupyter's display hooks, answered by the registered renderers."""

    def _repr_html_(self) -> str | None:
        return rendered(self, "html")

    def _repr_markdown_(self) -> str | None:
        return rendered(self, "markdown")

    def _repr_latex_(self) -> str | None:
        return rendered(self, "latex")


def short_repr(obj) -> str:
    """A dataclass as its constructor call with only the fields that differ from
    what the required fields alone give: Dense(units=4, activation='relu').

    The comparison is with an instance made from the required fields, so defaults
    that validation normalises (stride 1 -> (1, 1)) are left out too."""
    fields = dataclasses.fields(obj)
    required = {
        f.name: getattr(obj, f.name)
        for f in fields
        if f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    }
    plain = type(obj)(**required)
    shown = [
        f"{f.name}={field_repr(getattr(obj, f.name))}"
        for f in fields
        if f.repr
        and (f.name in required or getattr(obj, f.name) != getattr(plain, f.name))
    ]
    return f"{type(obj).__name__}({', '.join(shown)})"


def field_repr(value) -> str:
    """An Activation as the name or the sc.activation(...) call that makes it."""
    if type(value).__name__ != "Activation":
        return repr(value)
    kind = value.kind
    from .activations import activation  # a sibling module; kept local: no cycle

    leaky = kind == "leaky_relu"
    options = []
    if leaky and value.slope != activation(kind).slope:
        options.append(f"slope={str(value.slope)!r}")
    default = activation(kind, slope=value.slope if leaky else None)
    if value.grad_at_zero != default.grad_at_zero:
        options.append(f"grad_at_zero={str(value.grad_at_zero)!r}")
    if not options:
        return repr(kind)
    return f"activation({', '.join([repr(kind), *options])})"
