"""Search: the investigator query language (querylang), and later the query builder and service.

    from search import parse, describe, QuerySyntaxError
"""

from search.errors import QuerySyntaxError, SearchError
from search.querylang import Query, describe, parse

__all__ = ["Query", "QuerySyntaxError", "SearchError", "describe", "parse"]
