"""Local, loopback-only OpenSearch and PostgreSQL that Clew fetches and runs itself."""
