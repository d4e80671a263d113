"""Crisis: what the front door answers with 112 / 113 / 116123 before anything else.

Two signals: explicit statements, caught by the reviewable patterns in crisis/patterns.yml (crisis.detect), and a
statistical second signal on e5 sentence vectors (crisis.model) for what is said around it. Both Rasa's `crisis`
intent (nlu_components/crisis.py) and the front door use these same two, so they always agree.
"""
