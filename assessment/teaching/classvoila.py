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
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from typing import Any

__all__ = ["main", "set_xsrf_cookie_on_page"]


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


def main(argv: list[str] | None = None) -> None:
    """Run Voilà with ``argv`` (default: this process's arguments), the cookie fix applied."""
    set_xsrf_cookie_on_page()
    from voila.app import main as voila_main

    voila_main(argv=sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    main()
