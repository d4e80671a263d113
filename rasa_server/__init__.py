"""Rasa 3.6's own command line with four performance fixes applied: `python -m rasa_server run ...`.

skops, with which Rasa saves and loads the logistic regression, lists the public numpy and scipy functions when it is
imported and looks for the module of each one without `__module__` in every module loaded so far. After Rasa's
imports (TensorFlow among them, about 5,600 modules) that takes 4.4 s of every start and every load of a model; as
the first import, 0.8 s (2026-12-06). `patch()` imports it first.

Rasa checks every answer of the action server with `jsonschema.validate(result, schema)`
(`RemoteAction._validate_action_result`). That call first validates the schema itself against the JSON Schema
meta-schema, on every call, although the schema never changes: 17 of the 18 ms the check takes here, and a message
runs two to four custom actions. `patch()` builds the validator once. The check itself is unchanged: an answer that
fails it goes through Rasa's own method, so the error, its message and what Rasa does next stay exactly as before.

Rasa's `LogisticRegressionClassifier` scores a message with scikit-learn's `X @ coef_.T`; with `coef_` in row order
(as it is loaded: 43 topics x 29,715 features) the transposed matrix is not contiguous, and scipy copies all of it
(about 10 MB) for every product. `patch()` keeps the loaded weights in column order, so that the transposed view is
contiguous and nothing is copied: the same numbers, the same rankings, 1.3 ms less CPU per message (Rasa's whole
parse of a message that brings its vector: 5.0 and 4.8 against 3.8 and 3.5 ms on the old Latvian held-out set,
two runs each, identical intent rankings, 2026-12-06).

Every turn the SQL tracker store reads the conversation's events and turns each into its class with
`Event.resolve_by_type`, which walks the subclasses of `Event` again for every event (26 recursive calls and 41
`inspect.isabstract` checks each) to find the one with that name: about 40 % of the tracker store's time under a
profiler, in conversations of about 90 events. `patch()` remembers the class found for each name (a name never found
still goes to Rasa's own method, with its default and its error; an event class imported later under a name already
found would not be seen — Rasa and this project define none): a turn's retrieve and save take 4.5-4.6 ms of CPU
against 6.9-7.1 before, in conversations of 10 to 25 turns (68 events read per turn on average;
`bench/tracker_store.py`, two runs each, 2026-12-06).

`run` with a model that has no TensorFlow component also starts without TensorFlow: see without_tensorflow.py. It
depends on the module layout of this Rasa version, which `patch()` checks right after it.

The Rasa server, the training and the NLU scoring of this project run through here; the stock baseline of the
benchmark runs plain `rasa`.
"""
from __future__ import annotations

import functools
from typing import Any

#: The Rasa version this fix was written and measured for; another version must be looked at again.
RASA_VERSION = "3.6.21"


def patch() -> None:
    """Import skops before Rasa; replace `RemoteAction._validate_action_result` with one that reuses a prebuilt
    validator; keep a loaded logistic regression's weights in column order; remember each event name's class."""
    import skops.io  # noqa: F401  (first: see above)

    import rasa
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    if rasa.__version__ != RASA_VERSION:
        raise RuntimeError(f"rasa_server was written for Rasa {RASA_VERSION}, this is {rasa.__version__}")
    if getattr(RemoteAction._validate_action_result, "prebuilt_validator", False):
        return
    _weights_in_column_order()
    _event_classes_remembered()
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, where stock Rasa does it on every call
    validator = cls(schema)
    stock = RemoteAction._validate_action_result

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        try:
            validator.validate(result)
        except ValidationError:
            return stock(self, result)  # raises the same error, with the same message, as stock Rasa
        return True

    _validate_action_result.prebuilt_validator = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]


def _weights_in_column_order() -> None:
    """`LogisticRegressionClassifier.load`, then its weights as a column-order copy (see above)."""
    import numpy as np
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

    stock = LogisticRegressionClassifier.load.__func__  # type: ignore[attr-defined]

    # Rasa validates a component's `load` by its signature and type hints: wraps() gives it stock's (training checks).
    @functools.wraps(stock)
    def load(cls: type[LogisticRegressionClassifier], *args: Any, **kwargs: Any) -> LogisticRegressionClassifier:
        component = stock(cls, *args, **kwargs)
        clf = getattr(component, "clf", None)
        if clf is not None and getattr(clf, "coef_", None) is not None:
            clf.coef_ = np.asfortranarray(clf.coef_)
        return component

    LogisticRegressionClassifier.load = classmethod(load)  # type: ignore[method-assign, assignment]


def _event_classes_remembered() -> None:
    """`Event.resolve_by_type`, remembering the class found for each event name (see above)."""
    from rasa.shared.core.events import Event

    stock = Event.resolve_by_type
    found: dict[str, type[Event]] = {}

    def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
        cls = found.get(type_name)
        if cls is None:
            cls = stock(type_name, default)  # an unknown name: Rasa's default, or its error
            if cls is not None and cls.type_name == type_name:
                found[type_name] = cls
        return cls

    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign, assignment]
