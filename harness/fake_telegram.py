"""A fake Telegram Bot API server on loopback, behaving like the real one for the methods the bot uses.

It rejects messages over 4096 characters and text with malformed entities for the parse mode, answers 429 with
`retry_after` when one chat gets messages faster than Telegram allows, and can fail or hang a method on demand.
Tests push updates in and read what the bot sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

LIMIT = 4096
PER_CHAT_PER_SECOND = 5  # Telegram: about one message a second per chat, with short bursts allowed


def _decode(content_type: str, body: bytes) -> dict:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(body)
    if content_type.startswith("multipart/form-data"):
        boundary = content_type.split("boundary=")[1].encode()
        out = {}
        for part in body.split(b"--" + boundary):
            head, _, value = part.partition(b"\r\n\r\n")
            if b'name="' not in head:
                continue
            name = head.split(b'name="')[1].split(b'"')[0].decode()
            out[name] = value.rstrip(b"\r\n") if b"filename=" in head else value.rstrip(b"\r\n").decode()
        return {k: _json_or_str(v) if isinstance(v, str) else v for k, v in out.items()}
    return {k: _json_or_str(v[0]) for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}


def _json_or_str(v: str):
    try:
        return json.loads(v)
    except ValueError:
        return v


def _html_ok(text: str) -> bool:
    stack = []
    i = 0
    while (i := text.find("<", i)) != -1:
        j = text.find(">", i)
        if j == -1:
            return False
        tag = text[i + 1 : j].split()[0] if text[i + 1 : j].split() else ""
        if tag.startswith("/"):
            if not stack or stack.pop() != tag[1:]:
                return False
        else:
            stack.append(tag)
        i = j + 1
    return not stack


class FakeTelegram:
    """Start with `start()`, give the bot `base_url`, push updates with `message()`/`callback()`."""

    def __init__(self, token: str = "123456:TEST-TOKEN"):
        self.token = token
        self.updates: list[dict] = []
        self.sent: list[dict] = []  # every successful sendMessage / sendDocument, in order
        self.calls: list[str] = []
        self.fail: dict[str, str] = {}  # method -> "error" | "hang" | "blip" (fails once)
        self.too_many = 0  # how many 429 answers were given
        self.acked = 0  # highest update_id the bot has confirmed (getUpdates offset - 1)
        self._next_update = 1
        self._next_message = 1
        self._times: dict[int, deque] = defaultdict(deque)
        self._cv = threading.Condition()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler(), bind_and_activate=False)
        self.server.request_queue_size = 256  # Telegram takes a burst of connections; the default backlog of 5 resets them
        self.server.server_bind()
        self.server.server_activate()
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # a client that hung up mid-answer is not news

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "FakeTelegram":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- what a test does -------------------------------------------------------------------------------------
    def push(self, update: dict) -> int:
        """Queue a raw update (update_id is set unless given); returns its update_id."""
        with self._cv:
            if "update_id" not in update:
                update["update_id"] = self._next_update
            self._next_update = max(self._next_update, update["update_id"]) + 1
            self.updates.append(update)
            self._cv.notify_all()
            return update["update_id"]

    def message(self, user_id: int, text: str | None = None, **extra) -> int:
        """A private-chat message from a user; '/...' text gets a bot_command entity like Telegram adds."""
        msg = {"message_id": self._msg_id(), "date": int(time.time()), "chat": {"id": user_id, "type": "private"},
               "from": {"id": user_id, "is_bot": False, "first_name": "Test", "language_code": "lv"}}
        if text is not None:
            msg["text"] = text
            if text.startswith("/"):
                msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        msg.update(extra)
        return self.push({"message": msg})

    def callback(self, user_id: int, data: str) -> int:
        """A press on an inline button with the given callback data."""
        return self.push({"callback_query": {
            "id": str(self._msg_id()), "chat_instance": "1", "data": data,
            "from": {"id": user_id, "is_bot": False, "first_name": "Test"},
            "message": {"message_id": self._msg_id(), "date": int(time.time()), "chat": {"id": user_id, "type": "private"},
                        "from": {"id": 1, "is_bot": True, "first_name": "Bot"}, "text": "..."},
        }})

    def texts(self, chat_id: int) -> list[str]:
        return [m.get("text", "") for m in self.sent if m["chat_id"] == chat_id]

    def wait_for(self, predicate, timeout: float = 30.0) -> bool:
        """Wait until predicate(self) is true."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._cv:
                if predicate(self):
                    return True
                self._cv.wait(0.05)
        return predicate(self)

    def _msg_id(self) -> int:
        self._next_message += 1
        return self._next_message

    # --- the Bot API --------------------------------------------------------------------------------------------
    def _api(self, method: str, params: dict) -> tuple[int, dict]:
        self.calls.append(method)
        mode = self.fail.get(method)
        if mode == "hang":
            time.sleep(60)
        if mode == "error":
            return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}
        if mode == "blip":  # one failure (a network blip on the way), then the method works again
            del self.fail[method]
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        if method == "getMe":
            return 200, {"ok": True, "result": {"id": 1, "is_bot": True, "first_name": "Celvedis", "username": "celvedis_bot",
                                                "can_join_groups": False, "can_read_all_group_messages": False,
                                                "supports_inline_queries": False}}
        if method in ("deleteWebhook", "setWebhook", "setMyCommands", "answerCallbackQuery", "close", "logOut"):
            return 200, {"ok": True, "result": True}
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            timeout = min(float(params.get("timeout") or 0), 1.0)
            with self._cv:
                self.acked = max(self.acked, offset - 1)
                self._cv.notify_all()
                self._cv.wait_for(lambda: any(u["update_id"] >= offset for u in self.updates), timeout=timeout)
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                return 200, {"ok": True, "result": list(self.updates[:100])}
        if method in ("sendMessage", "sendDocument"):
            chat_id = int(params["chat_id"])
            text = params.get("text", "")
            if method == "sendMessage" and not str(text).strip():
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
            if len(str(text)) > LIMIT:
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"}
            if params.get("parse_mode") == "HTML" and not _html_ok(str(text)):
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: can't parse entities"}
            now = time.monotonic()
            times = self._times[chat_id]
            while times and now - times[0] > 1.0:
                times.popleft()
            if len(times) >= PER_CHAT_PER_SECOND:
                self.too_many += 1
                return 429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                             "parameters": {"retry_after": 1}}
            times.append(now)
            message = {"message_id": self._msg_id(), "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
                       "from": {"id": 1, "is_bot": True, "first_name": "Celvedis"}}
            if method == "sendMessage":
                message["text"] = text
            else:
                message["document"] = {"file_id": "f1", "file_unique_id": "u1", "file_name": "checklist.pdf"}
            with self._cv:
                self.sent.append({"method": method, "chat_id": chat_id, "text": text,
                                  "reply_markup": params.get("reply_markup"), "document": params.get("document")})
                self._cv.notify_all()
            return 200, {"ok": True, "result": message}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as Telegram does: a new connection per call is not the bot's cost

            def log_message(self, *args):  # keep test output clean
                pass

            def _serve(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))  # all of it: the connection goes on
                parts = self.path.split("/")
                if len(parts) < 3 or parts[1] != f"bot{fake.token}":
                    self._send(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                    return
                status, payload = fake._api(parts[2], _decode(self.headers.get("Content-Type", ""), body))
                self._send(status, payload)

            def _send(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

        return Handler
