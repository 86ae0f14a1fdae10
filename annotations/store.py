"""The annotation store: TinyDB documents made durable by a write-ahead journal.

CONTRACT (implemented by the store work):

    class StoreError(Exception)          # one-line, names the file and what to do
    class StoreLocked(StoreError)        # another process holds the database for writing
    class StoreCorrupt(StoreError)       # unreadable / empty / `null` / wrong shape: never overwritten

    default_db_path() -> Path            # $NEWSDESK_DB, else $XDG_DATA_HOME/newsdesk/newsdesk.json
                                         # (~/.local/share/newsdesk/newsdesk.json)
    DEFAULT_TOPICS: tuple[Topic, ...]    # news taxonomy fitting the seeds, keys 1-9 on the first nine

    class Store:
        Store(path: Path, *, readonly: bool = False)   # creates the file (with DEFAULT_TOPICS) if absent
        .path; close(); __enter__/__exit__
        # every mutating call returns only once the change is on disk (fsync)
        add_span(span) -> Span
        add_spans(spans: Iterable[Span]) -> list[Span]   # one fsync for the batch
        update_span(span) -> Span                         # replace by id
        delete_span(span_id) -> Span                      # returns what was deleted
        get_span(span_id) -> Span | None
        spans_for(article_id) -> list[Span]               # sorted by (start, end, id)
        iter_spans() -> Iterator[Span]
        span_count(article_id: str | None = None) -> int
        topics() -> list[Topic]                           # keyed 1..9 first, then by name
        topic(name) -> Topic | None
        put_topic(topic) -> Topic                         # add or replace by name
        delete_topic(name) -> Topic | None
        doc_topics(article_id) -> DocTopics
        set_doc_topics(doc: DocTopics) -> DocTopics
        is_done(article_id) -> bool
        set_done(article_id, done: bool) -> None
        article_ids_with_spans() -> set[str]
"""
