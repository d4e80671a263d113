"""Serving a model that has no TensorFlow component without importing TensorFlow.

Rasa 3.6 imports TensorFlow on every start, whatever the model: `rasa.core.actions.action` imports the policies'
featurizers, they import `rasa.utils.train_utils`, and that imports the Keras training callbacks. TensorFlow alone is
425 MB resident; this project's model (logistic regression on e5 vectors, rules and memoization) never calls it.
Before Rasa is imported, `apply()` puts a placeholder in `sys.modules` for each Rasa module that imports TensorFlow
when imported: the classes a model could use from them are there by name, so Rasa's imports and its checks
(`issubclass`, the recipe's lists of components) work, and creating one raises an error that says why. It is applied
only to `run` with a model file none of whose graph nodes uses those classes (`needs_tensorflow`) and to `train` with
a config that names none of them (`config_needs_tensorflow`), so a DIET or TED model (the benchmark's stock model
served through here) still gets the real modules. Measured 2026-12-06 on this machine, one run each: in
`bench.load --configs ours`, Rasa ready 5.1 -> 3.8 s after launch and 599 -> 253 MB resident when idle; training from
scratch (the e5 vectors remembered, no Rasa cache) 105 -> 102 s, peak 1,380 -> 1,033 MB, the same model figures.
"""
from __future__ import annotations

import json
import sys
import tarfile
import types
from pathlib import Path

import yaml

#: The Rasa modules that import TensorFlow when imported, and the names other modules import from them.
MODULES: dict[str, tuple[str, ...]] = {
    "rasa.utils.tensorflow.callback": ("RasaTrainingLogger", "RasaModelCheckpoint"),
    "rasa.utils.tensorflow.data_generator": ("RasaBatchDataGenerator", "RasaDataGenerator"),
    "rasa.nlu.classifiers.diet_classifier": ("DIETClassifier",),
    "rasa.nlu.selectors.response_selector": ("ResponseSelector",),
    "rasa.nlu.featurizers.dense_featurizer.lm_featurizer": ("LanguageModelFeaturizer",),
    "rasa.nlu.featurizers.dense_featurizer.convert_featurizer": ("ConveRTFeaturizer",),
    "rasa.core.policies.ted_policy": ("TEDPolicy",),
    "rasa.core.policies.unexpected_intent_policy": ("UnexpecTEDIntentPolicy",),
}


class NotLoaded:
    """What the placeholders hold: a class that cannot be created."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise RuntimeError(f"{type(self).__name__} needs TensorFlow, which rasa_server did not load for this model")


def components(model: Path) -> set[str]:
    """The classes the graph nodes of a trained model use (its metadata.json; Rasa is not imported)."""
    with tarfile.open(model, "r:gz") as archive:
        for member in archive:
            if member.name.lstrip("/") == "metadata.json":
                metadata = json.load(archive.extractfile(member))  # type: ignore[arg-type]
                return {node["uses"] for schema in ("train_schema", "predict_schema")
                        for node in metadata[schema]["nodes"].values()}
    raise ValueError(f"{model}: no metadata.json, not a Rasa 3 model")


def config_needs_tensorflow(config: Path) -> bool:
    """True unless the Rasa config names a pipeline and policies none of which is a class of MODULES (with no pipeline
    or no policies Rasa chooses DIET and TED itself)."""
    data = yaml.load(config.read_text(encoding="utf-8"), yaml.CSafeLoader) or {}
    if not data.get("pipeline") or not data.get("policies"):
        return True
    named = {item["name"].rpartition(".")[2] for key in ("pipeline", "policies") for item in data[key]}
    return bool(named & {cls for classes in MODULES.values() for cls in classes})


def needs_tensorflow(model: Path) -> bool:
    """True unless `model` is a model file whose graph uses no class of MODULES."""
    if not model.is_file():
        return True  # a directory: Rasa picks the model itself, so nothing is assumed
    return any(uses.rpartition(".")[0] in MODULES for uses in components(model))


def apply() -> None:
    """The placeholders into sys.modules; before anything imports Rasa."""
    if any(name in sys.modules for name in ("rasa", *MODULES)):
        raise RuntimeError("rasa_server.without_tensorflow.apply() must run before Rasa is imported")
    for name, classes in MODULES.items():
        module = types.ModuleType(name, "A placeholder of rasa_server.without_tensorflow: TensorFlow is not loaded.")
        for cls in classes:
            setattr(module, cls, type(cls, (NotLoaded,), {"__module__": name}))
        sys.modules[name] = module


def argument(argv: list[str], long: str, short: str) -> Path | None:
    """The value of an option (`--model`, `-m`) in a Rasa command line."""
    for i, arg in enumerate(argv):
        if arg in (long, short) and i + 1 < len(argv):
            return Path(argv[i + 1])
        if arg.startswith(long + "="):
            return Path(arg.split("=", 1)[1])
    return None


def wanted(argv: list[str]) -> bool:
    """Whether this Rasa command line can do without TensorFlow: `run` with a model file that has no TensorFlow
    component, or `train` with a config that names none."""
    if argv[:1] == ["run"]:
        model = argument(argv, "--model", "-m")
        return model is not None and not needs_tensorflow(model)
    if argv[:1] == ["train"]:
        return not config_needs_tensorflow(argument(argv, "--config", "-c") or Path("config.yml"))
    return False
