"""newsdesk's terminal app (Textual). Depends on the headless core in `annotations`, never the reverse."""

from .cells import install as _install_terminal_widths

# Before anything measures text: Rich's table gives spacing marks (Mc) no width, terminals one cell.
_install_terminal_widths()
