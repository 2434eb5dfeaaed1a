"""The UI tests run over the views' case (tests/search/conftest.py: OP-VIEW, and OP-OTHER, which
shares its people, numbers and words, so a page that leaks it shows up), under the API tests'
scope guard: every search the app sends must carry the scope's filters."""

from tests.search.api.conftest import only_scoped_searches, scope_guard  # noqa: F401 (fixtures)
