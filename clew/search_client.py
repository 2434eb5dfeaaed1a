"""The one place an OpenSearch client is made: the configured URL, or the managed local node."""

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import TransportError

from clew.errors import ServiceError
from clew.services import opensearch as node
from clew.settings import Settings


def opensearch_url(s: Settings) -> str:
    url = s.opensearch_url or node.local_url(s)
    if not url:
        raise ServiceError("OpenSearch is not running",
                           "run `clew opensearch start`, or set CLEW_OPENSEARCH_URL to an existing cluster")
    return url


def hosts(url: str) -> list[str]:
    """The nodes named in a URL setting: one URL, or several separated by commas."""
    return [u.strip() for u in url.split(",") if u.strip()]


def make_client(s: Settings, timeout: float = 30.0) -> OpenSearch:
    """A client of every node the settings name. A node that does not answer (refused, reset) is
    passed over for the next one; a request is never sent again for a status (callers decide)."""
    nodes = hosts(opensearch_url(s))
    return OpenSearch(hosts=nodes, timeout=timeout, max_retries=len(nodes) - 1, retry_on_status=())


def cluster_status(s: Settings) -> dict:
    """Version, URL, plugins and health, or a ServiceError that says what to do."""
    url = opensearch_url(s)
    client = make_client(s, timeout=5)
    try:
        info = client.info()
        health = client.cluster.health()
        plugins = sorted({p["component"] for p in client.cat.plugins(format="json")})
        disks = client.cat.allocation(format="json", bytes="mb")
        blocks = client.cluster.state(metric="blocks")["blocks"].get("global", {})
    except (OSConnectionError, TransportError) as e:
        raise ServiceError(f"cannot reach OpenSearch at {url}: {type(e).__name__}",
                           "start it with `clew opensearch start` or fix CLEW_OPENSEARCH_URL") from None
    port = ", ".join(u.rsplit(":", 1)[-1].split("/")[0] for u in hosts(url))
    return {"url": url, "port": port, "version": info["version"]["number"], "cluster": info["cluster_name"],
            "status": health["status"], "nodes": health["number_of_nodes"], "plugins": plugins,
            "disk free": ", ".join(f"{d['node']}: {d['disk.avail']} MB ({100 - int(d['disk.percent'] or 0)}%)"
                                   for d in disks if d.get("disk.avail")),
            "blocks": ", ".join(sorted(b["description"] for b in blocks.values())) or "none"}
