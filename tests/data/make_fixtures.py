"""Writes the article fixture files beside this script, byte for byte; `tests/test_corpus.py` checks them.

Run `python tests/data/make_fixtures.py` after changing FIXTURES. Each file is an article as a
user might drop it in a library: odd encodings, newlines, control bytes, scripts and markup.
"""

from __future__ import annotations

import codecs
from pathlib import Path


FIXTURES: dict[str, bytes] = {
    "crlf.txt": b"Crlf headline\r\nFirst body line.\r\nSecond body line.\r\n",
    "lone_cr.txt": b"Old Mac headline\rFirst body line.\rSecond body line.\r",
    "utf8_bom.txt": codecs.BOM_UTF8 + "Caf\u00e9 headline\nBody about caf\u00e9s.\nMore.".encode("utf-8"),
    "utf16_le.txt": codecs.BOM_UTF16_LE + "Tokyo 東京 headline\nBody 🇯🇵.\nMore.".encode("utf-16-le"),
    "utf16_be.txt": codecs.BOM_UTF16_BE + "Tokyo 東京 headline\nBody 🇯🇵.\nMore.".encode("utf-16-be"),
    "cp1252.txt": "Caf\u00e9 \u2013 na\u00efve headline\nThe caf\u00e9 \u2013 na\u00efve \u201cquoted\u201d.\nMore.".encode(
        "cp1252"
    ),
    "escapes.txt": (
        b"Escapes headline\n"
        b"Clear\x1b[2Jscreen, title\x1b]0;pwned\x07set, clip\x1b]52;c;cHduZWQ=\x07board, "
        b"link\x1b]8;;https://evil.example\x1b\\here\x1b]8;;\x1b\\done, nul\x00byte, bell\x07.\n"
        b"Red \xc2\x9b31mtext\xc2\x9b0m in 8-bit CSI.\n"
    ),
    "scripts.txt": (
        "Scripts headline\n"
        "日本と英国は合意した。\n"
        "العربية من اليمين إلى اليسار.\n"
        "עברית גם כן.\n"
        "Flags 🇯🇵🇬🇧, family 👨\u200d👩\u200d👧, thumbs 👍🏿, e\u0301, \u1100\u1161\u11a8.\n"
    ).encode("utf-8"),
    "markup.txt": b"Markup [bold]headline[/]\nPress [@click=app.quit]here[/] or [link='file:///etc/passwd']x[/link].\n[/]\n",
    "empty.txt": b"",
    "whitespace.txt": b" \n\t\r\n  \n",
    "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    "nul_heavy.txt": b"abc\x00\x01\x02\x03" * 300,
}


def main() -> None:
    here = Path(__file__).resolve().parent
    for name, data in FIXTURES.items():
        (here / name).write_bytes(data)


if __name__ == "__main__":
    main()
