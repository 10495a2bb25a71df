"""`python -m services.mynumber ...`: see services.mynumber.cli."""

from services.mynumber.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
