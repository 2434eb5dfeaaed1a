"""One global conftest: the real OpenSearch node and PostgreSQL, started once per run.

`CLEW_OPENSEARCH_URL` / `CLEW_DATABASE_URL` point the run at existing servers instead. Each test
that asks for `settings` gets its own index prefix and database schema, removed afterwards.
Tests that use the servers are marked `integration` automatically.
"""

import os
import shutil

import pytest

from clew.settings import Settings

SERVER_FIXTURES = {"servers", "settings", "os_client"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def servers() -> Settings:
    """Settings whose URLs point at running servers (managed ones are stopped at the end)."""
    from clew.services import opensearch, postgres

    base = Settings(instance=f"pytest-{os.getpid()}", opensearch_port=0, postgres_port=0)
    os_url = base.opensearch_url or opensearch.start(base)
    db_url = base.database_url or postgres.start(base)
    yield base.model_copy(update={"opensearch_url": os_url, "database_url": db_url})
    if not base.opensearch_url:
        opensearch.stop(base)
    if not base.database_url:
        postgres.stop(base)
    if not (base.opensearch_url or base.database_url):
        shutil.rmtree(base.instance_dir, ignore_errors=True)


@pytest.fixture
def settings(servers: Settings) -> Settings:
    """Per-test isolation: a fresh index prefix and schema (migrated), dropped afterwards."""
    from tests.scratch import scratch

    with scratch(servers) as s:
        yield s


@pytest.fixture
def os_client(settings: Settings):
    from clew.search_client import make_client

    return make_client(settings)
