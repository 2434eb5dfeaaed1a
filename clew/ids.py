"""Deterministic ids: the same content in the same case always gets the same id."""

import hashlib


def _h(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def document_id(case_id: str, sha256: str, path_in_parent: str = "", parent_id: str | None = None) -> str:
    """Top-level files: case + content. Children: also their parent and name, since one attachment
    can be sent twice and each copy belongs to its own email."""
    return _h("doc", case_id, sha256, parent_id or "", path_in_parent if parent_id else "")[:40]


def call_id(document_id: str, ordinal: int) -> str:
    return _h("call", document_id, str(ordinal))[:40]


def passage_id(document_id: str, ordinal: int, model: str) -> str:
    return _h("passage", document_id, str(ordinal), model)[:40]


def entity_id(case_id: str, label: str, value: str) -> str:
    """One normalised entity per case: every mention of +447700900123 in the case shares it."""
    return _h("entity", case_id, label, value)[:40]
