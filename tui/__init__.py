"""newsdesk's terminal app (Textual). Depends on the headless core in `annotations`, never the reverse."""
