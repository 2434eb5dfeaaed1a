"""A guard on what search sends to OpenSearch: every body that reads a documents or passages index
(a search, a count, a k-NN search, a search in a point in time on one, each search of an _msearch)
must carry both of the scope's filters (search.scope.scope_filter: `terms` on `case_id` and on the
index's marking field) where every hit has to match them: a bool's `filter` or `must`, a k-NN
clause's `filter`, a constant_score's `filter`. A `global` aggregation (which escapes the query) is
refused, and so is every request search has no business sending (a get by id, a scroll, a delete
by query, an update, ...). Only the point-in-time bookkeeping and the cluster's greeting go free.

    guard = Guard(); guard.wrap(client)   # every request `client` sends is checked
    guard.problems                        # what was refused (each request refused also raises)
"""

import json
from collections.abc import Iterator
from urllib.parse import unquote

from search.scope import MARKING_FIELDS

FREE = {("GET", "/"), ("HEAD", "/")}
PIT = "_search/point_in_time"
READS = ("_search", "_msearch", "_count")


def index_kind(names: str) -> str | None:
    """'documents' or 'passages' when every index or alias in `names` (comma-separated) is one of
    Clew's of that kind ({prefix}-documents, {prefix}-case-x-passages-v3-g1, ...); else None."""
    kinds = {"passages" if "-passages" in n else "documents" if "-documents" in n else None
             for n in unquote(names).split(",")}
    return kinds.pop() if len(kinds) == 1 else None


def conjuncts(query: object) -> Iterator[dict]:
    """Every clause a hit of `query` must match."""
    if not isinstance(query, dict):
        return
    yield query
    inner: list = []
    if isinstance(query.get("bool"), dict):
        for key in ("filter", "must"):
            part = query["bool"].get(key) or []
            inner += part if isinstance(part, list) else [part]
    if isinstance(query.get("knn"), dict):
        inner += [spec.get("filter") for spec in query["knn"].values() if isinstance(spec, dict)]
    if isinstance(query.get("constant_score"), dict):
        inner.append(query["constant_score"].get("filter"))
    for clause in inner:
        yield from conjuncts(clause)


def aggregation_kinds(aggs: object) -> Iterator[str]:
    """The type of every aggregation in `aggs`, sub-aggregations included."""
    for spec in (aggs or {}).values() if isinstance(aggs, dict) else ():
        for key, value in spec.items():
            if key in ("aggs", "aggregations"):
                yield from aggregation_kinds(value)
            else:
                yield key


def body_problems(kind: str | None, body: object, where: str) -> list[str]:
    """Why `body`, sent to an index of `kind`, is not kept to a scope ([] when it is)."""
    if kind is None:
        return [f"{where}: reads an index that is neither documents nor passages"]
    if not isinstance(body, dict):
        return [f"{where}: no body, so nothing keeps it to a scope"]
    found = list(conjuncts(body.get("query")))
    problems = [f"{where}: no `terms` filter on {field} that every hit must match"
                for field in ("case_id", MARKING_FIELDS[kind])  # type: ignore[index]
                if not any(isinstance((c.get("terms") or {}).get(field), list) for c in found)]
    if "global" in aggregation_kinds(body.get("aggs", body.get("aggregations"))):
        problems.append(f"{where}: a global aggregation counts outside the query")
    return problems


class Guard:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.checked = 0  # bodies checked and passed
        self.pits: dict[str, str] = {}  # point in time -> the index it was opened on

    def check(self, method: str, url: str, body: object) -> list[str]:
        """Why this request must not be sent ([] when it may)."""
        path = url.split("?", 1)[0]
        where = f"{method} {path}"
        if (method, path) in FREE or PIT in path and (method != "POST" or index_kind(path.split("/")[1])):
            return []
        parts = [p for p in path.split("/") if p]
        if not parts or parts[-1] not in READS:
            return [f"{where}: search sends nothing but searches"]
        target = parts[0] if len(parts) == 2 else None
        if parts[-1] == "_msearch":
            text = body.decode() if isinstance(body, bytes) else body
            lines = [json.loads(line) for line in text.split("\n") if line.strip()] if isinstance(text, str) else text
            pairs = list(zip(lines[::2], lines[1::2], strict=True))
            found = [p for n, (head, one) in enumerate(pairs)
                     for p in body_problems(index_kind(head.get("index") or target or ""), one, f"{where} #{n}")]
            self.checked += len(pairs) - len(found)
            return found
        if target is None and isinstance(body, dict) and isinstance(body.get("pit"), dict):
            target = self.pits.get(body["pit"].get("id"), "")  # a search in a point in time names no index
        found = body_problems(index_kind(target or ""), body, where)
        self.checked += not found
        return found

    def wrap(self, client) -> None:
        """Check every request `client` sends; refuse (AssertionError) the ones that fail."""
        send = client.transport.perform_request

        def guarded(method, url, params=None, body=None, **kw):
            if problems := self.check(method, url, body):
                self.problems += problems
                raise AssertionError("unscoped request to OpenSearch: " + "; ".join(problems))
            answer = send(method, url, params=params, body=body, **kw)
            if method == "POST" and url.split("?", 1)[0].endswith(PIT) and isinstance(answer, dict):
                self.pits[answer.get("pit_id")] = url.split("/")[1]
            return answer

        client.transport.perform_request = guarded
