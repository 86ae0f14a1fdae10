"""`python -m tui` runs the newsdesk command."""

import sys

from .cli import main

sys.exit(main())
