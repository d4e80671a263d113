"""Custom actions: thin, they ask `knowledge/` and leave the wording to the domain and `templates.yml`."""
