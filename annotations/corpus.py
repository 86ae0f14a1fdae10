"""Reading article files and folders into `Article`s.

CONTRACT (implemented by the text/corpus work):

    class ArticleRefused(Exception): path, reason; str() is one line naming the file and what to do
    read_article(path) -> Article              # raises ArticleRefused (empty, whitespace, binary, unreadable)
    parse_article(text: str, origin: str = "") -> Article   # text already decoded and sanitised
    seeds_dir() -> Path                        # the bundled seeds/ folder (works installed and from source)

    @dataclass(frozen=True) class LibraryEntry: id, title, source, published (date|None), place, path, size
    class Library:
        Library.open(folder: Path, cache_dir: Path | None = None) -> Library
        .folder, .entries: list[LibraryEntry] (sorted by file name), .refused: list[ArticleRefused]
        .get(article_id) -> LibraryEntry | None
        .load(article_id) -> Article           # reads the file (LRU-cached)
        .__len__, .__iter__
    Re-reading an unchanged folder uses a cache keyed by (path, size, mtime_ns) so it does not
    parse every file again.
"""
