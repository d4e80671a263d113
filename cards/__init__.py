"""Cards: knowledge-base records turned into message text and the plan into a PDF, with the labels in templates.yml.
Shared by the action server and the front door (which answers by itself when Rasa is down)."""
