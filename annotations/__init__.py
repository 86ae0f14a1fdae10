"""newsdesk's headless core: articles, spans, topics, the store, formats and alignment.

Nothing in this package imports Textual; `tests/test_headless.py` checks it.
"""

__version__ = "0.1.0"
