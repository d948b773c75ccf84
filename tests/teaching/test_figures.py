"""Teaching charts and diagrams: drawn in the notebook's language from the package's data."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from assessment.teaching import figures as tf
from assessment.teaching import simulations as sim


def texts(fig):
    found = [t.get_text() for ax in fig.axes for t in ax.texts]
    found += [ax.get_xlabel() for ax in fig.axes] + [ax.get_ylabel() for ax in fig.axes]
    found += [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend()] + fig.legends
    found += [t.get_text() for lg in legends for t in lg.get_texts()]
    plt.close(fig)
    return " | ".join(found).replace("\n", " ")


def test_nps_bars_language_and_size():
    """Seed 003's categories in the legend, in Dutch; eleven counts are required."""
    shown = texts(tf.nps_bars([1] * 11, "nl"))
    assert "criticasters (0–6)" in shown and "promotors (9–10)" in shown
    with pytest.raises(ValueError, match="11 numbers"):
        tf.nps_bars([1, 2], "en")


def test_sampling_figure_one_panel_per_size():
    """One panel per sample size, each labelled with its 95% range."""
    samples = sim.nps_sampling(sizes=(30, 300), repeats=200, seed=1)
    fig = tf.sampling_figure(samples, sim.sampling_summary(samples), "en")
    assert len(fig.axes) == 2
    assert "95% of surveys" in texts(fig)


def test_money_charts():
    """Deal and scheme charts label the euro amounts per language."""
    case = sim.incentive_case()
    deals = sim.choose_option(sim.deal_metrics(case["options"], case["follow_up"]),
                              {"revenue": 1})
    assert "€35,000" in texts(tf.deal_figure(deals, "en"))
    result = sim.simulate_deals(case["schemes"], n_deals=100, seed=1)
    shown = texts(tf.schemes_figure(result, case["schemes"], "nl"))
    assert "marge na de levering" in shown and "margetarget, teambonus" in shown


def test_retention_charts():
    """The CLV curves carry their legend; the scenario bars name Reichheld & Sasser's band."""
    fig = tf.clv_figure(sim.clv_table(100, 0.8), sim.clv_table(100, 0.85), ["80%", "85%"], "en")
    assert "80%" in texts(fig)
    assert "Reichheld & Sasser: +25% to +85%" in texts(tf.scenario_figure(
        sim.retention_scenarios(), "en"))


def test_diagrams_use_the_models_terms():
    """The diagrams take their labels from the exercise data and the locale (seeds 000, 003)."""
    assert "customer loyalty" in texts(tf.chain_figure("en"))
    assert "klantloyaliteit" in texts(tf.chain_figure("nl"))
    assert "loyal customer" in texts(tf.cycle_figure("en"))
    shown = texts(tf.value_chain_figure("nl"))
    assert "Inkomende" in shown and "Marge" in shown and "Inkoop" in shown
