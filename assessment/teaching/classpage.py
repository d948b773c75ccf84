"""The page a student sees in a class session: a nickname and code word, then the form.

Built by the one cell of ``apps/class.ipynb``, which ``assess class serve`` serves with
Voilà. Every text on the page comes from ``locales/teaching.yaml`` in the page's
language (``?lang=nl`` in the address, else the server's ``--lang``); the page shows no
server paths and no commands. See :mod:`assessment.teaching.classroom` for how a
nickname becomes the student's id and why no student can overwrite another's answers.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path
from urllib.parse import parse_qs

import ipywidgets as w

from assessment.core.i18n import t
from assessment.core.instruments import load_instrument
from assessment.teaching.classroom import (
    CLASS_DIR_ENV,
    CLASS_LANG_ENV,
    IdentityError,
    claim,
    saved_answers,
)
from assessment.teaching.widgets import _CSS, _DESC, SelfAssessmentForm, _button

__all__ = ["ClassPage", "class_page"]


class ClassPage(w.VBox):
    """Sign in with a nickname and code word, then the self-assessment form.

    The code word lets the same student come back (after a reload, or on another
    computer) to their own saved answers, change them and save again.
    """

    def __init__(self, lang: str = "en", out_dir: str | Path = "class-answers") -> None:
        self.lang = lang if lang in ("nl", "en") else "en"
        self.out_dir = Path(out_dir)
        self.form: SelfAssessmentForm | None = None
        self.student: str | None = None
        lang = self.lang
        self.nickname = w.Text(description=t("teach_c_nickname", lang), style=_DESC,
                               placeholder=t("teach_c_nickname_hint", lang))
        self.code = w.Password(description=t("teach_c_code", lang), style=_DESC,
                               placeholder=t("teach_c_code_hint", lang))
        self.start_button = _button(t("teach_c_start", lang), button_style="primary",
                                    icon="sign-in")
        self.start_button.on_click(self.start)
        self.message = w.HTML()
        self.sign_in = w.VBox([
            w.HTML("<p>" + escape(t("teach_c_sign_in", lang)) + "</p>"),
            self.nickname, self.code, self.start_button, self.message])
        self.body = w.VBox()
        super().__init__([
            w.HTML(_CSS + f"<h2>{escape(t('teach_c_title', lang))}</h2>"
                   f"<p>{escape(t('teach_c_intro', lang))}</p>"),
            self.sign_in, self.body])

    def start(self, *_: object) -> str | None:
        """Claim or re-enter the nickname; show the form with the saved answers, if any."""
        lang = self.lang
        try:
            sid, returning = claim(self.out_dir, self.nickname.value, self.code.value)
        except IdentityError as exc:
            self.message.value = SelfAssessmentForm._warn(t(exc.key, lang))
            return None
        self.student = sid
        form = SelfAssessmentForm(lang, self.out_dir, respondent_id=sid, show_paths=False)
        saved = saved_answers(self.out_dir, sid)
        if saved:
            form.organisation.value = saved["organisation"]
            if saved["department"] in [v for _, v in form.department.options]:
                form.department.value = saved["department"]
            form.set_answers({k: v for k, v in saved["answers"].items()
                              if k in form.form.inputs})
        self.form = form
        key = ("teach_c_welcome_back" if saved else "teach_c_welcome_back_empty"
               if returning else "teach_c_welcome")
        self.sign_in.layout.display = "none"
        self.body.children = [
            w.HTML(f"<p><b>{escape(t(key, lang, name=self.nickname.value.strip()))}</b> "
                   f"{escape(t('teach_c_how', lang))}</p>"),
            form]
        return sid


def class_page(lang: str | None = None, out_dir: str | Path | None = None) -> ClassPage:
    """Build the class page for this kernel's request (the one call of ``apps/class.ipynb``).

    With a pre-started Voilà kernel the request (its ``?lang=``) is only known once a
    student opens the page: this waits for it, after the heavy imports are done.
    """
    for name in ("alignment", "value_disciplines"):
        load_instrument(name)  # read the YAML while the kernel waits in the pool
    _wait_for_request()
    if lang is None:
        default = os.environ.get(CLASS_LANG_ENV, "en")
        lang = parse_qs(os.environ.get("QUERY_STRING", "")).get("lang", [default])[0]
    folder = out_dir or os.environ.get(CLASS_DIR_ENV, "class-answers")
    return ClassPage(lang, folder)


def _wait_for_request(patience: float = 24 * 3600, recheck: float = 20) -> None:
    """In a pre-started Voilà kernel, wait until a student opens the page; set its request.

    Does what ``voila.utils.wait_for_request`` does, but survives a slow server: Voilà's
    version gives up after 5 s to connect and drops the connection when a ping is not
    answered in 20 s (a busy class server), and the page then loses its ``?lang=``. Here
    the connection has no pings, and a failed or dropped connection is made again (the
    server keeps the request for the kernel until it connects). Every ``recheck``
    seconds without a message the connection is made afresh: a request that reached the
    server while this kernel was not registered as waiting (Voilà's handler forgets a
    waiter when another kernel's connection closes, see ``classvoila``) is then picked
    up from the server's cache instead of leaving the student's page blank for good.
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    import asyncio
    import json
    import threading

    import websockets

    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    ip = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    url = f"{protocol}://{ip}:{port}{base}voila/query/{os.environ.get('VOILA_KERNEL_ID')}"
    info: list[str] = []

    async def get() -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + patience
        while loop.time() < deadline:
            try:
                async with websockets.connect(url, open_timeout=60, ping_interval=None) as ws:
                    info.append(await asyncio.wait_for(ws.recv(), recheck))
                    return
            except TimeoutError:  # no student yet: connect afresh
                continue
            except Exception:  # noqa: BLE001 - connect again
                await asyncio.sleep(1)

    thread = threading.Thread(target=lambda: asyncio.run(get()))
    thread.start()
    thread.join()
    if info:
        os.environ.update(json.loads(info[0]))
