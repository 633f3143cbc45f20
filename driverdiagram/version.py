"""The version of driverdiagram (layer 0: everything may say which version it is)."""

__version__ = "0.2.0"
