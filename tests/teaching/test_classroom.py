"""The class session without a browser: identities, one file per student, status, collect, CLI."""

from __future__ import annotations

import threading

import pytest
from typer.testing import CliRunner

from assessment.cli import app
from assessment.core.i18n import t
from assessment.core.instruments import load_instrument
from assessment.teaching.classpage import ClassPage
from assessment.teaching.classroom import (
    APP_NOTEBOOK,
    IdentityError,
    claim,
    class_status,
    collect_class,
    serve_command,
    student_id,
)


def test_a_nickname_is_claimed_once_and_only_its_code_word_gets_back_in(tmp_path):
    assert claim(tmp_path, "Anna B", "1234") == ("anna-b", False)
    assert claim(tmp_path, "anna  b", "1234") == ("anna-b", True)
    with pytest.raises(IdentityError) as exc:
        claim(tmp_path, "ANNA-B", "4321")
    assert exc.value.key == "teach_c_taken"
    for nick, code, key in [("", "1234", "teach_c_need_nickname"),
                            ("!!", "1234", "teach_c_need_nickname"),
                            ("Bo", "12", "teach_c_need_code")]:
        with pytest.raises(IdentityError) as exc:
            claim(tmp_path, nick, code)
        assert exc.value.key == key


def test_two_students_typing_one_nickname_at_once_get_it_once(tmp_path):
    results = []

    def go(code):
        try:
            results.append(claim(tmp_path, "same", code))
        except IdentityError as exc:
            results.append(exc.key)

    threads = [threading.Thread(target=go, args=(f"code{k}",)) for k in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results.count(("same", False)) == 1
    assert results.count("teach_c_taken") == 7


def test_student_ids_are_file_safe():
    assert student_id("Zoë de Vries!") == "zoe-de-vries"
    assert len(student_id("x" * 200)) == 30


def _sign_in(folder, nick, code, lang="nl"):
    page = ClassPage(lang, folder)
    page.nickname.value, page.code.value = nick, code
    return page, page.start()


def test_the_class_page_saves_under_the_student_and_the_last_save_counts(tmp_path):
    vd = load_instrument("value_disciplines")
    first = vd.scored_items[0].id
    for nick, value in [("Anna", 2), ("Bo", 5)]:
        page, sid = _sign_in(tmp_path, nick, "geheim")
        page.form.organisation.value = "Case BV"  # the same company: no clash
        page.form.set_answers({first: value})
        page.form.save()
        assert str(tmp_path) not in page.form.status.value  # no server paths
        assert "bewaard" in page.form.status.value
    page, sid = _sign_in(tmp_path, "anna", "geheim")  # a reload: the answers come back
    assert sid == "anna" and page.form.answers == {first: 2}
    assert page.form.organisation.value == "Case BV"
    assert t("teach_c_welcome_back", "nl", name="anna") in page.body.children[0].value
    page.form.set_answers({first: 4})
    page.form.save()
    data = collect_class(tmp_path)
    assert sorted(data["respondent_id"]) == ["anna", "bo"]
    assert data.set_index("respondent_id")[first].to_dict() == {"anna": "4", "bo": "5"}
    status = class_status(tmp_path)
    assert status.claimed == 2 and len(status.submitted) == 2
    assert status.organisations.to_dict() == {"Case BV": 2}


def test_a_taken_nickname_is_refused_on_the_page_in_the_page_language(tmp_path):
    _sign_in(tmp_path, "Anna", "geheim", "en")
    page, sid = _sign_in(tmp_path, "Anna", "other", "en")
    assert sid is None and page.form is None
    assert t("teach_c_taken", "en") in page.message.value


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_class_text_exists_in_both_languages(lang):
    page = ClassPage(lang, "unused")
    assert t("teach_c_title", lang) in page.children[0].value
    assert page.start_button.description == t("teach_c_start", lang)


def test_serve_command_pools_culls_and_caps(tmp_path):
    """The Voilà options of the class server (issue 12, part 3): pool, cap, culling, and the output wait of 120 s (nbclient's 4 s lost pages' forms on a busy server)."""
    cmd, env = serve_command(9999, "nl", tmp_path, max_kernels=7, pool=3, cull_idle=60)
    assert str(APP_NOTEBOOK) in cmd and APP_NOTEBOOK.exists()
    for arg in ["--preheat_kernel=True", "--pool_size=3", "--CappedKernelManager.max_kernels=7",
                "--MappingKernelManager.cull_idle_timeout=60", "--port=9999",
                "--VoilaExecutor.iopub_timeout=120"]:
        assert arg in cmd
    assert env["ASSESS_CLASS_LANG"] == "nl" and env["ASSESS_CLASS_DIR"] == str(tmp_path)


def test_cli_collect_and_status(tmp_path):
    vd = load_instrument("value_disciplines")
    for nick in ("Anna", "Bo", "Cas"):
        page, _ = _sign_in(tmp_path, nick, "1234")
        page.form.organisation.value = "Case BV"
        page.form.set_answers({i.id: 3 for i in vd.scored_items})
        page.form.save()
    runner = CliRunner()
    res = runner.invoke(app, ["class", "status", str(tmp_path)])
    assert res.exit_code == 0 and "3 of 3 student(s) submitted" in res.output
    out = tmp_path / "responses.csv"
    res = runner.invoke(app, ["class", "collect", str(tmp_path), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "3 rows, all accepted" in res.output
    res = runner.invoke(app, ["class", "collect", str(tmp_path), "--out", str(out)])
    assert "3 rows, all accepted" in res.output  # the collected file itself is not stacked
    res = runner.invoke(app, ["class", "collect", str(tmp_path / "empty"), "--out", str(out)])
    assert res.exit_code == 1


def test_a_students_report_goes_to_their_own_folder_and_names_no_path(tmp_path, monkeypatch):
    """Two students assessing the same company get two reports: reports/<student>/ each."""
    import assessment.report.render as render

    seen = []

    class Result:
        def __init__(self, html):
            self.html = html

    def fake_render(path, org, out_dir, lang):
        out_dir.mkdir(parents=True, exist_ok=True)
        html = out_dir / "case-bv.html"
        html.write_text("<p>report</p>")
        seen.append(out_dir)
        return Result(html)

    monkeypatch.setattr(render, "render_report", fake_render)
    vd = load_instrument("value_disciplines")
    for nick in ("Anna", "Bo"):
        page, sid = _sign_in(tmp_path, nick, "geheim")
        page.form.organisation.value = "Case BV"
        page.form.set_answers({vd.scored_items[0].id: 3})
        page.form.report_button.click()
        assert t("teach_c_report_ready", "nl") in page.form.status.value
        assert str(tmp_path) not in page.form.status.value
    assert seen == [tmp_path / "reports" / "anna", tmp_path / "reports" / "bo"]


def test_serve_command_runs_voila_with_the_xsrf_cookie_fix(tmp_path):
    """`assess class serve` starts Voilà through classvoila, so a closed page can stop its kernel (issue 12, part 3)."""
    cmd, _ = serve_command(9999, "nl", tmp_path)
    assert cmd[1:3] == ["-m", "assessment.teaching.classvoila"]

