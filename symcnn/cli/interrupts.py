"""Ctrl-C during training: the first one stops training (which keeps the best weights
so far), and the ones that follow it while the weights are being written wait until
they are written. Without this, a second Ctrl-C 20 ms after the first (a double tap)
lands in the saving code and the learned weights are lost."""

from __future__ import annotations

import signal
import sys
import threading
from contextlib import contextmanager


@contextmanager
def first_interrupt_only(command: str):
    """Inside the block the first SIGINT raises KeyboardInterrupt as usual; later ones
    are held back (with a notice) and raised as one KeyboardInterrupt when the block
    ends. Outside the main thread (signals cannot be caught there) it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = []

    def on_interrupt(signum, frame):
        if not held:
            held.append("first")
            raise KeyboardInterrupt
        held.append("more")
        print(
            f"{command}: finishing what was learned first (writing the files)",
            file=sys.stderr,
        )

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if "more" in held:
        raise KeyboardInterrupt
