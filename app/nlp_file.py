"""`clew nlp FILE [--json]`: the language, entities, identifiers and passages Clew finds in one
file, for people tuning rules. `-` reads standard input. Nothing is stored."""

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from clew.errors import ConfigError
from clew.records import Document, Mention, Passage, Status

console = Console()


def analyse(name: str, data: bytes, ocr: bool = False) -> list[tuple[Document, list[Mention], list[Passage]]]:
    """Every document in the file (attachments and members too), with its language (as the NLP
    stage finds it: a row's from its prose columns), its mentions and passages."""
    from ingest.extract import Origin, extract_tree
    from ingest.formats.base import Limits
    from nlp import language, records
    from nlp.entities import all_mentions_many
    from nlp.passages import passages
    from nlp.settings import get_nlp_settings
    from nlp.tokens import passage_counter

    nlp = get_nlp_settings()
    docs = [d for d, _ in extract_tree(Origin("NLP"), name, data, Limits(ocr=ocr))]
    readable = [d for d in docs if d.status == Status.ok and d.text.strip()]
    tables = records.tables(readable)
    found = {d.id: language.language_of(d, records.prose_segments(d, tables[records.table_key(d)])
                                        if records.is_record(d) else None, nlp.language_confidence) for d in readable}
    docs = [language.stamped(d, found[d.id]) if d.id in found else d for d in docs]
    mentions = dict(zip((d.id for d in readable), all_mentions_many(readable)))
    count = passage_counter(nlp.embedding_model)
    return [(d, mentions.get(d.id, []),
             passages(d, count, model_name=nlp.embedding_model) if d.id in mentions else []) for d in docs]


def as_json(results) -> list[dict]:
    return [{"path": d.source.path, "kind": d.kind, "language": d.language, "status": d.status.value, "error": d.error,
             "mentions": [m.model_dump(include={"label", "text", "start", "end", "value", "page", "method",
                                                "source", "confidence"}) for m in ms],
             "passages": [p.model_dump(include={"ordinal", "size", "start", "end", "page", "text"}) for p in ps]}
            for d, ms, ps in results]


def show(results) -> None:
    for d, ms, ps in results:
        console.rule(escape(f"{d.source.path} ({d.kind}, language {d.language or 'unknown'})"
                            + (f" — {d.status.value}: {d.error}" if d.error else "")))
        table = Table(show_lines=False)
        for col in ("label", "text", "normalised", "span", "page", "method"):
            table.add_column(col, overflow="fold")
        for m in ms:
            table.add_row(m.label, m.text, m.value, f"{m.start}-{m.end}", str(m.page or ""), m.source)
        console.print(table)
        console.print(f"{len(ps)} passages" + "".join(
            f"\n  #{p.ordinal} ≤{p.size} p{p.page or '-'} {p.start}-{p.end}: {p.text[:90]!r}" for p in ps[:10]))


def nlp_command(file: str = typer.Argument(..., help="a file, or - for standard input"),
                as_json_out: bool = typer.Option(False, "--json", help="print JSON"),
                ocr: bool = typer.Option(False, "--ocr", help="OCR images and image-only PDF pages")) -> None:
    """Language, entities, identifiers and passages found in FILE (nothing is stored)."""
    if file == "-":
        name, data = "stdin.txt", sys.stdin.buffer.read()
    else:
        path = Path(file)
        if not path.is_file():
            raise ConfigError(f"{file} is not a readable file", "give a file path, or - to read standard input")
        name, data = path.name, path.read_bytes()
    results = analyse(name, data, ocr)
    if as_json_out:
        print(json.dumps(as_json(results), ensure_ascii=False, indent=2))
    else:
        show(results)
