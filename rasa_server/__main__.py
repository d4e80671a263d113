"""`python -m rasa_server <rasa arguments>`: the `rasa` command, after `rasa_server.patch()`; `run` with a model that
has no TensorFlow component starts without TensorFlow (rasa_server/without_tensorflow.py).

`run` always gets deploy/rasa-logging.yml unless another logging config is given: Rasa's REST channel logs the
person's message text when a request fails or is abandoned, and that logger is silenced there. Every way of
starting Rasa in this project goes through here, so none can forget it."""
import sys
from pathlib import Path

from rasa_server import patch, without_tensorflow

LOGGING = Path(__file__).resolve().parent.parent / "deploy" / "rasa-logging.yml"


def with_logging_config(argv: list[str]) -> list[str]:
    """The arguments, with the logging config added to `run` when none is given."""
    if argv[:1] == ["run"] and not any(a.startswith("--logging-config-file") for a in argv):
        return [*argv, "--logging-config-file", str(LOGGING)]
    return argv


if __name__ == "__main__":
    model = without_tensorflow.model_argument(sys.argv[1:])
    if sys.argv[1:2] == ["run"] and model is not None and not without_tensorflow.needs_tensorflow(model):
        without_tensorflow.apply()
    patch()
    from rasa.__main__ import main

    sys.argv = ["rasa", *with_logging_config(sys.argv[1:])]
    main()
