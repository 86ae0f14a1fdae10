"""`python -m newsdesk.tui` runs the newsdesk command, as `python -m newsdesk` does."""

import sys

from .cli import main

sys.exit(main())
