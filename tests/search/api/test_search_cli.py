"""`clew search` over the ingested OP-API case (in-process, typer's CliRunner), its one-line syntax
errors with a caret, and `clew serve` as a real process: loopback only, health answering."""

import json
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from typer.testing import CliRunner

from clew import settings as core_settings
from app.cli import app
from search.cli import caret, loopback
from tests.search.api.conftest import CASE

runner = CliRunner()


def env_for(s) -> dict[str, str]:
    return {"CLEW_OPENSEARCH_URL": s.opensearch_url, "CLEW_DATABASE_URL": s.database_url,
            "CLEW_INDEX_PREFIX": s.index_prefix, "CLEW_DATABASE_SCHEMA": s.database_schema, "COLUMNS": "200"}


@pytest.fixture
def clew(api_case, monkeypatch):
    """Run `clew ...` in-process against OP-API."""
    s, _ = api_case
    for name, value in env_for(s).items():
        monkeypatch.setenv(name, value)
    core_settings.get_settings.cache_clear()
    yield lambda *args: runner.invoke(app, list(args))
    core_settings.get_settings.cache_clear()


def test_search_cli_keyword_table(clew):
    out = clew("search", "bribe", "--mode", "keyword")
    assert out.exit_code == 0, out.output
    assert "1 results (keyword" in out.output
    for expected in ("bribe.txt", CASE, "terms: bribe", "keyword #1", "offered a bribe"):
        assert expected in out.output, out.output


@pytest.mark.parametrize("mode", ["semantic", "hybrid"])
def test_search_cli_semantic_and_hybrid_say_why(clew, mode):
    out = clew("search", "a ship sailed out of the port", "--mode", mode, "--size", "3")
    assert out.exit_code == 0, out.output
    assert f"({mode}," in out.output and "boat.txt" in out.output and "semantic #1 (0." in out.output


def test_search_cli_json(clew):
    out = clew("search", "council", "--mode", "keyword", "--json", "--case", CASE, "-n", "2")
    assert out.exit_code == 0, out.output
    body = json.loads(out.output)
    assert body["mode"] == "keyword" and len(body["hits"]) == 2 and body["total"] >= 3
    assert all(h["document"]["case_id"] == CASE for h in body["hits"])


def test_search_cli_unknown_case(clew):
    out = clew("search", "council", "--case", "OP-NOPE")
    assert out.exit_code == 2 and "no case 'OP-NOPE'" in out.output


@pytest.mark.parametrize(("query", "position"), [('fraud "bribe', 6), ("fraud AND", 6), ("(van", 0)])
def test_search_cli_syntax_error_is_one_line_and_a_caret(query, position):
    out = runner.invoke(app, ["search", query])  # before any server is asked
    assert out.exit_code == 2
    lines = out.output.rstrip("\n").split("\n")
    assert len(lines) == 3 and lines[0].startswith("error: ")
    assert lines[1] == "  " + query and lines[2] == "  " + " " * position + "^"


def test_search_cli_caret_keeps_its_column():
    assert caret("a\tb\nc", 4) == "  a b c\n      ^"
    assert caret("abc", 99).endswith("   ^") and caret("abc", -1).endswith("  ^")


@pytest.mark.parametrize(("host", "ok"), [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                          ("0.0.0.0", False), ("192.168.1.5", False), ("::", False),
                                          ("example.org", False), ("", False)])
def test_search_cli_serve_loopback_only(host, ok):
    assert loopback(host) is ok


def clew_process(*args: str, env: dict[str, str], **kw) -> subprocess.Popen:
    full = {k: v for k, v in os.environ.items() if not k.startswith("CLEW_")} | env
    return subprocess.Popen([sys.executable, "-m", "app", *args], env=full, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, **kw)


@pytest.mark.parametrize("args,env", [(("serve", "--host", "0.0.0.0"), {}),
                                      (("serve",), {"CLEW_SEARCH_HOST": "10.1.2.3"})])
def test_search_cli_serve_refuses_other_hosts(args, env):
    proc = clew_process(*args, env=env)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "Traceback" not in out
    assert "only listens on this machine (127.0.0.1) until accounts exist" in out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_search_cli_serve_answers_on_loopback(api_case):
    s, _ = api_case
    port = free_port()
    proc = clew_process("serve", "--port", str(port), "--workers", "2", env=env_for(s))
    try:
        deadline, resp = time.monotonic() + 120, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                resp = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert resp is not None, proc.communicate(timeout=5)[0] if proc.poll() is not None else "no answer"
        assert resp.status_code == 200 and resp.json()["status"] == "ok"
        found = httpx.get(f"http://127.0.0.1:{port}/api/v1/search", params={"q": "bribe", "mode": "keyword"})
        assert found.json()["total"] == 1
        meaning = httpx.get(f"http://127.0.0.1:{port}/api/v1/search", params={"q": "a bribe", "mode": "semantic"},
                            timeout=120)
        assert meaning.status_code == 200 and meaning.json()["mode"] == "semantic"
        workers = __import__("psutil").Process(proc.pid).children(recursive=True)
        assert len([w for w in workers if "spawn_main" in " ".join(w.cmdline())]) == 2
        listening = {c.laddr.ip for c in __import__("psutil").Process(proc.pid).net_connections("tcp")
                     if c.status == "LISTEN"}
        assert listening == {"127.0.0.1"}
    finally:
        proc.terminate()
        proc.wait(timeout=30)

