"""Clew: self-hosted investigative analytics over OpenSearch and PostgreSQL."""

__version__ = "0.1.0"
