"""The check_* functions: right answers pass, wrong ones get an explanation, never just "wrong"."""

from __future__ import annotations

import pytest

from assessment.teaching import exercises as ex
from assessment.teaching.data import exercise

MATCH_CHECKS = {
    "cycle": ex.check_cycle,
    "concepts": ex.check_concepts,
    "discipline_cases": ex.check_discipline_cases,
    "tensions": ex.check_tensions,
    "stages": ex.check_stages,
    "processes": ex.check_processes,
    "sales_eras": ex.check_sales_eras,
    "model_map": ex.check_model_map,
}


def right_answers(exercise_id):
    return {i["id"]: i["answer"] for i in exercise(exercise_id)["items"]}


@pytest.mark.parametrize("exercise_id", sorted(MATCH_CHECKS))
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_match_exercises_accept_their_answers(exercise_id, lang):
    """The answers stored with each matching exercise (from its seed) pass its check."""
    feedback = MATCH_CHECKS[exercise_id](right_answers(exercise_id), lang)
    assert feedback.correct, str(feedback)


def test_wrong_match_says_what_the_choice_means():
    """Seed 003's own contrast: curt but useful advice is customer orientation, not friendliness. Choosing friendliness gets its definition and the specific explanation from the data."""
    answers = right_answers("concepts") | {"f": "friendliness"}
    feedback = ex.check_concepts(answers)
    assert feedback.status == "incorrect"
    assert feedback.message == "5 of 6 right. Look again at:"
    (detail,) = feedback.details
    assert "f: you chose customer friendliness (klantvriendelijkheid)" in detail
    assert "being positive, friendly, understanding and patient" in detail
    assert "Curt and impatient is the opposite of friendly" in detail


def test_wrong_match_without_specific_explanation_still_explains():
    """A wrong choice with no prepared explanation still gets the chosen option's meaning."""
    answers = right_answers("tensions") | {"d": "cultural"}
    (detail,) = ex.check_tensions(answers).details
    assert "different work orientations" in detail and "Compare it with the other" in detail


def test_labels_in_either_language_are_accepted():
    """Students may answer with the Dutch or English label instead of the id, in any case."""
    answers = {"a": "Klantinzicht", "b": "customer awareness", "c": "KLANTGERICHTHEID",
               "d": "klantvriendelijkheid", "e": "customer satisfaction", "f": "orientation"}
    assert ex.check_concepts(answers).correct


def test_incomplete_and_unknown_answers():
    """Blank answers are named as not answered yet; an unknown choice lists the allowed ones."""
    fb = ex.check_cycle({"a": "potential", "b": None, "c": "?", "d": "", "e": "potential"})
    assert fb.status == "incomplete" and "b, c, d" in fb.message
    fb = ex.check_cycle(right_answers("cycle") | {"a": "prospect"})
    assert "'prospect' is not one of the choices (potential, new, loyal, farewell)" in fb.details[0]


def test_feedback_in_dutch():
    """lang='nl' gives the whole feedback in Dutch."""
    fb = ex.check_concepts(right_answers("concepts") | {"a": "awareness"}, "nl")
    assert fb.message == "5 van de 6 goed. Kijk nog eens naar:"
    assert "je koos klantbewustheid" in fb.details[0]


def test_stage_order():
    """Seed 001: Undefined → Defined → Aligned → Integrated. A swap is explained with what the misplaced stage means (from the alignment instrument)."""
    assert ex.check_stage_order(["undefined", "defined", "aligned", "integrated"]).correct
    assert ex.check_stage_order(["Ongedefinieerd", "Gedefinieerd", "Afgestemd",
                                 "Geïntegreerd"], "nl").correct
    fb = ex.check_stage_order(["undefined", "aligned", "defined", "integrated"])
    assert fb.message == "2 of 4 right. Look again at:"
    assert "Place 2: Aligned (Afgestemd) does not belong here" in fb.details[0]
    assert "plan together" in fb.details[0]


def test_order_problems():
    """Missing, repeated and unknown steps are each reported as such."""
    assert ex.check_stage_order(["undefined", "defined"]).status == "incomplete"
    fb = ex.check_stage_order(["undefined", "defined", "defined", "integrated"])
    assert "exactly once" in fb.message and "defined" in fb.message
    fb = ex.check_stage_order(["undefined", "defined", "aligned", "merged"])
    assert "merged" in fb.message


def test_chain_order():
    """Seed 000: internal service quality → employee satisfaction → loyal, productive employees → customer value → customer satisfaction → customer loyalty → growth and profit."""
    right = ["internal_quality", "employee_satisfaction", "employee_loyalty", "customer_value",
             "customer_satisfaction", "customer_loyalty", "growth_profit"]
    assert ex.check_chain(right).correct
    fb = ex.check_chain([right[0], right[1], right[3], right[2], *right[4:]])
    assert "Place 3: customer value (klantwaarde) does not belong here" in fb.details[0]
    assert "What follows employee satisfaction" in fb.details[0]


def test_experience_scenarios():
    """Seed 003: 2 days expected, 4 delivered → negative; 1 delivered → positive; announced 3 and delivered 3 → neutral; promised 1 and delivered 3 → negative (the promise counts)."""
    assert ex.check_experience({"a": "negative", "b": "positive", "c": "neutral",
                                "d": "negative"}).correct
    fb = ex.check_experience({"a": "negatief", "b": "positief", "c": "negatief",
                              "d": "positief"}, "nl")
    assert fb.message == "2 van de 4 goed. Kijk nog eens naar:"
    assert "de 3 dagen die de verkoper noemde" in fb.details[0]


NPS_MISTAKES = {
    35: "only the share of promoters",
    50: "You counted the 7s and 8s as promoters",
    20: "6 is a detractor",
    -10: "The sign is reversed",
    0.1: "as a fraction",
    7.4: "the average answer",
    -5: "You subtracted the passives",
}


def test_nps_right():
    """Hand count of the exercise's 20 answers: 7 promoters (35%), 8 passives, 5 detractors (25%): NPS = 35 − 25 = +10. '+10' and '10' are both accepted."""
    assert ex.check_nps(10).correct and ex.check_nps("+10").correct


@pytest.mark.parametrize(("answer", "explanation"), NPS_MISTAKES.items())
def test_nps_mistakes_are_named(answer, explanation):
    """Hand calculation of each usual mistake on the same 20 answers (35% promoters, 40% passives, 25% detractors, 15% answering 0–5, mean 7.4) gives a number that the check recognises and explains."""
    fb = ex.check_nps(answer)
    assert fb.status == "incorrect"
    assert explanation in fb.details[0]


def test_nps_unrecognised_mistake_gets_the_method():
    """A number no usual mistake explains gets the steps of the method (not the answer)."""
    fb = ex.check_nps(42)
    assert "Count the promoters (9–10)" in fb.details[0] and "+10" not in str(fb)


def test_sample_size():
    """Hand calculation: adjusted Wald needs 170 answers for ±10 at 25/55/20, the plain Wald formula 1.96² × 0.4475 / 0.01 = 171.9 → 172; both are right. 30 answers give ±23 (too wide), 1000 answers ±4 (far more than needed)."""
    assert ex.check_sample_size(170).correct and ex.check_sample_size(172).correct
    small = ex.check_sample_size(30)
    assert "still ±23.0 points, wider than ±10" in small.details[0]
    assert "many more answers than needed" in ex.check_sample_size(1000).details[0]
    assert "whole number" in ex.check_sample_size(12.5).details[0]


def test_profiles():
    """The instrument's rule (T 50, E 75, M 10; DESIGN 3.2) applied by hand: 82/61/55 leader; 58/86/41 leader with a weak spot; 68/66/63 stuck in the middle; 77/72/45 below the threshold (lead 5 < 10, and 45 < 50). A wrong answer walks through the rule."""
    assert ex.check_profiles({"a": "leader", "b": "leader with a weak spot",
                              "c": "stuck in the middle", "d": "onder de drempel"}).correct
    fb = ex.check_profiles({"a": "leader", "b": "leader_weak_spot",
                            "c": "stuck_in_the_middle", "d": "leader"})
    assert "Its lead over the second is 5; at least 10? no" in fb.details[0]


def test_profiles_solution_shows_the_steps():
    """Issue 17, item 4: the worked answer applies the rule (T 50, E 75, M 10 from the instrument) to each set of data/teaching/exercises.yaml, by hand: a 82/61/55 → highest 82 ≥ 75, lead 21 ≥ 10, none under 50: leader; d 77/72/45 → 77 ≥ 75 but lead 5 < 10, product leadership 45 < 50: below the threshold."""
    sol = ex.solution("profiles", "en")
    a, b, c, d = sol.details
    assert a.startswith("a: leader")
    assert ("The highest is customer intimacy at 82; at least 75? yes. Its lead over the second is 21; "
            "at least 10? yes. Under the threshold of 50: none.") in a
    assert "leader with a weak spot" in b and "Under the threshold of 50: product leadership." in b
    assert "stuck in the middle" in c and "Its lead over the second is 2; at least 10? no." in c
    assert d.startswith("d: below the threshold")
    assert "Its lead over the second is 5; at least 10? no. Under the threshold of 50: product leadership." in d
    nl = ex.solution("profiles", "nl").details[0]
    assert "De hoogste is klantintimiteit met 82; minstens 75? ja." in nl


def test_explain_profile_in_words():
    """Issue 17, item 4: a profile in words with the rule's steps instead of a raw ProfileResult; hand check of 64/79/57: operational excellence 79 ≥ 75 and 15 ≥ 10 ahead, none under 50 → leader."""
    text = ex.explain_profile({"customer_intimacy": 64, "operational_excellence": 79,
                               "product_leadership": 57}, "en")
    assert text.startswith("Leader in operational excellence.")
    assert "Its lead over the second is 15; at least 10? yes." in text and "ProfileResult" not in text


CLV_MISTAKES = {
    800: "You left out discounting",  # 200 / (1 − 0.75)
    240.96: "the share of customers who leave",  # 200 / (1.08 − 0.25)
    654.55: "at the start of the year",  # 200 × 1.08 / 0.33
    454.55: "the formula in many textbooks",  # 200 × 0.75 / 0.33: the other convention (issue 12), not a mistake
    185.19: "only the first year's margin",  # 200 / 1.08
}


def test_clv_right():
    """Hand calculation: 200 / (1 + 0.08 − 0.75) = 606.06; within 1% is right."""
    assert ex.check_clv(606).correct and ex.check_clv("606,06").correct


@pytest.mark.parametrize(("answer", "explanation"), CLV_MISTAKES.items())
def test_clv_mistakes_are_named(answer, explanation):
    """Hand calculation of each usual mistake (see the comment beside each value)."""
    assert explanation in ex.check_clv(answer).details[0]


def test_sales_roles():
    """The matrix of data/teaching/sales_roles.yaml (our reading of seed 003, figure 1.12): small × medium → junior AM; large × complex → KAM; small × simple → inside sales; medium × complex → senior AM; medium × simple → junior AM."""
    right = {"a": "junior_am", "b": "key_account_manager", "c": "inside_sales",
             "d": "senior_am", "e": "junior_am"}
    assert ex.check_sales_roles(right).correct
    fb = ex.check_sales_roles(right | {"b": "account manager"})
    assert "large firms × complex product or service, higher price" in fb.details[0]


def test_advice():
    """Hand calculation as in tests/test_simulations.py: A, B, C, C."""
    right = {"revenue_individual": "A", "margin_individual": "B", "revenue_team": "C",
             "margin_team": "c"}
    assert ex.check_advice(right).correct
    fb = ex.check_advice(right | {"margin_individual": "A"})
    assert "This bonus counts margin at the signature; offer A gives €45,000" in fb.details[0]


def test_margin_after():
    """Hand calculation: 110 000 × 45% − 35 000 = 14 500; the margin at the signature (49 500) and revenue minus rework (75 000) are recognised mistakes; Dutch '14.500' is accepted."""
    assert ex.check_margin_after(14500).correct and ex.check_margin_after("14.500").correct
    assert "margin at the signature" in ex.check_margin_after(49500).details[0]
    assert "from the revenue" in ex.check_margin_after(75000).details[0]


def test_dimension_score():
    """DESIGN 3.1: a respondent's dimension score is the mean of their answers, (2 + 3) / 2 = 2.5, and bands include their lower edge, so 2.5 is Aligned, not Defined."""
    assert ex.check_dimension_score(2.5, "aligned").correct
    assert ex.check_dimension_score("2,5", "Afgestemd", "nl").correct
    fb = ex.check_dimension_score(2.5, "defined")
    assert "includes its lower edge" in fb.details[0]
    fb = ex.check_dimension_score(2.0, "defined")
    assert len(fb.details) == 2 and "mean of their 2 answers" in fb.details[0]


def test_discipline_score():
    """DESIGN 3.2 by hand: answers 4, 5, 4, 3 and reverse-keyed 2, 1 → 4, 5, 4, 3, 4, 5; mean 4.167; (4.167 − 1) / 4 × 100 = 79.2. Forgetting to reverse gives 54.2, forgetting to rescale 4.17, dividing by 5 gives 83.3."""
    assert ex.check_discipline_score(79.2).correct
    assert "reverse" in ex.check_discipline_score(54.2).details[0]
    assert "1–5 scale" in ex.check_discipline_score(4.17).details[0]
    assert "divided by 5" in ex.check_discipline_score(83.3).details[0]


def test_blank_numbers_are_incomplete():
    """An answer left as None or '...' is 'not answered yet', not 'wrong'."""
    for check in (ex.check_nps, ex.check_clv, ex.check_margin_after, ex.check_sample_size,
                  ex.check_discipline_score):
        assert check(None).status == "incomplete"
    assert ex.check_dimension_score("...", None).status == "incomplete"


ALL_EXERCISES = [*MATCH_CHECKS, "stage_order", "chain", "experience", "nps", "sample_size",
                 "profiles", "clv", "sales_roles", "advice", "margin_after", "dimension_score",
                 "discipline_score"]


@pytest.mark.parametrize("exercise_id", ALL_EXERCISES)
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_exercise_has_a_solution(exercise_id, lang):
    """solution() works for every exercise in both languages (every message key exists)."""
    sol = ex.solution(exercise_id, lang)
    assert sol.status == "solution" and sol.details


def test_solution_numbers():
    """The worked answers repeat the hand calculations above."""
    assert "NPS = 35 − 25 = +10" in str(ex.solution("nps"))
    assert "= 606" in str(ex.solution("clv"))
    assert "€14,500 after delivery" in str(ex.solution("margin_after"))
    assert "(2 + 3) / 2 = 2.50: Aligned" in str(ex.solution("dimension_score"))


def test_answers_in_the_wrong_shape_are_explained():
    """A list where a dictionary is expected gets the shape to use; an order may also be typed as one string."""
    fb = ex.check_cycle(["potential", "new"])
    assert fb.status == "incorrect" and '{"a": ..., "b": ...' in fb.message
    assert ex.check_stage_order("undefined, defined, aligned, integrated").correct
    assert ex.check_stage_order("Ongedefinieerd > Gedefinieerd > Afgestemd > Geïntegreerd", "nl").correct


def test_dimension_stage_is_judged_on_the_score_given():
    """Issue 12, part 2: the answers of exercise dimension_score (data/teaching/exercises.yaml) are [2, 3], so the right score is 2.5, Aligned; a student who answers score 2 with stage Defined made one mistake (the score), because 2 lies in the Defined band [1.75, 2.5) of the alignment instrument: the feedback must not say the stage does not match. Stage Aligned with score 2 does not match the score given."""
    fb = ex.check_dimension_score(2, "defined")
    assert not fb.correct
    assert not any("does not match" in d for d in fb.details)
    assert any("does fit your score of 2.00" in d for d in fb.details)
    mismatch = ex.check_dimension_score(2, "aligned")
    assert any("does not match your score of 2.00" in d for d in mismatch.details)
    nl = ex.check_dimension_score(2, "gedefinieerd", "nl")
    assert not any("past niet" in d for d in nl.details)
    assert ex.check_dimension_score(2.5, "aligned").correct


def test_the_other_clv_convention_is_not_called_a_mistake():
    """Issue 12, part 2: m·r/(1+d−r) is the textbooks' other valid convention (first year uncertain too). With the clv exercise's numbers in data/teaching/exercises.yaml it gives r times the right answer m/(1+d−r); the feedback names it as another convention and says which one the notebook uses and why, never "mistake"."""
    e = exercise("clv")
    m, r, d = float(e["margin"]), float(e["retention"]), float(e["discount_rate"])
    for lang, words in (("en", ("other common way", "just bought")), ("nl", ("andere gangbare manier", "net gekocht"))):
        fb = ex.check_clv(round(m * r / (1 + d - r), 2), lang)
        assert not fb.correct
        text = str(fb)
        assert all(w in text for w in words), text
        assert ("not a mistake" in text) if lang == "en" else ("geen fout" in text)
        assert "You made" not in text and "Je maakte" not in text


def test_stage_b_of_the_stages_exercise_has_reflective_meetings():
    """Issue 12, part 2: in the Defined stage meetings are reflective ("what do we expect of one another?"), not backward-looking reviews (seed 001, after Kotler, Rackham & Krishnaswamy 2006)."""
    case = next(c for c in exercise("stages")["items"] if c["answer"] == "defined")
    for lang, words in (("en", "expect of one another"), ("nl", "wat verwachten we van elkaar")):
        assert words in case["text"][lang]
        assert "look back" not in case["text"][lang] and "terug" not in case["text"][lang]


def test_sales_role_cases_state_size_and_complexity():
    """Issue 12, part 2: the jeweller (a: one shop = small, more than a standard kit but no large project = medium) and the office plants (e: mid-sized firm, a standard service at a low price = simple) say the size and complexity they are keyed to (data/teaching/exercises.yaml)."""
    cases = {c["id"]: c for c in exercise("sales_roles")["cases"]}
    assert (cases["a"]["size"], cases["a"]["complexity"]) == ("small", "medium")
    assert "one shop" in cases["a"]["text"]["en"] and "standard kit" in cases["a"]["text"]["en"]
    assert "ene winkel" in cases["a"]["text"]["nl"] and "standaardpakket" in cases["a"]["text"]["nl"]
    assert (cases["e"]["size"], cases["e"]["complexity"]) == ("medium", "simple")
    assert "mid-sized" in cases["e"]["text"]["en"] and "standard service" in cases["e"]["text"]["en"]
    assert "middelgroot" in cases["e"]["text"]["nl"] and "standaarddienst" in cases["e"]["text"]["nl"]


def test_potential_customer_definition_says_not_bought():
    """Issue 12, part 2: "koopt (nog of niet meer) bij jou" said the opposite of the English "has not bought from you (yet, or any more)"."""
    choice = next(c for c in exercise("cycle")["choices"] if c["id"] == "potential")
    assert choice["definition"]["nl"].startswith("koopt (nog) niet of niet meer bij jou")
