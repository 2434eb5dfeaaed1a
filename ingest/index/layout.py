"""One case's documents and passages indexes: create them, check their model, switch generations.

See `clew.indexes` for the names. The passages index records the model that embedded it in its
`_meta`; writing vectors from another model into it is refused, with the command that fixes it,
and so is writing into an index made from an older mapping version.
"""

from dataclasses import dataclass

from opensearchpy import OpenSearch

from clew import indexes
from clew.errors import ConfigError
from clew.settings import Settings
from ingest.index import MAPPING, PASSAGES


class StaleMapping(ConfigError):
    """The case's index was made from an older mapping version; `clew enrich` moves it over."""


def mapping_dimension() -> int:
    return indexes.load_mapping(PASSAGES)["mappings"]["properties"]["vector"]["dimension"]


@dataclass(frozen=True)
class CaseIndexes:
    prefix: str
    case_id: str
    model: str  # the embedder's label, 'all-MiniLM-L6-v2@384'
    shards: int = 1      # of each new index (CLEW_INDEX_SHARDS)
    replicas: int = 0    # (CLEW_INDEX_REPLICAS)

    @classmethod
    def of(cls, s: Settings, case_id: str, model: str) -> "CaseIndexes":
        """The case's indexes under the settings' prefix, made with their shards and replicas."""
        return cls(s.index_prefix, case_id, model, s.index_shards, s.index_replicas)

    @property
    def documents(self) -> indexes.Family:
        return indexes.Family(self.prefix, self.case_id, MAPPING, self.shards, self.replicas)

    @property
    def passages(self) -> indexes.Family:
        return indexes.Family(self.prefix, self.case_id, PASSAGES, self.shards, self.replicas)

    def read_aliases(self) -> tuple[list[str], list[str]]:
        return ([indexes.documents_read_alias(self.prefix)],
                [indexes.passages_read_alias(self.prefix, self.model)])

    def create(self, client: OpenSearch, generation: int) -> tuple[str, str]:
        """Generation `generation` of both indexes (no aliases yet); returns their names."""
        dimension = int(self.model.rsplit("@", 1)[1])
        if dimension != mapping_dimension():
            raise ConfigError(f"embedding model {self.model} makes {dimension}-d vectors; the passages "
                              f"mapping {PASSAGES.name} holds {mapping_dimension()}-d ones",
                              "add a passages mapping version for that size, or choose another model")
        meta = {"generation": generation}
        docs, passages = self.documents.index(generation), self.passages.index(generation)
        indexes.create(client, docs, self.documents.body(meta))
        indexes.create(client, passages, self.passages.body({**meta, "model": self.model}))
        return docs, passages

    def ensure(self, client: OpenSearch, generation: int) -> tuple[str, str]:
        """The write aliases of the case, creating generation `generation` when the case has no
        indexes yet. Refuses a case whose passages came from another embedding model."""
        docs_alias, passages_alias = self.documents.write_alias, self.passages.write_alias
        self.detach_legacy(client)
        if indexes.current(client, passages_alias) is None:
            docs, passages = self.create(client, generation)
            docs_read, passages_read = self.read_aliases()
            if indexes.current(client, docs_alias) is None:
                indexes.attach(client, docs, [docs_alias, *docs_read])
            indexes.attach(client, passages, [passages_alias, *passages_read])
        self.check_versions(client)
        self.check_model(client)
        return docs_alias, passages_alias

    def check_versions(self, client: OpenSearch) -> None:
        """Refuses to write into a case index made from an older mapping (a strict mapping would
        reject the new fields half-way through a batch); `clew enrich` rebuilds the case in the new one."""
        for family in (self.documents, self.passages):
            current = indexes.current(client, family.write_alias)
            if current and not current.startswith(family.versioned):
                raise StaleMapping(
                    f"case {self.case_id}'s {family.kind} index {current} was made from an older mapping; "
                    f"this Clew writes {family.mapping.name}",
                    f"run `clew enrich --case {self.case_id}` to rebuild the case's indexes, then ingest again")

    def detach_legacy(self, client: OpenSearch) -> None:
        """Before per-case indexes (ingest.v1), every case shared `p-documents-v1` behind the alias
        that is now the read alias of all cases; left there, its documents would show twice."""
        legacy, alias = indexes.index_name(self.prefix, "documents", 1), indexes.documents_read_alias(self.prefix)
        if client.indices.exists_alias(name=alias, index=legacy):
            client.indices.delete_alias(index=legacy, name=alias)

    def check_model(self, client: OpenSearch) -> None:
        current = indexes.current(client, self.passages.write_alias)
        made_by = indexes.meta(client, current).get("model") if current else None
        if made_by and made_by != self.model:
            raise ConfigError(
                f"case {self.case_id}'s passages were embedded with {made_by}, not {self.model}",
                f"run `clew enrich --case {self.case_id}` to re-embed them with {self.model}, "
                f"or set CLEW_NLP_EMBEDDING_MODEL back to {made_by.rsplit('@', 1)[0]}")

    def switch(self, client: OpenSearch, generation: int) -> list[str]:
        """Point every alias of the case at generation `generation`, in one atomic request;
        returns the indexes that were current before (for the caller to delete)."""
        moves, old_indexes = [], []
        for family, read in zip((self.documents, self.passages), self.read_aliases()):
            old = indexes.current(client, family.write_alias)
            if old == family.index(generation):   # switched already (a run stopped just after)
                continue
            old_read = indexes.aliases_of(client, old) if old else []
            moves.append((old, family.index(generation), old_read, [family.write_alias, *read]))
            old_indexes += [old] if old else []
        if moves:
            indexes.switch(client, moves)
        return old_indexes
