"""Ingest: case files of every common format into PostgreSQL (source of truth) and OpenSearch."""
