"""`python -m actions.server --actions actions --port N`: rasa_sdk's action server that answers /webhook only to Rasa.

rasa_sdk's /webhook takes any request from anyone who can reach the port and knows a pseudonym. Rasa sends the
endpoint's token (endpoints.yml, ACTION_ENDPOINT_TOKEN) as a query parameter; a request without it is refused
before it reaches an action. /health stays open for the process supervisor.
"""

from __future__ import annotations

import hmac
import logging
import os


def check_token(expected: str):
    """A Sanic request middleware refusing /webhook calls that do not carry the token."""
    from sanic import response

    async def middleware(request):
        if request.path.rstrip("/").endswith("/webhook"):
            given = request.args.get("token") or ""
            if not hmac.compare_digest(given.encode(), expected.encode()):
                return response.json({"error": "forbidden"}, status=403)
        return None

    return middleware


def main() -> None:
    """rasa_sdk's own command line and logging, its app, and the token check."""
    from rasa_sdk import utils
    from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
    from rasa_sdk.endpoint import create_app, create_argument_parser

    args = create_argument_parser().parse_args()
    token = os.environ.get("ACTION_ENDPOINT_TOKEN") or ""
    if len(token.encode()) < 32 or token.startswith("#"):
        raise SystemExit("ACTION_ENDPOINT_TOKEN must be a random value of at least 32 bytes, the same one Rasa sends")
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file, args.loglevel,
                                 args.logging_config_file)
    utils.update_sanic_log_level()
    app = create_app(args.actions, cors_origins=None, auto_reload=False)
    app.register_middleware(check_token(token), "request")
    app.run(os.environ.get("SANIC_HOST", "127.0.0.1"), args.port, workers=1)


if __name__ == "__main__":
    main()
