"""`python -m rasa_server <rasa arguments>`: the `rasa` command, after `rasa_server.patch()`."""
import sys

from rasa_server import patch

if __name__ == "__main__":
    patch()
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    main()
