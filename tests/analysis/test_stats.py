"""Trust figures (DESIGN 5): r_wg, r_wg(J), Cronbach's α, Spearman–Brown, ICC, bootstrap intervals."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from assessment.analysis.stats import (
    answer_options,
    bootstrap_ci,
    cohort_icc,
    cronbach_alpha,
    describe_scores,
    expected_variance,
    icc,
    reliability,
    rwg,
    rwg_j,
    spearman_brown,
    uninterpretable_reason,
)
from assessment.core.ingest import read_responses
from assessment.core.scoring import score_cells, score_respondents, score_responses


def test_expected_variance_of_uniform_answers():
    """Hand calculation of σ²_EU = (A² − 1)/12 (James, Demaree & Wolf 1984): 1.25 for A = 4, 2.0 for A = 5."""
    assert expected_variance(answer_options("stages4")) == 1.25
    assert expected_variance(answer_options("likert5")) == 2.0
    assert expected_variance(11) == 10.0
    with pytest.raises(ValueError, match="options must be 2 or more"):
        expected_variance(1)


def test_rwg_hand_calculation():
    """Hand calculation (James, Demaree & Wolf 1984): answers 3, 4, 4, 5, 4 on a 5-point item.

    mean 4, s² = (1 + 0 + 0 + 1 + 0) / 4 = 0.5, r_wg = 1 − 0.5 / 2.0 = 0.75. On a 4-option
    stages4 item, 2, 2, 3, 3 gives s² = 1/3 and r_wg = 1 − (1/3) / 1.25 = 0.7333.
    """
    assert rwg([3, 4, 4, 5, 4], 5) == pytest.approx(0.75)
    assert rwg([2, 2, 3, 3], 4) == pytest.approx(1 - (1 / 3) / 1.25)
    assert rwg([4, 4, 4], 4) == 1.0


def test_rwg_truncated_and_undefined():
    """James et al. (1984) and R multilevel::rwg: observed variance above σ²_EU is truncated (r_wg = 0).

    Hand calculation: 1, 5, 1, 5 has s² = 16/3 > 2.0. One answer has no variance: NaN.
    Missing answers are left out.
    """
    assert rwg([1, 5, 1, 5], 5) == 0.0
    assert math.isnan(rwg([3], 5))
    assert rwg([3, 4, np.nan, 4, 5, 4], 5) == pytest.approx(0.75)


def test_rwg_j_hand_calculation():
    """Hand calculation of r_wg(J) (James, Demaree & Wolf 1984) for J = 2 items on a 5-point scale.

    Item variances 0.5 and 0.5: s̄² = 0.5, q = 0.25, r_wg(J) = 2 × 0.75 / (2 × 0.75 + 0.25) = 0.857.
    """
    x = np.array([[3, 4], [4, 4], [4, 3], [5, 5], [4, 4]], dtype=float)
    assert np.var(x, axis=0, ddof=1).tolist() == [0.5, 0.5]
    assert rwg_j(x, 5) == pytest.approx(1.5 / 1.75)


def _multilevel_rwg_j(x: np.ndarray, ranvar: float) -> float:
    """Bliese's R multilevel::rwg.j (version 2.7), transcribed line by line as an independent check.

    S <- mean(apply(Q, 2, var)); if (S > ranvar) S <- ranvar;
    out <- (J * (1 - (S/ranvar))) / ((J * (1 - (S/ranvar))) + (S/ranvar))
    """
    j = x.shape[1]
    s = float(np.mean([np.var(x[:, k], ddof=1) for k in range(j)]))
    s = min(s, ranvar)
    return (j * (1 - s / ranvar)) / ((j * (1 - s / ranvar)) + (s / ranvar))


def test_rwg_j_equals_r_multilevel_on_a_public_dataset():
    """r_wg(J) per wine of pingouin's 'icc' dataset (8 wines × 4 judges, 0–9 scores) equals R multilevel::rwg.j.

    Named reference: the algorithm of R's multilevel::rwg.j (Bliese), transcribed above; here
    the judges are the group and the wines the items (A = 10 answer options, σ²_EU = 99/12).
    """
    data = pg.read_dataset("icc").pivot(index="Judge", columns="Wine", values="Scores")
    x = data.to_numpy(dtype=float)
    assert rwg_j(x, 10) == pytest.approx(_multilevel_rwg_j(x, expected_variance(10)))
    for k in range(x.shape[1]):
        assert rwg(x[:, k], 10) == pytest.approx(
            1 - min(np.var(x[:, k], ddof=1), 99 / 12) / (99 / 12))


def test_cronbach_alpha_against_pingouin():
    """Cronbach's α equals pingouin.cronbach_alpha on pingouin's bundled 'cronbach_alpha' dataset.

    Named references: pingouin 0.5+ (independent implementation, covariance-matrix form) on
    its public dataset: α = 0.5917 (complete data, 25 subjects × 6 items).
    """
    long = pg.read_dataset("cronbach_alpha")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    expected, _ = pg.cronbach_alpha(data=long, items="Items", scores="Scores", subject="Subj")
    assert cronbach_alpha(wide, min_n=2) == pytest.approx(expected)
    assert cronbach_alpha(wide, min_n=2) == pytest.approx(0.5917, abs=1e-4)


def test_cronbach_alpha_listwise_against_pingouin_with_missing_answers():
    """With missing answers α uses the respondents who answered every item (listwise).

    Named reference: pingouin.cronbach_alpha(nan_policy='listwise') on its bundled
    'cronbach_wide_missing' dataset (12 respondents, 4 missing answers): α = 0.8017.
    """
    wide = pg.read_dataset("cronbach_wide_missing")
    expected, _ = pg.cronbach_alpha(wide, nan_policy="listwise")
    assert cronbach_alpha(wide, min_n=2) == pytest.approx(expected)
    assert cronbach_alpha(wide, min_n=2) == pytest.approx(0.8017, abs=1e-4)


def test_cronbach_alpha_needs_enough_respondents():
    """DESIGN 5: α only 'when n allows': NaN under min_n complete respondents or with one item."""
    wide = pg.read_dataset("cronbach_wide_missing")
    complete = len(wide.dropna())
    assert math.isnan(cronbach_alpha(wide, min_n=complete + 1))
    assert not math.isnan(cronbach_alpha(wide, min_n=complete))
    assert math.isnan(cronbach_alpha(wide[["Q1"]], min_n=2))


def test_spearman_brown_hand_calculation():
    """Hand calculation of the two-item Spearman–Brown coefficient 2r / (1 + r).

    Items (1, 2, 3, 4, 5) and (2, 2, 4, 3, 5): s²₁ = 2.5, s²₂ = 1.7, covariance 1.75, so
    r = 1.75 / √(2.5 · 1.7) = 0.8489 and ρ = 2 · 0.8489 / 1.8489 = 0.9183. Cronbach's α of
    the same two items is 0.9091 (its doctest): lower, because α assumes equal variances
    (Eisinga, te Grotenhuis & Pelzer 2013).
    """
    x = np.array([[1, 2], [2, 2], [3, 4], [4, 3], [5, 5]])
    assert spearman_brown(x, min_n=2) == pytest.approx(0.9183, abs=1e-4)
    assert cronbach_alpha(x, min_n=2) == pytest.approx(0.9091, abs=1e-4)
    assert cronbach_alpha(x, min_n=2) < spearman_brown(x, min_n=2)


def test_spearman_brown_against_pingouin():
    """Spearman–Brown against pingouin, with and without missing answers.

    It equals 2r / (1 + r) with pingouin.corr's Pearson r, and equals
    pingouin.cronbach_alpha of the two standardised items (for two items standardised α and
    Spearman–Brown are the same formula), on pingouin's bundled 'cronbach_alpha' dataset
    (25 subjects; items 1 and 2). With missing answers only respondents with both items
    count (pingouin's 'cronbach_wide_missing', Q1 and Q3: r over the 10 complete pairs).
    """
    long = pg.read_dataset("cronbach_alpha")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    pair = wide.iloc[:, :2]
    r = pg.corr(pair.iloc[:, 0], pair.iloc[:, 1])["r"].iloc[0]
    assert spearman_brown(pair, min_n=2) == pytest.approx(2 * r / (1 + r))
    z = (pair - pair.mean()) / pair.std(ddof=1)
    assert spearman_brown(pair, min_n=2) == pytest.approx(pg.cronbach_alpha(z)[0])
    missing = pg.read_dataset("cronbach_wide_missing")[["Q1", "Q3"]]
    both = missing.dropna()
    r = np.corrcoef(both["Q1"], both["Q3"])[0, 1]
    assert len(both) == 10
    assert spearman_brown(missing, min_n=2) == pytest.approx(2 * r / (1 + r))


def test_spearman_brown_needs_two_items_enough_respondents_and_variance():
    """Spearman–Brown is NaN when it cannot be computed, and refuses anything but two items.

    NaN under min_n respondents with both answers or when an item has no variance.
    """
    x = np.array([[1, 2], [2, 2], [3, 4], [4, 3], [5, 5], [np.nan, 1]])
    assert math.isnan(spearman_brown(x, min_n=6))
    assert not math.isnan(spearman_brown(x, min_n=5))
    assert math.isnan(spearman_brown(np.array([[1, 2], [2, 2], [3, 2]]), min_n=2))
    with pytest.raises(ValueError, match="2 items"):
        spearman_brown(np.ones((5, 3)), min_n=2)


def test_reliability_picks_the_coefficient_by_the_number_of_items():
    """Two items: Spearman–Brown; three or more: Cronbach's α; one item: none."""
    long = pg.read_dataset("cronbach_alpha")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    assert reliability(wide.iloc[:, :2]) == (spearman_brown(wide.iloc[:, :2]), "spearman_brown")
    assert reliability(wide) == (cronbach_alpha(wide), "cronbach_alpha")
    value, kind = reliability(wide.iloc[:, :1])
    assert math.isnan(value) and kind is None


def test_uninterpretable_reason():
    """A negative or near-zero reliability gets a reason instead of a number.

    Little variance when respondents agree (r_wg(J) ≥ 0.70), otherwise items that do not
    move together.
    """
    assert uninterpretable_reason(0.65, 0.5) is None
    assert uninterpretable_reason(float("nan"), 0.5) is None
    assert uninterpretable_reason(-0.37, 0.82) == "little_variance"
    assert uninterpretable_reason(0.04, 0.55) == "no_coherence"
    assert uninterpretable_reason(0.04, float("nan")) == "no_coherence"


def test_icc_hand_calculation():
    """Hand calculation of ICC(1) and ICC(2) (Bliese 2000) for two groups of three.

    Group means 2 and 4, grand mean 3: MSB = 3 × (1 + 1) / 1 = 6, MSW = (1+0+1+1+0+1)/4 = 1,
    k = 3: ICC(1) = 5 / (6 + 2) = 0.625, ICC(2) = 5 / 6 = 0.8333.
    """
    i1, i2 = icc([1, 2, 3, 3, 4, 5], ["a", "a", "a", "b", "b", "b"])
    assert i1 == pytest.approx(0.625) and i2 == pytest.approx(5 / 6)


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning",
                            "ignore:The inplace keyword")
def test_icc_against_pingouin():
    """ICC(1) and ICC(2) equal pingouin's one-way ICC(1,1) and ICC(1,k) on its 'icc' dataset.

    Named reference: pingouin.intraclass_corr on the bundled wine data (8 wines rated by 4
    judges; wines are the groups): ICC(1,1) = 0.7275, ICC(1,k) = 0.9144.
    """
    data = pg.read_dataset("icc")
    ref = pg.intraclass_corr(data, targets="Wine", raters="Judge", ratings="Scores")
    ref = ref.set_index("Type")["ICC"]
    i1, i2 = icc(data["Scores"], data["Wine"])
    assert i1 == pytest.approx(ref["ICC(1,1)"]) and i2 == pytest.approx(ref["ICC(1,k)"])
    assert i1 == pytest.approx(0.7275, abs=1e-4) and i2 == pytest.approx(0.9144, abs=1e-4)


def test_icc_needs_two_groups():
    """One group: no between-group variance to speak of, NaN."""
    assert all(math.isnan(v) for v in icc([1, 2, 3], ["a", "a", "a"]))


def test_bootstrap_interval_reproducible_with_a_seed():
    """Same values and seed: the same interval; another seed: (almost surely) another one."""
    values = np.random.default_rng(5).normal(3, 1, 30)
    assert bootstrap_ci(values, seed=7) == bootstrap_ci(values, seed=7)
    assert bootstrap_ci(values, seed=7) != bootstrap_ci(values, seed=8)


def test_bootstrap_interval_matches_normal_theory():
    """For 400 normal values the percentile interval ≈ mean ± 1.96 s/√n (large-sample theory).

    Reference: the normal-theory 95% interval of a mean; the bootstrap (2000 resamples, seed
    1) agrees within 10% of its half-width.
    """
    values = np.random.default_rng(11).normal(2.5, 0.6, 400)
    low, high = bootstrap_ci(values, seed=1)
    half = 1.96 * values.std(ddof=1) / math.sqrt(len(values))
    assert low < values.mean() < high
    assert (high - low) / 2 == pytest.approx(half, rel=0.1)
    assert (low + high) / 2 == pytest.approx(values.mean(), abs=0.1 * half)


def test_bootstrap_interval_needs_two_values():
    """One respondent has no spread to resample: no interval."""
    assert all(math.isnan(v) for v in bootstrap_ci([3.0]))


@pytest.fixture(scope="module")
def example():
    from assessment.core.config import EXAMPLE_RESPONSES

    return read_responses(EXAMPLE_RESPONSES)


def test_described_scores_equal_the_scoring_rules(example):
    """describe_scores' score and n equal score_responses' (the scoring rules, DESIGN 3.1/3.2)."""
    keys = ["organisation", "wave", "instrument", "level", "interface", "dimension"]
    for inst in example.instruments:
        scored = score_responses(example.data, [inst])
        described = describe_scores(score_respondents(example.data, inst), n_boot=50)
        merged = scored.merge(described, on=keys, suffixes=("", "_d"))
        assert len(merged) == len(scored)
        assert np.allclose(merged["score"].astype(float), merged["score_d"].astype(float),
                           equal_nan=True)
        assert (merged["n"] == merged["n_d"]).all()


def test_interval_is_the_same_for_one_organisation_or_the_whole_file(example, alignment):
    """Seeded per organisation and wave: the report (one organisation) and the file give one interval."""
    whole = describe_scores(score_respondents(example.data, alignment), n_boot=200)
    org = "Delta Meettechniek"
    one = describe_scores(score_respondents(example.data[example.data["organisation"] == org], alignment), n_boot=200)
    mine = whole[whole["organisation"] == org].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, one.reset_index(drop=True))
    assert (mine["ci_low"] <= mine["score"]).all() and (mine["score"] <= mine["ci_high"]).all()


def test_cohort_icc_per_cell(example, alignment):
    """ICC per cell across the file's organisations equals icc() on the respondent scores."""
    table = cohort_icc(score_respondents(example.data, alignment))
    cells = score_cells(alignment)
    scores = score_respondents(example.data, alignment).means
    k = next(i for i, c in enumerate(cells) if c.level == "dimension")
    expected = icc(scores[:, k], example.data["organisation"])
    row = table[(table["level"] == cells[k].level) & (table["interface"] == cells[k].interface)
                & (table["dimension"] == cells[k].dimension)].iloc[0]
    assert (row["icc1"], row["icc2"]) == pytest.approx(expected)
    assert row["groups"] == example.data["organisation"].nunique()


def _random_scored(instrument_id: str, seed: int, skip: float):
    """Random answers for groups of 1 to 30 respondents, a share ``skip`` of them left blank."""
    from assessment.core.instruments import load_instrument

    rng = np.random.default_rng(seed)
    inst = load_instrument(instrument_id)
    sizes = rng.integers(1, 31, size=25)
    orgs = np.repeat([f"org {k}" for k in range(len(sizes))], sizes)
    n = len(orgs)
    lo, hi = inst.scale.min, inst.scale.max
    data = pd.DataFrame({
        "organisation": orgs,
        "wave": rng.choice(["", "2026-Q1"], size=n),
        "department": rng.choice(["marketing", "sales", "service", "other", None], size=n),
    })
    for item in inst.scored_items:
        values = rng.integers(lo, hi + 1, size=n).astype(float)
        values[rng.random(n) < skip] = np.nan
        data[item.id] = values
    return score_respondents(data, inst)


@pytest.mark.parametrize(("instrument_id", "seed", "skip"), [
    ("alignment", 1, 0.0), ("alignment", 2, 0.3), ("value_disciplines", 3, 0.15),
    ("customer_loyalty", 4, 0.5),
])
def test_vectorised_describe_equals_the_per_group_reference(instrument_id, seed, skip):
    """Issue 13: the vectorised describe_scores gives exactly the figures of the per-group loop.

    Reference: ``tests/analysis/reference.py``, the implementation before issue 13, on random
    answers (numpy seed in the parameters) with groups of 1 to 30 and up to half the answers
    blank; compared exactly (no tolerance), intervals with their seeds included.
    """
    from tests.analysis.reference import describe_scores_per_group

    scored = _random_scored(instrument_id, seed, skip)
    for by, kwargs in (
        (None, {"n_boot": 300}),
        (["organisation", "wave", "department"], {"bootstrap": False, "alpha": False}),
        (["organisation"], {"n_boot": 50, "min_alpha_n": 3}),
    ):
        new = describe_scores(scored, by, **kwargs)
        old = describe_scores_per_group(scored, by, **kwargs)
        pd.testing.assert_frame_equal(new, old, check_exact=True)


@pytest.mark.parametrize("seed", range(6))
def test_percentile_interval_has_the_bits_of_numpy_percentile(seed):
    """Issue 13: the partition-based interval equals ``np.percentile`` exactly.

    Reference: numpy's own ``np.percentile`` (linear method) and, for columns with missing
    resamples, ``np.nanpercentile``, on random samples (numpy seed in the parameter) of
    2 to 2,001 resamples, with ties, blanks and several confidence levels; no tolerance.
    """
    from assessment.analysis.stats import percentile_interval

    rng = np.random.default_rng(seed)
    for n_boot in (2, 3, 5, 40, 41, 1999, 2000, 2001):
        for confidence in (0.5, 0.8, 0.95, 0.99):
            cols = int(rng.integers(1, 7))
            x = rng.integers(1, 9, (n_boot, cols)) / rng.integers(1, 4, (n_boot, cols))
            if seed % 2:
                x[rng.random((n_boot, cols)) < 0.02] = np.nan
            tail = (1 - confidence) / 2 * 100
            expected = np.percentile(x, [tail, 100 - tail], axis=0)
            gaps = np.isnan(x).any(axis=0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                expected[:, gaps] = np.nanpercentile(x[:, gaps], [tail, 100 - tail], axis=0)
            low, high = percentile_interval(x, confidence)
            np.testing.assert_array_equal(low, expected[0])
            np.testing.assert_array_equal(high, expected[1])


@pytest.mark.parametrize(("groups", "size", "columns"), [
    (1, 2, 2), (3, 5, 3), (40, 14, 24), (300, 9, 5), (7, 60, 3), (120, 17, 8),
])
def test_batched_bootstrap_has_the_bits_of_the_per_group_einsum(groups, size, columns):
    """Issue 13: the fast bootstrap means equal the per-group einsum of before, bit for bit.

    Reference: the formula of ``bootstrap_means`` before issue 13 written out here (counts
    of each group's own seeded draws, ``einsum("bn,nc->bc")`` of counts and answers over
    counts and rated answers), on random cell means (numpy seed 13): halves (summed by a
    matrix product) and thirds (summed in einsum's order), with blanks; no tolerance.
    """
    from assessment.analysis.stats import _batched_bootstrap, seeded_rng

    rng = np.random.default_rng(13)
    x = rng.integers(1, 5, (groups, size, columns)) / 2.0
    x[:, :, ::2] = rng.integers(1, 13, (groups, size, len(range(0, columns, 2)))) / 3.0
    x[rng.random(x.shape) < 0.1] = np.nan
    n_boot = 500
    got = _batched_bootstrap(x, [seeded_rng(7, "t", g) for g in range(groups)], n_boot)
    for g in range(groups):
        draws = seeded_rng(7, "t", g).integers(0, size, size=(n_boot, size))
        counts = np.stack([np.bincount(row, minlength=size) for row in draws]).astype(float)
        ok = ~np.isnan(x[g])
        with np.errstate(invalid="ignore", divide="ignore"):
            expected = (np.einsum("bn,nc->bc", counts, np.where(ok, x[g], 0.0))
                        / np.einsum("bn,nc->bc", counts, ok.astype(float)))
        np.testing.assert_array_equal(got[g], expected)


@pytest.mark.parametrize("columns", [1, 2, 9])
def test_bootstrap_means_of_groups_has_the_bits_of_each_group_alone(columns):
    """Issue 13: groups resampled together give what bootstrap_means gives each alone.

    Reference: ``bootstrap_means`` of each group with its own seeded generator (the
    per-wave code of ``wave_changes`` before), on random thirds and halves (numpy seed 5)
    with blanks, groups of 0, 1, 2, 5 and 17 rows; no tolerance.
    """
    from assessment.analysis.stats import bootstrap_means, bootstrap_means_of_groups, seeded_rng

    rng = np.random.default_rng(5)
    x = rng.integers(1, 13, (60, columns)) / rng.choice([2.0, 3.0], (60, columns))
    x[rng.random(x.shape) < 0.1] = np.nan
    sizes = [0, 1, 2, 5, 17, 5, 17, 2]
    groups = np.split(rng.permutation(60)[:sum(sizes)], np.cumsum(sizes)[:-1])
    got = bootstrap_means_of_groups(x, groups, [seeded_rng(3, k) for k in range(len(groups))],
                                    n_boot=300)
    for k, rows in enumerate(groups):
        np.testing.assert_array_equal(got[k], bootstrap_means(x[rows], seeded_rng(3, k), 300))
