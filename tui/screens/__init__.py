"""newsdesk's screens: library, reader, side by side, help and the dialogs."""
