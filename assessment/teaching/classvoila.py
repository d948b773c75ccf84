"""Voilà for a class session: the page sets the ``_xsrf`` cookie its closing request needs.

When a student closes or leaves the page, Voilà's page sends
``POST /voila/api/shutdown/<kernel>`` (a beacon on ``beforeunload``) with the value of the
browser's ``_xsrf`` cookie. Voilà 0.5 never sets that cookie (the page is rendered
without touching Tornado's ``xsrf_token``, and a pre-started kernel's page is rendered
before any request), so the server refused the request with "403: '_xsrf' argument
missing from POST" and the student's kernel ran on until it was culled. Here the page
request asks Tornado for its token, which sets the cookie; the closing request then
passes Tornado's ordinary cookie-and-form check and stops the kernel at once. XSRF
protection stays on.

``assess class serve`` runs ``python -m assessment.teaching.classvoila ARGS``, which
takes Voilà's own arguments.

A second repair concerns the pre-started kernels' wait for their student's request
(``voila/query/<kernel>``): when one of those connections closes, Voilà 0.5's
``RequestInfoSocketHandler.on_close`` deletes the *last* registered waiter if the closing
connection is no longer registered (a kernel that connected twice on a busy server), so
another kernel waiting for a student is forgotten and that student's page never
appears. Here a closing connection only removes itself, and every request is also kept
for its kernel (Voilà keeps it only when the kernel is not connected), so a kernel that
connects afresh (``classpage._wait_for_request`` does so every 20 s while it waits) always
finds its request, also one that was written to a connection as it closed.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from typing import Any

__all__ = ["forget_only_itself", "main", "set_xsrf_cookie_on_page"]


def with_xsrf_cookie(get_generator: Callable[..., AsyncIterator[str]]
                     ) -> Callable[..., AsyncIterator[str]]:
    """Wrap a Voilà page generator so that the response sets the ``_xsrf`` cookie first.

    Parameters
    ----------
    get_generator
        ``VoilaHandler.get_generator``: yields the page's HTML in pieces.

    Returns
    -------
    Callable
        The same generator, which first reads ``handler.xsrf_token`` (Tornado sets the
        cookie when the request has none) and then yields the page unchanged.
    """
    async def page(self: Any, path: str | None = None) -> AsyncIterator[str]:
        self.xsrf_token  # noqa: B018 - reading the token sets the cookie
        async for html in get_generator(self, path=path):
            yield html

    page.__wrapped__ = get_generator  # type: ignore[attr-defined]
    return page


def set_xsrf_cookie_on_page() -> None:
    """Make Voilà's page handler set the ``_xsrf`` cookie (once; idempotent)."""
    from voila.handler import VoilaHandler

    if not hasattr(VoilaHandler.get_generator, "__wrapped__"):
        VoilaHandler.get_generator = with_xsrf_cookie(VoilaHandler.get_generator)


def forget_only_itself(waiters: dict, connection: object) -> None:
    """Remove ``connection`` from ``waiters`` (kernel id → connection), and nothing else.

    Parameters
    ----------
    waiters
        ``RequestInfoSocketHandler._waiters``: the kernels waiting for their request.
    connection
        The connection that closes.
    """
    for kernel_id in [k for k, c in waiters.items() if c is connection]:
        del waiters[kernel_id]


def repair_request_waiters() -> None:
    """Make a closing request connection forget only itself; keep every request (once)."""
    from voila.request_info_handler import RequestInfoSocketHandler

    if getattr(RequestInfoSocketHandler.on_close, "__name__", "") != "_on_close_own":
        def _on_close_own(self: Any) -> None:
            forget_only_itself(RequestInfoSocketHandler._waiters, self)

        RequestInfoSocketHandler.on_close = _on_close_own
        send = RequestInfoSocketHandler.send_updates.__func__

        def send_and_keep(cls: Any, msg: dict) -> None:
            cls._cache[msg["kernel_id"]] = msg["payload"]
            send(cls, msg)

        RequestInfoSocketHandler.send_updates = classmethod(send_and_keep)


def main(argv: list[str] | None = None) -> None:
    """Run Voilà with ``argv`` (default: this process's arguments), both repairs applied."""
    set_xsrf_cookie_on_page()
    repair_request_waiters()
    from voila.app import main as voila_main

    voila_main(argv=sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    main()
