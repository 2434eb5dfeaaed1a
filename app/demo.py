"""`clew demo`: both servers up, the sample investigation ingested with a progress bar, three
accounts to try it with (app.demo_accounts), facts read back from PostgreSQL, then a few searches
on it as `clew search` prints them, an entity pivot on the subject's phone, and that phone's call
records, all as the demo's investigator with a stated purpose, in the audit trail; last, the
analysts' dashboards (Apache Superset) when installed, with the demo's accounts synced to it."""

import shlex
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from clew import db
from clew.errors import ServiceError
from clew.indexes import index_name
from clew.search_client import make_client
from clew.services import opensearch, postgres
from clew.settings import Settings

if TYPE_CHECKING:
    from app.samplecase.manifest import Manifest

PHONE = "07700-900-123"  # the subject's number as one log writes it; an email and a statement write it otherwise
KEYWORD = f"{PHONE} -type:json"  # without the call-data rows (one document per call)
HYBRID = "blue van type:email"


def run(s: Settings, console: Console) -> None:
    if not s.opensearch_url:
        opensearch.start(s, console)
    if not s.database_url:
        postgres.start(s)
    db.upgrade(s)
    manifest = ingest_sample_case(s, console)
    from app.demo_accounts import ensure_people

    ensure_people(s, console, manifest.case_id)
    show_facts(s, console, manifest.case_id)
    from search.errors import BackendError

    try:
        show_searches(s, console, manifest)
    except BackendError as e:  # a server that went away mid-demo: one line, not a traceback
        raise ServiceError(str(e), "check `clew opensearch status`, then run `clew demo` again") from None
    start_superset(s, console)
    console.print("Stop everything with: [bold].venv/bin/clew superset stop && .venv/bin/clew opensearch stop && "
                  ".venv/bin/clew postgres stop[/]")


def start_superset(s: Settings, console: Console) -> None:
    """The analysts' dashboards: `clew superset init`, `sync-users` and `start`. The demo goes on
    without them (saying why) when Superset is not installed or does not come up."""
    from app.superset_cli import initialise, sync
    from clew.errors import ClewError
    from clew.services import superset_server
    from clew.services.superset import SupersetSettings

    heading(console, "$ clew superset init && clew superset sync-users && clew superset start",
            "the analysts' dashboards (Apache Superset)")
    try:
        ss = SupersetSettings()
        initialise(s, ss)
        sync(s, ss)
        url = superset_server.start(s, ss)
    except ClewError as e:
        console.print(f"[yellow]Superset is not available:[/] {e.message}" + (f" — {e.hint}" if e.hint else ""),
                      highlight=False)
        return
    console.print(f"[green]Superset is up[/] at [bold]{url}/[/] — sign in as demo.analyst or demo.supervisor "
                  "with their Clew password, or as its admin (password shown above, the first time)")


def ingest_sample_case(s: Settings, console: Console) -> "Manifest":
    """Write Operation Kestrel (once) and ingest it; a second demo run finds nothing to do. Its manifest."""
    from ingest.cli import ingest_with_progress
    from ingest.index.layout import StaleMapping
    from app.samplecase import generate
    from app.samplecase.manifest import Manifest

    out = s.state_dir / "samplecase"
    if not (out / "manifest.json").is_file():
        console.print(f"writing the sample investigation (Operation Kestrel) to {out} …")
        generate(out)
    manifest = Manifest.load(out)
    try:
        ingest_with_progress(out / manifest.root, manifest.case_id)
    except StaleMapping:   # indexed by an earlier Clew: the demo moves its own case over, then goes on
        from ingest.reindex_cli import enrich_command

        console.print(f"{manifest.case_id} was indexed by an earlier version of Clew; re-enriching it first")
        enrich_command(case=manifest.case_id, workers=0)
        ingest_with_progress(out / manifest.root, manifest.case_id)
    return manifest


def show_facts(s: Settings, console: Console, case_id: str) -> None:
    from app.demo_accounts import investigator_scope
    from search import facts

    scope = investigator_scope(s, case_id)
    with db.connect(s) as conn:
        kinds, pairs = facts.documents_by_kind(conn, scope, case_id), facts.busiest_pairs(conn, scope, case_id, 5)
    console.print("SQL — documents by type: " + ", ".join(f"{k} {n}" for k, n in kinds))
    table = Table(title="SQL — who called whom most (call-data records, numbers normalised)")
    for col in ("caller", "callee", "calls", "minutes"):
        table.add_column(col)
    for p in pairs:
        table.add_row(p.caller, p.callee, str(p.calls), f"{p.secs / 60:.0f}")
    console.print(table)


def heading(console: Console, command: str, note: str) -> None:
    console.print()
    console.print(Text.assemble((command, "bold cyan"), ("  # " + note, "dim")), soft_wrap=True)


def show_searches(s: Settings, console: Console, manifest: "Manifest") -> None:
    """Three searches as `clew search` prints them, then the phone's entity view and call records."""
    from app.demo_accounts import investigator_scope
    from search.cli import print_results
    from clew.access.cli import record
    from search.embed import LazyEmbedder
    from search.request import SearchRequest
    from search.service import Searcher
    from search.views import calls_view, entity_view

    client = make_client(s)
    client.indices.delete(index=index_name(s.index_prefix, "demo", 1), ignore_unavailable=True)  # earlier demos'
    cases = (manifest.case_id,)
    scope = investigator_scope(s, manifest.case_id)  # the demo searches as its investigator, audited
    embedder = LazyEmbedder()
    searcher = Searcher(client, s.index_prefix, embedder.label)
    for query, mode, note in (
            (KEYWORD, "keyword", "a phone number matches every way it is written (call rows left out)"),
            (manifest.paraphrase.query, "semantic", "by meaning: a witness said this in other words"),
            (HYBRID, "hybrid", "emails only; keyword and meaning ranks fused")):
        heading(console, f"$ clew search {shlex.quote(query)} --mode {mode} --size 3", note)
        req = SearchRequest(q=query, mode=mode, cases=scope.cases, markings=scope.markings, size=3)
        resp = searcher.search(req, embed=embedder)
        record(s, scope, "search", {"query": {"q": query, "mode": mode, "size": 3}}, resp.total)
        print_results(console, resp, len(cases))

    with db.connect(s) as conn:
        entity = entity_view(client, conn, s.index_prefix, scope, "phone", PHONE, size=5)
        calls = calls_view(conn, scope, PHONE, size=1, max_counterparts=5)
    heading(console, f"GET /api/v1/entities?label=phone&value={PHONE}", "pivot on the entity")
    seen = " to ".join(d.date().isoformat() for d in (entity.first_seen, entity.last_seen) if d)
    console.print(f"phone {entity.value} ({entity.name or PHONE}): {entity.total} documents, {entity.mentions} "
                  f"mentions" + (f", seen {seen}" if seen else ""), markup=False, highlight=False)
    table = Table(title=f"first {len(entity.documents)} documents, oldest first", title_justify="left")
    for col in ("document", "kind", "date"):
        table.add_column(col)
    for d in entity.documents:
        table.add_row(d.path or d.title or d.id, d.kind or "", d.date.date().isoformat() if d.date else "")
    console.print(table)

    heading(console, f"GET /api/v1/calls?number={PHONE}", "its call records, per other party")
    console.print(f"{calls.total} calls to or from {calls.number}, {calls.total_seconds / 60:.0f} minutes, with "
                  f"{calls.counterparts_total} numbers", markup=False, highlight=False)
    table = Table(title=f"the {len(calls.counterparts)} numbers with the most calls", title_justify="left")
    for col in ("number", "calls", "out", "in", "minutes", "first", "last"):
        table.add_column(col, justify="left" if col in ("number", "first", "last") else "right")
    for c in calls.counterparts:
        table.add_row(c.number, str(c.calls), str(c.outgoing), str(c.incoming), f"{c.total_seconds / 60:.0f}",
                      c.first.date().isoformat(), c.last.date().isoformat())
    console.print(table)
