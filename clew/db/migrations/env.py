"""Alembic environment: runs on the connection Clew hands it, inside Clew's schema."""

from alembic import context

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, version_table_schema=config.attributes["schema"],
                  target_metadata=None, transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
