"""newsdesk: a keyboard-driven terminal news reader and span annotator.

Installed, everything lives under this one import package: `newsdesk.annotations` (the headless
core), `newsdesk.tui` (the Textual app) and `newsdesk.seeds` (the bundled library), so nothing of
newsdesk's clashes with another distribution's top-level names.

The repository keeps the design card's layout instead, with `annotations/`, `tui/` and `seeds/`
beside this folder. In a source checkout (tests, an editable install) the subpackages are found
there: this package's search path is extended to the folder above it, and only when the
subpackages are not inside it, which is never the case in a wheel.
"""

from __future__ import annotations

import os

_here = os.path.dirname(os.path.abspath(__file__))
if not os.path.isdir(os.path.join(_here, "annotations")):
    _checkout = os.path.dirname(_here)
    if os.path.isfile(os.path.join(_checkout, "pyproject.toml")):
        __path__.append(_checkout)  # noqa: F821 - a package's __path__ is defined by the import system
