"""Measures: the run chart rules (runs), measures and PDSA cycles in words (words, pdsa),
and their charts (chart)."""

#: The formats a chart is drawn in.
FORMATS = ("svg", "png", "pdf")
