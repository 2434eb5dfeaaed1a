"""`clew search QUERY` prints a page of results in the terminal (`clew serve` is app.serve).

Imports here stay light: `clew` loads this module for every command, the search code only when
one of these runs.
"""

import sys
from enum import Enum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

console = Console()
err = Console(stderr=True)


class Mode(str, Enum):
    keyword = "keyword"
    semantic = "semantic"
    hybrid = "hybrid"


def caret(query: str, position: int, indent: str = "  ") -> str:
    """The query on one line and a caret under `position` below it (control characters shown as
    spaces, so the caret stays under its character)."""
    shown = "".join(" " if not c.isprintable() else c for c in query)
    return f"{indent}{shown}\n{indent}{' ' * min(max(position, 0), len(shown))}^"


def highlighted(fragment: str) -> Text:
    """A highlight fragment (HTML-escaped, <em> around matches) as styled terminal text."""
    import html
    import re

    out = Text()
    for i, part in enumerate(re.split(r"</?em>", fragment)):
        out.append(re.sub(r"\s+", " ", html.unescape(part)), style="bold yellow" if i % 2 else "")
    return out


def why(hit) -> str:
    e = hit.explanation
    parts = [f"terms: {', '.join(e.matched_terms)}"] if e.matched_terms else []
    parts += [f"{m.field} {m.value} (as {m.clause})" for m in e.matched_identifiers]
    parts += [f"keyword #{e.keyword_rank}"] if e.keyword_rank else []
    if e.semantic_rank:
        similarity = f" ({e.best_passage.similarity:.2f})" if e.best_passage else ""
        parts.append(f"semantic #{e.semantic_rank}{similarity}")
    return "\n".join(parts) or "-"


def best_snippet(hit) -> Text:
    if hit.snippets:
        s = hit.snippets[0]
        text = highlighted(s.text)
    elif hit.passages:
        s = hit.passages[0]
        text = Text(" ".join(s.text.split())[:240])
    else:
        return Text("")
    return text + Text(f"  (p. {s.page})", style="dim") if s.page else text


def results_table(resp) -> Table:
    table = Table(show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("document", ratio=3, overflow="fold")
    table.add_column("kind", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("why", ratio=2)
    table.add_column("best snippet", ratio=5)
    first = ((resp.page or 1) - 1) * resp.size
    for rank, hit in enumerate(resp.hits, first + 1):
        d = hit.document
        title = d.title or d.path or hit.id
        doc = Text(title, style="bold")
        doc.append("".join(f"\n{x}" for x in (d.path, d.case_id) if x and x != title), style="dim")
        table.add_row(str(rank), doc, d.kind or "", d.date.date().isoformat() if d.date else "", why(hit),
                      best_snippet(hit))
    return table


def search_command(
    query: Annotated[str, typer.Argument(help="the query, in the query language")],
    mode: Annotated[Mode, typer.Option("--mode", "-m", help="keyword, semantic or hybrid")] = Mode.hybrid,
    case: Annotated[list[str] | None, typer.Option("--case", "-c", help="a case to search (repeat for several); "
                                                                        "default: every case")] = None,
    size: Annotated[int, typer.Option("--size", "-n", min=1, max=100, help="results to show")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="print the API's JSON response")] = False,
    purpose: Annotated[str | None, typer.Option("--purpose", help="why this search is necessary, in a few words "
                                                                  "(recorded in the audit trail)")] = None,
    case_ref: Annotated[str | None, typer.Option("--case-ref", help="the case or job reference it is for")] = None,
) -> None:
    """Search the cases you may see and print the best results, each with why it matched. Acts as
    the account whose API token is in CLEW_TOKEN, with a stated purpose; every run is audited."""
    from clew.search_client import make_client
    from clew.settings import get_settings
    from search.cases import narrow
    from clew.access.cli import cli_scope, record
    from search.embed import LazyEmbedder
    from search.errors import BackendError, QuerySyntaxError, UnknownCaseError
    from search.querylang import parse
    from search.request import SearchRequest
    from nlp.settings import get_nlp_settings
    from search.service import Searcher

    try:
        parse(query, get_nlp_settings().default_region)  # before any server is asked
    except QuerySyntaxError as e:
        err.print(f"error: {e.message}" + (f" — {e.hint}" if e.hint else ""), markup=False, highlight=False,
                  soft_wrap=True)
        err.print(caret(query, e.position), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    s = get_settings()
    granted = cli_scope(s, purpose, case_ref)  # a one-line refusal without CLEW_TOKEN or a purpose
    detail = {"query": {"q": query, "mode": mode.value, "case": case or [], "size": size}}
    try:
        scope = narrow(granted, case or [])
        req = SearchRequest(q=query, mode=mode.value, cases=scope.cases, markings=scope.markings, size=size)
    except UnknownCaseError as e:
        record(s, granted, "search", detail, None, e.code)
        err.print(f"error: {e.message} — {e.hint}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    embedder = LazyEmbedder()
    try:
        resp = Searcher(make_client(s), s.index_prefix, embedder.label, get_nlp_settings().default_region).search(req, embed=embedder)
    except BackendError as e:
        record(s, scope, "search", detail, None, e.code)
        err.print(f"error: {e.message}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    record(s, scope, "search", detail, resp.total)
    if as_json:
        sys.stdout.write(resp.model_dump_json(indent=2) + "\n")
        return
    print_results(console, resp, len(req.cases))


def print_results(out: Console, resp, cases: int) -> None:
    """A one-line summary of a search response, then its hits as a table (when there are any)."""
    hybrid = resp.mode == "hybrid" and resp.keyword_total is not None
    more = f"; {resp.keyword_total} match the keywords" if hybrid else ""
    counted = f"{cases} case" + ("" if cases == 1 else "s")
    out.print(f"{resp.total} results ({resp.mode}, {counted}, {resp.took_ms} ms){more}", markup=False, highlight=False)
    if resp.hits:
        out.print(results_table(resp))
