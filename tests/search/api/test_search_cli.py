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
from clew.errors import ClewError
from app.cli import app
from app.serve import loopback
from search.cli import caret
from tests.search.api.callers import PURPOSE, account, audit_rows, last_seq, token_for
from tests.search.api.conftest import CASE

runner = CliRunner()


def env_for(s) -> dict[str, str]:
    return {"CLEW_OPENSEARCH_URL": s.opensearch_url, "CLEW_DATABASE_URL": s.database_url,
            "CLEW_INDEX_PREFIX": s.index_prefix, "CLEW_DATABASE_SCHEMA": s.database_schema, "COLUMNS": "200"}


WHY = ["--purpose", PURPOSE["Clew-Purpose"], "--case-ref", PURPOSE["Clew-Case-Ref"]]


@pytest.fixture(scope="module")
def token(api_case) -> str:
    s, _ = api_case
    return token_for(s, account(s, (CASE,))[0])


@pytest.fixture
def clew(api_case, token, monkeypatch):
    """Run `clew ...` in-process against OP-API, as an account granted it (CLEW_TOKEN), with a purpose."""
    s, _ = api_case
    for name, value in env_for(s).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CLEW_TOKEN", token)
    core_settings.get_settings.cache_clear()
    yield lambda *args: runner.invoke(app, [*args, *WHY])
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


def test_search_cli_acts_as_the_tokens_account_and_is_audited(clew, api_case, token, monkeypatch):
    s, _ = api_case
    before = last_seq(s)
    assert clew("search", "bribe", "--mode", "keyword").exit_code == 0
    [row] = audit_rows(s, before)
    assert (row.action, row.outcome, row.result_count, row.purpose, row.case_ref) == (
        "search", "ok", 1, PURPOSE["Clew-Purpose"], PURPOSE["Clew-Case-Ref"])
    assert row.detail["query"]["q"] == "bribe" and row.detail["cases"] == [CASE] and row.address.startswith("cli:")
    ungranted = token_for(s, account(s, ())[0])  # sees no case: finds nothing, and OP-API is not there
    monkeypatch.setenv("CLEW_TOKEN", ungranted)
    core_settings.get_settings.cache_clear()
    assert "0 results" in clew("search", "bribe", "--mode", "keyword").output
    assert clew("search", "bribe", "--case", CASE).exit_code == 2


@pytest.mark.parametrize(("token", "why", "says"), [
    (None, WHY, "CLEW_TOKEN is not set"),
    ("clew_0123456789ab_" + "A" * 43, WHY, "CLEW_TOKEN is not valid"),
    ("mine", [], "state the purpose of this access"),
    ("mine", ["--purpose", "checking"], "state the purpose"),
    ("mine", ["--purpose", PURPOSE["Clew-Purpose"]], "give the case or job reference"),
])
def test_search_cli_refuses_without_a_token_or_a_purpose_in_one_line(api_case, token, monkeypatch, why, says,
                                                                     request):
    s, _ = api_case
    for name, value in env_for(s).items():
        monkeypatch.setenv(name, value)
    if token == "mine":
        token = request.getfixturevalue("token")
    if token:
        monkeypatch.setenv("CLEW_TOKEN", token)
    else:
        monkeypatch.delenv("CLEW_TOKEN", raising=False)
    core_settings.get_settings.cache_clear()
    try:
        out = runner.invoke(app, ["search", "bribe", *why])
    finally:
        core_settings.get_settings.cache_clear()
    # in-process the error reaches us as the exception `clew` (app.cli.main) prints as one line
    assert isinstance(out.exception, ClewError) and says in out.exception.message, out.output
    assert out.exception.hint and "\n" not in out.exception.message + out.exception.hint


def test_search_cli_refusal_is_one_line(api_case):
    s, _ = api_case
    proc = clew_process("search", "bribe", env=env_for(s))
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 1 and out.startswith("error: ") and len(out.strip().splitlines()) == 1
    assert "CLEW_TOKEN is not set" in out and "clew users token NAME" in out


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


def test_search_cli_serve_wants_both_tls_files(tmp_path):
    cert = tmp_path / "cert.pem"
    cert.write_text("x")
    proc = clew_process("serve", "--tls-cert", str(cert), env={})
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "Traceback" not in out and "give --tls-cert and --tls-key together" in out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_search_cli_serve_answers_on_loopback(api_case, token):
    s, _ = api_case
    port = free_port()
    proc = clew_process("serve", "--port", str(port), "--workers", "2", env=env_for(s))
    try:
        deadline, resp = time.monotonic() + 120, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                resp = httpx.get(f"http://127.0.0.1:{port}/api/v1/live", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert resp is not None, proc.communicate(timeout=5)[0] if proc.poll() is not None else "no answer"
        assert resp.status_code == 200 and resp.json()["status"] == "ok"
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/health").status_code == 401
        auth = {"Authorization": f"Bearer {token}", **PURPOSE}
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/health", headers=auth).json()["status"] == "ok"
        found = httpx.get(f"http://127.0.0.1:{port}/api/v1/search", params={"q": "bribe", "mode": "keyword"},
                          headers=auth)
        assert found.json()["total"] == 1
        meaning = httpx.get(f"http://127.0.0.1:{port}/api/v1/search", params={"q": "a bribe", "mode": "semantic"},
                            headers=auth, timeout=120)
        assert meaning.status_code == 200 and meaning.json()["mode"] == "semantic"
        workers = __import__("psutil").Process(proc.pid).children(recursive=True)
        assert len([w for w in workers if "spawn_main" in " ".join(w.cmdline())]) == 2
        listening = {c.laddr.ip for c in __import__("psutil").Process(proc.pid).net_connections("tcp")
                     if c.status == "LISTEN"}
        assert listening == {"127.0.0.1"}
    finally:
        proc.terminate()
        proc.wait(timeout=30)

