"""`python -m newsdesk` runs the newsdesk command."""

import sys

from newsdesk.tui.cli import main

sys.exit(main())
