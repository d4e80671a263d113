"""Shared fixtures: a migrated and loaded knowledge base, the trained model, the running stack.

The process helpers live in harness/ (the benchmarks use them too); they are re-exported here for the tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.processes import (  # noqa: F401  (re-exported for the test modules)
    APP_PY, RASA_BIN, RASA_PY, ROOT, Stack, base_env, free_port, running_stack, start_actions, start_rasa,
    stop_processes, train_model, wait_for, wait_http,
)


def pytest_configure(config):
    """Under pytest-xdist, each worker gets a PostgreSQL database of its own on the server scripts/test.sh starts: the
    knowledge-base, verification and person-data tests drop and rebuild the tables of the database TEST_PG_URL names,
    and two workers must not do that to each other."""
    worker, url = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("TEST_PG_URL")
    if worker and url:
        from sqlalchemy import create_engine, make_url, text
        from sqlalchemy.exc import OperationalError

        own = make_url(url).set(database=f"{make_url(url).database}_{worker}")
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as c:
                if not c.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": own.database}).scalar():
                    c.execute(text(f'CREATE DATABASE "{own.database}"'))
        except OperationalError:  # no server there: the tests that need it say so themselves
            return
        finally:
            admin.dispose()
        os.environ["TEST_PG_URL"] = own.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def kb_url(tmp_path_factory) -> str:
    """A real SQLite knowledge base: migrations applied, the repository's data files loaded."""
    from knowledge import loader, migrate

    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'knowledge.sqlite'}"
    migrate.upgrade(url)
    loader.load(url)
    return url


@pytest.fixture(scope="session")
def model() -> Path:
    """The trained model (trained now only if data or config changed since the last one)."""
    return train_model()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, kb_url, model) -> Stack:
    """Action server + Rasa on free loopback ports, with their own tracker and knowledge base."""
    with running_stack(tmp_path_factory.mktemp("state"), kb_url, model) as running:
        yield running
