"""The class page's wait for its student's request (assessment.teaching.classpage)."""

from __future__ import annotations

import asyncio
import json
import os
import threading

import websockets

from assessment.teaching.classpage import _wait_for_request


def test_a_waiting_kernel_connects_afresh_and_finds_its_request(monkeypatch):
    """A pre-started kernel whose first connection never gets its request (Voilà forgot the waiter) connects again after `recheck` seconds and then receives it, as Voilà's server does for a kernel that connects after the request (request_info_handler.open sends the kept request)."""
    connections = []
    ready = threading.Event()
    stop = threading.Event()
    port = []

    async def handler(ws, *_):
        connections.append(ws.request.path if hasattr(ws, "request") else "")
        if len(connections) == 1:  # the forgotten waiter: nothing ever arrives
            await ws.wait_closed()
            return
        await ws.send(json.dumps({"QUERY_STRING": "lang=nl"}))

    async def serve():
        async with websockets.serve(handler, "127.0.0.1", 0) as server:
            port.append(next(iter(server.sockets)).getsockname()[1])
            ready.set()
            while not stop.is_set():
                await asyncio.sleep(0.05)

    thread = threading.Thread(target=lambda: asyncio.run(serve()), daemon=True)
    thread.start()
    ready.wait(10)
    for key, value in {"VOILA_PREHEAT": "True", "VOILA_APP_IP": "127.0.0.1",
                       "VOILA_APP_PORT": str(port[0]), "VOILA_SERVER_URL": "/",
                       "VOILA_KERNEL_ID": "k-1", "QUERY_STRING": ""}.items():
        monkeypatch.setenv(key, value)
    waiting = threading.Thread(target=_wait_for_request, kwargs={"patience": 20, "recheck": 0.5},
                               daemon=True)
    try:
        waiting.start()
        waiting.join(15)
        assert not waiting.is_alive(), "the kernel still waits on its first connection"
    finally:
        stop.set()
        thread.join(5)
    assert os.environ["QUERY_STRING"] == "lang=nl"
    assert len(connections) == 2
    assert connections[1] == "/voila/query/k-1"
