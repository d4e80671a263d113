"""Shared fixtures: a migrated and loaded knowledge base, the trained model, the running stack.

The process helpers live in harness/ (the benchmarks use them too); they are re-exported here for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.processes import (  # noqa: F401  (re-exported for the test modules)
    APP_PY, RASA_BIN, RASA_PY, ROOT, Stack, base_env, free_port, running_stack, start_actions, start_rasa,
    stop_processes, train_model, wait_for, wait_http,
)


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
