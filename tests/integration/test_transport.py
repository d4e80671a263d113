"""The front door's aiohttp clients against a real HTTP server on loopback: for python-telegram-bot, what PTB's own httpx
backend sends (a form of JSON-encoded values; multipart with a file), its timeouts and errors; for Rasa, which
failures may have delivered the message."""

import asyncio
import json

import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import NetworkError, TimedOut

from bot.rasa_client import HttpPost, MaybeSent, NotSent
from bot.transport import AiohttpRequest

TOKEN = "123456:SECRET-token-never-in-an-error"


async def serve(handler):
    app = web.Application()
    app.router.add_post("/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}/bot"


def ok(result):
    return web.json_response({"ok": True, "result": result})


MESSAGE = {"message_id": 7, "date": 0, "chat": {"id": 42, "type": "private"}, "text": "Sveiki"}
ME = {"id": 123456, "is_bot": True, "first_name": "Ceļvedis", "username": "celvedis_test_bot"}


def test_a_message_with_buttons_and_a_document_reach_the_server_as_ptb_sends_them():
    seen = []

    async def handler(request):
        if request.path.endswith("/getMe"):
            return ok(ME)
        if request.content_type == "multipart/form-data":
            parts = {}
            async for part in await request.multipart():
                parts[part.name] = (part.filename, await part.read())
            seen.append((request.path, parts))
            return ok({**MESSAGE, "document": {"file_id": "f", "file_unique_id": "u"}})
        seen.append((request.path, dict(await request.post())))
        return ok(MESSAGE)

    async def go():
        runner, base = await serve(handler)
        try:
            async with Bot(TOKEN, base_url=base, request=AiohttpRequest()) as bot:
                sent = await bot.send_message(42, "Labdien, ā ē ī ū", reply_markup={
                    "inline_keyboard": [[{"text": "Pase", "callback_data": "x"}]]})
                assert sent.message_id == 7
                await bot.send_document(42, InputFile(b"%PDF-1.4 plan", filename="plans.pdf"))
        finally:
            await runner.cleanup()

    asyncio.run(go())
    (path, form), (doc_path, parts) = seen
    assert path.endswith("/sendMessage") and form["chat_id"] == "42" and form["text"] == "Labdien, ā ē ī ū"
    assert json.loads(form["reply_markup"]) == {"inline_keyboard": [[{"text": "Pase", "callback_data": "x"}]]}
    assert doc_path.endswith("/sendDocument") and parts["document"] == ("plans.pdf", b"%PDF-1.4 plan")
    assert parts["chat_id"] == (None, b"42")


def test_a_slow_server_is_a_timeout_and_a_closed_port_a_network_error_without_the_token():
    async def slow(request):
        await asyncio.sleep(0.8)
        return ok(MESSAGE)

    async def go():
        runner, base = await serve(slow)
        try:
            request = AiohttpRequest(read_timeout=0.2)
            await request.initialize()
            with pytest.raises(TimedOut):
                await request.post(f"{base}{TOKEN}/sendMessage", read_timeout=0.2)
            await request.shutdown()
        finally:
            await runner.cleanup()
        closed = base  # the server is gone: nothing listens on its port any more
        request = AiohttpRequest()
        await request.initialize()
        try:
            with pytest.raises(NetworkError) as err:
                await request.post(f"{closed}{TOKEN}/sendMessage")
            assert TOKEN not in str(err.value) and "SECRET" not in repr(err.value)
        finally:
            await request.shutdown()

    asyncio.run(go())


def test_an_error_status_is_telegrams_error():
    async def refuse(request):
        if request.path.endswith("/getMe"):
            return ok(ME)
        return web.json_response({"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
                                 status=400)

    async def go():
        runner, base = await serve(refuse)
        try:
            async with Bot(TOKEN, base_url=base, request=AiohttpRequest()) as bot:
                await bot.send_message(1, "x")
        finally:
            await runner.cleanup()

    with pytest.raises(Exception, match="Chat not found"):
        asyncio.run(go())


def test_rasa_posts_failures_are_told_apart_by_whether_the_message_may_have_arrived():
    """Refused: certainly not sent (the client fails over); a read timeout or a connection dropped mid-answer: maybe
    processed (never resent). The real aiohttp errors, on loopback."""
    async def handler(request):
        body = await request.json()
        if body["message"] == "slow":
            await asyncio.sleep(1)
        if body["message"] == "drop":
            request.transport.close()  # the connection dies after Rasa got the message
            await asyncio.sleep(0.5)
        return web.json_response([{"text": body["message"]}])

    async def go():
        runner, base = await serve(handler)
        url = base.removesuffix("/bot") + "/webhooks/rest/webhook"
        http = HttpPost(timeout=0.3)
        try:
            assert await http.post(url, {"message": "ok"}) == (200, b'[{"text": "ok"}]')
            with pytest.raises(MaybeSent, match="SocketTimeoutError|TimeoutError"):
                await http.post(url, {"message": "slow"})
            with pytest.raises(MaybeSent, match="ServerDisconnectedError|ClientOSError"):
                await http.post(url, {"message": "drop"})
        finally:
            await runner.cleanup()
        try:
            with pytest.raises(NotSent) as refused:
                await http.post(url, {"message": "ok"})  # nothing listens on the port any more
            assert not isinstance(refused.value, MaybeSent) and refused.value.reason == "ClientConnectorError"
        finally:
            await http.aclose()

    asyncio.run(go())
