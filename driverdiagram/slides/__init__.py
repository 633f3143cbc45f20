"""Diagram -> a PowerPoint deck (.pptx) of native shapes a team can edit: the title,
the diagram where Graphviz places it (or a slide per primary driver), a slide per
measure's chart with its verdict, and the PDSA cycles as a table
(:mod:`driverdiagram.slides.deck`)."""

from __future__ import annotations

from .deck import Deck, build

#: What a deck is written as.
FORMATS = ("pptx",)

__all__ = ["FORMATS", "Deck", "build"]
