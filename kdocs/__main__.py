"""Allow ``python -m kdocs``."""

from kdocs.cli import main

if __name__ == "__main__":
    main()
