"""Starter diagrams for ``driverdiagram new`` (installed as ``driverdiagram.templates``)."""
