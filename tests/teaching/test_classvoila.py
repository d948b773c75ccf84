"""Voilà as the class server runs it (assessment.teaching.classvoila): closing pages and waiting kernels."""

from __future__ import annotations


def test_the_page_reads_its_xsrf_token_before_the_first_html():
    """Voilà's closing beacon sends the _xsrf cookie; reading handler.xsrf_token is what makes Tornado set it (tornado.web.RequestHandler.xsrf_token), so it must be read before the page's first piece is written."""
    import asyncio

    from assessment.teaching.classvoila import with_xsrf_cookie

    events = []

    class Handler:
        @property
        def xsrf_token(self):
            events.append("token")
            return b"t"

    async def page(self, path=None):
        events.append(f"html {path}")
        yield "<html>"
        events.append("more")
        yield "</html>"

    async def run():
        return [html async for html in with_xsrf_cookie(page)(Handler(), path="x")]

    assert asyncio.run(run()) == ["<html>", "</html>"]
    assert events == ["token", "html x", "more"]


def test_voila_page_handler_is_patched_once():
    """set_xsrf_cookie_on_page wraps VoilaHandler.get_generator once, however often it is called (voila 0.5 handler)."""
    from voila.handler import VoilaHandler

    from assessment.teaching.classvoila import set_xsrf_cookie_on_page

    original = VoilaHandler.get_generator
    try:
        set_xsrf_cookie_on_page()
        set_xsrf_cookie_on_page()
        assert VoilaHandler.get_generator.__wrapped__ is original
    finally:
        VoilaHandler.get_generator = original


def test_a_closing_request_connection_forgets_only_itself():
    """Voilà 0.5's on_close deletes the last-iterated waiter when the closing connection is not registered (voila/request_info_handler.py); the repair removes only the closing one, so another student's kernel keeps waiting."""
    from assessment.teaching.classvoila import forget_only_itself

    old, new, other = object(), object(), object()
    waiters = {"k1": new, "k2": other}  # k1 connected twice; its old connection closes
    forget_only_itself(waiters, old)
    assert waiters == {"k1": new, "k2": other}
    forget_only_itself(waiters, new)
    assert waiters == {"k2": other}


def test_voila_request_handler_is_repaired_once():
    """repair_request_waiters replaces RequestInfoSocketHandler.on_close once, and send_updates keeps a request it writes to a connected kernel, for a reconnect (voila 0.5 keeps it only for a kernel not connected)."""
    from voila.request_info_handler import RequestInfoSocketHandler

    from assessment.teaching.classvoila import repair_request_waiters

    original, send = RequestInfoSocketHandler.on_close, RequestInfoSocketHandler.send_updates
    try:
        repair_request_waiters()
        patched = RequestInfoSocketHandler.on_close
        repair_request_waiters()
        assert RequestInfoSocketHandler.on_close is patched is not original
        sent = []

        class Waiter:
            def write_message(self, payload):
                sent.append(payload)

        RequestInfoSocketHandler._waiters["k-test"] = Waiter()
        RequestInfoSocketHandler.send_updates({"kernel_id": "k-test", "payload": "{}"})
        del RequestInfoSocketHandler._waiters["k-test"]
        assert sent == ["{}"]  # written to the connected kernel ...
        assert RequestInfoSocketHandler._cache.pop("k-test") == "{}"  # ... and kept for a reconnect
    finally:
        RequestInfoSocketHandler.on_close = original
        RequestInfoSocketHandler.send_updates = send
