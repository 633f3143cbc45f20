"""``python -m driverdiagram``: the same as the ``driverdiagram`` command."""

from .cli import main

main(prog_name="driverdiagram")
