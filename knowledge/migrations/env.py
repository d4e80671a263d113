"""Alembic environment: runs migrations against the URL the caller configured."""

from alembic import context

from knowledge.db import database_url, engine
import personal.models  # noqa: F401  (the tables about a person share this database and its migrations)
import survey.models  # noqa: F401  (and so do the survey's anonymous counts)
from knowledge.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url") or database_url()

if context.is_offline_mode():
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connectable = config.attributes.get("connection")
    if connectable is None:
        with engine(url).connect() as connection:
            context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
    else:
        context.configure(connection=connectable, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
