"""Custom Rasa NLU components (imported by the Rasa server only)."""
