"""``python -m telcare``: runs :func:`telcare.cli._main.main`."""

from telcare.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
