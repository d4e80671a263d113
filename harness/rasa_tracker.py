"""Rasa 3.6's SQL tracker store table (rasa/core/tracker_store.py, SQLTrackerStore.SQLEvent), for tests and benchmarks
that need a tracker without starting Rasa."""

EVENTS_TABLE = (
    "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL, "
    "timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)",
    "CREATE INDEX ix_events_sender_id ON events (sender_id)",
)
