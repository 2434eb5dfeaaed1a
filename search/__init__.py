"""Search: the query language (querylang), request builders (build), retrieval and fusion (send,
fusion), views of documents, entities, graphs, timelines and calls (views), export, the HTTP API
(api) and the CLI.

    from search import parse, describe, QuerySyntaxError
"""

from search.errors import QuerySyntaxError, SearchError
from search.querylang import Query, describe, parse

__all__ = ["Query", "QuerySyntaxError", "SearchError", "describe", "parse"]
