"""The partnership portal (SPEC section 8): a folder of diagrams -> a static web site.

A programme page with a card per diagram, a page per diagram (the drawing with every
box a link, the outline, every measure's chart with its verdict, the PDSA log) and a
page per change idea (its status, its drivers and way to the aim, every PDSA cycle in
full, the charts of the measures its cycles watch, a "Report a cycle" form). Plain
HTML and one stylesheet with relative links only: it works from a folder opened on
disk, any web server or Pages host, with nothing fetched from anywhere else. The one
script is the forms' (templates/forms.js), allowed by its hash in each page's
Content-Security-Policy; it sends nothing, and without it a form says what to send.
"""

from __future__ import annotations

from .build import MANIFEST, Built, build

__all__ = ["MANIFEST", "Built", "build"]
