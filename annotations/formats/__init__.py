"""The export formats, one module each, and the registry that names them.

    json, jsonl    newsdesk's own labelled JSON (`newsdesk.schema.json` beside this file)
    spacy          spaCy DocBin (.spacy), needs `pip install 'newsdesk[spacy]'`
    prodigy        Prodigy JSONL
    doccano        doccano JSONL
    label-studio   Label Studio JSON tasks
    brat           brat standoff folder (.txt + .ann)
    conll          CoNLL-2003 columns, IOB2

A `Format` says how it is written: `"text"` formats write to a text stream (and so can go to
stdout), `"binary"` to a binary file, `"folder"` into an empty folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Literal

from newsdesk.annotations.formats import brat, conll, doccano, label_studio, newsdesk, prodigy, spacy_docbin
from newsdesk.annotations.formats.record import ExportContext

__all__ = ["Format", "FORMATS", "get_format", "format_names", "schema_path", "load_schema", "UnknownFormat"]


class UnknownFormat(ValueError):
    """A format name that is not in the registry."""


@dataclass(frozen=True)
class Format:
    """One export format: its name, how it is written and the function that writes it."""

    name: str
    summary: str
    kind: Literal["text", "binary", "folder"]
    suffix: str
    write: Callable[[Any, Any, ExportContext], None]
    check: Callable[[], None] | None = None

    @property
    def streams(self) -> bool:
        """Whether it can be written to stdout."""
        return self.kind == "text"


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", "newsdesk labelled JSON, one file", "text", ".json", newsdesk.write_json),
        Format("jsonl", "newsdesk labelled JSON, one article a line", "text", ".jsonl", newsdesk.write_jsonl),
        Format("spacy", "spaCy DocBin, spans in doc.spans['sc']", "binary", ".spacy", spacy_docbin.write_spacy,
               spacy_docbin.check_available),
        Format("prodigy", "Prodigy JSONL (spans, tokens, hashes)", "text", ".jsonl", prodigy.write_prodigy),
        Format("doccano", "doccano JSONL for sequence labelling", "text", ".jsonl", doccano.write_doccano),
        Format("label-studio", "Label Studio JSON tasks with annotations", "text", ".json",
               label_studio.write_label_studio),
        Format("brat", "brat standoff folder (.txt + .ann)", "folder", "", brat.write_brat),
        Format("conll", "CoNLL-2003 columns with IOB2 tags", "text", ".conll", conll.write_conll),
    )
}


def format_names() -> list[str]:
    """The registered format names, the default (json) first."""
    return list(FORMATS)


def get_format(name: str) -> Format:
    """The format called `name`; raises `UnknownFormat` listing the known names."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormat(f"unknown export format {name!r}: choose one of {', '.join(FORMATS)}") from None


def schema_path() -> Path:
    """Where the newsdesk JSON Schema file is (inside the installed package)."""
    return Path(str(resources.files("newsdesk.annotations.formats").joinpath("newsdesk.schema.json")))


def load_schema() -> dict[str, Any]:
    """The newsdesk JSON Schema as a dict."""
    import json

    return json.loads(resources.files("newsdesk.annotations.formats").joinpath("newsdesk.schema.json").read_text("utf-8"))
