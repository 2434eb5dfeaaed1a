"""Pure request builders: a typed request and a parsed query in, OpenSearch query DSL out.

    fields    where each query-language field lives in the documents and the passages index
    query     the query tree as a documents bool query, and the filters for the passages index
    keyword   BM25 over documents, with highlights (and facets in keyword mode)
    semantic  k-NN over passages with the filters inside the k-NN search; passages -> documents
    facets    the aggregations and their parsing
"""
