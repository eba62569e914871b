"""``python -m telcare``: runs :func:`telcare.app.cli.main`."""

from telcare.app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
