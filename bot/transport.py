"""The front door's HTTP client: aiohttp, for the Telegram Bot API (python-telegram-bot's `BaseRequest`, the interface
it offers for another HTTP library) and for Rasa.

Why not PTB's own httpx backend: at 20 concurrent users httpx spent 1.7 ms of CPU per request on loopback and aiohttp
0.1 ms (the same JSON POST, 20 concurrent tasks, 2026-12-07); every answered message costs the front door about five
requests (the update, the call to Rasa, one per message of the answer), on a machine whose two cores Rasa also needs.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """PTB's requests over one aiohttp session. Timeouts as PTB's defaults for HTTPXRequest: 5 s to connect, to
    read and to write, 20 s to write a file, 1 s to wait for a free connection of `connection_pool_size`."""

    def __init__(self, connection_pool_size: int = 256, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, media_write_timeout: float | None = 20.0):
        self._pool_size = connection_pool_size
        self._read, self._write, self._connect = read_timeout, write_timeout, connect_timeout
        self._pool, self._media = pool_timeout, media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (PTB adds the long-polling timeout to it for getUpdates)."""
        return self._read

    async def initialize(self) -> None:
        """One session and connection pool for the request object's life."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self._pool_size),
                                                  headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        """Close the pool."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One call: the parameters as a form (JSON-encoded values, as PTB's own backend sends them), or multipart
        when a file goes with them. Timeouts become TimedOut, other client errors NetworkError (with the error's
        class name only: an aiohttp error's text can carry the URL, which carries the bot token)."""
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data is not None else None
        body: Any = request_data.json_parameters if request_data is not None else None
        if files:
            form = aiohttp.FormData()
            for name, value in (body or {}).items():
                form.add_field(name, value)
            for name, part in files.items():
                filename, content, *mime = part
                form.add_field(name, content, filename=filename, content_type=mime[0] if mime else None)
            body = form
        default = BaseRequest.DEFAULT_NONE  # "not given", as PTB's BaseRequest documents it
        read = self._read if read_timeout is default else read_timeout
        connect = self._connect if connect_timeout is default else connect_timeout
        pool = self._pool if pool_timeout is default else pool_timeout
        write = (self._media if files else self._write) if write_timeout is default else write_timeout
        # aiohttp has no separate write timeout: the whole call may take connect + write + read.
        total = None if None in (read, connect, write) else float(read or 0) + float(connect or 0) + float(write or 0)
        timeout = aiohttp.ClientTimeout(total=total, connect=pool if pool is None else float(pool) + float(connect or 0),
                                        sock_connect=connect, sock_read=read)
        try:
            async with self._session.request(method, url, data=body, timeout=timeout) as resp:
                return resp.status, await resp.read()
        except asyncio.TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}") from err
