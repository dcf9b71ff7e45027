"""The command line: parse, call the pipeline, report in one line, exit 0/1/2. It may import
any stage (lazily, to keep `--help` fast); nothing imports it."""

from .main import cli, main, program

__all__ = ["cli", "main", "program"]
