"""``python -m telcare`` and the ``telcare`` command: :func:`telcare.cli.main`, with a
reader that stops early (``telcare demo | head``) ending the run quietly."""

from __future__ import annotations

import os
import sys

from telcare.cli import main as _main


def main(argv: list[str] | None = None) -> int:
    """Run the command line; a closed pipe on standard output is not an error to show.

    The output went where it was asked to go until the reader closed it, so there is
    no traceback; the exit status is 1, as Python's own documentation recommends
    for an EPIPE.
    """
    try:
        status = _main(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at devnull so that flush is silent.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
