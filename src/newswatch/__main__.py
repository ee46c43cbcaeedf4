"""`python -m newswatch` does what the `newswatch` console script does."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="newswatch")
