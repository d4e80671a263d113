"""`python -m rasa_server <rasa arguments>`: the `rasa` command, after `rasa_server.patch()`; `run` and `train` start
without TensorFlow when the model or the config has no TensorFlow component (rasa_server/without_tensorflow.py).

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
    if without_tensorflow.wanted(sys.argv[1:]):
        without_tensorflow.apply()
    patch()
    from rasa.__main__ import main

    sys.argv = ["rasa", *with_logging_config(sys.argv[1:])]
    main()
